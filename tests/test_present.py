"""Presentation of a ClauseDiff (HTML, Excel, Word), safe file names, and CJK plots.

The ClauseDiff is built by hand from two real parsed regulations (湘潭 draft → final) and a frame
that follows the contract of ``ClauseDiff.frame``, with hostile text planted in it."""
from __future__ import annotations

import copy
import difflib
import io
import re
import zipfile
from html.parser import HTMLParser

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

import pingan_corpus as pc
from pingan_corpus.align.pairs import ClauseDiff
from pingan_corpus.present import plots as plots
from pingan_corpus.present import tables as present

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example","点击")'


def _ops(a: str, b: str) -> list[tuple[str, str]]:
    """A character-level diff in the frame's ops format (align.py makes word-level ones)."""
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("equal", "delete", "replace") and i2 > i1:
            out.append(("equal" if tag == "equal" else "delete", a[i1:i2]))
        if tag in ("insert", "replace") and j2 > j1:
            out.append(("insert", b[j1:j2]))
    return out


def _row(a_art, b_art, relation, note, score=np.nan, method="fuzzy", a_text=None, b_text=None):
    a_text = a_text if a_text is not None else (a_art.text if a_art else "")
    b_text = b_text if b_text is not None else (b_art.text if b_art else "")
    return {
        "a_article": a_art.number if a_art else pd.NA, "a_label": a_art.label if a_art else "",
        "a_heading": a_art.heading if a_art else None, "a_text": a_text,
        "b_article": b_art.number if b_art else pd.NA, "b_label": b_art.label if b_art else "",
        "b_heading": b_art.heading if b_art else None, "b_text": b_text,
        "score": score, "relation": relation, "method": method, "moved": False, "note": note,
        "ops": _ops(a_text, b_text),
    }


@pytest.fixture(scope="module")
def cd():
    corpus = pc.load_corpus("data/raw")
    draft = copy.copy(corpus["xiangtan_pingan_draft"])
    final = corpus["xiangtan_pingan_2022"]
    draft.title = FORMULA  # a hostile title reaches the Excel header and the Word title
    da, fa = {a.number: a for a in draft.articles}, {a.number: a for a in final.articles}
    # draft 4 has two paragraphs; pretend the final split them into articles 4 and 5
    p1, p2 = da[4].text.split("\n")
    rows = [
        _row(da[2], fa[2], "identical", "相同", 100.0, "exact"),
        _row(da[1], fa[1], "modified", "修改", 71.0, "fuzzy", b_text=fa[1].text + SCRIPT),
        _row(da[4], fa[4], "split", "拆分为第四条、第五条", 80.0, "split-test", b_text=p1),
        _row(da[4], fa[5], "split", "拆分为第四条、第五条", 78.0, "split-test", b_text=p2 + "新增词语"),
        _row(None, fa[6], "added", "新增", method="+unmatched",
             b_text="有关部门\x0b应当" + fa[6].text),
        _row(da[53], None, "deleted", "删除", method="unmatched"),
    ]
    frame = pd.DataFrame(rows)
    for side in "ab":
        frame[f"{side}_article"] = frame[f"{side}_article"].astype("Int64")
    return ClauseDiff(draft, final, frame)


# -- HTML ------------------------------------------------------------------------------------
def test_html_escapes_text_and_marks_changes(cd):
    out = cd._repr_html_()
    assert "<script>alert" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "<script" not in out  # the filter is CSS-only: no script at all
    assert "湘潭市平安建设条例" in out and "=HYPERLINK(&quot;http://evil.example&quot;" in out
    assert re.search(r'<del class="pc-del" style="color:#CB2431[^"]*line-through">', out)
    assert re.search(r'<ins class="pc-ins" style="color:#22863A[^"]*underline">', out)
    assert '<tr class="pc-r-identical"' in out and out.count('data-relation="split"') == 2
    assert 'type="checkbox"' in out and "\x0b" not in out
    identical = out.split('<tr class="pc-r-identical"')[1].split("</tr>")[0]
    assert "<del" not in identical and "<ins" not in identical


def test_html_paragraph_breaks_and_split_group(cd):
    out = cd._repr_html_()
    split_rows = re.findall(r'<tr class="pc-r-split".*?</tr>', out)
    a_cells = [re.search(r"<td>(.*?)</td>", r).group(1) for r in split_rows]
    # the split article shows the same A text in both rows, with its paragraph break, and
    # nothing is struck out since every word went into one of the two new articles
    assert a_cells[0] == a_cells[1] and "<br>" in a_cells[0] and "<del" not in a_cells[0]
    assert "新增词语</ins>" in split_rows[1]


class _Tree(HTMLParser):
    """Records the parent element of every start tag (void elements are not containers)."""

    VOID = frozenset({"input", "br", "col", "meta", "img", "hr", "link"})

    def __init__(self):
        super().__init__()
        self.stack, self.seen = [], []

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, dict(attrs), id(self.stack[-1]) if self.stack else None))
        if tag not in self.VOID:
            self.stack.append(self.seen[-1])

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1][0] == tag:
            self.stack.pop()


def test_html_filter_is_script_free_and_wired(cd):
    tree = _Tree()
    tree.feed(cd._repr_html_())
    assert not tree.stack  # every element closed
    boxes = [(a, parent) for tag, a, parent in tree.seen if tag == "input"]
    (table_parent,) = [parent for tag, _, parent in tree.seen if tag == "table"]
    relation_boxes = [(a, p) for a, p in boxes if not a["id"].endswith("-force")]
    force_boxes = [(a, p) for a, p in boxes if a["id"].endswith("-force")]
    assert len(relation_boxes) == 5 and all(a["type"] == "checkbox" and "checked" in a for a, _ in relation_boxes)
    # one more, unchecked: show only the rows that change legal force
    assert len(force_boxes) == 1 and "checked" not in force_boxes[0][0]
    # the CSS "#box:not(:checked) ~ table" needs each box to be a sibling of the table
    assert all(parent == table_parent for _, parent in boxes)
    label_for = {a["for"] for tag, a, _ in tree.seen if tag == "label"}
    assert label_for == {a["id"] for a, _ in boxes}
    css = cd._repr_html_().split("<style>")[1].split("</style>")[0]
    for a, _ in relation_boxes:
        rel = a["id"].rsplit("-", 1)[1]
        assert f"#{a['id']}:not(:checked)~table tr.pc-r-{rel}{{display:none}}" in css
    force_id = force_boxes[0][0]["id"]
    assert f"#{force_id}:checked~table tbody tr:not(.pc-f){{display:none}}" in css
    # this frame was built by hand without the legal-force columns: no row is flagged
    assert not [a for tag, a, _ in tree.seen if tag == "tr" and a.get("data-force") == "1"]


def test_write_html_standalone_page(cd, tmp_path):
    path = tmp_path / "diff.html"
    cd.to_html(path)
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert '<meta charset="utf-8">' in page and "<style>" in page
    assert "<script" not in page and "<link" not in page and "src=" not in page
    cd.to_html(tmp_path / "again.html")
    assert (tmp_path / "again.html").read_bytes() == path.read_bytes()


# -- Excel -----------------------------------------------------------------------------------
def _runs(cell):
    from openpyxl.cell.rich_text import CellRichText, TextBlock

    assert isinstance(cell.value, CellRichText), cell.value
    return [(b.text, b.font) if isinstance(b, TextBlock) else (b, None) for b in cell.value]


def _rgb(font):
    return str(font.color.rgb)[-6:].upper() if font is not None and font.color is not None else None


def test_excel_read_back(cd, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "diff.xlsx"
    cd.to_excel(path)
    wb = load_workbook(path, rich_text=True)
    assert wb.sheetnames == ["条文对照表", "summary"]
    ws = wb["条文对照表"]
    assert [c.value for c in ws[1]] == [cd.a_name, "湘潭市平安建设条例", "说明", "relation", "score", "method",
                                        "法律效力变化"]
    assert ws["A1"].data_type == "s" and ws["A1"].quotePrefix  # guarded: text, not a formula
    assert ws["F6"].value == "+unmatched" and ws["F6"].data_type == "s"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:G7"
    assert ws.max_row == 7 and ws["D2"].value == "identical" and ws["E3"].value == 71
    assert ws["A2"].alignment.wrap_text and ws.column_dimensions["A"].width >= 40

    deleted = [t for t, f in _runs(ws["A7"]) if f is not None and f.strike]
    assert deleted and all(_rgb(f) == "CB2431" for t, f in _runs(ws["A7"]) if f is not None and f.strike)
    assert "".join(deleted) == cd.frame.loc[5, "a_text"]
    inserted = [(t, f) for t, f in _runs(ws["B3"]) if f is not None and f.u]
    assert any(SCRIPT in t for t, _ in inserted) and all(_rgb(f) == "22863A" for _, f in inserted)
    label = _runs(ws["B3"])[0]
    assert label[0].startswith("第一条") and label[1].b
    added = "".join(t for t, _ in _runs(ws["B6"]))
    assert "有关部门应当" in added and "\x0b" not in added
    summary = {r[0]: r[2] for r in wb["summary"].iter_rows(values_only=True) if r and len(r) > 2}
    assert summary["split"] == 2 and summary["deleted"] == 1


def test_excel_formula_guard_survives_plain_load(cd, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "diff.xlsx"
    cd.to_excel(path)
    ws = load_workbook(path)["条文对照表"]
    assert ws["A1"].value == cd.a_name and cd.a_name.startswith("=") and ws["A1"].data_type != "f"
    with zipfile.ZipFile(path) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()


# -- Word ------------------------------------------------------------------------------------
def _qn(tag):
    from docx.oxml.ns import qn

    return qn(tag)


def test_docx_read_back(cd, tmp_path):
    import docx
    from docx.enum.section import WD_ORIENT

    path = tmp_path / "diff.docx"
    cd.to_docx(path)
    doc = docx.Document(str(path))
    sec = doc.sections[0]
    assert sec.orientation == WD_ORIENT.LANDSCAPE and sec.page_width > sec.page_height
    assert doc.paragraphs[0].text == f"《{cd.a_name}》与《湘潭市平安建设条例》条文对照表"
    (table,) = doc.tables
    assert len(table.columns) == 3 and len(table.rows) == 7
    assert [c.text for c in table.rows[0].cells] == [cd.a_name, "湘潭市平安建设条例", "说明"]
    assert table.rows[0]._tr.trPr.find(_qn("w:tblHeader")) is not None

    runs = [r for row in table.rows[1:] for c in row.cells for p in c.paragraphs for r in p.runs]
    struck = [r for r in runs if r.font.strike]
    under = [r for r in runs if r.font.underline]
    assert struck and all(str(r.font.color.rgb) == "CB2431" for r in struck)
    assert under and all(str(r.font.color.rgb) == "22863A" for r in under)
    assert any(SCRIPT in r.text for r in under)
    assert "删除" in table.rows[6].cells[2].text and "新增" in table.rows[5].cells[2].text
    assert "\x0b" not in table.rows[5].cells[1].text and "有关部门应当" in table.rows[5].cells[1].text
    # the split article's A cell spans its two rows
    assert table.rows[3].cells[0]._tc is table.rows[4].cells[0]._tc


def test_docx_east_asian_font(cd, tmp_path):
    import docx

    path = tmp_path / "diff.docx"
    cd.to_docx(path)
    doc = docx.Document(str(path))
    rfonts = doc.styles["Normal"].element.rPr.rFonts
    assert rfonts.get(_qn("w:eastAsia")) == "宋体" and rfonts.get(_qn("w:eastAsiaTheme")) is None
    defaults = doc.styles.element.find(_qn("w:docDefaults"))
    assert defaults.find(".//" + _qn("w:rFonts")).get(_qn("w:eastAsia")) == "宋体"
    title_fonts = doc.paragraphs[0].runs[0]._r.rPr.rFonts
    assert title_fonts.get(_qn("w:eastAsia")) == "黑体"
    with zipfile.ZipFile(path) as z:
        table = z.read("word/fontTable.xml").decode()
    assert re.search(r'w:name="宋体"><w:altName w:val="SimSun"/>', table)


@pytest.mark.parametrize("suffix, writer", [("xlsx", "to_excel"), ("docx", "to_docx")])
def test_office_outputs_are_deterministic(cd, tmp_path, suffix, writer):
    one, two = tmp_path / f"one.{suffix}", tmp_path / f"two.{suffix}"
    getattr(cd, writer)(one)
    getattr(cd, writer)(two)
    assert one.read_bytes() == two.read_bytes()
    with zipfile.ZipFile(one) as z:  # fixed stamps, so equality does not hang on the clock
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]+)<", core) == ["2000-01-01T00:00:00Z"] * 2


# -- file names ------------------------------------------------------------------------------
@pytest.mark.parametrize("title, expected", [
    ("湘潭市平安建设条例", "湘潭市平安建设条例"),
    ("《湖北省平安建设条例》: 对照/表?", "《湖北省平安建设条例》_ 对照_表"),
    ("../../etc/passwd", "etc_passwd"),
    ("a\x00b\u202ec\td", "a_b_c_d"),
    ("  .hidden. ", "hidden"),
    ("CON", "_CON"),
    ("nul.txt", "_nul.txt"),
    ("", "untitled"),
    (None, "untitled"),
    ("///", "untitled"),
])
def test_safe_filename(title, expected):
    assert present.safe_filename(title) == expected


def test_safe_filename_length_counts_bytes():
    name = present.safe_filename("平安" * 200)
    assert len(name.encode("utf-8")) <= 150 and set(name) == {"平", "安"}


# -- plots -----------------------------------------------------------------------------------


LABELS = dict(index=["立法目的和依据", "平安建设协调机制", "校园欺凌防治"],
              columns=["湖北省", "鄂尔多斯市", "湘潭市", "呼和浩特市"])


def _render(ax) -> bytes:
    buf = io.BytesIO()
    ax.figure.savefig(buf, format="png", dpi=50)
    return buf.getvalue()


def test_heatmap_renders_chinese_without_missing_glyphs(strict_rc):
    m = pd.DataFrame(np.arange(12.0).reshape(3, 4) * 8, **LABELS)
    ax = plots.heatmap(m, title="相似度（−）")
    assert _render(ax).startswith(b"\x89PNG")
    assert [t.get_text() for t in ax.get_xticklabels()] == LABELS["columns"]
    assert [t.get_text() for t in ax.get_yticklabels()] == LABELS["index"]
    assert ax.get_title() == "相似度（−）" and len(ax.figure.axes) == 2  # + colorbar
    assert [t.get_text() for t in ax.texts][:2] == ["0", "8"]


def test_bundled_font_covers_chinese(strict_rc):
    from matplotlib import font_manager

    matplotlib.rcParams["font.sans-serif"] = ["DejaVu Sans"]  # no system CJK font to fall back on
    family = plots.use_cjk_font(prefer_bundled=True)
    assert family == plots.BUNDLED_FAMILY
    found = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert found == str(plots.BUNDLED_FONT)
    m = pd.DataFrame([[100, np.nan, 30, 5]] * 3, **LABELS)
    ax = plots.coverage_heatmap(m, title="覆盖矩阵：鄂尔多斯、呼和浩特、湘潭、湖北")
    _render(ax)
    assert matplotlib.rcParams["font.sans-serif"][0] == family
    assert not matplotlib.rcParams["axes.unicode_minus"]


def test_coverage_heatmap_draws_missing_grey(strict_rc):
    m = pd.DataFrame([[100, np.nan, 30, 5]] * 3, **LABELS)
    ax = plots.coverage_heatmap(m)
    (im,) = ax.images
    assert np.ma.getmaskarray(im.get_array())[0, 1] and im.norm.vmax == 100
    assert matplotlib.colors.to_hex(im.cmap.get_bad()) == plots.MISSING_COLOUR
    assert len(ax.texts) == 9  # NaN cells carry no number


def test_a_moved_row_says_the_move_once_in_every_format(tmp_path):
    """The 说明 of a moved link comes from alignment (…；条序调整) and every 条文对照表 shows it as is."""
    import docx
    import openpyxl

    corpus = pc.load_corpus("data/raw")
    cd = pc.compare(corpus["xiangtan_pingan_draft"], corpus["xiangtan_pingan_2022"])
    moved = cd.frame[cd.frame["moved"]]
    # the move is said once, after the relation and before any legal-force flag (【主体】…)
    assert len(moved) >= 3 and moved["note"].str.contains(r"^[^；]+；条序调整(?:；【|$)").all()
    cd.to_docx(tmp_path / "t.docx")
    cd.to_excel(tmp_path / "t.xlsx")
    cd.to_html(tmp_path / "t.html")
    texts = {
        "docx": [c.text for t in docx.Document(str(tmp_path / "t.docx")).tables for r in t.rows for c in r.cells],
        "xlsx": [str(c.value) for ws in openpyxl.load_workbook(tmp_path / "t.xlsx") for row in ws.iter_rows()
                 for c in row if c.value is not None],
        "html": [(tmp_path / "t.html").read_text(encoding="utf-8")],
    }
    for fmt, cells in texts.items():
        for note in moved["note"]:
            assert any(note in c for c in cells), (fmt, note)
        assert not any("条序调整（位置移动）" in c or "位置移动" in c for c in cells), fmt
