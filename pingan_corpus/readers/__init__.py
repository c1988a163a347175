"""Step 0 of the pipeline: a file of any supported format → text, and a note of what was done.

The reader is chosen by what the file holds, never by its name alone: first its bytes (a PDF,
a Word .docx, an image or an archive announce themselves), then its text (``detect.text_format``:
an HTML page, Markdown, or plain text) — so a LawRefBook ``.md`` saved as ``.txt``, a web page
saved as ``.md`` and a file with no suffix are all read as what they are. The choice is
recorded in the result's notes. Readers return text, never parse it: structure is found by the
same parser whatever the format, so a .docx and the .txt of the same regulation give the same
articles.

    plain text  decoded (UTF-8 ± BOM, UTF-16/32, GB18030/GBK, Big5), nothing removed  (decode.py)
    Markdown    decoded and kept whole: ``normalize`` deletes the markup that markdown.py finds,
                recording it (kind ``markup``), so offsets still point into the file
    HTML page   the main text (not scripts, styles, navigation, site header and footer); block
                elements and <br> become line breaks; decoded by the declared charset   (html.py)
    .docx       python-docx: paragraphs and tables in order, Word's automatic numbering
                (第%1条, （%1）…) written back as the label Word displays               (docx.py)
    .pdf        pypdf: the text layer, without running headers, footers and page numbers;
                lines wrapped by the layout (and across pages) rejoined into paragraphs   (pdf.py)

Only regular files are opened (a FIFO or a device is refused before), at most MAX_FILE_BYTES of
them is read, and a ZIP container's parts are checked against size, count and ratio limits before
python-docx inflates them: the limits and their reasons are in base.py.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import (
    EncodingError,
    MissingFileError,
    NotAFileError,
    ParseError,
    PinganError,
    UnreadableFileError,
    UnsupportedFormatError,
)
from .base import MAX_FILE_BYTES, ReadResult, check_regular, nonblocking, read_bytes, read_head
from .decode import decode
from .detect import (
    FORMAT_NAMES,
    FORMATS,
    KIND_NAMES,
    READABLE_SUFFIXES,
    REFUSED_SUFFIX,
    refusal,
    sniff,
    text_format,
    zip_kind,
)
from .docx import docx_text, format_number, read_docx
from .html import decode_html, html_to_text, read_html
from .markdown import strip_markdown
from .pdf import read_pdf

_zip_kind = zip_kind  # the name older code and tests use


def read_file(path: str | os.PathLike) -> ReadResult:
    """Read any supported file into text; refuse clearly what cannot be read (also what is not a
    regular file — a FIFO, a device — before opening it, and files over MAX_FILE_BYTES)."""
    p = Path(path)
    if not p.exists():
        raise MissingFileError(f"{p}: no such file")
    if p.is_dir():
        raise NotAFileError(f"{p}: is a folder, not a file; use pc.load_corpus() for a folder of regulations")
    suffix = p.suffix.lower()
    if suffix in REFUSED_SUFFIX:
        raise UnsupportedFormatError(f"{p}: {suffix} file: {REFUSED_SUFFIX[suffix]}")
    check_regular(p)  # before opening: a FIFO would block open(), /dev/zero never end
    try:
        with open(p, "rb", opener=nonblocking) as f:
            head = read_head(f, p)
    except PinganError:
        raise
    except OSError as e:
        raise UnreadableFileError(f"{p}: cannot be read: {e.strerror or e}") from None
    if not head.strip():
        raise ParseError(f"{p}: empty file")
    kind = sniff(head)
    if kind == "zip":
        kind = zip_kind(p)
        if kind == "badzip":
            what = "Word .docx document" if suffix == ".docx" else "ZIP container"
            raise UnsupportedFormatError(f"{p}: damaged {what} (the ZIP structure cannot be read): "
                                         "the file is truncated or corrupt; get a fresh copy or save it again")
    expected = FORMATS.get(suffix)
    if kind in ("pdf", "docx"):
        result = read_pdf(p) if kind == "pdf" else read_docx(p)
        if expected is not None and expected != kind:
            result.warnings.insert(0, f"{p.name} is named {suffix or '(no suffix)'} but is {KIND_NAMES[kind]}: "
                                      f"read as {kind}")
        return result
    if kind is not None and kind != "html":
        raise refusal(p, kind, suffix)
    if expected in ("pdf", "docx"):
        raise UnsupportedFormatError(f"{p}: named {suffix} but is not {KIND_NAMES[expected]} (it does not start "
                                     f"like one): the file is damaged or mislabelled")
    # text of some kind: decode, then let the content choose the reader
    data = read_bytes(p)
    try:
        if kind == "html" or expected == "html":
            text, enc, warnings = decode_html(data, str(p))
        else:
            (text, enc), warnings = decode(data, str(p)), []
    except EncodingError:
        if expected is None:
            raise UnsupportedFormatError(f"{p}: unknown binary format ({suffix}): save the regulation as "
                                         ".txt (UTF-8), .docx, .html or .pdf") from None
        raise
    del data
    result = read_text(text, name=p.name, encoding=enc, suffix=suffix)
    result.warnings[:0] = warnings
    if expected is None:
        result.warnings.insert(0, f"{p.name}: unknown suffix {suffix!r}, read as {FORMAT_NAMES[result.format]}")
    return result


def read_text(text: str | bytes, name: str = "text", *, encoding: str | None = None, suffix: str = "") -> ReadResult:
    """Read a text (str, or bytes in any supported encoding) by what it holds: an HTML page is
    reduced to its main text; Markdown and plain text are returned whole (``format`` tells
    ``normalize`` whether there is markup to delete)."""
    if isinstance(text, (bytes, bytearray)):
        text, encoding = decode(bytes(text), name)
    fmt, why = text_format(text, suffix)
    named = FORMATS.get(suffix)
    note = f"read as {why}" + (f"; the file is named {suffix}" if named is not None and named != fmt else "")
    if fmt == "html":
        out, notes = html_to_text(text)
        return ReadResult(out, "html", encoding, [note] + notes)
    return ReadResult(text, fmt, encoding, [note])


def read_txt(path: str | os.PathLike) -> ReadResult:
    """Decode a text file, whatever it holds (no markup is looked for)."""
    p = Path(path)
    text, enc = decode(read_bytes(p), str(p))
    return ReadResult(text, "txt", enc)


def read_markdown(path: str | os.PathLike) -> ReadResult:
    """Decode a Markdown file; its markup is deleted (and recorded) by ``normalize``."""
    p = Path(path)
    text, enc = decode(read_bytes(p), str(p))
    return ReadResult(text, "md", enc, ["read as Markdown"])


__all__ = [
    "MAX_FILE_BYTES",
    "READABLE_SUFFIXES",
    "ReadResult",
    "decode",
    "docx_text",
    "format_number",
    "html_to_text",
    "read_docx",
    "read_file",
    "read_html",
    "read_markdown",
    "read_pdf",
    "read_text",
    "read_txt",
    "sniff",
    "strip_markdown",
    "text_format",
]
