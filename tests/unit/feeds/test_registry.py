"""The feed registry: the checked-in list, validation messages that name the entry, add/save."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from communique.errors import ConfigError
from communique.feeds.registry import (
    DEFAULT_FEEDS_FILE,
    add_feed,
    check_feeds,
    dump_feeds,
    load_feeds,
    normalise_url,
    save_feeds,
    validate_feed,
)
from communique.models import FeedSpec
from communique.settings import HttpSettings

GOOD = """\
# my feeds
[[feed]]
url = "https://news.example/world/rss.xml"
outlet = "News Example"
name = "World"
language = "en"
country = "GBR"
poll_interval_minutes = 30
enabled = true
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_default_list_is_valid() -> None:
    specs = load_feeds(DEFAULT_FEEDS_FILE)
    enabled = [s for s in specs if s.enabled]
    assert 20 <= len(specs) <= 40 and len(enabled) >= 20
    assert all(s.language == "en" for s in specs)
    assert all(s.url.startswith("https://") for s in specs)
    assert len({s.url for s in specs}) == len(specs)
    assert len({s.outlet for s in specs}) >= 20
    assert {"BBC News", "Al Jazeera English", "Deutsche Welle", "UN News", "NPR"} <= {s.outlet for s in specs}


def test_a_good_file_loads(tmp_path: Path) -> None:
    (spec,) = load_feeds(write(tmp_path, GOOD))
    assert spec == FeedSpec(
        url="https://news.example/world/rss.xml",
        outlet="News Example",
        name="World",
        language="en",
        country="GBR",
        poll_interval_minutes=30,
        enabled=True,
    )


def test_defaults_apply(tmp_path: Path) -> None:
    (spec,) = load_feeds(write(tmp_path, '[[feed]]\nurl = "HTTPS://News.Example/rss#top"\noutlet = "N"\n'))
    assert spec.url == "https://news.example/rss"
    assert (spec.language, spec.country, spec.poll_interval_minutes, spec.enabled) == ("en", None, 60, True)


@pytest.mark.parametrize(
    ("line", "field", "fragment"),
    [
        ('url = "ftp://news.example/rss"', "url", "not an http(s) URL"),
        ('url = "https:///rss"', "url", "no host"),
        ('url = "https://user:pw@news.example/rss"', "url", "credentials"),
        ('country = "UK"', "country", "alpha-3"),
        ('country = "XYZ"', "country", "not an ISO 3166-1 alpha-3"),
        ("country = 826", "country", "alpha-3"),
        ('language = "english"', "language", "not an ISO 639"),
        ('language = "en-GBR"', "language", "region"),
        ("poll_interval_minutes = 1", "poll_interval_minutes", "outside 5..10080"),
        ('poll_interval_minutes = "60"', "poll_interval_minutes", "whole number"),
        ("poll_interval_minutes = true", "poll_interval_minutes", "whole number"),
        ('enabled = "yes"', "enabled", "true or false"),
        ('outlet = ""', "outlet", "must not be empty"),
        ('colour = "red"', "unknown field 'colour'", ""),
    ],
)
def test_bad_entries_are_named(tmp_path: Path, line: str, field: str, fragment: str) -> None:
    second = '[[feed]]\nurl = "https://two.example/rss"\noutlet = "Two"\n'
    key = line.split(" = ", maxsplit=1)[0]
    bad = "\n".join(row for row in second.splitlines() if not row.startswith(f"{key} =")) + f"\n{line}\n"
    path = write(tmp_path, GOOD + "\n" + bad)
    with pytest.raises(ConfigError) as caught:
        load_feeds(path)
    message = str(caught.value)
    assert f"{path}: feed #2" in message
    assert field in message and fragment in message
    if key != "url":
        assert "(https://two.example/rss)" in message
    specs, problems = check_feeds(path)
    assert [s.outlet for s in specs] == ["News Example"] and len(problems) == 1


def test_missing_required_fields_and_duplicates(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + '\n[[feed]]\nname = "nameless"\n\n' + GOOD.replace("# my feeds\n", ""))
    _, problems = check_feeds(path)
    assert any("feed #2: url: missing" in p for p in problems)
    assert any("feed #2: outlet: missing" in p for p in problems)
    assert any("feed #3 (https://news.example/world/rss.xml): url: duplicate of feed #1" in p for p in problems)


def test_lenient_loading_keeps_the_good_entries(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = write(tmp_path, GOOD + '\n[[feed]]\nurl = "https://two.example/rss"\noutlet = "Two"\ncountry = "ZZZ"\n')
    assert [s.outlet for s in load_feeds(path, strict=False)] == ["News Example"]
    assert "feed #2 (https://two.example/rss): country" in caplog.text


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[[feed]\nurl = 1", "not valid TOML"),
        ('feed = "x"', "array of tables"),
        (GOOD + "\n[settings]\nx = 1\n", "unknown top-level key 'settings'"),
    ],
)
def test_broken_files(tmp_path: Path, text: str, fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        load_feeds(write(tmp_path, text))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_feeds(tmp_path / "absent.toml")


def test_language_tags_are_normalised() -> None:
    spec, problems = validate_feed({"url": "https://x.example/", "outlet": "X", "language": "PT_br"}, where="t")
    assert problems == [] and spec is not None and spec.language == "pt-BR"


def test_add_feed_appends_and_keeps_comments(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    added = add_feed(path, FeedSpec(url="https://Two.example/rss", outlet='Two "Quoted" \\ News', country="fra"))
    assert added.url == "https://two.example/rss" and added.country == "FRA"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# my feeds\n")
    assert [s.outlet for s in load_feeds(path)] == ["News Example", 'Two "Quoted" \\ News']
    with pytest.raises(ConfigError, match="already listed"):
        add_feed(path, FeedSpec(url="https://two.example/rss", outlet="Again"))
    with pytest.raises(ConfigError, match="country"):
        add_feed(path, FeedSpec(url="https://three.example/rss", outlet="Three", country="Nowhere"))


def test_add_feed_creates_the_file(tmp_path: Path) -> None:
    path = tmp_path / "new" / "feeds.toml"
    add_feed(path, FeedSpec(url="https://x.example/rss", outlet="X"))
    assert [s.url for s in load_feeds(path)] == ["https://x.example/rss"]


def test_save_and_dump_round_trip(tmp_path: Path) -> None:
    specs = load_feeds(DEFAULT_FEEDS_FILE)
    path = tmp_path / "copy.toml"
    save_feeds(path, specs, header="copied\nfor a test")
    assert load_feeds(path) == specs
    assert path.read_text(encoding="utf-8").startswith("# copied\n# for a test\n")
    tomllib.loads(dump_feeds([FeedSpec(url="https://x.example/", outlet="tab\there\nnewline\x01")]))


def test_normalise_url() -> None:
    assert normalise_url(" HTTPS://News.Example:443/World/RSS?x=1#frag ") == "https://news.example:443/World/RSS?x=1"
    assert normalise_url("http://n.example") == "http://n.example/"


# --- feeds add: the URL is checked at once, as the fetcher would ------------------------------------

GUARDED = HttpSettings()


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("http://169.254.169.254/latest/meta-data/", "cloud metadata address refused"),
        ("http://10.0.0.1/feed", "private address refused"),
        ("http://127.0.0.1:8080/feed", "loopback address refused"),
        ("http://[::1]/feed", "loopback address refused"),
        ("http://[::ffff:0:a00:1]/feed", "ipv4 translated:private address refused"),
        ("http://localhost:9/feed", "localhost resolves to"),
        ("http://bad host.example/feed", "white space"),
        ("http://news.example/" + "a" * 5_000, "longer than 2048 characters"),
        ("http://-bad-.example/feed", "not a valid host name"),
        ("http://news.example:99999/feed", "not a valid URL"),
        ("ftp://news.example/feed", "not an http(s) URL"),
        ("http:///feed", "has no host"),
    ],
)
def test_add_feed_refuses_what_the_fetcher_would_refuse_at_poll_time(tmp_path: Path, url: str, fragment: str) -> None:
    path = tmp_path / "feeds.toml"
    with pytest.raises(ConfigError, match=re.escape(fragment)):
        add_feed(path, FeedSpec(url=url, outlet="X"), GUARDED)
    assert not path.exists()


def test_add_feed_allows_what_the_fetcher_settings_allow(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    demo = HttpSettings(allowed_origins=("http://127.0.0.1:8765",))
    add_feed(path, FeedSpec(url="http://127.0.0.1:8765/feeds/world.xml", outlet="Demo"), demo)
    add_feed(path, FeedSpec(url="http://10.0.0.1/feed", outlet="Intranet"), HttpSettings(allow_private_addresses=True))
    add_feed(path, FeedSpec(url="http://93.184.216.34/feed", outlet="Public"), GUARDED)
    with pytest.raises(ConfigError, match="loopback"):  # another port of the allowed host is not allowed
        add_feed(path, FeedSpec(url="http://127.0.0.1:8766/feed", outlet="Other"), demo)
    assert len(load_feeds(path)) == 3
