"""Which reader fits a file: first its bytes (PDF, ZIP/Word, images, archives), then its text
(an HTML page, Markdown, or plain text) — never its name alone."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..errors import PinganError, UnsupportedFormatError
from . import patterns as rx
from .base import ZIP_ERRORS, ZIP_METHODS, open_regular, open_zip
from .markdown import markdown_signals

TEXT_FORMATS = {".txt": "txt", ".text": "txt", "": "txt", ".md": "md", ".markdown": "md"}
FORMATS = {**TEXT_FORMATS, ".docx": "docx", ".html": "html", ".htm": "html", ".xhtml": "html", ".pdf": "pdf"}
READABLE_SUFFIXES = frozenset(FORMATS)
FORMAT_NAMES = {"txt": "plain text", "md": "Markdown", "html": "HTML", "docx": "Word .docx", "pdf": "PDF"}

_OCR = "images hold no text: run OCR on it first and parse the resulting text"
_ARCHIVE = "archives are not read: extract it first and parse the files inside"
REFUSED_SUFFIX = {
    ".doc": "legacy Word .doc format is not supported: open it in Word or WPS and save as .docx (or .txt)",
    ".wps": "WPS .wps format is not supported: save it as .docx (or .txt)",
    ".rtf": "RTF is not supported: save it as .docx (or .txt)",
    ".odt": "OpenDocument .odt is not supported: save it as .docx (or .txt)",
    ".xls": "spreadsheets are not read: copy the regulation into a .docx or .txt file",
    ".xlsx": "spreadsheets are not read: copy the regulation into a .docx or .txt file",
    ".ppt": "presentations are not read: copy the regulation into a .docx or .txt file",
    ".pptx": "presentations are not read: copy the regulation into a .docx or .txt file",
    **dict.fromkeys((".zip", ".rar", ".7z", ".gz", ".tgz", ".bz2", ".xz", ".tar"), _ARCHIVE),
    **dict.fromkeys((".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".bmp", ".webp", ".heic"), _OCR),
}
KIND_NAMES = {"pdf": "a PDF", "zip": "a ZIP archive", "ole": "a legacy Office (.doc/.xls) file", "rar": "a RAR archive",
              "7z": "a 7z archive", "gzip": "a gzip archive", "bzip2": "a bzip2 archive", "xz": "an xz archive",
              "png": "a PNG image", "jpeg": "a JPEG image", "gif": "a GIF image", "tiff": "a TIFF image",
              "webp": "a WebP image", "rtf": "an RTF document", "docx": "a Word .docx document",
              "xlsx": "an Excel .xlsx workbook", "pptx": "a PowerPoint .pptx file", "odt": "an OpenDocument file",
              "html": "an HTML page"}
_MAGIC = ((b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"), (b"Rar!\x1a\x07", "rar"), (b"7z\xbc\xaf\x27\x1c", "7z"),
          (b"\x1f\x8b", "gzip"), (b"\xfd7zXZ\x00", "xz"), (b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"),
          (b"GIF87a", "gif"), (b"GIF89a", "gif"), (b"II*\x00", "tiff"), (b"MM\x00*", "tiff"), (b"{\\rtf", "rtf"))


def sniff(head: bytes) -> str | None:
    """The format the first bytes of a file announce, or None for (probably) text."""
    if _pdf(head):
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    for sig, name in _MAGIC:
        if head.startswith(sig):
            return name
    if head.startswith(b"BZh") and head[3:4].isdigit() and head[4:10] == b"1AY&SY":
        return "bzip2"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if rx.HTML_SNIFF.match(head):
        return "html"
    return None


def _pdf(head: bytes) -> bool:
    """A PDF starts with its header %PDF-1.x (after a BOM or blank lines, as careless tools write it).
    Readers accept the header anywhere in the first 1024 bytes, behind junk some senders prepend
    (a MacBinary or printer-job header, saved HTTP headers): that junk is binary or ASCII, and a
    PDF's objects follow the header. A text that mentions %PDF- — after a line of Chinese, inside
    a sentence, in a file of mixed encodings — is text, never refused as a damaged PDF."""
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF-"):
        return True
    m = rx.PDF_HEADER.search(head, 0, 1024 + 8)
    if not m or m.start() >= 1024:
        return False
    before, after = head[:m.start()], head[m.start():]
    junk = before.isascii() or b"\x00" in before  # PJL and HTTP headers are ASCII, MacBinary holds NULs
    return junk and (rx.PDF_OBJECT.search(after) is not None or _binary(after))


def _binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    for enc in ("utf-8", "gb18030"):
        try:
            head[:1000].decode(enc)
            return False
        except UnicodeDecodeError as e:
            if e.start >= 996:  # a character cut by the slice
                return False
    return True


def zip_kind(path: Path) -> str:
    """What a ZIP container is: docx, xlsx, pptx, odt, zip, or badzip."""
    try:
        with open_regular(path) as f, open_zip(f, path) as z:
            names = set(z.namelist())
            mimetype = b""
            info = z.getinfo("mimetype") if "mimetype" in names else None
            if info is not None and info.compress_type in ZIP_METHODS:
                with z.open(info) as m:
                    mimetype = m.read(100)  # stored or deflated: inflated 100 bytes at most (4 KB at a time)
    except PinganError:
        raise
    except (*ZIP_ERRORS, KeyError):
        return "badzip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if any(n.startswith("ppt/") for n in names):
        return "pptx"
    if b"opendocument" in mimetype:
        return "odt"
    return "zip"


def refusal(path: Path, kind: str, suffix: str) -> UnsupportedFormatError:
    """The error for a file whose bytes say it is a format we do not read."""
    what = KIND_NAMES.get(kind, kind)
    fix = {"pdf": "", "ole": "open it in Word or WPS and save as .docx (or .txt)",
           "rtf": "save it as .docx (or .txt)", "odt": "save it as .docx (or .txt)",
           "xlsx": "copy the regulation into a .docx or .txt file", "pptx": "copy the regulation into a .docx or .txt file",
           }.get(kind)
    if fix is None:
        fix = "run OCR on it first and parse the resulting text" if kind in ("png", "jpeg", "gif", "tiff", "webp") \
            else "extract it first and parse the files inside"
    named = f"named {suffix}" if suffix else "without a suffix"
    return UnsupportedFormatError(f"{path}: {named} but is {what}, which is not supported: {fix}")


# -- text: an HTML page, Markdown or plain text -------------------------------------------------------
_HTML_BLOCK_TAG = re.compile(r"<(?:p|div|br|h[1-6]|table|tr|td|li|ul|ol|span|font|center|section|article)\b[^<>]{0,300}>",
                             re.IGNORECASE)


def text_format(text: str, suffix: str = "") -> tuple[str, str]:
    """("html" | "md" | "txt", why) for a decoded text, by what it holds.

    An HTML page (doctype / <html> / <body> at the top, with block elements) is HTML; text with
    Markdown marks (``#`` headings, comments, front matter, links, emphasis, ``:::`` containers)
    is Markdown, also when it holds HTML tags (pages of static law sites); a fragment made of HTML
    block elements is HTML; anything else is plain text.
    """
    head = text[:200_000]
    blocks = len(_HTML_BLOCK_TAG.findall(head[:50_000]))
    if rx.HTML_SNIFF.match(head[:2000].encode("utf-8", "replace")) and (blocks or "</html>" in head.lower()):
        return "html", "an HTML page (it starts with <!DOCTYPE html>/<html>)"
    signals = markdown_signals(head)
    if signals:
        return "md", "Markdown (" + ", ".join(f"{n} {k}" for k, n in _top(signals)) + ")"
    lines = max(1, head[:50_000].count("\n") + 1)
    if head.lstrip()[:1] == "<" and blocks >= max(2, lines // 3):
        return "html", f"HTML ({blocks} block elements)"
    return "txt", "plain text (no markup)"


def _top(c: Counter) -> list[tuple[str, int]]:
    return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
