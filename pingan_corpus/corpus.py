"""Corpus: many regulations, their DataFrames, and loading a folder with its manifest."""
from __future__ import annotations

import csv
import datetime as dt
import html
import os
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd

from .errors import ManifestError, PinganError
from .models import Regulation
from .parse import TEXT_SUFFIXES, parse_file

MANIFEST_COLUMNS = ("file", "position", "doc_id", "title", "jurisdiction", "level", "status",
                    "adopted", "effective", "source_notes")
_META = ("title", "jurisdiction", "level", "status", "adopted", "approved", "effective")
SUMMARY_COLUMNS = ["doc_id", "title", "jurisdiction", "level", "status", "adopted", "approved", "effective",
                   "chapters", "articles", "items", "warnings", "encoding", "source", "position"]
_LEVELS = {"province", "autonomous_region", "municipality", "city", None}


def _chapter_titles(reg: Regulation) -> dict[int, str]:
    """Chapter title by article (by object: chapter numbers restart in each 编)."""
    return {id(a): c.title for c in reg.chapters for a in c.articles}


def _part_numbers(reg: Regulation) -> dict[int, int]:
    return {id(a): p.number for p in reg.parts for a in p.articles}


def articles_frame(regs: Iterable[Regulation]) -> pd.DataFrame:
    """One row per article: doc_id, article_no, heading, chapter_no, chapter_title, text, and more."""
    rows = []
    for reg in regs:
        titles, parts = _chapter_titles(reg), _part_numbers(reg)
        for a in reg.articles:
            rows.append({
                "doc_id": reg.doc_id, "article_no": a.number, "heading": a.heading,
                "chapter_no": a.chapter, "chapter_title": titles.get(id(a)),
                "text": a.text, "label": a.label, "article_suffix": a.suffix, "section_no": a.section,
                "jurisdiction": reg.jurisdiction, "paragraphs": len(a.paragraphs), "items": len(a.items),
                "warnings": len(a.warnings), "start": a.start, "end": a.end, "part_no": parts.get(id(a)),
            })
    cols = ["doc_id", "article_no", "heading", "chapter_no", "chapter_title", "text", "label",
            "article_suffix", "section_no", "jurisdiction", "paragraphs", "items", "warnings", "start", "end",
            "part_no"]
    df = pd.DataFrame(rows, columns=cols)
    for c in ("chapter_no", "article_suffix", "section_no", "part_no"):
        df[c] = df[c].astype("Int64")
    return df


def paragraphs_frame(regs: Iterable[Regulation]) -> pd.DataFrame:
    rows = []
    for reg in regs:
        titles = _chapter_titles(reg)
        for a in reg.articles:
            for p in a.paragraphs:
                rows.append({"doc_id": reg.doc_id, "jurisdiction": reg.jurisdiction, "chapter_no": a.chapter,
                             "chapter_title": titles.get(id(a)),
                             "article_no": a.number, "heading": a.heading, "paragraph_no": p.number,
                             "text": p.text, "items": len(p.items)})
    df = pd.DataFrame(rows, columns=["doc_id", "jurisdiction", "chapter_no", "chapter_title", "article_no",
                                     "heading", "paragraph_no", "text", "items"])
    df["chapter_no"] = df["chapter_no"].astype("Int64")
    return df


def items_frame(regs: Iterable[Regulation]) -> pd.DataFrame:
    """One row per item (项) and per sub-item (目; ``subitem_no`` set)."""
    rows = []
    for reg in regs:
        titles = _chapter_titles(reg)
        for a in reg.articles:
            for p in a.paragraphs:
                for it in p.items:
                    base = {"doc_id": reg.doc_id, "jurisdiction": reg.jurisdiction, "chapter_no": a.chapter,
                            "chapter_title": titles.get(id(a)),
                            "article_no": a.number, "heading": a.heading, "paragraph_no": p.number,
                            "item_no": it.number}
                    rows.append({**base, "subitem_no": None, "label": it.label, "text": it.text})
                    for sub in it.subitems:
                        rows.append({**base, "subitem_no": sub.number, "label": sub.label, "text": sub.text})
    df = pd.DataFrame(rows, columns=["doc_id", "jurisdiction", "chapter_no", "chapter_title", "article_no",
                                     "heading", "paragraph_no", "item_no", "subitem_no", "label", "text"])
    for c in ("chapter_no", "subitem_no"):
        df[c] = df[c].astype("Int64")
    return df


class Corpus:
    """A collection of regulations with unique doc_ids; DataFrames at the boundary."""

    def __init__(self, regulations: Iterable[Regulation]):
        self.docs: list[Regulation] = list(regulations)
        self.warnings: list[str] = []
        seen: dict[str, int] = {}
        for i, reg in enumerate(self.docs):
            if not reg.doc_id:
                reg.doc_id = f"doc-{i + 1:03d}"
            if reg.doc_id in seen:
                seen[reg.doc_id] += 1
                new = f"{reg.doc_id}-{seen[reg.doc_id]}"
                self.warnings.append(f"duplicate doc_id {reg.doc_id!r} renamed {new!r}")
                reg.doc_id = new
            else:
                seen[reg.doc_id] = 1
        self._index = {r.doc_id: r for r in self.docs}

    def __len__(self) -> int:
        return len(self.docs)

    def __iter__(self) -> Iterator[Regulation]:
        return iter(self.docs)

    def __getitem__(self, key: str | int) -> Regulation:
        if isinstance(key, int):
            return self.docs[key]
        try:
            return self._index[key]
        except KeyError:
            raise KeyError(f"no document {key!r} in the corpus; doc_ids: {', '.join(self._index)}") from None

    def __contains__(self, key: str) -> bool:
        return key in self._index

    @property
    def doc_ids(self) -> list[str]:
        return [r.doc_id for r in self.docs]

    @property
    def regulations(self) -> pd.DataFrame:
        """One row per document: metadata and counts."""
        return pd.DataFrame([r.summary() for r in self.docs], columns=SUMMARY_COLUMNS)

    @property
    def articles(self) -> pd.DataFrame:
        return articles_frame(self.docs)

    @property
    def paragraphs(self) -> pd.DataFrame:
        return paragraphs_frame(self.docs)

    @property
    def items(self) -> pd.DataFrame:
        return items_frame(self.docs)

    # -- alignment across the corpus ------------------------------------------------------
    def links(self) -> pd.DataFrame:
        """Every article link between every pair of documents (computed once, then cached)."""
        if getattr(self, "_links", None) is None:
            from .alignment import pairwise_links

            self._links = pairwise_links(self.docs)
        return self._links

    def similarity(self) -> pd.DataFrame:
        """Document × document share of aligned text (row doc's text found in the column doc)."""
        from .alignment import similarity

        return similarity(self.docs, self.links())

    def families(self, min_size: int = 2) -> pd.DataFrame:
        """Provision families: clusters of equivalent articles across documents, labelled."""
        from .alignment import provision_families

        return provision_families(self.docs, self.links(), min_size=min_size)

    def align_all(self, engine: str = "local", **kw):
        """Article links across a large corpus, found by blocking and computed in chunks,
        locally or on Dask (:func:`pingan_corpus.scale.align_all`: doc_a, article_a, doc_b,
        article_b, score, relation, method; ``complete=True`` for every pair, ``out=`` to
        write them to Parquet as they are scored)."""
        from .scale import align_all

        return align_all(self, engine=engine, **kw)

    def save(self, path: str | os.PathLike) -> Path:
        """Write the parsed corpus to a Parquet folder (:mod:`pingan_corpus.store`); see :meth:`load`."""
        from .store import save_corpus

        return save_corpus(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike) -> "Corpus":
        """A corpus saved by :meth:`save`, rebuilt without parsing."""
        from .store import load_saved_corpus

        return load_saved_corpus(path, cls=cls)

    def __repr__(self) -> str:
        return f"<Corpus: {len(self.docs)} documents, {sum(len(r.articles) for r in self.docs)} articles>"

    def _repr_html_(self) -> str:
        df = self.regulations[["doc_id", "title", "jurisdiction", "level", "status", "effective",
                               "chapters", "articles", "warnings"]]
        return (f"<div><b>Corpus</b>: {len(self.docs)} documents, "
                f"{int(df['articles'].sum()) if len(df) else 0} articles"
                f"{html.escape(' — ' + '; '.join(self.warnings)) if self.warnings else ''}"
                f"{df.to_html(index=False, na_rep='')}</div>")


def read_manifest(path: str | os.PathLike) -> pd.DataFrame:
    """Read manifest.csv (file, position, doc_id, title, jurisdiction, level, status, adopted, effective, …)."""
    p = Path(path)
    try:
        df = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError, csv.Error) as e:
        raise ManifestError(f"{p}: not a readable CSV: {e}") from None
    missing = {"file", "position"} - set(df.columns)
    if missing:
        raise ManifestError(f"{p}: missing column(s) {', '.join(sorted(missing))}")
    try:
        df["position"] = df["position"].replace("", "1").astype(int)
    except ValueError:
        raise ManifestError(f"{p}: 'position' must be a whole number (1 = first document of the file)") from None
    return df


def _apply_manifest(reg: Regulation, row: dict, manifest: Path) -> None:
    if row.get("doc_id"):
        reg.doc_id = row["doc_id"]
    for key in _META:
        value = row.get(key, "")
        if not value:
            continue
        if key in ("adopted", "approved", "effective"):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                raise ManifestError(f"{manifest}: {key} {value!r} of {reg.doc_id} is not an ISO date (YYYY-MM-DD)") from None
        if key == "level" and value not in _LEVELS:
            raise ManifestError(f"{manifest}: level {value!r} of {reg.doc_id} is not one of province, "
                                "autonomous_region, municipality, city")
        setattr(reg, key, value)


def load_corpus(directory: str | os.PathLike = "data/raw", manifest: str | os.PathLike | None = None) -> Corpus:
    """Parse every text file of a folder; metadata from its manifest.csv override what is inferred."""
    d = Path(directory)
    if not d.is_dir():
        raise PinganError(f"{d}: not a folder of regulations")
    mpath = Path(manifest) if manifest else d / "manifest.csv"
    rows: dict[tuple[str, int], dict] = {}
    if mpath.exists():
        for row in read_manifest(mpath).to_dict("records"):
            rows[(row["file"], int(row["position"]))] = row
    files = sorted(f for f in d.iterdir() if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES - {""}
                   and not f.name.startswith(".") and f.name.lower() != "readme.md")
    regs: list[Regulation] = []
    used = set()
    for f in files:
        for reg in parse_file(f):
            row = rows.get((f.name, reg.position))
            if row is not None:
                _apply_manifest(reg, row, mpath)
                used.add((f.name, reg.position))
            regs.append(reg)
    corpus = Corpus(regs)
    for key in sorted(set(rows) - used):
        corpus.warnings.append(f"manifest row {key[0]}#{key[1]} matches no parsed document")
    return corpus


__all__ = ["Corpus", "load_corpus", "read_manifest", "articles_frame", "paragraphs_frame", "items_frame"]
