"""Step 0 of the pipeline: a file of any supported format → plain text, and a note of what was removed.

One reader per format, chosen by the file's suffix and confirmed by its first bytes (a .txt
that is really a PDF is read as a PDF, with a warning; a .docx that is really a legacy .doc is
refused). Readers return text, never parse it: structure is found by the same parser whatever
the format, so a .docx and the .txt of the same regulation give the same articles.

    .txt .text ""   decoded (UTF-8 ± BOM, UTF-16/32, GB18030/GBK, Big5), nothing removed
    .md .markdown   Markdown marks removed (#, **, links, tables …), the text between them kept
    .docx           python-docx: paragraphs and tables in order, Word's automatic numbering
                    (第%1条, （%1）…) written back as the label Word displays
    .html .htm      the main text (not scripts, styles, navigation, site header and footer);
                    block elements and <br> become line breaks; decoded by the declared charset
    .pdf            pypdf: the text layer, without running headers, footers and page numbers;
                    lines wrapped by the layout (and across pages) rejoined into paragraphs
"""
from __future__ import annotations

import codecs
import io
import os
import re
import statistics
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from . import regexes as rx
from .errors import (EncodingError, MissingDependencyError, MissingFileError, NotAFileError, ParseError,
                     UnreadableFileError, UnsupportedFormatError)
from .numerals import to_chinese

TEXT_FORMATS = {".txt": "txt", ".text": "txt", "": "txt", ".md": "md", ".markdown": "md"}
FORMATS = {**TEXT_FORMATS, ".docx": "docx", ".html": "html", ".htm": "html", ".xhtml": "html", ".pdf": "pdf"}
READABLE_SUFFIXES = frozenset(FORMATS)

_OCR = "images hold no text: run OCR on it first and parse the resulting text"
_ARCHIVE = "archives are not read: extract it first and parse the files inside"
_REFUSED_SUFFIX = {
    ".doc": "legacy Word .doc format is not supported: open it in Word or WPS and save as .docx (or .txt)",
    ".wps": "WPS .wps format is not supported: save it as .docx (or .txt)",
    ".rtf": "RTF is not supported: save it as .docx (or .txt)",
    ".odt": "OpenDocument .odt is not supported: save it as .docx (or .txt)",
    ".xls": "spreadsheets are not read: copy the regulation into a .docx or .txt file",
    ".xlsx": "spreadsheets are not read: copy the regulation into a .docx or .txt file",
    ".ppt": "presentations are not read: copy the regulation into a .docx or .txt file",
    ".pptx": "presentations are not read: copy the regulation into a .docx or .txt file",
    **{s: _ARCHIVE for s in (".zip", ".rar", ".7z", ".gz", ".tgz", ".bz2", ".xz", ".tar")},
    **{s: _OCR for s in (".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".bmp", ".webp", ".heic")},
}
_NAMES = {"pdf": "a PDF", "zip": "a ZIP archive", "ole": "a legacy Office (.doc/.xls) file", "rar": "a RAR archive",
          "7z": "a 7z archive", "gzip": "a gzip archive", "bzip2": "a bzip2 archive", "xz": "an xz archive",
          "png": "a PNG image", "jpeg": "a JPEG image", "gif": "a GIF image", "tiff": "a TIFF image",
          "webp": "a WebP image", "rtf": "an RTF document", "docx": "a Word .docx document",
          "xlsx": "an Excel .xlsx workbook", "pptx": "a PowerPoint .pptx file", "odt": "an OpenDocument file",
          "html": "an HTML page"}


@dataclass
class ReadResult:
    """What a reader got out of a file: the text, and what it did to get it."""

    text: str
    format: str  # txt | md | docx | html | pdf
    encoding: str | None = None  # for byte formats read as text (txt, md, html)
    notes: list[str] = field(default_factory=list)  # what was removed or rebuilt (informational)
    warnings: list[str] = field(default_factory=list)  # what is doubtful (recorded on the regulations)


# -- choosing the reader -------------------------------------------------------------------------
def sniff(head: bytes) -> str | None:
    """The format the first bytes of a file announce, or None for (probably) text."""
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    magic = ((b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"), (b"Rar!\x1a\x07", "rar"), (b"7z\xbc\xaf\x27\x1c", "7z"),
             (b"\x1f\x8b", "gzip"), (b"\xfd7zXZ\x00", "xz"), (b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"),
             (b"GIF87a", "gif"), (b"GIF89a", "gif"), (b"II*\x00", "tiff"), (b"MM\x00*", "tiff"), (b"{\\rtf", "rtf"))
    for sig, name in magic:
        if head.startswith(sig):
            return name
    if head.startswith(b"BZh") and head[3:4].isdigit() and head[4:10] == b"1AY&SY":
        return "bzip2"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if rx.HTML_SNIFF.match(head):
        return "html"
    return None


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            mimetype = z.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError):
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


def _refusal(path: Path, kind: str, suffix: str) -> UnsupportedFormatError:
    what = _NAMES.get(kind, kind)
    fix = {"pdf": "", "ole": "open it in Word or WPS and save as .docx (or .txt)",
           "rtf": "save it as .docx (or .txt)", "odt": "save it as .docx (or .txt)",
           "xlsx": "copy the regulation into a .docx or .txt file", "pptx": "copy the regulation into a .docx or .txt file",
           }.get(kind)
    if fix is None:
        fix = "run OCR on it first and parse the resulting text" if kind in ("png", "jpeg", "gif", "tiff", "webp") \
            else "extract it first and parse the files inside"
    named = f"named {suffix}" if suffix else "without a suffix"
    return UnsupportedFormatError(f"{path}: {named} but is {what}, which is not supported: {fix}")


def read_file(path: str | os.PathLike) -> ReadResult:
    """Read any supported file into text; refuse clearly what cannot be read."""
    p = Path(path)
    if not p.exists():
        raise MissingFileError(f"{p}: no such file")
    if p.is_dir():
        raise NotAFileError(f"{p}: is a folder, not a file; use pc.load_corpus() for a folder of regulations")
    suffix = p.suffix.lower()
    if suffix in _REFUSED_SUFFIX:
        raise UnsupportedFormatError(f"{p}: {suffix} file: {_REFUSED_SUFFIX[suffix]}")
    try:
        with open(p, "rb") as f:
            head = f.read(8192)
    except OSError as e:
        raise UnreadableFileError(f"{p}: cannot be read: {e.strerror or e}") from None
    if not head.strip():
        raise ParseError(f"{p}: empty file")
    kind = sniff(head)
    if kind == "zip":
        kind = _zip_kind(p)
        if kind == "badzip":
            what = "Word .docx document" if suffix == ".docx" else "ZIP container"
            raise UnsupportedFormatError(f"{p}: damaged {what} (the ZIP structure cannot be read): "
                                         "the file is truncated or corrupt; get a fresh copy or save it again")
    expected = FORMATS.get(suffix)
    warnings: list[str] = []
    if kind in ("pdf", "docx", "html"):
        if expected is not None and expected != kind:
            warnings.append(f"{p.name} is named {suffix or '(no suffix)'} but is {_NAMES[kind]}: read as {kind}")
        fmt = kind
    elif kind is not None:
        raise _refusal(p, kind, suffix)
    elif expected is None:
        fmt = "txt"  # unknown suffix: text if it decodes, refused otherwise
        try:
            result = read_txt(p)
        except EncodingError:
            raise UnsupportedFormatError(f"{p}: unknown binary format ({suffix}): save the regulation as "
                                         ".txt (UTF-8), .docx, .html or .pdf") from None
        result.warnings[:0] = warnings + [f"{p.name}: unknown suffix {suffix!r}, read as plain text"]
        return result
    elif expected in ("pdf", "docx"):
        raise UnsupportedFormatError(f"{p}: named {suffix} but is not {_NAMES[expected]} (it does not start "
                                     f"like one): the file is damaged or mislabelled")
    else:
        fmt = expected
    reader = {"txt": read_txt, "md": read_markdown, "html": read_html, "docx": read_docx, "pdf": read_pdf}[fmt]
    result = reader(p)
    result.warnings[:0] = warnings
    return result


def _read_bytes(p: Path) -> bytes:
    try:
        return p.read_bytes()
    except OSError as e:
        raise UnreadableFileError(f"{p}: cannot be read: {e.strerror or e}") from None


# -- plain text and Markdown ---------------------------------------------------------------------
def read_txt(path: str | os.PathLike) -> ReadResult:
    """Decode a text file; the bytes are dropped as soon as they are decoded (big files)."""
    from .normalize import decode

    p = Path(path)
    text, enc = decode(_read_bytes(p), str(p))
    return ReadResult(text, "txt", enc)


def read_markdown(path: str | os.PathLike) -> ReadResult:
    from .normalize import decode

    p = Path(path)
    text, enc = decode(_read_bytes(p), str(p))
    out, counts = strip_markdown(text)
    notes = [f"Markdown markup removed: {', '.join(f'{n} {k}' for k, n in sorted(counts.items()))}"] if counts else []
    return ReadResult(out, "md", enc, notes)


def strip_markdown(text: str) -> tuple[str, Counter]:
    """Markdown → plain text, line by line; numbered lists (1. …) are content and stay."""
    counts: Counter = Counter()
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":  # YAML front matter
        end = next((i for i in range(1, min(len(lines), 200)) if lines[i].strip() in ("---", "...")), None)
        if end is not None:
            counts["front-matter lines"] += end + 1
            lines = lines[end + 1:]
    out = []
    for line in lines:
        if rx.MD_FENCE.match(line) or rx.MD_SETEXT_OR_RULE.match(line) or rx.MD_TABLE_RULE.match(line) \
                or rx.MD_LINK_DEF.match(line):
            counts["rule/fence lines"] += 1
            continue
        new = rx.MD_QUOTE.sub("", line)
        new, n = rx.MD_HEADING.subn("", new)
        counts["heading marks"] += bool(n)
        new = rx.MD_BULLET.sub("", new)
        if new.lstrip().startswith("|") and new.rstrip().endswith("|"):
            new = " ".join(c.strip() for c in new.strip()[1:-1].split("|"))
            counts["table rows"] += 1
        new = rx.MD_HTML_COMMENT.sub("", new)
        new, n = rx.MD_IMAGE.subn("", new)
        counts["images"] += n
        new, n = rx.MD_LINK.subn(r"\1", new)
        counts["links"] += n
        for pattern in (rx.MD_STRONG, rx.MD_EMPHASIS, rx.MD_CODE):
            new, n = pattern.subn(lambda m: m.group(m.lastindex), new)
            counts["emphasis/code marks"] += n
        new = rx.MD_HTML_BREAK.sub("\n", new)
        new = rx.MD_ESCAPE.sub(r"\1", new)
        out.append(new)
    return "\n".join(out), +counts


# -- HTML ----------------------------------------------------------------------------------------
_HTML_ENCODINGS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
                   "cp936": "gb18030", "big5": "big5hkscs", "x-big5": "big5hkscs", "unicode": "utf-16",
                   "iso-8859-1": "cp1252", "latin1": "cp1252", "ascii": "utf-8", "us-ascii": "utf-8"}


def decode_html(data: bytes, name: str = "page") -> tuple[str, str, list[str]]:
    """Decode an HTML page: byte-order mark, then the declared charset, then detection."""
    from .normalize import decode

    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if data.startswith(bom):
            text, enc = decode(data, name)
            return text, enc, []
    m = rx.HTML_CHARSET.search(data[:8192])
    warnings = []
    if m:
        declared = (m.group(1) or m.group(2)).decode("ascii").lower()
        enc = _HTML_ENCODINGS.get(declared, declared)
        try:
            codecs.lookup(enc)
        except LookupError:
            warnings.append(f"{name}: unknown declared charset {declared!r}: encoding detected instead")
        else:
            try:
                return data.decode(enc), enc, []
            except UnicodeDecodeError:
                warnings.append(f"{name}: declares charset {declared!r} but is not valid {declared}: encoding detected instead")
    text, enc = decode(data, name)
    return text, enc, warnings


_BLOCK = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "tbody", "thead", "tfoot", "h1", "h2", "h3",
          "h4", "h5", "h6", "section", "article", "main", "blockquote", "pre", "hr", "address", "figure",
          "figcaption", "center", "caption", "fieldset", "details", "summary", "body"}
_CELL = {"td", "th"}
_SKIP = {"script", "style", "noscript", "template", "head", "title", "nav", "header", "footer", "aside", "form",
         "select", "option", "button", "iframe", "object", "embed", "svg", "math", "canvas", "audio", "video",
         "map", "dialog", "menu"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
         "wbr", "frame", "keygen"}
_FURNITURE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "toolbar"}
_MAIN = {"main", "article"}


class _TextExtractor(HTMLParser):
    """Collects text outside skipped elements; remembers which text lies inside <main>/<article>."""

    def __init__(self, furniture: bool = True):
        super().__init__(convert_charrefs=True)
        self.furniture = furniture  # False: skip only what is never text (scripts, styles, head)
        self.stack: list[tuple[str, bool, int | None]] = []  # (tag, skips, main container id)
        self.chunks: list[tuple[str, int | None]] = []  # (text, container)
        self.skipped: Counter = Counter()
        self.containers = 0
        self.pre = 0

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    @property
    def container(self) -> int | None:
        return self.stack[-1][2] if self.stack else None

    def _emit(self, text: str) -> None:
        if not self.skipping:
            self.chunks.append((text, self.container))

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "wbr"):
            if tag == "br":
                self._emit("\n")
            return
        if tag in _BLOCK:
            self._emit("\n")
        elif tag in _CELL:
            self._emit(" ")
        if tag in _VOID:
            return
        a = {k: (v or "") for k, v in attrs}
        why = None
        if not self.furniture:
            if tag in ("script", "style", "noscript", "template", "head", "title", "svg", "math"):
                why = tag
        elif tag in _SKIP:
            why = tag
        elif a.get("role", "").lower() in _FURNITURE_ROLES:
            why = f"role={a['role'].lower()}"
        elif "hidden" in a or a.get("aria-hidden", "").lower() == "true" or rx.HTML_HIDDEN_STYLE.search(a.get("style", "")):
            why = "hidden"
        else:
            tokens = a.get("class", "").split() + a.get("id", "").split()
            hit = next((t for t in tokens if rx.HTML_FURNITURE.match(t)), None)
            if hit:
                why = f"class/id {hit.lower()}"
        skips = self.skipping or why is not None
        if why and not self.skipping:
            self.skipped[why] += 1
        container = self.container
        if not skips and (tag in _MAIN or a.get("role", "").lower() == "main"):
            self.containers += 1
            container = self.containers
        if tag == "pre":
            self.pre += 1
        self.stack.append((tag, skips, container))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack and self.stack[-1][0] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        # close up to the matching open tag; an end tag that matches nothing is ignored
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for t, _s, _c in self.stack[i:]:
                    if t == "pre":
                        self.pre -= 1
                del self.stack[i:]
                break
        else:
            return
        if tag in _BLOCK:
            self._emit("\n")

    def handle_data(self, data):
        if self.skipping or not data:
            return
        if not self.pre:
            data = rx.HTML_SPACE.sub(" ", data)
        self._emit(data)


def html_to_text(html_text: str) -> tuple[str, list[str]]:
    """The main text of a page, one block element per line; and a note of what was left out."""
    parser = _TextExtractor()
    parser.feed(html_text)
    parser.close()
    chunks = parser.chunks
    notes = []
    kept = sum(len(t.strip()) for t, _c in chunks)
    if kept < 200:  # an unclosed <header> or <nav> can swallow the page: check against a plain reading
        plain = _TextExtractor(furniture=False)
        plain.feed(html_text)
        plain.close()
        total = sum(len(t.strip()) for t, _c in plain.chunks)
        if total >= 200 and kept < 0.05 * total:
            notes.append("HTML: page furniture could not be told from the text (unclosed elements?): "
                         "only scripts and styles left out")
            parser = plain
            chunks = plain.chunks
    if parser.skipped:
        notes.append("HTML elements left out: " + ", ".join(f"{k}×{n}" for k, n in sorted(parser.skipped.items())))
    # a <main>/<article> that holds most of the page's text is the page's content
    sizes: Counter = Counter()
    for text, c in chunks:
        if c is not None:
            sizes[c] += len(text.strip())
    total = sum(len(t.strip()) for t, _c in chunks)
    if sizes:
        best, size = sizes.most_common(1)[0]
        if size >= 0.5 * total:
            dropped = total - size
            chunks = [(t, c) for t, c in chunks if c == best]
            if dropped:
                notes.append(f"HTML: {dropped} characters outside the page's <main>/<article> left out")
    text = "".join(t for t, _c in chunks)
    lines = (ln.strip(" ") for ln in text.split("\n"))
    return "\n".join(ln for ln in lines if ln), notes


def read_html(path: str | os.PathLike) -> ReadResult:
    p = Path(path)
    text, enc, warnings = decode_html(_read_bytes(p), str(p))
    out, notes = html_to_text(text)
    return ReadResult(out, "html", enc, notes, warnings)


# -- Word .docx ----------------------------------------------------------------------------------
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_IDEOGRAPH_TRADITIONAL = "甲乙丙丁戊己庚辛壬癸"
_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"
_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CIRCLED = "".join(chr(0x2460 + i) for i in range(20))


def _roman(n: int) -> str:
    out = ""
    for v, s in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                 (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out, n = out + s, n - v
    return out


def _letters(n: int) -> str:
    # Word repeats the letter: 27 → AA, 28 → BB
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _legal(n: int) -> str:
    return "".join(_LEGAL_DIGITS[int(d)] for d in str(n)) if n >= 10 else _LEGAL_DIGITS[n]


def format_number(n: int, fmt: str) -> str:
    """A counter in one of Word's w:numFmt formats (the ones legislation uses, and the common ones)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "japaneseDigitalTenThousand", "taiwaneseCountingThousand"):
        return to_chinese(n)
    if fmt in ("ideographDigital", "taiwaneseDigital", "chineseDigital"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        return _legal(n)
    if fmt == "ideographTraditional":
        return _IDEOGRAPH_TRADITIONAL[(n - 1) % 10]
    if fmt in ("ideographZodiac", "ideographZodiacTraditional"):
        return _ZODIAC[(n - 1) % 12]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle") and 1 <= n <= 20:
        return _CIRCLED[n - 1]
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalEnclosedFullstop" and 1 <= n <= 20:
        return chr(0x2488 + n - 1)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt in ("none", "bullet"):
        return ""
    return str(n)  # decimal, and any format we do not know: digits are what Word falls back to


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    suffix: str = "tab"
    restart: int | None = None  # w:lvlRestart: restart after this (1-based) level; 0 = never
    legal: bool = False


class _Numbering:
    """Word's list numbering, computed the way Word displays it (counters per abstract list)."""

    def __init__(self, numbering_el, styles_el):
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.used: set[tuple[str, int]] = set()
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        self.style_parent: dict[str, str] = {}
        self.missing: set[str] = set()
        if numbering_el is not None:
            for an in numbering_el.iter(f"{_W}abstractNum"):
                self.abstract[an.get(f"{_W}abstractNumId")] = {int(lv.get(f"{_W}ilvl", "0")): self._level(lv)
                                                              for lv in an.iter(f"{_W}lvl")}
            for num in numbering_el.iter(f"{_W}num"):
                aid = _val(num.find(f"{_W}abstractNumId"))
                starts, levels = {}, {}
                for ov in num.iter(f"{_W}lvlOverride"):
                    ilvl = int(ov.get(f"{_W}ilvl", "0"))
                    so = _val(ov.find(f"{_W}startOverride"))
                    if so is not None:
                        starts[ilvl] = int(so)
                    lv = ov.find(f"{_W}lvl")
                    if lv is not None:
                        levels[ilvl] = self._level(lv)
                self.nums[num.get(f"{_W}numId")] = (aid, starts, levels)
        if styles_el is not None:
            for st in styles_el.iter(f"{_W}style"):
                sid = st.get(f"{_W}styleId")
                based = _val(st.find(f"{_W}basedOn"))
                if based:
                    self.style_parent[sid] = based
                numpr = st.find(f"{_W}pPr/{_W}numPr")
                if numpr is not None:
                    nid = _val(numpr.find(f"{_W}numId"))
                    ilvl = _val(numpr.find(f"{_W}ilvl"))
                    self.style_num[sid] = (nid, int(ilvl) if ilvl is not None else None)

    @staticmethod
    def _level(lv) -> _Level:
        start = _val(lv.find(f"{_W}start"))
        restart = _val(lv.find(f"{_W}lvlRestart"))
        return _Level(int(start) if start is not None and start.lstrip("-").isdigit() else 1,
                      _val(lv.find(f"{_W}numFmt")) or "decimal", _val(lv.find(f"{_W}lvlText")) or "",
                      _val(lv.find(f"{_W}suff")) or "tab", int(restart) if restart is not None else None,
                      lv.find(f"{_W}isLgl") is not None and _val(lv.find(f"{_W}isLgl")) not in ("0", "false"))

    def _style_numpr(self, style: str | None) -> tuple[str | None, int | None]:
        seen = set()
        while style and style not in seen:
            seen.add(style)
            if style in self.style_num:
                return self.style_num[style]
            style = self.style_parent.get(style)
        return None, None

    def label(self, p) -> tuple[str, str]:
        """(label text, separator) of a paragraph, ("", "") when Word shows no number."""
        ppr = p.find(f"{_W}pPr")
        num_id = ilvl = None
        if ppr is not None:
            numpr = ppr.find(f"{_W}numPr")
            if numpr is not None:
                num_id = _val(numpr.find(f"{_W}numId"))
                lv = _val(numpr.find(f"{_W}ilvl"))
                ilvl = int(lv) if lv is not None else None
            if num_id is None:
                s_id, s_lvl = self._style_numpr(_val(ppr.find(f"{_W}pStyle")))
                num_id = s_id
                ilvl = ilvl if ilvl is not None else s_lvl
        if num_id is None or num_id == "0":
            return "", ""
        if num_id not in self.nums or self.nums[num_id][0] not in self.abstract:
            self.missing.add(num_id)
            return "", ""
        ilvl = ilvl or 0
        aid, starts, overrides = self.nums[num_id]
        levels = {**self.abstract[aid], **overrides}
        level = levels.get(ilvl)
        if level is None:
            return "", ""
        counters = self.counters.setdefault(aid, {})
        first_use = (num_id, ilvl) not in self.used
        self.used.add((num_id, ilvl))
        if first_use and ilvl in starts:
            counters[ilvl] = starts[ilvl]
        elif ilvl in counters:
            counters[ilvl] += 1
        else:
            counters[ilvl] = level.start
        for deeper in [k for k in counters if k > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart != 0 and (restart is None or restart - 1 >= ilvl):
                del counters[deeper]
        if level.fmt == "bullet":
            return "", ""

        def value(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            lv = levels.get(k, _Level())
            n = counters.get(k, lv.start)
            return str(n) if (level.legal and k < ilvl) else format_number(n, lv.fmt)

        text = re.sub(r"%([1-9])", value, level.text)
        sep = {"tab": " ", "space": " "}.get(level.suffix, "")
        return text, sep if text else ""


def _val(el) -> str | None:
    return None if el is None else el.get(f"{_W}val")


def _run_hidden(r) -> bool:
    v = r.find(f"{_W}rPr/{_W}vanish")
    return v is not None and v.get(f"{_W}val") not in ("0", "false")


_SKIP_IN_PARAGRAPH = {f"{_W}del", f"{_W}instrText", f"{_W}delText", f"{_W}txbxContent", f"{_MC}Fallback",
                      f"{_W}footnoteReference", f"{_W}endnoteReference", f"{_W}commentReference", f"{_W}pPr",
                      f"{_W}rPr", f"{_W}moveFrom"}


def _paragraph_text(p) -> str:
    out: list[str] = []

    def walk(el) -> None:
        for child in el:
            tag = child.tag
            if tag in _SKIP_IN_PARAGRAPH:
                continue
            if tag == f"{_W}t":
                out.append(child.text or "")
            elif tag == f"{_W}tab":
                out.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                out.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                out.append("-")
            elif tag == f"{_W}r" and _run_hidden(child):
                continue
            else:
                walk(child)

    walk(p)
    return "".join(out)


def _docx_blocks(container, numbering: _Numbering, out: list[str], counts: Counter) -> None:
    for el in container:
        tag = el.tag
        if tag == f"{_W}p":
            label, sep = numbering.label(el)
            text = _paragraph_text(el)
            if label:
                counts["numbered paragraphs"] += 1
                text = label + sep + text.lstrip()
            out.append(text)
        elif tag == f"{_W}tbl":
            counts["tables"] += 1
            for tr in el.iter(f"{_W}tr"):
                if tr.getparent() is not el and tr.getparent().getparent() is not el:
                    continue  # rows of nested tables are read inside their cell
                cells = []
                for tc in tr.findall(f"{_W}tc"):
                    sub: list[str] = []
                    _docx_blocks(tc, numbering, sub, counts)
                    cell = "\n".join(s for s in sub if s.strip())
                    if cell:
                        cells.append(cell)
                out.append(" ".join(cells))
        elif tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}smartTag"):
            _docx_blocks(el, numbering, out, counts)


def docx_text(document) -> tuple[str, list[str], list[str]]:
    """Text of a python-docx Document: body paragraphs and tables in order, numbering written out."""
    part = document.part
    try:
        numbering_el = part.numbering_part.element
    except (NotImplementedError, KeyError, AttributeError):
        numbering_el = None
    try:
        styles_el = part.styles.element if hasattr(part.styles, "element") else part._styles_part.element
    except (NotImplementedError, KeyError, AttributeError):
        styles_el = None
    numbering = _Numbering(numbering_el, styles_el)
    out: list[str] = []
    counts: Counter = Counter()
    _docx_blocks(document.element.body, numbering, out, counts)
    notes = []
    if counts["numbered paragraphs"]:
        notes.append(f"Word automatic numbering written out on {counts['numbered paragraphs']} paragraphs")
    if counts["tables"]:
        notes.append(f"{counts['tables']} table(s) read row by row")
    warnings = [f"numbering definition {n} missing from the document: those paragraphs lost their labels"
                for n in sorted(numbering.missing)]
    return "\n".join(out), notes, warnings


def read_docx(path: str | os.PathLike) -> ReadResult:
    p = Path(path)
    try:
        import docx
    except ImportError:
        raise MissingDependencyError(f'{p}: reading .docx files needs python-docx: pip install "pingan_corpus[docx]"') from None
    try:
        document = docx.Document(str(p))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise UnsupportedFormatError(f"{p}: not a readable .docx document ({e}): open it in Word and save it again as .docx") from None
    except OSError as e:
        raise UnreadableFileError(f"{p}: cannot be read: {e.strerror or e}") from None
    except Exception as e:  # python-docx raises its own PackageNotFoundError & co.
        raise UnsupportedFormatError(f"{p}: not a readable .docx document ({type(e).__name__}: {e}): "
                                     "open it in Word and save it again as .docx") from None
    text, notes, warnings = docx_text(document)
    return ReadResult(text, "docx", None, notes, warnings)


# -- PDF -----------------------------------------------------------------------------------------
@dataclass
class _Line:
    text: str
    x0: float | None = None
    x1: float | None = None
    y: float | None = None
    size: float = 10.0


def _width(text: str) -> float:
    """Estimated advance of ``text`` in ems: CJK and full-width characters are one em, others half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def _page_lines(page) -> list[_Line]:
    """Lines of one page, top to bottom, with their estimated horizontal extent."""
    pieces: list[tuple[float, float, float, str]] = []  # (y, x, size, text)

    def visit(text, cm, tm, font_dict, font_size):
        if not text or not text.strip("\n"):
            return
        a, b, c, d, e, f = tm
        ca, cb, cc, cd, ce, cf = cm
        x = e * ca + f * cc + ce
        y = e * cb + f * cd + cf
        scale = abs(d * cd + c * cb) or abs(a * ca) or 1.0
        size = (font_size or 1.0) * scale
        for k, part in enumerate(text.split("\n")):
            if part.strip():
                pieces.append((y - k * size * 1.2, x, size, part))

    try:
        plain = page.extract_text(visitor_text=visit) or ""
    except Exception:  # a damaged content stream: keep what pypdf could read
        plain, pieces = "", []
    if not pieces:
        return [_Line(t) for t in plain.split("\n") if t.strip()]
    pieces.sort(key=lambda t: (-t[0], t[1]))
    lines: list[list[tuple[float, float, float, str]]] = []
    for piece in pieces:
        if lines and abs(lines[-1][0][0] - piece[0]) <= 0.4 * max(piece[2], 1.0):
            lines[-1].append(piece)
        else:
            lines.append([piece])
    out = []
    for group in lines:
        group.sort(key=lambda t: t[1])
        size = statistics.median(t[2] for t in group)
        text, end = "", None
        for y, x, s, part in group:
            if end is not None and x <= end + 0.1 * s:
                end += _width(part) * s  # pypdf repeats the start of a TJ array for each of its pieces
            else:
                if end is not None and x - end > 0.8 * s:
                    text += " "
                end = x + _width(part) * s
            text += part
        out.append(_Line(text, group[0][1], end, group[0][0], size))
    return out


def _furniture_key(line: _Line) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text))


def _strip_furniture(pages: list[list[_Line]]) -> tuple[list[list[_Line]], Counter]:
    """Drop running headers/footers (the same line at a page edge on most pages) and page numbers."""
    removed: Counter = Counter()
    edge = 2
    seen: Counter = Counter()
    for lines in pages:
        keys = {(_furniture_key(ln), round(ln.y / 4) if ln.y is not None else None)
                for ln in lines[:edge] + lines[-edge:]}
        seen.update(keys)
    need = max(2, int(0.4 * len(pages) + 0.999)) if len(pages) >= 2 else 10**9
    out = []
    for lines in pages:
        n = len(lines)
        kept = []
        for i, ln in enumerate(lines):
            at_edge = i < edge or i >= n - edge
            compact = re.sub(r"\s+", "", ln.text)
            if at_edge and rx.PAGE_NUMBER.fullmatch(compact):
                removed["page numbers"] += 1
                continue
            key = (_furniture_key(ln), round(ln.y / 4) if ln.y is not None else None)
            if at_edge and seen[key] >= need and compact:
                removed["running header/footer lines"] += 1
                continue
            kept.append(ln)
        out.append(kept)
    return out, removed


def _join_lines(pages: list[list[_Line]]) -> tuple[str, int]:
    """Rejoin lines the layout wrapped (inside a page and across pages); keep real paragraph ends."""
    lines: list[tuple[_Line, float, float, float]] = []  # line, page left margin, right edge, line pitch
    for page in pages:
        geo = [ln for ln in page if ln.x0 is not None]
        if geo:
            left = min(ln.x0 for ln in geo)
            right = max(ln.x1 for ln in geo)
            gaps = [a.y - b.y for a, b in zip(geo, geo[1:]) if a.y is not None and b.y is not None and a.y > b.y]
            pitch = statistics.median(gaps) if gaps else 0.0
        else:
            left, right = 0.0, max((_width(ln.text) for ln in page), default=0.0)
            pitch = 0.0
        lines.extend((ln, left, right, pitch) for ln in page)
    parts: list[str] = []
    joined = 0
    for i, (ln, left, right, pitch) in enumerate(lines):
        parts.append(ln.text)
        if i + 1 == len(lines):
            break
        nxt, nleft, _nright, _np = lines[i + 1]
        if ln.x0 is not None:
            full = ln.x1 >= right - 1.5 * ln.size
            gap_ok = not pitch or nxt.y is None or nxt.y > ln.y or (ln.y - nxt.y) <= 1.35 * pitch
        else:
            full = _width(ln.text.strip()) >= right - 1.5
            gap_ok = True
        indented = (nxt.x0 is not None and nxt.x0 > nleft + 0.8 * nxt.size) or nxt.text[:1] in " \u3000\t"
        if full and gap_ok and not indented and not rx.PDF_BLOCK_START.match(nxt.text):
            joined += 1
            if ln.text[-1:].isascii() and ln.text[-1:].isalnum() and nxt.text[:1].isascii() and nxt.text[:1].isalnum():
                parts.append(" ")  # a wrapped Latin word boundary
        else:
            parts.append("\n")
    return "".join(parts), joined


def read_pdf(path: str | os.PathLike) -> ReadResult:
    p = Path(path)
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:
        raise MissingDependencyError(f'{p}: reading .pdf files needs pypdf: pip install "pingan_corpus[pdf]"') from None
    try:
        reader = PdfReader(io.BytesIO(_read_bytes(p)))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                raise UnsupportedFormatError(f"{p}: the PDF is password-protected: remove the password "
                                             "(print or export it to an unprotected PDF) and parse that")
        pages = [_page_lines(pg) for pg in reader.pages]
    except UnsupportedFormatError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as e:
        raise UnsupportedFormatError(f"{p}: damaged PDF that pypdf cannot read ({e}): "
                                     "re-export it from the source application, or save it as .docx or .txt") from None
    chars = [sum(len(ln.text.strip()) for ln in page) for page in pages]
    if not pages or sum(chars) < 20 or statistics.median(chars) < 10 and sum(c >= 40 for c in chars) < len(pages) / 2:
        raise UnsupportedFormatError(
            f"{p}: the PDF has no text layer ({len(pages)} page(s), {sum(chars)} characters of text): it is a scanned "
            "image; run OCR first (e.g. ocrmypdf --language chi_sim) and parse the OCR'd PDF or its text")
    warnings = []
    empty = [i + 1 for i, c in enumerate(chars) if c < 10]
    if empty:
        shown = ", ".join(map(str, empty[:10])) + (" …" if len(empty) > 10 else "")
        warnings.append(f"{p.name}: page(s) {shown} have no text layer (scanned?): their text is missing; run OCR")
    pages, removed = _strip_furniture(pages)
    text, joined = _join_lines(pages)
    notes = [f"PDF: {len(pages)} pages"]
    notes += [f"PDF: {n} {what} removed" for what, n in sorted(removed.items())]
    if joined:
        notes.append(f"PDF: {joined} lines wrapped by the page layout rejoined")
    return ReadResult(text, "pdf", None, notes, warnings)


__all__ = ["ReadResult", "read_file", "read_txt", "read_markdown", "read_html", "read_docx", "read_pdf",
           "html_to_text", "strip_markdown", "docx_text", "format_number", "sniff", "READABLE_SUFFIXES"]
