"""Many regulations: pairwise links, coverage of a reference (Coverage), document similarity,
provision families and diffusion edges."""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..duties.changes import CHANGE_COLUMNS, ChangeFinder, duties_by_article
from ..errors import ArgumentError, UnknownNameError
from ..models import Article, Regulation, as_regulations, regulation_name
from .pairs import link_articles, word_diff
from .prepare import PLACE_WORD, SELF_WORD, Prepared, Vocabulary, prepare
from .relations import STRONG_RELATIONS
from .scores import score_against

MULTI_CELL_COLUMNS = ["row", "peer", "doc_id", "article_no", "label", "heading", "text", "relation", "score",
                      "ops", *CHANGE_COLUMNS]
MULTI_ROW_COLUMNS = ["row", "kind", "article_no", "label", "heading", "text", "family_label"]


@dataclass
class Coverage:
    """Which of the reference's provisions each other regulation has (``pc.compare_many``).

    ``frame``/``scores``/``links`` summarise; ``rows`` and ``cells`` are the 多地对照表 itself —
    the reference's (draft's) articles in order, the peers' counterparts with word diffs against
    it and legal-force flags, and rows for provisions only peers have, placed after their nearest
    draft neighbour — written by ``to_docx``, ``to_excel`` and ``to_html``.
    """

    reference: Regulation
    frame: pd.DataFrame    # cells: matched article labels with scores, "" when none
    scores: pd.DataFrame   # best score per cell, NaN when none
    links: pd.DataFrame    # long form: reference_article, doc_id, jurisdiction, article_no, score, relation
    peers: list[Regulation] = field(default_factory=list)
    _pair_links: dict[str, list] = field(default_factory=dict, repr=False)
    _table: tuple[pd.DataFrame, pd.DataFrame] | None = field(default=None, repr=False)

    @property
    def peer_names(self) -> list[str]:
        """The column names of the peers (jurisdictions, unique), in the order given."""
        return list(self.frame.columns)

    @property
    def rows(self) -> pd.DataFrame:
        """One row per table row: row, kind ("draft": an article of the reference; "peers": a
        provision only peers have), article_no, label, heading, text (the reference's; empty on
        "peers" rows), family_label (the provision's label on "peers" rows)."""
        return self._multi()[0]

    @property
    def cells(self) -> pd.DataFrame:
        """One row per counterpart shown: row, peer, doc_id, article_no, label, heading, text,
        relation (to the reference's article; "added" on "peers" rows), score, ops (word diff
        against the reference's text), force_change, bearer_change, figures_change, changes."""
        return self._multi()[1]

    def _multi(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        if self._table is None:
            self._table = _multi_table(self)
        return self._table

    def plot(self, ax=None, title: str | None = None):
        """Heatmap of ``scores`` (grey = no counterpart); returns the Axes."""
        from ..present.plots import coverage_heatmap

        return coverage_heatmap(self.scores, ax=ax,
                                title=title or f"{regulation_name(self.reference)}：条文覆盖")

    def to_html(self, path=None, standalone: bool = False) -> str | None:
        """The 多地对照表 as HTML with its own filters (relation, legal-force changes): a fragment
        returned as a string, or (``path``) a standalone page written there."""
        from ..present.multi import multi_html, write_multi_html

        if path is None:
            return multi_html(self, standalone=standalone)
        write_multi_html(self, path)
        return None

    def to_docx(self, path) -> None:
        """A landscape Word 多地对照表: the reference and one column per peer, header row repeated."""
        from ..present.multi import write_multi_docx

        write_multi_docx(self, path)

    def to_excel(self, path) -> None:
        """An .xlsx 多地对照表: frozen panes, filters, a 说明 column per peer, changes coloured."""
        from ..present.multi import write_multi_excel

        write_multi_excel(self, path)

    def _repr_html_(self) -> str:
        return self.frame._repr_html_()


def column_names(regs: Sequence[Regulation]) -> list[str]:
    """Short unique column names: the jurisdiction (草案 marked), else the doc_id."""
    names = [(r.jurisdiction or r.doc_id or f"doc{k}") + ("（草案）" if r.status == "draft" and r.jurisdiction else "")
             for k, r in enumerate(regs)]
    count = Counter(names)
    return [n if count[n] == 1 else (r.doc_id or f"{n}#{k}") for k, (n, r) in enumerate(zip(names, regs))]


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


def _draft_and_peers(regs, reference):
    """(regulations, index of the reference) for both calling forms of :func:`compare_many`."""
    if isinstance(regs, Regulation) and not isinstance(reference, (int, str, Regulation)):
        peers = as_regulations(reference)
        if not peers:
            raise ArgumentError("compare_many(draft, peers) needs at least one peer regulation")
        return [regs, *peers], 0
    regs = as_regulations(regs)
    return regs, _resolve(regs, reference)


def compare_many(regs, reference=0):
    """The reference's (a draft's) articles against several regulations: a 多地对照表.

    Two forms: ``compare_many(draft, peers)`` (a regulation and a list, a folder's corpus …) and
    ``compare_many(regs, reference=0)`` (the reference by position, doc_id or object). Returns a
    :class:`Coverage`: ``.frame`` (rows: the reference's articles, columns: the peers'
    jurisdictions, cells such as "第12条 (87)"; several counterparts are joined by "、"),
    ``.scores`` (best score per cell, NaN when there is no strong counterpart), ``.links`` (the
    long table), ``.plot()``, and the full table — ``.rows``/``.cells`` with word diffs and
    legal-force flags, ``.to_docx()``, ``.to_excel()``, ``.to_html()``.
    """
    regs, k_ref = _draft_and_peers(regs, reference)
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
    pair_links = {}
    for k, p in enumerate(prepared):
        if k == k_ref:
            continue
        links, _ = link_articles(ref, p, vocab, scored[id(p)])
        pair_links[names[k]] = links
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
                                                      "article_no", "score", "relation"]),
                    peers=[r for k, r in enumerate(regs) if k != k_ref], _pair_links=pair_links)


def _multi_table(cov: Coverage) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``rows`` and ``cells`` of the 多地对照表 (see :class:`Coverage`)."""
    ref = cov.reference
    arts = ref.articles
    duties_ref = duties_by_article(ref)
    placed: dict[int, list[tuple[str, int]]] = {}   # reference index → peer-only articles after it
    cells = []
    for name, peer in zip(cov.peer_names, cov.peers):
        links = cov._pair_links.get(name, [])
        finder = ChangeFinder(ref, peer, duties=(duties_ref, duties_by_article(peer)))
        linked_j = {lk.j for lk in links}
        by_j = {}
        for lk in links:
            by_j.setdefault(lk.j, []).append(lk.i)
        for lk in sorted(links, key=lambda lk: (lk.i, lk.j)):
            a, b = arts[lk.i], peer.articles[lk.j]
            change = finder.change(a.number, b.number)
            force, bearer, figures = change.flags()
            cells.append({"_i": lk.i, "peer": name, "doc_id": peer.doc_id, "article_no": b.number,
                          "label": b.label, "heading": b.heading, "text": b.text, "relation": lk.relation,
                          "score": round(float(lk.score), 1), "ops": word_diff(a.text, b.text),
                          "force_change": force, "bearer_change": bearer,
                          "figures_change": figures, "changes": change.note()})
        last_i = -1
        for j in range(len(peer.articles)):
            if j in linked_j:
                last_i = max(by_j[j])
                continue
            placed.setdefault(last_i, []).append((name, j))
    # the rows: each reference article, then the peer-only provisions placed after it
    rows, row_of_i, extra = [], {}, []
    peer_by_name = dict(zip(cov.peer_names, cov.peers))

    def add_extra(anchor: int) -> None:
        for name, j in placed.get(anchor, []):
            b = peer_by_name[name].articles[j]
            rows.append({"kind": "peers", "article_no": None, "label": "", "heading": None, "text": "",
                         "family_label": b.heading or ""})
            extra.append({"_row": len(rows) - 1, "peer": name, "doc_id": peer_by_name[name].doc_id,
                          "article_no": b.number, "label": b.label, "heading": b.heading, "text": b.text,
                          "relation": "added", "score": float("nan"), "ops": [("insert", b.text)],
                          "force_change": False, "bearer_change": False, "figures_change": False,
                          "changes": ""})

    add_extra(-1)
    for i, a in enumerate(arts):
        rows.append({"kind": "draft", "article_no": a.number, "label": a.label, "heading": a.heading,
                     "text": a.text, "family_label": ""})
        row_of_i[i] = len(rows) - 1
        add_extra(i)
    for c in cells:
        c["_row"] = row_of_i[c.pop("_i")]
    rows_df = pd.DataFrame(rows, columns=MULTI_ROW_COLUMNS[1:])
    rows_df.insert(0, "row", range(len(rows_df)))
    rows_df["article_no"] = rows_df["article_no"].astype("Int64")
    cells_df = pd.DataFrame(cells + extra)
    if cells_df.empty:
        cells_df = pd.DataFrame(columns=["_row", *MULTI_CELL_COLUMNS[1:]])
    cells_df = cells_df.rename(columns={"_row": "row"})[MULTI_CELL_COLUMNS]
    order = {n: k for k, n in enumerate(cov.peer_names)}
    cells_df = cells_df.sort_values(["row", "peer"], key=lambda s: s.map(order) if s.name == "peer" else s,
                                    kind="stable").reset_index(drop=True)
    return rows_df, cells_df


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
    short regulation can lie wholly inside a long one.

    Linear in the links (one grouping per side, no loop over document pairs)."""
    regs = as_regulations(regs)
    links = pairwise_links(regs) if links is None else links
    names = column_names(regs)
    pos = {r.doc_id: k for k, r in enumerate(regs)}
    length = {(r.doc_id, a.number): len(a.text) for r in regs for a in r.articles}
    total = np.array([sum(len(a.text) for a in r.articles) or 1 for r in regs], dtype=float)
    m = np.eye(len(regs))
    strong = links[links["relation"].isin(STRONG_RELATIONS)]
    for side, other in (("a", "b"), ("b", "a")):
        # best score of each article in each other document; sorted, so that every cell sums its
        # articles in article order (the same floating-point sum whatever the links' order)
        best = strong.groupby([f"doc_{side}", f"article_{side}", f"doc_{other}"])["score"].max()
        if not len(best):
            continue
        d, n, o = (best.index.get_level_values(k) for k in range(3))
        size = np.fromiter((length[key] for key in zip(d, n)), dtype=np.int64, count=len(best))
        rows = np.fromiter((pos[x] for x in d), dtype=np.int64, count=len(best))
        cols = np.fromiter((pos[x] for x in o), dtype=np.int64, count=len(best))
        cell, at = np.unique(rows * len(regs) + cols, return_inverse=True)
        reused = np.zeros(len(cell))
        np.add.at(reused, at, size * best.to_numpy(dtype=float) / 100.0)  # (in order: article by article)
        m.flat[cell] = reused / total[cell // len(regs)]
    return pd.DataFrame(m, index=names, columns=names)


def provision_families(regs, links: pd.DataFrame | None = None, min_size: int = 2) -> pd.DataFrame:
    """Clusters of equivalent articles across regulations, each with a label.

    Strong links form a graph; a connected component holding two articles of one document is
    split by Louvain communities (seeded), and a component Louvain cannot cut loses its weakest
    link. The label is the most frequent heading, else the words most members share
    (IDF-weighted). One row per member: family, label, size, doc_id, jurisdiction, article_no,
    heading, text.

    The same links give the same families whatever the hash seed: articles are numbered in corpus
    order, and each component is handed to Louvain as a new graph of those numbers, built in
    sorted order (a networkx subgraph view of tuples would walk a set, whose order follows
    ``PYTHONHASHSEED``). Components are found with scipy, and verbatim copies (``identical``
    links, never two articles of one document) enter community detection as one node, so that a
    corpus of a thousand documents with hundreds of thousands of links takes seconds.
    """
    regs = as_regulations(regs)
    links = pairwise_links(regs) if links is None else links
    by_key = {(r.doc_id, a.number): (r, a) for r in regs for a in r.articles}
    keys = list(by_key)                        # corpus order, then article order
    node = {k: i for i, k in enumerate(keys)}
    rank = {r.doc_id: k for k, r in enumerate(regs)}
    doc_of = np.fromiter((rank[d] for d, _ in keys), dtype=np.int64, count=len(keys))
    strong = links[links["relation"].isin(STRONG_RELATIONS)]
    u = np.fromiter((node[k] for k in zip(strong["doc_a"], strong["article_a"])), np.int64, count=len(strong))
    v = np.fromiter((node[k] for k in zip(strong["doc_b"], strong["article_b"])), np.int64, count=len(strong))
    w = strong["score"].to_numpy(dtype=float)
    groups = _families(u, v, w, (strong["relation"] == "identical").to_numpy(), doc_of)
    groups = [sorted(keys[i] for i in c) for c in groups if len(c) >= min_size]
    groups.sort(key=lambda c: (-len(c), c[0]))
    need_words = any(not any(by_key[k][1].heading for k in members) for members in groups)
    prepared: dict[str, Prepared] = {}
    idf: dict[str, float] = {}
    if need_words:  # a family without headings is labelled by its shared words
        prepared = {r.doc_id: prepare(r) for r in regs}
        idf = Vocabulary(prepared.values()).weights
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


def _components(nodes: np.ndarray, a: np.ndarray, b: np.ndarray) -> list[np.ndarray]:
    """Connected components of the graph (sorted node numbers ``nodes``, edges a–b), each as
    sorted node numbers, in the order of their smallest node."""
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    ia, ib = np.searchsorted(nodes, a), np.searchsorted(nodes, b)
    g = sparse.coo_matrix((np.ones(len(ia)), (ia, ib)), shape=(len(nodes), len(nodes)))
    _, label = connected_components(g, directed=False)
    order = np.lexsort((nodes, label))
    comps = np.split(nodes[order], np.flatnonzero(np.diff(label[order])) + 1)
    return sorted(comps, key=lambda c: int(c[0]))


def _with_edges(groups: list[np.ndarray], a: np.ndarray, b: np.ndarray, s: np.ndarray) -> list[tuple]:
    """Each group of nodes with the edges inside it (in the order given: sorted stays sorted)."""
    nodes = np.concatenate(groups)
    label = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
    order = np.argsort(nodes)
    nodes, label = nodes[order], label[order]
    la, lb = label[np.searchsorted(nodes, a)], label[np.searchsorted(nodes, b)]  # (every end is a node)
    keep = la == lb
    a, b, s, la = a[keep], b[keep], s[keep], la[keep]
    order = np.argsort(la, kind="stable")
    a, b, s, la = a[order], b[order], s[order], la[order]
    cuts = np.searchsorted(la, np.arange(len(groups) + 1))
    return [(g, a[cuts[k]:cuts[k + 1]], b[cuts[k]:cuts[k + 1]], s[cuts[k]:cuts[k + 1]])
            for k, g in enumerate(groups)]


def _copies(lo: np.ndarray, hi: np.ndarray, doc_of: np.ndarray) -> np.ndarray:
    """For every article, the first article of its group of verbatim copies: the ends of the
    ``identical`` links lo–hi (sorted), joined in that order unless the two groups share a document."""
    root = np.arange(len(doc_of))
    docs: dict[int, int] = {}   # group → bit set of its documents

    def find(x: int) -> int:
        while root[x] != x:
            root[x] = root[root[x]]
            x = int(root[x])
        return x

    for a, b in zip(lo.tolist(), hi.tolist()):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        da, db = docs.get(ra, 1 << int(doc_of[ra])), docs.get(rb, 1 << int(doc_of[rb]))
        if da & db:
            continue
        ra, rb = min(ra, rb), max(ra, rb)
        root[rb] = ra
        docs[ra] = da | db
    return np.fromiter((find(x) for x in range(len(root))), np.int64, count=len(root))


def _families(u: np.ndarray, v: np.ndarray, w: np.ndarray, same: np.ndarray, doc_of: np.ndarray) -> list[np.ndarray]:
    """Groups of article numbers holding at most one article per document (see provision_families).

    ``same`` marks the links between verbatim copies: each group of copies (never two articles of
    one document) enters community detection as one node whose links are the sums of its
    members' and whose own links are a self-loop — the graph Louvain would make of them after
    its first pass. Copies of a model provision in hundreds of documents thus cost one node."""
    import networkx as nx

    if not len(u):
        return []
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    # one weight per article pair, the last link's (as adding the edges one by one keeps); edges
    # sorted by (lo, hi) from here on
    order = np.lexsort((np.arange(len(lo)), hi, lo))
    lo, hi, w, same = lo[order], hi[order], w[order], same[order]
    last = np.r_[(lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1]), True]
    lo, hi, w, same = lo[last], hi[last], w[last], same[last]
    root = _copies(lo[same], hi[same], doc_of)
    # the graph of copy groups: summed weights (self-loops: the links inside a group), sorted
    ca, cb = root[lo], root[hi]
    ca, cb = np.minimum(ca, cb), np.maximum(ca, cb)
    order = np.lexsort((cb, ca))
    ca, cb, w = ca[order], cb[order], w[order]
    first = np.r_[True, (ca[1:] != ca[:-1]) | (cb[1:] != cb[:-1])]
    idx = np.flatnonzero(first)
    ca, cb, w = ca[idx], cb[idx], np.add.reduceat(w, idx)
    members: dict[int, list[int]] = {}
    for x, r in enumerate(root.tolist()):
        members.setdefault(r, []).append(x)
    group_docs = {r: doc_of[m] for r, m in members.items()}

    def distinct(comp: np.ndarray) -> bool:
        docs = np.concatenate([group_docs[int(c)] for c in comp])
        return len(np.unique(docs)) == len(docs)

    nodes = np.unique(np.concatenate([ca, cb]))
    todo = _with_edges(_components(nodes, ca, cb), ca, cb, w)
    groups: list[np.ndarray] = []
    while todo:
        comp, a, b, s = todo.pop()
        if distinct(comp):
            groups.append(np.sort(np.concatenate([members[int(c)] for c in comp])))
            continue
        g = nx.Graph()
        g.add_nodes_from(comp.tolist())  # numbers and edges in sorted order: the same walk every run
        g.add_weighted_edges_from(zip(a.tolist(), b.tolist(), s.tolist()))
        parts = nx.community.louvain_communities(g, weight="weight", seed=0)
        if len(parts) > 1:
            todo += _with_edges([np.array(sorted(p), dtype=np.int64) for p in parts], a, b, s)
            continue
        # Louvain cannot cut it: drop its weakest link (ties: the earliest articles), then its pieces
        between = np.flatnonzero(a != b)
        keep = np.arange(len(a)) != between[np.lexsort((b[between], a[between], s[between]))[0]]
        a, b, s = a[keep], b[keep], s[keep]
        todo += _with_edges(_components(comp, a, b), a, b, s)
    return groups


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
              and w not in (PLACE_WORD, SELF_WORD)]
    shared.sort(key=lambda w: (-counts[w] * idf.get(w, 1.0), w))
    return "·".join(shared[:3]) or "（无共同词）"


def labeller(regs):
    """A function labelling any (doc_id, article_no) members as :func:`provision_families` does;
    words and weights are computed once, on the first family without a heading."""
    by_key = {(r.doc_id, a.number): a for r in regs for a in r.articles}
    words: dict = {}

    def label(members: list[tuple[str, int]]) -> str:
        arts = [by_key[m] for m in members]
        if not any(a.heading for a in arts) and not words:
            words["prepared"] = {r.doc_id: prepare(r) for r in regs}
            words["idf"] = Vocabulary(words["prepared"].values()).weights
        return _family_label(arts, words.get("prepared", {}), members, words.get("idf", {}))

    return label


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
