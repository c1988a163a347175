#!/usr/bin/env python
"""Writing a ClauseDiff (条文对照表) to Word and Excel: time by number of rows, and its growth.

    python benchmarks/bench_outputs.py                       # 500, 2,000 and 4,000 rows
    python benchmarks/bench_outputs.py --sizes 500,2000,4000,8000
    python benchmarks/bench_outputs.py --check               # exit 1 when a writer grows faster than
                                                             # linear-ish (exponent > 1.3)

The ClauseDiff is synthetic (:func:`synthetic_diff`): N rows of modified articles with a
word-level diff each, one split article every 50 rows (so vertical merges are written too).
The growth exponent is the slope of log(time) against log(rows) between the smallest and the
largest size: 1 is linear, 2 quadratic.

Measured on the 2-core machine (this synthetic table, ~20 runs a row):

    to_docx before (python-docx's table.rows[i] / table.cell / merge, O(rows) each):
        500 rows 3.7 s, 1,000 rows 13.6 s, 2,000 rows 72.9 s — exponent 2.14
        (the issue measured 33 s at 2,000 and 140 s at 4,000 rows on its table)
    to_docx after (cells made once per w:tc, vMerge set directly):
        500 rows 3.5 s, 2,000 rows 13.8 s, 4,000 rows 27.2 s — exponent 0.98 (≈ 7 ms a row)
    to_excel (unchanged, linear): 500 rows 1.7 s, 2,000 rows 4.5 s, 4,000 rows 10.5 s — exponent 0.88
"""
from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

import pingan_corpus as pc
from pingan_corpus.align.pairs import FRAME_COLUMNS, ClauseDiff, word_diff

_TEXT_A = "第一条 为了规范平安建设工作，根据有关法律、行政法规，结合本省实际，制定本条例。"
_TEXT_B = "第一条 为了推进平安建设工作，根据有关法律、法规，结合本市实际，制定本条例。"


def synthetic_diff(n: int) -> ClauseDiff:
    """A ClauseDiff of ``n`` rows: modified articles, every 50th split into two rows."""
    a = pc.parse_text(_TEXT_A, doc_id="bench_a")
    b = pc.parse_text(_TEXT_B, doc_id="bench_b")
    records = []
    a_no = b_no = 0
    for i in range(n):
        split_second = i % 50 == 1
        if not split_second:
            a_no += 1
        b_no += 1
        a_text = f"第{a_no}条 为了规范平安建设工作（第{i}行），根据有关法律、行政法规，结合本省实际，制定本条例。"
        b_text = f"第{b_no}条 为了推进平安建设工作（第{i}行），根据有关法律、法规，结合本市实际，制定本条例。"
        ops = word_diff(a_text, b_text)
        records.append({
            "a_article": a_no, "a_label": f"第{a_no}条", "a_heading": None, "a_text": a_text,
            "b_article": b_no, "b_label": f"第{b_no}条", "b_heading": "标题" if i % 7 == 0 else None,
            "b_text": b_text, "score": 80.0, "relation": "split" if i % 50 in (0, 1) else "modified",
            "method": "tfidf", "moved": False, "note": "修改", "ops": ops,
        })
    frame = pd.DataFrame(records, columns=FRAME_COLUMNS)
    for c in ("a_article", "b_article"):
        frame[c] = frame[c].astype("Int64")
    frame["score"] = frame["score"].astype("Float64")
    return ClauseDiff(a=a, b=b, frame=frame)


def _time(write, path: Path, repeat: int = 1) -> float:
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        write(path)
        best = min(best, time.perf_counter() - t0)
    return best


def exponent(sizes: list[int], times: list[float]) -> float:
    """Slope of log(time) against log(size) between the first and the last size."""
    return math.log(times[-1] / times[0]) / math.log(sizes[-1] / sizes[0])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="500,2000,4000")
    ap.add_argument("--check", action="store_true", help="fail when an exponent exceeds --max-exponent")
    ap.add_argument("--max-exponent", type=float, default=1.3)
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict[str, list[float]] = {"to_docx": [], "to_excel": []}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            cd = synthetic_diff(n)
            for name, suffix in (("to_docx", ".docx"), ("to_excel", ".xlsx")):
                t = _time(getattr(cd, name), Path(tmp) / f"{n}{suffix}")
                results[name].append(t)
                print(f"{name:9s} {n:6d} rows  {t:7.2f} s  ({1000 * t / n:.2f} ms/row)", flush=True)
    failed = False
    for name, times in results.items():
        k = exponent(sizes, times) if len(sizes) > 1 else float("nan")
        print(f"{name:9s} growth exponent {k:.2f} ({sizes[0]} → {sizes[-1]} rows)")
        failed |= args.check and k > args.max_exponent
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
