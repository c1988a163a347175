"""pingan_corpus: comparative analysis of Chinese local legislation.

    import pingan_corpus as pc
    regs = pc.parse_file("data/raw/hubei_pingan_jianshe_tiaoli_2024.txt")
    corpus = pc.load_corpus("data/raw")
    corpus.articles            # one row per article
"""
from __future__ import annotations

from .align.pairs import (align, align_units, compare, compare_many, diffusion_edges, provision_families,
                        similarity, word_diff)
from .health import CheckReport, check
from .corpus import Corpus, load_corpus
from .duties.extract import extract_duties
from .duties.graph import actor_profile, duty_graph
from .errors import (EncodingError, ManifestError, MissingDependencyError, MissingFileError, NotAFileError, ParseError,
                     PinganError, UnreadableFileError, UnsupportedFormatError)
from .models import (Article, ClauseDiff, Coverage, Chapter, Item, Paragraph, ParseWarning, Part, Regulation, Revision,
                     Section, SubItem)
from .parse.normalize import NormalizedText, normalize, normalize_text
from .parse.document import parse_file, parse_text
from .duties.query import mandates, search

__version__ = "0.1.0"

__all__ = [
    "parse_file", "parse_text", "load_corpus", "check", "CheckReport", "Corpus", "Regulation", "Part", "Chapter", "Section", "Article",
    "Paragraph", "Item", "SubItem", "ParseWarning", "Revision", "normalize", "normalize_text", "NormalizedText",
    "align", "compare", "compare_many", "similarity", "provision_families", "align_units", "word_diff",
    "diffusion_edges",
    "ClauseDiff", "Coverage", "extract_duties", "duty_graph", "actor_profile", "mandates", "search",
    "PinganError", "ParseError", "EncodingError", "UnsupportedFormatError", "ManifestError",
    "MissingDependencyError", "MissingFileError", "NotAFileError", "UnreadableFileError",
]
