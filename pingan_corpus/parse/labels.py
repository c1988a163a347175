"""Article labels (第X条) where an article may start: the candidates the structure pass and the
document splitter choose from."""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from ..numerals import parse_numeral
from . import regexes as rx


class ArticleLabel(NamedTuple):
    """A 第X条 label where an article may start (not an in-text reference such as 第三条第二款)."""

    start: int
    end: int
    number: int
    suffix: int | None  # 之一 → 1
    label: str  # verbatim, spaces removed
    line_start: bool
    reference: bool = False  # followed by what also follows references (第…款, 规定, 中的 …)
    glued: bool = False  # right after a heading on the same line (第三章 打击违法犯罪第十二条 …)
    anywhere: bool = False  # a 第一条 mid-sentence: the first article of a text flattened to one line, or a reference


def _matches_at_di(pattern: re.Pattern, text: str) -> Iterator[re.Match]:
    """``pattern.finditer(text)`` for a pattern whose every match is a run of spaces then 第 (a
    label, a heading): the pattern is tried only at the spaces before each 第 — where it can
    match — instead of at every character of the text (same matches, several times faster)."""
    end = 0
    q = text.find("第")
    while q >= 0:
        p = q
        while p > end and text[p - 1] == " ":
            p -= 1
        m = pattern.match(text, p)
        if m is not None:
            yield m
            end = m.end()
        q = text.find("第", max(q + 1, end))


def article_labels(text: str, references: bool = False, anywhere: bool = False) -> Iterator[ArticleLabel]:
    """Every candidate article label: at a line start or after sentence-final punctuation, with a
    valid number. Labels followed by what makes them look like a reference (第…款, 规定, 的规定 …)
    are left out, or yielded with ``reference=True`` when ``references`` is set: the structure
    pass decides from the numbering whether such a label starts an article (第十七条 第三方机构…).
    ``anywhere`` adds every other 第一条 (``anywhere=True``): the structure pass takes one as the
    first article only when no 第一条 stands at a line start or after a full stop."""
    found = list(_matches_at_di(rx.ARTICLE, text))
    if anywhere:
        seen = {m.start("label") for m in found}
        extra = [m for m in rx.FIRST_ARTICLE_ANYWHERE.finditer(text) if m.start("label") not in seen]
        found = sorted(found + extra, key=lambda m: m.start("label"))
    for m in found:
        n = parse_numeral(m.group("num"))
        if not n:
            continue
        ref = bool(rx.REFERENCE_TAIL.match(text, m.end()))
        if ref and not references:
            continue
        start = m.start("label")
        i = start - 1
        while i >= 0 and text[i] == " ":
            i -= 1
        sub = parse_numeral(m["sub"]) if m.re is rx.ARTICLE and m["sub"] else None
        yield ArticleLabel(start, m.end(), n, sub, "".join(m.group("label").split()), i < 0 or text[i] == "\n", ref,
                           anywhere=m.re is rx.FIRST_ARTICLE_ANYWHERE)


def glued_labels(text: str, anywhere: bool = False) -> Iterator[tuple[ArticleLabel, list[tuple[str, int, str, int, int]]]]:
    """Article labels glued to a heading on its line (第三章 打击违法犯罪第十二条 公安机关应当…):
    (label, the headings before it: [(kind 编/章/节, number, title, start, end)], a chapter and
    its first section when both are glued). ``anywhere`` adds a first heading glued to 第一条
    mid-sentence (label ``anywhere=True``), as in a text flattened to one line."""
    matches = [(m, False) for m in _matches_at_di(rx.GLUED_HEADING, text)]
    if anywhere:
        seen = {m.start("label") for m, _ in matches}
        matches += [(m, True) for m in _matches_at_di(rx.GLUED_HEADING_ANYWHERE, text)
                    if m.start("label") not in seen and m["num"].strip() == "一" and m["anum"].strip() == "一"]
    for m, mid in matches:
        n, hn = parse_numeral(m.group("anum")), parse_numeral(m.group("num"))
        hn2 = parse_numeral(m.group("num2")) if m.group("num2") else None
        if not n or not hn or (m.group("num2") and not hn2) or rx.REFERENCE_TAIL.match(text, m.end()):
            continue
        label = ArticleLabel(m.start("label"), m.end(), n, None, "".join(m.group("label").split()), False,
                             glued=True, anywhere=mid)
        if hn2 is None:
            heads = [(m.group("kind"), hn, m.group("title").strip(), m.start("head"), label.start)]
        else:
            heads = [(m.group("kind"), hn, m.group("title").strip(), m.start("head"), m.start("head2")),
                     ("节", hn2, m.group("title2").strip(), m.start("head2"), label.start)]
        yield label, heads
