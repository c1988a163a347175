"""Candidate generation for corpus-wide alignment: which article pairs are worth scoring.

Scoring every article pair of a corpus grows with the square of its size, and so does the
number of links when many regulations copy one model. Blocking finds the pairs worth scoring
without scoring all pairs, in three ways:

1. **Near texts** — identical neutralised texts are collapsed first (one row per *distinct
   text*); each distinct text is a sparse TF-IDF vector of the hashed character 2- and 3-grams
   of its flat text (:func:`pingan_corpus.align.prepare.prepare`: place names and tier words
   already made alike). Rows are multiplied in chunks against all rows (``X_chunk @ X.T``,
   scipy sparse, never more than ``ROW_CHUNK`` rows at a time) and each keeps its ``k`` most
   similar distinct texts with cosine ≥ ``min_sim``. Grams in more than ``max_df`` of the texts
   (人民政府, 应当 … ; at most ``MAX_DF_CAP`` texts) are dropped like stop words, so a product
   row touches only the texts sharing a telling gram and its length does not grow with the
   corpus. A near pair links the first ``near_fanout`` copies of each text.
2. **Same texts** — each copy of a text is linked to the first ``fanout`` copies (corpus order),
   not to every copy: a provision copied into a thousand regulations gives a few thousand
   links, not half a million. The copies are equal for every score, so nothing is lost but the
   repetition; ``fanout=None`` and ``near_fanout=None`` restore every pair.
3. **Related documents** — each document is the sum of its articles' gram rows, sketched to
   ``DOC_DIM`` numbers; each keeps its ``doc_k`` nearest documents (cosine ≥ ``doc_min_sim``),
   and every article pair of such a pair with text cosine ≥ ``REL_MIN_SIM`` is a candidate. That
   cosine is taken on rows without ``MAX_DF_CAP`` (a document against a few others needs no
   short rows, and a split piece shares mostly its family's common grams with the whole).
   This finds a regulation's model among hundreds of near-copies, which the ``k`` nearest
   texts cannot tell apart.

Candidate pairs are global article indices (articles numbered across the corpus in order) with
their text cosine. What blocking leaves out is counted: ``capped_by_k`` (near pairs above
``min_sim`` beyond the ``k`` best) and the copies beyond the fan-outs."""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

BITS = 30                  # hashed gram space: a billion ids, collisions negligible
K = 30                     # near texts kept per distinct text
MIN_SIM = 0.08             # lowest gram cosine for a candidate
MAX_DF = 0.05              # grams in more than this share of texts are left out of products …
MAX_DF_FLOOR = 200         # … unless in fewer than this many (small corpora keep every gram) …
MAX_DF_CAP = 1000          # … and always when in more than this many (a product row stays short)
FANOUT = 5                 # copies of the same text each article is linked to
NEAR_FANOUT = 2            # copies of each side a near-text pair links (the rest: through FANOUT)
DOC_K = 10                 # nearest documents kept per document
DOC_MIN_SIM = 0.5          # lowest document cosine (sketched grams) for a related pair
DOC_DIM = 1024             # size of the document sketch
REL_MIN_SIM = 0.15         # lowest text cosine for a candidate inside related documents (split pieces, merges)
ROW_CHUNK = 2000           # rows per sparse product
COMPLETE_MIN_SIM = 0.03    # lowest gram cosine for a candidate when every pair is wanted …
COMPLETE_MAX_DF = 0.15     # … and grams up to this share of texts, with no MAX_DF_CAP: the second
                           # half of a split shares mostly common grams with the whole

_MIX = np.uint64(0x9E3779B97F4A7C15)


# -- hashing ------------------------------------------------------------------------------------
def text_key(flat: str) -> int:
    """A stable 63-bit id of a text (the same in every process, unlike ``hash``)."""
    return int.from_bytes(hashlib.blake2b(flat.encode("utf-8"), digest_size=8).digest(), "little") >> 1


def gram_rows(flats: Sequence[str], bits: int = BITS) -> sparse.csr_matrix:
    """Counts of hashed character 2- and 3-grams, one row per text (vectorised over all texts)."""
    n = len(flats)
    if n == 0:
        return sparse.csr_matrix((0, 1 << bits), dtype=np.float32)
    joined = "\x00".join(flats) + "\x00\x00"
    c = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(f) for f in flats), dtype=np.int64, count=n)
    owner = np.repeat(np.arange(n), lengths + 1)
    owner = np.concatenate([owner, [n]])
    # codepoints < 2^21: a 2-gram fills 42 bits, a 3-gram 63 (its first char is never 0)
    h2 = (c[:-1] << np.uint64(21)) | c[1:]
    ok2 = (c[:-1] != 0) & (c[1:] != 0)
    h3 = (c[:-2] << np.uint64(42)) | (c[1:-1] << np.uint64(21)) | c[2:]
    ok3 = ok2[:-1] & (c[2:] != 0)
    h = np.concatenate([h2[ok2], h3[ok3]])
    rows = np.concatenate([owner[:-1][ok2], owner[:-2][ok3]])
    cols = ((h * _MIX) >> np.uint64(64 - bits)).astype(np.int64)
    m = sparse.csr_matrix((np.ones(len(cols), np.float32), (rows, cols)), shape=(n, 1 << bits))
    m.sum_duplicates()
    return m


def document_frequency(m: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """(columns, number of rows using each): a partition's share of the gram DF."""
    cols, counts = np.unique(m.indices, return_counts=True)
    return cols.astype(np.int64), counts.astype(np.int64)


@dataclass
class GramWeights:
    """IDF of the hashed grams over the distinct texts, and which grams enter products.

    Only the grams the corpus uses are held (sorted hashed ids ``grams`` with their ``idf``).
    Grams in more than ``max_df`` texts are dropped like stop words; rows keep the active ones
    (2 ≤ DF ≤ ``max_df``), renumbered 0…n_active-1 (``columns``: their hashed ids) so that
    products and transposes stay small.

    ``max_df`` is capped (``MAX_DF_CAP``) so that a top-k product row stays short. Products
    inside related documents have no such rows (a document against its few neighbours), and
    there the cap would cost recall: on a corpus of tens of thousands of near-copies a whole
    provision family's grams pass it, and a split piece keeps nothing in common with its whole.
    Those products use the *wide* rows (``wide=True``): DF up to the share ``max_df`` alone.
    """

    grams: np.ndarray      # every hashed gram of the corpus, sorted
    idf: np.ndarray        # float32, per gram
    active: np.ndarray     # bool, per gram: in products (2 ≤ DF ≤ max_df)
    common: np.ndarray     # bool, per gram: DF > max_df, dropped like a stop word
    n_texts: int
    max_df: int
    wide_max_df: int = 0   # the DF limit without the cap (≥ max_df)
    # (active, common) of the wide rows; None when the cap dropped nothing (the rows are wide)
    wide: tuple[np.ndarray, np.ndarray] | None = None

    @classmethod
    def from_df(cls, parts: Sequence[tuple[np.ndarray, np.ndarray]], n_texts: int, max_df: float = MAX_DF,
                floor: int = MAX_DF_FLOOR, cap: int | None = MAX_DF_CAP) -> GramWeights:
        cols = _cat([p[0] for p in parts], np.int64)
        counts = _cat([p[1] for p in parts], np.int64)
        grams, inverse = np.unique(cols, return_inverse=True)
        df = np.bincount(inverse.ravel(), weights=counts, minlength=len(grams)).astype(np.int64)
        idf = (np.log((1.0 + n_texts) / (1.0 + df)) + 1.0).astype(np.float32)
        wide = most = max(int(max_df * n_texts), floor)
        if cap is not None:
            most = min(most, max(cap, floor))
        capped = bool(((df > most) & (df <= wide)).any())
        return cls(grams=grams, idf=idf, active=(df >= 2) & (df <= most), common=df > most, n_texts=n_texts,
                   max_df=most, wide_max_df=wide, wide=((df >= 2) & (df <= wide), df > wide) if capped else None)

    @property
    def columns(self) -> np.ndarray:
        """The hashed ids of the active grams (product columns 0…n_active-1)."""
        return self.grams[self.active]

    @property
    def n_active(self) -> int:
        return int(self.active.sum())

    @property
    def has_wide(self) -> bool:
        """Whether the wide rows differ from the rows (the cap dropped grams)."""
        return self.wide is not None

    def weigh(self, counts: sparse.csr_matrix, wide: bool = False) -> sparse.csr_matrix:
        """Sublinear TF-IDF rows, L2-normalised, restricted to the active grams: grams too common
        to tell provisions apart are dropped like stop words (before the norm); grams of one text
        only count in the norm but are left out of products (they cannot be shared). ``wide``:
        the common grams are those above the share alone, not the cap."""
        active, common = self.wide if wide and self.wide is not None else (self.active, self.common)
        pos = np.searchsorted(self.grams, counts.indices)
        pos = np.minimum(pos, max(len(self.grams) - 1, 0))
        known = self.grams[pos] == counts.indices if len(self.grams) else np.zeros(len(pos), bool)
        kept = known & ~common[pos]
        rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))[kept]
        pos = pos[kept]
        data = (1.0 + np.log(counts.data[kept].astype(np.float64))) * self.idf[pos]
        norms = np.sqrt(np.bincount(rows, weights=data ** 2, minlength=counts.shape[0]))
        norms[norms == 0] = 1.0
        hit = active[pos]
        compact = np.cumsum(active) - 1
        n_active = int(active.sum())
        return sparse.csr_matrix(((data / norms[rows])[hit].astype(np.float32), (rows[hit], compact[pos[hit]])),
                                 shape=(counts.shape[0], max(n_active, 1)))


# -- top-k sparse products ----------------------------------------------------------------------
def merge_topk(rows: np.ndarray, cols: np.ndarray, sims: np.ndarray, k: int) -> tuple[np.ndarray, ...]:
    """Keep each row's ``k`` best (ties: the lower column, i.e. the earlier text); returns
    (rows, cols, sims, number cut)."""
    order = np.lexsort((cols, -sims, rows))
    rows, cols, sims = rows[order], cols[order], sims[order]
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows, side="left")
    sel = rank < k
    return rows[sel], cols[sel], sims[sel], int((~sel).sum())


_LEVELS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99)


def _row_floor(r: np.ndarray, v: np.ndarray, n_rows: int, k: int, min_sim: float) -> np.ndarray:
    """Per row, the highest of ``_LEVELS`` that at least ``k`` of its values reach (else ``min_sim``):
    a row with k pairs above a level keeps nothing below it, so those are dropped before sorting
    (near-copies give rows thousands of pairs long)."""
    floor = np.full(n_rows, min_sim, np.float32)
    for level in _LEVELS:
        if level <= min_sim:
            continue
        enough = np.bincount(r[v >= level], minlength=n_rows) >= k
        if not enough.any():
            break
        floor[enough] = level
    return floor


def topk_product(xq: sparse.csr_matrix, xt: sparse.csr_matrix, k: int, min_sim: float,
                 offset: int = 0, chunk: int = ROW_CHUNK) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """For each row of ``xq`` (global row ``offset + r``), its ``k`` best columns of ``xq @ xt``.

    ``xt`` is the transpose of all rows (made once, shared by every chunk). Returns (rows,
    cols, sims, capped): cosine ≥ ``min_sim``, self excluded; ``capped`` counts the pairs
    above ``min_sim`` the ``k`` cap left out. At most ``chunk`` rows of products at a time.
    """
    out_r, out_c, out_s = [], [], []
    capped = 0
    for s in range(0, xq.shape[0], chunk):
        prod = (xq[s:s + chunk] @ xt).tocsr()
        n_rows = prod.shape[0]
        r = np.repeat(np.arange(n_rows), np.diff(prod.indptr))
        c = prod.indices.astype(np.int64)
        v = prod.data
        keep = (v >= min_sim) & (r + offset + s != c)
        r, c, v = r[keep], c[keep], v[keep]
        above = len(r)
        sel = v >= _row_floor(r, v, n_rows, k, min_sim)[r]
        r, c, v, _ = merge_topk(r[sel] + offset + s, c[sel], v[sel].astype(np.float32), k)
        capped += above - len(r)
        out_r.append(r)
        out_c.append(c)
        out_s.append(v)
    return _cat(out_r, np.int64), _cat(out_c, np.int64), _cat(out_s, np.float32), capped


def _cat(xs, dtype) -> np.ndarray:
    return np.concatenate(xs).astype(dtype, copy=False) if xs else np.zeros(0, dtype)


# -- where the articles are ---------------------------------------------------------------------
@dataclass
class Layout:
    """Where each article of the corpus is: its document, its position, its distinct text."""

    doc_of: np.ndarray       # article → document index
    pos: np.ndarray          # article → index in its document
    text_of: np.ndarray      # article → distinct-text id (numbered in order of first occurrence)
    first: np.ndarray        # distinct text → its first article

    @classmethod
    def build(cls, counts: Sequence[int], keys: np.ndarray) -> Layout:
        counts = np.asarray(counts, np.int64)
        doc_of = np.repeat(np.arange(len(counts)), counts)
        pos = np.arange(len(doc_of)) - np.repeat(np.cumsum(counts) - counts, counts)
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        # renumber distinct texts in order of first occurrence, so ties favour earlier documents
        order = np.argsort(first, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        return cls(doc_of=doc_of, pos=pos, text_of=rank[inverse.ravel()].astype(np.int64), first=first[order])

    @property
    def n_texts(self) -> int:
        return len(self.first)

    def doc_start(self, n_docs: int) -> np.ndarray:
        counts = np.bincount(self.doc_of, minlength=n_docs)
        return np.concatenate([[0], np.cumsum(counts)])

    def max_copies(self) -> int:
        return int(np.bincount(self.text_of).max()) if len(self.text_of) else 0

    def heads(self, fanout: int | None) -> np.ndarray:
        """distinct text → its first ``fanout`` articles (corpus order; None: all); -1 where fewer."""
        fanout = fanout or max(self.max_copies(), 1)
        t = self.text_of
        order = np.lexsort((np.arange(len(t)), t))
        ts = t[order]
        rank = np.arange(len(ts)) - np.searchsorted(ts, ts, side="left")
        out = np.full((self.n_texts, fanout), -1, np.int64)
        sel = rank < fanout
        out[ts[sel], rank[sel]] = order[sel]
        return out


Pairs = tuple[np.ndarray, np.ndarray, np.ndarray]   # (article a, article b, text cosine)


def _copies(layout: Layout) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(articles sorted by text then corpus order, start of each text in it, copies of each text)."""
    t = layout.text_of
    order = np.lexsort((np.arange(len(t)), t))
    count = np.bincount(t, minlength=layout.n_texts).astype(np.int64)
    start = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64)
    return order, start, count


def _copy_pairs(layout: Layout, tu: np.ndarray, tv: np.ndarray, sims: np.ndarray, fanout: int | None,
                same: bool, chunk: int = 2_000_000) -> Pairs:
    """The first ``fanout`` copies (None: all) of text ``tu[p]`` with those of ``tv[p]``, for every
    p, in other documents. ``same``: tu == tv, each unordered pair once, the r-th copy (r <
    ``fanout``) with every later one. Vectorised: pairs are laid out by a running count, cut
    into pieces of about ``chunk`` article pairs."""
    order, start, count = _copies(layout)
    cap = count if fanout is None else np.minimum(count, fanout)
    cu = cap[tu]
    cv = count[tv] if same else cap[tv]
    n = cu * cv
    out_a, out_b, out_s = [], [], []
    ends = np.cumsum(n)
    lo = 0
    while lo < len(n):
        hi = int(np.searchsorted(ends, (ends[lo - 1] if lo else 0) + chunk, side="right"))
        hi = max(hi, lo + 1)
        m = n[lo:hi]
        p = np.repeat(np.arange(lo, hi), m)
        k = np.arange(int(m.sum())) - np.repeat(np.cumsum(m) - m, m)
        x, y = k // cv[p], k % cv[p]
        if same:
            keep = x < y
            p, x, y = p[keep], x[keep], y[keep]
        a, b = order[start[tu[p]] + x], order[start[tv[p]] + y]
        ok = layout.doc_of[a] != layout.doc_of[b]
        out_a.append(a[ok])
        out_b.append(b[ok])
        out_s.append(sims[p[ok]].astype(np.float32))
        lo = hi
    return _cat(out_a, np.int64), _cat(out_b, np.int64), _cat(out_s, np.float32)


def same_text_pairs(layout: Layout, fanout: int | None = FANOUT) -> Pairs:
    """Each of the first ``fanout`` copies of a text with every later copy (other documents;
    None: every copy, which grows with the square of the copies)."""
    several = np.flatnonzero(np.bincount(layout.text_of, minlength=layout.n_texts) > 1)
    return _copy_pairs(layout, several, several, np.ones(len(several), np.float32), fanout, same=True)


def expand_text_pairs(layout: Layout, tu: np.ndarray, tv: np.ndarray, sims: np.ndarray,
                      fanout: int | None = NEAR_FANOUT) -> Pairs:
    """Article pairs behind distinct-text pairs: the first ``fanout`` articles of one text with
    the first ``fanout`` of the other (later copies reach them through :func:`same_text_pairs`;
    None: every copy of each)."""
    return _copy_pairs(layout, np.asarray(tu, np.int64), np.asarray(tv, np.int64), np.asarray(sims), fanout,
                       same=False)


# -- related documents --------------------------------------------------------------------------
def _sketch(columns: np.ndarray, dim: int) -> sparse.csr_matrix:
    """Count sketch of the active grams into ``dim`` signed buckets, from their hashed ids (so the
    same in every partition and process): a random projection that keeps inner products."""
    h = (columns.astype(np.uint64) + np.uint64(1)) * _MIX
    bucket = (h >> np.uint64(33)).astype(np.int64) % dim
    sign = np.where((h >> np.uint64(7)) & np.uint64(1), 1.0, -1.0).astype(np.float32)
    return sparse.csr_matrix((sign, (np.arange(len(columns)), bucket)), shape=(len(columns), dim))


def document_embedding(x: sparse.csr_matrix, text_of: np.ndarray, doc_of: np.ndarray, n_docs: int,
                       columns: np.ndarray, dim: int = DOC_DIM) -> np.ndarray:
    """Documents as the sum of their articles' gram rows, sketched to ``dim`` dense numbers and
    L2-normalised: near-copies of a regulation stay near even when every article was edited a
    little (a county-tier word, a place name), which exact text ids would not see.

    ``text_of``/``doc_of`` give, for the articles of these documents, their distinct text and
    their document (0…n_docs-1).
    """
    m = sparse.csr_matrix((np.ones(len(text_of), np.float32), (doc_of, text_of)), shape=(n_docs, x.shape[0]))
    e = np.asarray(((m @ x) @ _sketch(columns, dim)).todense(), dtype=np.float32)
    norms = np.linalg.norm(e, axis=1)
    norms[norms == 0] = 1.0
    return e / norms[:, None]


def related_documents(e: np.ndarray, doc_k: int = DOC_K, min_sim: float = DOC_MIN_SIM,
                      chunk: int = 1000) -> tuple[np.ndarray, np.ndarray]:
    """Each document's ``doc_k`` nearest documents by embedding cosine (dense products in
    chunks: N² × dim multiply-adds, a few seconds for 10,000 documents), as pairs x < y, once."""
    n = e.shape[0]
    rows, cols = [], []
    kk = min(doc_k, n - 1)
    if kk <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    for s in range(0, n, chunk):
        sims = e[s:s + chunk] @ e.T
        n_rows = sims.shape[0]
        sims[np.arange(n_rows), np.arange(s, s + n_rows)] = -np.inf
        # the pairs above the floor first, then each row's best among them: a partition of every
        # row cost three times the product (N = 50,000)
        r, c = np.nonzero(sims >= min_sim)
        v = sims[r, c]
        sel = v >= _row_floor(r, v, n_rows, kk, min_sim)[r]
        r, c, _, _ = merge_topk(r[sel] + s, c[sel], v[sel], kk)
        rows.append(r)
        cols.append(c)
    r, c = _cat(rows, np.int64), _cat(cols, np.int64)
    key = np.unique(np.minimum(r, c) * (n + 1) + np.maximum(r, c))
    return key // (n + 1), key % (n + 1)


def related_pairs(layout: Layout, x: sparse.csr_matrix, dx: np.ndarray, dy: np.ndarray,
                  doc_start: np.ndarray, min_sim: float = MIN_SIM) -> Pairs:
    """Article pairs of related documents (dx[t], dy[t]) whose texts have cosine ≥ ``min_sim``
    (or are the same text): one product per document against all its related documents.
    ``x`` holds the distinct texts' rows."""
    order = np.argsort(dx, kind="stable")
    dx, dy = dx[order], dy[order]
    cut = np.flatnonzero(np.diff(np.concatenate([[-1], dx, [-1]]))) if len(dx) else np.zeros(1, np.int64)
    out_a, out_b, out_s = [], [], []
    for g in range(len(cut) - 1):
        d = int(dx[cut[g]])
        rows = np.arange(doc_start[d], doc_start[d + 1])
        cols = np.concatenate([np.arange(doc_start[y], doc_start[y + 1]) for y in dy[cut[g]:cut[g + 1]]])
        if not len(rows) or not len(cols):
            continue
        tr, tc = layout.text_of[rows], layout.text_of[cols]
        sims = (x[tr] @ x[tc].T).toarray()
        sims[tr[:, None] == tc[None, :]] = 1.0
        i, j = np.nonzero(sims >= min_sim)
        out_a.append(rows[i])
        out_b.append(cols[j])
        out_s.append(sims[i, j].astype(np.float32))
    return _cat(out_a, np.int64), _cat(out_b, np.int64), _cat(out_s, np.float32)


# -- all together -------------------------------------------------------------------------------
@dataclass
class Candidates:
    """Candidate article pairs (global indices a < b, in different documents), text cosine."""

    a: np.ndarray
    b: np.ndarray
    sim: np.ndarray
    stats: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.a)

    def frame(self, layout: Layout | None = None) -> pd.DataFrame:
        df = pd.DataFrame({"a": self.a, "b": self.b, "sim": self.sim})
        if layout is not None:
            df["doc_a"], df["doc_b"] = layout.doc_of[self.a], layout.doc_of[self.b]
            df["i"], df["j"] = layout.pos[self.a], layout.pos[self.b]
        return df


def combine(parts: Sequence[Pairs], n_articles: int, min_sim: float) -> Candidates:
    """Union of article pairs: oriented a < b, deduplicated, cosine ≥ ``min_sim``."""
    a = _cat([p[0] for p in parts], np.int64)
    b = _cat([p[1] for p in parts], np.int64)
    v = _cat([p[2] for p in parts], np.float32)
    a, b = np.minimum(a, b), np.maximum(a, b)
    keep = v >= min_sim
    key, first = np.unique(a[keep] * max(n_articles, 1) + b[keep], return_index=True)
    return Candidates(key // max(n_articles, 1), key % max(n_articles, 1), v[keep][first])


def pair_keys(pairs: Pairs, n_articles: int, min_sim: float) -> np.ndarray:
    """Pairs with cosine ≥ ``min_sim`` as sorted, distinct keys a·n + b (a < b): 8 bytes a pair
    instead of 20, for unions of many millions of pairs."""
    a, b, v = pairs
    keep = v >= min_sim
    a, b = a[keep], b[keep]
    return unique_keys([np.minimum(a, b) * max(n_articles, 1) + np.maximum(a, b)])


def unique_keys(keys: Sequence[np.ndarray]) -> np.ndarray:
    """Sorted union of key arrays (sorted in place, no index array)."""
    k = _cat(list(keys), np.int64)
    k.sort()
    return k[np.concatenate([[True], k[1:] != k[:-1]])] if len(k) else k


def candidate_pairs(flats_by_doc: Sequence[Sequence[str]], *, k: int = K, min_sim: float = MIN_SIM,
                    fanout: int = FANOUT, near_fanout: int = NEAR_FANOUT, doc_k: int = DOC_K,
                    doc_min_sim: float = DOC_MIN_SIM, max_df: float = MAX_DF, df_floor: int = MAX_DF_FLOOR,
                    df_cap: int | None = MAX_DF_CAP, chunk: int = ROW_CHUNK) -> tuple[Candidates, Layout]:
    """The three kinds of candidates for a corpus given as each document's flat article texts,
    in this process (:func:`pingan_corpus.align.scale.align_all` runs the same steps in partitions)."""
    counts = [len(f) for f in flats_by_doc]
    flats = [t for f in flats_by_doc for t in f]
    keys = np.fromiter((text_key(t) for t in flats), dtype=np.int64, count=len(flats))
    layout = Layout.build(counts, keys)
    raw = gram_rows([flats[i] for i in layout.first])
    weights = GramWeights.from_df([document_frequency(raw)], layout.n_texts, max_df=max_df, floor=df_floor,
                                  cap=df_cap)
    x = weights.weigh(raw)
    xw = weights.weigh(raw, wide=True) if weights.has_wide else x
    r, c, s, capped = topk_product(x, x.T.tocsr(), k, min_sim, chunk=chunk)
    emb = document_embedding(x, layout.text_of, layout.doc_of, len(counts), weights.columns)
    dx, dy = related_documents(emb, doc_k, doc_min_sim)
    parts = [expand_text_pairs(layout, r, c, s, near_fanout), same_text_pairs(layout, fanout),
             related_pairs(layout, xw, dx, dy, layout.doc_start(len(counts)), max(min_sim, REL_MIN_SIM))]
    cand = combine(parts, len(flats), min_sim)
    cand.stats = {"articles": len(flats), "distinct_texts": layout.n_texts, "active_grams": weights.n_active,
                  "near_text_pairs": len(r), "capped_by_k": capped, "related_document_pairs": len(dx),
                  "candidate_pairs": len(cand)}
    return cand, layout


__all__ = [
    "COMPLETE_MAX_DF",
    "COMPLETE_MIN_SIM",
    "Candidates",
    "GramWeights",
    "Layout",
    "candidate_pairs",
    "combine",
    "document_embedding",
    "document_frequency",
    "expand_text_pairs",
    "gram_rows",
    "merge_topk",
    "pair_keys",
    "related_documents",
    "related_pairs",
    "same_text_pairs",
    "text_key",
    "topk_product",
    "unique_keys",
]
