"""The corpus report: one self-contained HTML page plus Word/Excel 条文对照表 for related pairs.

``build_report(corpus, outdir)`` writes::

    outdir/index.html            overview, similarity, coverage, comparisons, duties, queries
    outdir/diffs/A__B.docx|.xlsx the 条文对照表 of every compared pair
    outdir/data/*.csv            articles, links, families, duties (formula-guarded)
    outdir/.pingan-output        says that the folder is output (load_corpus does not read it back)

The page has no script from the network and no external asset (figures are inline PNG); every
piece of regulation text is escaped. The same corpus gives the same bytes, whatever the hash seed.

It grows linearly with the corpus: the links come from the blocked corpus-wide alignment
(:func:`pingan_corpus.align.scale.align_all`), never from every pair of documents; what several
sections use (links, similarity, duties) is computed once; figures and wide tables show at most
``MAX_SHOWN`` documents or jurisdictions (the data files hold them all).
"""
from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import OutputExistsError
from ..models import Regulation
from .tables import clean

DEFAULT_QUERIES = ("校园欺凌", "寄递实名", "平安指数", "非法集资", "网格员", "矛盾纠纷多元化解")
# documents (similarity) or jurisdictions (coverage, duties) a figure or a wide table shows at most:
# a thousand columns make an unreadable figure and a page of millions of cells
MAX_SHOWN = 30
# from this many articles the duties and the queries are read in a forked process while this one
# aligns and draws (two cores: the report takes about the time of the longer half)
PARALLEL_ARTICLES = 2_000
MARKER_TEXT = ("This folder was written by pingan_corpus (pingan report): it is output, not input.\n"
               "load_corpus does not read a folder that holds this file.\n")
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
    """Text for the page: XML-illegal characters and lone surrogates made safe (:func:`clean`), escaped."""
    return html.escape(clean(x))


def _table(df: pd.DataFrame, index: bool = False) -> str:
    def safe(x):
        return clean(x) if isinstance(x, str) else x

    shown = df.astype(object).where(df.notna(), "").map(safe).rename(columns=safe, index=safe)
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
    m = sim.to_numpy(dtype=float)
    both = np.maximum(m, m.T)
    x, y = np.triu_indices(len(regs), 1)
    s = both[x, y]
    keep = s >= min_similarity
    x, y, s = x[keep], y[keep], s[keep]
    order = np.lexsort((y, x, -s))[:max_pairs]   # most similar first; ties in corpus order
    out = []
    for k in order:
        a, b = regs[x[k]], regs[y[k]]
        if _order_key(b) < _order_key(a):
            a, b = b, a
        out.append((a, b, float(s[k])))
    return out


def _shown(sim: pd.DataFrame, pairs, regs: list[Regulation]) -> list[int]:
    """The documents of the similarity figure when there are more than MAX_SHOWN: those of the
    compared pairs, then those most related to another document (ties in corpus order); in
    corpus order."""
    n = len(regs)
    if n <= MAX_SHOWN:
        return list(range(n))
    pos = {r.doc_id: k for k, r in enumerate(regs)}
    picked = list(dict.fromkeys(pos[r.doc_id] for a, b, _ in pairs for r in (a, b)))[:MAX_SHOWN]
    m = sim.to_numpy(dtype=float)
    m = np.maximum(m, m.T)
    np.fill_diagonal(m, 0.0)
    taken = set(picked)
    rest = [int(k) for k in np.lexsort((np.arange(n), -m.max(axis=1))) if int(k) not in taken]
    return sorted(picked + rest[:MAX_SHOWN - len(picked)])


def _top_columns(counts: pd.Series, names: list[str]) -> list[str]:
    """The MAX_SHOWN columns with the largest counts (ties in the order of ``names``), in that order."""
    rank = {n: k for k, n in enumerate(names)}
    top = sorted(counts.index, key=lambda c: (-counts[c], rank.get(c, len(rank)), str(c)))[:MAX_SHOWN]
    return sorted(top, key=lambda c: (rank.get(c, len(rank)), str(c)))


def _named_duties(every: pd.DataFrame) -> pd.DataFrame:
    """``extract_duties(regs)`` from ``mandate_duties(regs)`` of the same regulations (one reading
    instead of two): without the rights, and without the duties whose bearer the text does not
    name — their bearer row (no actor) and the collaborators read with it."""
    from ..duties.extract import without_rights

    every = without_rights(every)
    key = list(zip(every["doc_id"], every["article_no"], every["paragraph_no"],
                   every["item_no"].fillna(-1).astype("int64"), every["modality"], every["action"].fillna("")))
    bearer = (every["role"] == "bearer").to_numpy()
    unnamed = bearer & every["actor"].isna().to_numpy()
    named_keys = {k for k, f in zip(key, bearer & ~unnamed) if f}
    unnamed_keys = {k for k, f in zip(key, unnamed) if f} - named_keys
    collab = (every["role"] == "collaborator").to_numpy()
    drop = unnamed | np.fromiter((c and k in unnamed_keys for k, c in zip(key, collab)), bool, count=len(key))
    return every[~drop].reset_index(drop=True)


def _rows_by_pair(links: pd.DataFrame, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], np.ndarray]:
    """Positions of the links of each (doc_a, doc_b) in ``wanted``, in frame order (one pass)."""
    hit = np.fromiter((k in wanted for k in zip(links["doc_a"], links["doc_b"])), bool, count=len(links))
    sub = links[hit]
    return {key: np.flatnonzero(hit)[idx] for key, idx in sub.groupby(["doc_a", "doc_b"]).indices.items()}


def _duty_sections(regs: list[Regulation], queries: list[str], out: Path) -> list[tuple[str, str, str]]:
    """The duties and queries sections (anchor, title, html), with data/duties.csv and
    data/articles.csv: all that the texts alone decide, so that a forked process can make it
    while the links are made. The duties are read once (``unattributed=True``, which the queries
    need) and the attributed ones derived from them."""
    from ..corpus import articles_frame
    from ..duties.query import mandate_duties, mandates
    from .plots import modality_mix, obligations_heatmap
    from .tables import write_csv

    every = mandate_duties(regs)
    duties = _named_duties(every)
    write_csv(duties, out / "data" / "duties.csv")
    write_csv(articles_frame(regs), out / "data" / "articles.csv")
    parts = []
    if len(duties):
        bearers = duties[duties["role"] == "bearer"]
        top = (bearers.groupby("actor")
               .agg(obligations=("action", "size"), jurisdictions=("jurisdiction", "nunique"),
                    shall=("modality", lambda m: int((m == "shall").sum())),
                    prohibit=("modality", lambda m: int((m == "prohibit").sum())),
                    may=("modality", lambda m: int((m == "may").sum())),
                    encourage=("modality", lambda m: int((m == "encourage").sum())))
               .sort_values(["obligations"], ascending=False).head(20).reset_index())
        place = duties["jurisdiction"].fillna(duties["doc_id"])  # the columns of the two figures
        counts = place[duties["role"] == "bearer"].value_counts()
        plotted, note = duties, ""
        if len(counts) > MAX_SHOWN:
            keep = _top_columns(counts, sorted(counts.index))
            plotted = duties[place.isin(keep)]
            note = (f"<p class='muted'>Figures: the {len(keep)} of {len(counts)} jurisdictions with the most "
                    "obligations; data/duties.csv holds them all.</p>")
        parts.append(("duties", "义务主体 Duty-bearers",
                      f"<p>{len(bearers)} obligations of {bearers['actor'].nunique()} actors.</p>" + note
                      + _figure(obligations_heatmap(plotted), "obligations per actor and jurisdiction")
                      + _figure(modality_mix(plotted), "modality mix") + _table(top)))
    qhtml = []
    for q in queries:
        res = mandates(regs, q, modality=None, duties=every)
        cols = [c for c in ("jurisdiction", "doc_id", "article_no", "actor", "modality", "action") if c in res]
        qhtml.append(f"<h3>{_esc(q)}</h3><p class='muted'>{len(res)} obligations in "
                     f"{res['doc_id'].nunique() if len(res) else 0} documents</p>" + _table(res[cols].head(30)))
    parts.append(("queries", "查询 Mandates", "".join(qhtml)))
    return parts


_SHARED = None  # (regulations, queries, folder) of the sections a forked process makes


def _sections_shared():
    return _duty_sections(*_SHARED)


class _Duties:
    """The duties and queries sections, made in a forked process (the regulations are inherited,
    not pickled; only the sections' html comes back) when ``workers`` > 1 and fork exists, else
    here when asked for."""

    def __init__(self, regs: list[Regulation], queries: list[str], out: Path, workers: int):
        import multiprocessing as mp

        self.args, self.pool, self.future = (regs, queries, out), None, None
        # (a daemonic process — a multiprocessing.Pool worker — may not have children)
        if workers > 1 and "fork" in mp.get_all_start_methods() and not mp.current_process().daemon:
            from concurrent.futures import ProcessPoolExecutor

            global _SHARED
            _SHARED = self.args
            try:
                self.pool = ProcessPoolExecutor(1, mp_context=mp.get_context("fork"))
                self.future = self.pool.submit(_sections_shared)  # the worker forks here, holding _SHARED
            except (OSError, RuntimeError, AssertionError):  # no process to be had: read here
                self.close()
                self.future = None
            finally:
                _SHARED = None

    def result(self) -> list[tuple[str, str, str]]:
        if self.future is None:
            return _duty_sections(*self.args)
        try:
            return self.future.result()
        finally:
            self.close()

    def close(self, kill: bool = False) -> None:
        """Let the worker go; ``kill``: end it first (the report failed: its reading is not wanted)."""
        if self.pool is not None:
            if kill:
                for p in list((getattr(self.pool, "_processes", None) or {}).values()):
                    p.terminate()
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def _workers(regs: list[Regulation], workers: int | None) -> int:
    if workers is not None:
        return max(1, int(workers))
    import os

    big = sum(len(r.articles) for r in regs) >= PARALLEL_ARTICLES
    return 2 if big and (os.cpu_count() or 1) >= 2 else 1


def write_marker(outdir) -> Path:
    """Write the file that marks ``outdir`` as output of this library (``OUTPUT_MARKER``)."""
    from ..corpus import OUTPUT_MARKER

    path = Path(outdir) / OUTPUT_MARKER
    path.write_text(MARKER_TEXT, encoding="utf-8", newline="\n")
    return path


def _refuse_input_folder(out: Path) -> None:
    """A report goes into a new folder, an empty one or an earlier report's: never among
    regulations, which it would mix with its own files (and, marked as output, hide from reading)."""
    from ..corpus import OUTPUT_MARKER, corpus_files

    if out.exists() and not out.is_dir():
        raise OutputExistsError(f"{out}: exists and is not a folder; the report needs a folder")
    if not out.is_dir() or (out / OUTPUT_MARKER).exists():
        return
    texts = corpus_files(out)
    if texts:
        raise OutputExistsError(f"{out}: holds {len(texts)} regulation file(s) ({texts[0].name} …); "
                                "write the report to a new or empty folder")


def _order_key(reg: Regulation):
    import datetime as dt

    return (0 if reg.status == "draft" else 1, reg.adopted or reg.effective or dt.date.max, reg.doc_id)


def build_report(corpus, outdir, max_pairs: int = 12, min_similarity: float = 0.2,
                 queries: Iterable[str] = DEFAULT_QUERIES, progress: bool | None = None,
                 workers: int | None = None) -> Path:
    """Write the report folder and return the path of ``index.html``.

    The links are those of ``corpus.align_all()`` (blocked: linear in the documents); the
    条文对照表 of each compared pair shows them (``data/links.csv``). ``workers``: 2 reads the
    duties and answers the queries in a forked process meanwhile, 1 does everything here; None
    (default) uses 2 from ``PARALLEL_ARTICLES`` articles on a machine of two cores or more. The
    folder is the same either way."""
    corpus = _as_corpus(corpus)
    out = Path(outdir)
    _refuse_input_folder(out)
    (out / "diffs").mkdir(parents=True, exist_ok=True)
    (out / "data").mkdir(parents=True, exist_ok=True)
    write_marker(out)  # first: a report stopped half-way is output all the same
    job = _Duties(corpus.docs, list(queries), out, _workers(corpus.docs, workers))
    try:
        index = _build(corpus, out, max_pairs, min_similarity, progress, job)
    except BaseException:
        job.close(kill=True)
        raise
    job.close()
    return index


def _as_corpus(corpus):
    from ..corpus import Corpus

    return corpus if isinstance(corpus, Corpus) else Corpus(corpus)


def _build(corpus, out: Path, max_pairs: int, min_similarity: float, progress, job: _Duties) -> Path:
    from ..align.many import column_names, provision_families, similarity
    from ..align.pairs import compare
    from ..align.scale import align_all
    from .plots import coverage_heatmap, heatmap
    from .tables import clause_diff_html, font_face, safe_filename, write_csv

    regs = corpus.docs
    names = column_names(regs)
    column_of = dict(zip(corpus.doc_ids, names))
    parts: list[tuple[str, str, str]] = []   # (anchor, nav title, html)

    # overview
    overview = corpus.regulations.drop(columns=["encoding", "source", "position"], errors="ignore")
    warn = "".join(f"<details><summary>{_esc(r.doc_id)}: {len(r.warnings)} warnings</summary><ul>"
                   + "".join(f"<li>{_esc(w)}</li>" for w in r.warnings) + "</ul></details>"
                   for r in regs if r.warnings)
    parts.append(("overview", "概览 Overview",
                  f"<p>{len(regs)} documents, {sum(len(r.articles) for r in regs)} articles.</p>"
                  + _table(overview) + warn))

    # similarity: from the blocked links, computed once for every section
    links = align_all(regs, progress=progress)
    sim = similarity(regs, links)
    write_csv(links, out / "data" / "links.csv")
    pairs = select_pairs(regs, sim, max_pairs, min_similarity)
    shown = _shown(sim, pairs, regs)
    note = "" if len(shown) == len(regs) else (
        f" {len(shown)} of {len(regs)} documents shown: those of the compared pairs, then those most related "
        "to another document (data/links.csv holds every link).")
    ax = heatmap(sim.iloc[shown, shown] * 100, title="aligned share of text (%)  行文本在列文本中找到对应的比例")
    parts.append(("similarity", "相似度 Similarity",
                  "<p class='muted'>Share of the row document's text (weighted by link score) that has a "
                  f"strong counterpart in the column document.{_esc(note)}</p>" + _figure(ax, "similarity heatmap")))

    # coverage of provision families
    fam = provision_families(regs, links)
    write_csv(fam.drop(columns=["text"]), out / "data" / "families.csv")
    if len(fam):
        fam = fam.assign(column=fam["doc_id"].map(column_of))
        labels = fam.drop_duplicates("family").set_index("family")["label"]
        cells = (fam.assign(cell=fam["article_no"].map(lambda n: f"第{n}条"))
                 .pivot_table(index="family", columns="column", values="cell", aggfunc="、".join))
        columns = [n for n in names if n in cells.columns]
        note = ""
        if len(columns) > MAX_SHOWN:
            columns = _top_columns(cells.notna().sum(), columns)
            note = (f"<p class='muted'>The {len(columns)} of {cells.shape[1]} documents holding the most families "
                    "are shown; data/families.csv lists every member.</p>")
        cells = cells.reindex(columns=columns)
        cells.index = [f"{i}. {labels[i]}" for i in cells.index]
        presence = cells.notna().astype(float) * 100
        presence = presence.where(cells.notna())
        top = presence.head(40)
        ax = coverage_heatmap(top, title="provision families × jurisdictions (first 40)")
        ax.figure.set_size_inches(max(6, 0.7 * top.shape[1] + 4), 0.32 * len(top) + 2)
        parts.append(("coverage", "覆盖 Coverage",
                      f"<p>{fam['family'].nunique()} provision families (clusters of equivalent articles "
                      "in two or more documents).</p>" + note + _figure(ax, "coverage") +
                      "<details><summary>all families</summary>" + _table(cells.fillna(""), index=True)
                      + "</details>"))

    # pairwise comparisons
    blocks, toc = [], []
    by_pair = _rows_by_pair(links, {(x.doc_id, y.doc_id) for a, b, _ in pairs for x, y in ((a, b), (b, a))})
    for k, (a, b, s) in enumerate(_progress(pairs, len(pairs), "comparing", progress), start=1):
        # the corpus's own links (the scores of links.csv), handed over pair by pair: compare reads
        # every row it is given
        rows = np.sort(np.concatenate([by_pair.get((a.doc_id, b.doc_id), []), by_pair.get((b.doc_id, a.doc_id), [])]))
        cd = compare(a, b, links=links.iloc[rows.astype(np.int64)])
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

    # duties and queries: made meanwhile (see _duty_sections)
    parts += job.result()

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
