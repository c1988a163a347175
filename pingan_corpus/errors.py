"""The exception hierarchy: every error the library raises on bad input is a PinganError."""
from __future__ import annotations


class PinganError(Exception):
    """Base class of the library's errors."""


class ParseError(PinganError, ValueError):
    """The input holds no regulation the parser can recognise (no 第X条 and no numbered provisions)."""


class EncodingError(ParseError):
    """The bytes are not text in any encoding the library reads (UTF-8, UTF-16, GB18030/GBK, Big5)."""


class UnsupportedFormatError(PinganError):
    """The file is of a format the library cannot read (scanned PDF, legacy .doc, image, archive …)."""


class ManifestError(PinganError):
    """data/raw/manifest.csv is malformed or names files that do not exist."""
