"""The `pingan` command line: parse, check, compare, gaps, duties, mandates, report, serve."""
from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from .errors import PinganError

_DESCRIPTION = """Comparative analysis of Chinese local legislation.

examples:
  pingan report data/raw -o report            the main job: report/index.html + Word/Excel tables
  pingan parse data/raw                       one line per document: articles, chapters, metadata
  pingan parse my_draft.txt --format csv -o articles.csv
  pingan parse data/raw --format json         the article table as JSON lines
  pingan check ~/Laws/DLC --match 信访         health of a folder tree: counts, gaps, missing metadata
  pingan check data/raw --strict --format csv -o check.csv   exit 1 when any document has an anomaly
  pingan compare draft.txt final.txt -o diff.docx      a Word 条文对照表 (.docx, .xlsx or .html)
  pingan compare xiangtan_pingan_draft xiangtan_pingan_2022 --corpus data/raw
  pingan compare data/raw/compilation.txt#3 data/raw/xiangtan.txt   the 3rd document of a file
  pingan compare draft.docx --peers ~/Laws/平安建设 -o 多地对照表.docx   the draft against many (Word/Excel/HTML)
  pingan gaps draft.docx --peers ~/Laws/平安建设   provisions peers have that the draft lacks
  pingan duties data/raw -o duties.csv        every obligation: actor, modality, action, condition
  pingan mandates 校园欺凌 --corpus data/raw    which regulations mandate it (--all-modalities: also 可以/鼓励)
  pingan serve data/raw                       a local page: drop a draft, tick peers, get the 多地对照表

A document is named by its file, by file#N for the N-th document of a compilation, or by its
doc_id in the --corpus folder (default: data/raw when it exists).
"""


def resolve_document(name: str, corpus_dir: str | None):
    """A regulation named by file, file#N (1-based) or doc_id in a corpus folder."""
    from .corpus import load_corpus
    from .parse.document import parse_file

    path, _, index = name.partition("#")
    if Path(path).is_file():
        regs = parse_file(path)
        if index:
            if not index.isdigit() or not 1 <= int(index) <= len(regs):
                raise PinganError(f"{path}: no document #{index} (the file holds {len(regs)})")
            return regs[int(index) - 1]
        if len(regs) > 1:
            raise PinganError(f"{path} holds {len(regs)} documents: name one as {path}#1 … {path}#{len(regs)}")
        return regs[0]
    folder = Path(corpus_dir) if corpus_dir else Path("data/raw")
    if not folder.is_dir():
        raise PinganError(f"{name}: no such file, and no corpus folder to look up a doc_id (use --corpus DIR)")
    corpus = load_corpus(folder)
    if name not in corpus:
        raise PinganError(f"{name}: no such file, nor a doc_id in {folder} "
                          f"(doc_ids: {', '.join(corpus.doc_ids[:8])}{' …' if len(corpus) > 8 else ''})")
    return corpus[name]


def resolve_peers(names: list[str], corpus_dir: str | None, draft=None) -> list:
    """Peer regulations: every document of a folder, a file (all its documents), file#N, or a
    doc_id in the corpus folder; the draft itself is left out of a folder it lies in."""
    peers = []
    for name in names:
        if Path(name).is_dir():
            peers += [r for r in _load(name, False) if draft is None or r.text != draft.text]
        elif Path(name.partition("#")[0]).is_file() and "#" not in name:
            from .parse.document import parse_file

            peers += parse_file(name)
        else:
            peers.append(resolve_document(name, corpus_dir))
    if not peers:
        raise PinganError("--peers named no regulation (give folders, files or doc_ids)")
    return peers


def _compare(args: argparse.Namespace) -> int:
    out = Path(args.output) if args.output else None
    if out is not None and out.suffix.lower() not in (".xlsx", ".docx", ".html", ".htm"):
        raise PinganError(f"{out}: choose an output ending in .xlsx, .docx or .html")
    if args.peers and args.b:
        raise PinganError("compare takes either B or --peers, not both")
    if not args.peers and not args.b:
        raise PinganError("compare needs B (a second regulation) or --peers (several)")
    a = resolve_document(args.a, args.corpus)
    if args.peers:
        return _compare_many(a, resolve_peers(args.peers, args.corpus, a), out)
    from .align.pairs import compare

    b = resolve_document(args.b, args.corpus)
    cd = compare(a, b)
    if out is not None:
        writers = {".xlsx": cd.to_excel, ".docx": cd.to_docx, ".html": cd.to_html, ".htm": cd.to_html}
        writers[out.suffix.lower()](out)
        print(f"wrote {out}")
    s = cd.summary()
    print(f"{cd.a_name} → {cd.b_name}")
    for rel, row in s.iterrows():
        if row["links"]:
            print(f"  {row['说明']}\t{rel}\t{row['links']}")
    print(f"  text reused: {s.attrs['reused_a']:.0%} of A, {s.attrs['reused_b']:.0%} of B; {s.attrs['moved']} moved")
    flagged = cd.frame[cd.frame["force_change"] | cd.frame["bearer_change"] | cd.frame["figures_change"]]
    print(f"  legal-force changes (说明 【效力】/【主体】/【数字】): {len(flagged)} rows")
    return 0


def _compare_many(draft, peers: list, out: Path | None) -> int:
    from .align.many import compare_many
    from .present.multi import ROW_KINDS, row_kinds

    cov = compare_many(draft, peers)
    if out is not None:
        writers = {".xlsx": cov.to_excel, ".docx": cov.to_docx, ".html": cov.to_html, ".htm": cov.to_html}
        writers[out.suffix.lower()](out)
        print(f"wrote {out}")
    kinds = row_kinds(cov).value_counts()
    print(f"{len(draft.articles)} articles against {len(peers)} regulations: {', '.join(cov.peer_names)}")
    for kind, label in ROW_KINDS.items():
        if kinds.get(kind):
            print(f"  {label}\t{kind}\t{kinds[kind]} rows")
    cells = cov.cells
    flagged = cells[cells["force_change"] | cells["bearer_change"] | cells["figures_change"]]
    print(f"  legal-force changes: {len(flagged)} counterparts in {flagged['row'].nunique()} rows")
    return 0


def _gaps(args: argparse.Namespace) -> int:
    from .align.gaps import gaps

    draft = resolve_document(args.draft, args.corpus)
    peers = resolve_peers(args.peers, args.corpus, draft)
    table = gaps(draft, peers)
    if args.output:
        _write_frame(table.drop(columns=["members"]), args.output)
        print(f"wrote {args.output}")
    lacking = table[table["side"] == "peers"]
    print(f"provisions {len(peers)} peers have that {args.draft} lacks: {len(lacking)}")
    for r in lacking.head(args.top).itertuples(index=False):
        print(f"  {r.rank:>3}. [{r.n_peers}] {r.label}\t{r.articles}"
              + (f"\t(partly: draft {r.draft_partial})" if r.draft_partial else ""))
    only = table[table["side"] == "draft"]
    print(f"only in the draft: {len(only)}" + (": " + "；".join(only["articles"].head(args.top)) if len(only) else ""))
    return 0


def _parse(args: argparse.Namespace) -> int:
    from .corpus import articles_frame

    corpus = _load(args.path, args.strict)
    if args.format == "summary":
        with contextlib.ExitStack() as stack:
            out = sys.stdout if args.output is None else stack.enter_context(open(args.output, "w", encoding="utf-8"))
            for reg in corpus:
                dates = " ".join(f"{k}={v}" for k, v in (("adopted", reg.adopted), ("effective", reg.effective)) if v)
                print(f"{reg.doc_id}\t{reg.title or '(untitled)'}\t{reg.jurisdiction or '?'}\t{reg.status}\t"
                      f"{len(reg.chapters)} chapters\t{len(reg.articles)} articles\t"
                      f"{sum(len(a.items) for a in reg.articles)} items\t{len(reg.warnings)} warnings"
                      + (f"\t{dates}" if dates else ""), file=out)
            print(f"{len(corpus)} documents, {sum(len(r.articles) for r in corpus)} articles", file=out)
        return 0
    df = articles_frame(corpus)
    if args.format == "csv":
        _write_frame(df, args.output)
    elif args.format == "json":
        df.to_json(args.output or sys.stdout, orient="records", lines=True, force_ascii=False, date_format="iso")
    elif args.format == "parquet":
        if not args.output:
            raise PinganError("--format parquet needs -o FILE")
        df.to_parquet(args.output, index=False)
    return 0


_SKIPPED: list[tuple[str, str]] = []  # files skipped by this run's loads, reported once at the end
_WARNINGS: list[str] = []  # what else the loads noticed about the folder (duplicate doc_ids, manifest rows)


def _load(path: str, strict: bool = False):
    from .corpus import Corpus, load_corpus
    from .parse.document import parse_file

    target = Path(path)
    if target.is_dir():
        corpus = load_corpus(target, strict=strict)
        _SKIPPED.extend(corpus.skipped)
        _WARNINGS.extend(w for w in corpus.warnings if not w.startswith("skipped "))
        if corpus.skipped and not len(corpus):
            raise PinganError(f"{target}: no file could be read ({len(corpus.skipped)} skipped; "
                              f"`pingan check {target}` lists why)")
        return corpus
    if target.exists():
        return Corpus(parse_file(target))
    raise PinganError(f"{target}: no such file or folder")


def _check(args: argparse.Namespace) -> int:
    from .health import check

    report = check(args.path, recursive=not args.no_recursive, match=args.match)
    out = args.output
    if args.format == "csv":
        report.to_csv(out or sys.stdout)
    elif args.format == "json":
        report.to_json(out or sys.stdout)
    elif out:
        Path(out).write_text(report.table() + "\n", encoding="utf-8")
    else:
        print(report.table())
    if out:
        print(f"wrote {out}")
        print(report.summary)
    elif args.format != "table":
        print(report.summary, file=sys.stderr)
    return 1 if args.strict and not report.ok else 0


def _write_frame(df, output: str | None) -> None:
    """A table to stdout or a file: CSV, or Excel for .xlsx — always through the guarded writers."""
    from .present.tables import write_csv, write_frame_excel

    if output is not None and output.lower().endswith(".xlsx"):
        write_frame_excel(df, output)
    else:
        write_csv(df, output if output is not None else sys.stdout)


def _duties(args: argparse.Namespace) -> int:
    from .duties.extract import extract_duties

    df = extract_duties(_load(args.path, args.strict))
    _write_frame(df, args.output)
    if args.output:
        print(f"wrote {args.output}: {len(df)} rows, {df['actor'].nunique() if len(df) else 0} actors")
    return 0


def _mandates(args: argparse.Namespace) -> int:
    from .duties.query import mandates

    corpus = _load(args.corpus or "data/raw", args.strict)
    df = mandates(corpus, args.query, modality=None if args.all_modalities else ("shall", "prohibit"))
    if args.output:
        _write_frame(df, args.output)
        print(f"wrote {args.output}: {len(df)} obligations")
        return 0
    if not len(df):
        print(f"no obligation matches {args.query!r}")
        return 0
    for r in df.itertuples():  # why it matched: the words found, where, and the modal cue
        why = f"{'、'.join(r.matched_terms)}（{r.matched_in}{'，' + r.cue if r.cue else ''}）"
        print(f"{r.jurisdiction or r.doc_id}\t第{r.article_no}条\t{r.actor}\t{r.modality}\t{r.action}\t{why}")
    print(f"{len(df)} obligations in {df['doc_id'].nunique()} documents")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .serve import serve

    folder = Path(args.corpus_dir) if args.corpus_dir else Path("data/raw")
    if not folder.is_dir():
        raise PinganError(f"{folder}: no such folder — name the corpus folder whose regulations the page "
                          "offers as peers (pingan serve FOLDER)")
    serve(_load(str(folder)), host=args.host, port=args.port, max_upload_mb=args.max_upload_mb,
          open_browser=not args.no_browser)
    return 0


def _report(args: argparse.Namespace) -> int:
    from .present.report import build_report

    index = build_report(_load(args.path, args.strict), args.output, max_pairs=args.max_pairs, progress=None)
    print(f"wrote {index}")
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse, with its usage errors on one line (exit status 2, as argparse's own)."""

    def error(self, message: str):
        print(f"pingan: error: {' '.join(message.split())} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(2)


def _count(value: str) -> int:
    """A positive whole number (for --max-pairs)."""
    if not value.strip().isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return int(value)


def _port(value: str) -> int:
    """A TCP port (0: any free port)."""
    if not value.strip().isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 0 to 65535, not {value!r}")
    return int(value)


def _add_strict(command: argparse.ArgumentParser) -> None:
    command.add_argument("--strict", action="store_true", help="stop at the first file that cannot be read "
                         "(default: skip it, go on, and list the skipped files at the end)")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="pingan", description=_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sp = sub.add_parser("parse", help="parse a regulation file or a folder (data/raw with manifest.csv)")
    sp.add_argument("path", help="a .txt/.md/.docx/.html/.pdf file, or a folder of them")
    sp.add_argument("--format", choices=("summary", "csv", "json", "parquet"), default="summary",
                    help="summary: one line per document (default); csv/json/parquet: one row per article")
    sp.add_argument("-o", "--output", help="write to this file instead of standard output")
    _add_strict(sp)
    sp.set_defaults(func=_parse)
    kp = sub.add_parser("check", help="health report of a folder (tree) before trusting it: one line per document")
    kp.add_argument("path", help="a folder (walked recursively), or a single file")
    kp.add_argument("--strict", action="store_true", help="exit with status 1 when any anomaly is found")
    kp.add_argument("--no-recursive", action="store_true", help="only the files directly in the folder")
    kp.add_argument("--match", metavar="TEXT", help="only files whose path (relative to the folder) contains TEXT")
    kp.add_argument("--format", choices=("table", "csv", "json"), default="table",
                    help="table: one line per document and a summary (default); csv / json lines: every column")
    kp.add_argument("-o", "--output", help="write to this file instead of standard output")
    kp.set_defaults(func=_check)
    cp = sub.add_parser("compare", help="compare two regulations clause by clause (条文对照表)")
    cp.add_argument("a", help="regulation A (the draft): a file, file#N, or a doc_id in --corpus")
    cp.add_argument("b", nargs="?", help="regulation B, named the same way (or use --peers)")
    cp.add_argument("--peers", nargs="+", metavar="PEER",
                    help="several regulations (folders, files, doc_ids): a 多地对照表 of A against all of them")
    cp.add_argument("-o", "--output", help="write the table to .xlsx, .docx or .html")
    cp.add_argument("--corpus", help="folder to look doc_ids up in (default: data/raw)")
    cp.set_defaults(func=_compare)
    gp = sub.add_parser("gaps", help="what peer regulations provide that a draft lacks (and the converse)")
    gp.add_argument("draft", help="the draft: a file, file#N, or a doc_id in --corpus")
    gp.add_argument("--peers", nargs="+", required=True, metavar="PEER", help="folders, files or doc_ids")
    gp.add_argument("--corpus", help="folder to look doc_ids up in (default: data/raw)")
    gp.add_argument("--top", type=_count, default=20, help="how many to print (default 20; -o writes all)")
    gp.add_argument("-o", "--output", help="write the whole table to .csv or .xlsx")
    gp.set_defaults(func=_gaps)
    dp = sub.add_parser("duties", help="extract every obligation (who, modality, action) as CSV")
    dp.add_argument("path", help="a regulation file or a folder")
    dp.add_argument("-o", "--output", help="write to .csv or .xlsx instead of standard output")
    _add_strict(dp)
    dp.set_defaults(func=_duties)
    mp = sub.add_parser("mandates", help="which regulations mandate X (a short Chinese phrase)")
    mp.add_argument("query", help="e.g. 校园欺凌, 寄递实名, 网格员")
    mp.add_argument("--corpus", help="a folder or file of regulations (default: data/raw)")
    mp.add_argument("--all-modalities", action="store_true",
                    help="also permissive (可以) and encouraged (鼓励) provisions, not only 应当/不得")
    mp.add_argument("-o", "--output", help="write the table to .csv or .xlsx")
    _add_strict(mp)
    mp.set_defaults(func=_mandates)
    rp = sub.add_parser("report", help="the main job: an HTML report folder with Word/Excel 条文对照表")
    rp.add_argument("path", help="a folder of regulations (data/raw) or a file")
    rp.add_argument("-o", "--output", required=True, help="output folder (created)")
    rp.add_argument("--max-pairs", type=_count, default=12, help="most related pairs to compare (default 12)")
    _add_strict(rp)
    rp.set_defaults(func=_report)
    vp = sub.add_parser("serve", help="a local web page for drafters: upload a draft, tick peers, 多地对照表")
    vp.add_argument("corpus_dir", nargs="?", help="the folder of regulations offered as peers (default: data/raw)")
    vp.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this computer only)")
    vp.add_argument("--port", type=_port, default=8765, help="port (default 8765; 0: any free port)")
    vp.add_argument("--max-upload-mb", type=_count, default=20, help="largest draft accepted, in MB (default 20)")
    vp.add_argument("--no-browser", action="store_true", help="do not open the page in the default browser")
    vp.set_defaults(func=_serve)
    return p


def _fail(message: str) -> int:
    """One line on standard error, exit status 1."""
    print(f"pingan: error: {' '.join(message.split())}", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    _SKIPPED.clear()
    _WARNINGS.clear()
    try:
        status = args.func(args)
        for w in _WARNINGS:
            print(f"pingan: warning: {' '.join(w.split())}", file=sys.stderr)
        if _SKIPPED:  # the run went on past unreadable files: say which, at the end, where it is seen
            for rel, reason in _SKIPPED:
                print(f"pingan: warning: skipped {rel}: {' '.join(reason.split())}", file=sys.stderr)
            print(f"pingan: warning: {len(_SKIPPED)} file(s) skipped (--strict stops at the first)", file=sys.stderr)
        return status
    except BrokenPipeError:  # output piped into head & co.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        _fail("interrupted")
        return 130
    except (PinganError, OSError) as e:
        return _fail(str(e) or type(e).__name__)
    except MemoryError:
        return _fail("out of memory: the input is too large for this machine (split the folder, or use "
                     "Corpus.align_all for corpus-wide alignment)")
    except Exception as e:  # a bug, not bad input: still one line; PINGAN_DEBUG=1 shows the traceback
        if os.environ.get("PINGAN_DEBUG"):
            raise
        return _fail(f"unexpected {type(e).__name__}: {e} — this is a bug in pingan_corpus; "
                     "run again with PINGAN_DEBUG=1 for the traceback and report it")
