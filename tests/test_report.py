"""The report: files written, text escaped, and the page checked in a real headless browser."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import pingan_corpus as pc
from pingan_corpus.present.report import build_report

pytestmark = pytest.mark.slow  # whole module: processes, notebooks or the browser

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def _corpus() -> pc.Corpus:
    """The bundled corpus and a hostile document."""
    corpus = pc.load_corpus(RAW)
    evil = pc.parse_text("某市<script>alert('x')</script>平安建设条例\n第一条 为了<script>alert('x')</script>加强平安建设，"
                         "=cmd|' /C calc'!A0 制定本条例。\n第二条 本条例自公布之日起施行。")
    evil.doc_id = "hostile_<b>doc</b>"
    return pc.Corpus([*corpus.docs, evil])


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    build_report(_corpus(), out, max_pairs=4, progress=False)
    return out


def test_report_folder(report):
    page = (report / "index.html").read_text(encoding="utf-8")
    for anchor in ("overview", "similarity", "coverage", "pairs", "duties", "queries"):
        assert f"id='{anchor}'" in page
    docx = sorted(report.glob("diffs/*.docx"))
    assert len(docx) == 4 and len(list(report.glob("diffs/*.xlsx"))) == 4
    for d in docx:
        assert f"href='diffs/{d.name}'" in page
    assert (report / "data" / "duties.csv").stat().st_size > 1000
    # self-contained: no remote asset, no script at all
    assert not re.search(r"(src|href)=['\"]https?://", page)
    assert "<script" not in page.replace("&lt;script", "")
    assert "某市&lt;script&gt;alert(" in page
    assert "hostile_&lt;b&gt;doc&lt;/b&gt;" in page


def test_report_is_deterministic(report, tmp_path):
    # built again in the same process, its caches warm from the first build: the same page
    # (other processes and hash seeds: test_report_hostile.py)
    again = build_report(_corpus(), tmp_path / "again", max_pairs=4, progress=False).read_bytes()
    assert again == (report / "index.html").read_bytes()


def _chromium(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr",
                           "--v=0", *args], capture_output=True, text=True, timeout=timeout)


@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"), reason="needs chromium (.ci/run installs it)")
def test_page_in_a_headless_browser(report, tmp_path):
    index = report / "index.html"
    shot = tmp_path / "shot.png"
    r = _chromium(f"--screenshot={shot}", "--window-size=1280,900", index.as_uri())
    console = [lk for lk in r.stderr.splitlines() if ":CONSOLE" in lk]
    assert not console, console
    assert shot.stat().st_size > 20000
    # the embedded CJK font loads and covers the Chinese on the page (no fallback boxes)
    probe = tmp_path / "probe.html"
    page = index.read_text(encoding="utf-8")
    probe.write_text(page.replace("</body>", "<script>document.fonts.ready.then(()=>{document.body.setAttribute("
                                  "'data-cjk', document.fonts.check('16px PinganCJK', '湖北省平安建设条例'))})"
                                  "</script></body>"), encoding="utf-8")
    r = _chromium("--virtual-time-budget=10000", "--dump-dom", probe.as_uri())
    assert 'data-cjk="true"' in r.stdout
    # the hostile regulation's text stayed text: no element came out of it
    assert "<script>alert" not in r.stdout


def test_compared_pairs_show_the_corpus_links(report):
    """Each 条文对照表 of the report shows the corpus links of data/links.csv — the same article pairs,
    relations and scores (read the other way when the table puts the pair the other way round) —
    not a second alignment of the pair."""
    import openpyxl
    import pandas as pd

    from pingan_corpus.numerals import parse_numeral
    from pingan_corpus.present.tables import safe_filename

    links = pd.read_csv(report / "data" / "links.csv", dtype={"doc_a": str, "doc_b": str})
    ids = sorted(set(links.doc_a) | set(links.doc_b))
    stems = {safe_filename(f"{a}__{b}"): (a, b) for a in ids for b in ids if a != b}
    swap = {"split": "merged", "merged": "split"}
    checked = 0
    for f in sorted(report.glob("diffs/*.xlsx")):
        a, b = stems[f.stem]
        want = {(r.article_a, r.article_b): (r.relation, round(r.score)) for r in
                links[(links.doc_a == a) & (links.doc_b == b)].itertuples()}
        want |= {(r.article_b, r.article_a): (swap.get(r.relation, r.relation), round(r.score)) for r in
                 links[(links.doc_a == b) & (links.doc_b == a)].itertuples()}
        got = {}
        for row in openpyxl.load_workbook(f).worksheets[0].iter_rows(min_row=2, values_only=True):
            la, lb, _note, relation, score = row[:5]
            if la and lb:
                number = lambda label: parse_numeral(label.split("条")[0].removeprefix("第"))
                got[(number(la), number(lb))] = (relation, int(score))
        assert got and got == want, f.name
        checked += 1
    assert checked == 4
