#!/usr/bin/env python
"""Duty-extraction benchmark: articles per second on the bundled corpus.

    python benchmarks/bench_duties.py            # best of 5 runs
    python benchmarks/bench_duties.py --runs 20

The corpus is parsed once (``pc.load_corpus('data/raw')``, not timed); then
``pc.extract_duties`` runs over every article of it. The first run also loads the actor
lexicon (timed separately as "cold"); the figure reported is the best warm run. The duty
graph and one ``mandates`` query are timed too, since they re-run the extraction.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    try:
        import pingan_corpus as pc
    except ImportError as err:
        sys.exit(f"bench_duties: cannot import pingan_corpus ({err}); activate the venv first")
    corpus = pc.load_corpus(REPO / "data" / "raw")
    n_articles = sum(len(r.articles) for r in corpus)

    t0 = time.perf_counter()
    df = pc.extract_duties(corpus)
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(max(1, args.runs)):
        t0 = time.perf_counter()
        df = pc.extract_duties(corpus)
        warm.append(time.perf_counter() - t0)
    best = min(warm)

    t0 = time.perf_counter()
    G = pc.duty_graph(corpus)
    t_graph = time.perf_counter() - t0
    t0 = time.perf_counter()
    hits = pc.mandates(corpus, "寄递实名")
    t_query = time.perf_counter() - t0

    print(f"corpus: {len(corpus)} documents, {n_articles} articles")
    print(f"duties: {len(df)} rows ({(df['role'] == 'bearer').sum()} bearer, "
          f"{(df['role'] == 'collaborator').sum()} collaborator)")
    print(f"extract_duties cold (lexicon load included): {cold:.3f} s")
    print(f"extract_duties warm, best of {len(warm)}: {best:.3f} s  ->  {n_articles / best:,.0f} articles/s")
    print(f"duty_graph: {t_graph:.3f} s ({G.number_of_nodes()} nodes, {G.number_of_edges()} edges)")
    print(f"mandates('寄递实名'): {t_query:.3f} s ({len(hits)} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
