"""The synthetic corpus generator: determinism, truth, derivation operations, noise, parsing."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from rapidfuzz import fuzz

import pingan_corpus as pc
from pingan_corpus import synth
from pingan_corpus.align.prepare import prepare
from pingan_corpus.parse.gazetteer import divisions

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
OPERATIONS = {"copied", "reworded", "moved", "merged", "split", "added"}


@pytest.fixture(scope="module")
def seeds():
    return synth.load_seeds(RAW)


@pytest.fixture(scope="module")
def texts60(seeds):
    return synth.synthesize(60, seed=7, seeds=seeds, parse=False)


@pytest.fixture(scope="module")
def parsed30(seeds):
    return synth.synthesize(30, seed=11, seeds=seeds)


def test_deterministic_with_a_seed(seeds):
    a = synth.synthesize(15, seed=3, seeds=seeds, parse=False)
    b = synth.synthesize(15, seed=3, seeds=seeds, parse=False)
    c = synth.synthesize(15, seed=4, seeds=seeds, parse=False)
    assert a[0] == b[0]
    pd.testing.assert_frame_equal(a[1], b[1])
    assert a[0] != c[0]


def test_seeds_come_first_and_models_are_numbered_regulations(seeds, texts60):
    texts, truth = texts60
    assert all(r.numbering == "article" and len(r.articles) >= 8 for r in seeds)
    assert [d for d, _ in texts] == [f"syn-{k:05d}" for k in range(60)]
    derived = set(truth["doc_id"])
    assert not derived & {f"syn-{k:05d}" for k in range(len(seeds))}
    assert derived == {f"syn-{k:05d}" for k in range(len(seeds), 60)}


def test_truth_is_consistent(texts60):
    _, truth = texts60
    assert list(truth.columns) == synth.TRUTH_COLUMNS
    order = {f"syn-{k:05d}": k for k in range(60)}
    # every article 1…K of a derived document has a source, in an earlier document
    for doc, grp in truth.groupby("doc_id"):
        nums = sorted(set(grp["article_no"]))
        assert nums == list(range(1, len(nums) + 1))
        assert (grp["source_doc"].map(order) < order[doc]).all()
        assert (grp["parent_doc"].map(order) < order[doc]).all()
    ops = {o for op in truth["operation"] for o in op.split("+")}
    assert ops == OPERATIONS
    # merged articles have two sources, split pieces share one
    merged = truth[truth["operation"].str.startswith("merged")]
    assert (merged.groupby(["doc_id", "article_no"]).size() == 2).all()
    split = truth[truth["operation"].str.startswith("split")]
    assert (split.groupby(["doc_id", "source_doc", "source_article"]).size() == 2).all()
    # added articles come from another model's family (a seed), not from the parent
    added = truth[truth["operation"] == "added"]
    assert len(added) and (added["source_doc"] != added["parent_doc"]).all()


def test_real_jurisdictions_and_renaming(texts60):
    texts, truth = texts60
    names = {d.name for d in divisions()}
    titles = [t.split("\n", 1)[0] for _, t in texts]
    opencc_t2s = pc.normalize_text
    for title in titles[9:]:
        simplified = opencc_t2s(title)
        assert any(simplified.startswith(n) for n in names), title
    # the parent's own name does not survive in a child that renamed it
    by_id = dict(texts)
    parents = truth.drop_duplicates("doc_id").set_index("doc_id")["parent_doc"]
    checked = 0
    for child, parent in parents.items():
        ptitle = opencc_t2s(by_id[parent].split("\n", 1)[0])
        pname = next((n for n in names if ptitle.startswith(n)), None)
        ctitle = opencc_t2s(by_id[child].split("\n", 1)[0])
        if pname and not ctitle.startswith(pname):
            assert pname not in opencc_t2s(by_id[child])
            checked += 1
    assert checked >= 20


def test_source_noise_is_present(texts60):
    texts, _ = texts60
    joined = [t for _, t in texts]
    traditional = [t for t in joined if "條" in t or "設" in t]
    pinyin = [t for t in joined if re.search(r"[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]{1,7}\)", t)]
    no_commas = [t for t in joined if t.count("，") < t.count("。") / 2]
    assert len(traditional) >= 5 and len(pinyin) >= 2 and len(no_commas) >= 2


def test_comma_stripping_and_items_on_lines(seeds):
    import random

    doc = synth._seed_doc(seeds[0], "x")
    plain = synth._render(doc, random.Random(0), synth.Rates(strip_commas=0, items_on_lines=0, traditional=0), {})
    stripped = synth._render(doc, random.Random(0), synth.Rates(strip_commas=1, items_on_lines=1, traditional=0), {})
    assert stripped.count("，") < plain.count("，") / 2
    assert stripped.count("\n（") > plain.count("\n（")


def test_parsed_end_to_end_article_for_article(parsed30):
    regs, truth = parsed30
    assert all(isinstance(r, pc.Regulation) for r in regs)
    bad = set(truth.attrs["parse_mismatches"])
    assert len(bad) <= 3  # the parser reads almost every generated document exactly
    expected = truth.groupby("doc_id")["article_no"].max()
    for r in regs:
        if r.doc_id in expected and r.doc_id not in bad:
            assert len(r.articles) == expected[r.doc_id]
            assert r.jurisdiction  # inferred from the title by the parser


def test_copied_articles_neutralise_like_their_source(parsed30):
    regs, truth = parsed30
    prepared = {r.doc_id: prepare(r) for r in regs}

    def flat(doc, no):
        p = prepared[doc]
        return p.flat[[a.number for a in p.articles].index(no)]

    copied = truth[truth["operation"] == "copied"]
    same = [flat(r.doc_id, r.article_no) == flat(r.source_doc, r.source_article) for r in copied.itertuples()]
    # names, 本市/本省 and most county-tier spellings neutralise away; a few tier spellings do not
    assert sum(same) / len(same) > 0.6
    ratio = [fuzz.ratio(flat(r.doc_id, r.article_no), flat(r.source_doc, r.source_article))
             for r in copied.itertuples()]
    assert min(ratio) > 80


def test_rewording_reorders_lists_and_swaps_synonyms():
    import random

    d = synth._Deriver(random.Random(1), synth.Rates(), [])
    text = "公安、民政、教育、司法行政等部门应当加强协作，及时排查化解矛盾纠纷。"
    outs = {d.reword(text) for _ in range(30)}
    assert len(outs) > 3
    assert any("公安、" in o and o.index("民政") > o.index("教育") for o in outs)
    assert any("强化" in o or "迅速" in o or "摸排" in o or "消除" in o for o in outs)
    assert all(o.startswith("公安、") for o in outs)  # the first item's left edge is kept


def test_seeds_argument_and_errors(seeds):
    texts, _ = synth.synthesize(12, seed=0, seeds=list(seeds), parse=False)
    assert len(texts) == 12
    with pytest.raises(ValueError):
        synth.synthesize(0, seeds=seeds)
    with pytest.raises(ValueError):
        synth.load_seeds([r for r in seeds if len(r.articles) < 3])


def test_renaming_leaves_idioms_alone():
    import random

    from pingan_corpus.parse.gazetteer import lookup

    d = synth._Deriver(random.Random(0), synth.Rates(), [])
    out = d.rename("推进平安长治建设，维护长治久安。长治市人民政府", "长治市", lookup("湘潭市"))
    assert out == "推进平安湘潭建设，维护长治久安。湘潭市人民政府"
