"""The corpus report: one self-contained HTML page plus Word/Excel 条文对照表 for related pairs.

``build_report(corpus, outdir)`` writes::

    outdir/index.html            overview, similarity, coverage, comparisons, duties, queries
    outdir/diffs/A__B.docx|.xlsx the 条文对照表 of every compared pair
    outdir/data/*.csv            articles, links, duties (formula-guarded)

The page has no script from the network and no external asset (figures are inline PNG); every
piece of regulation text is escaped. The same corpus gives the same bytes.
"""
from __future__ import annotations

import base64
import html
import io
import itertools
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..models import Regulation

DEFAULT_QUERIES = ("校园欺凌", "寄递实名", "平安指数", "非法集资", "网格员", "矛盾纠纷多元化解")
_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC","PinganCJK",sans-serif;
margin:0;color:#222;line-height:1.55}
header{background:#1f4e79;color:#fff;padding:18px 28px}header h1{margin:0;font-size:1.5em}
nav{position:sticky;top:0;background:#f4f6f9;border-bottom:1px solid #d0d7de;padding:8px 28px;z-index:2}
nav a{margin-right:18px;color:#1f4e79;text-decoration:none}
main{padding:10px 28px 40px}section{margin-top:28px}
table.df{border-collapse:collapse;font-size:13px;margin:8px 0}
table.df th,table.df td{border:1px solid #d0d7de;padding:3px 7px;vertical-align:top;text-align:left}
table.df th{background:#f4f6f9}img{max-width:100%}.muted{color:#666;font-size:13px}
details{margin:6px 0}summary{cursor:pointer;color:#1f4e79}
"""


def _esc(x) -> str:
    return html.escape("" if x is None or x is pd.NA else str(x))


def _table(df: pd.DataFrame, index: bool = False) -> str:
    shown = df.astype(object).where(df.notna(), "")
    return shown.to_html(index=index, escape=True, na_rep="", classes="df", border=0)


def _figure(ax_or_fig, alt: str) -> str:
    import matplotlib.pyplot as plt

    fig = getattr(ax_or_fig, "figure", ax_or_fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<img alt="{_esc(alt)}" src="data:image/png;base64,{data}">'


def _progress(it: Iterable, total: int, desc: str, enabled: bool | None):
    import sys

    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return it
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return it
    return tqdm(it, total=total, desc=desc, leave=False)


def select_pairs(regs: list[Regulation], sim: pd.DataFrame, max_pairs: int, min_similarity: float):
    """Document pairs worth a 条文对照表: the most similar pairs (the larger of the two shares),
    at least ``min_similarity``, at most ``max_pairs``; earlier-adopted or draft side first."""
    scored = []
    for x, y in itertools.combinations(range(len(regs)), 2):
        s = max(sim.iat[x, y], sim.iat[y, x])
        if s >= min_similarity:
            scored.append((s, x, y))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    out = []
    for s, x, y in scored[:max_pairs]:
        a, b = regs[x], regs[y]
        if _order_key(b) < _order_key(a):
            a, b = b, a
        out.append((a, b, s))
    return out


def _order_key(reg: Regulation):
    import datetime as dt

    return (0 if reg.status == "draft" else 1, reg.adopted or reg.effective or dt.date.max, reg.doc_id)


def build_report(corpus, outdir, max_pairs: int = 12, min_similarity: float = 0.2,
                 queries: Iterable[str] = DEFAULT_QUERIES, progress: bool | None = None) -> Path:
    """Write the report folder and return the path of ``index.html``."""
    from ..align.many import column_names
    from ..align.pairs import compare
    from ..corpus import Corpus, articles_frame
    from ..duties.extract import extract_duties
    from ..duties.query import mandates
    from .plots import coverage_heatmap, heatmap, modality_mix, obligations_heatmap
    from .tables import clause_diff_html, font_face, safe_filename, safe_frame

    corpus = corpus if isinstance(corpus, Corpus) else Corpus(corpus)
    out = Path(outdir)
    (out / "diffs").mkdir(parents=True, exist_ok=True)
    (out / "data").mkdir(parents=True, exist_ok=True)
    regs = corpus.docs
    names = column_names(regs)
    parts: list[tuple[str, str, str]] = []   # (anchor, nav title, html)

    # overview
    overview = corpus.regulations.drop(columns=["encoding", "source", "position"], errors="ignore")
    warn = "".join(f"<details><summary>{_esc(r.doc_id)}: {len(r.warnings)} warnings</summary><ul>"
                   + "".join(f"<li>{_esc(w)}</li>" for w in r.warnings) + "</ul></details>"
                   for r in regs if r.warnings)
    parts.append(("overview", "概览 Overview",
                  f"<p>{len(regs)} documents, {sum(len(r.articles) for r in regs)} articles.</p>"
                  + _table(overview) + warn))

    # similarity
    links = corpus.links()
    sim = corpus.similarity()
    safe_frame(links).to_csv(out / "data" / "links.csv", index=False)
    ax = heatmap(sim * 100, title="aligned share of text (%)  行文本在列文本中找到对应的比例")
    parts.append(("similarity", "相似度 Similarity",
                  "<p class='muted'>Share of the row document's text (weighted by link score) that has a "
                  "strong counterpart in the column document.</p>" + _figure(ax, "similarity heatmap")))

    # coverage of provision families
    fam = corpus.families()
    if len(fam):
        fam = fam.assign(column=[names[corpus.doc_ids.index(d)] for d in fam["doc_id"]])
        labels = fam.drop_duplicates("family").set_index("family")["label"]
        cells = (fam.assign(cell=fam["article_no"].map(lambda n: f"第{n}条"))
                 .pivot_table(index="family", columns="column", values="cell", aggfunc="、".join)
                 .reindex(columns=[n for n in names if n in set(fam["column"])]))
        cells.index = [f"{i}. {labels[i]}" for i in cells.index]
        presence = cells.notna().astype(float) * 100
        presence = presence.where(cells.notna())
        top = presence.head(40)
        ax = coverage_heatmap(top, title="provision families × jurisdictions (first 40)")
        ax.figure.set_size_inches(max(6, 0.7 * top.shape[1] + 4), 0.32 * len(top) + 2)
        parts.append(("coverage", "覆盖 Coverage",
                      f"<p>{fam['family'].nunique()} provision families (clusters of equivalent articles "
                      "in two or more documents).</p>" + _figure(ax, "coverage") +
                      "<details><summary>all families</summary>" + _table(cells.fillna(""), index=True)
                      + "</details>"))

    # pairwise comparisons
    pairs = select_pairs(regs, sim, max_pairs, min_similarity)
    blocks, toc = [], []
    for k, (a, b, s) in enumerate(_progress(pairs, len(pairs), "comparing", progress), start=1):
        cd = compare(a, b, links=links)  # the corpus's own links: the scores of links.csv
        stem = safe_filename(f"{a.doc_id}__{b.doc_id}")
        cd.to_docx(out / "diffs" / f"{stem}.docx")
        cd.to_excel(out / "diffs" / f"{stem}.xlsx")
        toc.append(f"<li><a href='#pair{k}'>{_esc(cd.a_name)} → {_esc(cd.b_name)}</a> "
                   f"<span class='muted'>({s:.0%})</span></li>")
        blocks.append(f"<div id='pair{k}'><p class='muted'>Word: <a href='diffs/{_esc(stem)}.docx'>"
                      f"{_esc(stem)}.docx</a> · Excel: <a href='diffs/{_esc(stem)}.xlsx'>{_esc(stem)}.xlsx</a>"
                      f"</p>{clause_diff_html(cd)}</div>")
    parts.append(("pairs", "条文对照 Comparisons",
                  f"<p>{len(pairs)} most related pairs (similarity ≥ {min_similarity:.0%}).</p><ol>{''.join(toc)}</ol>"
                  + "".join(blocks)))

    # duties
    duties = extract_duties(regs)
    safe_frame(duties).to_csv(out / "data" / "duties.csv", index=False)
    safe_frame(articles_frame(regs)).to_csv(out / "data" / "articles.csv", index=False)
    if len(duties):
        bearers = duties[duties["role"] == "bearer"]
        top = (bearers.groupby("actor")
               .agg(obligations=("action", "size"), jurisdictions=("jurisdiction", "nunique"),
                    shall=("modality", lambda m: int((m == "shall").sum())),
                    prohibit=("modality", lambda m: int((m == "prohibit").sum())),
                    may=("modality", lambda m: int((m == "may").sum())),
                    encourage=("modality", lambda m: int((m == "encourage").sum())))
               .sort_values(["obligations"], ascending=False).head(20).reset_index())
        parts.append(("duties", "义务主体 Duty-bearers",
                      f"<p>{len(bearers)} obligations of {bearers['actor'].nunique()} actors.</p>"
                      + _figure(obligations_heatmap(duties), "obligations per actor and jurisdiction")
                      + _figure(modality_mix(duties), "modality mix") + _table(top)))

    # mandates queries
    qhtml = []
    every = extract_duties(regs, unattributed=True) if queries else None  # once for all queries
    for q in queries:
        res = mandates(regs, q, modality=None, duties=every)
        cols = [c for c in ("jurisdiction", "doc_id", "article_no", "actor", "modality", "action") if c in res]
        qhtml.append(f"<h3>{_esc(q)}</h3><p class='muted'>{len(res)} obligations in "
                     f"{res['doc_id'].nunique() if len(res) else 0} documents</p>" + _table(res[cols].head(30)))
    parts.append(("queries", "查询 Mandates", "".join(qhtml)))

    nav = "".join(f"<a href='#{a}'>{_esc(t)}</a>" for a, t, _ in parts)
    body = "".join(f"<section id='{a}'><h2>{_esc(t)}</h2>{h}</section>" for a, t, h in parts)
    content = (f"<header><h1>pingan_corpus · 地方立法比较报告</h1><div>{len(regs)} documents</div></header>\n"
               f"<nav>{nav}</nav>\n<main>{body}</main>\n")
    page = ("<!DOCTYPE html>\n<html lang='zh-CN'>\n<head>\n<meta charset='utf-8'>\n"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>\n"
            f"<title>pingan_corpus report</title>\n<style>{font_face(html.unescape(content))}{_CSS}</style>\n"
            f"</head>\n<body>\n{content}</body>\n</html>\n")
    index = out / "index.html"
    index.write_text(page, encoding="utf-8", newline="\n")
    return index
