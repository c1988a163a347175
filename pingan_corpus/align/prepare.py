"""What alignment compares: each article neutralised (what differs by jurisdiction alone replaced),
stripped to its characters, cut into words once; and the vocabulary that weighs the words.

Words are cut with alignment's own jieba dictionary, once per distinct neutralised text (a
``cache`` shared by the regulations of a corpus: copied provisions are cut once).
"""
from __future__ import annotations

import logging
import sys
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial

import jieba
import numpy as np
from scipy import sparse

from ..models import Article, Regulation
from ..numerals import parse_numeral
from ..parse import regexes as R
from ..parse.gazetteer import divisions
from .caches import ProcessCache
from .thresholds import OWN_RARE, RARE, SENTENCES_FROM, SHARPEN

PLACE_WORD, SELF_WORD = "某地", "本地"
# function words that say nothing about what a provision regulates
STOPWORDS = frozenset(
    "的 了 和 与 及 以及 或者 或 等 对 在 为 并 将 其 之 由 从 于 把 被 所 该 此 各 中 上 下 内 "
    "以 按照 依照 依据 根据 有关 相关 相应 进行 开展 做好 加强 工作".split())


# -- preparation --------------------------------------------------------------------------------
class _Places:
    """Replaces full division names, and short names after 平安 (平安湖北), with ``PLACE_WORD``.

    The same replacements as ``re.sub`` of the alternation ``names|(?<=平安)(?:shorts)`` (each
    sorted longest first), found in one Aho–Corasick pass: the regex tried every name at every
    position, which made neutralising most of ``prepare``."""

    def __init__(self):
        import ahocorasick

        names = {d.name for d in divisions()}
        shorts = {s for d in divisions() for s in (d.short, *d.aliases) if len(s) >= 2}
        self.automaton = ahocorasick.Automaton()
        for w in names | shorts:
            self.automaton.add_word(w, (len(w), w in names, w in shorts))
        self.automaton.make_automaton()

    def sub(self, text: str) -> str:
        name: dict[int, int] = {}   # start → length of the longest name starting there
        short: dict[int, int] = {}
        for end, (n, is_name, is_short) in self.automaton.iter(text):
            s = end - n + 1
            if is_name and n > name.get(s, 0):
                name[s] = n
            if is_short and n > short.get(s, 0):
                short[s] = n
        if not name and not short:
            return text
        out, done = [], 0
        # left to right as the regex scans: a name wins at its start, a short name only after 平安
        for s in sorted(name.keys() | short.keys()):
            if s < done:
                continue
            n = name.get(s) or (short.get(s) if text[max(s - 2, 0):s] == "平安" else None)
            if n:
                out += [text[done:s], PLACE_WORD]
                done = s + n
        out.append(text[done:])
        return "".join(out)


@lru_cache(maxsize=1)
def _places() -> _Places:
    return _Places()


# words alignment adds to its dictionary: the neutralised placeholders stay whole
ALIGNMENT_WORDS = (PLACE_WORD, SELF_WORD, "县区", "乡镇", "人民政府")


class Segmenter:
    """alignment's own word segmenter: jieba's dictionary and ``ALIGNMENT_WORDS``, nothing else.

    jieba's global dictionary is shared by the process and other steps add to it (the duty
    lexicon adds actor names), which would make an alignment depend on what ran before it.
    The compiled jieba-rs (``rjieba``) cuts exactly the words pure-Python jieba cuts on legal text
    (``tests/test_align.py`` checks it on every article of the corpora) about eight times faster;
    jieba is the reference and the fallback.
    """

    def __init__(self, compiled: bool = True):
        self.compiled = False
        if compiled:
            try:
                import rjieba

                self._rs = rjieba.Jieba()
                for w in ALIGNMENT_WORDS:
                    self._rs.add_word(w, 100000, None)
                self.compiled = True
            except ImportError:  # pragma: no cover - rjieba is a dependency
                pass
        if not self.compiled:
            jieba.setLogLevel(logging.WARNING)  # jieba announces its dictionary on stderr otherwise
            self._py = jieba.Tokenizer()
            for w in ALIGNMENT_WORDS:
                self._py.add_word(w, freq=100000)

    def lcut(self, text: str, HMM: bool = True) -> list[str]:
        return self._rs.cut(text, HMM) if self.compiled else self._py.lcut(text, HMM=HMM)


@lru_cache(maxsize=1)
def tokenizer() -> Segmenter:
    """The segmenter alignment cuts words with (one per process)."""
    return Segmenter()


def own_names(reg: Regulation) -> list[str]:
    """The regulation's own jurisdiction as it may appear without a suffix (湘潭, 湖北)."""
    return list(_names_of(reg.jurisdiction)) if reg.jurisdiction else []


@lru_cache(maxsize=4096)
def _names_of(jurisdiction: str) -> tuple[str, ...]:
    # once per jurisdiction: a corpus of thousands has many regulations of each
    out = [jurisdiction]
    for d in divisions():
        if d.name == jurisdiction:
            out += [d.short, *d.aliases]
    return tuple(sorted({n for n in out if len(n) >= 2}, key=len, reverse=True))


def neutralize(text: str, own: Sequence[str] = ()) -> str:
    """Replace what differs by jurisdiction alone, so that 湘潭市人民政府 ≈ 鄂尔多斯市人民政府."""
    text = _places().sub(text)
    for name in own:
        text = text.replace(name, PLACE_WORD)
    text = R.SELF_REFERENCE.sub(SELF_WORD, text)
    text = R.COUNTY_TIER.sub("县区", text)
    text = R.TOWNSHIP_TIER.sub("乡镇", text)
    text = R.VILLAGE_TIER.sub("村", text)
    return R.PREFECTURE_TIER.sub("市", text)


_WORDS = ProcessCache(200_000)  # neutralised text → its words: a text is cut once per process


def words(text: str) -> list[str]:
    """jieba words of a (neutralised) text, without punctuation and function words (cached: the
    same article compared with many others is cut once; the list must not be changed)."""
    return _cut_into(_WORDS.of(), text)


def words_cache() -> dict[str, list[str]]:
    """The process-wide cache of :func:`words`, for a corpus run to cut its texts into."""
    return _WORDS.of()


def _cut_into(cache: dict[str, list[str]], text: str) -> list[str]:
    got = cache.get(text)
    if got is None:
        got = cache[text] = [sys.intern(w) for w in tokenizer().lcut(text)
                             if not R.NON_WORD.fullmatch(w) and w not in STOPWORDS]
    return got


# every word met in this process gets one id: a prepared regulation keeps its term counts by id
_WORD_ID: dict[str, int] = {}
_WORD_OF: list[str] = []


def _word_id(w: str) -> int:
    i = _WORD_ID.get(w)
    if i is None:
        i = _WORD_ID[w] = len(_WORD_OF)
        _WORD_OF.append(w)
    return i


@dataclass
class Prepared:
    """One regulation's articles ready for scoring."""

    reg: Regulation
    articles: list[Article]
    flat: list[str]          # neutralised text without punctuation
    tokens: list[list[str]]  # neutralised jieba words
    headings: list[str]
    # per article, its paragraphs (款), items (项) and long paragraphs' sentences as (flat text,
    # words, is an item), when it has more than one paragraph or has items: what a piece of
    # another article may be (None: not known, e.g. a bare Part)
    units: list[list[tuple[str, list[str], bool]]] | None = None
    _terms: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    _unit_vectors: tuple | None = None  # (weights, short units, long units), made by the relation engine
    _lengths: np.ndarray | None = None
    # per article, whether it lies in the liability chapter (:func:`liability`); None: not known
    liability: np.ndarray | None = None
    # per article, the indices of the articles of its own regulation it refers to (本条例第X条: :func:`own_refs`)
    refs: list[tuple[int, ...]] | None = None

    def liability_row(self) -> np.ndarray:
        """:attr:`liability`, NaN (not known) for every article when it is None."""
        return self.liability if self.liability is not None else np.full(self.n, np.nan, np.float32)

    def lengths(self) -> np.ndarray:
        """Characters of each article's flat text (which of two articles is the shorter)."""
        if self._lengths is None:
            self._lengths = np.fromiter(map(len, self.flat), np.int64, count=len(self.flat))
        return self._lengths

    @property
    def n(self) -> int:
        return len(self.articles)

    def __getstate__(self) -> dict:
        # the cached terms hold this process's word ids: another process recomputes them
        return self.__dict__ | {"_terms": None, "_unit_vectors": None}

    def terms(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(article row, word id, sublinear term frequency 1 + ln count) of every word of every
        article, computed once: vocabularies of any set of regulations are built from these."""
        if self._terms is None:
            lengths = [len(t) for t in self.tokens]
            ids = np.fromiter((_word_id(w) for t in self.tokens for w in t), np.int64, count=sum(lengths))
            rows = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
            # one entry per (row, word): sorted by row, then by word id
            key, counts = np.unique(rows * (len(_WORD_OF) + 1) + ids, return_counts=True)
            rows, ids = np.divmod(key, len(_WORD_OF) + 1)
            self._terms = (rows, ids, 1.0 + np.log(counts.astype(np.float64)))
        return self._terms


_PREPARED: OrderedDict[tuple, Prepared] = OrderedDict()  # the regulations prepared last (pairs reuse them)
_PREPARED_MAX = 256


def prepare(reg: Regulation, cache: dict[str, list[str]] | None = None) -> Prepared:
    """A regulation's articles ready for scoring. The last few hundred regulations prepared are
    kept, so that comparing one regulation with many prepares it once; ``cache`` (neutralised
    text → words, for corpus-wide runs) is shared across regulations instead."""
    if cache is not None:
        return _prepare(reg, cache)
    key = (id(reg), reg.doc_id, reg.jurisdiction, len(reg.articles), hash(reg.text))
    hit = _PREPARED.get(key)
    if hit is not None and hit.reg is reg:
        _PREPARED.move_to_end(key)
        return hit
    p = _PREPARED[key] = _prepare(reg, None)
    if len(_PREPARED) > _PREPARED_MAX:
        _PREPARED.popitem(last=False)
    return p


def _prepare(reg: Regulation, cache: dict[str, list[str]] | None) -> Prepared:
    own = own_names(reg)
    arts = list(reg.articles)
    neutral = [neutralize(a.text, own) for a in arts]
    cut = words if cache is None else partial(_cut_into, cache)
    flat = [R.NON_WORD.sub("", t) for t in neutral]
    tokens, units = [], []
    for a, t, f in zip(arts, neutral, flat):
        paragraphs = t.split("\n")  # an article's text is its paragraphs joined by newlines
        if len(paragraphs) == len(a.paragraphs) > 1:
            # words never cross a newline: the article's words are its paragraphs' words, cut once
            cuts = [cut(x) for x in paragraphs]
            tokens.append([w for c in cuts for w in c])
        else:
            cuts = None
            tokens.append(cut(t))
        units.append(_units(a, f, own, cut, paragraphs, cuts))
    return Prepared(
        reg=reg, articles=arts, flat=flat, tokens=tokens,
        headings=[R.NON_WORD.sub("", neutralize(a.heading, own)) if a.heading else "" for a in arts],
        units=units, liability=liability(reg), refs=own_refs(arts),
    )


def own_refs(arts: Sequence[Article]) -> list[tuple[int, ...]]:
    """Per article, the indices of the articles of its own regulation it refers to (违反本条例第二十七条
    规定, 本办法第十九条、第二十条所列, 第三条至第五条); itself and numbers no article has are left out."""
    index: dict[int, int] = {}
    for k, a in enumerate(arts):
        index.setdefault(a.number, k)
    out = []
    for k, a in enumerate(arts):
        got: set[int] = set()
        for m in R.OWN_ARTICLE_REF.finditer(a.text):
            prev = None
            for r in R.REF_ARTICLE_NUM.finditer(m.group(0)):
                n = parse_numeral(r.group("num"))
                if n is None:
                    continue
                span = [n]
                if prev is not None and "至" in m.group(0)[r.start() - 1:r.start()]:
                    span = range(prev + 1, n + 1)  # 第三条至第五条
                got.update(index[x] for x in span if x in index)
                prev = n
        got.discard(k)
        out.append(tuple(sorted(got)))
    return out


def liability(reg: Regulation) -> np.ndarray | None:
    """Per article: 1.0 inside the regulation's liability chapter (法律责任, 罚则), 0.0 outside it
    for an article that sanctions nothing itself, NaN for a penalty written elsewhere; None when
    the regulation has no such chapter (nothing is known). In a chapter of rewards and penalties
    (奖励与处罚, 奖惩) an article that sanctions is a penalty (1.0) and a reward is neither (NaN).

    A penalty and the duty it sanctions share their words (the list of prohibited acts is
    repeated), but a 条文对照表 never puts them on one row: :func:`~.scores.combine` lowers their
    score (``LIABILITY_APART``)."""
    titles = [(c, R.NON_WORD.sub("", c.title or "")) for c in reg.chapters]
    inside = {id(a) for c, t in titles if R.LIABILITY_CHAPTER.match(t) for a in c.articles}
    mixed = {id(a) for c, t in titles if R.REWARD_AND_PENALTY_CHAPTER.match(t) for a in c.articles}
    if not inside and not mixed:
        return None
    return np.array([1.0 if id(a) in inside or (id(a) in mixed and R.SANCTION_ALONE.search(a.text))
                     else (np.nan if id(a) in mixed or R.SANCTION_ALONE.search(a.text) else 0.0)
                     for a in reg.articles], np.float32)


def _units(art: Article, flat: str, own: Sequence[str], cut, paragraphs: list[str],
           cuts: list[list[str]] | None) -> list[tuple[str, list[str], bool]]:
    """An article's paragraphs, items and long paragraphs' sentences as (flat text, words, is an
    item); none for a one-paragraph article without items (its only unit is itself).
    ``paragraphs``/``cuts``: its neutralised paragraphs and their words when known."""
    if not art.paragraphs or (len(art.paragraphs) == 1 and not art.paragraphs[0].items):
        return []
    known = cuts is not None
    texts = [(paragraphs[k] if known else neutralize(p.text, own), cuts[k] if known else None, False)
             for k, p in enumerate(art.paragraphs)]
    # the sentences of a long paragraph: one sentence of an omnibus paragraph may be all that
    # another text keeps of it (a paragraph per actor, condensed into one sentence elsewhere)
    texts += [(s, None, False) for n, _, _ in texts if len(n) >= SENTENCES_FROM
              for s in R.SENTENCE.findall(n) if len(s) < len(n)]
    texts += [(neutralize(it.text, own), None, True) for p in art.paragraphs for it in p.items]
    out, seen = [], {flat}
    for n, words_, item in texts:
        f = R.NON_WORD.sub("", n)
        if f and f not in seen:
            seen.add(f)
            out.append((f, words_ if words_ is not None else cut(n), item))
    return out


@dataclass
class WordRows:
    """Articles as rows over a vocabulary's words: TF-IDF (L2), IDF-weighted presence, presence,
    rare-word presence, and the IDF size of each article."""

    tfidf: sparse.csr_matrix
    present: sparse.csr_matrix     # binary
    size: np.ndarray               # sum of IDF over the article's words
    idf_present: sparse.csr_matrix
    rare: sparse.csr_matrix        # binary, rare words only
    # binary, the words the article's own regulation uses in at most ``OWN_RARE`` articles: what it
    # says of its own matter, not the vocabulary of its field (every 消防 article says 消防)
    own: sparse.csr_matrix


class Vocabulary:
    """Word ids and IDF weights over a set of prepared regulations (boilerplate weighs little)."""

    def __init__(self, prepared: Iterable[Prepared] = ()):
        ids, n_articles = [], 0
        for p in prepared:
            ids.append(p.terms()[1])
            n_articles += p.n
        counts = np.bincount(np.concatenate(ids), minlength=0) if ids else np.zeros(0, np.int64)
        present = np.flatnonzero(counts)
        self._weigh({_WORD_OF[i]: int(counts[i]) for i in present}, n_articles)

    @classmethod
    def from_counts(cls, df: dict[str, int], n_articles: int) -> Vocabulary:
        """A vocabulary from summed document frequencies (partitions of a corpus need not meet)."""
        vocab = cls.__new__(cls)
        vocab._weigh(dict(sorted(df.items())), n_articles)
        return vocab

    def _weigh(self, df: dict[str, int], n_articles: int) -> None:
        # ids only name columns: their order changes no score
        self.index: dict[str, int] = {w: i for i, w in enumerate(df)}
        counts = np.array(list(df.values()), dtype=float)
        self.idf = np.log((1 + n_articles) / (1 + counts)) + 1.0
        self.rare = counts <= max(2.0, RARE * n_articles)   # topic words, not formulae
        self._column = np.full(0, -1, np.int64)  # process word id → column, built on demand
        self._rows: dict[int, tuple[Prepared, WordRows]] = {}  # per prepared regulation, kept while in use
        self._weights: dict[str, float] | None = None

    def __getstate__(self) -> dict:
        # _column is indexed by this process's word ids (_WORD_ID) and _rows by object ids: sent to
        # another process (a Dask worker) they would map words to the wrong columns there
        return {k: v for k, v in self.__dict__.items() if k not in ("_column", "_rows")}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._column = np.full(0, -1, np.int64)
        self._rows = {}

    def _columns(self, ids: np.ndarray) -> np.ndarray:
        if len(self._column) < len(_WORD_OF):
            column = np.full(len(_WORD_OF), -1, np.int64)
            for w, c in self.index.items():
                i = _WORD_ID.get(w)
                if i is not None:
                    column[i] = c
            self._column = column
        return self._column[ids]

    @property
    def weights(self) -> dict[str, float]:
        """Word → IDF (the weights of the split/merge coverage test)."""
        if self._weights is None:
            self._weights = dict(zip(self.index, self.idf.tolist()))
        return self._weights

    def rows(self, p: Prepared, keep: bool = True) -> WordRows:
        """p's articles as word rows of this vocabulary (kept, so computed once per regulation,
        unless ``keep`` is False: a corpus-wide run stacks them and lets them go)."""
        got = self._rows.get(id(p))
        if got is not None and got[0] is p:
            return got[1]
        tfidf, idf_present = self.matrices(p)
        # 0/1 rows in float32: exact, and half the memory of a corpus-wide float64 copy
        present = idf_present.astype(np.float32)
        present.data[:] = 1.0
        rare = (present @ sparse.diags(self.rare.astype(np.float32))).tocsr()
        rare.eliminate_zeros()
        size = np.asarray(idf_present.sum(axis=1)).ravel()
        rows = WordRows(tfidf, present, size, idf_present, rare, self.own_rare(p))
        if keep:
            self._rows[id(p)] = (p, rows)
        return rows

    def own_rare(self, p: Prepared) -> sparse.csr_matrix:
        """Binary rows of p's articles over this vocabulary's words: the words p itself uses in at
        most ``OWN_RARE`` of its articles (:attr:`WordRows.own`)."""
        rows, ids, _ = p.terms()
        _, inverse, counts = np.unique(ids, return_inverse=True, return_counts=True)
        cols = self._columns(ids)
        keep = (cols >= 0) & (counts[inverse] <= OWN_RARE)
        return sparse.csr_matrix((np.ones(int(keep.sum()), np.float32), (rows[keep], cols[keep])),
                                 shape=(p.n, len(self.index)))

    def matrices(self, p: Prepared) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """(L2-normalised sublinear TF-IDF, IDF-weighted presence) rows for p's articles."""
        rows, ids, vals = p.terms()
        cols = self._columns(ids)
        keep = cols >= 0
        shape = (p.n, len(self.index))
        tf = sparse.csr_matrix((vals[keep], (rows[keep], cols[keep])), shape=shape)
        present = tf.copy()
        present.data[:] = 1.0
        present = present.multiply(self.idf[None, :]).tocsr()
        tfidf = tf.multiply(self.idf[None, :] ** SHARPEN).tocsr()
        norms = np.sqrt(np.asarray(tfidf.multiply(tfidf).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        tfidf = sparse.diags(1.0 / norms) @ tfidf
        return tfidf.tocsr(), present
