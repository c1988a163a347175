"""Duty extraction: constructed sentences for every rule, then seed articles read by hand."""
from __future__ import annotations

import pandas as pd
import pytest

import pingan_corpus as pc
from pingan_corpus.duties.extract import DUTY_COLUMNS
from pingan_corpus.duties.lexicon import actor_historical, actors, find_actors, lexicon, load_into_jieba, parse_actors


def duties(body: str, **kw) -> pd.DataFrame:
    """Duties of a one-article regulation whose body is ``body`` (paragraphs on their own lines)."""
    reg = pc.parse_text("第一条 " + body)
    return pc.extract_duties(reg, **kw)


def triples(df: pd.DataFrame, role: str = "bearer") -> set[tuple[str, str]]:
    return {(r.actor, r.modality) for r in df[df["role"] == role].itertuples()}


# -- lexicon ------------------------------------------------------------------------------------------
def test_lexicon_keeps_every_canonical_actor_and_alias(tmp_path):
    import csv
    from pathlib import Path

    canonical = Path(__file__).resolve().parents[2] / "shared" / "actors_canonical.csv"
    if not canonical.exists():
        pytest.skip("shared canonical lexicon not available")
    lex = actors().set_index("actor")
    for row in csv.DictReader(canonical.open(encoding="utf-8")):
        assert row["actor"] in lex.index
        assert lex.loc[row["actor"], "category"] == row["category"]
        assert set(row["aliases"].split(";")) <= set(lex.loc[row["actor"], "aliases"])


def test_lexicon_has_the_bodies_the_texts_need():
    names = set(actors()["actor"])
    for name in ("消防救援机构", "退役军人事务部门", "发展改革部门", "财政部门", "自然资源部门", "民族宗教事务部门",
                 "宣传部门", "政法委员会", "任何单位和个人", "企业事业单位", "志愿服务组织",
                 "有关部门", "社会力量"):
        assert name in names
    assert lexicon().entries["网络运营者"][0] == "互联网服务提供者"
    # actors_canonical.csv: 基层群众性自治组织 is an alias of 村居民委员会, not an actor of its own
    assert "基层群众性自治组织" not in names
    assert lexicon().entries["基层群众性自治组织"][0] == "村居民委员会"
    assert actors().set_index("actor").loc["有关部门", "category"] == "generic"


def test_levels_are_not_aliases_but_split_off():
    m = parse_actors("县级以上人民政府应当")
    assert [(x.actor, x.level) for x in m] == [("人民政府", "县级以上")]
    m = parse_actors("市、县（市、区）公安机关应当")
    assert [(x.actor, x.level) for x in m] == [("公安机关", "市、县（市、区）")]
    m = parse_actors("市、旗区人民政府卫生健康部门应当")  # a government's department takes its level
    assert [(x.actor, x.level, x.surface) for x in m] == [("卫生健康部门", "市、旗区", "市、旗区人民政府卫生健康部门")]
    m = parse_actors("乡（镇）人民政府应当")
    assert [x.actor for x in m] == ["乡镇人民政府街道办事处"]


def test_longest_alias_wins():
    assert [x.actor for x in parse_actors("邮政、快递企业应当")] == ["寄递物流企业"]
    assert [x.actor for x in parse_actors("公安机关应当")] == ["公安机关"]
    assert [x.actor for x in find_actors("督促市场监督管理部门")] == ["市场监督管理部门"]


def test_coordinated_list_shares_its_head_noun():
    assert [x.actor for x in parse_actors("公安、司法行政、教育等部门应当")] == ["公安机关", "司法行政部门", "教育部门"]
    got = [x.actor for x in parse_actors("人民法院、人民检察院和公安、司法行政等部门应当")]
    assert got == ["人民法院", "人民检察院", "公安机关", "司法行政部门"]
    # an unknown member of a list of departments is still a department
    assert "生态环境部门" in [x.actor for x in parse_actors("公安、生态环境等部门应当")]
    # when the head is itself an actor, the list only says which kinds: 货运、快递 are kinds of 物流运营单位
    assert [x.actor for x in parse_actors("货运、邮政、快递等物流运营单位应当")] == ["寄递物流企业"]


def test_bare_stems_are_not_actors_outside_a_list():
    assert parse_actors("宣传普及心理健康知识") == []
    assert parse_actors("教育引导青少年") == []


def test_umbrella_list_collapses_to_its_own_members_only():
    got = [x.actor for x in parse_actors("国家机关、人民团体、企业事业单位以及其他组织应当")]
    assert got == ["国家机关人民团体企业事业单位"]
    # further coordinated members are bearers of their own (actors_canonical.csv, 2026-12)
    got = [x.actor for x in parse_actors("国家机关、人民团体、企业事业单位、社会组织和基层群众性自治组织应当")]
    assert got == ["国家机关人民团体企业事业单位", "社会组织", "村居民委员会"]
    got = [x.actor for x in parse_actors("国家机关、人民团体、企业事业单位和其他社会组织应当")]
    assert got == ["国家机关人民团体企业事业单位", "社会组织"]


def test_older_and_formulaic_lists_of_everyone_and_of_the_umbrella():
    # the 1990s form of the umbrella: 机关、团体、企业、事业(等)单位 — 事业 shares the head 单位
    assert [x.actor for x in parse_actors("机关、团体、企业、事业等单位应当")] == ["国家机关人民团体企业事业单位"]
    # every kind of unit, then individuals; the formula of persons natural and legal: everyone
    assert [x.actor for x in parse_actors("机关、团体、企业、事业等单位及个人应当")] == ["任何单位和个人"]
    assert [x.actor for x in parse_actors("公民、法人或者其他组织应当")] == ["任何单位和个人"]
    # not everyone: a list of some kinds of units with individuals, without 等单位
    assert [x.actor for x in parse_actors("国家机关、社会团体和个人应当")] != ["任何单位和个人"]


def test_a_list_shares_the_head_noun_of_its_last_member():
    # 1990s style, no 等: 公安、检察、审判、司法行政机关 — 检察机关 is 人民检察院, 审判机关 人民法院
    got = [x.actor for x in parse_actors("公安、检察、审判、司法行政机关应当")]
    assert got == ["公安机关", "人民检察院", "人民法院", "司法行政部门"]
    # 办案机关 only names the kind of the bodies listed before it; 相关行政管理部门 is any department
    got = [x.actor for x in parse_actors(
        "司法行政部门与公安机关、检察机关、审判机关等办案机关（以下统称办案机关）及相关行政管理部门应当")]
    assert got == ["司法行政部门", "公安机关", "人民检察院", "人民法院", "有关部门"]
    # a generic head glued to a named stem only says "department": 教育行政管理部门 is 教育部门
    assert [x.actor for x in parse_actors("教育行政管理部门应当")] == ["教育部门"]
    assert [x.actor for x in parse_actors("城市管理行政主管部门应当")] == ["城市管理部门"]
    assert [x.actor for x in parse_actors("有关行政管理部门应当")] == ["有关部门"]
    assert [x.actor for x in parse_actors("交通运输管理部门履行下列职责")] == ["交通运输部门"]
    # the department a property regulation calls 物业（管理）主管部门 is the 房产 department (房管局)
    assert [x.actor for x in parse_actors("物业管理部门应当")] == ["房产管理部门"]


def test_long_department_lists_keep_every_member():
    # a stem with its field's work or more words after it is still the item (住房城乡建设管理, 交通港口)
    got = [x.actor for x in parse_actors("公安、住房城乡建设管理、城管执法、交通港口、海关等部门按照各自职责")]
    assert got == ["公安机关", "住房和城乡建设部门", "城市管理部门", "交通部门", "海关"]
    # … only when the list's head names departments: 水利工程 is a place to protect, no 水利部门
    got = [x.actor for x in parse_actors("水利工程、集中式饮用水水源、自来水厂等重点目标的管理单位应当")]
    assert "水利部门" not in got
    # the head after a relative clause with a list of its own: 负有审批、处罚等…职责的部门
    got = [x.actor for x in parse_actors("公安、建设等依法对涉及安全生产的事项负有审批、处罚等监督管理职责的部门应当")]
    assert got == ["公安机关", "建设部门"]
    # 国家机关、企事业单位 is the umbrella's shape, shorter
    got = [x.actor for x in parse_actors("机关、企事业单位、社会组织应当")]
    assert got == ["国家机关人民团体企业事业单位", "社会组织"]


def test_more_constructions_of_who_bears_a_duty():
    # the Civil Code's formula for everyone
    assert triples(duties("鼓励自然人、法人和非法人组织使用信用报告。")) == {("任何单位和个人", "encourage")}
    # named the one responsible for a task
    assert ("生产经营单位", "shall") in triples(duties("生产经营单位是本单位安全生产的责任主体。"))
    # a 的-phrase subject before a copula: the head bears what follows (not the unit before 的)
    got = triples(duties("生产经营单位的主要负责人是本单位安全生产工作的第一责任人，应当履行下列职责：（一）建立安全生产责任制。"))
    assert ("单位主要负责人", "shall") in got and ("生产经营单位", "shall") not in got
    assert ("单位主要负责人", "shall") in triples(duties("特种行业单位的法定代表人或者负责人是本单位的治安责任人，负责治安防范工作。"))
    # a bare village tier is the village's self-governing body; 社区矫正工作 is no village
    assert triples(duties("村（社区）应当建立平安建设工作机制。")) == {("村居民委员会", "shall")}
    assert triples(duties("社区矫正工作应当坚持监督管理与教育帮扶相结合。")) == set()
    # the 1990s 城市街道 is the street office's tier
    assert triples(duties("城市街道、乡镇应当建立社会治安综合治理办公室。")) == {("乡镇人民政府街道办事处", "shall")}
    # people named by the work they are responsible for: no duty of the government (a sanction follows)
    assert triples(duties("各级人民政府负责调处土地权属纠纷的负责人及工作人员违反本条例规定，玩忽职守的，依法给予处分。")) == set()
    # a body's staff written with 的
    assert triples(duties("国家机关的在职工作人员不得担任经营负责人。")) == {("国家工作人员", "prohibit")}
    # department names of the 2018 reform, written short
    got = [x.actor for x in parse_actors("粮食物资储备、药品监管、国有资产、房屋管理等部门应当")]
    assert got == ["粮食和物资储备部门", "药品监督管理部门", "国有资产监督管理部门", "房产管理部门"]
    # … and an older one, named as it stood: a 2005 text's 粮食部门 is today's 粮食和物资储备部门
    assert actor_historical("粮食部门", "2005-06-01") == "粮食部门"
    assert actor_historical("粮食部门", "2021-06-01") == "粮食和物资储备部门"


def test_items_that_name_the_bearers_of_the_lead_in():
    df = duties("下列人员应当承担指派的法律援助事项：（一）律师；（二）公证员；（三）基层法律服务工作者。")
    assert {("律师", "shall"), ("公证员", "shall"), ("基层法律服务工作者", "shall")} <= triples(df)
    assert set(df.loc[df["actor"] == "律师", "action"]) == {"承担指派的法律援助事项"}


def test_where_words_before_an_actor_say_where_only():
    got = parse_actors("患方所在单位和居住地乡镇人民政府（街道办事处）、村（居）民委员会，应当配合")
    assert [x.actor for x in got][1:] == ["乡镇人民政府街道办事处", "村居民委员会"]
    assert [(x.actor, x.level) for x in parse_actors("事发地县级人民政府应当")] == [("人民政府", "县级")]
    # a place-like prefix before a township government is no kind of government: named as written
    got = parse_actors("社区戒毒执行地乡（镇）人民政府、街道办事处应当")
    assert "人民政府" not in [x.actor for x in got] and "村居民委员会" not in [x.actor for x in got]


def test_a_kind_of_a_known_body_is_that_body():
    assert triples(duties("医疗纠纷人民调解委员会应当坚持自愿原则，不得收取费用。")) == {
        ("人民调解委员会", "shall"), ("人民调解委员会", "prohibit")}
    # an alias is too loose for it: a commercial mediation body is not a people's mediation committee
    assert triples(duties("商事调解组织应当建立调解员名册。")) == {("商事调解组织", "shall")}


def test_a_task_that_is_the_shared_responsibility_of_a_list():
    df = duties("保障学校安全是各级人民政府和有关部门、学校举办者、学校、学生、学生家长的共同责任。")
    assert triples(df) == {(a, "shall") for a in ("人民政府", "有关部门", "学校举办者", "学校", "学生", "学生家长")}
    assert set(df["action"]) == {"保障学校安全"}


def test_load_into_jieba_keeps_actor_names_whole_and_is_idempotent():
    import jieba

    load_into_jieba()
    load_into_jieba()
    words = jieba.lcut("退役军人事务部门和社会治安综合治理中心应当")
    assert "退役军人事务部门" in words and "社会治安综合治理中心" in words


# -- extraction rules -------------------------------------------------------------------------------
def test_columns():
    df = duties("公安机关应当加强治安管理。")
    assert list(df.columns) == DUTY_COLUMNS
    assert {"doc_id", "article_no", "paragraph_no", "item_no", "actor", "actor_level", "actor_surface", "actor_current", "role",
            "modality", "action", "condition", "exception", "cue", "text", "jurisdiction"} == set(df.columns)


def test_coordinated_subjects_give_one_row_per_bearer():
    df = duties("公安、司法行政、教育等部门应当加强校园周边治安管理。")
    assert triples(df) == {("公安机关", "shall"), ("司法行政部门", "shall"), ("教育部门", "shall")}
    assert set(df["action"]) == {"加强校园周边治安管理"}
    assert set(df["cue"]) == {"应当"}


def test_departments_the_lexicon_does_not_know_are_bearers_under_their_own_name():
    # names built like department names, not in data/actors.csv
    assert "口岸管理部门" not in set(actors()["actor"]) and "网络安全管理部门" not in set(actors()["actor"])
    df = duties("口岸管理部门、网络安全管理部门应当按照各自职责做好相关工作。")
    assert triples(df) == {("口岸管理部门", "shall"), ("网络安全管理部门", "shall")}
    df = duties("县级以上人民政府口岸管理主管部门应当会同大数据管理机构建立信息共享机制。")
    assert triples(df) == {("口岸管理部门", "shall")}
    assert df.loc[df["role"] == "bearer", "actor_level"].tolist() == ["县级以上"]
    assert triples(df, "collaborator") == {("大数据管理机构", "shall")}
    # a variant of a known body's name is that body
    df = duties("平安建设协调机构应当定期听取工作汇报。")
    assert triples(df) == {("平安建设组织协调机构", "shall")}


@pytest.mark.parametrize("text", [
    "口岸管理部门负责人应当履行职责。",          # a person of the body
    "配合公安交通管理部门做好道路安全工作。",    # a verb and a known body
])
def test_open_department_names_need_a_name_shaped_subject(text):
    assert not ({"口岸管理部门", "配合公安交通管理部门", "公安机关交通管理部门"} & set(duties(text)["actor"]))


def test_persons_and_bodies_the_lexicon_does_not_know_are_bearers():
    # persons named by their place in a body or trade (从业 is no preposition, 负责人 no cue, 市场 no level)
    assert triples(duties("从业人员应当遵守本单位的安全生产规章制度。")) == {("从业人员", "shall")}
    assert triples(duties("国家机关负责人应当阅批群众来信。")) == {("国家机关负责人", "shall")}
    assert triples(duties("人民警察应当依法制止违法行为。")) == {("人民警察", "shall")}
    assert triples(duties("市场主体应当依法诚信经营。")) == {("市场主体", "shall")}
    # 各级 before a person is no government, and 领导 inside 领导干部 no verb
    assert triples(duties("各级领导干部应当带头落实平安建设责任制。")) == {("领导干部", "shall")}
    # 社区 in 社区矫正机构 is no level; 司法所 is the township office of 司法行政 (as 派出所 of 公安)
    df = duties("社区矫正机构应当会同公安机关、司法所做好社区矫正对象的监督管理工作。")
    assert triples(df) == {("社区矫正机构", "shall")}
    assert triples(df, "collaborator") == {("公安机关", "shall"), ("司法行政部门", "shall")}
    # older texts' bearers: the heads of residents' groups, the re-education-through-labour authorities
    assert triples(duties("居民小组长、村民小组长应当协助做好本组的治安防范工作。")) == {
        ("居民小组长", "shall"), ("村民小组长", "shall")}
    assert triples(duties("劳动教养管理机关应当加强对劳动教养人员的教育改造。")) == {("劳动教养管理机关", "shall")}
    # 负有…责任 is a duty; 负有…义务的人员 names persons
    assert triples(duties("公安机关在社会治安综合治理中负有主要责任。")) == {("公安机关", "shall")}
    assert "负有" not in set(duties("负有法定职责或者法定义务的人员未履行职责的，按照规定处理。")["cue"])
    # 经营…的单位: 经 opens a verb here, not 经…批准; the units the 的-clause picks out are not "有关单位"
    # (2026-12-05: no bearer named, as for every bare 单位 after a 的-clause — the real gold never reads
    # them as 有关单位)
    assert triples(duties("经营旅馆业的单位应当执行住宿登记制度。")) == set()
    # a known body followed by a verb is a clause, not a name (行政机关|公布…主体)
    df = duties("行政机关公布严重失信主体名单的，应当同时公开名单的列入、移出条件。")
    assert "行政机关公布严重失信主体" not in set(df["actor"])


def test_a_branch_or_a_body_of_a_known_body():
    # a body's branch is that body (as 派出所 is 公安机关)
    assert triples(duties("公安机关派出机构应当做好矛盾纠纷排查工作。")) == {("公安机关", "shall")}
    # X的 + a body of X's: the body, also when the lexicon knows a part of its name (流动人口)
    df = duties("街道办事处的流动人口服务管理中心应当做好居住登记工作。")
    assert triples(df) == {("流动人口服务管理中心", "shall")}


def test_its_members_after_a_body_are_that_bodys_members():
    df = duties("村务监督委员会接受乡镇人民政府指导，其成员可以列席村民委员会会议。")
    assert triples(df) == {("村务监督委员会", "shall"), ("村务监督委员会成员", "may")}
    # (a person the lexicon knows keeps its name: 单位主要负责人)
    df = duties("生产经营单位应当建立安全生产责任制，其主要负责人对本单位的安全生产工作全面负责。")
    assert ("单位主要负责人", "shall") in triples(df)


def test_relevant_units_and_individuals_are_everyone_concerned():
    # (tests/gold/DUTIES.md: lists meaning everyone → 任何单位和个人; 有关组织或者个人 is not 有关单位 + 公民)
    df = duties("对申请材料的真实性有疑问的，可以向有关组织或者个人调查，有关组织或者个人应当协助，不得收取费用。")
    assert {("任何单位和个人", "shall"), ("任何单位和个人", "prohibit")} <= triples(df)
    assert not {"公民", "有关单位"} & set(df["actor"])
    assert triples(duties("有关单位和个人应当积极配合，如实提供相关证明材料。")) == {("任何单位和个人", "shall")}


def test_bodies_named_by_what_they_do_are_bearers():
    # the 负责 inside the name is no cue; the field names the body when the lexicon knows it
    df = duties("县级以上人民政府负责信访工作的机构应当及时受理信访事项。")
    assert triples(df) == {("信访部门", "shall")} and df["actor_level"].tolist() == ["县级以上"]
    assert triples(duties("处置非法集资的牵头部门应当建立监测预警机制。")) == {("防范和处置非法集资牵头部门", "shall")}
    # otherwise the name as written, without its level
    assert triples(duties("负有监管职责的部门应当加强检查。")) == {("负有监管职责的部门", "shall")}
    assert triples(duties("公安机关负责本行政区域的治安管理工作。")) == {("公安机关", "shall")}


def test_an_apposition_with_zuowei_does_not_replace_the_subject():
    df = duties("公安机关作为社会治安的主管部门，应当加强治安防控体系建设。")
    assert triples(df) == {("公安机关", "shall")}
    assert df["action"].tolist() == ["加强治安防控体系建设"]


@pytest.mark.parametrize("marker", ["会同", "协同", "配合", "督促"])
def test_collaboration_markers(marker):
    df = duties(f"卫生健康部门应当{marker}公安、民政等部门做好心理服务工作。")
    assert triples(df) == {("卫生健康部门", "shall")}
    assert triples(df, "collaborator") == {("公安机关", "shall"), ("民政部门", "shall")}


def test_elided_subject_carries_to_the_next_clause():
    df = duties("电信业务经营者应当加强风险监测，并应当及时向公安机关报告。")
    assert len(df) == 2 and set(df["actor"]) == {"电信业务经营者"}
    assert list(df["action"]) == ["加强风险监测", "及时向公安机关报告"]


def test_elided_subject_carries_over_a_semicolon_and_to_the_next_sentence():
    df = duties("民政部门应当加强基层政权建设；做好流浪乞讨人员救助工作。推动社区建设。")
    assert list(df["actor"]) == ["民政部门"] * 3
    assert list(df["modality"]) == ["shall"] * 3


def test_items_inherit_subject_and_modality_of_the_lead_in():
    df = duties("平安建设主管机关负责统筹协调平安建设工作，履行下列职责：\n（一）组织宣传平安建设法律；\n（二）督促落实平安建设责任。")
    items = df[df["item_no"].notna()]
    assert list(items["item_no"]) == [1, 2]
    assert set(items["actor"]) == {"平安建设组织协调机构"} and set(items["modality"]) == {"shall"}
    assert list(items["action"]) == ["组织宣传平安建设法律", "督促落实平安建设责任"]
    df = duties("县级以上人民政府可以采取下列措施：\n（一）购买社会服务；\n（二）提供补助。")
    assert set(df.loc[df["item_no"].notna(), "modality"]) == {"may"}


def test_items_that_are_conditions_are_not_duties():
    df = duties("有关单位有下列情形之一的，平安建设组织协调机构应当予以督导：\n（一）工作措施落实不力的；\n（二）发生重大案件的。")
    assert df["item_no"].isna().all()
    assert triples(df) == {("平安建设组织协调机构", "shall")}
    assert df["condition"].iloc[0] == "有关单位有下列情形之一的"


@pytest.mark.parametrize("sentence,modality,cue", [
    ("公安机关应当依法查处违法行为。", "shall", "应当"),
    ("公安机关必须依法查处违法行为。", "shall", "必须"),
    ("公安机关负责查处违法行为。", "shall", "负责"),
    ("公安机关牵头负责反诈骗工作。", "shall", "牵头负责"),
    ("公安机关依法打击涉黑涉恶违法犯罪行为。", "shall", ""),
    ("公安机关可以委托第三方机构开展调查。", "may", "可以"),
    ("公安机关不得泄露个人信息。", "prohibit", "不得"),
    ("公安机关不应当泄露个人信息。", "prohibit", "不应当"),
])
def test_modality_cues(sentence, modality, cue):
    df = duties(sentence)
    assert len(df) == 1
    assert (df["actor"].iloc[0], df["modality"].iloc[0], df["cue"].iloc[0]) == ("公安机关", modality, cue)


def test_declarative_duty_of_a_government():
    df = duties("市人民政府建立平安指数公开发布制度。")
    assert (df["actor"].iloc[0], df["actor_level"].iloc[0], df["modality"].iloc[0]) == ("人民政府", "市", "shall")
    assert df["action"].iloc[0] == "建立平安指数公开发布制度"


def test_encouragement_goes_to_the_addressee():
    df = duties("鼓励社会组织参与平安建设。")
    assert triples(df) == {("社会组织", "encourage")}
    assert df["action"].iloc[0] == "参与平安建设"
    df = duties("鼓励和支持调解经验丰富的人民调解员成立个人调解工作室。")
    assert triples(df) == {("人民调解员", "encourage")}


def test_encouragement_or_prohibition_naming_nobody_has_no_bearer():
    # the text names nobody: no bearer is made up; the duty is kept, unattributed, on request
    for text, modality in (("鼓励在矛盾纠纷多发领域建立调解组织。", "encourage"),
                           ("禁止在销售的食品中添加罂粟壳。", "prohibit")):
        assert duties(text).empty
        df = duties(text, unattributed=True)
        assert df["actor"].isna().all() and set(df["modality"]) == {modality}


def test_the_regulation_speaking_for_itself_is_no_government_duty():
    # 本市鼓励 / 本市建立: the regulation's own voice (the encouraged still are)
    assert triples(duties("本市鼓励单位和个人向见义勇为基金会捐赠。")) == {("任何单位和个人", "encourage")}
    assert duties("本市建立有效的社会动员机制。").empty
    # a list of levels still stands for their governments
    assert triples(duties("市和区依法设立见义勇为基金会。")) == {("人民政府", "shall")}


def test_support_inside_a_duty_is_not_an_encouragement():
    df = duties("县级以上人民政府应当加强领导，支持有关部门依法履行职责。")
    assert set(df["modality"]) == {"shall"}
    assert "encourage" not in set(df["modality"])


def test_prohibitions():
    df = duties("任何单位和个人不得利用网络从事危害国家安全的活动。")
    assert triples(df) == {("任何单位和个人", "prohibit")}
    assert df["action"].iloc[0] == "利用网络从事危害国家安全的活动"
    df = duties("禁止任何单位和个人在公共场所寄存危险物品。")
    assert triples(df) == {("任何单位和个人", "prohibit")}
    df = duties("承租人严禁利用出租屋从事违法犯罪活动。")
    assert triples(df) == {("承租人", "prohibit")}


def test_condition_before_the_duty():
    df = duties("电信业务经营者发现涉嫌违法犯罪信息的，应当及时向客户作出风险提示。")
    assert df["condition"].iloc[0] == "发现涉嫌违法犯罪信息的"
    assert df["actor"].iloc[0] == "电信业务经营者"
    df = duties("对可能存在非法集资风险的，行业主管部门应当依法进行警示约谈。")
    assert (df["actor"].iloc[0], df["condition"].iloc[0]) == ("有关部门", "对可能存在非法集资风险的")
    df = duties("各级人民政府在作出重大决策前，应当进行社会稳定风险评估。")
    assert df["condition"].iloc[0] == "在作出重大决策前"


def test_subject_then_prepositional_phrase_then_cue():
    df = duties("公安机关对违反本条例规定的行为，应当依法予以处罚。")
    assert len(df) == 1
    assert (df["actor"].iloc[0], df["cue"].iloc[0], df["condition"].iloc[0]) == ("公安机关", "应当", "对违反本条例规定的行为")
    df = duties("人民法院对适宜调解的案件进行调解，可以引导当事人先行调解。")  # here the first clause is a duty
    assert triples(df) == {("人民法院", "shall"), ("人民法院", "may")}


def test_local_government_levels():
    df = duties("县级以上地方各级人民政府应当保障经费。")
    assert (df["actor"].iloc[0], df["actor_level"].iloc[0]) == ("人民政府", "县级以上地方各级")
    df = duties("自治区对在平安建设工作中做出突出贡献的单位和个人给予表彰奖励。")  # a level for its government
    assert (df["actor"].iloc[0], df["actor_level"].iloc[0], df["cue"].iloc[0]) == ("人民政府", "自治区", "")


def test_condition_naming_another_actor_does_not_become_the_subject():
    df = duties("寄件人拒绝验视的，寄递企业不得收寄。")
    assert triples(df) == {("寄递物流企业", "prohibit")}
    assert df["condition"].iloc[0] == "寄件人拒绝验视的"


def test_exceptions():
    df = duties("公民不应当参与非法集资，但依法开展的民间借贷除外。")
    assert df["exception"].iloc[0] == "但依法开展的民间借贷除外"
    assert df["action"].iloc[0] == "参与非法集资"
    df = duties("有关主管部门应当责令限期整改；法律、法规另有规定的，从其规定。")
    assert df["exception"].iloc[0] == "法律、法规另有规定的，从其规定"
    assert len(df) == 1


def test_alias_defined_in_the_text():
    df = duties("市人民政府设立平安建设工作委员会（以下简称平安委）。\n平安委应当每年开展考核。")
    assert triples(df) == {("人民政府", "shall"), ("平安建设工作委员会", "shall")}
    df = duties("县级人民政府设立社会治安综合治理中心（以下简称综治中心）。综治中心可以配备人员。")
    assert ("社会治安综合治理中心", "may") in triples(df)
    assert "以下简称" not in " ".join(df["action"])


def test_subject_after_de_and_after_you():
    df = duties("大型群众性活动的承办者应当制定安全工作方案。")
    assert triples(df) == {("大型群众性活动承办者", "shall")}
    df = duties("有关单位未履行职责的，由上一级平安建设组织协调机构责令限期整改。")
    assert [(r.actor, r.actor_level) for r in df.itertuples()] == [("平安建设组织协调机构", "上一级")]


def test_quoted_cue_is_not_a_cue():
    df = duties("有关部门按照“谁主管、谁负责”原则，明确防控责任。")
    assert list(df["cue"]) == [""] and list(df["action"]) == ["明确防控责任"]


def test_unattributed_duties_only_on_request():
    body = "建立健全平安建设考核评价制度。"
    assert duties(body).empty
    df = duties(body, unattributed=True)
    assert len(df) == 1 and df["actor"].isna().all() and df["modality"].iloc[0] == "shall"


def test_the_regulation_speaking_of_itself_bears_nothing():
    # 本市建立… / 本市应当… is the regulation's own voice: no bearer, but a mandate nobody bears
    for body in ("本市建立和健全各级安全生产责任制。", "本市应当建立安全生产责任制。", "本省实行安全生产行政责任制度。"):
        assert duties(body).empty, body
        df = duties(body, unattributed=True)
        assert len(df) == 1 and df["actor"].isna().all() and df["modality"].iloc[0] == "shall", body
    # … and the reward it gives is not a duty of those it rewards (the 单位和个人 are its object)
    assert duties("本市对在防止生产安全事故方面取得显著成绩的单位和个人，给予奖励。").empty
    # a named body after 本市 is still the bearer
    assert list(duties("本市各级人民政府应当建立安全生产责任制。")["actor"]) == ["人民政府"]


def test_a_body_the_regulation_sets_up_keeps_its_name_when_shortened():
    # 成立见义勇为评定委员会 … 评定委员会应当受理: the short form is the body set up before
    text = ("第一条 县级以上人民政府应当成立见义勇为评定委员会，负责见义勇为的确认。\n"
            "第二条 评定委员会应当自收到申报材料之日起三十日内作出是否确认的意见。")
    df = pc.extract_duties(pc.parse_text(text))
    assert ("见义勇为评定委员会", "shall") in set(zip(df[df.article_no == 2].actor, df[df.article_no == 2].modality))
    # …成立X，负责…: the body set up bears what it is responsible for (a pivot), the government sets it up
    df = duties("县级以上人民政府应当成立见义勇为评定委员会，负责见义勇为的确认。")
    assert list(zip(df.actor, df.action)) == [("人民政府", "成立见义勇为评定委员会"), ("见义勇为评定委员会", "见义勇为的确认")]
    # a known kind keeps the lexicon's name (医疗纠纷人民调解委员会 is a 人民调解委员会)
    text = ("第一条 市司法行政部门应当设立医疗纠纷人民调解委员会。\n"
            "第二条 人民调解委员会应当及时受理调解申请。")
    assert list(pc.extract_duties(pc.parse_text(text)).query("article_no == 2").actor) == ["人民调解委员会"]


def test_persons_named_by_their_part_in_the_case():
    # 受益人, 行为人 are bearers though the lexicon does not know them; 近亲属 is the lexicon's 亲属
    # (an alias of a person, never the stem of a department)
    assert list(duties("见义勇为受益人应当主动举荐见义勇为人员。")["actor"]) == ["见义勇为受益人"]
    df = duties("见义勇为行为人及其近亲属也可以申报见义勇为人员。")
    assert set(zip(df.actor, df.modality)) == {("见义勇为人员", "may"), ("亲属", "may")}
    # 委托 / 接受 are verbs, never inside a name: the bearer is the one who entrusts
    df = duties("生产经营单位委托其他单位进行作业的，应当在作业前与受托方签订安全生产管理协议。")
    assert list(df["actor"]) == ["生产经营单位"]
    df = duties("物业服务人接受专业经营单位委托代收费用的，不得向业主收取手续费。")
    assert list(zip(df.actor, df.modality)) == [("物业服务企业", "prohibit")]


def test_members_of_a_kind_named_after_them_are_the_bearers():
    # 工会、妇联…等社会团体: the kind names no body of its own; each member bears the duty
    df = duties("工会、妇联、残联、共青团等社会团体可以开展与其工作领域相关的法律援助活动。")
    assert set(df["actor"]) == {"工会", "妇联", "残联", "共青团"} and set(df["modality"]) == {"may"}
    # … a kind named by a field (志愿服务等社会组织) is that kind, no body called 志愿服务组织
    df = duties("鼓励社会工作服务机构、志愿服务等社会组织参与平安建设工作。")
    assert set(df["actor"]) == {"社会组织"}
    # 有关部门和单位: both generic heads
    assert set(duties("有关部门和单位应当及时研究处理并反馈处理情况。")["actor"]) == {"有关部门", "有关单位"}
    # … but 律师、公证等行业协会 are associations (the members are stems of the head), not lawyers
    df = duties("鼓励律师、公证、司法鉴定等行业协会组建专业团队。")
    assert "律师" not in set(df["actor"])


def test_the_agent_after_qi_is_its_own_guardian():
    # 由其法定代理人…代为申请: the 法定代理人 of a person without capacity is the guardian
    df = duties("申请人为无民事行为能力人的，由其法定代理人、住所地居民委员会或者村民委员会代为申请法律援助。")
    assert set(df["actor"]) == {"监护人", "村居民委员会"}
    # a clause 业主因故不能参加…的 is a condition on 业主, not a name
    df = duties("业主因故不能参加业主大会会议的，应当于会议召开前将其书面意见提交业主代表。")
    assert list(df["actor"]) == ["业主"]


def test_a_person_of_someone_and_a_predicate_that_names_a_duty():
    # 未成年人的父母或者其他监护人依法…承担监护职责: X's Y is the subject, and 依法…承担…职责 is a
    # predicate, not an adverbial like 按照各自职责
    assert list(duties("未成年人的父母或者其他监护人依法对未成年人承担监护职责。")["actor"]) == ["监护人"]
    # department abbreviations of the 2000s–2010s (人力社保, 商委, 国土房管) are their departments
    df = duties("教育、人力社保、商委、国土房管等行政主管部门应当依法加强消防安全监督管理。")
    assert set(df["actor"]) == {"教育部门", "人力资源和社会保障部门", "商务部门", "国土资源和房屋管理部门"}


def test_a_subject_list_continued_after_a_comma():
    df = duties("工会、共青团、妇联等群团组织和人民团体，以及消保委、商会、行业协会等，结合各自职责协助有关部门维护社会治安秩序。")
    bearers = set(df[df.role == "bearer"].actor)
    assert {"工会", "共青团", "妇联", "消保委", "社会组织"} <= bearers
    assert all(a.startswith("结合") for a in df["action"])  # the list is not read as the action
    # 及时 is no 及: 及时告知… continues the action
    df = duties("物业服务人发现安全隐患的，应当设置警示标志，及时告知业主委员会，并向有关部门报告。")
    assert set(df[df.role == "bearer"].actor) == {"物业服务企业"}


def test_older_wordings_of_the_zongzhi_texts():
    # 1990s 综治 texts: the committee's 办事机构 does its daily work (the 综治办 is the committee);
    # the officers of a list of bodies answer for their own body's work
    assert list(duties("综治委的日常工作由其办事机构负责。")["actor"]) == ["社会治安综合治理委员会"]
    assert list(duties("反恐怖主义工作领导机构的日常工作由其办事机构承担。")["actor"]) == ["反恐怖主义工作领导机构办事机构"]
    df = duties("各地区、各部门、各单位的主要负责人对本地区、本部门、本单位的社会治安综合治理工作负总责。")
    assert list(df["actor"]) == ["单位主要负责人"] and df["action"].iloc[0].endswith("工作负总责")
    # 1990s lists of departments and bodies: 新闻、出版、广播、电影、电视等部门; 城乡基层组织; 用工单位招用…
    df = duties("新闻、出版、广播、电影、电视等部门应当加强社会治安综合治理的宣传报道。")
    assert set(df["actor"]) == {"新闻出版部门", "广播电视部门"}
    assert "村居民委员会" in set(duties("机关、团体、企业事业单位和城乡基层组织，应当建立健全治安保卫组织。")["actor"])
    assert list(duties("用工单位招用外来人员，应当查验其身份证明。")["actor"]) == ["用人单位"]
    # the body a government set up (…设立的妇女儿童工作委员会) bears the duties, not the government
    df = duties("市、区人民政府设立的妇女儿童工作委员会，依法履行以下职责：（一）组织、协调有关部门做好未成年人保护工作；"
                "（二）研究未成年人保护工作。")
    assert set(df["actor"]) == {"妇女儿童工作委员会"}
    # …确定或者组建的法律援助机构具体负责…: an adverb may follow the body a 的-phrase names
    assert list(duties("市和区、县司法行政部门确定或者组建的法律援助机构具体负责受理法律援助申请。")["actor"]) == ["法律援助机构"]
    # … also inside a list: 行为人所在单位或者行为发生地乡镇人民政府、街道办事处和村（居）民委员会
    df = duties("知情的见义勇为行为人所在单位或者行为发生地乡镇人民政府、街道办事处和村（居）民委员会，也应当主动举荐见义勇为人员。")
    assert set(df["actor"]) == {"用人单位", "乡镇人民政府街道办事处", "村居民委员会"}
    # X的单位 is the known kind X单位: 特种行业的单位, 公共场所的单位 (not any 单位)
    assert list(duties("开办旅馆、印章刻制等特种行业的单位，应当向公安部门申领许可证。")["actor"]) == ["特种行业单位"]
    assert list(duties("开办咖啡馆、茶座等公共场所的单位，应当建立治安管理制度。")["actor"]) == ["场所管理单位"]
    # 有下列情形之一的人员/个人/单位，不得…: those persons or units bear the prohibition
    assert list(zip(*[duties("有下列情形之一的人员，不得担任法定代表人。")[c] for c in ("actor", "modality")])) == \
        [("公民", "prohibit")]
    assert list(duties("有下列情形之一的单位，不得申请许可证。")["actor"]) == ["有关单位"]
    # 管理人, 经营人, 使用人 are persons though they start with a verb; 人员 alone is persons as such
    df = duties("船舶所有人、经营人、管理人应当落实反恐怖主义安全防范措施。")
    assert set(df["actor"]) == {"船舶所有人", "经营人", "管理人"}
    assert "公民" in set(duties("未经有关部门批准，出海船舶和人员不得搭靠境外船舶。")["actor"])
    # 实行…负责制 states a system (负责制定 is still a cue); 召开/至少 never inside a name; 报刊、广播、
    # 电视等单位 are the news media
    assert duties("司法鉴定实行鉴定人负责制度。").empty
    assert duties("安全生产委员会至少每季度召开一次会议。").empty
    assert list(duties("乡（镇）人民政府负责制定本辖区的应急预案。")["actor"]) == ["乡镇人民政府街道办事处"]
    assert list(duties("报刊、广播、电视等单位有进行安全生产宣传教育的义务。")["actor"]) == ["新闻媒体"]
    # a 的-phrase naming a list the lexicon knows only in part keeps the known member
    df = duties("住宅区的物业服务企业或者其他管理人应当做好下列消防安全工作：（一）开展日常消防安全宣传教育。")
    assert set(df["actor"]) == {"物业服务企业"}
    # 工作机构 alone names no field (it was read as the nearest known body, 金融工作机构); after a
    # committee, 及其工作机构 is its office
    assert [x.actor for x in parse_actors("工作机构应当")] == []
    # an unknown body is a known one only when they share their field: 行政执法机关 is no 政法机关,
    # 互联网信息管理部门 is the 网信 department (not the 通信管理 one), 行政主管部门 is any department
    assert [x.actor for x in parse_actors("行政执法机关应当")] == ["行政执法机关"]
    assert [x.actor for x in parse_actors("互联网信息管理部门应当")] == ["网信部门"]
    # the social insurance agencies are the 人社 system's, not insurers (保险机构 is a 金融机构)
    assert [x.actor for x in parse_actors("社会保险经办机构应当")] == ["人力资源和社会保障部门"]
    df = duties("市、县（区）精神文明建设指导委员会及其工作机构应当组织开展文明城市创建活动。")
    assert set(df["actor"]) == {"精神文明建设委员会", "精神文明建设委员会办公室"}
    # a comma inside a parenthesis ends no clause
    df = duties("开办旅馆、印章刻制等特种行业的单位（含个体工商户，下同），应当向公安部门申领许可证。")
    assert list(df["actor"]) == ["特种行业单位"]
    # a body named by where it is: what precedes 所在地/发生地 only says where
    df = duties("物业管理区域由物业所在地县级物业主管部门会同街道办事处划分。")
    assert list(zip(df.actor, df.role)) == [("房产管理部门", "bearer"), ("乡镇人民政府街道办事处", "collaborator")]
    # an alias the text defines after a department named with a generic head is that department
    reg = pc.parse_text("第一条 县级以上人民政府房产行政主管部门（以下称物业主管部门）负责物业管理的监督管理工作。\n"
                        "第二条 物业主管部门应当加强对物业服务企业的监督。")
    assert list(pc.extract_duties(reg).query("article_no == 2").actor) == ["房产管理部门"]
    # … but the object of 指导、监督 is no subject
    df = duties("居民委员会应当指导、帮助和监督未成年人的父母或者其他监护人依法履行监护职责。")
    assert list(df["actor"]) == ["村居民委员会"]


def test_who_fills_a_body_is_no_duty_of_it():
    assert duties("平安建设领导小组由社区党委书记担任组长，社区民警、居委会主任等担任副组长。").empty
    assert duties("评定委员会由主任委员、副主任委员、委员组成。").empty
    # … but what a body does through its staff is its duty
    assert list(duties("公安机关认定吸毒成瘾应当由两名以上人民警察进行。")["actor"]) == ["公安机关"]


def test_rights_are_permissions_only_on_request():
    body = "任何单位和个人都有权对不文明行为进行劝阻。收到举报的部门应当及时处理。"
    assert "有权" not in set(duties(body)["cue"])  # a right is no duty
    df = duties(body, rights=True)
    right = df[df["cue"] == "有权"]
    assert list(zip(right.actor, right.modality)) == [("任何单位和个人", "may")]
    # 有权机关 is a name, and a right does not turn the duty after it into a right
    df = duties("由有权机关依法予以处理。", rights=True)
    assert list(df["cue"]) == [""] and list(df["actor"]) == ["有权机关"]
    df = duties("街道办事处、乡镇人民政府指导、监督业主大会、业主委员会依法履行职责，有权撤销其作出的违反法律法规的决定；"
                "参加物业承接查验，指导监督辖区内物业管理项目的移交。", rights=True)
    assert list(zip(df.modality, df.cue)) == [("shall", ""), ("may", "有权"), ("shall", "")]
    assert set(df["actor"]) == {"乡镇人民政府街道办事处"}


def test_statements_are_not_duties():
    assert duties("平安建设工作实行领导责任制。各单位主要负责人是平安建设第一责任人。").empty
    # a standard's target rate (暂住人口办证率达到95%) is nobody's duty
    assert duties("人口管理严密扎实。暂住人口办证率达到95%以上，租赁房屋入户率达到100%。").empty
    # who answers for what, officer by officer: roles, not duties of the first one named
    assert duties("国家机关、人民团体、企业事业单位主要负责人为平安建设工作第一责任人，分管负责人为直接责任人，"
                  "其他负责人对分管领域平安建设工作负直接领导责任。").empty
    assert duties("本条例自2024年1月1日起施行。").empty


def test_accepts_corpus_list_and_rejects_text():
    reg = pc.parse_text("第一条 公安机关应当加强治安管理。")
    assert len(pc.extract_duties([reg])) == len(pc.extract_duties(pc.Corpus([reg]))) == 1
    with pytest.raises(TypeError):
        pc.extract_duties("公安机关应当加强治安管理。")


# -- seed articles, read by hand ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def seed():
    corpus = pc.load_corpus("data/raw")
    return corpus, pc.extract_duties(corpus)


def art(seed, doc, no, role="bearer"):
    df = seed[1]
    return df[(df["doc_id"] == doc) & (df["article_no"] == no) & (df["role"] == role)]


def test_seed_ordos_21_school_bullying(seed):
    # 教育体育部门应当会同公安机关、市场监督管理、消防救援等…；学校应当…；公安机关应当加强警校联动…
    got = triples(art(seed, "ordos_pingan_2024", 21))
    assert got == {("教育部门", "shall"), ("学校", "shall"), ("公安机关", "shall")}
    collab = triples(art(seed, "ordos_pingan_2024", 21, "collaborator"), "collaborator")
    assert {("公安机关", "shall"), ("市场监督管理部门", "shall"), ("消防救援机构", "shall")} <= collab
    levels = set(art(seed, "ordos_pingan_2024", 21)["actor_level"].dropna())
    assert levels == {"市、旗区"}


def test_seed_ordos_29_illegal_fundraising(seed):
    got = {a for a, _ in triples(art(seed, "ordos_pingan_2024", 29))}
    assert {"人民政府", "金融管理部门", "防范和处置非法集资牵头部门", "公安机关", "宣传部门", "金融机构"} <= got
    assert "有关部门" not in got  # 行业主管部门、监管部门 is the head of the list, not a bearer


def test_seed_ordos_30_postal_real_name(seed):
    df = art(seed, "ordos_pingan_2024", 30)
    assert ("寄递物流企业", "prohibit") in triples(df)
    assert ("寄件人", "shall") in triples(df)
    row = df[df["modality"] == "prohibit"].iloc[0]
    assert row["condition"] == "拒绝接受验视或者安全检查的"


def test_seed_hubei_5_items_inherit(seed):
    df = art(seed, "hubei_pingan_2024", 5)
    assert set(df["actor"]) == {"平安建设组织协调机构"}
    # item 6 "国家和省规定的其他平安建设职责" names no action: not a duty of its own
    assert sorted(df["item_no"].dropna()) == [1, 2, 3, 4, 5]
    assert set(df["cue"]) == {"负责"}


def test_seed_hubei_40_property_and_encouragement(seed):
    got = triples(art(seed, "hubei_pingan_2024", 40))
    assert got == {("人民政府", "shall"), ("有关部门", "shall"), ("物业服务企业", "shall"), ("业主委员会", "encourage")}


def test_seed_hubei_41_may_and_encourage(seed):
    got = triples(art(seed, "hubei_pingan_2024", 41))
    # …可以…鼓励和支持社会组织参与: the gold's 社会组织 encourage (found since 2026-12-03)
    assert got == {("人民政府", "may"), ("有关部门", "may"), ("金融机构", "encourage"), ("社会组织", "encourage")}


def test_seed_xizang_49_rented_housing(seed):
    got = triples(art(seed, "xizang_pingan_2022", 49))
    assert got == {("公安机关", "shall"), ("乡镇人民政府街道办事处", "shall"), ("出租人", "shall"),
                   ("承租人", "prohibit")}


def test_seed_xiangtan_42_alias_and_xinjiang_7_comma_in_list(seed):
    assert ("社会治安综合治理中心", "may") in triples(art(seed, "xiangtan_pingan_draft", 42))
    got = {a for a, _ in triples(art(seed, "xinjiang_pingan_draft", 7))}
    assert got == {"人民法院", "人民检察院", "公安机关", "国家安全机关", "司法行政部门"}


def test_seed_hohhot_without_commas(seed):
    # 市人民政府应当建立平安指数公开发布制度对治安风险隐患进行预警提示…
    df = art(seed, "hohhot_shehui_zhili_2022", 20)
    assert triples(df) == {("人民政府", "shall")} and set(df["actor_level"]) == {"市"}
    # 鼓励各类志愿服务组织和志愿者参与社会治理志愿服务组织应当加强…: a new subject in a run-on sentence
    assert triples(art(seed, "hohhot_shehui_zhili_2022", 54)) >= {("志愿服务组织", "encourage"),
                                                                 ("志愿服务组织", "shall")}
    # 对社会治理工作成绩突出的组织和个人由有关部门按照规定给予表彰和奖励
    assert triples(art(seed, "hohhot_shehui_zhili_2022", 12)) == {("有关部门", "shall")}


def test_seed_changsha_36_court_may(seed):
    got = triples(art(seed, "changsha_pingan_draft", 36))
    assert got == {("人民法院", "shall"), ("人民法院", "may")}


def test_seed_whole_corpus_sanity(seed):
    df = seed[1]
    assert set(df["modality"]) == {"shall", "may", "encourage", "prohibit"}
    assert df["actor"].notna().all()
    assert not df["action"].str.contains(r"[，。；：]$").any()
    # outside the lexicon only names built like bearers' names (…部门, …委员会, …人员, …户)
    from pingan_corpus.parse.regexes import OPEN_NP_HEAD
    assert {a for a in set(df["actor"]) - set(actors()["actor"]) if not OPEN_NP_HEAD.search(a)} == set()


# -- law never seen: bearers the lexicon does not know, names of other eras ---------------------------
def test_a_list_of_bearers_the_lexicon_does_not_know():
    df = duties("律师、公证员、基层法律服务工作者应当依法履行法律援助义务。")
    assert triples(df) == {("律师", "shall"), ("公证员", "shall"), ("基层法律服务工作者", "shall")}
    # one unknown member never wipes out the list
    df = duties("工商行政、体育、绿化、商业和卫生等行政管理部门应当配合公安部门做好治安管理工作。")
    assert {"体育部门", "绿化部门", "商业部门"} <= set(df.loc[df["role"] == "bearer", "actor"])
    # a shared head: 特种行业和公共场所单位 are two kinds of 单位 (the operator of a public place is the
    # lexicon's 场所管理单位, as the gold names it)
    df = duties("特种行业和公共场所单位应当建立治安防范制度。")
    assert triples(df) == {("特种行业单位", "shall"), ("场所管理单位", "shall")}
    # the staff of a body are bearers of their own
    df = duties("国家机关及其工作人员不得泄露检举材料。")
    assert triples(df) == {("国家机关", "prohibit"), ("国家工作人员", "prohibit")}


def test_a_name_longer_than_the_lexicon_knows_is_kept_whole():
    assert triples(duties("医院举办者应当加强安全防范设施建设投入。")) == {("医院举办者", "shall")}
    df = duties("市、区人民政府流动人口服务管理委员会负责组织、协调本行政区域流动人口服务管理工作。")
    assert triples(df) == {("流动人口服务管理委员会", "shall")} and df["actor_level"].tolist() == ["市、区"]


def _dated(body: str, year: int) -> pd.DataFrame:
    reg = pc.parse_text(f"某市某条例\n（{year}年6月1日某市人民代表大会常务委员会通过）\n第一条 {body}")
    return pc.extract_duties(reg)


def test_bodies_are_named_as_they_stood_on_the_texts_date():
    body = "工商行政管理、劳动和社会保障、文化等部门应当按照各自职责做好相关工作。"
    old, new = _dated(body, 2004), _dated(body, 2021)
    assert set(old["actor"]) == {"工商行政管理部门", "劳动和社会保障部门", "文化部门"}  # one body each, of 2004
    assert set(new["actor"]) == {"市场监督管理部门", "人力资源和社会保障部门", "文化和旅游部门"}
    # today's body is always there to group by
    assert set(old["actor_current"]) == {"市场监督管理部门", "人力资源和社会保障部门", "文化和旅游部门"}
    assert set(_dated("公安消防机构应当加强消防监督检查。", 2011)["actor"]) == {"公安消防机构"}
    assert set(_dated("社会治安综合治理委员会应当定期研究治安形势。", 2005)["actor"]) == {"社会治安综合治理委员会"}


def test_actor_historical_and_current():
    assert pc.actor_historical("工商行政管理部门", "2005-01-01") == "工商行政管理部门"
    assert pc.actor_historical("工商行政管理", "2020-05-01") == "市场监督管理部门"
    assert pc.actor_historical("卫生", "2016-01-01") == "卫生和计划生育部门"
    assert pc.actor_current("劳动保障") == "人力资源和社会保障部门"
    assert pc.actor_historical("不是机关", "2020-01-01") is None
    hist = actors().set_index("actor")
    assert hist.loc["公安消防机构", "successor"] == "消防救援机构" and hist.loc["公安消防机构", "renamed"] == "2018"


def test_older_constructions():
    # X在…工作中的任务是：(一)…; 有…的义务; a subject inside 发现… with no 的
    df = duties("公安机关在社会治安综合治理工作中的任务是：（一）打击违法犯罪；（二）维护治安秩序。")
    assert triples(df) == {("公安机关", "shall")}
    assert triples(duties("公民有协助公安机关维护社会治安的义务。")) == {("公民", "shall")}
    df = duties("特种行业单位发现违法犯罪嫌疑人，应当立即向公安部门报告。")
    assert triples(df) == {("特种行业单位", "shall")}
    # 其他组织 is not 社会组织; definitions and principles impose nothing
    assert triples(duties("其他组织应当予以配合。")) == {("其他组织", "shall")}
    assert duties("本条例所称信访人，是指采用书信、电话、走访等形式反映情况的公民。").empty
    assert duties("奖励和保障见义勇为人员应当坚持公开、公平和公正的原则。").empty


# -- older and other wordings of unseen law (issue 16, 2026-12-03) ---------------------------------
@pytest.mark.parametrize("sentence,expected", [
    # 主管 as a declarative duty
    ("县级以上人民政府司法行政部门主管本行政区域内的法律援助工作。", {("司法行政部门", "shall")}),
    # 由X会同Y…负责: X bears it
    ("刑满释放人员安置帮教工作，由司法行政部门会同公安、民政等部门负责。", {("司法行政部门", "shall")}),
    # 应由X代为…: the agent after 由
    ("精神病人有实际问题要求解决，应由其监护人或者亲属代为反映。", {("监护人", "shall"), ("亲属", "shall")}),
    # names of other eras and forms
    ("居（村）民委员会应当组织居民开展群防群治工作。", {("村居民委员会", "shall")}),
    ("外来务工人员、暂住人员应当依法申报暂住登记。", {("流动人口", "shall")}),
    ("国家机关、社会团体、企业事业组织应当加强本单位人员的教育。", {("国家机关人民团体企业事业单位", "shall")}),
    ("各级党委和人民政府应当把平安建设纳入发展规划。", {("党委", "shall"), ("人民政府", "shall")}),
    ("每个公民都有维护社会治安的义务。", {("公民", "shall")}),
    ("公民有同违法犯罪行为作斗争的权利和义务。", {("公民", "shall")}),
    ("全社会应当关心和支持见义勇为人员。", {("任何单位和个人", "shall")}),
    ("城市街道办事处和乡、镇人民政府，应当建立社会治安综合治理领导小组。", {("乡镇人民政府街道办事处", "shall")}),
    # a committee and its office: the office the lexicon knows is the committee
    ("综治委及其办公室应当加强指导。", {("社会治安综合治理委员会", "shall")}),
    ("流动人口服务管理委员会下设办公室，负责日常工作。", {("流动人口服务管理委员会办公室", "shall")}),
    # 国家鼓励…, 全社会倡导…: the regulation's own voice, like 本市鼓励…
    ("国家鼓励律师、公证员参与矛盾纠纷化解。", {("律师", "encourage"), ("公证员", "encourage")}),
])
def test_older_and_other_wordings(sentence, expected):
    assert triples(duties(sentence)) == expected


@pytest.mark.parametrize("body", [
    "本市信访工作应当遵循下列原则：\n（一）属地管理、分级负责；\n（二）方便信访人。",  # principles, and 属地 is no government
    "信访人可以就下列事项向人民法院提出信访请求：\n（一）对人民法院工作的建议；\n（二）依法应当由人民法院受理的其他信访请求。",
    "领导小组由社区党委书记担任组长。",  # who fills a post
])
def test_lists_of_principles_matters_and_posts_are_no_duties_of_those_named(body):
    got = triples(duties(body))
    assert not ({a for a, _ in got} & {"人民政府", "人民法院", "党委"}), got


def test_an_actor_encouraging_others_gives_the_encouraged_their_own_row():
    # DUTIES.md: 市、旗区人民政府应当引导和支持社会组织参与 → 人民政府 shall + 社会组织 encourage
    df = duties("市、旗区人民政府应当引导和支持社会组织参与平安建设工作。")
    assert triples(df) == {("人民政府", "shall"), ("社会组织", "encourage")}
    df = duties("住房城乡建设等部门应当加强指导，引导鼓励物业服务企业参与平安建设工作。")
    assert ("物业服务企业", "encourage") in triples(df)
    # bodies of the state doing their own duty, or parties to a case, are not encouraged
    assert "encourage" not in set(duties("县级以上人民政府应当支持有关部门依法履行职责。")["modality"])
    assert "encourage" not in set(duties("人民调解委员会应当引导当事人依法解决纠纷。")["modality"])


# -- bureaus, parties and copulas (second real set, 2026-12-03) ------------------------------------
@pytest.mark.parametrize("body, expected", [
    # a bureau named 局/厅 is its department; 市 + 民政局 is not 市民 + 政局
    ("市民政局应当建立困难群众救助制度。", {("民政部门", "shall")}),
    ("县公安局依法应当加强治安巡逻。", {("公安机关", "shall")}),
    ("省司法厅应当加强对法律援助工作的指导。", {("司法行政部门", "shall")}),
    ("市民应当遵守社会公德。", {("公民", "shall")}),
    # what follows 是 describes the subject: 主管部门 is no second bearer
    ("市公安局是本市特种行业治安管理工作的主管部门，负责实施本条例。", {("公安机关", "shall")}),
    # a party to a dispute
    ("在土地权属纠纷未解决前，任何一方不得改变争议土地的现状。", {("当事人", "prohibit")}),
])
def test_bureaus_parties_and_copulas(body, expected):
    assert triples(duties(body)) == expected


# -- documents, compositions, exceptions and parties (sixth real set, 2026-12-03) ------------------
@pytest.mark.parametrize("body, expected", [
    # a document the regulation prescribes is nobody's bearer, though it names an actor (村民 of 村民自治章程)
    ("村民自治章程、村规民约不得与宪法、法律、法规和国家的政策相抵触。", set()),
    # … unless the text says who makes it
    ("建设单位在销售物业前制定的临时管理规约不得侵害物业买受人的合法权益。", {("建设单位", "prohibit")}),
    # who a body is made of is no duty of it
    ("村民会议由本村十八周岁以上的村民组成。", set()),
    # what the 除…外 clause excepts is nobody's duty
    ("对未成年人的信件，除因追查犯罪的需要由公安机关依照法律规定的程序进行检查外，任何组织或者个人不得开拆。",
     {("任何单位和个人", "prohibit")}),
    ("代理人继续提出的，有关国家机关不再受理。", {("国家机关", "prohibit")}),  # (2026-12-05: 国家机关, not 有关部门)
    # a list closed by 等, one of whose members the lexicon does not know
    ("行政机关、市公共信用信息服务中心和其他企业事业单位等应当建立信息安全管理机制。",
     {("行政机关", "shall"), ("公共信用机构", "shall"), ("企业事业单位", "shall")}),  # (the centre: 2026-12-05)
    # a body named by what it does (为…提供…的), though its name starts like a verb (教育…)
    ("为未成年人提供课外培训的教育培训机构应当建立安全保卫制度。", {("教育培训机构", "shall")}),
    # parties and traders of the consumer and procedure laws
    ("公民和有关经营者应当自觉维护城市公共形象。", {("公民", "shall"), ("经营者", "shall")}),
    ("当事人及其诉讼代理人、辩护人可以依法向鉴定机构核实送鉴材料。",
     {("当事人", "may"), ("代理人", "may"), ("辩护人", "may")}),
    # departments the corpus names that the lexicon lacked (they were read as open names)
    ("市人防部门和体育部门应当按照各自职责做好相关工作。", {("人民防空部门", "shall"), ("体育部门", "shall")}),
    ("违反本条例规定的，由综合行政执法部门责令改正。", {("城市管理部门", "shall")}),
    ("文化广电旅游体育部门应当加强文明旅游宣传。", {("文化和旅游部门", "shall")}),
    ("任何人不得损坏、挪用消防设施。", {("任何单位和个人", "prohibit")}),
    # a body the lexicon lacks opening a 的-condition, or addressed by 鼓励, is still the bearer
    ("商事调解组织变更住所等登记事项的，应当向市司法行政部门申请办理变更登记。", {("商事调解组织", "shall")}),
    ("鼓励商事调解组织建立小额商事纠纷快速调解处理机制。", {("商事调解组织", "encourage")}),
    # … but not persons or a team the condition speaks of (多人…的, 专职消防队确需撤销的)
    ("多人采用走访形式提出共同信访请求的，应当推举代表。", set()),
    # … nor a body whose breach the condition names (the sanction that follows is not its duty)
    ("消防安全重点单位未将应急预案向公安机关消防机构备案的，责令改正。", set()),
    # a committee's own office, named after it, is a body of its own (the lexicon's known offices aside)
    ("县级以上安全生产委员会办公室设在应急管理部门，负责指导协调安全生产监督管理工作。",
     {("安全生产委员会办公室", "shall")}),
])
def test_documents_compositions_exceptions_and_parties(body, expected):
    assert triples(duties(body)) == expected


# -- bare units, meetings, associations, media (issue 16, 2026-12-05) -------------------------------
def test_bare_unit_as_subject_is_every_unit_and_never_any_unit():
    # 单位 standing alone as the subject of a fire-safety article: every unit (机关、团体、企业、事业单位)
    df = duties("单位应当履行下列消防安全职责：（一）制定本单位的消防安全制度；（二）组织防火检查，及时消除火灾隐患。")
    assert triples(df) == {("国家机关人民团体企业事业单位", "shall")}
    # units a 的-clause picks out are not "有关单位" (the clause names who they are)
    assert triples(duties("接受告知的单位应当派代表参加会议。")) == set()


def test_a_body_meeting_in_session_is_that_body():
    # 业主大会会议 is the owners' assembly acting in session (the assembly is read as 业主委员会, DUTIES.md)
    assert triples(duties("业主大会会议可以采用集体讨论的形式，也可以采用书面征求意见的形式。")) == {("业主委员会", "may")}


@pytest.mark.parametrize("body, expected", [
    # a trade's association (行业协会 → 社会组织, DUTIES.md), named by its trade; 律师 inside it is no bearer
    ("律师协会应当支持、配合法律援助工作，监督律师依法办理法律援助。", {("社会组织", "shall")}),
    ("消防协会应当建立健全行业消防安全自律机制。", {("社会组织", "shall")}),
    ("本市支持商事调解行业组织制定商事调解员能力水平评价标准。", {("社会组织", "encourage")}),
    # (an association the lexicon knows keeps its own name)
    ("见义勇为协会应当做好见义勇为人员的慰问工作。", {("见义勇为基金会", "shall")}),
])
def test_a_trade_association_is_a_social_organisation(body, expected):
    assert triples(duties(body)) == expected


def test_the_network_among_the_media_is_an_internet_service_provider():
    # 网络 in a list of media units: the online services (互联网服务提供者), beside the press (新闻媒体) …
    assert triples(duties("报刊、广播、电视、网络等单位有进行安全生产宣传教育的义务。")) == {
        ("新闻媒体", "shall"), ("互联网服务提供者", "shall")}
    # … but under the head 媒体 it is one of the media; and 网络 alone is no actor
    assert triples(duties("广播、电视、报刊、网络等媒体应当加强安全生产公益宣传。")) == {("新闻媒体", "shall")}
    assert triples(duties("网络安全应当纳入平安建设考核。")) == set()


def test_the_state_organs_concerned_are_state_organs():
    # 有关国家机关 are the state organs concerned (courts and procuratorates among them), not "有关部门"
    assert triples(duties("信访人提出的建议有贡献的，由有关国家机关给予奖励。")) == {("国家机关", "shall")}
    assert triples(duties("有关机关应当依法处理。")) == {("有关部门", "shall")}


def test_the_public_credit_centre_is_the_public_credit_body():
    # 上海's 市公共信用信息服务中心 and 深圳's 市公共信用机构 are the same body of the credit regulations
    assert triples(duties("市公共信用信息服务中心负责建设、运行和维护市公共信用信息服务平台。")) == {("公共信用机构", "shall")}
    assert triples(duties("市公共信用机构应当建立信用信息安全管理制度。")) == {("公共信用机构", "shall")}


@pytest.mark.parametrize("body, expected", [
    # the office alone as the next sentence's subject is the office of the body named before it
    ("反恐怖主义工作领导机构应当加强办事机构建设。办事机构负责反恐怖主义工作领导机构的日常工作。",
     {("反恐怖主义工作领导机构", "shall"), ("反恐怖主义工作领导机构办事机构", "shall")}),
    ("市突发事件应急委员会应当设立常设办事机构。办事机构负责值守应急、信息汇总等工作。",
     {("突发事件应急委员会", "shall"), ("突发事件应急委员会办事机构", "shall")}),
    # (an office with no body named before it is nobody's)
    ("办公室负责日常工作。", set()),
])
def test_an_office_alone_is_the_office_of_the_body_named_before(body, expected):
    assert triples(duties(body)) == expected


@pytest.mark.parametrize("body, expected", [
    # other persons closing a list of persons are persons (公民), and so are those who know of a deed
    ("学生、家长以及其他人员，应当尊重教师，遵守学校管理制度。",
     {("学生", "shall"), ("学生家长", "shall"), ("公民", "shall")}),
    ("见义勇为行为人或者其他知情人也可以申报见义勇为人员。", {("见义勇为人员", "may"), ("公民", "may")}),
    # … but the persons a predicate acts on are no bearers (疏散…的其他人员，并…: 并 goes on with the subject)
    ("无法保证安全的，生产经营单位应当撤出人员，疏散周边可能危及的其他人员，并设置警戒标志。",
     {("生产经营单位", "shall")}),
    ("学校应当立即救护，及时通知未成年人的父母或者其他监护人。", {("学校", "shall")}),
    # a status protected by law is no duty of the protected
    ("鉴定机构和鉴定人依法开展司法鉴定活动受法律保护，不受任何机关、社会团体和个人的干预。", set()),
])
def test_other_persons_objects_and_protected_status(body, expected):
    assert triples(duties(body)) == expected


def test_the_defence_industry_department_of_the_2000s():
    # 国防科技 in a 2000s list of departments is the 国防科技工业 department (国防科技工业局/办公室)
    df = duties("发展改革、公安、国防科技等有关部门，应当在各自的职责范围内做好国家安全技术保卫工作。")
    assert triples(df) == {("发展改革部门", "shall"), ("公安机关", "shall"), ("国防科技工业部门", "shall")}


def test_all_parties_of_society_are_everyone():
    # 社会各方 names everyone, as 全社会 does: the encouraged are 任何单位和个人
    df = duties("鼓励社会各方共同参与社会信用体系建设，增强守法履约意识。")
    assert triples(df) == {("任何单位和个人", "encourage")}


@pytest.mark.parametrize("body, expected", [
    # the tortfeasor after 由 bears the costs
    ("见义勇为人员因见义勇为引起的医疗费、误工费等费用，由侵权人依法承担。", {("侵权人", "shall")}),
    # the persons of a body the lexicon knows (业主 → its 代表, 村民委员会 → its 成员) are the agent, not the body
    ("业主应当将其书面意见提交业主代表，由业主代表代为转交。", {("业主", "shall"), ("业主代表", "shall")}),
    ("下属委员会的工作由村民委员会成员分工负责。", {("村民委员会成员", "shall")}),
])
def test_persons_after_you_bear_the_allocation(body, expected):
    assert triples(duties(body)) == expected


def test_an_item_naming_its_own_subject_the_staff_of_a_place():
    # (二) of a lead-in list names its own subject: the staff of the control room, not the units
    df = duties("单位应当履行下列职责：（一）制定制度；（二）按照国家标准设置消防控制室，消防控制室的值班人员应当"
                "遵守消防控制室操作规程，不得擅离职守；（三）其他职责。")
    assert triples(df) == {("国家机关人民团体企业事业单位", "shall"), ("消防控制室值班人员", "shall"),
                           ("消防控制室值班人员", "prohibit")}
    assert set(df.loc[df["actor"] == "消防控制室值班人员", "actor_surface"]) == {"消防控制室的值班人员"}


@pytest.mark.parametrize("body, expected", [
    # 鼓励X与Y合作: X is encouraged, Y is its partner (not encouraged, and X not lost)
    ("鼓励保险机构与志愿服务组织合作，为志愿者提供保险服务。", {("金融机构", "encourage")}),
    ("鼓励各级行政机关与企业事业单位等开展信息合作。", {("行政机关", "encourage")}),
    # … also when another actor's duty encourages it
    ("本市各行业协会应当加强行业信用管理建设，鼓励行业协会与信用服务机构合作，开展信用评价。",
     {("社会组织", "shall"), ("社会组织", "encourage")}),
])
def test_the_partner_after_yu_is_not_encouraged(body, expected):
    assert triples(duties(body)) == expected


@pytest.mark.parametrize("body, expected", [
    # 方可 (only then may) is a permission of the subject named before it in its clause
    ("经国家安全机关审查批准后，相关部门方可办理有关手续。", {("有关部门", "may")}),
    # … not of whoever was named before (the approving body, a carried subject, the 的-phrase's owner)
    ("公共管理和服务机构产生的信用信息，在公共信用信息目录所列范围之内的，方可作为公共信用信息。", set()),
    # … and 患方可以 is 患方 + 可以
    ("医疗纠纷发生后，医疗机构和患方可以通过协商解决纠纷。", {("医疗机构", "may"), ("患者", "may")}),
])
def test_fangke_is_a_permission_of_the_subject_named_with_it(body, expected):
    assert triples(duties(body)) == expected


def test_society_as_a_member_of_a_list_of_bearers_is_everyone():
    # 社会 between 政府 and 学校 is everyone (as 全社会), not dropped; alone it is no alias (社会保障, 社会信用)
    df = duties("政府、社会、学校和家庭应当对未成年人进行教育。")
    assert triples(df) == {("人民政府", "shall"), ("任何单位和个人", "shall"), ("学校", "shall"), ("家庭", "shall")}
    assert triples(duties("人力资源和社会保障部门应当做好就业服务。")) == {("人力资源和社会保障部门", "shall")}


@pytest.mark.parametrize("body, expected", [
    # X应当履行的义务 inside a list of what a document settles: it names a duty, imposes none on X
    ("建设单位在销售物业前，应当制定临时管理规约，对业主的共同利益，业主应当履行的义务，违反临时管理规约应当承担的"
     "责任等事项依法作出约定。", {("建设单位", "shall")}),
    ("法律、法规对政府各有关部门应当承担的物业服务监督管理职责有规定的，依照其规定。", set()),
    # … but 应当履行…的义务 with its object is a duty
    ("公民应当履行维护社会治安的义务。", {("公民", "shall")}),
])
def test_a_duty_named_in_a_relative_clause_is_none(body, expected):
    assert triples(duties(body)) == expected
