"""The signals of an article pair and the combined score links are chosen and reported by.

For two regulations every pair is scored at once (:func:`score_pairs`: rapidfuzz ``cdist`` on all
cores, sparse products); for a large corpus only candidate pairs are (:func:`pair_signals`, row-wise
sparse dots). Both compute the same signals, checked equal in the tests, and both combine them with
:func:`combine`:

    char      character ratio of the neutralised texts (rapidfuzz, 0–100)
    cosine    TF-IDF cosine of the words (boilerplate words weigh little)
    cover_a   share of a's IDF-weighted words found in b (and cover_b the other way)
    topic     rare (topic) words both use
    heading   heading ratio, NaN unless both articles have headings
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse

from .prepare import Prepared, Vocabulary
from .thresholds import CHAR_WEIGHT, COSINE_WEIGHT, HEADING_WEIGHT


def raw(char, cosine):
    """The combined score of the wording alone (numbers or arrays)."""
    return CHAR_WEIGHT * char + COSINE_WEIGHT * cosine


def combine(char, cosine, heading):
    """The combined 0–100 score (arrays): the wording, lifted by matching headings (a different
    heading never lowers it)."""
    score = raw(char, cosine)
    with np.errstate(invalid="ignore"):
        lifted = np.where(np.isnan(heading), score, (1.0 - HEADING_WEIGHT) * score + HEADING_WEIGHT * heading)
    return np.clip(np.maximum(score, lifted), 0, 100)


@dataclass
class Scores:
    """Pairwise signals between the articles of a (rows) and b (columns)."""

    char: np.ndarray       # rapidfuzz ratio, 0–100
    cosine: np.ndarray     # TF-IDF cosine, 0–1
    cover_a: np.ndarray    # share of a's weighted words found in b, 0–1
    cover_b: np.ndarray    # share of b's weighted words found in a, 0–1
    heading: np.ndarray    # heading ratio 0–100, NaN unless both have headings
    topic: np.ndarray      # number of rare (topic) words both articles use
    combined: np.ndarray   # the score links are chosen and reported by, 0–100


def score_pairs(pa: Prepared, pb: Prepared, vocab: Vocabulary | None = None) -> Scores:
    """Every signal for every article pair, vectorised (cdist with all cores, sparse products)."""
    vocab = vocab or Vocabulary([pa, pb])
    n, m = pa.n, pb.n
    char = process.cdist(pa.flat, pb.flat, scorer=fuzz.ratio, workers=-1, dtype=np.float32) if n and m \
        else np.zeros((n, m), np.float32)
    ta, wa = vocab.matrices(pa)
    tb, wb = vocab.matrices(pb)
    cosine = np.asarray((ta @ tb.T).todense()) if n and m else np.zeros((n, m))
    overlap = np.asarray((wa @ (wb > 0).astype(float).T).todense()) if n and m else np.zeros((n, m))
    size_a = np.asarray(wa.sum(axis=1)).ravel()
    size_b = np.asarray(wb.sum(axis=1)).ravel()
    cover_a = overlap / np.maximum(size_a, 1e-9)[:, None]
    overlap_b = np.asarray(((wa > 0).astype(float) @ wb.T).todense()) if n and m else np.zeros((n, m))
    cover_b = overlap_b / np.maximum(size_b, 1e-9)[None, :]
    ra, rb = (wa[:, vocab.rare] > 0).astype(float), (wb[:, vocab.rare] > 0).astype(float)
    topic = np.asarray((ra @ rb.T).todense()) if n and m else np.zeros((n, m))
    heading = np.full((n, m), np.nan)
    ia = [i for i, h in enumerate(pa.headings) if h]
    ib = [j for j, h in enumerate(pb.headings) if h]
    if ia and ib:
        h = process.cdist([pa.headings[i] for i in ia], [pb.headings[j] for j in ib],
                          scorer=fuzz.ratio, workers=-1)
        heading[np.ix_(ia, ib)] = h
    return Scores(char=char, cosine=cosine, cover_a=cover_a, cover_b=cover_b, heading=heading,
                  topic=topic, combined=combine(char, cosine, heading))



# -- candidate pairs only ----------------------------------------------------------------------------
@dataclass
class WordRows:
    """A partition's articles as rows: TF-IDF (L2), IDF-weighted presence, rare-word presence."""

    tfidf: sparse.csr_matrix
    present: sparse.csr_matrix     # binary
    size: np.ndarray               # sum of IDF over the article's words
    idf_present: sparse.csr_matrix
    rare: sparse.csr_matrix        # binary, rare words only


def word_rows(prepared: Iterable[Prepared], vocab: Vocabulary) -> WordRows:
    """The articles of ``prepared`` as rows of one matrix per kind (see :class:`WordRows`)."""
    tf, pr = [], []
    for prep in prepared:
        t, p = vocab.matrices(prep)
        tf.append(t)
        pr.append(p)
    n_words = len(vocab.index)
    tfidf = sparse.vstack(tf, format="csr") if tf else sparse.csr_matrix((0, n_words))
    idf_present = sparse.vstack(pr, format="csr") if pr else sparse.csr_matrix((0, n_words))
    # 0/1 rows in float32: exact, and half the memory of a corpus-wide float64 copy
    present = idf_present.astype(np.float32)
    present.data[:] = 1.0
    rare = (present @ sparse.diags(vocab.rare.astype(np.float32))).tocsr()
    rare.eliminate_zeros()
    size = np.asarray(idf_present.sum(axis=1)).ravel()
    return WordRows(tfidf, present, size, idf_present, rare)


def _rowdot(x: sparse.csr_matrix, y: sparse.csr_matrix, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """x[i[t]] · y[j[t]] for every t (sparse, element-wise)."""
    if not len(i):
        return np.zeros(0)
    return np.asarray(x[i].multiply(y[j]).sum(axis=1)).ravel()


def ratios(xs: list[str], ys: list[str], dtype) -> np.ndarray:
    """fuzz.ratio of xs[t] and ys[t] (rapidfuzz's cpdist from 3.6; a loop before)."""
    if not xs:
        return np.zeros(0, dtype)
    if hasattr(process, "cpdist"):
        return process.cpdist(xs, ys, scorer=fuzz.ratio, workers=1, dtype=dtype)
    return np.fromiter((fuzz.ratio(x, y) for x, y in zip(xs, ys)), dtype, count=len(xs))


def pair_signals(fx: Sequence[str], hx: Sequence[str], wx: WordRows, fy: Sequence[str], hy: Sequence[str],
                 wy: WordRows, i: np.ndarray, j: np.ndarray) -> dict[str, np.ndarray]:
    """:func:`score_pairs`' signals for the article pairs (x row i[t], y row j[t]) only: flat texts
    ``fx``/``fy``, headings ``hx``/``hy`` and word rows of the two sides."""
    char = ratios([fx[k] for k in i], [fy[k] for k in j], np.float32)
    cosine = _rowdot(wx.tfidf, wy.tfidf, i, j)
    shared = _rowdot(wx.idf_present, wy.present, i, j)
    cover_a = shared / np.maximum(wx.size[i], 1e-9)
    cover_b = shared / np.maximum(wy.size[j], 1e-9)  # the same IDF sum, over b's size
    topic = _rowdot(wx.rare, wy.rare, i, j)
    heading = np.full(len(i), np.nan)
    both = np.array([bool(hx[a]) and bool(hy[b]) for a, b in zip(i, j)], dtype=bool)
    if both.any():
        heading[both] = ratios([hx[a] for a in i[both]], [hy[b] for b in j[both]], np.float32)
    return dict(char=char, cosine=cosine, cover_a=cover_a, cover_b=cover_b, heading=heading,
                topic=topic, combined=combine(char, cosine, heading))
