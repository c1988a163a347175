"""Article labels (第X条) where an article may start: the candidates the structure pass and the
document splitter choose from."""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from typing import NamedTuple

from ..numerals import parse_numeral
from . import regexes as rx

_SHARED: dict[str, str] = {}


def shared(label: str) -> str:
    """One str object for each distinct label (第一条, （一） …): every regulation holds the same ones,
    and a big file holds them many times over. (At most 100,000 kept: labels are few.)"""
    if len(_SHARED) < 100_000:
        return _SHARED.setdefault(label, label)
    return _SHARED.get(label, label)


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


# an ArticleLabel made from all its fields at once, without the Python frame of the NamedTuple's
# __new__ (a file has as many labels as articles)
_label = tuple.__new__


class DiPositions(NamedTuple):
    """Where the 第 of a 第X条 label (``articles``) or of a 第X编/章/节 heading (``headings``, and
    their ``kinds`` 编/章/节) stands."""

    articles: list[int]
    headings: list[int]
    kinds: list[str]


def di_positions(text: str) -> DiPositions:
    """The 第 of every label and heading of ``text``, found in one pass (rx.DI_LABEL)."""
    articles: list[int] = []
    headings: list[int] = []
    kinds: list[str] = []
    for m in rx.DI_LABEL.finditer(text):
        kind = m.group("kind")
        if kind == "条":
            articles.append(m.start())
        else:
            headings.append(m.start())
            kinds.append(kind)
    return DiPositions(articles, headings, kinds)


def _matches_at_di(pattern: re.Pattern, text: str, positions: list[int]) -> Iterator[re.Match]:
    """``pattern.finditer(text)`` for a pattern whose every match is a run of spaces then the 第 of
    a label or a heading, at ``positions`` (from di_positions): the pattern is tried only at the
    spaces before each — where it can match — instead of at every character of the text (same
    matches, several times faster)."""
    end = 0
    for q in positions:
        if q < end:
            continue
        p = q
        while p > end and text[p - 1] == " ":
            p -= 1
        m = pattern.match(text, p)
        if m is not None:
            yield m
            end = m.end()


def article_labels(text: str, references: bool = False, anywhere: bool = False,
                   di: DiPositions | None = None) -> Iterator[ArticleLabel]:
    """Every candidate article label: at a line start or after sentence-final punctuation, with a
    valid number. Labels followed by what makes them look like a reference (第…款, 规定, 的规定 …)
    are left out, or yielded with ``reference=True`` when ``references`` is set: the structure
    pass decides from the numbering whether such a label starts an article (第十七条 第三方机构…).
    ``anywhere`` adds every other 第一条 (``anywhere=True``): the structure pass takes one as the
    first article only when no 第一条 stands at a line start or after a full stop."""
    found = list(_matches_at_di(rx.ARTICLE, text, (di or di_positions(text)).articles))
    if anywhere:
        seen = {m.start("label") for m in found}
        extra = [m for m in rx.FIRST_ARTICLE_ANYWHERE.finditer(text) if m.start("label") not in seen]
        if extra:  # (found is in order already)
            found = sorted(found + extra, key=lambda m: m.start("label"))
    tail = rx.REFERENCE_TAIL.match
    for m in found:
        n = parse_numeral(m["num"])
        if not n:
            continue
        end = m.end()
        ref = tail(text, end) is not None
        if ref and not references:
            continue
        start = m.start("label")
        i = start - 1
        while i >= 0 and text[i] == " ":
            i -= 1
        anywhere_ = m.re is rx.FIRST_ARTICLE_ANYWHERE
        sub = parse_numeral(m["sub"]) if not anywhere_ and m["sub"] else None
        label = m["label"]
        if " " in label:
            label = "".join(label.split())
        label = _SHARED.get(label) or shared(label)  # (the shared one, without a call when known)
        yield _label(ArticleLabel, (start, end, n, sub, label, i < 0 or text[i] == "\n", ref, False, anywhere_))


def glued_labels(text: str, anywhere: bool = False, di: DiPositions | None = None,
                 ) -> Iterator[tuple[ArticleLabel, list[tuple[str, int, str, int, int]]]]:
    """Article labels glued to a heading on its line (第三章 打击违法犯罪第十二条 公安机关应当…):
    (label, the headings before it: [(kind 编/章/节, number, title, start, end)], a chapter and
    its first section when both are glued). ``anywhere`` adds a first heading glued to 第一条
    mid-sentence (label ``anywhere=True``), as in a text flattened to one line."""
    heads = (di or di_positions(text)).headings
    matches = [(m, False) for m in _matches_at_di(rx.GLUED_HEADING, text, heads)]
    if anywhere:
        seen = {m.start("label") for m, _ in matches}
        matches += [(m, True) for m in _matches_at_di(rx.GLUED_HEADING_ANYWHERE, text, heads)
                    if m.start("label") not in seen and m["num"].strip() == "一" and m["anum"].strip() == "一"]
    for m, mid in matches:
        n, hn = parse_numeral(m.group("anum")), parse_numeral(m.group("num"))
        hn2 = parse_numeral(m.group("num2")) if m.group("num2") else None
        if not n or not hn or (m.group("num2") and not hn2) or rx.REFERENCE_TAIL.match(text, m.end()):
            continue
        label = ArticleLabel(m.start("label"), m.end(), n, None, shared("".join(m.group("label").split())), False,
                             glued=True, anywhere=mid)
        if hn2 is None:
            heads = [(m.group("kind"), hn, m.group("title").strip(), m.start("head"), label.start)]
        else:
            heads = [(m.group("kind"), hn, m.group("title").strip(), m.start("head"), m.start("head2")),
                     ("节", hn2, m.group("title2").strip(), m.start("head2"), label.start)]
        yield label, heads


Heading = tuple[str, int, str, int, int]  # a heading glued to a label: (kind 编/章/节, number, title, start, end)


class Labels(NamedTuple):
    """Every candidate label of a text, found once: ``article_labels(text, references=True,
    anywhere=True)``, ``glued_labels(text, anywhere=True)`` and the 第 of each heading with its
    kind (di_positions) — a file's, or one document's share."""

    articles: list[ArticleLabel]  # each list in order of position
    glued: list[tuple[ArticleLabel, list[Heading]]]
    headings: list[tuple[int, str]]

    def within(self, start: int, end: int) -> Labels:
        """The labels of ``text[start:end]``, offsets counted from ``start``: what ``find_labels``
        finds in that slice, a document of the file (it starts a line, or at the label that opens
        it, and ends at a line start: no label or heading spans a line break)."""
        def part(items: list, key):  # (each list is in order of position: a slice, not a scan)
            return items[bisect_left(items, start, key=key):bisect_left(items, end, key=key)]

        arts = part(self.articles, lambda lab: lab.start)
        glued = part(self.glued, lambda g: g[0].start)
        headings = [(q - start, kind) for q, kind in part(self.headings, lambda h: h[0])]
        if start:
            arts = [_label(ArticleLabel, (lab.start - start, lab.end - start, *lab[2:])) for lab in arts]
            glued = [(_label(ArticleLabel, (lab.start - start, lab.end - start, *lab[2:])),
                      [(k, n, t, hs - start, he - start) for k, n, t, hs, he in heads]) for lab, heads in glued]
        return Labels(arts, glued, headings)


def find_labels(text: str) -> Labels:
    """The candidate labels of ``text`` (see Labels), the 第 of each found in one pass."""
    di = di_positions(text)
    return Labels(list(article_labels(text, references=True, anywhere=True, di=di)),
                  sorted(glued_labels(text, anywhere=True, di=di), key=lambda g: g[0].start),
                  list(zip(di.headings, di.kinds)))
