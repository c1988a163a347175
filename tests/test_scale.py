"""Corpus-wide alignment: blocking recall, equality with exhaustive scoring, engines, contract."""
from __future__ import annotations

import itertools
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

import pingan_corpus as pc
from pingan_corpus import synth
from pingan_corpus.align import blocking as B
from pingan_corpus.align import prepare as P
from pingan_corpus.align import relations as E
from pingan_corpus.align import scale as S
from pingan_corpus.align import scores as SC
from pingan_corpus.align import thresholds as T
from pingan_corpus.align.many import pairwise_links
from pingan_corpus.corpus import LazyCorpus

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
KEY = ["doc_a", "article_a", "doc_b", "article_b"]


@pytest.fixture(scope="module")
def corpus():
    return pc.load_corpus(RAW)


@pytest.fixture(scope="module")
def exhaustive(corpus):
    return corpus.links()


@pytest.fixture(scope="module")
def linked(corpus):
    return S.align_all(corpus)


@pytest.fixture(scope="module")
def synthetic():
    return synth.synthesize(36, seed=5, seeds=RAW)


def _strong(df):
    return df[df["score"] >= T.LINK]


def _canon(df):
    return df.sort_values(list(df.columns)).reset_index(drop=True)


# -- the contract ------------------------------------------------------------------------------
def test_frame_contract(corpus, linked):
    assert list(linked.columns) == S.LINK_COLUMNS
    order = {d: k for k, d in enumerate(corpus.doc_ids)}
    assert (linked["doc_a"].map(order) < linked["doc_b"].map(order)).all()  # once, no self-pairs
    assert not linked.duplicated().any()
    assert set(linked["relation"]) <= set(E.RELATIONS)
    assert linked["score"].between(0, 100).all()
    stats = linked.attrs["blocking"]
    assert stats["articles"] == sum(len(r.articles) for r in corpus)
    assert stats["candidate_pairs"] < stats["articles"] ** 2 / 20  # far from all pairs


def test_corpus_method(corpus, linked):
    pd.testing.assert_frame_equal(corpus.align_all(), linked)


def test_keeps_every_exhaustive_link_on_the_bundled_corpus(exhaustive, linked):
    """The issue's bar is 99% of the links exhaustive scoring finds above LINK; on the real
    regulations every one is kept, with the same score and relation."""
    e, b = _strong(exhaustive), _strong(linked)
    m = e.merge(b, on=KEY, how="left", suffixes=("", "_b"), indicator=True)
    kept = (m["_merge"] == "both").mean()
    assert kept >= 0.99
    both = m[m["_merge"] == "both"]
    assert (both["relation"] == both["relation_b"]).mean() >= 0.99
    assert ((both["score"] - both["score_b"]).abs() < 0.05).mean() >= 0.99
    # a documented superset at most: a link a weak pair outbid in the full problem may survive
    extra = b.merge(e, on=KEY, how="left", indicator=True)["_merge"].eq("left_only").sum()
    assert extra <= 0.01 * len(e)


def test_every_pair_a_candidate_gives_exactly_pairwise_links(corpus, exhaustive):
    """With blocking opened wide the restricted relation logic is alignment.link_articles."""
    wide = S.align_all(corpus, k=10**6, min_sim=0.0, fanout=None, near_fanout=None)
    # every pair sharing a telling gram; the rest share no 2- or 3-gram and score near 0
    assert wide.attrs["blocking"]["candidate_pairs"] > 0.8 * sum(
        len(a.articles) * len(b.articles) for a, b in itertools.combinations(corpus.docs, 2))
    ex = exhaustive.drop_duplicates()
    pd.testing.assert_frame_equal(_canon(wide), _canon(ex), check_dtype=False)


def _every_pair(regs):
    """align_all with every article pair of every document pair a candidate."""
    return S._align_all(list(regs), S._Local(1), S.CHUNK_SIZE, False, k=B.K, min_sim=B.MIN_SIM, fanout=B.FANOUT,
                        near_fanout=B.NEAR_FANOUT, doc_k=B.DOC_K, doc_min_sim=B.DOC_MIN_SIM, max_df=B.MAX_DF,
                        exhaustive_docs=np.arange(len(regs)))


def test_relation_logic_has_one_home_on_the_bundled_corpus(corpus, exhaustive):
    """Every pair a candidate: the sparse engine of align_all gives exactly pairwise_links."""
    pd.testing.assert_frame_equal(_canon(_every_pair(corpus.docs)), _canon(exhaustive.drop_duplicates()),
                                  check_dtype=False)


@pytest.mark.slow
def test_relation_logic_has_one_home_on_40_synthetic_regulations():
    # 40 documents: 780 document pairs, 19,441 links (60 took 50 s of CI, 100 over 100 s)
    regs, _ = synth.synthesize(40, seed=11, seeds=RAW)
    every = _every_pair(regs)
    assert len(every) > 15_000
    pd.testing.assert_frame_equal(_canon(every), _canon(pairwise_links(regs).drop_duplicates()), check_dtype=False)


@pytest.mark.slow
def test_recall_report_and_dropped_frame(corpus):
    r = S.recall_against_exhaustive(corpus, dropped=True)
    assert r["recall"] >= 0.99 and r["text_recall"] >= 0.99
    assert list(r["dropped"].columns) == S.LINK_COLUMNS + ["score_kept"]
    tight = S.recall_against_exhaustive(corpus, k=3, min_sim=0.3, dropped=True)
    assert tight["recall"] < r["recall"] and len(tight["dropped"]) == tight["exhaustive"] - tight["kept"] > 0
    # what was dropped really is an exhaustive link the tight run does not have above LINK
    lost = tight["dropped"]
    assert (lost["score"] >= T.LINK).all()
    kept = S.align_all(corpus, k=3, min_sim=0.3)
    kept = kept[kept["score"] >= T.LINK]
    assert lost[KEY].merge(kept[KEY]).empty


@pytest.mark.slow
def test_synthetic_corpus_against_exhaustive_on_a_sample(synthetic):
    """Exhaustive scoring of every article pair among a sample of documents, with the whole
    corpus's vocabulary: the complete mode keeps (almost) all of it; the default neighbour
    graph keeps fewer article pairs and says so."""
    regs, _ = synthetic
    complete = S.align_all(regs, complete=True)
    every = S.recall_against_exhaustive(regs, complete, sample=14, seed=3)
    assert every["documents"] == 14 and every["exhaustive"] > 300
    assert every["recall"] >= 0.99
    linked = S.align_all(regs)
    default = S.recall_against_exhaustive(regs, linked, sample=14, seed=3)
    assert default["exhaustive"] == every["exhaustive"]
    assert default["kept"] < every["kept"]
    # and the default run says it left copies out
    assert linked.attrs["blocking"]["same_text_pairs_left_to_fanout"] > 0


@pytest.mark.slow
def test_out_streams_parquet_parts_that_read_back_as_the_frame(synthetic, tmp_path):
    pytest.importorskip("pyarrow")
    regs, _ = synthetic
    frame = S.align_all(regs, chunk_size=10)
    stored = S.align_all(regs, chunk_size=10, workers=2, out=tmp_path / "links")
    assert isinstance(stored, S.StoredLinks) and len(stored.parts()) > 1
    assert len(stored) == len(frame) == stored.attrs["blocking"]["links"]
    pd.testing.assert_frame_equal(stored.frame(), frame)
    again = S.StoredLinks(tmp_path / "links")  # reopened later
    some = again.frame(docs=[regs[3].doc_id], min_score=T.LINK)
    want = frame[(frame["doc_a"] == regs[3].doc_id) | (frame["doc_b"] == regs[3].doc_id)]
    pd.testing.assert_frame_equal(some, want[want["score"] >= T.LINK].reset_index(drop=True))
    assert sum(len(f) for f in again) == len(frame)
    assert "Parquet parts" in again._repr_html_()
    with pytest.raises(FileExistsError, match="not an empty folder"):
        S.align_all(regs, out=tmp_path / "links")
    with pytest.raises(FileNotFoundError, match="no links written by align_all"):
        S.StoredLinks(tmp_path)
    lone = S.align_all(regs[:1], out=tmp_path / "one")
    assert len(lone) == 0 and lone.frame().empty


def test_truth_recall_on_a_synthetic_corpus(synthetic):
    regs, truth = synthetic
    links = S.align_all(regs)
    found = set(zip(links["doc_a"], links["article_a"], links["doc_b"], links["article_b"]))
    hit = [(d, a, s, b) in found or (s, b, d, a) in found
           for d, a, s, b in zip(truth["doc_id"], truth["article_no"], truth["source_doc"], truth["source_article"])]
    assert np.mean(hit) >= 0.99


# -- the pieces agree with alignment -----------------------------------------------------------
@pytest.mark.slow
def test_alignment_words_ignore_other_jieba_users():
    """The duty lexicon grows jieba's global dictionary; alignment cuts with its own, so an
    alignment does not depend on whether duties were extracted before it."""
    import subprocess
    import sys

    code = f"""
import jieba
import pingan_corpus as pc
from pingan_corpus.align import prepare as P
from pingan_corpus.duties.lexicon import load_into_jieba
regs = pc.load_corpus({str(RAW)!r})
texts = [P.neutralize(a.text) for r in regs for a in r.articles]
clean = [P.words(t) for t in texts]
before = pc.align(regs[0], regs[1])
glob = [jieba.lcut(t) for t in texts]
load_into_jieba()
assert [jieba.lcut(t) for t in texts] != glob  # the global dictionary did change
assert [P.words(t) for t in texts] == clean
assert pc.align(regs[0], regs[1]).equals(before)
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "ok", out.stderr[-2000:]



def test_prepare_part_and_vocabulary_match_alignment(corpus):
    part = S.prepare_part(corpus.docs)
    prepared = [P.prepare(r) for r in corpus]
    for d, p in enumerate(prepared):
        assert part.flats[d] == p.flat and part.tokens[d] == p.tokens and part.headings[d] == p.headings
    ref = P.Vocabulary(prepared)
    mine = P.Vocabulary.from_counts(dict(part.word_df), len(part.keys))
    assert set(ref.index) == set(mine.index)
    for w, i in ref.index.items():
        assert ref.idf[i] == pytest.approx(mine.idf[mine.index[w]], abs=1e-12)
        assert ref.rare[i] == mine.rare[mine.index[w]]


def test_partitions_share_their_equal_values(synthetic):
    regs, _ = synthetic
    parts = [S.prepare_part(regs[:18]), S.prepare_part(regs[18:], 18)]
    before = [(p.flats, p.tokens, p.headings, p.units) for p in parts]
    import copy

    before = copy.deepcopy(before)
    S.share_values(parts)
    # the values are unchanged …
    assert [(p.flats, p.tokens, p.headings, p.units) for p in parts] == before
    # … and an equal text or word list is one object, across partitions too (36 derived regulations
    # copy most of their provisions)
    flats = [f for p in parts for fs in p.flats for f in fs]
    tokens = [t for p in parts for ts in p.tokens for t in ts]
    assert len({id(f) for f in flats}) == len(set(flats)) < len(flats) / 2
    assert len({id(t) for t in tokens}) == len({tuple(t) for t in tokens})
    units = [u for p in parts for us in p.units for u in us if u]
    assert len({id(u) for u in units}) == len({repr(u) for u in units})


def test_signals_match_score_pairs(corpus):
    part = S.prepare_part(corpus.docs)
    vocab = P.Vocabulary.from_counts(dict(part.word_df), len(part.keys))
    rows = S.part_rows(part, vocab)
    start = np.cumsum([0] + part.counts)
    x, y = corpus.doc_ids.index("xiangtan_pingan_draft"), corpus.doc_ids.index("changsha_pingan_draft")
    s = SC.score_pairs(part.prepared(x), part.prepared(y), vocab)
    i, j = np.meshgrid(np.arange(part.counts[x]), np.arange(part.counts[y]), indexing="ij")
    sig = S._signals(part, rows, part, rows, start[x] + i.ravel(), start[y] + j.ravel())
    for name in ("char", "cosine", "cover_a", "cover_b", "topic", "combined"):
        np.testing.assert_allclose(sig[name], getattr(s, name).ravel(), rtol=0, atol=1e-9, err_msg=name)
    np.testing.assert_array_equal(np.isnan(sig["heading"]), np.isnan(s.heading.ravel()))


def test_sparse_relation_logic_equals_alignment_functions(corpus):
    """The relation engine on a SparseTable (visiting candidates only) against the same engine on a
    DenseTable with zeros outside the candidates, on random candidate sets."""
    part = S.prepare_part(corpus.docs)
    vocab = P.Vocabulary.from_counts(dict(part.word_df), len(part.keys))
    rows = S.part_rows(part, vocab)
    weights = dict(zip(vocab.index, vocab.idf))
    start = np.cumsum([0] + part.counts)
    rng = np.random.default_rng(0)
    compared = 0
    for x, y in itertools.combinations(range(len(part.doc_ids)), 2):
        n, m = part.counts[x], part.counts[y]
        if not n or not m:
            continue
        rows_, cols_ = (g.ravel() for g in np.meshgrid(np.arange(n), np.arange(m), indexing="ij"))
        for frac in (1.0, 0.2, 0.03):
            keep = rng.random(len(rows_)) < frac
            if not keep.any():
                continue
            i, j = rows_[keep], cols_[keep]
            sig = S._signals(part, rows, part, rows, start[x] + i, start[y] + j)
            sel = np.arange(len(i))
            pa, pb = part.prepared(x), part.prepared(y)
            dense = E.link(pa, pb, S._dense_from_entries(n, m, i, j, sig, sel), weights)
            sparse_ = E.link(pa, pb, E.SparseTable(n, m, i, j, sig, sel), weights)
            key = lambda links: sorted((lk.i, lk.j, round(float(lk.score), 9), lk.relation, lk.method) for lk in links)
            assert key(dense) == key(sparse_), (part.doc_ids[x], part.doc_ids[y], frac)
            compared += 1
    assert compared > 300


def _prepared_corpus(regs):
    part = S.prepare_part(regs)
    vocab = P.Vocabulary.from_counts(dict(part.word_df), len(part.keys))
    return part, S.part_rows(part, vocab), dict(zip(vocab.index, vocab.idf)), np.cumsum([0] + part.counts)


def _lone_against_engine(regs, rng) -> set[str]:
    """lone_links against link() on a SparseTable, on candidate sets sharing no row and no column
    drawn from every pair of ``regs``: the best pairs first (copies, pieces that are a
    paragraph of the other article), the pairs covering most of the shorter article first
    (pieces, also those scoring too low for a link as articles), the diagonals (weak pairs between strong links), random ones."""
    part, rows, weights, start = _prepared_corpus(regs)
    methods: set[str] = set()
    for x, y in itertools.combinations(range(len(part.doc_ids)), 2):
        n, m = part.counts[x], part.counts[y]
        if not n or not m:
            continue
        pa, pb = part.prepared(x), part.prepared(y)
        i_all, j_all = (g.ravel() for g in np.meshgrid(np.arange(n), np.arange(m), indexing="ij"))
        every = S._signals(part, rows, part, rows, start[x] + i_all, start[y] + j_all)
        cover = np.maximum(every["cover_a"], every["cover_b"])
        for how in ("best", "pieces", "drowned", "diagonal", "random"):
            if how == "diagonal":
                off = int(rng.integers(-2, 3))
                pick = np.flatnonzero(j_all == i_all + off)
            else:
                # drowned: pieces no one-to-one link would keep as articles
                key = {"best": -every["combined"], "pieces": -cover, "random": rng.random(len(i_all)),
                       "drowned": np.where(E.candidate(E.settle(every["combined"]), E.settle(every["topic"])), 1.0, -cover)}[how]
                used_i, used_j, pick = set(), set(), []
                for k in np.argsort(key, kind="stable").tolist():
                    if i_all[k] not in used_i and j_all[k] not in used_j and rng.random() < 0.7:
                        used_i.add(i_all[k])
                        used_j.add(j_all[k])
                        pick.append(k)
            if not len(pick):
                continue
            i, j = i_all[pick], j_all[pick]
            sig = {k_: v[pick] for k_, v in every.items()}
            sel = np.arange(len(i))
            general = E.link(pa, pb, E.SparseTable(n, m, i, j, sig, sel), weights)
            short_a = np.array([len(pa.flat[u]) <= len(pb.flat[v]) for u, v in zip(i, j)])
            same = np.array([pa.flat[u] == pb.flat[v] for u, v in zip(i, j)])
            t, score, relation, method = E.lone_links(
                sig, same, short_a, (np.zeros(len(i), np.int64), i, j),
                lambda k, pa=pa, pb=pb, i=i, j=j, s=short_a: E.pair_unit_score(pa, pb, int(i[k]), int(j[k]), bool(s[k]),
                                                                             weights))
            # scores as align_all emits them (one decimal)
            fast = sorted(zip(i[t].tolist(), j[t].tolist(), np.round(np.asarray(score, float), 1).tolist(),
                              relation, method))
            slow = sorted((lk.i, lk.j, float(np.round(float(lk.score), 1)), lk.relation, lk.method) for lk in general)
            assert fast == slow, (part.doc_ids[x], part.doc_ids[y], how)
            methods.update(method)
    return methods


def test_lone_candidates_decided_vectorised_as_the_engine_decides_them(corpus, synthetic):
    rng = np.random.default_rng(1)
    methods = _lone_against_engine(corpus.docs, rng) | _lone_against_engine(synthetic[0][:12], rng)
    # the steps past the one-to-one labels were exercised
    assert {"context", "containment", "exact", "mutual-best", "heading"} <= methods, methods


# half of a short article (one of its two paragraphs) became one paragraph of a long omnibus article:
# the two articles score too low for a one-to-one link, their paragraphs are the same
OMNIBUS_A = """某市社区治理条例
第一条 为了加强社区治理，制定本条例。
第二条 物业服务企业应当配合公安机关做好住宅小区的治安防范工作，发现违法犯罪行为及时报告。
网格员应当定期走访独居老人和留守儿童家庭，了解其生活状况，协调解决实际困难。
第三条 本条例自公布之日起施行。
"""
OMNIBUS_B = """某市物业管理条例
第一条 为了规范物业管理活动，制定本条例。
第二条 业主大会应当依法履行职责，维护全体业主的合法权益，不得作出与物业管理无关的决定。
建设单位应当按照国家规定的保修期限和保修范围，承担物业的保修责任，并向业主移交相关资料。
物业服务企业应当配合公安机关做好住宅小区的治安防范工作，发现违法犯罪行为及时报告。
县级以上人民政府住房和城乡建设主管部门应当加强对物业管理活动的监督检查，依法查处违法行为。
供水、供电、供气、供热、通信、有线电视等专业经营单位应当向最终用户收取有关费用。
业主应当按照约定交纳物业服务费用，不得擅自改变房屋用途，不得违反规定饲养动物。
物业服务合同期限届满前，业主委员会应当组织召开业主大会会议，决定续聘或者另聘物业服务人。
前期物业服务合同可以约定期限；期限未满但业主委员会与物业服务人签订的合同生效的，前期合同终止。
利用共用部位、共用设施设备经营的，应当征得相关业主和业主大会的同意，所得收益归全体业主所有。
专项维修资金属于业主所有，专项用于保修期满后共用部位、共用设施设备的维修、更新和改造。
业主委员会委员应当遵守法律法规，不得收受建设单位、物业服务人或者有利害关系业主提供的财物。
物业服务人应当按照合同约定提供服务，公示服务内容、服务标准、收费项目和收费标准。
物业服务人退出物业服务区域的，应当在约定期限内移交物业服务用房和相关设施以及相关资料。
街道办事处、乡镇人民政府应当指导和协助业主大会成立和业主委员会选举工作，调解物业管理纠纷。
房屋装饰装修前，业主应当告知物业服务人，物业服务人应当将装饰装修的禁止行为和注意事项告知业主。
新建住宅小区的物业服务用房由建设单位按照规定配置，其所有权属于全体业主，任何单位和个人不得擅自改变用途。
第三条 本条例自公布之日起施行。
"""


def test_a_paragraph_link_between_lone_candidates_is_made_on_the_vectorised_path(monkeypatch):
    regs = [pc.parse_text(OMNIBUS_A, doc_id="a"), pc.parse_text(OMNIBUS_B, doc_id="b")]
    seen = []
    finish = E.LoneLinks.finish
    monkeypatch.setattr(E.LoneLinks, "finish", lambda *a, **k: seen.append(r := finish(*a, **k)) or r)
    fast = S.align_all(regs)
    row = fast[(fast.article_a == 2) & (fast.article_b == 2)]
    assert row[["relation", "method"]].values.tolist() == [["modified", "paragraph"]]
    assert any("paragraph" in r[3] for r in seen)      # made by lone_links, not by the engine
    monkeypatch.setattr(S, "_alone", lambda dp, i, j: np.zeros(len(dp), bool))
    pd.testing.assert_frame_equal(fast, S.align_all(regs))
    assert len(seen) == 2 and not len(seen[1][0])      # no lone candidate on the general path


def test_lone_and_shared_candidates_of_a_document_pair_are_decided_as_one_table(corpus, monkeypatch):
    """score_block decides the candidates alone in their row and column apart from the others of
    their document pair; those read the lone ones' kept pairs as neighbours (context). On the
    bundled corpus, the pairs of every document pair scoring ``FLOOR`` or more (most of them alone
    in their row and column) and random ones: the same links as the engine on each whole table —
    and not without the neighbours' pairs."""
    part, rows, weights, start = _prepared_corpus(corpus.docs)
    rng = np.random.default_rng(2)
    FLOOR = 20.0
    keys = []
    for x, y in itertools.combinations(range(len(part.doc_ids)), 2):
        n, m = part.counts[x], part.counts[y]
        if not n or not m:
            continue
        i_all, j_all = (g.ravel() for g in np.meshgrid(np.arange(n), np.arange(m), indexing="ij"))
        c = S._signals(part, rows, part, rows, start[x] + i_all, start[y] + j_all)["combined"].reshape(n, m)
        near_i, near_j = np.nonzero(c >= FLOOR)
        i = np.concatenate([near_i, rng.integers(0, n, 4)])
        j = np.concatenate([near_j, rng.integers(0, m, 4)])
        keys.append((start[x] + i) * 10**6 + start[y] + j)
    key = np.unique(np.concatenate(keys))
    a, b = key // 10**6, key % 10**6

    def links():
        return S._in_order(S.score_block(part, rows, part, rows, a, b, weights))

    split = links()
    with monkeypatch.context() as mp:
        mp.setattr(S, "_alone", lambda dp, i, j: np.zeros(len(dp), bool))
        whole = links()
    pd.testing.assert_frame_equal(split, whole)
    assert (whole["method"] == "context").sum() >= 10
    with monkeypatch.context() as mp:
        placed = S.placed_links
        mp.setattr(S, "placed_links", lambda pa, pb, t, w, kept_around=frozenset(): placed(pa, pb, t, w))
        assert len(links()) < len(whole)


# a paraphrase at the same place (third article) between identical provisions, scoring too low
# for a link of its own: the same provision, held in place by its neighbours (sandwiched)
HELD_A = """某市平安建设条例
第一条 为了推进平安建设，维护社会稳定，根据有关法律法规，结合本市实际，制定本条例。
第二条 本条例适用于本市行政区域内的平安建设工作。
第三条 鼓励企业事业单位、社会组织和公民参与巡逻守望等群防群治活动，对在平安建设中作出突出贡献的单位和个人按照国家有关规定给予表彰奖励，志愿者服务记录可以作为评优的依据；具体办法由市人民政府另行制定。
第四条 公安机关应当加强治安防控体系建设，依法打击违法犯罪活动。
第五条 本条例自2024年1月1日起施行。
"""
HELD_B = """某县平安建设条例
第一条 为了推进平安建设，维护社会稳定，根据有关法律法规，结合本市实际，制定本条例。
第二条 本条例适用于本市行政区域内的平安建设工作。
第三条 村（居）民委员会应当组织辖区群众开展治安巡逻守望，做好矛盾纠纷排查、安全隐患报告和特殊人群关爱工作；县人民政府对其中长期坚持的志愿者可以给予适当补贴，所需经费列入财政预算。
第四条 公安机关应当加强治安防控体系建设，依法打击违法犯罪活动。
第五条 本条例自2024年1月1日起施行。
第六条 市场监督管理部门应当依法查处销售假冒伪劣商品的行为。
"""


@pytest.mark.parametrize("extra, cut", [
    ([(2, 5)], "sandwiched"),           # the paraphrase shares its row: its neighbours are lone
    ([(0, 5), (1, 5), (3, 5), (4, 5)], "finish"),  # the paraphrase is lone: its neighbours share a column
])
def test_a_paraphrase_held_by_neighbours_decided_on_the_other_path(corpus, monkeypatch, extra, cut):
    regs = list(corpus.docs) + [pc.parse_text(HELD_A, doc_id="a"), pc.parse_text(HELD_B, doc_id="b")]
    part, rows, weights, start = _prepared_corpus(regs)   # the bundled corpus makes words rare
    x, y = len(regs) - 2, len(regs) - 1
    pairs = sorted([(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)] + extra)
    a = np.array([start[x] + i for i, _ in pairs])
    b = np.array([start[y] + j for _, j in pairs])
    k = pairs.index((2, 2))
    sig = S._signals(part, rows, part, rows, a[k:k + 1], b[k:k + 1])
    assert sig["combined"][0] < T.WEAK and sig["topic"][0] >= T.TOPIC  # no link on its own

    def held():
        out = S._in_order(S.score_block(part, rows, part, rows, a, b, weights))
        return out[(out.article_a == 3) & (out.article_b == 3)][["relation", "method"]].values.tolist()

    assert held() == [["modified", "context"]]
    with monkeypatch.context() as mp:
        mp.setattr(S, "_alone", lambda dp, i, j: np.zeros(len(dp), bool))
        assert held() == [["modified", "context"]]
    with monkeypatch.context() as mp:               # not without the other path's strong links
        if cut == "sandwiched":
            sandwiched = S.sandwiched
            mp.setattr(S, "sandwiched", lambda t, lks, strong_around=frozenset(): sandwiched(t, lks))
        else:
            finish = E.LoneLinks.finish
            mp.setattr(E.LoneLinks, "finish", lambda self, k, strong_around=None: finish(self, k))
        assert held() == []


def test_vectorised_path_equals_general_path(synthetic, monkeypatch):
    regs, _ = synthetic
    fast = S.align_all(regs[:24])
    assert fast.attrs["blocking"]["document_pairs"] > 0
    monkeypatch.setattr(S, "_alone", lambda dp, i, j: np.zeros(len(dp), bool))
    slow = S.align_all(regs[:24])
    pd.testing.assert_frame_equal(fast, slow)


def test_remembered_unit_scores_and_vectors_equal_those_computed_afresh(synthetic, monkeypatch):
    """Unit scores and vectors are remembered by the texts and words of the units: the links are
    those computed afresh."""
    regs, _ = synthetic
    E._UNIT_SCORES.clear()
    E._VECTORS.clear()
    remembered = S.align_all(regs[:24])
    assert E._UNIT_SCORES.data, "no unit score was computed: the test would prove nothing"
    assert E._VECTORS.data
    calls = []
    monkeypatch.setattr(E, "_unit_score_of", lambda s, l_, w: calls.append(1) or E.unit_score(s, l_))
    monkeypatch.setattr(E._VECTORS, "limit", 0)  # every vector weighed again
    afresh = S.align_all(regs[:24])
    assert len(calls) > len(E._UNIT_SCORES.data)  # the same texts met more than once
    pd.testing.assert_frame_equal(remembered, afresh)


# -- engines and partitions --------------------------------------------------------------------
def _pid_and_square(x: int) -> tuple[int, int]:
    return os.getpid(), x * x


def test_forked_workers_are_replaced_every_round_of_tasks(monkeypatch):
    """A worker's copies of the parent's pages grow with the tasks it runs: after ROUND_TASKS tasks
    each, fresh workers are forked; the results come back in order all the same."""
    monkeypatch.setattr(S, "ROUND_TASKS", 2)
    got = S._Local(2).map(_pid_and_square, range(13))
    assert [sq for _, sq in got] == [x * x for x in range(13)]
    assert os.getpid() not in {pid for pid, _ in got}
    assert len({pid for pid, _ in got}) >= 4  # 13 tasks in rounds of 4: four rounds of forks
    monkeypatch.setattr(S, "ROUND_TASKS", 100)
    assert len({pid for pid, _ in S._Local(2).map(_pid_and_square, range(13))}) <= 2


@pytest.mark.slow
def test_partitions_and_workers_do_not_change_the_result(synthetic):
    regs, _ = synthetic
    one = S.align_all(regs, chunk_size=1000)
    pd.testing.assert_frame_equal(S.align_all(regs, chunk_size=7), one)
    pd.testing.assert_frame_equal(S.align_all(regs, chunk_size=10, workers=2), one)


@pytest.mark.slow
def test_small_scoring_tasks_and_expansion_pieces_do_not_change_the_result(synthetic, monkeypatch):
    regs, _ = synthetic
    one = S.align_all(regs)
    monkeypatch.setattr(S, "TASK_PAIRS", 40)  # many tasks, cut only between document pairs
    monkeypatch.setattr(S, "EXPAND_PIECE", 3)  # near-text pairs expanded a few at a time
    monkeypatch.setattr(S, "ROUND_TASKS", 3)  # fresh workers every six tasks
    many = S.align_all(regs, workers=2)
    assert many.attrs["blocking"]["scoring_tasks"] > 10 * one.attrs["blocking"]["scoring_tasks"]
    pd.testing.assert_frame_equal(many, one)


def test_each_partitions_word_rows_are_made_once_and_read_back_the_same(synthetic, monkeypatch, tmp_path):
    """A partition is in about as many scoring tasks as there are partitions: its word rows are made
    once, kept in a folder for the tasks, and read back equal to those made afresh."""
    regs, _ = synthetic
    regs = regs[:20]
    one = S.align_all(regs)
    made = []
    rows = S.part_rows
    monkeypatch.setattr(S, "part_rows", lambda part, vocab: made.append(part.first_doc) or rows(part, vocab))
    many = S.align_all(regs, chunk_size=4)           # 5 partitions, 15 pairs of them
    assert many.attrs["blocking"]["scoring_tasks"] >= 10
    assert sorted(made) == [0, 4, 8, 12, 16]
    pd.testing.assert_frame_equal(many, one)
    # the file holds the rows themselves
    part = S.prepare_part(regs[4:8], first_doc=4)
    vocab = P.Vocabulary.from_counts(dict(part.word_df), len(part.keys))
    S._rows_to_file(part, vocab, str(tmp_path))
    back, fresh = S._rows_from_file(part, str(tmp_path)), rows(part, vocab)
    for name in ("tfidf", "present", "idf_present", "rare"):
        assert (getattr(back, name) != getattr(fresh, name)).nnz == 0 and getattr(back, name).dtype == getattr(fresh, name).dtype
    np.testing.assert_array_equal(back.size, fresh.size)
    assert S._rows_from_file(part, str(tmp_path / "elsewhere")) is None  # no folder: the task makes them


@pytest.mark.slow
def test_dask_engine_equals_local(synthetic, tmp_path):
    pytest.importorskip("dask.distributed")
    from dask.distributed import Client, LocalCluster

    regs, _ = synthetic
    local = S.align_all(regs, chunk_size=9)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        # a scheduler address, as for a real cluster
        remote = S.align_all(regs, engine="dask", scheduler=cluster.scheduler_address, chunk_size=9)
        with Client(cluster) as client:
            with_client = S.align_all(regs[:12], engine="dask", scheduler=client, chunk_size=5)
            # workers write the parts themselves (a folder they share)
            stored = S.align_all(regs, engine="dask", scheduler=client, chunk_size=9, out=tmp_path / "links")
    pd.testing.assert_frame_equal(_canon(remote), _canon(local))
    pd.testing.assert_frame_equal(remote, local)
    pd.testing.assert_frame_equal(with_client, S.align_all(regs[:12], chunk_size=5))
    pd.testing.assert_frame_equal(stored.frame(), local)


def test_lazy_corpus_streams_the_folder_into_the_same_links(corpus, linked, capsys):
    lazy = pc.load_corpus(RAW, lazy=True, progress=True)
    assert isinstance(lazy, LazyCorpus) and len(lazy.files) == 5
    again = lazy.load()
    assert "parse" in capsys.readouterr().err
    assert again.doc_ids == corpus.doc_ids and again.warnings == corpus.warnings
    # prepared a partition at a time while the files are parsed
    pd.testing.assert_frame_equal(lazy.align_all(chunk_size=5), linked)
    pd.testing.assert_frame_equal(S.align_all(pc.load_corpus(RAW, lazy=True), chunk_size=5, complete=True),
                                  S.align_all(corpus, chunk_size=5, complete=True))


def test_place_names_are_replaced_as_the_alternation_did(corpus):
    """One Aho–Corasick pass replaces what ``re.sub`` of the names sorted longest first did."""
    import re

    from pingan_corpus.parse.gazetteer import divisions

    names = sorted({d.name for d in divisions()}, key=len, reverse=True)
    shorts = sorted({s for d in divisions() for s in (d.short, *d.aliases) if len(s) >= 2}, key=len, reverse=True)
    regex = re.compile("|".join(map(re.escape, names)) + "|(?<=平安)(?:" + "|".join(map(re.escape, shorts)) + ")")
    texts = [a.text for r in corpus for a in r.articles] + [r.text for r in corpus]
    texts += [x + y for x in names + shorts for y in ("", "省", "市", "人民政府")]
    texts += [f"建设平安{x}和{x}" for x in shorts] + [f"平安{x}" for x in names]
    assert [P._places().sub(t) for t in texts] == [regex.sub(P.PLACE_WORD, t) for t in texts]


def test_small_and_bad_inputs(corpus):
    empty = S.align_all([])
    assert list(empty.columns) == S.LINK_COLUMNS and empty.empty
    assert S.align_all([corpus[0]]).empty
    with pytest.raises(ValueError):
        S.align_all(corpus, engine="spark")


def test_progress_bar(corpus, capsys):
    S.align_all(corpus.docs[:4], progress=True)
    assert "scoring" in capsys.readouterr().err


# -- blocking pieces ---------------------------------------------------------------------------
def test_same_text_fanout_links_copies_to_the_first_ones():
    layout = B.Layout.build([1, 1, 1, 1, 1], np.array([7, 7, 7, 7, 9]))
    a, b, s = B.same_text_pairs(layout, fanout=2)
    pairs = set(zip(a.tolist(), b.tolist()))
    assert pairs == {(0, 1), (0, 2), (0, 3), (1, 2), (1, 3)}
    assert (s == 1).all()
    a, b, _ = B.same_text_pairs(layout, fanout=None)
    assert len(a) == 6


def test_copy_pairs_match_their_definition_in_any_chunking():
    # 100 documents of 6 articles drawn from 40 texts: copies in one document, texts with many copies
    rng = np.random.default_rng(1)
    layout = B.Layout.build([6] * 100, rng.integers(0, 40, size=600))
    copies = {t: np.flatnonzero(layout.text_of == t).tolist() for t in range(layout.n_texts)}
    tu, tv = rng.integers(0, layout.n_texts, 300), rng.integers(0, layout.n_texts, 300)
    sims = rng.random(300).astype(np.float32)

    def other(a, b):
        return layout.doc_of[a] != layout.doc_of[b]

    for fanout in (None, 1, 2, 5):
        got = B.same_text_pairs(layout, fanout)
        want = {(c[x], c[y]) for c in copies.values() for x in range(len(c)) for y in range(x + 1, len(c))
                if (fanout is None or x < fanout) and other(c[x], c[y])}
        assert sorted(zip(got[0].tolist(), got[1].tolist())) == sorted(want)
        for chunk in (7, 2_000_000):
            a, b, s = B._copy_pairs(layout, tu, tv, sims, fanout, same=False, chunk=chunk)
            want = sorted((x, y, float(v)) for u, w, v in zip(tu, tv, sims)
                          for x in copies[u][:fanout] for y in copies[w][:fanout] if other(x, y))
            assert sorted(zip(a.tolist(), b.tolist(), s.tolist())) == want


def test_pair_keys_are_the_deduplicated_union_that_combine_makes():
    rng = np.random.default_rng(3)
    parts = [(rng.integers(0, 50, 400), rng.integers(0, 50, 400), rng.random(400).astype(np.float32))
             for _ in range(3)]
    parts = [(a[a != b], b[a != b], v[a != b]) for a, b, v in parts]
    cand = B.combine(parts, 50, 0.3)
    keys = B.unique_keys([B.pair_keys(p, 50, 0.3) for p in parts])
    assert (np.diff(keys) > 0).all()
    assert keys.tolist() == (cand.a * 50 + cand.b).tolist()
    want = {(min(x, y), max(x, y)) for a, b, v in parts for x, y, w in zip(a, b, v) if w >= 0.3}
    assert {(int(k // 50), int(k % 50)) for k in keys} == want
    assert len(B.unique_keys([])) == 0


def test_common_grams_cap_can_be_lifted():
    # 3,000 texts, one gram in all of them, one in 40 % of them
    parts = [(np.array([1, 2, 3]), np.array([3000, 1200, 2]))]
    capped = B.GramWeights.from_df(parts, 3000, max_df=0.5, floor=10, cap=1000)
    assert capped.max_df == 1000 and capped.active.tolist() == [False, False, True]
    lifted = B.GramWeights.from_df(parts, 3000, max_df=0.5, floor=10, cap=None)
    assert lifted.max_df == 1500 and lifted.active.tolist() == [False, True, True]
    assert not lifted.has_wide


def test_wide_rows_keep_the_grams_only_the_cap_dropped():
    # gram 2 is in 1,200 of 3,000 texts: over the cap (1,000), under the share (50 %)
    parts = [(np.array([1, 2, 3]), np.array([3000, 1200, 2]))]
    w = B.GramWeights.from_df(parts, 3000, max_df=0.5, floor=10, cap=1000)
    assert w.has_wide and w.wide_max_df == 1500
    counts = sparse.csr_matrix((np.array([1.0, 1.0, 1.0], np.float32), (np.zeros(3, int), np.array([1, 2, 3]))),
                               shape=(1, 8))
    capped, wide = w.weigh(counts), w.weigh(counts, wide=True)
    assert capped.shape[1] == 1 and capped.toarray().tolist() == [[1.0]]   # only gram 3, normed alone
    assert wide.shape[1] == 2 and wide.nnz == 2                           # grams 2 and 3
    assert np.isclose(np.linalg.norm(wide.toarray()), 1.0)
    idf2, idf3 = w.idf[1], w.idf[2]
    assert np.allclose(wide.toarray()[0], np.array([idf2, idf3]) / np.hypot(idf2, idf3))


def test_related_documents_pairs_ignore_the_cap(synthetic):
    """The DF cap keeps top-k rows short; inside related documents it would drop the grams a
    provision family shares. With a cap far below the share (as on a corpus of tens of
    thousands of near-copies), the split and merged pieces the truth records stay candidates
    as they are without any cap, and many are lost when the capped rows are used there too."""
    regs, truth = synthetic
    flats = [P.prepare(r).flat for r in regs]
    start = np.cumsum([0] + [len(f) for f in flats])
    pos = {r.doc_id: (k, {a.number: i for i, a in enumerate(r.articles)}) for k, r in enumerate(regs)}
    pieces = truth[truth["operation"].str.startswith(("split", "merged"))]
    assert len(pieces) >= 20

    def found(cand):
        keys = set((cand.a * start[-1] + cand.b).tolist())
        hit = []
        for t in pieces.itertuples():
            (da, ia), (db, ib) = pos[t.doc_id], pos[t.source_doc]
            x, y = start[da] + ia[t.article_no], start[db] + ib[t.source_article]
            hit.append(min(x, y) * start[-1] + max(x, y) in keys)
        return np.mean(hit)

    kw = {"max_df": 1.0, "df_floor": 2}
    uncapped = found(B.candidate_pairs(flats, df_cap=None, **kw)[0])
    capped = found(B.candidate_pairs(flats, df_cap=3, **kw)[0])
    original = B.GramWeights.weigh
    try:  # the capped rows inside related documents too
        B.GramWeights.weigh = lambda self, counts, wide=False: original(self, counts)
        narrow = found(B.candidate_pairs(flats, df_cap=3, **kw)[0])
    finally:
        B.GramWeights.weigh = original
    print(f"\nsplit/merged pieces as candidates: no cap {uncapped:.3f}, cap 3 {capped:.3f}, "
          f"cap 3 inside related documents too {narrow:.3f}")
    assert capped >= uncapped - 0.02
    assert narrow < capped - 0.1


def test_topk_product_is_chunked_and_counts_what_it_cuts():
    flats = ["平安建设工作领导小组负责统筹", "平安建设工作领导小组负责协调", "平安建设领导小组统筹协调",
             "消防安全检查每月一次", "消防安全检查每季度一次"]
    raw = B.gram_rows(flats)
    w = B.GramWeights.from_df([B.document_frequency(raw)], len(flats), max_df=1.0, floor=0)
    x = w.weigh(raw)
    r, c, _s, cut = B.topk_product(x, x.T.tocsr(), k=1, min_sim=0.05, chunk=2)
    assert set(r.tolist()) == set(range(5)) and len(r) == 5
    assert cut > 0
    assert all(c[t] in ({0, 1, 2} if r[t] < 3 else {3, 4}) for t in range(5))
    r2, _c2, _s2, cut2 = B.topk_product(x, x.T.tocsr(), k=10, min_sim=0.05, chunk=100)
    assert cut2 == 0 and len(r2) == len(r) + cut


def _rows_in_fresh_process(blob: bytes) -> list:
    import pickle

    from pingan_corpus.align import prepare as P_

    # this process met other words first, so its word ids differ from the parent's
    for w in ("甲乙丙丁", "戊己庚辛", "子丑寅卯"):
        P_._word_id(w)
    vocab, prepared = pickle.loads(blob)
    return [m.toarray().tolist() for m in vocab.matrices(prepared)]


def test_vocabulary_and_prepared_travel_to_another_process(corpus):
    """Word ids are numbered per process: a vocabulary or prepared regulation already used here
    must map the same words to the same columns in a Dask worker or a forked pool."""
    import multiprocessing
    import pickle
    from concurrent.futures import ProcessPoolExecutor

    p = P.prepare(corpus[0])
    vocab = P.Vocabulary([p, P.prepare(corpus[1])])
    here = [m.toarray().tolist() for m in vocab.matrices(p)]  # builds the caches of ids in this process
    fresh = P.prepare(corpus[0], {})  # a new one: its words get ids in the process that needs them
    assert len(vocab._column) and p._terms is not None and fresh._terms is None
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        for sent in (fresh, p):
            there = pool.submit(_rows_in_fresh_process, pickle.dumps((vocab, sent))).result()
            assert all(np.allclose(np.array(t), np.array(h)) for t, h in zip(there, here))


def test_a_text_cut_two_ways_keeps_two_vectors():
    """One flat text may be cut into other words (管理，服务 / 管理服务): the remembered vectors and
    unit scores are keyed by the words too, so what one document computed is never given to another."""
    from types import SimpleNamespace

    weights = {"管理": 2.0, "服务": 1.0, "管理服务": 3.0}

    def units(words):
        return E._Units(SimpleNamespace(_unit_vectors=None, flat=["管理服务"], tokens=[words], units=[[]]), weights)

    E._VECTORS.clear()
    two, one = units(["管理", "服务"]).as_long(0), units(["管理服务"]).as_long(0)
    assert two[0][0] == one[0][0] == "管理服务"
    assert set(two[0][1]) == {"管理", "服务"} and set(one[0][1]) == {"管理服务"}
    assert two.key != one.key


def _related_reference(e: np.ndarray, k: int, min_sim: float) -> set[tuple[int, int]]:
    """Each row's k best others by a full sort of its products, those ≥ min_sim, as pairs x < y."""
    sims = e @ e.T
    np.fill_diagonal(sims, -np.inf)
    out = set()
    for i in range(len(e)):
        for j in np.argsort(-sims[i], kind="stable")[:k]:
            if sims[i, j] >= min_sim:
                out.add((min(i, int(j)), max(i, int(j))))
    return out


@pytest.mark.parametrize("chunk", [7, 1000])
def test_related_documents_equal_a_full_sort(chunk):
    # clustered documents (near copies of 12 models, as a diffusion corpus has): many rows hold more
    # than k neighbours above the floor, at every level
    rng = np.random.default_rng(3)
    centers = rng.standard_normal((12, 64)).astype(np.float32)
    e = centers[rng.integers(0, 12, 400)] + rng.standard_normal((400, 64)).astype(np.float32) * rng.uniform(
        0.05, 1.5, (400, 1)).astype(np.float32)
    e /= np.linalg.norm(e, axis=1)[:, None]
    dx, dy = B.related_documents(e, 10, 0.5, chunk=chunk)
    got = set(zip(dx.tolist(), dy.tolist()))
    assert got == _related_reference(e, 10, 0.5)
    assert len(got) > 1000
