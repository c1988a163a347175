"""Corpus: many regulations, their DataFrames, and loading a folder with its manifest."""
from __future__ import annotations

import csv
import datetime as dt
import html
import logging
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from .errors import ManifestError, PinganError, UnknownNameError
from .frames import articles_frame, items_frame, paragraphs_frame
from .models import Regulation
from .parse.document import TEXT_SUFFIXES, parse_file
from .progress import progress_bar

log = logging.getLogger("pingan_corpus")

MANIFEST_COLUMNS = ("file", "position", "doc_id", "title", "jurisdiction", "level", "status",
                    "adopted", "effective", "source_notes")
_META = ("title", "jurisdiction", "level", "status", "adopted", "approved", "effective")
SUMMARY_COLUMNS = ["doc_id", "title", "jurisdiction", "level", "status", "adopted", "approved", "effective",
                   "chapters", "articles", "items", "warnings", "encoding", "source", "position"]
# the levels of PRODUCT.md; a manifest's level must be one of them
LEVELS = ("province", "autonomous_region", "municipality", "city", "autonomous_prefecture", "county")


class Corpus:
    """A collection of regulations with unique doc_ids; DataFrames at the boundary."""

    def __init__(self, regulations: Iterable[Regulation]):
        self.docs: list[Regulation] = list(regulations)
        self.warnings: list[str] = []
        self.skipped: list[tuple[str, str]] = []  # (file, reason) of files load_corpus could not read
        seen: dict[str, int] = {}
        for i, reg in enumerate(self.docs):
            _unique_id(reg, seen, self.warnings, i)
        self._index = {r.doc_id: r for r in self.docs}

    def __len__(self) -> int:
        return len(self.docs)

    def __iter__(self) -> Iterator[Regulation]:
        return iter(self.docs)

    def __getitem__(self, key: str | int) -> Regulation:
        if isinstance(key, int):
            return self.docs[key]
        try:
            return self._index[key]
        except KeyError:
            raise UnknownNameError(f"no document {key!r} in the corpus; doc_ids: {', '.join(list(self._index)[:12])}") from None

    def __contains__(self, key: str) -> bool:
        return key in self._index

    @property
    def doc_ids(self) -> list[str]:
        return [r.doc_id for r in self.docs]

    @property
    def regulations(self) -> pd.DataFrame:
        """One row per document: metadata and counts."""
        return pd.DataFrame([r.summary() for r in self.docs], columns=SUMMARY_COLUMNS)

    @property
    def articles(self) -> pd.DataFrame:
        return articles_frame(self.docs)

    @property
    def paragraphs(self) -> pd.DataFrame:
        return paragraphs_frame(self.docs)

    @property
    def items(self) -> pd.DataFrame:
        return items_frame(self.docs)

    # -- alignment across the corpus ------------------------------------------------------
    def links(self) -> pd.DataFrame:
        """Every article link between every pair of documents (computed once, then cached)."""
        if getattr(self, "_links", None) is None:
            from .align.many import pairwise_links

            self._links = pairwise_links(self.docs)
        return self._links

    def similarity(self) -> pd.DataFrame:
        """Document × document share of aligned text (row doc's text found in the column doc)."""
        from .align.many import similarity

        return similarity(self.docs, self.links())

    def families(self, min_size: int = 2) -> pd.DataFrame:
        """Provision families: clusters of equivalent articles across documents, labelled."""
        from .align.many import provision_families

        return provision_families(self.docs, self.links(), min_size=min_size)

    def align_all(self, engine: str = "local", **kw):
        """Article links across a large corpus, found by blocking and computed in chunks,
        locally or on Dask (:func:`pingan_corpus.align.scale.align_all`: doc_a, article_a, doc_b,
        article_b, score, relation, method; ``complete=True`` for every pair, ``out=`` to
        write them to Parquet as they are scored)."""
        from .align.scale import align_all

        return align_all(self, engine=engine, **kw)

    def save(self, path: str | os.PathLike) -> Path:
        """Write the parsed corpus to a Parquet folder (:mod:`pingan_corpus.store`); see :meth:`load`."""
        from .store import save_corpus

        return save_corpus(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike) -> Corpus:
        """A corpus saved by :meth:`save`, rebuilt without parsing."""
        from .store import load_regulations

        regs, meta = load_regulations(path)
        corpus = cls(regs)
        corpus.warnings = list(meta.get("warnings", [])) + corpus.warnings
        return corpus

    def __repr__(self) -> str:
        return f"<Corpus: {len(self.docs)} documents, {sum(len(r.articles) for r in self.docs)} articles>"

    def _repr_html_(self) -> str:
        df = self.regulations[["doc_id", "title", "jurisdiction", "level", "status", "effective",
                               "chapters", "articles", "warnings"]]
        return (f"<div><b>Corpus</b>: {len(self.docs)} documents, "
                f"{int(df['articles'].sum()) if len(df) else 0} articles"
                f"{html.escape(' — ' + '; '.join(self.warnings)) if self.warnings else ''}"
                f"{df.to_html(index=False, na_rep='')}</div>")


MAX_POSITION = 999_999  # the largest document number a manifest's position may give


def read_manifest(path: str | os.PathLike) -> pd.DataFrame:
    """Read manifest.csv: a ``file`` column (name, or path relative to the folder), an optional
    ``position`` (1-based document number within the file; default 1), and any of doc_id, title,
    jurisdiction, level, status, adopted, approved, effective. Other columns are kept and ignored."""
    p = Path(path)
    try:
        df = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, csv.Error) as e:
        raise ManifestError(f"{p}: not a readable CSV: {e}") from None
    if "file" not in df.columns:
        raise ManifestError(f"{p}: missing column(s) file")
    if "position" not in df.columns:
        df["position"] = "1"
    pos = df["position"].str.strip().replace("", "1")
    # a whole number from 1 to MAX_POSITION, checked as text (int("9" * 30) would make a list that long)
    bad = pos[~pos.str.fullmatch(rf"[1-9][0-9]{{0,{len(str(MAX_POSITION)) - 1}}}")]
    if len(bad):
        raise ManifestError(f"{p}: 'position' {bad.iloc[0][:30]!r} is not a document number (1 = first document "
                            f"of the file, at most {MAX_POSITION})")
    df["position"] = pos.astype(int)
    df["file"] = df["file"].str.strip().str.replace("\\", "/", regex=False)
    return df


_NO_DATE = ("on promulgation", "自公布之日起施行")


def _manifest_values(row: dict, manifest: Path, doc_id: str) -> dict:
    """The metadata a manifest row sets (non-empty cells of _META), checked and typed; ManifestError if invalid."""
    out: dict = {}
    for key in _META:
        value = (row.get(key) or "").strip()
        if not value:
            continue
        if key in ("adopted", "approved", "effective"):
            if value.lower() in _NO_DATE:  # 自公布之日起施行: in force on a date the text does not give
                continue
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                raise ManifestError(f"{manifest}: {key} {value!r} of {doc_id} is not an ISO date (YYYY-MM-DD)") from None
        if key == "level" and value not in LEVELS:
            raise ManifestError(f"{manifest}: level {value!r} of {doc_id} is not one of {', '.join(LEVELS)}")
        out[key] = value
    return out


def _apply_manifest(reg: Regulation, row: dict, manifest: Path) -> None:
    if row.get("doc_id"):
        reg.doc_id = row["doc_id"]
    for key, value in _manifest_values(row, manifest, reg.doc_id).items():
        setattr(reg, key, value)


# a folder the library wrote (``pingan report -o``) holds this file; corpus_files never walks into
# such a folder, so a report written inside its own input folder is not read back as regulations
OUTPUT_MARKER = ".pingan-output"


def _skipped_name(name: str) -> bool:
    low = name.lower()
    return (name.startswith((".", "~$")) or low.startswith(("readme", "license", "licence", "copying", "changelog"))
            or low in ("summary.md", "manifest.csv"))


def corpus_files(directory: str | os.PathLike, recursive: bool = False, match: str | None = None) -> list[Path]:
    """The regulation files of a folder, in a deterministic order (sorted by relative path).

    Only suffixes the readers know (``pingan_corpus.parse.TEXT_SUFFIXES``); hidden files and
    folders (.git …), folders the library wrote (holding ``OUTPUT_MARKER``), README*, LICENSE*,
    SUMMARY.md and manifest.csv are skipped. ``recursive``
    walks subfolders (symlinked folders are not followed); ``match`` keeps the files whose path
    relative to ``directory`` contains that string.
    """
    d = Path(directory)
    if (d / OUTPUT_MARKER).exists():
        raise PinganError(f"{d}: a folder pingan_corpus wrote (it holds {OUTPUT_MARKER}), not regulations to read")
    suffixes = {s.lower() for s in TEXT_SUFFIXES if s}
    found: list[Path] = []
    if recursive:
        for root, dirs, names in os.walk(d):
            dirs[:] = sorted(x for x in dirs if not x.startswith(".") and not (Path(root) / x / OUTPUT_MARKER).exists())
            found.extend(Path(root) / n for n in names)
    else:
        found = list(d.iterdir())
    out = []
    for f in found:
        # a pipe, a device or a broken link with a text suffix is kept: reading it fails, and the
        # file is skipped with its reason instead of vanishing unseen
        if f.suffix.lower() not in suffixes or _skipped_name(f.name) or f.is_dir():
            continue
        rel = f.relative_to(d).as_posix()
        if match and match not in rel:
            continue
        out.append(f)
    return sorted(out, key=lambda f: f.relative_to(d).as_posix())


def _rename(reg: Regulation, directory: Path, f: Path) -> None:
    """doc_id from the file's path relative to the folder, without suffix (the stem at top level,
    as parse_file names it), so that equal file names in two subfolders give two doc_ids."""
    key = f.relative_to(directory).with_suffix("").as_posix()
    if key != f.stem and reg.doc_id.startswith(f.stem):
        reg.doc_id = key + reg.doc_id[len(f.stem):]


def _manifest_rows(mpath: Path) -> dict[tuple[str, int], dict]:
    if not mpath.exists():
        return {}
    return {(row["file"], int(row["position"])): row for row in read_manifest(mpath).to_dict("records")}


def _manifest_row(rows: dict[tuple[str, int], dict], rel: str, name: str, position: int,
                  names: dict[str, int]) -> tuple[tuple[str, int] | None, dict | None]:
    """The manifest row of a document: by relative path, or by file name when that name is unique in the folder."""
    for key in ((rel, position), (name, position)):
        if key in rows and (key[0] == rel or names.get(name, 0) == 1):
            return key, rows[key]
    return None, None


def load_corpus(directory: str | os.PathLike = "data/raw", recursive: bool = False, match: str | None = None,
                manifest: str | os.PathLike | None = None, strict: bool = False, *, lazy: bool = False,
                progress: bool | None = None) -> Corpus | LazyCorpus:
    """Parse every regulation file of a folder; metadata from its manifest.csv override what is inferred.

    ``recursive``: walk subfolders too (a checkout of an open law repository; doc_ids are then the
    path relative to the folder without suffix, so equal file names in two folders stay apart).
    ``match``: keep the files whose relative path contains this string (``match="信访"``).
    A file that cannot be read or parsed is skipped and recorded in ``corpus.skipped`` (relative
    path, reason) and ``corpus.warnings``; ``strict=True`` raises at the first such file instead.
    ``lazy=True`` returns a :class:`LazyCorpus`: the files are parsed one at a time while it is
    iterated (``align_all`` prepares them partition by partition and never holds every tree).
    ``progress`` shows a tqdm bar over the files (default: when stderr is a terminal).
    """
    lazy_corpus = LazyCorpus(directory, recursive=recursive, match=match, manifest=manifest, strict=strict,
                             progress=progress)
    if lazy:
        return lazy_corpus
    return lazy_corpus.load()


class LazyCorpus:
    """The regulation files of a folder, parsed when iterated, one file at a time.

    Iterating yields the Regulations as :func:`load_corpus` would make them (manifest applied,
    duplicate doc_ids renamed); afterwards ``skipped`` and ``warnings`` say what the pass met.
    ``load()`` makes the Corpus; ``align_all(…)`` streams the folder through
    :func:`pingan_corpus.align.scale.align_all`.
    """

    parses_lazily = True  # align_all streams it (a partition parsed at a time)

    def __init__(self, directory: str | os.PathLike = "data/raw", recursive: bool = False, match: str | None = None,
                 manifest: str | os.PathLike | None = None, strict: bool = False, progress: bool | None = None):
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise PinganError(f"{self.directory}: not a folder of regulations")
        self.manifest = Path(manifest) if manifest else self.directory / "manifest.csv"
        self.rows = _manifest_rows(self.manifest)
        self.files = corpus_files(self.directory, recursive=recursive, match=match)
        self.match, self.strict, self.progress = match, strict, progress
        self.skipped: list[tuple[str, str]] = []
        self.warnings: list[str] = []

    def __iter__(self) -> Iterator[Regulation]:
        d, rows, mpath = self.directory, self.rows, self.manifest
        names: dict[str, int] = {}
        for f in self.files:
            names[f.name] = names.get(f.name, 0) + 1
        skipped: list[tuple[str, str]] = []
        warnings: list[str] = []
        used = set()
        seen: dict[str, int] = {}
        bar = progress_bar(self.progress, len(self.files), "parse", unit="file")
        for f in self.files:
            if bar:
                bar.update(1)
            rel = f.relative_to(d).as_posix()
            try:
                parsed = parse_file(f)
            except Exception as e:  # one file never stops the folder (a bug on one file included)
                if self.strict:
                    raise
                if not isinstance(e, (PinganError, OSError)):
                    log.debug("unexpected error on %s", f, exc_info=True)
                    e = PinganError(f"{rel}: unexpected {type(e).__name__}: {e} (a bug in pingan_corpus; please report it)")
                skipped.append((rel, _one_line(e)))
                used.update(k for k in rows if k[0] in (rel, f.name))  # reported as skipped, not as unmatched
                continue
            for reg in parsed:
                _rename(reg, d, f)
                mkey, row = _manifest_row(rows, rel, f.name, reg.position, names)
                if row is not None:
                    _apply_manifest(reg, row, mpath)
                    used.add(mkey)
                _unique_id(reg, seen, warnings)
                yield reg
        if bar:
            bar.close()
        if self.match is None:
            for key in sorted(set(rows) - used):
                warnings.append(f"manifest row {key[0]}#{key[1]} matches no parsed document")
        for rel, reason in skipped:
            warnings.append(f"skipped {rel}: {reason}")
        if skipped:
            log.warning("%s: %d of %d files skipped (corpus.skipped lists them): %s", d, len(skipped), len(self.files),
                        "; ".join(f"{rel}: {reason}" for rel, reason in skipped))
        self.skipped, self.warnings = skipped, warnings

    def load(self) -> Corpus:
        """Every regulation parsed, as a Corpus."""
        docs = list(self)
        corpus = Corpus(docs)
        corpus.skipped = self.skipped
        corpus.warnings = self.warnings + corpus.warnings
        return corpus

    def align_all(self, engine: str = "local", **kw):
        """:meth:`Corpus.align_all` on the files, parsed and prepared a partition at a time."""
        from .align.scale import align_all

        return align_all(self, engine=engine, **kw)

    def __repr__(self) -> str:
        return f"<LazyCorpus: {len(self.files)} files in {self.directory}>"


def _unique_id(reg: Regulation, seen: dict[str, int], warnings: list[str], index: int | None = None) -> None:
    """Give ``reg`` a doc_id no earlier regulation has (doc-NNN when it has none, -2, -3 … on a repeat)."""
    if not reg.doc_id:
        reg.doc_id = f"doc-{(index if index is not None else sum(seen.values())) + 1:03d}"
    if reg.doc_id in seen:
        seen[reg.doc_id] += 1
        new = f"{reg.doc_id}-{seen[reg.doc_id]}"
        warnings.append(f"duplicate doc_id {reg.doc_id!r} renamed {new!r}")
        log.warning("duplicate doc_id %r renamed %r", reg.doc_id, new)
        reg.doc_id = new
    else:
        seen[reg.doc_id] = 1


def _one_line(e: BaseException) -> str:
    """An error's message on one line (the exception type when it has no message)."""
    msg = " ".join(str(e).split())
    return msg or type(e).__name__


__all__ = ["LEVELS", "Corpus", "LazyCorpus", "articles_frame", "corpus_files", "items_frame", "load_corpus", "paragraphs_frame", "read_manifest"]
