#!/usr/bin/env python
"""Corpus-wide alignment at scale: synthetic corpora of N regulations derived from the seeds.

    python benchmarks/bench_scale.py                       # N = 100 and 1,000
    python benchmarks/bench_scale.py --sizes 100,1000,10000
    python benchmarks/bench_scale.py --engine dask         # the same on a 2-worker LocalCluster

For each N, in a fresh spawned process (so that peak memory is that run's own):

1. generate N regulations with ``pingan_corpus.synth.synthesize`` (the seeds from data/raw, then
   derived documents: other jurisdictions, articles dropped/added/moved/merged/split/reworded,
   traditional characters, pinyin, stripped commas) and the truth of where each article comes
   from; not timed as part of the pipeline;
2. parse every text with ``pc.parse_text`` (``--workers`` processes);
3. ``align_all(out=…)`` (``--engine``, ``--workers``) — blocking (the candidates), scoring,
   relations — the links streamed to Parquet parts as they are scored, never all in memory;
4. recall against the truth: the share of (derived article, source article) pairs that are
   links, overall and by operation (read part by part);
5. recall against exhaustive scoring on a sample of ``--sample`` documents: every article pair
   among them scored with the corpus's vocabulary (``recall_against_exhaustive``), compared with
   the links of the full run among them (article pairs, and distinct-text pairs — copies of one
   text counted once), and the number of links exhaustive scoring would find in the whole
   corpus, extrapolated from the sample;
6. for N ≤ ``--exhaustive-max``: the exhaustive baseline on the whole corpus (pairwise_links:
   rapidfuzz cdist on every article pair of every document pair) against the local engine;
7. for N ≤ ``--dask-max``: the same run on the Dask engine (a two-worker LocalCluster), its
   links compared with the local engine's;
8. for N ≤ ``--complete-max``: ``align_all(complete=True, out=…)`` — every pair, streamed to
   Parquet — its time, links, size on disk and recall against the same exhaustive sample (and
   against the whole baseline of step 6 when there is one).

Peak memory is ``getrusage`` of the run's process (ru_maxrss) and of its worker processes
(the largest), and the machine's memory in use sampled during the run (during parse +
align_all, and over the whole run with the measurements). The growth exponent is the slope of log(time) against log(N).
"""
from __future__ import annotations

import argparse
import datetime as dt
import math
import multiprocessing as mp
import os
import platform
import resource
import sys
import time
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parent.parent


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 2**20:.0f} GiB"
    except OSError:
        pass
    return (f"{dt.datetime.now().astimezone().isoformat(timespec='seconds')}; {platform.platform()}; "
            f"{os.cpu_count()} CPUs ({cpu}); {mem}; Python {platform.python_version()}")


def _parse(item):
    from pingan_corpus.synth import parse_one

    return parse_one(*item)


class MemoryWatch:
    """The machine's memory in use (MemTotal - MemAvailable), sampled every 0.2 s: the peak of
    this run's whole process tree, workers and shared pages included, above what was in use
    before it started."""

    def __init__(self):
        import threading

        self.base = self.used()
        self.peak = self.base
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    @staticmethod
    def used() -> float:
        try:
            info = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines())
            return (int(info["MemTotal"].split()[0]) - int(info["MemAvailable"].split()[0])) / 1024
        except (OSError, KeyError, ValueError):
            return float("nan")

    def _run(self):
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, self.used())

    def stop(self) -> float:
        self._stop.set()
        self._t.join()
        return self.peak - self.base


def run_one(n: int, args: dict) -> dict:
    """One size, in this (fresh) process."""
    import numpy as np

    watch = MemoryWatch()

    from pingan_corpus.align.many import pairwise_links
    from pingan_corpus.align.scale import align_all, recall_against_exhaustive
    from pingan_corpus.align.thresholds import LINK
    from pingan_corpus.synth import check_truth, synthesize

    out: dict = {"n": n}
    t = time.perf_counter()
    texts, truth = synthesize(n, seed=args["seed"], seeds=args["data"], parse=False)
    out["generate_s"] = time.perf_counter() - t

    import shutil
    import tempfile

    tmp = tempfile.mkdtemp(prefix="pingan-bench-")
    pool = mp.get_context("fork").Pool(args["workers"]) if args["workers"] > 1 and "fork" in mp.get_all_start_methods() else None
    parse_s = 0.0
    streamed = n >= args["stream_min"]
    out["streamed"] = streamed
    if streamed:
        # parsed a few partitions at a time while align_all prepares them: the trees are never
        # all in memory (only each document's id and article count are kept, for the truth)
        seen = []

        def parsed():
            nonlocal parse_s
            step = 500 * max(1, args["workers"])  # align_all's partitions, one per worker
            for s in range(0, len(texts), step):
                t = time.perf_counter()
                batch = pool.map(_parse, texts[s:s + step], chunksize=50) if pool else [_parse(x) for x in texts[s:s + step]]
                texts[s:s + step] = [None] * len(batch)
                parse_s += time.perf_counter() - t
                seen.extend(SimpleNamespace(doc_id=r.doc_id, articles=range(len(r.articles))) for r in batch)
                yield from batch

        t = time.perf_counter()
        stored = align_all(parsed(), engine=args["engine"], workers=args["workers"], progress=args["progress"],
                           out=os.path.join(tmp, "links"))
        out["align_s"] = time.perf_counter() - t - parse_s
        regs = seen
        out["peak_parsed_mb"] = float("nan")
    else:
        t = time.perf_counter()
        regs = pool.map(_parse, texts, chunksize=50) if pool else [_parse(x) for x in texts]
        parse_s = time.perf_counter() - t
        out["peak_parsed_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        t = time.perf_counter()
        stored = align_all(regs, engine=args["engine"], workers=args["workers"], progress=args["progress"],
                           out=os.path.join(tmp, "links"))
        out["align_s"] = time.perf_counter() - t
    if pool:
        pool.close()
    texts = None  # the raw texts are no longer needed
    out["parse_s"] = parse_s
    truth = check_truth(regs, truth)
    out["articles"] = sum(len(r.articles) for r in regs)
    out["parse_mismatches"] = len(truth.attrs.get("parse_mismatches", []))
    out["peak_align_machine_mb"] = watch.peak - watch.base  # parse + align_all, before any measuring
    out["blocking"] = dict(stored.attrs["blocking"])
    out["links"] = len(stored)
    out["parquet_mb"] = sum(f.stat().st_size for f in stored.parts()) / 2**20

    # recall against the truth (int64 keys: a set of millions of tuples would dominate memory)
    docs = {r.doc_id: k for k, r in enumerate(regs)}

    def keys(da, aa, db, ab):
        da, db = da.map(docs).to_numpy(np.int64), db.map(docs).to_numpy(np.int64)
        aa, ab = aa.to_numpy(np.int64), ab.to_numpy(np.int64)
        return ((da * 4096 + aa) * (1 << 20) + db) * 4096 + ab

    found = np.unique(np.concatenate([np.zeros(0, np.int64)] + [
        keys(f["doc_a"], f["article_a"], f["doc_b"], f["article_b"]) for f in stored]))
    fwd = keys(truth["doc_id"], truth["article_no"], truth["source_doc"], truth["source_article"])
    back = keys(truth["source_doc"], truth["source_article"], truth["doc_id"], truth["article_no"])
    hit = np.isin(fwd, found) | np.isin(back, found)
    truth = truth.assign(found=hit)
    out["truth_pairs"] = len(truth)
    out["truth_recall"] = float(hit.mean()) if len(hit) else float("nan")
    per_article = truth.groupby(["doc_id", "article_no"])["found"].any()
    out["truth_article_recall"] = float(per_article.mean()) if len(per_article) else float("nan")
    ops = truth.assign(op=truth["operation"].str.split("+").str[0]).groupby("op")["found"].agg(["mean", "size"])
    out["truth_by_op"] = {k: (float(v["mean"]), int(v["size"])) for k, v in ops.iterrows()}

    # recall against exhaustive scoring on a sample of documents (every article pair among them,
    # scored with the corpus's vocabulary)
    # what follows needs every Regulation: not for a streamed run
    if streamed:
        args = args | {"sample": 0, "exhaustive_max": 0, "dask_max": 0, "complete_max": 0}
    pick = np.sort(np.random.default_rng(args["seed"]).choice(n, min(args["sample"], n), replace=False))
    if args["sample"]:
        t = time.perf_counter()
        among = stored.frame(docs=[regs[i].doc_id for i in pick])
        r = recall_against_exhaustive(regs, among, sample=args["sample"], seed=args["seed"])
        s = args["sample"]
        r["extrapolated"] = r["exhaustive"] * n * (n - 1) / (s * (s - 1)) if s > 1 else float("nan")
        out["sample"] = {k: v for k, v in r.items() if k != "dropped"} | {"seconds": time.perf_counter() - t}

    # the exhaustive baseline on the whole corpus
    exhaustive = None
    key = ["doc_a", "article_a", "doc_b", "article_b"]
    if n <= args["exhaustive_max"]:
        t = time.perf_counter()
        exhaustive = pairwise_links(regs)
        out["exhaustive_s"] = time.perf_counter() - t
        exhaustive = e = exhaustive[exhaustive["score"] >= LINK]
        b = stored.frame(min_score=LINK, columns=key)
        m = e[key].drop_duplicates().merge(b[key].drop_duplicates(), how="outer", on=key, indicator=True)
        out["vs_exhaustive_default"] = {"exhaustive": int((m["_merge"] != "right_only").sum()),
                                        "kept": int((m["_merge"] == "both").sum()),
                                        "extra": int((m["_merge"] == "right_only").sum()), "seconds": out["align_s"]}

    # the Dask engine on a two-worker LocalCluster gives the same links
    if n <= args["dask_max"]:
        t = time.perf_counter()
        remote = align_all(regs, engine="dask", n_workers=2, out=os.path.join(tmp, "dask"))
        seconds = time.perf_counter() - t
        local = stored.frame()
        out["dask"] = {"seconds": seconds, "links": len(remote), "same": bool(remote.frame().equals(local))}
        del local

    # every pair (complete=True), streamed to Parquet
    if n <= args["complete_max"]:
        try:
            t = time.perf_counter()
            stored = align_all(regs, engine=args["engine"], workers=args["workers"], progress=args["progress"],
                               complete=True, out=os.path.join(tmp, "links-complete"))
            c = {"seconds": time.perf_counter() - t, "links": len(stored),
                 "candidates": stored.attrs["blocking"]["candidate_pairs"],
                 "parquet_mb": sum(f.stat().st_size for f in stored.parts()) / 2**20,
                 "peak_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
            if args["sample"]:
                among = stored.frame(docs=[regs[i].doc_id for i in pick])
                r = recall_against_exhaustive(regs, among, sample=args["sample"], seed=args["seed"])
                c |= {"recall": r["recall"], "kept": r["kept"], "exhaustive": r["exhaustive"]}
            if exhaustive is not None:
                got = stored.frame(min_score=LINK, columns=key)
                m = exhaustive[key].drop_duplicates().merge(got.drop_duplicates(), how="left", on=key, indicator=True)
                c["vs_all"] = (int((m["_merge"] == "both").sum()), len(m))
            out["complete"] = c
        finally:
            shutil.rmtree(os.path.join(tmp, "links-complete"), ignore_errors=True)
    shutil.rmtree(tmp, ignore_errors=True)

    out["peak_machine_mb"] = watch.stop()
    out["peak_self_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["peak_children_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return out


def _child(n: int, args: dict, conn) -> None:
    try:
        conn.send(run_one(n, args))
    except BaseException as e:  # report anything, including MemoryError
        import traceback

        conn.send({"n": n, "error": f"{type(e).__name__}: {e}\n{traceback.format_exc()}"})
    finally:
        conn.close()


def run_isolated(n: int, args: dict) -> dict:
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    p = ctx.Process(target=_child, args=(n, args, child))
    p.start()
    child.close()
    try:
        res = parent.recv()
    except EOFError:
        res = {"n": n, "error": "the run died without a result"}
    p.join()
    if p.exitcode:
        res.setdefault("error", f"exit code {p.exitcode} (-9: killed, e.g. out of memory)")
    return res


def slope(xs: list[float], ys: list[float]) -> float:
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    den = sum((a - mx) ** 2 for a in lx)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / den if den else float("nan")


def report(r: dict) -> None:
    n = r["n"]
    print(f"\nN = {n:,} regulations")
    print("-" * 40)
    if "error" in r:
        print(f"FAILED: {r['error']}")
        return
    b = r["blocking"]
    print(f"articles            {r['articles']:,}  (distinct texts {b['distinct_texts']:,}; "
          f"parse mismatches {r['parse_mismatches']})")
    print(f"generate            {r['generate_s']:.1f} s  (benchmark input, not counted)")
    print(f"parse               {r['parse_s']:.1f} s" + ("  (streamed: a partition per worker at a time, "
                                                         "between the partitions align_all prepares)" if r.get("streamed") else ""))
    print(f"align_all           {r['align_s']:.1f} s  (steps: "
          + ", ".join(f"{k} {v:.1f}" for k, v in b["seconds"].items()) + ")")
    print(f"end to end          {r['parse_s'] + r['align_s']:.1f} s  (parse + align_all)")
    print(f"candidates          {b['seconds'].get('blocking', float('nan')):.1f} s  (blocking: near texts, copies, related documents)")
    print(f"candidate pairs     {b['candidate_pairs']:,}  (near-text pairs {b['near_text_pairs']:,}, "
          f"cut by k {b['capped_by_k']:,}; same-text pairs {b['same_text_pairs']:,}, "
          f"left to fan-out {b['same_text_pairs_left_to_fanout']:,}; related document pairs "
          f"{b['related_document_pairs']:,})")
    print(f"document pairs      {b['document_pairs']:,}")
    print(f"links               {r['links']:,}  (streamed to {r['parquet_mb']:,.1f} MB of Parquet)")
    if "peak_align_machine_mb" in r:
        print(f"peak memory         {r['peak_align_machine_mb']:,.0f} MB in use on the machine during parse + align_all "
              "(all processes)")
    print(f"peak memory         {r['peak_machine_mb']:,.0f} MB in use on the machine (whole run with the measurements, all processes); "
          f"{r['peak_self_mb']:,.0f} MB (this run's process), "
          f"{r['peak_children_mb']:,.0f} MB (largest worker); after parsing {r['peak_parsed_mb']:,.0f} MB; "
          "during align_all " + ", ".join(f"{k} {v:,.0f}" for k, v in b.get("peak_mb", {}).items()))
    print(f"recall vs truth     {r['truth_recall']:.4f} of {r['truth_pairs']:,} (derived article, source) pairs; "
          f"{r['truth_article_recall']:.4f} of derived articles linked to a source")
    print("  by operation      " + ", ".join(f"{k} {m:.3f} ({s:,})" for k, (m, s) in sorted(r["truth_by_op"].items())))
    if "sample" in r:
        s = r["sample"]
        print(f"vs exhaustive       sample of {s['documents']} documents (every article pair among them, corpus "
              f"vocabulary): {s['kept']:,}/{s['exhaustive']:,} links = {s['recall']:.4f}; distinct-text pairs "
              f"{s['text_recall']:.4f} of {s['text_pairs']:,} ({s['seconds']:.1f} s)")
        print(f"                    exhaustive scoring would find ≈ {s['extrapolated']:,.0f} links in the whole corpus "
              f"(sample × N²/s²); the default run lists {r['links']:,} — the rest are pairs of copies and "
              "near-copies it links through their common neighbours")
    d = r.get("dask")
    if d:
        print(f"dask engine         {d['seconds']:.1f} s on a two-worker LocalCluster, {d['links']:,} links, "
              f"{'the same links as the local engine' if d['same'] else 'DIFFERENT links from the local engine'}")
    c = r.get("complete")
    if c:
        line = (f"complete=True      {c['seconds']:.1f} s, {c['candidates']:,} candidates, {c['links']:,} links "
                f"streamed to Parquet ({c['parquet_mb']:,.1f} MB), peak {c['peak_self_mb']:,.0f} MB (this process)")
        if "recall" in c:
            line += f"; vs exhaustive on the sample {c['kept']:,}/{c['exhaustive']:,} = {c['recall']:.4f}"
        if "vs_all" in c:
            line += f"; vs exhaustive on the whole corpus {c['vs_all'][0]:,}/{c['vs_all'][1]:,} = {c['vs_all'][0] / max(c['vs_all'][1], 1):.4f}"
        print(line)
    v = r.get("vs_exhaustive_default")
    if v:
        print(f"vs exhaustive, all  default {v['kept']:,}/{v['exhaustive']:,} = {v['kept'] / max(v['exhaustive'], 1):.4f}"
              f" (+{v['extra']} extra); exhaustive cdist baseline (alignment.pairwise_links) {r['exhaustive_s']:.1f} s"
              f" = {r['exhaustive_s'] / max(v['seconds'], 1e-9):.1f}× the engine's {v['seconds']:.1f} s")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100,1000", help="comma-separated N (default 100,1000)")
    ap.add_argument("--engine", default="local", choices=["local", "dask"])
    ap.add_argument("--workers", type=int, default=2, help="processes for parsing and the local engine")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--sample", type=int, default=30, help="documents in the exhaustive sample (0: none)")
    ap.add_argument("--exhaustive-max", type=int, default=100, help="largest N for the whole-corpus baseline")
    ap.add_argument("--stream-min", type=int, default=20_000,
                    help="smallest N parsed while align_all prepares it (no sample, baseline, Dask or complete run)")
    ap.add_argument("--dask-max", type=int, default=1000,
                    help="largest N for the Dask engine's run, compared with the local engine (0: none)")
    ap.add_argument("--complete-max", type=int, default=1000,
                    help="largest N for the complete=True run (its links grow with N²)")
    ap.add_argument("--data", type=Path, default=REPO / "data" / "raw", help="seed regulations")
    ap.add_argument("--progress", action="store_true", help="tqdm bars")
    a = ap.parse_args(argv)
    sizes = [int(x.replace(",", "").replace("_", "")) for x in a.sizes.split(",") if x.strip()]
    args = {"engine": a.engine, "workers": a.workers, "seed": a.seed, "sample": a.sample,
            "exhaustive_max": a.exhaustive_max, "stream_min": a.stream_min, "dask_max": a.dask_max, "complete_max": a.complete_max, "data": str(a.data), "progress": a.progress}
    print("pingan_corpus corpus-wide alignment benchmark")
    print("=============================================")
    print(machine())
    print(f"engine {a.engine}, workers {a.workers}, seed {a.seed}")
    results = []
    for n in sizes:
        r = run_isolated(n, args)
        report(r)
        results.append(r)
        sys.stdout.flush()
    ok = [r for r in results if "error" not in r]
    if len(ok) >= 2:
        print("\nGrowth (slope of log time against log N)")
        ns = [r["n"] for r in ok]
        for label, key in (("align_all", lambda r: r["align_s"]), ("parse + align_all", lambda r: r["parse_s"] + r["align_s"])):
            print(f"  {label:<18} {slope(ns, [key(r) for r in ok]):.2f} over N = {', '.join(map(str, ns))}")
            big = [r for r in ok if r["n"] >= 1000]
            if 2 <= len(big) < len(ok):
                print(f"  {label:<18} {slope([r['n'] for r in big], [key(r) for r in big]):.2f} over N ≥ 1,000")
    return 0 if len(ok) == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
