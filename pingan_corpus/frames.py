"""DataFrames of regulation trees: one row per article, per paragraph (款), per item (项) and sub-item (目)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from .models import Regulation


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


__all__ = ["articles_frame", "items_frame", "paragraphs_frame"]
