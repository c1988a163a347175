"""Corpus-wide alignment: every pair of equivalent provisions, on one machine or on Dask.

:func:`align_all` runs the same steps whatever the engine, on partitions of ``chunk_size``
documents:

1. **prepare** each partition (:func:`pingan_corpus.alignment.prepare`, jieba run once per
   distinct neutralised text): flat texts, words, headings, a stable key per text, and the
   partition's word document frequencies;
2. **vocabulary**: the frequencies are summed into one IDF for the corpus (as
   :func:`~pingan_corpus.alignment.pairwise_links` does), and each partition's articles become
   sparse TF-IDF and presence rows;
3. **blocking** (:mod:`pingan_corpus.blocking`): near texts (top-k sparse products in row
   chunks), copies of the same text, related documents;
4. **scoring** the candidate pairs only, with the signals of
   :func:`~pingan_corpus.alignment.score_pairs` (character ratio, word cosine, containment,
   topic words, headings), then, for each document pair with candidates, the relation logic
   of :func:`~pingan_corpus.alignment.link_articles` (global assignment, corroboration,
   split/merge tests, partials) on the candidate entries, a pair that is not a candidate
   scoring 0. Document pairs whose candidates share no row or column take a vectorised path;
   the others visit their candidates only, or use alignment's own functions when dense.

With every pair a candidate the result *is* ``pairwise_links`` (tests pin it); on the bundled
regulations the default blocking keeps every link exhaustive scoring finds above ``LINK``. On
corpora of near-copies the default links form a sparse neighbour graph instead of all pairs:
each text's ``k`` nearest texts, the first ``fanout`` copies of a text, a document's ``doc_k``
nearest documents — the count of what was left out is in ``frame.attrs["blocking"]``, and
:func:`recall_against_exhaustive` measures it on a sample. ``complete=True`` lifts the caps
(every pair, quadratic in the copies) and ``out=`` streams the links to Parquet parts, one per
scoring task, instead of returning them (:class:`~pingan_corpus.store.StoredLinks`).

No step holds an articles × articles matrix: products are cut into ``ROW_CHUNK`` rows, the
document neighbours are a dense documents × 1024 sketch (N² × 1024 multiply-adds: seconds at
10,000 documents), scoring runs in tasks of whole document pairs and about ``TASK_PAIRS``
candidates, and the relation logic works on one document pair at a time. The local
engine runs the steps in this process or in ``workers`` forked processes; the Dask engine
submits the same functions to a ``dask.distributed`` cluster, so both give the same frame."""
from __future__ import annotations

import math
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from scipy import sparse

from . import pairs as A
from . import blocking as B
from ..parse import regexes as R
from ..models import Regulation
from ..store import StoredLinks

LINK_COLUMNS = ["doc_a", "article_a", "doc_b", "article_b", "score", "relation", "method"]
CHUNK_SIZE = 500         # documents per partition
TASK_PAIRS = 250_000     # candidate pairs per scoring task (about 0.5 GB of signals at most)
EXPAND_PIECE = 500_000   # near-text pairs expanded to article pairs at a time


# -- 1. preparation -----------------------------------------------------------------------------
@dataclass
class Part:
    """One partition's documents ready for blocking and scoring (no Regulation objects)."""

    first_doc: int                 # corpus index of its first document
    doc_ids: list[str]
    numbers: list[list[int]]       # article numbers per document
    flats: list[list[str]]
    tokens: list[list[list[str]]]
    headings: list[list[str]]
    keys: np.ndarray               # stable key of each article's flat text (blocking.text_key)
    word_df: Counter               # words → number of articles using them

    @property
    def counts(self) -> list[int]:
        return [len(f) for f in self.flats]

    def prepared(self, d: int) -> A.Prepared:
        """Document d (index in the partition) as an alignment.Prepared without its Regulation."""
        return A.Prepared(reg=None, articles=self.numbers[d], flat=self.flats[d], tokens=self.tokens[d],
                          headings=self.headings[d])


words = A.words  # alignment's own jieba dictionary, alike in every worker process


def prepare_part(regs: Sequence[Regulation], first_doc: int = 0) -> Part:
    """:func:`alignment.prepare` for each regulation, jieba run once per distinct text."""
    cache: dict[str, list[str]] = {}
    intern = sys.intern

    def toks(text: str) -> list[str]:
        got = cache.get(text)
        if got is None:
            got = cache[text] = [intern(w) for w in words(text)]
        return got

    numbers, flats, tokens, headings = [], [], [], []
    df: Counter = Counter()
    for reg in regs:
        own = A._own_names(reg)
        arts = list(reg.articles)
        neutral = [A.neutralize(a.text, own) for a in arts]
        numbers.append([a.number for a in arts])
        flats.append([R.NON_WORD.sub("", t) for t in neutral])
        tk = [toks(t) for t in neutral]
        tokens.append(tk)
        headings.append([R.NON_WORD.sub("", A.neutralize(a.heading, own)) if a.heading else "" for a in arts])
        for t in tk:
            df.update(set(t))
    keys = np.fromiter((B.text_key(t) for f in flats for t in f), dtype=np.int64)
    return Part(first_doc, [r.doc_id for r in regs], numbers, flats, tokens, headings, keys, df)


# -- 2. vocabulary and word rows ----------------------------------------------------------------
class CorpusVocabulary(A.Vocabulary):
    """alignment.Vocabulary built from summed document frequencies (partitions need not meet)."""

    def __init__(self, df: dict[str, int], n_articles: int):
        words = sorted(df)
        self.index = {w: i for i, w in enumerate(words)}
        counts = np.array([df[w] for w in words], dtype=float)
        self.idf = np.log((1 + n_articles) / (1 + counts)) + 1.0
        self.rare = counts <= max(2.0, A.RARE * n_articles)


@dataclass
class WordRows:
    """A partition's articles as rows: TF-IDF (L2), IDF-weighted presence, rare-word presence."""

    tfidf: sparse.csr_matrix
    present: sparse.csr_matrix     # binary
    size: np.ndarray               # sum of IDF over the article's words
    idf_present: sparse.csr_matrix
    rare: sparse.csr_matrix        # binary, rare words only


def word_rows(part: Part, vocab: A.Vocabulary) -> WordRows:
    tf, pr = [], []
    for d in range(len(part.doc_ids)):
        t, p = vocab.matrices(part.prepared(d))
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


# -- 4. scoring and relations -------------------------------------------------------------------
def _ratios(xs: list[str], ys: list[str], dtype) -> np.ndarray:
    """fuzz.ratio of xs[t] and ys[t] (rapidfuzz's cpdist from 3.6; a loop before)."""
    if not xs:
        return np.zeros(0, dtype)
    if hasattr(process, "cpdist"):
        return process.cpdist(xs, ys, scorer=fuzz.ratio, workers=1, dtype=dtype)
    return np.fromiter((fuzz.ratio(x, y) for x, y in zip(xs, ys)), dtype, count=len(xs))


def _signals(px: Part, wx: WordRows, py: Part, wy: WordRows, i: np.ndarray, j: np.ndarray) -> dict:
    """alignment.score_pairs' signals for article pairs (px row i[t], py row j[t]) only."""
    fx = [t for f in px.flats for t in f]
    fy = [t for f in py.flats for t in f]
    hx = [t for f in px.headings for t in f]
    hy = [t for f in py.headings for t in f]
    char = _ratios([fx[k] for k in i], [fy[k] for k in j], np.float32)
    cosine = _rowdot(wx.tfidf, wy.tfidf, i, j)
    shared = _rowdot(wx.idf_present, wy.present, i, j)
    cover_a = shared / np.maximum(wx.size[i], 1e-9)
    cover_b = shared / np.maximum(wy.size[j], 1e-9)  # the same IDF sum, over b's size
    topic = _rowdot(wx.rare, wy.rare, i, j)
    heading = np.full(len(i), np.nan)
    both = np.array([bool(hx[a]) and bool(hy[b]) for a, b in zip(i, j)], dtype=bool)
    if both.any():
        heading[both] = _ratios([hx[a] for a in i[both]], [hy[b] for b in j[both]], np.float32)
    combined = 0.5 * char + 50.0 * cosine
    with np.errstate(invalid="ignore"):
        lifted = np.where(np.isnan(heading), combined, 0.75 * combined + 0.25 * heading)
    combined = np.clip(np.maximum(combined, lifted), 0, 100)
    return dict(char=char, cosine=cosine, cover_a=cover_a, cover_b=cover_b, heading=heading,
                topic=topic, combined=combined)


def _doc_pair_links(pa: A.Prepared, pb: A.Prepared, ii: np.ndarray, jj: np.ndarray, sig: dict,
                    sel: np.ndarray, weights: dict[str, float]) -> list[A.Link]:
    """link_articles' logic on one document pair, the candidate entries filled, the rest 0."""
    n, m = pa.n, pb.n
    mats = {}
    for name in ("char", "cosine", "cover_a", "cover_b", "topic", "combined"):
        z = np.zeros((n, m))
        z[ii, jj] = sig[name][sel]
        mats[name] = z
    h = np.full((n, m), np.nan)
    h[ii, jj] = sig["heading"][sel]
    s = A.Scores(char=mats["char"], cosine=mats["cosine"], cover_a=mats["cover_a"], cover_b=mats["cover_b"],
                 heading=h, topic=mats["topic"], combined=mats["combined"])
    links = A._grow_groups(pa, pb, s, A._assign(s, n, m), weights)
    links += A._partials(pa, pb, s, links)
    return links


class _Entries:
    """One document pair's candidate entries, looked up by (i, j); absent entries score 0."""

    __slots__ = ("n", "m", "val", "rows", "cols")

    def __init__(self, n: int, m: int, ii: np.ndarray, jj: np.ndarray, sig: dict, sel: np.ndarray):
        self.n, self.m = n, m
        names = ("combined", "char", "cosine", "cover_a", "cover_b", "topic", "heading")
        cols = [sig[k][sel].tolist() for k in names]
        self.val = {(int(i), int(j)): v for i, j, v in zip(ii.tolist(), jj.tolist(), zip(*cols))}
        self.rows: dict[int, list[int]] = {}
        self.cols: dict[int, list[int]] = {}
        for i, j in sorted(self.val):
            self.rows.setdefault(i, []).append(j)
            self.cols.setdefault(j, []).append(i)

    def c(self, i: int, j: int) -> float:
        v = self.val.get((i, j))
        return v[0] if v else 0.0

    def best_in_row(self, i: int) -> int:
        """np.argmax of row i of the dense matrix: the first column holding the maximum."""
        js = self.rows.get(i)
        if not js:
            return 0
        best = max(js, key=lambda j: (self.val[(i, j)][0], -j))
        return best if self.val[(i, best)][0] > 0 or 0 in js else 0

    def best_in_col(self, j: int) -> int:
        is_ = self.cols.get(j)
        if not is_:
            return 0
        best = max(is_, key=lambda i: (self.val[(i, j)][0], -i))
        return best if self.val[(best, j)][0] > 0 or 0 in is_ else 0


def _assign_sparse(e: _Entries) -> dict[tuple[int, int], str]:
    """alignment._assign on candidate entries: the assignment is solved on the rows and columns
    that have a positive gain (the rest of the dense problem has gain 0), with the document
    positions, adjacency and arg-max conventions of the dense version."""
    n, m = e.n, e.m
    if not n or not m:
        return {}
    pos = [(i, j) for (i, j), v in e.val.items() if v[0] >= A.WEAK]
    if not pos:
        return {}
    rs = sorted({i for i, _ in pos})
    cs = sorted({j for _, j in pos})
    ri = {i: k for k, i in enumerate(rs)}
    ci = {j: k for k, j in enumerate(cs)}
    gain = np.zeros((len(rs), len(cs)))
    for i, j in pos:
        closeness = 1.0 - abs((i + 0.5) / n - (j + 0.5) / m)
        gain[ri[i], ci[j]] = e.val[(i, j)][0] - A.WEAK + 2.0 * closeness
    rows, cols = A.linear_sum_assignment(-gain)
    cand = set()
    for r, q in zip(rows, cols):
        i, j = rs[r], cs[q]
        v = e.val.get((i, j))
        if v and (v[0] >= A.LINK or (v[0] >= A.WEAK and v[5] >= A.TOPIC)):
            cand.add((i, j))
    return A.corroborate(cand, lambda p: e.val[p][0] >= A.LINK,
                         lambda i, j: e.best_in_row(i) == j and e.best_in_col(j) == i)


def _one_to_one_sparse(pa: A.Prepared, pb: A.Prepared, e: _Entries, i: int, j: int, how: str) -> A.Link:
    """alignment._one_to_one with entry lookups."""
    c, char, cos, _, _, _, head = e.val[(i, j)]
    if pa.flat[i] == pb.flat[j]:
        return A.Link(i, j, 100.0, "identical", "exact")
    if not math.isnan(head) and head >= 80 and 0.5 * char + 50 * cos < A.STRONG <= c:
        how = "heading"
    strong = c >= A.STRONG or (how in A.CORROBORATED and c >= A.WEAK_STRONG)
    return A.Link(i, j, float(c), "modified" if strong else "partial", how)


def _link_sparse(pa: A.Prepared, pb: A.Prepared, e: _Entries, weights: dict[str, float]) -> list[A.Link]:
    """alignment.link_articles' logic (_assign, _grow_groups, _partials) on candidate entries:
    the same decisions as on the dense matrices with zeros elsewhere, visiting only the rows and
    columns that have candidates (the others can never pass a test: their score is 0)."""
    n, m = e.n, e.m
    pairs = _assign_sparse(e)
    b_of = {i: [j] for i, j in pairs}
    a_of = {j: [i] for i, j in pairs}
    method = dict(pairs)
    v = e.val
    col_cover = np.zeros(m)
    row_cover = np.zeros(n)
    for (i, j), x in v.items():
        col_cover[j] = max(col_cover[j], x[4])
        row_cover[i] = max(row_cover[i], x[3])
    # split: the visiting order of the dense version (argsort over every column)
    for j in (np.argsort(-col_cover) if n else np.zeros(m)):
        j = int(j)
        if j in a_of or not n or j not in e.cols:
            continue
        i = e.best_in_col(j)
        x = v.get((i, j))
        if x is None or i not in b_of or not A._piece(x[0], x[4], x[5]) or len(a_of.get(b_of[i][0], [])) > 1:
            continue
        parts = sorted(b_of[i] + [j])
        if A._joining_helps(pa, i, pb, b_of[i], parts, weights):
            b_of[i] = parts
            a_of[j] = [i]
            method[(i, j)] = "split-test"
    for i in (np.argsort(-row_cover) if m else np.zeros(n)):
        i = int(i)
        if i in b_of or not m or i not in e.rows:
            continue
        j = e.best_in_row(i)
        x = v.get((i, j))
        if x is None or j not in a_of or not A._piece(x[0], x[3], x[5]) or len(b_of.get(a_of[j][0], [])) > 1:
            continue
        parts = sorted(a_of[j] + [i])
        if A._joining_helps(pb, j, pa, a_of[j], parts, weights):
            a_of[j] = parts
            b_of[i] = [j]
            method[(i, j)] = "merge-test"
    links: list[A.Link] = []
    for i, js in b_of.items():
        for j in js:
            if len(js) > 1:
                links.append(A.Link(i, j, A._joined_ratio(pa.flat[i], [pb.flat[k] for k in js]), "split",
                                    method.get((i, j), "fuzzy")))
            elif len(a_of[j]) > 1:
                links.append(A.Link(i, j, A._joined_ratio(pb.flat[j], [pa.flat[k] for k in a_of[j]]), "merged",
                                    method.get((i, j), "fuzzy")))
            else:
                links.append(_one_to_one_sparse(pa, pb, e, i, j, method[(i, j)]))
    # partials: still unmatched articles whose words lie in their best counterpart
    in_a = {l.i for l in links}
    in_b = {l.j for l in links}
    for i in sorted(e.rows):
        if i in in_a or not m:
            continue
        j = e.best_in_row(i)
        x = v.get((i, j))
        if x is not None and x[0] >= A.PARTIAL and x[3] >= A.CONTAIN:
            links.append(A.Link(i, j, float(x[0]), "partial", "containment"))
    for j in sorted(e.cols):
        if j in in_b or not n:
            continue
        i = e.best_in_col(j)
        x = v.get((i, j))
        if x is not None and x[0] >= A.PARTIAL and x[4] >= A.CONTAIN:
            links.append(A.Link(i, j, float(x[0]), "partial", "containment"))
    return links


def _disjoint_links(sig: dict, same_text: np.ndarray) -> tuple[np.ndarray, ...]:
    """link_articles' outcome, vectorised, for candidates alone in their row and column.

    When no other candidate shares its row or its column, a candidate pair is assigned if its
    score is positive gain (≥ WEAK), kept if ≥ LINK ("fuzzy") or ≥ WEAK with TOPIC shared rare
    words (then it is each side's best: "mutual-best"); no split or merge can grow (a piece
    needs a matched neighbour in its column or row); an unkept pair may still be a "partial"
    by containment, once for each side whose words it covers (as _partials reports it).
    Returns (index into sig, score, relation, method) rows; tests pin this to the general path.
    """
    c = sig["combined"]
    fuzzy = c >= A.LINK
    kept = fuzzy | ((c >= A.WEAK) & (sig["topic"] >= A.TOPIC))
    # label codes into small arrays of shared str objects (millions of rows, a few labels)
    method = np.where(fuzzy, _FUZZY, _MUTUAL)
    raw = 0.5 * sig["char"].astype(np.float64) + 50.0 * sig["cosine"]
    heading = np.nan_to_num(sig["heading"], nan=-1.0) >= 80
    method = np.where(heading & (raw < A.STRONG) & (c >= A.STRONG), _HEADING, method)
    corroborated = np.isin(_METHODS[method], A.CORROBORATED)
    strong = (c >= A.STRONG) | (corroborated & (c >= A.WEAK_STRONG))
    relation = np.where(strong, _MODIFIED, _PARTIAL)
    score = c.astype(np.float64).copy()
    relation[same_text] = _IDENTICAL
    method[same_text] = _EXACT
    score[same_text] = 100.0
    idx_k = np.flatnonzero(kept)
    part_a = np.flatnonzero(~kept & (c >= A.PARTIAL) & (sig["cover_a"] >= A.CONTAIN))
    part_b = np.flatnonzero(~kept & (c >= A.PARTIAL) & (sig["cover_b"] >= A.CONTAIN))
    idx_p = np.concatenate([part_a, part_b])
    return (np.concatenate([idx_k, idx_p]), np.concatenate([score[idx_k], c[idx_p]]),
            _RELATIONS[np.concatenate([relation[idx_k], np.full(len(idx_p), _PARTIAL)])],
            _METHODS[np.concatenate([method[idx_k], np.full(len(idx_p), _CONTAINMENT)])])


_RELATIONS = np.array(["identical", "modified", "partial"], dtype=object)
_IDENTICAL, _MODIFIED, _PARTIAL = 0, 1, 2
_METHODS = np.array(["exact", "fuzzy", "mutual-best", "heading", "containment"], dtype=object)
_EXACT, _FUZZY, _MUTUAL, _HEADING, _CONTAINMENT = 0, 1, 2, 3, 4


def _lone(dp: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """True for document pairs (dp) whose candidates share no row and no column."""
    bad = np.zeros(int(dp.max()) + 1 if len(dp) else 0, bool)
    for side in (i, j):
        key = np.lexsort((side, dp))
        d, x = dp[key], side[key]
        dup = (d[1:] == d[:-1]) & (x[1:] == x[:-1])
        bad[d[1:][dup]] = True
    return ~bad


def score_block(px: Part, wx: WordRows, py: Part, wy: WordRows, a: np.ndarray, b: np.ndarray,
                weights: dict[str, float]) -> pd.DataFrame:
    """Links of the candidate pairs between partition px (article rows a) and py (rows b).

    ``a``/``b`` are row indices inside the partitions (px's documents come first in the corpus
    or px is py). Returns LINK_COLUMNS plus the corpus indices used for ordering.
    """
    sig = _signals(px, wx, py, wy, a, b)
    sx = np.cumsum([0] + px.counts)
    sy = np.cumsum([0] + py.counts)
    dx = np.searchsorted(sx, a, side="right") - 1
    dy = np.searchsorted(sy, b, side="right") - 1
    ii, jj = a - sx[dx], b - sy[dy]
    dp = dx * (len(py.doc_ids) + 1) + dy
    _, dp = np.unique(dp, return_inverse=True)
    lone = _lone(dp, ii, jj)[dp]
    fx = [t for f in px.flats for t in f]
    fy = [t for f in py.flats for t in f]
    same = np.fromiter((fx[u] == fy[v] for u, v in zip(a, b)), bool, count=len(a))
    nx = [n for ns in px.numbers for n in ns]
    ny = [n for ns in py.numbers for n in ns]
    cols = {"_x": [], "_y": [], "_i": [], "_j": [], "article_a": [], "article_b": [], "score": [],
            "relation": [], "method": []}

    def emit(t, i, j, score, relation, method):
        cols["_x"].append(dx[t])
        cols["_y"].append(dy[t])
        cols["_i"].append(i)
        cols["_j"].append(j)
        cols["score"].append(np.round(np.asarray(score, float), 1))
        cols["relation"].append(np.asarray(relation, object))
        cols["method"].append(np.asarray(method, object))

    # candidates alone in their row and column: vectorised
    idx = np.flatnonzero(lone)
    sub = {k_: v[idx] for k_, v in sig.items()}
    t, score, relation, method = _disjoint_links(sub, same[idx])
    t = idx[t]
    emit(t, ii[t], jj[t], score, relation, method)
    # the other document pairs: alignment's own functions, one pair at a time
    rest = np.flatnonzero(~lone)
    order = rest[np.argsort(dp[rest], kind="stable")]
    bounds = np.flatnonzero(np.diff(np.concatenate([[-1], dp[order], [-1]])))
    for g in range(len(bounds) - 1):
        sel = order[bounds[g]:bounds[g + 1]]
        x, y = int(dx[sel[0]]), int(dy[sel[0]])
        pa, pb = px.prepared(x), py.prepared(y)
        if len(sel) * 40 < pa.n * pb.n:   # few candidates: visit them only
            links = _link_sparse(pa, pb, _Entries(pa.n, pb.n, ii[sel], jj[sel], sig, sel), weights)
        else:                             # many: alignment's own dense functions are faster
            links = _doc_pair_links(pa, pb, ii[sel], jj[sel], sig, sel, weights)
        if links:
            t = np.full(len(links), sel[0])
            emit(t, np.array([l.i for l in links]), np.array([l.j for l in links]),
                 [float(l.score) for l in links], [l.relation for l in links], [l.method for l in links])
    if not cols["_x"] or not sum(len(v) for v in cols["_x"]):
        return pd.DataFrame(columns=["_x", "_y", "_i", "_j"] + LINK_COLUMNS)
    x = np.concatenate(cols["_x"])
    y = np.concatenate(cols["_y"])
    i = np.concatenate(cols["_i"]).astype(np.int64)
    j = np.concatenate(cols["_j"]).astype(np.int64)
    return pd.DataFrame({
        "_x": px.first_doc + x, "_y": py.first_doc + y, "_i": i, "_j": j,
        "doc_a": np.asarray(px.doc_ids, object)[x], "article_a": np.asarray(nx)[sx[x] + i],
        "doc_b": np.asarray(py.doc_ids, object)[y], "article_b": np.asarray(ny)[sy[y] + j],
        "score": np.concatenate(cols["score"]), "relation": np.concatenate(cols["relation"]),
        "method": np.concatenate(cols["method"]),
    })


# -- engines ------------------------------------------------------------------------------------
class _Local:
    """Runs each step on this machine: in this process, or in ``workers`` forked processes.

    Forked workers inherit the step's inputs (nothing is pickled on the way in); only results
    come back. Without fork (Windows, macOS spawn) the steps run in this process.
    """

    def __init__(self, workers: int = 1):
        import multiprocessing as mp

        self.workers = max(1, int(workers or 1))
        if self.workers > 1 and "fork" not in mp.get_all_start_methods():
            self.workers = 1

    def scatter(self, obj):
        return obj

    def map(self, fn, *iterables, desc: str = "", progress=None):
        items = list(zip(*iterables))
        bar = _bar(progress, len(items), desc)
        out: list = [None] * len(items)
        if self.workers > 1 and len(items) > 1:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor, as_completed

            global _SHARED
            _SHARED = (fn, items)
            try:
                with ProcessPoolExecutor(self.workers, mp_context=mp.get_context("fork")) as ex:
                    futs = {ex.submit(_run_shared, k): k for k in range(len(items))}
                    for f in as_completed(futs):
                        out[futs[f]] = f.result()
                        if bar:
                            bar.update(1)
            finally:
                _SHARED = None
        else:
            for k, args in enumerate(items):
                out[k] = fn(*args)
                if bar:
                    bar.update(1)
        if bar:
            bar.close()
        return out

    def gather(self, xs):
        return xs

    def submit(self, fn, *args):
        return fn(*args)

    def close(self):
        pass


_SHARED = None  # (function, argument tuples) of the step a forked worker runs


def _run_shared(k: int):
    fn, items = _SHARED
    return fn(*items[k])


class _Dask:
    """Submits each step to a dask.distributed cluster; data stay on the workers."""

    def __init__(self, scheduler=None, n_workers: int = 2):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as err:  # pragma: no cover - depends on the environment
            raise ImportError("engine='dask' needs dask.distributed: pip install 'pingan_corpus[dask]'") from err
        self._own = None
        self._own_client = scheduler is None or isinstance(scheduler, str)
        if scheduler is None:
            self._own = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                     dashboard_address=None)
            self.client = Client(self._own)
        elif isinstance(scheduler, str):
            self.client = Client(scheduler)
        else:  # a Client already: the caller's to close
            self.client = scheduler

    def scatter(self, obj):
        return self.client.scatter([obj], broadcast=True)[0]

    def submit(self, fn, *args):
        return self.client.submit(fn, *args, pure=False)

    def map(self, fn, *iterables, desc: str = "", progress=None):
        from dask.distributed import as_completed

        futs = [self.client.submit(fn, *args, pure=False) for args in zip(*iterables)]
        bar = _bar(progress, len(futs), desc)
        if bar:
            for _ in as_completed(futs):
                bar.update(1)
            bar.close()
        return futs

    def gather(self, xs):
        return self.client.gather(xs)

    def close(self):
        if self._own_client:
            self.client.close()
        if self._own is not None:
            self._own.close()


def _bar(progress, total: int, desc: str):
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress or total == 0:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, leave=False)


# -- small task functions (module level so that Dask can ship them) -----------------------------
def _part_summary(part: Part) -> tuple[list[int], np.ndarray, Counter]:
    return part.counts, part.keys, part.word_df


def _distinct_raw(part: Part, local_rows: np.ndarray) -> sparse.csr_matrix:
    flats = [t for f in part.flats for t in f]
    return B.gram_rows([flats[k] for k in local_rows])


def _weigh(grams: B.GramWeights, raw: sparse.csr_matrix) -> sparse.csr_matrix:
    return grams.weigh(raw)


def _stack(*mats) -> sparse.csr_matrix:
    return sparse.vstack(mats, format="csr")


def _transpose(x: sparse.csr_matrix) -> sparse.csr_matrix:
    return x.T.tocsr()


def _embed(x: sparse.csr_matrix, layout: B.Layout, doc_start: np.ndarray, first: int, last: int,
           grams: B.GramWeights) -> np.ndarray:
    arts = slice(doc_start[first], doc_start[last])
    return B.document_embedding(x, layout.text_of[arts], layout.doc_of[arts] - first, last - first, grams.columns)


def _task_cuts(block: np.ndarray, pair: np.ndarray, size: int) -> np.ndarray:
    """Where to cut sorted candidates into tasks: at every change of partition block, and at a
    document-pair boundary once a task holds about ``size`` candidates (a document pair is
    never cut: its relation logic needs all its candidates)."""
    if not len(pair):
        return np.zeros(1, np.int64)
    starts = np.flatnonzero(np.diff(np.concatenate([[-1], pair]))) # first row of each document pair
    new_block = np.flatnonzero(np.diff(np.concatenate([[-1], block])))
    block_start = new_block[np.searchsorted(new_block, starts, side="right") - 1]
    bucket = (starts - block_start) // max(1, size)
    cut = (np.diff(np.concatenate([[-1], block[starts]])) != 0) | (np.diff(np.concatenate([[-1], bucket])) != 0)
    return np.concatenate([starts[cut], [len(pair)]])


def _every_pair_among(doc_start: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, ...]:
    """Every article pair of every pair of ``docs`` (global article indices), cosine 0."""
    docs = np.unique(docs)
    arts = np.concatenate([np.arange(doc_start[d], doc_start[d + 1]) for d in docs]) if len(docs) else np.zeros(0, np.int64)
    doc = np.searchsorted(doc_start, arts, side="right") - 1
    i, j = np.triu_indices(len(arts), 1)
    keep = doc[i] != doc[j]
    a, b = arts[i[keep]], arts[j[keep]]
    return a, b, np.zeros(len(a), np.float32)


def _score(px, wx, py, wy, a, b, weights):
    return score_block(px, wx, py, wy, a, b, weights)


def _in_order(out: pd.DataFrame) -> pd.DataFrame:
    """Score-block rows in corpus order, LINK_COLUMNS only."""
    order = np.lexsort((out["_j"].to_numpy(), out["_i"].to_numpy(), out["_y"].to_numpy(), out["_x"].to_numpy()))
    # _partials reports a pair from both sides when it covers both: once is enough (the same
    # pair, so the same score; such rows are only ever containment partials, and both come
    # from one document pair, hence one task)
    cont = order[out["method"].to_numpy()[order] == "containment"]
    twice = cont[out.iloc[cont][["_x", "_y", "_i", "_j"]].duplicated().to_numpy()]
    if len(twice):
        order = order[~np.isin(order, twice)]
    return out[LINK_COLUMNS].take(order).reset_index(drop=True)


def _score_to(directory: str, index: int, px, wx, py, wy, a, b, weights) -> int:
    f = score_block(px, wx, py, wy, a, b, weights)
    if not len(f):
        return 0
    f = _in_order(f)
    StoredLinks.write_part(Path(directory), index, f)
    return len(f)


def _empty_dir(path) -> Path:
    path = Path(path)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise FileExistsError(f"{path} exists and is not an empty folder: align_all(out=…) writes a new one")
    path.mkdir(parents=True, exist_ok=True)
    return path


# -- the verb -----------------------------------------------------------------------------------
def align_all(corpus_or_regs, engine: str = "local", scheduler=None, chunk_size: int = CHUNK_SIZE,
              progress: bool | None = None, *, complete: bool = False, out=None, k: int = B.K,
              min_sim: float = B.MIN_SIM, fanout: int | None = B.FANOUT, near_fanout: int | None = B.NEAR_FANOUT,
              doc_k: int = B.DOC_K, doc_min_sim: float = B.DOC_MIN_SIM, max_df: float = B.MAX_DF,
              workers: int = 1, n_workers: int = 2):
    """Links between articles of different documents of the corpus, each pair once.

    Columns: doc_a, article_a, doc_b, article_b, score, relation, method — doc_a comes before
    doc_b in corpus order; no self-pairs; rows in corpus order. ``engine``: "local" (this
    process) or "dask" (``scheduler``: None starts a LocalCluster of ``n_workers``
    single-thread processes, a "tcp://host:port" address or a ``dask.distributed.Client`` uses
    that cluster); the local engine uses ``workers`` forked processes. Documents are
    processed ``chunk_size`` at a time; ``progress`` shows tqdm bars (default: when stderr is
    a terminal).

    What is linked:

    * default — a neighbour graph that grows linearly with the corpus: each distinct text with
      its ``k`` nearest texts, each copy of a text with its first ``fanout`` copies, each
      document with its ``doc_k`` nearest documents (``min_sim``, ``doc_min_sim``, ``max_df``
      tune the blocking, :mod:`pingan_corpus.blocking`). Every derived provision reaches its
      model, but when a provision is copied into hundreds of regulations not every pair of
      copies is listed;
    * ``complete=True`` — every pair exhaustive scoring would link (no ``k`` cap, every copy,
      ``min_sim`` at most ``COMPLETE_MIN_SIM``, grams in up to ``COMPLETE_MAX_DF`` of the texts
      in the products): the links, and the time, grow with the square
      of the copies — write them with ``out``.

    ``out``: a new folder; the links are written there as Parquet parts while they are scored
    (never all in memory) and a :class:`~pingan_corpus.store.StoredLinks` is returned instead
    of a DataFrame.

    ``frame.attrs["blocking"]`` (``StoredLinks.attrs``): articles, distinct texts, near-text
    pairs, pairs the ``k`` cap cut (``capped_by_k``) and copies left to the fan-out
    (``same_text_pairs_left_to_fanout``) — what blocking dropped —, related document pairs,
    candidate pairs, document pairs scored, links, seconds and peak memory of each step.
    """
    regs = _regs(corpus_or_regs)
    if complete:
        k, fanout, near_fanout = max(1, sum(len(r.articles) for r in regs)), None, None
        min_sim = min(min_sim, B.COMPLETE_MIN_SIM)
        max_df, df_cap = max(max_df, B.COMPLETE_MAX_DF), None
    else:
        df_cap = B.MAX_DF_CAP
    if engine == "local":
        run = _Local(workers)
    elif engine == "dask":
        run = _Dask(scheduler, n_workers)
    else:
        raise ValueError(f"engine must be 'local' or 'dask', not {engine!r}")
    try:
        return _align_all(regs, run, chunk_size, progress, k=k, min_sim=min_sim, fanout=fanout,
                          near_fanout=near_fanout, doc_k=doc_k, doc_min_sim=doc_min_sim, max_df=max_df,
                          df_cap=df_cap, out_dir=out)
    finally:
        run.close()


def _regs(corpus_or_regs) -> list[Regulation]:
    return A._regs(corpus_or_regs)


def _peak_mb() -> float:
    try:
        import resource
    except ImportError:  # pragma: no cover - not Unix
        return float("nan")
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object if c in ("doc_a", "doc_b", "relation", "method")
                                      else float if c == "score" else np.int64) for c in LINK_COLUMNS})


def _align_all(regs: list[Regulation], run, chunk_size: int, progress, *, k, min_sim, fanout, near_fanout,
               doc_k, doc_min_sim, max_df, df_cap: int | None = B.MAX_DF_CAP,
               exhaustive_docs: np.ndarray | None = None, out_dir=None):
    if len(regs) < 2:
        out = _empty()
        out.attrs["blocking"] = {"articles": sum(len(r.articles) for r in regs), "candidate_pairs": 0,
                                 "document_pairs": 0, "links": 0}
        if out_dir is not None:
            return StoredLinks.write_stats(_empty_dir(out_dir), out.attrs["blocking"] | {"doc_ids": [r.doc_id for r in regs]})
        return out
    timing: dict[str, float] = {}
    peak: dict[str, float] = {}
    t0 = time.perf_counter()
    chunk_size = max(1, int(chunk_size))
    bounds = list(range(0, len(regs), chunk_size))
    n_docs = len(regs)
    parts = run.map(prepare_part, [regs[s:s + chunk_size] for s in bounds], bounds,
                    desc="prepare", progress=progress)
    summaries = run.gather(run.map(_part_summary, parts))
    counts = [c for sm in summaries for c in sm[0]]
    keys = np.concatenate([sm[1] for sm in summaries]) if summaries else np.zeros(0, np.int64)
    df: Counter = Counter()
    for sm in summaries:
        df.update(sm[2])
    n_articles = len(keys)
    timing["prepare"] = time.perf_counter() - t0
    peak["prepare"] = _peak_mb()

    # vocabulary and word rows (scoring); distinct texts and their gram rows (blocking)
    t = time.perf_counter()
    vocab = CorpusVocabulary(dict(df), n_articles)
    weights = dict(zip(vocab.index, vocab.idf))
    vocab_h = run.scatter(vocab)
    words = run.map(word_rows, parts, [vocab_h] * len(parts))
    layout = B.Layout.build(counts, keys)
    art_start = np.cumsum([0] + [sum(sm[0]) for sm in summaries])
    firsts = [layout.first[(layout.first >= art_start[p]) & (layout.first < art_start[p + 1])] - art_start[p]
              for p in range(len(summaries))]
    raws = run.map(_distinct_raw, parts, firsts)
    grams = B.GramWeights.from_df(run.gather(run.map(B.document_frequency, raws)), layout.n_texts,
                                  max_df=max_df, cap=df_cap)
    grams_h = run.scatter(grams)
    xs = run.map(_weigh, [grams_h] * len(raws), raws)
    timing["vocabulary"] = time.perf_counter() - t
    peak["vocabulary"] = _peak_mb()

    # candidates: near texts (top-k products), same texts, related documents
    t = time.perf_counter()
    stats = {"articles": n_articles, "distinct_texts": layout.n_texts, "active_grams": grams.n_active}
    # candidates are kept as sorted keys a·n + b, each piece deduplicated as soon as it is made:
    # complete=True makes a hundred million pairs at N = 1,000
    n_key = max(n_articles, 1)
    keys: list[np.ndarray] = []
    if exhaustive_docs is not None:
        # no blocking: every article pair of these documents, scored with the corpus's vocabulary
        min_sim = -1.0
        keys.append(B.pair_keys(_every_pair_among(layout.doc_start(n_docs), np.asarray(exhaustive_docs, np.int64)),
                                n_key, min_sim))
    elif layout.n_texts:
        x_all = run.submit(_stack, *xs)
        xt_all = run.submit(_transpose, x_all)
        text_start = np.cumsum([0] + [len(f) for f in firsts])
        n = len(xs)
        tops = run.gather(run.map(B.topk_product, xs, [xt_all] * n, [k] * n, [min_sim] * n,
                                  [int(v) for v in text_start[:-1]], desc="blocking", progress=progress))
        r = np.concatenate([x[0] for x in tops])
        c = np.concatenate([x[1] for x in tops])
        v = np.concatenate([x[2] for x in tops])
        stats["near_text_pairs"] = len(r)
        stats["capped_by_k"] = int(sum(x[3] for x in tops))
        timing["near_texts"] = time.perf_counter() - t
        peak["near_texts"] = _peak_mb()
        layout_h = run.scatter(layout)
        doc_start = layout.doc_start(n_docs)
        ends = bounds[1:] + [n_docs]
        emb = np.concatenate(run.gather(run.map(_embed, [x_all] * len(bounds), [layout_h] * len(bounds),
                                                [doc_start] * len(bounds), bounds, ends,
                                                [grams_h] * len(bounds))))
        dx, dy = B.related_documents(emb, doc_k, doc_min_sim)
        stats["related_document_pairs"] = len(dx)
        groups = [(dx >= s) & (dx < s + chunk_size) for s in bounds]
        rel = run.gather(run.map(B.related_pairs, [layout_h] * len(groups), [x_all] * len(groups),
                                 [dx[g] for g in groups], [dy[g] for g in groups], [doc_start] * len(groups),
                                 [max(min_sim, B.REL_MIN_SIM)] * len(groups)))
        timing["related_documents"] = time.perf_counter() - t - timing["near_texts"]
        peak["related_documents"] = _peak_mb()
        same = B.same_text_pairs(layout, fanout)
        copies = np.bincount(layout.text_of)
        stats["same_text_pairs"] = len(same[0])
        stats["same_text_pairs_left_to_fanout"] = int((copies * (copies - 1) // 2).sum()) - len(same[0])
        keys += [B.pair_keys(same, n_key, min_sim), *(B.pair_keys(p_, n_key, min_sim) for p_ in rel)]
        same = rel = None
        for s_ in range(0, len(r), EXPAND_PIECE):
            keys.append(B.pair_keys(B.expand_text_pairs(layout, r[s_:s_ + EXPAND_PIECE], c[s_:s_ + EXPAND_PIECE],
                                                        v[s_:s_ + EXPAND_PIECE], near_fanout), n_key, min_sim))
        r = c = v = None
    key = B.unique_keys(keys)
    keys.clear()
    # a < b < 2**31 articles: int32 halves what the scoring tasks hold
    a, b = (key // n_key).astype(np.int32), (key % n_key).astype(np.int32)
    del key
    stats["candidate_pairs"] = len(a)
    timing["blocking"] = time.perf_counter() - t
    peak["blocking"] = _peak_mb()
    timing["combine"] = timing["blocking"] - timing.get("near_texts", 0) - timing.get("related_documents", 0)

    # scoring, by pair of partitions, in tasks of whole document pairs and about TASK_PAIRS candidates
    t = time.perf_counter()
    # a is sorted, so each partition's candidates are one slice, ordered there by (partition of
    # b, document pair)
    part_of_doc = np.repeat(np.arange(len(bounds)), np.diff(np.asarray(bounds + [n_docs])))
    tasks = []
    n_doc_pairs = 0
    for p in range(len(bounds)):
        lo, hi = np.searchsorted(a, [art_start[p], art_start[p + 1]])
        if lo == hi:
            continue
        ap, bp = a[lo:hi], b[lo:hi]
        da_, db_ = layout.doc_of[ap], layout.doc_of[bp]
        pb_ = part_of_doc[db_]
        order = np.lexsort((db_, da_, pb_))
        pair = (da_.astype(np.int64) * n_docs + db_)[order]
        n_doc_pairs += int(np.count_nonzero(np.diff(pair))) + 1  # a document pair's rows are together
        cuts = _task_cuts(pb_[order], pair, TASK_PAIRS)
        for g in range(len(cuts) - 1):
            sel = order[cuts[g]:cuts[g + 1]]
            q = int(pb_[sel[0]])
            tasks.append((parts[p], words[p], parts[q], words[q], ap[sel] - art_start[p], bp[sel] - art_start[q]))
        del ap, bp, da_, db_, pb_, order, pair
    stats["document_pairs"] = n_doc_pairs
    stats["scoring_tasks"] = len(tasks)
    del a, b
    weights_h = run.scatter(weights)
    if out_dir is not None:
        # each task writes its own part file; only counts come back
        target = _empty_dir(out_dir)
        n = len(tasks)
        counts_ = run.gather(run.map(_score_to, [str(target)] * n, range(n), *zip(*tasks), [weights_h] * n,
                                     desc="scoring", progress=progress)) if tasks else []
        timing["scoring"] = time.perf_counter() - t
        peak["scoring"] = _peak_mb()
        stats["links"] = int(sum(counts_))
        stats["doc_ids"] = [r.doc_id for r in regs]
        stats["seconds"] = {k_: round(v_, 2) for k_, v_ in timing.items()}
        stats["peak_mb"] = peak
        return StoredLinks.write_stats(target, stats)
    frames = run.gather(run.map(_score, *zip(*tasks), [weights_h] * len(tasks), desc="scoring",
                                progress=progress)) if tasks else []
    timing["scoring"] = time.perf_counter() - t
    peak["scoring"] = _peak_mb()
    frames = [f for f in frames if len(f)]
    if frames:
        out = _in_order(pd.concat(frames, ignore_index=True))
        del frames
    else:
        out = _empty()
    peak["output"] = _peak_mb()
    stats["links"] = len(out)
    stats["seconds"] = {k_: round(v_, 2) for k_, v_ in timing.items()}
    stats["peak_mb"] = peak  # this process's high-water mark after each step
    out.attrs["blocking"] = stats
    return out


def recall_against_exhaustive(corpus_or_regs, links: pd.DataFrame | None = None, *, sample: int | None = None,
                              seed: int = 0, min_score: float = A.LINK, dropped: bool = False,
                              **align_kw) -> dict:
    """How many of the links exhaustive scoring finds (score ≥ ``min_score``) blocking keeps.

    ``sample`` documents are drawn at random (seeded; None: all). Exhaustive scoring takes every
    article pair of every pair of them as a candidate, with the vocabulary of the whole corpus
    given — so that it differs from ``links`` (a run of :func:`align_all` on that corpus; None:
    run it here with ``align_kw``) by the blocking alone. Returns a dict: documents, exhaustive,
    kept, recall, extra (links only the blocked run has), text_pairs / text_recall (the same
    over pairs of distinct neutralised texts, copies of one text counted once) and ``dropped``
    — the exhaustive links not kept, as a DataFrame when ``dropped=True`` (with ``score_kept``:
    the blocked run's score for that pair when it has one below ``min_score``), else their number.
    """
    regs = _regs(corpus_or_regs)
    if links is None:
        links = align_all(regs, **align_kw)
    pick = np.arange(len(regs))
    if sample is not None and sample < len(regs):
        pick = np.sort(np.random.default_rng(seed).choice(len(regs), sample, replace=False))
    kw = {k_: align_kw[k_] for k_ in ("max_df",) if k_ in align_kw}
    exhaustive = _align_all(regs, _Local(1), CHUNK_SIZE, False, k=B.K, min_sim=B.MIN_SIM, fanout=B.FANOUT,
                            near_fanout=B.NEAR_FANOUT, doc_k=B.DOC_K, doc_min_sim=B.DOC_MIN_SIM,
                            max_df=kw.get("max_df", B.MAX_DF), exhaustive_docs=pick)
    exhaustive = exhaustive[exhaustive["score"] >= min_score]
    ids = {regs[i].doc_id for i in pick}
    among = links[links["doc_a"].isin(ids) & links["doc_b"].isin(ids)]
    blocked = among[among["score"] >= min_score]
    key = ["doc_a", "article_a", "doc_b", "article_b"]
    m = exhaustive.drop_duplicates(key).merge(blocked[key].drop_duplicates(), on=key, how="outer", indicator=True)
    lost = m[m["_merge"] == "left_only"].drop(columns="_merge")
    lost = lost.merge(among[key + ["score"]].drop_duplicates(key).rename(columns={"score": "score_kept"}),
                      on=key, how="left")
    part = prepare_part([regs[i] for i in pick])
    text = {(d, n): B.text_key(f) for d, ns, fs in zip(part.doc_ids, part.numbers, part.flats)
            for n, f in zip(ns, fs)}

    def text_pairs(df: pd.DataFrame) -> set:
        return {frozenset((text[(a, x)], text[(b, y)]))
                for a, x, b, y in zip(df["doc_a"], df["article_a"], df["doc_b"], df["article_b"])}

    te, tb = text_pairs(exhaustive), text_pairs(blocked)
    n_ex = int((m["_merge"] != "right_only").sum())
    kept = int((m["_merge"] == "both").sum())
    return {"documents": len(pick), "exhaustive": n_ex, "kept": kept, "recall": kept / n_ex if n_ex else 1.0,
            "extra": int((m["_merge"] == "right_only").sum()), "text_pairs": len(te),
            "text_recall": len(te & tb) / len(te) if te else 1.0,
            "dropped": lost.reset_index(drop=True) if dropped else len(lost)}


__all__ = ["align_all", "recall_against_exhaustive", "StoredLinks", "prepare_part", "CorpusVocabulary", "score_block",
           "word_rows", "Part", "LINK_COLUMNS"]
