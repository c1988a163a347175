"""The public verbs that read regulations: parse_text, parse_file."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from ..errors import ParseError
from ..models import ParseWarning, Regulation
from ..readers import READABLE_SUFFIXES, read_file, read_text
from .metadata import fill_metadata, metadata_warnings
from .normalize import NormalizedText, normalize
from .segment import split_documents
from .structure import parse_body

log = logging.getLogger("pingan_corpus")
log.addHandler(logging.NullHandler())

# every suffix parse_file reads (load_corpus picks a folder's files by it); the name is historical
TEXT_SUFFIXES = set(READABLE_SUFFIXES)


def parse_text(text: str | bytes, *, doc_id: str = "", source: str | None = None) -> Regulation:
    """Parse one regulation from its text (str, or bytes in any supported encoding), read by what
    it holds: Markdown marks and an HTML page's furniture never reach the law's text.

    Raises ParseError when no provision (第X条, or 一、 / 1、 numbered provisions) is found.
    """
    read = read_text(text, source or "text")
    norm = normalize(read.text, source or "text", encoding=read.encoding, format=read.format, notes=read.notes)
    if not norm.text.strip():
        raise ParseError(f"{source or 'text'}: empty text (nothing left after normalization)")
    return _build(norm, 0, len(norm.text), doc_id=doc_id, source=source, position=1)


def parse_file(path: str | os.PathLike) -> list[Regulation]:
    """Every document in a file, in order: .txt, .md, .docx, .html/.htm or .pdf (see ``readers``).

    Raises ParseError / EncodingError / UnsupportedFormatError / MissingDependencyError, all
    PinganError, with a message naming the file; a missing file is also a FileNotFoundError.
    """
    p = Path(path)
    read = read_file(p)
    name = str(p)
    norm = normalize(read.text, name, encoding=read.encoding, format=read.format, notes=read.notes)
    read.text = ""  # kept once, as norm.source
    if not norm.text.strip():
        raise ParseError(f"{p}: no text left after normalization" if read.format in ("txt", "md")
                         else f"{p}: the {read.format} file holds no text")
    spans = split_documents(norm.text)
    regs: list[Regulation] = []
    stem = p.stem
    errors = []
    for i, (s, e) in enumerate(spans, start=1):
        doc_id = stem if len(spans) == 1 else f"{stem}-{i:02d}"
        try:
            regs.append(_build(norm, s, e, doc_id=doc_id, source=name, position=i))
        except ParseError as err:
            errors.append(str(err) if len(spans) == 1 else f"document {i}: {err}")
    if not regs:
        raise ParseError("; ".join(errors) or f"{p}: no provision found")
    extra = [ParseWarning("format", w) for w in read.warnings]
    if errors:  # a span without provisions inside a compilation: keep its text with its neighbour
        extra.append(ParseWarning("segment", "; ".join(errors)))
    for w in extra:
        log.warning("%s: %s", p.name, w)
    for reg in regs:
        reg.warnings.extend(extra)
    return regs


def _build(norm: NormalizedText, start: int, end: int, *, doc_id: str, source: str | None,
           position: int) -> Regulation:
    text = norm.text[start:end]
    try:
        body = parse_body(text)
    except ParseError as err:
        raise ParseError(f"{source or 'text'}: {err}") from None
    reg = Regulation(text=text, chapters=body.chapters, articles=body.articles,
                     body_start=body.body_start, body_end=body.body_end, doc_id=doc_id,
                     warnings=list(body.warnings), numbering=body.numbering, source=source,
                     position=position, encoding=norm.encoding, offset=start, normalized=norm,
                     parts=body.parts)
    _attach_mojibake(reg, norm, start, end)
    fill_metadata(reg)
    reg.warnings.extend(metadata_warnings(reg))
    for w in reg.warnings:
        log.info("%s: %s", doc_id or source or "regulation", w)
    return reg


def _attach_mojibake(reg: Regulation, norm: NormalizedText, start: int, end: int) -> None:
    for s, _e, ctx in norm.mojibake:
        if not (start <= s < end):
            continue
        s -= start
        art = next((a for a in reg.articles if a.start <= s < a.end), None)
        where = art.label if art else "front/back matter"
        w = ParseWarning("mojibake", f"unrepairable mojibake in {where}: {ctx!r}", art.number if art else None)
        if art:
            art.warnings.append(w)
        reg.warnings.append(w)
