"""The `pingan` command line: parse a file or a folder of regulations."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import PinganError

_DESCRIPTION = """Comparative analysis of Chinese local legislation.

examples:
  pingan parse data/raw                       one line per document: articles, chapters, metadata
  pingan parse my_draft.txt --format csv -o articles.csv
  pingan parse data/raw --format json         the article table as JSON lines
"""


def _parse(args: argparse.Namespace) -> int:
    from .corpus import Corpus, articles_frame, load_corpus
    from .parse import parse_file

    target = Path(args.path)
    if target.is_dir():
        corpus = load_corpus(target)
    elif target.exists():
        corpus = Corpus(parse_file(target))
    else:
        raise PinganError(f"{target}: no such file or folder")
    if args.format == "summary":
        out = sys.stdout if args.output is None else open(args.output, "w", encoding="utf-8")
        try:
            for reg in corpus:
                dates = " ".join(f"{k}={v}" for k, v in (("adopted", reg.adopted), ("effective", reg.effective)) if v)
                print(f"{reg.doc_id}\t{reg.title or '(untitled)'}\t{reg.jurisdiction or '?'}\t{reg.status}\t"
                      f"{len(reg.chapters)} chapters\t{len(reg.articles)} articles\t"
                      f"{sum(len(a.items) for a in reg.articles)} items\t{len(reg.warnings)} warnings"
                      + (f"\t{dates}" if dates else ""), file=out)
            print(f"{len(corpus)} documents, {sum(len(r.articles) for r in corpus)} articles", file=out)
        finally:
            if out is not sys.stdout:
                out.close()
        return 0
    df = articles_frame(corpus)
    if args.format == "csv":
        df.to_csv(args.output or sys.stdout, index=False)
    elif args.format == "json":
        df.to_json(args.output or sys.stdout, orient="records", lines=True, force_ascii=False, date_format="iso")
    elif args.format == "parquet":
        if not args.output:
            raise PinganError("--format parquet needs -o FILE")
        df.to_parquet(args.output, index=False)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pingan", description=_DESCRIPTION,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sp = sub.add_parser("parse", help="parse a regulation file or a folder (data/raw with manifest.csv)")
    sp.add_argument("path", help="a .txt/.md file, or a folder of them")
    sp.add_argument("--format", choices=("summary", "csv", "json", "parquet"), default="summary",
                    help="summary: one line per document (default); csv/json/parquet: one row per article")
    sp.add_argument("-o", "--output", help="write to this file instead of standard output")
    sp.set_defaults(func=_parse)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except BrokenPipeError:  # output piped into head & co.
        sys.stderr.close()
        return 0
    except (PinganError, OSError) as e:
        print(f"pingan: error: {e}", file=sys.stderr)
        return 1
