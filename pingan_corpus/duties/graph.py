"""The duty graph: actors, the obligations they bear or help with, across jurisdictions.

``duty_graph`` builds a ``networkx.MultiDiGraph``:

* actor nodes ``actor:公安机关`` (kind="actor", category, label);
* obligation nodes ``duty:<doc_id>:<article>:<n>`` (kind="obligation", doc_id, jurisdiction,
  article_no, paragraph_no, item_no, modality, cue, action, condition, text, label);
* edges actor → obligation with relation "bears" or "collaborates" (key = relation).

Every attribute is a str, int or float, so the graph writes to GraphML/GEXF (Gephi) as is.
"""
from __future__ import annotations

import os
from collections import Counter

import networkx as nx
import pandas as pd

from ..models import as_regulations
from ..readers.patterns import xml_text
from .extract import extract_duties
from .lexicon import lexicon

__all__ = ["MODALITY_COLOURS", "actor_profile", "as_list", "duty_graph", "write_gexf", "write_graphml"]

MODALITY_COLOURS = {"shall": "#c0392b", "prohibit": "#6c3483", "may": "#2e86c1", "encourage": "#27ae60"}
_OBLIGATION_KEYS = ["doc_id", "article_no", "paragraph_no", "item_no", "modality", "cue", "action", "condition"]


def as_list(x) -> list[str] | None:
    if x is None:
        return None
    return [x] if isinstance(x, str) else list(x)


def _obligations(df: pd.DataFrame) -> pd.DataFrame:
    """Number the obligations: rows of one duty (bearers and collaborators) share an id."""
    df = df.copy()
    key = ["\x1f".join(map(str, t)) for t in df[_OBLIGATION_KEYS].itertuples(index=False)]
    ids: dict[str, str] = {}
    per_article: Counter = Counter()
    for k, doc, art in zip(key, df["doc_id"], df["article_no"]):
        if k not in ids:
            per_article[(doc, art)] += 1
            ids[k] = f"duty:{doc}:{art}:{per_article[(doc, art)]}"
    df["duty_id"] = [ids[k] for k in key]
    return df


def _topic_filter(df: pd.DataFrame, regs, topic: str) -> pd.DataFrame:
    from .query import mandates

    hits = mandates(regs, topic, modality=None)
    keys = set(zip(hits["doc_id"], hits["article_no"], hits["action"]))
    mask = [k in keys for k in zip(df["doc_id"], df["article_no"], df["action"])]
    return df[mask]


def duty_graph(corpus_or_regs, actor: str | list[str] | None = None, topic: str | None = None) -> nx.MultiDiGraph:
    """The graph of actors and obligations, optionally only those of ``actor`` or about ``topic``."""
    regs = as_regulations(corpus_or_regs)
    df = _obligations(extract_duties(regs))
    if topic:
        df = _topic_filter(df, regs, topic)
    actors = as_list(actor)
    if actors:
        ids = set(df.loc[df["actor"].isin(actors), "duty_id"])
        df = df[df["duty_id"].isin(ids)]
    lex = lexicon()
    G = nx.MultiDiGraph(name="duty graph", actor=";".join(actors or []), topic=topic or "")
    for r in df.itertuples(index=False):
        a = f"actor:{r.actor}"
        if a not in G:
            G.add_node(a, kind="actor", label=r.actor, category=lex.category(r.actor))
        if r.duty_id not in G:
            G.add_node(r.duty_id, kind="obligation", doc_id=r.doc_id, jurisdiction=r.jurisdiction or "",
                       article_no=int(r.article_no), paragraph_no=int(r.paragraph_no),
                       item_no=int(r.item_no) if pd.notna(r.item_no) else 0, modality=r.modality,
                       cue=r.cue or "", action=r.action or "", condition=r.condition or "", text=r.text or "",
                       label=_short(r.action))
        relation = "bears" if r.role == "bearer" else "collaborates"
        G.add_edge(a, r.duty_id, key=relation, relation=relation, modality=r.modality,
                   actor_level=r.actor_level or "", actor_surface=r.actor_surface or "")
    return G


def _short(action: str | None, size: int = 14) -> str:
    action = action or ""
    return action if len(action) <= size else action[:size] + "…"


def actor_profile(corpus_or_regs, actor: str) -> pd.DataFrame:
    """One actor across jurisdictions: per jurisdiction, obligations by modality and the actions.

    Columns: jurisdiction, doc_ids, obligations, shall, may, encourage, prohibit, collaborations,
    actions (list of str, bearer obligations in text order).
    """
    df = extract_duties(corpus_or_regs)
    df = df[df["actor"] == actor].copy()
    cols = ["jurisdiction", "doc_ids", "obligations", "shall", "may", "encourage", "prohibit",
            "collaborations", "actions"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    df["jurisdiction"] = df["jurisdiction"].fillna(df["doc_id"])
    rows = []
    for jur, g in df.groupby("jurisdiction", sort=False):
        bears = g[g["role"] == "bearer"]
        counts = Counter(bears["modality"])
        rows.append({"jurisdiction": jur, "doc_ids": ", ".join(dict.fromkeys(g["doc_id"])),
                     "obligations": len(bears), **{m: counts.get(m, 0) for m in MODALITY_COLOURS},
                     "collaborations": int((g["role"] == "collaborator").sum()),
                     "actions": list(dict.fromkeys(bears["action"]))})
    return pd.DataFrame(rows, columns=cols)


# -- export ---------------------------------------------------------------------------------------
def _clean_value(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (int, float, str)):
        return xml_text(v) if isinstance(v, str) else v
    if hasattr(v, "item"):  # numpy scalars
        return _clean_value(v.item())
    if isinstance(v, (list, tuple, set)):
        return xml_text("；".join(map(str, v)))
    return xml_text(str(v))


def _exportable(G: nx.Graph) -> nx.Graph:
    """A copy whose node ids and attributes are str/int/float without characters XML cannot hold."""
    H = nx.relabel_nodes(G, {n: xml_text(n) for n in G if isinstance(n, str)}, copy=True)
    H.graph = {k: _clean_value(v) for k, v in G.graph.items()}
    for _, data in H.nodes(data=True):
        for k in list(data):
            data[k] = _clean_value(data[k])
    for *_, data in H.edges(data=True):
        for k in list(data):
            data[k] = _clean_value(data[k])
    return H


def write_graphml(G: nx.Graph, path: str | os.PathLike) -> None:
    """Write GraphML (for Gephi, yEd, networkx.read_graphml)."""
    nx.write_graphml(_exportable(G), path)


def write_gexf(G: nx.Graph, path: str | os.PathLike) -> None:
    """Write GEXF (Gephi's own format)."""
    nx.write_gexf(_exportable(G), path)
