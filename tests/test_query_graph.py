"""mandates / search queries and the duty graph (constructed regulations and the seed corpus)."""
from __future__ import annotations

import matplotlib
import networkx as nx
import pandas as pd
import pytest

import pingan_corpus as pc
from pingan_corpus.duties.graph import write_gexf, write_graphml
from pingan_corpus.duties.query import concepts
from pingan_corpus.present.plots import draw_duty_graph

matplotlib.use("Agg")

DOC_A = """第一条 快递企业应当对寄件人身份进行核查，实行实名收寄。
第二条 邮政管理部门应当加强对寄递企业的监督检查。
第三条 学校应当建立校园欺凌防控制度。
第四条 鼓励社会组织参与校园欺凌防治工作。
第五条 公安机关可以会同教育部门开展校园霸凌专项整治。
第六条 任何单位和个人不得参与非法集资。"""

DOC_B = """第一条 公安机关应当会同司法行政、民政等部门加强社区矫正对象的服务管理。
第二条 网格管理员应当及时报告安全隐患。
第三条 市人民政府建立平安指数公开发布制度。"""


@pytest.fixture(scope="module")
def small():
    a = pc.parse_text(DOC_A)
    a.doc_id, a.jurisdiction, a.title = "a", "甲市", "甲市平安建设条例"
    b = pc.parse_text(DOC_B)
    b.doc_id, b.jurisdiction, b.title = "b", "乙省", "乙省平安建设条例"
    return pc.Corpus([a, b])


@pytest.fixture(scope="module")
def corpus():
    return pc.load_corpus("data/raw")


def pairs(df: pd.DataFrame) -> set[tuple[str, int]]:
    return set(zip(df["doc_id"], df["article_no"]))


# -- query -------------------------------------------------------------------------------------------
def test_concepts_split_the_query_into_synonym_terms():
    cs = concepts("寄递实名")
    assert [c.word for c in cs] == ["寄递", "实名"]
    assert "快递" in cs[0].variants and "身份核查" in cs[1].variants


def test_mandates_columns_and_synonym_match(small):
    df = pc.mandates(small, "寄递实名")
    for col in ("doc_id", "title", "jurisdiction", "article_no", "actor", "modality", "action", "text",
                "matched_terms", "matched_in", "cue", "score"):
        assert col in df.columns
    # 快递 ~ 寄递 and 实名/身份核查 ~ 实名; article 2 speaks of 寄递 only: every concept is required
    assert pairs(df) == {("a", 1)}
    assert df["actor"].iloc[0] == "寄递物流企业"
    assert "实名" in df["matched_terms"].iloc[0] and {"快递", "收寄", "寄件"} & set(df["matched_terms"].iloc[0])
    assert df["matched_in"].iloc[0] == "action" and df["cue"].iloc[0] == "应当"
    assert df["title"].iloc[0] == "甲市平安建设条例"


def test_words_close_together_rank_first_but_scattered_ones_still_match():
    far = pc.parse_text("第一条 学校应当加强校园周边治安管理，建立健全学生心理辅导、家校沟通和矛盾化解等制度，预防欺凌。")
    near = pc.parse_text("第一条 学校应当建立校园欺凌防控制度。")
    far.doc_id, near.doc_id = "far", "near"
    for df in (pc.mandates([far, near], "校园 欺凌"), pc.search([far, near], "校园 欺凌")):
        assert df["doc_id"].tolist() == ["near", "far"]
        assert df["score"].iloc[0] > df["score"].iloc[1]


def test_mandates_modality_filter(small):
    assert pairs(pc.mandates(small, "校园欺凌")) == {("a", 3)}
    everything = pc.mandates(small, "校园欺凌", modality=None)
    assert pairs(everything) == {("a", 3), ("a", 4), ("a", 5)}  # 校园霸凌 ~ 校园欺凌
    assert set(everything["modality"]) == {"shall", "encourage", "may"}
    assert pairs(pc.mandates(small, "校园欺凌", modality="encourage")) == {("a", 4)}
    assert pc.mandates(small, "非法集资")["modality"].tolist() == ["prohibit"]


def test_mandates_ranked_mandatory_first(small):
    df = pc.mandates(small, "校园欺凌", modality=None)
    assert df["score"].is_monotonic_decreasing
    assert df["modality"].iloc[0] == "shall"


def test_mandates_lists_collaborators(small):
    df = pc.mandates(small, "社区矫正")
    assert df["actor"].tolist() == ["公安机关"]
    assert df["collaborators"].iloc[0] == "司法行政部门、民政部门"


def test_mandates_synonym_of_actor_words(small):
    assert pairs(pc.mandates(small, "网格员")) == {("b", 2)}  # 网格管理员 ~ 网格员


def test_no_false_hit_for_an_unrelated_query(small, corpus):
    assert pc.mandates(small, "核电站辐射防护").empty
    assert pc.mandates(corpus, "核电站辐射防护").empty
    assert pc.search(corpus, "核电站辐射防护").empty
    assert pc.mandates(corpus, "").empty


def test_seed_school_bullying(corpus):
    # read in every document: only these three articles speak of 欺凌
    assert pairs(pc.mandates(corpus, "校园欺凌")) == {("ordos_pingan_2024", 21), ("hubei_pingan_2024", 30),
                                                    ("xizang_pingan_2022", 57)}


def test_seed_postal_real_name(corpus):
    got = pairs(pc.mandates(corpus, "寄递实名"))
    expected = {("ordos_pingan_2024", 30), ("xiangtan_pingan_2022", 21), ("xiangtan_pingan_draft", 21),
                ("changsha_pingan_draft", 27), ("xizang_pingan_2022", 48), ("xinjiang_pingan_draft", 22),
                ("hohhot_shehui_zhili_2022", 27)}
    assert got == expected
    assert ("xinjiang_pingan_draft", 23) not in got  # 实名登记 of telecom and hotels, no 寄递


def test_seed_drug_control_through_synonyms(corpus):
    # 禁毒 is never written as such: 社区戒毒 / 吸毒人员 / 涉毒人员 provisions are what a user wants
    got = pairs(pc.mandates(corpus, "禁毒"))
    assert {("hubei_pingan_2024", 28), ("ordos_pingan_2024", 20)} <= got
    texts = pc.mandates(corpus, "禁毒")["text"]
    # (precursor chemicals, 易制毒化学品, are drug control too: 禁毒法 chapter 3)
    assert texts.str.contains("戒毒|吸毒|涉毒|毒品|制毒").all()


def test_seed_mixed_strengths(corpus):
    df = pc.mandates(corpus, "平安指数", modality=None)
    assert {"shall", "may"} <= set(df["modality"])
    assert ("hohhot_shehui_zhili_2022", 20) in pairs(df)


def test_search_over_article_text(small, corpus):
    df = pc.search(small, "平安指数")
    assert list(df.columns) == ["doc_id", "title", "jurisdiction", "article_no", "heading", "score", "matched_terms",
                                "text"]
    assert pairs(df) == {("b", 3)}
    df = pc.search(corpus, "非法集资")
    assert len(df) >= 6 and df["score"].is_monotonic_decreasing
    top = set(zip(df["doc_id"].head(3), df["article_no"].head(3)))
    assert ("ordos_pingan_2024", 29) in top  # an article all about it ranks high


# -- graph -------------------------------------------------------------------------------------------
def test_graph_nodes_and_edges(small):
    G = pc.duty_graph(small)
    assert isinstance(G, nx.MultiDiGraph)
    a = G.nodes["actor:公安机关"]
    assert a["kind"] == "actor" and a["category"] == "department"
    duty = [v for _, v, k in G.out_edges("actor:公安机关", keys=True) if k == "bears"]
    assert duty and all(v.startswith(("duty:b:", "duty:a:")) for v in duty)
    d = G.nodes["duty:b:1:1"]
    assert d["kind"] == "obligation" and d["doc_id"] == "b" and d["jurisdiction"] == "乙省"
    assert d["article_no"] == 1 and d["modality"] == "shall" and d["action"].startswith("会同司法行政")
    assert G.has_edge("actor:司法行政部门", "duty:b:1:1", key="collaborates")
    assert G.edges["actor:公安机关", "duty:b:1:1", "bears"]["relation"] == "bears"


def test_graph_filters(small, corpus):
    G = pc.duty_graph(small, actor="学校")
    assert {n for n, d in G.nodes(data=True) if d["kind"] == "actor"} == {"actor:学校"}
    G = pc.duty_graph(small, topic="校园欺凌")
    duties = {n for n, d in G.nodes(data=True) if d["kind"] == "obligation"}
    assert duties == {"duty:a:3:1", "duty:a:4:1", "duty:a:5:1"}
    G = pc.duty_graph(corpus, actor="公安机关")
    juris = {d["jurisdiction"] for _, d in G.nodes(data=True) if d["kind"] == "obligation"}
    assert {"湖北省", "鄂尔多斯市", "西藏自治区", "呼和浩特市"} <= juris


def test_graphml_round_trip(small, tmp_path):
    G = pc.duty_graph(small)
    G.nodes["duty:a:1:1"]["text"] += "\x0b"  # a character XML cannot hold
    path = tmp_path / "duties.graphml"
    write_graphml(G, path)
    H = nx.read_graphml(path, force_multigraph=True)
    assert H.number_of_nodes() == G.number_of_nodes() and H.number_of_edges() == G.number_of_edges()
    assert H.nodes["duty:b:1:1"]["modality"] == "shall"
    assert int(H.nodes["duty:b:1:1"]["article_no"]) == 1
    assert "\x0b" not in H.nodes["duty:a:1:1"]["text"]
    write_gexf(G, tmp_path / "duties.gexf")
    assert nx.read_gexf(tmp_path / "duties.gexf").number_of_nodes() == G.number_of_nodes()


def test_actor_profile(corpus):
    df = pc.actor_profile(corpus, "公安机关")
    assert list(df.columns) == ["jurisdiction", "doc_ids", "obligations", "shall", "may", "encourage", "prohibit",
                                "collaborations", "actions"]
    assert df["jurisdiction"].is_unique and len(df) >= 7
    row = df.set_index("jurisdiction").loc["鄂尔多斯市"]
    assert row["obligations"] == row["shall"] + row["may"] + row["encourage"] + row["prohibit"]
    assert any("校园欺凌" in a for a in row["actions"])
    assert pc.actor_profile(corpus, "不存在的机关").empty


def test_draw(corpus):
    G = pc.duty_graph(corpus)
    ax = draw_duty_graph(G, actor="公安机关", max_obligations=12)
    texts = [t.get_text() for t in ax.texts]
    assert "公安机关" in texts
    assert sum(1 for t in texts if "第" in t and "条" in t) == 12
    assert "12 of" in ax.get_title()
    matplotlib.pyplot.close("all")


# -- concepts on law never seen ---------------------------------------------------------------------
def _reg(doc_id: str, body: str, title: str = "某市某条例") -> pc.Regulation:
    r = pc.parse_text(body)
    r.doc_id, r.title = doc_id, title
    return r


def test_concepts_are_informative_units_never_single_characters_or_frame_words():
    assert [c.word for c in concepts("人民调解员")] == ["人民调解员"]  # not 人民 + 调解 + 员
    assert [c.word for c in concepts("社会心理服务体系")] == ["社会心理服务"]  # 体系 frames it
    assert [c.word for c in concepts("综治中心建设")] == ["综治中心"]  # 建设 frames it, and is no 建设部门
    assert [c.word for c in concepts("见义勇为人员奖励")] == ["见义勇为人员", "奖励"]
    # a term holding an actor's name is the longer unit: 家庭暴力, not the actor 家庭 + 暴力
    assert [(c.word, c.actor) for c in concepts("家庭暴力")] == [("家庭暴力", False)]
    # a run of words the texts use as one string is one concept (人民调解, not 人民 + 调解)
    regs = [_reg("a", "第一条 人民调解委员会应当及时调解民间纠纷。\n第二条 人民调解工作应当依法进行。")]
    assert [c.word for c in concepts("人民调解", regs)] == ["人民调解"]


def test_a_narrow_label_does_not_match_the_whole_field():
    field = _reg("field", "第一条 市人民政府应当建立矛盾纠纷多元化解工作机制。")
    narrow = _reg("narrow", "第一条 人民法院应当会同司法行政部门建立诉调对接机制。")
    assert pairs(pc.mandates([field, narrow], "诉调对接")) == {("narrow", 1)}
    # the field finds its parts: a query on 多元化解 finds the 诉调对接 provision too
    assert pairs(pc.mandates([field, narrow], "矛盾纠纷多元化解")) == {("field", 1), ("narrow", 1)}
    drug = _reg("drug", "第一条 公安机关应当加强禁毒宣传。\n第二条 司法行政部门应当做好社区戒毒工作。")
    assert pairs(pc.mandates(drug, "禁毒")) == {("drug", 1), ("drug", 2)}
    assert pairs(pc.mandates(drug, "戒毒")) == {("drug", 2)}


def test_the_concept_in_other_words_and_other_eras():
    old = _reg("old", "第一条 公安机关应当做好暂住人口的登记工作。\n第二条 各单位应当落实综治责任制。",
               "某市暂住人口管理规定")
    assert ("old", 2) in pairs(pc.mandates(old, "平安建设责任制"))  # 综治 ~ 平安建设
    assert ("old", 1) in pairs(pc.mandates(old, "流动人口登记"))      # 暂住人口 ~ 流动人口
    # 2000s names: 社区服刑人员 for 社区矫正对象, 打黑除恶 for 扫黑除恶, 刑释解教人员 帮教 for 安置帮教
    era = _reg("era", "第一条 司法行政部门应当加强对社区服刑人员的监督管理。\n第二条 公安机关应当深入开展打黑除恶专项斗争。\n"
               "第三条 乡镇人民政府应当做好刑释解教人员的帮教工作。")
    assert pairs(pc.mandates(era, "社区矫正")) == {("era", 1)}
    assert pairs(pc.mandates(era, "扫黑除恶")) == {("era", 2)}
    assert pairs(pc.mandates(era, "刑满释放人员安置帮教")) == {("era", 3)}
    # the 1990s 综治 wording: 监外执行 is a part of what 社区矫正 now covers (never the reverse)
    old90 = _reg("old90", "第一条 公安机关应当对监外执行的罪犯落实监督考察措施。")
    assert pairs(pc.mandates(old90, "社区矫正")) == {("old90", 1)}
    assert pc.mandates(era, "监外执行").empty
    # a 1990s 综治 text: 外来人员 … 暂住户口登记 is 流动人口居住登记
    reg90 = _reg("reg90", "第一条 用工单位招用外来人员，应当向当地公安派出所申报暂住户口登记。")
    assert pairs(pc.mandates(reg90, "流动人口居住登记")) == {("reg90", 1)}
    hero = _reg("hero", "第一条 公民应当勇于同违法犯罪行为作斗争。")
    assert pairs(pc.mandates(hero, "见义勇为")) == {("hero", 1)}


def test_words_of_a_compound_must_stand_together():
    near = _reg("near", "第一条 村民委员会应当定期排查化解矛盾纠纷。")
    far = _reg("far", "第一条 公安机关应当排查治安隐患，对辖区内发生的各类案件依法处理，并向群众宣传化解矛盾纠纷的方法。")
    # the texts write 矛盾纠纷排查 as one term: it is one concept, whose parts must stand together
    term = _reg("term", "第一条 乡镇人民政府应当建立矛盾纠纷排查制度。\n第二条 网格员应当做好矛盾纠纷排查。")
    got = pairs(pc.mandates([near, far, term], "矛盾纠纷排查"))
    assert {("near", 1), ("term", 1), ("term", 2)} <= got and ("far", 1) not in got


def test_a_right_is_found_as_a_permission():
    reg = _reg("w", "第一条 任何单位和个人都有权对不文明行为进行劝阻。")
    got = pc.mandates(reg, "不文明行为劝阻", modality=None)
    assert pairs(got) == {("w", 1)} and list(got["cue"]) == ["有权"] and list(got["modality"]) == ["may"]
    assert pc.mandates(reg, "不文明行为劝阻").empty  # not a mandate (shall/prohibit)


def test_task_lists_definitions_and_sanctions_are_no_mandates():
    reg = _reg("r", "第一条 平安建设的主要任务是：（一）排查化解矛盾纠纷；（二）加强社会治安防控。\n"
               "第二条 本条例所称矛盾纠纷排查，是指对矛盾纠纷的摸排。\n"
               "第三条 违反本条例规定，未开展矛盾纠纷排查的，由有关部门责令改正，处一千元罚款。\n"
               "第四条 乡镇人民政府应当定期组织矛盾纠纷排查。")
    assert pairs(pc.mandates(reg, "矛盾纠纷排查", modality=None)) == {("r", 4)}


def test_every_result_says_why_it_matched_and_several_phrasings(small):
    df = pc.mandates(small, ["寄递实名", "快递实名制"])
    assert pairs(df) == {("a", 1)}
    row = df.iloc[0]
    assert row["cue"] == "应当" and row["matched_in"] == "action"
    assert "实名" in row["matched_terms"] and isinstance(row["matched_terms"], list)
    # a word the provision's paragraph holds completes a match the provision started
    reg = _reg("p", "第一条 物流运营单位应当对客户身份信息进行查验、实名登记。对寄递物品进行安全检查。")
    got = pc.mandates(reg, "寄递实名")
    assert pairs(got) == {("p", 1)} and set(got["matched_in"]) <= {"action", "sentence", "paragraph"}


def test_the_title_supplies_its_topic_only():
    fire = _reg("fire", "第一条 居民委员会应当开展宣传教育。", "某市消防条例")
    assert pairs(pc.mandates(fire, "消防宣传教育")) == {("fire", 1)}
    # a regulation whose whole subject is the query: each of its obligations is about it
    # (tests/gold/real_queries.md: "subject matter is the concept"; 法律援助 in a 法律援助条例)
    whole = pc.mandates(fire, "消防")
    assert pairs(whole) == {("fire", 1)} and list(whole["matched_in"]) == ["title"]
    other = _reg("other", "第一条 居民委员会应当开展宣传教育。", "某市物业管理条例")
    assert pc.mandates(other, "消防").empty  # nothing of 消防 in the provision or the title
    reward = _reg("reward", "第一条 医疗机构应当及时救治见义勇为负伤人员。", "某市见义勇为人员奖励和保护条例")
    assert pc.mandates(reward, "见义勇为奖励").empty  # 奖励 is one of two aims, not the topic


def test_the_topic_supplies_part_of_a_compound_never_the_whole():
    minors = _reg("m", "第一条 学校应当加强未成年人网络素养教育。\n第二条 学校应当开设体育课程。", "某市未成年人保护条例")
    # 网络 stands in the provision, 保护 (and 未成年人) in the title's subject
    assert pairs(pc.mandates(minors, "未成年人网络保护")) == {("m", 1)}
    # the provision must say its part as strongly as the query: 禁毒 of the title and a bare 教育 is
    # no 禁毒宣传教育 (教育 is a shorter, looser word for 宣传教育)
    drugs = _reg("d", "第一条 学校应当对学生进行安全教育。\n第二条 学校应当开展禁毒宣传教育。", "某市禁毒条例")
    assert pairs(pc.mandates(drugs, "禁毒宣传教育")) == {("d", 2)}


def test_a_compound_is_cut_into_the_words_of_the_field():
    # a negation belongs to the word it negates; the term table's words win a tie
    reg = _reg("f", "第一条 消防救援机构应当依法开展消防监督检查。\n第二条 单位应当每日进行防火巡查。\n"
               "第三条 物业服务企业应当对小区的消防安全进行宣传。\n第四条 不文明行为劝阻人、消防安全检查人员"
               "受法律保护。\n第五条 不文明行为劝阻人、消防安全检查人员应当文明礼貌。")
    # (the texts use both queries as one string: each is one concept of two parts)
    # (不文明行为 is a term of the table, with 不文明现象 as its equivalent: the term's whole word)
    assert [c.part_words for c in concepts("不文明行为劝阻", [reg])] == [("不文明行为", "劝阻")]
    from pingan_corpus.duties.query import _tile
    assert _tile("不文明劝阻") == ["不文明", "劝阻"]  # (the negation stays with the word it negates)
    # (both cuts are words of the table, 消防 + 安全检查 and 消防安全 + 检查: the first wins)
    assert [c.part_words for c in concepts("消防安全检查", [reg])] == [("消防", "安全检查")]
    # the action written in other verbs of the field (检查 ~ 巡查, 监督检查), never its neighbour (宣传)
    assert pairs(pc.mandates(reg, "消防安全检查")) == {("f", 1), ("f", 2), ("f", 5)}
    plan = _reg("p", "第一条 乡镇人民政府应当制定突发事件应急预案。\n第二条 乡镇人民政府应当启动应急预案。")
    assert pairs(pc.mandates(plan, "应急预案编制")) == {("p", 1)}  # 编制 ~ 制定, not 启动


def test_a_ban_on_a_place_and_a_paragraph_on_the_one_before():
    reg = _reg("w", "第一条 物业服务区域内禁止下列行为：（一）违法搭建建筑物；（二）从建筑物中抛掷物品。\n"
               "物业服务人发现有前款规定行为的，应当予以劝阻、制止。")
    got = pc.mandates(reg, "高空抛物", modality=None)
    # the ban names nobody: a mandate with no bearer; the second paragraph's 前款 is the first's list
    assert set(zip(got["paragraph_no"], got["actor"].fillna("—"))) == {(1, "—"), (2, "物业服务企业")}
    assert pc.extract_duties(reg)["paragraph_no"].tolist() == [2]  # the ban is nobody's duty


def test_a_liability_provision_is_no_mandate_whatever_its_first_consequence():
    reg = _reg("l", "第一条 违反本条例规定，从建筑物中抛掷物品的，由物业服务企业予以劝阻；拒不听从劝阻的，"
               "由城市管理部门处二百元罚款。\n第二条 违反本条例规定，高空抛物的，由公安机关给予警告；"
               "造成他人损害的，依法承担民事责任。")
    assert pc.mandates(reg, "高空抛物", modality=None).empty


def test_learned_equivalents_come_from_aligned_provisions():
    body = ("第一条 县级以上人民政府应当加强{w}工作的领导，将{w}工作经费列入财政预算。\n"
            "第二条 {w}组织协调机构应当定期召开会议，研究部署{w}工作中的重大问题，督促有关部门履行职责。")
    regs = [_reg(f"old{k}", body.format(w="综治")) for k in range(2)] + \
           [_reg(f"new{k}", body.format(w="平安建设")) for k in range(2)]
    eq = pc.learn_equivalents(regs)
    assert list(eq.columns) == ["term", "equivalent", "support", "score", "together", "example", "status"]
    top = eq.iloc[0]
    assert (top["term"], top["equivalent"]) == ("平安建设", "综治") and top["support"] >= 2
    assert set(eq["status"]) == {""}  # for a person to review


def test_a_rule_stated_with_no_one_named_is_a_mandate_nobody_bears():
    # no duty is found in 第二条/第三条 (法律援助的范围包括…, …可以采取下列形式), yet they state the rule
    # (tests/gold/real_queries.md, 法律援助: "declarative rules kept as shall"); what such a rule is about
    # comes before its list, and purposes, definitions, entry into force and passing items are no rules
    reg = _reg("d", "第一条 为了规范法律援助工作，根据有关法律，制定本条例。\n"
               "第二条 法律援助的范围包括：（一）刑事案件；（二）请求给付赡养费的事项。\n"
               "第三条 法律援助可以采取下列形式：（一）法律咨询；（二）诉讼代理。\n"
               "第四条 村民委员会的告知内容包括刑事案件发案情况、法律援助案件等。\n"
               "第五条 本条例所称法律援助，是指为经济困难的公民提供无偿法律服务。\n"
               "第六条 本条例自2020年1月1日起施行。", "某市社会治理条例")
    assert pc.extract_duties(reg).empty
    got = pc.mandates(reg, "法律援助", modality=None)
    assert set(zip(got["article_no"], got["modality"])) == {(2, "shall"), (3, "may")}
    assert got["actor"].isna().all()
    assert pairs(pc.mandates(reg, "法律援助")) == {("d", 2)}
    # an article with a duty is read through its duties; the one beside it, with none, through its rule
    duty = _reg("e", "第一条 法律援助机构应当公布法律援助的范围。\n第二条 法律援助的范围包括刑事案件。")
    assert pairs(pc.mandates(duty, "法律援助")) == {("e", 1), ("e", 2)}


def test_two_members_of_one_list_are_not_one_concept():
    # 举报 and 奖励 as two items of a list of mechanisms (完善…奖励惩戒、投诉举报等机制) are no 举报奖励; the
    # same words in one phrase or in two clauses of one sentence are; a verb or a head the members
    # share (制定…规划、预案; …等专题教育) is no member
    reg = _reg("s", "第一条 有关部门应当完善教育指导、奖励惩戒、投诉举报等工作机制。\n"
               "第二条 有关部门应当建立举报奖励制度。\n"
               "第三条 对举报违法行为查证属实的，有关部门应当给予奖励。\n"
               "第四条 领导机构应当制定工作规划、应急预案、措施。\n"
               "第五条 学校应当开展禁毒、消防安全、食品安全等专题宣传教育。")
    assert pairs(pc.mandates(reg, "举报奖励")) == {("s", 2), ("s", 3)}
    assert pairs(pc.mandates(reg, "应急预案编制")) == {("s", 4)}
    assert pairs(pc.mandates(reg, "消防安全宣传教育")) == {("s", 5)}
    from pingan_corpus.duties.query import _siblings_only
    assert _siblings_only("完善教育指导、奖励惩戒、投诉举报等机制", ["奖励"], ["举报"])
    assert not _siblings_only("完善教育指导、投诉举报、奖励惩戒机制", ["奖励"], ["举报"])  # (the last may be a head)
    assert not _siblings_only("完善奖励惩戒、投诉举报、教育指导等机制", ["奖励"], ["举报"])  # (the first, a verb's)
