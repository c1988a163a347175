"""Presenting a ClauseDiff (条文对照表): HTML, Excel (.xlsx) and Word (.docx); and the one CSV
writer of the library (:func:`write_csv`) with its Excel counterpart for frames
(:func:`write_frame_excel`).

All three renderers share one model: for every frame row, the A side and the B side as lists of
``(text, changed)`` segments taken from the row's word-level ``ops``. Text is never markup: HTML
escapes everything, the Office writers strip XML-illegal characters and guard formula-like cells.
Outputs are deterministic: the same ClauseDiff gives the same bytes.

Hostile text, one rule everywhere: a lone surrogate becomes U+FFFD (one for one, so offsets
hold); XML outputs (Word, Excel, AKN) drop every other character XML 1.0 cannot hold
(:func:`clean`); CSV keeps them but guards formulas on every line of a cell and quotes every text
field (:func:`write_csv`).
"""
from __future__ import annotations

import base64
import csv
import datetime as _dt
import hashlib
import html
import io
import math
import os
import re
import unicodedata
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..align.relations import RELATION_ZH, RELATIONS
from ..readers.patterns import LONE_SURROGATE, xml_text

# Background colours by relation (light, printable); shared by the three formats.
RELATION_COLOUR = {"identical": "F2F2F2", "modified": "FFF5CC", "split": "DDEBF7",
                   "merged": "E4DFEC", "partial": "FCE4D6", "deleted": "F8D7DA", "added": "D9F2DF"}
DEL_COLOUR, INS_COLOUR = "CB2431", "22863A"
FORCE_COLOUR, FORCE_LABEL = "B03A2E", "法律效力变化"   # rows that change a duty's force, bearers or figures
FIXED_TIME = _dt.datetime(2000, 1, 1)   # stamped into Office metadata so outputs are reproducible

# a spreadsheet reads a cell (or, for a reader that ends rows at a bare CR, a line of a cell)
# that starts with one of these as a formula
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# a line of a multi-line cell that starts with one of them: the quote goes after the line break
# (CR, LF, and the other breaks of str.splitlines: VT, FF, FS, GS, RS, NEL, LS, PS)
_FORMULA_LINE = re.compile("([\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029])"
                           f"(?=[{re.escape(''.join(_FORMULA_START))}])")


# -- shared model ------------------------------------------------------------------------------
def clean(text) -> str:
    """A string safe for XML (Word, Excel, AKN): None/NA become ""; a lone surrogate becomes
    U+FFFD (same length, so offsets hold); every other XML-illegal character (C0 controls but
    TAB/LF/CR, U+FFFE, U+FFFF) is dropped."""
    return xml_text(_s(text))


# core properties (title, subject …) are limited to 255 characters (python-docx enforces it)
_CORE_MAX = 255


def _core_text(text: str) -> str:
    text = clean(text)
    return text if len(text) <= _CORE_MAX else text[: _CORE_MAX - 1] + "…"


def safe_cell(value):
    """A text cell safe for CSV/spreadsheets: a leading = + - @ TAB CR (formula) is quoted with
    ', and so is every line inside the cell that starts with one of them (a reader that ends rows
    at CR or LF — or at any break of ``str.splitlines`` — sees such a line as a row of its own);
    a lone surrogate becomes U+FFFD. Numbers, booleans and missing values are returned as they
    are; any other object is made text (``str``) first. Other characters are kept."""
    if value is None or isinstance(value, (bool, int, float, complex, np.number, np.bool_)) \
            or value is pd.NA or value is pd.NaT:
        return value
    if not isinstance(value, str):
        value = str(value)
    value = _FORMULA_LINE.sub("\\1'", LONE_SURROGATE.sub("\ufffd", value))
    return "'" + value if value.startswith(_FORMULA_START) else value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every non-numeric cell passed through :func:`safe_cell` (the step of
    :func:`write_csv`; use that to write a CSV)."""
    out = df.copy()
    for c in range(out.shape[1]):
        col = out.iloc[:, c]
        if col.dtype.kind in "iufcbM":  # numbers, booleans, datetimes: never a formula
            continue
        out.isetitem(c, col.astype(object).map(safe_cell))
    return out


def write_csv(df: pd.DataFrame, dest=None) -> str | None:
    """Write ``df`` as CSV: the one CSV writer of the library.

    ``dest`` is a path, a text or binary file object, or None (return the CSV text, like
    :meth:`DataFrame.to_csv`). UTF-8 (no BOM), ``\\n`` line ends, no index. Every text cell
    and column name goes through :func:`safe_cell` (formula guard, on each line of the cell), and
    every text field is quoted (``csv.QUOTE_NONNUMERIC``): a CR, LF, comma or quote inside a text
    is always inside quotes, whatever a reader takes for a line end, while numbers stay unquoted
    so that a reader can still tell them from text. Missing values are written as ``""``."""
    out = safe_frame(df)
    header = [safe_cell(c if isinstance(c, str) else str(c)) for c in out.columns]
    text = out.to_csv(None, index=False, header=header, quoting=csv.QUOTE_NONNUMERIC,
                      lineterminator="\n")
    if dest is None:
        return text
    if isinstance(dest, (str, os.PathLike)):
        Path(dest).write_bytes(text.encode("utf-8"))
    elif isinstance(dest, io.TextIOBase):
        dest.write(text)
    elif isinstance(dest, (io.RawIOBase, io.BufferedIOBase)) or "b" in str(getattr(dest, "mode", "")):
        dest.write(text.encode("utf-8"))
    else:
        try:
            dest.write(text)
        except TypeError:
            dest.write(text.encode("utf-8"))
    return None


def _s(x) -> str:
    """str(x), with None, NaN and pandas' NA as ""."""
    if x is None or x is pd.NA or x is pd.NaT or (isinstance(x, float) and math.isnan(x)):
        return ""
    return str(x)


def _key(x):
    """An article number as a hashable key; None when missing."""
    s = _s(x)
    return s or None


def _ops(x) -> list[tuple[str, str]]:
    if x is None or isinstance(x, float):
        return []
    return [(str(t), _s(s)) for t, s in x]


def _mask(ops, text: str, side: str) -> list[bool] | None:
    """Per-character "changed" flags of one side's text, or None when ops do not rebuild it."""
    changed_tag = "delete" if side == "a" else "insert"
    flags: list[bool] = []
    parts = []
    for tag, seg in ops:
        if tag in ("equal", changed_tag):
            parts.append(seg)
            flags.extend([tag == changed_tag] * len(seg))
    return flags if "".join(parts) == text else None


def _segments(text: str, flags: list[bool]) -> list[tuple[str, bool]]:
    """Runs of equal flags; a change that is only whitespace (a paragraph break moved by a
    split) is not shown as one."""
    out: list[tuple[str, bool]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or flags[i] != flags[start]:
            piece = clean(text[start:i])
            changed = flags[start] and bool(piece.strip())
            if out and out[-1][1] == changed:
                out[-1] = (out[-1][0] + piece, changed)
            elif piece:
                out.append((piece, changed))
            start = i
    return out


def _side_segments(frame, side: str) -> list[list[tuple[str, bool]]]:
    """Segments of one side for every row. A side shared by several rows (split/merged) shows the
    same text in each, marked changed only where every row's diff marks it: a split article's
    text that moved to the sibling article is not a deletion."""
    col_art, col_text = f"{side}_article", f"{side}_text"
    other_empty = "b_text" if side == "a" else "a_text"
    masks, texts, keys = [], [], []
    for art, text, ops, other in zip(frame[col_art], frame[col_text], frame["ops"], frame[other_empty]):
        text = _s(text)
        m = _mask(_ops(ops), text, side)
        if m is None:  # inconsistent ops: whole text changed only when the other side is empty
            m = [not _s(other)] * len(text)
        masks.append(m)
        texts.append(text)
        keys.append(_key(art))
    shared: dict = {}
    for k, t, m in zip(keys, texts, masks):
        if k is not None and len(m) == len(t):
            prev = shared.get((k, t))
            shared[(k, t)] = m if prev is None else [x and y for x, y in zip(prev, m)]
    return [_segments(t, shared.get((k, t), m) if k is not None else m)
            for k, t, m in zip(keys, texts, masks)]


def _label(frame_row, side: str) -> str:
    label, heading = clean(frame_row[f"{side}_label"]), clean(frame_row[f"{side}_heading"])
    return label + (f"【{heading}】" if heading else "")


def _score(x) -> str:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return ""
    return "" if math.isnan(v) else f"{v:.0f}"


def _note(row) -> str:
    """The row's 说明 as alignment wrote it (a moved link already says 条序调整)."""
    return clean(row["note"]) or RELATION_ZH.get(_s(row["relation"]), "")


def _forced(row) -> bool:
    """Whether a row of a 条文对照表 changes legal force (modality, bearers or figures)."""
    flags = (row.get(c) for c in ("force_change", "bearer_change", "figures_change"))
    return any(f is not None and not pd.isna(f) and bool(f) for f in flags)


def relation_counts(cd) -> dict[str, int]:
    """Rows per relation, in the canonical order, unknown relations last."""
    counts = cd.frame["relation"].astype(str).value_counts().to_dict() if len(cd.frame) else {}
    order = [r for r in RELATIONS if r in counts] + sorted(r for r in counts if r not in RELATIONS)
    return {r: int(counts[r]) for r in order}


def _rows(cd):
    """(row, a_segments, b_segments) for every frame row, in display order."""
    frame = cd.frame.reset_index(drop=True)
    a_segs, b_segs = _side_segments(frame, "a"), _side_segments(frame, "b")
    for i, row in frame.iterrows():
        yield row, a_segs[i], b_segs[i]


# -- HTML ------------------------------------------------------------------------------------
def table_css(box: str) -> str:
    """The CSS of a comparison table inside the element of class ``box`` (Chinese fonts, borders,
    a sticky header, the script-free filter's hidden checkboxes)."""
    return f"""
.{box}{{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","PinganCJK",
 "SimSun",sans-serif;font-size:14px;line-height:1.6;color:#222}}
.{box} h1,.{box} h3{{font-size:18px;margin:.3em 0}}
.{box} table{{border-collapse:collapse;width:100%;table-layout:fixed}}
.{box} th,.{box} td{{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left;
 word-break:break-all}}
.{box} th{{background:#eee;position:sticky;top:0}}
.{box} .pc-lab{{font-weight:bold}}
.{box} .pc-meta{{color:#666;font-size:12px}}
.{box} .pc-filter label{{margin-right:1em;cursor:pointer;user-select:none}}
.{box} input.pc-box{{position:absolute;opacity:0;pointer-events:none}}
""".strip()


_CSS = table_css("pc-diff") + """
.pc-diff col.pc-c{width:18%}
.pc-diff .pc-badge{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;
 border:1px solid #999}"""


def _html_segments(segs, side: str) -> str:
    tag, style = (("del", f"color:#{DEL_COLOUR};background:#ffeef0;text-decoration:line-through")
                  if side == "a" else
                  ("ins", f"color:#{INS_COLOUR};background:#e6ffed;text-decoration:underline"))
    out = []
    for text, changed in segs:
        t = html.escape(text).replace("\n", "<br>")
        out.append(f'<{tag} class="pc-{tag}" style="{style}">{t}</{tag}>' if changed else t)
    return "".join(out)


def _html_cell(row, segs, side: str) -> str:
    label = _label(row, side)
    lab = f'<div class="pc-lab">{html.escape(label)}</div>' if label else ""
    return f"<td>{lab}{_html_segments(segs, side)}</td>"


def _slug(relation: str) -> str:
    return re.sub(r"[^a-z0-9]", "", relation.lower()) or "x"


def _meta(row, sep: str) -> str:
    score = _score(row["score"])
    return sep.join(x for x in (f"相似度 {score}" if score else "", clean(row["method"])) if x)


def _badge(rel: str) -> str:
    return (f'<span class="pc-badge" style="background:#{RELATION_COLOUR.get(rel, "FFFFFF")}">'
            f"{html.escape(RELATION_ZH.get(rel, rel))} {html.escape(rel)}</span>")


def _html_filters(uid: str, counts: dict[str, int]) -> tuple[str, str, str]:
    """(CSS, checkboxes, labels) of a script-free filter: each checkbox is a sibling placed before
    the table, so ``:not(:checked) ~ table`` can hide its rows; the visible labels toggle it."""
    css, boxes, labels = [], [], []
    for rel, n in counts.items():
        slug, colour = _slug(rel), RELATION_COLOUR.get(rel, "FFFFFF")
        box = f"{uid}-f-{slug}"
        css.append(f"#{uid} tr.pc-r-{slug}{{background:#{colour}}}")
        css.append(f"#{box}:not(:checked)~table tr.pc-r-{slug}{{display:none}}")
        css.append(f"#{box}:not(:checked)~.pc-filter label[for={box}]{{opacity:.45}}")
        css.append(f"#{box}:checked~.pc-filter label[for={box}]::before{{content:'☑ '}}")
        css.append(f"#{box}:not(:checked)~.pc-filter label[for={box}]::before{{content:'☐ '}}")
        boxes.append(f'<input type="checkbox" class="pc-box" id="{box}" checked>')
        labels.append(f'<label for="{box}">{_badge(rel)} {n}</label>')
    return "\n".join(css), "".join(boxes), "".join(labels)


def _html_force_filter(uid: str, n: int) -> tuple[str, str, str]:
    """A checkbox showing only the rows that change legal force (CSS only, like the others)."""
    box = f"{uid}-force"
    css = (f"#{box}:checked~table tbody tr:not(.pc-f){{display:none}}\n"
           f"#{box}:checked~.pc-filter label[for={box}]::before{{content:'☑ '}}\n"
           f"#{box}:not(:checked)~.pc-filter label[for={box}]::before{{content:'☐ '}}")
    return (css, f'<input type="checkbox" class="pc-box" id="{box}">',
            f'<label for="{box}" style="color:#{FORCE_COLOUR};font-weight:bold">只看{FORCE_LABEL} {n}</label>')


def _html_row(row, a_segs, b_segs) -> str:
    rel = _s(row["relation"])
    force = " pc-f" if _forced(row) else ""
    return (f'<tr class="pc-r-{_slug(rel)}{force}" data-relation="{html.escape(rel)}" data-force="{int(bool(force))}">'
            f"{_html_cell(row, a_segs, 'a')}{_html_cell(row, b_segs, 'b')}"
            f"<td>{_badge(rel)}<br>{html.escape(_note(row))}"
            f'<div class="pc-meta">{html.escape(_meta(row, " · "))}</div></td></tr>')


def clause_diff_html(cd, standalone: bool = False) -> str:
    """The side-by-side table as an HTML fragment (notebook) or the body of a standalone page.

    Filtering by relation is CSS-only (checkboxes before the table), so it needs no script and
    works in a notebook as in a browser."""
    esc = html.escape
    a_name, b_name = clean(cd.a_name), clean(cd.b_name)
    counts = relation_counts(cd)
    # a stable id (no counter, no random) keeps the output deterministic
    uid = "pcd" + hashlib.sha1(f"{a_name}\0{b_name}\0{len(cd.frame)}".encode()).hexdigest()[:8]
    css, boxes, labels = _html_filters(uid, counts)
    n_force = int(sum(_forced(r) for r in cd.frame.to_dict("records")))
    fcss, fbox, flabel = _html_force_filter(uid, n_force)
    css, boxes, labels = f"{css}\n{fcss}", boxes + fbox, labels + flabel
    body = "".join(_html_row(*r) for r in _rows(cd))
    h = "h1" if standalone else "h3"
    return (f'<div class="pc-diff" id="{uid}"><style>{_CSS}\n{css}</style>'
            f"<{h}>《{esc(a_name)}》 ↔ 《{esc(b_name)}》 条文对照表</{h}>"
            f'<p class="pc-meta">A：{esc(a_name)}（{len(cd.a.articles)} 条） · '
            f"B：{esc(b_name)}（{len(cd.b.articles)} 条） · {sum(counts.values())} 行{_reuse(cd)}</p>"
            f'{boxes}<div class="pc-filter">按关系筛选：{labels}</div>'
            f'<table><colgroup><col><col><col class="pc-c"></colgroup><thead><tr>'
            f"<th>{esc(a_name)}</th><th>{esc(b_name)}</th><th>说明</th></tr></thead>"
            f"<tbody>{body}</tbody></table></div>")


def _reuse(cd) -> str:
    attrs = cd.summary().attrs
    if "reused_a" not in attrs:
        return ""
    return f" · 文本沿用：A {attrs['reused_a']:.0%}，B {attrs['reused_b']:.0%}"


def font_face(text: str) -> str:
    """An @font-face rule embedding the bundled CJK font, subset to the characters of ``text``, so
    that the page shows Chinese on a machine without any CJK font (and stays self-contained)."""
    from fontTools import subset

    from .plots import BUNDLED_FONT

    if not BUNDLED_FONT.is_file():
        return ""
    opts = subset.Options()
    opts.name_IDs = ["*"]
    font = subset.load_font(io.BytesIO(BUNDLED_FONT.read_bytes()), opts)  # no file left open
    sub = subset.Subsetter(opts)
    sub.populate(text="".join(sorted(set(text))))
    sub.subset(font)
    buf = io.BytesIO()
    subset.save_font(font, buf, opts)
    font.close()
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'@font-face{{font-family:"PinganCJK";src:url(data:font/otf;base64,{data}) format("opentype");}}'


def write_html(cd, path) -> None:
    """One standalone UTF-8 page: inline CSS, no script, no network asset."""
    title = html.escape(f"{clean(cd.a_name)} ↔ {clean(cd.b_name)} 条文对照表")
    body = clause_diff_html(cd, standalone=True)
    page = ('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{title}</title>\n<style>{font_face(html.unescape(body))}</style>\n</head>\n<body>\n"
            f"{body}\n</body>\n</html>\n")
    Path(path).write_text(page, encoding="utf-8", newline="\n")


# -- deterministic zip containers -----------------------------------------------------------
def _write_zip_deterministic(data: bytes, path) -> None:
    """Re-pack an OOXML zip with fixed entry timestamps (zipfile stamps the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, src.read(info.filename))
    Path(path).write_bytes(out.getvalue())


# -- Excel -----------------------------------------------------------------------------------
def _guard(cell, value: str) -> None:
    """Write text so that no spreadsheet takes it for a formula: stored as a string, and the
    quote prefix (Excel's leading apostrophe) keeps it text even when the cell is edited."""
    cell.value = value
    if value.startswith(_FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def _rich(row, segs, side: str):
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    changed_font = (InlineFont(color=DEL_COLOUR, strike=True) if side == "a"
                    else InlineFont(color=INS_COLOUR, u="single"))
    label = _label(row, side)
    parts = [TextBlock(InlineFont(b=True), label + ("\n" if segs else ""))] if label else []
    parts += [TextBlock(changed_font, t) if changed else t for t, changed in segs]
    if not parts:
        return None
    if not label and not any(c for _, c in segs):  # plain text: a normal (guarded) string cell
        return "".join(t for t, _ in segs)
    return CellRichText(parts)


def _plain(value) -> str:
    return "" if value is None else str(value)


def _row_height(*cells: tuple[str, float]) -> float:
    """Points for a row whose wrapped cells hold these texts in columns of these widths.

    Spreadsheets do not re-fit row heights of generated files on opening (LibreOffice shows one
    line), so the height is estimated: wide (CJK) characters count two width units."""
    lines = 1
    for text, width in cells:
        n = 0
        for para in text.split("\n"):
            units = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in para)
            n += max(1, math.ceil(units / (width - 2)))
        lines = max(lines, n)
    return min(409.0, 19.0 * lines + 6)  # CJK fallback fonts have tall lines; 409 pt: Excel max


def write_excel(cd, path) -> None:
    """An .xlsx with the sheet 条文对照表 (rich-text changes, frozen header, filter) and summary."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "条文对照表"
    _diff_sheet(wb.active, cd)
    _summary_sheet(wb.create_sheet("summary"), cd)
    save_workbook(wb, path, f"{cd.a_name} 与 {cd.b_name} 条文对照表")


def save_workbook(wb, path, title: str | None = None) -> None:
    """Save with fixed metadata and zip timestamps: the same bytes every run."""
    from openpyxl.writer.excel import ExcelWriter

    wb.properties.creator = "pingan_corpus"
    if title is not None:
        wb.properties.title = _core_text(title)
    wb.properties.created = wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    # ExcelWriter directly: openpyxl's save_workbook would stamp "modified" with the current time.
    ExcelWriter(wb, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    _write_zip_deterministic(buf.getvalue(), path)


def write_frame_excel(df: pd.DataFrame, path, sheet_name: str = "data") -> None:
    """A DataFrame as an .xlsx sheet (the Excel counterpart of :func:`write_csv`): header row in
    bold and frozen, no index; numbers and booleans as such, missing values empty, every other
    cell as text — XML-illegal characters dropped (:func:`clean`) and stored as a string with
    the quote prefix, so that no text is ever a formula. Deterministic bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = clean(sheet_name)[:31] or "data"
    for col, name in enumerate(df.columns, 1):
        _guard(ws.cell(1, col), clean(name))
        ws.cell(1, col).font = Font(bold=True)
    for r, values in enumerate(df.itertuples(index=False, name=None), 2):
        for col, v in enumerate(values, 1):
            if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
                continue
            if isinstance(v, (bool, np.bool_)):
                ws.cell(r, col).value = bool(v)
            elif isinstance(v, (int, float, np.integer, np.floating)):
                ws.cell(r, col).value = v.item() if hasattr(v, "item") else v
            else:
                _guard(ws.cell(r, col), clean(v))
    ws.freeze_panes = "A2"
    save_workbook(wb, path)


def _diff_sheet(ws, cd) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    header = [clean(cd.a_name), clean(cd.b_name), "说明", "relation", "score", "method", FORCE_LABEL]
    for col, name in enumerate(header, 1):
        _guard(ws.cell(1, col), name)
        ws.cell(1, col).font = Font(bold=True)
        ws.cell(1, col).fill = PatternFill("solid", fgColor="DDDDDD")
    top = Alignment(wrap_text=True, vertical="top")
    for r, (row, a_segs, b_segs) in enumerate(_rows(cd), 2):
        rel = _s(row["relation"])
        for col, segs, side in ((1, a_segs, "a"), (2, b_segs, "b")):
            value = _rich(row, segs, side)
            if isinstance(value, str):
                _guard(ws.cell(r, col), value)
            else:
                ws.cell(r, col).value = value
        _guard(ws.cell(r, 3), _note(row))
        _guard(ws.cell(r, 4), clean(rel))
        score = _score(row["score"])
        ws.cell(r, 5).value = float(score) if score else None
        _guard(ws.cell(r, 6), clean(row["method"]))
        _guard(ws.cell(r, 7), "是" if _forced(row) else "")
        for col in range(1, 8):
            ws.cell(r, col).alignment = top
        ws.cell(r, 3).fill = ws.cell(r, 4).fill = PatternFill(
            "solid", fgColor=RELATION_COLOUR.get(rel, "FFFFFF"))
        ws.row_dimensions[r].height = _row_height(*((_plain(ws.cell(r, c).value), w)
                                                    for c, w in ((1, 60), (2, 60), (3, 28))))
    _sheet_layout(ws, (60, 60, 28, 11, 8, 12, 10))


def _sheet_layout(ws, widths) -> None:
    """Column widths, frozen header, filter, and printing: landscape A4, one page wide."""
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(widths))}{max(ws.max_row, 1)}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _summary_sheet(ws, cd) -> None:
    """Names, article counts, reuse shares and the counts by relation (from ``cd.summary()``)."""
    from openpyxl.styles import Font

    table = cd.summary()
    rows = [("A", clean(cd.a_name)), ("B", clean(cd.b_name)),
            ("A articles", len(cd.a.articles)), ("B articles", len(cd.b.articles))]
    rows += [(str(k), v) for k, v in table.attrs.items() if isinstance(v, (int, float))]
    header_row = len(rows) + 2
    rows += [(), (str(table.index.name or "relation"), *map(str, table.columns))]
    rows += [(str(i), *(v.item() if hasattr(v, "item") else v for v in vals))
             for i, vals in zip(table.index, table.itertuples(index=False))]
    for r, values in enumerate(rows, 1):
        for c, v in enumerate(values, 1):
            if isinstance(v, str):
                _guard(ws.cell(r, c), clean(v))
            elif v is not None and not (isinstance(v, float) and math.isnan(v)):
                ws.cell(r, c).value = v
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 14, 50


# -- Word ------------------------------------------------------------------------------------
BODY_FONT, BODY_FONT_ALT = "宋体", "SimSun"
TITLE_FONT, TITLE_FONT_ALT = "黑体", "SimHei"
LATIN_FONT = "Times New Roman"


def _set_fonts(rpr_parent, east_asia: str) -> None:
    """Set ascii/hAnsi/eastAsia fonts on a style or run, dropping theme fonts (which win over
    explicit names: the default template's East-Asian theme font is a Japanese Mincho)."""
    from docx.oxml.ns import qn

    rpr = rpr_parent.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr, val in (("w:ascii", LATIN_FONT), ("w:hAnsi", LATIN_FONT), ("w:eastAsia", east_asia),
                      ("w:cs", LATIN_FONT)):
        rfonts.set(qn(attr), val)


def _doc_defaults(doc) -> None:
    """Body font 宋体 10.5 pt (五号), language zh-CN, on docDefaults and the Normal style."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts"))
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    for attr, val in (("w:ascii", LATIN_FONT), ("w:hAnsi", LATIN_FONT), ("w:eastAsia", BODY_FONT),
                      ("w:cs", LATIN_FONT)):
        rfonts.set(qn(attr), val)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    _set_fonts(normal.element, BODY_FONT)
    normal.font.size = Pt(10.5)


def _font_table(doc) -> None:
    """Declare 宋体/黑体 in the font table with their Latin names as w:altName, so Word and
    LibreOffice find a substitute (SimSun, SimHei, or any GB2312 font) where the name is unknown."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    part = doc.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    w = root.nsmap["w"]
    for name, alt, family in ((BODY_FONT, BODY_FONT_ALT, "roman"), (TITLE_FONT, TITLE_FONT_ALT, "modern")):
        font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
        for tag, val in (("altName", alt), ("panose1", "02010600030101010101"), ("charset", "86"),
                         ("family", family), ("pitch", "variable")):
            etree.SubElement(font, f"{{{w}}}{tag}", {f"{{{w}}}val": val})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _landscape(doc) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    sec.left_margin = sec.right_margin = Mm(18)
    sec.top_margin = sec.bottom_margin = Mm(18)


def _cell_text(cell, label: str, segs, side: str) -> None:
    from docx.shared import RGBColor

    para = cell.paragraphs[0]
    if label:
        para.add_run(label).bold = True
        para = cell.add_paragraph() if segs else para
    for _i, (text, changed) in enumerate(segs):
        for j, line in enumerate(text.split("\n")):
            if j:
                para = cell.add_paragraph()
            if not line:
                continue
            run = para.add_run(line)
            if changed:
                run.font.color.rgb = RGBColor.from_string(DEL_COLOUR if side == "a" else INS_COLOUR)
                if side == "a":
                    run.font.strike = True
                else:
                    run.font.underline = True


def _shade(cell, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shd)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _merge_runs(cells: list, keys: list) -> None:
    """Merge vertically the cells of consecutive rows showing the same article (split/merged).

    ``cells`` are one column's cells, a row each (``keys`` alike). The rows after the first of
    a run are empty (their text is written once, in the first), so the merge only marks the
    cells: ``w:vMerge`` restart on the first, continue on the others. This is what python-docx's
    ``_Cell.merge`` writes for such cells, in constant time per cell (``merge`` and
    ``table.cell`` walk the whole table each time, which made long tables quadratic)."""
    from docx.oxml.simpletypes import ST_Merge

    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] is None or keys[i] != keys[start]:
            if i - start > 1:
                cells[start]._tc.vMerge = ST_Merge.RESTART
                for k in range(start + 1, i):
                    cells[k]._tc.vMerge = ST_Merge.CONTINUE
            start = i


def landscape_document(title: str, subtitle: str):
    """A new Word document for a table: 宋体 body, landscape A4, a centred 黑体 title and a line under it."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = docx.Document()
    _doc_defaults(doc)
    _font_table(doc)
    _landscape(doc)
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(clean(title))
    run.bold, run.font.size = True, Pt(16)
    _set_fonts(run._r, TITLE_FONT)
    doc.add_paragraph(clean(subtitle)).alignment = WD_ALIGN_PARAGRAPH.CENTER
    return doc


def save_document(doc, path, title: str) -> None:
    """Save with fixed metadata (title, author, times) and fixed zip timestamps: the same bytes every run."""
    props = doc.core_properties
    props.title = _core_text(title)
    props.author = props.last_modified_by = "pingan_corpus"
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    _write_zip_deterministic(buf.getvalue(), path)


def write_docx(cd, path) -> None:
    """A Word 条文对照表: landscape A4, title, table A | B | 说明 with a repeated header row."""
    a_name, b_name = clean(cd.a_name), clean(cd.b_name)
    counts = "；".join(f"{RELATION_ZH.get(r, r)} {n}" for r, n in relation_counts(cd).items())
    doc = landscape_document(f"《{a_name}》与《{b_name}》条文对照表", counts)
    _docx_table(doc, cd, (a_name, b_name, "说明"))
    save_document(doc, path, f"{a_name} 与 {b_name} 条文对照表")


def _docx_table(doc, cd, header) -> None:
    """The table, built in time linear in its rows: created whole, then filled through cell
    objects made once per ``w:tc`` (``table.rows[i]`` and ``table.cell`` are O(rows) each)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm
    from docx.table import _Cell

    rows = list(_rows(cd))
    table = doc.add_table(rows=1 + len(rows), cols=3)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    grid = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
    for r in grid:  # 112 + 112 + 37 mm: the text width of landscape A4 with 18 mm margins
        for cell, width in zip(r, (Mm(112), Mm(112), Mm(37))):
            cell.width = width
    for cell, text in zip(grid[0], header):
        run = cell.paragraphs[0].add_run(clean(text))
        run.bold = True
        _set_fonts(run._r, TITLE_FONT)
        _shade(cell, "D9D9D9")
    _repeat_header(table.rows[0])
    keys = {"a": [], "b": []}
    for cells, (row, a_segs, b_segs) in zip(grid[1:], rows):
        for col, side, segs in ((0, "a", a_segs), (1, "b", b_segs)):
            key = _key(row[f"{side}_article"])
            if not (keys[side] and key is not None and key == keys[side][-1]):
                _cell_text(cells[col], _label(row, side), segs, side)  # else merged below
            keys[side].append(key)
        _note_cell(cells[2], row)
    _merge_runs([r[0] for r in grid[1:]], keys["a"])
    _merge_runs([r[1] for r in grid[1:]], keys["b"])


def _note_cell(cell, row) -> None:
    from docx.shared import Pt

    rel = _s(row["relation"])
    cell.paragraphs[0].add_run(clean(f"{RELATION_ZH.get(rel, rel)}（{rel}）")).bold = True
    cell.add_paragraph(_note(row))
    meta = _meta(row, "，")
    if meta:
        cell.add_paragraph(meta).runs[0].font.size = Pt(8)
    _shade(cell, RELATION_COLOUR.get(rel, "FFFFFF"))


# -- file names ------------------------------------------------------------------------------
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)


def safe_filename(title, default: str = "untitled", max_bytes: int = 150) -> str:
    """A file name from a title: no path separators, control/format or reserved characters, no
    leading dot, not a Windows device name; Chinese kept; at most ``max_bytes`` UTF-8 bytes."""
    text = unicodedata.normalize("NFC", _s(title))
    chars = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in '/\\:*?"<>|' or cat in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            chars.append("_")
        elif cat == "Zs":
            chars.append(" ")
        else:
            chars.append(ch)
    name = re.sub(r"_+", "_", re.sub(r" +", " ", "".join(chars)))
    name = name.strip(" ._")
    while len(name.encode("utf-8")) > max_bytes:
        name = name[:-1]
    name = name.rstrip(" .")
    if not name:
        return default
    return "_" + name if _RESERVED.match(name) else name
