"""Many regulations: pairwise links, coverage of a reference (Coverage), document similarity,
provision families and diffusion edges."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ArgumentError, UnknownNameError
from ..models import Article, Regulation, as_regulations, regulation_name
from .pairs import link_articles
from .prepare import _PLACE, _SELF, Prepared, Vocabulary, prepare
from .relations import STRONG_RELATIONS
from .scores import score_against


@dataclass
class Coverage:
    """Which of the reference's provisions each other regulation has (``pc.compare_many``)."""

    reference: Regulation
    frame: pd.DataFrame    # cells: matched article labels with scores, "" when none
    scores: pd.DataFrame   # best score per cell, NaN when none
    links: pd.DataFrame    # long form: reference_article, doc_id, jurisdiction, article_no, score, relation

    def plot(self, ax=None, title: str | None = None):
        """Heatmap of ``scores`` (grey = no counterpart); returns the Axes."""
        from ..present.plots import coverage_heatmap

        return coverage_heatmap(self.scores, ax=ax,
                                title=title or f"{regulation_name(self.reference)}：条文覆盖")

    def _repr_html_(self) -> str:
        return self.frame._repr_html_()


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
        raise ArgumentError("the reference regulation is not among the regulations compared")
    if isinstance(ref, int):
        return ref
    for k, r in enumerate(regs):
        if r.doc_id == ref:
            return k
    raise UnknownNameError(f"no regulation with doc_id {ref!r} among {', '.join(r.doc_id for r in regs[:8])}")


def compare_many(regs, reference=0):
    """Coverage of the ``reference``'s articles in every other regulation.

    Returns a :class:`Coverage`: ``.frame`` (rows: the reference's
    articles, columns: jurisdictions, cells such as "第12条 (87)"; several counterparts are
    joined by "、"), ``.scores`` (best score per cell, NaN when there is no strong counterpart),
    ``.links`` (the long table) and ``.plot()``.
    """
    regs = as_regulations(regs)
    k_ref = _resolve(regs, reference)
    prepared = [prepare(r) for r in regs]
    vocab = Vocabulary(prepared)
    names = column_names(regs)
    ref = prepared[k_ref]
    rows = [f"{a.label}" + (f"【{a.heading}】" if a.heading else "") for a in ref.articles]
    cells = pd.DataFrame("", index=rows, columns=[n for k, n in enumerate(names) if k != k_ref])
    scores = pd.DataFrame(np.nan, index=rows, columns=cells.columns)
    long = []
    others = [p for k, p in enumerate(prepared) if k != k_ref]
    scored = dict(zip(map(id, others), score_against(ref, others, vocab)))
    for k, p in enumerate(prepared):
        if k == k_ref:
            continue
        links, _ = link_articles(ref, p, vocab, scored[id(p)])
        for lk in sorted(links, key=lambda lk: (lk.i, -lk.score)):
            if lk.relation not in STRONG_RELATIONS:
                continue
            art = p.articles[lk.j]
            label = f"{art.label} ({lk.score:.0f})"
            cells.iat[lk.i, cells.columns.get_loc(names[k])] = \
                "、".join(filter(None, [cells.iat[lk.i, cells.columns.get_loc(names[k])], label]))
            cur = scores.iat[lk.i, scores.columns.get_loc(names[k])]
            scores.iat[lk.i, scores.columns.get_loc(names[k])] = lk.score if np.isnan(cur) else max(cur, lk.score)
            long.append({"reference_article": ref.articles[lk.i].number, "doc_id": p.reg.doc_id,
                         "jurisdiction": names[k], "article_no": art.number, "score": round(lk.score, 1),
                         "relation": lk.relation})
    return Coverage(reference=regs[k_ref], frame=cells, scores=scores,
                    links=pd.DataFrame(long, columns=["reference_article", "doc_id", "jurisdiction",
                                                      "article_no", "score", "relation"]))


def pairwise_links(regs) -> pd.DataFrame:
    """Every link between every pair of regulations (each pair once, a before b in input order).

    Columns: doc_a, article_a, doc_b, article_b, score, relation, method. Scoring uses one
    vocabulary for the whole set, so words shared by most articles of the corpus weigh little.
    """
    regs = as_regulations(regs)
    prepared = [prepare(r) for r in regs]
    vocab = Vocabulary(prepared)
    out = []
    for x in range(len(prepared)):
        later = prepared[x + 1:]
        pa = prepared[x]
        # x against every later regulation: one block of scores
        for pb, scores in zip(later, score_against(pa, later, vocab)):
            links, _ = link_articles(pa, pb, vocab, scores)
            out += [(pa.reg.doc_id, pa.articles[lk.i].number, pb.reg.doc_id, pb.articles[lk.j].number,
                     round(lk.score, 1), lk.relation, lk.method) for lk in links]
    return pd.DataFrame(out, columns=["doc_a", "article_a", "doc_b", "article_b", "score", "relation", "method"])


def similarity(regs, links: pd.DataFrame | None = None) -> pd.DataFrame:
    """Document × document share of aligned text (0–1): row doc's characters, weighted by link
    score, that lie in articles with a strong counterpart in the column doc. Not symmetric: a
    short regulation can lie wholly inside a long one."""
    regs = as_regulations(regs)
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

    regs = as_regulations(regs)
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
    idf = vocab.weights
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
    regs = as_regulations(regs)
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
