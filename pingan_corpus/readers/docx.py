"""Word .docx: paragraphs and tables in order, Word's automatic numbering written out as displayed."""
from __future__ import annotations

import io
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..errors import UnsupportedFormatError, require
from ..numerals import to_chinese
from .base import ZIP_ERRORS, ReadResult, check_zip_parts, open_zip, read_bytes

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_IDEOGRAPH_TRADITIONAL = "甲乙丙丁戊己庚辛壬癸"
_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"
_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CIRCLED = "".join(chr(0x2460 + i) for i in range(20))
# Roman numerals and repeated letters spell counters from 1 to this; others are written in digits
# (what Word writes for a number a format cannot express). 3999 = MMMCMXCIX, the largest Roman
# numeral written without overlines; a letter label is then at most 154 letters long. Without the
# bound a list starting at 10**9 made labels of a million M (38 million letters for lowerLetter).
SPELLED_MAX = 3999
# The numbers of w:numbering as Word writes them (ST_DecimalNumber): a 32-bit integer; levels 0-8
_DECIMAL = re.compile(r"[+-]?[0-9]{1,10}")
_INT32 = (-(2**31), 2**31 - 1)
_LEVELS = (0, 8)


def _roman(n: int) -> str:
    out = []
    for v, s in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                 (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        k, n = divmod(n, v)
        out.append(s * k)
    return "".join(out)


def _letters(n: int) -> str:
    # Word repeats the letter: 27 → AA, 28 → BB
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _legal(n: int) -> str:
    return "".join(_LEGAL_DIGITS[int(d)] for d in str(n)) if n >= 10 else _LEGAL_DIGITS[n]


def format_number(n: int, fmt: str) -> str:
    """A counter in one of Word's w:numFmt formats (the ones legislation uses, and the common ones);
    in digits when the format cannot express it (a negative number; Roman or letters past SPELLED_MAX)."""
    if fmt in ("none", "bullet"):
        return ""
    if n < 0 or (fmt in ("upperRoman", "lowerRoman", "upperLetter", "lowerLetter") and not 1 <= n <= SPELLED_MAX):
        return str(n)
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "japaneseDigitalTenThousand", "taiwaneseCountingThousand"):
        return to_chinese(n)
    if fmt in ("ideographDigital", "taiwaneseDigital", "chineseDigital"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        return _legal(n)
    if fmt == "ideographTraditional":
        return _IDEOGRAPH_TRADITIONAL[(n - 1) % 10]
    if fmt in ("ideographZodiac", "ideographZodiacTraditional"):
        return _ZODIAC[(n - 1) % 12]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle") and 1 <= n <= 20:
        return _CIRCLED[n - 1]
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalEnclosedFullstop" and 1 <= n <= 20:
        return chr(0x2488 + n - 1)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    return str(n)  # decimal, and any format we do not know: digits are what Word falls back to


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    suffix: str = "tab"
    restart: int | None = None  # w:lvlRestart: restart after this (1-based) level; 0 = never
    legal: bool = False


class _Numbering:
    """Word's list numbering, computed the way Word displays it (counters per abstract list)."""

    def __init__(self, numbering_el, styles_el):
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.used: set[tuple[str, int]] = set()
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        self.style_parent: dict[str, str] = {}
        self.missing: set[str] = set()
        self.malformed: Counter = Counter()  # (attribute, value) that is not a number, treated as absent
        if numbering_el is not None:
            # a definition whose id is not a number is left out (its paragraphs are reported unnumbered)
            for an in numbering_el.iter(f"{_W}abstractNum"):
                aid = self._id(an.get(f"{_W}abstractNumId"), "w:abstractNumId")
                if aid is not None:
                    self.abstract[aid] = {self._ilvl(lv.get(f"{_W}ilvl")) or 0: self._level(lv)
                                          for lv in an.iter(f"{_W}lvl")}
            for num in numbering_el.iter(f"{_W}num"):
                num_id = self._id(num.get(f"{_W}numId"), "w:numId")
                if num_id is None:
                    continue
                aid = self._id(_val(num.find(f"{_W}abstractNumId")), "w:abstractNumId")
                starts, levels = {}, {}
                for ov in num.iter(f"{_W}lvlOverride"):
                    ilvl = self._ilvl(ov.get(f"{_W}ilvl")) or 0
                    so = self._int(_val(ov.find(f"{_W}startOverride")), "w:startOverride")
                    if so is not None:
                        starts[ilvl] = so
                    lv = ov.find(f"{_W}lvl")
                    if lv is not None:
                        levels[ilvl] = self._level(lv)
                self.nums[num_id] = (aid, starts, levels)
        if styles_el is not None:
            for st in styles_el.iter(f"{_W}style"):
                sid = st.get(f"{_W}styleId")
                based = _val(st.find(f"{_W}basedOn"))
                if based:
                    self.style_parent[sid] = based
                numpr = st.find(f"{_W}pPr/{_W}numPr")
                if numpr is not None:
                    nid = self._id(_val(numpr.find(f"{_W}numId")), "w:numId")
                    self.style_num[sid] = (nid, self._ilvl(_val(numpr.find(f"{_W}ilvl"))))

    def _int(self, value: str | None, what: str, bounds: tuple[int, int] = _INT32) -> int | None:
        """A number of the numbering definitions; None (absent, and recorded) when it is not one."""
        if value is None:
            return None
        v = value.strip()
        if _DECIMAL.fullmatch(v) and bounds[0] <= int(v) <= bounds[1]:
            return int(v)
        self.malformed[(what, value[:20])] += 1
        return None

    def _id(self, value: str | None, what: str) -> str | None:
        """An id of a list (kept as written: ids are names), None when it is not a number."""
        return value if self._int(value, what) is not None else None

    def _ilvl(self, value: str | None) -> int | None:
        return self._int(value, "w:ilvl", _LEVELS)

    def _level(self, lv) -> _Level:
        start = self._int(_val(lv.find(f"{_W}start")), "w:start")
        return _Level(start if start is not None else 1,
                      _val(lv.find(f"{_W}numFmt")) or "decimal", _val(lv.find(f"{_W}lvlText")) or "",
                      _val(lv.find(f"{_W}suff")) or "tab", self._int(_val(lv.find(f"{_W}lvlRestart")), "w:lvlRestart"),
                      lv.find(f"{_W}isLgl") is not None and _val(lv.find(f"{_W}isLgl")) not in ("0", "false"))

    def _style_numpr(self, style: str | None) -> tuple[str | None, int | None]:
        seen = set()
        while style and style not in seen:
            seen.add(style)
            if style in self.style_num:
                return self.style_num[style]
            style = self.style_parent.get(style)
        return None, None

    def label(self, p) -> tuple[str, str]:
        """(label text, separator) of a paragraph, ("", "") when Word shows no number."""
        ppr = p.find(f"{_W}pPr")
        num_id = ilvl = None
        if ppr is not None:
            numpr = ppr.find(f"{_W}numPr")
            if numpr is not None:
                num_id = self._id(_val(numpr.find(f"{_W}numId")), "w:numId")
                ilvl = self._ilvl(_val(numpr.find(f"{_W}ilvl")))
            if num_id is None:
                s_id, s_lvl = self._style_numpr(_val(ppr.find(f"{_W}pStyle")))
                num_id = s_id
                ilvl = ilvl if ilvl is not None else s_lvl
        if num_id is None or num_id == "0":
            return "", ""
        if num_id not in self.nums or self.nums[num_id][0] not in self.abstract:
            self.missing.add(num_id)
            return "", ""
        ilvl = ilvl or 0
        aid, starts, overrides = self.nums[num_id]
        levels = {**self.abstract[aid], **overrides}
        level = levels.get(ilvl)
        if level is None:
            return "", ""
        counters = self.counters.setdefault(aid, {})
        first_use = (num_id, ilvl) not in self.used
        self.used.add((num_id, ilvl))
        if first_use and ilvl in starts:
            counters[ilvl] = starts[ilvl]
        elif ilvl in counters:
            counters[ilvl] += 1
        else:
            counters[ilvl] = level.start
        for deeper in [k for k in counters if k > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart != 0 and (restart is None or restart - 1 >= ilvl):
                del counters[deeper]
        if level.fmt == "bullet":
            return "", ""

        def value(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            lv = levels.get(k, _Level())
            n = counters.get(k, lv.start)
            return str(n) if (level.legal and k < ilvl) else format_number(n, lv.fmt)

        text = re.sub(r"%([1-9])", value, level.text)
        sep = {"tab": " ", "space": " "}.get(level.suffix, "")
        return text, sep if text else ""


def _val(el) -> str | None:
    return None if el is None else el.get(f"{_W}val")


def _run_hidden(r) -> bool:
    v = r.find(f"{_W}rPr/{_W}vanish")
    return v is not None and v.get(f"{_W}val") not in ("0", "false")


_SKIP_IN_PARAGRAPH = {f"{_W}del", f"{_W}instrText", f"{_W}delText", f"{_W}txbxContent", f"{_MC}Fallback",
                      f"{_W}footnoteReference", f"{_W}endnoteReference", f"{_W}commentReference", f"{_W}pPr",
                      f"{_W}rPr", f"{_W}moveFrom"}


def _paragraph_text(p) -> str:
    out: list[str] = []

    def walk(el) -> None:
        for child in el:
            tag = child.tag
            if tag in _SKIP_IN_PARAGRAPH:
                continue
            if tag == f"{_W}t":
                out.append(child.text or "")
            elif tag == f"{_W}tab":
                out.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                out.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                out.append("-")
            elif tag == f"{_W}r" and _run_hidden(child):
                continue
            else:
                walk(child)

    walk(p)
    return "".join(out)


def _docx_blocks(container, numbering: _Numbering, out: list[str], counts: Counter) -> None:
    for el in container:
        tag = el.tag
        if tag == f"{_W}p":
            label, sep = numbering.label(el)
            text = _paragraph_text(el)
            if label:
                counts["numbered paragraphs"] += 1
                text = label + sep + text.lstrip()
            out.append(text)
        elif tag == f"{_W}tbl":
            counts["tables"] += 1
            for tr in el.iter(f"{_W}tr"):
                if tr.getparent() is not el and tr.getparent().getparent() is not el:
                    continue  # rows of nested tables are read inside their cell
                cells = []
                for tc in tr.findall(f"{_W}tc"):
                    sub: list[str] = []
                    _docx_blocks(tc, numbering, sub, counts)
                    cell = "\n".join(s for s in sub if s.strip())
                    if cell:
                        cells.append(cell)
                out.append(" ".join(cells))
        elif tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}smartTag"):
            _docx_blocks(el, numbering, out, counts)


def docx_text(document) -> tuple[str, list[str], list[str]]:
    """Text of a python-docx Document: body paragraphs and tables in order, numbering written out."""
    part = document.part
    try:
        numbering_el = part.numbering_part.element
    except (NotImplementedError, KeyError, AttributeError):
        numbering_el = None
    try:
        styles_el = part.styles.element if hasattr(part.styles, "element") else part._styles_part.element
    except (NotImplementedError, KeyError, AttributeError):
        styles_el = None
    numbering = _Numbering(numbering_el, styles_el)
    out: list[str] = []
    counts: Counter = Counter()
    _docx_blocks(document.element.body, numbering, out, counts)
    notes = []
    if counts["numbered paragraphs"]:
        notes.append(f"Word automatic numbering written out on {counts['numbered paragraphs']} paragraphs")
    if counts["tables"]:
        notes.append(f"{counts['tables']} table(s) read row by row")
    warnings = [f"numbering definition {n} missing from the document: those paragraphs lost their labels"
                for n in sorted(numbering.missing)]
    if numbering.malformed:
        shown = ", ".join(f"{what}={value!r}" + (f" ×{n}" if n > 1 else "")
                          for (what, value), n in sorted(numbering.malformed.items())[:5])
        more = len(numbering.malformed) - 5
        warnings.append(f"numbering values that are not numbers Word uses treated as absent: {shown}"
                        + (f" and {more} more" if more > 0 else "") + "; check those paragraphs' labels")
    return "\n".join(out), notes, warnings


def read_docx(path: str | os.PathLike) -> ReadResult:
    """Read a .docx: its ZIP container is checked (part sizes, count, compression ratio: see base.py)
    before python-docx opens it, so a decompression bomb is refused before anything is inflated."""
    p = Path(path)
    docx = require("docx", f"{p}: reading .docx files", "python-docx", package="python-docx")
    data = io.BytesIO(read_bytes(p))
    try:
        with open_zip(data, p) as z:
            check_zip_parts(z, p)
    except ZIP_ERRORS as e:
        raise UnsupportedFormatError(f"{p}: not a readable .docx document ({e}): open it in Word and save it again as .docx") from None
    data.seek(0)
    try:
        document = docx.Document(data)
    except (KeyError, ValueError) as e:
        raise UnsupportedFormatError(f"{p}: not a readable .docx document ({e}): open it in Word and save it again as .docx") from None
    except Exception as e:  # python-docx raises its own PackageNotFoundError & co.
        raise UnsupportedFormatError(f"{p}: not a readable .docx document ({type(e).__name__}: {e}): "
                                     "open it in Word and save it again as .docx") from None
    text, notes, warnings = docx_text(document)
    return ReadResult(text, "docx", None, notes, warnings)
