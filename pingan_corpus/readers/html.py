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

_HTML_ENCODINGS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
                   "cp936": "gb18030", "big5": "big5hkscs", "x-big5": "big5hkscs", "unicode": "utf-16",
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
    text, enc, warnings = decode_html(read_bytes(p), str(p))
    out, notes = html_to_text(text)
    return ReadResult(out, "html", enc, notes, warnings)
