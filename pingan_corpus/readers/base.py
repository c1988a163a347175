"""What every reader returns, and reading a file's bytes with a clear error."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UnreadableFileError


@dataclass
class ReadResult:
    """What a reader got out of a file: the text, and what it did to get it."""

    text: str
    format: str  # txt | md | docx | html | pdf
    encoding: str | None = None  # for byte formats read as text (txt, md, html)
    notes: list[str] = field(default_factory=list)  # what was removed, rebuilt or decided (informational)
    warnings: list[str] = field(default_factory=list)  # what is doubtful (recorded on the regulations)


def read_bytes(p: Path) -> bytes:
    try:
        return p.read_bytes()
    except OSError as e:
        raise UnreadableFileError(f"{p}: cannot be read: {e.strerror or e}") from None
