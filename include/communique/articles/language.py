"""Which language an article is written in: the detector on the text, the page's declaration as a tie-breaker.

Pages often declare a language their template hard-codes (``<html lang="en">`` on a Spanish edition), so
the text decides whenever there is enough of it: py3langid (a deterministic naive-Bayes model over byte
n-grams, 97 languages) with normalised probabilities. The declaration (``<html lang>``, Content-Language,
``og:locale``, JSON-LD ``inLanguage``) decides only when the text is too short or the detector unsure.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

LOGGER = logging.getLogger(__name__)

#: Below this many characters of text, the detector alone is not trusted.
MIN_TEXT_CHARS = 200
#: The detector's probability needed to overrule the page's declaration.
MIN_CONFIDENCE = 0.90
#: Characters sampled from the text: its longest paragraphs, where the prose is (not menus or tables).
SAMPLE_CHARS = 700
_PROSE_MIN_CHARS = 80
_PROSE_MAX_CAPITALISED = 0.5
_TAG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_].*)?$")
# Tags that browsers and CMSes write for a language py3langid labels differently.
_ALIASES = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "nb": "no", "nn": "no", "zh": "zh", "fil": "tl"}


def normalise_tag(tag: str | None) -> str | None:
    """``en-US`` / ``en_GB`` / ``EN`` → ``en``; ``None`` for anything that is not a language tag."""
    match = _TAG.match((tag or "").strip())
    if not match:
        return None
    code = match.group(1).lower()
    return _ALIASES.get(code, code)


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # heavy, imported on first use

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify(text: str) -> tuple[str, float]:
    """The detector's best language for ``text`` and its probability (0-1)."""
    sample = _prose_sample(text, SAMPLE_CHARS)
    if not sample.strip():
        return "und", 0.0
    lang, probability = _identifier().classify(sample)
    if probability < MIN_CONFIDENCE and len(text) > len(sample):
        # Unsure on the sample (names, figures): a larger one usually settles it.
        lang, probability = _identifier().classify(_prose_sample(text, 4 * SAMPLE_CHARS))
    return str(lang), float(probability)


def _prose_sample(text: str, size: int) -> str:
    """Up to ``size`` characters of prose paragraphs (:func:`_is_prose`) in order; any paragraphs if none."""
    if len(text) <= size:
        return text
    paragraphs = [p for p in text.split("\n") if p]
    prose = [p for p in paragraphs if _is_prose(p)]
    chosen = prose or paragraphs
    sample: list[str] = []
    length = 0
    for paragraph in chosen:
        sample.append(paragraph)
        length += len(paragraph) + 1
        if length >= size:
            break
    return "\n".join(sample)[:size]


def _is_prose(paragraph: str) -> bool:
    """A sentence or more of running text: not a table row, not a list of Capitalised Names."""
    if len(paragraph) < _PROSE_MIN_CHARS or paragraph.startswith("|"):
        return False
    words = paragraph.split()
    capitalised = sum(1 for word in words if word[:1].isupper())
    return capitalised < _PROSE_MAX_CAPITALISED * len(words)


def detect_language(text: str, declared: str | None = None) -> str | None:
    """ISO 639-1 code of the article's language, or ``None`` when neither text nor page tells."""
    declared_code = normalise_tag(declared)
    if len(text.strip()) < MIN_TEXT_CHARS // 4:
        return declared_code
    lang, probability = identify(text)
    if declared_code is None:
        return lang if probability >= MIN_CONFIDENCE / 2 or len(text) >= MIN_TEXT_CHARS else None
    if lang == declared_code:
        return lang
    if len(text) >= MIN_TEXT_CHARS and probability >= MIN_CONFIDENCE:
        LOGGER.debug("page declares %s, text reads as %s (p=%.2f)", declared_code, lang, probability)
        return lang
    return declared_code
