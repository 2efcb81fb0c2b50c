"""Event frames in one parsed sentence: trigger, code, source and target candidates, modality.

The rules, in the order they apply (docs/extraction.md explains each with examples):

1. A token is a trigger when its lemma (or, for a verb the lemmatizer misreads, its word form) and
   part of speech are in ``triggers.jsonl`` and its conditions hold (object noun, particle,
   modifier, governing light verb); a verb of calling or saying that passes a negative judgement on
   a party ("called the move a mistake") is criticism.
2. A trigger under another trigger (through complements, objects and purpose clauses) is
   absorbed by it: "agreed to provide aid" is one event coded by composition (033), "condemned
   the sanctions" one criticism.
3. Negated ("did not meet", "no talks") and hypothetical ("may visit", "if they meet")
   statements give no frame; an announced refusal ("will not meet") is a rejection (12x). Future
   ones ("will visit", "plans to meet", "visits next week") are coded as intent (03x).
   "X said Y must/should Z" is X demanding Z of Y.
4. The source is the subject (the "by" agent in the passive, the controller of an infinitive, the
   noun a relative clause modifies); the target comes from the trigger's own slots in order, then
   from the embedded action's slots, then from actors nested in those phrases.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from communique.events.actors import DocIndex, Mention, draft_sponsor, mentions_of, nested_mentions, with_conjuncts
from communique.events.arguments import (
    CONDITIONAL_MARKS,
    Candidate,
    TargetGroup,
    clause_verb,
    find_sources,
    find_targets,
    flip_parties,
    headline_infinitive,
    light_verb,
    misread_participles,
    nominal_sources,
    prep_objects,
)
from communique.events.coding import compose, in_scope
from communique.events.gazetteer import load_gazetteer
from communique.events.triggers import Trigger, VerbPattern, load_triggers
from communique.events.verbmatch import best_pattern

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

SPEECH_VERBS = frozenset(
    {"say", "tell", "announce", "state", "declare", "add", "report", "note", "claim", "stress", "confirm",
     "reiterate", "affirm", "indicate", "explain", "write", "tweet", "assert", "argue", "maintain",
     "predict", "remind"}
)  # fmt: skip
#: Nouns of a statement whose that-clause is what was said: "issued a reminder to Y that it must ...".
SPEECH_NOUNS = frozenset({"reminder", "message", "statement", "declaration"})
CLIMB_DEPS = frozenset({"xcomp", "ccomp", "pcomp", "pobj", "prep", "dobj", "acomp", "attr", "oprd",
                        "nsubjpass", "acl", "advcl", "dative"})  # fmt: skip
SPECULATIVE_AUX = frozenset({"may", "might", "could", "can"})
OBLIGATION_AUX = frozenset({"must", "should", "ought"})
ADVICE_AUX = frozenset({"should", "ought"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
NEGATIONS = frozenset({"not", "n't", "never", "no"})
HYPOTHETICAL_VERBS = frozenset({"consider", "mull", "weigh", "contemplate", "deny", "fail"})
#: Verbs whose that-clause is an act proposed, not done ("recommend that the EU open talks").
RECOMMEND_VERBS = frozenset({"recommend", "suggest", "advise", "propose"})
#: "has rejected the plan for years", "have met regularly since": a present perfect that spans time is background.
DURATION_WORDS = frozenset({"years", "months", "decades", "weeks", "long", "repeatedly", "always", "ever", "often",
                            "regularly", "consistently", "since", "previously", "already"})  # fmt: skip
#: What a verb of calling or describing says of its object when the statement is a criticism (111).
NEGATIVE_JUDGEMENTS = frozenset({
    "mistake", "error", "blunder", "unacceptable", "illegal", "illegitimate", "unlawful", "provocation",
    "provocative", "irresponsible", "dangerous", "reckless", "aggression", "interference", "absurd",
    "ridiculous", "baseless", "groundless", "unfounded", "unjustified", "outrageous", "regrettable",
    "deplorable", "insult", "insulting", "crime", "criminal", "terrorist", "terrorism", "idiot", "liar", "lie",
    "hypocritical", "hypocrisy", "propaganda", "farce", "sham", "shameful", "disgraceful", "unfair",
    "illogical", "troublemaker", "threat", "destabilizing", "destabilising", "hostile", "arrogant",
    "arrogance", "imperialism", "imperialist", "racist", "fascist", "genocide", "barbaric", "barbarism",
    "atrocity", "violation", "breach", "blackmail", "bullying", "interventionist", "meddling",
})  # fmt: skip
#: Verbs of saying whose that-clause can judge a party ("said the US move was illegal").
SAYING_VERBS = frozenset({"say", "state", "declare", "tell"})
#: Acts that judge someone's thing: "snubbed the South Korean offer" snubs South Korea.
EVALUATIVE_ROOTS = frozenset({"05", "11", "12"})
#: Spans of time that "next" or "coming" puts ahead ("next week", "in the coming days").
TIME_UNITS = frozenset({"week", "weekend", "month", "year", "day", "monday", "tuesday", "wednesday", "thursday",
                        "friday", "saturday", "sunday"})  # fmt: skip
#: Cooperative acts whose announced refusal is a rejection ("will not meet" 125, "won't accept aid" 122).
REFUSABLE_ROOTS = frozenset({"03", "04", "05", "06", "07", "08"})
#: Words that make troops peacekeepers ("peacekeeping troops", "a UN peace force") and the forces one joins.
PEACEKEEPING_WORDS = frozenset({"peacekeeping", "peacekeeper", "peace"})
FORCE_NOUNS = frozenset({"force", "mission", "contingent", "operation"})
#: Roots of acts that, held out on a condition ("may cut aid if ..."), are threats.
THREAT_ROOTS = frozenset({"16"})
#: Codes with a direction even when the act is joint: the visitor visits, the host hosts.
DIRECTED = frozenset({"042", "043"})
#: Roots of one side's act on a joint one: "Iran suspended talks with the EU" is Iran's, not the EU's.
ONE_SIDED_ROOTS = frozenset({"10", "11", "12", "13", "16"})
#: Verbs that make a decided measure public: what they announce for the future is done, not threatened.
ANNOUNCE_VERBS = frozenset({"announce", "decide"})
#: Nouns of an act and their verb: "the suspension of air links" is read as "suspended air links".
NOMINAL_ACTS = {"suspension": "suspend", "severing": "sever", "severance": "sever", "freezing": "freeze",
                "imposition": "impose", "lifting": "lift", "easing": "ease", "restoration": "restore",
                "resumption": "resume", "establishment": "establish", "normalization": "normalize",
                "normalisation": "normalise", "tightening": "tighten"}  # fmt: skip
#: Words that put the infinitive under them in the future: "is due to meet", "is scheduled to visit".
SCHEDULE_WORDS = frozenset({"due", "schedule", "prepare", "poise", "poised", "set", "slate", "about"})
#: Lemmas the small model gets wrong for light verbs, and the verb meant ("staged joint drills").
MISREAD_LEMMAS = {"stag": "stage"}
#: Prepositions that put an eventive noun around what the clause's subject does ("during a visit to").
EVENT_CIRCUMSTANCE_PREPS = frozenset({"during", "on", "at", "for", "in", "after"})
#: Prepositions of time: an event under them is a circumstance of their head, not what it governs.
TIME_PREPS = frozenset({"during", "after", "before", "since", "amid", "despite", "throughout"})
#: Subordinators of time and reason: a clause they open is a circumstance, not a governed action.
CIRCUMSTANCE_MARKS = frozenset({"after", "before", "while", "when", "whereas", "although", "though", "because",
                                "since", "as", "once", "until", "till"})  # fmt: skip
PHONE_WORDS = frozenset({"phone", "telephone", "video", "videoconference", "telephonically"})


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
    #: A verb pattern coded a joint act ("reached agreement with"): both directions whatever the code.
    joint: bool = False
    #: The code came from a governing predicate over ``action`` ("agreed to meet", "threatened to
    #: impose"): then ``action`` is where the event happens; otherwise the trigger is, and an
    #: embedded action is only its purpose ("met to discuss the war in Gaza").
    composed: bool = False

    @property
    def place_anchors(self) -> list[int]:
        """Where to look for the event's place, in order."""
        first = [self.action, self.trigger] if self.composed else [self.trigger]
        return list(dict.fromkeys([*first, *self.anchors]))


_OBLIGATION = Trigger(lemma="must", pos="VERB", code="100", family="demand")


class FrameFinder:
    """The ``communique_frames`` component: sets ``doc._.event_frames``."""

    def __init__(self, *, petrarch_verbs: bool = True, organisations: bool = True) -> None:
        self.table = load_triggers(petrarch=petrarch_verbs)
        self.gazetteer = load_gazetteer(organisations)

    def __call__(self, doc: Doc) -> Doc:
        doc._.event_frames = self.find(doc)
        return doc

    def find(self, doc: Doc) -> list[Frame]:
        """Every frame of a parsed doc, in trigger order."""
        index = DocIndex.build(doc, self.gazetteer)
        candidates = [c for token in doc if (c := self._candidate(token, index)) is not None]
        by_token = {c.token.i: c for c in candidates}
        # A dictionary verb that governs one of our own triggers gives way to it ("sent a message to
        # congratulate", "lift the curfew"): it is then no trigger at all, so that our trigger
        # climbs past it to what governs both ("refused to lift the curfew" is one rejection).
        for candidate in candidates:
            governor = _governor(candidate.token, by_token)
            if (
                governor is not None
                and governor.trigger.origin == "petrarch"
                and candidate.trigger.origin == "team"
                and not governor.trigger.family
            ):
                governor.yielded = True
            elif governor is not None and _light_verb_yields(governor, candidate):
                governor.yielded = True  # "received a loan from Japan": the loan (flipped), not a reception
        # A dictionary verb only states the action that one of our governing triggers recodes
        # ("threatened to deliver blows", "plans to reduce its troops"); on its own its patterns
        # are too loose for news ("beat up", "left Pyongyang", "ordered Menem to appear").
        candidates = [c for c in candidates if c.trigger.origin != "petrarch" or _under_family(c, by_token)]
        by_token = {c.token.i: c for c in candidates if not c.yielded}
        for candidate in candidates:
            if candidate.yielded:
                continue
            governor = _governor(candidate.token, by_token)
            if governor is None:
                continue
            candidate.governor = governor
            governor.embedded.append(candidate)
        frames = []
        for candidate in candidates:
            if candidate.governor is None and not candidate.yielded:
                frame = self._frame(candidate, index)
                if frame is not None:
                    frames.append(frame)
        frames.extend(self._bare_obligations(doc, by_token, index))
        return frames

    def _bare_obligations(self, doc: Doc, by_token: dict[int, Candidate], index: DocIndex) -> list[Frame]:
        """'X said Y must drop its barriers': a demand even when the demanded act is no trigger."""
        frames = []
        for verb in doc:
            if verb.pos_ not in {"VERB", "AUX"} or verb.i in by_token or not _said_clause(verb):
                continue
            if not any(c.dep_ == "aux" and c.lower_ in OBLIGATION_AUX for c in verb.children):
                continue
            if _governor(verb, by_token) is not None or _modality(verb) != "obligation":
                continue
            speaker = _speaker(verb, index)
            candidate = Candidate(verb, _OBLIGATION, "100")
            frame = _obligation_frame(candidate, "100", verb, speaker, index)
            if frame is not None:
                frames.append(frame)
        return frames

    # --- triggers -------------------------------------------------------------------------------

    def _candidate(self, token: Token, index: DocIndex) -> Candidate | None:
        pos = token.pos_
        if pos in {"VERB", "AUX"}:
            trigger = self.table.get(token.lemma_, "VERB", token.lower_)
        elif pos in {"NOUN", "PROPN"}:
            trigger = self.table.get(token.lemma_, "NOUN", token.lower_)
        elif pos == "ADJ":
            trigger = self.table.get(token.lemma_, "ADJ") or self.table.get(token.lower_, "ADJ")
        else:
            return None
        if trigger is None:
            return None
        if trigger.pos == "NOUN":
            if token.dep_ == "compound" and index.gazetteer.title(token.head.text) is not None:
                return None  # "released two aid workers", "a sanctions official": people, not the act
            return _noun_candidate(token, trigger)
        candidate = _verb_candidate(token, trigger, index)
        if candidate is not None and candidate.code.startswith("042"):
            deployed = _deployment(candidate, index)  # "US troops arrived in Kuwait": a deployment, not a visit
            if deployed is not None:
                return replace(candidate, code=deployed) if deployed else None
        return candidate

    # --- frames ---------------------------------------------------------------------------------

    def _frame(self, candidate: Candidate, index: DocIndex) -> Frame | None:  # noqa: PLR0911 - each return is a rule
        trigger = candidate.trigger
        embedded = candidate.embedded[0] if candidate.embedded else None
        if trigger.needs_embedded and embedded is None and not (trigger.family and _asked_to_act(candidate.token)):
            return None  # "asked Pakistan to help", "insisted that Japan must ...": whatever the act
        if embedded is not None and _modality(embedded.token) in {"negated", "speculative"}:
            return None
        if embedded is not None and trigger.family and _agentive_passive(clause_verb(embedded.token)):
            return None  # "expected to be joined by Italian vessels": the act is the agent's, not the subject's
        modality = _modality(candidate.token)
        refused = modality == "refused" and not trigger.family and candidate.code[:2] in REFUSABLE_ROOTS
        if refused:
            code = compose("reject", candidate.code)  # "will not attend the conference": one side's refusal
            modality = "factual"
        elif modality in {"negated", "speculative", "refused"}:
            return None
        else:
            code = _code(candidate, embedded, modality)
        if not code or not in_scope(code):
            return None
        clause = clause_verb(candidate.token)
        speaker = _speaker(clause, index)
        if modality == "obligation":
            return _obligation_frame(candidate, code, clause, speaker, index)
        sources = _sources(candidate, clause, index)
        targets = find_targets(candidate, embedded, clause, index)
        own_act = trigger.family == "threaten" and bool(targets) and _own_future_act(candidate.token)
        if (
            (trigger.needs_target or trigger.origin == "petrarch")
            and not own_act
            and not any(g.direct for g in targets)
        ):
            return None  # the dictionary's verbs need their party in a slot, not somewhere in a phrase
        if (trigger.needs_actor_object or trigger.object_lemmas) and not targets:
            return None
        frame = Frame(
            code=code, trigger=candidate.token.i, action=(embedded or candidate).token.i,
            sources=sources, targets=targets,
            mutual=not refused
            and code[:2] not in ONE_SIDED_ROOTS
            and (trigger.mutual or candidate.mutual)
            and not _voiced_intent(candidate.token, code),
            joint=candidate.mutual or (trigger.mutual and trigger.frame == "symmetric" and code[:3] not in DIRECTED),
            symmetric=not refused
            and code[:2] not in ONE_SIDED_ROOTS
            and "symmetric" in {trigger.frame, embedded.trigger.frame if embedded and trigger.family else ""},
            mediate=trigger.frame == "mediate", flip=candidate.flip, speaker=speaker,
            rule=_rule_name(trigger, embedded), anchors=sorted({candidate.token.i, clause.i}),
            composed=bool(embedded is not None and trigger.family),
        )  # fmt: skip
        if frame.flip:
            frame.sources, frame.targets = flip_parties(frame.sources, candidate, clause, index)
        if not frame.sources:
            frame.sources = nominal_sources(candidate.token, index)
        return frame


def _code(candidate: Candidate, embedded: Candidate | None, modality: str) -> str:
    """The CAMEO code after composition with the embedded action and the tense."""
    trigger = candidate.trigger
    code = candidate.code
    family = trigger.family
    if trigger.family == "threaten" and _own_future_act(candidate.token):
        code = compose("threaten", embedded.code if embedded is not None else None)
    elif trigger.clause_family and _told_to_act(candidate.token):
        family = trigger.clause_family  # "warned that Y must stop", "warned Y to stop": a demand
        code = compose(family, embedded.code if embedded is not None else None)
    if family == "intent" and embedded is not None and _object_control(candidate.token, embedded.token):
        family = "appeal"  # "wants the UK to extradite him", "expects Iran to comply": asking another
    if family and embedded is not None:
        code = compose(family, embedded.code)
    if modality == "conditional" or (modality == "future" and _has_condition(candidate.token, {"unless"})):
        # "will withdraw its force unless ...", "may halt its mediation if ...": a threat, when the act hurts
        code = compose("threaten", code) if code[:2] in THREAT_ROOTS or modality == "future" else ""
    elif modality == "future" and not trigger.family and not _announced_measure(candidate.token, code):
        code = compose("intent", code)
    return code


def _announced_measure(token: Token, code: str) -> bool:
    """'X announced it would impose sanctions on Y': a sanction decided and made public is the act (16x).

    Said or warned, the same future is a threat (13x); announced, it is the measure itself.
    """
    if not code.startswith("16"):
        return False
    verb = clause_verb(token)
    return verb.dep_ == "ccomp" and verb.head.lemma_.lower() in ANNOUNCE_VERBS


def _sources(candidate: Candidate, clause: Token, index: DocIndex) -> list[Mention]:
    token = candidate.token
    acts = {_verb_lemma(clause), _nominal_act(token)}
    unlisted = not any(act in candidate.trigger.verbs for act in acts if act)
    if candidate.trigger.pos == "NOUN" and token.dep_ != "compound" and unlisted:
        own = nominal_sources(token, index)  # "allowed visits by X": X visits, not the one who allowed
        if own or not _circumstantial_event(token, clause):
            return own
    found = find_sources(token, clause, index)
    if candidate.trigger.state_source and all(m.kind == "demonym" for m in found):
        return []
    return found


def _deployment(candidate: Candidate, index: DocIndex) -> str | None:
    """Troops that arrive or fly somewhere are deployed, not visiting: peacekeepers give 074, others nothing.

    None when the travellers are not troops (a general or a minister visits); "" for troops
    on another errand; "074" for peacekeepers or troops going to join a peace force.
    """
    subjects = [c for c in candidate.token.children if c.dep_ == "nsubj"]
    if not subjects:
        return None
    for subject in subjects:
        entry = index.gazetteer.title(subject.text) or index.gazetteer.title(subject.lemma_)
        if entry is None or entry.role != "MIL" or entry.kind == "person":
            return None
    if any(t.lemma_.lower() in PEACEKEEPING_WORDS for s in subjects for t in s.subtree):
        return "074"
    for clause in candidate.token.children:  # "flew to Sudan to join an African Union force"
        if clause.dep_ in {"advcl", "xcomp"} and clause.lemma_.lower() == "join":
            for force in (c for c in clause.children if c.dep_ == "dobj" and c.lemma_.lower() in FORCE_NOUNS):
                if any(t.lemma_.lower() in PEACEKEEPING_WORDS or _names_igo(t, index) for t in force.subtree):
                    return "074"
    return ""


def _names_igo(token: Token, index: DocIndex) -> bool:
    hit = index.entry(token)
    return hit is not None and hit[1].kind == "igo"


def _circumstantial_event(noun: Token, clause: Token) -> bool:
    """'X said during a visit to Y', 'X arrived for talks with Y': the clause's subject takes part."""
    prep = noun.head
    return noun.dep_ == "pobj" and prep.lower_ in EVENT_CIRCUMSTANCE_PREPS and prep.head.i == clause.i


def _object_control(governor: Token, embedded: Token) -> bool:
    """'X wants Y to do Z': the infinitive has its own subject or the governor an object."""
    verb = clause_verb(embedded)
    if verb.head.i != governor.i or not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return False
    return any(c.dep_ == "nsubj" for c in verb.children) or any(c.dep_ == "dobj" for c in governor.children)


def _rule_name(trigger: Trigger, embedded: Candidate | None) -> str:
    """'verb:agree>aid', 'verb:join@petrarch': which trigger (and embedded action) made the frame."""

    def name(row: Trigger) -> str:
        return row.lemma + ("@petrarch" if row.origin == "petrarch" else "")

    return f"{trigger.pos.lower()}:{name(trigger)}" + (f">{name(embedded.trigger)}" if embedded else "")


def _noun_candidate(token: Token, trigger: Trigger) -> Candidate | None:
    if trigger.plural_only and token.tag_ not in {"NNS", "NNPS"} and not token.lower_.endswith("s"):
        return None
    modifiers = {c.lemma_.lower() for c in token.children if c.dep_ in {"amod", "compound", "nmod"}}
    modifiers |= {g.lemma_.lower() for c in token.children if c.dep_ == "prep" for g in c.children}
    if trigger.needs_modifier and not modifiers & set(trigger.needs_modifier):
        return None
    code = next((trigger.modifiers[m] for m in modifiers if m in trigger.modifiers), trigger.code)
    flip = False
    verb = light_verb(token)
    act = _nominal_act(token) or (_verb_lemma(verb) if verb is not None else None)
    if act is not None and act in trigger.verbs:
        override = trigger.verbs[act]
        if override == "flip":
            flip = True
        elif override and not (trigger.code == "057" and _concluded_instrument(token)):
            code = override
    elif trigger.needs_verb or not trigger.nominal:
        return None
    return Candidate(token, trigger, code, flip=flip) if code else None


def _light_verb_yields(verb: Candidate, noun: Candidate) -> bool:
    """A verb trigger that is only the light verb of the noun trigger it governs, as the noun's row says:

    - it receives what the noun gives ("received a loan from Japan": the row flips the parties, Japan
      lent, which the verb's own frame would get backwards);
    - an intent verb whose object is the measure itself ("the EU agreed new sanctions on Russia":
      adopted them, not an intent to impose them, which "agreed to impose" is).
    """
    if light_verb(noun.token) != verb.token:
        return False
    if noun.flip:
        return not verb.trigger.family
    return verb.trigger.family == "intent" and verb.token.lemma_.lower() in noun.trigger.verbs


def _concluded_instrument(noun: Token) -> bool:
    """'reached an agreement that allows ...': a concluded deal (057), not 'reached agreement to' (03)."""
    if not any(c.dep_ == "det" and c.lower_ in {"a", "an"} for c in noun.children):
        return False
    return not any(c.dep_ in {"acl", "relcl"} and c.tag_ == "VB" for c in noun.children)  # "a deal to cut tariffs"


def _said_clause(verb: Token) -> bool:
    """A clause that states what was said: a verb's complement, or the that-clause of a statement noun."""
    if verb.dep_ == "ccomp":
        return True
    return (
        verb.dep_ == "acl"
        and verb.head.lemma_.lower() in SPEECH_NOUNS
        and any(c.dep_ == "mark" and c.lower_ == "that" for c in verb.children)
    )


def _verb_lemma(verb: Token) -> str:
    """The verb's lemma, mended where the small model's lemmatizer is known to miss ("staged" -> "stag")."""
    lemma = verb.lemma_.lower()
    return MISREAD_LEMMAS.get(lemma, lemma)


def _nominal_act(noun: Token) -> str | None:
    """The verb of a nominalised act over a trigger noun: 'announced the suspension of air links' suspends."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "of" or prep.head.pos_ != "NOUN":
        return None
    return NOMINAL_ACTS.get(prep.head.lemma_.lower())


def _verb_candidate(token: Token, trigger: Trigger, index: DocIndex) -> Candidate | None:
    if trigger.judgement_code and _judged(token):
        return _recoded(token, trigger, trigger.judgement_code)
    particle = next((c.lower_ for c in token.children if c.dep_ == "prt" and c.lower_ in trigger.particle_codes), None)
    if particle is not None:
        return _recoded(token, trigger, trigger.particle_codes[particle])
    if trigger.prt:
        matched = {c.lower_ for c in token.children if c.lower_ in trigger.prt and c.dep_ in {"prt", "prep", "advmod"}}
        if not matched:
            return None
        if matched == {"for"} and any(c.dep_ == "dobj" for c in token.children):
            return None  # "calling the department out for ...": a "for" after an object makes no "call for"
    if trigger.patterns:
        return _dictionary_candidate(token, trigger, index)
    return _row_candidate(token, trigger, index)


def _recoded(token: Token, trigger: Trigger, code: str) -> Candidate:
    """The verb as another, plain transitive act: its object is the target ("called the move a mistake")."""
    row = replace(trigger, code=code, family=None, clause_family=None, prt=(), targets=("obj",), needs_embedded=False)
    return Candidate(token, row, code)


def _judged(verb: Token) -> bool:
    """A negative judgement in the verb's complements: 'called X a mistake', 'described Y as illegal'.

    For a verb of saying, in the copula of what was said: 'said Y's decision was a mistake'.
    """
    if verb.lemma_.lower() in SAYING_VERBS:
        return any(_judging_copula(c) for c in verb.children if c.dep_ == "ccomp")
    if any(c.dep_ in {"acl", "relcl", "ccomp"} for o in verb.children if o.dep_ == "dobj" for c in o.children):
        return False  # "described the idea that the US is training them as absurd": the idea is judged
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass", "ccomp", "advcl", "conj", "punct", "cc", "aux", "neg"}:
            continue
        if any(t.lemma_.lower() in NEGATIVE_JUDGEMENTS for t in child.subtree if t.dep_ not in {"relcl", "acl"}):
            return True
    return False


def _judging_copula(clause: Token) -> bool:
    """'Y's decision was a mistake', 'the sanctions are illegal': a subject judged by its complement."""
    children = list(clause.children)
    if clause.lemma_.lower() != "be" or any(_negation(c) for c in children):
        return False
    if not any(c.dep_ == "nsubj" and c.pos_ != "PRON" for c in children):
        return False  # "said it was a mistake to ...": no party judged
    complements = [c for c in children if c.dep_ in {"attr", "acomp"}]
    return any(t.lemma_.lower() in NEGATIVE_JUDGEMENTS for c in complements for t in c.subtree)


def _dictionary_candidate(token: Token, trigger: Trigger, index: DocIndex) -> Candidate | None:
    """A verb of the PETRARCH-2 dictionary: its best pattern, else its own code when that is diplomatic."""
    pattern = best_pattern(token, trigger)
    if pattern is not None:
        return _pattern_candidate(token, trigger, pattern)
    if trigger.origin == "petrarch" and not in_scope(trigger.code):
        return None  # no pattern fits and the verb's own meaning is no diplomatic act
    return _row_candidate(token, trigger, index)


def _row_candidate(token: Token, trigger: Trigger, index: DocIndex) -> Candidate | None:
    """A verb read by the conditions of its trigger row (objects, particles, phone, threats)."""
    code = trigger.code
    objects = _objects(token)
    listed = any(o.lemma_.lower() in trigger.object_lemmas for o in objects)
    direct = [o for o in objects if o.dep_ in {"dobj", "dative", "nsubjpass"}]  # not "received aid from X"
    is_actor = bool(
        (trigger.needs_actor_object or trigger.actor_object_code) and any(mentions_of(o, index) for o in direct)
    )
    # "backed France's bid", "questioned Britain's commitment": the owner of the object is the party
    owned = trigger.needs_actor_object and any(
        mentions_of(c, index) for o in objects for c in o.children if c.dep_ == "poss" and c.pos_ != "PRON"
    )
    if trigger.needs_actor_object and trigger.code[:2] in EVALUATIVE_ROOTS:  # "snubbed the South Korean offer"
        right = [frozenset(t.i for t in o.subtree if t.i > o.i) for o in objects]  # not "aim of fostering X"
        owned = owned or any(next(nested_mentions(o, index, r), None) for o, r in zip(objects, right, strict=True))
    if trigger.object_lemmas and not listed and not (trigger.needs_actor_object and is_actor):
        return None  # "released prisoners" or "released an American professor", not "released a statement"
    for obj in objects:
        code = trigger.object_codes.get(obj.lemma_.lower(), code)
    if trigger.needs_actor_object or trigger.actor_object_code:
        if trigger.needs_actor_object and not is_actor and not listed and not owned:
            return None
        if is_actor and trigger.actor_object_code:
            code = trigger.actor_object_code
    if trigger.family == "threaten" and _threatened_with(token):
        return None  # "Hong Kong threatened with intervention": the subject is the one threatened
    if trigger.actor_object_only and any(o.dep_ == "dobj" and not mentions_of(o, index) for o in objects):
        return None  # "met the demands", "met its targets": no meeting
    if trigger.phone_code and _by_phone(token):
        code = trigger.phone_code
    return Candidate(token, trigger, code) if code else None


def _pattern_candidate(token: Token, trigger: Trigger, pattern: VerbPattern) -> Candidate | None:
    """A PETRARCH-2 pattern's reading of the verb: its code, direction and target slot."""
    code = pattern.code or pattern.reverse or ""
    if pattern.no_event or not in_scope(code):
        return None
    slot = pattern.target or ""
    targets = ("obj",) if slot == "object" else (slot.removeprefix("prep:"),) if slot.startswith("prep:") else None
    mutual = bool(pattern.code) and pattern.reverse == pattern.code
    return Candidate(token, trigger, code, flip=not pattern.code, targets=targets, mutual=mutual)


def _threatened_with(token: Token) -> bool:
    children = list(token.children)
    has_with = any(c.dep_ == "prep" and c.lower_ == "with" for c in children)
    return has_with and not any(c.dep_ in {"dobj", "xcomp", "ccomp", "dative"} for c in children)


def _objects(token: Token) -> list[Token]:
    objects = [c for c in token.children if c.dep_ in {"dobj", "dative", "nsubjpass"}]
    if not objects:  # "allowed IAEA inspectors to visit": the parser makes them the infinitive's subject
        objects = [g for c in token.children if c.dep_ in {"ccomp", "xcomp"} for g in c.children if g.dep_ == "nsubj"]
    for child in token.children:
        if child.dep_ in {"prt", "prep"}:
            objects.extend(g for g in child.children if g.dep_ in {"pobj", "dobj"})
        if child.lower_ in {"out", "away"}:  # "pulled out of talks"
            objects.extend(prep_objects(child, {"of", "from"}))
    return objects


def _by_phone(token: Token) -> bool:
    for child in token.subtree:
        if child.lower_ in PHONE_WORDS and child.head.lower_ in {"by", "over", "via", "on"}:
            return True
    return False


def _governor(token: Token, by_token: dict[int, Candidate]) -> Candidate | None:
    current = token
    for _ in range(6):
        while current.dep_ == "conj" and current.pos_ in {"NOUN", "PROPN"} and current.head.i != current.i:
            current = current.head  # "a treaty of friendship and cooperation"
        if current.dep_ not in CLIMB_DEPS or current.head.i == current.i or _circumstance(current):
            return None
        current = current.head
        if current.dep_ == "prep" and current.lower_ in TIME_PREPS:
            return None  # "spoke to reporters during a visit to Uganda": the visit is no object of the speaking
        if current.dep_ == "prep" and current.lower_ in {"at", "in"} and _fronted(current):
            return None  # "At the UN summit, Modi pledged that ...": the occasion is not what was pledged
        found = by_token.get(current.i)
        if found is None and current.pos_ in {"VERB", "AUX"}:
            # "held a phone call to discuss X": the purpose clause belongs to the call
            found = next((by_token[c.i] for c in current.children if c.dep_ == "dobj" and c.i in by_token), None)
            found = None if found is not None and found.token.i == token.i else found
        if found is not None:
            return found
    return None


def _fronted(prep: Token) -> bool:
    """A prepositional phrase set before its clause's subject ("At the summit, X pledged"): a setting."""
    subjects = [c for c in prep.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
    return bool(subjects) and prep.i < subjects[0].i


def _agentive_passive(verb: Token) -> bool:
    """A passive with its 'by' agent ("to be joined by Y")."""
    return any(c.dep_ == "auxpass" for c in verb.children) and any(c.dep_ == "agent" for c in verb.children)


def _circumstance(clause: Token) -> bool:
    """A clause that is no action its head governs: one of time or reason ("agreed ... after Blair set a
    deadline") or a condition ("threatened to kill him unless Japan pulls out": the withdrawal is what
    the threat demands, not what it threatens; the condition's subject is its target).
    """
    marks = CIRCUMSTANCE_MARKS | {"if", "unless"}
    return clause.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in marks for c in clause.children)


def _under_family(candidate: Candidate, by_token: dict[int, Candidate]) -> bool:
    """Whether a trigger stands under one of our own governing triggers (intent, threat, appeal ...)."""
    governor = _governor(candidate.token, by_token)
    while governor is not None and governor.trigger.origin == "petrarch":
        governor = _governor(governor.token, by_token)
    return governor is not None and bool(governor.trigger.family)


def _modality(token: Token) -> str:
    """negated, refused, speculative, conditional (a modal act on an if/unless), obligation, future or
    factual, read from the trigger's clause."""
    clause = clause_verb(token)
    if _background_tense(clause) or _generic_relative(clause) or _denied_report(clause):
        return "negated"  # not news: no frame, like a negated statement
    verbs = list(dict.fromkeys([token, clause, *_xcomp_path(clause)]))
    result = "speculative" if _recommended(clause) else "factual"
    for verb in verbs:
        children = list(verb.children)
        if any(_negation(c) for c in children):
            return "refused" if _refusal(verb, children) else "negated"
        if verb.lemma_.lower() in HYPOTHETICAL_VERBS:
            return "negated"
        if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in children):
            return "speculative"
        auxes = {c.lower_ for c in children if c.dep_ in {"aux", "auxpass"}}
        if auxes & SPECULATIVE_AUX:
            return "conditional" if _has_condition(verb, {"if", "unless"}) else "speculative"
        if auxes & OBLIGATION_AUX:
            result = "obligation"
        elif "would" in auxes:
            conditional = "conditional" if _has_condition(verb, {"if", "unless"}) else "speculative"
            result = "future" if _reported(verb) else conditional
        elif _future(verb, auxes, governing=verb.i not in {token.i, clause.i}):
            result = "future" if result == "factual" else result
    if result == "factual" and (_upcoming(token) or _future_time(clause) or _due(clause)):
        result = "future"
    return result


def _told_to_act(token: Token) -> bool:
    """A that-clause ("warned that Iran must stop") or an object with an infinitive ("warned Iran to stop")."""
    return any(c.dep_ == "ccomp" for c in token.children) or _object_infinitive(token)


def _asked_to_act(token: Token) -> bool:
    """An object with an infinitive, or a that-clause with "must" or "should" ("insisted that Japan must")."""
    if _object_infinitive(token):
        return True
    clauses = [c for c in token.children if c.dep_ == "ccomp"]
    return any(a.dep_ == "aux" and a.lower_ in OBLIGATION_AUX for c in clauses for a in c.children)


def _object_infinitive(token: Token) -> bool:
    """'asked Pakistan to help', 'warned Iran to stop': an object and what it is to do."""
    children = list(token.children)
    to_act = any(c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children) for c in children)
    return to_act and any(c.dep_ == "dobj" for c in children)


def _voiced_intent(token: Token, code: str) -> bool:
    """'they would meet the mediator if ...': one side's stated readiness, not a meeting both have set.

    A scheduled meeting ("will meet", "is due to meet") stays both sides' act.
    """
    if not code.startswith("03"):
        return False
    clause = clause_verb(token)
    auxes = {c.lower_ for verb in {token, clause} for c in verb.children if c.dep_ == "aux"}
    return "would" in auxes or _has_condition(token, {"if", "unless"})


def _denied_report(clause: Token) -> bool:
    """'Egypt denied reports that it had agreed to send troops': what a denied report says did not happen."""
    noun = clause.head
    return clause.dep_ in {"acl", "ccomp"} and noun.pos_ == "NOUN" and noun.head.lemma_.lower() in {"deny", "dismiss"}


def _recommended(clause: Token) -> bool:
    """'recommended that the EU open talks with Turkey': a recommended act is the recommender's idea, not
    an act or a plan of the parties it names (no event rather than a guess)."""
    return clause.dep_ == "ccomp" and clause.head.lemma_.lower() in RECOMMEND_VERBS


def _own_future_act(warning: Token) -> bool:
    """'The EU warned it would counter any US challenge': the warner's own act ahead is a threat (13).

    Not 'warned that delays could hurt Y' (no act of its own) nor 'warned Y that it must' (a demand).
    """
    for clause in (c for c in warning.children if c.dep_ == "ccomp" and c.lemma_.lower() != "be"):
        children = list(clause.children)
        subjects = [c for c in children if c.dep_ == "nsubj"]
        auxes = {c.lower_ for c in children if c.dep_ == "aux"}
        if subjects and subjects[0].lower_ in {"it", "we", "they"} and auxes & {"will", "would", "'ll", "wo"}:
            return not any(_negation(c) for c in children)
    return False


def _future_time(verb: Token) -> bool:
    """'visits Canada next week', 'travels to China tomorrow': a present tense with a time ahead is a plan."""
    children = [*verb.children, *(g for c in misread_participles(verb) for g in c.children)]
    for child in children:
        times = [child] if child.dep_ in {"npadvmod", "advmod", "tmod"} else []
        times += [g for g in child.children if g.dep_ == "pobj"] if child.dep_ == "prep" else []
        for time in times:
            if time.lower_ == "tomorrow":
                return True
            if time.lemma_.lower() in TIME_UNITS and any(c.lower_ in {"next", "coming"} for c in time.children):
                return True
    return False


def _due(clause: Token) -> bool:
    """'X is due in Cairo on Sunday for talks': a visit and talks scheduled, not held."""
    return clause.lemma_ == "be" and any(c.dep_ == "acomp" and c.lower_ in SCHEDULE_WORDS for c in clause.children)


def _upcoming(noun: Token) -> bool:
    """'on the eve of a UN visit to Nairobi', 'ahead of talks with Y', 'before the summit': not yet held."""
    if noun.pos_ not in {"NOUN", "PROPN"} or noun.dep_ != "pobj":
        return False
    prep = noun.head
    return prep.lower_ == "before" or (prep.lower_ == "of" and prep.head.lower_ in {"eve", "ahead", "run-up"})


def _background_tense(verb: Token) -> bool:
    """A pluperfect outside reported speech ("had visited", "had been holding talks"), or a present
    perfect that spans time ("has rejected ... for years"): what the sentence tells as background.

    A pluperfect under a speech verb is the reporter's backshift ("said the two sides had agreed")
    and stays news.
    """
    auxes = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    words = {a.lower_ for a in auxes}
    perfect = verb.tag_ == "VBN" or (verb.tag_ == "VBG" and "been" in words)
    if not perfect:
        return False
    if words & {"had", "'d"}:
        return not _reported(verb)
    if words & {"has", "have", "'s", "'ve"}:
        spans_time = (t for c in verb.children if c.dep_ in {"prep", "advmod", "npadvmod"} for t in _phrase(c))
        return (
            _relative_clause(verb) is not None
            or _joined_to_portrait(verb)
            or any(word in DURATION_WORDS for word in spans_time)
        )
    return False


def _generic_relative(verb: Token) -> bool:
    """A present tense in a relative clause says what someone does as a rule, not what happened:
    "Americans who visit Cuba must ...", "a travel warning that urges Americans to stay away".

    A draft's relative clause is its sponsor's act ("pushing a resolution that seeks an embargo").
    """
    if verb.tag_ not in {"VBZ", "VBP"} or any(c.dep_ in {"aux", "auxpass"} for c in verb.children):
        return False
    relative = _relative_clause(verb)
    return relative is not None and draft_sponsor(relative.head) is None


def _joined_to_portrait(verb: Token) -> bool:
    """'Vietnam is one of China's most vocal critics and has accused Beijing of ...': a present perfect
    joined to what a party is (a present 'be' with a noun) describes it; 'is angry and has summoned
    the ambassador' (no noun) stays news."""
    head = verb.head
    return (
        verb.dep_ == "conj"
        and head.lemma_ == "be"
        and head.tag_ in {"VBZ", "VBP"}
        and any(c.dep_ == "attr" for c in head.children)
    )


def _relative_clause(verb: Token) -> Token | None:
    """The relative clause ``verb`` heads or is joined to: "the PA, which considers the US biased and
    has rejected it as a mediator, called for ...": what a party does or has done, told to describe it."""
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    return verb if verb.dep_ == "relcl" else None


def _phrase(token: Token) -> list[str]:
    """The words of a phrase without the clauses inside it: "to a resumption of a link suspended
    since 2001" says nothing of when the agreement was made."""
    words = [token.lower_]
    for child in token.children:
        if child.dep_ not in {"acl", "relcl", "advcl", "ccomp", "xcomp"}:
            words.extend(_phrase(child))
    return words


def _refusal(verb: Token, children: list[Token]) -> bool:
    """'will not accept', 'won't attend', 'said it would not negotiate': a stated refusal (12x), not a non-event."""
    if not any(c.dep_ == "neg" for c in children):
        return False
    auxes = {c.lower_ for c in children if c.dep_ in {"aux", "auxpass"}}
    return bool(auxes & FUTURE_AUX) or ("would" in auxes and _reported(verb))


def _negation(child: Token) -> bool:
    """'not', 'never', 'no', or a subject with 'no' ("no date has been set", "no agreement was reached")."""
    if child.dep_ == "neg" or (child.lower_ in NEGATIONS and child.dep_ in {"det", "advmod"}):
        return True
    return child.dep_ in {"nsubj", "nsubjpass"} and any(c.dep_ == "det" and c.lower_ == "no" for c in child.children)


def _xcomp_path(token: Token) -> list[Token]:
    """Non-trigger verbs above a trigger through infinitives ("may try to meet")."""
    path: list[Token] = []
    current = token
    while current.dep_ == "xcomp" and current.head.i != current.i and len(path) < 4:
        current = current.head
        path.append(current)
    return path


def _future(verb: Token, auxes: set[str], *, governing: bool) -> bool:
    """'will visit', 'going to visit', 'is due to visit' (``governing``: the verb is above the trigger),
    'when X visits' in a future sentence."""
    return (
        bool(auxes & FUTURE_AUX)
        or _going_to(verb)
        or (governing and _schedules(verb))
        or _future_time_clause(verb)
        or headline_infinitive(verb)
    )


def _future_time_clause(verb: Token) -> bool:
    """'... will top the agenda when Spain hosts France': a present tense in a time clause of a future."""
    if verb.dep_ != "advcl" or verb.head.i == verb.i or verb.tag_ not in {"VBZ", "VBP"}:
        return False
    if not any(c.lower_ in {"when", "once", "while"} and c.dep_ in {"advmod", "mark"} for c in verb.children):
        return False
    heads = [verb.head]  # "will become the first to address X when he travels to Y": up to the clause's verb
    while heads[-1].dep_ in {"xcomp", "relcl", "acl", "attr", "dobj", "advcl"} and heads[-1].head.i != heads[-1].i:
        heads.append(heads[-1].head)
    return any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for head in heads for c in head.children)


def _schedules(verb: Token) -> bool:
    """A verb or adjective above an infinitive that makes it a plan: "is to visit", "is due to meet",
    "is scheduled to sign", "was preparing to arrive", "is set to hold talks"."""
    lemma = verb.lemma_.lower()
    return lemma in SCHEDULE_WORDS or (lemma == "be" and any(c.dep_ == "xcomp" for c in verb.children))


def _reported(verb: Token) -> bool:
    return any(a.lemma_.lower() in SPEECH_VERBS for a in verb.ancestors)


def _going_to(verb: Token) -> bool:
    head = verb.head
    return verb.dep_ == "xcomp" and head.lower_ == "going" and any(c.lemma_ == "be" for c in head.children)


def _speaker(clause: Token, index: DocIndex) -> Mention | None:
    """The subject of the nearest speech verb above the clause ("Syria says it is willing ...")."""
    for ancestor in [clause, *clause.ancestors]:
        if ancestor.lemma_.lower() in SPEECH_VERBS | SPEECH_NOUNS:
            for verb in (ancestor, ancestor.head):  # "X was quoted as saying"
                for child in verb.children:
                    if child.dep_ not in {"nsubj", "nsubjpass"}:
                        continue
                    if child.pos_ == "VERB":  # "The Red Cross operating in Iraq said": a reduced relative
                        child = next((c for c in child.children if c.dep_ == "nsubj"), child)  # noqa: PLW2901
                    found = mentions_of(child, index)
                    if found:
                        return found[0]
            return None
    root = clause.sent.root
    if root.lemma_.lower() in SPEECH_VERBS and root.i != clause.i:
        return _speaker(root, index)
    return None


def _has_condition(token: Token, marks: set[str]) -> bool:
    clause = clause_verb(token)
    return any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in marks for m in c.children)
        for verb in {token, clause} for c in verb.children
    )  # fmt: skip


def _obligation_frame(
    candidate: Candidate, code: str, clause: Token, speaker: Mention | None, index: DocIndex
) -> Frame | None:
    """'X said Y must hand over the suspects': X demands of Y."""
    if speaker is None:
        return None
    subjects = [c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}]
    targets = [m for s in subjects for m in with_conjuncts(s, index)]
    if not targets:
        return None
    # "Y must Z" is a demand (10x); "Y should Z" a recommendation, an appeal (02x)
    advised = any(c.dep_ == "aux" and c.lower_ in ADVICE_AUX for c in clause.children)
    family = "appeal" if advised else "demand"
    demanded = compose(family, None if candidate.trigger is _OBLIGATION else code)
    return Frame(
        code=demanded, trigger=candidate.token.i, action=candidate.token.i, sources=[speaker],
        targets=[TargetGroup(targets, direct=True)], speaker=speaker,
        rule=f"obligation:{candidate.trigger.lemma}", anchors=[candidate.token.i, clause.i],
    )  # fmt: skip
