"""What the talks were about, where the text names it: "talks on the Gaza ceasefire", "a deal on power trade".

Topics are the noun phrases after "on", "about", "over", "regarding", "concerning" attached to
the event's words, the object of a purpose clause ("met to discuss illegal migration"), and the
subject-matter modifiers of a trigger noun ("peace talks", "trade deal"). They are kept as written,
without determiners, at most :data:`MAX_WORDS` words each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

TOPIC_PREPOSITIONS = frozenset({"on", "about", "over", "regarding", "concerning", "in"})
DISCUSS_VERBS = frozenset({"discuss", "address", "review", "tackle", "negotiate", "explore"})
MAX_WORDS = 6
_SKIP_DEPS = frozenset({"relcl", "acl", "punct", "cc", "conj", "appos", "advcl"})
_PARTY_DEPS = frozenset({"det", "poss", "predet", "case"})
_NOT_SUBJECTS = frozenset({"phone", "telephone", "video", "mediation", "prisoner"})
_NON_TOPIC = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
                        "yesterday", "week", "month", "year", "day", "morning", "evening", "night", "time",
                        "sidelines", "capital", "city"})  # fmt: skip


def _phrase(head: Token) -> str | None:
    if head.ent_type_ in {"GPE", "DATE", "TIME", "PERSON", "NORP", "LOC", "CARDINAL"} or head.lower_ in _NON_TOPIC:
        return None
    words = [t for t in head.subtree if (t.dep_ not in _SKIP_DEPS and not t.is_punct) or t.text == "-"]
    keep = {t.i for t in head.subtree if not any(a.dep_ in _SKIP_DEPS for a in _between(t, head))}
    words = [t for t in words if t.i in keep and t.dep_ not in {"det", "poss", "predet"}]
    if not words or len(words) > MAX_WORDS:
        return None
    text = head.doc[words[0].i : words[-1].i + 1].text
    return text if any(c.isalpha() for c in text) else None


def _between(token: Token, head: Token) -> list[Token]:
    chain = []
    while token.i not in (head.i, token.head.i):
        chain.append(token)
        token = token.head
    return chain


def _prepositional(host: Token, skip: set[int], found: dict[int, str]) -> None:
    """'talks on X and Y', 'agreement about X'."""
    for child in host.children:
        if child.dep_ != "prep" or child.lower_ not in TOPIC_PREPOSITIONS:
            continue
        for obj in (c for c in child.children if c.dep_ == "pobj"):
            for member in (obj, *obj.conjuncts):
                if member.i not in skip and (text := _phrase(member)):
                    found.setdefault(member.i, text)


def _purposes(host: Token, found: dict[int, str]) -> None:
    """'met to discuss X'."""
    for child in host.children:
        if child.dep_ in {"xcomp", "advcl"} and child.lemma_.lower() in DISCUSS_VERBS:
            for obj in child.children:
                if obj.dep_ == "dobj" and (text := _phrase(obj)):
                    found.setdefault(obj.i, text)


def find_topics(anchors: list[Token]) -> list[str]:
    """Topics named around the event's words, in text order, without repeats."""
    found: dict[int, str] = {}
    event_words = {a.i for a in anchors}
    for anchor in anchors:
        for host in [anchor, *(c for c in anchor.children if c.dep_ in {"dobj", "nsubjpass", "attr"})]:
            _prepositional(host, event_words, found)
            _purposes(host, found)
        if anchor.pos_ == "NOUN":
            for child in anchor.lefts:
                if child.dep_ == "compound" and child.pos_ == "NOUN" and child.lower_ not in _NOT_SUBJECTS:
                    found.setdefault(child.i, child.text)
    return [found[i] for i in sorted(found)]
