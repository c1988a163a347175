"""Step 1 of the pipeline: bytes → clean simplified text, with a map back to the source.

Every edit is recorded: characters kept map to their source offset (``offsets``), characters
removed are listed in ``removals`` (pinyin annotations, field codes, stray marks, control
characters) or are whitespace. Normalizing normalized text changes nothing.
"""
from __future__ import annotations

import functools
import html
import re
import zlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from itertools import chain

import numpy as np

from ..readers import markdown
from ..readers.decode import decode
from . import regexes as rx

_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_FULLWIDTH_ALNUM.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})
_FULLWIDTH_ALNUM.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})
# a lone surrogate (from a broken UTF-16 source or a JSON \ud800 escape) is no character: it
# cannot be encoded, so it becomes U+FFFD, one for one (offsets hold), and is reported as mojibake
_SURROGATES = dict.fromkeys(range(0xD800, 0xE000), 0xFFFD)
_ONE_FOR_ONE = str.maketrans({**{ord(c): " " for c in rx.SPACE_CHARS}, "\r": "\n", **_FULLWIDTH_ALNUM,
                              **_SURROGATES})
# a run of the characters ``_ONE_FOR_ONE`` rewrites: most texts hold few, and str.translate with a
# dict looks up every character, so the runs are found first and translated alone (same result)
_ONE_FOR_ONE_RUN = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_ONE_FOR_ONE)) + "]+")
# bits of ``_class_table``: which passes a text can need, read off all its characters at once
_REWRITTEN, _CONTROL, _BRACKET, _PINYIN_LETTER, _STRAY_MARK, _CJK, _HALFWIDTH, _CJK_CONTEXT = 1, 2, 4, 8, 16, 32, 64, 128
_TO_FULLWIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "!": "！", "(": "（", ")": "）"})
# the same as a table of codes, for the ASCII range (see _parens_on, _punct_on)
_FULLWIDTH_CODES = np.array([ord(chr(c).translate(_TO_FULLWIDTH)) for c in range(0x80)], np.uint32)


@dataclass(slots=True)
class Removal:
    """Characters dropped by normalization, with their span in the source."""

    kind: str  # pinyin | field_code | stray_mark | control | bom | html | markup
    start: int
    end: int
    text: str


class SourceText:
    """The decoded source of a normalized text, shared by it and its removals. A big one is kept
    compressed (:meth:`compress`) and decompressed when first read: the parse of a compilation
    never reads it, a reader of original wording or of removed characters does."""

    __slots__ = ("_value", "length")

    def __init__(self, text: str):
        self._value: str | tuple[str, tuple[bytes, ...]] = text
        self.length = len(text)

    def get(self) -> str:
        if not isinstance(self._value, str):
            encoding, pieces = self._value
            z = zlib.decompressobj()
            self._value = b"".join([z.decompress(c) for c in pieces] + [z.flush()]).decode(encoding, "surrogatepass")
        return self._value

    def compress(self) -> None:
        text = self._value
        if isinstance(text, str):
            # UTF-16 (a copy of how Python holds Chinese text) compresses better and faster than
            # UTF-8, but would join a lone high and low surrogate into one character
            encoding = "utf-8" if _SURROGATE.search(text) else "utf-16-le"
            z = zlib.compressobj(1)
            step = 1 << 20  # encoded a piece at a time: no full-size bytes copy
            pieces = [z.compress(text[i:i + step].encode(encoding, "surrogatepass")) for i in range(0, len(text), step)]
            self._value = (encoding, tuple(pieces + [z.flush()]))  # (not joined: no second copy)

    @property
    def compressed(self) -> bool:
        return not isinstance(self._value, str)


_SURROGATE = re.compile("[\ud800-\udfff]")


class NormalizedText:
    """Normalized text, the decoded source, and the map between them.

    The map (``offsets``: offsets[i] = source index of text[i], offsets[len(text)] = len(source))
    is stored as runs: it counts up by one except where normalization edited the text, so a big
    file keeps a few numbers per edit instead of eight bytes per character.
    """

    def __init__(self, source: str | SourceText, text: str, offsets: np.ndarray | None = None, encoding: str | None = None,
                 removals: Sequence[Removal] | None = None, mojibake: list | None = None,
                 format: str | None = None, notes: list[str] | None = None, *,
                 runs: tuple[np.ndarray, np.ndarray] | None = None):
        self._source = source if isinstance(source, SourceText) else SourceText(source)
        self.text = text
        self.encoding = encoding
        self.removals = removals if removals is not None else []  # a compact Removals from normalize()
        self.mojibake: list[tuple[int, int, str]] = mojibake or []  # (start, end, context) in text
        self.format = format  # the file format the source was read from (txt, md, docx, html, pdf)
        self.notes = notes or []  # what the file reader removed or rebuilt to get ``source``
        pos, src = runs if runs is not None else _runs(np.asarray(offsets), 0)
        if len(pos) and max(int(pos[-1]), int(src[-1])) < 2**31 - 1:  # (the ends are the largest)
            pos, src = pos.astype(np.int32), src.astype(np.int32)
        self._pos, self._src = pos, src

    @property
    def source(self) -> str:
        """The decoded source (kept compressed for a big text until first read: :class:`SourceText`)."""
        return self._source.get()

    @property
    def text(self) -> str:
        """The normalized text (held as its documents' texts once ``share`` was called: joined on request)."""
        if self._text is None:
            self._text, self._pieces = "".join(self._pieces), None
        return self._text

    @text.setter
    def text(self, value: str) -> None:
        self._text, self._pieces, self._length = value, None, len(value)

    def share(self, pieces: list[str]) -> None:
        """Hold the text as ``pieces``, the texts of the documents that cover it in order, instead of
        a copy of its own: a compilation of many documents keeps its text once, not twice."""
        if sum(map(len, pieces)) != self._length:
            raise ValueError("the pieces do not cover the normalized text")
        self._text, self._pieces = None, list(pieces)

    @property
    def offsets(self) -> np.ndarray:
        """The full map, built on request (len(text) + 1 integers)."""
        n = self._length + 1
        lengths = np.diff(np.append(self._pos, n))
        return np.repeat(self._src - self._pos, lengths) + np.arange(n, dtype=np.int64)

    def offset(self, i: int) -> int:
        """Source index of text[i] (i == len(text) gives len(source))."""
        k = int(np.searchsorted(self._pos, i, side="right")) - 1
        return int(self._src[k]) + i - int(self._pos[k])

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets of the normalized span [start, end)."""
        if end <= start:
            s = self.offset(start)
            return s, s
        return self.offset(start), self.offset(end - 1) + 1

    def __repr__(self) -> str:
        return (f"<NormalizedText {self._length} characters from {self._source.length} "
                f"({self.format or 'text'}, {self.encoding or 'str'}), {len(self.removals)} removals>")


def _runs(offs: np.ndarray, pos: int) -> tuple[np.ndarray, np.ndarray]:
    """(text positions, source offsets) at which ``offs`` stops counting up by one, shifted by ``pos``."""
    if len(offs) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    starts = np.flatnonzero(np.diff(offs) != 1) + 1
    starts = np.concatenate([np.zeros(1, np.int64), starts.astype(np.int64)])
    return starts + pos, offs[starts].astype(np.int64)


# -- OpenCC --------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=1)
def _exceptions() -> tuple[re.Pattern | None, str]:
    """Phrases OpenCC gets wrong (乾安 → 干安): kept as written. (The pattern, and the characters
    the phrases start with: a text holding none of them is not scanned.)"""
    raw = resources.files("pingan_corpus").joinpath("data/opencc_exceptions.txt").read_text("utf-8")
    words = sorted({w.strip() for w in raw.splitlines() if w.strip() and not w.startswith("#")}, key=len, reverse=True)
    return (re.compile("|".join(map(re.escape, words))) if words else None), "".join(sorted({w[0] for w in words}))


def to_simplified(text: str) -> str:
    """OpenCC t2s, guarded by the phrase-exception list; simplified text comes out unchanged."""
    out = _converter().convert(text)
    guard, firsts = _exceptions()
    if guard is None or len(out) != len(text) or out == text:  # (nothing converted: nothing to restore)
        return out
    if not any(c in text for c in firsts):  # (a search for one character is many times faster than the scan)
        return out
    spans = [m.span() for m in guard.finditer(text)]
    if not spans:
        return out
    pieces, pos = [], 0
    for s, e in spans:
        pieces += (out[pos:s], text[s:e])
        pos = e
    pieces.append(out[pos:])
    return "".join(pieces)


# -- the edit machinery --------------------------------------------------------------------------
class Removals(Sequence):
    """The removals of a text, stored as three compact arrays (a big file has hundreds of thousands);
    items are built on access as Removal objects."""

    KINDS = ("pinyin", "field_code", "stray_mark", "control", "bom", "html", "markup")

    def __init__(self, source: str | SourceText = ""):
        self._source = source if isinstance(source, SourceText) else SourceText(source)
        self._kinds = array("b")
        self._starts = array("q")
        self._ends = array("q")

    def append(self, removal: Removal) -> None:
        if removal.kind not in self.KINDS:
            self.KINDS = self.KINDS + (removal.kind,)
        self.add(removal.kind, removal.start, removal.end)

    def add(self, kind: str, start: int, end: int) -> None:
        self._kinds.append(self.KINDS.index(kind))
        self._starts.append(start)
        self._ends.append(end)

    def add_spans(self, kind: str, starts: np.ndarray, ends: np.ndarray) -> None:
        """Removals of one kind, in order, from arrays of source starts and ends."""
        self._kinds.frombytes(np.full(len(starts), self.KINDS.index(kind), np.int8).tobytes())
        self._starts.frombytes(np.asarray(starts, np.int64).tobytes())  # (the arrays' own type: no list between)
        self._ends.frombytes(np.asarray(ends, np.int64).tobytes())

    def __len__(self) -> int:
        return len(self._kinds)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        s, e = self._starts[i], self._ends[i]
        return Removal(self.KINDS[self._kinds[i]], s, e, self._source.get()[s:e])

    def __eq__(self, other) -> bool:
        return list(self) == list(other)

    def __repr__(self) -> str:
        return f"<{len(self)} removals>"


def _holds_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether ``text`` holds one of ``words``, each looked for only when the text holds its first
    character: a search for one character is many times faster than one for several."""
    return any(w[0] in text and w in text for w in words)


@functools.lru_cache(maxsize=64)
def _grouped(pattern: re.Pattern) -> re.Pattern | None:
    """``pattern`` as one capturing group, for re.split to return its matches (None for a pattern
    with groups of its own: split would return those too)."""
    if pattern.groups:
        return None
    return re.compile(f"({pattern.pattern})", pattern.flags)


def _without(offsets: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """``offsets`` without the entries of the sorted, non-overlapping ranges [starts, ends): their
    indices are made at once, in proportion to what goes, not to the whole array."""
    lengths = ends - starts
    keep = np.ones(len(offsets), bool)
    keep[np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())] = False
    return offsets[keep]


class _State:
    """Text being normalized plus, for each character, its offset in the source."""

    def __init__(self, source: str, base: int = 0, removals: Removals | None = None, dtype=None):
        self.source = source
        self.text = source
        # int32 halves the largest structure of a big file (4 bytes per character instead of 8)
        if dtype is None:
            dtype = np.int32 if base + len(source) < 2**31 - 1 else np.int64
        self.offsets = np.arange(base, base + len(source) + 1, dtype=dtype)  # a block's offsets are global
        self.removals = Removals(source) if removals is None else removals
        self._classes_of: str | None = None

    def classes(self) -> np.ndarray:
        """The ``_class_table`` bits of every character of the text, computed again when it changes."""
        if self._classes_of is not self.text:
            self._classes, self._classes_of = _classes(self.text), self.text
        return self._classes

    def sub(self, pattern: re.Pattern, repl, kind: str | None = None, needs: tuple[str, ...] = (),
            finditer=None) -> None:
        """Replace matches; removed text of a named ``kind`` is recorded as a Removal.

        ``needs``: strings one of which every match contains; a text holding none of them cannot
        match, and the pass is skipped without running the pattern. ``finditer``: a function that
        finds the same matches as ``pattern.finditer`` (faster), used in its place.

        A constant replacement no longer than what it replaces (every call of ``normalize``) keeps
        the first characters' offsets and drops the rest: the new offsets are one boolean mask away
        from the old ones. The matches are found once (a second ``pattern.sub`` pass would double
        the regex time); their spans, of one block of a big text at a time, are all that is kept
        per match, and the bookkeeping runs on them as arrays, not match by match.
        """
        text = self.text
        if needs and not _holds_any(text, needs):
            return
        if callable(repl):
            return self._sub_general(pattern, repl, kind, finditer)
        grouped = _grouped(pattern) if finditer is None else None
        if grouped is not None:
            # re.split finds the matches with no match object each (most of the cost of a pattern
            # with many matches): the pieces it returns are the kept text and the matches, in turn
            pieces = grouped.split(text)
            if len(pieces) == 1:
                return
            bounds = np.cumsum(np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces)))
            st, en = bounds[:-1:2], bounds[1::2]
            found = pieces[1::2]
        else:
            spans = [m.span() for m in (finditer or pattern.finditer)(text)]
            if not spans:
                return
            se = np.fromiter(chain.from_iterable(spans), dtype=np.int64, count=2 * len(spans)).reshape(-1, 2)
            st, en = se[:, 0], se[:, 1]
            found = None
        n = len(repl)
        if (en - st < n).any():
            return self._sub_general(pattern, repl, kind, finditer)
        changed = en - st > n  # a match equal to its replacement changes nothing
        for i in np.flatnonzero(~changed).tolist():
            changed[i] = (found[i] if found is not None else text[spans[i][0]:spans[i][1]]) != repl
        if not changed.any():
            return
        if grouped is not None:  # (a match left as it is equals ``repl``: the same text)
            self.text = repl.join(pieces[::2])
            del pieces, found
        st, en = st[changed], en[changed]
        offs = self.offsets
        if kind:
            nonempty = en > st
            self.removals.add_spans(kind, offs[st[nonempty]], offs[en[nonempty] - 1] + 1)
        if grouped is None:
            cuts = np.empty(2 * len(st) + 2, dtype=np.int64)  # 0, s1, e1, s2, e2, …, len: the kept pieces
            cuts[0], cuts[-1] = 0, len(text)
            cuts[1:-1:2], cuts[2:-1:2] = st, en
            cuts = cuts.tolist()
            self.text = repl.join([text[a:b] for a, b in zip(cuts[::2], cuts[1::2])])
        del text
        st = st + n
        keep = st < en
        self.offsets = _without(offs, st[keep], en[keep])
        assert len(self.offsets) == len(self.text) + 1

    def _sub_general(self, pattern: re.Pattern, repl, kind: str | None = None, finditer=None) -> None:
        text, offs = self.text, self.offsets
        pieces: list[str] = []
        maps: list[np.ndarray] = []
        pos = 0
        for m in (finditer or pattern.finditer)(text):
            s, e = m.span()
            r = repl(m) if callable(repl) else repl
            if r == m.group(0):
                continue
            pieces.append(text[pos:s])
            maps.append(offs[pos:s])
            if r:
                pieces.append(r)
                idx = np.minimum(np.arange(len(r)), max(e - s - 1, 0)) + s
                maps.append(offs[idx])
            if kind and e > s:
                self.removals.add(kind, int(offs[s]), int(offs[e - 1]) + 1)
            pos = e
        if not pieces:
            return
        pieces.append(text[pos:])
        maps.append(offs[pos:])
        self.text = "".join(pieces)
        self.offsets = np.concatenate(maps)

    def delete(self, spans: Sequence[tuple[int, int]], kind: str) -> None:
        """Delete sorted, non-overlapping spans of the current text, recorded as removals of ``kind``."""
        if not spans:
            return
        text, offs = self.text, self.offsets
        pieces, pos = [], 0
        for s, e in spans:
            self.removals.add(kind, int(offs[s]), int(offs[e - 1]) + 1)
            pieces.append(text[pos:s])
            pos = e
        pieces.append(text[pos:])
        self.text = "".join(pieces)
        starts, ends = np.array(spans, dtype=np.int64).reshape(-1, 2).T
        self.offsets = _without(offs, starts, ends)
        assert len(self.offsets) == len(self.text) + 1

    def collapse(self, char: str) -> None:
        """Replace every run of two or more ``char`` by one, which keeps the offset of the run's first:
        what ``sub`` does with the pattern ``char{2,}``, found here for all runs at once."""
        text = self.text
        if char not in text or char * 2 not in text:  # (one character is found many times faster than two)
            return
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        is_char = codes == ord(char)
        keep = np.ones(len(codes) + 1, dtype=bool)  # the offsets have one more entry: the end
        keep[1:-1] = ~(is_char[1:] & is_char[:-1])  # not a repeat of the character before it
        self.text = codes[keep[:-1]].tobytes().decode("utf-32-le", "surrogatepass")
        self.offsets = self.offsets[keep]

    def strip_line_breaks(self) -> None:
        """Drop the line breaks at both ends: what ``sub`` with ``^\\n+|\\n+$`` does, without a scan
        that tries every line break for the end of the text."""
        text = self.text
        n = len(text)
        lead = n - len(text.lstrip("\n"))
        trail = n - len(text.rstrip("\n")) if lead < n else 0
        if lead or trail:
            self.text = text[lead:n - trail]
            self.offsets = np.concatenate([self.offsets[lead:n - trail], self.offsets[n:]])

    def same_length(self, new_text: str) -> None:
        """A one-for-one rewrite: offsets stay as they are."""
        assert len(new_text) == len(self.text)
        self.text = new_text


def _field_codes(text: str):
    """``rx.FIELD_CODE.finditer(text)``, the pattern tried only before a field name (HYPERLINK, TOC …),
    from the start of the spaces and brace in front of it, instead of at every character."""
    end = 0
    for name in rx.FIELD_CODE_NAME.finditer(text):
        p = name.start()
        if p < end:  # inside the field code before (REF in PAGEREF, a name as an argument)
            continue
        while p > end and text[p - 1] in " \t":
            p -= 1
        if p > end and text[p - 1] == "{":
            p -= 1
            while p > end and text[p - 1] in " \t":
                p -= 1
        m = rx.FIELD_CODE.match(text, p)
        if m is not None:  # else no start before this name matches: its arguments do not follow
            yield m
            end = m.end()


def _html_tag(m: re.Match) -> str:
    return "\n" if m.group("tag").lower() in rx.HTML_BLOCK_TAGS else ""


def _html_entity(m: re.Match) -> str:
    # decoded, then made canonical like the rest of the text (&emsp; is a space, &#65297; a digit)
    return html.unescape(m.group(0)).translate(_ONE_FOR_ONE)


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)


def _fullwidth(text: str) -> str:
    """``_fullwidth_punct(_fullwidth_parens(text))``, on one array of the characters' codes and
    classes (the classes of the parentheses made full-width brought up to date in between)."""
    codes = _codes(text).copy()
    classes = np.take(_class_table(), codes)
    changed = "(" in text and _parens_on(codes, classes)
    changed = _punct_on(codes, classes) or changed
    return codes.tobytes().decode("utf-32-le", "surrogatepass") if changed else text


def _fullwidth_parens(text: str, rounds: int = 4) -> str:
    """The pairs of ``rx.ASCII_PARENS`` made full-width (see _parens_on)."""
    if "(" not in text:
        return text
    codes = _codes(text).copy()
    changed = _parens_on(codes, np.take(_class_table(), codes), rounds)
    return codes.tobytes().decode("utf-32-le", "surrogatepass") if changed else text


def _fullwidth_punct(text: str) -> str:
    """The matches of ``rx.HALFWIDTH_PUNCT_IN_CJK`` made full-width (see _punct_on)."""
    codes = _codes(text).copy()
    changed = _punct_on(codes, np.take(_class_table(), codes))
    return codes.tobytes().decode("utf-32-le", "surrogatepass") if changed else text


def _parens_on(codes: np.ndarray, classes: np.ndarray, rounds: int = 4) -> bool:
    """The pairs of ``rx.ASCII_PARENS`` made full-width in ``codes`` (and ``classes``, the
    ``_class_table`` bits of ``codes``, kept up to date), all at once, in ``rounds`` rounds at most
    (nested: (市、区(第一)) converts its inner pair first, then the outer one). Whether any changed.

    Inside a pair there is no parenthesis: the ) of a ( is the next of ( ) or a line break, and
    pairs never overlap; a pair is Chinese by a Chinese character before, inside or after it (a
    full-width parenthesis is not one: only the pairs change from round to round). The parentheses
    and line breaks are found once; a round looks at those still there, not at the whole text.
    """
    stops = np.flatnonzero((codes == 0x28) | (codes == 0x29) | (codes == 0x0A))
    if not len(stops):
        return False
    cjk = inside = None
    done = []
    for _ in range(rounds):
        at = np.flatnonzero(codes[stops] == 0x28)  # the ( among the stops; the next stop follows each
        if not len(at):
            break
        opens, nxt = stops[at], at + 1
        close = stops[np.minimum(nxt, len(stops) - 1)]
        pair = (nxt < len(stops)) & (codes[close] == 0x29) & (close - opens <= 81)
        if not pair.any():
            break
        if inside is None:  # Chinese characters before each position: whether a pair holds one
            cjk = np.append((classes & _CJK).astype(bool), False)  # (False after the end)
            inside = np.concatenate([[0], np.cumsum(cjk, dtype=np.int32)])
        pair &= (inside[close] > inside[opens + 1]) | cjk[opens - 1] & (opens > 0) | cjk[close + 1]
        if not pair.any():
            break
        where = np.concatenate([opens[pair], close[pair]])
        codes[where] = _FULLWIDTH_CODES[codes[where]]
        done.append(where)
        keep = np.ones(len(stops), bool)  # a pair made full-width stops nothing in the next round
        keep[at[pair]] = keep[at[pair] + 1] = False
        stops = stops[keep]
    if not done:
        return False
    where = np.concatenate(done)
    classes[where] = np.take(_class_table(), codes[where])
    return True


def _punct_on(codes: np.ndarray, classes: np.ndarray) -> bool:
    """The matches of ``rx.HALFWIDTH_PUNCT_IN_CJK`` made full-width in ``codes``, all at once
    (``classes``: the ``_class_table`` bits of ``codes``). Whether any changed.

    A match is a whole run of ,;:! (no shorter one can match: a mark is no Chinese context), taken
    when Chinese context stands before it or a Chinese character after it (after a space or not).
    """
    where = np.flatnonzero(classes & _HALFWIDTH)
    if not len(where):
        return False
    first = np.ones(len(where), bool)  # the first mark of its run
    first[1:] = where[1:] != where[:-1] + 1
    starts = where[first]
    ends = where[np.append(first[1:], True)] + 1
    n = len(codes)

    def at(values: np.ndarray, pos: np.ndarray) -> np.ndarray:  # (what follows the end: 0, nothing Chinese)
        return np.where(pos < n, values[np.minimum(pos, n - 1)], 0)

    context = (classes[starts - 1] & _CJK_CONTEXT).astype(bool) & (starts > 0)
    chinese_after = (at(classes, ends) & _CJK).astype(bool) | (
        (at(codes, ends) == 0x20) & (at(classes, ends + 1) & _CJK).astype(bool))
    runs = context | chinese_after
    if not runs.any():
        return False
    where = where[runs[np.cumsum(first) - 1]]
    codes[where] = _FULLWIDTH_CODES[codes[where]]
    return True


def normalize(data: str | bytes, name: str = "input", *, encoding: str | None = None, format: str | None = None,
              notes: list[str] | None = None) -> NormalizedText:
    """Decode (if bytes) and normalize; see the module docstring for what changes.

    ``encoding``, ``format`` and ``notes`` describe how a file reader got ``data`` (kept on the result).
    A big text is normalized a block at a time (see ``_blocks``): same result, bounded memory.
    """
    if isinstance(data, (bytes, bytearray)):
        data, encoding = decode(bytes(data), name)
    source = data
    held = SourceText(source)
    removals = Removals(held)
    dtype = np.int32 if len(source) < 2**31 - 1 else np.int64
    parts: list[str] = []
    positions: list[np.ndarray] = []
    values: list[np.ndarray] = []
    n = 0
    for k, (s, e) in enumerate(_blocks(source)):
        if k:  # the line break between two blocks: always kept, one for one
            parts.append("\n")
            positions.append(np.array([n], np.int64))
            values.append(np.array([s - 1], np.int64))
            n += 1
        st = _normalize_block(source[s:e], s, removals, dtype, markup=format == "md")
        parts.append(st.text)
        p, v = _runs(st.offsets[:-1], n)
        positions.append(p)
        values.append(v)
        n += len(st.text)
        del st, p, v
    positions.append(np.array([n], np.int64))  # the end: offsets[len(text)] = len(source)
    values.append(np.array([len(source)], np.int64))
    if k:  # a big text: its source is kept compressed, and freed before the text is joined (when
        # the caller passed its last reference, as parse_file does)
        held.compress()
        del data, source
    text = parts[0] if len(parts) == 1 else "".join(parts)
    del parts
    if k:  # several blocks: their temporaries are freed now, between the blocks' results
        _trim_heap()
    result = NormalizedText(held, text, None, encoding, removals, format=format, notes=list(notes or []),
                            runs=(np.concatenate(positions), np.concatenate(values)))
    result.mojibake = find_mojibake(text)
    return result


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    """glibc's malloc_trim, or None (another C library)."""
    import ctypes

    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):  # (no C library by that name, or no malloc_trim in it)
        return None


def _trim_heap() -> None:
    """Give the C heap's free pages back to the system. The numpy temporaries of a big text's blocks
    are freed between the blocks' results, so the heap cannot shrink: without this, they stay
    resident and what is built next (the regulations' objects, in their own memory) comes on top."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


_BLOCK = 1 << 18  # characters per normalization block of a big text
# a block boundary: a line break between two Chinese characters. No step removes, merges or
# looks across such a line break, so blocks normalized apart join into the text normalized whole.
_BLOCK_BREAK = re.compile(f"(?<=[{rx.CJK}])\n(?=[{rx.CJK}])")


def _blocks(source: str):
    """(start, end) of the blocks of ``source``, the line break between two blocks in neither."""
    pos = 0
    while len(source) - pos > 2 * _BLOCK:
        m = _BLOCK_BREAK.search(source, pos + _BLOCK)
        if m is None:
            break
        yield pos, m.start()
        pos = m.end()
    yield pos, len(source)


@functools.lru_cache(maxsize=1)
def _class_table() -> np.ndarray:
    """A byte per code point, its bits the classes the character is in (the classes are all in the BMP)."""
    table = np.zeros(0x110000, np.uint8)
    table[list(_ONE_FOR_ONE)] |= _REWRITTEN
    bmp = "".join(map(chr, range(0x10000)))  # position = code point
    for bit, pattern in ((_CONTROL, rx.CONTROL_CHARS), (_BRACKET, re.compile("[(（]")),
                         (_PINYIN_LETTER, re.compile(f"[{rx.PINYIN_LETTER}]")),
                         (_STRAY_MARK, re.compile(f"[{rx.STRAY_MARKS}]")), (_CJK, re.compile(f"[{rx.CJK}]")),
                         (_HALFWIDTH, re.compile(f"[{rx.HALFWIDTH_PUNCT}]")),
                         (_CJK_CONTEXT, re.compile(f"[{rx.CJK}{rx.CJK_PUNCT}]"))):
        table[[m.start() for m in pattern.finditer(bmp)]] |= bit
    return table


def _classes(text: str) -> np.ndarray:
    """The bits of ``_class_table`` of every character of ``text``: one table look-up per character in
    numpy, where a regex scan for a character class costs several times more per character."""
    return np.take(_class_table(), _codes(text))


def _pairs(classes: np.ndarray, first: int, second: int) -> list[int]:
    """Where a character of class ``first`` stands right before one of class ``second``."""
    return np.flatnonzero((classes[:-1] & first).astype(bool) & (classes[1:] & second).astype(bool)).tolist()


# a pattern tried at more than one place in this many characters is run over the whole text instead:
# a scan costs about as much as a hundred tries from Python
_DENSE = 100


def _matches_at(pattern: re.Pattern, starts: list[int]):
    """A ``finditer`` for a pattern whose matches (never empty) can only start at ``starts``: the
    pattern is tried there alone, not at every character."""
    def finditer(text: str):
        end = 0
        for p in starts:
            if p >= end:
                m = pattern.match(text, p)
                if m is not None:
                    yield m
                    end = m.end()
    return finditer


_CRLF = re.compile("\r\n")


def _normalize_block(text: str, base: int, removals: Removals, dtype, markup: bool = False) -> _State:
    st = _State(text, base, removals, dtype)
    st.sub(_CRLF, "\n", needs=("\r\n",))
    classes = int(np.bitwise_or.reduce(st.classes(), initial=0))
    # (the rewrite below neither adds nor removes a control character)
    if classes & _REWRITTEN:
        st.same_length(_ONE_FOR_ONE_RUN.sub(lambda m: m.group(0).translate(_ONE_FOR_ONE), st.text))
    if classes & _CONTROL:
        st.sub(rx.CONTROL_CHARS, "", "control")
    st.sub(rx.FIELD_CODE, "", "field_code", needs=rx.FIELD_CODE_WORDS, finditer=_field_codes)
    if markup:  # Markdown: its marks are deleted before anything reads the text (readers/markdown.py)
        st.delete(markdown.block_spans(st.text, at_start=base == 0), "markup")
        st.delete(markdown.line_spans(st.text), "markup")
    for _ in range(3):  # &amp;nbsp; and &lt;br&gt; need a second round: the result must be stable
        if "<" not in st.text and "&" not in st.text:
            break
        before = st.text
        st.sub(rx.HTML_ENTITY, _html_entity, "html")
        st.sub(rx.HTML_TAG_IN_TEXT, _html_tag, "html")
        if st.text == before:
            break
    # the classes the text holds: the removals below only delete characters, they add none
    held = int(np.bitwise_or.reduce(st.classes(), initial=0))
    pinyin = held & _BRACKET and held & _PINYIN_LETTER
    stray = held & _CJK and held & _STRAY_MARK
    for _ in range(4 if pinyin or stray else 0):  # removing (shè) from ((shè)shè) leaves another annotation behind
        before = len(st.text)
        # each pattern is tried only where the text holds what its match needs first: a bracket
        # before a pinyin letter, a mark after a Chinese character (in the second round, rarely any)
        starts = _pairs(st.classes(), _BRACKET, _PINYIN_LETTER) if pinyin else []
        if starts:
            # (a web copy may annotate every other word: then one scan of the text costs less)
            st.sub(rx.PINYIN_ANNOTATION, "", "pinyin",
                   finditer=None if len(starts) * _DENSE >= len(st.text) else _matches_at(rx.PINYIN_ANNOTATION, starts))
        starts = [p + 1 for p in _pairs(st.classes(), _CJK, _STRAY_MARK)] if stray else []
        if starts:
            st.sub(rx.STRAY_MARK, "", "stray_mark", finditer=_matches_at(rx.STRAY_MARK, starts))
        if len(st.text) == before:
            break
    _simplify(st)
    st.collapse(" ")  # before punctuation: its context allows one space, not a run
    # parentheses first: a full-width （ is Chinese context for the punctuation inside it, (:shè) → （：shè）
    st.same_length(_fullwidth(st.text))
    st.sub(rx.INNER_SPACE, "")
    st.collapse(" ")
    # run only when a line or the text has such an edge (most texts have no space left at all)
    if " " in st.text and (st.text[:1] == " " or st.text[-1:] == " " or "\n " in st.text or " \n" in st.text):
        st.sub(rx.LINE_EDGE_SPACE, "")
    st.collapse("\n")
    st.strip_line_breaks()
    return st


_CHUNK = 1 << 20  # OpenCC works on UTF-8 copies of its input: convert a big text a megabyte at a time


def _chunks(text: str):
    """(start, end) of pieces of about _CHUNK characters ending at a line break (phrases never span one)."""
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos + _CHUNK)
        end = len(text) if end < 0 else end + 1
        yield pos, end
        pos = end


def _simplify(st: _State) -> None:
    text, offs = st.text, st.offsets
    pieces: list[str] = []
    maps: list[np.ndarray] = []
    changed = False
    for s, e in _chunks(text):
        chunk = text[s:e]
        out = to_simplified(chunk)
        if len(out) == len(chunk):
            pieces.append(out)
            maps.append(offs[s:e])
        else:  # rare: a phrase conversion changed the length; align this chunk line by line
            out, m = _simplify_lines(chunk, offs[s:e])
            pieces.append(out)
            maps.append(m)
            changed = True
        del chunk, out
    if not changed:
        st.same_length("".join(pieces))
        return
    maps.append(offs[-1:])
    st.text = "".join(pieces)
    st.offsets = np.concatenate(maps)


def _simplify_lines(chunk: str, offs: np.ndarray) -> tuple[str, np.ndarray]:
    from rapidfuzz.distance import Indel

    pieces, maps, pos = [], [], 0
    for line in chunk.split("\n"):
        conv = to_simplified(line)
        lo = offs[pos:pos + len(line)]
        if len(conv) == len(line):
            m = lo
        else:
            idx = np.zeros(len(conv), dtype=np.int64)  # positions inside the line: small
            for op in Indel.opcodes(line, conv):
                for k in range(op.dest_start, op.dest_end):
                    idx[k] = min(op.src_start + (k - op.dest_start), max(op.src_end - 1, op.src_start))
            m = lo[np.minimum(idx, max(len(line) - 1, 0))] if len(line) else np.zeros(len(conv), offs.dtype)
        pieces.append(conv)
        maps.append(m)
        pos += len(line)
        if pos < len(chunk):
            pieces.append("\n")
            maps.append(offs[pos:pos + 1])
            pos += 1
    return "".join(pieces), np.concatenate(maps) if maps else offs[:0]


def find_mojibake(text: str) -> list[tuple[int, int, str]]:
    """Runs of unrepairable mojibake (?? or U+FFFD inside Chinese text) as (start, end, context)."""
    found: list[tuple[int, int, str]] = []
    if "?" not in text and "\ufffd" not in text:  # what every match holds
        return found
    for m in rx.MOJIBAKE_CORE.finditer(text):
        s, e = m.span()
        if found and s < found[-1][1]:
            continue
        ctx = rx.MOJIBAKE.search(text, max(0, s - 4), min(len(text), e + 12))
        cs, ce = (ctx.span() if ctx else (s, e))
        found.append((cs, ce, text[cs:ce]))
    return found


def normalize_text(text: str) -> str:
    """Just the normalized string (idempotent: normalize_text(normalize_text(t)) == normalize_text(t))."""
    return normalize(text).text
