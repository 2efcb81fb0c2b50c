"""``communique extract``: code the diplomatic events of text or HTML files."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from communique.cli import arguments
from communique.models import Event


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


class BadRecords:
    """The JSONL records that were refused: each one reported on stderr with its line number."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.count = 0

    def refuse(self, number: int, reason: str) -> None:
        self.count += 1
        print(f"communique extract: {self.source}:{number}: {reason}; record skipped", file=sys.stderr)


def jsonl_documents(lines: Iterable[bytes], bad: BadRecords) -> Iterator[tuple[str, str, date | None]]:
    """``(doc_id, text, published)`` of each good line; every bad one is refused with its line number."""
    for number, raw in enumerate(lines, 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad.refuse(number, f"not UTF-8 ({exc.reason} at byte {exc.start})")
            continue
        if not line.strip():
            continue
        document, reason = _document(line, number)
        if document is None:
            bad.refuse(number, reason)
        else:
            yield document


def _document(line: str, number: int) -> tuple[tuple[str, str, date | None] | None, str]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"not JSON ({exc.msg} at column {exc.colno})"
    if not isinstance(record, dict):
        return None, f"not a JSON object but {type(record).__name__}"
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return None, 'no "text" (a non-empty string)'
    published, readable = _record_date(record.get("date"))
    if not readable:
        return None, f'"date" is not a date (YYYY-MM-DD): {record.get("date")!r}'
    doc_id = record.get("id", number)
    if not isinstance(doc_id, str | int) or isinstance(doc_id, bool):
        return None, f'"id" must be a string or a number, not {type(doc_id).__name__}'
    return (str(doc_id), text, published), ""


def _record_date(value: object) -> tuple[date | None, bool]:
    """The record's date (an ISO date, or the day of an ISO time; None when absent), and whether it was readable."""
    from datetime import datetime

    if value is None or value == "":
        return None, True
    if not isinstance(value, str):
        return None, False
    try:
        return date.fromisoformat(value), True
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date(), True
    except ValueError:
        return None, False


def _read_documents(args: argparse.Namespace, bad: BadRecords) -> Iterator[tuple[str, str, date | None]]:
    """Yield ``(doc_id, text, published)`` for the extract command's inputs."""
    if args.jsonl:
        if args.jsonl == "-":
            yield from jsonl_documents(sys.stdin.buffer, bad)
            return
        with Path(args.jsonl).open("rb") as handle:
            yield from jsonl_documents(handle, bad)
        return
    from communique.articles.htmlprocessing import main_text

    for file in args.paths:
        raw = file.read_text(encoding="utf-8", errors="replace")
        text = main_text(raw) if file.suffix.lower() in {".html", ".htm"} else raw
        yield args.url or str(file), text, args.published


def _print_table(events: list[Event], out: TextIO) -> None:
    header = f"{'date':<10}  {'type':<13} {'code':<5} {'source':<28} {'target':<28} evidence"
    print(header, file=out)
    print("-" * len(header), file=out)
    for event in events:
        source = f"{event.source.name} ({event.source.cameo})"[:28]
        target = f"{event.target.name} ({event.target.cameo})"[:28]
        sentence = event.evidence.sentence.replace("\n", " ")
        print(
            f"{event.event_date.isoformat():<10}  {event.event_type:<13} {event.cameo_code:<5} "
            f"{source:<28} {target:<28} {sentence[:80]}",
            file=out,
        )


def cmd_extract(args: argparse.Namespace) -> int:
    """Code the events of files or a JSONL stream and print them."""
    from communique.events.extractor import EventExtractor
    from communique.settings import load_settings

    bad = BadRecords("stdin" if args.jsonl == "-" else str(args.jsonl or ""))
    settings = load_settings()
    extractor = EventExtractor(
        model_name=args.model or settings.spacy_model, without=settings.extractor_without,
        people_dir=settings.actors_dir,
    )  # fmt: skip
    collected: list[Event] = []
    for _doc_id, events in extractor.extract_many(_read_documents(args, bad)):
        if args.format == "json":
            for event in events:
                print(json.dumps(event.to_json(), ensure_ascii=False), flush=False)
        else:
            collected.extend(events)
    if args.format == "table":
        _print_table(collected, sys.stdout)
    if bad.count:
        print(f"communique extract: {bad.count} bad records skipped", file=sys.stderr)
        return 1
    return 0


def add_commands(commands: Any) -> None:
    """Register ``extract`` on the ``communique`` parser."""
    extract = commands.add_parser("extract", help="code diplomatic events in text or HTML files")
    extract.add_argument("paths", nargs="*", metavar="PATH", type=arguments.existing_file,
                         help=".html/.htm files are cleaned first")  # fmt: skip
    extract.add_argument("--jsonl", metavar="FILE", type=arguments.file_or_stdin,
                         help='JSON lines {"id", "text", "date"}; "-" for stdin')  # fmt: skip
    extract.add_argument("--published", type=_parse_date, help="publication date of the PATHs (YYYY-MM-DD)")
    extract.add_argument("--url", help="URL to report as the doc_id of the PATHs")
    extract.add_argument("--format", choices=("json", "table"), default="json")
    extract.add_argument("--model", help="spaCy model package (default: settings)")
    extract.set_defaults(func=cmd_extract)
