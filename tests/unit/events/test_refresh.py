"""``communique actors refresh`` against a hand-made SPARQL answer served on loopback (fixtures' SOURCES.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from communique.cli.main import main
from communique.errors import FetchError, ParseError
from communique.events.extractor import EventExtractor
from communique.events.refresh import SPARQL_QUERY, format_changes, parse_results, read_snapshot, refresh_actors
from communique.settings import Settings
from tests.support.http_server import LocalHTTPServer, Reply
from tests.support.loopback import loopback_only
from tests.support.paths import REPO_ROOT

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "wikidata"
JSON_TYPE = {"Content-Type": "application/sparql-results+json; charset=utf-8"}


def _answer(name: str) -> Reply:
    return Reply(body=(FIXTURES / name).read_bytes(), headers=JSON_TYPE)


@pytest.fixture
def server() -> Iterator[LocalHTTPServer]:
    with loopback_only(), LocalHTTPServer() as running:
        running.route("/sparql", _answer("office_holders_earlier.json"), _answer("office_holders.json"))
        yield running


def _settings(server: LocalHTTPServer, home: Path) -> Settings:
    base = Settings()
    http = replace(base.http, allowed_origins=(server.origin,), max_retries=0)
    return replace(base, home=home, wikidata_sparql_url=server.url("/sparql"), http=http)


def test_the_answer_becomes_terms_with_cameo_codes_offices_and_titles() -> None:
    terms, skipped = parse_results(json.loads((FIXTURES / "office_holders.json").read_text(encoding="utf-8")))
    by_name = {(t.name, t.start): t for t in terms}
    assert len(terms) == 7
    modi = by_name["Narendra Modi", "2014-05-26"]
    assert (modi.code, modi.office, modi.title, modi.end) == ("INDGOV", "head_of_government", "Prime Minister", "")
    assert modi.aliases == ("Modi", "Narendra Damodardas Modi", "NaMo")  # no other script, no number
    assert by_name["António Guterres", "2017-01-01"].code == "IGOUNO"
    assert by_name["António Guterres", "2017-01-01"].title == "Secretary-General"
    ended = by_name["Petar Ohridski", "2024-06-23"]
    assert (ended.code, ended.office, ended.end) == ("MKDGOV", "foreign_minister", "2026-06-12")  # the later end
    defence = by_name["Rowan Ashcombe-Pryce", "2026-09-01"]  # "Secretary of State for Defence": the label says it
    assert (defence.code, defence.office, defence.title) == ("GBRGOV", "defence_minister", "Defence Minister")
    assert by_name["Donald Trump", "2025-01-20"].source == "wikidata:Q22686"
    assert skipped == {"not the office itself": 1, "no English name": 1, "body not in the gazetteer": 1,
                       "no start date": 1}  # fmt: skip


def test_refresh_writes_a_dated_snapshot_and_says_what_changed(server: LocalHTTPServer, tmp_path: Path) -> None:
    settings = _settings(server, tmp_path)
    first = refresh_actors(settings, datetime(2026, 11, 1, 8, 0, tzinfo=UTC))
    assert first.path == tmp_path / "actors" / "wikidata-2026-11-01.tsv"
    assert first.previous is None and len(first.changes.added) == 4

    second = refresh_actors(settings, datetime(2026, 12, 7, 8, 0, tzinfo=UTC))
    assert second.path == tmp_path / "actors" / "wikidata-2026-12-07.tsv"
    assert second.previous == first.path and first.path.is_file()  # the old one stays, the newest is used
    changes = second.changes
    assert {t.name for t in changes.added} == {"Donald Trump", "Ilinka Zvezdarova", "Rowan Ashcombe-Pryce",
                                               "António Guterres"}  # fmt: skip
    assert [(old.end, new.end) for old, new in changes.ended] == [("", "2026-06-12")]
    assert [t.name for t in changes.removed] == ["Stojan Belicanec"]
    lines = format_changes(second)
    assert lines[0] == f"wrote {second.path} (7 office terms of 6 people)"
    assert lines[1] == "against wikidata-2026-11-01.tsv: 4 new, 1 ended, 0 changed, 1 no longer listed"
    assert "+ MKDGOV    Ilinka Zvezdarova (Foreign Minister, foreign_minister) from 2026-06-12" in lines
    assert any(line.startswith("x MKDGOV    Petar Ohridski") and line.endswith("until 2026-06-12 (ended)")
               for line in lines)  # fmt: skip
    assert "- MKDGOV    Stojan Belicanec (Defence Minister, defence_minister) from 2024-06-23" in lines

    text = second.path.read_text(encoding="utf-8")
    assert text.startswith("# wikidata-2026-12-07.tsv: office holders") and "Wikidata (CC0)" in text
    assert {t.name for t in read_snapshot(second.path)} == {t.name for t in changes.added} | {
        "Narendra Modi", "Petar Ohridski"}  # fmt: skip

    request = server.requests[-1]
    assert request.headers["user-agent"] == settings.http.user_agent
    assert "sparql-results+json" in request.headers["accept"]
    assert parse_qs(request.query) == {"query": [SPARQL_QUERY], "format": ["json"]}
    assert server.hits("/robots.txt") == 0  # an API call the user asked for, not crawling


def test_an_unusable_answer_writes_nothing(tmp_path: Path) -> None:
    with loopback_only(), LocalHTTPServer() as server:
        server.route("/sparql", Reply(body=b'{"head": {"vars": []}, "results": {"bindings": []}}', headers=JSON_TYPE))
        server.route("/html", Reply.text("<html>maintenance</html>", "text/html"))
        server.route("/down", Reply(status=503))
        settings = _settings(server, tmp_path)
        with pytest.raises(ParseError, match="no office term"):
            refresh_actors(settings, datetime(2026, 12, 7, tzinfo=UTC))
        with pytest.raises(ParseError, match="not JSON"):
            refresh_actors(replace(settings, wikidata_sparql_url=server.url("/html")), datetime.now(UTC))
        with pytest.raises(FetchError):
            refresh_actors(replace(settings, wikidata_sparql_url=server.url("/down")), datetime.now(UTC))
        server.route("/big", _answer("office_holders.json"))
        small = replace(
            settings, wikidata_sparql_url=server.url("/big"), http=replace(settings.http, max_data_bytes=1000)
        )
        with pytest.raises(FetchError, match="too_large"):
            refresh_actors(small, datetime.now(UTC))  # the data cap holds
    assert not (tmp_path / "actors").exists()


def test_the_guard_refuses_a_loopback_endpoint_unless_its_origin_is_allowed(tmp_path: Path) -> None:
    with loopback_only(), LocalHTTPServer() as server:
        server.route("/sparql", _answer("office_holders.json"))
        settings = replace(_settings(server, tmp_path), http=Settings().http)
        with pytest.raises(FetchError):
            refresh_actors(settings, datetime(2026, 12, 7, tzinfo=UTC))
        assert server.hits("/sparql") == 0


def test_the_extractor_resolves_names_through_the_newest_snapshot(
    server: LocalHTTPServer, tmp_path: Path, extractor: EventExtractor
) -> None:
    settings = _settings(server, tmp_path)
    text = "Zvezdarova praised Japan."
    assert extractor.extract("t", text, date(2026, 8, 1)) == []  # the bundled tables do not know her

    refresh_actors(settings, datetime(2026, 11, 1, tzinfo=UTC))
    refresh_actors(settings, datetime(2026, 12, 7, tzinfo=UTC))
    refreshed = EventExtractor(people_dir=settings.actors_dir)
    events = refreshed.extract("t", text, date(2026, 8, 1))
    assert {(e.cameo_code, e.source.cameo, e.target.cameo) for e in events} == {("051", "MKDGOV", "JPN")}
    assert events[0].source.name == "Ilinka Zvezdarova"
    assert refreshed.version == f"{extractor.version}+wikidata-2026-12-07"
    before_her_term = refreshed.extract("t", text, date(2026, 5, 1))
    assert before_her_term == []  # terms are dated: she was not minister yet


def test_no_snapshot_is_needed() -> None:
    """A missing or empty folder gives the bundled tables: the pipeline runs without a refresh."""
    from communique.events.people import load_people

    assert load_people(Path("/nonexistent/actors")).digest == load_people().digest


def test_the_command_prints_the_changes(
    server: LocalHTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COMMUNIQUE_HOME", str(tmp_path))
    monkeypatch.setenv("COMMUNIQUE_WIKIDATA_SPARQL_URL", server.url("/sparql"))
    monkeypatch.setenv("COMMUNIQUE_ALLOWED_ORIGINS", server.origin)
    assert main(["actors", "refresh"]) == 0
    assert main(["actors", "refresh", "--limit", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("wrote ") and "(4 office terms of 4 people)" in out[0]
    assert "+ ... and 3 more" in out
    assert sorted(p.name for p in (tmp_path / "actors").iterdir()) == [f"wikidata-{datetime.now(UTC).date()}.tsv"]
