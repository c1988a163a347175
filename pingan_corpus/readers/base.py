"""What every reader returns; and the one way readers open what they are given: a regular file,
read up to a bound, and ZIP containers (.docx) whose parts are checked before anything is inflated.

The limits are here, once, with the reason for each value; every reader opens files through
``open_regular`` / ``read_head`` / ``read_bytes`` and ZIP containers through ``open_zip`` /
``check_zip_parts``, so none can be sent a FIFO, a device, or a part that inflates without bound.
"""
from __future__ import annotations

import os
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ..errors import UnreadableFileError, UnsupportedFormatError

# The largest file any reader reads (its bytes are held in memory while it is read). The largest
# regulation compilations met are tens of MB (a .docx of 400 regulations is 3 MB, its PDF ~30 MB);
# a scanned-and-OCR'd PDF with page images can reach a few hundred MB. 512 MB reads all of those
# and still fails in seconds, with a clear message, on a disk image or a log file named .txt.
MAX_FILE_BYTES = 512 * 2**20
# The number of entries of a ZIP container. A .docx has 10-40 parts, a few hundred with embedded
# images and fonts; zipfile builds an object per entry of the central directory, so the count is
# checked before it does (the central directory may be at most this many entries of 1 KiB each).
MAX_ZIP_ENTRIES = 10_000
# The inflated size of one part. word/document.xml of a 3 MB compilation of ~400 regulations
# inflates to 19 MB (python-docx's XML; Word's is about twice as verbose), so 128 MiB is 3-6 times
# the largest real document; python-docx and lxml hold ~16 times the part in memory (a 19 MB part
# peaks at 310 MB), so the cap also bounds the memory a .docx can take to about 2 GB.
MAX_PART_BYTES = 128 * 2**20
# The inflated size of all parts together: python-docx loads every part (images too, which are
# stored already compressed and inflate to about their size on disk): two parts of the largest size.
MAX_ARCHIVE_BYTES = 2 * MAX_PART_BYTES
# Inflated / compressed size above which a part is a decompression bomb, not a document: XML
# deflates 5-15 times (the corpus compilation: 5.7; repetitive styles.xml: 32), a bomb ~1000 times.
# Checked on parts of more than RATIO_MIN_BYTES only: a small repetitive part costs nothing.
MAX_RATIO = 100
RATIO_MIN_BYTES = 2**20
# Compression methods a part may use: OPC (ECMA-376 part 2) allows only stored and deflated; and
# zipfile inflates bzip2 and LZMA parts without bounding the output of each step, so a few KB of
# them could take gigabytes before any size check is reached.
ZIP_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
_CHUNK = 2**20  # parts are inflated this much at a time: memory stays bounded past the limit
_RESAVE = "open it in Word and save it again as .docx"

_SPECIAL = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
            (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


@dataclass
class ReadResult:
    """What a reader got out of a file: the text, and what it did to get it."""

    text: str
    format: str  # txt | md | docx | html | pdf
    encoding: str | None = None  # for byte formats read as text (txt, md, html)
    notes: list[str] = field(default_factory=list)  # what was removed, rebuilt or decided (informational)
    warnings: list[str] = field(default_factory=list)  # what is doubtful (recorded on the regulations)


# -- files ---------------------------------------------------------------------------------------------
def check_regular(p: Path, st: os.stat_result | None = None) -> None:
    """Refuse a FIFO, a device, a socket (a FIFO would block a reader, /dev/zero never end) or a
    file over MAX_FILE_BYTES: by ``os.stat`` before opening, by ``os.fstat`` of what was opened after."""
    if st is None:
        try:
            st = os.stat(p)
        except OSError as e:
            raise UnreadableFileError(f"{p}: cannot be read: {e.strerror or e}") from None
    if not stat.S_ISREG(st.st_mode):
        what = next((name for test, name in _SPECIAL if test(st.st_mode)), "not a regular file")
        raise UnreadableFileError(f"{p}: is {what}, not a regular file: copy the regulation into a file and read that")
    if st.st_size > MAX_FILE_BYTES:
        raise _too_large(p, st.st_size)


def _too_large(p: Path, size: int | None) -> UnsupportedFormatError:
    how = f"{size / 2**20:,.0f} MB" if size is not None else "more than that"
    return UnsupportedFormatError(f"{p}: {how}, larger than the {MAX_FILE_BYTES >> 20} MB a file may be: "
                                  "split it (a file per regulation) or save its text as .txt")


def nonblocking(path: str | os.PathLike, flags: int) -> int:
    """An ``opener`` for open(): should the path have become a FIFO since it was checked, opening
    it does not wait for a writer (and check_regular of the open file then refuses it)."""
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def open_regular(p: Path) -> BinaryIO:
    """Open a regular file for reading (check_regular before and after opening)."""
    check_regular(p)
    try:
        f = open(p, "rb", opener=nonblocking)
    except OSError as e:
        raise UnreadableFileError(f"{p}: cannot be read: {e.strerror or e}") from None
    try:
        check_regular(p, os.fstat(f.fileno()))  # what was opened, not what the path named a moment ago
    except BaseException:
        f.close()
        raise
    return f


def read_head(f: BinaryIO, p: Path, n: int = 8192) -> bytes:
    """The first ``n`` bytes of an open file, once it is known to be a regular one."""
    check_regular(p, os.fstat(f.fileno()))
    try:
        return f.read(n)
    except OSError as e:
        raise UnreadableFileError(f"{p}: cannot be read: {e.strerror or e}") from None


def read_bytes(p: Path) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES (the size on disk is not trusted:
    a file that grows while it is read stops being read past the limit)."""
    with open_regular(p) as f:
        try:
            # asked for the size on disk (+1: growth shows) first: read(n) allocates n bytes before
            # it reads, and the limit itself would cost a 512 MB allocation for a file of a few KB
            size = min(os.fstat(f.fileno()).st_size, MAX_FILE_BYTES) + 1
            data = f.read(size)
            if len(data) == size:  # it grew meanwhile (or the size was wrong): the rest, up to the limit
                data += f.read(MAX_FILE_BYTES + 1 - size)
        except OSError as e:
            raise UnreadableFileError(f"{p}: cannot be read: {e.strerror or e}") from None
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(p, None)
    return data


# -- ZIP containers ------------------------------------------------------------------------------------
# zipfile reports a damaged part with any of these (truncated data, a bad CRC, a corrupt deflate stream …)
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError, OSError,
              struct.error)
_EOCD, _EOCD64_LOCATOR, _EOCD64 = b"PK\x05\x06", b"PK\x06\x07", b"PK\x06\x06"


def _central_directory_size(f: BinaryIO) -> int | None:
    """The size the end record of a ZIP declares for its central directory (ZIP64 too), or None when
    there is no end record (zipfile then says it is not a ZIP file)."""
    size = f.seek(0, os.SEEK_END)
    tail_len = min(size, 22 + 0xFFFF + 20)  # the end record, its comment, and a ZIP64 locator before it
    f.seek(size - tail_len)
    tail = f.read(tail_len)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        return None
    entries, cd_size = struct.unpack("<HL", tail[at + 10:at + 16])
    if (entries == 0xFFFF or cd_size == 0xFFFFFFFF) and at >= 20 and tail[at - 20:at - 16] == _EOCD64_LOCATOR:
        (offset,) = struct.unpack("<Q", tail[at - 12:at - 4])
        f.seek(offset)
        record = f.read(56)
        if len(record) == 56 and record[:4] == _EOCD64:
            cd_size = struct.unpack("<Q", record[40:48])[0]
    return cd_size


def open_zip(source: BinaryIO, name: str | os.PathLike) -> zipfile.ZipFile:
    """A ZipFile on ``source`` once its central directory is known to be small (MAX_ZIP_ENTRIES).

    Raises UnsupportedFormatError past the limit; zipfile.BadZipFile (or another of ZIP_ERRORS) when
    the container is damaged."""
    cd_size = _central_directory_size(source)
    if cd_size is not None and cd_size > MAX_ZIP_ENTRIES * 1024:
        raise UnsupportedFormatError(f"{name}: ZIP container whose table of contents is {cd_size / 2**20:,.0f} MB "
                                     f"(more than {MAX_ZIP_ENTRIES:,} entries): not a document; {_RESAVE}")
    source.seek(0)
    z = zipfile.ZipFile(source)
    if len(z.infolist()) > MAX_ZIP_ENTRIES:
        n = len(z.infolist())
        z.close()
        raise UnsupportedFormatError(f"{name}: ZIP container of {n:,} entries (more than {MAX_ZIP_ENTRIES:,}): "
                                     f"not a document; {_RESAVE}")
    return z


def check_zip_parts(z: zipfile.ZipFile, name: str | os.PathLike) -> None:
    """Refuse a container any part of which is a bomb: by the sizes the central directory declares
    (each part, all parts, the compression ratio, the method); then, not trusting those, by inflating
    every part through a bounded stream (which also finds damaged parts before python-docx does)."""
    declared = 0
    for info in z.infolist():
        _check_method(info, name)
        if info.file_size > MAX_PART_BYTES:
            raise _bomb(name, info.filename, f"declares {info.file_size / 2**20:,.0f} MB inflated")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_MIN_BYTES and ratio > MAX_RATIO:
            raise _bomb(name, info.filename, f"inflates {ratio:,.0f} times ({info.compress_size / 2**20:,.1f} MB "
                        f"to {info.file_size / 2**20:,.0f} MB)")
        declared += info.file_size
        if declared > MAX_ARCHIVE_BYTES:
            raise _bomb(name, "all", f"declare more than {MAX_ARCHIVE_BYTES >> 20} MB inflated")
    total = 0
    for info in z.infolist():
        total += read_part(z, info, name, MAX_PART_BYTES, keep=False)[1]
        if total > MAX_ARCHIVE_BYTES:
            raise _bomb(name, "all", f"inflate to more than {MAX_ARCHIVE_BYTES >> 20} MB")


def read_part(z: zipfile.ZipFile, info: zipfile.ZipInfo, name: str | os.PathLike, limit: int,
              keep: bool = True) -> tuple[bytes, int]:
    """(the bytes of a part, or b"" when not ``keep``; its inflated size), inflated a chunk at a
    time and refused as soon as it passes ``limit`` bytes, whatever its declared size."""
    _check_method(info, name)
    chunks, size = [], 0
    try:
        with z.open(info) as f:
            while chunk := f.read(min(_CHUNK, limit + 1 - size)):
                size += len(chunk)
                if size > limit:
                    raise _bomb(name, info.filename, f"inflates past {limit / 2**20:,.0f} MB")
                if keep:
                    chunks.append(chunk)
    except ZIP_ERRORS as e:
        raise UnsupportedFormatError(f"{name}: damaged ZIP container: part {info.filename} cannot be read "
                                     f"({type(e).__name__}: {e}): {_RESAVE}") from None
    return b"".join(chunks), size


def _check_method(info: zipfile.ZipInfo, name: str | os.PathLike) -> None:
    if info.compress_type not in ZIP_METHODS:
        raise UnsupportedFormatError(f"{name}: part {info.filename} is compressed with method {info.compress_type}, "
                                     f"which Word never uses (only stored or deflated): {_RESAVE}")


def _bomb(name: str | os.PathLike, part: str, what: str) -> UnsupportedFormatError:
    which = "its parts" if part == "all" else f"part {part}"
    return UnsupportedFormatError(f"{name}: refused: {which} {what}, more than a document holds "
                                  f"(limits: {MAX_PART_BYTES >> 20} MB a part, ratio {MAX_RATIO}): "
                                  f"a damaged or hostile file; {_RESAVE}")
