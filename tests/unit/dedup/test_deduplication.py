"""URL canonicalisation, text fingerprints and near-duplicate signatures."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pytest

from communique.dedup.fingerprints import (
    LSH_BANDS,
    NUM_PERM,
    Signature,
    Similarity,
    best_copy,
    minhash_values,
    normalise_text,
    shingle_text,
    similarity,
    text_fingerprint,
    text_signature,
)
from communique.dedup.shingles import shingle_hashes, tokens, word_hashes
from communique.dedup.urls import article_id, canonical_url, resolve_canonical
from tests.support.paths import FIXTURES

DEDUP_FIXTURES = FIXTURES / "dedup"


def _text(name: str) -> str:
    """A cleaned article text from tests/fixtures/dedup (header comment lines dropped)."""
    lines = (DEDUP_FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.startswith("# "))


SAME_PAGE = [
    ("https://www.bbc.co.uk/news/world-123", "https://bbc.co.uk/news/world-123"),
    ("HTTPS://WWW.BBC.CO.UK:443/news/world-123", "https://bbc.co.uk/news/world-123"),
    ("https://www.bbc.co.uk/news/world-123/", "https://bbc.co.uk/news/world-123"),
    ("https://www.bbc.co.uk/news/world-123#comments", "https://bbc.co.uk/news/world-123"),
    ("https://www.bbc.co.uk/news/world-123?utm_source=rss&utm_medium=feed", "https://bbc.co.uk/news/world-123"),
    ("https://www.bbc.co.uk/news/world-123?fbclid=abc&gclid=def", "https://bbc.co.uk/news/world-123"),
    ("https://m.bbc.co.uk/news/world-123", "https://bbc.co.uk/news/world-123"),
    ("https://www.bbc.co.uk/news/world-123.amp", "https://bbc.co.uk/news/world-123"),
    ("https://amp.theguardian.com/world/2020/jan/01/story", "https://theguardian.com/world/2020/jan/01/story"),
    ("https://example.com/a/story/amp/", "https://example.com/a/story"),
    ("https://example.com/a//story", "https://example.com/a/story"),
    ("https://example.com/p?b=2&a=1", "https://example.com/p?a=1&b=2"),
    # AMP caches and Google's AMP viewer point at the publisher's page.
    ("https://www-bbc-co-uk.cdn.ampproject.org/c/s/www.bbc.co.uk/news/world-123.amp", "https://bbc.co.uk/news/world-123"),
    ("https://www.google.com/amp/s/www.bbc.co.uk/news/world-123", "https://bbc.co.uk/news/world-123"),
    ("https://example.com/amp/news/story", "https://example.com/news/story"),
    ("https://example.com/news/story.amp.html", "https://example.com/news/story"),
    ("https://example.com/news/story?amp=1&outputType=amp", "https://example.com/news/story"),
    # A mobile label below the registrable domain.
    ("https://en.m.wikipedia.org/wiki/Sudan", "https://en.wikipedia.org/wiki/Sudan"),
    ("https://mobile.reuters.com/article/x", "https://reuters.com/article/x"),
    # Session ids and more trackers.
    ("https://example.com/story;jsessionid=A1B2C3?id=7", "https://example.com/story?id=7"),
    ("https://example.com/story?id=7&PHPSESSID=x&ref=rss&icid=home&srsltid=q&mc_cid=1&_ga=2",
     "https://example.com/story?id=7"),
    ("https://example.com/story?ns_mchannel=rss&ns_source=x&at_medium=social&WT.mc_id=1&oly_enc_id=z",
     "https://example.com/story"),
    # Host: trailing dot, internationalised names as punycode.
    ("https://example.com./story", "https://example.com/story"),
    ("https://bücher.example/story", "https://xn--bcher-kva.example/story"),
    ("https://example.com:notaport/story", "https://example.com/story"),
]  # fmt: skip


@pytest.mark.parametrize(("url", "expected"), SAME_PAGE)
def test_variants_of_a_page_share_one_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected
    assert canonical_url(expected) == expected  # idempotent


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com:8080/story",  # a non-default port is part of the address
        "https://example.com/story?id=42",  # content parameters stay
        "https://example.com/",
        "https://example.com/#!/story/42",  # a hash-bang route is the page's address
        "https://m.com/story",  # "m" as the registrable name is not a mobile label
        "https://example.com/news/amplifier",  # "amp" inside a word is not AMP
    ],
)
def test_meaningful_parts_are_kept(url: str) -> None:
    assert canonical_url(url) == url


def test_different_pages_stay_different() -> None:
    assert canonical_url("https://example.com/story?id=1") != canonical_url("https://example.com/story?id=2")
    assert canonical_url("http://example.com/a") != canonical_url("https://example.com/a")


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        (None, "https://site.example/a"),
        ("", "https://site.example/a"),
        ("https://www.wire.example/story/1?utm_source=partner", "https://wire.example/story/1"),
        ("ftp://wire.example/story/1", "https://site.example/a"),  # not a web page
        ("/story/1", "https://site.example/a"),  # not absolute
    ],
)
def test_declared_canonical_is_canonicalised_or_ignored(declared: str | None, expected: str) -> None:
    assert resolve_canonical("https://site.example/a", declared) == expected


def test_article_id_is_deterministic_and_short() -> None:
    first = article_id(canonical_url("https://www.example.com/x?utm_source=a"))
    assert first == article_id(canonical_url("https://example.com/x"))
    assert len(first) == 32 and int(first, 16) >= 0


def test_fingerprint_ignores_case_spacing_and_punctuation() -> None:
    a = "Ruto hosted Abiy in Nairobi.\n\nThe two leaders signed a deal."
    b = "RUTO hosted Abiy, in  Nairobi! The two leaders signed a deal"
    assert normalise_text(a) == normalise_text(b)
    assert text_fingerprint(a) == text_fingerprint(b)
    assert text_fingerprint(a) != text_fingerprint(a + " Then they left.")


def test_no_words_no_fingerprint() -> None:
    assert text_fingerprint(" \n ... ") is None


# --- Words and shingles ----------------------------------------------------------------------------

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_REFERENCE_WORD = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")


def _reference_tokens(text: str) -> list[str]:
    """The word rule written with Python's Unicode regex: letters and digits; one word per CJK character."""
    return _REFERENCE_WORD.findall(unicodedata.normalize("NFKC", text).casefold())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello, World! It's “quoted” — U.S. 1,000 snake_case", "hello world it s quoted u s 1 000 snake case"),
        ("港特首梁振英就住宅 abc", "港 特 首 梁 振 英 就 住 宅 abc"),
        ("Tokyo東京tower", "tokyo 東 京 tower"),
        ("ÜNÏCODE ﬁne Straße", "ünïcode fine strasse"),  # NFKC and case folding
        ("مرحبا، عالم؟", "مرحبا عالم"),  # Arabic punctuation separates
        ("x\u00a0y «z» 😀w…v", "x y z w v"),  # no-break space, guillemets, emoji, ellipsis
        ("", ""),
        (" ... ", ""),
    ],
)
def test_words_are_letters_and_digits(text: str, expected: str) -> None:
    assert " ".join(tokens(text)) == expected


@pytest.mark.parametrize("name", sorted(p.name for p in DEDUP_FIXTURES.glob("*.txt")))
def test_words_agree_with_the_unicode_regex_rule(name: str) -> None:
    text = _text(name)
    assert tokens(text) == _reference_tokens(text)


def test_word_hashes_depend_on_the_word_only() -> None:
    hashes = word_hashes("Sudan, SUDAN; sudan — Sudanese")
    assert hashes[0] == hashes[1] == hashes[2] != hashes[3]
    assert word_hashes("one two").tolist() == word_hashes("One   two!").tolist()


def test_shingles_are_distinct_sorted_five_word_runs() -> None:
    hashes = shingle_hashes("a b c d e a b c d e")
    assert hashes.dtype == np.uint32
    assert hashes.tolist() == sorted(set(hashes.tolist()))
    assert len(hashes) == 5  # abcde, bcdea, cdeab, deabc, eabcd; the second abcde is the same shingle
    assert len(shingle_hashes("too short")) == 1
    assert len(shingle_hashes("")) == 0


def test_minhash_is_datasketchs() -> None:
    from datasketch import MinHash

    from communique.dedup import fingerprints

    hashes = shingle_hashes(_text("nypost_plague.txt"))
    reference = MinHash(num_perm=NUM_PERM, seed=fingerprints._MINHASH_SEED, scheme="affine32", hashfunc=int)
    reference.update_batch(hashes.tolist())
    assert np.array_equal(minhash_values(hashes), reference.hashvalues)


# --- What is shingled ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("WASHINGTON (Reuters) - The talks ended.", "The talks ended."),
        ("BEIJING, Nov 20 (AFP) - China said no.", "China said no."),
        ("NEW YORK (AP) — Stocks fell.", "Stocks fell."),
        ("HONG KONG — Protesters gathered.", "Protesters gathered."),
        ("(Reuters) - Oil rose.", "Oil rose."),
        ("US - China talks resume.", "US - China talks resume."),  # a hyphen after a short word: no dateline
        ("Trump (AP photo) spoke.", "Trump (AP photo) spoke."),
        (
            "Oil rose.\n\nTraders cheered.\n\n(Reporting by Jane Ashby; Editing by Mark Potter)",
            "Oil rose.\nTraders cheered.",
        ),
        ("Oil rose.\n\nCopyright 2019 The Associated Press. All rights reserved.", "Oil rose."),
        ("Oil rose.\n\n© Agence France-Presse", "Oil rose."),
        ("Oil rose.\n\nReporting by Jane Ashby in London; Editing by Mark Potter", "Oil rose."),
        ("Reporting by the BBC showed the deal had collapsed.", "Reporting by the BBC showed the deal had collapsed."),
        ("Oil rose.\n\n(Reporting from Kabul, the BBC found more.)\n\nEnd.",
         "Oil rose.\n(Reporting from Kabul, the BBC found more.)\nEnd."),  # not a credit line
        ("(Reporting by A)\n\nOne.\n\nTwo.\n\nThree.", "(Reporting by A)\nOne.\nTwo.\nThree."),  # only at the end
    ],
)  # fmt: skip
def test_datelines_and_credit_lines_are_not_shingled(text: str, expected: str) -> None:
    assert shingle_text(text) == expected


# --- Signatures and the copy rule --------------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def test_short_texts_get_no_signature() -> None:
    assert text_signature("Ruto hosted Abiy in Nairobi on Wednesday.") is None
    assert text_signature("") is None


def test_signature_is_deterministic_and_banded() -> None:
    text = _text("ap_sondland.txt")
    first, second = text_signature(text), text_signature(text)
    assert first is not None and first == second
    assert len(first.minhash) == 4 * NUM_PERM
    keys = first.band_keys()
    assert len(keys) == LSH_BANDS and len(set(keys)) == LSH_BANDS
    assert all(-(2**63) <= k < 2**63 for k in keys)
    assert first.shingles == len(shingle_hashes(shingle_text(text)))


def test_agency_copy_with_dateline_and_credits_is_the_same_text() -> None:
    text = _text("nypost_plague.txt")
    paragraphs = _paragraphs(text)
    copy = "\n\n".join(["BEIJING (Reuters) - " + paragraphs[0], *paragraphs[1:], "(Reporting by A; Editing by B)"])
    found = similarity(_signature(text), _signature(copy))
    assert found.jaccard > 0.95 and found.is_copy()


def test_truncated_copy_is_judged_by_containment() -> None:
    text = _text("ap_sondland.txt")
    paragraphs = _paragraphs(text)
    lead = "\n\n".join(paragraphs[: len(paragraphs) * 2 // 5])  # an outlet ran the first 40 %
    found = similarity(_signature(text), _signature(lead))
    assert found.jaccard < 0.5 and found.containment > 0.9
    assert found.containment_applies and found.is_copy()
    assert found.score == found.containment


def test_a_short_story_inside_a_much_longer_text_is_not_its_copy() -> None:
    short, long = _text("nypost_plague.txt"), _text("cbs_impeachment_hearings.txt")
    roundup = long + "\n\n" + short  # a roundup quoting the whole short story
    found = similarity(_signature(short), _signature(roundup))
    assert found.containment > 0.9 and not found.containment_applies
    assert not found.is_copy()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("nypost_plague.txt", "express_plague.txt"),  # one story (the China plague case), two outlets' own texts
        ("ap_sondland.txt", "cbs_impeachment_hearings.txt"),  # the same impeachment hearings
    ],
)
def test_articles_on_the_same_story_by_different_outlets_are_not_copies(a: str, b: str) -> None:
    found = similarity(_signature(_text(a)), _signature(_text(b)))
    assert found.jaccard < 0.05 and found.containment < 0.2
    assert not found.is_copy()


def test_boilerplate_appended_to_a_copy_keeps_it_a_copy() -> None:
    text = _text("nypost_plague.txt")
    footer = (
        "Sign up for our morning briefing and get the most important stories of the day in your inbox before "
        "breakfast. It is free, and you can unsubscribe at any time. By signing up you agree to our terms."
    )
    found = similarity(_signature(text), _signature(text + "\n\n" + footer + "\n\n" + footer.upper()))
    assert found.is_copy()


def test_signatures_of_different_schemes_are_never_compared() -> None:
    signature = _signature(_text("nypost_plague.txt"))
    other = Signature(signature.minhash, signature.shingles, scheme=signature.scheme + 1)
    with pytest.raises(ValueError, match="schemes"):
        similarity(signature, other)
    assert best_copy(signature, [("other", other)]) is None


def test_best_copy_takes_the_most_similar_and_the_first_on_ties() -> None:
    text = _text("ap_sondland.txt")
    paragraphs = _paragraphs(text)
    exact = _signature(text)
    edited = _signature("\n\n".join(["A rewritten first paragraph about the hearing.", *paragraphs[1:]]))
    unrelated = _signature(_text("cbs_impeachment_hearings.txt"))
    assert best_copy(exact, [("unrelated", unrelated)]) is None
    key, found = best_copy(exact, [("edited", edited), ("same", exact), ("again", exact)]) or ("", None)
    assert key == "same" and found is not None and found.jaccard == 1.0


@pytest.mark.parametrize(
    ("similar", "copy"),
    [
        (Similarity(0.5, 0.6, 100, 150), True),  # Jaccard alone
        (Similarity(0.4, 0.85, 100, 250), True),  # containment: long enough, not many times longer
        (Similarity(0.4, 0.85, 40, 80), False),  # too short for containment
        (Similarity(0.2, 0.95, 100, 400), False),  # the longer text is four times longer
        (Similarity(0.45, 0.7, 100, 150), False),
    ],
)
def test_copy_rule(similar: Similarity, copy: bool) -> None:
    assert similar.is_copy() is copy


def _signature(text: str) -> Signature:
    signature = text_signature(text)
    assert signature is not None
    return signature
