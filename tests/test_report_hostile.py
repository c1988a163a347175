"""The report against careless input: hash seeds, many documents, its own output folder.

* the folder's bytes do not follow ``PYTHONHASHSEED`` (families, query scores, synonyms);
* the report never scores every pair of documents (it uses the blocked ``align_all``) and its
  figures and wide tables stay readable when there are more documents than ``MAX_SHOWN``;
* it marks its folder as output (``OUTPUT_MARKER``), so that it is not read back as regulations.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import subprocess
import sys
import types
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import pingan_corpus as pc
from pingan_corpus.corpus import OUTPUT_MARKER
from pingan_corpus.present import report as R

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"


@pytest.fixture(scope="module")
def raw():
    return pc.load_corpus(RAW)


def _run(code_or_args: list[str], seed: int, cwd: Path = ROOT, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"} | {"PYTHONHASHSEED": str(seed)}
    return subprocess.run([sys.executable, *code_or_args], capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=timeout)


def _seeds(args: list[str], seeds=(0, 1, 2)) -> list[subprocess.CompletedProcess]:
    with ThreadPoolExecutor(len(seeds)) as ex:  # the processes run side by side
        return list(ex.map(lambda s: _run(args, s), seeds))


def _folder(path: Path) -> dict[str, bytes]:
    return {f.relative_to(path).as_posix(): f.read_bytes() for f in sorted(path.rglob("*")) if f.is_file()}


# -- order: the same bytes whatever the hash seed ------------------------------------------------
_DIGEST = """
import hashlib, pingan_corpus as pc
from pingan_corpus.align.many import provision_families, similarity
from pingan_corpus.align.scale import align_all
from pingan_corpus.duties.extract import extract_duties
from pingan_corpus.duties.query import concepts, mandates, search, synonyms
from pingan_corpus.present.report import DEFAULT_QUERIES
c = pc.load_corpus({raw!r})
links = align_all(c.docs, progress=False)
h = {{}}
h["families"] = provision_families(c.docs, links).to_csv()
h["similarity"] = similarity(c.docs, links).to_csv()
every = extract_duties(c.docs, unattributed=True)
for q in DEFAULT_QUERIES + ("人民调解员", "消防安全宣传教育", "综治中心"):
    h["mandates " + q] = mandates(c.docs, q, modality=None, duties=every).to_csv()
    h["search " + q] = search(c.docs, q).to_csv()
    h["related " + q] = repr([x.related_in("\\n".join(a.text for r in c.docs for a in r.articles))
                              for x in concepts(q, c.docs)])
h["synonyms"] = repr([(t, sorted(v)) for t, v in synonyms().items()])
for k, v in h.items():
    print(k, hashlib.sha1(v.encode()).hexdigest())
"""


def test_families_and_query_scores_do_not_follow_the_hash_seed():
    runs = _seeds(["-c", _DIGEST.format(raw=str(RAW))])
    for r in runs:
        assert r.returncode == 0, r.stderr[-2000:]
    first = runs[0].stdout.splitlines()
    assert len(first) > 20
    for r in runs[1:]:
        other = r.stdout.splitlines()
        assert other == first, [a for a, b in zip(first, other) if a != b]


@pytest.mark.slow
def test_report_bytes_do_not_follow_the_hash_seed(tmp_path):
    """Two runs of ``pingan report data/raw`` under PYTHONHASHSEED 0 and 1 (one each on the two
    cores CI has): the same files, byte for byte (the Office files carry a fixed time), and nothing
    on stderr when piped."""
    seeds = (0, 1)
    outs = [tmp_path / f"seed{s}" for s in seeds]
    with ThreadPoolExecutor(len(seeds)) as ex:
        runs = list(ex.map(lambda so: _run(["-m", "pingan_corpus", "report", str(RAW), "-o", str(so[1])], so[0]),
                           zip(seeds, outs)))
    for r in runs:
        assert r.returncode == 0, r.stderr[-2000:]
        assert r.stderr == ""  # quiet when piped: no progress bar, no library chatter
    folders = [_folder(o) for o in outs]
    assert "index.html" in folders[0] and OUTPUT_MARKER in folders[0]
    assert any(k.startswith("diffs/") and k.endswith(".docx") for k in folders[0])
    for other in folders[1:]:
        assert sorted(other) == sorted(folders[0])
        differ = [k for k in folders[0] if folders[0][k] != other[k]]
        assert not differ, differ


def test_families_do_not_follow_the_order_of_the_links(raw):
    from pingan_corpus.align.many import provision_families
    from pingan_corpus.align.scale import align_all

    links = align_all(raw.docs, progress=False)
    fam = provision_families(raw.docs, links)
    shuffled = links.sample(frac=1.0, random_state=7).reset_index(drop=True)
    pd.testing.assert_frame_equal(provision_families(raw.docs, shuffled), fam)
    # at most one article of a document in a family
    assert not fam.groupby("family")["doc_id"].agg(lambda s: s.duplicated().any()).any()


def test_select_pairs_is_the_pairwise_choice():
    """The vectorised choice is the choice of the loop over every pair it replaced (ties too)."""
    import itertools

    rng = np.random.default_rng(3)
    for n in (1, 2, 5, 17):
        regs = [types.SimpleNamespace(doc_id=f"d{k:02d}", status="draft" if k % 4 == 0 else None,
                                      adopted=None, effective=None) for k in range(n)]
        sim = pd.DataFrame(np.round(rng.random((n, n)), 1))  # rounded: many ties
        want = []
        for x, y in itertools.combinations(range(n), 2):
            s = max(sim.iat[x, y], sim.iat[y, x])
            if s >= 0.3:
                want.append((s, x, y))
        want.sort(key=lambda t: (-t[0], t[1], t[2]))
        got = R.select_pairs(regs, sim, 7, 0.3)
        assert [(s, {a.doc_id, b.doc_id}) for a, b, s in got] == \
               [(s, {regs[x].doc_id, regs[y].doc_id}) for s, x, y in want[:7]]


def test_one_reading_of_the_duties_gives_the_attributed_duties(raw):
    """The report reads the duties once (unattributed=True) and derives the attributed ones."""
    from pingan_corpus.duties.extract import extract_duties

    every = extract_duties(raw.docs, unattributed=True)
    assert every["actor"].isna().any()  # the bundled corpus has duties without a named bearer …
    pd.testing.assert_frame_equal(R._named_duties(every), extract_duties(raw.docs))  # … and they go


# -- many documents: the blocked path, bounded figures, the marker -------------------------------
N_MANY = R.MAX_SHOWN + 6


@pytest.fixture(scope="module")
def many_report(tmp_path_factory):
    """A report of more documents than MAX_SHOWN, every per-pair path of the old report disabled:
    the forked duty reading (workers=2) and the one in this process (workers=1)."""
    from pingan_corpus.align import many
    from pingan_corpus.synth import load_seeds, synthesize

    seeds = [dataclasses.replace(r, articles=r.articles[:8]) for r in load_seeds(RAW, 8)]
    regs, _ = synthesize(N_MANY, seed=1, seeds=seeds, min_articles=8)

    def every_pair(*args, **kwargs):
        raise AssertionError("the report scored every pair of documents")

    mp = pytest.MonkeyPatch()
    mp.setattr(many, "pairwise_links", every_pair)
    mp.setattr(pc.Corpus, "links", every_pair)
    try:
        outs = {}
        for workers in (2, 1):
            out = tmp_path_factory.mktemp(f"many{workers}") / "report"
            R.build_report(pc.Corpus(regs), out, max_pairs=3, progress=False, workers=workers)
            outs[workers] = out
    finally:
        mp.undo()
    return outs


def test_report_of_many_documents_is_bounded(many_report):
    out = many_report[2]
    page = (out / "index.html").read_text(encoding="utf-8")
    for anchor in ("overview", "similarity", "coverage", "pairs", "duties", "queries"):
        assert f"id='{anchor}'" in page
    assert f"{R.MAX_SHOWN} of {N_MANY} documents shown" in page
    assert len(list(out.glob("diffs/*.docx"))) == 3
    links = pd.read_csv(out / "data" / "links.csv")
    assert len(links) and set(links["doc_a"]) | set(links["doc_b"])
    fam = pd.read_csv(out / "data" / "families.csv")
    assert {"family", "label", "doc_id", "article_no"} <= set(fam.columns) and "text" not in fam.columns
    # the coverage table has at most MAX_SHOWN document columns
    table = page[page.index("<summary>all families</summary>"):]
    header = table[:table.index("</tr>")]
    assert R.MAX_SHOWN < len(set(fam["doc_id"]))  # (the cut was needed)
    assert len(re.findall(r"<th[ >]", header)) <= R.MAX_SHOWN + 1  # the columns and the index


def test_forked_and_local_duty_reading_give_the_same_folder(many_report):
    a, b = _folder(many_report[2]), _folder(many_report[1])
    assert sorted(a) == sorted(b)
    assert [k for k in a if a[k] != b[k]] == []


def test_report_marks_its_folder_as_output(many_report):
    marker = many_report[2] / OUTPUT_MARKER
    assert marker.is_file()
    text = marker.read_text(encoding="utf-8")
    assert "pingan_corpus" in text and "output, not input" in text
    # written again (same bytes) into a folder that already holds a report
    assert R.write_marker(many_report[2]).read_text(encoding="utf-8") == text


def test_marker_is_a_hidden_file_next_to_the_page(tmp_path):
    path = R.write_marker(tmp_path)
    assert path.name == OUTPUT_MARKER and path.name.startswith(".")
    assert hashlib.sha1(path.read_bytes()).hexdigest() == hashlib.sha1(R.MARKER_TEXT.encode()).hexdigest()
