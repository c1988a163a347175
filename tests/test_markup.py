"""Constructed cases: Markdown, HTML and static-site markup around a regulation never reaches the law's
text; headings are found in every dress; labels that look like references are told apart from
references; defects of a source are reported, never hidden.

Every example is a short regulation written here in the style of real ones. Two bases are used:
SHORT (5 articles, 3 chapters), built by ``regulation()`` with the markup of one case, and LONG
(20 articles, 6 chapters), a plain LawRefBook-style Markdown text that the tests edit with
``str.replace`` to make the defect or the dress they need.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest
from realcorpus import MARKUP, coverage_errors, markup_left

import pingan_corpus as pc

# -- SHORT: a five-article regulation, rendered with the markup of each case ----------------------------
TITLE = "嘉兴市平安建设条例"
DATES = ("2023年6月28日 嘉兴市第十届人民代表大会常务委员会第十二次会议通过",
         "2023年7月27日 浙江省第十四届人民代表大会常务委员会第四次会议批准")
ADOPTED = dt.date(2023, 6, 28)
CHAPTERS = [(1, "总则"), (2, "平安建设职责"), (3, "附则")]
CHAPTER_BEFORE = {1: 1, 3: 2, 5: 3}  # article number → the chapter whose heading comes before it
ARTICLES = {
    1: ["为了推进平安嘉兴建设，维护社会和谐稳定，保障人民群众安居乐业，根据有关法律、行政法规，结合本市实际，制定本条例。"],
    2: ["本条例适用于本市行政区域内的平安建设及其相关工作。",
        "本条例所称平安建设，是指在党委领导下，运用法治思维和法治方式，防范化解各类风险，维护社会和谐稳定的活动。"],
    3: ["市、县（市、区）人民政府应当加强对平安建设工作的领导，将平安建设纳入国民经济和社会发展规划，所需经费列入本级财政预算。"],
    4: ["公安机关应当依法防范和打击违法犯罪活动，加强社会治安防控体系建设，维护社会治安秩序。",
        "其他有关部门按照各自职责，做好平安建设相关工作。"],
    5: ["本条例自2023年10月1日起施行。"],
}
CN = dict(enumerate("一二三四五六七八九十", start=1)) | {
    k: "十" + "一二三四五六七八九"[k - 11] for k in range(11, 20)} | {20: "二十"}

# markup of every family: none of it may reach a title, a chapter title or an article text
TOKENS = MARKUP + ("*", "__", "&ensp;", "&amp;", "{.", "<!--", "-->", "---", "[", "]", "tip", "details",
                   "tabs", "目录")


def label(n: int) -> str:
    return f"第{CN[n]}条"


def plain_article(n: int, lab: str, paras: list[str], sep: str = "\n\n") -> str:
    return sep.join([f"{lab} {paras[0]}", *paras[1:]])


def regulation(*, top=(), title="# {}", date="{}", info="<!-- INFO END -->", head=(), chapter="## {label} {title}",
               article=plain_article, tail=(), sep="\n\n") -> str:
    """SHORT as Markdown. ``top`` comes before the title line (YAML front matter); ``head`` between the
    date lines and the first chapter; ``tail`` after the last article. ``chapter`` is a format string
    (label, title, n) or a callable (n, title); ``article`` a callable (n, label, paragraphs)."""
    parts = list(top)
    if title:
        parts.append(title.format(TITLE))
    if date:
        parts += [date.format(d) for d in DATES]
    if info:
        parts.append(info)
    parts += list(head)
    for n, paras in ARTICLES.items():
        if n in CHAPTER_BEFORE:
            c = CHAPTER_BEFORE[n]
            t = dict(CHAPTERS)[c]
            parts.append(chapter(c, t) if callable(chapter) else chapter.format(label=f"第{CN[c]}章", title=t, n=c))
        parts.append(article(n, label(n), paras))
    parts += list(tail)
    return sep.join(parts) + "\n"


# -- LONG: twenty articles, six chapters, plain LawRefBook Markdown --------------------------------------
LONG_TITLE = "绍兴市社会治安综合治理条例"
LONG = """# 绍兴市社会治安综合治理条例

2023年8月30日 绍兴市第九届人民代表大会常务委员会第十三次会议通过

2023年11月24日 浙江省第十四届人民代表大会常务委员会第六次会议批准

<!-- INFO END -->

## 第一章 总则

第一条 为了加强社会治安综合治理，维护社会治安秩序，保障公民、法人和其他组织的合法权益，根据有关法律、法规，结合本市实际，制定本条例。

第二条 本市行政区域内的社会治安综合治理工作，适用本条例。

第三条 社会治安综合治理工作坚持党委领导、政府负责、民主协商、社会协同、公众参与、法治保障、科技支撑的原则。

第四条 市、区、县（市）人民政府应当将社会治安综合治理工作纳入国民经济和社会发展规划，所需经费列入本级财政预算。

## 第二章 防范与管理

第五条 乡镇人民政府、街道办事处应当建立健全社会治安综合治理中心，整合基层治理力量。

村民委员会、居民委员会应当协助做好矛盾纠纷排查化解、治安防范等工作。

第六条 鼓励单位和个人依法参与群防群治活动，对提供违法犯罪线索的，按照规定给予奖励。

第七条 机关、团体、企业事业单位应当履行下列治安保卫职责：

（一）落实内部治安保卫责任制度；

（二）加强对本单位人员的法治教育和管理；

（三）配备必要的技术防范设施；

（四）及时报告发生在本单位的违法犯罪案件。

第八条 中小学校、幼儿园应当建立健全安全管理制度，配备专职或者兼职安全保卫人员，做好校园及周边安全防范工作。

第九条 公安机关应当会同有关部门加强对旅馆业、娱乐场所、寄递物流等重点行业的治安管理。

第十条 公共视频图像信息系统的建设、使用和管理，应当遵守有关法律、法规的规定，保护个人隐私。

第十一条 网信、电信、公安等部门应当加强网络安全监管，依法防范和打击电信网络诈骗等违法犯罪活动。

## 第三章 打击违法犯罪

第十二条 公安机关应当依法严厉打击危害社会治安的违法犯罪活动，及时查处治安案件。

第十三条 人民检察院、人民法院应当依法履行职责，对严重危害社会治安的犯罪依法惩处。

## 第四章 考核与评估

第十四条 市、区、县（市）人民政府应当建立社会治安综合治理工作考核评价制度。

考核结果作为有关领导干部综合考核评价的重要内容。

第十五条 对在社会治安综合治理工作中做出显著成绩的单位和个人，按照国家和省有关规定给予表彰、奖励。

第十六条 市、区、县（市）人民政府可以组织开展群众安全感和满意度调查，调查结果向社会公布。

第十七条 市、区、县（市）人民政府可以委托第三方专业评估机构开展社会治安状况评估，评估机构应当遵循客观、公正的原则。

## 第五章 法律责任

第十八条 机关、团体、企业事业单位违反本条例第七条第二、三、四项规定的，由公安机关责令限期改正，并可以予以通报。

第十九条 国家机关及其工作人员未依照本条例第十四条第一款规定履行职责，或者滥用职权、玩忽职守、徇私舞弊的，依法给予处分；构成犯罪的，依法追究刑事责任。

## 第六章 附则

第二十条 本条例自2024年1月1日起施行。
"""
LONG_CHAPTERS = [(1, "总则"), (2, "防范与管理"), (3, "打击违法犯罪"), (4, "考核与评估"), (5, "法律责任"), (6, "附则")]
DEFECTS = ("lost_heading", "numbering_gap", "duplicate_toc", "truncated")


def long_with(*edits: tuple[str, str]) -> str:
    """LONG with each (old, new) edit applied; every old string must be there exactly once."""
    text = LONG
    for old, new in edits:
        assert text.count(old) == 1, f"the edit {old[:30]!r} does not match LONG exactly once"
        text = text.replace(old, new)
    return text


# -- shared checks ------------------------------------------------------------------------------------
def write(tmp_path, name: str, text: str):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def parse_one(path) -> pc.Regulation:
    regs = pc.parse_file(path)
    assert len(regs) == 1, f"{len(regs)} documents, expected 1: {[r.title for r in regs]}"
    return regs[0]


def numbers(reg) -> list[int]:
    return [a.number for a in reg.articles]


def chapters(reg) -> list[tuple[int, str]]:
    return [(c.number, c.title) for c in reg.chapters]


def texts(reg) -> dict[int, str]:
    """Article texts with their paragraph breaks removed, by number."""
    return {a.number: a.text.replace("\n", "") for a in reg.articles}


def assert_clean(reg, tokens=TOKENS) -> None:
    left = markup_left(reg, tokens)
    assert not left, "markup left:\n" + "\n".join(left)


def assert_short(reg) -> None:
    """SHORT exactly: title, adoption date, chapters, articles 1..5 and their words, no markup."""
    assert reg.title == TITLE
    assert chapters(reg) == CHAPTERS
    assert numbers(reg) == [1, 2, 3, 4, 5]
    assert texts(reg) == {n: "".join(p) for n, p in ARTICLES.items()}
    assert_clean(reg)
    assert reg.adopted == ADOPTED


def assert_long(reg) -> None:
    assert reg.title == LONG_TITLE
    assert chapters(reg) == LONG_CHAPTERS
    assert numbers(reg) == list(range(1, 21))
    assert_clean(reg)


def warnings_of(reg, code: str) -> list[str]:
    every = [*reg.warnings, *(w for a in reg.articles for w in getattr(a, "warnings", []))]
    return [w for w in every if getattr(w, "code", None) == code]


def assert_covered(reg) -> None:
    errors = coverage_errors(reg)
    assert not errors, f"units() does not cover the text: {errors}"


def kinds(reg) -> set[str]:
    return {r.kind for r in reg.normalized.removals}


# == (a) read by content, not by name ==================================================================
def test_the_same_markdown_as_txt_md_and_no_suffix_gives_the_same_articles(tmp_path):
    text = regulation()
    regs = [parse_one(write(tmp_path, name, text)) for name in ("jiaxing.md", "jiaxing.txt", "jiaxing")]
    for reg in regs:
        assert_short(reg)
        assert reg.normalized.format == "md", reg.normalized.notes
        assert any("Markdown" in n for n in reg.normalized.notes), reg.normalized.notes
    assert [a.text for a in regs[0].articles] == [a.text for a in regs[1].articles] == [a.text for a in regs[2].articles]


def html_page() -> str:
    paras = []
    for n, ps in ARTICLES.items():
        if n in CHAPTER_BEFORE:
            c = CHAPTER_BEFORE[n]
            paras.append(f"<h2>第{CN[c]}章 {dict(CHAPTERS)[c]}</h2>")
        paras.append(f"<p>{label(n)} {ps[0]}</p>")
        paras += [f"<p>{p}</p>" for p in ps[1:]]
    return ("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{TITLE}_嘉兴人大网</title>\n</head>\n<body>\n"
            "<div class=\"nav\"><a href=\"/\">首页</a> | <a href=\"/fg/\">法规库</a></div>\n"
            f"<div class=\"content\">\n<h1>{TITLE}</h1>\n"
            + "".join(f"<p style=\"text-align:center\">{d}</p>\n" for d in DATES)
            + "\n".join(paras)
            + "\n</div>\n<div class=\"footer\">版权所有：嘉兴市人大常委会办公室</div>\n</body>\n</html>\n")


@pytest.mark.parametrize("name", ["jiaxing_page.txt", "jiaxing_page.md"])
def test_a_full_html_page_saved_as_txt_or_md_is_read_as_html(tmp_path, name):
    reg = parse_one(write(tmp_path, name, html_page()))
    assert reg.normalized.format == "html", reg.normalized.notes
    assert any("HTML" in n for n in reg.normalized.notes), reg.normalized.notes
    assert_short(reg)


def test_plain_text_named_md_is_read_as_plain_text(tmp_path):
    lines = [TITLE, ("（2023年6月28日嘉兴市第十届人民代表大会常务委员会第十二次会议通过　"
                     "2023年7月27日浙江省第十四届人民代表大会常务委员会第四次会议批准）")]
    for n, ps in ARTICLES.items():
        if n in CHAPTER_BEFORE:
            c = CHAPTER_BEFORE[n]
            lines.append(f"第{CN[c]}章　{dict(CHAPTERS)[c]}")
        lines += [f"{label(n)}　{ps[0]}", *ps[1:]]
    reg = parse_one(write(tmp_path, "jiaxing.md", "\n".join(lines) + "\n"))
    assert reg.normalized.format == "txt", reg.normalized.notes
    assert any(re.search(r"plain|text|txt", n, re.IGNORECASE) for n in reg.normalized.notes), reg.normalized.notes
    assert_short(reg)


# == (b) every markup family is removed ================================================================
URL = "http://www.jiaxing.gov.cn/art/2023/7/28/art_1229_5634.html"
TOC = ("- [第一章 总则](#第一章-总则)\n"
       "- [第二章 平安建设职责](#第二章-平安建设职责)\n"
       "- [第三章 附则](#第三章-附则)")


def html_article(n, lab, paras):
    first = f"<b>{lab}</b> {paras[0]}" if n % 2 else f"{lab} {paras[0]}"
    return "<p>" + "<br>".join([first, *paras[1:]]) + "</p>"


ENTITY = {1: "&emsp;", 2: "&nbsp;&nbsp;", 3: "&ensp;", 4: "&emsp;", 5: "&nbsp;"}


def entity_article(n, lab, paras):
    return "\n\n".join([f"{lab}{ENTITY[n]}{paras[0]}", *(f"&emsp;&emsp;{p}" for p in paras[1:])])


def emphasised(text: str) -> str:
    return (text.replace("第一条 为了", "**第一条** 为了")
                .replace("本条例所称平安建设", "本条例所称*平安建设*")
                .replace("应当依法防范", "应当**依法**防范")
                .replace("本条例自2023年10月1日起施行。", "__本条例自2023年10月1日起施行。__"))


MARKUP_CASES = {
    "closing heading marks": regulation(title="# {} #", chapter="## {label} {title} ##"),
    "one-line comment in the body": regulation().replace(
        "\n\n第四条", "\n\n<!-- 第四条据2023年9月公布的文本核对 -->\n\n第四条"),
    "multi-line comment": regulation().replace(
        "\n\n## 第二章", "\n\n<!--\n校对说明：\n第三条据官方文本补正\n-->\n\n## 第二章"),
    "YAML front matter": regulation(top=["---\ntitle: 嘉兴市平安建设条例\ndate: 2023-06-28\ntags:\n  - 地方性法规\n---"]),
    "emphasis": emphasised(regulation()),
    "links": regulation().replace("根据有关法律、行政法规", "根据有关[法律](https://flk.npc.gov.cn/fl.html)、"
                                                            "[行政法规](https://flk.npc.gov.cn/xzfg.html)"),
    "Markdown table of contents": regulation(head=[TOC]),
    "[[toc]]": regulation(head=["[[toc]]"]),
    "HTML tags": regulation(date='<p align="center">{}</p>', article=html_article),
    "entities": regulation(article=entity_article),
    "attribute blocks": regulation(date='{}\n{{align="center"}}', chapter="## {label} {title} {{#chapter-{n}}}",
                                   info='<!-- INFO END -->\n\n{.law-body}'),
    "tip and details containers": regulation(
        head=["::: tip 提示\n本文本根据嘉兴人大网公布的文本整理，仅供参考，以官方文本为准。\n:::"],
        tail=[f"::: details 原文链接\n[{URL}]({URL})\n:::"]),
    "tabs": regulation(top=["::: tabs", "@tab 现行版本"], tail=[":::"]),
    "article index": regulation(head=["- 第1~5条：[1](#t1) [2](#t2) [3](#t3) [4](#t4) [5](#t5)"]),
    "footer": regulation(tail=[f"原文链接：{URL}", URL, "来源：嘉兴市人民代表大会常务委员会"]),
}


@pytest.mark.parametrize("case", list(MARKUP_CASES))
def test_markup_family_is_removed(tmp_path, case):
    reg = parse_one(write(tmp_path, "jiaxing.md", MARKUP_CASES[case]))
    assert_short(reg)


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_entities_are_decoded_and_spacing_made_canonical(tmp_path, suffix):
    text = regulation(article=entity_article, tail=[f"原文链接：{URL}?from=rss&amp;id=5634"])
    reg = parse_one(write(tmp_path, "jiaxing" + suffix, text))
    assert reg.article(1).text.startswith("为了")
    assert reg.article(3).text.startswith("市、县")
    assert "&" not in "".join(a.text for a in reg.articles)
    assert "&amp;" not in reg.text and "from=rss&id=5634" in reg.back_matter


@pytest.mark.parametrize("tail", [
    [f"原文链接：{URL}"],
    [URL],
    ["来源：嘉兴市人民代表大会常务委员会", f"原文链接：{URL}"],
    [f"::: details 原文链接\n[{URL}]({URL})\n:::"],
], ids=["原文链接", "bare URL", "来源", "details box"])
def test_footers_after_the_last_article_are_back_matter(tmp_path, tail):
    reg = parse_one(write(tmp_path, "jiaxing.txt", regulation(tail=tail)))
    assert numbers(reg) == [1, 2, 3, 4, 5]
    assert reg.articles[-1].text == "本条例自2023年10月1日起施行。"
    assert URL in reg.back_matter
    assert_clean(reg)


def test_removed_markup_is_recorded_by_kind(tmp_path):
    def article(n, lab, paras):  # a bold Markdown label on odd articles, HTML with <b> and <br> on even ones
        if n % 2:
            return plain_article(n, f"**{lab}**", paras)
        return f"<p><b>{lab}</b> " + "<br>".join(paras) + "</p>"

    reg = parse_one(write(tmp_path, "jiaxing.md", regulation(article=article)))
    assert_short(reg)
    removals = list(reg.normalized.removals)
    assert any(r.kind == "markup" and "**" in r.text for r in removals), sorted(kinds(reg))
    assert any(r.kind == "markup" and "#" in r.text for r in removals), sorted(kinds(reg))
    assert any(r.kind == "html" and "<b>" in r.text for r in removals), sorted(kinds(reg))
    assert any(r.kind == "html" and "<br>" in r.text for r in removals), sorted(kinds(reg))
    for r in removals:
        assert reg.normalized.source[r.start:r.end] == r.text


def test_offsets_map_into_the_original_markdown_text(tmp_path):
    text = regulation(article=lambda n, lab, ps: plain_article(n, f"**{lab}**", ps))
    path = write(tmp_path, "jiaxing.txt", text)
    reg = parse_one(path)
    assert_short(reg)
    assert reg.normalized.format == "md"
    assert reg.normalized.source == path.read_text("utf-8")
    first = reg.articles[0]
    src = reg.source_text(first.start, first.end)
    assert "**" in src and "第一条" in src and ARTICLES[1][0] in src


# == (c) headings in every dress =======================================================================
def spaced(n, title):
    return f"## 第 {CN[n]} 章　{'　'.join(title) if len(title) == 2 else title}"


HEADINGS = {
    **{f"{k} marks": "#" * k + " {label} {title}" for k in range(1, 7)},
    "inner spaces": spaced,
    "id attribute": "## {label} {title} {{#c{n}}}",
    "no mark": "{label} {title}",
    "bold": "**{label} {title}**",
    "<h2> in Markdown": "<h2>{label} {title}</h2>",
}


@pytest.mark.parametrize("case", list(HEADINGS))
def test_chapter_headings_in_every_dress(tmp_path, case):
    reg = parse_one(write(tmp_path, "jiaxing.md", regulation(chapter=HEADINGS[case])))
    assert_short(reg)
    assert [[a.number for a in c.articles] for c in reg.chapters] == [[1, 2], [3, 4], [5]]


def test_a_heading_glued_to_the_next_article(tmp_path):
    text = long_with(("## 第三章 打击违法犯罪\n\n第十二条 公安机关应当", "第三章 打击违法犯罪第十二条 公安机关应当"))
    reg = parse_one(write(tmp_path, "shaoxing.md", text))
    assert_long(reg)
    assert reg.article(12).text.startswith("公安机关应当依法严厉打击")
    assert [a.number for a in reg.chapters[2].articles] == [12, 13]


def test_sections_under_a_chapter(tmp_path):
    text = long_with(("## 第二章 防范与管理\n\n", "## 第二章 防范与管理\n\n### 第一节 基层防范\n\n"),
                     ("第六条 鼓励", "### 第二节 单位和行业管理\n\n第六条 鼓励"))
    reg = parse_one(write(tmp_path, "shaoxing.md", text))
    assert_long(reg)
    ch2 = reg.chapters[1]
    assert [(s.number, s.title) for s in ch2.sections] == [(1, "基层防范"), (2, "单位和行业管理")]
    assert [[a.number for a in s.articles] for s in ch2.sections] == [[5], [6, 7, 8, 9, 10, 11]]
    assert sum(len(c.sections) for c in reg.chapters) == 2


# == (d) labels that look like references ==============================================================
def test_an_article_starting_with_zhongxiaoxue_is_an_article(tmp_path):
    reg = parse_one(write(tmp_path, "shaoxing.md", LONG))
    assert_long(reg)
    assert reg.article(8).text.startswith("中小学校")


def test_an_article_starting_with_disanfang_is_an_article(tmp_path):
    text = long_with(("第十七条 市、区、县（市）人民政府可以委托第三方专业评估机构开展社会治安状况评估，评估机构应当",
                      "第十七条 第三方专业评估机构受委托开展社会治安状况评估的，应当"))
    reg = parse_one(write(tmp_path, "shaoxing.md", text))
    assert_long(reg)
    assert reg.article(17).text.startswith("第三方专业评估机构受委托")
    assert reg.article(16).text.endswith("调查结果向社会公布。")


def test_references_inside_a_sentence_stay_in_their_article(tmp_path):
    reg = parse_one(write(tmp_path, "shaoxing.md", LONG))
    assert_long(reg)
    assert "违反本条例第七条第二、三、四项规定的" in reg.article(18).text
    assert "未依照本条例第十四条第一款规定履行职责" in reg.article(19).text


def test_a_paragraph_starting_with_the_current_article_number_is_not_a_new_article(tmp_path):
    text = long_with(("及时查处治安案件。\n", ("及时查处治安案件。\n\n第十二条规定的治安案件的查处情况，"
                                              "公安机关应当定期向本级人民政府报告。\n")))
    reg = parse_one(write(tmp_path, "shaoxing.md", text))
    assert_long(reg)
    assert "第十二条规定的治安案件的查处情况" in reg.article(12).text
    assert not warnings_of(reg, "numbering_duplicate")


def test_a_wrapped_line_starting_with_a_reference_stays_in_its_article(tmp_path):
    text = long_with(("重点行业的治安管理。", ("重点行业的治安管理；发现违反本条例\n第五条第二款规定情形的，"
                                          "应当及时通报所在地乡镇人民政府、街道办事处。")))
    reg = parse_one(write(tmp_path, "shaoxing.md", text))
    assert_long(reg)
    assert "第五条第二款规定情形的" in reg.article(9).text
    assert reg.article(5).text.startswith("乡镇人民政府")


# == (e) defects are reported, never hidden ===========================================================
def test_a_lost_first_chapter_heading_is_reported(tmp_path):
    reg = parse_one(write(tmp_path, "shaoxing.md", long_with(("## 第一章 总则\n\n", ""))))
    assert numbers(reg) == list(range(1, 21))
    found = warnings_of(reg, "lost_heading")
    assert any("第一章" in w for w in found), reg.warnings
    assert reg.article(1).text.startswith("为了加强社会治安综合治理")
    assert_covered(reg)


def test_a_lost_middle_chapter_heading_is_reported(tmp_path):
    reg = parse_one(write(tmp_path, "shaoxing.md", long_with(("## 第三章 打击违法犯罪\n\n", ""))))
    assert numbers(reg) == list(range(1, 21))
    found = warnings_of(reg, "lost_heading")
    assert any("第三章" in w for w in found), reg.warnings
    assert "依法严厉打击" in reg.article(12).text
    assert_covered(reg)


def test_a_lost_article_label_is_reported_with_the_article_holding_its_text(tmp_path):
    reg = parse_one(write(tmp_path, "shaoxing.md", long_with(("第三条 社会治安综合治理工作坚持", "社会治安综合治理工作坚持"))))
    assert numbers(reg) == [1, 2] + list(range(4, 21))
    found = warnings_of(reg, "numbering_gap")
    assert any("第三条" in w and "第二条" in w for w in found), reg.warnings
    merged = reg.article(2).text
    assert "适用本条例" in merged and "社会协同、公众参与" in merged
    assert_covered(reg)


def test_a_duplicated_table_of_contents_is_reported(tmp_path):
    toc = "目录\n\n" + "\n\n".join(f"第{CN[n]}章 {t}" for n, t in CHAPTERS)
    reg = parse_one(write(tmp_path, "jiaxing.md", regulation(head=[toc, toc])))
    assert chapters(reg) == CHAPTERS
    assert numbers(reg) == [1, 2, 3, 4, 5]
    assert warnings_of(reg, "duplicate_toc"), reg.warnings
    assert "目录" in reg.front_matter
    assert_covered(reg)


def test_a_text_cut_off_before_its_commencement_clause_is_reported(tmp_path):
    cut = LONG[: LONG.index("依法给予处分；") + len("依法给予处分；")]
    reg = parse_one(write(tmp_path, "shaoxing.md", cut))
    assert numbers(reg) == list(range(1, 20))
    found = warnings_of(reg, "truncated")
    assert any("第十九条" in w for w in found), reg.warnings
    assert reg.article(19).text.endswith("依法给予处分；")
    assert_covered(reg)


@pytest.mark.parametrize("which", ["short", "long"])
def test_a_complete_regulation_has_none_of_these_warnings(tmp_path, which):
    reg = parse_one(write(tmp_path, "reg.md", regulation() if which == "short" else LONG))
    assert_short(reg) if which == "short" else assert_long(reg)
    assert not [w for w in reg.warnings if getattr(w, "code", None) in DEFECTS or w.code.startswith("numbering")]
    assert_covered(reg)
