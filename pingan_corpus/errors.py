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


class StoreError(PinganError, ValueError):
    """A folder that is not a corpus saved by ``Corpus.save`` (or was saved by another version)."""


class MissingFileError(PinganError, FileNotFoundError):
    """The path names no file."""


class NotAFileError(PinganError, IsADirectoryError):
    """The path is a folder where a file was expected."""


class OutputExistsError(PinganError, FileExistsError):
    """An output folder that already holds files the library would mix its own with."""


class UnreadableFileError(PinganError, OSError):
    """The file exists but cannot be read (permissions, I/O error)."""


class MissingDependencyError(PinganError, ImportError):
    """An optional dependency needed for this format is not installed; the message names the extra."""


class ArgumentError(PinganError, TypeError, ValueError):
    """A function was given something it cannot work with (a wrong type, an unknown name, a bad value)."""


class UnknownNameError(PinganError, KeyError):
    """A doc_id, an article number or another name that is not there."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


def require(module: str, purpose: str, install: str, package: str | None = None):
    """Import an optional dependency, or raise MissingDependencyError saying what to install
    (``install``: the pip argument, e.g. '"pingan_corpus[pdf]"'; ``package``: its name, if not the module's)."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        name = package or module.split(".")[0]
        raise MissingDependencyError(f"{purpose} needs {name}: pip install {install}") from None
