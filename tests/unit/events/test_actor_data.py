"""The actor tables in data/actors: well-formed, sorted, and right about a few people everyone knows.

These read the committed files only (no ../shared): they guard the hand-made people.tsv and the output of
communique/data/build_actors.py, whose conversion the spot checks at the end would catch going wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pycountry
import pytest

from communique.data.build_actors import (
    ACTORS_DIR,
    ORG_COLUMNS,
    PEOPLE_COLUMNS,
    Entry,
    parse_code,
    person_name,
    person_rows,
)

FILES = {
    "people.tsv": PEOPLE_COLUMNS,
    "people_2000s.tsv": PEOPLE_COLUMNS,
    "phoenix_people.tsv": PEOPLE_COLUMNS,
    "phoenix_organisations.tsv": ORG_COLUMNS,
}
ROOTS = {country.alpha_3 for country in pycountry.countries} | {"SUN", "YUG", "CSK", "DDR", "XKX", "IGO", "NGO", "IMG"}
OFFICES = {
    "head_of_state",
    "head_of_government",
    "foreign_minister",
    "defence_minister",
    "interior_minister",
    "finance_minister",
    "other_minister",
    "ambassador",
    "military_chief",
    "igo_head",
    "igo_official",
    "armed_group_leader",
    "party_leader",
    "speaker",
    "other",
    "",
}
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _table(filename: str) -> tuple[list[str], list[str], list[dict[str, str]]]:
    """(comment lines, column line, rows as dicts) of one file."""
    lines = (ACTORS_DIR / filename).read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "", "the file ends with a newline"
    comments = [line for line in lines[:-1] if line.startswith("#")]
    body = [line for line in lines[:-1] if not line.startswith("#")]
    columns = FILES[filename]
    rows = [dict(zip(columns, line.split("\t"), strict=False)) for line in body[1:]]
    return comments, body[:1], rows


def _raw_rows(filename: str) -> list[list[str]]:
    lines = (ACTORS_DIR / filename).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if not line.startswith("#")][1:]


def _earliest(text: str) -> dt.date:
    parts = [int(part) for part in text.split("-")] + [1, 1]
    return dt.date(*parts[:3])


def _latest(text: str) -> dt.date:
    year, month, day = ([int(part) for part in text.split("-")] + [12, 0])[:3]
    if day:
        return dt.date(year, month, day)
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def _covers(row: dict[str, str], day: str) -> bool:
    when = dt.date.fromisoformat(day)
    start_ok = not row["start"] or _earliest(row["start"]) <= when
    return start_ok and (not row["end"] or when <= _latest(row["end"]))


@pytest.mark.parametrize("filename", sorted(FILES))
def test_header_is_exact(filename: str) -> None:
    comments, columns, _rows = _table(filename)
    assert columns == ["\t".join(FILES[filename])]
    assert comments, "a comment header says what the file is"
    assert any("ource" in line for line in comments) and any("olumns" in line for line in comments)


@pytest.mark.parametrize("filename", sorted(FILES))
def test_every_row_has_all_fields(filename: str) -> None:
    width = len(FILES[filename])
    bad = [row for row in _raw_rows(filename) if len(row) != width]
    assert not bad, bad[:5]


@pytest.mark.parametrize("filename", sorted(FILES))
def test_codes_are_cameo_blocks_with_a_known_root(filename: str) -> None:
    _comments, _columns, rows = _table(filename)
    bad = [row["code"] for row in rows if not re.fullmatch(r"(?:[A-Z]{3})+", row["code"])]
    bad += [row["code"] for row in rows if row["code"][:3] not in ROOTS]
    assert not bad, sorted(set(bad))[:20]


@pytest.mark.parametrize("filename", sorted(FILES))
def test_dates_parse_and_start_is_not_after_end(filename: str) -> None:
    _comments, _columns, rows = _table(filename)
    for row in rows:
        for field in ("start", "end"):
            assert not row[field] or DATE.match(row[field]), row
            if row[field]:
                _earliest(row[field]), _latest(row[field])  # a real calendar date
        if row["start"] and row["end"]:
            assert _earliest(row["start"]) <= _latest(row["end"]), row


@pytest.mark.parametrize("filename", sorted(FILES))
def test_names_are_converted(filename: str) -> None:
    """No empty name, none left in Phoenix upper case (an organisation may be called by its initialism: IGAD)."""
    _comments, _columns, rows = _table(filename)
    for row in rows:
        name = row["name"]
        assert name.strip() == name and name, row
        initialism = filename == "phoenix_organisations.tsv" and re.fullmatch(r"[A-Z.&]{2,8}", name)
        assert name != name.upper() or initialism, row
        assert "_" not in name and "_" not in row["aliases"], row
        assert all(alias.strip() == alias and alias for alias in row["aliases"].split("|") if row["aliases"]), row


@pytest.mark.parametrize("filename", sorted(FILES))
def test_no_duplicate_rows(filename: str) -> None:
    counts = Counter(tuple(row) for row in _raw_rows(filename))
    assert not [row for row, count in counts.items() if count > 1]


@pytest.mark.parametrize("filename", sorted(FILES))
def test_rows_are_sorted_by_code_name_start(filename: str) -> None:
    _comments, _columns, rows = _table(filename)
    keys = [(row["code"], row["name"], row["start"]) for row in rows]
    assert keys == sorted(keys)


@pytest.mark.parametrize("filename", ["people.tsv", "people_2000s.tsv", "phoenix_people.tsv"])
def test_people_columns_hold_known_values(filename: str) -> None:
    _comments, _columns, rows = _table(filename)
    assert {row["office"] for row in rows} <= OFFICES
    prefix = "phoenix:" if filename.startswith("phoenix") else "team:"
    assert all(row["source"].startswith(prefix) for row in rows)


def test_the_2000s_table_holds_ended_terms_of_2000_to_2013_only() -> None:
    _comments, _columns, rows = _table("people_2000s.tsv")
    assert len(rows) > 1000
    assert all(row["end"] and _earliest(row["end"]) < dt.date(2014, 1, 1) for row in rows)
    assert all(_latest(row["end"]) >= dt.date(2000, 1, 1) for row in rows)


def test_open_ended_phoenix_codes_are_closed_by_2016() -> None:
    _comments, _columns, rows = _table("phoenix_people.tsv")
    open_ended = [row for row in rows if "open-ended in source" in row["note"]]
    assert open_ended
    assert all(row["end"] and row["end"] <= "2016-01-30" for row in open_ended)
    assert all(row["start"] or row["end"] or "undated" in row["note"] for row in rows)


# ---- spot checks from general knowledge


def _rows_of(filename: str, name: str, code: str) -> list[dict[str, str]]:
    _comments, _columns, rows = _table(filename)
    return [row for row in rows if name in {row["name"], *row["aliases"].split("|")} and row["code"] == code]


@pytest.mark.parametrize(
    ("filename", "name", "code", "day"),
    [
        ("phoenix_people.tsv", "Benjamin Netanyahu", "ISRGOV", "2010-06-01"),
        ("phoenix_people.tsv", "Kofi Annan", "IGOUNO", "2004-07-01"),
        ("phoenix_people.tsv", "Boutros Boutros-Ghali", "IGOUNO", "1994-01-01"),
        ("phoenix_people.tsv", "Ban Ki-moon", "IGOUNO", "2010-01-01"),
        ("phoenix_people.tsv", "George W. Bush", "USAGOV", "2005-01-01"),
        ("phoenix_people.tsv", "Hosni Mubarak", "EGYGOV", "2005-01-01"),
        ("people.tsv", "Abdel Fattah el-Sisi", "EGYGOV", "2020-01-01"),
        ("people.tsv", "Donald Trump", "USAGOV", "2018-01-01"),
        ("people.tsv", "Donald Trump", "USAGOV", "2025-06-01"),
        ("people.tsv", "Vladimir Putin", "RUSGOV", "2020-01-01"),
        ("people.tsv", "Xi Jinping", "CHNGOV", "2020-01-01"),
        ("people.tsv", "Ayman al-Zawahiri", "IMGALQ", "2015-01-01"),
        ("people_2000s.tsv", "Jacques Chirac", "FRAGOV", "2004-10-01"),
        ("people_2000s.tsv", "Ariel Sharon", "ISRGOV", "2004-10-01"),
        ("people_2000s.tsv", "Tony Blair", "GBRGOV", "2004-10-01"),
        ("people_2000s.tsv", "Kofi Annan", "IGOUNO", "2004-10-01"),
        ("people_2000s.tsv", "Junichiro Koizumi", "JPNGOV", "2004-10-01"),
        ("people_2000s.tsv", "Luiz Inacio Lula da Silva", "BRAGOV", "2004-10-01"),
    ],
)
def test_known_office_holders(filename: str, name: str, code: str, day: str) -> None:
    assert any(_covers(row, day) for row in _rows_of(filename, name, code)), (name, code, day)


@pytest.mark.parametrize(
    ("name", "code_prefix", "day"),
    [
        ("Barack Obama", "USA", "2017-01-21"),
        ("Donald Trump", "USA", "2022-01-01"),
        ("Angela Merkel", "DEU", "2022-06-01"),
    ],
)
def test_people_out_of_office_have_no_government_row(name: str, code_prefix: str, day: str) -> None:
    _comments, _columns, rows = _table("people.tsv")
    mine = [row for row in rows if row["name"] == name and row["code"].startswith(code_prefix)]
    assert mine, name
    assert not [row for row in mine if "GOV" in row["code"] and _covers(row, day)]


def test_phoenix_titles_are_not_left_in_aliases() -> None:
    _comments, _columns, rows = _table("phoenix_people.tsv")
    titled = re.compile(r"\b(President|Prime Minister|Secretary-General|Foreign Minister|King|General)\b")
    assert not [row["aliases"] for row in rows if titled.search(row["aliases"])][:5]
    netanyahu = _rows_of("phoenix_people.tsv", "Benjamin Netanyahu", "ISRGOV")
    assert all("Netanyahu" in row["aliases"].split("|") and row["title"] == "Prime Minister" for row in netanyahu)


def test_team_table_keeps_transnational_groups_whole() -> None:
    _comments, _columns, rows = _table("people.tsv")
    codes = {row["code"] for row in rows}
    assert {"IMGISL", "IMGALQ", "IGOUNO"} <= codes
    assert not [code for code in codes if code.startswith(("IGO", "IMG")) and code.endswith(("GOV", "REB"))]


@pytest.mark.parametrize(
    ("phrase", "style", "expected"),
    [
        ("BENJAMIN_NETANYAHU_", "", "Benjamin Netanyahu"),
        ("B._LYNN_PASCOE_", "", "B. Lynn Pascoe"),
        ("MUHAMMAD_AL-BARADEI_", "", "Muhammad al-Baradei"),
        ("JOHN_MCCAIN", "", "John McCain"),
        ("PETER_MACKAY", "", "Peter MacKay"),
        ("THOMAS_P._O'NEILL", "", "Thomas P. O'Neill"),
        ("URSULA_VON_DER_LEYEN", "", "Ursula von der Leyen"),
        ("FAHD_BIN_ABD_AL_AZIZ", "", "Fahd bin Abd al Aziz"),
        ("BAN_KI-MOON", "korean", "Ban Ki-moon"),
        ("TRAN_VAN_TUAN", "vietnamese", "Tran Van Tuan"),
        ("JOHN_PAUL_II", "", "John Paul II"),
        ("JFK", "", "JFK"),
    ],
)
def test_person_names_are_proper_cased(phrase: str, style: str, expected: str) -> None:
    assert person_name(phrase, style) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ISRGOV 960618-990706", ("ISRGOV", "1996-06-18", "1999-07-06", False)),
        ("ISRGOV >090401", ("ISRGOV", "2009-04-01", "", True)),
        ("USAELI 19000101-330304", ("USAELI", "1900-01-01", "1933-03-04", False)),
        ("HTIOPPMED <061231", ("HTIOPPMED", "", "2006-12-31", False)),
        ("ISRELI", ("ISRELI", "", "", False)),
        ("KSVGOV > 080109", ("XKXGOV", "2008-01-09", "", True)),
        ("KORGOVBUS 2004017-20061201", None),
        ("EGYGOV 20121207-20120802", None),
        ("---", None),
    ],
)
def test_phoenix_codes_are_read_or_counted(raw: str, expected: tuple[str, str, str, bool] | None) -> None:
    stats: Counter[str] = Counter()
    code = parse_code(raw, stats)
    if expected is None:
        assert code is None and sum(stats.values()) == 1
        return
    assert code is not None
    start, end = code.start.isoformat() if code.start else "", code.end.isoformat() if code.end else ""
    assert (code.code, start, end, code.open_end) == expected


def _entry(name: str, aliases: list[str], codes: list[str]) -> Entry:
    return Entry("Countries", 1, [name], aliases, codes, [""] * len(codes), [" CountryInfo.txt"])


def test_a_common_word_alias_is_kept_only_for_a_top_office() -> None:
    stats: Counter[str] = Counter()
    codes = [parse_code(raw, stats) for raw in ["USAELI 460706-010120", "USAGOV 010120-090120"]]
    bush = _entry("GEORGE_W._BUSH_", ["BUSH", "PRESIDENT_GEORGE_W._BUSH", "GEORGE_WALKER_BUSH"], [])
    rows = person_rows(bush, [code for code in codes if code], [], stats)
    assert [row[1] for row in rows] == ["George W. Bush", "George W. Bush"]
    assert all(row[2] == "George Walker Bush|Bush" and "common-word alias" in row[8] for row in rows)
    assert [(row[0], row[3], row[4]) for row in rows] == [("USAELI", "", ""), ("USAGOV", "President", "head_of_state")]
    rice = _entry("JOHN_RICE_", ["RICE", "AMBASSADOR_JOHN_RICE"], [])
    rows = person_rows(rice, [code for code in [parse_code("USAELI 460706-010120", stats)] if code], [], stats)
    assert rows[0][2] == "" and rows[0][8] == ""
    assert stats["aliases dropped: common English word, no top office"] == 1


def test_notice_names_source_licence_and_commit() -> None:
    notice = (ACTORS_DIR / "NOTICE.md").read_text(encoding="utf-8")
    assert "676801cd9cb2924bbbad09f86d15c9323e7097bf" in notice
    assert "Permission is hereby granted, free of charge" in notice
    assert "build_actors" in notice


def test_files_live_in_the_package() -> None:
    assert Path(ACTORS_DIR).is_dir() and ACTORS_DIR.name == "actors"
