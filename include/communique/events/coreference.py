"""Later mentions resolved to earlier named actors within one article.

The registry is filled in reading order: every sentence adds the actors it names (from the
parse where the sentence was parsed, from a cheap lexical scan where it was not). A pronoun,
a bare title ("the minister"), a surname ("Ruto") or a pair ("the two leaders") then takes the
most recent compatible actor. The rules are the usual salience heuristics: recency, agreement
(person / thing / plural), and the speaker of the clause for "it", "they" and "we".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from communique.events.actors import Mention
from communique.events.gazetteer import Gazetteer
from communique.events.people import PeopleKB

if TYPE_CHECKING:
    from spacy.tokens import Span

#: How many sentences back a pronoun may reach; names and titles reach the whole article.
PRONOUN_REACH = 3
_LOCATIVE = frozenset({"in", "at", "to", "from", "near", "via"})
_NON_NAME_WORDS = frozenset({"The", "A", "An", "In", "On", "At", "For", "And", "But", "Mr.", "Mrs.", "Ms.", "Dr."})


@dataclass(slots=True)
class Known:
    """An actor named in the article, with what a later mention can match on."""

    mention: Mention
    sentence: int
    surname: str = ""
    position: int = 0

    @property
    def is_person(self) -> bool:
        return self.mention.kind == "person"


@dataclass(slots=True)
class Registry:
    """The actors named so far in one article, most recent last.

    ``people`` and ``day`` resolve a name the article itself does not tie to a country: the person
    the actor tables know under that name on the article's date (``communique.events.people``).
    """

    known: list[Known] = field(default_factory=list)
    people: PeopleKB | None = None
    day: date | None = None

    def add(self, mention: Mention, sentence: int, position: int | None = None) -> None:
        """Remember a named actor; ``position`` is its character offset in the article.

        A person without a country is kept too: "she" after "IMF chief Kristalina Georgieva"
        must not jump back to an earlier minister.
        """
        if mention.code is None and mention.kind != "person":
            return
        if mention.code is None:
            mention = self.known_person(mention) or mention
        words = mention.name.split()
        surname = words[-1] if mention.kind == "person" and words else ""
        self.known.append(Known(mention, sentence, surname, mention.start if position is None else position))

    def resolve(
        self,
        mention: Mention,
        sentence: int,
        speaker: Mention | None = None,
        before: int | None = None,
        exclude: frozenset[str] = frozenset(),
    ) -> list[Mention]:
        """Resolved copies of ``mention`` (two for a pair); empty when nothing fits.

        Only actors named before the character offset ``before`` are candidates, and none whose
        country or code is in ``exclude``.
        """
        kind = mention.anaphor
        if kind is None:
            return [mention] if mention.code else []
        limit = None if kind == "name" else before
        candidates = [k for k in self.known if limit is None or k.position < limit]
        if exclude:
            candidates = [k for k in candidates if (k.mention.country or k.mention.code) not in exclude]
            if speaker is not None and (speaker.country or speaker.code) in exclude:
                speaker = None
        if kind == "pair":
            if (mention.title or "") and mention.kind in {"person", "group", "pair"} and mention.role:
                people = [k for k in candidates if k.is_person]
                candidates = people if len(_last_pair(people)) == 2 else candidates
            return [_adopt(mention, known.mention) for known in _last_pair(candidates)]
        found = _find(candidates, mention, sentence, speaker)
        if found is None and kind == "name":
            known = self.known_person(mention)
            return [known] if known is not None else []
        return [_adopt(mention, found)] if found is not None else []

    def known_person(self, mention: Mention) -> Mention | None:
        """``mention`` as the person the actor tables know by its name on the article's date, if any."""
        if self.people is None or (mention.kind != "person" and mention.anaphor != "name"):
            return None
        holding = None
        for name in dict.fromkeys(n for n in (mention.alias, mention.name) if n):
            holding = self.people.resolve(name, self.day)
            if holding is not None:
                break
        if holding is None:
            return None
        return Mention(
            text=mention.text, start=mention.start, end=mention.end, head=mention.head,
            kind=_identity_kind(mention, "person"),
            code=holding.country or holding.code, country=holding.country,
            role=mention.role or holding.role, name=holding.name, title=mention.title or holding.title or None,
        )  # fmt: skip


def _find(known_list: list[Known], mention: Mention, sentence: int, speaker: Mention | None) -> Mention | None:
    kind = mention.anaphor
    if speaker is not None and kind in {"person", "thing", "plural", "speaker"}:
        chosen = _speaker_rule(kind, speaker)
        if chosen is not False:
            return chosen if isinstance(chosen, Mention) else None
    elif kind == "speaker":
        return None  # "we" with nobody speaking in the sentence: a quote we cannot attribute
    if kind == "name":
        return _by_name(known_list, mention.name)
    if kind == "group":
        return _last_group(known_list, sentence)
    for known in reversed(known_list):
        recent = sentence - known.sentence <= PRONOUN_REACH
        if _compatible(kind, mention, known, recent):
            return known.mention if known.mention.code else None
    return None


def _speaker_rule(kind: str | None, speaker: Mention) -> Mention | bool | None:
    """What a pronoun in reported speech refers to; False when the speaker says nothing about it.

    "Ruto said he ..." and "Erekat said they ..." refer to the speaker (a person speaker that
    cannot be resolved resolves nothing rather than someone else); "Russia said it ..." too.
    """
    if kind == "person":
        return (speaker if speaker.code else None) if speaker.kind == "person" else False
    if kind in {"plural", "speaker"}:
        return speaker if speaker.code else None
    if kind == "thing" and speaker.kind != "person":
        return speaker if speaker.code else False
    return False


def _by_name(known_list: list[Known], name: str) -> Mention | None:
    words = name.split()
    for known in reversed(known_list):
        if not (known.is_person and known.mention.code):
            continue  # a name the article never tied to a country resolves nothing
        if known.mention.name == name or (words and words[-1] in known.mention.name.split()):
            return known.mention
    return None


def _last_group(known_list: list[Known], sentence: int) -> Mention | None:
    """'the group', 'the kidnappers': the most recent organisation, if it is a named or armed group.

    An international body or a non-governmental one named since ("... Amnesty said the group")
    resolves nothing rather than an older armed group.
    """
    for known in reversed(known_list):
        if sentence - known.sentence > PRONOUN_REACH:
            return None
        mention = known.mention
        armed = mention.role == "REB" or (mention.code or "").endswith("REB") or (mention.code or "").startswith("IMG")
        if mention.code and mention.kind != "person" and (armed or (mention.kind == "group" and not mention.title)):
            return mention  # "militants in Iraq" (IRQ, REB), "Hezbollah" (LBNREB), "the PLO"
        if mention.kind in {"igo", "group", "body"}:
            return None  # "Israeli troops", "the UN": not what "the group" is
    return None


def _last_pair(known_list: list[Known]) -> list[Known]:
    """The two most recent actors of different countries, in text order."""
    pair: list[Known] = []
    for known in reversed(known_list):
        if known.mention.code and all(known.mention.code != other.mention.code for other in pair):
            pair.append(known)
        if len(pair) == 2:
            return pair[::-1]
    return []


def _compatible(kind: str | None, mention: Mention, known: Known, recent: bool) -> bool:
    if kind == "person":
        return recent and known.is_person
    if kind in {"thing", "plural", "speaker"}:
        return recent and not known.is_person
    if kind == "country":
        return known.mention.kind in {"country", "capital"}
    if kind == "title":
        head = (mention.title or "").split()[-1:]
        return known.is_person and bool(head) and head[0] in (known.mention.title or "").split()
    return False


def _identity_kind(mention: Mention, kind: str) -> str:
    """The kind a mention takes with the identity it resolves to; a group named by its known leader
    ("the group led by Zarqawi") stays a group, so that its own "it" still refers to it."""
    return "group" if mention.kind == "group" else kind


def _adopt(mention: Mention, antecedent: Mention) -> Mention:
    """The later mention's text and offsets with the antecedent's identity."""
    return Mention(
        text=mention.text, start=mention.start, end=mention.end, head=mention.head,
        kind=_identity_kind(mention, antecedent.kind), code=antecedent.code, country=antecedent.country,
        role=mention.role if mention.role and mention.kind != "pronoun" else antecedent.role,
        name=antecedent.name, title=antecedent.title or mention.title,
    )  # fmt: skip


def lexical_mentions(
    sentence: Span, gazetteer: Gazetteer, actors: list[Span], titles: list[Span], people: list[Span] | None = None
) -> list[Mention]:
    """Actors a sentence names, found without a parse: gazetteer names, titled people, known people.

    ``actors``, ``titles`` and ``people`` are the gazetteer spans inside the sentence. "Kenyan
    President William Ruto" gives a person (KEN, President, surname Ruto); a bare "Egypt" the
    country; a bare "Netanyahu" a person whose country the registry looks up by date.
    """
    doc = sentence.doc
    found: list[Mention] = []
    for span in actors:
        entry = gazetteer.lookup(span.text)
        locative = span.start > 0 and doc[span.start - 1].lower_ in _LOCATIVE
        if entry is not None and entry.kind != "demonym" and not (locative and entry.kind == "capital"):
            found.append(Mention(span.text, span.start_char, span.end_char, span.end - 1, entry.kind,
                                 code=entry.code, country=entry.country, name=entry.name))  # fmt: skip
    for title in titles:
        person = _titled_person(title, actors, gazetteer)
        if person is not None:
            found.append(person)
    for span in people or ():
        if not any(m.start <= span.start_char < m.end for m in found):
            found.append(Mention(span.text, span.start_char, span.end_char, span.end - 1, "person", name=span.text,
                                 anaphor="name", alias=span.text))  # fmt: skip
    return sorted(found, key=lambda m: m.start)


def spans_by_sentence(sentences: list[Span], spans: list[Span]) -> list[list[Span]]:
    """Bucket spans (sorted by start) into the sentences that contain their first token, in one pass."""
    buckets: list[list[Span]] = [[] for _ in sentences]
    number = 0
    for span in sorted(spans, key=lambda s: s.start):
        while number < len(sentences) and span.start >= sentences[number].end:
            number += 1
        if number == len(sentences):
            break
        if span.start >= sentences[number].start:
            buckets[number].append(span)
    return buckets


def _titled_person(title: Span, actors: list[Span], gazetteer: Gazetteer) -> Mention | None:
    """'Kenyan President William Ruto', "Egypt's President Sisi", 'King Hassan of Morocco'."""
    doc = title.doc
    end = title.end
    while end < len(doc) and end - title.end < 4 and doc[end].is_title and doc[end].text not in _NON_NAME_WORDS:
        end += 1
    if end == title.end:
        return None
    first, last = title.start, end
    country = next((a for a in actors if a.end == title.start), None)
    if country is None:
        country = next((a for a in actors if a.end == title.start - 1 and doc[a.end].lower_ == "'s"), None)
    if country is not None:
        first = country.start
    elif end + 1 < len(doc) and doc[end].lower_ == "of":
        country = next((a for a in actors if a.start == end + 1), None)
        last = country.end if country is not None else last
    entry = gazetteer.lookup(country.text) if country is not None else None
    info = gazetteer.title(title.text)
    if info is None or (entry is None and info.kind != "person"):
        return None
    span = doc[first:last]  # Span.text, not Doc.text: the article may be long
    return Mention(
        span.text, span.start_char, span.end_char, end - 1, "person",
        code=entry.code if entry else None, country=entry.country if entry else None, role=info.role,
        name=doc[title.end : end].text, title=info.phrase, alias=doc[title.end : end].text,
    )  # fmt: skip
