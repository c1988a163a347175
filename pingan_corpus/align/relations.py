"""The relation engine: from the scores of the article pairs of two regulations to their links.

Every decision is written once, against a small score-table interface (:class:`ScoreTable`)
with two implementations: :class:`DenseTable` (every pair scored: ``pc.align``, ``pc.compare``,
``pairwise_links``) and :class:`SparseTable` (candidate pairs only, a pair that is not a
candidate scoring 0: ``align_all``). Both give the same links for the same entries (tests pin it).

1. *assign* one-to-one globally (Hungarian algorithm on the margin above ``WEAK``, position as a
   tie-breaker), then keep a pair strong on its own ("fuzzy"), each other's best ("mutual-best")
   or beside a kept pair ("context");
2. *grow* splits and merges: an unmatched article whose words lie inside an already matched
   counterpart joins it when the joined pieces match the whole clearly better;
3. *label* one-to-one links (identical, modified, partial) and the ``method`` that made them;
4. *partials*: articles still unmatched whose words largely lie in one counterpart;
5. *moved*: links outside the longest order-preserving chain.

The predicates of steps 1, 3 and 4 work on numbers and on numpy arrays alike: the vectorised
path of ``align_all`` (:func:`lone_links`, candidates alone in their row and column) uses them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz
from scipy.optimize import linear_sum_assignment

from .scores import raw
from .thresholds import (
    CLOSENESS,
    CONTAIN,
    COVER_GAIN,
    GAIN,
    HEADING_SAME,
    LINK,
    PARTIAL,
    PIECE,
    STRONG,
    TOPIC,
    WEAK,
    WEAK_STRONG,
)

# -- the vocabulary of relations -----------------------------------------------------------------------
RELATIONS = ("identical", "modified", "split", "merged", "partial", "deleted", "added")
STRONG_RELATIONS = ("identical", "modified", "split", "merged")  # the same provision, reworded or not
RELATION_ZH = {"identical": "相同", "modified": "修改", "split": "拆分", "merged": "合并",
               "partial": "部分对应", "deleted": "删除", "added": "新增"}
METHODS = ("exact", "fuzzy", "mutual-best", "context", "heading", "split-test", "merge-test", "containment",
           "unmatched")
CORROBORATED = ("mutual-best", "context")
MOVED_ZH = "条序调整"  # the 说明 of a link outside the order-preserving chain


@dataclass
class Link:
    i: int            # article index in a
    j: int            # article index in b
    score: float
    relation: str
    method: str


# -- predicates (numbers or arrays) --------------------------------------------------------------------
def candidate(combined, topic):
    """An assigned pair worth keeping: strong on its own, or weak with shared topic words."""
    return (combined >= LINK) | ((combined >= WEAK) & (topic >= TOPIC))


def lifted_by_heading(combined, char, cosine, heading):
    """The heading made the link: the wording alone is below ``STRONG``, the headings match."""
    if isinstance(heading, float):  # one pair (a NaN heading compares False)
        return heading >= HEADING_SAME and raw(char, cosine) < STRONG <= combined
    return (np.nan_to_num(heading, nan=-1.0) >= HEADING_SAME) & (raw(char, cosine) < STRONG) & \
        (combined >= STRONG)


def same_provision(combined, corroborated):
    """A one-to-one link of the same provision (modified), not merely a related one (partial)."""
    return (combined >= STRONG) | (corroborated & (combined >= WEAK_STRONG))


def contained(combined, cover):
    """An unmatched article whose weighted words lie largely in its best counterpart."""
    return (combined >= PARTIAL) & (cover >= CONTAIN)


def piece(combined, cover, topic) -> bool:
    """Could this article be a piece of its best counterpart (before the joining test)?"""
    return bool(combined >= WEAK and cover >= PIECE and topic >= 1)


# -- the score table -----------------------------------------------------------------------------------
class Signal(NamedTuple):
    combined: float
    char: float
    cosine: float
    cover_a: float    # share of a's weighted words found in b
    cover_b: float    # share of b's weighted words found in a
    topic: float      # shared topic (rare) words
    heading: float    # heading ratio, NaN unless both have headings


_ZERO = Signal(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, math.nan)
# Signals are settled to 9 decimals before any decision: the dense and the sparse computations
# sum in different orders, and a difference of 1e-15 must not change an arg-max or a visiting order.
DECIMALS = 9


def settle(x):
    return np.round(x, DECIMALS)


class ScoreTable:
    """The scores of the n × m article pairs of two regulations, as the engine reads them."""

    n: int
    m: int

    def at(self, i: int, j: int) -> Signal:
        raise NotImplementedError

    def best_in_row(self, i: int) -> int:
        """The column with the highest combined score in row i (the first of equals; 0 if none)."""
        raise NotImplementedError

    def best_in_col(self, j: int) -> int:
        raise NotImplementedError

    def rows(self) -> list[int]:
        """The rows that hold any entry, in order."""
        raise NotImplementedError

    def cols(self) -> list[int]:
        raise NotImplementedError

    def cover_max(self, axis: int) -> np.ndarray:
        """Per column (axis 0: max of cover_b) or per row (axis 1: max of cover_a)."""
        raise NotImplementedError

    def assignment_block(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(rows, cols, combined, topic) of the part of the table the assignment is solved on."""
        raise NotImplementedError

    @property
    def T(self) -> ScoreTable:
        return _Transposed(self)


class DenseTable(ScoreTable):
    """Every pair scored: matrices of :class:`~pingan_corpus.align.scores.Scores`."""

    def __init__(self, scores):
        self.s = type(scores)(**{k: settle(v) for k, v in vars(scores).items()})
        self.n, self.m = scores.combined.shape

    def at(self, i: int, j: int) -> Signal:
        s = self.s
        return Signal(float(s.combined[i, j]), float(s.char[i, j]), float(s.cosine[i, j]), float(s.cover_a[i, j]),
                      float(s.cover_b[i, j]), float(s.topic[i, j]), float(s.heading[i, j]))

    def best_in_row(self, i: int) -> int:
        return int(np.argmax(self.s.combined[i]))

    def best_in_col(self, j: int) -> int:
        return int(np.argmax(self.s.combined[:, j]))

    def rows(self) -> list[int]:
        return list(range(self.n)) if self.m else []

    def cols(self) -> list[int]:
        return list(range(self.m)) if self.n else []

    def cover_max(self, axis: int) -> np.ndarray:
        if axis == 0:
            return self.s.cover_b.max(axis=0) if self.n else np.zeros(self.m)
        return self.s.cover_a.max(axis=1) if self.m else np.zeros(self.n)

    def assignment_block(self):
        return np.arange(self.n), np.arange(self.m), self.s.combined, self.s.topic


class SparseTable(ScoreTable):
    """Candidate pairs only: the entries of one document pair, every other pair scoring 0."""

    def __init__(self, n: int, m: int, ii, jj, signals: dict, sel):
        self.n, self.m = n, m
        names = Signal._fields
        cols = [settle(signals[k][sel]).tolist() for k in names]
        self.val = {(int(i), int(j)): Signal(*v) for i, j, v in zip(ii.tolist(), jj.tolist(), zip(*cols))}
        self._rows: dict[int, list[int]] = {}
        self._cols: dict[int, list[int]] = {}
        for i, j in sorted(self.val):
            self._rows.setdefault(i, []).append(j)
            self._cols.setdefault(j, []).append(i)

    def at(self, i: int, j: int) -> Signal:
        return self.val.get((i, j), _ZERO)

    def _best(self, key: int, others: list[int] | None, value) -> int:
        # np.argmax of the dense row: the first index holding the maximum (0 when all are 0)
        if not others:
            return 0
        best = max(others, key=lambda o: (value(o), -o))
        return best if value(best) > 0 or 0 in others else 0

    def best_in_row(self, i: int) -> int:
        return self._best(i, self._rows.get(i), lambda j: self.val[(i, j)][0])  # [0]: combined

    def best_in_col(self, j: int) -> int:
        return self._best(j, self._cols.get(j), lambda i: self.val[(i, j)][0])

    def rows(self) -> list[int]:
        return sorted(self._rows) if self.m else []

    def cols(self) -> list[int]:
        return sorted(self._cols) if self.n else []

    def cover_max(self, axis: int) -> np.ndarray:
        out = np.zeros(self.m if axis == 0 else self.n)
        for (i, j), v in self.val.items():
            k, x = (j, v.cover_b) if axis == 0 else (i, v.cover_a)
            out[k] = max(out[k], x)
        return out

    def assignment_block(self):
        # rows and columns with a positive gain: the rest of the dense problem has gain 0
        pos = [(i, j) for (i, j), v in self.val.items() if v.combined >= WEAK]
        rs = np.array(sorted({i for i, _ in pos}), dtype=np.int64)
        cs = np.array(sorted({j for _, j in pos}), dtype=np.int64)
        ri = {int(i): k for k, i in enumerate(rs)}
        ci = {int(j): k for k, j in enumerate(cs)}
        combined = np.zeros((len(rs), len(cs)))
        topic = np.zeros((len(rs), len(cs)))
        for i, j in pos:
            v = self.val[(i, j)]
            combined[ri[i], ci[j]] = v.combined
            topic[ri[i], ci[j]] = v.topic
        return rs, cs, combined, topic


class _Transposed(ScoreTable):
    """b × a view of a table (for merges, which are splits seen from the other side)."""

    def __init__(self, t: ScoreTable):
        self.t, self.n, self.m = t, t.m, t.n

    def at(self, i: int, j: int) -> Signal:
        v = self.t.at(j, i)
        return v._replace(cover_a=v.cover_b, cover_b=v.cover_a)

    def best_in_row(self, i: int) -> int:
        return self.t.best_in_col(i)

    def best_in_col(self, j: int) -> int:
        return self.t.best_in_row(j)

    def rows(self) -> list[int]:
        return self.t.cols()

    def cols(self) -> list[int]:
        return self.t.rows()

    def cover_max(self, axis: int) -> np.ndarray:
        return self.t.cover_max(1 - axis)

    @property
    def T(self) -> ScoreTable:
        return self.t


# -- 1. assignment and corroboration -------------------------------------------------------------------
def assign(t: ScoreTable) -> dict[tuple[int, int], str]:
    """Global one-to-one assignment maximising the combined score (position breaks ties).

    A pair is kept when its score is high on its own (``LINK``: method "fuzzy"), or when it is at
    least ``WEAK`` with ``TOPIC`` shared topic words and corroborated: each article is the
    other's best counterpart ("mutual-best"), or a neighbouring pair (i-1, j-1) or (i+1, j+1) is
    linked ("context") — the order of a regulation carries meaning. Returns {(i, j): method}.
    """
    n, m = t.n, t.m
    if not n or not m:
        return {}
    rs, cs, c, topic = t.assignment_block()
    if not len(rs) or not len(cs):
        return {}
    closeness = 1.0 - np.abs(((rs + 0.5) / n)[:, None] - ((cs + 0.5) / m)[None, :])
    # the margin above WEAK, so that two weak pairs never outvote one good pair
    gain = np.where(c >= WEAK, c - WEAK + CLOSENESS * closeness, 0.0)
    rows, cols = linear_sum_assignment(-gain)
    cand = {(int(rs[r]), int(cs[q])) for r, q in zip(rows, cols) if candidate(c[r, q], topic[r, q])}
    return corroborate(cand, lambda p: t.at(*p).combined >= LINK,
                       lambda i, j: t.best_in_row(i) == j and t.best_in_col(j) == i)


def corroborate(cand: set[tuple[int, int]], strong, mutual_best) -> dict[tuple[int, int], str]:
    """Keep candidate pairs that are strong on their own ("fuzzy"), each other's best
    ("mutual-best"), or beside a kept pair ("context")."""
    kept = {p: "fuzzy" for p in cand if strong(p)}
    kept.update({(i, j): "mutual-best" for i, j in cand if (i, j) not in kept and mutual_best(i, j)})
    grew = True
    while grew:  # context: a weak pair between or beside kept pairs
        grew = False
        for i, j in sorted(cand - kept.keys()):
            if (i - 1, j - 1) in kept or (i + 1, j + 1) in kept:
                kept[(i, j)] = "context"
                grew = True
    return dict(sorted(kept.items()))


# -- 2. splits and merges ------------------------------------------------------------------------------
def joined_ratio(whole: str, parts: list[str]) -> float:
    return fuzz.ratio(whole, "".join(parts))


def coverage(whole: list[str], parts: list[list[str]], weights: dict[str, float]) -> float:
    """IDF-weighted share of the words of ``whole`` that occur in any of ``parts``."""
    vocab = set(whole)
    found = set().union(*map(set, parts)) & vocab
    total = sum(weights.get(w, 1.0) for w in vocab)
    return sum(weights.get(w, 1.0) for w in found) / total if total else 0.0


def joining_helps(p_whole, w: int, p_parts, before: list[int], after: list[int], weights: dict[str, float]) -> bool:
    """The split/merge test: do the pieces together match the whole clearly better than before?

    Either the character ratio of the whole with the joined pieces rises by ``GAIN`` points, or
    the weighted share of the whole's words found in the pieces rises by ``COVER_GAIN``.
    """
    whole = p_whole.flat[w]
    if joined_ratio(whole, [p_parts.flat[k] for k in after]) >= \
            joined_ratio(whole, [p_parts.flat[k] for k in before]) + GAIN:
        return True
    toks = p_whole.tokens[w]
    return (coverage(toks, [p_parts.tokens[k] for k in after], weights)
            >= coverage(toks, [p_parts.tokens[k] for k in before], weights) + COVER_GAIN)


def _attach_pieces(pw, pp, t: ScoreTable, whole_of: dict[int, list[int]], pieces_of: dict[int, list[int]],
                   weights: dict[str, float], mark) -> None:
    """Attach each unlinked article of ``pp`` (columns of ``t``) to its best linked counterpart in
    ``pw`` (rows) when it could be a piece of it and joining it makes the whole match better."""
    if not t.n:
        return
    has = set(t.cols())
    cover = t.cover_max(0)
    for j in np.lexsort((np.arange(len(cover)), -cover)):  # best covered first, ties in order
        j = int(j)
        if j in whole_of or j not in has:
            continue
        i = t.best_in_col(j)
        v = t.at(i, j)
        if i not in pieces_of or not piece(v.combined, v.cover_b, v.topic) \
                or len(whole_of.get(pieces_of[i][0], [])) > 1:  # never a split of a merge
            continue
        parts = sorted(pieces_of[i] + [j])
        if joining_helps(pw, i, pp, pieces_of[i], parts, weights):
            pieces_of[i] = parts
            whole_of[j] = [i]
            mark(i, j)


def grow_groups(pa, pb, t: ScoreTable, pairs: dict[tuple[int, int], str], weights: dict[str, float]) -> list[Link]:
    """Turn one-to-one pairs into links, adding split pieces (a→b, b') and merged pieces (a, a'→b)."""
    b_of = {i: [j] for i, j in pairs}          # a index → b indices
    a_of = {j: [i] for i, j in pairs}          # b index → a indices
    method = dict(pairs)
    _attach_pieces(pa, pb, t, a_of, b_of, weights, lambda i, j: method.update({(i, j): "split-test"}))
    _attach_pieces(pb, pa, t.T, b_of, a_of, weights, lambda j, i: method.update({(i, j): "merge-test"}))
    links: list[Link] = []
    for i, js in b_of.items():
        for j in js:
            if len(js) > 1:
                links.append(Link(i, j, joined_ratio(pa.flat[i], [pb.flat[k] for k in js]), "split",
                                  method.get((i, j), "fuzzy")))
            elif len(a_of[j]) > 1:
                links.append(Link(i, j, joined_ratio(pb.flat[j], [pa.flat[k] for k in a_of[j]]), "merged",
                                  method.get((i, j), "fuzzy")))
            else:
                links.append(one_to_one(pa, pb, t.at(i, j), i, j, method[(i, j)]))
    return links


# -- 3. one-to-one labels ------------------------------------------------------------------------------
def one_to_one(pa, pb, v: Signal, i: int, j: int, how: str) -> Link:
    if pa.flat[i] == pb.flat[j]:
        return Link(i, j, 100.0, "identical", "exact")
    if lifted_by_heading(v.combined, v.char, v.cosine, v.heading):
        how = "heading"
    strong = same_provision(v.combined, how in CORROBORATED)
    return Link(i, j, v.combined, "modified" if strong else "partial", how)


# -- 4. partials ---------------------------------------------------------------------------------------
def partials(t: ScoreTable, links: list[Link]) -> list[Link]:
    """Weak links for articles still unmatched whose words largely lie in one counterpart."""
    in_a = {lk.i for lk in links}
    in_b = {lk.j for lk in links}
    extra = []
    for i in t.rows():
        if i not in in_a:
            j = t.best_in_row(i)
            v = t.at(i, j)
            if contained(v.combined, v.cover_a):
                extra.append(Link(i, j, v.combined, "partial", "containment"))
    for j in t.cols():
        if j not in in_b:
            i = t.best_in_col(j)
            v = t.at(i, j)
            if contained(v.combined, v.cover_b):
                extra.append(Link(i, j, v.combined, "partial", "containment"))
    return extra


def link(pa, pb, t: ScoreTable, weights: dict[str, float]) -> list[Link]:
    """Every link between two prepared regulations whose pairs ``t`` scores (no unmatched rows)."""
    links = grow_groups(pa, pb, t, assign(t), weights)
    return links + partials(t, links)


# -- the vectorised path: candidates alone in their row and column -------------------------------------
def lone_links(sig: dict, same_text: np.ndarray) -> tuple[np.ndarray, ...]:
    """:func:`link`'s outcome, vectorised, for candidates alone in their row and column.

    When no other candidate shares its row or its column, a candidate pair is assigned if its
    score is a positive gain (≥ WEAK), kept by :func:`candidate` ("fuzzy" if ≥ LINK, else it is
    each side's best: "mutual-best"), labelled as :func:`one_to_one` labels; no split or merge can
    grow (a piece needs a matched neighbour in its column or row); an unkept pair may still be a
    "partial" by :func:`contained`, once for each side whose words it covers.
    Returns (index into sig, score, relation, method) arrays; labels are shared str objects.
    """
    R, M = {r: k for k, r in enumerate(RELATIONS)}, {m: k for k, m in enumerate(METHODS)}
    sig = {k: settle(v) for k, v in sig.items()}
    c = sig["combined"]
    kept = candidate(c, sig["topic"])
    method = np.where(c >= LINK, M["fuzzy"], M["mutual-best"])
    method = np.where(lifted_by_heading(c, sig["char"].astype(np.float64), sig["cosine"], sig["heading"]),
                      M["heading"], method)
    corroborated = np.isin(method, [M[x] for x in CORROBORATED])
    relation = np.where(same_provision(c, corroborated), R["modified"], R["partial"])
    score = c.astype(np.float64).copy()
    relation[same_text] = R["identical"]
    method[same_text] = M["exact"]
    score[same_text] = 100.0
    idx_k = np.flatnonzero(kept)
    part_a = np.flatnonzero(~kept & contained(c, sig["cover_a"]))
    part_b = np.flatnonzero(~kept & contained(c, sig["cover_b"]))
    idx_p = np.concatenate([part_a, part_b])
    relations = np.concatenate([relation[idx_k], np.full(len(idx_p), R["partial"])])
    methods = np.concatenate([method[idx_k], np.full(len(idx_p), M["containment"])])
    # millions of rows, a few labels: one shared str object per label
    return (np.concatenate([idx_k, idx_p]), np.concatenate([score[idx_k], c[idx_p]]),
            np.array(RELATIONS, dtype=object)[relations], np.array(METHODS, dtype=object)[methods])


# -- 5. moved ------------------------------------------------------------------------------------------
def moved(links: list[Link]) -> set[tuple[int, int]]:
    """Links outside the longest order-preserving chain: the provisions that moved."""
    pairs = sorted({(lk.i, lk.j) for lk in links if lk.relation != "partial"})
    if not pairs:
        return set()
    # longest strictly increasing subsequence of b positions, in a order (patience sorting)
    tails: list[int] = []
    tail_idx: list[int] = []
    prev = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        lo = int(np.searchsorted(tails, j, side="left"))
        if lo == len(tails):
            tails.append(j)
            tail_idx.append(k)
        else:
            tails[lo] = j
            tail_idx[lo] = k
        prev[k] = tail_idx[lo - 1] if lo else -1
    keep, k = set(), tail_idx[-1]
    while k >= 0:
        keep.add(pairs[k])
        k = prev[k]
    # a piece of a split/merge sharing an index with a kept pair has not moved
    kept_a = {i for i, _ in keep}
    kept_b = {j for _, j in keep}
    return {p for p in pairs if p not in keep and p[0] not in kept_a and p[1] not in kept_b}
