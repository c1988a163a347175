"""Tests for pingan_corpus.gazetteer: packaged data and jurisdiction inference."""

from __future__ import annotations

from collections import Counter

import pytest

from pingan_corpus.parse import gazetteer as gazetteer
from pingan_corpus.parse.gazetteer import infer_jurisdiction, lookup

PROVINCE_LEVELS = {"province", "autonomous_region", "municipality", "sar"}
PREFECTURE_LEVELS = {"city", "autonomous_prefecture", "prefecture", "league"}


# --- data sanity -------------------------------------------------------------------


def test_level_counts() -> None:
    levels = Counter(d.level for d in gazetteer.divisions())
    assert sum(levels[lv] for lv in PROVINCE_LEVELS) == 34
    assert levels["municipality"] == 4
    assert levels["sar"] == 2
    assert levels["autonomous_region"] == 5
    assert sum(levels[lv] for lv in PREFECTURE_LEVELS) >= 300
    assert set(levels) <= PROVINCE_LEVELS | PREFECTURE_LEVELS


def test_names_unique_and_shorts_long_enough() -> None:
    divs = gazetteer.divisions()
    keyed = Counter((d.province, d.level, d.name) for d in divs)
    assert max(keyed.values()) == 1
    assert all(len(d.short) >= 2 for d in divs)
    assert all(len(a) >= 2 for d in divs for a in d.aliases)
    # Every surface form must point to one division, or lookups would be ambiguous.
    forms = [f for d in divs for f in {d.name, d.short, *d.aliases}]
    assert len(forms) == len(set(forms))


def test_hierarchy() -> None:
    provinces = {d.name for d in gazetteer.divisions() if d.level in PROVINCE_LEVELS}
    for d in gazetteer.divisions():
        if d.level in PROVINCE_LEVELS:
            assert d.province is None and d.adcode.endswith("0000000000")
        else:
            assert d.province in provinces
            assert d.adcode[:2] == lookup(d.province).adcode[:2]
    assert [d.adcode for d in gazetteer.divisions()] == sorted(
        d.adcode for d in gazetteer.divisions()
    )


@pytest.mark.parametrize(
    ("name", "level", "short"),
    [
        ("湖北省", "province", "湖北"),
        ("西藏自治区", "autonomous_region", "西藏"),
        ("新疆维吾尔自治区", "autonomous_region", "新疆"),
        ("广西壮族自治区", "autonomous_region", "广西"),
        ("北京市", "municipality", "北京"),
        ("鄂尔多斯市", "city", "鄂尔多斯"),
        ("呼和浩特市", "city", "呼和浩特"),
        ("湘潭市", "city", "湘潭"),
        ("长沙市", "city", "长沙"),
        ("恩施土家族苗族自治州", "autonomous_prefecture", "恩施"),
        ("锡林郭勒盟", "league", "锡林郭勒"),
        ("大兴安岭地区", "prefecture", "大兴安岭"),
    ],
)
def test_known_divisions(name: str, level: str, short: str) -> None:
    d = lookup(name)
    assert d is not None and d.name == name
    assert d.level == level
    assert d.short == short


def test_lookup_by_short_and_alias() -> None:
    assert lookup("湘潭").name == "湘潭市"
    assert lookup("青城").name == "呼和浩特市"
    assert lookup("星城").name == "长沙市"
    assert lookup("恩施州").name == "恩施土家族苗族自治州"
    # The province keeps the bare short name when a prefecture shares it.
    assert lookup("吉林").name == "吉林省"
    assert lookup("吉林市").level == "city"
    assert lookup("鄂尔多斯").province == "内蒙古自治区"
    assert lookup("中国") is None
    assert lookup("平安") is None


def test_aliases_present() -> None:
    n = sum(len(d.aliases) for d in gazetteer.divisions() if d.level == "city")
    assert n >= 40


# --- title-based inference ----------------------------------------------------------

BODY = "第一条　为了加强平安建设，维护社会和谐稳定，根据有关法律、行政法规，制定本条例。"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("湖北省平安建设条例", ("湖北省", "province")),
        ("西藏自治区平安建设条例", ("西藏自治区", "autonomous_region")),
        ("新疆维吾尔自治区社会治安综合治理条例", ("新疆维吾尔自治区", "autonomous_region")),
        ("鄂尔多斯市平安建设条例", ("鄂尔多斯市", "city")),
        ("内蒙古自治区鄂尔多斯市平安建设条例", ("鄂尔多斯市", "city")),
        ("平安湖北建设条例", ("湖北省", "province")),
        ("上海市平安建设条例", ("上海市", "municipality")),
    ],
)
def test_title_decides(title: str, expected: tuple[str, str]) -> None:
    assert infer_jurisdiction(title, BODY) == expected


def test_title_beats_text() -> None:
    text = "第一条　为了建设平安长沙，结合本市实际，制定本条例。"
    assert infer_jurisdiction("湘潭市平安建设条例", text) == ("湘潭市", "city")


def test_title_without_division_falls_back_to_text() -> None:
    text = "第一条　为了推进平安湘潭建设，结合本市实际，制定本条例。"
    assert infer_jurisdiction("平安建设条例", text) == ("湘潭市", "city")


# --- text-based inference -----------------------------------------------------------


def test_text_pingan_slogan() -> None:
    text = (
        "第一条　为了推进平安湘潭建设，维护社会长治久安，保障人民群众生命财产安全，"
        "根据有关法律、法规，结合本市实际，制定本条例。\n"
        "第二条　本市行政区域内的平安建设及其相关活动，适用本条例。"
    )
    assert infer_jurisdiction(None, text) == ("湘潭市", "city")


def test_text_pingan_autonomous_region() -> None:
    text = (
        "第一条　为了建设更高水平的平安新疆，根据有关法律、行政法规，"
        "结合本自治区实际，制定本条例。\n"
        "第二条　本自治区行政区域内的平安建设工作，适用本条例。"
    )
    assert infer_jurisdiction(None, text) == ("新疆维吾尔自治区", "autonomous_region")


def test_text_government_as_subject() -> None:
    text = (
        "第一条　为了规范社会治安综合治理工作，根据有关法律、法规，结合本市实际，制定本条例。\n"
        "第四条　湘潭市人民政府应当将平安建设纳入国民经济和社会发展规划，"
        "所需经费列入本级财政预算。\n"
        "第五条　湘潭市人民政府负责组织实施本条例。"
    )
    assert infer_jurisdiction("", text) == ("湘潭市", "city")


def test_text_approval_by_government_is_not_subject() -> None:
    # "经湖南省人民政府批准" names the approving body, not the enacting one.
    text = "第九条　专项规划经湖南省人民政府批准后实施。"
    assert infer_jurisdiction(None, text) == (None, None)


def test_text_alias_with_city_cue() -> None:
    text = (
        "第一条　为了推进智慧青城建设，提升本市社会治理智能化水平，"
        "结合本市实际，制定本规定。\n"
        "第三条　本市各级人民政府应当统筹推进智慧青城建设，加强数据共享。"
    )
    assert infer_jurisdiction(None, text) == ("呼和浩特市", "city")


def test_text_neighbours_list() -> None:
    text = (
        "第一条　为了建设平安湘潭，结合本市实际，制定本条例。\n"
        "第二十条　本市与长沙市、株洲市建立平安建设区域协作机制，"
        "共同做好矛盾纠纷联调、治安联防工作。"
    )
    assert infer_jurisdiction(None, text) == ("湘潭市", "city")


def test_text_neighbours_listed_repeatedly() -> None:
    text = (
        "第一条　为了建设平安湘潭，结合本市实际，制定本条例。\n"
        "第二十条　本市与长沙、株洲、衡阳等地建立协作机制。"
        "本市与长沙市、株洲市共同推进长株潭一体化平安建设。"
        "本市与长沙市、株洲市相邻区域应当加强联防联控。"
    )
    assert infer_jurisdiction(None, text) == ("湘潭市", "city")


def test_province_cue_breaks_tie_with_city() -> None:
    text = (
        "第一条　为了推进平安湖南建设，结合本省实际，制定本条例。\n"
        "第二条　本省行政区域内的平安建设适用本条例。"
        "第三十条　支持平安长沙建设。"
    )
    assert infer_jurisdiction(None, text) == ("湖南省", "province")


def test_city_cue_breaks_tie_with_province() -> None:
    text = (
        "第一条　为了在平安湖南建设中建设平安长沙，结合本市实际，制定本条例。\n"
        "第二条　本市行政区域内的平安建设适用本条例。本市各级人民政府应当加强领导。"
    )
    assert infer_jurisdiction(None, text) == ("长沙市", "city")


def test_community_rule_gives_none() -> None:
    text = (
        "第一条　为了建设平安村、和谐社区，维护本社区公共秩序，"
        "经居民会议讨论通过，制定本公约。\n"
        "第二条　本社区居民应当遵守法律法规，邻里之间互谅互让，共建平安家园。\n"
        "第三条　居民发现安全隐患，应当及时向社区居民委员会报告。"
    )
    assert infer_jurisdiction(None, text) == (None, None)
    assert infer_jurisdiction("某某社区居民公约", text) == (None, None)


def test_pingan_zhongguo_gives_none() -> None:
    text = "为深入推进平安中国建设，维护国家安全和社会稳定，保障人民安居乐业，特制定本办法。"
    assert infer_jurisdiction(None, text) == (None, None)
    assert infer_jurisdiction("平安中国建设纲要", text) == (None, None)


def test_idioms_are_not_places() -> None:
    # 长治久安 contains 长治; 长沙县 / 朝阳区 are county-level, not prefecture evidence.
    text = "维护社会长治久安。长治久安是平安建设的目标。长沙县、朝阳区的经验值得推广。"
    assert infer_jurisdiction(None, text) == (None, None)


def test_empty_inputs() -> None:
    assert infer_jurisdiction(None, "") == (None, None)
    assert infer_jurisdiction("", "") == (None, None)


def test_long_text_is_fast() -> None:
    import time

    text = ("本市各级人民政府应当加强平安建设，维护社会长治久安。" * 4000) + "建设平安湘潭。"
    start = time.perf_counter()
    assert infer_jurisdiction(None, text) == ("湘潭市", "city")
    assert time.perf_counter() - start < 2.0


def test_aho_corasick_scan_equals_the_reference_regex():
    """The fast scanner finds exactly what the trie regex finds: on real texts and on strings built
    to stress overlaps (平安 before a name, names inside names, stop phrases)."""
    import random
    from pathlib import Path

    from pingan_corpus.parse import gazetteer as g

    def reference(text):
        return [(m.start(), m.end(), m.group("pre"), m.group("tok")) for m in g._scanner().finditer(text)]

    texts = [p.read_text("utf-8") for p in sorted((Path(__file__).parents[1] / "data" / "raw").glob("*.txt"))]
    words = sorted(g._token_index()) + list(g.STOP_PHRASES)
    rng = random.Random(7)
    filler = list("平安智慧市县区省的和、自治州")
    for _ in range(5000):
        parts = []
        for _ in range(rng.randint(1, 8)):
            r = rng.random()
            parts.append(rng.choice(words) if r < 0.5 else rng.choice(["平安", "智慧", "平", "安"]) if r < 0.65
                         else "".join(rng.choice(filler) for _ in range(rng.randint(0, 3))))
        texts.append("".join(parts))
    for text in texts:
        assert g.scan(text) == reference(text), text[:80]
