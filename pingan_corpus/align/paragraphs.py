"""Paragraphs (款) across two regulations: which paragraph became which, and which ones moved to
another article — a drafter moves 款 between articles all the time, and an article-level link
alone cannot say so.

Every paragraph of a is scored against every paragraph of b with the signals and the combined
score of articles (:mod:`.scores`: character ratio, word cosine, containment, topic words), then
paired one-to-one globally (Hungarian algorithm, as articles are). A pair is kept when it is a
link on its own (``LINK``), when it is weaker (``WEAK``) but its two articles are linked, or when
one paragraph's weighted words lie almost wholly inside the other (``PARAGRAPH_INSIDE``, with
``TOPIC`` shared topic words): a paragraph condensed into a clause of its counterpart. A kept pair
whose articles are not linked at article level is a paragraph that *moved*.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from ..numerals import to_chinese
from ..parse import regexes as R
from .prepare import Prepared, Vocabulary, neutralize, own_names, words
from .relations import Link
from .scores import char_ratios, combine
from .thresholds import CLOSENESS, LINK, PARAGRAPH_INSIDE, TOPIC, WEAK

PARAGRAPH_COLUMNS = ["a_article", "a_paragraph", "b_article", "b_paragraph", "score", "relation", "method",
                     "moved", "a_text", "b_text"]


@dataclass
class Paragraphs:
    """The paragraphs of a prepared regulation, as rows (article index, paragraph number, words)."""

    article: np.ndarray   # index of the article in the Prepared
    number: np.ndarray    # 款 number within the article
    flat: list[str]
    tokens: list[list[str]]
    text: list[str]

    @property
    def n(self) -> int:
        return len(self.flat)


def paragraphs(p: Prepared) -> Paragraphs:
    """The paragraphs of ``p`` (its articles must be Article objects), neutralised like articles."""
    own = own_names(p.reg) if p.reg is not None else []
    art, num, flat, toks, text = [], [], [], [], []
    for i, a in enumerate(p.articles):
        for para in a.paragraphs:
            neutral = neutralize(para.text, own)
            f = R.NON_WORD.sub("", neutral)
            if f:
                art.append(i)
                num.append(para.number)
                flat.append(f)
                toks.append(words(neutral))
                text.append(para.text)
    return Paragraphs(np.array(art, np.int64), np.array(num, np.int64), flat, toks, text)


def _as_prepared(u: Paragraphs) -> Prepared:
    return Prepared(reg=None, articles=list(range(u.n)), flat=u.flat, tokens=u.tokens, headings=[""] * u.n)


def paragraph_pairs(pa: Prepared, pb: Prepared, links: list[Link], vocab: Vocabulary) -> list[tuple]:
    """(a paragraph row, b paragraph row, score, method) of the kept one-to-one paragraph pairs."""
    ua, ub = paragraphs(pa), paragraphs(pb)
    if not ua.n or not ub.n:
        return []
    ra, rb = vocab.rows(_as_prepared(ua), keep=False), vocab.rows(_as_prepared(ub), keep=False)
    char = char_ratios(ua.flat, ub.flat)
    cosine = (ra.tfidf @ rb.tfidf.T).toarray()
    inside_a = (ra.idf_present @ rb.present.T).toarray() / np.maximum(ra.size, 1e-9)[:, None]
    inside_b = (ra.present @ rb.idf_present.T).toarray() / np.maximum(rb.size, 1e-9)[None, :]
    topic = (ra.rare @ rb.rare.T).toarray()
    c = combine(char, cosine, np.full(char.shape, np.nan))
    linked = np.zeros((pa.n, pb.n), bool)
    for lk in links:
        linked[lk.i, lk.j] = True
    same_articles = linked[np.ix_(ua.article, ub.article)]
    inside = (np.maximum(inside_a, inside_b) >= PARAGRAPH_INSIDE) & (topic >= TOPIC)
    keep = (c >= LINK) | ((c >= WEAK) & same_articles) | inside
    # global one-to-one: the margin above WEAK, paragraphs of linked articles and containment first
    pos_a = (np.arange(ua.n) + 0.5) / ua.n
    pos_b = (np.arange(ub.n) + 0.5) / ub.n
    gain = np.where(keep, c - WEAK + 100.0 * (same_articles | inside) + CLOSENESS * (1 - np.abs(pos_a[:, None]
                                                                                                 - pos_b[None, :])), 0)
    rows, cols = linear_sum_assignment(-gain)
    out = []
    for r, q in zip(rows, cols):
        if not keep[r, q]:
            continue
        how = "fuzzy" if c[r, q] >= LINK else "article" if same_articles[r, q] else "inside"
        out.append((int(r), int(q), float(c[r, q]), how))
    return out


def paragraph_frame(pa: Prepared, pb: Prepared, links: list[Link], vocab: Vocabulary) -> pd.DataFrame:
    """One row per paragraph link or unmatched paragraph (columns ``PARAGRAPH_COLUMNS``), in b's
    order; ``moved`` marks a paragraph whose counterpart lies in an article its own is not linked to."""
    ua, ub = paragraphs(pa), paragraphs(pb)
    linked = {(lk.i, lk.j) for lk in links}
    recs = []
    seen_a, seen_b = set(), set()
    for r, q, score, how in paragraph_pairs(pa, pb, links, vocab):
        i, j = int(ua.article[r]), int(ub.article[q])
        rel = "identical" if ua.flat[r] == ub.flat[q] else "modified"
        recs.append((q, r, i, int(ua.number[r]), j, int(ub.number[q]), round(score, 1), rel, how,
                     (i, j) not in linked, ua.text[r], ub.text[q]))
        seen_a.add(r)
        seen_b.add(q)
    for r in range(ua.n):
        if r not in seen_a:
            recs.append((-1, r, int(ua.article[r]), int(ua.number[r]), None, None, np.nan, "deleted", "unmatched",
                         False, ua.text[r], ""))
    for q in range(ub.n):
        if q not in seen_b:
            recs.append((q, -1, None, None, int(ub.article[q]), int(ub.number[q]), np.nan, "added", "unmatched",
                         False, "", ub.text[q]))
    order = {r: q for q, r, *_ in recs if q >= 0 and r >= 0}

    def key(rec):
        q, r = rec[0], rec[1]
        if q >= 0:
            return (q, 0, r)
        earlier = [order[k] for k in order if k < r]
        return (max(earlier) if earlier else -1, 1, r)

    recs.sort(key=key)
    number_a = [a.number for a in pa.articles]
    number_b = [b.number for b in pb.articles]
    return pd.DataFrame({
        "a_article": pd.array([number_a[x[2]] if x[2] is not None else None for x in recs], "Int64"),
        "a_paragraph": pd.array([x[3] for x in recs], "Int64"),
        "b_article": pd.array([number_b[x[4]] if x[4] is not None else None for x in recs], "Int64"),
        "b_paragraph": pd.array([x[5] for x in recs], "Int64"),
        "score": pd.array([x[6] for x in recs], "Float64"),
        "relation": [x[7] for x in recs], "method": [x[8] for x in recs], "moved": [x[9] for x in recs],
        "a_text": [x[10] for x in recs], "b_text": [x[11] for x in recs],
    }, columns=PARAGRAPH_COLUMNS)


def moved_notes(frame: pd.DataFrame) -> dict[tuple[str, int], list[str]]:
    """The 说明 of paragraph moves, by side and article number: a's 第二款 moved to b's 第十五条
    (``("a", 12): ["第二款移至第十五条第一款"]``) and where b's paragraphs came from."""
    notes: dict[tuple[str, int], list[str]] = {}
    for r in frame[frame["moved"]].itertuples():
        notes.setdefault(("a", int(r.a_article)), []).append(
            f"第{to_chinese(int(r.a_paragraph))}款移至第{to_chinese(int(r.b_article))}条第{to_chinese(int(r.b_paragraph))}款")
        notes.setdefault(("b", int(r.b_article)), []).append(
            f"第{to_chinese(int(r.b_paragraph))}款来自第{to_chinese(int(r.a_article))}条第{to_chinese(int(r.a_paragraph))}款")
    return notes


__all__ = ["PARAGRAPH_COLUMNS", "Paragraphs", "moved_notes", "paragraph_frame", "paragraph_pairs", "paragraphs"]
