"""PDF: the text layer, without running headers, footers and page numbers; wrapped lines rejoined."""
from __future__ import annotations

import io
import itertools
import os
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..errors import UnsupportedFormatError, require
from . import patterns as rx
from .base import ReadResult, read_bytes


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
        a, _b, c, d, e, f = tm
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
        for _y, x, s, part in group:
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
            gaps = [a.y - b.y for a, b in itertools.pairwise(geo) if a.y is not None and b.y is not None and a.y > b.y]
            pitch = statistics.median(gaps) if gaps else 0.0
        else:
            left, right = 0.0, max((_width(ln.text) for ln in page), default=0.0)
            pitch = 0.0
        lines.extend((ln, left, right, pitch) for ln in page)
    parts: list[str] = []
    joined = 0
    for i, (ln, _left, right, pitch) in enumerate(lines):
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
    pypdf = require("pypdf", f"{p}: reading .pdf files", '"pingan_corpus[pdf]"')
    PdfReader, PdfReadError = pypdf.PdfReader, pypdf.errors.PdfReadError
    try:
        reader = PdfReader(io.BytesIO(read_bytes(p)))
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
    if not pages or sum(chars) < 20 or (statistics.median(chars) < 10 and sum(c >= 40 for c in chars) < len(pages) / 2):
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
