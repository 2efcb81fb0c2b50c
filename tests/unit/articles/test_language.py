"""Language of an article: the detector on the text, the page's declaration as a tie-breaker.

The pipeline skips non-English articles for event extraction on the strength of this decision, so it is
checked on every page of the article corpus (tests/data/corpora) against the language MANIFEST.tsv records for it
(judged by a person from the content where the page declares none).
"""

from __future__ import annotations

import csv

import pytest

from communique.articles.htmlprocessing import clean_article
from communique.articles.language import detect_language, identify, normalise_tag
from tests.support.corpora import corpus

CORPUS = corpus("articles")


def _manifest() -> list[dict[str, str]]:
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _expected(row: dict[str, str]) -> str:
    """``en-US`` / ``en (no lang attr; judged from content)`` → ``en``."""
    return row["language"].split()[0].split("-")[0].lower()


ROWS = _manifest()
NON_ENGLISH = [row["file"] for row in ROWS if "NON-ENGLISH" in row["notes"]]


def test_the_corpus_has_the_non_english_pages_we_rely_on() -> None:
    languages = {_expected(row) for row in ROWS if row["file"] in NON_ENGLISH}
    assert len(NON_ENGLISH) >= 25
    assert {"fr", "es", "de", "zh", "ja", "ar", "pt", "cs", "lv", "it"} <= languages


@pytest.mark.parametrize("row", ROWS, ids=[row["file"] for row in ROWS])
def test_language_of_every_corpus_page(row: dict[str, str]) -> None:
    html = (CORPUS / row["file"]).read_text(encoding="utf-8")
    language = clean_article(html, "").language
    assert language == _expected(row)
    assert (language != "en") == (row["file"] in NON_ENGLISH)


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("en-US", "en"),
        ("en_GB", "en"),
        ("EN", "en"),
        ("pt-BR", "pt"),
        ("zh-Hans-CN", "zh"),
        ("iw", "he"),
        ("fil", "tl"),
        (" fr ", "fr"),
        ("", None),
        (None, None),
        ("english", None),
        ("x", None),
    ],
)
def test_normalise_tag(tag: str | None, code: str | None) -> None:
    assert normalise_tag(tag) == code


FRENCH = (
    "Les ministres des affaires étrangères des deux pays se sont rencontrés vendredi à Genève pour la "
    "première fois depuis deux ans. Ils espèrent relancer des négociations qui avaient échoué au printemps "
    "dernier, à cause d'un différend sur l'ordre du jour. Les deux délégations ont qualifié les discussions "
    "de franches et constructives."
)
ENGLISH = (
    "The foreign ministers of both countries met in Geneva on Friday for the first time in two years. They "
    "hope to restart negotiations that collapsed last spring over a dispute about the agenda. Both "
    "delegations described the talks as frank and constructive."
)


def test_the_text_overrules_a_wrong_declaration() -> None:
    # Templates hard-code <html lang="en"> on other-language editions.
    assert detect_language(FRENCH, "en") == "fr"
    assert detect_language(ENGLISH, "fr-FR") == "en"


def test_the_declaration_decides_for_short_text() -> None:
    assert detect_language("Genève, 3 mai", "fr") == "fr"
    assert detect_language("Genf", "de-CH") == "de"


def test_detector_alone_without_a_declaration() -> None:
    assert detect_language(FRENCH, None) == "fr"
    assert detect_language(ENGLISH, None) == "en"


def test_nothing_to_go_on() -> None:
    assert detect_language("", None) is None
    assert detect_language("   ", None) is None
    assert identify("") == ("und", 0.0)


def test_prose_is_sampled_not_lists_of_names() -> None:
    # A long list of names first (as in politico's insider lists), prose after it.
    names = ", ".join(f"Name{i} Surname{i}" for i in range(200))
    text = names + "\n\n" + "\n\n".join([ENGLISH] * 3)
    assert identify(text)[0] == "en"


def test_deterministic() -> None:
    assert identify(FRENCH) == identify(FRENCH)
