"""The 多地对照表: a draft's articles against several jurisdictions, in Word, Excel and HTML.

Rows come from ``Coverage.rows`` (the draft's articles in order, and the provisions only peers
have after their nearest draft neighbour); cells from ``Coverage.cells`` (each peer's
counterparts, their word diff against the draft and their legal-force changes). Every row has one
kind, which the filters use: identical (every counterpart the same), modified (some counterpart
changed), partial (counterparts in part only), draft_only (no peer has it), peers_only.
"""
from __future__ import annotations

import hashlib
import html
import math
from pathlib import Path

import pandas as pd

from ..align.relations import RELATION_ZH, STRONG_RELATIONS
from ..models import regulation_name
from .tables import (
    FORCE_COLOUR,
    FORCE_LABEL,
    INS_COLOUR,
    RELATION_COLOUR,
    TITLE_FONT,
    _guard,
    _mask,
    _repeat_header,
    _row_height,
    _s,
    _segments,
    _set_fonts,
    _shade,
    _sheet_layout,
    clean,
    font_face,
    landscape_document,
    save_document,
    save_workbook,
    table_css,
)

ROW_KINDS = {"identical": "各地相同", "modified": "有修改", "partial": "部分对应", "draft_only": "仅本稿有",
             "peers_only": "仅他地有"}
KIND_COLOUR = {"identical": RELATION_COLOUR["identical"], "modified": RELATION_COLOUR["modified"],
               "partial": RELATION_COLOUR["partial"], "draft_only": RELATION_COLOUR["deleted"],
               "peers_only": RELATION_COLOUR["added"]}


def row_kinds(cov) -> pd.Series:
    """The kind of every row of ``cov.rows`` (see the module's docstring)."""
    rels_of: dict[int, set[str]] = {}
    for row, rel in zip(cov.cells["row"], cov.cells["relation"]):
        rels_of.setdefault(row, set()).add(rel)
    kinds = []
    for row, kind in zip(cov.rows["row"], cov.rows["kind"]):
        if kind == "peers":
            kinds.append("peers_only")
            continue
        rels = rels_of.get(row, set())
        if not rels:
            kinds.append("draft_only")
        elif rels <= {"identical"}:
            kinds.append("identical")
        elif rels & set(STRONG_RELATIONS):
            kinds.append("modified")
        else:
            kinds.append("partial")
    return pd.Series(kinds, index=cov.rows.index)


def _force_rows(cov) -> set[int]:
    c = cov.cells
    if c.empty:
        return set()
    flagged = c[c["force_change"] | c["bearer_change"] | c["figures_change"]]
    return set(flagged["row"].tolist())


def _peer_segments(cell) -> list[tuple[str, bool]]:
    """The peer's text, marked where it differs from the draft (its insertions); a provision the
    draft does not have is not marked at all (its row says so)."""
    text = _s(cell["text"])
    if cell["relation"] == "added":
        return _segments(text, [False] * len(text))
    m = _mask(cell["ops"] or [], text, "b") if isinstance(cell["ops"], list) else None
    return _segments(text, m if m is not None else [False] * len(text))


def _head(label, heading) -> str:
    label, heading = clean(label), clean(heading)
    return label + (f"【{heading}】" if heading else "")


def _cell_note(cell) -> str:
    rel = _s(cell["relation"])
    score = cell["score"]
    parts = [RELATION_ZH.get(rel, rel) if rel != "added" else "本稿无对应"]
    if isinstance(score, float) and not math.isnan(score):
        parts.append(f"相似度 {score:.0f}")
    return "，".join(parts)


def _grid(cov):
    """(row, kind, force, draft cell, {peer: [cells]}) for every row."""
    kinds = row_kinds(cov)
    force = _force_rows(cov)
    by_row: dict[int, dict[str, list]] = {}
    for cell in cov.cells.to_dict("records"):
        by_row.setdefault(cell["row"], {}).setdefault(cell["peer"], []).append(cell)
    for (_, r), kind in zip(cov.rows.iterrows(), kinds):
        yield r, kind, r["row"] in force, by_row.get(r["row"], {})


# -- HTML ------------------------------------------------------------------------------------
_CSS = table_css("pc-multi") + f"""
.pc-multi .pc-force{{color:#{FORCE_COLOUR};font-size:12px;font-weight:bold}}
.pc-multi .pc-sep{{border-top:1px dashed #bbb;margin:4px 0}}"""


def _html_text(segs) -> str:
    style = f"color:#{INS_COLOUR};background:#e6ffed;text-decoration:underline"
    return "".join(f'<ins style="{style}">{html.escape(t).replace(chr(10), "<br>")}</ins>' if changed
                   else html.escape(t).replace("\n", "<br>") for t, changed in segs)


def _html_peer(cells: list) -> str:
    parts = []
    for cell in cells:
        flag = (f'<div class="pc-force">⚠ {html.escape(clean(cell["changes"]))}</div>'
                if cell["changes"] else "")
        parts.append(f'<div class="pc-lab">{html.escape(_head(cell["label"], cell["heading"]))}</div>'
                     f"{_html_text(_peer_segments(cell))}"
                     f'<div class="pc-meta">{html.escape(_cell_note(cell))}</div>{flag}')
    return '<div class="pc-sep"></div>'.join(parts)


def _html_filters(uid: str, counts: dict[str, int], n_force: int) -> tuple[str, str, str]:
    """Script-free filters: checkboxes placed before the table hide rows with CSS (works in a
    notebook as in a browser); one per row kind, and one showing only legal-force changes."""
    css, boxes, labels = [], [], []
    for kind, n in counts.items():
        box = f"{uid}-k-{kind}"
        css.append(f"#{uid} tr.pc-k-{kind}>td:first-child{{background:#{KIND_COLOUR[kind]}}}")
        css.append(f"#{box}:not(:checked)~table tr.pc-k-{kind}{{display:none}}")
        css.append(f"#{box}:not(:checked)~.pc-filter label[for={box}]{{opacity:.45}}")
        css.append(f"#{box}:checked~.pc-filter label[for={box}]::before{{content:'☑ '}}")
        css.append(f"#{box}:not(:checked)~.pc-filter label[for={box}]::before{{content:'☐ '}}")
        boxes.append(f'<input type="checkbox" class="pc-box" id="{box}" checked>')
        labels.append(f'<label for="{box}" data-kind="{kind}">{ROW_KINDS[kind]} {n}</label>')
    fbox = f"{uid}-force"
    css.append(f"#{fbox}:checked~table tbody tr:not(.pc-f){{display:none}}")
    css.append(f"#{fbox}:checked~.pc-filter label[for={fbox}]::before{{content:'☑ '}}")
    css.append(f"#{fbox}:not(:checked)~.pc-filter label[for={fbox}]::before{{content:'☐ '}}")
    boxes.append(f'<input type="checkbox" class="pc-box pc-force-box" id="{fbox}">')
    labels.append(f'<label for="{fbox}" class="pc-force" data-kind="force">只看{FORCE_LABEL} {n_force}</label>')
    return "\n".join(css), "".join(boxes), "".join(labels)


def multi_html(cov, standalone: bool = False) -> str:
    """The 多地对照表 as an HTML fragment (or a page's body) with its filters."""
    esc = html.escape
    names = cov.peer_names
    draft = clean(_name(cov.reference))
    grid = list(_grid(cov))
    counts = {k: sum(1 for g in grid if g[1] == k) for k in ROW_KINDS}
    counts = {k: n for k, n in counts.items() if n}
    n_force = sum(1 for g in grid if g[2])
    uid = "pcm" + hashlib.sha1(f"{draft}\0{'|'.join(names)}\0{len(grid)}".encode()).hexdigest()[:8]
    css, boxes, labels = _html_filters(uid, counts, n_force)
    body = []
    for r, kind, force, peers in grid:
        draft_cell = (f'<div class="pc-lab">{esc(_head(r["label"], r["heading"]))}</div>'
                      f'{esc(clean(r["text"])).replace(chr(10), "<br>")}' if r["kind"] == "draft"
                      else f'<div class="pc-meta">{ROW_KINDS["peers_only"]}</div>')
        tds = "".join(f"<td>{_html_peer(peers.get(n, []))}</td>" for n in names)
        body.append(f'<tr class="pc-k-{kind}{" pc-f" if force else ""}" data-relation="{kind}" '
                    f'data-force="{int(force)}"><td>{draft_cell}</td>{tds}</tr>')
    h = "h1" if standalone else "h3"
    head = "".join(f"<th>{esc(clean(n))}</th>" for n in names)
    return (f'<div class="pc-multi" id="{uid}"><style>{_CSS}\n{css}</style>'
            f"<{h}>《{esc(draft)}》多地对照表</{h}>"
            f'<p class="pc-meta">本稿 {len(cov.reference.articles)} 条 · 对照 {len(names)} 地：'
            f'{esc("、".join(clean(n) for n in names))} · {len(grid)} 行 · 下划线：与本稿不同的文字 · '
            f"⚠：{FORCE_LABEL}（【效力】应当/可以/不得，【主体】义务主体，【数字】期限、数额）</p>"
            f'{boxes}<div class="pc-filter">筛选：{labels}</div>'
            f"<table><thead><tr><th>{esc(draft)}（本稿）</th>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></div>")


def write_multi_html(cov, path) -> None:
    """One standalone UTF-8 page: inline CSS, no script, no network asset."""
    body = multi_html(cov, standalone=True)
    title = html.escape(f"{clean(_name(cov.reference))} 多地对照表")
    page = ('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{title}</title>\n<style>{font_face(html.unescape(body))}</style>\n</head>\n<body>\n"
            f"{body}\n</body>\n</html>\n")
    Path(path).write_text(page, encoding="utf-8", newline="\n")


def _name(reg) -> str:
    return regulation_name(reg)


# -- Excel -----------------------------------------------------------------------------------
def write_multi_excel(cov, path) -> None:
    """Sheet 多地对照表: 类型 | 效力变化 | the draft | per peer: text (its differences underlined)
    and 说明 (relation, score, legal-force changes); frozen on the draft column and the header,
    a filter on every column, landscape printing."""

    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Alignment, Font, PatternFill

    names = cov.peer_names
    wb = Workbook()
    ws = wb.active
    ws.title = "多地对照表"
    header = ["类型", FORCE_LABEL, f"{clean(_name(cov.reference))}（本稿）"]
    for n in names:
        header += [clean(n), f"{clean(n)} 说明"]
    for col, name in enumerate(header, 1):
        _guard(ws.cell(1, col), name)
        ws.cell(1, col).font = Font(bold=True)
        ws.cell(1, col).fill = PatternFill("solid", fgColor="DDDDDD")
    top = Alignment(wrap_text=True, vertical="top")
    bold, ins = InlineFont(b=True), InlineFont(color=INS_COLOUR, u="single")
    widths = [10, 10, 48] + [40, 18] * len(names)
    for r, (row, kind, force, peers) in enumerate(_grid(cov), 2):
        _guard(ws.cell(r, 1), ROW_KINDS[kind])
        ws.cell(r, 1).fill = PatternFill("solid", fgColor=KIND_COLOUR[kind])
        _guard(ws.cell(r, 2), "是" if force else "")
        if row["kind"] == "draft":
            head = _head(row["label"], row["heading"])
            ws.cell(r, 3).value = CellRichText([TextBlock(bold, head + "\n"), clean(row["text"])])
        for k, n in enumerate(names):
            cells = peers.get(n, [])
            parts: list = []
            for cell in cells:
                if parts:
                    parts.append("\n\n")
                parts.append(TextBlock(bold, _head(cell["label"], cell["heading"]) + "\n"))
                parts += [TextBlock(ins, t) if changed else t for t, changed in _peer_segments(cell)]
            if parts:
                ws.cell(r, 4 + 2 * k).value = CellRichText(parts)
            note = "\n".join(_cell_note(c) + (f"\n{clean(c['changes'])}" if c["changes"] else "") for c in cells)
            _guard(ws.cell(r, 5 + 2 * k), note)
            if any(c["changes"] for c in cells):
                ws.cell(r, 5 + 2 * k).font = Font(color=FORCE_COLOUR)
        for col in range(1, len(header) + 1):
            ws.cell(r, col).alignment = top
        texts = [(clean(row["text"]), 48)] + [("".join(_s(c["text"]) for c in peers.get(n, [])), 40) for n in names]
        ws.row_dimensions[r].height = _row_height(*texts)
    _sheet_layout(ws, widths)
    ws.freeze_panes = "D2"   # the header row and the kind, force and draft columns stay in view
    save_workbook(wb, path, f"{_name(cov.reference)} 多地对照表")


# -- Word ------------------------------------------------------------------------------------
def write_multi_docx(cov, path) -> None:
    """A landscape Word 多地对照表: the draft and one column per peer, the header row repeated on
    every page, differences from the draft underlined, legal-force changes in red."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm, Pt, RGBColor
    from docx.table import _Cell

    names = cov.peer_names
    draft = clean(_name(cov.reference))
    grid = list(_grid(cov))
    counts = "；".join(f"{ROW_KINDS[k]} {sum(1 for g in grid if g[1] == k)}" for k in ROW_KINDS
                      if any(g[1] == k for g in grid))
    doc = landscape_document(f"《{draft}》多地对照表", f"对照：{'、'.join(names)}。{counts}；{FORCE_LABEL} "
                             f"{sum(1 for g in grid if g[2])} 行（红字）。下划线为与本稿不同的文字。")
    table = doc.add_table(rows=1 + len(grid), cols=1 + len(names))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    cells = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]  # linear in rows
    width = Mm(261 / (1 + len(names)))  # the text width of landscape A4 with 18 mm margins
    size = Pt(10.5 if len(names) <= 2 else 9 if len(names) <= 4 else 7.5)
    for r in cells:
        for c in r:
            c.width = width
    for c, text in zip(cells[0], [f"{draft}（本稿）", *names]):
        run = c.paragraphs[0].add_run(clean(text))
        run.bold = True
        _set_fonts(run._r, TITLE_FONT)
        _shade(c, "D9D9D9")
    _repeat_header(table.rows[0])
    red, green = RGBColor.from_string(FORCE_COLOUR), RGBColor.from_string(INS_COLOUR)

    def add(par, text: str, **style):
        for k, line in enumerate(text.split("\n")):
            if k:
                par = par._parent.add_paragraph()
            if line:
                run = par.add_run(line)
                run.font.size = style.get("size", size)
                run.bold = style.get("bold", False)
                if style.get("colour"):
                    run.font.color.rgb = style["colour"]
                if style.get("underline"):
                    run.font.underline = True
        return par

    for row_cells, (row, kind, _force, peers) in zip(cells[1:], grid):
        first = row_cells[0]
        if row["kind"] == "draft":
            add(first.paragraphs[0], _head(row["label"], row["heading"]), bold=True)
            add(first.add_paragraph(), clean(row["text"]))
        else:
            add(first.paragraphs[0], ROW_KINDS["peers_only"], bold=True)
        _shade(first, KIND_COLOUR[kind])
        for c, n in zip(row_cells[1:], names):
            par = c.paragraphs[0]
            for k, cell in enumerate(peers.get(n, [])):
                if k:
                    par = c.add_paragraph()
                add(par, _head(cell["label"], cell["heading"]), bold=True)
                par = c.add_paragraph()
                for text, changed in _peer_segments(cell):
                    par = add(par, text, colour=green if changed else None, underline=changed)
                add(c.add_paragraph(), _cell_note(cell), size=Pt(7.5))
                if cell["changes"]:
                    add(c.add_paragraph(), clean(cell["changes"]), colour=red, bold=True, size=Pt(8))
    save_document(doc, path, f"{draft} 多地对照表")
