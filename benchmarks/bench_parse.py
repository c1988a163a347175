#!/usr/bin/env python
"""Parsing benchmark for pingan_corpus.

    python benchmarks/bench_parse.py                    # bundled corpus + 50 MB synthetic file
    python benchmarks/bench_parse.py --quick            # bundled corpus + 5 MB synthetic file
    python benchmarks/bench_parse.py --synthetic-mb 20  # any size
    python benchmarks/bench_parse.py --quick --profile  # + cProfile of the synthetic parse
    python benchmarks/bench_parse.py --synthetic-mb 100 --scaling --memory
                                                        # the big-input check: 100 MB, time and peak
                                                        # memory against a 10 MB file, memory by phase
    python benchmarks/bench_parse.py --quick --real /work/shared/corpus
                                                        # + parse vs OpenCC on a folder of real texts

What it measures
  1. The bundled corpus (data/raw): best of 3 runs of ``pc.load_corpus``, and the share of that
     time spent in ``pc.normalize`` (run alone on each file's bytes) vs everything after it
     (document split, structure, metadata).
     Then parse vs OpenCC: ``pc.parse_file`` of every file against OpenCC's t2s conversion of the
     same decoded text (the cost of the one conversion step every parse includes), timed in
     alternation in the same run, best of max(5, --runs) each, and their ratio — on the bundled
     corpus and, with --real DIR, on a folder of real regulations (.txt/.md).
  2. A synthetic compilation of N MB built from the seed regulations: every seed regulation that
     is numbered 第X条 is copied whole (title line, adoption note, table of contents, body) with
     its article labels rewritten to a fresh running numeral (第一条, 第二条, … per copy), and the
     copies are concatenated until the file reaches N MB. The parser has to split the file into
     documents itself (numbering restarts at 第一条 in every copy). The file is parsed with
     ``pc.parse_file`` in a separate spawned process so that its peak RSS
     (``getrusage(RUSAGE_CHILDREN).ru_maxrss``) is not polluted by the generator.
  3. A naive baseline on the same file: a per-line ``^第.+?条`` split with no normalization.
  4. --scaling: the same compilation at a tenth of the size, parsed in its own fresh process:
     time and peak-RSS ratios (linear time means ~10× the time for 10× the input).
  5. --memory: where the memory goes, phase by phase (read + decode, normalize, split documents,
     build the regulations), measured with tracemalloc in a fresh process: Python-level bytes
     allocated and alive at the end of each phase and the peak inside it, as multiples of the file.

1 MB = 1,000,000 bytes of raw (UTF-8 on disk) text throughout.
Only the standard library and the package itself are used.
"""
from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import os
import platform
import re
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

pc = None  # pingan_corpus, imported by load_package(): late, so the measuring child starts from a small parent


def load_package():
    global pc
    if pc is None:
        try:
            import pingan_corpus
        except ImportError as err:  # environment problem
            sys.exit(f"bench_parse: cannot import pingan_corpus ({err}); "
                     "activate the venv (. .venv/bin/activate) or `pip install -e .` first")
        pc = pingan_corpus
    return pc


def to_chinese(n: int) -> str:
    from pingan_corpus.numerals import to_chinese as _to_chinese

    return _to_chinese(n)

REPO = Path(__file__).resolve().parent.parent
MB = 1_000_000
TEXT_SUFFIXES = {".txt", ".text", ".md"}

# An article label the parser can accept: at a line start, or glued after 。 (traditional 條 too),
# and not an in-text reference (第三条第二款, 第十二条规定的, 第五条至第八条 …).
_CN = "零〇○一二三四五六七八九十百千两兩"
LABEL = re.compile(
    rf"(?:(?<=\n)|^|(?<=。))(?P<lead>[ \t\u3000]*)第[ \u3000]*(?P<num>[{_CN}]{{1,8}}|[0-9０-９]{{1,4}})"
    rf"[ \u3000]*(?P<tiao>[条條])(?P<sub>之[{_CN}]{{1,3}})?"
    r"(?![ \u3000]*(?:第|规定|規定|所[列称稱指述]|的|中|和|或者|至|、|及))",
    re.MULTILINE,
)
# the naive baseline: a line that starts with 第…条 starts an article
BASELINE_LABEL = re.compile(r"^第.+?条")


# -- helpers -------------------------------------------------------------------------------------
def fmt_s(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def rate(n: float, seconds: float) -> float:
    return n / seconds if seconds > 0 else float("inf")


def heading(title: str) -> None:
    print()
    print(title)
    print("-" * len(title.encode("gbk", "replace")))  # CJK-width-ish underline


def machine_info() -> None:
    cpu_model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        usable = os.cpu_count()
    print("pingan_corpus parsing benchmark")
    print("===============================")
    print(f"date            {dt.datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(f"python          {platform.python_implementation()} {platform.python_version()} ({sys.executable})")
    print(f"platform        {platform.platform()}")
    print(f"cpu             {os.cpu_count()} logical CPUs ({usable} usable), {cpu_model}")
    print(f"memory          {mem}")
    print(f"pingan_corpus   {getattr(pc, '__version__', '?')} ({Path(pc.__file__).parent})")


def corpus_files(data_dir: Path) -> list[Path]:
    return sorted(f for f in data_dir.iterdir() if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES
                  and not f.name.startswith(".") and f.name.lower() != "readme.md")


# -- 1. bundled corpus ---------------------------------------------------------------------------
def bench_bundled(data_dir: Path, files: list[Path], runs: int = 3) -> None:
    heading(f"1. Bundled corpus: {data_dir}")
    raw = {f: f.read_bytes() for f in files}
    total_bytes = sum(len(b) for b in raw.values())

    t0 = time.perf_counter()
    corpus = pc.load_corpus(data_dir)  # cold: loads OpenCC and the gazetteer
    cold = time.perf_counter() - t0
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        corpus = pc.load_corpus(data_dir)
        times.append(time.perf_counter() - t0)
    best = min(times)
    docs = len(corpus)
    articles = sum(len(r.articles) for r in corpus)

    norm_times = []
    for _ in range(runs):
        t = 0.0
        for b in raw.values():
            t0 = time.perf_counter()
            pc.normalize(b)
            t += time.perf_counter() - t0
        norm_times.append(t)
    norm = min(norm_times)
    structure = max(best - norm, 0.0)

    # per-file detail (one timed run each, after the warm-up above)
    print(f"{'file':<46} {'KB':>7} {'docs':>5} {'arts':>5} {'time':>9} {'MB/s':>6}")
    for f in files:
        t0 = time.perf_counter()
        regs = pc.parse_file(f)
        t = time.perf_counter() - t0
        n = len(raw[f])
        print(f"{f.name:<46} {n / 1000:>7.1f} {len(regs):>5} {sum(len(r.articles) for r in regs):>5} "
              f"{fmt_s(t):>9} {rate(n / MB, t):>6.2f}")
    print()
    print(f"raw text         {total_bytes / MB:.3f} MB in {len(files)} files")
    print(f"documents        {docs}")
    print(f"articles         {articles}")
    print(f"wall time        {fmt_s(best)} (best of {runs}: {', '.join(fmt_s(t) for t in times)}; "
          f"cold first run {fmt_s(cold)})")
    print(f"throughput       {rate(total_bytes / MB, best):.2f} MB/s raw, {rate(articles, best):,.0f} articles/s")
    print(f"  normalization  {fmt_s(norm):>9}  {norm / best * 100:5.1f}%  (pc.normalize alone on each file's bytes, best of {runs})")
    print(f"  structure      {fmt_s(structure):>9}  {structure / best * 100:5.1f}%  (the rest: document split, articles, metadata)")


def bench_vs_opencc(label: str, files: list[Path], runs: int = 5) -> None:
    """Parse time of ``files`` against OpenCC t2s of their decoded text, in the same run."""
    from pingan_corpus.parse.normalize import _converter
    from pingan_corpus.readers import read_file

    texts = [read_file(f).text for f in files]
    cc = _converter()
    for t in texts:  # warm both up
        cc.convert(t)
    for f in files:
        pc.parse_file(f)
    t_cc = t_parse = float("inf")
    for _ in range(runs):  # in alternation: a busy machine slows both alike
        t0 = time.perf_counter()
        for t in texts:
            cc.convert(t)
        t_cc = min(t_cc, time.perf_counter() - t0)
        t0 = time.perf_counter()
        for f in files:
            pc.parse_file(f)
        t_parse = min(t_parse, time.perf_counter() - t0)
    chars = sum(len(t) for t in texts)
    print(f"{label:<16} {len(files):>4} files {chars:>10,} chars   parse {fmt_s(t_parse):>9}   "
          f"OpenCC t2s {fmt_s(t_cc):>9}   parse/OpenCC {t_parse / t_cc:5.1f}×   (best of {runs})")


# -- 2. synthetic compilation --------------------------------------------------------------------
@dataclass
class Seed:
    name: str
    data: bytes  # UTF-8, renumbered, ends with a newline
    articles: int  # labels written by the renumbering


def renumber(text: str) -> tuple[str, int]:
    """Rewrite every article label with a running Chinese numeral starting at 第一条."""
    n = 0

    def repl(m: re.Match) -> str:
        nonlocal n
        if m.group("sub"):  # 第十条之一 stays attached to the article before it
            return f"{m.group('lead')}第{to_chinese(max(n, 1))}{m.group('tiao')}{m.group('sub')}"
        n += 1
        if n > 999:
            raise ValueError("more than 999 articles in one seed regulation")
        return f"{m.group('lead')}第{to_chinese(n)}{m.group('tiao')}"

    return LABEL.sub(repl, text), n


_FALLBACK_TITLES = ["东城区平安建设制度", "西城区平安建设制度", "南湖区平安建设制度", "北山区平安建设制度",
                    "中原区平安建设制度", "清河区平安建设制度", "青山区平安建设制度", "白云区平安建设制度"]


def seed_documents(files: list[Path]) -> tuple[list[Seed], list[str]]:
    """Every regulation of the bundled files that is numbered 第X条, as raw (source) text with its title line."""
    seeds: list[Seed] = []
    skipped: list[str] = []
    fallback = iter(_FALLBACK_TITLES * 10)
    for f in files:
        for reg in pc.parse_file(f):
            if reg.numbering != "article" or len(reg.articles) < 3:
                # 一、/1、 numbered rules have no 第X条 to restart: the parser could not split them
                skipped.append(f"{reg.doc_id} ({reg.numbering}, {len(reg.articles)} provisions)")
                continue
            norm = reg.normalized
            src = norm.source
            body_s, body_e = norm.source_span(reg.offset + reg.body_start, reg.offset + reg.body_end)
            chunk = None
            if reg.title:
                i = reg.text.rfind(reg.title, 0, reg.body_start)
                if i >= 0:
                    ts, _ = norm.source_span(reg.offset + i, reg.offset + i + len(reg.title))
                    ts = src.rfind("\n", 0, ts) + 1  # the whole title line, as written in the source
                    chunk = src[ts:body_e]
            if chunk is None:  # no title in the source (a bare body, or a compilation entry)
                chunk = next(fallback) + "\n" + src[body_s:body_e]
            chunk = chunk.replace("\r\n", "\n").replace("\r", "\n").strip("\n") + "\n"
            text, n = renumber(chunk)
            seeds.append(Seed(reg.doc_id, text.encode("utf-8"), n))
    return seeds, skipped


def build_synthetic(seeds: list[Seed], target_bytes: int, path: Path) -> tuple[int, int, int]:
    """Concatenate whole seed copies until ``target_bytes``; returns (bytes, documents, articles) written."""
    parts: list[bytes] = []
    size = docs = articles = 0
    while size < target_bytes:
        for s in seeds:
            parts.append(s.data)
            size += len(s.data)
            docs += 1
            articles += s.articles
            if size >= target_bytes:
                break
    data = b"".join(parts)
    path.write_bytes(data)
    return len(data), docs, articles


class ParseWorker:
    """A spawned process, started while this process is still small, that parses one file on request.

    Linux carries a process's high-water RSS over fork/exec into the child's ru_maxrss, so the child
    is started before the package is imported and the synthetic file is generated: its peak RSS
    (read here with getrusage(RUSAGE_CHILDREN) after it exits) is then its own.
    """

    def __init__(self) -> None:
        ctx = mp.get_context("spawn")
        self.conn, child_conn = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child_conn,), name="bench-parse", daemon=True)
        self.proc.start()
        child_conn.close()

    def parse(self, path: Path) -> dict:
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        try:
            self.conn.send(str(path))
            result = self.conn.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError):
            result = {"ok": False, "error": "the parse process died without a result"}
        self.proc.join()
        if self.proc.exitcode:
            result = {"ok": False, "error": result.get("error", "no result") +
                      f" (exit code {self.proc.exitcode}; -9 means killed, e.g. out of memory)"}
        result["peak_kb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        result["peak_masked"] = children_before > 0 and children_before >= result["peak_kb"]
        return result

    def close(self) -> None:
        if self.proc.is_alive():
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.proc.join(5)
            if self.proc.is_alive():
                self.proc.terminate()
                self.proc.join()


def _worker_main(conn) -> None:
    """Runs in the spawned process: import the package, wait for a path, parse it once, report."""
    try:
        package = load_package()
        rss_imported = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        path = conn.recv()
        if path is None:
            return
        t0 = time.perf_counter()
        regs = package.parse_file(path)
        t = time.perf_counter() - t0
        conn.send({"ok": True, "time": t, "docs": len(regs), "articles": sum(len(r.articles) for r in regs),
                   "warnings": sum(len(r.warnings) for r in regs), "rss_before_kb": rss_imported,
                   "rss_self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss})
    except EOFError:
        return
    except BaseException as e:  # report anything, including MemoryError
        try:
            conn.send({"ok": False, "error": f"{type(e).__name__}: {e}"})
        except OSError:
            pass
    finally:
        conn.close()


def _memory_main(path: str, conn) -> None:
    """Runs in a spawned process: tracemalloc by phase of parse_file (the same steps, split apart)."""
    import importlib
    import tracemalloc

    try:
        load_package()
        parse_mod = importlib.import_module("pingan_corpus.parse.document")
        norm_mod = importlib.import_module("pingan_corpus.parse.normalize")
        from pingan_corpus import readers

        pc.parse_text("第一条 预热：载入 OpenCC 与地名表。")
        size = os.path.getsize(path)
        rows = []
        tracemalloc.start()

        def mark(label: str) -> None:
            cur, peak = tracemalloc.get_traced_memory()
            rows.append((label, cur / size, peak / size))
            tracemalloc.reset_peak()

        read = readers.read_file(path)
        mark("read + decode")
        text, read.text = read.text, ""
        norm = norm_mod.normalize(text, path, encoding=read.encoding)
        del text
        mark("normalize")
        docs = parse_mod.split_file(norm)  # labels, document spans and texts, as parse_file has them
        mark("split documents")
        regs = []
        for i in range(1, len(docs) + 1):
            (s, e, labels, doc_text), docs[i - 1] = docs[i - 1], None
            regs.append(parse_mod._build(norm, s, e, doc_id=str(i), source=path, position=i, labels=labels,
                                         text=doc_text))
        mark("build regulations")
        top = tracemalloc.take_snapshot().statistics("lineno")[:8]
        conn.send({"ok": True, "rows": rows, "docs": len(regs),
                   "top": [(f"{t.traceback[0].filename.split(os.sep)[-1]}:{t.traceback[0].lineno}", t.size / size)
                           for t in top]})
    except BaseException as e:  # report anything, including MemoryError
        conn.send({"ok": False, "error": f"{type(e).__name__}: {e}"})
    finally:
        conn.close()


def memory_by_phase(path: Path) -> None:
    heading("5. Memory by phase (tracemalloc, in a fresh process)")
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_memory_main, args=(str(path), child), daemon=True)
    proc.start()
    child.close()
    try:
        res = parent.recv()
    except EOFError:
        res = {"ok": False, "error": "the process died"}
    proc.join()
    if not res.get("ok"):
        print(f"memory profile FAILED: {res.get('error')}")
        return
    print(f"{'phase':<20} {'alive after':>12} {'peak inside':>12}   (× the file size; Python allocations only)")
    for label, cur, peak in res["rows"]:
        print(f"{label:<20} {cur:>11.2f}× {peak:>11.2f}×")
    print("largest allocations alive at the end:")
    for where, mult in res["top"]:
        print(f"  {mult:6.2f}×  {where}")


def baseline_split(path: Path) -> int:
    """Naive: decode, split lines, start an article at every line matching ^第.+?条; no normalization."""
    text = path.read_bytes().decode("utf-8")
    articles: list[str] = []
    current: list[str] | None = None
    for line in text.split("\n"):
        if BASELINE_LABEL.match(line):
            if current is not None:
                articles.append("\n".join(current))
            current = [line]
        elif current is not None:
            current.append(line)
    if current is not None:
        articles.append("\n".join(current))
    return len(articles)


def bench_synthetic(files: list[Path], size_mb: float, profile: bool, worker: ParseWorker,
                    small_worker: ParseWorker | None = None, memory: bool = False) -> None:
    heading(f"2. Synthetic compilation of {size_mb:g} MB")
    t0 = time.perf_counter()
    seeds, skipped = seed_documents(files)
    if not seeds:
        print("no seed regulation numbered 第X条 in the bundled corpus: synthetic benchmark skipped")
        return
    print(f"seed regulations ({len(seeds)}, numbered 第X条; renumbered 第一条… per copy):")
    for s in seeds:
        print(f"  {s.name:<46} {len(s.data) / 1000:>7.1f} KB {s.articles:>4} articles")
    if skipped:
        print(f"  not used (no 第X条 numbering to restart, so not splittable by numbering): {len(skipped)}")
        print("    " + "; ".join(skipped))

    with tempfile.TemporaryDirectory(prefix="pingan_bench_") as tmp:
        path = Path(tmp) / "synthetic_compilation.txt"
        size, exp_docs, exp_articles = build_synthetic(seeds, int(size_mb * MB), path)
        gen = time.perf_counter() - t0
        print(f"generated        {path} ({size / MB:.2f} MB, {exp_docs} copies, "
              f"{exp_articles:,} article labels) in {fmt_s(gen)}")

        # ours, in a spawned child: time + peak RSS
        res = worker.parse(path)
        if not res.get("ok"):
            print(f"parse FAILED     {res.get('error')}")
            return
        t = res["time"]
        peak_b = res["peak_kb"] * 1024
        base_b = res["rss_before_kb"] * 1024
        print()
        print("pingan_corpus.parse_file (1 run, in a spawned child process started before the generator)")
        print(f"  raw text       {size / MB:.2f} MB")
        print(f"  documents      {res['docs']:,}  (copies written: {exp_docs:,}"
              f"{'' if res['docs'] == exp_docs else ' — MISMATCH'})")
        print(f"  articles       {res['articles']:,}  (labels written: {exp_articles:,}"
              f"{'' if res['articles'] == exp_articles else ' — MISMATCH'})")
        print(f"  warnings       {res['warnings']:,}")
        print(f"  time           {fmt_s(t)}")
        print(f"  throughput     {rate(size / MB, t):.2f} MB/s raw, {rate(res['articles'], t):,.0f} articles/s")
        print(f"  peak RSS       {peak_b / 2**20:,.0f} MiB = {peak_b / size:.1f}× the file size"
              f"  (child after imports, before parsing: {base_b / 2**20:,.0f} MiB;"
              f" parse adds {(peak_b - base_b) / 2**20:,.0f} MiB = {(peak_b - base_b) / size:.1f}×)")
        if res["peak_masked"]:
            print("  (warning: an earlier child process had a higher peak; the figure above may be its)")

        # phase split on the big file: normalize alone, in this process
        data = path.read_bytes()
        t0 = time.perf_counter()
        pc.normalize(data, str(path))
        tn = time.perf_counter() - t0
        del data
        print(f"  normalization  {fmt_s(tn):>9}  (pc.normalize alone on the file's bytes, 1 run, in this process)")
        print(f"  structure      {fmt_s(max(t - tn, 0.0)):>9}  (the rest: document split, articles, metadata)")

        # 3. baseline
        heading("3. Naive baseline on the same file")
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            n_base = baseline_split(path)
            times.append(time.perf_counter() - t0)
        tb = min(times)
        ours_mbs, base_mbs = rate(size / MB, t), rate(size / MB, tb)
        print("per-line re.match(r'^第.+?条') split, UTF-8 decode, no normalization (best of 3)")
        print(f"  articles       {n_base:,}  (naive: misses traditional 條 labels and labels glued after 。)")
        print(f"  time           {fmt_s(tb)}")
        print(f"  throughput     {base_mbs:.2f} MB/s raw")
        print(f"  ours/baseline  {ours_mbs / base_mbs:.3f}  (pingan_corpus is {base_mbs / ours_mbs:.1f}× slower: "
              "the cost of normalization, document splitting, structure and metadata)")

        if small_worker is not None:
            heading("4. Scaling: the same compilation at a tenth of the size, in a fresh process")
            small = Path(tmp) / "synthetic_small.txt"
            ssize, _d, _a = build_synthetic(seeds, int(size_mb * MB / 10), small)
            rs = small_worker.parse(small)
            if not rs.get("ok"):
                print(f"parse FAILED     {rs.get('error')}")
            else:
                big_peak, small_peak = res["rss_self_kb"] - res["rss_before_kb"], rs["rss_self_kb"] - rs["rss_before_kb"]
                print(f"  {ssize / MB:8.2f} MB  {fmt_s(rs['time']):>9}  parse adds {small_peak / 1024:,.0f} MiB "
                      f"= {small_peak * 1024 / ssize:.1f}× the file")
                print(f"  {size / MB:8.2f} MB  {fmt_s(t):>9}  parse adds {big_peak / 1024:,.0f} MiB "
                      f"= {big_peak * 1024 / size:.1f}× the file")
                print(f"  input ×{size / ssize:.1f} → time ×{t / rs['time']:.1f}, added memory ×{big_peak / max(small_peak, 1):.1f}"
                      "  (linear: both close to the input ratio)")
        if memory:
            memory_by_phase(path)
        if profile:
            profile_parse(path)


def profile_parse(path: Path, top: int = 10) -> None:
    import cProfile
    import io
    import pstats

    heading(f"cProfile of pc.parse_file on {path.name}: top {top} pingan_corpus functions")
    prof = cProfile.Profile()
    prof.enable()
    pc.parse_file(path)
    prof.disable()
    for key in ("tottime", "cumulative"):
        out = io.StringIO()
        stats = pstats.Stats(prof, stream=out).sort_stats(key)
        stats.print_stats("pingan_corpus", top)
        lines = out.getvalue().splitlines()
        start = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith("ncalls")), 0)
        print(f"by {key}:")
        print("\n".join(lines[start:]).rstrip())
        print()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--synthetic-mb", type=float, default=None, help="size of the synthetic file in MB (default 50)")
    ap.add_argument("--quick", action="store_true", help="5 MB synthetic file (unless --synthetic-mb is given)")
    ap.add_argument("--data", type=Path, default=REPO / "data" / "raw", help="bundled corpus folder (default data/raw)")
    ap.add_argument("--runs", type=int, default=3, help="runs for best-of timings on the bundled corpus")
    ap.add_argument("--profile", action="store_true", help="also cProfile the synthetic parse (in this process)")
    ap.add_argument("--scaling", action="store_true", help="also parse a file a tenth of the size: time/memory ratios")
    ap.add_argument("--memory", action="store_true", help="also measure memory by phase with tracemalloc")
    ap.add_argument("--real", type=Path, default=None,
                    help="a folder of real regulations (.txt/.md): parse vs OpenCC on it too")
    args = ap.parse_args(argv)
    size_mb = args.synthetic_mb if args.synthetic_mb is not None else (5.0 if args.quick else 50.0)
    if size_mb <= 0:
        ap.error("--synthetic-mb must be positive")

    data_dir: Path = args.data
    if not data_dir.is_dir():
        print(f"bench_parse: corpus folder {data_dir} not found. The benchmark needs the bundled regulations "
              f"(data/raw/*.txt in the repository); run it from a full checkout or pass --data DIR.",
              file=sys.stderr)
        return 2
    files = corpus_files(data_dir)
    if not files:
        print(f"bench_parse: no .txt/.text/.md files in {data_dir}; nothing to benchmark.", file=sys.stderr)
        return 2

    start = time.perf_counter()
    worker = ParseWorker()  # first, while this process holds only the standard library
    # (a child started later would inherit this process's high-water RSS in its ru_maxrss)
    small_worker = ParseWorker() if args.scaling else None
    try:
        load_package()
        machine_info()
        bench_bundled(data_dir, files, runs=max(1, args.runs))
        heading("1b. Parse vs OpenCC t2s of the same text")
        bench_vs_opencc("bundled (seeds)", files, runs=max(5, args.runs))
        if args.real is not None:
            real = corpus_files(args.real) if args.real.is_dir() else []
            if real:
                bench_vs_opencc(f"real ({args.real.name})", real, runs=max(5, args.runs))
            else:
                print(f"--real {args.real}: no .txt/.text/.md files there")
        bench_synthetic(files, size_mb, args.profile, worker, small_worker, memory=args.memory)
    finally:
        worker.close()
        if small_worker is not None:
            small_worker.close()
    print()
    print(f"total benchmark time {fmt_s(time.perf_counter() - start)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
