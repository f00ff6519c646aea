"""Word n-gram features: vocabulary, TF-IDF rows, and the sparse path the detector runs."""

from __future__ import annotations

import numpy as np

from bot.nlu.classifier import fit_text
from bot.nlu.ngrams import Ngrams, terms

TEXTS = [
    "I won't need the phone after tonight",
    "I won't need the landline after I move",
    "where is my order",
    "where is my parcel",
    "my wife died last week",
    "my dog died last week",
]


def test_terms_are_words_and_word_pairs_with_curly_apostrophes_straightened() -> None:
    assert terms("I Won\u2019t need it") == ["i", "won't", "need", "it", "i won't", "won't need", "need it"]
    assert terms("") == []


def test_only_terms_of_two_texts_are_kept_and_rare_ones_weigh_more() -> None:
    ngrams = Ngrams.fit(TEXTS)
    assert "won't need" in ngrams.vocabulary and "where is" in ngrams.vocabulary
    assert "tonight" not in ngrams.vocabulary  # in one text only
    assert ngrams.idf[ngrams.vocabulary["died last"]] > ngrams.idf[ngrams.vocabulary["my"]]


def test_rows_are_unit_length_and_match_the_dense_transform() -> None:
    ngrams = Ngrams.fit(TEXTS)
    cols, vals = ngrams.row("where is my order, where is it")
    assert abs(float(np.linalg.norm(vals)) - 1.0) < 1e-6
    dense = ngrams.transform(["where is my order, where is it"]).toarray()[0]
    assert np.allclose(dense[cols], vals) and np.count_nonzero(dense) == len(cols)
    cols, vals = ngrams.row("completely unseen words")
    assert cols.size == 0 and vals.size == 0
    assert ngrams.transform(["completely unseen words", "where is my order"]).getnnz(axis=1).tolist() == [
        0, len(ngrams.row("where is my order")[0])]


def test_the_sparse_path_equals_the_dense_model_it_was_trained_as() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(len(TEXTS), 8)).astype(np.float32)
    labels = ["crisis", "none", "none", "none", "grief", "grief"]
    model = fit_text(x, TEXTS, labels, c=4.0)
    dense = model.linear.proba(np.hstack([x, model.ngrams.transform(TEXTS).toarray()]))
    assert np.allclose(model.proba(x, TEXTS), dense, atol=1e-5)
    assert np.allclose(model.proba(x[0], TEXTS[:1]), dense[:1], atol=1e-5)


def test_saved_terms_rebuild_the_same_vocabulary() -> None:
    ngrams = Ngrams.fit(TEXTS)
    again = Ngrams.of(ngrams.terms_in_order(), ngrams.idf)
    assert again.vocabulary == ngrams.vocabulary
