"""What alignment compares: each article neutralised (what differs by jurisdiction alone replaced),
stripped to its characters, cut into words once; and the vocabulary that weighs the words.

Words are cut with alignment's own jieba dictionary, once per distinct neutralised text (a
``cache`` shared by the regulations of a corpus: copied provisions are cut once).
"""
from __future__ import annotations

import logging
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import jieba
import numpy as np
from scipy import sparse

from ..models import Article, Regulation
from ..parse import regexes as R
from ..parse.gazetteer import divisions
from .thresholds import RARE, SHARPEN

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


def prepare(reg: Regulation, cache: dict[str, list[str]] | None = None) -> Prepared:
    """A regulation's articles ready for scoring; ``cache`` (neutralised text → words) is shared
    across regulations so that a provision copied into many of them is cut once."""
    own = _own_names(reg)
    arts = list(reg.articles)
    neutral = [neutralize(a.text, own) for a in arts]
    if cache is None:
        tokens = [words(t) for t in neutral]
    else:
        tokens = []
        for t in neutral:
            got = cache.get(t)
            if got is None:  # interned: a corpus holds each word once, however many articles use it
                got = cache[t] = [sys.intern(w) for w in words(t)]
            tokens.append(got)
    return Prepared(
        reg=reg, articles=arts,
        flat=[R.NON_WORD.sub("", t) for t in neutral],
        tokens=tokens,
        headings=[R.NON_WORD.sub("", neutralize(a.heading, own)) if a.heading else "" for a in arts],
    )



class Vocabulary:
    """Word ids and IDF weights over a set of prepared regulations (boilerplate weighs little)."""

    def __init__(self, prepared: Iterable[Prepared] = ()):
        df: Counter = Counter()
        n_articles = 0
        for p in prepared:
            for toks in p.tokens:
                n_articles += 1
                df.update(dict.fromkeys(toks, 1))
        self._weigh(df, n_articles)

    @classmethod
    def from_counts(cls, df: dict[str, int], n_articles: int) -> Vocabulary:
        """A vocabulary from summed document frequencies (partitions of a corpus need not meet)."""
        vocab = cls.__new__(cls)
        vocab._weigh(dict(sorted(df.items())), n_articles)
        return vocab

    def _weigh(self, df: dict[str, int], n_articles: int) -> None:
        # words in first-seen order (or sorted, from counts): ids only name columns
        self.index: dict[str, int] = {w: i for i, w in enumerate(df)}
        counts = np.array(list(df.values()), dtype=float)
        self.idf = np.log((1 + n_articles) / (1 + counts)) + 1.0
        self.rare = counts <= max(2.0, RARE * n_articles)   # topic words, not formulae

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
