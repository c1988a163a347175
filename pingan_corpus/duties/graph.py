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

from ..parse import regexes as rx
from .extract import extract_duties, iter_regulations
from .lexicon import lexicon

__all__ = ["duty_graph", "actor_profile", "write_graphml", "write_gexf", "draw_duty_graph"]

MODALITY_COLOURS = {"shall": "#c0392b", "prohibit": "#6c3483", "may": "#2e86c1", "encourage": "#27ae60"}
_OBLIGATION_KEYS = ["doc_id", "article_no", "paragraph_no", "item_no", "modality", "cue", "action", "condition"]


def _as_list(x) -> list[str] | None:
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
    regs = iter_regulations(corpus_or_regs)
    df = _obligations(extract_duties(regs))
    if topic:
        df = _topic_filter(df, regs, topic)
    actors = _as_list(actor)
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
        return rx.XML_ILLEGAL.sub("", v) if isinstance(v, str) else v
    if hasattr(v, "item"):  # numpy scalars
        return _clean_value(v.item())
    if isinstance(v, (list, tuple, set)):
        return rx.XML_ILLEGAL.sub("", "；".join(map(str, v)))
    return rx.XML_ILLEGAL.sub("", str(v))


def _exportable(G: nx.Graph) -> nx.Graph:
    """A copy whose attributes are str/int/float without characters XML cannot hold."""
    H = G.copy()
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


# -- drawing --------------------------------------------------------------------------------------
def _use_cjk_font() -> None:
    try:
        from ..present.plots import use_cjk_font
    except ImportError:  # plots is optional: fall back to any CJK family matplotlib knows
        from matplotlib import font_manager, rcParams

        names = {f.name for f in font_manager.fontManager.ttflist}
        for fam in ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei"):
            if fam in names:
                rcParams["font.sans-serif"] = [fam] + list(rcParams["font.sans-serif"])
                rcParams["font.family"] = "sans-serif"
                break
        return
    use_cjk_font()


def _select(G: nx.MultiDiGraph, actor, max_obligations: int, max_actors: int) -> nx.MultiDiGraph:
    """A legible subgraph: the obligations of ``actor`` (or of the busiest actors), capped, with
    the few other actors that share most of them."""
    focus = [f"actor:{a}" for a in _as_list(actor) or [] if f"actor:{a}" in G]
    if not focus:
        ranked = sorted((n for n, d in G.nodes(data=True) if d.get("kind") == "actor"),
                        key=lambda n: -G.out_degree(n))
        focus = ranked[:max_actors]
    order = {"shall": 0, "prohibit": 1, "may": 2, "encourage": 3}
    duties = list(dict.fromkeys(v for a in focus for _, v in G.out_edges(a)))
    duties.sort(key=lambda d: (order.get(G.nodes[d].get("modality"), 9), G.nodes[d].get("jurisdiction", "")))
    duties = sorted(duties[:max_obligations],
                    key=lambda d: (G.nodes[d].get("jurisdiction", ""), G.nodes[d].get("article_no", 0)))
    shared = Counter(u for d in duties for u, _ in G.in_edges(d) if u not in focus)
    others = [a for a, _ in shared.most_common(max(0, max_actors - len(focus)))]
    return G.subgraph(set(duties) | set(focus) | set(others)).copy()


def draw_duty_graph(G: nx.MultiDiGraph, actor=None, topic: str | None = None, ax=None,
                    max_obligations: int = 30, max_actors: int = 8):
    """Draw actors (left) and their obligations (right, coloured by modality); returns the Axes.

    ``actor`` limits the drawing to that actor's obligations (and who else bears or helps with
    them); ``topic`` to obligations whose action mentions it. At most ``max_obligations``
    obligations are drawn (mandatory ones first), so the figure stays readable.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    _use_cjk_font()
    H = G
    if topic:
        keep = {n for n, d in G.nodes(data=True)
                if d.get("kind") == "obligation" and topic in (d.get("action", "") + d.get("text", ""))}
        keep |= {u for n in keep for u, _ in G.in_edges(n)}
        H = G.subgraph(keep).copy()
    H = _select(H, actor, max_obligations, max_actors)
    if ax is None:
        _, ax = plt.subplots(figsize=(12, max(4, 0.35 * H.number_of_nodes())))
    actors = [n for n, d in H.nodes(data=True) if d.get("kind") == "actor"]
    duties = [n for n, d in H.nodes(data=True) if d.get("kind") == "obligation"]
    pos = {}
    for i, n in enumerate(actors):
        pos[n] = (0.0, 1 - (i + 0.5) / max(len(actors), 1))
    for i, n in enumerate(duties):
        pos[n] = (1.0, 1 - (i + 0.5) / max(len(duties), 1))
    bears = [(u, v) for u, v, k in H.edges(keys=True) if k == "bears"]
    helps = [(u, v) for u, v, k in H.edges(keys=True) if k == "collaborates"]
    nx.draw_networkx_edges(H, pos, edgelist=bears, ax=ax, edge_color="#888888", arrows=False, alpha=0.6)
    nx.draw_networkx_edges(H, pos, edgelist=helps, ax=ax, edge_color="#888888", style="dashed", arrows=False,
                           alpha=0.6)
    focus = {f"actor:{a}" for a in _as_list(actor) or []}
    nx.draw_networkx_nodes(H, pos, nodelist=actors, ax=ax, node_size=300,
                           node_color=["#e67e22" if n in focus else "#34495e" for n in actors])
    colours = [MODALITY_COLOURS.get(H.nodes[n]["modality"], "#999999") for n in duties]
    nx.draw_networkx_nodes(H, pos, nodelist=duties, ax=ax, node_color=colours, node_size=80)
    for n in actors:
        ax.text(pos[n][0] - 0.06, pos[n][1], H.nodes[n]["label"], ha="right", va="center", fontsize=10)
    for n in duties:
        d = H.nodes[n]
        where = d.get("jurisdiction") or d.get("doc_id")
        ax.text(pos[n][0] + 0.03, pos[n][1], f"{where} 第{d['article_no']}条 · {d['label']}", ha="left",
                va="center", fontsize=8)
    handles = [Line2D([], [], marker="o", linestyle="", color=c, label=m) for m, c in MODALITY_COLOURS.items()]
    handles.append(Line2D([], [], linestyle="--", color="#888888", label="collaborates"))
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, -0.08), ncol=5, frameon=False, fontsize=8)
    shown, total = len(duties), sum(1 for _, d in G.nodes(data=True) if d.get("kind") == "obligation")
    what = "、".join(_as_list(actor) or []) or "busiest actors"
    ax.set_title(f"Duties of {what}{' · ' + topic if topic else ''} ({shown} of {total} obligations)")
    ax.set_xlim(-0.6, 2.2)
    ax.set_ylim(-0.05, 1.05)
    ax.axis("off")
    return ax
