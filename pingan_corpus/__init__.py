"""pingan_corpus: comparative analysis of Chinese local legislation.

    import pingan_corpus as pc
    regs = pc.parse_file("data/raw/hubei_pingan_jianshe_tiaoli_2024.txt")
    corpus = pc.load_corpus("data/raw")
    corpus.articles            # one row per article
"""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .align.equivalents import learn_equivalents
from .align.gaps import gaps
from .align.many import Coverage, compare_many, diffusion_edges, provision_families, similarity
from .align.pairs import ClauseDiff, align, align_units, compare, word_diff
from .corpus import Corpus, load_corpus
from .duties.extract import extract_duties
from .duties.graph import actor_profile, duty_graph
from .duties.lexicon import actor_current, actor_historical
from .duties.query import mandates, search
from .errors import (
    ArgumentError,
    EncodingError,
    ManifestError,
    MissingDependencyError,
    MissingFileError,
    NotAFileError,
    OutputExistsError,
    ParseError,
    PinganError,
    StoreError,
    UnknownNameError,
    UnreadableFileError,
    UnsupportedFormatError,
)
from .health import CheckReport, check
from .models import (
    Article,
    Chapter,
    Item,
    Paragraph,
    ParseWarning,
    Part,
    Regulation,
    Regulations,
    Revision,
    Section,
    SubItem,
)
from .parse.document import parse_file, parse_text
from .parse.normalize import NormalizedText, normalize, normalize_text

try:  # one source for the version: pyproject.toml, as installed
    __version__ = version("pingan_corpus")
except PackageNotFoundError:  # pragma: no cover - run from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "ArgumentError",
    "Article",
    "Chapter",
    "CheckReport",
    "ClauseDiff",
    "Corpus",
    "Coverage",
    "EncodingError",
    "Item",
    "ManifestError",
    "MissingDependencyError",
    "MissingFileError",
    "NormalizedText",
    "NotAFileError",
    "OutputExistsError",
    "Paragraph",
    "ParseError",
    "ParseWarning",
    "Part",
    "PinganError",
    "Regulation",
    "Regulations",
    "Revision",
    "Section",
    "StoreError",
    "SubItem",
    "UnknownNameError",
    "UnreadableFileError",
    "UnsupportedFormatError",
    "actor_current",
    "actor_historical",
    "actor_profile",
    "align",
    "align_units",
    "check",
    "compare",
    "compare_many",
    "diffusion_edges",
    "duty_graph",
    "extract_duties",
    "gaps",
    "learn_equivalents",
    "load_corpus",
    "mandates",
    "normalize",
    "normalize_text",
    "parse_file",
    "parse_text",
    "provision_families",
    "search",
    "similarity",
    "word_diff",
]
