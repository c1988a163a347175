"""Save a parsed corpus to Parquet and load it back, so that a big corpus is parsed once.

``save_corpus(corpus, path)`` writes a folder; ``load_saved_corpus(path)`` rebuilds the same
Regulation objects (equal field by field, warnings with their codes, dates as dates). Layout
of the folder (one Parquet file per level of the tree; ``doc`` is the document's position in
the corpus, the other ``*_index`` columns positions in their parent's list):

=================  ===========================================================================
corpus.json        format version, counts, the corpus' own warnings
documents.parquet  doc, doc_id, text (normalized), body_start, body_end, title, jurisdiction,
                   level, status, adopted, approved, effective, repealed, numbering, source,
                   position, encoding, offset, source_index, warnings, revisions (date, kind,
                   body, text; absent in folders saved before: read as none)
parts.parquet      doc, part_index, number, label, title, start, end (编; what each holds
                   follows from the spans)
chapters.parquet   doc, chapter_index, number, label, title, start, end
sections.parquet   doc, chapter_index, section_index, number, label, title, start, end
articles.parquet   doc, article_index, number, label, heading, chapter, section, start, end,
                   suffix, chapter_index, section_index (its place in the tree, -1: none),
                   warnings
paragraphs.parquet doc, article_index, paragraph_index, number, text, start, end
items.parquet      doc, article_index, paragraph_index, item_index, number, label, text, start, end
subitems.parquet   … item_index, subitem_index, number, label, text, start, end
sources.parquet    source_index, source (decoded file), text (normalized file), encoding, format,
                   notes, offset_runs (the source map as run starts and source offsets, int64
                   bytes), removal kinds/starts/ends, mojibake
=================  ===========================================================================

Warnings are stored as (code, message, article). Texts are stored as they are (offsets index
them), so nothing is re-parsed on load: loading is reading columns and building objects.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from .errors import MissingFileError, StoreError, require
from .models import (
    Article,
    Chapter,
    Item,
    Paragraph,
    ParseWarning,
    Part,
    Regulation,
    Revision,
    Section,
    SubItem,
    assign_parts,
)
from .parse.normalize import NormalizedText, Removal, Removals

FORMAT = 1
_DOC_META = ("title", "jurisdiction", "level", "status", "adopted", "approved", "effective")


def _pa():
    why = "saving or loading a corpus in Parquet"
    return require("pyarrow", why, '"pingan_corpus[parquet]"'), require("pyarrow.parquet", why, '"pingan_corpus[parquet]"')


def _runs(offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Run-length form of a source map: positions where it stops counting up by one."""
    offsets = np.asarray(offsets, np.int64)
    if not len(offsets):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    starts = np.concatenate([[0], np.flatnonzero(np.diff(offsets) != 1) + 1]).astype(np.int64)
    return starts, offsets[starts]


def _unruns(pos: np.ndarray, src: np.ndarray, n: int) -> np.ndarray:
    lengths = np.diff(np.append(pos, n))
    return np.repeat(src - pos, lengths) + np.arange(n, dtype=np.int64)


def save_corpus(corpus, path: str | os.PathLike, *, sources: bool = True) -> Path:
    """Write ``corpus`` (a Corpus or a list of Regulations) to the folder ``path``.

    ``sources=False`` leaves out the decoded source files and their maps (smaller; the loaded
    regulations then map spans to their normalized text only).
    """
    pa, pq = _pa()
    regs = list(getattr(corpus, "docs", corpus))
    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    tables: dict[str, list[dict]] = {k: [] for k in ("documents", "parts", "chapters", "sections", "articles",
                                                     "paragraphs", "items", "subitems", "sources")}
    source_index: dict[int, int] = {}
    for d, reg in enumerate(regs):
        nt = reg.normalized
        s_idx = -1
        if sources and nt is not None:
            if id(nt) not in source_index:
                source_index[id(nt)] = len(tables["sources"])
                pos, src = _runs(nt.offsets)
                rem = list(nt.removals)
                tables["sources"].append({
                    "source_index": source_index[id(nt)], "source": nt.source, "text": nt.text,
                    "encoding": nt.encoding, "format": getattr(nt, "format", None),
                    "notes": list(getattr(nt, "notes", []) or []),
                    "offset_pos": pos.tobytes(), "offset_src": src.tobytes(),
                    "removal_kind": [r.kind for r in rem], "removal_start": [r.start for r in rem],
                    "removal_end": [r.end for r in rem],
                    "mojibake": [{"start": s, "end": e, "context": c} for s, e, c in nt.mojibake],
                })
            s_idx = source_index[id(nt)]
        row = {"doc": d, "doc_id": reg.doc_id, "text": reg.text, "body_start": reg.body_start,
               "body_end": reg.body_end, "repealed": list(reg.repealed), "numbering": reg.numbering,
               "source": reg.source, "position": reg.position, "encoding": reg.encoding, "offset": reg.offset,
               "source_index": s_idx, "warnings": [ParseWarning.to_dict(w) for w in reg.warnings],
               "revisions": [{"date": r.date, "kind": r.kind, "body": r.body, "text": r.text} for r in reg.revisions]}
        row.update({k: getattr(reg, k) for k in _DOC_META})
        tables["documents"].append(row)
        for pi, part in enumerate(reg.parts):
            tables["parts"].append({"doc": d, "part_index": pi, "number": part.number, "label": part.label,
                                    "title": part.title, "start": part.start, "end": part.end})
        place: dict[int, tuple[int, int]] = {}
        for ci, ch in enumerate(reg.chapters):
            tables["chapters"].append({"doc": d, "chapter_index": ci, "number": ch.number, "label": ch.label,
                                       "title": ch.title, "start": ch.start, "end": ch.end})
            for a in ch.articles:
                place[id(a)] = (ci, -1)
            for si, sec in enumerate(ch.sections):
                tables["sections"].append({"doc": d, "chapter_index": ci, "section_index": si,
                                           "number": sec.number, "label": sec.label, "title": sec.title,
                                           "start": sec.start, "end": sec.end})
                for a in sec.articles:
                    place[id(a)] = (ci, si)
        for ai, a in enumerate(reg.articles):
            ci, si = place.get(id(a), (-1, -1))
            tables["articles"].append({
                "doc": d, "article_index": ai, "number": a.number, "label": a.label, "heading": a.heading,
                "chapter": a.chapter, "section": a.section, "start": a.start, "end": a.end, "suffix": a.suffix,
                "chapter_index": ci, "section_index": si, "warnings": [ParseWarning.to_dict(w) for w in a.warnings]})
            for pi, p in enumerate(a.paragraphs):
                tables["paragraphs"].append({"doc": d, "article_index": ai, "paragraph_index": pi,
                                             "number": p.number, "text": p.text, "start": p.start, "end": p.end})
                for ii, it in enumerate(p.items):
                    tables["items"].append({"doc": d, "article_index": ai, "paragraph_index": pi, "item_index": ii,
                                            "number": it.number, "label": it.label, "text": it.text,
                                            "start": it.start, "end": it.end})
                    for si, sub in enumerate(it.subitems):
                        tables["subitems"].append({
                            "doc": d, "article_index": ai, "paragraph_index": pi, "item_index": ii,
                            "subitem_index": si, "number": sub.number, "label": sub.label, "text": sub.text,
                            "start": sub.start, "end": sub.end})
    for name, rows in tables.items():
        table = pa.Table.from_pylist(rows, schema=_schema(pa, name))
        pq.write_table(table, out / f"{name}.parquet", compression="zstd")
    meta = {"format": FORMAT, "documents": len(regs), "articles": len(tables["articles"]),
            "warnings": list(getattr(corpus, "warnings", []))}
    (out / "corpus.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return out


def _schema(pa, name: str):
    i64, s, i32 = pa.int64(), pa.string(), pa.int32()
    warn = pa.list_(pa.struct([("code", s), ("message", s), ("article", i64)]))
    span = [("start", i64), ("end", i64)]
    fields = {
        "documents": [("doc", i64), ("doc_id", s), ("text", pa.large_string()), ("body_start", i64),
                      ("body_end", i64), ("repealed", pa.list_(s)), ("numbering", s), ("source", s),
                      ("position", i64), ("encoding", s), ("offset", i64), ("source_index", i64),
                      ("warnings", warn), ("title", s), ("jurisdiction", s), ("level", s), ("status", s),
                      ("adopted", pa.date32()), ("approved", pa.date32()), ("effective", pa.date32()),
                      ("revisions", pa.list_(pa.struct([("date", pa.date32()), ("kind", s), ("body", s),
                                                        ("text", s)])))],
        "parts": [("doc", i64), ("part_index", i32), ("number", i64), ("label", s), ("title", s), *span],
        "chapters": [("doc", i64), ("chapter_index", i32), ("number", i64), ("label", s), ("title", s), *span],
        "sections": [("doc", i64), ("chapter_index", i32), ("section_index", i32), ("number", i64),
                     ("label", s), ("title", s), *span],
        "articles": [("doc", i64), ("article_index", i32), ("number", i64), ("label", s), ("heading", s),
                     ("chapter", i64), ("section", i64), *span, ("suffix", i64), ("chapter_index", i32),
                     ("section_index", i32), ("warnings", warn)],
        "paragraphs": [("doc", i64), ("article_index", i32), ("paragraph_index", i32), ("number", i64),
                       ("text", s), *span],
        "items": [("doc", i64), ("article_index", i32), ("paragraph_index", i32), ("item_index", i32),
                  ("number", i64), ("label", s), ("text", s), *span],
        "subitems": [("doc", i64), ("article_index", i32), ("paragraph_index", i32), ("item_index", i32),
                     ("subitem_index", i32), ("number", i64), ("label", s), ("text", s), *span],
        "sources": [("source_index", i64), ("source", pa.large_string()), ("text", pa.large_string()),
                    ("encoding", s), ("format", s), ("notes", pa.list_(s)), ("offset_pos", pa.large_binary()),
                    ("offset_src", pa.large_binary()), ("removal_kind", pa.list_(s)),
                    ("removal_start", pa.list_(i64)), ("removal_end", pa.list_(i64)),
                    ("mojibake", pa.list_(pa.struct([("start", i64), ("end", i64), ("context", s)])))],
    }[name]
    return pa.schema(fields)


def _rows(pq, path: Path, name: str) -> list[dict]:
    if name == "parts" and not (path / "parts.parquet").exists():
        return []  # saved before parts (编) were modelled
    return pq.read_table(path / f"{name}.parquet").to_pylist()


def _grouped(rows: list[dict], *keys: str) -> dict[tuple, list[dict]]:
    out: dict[tuple, list[dict]] = {}
    for r in rows:
        out.setdefault(tuple(r[k] for k in keys), []).append(r)
    return out


def _normalized(row: dict) -> NormalizedText:
    pos = np.frombuffer(row["offset_pos"], dtype=np.int64)
    src = np.frombuffer(row["offset_src"], dtype=np.int64)
    offsets = _unruns(pos, src, len(row["text"]) + 1)
    removals = Removals(row["source"])
    for k, s, e in zip(row["removal_kind"], row["removal_start"], row["removal_end"]):
        removals.append(Removal(k, s, e, row["source"][s:e]))
    kw = {}
    if row.get("format") is not None:
        kw["format"] = row["format"]
    if row.get("notes"):
        kw["notes"] = list(row["notes"])
    return NormalizedText(row["source"], row["text"], offsets=offsets, encoding=row["encoding"],
                            removals=removals, mojibake=[(m["start"], m["end"], m["context"]) for m in row["mojibake"]],
                            **kw)


def load_regulations(path: str | os.PathLike) -> tuple[list[Regulation], dict]:
    """The regulations saved in ``path`` (in order) and the folder's metadata."""
    _, pq = _pa()
    p = Path(path)
    meta_file = p / "corpus.json"
    if not meta_file.exists():
        raise MissingFileError(f"{p}: not a saved corpus (no corpus.json): save one with corpus.save(path)")
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT:
        raise StoreError(f"{p}: saved corpus format {meta.get('format')!r}, this version reads {FORMAT}")
    sources = {r["source_index"]: _normalized(r) for r in _rows(pq, p, "sources")}
    parts = _grouped(_rows(pq, p, "parts"), "doc")
    chapters = _grouped(_rows(pq, p, "chapters"), "doc")
    sections = _grouped(_rows(pq, p, "sections"), "doc")
    articles = _grouped(_rows(pq, p, "articles"), "doc")
    paragraphs = _grouped(_rows(pq, p, "paragraphs"), "doc", "article_index")
    items = _grouped(_rows(pq, p, "items"), "doc", "article_index", "paragraph_index")
    subitems = _grouped(_rows(pq, p, "subitems"), "doc", "article_index", "paragraph_index", "item_index")
    regs = []
    for row in sorted(_rows(pq, p, "documents"), key=lambda r: r["doc"]):
        d = row["doc"]
        chs = [Chapter(c["number"], c["label"], c["title"], c["start"], c["end"]) for c in chapters.get((d,), [])]
        for s in sections.get((d,), []):
            chs[s["chapter_index"]].sections.append(Section(s["number"], s["label"], s["title"], s["start"], s["end"]))
        arts = []
        for a in articles.get((d,), []):
            ai = a["article_index"]
            paras = []
            for pr in paragraphs.get((d, ai), []):
                its = []
                for it in items.get((d, ai, pr["paragraph_index"]), []):
                    subs = [SubItem(x["number"], x["label"], x["text"], x["start"], x["end"])
                            for x in subitems.get((d, ai, pr["paragraph_index"], it["item_index"]), [])]
                    its.append(Item(it["number"], it["label"], it["text"], it["start"], it["end"], subs))
                paras.append(Paragraph(pr["number"], pr["text"], pr["start"], pr["end"], its))
            art = Article(a["number"], a["label"], a["heading"], a["chapter"], a["section"], paras, a["start"],
                          a["end"], a["suffix"], [ParseWarning.from_dict(w) for w in a["warnings"] or []])
            if a["chapter_index"] >= 0:
                ch = chs[a["chapter_index"]]
                ch.articles.append(art)
                if a["section_index"] >= 0:
                    ch.sections[a["section_index"]].articles.append(art)
            arts.append(art)
        pts = [Part(x["number"], x["label"], x["title"], x["start"], x["end"]) for x in parts.get((d,), [])]
        assign_parts(pts, chs, arts)
        reg = Regulation(text=row["text"], chapters=chs, articles=arts, parts=pts, body_start=row["body_start"],
                         body_end=row["body_end"], doc_id=row["doc_id"], repealed=list(row["repealed"] or []),
                         warnings=[ParseWarning.from_dict(w) for w in row["warnings"] or []],
                         numbering=row["numbering"], source=row["source"],
                         position=row["position"], encoding=row["encoding"], offset=row["offset"],
                         normalized=sources.get(row["source_index"]),
                         revisions=[Revision(r["date"], r["kind"], r["body"], r["text"])
                                    for r in row.get("revisions") or []],
                         **{k: row[k] for k in _DOC_META})
        regs.append(reg)
    return regs, meta


__all__ = ["FORMAT", "load_regulations", "save_corpus"]
