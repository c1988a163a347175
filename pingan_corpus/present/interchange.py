"""Akoma Ntoso 3.0 XML of a regulation (the lossless JSON form is :meth:`Regulation.to_json`).

Text and attribute values go through :func:`xml_text`: a lone surrogate becomes U+FFFD (so the
text keeps its length and offsets), any other character XML 1.0 cannot hold (C0 controls but
TAB/LF/CR, U+FFFE, U+FFFF) is dropped: the output is always well-formed UTF-8 XML.

The header's events (``Regulation.revisions``) become ``lifecycle/eventRef``s (the first
adoption ``generation``, 修正/修订 ``amendment``) and ``workflow/step``s (every event, its kind as
outcome), each with a ``passiveRef`` naming the acting body.
"""
from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from ..readers.patterns import xml_text

if TYPE_CHECKING:  # pragma: no cover
    from ..models import Article, Chapter, Part, Regulation

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"


# -- Akoma Ntoso 3.0 ------------------------------------------------------------------------------


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    el = ET.SubElement(parent, f"{{{AKN_NS}}}{tag}",
                       {k: xml_text(v) for k, v in attrs.items() if v is not None})
    if text is not None:
        el.text = xml_text(text)
    return el


def _content(parent: ET.Element, text: str) -> None:
    _sub(_sub(parent, "content"), "p", text)


def _article_eid(a: Article, prefix: str) -> str:
    num = f"{a.number}" + (f"-{a.suffix}" if a.suffix else "")
    return f"{prefix}art_{num}"


def _article(parent: ET.Element, a: Article, prefix: str) -> None:
    eid = _article_eid(a, prefix)
    art = _sub(parent, "article", eId=eid)
    _sub(art, "num", a.label)
    if a.heading:
        _sub(art, "heading", a.heading)
    for p in a.paragraphs:
        pid = f"{eid}__para_{p.number}"
        para = _sub(art, "paragraph", eId=pid)
        if not p.items:
            _content(para, p.text)
            continue
        lst = _sub(para, "list", eId=f"{pid}__list_1")
        _sub(_sub(lst, "intro"), "p", p.lead_in)
        for it in p.items:
            point = _sub(lst, "point", eId=f"{pid}__point_{it.number}")
            _sub(point, "num", it.label)
            if not it.subitems:
                _content(point, it.text)
                continue
            inner = _sub(point, "list", eId=f"{pid}__point_{it.number}__list_1")
            first = it.subitems[0]
            _sub(_sub(inner, "intro"), "p", it.text.split(first.label, 1)[0])
            for s in it.subitems:
                sp = _sub(inner, "point", eId=f"{pid}__point_{it.number}__point_{s.number}")
                _sub(sp, "num", s.label)
                _content(sp, s.text)


def _chapter(body: ET.Element, c: Chapter, prefix: str = "") -> None:
    cid = f"{prefix}chp_{c.number}"
    chap = _sub(body, "chapter", eId=cid)
    _sub(chap, "num", c.label)
    _sub(chap, "heading", c.title)
    in_sections = {id(a) for s in c.sections for a in s.articles}
    for a in c.articles:  # articles before the first section sit directly in the chapter
        if id(a) not in in_sections:
            _article(chap, a, f"{cid}__")
    for s in c.sections:
        sid = f"{cid}__sec_{s.number}"
        sec = _sub(chap, "section", eId=sid)
        _sub(sec, "num", s.label)
        _sub(sec, "heading", s.title)
        for a in s.articles:
            _article(sec, a, f"{sid}__")


def _chapters_and_articles(parent: ET.Element, chapters: list[Chapter], articles: list[Article], prefix: str,
                           parts: list[Part] = ()) -> None:
    in_chapter = {id(a) for c in chapters for a in c.articles}
    loose = [a for a in articles if id(a) not in in_chapter]
    for _, kind, obj in sorted([(p.start, 0, p) for p in parts] + [(c.start, 1, c) for c in chapters]
                               + [(a.start, 2, a) for a in loose], key=lambda t: (t[0], t[1])):
        if kind == 0:
            pid = f"{prefix}part_{obj.number}"
            el = _sub(parent, "part", eId=pid)
            _sub(el, "num", obj.label)
            _sub(el, "heading", obj.title)
            _chapters_and_articles(el, obj.chapters, obj.articles, f"{pid}__")
        elif kind == 1:
            _chapter(parent, obj, prefix)
        else:
            _article(parent, obj, prefix)


def _frbr(meta: ET.Element, reg: Regulation) -> None:
    country = "cn"
    date = (reg.adopted or reg.effective or dt.date(1, 1, 1)).isoformat()
    name = re.sub(r"[^0-9A-Za-z_.-]+", "_", reg.doc_id or "regulation")
    work = f"/akn/{country}/act/{date}/{name}"
    ident = _sub(meta, "identification", source="#pingan_corpus")
    for level, uri in (("FRBRWork", work), ("FRBRExpression", f"{work}/zho@"),
                       ("FRBRManifestation", f"{work}/zho@/main.xml")):
        el = _sub(ident, level)
        _sub(el, "FRBRthis", value=uri if level != "FRBRWork" else f"{work}/main")
        _sub(el, "FRBRuri", value=uri)
        if level == "FRBRWork":
            _sub(el, "FRBRalias", value=reg.title or reg.doc_id, name="title")
        _sub(el, "FRBRdate", date=date, name="adoption" if reg.adopted else "generation")
        _sub(el, "FRBRauthor", href="#legislature" if level == "FRBRWork" else "#pingan_corpus")
        if level == "FRBRWork":
            _sub(el, "FRBRcountry", value=country)
            if reg.jurisdiction:
                _sub(el, "FRBRsubtype", value=reg.level or "local")
                _sub(el, "FRBRname", value=reg.jurisdiction)
        if level == "FRBRExpression":
            _sub(el, "FRBRlanguage", language="zho")
    _events(meta, reg)
    refs = _sub(meta, "references", source="#pingan_corpus")
    for i, r in enumerate(reg.revisions, start=1):
        _sub(refs, "passiveRef", eId=f"ro_{i}", href=f"{work}/event/{r.date.isoformat()}/{i}",
             showAs=r.body or r.text)
    for kind in dict.fromkeys(r.kind for r in reg.revisions):
        name = _PROCESS.get(kind, "event")
        _sub(refs, "TLCProcess", eId=name, href=f"/ontology/process/cn/{name}", showAs=kind)
    _sub(refs, "TLCOrganization", eId="pingan_corpus", href="/ontology/organization/pingan_corpus",
         showAs="pingan_corpus")
    _sub(refs, "TLCOrganization", eId="legislature", href="/ontology/organization/cn/legislature",
         showAs=(reg.jurisdiction or "") + "人民代表大会常务委员会")


_AMENDMENTS = ("修正", "修订")
_PROCESS = {"通过": "adoption", "批准": "approval", "修正": "amendment", "修订": "revision",
            "公布": "promulgation", "施行": "commencement"}


def _events(meta: ET.Element, reg: Regulation) -> None:
    """lifecycle (adoption and amendments) and workflow (every dated event of the header)."""
    if not reg.revisions:
        return
    life = [(i, r) for i, r in enumerate(reg.revisions, start=1) if r.kind == "通过" or r.kind in _AMENDMENTS]
    if life:
        lifecycle = _sub(meta, "lifecycle", source="#pingan_corpus")
        for n, (i, r) in enumerate(life):
            _sub(lifecycle, "eventRef", eId=f"evt_{i}", date=r.date.isoformat(), source=f"#ro_{i}",
                 type="generation" if n == 0 else "amendment")
    workflow = _sub(meta, "workflow", source="#pingan_corpus")
    for i, r in enumerate(reg.revisions, start=1):
        _sub(workflow, "step", eId=f"stp_{i}", date=r.date.isoformat(),
             outcome=f"#{_PROCESS.get(r.kind, 'event')}", refersTo=f"#ro_{i}")


def to_akn(reg: Regulation) -> str:
    """Akoma Ntoso 3.0 XML: act → part → chapter → section → article → paragraph → list/point, with FRBR
    metadata and hierarchical eIds (``chp_1__art_3__para_2__point_1``)."""
    ET.register_namespace("", AKN_NS)
    root = ET.Element(f"{{{AKN_NS}}}akomaNtoso")
    act = _sub(root, "act", name="regulation", contains="originalVersion" if reg.status != "draft" else "singleVersion")
    _frbr(_sub(act, "meta"), reg)
    if reg.title:
        _sub(_sub(_sub(act, "preface"), "p", **{"class": "title"}), "docTitle", reg.title)
    body = _sub(act, "body")
    # parts, chapters and the articles outside them, in text order
    in_part = {id(x) for p in reg.parts for x in (*p.chapters, *p.articles)}
    _chapters_and_articles(body, [c for c in reg.chapters if id(c) not in in_part],
                           [a for a in reg.articles if id(a) not in in_part], "", reg.parts)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


__all__ = ["AKN_NS", "to_akn", "xml_text"]
