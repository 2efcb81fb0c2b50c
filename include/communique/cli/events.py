"""``communique extract``: code the diplomatic events of text or HTML files."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from communique.models import Event


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def _read_documents(args: argparse.Namespace) -> Iterator[tuple[str, str, date | None]]:
    """Yield ``(doc_id, text, published)`` for the extract command's inputs."""
    if args.jsonl:
        handle = sys.stdin if args.jsonl == "-" else Path(args.jsonl).open(encoding="utf-8")  # noqa: SIM115
        with handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                record = json.loads(line)
                published = _parse_date(record["date"]) if record.get("date") else None
                yield str(record.get("id", number)), record["text"], published
        return
    from communique.articles.htmlprocessing import main_text

    for path in args.paths:
        file = Path(path)
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

    settings = load_settings()
    extractor = EventExtractor(model_name=args.model or settings.spacy_model, without=settings.extractor_without)
    collected: list[Event] = []
    for _doc_id, events in extractor.extract_many(_read_documents(args)):
        if args.format == "json":
            for event in events:
                print(json.dumps(event.to_json(), ensure_ascii=False), flush=False)
        else:
            collected.extend(events)
    if args.format == "table":
        _print_table(collected, sys.stdout)
    return 0


def add_commands(commands: Any) -> None:
    """Register ``extract`` on the ``communique`` parser."""
    extract = commands.add_parser("extract", help="code diplomatic events in text or HTML files")
    extract.add_argument("paths", nargs="*", metavar="PATH", help=".html/.htm files are cleaned first")
    extract.add_argument("--jsonl", metavar="FILE", help='JSON lines {"id", "text", "date"}; "-" for stdin')
    extract.add_argument("--published", type=_parse_date, help="publication date of the PATHs (YYYY-MM-DD)")
    extract.add_argument("--url", help="URL to report as the doc_id of the PATHs")
    extract.add_argument("--format", choices=("json", "table"), default="json")
    extract.add_argument("--model", help="spaCy model package (default: settings)")
    extract.set_defaults(func=cmd_extract)
