"""Event frames in one parsed sentence: trigger, code, source and target candidates, modality.

The rules, in the order they apply (docs/extraction.md explains each with examples):

1. A token is a trigger when its lemma and part of speech are in ``triggers.jsonl`` and its
   conditions hold (object noun, particle, modifier, governing light verb).
2. A trigger under another trigger (through complements, objects and purpose clauses) is
   absorbed by it: "agreed to provide aid" is one event coded by composition (033), "condemned
   the sanctions" one criticism.
3. Negated ("did not meet", "no talks") and hypothetical ("may visit", "if they meet")
   statements give no frame. Future ones ("will visit", "plans to meet") are coded as intent (03x).
   "X said Y must/should Z" is X demanding Z of Y.
4. The source is the subject (the "by" agent in the passive, the controller of an infinitive, the
   noun a relative clause modifies); the target comes from the trigger's own slots in order, then
   from the embedded action's slots, then from actors nested in those phrases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from communique.actors import DocIndex, Mention, mentions_of, nested_mentions, with_conjuncts
from communique.coding import compose
from communique.gazetteer import load_gazetteer
from communique.triggers import Trigger, load_triggers

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

SPEECH_VERBS = frozenset(
    {"say", "tell", "announce", "state", "declare", "add", "report", "note", "claim", "stress", "confirm",
     "reiterate", "affirm", "indicate", "explain", "write", "tweet", "assert", "argue", "maintain",
     "predict"}
)  # fmt: skip
CLIMB_DEPS = frozenset({"xcomp", "ccomp", "pcomp", "pobj", "prep", "dobj", "acomp", "attr", "oprd",
                        "nsubjpass", "acl", "advcl", "dative"})  # fmt: skip
#: A trigger noun in these relations takes its code and source from the verb ("imposed sanctions").
#: Not nsubj: in "talks ended" the verb says what became of the event, not who did it.
NOUN_VERB_DEPS = frozenset({"dobj", "attr", "oprd", "nsubjpass", "dative"})
SPECULATIVE_AUX = frozenset({"may", "might", "could", "can"})
OBLIGATION_AUX = frozenset({"must", "should", "ought"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
CONDITIONAL_MARKS = frozenset({"if", "unless", "whether"})
NEGATIONS = frozenset({"not", "n't", "never", "no"})
HYPOTHETICAL_VERBS = frozenset({"consider", "mull", "weigh", "contemplate", "deny", "fail"})
PHONE_WORDS = frozenset({"phone", "telephone", "video", "videoconference", "telephonically"})


@dataclass(slots=True)
class TargetGroup:
    """Candidate targets from one slot; ``direct`` is False for actors nested inside a phrase."""

    mentions: list[Mention]
    direct: bool
    pair: bool = False


@dataclass(slots=True)
class Frame:
    """One event frame before coreference: the code and the parties as mentions."""

    code: str
    trigger: int
    action: int
    sources: list[Mention]
    targets: list[TargetGroup]
    symmetric: bool = False
    mutual: bool = False
    mediate: bool = False
    flip: bool = False
    speaker: Mention | None = None
    rule: str = ""
    anchors: list[int] = field(default_factory=list)


#: Prepositions of time, place and manner: their objects are circumstances, not targets.
_CIRCUMSTANTIAL = frozenset({"in", "at", "during", "since", "after", "before", "on", "by", "until", "amid"})
_OBLIGATION = Trigger(lemma="must", pos="VERB", code="100", family="demand")


@dataclass(slots=True)
class _Candidate:
    token: Token
    trigger: Trigger
    code: str
    flip: bool = False
    governor: _Candidate | None = None
    embedded: list[_Candidate] = field(default_factory=list)


class FrameFinder:
    """The ``communique_frames`` component: sets ``doc._.event_frames``."""

    def __init__(self) -> None:
        self.table = load_triggers()
        self.gazetteer = load_gazetteer()

    def __call__(self, doc: Doc) -> Doc:
        doc._.event_frames = self.find(doc)
        return doc

    def find(self, doc: Doc) -> list[Frame]:
        """Every frame of a parsed doc, in trigger order."""
        index = DocIndex.build(doc, self.gazetteer)
        candidates = [c for token in doc if (c := self._candidate(token, index)) is not None]
        by_token = {c.token.i: c for c in candidates}
        for candidate in candidates:
            governor = _governor(candidate.token, by_token)
            if governor is not None:
                candidate.governor = governor
                governor.embedded.append(candidate)
        frames = []
        for candidate in candidates:
            if candidate.governor is None:
                frame = self._frame(candidate, index)
                if frame is not None:
                    frames.append(frame)
        frames.extend(self._bare_obligations(doc, by_token, index))
        return frames

    def _bare_obligations(self, doc: Doc, by_token: dict[int, _Candidate], index: DocIndex) -> list[Frame]:
        """'X said Y must drop its barriers': a demand even when the demanded act is no trigger."""
        frames = []
        for verb in doc:
            if verb.pos_ not in {"VERB", "AUX"} or verb.i in by_token or verb.dep_ != "ccomp":
                continue
            if not any(c.dep_ == "aux" and c.lower_ in OBLIGATION_AUX for c in verb.children):
                continue
            if _governor(verb, by_token) is not None or _modality(verb) != "obligation":
                continue
            speaker = _speaker(verb, index)
            candidate = _Candidate(verb, _OBLIGATION, "100")
            frame = _obligation_frame(candidate, "100", verb, speaker, index)
            if frame is not None:
                frames.append(frame)
        return frames

    # --- triggers -------------------------------------------------------------------------------

    def _candidate(self, token: Token, index: DocIndex) -> _Candidate | None:
        pos = token.pos_
        if pos in {"VERB", "AUX"}:
            trigger = self.table.get(token.lemma_, "VERB")
        elif pos in {"NOUN", "PROPN"}:
            trigger = self.table.get(token.lemma_, "NOUN")
        elif pos == "ADJ":
            trigger = self.table.get(token.lemma_, "ADJ") or self.table.get(token.lower_, "ADJ")
        else:
            return None
        if trigger is None:
            return None
        if trigger.pos == "NOUN":
            return _noun_candidate(token, trigger)
        return _verb_candidate(token, trigger, index)

    # --- frames ---------------------------------------------------------------------------------

    def _frame(self, candidate: _Candidate, index: DocIndex) -> Frame | None:  # noqa: PLR0911 - each return is a rule
        trigger = candidate.trigger
        embedded = candidate.embedded[0] if candidate.embedded else None
        if trigger.needs_embedded and embedded is None:
            return None
        if embedded is not None and _modality(embedded.token) in {"negated", "speculative"}:
            return None
        modality = _modality(candidate.token)
        if modality in {"negated", "speculative"}:
            return None
        code = candidate.code
        if trigger.family and embedded is not None:
            code = compose(trigger.family, embedded.code)
        if modality == "future" and _has_condition(candidate.token, {"unless"}):
            code = compose("threaten", code)  # "will withdraw its force unless ...": a threat
        elif modality == "future" and not trigger.family:
            code = compose("intent", code)
        if not code:
            return None
        clause = _clause_verb(candidate.token)
        speaker = _speaker(clause, index)
        if modality == "obligation":
            return _obligation_frame(candidate, code, clause, speaker, index)
        sources = _sources(candidate.token, clause, index)
        targets = _targets(candidate, embedded, clause, index)
        if trigger.needs_target and not any(g.direct for g in targets):
            return None
        if (trigger.needs_actor_object or trigger.object_lemmas) and not targets:
            return None
        frame = Frame(
            code=code, trigger=candidate.token.i, action=(embedded or candidate).token.i,
            sources=sources, targets=targets, symmetric=trigger.frame == "symmetric", mutual=trigger.mutual,
            mediate=trigger.frame == "mediate", flip=candidate.flip, speaker=speaker,
            rule=_rule_name(trigger, embedded),
            anchors=sorted({candidate.token.i, clause.i if clause is not None else candidate.token.i}),
        )  # fmt: skip
        if frame.flip:
            frame.sources, frame.targets = _flip(frame, candidate, clause, index)
        if not frame.sources:
            frame.sources = _nominal_sources(candidate.token, index)
        return frame


def _rule_name(trigger: Trigger, embedded: _Candidate | None) -> str:
    """'verb:agree>aid': which trigger (and embedded action) made the frame, for debugging."""
    return f"{trigger.pos.lower()}:{trigger.lemma}" + (f">{embedded.trigger.lemma}" if embedded else "")


def _noun_candidate(token: Token, trigger: Trigger) -> _Candidate | None:
    if trigger.plural_only and token.tag_ not in {"NNS", "NNPS"} and not token.lower_.endswith("s"):
        return None
    modifiers = {c.lemma_.lower() for c in token.children if c.dep_ in {"amod", "compound", "nmod"}}
    modifiers |= {g.lemma_.lower() for c in token.children if c.dep_ == "prep" for g in c.children}
    if trigger.needs_modifier and not modifiers & set(trigger.needs_modifier):
        return None
    code = next((trigger.modifiers[m] for m in modifiers if m in trigger.modifiers), trigger.code)
    flip = False
    verb = _light_verb(token)
    if verb is not None and verb.lemma_.lower() in trigger.verbs:
        override = trigger.verbs[verb.lemma_.lower()]
        if override == "flip":
            flip = True
        elif override:
            code = override
    elif trigger.needs_verb or not trigger.nominal:
        return None
    return _Candidate(token, trigger, code, flip=flip) if code else None


def _verb_candidate(token: Token, trigger: Trigger, index: DocIndex) -> _Candidate | None:
    if trigger.prt and not any(c.lower_ in trigger.prt and c.dep_ in {"prt", "prep"} for c in token.children):
        return None
    code = trigger.code
    objects = _objects(token)
    if trigger.object_lemmas and not any(o.lemma_.lower() in trigger.object_lemmas for o in objects):
        return None
    for obj in objects:
        code = trigger.object_codes.get(obj.lemma_.lower(), code)
    if trigger.needs_actor_object or trigger.actor_object_code:
        is_actor = any(mentions_of(o, index) for o in objects)
        if trigger.needs_actor_object and not is_actor:
            return None
        if is_actor and trigger.actor_object_code:
            code = trigger.actor_object_code
    if trigger.phone_code and _by_phone(token):
        code = trigger.phone_code
    return _Candidate(token, trigger, code) if code else None


def _objects(token: Token) -> list[Token]:
    objects = [c for c in token.children if c.dep_ in {"dobj", "dative", "nsubjpass"}]
    for child in token.children:
        if child.dep_ in {"prt", "prep"}:
            objects.extend(g for g in child.children if g.dep_ in {"pobj", "dobj"})
    return objects


def _by_phone(token: Token) -> bool:
    for child in token.subtree:
        if child.lower_ in PHONE_WORDS and child.head.lower_ in {"by", "over", "via", "on"}:
            return True
    return False


def _light_verb(noun: Token) -> Token | None:
    """The verb a trigger noun is the object of ("held talks", "imposed sanctions on")."""
    if noun.dep_ == "compound" and noun.head.pos_ in {"NOUN", "PROPN"}:
        noun = noun.head  # "a mediation mission", "a military aid program"
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ in {"of", "in"} and head.head.pos_ == "NOUN":
        return _light_verb(head.head)  # "gave 5 million dollars of aid", "500 million euros in aid"
    if noun.dep_ in NOUN_VERB_DEPS and head.pos_ in {"VERB", "AUX"}:
        return head
    if noun.dep_ == "pobj" and head.dep_ in {"prep", "prt"} and head.head.pos_ == "VERB":
        return head.head
    if noun.dep_ == "conj":
        return _light_verb(head) if head.pos_ in {"NOUN", "PROPN"} else None
    return None


def _governor(token: Token, by_token: dict[int, _Candidate]) -> _Candidate | None:
    current = token
    for _ in range(6):
        while current.dep_ == "conj" and current.pos_ in {"NOUN", "PROPN"} and current.head.i != current.i:
            current = current.head  # "a treaty of friendship and cooperation"
        if current.dep_ not in CLIMB_DEPS or current.head.i == current.i:
            return None
        current = current.head
        found = by_token.get(current.i)
        if found is None and current.pos_ in {"VERB", "AUX"}:
            # "held a phone call to discuss X": the purpose clause belongs to the call
            found = next(
                (by_token[c.i] for c in current.children if c.dep_ == "dobj" and c.i in by_token), None
            )
            found = None if found is not None and found.token.i == token.i else found
        if found is not None:
            return found
    return None


def _clause_verb(token: Token) -> Token:
    """The verb whose clause states the event: the trigger itself, or the light verb of a noun."""
    if token.pos_ in {"NOUN", "PROPN"}:
        return _light_verb(token) or token
    if token.pos_ == "ADJ" and token.dep_ in {"acomp", "amod"}:
        return token.head
    return token


def _modality(token: Token) -> str:
    """negated, speculative, obligation, future or factual, read from the trigger's clause."""
    clause = _clause_verb(token)
    verbs = list(dict.fromkeys([token, clause, *_xcomp_path(clause)]))
    result = "factual"
    for verb in verbs:
        children = list(verb.children)
        if any(c.dep_ == "neg" or (c.lower_ in NEGATIONS and c.dep_ in {"det", "advmod"}) for c in children):
            return "negated"
        if verb.lemma_.lower() in HYPOTHETICAL_VERBS:
            return "negated"
        if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in children):
            return "speculative"
        auxes = {c.lower_ for c in children if c.dep_ in {"aux", "auxpass"}}
        if auxes & SPECULATIVE_AUX:
            return "speculative"
        if auxes & OBLIGATION_AUX:
            result = "obligation"
        elif "would" in auxes:
            result = "future" if _reported(verb) else "speculative"
        elif auxes & FUTURE_AUX or _going_to(verb):
            result = "future" if result == "factual" else result
    return "speculative" if result == "speculative" else result


def _xcomp_path(token: Token) -> list[Token]:
    """Non-trigger verbs above a trigger through infinitives ("may try to meet")."""
    path: list[Token] = []
    current = token
    while current.dep_ == "xcomp" and current.head.i != current.i and len(path) < 4:
        current = current.head
        path.append(current)
    return path


def _reported(verb: Token) -> bool:
    return any(a.lemma_.lower() in SPEECH_VERBS for a in verb.ancestors)


def _going_to(verb: Token) -> bool:
    head = verb.head
    return verb.dep_ == "xcomp" and head.lower_ == "going" and any(c.lemma_ == "be" for c in head.children)


def _speaker(clause: Token, index: DocIndex) -> Mention | None:
    """The subject of the nearest speech verb above the clause ("Syria says it is willing ...")."""
    for ancestor in [clause, *clause.ancestors]:
        if ancestor.lemma_.lower() in SPEECH_VERBS:
            for verb in (ancestor, ancestor.head):  # "X was quoted as saying"
                for child in verb.children:
                    if child.dep_ in {"nsubj", "nsubjpass"}:
                        found = mentions_of(child, index)
                        if found:
                            return found[0]
            return None
    root = clause.sent.root
    if root.lemma_.lower() in SPEECH_VERBS and root.i != clause.i:
        return _speaker(root, index)
    return None


def _stative_passive(verb: Token) -> bool:
    """'is opposed to', 'is committed to': a passive form without an agent that reads as an adjective."""
    return (
        any(c.dep_ == "nsubjpass" for c in verb.children)
        and not any(c.dep_ == "agent" for c in verb.children)
        and any(
            (c.dep_ in {"prep", "xcomp"} and c.lower_ in {"to"}) or c.dep_ == "xcomp" for c in verb.children
        )
    )


def _subject_tokens(verb: Token) -> tuple[list[Token], bool]:
    """Subject heads of ``verb`` and whether they are the logical subject (False: passive)."""
    passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)
    if passive and _stative_passive(verb):
        return [c for c in verb.children if c.dep_ == "nsubjpass"], True
    if passive:
        agents = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        return agents, True
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "expl"} and c.dep_ != "expl"]
    return subjects, True


def _sources(trigger: Token, clause: Token, index: DocIndex) -> list[Mention]:
    verb = clause
    for _ in range(5):
        subjects, _logical = _subject_tokens(verb)
        if subjects:
            return [m for s in subjects for m in with_conjuncts(s, index)]
        if verb.dep_ == "relcl":
            return with_conjuncts(verb.head, index)
        if verb.dep_ == "acl" or (
            verb.dep_ in {"xcomp", "advcl", "conj", "ccomp", "pcomp"} and verb.head.i != verb.i
        ):
            parent = verb.head
            if parent.dep_ == "prep" and parent.head.i != parent.i:
                parent = parent.head
            if verb.dep_ == "xcomp" and any(c.dep_ == "nsubjpass" for c in parent.children):
                raised = [c for c in parent.children if c.dep_ == "nsubjpass"]  # "X is expected to visit"
                return [m for s in raised for m in with_conjuncts(s, index)]
            if verb.dep_ == "acl":
                return []
            verb = parent
            continue
        break
    return []


def _nominal_sources(noun: Token, index: DocIndex) -> list[Mention]:
    """Parties named on a trigger noun itself: "Egypt's visit", "US-China talks", "a visit by X"."""
    found: list[Mention] = []
    for child in noun.children:
        if child.dep_ in {"poss", "compound", "amod", "nmod"}:
            found.extend(with_conjuncts(child, index))
        elif child.dep_ == "prep" and child.lower_ == "by":
            found.extend(m for g in child.children if g.dep_ == "pobj" for m in with_conjuncts(g, index))
    return found


def _prep_objects(token: Token, preps: set[str]) -> list[Token]:
    found: list[Token] = []
    for child in token.children:
        if child.dep_ in {"prep", "prt", "agent"} and child.lower_ in preps:
            found.extend(g for g in child.children if g.dep_ in {"pobj", "pcomp"})
    return found


def _slot_heads(token: Token, slot: str, clause: Token) -> list[Token]:
    """The heads of one target slot of a trigger ('obj' or a preposition)."""
    if token.dep_ == "compound" and token.head.pos_ in {"NOUN", "PROPN"}:
        token = token.head  # "mediation mission between A and B"
    hosts = [token] if clause is token else [token, clause]
    if slot == "obj":
        deps = {"dobj", "dative", "nsubjpass"} if token.pos_ != "NOUN" else {"dative"}
        if _stative_passive(clause):
            deps = deps - {"nsubjpass"}
        heads = [c for h in hosts for c in h.children if c.dep_ in deps and c.i != token.i]
        heads += [
            g for h in hosts for c in h.children if c.dep_ == "dative" for g in c.children if g.dep_ == "pobj"
        ]
        return heads
    heads = [g for h in hosts for g in _prep_objects(h, {slot})]
    for host in hosts:
        for obj in host.children:
            if obj.dep_ in {"dobj", "nsubjpass"} and obj.i != token.i:
                heads.extend(_prep_objects(obj, {slot}))
    return heads


def _slot_groups(
    token: Token, trigger: Trigger, slot: str, clause: Token, index: DocIndex
) -> list[TargetGroup]:
    """The actors of one slot; when its phrase is no actor, the actors nested in it ("over Israeli raids")."""
    mentions: list[Mention] = []
    nested: list[TargetGroup] = []
    for head in _slot_heads(token, slot, clause):
        found = with_conjuncts(head, index)
        if trigger.place_target and slot != "obj":
            for mention in found:
                if mention.kind == "capital":  # "arrived in Amman": the country visited, not its government
                    mention.role = None
        if not found and trigger.place_target:
            found = _place_mentions(head, index)
        if not found:
            nested.extend(TargetGroup(unit, direct=False) for unit in nested_mentions(head, index))
        mentions.extend(found)
    if mentions:
        return [TargetGroup(mentions, direct=True, pair=slot == "between")]
    return nested


def _place_mentions(head: Token, index: DocIndex) -> list[Mention]:
    span = index.places.get(head.i)
    if span is None:
        return []
    place = index.gazetteer.place(span.text)
    if place is None:
        return []
    return [Mention(span.text, span.start_char, span.end_char, head.i, "place", code=place.country,
                    country=place.country, name=place.name)]  # fmt: skip


def _targets(
    candidate: _Candidate, embedded: _Candidate | None, clause: Token, index: DocIndex
) -> list[TargetGroup]:
    groups: list[TargetGroup] = []
    trigger = candidate.trigger
    for slot in trigger.targets:
        groups.extend(_slot_groups(candidate.token, trigger, slot, clause, index))
    if embedded is not None:
        inner = _clause_verb(embedded.token)
        subjects = [c for c in inner.children if c.dep_ == "nsubj"] if inner.i != clause.i else []
        for subject in subjects:
            found = with_conjuncts(subject, index)
            if found:
                groups.append(TargetGroup(found, direct=True))
        for slot in embedded.trigger.targets:
            groups.extend(_slot_groups(embedded.token, embedded.trigger, slot, inner, index))
    if trigger.family == "threaten":
        groups.extend(_condition_subjects(candidate, embedded, index))
    groups.extend(_nested_groups(candidate, embedded, clause, index))
    return groups


def _has_condition(token: Token, marks: set[str]) -> bool:
    clause = _clause_verb(token)
    return any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in marks for m in c.children)
        for verb in {token, clause} for c in verb.children
    )  # fmt: skip


def _condition_subjects(
    candidate: _Candidate, embedded: _Candidate | None, index: DocIndex
) -> list[TargetGroup]:
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
    candidate: _Candidate, embedded: _Candidate | None, clause: Token, index: DocIndex
) -> list[TargetGroup]:
    """Actors inside the objects: "rejected proposed Israeli changes" targets Israel."""
    subject_ids = {t.i for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"} for t in c.subtree}
    roots: list[Token] = []
    for part in [candidate] + ([embedded] if embedded else []):
        token = part.token
        for host in (token, _clause_verb(token)):
            for child in host.children:
                argument = child.dep_ in {"dobj", "dative", "xcomp", "ccomp", "attr", "oprd"}
                if argument or (child.dep_ in {"prep", "prt"} and child.lower_ not in _CIRCUMSTANTIAL):
                    roots.append(child)
        if token.pos_ in {"NOUN", "PROPN"}:
            roots.append(token)
    groups: list[TargetGroup] = []
    seen: set[int] = set()
    for root in roots:
        if root.i in seen:
            continue
        seen.add(root.i)
        groups.extend(
            TargetGroup(unit, direct=False) for unit in nested_mentions(root, index, frozenset(subject_ids))
        )
    return groups


def _obligation_frame(
    candidate: _Candidate, code: str, clause: Token, speaker: Mention | None, index: DocIndex
) -> Frame | None:
    """'X said Y must hand over the suspects': X demands of Y."""
    if speaker is None:
        return None
    subjects = [c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}]
    targets = [m for s in subjects for m in with_conjuncts(s, index)]
    if not targets:
        return None
    demanded = code if candidate.trigger is _OBLIGATION else compose("demand", code)
    return Frame(
        code=demanded, trigger=candidate.token.i, action=candidate.token.i, sources=[speaker],
        targets=[TargetGroup(targets, direct=True)], speaker=speaker,
        rule=f"obligation:{candidate.trigger.lemma}", anchors=[candidate.token.i, clause.i],
    )  # fmt: skip


def _flip(
    frame: Frame, candidate: _Candidate, clause: Token, index: DocIndex
) -> tuple[list[Mention], list[TargetGroup]]:
    """'Y received aid from X': X is the source, Y the target."""
    givers = [m for h in _prep_objects(clause, {"from"}) + _prep_objects(candidate.token, {"from"})
              for m in with_conjuncts(h, index)]  # fmt: skip
    receivers = frame.sources
    return givers, ([TargetGroup(receivers, direct=True)] if receivers else [])
