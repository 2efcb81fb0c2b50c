"""Where the parties of a trigger are: subjects, object slots, nested actors, conditions.

Split from ``frames``: that module decides whether a trigger is an event and how it is coded;
this one finds the source and target candidates of a trigger occurrence in the parse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from communique.events.actors import (
    CAPTOR_NOUNS,
    CAPTURE_VERBS,
    RELATIONAL_NOUNS,
    RELEASE_VERBS,
    DocIndex,
    Mention,
    draft_authors,
    draft_sponsor,
    mentions_of,
    nested_mentions,
    place_mention,
    with_conjuncts,
)
from communique.events.triggers import Trigger

if TYPE_CHECKING:
    from spacy.tokens import Token

#: A trigger noun in these relations takes its code and source from the verb ("imposed sanctions").
#: Not nsubj: in "talks ended" the verb says what became of the event, not who did it.
NOUN_VERB_DEPS = frozenset({"dobj", "attr", "oprd", "nsubjpass", "dative"})
CONDITIONAL_MARKS = frozenset({"if", "unless", "whether"})
#: People who are no party when nobody's ("accused his opponents of ...", "a journalist").
HUMAN_NOUNS = frozenset(
    {"opponent", "rival", "critic", "challenger", "man", "woman", "journalist", "reporter", "businessman",
     "activist", "suspect", "spy", "dissident", "student", "worker", "citizen", "national", "tourist"}
)  # fmt: skip
#: Nouns for a country's partners or people: its possessor is not who they are ("Somalia's neighbours").
OWNERLESS_NOUNS = RELATIONAL_NOUNS | {"friend", "supporter", "people", "population", "creditor", "donor", "member"}
#: States addressed without a name ("urged all countries to ..."): no actor nested after them is the target.
UNNAMED_STATES = frozenset({"country", "nation", "state", "government"})
#: Participles used as adjectives before a name, which the small model parses as verbs with an object.
ADJECTIVAL_PARTICIPLES = frozenset({"neighboring", "neighbouring"})
#: "on the sidelines of the summit": the occasion of a meeting, not its topic.
SIDELINE_NOUNS = frozenset({"sideline", "sidelines", "margin", "margins", "fringe", "fringes"})
#: Prepositions of time, place and manner: their objects are circumstances, not targets.
_CIRCUMSTANTIAL = frozenset({"in", "at", "during", "since", "after", "before", "on", "by", "until", "amid"})


@dataclass(slots=True)
class Candidate:
    """One trigger occurrence: its token, row, code, and the triggers it governs."""

    token: Token
    trigger: Trigger
    code: str
    flip: bool = False
    governor: Candidate | None = None
    embedded: list[Candidate] = field(default_factory=list)
    #: Where a verb pattern put the target (``obj``, a preposition), overriding the trigger's slots.
    targets: tuple[str, ...] | None = None
    #: A verb pattern coded a joint act (both directions).
    mutual: bool = False
    #: A dictionary verb that governs one of our own triggers gives way to it ("sent a message to
    #: congratulate him", "reached agreement with"): our row states the act.
    yielded: bool = False

    @property
    def slots(self) -> tuple[str, ...]:
        return self.targets if self.targets is not None else self.trigger.targets


@dataclass(slots=True)
class TargetGroup:
    """Candidate targets from one slot; ``direct`` is False for actors nested inside a phrase."""

    mentions: list[Mention]
    direct: bool
    pair: bool = False


def light_verb(noun: Token) -> Token | None:
    """The verb a trigger noun is the object of ("held talks", "imposed sanctions on")."""
    if noun.dep_ == "compound" and noun.head.pos_ in {"NOUN", "PROPN"}:
        noun = noun.head  # "a mediation mission", "a military aid program"
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ in {"of", "in"} and head.head.pos_ in {"NOUN", "NUM"}:
        return light_verb(head.head)  # "gave 5 million dollars of aid", "500 million euros in aid"
    if noun.dep_ in NOUN_VERB_DEPS and head.pos_ in {"VERB", "AUX"}:
        return head
    if noun.dep_ == "pobj" and head.dep_ in {"prep", "prt"} and head.head.pos_ == "VERB":
        return head.head
    if noun.dep_ == "pobj" and head.lower_ in {"in", "for"} and head.head.lemma_ == "be":
        return head.head  # "Iran is in talks with Iraq", "Kerry was in Cairo for talks with Sisi"
    if noun.dep_ == "conj":
        return light_verb(head) if head.pos_ in {"NOUN", "PROPN"} else None
    return None


def clause_verb(token: Token) -> Token:
    """The verb whose clause states the event: the trigger itself, or the light verb of a noun."""
    if token.pos_ in {"NOUN", "PROPN"}:
        return light_verb(token) or token
    if token.pos_ == "ADJ" and token.dep_ in {"acomp", "amod"}:
        return token.head
    return token


def stative_passive(verb: Token) -> bool:
    """'is opposed to', 'is committed to': a passive form without an agent that reads as an adjective."""
    return (
        any(c.dep_ == "nsubjpass" for c in verb.children)
        and not any(c.dep_ == "agent" for c in verb.children)
        and any((c.dep_ in {"prep", "xcomp"} and c.lower_ in {"to"}) or c.dep_ == "xcomp" for c in verb.children)
    )


def _subject_tokens(verb: Token) -> tuple[list[Token], bool]:
    """Subject heads of ``verb`` and whether they are the logical subject (False: passive)."""
    passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)
    if passive and stative_passive(verb):
        return [c for c in verb.children if c.dep_ == "nsubjpass"], True
    if passive:
        agents = _agents(verb)
        if not agents and verb.lemma_.lower() in RELEASE_VERBS:
            agents = _captors(verb)
        return agents, True
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "expl"} and c.dep_ != "expl"]
    return subjects, True


def _captors(release: Token) -> list[Token]:
    """'hostages held by the Taliban were released': who held them is who let them go."""
    for subject in (c for c in release.children if c.dep_ == "nsubjpass"):
        for clause in (c for c in subject.children if c.dep_ in {"acl", "relcl"}):
            if clause.lemma_.lower() in CAPTURE_VERBS:
                return _agents(clause)
    return []


def _agents(verb: Token) -> list[Token]:
    """The objects of a passive's "by" phrase."""
    return [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]


def misread_participles(verb: Token) -> list[Token]:
    """'visits neighboring Canada next week': the adjective the small model parses as a verb under
    ``verb``, holding what belongs to ``verb`` (the object, the time)."""
    return [c for c in verb.children if c.dep_ == "xcomp" and c.lower_ in ADJECTIVAL_PARTICIPLES]


def _other_subject(verb: Token, parent: Token) -> bool:
    """A verb that cannot take its parent's subject, a parse error either way: a conjoined plain
    "support" after "has taken" or "visited", or a finite adverbial clause that lost its own subject
    ("grinned with Putin and Trump praised him": "praised" is Trump's, not the grinner's)."""
    if any(c.dep_ in {"aux", "auxpass"} for c in verb.children):
        return False
    if verb.dep_ == "conj":
        return verb.tag_ in {"VB", "VBP"} and parent.tag_ in {"VBN", "VBZ", "VBD"}
    finite = verb.tag_ in {"VBD", "VBZ", "VBP"}
    return verb.dep_ == "advcl" and finite and not any(c.dep_ == "mark" for c in verb.children)


def find_sources(trigger: Token, clause: Token, index: DocIndex) -> list[Mention]:
    """The source: the subject, the passive's agent, an infinitive's controller, a relative's noun."""
    verb = clause
    for _ in range(5):
        subjects, _logical = _subject_tokens(verb)
        if subjects:
            return [m for s in subjects for m in with_conjuncts(s, index)]
        if verb.dep_ == "relcl":
            return with_conjuncts(verb.head, index)
        if verb.dep_ == "acl" or (
            verb.dep_ in {"xcomp", "advcl", "conj", "ccomp", "pcomp", "acomp"} and verb.head.i != verb.i
        ):
            parent = verb.head
            if parent.dep_ == "prep" and parent.head.i != parent.i:
                parent = parent.head
            if verb.dep_ == "xcomp" and any(c.dep_ == "nsubjpass" for c in parent.children):
                raised = [c for c in parent.children if c.dep_ == "nsubjpass"]  # "X is expected to visit"
                return [m for s in raised for m in with_conjuncts(s, index)]
            if verb.dep_ == "acl" and headline_infinitive(verb):
                return with_conjuncts(parent, index)  # "Kenyan president to meet Ugandan leader"
            # "It was an honour to defend America": no actor; "agree that China has taken advantage of
            # the US and support Trump's efforts": the conjoined verb has another subject
            if verb.dep_ == "acl" or _expletive(parent) or _other_subject(verb, parent):
                sponsor = draft_sponsor(parent) if verb.dep_ == "acl" else None  # "passed a resolution demanding"
                return with_conjuncts(sponsor, index) if sponsor is not None else []
            verb = parent
            continue
        break
    return []


def headline_infinitive(verb: Token) -> bool:
    """'Blair to visit China', 'Kenyan president to meet Ugandan leader': a headline's plan."""
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return False
    if verb.dep_ == "ROOT":
        return any(c.dep_ == "nsubj" for c in verb.children)
    head = verb.head
    return verb.dep_ in {"acl", "relcl"} and head.dep_ == "ROOT" and head.pos_ in {"NOUN", "PROPN"}


def _expletive(verb: Token) -> bool:
    return verb.lemma_ == "be" and any(c.dep_ == "nsubj" and c.lower_ in {"it", "this", "that"} for c in verb.children)


def nominal_sources(noun: Token, index: DocIndex) -> list[Mention]:
    """Parties named on a trigger noun itself: "Egypt's visit", "US-China talks", "a visit by X"."""
    found: list[Mention] = []
    for child in noun.children:
        if child.dep_ in {"poss", "compound", "amod", "nmod"}:
            found.extend(with_conjuncts(child, index))
        elif child.dep_ == "prep" and child.lower_ == "by":
            found.extend(m for g in child.children if g.dep_ == "pobj" for m in with_conjuncts(g, index))
    return found


def prep_objects(token: Token, preps: set[str]) -> list[Token]:
    """Objects of the given prepositions (or particles) under ``token``."""
    found: list[Token] = []
    for child in token.children:  # "sent a delegation to Iran": the parser often calls that "to" a dative
        if child.dep_ in {"prep", "prt", "agent", "dative"} and child.lower_ in preps:
            found.extend(g for g in child.children if g.dep_ in {"pobj", "pcomp"})
            if child.n_lefts + child.n_rights == 0:
                found.extend(_stranded_object(child))
        elif child.dep_ in {"prep", "prt", "advmod"} and child.lower_ in {"out", "away"}:
            found.extend(prep_objects(child, preps))  # "pulled its troops out of Iraq"
    return found


def _stranded_object(prep: Token) -> list[Token]:
    """The object a misparse made the subject of a reduced relative: "asylum to officers holed up in ..."

    The small model reads "officers holed up" as a clause of its own and leaves "to" with no object.
    """
    for token in prep.doc[prep.i + 1 : prep.i + 8]:
        if token.dep_ in {"nsubj", "nsubjpass"} and token.head.head.i == prep.head.i and token.head.i > token.i:
            return [token] if all(t.i > prep.i for t in token.subtree) else []
        if token.pos_ in {"VERB", "PUNCT"} or token.dep_ == "ROOT":
            return []
    return []


def _slot_heads(token: Token, slot: str, clause: Token) -> list[Token]:
    """The heads of one target slot of a trigger ('obj' or a preposition)."""
    if token.dep_ == "compound" and token.head.pos_ in {"NOUN", "PROPN"}:
        token = token.head  # "mediation mission between A and B"
    hosts = [token] if clause is token else [token, clause]
    if slot == "obj":
        deps = {"dobj", "dative", "nsubjpass"} if token.pos_ != "NOUN" else {"dative"}
        if stative_passive(clause):
            deps = deps - {"nsubjpass"}
        heads = [c for h in hosts for c in h.children if c.dep_ in deps and c.i != token.i]
        heads += [g for h in hosts for c in misread_participles(h) for g in c.children if g.dep_ == "dobj"]
        heads += [g for h in hosts for c in h.children if c.dep_ == "dative" for g in c.children if g.dep_ == "pobj"]
        return heads
    heads = [g for h in hosts for g in prep_objects(h, {slot})]
    for host in hosts:
        for obj in host.children:
            if obj.dep_ in {"dobj", "nsubjpass"} and obj.i != token.i:
                heads.extend(prep_objects(obj, {slot}))
                if slot != "of":  # "reduce the number of its troops in Iraq"
                    heads.extend(h for theme in prep_objects(obj, {"of"}) for h in prep_objects(theme, {slot}))
    if token.pos_ in {"NOUN", "PROPN"} and slot != "of":  # "the withdrawal of forces from Panama"
        for theme in prep_objects(token, {"of"}):
            heads.extend(prep_objects(theme, {slot}))
    return heads


def _slot_groups(token: Token, trigger: Trigger, slot: str, clause: Token, index: DocIndex) -> list[TargetGroup]:
    """The actors of one slot; when its phrase is no actor, the actors nested in it ("over Israeli raids")."""
    mentions: list[Mention] = []
    nested: list[TargetGroup] = []
    for head in _slot_heads(token, slot, clause):
        if slot == "between":  # each side on its own: "between an Israeli movement and the PLO"
            mentions.extend(m for side in (head, *head.conjuncts) if (m := _between_side(side, index)))
            continue
        found = draft_authors(head, index) or with_conjuncts(head, index)
        if trigger.place_target and head.i in index.places and index.entry(head) is None:
            found = _place_mentions_of(head, index) or found  # "visited Seattle": a city, not a person named Seattle
        if trigger.place_target and slot != "obj":
            for mention in found:
                if mention.kind == "capital":  # "arrived in Amman": the country visited, not its government
                    mention.role = None
        if not found and trigger.place_target:
            found = _place_mentions_of(head, index)
        if not found and not trigger.place_target and slot != "with":  # "met with China's approval": no party
            found = _owners(head, index)
        if not found and not trigger.place_target:  # "a visit to a border area near Libya": not to Libya
            nested.extend(TargetGroup(unit, direct=False) for unit in nested_mentions(head, index))
        mentions.extend(found)
    if mentions:
        return [TargetGroup(mentions, direct=True, pair=slot == "between")]
    return nested


def _owners(head: Token, index: DocIndex) -> list[Mention]:
    """Whose act or proposal the slot names: "protested China's deployment", "rejected the plan by Britain".

    Not whose people or partners: "urged Somalia's neighbours" is not Somalia.
    """
    if head.lemma_.lower() in HUMAN_NOUNS | OWNERLESS_NOUNS:
        return []
    for child in head.children:
        owner = child if child.dep_ == "poss" else None
        if child.dep_ == "prep" and child.lower_ == "by":
            owner = next((g for g in child.children if g.dep_ == "pobj"), None)
        if owner is not None:  # a named owner: "its" may be anyone's
            return [m for m in with_conjuncts(owner, index) if m.kind != "pronoun"]
    return []


def _place_mentions_of(head: Token, index: DocIndex) -> list[Mention]:
    found = place_mention(head, index)
    return [found] if found is not None else []


def _between_side(side: Token, index: DocIndex) -> Mention | None:
    found = mentions_of(side, index) or next(nested_mentions(side, index), [])
    return found[0] if found else None


def find_targets(candidate: Candidate, embedded: Candidate | None, clause: Token, index: DocIndex) -> list[TargetGroup]:
    """Target candidates in order: the trigger's slots, the embedded action's, conditions, nested actors."""
    groups: list[TargetGroup] = []
    trigger = candidate.trigger
    for slot in candidate.slots:
        groups.extend(_slot_groups(candidate.token, trigger, slot, clause, index))
    if embedded is not None:
        inner = clause_verb(embedded.token)
        subjects = _embedded_subjects(inner, clause)
        for subject in subjects:
            found = with_conjuncts(subject, index)
            if found:
                groups.append(TargetGroup(found, direct=True))
        for slot in embedded.slots:
            groups.extend(_slot_groups(embedded.token, embedded.trigger, slot, inner, index))
    if trigger.family == "threaten":
        groups.extend(_condition_subjects(candidate, embedded, index))
    if trigger.family in {"threaten", "demand"}:
        groups.extend(_captives(clause, index))
    if not trigger.place_target:  # a visit goes to a place named as such, not to a country near it
        groups.extend(_nested_groups(candidate, embedded, clause, index))
    if _person_object(candidate.token, index):  # "accused a journalist of spying for X": not X
        groups = [g for g in groups if g.direct]
    return groups


def _person_object(token: Token, index: DocIndex) -> bool:
    """The trigger's direct object is a person, people or states that are no party: nothing nested stands in."""
    for child in token.children:
        if child.dep_ == "dobj" and not with_conjuncts(child, index):
            if child.ent_type_ == "PERSON" or child.lemma_.lower() in HUMAN_NOUNS | UNNAMED_STATES:
                return True  # "all countries", "other nations": nobody in particular
            if index.entry(child) and child.i >= 2 and child.nbor(-1).text == "-":
                return True  # "a Chinese-American"
    return False


def _embedded_subjects(inner: Token, clause: Token) -> list[Token]:
    """The nearest subject between an embedded action and the governing clause.

    "demanded that the US cancel plans to sell arms to Taiwan": the demand is on the US, the
    subject of the clause on the way up, even when the action found is deeper ("sell").
    """
    current = inner
    for _ in range(6):
        if current.i == clause.i:
            return []
        subjects = [c for c in current.children if c.dep_ == "nsubj"]
        if subjects:
            return subjects
        if current.head.i == current.i:
            return []
        current = current.head
    return []


def _captives(clause: Token, index: DocIndex) -> list[TargetGroup]:
    """'the kidnappers of two French reporters demanded', 'militants holding a Japanese man threatened':
    a hostage-taker's demand or threat is aimed at the hostages' country (the annotation guide's rule)."""
    groups = []
    held_here = [o for o in clause.children if o.dep_ == "dobj"] if clause.lemma_.lower() in CAPTURE_VERBS else []
    for subject in (c for c in clause.children if c.dep_ == "nsubj"):
        held = prep_objects(subject, {"of"}) if subject.lemma_.lower() in CAPTOR_NOUNS else []
        held += [o for c in subject.children if c.dep_ == "acl" and c.lemma_.lower() in CAPTURE_VERBS
                 for o in c.children if o.dep_ == "dobj"]  # fmt: skip
        held += held_here  # "are holding a Japanese man under threat of death"
        for hostage in held:  # "a Japanese man": the demonym of a person who is no actor
            found = with_conjuncts(hostage, index) or [m for unit in nested_mentions(hostage, index) for m in unit]
            if found:
                groups.append(TargetGroup(found, direct=False))
    return groups


def _condition_subjects(candidate: Candidate, embedded: Candidate | None, index: DocIndex) -> list[TargetGroup]:
    """'X threatened to ... unless Y withdraws': the threat is aimed at the subject of the condition."""
    groups = []
    for part in [candidate] + ([embedded] if embedded else []):
        for clause in part.token.subtree:
            if clause.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in clause.children
            ):
                for subject in (c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}):
                    found = with_conjuncts(subject, index)
                    if found:
                        groups.append(TargetGroup(found, direct=True))
    return groups


def _nested_groups(
    candidate: Candidate, embedded: Candidate | None, clause: Token, index: DocIndex
) -> list[TargetGroup]:
    """Actors inside the objects: "rejected proposed Israeli changes" targets Israel."""
    subject_ids = {t.i for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"} for t in c.subtree}
    roots: list[Token] = []
    for part in [candidate] + ([embedded] if embedded else []):
        token = part.token
        for host in (token, clause_verb(token)):
            for child in host.children:
                argument = child.dep_ in {"dobj", "dative", "xcomp", "ccomp", "attr", "oprd"}
                if argument or (child.dep_ in {"prep", "prt"} and child.lower_ not in _CIRCUMSTANTIAL):
                    roots.append(child)
        if token.pos_ in {"NOUN", "PROPN"}:
            roots.append(token)
    # "Syria talks in Russia", "talks on the sidelines of the SCO summit": where an eventive noun
    # happens is no party to it
    settings = [c for root in roots if root.pos_ in {"NOUN", "PROPN"} for c in root.children if c.dep_ == "prep"]
    places = {t.i for c in settings if c.lower_ in {"in", "at"} or _on_the_sidelines(c) for t in c.subtree}
    groups: list[TargetGroup] = []
    seen: set[int] = set()
    for root in roots:
        if root.i in seen:
            continue
        seen.add(root.i)
        skipped = frozenset(subject_ids | places)
        groups.extend(TargetGroup(unit, direct=False) for unit in nested_mentions(root, index, skipped))
    return groups


def _on_the_sidelines(prep: Token) -> bool:
    """'on the sidelines of', 'on the margins of': the occasion of a meeting, not its topic."""
    return prep.lower_ in {"on", "at"} and any(c.lemma_.lower() in SIDELINE_NOUNS for c in prep.children)


def flip_parties(
    receivers: list[Mention], candidate: Candidate, clause: Token, index: DocIndex
) -> tuple[list[Mention], list[TargetGroup]]:
    """'Y received aid from X', 'Y won the backing of X': X is the source, Y (the subject) the target."""
    heads = prep_objects(clause, {"from"}) + prep_objects(candidate.token, {"from", "of"})
    givers = [m for head in heads for m in with_conjuncts(head, index)]
    return givers, ([TargetGroup(receivers, direct=True)] if receivers else [])
