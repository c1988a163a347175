#!/usr/bin/env python
"""`pingan report` at scale: the report folder of N small synthetic regulations.

    python benchmarks/bench_report.py                            # N = 100, 200, 400, 1000
    python benchmarks/bench_report.py --sizes 100,1000 --articles 20 --baseline-max 200

For each N, in a fresh spawned process (so that peak memory is that run's own):

1. generate N small regulations with ``pingan_corpus.synth.synthesize`` from the seeds in
   data/raw, each seed cut to its first ``--articles`` articles (derived documents drop, add,
   merge and split articles, so they hold about that many); not timed;
2. ``build_report(regs, tmp, progress=False)`` — the whole folder: links (blocked
   ``align_all``), similarity, provision families, the 条文对照表 of the compared pairs, duties,
   the sample mandates queries, figures, the page — with the time of each step (from
   ``PARALLEL_ARTICLES`` articles the duties and queries are read in a forked process while the
   links are made: their step is then the time the report waited for them);
3. for N ≤ ``--baseline-max``, in another fresh process: the old per-pair path,
   ``pairwise_links`` (every article pair of every pair of documents scored: the step that made
   the report quadratic before it used the blocked links). The old report did this and then
   more per-pair work on top, so the baseline is a lower bound of the old report's time.

Peak memory is ``getrusage`` of that process (ru_maxrss: the generated corpus included) and,
apart, of the process it forked to read the duties (its pages are shared until written). The
growth exponent is the slope of log(time) against log(N) between successive sizes, and the
least-squares slope over all sizes.
"""
from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scale import machine

REPO = Path(__file__).resolve().parent.parent

# what build_report spends its time on: (module, function) wrapped with a timer in the child
STEPS = (
    ("pingan_corpus.align.scale", "align_all", "links"),
    ("pingan_corpus.align.many", "similarity", "similarity"),
    ("pingan_corpus.align.many", "provision_families", "families"),
    ("pingan_corpus.align.pairs", "compare", "compare"),
    # the duties and the queries: their whole time when the report reads them itself, the time
    # it waits for them when a forked process reads them meanwhile (PARALLEL_ARTICLES and more)
    ("pingan_corpus.present.report", "_Duties.result", "duties+queries"),
    ("pingan_corpus.present.report", "_figure", "figures"),
    ("pingan_corpus.present.tables", "font_face", "font"),
)


def small_corpus(n: int, articles: int, seed: int, data: str):
    """N regulations derived from the seeds of ``data``, each seed cut to ``articles`` articles."""
    import dataclasses

    from pingan_corpus.synth import load_seeds, synthesize

    seeds = [dataclasses.replace(r, articles=r.articles[:articles]) for r in load_seeds(data, articles)]
    regs, _ = synthesize(n, seed=seed, seeds=seeds, min_articles=articles)
    return regs


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timer(steps: dict, name: str, fn):
    def timed(*args, **kwargs):
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            steps[name] = steps.get(name, 0.0) + time.perf_counter() - t
    return timed


def run_report(n: int, args: dict) -> dict:
    """One size, in this (fresh) process: generate, then build the report."""
    import importlib

    t = time.perf_counter()
    regs = small_corpus(n, args["articles"], args["seed"], args["data"])
    out: dict = {"n": n, "articles": sum(len(r.articles) for r in regs), "generate_s": time.perf_counter() - t,
                 "peak_generated_mb": _peak_mb()}
    steps: dict[str, float] = {}
    for module, fn, name in STEPS:
        owner = importlib.import_module(module)
        *path, attr = fn.split(".")
        for part in path:
            owner = getattr(owner, part)
        setattr(owner, attr, _timer(steps, name, getattr(owner, attr)))
    from pingan_corpus.present.report import build_report

    with tempfile.TemporaryDirectory(prefix="pingan-report-") as tmp:
        t = time.perf_counter()
        build_report(regs, Path(tmp) / "report", progress=False)
        out["report_s"] = time.perf_counter() - t
        folder = Path(tmp) / "report"
        out["files"] = sum(1 for f in folder.rglob("*") if f.is_file())
        out["folder_mb"] = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20
    out["peak_mb"] = _peak_mb()
    out["peak_children_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the forked reader
    out["steps"] = steps
    return out


def run_baseline(n: int, args: dict) -> dict:
    """The old per-pair path on the same corpus, in this (fresh) process."""
    from pingan_corpus.align.many import pairwise_links

    regs = small_corpus(n, args["articles"], args["seed"], args["data"])
    t = time.perf_counter()
    links = pairwise_links(regs)
    return {"n": n, "pairwise_s": time.perf_counter() - t, "links": len(links), "peak_mb": _peak_mb()}


def _spawned(fn, n: int, args: dict) -> dict:
    # (a ProcessPoolExecutor's worker is not daemonic: the report may fork its own)
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as pool:
        return pool.submit(fn, n, args).result()


def exponents(ns: list[int], ts: list[float]) -> tuple[list[float], float]:
    """Slopes of log t against log n between successive sizes, and the least-squares slope."""
    pairs = [math.log(ts[k + 1] / ts[k]) / math.log(ns[k + 1] / ns[k]) for k in range(len(ns) - 1)]
    if len(ns) < 2:
        return pairs, float("nan")
    x = [math.log(v) for v in ns]
    y = [math.log(v) for v in ts]
    mx, my = sum(x) / len(x), sum(y) / len(y)
    fit = sum((a - mx) * (b - my) for a, b in zip(x, y)) / sum((a - mx) ** 2 for a in x)
    return pairs, fit


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="100,200,400,1000", help="comma-separated N (default 100,200,400,1000)")
    p.add_argument("--articles", type=int, default=20, help="articles per seed regulation (default 20)")
    p.add_argument("--baseline-max", type=int, default=400,
                   help="run the old per-pair path (pairwise_links) for N up to this (default 400; 0: never)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data", default=str(REPO / "data" / "raw"), help="seed regulations (default data/raw)")
    a = p.parse_args(argv)
    sizes = sorted({int(s) for s in a.sizes.split(",") if s.strip()})
    args = {"articles": a.articles, "seed": a.seed, "data": a.data}
    print(f"# bench_report: {machine()}")
    print(f"# small regulations: seeds of {a.data} cut to {a.articles} articles; seed {a.seed}\n")
    rows, base = [], {}
    for n in sizes:
        r = _spawned(run_report, n, args)
        rows.append(r)
        steps = ", ".join(f"{k} {v:.1f}" for k, v in sorted(r["steps"].items(), key=lambda kv: -kv[1]))
        print(f"N={n:5d} ({r['articles']:,} articles): report {r['report_s']:6.1f} s, peak {r['peak_mb']:5.0f} MB "
              f"(corpus alone {r['peak_generated_mb']:.0f} MB; forked reader {r['peak_children_mb']:.0f} MB), {r['files']} files, {r['folder_mb']:.1f} MB  [{steps}]",
              flush=True)
        if n <= a.baseline_max:
            b = base[n] = _spawned(run_baseline, n, args)
            print(f"        old per-pair path (pairwise_links alone): {b['pairwise_s']:6.1f} s, peak {b['peak_mb']:5.0f} MB, "
                  f"{b['links']:,} links", flush=True)
    ns = [r["n"] for r in rows]
    print("\n| N | articles | report | peak memory | old per-pair links alone |")
    print("|---|---|---|---|---|")
    for r in rows:
        b = base.get(r["n"])
        old = f"{b['pairwise_s']:.1f} s ({b['peak_mb']:.0f} MB)" if b else "not run"
        print(f"| {r['n']:,} | {r['articles']:,} | {r['report_s']:.1f} s | {r['peak_mb']:.0f} MB | {old} |")
    if len(ns) > 1:
        pairs, fit = exponents(ns, [r["report_s"] for r in rows])
        print(f"\ngrowth exponent of the report: {', '.join(f'{x:.2f}' for x in pairs)} between successive sizes; "
              f"{fit:.2f} fitted over all")
        bn = [n for n in ns if n in base]
        if len(bn) > 1:
            pairs, fit = exponents(bn, [base[n]["pairwise_s"] for n in bn])
            print(f"growth exponent of the old per-pair path: {', '.join(f'{x:.2f}' for x in pairs)}; {fit:.2f} fitted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
