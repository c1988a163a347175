"""The document tree: Regulation → (Part →) Chapter → (Section →) Article → Paragraph → Item → SubItem,
with the warnings and dated events recorded on it, and its lossless JSON form.

Offsets (``start``/``end``) are character offsets into the regulation's normalized text
(``Regulation.text``); ``Regulation.source_span`` maps them back into the decoded source file.

JSON schema ``pingan_corpus.regulation/1`` (:meth:`Regulation.to_dict`)::

    {"schema": "pingan_corpus.regulation/1",
     "doc_id", "title", "jurisdiction", "level", "status", "numbering", "source", "encoding": str|null,
     "position", "offset", "body_start", "body_end": int,
     "adopted", "approved", "effective": "YYYY-MM-DD"|null, "repealed": [str],
     "revisions": [{"date": "YYYY-MM-DD", "kind", "body"|null, "text"}],   (absent in older files: [])
     "warnings": [{"code"|null, "message", "article"}],
     "text": str,
     "parts": [{"number", "label", "title", "start", "end"}],   (编; what each holds follows from the spans)
     "chapters": [{"number", "label", "title", "start", "end",
                   "articles": [[number, suffix|null], …],
                   "sections": [{"number", "label", "title", "start", "end", "articles": [[n, s], …]}]}],
     "articles": [{"number", "suffix", "label", "heading", "chapter", "section", "start", "end",
                   "warnings": […],
                   "paragraphs": [{"number", "text", "start", "end",
                                   "items": [{"number", "label", "text", "start", "end",
                                              "subitems": [{"number", "label", "text", "start", "end"}]}]}]}]}

Lone surrogates (U+D800–U+DFFF, which no UTF-8 file can hold) are replaced with U+FFFD, one for
one so that offsets hold: ``to_json`` writes them so, and ``from_json``/``from_dict`` repair a
document holding them (from ``\\ud800`` escapes) and record a ``mojibake`` warning, as the
parser does for such a text.

Not kept: the map back into the original source file (``Regulation.normalized``); a regulation
read from JSON answers ``source_span`` within its normalized text only.
"""
from __future__ import annotations

import bisect
import datetime as dt
import html
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import ArgumentError, ParseError, UnknownNameError
from .readers.patterns import LONE_SURROGATE

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .parse.normalize import NormalizedText


class ParseWarning(str):
    """A warning recorded on a regulation or article: a ``str`` with a machine-readable ``code``.

    Codes: ``mojibake``, ``numbering_gap``, ``numbering_duplicate``, ``numbering_order``,
    ``lost_heading``, ``duplicate_toc``, ``truncated``, ``empty_list``, ``empty_article``,
    ``encoding``, ``metadata``, ``segment``, ``format`` (what a file reader noticed).
    """

    code: str
    article: int | None

    def __new__(cls, code: str, message: str, article: int | None = None) -> ParseWarning:
        obj = super().__new__(cls, f"{code}: {message}")
        obj.code = code
        obj.article = article
        return obj

    def __reduce__(self):  # keep code and article through pickling (multiprocessing, dask)
        return (ParseWarning, (self.code, self.message, self.article))

    @property
    def message(self) -> str:
        return str(self)[len(self.code) + 2:]

    @staticmethod
    def to_dict(w: ParseWarning | str) -> dict:
        """{"code", "message", "article"} — the one serialised form (JSON, Parquet); a plain str has code None."""
        if isinstance(w, ParseWarning):
            return {"code": w.code, "message": w.message, "article": w.article}
        return {"code": None, "message": str(w), "article": None}

    @staticmethod
    def from_dict(d: dict) -> ParseWarning | str:
        return ParseWarning(d["code"], d["message"], d.get("article")) if d.get("code") else d["message"]


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
    # (a list made when first read: most articles have none, and a big file has a hundred thousand)
    warnings: list[ParseWarning] = None  # type: ignore[assignment]

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


class Deferred(tuple):
    """A field's value made when the field is first read (an article's paragraphs: building them is
    most of a parse, and a reader of titles, counts or metadata never needs them): a function and
    its arguments, as one tuple (lighter than a closure, or an object holding a tuple)."""

    __slots__ = ()

    def __new__(cls, make, *args) -> Deferred:
        return tuple.__new__(cls, (make, *args))

    def make(self):
        return self[0](*self[1:])


def _deferrable(cls: type, name: str) -> None:
    """Let the slot ``name`` of ``cls`` hold a :class:`Deferred`: reading it makes and keeps the value,
    so every reader (equality, repr, pickling, copies, to_dict) sees the plain value."""
    slot = getattr(cls, name)

    def get(self):
        value = slot.__get__(self, cls)
        if type(value) is Deferred:
            value = value.make()
            slot.__set__(self, value)
        return value

    setattr(cls, name, property(get, slot.__set__, doc=f"{cls.__name__}.{name} (made on first reading)"))


_deferrable(Article, "paragraphs")


def _list_when_read(cls: type, name: str) -> None:
    """Let the slot ``name`` of ``cls`` hold None until first read: reading it makes an empty list."""
    slot = getattr(cls, name)

    def get(self):
        value = slot.__get__(self, cls)
        if value is None:
            value = []
            slot.__set__(self, value)
        return value

    setattr(cls, name, property(get, slot.__set__, doc=f"{cls.__name__}.{name} (a list, made on first reading)"))


_list_when_read(Article, "warnings")


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


def assign_parts(parts: list[Part], chapters: list[Chapter], articles: list[Article]) -> None:
    """Fill each part's chapters and articles with what follows its heading up to the next part
    (the parser, and trees read back from JSON or Parquet, which store the parts' spans only)."""
    starts = [p.start for p in parts]
    for p in parts:
        p.chapters, p.articles = [], []
    for units, attr in ((chapters, "chapters"), (articles, "articles")):
        for u in units:
            i = bisect.bisect_right(starts, u.start) - 1
            if i >= 0:
                getattr(parts[i], attr).append(u)
                if attr == "chapters":
                    u.part = parts[i].number


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
    normalized: NormalizedText | None = field(default=None, repr=False, compare=False)
    revisions: list[Revision] = field(default_factory=list)  # the header's dated events, in order written

    def __setattr__(self, name: str, value) -> None:
        # metadata set by hand (a doc_id from a file name, a title typed in) may hold a lone
        # surrogate, which no UTF-8 file, frame or XML can take: it becomes U+FFFD, with a warning
        if name in _METADATA_TEXT and isinstance(value, str) and LONE_SURROGATE.search(value):
            value = LONE_SURROGATE.sub("\ufffd", value)
            note = ParseWarning("mojibake", f"{name}: lone surrogate (U+D800–U+DFFF) replaced by U+FFFD")
            if "warnings" in self.__dict__:
                self.warnings.append(note)
            else:  # during __init__, before the warnings list exists
                self.__dict__.setdefault("_early_notes", []).append(note)
        object.__setattr__(self, name, value)

    def __post_init__(self) -> None:
        self.warnings.extend(self.__dict__.pop("_early_notes", ()))

    # -- matter around the provisions --------------------------------------------------------
    @property
    def front_matter(self) -> str:
        """Title, adoption notes, promulgation notice, 目录, site furniture before the first provision."""
        return self.text[: self.body_start]

    @property
    def back_matter(self) -> str:
        """Whatever follows the last provision (site furniture, related-article lists)."""
        return self.text[self.body_end:]

    @property
    def text_date(self) -> dt.date | None:
        """The date of the wording as it stands: the latest adoption, approval or amendment (or the
        date it took effect when nothing else is dated). Bodies are named as they stood on this date."""
        dates = [r.date for r in self.revisions if r.kind != "施行"] + [d for d in (self.adopted, self.approved) if d]
        return max(dates) if dates else self.effective

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
        raise UnknownNameError(f"{self.doc_id or 'regulation'} has no article {number}")

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

    # -- tables and interchange ---------------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """One row per article: doc_id, article_no, heading, chapter_no, chapter_title, text, …"""
        from .frames import articles_frame

        return articles_frame([self])

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of schema ``pingan_corpus.regulation/1`` (module docstring)."""
        def leaf(x, *fields) -> dict:
            return {f: getattr(x, f) for f in fields}

        out: dict[str, Any] = {"schema": SCHEMA}
        out.update({k: getattr(self, k) for k in _JSON_META})
        out.update({k: getattr(self, k).isoformat() if getattr(self, k) else None for k in _JSON_DATES})
        out["repealed"] = list(self.repealed)
        out["revisions"] = [{"date": r.date.isoformat(), "kind": r.kind, "body": r.body, "text": r.text}
                            for r in self.revisions]
        out["warnings"] = [ParseWarning.to_dict(w) for w in self.warnings]
        out["text"] = self.text
        out["parts"] = [leaf(p, "number", "label", "title", "start", "end") for p in self.parts]
        out["chapters"] = [{
            **leaf(c, "number", "label", "title", "start", "end"),
            "articles": [[a.number, a.suffix] for a in c.articles],
            "sections": [{**leaf(s, "number", "label", "title", "start", "end"),
                          "articles": [[a.number, a.suffix] for a in s.articles]} for s in c.sections],
        } for c in self.chapters]
        out["articles"] = [{
            **leaf(a, "number", "suffix", "label", "heading", "chapter", "section", "start", "end"),
            "warnings": [ParseWarning.to_dict(w) for w in a.warnings],
            "paragraphs": [{
                **leaf(p, "number", "text", "start", "end"),
                "items": [{**leaf(it, "number", "label", "text", "start", "end"),
                           "subitems": [leaf(s, "number", "label", "text", "start", "end") for s in it.subitems]}
                          for it in p.items],
            } for p in a.paragraphs],
        } for a in self.articles]
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Regulation:
        """Rebuild a regulation from :meth:`to_dict` output (articles shared by chapters and sections)."""
        if not isinstance(d, dict) or d.get("schema") != SCHEMA:
            found = d.get("schema") if isinstance(d, dict) else type(d).__name__
            raise ParseError(f"not a {SCHEMA} document (schema: {found!r})")
        try:
            return cls._from_dict(d)
        except (KeyError, TypeError, ValueError) as e:
            raise ParseError(f"damaged {SCHEMA} document ({type(e).__name__}: {e})") from None

    @classmethod
    def _from_dict(cls, d: dict[str, Any]) -> Regulation:
        d, repaired = repair_surrogates(d)
        reg = cls._build_from_dict(d)
        if repaired:
            reg.warnings.append(ParseWarning(
                "mojibake", f"{repaired} lone surrogate{'s' if repaired > 1 else ''} (U+D800–U+DFFF) "
                "replaced with U+FFFD"))
        return reg

    @classmethod
    def _build_from_dict(cls, d: dict[str, Any]) -> Regulation:
        articles = [Article(
            number=a["number"], label=a["label"], heading=a["heading"], chapter=a["chapter"],
            section=a["section"], start=a["start"], end=a["end"], suffix=a["suffix"],
            warnings=[ParseWarning.from_dict(w) for w in a["warnings"]],
            paragraphs=[Paragraph(
                number=p["number"], text=p["text"], start=p["start"], end=p["end"],
                items=[Item(number=i["number"], label=i["label"], text=i["text"], start=i["start"], end=i["end"],
                            subitems=[SubItem(**s) for s in i["subitems"]]) for i in p["items"]],
            ) for p in a["paragraphs"]],
        ) for a in d["articles"]]
        by_key = {(a.number, a.suffix): a for a in articles}
        chapters = [Chapter(
            number=c["number"], label=c["label"], title=c["title"], start=c["start"], end=c["end"],
            articles=[by_key[tuple(k)] for k in c["articles"]],
            sections=[Section(number=s["number"], label=s["label"], title=s["title"], start=s["start"],
                              end=s["end"], articles=[by_key[tuple(k)] for k in s["articles"]])
                      for s in c["sections"]],
        ) for c in d["chapters"]]
        parts = [Part(**p) for p in d.get("parts", [])]
        assign_parts(parts, chapters, articles)
        dates = {k: dt.date.fromisoformat(d[k]) if d.get(k) else None for k in _JSON_DATES}
        revisions = [Revision(date=dt.date.fromisoformat(r["date"]), kind=r["kind"], body=r.get("body"),
                              text=r.get("text", "")) for r in d.get("revisions") or []]
        return cls(text=d["text"], chapters=chapters, articles=articles, parts=parts, revisions=revisions,
                   repealed=list(d["repealed"]), warnings=[ParseWarning.from_dict(w) for w in d["warnings"]],
                   **{k: d[k] for k in _JSON_META if k not in ("body_start", "body_end")},
                   body_start=d["body_start"], body_end=d["body_end"], **dates)

    def to_json(self, indent: int | None = None) -> str:
        """Lossless JSON (schema ``pingan_corpus.regulation/1``, see the module docstring)."""
        return LONE_SURROGATE.sub("\ufffd", json.dumps(self.to_dict(), ensure_ascii=False, indent=indent))

    @classmethod
    def from_json(cls, data) -> Regulation:
        """Rebuild a regulation from :meth:`to_json` output (str, bytes or the parsed dict)."""
        if isinstance(data, dict):
            return cls.from_dict(data)
        try:
            return cls.from_dict(json.loads(data))
        except (json.JSONDecodeError, UnicodeDecodeError, TypeError) as e:
            raise ParseError(f"not JSON of a regulation ({type(e).__name__}: {e})") from None

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


# the metadata strings of a Regulation repaired when set (see Regulation.__setattr__)
_METADATA_TEXT = frozenset({"doc_id", "title", "jurisdiction", "level", "status", "source"})
"""A lone surrogate: a str can hold one (from a ``\\ud800`` JSON escape, a bad decoder), no UTF-8
file can. Every output replaces it with U+FFFD, one character for one."""


def repair_surrogates(obj) -> tuple[Any, int]:
    """``obj`` (JSON data: dicts, lists, str …) with lone surrogates replaced by U+FFFD, and how many."""
    if isinstance(obj, str):
        fixed, n = LONE_SURROGATE.subn("\ufffd", obj)
        return fixed, n
    if isinstance(obj, dict):
        total, out = 0, {}
        for k, v in obj.items():
            k, n1 = repair_surrogates(k)
            out[k], n2 = repair_surrogates(v)
            total += n1 + n2
        return (out, total) if total else (obj, 0)
    if isinstance(obj, list):
        total, out = 0, []
        for v in obj:
            v, n = repair_surrogates(v)
            out.append(v)
            total += n
        return (out, total) if total else (obj, 0)
    return obj, 0


def regulation_name(reg: Regulation) -> str:
    """A short human name for column headers: title, else jurisdiction + status, else doc_id."""
    if reg.title:
        return reg.title + ("（草案）" if reg.status == "draft" and "草案" not in reg.title else "")
    if reg.jurisdiction:
        return reg.jurisdiction + ("（草案）" if reg.status == "draft" else "")
    return reg.doc_id or "untitled"


# -- "a Regulation, a Corpus or a list of them" -----------------------------------------------------
Regulations = Regulation | Iterable[Regulation]
"""What the corpus-level functions accept: one Regulation, a Corpus, or any iterable of Regulations."""


def as_regulations(obj: Regulations) -> list[Regulation]:
    """The one converter of :data:`Regulations` into a list (a Corpus is an iterable of Regulations)."""
    if isinstance(obj, Regulation):
        return [obj]
    if isinstance(obj, (str, bytes)):
        raise ArgumentError("pass a Regulation, a Corpus or a list of Regulations "
                            "(pc.parse_text(text) turns raw text into a Regulation)")
    try:
        regs = list(getattr(obj, "docs", obj))
    except TypeError:
        raise ArgumentError(f"expected a Regulation, a Corpus or a list of Regulations, "
                            f"not {type(obj).__name__}") from None
    bad = next((r for r in regs if not isinstance(r, Regulation)), None)
    if bad is not None:
        raise ArgumentError(f"expected Regulation objects, found {type(bad).__name__}")
    return regs


SCHEMA = "pingan_corpus.regulation/1"
_JSON_META = ("doc_id", "title", "jurisdiction", "level", "status", "numbering", "source", "encoding",
              "position", "offset", "body_start", "body_end")
_JSON_DATES = ("adopted", "approved", "effective")
