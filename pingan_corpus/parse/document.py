"""The public verbs that read regulations: parse_text, parse_file."""
from __future__ import annotations

import gc
import logging
import os
from bisect import bisect_left
from contextlib import contextmanager
from pathlib import Path

from ..errors import ParseError
from ..models import ParseWarning, Regulation
from ..readers import READABLE_SUFFIXES, read_file, read_text
from .labels import Labels, find_labels
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
    with _no_cycle_collection():
        return _build(norm, 0, len(norm.text), doc_id=doc_id, source=source, position=1)


def parse_file(path: str | os.PathLike) -> list[Regulation]:
    """Every document in a file, in order: .txt, .md, .docx, .html/.htm or .pdf (see ``readers``).

    Raises ParseError / EncodingError / UnsupportedFormatError / MissingDependencyError, all
    PinganError, with a message naming the file; a missing file is also a FileNotFoundError.
    """
    p = Path(path)
    read = read_file(p)
    name = str(p)
    # normalize gets the only reference to the text: a big source is compressed and freed inside it
    norm = normalize(_take_text(read), name, encoding=read.encoding, format=read.format, notes=read.notes)
    if not norm.text.strip():
        raise ParseError(f"{p}: no text left after normalization" if read.format in ("txt", "md")
                         else f"{p}: the {read.format} file holds no text")
    regs: list[Regulation] = []
    stem = p.stem
    errors = []
    with _no_cycle_collection():  # the labels found in the file are as many objects as the trees
        docs = split_file(norm)
        for i in range(1, len(docs) + 1):
            (s, e, labels, text), docs[i - 1] = docs[i - 1], None  # what a document was built from goes with it
            doc_id = stem if len(docs) == 1 else f"{stem}-{i:02d}"
            try:
                regs.append(_build(norm, s, e, doc_id=doc_id, source=name, position=i, labels=labels, text=text))
            except ParseError as err:
                errors.append(str(err) if len(docs) == 1 else f"document {i}: {err}")
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


def _take_text(read) -> str:
    """The read text, no longer held by ``read`` (it is kept once, as the normalized text's source)."""
    text, read.text = read.text, ""
    return text


@contextmanager
def _no_cycle_collection():
    """The regulations' trees hold no reference cycle: reference counting frees them, and the cyclic
    collector, run again and again over the objects a big file piles up, costs a quarter of the time
    of building them. It is off meanwhile (if it was on); a cycle made meanwhile waits for its next run."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def split_file(norm: NormalizedText) -> list[tuple[int, int, Labels, str] | None]:
    """The documents of a file: (start, end, candidate labels, text) of each. The labels are found
    once for the file (the splitter and every document use them); the file's text is then held
    once, as its documents' texts (NormalizedText.share)."""
    labels = find_labels(norm.text)
    spans = split_documents(norm.text, labels)
    docs: list[tuple[int, int, Labels, str] | None] = [(s, e, labels.within(s, e), norm.text[s:e]) for s, e in spans]
    if len(docs) > 1:
        norm.share([doc[3] for doc in docs])
    return docs


def _build(norm: NormalizedText, start: int, end: int, *, doc_id: str, source: str | None,
           position: int, labels: Labels | None = None, text: str | None = None) -> Regulation:
    """The regulation of ``norm.text[start:end]`` (``text``, when already cut)."""
    text = norm.text[start:end] if text is None else text
    try:
        body = parse_body(text, labels)
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
    moji = norm.mojibake  # in order of position (find_mojibake): this document's are a slice
    for s, _e, ctx in moji[bisect_left(moji, start, key=lambda m: m[0]):bisect_left(moji, end, key=lambda m: m[0])]:
        s -= start
        art = next((a for a in reg.articles if a.start <= s < a.end), None)
        where = art.label if art else "front/back matter"
        w = ParseWarning("mojibake", f"unrepairable mojibake in {where}: {ctx!r}", art.number if art else None)
        if art:
            art.warnings.append(w)
        reg.warnings.append(w)
