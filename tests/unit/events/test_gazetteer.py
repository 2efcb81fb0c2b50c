"""The gazetteer data: generated files match the pinned packages; our own tables are consistent."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pycountry
import pytest

from communique.events.gazetteer import GAZETTEER_DIR, data_digest, load_gazetteer
from communique.events.triggers import build_table, load_triggers

BUILDER = GAZETTEER_DIR.parent / "build_gazetteer.py"


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_gazetteer", BUILDER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _data_rows(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]


@pytest.mark.parametrize(
    ("filename", "function"), [("countries.tsv", "build_countries"), ("places.tsv", "build_places")]
)
def test_generated_files_are_up_to_date(filename: str, function: str) -> None:
    """Run include/communique/data/build_gazetteer.py when this fails after a package upgrade."""
    rows = getattr(_builder(), function)()
    assert rows == _data_rows(GAZETTEER_DIR / filename)


def test_every_code_in_our_tables_is_an_iso_country() -> None:
    iso = {c.alpha_3 for c in pycountry.countries} | {c.alpha_3 for c in pycountry.historic_countries} | {"XKX"}
    gazetteer = load_gazetteer()
    for text, entry in gazetteer.actor_phrases():
        if entry.country is not None:
            assert entry.country in iso, (text, entry)
        else:
            assert entry.code[:3] in {"IGO", "NGO", "IMG"}, (text, entry)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Russia", "RUS"),
        ("Britain", "GBR"),
        ("U.S.", "USA"),
        ("South Korea", "KOR"),
        ("North Korean", "PRK"),
        ("Ivory Coast", "CIV"),
        ("Egyptian", "EGY"),
        ("Beijing", "CHN"),
        ("Kosovo", "XKX"),
        ("Soviet Union", "SUN"),
        ("United Nations", "IGOUNO"),
        ("IAEA", "IGOUNOIAE"),
        ("Arab League", "IGOARL"),
        ("Hamas", "PSEREB"),
    ],
)
def test_lookup(text: str, code: str) -> None:
    entry = load_gazetteer().lookup(text)
    assert entry is not None and entry.code == code


def test_places_have_coordinates() -> None:
    gazetteer = load_gazetteer()
    cairo = gazetteer.place("Cairo")
    assert cairo is not None and cairo.country == "EGY" and round(cairo.lat) == 30 and round(cairo.lon) == 31
    assert gazetteer.capitals["KEN"].name == "Nairobi"


def test_data_digest_is_stable() -> None:
    assert data_digest() == data_digest() and len(data_digest()) == 10


def test_trigger_table_rejects_duplicates_and_generates_forms() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        build_table([{"lemma": "meet", "pos": "VERB", "code": "040"}] * 2)
    forms = load_triggers(petrarch=False).forms
    assert {"met", "meets", "meeting", "talks", "sanctions", "imposed", "criticised"} - forms == {"imposed"}
    assert "plans" not in forms  # governs another trigger: the prefilter waits for that one
    assert "imposed" in load_triggers().forms  # the dictionary's IMPOSE has in-scope patterns ("impose sanctions")
    assert "shelled" not in load_triggers().forms  # its verbs that can only code violence are no triggers
