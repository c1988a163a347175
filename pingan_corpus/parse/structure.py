"""Step 3: one normalized document → chapters, sections, articles, paragraphs, items, sub-items.

Rules come from how Chinese legislation is written:
- an article label 第X条 starts an article only at a line start or after sentence-final
  punctuation, and only where the numbering continues (so 依照本条例第十二条 never does);
- parts (编, long regulations), chapters (章) and sections (节) are headings on lines of their
  own; a run of such headings before the first article that restarts at 第一 is a table of
  contents; chapters may restart at 第一章 in each part;
- an article's heading follows its label in 【】 〔〕 [] or （）, or stands alone on the label's line;
- a new line starts a new paragraph (款) unless the previous line stopped mid-sentence;
- list marks rank （一） > 一、 > 1. / 1、 > （1） > ①; the first level found in a paragraph is
  its items (项), the next one inside an item its sub-items (目);
- documents with no 第X条 are numbered 一、 or 1、 / 1. at line starts: those become the provisions.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from typing import NamedTuple

from ..errors import ParseError
from ..models import Article, Chapter, Deferred, Item, Paragraph, ParseWarning, Part, Section, SubItem, assign_parts
from ..numerals import parse_numeral, to_chinese
from . import regexes as rx
from .labels import Labels, find_labels, shared

_SENTENCE_END = "。；！？：:;!?…”’」』"
_LIST_RANK = ("paren_cn", "cn", "arabic", "paren_arabic", "circled")
_KIND_CHAR = {"part": "编", "chapter": "章", "section": "节"}
_KIND_NAME = {v: k for k, v in _KIND_CHAR.items()}
_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}
# the first character of every list mark of rx.ITEM_MARKS (（ or ( , a Chinese or Arabic digit, ①…⑳),
# and one where a list mark may start after the range's first character (see _list_candidates):
# a range without either holds no list, and its items are not looked for style by style
_MARK_FIRST = frozenset("（(0123456789０１２３４５６７８９" + rx.CN_DIGITS + "".join(_CIRCLED))
# (searched for in the range alone: most articles' paragraphs are made when first read, and the
# pattern's scan of a whole document would cost more than the ranges a parse reads)
_MARK_AFTER = re.compile(f"[\n：；。:; ][{''.join(sorted(_MARK_FIRST))}]")


@dataclass
class ParsedBody:
    chapters: list[Chapter]
    articles: list[Article]
    body_start: int
    body_end: int
    numbering: str
    warnings: list[ParseWarning] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)


class _Mark(NamedTuple):
    kind: str  # part | chapter | section | article
    start: int
    end: int  # end of the label (articles) or of the heading line (chapters, sections)
    number: int
    label: str
    title: str = ""
    suffix: int | None = None


# a _Mark (or a Deferred) made from all its fields at once, without the Python frame of its class's
# __new__ (a document has as many article marks, and deferred paragraphs, as articles)
_new = tuple.__new__


_START = attrgetter("start")


def _line_end(text: str, pos: int) -> int:
    e = text.find("\n", pos)
    return len(text) if e < 0 else e + 1


# -- headings ------------------------------------------------------------------------------------
def _heading_lines(text: str, headings: list[tuple[int, str]]) -> dict[str, list[int]]:
    """For each kind 编/章/节, the starts of the lines that open (after spaces) with the 第 of a
    heading of that kind (Labels.headings): the only places rx.PART, rx.CHAPTER, rx.SECTION (a line
    of its own) can match."""
    lines: dict[str, list[int]] = {"编": [], "章": [], "节": []}
    for q, kind in headings:
        start = text.rfind("\n", 0, q) + 1
        if not text[start:q].strip(" "):
            lines[kind].append(start)
    return lines


def _heading_marks(text: str, pattern: re.Pattern, kind: str, lines: list[int]) -> list[_Mark]:
    """The headings ``pattern`` finds on ``lines`` (from _heading_lines)."""
    marks = []
    for m in filter(None, (pattern.match(text, pos) for pos in lines)):
        title = m.group("title").strip()
        # a heading is short and is not a sentence: 第三章第二节规定的… is a reference
        if len(title) > 30 or any(p in title for p in "，。；：,;") or title.startswith(("第", "规定", "的")):
            continue
        n = parse_numeral(m.group("num"))
        if n is None:
            continue
        label = f"第{m.group('num')}{_KIND_CHAR[kind]}"
        start = m.start() + len(m.group(0)) - len(m.group(0).lstrip(" "))
        end = _line_end(text, m.end())
        if not title:  # 第一章 on its own line, 总则 on the next
            nxt = text[end:_line_end(text, end)].strip()
            if _title_line(nxt):
                title, end = nxt, _line_end(text, end)
        marks.append(_Mark(kind, start, end, n, label, title))
    return marks


def _title_line(line: str) -> bool:
    """A short line that can only be a heading's title: no sentence, no label of its own."""
    return (0 < len(line) <= 15 and not any(p in line for p in "，。；：,;:、（）()")
            and not rx.ANY_LABEL.match(line))


# -- articles ------------------------------------------------------------------------------------
def _article_marks(text: str, warnings: list[ParseWarning], labels: Labels) -> tuple[list[_Mark], list[_Mark]]:
    """The article labels that start articles, and the headings glued to some of them.

    A label starts an article at a line start or after sentence-final punctuation. Out of
    sequence, it does only at a line start (with a warning). A label followed by what also
    follows references (第十七条 第三方…, 第九条 规定…) or glued to a heading on its line does only
    where the numbering continues — and a reference-like label gives way to a plain label of the
    same number further on.
    """
    cands = {lab.start: lab for lab in labels.articles}
    # a 第一条 mid-sentence counts only in a text whose 第一条 stands nowhere else (flattened to one line)
    flattened = not any(lab.number == 1 and not lab.anywhere and not lab.reference for lab in cands.values())
    if not flattened:
        cands = {k: lab for k, lab in cands.items() if not lab.anywhere}
    glued = {lab.start: (lab, heads) for lab, heads in labels.glued if flattened or not lab.anywhere}
    for start, (lab, _heads) in glued.items():
        if start not in cands or cands[start].reference or cands[start].anywhere:
            cands[start] = lab
    plain_later: dict[int, int] | None = None  # (made for the first reference-like label: most texts have none)
    accepted: list[_Mark] = []
    heads: list[_Mark] = []
    last: tuple[int, int] | None = None
    for start in sorted(cands):
        lab = cands[start]
        n, sub, label, line_start = lab.number, lab.suffix, lab.label, lab.line_start
        if lab.anywhere and (last is not None or lab.reference):
            continue
        if lab.reference or lab.glued:
            expected = 1 if last is None else last[0] + 1
            if sub is not None or n != expected or not (line_start or lab.glued):
                continue
            if lab.reference:
                if plain_later is None:
                    plain_later = _plain_later(cands.values())
                if plain_later.get(n, -1) > start:
                    continue  # 第十二条规定的… in a wrapped line: the real 第十二条 comes later
        mark = _new(_Mark, ("article", lab.start, lab.end, n, label, "", sub))
        if last is None:
            if n != 1 and not line_start:
                continue
            if n != 1:
                warnings.append(ParseWarning("numbering_gap", f"numbering starts at {label}: "
                                             f"{_article_range(1, n - 1)} missing before it", n))
        elif sub is not None:
            if not (n == last[0] and sub == last[1] + 1) and not line_start:
                continue
        elif n == last[0] + 1:
            pass
        elif not line_start:
            continue  # mid-line and out of sequence: an in-text reference
        elif n > last[0] + 1:
            warnings.append(ParseWarning(
                "numbering_gap", f"{label} follows 第{to_chinese(last[0])}条: {_article_range(last[0] + 1, n - 1)} "
                f"missing — deleted, or a lost label whose text is now inside 第{to_chinese(last[0])}条", n))
        elif n == last[0]:
            warnings.append(ParseWarning("numbering_duplicate", f"{label} appears twice", n))
        else:
            warnings.append(ParseWarning("numbering_order", f"{label} follows 第{to_chinese(last[0])}条: out of order", n))
        accepted.append(mark)
        last = (n, sub or 0)
        if lab.glued and start in glued:
            for kind, hn, title, hstart, hend in glued[start][1]:
                heads.append(_Mark(_KIND_NAME[kind], hstart, hend, hn, f"第{to_chinese(hn)}{kind}", title))
    return accepted, heads


def _plain_later(labels) -> dict[int, int]:
    """Number → position of the last plain line-start label of that number."""
    plain_later: dict[int, int] = {}
    for lab in labels:
        if lab.line_start and not lab.reference and lab.suffix is None:
            plain_later[lab.number] = max(plain_later.get(lab.number, -1), lab.start)
    return plain_later


def _after_one_of(starts: list[int], text: str, pos: int) -> bool:
    """Whether one of the sorted ``starts`` stands before ``pos`` on its line."""
    i = bisect_left(starts, text.rfind("\n", 0, pos) + 1)
    return i < len(starts) and starts[i] < pos


def _article_range(first: int, last: int) -> str:
    if first == last:
        return f"第{to_chinese(first)}条"
    return f"第{to_chinese(first)}条至第{to_chinese(last)}条"


def _provision_marks(text: str, warnings: list[ParseWarning]) -> tuple[list[_Mark], str]:
    """Provisions of a document without 第X条: 一、 or 1、 / 1. at line starts."""
    styles = []
    for style, pattern in (("cn", rx.PROVISION_CN), ("arabic", rx.PROVISION_ARABIC)):
        cands = [(m.start("label"), m.end(), parse_numeral(m.group("num")), m.group("label")) for m in pattern.finditer(text)]
        cands = [c for c in cands if c[2]]
        first_one = next((c[0] for c in cands if c[2] == 1), None)
        if first_one is not None:
            styles.append((first_one, style, cands))
    if not styles:
        return [], ""
    styles.sort()
    _, style, cands = styles[0]
    marks: list[_Mark] = []
    last = 0
    for start, end, n, label in cands:
        if start < styles[0][0]:
            continue
        if n == last + 1:
            pass
        elif n == 1 or n <= last or n > last + 3:
            continue  # a restarted list inside a provision, or a stray number
        else:
            warnings.append(ParseWarning("numbering_gap", f"provision {label} follows {last}: provisions missing", n))
        marks.append(_Mark("article", start, end, n, label))
        last = n
    return marks, style


# -- the document --------------------------------------------------------------------------------
def parse_body(text: str, labels: Labels | None = None) -> ParsedBody:
    """Parse one normalized document (``labels``: its candidate labels, when already found in the
    file it is part of). Raises ParseError when it holds no provision at all."""
    warnings: list[ParseWarning] = []
    labels = labels or find_labels(text)
    articles, glued_heads = _article_marks(text, warnings, labels)
    numbering = "article"
    if not articles:
        articles, _style = _provision_marks(text, warnings)
        numbering = "provision"
    if not articles:
        raise ParseError("no provision found: the text has no 第X条 articles and no numbered provisions (一、 / 1、)")
    first_article = articles[0].start
    heads: list[_Mark] = []
    if numbering == "article":
        lines = _heading_lines(text, labels.headings)

        def marks_of(pattern: re.Pattern, kind: str) -> list[_Mark]:
            # a heading glued to an article label is read once, as glued (its line, which the label
            # ends — 第二章 基础建设第三条 — is no heading of its own)
            glued = [h for h in glued_heads if h.kind == kind]
            at = {h.start for h in glued}
            found = [m for m in _heading_marks(text, pattern, kind, lines[_KIND_CHAR[kind]]) if m.start not in at]
            return sorted(found + glued, key=lambda m: m.start)

        heads = _drop_table_of_contents(marks_of(rx.PART, "part"), first_article, warnings)
        # a 目录 lists parts and chapters: chapters before the first real part belong to it
        after = min([h.start for h in heads], default=0)
        chapters = [c for c in marks_of(rx.CHAPTER, "chapter") if c.start >= after]
        heads += _drop_table_of_contents(chapters, first_article, warnings, restarts=bool(heads))
        top = min([h.start for h in heads], default=first_article)
        heads += [m for m in marks_of(rx.SECTION, "section") if m.start >= top]
        # a heading line that is inside an article's own first line is not a heading, unless it is
        # glued to the next article's label (the line of a text flattened to one line holds them all)
        glued_starts = {h.start for h in glued_heads}
        starts = [a.start for a in articles]  # in order
        heads = [h for h in heads if h.start in glued_starts or not _after_one_of(starts, text, h.start)]
    body_start = min([first_article] + [h.start for h in heads])
    body_end = _back_matter_start(text, articles[-1].start)
    heads = [h for h in heads if h.start < body_end]  # a heading in the back matter heads nothing
    marks = sorted(heads + articles, key=_START)
    bounds = [m.start for m in marks[1:]] + [body_end]

    parts_out: list[Part] = []
    chapters_out: list[Chapter] = []
    articles_out: list[Article] = []
    chapter: Chapter | None = None
    section: Section | None = None
    expected_part = expected_chapter = 1
    new_part = False
    previous: dict[str, _Mark | None] = {"part": None, "chapter": None, "section": None}
    for mark, end in zip(marks, bounds):
        kind = mark.kind
        if kind == "article":  # (most marks)
            art = _build_article(text, mark, end, numbering, warnings, chapter.number if chapter else None,
                                 section.number if section else None)
            if chapter is not None:
                chapter.articles.append(art)
            if section is not None:
                section.articles.append(art)
            articles_out.append(art)
        elif kind == "part":
            _check_order(mark, expected_part, previous, articles_out, warnings)
            expected_part = mark.number + 1
            parts_out.append(Part(mark.number, mark.label, mark.title, mark.start, end))
            chapter = section = None
            new_part = True
        elif kind == "chapter":
            if not (new_part and mark.number == 1):  # chapters restart in each part, or run on
                _check_order(mark, expected_chapter, previous, articles_out, warnings)
            expected_chapter = mark.number + 1
            new_part = False
            chapter = Chapter(mark.number, mark.label, mark.title, mark.start, end)
            chapters_out.append(chapter)
            section = None
            previous["section"] = None
        else:  # a section
            _check_order(mark, previous["section"].number + 1 if previous["section"] else 1, previous,
                         chapter.articles if chapter is not None else articles_out, warnings)
            section = Section(mark.number, mark.label, mark.title, mark.start, end)
            if chapter is not None:
                chapter.sections.append(section)
    if numbering == "article":
        _check_commencement(text, articles_out, warnings)
    # heading spans end where the next unit starts: the lossless cover of the text
    _fix_heading_spans(parts_out, chapters_out, marks, bounds)
    assign_parts(parts_out, chapters_out, articles_out)
    return ParsedBody(chapters_out, articles_out, body_start, body_end, numbering, warnings, parts_out)


def _check_order(mark: _Mark, expected: int, previous: dict[str, _Mark | None], before: list[Article],
                 warnings: list[ParseWarning]) -> None:
    """A part, chapter or section heading that skips numbers: headings were lost (their articles
    now count in the division before); one that goes back: out of order."""
    kind, char = mark.kind, _KIND_CHAR[mark.kind]
    prev = previous[kind]
    previous[kind] = mark
    if mark.number == expected:
        return
    if mark.number < expected:
        warnings.append(ParseWarning("numbering_order", f"{mark.label} follows {prev.label if prev else kind + ' 0'}: "
                                     "out of order"))
        return
    missing = "、".join(f"第{to_chinese(k)}{char}" for k in range(expected, mark.number))
    if prev is not None:
        where = f"between {prev.label} and {mark.label}: their articles are counted in {prev.label}"
    elif before:
        where = (f"before {mark.label}: {_article_range(before[0].number, before[-1].number)} stand before "
                 f"the first {kind} heading")
    else:
        where = f"before {mark.label}, the first {kind} heading"
    warnings.append(ParseWarning("lost_heading", f"{missing} heading missing {where}"))


def _check_commencement(text: str, articles: list[Article], warnings: list[ParseWarning]) -> None:
    """A regulation ends with its commencement clause (…自…起施行): without one, the text may be cut off."""
    if len(articles) < 3 or any(_commences(text, a) for a in articles[-3:]):
        return
    last = articles[-1]
    warnings.append(ParseWarning("truncated", f"the text ends at {last.label} with no commencement clause "
                                 "(…起施行): it may be cut off", last.number))


def _commences(text: str, art: Article) -> bool:
    """Whether the article's text holds a commencement clause. Its paragraphs (made on first reading)
    are made only for an article whose span holds a verb of the clause, line breaks aside (its text
    is those lines joined): most of the last articles have none."""
    span = text[art.start:art.end]
    if "\n" in span:
        span = span.replace("\n", "")
    return any(w in span for w in rx.COMMENCEMENT_VERBS) and rx.COMMENCEMENT.search(art.text) is not None


def _fix_heading_spans(parts: list[Part], chapters: list[Chapter], marks: list[_Mark], bounds: list[int]) -> None:
    ends = {m.start: e for m, e in zip(marks, bounds)}
    for p in parts:
        p.end = ends.get(p.start, p.end)
    for c in chapters:
        c.end = ends.get(c.start, c.end)
        for s in c.sections:
            s.end = ends.get(s.start, s.end)


def _drop_table_of_contents(chapters: list[_Mark], first_article: int, warnings: list[ParseWarning],
                            restarts: bool = False) -> list[_Mark]:
    """Headings before the first article that belong to a table of contents (目录), dropped.

    The real heading nearest the first article starts a run; a TOC is an earlier run that
    restarts. When the headings after the first article go back to a number the run before it
    already reached (and chapters do not restart in parts), the whole run before is a TOC: the
    first real heading was lost.
    """
    before = [c for c in chapters if c.start < first_article]
    after = [c for c in chapters if c.start >= first_article]
    if not before:
        return after
    lowest = min(c.number for c in before)
    if after and not restarts and before[-1].number >= after[0].number:
        real_start = first_article
    else:
        real_start = max(c.start for c in before if c.number == lowest)
    copies = sum(1 for c in before if c.number == lowest and c.start < real_start)
    if copies >= 2:
        kind = _KIND_CHAR[before[0].kind]
        warnings.append(ParseWarning("duplicate_toc", f"the table of contents is there {copies} times "
                                     f"(its 第{to_chinese(lowest)}{kind} is listed {copies} times before the body)"))
    return [c for c in before if c.start >= real_start] + after


def _back_matter_start(text: str, last_article: int) -> int:
    """What follows the last provision is back matter from the first line of site furniture (相关文章,
    上一篇 …), a source line (原文链接：http://…) or an attachment heading (附件1：…) — and, once the
    commencement clause (…起施行。) has been read, from the first line that is not a sentence (a
    site's 本篇法规所属专题：…, a signature and date under the text)."""
    pos = _line_end(text, last_article)
    commenced = bool(rx.COMMENCEMENT.search(text, last_article, pos))
    while pos < len(text):
        end = _line_end(text, pos)
        line = text[pos:end].strip()
        if (rx.BOILERPLATE_LINE.search(text, pos, end) or rx.FOOTER_LINE.match(text, pos, end)
                or rx.APPENDIX_LINE.match(text, pos, end) or (commenced and line and line[-1] not in _SENTENCE_END)):
            return pos
        commenced = commenced or bool(rx.COMMENCEMENT.search(text, pos, end))
        pos = end
    return len(text)


def _build_article(text: str, mark: _Mark, end: int, numbering: str, warnings: list[ParseWarning],
                   chapter: int | None = None, section: int | None = None) -> Article:
    pos = mark.end
    heading = None
    m = rx.HEADING.match(text, pos)
    if m and m.group("d") is not None and (rx.PAREN_NOT_HEADING.search(m.group("d").strip())
                                           or not text[m.end():end].strip()):
        m = None
    if m:
        heading = (m.group("a") or m.group("b") or m.group("c") or m.group("d")).strip()
        pos = m.end()
    else:
        pos, heading = _bare_heading(text, pos, end, numbering)
    while pos < end and text[pos] in " ：:":
        pos += 1
    body = text[pos:end]
    # the paragraphs are made when first read; when the body announces a list (下列, 以下, 如下), its
    # paragraphs' texts (their lines joined) are read now, to tell whether items follow the announcement
    joined = body.replace("\n", "") if "下" in body else ""
    announces = "下列" in joined or "以下" in joined or "如下" in joined  # (what LIST_LEAD_IN needs)
    art = Article(mark.number, mark.label, heading, chapter, section, _new(Deferred, (_paragraphs, text, pos, end)),
                  mark.start, end, mark.suffix)
    found = []  # (art.warnings is made only for an article that has some)
    if not heading and not body.strip():  # (no paragraph: _paragraphs keeps none of blank lines)
        found.append(ParseWarning("empty_article", f"{mark.label} has no text", mark.number))
    for ps, pe, ptext in _paragraph_lines(text, pos, end) if announces else ():
        # a paragraph without items: one whose range holds no list (see _items)
        if "下" in ptext and rx.LIST_LEAD_IN.search(ptext) and _list_start(text, ps, pe) is None:
            found.append(ParseWarning("empty_list", f"{mark.label} announces a list (…{ptext[-12:]}) but no items follow",
                                      mark.number))
    if found:
        art.warnings = found
        warnings.extend(found)
    return art


def _bare_heading(text: str, pos: int, end: int, numbering: str) -> tuple[int, str | None]:
    """A heading written on the label's line with the body on the next line: 一、入园检查： / 第一条 立法目的."""
    line_end = text.find("\n", pos, end)
    if line_end < 0:
        return pos, None
    limit = 20 if numbering == "provision" else 15
    if line_end - pos > limit and not text[pos].isspace() and not text[line_end - 1].isspace() \
            and text[line_end - 1] not in "：:":
        return pos, None  # (most articles: a long line, which nothing strips, is the body)
    rest = text[pos:line_end].strip()
    bare = rest.rstrip("：:")
    if not rest or len(bare) > limit:  # (the line is the body, the next one not looked at)
        return pos, None
    nxt = text[line_end + 1:_line_end(text, line_end + 1)].strip()
    if not nxt or (rest[-1] in "：:" and _item_line(nxt)):
        return pos, None  # …包括： followed by items is a lead-in, not a heading
    if bare[:1] in "（(" and bare[-1:] in "）)":
        return pos, None  # （删除） alone on the line is the body; real ones are taken by HEADING
    if any(p in bare for p in "。；，、,;！？") or re.search("应当|下列|如下|以下|包括|是$", bare):
        return pos, None
    if rest[-1] in "：:" or numbering == "provision" or len(bare) <= 10:
        return line_end + 1, bare
    return pos, None


def _item_line(line: str) -> bool:
    return line[:1] in _MARK_FIRST and any(p.match(line) for p in rx.ITEM_MARKS.values())


# -- paragraphs, items, sub-items ----------------------------------------------------------------
def _paragraphs(text: str, start: int, end: int) -> list[Paragraph]:
    """Split [start, end) into paragraphs; spans cover the range, texts drop the line breaks."""
    paragraphs = []
    for ps, pe, ptext in _paragraph_lines(text, start, end):
        if not ptext:
            if paragraphs:
                paragraphs[-1].end = pe
            continue
        items = _items(text, ps, pe, 0)
        paragraphs.append(Paragraph(len(paragraphs) + 1, ptext, ps, pe, items))
    if paragraphs:
        paragraphs[0].start = start
        paragraphs[-1].end = end
    return paragraphs


def _paragraph_lines(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(start, end, text) of each run of lines of [start, end) that makes one paragraph, its text the
    lines joined and stripped ("" for blank lines before any paragraph)."""
    groups: list[list[int]] = []  # [start, end] of each run of lines that make one paragraph
    nl = text.find("\n", start, end)
    if nl < 0 or nl == end - 1:  # one line: most articles
        groups = [[start, end]] if start < end else []
    else:
        prev_ended = True
        pos = start
        for raw in text[start:end].split("\n"):
            if pos >= end:  # the empty piece after a final line break
                break
            e = min(pos + len(raw) + 1, end)
            line = raw.strip()
            # a blank line, an item or the rest of a sentence belongs to the paragraph before it
            if groups and (not line or not prev_ended or _item_line(line)):
                groups[-1][1] = e
            else:
                groups.append([pos, e])
            if line:
                prev_ended = line[-1] in _SENTENCE_END
            pos = e
    return [(ps, pe, text[ps:pe].replace("\n", "").strip()) for ps, pe in groups]


def _list_candidates(text: str, start: int, end: int, style: str) -> Iterator[tuple[int, int, int, str]]:
    """(start, end of mark, number, label) of list marks of one style at line starts or after ：；。."""
    for m in rx.ITEM_MARKS[style].finditer(text, start, end):
        s = m.start()
        prev = text[s - 1] if s > start else "\n"
        if prev not in "\n：；。:; " and s != start:
            continue
        if prev == " " and s - 2 >= start and text[s - 2] not in "\n：；。:;":
            continue
        raw = m.group("num")
        n = _CIRCLED.get(raw) or parse_numeral(raw)
        if n:
            yield s, m.end(), n, shared(m.group(0))


def _list_start(text: str, start: int, end: int, styles: tuple[str, ...] = _LIST_RANK) -> tuple[int, str] | None:
    """(where its first 1 is, style) of the list of the range: the first list style that starts at 1
    (a style of lower rank wins only with an earlier 1); None when the range holds no list."""
    if text[start:start + 1] not in _MARK_FIRST and not _MARK_AFTER.search(text, start, end):
        return None  # no list mark at its start, nor after a line break or ：；。
    best = None
    for style in styles:
        for c in _list_candidates(text, start, end, style):
            if best is not None and c[0] >= best[0]:
                break
            if c[2] == 1:
                best = (c[0], style)
                break
    return best


def _items(text: str, start: int, end: int, depth: int, styles: tuple[str, ...] = _LIST_RANK):
    """Items of the range (depth 0) or sub-items (depth 1), of the list _list_start finds: its mark
    numbered 1 is always the first item (the range holds items when it holds a list)."""
    best = _list_start(text, start, end, styles)
    if best is None:
        return []
    first, style = best
    cands = list(_list_candidates(text, start, end, style))
    marks = []
    expected = 1
    for s, e, n, label in cands:
        if s < first:
            continue
        at_line = s == start or text[s - 1] == "\n"
        if n == expected or (at_line and n > expected and n <= expected + 2):
            marks.append((s, e, n, label))
            expected = n + 1
    out = []
    lower = styles[styles.index(style) + 1:]
    for i, (s, e, n, label) in enumerate(marks):
        iend = marks[i + 1][0] if i + 1 < len(marks) else end
        body = text[e:iend]
        if depth == 0:
            # the item ends at its own text; a trailing paragraph line after the last item stays in the paragraph
            subs = _items(text, e, iend, 1, lower) if lower else []
            out.append(Item(n, label, body.replace("\n", "").strip(), s, iend,
                            [SubItem(x.number, x.label, x.text, x.start, x.end) for x in subs]))
        else:
            out.append(Item(n, label, body.replace("\n", "").strip(), s, iend))
    return out
