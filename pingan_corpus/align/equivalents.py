"""Words that stand for one another, learned from provisions that align across regulations.

Two regulations that say the same thing in different words show the substitution: where one
article of a strong link writes 综治 and its counterpart writes 平安建设 *in the same place* (the
words around them agree), the pair is one piece of evidence. ``learn_equivalents`` lines up the
words of every reworded link, collects the short spans replaced one for the other, and keeps the
pairs that several pairs of regulations show and that seldom stand side by side. The result is a
table for a person to review: rows marked ``accepted`` in
``pingan_corpus/data/equivalents_learned.csv`` become equivalents of the mandates query.
"""
from __future__ import annotations

from collections import defaultdict
from difflib import SequenceMatcher

import pandas as pd

from ..models import as_regulations
from .many import pairwise_links
from .prepare import neutralize, words

__all__ = ["EQUIVALENT_COLUMNS", "learn_equivalents"]

EQUIVALENT_COLUMNS = ["term", "equivalent", "support", "score", "together", "example", "status"]
MIN_SUPPORT = 2      # pairs of regulations in which the two words replace one another
MAX_SPAN = 2         # words on either side of a replacement (综治 ↔ 平安 建设)
CONTEXT = 2          # words that must agree before and after it
MAX_TOGETHER = 0.2   # share of the rarer word's articles that also hold the other word
_REWORDED = ("modified", "split", "merged")  # an identical link replaces nothing


def _slots(a: list[str], b: list[str]):
    """The short spans of ``a`` replaced by short spans of ``b``, with agreeing words around."""
    sm = SequenceMatcher(None, a, b, autojunk=False)
    ops = sm.get_opcodes()
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag != "replace" or i2 - i1 > MAX_SPAN or j2 - j1 > MAX_SPAN:
            continue
        before = ops[k - 1] if k else None
        after = ops[k + 1] if k + 1 < len(ops) else None
        if (before and before[0] == "equal" and before[2] - before[1] >= CONTEXT
                and after and after[0] == "equal" and after[2] - after[1] >= CONTEXT):
            x, y = "".join(a[i1:i2]), "".join(b[j1:j2])
            if len(x) >= 2 and len(y) >= 2 and not any(c.isdigit() for c in x + y):
                yield x, y


def learn_equivalents(corpus_or_regs, links: pd.DataFrame | None = None,
                      min_support: int = MIN_SUPPORT) -> pd.DataFrame:
    """Pairs of words written in the same place of aligned provisions, strongest first.

    Columns: term, equivalent (the pair, in alphabetical order), support (pairs of regulations
    whose aligned provisions replace one by the other), score (support over the number of
    regulations using the rarer word), together (share of the rarer word's articles that also
    hold the other: true equivalents seldom stand side by side), example (one link, ``doc:article
    ↔ doc:article``), status (empty: for the reviewer). ``links``: ``pairwise_links`` of the
    same regulations, when already computed; only reworded strong links are read.
    """
    regs = as_regulations(corpus_or_regs)
    links = pairwise_links(regs) if links is None else links
    links = links[links["relation"].astype(str).isin(_REWORDED)]
    text = {(r.doc_id, a.number): words(neutralize(a.text)) for r in regs for a in r.articles}
    support: dict[tuple[str, str], set] = defaultdict(set)
    example: dict[tuple[str, str], str] = {}
    for r in links.itertuples(index=False):
        a, b = text.get((r.doc_a, r.article_a)), text.get((r.doc_b, r.article_b))
        if not a or not b:
            continue
        for x, y in _slots(a, b):
            key = (x, y) if x < y else (y, x)
            support[key].add(tuple(sorted((r.doc_a, r.doc_b))))
            example.setdefault(key, f"{r.doc_a}:{r.article_a} ↔ {r.doc_b}:{r.article_b}")
    candidates = {k: len(v) for k, v in support.items() if len(v) >= min_support}
    needed = {w for k in candidates for w in k}
    where: dict[str, set] = defaultdict(set)  # word → the articles (and regulations) that use it
    docs: dict[str, set] = defaultdict(set)
    for (doc, no), ws in text.items():
        joined = "".join(ws)
        for w in needed:
            if w in joined:
                where[w].add((doc, no))
                docs[w].add(doc)
    rows = []
    for (x, y), n in candidates.items():
        rare = min(len(docs[x]), len(docs[y])) or 1
        together = len(where[x] & where[y]) / max(1, min(len(where[x]), len(where[y])))
        if together <= MAX_TOGETHER:
            rows.append((x, y, n, round(min(1.0, n / rare), 3), round(together, 3), example[(x, y)], ""))
    out = pd.DataFrame(rows, columns=EQUIVALENT_COLUMNS)
    return out.sort_values(["support", "score", "term"], ascending=[False, False, True]).reset_index(drop=True)
