"""pingan_corpus: comparative analysis of Chinese local legislation.

    import pingan_corpus as pc
    regs = pc.parse_file("data/raw/hubei_pingan_jianshe_tiaoli_2024.txt")
    corpus = pc.load_corpus("data/raw")
    corpus.articles            # one row per article
"""
from __future__ import annotations

import sys
import types
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

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

# the public names, each imported from its module on first use: parsing a file or running the
# command line does not pay for pandas, SciPy and networkx (≈ 1.5 s and 120 MiB) unless it needs them
_LAZY = {
    "learn_equivalents": ".align.equivalents",
    "gaps": ".align.gaps",
    "Coverage": ".align.many",
    "compare_many": ".align.many",
    "diffusion_edges": ".align.many",
    "provision_families": ".align.many",
    "similarity": ".align.many",
    "ClauseDiff": ".align.pairs",
    "align": ".align.pairs",
    "align_units": ".align.pairs",
    "compare": ".align.pairs",
    "word_diff": ".align.pairs",
    "Corpus": ".corpus",
    "load_corpus": ".corpus",
    "extract_duties": ".duties.extract",
    "actor_profile": ".duties.graph",
    "duty_graph": ".duties.graph",
    "actor_current": ".duties.lexicon",
    "actor_historical": ".duties.lexicon",
    "mandate_duties": ".duties.query",
    "mandates": ".duties.query",
    "search": ".duties.query",
    "CheckReport": ".health",
    "check": ".health",
    "Article": ".models",
    "Chapter": ".models",
    "Item": ".models",
    "Paragraph": ".models",
    "ParseWarning": ".models",
    "Part": ".models",
    "Regulation": ".models",
    "Regulations": ".models",
    "Revision": ".models",
    "Section": ".models",
    "SubItem": ".models",
    "parse_file": ".parse.document",
    "parse_text": ".parse.document",
    "NormalizedText": ".parse.normalize",
    "normalize": ".parse.normalize",
    "normalize_text": ".parse.normalize",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        # a submodule (pc.numerals, pc.corpus), as when everything was imported eagerly
        if not name.startswith("_") and name.isidentifier():
            from importlib.util import find_spec

            if find_spec(f"{__name__}.{name}") is not None:
                return import_module(f".{name}", __name__)
        raise AttributeError(f"module 'pingan_corpus' has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value  # once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    # importing pingan_corpus.align.* sets the package's attribute ``align`` to the subpackage;
    # the public name is the function pc.align, as it was when everything was imported eagerly
    def __setattr__(self, name: str, value) -> None:
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


if TYPE_CHECKING:  # for type checkers and IDEs: the same names, eagerly
    from .align.equivalents import learn_equivalents
    from .align.gaps import gaps
    from .align.many import Coverage, compare_many, diffusion_edges, provision_families, similarity
    from .align.pairs import ClauseDiff, align, align_units, compare, word_diff
    from .corpus import Corpus, load_corpus
    from .duties.extract import extract_duties
    from .duties.graph import actor_profile, duty_graph
    from .duties.lexicon import actor_current, actor_historical
    from .duties.query import mandate_duties, mandates, search
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
    "mandate_duties",
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
