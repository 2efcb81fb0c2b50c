"""v_person_title lists exactly the gazetteer's person titles: the views hide every other "title"."""

from __future__ import annotations

import re

from tests.support.paths import REPO_ROOT

VIEW = REPO_ROOT / "include/communique/sql/views/005_v_person_title.sql"
TITLES = REPO_ROOT / "include/communique/data/gazetteer/titles.tsv"


def _gazetteer() -> dict[str, str]:
    rows = [line.split("\t") for line in TITLES.read_text(encoding="utf-8").splitlines()]
    return {row[0]: row[2] for row in rows if row[0] and not row[0].startswith("#")}


def test_the_view_lists_the_person_titles_of_the_gazetteer() -> None:
    listed = [t.replace("''", "'") for t in re.findall(r"\('((?:[^']|'')*)'\)", VIEW.read_text(encoding="utf-8"))]
    person = sorted(t for t, kind in _gazetteer().items() if kind == "person")
    assert sorted(listed) == person, "regenerate sql/views/005_v_person_title.sql from data/gazetteer/titles.tsv"
    assert len(listed) == len(set(listed))


def test_group_and_body_nouns_are_not_titles() -> None:
    kinds = _gazetteer()
    assert kinds["sides"] == "group" and kinds["ministry"] == "body" and kinds["army chief"] == "person"
