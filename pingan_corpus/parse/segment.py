"""Step 2: one normalized file → the spans of the documents it holds.

A web page may compile several regulations. Two signals split them:
- compilation headers: a line stem repeated with a running number (制度 1, 制度 2 …);
- otherwise, a restart of article numbering (第一条 after a document's own 第N条), moved back
  over the new document's title, adoption note, table of contents and first chapter heading.
The spans cover the file exactly: text before the first document (site furniture) belongs to
the first document's front matter, trailing furniture to the last one's back matter.
"""
from __future__ import annotations

import re

from . import regexes as rx
from .labels import Labels, find_labels


def split_documents(text: str, labels: Labels | None = None) -> list[tuple[int, int]]:
    """(start, end) of each document in ``text``; a single span when nothing splits it
    (``labels``: the candidate labels of ``text``, when already found)."""
    starts = _compilation_starts(text) or _restart_starts(text, labels or find_labels(text))
    if not starts:
        return [(0, len(text))]
    starts = sorted(set(starts))
    starts[0] = 0
    ends = starts[1:] + [len(text)]
    return list(zip(starts, ends))


# the end of a line that ends with a number (spaces after it aside): the only lines a compilation
# header can be. Both patterns start with a character of the match (a line break, a space), which
# the regex engine jumps to, their lookbehind after it: a pattern that starts with the digit class
# ([0-9][ ]*(?=\n|\Z)) or a lookbehind is tried at every character of the text, several times slower.
_NUMBER_BREAK = re.compile(r"\n(?<=[0-9]\n)")
_NUMBER_SPACES = re.compile(r" (?<=[0-9] ) *(?=\n|\Z)")


def _number_lines(text: str) -> list[int]:
    """The starts of the lines that end with a digit, spaces after it aside, in order."""
    ends = [m.start() for m in _NUMBER_BREAK.finditer(text)] + [m.start() for m in _NUMBER_SPACES.finditer(text)]
    if text and "0" <= text[-1] <= "9":
        ends.append(len(text))
    return [text.rfind("\n", 0, e) + 1 for e in sorted(ends)]


def _compilation_headers(text: str):
    """``rx.COMPILATION_HEADER.finditer(text)``, the pattern tried only on the lines that end with a
    number (a header is a line of its own ending with its number), not at every character."""
    for start in _number_lines(text):
        m = rx.COMPILATION_HEADER.match(text, start)
        if m is not None:
            yield m


def _compilation_starts(text: str) -> list[int]:
    by_stem: dict[str, list[tuple[int, int]]] = {}
    for m in _compilation_headers(text):
        stem = m.group("stem").strip()
        # a numbered provision (1、… / 第一条…) or a date line is not a header
        if stem[-1] in "、.．。；：，" or stem.startswith("第") or rx.DATE.search(m.group(0)):
            continue
        by_stem.setdefault(stem, []).append((m.start(), int(m.group("num"))))
    best: list[int] = []
    for hits in by_stem.values():
        run, expected = [], 1
        for pos, n in hits:
            if n == expected or (n == 1 and run):  # a page may repeat its numbering (1…12, 1…12)
                run.append(pos)
                expected = n + 1
        if len(run) >= 2 and len(run) > len(best):
            best = run
    return best


def _restart_starts(text: str, labels: Labels) -> list[int]:
    starts: list[int] = []
    highest = 0
    for lab in labels.articles:
        if not lab.line_start or lab.suffix or lab.reference or lab.anywhere:
            continue
        n, pos = lab.number, lab.start
        if n == 1 and highest >= 3:
            starts.append(_preamble_start(text, pos))
            highest = 1
        else:
            highest = max(highest, n)
    return [0] + starts if starts else []


def _preamble_start(text: str, pos: int) -> int:
    """Walk back from a restarting 第一条 over the lines that introduce the new document."""
    start = pos
    while start > 0:
        prev_end = start - 1  # the newline ending the previous line
        prev_start = text.rfind("\n", 0, prev_end) + 1
        line = text[prev_start:prev_end].strip()
        if not line:
            start = prev_start
            continue
        if rx.CHAPTER.match(line) or rx.SECTION.match(line) or line in ("目录", "目 录"):
            start = prev_start
            continue
        if rx.ADOPTION_NOTE.match(line) or (line[-1] not in "。；！？：" and len(line) <= 60
                                              and not rx.ARTICLE.match(line)):
            start = prev_start
            continue
        break
    return start
