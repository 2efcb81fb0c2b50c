"""Event dates: the date expressions of the evidence sentence, resolved against the publication date.

- Day precision: "today", "yesterday", "last night", a weekday ("on Wednesday" in a Thursday
  article is the day before; the same weekday is the publication day), an explicit date
  ("March 5", "5 March 2025", "2025-03-05").
- Week precision: "this week", "earlier this week", "last week"; month precision: "this month".
- Background: "last month", "last year", "in 2016", "since 2016", "years ago", an explicit date more
  than :data:`BACKGROUND_DAYS` before publication. An event the sentence places in the background is
  not news and is dropped (``resolve`` returns None). A date that dates a thing the sentence names
  ("condemned the 1915 killings", "last year's invasion") says nothing of when the event happened.
- Nothing in the sentence: the publication date at week precision (the report says it happened
  recently, not on which day).
- A date on the words of an intent ("will meet on Monday") is the plan, not the event: the
  statement of intent is dated like an undated sentence.
- No publication date known: an explicit dated expression still resolves; anything relative gives
  :data:`UNKNOWN_DATE` with precision ``unknown``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

UNKNOWN_DATE = date(1970, 1, 1)
BACKGROUND_DAYS = 45
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    name: number
    for number, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")),
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_EXPLICIT = (
    re.compile(rf"\b{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?\b", re.IGNORECASE),
    re.compile(rf"\b{_YEAR}-(?P<month_num>\d{{2}})-(?P<day>\d{{2}})\b"),
)
_BACKGROUND = re.compile(
    r"\b(last|past|previous)\s+(month|year|decade|spring|summer|autumn|fall|winter)\b|\b(since|until)\b"
    r"|\b(years?|months?|decades?)\s+(ago|earlier|before)\b|\bin\s+(19|20)\d{2}\b|^(19|20)\d{2}$"
    r"|\bearlier\s+this\s+year\b|\bin\s+the\s+past\b|\bformerly\b|\bpreviously\b|\bonce\b",
    re.IGNORECASE,
)
_DAY_WORDS = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
              "yesterday": -1, "last night": -1, "tomorrow": 1}  # fmt: skip
_WEEK = re.compile(r"\b(this|last|earlier this|later this)\s+week\b", re.IGNORECASE)
_MONTH_REL = re.compile(r"\b(this|earlier this|later this)\s+month\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class EventDate:
    value: date
    precision: str


def as_date(published: date | datetime | None) -> date | None:
    """The calendar date of a publication time (its own time zone)."""
    if published is None:
        return None
    return published.date() if isinstance(published, datetime) else published


def interpret(text: str, published: date | None) -> EventDate | bool | None:  # noqa: PLR0911 - one per form
    """One date expression: an EventDate, False for background, None when not understood."""
    lower = " ".join(text.lower().split())
    if _BACKGROUND.search(lower):
        return False
    explicit = _explicit(lower, published)
    if explicit is not None:
        return explicit
    if published is None:
        return None
    for words, shift in _DAY_WORDS.items():
        if words in lower:
            return EventDate(published + timedelta(days=shift), "day")
    for number, name in enumerate(WEEKDAYS):
        if name in lower:
            back = (published.weekday() - number) % 7
            if "next" in lower:
                return EventDate(published + timedelta(days=(number - published.weekday()) % 7 or 7), "day")
            return EventDate(published - timedelta(days=back), "day")
    week = _WEEK.search(lower)
    if week:
        return EventDate(published - timedelta(days=7 if week.group(1).lower() == "last" else 0), "week")
    if _MONTH_REL.search(lower):
        return EventDate(published, "month")
    return None


def _explicit(lower: str, published: date | None) -> EventDate | bool | None:
    for pattern in _EXPLICIT:
        match = pattern.search(lower)
        if not match:
            continue
        groups = match.groupdict()
        month = int(groups["month_num"]) if groups.get("month_num") else MONTHS[groups["month"].lower()]
        year = int(groups["year"]) if groups.get("year") else None
        if year is None:
            if published is None:
                return None
            year = published.year
        try:
            value = date(year, month, int(groups["day"]))
        except ValueError:
            return None
        if published is not None and groups.get("year") is None and value > published + timedelta(days=180):
            value = value.replace(year=year - 1)  # "on December 30" in a January article
        if published is not None and value > published:
            return EventDate(published, "day")  # a plan ("from 1 May"): the statement is the event
        if published is not None and value < published - timedelta(days=BACKGROUND_DAYS):
            return False
        return EventDate(value, "day")
    return None


#: How a date hangs on a noun it dates ("the 1915 killings", "last year's invasion", "the 2015 laws").
NOUN_MODIFIER_DEPS = frozenset({"compound", "nummod", "amod", "poss"})
#: "In a statement published Oct. 25, X accused Y": the date of the statement is the date of what it says.
STATEMENT_NOUNS = frozenset({"statement", "communique", "communiqué", "declaration", "report", "letter", "interview",
                             "speech", "address", "message", "note", "post", "tweet", "announcement", "comment",
                             "comments", "remark", "remarks", "briefing", "conference"})  # fmt: skip


def _attached(span: Span, anchors: set[int]) -> int:
    """How close a date expression hangs to the event's words: 0 on them, 1 on the sentence's verb, -1 not.

    The walk up the parse stops at the first verb: "signed a deal to increase trade in 1983" dates
    the increase, not the signing; but a verb that only dates a statement ("a statement published
    Oct. 25") passes the walk on to the statement, and a dated statement dates what the sentence
    says wherever the parser hung it ("..., in remarks published Oct. 25" is often attached to the
    last verb before it).
    """
    token: Token = span.root
    statement = False
    head = token.head
    named = token.dep_ in NOUN_MODIFIER_DEPS and head.pos_ in {"NOUN", "PROPN"} and head.i not in anchors
    if named and head.lemma_.lower() not in STATEMENT_NOUNS:
        return -1  # "recognise the 1915 killings", "condemned last year's invasion": the thing's date
    for _ in range(7):
        if token.i in anchors:
            return 0
        if token.head.i == token.i:
            return 1
        token = token.head
        if token.pos_ in {"VERB", "AUX"} and token.i not in anchors:
            if token.dep_ == "acl" and token.head.lemma_.lower() in STATEMENT_NOUNS:
                statement = True
                continue
            return 1 if token.head.i == token.i or statement else -1
    return 1 if statement else -1


def date_expressions(sentence: Span) -> list[Span]:
    """DATE and TIME entities of the sentence plus bare weekday/relative-day words spaCy missed."""
    spans = [e for e in sentence.ents if e.label_ in {"DATE", "TIME"}]
    covered = {t.i for e in spans for t in e}
    for token in sentence:
        if token.i not in covered and (token.lower_ in WEEKDAYS or token.lower_ in {"yesterday", "today"}):
            spans.append(sentence.doc[token.i : token.i + 1])
    return spans


def resolve(sentence: Span, anchors: set[int], published: date | None, intent: bool = False) -> EventDate | None:
    """The event date of a frame, or None when the sentence puts the event in the background.

    A date later than publication, or any date on the words of an intent ("will meet on
    Monday"), is a plan: the event coded is the statement of intent, dated when it was made.
    """
    best: tuple[int, EventDate] | None = None
    for span in date_expressions(sentence):
        closeness = _attached(span, anchors)
        if closeness < 0 or (intent and closeness == 0):
            continue
        meaning = interpret(span.text, published)
        if meaning is False:
            if closeness == 0:
                return None
            continue
        if isinstance(meaning, EventDate) and (best is None or closeness < best[0]):
            best = (closeness, meaning)
    if best is None:
        return EventDate(published, "week") if published else EventDate(UNKNOWN_DATE, "unknown")
    if published is not None and best[1].value > published:
        return EventDate(published, "day")
    return best[1]
