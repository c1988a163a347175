"""Alignment: gold precision/recall, constructed cases for every relation, diffs, many documents."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pingan_corpus as pc
from pingan_corpus.align.pairs import STRONG_RELATIONS, neutralize, word_diff

GOLD = Path(__file__).parent / "gold"
RAW = Path(__file__).parents[1] / "data" / "raw"
GOLD_FILES = ["align_xiangtan_draft_final.csv", "align_hubei_ordos.csv", "align_xiangtan_changsha.csv"]


@pytest.fixture(scope="module")
def corpus():
    return pc.load_corpus(Path(__file__).parents[1] / "data" / "raw")


def _links(df: pd.DataFrame, strong_only: bool) -> set[tuple[int, int]]:
    rows = df.dropna(subset=["a_article", "b_article"])
    if strong_only:
        rows = rows[rows["relation"].isin(STRONG_RELATIONS)]
    return {(int(a), int(b)) for a, b in zip(rows["a_article"], rows["b_article"])}


# -- gold sets (tests/gold/ALIGN.md: annotated by reading both texts, independently of the code)
@pytest.fixture(scope="module")
def gold_results(corpus):
    out = {}
    for name in GOLD_FILES:
        g = pd.read_csv(GOLD / name)
        pred = pc.align(corpus[g["a_doc"][0]], corpus[g["b_doc"][0]])
        gold_strong = {(a, b) for a, b, s in zip(g["a_article"], g["b_article"], g["strength"]) if s == "strong"}
        gold_any = set(zip(g["a_article"], g["b_article"]))
        out[name] = (pred, gold_strong, gold_any)
    return out


# strong-link (precision, recall) floors of the bundled pairs, a little below what the aligner measures
# (2026-12-05: 湘潭 draft → final 1.000/0.957, 湖北 → 鄂尔多斯 0.951/0.975, 湘潭 → 长沙 0.947/0.837; all three
# 0.967/0.922 over 129 gold links)
BUNDLED_FLOORS = {"align_xiangtan_draft_final.csv": (0.98, 0.94), "align_hubei_ordos.csv": (0.93, 0.96),
                  "align_xiangtan_changsha.csv": (0.93, 0.82)}


def test_strong_link_precision_and_recall_on_gold(gold_results):
    tp = npred = ngold = 0
    for name, (pred, gold_strong, _) in gold_results.items():
        p = _links(pred, strong_only=True)
        tp += len(p & gold_strong)
        npred += len(p)
        ngold += len(gold_strong)
        prec, rec = len(p & gold_strong) / len(p), len(p & gold_strong) / len(gold_strong)
        print(f"{name}: strong precision {prec:.3f}, recall {rec:.3f}")
        floor_p, floor_r = BUNDLED_FLOORS[name]
        assert prec >= floor_p and rec >= floor_r, name
    precision, recall = tp / npred, tp / ngold
    print(f"all gold sets: strong-link precision {precision:.3f}, recall {recall:.3f} ({ngold} gold links)")
    assert precision >= 0.95
    assert recall >= 0.91


# -- gold pairs of real regulations never seen while the aligner was built (../shared/corpus) ----------
SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
# strong-link (precision, recall) floors: a little below what the aligner measures (2026-12-03: P/R
# 0.805/0.917, 1.000/0.848, 0.867/0.722, 0.826/0.613; when the gold was made, 2026-12-02: 0.795/0.861,
# 1.000/0.788, 0.786/0.611, 0.826/0.613). Issue 15 aims at F1 0.95. 2026-12-05, after the issue-15 recall
# rules (twice-corroborated weak links, 奖励与处罚 chapters, many-to-many pieces): 物业 0.846/0.917, 文明
# 1.000/0.848, 信访 0.871/0.750, 消防 0.846/0.710, 司法鉴定 0.800/0.714. With references checked (two
# articles citing 本条例第X条 correspond only where what they cite does), both merged: 物业 0.868/0.917, 信访
# 0.900/0.750, the others as above.
REAL_GOLD = {"align_huzhou_taizhou_wuye.csv": (0.85, 0.90), "align_nanyang_sanmenxia_wenming.csv": (0.98, 0.83),
             "align_henan_beijing_xinfang.csv": (0.88, 0.73), "align_chongqing_guangdong_xiaofang.csv": (0.83, 0.69),
             # annotated 2026-12-03 and not looked at while the aligner was worked on that day: its figure
             # then, P 0.679 R 0.679 (the same before and after that day's changes), is an unseen-pair figure;
             # tuned on since: P 0.800 R 0.714 with the liability factor (2026-12-05)
             "align_beijing_zhejiang_sifajianding.csv": (0.78, 0.70),
             # kept aside while the aligner was worked on, measured at the end of each session's work:
             # P 0.929, R 0.788, F1 0.852 (2026-12-02, and unchanged 2026-12-03)
             "aside/align_beijing_hangzhou_falvyuanzhu.csv": (0.88, 0.75),
             # kept aside from its annotation (2026-12-03): P 0.909 R 0.606 before that day's changes,
             # P 0.913 R 0.636 (F1 0.750) after
             "aside/align_shanghai_ningbo_zhiyuan.csv": (0.88, 0.60),
             # kept aside from their annotation (2026-12-04, helpers reading the texts), measured once:
             # 见义勇为 2000 → 2017 P 0.923 R 0.571 (F1 0.706); 反恐 2019 → 2023 P 0.524 R 0.647 (F1 0.579)
             "aside/align_beijing_henan_jianyiyongwei.csv": (0.88, 0.52),
             # 2026-12-05, after the issue-15 recall and precision rules, measured once: 反恐 P 0.611 R 0.647
             # (F1 0.629), the three others unchanged
             "aside/align_zhejiang_beijing_fankong.csv": (0.58, 0.60)}


def _real_gold(name: str):
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} not found: the real-corpus gold pairs need it")
    g = pd.read_csv(GOLD / name)
    a, b = (pc.parse_file(SHARED / f"{d}.md")[0] for d in (g["a_doc"][0], g["b_doc"][0]))
    strong = {(x, y) for x, y, s in zip(g["a_article"], g["b_article"], g["strength"]) if s == "strong"}
    return pc.align(a, b), strong, set(zip(g["a_article"], g["b_article"]))


@pytest.mark.parametrize("name", sorted(REAL_GOLD))
def test_strong_links_on_real_gold_pairs(name):
    pred, strong, _ = _real_gold(name)
    p = _links(pred, strong_only=True)
    precision, recall = len(p & strong) / len(p), len(p & strong) / len(strong)
    f1 = 2 * precision * recall / (precision + recall)
    print(f"{name}: strong precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f}")
    floor_p, floor_r = REAL_GOLD[name]
    assert precision >= floor_p and recall >= floor_r, (precision, recall)


def test_unrelated_regulations_keep_few_strong_links():
    """Regulations on different matters (安全生产/消防, 法律援助/司法鉴定, 物业/文明行为) share their field's
    vocabulary, not their provisions: every strong link made between them was read and judged
    (tests/gold/unrelated_pairs.md). Per pair at most the accepted links (template articles and the
    few real counterparts) plus 2; the links judged false at most 8 in all (2026-12-05: 25 strong
    links, 7 judged false, against 32 and 14 before the specific-word and reference rules)."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} not found: the unrelated pairs need it")
    g = pd.read_csv(GOLD / "unrelated_pairs.csv")
    false_total = 0
    for (a_doc, b_doc), rows in g.groupby(["a_doc", "b_doc"], sort=False):
        a, b = (pc.parse_file(SHARED / f"{d}.md")[0] for d in (a_doc, b_doc))
        strong = _links(pc.align(a, b), strong_only=True)
        accepted = {(x, y) for x, y, v in zip(rows["a_article"], rows["b_article"], rows["verdict"]) if v != "false"}
        false = {(x, y) for x, y, v in zip(rows["a_article"], rows["b_article"], rows["verdict"]) if v == "false"}
        print(f"{a_doc} / {b_doc}: {len(strong)} strong links, {len(strong & accepted)} of {len(accepted)} "
              f"accepted, {len(strong & false)} judged false")
        assert len(strong) <= len(accepted) + 2, (a_doc, b_doc)
        false_total += len(strong & false)
    assert false_total <= 8


def test_every_predicted_link_is_a_gold_link_of_some_strength(gold_results):
    for name, (pred, _, gold_any) in gold_results.items():
        p = _links(pred, strong_only=False)
        assert len(p & gold_any) / len(p) >= 0.95, name


def test_deleted_and_added_claims_are_true_on_gold(gold_results):
    """A false claim that a provision was dropped costs a drafter's trust: an article we call
    deleted (added) must have no strong counterpart in the gold set (a partial one may exist)."""
    wrong_total = claims_total = 0
    for name, (pred, gold_strong, _) in gold_results.items():
        gold_a = {a for a, _ in gold_strong}
        gold_b = {b for _, b in gold_strong}
        deleted = set(pred.loc[pred["relation"] == "deleted", "a_article"].astype(int))
        added = set(pred.loc[pred["relation"] == "added", "b_article"].astype(int))
        wrong = len(deleted & gold_a) + len(added & gold_b)
        print(f"{name}: {wrong} of {len(deleted) + len(added)} deleted/added claims contradict a strong gold link")
        wrong_total += wrong
        claims_total += len(deleted) + len(added)
    assert wrong_total <= 0.25 * claims_total


def test_every_article_appears_and_unmatched_ones_once(gold_results, corpus):
    for pred, _, _ in gold_results.values():
        for side, other, rel in (("a_article", "b_article", "deleted"), ("b_article", "a_article", "added")):
            unmatched = pred[pred[other].isna()]
            assert (unmatched["relation"] == rel).all()
            assert unmatched[side].is_unique
            linked = set(pred.dropna(subset=[other])[side].dropna())
            assert not linked & set(unmatched[side])


def test_xiangtan_draft_to_final_shows_what_the_legislature_did(corpus):
    cd = pc.compare(corpus["xiangtan_pingan_draft"], corpus["xiangtan_pingan_2022"])
    s = cd.summary()
    # by reading (tests/gold/ALIGN.md): draft 12, 22, 31, 32, 38, 44, 52 were dropped and final
    # 11, 30, 34, 35 are new; each must be reported so (others with only a partial tie may be too)
    f = cd.frame
    assert {12, 22, 31, 32, 38, 44, 52} <= set(f.loc[f["relation"] == "deleted", "a_article"].astype(int))
    assert {11, 30, 34, 35} <= set(f.loc[f["relation"] == "added", "b_article"].astype(int))
    assert s.loc["deleted", "a_articles"] <= 12 and s.loc["added", "b_articles"] <= 7
    f = cd.frame
    assert {7, 9} <= set(f.loc[f["relation"].isin(["identical", "modified"]), "a_article"].astype(int))
    eight = f[f["b_article"] == 8]   # draft 41 (边界区域) became final 8, moved to the front
    assert 41 in set(eight["a_article"].astype(int)) and eight["moved"].any()
    assert 0.4 < s.attrs["reused_a"] < 1 and 0.4 < s.attrs["reused_b"] < 1


def test_a_split_piece_may_also_be_the_whole_of_a_merge(corpus):
    """湖北 第三十条 (minors) was split: its school-bullying half went into 鄂尔多斯 第二十一条, the school-safety
    article, which also carries 湖北 第三十一条 (校园安全): 30 → 21, 22 and 30, 31 → 21, all strong by reading
    (tests/gold/ALIGN.md)."""
    pred = pc.align(corpus["hubei_pingan_2024"], corpus["ordos_pingan_2024"])
    assert {(30, 21), (30, 22), (31, 21)} <= _links(pred, strong_only=True)


# -- constructed cases --------------------------------------------------------------------------
BASE = {
    "purpose": "为了加强平安建设，维护社会和谐稳定，根据有关法律、法规，结合本市实际，制定本条例。",
    "scope": "本市行政区域内的平安建设及其监督管理活动，适用本条例。",
    "school": "教育、公安、市场监督管理等部门应当建立健全校园安全防范机制，督促学校落实护校安园制度，预防和处置校园欺凌。",
    "delivery": "邮政管理部门应当督促寄递企业落实收寄验视、实名收寄和过机安检制度，寄件人拒绝验视的，寄递企业不得收寄。",
    "fraud": "公安机关应当会同通信管理、金融监督管理部门建立打击治理电信网络诈骗工作机制，及时劝阻和拦截涉诈资金。",
    "grid": "县（市、区）人民政府应当推进网格化服务管理，合理划分网格，配备专职网格员，明确网格员的工作职责。",
    "effective": "本条例自2024年1月1日起施行。",
}


def _reg(name: str, articles: list[str], jurisdiction: str) -> pc.Regulation:
    body = "\n".join(f"第{pc.numerals.to_chinese(k)}条　{t}" for k, t in enumerate(articles, start=1))
    reg = pc.parse_text(f"{jurisdiction}平安建设条例\n{body}\n")
    reg.doc_id = name
    return reg


def test_identical_regulations_align_one_to_one():
    arts = list(BASE.values())
    df = pc.align(_reg("a", arts, "湘潭市"), _reg("b", arts, "湘潭市"))
    assert list(df["relation"]) == ["identical"] * len(arts)
    assert list(df["method"]) == ["exact"] * len(arts)
    assert list(df["a_article"]) == list(df["b_article"]) == list(range(1, len(arts) + 1))
    assert not df["moved"].any()


def test_jurisdiction_wording_is_neutralised():
    a = [BASE["purpose"], BASE["grid"].replace("县（市、区）", "湘潭市、县（市、区）"), BASE["effective"]]
    b = [BASE["purpose"].replace("本市", "本自治区"), BASE["grid"].replace("县（市、区）", "鄂尔多斯市、旗区"),
         BASE["effective"]]
    df = pc.align(_reg("a", a, "湘潭市"), _reg("b", b, "鄂尔多斯市"))
    assert list(df["relation"]) == ["identical"] * 3
    assert neutralize("平安湖北建设") == neutralize("平安鄂尔多斯建设")


def test_moved_article_is_found_and_flagged():
    keys = list(BASE)
    a = [BASE[k] for k in keys]
    order = ["purpose", "scope", "delivery", "fraud", "grid", "school", "effective"]
    b = [BASE[k] for k in order]
    df = pc.align(_reg("a", a, "湘潭市"), _reg("b", b, "湘潭市"))
    pairs = _links(df, strong_only=True)
    assert pairs == {(keys.index(k) + 1, order.index(k) + 1) for k in keys}
    assert df.loc[df["moved"], "a_article"].tolist() == [keys.index("school") + 1]


def test_reworded_provision_with_reordered_departments_aligns():
    a = [BASE["purpose"], BASE["school"], BASE["effective"]]
    b = [BASE["purpose"],
         "公安、教育、市场监管等有关部门应当健全校园安全防范机制，指导和督促学校、幼儿园落实护校安园制度，预防、处置学生欺凌。",
         "本条例自2023年5月1日起施行。"]
    df = pc.align(_reg("a", a, "湘潭市"), _reg("b", b, "鄂尔多斯市"))
    row = df[df["a_article"] == 2].iloc[0]
    assert row["b_article"] == 2 and row["relation"] == "modified"
    assert df.loc[df["a_article"] == 3, "relation"].iloc[0] in ("modified", "identical")


def test_boilerplate_alone_does_not_link(corpus):
    """Two articles in the same place that share only the formula 县级以上人民政府应当加强…工作，
    建立健全…，配备… must not be linked, inside real regulations (whose other articles tell the
    scorer which words are boilerplate)."""
    fire = "县级以上人民政府应当加强森林防火工作，建立健全森林防火责任制度，配备必要的扑火设施和装备。"
    mind = "县级以上人民政府应当加强心理健康服务工作，建立健全社会心理服务体系，配备专业心理咨询人员。"
    def with_article(doc_id, extra):
        reg = corpus[doc_id]
        arts = [a.text for a in reg.articles]
        return _reg(doc_id, arts[:-1] + [extra, arts[-1]], reg.jurisdiction)
    a, b = with_article("hubei_pingan_2024", fire), with_article("ordos_pingan_2024", mind)
    df = pc.align(a, b)
    na, nb = len(a.articles) - 1, len(b.articles) - 1
    assert df.loc[df["a_article"] == na, "b_article"].isna().all()
    assert df.loc[df["b_article"] == nb, "a_article"].isna().all()


def test_split_and_merge_give_several_rows():
    whole = BASE["delivery"] + "\n" + BASE["fraud"]
    a = [BASE["purpose"], whole, BASE["grid"], BASE["effective"]]
    b = [BASE["purpose"], BASE["delivery"], BASE["fraud"], BASE["grid"], BASE["effective"]]
    df = pc.align(_reg("a", a, "湘潭市"), _reg("b", b, "湘潭市"))
    split = df[df["relation"] == "split"]
    assert set(split["a_article"]) == {2} and set(split["b_article"]) == {2, 3}
    back = pc.align(_reg("b", b, "湘潭市"), _reg("a", a, "湘潭市"))
    merged = back[back["relation"] == "merged"]
    assert set(merged["a_article"]) == {2, 3} and set(merged["b_article"]) == {2}


def test_deleted_and_added_rows_have_na_on_the_other_side():
    a = [BASE["purpose"], BASE["school"], BASE["delivery"], BASE["effective"]]
    b = [BASE["purpose"], BASE["delivery"], BASE["fraud"], BASE["effective"]]
    df = pc.align(_reg("a", a, "湘潭市"), _reg("b", b, "湘潭市"))
    deleted = df[df["relation"] == "deleted"]
    added = df[df["relation"] == "added"]
    assert deleted["a_article"].tolist() == [2] and deleted["b_article"].isna().all()
    assert added["b_article"].tolist() == [3] and added["a_article"].isna().all()
    assert df["a_article"].dtype == "Int64" and df["b_article"].dtype == "Int64"


# -- below the article ----------------------------------------------------------------------------
def test_word_diff_reads_as_words():
    a = "公安、交通运输、邮政主管部门应当加强对寄递企业落实过机安检工作的监督。"
    b = "邮政管理、公安主管部门应当加强对寄递企业落实安全检查工作的监督。"
    ops = word_diff(a, b)
    assert ("delete", "过机安检") in ops and ("insert", "安全检查") in ops
    assert "".join(t for g, t in ops if g != "insert") == a
    assert "".join(t for g, t in ops if g != "delete") == b


@given(st.text(alphabet="公安机关应当加强监督管理，。部门可以不得", max_size=60),
       st.text(alphabet="公安机关应当加强监督管理，。部门可以不得", max_size=60))
def test_word_diff_rebuilds_both_texts(a, b):
    ops = word_diff(a, b)
    assert "".join(t for g, t in ops if g != "insert") == a
    assert "".join(t for g, t in ops if g != "delete") == b
    assert all(t for _, t in ops)


def test_units_match_items_and_report_added_items():
    a = _reg("a", ["县级以上人民政府应当履行下列职责：\n（一）组织开展矛盾纠纷排查；\n（二）建立社会风险评估机制。"], "湘潭市")
    b = _reg("b", ["县级以上人民政府应当履行下列职责：\n（一）建立社会风险评估机制；\n（二）组织开展矛盾纠纷排查化解；"
                   "\n（三）推进网格化服务管理。"], "湘潭市")
    u = pc.align_units(a.articles[0], b.articles[0])
    pairs = {(r.a_item, r.b_item, r.relation) for r in u.itertuples()}
    assert (1, 2, "modified") in pairs      # 排查 → 排查化解, moved to item 2
    assert (2, 1, "identical") in pairs     # only the closing punctuation differs
    added = u[u["relation"] == "added"]
    assert added["b_item"].tolist() == [3] and added["a_item"].isna().all()


# -- ClauseDiff ------------------------------------------------------------------------------------
def test_compare_frame_and_summary_agree(corpus):
    cd = pc.compare(corpus["hubei_pingan_2024"], corpus["ordos_pingan_2024"])
    f = cd.frame
    assert list(f.columns[:4]) == ["a_article", "a_label", "a_heading", "a_text"]
    s = cd.summary()
    assert s["links"].sum() == len(f)
    for row in f.itertuples():
        if row.relation != "added":
            assert "".join(t for g, t in row.ops if g != "insert") == row.a_text
        if row.relation != "deleted":
            assert "".join(t for g, t in row.ops if g != "delete") == row.b_text
    assert set(f.loc[f["relation"] == "added", "note"]) == {"新增"}
    assert f.loc[f["relation"] == "split", "note"].str.startswith("拆分为").all()
    # every article of both sides is on some row
    assert set(f["a_article"].dropna()) == {a.number for a in corpus["hubei_pingan_2024"].articles}
    assert set(f["b_article"].dropna()) == {a.number for a in corpus["ordos_pingan_2024"].articles}


# -- many documents ---------------------------------------------------------------------------------
def test_similarity_matrix(corpus):
    sim = corpus.similarity()
    assert sim.shape == (len(corpus), len(corpus))
    assert np.allclose(np.diag(sim.to_numpy()), 1.0)
    assert ((sim.to_numpy() >= 0) & (sim.to_numpy() <= 1)).all()
    names = list(sim.index)
    hubei, ordos = names.index("湖北省"), names.index("鄂尔多斯市")
    community_rules = [k for k, r in enumerate(corpus) if r.doc_id.startswith("shequ_zhidu")]
    # two 平安建设条例 share far more than a 条例 and a short community rule
    assert sim.iat[hubei, ordos] > 0.25
    assert all(sim.iat[hubei, k] < 0.1 for k in community_rules)


def test_provision_families_hold_one_article_per_document(corpus):
    fam = corpus.families()
    assert len(fam) and fam["label"].str.len().min() > 0
    dup = fam.groupby("family")["doc_id"].agg(lambda s: s.duplicated().any())
    assert not dup.any()
    effective = fam[fam["text"].str.contains("起施行") & (fam["text"].str.len() < 40)]
    assert effective["family"].nunique() == 1  # every 自…起施行 article in one family


def test_compare_many_coverage(corpus):
    cov = pc.compare_many(corpus, reference="hubei_pingan_2024")
    hubei = corpus["hubei_pingan_2024"]
    assert len(cov.frame) == len(hubei.articles)
    assert "鄂尔多斯市" in cov.frame.columns and "湖北省" not in cov.frame.columns
    first = cov.frame.loc["第一条", "鄂尔多斯市"]
    assert first.startswith("第一条 (")
    assert cov.scores.notna().sum().sum() == (cov.frame != "").sum().sum()
    with pytest.raises(KeyError):
        pc.compare_many(corpus, reference="no_such_doc")


def test_real_comparison_round_trips_through_excel_and_word(corpus, tmp_path):
    import docx
    import openpyxl

    cd = pc.compare(corpus["xiangtan_pingan_draft"], corpus["xiangtan_pingan_2022"])
    cd.to_excel(tmp_path / "d.xlsx")
    cd.to_docx(tmp_path / "d.docx")
    cd.to_html(tmp_path / "d.html")
    ws = openpyxl.load_workbook(tmp_path / "d.xlsx").worksheets[0]
    body = [r for r in ws.iter_rows(min_row=2, values_only=True) if any(r)]
    assert len(body) == len(cd.frame)
    deleted_texts = cd.frame.loc[cd.frame["relation"] == "deleted", "a_text"]
    cells = {str(c) for r in body for c in r if c}
    assert all(any(t[:20] in c for c in cells) for t in deleted_texts)
    doc = docx.Document(tmp_path / "d.docx")
    table = doc.tables[0]
    assert len(table.columns) == 3
    text = "\n".join(c.text for row in table.rows for c in row.cells)
    for t in cd.frame["b_text"]:
        assert t.split("\n")[0][:25] in text
    page = (tmp_path / "d.html").read_text(encoding="utf-8")
    assert "第四十二条" in page and "<script>alert" not in page


def test_compiled_segmenter_cuts_the_words_jieba_cuts():
    """rjieba (jieba-rs) is the fast backend; pure-Python jieba the reference: the same words on every
    article of the bundled corpus and, when it is there, of the 73 real regulations."""
    from pingan_corpus.align.prepare import Segmenter, neutralize

    fast, ref = Segmenter(compiled=True), Segmenter(compiled=False)
    assert fast.compiled and not ref.compiled
    paths = sorted(RAW.glob("*.txt"))
    shared = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    paths += sorted(p for p in shared.glob("*.md") if p.name != "README.md")
    texts = [neutralize(a.text) for p in paths for r in pc.parse_file(p) for a in r.articles]
    assert len(texts) > 500
    for t in texts:
        assert fast.lcut(t) == ref.lcut(t), t[:60]
        assert fast.lcut(t, HMM=False) == ref.lcut(t, HMM=False), t[:60]


# -- paragraphs (款) --------------------------------------------------------------------------------------
MOVE_A = """某市社区治理条例
第一条 为了加强社区治理，维护社区和谐稳定，根据有关法律、法规，结合本市实际，制定本条例。
第二条 市、区人民政府应当将社区治理纳入国民经济和社会发展规划，所需经费列入本级财政预算。
第三条 街道办事处应当指导居民委员会开展社区矛盾纠纷排查化解工作，建立健全纠纷调解机制。
居民委员会应当建立社区网格，配备专职网格员，定期走访辖区住户，及时发现和报告安全隐患。
第四条 公安机关应当加强社区警务室建设，推动警力下沉，开展治安巡逻和防范宣传。
第五条 本条例自2024年1月1日起施行。"""
MOVE_B = """某县社区治理条例
第一条 为了加强社区治理，维护社区和谐稳定，根据有关法律、法规，结合本县实际，制定本条例。
第二条 县人民政府应当将社区治理纳入国民经济和社会发展规划，所需经费列入本级财政预算。
第三条 街道办事处应当指导居民委员会开展社区矛盾纠纷排查化解工作，建立健全纠纷调解机制。
第四条 公安机关应当加强社区警务室建设，推动警力下沉，开展治安巡逻和防范宣传。
居民委员会应当建立社区网格，配备专职网格员，定期走访辖区住户，及时发现和报告安全隐患。
第五条 本条例自2024年1月1日起施行。"""


def test_a_paragraph_moved_to_another_article_is_reported_as_moved():
    """Article 3's second paragraph became article 4's second paragraph: the article links stay 3→3
    and 4→4, and the paragraph level says the paragraph moved."""
    a, b = pc.parse_text(MOVE_A), pc.parse_text(MOVE_B)
    arts = pc.align(a, b)
    linked = {(int(x), int(y)) for x, y in zip(arts.a_article, arts.b_article) if pd.notna(x) and pd.notna(y)}
    assert {(1, 1), (2, 2), (3, 3), (4, 4), (5, 5)} <= linked
    paras = pc.align(a, b, level="paragraph")
    assert list(paras.columns[:4]) == ["a_article", "a_paragraph", "b_article", "b_paragraph"]
    moved = paras[paras["moved"]]
    assert [(r.a_article, r.a_paragraph, r.b_article, r.b_paragraph) for r in moved.itertuples()] == [(3, 2, 4, 2)]
    assert moved["relation"].iloc[0] == "identical"
    kept = paras[~paras["moved"] & paras["a_article"].notna() & paras["b_article"].notna()]
    assert len(kept) == 5 and (kept["a_article"] == kept["b_article"]).all()  # 1, 2, 3 (first 款), 4 (first 款), 5
    # the 条文对照表 says so on both rows, and keeps the paragraph table
    cd = pc.compare(a, b)
    notes = dict(zip(zip(cd.frame.a_article, cd.frame.b_article), cd.frame.note))
    assert "第二款移至第四条第二款" in notes[(3, 3)]
    assert "第二款来自第三条第二款" in notes[(4, 4)]
    assert cd.paragraphs is not None and cd.paragraphs["moved"].sum() == 1
    with pytest.raises(pc.ArgumentError):
        pc.align(a, b, level="sentence")


def test_paragraph_alignment_of_the_xiangtan_draft_and_final():
    """Read in the texts: draft 47's third paragraph (公安、民政、人社、卫生健康等部门保障平安建设参与者
    和见义勇为群众的合法权益) is the second paragraph of final 39, and its first (普及平安建设知识和宣传
    典型案例，营造…良好氛围) the first of final 44. At article level draft 47 → final 44 is linked (it lies
    between the same provisions of both texts: tests/gold/ALIGN.md has it strong), so only the third
    paragraph moved."""
    corpus = pc.load_corpus(RAW)
    d, f = corpus["xiangtan_pingan_draft"], corpus["xiangtan_pingan_2022"]
    paras = pc.align(d, f, level="paragraph")
    row = paras[(paras.a_article == 47) & (paras.a_paragraph == 3)]
    assert (row.b_article.iloc[0], row.b_paragraph.iloc[0], bool(row.moved.iloc[0])) == (39, 2, True)
    row = paras[(paras.a_article == 47) & (paras.a_paragraph == 1)]
    assert (row.b_article.iloc[0], row.b_paragraph.iloc[0], bool(row.moved.iloc[0])) == (44, 1, False)


def test_a_sentence_of_a_long_paragraph_is_a_unit_of_its_own():
    """One sentence of an omnibus paragraph may be all another text keeps of a whole article: a long
    paragraph's sentences are units alignment compares, a short one's are not."""
    from pingan_corpus.align.prepare import prepare
    from pingan_corpus.align.thresholds import SENTENCES_FROM
    long_para = ("专职消防队的建设、验收和管理，按照国家和省有关规定执行。志愿消防队应当配备必要的消防器材装备，"
                 "定期进行灭火训练，掌握防火、灭火知识和消防器材使用方法，增强火灾扑救的能力。")
    assert len(long_para) >= SENTENCES_FROM
    reg = pc.parse_text(f"第一条 各级人民政府应当加强专职消防队建设。\n{long_para}\n第二条 单位应当履行消防安全职责。")
    units = [u[0] for u in prepare(reg).units[0]]
    assert "志愿消防队应当配备必要的消防器材装备定期进行灭火训练掌握防火灭火知识和消防器材使用方法增强火灾扑救的能力" in units
    assert "各级人民政府应当加强专职消防队建设" in units  # the first paragraph, not cut further
    assert len(units) == 4


LIABILITY_A = """某市司法鉴定管理条例
第一章 总则
第一条 为了规范司法鉴定活动，保障诉讼活动顺利进行，根据有关法律、行政法规，结合本市实际，制定本条例。
第二章 鉴定活动
第二条 司法鉴定机构、司法鉴定人从事司法鉴定业务，不得有下列行为：（一）超出登记的业务范围开展司法鉴定活动；（二）未依法办理变更登记；（三）涂改、出租、出借司法鉴定许可证；（四）支付回扣、介绍费，进行虚假宣传；（五）违反司法鉴定程序规定和技术规范。
第三章 法律责任
第三条 司法鉴定机构、司法鉴定人违反本条例第二条规定的，由司法行政部门给予警告，责令限期改正；情节严重的，撤销登记。
第四章 附则
第四条 本条例自公布之日起施行。
"""
LIABILITY_B = """某省司法鉴定管理条例
第一章 总则
第一条 为了加强司法鉴定管理，规范司法鉴定活动，根据有关法律、行政法规，结合本省实际，制定本条例。
第二章 鉴定活动
第二条 司法鉴定机构和司法鉴定人执业，不得有下列行为：（一）超越登记的执业类别从事鉴定；（二）登记事项变更后未依法办理；（三）转让、借用执业证书；（四）以不正当手段招揽业务；（五）违反鉴定程序。
第三章 法律责任
第三条 司法鉴定机构有下列情形之一的，由司法行政部门给予警告，并责令改正：（一）超出登记的业务范围从事司法鉴定业务的；（二）未依法办理变更登记手续的；（三）涂改、出租、出借司法鉴定许可证的；（四）支付回扣、介绍费，进行虚假宣传的；（五）违反司法鉴定程序规定和技术规范的。
第四章 附则
第四条 本条例自公布之日起施行。
"""


def test_liability_of_each_article():
    """Inside the 法律责任 chapter 1, outside it 0, a penalty written elsewhere not known; a
    regulation without such a chapter tells nothing."""
    from pingan_corpus.align.prepare import liability
    a = pc.parse_text(LIABILITY_A.replace("第四条 本条例", "第四条 违反本条例规定的，依法给予处分。\n第五条 本条例"))
    got = liability(a)
    assert list(got[:3]) == [0.0, 0.0, 1.0] and np.isnan(got[3]) and got[4] == 0.0 and len(got) == 5
    assert liability(_reg("x", list(BASE.values()), "湘潭市")) is None
    # older texts put rewards and penalties in one chapter (河南省信访条例: 第六章 奖励与处罚): there an
    # article that sanctions is a penalty, a reward is neither
    mixed = pc.parse_text(LIABILITY_A.replace("第三章 法律责任", "第三章 奖励与处罚").replace(
        "第三条 司法鉴定机构", "第三条 对在司法鉴定工作中成绩显著的单位和个人，给予表彰和奖励。\n第四条 司法鉴定机构")
        .replace("第四条 本条例", "第五条 本条例"))
    got = liability(mixed)
    assert list(got[:2]) == [0.0, 0.0] and np.isnan(got[2]) and got[3] == 1.0 and got[4] == 0.0


def test_a_duty_is_not_linked_to_the_penalty_that_repeats_its_list():
    """A penalty (法律责任) lists the acts it sanctions in the words of the duty that forbids them, and
    scores higher against that duty than its reworded counterpart does: a 条文对照表 puts duty with
    duty and penalty with penalty. Without the liability factor the duty merges into the penalty
    and B's duty is left unmatched."""
    from pingan_corpus.align import scores
    a, b = pc.parse_text(LIABILITY_A), pc.parse_text(LIABILITY_B)
    assert _links(pc.align(a, b), strong_only=True) == {(1, 1), (2, 2), (3, 3), (4, 4)}
    apart = scores.LIABILITY_APART
    try:
        scores.LIABILITY_APART = 1.0
        assert (2, 3) in _links(pc.align(a, b), strong_only=True)
    finally:
        scores.LIABILITY_APART = apart


def test_an_article_kept_as_one_sentence_of_a_paragraph_is_linked():
    """重庆市消防条例 (2013) 第十八条 (其他单位可以建立志愿消防队；志愿消防队应当配备必要的器材，组织消防演练)
    is, in 广东省实施《消防法》办法 (2022), the second sentence of 第二十七条's third paragraph (志愿消防队应当
    配备必要的消防器材装备，定期进行灭火训练…): tests/gold/align_chongqing_guangdong_xiaofang.csv has it strong."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} not found: this test reads two real regulations")
    a, b = (pc.parse_file(SHARED / f"{d}.md")[0]
            for d in ("chongqing_xiaofang_tiaoli_2013", "guangdong_shishi_xiaofangfa_banfa_2022"))
    pred = pc.align(a, b)
    assert (18, 27) in _links(pred, strong_only=True)


def test_a_weak_link_corroborated_by_rank_and_place_is_the_same_provision():
    """重庆市消防条例 (2013) 第十一条 (schools, media and 工会、共青团… teach fire safety) and 广东省实施《消防法》办法
    (2022) 第五条 (governments, 社会团体 and units organise fire-safety education) are each other's best
    counterpart, reworded below the floors, and the next articles of both texts are linked (12 → 6): the
    same provision at the same place (tests/gold/align_chongqing_guangdong_xiaofang.csv has it strong, and
    第二十六条 → 第十条, 施工现场, beside 27 → 11)."""
    a, b = _real_pair("chongqing_xiaofang_tiaoli_2013", "guangdong_shishi_xiaofangfa_banfa_2022")
    pred = pc.align(a, b)
    assert {(11, 5), (26, 10)} <= _links(pred, strong_only=True)
    assert set(pred.loc[(pred.a_article == 11) & (pred.b_article == 5), "method"]) == {"mutual-best"}


def _real_pair(a_doc: str, b_doc: str) -> tuple[pc.Regulation, pc.Regulation]:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} not found: this test reads two real regulations")
    return tuple(pc.parse_file(SHARED / f"{d}.md")[0] for d in (a_doc, b_doc))


def test_a_clause_found_in_another_articles_list_is_no_link():
    """湖州市物业管理条例 第三十条 (物业服务人应当按照合同履行义务；不得泄露业主资料…) shares one clause with item
    (八) of 台州市物业管理条例 第二十一条, the list of what 业主委员会 must not do: a passing mention inside a list,
    no link (tests/gold/ALIGN.md). 河南省信访条例 第二十九条 (the recusal rule, the whole article) is item (六) of
    北京市信访条例 第二十二条: that is a link (both read in the texts; the gold files say the same)."""
    a, b = _real_pair("huzhou_wuyeguanli_tiaoli_2021", "taizhou_wuyeguanli_tiaoli_2021")
    assert (30, 21) not in _links(pc.align(a, b), strong_only=True)
    a, b = _real_pair("henan_xinfang_tiaoli_2012", "beijing_xinfang_tiaoli_2006")
    assert (29, 22) in _links(pc.align(a, b), strong_only=True)


def test_a_generic_article_is_no_piece_of_a_merge():
    """湖州 第十一条 (业主享有法律、法规规定的权利，并应当履行…义务) says nothing 台州 第四十六条 (分类投放生活垃圾)
    regulates; sharing one topic word (业主), it is no piece of that article's merge with 湖州 第四十二条."""
    a, b = _real_pair("huzhou_wuyeguanli_tiaoli_2021", "taizhou_wuyeguanli_tiaoli_2021")
    links = _links(pc.align(a, b), strong_only=False)
    assert (11, 46) not in links and (42, 46) in links
