"""Numbering rules: Chinese and Arabic numerals as used in article, item and chapter labels."""
from __future__ import annotations

from functools import lru_cache

from .errors import ArgumentError

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


@lru_cache(maxsize=4096)  # labels repeat: 一, 二, … in every document
def parse_numeral(label: str) -> int | None:
    """Value of a numeral such as 十, 二十一, 一百零三, 一百一十八, 一百十八, 12 or １２; None if not a numeral."""
    s = label.strip().translate(_FULLWIDTH_DIGITS)
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if all(ch in _DIGITS for ch in s) and len(s) > 1:
        # positional form used in some texts: 一〇三
        return int("".join(str(_DIGITS[ch]) for ch in s))
    total, current = 0, None
    for ch in s:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            # a bare 十 means ten; 一百十八 treats the bare 十 as 一十
            total += (1 if current is None else current) * _UNITS[ch]
            current = None
        else:
            return None
    if current is not None:
        total += current
    return total


def figure_value(num: str) -> float | None:
    """Value of the number of a figure: 三十, 十五, 2.5, 五万, 一千二百万, 百分之二十 (→ 20), 半 (→ 0.5); None if none."""
    s = num.strip().translate(_FULLWIDTH_DIGITS)
    s = s.removeprefix("百分之")
    if s == "半":
        return 0.5
    try:
        return float(s)
    except ValueError:
        pass
    for unit, factor in (("亿", 10**8), ("万", 10**4)):
        if unit in s:
            high, _, low = s.partition(unit)
            hv = figure_value(high) if high else 1.0
            lv = figure_value(low.lstrip("零〇")) if low.strip("零〇") else 0.0
            return None if hv is None or lv is None else hv * factor + lv
    v = parse_numeral(s)
    return None if v is None else float(v)


def to_chinese(n: int) -> str:
    """Conventional Chinese numeral used in labels: 1 → 一, 10 → 十, 21 → 二十一, 103 → 一百零三, 118 → 一百一十八."""
    if n < 0:
        raise ArgumentError(f"no Chinese numeral for a negative number ({n})")
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n - 10] if n > 10 else "")
    if n < 100:
        tens, ones = divmod(n, 10)
        return digits[tens] + "十" + (digits[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        if rest == 0:
            return digits[hundreds] + "百"
        if rest < 10:
            return digits[hundreds] + "百零" + digits[rest]
        tens, ones = divmod(rest, 10)
        return digits[hundreds] + "百" + digits[tens] + "十" + (digits[ones] if ones else "")
    return str(n)
