"""The signals of an article pair and the combined score links are chosen and reported by.

For two regulations every pair is scored at once (:func:`score_pairs`: rapidfuzz ``cdist`` on all
cores, sparse products); for a large corpus only candidate pairs are (:func:`pair_signals`, row-wise
sparse dots). Both compute the same signals, checked equal in the tests, and both combine them with
:func:`combine`:

    char      character ratio of the neutralised texts (rapidfuzz, 0–100)
    cosine    TF-IDF cosine of the words (boilerplate words weigh little)
    cover_a   share of a's IDF-weighted words found in b (and cover_b the other way)
    topic     rare (topic) words both use
    specific  words both use that each regulation uses in few articles (not its field's vocabulary)
    heading   heading ratio, NaN unless both articles have headings
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse

from .prepare import Prepared, Vocabulary, WordRows
from .thresholds import CHAR_WEIGHT, COSINE_WEIGHT, HEADING_WEIGHT, LIABILITY_APART


def raw(char, cosine):
    """The combined score of the wording alone (numbers or arrays)."""
    return CHAR_WEIGHT * char + COSINE_WEIGHT * cosine


def combine(char, cosine, heading, apart=None):
    """The combined 0–100 score (arrays): the wording, lifted by matching headings (a different
    heading never lowers it), lowered (``LIABILITY_APART``) where ``apart``: a penalty against a
    provision that sanctions nothing (:func:`liability_apart`)."""
    score = raw(char, cosine)
    with np.errstate(invalid="ignore"):
        lifted = np.where(np.isnan(heading), score, (1.0 - HEADING_WEIGHT) * score + HEADING_WEIGHT * heading)
    score = np.clip(np.maximum(score, lifted), 0, 100)
    return score if apart is None else np.where(apart, score * LIABILITY_APART, score)


def liability_apart(la: np.ndarray | None, lb: np.ndarray | None) -> np.ndarray | None:
    """Pairs (``la`` and ``lb`` broadcast) of which one lies in its regulation's liability chapter
    and the other sanctions nothing (:func:`~.prepare.liability`; not known on either side: not
    apart). None when neither regulation can tell."""
    if la is None or lb is None:
        return None
    return (la != lb) & ~np.isnan(la) & ~np.isnan(lb)


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
    specific: np.ndarray   # number of words both use that each one's regulation uses in few articles


def char_ratios(xs: Sequence[str], ys: Sequence[str]) -> np.ndarray:
    """The character ratio of every pair (rapidfuzz ``cdist``; threads pay only on large blocks)."""
    if not xs or not ys:
        return np.zeros((len(xs), len(ys)), np.float32)
    workers = -1 if len(xs) * len(ys) >= 8_000 else 1
    return process.cdist(xs, ys, scorer=fuzz.ratio, workers=workers, dtype=np.float32)


def score_pairs(pa: Prepared, pb: Prepared, vocab: Vocabulary | None = None) -> Scores:
    """Every signal for every article pair, vectorised (cdist, sparse products)."""
    return score_against(pa, [pb], vocab or Vocabulary([pa, pb]))[0]


def score_against(pa: Prepared, others: Sequence[Prepared], vocab: Vocabulary) -> list[Scores]:
    """:func:`score_pairs` of ``pa`` with each of ``others``, computed as one block (one cdist and
    one sparse product per signal for all of them: a corpus compares each regulation once)."""
    n = pa.n
    cuts = np.cumsum([0] + [p.n for p in others])
    if not n or not cuts[-1]:
        return [_empty(n, p.n) for p in others]
    char = char_ratios(pa.flat, [f for p in others for f in p.flat])
    a = vocab.rows(pa)  # word rows are computed once per regulation and vocabulary
    b = [vocab.rows(p) for p in others]
    stack = (lambda name: sparse.vstack([getattr(r, name) for r in b], format="csr")) if len(b) > 1 \
        else (lambda name: getattr(b[0], name))
    size_b = np.concatenate([r.size for r in b])
    cosine = (a.tfidf @ stack("tfidf").T).toarray()
    cover_a = (a.idf_present @ stack("present").T).toarray() / np.maximum(a.size, 1e-9)[:, None]
    cover_b = (a.present @ stack("idf_present").T).toarray() / np.maximum(size_b, 1e-9)[None, :]
    topic = (a.rare @ stack("rare").T).toarray()
    specific = (a.own @ stack("own").T).toarray()
    heading = np.full(char.shape, np.nan)
    ia = [i for i, h in enumerate(pa.headings) if h]
    ib = [k for k, h in enumerate(h for p in others for h in p.headings) if h]
    if ia and ib:
        flat_headings = [h for p in others for h in p.headings]
        heading[np.ix_(ia, ib)] = char_ratios([pa.headings[i] for i in ia], [flat_headings[k] for k in ib])
    apart = None
    if pa.liability is not None and any(p.liability is not None for p in others):
        apart = liability_apart(pa.liability[:, None], np.concatenate([p.liability_row() for p in others])[None, :])
    combined = combine(char, cosine, heading, apart)
    return [Scores(char=char[:, x:y], cosine=cosine[:, x:y], cover_a=cover_a[:, x:y], cover_b=cover_b[:, x:y],
                   heading=heading[:, x:y], topic=topic[:, x:y], combined=combined[:, x:y],
                   specific=specific[:, x:y])
            for x, y in itertools.pairwise(cuts)]


def _empty(n: int, m: int) -> Scores:
    z = np.zeros((n, m))
    return Scores(char=z.astype(np.float32), cosine=z, cover_a=z, cover_b=z, heading=np.full((n, m), np.nan),
                  topic=z, combined=z, specific=z)


# -- candidate pairs only ----------------------------------------------------------------------------
def word_rows(prepared: Iterable[Prepared], vocab: Vocabulary) -> WordRows:
    """The articles of ``prepared`` as rows of one matrix per kind (see :class:`WordRows`)."""
    rows = [vocab.rows(p, keep=False) for p in prepared]
    if not rows:
        z = sparse.csr_matrix((0, len(vocab.index)))
        return WordRows(z, z.astype(np.float32), np.zeros(0), z, z.astype(np.float32), z.astype(np.float32))
    return WordRows(sparse.vstack([r.tfidf for r in rows], format="csr"),
                    sparse.vstack([r.present for r in rows], format="csr"),
                    np.concatenate([r.size for r in rows]),
                    sparse.vstack([r.idf_present for r in rows], format="csr"),
                    sparse.vstack([r.rare for r in rows], format="csr"),
                    sparse.vstack([r.own for r in rows], format="csr"))


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
                 wy: WordRows, i: np.ndarray, j: np.ndarray, lx: np.ndarray | None = None,
                 ly: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """:func:`score_pairs`' signals for the article pairs (x row i[t], y row j[t]) only: flat texts
    ``fx``/``fy``, headings ``hx``/``hy``, word rows and liability (:func:`~.prepare.liability`, NaN
    where not known) of the two sides."""
    char = ratios([fx[k] for k in i], [fy[k] for k in j], np.float32)
    cosine = _rowdot(wx.tfidf, wy.tfidf, i, j)
    shared = _rowdot(wx.idf_present, wy.present, i, j)
    cover_a = shared / np.maximum(wx.size[i], 1e-9)
    cover_b = shared / np.maximum(wy.size[j], 1e-9)  # the same IDF sum, over b's size
    topic = _rowdot(wx.rare, wy.rare, i, j)
    specific = _rowdot(wx.own, wy.own, i, j)
    heading = np.full(len(i), np.nan)
    both = np.array([bool(hx[a]) and bool(hy[b]) for a, b in zip(i, j)], dtype=bool)
    if both.any():
        heading[both] = ratios([hx[a] for a in i[both]], [hy[b] for b in j[both]], np.float32)
    return dict(char=char, cosine=cosine, cover_a=cover_a, cover_b=cover_b, heading=heading,
                topic=topic, specific=specific, combined=combine(char, cosine, heading,
                                              None if lx is None or ly is None else liability_apart(lx[i], ly[j])))
