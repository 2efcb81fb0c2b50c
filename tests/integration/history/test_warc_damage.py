"""WARC imports keep what is good: damaged records are skipped with a reason, truncated ones never land,
and every file is its own unit."""

from __future__ import annotations

import io
from pathlib import Path

from communique.history import warc
from communique.settings import Settings
from communique.warehouse import database
from tests.integration.cli.test_cli import run

PAGE = "<html><head><title>Story {n}</title></head><body><article><p>{text}</p></article></body></html>"
TEXT = "Kenyan President William Ruto hosted Ethiopian Prime Minister Abiy Ahmed in Nairobi on Wednesday. " * 5


def write_pages(path: Path, count: int, *, compressed: bool = True, first: int = 0) -> list[int]:
    """A WARC of ``count`` HTML responses (https://news.example/story-N); returns each record's offset."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compressed)
    offsets = []
    for n in range(first, first + count):
        offsets.append(out.tell())
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        body = PAGE.format(n=n, text=f"Story {n}. {TEXT}").encode()
        writer.write_record(writer.create_warc_record(
            f"https://news.example/story-{n}", "response", payload=io.BytesIO(body), http_headers=headers,
            warc_headers_dict={"WARC-Date": "2019-11-21T08:00:00Z"},
        ))  # fmt: skip
    path.write_bytes(out.getvalue())
    return offsets


def _damage(path: Path, offset: int, garbage: bytes) -> None:
    data = bytearray(path.read_bytes())
    data[offset : offset + len(garbage)] = garbage
    path.write_bytes(bytes(data))


def _landed(dsn: str) -> dict[str, int]:
    with database.connect(dsn) as conn:
        return dict(conn.execute("SELECT url, html_bytes FROM raw_article").fetchall())


def test_a_damaged_gzip_record_is_skipped_and_the_rest_lands(tmp_path: Path, warehouse_dsn: str) -> None:
    archive = tmp_path / "news.warc.gz"
    offsets = write_pages(archive, 24)
    _damage(archive, offsets[8] + 40, b"\x00" * 24)  # inside the 9th record's compressed data
    result = warc.import_warc(Settings(home=tmp_path), warehouse_dsn, [archive])
    assert result.counts["landed"] == 23 and result.counts["failed"] == 1
    assert result.skipped == {"corrupt_record": 1}
    assert "https://news.example/story-8" not in _landed(warehouse_dsn)
    assert "https://news.example/story-23" in _landed(warehouse_dsn)


def test_a_broken_header_in_a_plain_warc_is_skipped_and_the_rest_lands(tmp_path: Path, warehouse_dsn: str) -> None:
    archive = tmp_path / "news.warc"
    offsets = write_pages(archive, 12, compressed=False)
    _damage(archive, offsets[5], b"XXXX")  # "WARC/1.0" -> "XXXX/1.0"
    result = warc.import_warc(Settings(home=tmp_path), warehouse_dsn, [archive])
    assert result.counts["landed"] == 11 and result.skipped == {"corrupt_record": 1}


def test_a_truncated_record_never_lands_and_a_complete_copy_does_later(tmp_path: Path, warehouse_dsn: str) -> None:
    complete = tmp_path / "complete.warc.gz"
    write_pages(complete, 5)
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(complete.read_bytes()[:-60])  # the download stopped inside the last record
    result = warc.import_warc(Settings(home=tmp_path), warehouse_dsn, [cut])
    assert result.counts["landed"] == 4 and result.skipped == {"truncated": 1} and result.counts["failed"] == 1
    assert "https://news.example/story-4" not in _landed(warehouse_dsn)

    again = warc.import_warc(Settings(home=tmp_path), warehouse_dsn, [complete])
    assert again.counts["landed"] == 1 and again.counts["known"] == 4 and again.counts["failed"] == 0
    sizes = _landed(warehouse_dsn)
    assert sizes["https://news.example/story-4"] == sizes["https://news.example/story-3"]  # the whole page


def test_each_file_is_its_own_unit_and_the_command_says_what_failed(tmp_path: Path, warehouse_dsn: str) -> None:
    good, garbage, other = tmp_path / "good.warc.gz", tmp_path / "garbage.warc.gz", tmp_path / "other.warc.gz"
    write_pages(good, 6)
    garbage.write_bytes(b"<html>this is not an archive</html>\n" * 100)
    write_pages(other, 4, first=100)
    result = run(["import", "warc", str(good), str(garbage), str(other)], warehouse_dsn, tmp_path)
    assert result.returncode == 1, result.stderr  # something failed: say so
    assert "Traceback" not in result.stderr
    assert "10 landed" in result.stdout and "1 not warc" in result.stdout and "1 failed" in result.stdout
    assert len(_landed(warehouse_dsn)) == 10

    rerun = run(["import", "warc", str(good), str(other)], warehouse_dsn, tmp_path)
    assert rerun.returncode == 0 and "10 known" in rerun.stdout
