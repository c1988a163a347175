"""The corpus health report: what a researcher runs on a new folder before trusting it.

    report = pc.check("some/folder")      # or a file, a Corpus, a Regulation, a list of them
    report.summary                        # '73 documents in 73 files: 71 ok, 2 with anomalies (0 unreadable); formats md 73'
    report.frame                          # one row per document (a file that cannot be read is a row too)
    report.anomalies                      # the rows that need a look

An anomaly is something that makes the parse doubtful: a file that cannot be read or parsed, a
warning of a structural kind (:data:`ANOMALY_KINDS`), no title, no article, or a disagreement
with the folder's manifest.csv (n_articles, n_chapters, n_sections, title). Missing dates are
reported as missing metadata, not as anomalies: many real regulations carry no date line.
"""
from __future__ import annotations

import html
import json
import math
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .corpus import (
    Corpus,
    _manifest_row,
    _manifest_values,
    _one_line,
    _rename,
    corpus_files,
    read_manifest,
)
from .errors import ArgumentError, ManifestError, MissingFileError, PinganError
from .models import Regulation, repair_surrogates
from .parse.document import parse_file
from .readers.patterns import LONE_SURROGATE

# warning codes that make a parse doubtful; every other code (empty_list, format, encoding,
# metadata, and codes this module does not know yet) is informational and only counted
ANOMALY_KINDS = frozenset({
    "numbering_gap", "numbering_duplicate", "numbering_order", "empty_article", "lost_heading",
    "duplicate_toc", "truncated", "mojibake", "segment",
})

META_FIELDS = ("title", "jurisdiction", "level", "status", "adopted", "approved", "effective")

# manifest column → (row column it is compared with, word used in the message)
MANIFEST_COUNTS = {"n_articles": ("articles", "articles"), "n_chapters": ("chapters", "chapters"),
                   "n_sections": ("sections", "sections")}

COLUMNS = ["file", "position", "doc_id", "format", "encoding", *META_FIELDS,
           "articles", "chapters", "sections", "parts", "first_article", "last_article",
           "gaps", "duplicates", "out_of_order", "warnings", "warning_kinds", "found", "missing",
           "anomalies", "ok", "error"]

_MAX_MESSAGE = 120


def _short(text: str, limit: int = _MAX_MESSAGE) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- one document ------------------------------------------------------------------------------
def _numbering(reg: Regulation) -> tuple[int, int, int]:
    """(gaps, duplicates, out of order) in the article numbers, counted from the numbers themselves.

    Provision-numbered documents (一、 / 1、, whose numbering may restart) count the parser's warnings.
    """
    if reg.numbering != "article":
        codes = Counter(getattr(w, "code", None) for w in reg.warnings)
        return codes["numbering_gap"], codes["numbering_duplicate"], codes["numbering_order"]
    gaps = dups = order = 0
    seen: set[tuple[int, int]] = set()
    top: tuple[int, int] | None = None
    for a in reg.articles:
        key = (a.number, a.suffix or 0)
        if key in seen:
            dups += 1
            continue
        seen.add(key)
        if top is None:
            gaps += a.number > 1 and not a.suffix
        elif key < top:
            order += 1
        elif a.number > top[0] + 1:
            gaps += 1
        top = key if top is None else max(top, key)
    return gaps, dups, order


def _row(reg: Regulation, file: str) -> dict:
    codes = Counter()
    first: dict[str, str] = {}
    for w in reg.warnings:
        code = getattr(w, "code", None) or "other"
        codes[code] += 1
        first.setdefault(code, str(w))
    gaps, dups, order = _numbering(reg)
    arts = reg.articles
    norm = reg.normalized
    row = {
        "file": file, "position": reg.position, "doc_id": reg.doc_id,
        "format": getattr(norm, "format", None), "encoding": reg.encoding,
        **{k: getattr(reg, k, None) for k in META_FIELDS},
        "articles": len(arts), "chapters": len(reg.chapters),
        "sections": sum(len(c.sections) for c in reg.chapters), "parts": len(reg.parts),
        "first_article": arts[0].number if arts else None, "last_article": arts[-1].number if arts else None,
        "gaps": gaps, "duplicates": dups, "out_of_order": order,
        "warnings": len(reg.warnings), "warning_kinds": dict(sorted(codes.items())),
        "found": [k for k in META_FIELDS if getattr(reg, k, None)],
        "missing": [k for k in META_FIELDS if not getattr(reg, k, None)],
        "error": None,
    }
    anomalies = []
    if not reg.title:
        anomalies.append("no title")
    if not arts:
        anomalies.append("no article")
    for code, n in codes.items():
        if code in ANOMALY_KINDS:
            anomalies.append(_short(first[code]) + (f" (+{n - 1} more)" if n > 1 else ""))
    for count, code, what in ((gaps, "numbering_gap", "gap"), (dups, "numbering_duplicate", "duplicate"),
                              (order, "numbering_order", "out-of-order article")):
        if count and not codes[code]:
            anomalies.append(f"{code}: {count} {what}{'s' if count > 1 else ''} in the article numbers")
    row["anomalies"] = anomalies
    return row


def _error_row(file: str, error: BaseException | str, doc_id: str | None = None) -> dict:
    if isinstance(error, BaseException) and not isinstance(error, (PinganError, OSError)):
        message = f"internal error ({type(error).__name__}): {_one_line(error)} — please report it"
    else:
        message = error if isinstance(error, str) else _one_line(error)
    row = dict.fromkeys(COLUMNS)
    row.update(file=file, doc_id=doc_id, articles=0, chapters=0, sections=0, parts=0, gaps=0, duplicates=0,
               out_of_order=0, warnings=0, warning_kinds={}, found=[], missing=list(META_FIELDS),
               anomalies=[_short(message, 400)], error=message)
    return row


# -- the manifest ------------------------------------------------------------------------------
def _norm_title(title: str) -> str:
    from .parse.normalize import normalize_text

    return re.sub(r"[\s《》]", "", normalize_text(title))


def _compare_manifest(row: dict, mrow: dict, mpath: Path) -> list[str]:
    """Disagreements between a manifest row and what was parsed (before any manifest override)."""
    out = []
    for col, (key, word) in MANIFEST_COUNTS.items():
        value = str(mrow.get(col) or "").strip()
        if not value:
            continue
        try:
            expected = int(float(value))
        except ValueError:
            out.append(f"manifest {col} {value!r} is not a number")
            continue
        if expected != row[key]:
            out.append(f"manifest says {expected} {word}, parsed {row[key]}")
    title = str(mrow.get("title") or "").strip()
    if title and (not row["title"] or _norm_title(title) != _norm_title(row["title"])):
        out.append(f"manifest says title {title!r}, parsed {row['title']!r}")
    try:
        _manifest_values(mrow, mpath, row["doc_id"])
    except ManifestError as e:
        out.append(_short("manifest: " + str(e).removeprefix(f"{mpath}: ")))
    return out


class _Manifest:
    def __init__(self, path: Path | None):
        self.path = path
        self.rows: dict[tuple[str, int], dict] = {}
        self.used: set[tuple[str, int]] = set()
        self.problem: str | None = None
        if path is not None and path.exists():
            try:
                self.rows = {(r["file"], int(r["position"])): r for r in read_manifest(path).to_dict("records")}
            except ManifestError as e:
                self.problem = _short(str(e), 300)

    def apply(self, row: dict, rel: str, name: str, names: dict[str, int]) -> dict | None:
        key, mrow = _manifest_row(self.rows, rel, name, row["position"] or 1, names)
        if mrow is None:
            return None
        self.used.add(key)
        row["anomalies"].extend(_compare_manifest(row, mrow, self.path))
        if mrow.get("doc_id"):
            row["doc_id"] = mrow["doc_id"]
        return mrow

    def mark_file(self, rel: str, name: str) -> None:
        self.used.update(k for k in self.rows if k[0] in (rel, name))

    def unmatched(self) -> list[str]:
        return [f"manifest row {f}#{p} matches no document" for f, p in sorted(set(self.rows) - self.used)]


# -- the report --------------------------------------------------------------------------------
class CheckReport:
    """The health of a folder of regulations: ``frame`` (one row per document), ``anomalies``,
    ``summary``, ``problems`` (about the folder itself: manifest, no readable file)."""

    def __init__(self, rows: list[dict], problems: list[str] | None = None, root: str | None = None):
        # a file name that is not UTF-8 (or a doc_id/title set by hand) can hold lone surrogates,
        # which no frame (pandas' str dtype), CSV or JSON can: U+FFFD, one for one
        rows = [repair_surrogates(r)[0] for r in rows]
        for r in rows:
            r["ok"] = not r["anomalies"]
        self.frame = pd.DataFrame(rows, columns=COLUMNS)
        for c in ("position", "first_article", "last_article"):
            self.frame[c] = self.frame[c].astype("Int64")
        for c in ("doc_id", "format", "encoding", *META_FIELDS, "error"):  # None, not NaN, where absent
            self.frame[c] = self.frame[c].astype(object).where(self.frame[c].notna(), None)
        self.problems: list[str] = repair_surrogates(list(problems or []))[0]
        self.root = None if root is None else LONE_SURROGATE.sub("\ufffd", root)

    # -- views
    @property
    def anomalies(self) -> pd.DataFrame:
        return self.frame[~self.frame["ok"].astype(bool)]

    @property
    def ok(self) -> bool:
        """True when no document has an anomaly and the folder has no problem."""
        return bool(self.frame["ok"].all()) and not self.problems

    @property
    def n_files(self) -> int:
        return int(self.frame["file"].nunique())

    @property
    def summary(self) -> str:
        f = self.frame
        n, bad = len(f), int((~f["ok"].astype(bool)).sum())
        unreadable = int(f["error"].notna().sum())
        formats = Counter(x for x in f["format"] if isinstance(x, str))
        fmt = ", ".join(f"{k} {v}" for k, v in sorted(formats.items(), key=lambda kv: (-kv[1], kv[0]))) or "none"
        s = (f"{n} document{'s' if n != 1 else ''} in {self.n_files} file{'s' if self.n_files != 1 else ''}: "
             f"{n - bad} ok, {bad} with anomalies ({unreadable} unreadable); formats {fmt}")
        if self.problems:
            s += f"; {len(self.problems)} folder problem{'s' if len(self.problems) > 1 else ''}"
        return s

    def to_frame(self, flat: bool = False) -> pd.DataFrame:
        """The rows; ``flat=True``: lists and dicts as text and dates as ISO strings (for CSV)."""
        df = self.frame.copy()
        for c in ("adopted", "approved", "effective"):
            df[c] = df[c].map(lambda d: d.isoformat() if hasattr(d, "isoformat") else d)
        if flat:
            df["warning_kinds"] = df["warning_kinds"].map(lambda d: ", ".join(f"{k}={v}" for k, v in d.items()))
            for c in ("found", "missing"):
                df[c] = df[c].map(", ".join)
            df["anomalies"] = df["anomalies"].map(" | ".join)
        return df

    def to_csv(self, path_or_buf=None):
        """The flat rows as CSV (see :func:`~pingan_corpus.present.tables.write_csv`): to a path or
        file object, or returned as text when ``path_or_buf`` is None."""
        from .present.tables import write_csv

        return write_csv(self.to_frame(flat=True), path_or_buf)

    def to_json(self, path_or_buf=None):
        """JSON lines: one object per document (lists and dicts kept)."""
        lines = "".join(json.dumps({k: (None if _isna(v) else v) for k, v in r.items()}, ensure_ascii=False,
                                   default=str) + "\n" for r in self.to_frame().to_dict("records"))
        if path_or_buf is None:
            return lines
        if isinstance(path_or_buf, (str, os.PathLike)):
            Path(path_or_buf).write_text(lines, encoding="utf-8")
        else:
            path_or_buf.write(lines)
        return None

    # -- display
    def _table_rows(self) -> list[tuple[str, ...]]:
        multi = self.frame.groupby("file")["file"].transform("size") > 1 if len(self.frame) else []
        out = []
        for (_, r), several in zip(self.frame.iterrows(), multi):
            name = f"{r['file']}#{r['position']}" if several and not pd.isna(r["position"]) else str(r["file"])
            counts = "-" if isinstance(r["error"], str) else f"{r['articles']}/{r['chapters']}/{r['sections']}"
            fmt = r["format"] if isinstance(r["format"], str) else "-"
            out.append((name, fmt, counts, "; ".join(r["anomalies"]) or "ok"))
        return out

    def table(self) -> str:
        """One line per document (file, format, articles/chapters/sections, anomalies), then the summary."""
        head = ("file", "format", "art/ch/sec", "anomalies")
        rows = self._table_rows()
        widths = [max([_width(head[i])] + [_width(r[i]) for r in rows]) for i in range(3)]
        lines = ["  ".join(_pad(x, w) for x, w in zip(r[:3], widths)) + "  " + r[3] for r in [head, *rows]]
        lines += [f"folder: {p}" for p in self.problems]
        lines.append(self.summary)
        return "\n".join(lines)

    __str__ = table

    def __repr__(self) -> str:
        return f"<CheckReport: {self.summary}>"

    def _repr_html_(self) -> str:
        e = html.escape
        body = "".join(
            f"<tr style='{'' if not a or a == 'ok' else 'background:#fff3cd'}'><td>{e(f)}</td><td>{e(fmt)}</td>"
            f"<td>{e(c)}</td><td>{e(a)}</td></tr>" for f, fmt, c, a in self._table_rows())
        probs = "".join(f"<li>{e(p)}</li>" for p in self.problems)
        return (f"<div><b>Corpus check</b>{': ' + e(self.root) if self.root else ''} — {e(self.summary)}"
                f"{f'<ul>{probs}</ul>' if probs else ''}<table><thead><tr><th>file</th><th>format</th>"
                f"<th>articles/chapters/sections</th><th>anomalies</th></tr></thead><tbody>{body}</tbody></table></div>")


def _isna(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _width(s))


# -- the verb ----------------------------------------------------------------------------------
def check(target, *, recursive: bool = True, match: str | None = None,
          manifest: str | os.PathLike | None = None) -> CheckReport:
    """A health report of a folder, a file, a :class:`Corpus`, a Regulation or a list of them.

    Folders are walked like :func:`pingan_corpus.load_corpus` (``recursive``, ``match``); a file
    that cannot be read or parsed is a row with its error as anomaly, and the check goes on.
    Counts and title are compared with the folder's manifest.csv (or ``manifest``) when it has
    n_articles, n_chapters, n_sections or title columns — with the parsed values, before any
    manifest metadata would override them.
    """
    if isinstance(target, (str, os.PathLike)):
        p = Path(target)
        if p.is_dir():
            return _check_folder(p, recursive, match, Path(manifest) if manifest else p / "manifest.csv")
        if p.is_file():
            return _check_files(p.parent, [p], Path(manifest) if manifest else p.parent / "manifest.csv",
                                root=str(p), report_unmatched=False)
        raise MissingFileError(f"{p}: no such file or folder")
    if isinstance(target, Corpus):
        regs, skipped = list(target.docs), list(getattr(target, "skipped", []))
    elif isinstance(target, Regulation):
        regs, skipped = [target], []
    elif isinstance(target, Iterable) and not isinstance(target, (str, bytes)):
        regs, skipped = list(target), []
        bad = [type(r).__name__ for r in regs if not isinstance(r, Regulation)]
        if bad:
            raise ArgumentError(f"check() takes regulations, not {bad[0]}")
    else:
        raise ArgumentError(f"check() takes a folder, a file, a Corpus or regulations, not {type(target).__name__}")
    return _check_regulations(regs, skipped, Path(manifest) if manifest else None)


def _check_folder(d: Path, recursive: bool, match: str | None, mpath: Path) -> CheckReport:
    files = corpus_files(d, recursive=recursive, match=match)
    return _check_files(d, files, mpath, root=str(d), report_unmatched=match is None)


def _check_files(d: Path, files: list[Path], mpath: Path, *, root: str, report_unmatched: bool) -> CheckReport:
    man = _Manifest(mpath)
    names = Counter(f.name for f in files)
    rows: list[dict] = []
    for f in files:
        rel = f.relative_to(d).as_posix()
        try:
            regs = parse_file(f)
        except Exception as e:
            rows.append(_error_row(rel, e, doc_id=f.relative_to(d).with_suffix("").as_posix()))
            man.mark_file(rel, f.name)
            continue
        for reg in regs:
            _rename(reg, d, f)
            row = _row(reg, rel)
            man.apply(row, rel, f.name, names)
            rows.append(row)
    problems = [f"manifest: {man.problem}"] if man.problem else []
    if report_unmatched:
        problems += man.unmatched()
    if not files:
        problems.append(f"no regulation file found (readable suffixes: {_suffixes()})")
    return CheckReport(rows, problems, root=root)


def _suffixes() -> str:
    from .parse.document import TEXT_SUFFIXES

    return " ".join(sorted(s for s in TEXT_SUFFIXES if s))


def _check_regulations(regs: list[Regulation], skipped: list[tuple[str, str]], mpath: Path | None) -> CheckReport:
    sources = [Path(r.source) for r in regs if r.source]
    base = None
    if sources:
        try:
            base = Path(os.path.commonpath([s.parent for s in sources]))
        except ValueError:  # mixed drives or relative/absolute
            base = None
    man = _Manifest(mpath)
    names = Counter(Path(r.source).name for r in regs if r.source)
    rows = []
    for reg in regs:
        if reg.source:
            src = Path(reg.source)
            rel = src.relative_to(base).as_posix() if base is not None else src.name
            file, name = rel, src.name
        else:
            file = name = rel = ""
        row = _row(reg, file)
        if man.rows:
            man.apply(row, rel, name, names)
        rows.append(row)
    for rel, reason in skipped:
        rows.append(_error_row(rel, reason))
    problems = [f"manifest: {man.problem}"] if man.problem else []
    return CheckReport(rows, problems)


__all__ = ["ANOMALY_KINDS", "CheckReport", "check"]
