"""Metadata of a parsed document: title, jurisdiction, level, status, dates, repealed acts."""
from __future__ import annotations

import datetime as dt
import re

from . import regexes as rx
from .models import ParseWarning, Regulation

_NOTE = re.compile(r"[（(][^（）()]{4,400}[）)]")


def fill_metadata(reg: Regulation) -> None:
    """Infer what the text says about itself; values already set (from a manifest) are kept."""
    front = reg.front_matter
    body = reg.text[reg.body_start:reg.body_end]
    if reg.title is None:
        reg.title = find_title(front)
    note = _adoption_note(front)
    dates = _note_dates(note) if note else {}
    if reg.adopted is None:
        reg.adopted = dates.get("adopted")
    if reg.approved is None:
        reg.approved = dates.get("approved")
    draft = bool(rx.PLACEHOLDER_DATE.search(body) or (reg.title and rx.DRAFT_MARK.search(reg.title))
                 or rx.DRAFT_MARK.search(front[-200:]))
    if reg.effective is None:
        m = None
        for m in rx.EFFECTIVE.finditer(body):
            pass  # the last commencement clause is the regulation's own
        if m is not None and m.group("y"):
            reg.effective = _date(m)
    if reg.status is None:
        reg.status = "draft" if draft else "final"
    if not reg.repealed:
        reg.repealed = [m.group("title") for m in rx.REPEALED.finditer(body)]
    if reg.jurisdiction is None:
        from .gazetteer import infer_jurisdiction

        name, level = infer_jurisdiction(reg.title, reg.text)
        reg.jurisdiction = name
        if reg.level is None:
            reg.level = level


def find_title(front: str) -> str | None:
    """The last title-like line before the body: a name ending in 条例/办法/规定/… with no sentence punctuation."""
    title = None
    for line in front.split("\n"):
        line = line.strip().strip("《》")
        if not line or len(line) > 60 or any(p in line for p in "，。；：,;"):
            continue
        if rx.BOILERPLATE_LINE.search(line) or rx.COMPILATION_HEADER.fullmatch(line):
            continue
        if rx.TITLE_SUFFIX.search(line) and not line.startswith(("关于批准", "批准")):
            title = line
    return title


def _adoption_note(front: str) -> str | None:
    """The last parenthesized note of the front matter that records adoption or approval."""
    notes = [m.group(0) for m in _NOTE.finditer(front) if re.search("通过|批准|公布|修正|修订", m.group(0))]
    return notes[-1] if notes else None


def _note_dates(note: str) -> dict[str, dt.date]:
    out: dict[str, dt.date] = {}
    matches = list(rx.DATE.finditer(note))
    for i, m in enumerate(matches):
        tail = note[m.end(): matches[i + 1].start() if i + 1 < len(matches) else len(note)]
        d = _date(m)
        if d is None:
            continue
        if "批准" in tail:
            out.setdefault("approved", d)
        elif "通过" in tail or "修订" in tail or "修正" in tail:
            # the first adoption; later 修正 dates are amendments
            out.setdefault("adopted", d)
    return out


def _date(m: re.Match) -> dt.date | None:
    try:
        return dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except (TypeError, ValueError):
        return None


def metadata_warnings(reg: Regulation) -> list[ParseWarning]:
    out = []
    if reg.title is None:
        out.append(ParseWarning("metadata", "no title line found"))
    if reg.jurisdiction is None and reg.numbering == "article":
        out.append(ParseWarning("metadata", "jurisdiction could not be inferred"))
    return out
