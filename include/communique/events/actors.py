"""Actors in parsed sentences: which party a noun phrase denotes, and who a later mention refers to.

A noun phrase is read from its syntactic head outwards:

- a gazetteer name is the actor itself ("Egypt", "the UN", "Washington" as a metonym, "the Palestinians");
- a person (spaCy PERSON) or a title/role noun ("minister", "officials", "troops") takes its country
  from a demonym, a country name, a possessive or an "of" phrase inside the phrase ("Egypt's Minister
  of Defence", "Senior Hungarian and Romanian officials") or from an apposition;
- pronouns, bare titles ("the minister") and pairs ("the two leaders") are left for :class:`Registry`,
  which resolves them against the actors named earlier in the article.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from communique.events.gazetteer import Entry, Gazetteer
from communique.events.spans import ACTOR_SPANS, ARTICLE_NAME_SPANS, PEOPLE_SPANS, PLACE_SPANS
from communique.models import Actor

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

PERSONAL_PRONOUNS = {
    "he": "person", "him": "person", "his": "person", "she": "person", "her": "person",
    "it": "thing", "its": "thing", "they": "plural", "them": "plural", "their": "plural",
    "we": "speaker", "our": "speaker", "us": "speaker", "i": "speaker", "my": "speaker", "me": "speaker",
}  # fmt: skip
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom", "whose"})
PAIR_NOUNS = frozenset({"leader", "side", "country", "nation", "government", "minister", "president", "party"})
COUNTRY_NOUNS = frozenset({"country", "kingdom", "republic", "nation", "state", "emirate"})
#: "pro-Moscow", "anti-American": a stance towards a party, not the party.
STANCE_PREFIXES = frozenset({"pro", "anti"})
#: Nouns of a group that takes its leader's country ("the group led by Zarqawi", "Zarqawi's network").
LED_GROUP_NOUNS = frozenset(
    {"group", "movement", "network", "faction", "militia", "cell", "organisation", "organization"}
)
LEADING_VERBS = frozenset({"lead", "head", "command", "run"})
#: Drafts that "seek" or "demand" what their sponsors do (a relative clause on them), and the sponsors' verbs.
DRAFT_NOUNS = frozenset({"resolution", "draft", "bill", "proposal", "motion"})
SPONSOR_VERBS = frozenset({"push", "propose", "sponsor", "table", "introduce", "circulate", "submit", "draft"})
#: Adopting a resolution makes what it says the adopter's ("the Council passed a resolution demanding ...").
ADOPT_VERBS = frozenset({"adopt", "pass", "approve", "endorse"})
#: Participles that name a draft's author before it ("a US-sponsored resolution", "a French-drafted text").
AUTHORING_PARTICIPLES = frozenset({"sponsor", "draft", "propose", "author", "write", "table", "back"})
#: A people within a country: their leaders are not its government ("leaders of Canada's Quebecois community").
COMMUNITY_NOUNS = frozenset({"community", "minority", "diaspora", "tribe", "clan", "population"})
#: Nouns whose possessor names others than the party ("Iraq's neighbours", "Israel's allies").
RELATIONAL_NOUNS = frozenset({"neighbour", "neighbor", "ally", "partner", "rival", "enemy", "foe"})
#: The verbs of holding hostages: a hostage-taker's demands are aimed at the hostages' country.
CAPTURE_VERBS = frozenset({"hold", "kidnap", "abduct", "seize", "capture"})
#: Letting captives go: captives released without an agent were released by who held them (CAPTURE_VERBS).
RELEASE_VERBS = frozenset({"release", "free"})
#: Hostage-takers: the people named in their "of" phrase are their captives, not their country.
CAPTOR_NOUNS = frozenset({"kidnapper", "captor", "abductor", "hostage-taker", "hijacker"})
#: Title abbreviations the small model reads as names ("Sen." is no Hun Sen, "Gen." no person).
TITLE_ABBREVIATIONS = frozenset({"Sen", "Rep", "Gen", "Gov", "Col", "Lt", "Sgt", "Adm", "Maj", "Capt", "Cmdr", "Amb"})
#: Nouns a country names the setting of, not an organisation ("the Iraq war", "the US election").
SETTING_NOUNS = frozenset(
    {"war", "election", "conflict", "crisis", "invasion", "occupation", "campaign", "border", "situation"}
)
_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "poss", "npadvmod"})

#: Modifiers that make a newspaper, agency or broadcaster an organ of its state.
STATE_MEDIA_WORDS = frozenset({"official", "state", "state-run", "state-owned", "state-controlled", "government",
                               "government-run", "party"})  # fmt: skip


@dataclass(slots=True)
class Mention:
    """One actor mention in a parsed sentence; ``code`` None means it still needs resolving.

    ``anaphor`` says how to resolve it: a pronoun class (person, thing, plural, speaker), ``title``
    (a bare title such as "the minister", in ``title``), ``pair`` ("the two leaders"), ``name``
    (a person named without a country) or ``country`` ("the country").
    """

    text: str
    start: int
    end: int
    head: int
    kind: str
    code: str | None = None
    country: str | None = None
    role: str | None = None
    name: str = ""
    title: str | None = None
    anaphor: str | None = None
    #: The name as the actor tables know it ("Netanyahu"), for a person resolved by date later.
    alias: str | None = None

    def to_actor(self, offset: int = 0) -> Actor:
        cameo = self.code or "---"
        if self.country and self.role and self.role != "---" and not cameo.startswith(("IGO", "NGO")):
            cameo = self.country + self.role
        return Actor(
            text=self.text,
            name=self.name or self.text,
            title=self.title if self.kind == "person" else None,  # "sides", "officials" are no titles
            country=self.country,
            role=self.role if self.role != "---" else None,
            cameo=cameo,
            start=self.start + offset,
            end=self.end + offset,
        )


@dataclass(slots=True)
class DocIndex:
    """Per-doc lookups: which gazetteer entry covers each token."""

    gazetteer: Gazetteer
    entries: dict[int, tuple[Span, Entry]] = field(default_factory=dict)
    places: dict[int, Span] = field(default_factory=dict)
    #: Tokens inside a name the actor tables know ("Netanyahu", "Abdel Fattah el-Sisi").
    people: dict[int, Span] = field(default_factory=dict)

    @classmethod
    def build(cls, doc: Doc, gazetteer: Gazetteer) -> DocIndex:
        """Index the gazetteer spans the ``communique_gazetteer`` component left on ``doc``."""
        index = cls(gazetteer)
        for span in doc.spans.get(ACTOR_SPANS, []):
            entry = gazetteer.lookup(span.text)
            if entry is None or _inside_person(span, entry) or _after_stance(span):
                continue
            for token in span:
                index.entries[token.i] = (span, entry)
        for span in doc.spans.get(PLACE_SPANS, []):
            for token in span:
                index.places[token.i] = span
        for span in doc.spans.get(PEOPLE_SPANS, []):
            if any(t.pos_ == "PROPN" for t in span) or not span.doc.has_annotation("TAG"):
                for token in span:
                    index.people[token.i] = span
        for span in doc.spans.get(ARTICLE_NAME_SPANS, []):  # names the article ties to a country
            for token in span:
                if token.is_title and token.i not in index.entries:
                    index.people.setdefault(token.i, span)
        return index

    def person_alias(self, token: Token) -> str | None:
        """The known name that covers ``token``, if any."""
        span = self.people.get(token.i)
        return span.text if span is not None else None

    def entry(self, token: Token) -> tuple[Span, Entry] | None:
        return self.entries.get(token.i)


def _inside_person(span: Span, entry: Entry | None = None) -> bool:
    """'Jordan' in 'Michael Jordan' is a name, not the country.

    A country's, a capital's or a demonym that is a person's name all by itself ('Togo accused Benin ...',
    "Kyiv's proposal", "Bangladeshi peacekeepers": the small model tags them as persons) is the place:
    a person needs more of a name than the place's.
    """
    if not any(t.ent_type_ == "PERSON" for t in span) or span.text in {"U.S.", "US", "UK", "UN", "EU"}:
        return False
    return entry is None or entry.kind not in {"country", "capital", "demonym"} or not _country_alone(span)


def _after_stance(span: Span) -> bool:
    """'pro-Moscow', 'anti-American': the name follows a stance prefix and a hyphen, without spaces."""
    doc = span.doc
    if span.start < 2 or doc[span.start - 1].text != "-" or doc[span.start - 1].whitespace_:
        return False
    prefix = doc[span.start - 2]
    return prefix.lower_ in STANCE_PREFIXES and not prefix.whitespace_


def _hyphen_joined(head: Token) -> bool:
    """'a Chinese-American': a demonym noun joined to a word before it by a hyphen (a person of two origins)."""
    doc = head.doc
    if head.i < 2 or doc[head.i - 1].text != "-":
        return False
    return not doc[head.i - 1].whitespace_ and not doc[head.i - 2].whitespace_


def _country_alone(span: Span) -> bool:
    """Every PERSON entity over ``span`` lies within it (no given name or surname around it)."""
    persons = [e for e in span.doc.ents if e.label_ == "PERSON" and e.start < span.end and e.end > span.start]
    return all(span.start <= e.start and e.end <= span.end for e in persons)


def _entry_mention(span: Span, entry: Entry, head: Token) -> Mention:
    role = "GOV" if entry.kind == "capital" else entry.role
    country = entry.country
    name = entry.name
    return Mention(
        text=span.text, start=span.start_char, end=span.end_char, head=head.i, kind=entry.kind,
        code=entry.code, country=country, role=role, name=name,
    )  # fmt: skip


def _title_of(head: Token, index: DocIndex) -> tuple[str, Token] | None:
    """The longest title phrase that ends at ``head`` ("Prime Minister", "foreign minister")."""
    left = [t for t in head.lefts if t.dep_ in {"compound", "amod"} and t.i >= head.i - 3]
    for first in sorted(left, key=lambda t: t.i):
        words = head.doc[first.i : head.i + 1]
        if all(not index.entry(t) for t in words):
            found = index.gazetteer.title(words.text)
            if found:
                return found.phrase, first
    found = index.gazetteer.title(head.text) or index.gazetteer.title(head.lemma_)
    return (found.phrase, head) if found else None


def _country_modifiers(head: Token, index: DocIndex) -> list[Mention]:
    """Countries and bodies that modify ``head``: demonyms, names, possessives, 'of' phrases."""
    found: list[Mention] = []
    held = head.lemma_.lower() in CAPTOR_NOUNS  # "the kidnappers of two French reporters": not French
    for child in head.children:
        if child.dep_ == "prep" and held:
            continue
        if child.dep_ in _MODIFIER_DEPS or (child.dep_ == "prep" and child.lower_ in {"of", "from"}):
            target = next((g for g in child.children if g.dep_ == "pobj"), None) if child.dep_ == "prep" else child
            if target is None:
                continue
            for member in [target, *target.conjuncts]:
                hit = index.entry(member)
                if hit:
                    found.append(_entry_mention(hit[0], hit[1], member))
                elif child.dep_ == "prep" and member.lemma_.lower() not in COMMUNITY_NOUNS:
                    found.extend(_left_modifiers(member, index))  # "inhabitants of the Syrian Golan"
                elif member.lower_ in PERSONAL_PRONOUNS and member.dep_ == "poss":
                    found.append(_pronoun_mention(member))
                elif member.dep_ == "poss":
                    found.extend(_country_modifiers(member, index))  # "the Speaker of Iran's parliament"
    return found


def _left_modifiers(head: Token, index: DocIndex) -> list[Mention]:
    """Countries anywhere in the pre-head modifiers: 'Ethiopian' in 'Ethiopian Prime Minister Abiy Ahmed'."""
    found: list[Mention] = []
    for token in head.subtree:
        if token.i >= head.i or token.dep_ not in _MODIFIER_DEPS | {"conj"}:
            continue
        if any(a.dep_ not in _MODIFIER_DEPS | {"conj"} for a in _path_to(token, head)):
            continue
        hit = index.entry(token)
        if hit and hit[1].kind != "place":
            found.append(_entry_mention(hit[0], hit[1], token))
    return found


def _path_to(token: Token, head: Token) -> list[Token]:
    path = []
    while token.i not in (head.i, token.head.i):
        path.append(token)
        token = token.head
    return path


def _pronoun_mention(token: Token) -> Mention:
    return Mention(
        text=token.text, start=token.idx, end=token.idx + len(token.text), head=token.i, kind="pronoun",
        anaphor=PERSONAL_PRONOUNS[token.lower_],
    )  # fmt: skip


def _phrase_span(head: Token) -> tuple[int, int]:
    """Character extent of the noun phrase without clauses and trailing prepositions."""
    left = head.left_edge
    right = head
    for child in head.rights:
        if child.dep_ in {"compound", "flat", "appos"} or (child.dep_ == "prep" and child.lower_ == "of"):
            right = child.right_edge
    return left.idx, right.idx + len(right.text)


def _person_name(head: Token) -> str:
    if head.ent_type_ == "PERSON":
        ent = next((e for e in head.doc.ents if e.start <= head.i < e.end), None)
        if ent is not None:
            return ent.text
    return head.text


def _with_country(mention: Mention, countries: list[Mention]) -> list[Mention]:
    """Give a person/role mention the country of each modifier ("Hungarian and Romanian officials")."""
    out = []
    for country in countries:
        copy = Mention(**{slot: getattr(mention, slot) for slot in Mention.__slots__})
        if country.code is None:
            copy.anaphor, copy.kind = country.anaphor, "pronoun"
        else:
            copy.country = country.country
            copy.code = country.code if country.country is None else country.country
        out.append(copy)
    return out


def _appositive_countries(head: Token, index: DocIndex) -> list[Mention]:
    for child in head.children:
        if child.dep_ == "appos":
            found = _country_modifiers(child, index) or _left_modifiers(child, index)
            hit = index.entry(child)
            if hit:
                found.append(_entry_mention(hit[0], hit[1], child))
            if found:
                return found
    return []


def _person_mention(head: Token, index: DocIndex) -> list[Mention]:
    start, end = _phrase_span(head)
    title = _title_of(head, index) if head.ent_type_ != "PERSON" else _title_in_compounds(head, index)
    role = _title_role(title, head, index) if title else None
    mention = Mention(
        text=head.doc.text[start:end], start=start, end=end, head=head.i, kind="person",
        name=index.person_alias(head) or _person_name(head), title=title[0] if title else None, role=role,
        alias=index.person_alias(head),
    )  # fmt: skip
    countries = _country_modifiers(head, index) or _left_modifiers(head, index)
    countries = countries or _appositive_countries(head, index)
    if countries:
        return _with_country(mention, countries[:2] if len(countries) > 1 and head.tag_ == "NNS" else countries[:1])
    mention.anaphor = "name"
    return [mention]


def _title_role(title: tuple[str, Token], head: Token, index: DocIndex) -> str:
    """The title's role, or the legislature's when it heads one: 'National Assembly president', 'Senate leader'."""
    for token in head.subtree:
        if token.i < title[1].i and token.dep_ in {"compound", "amod"}:
            body = index.gazetteer.title(token.text)
            if body is not None and body.kind == "body" and body.role == "LEG":
                return body.role
    return index.gazetteer.titles[title[0]].role


def _title_in_compounds(head: Token, index: DocIndex) -> tuple[str, Token] | None:
    """The title inside a name's compounds: 'Defence Minister' in 'Defence Minister Guido Crosetto'."""
    words = [t for t in head.subtree if t.i < head.i and t.dep_ in {"compound", "amod"} and t.ent_type_ != "PERSON"]
    words = [t for t in words if not index.entry(t)]
    for size in range(len(words), 0, -1):
        for first in reversed(range(len(words) - size + 1)):  # the nearest to the name: "National Assembly president"
            phrase = " ".join(t.text for t in words[first : first + size])
            found = index.gazetteer.title(phrase)
            if found:
                return found.phrase, words[first]
    return None


def _role_mention(head: Token, title: tuple[str, Token], index: DocIndex) -> list[Mention]:
    entry = index.gazetteer.titles[title[0]]
    start, end = _phrase_span(head)
    name, alias = "", None
    for child in head.children:
        if child.dep_ in {"appos", "compound"} and (child.ent_type_ == "PERSON" or index.person_alias(child)):
            name, alias = _person_name(child), index.person_alias(child)
    role = "GOV" if entry.role == "MED" and _state_organ(head) else entry.role
    if entry.kind == "person":
        role = _title_role(title, head, index)
    mention = Mention(
        text=head.doc.text[start:end], start=start, end=end, head=head.i,
        kind="person" if entry.kind == "person" else entry.kind, role=role, title=title[0], name=name,
        alias=alias,
    )  # fmt: skip
    countries = _country_modifiers(head, index)
    if title[1].i != head.i:
        countries += [m for m in _left_modifiers(head, index) if all(m.head != c.head for c in countries)]
    countries = countries or _appositive_countries(head, index)
    if not countries and entry.role == "REB":
        countries = _located_in(head, index)  # "militants in Iraq", "an armed group in Iraq": IRQREB
    if countries:
        return _with_country(mention, countries)
    leader = _leader(head, index)
    # "the Bush administration", "Netanyahu's government", "the militant group of Abu Musab al-Zarqawi"
    if leader is not None and entry.kind in {"body", "group"}:
        mention.alias = mention.name = index.person_alias(leader) or ""
        mention.anaphor = "name"
        return [mention]
    if _is_pair(head):
        mention.anaphor, mention.kind = "pair", "pair"
    elif head.lemma_.lower() in COUNTRY_NOUNS and any(c.lower_ == "the" for c in head.children):
        mention.anaphor, mention.kind, mention.role = "country", "country", None
    elif entry.role == "REB" and entry.kind == "group" and any(c.lower_ == "the" for c in head.children):
        mention.anaphor = "group"  # "the kidnappers": the armed group named before
    elif any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in head.children):
        mention.anaphor = "name" if name else "title"
    else:
        return []
    return [mention]


def draft_sponsor(document: Token) -> Token | None:
    """Who proposes or adopts a draft: "France is pushing to win passage of a UN resolution that seeks an
    embargo" (France seeks it, not the UN, which has not voted), "the Council adopted a resolution that
    demands ..." (the Council demands); None for "the US vetoed a resolution that ..."."""
    if document.lemma_.lower() not in DRAFT_NOUNS:
        return None
    for verb in document.ancestors:
        if verb.pos_ == "VERB" and verb.lemma_.lower() in SPONSOR_VERBS | ADOPT_VERBS:
            return next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return None


def draft_authors(document: Token, index: DocIndex) -> list[Mention]:
    """The author a draft names before it: "a US-sponsored UN Security Council resolution" is the US's
    (rejecting it rejects the US), not the Council's, which has not adopted it."""
    if document.lemma_.lower() not in DRAFT_NOUNS:
        return []
    for child in document.children:
        if child.dep_ == "amod" and child.lemma_.lower() in AUTHORING_PARTICIPLES:
            for author in child.children:
                if author.dep_ in {"npadvmod", "compound", "amod", "nmod"}:
                    found = with_conjuncts(author, index) or _bare_entry(author, index)
                    if found:
                        return found
    return []


def _leader(head: Token, index: DocIndex) -> Token | None:
    """A known person who leads the body or group ``head`` names: "Netanyahu's government", "the Bush
    administration", "the group of Zarqawi", "the network led by Zarqawi"."""
    for child in head.children:
        if child.dep_ in {"compound", "poss"} and index.person_alias(child):
            return child
        if (child.dep_ == "prep" and child.lower_ == "of") or (child.dep_ == "acl" and child.lemma_ in LEADING_VERBS):
            by = [child] if child.dep_ == "prep" else [c for c in child.children if c.dep_ == "agent"]
            found = next((g for b in by for g in b.children if g.dep_ == "pobj" and index.person_alias(g)), None)
            if found is not None:
                return found
    return None


def _state_organ(head: Token) -> bool:
    """'North Korea's official newspaper', 'state media', 'state-run television': the state speaking."""
    words = {c.lower_ for c in head.children if c.dep_ in {"amod", "compound", "nmod", "npadvmod"}}
    words |= {g.lower_ for c in head.children if c.dep_ in {"amod", "compound"} for g in c.children}
    return bool(words & STATE_MEDIA_WORDS)


def _located_in(head: Token, index: DocIndex) -> list[Mention]:
    """The country of an 'in X' phrase on ``head`` (armed groups are coded by where they fight).

    Also on what the group does there: "kidnappers holding a Briton in Iraq", "the kidnappers of a
    Japanese man in Iraq", "militants freed three drivers in Iraq".
    """
    clauses = [c for c in head.children if c.dep_ in {"acl", "relcl"}]
    hosts = [head, *clauses, *(o for c in clauses for o in c.children if o.dep_ == "dobj")]
    hosts += [g for c in head.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]
    if head.dep_ == "nsubj" and head.head.lemma_.lower() in CAPTURE_VERBS | RELEASE_VERBS:  # not "met X in Y"
        hosts += [head.head, *(c for c in head.head.children if c.dep_ == "dobj")]
    for host in hosts:
        for child in host.children:
            if child.dep_ == "prep" and child.lower_ == "in":
                for obj in child.children:
                    found = _country_of_place(obj, index) if obj.dep_ == "pobj" else None
                    if found is not None:
                        return [found]
    return []


def _country_of_place(token: Token, index: DocIndex) -> Mention | None:
    hit = index.entry(token)
    if hit and hit[1].kind in {"country", "capital"} and hit[1].country:
        return _entry_mention(hit[0], hit[1], token)
    return place_mention(token, index)


def place_mention(token: Token, index: DocIndex) -> Mention | None:
    """The gazetteer place the token names, as a mention of its country ("arrived in Seattle", "in Darfur")."""
    span = index.places.get(token.i)
    place = index.gazetteer.place(span.text) if span is not None else None
    if span is None or place is None or not place.country:
        return None
    return Mention(span.text, span.start_char, span.end_char, token.i, "place", code=place.country,
                   country=place.country, name=place.name)  # fmt: skip


def _is_pair(head: Token) -> bool:
    two = any(c.lower_ in {"two", "both"} and c.dep_ in {"nummod", "det", "predet", "amod"} for c in head.children)
    return two and head.lemma_.lower() in PAIR_NOUNS | {"official", "delegation", "neighbour", "neighbor"}


def mentions_of(head: Token, index: DocIndex) -> list[Mention]:  # noqa: PLR0911, PLR0912 - one case per form
    """The actors a noun phrase denotes (several for "Hungarian and Romanian officials")."""
    lower = head.lower_
    if head.text in {"US", "U.S."} and index.entry(head):
        pass  # the country, not the pronoun "us"
    elif head.pos_ == "PRON" or lower in PERSONAL_PRONOUNS:
        if lower in PERSONAL_PRONOUNS:
            return [_pronoun_mention(head)]
        if lower in RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
            sponsor = draft_sponsor(head.head.head)  # "pushing for a resolution that seeks ...": who pushes
            return mentions_of(sponsor if sponsor is not None else head.head.head, index)
        return []
    hit = index.entry(head)
    if hit and (head.ent_type_ != "PERSON" or not _inside_person(hit[0], hit[1])):
        span, entry = hit
        if entry.kind == "group" and entry.role == "GOV":
            return [_state_organ_of(_entry_mention(span, entry, head), head, index)]
        if entry.kind != "demonym":
            return [_entry_mention(span, entry, head)]
        if head.pos_ in {"NOUN", "PROPN"} and head.dep_ not in {"amod", "compound"}:
            if _hyphen_joined(head):
                return []
            return [_resident_group(_entry_mention(span, entry, head), head, index)]
    if head.text in TITLE_ABBREVIATIONS and head.i + 1 < len(head.doc) and head.doc[head.i + 1].text.startswith("."):
        return []  # "Sen. ...", "Gen. ...": a title cut short, no name
    demonym = hit is not None and hit[1].kind == "demonym"  # "imports of Moldovan wine": tagged a person
    if head.pos_ == "PROPN" and not demonym and (head.ent_type_ == "PERSON" or (index.person_alias(head) and not hit)):
        return _person_mention(head, index)
    if head.pos_ == "NOUN" and head.is_title and index.person_alias(head) and not hit:
        return _person_mention(head, index)  # "Okonkwo condemned ...": a known name the tagger took for a noun
    title = _title_of(head, index)
    if title:
        return _role_mention(head, title, index)
    if head.pos_ == "PROPN" and any(c.dep_ == "appos" for c in head.children):
        countries = _appositive_countries(head, index)  # "Kenzo Oshima, the UN relief coordinator"
        if countries:
            start, end = _phrase_span(head)
            person = Mention(head.doc.text[start:end], start, end, head.i, "person", name=_person_name(head))
            return _with_country(person, countries[:1])
    if (
        head.pos_ == "PROPN"
        and head.ent_type_ not in {"GPE", "NORP", "LOC", "DATE", "FAC"}
        and head.is_title
        and not demonym
    ):
        start, end = _phrase_span(head)
        alias = index.person_alias(head)
        return [Mention(head.doc.text[start:end], start, end, head.i, "person", name=head.text, anaphor="name",
                        alias=alias)]  # fmt: skip
    if head.lemma_.lower() in COUNTRY_NOUNS | PAIR_NOUNS:
        if _is_pair(head):
            start, end = _phrase_span(head)
            return [Mention(head.doc.text[start:end], start, end, head.i, "pair", anaphor="pair")]
        if head.lemma_.lower() in COUNTRY_NOUNS and any(c.lower_ == "the" for c in head.children):
            return [Mention(head.text, head.idx, head.idx + len(head.text), head.i, "country", anaphor="country")]
    if head.lemma_.lower() in LED_GROUP_NOUNS and (leader := _leader(head, index)) is not None:
        start, end = _phrase_span(head)  # "the group led by Abu Musab al-Zarqawi": its leader's country
        alias = index.person_alias(leader)
        return [Mention(head.doc.text[start:end], start, end, head.i, "group", name=alias or "", alias=alias,
                        anaphor="name")]  # fmt: skip
    if head.lower_ == "group" and [c.lower_ for c in head.children] == ["the"]:
        return [Mention(head.text, head.idx, head.idx + len(head.text), head.i, "group", anaphor="group")]
    return _organisation_compound(head, index)


def _state_organ_of(mention: Mention, head: Token, index: DocIndex) -> Mention:
    """'Pakistan's Foreign Office': an organ named as one country's is that country's when another owns it."""
    owners = [m for m in _country_modifiers(head, index) if m.country and m.country != mention.country]
    if owners:
        mention.country = owners[0].country
        mention.code = f"{owners[0].country}{mention.role or ''}"
    return mention


def _resident_group(mention: Mention, head: Token, index: DocIndex) -> Mention:
    """'the Albanians of southern Serbia', 'ethnic Albanians in Serbia': a group living in another country."""
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in {"in", "of", "from"}:
            for obj in child.children:
                hit = index.entry(obj)
                if obj.dep_ == "pobj" and hit and hit[1].kind in {"country", "capital"} and hit[1].country:
                    mention.code = mention.country = hit[1].country
                    mention.role = "CVL"
                    return mention
    return mention


def _organisation_compound(head: Token, index: DocIndex) -> list[Mention]:
    """'the APEC forum', 'the Kremlin-backed bloc': a body named by its compound."""
    if head.lemma_.lower() in SETTING_NOUNS:
        return []
    if any(c.dep_ == "poss" and index.entry(c) for c in head.children):
        return []  # "Sweden's NATO bid": Sweden's, with NATO only what it is about
    for child in head.lefts:
        if child.dep_ == "compound":
            hit = index.entry(child)
            if hit and hit[1].kind in {"igo", "country", "group"}:
                return [_entry_mention(hit[0], hit[1], child)]
    return []


def with_conjuncts(head: Token, index: DocIndex) -> list[Mention]:
    """``mentions_of`` the head and of every conjoined phrase ("the United States and Jordan").

    A list of names the parser read as an apposition ("The US, Russia, and Switzerland": Russia an
    appos of US) counts as conjoined too when the apposition names another party.
    """
    found = mentions_of(head, index)
    heads = [c for c in head.conjuncts if c.i > head.i]
    for child in head.children:
        if child.dep_ == "appos" and _names_other_party(head, child, index):
            heads += [child, *(c for c in child.conjuncts if c.i > child.i)]
    if not found and not heads:  # "nineteen countries, including Australia": the members the text names
        heads = [g for c in head.children if c.dep_ == "prep" and c.lower_ == "including" for g in c.children
                 if g.dep_ == "pobj"]  # fmt: skip
        heads += [c for g in heads for c in g.conjuncts if c.i > g.i]
    for conj in heads:
        found.extend(m for m in mentions_of(conj, index) if all(m.head != f.head for f in found))
    return found


def _names_other_party(head: Token, appos: Token, index: DocIndex) -> bool:
    """'the US, Russia': both are gazetteer parties of different codes (not 'Lavrov, Russia's minister')."""
    mine, other = index.entry(head), index.entry(appos)
    if mine is None or other is None:
        return False
    return mine[1].code != other[1].code and other[1].kind in {"country", "igo", "group"}


def nested_mentions(head: Token, index: DocIndex, skip: frozenset[int] = frozenset()) -> Iterator[list[Mention]]:
    """Actors inside a phrase, nearest first: "Israeli changes", "aid for Romania", "Haiti's efforts".

    Each item is one actor with its conjuncts ("to Iran, Libya and Cuba"); pronouns are passed over.
    """
    queue = [head]
    seen: set[int] = set(skip)
    while queue:
        token = queue.pop(0)
        if token.i in seen:
            continue
        seen.add(token.i)
        if token is not head and not _names_a_language(token):
            found = [m for m in mentions_of(token, index) if m.kind != "pronoun"]
            if not found and (hit := index.entry(token)):
                found = [_entry_mention(hit[0], hit[1], token)]
            if found:
                for conj in token.conjuncts:
                    if conj.i > token.i and conj.i not in seen:
                        seen.add(conj.i)
                        found.extend(mentions_of(conj, index) or _bare_entry(conj, index))
                yield found
                continue
        relational = token.lemma_.lower() in RELATIONAL_NOUNS  # "Ivory Coast's neighbours" are other countries
        queue.extend(
            c
            for c in token.children
            if (c.dep_ not in {"relcl", "advcl", "punct", "cc"} or _infinitive_complement(c))
            and not (relational and c.dep_ == "poss")
        )


def _infinitive_complement(clause: Token) -> bool:
    """'a call for its forces to be deployed in East Timor': what the noun asks for, not a relative clause."""
    return clause.dep_ == "relcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children)


def _names_a_language(token: Token) -> bool:
    """'the use of the Russian language': a language, not the Russians."""
    return token.dep_ in {"amod", "compound"} and token.head.lemma_.lower() in {"language", "tongue"}


def _bare_entry(token: Token, index: DocIndex) -> list[Mention]:
    hit = index.entry(token)
    return [_entry_mention(hit[0], hit[1], token)] if hit else []
