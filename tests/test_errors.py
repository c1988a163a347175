"""Every way reading can fail: the exception type, and a message naming the file, the problem and the fix."""
from __future__ import annotations

import logging
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest

import pingan_corpus as pc
from pingan_corpus import errors, readers

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
SEED = RAW / "xiangtan_pingan_jianshe_tiaoli_2022.txt"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(200)


def refused(path, *fragments, kind=pc.UnsupportedFormatError):
    with pytest.raises(kind) as info:
        pc.parse_file(path)
    msg = str(info.value)
    assert str(path) in msg, msg
    for f in fragments:
        assert f in msg, msg
    assert isinstance(info.value, pc.PinganError)
    return msg


def test_hierarchy():
    for cls in (pc.ParseError, pc.EncodingError, pc.UnsupportedFormatError, pc.ManifestError,
                errors.MissingFileError, errors.NotAFileError, errors.UnreadableFileError,
                errors.MissingDependencyError):
        assert issubclass(cls, pc.PinganError)
    assert issubclass(pc.EncodingError, pc.ParseError) and issubclass(pc.ParseError, ValueError)
    assert issubclass(errors.MissingFileError, FileNotFoundError)
    assert issubclass(errors.MissingDependencyError, ImportError)


# -- paths ---------------------------------------------------------------------------------------------
def test_missing_file(tmp_path):
    refused(tmp_path / "nope.txt", "no such file", kind=FileNotFoundError)


def test_folder_instead_of_file(tmp_path):
    refused(tmp_path, "is a folder", "load_corpus", kind=IsADirectoryError)


def test_unreadable_file(tmp_path, monkeypatch):
    f = tmp_path / "locked.txt"
    f.write_text("第一条 内容。", encoding="utf-8")

    def deny(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(readers, "open", deny, raising=False)
    refused(f, "cannot be read", "Permission denied", kind=errors.UnreadableFileError)


# -- empty and undecodable text ------------------------------------------------------------------------
def test_empty_file(tmp_path):
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    refused(f, "empty file", kind=pc.ParseError)
    f.write_bytes(b" \n\r\n\t ")
    refused(f, "empty file", kind=pc.ParseError)


def test_only_invisible_characters(tmp_path):
    f = tmp_path / "zw.txt"
    f.write_text("\u200b\ufeff\u200b\n", encoding="utf-8")
    refused(f, "no text left after normalization", kind=pc.ParseError)


def test_no_provision(tmp_path):
    f = tmp_path / "note.txt"
    f.write_text("这是一段普通的说明文字，没有条文。", encoding="utf-8")
    refused(f, "no provision found", "第X条", kind=pc.ParseError)


def test_parse_text_without_provision_and_empty():
    with pytest.raises(pc.ParseError, match="no provision found"):
        pc.parse_text("普通文字。")
    with pytest.raises(pc.ParseError, match="empty text"):
        pc.parse_text("\n \u3000\n")


def test_binary_txt(tmp_path):
    f = tmp_path / "blob.txt"
    f.write_bytes(bytes(range(256)) * 20)
    refused(f, "binary data", "not a text file", kind=pc.EncodingError)


def test_bytes_in_no_supported_encoding(tmp_path):
    f = tmp_path / "junk.txt"
    f.write_bytes(bytes([0x81, 0x30, 0x81, 0x30]) * 100 + b"\xff\xfe\xff" * 300)
    refused(f, "not text in UTF-8, UTF-16, GB18030/GBK or Big5", "re-save it as UTF-8", kind=pc.EncodingError)


def test_bom_that_lies(tmp_path):
    f = tmp_path / "bom.txt"
    f.write_bytes(b"\xef\xbb\xbf" + "第一条".encode("gbk") + b"\xff\xff")
    refused(f, "byte-order mark", "utf-8-sig", kind=pc.EncodingError)


# -- refused formats -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name, fragments", [
    ("draft.doc", ["legacy Word .doc", "save as .docx"]),
    ("draft.wps", ["WPS", "save it as .docx"]),
    ("files.zip", ["archives are not read", "extract it first"]),
    ("files.rar", ["extract it first"]),
    ("files.7z", ["extract it first"]),
    ("scan.png", ["run OCR"]),
    ("scan.jpg", ["run OCR"]),
    ("scan.tiff", ["run OCR"]),
    ("sheet.xlsx", ["spreadsheets are not read"]),
])
def test_refused_by_suffix(tmp_path, name, fragments):
    f = tmp_path / name
    f.write_bytes(b"whatever")
    refused(f, *fragments)


@pytest.mark.parametrize("content, fragments", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), ["named .txt", "legacy Office", "save as .docx"]),
    (PNG, ["named .txt", "PNG image", "run OCR"]),
    (b"\xff\xd8\xff\xe0" + bytes(100), ["JPEG image", "run OCR"]),
    (b"Rar!\x1a\x07\x00" + bytes(100), ["RAR archive", "extract it first"]),
    (b"7z\xbc\xaf\x27\x1c" + bytes(100), ["7z archive", "extract it first"]),
    (b"\x1f\x8b\x08" + bytes(100), ["gzip archive", "extract it first"]),
    (b"{\\rtf1\\ansi x}", ["RTF", "save it as .docx"]),
])
def test_txt_that_is_really_something_else(tmp_path, content, fragments):
    f = tmp_path / "regulation.txt"
    f.write_bytes(content)
    refused(f, *fragments)


def test_txt_that_is_really_a_zip_archive(tmp_path):
    f = tmp_path / "regulation.txt"
    with zipfile.ZipFile(f, "w") as z:
        z.writestr("a.txt", "第一条 内容。")
    refused(f, "ZIP archive", "extract it first")


def test_txt_that_is_really_a_spreadsheet(tmp_path):
    f = tmp_path / "regulation.txt"
    with zipfile.ZipFile(f, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    refused(f, "Excel .xlsx workbook", "copy the regulation into a .docx or .txt")


def test_unknown_binary_format(tmp_path):
    f = tmp_path / "data.bin"
    f.write_bytes(b"\x01\x02\x00\x03" * 300)
    refused(f, "unknown binary format", ".bin", "save the regulation as .txt")


def test_unknown_suffix_of_text_is_read_with_a_warning(tmp_path):
    f = tmp_path / "regulation.law"
    f.write_bytes(SEED.read_bytes())
    regs = pc.parse_file(f)
    assert len(regs[0].articles) == 50
    assert any(w.code == "format" and "unknown suffix '.law'" in w for w in regs[0].warnings)


def test_docx_that_is_not_a_docx(tmp_path):
    f = tmp_path / "draft.docx"
    f.write_text("第一条 其实是文本。", encoding="utf-8")
    refused(f, "named .docx but is not a Word .docx document", "damaged or mislabelled")
    f.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    refused(f, "named .docx", "legacy Office", "save as .docx")


def test_truncated_docx(tmp_path):
    docx = pytest.importorskip("docx")
    good = tmp_path / "good.docx"
    d = docx.Document()
    d.add_paragraph("第一条 内容。")
    d.save(str(good))
    bad = tmp_path / "bad.docx"
    bad.write_bytes(good.read_bytes()[:300])
    refused(bad, "damaged Word .docx document", "truncated or corrupt")


def test_docx_zip_without_document(tmp_path):
    f = tmp_path / "odd.docx"
    with zipfile.ZipFile(f, "w") as z:
        z.writestr("readme.txt", "x")
    refused(f, "named .docx", "ZIP archive")


def test_pdf_that_is_not_a_pdf(tmp_path):
    f = tmp_path / "law.pdf"
    f.write_text("第一条 这不是 PDF。", encoding="utf-8")
    refused(f, "named .pdf but is not a PDF", "damaged or mislabelled")


def test_damaged_pdf(tmp_path):
    pytest.importorskip("pypdf")
    f = tmp_path / "law.pdf"
    f.write_bytes(b"%PDF-1.7\n" + b"garbage " * 50)
    refused(f, "PDF")


def _shapes_only_pdf(path: Path, pages: int = 3) -> None:
    """What a scanner makes: pages with pictures and no text."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), invariant=1)
    for _ in range(pages):
        for k in range(30):
            c.rect(50 + k * 5, 50 + k * 20, 400, 10, fill=1)
        c.showPage()
    c.save()


def test_scanned_pdf_without_text_layer(tmp_path):
    pytest.importorskip("reportlab")
    pytest.importorskip("pypdf")
    f = tmp_path / "scan.pdf"
    _shapes_only_pdf(f)
    refused(f, "no text layer", "scanned", "run OCR first")


def test_password_protected_pdf(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("reportlab")
    plain = tmp_path / "plain.pdf"
    _shapes_only_pdf(plain, 1)
    w = pypdf.PdfWriter(clone_from=str(plain))
    w.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    f = tmp_path / "locked.pdf"
    with open(f, "wb") as out:
        w.write(out)
    refused(f, "password-protected", "remove the password")


def test_html_without_text(tmp_path):
    f = tmp_path / "empty.html"
    f.write_text("<html><head><title>第一条</title><script>var a='第二条';</script></head><body><nav>首页</nav></body></html>",
                 encoding="utf-8")
    refused(f, "the html file holds no text", kind=pc.ParseError)


# -- missing optional dependencies ---------------------------------------------------------------------
def test_missing_python_docx(tmp_path, monkeypatch):
    docx = pytest.importorskip("docx")
    f = tmp_path / "a.docx"
    d = docx.Document()
    d.add_paragraph("第一条 内容。")
    d.save(str(f))
    monkeypatch.setitem(sys.modules, "docx", None)  # import docx → ImportError
    refused(f, "needs python-docx", "pip install python-docx", kind=errors.MissingDependencyError)


def test_missing_pypdf(tmp_path, monkeypatch):
    f = tmp_path / "a.pdf"
    f.write_bytes(b"%PDF-1.4\n%%EOF\n")
    monkeypatch.setitem(sys.modules, "pypdf", None)
    refused(f, "needs pypdf", 'pip install "pingan_corpus[pdf]"', kind=ImportError)


# -- warnings: recorded and logged, never printed ------------------------------------------------------
def test_warnings_are_recorded_and_logged_not_printed(tmp_path, caplog, capsys):
    f = tmp_path / "gap.law"
    f.write_text("某市条例\n第一条 为了规范管理，制定本条例。\n第三条 本条例自公布之日起施行。\n", encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="pingan_corpus"), warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing goes through warnings.warn either
        reg = pc.parse_file(f)[0]
    codes = {w.code for w in reg.warnings}
    assert {"numbering_gap", "format"} <= codes
    logged = caplog.text
    assert "第三条 follows 第一条: 第二条 missing" in logged and "unknown suffix" in logged
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


def test_cli_prints_one_line_and_fails(tmp_path):
    f = tmp_path / "draft.doc"
    f.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    r = subprocess.run([sys.executable, "-m", "pingan_corpus", "parse", str(f)], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 1
    assert r.stderr.strip().count("\n") == 0
    assert "draft.doc" in r.stderr and "save as .docx" in r.stderr


# -- the manifest of a corpus folder -------------------------------------------------------------------
@pytest.mark.parametrize("manifest, fragment", [
    ("name,position\nx.txt,1\n", "missing column(s) file"),  # position is optional (default 1), file is not
    ("file,position\nx.txt,first\n", "'position' 'first' is not a document number"),
    ("file,position,adopted\nx.txt,1,2024/01/01\n", "is not an ISO date"),
    ("file,position,level\nx.txt,1,state\n", "is not one of province"),  # county is a level (PRODUCT.md)
])
def test_manifest_errors(tmp_path, manifest, fragment):
    (tmp_path / "x.txt").write_text("某市条例\n第一条 为了规范管理，制定本条例。\n第二条 本条例自公布之日起施行。\n",
                                    encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(manifest, encoding="utf-8")
    with pytest.raises(pc.ManifestError) as info:
        pc.load_corpus(tmp_path)
    assert "manifest.csv" in str(info.value) and fragment in str(info.value)


def test_load_corpus_of_a_missing_folder(tmp_path):
    with pytest.raises(pc.PinganError, match="not a folder of regulations"):
        pc.load_corpus(tmp_path / "nowhere")


# -- one error family: what a user can get wrong raises a PinganError with one line -------------------
def test_every_error_of_the_public_api_is_a_pingan_error(tmp_path):
    reg = pc.parse_text("某市条例\n第一条 为了规范工作，制定本条例。\n第二条 本条例自公布之日起施行。")
    corpus = pc.Corpus([reg])
    cases = {
        "a string for regulations": lambda: pc.extract_duties("第一条 公安机关应当…"),
        "a number for regulations": lambda: pc.mandates(42, "校园欺凌"),
        "a list of strings": lambda: pc.compare_many(["a", "b"]),
        "an unknown reference": lambda: pc.compare_many([reg, reg], reference="no_such_doc"),
        "an unknown doc_id": lambda: corpus["no_such_doc"],
        "an unknown article": lambda: reg.article(99),
        "an unknown engine": lambda: corpus.align_all(engine="spark"),
        "a folder that is not a saved corpus": lambda: pc.Corpus.load(tmp_path),
        "broken JSON": lambda: pc.Regulation.from_json("{"),
        "JSON of something else": lambda: pc.Regulation.from_json('{"schema": "other/1"}'),
        "a damaged regulation JSON": lambda: pc.Regulation.from_json('{"schema": "pingan_corpus.regulation/1"}'),
        "a check of a number": lambda: pc.check(3.5),
    }
    for what, call in cases.items():
        with pytest.raises(pc.PinganError) as info:
            call()
        message = str(info.value)
        assert message and "\n" not in message, (what, message)
