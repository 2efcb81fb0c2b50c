"""The near-duplicate bar of issue 7 on the test set of bench/dedup_set.py, through the real deduplication stage."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.dedup import cluster_in_warehouse
from bench.dedup_set import Doc, build_test_set, missed_and_merged, pairwise_scores
from tests.support.corpora import corpus


@pytest.fixture(scope="module")
def test_set() -> list[Doc]:
    return build_test_set(corpus("articles"))


def test_the_set_holds_copies_and_same_topic_non_copies(test_set: list[Doc]) -> None:
    kinds = Counter(d.kind for d in test_set)
    assert kinds["original"] >= 90
    for kind in ("agency_prefix", "edited_lead", "boilerplate", "truncated", "copy_edited", "agency_variant",
                 "quoting", "site_boilerplate", "corpus_copy"):  # fmt: skip
        assert kinds[kind] >= 3, kind
    plague = [d for d in test_set if d.kind == "original" and "plague" in d.title.lower()]
    assert len({d.story for d in plague}) >= 3  # the MANIFEST's same-story cluster: distinct stories here


def test_near_duplicate_precision_and_recall(warehouse_dsn: str, test_set: list[Doc]) -> None:
    predicted = cluster_in_warehouse(warehouse_dsn, test_set, seed=0)
    scores = pairwise_scores([d.story for d in test_set], predicted)
    missed, merged = missed_and_merged(test_set, predicted)
    assert scores.precision >= 0.98, (scores, merged[:10])
    assert scores.recall >= 0.95, (scores, missed)
    assert scores.true_positives > 2500  # the bar is measured on thousands of positive pairs
