"""Markdown — as open law repositories and static law sites publish regulations.

A Markdown file keeps its bytes: the markup is found here as spans of the text to delete, and
``normalize`` deletes them through its edit machinery, so every removed mark is recorded (kind
``markup``) and every kept character still maps back to its place in the file. What counts as
markup:

- block level: YAML front matter, ``<!-- … -->`` comments, ``<script>``/``<style>`` blocks,
  code fences, static-site containers (``::: tip`` … ``:::``, ``@tab``), ``[[toc]]``, table rules,
  link definitions, and navigation lines (article-index lists ``- 第1~20条：[1](#t1) [2](#t2)``,
  tables of contents made of links to anchors or sibling pages);
- line level: heading marks (``#`` … ``######``, closing ``##``), block quotes, bullets, table pipes;
- inline: emphasis, strikethrough, code, images, links (the text is kept), attribute blocks
  (``{#id}``, ``{.class}``, ``{align="center"}``), footnote marks, backslash escapes.

Numbered lists (``1. …``) are content: documents without 第X条 are numbered that way.
HTML tags and entities inside Markdown are removed by ``normalize`` (kind ``html``), as in any text.
"""
from __future__ import annotations

import re
from collections import Counter

from . import patterns as rx

# -- telling Markdown from plain text ---------------------------------------------------------------
# (name, pattern, ASCII strings one of which every match holds: a text with none is not scanned)
_SIGNALS = (
    ("heading", rx.MD_ATX_HEADING, (b"#",)),
    ("comment", re.compile(r"<!--"), (b"<!--",)),
    ("front matter", re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(?:[^\n]{0,300}\n){0,80}?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)"),
     (b"---",)),
    ("container", rx.MD_CONTAINER, (b":::",)),
    ("table of contents", rx.MD_TOC_PLACEHOLDER, (b"[", b"${", b"<")),
    ("link", re.compile(r"\[[^\]\n]{1,300}\]\([^)\n]{0,500}\)"), (b"](",)),
    ("emphasis", re.compile(r"\*\*[^*\n]{1,200}\*\*"), (b"**",)),
    ("fence", rx.MD_FENCE, (b"```", b"~~~")),
)
_ANY_NEED = re.compile(b"|".join(re.escape(w) for _name, _pattern, needs in _SIGNALS for w in needs))


def markdown_signals(text: str) -> Counter:
    """What in ``text`` is written in Markdown (heading marks, comments, front matter, links …), counted."""
    head = text[:200_000]  # a signal is in the first pages of any Markdown file
    # the marks are ASCII: looked for among the few ASCII characters of a Chinese text (a mark found
    # there that the text does not hold, its neighbours once apart, finds no match below)
    ascii_only = head.encode("ascii", "ignore")
    found: Counter = Counter()
    if not _ANY_NEED.search(ascii_only):  # (plain text: no signal is looked for one by one)
        return found
    for name, pattern, needs in _SIGNALS:
        if not any(w in ascii_only for w in needs):
            continue
        n = sum(1 for _ in zip(range(50), pattern.finditer(head)))
        if n:
            found[name] = n
    return found


# -- block-level markup ------------------------------------------------------------------------------
def block_spans(text: str, at_start: bool = True) -> list[tuple[int, int]]:
    """Spans of multi-line markup: front matter (at the start of the file), comments, script/style blocks."""
    spans = []
    if at_start:
        m = rx.MD_FRONT_MATTER.match(text)
        if m:
            spans.append(m.span())
    for pattern in (rx.MD_HTML_COMMENT_BLOCK, rx.MD_SCRIPT_BLOCK):
        spans += [m.span() for m in pattern.finditer(text)]
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        elif e > s:
            out.append((s, e))
    return out


# -- line-level and inline markup --------------------------------------------------------------------
_HAS_MARKUP = re.compile(r"[#*_\[\]{}`|\\~!<>:@+-]")
_PROTECT = "\ue000"  # stands for a character markup patterns must not see (escaped, inside code)


def line_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the markup of every line (whole navigation lines, marks, inline markup) to delete."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    in_fence = False
    found = _HAS_MARKUP.search(text)
    while found:  # the lines with a markup character, in order: the others hold no markup
        pos = text.rfind("\n", 0, found.start()) + 1
        end = text.find("\n", found.start())
        end = n if end < 0 else end
        line = text[pos:end]
        if rx.MD_FENCE.match(line):
            in_fence = not in_fence
            spans.append(_whole_line(text, pos, end))
        elif not in_fence:
            if _is_markup_line(line):
                spans.append(_whole_line(text, pos, end))
            else:
                spans += [(pos + s, pos + e) for s, e in _inline(line)]
        found = _HAS_MARKUP.search(text, end + 1)
    return _merge(spans)


def _whole_line(text: str, start: int, end: int) -> tuple[int, int]:
    """The line and its line break (the one after it, or before it for the last line)."""
    if end < len(text):
        return start, end + 1
    return (start - 1 if start > 0 else start), end


def _is_markup_line(line: str) -> bool:
    """A line that is all markup: a container fence, @tab, [[toc]], a table rule, a link
    definition, an empty heading, or a navigation line of links to anchors / sibling pages."""
    if (rx.MD_CONTAINER.match(line) or rx.MD_TAB.match(line) or rx.MD_TOC_PLACEHOLDER.match(line)
            or rx.MD_TABLE_RULE.match(line) or rx.MD_LINK_DEF.match(line) or rx.MD_EMPTY_HEADING.match(line)
            or rx.MD_SETEXT_OR_RULE.match(line)):
        return True
    return bool(rx.MD_NAV_LINE.match(line)) and bool(rx.MD_NAV_TARGET.search(line))


def _inline(line: str) -> list[tuple[int, int]]:
    """Deletions inside one line, found pattern after pattern on what the earlier ones left."""
    work = list(line)  # what later patterns see (escaped characters and code hidden)
    kept = list(range(len(line)))  # original position of each character of ``work``
    cur = line  # "".join(work)

    def delete(pattern: re.Pattern, groups: tuple[int, ...] | None = None, protect: int | None = None) -> None:
        nonlocal work, kept, cur
        drop: set[int] = set()
        hide: set[int] = set()
        for m in pattern.finditer(cur):
            if groups is None:  # the whole match is markup
                drop.update(range(*m.span()))
                continue
            for g in groups:
                if m.group(g) is not None:
                    drop.update(range(*m.span(g)))
            if protect is not None and m.group(protect) is not None:
                hide.update(range(*m.span(protect)))
        if not drop and not hide:
            return
        for i in hide:
            work[i] = _PROTECT
        work = [c for i, c in enumerate(work) if i not in drop]
        kept = [k for i, k in enumerate(kept) if i not in drop]
        cur = "".join(work)

    delete(rx.MD_ESCAPE, (1,), protect=2)
    delete(rx.MD_CODE, (1, 3), protect=2)
    delete(rx.MD_IMAGE)
    delete(rx.MD_LINK, (1, 3))
    delete(rx.MD_REF_LINK, (1, 3))
    delete(rx.MD_AUTOLINK, (1, 3))
    delete(rx.MD_ATTR_SPAN, (1, 3))
    delete(rx.MD_ATTRIBUTES)
    if rx.MD_HEADING.match(cur):
        delete(rx.MD_HEADING)
        delete(rx.MD_HEADING_CLOSE)
    delete(rx.MD_QUOTE)
    delete(rx.MD_BULLET)
    if rx.MD_TABLE_ROW.match(cur):
        delete(rx.MD_TABLE_PIPE)
    delete(rx.MD_STRONG, (1, 3))
    delete(rx.MD_EMPHASIS, (1, 3))
    delete(rx.MD_STRIKE, (1, 3))
    delete(rx.MD_FOOTNOTE)
    delete(rx.MD_HARD_BREAK)
    if len(kept) == len(line):
        return []
    out: list[tuple[int, int]] = []
    prev = -1
    for k in kept + [len(line)]:
        if k > prev + 1:
            out.append((prev + 1, k))
        prev = k
    return out


def strip_markdown(text: str) -> tuple[str, Counter]:
    """Markdown → plain text (for text that has no file behind it); counts of what went."""
    counts: Counter = Counter()
    for phase in (lambda t: block_spans(t, True), line_spans):
        spans = phase(text)
        if not spans:
            continue
        counts["markup spans"] += len(spans)
        pieces, pos = [], 0
        for s, e in spans:
            pieces.append(text[pos:s])
            pos = e
        pieces.append(text[pos:])
        text = "".join(pieces)
    return text, +counts
