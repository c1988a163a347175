"""The exception hierarchy: every error the library raises on bad input is a PinganError.

Messages name the file and the problem, and say what to do when something can be done.
Where a built-in exception type is expected too (a missing file, a missing package), the
error is both: ``except FileNotFoundError`` and ``except pc.PinganError`` both catch it.
"""
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


class MissingFileError(PinganError, FileNotFoundError):
    """The path names no file."""


class NotAFileError(PinganError, IsADirectoryError):
    """The path is a folder where a file was expected."""


class UnreadableFileError(PinganError, OSError):
    """The file exists but cannot be read (permissions, I/O error)."""


class MissingDependencyError(PinganError, ImportError):
    """An optional dependency needed for this format is not installed; the message names the extra."""
