"""The document tree: every dataclass of the library.

Offsets (``start``/``end``) are character offsets into the regulation's normalized text
(``Regulation.text``); ``Regulation.source_span`` maps them back into the decoded source file.
"""
from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .parse.normalize import NormalizedText


class ParseWarning(str):
    """A warning recorded on a regulation or article: a ``str`` with a machine-readable ``code``.

    Codes: ``mojibake``, ``numbering_gap``, ``numbering_duplicate``, ``numbering_order``,
    ``empty_list``, ``empty_article``, ``encoding``, ``metadata``, ``segment``, ``format``
    (what a reader for .docx/.html/.pdf noticed).
    """

    code: str
    article: int | None

    def __new__(cls, code: str, message: str, article: int | None = None) -> "ParseWarning":
        obj = super().__new__(cls, f"{code}: {message}")
        obj.code = code
        obj.article = article
        return obj

    def __reduce__(self):  # keep code and article through pickling (multiprocessing, dask)
        return (ParseWarning, (self.code, str(self).split(": ", 1)[1], self.article))


@dataclass(slots=True)
class SubItem:
    """目: a sub-item of an item, numbered 1. / 1、 / （1） / ①."""

    number: int
    label: str
    text: str
    start: int
    end: int


@dataclass(slots=True)
class Item:
    """项: an item of a paragraph, numbered （一） (or 1. where that is the first list level)."""

    number: int
    label: str
    text: str
    start: int
    end: int
    subitems: list[SubItem] = field(default_factory=list)


@dataclass(slots=True)
class Paragraph:
    """款: a paragraph of an article; ``text`` includes its items."""

    number: int
    text: str
    start: int
    end: int
    items: list[Item] = field(default_factory=list)

    @property
    def lead_in(self) -> str:
        """The text before the first item (the whole text when there are no items)."""
        if not self.items:
            return self.text
        first = self.items[0]
        return self.text.split(first.label, 1)[0] if first.label in self.text else self.text


@dataclass(slots=True)
class Article:
    """条: an article, or a numbered provision (一、 / 1、) of a document without 第X条."""

    number: int
    label: str
    heading: str | None
    chapter: int | None
    section: int | None
    paragraphs: list[Paragraph]
    start: int
    end: int
    suffix: int | None = None  # 之一 → 1: inserted articles sort between their neighbours
    warnings: list[ParseWarning] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The body: label and heading excluded, paragraphs joined by newlines."""
        return "\n".join(p.text for p in self.paragraphs)

    @property
    def key(self) -> tuple[int, int]:
        return (self.number, self.suffix or 0)

    @property
    def items(self) -> list[Item]:
        return [it for p in self.paragraphs for it in p.items]

    def __str__(self) -> str:
        head = f"【{self.heading}】" if self.heading else ""
        return f"{self.label}{head}{self.text}"


@dataclass(slots=True)
class Section:
    """节: a section of a chapter."""

    number: int
    label: str
    title: str
    start: int
    end: int
    articles: list[Article] = field(default_factory=list)


@dataclass(slots=True)
class Chapter:
    """章: a chapter; ``start``/``end`` cover its heading line."""

    number: int
    label: str
    title: str
    start: int
    end: int
    articles: list[Article] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    part: int | None = None  # the 编 it belongs to, in long regulations


@dataclass(slots=True)
class Part:
    """编: a part of a long regulation, above its chapters; ``start``/``end`` cover its heading
    line, ``chapters`` and ``articles`` (also those inside its chapters) what follows it."""

    number: int
    label: str
    title: str
    start: int
    end: int
    chapters: list[Chapter] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)


@dataclass(slots=True)
class Revision:
    """One dated event of the header: adoption, approval, amendment, revision, promulgation, commencement.

    ``kind`` is one of 通过 批准 修正 修订 公布 施行; ``body`` is the acting body as written (北京市第十三届人民代表大会
    常务委员会第八次会议), or the 决定's title when that is all the clause names, or None (2010年11月1日施行);
    ``text`` is the clause as written, from its date to its act.
    """

    date: dt.date
    kind: str
    body: str | None
    text: str


@dataclass
class Regulation:
    """One regulation (or draft, or rule): metadata, front/back matter and the tree of its provisions."""

    text: str
    chapters: list[Chapter]
    articles: list[Article]
    body_start: int
    body_end: int
    doc_id: str = ""
    title: str | None = None
    jurisdiction: str | None = None
    level: str | None = None
    status: str | None = None
    adopted: dt.date | None = None
    approved: dt.date | None = None
    effective: dt.date | None = None
    repealed: list[str] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    numbering: str = "article"  # "article" (第X条) or "provision" (一、 / 1、)
    source: str | None = None
    position: int = 1
    encoding: str | None = None
    offset: int = 0  # start of this document in the file's normalized text
    parts: list[Part] = field(default_factory=list)  # 编, when the regulation has them
    normalized: "NormalizedText | None" = field(default=None, repr=False, compare=False)
    revisions: list[Revision] = field(default_factory=list)  # the header's dated events, in order written

    # -- matter around the provisions --------------------------------------------------------
    @property
    def front_matter(self) -> str:
        """Title, adoption notes, promulgation notice, 目录, site furniture before the first provision."""
        return self.text[: self.body_start]

    @property
    def back_matter(self) -> str:
        """Whatever follows the last provision (site furniture, related-article lists)."""
        return self.text[self.body_end:]

    def units(self) -> Iterator[tuple[str, int, int]]:
        """Every span of the document in order, as (kind, start, end); together they cover ``text`` exactly."""
        yield "front_matter", 0, self.body_start
        heads = [("part", p.start, p.end) for p in self.parts]
        heads += [("chapter", c.start, c.end) for c in self.chapters]
        heads += [("section", s.start, s.end) for c in self.chapters for s in c.sections]
        arts = [("article", a.start, a.end) for a in self.articles]
        yield from sorted(heads + arts, key=lambda u: u[1])
        yield "back_matter", self.body_end, len(self.text)

    def article(self, number: int, suffix: int | None = None) -> Article:
        """The article with this number (first match); KeyError if absent."""
        for a in self.articles:
            if a.number == number and (a.suffix or None) == (suffix or None):
                return a
        raise KeyError(f"{self.doc_id or 'regulation'} has no article {number}")

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``text`` to character offsets in the decoded source file."""
        if self.normalized is None:
            return start, end
        return self.normalized.source_span(self.offset + start, self.offset + end)

    def source_text(self, start: int, end: int) -> str:
        """The original (un-normalized) text behind a span of ``text``."""
        if self.normalized is None:
            return self.text[start:end]
        s, e = self.source_span(start, end)
        return self.normalized.source[s:e]

    # -- tables ----------------------------------------------------------------------------
    def to_frame(self) -> "pd.DataFrame":
        """One row per article: doc_id, article_no, heading, chapter_no, chapter_title, text, …"""
        from .corpus import articles_frame

        return articles_frame([self])

    # -- interchange ---------------------------------------------------------------------------
    def to_json(self, indent: int | None = None) -> str:
        """Lossless JSON (schema ``pingan_corpus.regulation/1``, see ``pingan_corpus.interchange``)."""
        from .present.interchange import to_json

        return to_json(self, indent=indent)

    @classmethod
    def from_json(cls, data) -> "Regulation":
        """Rebuild a regulation from :meth:`to_json` output (str, bytes or the parsed dict)."""
        from .present.interchange import from_json

        return from_json(data)

    def to_akn(self) -> str:
        """Akoma Ntoso 3.0 XML with FRBR metadata and eIds such as ``chp_1__art_3__para_2__point_1``."""
        from .present.interchange import to_akn

        return to_akn(self)

    def summary(self) -> dict:
        return {
            "doc_id": self.doc_id, "title": self.title, "jurisdiction": self.jurisdiction,
            "level": self.level, "status": self.status, "adopted": self.adopted,
            "approved": self.approved, "effective": self.effective, "revisions": len(self.revisions),
            "chapters": len(self.chapters), "articles": len(self.articles),
            "items": sum(len(a.items) for a in self.articles), "warnings": len(self.warnings),
            "encoding": self.encoding, "source": self.source, "position": self.position,
        }

    def __repr__(self) -> str:
        name = self.title or self.doc_id or "untitled"
        return (f"<Regulation {name!s} [{self.jurisdiction or '?'}, {self.status or '?'}]: "
                f"{len(self.chapters)} chapters, {len(self.articles)} articles, {len(self.warnings)} warnings>")

    def _repr_html_(self) -> str:
        esc = html.escape
        meta = {k: v for k, v in self.summary().items() if v not in (None, "", [])}
        rows = "".join(f"<tr><th style='text-align:left'>{esc(str(k))}</th><td>{esc(str(v))}</td></tr>"
                       for k, v in meta.items())
        chap = "".join(
            f"<li>{esc(c.label)} {esc(c.title)} — {len(c.articles)} 条</li>" for c in self.chapters)
        arts = "".join(
            f"<li><b>{esc(a.label)}</b>{'【' + esc(a.heading) + '】' if a.heading else ''} "
            f"{esc(a.text[:80])}{'…' if len(a.text) > 80 else ''}</li>" for a in self.articles[:5])
        warn = "".join(f"<li>{esc(w)}</li>" for w in self.warnings[:10])
        more = f"<li>… {len(self.warnings) - 10} more</li>" if len(self.warnings) > 10 else ""
        return (f"<div><h4>{esc(self.title or self.doc_id or 'untitled regulation')}</h4>"
                f"<table>{rows}</table>"
                + (f"<p>Chapters</p><ul>{chap}</ul>" if chap else "")
                + f"<p>First articles</p><ul>{arts}</ul>"
                + (f"<p>Warnings</p><ul>{warn}{more}</ul>" if warn else "") + "</div>")


def regulation_name(reg: Regulation) -> str:
    """A short human name for column headers: title, else jurisdiction + status, else doc_id."""
    if reg.title:
        return reg.title + ("（草案）" if reg.status == "draft" and "草案" not in reg.title else "")
    if reg.jurisdiction:
        return reg.jurisdiction + ("（草案）" if reg.status == "draft" else "")
    return reg.doc_id or "untitled"


@dataclass
class ClauseDiff:
    """A clause-by-clause comparison (条文对照表) of regulation ``a`` with regulation ``b``.

    ``frame`` has one row per link or unmatched article, in reading order (b's order, with
    articles only in a placed after their nearest preceding a-neighbour); see ``pc.compare``.
    """

    a: Regulation
    b: Regulation
    frame: "pd.DataFrame"

    @property
    def a_name(self) -> str:
        return regulation_name(self.a)

    @property
    def b_name(self) -> str:
        return regulation_name(self.b)

    def summary(self) -> "pd.DataFrame":
        """Counts by relation and the share of each side's text that was reused."""
        from .align.pairs import diff_summary

        return diff_summary(self)

    def units(self) -> "pd.DataFrame":
        """Paragraph- and item-level correspondence for every linked article pair (one table)."""
        import pandas as pd

        from .align.pairs import align_units

        by_label_a = {x.label: x for x in self.a.articles}
        by_label_b = {x.label: x for x in self.b.articles}
        parts = []
        for row in self.frame.itertuples():
            if row.a_label and row.b_label:
                u = align_units(by_label_a[row.a_label], by_label_b[row.b_label])
                u.insert(0, "b_article", row.b_article)
                u.insert(0, "a_article", row.a_article)
                parts.append(u)
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()

    def _repr_html_(self) -> str:
        from .present.tables import clause_diff_html

        return clause_diff_html(self, standalone=False)

    def to_html(self, path) -> None:
        """One standalone HTML page (inline CSS, no scripts from the network)."""
        from .present.tables import write_html

        write_html(self, path)

    def to_excel(self, path) -> None:
        """An .xlsx workbook (openpyxl): coloured rich-text runs, frozen header, a summary sheet."""
        from .present.tables import write_excel

        write_excel(self, path)

    def to_docx(self, path) -> None:
        """A Word 条文对照表 (python-docx): landscape, three columns A | B | 说明, changes marked."""
        from .present.tables import write_docx

        write_docx(self, path)

    def __repr__(self) -> str:
        counts = self.frame["relation"].value_counts().to_dict() if len(self.frame) else {}
        return f"<ClauseDiff {self.a_name} → {self.b_name}: {counts}>"


@dataclass
class Coverage:
    """Which of the reference's provisions each other regulation has (``pc.compare_many``)."""

    reference: Regulation
    frame: "pd.DataFrame"    # cells: matched article labels with scores, "" when none
    scores: "pd.DataFrame"   # best score per cell, NaN when none
    links: "pd.DataFrame"    # long form: reference_article, doc_id, jurisdiction, article_no, score, relation

    def plot(self, ax=None, title: str | None = None):
        """Heatmap of ``scores`` (grey = no counterpart); returns the Axes."""
        from .present.plots import coverage_heatmap

        return coverage_heatmap(self.scores, ax=ax,
                                title=title or f"{regulation_name(self.reference)}：条文覆盖")

    def _repr_html_(self) -> str:
        return self.frame._repr_html_()

