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


def article_labels(text: str, references: bool = False) -> Iterator[ArticleLabel]:
    """Every candidate article label: at a line start or after sentence-final punctuation, with a
    valid number. Labels followed by what makes them look like a reference (第…款, 规定, 的规定 …)
    are left out, or yielded with ``reference=True`` when ``references`` is set: the structure
    pass decides from the numbering whether such a label starts an article (第十七条 第三方机构…)."""
    for m in rx.ARTICLE.finditer(text):
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
        sub = parse_numeral(m.group("sub")) if m.group("sub") else None
        yield ArticleLabel(start, m.end(), n, sub, re.sub(r"\s+", "", m.group("label")), i < 0 or text[i] == "\n", ref)


def glued_labels(text: str) -> Iterator[tuple[ArticleLabel, str, int, str, int]]:
    """Article labels glued to a heading on its line (第三章 打击违法犯罪第十二条 公安机关应当…):
    (label, heading kind 编/章/节, heading number, heading title, heading start)."""
    for m in rx.GLUED_HEADING.finditer(text):
        n, hn = parse_numeral(m.group("anum")), parse_numeral(m.group("num"))
        if not n or not hn or rx.REFERENCE_TAIL.match(text, m.end()):
            continue
        label = ArticleLabel(m.start("label"), m.end(), n, None, re.sub(r"\s+", "", m.group("label")), False,
                             glued=True)
        yield label, m.group("kind"), hn, m.group("title").strip(), m.start("head")
