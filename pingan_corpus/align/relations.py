"""The relation engine: from the scores of the article pairs of two regulations to their links.

Every decision is written once, against a small score-table interface (:class:`ScoreTable`)
with two implementations: :class:`DenseTable` (every pair scored: ``pc.align``, ``pc.compare``,
``pairwise_links``) and :class:`SparseTable` (candidate pairs only, a pair that is not a
candidate scoring 0: ``align_all``). Both give the same links for the same entries (tests pin it).

1. *assign* one-to-one globally (Hungarian algorithm on the margin above ``WEAK``, position as a
   tie-breaker), then keep a pair strong on its own ("fuzzy"), each other's best, or the best of
   the one whose words lie inside the other ("mutual-best"), or beside a kept pair ("context");
2. *grow* splits and merges: an unmatched article whose words lie inside an already matched
   counterpart joins it when the joined pieces match the whole clearly better;
3. *label* one-to-one links (identical, modified, partial) and the ``method`` that made them;
4. *partials*: articles still unmatched whose words largely lie in one counterpart (a piece of
   it when the pair is a link on its own);
5. *paragraphs*: an article that became one paragraph or item of another (:func:`unit_links`,
   scored unit by unit on the articles' 款 and 项, ``Prepared.units``);
6. *sandwiched*: articles left unlinked between the same provisions of both texts, and partial
   mutual-best links beside a strong link (the same provision at the same place);
7. *moved*: links outside the longest order-preserving chain.

The predicates of steps 1, 3 and 4 work on numbers and on numpy arrays alike: the vectorised
path of ``align_all`` (:class:`LoneLinks`, candidates alone in their row and column) uses them,
and takes steps 5 and 6 candidate by candidate (unit scores only for the few pieces not yet linked);
the other candidates of a document pair go through :func:`link` with the lone ones' kept and strong
pairs as neighbours (``kept_around``, ``strong_around``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz
from scipy.optimize import linear_sum_assignment

from .caches import ProcessCache
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
    SHARPEN,
    SPECIFIC,
    STRONG,
    TOPIC,
    UNIT_HALF,
    UNIT_LINK,
    WEAK,
    WEAK_STRONG,
)

# -- the vocabulary of relations -----------------------------------------------------------------------
RELATIONS = ("identical", "modified", "split", "merged", "partial", "deleted", "added")
STRONG_RELATIONS = ("identical", "modified", "split", "merged")  # the same provision, reworded or not
RELATION_ZH = {"identical": "相同", "modified": "修改", "split": "拆分", "merged": "合并",
               "partial": "部分对应", "deleted": "删除", "added": "新增"}
METHODS = ("exact", "fuzzy", "mutual-best", "context", "heading", "split-test", "merge-test", "containment",
           "paragraph", "unmatched")
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


def same_provision(combined, corroborated, specific):
    """A one-to-one link of the same provision (modified), not merely a related one (partial): good
    enough on its own, or corroborated (rank, neighbours) and sharing ``SPECIFIC`` words specific to
    both texts. Two regulations of one field — or two implementing one national law — share its
    vocabulary in every article: two of their articles that are each other's best on it alone are
    about different matters (a reward clause, the inspection of one and of the other)."""
    return ((combined >= STRONG) & np.logical_not(corroborated)) | \
        (corroborated & (combined >= WEAK_STRONG) & (specific >= SPECIFIC))


def contained(combined, cover):
    """An unmatched article whose weighted words lie largely in its best counterpart."""
    return (combined >= PARTIAL) & (cover >= CONTAIN)


def piece_like(sig: dict, short_a):
    """Pairs (arrays) where the shorter article (``short_a``: a's) could be a piece of the other: a
    topic word shared and ``PIECE`` of its weighted words inside the other (what :func:`unit_links`
    scores)."""
    cover = np.where(short_a, sig["cover_a"], sig["cover_b"])
    return (settle(cover) >= PIECE) & (settle(sig["topic"]) >= 1)


def paragraph_of(unit, whole: bool, item: bool) -> bool:
    """The shorter article (``whole``) or its half is one paragraph, sentence or item of the other:
    its best unit score reaches ``UNIT_LINK``; a list item stands for it only whole (a clause
    found in another article's list is a passing mention, tests/gold/ALIGN.md)."""
    return unit >= UNIT_LINK and (whole or not item)


def upgraded_by_paragraph(unit) -> bool:
    """A corroborated partial link whose piece is a link on its own at the paragraph level."""
    return unit >= LINK


def piece(combined, cover, topic) -> bool:
    """Could this article be a piece of its best counterpart (before the joining test)?"""
    # list words, formulae and generic wording (享有…权利，履行…义务) carry no piece: a piece shares ``TOPIC``
    # topic words with the whole, however close its wording
    return bool(combined >= WEAK and cover >= PIECE and topic >= TOPIC)


# -- the score table -----------------------------------------------------------------------------------
class Signal(NamedTuple):
    combined: float
    char: float
    cosine: float
    cover_a: float    # share of a's weighted words found in b
    cover_b: float    # share of b's weighted words found in a
    topic: float      # shared topic (rare) words
    heading: float    # heading ratio, NaN unless both have headings
    specific: float   # shared words specific to both texts (``OWN_RARE``)


_ZERO = Signal(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, math.nan, 0.0)
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

    def piece_pairs(self, short_a: np.ndarray) -> list[tuple[int, int]]:
        """The pairs where the shorter article (``short_a[i, j]``: a's) could be a piece of the
        other: a topic word shared and ``PIECE`` of its weighted words inside the other, in order."""
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
                      float(s.cover_b[i, j]), float(s.topic[i, j]), float(s.heading[i, j]), float(s.specific[i, j]))

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

    def piece_pairs(self, short_a):
        s = self.s
        hit = piece_like({"cover_a": s.cover_a, "cover_b": s.cover_b, "topic": s.topic}, short_a)
        return [(int(i), int(j)) for i, j in zip(*np.nonzero(hit))]


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

    def piece_pairs(self, short_a):
        return sorted((i, j) for (i, j), v in self.val.items()
                      if v.topic >= 1 and (v.cover_a if short_a[i, j] else v.cover_b) >= PIECE)


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
def assign(t: ScoreTable, kept_around: set | frozenset = frozenset()) -> dict[tuple[int, int], str]:
    """Global one-to-one assignment maximising the combined score (position breaks ties).

    A pair is kept when its score is high on its own (``LINK``: method "fuzzy"), or when it is at
    least ``WEAK`` with ``TOPIC`` shared topic words and corroborated: each article is the
    other's best counterpart ("mutual-best"), or a neighbouring pair (i-1, j-1) or (i+1, j+1) is
    linked ("context") — the order of a regulation carries meaning. ``kept_around``: pairs kept
    outside ``t`` (candidates alone in their row and column, decided by :class:`LoneLinks`) that
    corroborate as neighbours. Returns {(i, j): method}.
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

    def strong(p: tuple[int, int]) -> bool:
        return t.at(*p).combined >= LINK

    def mutual(i: int, j: int) -> bool:
        # each other's best; or the best of the one whose words lie inside the other: a short
        # article that became a paragraph of a longer one is not the longer one's best
        v = t.at(i, j)
        best_r, best_c = t.best_in_row(i) == j, t.best_in_col(j) == i
        return (best_r and best_c) or (best_r and v.cover_a >= CONTAIN) or (best_c and v.cover_b >= CONTAIN)

    rows, cols = linear_sum_assignment(-gain)
    cand = {(int(rs[r]), int(cs[q])) for r, q in zip(rows, cols) if candidate(c[r, q], topic[r, q])}
    return corroborate(cand, strong, mutual, kept_around)


def corroborate(cand: set[tuple[int, int]], strong, mutual_best,
                around: set | frozenset = frozenset()) -> dict[tuple[int, int], str]:
    """Keep candidate pairs that are strong on their own ("fuzzy"), each other's best
    ("mutual-best"), or beside a kept pair ("context"; ``around``: kept pairs decided elsewhere)."""
    kept = {p: "fuzzy" for p in cand if strong(p)}
    kept.update({(i, j): "mutual-best" for i, j in cand if (i, j) not in kept and mutual_best(i, j)})
    grew = True
    while grew:  # context: a weak pair between or beside kept pairs
        grew = False
        for i, j in sorted(cand - kept.keys()):
            if (i - 1, j - 1) in kept or (i + 1, j + 1) in kept or (i - 1, j - 1) in around \
                    or (i + 1, j + 1) in around:
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
    cover = t.cover_max(0)
    for j in sorted(t.cols(), key=lambda c: (-cover[c], c)):  # best covered first, ties in order
        if j in whole_of:
            continue
        i = t.best_in_col(j)
        v = t.at(i, j)
        # the whole may itself be a piece of a split (many-to-many: one half of an article joins
        # another article whose provision it completes, tests/gold/ALIGN.md, Hubei 30 and 31 → Ordos 21)
        if i not in pieces_of or not piece(v.combined, v.cover_b, v.topic):
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
    strong = same_provision(v.combined, how in CORROBORATED, v.specific)
    return Link(i, j, v.combined, "modified" if strong else "partial", how)


# -- 4. partials ---------------------------------------------------------------------------------------
def partials(t: ScoreTable, links: list[Link]) -> list[Link]:
    """Links for articles still unmatched whose words largely lie in one counterpart: partial, or
    a piece of it (split or merged, see :func:`relabel`) when the pair is a link on its own."""
    in_a = {lk.i for lk in links}
    in_b = {lk.j for lk in links}
    extra = []
    for i in t.rows():
        if i not in in_a:
            j = t.best_in_row(i)
            v = t.at(i, j)
            if contained(v.combined, v.cover_a):
                extra.append(Link(i, j, v.combined, "modified" if v.combined >= LINK else "partial", "containment"))
    once = {(lk.i, lk.j) for lk in extra}
    for j in t.cols():
        if j not in in_b:
            i = t.best_in_col(j)
            v = t.at(i, j)
            if (i, j) not in once and contained(v.combined, v.cover_b):
                extra.append(Link(i, j, v.combined, "modified" if v.combined >= LINK else "partial", "containment"))
    return extra


# -- 5. pieces that are a paragraph or an item of another article ---------------------------------------
def _term_frequencies(tokens: list[str]) -> dict[str, float]:
    counts: dict[str, int] = {}
    for w in tokens:
        counts[w] = counts.get(w, 0) + 1
    return {w: 1.0 + math.log(c) for w, c in counts.items()}


def _vector(tf: dict[str, float], weights: dict[str, float]) -> dict[str, float]:
    """A unit's L2-normalised sublinear TF-IDF vector (as :class:`~.prepare.Vocabulary` weighs words)."""
    vec = {w: t * weights.get(w, 1.0) ** SHARPEN for w, t in tf.items()}
    norm = math.sqrt(sum(x * x for x in vec.values())) or 1.0
    return {w: x / norm for w, x in vec.items()}


_VECTORS = ProcessCache(200_000)  # (unit text, words) → its vector, under the run's weights


class _UnitList(list):
    """Units as (flat text, vector), with ``key``: their texts and words (what their scores depend on),
    and ``items``: which of them are list items (项)."""

    key: tuple = ()
    items: tuple = ()


class _Units:
    """The units of one side's articles with their word vectors, made when first asked for."""

    def __init__(self, p, weights: dict[str, float]):
        self.p, self.weights = p, weights
        # kept on the prepared regulation: compared with many others, its units are listed once
        if p._unit_vectors is None or p._unit_vectors[0] is not weights:
            p._unit_vectors = (weights, {}, {})
        self._short, self._long = p._unit_vectors[1:]

    def _with_vectors(self, units) -> _UnitList:
        # a unit's vector depends on its words and the weights alone: kept for the process, so a
        # provision the corpus repeats is weighed once, not once per document that holds it. Keyed
        # by text and words: one flat text may be cut two ways (管理，服务 / 管理服务)
        vectors = _VECTORS.of(self.weights)
        out, keys = _UnitList(), []
        for f, toks, item in units:
            key = (f, tuple(toks))
            vec = vectors.get(key)
            if vec is None:
                vec = vectors[key] = _vector(_term_frequencies(toks), self.weights)
            out.append((f, vec))
            keys.append(key + (item,))
        out.key = tuple(keys)
        out.items = tuple(k[2] for k in keys)
        return out

    def as_short(self, i: int) -> list[tuple[str, dict[str, float]]]:
        """The article itself first, then its paragraphs/items carrying ``UNIT_HALF`` of it."""
        got = self._short.get(i)
        if got is None:
            whole = self.p.flat[i]
            got = self._short[i] = self._with_vectors(
                [(whole, self.p.tokens[i], False)] + [u for u in self.p.units[i] if len(u[0]) >= UNIT_HALF * len(whole)])
        return got

    def as_long(self, i: int) -> list[tuple[str, dict[str, float]]]:
        """Its paragraphs and items (itself when it has one paragraph and no items)."""
        got = self._long.get(i)
        if got is None:
            got = self._long[i] = self._with_vectors(self.p.units[i] or [(self.p.flat[i], self.p.tokens[i], False)])
        return got


def unit_score(side_s: list[tuple[str, dict[str, float]]], side_l: _UnitList) -> tuple[float, bool, bool]:
    """How well the shorter article (or a paragraph/item carrying ``UNIT_HALF`` of it: ``side_s``,
    the article first) matches one paragraph, sentence or item of the longer one (``side_l``): the
    combined score of the wording, best pair of units, whether the best is the shorter article
    whole, and whether the best unit of ``side_l`` is a list item."""
    best, whole, at = 0.0, False, 0
    for k, (fs, xs) in enumerate(side_s):
        for m, (fl, xl) in enumerate(side_l):
            small, big = (xs, xl) if len(xs) <= len(xl) else (xl, xs)
            cos = sum(x * big[w] for w, x in small.items() if w in big)
            score = round(raw(fuzz.ratio(fs, fl), cos), DECIMALS)
            if score > best:
                best, whole, at = score, k == 0, m
    return best, whole, bool(side_l.items) and side_l.items[at]


# unit scores of the pairs of texts met last in this process: a corpus repeats its provisions,
# so the same two articles meet in many document pairs (about five times each on the synthetic
# corpora). Keyed by the units' texts and words, held with the weights they were computed under.
_UNIT_SCORES = ProcessCache(400_000)


def _unit_score_of(side_s: _UnitList, side_l: _UnitList, weights: dict[str, float]) -> tuple[float, bool, bool]:
    scores = _UNIT_SCORES.of(weights)
    key = (side_s.key, side_l.key)
    got = scores.get(key)
    if got is None:
        got = scores[key] = unit_score(side_s, side_l)
    return got


def pair_unit_score(pa, pb, i: int, j: int, short_a: bool, weights: dict[str, float]) -> tuple[float, bool, bool]:
    """:func:`unit_score` of articles i of ``pa`` and j of ``pb``, the shorter (``short_a``: a's) as
    the piece (remembered by the units' texts)."""
    ua, ub = _Units(pa, weights), _Units(pb, weights)
    if short_a:
        return _unit_score_of(ua.as_short(i), ub.as_long(j), weights)
    return _unit_score_of(ub.as_short(j), ua.as_long(i), weights)


def unit_links(pa, pb, t: ScoreTable, links: list[Link], weights: dict[str, float]) -> list[Link]:
    """Links of an article that became one paragraph or item of another (or whose half did).

    Article scores cannot see it: the rest of the longer article drowns the piece. Every pair where
    the shorter article could be a piece of the other (:meth:`ScoreTable.piece_pairs`) is scored
    unit by unit (:func:`unit_score`); a pair reaching ``UNIT_LINK`` that is the best such pair of
    its row or of its column is the same provision (a 条文对照表 puts them on one row): it is added,
    or a partial link of it upgraded, and the articles linked to several are split or merged.
    """
    if pa.units is None or pb.units is None or not t.n or not t.m:
        return links
    short_a = pa.lengths()[:, None] <= pb.lengths()[None, :]
    unit: dict[tuple[int, int], float] = {}
    found: dict[tuple[int, int], float] = {}
    whole: set[tuple[int, int]] = set()
    pairs = t.piece_pairs(short_a)
    # a pair already the same provision, with no other piece pair in its row or column, can
    # change nothing: it is never added, and no other pair's rank depends on its unit score
    strong = {(lk.i, lk.j) for lk in links if lk.relation in STRONG_RELATIONS}
    in_row: dict[int, int] = {}
    in_col: dict[int, int] = {}
    for i, j in pairs:
        in_row[i] = in_row.get(i, 0) + 1
        in_col[j] = in_col.get(j, 0) + 1
    for i, j in pairs:
        if (i, j) in strong and in_row[i] == 1 and in_col[j] == 1:
            continue
        u, w, item = pair_unit_score(pa, pb, i, j, bool(short_a[i, j]), weights)
        unit[(i, j)] = u
        if paragraph_of(u, w, item):
            found[(i, j)] = u
            if w:
                whole.add((i, j))
    best_r: dict[int, float] = {}
    best_c: dict[int, float] = {}
    for (i, j), u in found.items():
        best_r[i] = max(best_r.get(i, 0.0), u)
        best_c[j] = max(best_c.get(j, 0.0), u)
    add = {p: u for p, u in found.items() if u >= best_r[p[0]] or u >= best_c[p[1]]}
    for lk in links:
        # a corroborated weak link whose piece is a link on its own at the paragraph level
        if lk.relation == "partial" and lk.method in CORROBORATED and upgraded_by_paragraph(unit.get((lk.i, lk.j), 0.0)):
            lk.relation = "modified"
    if not add:
        return links
    linked = {(lk.i, lk.j) for lk in links if lk.relation in STRONG_RELATIONS}
    in_a = {i for i, _ in linked}
    in_b = {j for _, j in linked}
    # a paragraph (not the whole article) of two articles each linked elsewhere moved: the
    # paragraph level reports it as moved, the articles keep their links
    add = {p: u for p, u in add.items() if p not in linked
           and (p in whole or p[0] not in in_a or p[1] not in in_b)}
    # a short article that is, whole, a paragraph of another has no weaker counterpart elsewhere
    # (a paragraph copied into another article does not keep the link)
    drop_a = {i: u for (i, j), u in add.items() if (i, j) in whole and short_a[i, j]}
    drop_b = {j: u for (i, j), u in add.items() if (i, j) in whole and not short_a[i, j]}
    out = [lk for lk in links if not ((lk.i, lk.j) in add and lk.relation == "partial")
           and not ((lk.i, lk.j) not in add and (lk.score < drop_a.get(lk.i, 0) or lk.score < drop_b.get(lk.j, 0)))]
    have = {(lk.i, lk.j) for lk in out}
    out += [Link(i, j, u, "modified", "paragraph") for (i, j), u in sorted(add.items()) if (i, j) not in have]
    return out


def relabel(links: list[Link]) -> list[Link]:
    """A one-to-one label on an article that has several strong links becomes split (a's article
    has several) or merged (b's article has several)."""
    strong = [lk for lk in links if lk.relation in STRONG_RELATIONS]
    n_b: dict[int, int] = {}
    n_a: dict[int, int] = {}
    for lk in strong:
        n_b[lk.i] = n_b.get(lk.i, 0) + 1
        n_a[lk.j] = n_a.get(lk.j, 0) + 1
    for lk in strong:
        if lk.relation in ("modified", "identical") and (n_a[lk.j] > 1 or n_b[lk.i] > 1):
            lk.relation = "merged" if n_a[lk.j] > 1 else "split"
    return links


# -- 6. counterparts held in place by their neighbours -------------------------------------------------
SANDWICH = (1, 2)  # diagonal steps at which a linked neighbour holds an unlinked pair in place


def twice_corroborated(partial_mutual_best, beside_strong, specific):
    """A weak link kept as each other's best ("mutual-best": labelled partial below ``WEAK_STRONG``)
    that also lies beside a strong link on the diagonal, (i ± 1, j ± 1): both corroborations a weak
    link may have (:func:`assign`: rank and context) hold at once — the same provision at the same
    place, reworded below the floors — when the two share ``SPECIFIC`` words specific to both texts,
    as any corroborated link must (:func:`same_provision`; numbers or arrays)."""
    return partial_mutual_best & beside_strong & (specific >= SPECIFIC)


def sandwiched(t: ScoreTable, links: list[Link], strong_around: set | frozenset = frozenset()) -> list[Link]:
    """Articles left unlinked on both sides, between the same provisions of both texts.

    A pair of articles with no link at all is the same provision when both texts have the same
    provisions just before it and just after it (strong links on the diagonal, ``SANDWICH``
    steps away), the two share ``TOPIC`` topic words (as any weak link must: the shared formula of
    two provisions on different matters is no link), and each is the other's best among the
    articles left unlinked: a paraphrase at the same place, which the score floors reject.
    A partial "mutual-best" link beside a strong one is the same provision too
    (:func:`twice_corroborated`). ``strong_around``: strong links decided outside ``t`` (:class:`LoneLinks`).
    """
    in_a = {lk.i for lk in links}
    in_b = {lk.j for lk in links}
    free_a = [i for i in t.rows() if i not in in_a]
    free_b = [j for j in t.cols() if j not in in_b]
    strong = {(lk.i, lk.j) for lk in links if lk.relation in STRONG_RELATIONS} | strong_around
    for lk in links:
        if twice_corroborated(lk.relation == "partial" and lk.method == "mutual-best",
                              (lk.i - 1, lk.j - 1) in strong or (lk.i + 1, lk.j + 1) in strong,
                              t.at(lk.i, lk.j).specific):
            lk.relation = "modified"
    if not free_a or not free_b:
        return links
    set_b = set(free_b)
    before: dict[int, set[int]] = {}
    for x, y in strong:
        for d in SANDWICH:
            before.setdefault(x + d, set()).add(y + d)
    out = []
    for i in free_a:
        for j in sorted(before.get(i, ())):
            if j not in set_b or not any((i + d, j + d) in strong for d in SANDWICH):
                continue
            v = t.at(i, j)
            if v.topic < TOPIC or v.combined <= 0:
                continue
            if max(free_b, key=lambda k: (t.at(i, k).combined, -k)) == j and \
                    max(free_a, key=lambda k: (t.at(k, j).combined, -k)) == i:
                out.append(Link(i, j, v.combined, "modified", "context"))
                break
    return links + out


def link(pa, pb, t: ScoreTable, weights: dict[str, float]) -> list[Link]:
    """Every link between two prepared regulations whose pairs ``t`` scores (no unmatched rows)."""
    links = relabel(sandwiched(t, placed_links(pa, pb, t, weights)))
    got = referring_apart([lk.i for lk in links], [lk.j for lk in links], [lk.relation for lk in links],
                          pa.refs, pb.refs)
    for lk, r in zip(links, got):
        lk.relation = r
    return links


# -- 8. provisions that refer to provisions that do not correspond ----------------------------------
def referring_apart(ii: list[int], jj: list[int], relations: list[str], refs_a, refs_b) -> list[str]:
    """The relations of the links (``ii``, ``jj``) of one document pair once links between provisions
    that refer to others are checked: two articles that each refer to articles of their own text
    (本条例第X条: ``refs_a``/``refs_b``, :func:`~.prepare.own_refs`) are the same provision only if some
    article one refers to is linked to some article the other refers to. A penalty is about the duty
    it sanctions, a qualification about the article that lists its exclusions: penalties of two
    different acts share all their wording (责令限期改正，处…罚款) and are not one provision. Such a
    strong link becomes partial, and a split or merge left with one strong piece a modification."""
    if refs_a is None or refs_b is None:
        return relations
    linked = set(zip(ii, jj))
    out = list(relations)
    for k, (i, j, r) in enumerate(zip(ii, jj, relations)):
        ra, rb = refs_a[i], refs_b[j]
        if r in STRONG_RELATIONS and r != "identical" and ra and rb and \
                not any((x, y) in linked for x in ra for y in rb):
            out[k] = "partial"
    if out == relations:
        return out
    n_b: dict[int, int] = {}
    n_a: dict[int, int] = {}
    for i, j, r in zip(ii, jj, out):
        if r in STRONG_RELATIONS:
            n_b[i] = n_b.get(i, 0) + 1
            n_a[j] = n_a.get(j, 0) + 1
    for k, (i, j, r) in enumerate(zip(ii, jj, out)):
        if (r == "split" and n_b[i] == 1 and n_a[j] == 1) or (r == "merged" and n_a[j] == 1 and n_b[i] == 1):
            out[k] = "modified"
    return out


def placed_links(pa, pb, t: ScoreTable, weights: dict[str, float], kept_around: set | frozenset = frozenset()) -> list[Link]:
    """Steps 1–5 of :func:`link`: the links before :func:`sandwiched` and :func:`relabel`
    (``kept_around``: see :func:`assign`)."""
    links = grow_groups(pa, pb, t, assign(t, kept_around), weights)
    return unit_links(pa, pb, t, links + partials(t, links), weights)


# -- the vectorised path: candidates alone in their row and column -------------------------------------
def diagonal_keys(doc_pair, i, j) -> np.ndarray:
    """int64 keys of (document pair, i, j) in which the diagonal neighbours (i ± d, j ± d) of
    :func:`sandwiched` are ``key ± d·(2**21 + 1)`` (fewer than 2**21 − 8 articles per text and
    2**21 document pairs per scoring task)."""
    return (np.asarray(doc_pair, np.int64) << 42) | ((np.asarray(i, np.int64) + 8) << 21) | (np.asarray(j, np.int64) + 8)


_DIAGONAL_STEP = (1 << 21) + 1


class LoneLinks:
    """:func:`link`'s outcome, vectorised, for candidates alone in their row and column (of a
    document pair; other candidates of the pair may share rows and columns among themselves).

    When no other candidate shares its row or its column, each step of :func:`link` decides a
    candidate by its own signals and, for step 6, its diagonal neighbours:

    1–3. a candidate is assigned if its score is a positive gain (≥ WEAK), kept by :func:`candidate`
       ("fuzzy" if ≥ LINK, else it is each side's best: "mutual-best"), labelled as
       :func:`one_to_one` labels; no split or merge can grow (a piece needs a matched neighbour in
       its column or row);
    4. an unkept candidate may be a "partial" by :func:`contained` (one link, whichever side it covers);
    5. a candidate that could be a piece (:func:`piece_like`) and is not yet the same provision is
       scored unit by unit (``unit_of(k)``: :func:`pair_unit_score`, the few such candidates only):
       a corroborated partial becomes "modified" (:func:`upgraded_by_paragraph`), a piece that is
       a paragraph of the other (:func:`paragraph_of`) makes a "paragraph" link, as :func:`unit_links` does;
    6. (:meth:`finish`) a candidate left with no link whose diagonal neighbours before and after
       (``SANDWICH`` steps) are strong links is a "context" link when it shares ``TOPIC`` topic
       words, as :func:`sandwiched` decides; a partial "mutual-best" candidate beside a strong link
       becomes "modified" (:func:`twice_corroborated`).

    ``kept`` and ``strong`` (after step 5) are what the other candidates of the same document
    pairs read: ``kept_around`` of :func:`assign`, ``strong_around`` of :func:`sandwiched`.
    """

    def __init__(self, sig: dict, same_text: np.ndarray, short_a: np.ndarray, unit_of):
        R, M = self._R, self._M = {r: k for k, r in enumerate(RELATIONS)}, {m: k for k, m in enumerate(METHODS)}
        sig = self.sig = {k: settle(v) for k, v in sig.items()}
        c = sig["combined"]
        kept = self.kept = candidate(c, sig["topic"])
        method = np.where(c >= LINK, M["fuzzy"], M["mutual-best"])
        method = np.where(lifted_by_heading(c, sig["char"].astype(np.float64), sig["cosine"], sig["heading"]),
                          M["heading"], method)
        corroborated = np.isin(method, [M[x] for x in CORROBORATED])
        relation = np.where(same_provision(c, corroborated, sig["specific"]), R["modified"], R["partial"])
        score = c.astype(np.float64).copy()
        relation[same_text] = R["identical"]
        method[same_text] = M["exact"]
        score[same_text] = 100.0
        part = ~kept & (contained(c, sig["cover_a"]) | contained(c, sig["cover_b"]))
        relation[part] = R["partial"]
        method[part] = M["containment"]
        linked = kept | part
        strong_codes = [R[x] for x in STRONG_RELATIONS]
        corroborating = {M[x] for x in CORROBORATED}
        # 5. pieces not yet the same provision, scored unit by unit
        for k in np.flatnonzero(piece_like(sig, short_a) & ~(linked & np.isin(relation, strong_codes))).tolist():
            u, whole, item = unit_of(k)
            if linked[k] and relation[k] == R["partial"] and method[k] in corroborating and upgraded_by_paragraph(u):
                relation[k] = R["modified"]
            elif paragraph_of(u, whole, item):
                linked[k] = True
                relation[k], method[k], score[k] = R["modified"], M["paragraph"], u
        self.linked, self.relation, self.method, self.score = linked, relation, method, score
        self.strong = linked & np.isin(relation, strong_codes)

    def finish(self, keys: np.ndarray, strong_around: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
        """Step 6, then (index into sig, score, relation, method) arrays of the links; labels are
        shared str objects. ``keys``: :func:`diagonal_keys` of the candidates; ``strong_around``:
        those of the strong links of the other candidates of their document pairs."""
        R, M, sig = self._R, self._M, self.sig
        linked, relation, method = self.linked.copy(), self.relation.copy(), self.method.copy()
        free = ~linked & (sig["topic"] >= TOPIC) & (sig["combined"] > 0)
        weak = linked & (relation == R["partial"]) & (method == M["mutual-best"])
        if free.any() or weak.any():
            strong = keys[self.strong]
            if strong_around is not None and len(strong_around):
                strong = np.concatenate([strong, strong_around])
        if weak.any():
            at = np.flatnonzero(weak)
            beside = np.isin(keys[at] - _DIAGONAL_STEP, strong) | np.isin(keys[at] + _DIAGONAL_STEP, strong)
            relation[at[twice_corroborated(True, beside, sig["specific"][at])]] = R["modified"]
        if free.any():
            at = np.flatnonzero(free)
            before = np.zeros(len(at), bool)
            after = np.zeros(len(at), bool)
            for d in SANDWICH:
                before |= np.isin(keys[at] - d * _DIAGONAL_STEP, strong)
                after |= np.isin(keys[at] + d * _DIAGONAL_STEP, strong)
            held = np.zeros(len(keys), bool)
            held[at[before & after]] = True
            linked |= held
            relation[held], method[held] = R["modified"], M["context"]
        idx = np.flatnonzero(linked)
        # millions of rows, a few labels: one shared str object per label
        return (idx, self.score[idx], np.array(RELATIONS, dtype=object)[relation[idx]],
                np.array(METHODS, dtype=object)[method[idx]])


def lone_links(sig: dict, same_text: np.ndarray, short_a: np.ndarray, place: tuple[np.ndarray, ...],
               unit_of) -> tuple[np.ndarray, ...]:
    """:class:`LoneLinks` of candidates that are all alone in their row and column of their
    document pair (``place``: document pair, i, j of each): (index, score, relation, method)."""
    return LoneLinks(sig, same_text, short_a, unit_of).finish(diagonal_keys(*place))


# -- 7. moved ------------------------------------------------------------------------------------------
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
