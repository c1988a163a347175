"""Plots (matplotlib) with Chinese labels that render on any machine.

CJK font decision: ``use_cjk_font()`` first looks for a Simplified-Chinese system font known to
matplotlib (Noto Sans CJK SC, Source Han Sans, WenQuanYi, SimHei, Microsoft YaHei, PingFang …).
When there is none (a fresh Linux machine or CI), it registers the font shipped in
``pingan_corpus/data/fonts/``: a ~5 MB subset of Noto Sans CJK SC Regular (SIL OFL 1.1, license
in ``OFL.txt``) holding ASCII, Latin-1, pinyin, CJK punctuation, GB 2312 and the whole CJK Unified
Ideographs block U+4E00–U+9FFF. PyPI packages were considered and rejected: mplfonts is 85 MB
and ships SimHei, whose license does not allow redistribution; manimgx-fonts-cjk (33 MB) is a
variable font collection whose default instance matplotlib draws as Thin with Japanese glyphs.

Every function returns the Axes for further styling and never calls ``plt.show()``. Every text it
puts on the chart (titles, tick labels, names, annotations) is drawn literally: a ``$`` in a file
name, doc_id, title or jurisdiction is not TeX math (:func:`literal_text`), and characters no
font can draw (controls, U+FFFE, lone surrogates) are left out (:func:`chart_text`).
"""
from __future__ import annotations

import functools
import math
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import matplotlib
import networkx as nx
from matplotlib import font_manager

from ..duties.graph import MODALITY_COLOURS, as_list

BUNDLED_FONT = Path(__file__).resolve().parents[1] / "data" / "fonts" / "NotoSansCJKsc-Subset.otf"
BUNDLED_FAMILY = "Noto Sans CJK SC Subset"
# Simplified-Chinese families in order of preference (Japanese/Korean variants draw some
# hanzi in non-mainland forms, so they are not listed).
SYSTEM_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "PingFang SC",
    "Hiragino Sans GB", "Heiti SC", "STHeiti", "Droid Sans Fallback", "AR PL UMing CN",
)
MISSING_COLOUR = "#d9d9d9"


def system_cjk_font() -> str | None:
    """The preferred Simplified-Chinese family installed on this system, or None."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in SYSTEM_FAMILIES if name in installed), None)


@lru_cache(maxsize=1)
def register_bundled_font() -> str | None:
    """Register the shipped Noto Sans CJK SC subset with matplotlib; return its family name."""
    if not BUNDLED_FONT.is_file():  # an install that left out package data
        warnings.warn(f"no CJK font found and {BUNDLED_FONT} is missing: Chinese text will render "
                      "as boxes; install a CJK font (e.g. Debian fonts-noto-cjk)", stacklevel=3)
        return None
    font_manager.fontManager.addfont(str(BUNDLED_FONT))
    return font_manager.FontProperties(fname=str(BUNDLED_FONT)).get_name()


def use_cjk_font(prefer_bundled: bool = False) -> str:
    """Make matplotlib draw Chinese: put a CJK family first in font.sans-serif and return it.

    Also sets font.family to sans-serif, and axes.unicode_minus to False (some CJK fonts lack
    U+2212)."""
    family = None if prefer_bundled else system_cjk_font()
    family = family or register_bundled_font()
    if family is None:
        return matplotlib.rcParams["font.sans-serif"][0]
    rc = matplotlib.rcParams
    rc["font.family"] = "sans-serif"
    # DejaVu Sans stays next: matplotlib falls back glyph by glyph along this list.
    rc["font.sans-serif"] = [family] + [f for f in rc["font.sans-serif"] if f != family]
    rc["axes.unicode_minus"] = False
    return family


def _ensure_cjk_font() -> None:
    """use_cjk_font() unless a CJK family is already first (keeps an explicit choice)."""
    rc = matplotlib.rcParams
    first = rc["font.sans-serif"][0] if rc["font.sans-serif"] else None
    if list(rc["font.family"]) != ["sans-serif"] or first not in (*SYSTEM_FAMILIES, BUNDLED_FAMILY):
        use_cjk_font()


@contextmanager
def literal_text() -> Iterator[None]:
    """Within it, new matplotlib texts are plain text, never mathtext (``text.parse_math`` off).

    A Text keeps the setting it was created with, so a chart built inside draws its labels
    literally when saved later. Only this one rcParam is set and restored: the CJK font choice
    of :func:`use_cjk_font` stays (it must still hold when the figure is drawn)."""
    rc = matplotlib.rcParams
    old = rc["text.parse_math"]
    rc["text.parse_math"] = False
    try:
        yield
    finally:
        rc["text.parse_math"] = old


def chart_text(text) -> str:
    """A label as the charts draw it: control, format and unassigned characters (NUL, ESC, U+FFFE,
    zero-width marks …, which no font has a glyph for) dropped, CR/TAB and line/paragraph
    separators as spaces, LF kept, a lone surrogate as U+FFFD."""
    out = []
    for ch in "" if text is None else str(text):
        cat = unicodedata.category(ch)
        if ch == "\n" or (cat[0] != "C" and cat not in ("Zl", "Zp")):
            out.append(ch)
        elif ch in "\r\t" or cat in ("Zl", "Zp"):
            out.append(" ")
        elif cat == "Cs":
            out.append("\ufffd")
    return "".join(out)


def _literal(fn):
    """Run a plotting function inside :func:`literal_text` (every chart of this module)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with literal_text():
            return fn(*args, **kwargs)
    return wrapper


def _numeric(matrix):
    import pandas as pd

    return matrix.apply(pd.to_numeric, errors="coerce").astype(float)


@_literal
def heatmap(matrix, ax=None, title=None, annotate=True, cmap="Blues", vmin=0, vmax=None,
            fmt="{:.0f}", cbar_label=None):
    """A labelled heatmap of a DataFrame (index → rows, columns → columns) with a colorbar.

    NaN cells are drawn grey and left blank. Returns the Axes."""
    import matplotlib.pyplot as plt
    import numpy as np

    _ensure_cjk_font()
    values = _numeric(matrix)
    n_rows, n_cols = values.shape
    if ax is None:
        size = (min(3 + 0.6 * n_cols, 24), min(2 + 0.4 * n_rows, 30))
        _, ax = plt.subplots(figsize=size, layout="constrained")
    base = matplotlib.colormaps[cmap] if isinstance(cmap, str) else cmap
    colours = base.with_extremes(bad=MISSING_COLOUR)
    data = np.ma.masked_invalid(values.to_numpy())
    im = ax.imshow(data, cmap=colours, vmin=vmin, vmax=vmax, aspect="auto", interpolation="nearest")
    col_labels = [chart_text(c) for c in values.columns]
    long_labels = n_cols > 6 or any(len(c) > 4 for c in col_labels)
    ax.set_xticks(range(n_cols), col_labels, rotation=45 if long_labels else 0,
                  ha="right" if long_labels else "center", rotation_mode="anchor")
    ax.set_yticks(range(n_rows), [chart_text(i) for i in values.index])
    cbar = ax.figure.colorbar(im, ax=ax)
    if cbar_label:
        cbar.set_label(chart_text(cbar_label))
    if annotate:
        _annotate(ax, values.to_numpy(), im, fmt)
    if title:
        ax.set_title(chart_text(title))
    return ax


def _annotate(ax, values, im, fmt) -> None:
    """Write each value in its cell, white on dark cells so it stays readable."""
    for (i, j), v in _cells(values):
        dark = sum(im.cmap(im.norm(v))[:3]) / 3 < 0.5
        ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=8,
                color="white" if dark else "black")


def _cells(values):
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            if not math.isnan(v):
                yield (i, j), v


@_literal
def coverage_heatmap(coverage_scores, ax=None, title=None):
    """Provisions × jurisdictions, score 0–100; grey where a jurisdiction has no counterpart."""
    return heatmap(coverage_scores, ax=ax, title=title, cmap="Blues", vmin=0, vmax=100,
                   cbar_label="对应得分（灰色 = 无对应条文）")


MODALITY_ORDER = ("shall", "prohibit", "may", "encourage")
MODALITY_COLOUR = {"shall": "#1f4e79", "prohibit": "#c00000", "may": "#70ad47", "encourage": "#ffc000"}


@_literal
def obligations_heatmap(duties, top: int = 20, ax=None, title=None):
    """Obligations per actor (rows, the ``top`` most frequent) × jurisdiction (columns).

    ``duties`` is the DataFrame of ``pc.extract_duties``; only bearers are counted."""
    import pandas as pd

    d = duties[duties["role"] == "bearer"] if "role" in duties else duties
    d = d.assign(jurisdiction=d["jurisdiction"].fillna(d["doc_id"]))
    table = pd.crosstab(d["actor"], d["jurisdiction"])
    table = table.loc[table.sum(axis=1).sort_values(ascending=False).index[:top]]
    return heatmap(table, ax=ax, title=title or "义务数：主体 × 地区", cmap="Oranges", fmt="{:.0f}")


@_literal
def modality_mix(duties, ax=None, title=None):
    """Stacked horizontal bars: the share of each modality in every jurisdiction's obligations."""
    import matplotlib.pyplot as plt
    import pandas as pd

    _ensure_cjk_font()
    d = duties[duties["role"] == "bearer"] if "role" in duties else duties
    d = d.assign(jurisdiction=d["jurisdiction"].fillna(d["doc_id"]))
    table = pd.crosstab(d["jurisdiction"], d["modality"]).reindex(columns=list(MODALITY_ORDER), fill_value=0)
    share = table.div(table.sum(axis=1).replace(0, 1), axis=0)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.45 * len(share) + 1.5))
    # numeric positions and fixed tick labels (not a category axis, whose labels would be made
    # at draw time, outside literal_text)
    rows = range(len(share))
    left = None
    for m in MODALITY_ORDER:
        ax.barh(rows, share[m].to_numpy(), left=left, color=MODALITY_COLOUR[m], label=m)
        left = share[m].to_numpy() if left is None else left + share[m].to_numpy()
    ax.set_yticks(rows, [chart_text(j) for j in share.index])
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of obligations")
    ax.legend(ncol=4, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    ax.set_title(chart_text(title or "义务强度构成（应当 / 不得 / 可以 / 鼓励）"), pad=28)
    ax.invert_yaxis()
    return ax


@_literal
def draw_diffusion(edges, ax=None, title=None):
    """The diffusion network of ``pc.diffusion_edges``: arrows from earlier to later documents
    (solid when both are dated, dashed when not), width by shared text."""
    import matplotlib.pyplot as plt

    _ensure_cjk_font()
    g = nx.DiGraph()
    for r in edges.itertuples():
        g.add_edge(r.source, r.target, share=r.share, dated=r.direction == "dated")
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 7))
    pos = nx.circular_layout(g) if len(g) else {}
    nx.draw_networkx_nodes(g, pos, ax=ax, node_color="#dde8f3", edgecolors="#1f4e79", node_size=1800)
    for dated, style in ((True, "solid"), (False, "dashed")):
        es = [(u, v) for u, v, d in g.edges(data=True) if d["dated"] == dated]
        nx.draw_networkx_edges(g, pos, edgelist=es, ax=ax, style=style, arrows=True, arrowsize=16,
                               width=[1 + 6 * g[u][v]["share"] for u, v in es], edge_color="#1f4e79",
                               node_size=1800, connectionstyle="arc3,rad=0.08")
    nx.draw_networkx_labels(g, pos, labels={n: chart_text(n) for n in g}, ax=ax, font_size=9,
                            font_family=matplotlib.rcParams["font.sans-serif"][0])
    ax.set_title(chart_text(title or "diffusion: earlier → later, width = share of the later text found in the earlier"))
    ax.axis("off")
    return ax


# -- the duty graph --------------------------------------------------------------------------------------
def _select(G: nx.MultiDiGraph, actor, max_obligations: int, max_actors: int) -> nx.MultiDiGraph:
    """A legible subgraph: the obligations of ``actor`` (or of the busiest actors), capped, with
    the few other actors that share most of them."""
    focus = [f"actor:{a}" for a in as_list(actor) or [] if f"actor:{a}" in G]
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


@_literal
def draw_duty_graph(G: nx.MultiDiGraph, actor=None, topic: str | None = None, ax=None,
                    max_obligations: int = 30, max_actors: int = 8):
    """Draw actors (left) and their obligations (right, coloured by modality); returns the Axes.

    ``actor`` limits the drawing to that actor's obligations (and who else bears or helps with
    them); ``topic`` to obligations whose action mentions it. At most ``max_obligations``
    obligations are drawn (mandatory ones first), so the figure stays readable.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    use_cjk_font()
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
    focus = {f"actor:{a}" for a in as_list(actor) or []}
    nx.draw_networkx_nodes(H, pos, nodelist=actors, ax=ax, node_size=300,
                           node_color=["#e67e22" if n in focus else "#34495e" for n in actors])
    colours = [MODALITY_COLOURS.get(H.nodes[n]["modality"], "#999999") for n in duties]
    nx.draw_networkx_nodes(H, pos, nodelist=duties, ax=ax, node_color=colours, node_size=80)
    for n in actors:
        ax.text(pos[n][0] - 0.06, pos[n][1], chart_text(H.nodes[n]["label"]), ha="right", va="center",
                fontsize=10)
    for n in duties:
        d = H.nodes[n]
        where = d.get("jurisdiction") or d.get("doc_id")
        ax.text(pos[n][0] + 0.03, pos[n][1], chart_text(f"{where} 第{d['article_no']}条 · {d['label']}"),
                ha="left", va="center", fontsize=8)
    handles = [Line2D([], [], marker="o", linestyle="", color=c, label=m) for m, c in MODALITY_COLOURS.items()]
    handles.append(Line2D([], [], linestyle="--", color="#888888", label="collaborates"))
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, -0.08), ncol=5, frameon=False, fontsize=8)
    shown, total = len(duties), sum(1 for _, d in G.nodes(data=True) if d.get("kind") == "obligation")
    what = "、".join(as_list(actor) or []) or "busiest actors"
    ax.set_title(chart_text(f"Duties of {what}{' · ' + topic if topic else ''} ({shown} of {total} obligations)"))
    ax.set_xlim(-0.6, 2.2)
    ax.set_ylim(-0.05, 1.05)
    ax.axis("off")
    return ax
