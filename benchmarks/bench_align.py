#!/usr/bin/env python
"""Alignment benchmark: every pair of documents of the bundled corpus, against difflib.

    python benchmarks/bench_align.py            # full difflib baseline (every article pair)
    python benchmarks/bench_align.py --quick    # difflib baseline on a sample of document pairs

What it measures
  0. The eight seed regulations (the documents of data/raw numbered 第X条 with 20 articles or
     more), all 28 pairs: ``pairwise_links`` and a loop of ``pc.align`` over the pairs, each from
     cold caches (every regulation prepared and every word cut inside the timing; best of 3),
     against a difflib best-match loop (for each article of a, ``SequenceMatcher.ratio`` with
     every article of b, keep the best) over the same pairs, in the same run.
  1. ``pairwise_links`` on data/raw: every document pair once, the whole pipeline (preparation,
     vectorised scoring with rapidfuzz ``cdist(workers=-1)`` and sparse TF-IDF products, global
     assignment, split/merge tests). Best of 3 runs; peak RSS of the process.
  2. The scoring step alone: ``score_pairs`` for every document pair (article × article
     matrices), the part that grows with the square of the article count.
  3. The naive baseline: ``difflib.SequenceMatcher(None, a, b).ratio()`` in a Python double
     loop over every article pair of every document pair (the same pairs as 2.), then a
     greedy best match per row. The ratio of 3. to 2. is printed.
"""
from __future__ import annotations

import argparse
import difflib
import itertools
import os
import platform
import resource
import time
from pathlib import Path

import pingan_corpus as pc
from pingan_corpus.align import prepare as P
from pingan_corpus.align.caches import clear_process_caches
from pingan_corpus.align.many import pairwise_links
from pingan_corpus.align.prepare import Vocabulary, prepare
from pingan_corpus.align.scores import score_pairs
from pingan_corpus.duties import changes as CH

ROOT = Path(__file__).resolve().parents[1]


def best_of(n, fn):
    best, out = float("inf"), None
    for _ in range(n):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="difflib on 10 document pairs, extrapolated")
    args = ap.parse_args()

    corpus = pc.load_corpus(ROOT / "data" / "raw")
    docs = corpus.docs
    pairs = list(itertools.combinations(range(len(docs)), 2))
    n_articles = sum(len(d.articles) for d in docs)
    article_pairs = sum(len(docs[i].articles) * len(docs[j].articles) for i, j in pairs)
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"corpus: {len(docs)} documents, {n_articles} articles, {len(pairs)} document pairs, "
          f"{article_pairs:,} article pairs")

    pairwise_links(docs[:2])  # warm up jieba's dictionary outside the timings

    # 0. the eight seed regulations, from cold caches
    eight = [d for d in docs if d.numbering == "article" and len(d.articles) >= 20]
    eight_pairs = list(itertools.combinations(eight, 2))

    def cold(fn):
        def run():
            P._PREPARED.clear()
            clear_process_caches()  # words, unit vectors, unit scores
            CH._DUTIES.clear()  # pc.align reads each regulation's duties (legal-force columns)
            return fn()
        return run

    t_pl, _ = best_of(3, cold(lambda: pairwise_links(eight)))
    t_loop, _ = best_of(3, cold(lambda: [pc.align(a, b) for a, b in eight_pairs]))
    t = time.perf_counter()
    for a, b in eight_pairs:
        for x in a.articles:
            max(difflib.SequenceMatcher(None, x.text, y.text).ratio() for y in b.articles)
    t_best = time.perf_counter() - t
    print(f"the {len(eight)} seed regulations, {len(eight_pairs)} pairs: pairwise_links {t_pl:.2f} s "
          f"({t_best / t_pl:.0f}× faster), pc.align loop {t_loop:.2f} s ({t_best / t_loop:.0f}×), "
          f"difflib best-match loop {t_best:.1f} s")

    P._PREPARED.clear()
    clear_process_caches()
    t_all, links = best_of(3, lambda: pairwise_links(docs))
    print(f"pairwise_links (whole pipeline): {t_all:.2f} s, {len(links)} links, "
          f"{article_pairs / t_all:,.0f} article pairs/s")

    prepared = [prepare(d) for d in docs]
    vocab = Vocabulary(prepared)

    def score_all():
        for i, j in pairs:
            score_pairs(prepared[i], prepared[j], vocab)

    t_score, _ = best_of(3, score_all)
    print(f"scoring only (cdist + sparse products): {t_score:.2f} s, {article_pairs / t_score:,.0f} article pairs/s")

    sample = pairs if not args.quick else pairs[:: max(1, len(pairs) // 10)]
    texts = [[a.text for a in d.articles] for d in docs]
    t = time.perf_counter()
    done = 0
    for i, j in sample:
        for x in texts[i]:
            best = 0.0
            for y in texts[j]:
                best = max(best, difflib.SequenceMatcher(None, x, y).ratio())
                done += 1
    t_naive = (time.perf_counter() - t) * article_pairs / max(done, 1)
    how = "measured" if not args.quick else f"extrapolated from {done:,} pairs"
    print(f"naive difflib double loop: {t_naive:.1f} s ({how}), {article_pairs / t_naive:,.0f} article pairs/s")
    print(f"speed-up of vectorised scoring over difflib: {t_naive / t_score:.0f}×; "
          f"of the whole pipeline: {t_naive / t_all:.0f}×")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
