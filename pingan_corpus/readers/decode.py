"""Bytes → text: the encodings regulations come in (UTF-8 ± BOM, UTF-16/32, GB18030/GBK, Big5)."""
from __future__ import annotations

import codecs
import re

from ..errors import EncodingError
from . import patterns as rx

_CN_CONTENT = re.compile(f"[{rx.CJK}]")
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
                if looks_textual(text):
                    return text, enc
        raise EncodingError(f"{name}: binary data (NUL bytes), not a text file; "
                            "save the regulation as a .txt file (UTF-8)")
    for enc in ("utf-8", "gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc != "utf-8" and not looks_textual(text):
            continue
        return text, enc
    try:  # a last opinion before giving up
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None and looks_textual(str(best)):
            text = str(best)
            # a guess that finds no Chinese in a file of Chinese regulations is mojibake, not a reading
            if len(_CN_CONTENT.findall(text[:20000])) >= 0.05 * min(len(text), 20000):
                return text, str(best.encoding)
    except ImportError:  # pragma: no cover - optional
        pass
    raise EncodingError(f"{name}: not text in UTF-8, UTF-16, GB18030/GBK or Big5; "
                        "re-save it as UTF-8 text")


def looks_textual(text: str) -> bool:
    """Few control or private-use characters: text, not binary data decoded by accident."""
    if not text:
        return True
    sample = text[:4096]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t") or 0xE000 <= ord(ch) <= 0xF8FF)
    return bad / len(sample) < 0.02
