"""Hostile and careless files: every reader refuses them quickly with a one-line PinganError, or
reads them as what they are; never a hang, a MemoryError, a bare ValueError or quadratic time.

Timing bounds are generous (a loaded CI machine); the measured figures quoted beside them are those
of benchmarks/bench_hostile_readers.py, which also prints each case's peak memory and a naive
baseline (zipfile inflating the part, the standard html.parser) in the same run.
"""
from __future__ import annotations

import io
import os
import threading
import time
import zipfile
from pathlib import Path

import pytest

import pingan_corpus as pc
from pingan_corpus import errors, readers
from pingan_corpus.readers import base, detect

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PARA = "<w:p><w:r><w:t>第一条　为了规范平安建设工作，根据有关法律、行政法规，结合本市实际，制定本条例。</w:t></w:r></w:p>"
NUMBERED = ('<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr>'
            '<w:r><w:t>{text}</w:t></w:r></w:p>')


def one_line_error(kind, call, *fragments):
    """Run ``call``; it must raise ``kind`` (a PinganError) with a one-line message holding ``fragments``."""
    with pytest.raises(kind) as info:
        call()
    msg = str(info.value)
    assert isinstance(info.value, pc.PinganError)
    assert "\n" not in msg, msg
    for f in fragments:
        assert f in msg, msg
    return msg


# -- building .docx files: a real python-docx package with the body (and numbering) we choose -------------
def _template() -> dict[str, bytes]:
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    with zipfile.ZipFile(buf) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def write_docx(path: Path, chunks, numbering: str | None = None, *, compression: int = zipfile.ZIP_DEFLATED,
               level: int | None = None) -> Path:
    """A .docx whose word/document.xml is the concatenation of ``chunks`` (bytes), streamed to the zip."""
    parts = _template()
    if numbering is not None:
        parts["word/numbering.xml"] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                       f'<w:numbering xmlns:w="{W}">{numbering}</w:numbering>').encode()
    with zipfile.ZipFile(path, "w", compression, compresslevel=level) as z:
        for name, data in parts.items():
            if name != "word/document.xml":
                z.writestr(name, data)
        with z.open("word/document.xml", "w") as w:
            w.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W}"><w:body>'
                    .encode())
            for chunk in chunks:
                w.write(chunk)
            w.write(b"</w:body></w:document>")
    return path


def bomb(path: Path, inflated: int, level: int | None = 1) -> Path:
    """document.xml of ``inflated`` bytes of one paragraph repeated (deflate squeezes it ~200-1000 times)."""
    block = PARA.encode() * 20_000
    return write_docx(path, (block for _ in range(inflated // len(block))), level=level)


def understate(data: bytes, name: str, declared: int) -> bytes:
    """``data`` (a ZIP) with the central directory record of ``name`` declaring ``declared`` bytes inflated."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at >= 0:  # a central directory record: uncompressed size at 24, name length at 28, name at 46
        n = int.from_bytes(out[at + 28:at + 30], "little")
        if out[at + 46:at + 46 + n] == name.encode():
            out[at + 24:at + 28] = declared.to_bytes(4, "little")
            return bytes(out)
        at = out.find(b"PK\x01\x02", at + 4)
    raise KeyError(name)


def numbering_xml(start: str = "1", fmt: str = "decimal", ilvl: str = "0", num: str = "1", override: str = "") -> str:
    return (f'<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/>'
            f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="第%1条"/><w:suff w:val="space"/></w:lvl></w:abstractNum>'
            f'<w:num w:numId="{num}"><w:abstractNumId w:val="0"/>{override}</w:num>')


# -- 1. .docx: bounded inflation ---------------------------------------------------------------------------
def test_docx_inflating_to_1_gib_is_refused_in_under_2_seconds(tmp_path):
    f = bomb(tmp_path / "bomb.docx", 1 << 30)
    assert f.stat().st_size < 8_000_000  # a few MB on disk
    inflated = zipfile.ZipFile(f).getinfo("word/document.xml").file_size
    assert inflated > 1000 << 20
    t = time.perf_counter()
    msg = one_line_error(pc.UnsupportedFormatError, lambda: pc.parse_file(f), str(f), "word/document.xml",
                         f"declares {inflated / 2**20:,.0f} MB inflated", "save it again as .docx")
    # < 2 s; measured 0.07 s (the central directory is read, nothing inflated); before: 14-30 s, 5.3 GB, then an
    # XMLSyntaxError (lxml out of memory under the benchmark's 6 GB cap)
    assert time.perf_counter() - t < 2.0, msg


def test_docx_part_with_a_bomb_ratio_is_refused(tmp_path):
    f = bomb(tmp_path / "ratio.docx", 100 << 20, level=9)  # under the size limit, but ~700 times smaller on disk
    assert zipfile.ZipFile(f).getinfo("word/document.xml").file_size <= base.MAX_PART_BYTES
    one_line_error(pc.UnsupportedFormatError, lambda: readers.read_file(f), "inflates", "times", "ratio 100")


def test_docx_whose_parts_together_inflate_too_much_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(base, "MAX_ARCHIVE_BYTES", 1 << 20)
    f = write_docx(tmp_path / "many.docx", [PARA.encode() * 5000])  # 0.6 MB of XML, beside the template's parts
    one_line_error(pc.UnsupportedFormatError, lambda: readers.read_file(f), "its parts", "declare more than 1 MB")


def test_docx_understating_its_part_size_is_refused_as_damaged(tmp_path):
    """Declared sizes are not trusted: a part that says 1 KB but inflates to 64 MB is found out."""
    f = bomb(tmp_path / "liar.docx", 64 << 20)
    f.write_bytes(understate(f.read_bytes(), "word/document.xml", 1024))
    t = time.perf_counter()
    one_line_error(pc.UnsupportedFormatError, lambda: readers.read_file(f), str(f), "damaged", "word/document.xml")
    assert time.perf_counter() - t < 2.0  # measured 0.06 s: zipfile stops at the declared size, the CRC fails


def test_parts_are_read_through_a_bounded_stream(tmp_path):
    """Whatever a part declares, reading it stops one chunk past the limit."""
    f = bomb(tmp_path / "big.docx", 32 << 20)
    with zipfile.ZipFile(f) as z:
        info = z.getinfo("word/document.xml")
        msg = one_line_error(pc.UnsupportedFormatError,
                             lambda: base.read_part(z, info, f, limit=1 << 20), "inflates past 1 MB")
        data, size = base.read_part(z, z.getinfo("[Content_Types].xml"), f, limit=1 << 20)
    assert size == len(data) > 0 and data.startswith(b"<?xml"), msg


def test_docx_part_compressed_with_bzip2_is_refused(tmp_path):
    """zipfile inflates bzip2/LZMA parts without bounding each step; OPC allows only stored and deflated."""
    f = write_docx(tmp_path / "bz.docx", [PARA.encode()], compression=zipfile.ZIP_BZIP2)
    one_line_error(pc.UnsupportedFormatError, lambda: readers.read_file(f), "method 12", "only stored or deflated")


def test_zip_with_too_many_entries_is_refused(tmp_path):
    f = tmp_path / "crowd.docx"
    with zipfile.ZipFile(f, "w") as z:
        for name, data in _template().items():
            z.writestr(name, data)
        for i in range(base.MAX_ZIP_ENTRIES):
            z.writestr(f"extra/item{i}.xml", b"")
    one_line_error(pc.UnsupportedFormatError, lambda: readers.read_file(f), "entries", "more than 10,000")


def test_zip64_table_of_contents_is_measured_before_zipfile_reads_it(tmp_path, monkeypatch):
    """70,000 entries need ZIP64 records: their central directory size is read from those."""
    f = tmp_path / "crowd.docx"
    with zipfile.ZipFile(f, "w") as z:
        for i in range(70_000):
            z.writestr(str(i), b"")
    monkeypatch.setattr(base, "MAX_ZIP_ENTRIES", 1000)  # the table (3.6 MB) is then over 1000 × 1 KiB
    with open(f, "rb") as fh:
        one_line_error(pc.UnsupportedFormatError, lambda: base.open_zip(fh, f), "table of contents is 3 MB")


def test_realistic_large_docx_still_reads(tmp_path):
    """A 3 MB compilation of regulations (as Word writes runs: font, size, indent) reads whole."""
    from xml.sax.saxutils import escape

    lines = [ln.strip() for p in sorted(RAW.glob("*.txt")) for ln in p.read_text("utf-8").splitlines() if ln.strip()]
    assert lines, f"no seed regulations in {RAW}"
    para = ('<w:p><w:pPr><w:ind w:firstLine="640"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii="仿宋_GB2312" '
            'w:eastAsia="仿宋_GB2312"/><w:sz w:val="32"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r></w:p>')
    body = "".join(para.format(escape(ln)) for ln in lines).encode()
    copies = 20_000_000 // len(body) + 1  # ~20 MB of XML, ~3 MB on disk
    f = write_docx(tmp_path / "compilation.docx", [body] * copies)
    assert 2_000_000 < f.stat().st_size < 5_000_000
    t = time.perf_counter()
    r = readers.read_file(f)
    assert time.perf_counter() - t < 30  # measured 2.4 s (python-docx's own Document() alone: 0.6 s)
    assert r.format == "docx" and r.text.count("\n") + 1 == copies * len(lines)
    assert r.text.startswith(lines[0]) and r.text.endswith(lines[-1])


def test_zip_sniffing_reads_at_most_a_little_of_mimetype(tmp_path):
    f = tmp_path / "a.odt"
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", b"application/vnd.oasis.opendocument.text" + b" " * (32 << 20))
        z.writestr("content.xml", "<office:document-content/>")
    t = time.perf_counter()
    assert readers.zip_kind(f) == "odt"
    assert time.perf_counter() - t < 1.0  # 100 bytes inflated, not 32 MB


# -- 2. Word numbering ------------------------------------------------------------------------------------
def test_roman_numbering_from_a_billion_is_fast(tmp_path):
    paras = [NUMBERED.format(ilvl=0, num=1, text="为了规范管理，制定本条例。").encode()] * 200
    f = write_docx(tmp_path / "roman.docx", paras, numbering_xml("1000000000", "upperRoman"))
    t = time.perf_counter()
    text = readers.read_file(f).text
    assert time.perf_counter() - t < 2.0  # measured 0.07 s for 200 paragraphs; before: 24 s a paragraph
    lines = text.splitlines()
    assert lines[0] == "第1000000000条 为了规范管理，制定本条例。" and lines[-1].startswith("第1000000199条 ")


@pytest.mark.parametrize("n, fmt, out", [
    (3999, "upperRoman", "MMMCMXCIX"), (4000, "upperRoman", "4000"), (10**9, "lowerRoman", "1000000000"),
    (0, "upperRoman", "0"), (27, "upperLetter", "AA"), (3999, "lowerLetter", "u" * 154),
    (4000, "upperLetter", "4000"), (-5, "chineseCounting", "-5"), (-15, "chineseLegalSimplified", "-15"),
    (-3, "ideographDigital", "-3"), (-1, "bullet", ""), (12, "chineseLegalSimplified", "壹贰"),
])
def test_word_number_formats_at_their_bounds(n, fmt, out):
    assert readers.format_number(n, fmt) == out


def test_format_number_is_linear_in_its_output():
    t = time.perf_counter()
    for n in range(1, 4000):
        readers.format_number(n, "upperRoman")
    for n in (10**9, 2**31 - 1, 10**18):
        for fmt in ("upperRoman", "lowerLetter", "chineseCounting", "chineseLegalSimplified", "decimalFullWidth"):
            assert len(readers.format_number(n, fmt)) <= 20
    assert time.perf_counter() - t < 1.0  # measured 0.01 s


@pytest.mark.parametrize("numbering, paragraph, shown, label", [
    (numbering_xml(start="abc"), {}, "w:start='abc'", "第1条"),
    (numbering_xml(start="1" * 5000), {}, "w:start='11111111111111111111'", "第1条"),  # past int()'s digit limit
    (numbering_xml(start="²"), {}, "w:start='²'", "第1条"),  # a digit to str.isdigit, not to int()
    (numbering_xml(ilvl="x"), {}, "w:ilvl='x'", "第1条"),
    (numbering_xml(), {"ilvl": "x"}, "w:ilvl='x'", "第1条"),
    (numbering_xml(), {"ilvl": "99"}, "w:ilvl='99'", "第1条"),  # Word has levels 0-8
    (numbering_xml(num="1.5"), {"num": "1.5"}, "w:numId='1.5' ×2", ""),
    (numbering_xml(override='<w:lvlOverride w:ilvl="0"><w:startOverride w:val="abc"/></w:lvlOverride>'), {},
     "w:startOverride='abc'", "第1条"),
    (numbering_xml(override='<w:lvlOverride w:ilvl="y"><w:startOverride w:val="3"/></w:lvlOverride>'), {},
     "w:ilvl='y'", "第3条"),
])
def test_malformed_numbering_values_are_absent_with_a_warning(tmp_path, numbering, paragraph, shown, label):
    fields = {"ilvl": "0", "num": "1", "text": "为了规范管理，制定本条例。", **paragraph}
    f = write_docx(tmp_path / "odd.docx", [NUMBERED.format(**fields).encode()], numbering)
    r = readers.read_file(f)
    assert r.text == (label + " " if label else "") + "为了规范管理，制定本条例。"
    assert any("treated as absent" in w and shown in w for w in r.warnings), r.warnings


def test_negative_list_start_reads(tmp_path):
    f = write_docx(tmp_path / "neg.docx", [NUMBERED.format(ilvl=0, num=1, text="内容。").encode()],
                   numbering_xml(start="-5", fmt="chineseCounting"))
    assert readers.read_file(f).text == "第-5条 内容。"


# -- 3. HTML: linear in stray and unclosed tags --------------------------------------------------------------
def test_stray_closing_tags_under_a_deep_stack_are_linear():
    page = ("<!DOCTYPE html><html><body>" + "<div>" * 20_000 + "<p>第一条　为了规范管理，制定本条例。"
            + "</span>" * 50_000 + "</body></html>")  # 520 KB
    t = time.perf_counter()
    text, _notes = readers.html_to_text(page)
    assert time.perf_counter() - t < 10  # measured 0.6 s (html.parser alone: 0.2 s); before: 84 s
    assert text == "第一条　为了规范管理，制定本条例。"


def test_government_page_with_unclosed_p_and_stray_font_is_linear():
    paras = [f'<p><font face="仿宋_GB2312">第{n}条　本条例自公布之日起施行。</font></font></span></b>'
             for n in range(1, 9501)]  # <p> never closed; three end tags that close nothing in each
    page = "<!DOCTYPE html><html><body><div class='content'>" + "\n".join(paras) + "</div></body></html>"  # 1 MB
    t = time.perf_counter()
    text, _notes = readers.html_to_text(page)
    assert time.perf_counter() - t < 3  # measured 0.47 s; before: 6.9 s (0.56 s at 220 KB: quadratic)
    lines = text.splitlines()
    assert len(lines) == 9500 and lines[-1] == "第9500条　本条例自公布之日起施行。"


def test_matching_end_tags_still_close_what_they_did():
    page = "<div><p>甲<b>乙</font>丙</p>丁<ul><li>戊<li>己</ul></div><pre>a  b\nc</pre>庚"
    assert readers.html_to_text(page)[0] == "甲乙丙\n丁\n戊\n己\na  b\nc\n庚"


# -- 4. HTML charset: only text encodings -------------------------------------------------------------------
@pytest.mark.parametrize("charset", ["rot13", "base64", "undefined", "uu", "hex", "zip", "bz2", "quopri",
                                     "unicode_escape", "punycode", "utf-7", "utf-16", "unicode", "x-nonsense"])
def test_html_declaring_a_charset_that_is_no_text_encoding(tmp_path, charset):
    f = tmp_path / "page.html"
    f.write_bytes(f'<html><head><meta charset="{charset}"></head><body><p>第一条　为了规范管理，制定本条例。</p>'
                  f'<p>第二条　本条例自公布之日起施行。</p></body></html>'.encode("gb18030"))
    r = readers.read_file(f)
    assert r.text == "第一条　为了规范管理，制定本条例。\n第二条　本条例自公布之日起施行。"
    assert r.encoding == "gb18030"
    assert len(r.warnings) == 1 and charset in r.warnings[0] and "encoding detected instead" in r.warnings[0]


# -- 5. special files: refused before they are opened; and a bound on what is read ---------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "law.txt"
    os.mkfifo(fifo)
    outcome: list = []

    def read():
        try:
            readers.read_file(fifo)
        except BaseException as e:  # the outcome is what the test checks
            outcome.append(e)

    th = threading.Thread(target=read, daemon=True)
    th.start()
    th.join(timeout=10)
    if th.is_alive():  # a regression: release the blocked open() by opening the writing end, then fail
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("read_file blocked on a FIFO")
    assert len(outcome) == 1 and isinstance(outcome[0], errors.UnreadableFileError), outcome
    assert str(fifo) in str(outcome[0]) and "FIFO" in str(outcome[0]) and "\n" not in str(outcome[0])


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_dev_zero_is_refused_at_once():
    t = time.perf_counter()
    one_line_error(errors.UnreadableFileError, lambda: pc.parse_file("/dev/zero"), "/dev/zero", "character device",
                   "not a regular file")
    one_line_error(errors.UnreadableFileError, lambda: readers.read_html("/dev/zero"), "character device")
    one_line_error(errors.UnreadableFileError, lambda: readers.read_docx("/dev/zero"), "character device")
    assert time.perf_counter() - t < 1.0  # measured < 1 ms; before: read until MemoryError (4.8 GB)


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    f = tmp_path / "huge.txt"
    with open(f, "wb") as fh:  # sparse: no disk used
        fh.truncate(base.MAX_FILE_BYTES + 1)
    one_line_error(pc.UnsupportedFormatError, lambda: pc.parse_file(f), str(f), "larger than the 512 MB", "split it")


@pytest.mark.skipif(not Path("/proc/self/maps").is_file(), reason="needs Linux /proc")
def test_read_is_bounded_whatever_the_size_on_disk(monkeypatch):
    """/proc files say they hold 0 bytes: the bound is on what is read, not on what stat says."""
    assert os.stat("/proc/self/maps").st_size == 0
    monkeypatch.setattr(base, "MAX_FILE_BYTES", 100)
    one_line_error(pc.UnsupportedFormatError, lambda: base.read_bytes(Path("/proc/self/maps")), "larger than the 0 MB")


# -- 6. careless files --------------------------------------------------------------------------------------
LAW = "某市平安建设条例\n第一条　为了规范管理，制定本条例。\n第二条　本条例自公布之日起施行。\n"


@pytest.mark.parametrize("text", [
    "某市平安建设条例\n附件格式为%PDF-1.4，请用阅读器打开。\n" + LAW,
    "某市平安建设条例\n备注：\n%PDF-1.7\n" + LAW,
    "注：本文件另有%PDF-1.4版本\n" + LAW,
])
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_text_mentioning_pdf_header_is_text(tmp_path, text, encoding):
    f = tmp_path / "law.txt"
    f.write_bytes(text.encode(encoding))
    r = readers.read_file(f)
    assert r.format == "txt" and r.text == text
    assert len(pc.parse_file(f)[0].articles) == 2


def test_mixed_encoding_text_mentioning_pdf_is_not_called_a_pdf(tmp_path):
    f = tmp_path / "law.txt"
    f.write_bytes("某市条例\n".encode() + "备注".encode("gbk") + "\n%PDF-1.4 附件\n".encode() + LAW.encode())
    msg = one_line_error(pc.PinganError, lambda: readers.read_file(f), str(f))
    assert "PDF" not in msg


@pytest.mark.parametrize("head, is_pdf", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", True),
    (b"\xef\xbb\xbf\r\n  %PDF-1.4\n", True),  # a BOM and blank lines before the header
    (b"\x00" * 128 + b"%PDF-1.3\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>", True),  # a MacBinary header
    (b"\x1b%-12345X@PJL JOB\r\n@PJL ENTER LANGUAGE=PDF\r\n%PDF-1.4\n1 0 obj", True),  # a printer job
    (b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.5\n4 0 obj", True),  # saved HTTP headers
    (b"Note:\n%PDF-1.4\n" + "第一条 内容。".encode(), False),  # ASCII before, but text after it
    ("第一条\n%PDF-1.4\n1 0 obj".encode(), False),  # Chinese before it
    (b"x" * 1100 + b"%PDF-1.4\n1 0 obj", False),  # past the first 1024 bytes
])
def test_sniffing_pdf_headers(head, is_pdf):
    assert (detect.sniff(head) == "pdf") is is_pdf


@pytest.mark.parametrize("text", [
    "<!DOCTYPE html>\n" + LAW + "</html>\n",
    "<!DOCTYPE html>\n" + LAW.replace("规范管理", "<font color=red>规范</font>管理"),
    "<!DOCTYPE html>\n<html>\n<body>\n" + LAW + "</body>\n</html>\n",
])
def test_text_with_a_doctype_but_no_block_elements_keeps_its_lines(tmp_path, text):
    f = tmp_path / "law.txt"
    f.write_text(text, encoding="utf-8")
    r = readers.read_file(f)
    assert r.text.splitlines()[-3:] == LAW.splitlines()
    reg = pc.parse_file(f)[0]
    assert [a.number for a in reg.articles] == [1, 2]


def test_page_with_block_elements_still_joins_source_lines():
    page = "<!DOCTYPE html><html><body><p>第一条　为了规范\n管理，制定本条例。</p><p>第二条　施行。</p></body></html>"
    assert readers.html_to_text(page)[0] == "第一条　为了规范 管理，制定本条例。\n第二条　施行。"
