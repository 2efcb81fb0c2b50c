"""Bad input to every command: one line that says what is wrong (and the usage), never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.integration.cli.test_cli import run

#: (command line, what the error must say); ``{tmp}`` is a scratch directory.
BAD_INPUTS = [
    (["frobnicate"], "invalid choice"),
    (["setup", "--bogus"], "unrecognized arguments"),
    (["warehouse", "explode"], "invalid choice"),
    (["warehouse", "diagram", "--update", "{tmp}/no/such/dir/schema.md"], "No such file"),
    (["demo", "--serve", "--port", "http"], "not a whole number"),
    (["demo", "--serve", "--port", "70000"], "not a port number"),
    (["process"], "required"),
    (["process", "--start", "yesterday", "--end", "2025-01-01"], "not an ISO 8601 time"),
    (["process", "--start", "2025-01-02", "--end", "2025-01-01"], "must be after --start"),
    (["process", "--start", "2025-01-01", "--end", "2025-01-01"], "must be after --start"),
    (["process", "--start", "2025-01-01", "--end", "2025-01-02", "--step-hours", "-3"], "must be 0 or more"),
    (["import"], "required"),
    (["import", "warc"], "required"),
    (["import", "warc", "{tmp}/missing.warc.gz"], "no such file"),
    (["import", "warc", "{tmp}", "--start", "2025-01-01", "--end", "2025-02-01"], "not a file"),
    (["import", "warc", "{tmp}/empty.warc.gz", "--start", "2025-01-01"], "give both --start and --end"),
    (["import", "warc", "{tmp}/empty.warc.gz", "--start", "2025-02-01", "--end", "2025-01-01"], "must be after"),
    (["import", "sitemap", "not a url"], "not an http(s) URL"),
    (["import", "sitemap", "ftp://example.com/sitemap.xml"], "not an http(s) URL"),
    (["airflow", "fly"], "invalid choice"),
    (["airflow", "run"], "give the airflow command to run"),
    (["extract"], "give PATHs or --jsonl FILE"),
    (["extract", "{tmp}/missing.txt"], "no such file"),
    (["extract", "--jsonl", "{tmp}/missing.jsonl"], "no such file"),
    (["extract", "{tmp}/empty.warc.gz", "--published", "2025-13-01"], "not a date"),
    (["extract", "{tmp}/empty.warc.gz", "--format", "yaml"], "invalid choice"),
    (["poll", "--feeds", "{tmp}/missing.toml"], "no such file"),
    (["feeds", "list", "--feeds", "{tmp}/missing.toml"], "no such file"),
    (["feeds", "add"], "the following arguments are required: URL"),
    (["feeds", "list", "--live"], "unrecognized arguments: --live"),
    (["warehouse", "status", "--analyst"], "unrecognized arguments"),
    (["import", "sitemap", "http://10.1.2.3/sitemap.xml"], "refused by the SSRF guard"),
    (["feeds", "add", "http://example.com/feed", "--outlet", "x", "--interval", "soon"], "not a whole number"),
    (["feeds", "add", "http://169.254.169.254/latest/meta-data", "--outlet", "x", "--feeds", "{tmp}/f.toml"],
     "refused"),
    (["feeds", "check", "--feeds", "{tmp}/bad.toml"], "problems"),
]  # fmt: skip


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    (tmp_path / "empty.warc.gz").write_bytes(b"")
    (tmp_path / "bad.toml").write_text("[[feed]\nurl = 3\n")
    return tmp_path


@pytest.mark.parametrize(("argv", "said"), BAD_INPUTS, ids=[" ".join(a) for a, _ in BAD_INPUTS])
def test_bad_input_is_one_line_without_traceback(argv: list[str], said: str, scratch: Path, warehouse_dsn: str) -> None:
    result = run([a.replace("{tmp}", str(scratch)) for a in argv], warehouse_dsn, scratch)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output
    assert said in output, output
    errors = [line for line in result.stderr.splitlines() if "error" in line.lower()]
    assert len(errors) <= 2, result.stderr  # the error, and at most an argparse usage line mentioning it


def test_an_unreachable_warehouse_is_one_line_and_hides_its_password(scratch: Path) -> None:
    url = "postgresql://analyst:s3cr3t-pw@127.0.0.1:1/warehouse?connect_timeout=2"
    result = run(["warehouse", "status"], url, scratch)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "s3cr3t-pw" not in result.stdout + result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "cannot connect to the warehouse" in result.stderr and "analyst:***@" not in result.stdout


def test_extract_jsonl_reports_each_bad_record_and_codes_the_rest(tmp_path: Path, warehouse_dsn: str) -> None:
    good = {
        "id": "ruto",
        "date": "2025-03-06",
        "text": "Kenyan President William Ruto hosted Ethiopian Prime Minister Abiy Ahmed in Nairobi on Wednesday.",
    }
    later = {
        "id": "macron",
        "date": "2025-03-04T09:00:00Z",
        "text": "French President Emmanuel Macron met German Chancellor Olaf Scholz in Berlin on Monday.",
    }
    lines = [
        json.dumps(good).encode(),
        b'{"id": "cut", "text": "Ruto',
        json.dumps({"id": "bad-date", "text": "x", "date": "2025-13-45"}).encode(),
        json.dumps({"id": "no-text"}).encode(),
        b"[1, 2]",
        b"",
        b'{"id": "latin", "text": "caf\xe9"}',
        json.dumps(later).encode(),
    ]
    source = tmp_path / "docs.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    result = run(["extract", "--jsonl", str(source)], warehouse_dsn, tmp_path)
    assert result.returncode == 1  # not everything asked was done
    assert "Traceback" not in result.stderr
    refused = [line for line in result.stderr.splitlines() if "record skipped" in line]
    assert [line.split(":")[2] for line in refused] == ["2", "3", "4", "5", "7"]
    assert "not JSON" in refused[0] and "not a date" in refused[1] and '"text"' in refused[2]
    assert "not a JSON object" in refused[3] and "UTF-8" in refused[4]
    assert "5 bad records skipped" in result.stderr
    coded = {json.loads(line)["doc_id"] for line in result.stdout.splitlines()}
    assert coded == {"ruto", "macron"}  # the good records before and after the bad ones


def test_status_and_logs_hide_the_connection_password(scratch: Path, warehouse_dsn: str) -> None:
    with_password = f"{warehouse_dsn} password=s3cr3t-pw"  # the test server trusts local connections
    result = run(["warehouse", "status"], with_password, scratch)
    assert result.returncode == 0, result.stderr
    assert "s3cr3t-pw" not in result.stdout + result.stderr and "password=***" in result.stdout
