"""pingan_corpus: comparative analysis of Chinese local legislation.

    import pingan_corpus as pc
    regs = pc.parse_file("data/raw/hubei_pingan_jianshe_tiaoli_2024.txt")
    corpus = pc.load_corpus("data/raw")
    corpus.articles            # one row per article
"""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .align.many import Coverage, compare_many, diffusion_edges, provision_families, similarity
from .align.pairs import ClauseDiff, align, align_units, compare, word_diff
from .corpus import Corpus, load_corpus
from .duties.extract import extract_duties
from .duties.graph import actor_profile, duty_graph
from .duties.query import mandates, search
from .errors import (ArgumentError, EncodingError, ManifestError, MissingDependencyError, MissingFileError, UnknownNameError,
                     NotAFileError, OutputExistsError, ParseError, PinganError, StoreError, UnreadableFileError, UnsupportedFormatError)
from .health import CheckReport, check
from .models import (Article, Chapter, Item, Paragraph, ParseWarning, Part, Regulation, Regulations, Revision, Section,
                     SubItem)
from .parse.document import parse_file, parse_text
from .parse.normalize import NormalizedText, normalize, normalize_text

try:  # one source for the version: pyproject.toml, as installed
    __version__ = version("pingan_corpus")
except PackageNotFoundError:  # pragma: no cover - run from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "parse_file", "parse_text", "load_corpus", "check", "CheckReport", "Corpus", "Regulation", "Part", "Chapter",
    "Section", "Article",
    "Paragraph", "Item", "SubItem", "ParseWarning", "Revision", "normalize", "normalize_text", "NormalizedText",
    "align", "compare", "compare_many", "similarity", "provision_families", "align_units", "word_diff",
    "diffusion_edges",
    "ClauseDiff", "Coverage", "extract_duties", "duty_graph", "actor_profile", "mandates", "search",
    "Regulations", "PinganError", "ParseError", "EncodingError", "UnsupportedFormatError", "ManifestError", "ArgumentError",
    "UnknownNameError", "StoreError", "OutputExistsError",
    "MissingDependencyError", "MissingFileError", "NotAFileError", "UnreadableFileError",
]
