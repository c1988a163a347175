"""Align provisions: article pairs with relations, word diffs, coverage and similarity.

The pipeline for two regulations:

1. *prepare* each article: neutralise what differs by jurisdiction alone (names of places,
   本省/本市, 县（市、区）/旗区 …), a character string without punctuation, jieba words;
2. *score* every pair at once (vectorised): character ratio (rapidfuzz ``cdist``), TF-IDF
   cosine of words (boilerplate words shared by most articles weigh little), IDF-weighted
   containment both ways, and heading similarity when both sides have headings;
3. *assign* one-to-one globally (Hungarian algorithm on the combined score, position as a
   tie-breaker), then *test* splits and merges: an unmatched article whose words lie inside an
   already matched counterpart is kept only if joining it makes the pair more similar;
4. *label* each link (identical, modified, split, merged, partial) and each unmatched article
   (deleted, added), with the ``method`` that made the link and ``moved`` for order changes.
"""
from __future__ import annotations

import difflib
import logging
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

import jieba
import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from scipy import sparse
from scipy.optimize import linear_sum_assignment

from ..parse import regexes as R
from ..parse.gazetteer import divisions
from ..models import Article, ClauseDiff, Regulation

# Thresholds on the combined 0–100 score.
LINK = 36.0       # lowest score for a one-to-one link on its own
WEAK = 20.0       # lowest score for a one-to-one link corroborated by rank or context
STRONG = 30.0     # a link at least this good is the same provision (modified/identical)
PARTIAL = 30.0    # lowest score for a partial link of an otherwise unmatched article
CONTAIN = 0.55    # share of an article's weighted words inside its counterpart for a partial link
RARE = 0.1       # a word in at most this share of articles is a topic word
TOPIC = 2         # topic words a weak (corroborated) link or a split/merge piece must share
SHARPEN = 1.0     # IDF exponent in the cosine: words most articles share count for little
PIECE = 0.35      # … and for a candidate piece of a split/merge
GAIN = 4.0        # points a split/merge must add to the whole-to-parts character ratio
COVER_GAIN = 0.10  # … or share of the whole's weighted words it must add

CORROBORATED = ("mutual-best", "context")
WEAK_STRONG = 25.0  # a corroborated one-to-one link this good is still the same provision

RELATIONS = ("identical", "modified", "split", "merged", "partial", "deleted", "added")
FRAME_COLUMNS = ["a_article", "a_label", "a_heading", "a_text", "b_article", "b_label", "b_heading",
                 "b_text", "score", "relation", "method", "moved", "note", "ops"]
ALIGN_COLUMNS = ["a_article", "b_article", "score", "relation", "method", "moved"]

_PLACE, _SELF = "某地", "本地"
# function words that say nothing about what a provision regulates
STOPWORDS = frozenset(
    "的 了 和 与 及 以及 或者 或 等 对 在 为 并 将 其 之 由 从 于 把 被 所 该 此 各 中 上 下 内 "
    "以 按照 依照 依据 根据 有关 相关 相应 进行 开展 做好 加强 工作".split())


# -- preparation --------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _place_pattern() -> re.Pattern:
    """Full names of every division, and 平安 + short name (平安湖北)."""
    names = sorted({d.name for d in divisions()}, key=len, reverse=True)
    shorts = sorted({s for d in divisions() for s in (d.short, *d.aliases) if len(s) >= 2},
                    key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)) + "|(?<=平安)(?:" + "|".join(map(re.escape, shorts)) + ")")


# words alignment adds to its dictionary: the neutralised placeholders stay whole
ALIGNMENT_WORDS = (_PLACE, _SELF, "县区", "乡镇", "人民政府")


@lru_cache(maxsize=1)
def tokenizer() -> jieba.Tokenizer:
    """alignment's own jieba dictionary.

    jieba's global dictionary is shared by the process and other steps add to it (the duty
    lexicon adds actor names), which would make an alignment depend on what ran before it;
    this one holds jieba's words and ``ALIGNMENT_WORDS`` only, in every process.
    """
    jieba.setLogLevel(logging.WARNING)  # jieba announces its dictionary on stderr otherwise
    tok = jieba.Tokenizer()
    for w in ALIGNMENT_WORDS:
        tok.add_word(w, freq=100000)
    return tok


def _own_names(reg: Regulation) -> list[str]:
    """The regulation's own jurisdiction as it may appear without a suffix (湘潭, 湖北)."""
    if not reg.jurisdiction:
        return []
    out = [reg.jurisdiction]
    for d in divisions():
        if d.name == reg.jurisdiction:
            out += [d.short, *d.aliases]
    return sorted({n for n in out if len(n) >= 2}, key=len, reverse=True)


def neutralize(text: str, own: Sequence[str] = ()) -> str:
    """Replace what differs by jurisdiction alone, so that 湘潭市人民政府 ≈ 鄂尔多斯市人民政府."""
    text = _place_pattern().sub(_PLACE, text)
    for name in own:
        text = text.replace(name, _PLACE)
    text = R.SELF_REFERENCE.sub(_SELF, text)
    text = R.COUNTY_TIER.sub("县区", text)
    text = R.TOWNSHIP_TIER.sub("乡镇", text)
    text = R.VILLAGE_TIER.sub("村", text)
    return R.PREFECTURE_TIER.sub("市", text)


def words(text: str) -> list[str]:
    """jieba words of a (neutralised) text, without punctuation and function words."""
    return [w for w in tokenizer().lcut(text) if not R.NON_WORD.fullmatch(w) and w not in STOPWORDS]


@dataclass
class Prepared:
    """One regulation's articles ready for scoring."""

    reg: Regulation
    articles: list[Article]
    flat: list[str]          # neutralised text without punctuation
    tokens: list[list[str]]  # neutralised jieba words
    headings: list[str]

    @property
    def n(self) -> int:
        return len(self.articles)


def prepare(reg: Regulation) -> Prepared:
    own = _own_names(reg)
    arts = list(reg.articles)
    neutral = [neutralize(a.text, own) for a in arts]
    return Prepared(
        reg=reg, articles=arts,
        flat=[R.NON_WORD.sub("", t) for t in neutral],
        tokens=[words(t) for t in neutral],
        headings=[R.NON_WORD.sub("", neutralize(a.heading, own)) if a.heading else "" for a in arts],
    )


# -- scoring ------------------------------------------------------------------------------------
class Vocabulary:
    """Word ids and IDF weights over a set of prepared regulations (boilerplate weighs little)."""

    def __init__(self, prepared: Iterable[Prepared]):
        self.index: dict[str, int] = {}
        df: dict[int, int] = {}
        n_docs = 0
        for p in prepared:
            for toks in p.tokens:
                n_docs += 1
                for w in set(toks):
                    i = self.index.setdefault(w, len(self.index))
                    df[i] = df.get(i, 0) + 1
        counts = np.array([df.get(i, 0) for i in range(len(self.index))], dtype=float)
        self.idf = np.log((1 + n_docs) / (1 + counts)) + 1.0
        self.rare = counts <= max(2.0, RARE * n_docs)   # topic words, not formulae

    def matrices(self, p: Prepared) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """(L2-normalised sublinear TF-IDF, IDF-weighted presence) rows for p's articles."""
        rows, cols, vals = [], [], []
        for r, toks in enumerate(p.tokens):
            tf: dict[int, int] = {}
            for w in toks:
                j = self.index.get(w)
                if j is not None:
                    tf[j] = tf.get(j, 0) + 1
            for j, c in tf.items():
                rows.append(r)
                cols.append(j)
                vals.append(1.0 + math.log(c))
        shape = (p.n, len(self.index))
        tf = sparse.csr_matrix((vals, (rows, cols)), shape=shape)
        present = tf.copy()
        present.data[:] = 1.0
        present = present.multiply(self.idf[None, :]).tocsr()
        tfidf = tf.multiply(self.idf[None, :] ** SHARPEN).tocsr()
        norms = np.sqrt(np.asarray(tfidf.multiply(tfidf).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        tfidf = sparse.diags(1.0 / norms) @ tfidf
        return tfidf.tocsr(), present


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
    combined = 0.5 * char + 50.0 * cosine
    # a matching heading lifts a reworded provision; a different heading never lowers it
    with np.errstate(invalid="ignore"):
        lifted = np.where(np.isnan(heading), combined, 0.75 * combined + 0.25 * heading)
    combined = np.maximum(combined, lifted)
    return Scores(char=char, cosine=cosine, cover_a=cover_a, cover_b=cover_b, heading=heading,
                  topic=topic, combined=np.clip(combined, 0, 100))


# -- assignment ---------------------------------------------------------------------------------
@dataclass
class Link:
    i: int            # article index in a (None-free: unmatched articles are separate)
    j: int            # article index in b
    score: float
    relation: str
    method: str


def _assign(s: Scores, n: int, m: int) -> dict[tuple[int, int], str]:
    """Global one-to-one assignment maximising the combined score (position breaks ties).

    A pair is kept when its score is high on its own (``LINK``: method "fuzzy"), or when it is at
    least ``WEAK`` and corroborated: each article is the other's best counterpart ("mutual-best"),
    or a neighbouring pair (i-1, j-1) or (i+1, j+1) is linked ("context") — the order of a
    regulation carries meaning. Returns {(i, j): method}.
    """
    if not n or not m:
        return {}
    pos_a = (np.arange(n) + 0.5) / n
    pos_b = (np.arange(m) + 0.5) / m
    closeness = 1.0 - np.abs(pos_a[:, None] - pos_b[None, :])
    c = s.combined
    # the margin above WEAK, so that two weak pairs never outvote one good pair
    gain = np.where(c >= WEAK, c - WEAK + 2.0 * closeness, 0.0)
    rows, cols = linear_sum_assignment(-gain)
    cand = {(int(i), int(j)) for i, j in zip(rows, cols)
            if c[i, j] >= LINK or (c[i, j] >= WEAK and s.topic[i, j] >= TOPIC)}
    best_b, best_a = c.argmax(axis=1), c.argmax(axis=0)
    return corroborate(cand, lambda p: c[p] >= LINK, lambda i, j: best_b[i] == j and best_a[j] == i)


def corroborate(cand: set[tuple[int, int]], strong, mutual_best) -> dict[tuple[int, int], str]:
    """Keep candidate pairs that are strong on their own ("fuzzy"), each other's best
    ("mutual-best"), or beside a kept pair ("context"); shared by ``pc.align`` and ``align_all``."""
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


def _piece(score: float, cover: float, topic: float) -> bool:
    """Could this article be a piece of its best counterpart (before the joining test)?"""
    return score >= WEAK and cover >= PIECE and topic >= 1


def _joined_ratio(whole: str, parts: list[str]) -> float:
    return fuzz.ratio(whole, "".join(parts))


def _coverage(whole: list[str], parts: list[list[str]], weights: dict[str, float]) -> float:
    """IDF-weighted share of the words of ``whole`` that occur in any of ``parts``."""
    vocab = set(whole)
    found = set().union(*map(set, parts)) & vocab
    total = sum(weights.get(w, 1.0) for w in vocab)
    return sum(weights.get(w, 1.0) for w in found) / total if total else 0.0


def _joining_helps(p_whole: Prepared, w: int, p_parts: Prepared, before: list[int], after: list[int],
                   weights: dict[str, float]) -> bool:
    """The split/merge test: do the pieces together match the whole clearly better than before?

    Either the character ratio of the whole with the joined pieces rises by ``GAIN`` points, or
    the weighted share of the whole's words found in the pieces rises by ``COVER_GAIN``.
    """
    whole = p_whole.flat[w]
    if _joined_ratio(whole, [p_parts.flat[k] for k in after]) >= \
            _joined_ratio(whole, [p_parts.flat[k] for k in before]) + GAIN:
        return True
    toks = p_whole.tokens[w]
    return (_coverage(toks, [p_parts.tokens[k] for k in after], weights)
            >= _coverage(toks, [p_parts.tokens[k] for k in before], weights) + COVER_GAIN)


def _attach_pieces(pw: Prepared, pp: Prepared, score: np.ndarray, cover: np.ndarray, topic: np.ndarray,
                   whole_of: dict[int, list[int]], pieces_of: dict[int, list[int]],
                   weights: dict[str, float], mark) -> None:
    """Attach each unlinked article of ``pp`` to its best linked counterpart in ``pw`` when it
    could be a piece of it and joining it makes the whole match better (matrices are pw × pp)."""
    if not pw.n:
        return
    for j in np.argsort(-cover.max(axis=0)):
        j = int(j)
        if j in whole_of:
            continue
        i = int(np.argmax(score[:, j]))
        if i not in pieces_of or not _piece(score[i, j], cover[i, j], topic[i, j]) \
                or len(whole_of.get(pieces_of[i][0], [])) > 1:  # never a split of a merge
            continue
        parts = sorted(pieces_of[i] + [j])
        if _joining_helps(pw, i, pp, pieces_of[i], parts, weights):
            pieces_of[i] = parts
            whole_of[j] = [i]
            mark(i, j)


def _grow_groups(pa: Prepared, pb: Prepared, s: Scores, pairs: dict[tuple[int, int], str],
                 weights: dict[str, float]) -> list[Link]:
    """Turn one-to-one pairs into links, adding split pieces (a→b, b') and merged pieces (a, a'→b)."""
    b_of = {i: [j] for i, j in pairs}          # a index → b indices
    a_of = {j: [i] for i, j in pairs}          # b index → a indices
    method = dict(pairs)
    # split: b_j unmatched, its words inside a_i (already linked); merge: the same, transposed
    _attach_pieces(pa, pb, s.combined, s.cover_b, s.topic, a_of, b_of, weights,
                   lambda i, j: method.update({(i, j): "split-test"}))
    _attach_pieces(pb, pa, s.combined.T, s.cover_a.T, s.topic.T, b_of, a_of, weights,
                   lambda j, i: method.update({(i, j): "merge-test"}))
    links: list[Link] = []
    for i, js in b_of.items():
        for j in js:
            if len(js) > 1:
                whole = _joined_ratio(pa.flat[i], [pb.flat[k] for k in js])
                links.append(Link(i, j, whole, "split", method.get((i, j), "fuzzy")))
            elif len(a_of[j]) > 1:
                whole = _joined_ratio(pb.flat[j], [pa.flat[k] for k in a_of[j]])
                links.append(Link(i, j, whole, "merged", method.get((i, j), "fuzzy")))
            else:
                links.append(_one_to_one(pa, pb, s, i, j, method[(i, j)]))
    return links


def _one_to_one(pa: Prepared, pb: Prepared, s: Scores, i: int, j: int, how: str) -> Link:
    sc = float(s.combined[i, j])
    if pa.flat[i] == pb.flat[j]:
        return Link(i, j, 100.0, "identical", "exact")
    if not np.isnan(s.heading[i, j]) and s.heading[i, j] >= 80 and \
            0.5 * s.char[i, j] + 50 * s.cosine[i, j] < STRONG <= sc:
        how = "heading"
    strong = sc >= STRONG or (how in CORROBORATED and sc >= WEAK_STRONG)
    return Link(i, j, sc, "modified" if strong else "partial", how)


def _partials(pa: Prepared, pb: Prepared, s: Scores, links: list[Link]) -> list[Link]:
    """Weak links for articles still unmatched whose words largely lie in one counterpart."""
    in_a = {l.i for l in links}
    in_b = {l.j for l in links}
    extra = []
    for i in range(pa.n):
        if i in in_a or not pb.n:
            continue
        j = int(np.argmax(s.combined[i]))
        if s.combined[i, j] >= PARTIAL and s.cover_a[i, j] >= CONTAIN:
            extra.append(Link(i, j, float(s.combined[i, j]), "partial", "containment"))
    for j in range(pb.n):
        if j in in_b or not pa.n:
            continue
        i = int(np.argmax(s.combined[:, j]))
        if s.combined[i, j] >= PARTIAL and s.cover_b[i, j] >= CONTAIN:
            extra.append(Link(i, j, float(s.combined[i, j]), "partial", "containment"))
    return extra


def _moved(links: list[Link]) -> set[tuple[int, int]]:
    """Links outside the longest order-preserving chain: the provisions that moved."""
    pairs = sorted({(l.i, l.j) for l in links if l.relation != "partial"})
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


def link_articles(pa: Prepared, pb: Prepared, vocab: Vocabulary | None = None) -> tuple[list[Link], Scores]:
    """All links between two prepared regulations (no unmatched rows)."""
    s = score_pairs(pa, pb, vocab)
    vocab = vocab or Vocabulary([pa, pb])
    weights = dict(zip(vocab.index, vocab.idf))
    links = _grow_groups(pa, pb, s, _assign(s, pa.n, pb.n), weights)
    links += _partials(pa, pb, s, links)
    return links, s


def align(a: Regulation, b: Regulation) -> pd.DataFrame:
    """Article-level alignment of ``a`` with ``b``.

    One row per link (many-to-many: splits and merges give several rows) and one row per
    unmatched article with NA on the other side. Columns: a_article, b_article (Int64),
    score (0–100), relation (identical, modified, split, merged, partial, deleted, added),
    method (exact, fuzzy, heading, split-test, merge-test, containment), moved (bool),
    a_label, b_label.
    """
    pa, pb = prepare(a), prepare(b)
    links, _ = link_articles(pa, pb)
    return _align_frame(pa, pb, links)


def _align_frame(pa: Prepared, pb: Prepared, links: list[Link]) -> pd.DataFrame:
    moved = _moved(links)
    rows = []
    for l in links:
        rows.append((l.i, l.j, round(float(l.score), 1), l.relation, l.method, (l.i, l.j) in moved))
    linked_a = {l.i for l in links}
    linked_b = {l.j for l in links}
    rows += [(i, None, np.nan, "deleted", "unmatched", False) for i in range(pa.n) if i not in linked_a]
    rows += [(None, j, np.nan, "added", "unmatched", False) for j in range(pb.n) if j not in linked_b]
    rows.sort(key=_reading_order(rows))
    out = pd.DataFrame({
        "a_article": pd.array([pa.articles[r[0]].number if r[0] is not None else None for r in rows], "Int64"),
        "b_article": pd.array([pb.articles[r[1]].number if r[1] is not None else None for r in rows], "Int64"),
        "score": pd.array([r[2] for r in rows], "Float64"),
        "relation": [r[3] for r in rows],
        "method": [r[4] for r in rows],
        "moved": [r[5] for r in rows],
        "a_label": [pa.articles[r[0]].label if r[0] is not None else "" for r in rows],
        "b_label": [pb.articles[r[1]].label if r[1] is not None else "" for r in rows],
    })
    out.attrs["a_index"] = [r[0] for r in rows]
    out.attrs["b_index"] = [r[1] for r in rows]
    return out


def _reading_order(rows):
    """Sort key: b's order; an article only in a follows its nearest earlier linked a-neighbour."""
    b_key = {}
    for r in rows:
        if r[0] is not None and r[1] is not None:
            b_key.setdefault(r[0], (r[1], r[0]))
    def key(r):
        i, j = r[0], r[1]
        if j is not None:
            return (j, 0, i if i is not None else -1)
        prev = [b_key[k] for k in b_key if k < i]
        anchor = max(prev, key=lambda t: t[1]) if prev else (-1, -1)
        return (anchor[0], 1, i)
    return key


# -- below the article --------------------------------------------------------------------------
def word_diff(a_text: str, b_text: str) -> list[tuple[str, str]]:
    """Word-level diff (jieba tokens) turning ``a_text`` into ``b_text``.

    A list of (tag, text) with tag in equal/delete/insert; joining the equal+delete texts gives
    ``a_text`` and joining the equal+insert texts gives ``b_text``.
    """
    tok = tokenizer()
    ta, tb = tok.lcut(a_text, HMM=False), tok.lcut(b_text, HMM=False)
    ops: list[tuple[str, str]] = []

    def add(tag: str, text: str) -> None:
        if not text:
            return
        if ops and ops[-1][0] == tag:
            ops[-1] = (tag, ops[-1][1] + text)
        else:
            ops.append((tag, text))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        if tag == "equal":
            add("equal", "".join(ta[i1:i2]))
        else:
            add("delete", "".join(ta[i1:i2]))
            add("insert", "".join(tb[j1:j2]))
    return _absorb_short_equals(ops)


def _absorb_short_equals(ops: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A one-character 'equal' between changes reads as noise: fold it into the change."""
    out: list[tuple[str, str]] = []
    for k, (tag, text) in enumerate(ops):
        if (tag == "equal" and len(R.NON_WORD.sub("", text)) <= 1 and 0 < k < len(ops) - 1
                and ops[k - 1][0] != "equal" and ops[k + 1][0] != "equal"):
            out += [("delete", text), ("insert", text)]
        else:
            out.append((tag, text))
    return _canonical_order(out)


def _canonical_order(ops: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Within a run of changes, all deletions first, then all insertions, each merged."""
    out: list[tuple[str, str]] = []
    run_d, run_i = [], []
    for tag, text in ops + [("equal", "")]:
        if tag == "delete":
            run_d.append(text)
        elif tag == "insert":
            run_i.append(text)
        else:
            if run_d:
                out.append(("delete", "".join(run_d)))
            if run_i:
                out.append(("insert", "".join(run_i)))
            run_d, run_i = [], []
            if text:
                if out and out[-1][0] == "equal":
                    out[-1] = ("equal", out[-1][1] + text)
                else:
                    out.append(("equal", text))
    return out


def _units(art: Article) -> list[tuple[int, int | None, str]]:
    """An article's paragraphs (their own words, without items) and items, in order."""
    out = []
    for p in art.paragraphs:
        out.append((p.number, None, p.lead_in if p.items else p.text))
        out += [(p.number, it.number, it.text) for it in p.items]
    return [u for u in out if u[2].strip()]


def align_units(a: Article, b: Article) -> pd.DataFrame:
    """Paragraph- and item-level correspondence inside one aligned article pair.

    Columns: a_paragraph, a_item, b_paragraph, b_item (Int64; NA = no counterpart), score,
    relation (identical, modified, deleted, added), a_text, b_text.
    """
    ua, ub = _units(a), _units(b)
    fa = [R.NON_WORD.sub("", neutralize(u[2])) for u in ua]
    fb = [R.NON_WORD.sub("", neutralize(u[2])) for u in ub]
    pairs: list[tuple[int, int]] = []
    if ua and ub:
        sc = process.cdist(fa, fb, scorer=fuzz.ratio, workers=-1)
        rows, cols = linear_sum_assignment(-sc)
        pairs = [(int(i), int(j)) for i, j in zip(rows, cols) if sc[i, j] >= 50]
    matched_a = {i for i, _ in pairs}
    matched_b = {j for _, j in pairs}
    recs = []
    for i, j in pairs:
        s = fuzz.ratio(fa[i], fb[j])
        recs.append((ua[i], ub[j], round(s, 1), "identical" if fa[i] == fb[j] else "modified", j, i))
    recs += [(ua[i], None, np.nan, "deleted", -1, i) for i in range(len(ua)) if i not in matched_a]
    recs += [(None, ub[j], np.nan, "added", j, -1) for j in range(len(ub)) if j not in matched_b]
    recs.sort(key=lambda r: (r[4] if r[4] >= 0 else _prev_b(pairs, r[5]) + 0.5, r[5]))
    return pd.DataFrame({
        "a_paragraph": pd.array([r[0][0] if r[0] else None for r in recs], "Int64"),
        "a_item": pd.array([r[0][1] if r[0] else None for r in recs], "Int64"),
        "b_paragraph": pd.array([r[1][0] if r[1] else None for r in recs], "Int64"),
        "b_item": pd.array([r[1][1] if r[1] else None for r in recs], "Int64"),
        "score": pd.array([r[2] for r in recs], "Float64"),
        "relation": [r[3] for r in recs],
        "a_text": [r[0][2] if r[0] else "" for r in recs],
        "b_text": [r[1][2] if r[1] else "" for r in recs],
    })


def _prev_b(pairs: list[tuple[int, int]], i: int) -> float:
    earlier = [j for k, j in pairs if k < i]
    return max(earlier) if earlier else -1


# -- the clause-diff table ----------------------------------------------------------------------
RELATION_ZH = {"identical": "相同", "modified": "修改", "split": "拆分", "merged": "合并",
               "partial": "部分对应", "deleted": "删除", "added": "新增"}


def _note(row: dict, split_to: dict[int, list[str]], merged_from: dict[int, list[str]],
          ops: list[tuple[str, str]], raw_equal: bool) -> str:
    rel = row["relation"]
    if rel == "identical":
        note = "相同" if raw_equal else "相同（仅地名等表述不同）"
    elif rel == "split":
        note = "拆分为" + "、".join(split_to[row["_i"]])
    elif rel == "merged":
        note = "、".join(merged_from[row["_j"]]) + "合并为" + row["b_label"]
    elif rel in ("modified", "partial"):
        dels = [t for g, t in ops if g == "delete" and R.NON_WORD.sub("", t)]
        ins = [t for g, t in ops if g == "insert" and R.NON_WORD.sub("", t)]
        parts = []
        if dels:
            parts.append(f"删除{len(dels)}处")
        if ins:
            parts.append(f"增加{len(ins)}处")
        note = RELATION_ZH[rel] + ("（" + "、".join(parts) + "）" if parts else "")
    else:
        note = RELATION_ZH[rel]
    if row["moved"]:
        note += "；条序调整"
    return note


def compare(a: Regulation, b: Regulation) -> ClauseDiff:
    """A clause-by-clause comparison (条文对照表) of ``a`` with ``b``.

    ``.frame`` extends :func:`align` with labels, headings, texts, a Chinese note (说明) and the
    word-level diff ``ops``; ``.summary()``, ``.units()``, ``.to_excel``, ``.to_docx``, ``.to_html``.
    """
    pa, pb = prepare(a), prepare(b)
    links, _ = link_articles(pa, pb)
    base = _align_frame(pa, pb, links)
    ia, ib = base.attrs["a_index"], base.attrs["b_index"]
    split_to: dict[int, list[str]] = {}
    merged_from: dict[int, list[str]] = {}
    for i, j, rel in zip(ia, ib, base["relation"]):
        if rel == "split":
            split_to.setdefault(i, []).append(pb.articles[j].label)
        elif rel == "merged":
            merged_from.setdefault(j, []).append(pa.articles[i].label)
    records = []
    for k, row in enumerate(base.to_dict("records")):
        i, j = ia[k], ib[k]
        at = pa.articles[i] if i is not None else None
        bt = pb.articles[j] if j is not None else None
        a_text, b_text = (at.text if at else ""), (bt.text if bt else "")
        if at and bt:
            ops = word_diff(a_text, b_text)
        else:
            ops = [("delete", a_text)] if at else [("insert", b_text)]
        row.update(_i=i, _j=j)
        records.append({
            "a_article": row["a_article"], "a_label": row["a_label"], "a_heading": at.heading if at else None,
            "a_text": a_text, "b_article": row["b_article"], "b_label": row["b_label"],
            "b_heading": bt.heading if bt else None, "b_text": b_text, "score": row["score"],
            "relation": row["relation"], "method": row["method"], "moved": row["moved"],
            "note": _note(row, split_to, merged_from, ops, a_text == b_text), "ops": ops,
        })
    frame = pd.DataFrame(records, columns=FRAME_COLUMNS)
    for c in ("a_article", "b_article"):
        frame[c] = frame[c].astype("Int64")
    frame["score"] = frame["score"].astype("Float64")
    return ClauseDiff(a=a, b=b, frame=frame)


def diff_summary(cd: ClauseDiff) -> pd.DataFrame:
    """Counts by relation (articles of a and of b involved) and the share of each text reused.

    The reused share of a side is the share of its characters in articles linked as identical,
    modified, split or merged, weighted by the link score.
    """
    f = cd.frame
    rows = []
    for rel in RELATIONS:
        sub = f[f["relation"] == rel]
        rows.append({"relation": rel, "说明": RELATION_ZH[rel], "links": len(sub),
                     "a_articles": sub["a_article"].dropna().nunique(),
                     "b_articles": sub["b_article"].dropna().nunique()})
    out = pd.DataFrame(rows).set_index("relation")
    out.attrs["reused_a"] = reused_share(f, "a")
    out.attrs["reused_b"] = reused_share(f, "b")
    out.attrs["moved"] = int(f["moved"].sum())
    return out


def reused_share(frame: pd.DataFrame, side: str) -> float:
    """Share (0–1) of one side's article text that has a strong counterpart, weighted by score."""
    key, text = f"{side}_article", f"{side}_text"
    total = frame.drop_duplicates(key).dropna(subset=[key])[text].str.len().sum()
    strong = frame[frame["relation"].isin(["identical", "modified", "split", "merged"])]
    best = strong.sort_values("score", ascending=False).drop_duplicates(key)
    reused = (best[text].str.len() * best["score"].astype(float) / 100.0).sum()
    return float(reused / total) if total else 0.0


# -- many regulations ---------------------------------------------------------------------------
STRONG_RELATIONS = ("identical", "modified", "split", "merged")


def column_names(regs: Sequence[Regulation]) -> list[str]:
    """Short unique column names: the jurisdiction (草案 marked), else the doc_id."""
    names = [(r.jurisdiction or r.doc_id or f"doc{k}") + ("（草案）" if r.status == "draft" and r.jurisdiction else "")
             for k, r in enumerate(regs)]
    return [n if names.count(n) == 1 else (r.doc_id or f"{n}#{k}") for k, (n, r) in enumerate(zip(names, regs))]


def _resolve(regs: Sequence[Regulation], ref) -> int:
    if isinstance(ref, Regulation):
        for k, r in enumerate(regs):
            if r is ref:
                return k
        raise ValueError("the reference regulation is not among the regulations compared")
    if isinstance(ref, int):
        return ref
    for k, r in enumerate(regs):
        if r.doc_id == ref:
            return k
    raise KeyError(f"no regulation with doc_id {ref!r}")


def _regs(corpus_or_regs) -> list[Regulation]:
    if isinstance(corpus_or_regs, Regulation):
        return [corpus_or_regs]
    docs = getattr(corpus_or_regs, "docs", None)
    return list(docs if docs is not None else corpus_or_regs)


def compare_many(regs, reference=0):
    """Coverage of the ``reference``'s articles in every other regulation.

    Returns a :class:`~pingan_corpus.models.Coverage`: ``.frame`` (rows: the reference's
    articles, columns: jurisdictions, cells such as "第12条 (87)"; several counterparts are
    joined by "、"), ``.scores`` (best score per cell, NaN when there is no strong counterpart),
    ``.links`` (the long table) and ``.plot()``.
    """
    from ..models import Coverage

    regs = _regs(regs)
    k_ref = _resolve(regs, reference)
    prepared = [prepare(r) for r in regs]
    vocab = Vocabulary(prepared)
    names = column_names(regs)
    ref = prepared[k_ref]
    rows = [f"{a.label}" + (f"【{a.heading}】" if a.heading else "") for a in ref.articles]
    cells = pd.DataFrame("", index=rows, columns=[n for k, n in enumerate(names) if k != k_ref])
    scores = pd.DataFrame(np.nan, index=rows, columns=cells.columns)
    long = []
    for k, p in enumerate(prepared):
        if k == k_ref:
            continue
        links, _ = link_articles(ref, p, vocab)
        for l in sorted(links, key=lambda l: (l.i, -l.score)):
            if l.relation not in STRONG_RELATIONS:
                continue
            art = p.articles[l.j]
            label = f"{art.label} ({l.score:.0f})"
            cells.iat[l.i, cells.columns.get_loc(names[k])] = \
                "、".join(filter(None, [cells.iat[l.i, cells.columns.get_loc(names[k])], label]))
            cur = scores.iat[l.i, scores.columns.get_loc(names[k])]
            scores.iat[l.i, scores.columns.get_loc(names[k])] = l.score if np.isnan(cur) else max(cur, l.score)
            long.append({"reference_article": ref.articles[l.i].number, "doc_id": p.reg.doc_id,
                         "jurisdiction": names[k], "article_no": art.number, "score": round(l.score, 1),
                         "relation": l.relation})
    return Coverage(reference=regs[k_ref], frame=cells, scores=scores,
                    links=pd.DataFrame(long, columns=["reference_article", "doc_id", "jurisdiction",
                                                      "article_no", "score", "relation"]))


def pairwise_links(regs) -> pd.DataFrame:
    """Every link between every pair of regulations (each pair once, a before b in input order).

    Columns: doc_a, article_a, doc_b, article_b, score, relation, method. Scoring uses one
    vocabulary for the whole set, so words shared by most articles of the corpus weigh little.
    """
    regs = _regs(regs)
    prepared = [prepare(r) for r in regs]
    vocab = Vocabulary(prepared)
    out = []
    for x in range(len(prepared)):
        for y in range(x + 1, len(prepared)):
            pa, pb = prepared[x], prepared[y]
            links, _ = link_articles(pa, pb, vocab)
            out += [(pa.reg.doc_id, pa.articles[l.i].number, pb.reg.doc_id, pb.articles[l.j].number,
                     round(l.score, 1), l.relation, l.method) for l in links]
    return pd.DataFrame(out, columns=["doc_a", "article_a", "doc_b", "article_b", "score", "relation", "method"])


def similarity(regs, links: pd.DataFrame | None = None) -> pd.DataFrame:
    """Document × document share of aligned text (0–1): row doc's characters, weighted by link
    score, that lie in articles with a strong counterpart in the column doc. Not symmetric: a
    short regulation can lie wholly inside a long one."""
    regs = _regs(regs)
    links = pairwise_links(regs) if links is None else links
    names = column_names(regs)
    ids = [r.doc_id for r in regs]
    length = {(r.doc_id, a.number): len(a.text) for r in regs for a in r.articles}
    total = {r.doc_id: sum(len(a.text) for a in r.articles) or 1 for r in regs}
    m = pd.DataFrame(np.eye(len(regs)), index=names, columns=names)
    strong = links[links["relation"].isin(STRONG_RELATIONS)]
    for side, other in (("a", "b"), ("b", "a")):
        best = strong.groupby([f"doc_{side}", f"article_{side}", f"doc_{other}"])["score"].max().reset_index()
        for (d, o), grp in best.groupby([f"doc_{side}", f"doc_{other}"]):
            reused = sum(length[(d, n)] * s / 100.0 for n, s in zip(grp[f"article_{side}"], grp["score"]))
            m.iat[ids.index(d), ids.index(o)] = reused / total[d]
    return m


def provision_families(regs, links: pd.DataFrame | None = None, min_size: int = 2) -> pd.DataFrame:
    """Clusters of equivalent articles across regulations, each with a label.

    Strong links form a graph; a connected component holding two articles of one document is
    split by Louvain communities (seeded, so results repeat). The label is the most frequent
    heading, else the words most members share (IDF-weighted). One row per member: family,
    label, size, doc_id, jurisdiction, article_no, heading, text.
    """
    import networkx as nx

    regs = _regs(regs)
    links = pairwise_links(regs) if links is None else links
    by_key = {(r.doc_id, a.number): (r, a) for r in regs for a in r.articles}
    g = nx.Graph()
    for row in links[links["relation"].isin(STRONG_RELATIONS)].itertuples():
        g.add_edge((row.doc_a, row.article_a), (row.doc_b, row.article_b), weight=row.score)
    groups = []
    todo = [set(c) for c in nx.connected_components(g)]
    while todo:
        comp = todo.pop()
        docs = [d for d, _ in comp]
        parts = [] if len(set(docs)) == len(docs) else \
            nx.community.louvain_communities(g.subgraph(comp), weight="weight", seed=0)
        if len(parts) > 1:
            todo += [set(p) for p in parts]
        elif len(set(docs)) < len(docs):  # Louvain cannot cut it: drop its weakest link
            sub = g.subgraph(comp)
            u, v, _ = min(sub.edges(data="weight"), key=lambda e: (e[2], e[0], e[1]))
            g.remove_edge(u, v)
            todo += [set(c) for c in nx.connected_components(g.subgraph(comp))]
        else:
            groups.append(comp)
    prepared = {r.doc_id: prepare(r) for r in regs}
    vocab = Vocabulary(prepared.values())
    idf = dict(zip(vocab.index, vocab.idf))
    groups = [sorted(c) for c in groups if len(c) >= min_size]
    groups.sort(key=lambda c: (-len(c), c[0]))
    rows = []
    for fam, members in enumerate(groups, start=1):
        label = _family_label([by_key[k][1] for k in members], prepared, members, idf)
        for d, n in members:
            reg, art = by_key[(d, n)]
            rows.append({"family": fam, "label": label, "size": len(members), "doc_id": d,
                         "jurisdiction": reg.jurisdiction, "article_no": n, "heading": art.heading,
                         "text": art.text})
    return pd.DataFrame(rows, columns=["family", "label", "size", "doc_id", "jurisdiction", "article_no",
                                       "heading", "text"])


def _family_label(arts: list[Article], prepared: dict[str, Prepared], members, idf: dict[str, float]) -> str:
    heads = [a.heading for a in arts if a.heading]
    if heads:
        return pd.Series(heads).mode().iloc[0]
    counts: dict[str, int] = {}
    for d, n in members:
        p = prepared[d]
        k = next(i for i, a in enumerate(p.articles) if a.number == n)
        for w in set(p.tokens[k]):
            counts[w] = counts.get(w, 0) + 1
    shared = [w for w, c in counts.items() if c * 2 >= len(members) and len(w) >= 2
              and w not in (_PLACE, _SELF)]
    shared.sort(key=lambda w: (-counts[w] * idf.get(w, 1.0), w))
    return "·".join(shared[:3]) or "（无共同词）"


def diffusion_edges(regs, sim: pd.DataFrame | None = None, min_share: float = 0.2) -> pd.DataFrame:
    """Who may have borrowed from whom: for every pair sharing at least ``min_share`` of text, an
    edge from the earlier document to the later one, weighted by the share of the later text
    found in the earlier. The date is the adoption date, else the effective date; a pair where
    either is undated (drafts) gets ``direction`` "undated" and is oriented by input order.

    Shared text is evidence of a common model, not proof of direct copying: two regulations can
    both follow a third (a national template) that is not in the corpus.
    """
    regs = _regs(regs)
    sim = similarity(regs) if sim is None else sim
    names = list(sim.index)
    rows = []
    for x in range(len(regs)):
        for y in range(x + 1, len(regs)):
            dx = regs[x].adopted or regs[x].effective
            dy = regs[y].adopted or regs[y].effective
            if dx and dy and dy < dx:
                src, dst = y, x
            else:
                src, dst = x, y
            share = float(sim.iat[dst, src])  # the later text found in the earlier
            if max(share, float(sim.iat[src, dst])) < min_share:
                continue
            ds, dd = (regs[src].adopted or regs[src].effective), (regs[dst].adopted or regs[dst].effective)
            rows.append({"source": names[src], "target": names[dst], "share": round(share, 3),
                         "reverse_share": round(float(sim.iat[src, dst]), 3), "source_date": ds,
                         "target_date": dd, "direction": "dated" if ds and dd and ds != dd else "undated"})
    return pd.DataFrame(rows, columns=["source", "target", "share", "reverse_share", "source_date",
                                       "target_date", "direction"])
