"""The public verbs that read regulations: parse_text, parse_file."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from .errors import ParseError, UnsupportedFormatError
from .metadata import fill_metadata, metadata_warnings
from .models import ParseWarning, Regulation
from .normalize import NormalizedText, normalize
from .segment import split_documents
from .structure import parse_body

log = logging.getLogger("pingan_corpus")
log.addHandler(logging.NullHandler())

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
_REFUSED = {
    ".doc": "legacy Word .doc is not supported: save it as .docx or .txt",
    ".wps": "WPS documents are not supported: save as .docx or .txt",
    ".zip": "archives are not read: unpack it and parse the files inside",
    ".rar": "archives are not read: unpack it and parse the files inside",
    ".7z": "archives are not read: unpack it and parse the files inside",
    ".png": "images hold no text layer: run OCR first and parse the text",
    ".jpg": "images hold no text layer: run OCR first and parse the text",
    ".jpeg": "images hold no text layer: run OCR first and parse the text",
    ".gif": "images hold no text layer: run OCR first and parse the text",
    ".tif": "images hold no text layer: run OCR first and parse the text",
    ".tiff": "images hold no text layer: run OCR first and parse the text",
}


def parse_text(text: str | bytes, *, doc_id: str = "", source: str | None = None) -> Regulation:
    """Parse one regulation from its text (str, or bytes in any supported encoding).

    Raises ParseError when no provision (第X条, or 一、 / 1、 numbered provisions) is found.
    """
    norm = normalize(text, source or "text")
    if not norm.text.strip():
        raise ParseError(f"{source or 'text'}: empty text (nothing left after normalization)")
    return _build(norm, 0, len(norm.text), doc_id=doc_id, source=source, position=1)


def parse_file(path: str | os.PathLike) -> list[Regulation]:
    """Every document in a file, in order. Raises ParseError / EncodingError / UnsupportedFormatError."""
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such file")
    if p.is_dir():
        raise IsADirectoryError(f"{p}: is a directory; use load_corpus() for a folder of regulations")
    suffix = p.suffix.lower()
    if suffix in _REFUSED:
        raise UnsupportedFormatError(f"{p}: {_REFUSED[suffix]}")
    data = p.read_bytes()
    if not data.strip():
        raise ParseError(f"{p}: empty file")
    norm = normalize(data, str(p))
    if not norm.text.strip():
        raise ParseError(f"{p}: no text left after normalization")
    spans = split_documents(norm.text)
    regs: list[Regulation] = []
    stem = p.stem
    errors = []
    for i, (s, e) in enumerate(spans, start=1):
        doc_id = stem if len(spans) == 1 else f"{stem}-{i:02d}"
        try:
            regs.append(_build(norm, s, e, doc_id=doc_id, source=str(p), position=i))
        except ParseError as err:
            errors.append(str(err) if len(spans) == 1 else f"document {i}: {err}")
    if not regs:
        raise ParseError("; ".join(errors) or f"{p}: no provision found")
    if errors:  # a span without provisions inside a compilation: keep its text with its neighbour
        for reg in regs:
            reg.warnings.append(ParseWarning("segment", "; ".join(errors)))
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
                     position=position, encoding=norm.encoding, offset=start, normalized=norm)
    _attach_mojibake(reg, norm, start, end)
    fill_metadata(reg)
    reg.warnings.extend(metadata_warnings(reg))
    for w in reg.warnings:
        log.info("%s: %s", doc_id or source or "regulation", w)
    return reg


def _attach_mojibake(reg: Regulation, norm: NormalizedText, start: int, end: int) -> None:
    for s, e, ctx in norm.mojibake:
        if not (start <= s < end):
            continue
        s -= start
        art = next((a for a in reg.articles if a.start <= s < a.end), None)
        where = art.label if art else "front/back matter"
        w = ParseWarning("mojibake", f"unrepairable mojibake in {where}: {ctx!r}", art.number if art else None)
        if art:
            art.warnings.append(w)
        reg.warnings.append(w)
