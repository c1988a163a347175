"""Metadata of a parsed document: title, jurisdiction, level, status, dates, repealed acts.

The dated events of the header (``Regulation.revisions``) are read from the front matter in
the forms Chinese legislation is published in:

- one event per line, unparenthesised: ``2008年12月19日 北京市第十三届人民代表大会常务委员会第八次会议通过``;
- the classic note ``（2004年7月29日…会议通过　2004年9月24日…会议批准）``;
- several events on one line, separated by spaces, 根据 or nothing at all, a stray ``）`` after the last;
- amendments ``…会议《关于修改…的决定》第一次修正`` (a 通过 inside such a clause is the 决定's, not an
  adoption), revisions ``第二次修订``, promulgation ``…公告第39号公布`` and commencement ``…施行``;
- a 决定's title wrapped onto the next line.

Every event starts with a date; a clause runs to the next date (outside 《》) and its kind is the act
that closes it. A note under the title of a resolution or decision (``…关于批准《X条例》的决议``) dates
that act and is left out, unless that title is the regulation's own.
"""
from __future__ import annotations

import datetime as dt
import re

from ..models import ParseWarning, Regulation, Revision
from . import regexes as rx

_NOTE = re.compile(r"[（(][^（）()]{4,400}[）)]")
_SPACE = " \t　\xa0"
_KINDS = {"修改": "修正", "发布": "公布", "实施": "施行"}


def fill_metadata(reg: Regulation) -> None:
    """Infer what the text says about itself; values already set (from a manifest) are kept."""
    front = reg.front_matter
    body = reg.text[reg.body_start:reg.body_end]
    if reg.title is None:
        reg.title = find_title(front)
    if not reg.revisions:
        reg.revisions = header_events(front, reg.title)
    if reg.adopted is None:
        reg.adopted = adoption_date(reg.revisions)
    if reg.approved is None:
        reg.approved = next((r.date for r in reg.revisions if r.kind == "批准"), None)
    draft = bool(_placeholder_date(body) or (reg.title and rx.DRAFT_MARK.search(reg.title))
                 or rx.DRAFT_MARK.search(front[-200:]))
    if reg.effective is None:
        m = None
        for m in rx.EFFECTIVE.finditer(body):  # noqa: B007 - the last commencement clause is the regulation's own
            pass
        if m is not None and m.group("y"):
            reg.effective = _date(m)
    if reg.effective is None:
        reg.effective = next((r.date for r in reversed(reg.revisions) if r.kind == "施行"), None)
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


def _placeholder_date(body: str) -> bool:
    """Whether ``body`` has a date left blank (20xx年, x月x日, 年月日起施行)."""
    return bool((any(c in body for c in rx.PLACEHOLDER_MARKS) and rx.PLACEHOLDER_DATE.search(body))
                or rx.BLANK_DATE.search(body))


def adoption_date(revisions: list[Revision]) -> dt.date | None:
    """The first 通过; a header that opens with a 修订 (and has no 通过) dates the text by that revision."""
    first = next((r.date for r in revisions if r.kind == "通过"), None)
    if first is None and revisions and revisions[0].kind == "修订":
        return revisions[0].date
    return first


# -- title --------------------------------------------------------------------------------------
def _marked(text: str) -> bool:
    """Whether ``text`` may hold rx.TITLE_MARKUP (a search for one character is many times faster
    than the pattern's, run on each line)."""
    return any(c in text for c in rx.TITLE_MARKUP_CHARS)


def _unmarked(line: str, marked: bool) -> str:
    """``line`` without rx.TITLE_MARKUP (``marked``: whether its text may hold some, see _marked)."""
    return rx.TITLE_MARKUP.sub("", line) if marked else line


def _title_lines(front: str) -> list[str]:
    """Lines of the front matter, markup stripped, a line with an unclosed 《 joined with the next."""
    out: list[str] = []
    pending = ""
    marked = _marked(front)
    for raw in front.split("\n"):
        line = _unmarked(raw, marked).strip()
        if pending:
            line = pending + line
            pending = ""
        if line.count("《") > line.count("》") and len(line) <= 60:
            pending = line
            continue
        out.append(line)
    if pending:
        out.append(pending)
    return out


def find_title(front: str) -> str | None:
    """The last title-like line before the body: a name ending in 条例/办法/规定/… with no sentence punctuation.

    A title written over two lines (``北京市实施《中华人民共和国`` / ``反恐怖主义法》办法``) is joined.
    """
    title = None
    for line in _title_lines(front):
        line = line.strip("《》").strip() if line.startswith("《") and line.endswith("》") else line
        history = rx.TITLE_THEN_HISTORY.match(line)
        if history:  # the text flattened: its history on the title line
            line = history["title"]
        if not line or len(line) > 60 or any(p in line for p in "，。；：,;"):
            continue
        if rx.BOILERPLATE_LINE.search(line) or rx.COMPILATION_HEADER.fullmatch(line):
            continue
        if rx.TITLE_SUFFIX.search(line) and not line.startswith(("关于批准", "批准")):
            title = line
    return title


# -- header events ------------------------------------------------------------------------------
def header_events(front: str, title: str | None = None) -> list[Revision]:
    """Every dated event of the header, in the order written (see the module docstring)."""
    out: list[Revision] = []
    for region in _event_regions(front, title):
        out.extend(_clauses(region))
    return out


def _is_other_act(heading: str | None, title: str | None) -> bool:
    """A heading that is the title of a resolution/decision other than the regulation itself."""
    if not heading:
        return False
    heading = rx.TITLE_MARKUP.sub("", heading).strip().strip("《》")
    return bool(rx.RESOLUTION_TITLE.search(heading)) and heading != title


def _event_regions(front: str, title: str | None) -> list[str]:
    """Spans of the front matter that hold dated events: date lines (with wrapped continuation lines)
    and parenthesised notes opening with a date."""
    marked = _marked(front)
    lines = [_unmarked(line, marked) for line in front.split("\n")]
    regions: list[str] = []
    heading: str | None = None  # the last line that is not a date line: whose events these are
    i = 0
    while i < len(lines):
        line = lines[i].strip(_SPACE)
        if not line:
            i += 1
            continue
        flat = rx.TITLE_THEN_HISTORY.match(line)
        if flat and not line[flat.end("title"):].lstrip(_SPACE).startswith("（"):
            # a text flattened to one line: its title, then its history with no line break between
            heading, line = flat["title"], line[flat.end("title"):].strip(_SPACE)
        if rx.HEADER_EVENT_START.match(line):
            block, j = line, i
            # a 决定's title wrapped onto the next line: join while a 《 is open
            while (block.count("《") > block.count("》") and j + 1 < len(lines) and lines[j + 1].strip(_SPACE)
                   and not rx.HEADER_EVENT_START.match(lines[j + 1].strip(_SPACE))):
                j += 1
                block += lines[j].strip(_SPACE)
            if not _is_other_act(heading, title):
                regions.append(block)
            i = j + 1
            continue
        for note in _NOTE.finditer(line):
            inner = note.group(0)[1:-1]
            if not rx.HEADER_EVENT_START.match(inner):
                continue
            before = line[:note.start()].strip(_SPACE)
            if not _is_other_act(before or heading, title):
                regions.append(inner)
        heading = line
        i += 1
    return regions


def _top_level_dates(region: str) -> list[re.Match]:
    """Dates outside 《》 (a date inside a 决定's title does not start a clause)."""
    depth, marks = 0, []
    for ch in region:
        depth += ch == "《"
        depth -= ch == "》" and depth > 0
        marks.append(depth)
    return [m for m in rx.DATE.finditer(region) if marks[m.start()] == 0]


def _clauses(region: str) -> list[Revision]:
    out: list[Revision] = []
    dates = _top_level_dates(region)
    for k, m in enumerate(dates):
        end = dates[k + 1].start() if k + 1 < len(dates) else len(region)
        clause = rx.HEADER_CLAUSE_TAIL.sub("", region[m.start():end])
        rev = _revision(m, clause)
        if rev is not None:
            out.append(rev)
    return out


def _revision(m: re.Match, clause: str) -> Revision | None:
    date = _date(m)
    kind_m = rx.HEADER_EVENT_KIND.search(clause)
    if date is None or kind_m is None or kind_m.start() < m.end() - m.start():
        return None
    kind = kind_m.group("amend") or kind_m.group("act")
    kind = _KINDS.get(kind, kind)
    rest = clause[m.end() - m.start():kind_m.start()].strip(_SPACE)
    if kind == "施行":  # 公布施行 / 批准施行: the act is the promulgation or approval, in force that day
        prev = rx.HEADER_EVENT_KIND.search(rest)
        if prev is not None and prev.group("act") in ("公布", "发布", "批准"):
            kind = _KINDS.get(prev.group("act"), prev.group("act"))
            rest = rest[:prev.start()]
    return Revision(date=date, kind=kind, body=_body(rest), text=clause.strip(_SPACE))


def _body(rest: str) -> str | None:
    """The acting body as written; the 决定's title when the clause names nothing else."""
    rest = rest.strip(_SPACE).lstrip("起经由于在").strip(_SPACE)
    if "《" in rest:
        before = rx.HEADER_BODY_TAIL.sub("", rest[:rest.index("《")]).strip(_SPACE)
        if before:
            return before
        start, depth = rest.index("《"), 0
        for i in range(start, len(rest)):
            depth += (rest[i] == "《") - (rest[i] == "》")
            if depth == 0:
                return rest[start + 1:i] or None
        return rest[start + 1:] or None
    return rest or None


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
