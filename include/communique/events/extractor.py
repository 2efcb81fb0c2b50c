"""Diplomatic events from article text: the extractor the pipeline, the CLI and the bench call.

Per article: tokenize and split sentences (cheap), mark gazetteer names and trigger words, and
send to the parser only the sentences that have a trigger word and at least two candidate parties
(countries, bodies, titled people, or one of those and a later mention). Parsed sentences go
through ``nlp.pipe`` in batches across articles; their frames (``communique.events.frames``) are then
resolved in reading order, so that "the minister" or "the two leaders" find the actors named
before them (``communique.events.coreference``), dated (``communique.events.dates``), placed
(``communique.events.locations``) and given topics (``communique.events.topics``).
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from communique import __version__
from communique.events.actors import PERSONAL_PRONOUNS, DocIndex, Mention
from communique.events.coding import describe
from communique.events.coreference import Registry, lexical_mentions, spans_by_sentence
from communique.events.dates import as_date, resolve
from communique.events.frames import NEGATIVE_JUDGEMENTS, Frame
from communique.events.gazetteer import data_digest, load_gazetteer
from communique.events.locations import find_location, infer_location
from communique.events.nlp import build_pipeline
from communique.events.people import PeopleKB, load_people, newest_snapshot
from communique.events.spans import (
    ACTOR_SPANS,
    ARTICLE_NAME_SPANS,
    OTHER_NAMES,
    PEOPLE_SPANS,
    PLACE_SPANS,
    TITLE_SPANS,
)
from communique.events.topics import find_topics
from communique.events.triggers import load_triggers
from communique.models import Event, Evidence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

LOGGER = logging.getLogger(__name__)

EXTRACTOR_VERSION = f"{__version__}+rules.{data_digest()}"
#: Knowledge sources off unless asked for: the PETRARCH-2 verb patterns lower F1 on every development
#: set today (docs/extraction.md, "What each source contributes"); they stay measurable and can be
#: switched on (COMMUNIQUE_EXTRACTOR_DISABLE="" switches every source on).
DEFAULT_WITHOUT = frozenset({"petrarch_verbs"})
#: Input bounds: longer texts are cut, longer sentences are not parsed (lists, tables, run-ons).
MAX_TEXT_CHARS = 300_000
MAX_SENTENCE_CHARS = 1_200
#: At most this many sentences of one article go to the parser (a bound on time per article).
MAX_PARSED_SENTENCES = 400
#: A wire-story dateline at the start of a paragraph: "NAIROBI (Reuters) -", "CAIRO, March 5 (AP) --".
DATELINE = re.compile(r"[A-Z][A-Z .'-]{2,40}(?:,[^()\n]{0,30})?\s*(?:\([^)\n]{1,40}\))?\s*(?:-{1,2}|–|—)\s+")
#: The same with a colon: "ISLAMABAD, Dec 3:", "NDJAMENA :" (a city in capitals, then a date or a spaced colon).
DATELINE_COLON = re.compile(r"[A-Z][A-Z .'-]{2,40}(?:,[^()\n:]{1,30}|\s)\s*:\s+")
#: Forms of the reporting verbs, for the prefilter (the parser decides the rest).
SPEECH_FORMS = frozenset({"said", "says", "say", "told", "tells", "announced", "announces", "stated",
                          "declared", "added", "stressed", "insisted", "warned", "according"})  # fmt: skip
#: Words that can refer back to an actor named earlier: pronouns and pairs ("the two leaders").
_LATER_MENTIONS = frozenset({*PERSONAL_PRONOUNS, "two", "both"})
#: "X said Y must ...": demands whose demanded act is no trigger word.
OBLIGATION_WORDS = frozenset({"must", "should"})
#: Words of sport: in a sentence with one, country names are teams ("Spain will be back in action against
#: defending champion Croatia"), not states. Not "league" (the Arab League), "Olympics" (a boycott of the
#: Games is diplomacy), "match" or "scored" (verbs of diplomacy too: "demanded that the US match ...").
SPORT_WORDS = frozenset({"champion", "champions", "championship", "championships", "tournament", "semifinal",
                         "semi-final", "quarterfinal", "quarter-final", "playoff", "play-off", "qualifier",
                         "qualifiers", "striker", "goalkeeper", "midfielder", "innings", "wicket", "wickets",
                         "fixture", "fixtures", "cup", "squad"})  # fmt: skip
#: Roles of private parties: they can be acted upon (a released professor) but do not act for a state.
PRIVATE_ROLES = frozenset({"CVL", "BUS", "EDU", "MED", "REF", "REL"})
#: Roots of dealings between states: a private party on the other side makes none ("met Kenyan students",
#: "signed a deal with an Iranian firm").
STATE_DEALINGS = frozenset({"04", "05", "06"})
#: Confidence of an event whose parties fill the trigger's own slots and whose date the text states.
BASE_CONFIDENCE = 0.9
#: Lowered when the target was found nested inside a phrase rather than in an argument slot,
NESTED_TARGET_PENALTY = 0.2
#: when a party came through coreference (a pronoun, a bare title, a surname),
COREFERENCE_PENALTY = 0.1
#: when the date is the publication fallback (week or unknown precision),
FALLBACK_DATE_PENALTY = 0.05
#: and when a demand was read from "must/should" in reported speech.
OBLIGATION_PENALTY = 0.1


@dataclass(slots=True)
class _Article:
    doc_id: str
    text: str
    published: date | None
    doc: Doc
    sentences: list[Span]
    candidates: list[int]
    lexical: list[list[Mention]]
    #: Words of the names of people the article ties to a country (see :func:`_article_names`).
    names: frozenset[str] = frozenset()
    parsed: dict[int, Doc] = field(default_factory=dict)
    failed: bool = False


class Extraction(NamedTuple):
    """The events of one doc, and whether the rules failed on it (then there are none)."""

    doc_id: str
    events: list[Event]
    failed: bool


@dataclass(slots=True)
class _Pair:
    source: Mention
    target: Mention
    resolved: bool
    direct: bool
    participants: list[Mention] = field(default_factory=list)


class EventExtractor:
    """Loads spaCy once; codes events of one text or of a stream of texts in batches."""

    def __init__(
        self,
        model_name: str | None = None,
        batch_size: int = 64,
        n_process: int = 1,
        *,
        prefilter: bool = True,
        without: Iterable[str] | None = None,
        people_dir: Path | None = None,
    ) -> None:
        """Load spaCy once (the first installed of settings.DEFAULT_SPACY_MODELS when ``model_name`` is None).

        ``prefilter=False`` parses every sentence (what a plain spaCy pipeline does): the benchmarks'
        baseline, and a check that the prefilter loses no events. ``without`` leaves knowledge
        sources out (``people``, ``petrarch_verbs``, ``phoenix_organisations``): how the benchmark
        measures what each gives; ``None`` is :data:`DEFAULT_WITHOUT`. ``people_dir`` is the folder of
        ``communique actors refresh`` snapshots (``Settings.actors_dir``): the newest one is read with the
        bundled people tables; without one (or with ``None``) the bundled tables alone are used.

        :raises communique.errors.ExtractionError: when no model is installed or a source is unknown.
        """
        from spacy.pipeline import Sentencizer  # heavy: spaCy loads with the extractor

        self.without = DEFAULT_WITHOUT if without is None else frozenset(without)
        people = "people" not in self.without
        self._snapshot = newest_snapshot(people_dir) if people else None
        snapshot_dir = people_dir if self._snapshot else None
        self.nlp = build_pipeline(model_name, self.without, snapshot_dir)
        self.batch_size = batch_size
        self.n_process = n_process
        self.prefilter = prefilter
        self._gazetteer_pipe = self.nlp.get_pipe("communique_gazetteer")
        self._sentencizer = Sentencizer()
        strings = self.nlp.vocab.strings
        triggers = load_triggers(petrarch="petrarch_verbs" not in self.without)
        # the judgement words stand in for "said", which is in nearly every sentence ("said Y's move was illegal")
        self._trigger_forms = {strings.add(form) for form in triggers.forms | OBLIGATION_WORDS | NEGATIVE_JUDGEMENTS}
        self._person_pronouns = {strings.add(word) for word in ("he", "she", "his", "her", "him", "two", "both")}
        self._other_pronouns = {strings.add(word) for word in _LATER_MENTIONS} - self._person_pronouns
        self._speech_words = {strings.add(word) for word in SPEECH_FORMS}
        self._pair_words = {strings.add(word) for word in ("two", "both")}
        self._sport_words = {strings.add(word) for word in SPORT_WORDS}
        self._the_group = (strings.add("the"), strings.add("group"))  # "the group": an armed group named before
        self._gazetteer = load_gazetteer("phoenix_organisations" not in self.without)
        self._people = load_people(snapshot_dir) if people else PeopleKB()
        self.stats = {"articles": 0, "sentences": 0, "parsed": 0, "events": 0, "failed": 0}

    @property
    def version(self) -> str:
        """The rules' version, marked with the knowledge sources left out and the people snapshot used."""
        version = EXTRACTOR_VERSION + "".join(f"-no-{name}" for name in sorted(self.without - DEFAULT_WITHOUT))
        return version + (f"+{self._snapshot.stem}" if self._snapshot else "")

    def extract(self, doc_id: str, text: str, published: date | datetime | None) -> list[Event]:
        """The events of one text; ``published`` anchors relative dates ("on Wednesday")."""
        return next(self.extract_many([(doc_id, text, published)]))[1]

    def extract_many(
        self, docs: Iterable[tuple[str, str, date | datetime | None]]
    ) -> Iterator[tuple[str, list[Event]]]:
        """Batched (nlp.pipe); yields (doc_id, events) in input order, one item per input doc."""
        for result in self.extract_results(docs):
            yield result.doc_id, result.events

    def extract_results(self, docs: Iterable[tuple[str, str, date | datetime | None]]) -> Iterator[Extraction]:
        """:meth:`extract_many`, also saying of each doc whether the rules failed on it.

        An article the rules fail on yields no events, is logged and counted in ``stats["failed"]``:
        one odd text never stops a batch.
        """
        buffer: list[_Article] = []
        pending = 0
        for doc_id, text, published in docs:
            try:
                article = self._prepare(doc_id, text or "", as_date(published))
            except Exception:
                LOGGER.exception("%s: cannot prepare the text for extraction; skipped", doc_id)
                article = self._prepare(doc_id, "", None)
                article.failed = True
            buffer.append(article)
            pending += len(article.candidates)
            if pending >= self.batch_size * 4 or len(buffer) >= self.batch_size:
                yield from self._flush(buffer)
                buffer, pending = [], 0
        yield from self._flush(buffer)

    # --- stage 1: lexical prefilter ------------------------------------------------------------

    def _prepare(self, doc_id: str, text: str, published: date | None) -> _Article:
        if len(text) > MAX_TEXT_CHARS:
            LOGGER.info("%s: text cut from %d to %d characters", doc_id, len(text), MAX_TEXT_CHARS)
            text = text[:MAX_TEXT_CHARS]
        doc = self._gazetteer_pipe(self._sentencizer(self.nlp.make_doc(text)))
        sentences = split_sentences(doc, text)
        actors = spans_by_sentence(sentences, list(doc.spans[ACTOR_SPANS]))
        titles = spans_by_sentence(sentences, list(doc.spans[TITLE_SPANS]))
        people = spans_by_sentence(sentences, list(doc.spans[PEOPLE_SPANS]))
        places = spans_by_sentence(sentences, list(doc.spans[PLACE_SPANS]))
        words = doc.to_array("LOWER").tolist()
        orths = doc.to_array("ORTH").tolist()
        lexical = [
            lexical_mentions(sentence, self._gazetteer, actors[number], titles[number], people[number])
            for number, sentence in enumerate(sentences)
        ]
        # a word of the name of a person the article ties to a country, anywhere in it -> that country
        known_names = {self.nlp.vocab.strings.add(word): code for word, code in _article_names(lexical).items()}
        known_codes: set[str] = set()
        known_people: set[str] = set()
        candidates = []
        for number, sentence in enumerate(sentences):
            lower, orth = words[sentence.start : sentence.end], orths[sentence.start : sentence.end]
            parties = {s.kb_id_ for s in actors[number]} | {known_names[w] for w in orth if w in known_names}
            parties |= self._people_parties(people[number], published, known_people)
            # a city counts by its country ("arrived in Seattle", "visited Mombasa")
            parties |= {c.country for s in places[number] if (c := self._gazetteer.place(s.text)) and c.country}
            if sentence.end_char - sentence.start_char <= MAX_SENTENCE_CHARS and (
                not self.prefilter
                or self._is_candidate(lower, parties, any(_bare_title(t) for t in titles[number]), known_codes)
            ):
                candidates.append(number)
            known_codes |= parties
            known_codes |= {m.code for m in lexical[number] if m.kind == "person" and m.code}
        if len(candidates) > MAX_PARSED_SENTENCES:
            LOGGER.info(
                "%s: %d candidate sentences, parsing the first %d",
                doc_id,
                len(candidates),
                MAX_PARSED_SENTENCES,
            )
            candidates = candidates[:MAX_PARSED_SENTENCES]
        names = frozenset(_article_names(lexical)) | known_people
        return _Article(doc_id, text, published, doc, sentences, candidates, lexical, names)

    def _people_parties(self, spans: list[Span], published: date | None, known_people: set[str]) -> set[str]:
        """The countries of the people the tables know by these names on the day; their name words go
        to ``known_people``, so that the parse reads them as names where the tagger saw a noun
        ("Sunak hosted ..."), unless the name is also a common word ("Hunt", "Rice")."""
        parties = set()
        for span in spans:
            holding = self._people.resolve(span.text, published)
            if holding is None:
                continue
            parties.add(holding.country or holding.code)
            if not holding.common_word:
                known_people.update(w for w in span.text.split() if len(w) >= 3 and w[0].isupper())
        return parties

    def _is_candidate(self, lower: list[int], parties: set[str], titled: bool, known_codes: set[str]) -> bool:
        """A trigger word and parties of two different countries, named here or reachable by a later mention.

        ``parties`` are the countries and bodies the sentence names (people by their known names);
        a title, a pronoun or a pair can stand for an actor of another country named earlier.
        """
        if self._trigger_forms.isdisjoint(lower) or not self._sport_words.isdisjoint(lower):
            return False
        if len(parties) >= 2:
            return True
        later = titled or not self._person_pronouns.isdisjoint(lower) or self._the_group in itertools.pairwise(lower)
        # "it", "they", "we" are parties mostly in reported speech ("Syria says it is willing")
        later = later or (not self._other_pronouns.isdisjoint(lower) and not self._speech_words.isdisjoint(lower))
        if not later or not known_codes - parties:
            return False
        return len(parties) == 1 or (len(known_codes) >= 2 and not self._pair_words.isdisjoint(lower))

    # --- stage 2: parse candidates in batches ----------------------------------------------------

    def _flush(self, buffer: list[_Article]) -> Iterator[Extraction]:
        jobs = [(article, number) for article in buffer for number in article.candidates]
        texts = (self._unparsed(article, number) for article, number in jobs)
        for (article, number), parsed in zip(jobs, self._parse(texts), strict=True):
            article.parsed[number] = parsed
        for article in buffer:
            events: list[Event] = []
            if not article.failed:
                try:
                    events = self._assemble(article)
                except Exception:
                    LOGGER.exception("%s: the event rules failed on this article; skipped", article.doc_id)
                    article.failed = True
            self.stats["articles"] += 1
            self.stats["sentences"] += len(article.sentences)
            self.stats["parsed"] += len(article.parsed)
            self.stats["events"] += len(events)
            self.stats["failed"] += article.failed
            yield Extraction(article.doc_id, events, article.failed)

    def _unparsed(self, article: _Article, number: int) -> Doc:
        """A candidate sentence as a fresh doc, its words of the article's people's names marked."""
        doc = self.nlp.make_doc(article.sentences[number].text)
        names = article.names
        doc.spans[ARTICLE_NAME_SPANS] = [doc[t.i : t.i + 1] for t in doc if t.text in names] if names else []
        doc.user_data[OTHER_NAMES] = article.doc.user_data.get(OTHER_NAMES, [])
        return doc

    def _parse(self, texts: Iterator[Doc]) -> Iterator[Doc]:
        """nlp.pipe over the candidates; with several processes the frames run here (they do not pickle)."""
        if self.n_process == 1:
            yield from self.nlp.pipe(texts, batch_size=self.batch_size)
            return
        frames = self.nlp.get_pipe("communique_frames")
        with self.nlp.select_pipes(disable=["communique_frames"]):
            for doc in self.nlp.pipe(texts, batch_size=self.batch_size, n_process=self.n_process):
                yield frames(doc)

    # --- stage 3: resolve frames in reading order ------------------------------------------------

    def _assemble(self, article: _Article) -> list[Event]:
        registry = Registry(people=self._people, day=article.published)
        for number, mentions in enumerate(article.lexical):
            for mention in mentions:  # "Okonkwo condemns Ghana" above "Nigerian President Adebayo Okonkwo said"
                if mention.kind == "person" and mention.code and mention.name:
                    registry.add(mention, number)
        events: list[Event] = []
        seen: set[tuple[str, str, str, str]] = set()
        for number, sentence in enumerate(article.sentences):
            offset = sentence.start_char
            for mention in article.lexical[number]:
                registry.add(mention, number)
            parsed = article.parsed.get(number)
            if parsed is not None:
                index = DocIndex.build(parsed, self._gazetteer)
                for frame in parsed._.event_frames or []:
                    context = _Context(registry, number, offset)
                    for event in self._events(frame, parsed, index, context, article):
                        key = (
                            event.cameo_code,
                            event.source.cameo,
                            event.target.cameo,
                            event.event_date.isoformat(),
                        )
                        if key not in seen:
                            seen.add(key)
                            events.append(event)
                    for party in context.resolved:  # later sentences may refer back to them
                        registry.add(party, number, offset + party.start)
        return events

    def _events(
        self, frame: Frame, parsed: Doc, index: DocIndex, context: _Context, article: _Article
    ) -> Iterator[Event]:
        """The events of one frame: one per source-target pair, dated, placed, with topics."""
        sentence = parsed[:]
        offset = context.offset
        # an unresolved speaker still decides what "he" and "they" in its clause refer to
        speaker = (context.one(frame.speaker, None) or frame.speaker) if frame.speaker else None
        pairs = _pairs(frame, context, speaker)
        if not pairs:
            return
        intent = frame.code.startswith("03")
        when = resolve(sentence, set(frame.anchors) | {frame.action}, article.published, intent)
        if when is None:
            LOGGER.debug("%s: background event skipped: %s", article.doc_id, sentence.text)
            return
        location = find_location(sentence, frame.place_anchors, index)
        info = describe(frame.code)
        anchors = [parsed[i] for i in dict.fromkeys([frame.action, *frame.anchors])]
        topics = find_topics(anchors) if info.topics else []
        evidence = Evidence(sentence.text, offset, offset + len(sentence.text))
        for pair in pairs:
            if pair.source.role in PRIVATE_ROLES or (info.root in STATE_DEALINGS and pair.target.role in PRIVATE_ROLES):
                continue  # private people do not act for a state, nor consult or deal with one as a state
            source, target = pair.source.to_actor(offset), pair.target.to_actor(offset)
            confidence = _confidence(pair, when.precision, frame)
            yield Event(
                doc_id=article.doc_id, event_type=info.event_type, cameo_code=info.code, cameo_root=info.root,
                quad_class=info.quad_class, plover_type=info.plover_type, plover_mode=info.plover_mode,
                goldstein=info.goldstein, source=source, target=target, event_date=when.value,
                date_precision=when.precision, evidence=evidence, confidence=confidence,
                extractor_version=self.version,
                participants=[p.to_actor(offset) for p in _others(pair)],
                location=location or infer_location(info.code, source, target, index), topics=topics,
                rule=frame.rule,
            )  # fmt: skip


def _article_names(lexical: list[list[Mention]]) -> dict[str, str]:
    """Words of the names of people the article ties to a country -> that country.

    "U.S. President Donald Trump" anywhere in an article makes a bare "Trump" anywhere in it that
    person. Words shared by people of two countries, and short words, are left out.
    """
    names: dict[str, str] = {}
    clashes: set[str] = set()
    for mentions in lexical:
        for mention in mentions:
            if mention.kind != "person" or not mention.code or not mention.name:
                continue
            for word in mention.name.split():
                if len(word) < 3 or not word[0].isupper():
                    continue
                if names.get(word, mention.code) != mention.code:
                    clashes.add(word)
                names[word] = mention.code
    return {word: code for word, code in names.items() if word not in clashes}


def _bare_title(title: Span) -> bool:
    """'the minister' (a later mention), not 'Foreign Minister Lavrov' (a name) or 'a minister'."""
    doc = title.doc
    after = doc[title.end] if title.end < len(doc) else None
    return title.start > 0 and doc[title.start - 1].lower_ == "the" and not (after is not None and after.is_title)


def split_sentences(doc: Doc, text: str | None = None) -> list[Span]:
    """Sentences of a sentencizer-marked doc, also cut at line breaks, without surrounding whitespace.

    Cleaned articles keep paragraphs on separate lines; a headline or a dateline without a full
    stop must not run into the next sentence.
    """
    text = doc.text if text is None else text  # Doc.text joins every token: costly on a long article
    # the line breaks, found without making a Token object of every word
    spaces = doc.to_array("IS_SPACE").tolist()
    breaks = [i for i, space in enumerate(spaces) if space and "\n" in doc[i].text]
    sentences: list[Span] = []
    position = 0
    for sentence in doc.sents:
        start = sentence.start
        while position < len(breaks) and breaks[position] < sentence.end:
            if breaks[position] >= start:
                sentences.extend(_trimmed(doc, text, start, breaks[position]))
                start = breaks[position] + 1
            position += 1
        sentences.extend(_trimmed(doc, text, start, sentence.end))
    return sentences


def _trimmed(doc: Doc, text: str, start: int, end: int) -> list[Span]:
    while start < end and doc[start].is_space:
        start += 1
    if start < end:
        bounds = (doc[start].idx, doc[end - 1].idx + len(doc[end - 1]))
        dateline = DATELINE.match(text, *bounds) or DATELINE_COLON.match(text, *bounds)
        if dateline:  # "NAIROBI (Agency) -": not part of the sentence the parser should read
            while start < end and doc[start].idx < dateline.end():
                start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    return [doc[start:end]] if end > start else []


def _others(pair: _Pair) -> list[Mention]:
    """Participants of a multi-party act other than the pair itself ("Russia, China and Iran held ...")."""
    own = {_key(pair.source), _key(pair.target)}
    return [m for m in pair.participants if _key(m) not in own]


#: Pronouns that cannot stand for the subject of their own clause (a reflexive would).
OBJECT_PRONOUNS = frozenset({"him", "them"})
#: Territories whose acts with their sovereign are domestic: China's special administrative regions.
_SOVEREIGN = {"HKG": "CHN", "MAC": "CHN"}


def _key(mention: Mention) -> str:
    key = mention.country or mention.code or ""
    return _SOVEREIGN.get(key, key)


@dataclass(slots=True)
class _Context:
    """Coreference state for one sentence: the registry, the sentence number and its offset."""

    registry: Registry
    number: int
    offset: int
    #: Every party resolved in this sentence, in the order they were resolved.
    resolved: list[Mention] = field(default_factory=list)

    def one(self, mention: Mention, speaker: Mention | None) -> Mention | None:
        found = self.registry.resolve(mention, self.number, speaker, self.offset + mention.start)
        return found[0] if found else None

    def all(
        self, mentions: list[Mention], speaker: Mention | None, exclude: frozenset[str] = frozenset()
    ) -> list[Mention]:
        out: list[Mention] = []
        for mention in mentions:
            # "him", "them": an object pronoun is never its own clause's subject ("Y, who urged him")
            others = exclude if mention.text.lower() in OBJECT_PRONOUNS else frozenset()
            for resolved in self.registry.resolve(mention, self.number, speaker, self.offset + mention.start, others):
                if resolved.code and all(_key(resolved) != _key(o) for o in out):
                    out.append(resolved)
                    self.resolved.append(resolved)
        return out


def _pairs(frame: Frame, context: _Context, speaker: Mention | None) -> list[_Pair]:
    """Source-target pairs of a frame after coreference; international dyads only."""
    sources = context.all(frame.sources, speaker)
    anaphoric = any(m.anaphor for m in frame.sources)
    # a pronoun on the target side ("urged its citizens") prefers the source as antecedent
    preferred = sources[0] if len(sources) == 1 else speaker
    exclude = frozenset(_key(s) for s in sources)
    groups = [(g, context.all(g.mentions, preferred, exclude)) for g in frame.targets]
    if frame.symmetric and len(sources) >= 2 and not any(g.direct and found for g, found in groups):
        return [_Pair(a, b, anaphoric, True, sources) for a in sources for b in sources if _key(a) != _key(b)]
    if not sources:
        between = next((found for g, found in groups if g.pair and len(found) >= 2), None)
        if frame.symmetric and between:
            return [_Pair(a, b, False, True, between) for a in between for b in between if _key(a) != _key(b)]
        return []
    domestic = False  # "Kerry criticised Bush over the war in Iraq": a domestic act, not one on Iraq
    for group, resolved_targets in groups:
        found = [t for t in resolved_targets if all(_key(t) != _key(s) for s in sources)]
        domestic = domestic or (group.direct and bool(resolved_targets) and not found)
        if domestic and not group.direct:
            return []
        if found:
            resolved = anaphoric or any(m.anaphor for m in group.mentions)
            pairs = [_Pair(s, t, resolved, group.direct) for s in sources for t in found]
            if frame.mutual and group.direct and not frame.mediate and (frame.joint or describe(frame.code).mutual):
                pairs += [_Pair(t, s, resolved, True) for s in sources for t in found]
            return pairs
    return []


def _confidence(pair: _Pair, precision: str, frame: Frame) -> float:
    """A heuristic score: lower when a party came through coreference, nesting or a fallback date."""
    score = BASE_CONFIDENCE
    if not pair.direct:
        score -= NESTED_TARGET_PENALTY
    if pair.resolved:
        score -= COREFERENCE_PENALTY
    if precision in {"week", "unknown"}:
        score -= FALLBACK_DATE_PENALTY
    if frame.rule.startswith("obligation"):
        score -= OBLIGATION_PENALTY
    return round(max(0.1, min(0.99, score)), 2)


__all__ = ["EXTRACTOR_VERSION", "EventExtractor"]
