"""HTML pages: the main text of the page, one block element per line, decoded by its declared charset."""
from __future__ import annotations

import codecs
import os
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from . import patterns as rx
from .base import ReadResult, read_bytes
from .decode import decode

# text codecs Python finds by name that are no page's charset (not in WHATWG's list of the web's
# encodings): "undefined" fails on every byte, the escapes read backslashes, punycode and idna read
# host names, no browser reads utf-7. (Codecs of bytes — rot13, base64, zip — are not text encodings.)
_NOT_CHARSETS = {"undefined", "unicode-escape", "raw-unicode-escape", "punycode", "idna", "utf-7"}
# a declaration found as ASCII bytes is in no UTF-16/32 page (that has a BOM, read first): WHATWG
# reads such a page as UTF-8, which is what detection tries first
_WIDE = {"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"}
_HTML_ENCODINGS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
                   "cp936": "gb18030", "big5": "big5hkscs", "x-big5": "big5hkscs",
                   "iso-8859-1": "cp1252", "latin1": "cp1252", "ascii": "utf-8", "us-ascii": "utf-8"}


def decode_html(data: bytes, name: str = "page") -> tuple[str, str, list[str]]:
    """Decode an HTML page: byte-order mark, then the declared charset, then detection."""
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
            info = codecs.lookup(enc)
        except LookupError:
            warnings.append(f"{name}: unknown declared charset {declared!r}: encoding detected instead")
        else:
            if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
                warnings.append(f"{name}: declared charset {declared!r} is not a text encoding of web pages: "
                                "encoding detected instead")
            elif info.name in _WIDE:
                warnings.append(f"{name}: declares charset {declared!r} but its bytes are not {declared} "
                                "(the declaration reads as ASCII): encoding detected instead")
            else:
                try:
                    return data.decode(enc), enc, []
                except UnicodeError:  # UnicodeDecodeError, and codecs that refuse bytes outright
                    warnings.append(f"{name}: declares charset {declared!r} but is not valid {declared}: "
                                    "encoding detected instead")
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
_LINE_BREAKING = (_BLOCK - {"body"}) | _CELL | {"br"}  # a page with none of these has only its source's lines


class _TextExtractor(HTMLParser):
    """Collects text outside skipped elements; remembers which text lies inside <main>/<article>."""

    def __init__(self, furniture: bool = True, keep_lines: bool = False):
        super().__init__(convert_charrefs=True)
        self.furniture = furniture  # False: skip only what is never text (scripts, styles, head)
        self.keep_lines = keep_lines  # True: line breaks of the source are kept (a page without block elements)
        self.stack: list[tuple[str, bool, int | None]] = []  # (tag, skips, main container id)
        # how many of each tag are open: an end tag that closes nothing is ignored at once, not after a
        # walk down the stack (stray </font> under thousands of unclosed <p> made pages quadratic)
        self.open: Counter = Counter()
        self.chunks: list[tuple[str, int | None]] = []  # (text, container)
        self.skipped: Counter = Counter()
        self.containers = 0
        self.pre = 0
        self.blocks = 0  # line-breaking elements outside skipped ones

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
        if tag in _LINE_BREAKING and not self.skipping:
            self.blocks += 1
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
        self.open[tag] += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack and self.stack[-1][0] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in _VOID or not self.open[tag]:
            return  # an end tag that matches nothing is ignored
        # close up to the matching open tag (each tag is popped once: linear over the page)
        i = len(self.stack) - 1
        while self.stack[i][0] != tag:
            i -= 1
        for t, _s, _c in self.stack[i:]:
            self.open[t] -= 1
            if t == "pre":
                self.pre -= 1
        del self.stack[i:]
        if tag in _BLOCK:
            self._emit("\n")

    def handle_data(self, data):
        if self.skipping or not data:
            return
        if not self.pre:
            data = rx.HTML_SPACE.sub(_line_space if self.keep_lines else " ", data)
        self._emit(data)


def _line_space(m) -> str:
    return "\n" if "\n" in m.group() or "\r" in m.group() else " "


def _parse(html_text: str, furniture: bool = True, keep_lines: bool = False) -> _TextExtractor:
    parser = _TextExtractor(furniture, keep_lines)
    parser.feed(html_text)
    parser.close()
    return parser


def html_to_text(html_text: str) -> tuple[str, list[str]]:
    """The main text of a page, one block element per line; and a note of what was left out.

    A page without a single block element (no <p>, <div>, <br>, cell …: a text with a doctype
    pasted above it) keeps the line breaks of its source, which are then its only structure."""
    parser = _parse(html_text)
    chunks = parser.chunks
    notes = []
    kept = sum(len(t.strip()) for t, _c in chunks)
    if kept < 200:  # an unclosed <header> or <nav> can swallow the page: check against a plain reading
        plain = _parse(html_text, furniture=False)
        total = sum(len(t.strip()) for t, _c in plain.chunks)
        if total >= 200 and kept < 0.05 * total:
            notes.append("HTML: page furniture could not be told from the text (unclosed elements?): "
                         "only scripts and styles left out")
            parser = plain
            chunks = plain.chunks
    if not parser.blocks:
        lines = _parse(html_text, parser.furniture, keep_lines=True)
        if sum(t.count("\n") for t, _c in lines.chunks) > sum(t.count("\n") for t, _c in chunks):
            notes.append("HTML: the page has no block elements: the line breaks of its source kept")
            parser, chunks = lines, lines.chunks
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
    text, enc, warnings = decode_html(read_bytes(p), str(p))
    out, notes = html_to_text(text)
    return ReadResult(out, "html", enc, notes, warnings)
