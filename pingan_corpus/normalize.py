"""Step 1 of the pipeline: bytes → clean simplified text, with a map back to the source.

Every edit is recorded: characters kept map to their source offset (``offsets``), characters
removed are listed in ``removals`` (pinyin annotations, field codes, stray marks, control
characters) or are whitespace. Normalizing normalized text changes nothing.
"""
from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass, field
from importlib import resources

import numpy as np

from . import regexes as rx
from .errors import EncodingError

_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_FULLWIDTH_ALNUM.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})
_FULLWIDTH_ALNUM.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})
_ONE_FOR_ONE = str.maketrans({**{ord(c): " " for c in rx.SPACE_CHARS}, "\r": "\n", **_FULLWIDTH_ALNUM})
_TO_FULLWIDTH = {",": "，", ";": "；", ":": "：", "!": "！", "(": "（", ")": "）"}
_CN_CONTENT = re.compile(f"[{rx.CJK}]")


@dataclass(slots=True)
class Removal:
    """Characters dropped by normalization, with their span in the source."""

    kind: str  # pinyin | field_code | stray_mark | control | bom
    start: int
    end: int
    text: str


@dataclass
class NormalizedText:
    """Normalized text, the decoded source, and the map between them."""

    source: str
    text: str
    offsets: np.ndarray  # offsets[i] = source index of text[i]; offsets[len(text)] = len(source)
    encoding: str | None = None
    removals: list[Removal] = field(default_factory=list)
    mojibake: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, context) in text

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets of the normalized span [start, end)."""
        if end <= start:
            s = int(self.offsets[start])
            return s, s
        return int(self.offsets[start]), int(self.offsets[end - 1]) + 1


# -- decoding ------------------------------------------------------------------------------------
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes, name: str = "input") -> tuple[str, str]:
    """Decode bytes as UTF-8 (± BOM), UTF-16/32 (BOM or NUL pattern), GB18030 or Big5; say which.

    Raises EncodingError for binary data or bytes no supported encoding reads.
    """
    if not data:
        return "", "utf-8"
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as e:
                raise EncodingError(f"{name}: starts with a {enc} byte-order mark but is not valid {enc}: {e}") from None
    sample = data[:4096]
    nul = sample.count(0)
    if nul:
        # UTF-16 without BOM: every other byte is NUL for ASCII; Chinese text has few NULs but an even length
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        for enc, ok in (("utf-16-le", odd > even), ("utf-16-be", even > odd)):
            if ok and len(data) % 2 == 0:
                try:
                    text = data.decode(enc)
                except UnicodeDecodeError:
                    continue
                if _looks_textual(text):
                    return text, enc
        raise EncodingError(f"{name}: binary data (NUL bytes), not a text file; "
                            "save the regulation as a .txt file (UTF-8)")
    for enc in ("utf-8", "gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc != "utf-8" and not _looks_textual(text):
            continue
        return text, enc
    try:  # a last opinion before giving up
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None and _looks_textual(str(best)):
            return str(best), str(best.encoding)
    except ImportError:  # pragma: no cover - optional
        pass
    raise EncodingError(f"{name}: not text in UTF-8, UTF-16, GB18030/GBK or Big5; "
                        "re-save it as UTF-8 text")


def _looks_textual(text: str) -> bool:
    if not text:
        return True
    sample = text[:4096]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t") or 0xE000 <= ord(ch) <= 0xF8FF)
    return bad / len(sample) < 0.02


# -- OpenCC --------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=1)
def _exceptions() -> re.Pattern | None:
    """Phrases OpenCC gets wrong (乾安 → 干安): kept as written."""
    raw = resources.files("pingan_corpus").joinpath("data/opencc_exceptions.txt").read_text("utf-8")
    words = sorted({w.strip() for w in raw.splitlines() if w.strip() and not w.startswith("#")}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))) if words else None


def to_simplified(text: str) -> str:
    """OpenCC t2s, guarded by the phrase-exception list; simplified text comes out unchanged."""
    out = _converter().convert(text)
    guard = _exceptions()
    if guard is None or len(out) != len(text):
        return out
    spans = [m.span() for m in guard.finditer(text)]
    if not spans:
        return out
    chars = list(out)
    for s, e in spans:
        chars[s:e] = text[s:e]
    return "".join(chars)


# -- the edit machinery --------------------------------------------------------------------------
class _State:
    """Text being normalized plus, for each character, its offset in the source."""

    def __init__(self, source: str):
        self.source = source
        self.text = source
        self.offsets = np.arange(len(source) + 1, dtype=np.int64)
        self.removals: list[Removal] = []

    def sub(self, pattern: re.Pattern, repl, kind: str | None = None) -> None:
        """Replace matches; removed text of a named ``kind`` is recorded as a Removal."""
        text, offs = self.text, self.offsets
        pieces: list[str] = []
        maps: list[np.ndarray] = []
        pos = 0
        for m in pattern.finditer(text):
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
                src_s, src_e = int(offs[s]), int(offs[e - 1]) + 1
                self.removals.append(Removal(kind, src_s, src_e, self.source[src_s:src_e]))
            pos = e
        if not pieces:
            return
        pieces.append(text[pos:])
        maps.append(offs[pos:])
        self.text = "".join(pieces)
        self.offsets = np.concatenate(maps)

    def same_length(self, new_text: str) -> None:
        """A one-for-one rewrite: offsets stay as they are."""
        assert len(new_text) == len(self.text)
        self.text = new_text


def _parens(m: re.Match) -> str:
    inner = m.group(1)
    text, s, e = m.string, m.start(), m.end()
    before = text[s - 1] if s else ""
    after = text[e] if e < len(text) else ""
    if _CN_CONTENT.search(inner) or _CN_CONTENT.match(before or " ") or _CN_CONTENT.match(after or " "):
        return f"（{inner}）"
    return m.group(0)


def normalize(data: str | bytes, name: str = "input") -> NormalizedText:
    """Decode (if bytes) and normalize; see the module docstring for what changes."""
    encoding = None
    if isinstance(data, (bytes, bytearray)):
        data, encoding = decode(bytes(data), name)
    st = _State(data)
    st.sub(re.compile("\r\n"), "\n")
    st.same_length(st.text.translate(_ONE_FOR_ONE))
    st.sub(rx.CONTROL_CHARS, "", "control")
    st.sub(rx.FIELD_CHARS, "", "control")
    st.sub(rx.FIELD_CODE, "", "field_code")
    for _ in range(4):  # removing (shè) from ((shè)shè) leaves another annotation behind
        before = len(st.text)
        st.sub(rx.PINYIN_ANNOTATION, "", "pinyin")
        st.sub(rx.STRAY_MARK, "", "stray_mark")
        if len(st.text) == before:
            break
    _simplify(st)
    st.sub(rx.MULTI_SPACE, " ")  # before punctuation: its context allows one space, not a run
    st.same_length(rx.HALFWIDTH_PUNCT_IN_CJK.sub(lambda m: _TO_FULLWIDTH[m.group(0)], st.text))
    st.same_length(rx.ASCII_PARENS.sub(_parens, st.text))
    st.sub(rx.INNER_SPACE, "")
    st.sub(rx.MULTI_SPACE, " ")
    st.sub(rx.LINE_EDGE_SPACE, "")
    st.sub(rx.BLANK_LINES, "\n")
    st.sub(re.compile(r"^\n+|\n+$"), "")
    result = NormalizedText(st.source, st.text, st.offsets, encoding, st.removals)
    result.mojibake = find_mojibake(st.text)
    return result


def _simplify(st: _State) -> None:
    out = to_simplified(st.text)
    if len(out) == len(st.text):
        st.same_length(out)
        return
    # rare: a phrase conversion changed the length; redo line by line and align the odd lines
    from rapidfuzz.distance import Indel

    lines = st.text.split("\n")
    pieces, maps, pos = [], [], 0
    for i, line in enumerate(lines):
        conv = to_simplified(line)
        offs = st.offsets[pos:pos + len(line)]
        if len(conv) == len(line):
            m = offs
        else:
            idx = np.zeros(len(conv), dtype=np.int64)
            for op in Indel.opcodes(line, conv):
                for k in range(op.dest_start, op.dest_end):
                    idx[k] = min(op.src_start + (k - op.dest_start), max(op.src_end - 1, op.src_start))
            m = offs[np.minimum(idx, max(len(line) - 1, 0))] if len(line) else np.zeros(len(conv), np.int64)
        pieces.append(conv)
        maps.append(m)
        pos += len(line)
        if i < len(lines) - 1:
            pieces.append("\n")
            maps.append(st.offsets[pos:pos + 1])
            pos += 1
    maps.append(st.offsets[-1:])
    st.text = "".join(pieces)
    st.offsets = np.concatenate(maps)


def find_mojibake(text: str) -> list[tuple[int, int, str]]:
    """Runs of unrepairable mojibake (?? or U+FFFD inside Chinese text) as (start, end, context)."""
    found: list[tuple[int, int, str]] = []
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
