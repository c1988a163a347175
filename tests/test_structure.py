"""The structural parser on constructed texts written the way Chinese regulations are written."""
from __future__ import annotations

import pandas as pd
import pytest

import pingan_corpus as pc
from pingan_corpus.numerals import parse_numeral, to_chinese
from pingan_corpus.parse.segment import split_documents


def _lossless(reg: pc.Regulation) -> None:
    """The units of the document cover its text exactly, in order, without overlap."""
    pos = 0
    pieces = []
    for kind, s, e in reg.units():
        assert s == pos, f"gap or overlap before {kind} at {s} (expected {pos})"
        pieces.append(reg.text[s:e])
        pos = e
    assert pos == len(reg.text)
    assert "".join(pieces) == reg.text
    for a in reg.articles:
        if a.paragraphs:
            assert a.paragraphs[0].start >= a.start and a.paragraphs[-1].end == a.end
            for p, q in zip(a.paragraphs, a.paragraphs[1:]):
                assert p.end == q.start


# -- numerals ------------------------------------------------------------------------------------
@pytest.mark.parametrize("label, value", [
    ("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("九十九", 99), ("一百", 100), ("一百零三", 103),
    ("一百一十八", 118), ("一百十八", 118), ("两百", 200), ("一千零一", 1001), ("12", 12), ("１２", 12),
])
def test_chinese_numerals(label, value):
    assert parse_numeral(label) == value


def test_numerals_round_trip():
    for n in range(1, 1000):
        assert parse_numeral(to_chinese(n)) == n
    assert parse_numeral("条") is None


# -- articles and references ---------------------------------------------------------------------
REFS = """某市社会治理条例
第一条 为了加强社会治理，根据有关法律、法规，结合本市实际，制定本条例。
第二条 违反本条例第一条规定的，依照本条例第十二条处理；情节严重的，适用第三条第二款。
第三条 本条例第二条所称单位，是指国家机关、人民团体。前款规定的单位应当依照
第十二条规定履行职责。
第四条 本条例自2025年1月1日起施行。
"""


def test_in_text_references_never_start_articles():
    reg = pc.parse_text(REFS)
    assert [a.number for a in reg.articles] == [1, 2, 3, 4]
    assert "依照本条例第十二条处理" in reg.article(2).text
    assert "适用第三条第二款" in reg.article(2).text
    # a reference wrapped onto its own line stays in the article, in the same paragraph
    art3 = reg.article(3)
    assert art3.text.endswith("前款规定的单位应当依照第十二条规定履行职责。")
    assert len(art3.paragraphs) == 1
    assert not reg.warnings or all(w.code == "metadata" for w in reg.warnings)
    _lossless(reg)


ARTICLES_OPENING_LIKE_REFERENCES = """某市平安建设条例
第一条　为了加强平安建设，制定本条例。
第二条中山市人民政府负责本条例的实施。
第三条和田地区行政公署应当依照本条例第二条中的规定执行。
第四条 中小学校应当开展安全教育。第二条和第三条规定的事项，依照第二条至第三条办理。
第五条　本条例第三条、第四条所称部门，按第四条中所列执行。
第六条　本条例自公布之日起施行。
"""


def test_articles_opening_with_zhong_or_he_are_not_references():
    # 中山市, 和田地区, 中小学校 begin articles; 第二条中的 / 第二条和第三条 / 第三条、第四条 are references
    reg = pc.parse_text(ARTICLES_OPENING_LIKE_REFERENCES)
    assert [a.number for a in reg.articles] == [1, 2, 3, 4, 5, 6]
    assert reg.article(2).text.startswith("中山市人民政府")
    assert reg.article(3).text.startswith("和田地区行政公署")
    assert reg.article(4).text.endswith("依照第二条至第三条办理。")
    assert reg.article(5).text == "本条例第三条、第四条所称部门，按第四条中所列执行。"
    _lossless(reg)


def test_glued_articles_are_split_only_where_numbering_continues():
    text = ("第一条 为了规范管理，制定本条例。第二条 各级人民政府应当加强领导。第五条规定的事项除外。"
            "第三条 本条例自公布之日起施行。")
    reg = pc.parse_text(text)
    assert [a.number for a in reg.articles] == [1, 2, 3]
    assert reg.article(2).text == "各级人民政府应当加强领导。第五条规定的事项除外。"
    assert reg.article(1).text == "为了规范管理，制定本条例。"
    _lossless(reg)

def test_a_chapter_heading_glued_to_a_label_that_ends_its_line_is_one_chapter():
    # a web page's paragraph break lost between a chapter heading and the article label after it
    # (found by the markup property test): the line is the heading, the label, then a line break
    text = ("某市平安建设条例\n第一章 总则\n第一条 为了推进平安建设，制定本条例。\n第二条 本条例适用于本市行政区域。\n"
            "第二章 基础建设第三条\n市人民政府应当加强基层平安创建工作。\n第四条 本条例自公布之日起施行。\n")
    reg = pc.parse_text(text)
    assert [(c.number, c.title, [a.number for a in c.articles]) for c in reg.chapters] == \
        [(1, "总则", [1, 2]), (2, "基础建设", [3, 4])]
    assert reg.article(3).text == "市人民政府应当加强基层平安创建工作。"
    _lossless(reg)



def test_inserted_articles_sort_between_their_neighbours():
    text = "第十二条 甲。\n第十二条之一 乙。\n第十二条之二 丙。\n第十三条 丁。"
    reg = pc.parse_text(text)
    keys = [a.key for a in reg.articles]
    assert keys == [(12, 0), (12, 1), (12, 2), (13, 0)]
    assert [a.label for a in reg.articles] == ["第十二条", "第十二条之一", "第十二条之二", "第十三条"]
    assert sorted(keys) == keys
    assert reg.article(12, 1).text == "乙。"


def test_large_article_numbers():
    text = "\n".join(f"第{to_chinese(n)}条 本条规定事项{n}。" for n in range(1, 121))
    reg = pc.parse_text(text)
    assert [a.number for a in reg.articles] == list(range(1, 121))
    assert reg.article(103).label == "第一百零三条"


def test_numbering_gap_duplicate_and_order_become_warnings():
    text = ("第一条 甲。\n第二条 乙。\n第五条 丙。\n第五条 丁。\n第四条 戊。\n第六条 己。")
    reg = pc.parse_text(text)
    assert [a.number for a in reg.articles] == [1, 2, 5, 5, 4, 6]
    codes = [w.code for w in reg.warnings]
    assert "numbering_gap" in codes and "numbering_duplicate" in codes and "numbering_order" in codes
    _lossless(reg)


def test_text_without_provisions_is_a_parse_error():
    with pytest.raises(pc.ParseError, match="no provision"):
        pc.parse_text("这是一段没有条文编号的普通文字，讨论平安建设的意义。")


# -- chapters, sections, table of contents ----------------------------------------------------------
SECTIONS = """某省安全生产条例
（2023年5月30日某省第十四届人民代表大会常务委员会第三次会议通过）
目  录
第一章 总 则
第二章 生产经营单位的安全保障
第三章 附 则
第一章 总  则
第一条 为了加强安全生产工作，制定本条例。
第二条 本条例适用于本省行政区域内的安全生产。
第二章 生产经营单位的安全保障
第一节 一般规定
第三条 生产经营单位应当具备安全生产条件。
第四条 生产经营单位的主要负责人对本单位安全生产工作全面负责。
第二节 特别规定
第五条 危险物品的生产单位应当设置安全生产管理机构。
第三章 附 则
第六条 本条例自2023年10月1日起施行。
"""


def test_chapters_sections_and_toc():
    reg = pc.parse_text(SECTIONS)
    assert [(c.number, c.title) for c in reg.chapters] == [(1, "总则"), (2, "生产经营单位的安全保障"), (3, "附则")]
    ch2 = reg.chapters[1]
    assert [(s.number, s.title) for s in ch2.sections] == [(1, "一般规定"), (2, "特别规定")]
    assert [a.number for a in ch2.sections[0].articles] == [3, 4]
    assert reg.article(5).section == 2 and reg.article(5).chapter == 2
    assert reg.article(1).section is None
    assert "目录" in reg.front_matter and "第二章生产经营单位的安全保障" in reg.front_matter
    assert reg.title == "某省安全生产条例"
    assert str(reg.adopted) == "2023-05-30" and str(reg.effective) == "2023-10-01"
    _lossless(reg)


# -- paragraphs, items, sub-items ------------------------------------------------------------------
ITEMS = """第一条 网格员应当履行下列职责：
（一）采集基础信息，包括：
1.实有人口信息；
2.房屋信息；
（二）排查矛盾纠纷；
（三）法律、法规规定的其他职责。
网格员发现安全隐患的，应当及时报告。
第二条 平安建设的主要任务是：(一)维护国家政治安全;(二)防范化解风险;(三)开展平安创建活动。
第三条 有下列情形之一的，依照前款第（一）项规定处理：
第四条 乡镇人民政府应当支持网格化服务管理。
村民委员会应当协助开展工作。
对在平安建设中作出突出贡献的单位和个人，给予表彰。
"""


def test_items_subitems_and_paragraphs():
    reg = pc.parse_text(ITEMS)
    a1 = reg.article(1)
    assert len(a1.paragraphs) == 2
    p1 = a1.paragraphs[0]
    assert [i.number for i in p1.items] == [1, 2, 3]
    # an item's text includes its sub-items, as a paragraph's text includes its items
    assert p1.items[0].text == "采集基础信息，包括：1.实有人口信息；2.房屋信息；"
    assert [(s.number, s.text) for s in p1.items[0].subitems] == [(1, "实有人口信息；"), (2, "房屋信息；")]
    assert p1.items[2].text == "法律、法规规定的其他职责。"
    assert a1.paragraphs[1].text == "网格员发现安全隐患的，应当及时报告。"
    assert p1.lead_in == "网格员应当履行下列职责："
    # items written inline, with half-width marks
    a2 = reg.article(2)
    assert [(i.label, i.text) for i in a2.items] == [
        ("（一）", "维护国家政治安全；"), ("（二）", "防范化解风险；"), ("（三）", "开展平安创建活动。")]
    # a reference to an item is not an item, and an announced list with no items is a warning
    a3 = reg.article(3)
    assert a3.items == []
    assert any(w.code == "empty_list" for w in a3.warnings)
    assert len(reg.article(4).paragraphs) == 3
    _lossless(reg)


def test_line_broken_mid_sentence_continues_the_paragraph():
    reg = pc.parse_text("第一条 鼓励通过社会捐赠等符合国家法律\n法规规定的渠道吸纳资金。\n第二条 本条例自公布之日起施行。")
    assert reg.article(1).paragraphs[0].text == "鼓励通过社会捐赠等符合国家法律法规规定的渠道吸纳资金。"


def test_headings_in_brackets_and_on_the_label_line():
    text = ("第一条【立法目的】为了推进平安建设，制定本条例。\n"
            "第二条 适用范围\n本条例适用于本市行政区域。\n"
            "第三条〔定义〕本条例所称平安建设，是指…。")
    reg = pc.parse_text(text)
    assert [a.heading for a in reg.articles] == ["立法目的", "适用范围", "定义"]
    assert reg.article(2).text == "本条例适用于本市行政区域。"
    assert reg.article(1).text == "为了推进平安建设，制定本条例。"


def test_headings_in_parentheses_after_the_label():
    # drafts (征求意见稿) write 第一条（立法目的）; a parenthesis that is an item mark, a sentence, an
    # abbreviation note or an editorial mark stays in the body
    text = ("第一条（立法目的）为了推进平安建设，制定本条例。\n"
            "第二条 (适用范围)\n本条例适用于本省行政区域。\n"
            "第三条（一）公安机关负责治安；（二）司法行政部门负责调解。\n"
            "第四条（删除）\n"
            "第五条（以下简称平安办）负责日常工作。\n"
            "第六条（二〇二〇年修订）乡镇人民政府应当加强基层治理。\n"
            "第七条（政府、部门职责）县级以上人民政府应当加强领导。\n"
            "第八条（平安建设工作协调机制）建立健全平安建设工作协调机制。")
    reg = pc.parse_text(text)
    assert [a.heading for a in reg.articles] == ["立法目的", "适用范围", None, None, None, None, "政府、部门职责",
                                                 "平安建设工作协调机制"]
    assert reg.article(1).text == "为了推进平安建设，制定本条例。"
    assert reg.article(2).text == "本条例适用于本省行政区域。"
    assert [i.text for i in reg.article(3).items] == ["公安机关负责治安；", "司法行政部门负责调解。"]
    assert reg.article(4).text == "（删除）"
    assert reg.article(5).text.startswith("（以下简称平安办）")
    assert reg.article(7).text == "县级以上人民政府应当加强领导。"
    _lossless(reg)


def test_chapter_title_on_the_line_after_its_label():
    reg = pc.parse_text("第一章\n总则\n第一条\n为了推进平安建设，制定本条例。\n第二章\n附则\n第二条 本条例自公布之日起施行。\n")
    assert [(c.label, c.title) for c in reg.chapters] == [("第一章", "总则"), ("第二章", "附则")]
    assert reg.article(1).text == "为了推进平安建设，制定本条例。"
    _lossless(reg)
    # a sentence or a label on the next line is not a title
    reg = pc.parse_text("第一章\n第一条 为了推进平安建设，制定本条例。\n第二章\n（一）公安机关负责。\n第二条 本条例自公布之日起施行。")
    assert [c.title for c in reg.chapters] == ["", ""]
    _lossless(reg)


PARTS_TEXT = """某某省社会治理条例

目录
第一编 总则
第一章 一般规定
第二编 分则
第一章 责任
第二章 附则

第一编 总则
第一条 为了推进平安建设，制定本条例。
第一章 一般规定
第二条 本条例适用于本省行政区域。
第二编 分则
第一章 责任
第一节 政府责任
第三条 县级以上人民政府应当加强领导。
第四条 公安机关应当维护社会治安。
第二章 附则
第五条 本条例自公布之日起施行。
"""


def test_parts_above_chapters_with_chapters_restarting_in_each_part():
    reg = pc.parse_text(PARTS_TEXT)
    assert [(p.label, p.title) for p in reg.parts] == [("第一编", "总则"), ("第二编", "分则")]
    assert [[c.title for c in p.chapters] for p in reg.parts] == [["一般规定"], ["责任", "附则"]]
    assert [[a.number for a in p.articles] for p in reg.parts] == [[1, 2], [3, 4, 5]]
    assert [(c.number, c.part) for c in reg.chapters] == [(1, 1), (1, 2), (2, 2)]
    assert [a.number for a in reg.chapters[1].sections[0].articles] == [3, 4]
    # the 目录 (a run restarting at 第一编) is front matter; no numbering warning for the restart
    assert "目录" in reg.front_matter and reg.front_matter.count("第一编") == 1
    assert not [w for w in reg.warnings if w.code.startswith("numbering")]
    # no heading line leaks into an article
    assert all("编" not in a.text and "章" not in a.text for a in reg.articles)
    assert [u[0] for u in reg.units()].count("part") == 2
    _lossless(reg)
    df = reg.to_frame()
    assert df["part_no"].tolist() == [1, 1, 2, 2, 2]
    # chapter titles by the article's own chapter, not by a number shared by two parts
    assert pd.isna(df["chapter_title"][0]) and df["chapter_title"].tolist()[1:] == ["一般规定", "责任", "责任", "附则"]


def test_part_numbering_gaps_are_warnings_and_a_part_reference_is_not_a_heading():
    reg = pc.parse_text("第一编 总则\n第一条 本条例依照第三编的规定制定。\n第三编 附则\n第二条 本条例自公布之日起施行。")
    assert [p.number for p in reg.parts] == [1, 3]
    # a skipped part number is a lost heading, named with its neighbours
    assert any(w.code == "lost_heading" and "第二编" in str(w) and "第三编" in str(w) for w in reg.warnings)
    assert reg.article(1).text == "本条例依照第三编的规定制定。"
    _lossless(reg)


# -- documents without 第X条 -----------------------------------------------------------------------
def test_provisions_numbered_with_chinese_and_arabic_marks():
    text = """小区安全管理制度
一、总则
为了维护小区安全，制定本制度。
二、职责
1.物业服务企业负责巡查；
2.业主委员会负责监督。
三、本制度自发布之日起执行。
"""
    reg = pc.parse_text(text)
    assert reg.numbering == "provision"
    assert [(a.number, a.label, a.heading) for a in reg.articles] == [
        (1, "一、", "总则"), (2, "二、", "职责"), (3, "三、", None)]
    assert [i.text for i in reg.article(2).items] == ["物业服务企业负责巡查；", "业主委员会负责监督。"]
    assert reg.title == "小区安全管理制度"
    _lossless(reg)


def test_arabic_numbered_provisions():
    reg = pc.parse_text("1、社区组织健全。\n2、治安秩序良好。\n3、防范措施有效。")
    assert [a.number for a in reg.articles] == [1, 2, 3]
    assert reg.article(2).text == "治安秩序良好。"


# -- several documents in one file ------------------------------------------------------------------
def test_numbering_restart_splits_documents(tmp_path):
    a = "甲市平安建设条例\n（2021年3月1日甲市人民代表大会常务委员会通过）\n第一章 总则\n第一条 甲。\n第二条 乙。\n第三条 丙。\n"
    b = "乙县物业管理办法\n第一条 丁。\n第二条 戊。\n"
    f = tmp_path / "two.txt"
    f.write_text(a + b, encoding="utf-8")
    regs = pc.parse_file(f)
    assert [r.title for r in regs] == ["甲市平安建设条例", "乙县物业管理办法"]
    assert [len(r.articles) for r in regs] == [3, 2]
    assert regs[0].article(3).text == "丙。"
    assert "".join(r.text for r in regs) == regs[0].normalized.text
    assert [r.doc_id for r in regs] == ["two-01", "two-02"]
    assert [r.position for r in regs] == [1, 2]


def test_compilation_headers_split_documents_and_furniture_is_front_and_back_matter():
    text = ("规章制度汇编推荐度：\n- 相关推荐\n制度汇编（精选2篇）\n简介：制度是……\n"
            "制度汇编 1\n第一条 甲。\n第二条 乙。\n"
            "制度汇编 2\n一、丙。\n二、丁。\n"
            "【制度汇编】相关文章：\n安全制度01-06\n")
    spans = split_documents(pc.normalize_text(text))
    assert len(spans) == 2
    import pathlib
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        f = pathlib.Path(d) / "c.txt"
        f.write_text(text, encoding="utf-8")
        regs = pc.parse_file(f)
    assert "推荐度" in regs[0].front_matter and "相关推荐" in regs[0].front_matter
    assert "相关文章" in regs[1].back_matter and "相关文章" not in regs[1].article(2).text
    assert regs[1].article(2).text == "丁。"
    for r in regs:
        _lossless(r)


def test_compilation_whose_numbering_restarts_is_split_at_every_header():
    text = "汇编 1\n第一条 甲。\n汇编 2\n第一条 乙。\n汇编 1\n第一条 丙。\n汇编 2\n第一条 丁。\n"
    spans = split_documents(pc.normalize_text(text))
    assert len(spans) == 4


def test_list_announced_mid_sentence_without_items_is_a_warning():
    reg = pc.parse_text("第一条 发现有下列情形之一的应当责令整改。\n第二条 有下列情形之一的：\n（一）甲；\n（二）乙。")
    assert [w.code for w in reg.article(1).warnings] == ["empty_list"]
    assert reg.article(2).warnings == [] and len(reg.article(2).items) == 2


def test_what_follows_the_commencement_clause_and_is_not_a_sentence_is_back_matter():
    # a site's topic line, and a promulgation signature and date under the text
    reg = pc.parse_text("某市物业管理条例\n第一条 为了规范物业管理，制定本条例。\n第二条 本条例自2020年5月1日起施行。\n"
                        "2005年制定的《某市物业管理办法》同时废止。\n本篇法规所属专题：物业管理\n"
                        "某市人民代表大会常务委员会\n2020年3月27日")
    assert reg.article(2).text == "本条例自2020年5月1日起施行。\n2005年制定的《某市物业管理办法》同时废止。"
    assert reg.back_matter == "本篇法规所属专题：物业管理\n某市人民代表大会常务委员会\n2020年3月27日"
    _lossless(reg)
    # before the commencement clause, a line without a full stop is still the article's (a lead-in, a list)
    reg = pc.parse_text("某市条例\n第一条 为了，制定本条例。\n第二条 下列单位应当履行职责：\n（一）甲单位\n（二）乙单位\n"
                        "第三条 本条例自公布之日起施行。")
    assert [i.text for i in reg.article(2).items] == ["甲单位", "乙单位"] and reg.back_matter == ""


def test_a_heading_after_the_commencement_clause_is_back_matter():
    # a compilation page: the next document's header and first chapter heading after this one ends
    reg = pc.parse_text("某市条例\n第一章 总则\n第一条 为了，制定本条例。\n第二章 附则\n第二条 本条例自2020年1月1日起施行。\n"
                        "社区平安建设制度6\n第一章 总则")
    assert [c.number for c in reg.chapters] == [1, 2]
    assert reg.back_matter == "社区平安建设制度6\n第一章总则"
    _lossless(reg)


# -- a text flattened to one line ----------------------------------------------------------------
@pytest.mark.parametrize("seed, chapters", [
    ("hubei_pingan_jianshe_tiaoli_2024.txt", ["总则", "风险防范", "矛盾纠纷化解", "重点治理", "社会参与", "监督与考核", "附则"]),
    ("xiangtan_pingan_jianshe_tiaoli_2022.txt", ["总则", "风险防控", "重点防治", "纠纷化解", "社会参与", "保障与监督", "附则"]),
])
def test_a_seed_flattened_to_one_line_parses_as_it_does_with_its_line_breaks(seed, chapters):
    """Pasted from a page that lost its line breaks, the regulation still has its title (run into
    its bracketed history and the 目录), its adoption date, its articles and chapters."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "data" / "raw" / seed).read_text(encoding="utf-8")
    flat = "".join(line.strip() for line in text.splitlines())
    assert "\n" not in flat
    want = pc.parse_text(text, doc_id="lines")
    got = pc.parse_text(flat, doc_id="flat")
    assert got.title == want.title and want.title.endswith("平安建设条例")
    assert got.adopted == want.adopted is not None
    assert [(a.number, a.label) for a in got.articles] == [(a.number, a.label) for a in want.articles]
    assert len(want.articles) >= 50
    assert [(c.number, c.title) for c in got.chapters] == [(c.number, c.title) for c in want.chapters]
    assert [c.title.replace(" ", "") for c in got.chapters] == chapters  # as the seed's 目录 and headings read
    _lossless(got)


def test_a_flattened_text_keeps_a_mid_sentence_first_article_out_when_a_real_one_exists():
    """第一条 mid-sentence is a reference when the text has a 第一条 of its own at a line start."""
    text = ("某市物业管理条例\n第一条 为了规范物业管理，制定本条例。\n"
            "第二条 业主依照本条例第一条规定的原则行使权利。\n第三条 本条例自2020年1月1日起施行。\n")
    reg = pc.parse_text(text)
    assert [a.number for a in reg.articles] == [1, 2, 3]
    assert "第一条规定的原则" in reg.articles[1].text


def test_every_list_mark_starts_with_a_character_the_fast_path_looks_for():
    """structure._MARK_FIRST lets the item pass skip ranges with no list mark: every style of
    rx.ITEM_MARKS must start with one of its characters, or items of a new style would be lost."""
    import re as _re

    from pingan_corpus.parse import regexes as rx
    from pingan_corpus.parse.structure import _MARK_FIRST

    for style, pattern in rx.ITEM_MARKS.items():
        first = _re.match(r"\[([^\]]+)\]|\(\?P<num>\[([^\]]+)\]", pattern.pattern)
        assert first, f"{style}: pattern does not open with a character class"
        cls = _re.compile(f"[{first.group(1) or first.group(2)}]")
        starts = [c for c in map(chr, range(0x20, 0x10000)) if not 0xD800 <= ord(c) < 0xE000 and cls.fullmatch(c)]
        assert starts and set(starts) <= _MARK_FIRST, (style, sorted(set(starts) - _MARK_FIRST)[:5])


def test_paragraphs_made_on_first_reading_are_those_made_at_once(tmp_path):
    """An article's paragraphs are made when first read (models.Deferred); the warnings that need
    them (an announced list with no items, an empty article) are the same as when every article's
    paragraphs were made during the parse: checked here on the bundled corpus and, when present, on
    the real one, by the rule itself run on the paragraphs read afterwards."""
    import pickle

    from realcorpus import CORPUS

    from pingan_corpus.parse import regexes as rx

    folders = ["data/raw"] + ([CORPUS] if (CORPUS / "manifest.csv").is_file() else [])
    checked = 0
    for folder in folders:
        for reg in pc.load_corpus(folder):
            copy = pickle.loads(pickle.dumps(reg))  # (pickling reads every article's paragraphs)
            for art, again in zip(reg.articles, copy.articles):
                expected = [p for p in art.paragraphs
                            if not p.items and "下" in p.text and rx.LIST_LEAD_IN.search(p.text)]
                got = [w for w in art.warnings if w.code == "empty_list"]
                assert len(got) == len(expected), (reg.doc_id, art.label)
                assert any(w.code == "empty_article" for w in art.warnings) == (not art.paragraphs and not art.heading)
                assert again.paragraphs == art.paragraphs and again.text == art.text
                checked += 1
    assert checked > 500
