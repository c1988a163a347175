"""Corpus-wide alignment: every pair of equivalent provisions, on one machine or on Dask.

:func:`align_all` runs the same steps whatever the engine, on partitions of ``chunk_size``
documents:

1. **prepare** each partition (:func:`pingan_corpus.align.prepare.prepare`, jieba run once per
   distinct neutralised text in each process): flat texts, words, headings, a stable key per
   text, and the partition's word document frequencies — a LazyCorpus or an iterator is parsed
   a partition per worker at a time, so the Regulation trees are never all held;
2. **vocabulary**: the frequencies are summed into one IDF for the corpus (as
   :func:`~pingan_corpus.align.many.pairwise_links` does); a partition's articles become sparse
   TF-IDF and presence rows in the scoring tasks that need them (the last few are kept);
3. **blocking** (:mod:`pingan_corpus.align.blocking`): near texts (top-k sparse products in row
   chunks), copies of the same text, related documents;
4. **scoring** the candidate pairs only, with the signals of
   :func:`~pingan_corpus.align.scores.score_pairs` (character ratio, word cosine, containment,
   topic words, headings), then, for each document pair with candidates, the relation logic
   of :func:`~pingan_corpus.align.relations.link` (global assignment, corroboration,
   split/merge tests, partials) on the candidate entries, a pair that is not a candidate
   scoring 0. Document pairs whose candidates share no row or column take a vectorised path;
   the others go through the relation engine on a sparse table of their candidates (or a dense
   one when candidates are many).

With every pair a candidate the result *is* ``pairwise_links`` (tests pin it); on the bundled
regulations the default blocking keeps every link exhaustive scoring finds above ``LINK``. On
corpora of near-copies the default links form a sparse neighbour graph instead of all pairs:
each text's ``k`` nearest texts, the first ``fanout`` copies of a text, a document's ``doc_k``
nearest documents — the count of what was left out is in ``frame.attrs["blocking"]``, and
:func:`recall_against_exhaustive` measures it on a sample. ``complete=True`` lifts the caps
(every pair, quadratic in the copies) and ``out=`` streams the links to Parquet parts, one per
scoring task as soon as it is scored, instead of returning them (:class:`StoredLinks`).

No step holds an articles × articles matrix: products are cut into ``ROW_CHUNK`` rows, the
document neighbours are a dense documents × 1024 sketch (N² × 1024 multiply-adds: seconds at
10,000 documents), scoring runs in tasks of whole document pairs and about ``TASK_PAIRS``
candidates, and the relation logic works on one document pair at a time. The local
engine runs the steps in this process or in ``workers`` forked processes; the Dask engine
submits the same functions to a ``dask.distributed`` cluster, so both give the same frame."""
from __future__ import annotations

import functools
import gc
import itertools
import json
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from ..errors import ArgumentError, MissingFileError, OutputExistsError, require
from ..models import Regulation, as_regulations
from ..progress import progress_bar
from . import blocking as B
from .prepare import Prepared, Vocabulary, prepare, words_cache
from .relations import (
    STRONG_RELATIONS,
    DenseTable,
    Link,
    LoneLinks,
    SparseTable,
    diagonal_keys,
    pair_unit_score,
    placed_links,
    referring_apart,
    relabel,
    sandwiched,
)
from .scores import Scores, WordRows, pair_signals, word_rows
from .thresholds import LINK

LINK_COLUMNS = ["doc_a", "article_a", "doc_b", "article_b", "score", "relation", "method"]
CHUNK_SIZE = 500         # documents per partition
TASK_PAIRS = 250_000     # candidate pairs per scoring task (about 0.5 GB of signals at most)
# tasks a forked worker runs before a fresh fork replaces it: a worker copies the pages of the
# parent it writes to (reference counts of what it reads, allocations in the parent's free slots),
# up to the parent's whole heap over a long step; at N = 10,000 rounds of 5 tasks halved the
# workers' private memory (1.5 → 0.85 GB) for 20 % more scoring time (caches start cold)
ROUND_TASKS = 100
EXPAND_PIECE = 500_000   # near-text pairs expanded to article pairs at a time
_NONE: frozenset = frozenset()


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
    units: list[list[list[tuple[str, list[str], bool]]]] | None = None  # Prepared.units per article
    # Prepared.liability of every article of the partition in a row, NaN where not known
    liability: np.ndarray | None = None
    refs: list[list[tuple[int, ...]]] | None = None  # Prepared.refs per document

    @property
    def counts(self) -> list[int]:
        return [len(f) for f in self.flats]

    @functools.cached_property
    def refers(self) -> np.ndarray:
        """Per article of the partition in a row: does it refer to articles of its own text (Prepared.refs)?"""
        if self.refs is None:
            return np.zeros(sum(self.counts), bool)
        return np.fromiter((bool(r) for rs in self.refs for r in rs), bool, count=sum(self.counts))

    @functools.cached_property
    def article_start(self) -> np.ndarray:
        """Where each document's articles begin among the partition's."""
        return np.concatenate([[0], np.cumsum(self.counts)]).astype(np.int64)

    def prepared(self, d: int) -> Prepared:
        """Document d (index in the partition) as a Prepared without its Regulation (article numbers
        stand for the articles)."""
        lia = None
        if self.liability is not None:
            start = self.article_start[d]
            lia = self.liability[start:start + len(self.flats[d])]
        return Prepared(reg=None, articles=self.numbers[d], flat=self.flats[d], tokens=self.tokens[d],
                        headings=self.headings[d], units=self.units[d] if self.units is not None else None,
                        liability=lia, refs=self.refs[d] if self.refs is not None else None)


def prepare_part(regs: Sequence[Regulation], first_doc: int = 0) -> Part:
    """:func:`~pingan_corpus.align.prepare.prepare` for each regulation, jieba run once per distinct text."""
    # the words of a neutralised text depend on the text alone (alignment's own segmenter): the
    # process-wide cache of prepare.words serves every partition, so a provision copied across
    # the corpus is cut once per process
    numbers, flats, tokens, headings, units, liability, refs = [], [], [], [], [], [], []
    df: Counter = Counter()
    for reg in regs:
        p = prepare(reg, words_cache())
        numbers.append([a.number for a in p.articles])
        flats.append(p.flat)
        tokens.append(p.tokens)
        headings.append(p.headings)
        units.append(p.units)
        liability.append(p.liability_row())
        refs.append(p.refs)
        for t in p.tokens:
            df.update(set(t))
    keys = np.fromiter((B.text_key(t) for f in flats for t in f), dtype=np.int64)
    return Part(first_doc, [r.doc_id for r in regs], numbers, flats, tokens, headings, keys, df, units,
                np.concatenate(liability) if liability else np.zeros(0, np.float32), refs)


def share_values(parts: Sequence[Part], pool: dict | None = None) -> dict:
    """Equal texts, word lists and units of the partitions made one object each (in place).

    A corpus repeats its provisions: 2,050,680 articles hold 147,324 distinct texts at N = 50,000.
    Prepared in separate processes or partitions, each article held its own copies (about 1.1 kB);
    shared, the partitions take a fraction of that in this process and in every forked scoring
    worker that reads them. ``pool`` (returned) carries the shared objects over to later batches."""
    pool = {} if pool is None else pool

    def one(x, key):
        return pool.setdefault(key, x)

    for part in parts:
        part.flats = [[one(f, f) for f in fs] for fs in part.flats]
        part.headings = [[one(h, h) for h in hs] for hs in part.headings]
        part.tokens = [[one(t, ("t", *t)) for t in ts] for ts in part.tokens]
        if part.units is not None:
            part.units = [[one(u, ("u", *((f, *w, i) for f, w, i in u))) if u else u for u in us]
                          for us in part.units]
    return pool


# -- 2. vocabulary and word rows ----------------------------------------------------------------
def part_rows(part: Part, vocab: Vocabulary) -> WordRows:
    return word_rows((part.prepared(d) for d in range(len(part.doc_ids))), vocab)


# -- 4. scoring and relations -------------------------------------------------------------------
def _signals(px: Part, wx: WordRows, py: Part, wy: WordRows, i: np.ndarray, j: np.ndarray) -> dict:
    return pair_signals([t for f in px.flats for t in f], [t for f in px.headings for t in f], wx,
                        [t for f in py.flats for t in f], [t for f in py.headings for t in f], wy, i, j,
                        px.liability, py.liability)


def _dense_from_entries(n: int, m: int, ii: np.ndarray, jj: np.ndarray, sig: dict, sel: np.ndarray) -> DenseTable:
    """A document pair's candidate entries as a dense table, the other pairs scoring 0."""
    mats = {}
    for name in ("char", "cosine", "cover_a", "cover_b", "topic", "combined", "specific"):
        z = np.zeros((n, m))
        z[ii, jj] = sig[name][sel]
        mats[name] = z
    h = np.full((n, m), np.nan)
    h[ii, jj] = sig["heading"][sel]
    return DenseTable(Scores(heading=h, **mats))


def _alone(dp: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """True for candidates that no other candidate of their document pair (dp) shares a row or a
    column with."""
    out = np.ones(len(dp), bool)
    for side in (i, j):
        key = np.lexsort((side, dp))
        d, x = dp[key], side[key]
        dup = np.flatnonzero((d[1:] == d[:-1]) & (x[1:] == x[:-1]))
        out[key[dup]] = False
        out[key[dup + 1]] = False
    return out


def score_block(px: Part, wx: WordRows, py: Part, wy: WordRows, a: np.ndarray, b: np.ndarray,
                weights: dict[str, float]) -> pd.DataFrame:
    """Links of the candidate pairs between partition px (article rows a) and py (rows b).

    ``a``/``b`` are row indices inside the partitions (px's documents come first in the corpus
    or px is py). Returns LINK_COLUMNS plus the corpus indices used for ordering.
    """
    sig = _signals(px, wx, py, wy, a, b)
    sx, sy = px.article_start, py.article_start
    dx = np.searchsorted(sx, a, side="right") - 1
    dy = np.searchsorted(sy, b, side="right") - 1
    ii, jj = a - sx[dx], b - sy[dy]
    dp = dx * (len(py.doc_ids) + 1) + dy
    _, dp = np.unique(dp, return_inverse=True)
    fx = [t for f in px.flats for t in f]
    fy = [t for f in py.flats for t in f]
    # candidates alone in their row and column of their document pair are decided candidate by
    # candidate (LoneLinks); the others, a document pair at a time, by alignment's own functions
    alone = _alone(dp, ii, jj)
    same = np.fromiter((fx[u] == fy[v] for u, v in zip(a, b)), bool, count=len(a))
    nx = [n for ns in px.numbers for n in ns]
    ny = [n for ns in py.numbers for n in ns]
    cols = {"_x": [], "_y": [], "_i": [], "_j": [], "score": [], "relation": [], "method": []}

    def emit(t, i, j, score, relation, method):
        cols["_x"].append(dx[t])
        cols["_y"].append(dy[t])
        cols["_i"].append(i)
        cols["_j"].append(j)
        cols["score"].append(np.round(np.asarray(score, float), 1))
        cols["relation"].append(np.asarray(relation, object))
        cols["method"].append(np.asarray(method, object))

    # one Prepared per document for the whole task: the relation engine keeps the words of its
    # paragraphs and items on it, weighed once however many pairs the document is in
    made: dict[tuple[int, int], Prepared] = {}

    def prepared(side: int, part: Part, d: int) -> Prepared:
        got = made.get((side, d))
        if got is None:
            got = made[(side, d)] = part.prepared(d)
        return got

    other = 0 if px is py else 1
    idx = np.flatnonzero(alone)
    short_a = np.fromiter((len(fx[u]) <= len(fy[v]) for u, v in zip(a[idx], b[idx])), bool, count=len(idx))

    def unit_of(k: int) -> tuple[float, bool, bool]:
        q = idx[k]
        pa, pb = prepared(0, px, int(dx[q])), prepared(other, py, int(dy[q]))
        if pa.units is None or pb.units is None:
            return 0.0, False, False
        return pair_unit_score(pa, pb, int(ii[q]), int(jj[q]), bool(short_a[k]), weights)

    lone = LoneLinks({k_: v[idx] for k_, v in sig.items()}, same[idx], short_a, unit_of)
    # the others: their lone neighbours' kept and strong pairs, by document pair
    rest = np.flatnonzero(~alone)
    order = rest[np.argsort(dp[rest], kind="stable")]
    bounds = np.flatnonzero(np.diff(np.concatenate([[-1], dp[order], [-1]])))
    mixed = np.zeros(int(dp.max()) + 1 if len(dp) else 0, bool)
    mixed[dp[rest]] = True
    kept_around: dict[int, set] = {}
    strong_around: dict[int, set] = {}
    for flags, into in ((lone.kept, kept_around), (lone.strong, strong_around)):
        sel = idx[flags & mixed[dp[idx]]]
        for d, i, j in zip(dp[sel].tolist(), ii[sel].tolist(), jj[sel].tolist()):
            into.setdefault(d, set()).add((i, j))
    strong_rest: list[tuple[int, int, int]] = []
    for g in range(len(bounds) - 1):
        sel = order[bounds[g]:bounds[g + 1]]
        x, y, d = int(dx[sel[0]]), int(dy[sel[0]]), int(dp[sel[0]])
        pa, pb = prepared(0, px, x), prepared(other, py, y)
        if len(sel) * 40 < pa.n * pb.n:   # few candidates: visit them only
            table = SparseTable(pa.n, pb.n, ii[sel], jj[sel], sig, sel)
        else:                             # many: dense matrices are faster
            table = _dense_from_entries(pa.n, pb.n, ii[sel], jj[sel], sig, sel)
        links: list[Link] = placed_links(pa, pb, table, weights, kept_around.get(d, _NONE))
        strong_rest += [(d, lk.i, lk.j) for lk in links if lk.relation in STRONG_RELATIONS]
        links = relabel(sandwiched(table, links, strong_around.get(d, _NONE)))
        if links:
            t = np.full(len(links), sel[0])
            emit(t, np.array([lk.i for lk in links]), np.array([lk.j for lk in links]),
                 [float(lk.score) for lk in links], [lk.relation for lk in links], [lk.method for lk in links])
    around = diagonal_keys(*np.array(strong_rest, np.int64).reshape(-1, 3).T)
    t, score, relation, method = lone.finish(diagonal_keys(dp[idx], ii[idx], jj[idx]), around)
    t = idx[t]
    emit(t, ii[t], jj[t], score, relation, method)
    if not cols["_x"] or not sum(len(v) for v in cols["_x"]):
        return pd.DataFrame(columns=["_x", "_y", "_i", "_j"] + LINK_COLUMNS)
    x = np.concatenate(cols["_x"])
    y = np.concatenate(cols["_y"])
    i = np.concatenate(cols["_i"]).astype(np.int64)
    j = np.concatenate(cols["_j"]).astype(np.int64)
    relation = np.concatenate(cols["relation"])
    _referring_apart(px, py, x, y, i, j, relation)
    return pd.DataFrame({
        "_x": px.first_doc + x, "_y": py.first_doc + y, "_i": i, "_j": j,
        "doc_a": np.asarray(px.doc_ids, object)[x], "article_a": np.asarray(nx)[sx[x] + i],
        "doc_b": np.asarray(py.doc_ids, object)[y], "article_b": np.asarray(ny)[sy[y] + j],
        "score": np.concatenate(cols["score"]), "relation": relation,
        "method": np.concatenate(cols["method"]),
    })


def _referring_apart(px: Part, py: Part, x, y, i, j, relation: np.ndarray) -> None:
    """:func:`~.relations.referring_apart` on the links of a block (in place on ``relation``): only the
    document pairs with a strong link between two articles that refer to others are looked at."""
    if px.refs is None or py.refs is None or not len(x):
        return
    both = px.refers[px.article_start[x] + i] & py.refers[py.article_start[y] + j]
    if not both.any():
        return
    both &= np.isin(relation, STRONG_RELATIONS)
    key = x.astype(np.int64) * (int(y.max()) + 1) + y
    at = np.flatnonzero(np.isin(key, np.unique(key[both])))  # every link of those document pairs
    at = at[np.argsort(key[at], kind="stable")]
    for rows in np.split(at, np.flatnonzero(np.diff(key[at])) + 1):
        a, b = int(x[rows[0]]), int(y[rows[0]])
        relation[rows] = np.asarray(referring_apart(i[rows].tolist(), j[rows].tolist(), relation[rows].tolist(),
                                                    px.refs[a], py.refs[b]), object)


# -- engines ------------------------------------------------------------------------------------
class _Local:
    """Runs each step on this machine: in this process, or in ``workers`` forked processes.

    Forked workers inherit the step's inputs (nothing is pickled on the way in); only results
    come back; a step of many tasks forks fresh workers every ``ROUND_TASKS`` tasks each. Without
    fork (Windows, macOS spawn) the steps run in this process.
    """

    def __init__(self, workers: int = 1):
        import multiprocessing as mp

        self.workers = max(1, int(workers or 1))
        if self.workers > 1 and "fork" not in mp.get_all_start_methods():
            self.workers = 1

    @property
    def width(self) -> int:
        """Tasks that run at once."""
        return self.workers

    def scatter(self, obj):
        return obj

    def map(self, fn, *iterables, desc: str = "", progress=None):
        items = list(zip(*iterables))
        bar = progress_bar(progress, len(items), desc)
        out: list = [None] * len(items)
        if self.workers > 1 and len(items) > 1:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor, as_completed

            global _SHARED
            _SHARED = (fn, items)
            # the parent's objects out of the collector's reach: a collection in a forked worker would
            # otherwise write to every object's header and copy the whole inherited heap. No
            # collection first: it walks the whole heap, once per step and per round of workers —
            # at N = 50,000, millions of objects, seconds each, a cost that grows with the square
            # of the corpus (garbage frozen with the rest is collected after unfreeze)
            gc.freeze()
            try:
                # fresh workers every ROUND_TASKS tasks each: a worker's copies of the parent's pages
                # (written to by reference counts as it reads them) go with it
                size = max(1, ROUND_TASKS * self.workers)
                for lo in range(0, len(items), size):
                    with ProcessPoolExecutor(self.workers, mp_context=mp.get_context("fork")) as ex:
                        futs = {ex.submit(_run_shared, k): k for k in range(lo, min(lo + size, len(items)))}
                        for f in as_completed(futs):
                            out[futs[f]] = f.result()
                            if bar:
                                bar.update(1)
            finally:
                _SHARED = None
                gc.unfreeze()
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
        distributed = require("dask.distributed", "align_all(engine='dask')", '"pingan_corpus[dask]"')
        Client, LocalCluster = distributed.Client, distributed.LocalCluster
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

    @property
    def width(self) -> int:
        """Tasks that run at once: a thread of each worker of the cluster."""
        return max(1, sum(w.get("nthreads", 1) for w in self.client.scheduler_info()["workers"].values()))

    def scatter(self, obj):
        # hash=False: a key of its own per run — with content keys a later run could be handed an
        # earlier run's copy, replicated from another worker with that worker's caches
        return self.client.scatter([obj], broadcast=True, hash=False)[0]

    def submit(self, fn, *args):
        return self.client.submit(fn, *args, pure=False)

    def map(self, fn, *iterables, desc: str = "", progress=None):
        from dask.distributed import as_completed

        futs = [self.client.submit(fn, *args, pure=False) for args in zip(*iterables)]
        bar = progress_bar(progress, len(futs), desc)
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


# -- small task functions (module level so that Dask can ship them) -----------------------------
def _part_summary(part: Part) -> tuple[list[int], np.ndarray, Counter]:
    return part.counts, part.keys, part.word_df


def _distinct_raw(part: Part, local_rows: np.ndarray) -> sparse.csr_matrix:
    flats = [t for f in part.flats for t in f]
    return B.gram_rows([flats[k] for k in local_rows])


def _weigh(grams: B.GramWeights, raw: sparse.csr_matrix, wide: bool = False) -> sparse.csr_matrix:
    return grams.weigh(raw, wide=wide)


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


# the word rows of the partitions a process scored last (they are the largest thing a partition
# has: not kept for the whole corpus). Each partition's rows are made once, before scoring, and
# written to a folder (_rows_to_file); a task reads them back, or makes them where the folder is
# not there (a Dask worker on another machine). The vocabulary is held with them, so that another
# run's rows are never taken for these.
_ROWS: dict = {"vocab": None, "rows": {}}
_ROWS_KEPT = 4
_MATRICES = tuple(f.name for f in fields(WordRows) if f.name != "size")  # (size is an array)


def _rows_file(directory: str, part: Part) -> Path:
    return Path(directory) / f"rows-{part.first_doc}.npz"


def _rows_to_file(part: Part, vocab: Vocabulary, directory: str) -> None:
    if not Path(directory).is_dir():  # a worker on another machine: its tasks make their own rows
        return
    r = part_rows(part, vocab)
    arrays = {"size": r.size}
    for name in _MATRICES:
        m = getattr(r, name)
        arrays |= {f"{name}_data": m.data, f"{name}_indices": m.indices, f"{name}_indptr": m.indptr,
                   f"{name}_shape": np.array(m.shape)}
    np.savez(_rows_file(directory, part), **arrays)


def _rows_from_file(part: Part, directory: str | None) -> WordRows | None:
    path = _rows_file(directory, part) if directory else None
    if path is None or not path.exists():
        return None
    with np.load(path) as z:
        mats = {name: sparse.csr_matrix((z[f"{name}_data"], z[f"{name}_indices"], z[f"{name}_indptr"]),
                                        shape=tuple(int(x) for x in z[f"{name}_shape"])) for name in _MATRICES}
        return WordRows(size=z["size"], **mats)


def _rows(part: Part, vocab: Vocabulary, directory: str | None = None) -> WordRows:
    if _ROWS["vocab"] is not vocab:
        _ROWS["vocab"], _ROWS["rows"] = vocab, {}
    rows = _ROWS["rows"]
    got = rows.pop(part.first_doc, None)
    if got is None:
        got = _rows_from_file(part, directory)
    if got is None:
        got = part_rows(part, vocab)
    rows[part.first_doc] = got  # the most recent last
    while len(rows) > _ROWS_KEPT:
        del rows[next(iter(rows))]
    return got


def _score(px, py, a, b, vocab, weights, rows_dir: str | None = None):
    return score_block(px, _rows(px, vocab, rows_dir), py, _rows(py, vocab, rows_dir), a, b, weights)


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


def _score_to(directory: str, index: int, px, py, a, b, vocab, weights, rows_dir: str | None = None) -> int:
    f = _score(px, py, a, b, vocab, weights, rows_dir)
    if not len(f):
        return 0
    f = _in_order(f)
    StoredLinks.write_part(Path(directory), index, f)
    return len(f)


def _empty_dir(path) -> Path:
    path = Path(path)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise OutputExistsError(f"{path} exists and is not an empty folder: align_all(out=…) writes a new one")
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
    a terminal). A :class:`~pingan_corpus.corpus.LazyCorpus` (``pc.load_corpus(folder,
    lazy=True)``) or an iterator of Regulations is parsed while it is prepared, a partition at
    a time: the Regulation trees are never all in memory.

    What is linked:

    * default — a neighbour graph that grows linearly with the corpus: each distinct text with
      its ``k`` nearest texts, each copy of a text with its first ``fanout`` copies, each
      document with its ``doc_k`` nearest documents (``min_sim``, ``doc_min_sim``, ``max_df``
      tune the blocking, :mod:`pingan_corpus.align.blocking`). Every derived provision reaches its
      model, but when a provision is copied into hundreds of regulations not every pair of
      copies is listed;
    * ``complete=True`` — every pair exhaustive scoring would link (no ``k`` cap, every copy,
      ``min_sim`` at most ``COMPLETE_MIN_SIM``, grams in up to ``COMPLETE_MAX_DF`` of the texts
      in the products): the links, and the time, grow with the square
      of the copies — write them with ``out``.

    ``out``: a new folder; the links are written there as Parquet parts while they are scored
    (never all in memory) and a :class:`StoredLinks` is returned instead
    of a DataFrame.

    ``frame.attrs["blocking"]`` (``StoredLinks.attrs``): articles, distinct texts, near-text
    pairs, pairs the ``k`` cap cut (``capped_by_k``) and copies left to the fan-out
    (``same_text_pairs_left_to_fanout``) — what blocking dropped —, related document pairs,
    candidate pairs, document pairs scored, links, seconds and peak memory of each step.
    """

    # a LazyCorpus or an iterator is parsed while it is prepared, a partition at a time
    # (a LazyCorpus is told by its parse-on-iteration marker: align must not import corpus, which imports it)
    stream = isinstance(corpus_or_regs, Iterator) or getattr(corpus_or_regs, "parses_lazily", False)
    regs = corpus_or_regs if stream else as_regulations(corpus_or_regs)
    if complete:
        k, fanout, near_fanout = None, None, None  # None: as many as there are articles
        min_sim = min(min_sim, B.COMPLETE_MIN_SIM)
        max_df, df_cap = max(max_df, B.COMPLETE_MAX_DF), None
    else:
        df_cap = B.MAX_DF_CAP
    if engine == "local":
        run = _Local(workers)
    elif engine == "dask":
        run = _Dask(scheduler, n_workers)
    else:
        raise ArgumentError(f"engine must be 'local' or 'dask', not {engine!r}")
    try:
        return _align_all(regs, run, chunk_size, progress, k=k, min_sim=min_sim, fanout=fanout,
                          near_fanout=near_fanout, doc_k=doc_k, doc_min_sim=doc_min_sim, max_df=max_df,
                          df_cap=df_cap, out_dir=out)
    finally:
        run.close()
        _ROWS["vocab"], _ROWS["rows"] = None, {}


def _peak_mb() -> float:
    try:
        import resource
    except ImportError:  # pragma: no cover - not Unix
        return float("nan")
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object if c in ("doc_a", "doc_b", "relation", "method")
                                      else float if c == "score" else np.int64) for c in LINK_COLUMNS})


def _few(n_articles: int, doc_ids: list[str], out_dir) -> pd.DataFrame | StoredLinks:
    """The result for fewer than two documents: no links."""
    out = _empty()
    out.attrs["blocking"] = {"articles": n_articles, "candidate_pairs": 0, "document_pairs": 0, "links": 0}
    if out_dir is not None:
        return StoredLinks.write_stats(_empty_dir(out_dir), out.attrs["blocking"] | {"doc_ids": doc_ids})
    return out


def _prepare_parts(regs, run, chunk_size: int, progress) -> tuple[list, list[str]]:
    """Each partition of ``chunk_size`` documents prepared (:func:`prepare_part`), and the doc_ids.

    A list is cut and mapped at once; a stream (a LazyCorpus, an iterator) is read a few partitions at a time
    (one per worker), so that only those partitions' Regulation trees are held at once."""
    # (partitions prepared here, not on a cluster's workers, share their equal values: share_values)
    share = isinstance(run, _Local)
    if isinstance(regs, list):
        bounds = list(range(0, len(regs), chunk_size))
        parts = run.map(prepare_part, [regs[s:s + chunk_size] for s in bounds], bounds,
                        desc="prepare", progress=progress)
        if share:
            share_values(parts)
        return parts, [r.doc_id for r in regs]
    parts: list = []
    doc_ids: list[str] = []
    pool: dict = {}
    stream = iter(regs)
    while True:
        chunks = [c for c in (as_regulations(list(itertools.islice(stream, chunk_size))) for _ in range(run.width))
                  if c]
        if not chunks:
            return parts, doc_ids
        firsts = list(range(len(doc_ids), len(doc_ids) + chunk_size * len(chunks), chunk_size))
        batch = run.map(prepare_part, chunks, firsts)  # the LazyCorpus shows the parsing bar
        if share:
            share_values(batch, pool)
        parts += batch
        doc_ids += [r.doc_id for c in chunks for r in c]
        if len(chunks[-1]) < chunk_size:
            return parts, doc_ids


def _align_all(regs, run, chunk_size: int, progress, *, k, min_sim, fanout, near_fanout,
               doc_k, doc_min_sim, max_df, df_cap: int | None = B.MAX_DF_CAP,
               exhaustive_docs: np.ndarray | None = None, out_dir=None):
    if isinstance(regs, list) and len(regs) < 2:
        return _few(sum(len(r.articles) for r in regs), [r.doc_id for r in regs], out_dir)
    timing: dict[str, float] = {}
    peak: dict[str, float] = {}
    t0 = time.perf_counter()
    chunk_size = max(1, int(chunk_size))
    parts, doc_ids = _prepare_parts(regs, run, chunk_size, progress)
    n_docs = len(doc_ids)
    bounds = list(range(0, n_docs, chunk_size))
    summaries = run.gather(run.map(_part_summary, parts))
    if n_docs < 2:
        return _few(sum(sum(sm[0]) for sm in summaries), doc_ids, out_dir)
    counts = [c for sm in summaries for c in sm[0]]
    keys = np.concatenate([sm[1] for sm in summaries]) if summaries else np.zeros(0, np.int64)
    df: Counter = Counter()
    for sm in summaries:
        df.update(sm[2])
    n_articles = len(keys)
    k = max(1, n_articles) if k is None else k
    timing["prepare"] = time.perf_counter() - t0
    peak["prepare"] = _peak_mb()

    # vocabulary and word rows (scoring); distinct texts and their gram rows (blocking)
    t = time.perf_counter()
    vocab = Vocabulary.from_counts(dict(df), n_articles)
    weights = vocab.weights
    vocab_h = run.scatter(vocab)
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
        # rows without the DF cap for the products inside related documents (see GramWeights),
        # made from the counts, which are then done with
        xw_all = x_all
        if grams.has_wide:
            xw_all = run.submit(_stack, *run.map(_weigh, [grams_h] * len(raws), raws, [True] * len(raws)))
        raws = None
        rel = run.gather(run.map(B.related_pairs, [layout_h] * len(groups), [xw_all] * len(groups),
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
    # the gram rows and sketches are done with: freed before the scoring workers are forked
    raws = xs = x_all = xw_all = xt_all = emb = None
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
            # positions inside a partition: int32 (the tasks hold every candidate until scored)
            tasks.append((parts[p], parts[q], (ap[sel] - art_start[p]).astype(np.int32),
                          (bp[sel] - art_start[q]).astype(np.int32)))
        del ap, bp, da_, db_, pb_, order, pair
    stats["document_pairs"] = n_doc_pairs
    stats["scoring_tasks"] = len(tasks)
    del a, b
    weights_h = run.scatter(weights)
    # each partition's word rows made once (a partition is in about as many tasks as there are
    # partitions: made in each task, they cost the square of the corpus), kept on disk until the end
    rows_dir = tempfile.mkdtemp(prefix="pingan-rows-")
    try:
        run.gather(run.map(_rows_to_file, parts, [vocab_h] * len(parts), [rows_dir] * len(parts)))
        timing["word_rows"] = time.perf_counter() - t
        t = time.perf_counter()
        return _scored(run, tasks, parts, out_dir, vocab_h, weights_h, rows_dir, progress, timing, peak, stats,
                       doc_ids, t)
    finally:
        shutil.rmtree(rows_dir, ignore_errors=True)


def _scored(run, tasks, parts, out_dir, vocab_h, weights_h, rows_dir, progress, timing, peak, stats, doc_ids, t):
    """The scoring step of _align_all: links in memory, or streamed to ``out_dir``."""
    if out_dir is not None:
        # each task writes its own part file; only counts come back
        target = _empty_dir(out_dir)
        n = len(tasks)
        counts_ = run.gather(run.map(_score_to, [str(target)] * n, range(n), *zip(*tasks), [vocab_h] * n, [weights_h] * n,
                                     [rows_dir] * n, desc="scoring", progress=progress)) if tasks else []
        timing["scoring"] = time.perf_counter() - t
        peak["scoring"] = _peak_mb()
        stats["links"] = int(sum(counts_))
        stats["doc_ids"] = doc_ids
        stats["seconds"] = {k_: round(v_, 2) for k_, v_ in timing.items()}
        stats["peak_mb"] = peak
        return StoredLinks.write_stats(target, stats)
    frames = run.gather(run.map(_score, *zip(*tasks), [vocab_h] * len(tasks), [weights_h] * len(tasks),
                                [rows_dir] * len(tasks), desc="scoring", progress=progress)) if tasks else []
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
                              seed: int = 0, min_score: float = LINK, dropped: bool = False,
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
    regs = as_regulations(corpus_or_regs)
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


# -- links written by align_all(out=…) ---------------------------------------------------------
class StoredLinks:
    """The links of ``corpus.align_all(out=path)``: a folder of Parquet parts, read on demand.

    Each part holds the links of one block of documents (columns of ``align_all``'s frame, in
    corpus order within the part); ``_blocking.json`` holds what ``frame.attrs["blocking"]``
    would. ``len()`` reads the parts' metadata only; :meth:`frame` reads (some of) them.
    """

    STATS = "_blocking.json"

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        if not (self.path / self.STATS).is_file():
            raise MissingFileError(f"{self.path} holds no links written by align_all(out=…) (no {self.STATS})")
        self.attrs = {"blocking": json.loads((self.path / self.STATS).read_text(encoding="utf-8"))}

    @classmethod
    def write_part(cls, directory: Path, index: int, frame) -> Path:
        pa, pq = _arrow()
        f = directory / f"part-{index:06d}.parquet"
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), f)
        return f

    @classmethod
    def write_stats(cls, directory: Path, stats: dict) -> StoredLinks:
        (directory / cls.STATS).write_text(json.dumps(stats, ensure_ascii=False, indent=1, default=float),
                                           encoding="utf-8")
        return cls(directory)

    def parts(self) -> list[Path]:
        return sorted(self.path.glob("part-*.parquet"))

    def __len__(self) -> int:
        _, pq = _arrow()
        return sum(pq.ParquetFile(f).metadata.num_rows for f in self.parts())

    def __iter__(self):
        """One DataFrame per part (bounded memory)."""
        _, pq = _arrow()
        for f in self.parts():
            yield pq.read_table(f).to_pandas()

    def frame(self, docs=None, min_score: float | None = None, columns=None):
        """The links as one DataFrame in corpus order: all of them, or those touching ``docs``
        (doc ids) and scoring at least ``min_score``. Filters are applied part by part."""
        docs = None if docs is None else set(docs)
        keep = []
        for f in self:
            if docs is not None:
                f = f[f["doc_a"].isin(docs) | f["doc_b"].isin(docs)]
            if min_score is not None:
                f = f[f["score"] >= min_score]
            keep.append(f if columns is None else f[list(columns)])
        if not keep:
            out = _empty()
            return out if columns is None else out[list(columns)]
        out = pd.concat(keep, ignore_index=True)
        rank = {d: k for k, d in enumerate(dict.fromkeys(
            self.attrs["blocking"].get("doc_ids") or sorted(set(out["doc_a"]) | set(out["doc_b"]))))}
        if {"doc_a", "doc_b", "article_a", "article_b"} <= set(out.columns):
            order = np.lexsort((out["article_b"].to_numpy(), out["article_a"].to_numpy(),
                                out["doc_b"].map(rank).to_numpy(), out["doc_a"].map(rank).to_numpy()))
            out = out.take(order).reset_index(drop=True)
        out.attrs = dict(self.attrs)
        return out

    def __repr__(self) -> str:
        return f"StoredLinks({str(self.path)!r}, links={self.attrs['blocking'].get('links', '?')})"

    def _repr_html_(self) -> str:
        b = self.attrs["blocking"]
        rows = "".join(f"<tr><th>{escape(str(k))}</th><td>{escape(str(b[k]))}</td></tr>"
                       for k in ("links", "articles", "candidate_pairs", "document_pairs") if k in b)
        return (f"<p>Links of align_all in <code>{escape(str(self.path))}</code>, "
                f"{len(self.parts())} Parquet parts</p><table>{rows}</table>")




def _arrow():
    why = "links written to Parquet (align_all(out=…))"
    return require("pyarrow", why, '"pingan_corpus[parquet]"'), require("pyarrow.parquet", why, '"pingan_corpus[parquet]"')


__all__ = [
    "LINK_COLUMNS",
    "Part",
    "StoredLinks",
    "align_all",
    "part_rows",
    "prepare_part",
    "recall_against_exhaustive",
    "score_block",
]
