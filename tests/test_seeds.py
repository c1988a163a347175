"""Gold tests for the five seed files in data/raw/.

Every expected value below was derived by reading the raw texts (cat -n, grep,
counting lines), never by running the parser.  Line numbers in comments refer
to the raw files in data/raw/ (`cat -n`).

Conventions assumed from the API contract:

* ``article.text`` is the body without the label (第十二条) and without the
  【heading】; paragraphs are joined with "\\n".
* ``item.text`` is the item without its label ((一) / 1、 / 1.) but with its
  own closing punctuation (；or 。).
* Expected strings are simplified Chinese with full-width punctuation
  (，；：（）); spaces between Chinese characters / digits are removed.
* Provision-style documents (一、/ 1、/ 1. instead of 第X条) yield articles
  numbered 1..N.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import opencc
import pytest

import pingan_corpus as pc

RAW = Path(__file__).parent.parent / "data" / "raw"

HUBEI_FILE = "hubei_pingan_jianshe_tiaoli_2024.txt"
SHEQU_FILE = "shequ_pingan_jianshe_zhidu_compilation.txt"
HOHHOT_FILE = "huhehaote_shiyu_shehui_zhili_tiaoli_2022.txt"
ORDOS_FILE = "eerduosi_pingan_jianshe_tiaoli_2024.txt"
XIANGTAN_FILE = "xiangtan_pingan_jianshe_tiaoli_2022.txt"

FILES = {
    "hubei": HUBEI_FILE,
    "shequ": SHEQU_FILE,
    "hohhot": HOHHOT_FILE,
    "ordos": ORDOS_FILE,
    "xiangtan": XIANGTAN_FILE,
}

_T2S = opencc.OpenCC("t2s")


# --------------------------------------------------------------------------
# fixtures: each file is parsed once per module
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hubei_regs():
    return pc.parse_file(RAW / HUBEI_FILE)


@pytest.fixture(scope="module")
def shequ_regs():
    return pc.parse_file(RAW / SHEQU_FILE)


@pytest.fixture(scope="module")
def hohhot_regs():
    return pc.parse_file(RAW / HOHHOT_FILE)


@pytest.fixture(scope="module")
def ordos_regs():
    return pc.parse_file(RAW / ORDOS_FILE)


@pytest.fixture(scope="module")
def xiangtan_regs():
    return pc.parse_file(RAW / XIANGTAN_FILE)


@pytest.fixture(scope="module")
def hubei(hubei_regs):
    return hubei_regs[0]


@pytest.fixture(scope="module")
def hohhot(hohhot_regs):
    return hohhot_regs[0]


@pytest.fixture(scope="module")
def ordos(ordos_regs):
    return ordos_regs[0]


@pytest.fixture(scope="module")
def xiangtan(xiangtan_regs):
    return xiangtan_regs[0]


def _regs(request, key):
    return request.getfixturevalue(f"{key}_regs")


def _doc(request, key, pos):
    """Document at 1-based position ``pos`` of file ``key``."""
    regs = _regs(request, key)
    assert len(regs) >= pos, f"{key}: only {len(regs)} documents parsed"
    return regs[pos - 1]


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def nows(s: str) -> str:
    return re.sub(r"\s+", "", s)


def art(reg, n: int):
    found = [a for a in reg.articles if a.number == n]
    assert len(found) == 1, f"article {n}: found {len(found)}"
    return found[0]


def items_of(a):
    return [it for p in a.paragraphs for it in p.items]


_DIGITS = "零一二三四五六七八九"


def cn(n: int) -> str:
    """1..99 -> Chinese numeral as used in 第X条 labels."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def _core(s: str) -> str:
    """CJK ideographs and ASCII digits only (drops punctuation, spaces,
    pinyin letters, stray marks)."""
    return "".join(
        ch
        for ch in s
        if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ch in "0123456789"
    )


TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
PINYIN_RE = re.compile(rf"[（(][a-zü]*[{TONE_VOWELS}][a-zü]*[）)]")
STRAY_AFTER_DE_RE = re.compile(r"的[.`'‘’．]")


# --------------------------------------------------------------------------
# the documents of every seed file
# --------------------------------------------------------------------------

# (file key, position) -> expected number of articles (counted in the raw text)
N_ARTICLES = {
    ("hubei", 1): 53,  # 第一條 (l.12) .. 第五十三條 (l.69); 第四十四條 glued in l.58
    ("hohhot", 1): 63,  # 第一条 (l.2) .. 第六十三条 (l.72)
    ("ordos", 1): 48,  # 第一條 (l.17) .. 第四十八條 (l.122)
    ("xiangtan", 1): 50,  # 第一条 (l.6) .. 第五十条 (l.188)
    ("shequ", 1): 7,  # 第一条: .. 第七条: (l.6-12)
    ("shequ", 2): 10,  # 1、 .. 10、 (l.14-23)
    ("shequ", 3): 53,  # 湘潭 draft, l.26-128
    ("shequ", 4): 58,  # 新疆 draft, l.131-265
    ("shequ", 5): 77,  # 西藏, l.268-414
    ("shequ", 6): 50,  # 长沙 draft, l.417-514
    ("shequ", 7): 7,  # 一、 .. 七、 (l.516-522)
    ("shequ", 8): 6,  # 一、 .. 六、 (l.524-537); 1、..7、 inside 六 are items
    ("shequ", 9): 3,  # 一、入园检查 / 二、定期体格检查制度 / 三、坚持晨检… (l.539-545)
    ("shequ", 10): 8,  # 1. .. 8. (l.547-562)
    ("shequ", 11): 17,  # 第一条 .. 第十七条 (l.565-591)
    ("shequ", 12): 7,  # 一、 .. 七、 (l.593-614); 1. inside 三 and 四 are items
}
ALL_DOCS = sorted(N_ARTICLES)
DOC_IDS = [f"{k}-{p}" for k, p in ALL_DOCS]

# documents whose provisions are labelled 第X条
TIAO_DOCS = [
    ("hubei", 1),
    ("hohhot", 1),
    ("ordos", 1),
    ("xiangtan", 1),
    ("shequ", 1),
    ("shequ", 3),
    ("shequ", 4),
    ("shequ", 5),
    ("shequ", 6),
    ("shequ", 11),
]
COMMUNITY_RULES = [("shequ", p) for p in (1, 2, 7, 8, 9, 10, 11, 12)]


def test_file_document_counts(request):
    for key in FILES:
        regs = _regs(request, key)
        expected = 12 if key == "shequ" else 1
        assert len(regs) == expected, key


@pytest.mark.parametrize("key,pos", ALL_DOCS, ids=DOC_IDS)
def test_article_numbers_run_1_to_n(request, key, pos):
    reg = _doc(request, key, pos)
    n = N_ARTICLES[(key, pos)]
    assert [a.number for a in reg.articles] == list(range(1, n + 1))


@pytest.mark.parametrize("key,pos", TIAO_DOCS, ids=[f"{k}-{p}" for k, p in TIAO_DOCS])
def test_tiao_labels_verbatim(request, key, pos):
    reg = _doc(request, key, pos)
    for a in reg.articles:
        label = a.label
        if (key, pos) == ("shequ", 1):  # "第一条:" — the colon may or may not be kept
            label = label.rstrip("：:")
        assert label == f"第{cn(a.number)}条"


@pytest.mark.parametrize("key,pos", ALL_DOCS, ids=DOC_IDS)
def test_article_text_excludes_label_and_heading(request, key, pos):
    reg = _doc(request, key, pos)
    for a in reg.articles:
        assert a.text.strip(), f"article {a.number} is empty"
        assert not a.text.startswith(a.label), a.number
        assert a.text[:1] not in ("【", "：", ":", "、", "."), a.number
        assert not re.match(r"第[一二三四五六七八九十百]+条", a.text), a.number


# --------------------------------------------------------------------------
# chapters
# --------------------------------------------------------------------------

# (number, title, first article, last article)
CHAPTERS = {
    ("hubei", 1): [  # l.11-68 (the TOC l.3-10 is not chapters)
        (1, "总则", 1, 10),
        (2, "风险防范", 11, 17),
        (3, "矛盾纠纷化解", 18, 24),
        (4, "重点治理", 25, 37),
        (5, "社会参与", 38, 46),
        (6, "监督与考核", 47, 52),
        (7, "附则", 53, 53),  # "第七章 附 則" (l.68)
    ],
    ("hohhot", 1): [
        (1, "总则", 1, 12),  # "第一章 总 则" (l.1)
        (2, "政治安全维护", 13, 17),
        (3, "社会治安防控", 18, 30),
        (4, "公共安全保障", 31, 37),
        (5, "矛盾纠纷化解", 38, 44),
        (6, "基层社会治理", 45, 56),
        (7, "监督管理", 57, 59),
        (8, "法律责任", 60, 62),
        (9, "附则", 63, 63),  # "第九章 附 则" (l.71)
    ],
    ("ordos", 1): [
        (1, "总则", 1, 9),
        (2, "基础建设", 10, 17),
        (3, "重点防治", 18, 31),
        (4, "风险防控与矛盾化解", 32, 41),
        (5, "保障与监督", 42, 47),
        (6, "附则", 48, 48),
    ],
    ("xiangtan", 1): [
        (1, "总则", 1, 8),  # " 第一章  总 则" (l.4)
        (2, "风险防控", 9, 13),
        (3, "重点防治", 14, 26),
        (4, "纠纷化解", 27, 35),  # l.95 follows l.94 without a blank line
        (5, "社会参与", 36, 39),
        (6, "保障与监督", 40, 49),
        (7, "附则", 50, 50),
    ],
    ("shequ", 3): [  # "第一章总则" — no space between number and title
        (1, "总则", 1, 7),
        (2, "风险防控", 8, 13),
        (3, "重点防治", 14, 26),
        (4, "纠纷化解", 27, 34),
        (5, "社会参与", 35, 38),
        (6, "区域协作", 39, 41),
        (7, "保障与监督", 42, 51),
        (8, "附则", 52, 53),
    ],
    ("shequ", 4): [
        (1, "总则", 1, 9),
        (2, "平安建设机构与职责", 10, 15),
        (3, "组织实施", 16, 35),
        (4, "社会参与", 36, 42),
        (5, "创建与表彰", 43, 47),
        (6, "监督与考核", 48, 55),
        (7, "法律责任", 56, 57),
        (8, "附则", 58, 58),
    ],
    ("shequ", 5): [
        (1, "总则", 1, 7),
        (2, "机构与职责", 8, 17),
        (3, "社会风险防控与专项治理", 18, 34),
        (4, "社会协同治理", 35, 59),
        (5, "公众参与治理", 60, 72),
        (6, "考核与奖惩", 73, 76),
        (7, "附则", 77, 77),
    ],
    ("shequ", 6): [
        (1, "总则", 1, 6),
        (2, "基础建设", 7, 12),
        (3, "风险防控", 13, 19),
        (4, "重点防治", 20, 32),
        (5, "矛盾纠纷化解", 33, 38),
        (6, "社会参与", 39, 43),
        (7, "区域协作", 44, 46),
        (8, "监督与责任", 47, 49),
        (9, "附则", 50, 50),
    ],
    ("shequ", 11): [
        (1, "总则", 1, 5),
        (2, "组织机构及职责", 6, 8),
        (3, "工作措施", 9, 14),
        (4, "考核与奖惩", 15, 16),
        (5, "附则", 17, 17),
    ],
}
NO_CHAPTER_DOCS = [d for d in ALL_DOCS if d not in CHAPTERS]


@pytest.mark.parametrize("key,pos", sorted(CHAPTERS), ids=[f"{k}-{p}" for k, p in sorted(CHAPTERS)])
def test_chapters(request, key, pos):
    reg = _doc(request, key, pos)
    expected = CHAPTERS[(key, pos)]
    assert [(c.number, c.title) for c in reg.chapters] == [(n, t) for n, t, _, _ in expected]
    for chap, (num, _title, first, last) in zip(reg.chapters, expected):
        assert [a.number for a in chap.articles] == list(range(first, last + 1)), num
        for n in range(first, last + 1):
            assert art(reg, n).chapter == num, n


@pytest.mark.parametrize("key,pos", NO_CHAPTER_DOCS, ids=[f"{k}-{p}" for k, p in NO_CHAPTER_DOCS])
def test_no_chapters(request, key, pos):
    reg = _doc(request, key, pos)
    assert list(reg.chapters) == []
    assert all(a.chapter is None for a in reg.articles)


def test_hubei_toc_is_front_matter_not_chapters(hubei):
    assert len(hubei.chapters) == 7
    fm = nows(hubei.front_matter)
    assert fm.startswith("湖北省平安建设条例")  # l.1
    assert "目录" in fm  # l.3
    # TOC lines l.4-10
    assert "第一章总则第二章风险防范第三章矛盾纠纷化解第四章重点治理第五章社会参与第六章监督与考核第七章附则" in fm
    assert "2024年3月27日" in fm  # l.2
    assert "第一条" not in fm


# --------------------------------------------------------------------------
# headings 【…】 (only the 湘潭 and 长沙 drafts have them)
# --------------------------------------------------------------------------

HEADINGS = {
    ("shequ", 3): {
        1: "立法目的和依据",  # l.26
        4: "财经保障",  # l.29
        16: "重点人群",  # l.50
        21: "物流、寄递安全管理",  # l.56
        27: "纠纷多元化解体系",  # l.73
        32: "行政复议、行政裁决",  # l.80
        42: "机构保障",  # l.99
        50: "督导方式",  # l.117
        53: "实施日期",  # l.128
    },
    ("shequ", 6): {
        1: "立法目的和依据",  # l.417
        5: "平安建设组织协调机构职责",  # l.421
        22: "有关人群",  # l.454
        37: "仲裁、公证",  # l.485
        43: "平安宣传、权益保障",  # l.496
        47: "督导方式",  # l.503
        50: "实施日期",  # l.514
    },
}


@pytest.mark.parametrize("pos", [3, 6])
def test_draft_headings(request, pos):
    reg = _doc(request, "shequ", pos)
    for a in reg.articles:
        assert a.heading, f"article {a.number} has no heading"
        assert "【" not in a.heading and "】" not in a.heading
        assert "【" not in a.text and "】" not in a.text
    for n, heading in HEADINGS[("shequ", pos)].items():
        assert art(reg, n).heading == heading, n


def test_draft_heading_article_texts(request):
    d3 = _doc(request, "shequ", 3)
    assert art(d3, 1).text == (
        "为了加强社会综合治理，促进社会和谐稳定，推进平安湘潭建设，实现民生幸福安宁，"
        "根据有关法律法规，结合本市实际，制定本条例。"
    )  # l.26
    assert art(d3, 53).text == "本条例自20xx年xx月xx日起施行。"  # l.128
    d6 = _doc(request, "shequ", 6)
    assert art(d6, 2).text == "本市行政区域内平安建设活动适用本条例。"  # l.418
    assert art(d6, 50).text == "本条例自20xx年xx月xx日起施行。"  # l.514


NO_HEADING_DOCS = [
    ("hubei", 1),
    ("hohhot", 1),
    ("ordos", 1),
    ("xiangtan", 1),
    ("shequ", 1),
    ("shequ", 4),
    ("shequ", 5),
    ("shequ", 11),
]


@pytest.mark.parametrize("key,pos", NO_HEADING_DOCS, ids=[f"{k}-{p}" for k, p in NO_HEADING_DOCS])
def test_no_headings(request, key, pos):
    reg = _doc(request, key, pos)
    assert all(a.heading is None for a in reg.articles)


# --------------------------------------------------------------------------
# items (项)
# --------------------------------------------------------------------------

# (file key, position, article) -> number of items
ITEM_COUNTS = {
    ("hubei", 1, 4): 6,  # inline "…是:(一)…;(二)…" l.15
    ("hubei", 1, 5): 6,  # inline l.16
    ("hubei", 1, 51): 8,  # inline l.66
    ("ordos", 1, 4): 10,  # l.21-30
    ("ordos", 1, 5): 5,  # l.32-36, then a second paragraph l.37
    ("ordos", 1, 44): 6,  # l.112-117
    ("xiangtan", 1, 48): 6,  # l.172-182 (lead-in ends with 。)
    ("shequ", 3, 42): 4,  # l.100-103, then a paragraph l.104
    ("shequ", 3, 50): 6,  # l.118-123, then a paragraph l.124
    ("shequ", 4, 9): 11,  # l.142-152
    ("shequ", 4, 11): 8,  # l.156-163
    ("shequ", 4, 15): 9,  # l.171-179, then a paragraph l.180
    ("shequ", 4, 52): 8,  # l.248-255, then a paragraph l.256
    ("shequ", 5, 3): 8,  # l.272-279
    ("shequ", 5, 9): 10,  # l.291-300
    ("shequ", 5, 14): 5,  # l.306-310
    ("shequ", 5, 74): 12,  # l.396-407, then a paragraph l.408
    ("shequ", 6, 5): 5,  # l.422-426, then two paragraphs l.427-428
    ("shequ", 6, 47): 6,  # l.504-509, then a paragraph l.510
    ("shequ", 8, 6): 7,  # "六、防火检查的'内容包括:" + 1、..7、 (l.529-536), then l.537
    ("shequ", 11, 7): 6,  # 1. .. 6. (l.573-578)
    ("shequ", 12, 3): 6,  # 三、任务 + 1. .. 6. (l.597-603)
    ("shequ", 12, 4): 4,  # 四、措施 + 1. .. 4. (l.604-608)
    # articles that must have no items
    ("hohhot", 1, 58): 0,  # "有下列情形之一的" but the list is missing (l.65)
    ("shequ", 2, 5): 0,  # inline colons, no list (l.18)
    ("shequ", 9, 3): 0,  # "一摸…二看…三问…四查" are not items (l.545)
    ("shequ", 5, 42): 0,  # "遵行四条标准" (l.345)
}


@pytest.mark.parametrize(
    "key,pos,n", sorted(ITEM_COUNTS), ids=[f"{k}-{p}-art{n}" for k, p, n in sorted(ITEM_COUNTS)]
)
def test_item_counts(request, key, pos, n):
    a = art(_doc(request, key, pos), n)
    its = items_of(a)
    assert len(its) == ITEM_COUNTS[(key, pos, n)]
    assert [it.number for it in its] == list(range(1, len(its) + 1))
    for it in its:
        assert nows(it.text) in nows(a.text)
        assert list(it.subitems) == []


def test_no_items_where_there_are_no_lists(request):
    # provisions that are themselves numbered 1. / 1、 / 一、 carry no items
    for pos in (2, 7, 9, 10):
        reg = _doc(request, "shequ", pos)
        assert all(items_of(a) == [] for a in reg.articles), pos
    # every article of 呼和浩特 is a single line without (一) lists
    assert all(items_of(a) == [] for a in _doc(request, "hohhot", 1).articles)


# (file key, position, article, item number) -> exact item text
ITEM_TEXTS = {
    ("hubei", 1, 4, 1): "维护国家政治安全；",  # l.15
    ("hubei", 1, 4, 6): "国家和省规定的其他平安建设任务。",  # l.15
    ("hubei", 1, 5, 4): (
        "组织指导社会治安综合治理中心（工作站）规范化建设、网格化服务管理和平安建设智能化信息化工作；"
    ),  # l.16
    ("hubei", 1, 51, 1): "未落实平安建设工作措施，基层基础工作薄弱，致使社会治安秩序混乱的；",  # l.66
    ("hubei", 1, 51, 8): "国家和省规定的其他情形。",  # l.66
    ("ordos", 1, 4, 10): "国家、自治区和本市规定的其他平安建设任务。",  # l.30
    ("ordos", 1, 5, 2): "制定并组织实施平安建设规划、年度工作计划，研究解决平安建设重大问题；",  # l.33
    ("ordos", 1, 44, 2): "在较短时间内连续发生重大刑事案件、群体性事件、公共安全事件的；",  # l.113
    ("xiangtan", 1, 48, 4): "本地区本单位平安建设工作考核评价不合格、不达标的；",  # l.178
    ("xiangtan", 1, 48, 6): "其他需要督促整改的情形。",  # l.182
    ("shequ", 3, 42, 4): "组织化解矛盾纠纷。",  # l.103
    ("shequ", 4, 9, 11): "涉及平安建设的其他任务。",  # l.152
    ("shequ", 4, 11, 7): "总结、推广平安建设工作经验，表彰先进；",  # l.162
    ("shequ", 5, 74, 2): (
        "因组织领导不力、维稳措施落实不到位，发生影响政治安全、社会稳定、危害国家安全案（事）件，"
        "造成严重后果的；"
    ),  # l.397
    ("shequ", 5, 74, 12): "应当督导和追究责任的其他行为。",  # l.407
    ("shequ", 8, 6, 1): "火灾隐患的整改及防范措施的落实情况；",  # l.530
    ("shequ", 8, 6, 7): "社区内部防火巡查的落实情况；",  # l.536
    ("shequ", 11, 7, 1): "制定社区平安建设的工作计划和措施；",  # l.573
    ("shequ", 11, 7, 6): "定期向社区党委、政府报告社区平安建设工作情况。",  # l.578
    ("shequ", 12, 4, 1): "建立健全社区平安建设领导小组，负责社区平安建设的组织和协调。",  # l.605 "的.组织"
}


@pytest.mark.parametrize(
    "key,pos,n,i",
    sorted(ITEM_TEXTS),
    ids=[f"{k}-{p}-art{n}-item{i}" for k, p, n, i in sorted(ITEM_TEXTS)],
)
def test_item_texts(request, key, pos, n, i):
    its = items_of(art(_doc(request, key, pos), n))
    assert its[i - 1].number == i
    assert its[i - 1].text == ITEM_TEXTS[(key, pos, n, i)]


def test_item_labels(hubei, request):
    assert items_of(art(hubei, 4))[0].label == "（一）"
    assert items_of(art(hubei, 51))[7].label == "（八）"
    xj = _doc(request, "shequ", 4)
    assert items_of(art(xj, 9))[10].label == "（十一）"
    xz = _doc(request, "shequ", 5)
    assert items_of(art(xz, 74))[11].label == "（十二）"
    d11 = _doc(request, "shequ", 11)
    assert items_of(art(d11, 7))[0].label.rstrip(".．、 ") == "1"


# --------------------------------------------------------------------------
# paragraphs (款)
# --------------------------------------------------------------------------

PARAGRAPH_COUNTS = {
    ("hubei", 1, 4): 1,  # items inline, one line
    ("hubei", 1, 6): 1,  # two sentences on one line (l.17)
    ("hohhot", 1, 5): 1,  # one line (l.6)
    ("ordos", 1, 5): 2,  # items l.32-36 + l.37
    ("ordos", 1, 6): 2,  # l.38-39
    ("ordos", 1, 14): 3,  # l.49-51
    ("ordos", 1, 29): 4,  # l.78-81
    ("ordos", 1, 30): 3,  # l.82-84 (mojibake article)
    ("ordos", 1, 48): 1,
    ("xiangtan", 1, 4): 2,  # l.12, l.14+16 (HYPERLINK field code splits the 2nd paragraph)
    ("xiangtan", 1, 5): 3,  # l.18-22
    ("xiangtan", 1, 22): 2,  # l.74-76 (trailing space on l.76)
    ("xiangtan", 1, 26): 1,  # l.94, chapter heading l.95 follows without blank line
    ("xiangtan", 1, 35): 3,  # l.116-120, no blank line before l.116
    ("shequ", 3, 42): 2,  # items + l.104
    ("shequ", 3, 50): 2,  # items + l.124
    ("shequ", 4, 15): 2,
    ("shequ", 4, 49): 4,  # l.241-244
    ("shequ", 4, 52): 2,
    ("shequ", 5, 2): 2,  # l.269-270
    ("shequ", 5, 4): 3,  # l.280-282
    ("shequ", 5, 74): 2,  # items + l.408
    ("shequ", 6, 5): 3,  # items + l.427 + l.428
    ("shequ", 6, 47): 2,
    ("shequ", 8, 6): 2,  # items + "其他需要检查的内容。" (l.537)
    ("shequ", 9, 2): 3,  # "定期体格检查制度:" l.541 + l.542 + l.543  -- see test below
}
# "二、定期体格检查制度:" may be taken as part of the first paragraph or as a
# separate one; its body has two paragraphs (l.542, l.543) either way.
_PARAGRAPH_COUNT_ALTERNATIVES = {("shequ", 9, 2): {2, 3}}


@pytest.mark.parametrize(
    "key,pos,n",
    sorted(PARAGRAPH_COUNTS),
    ids=[f"{k}-{p}-art{n}" for k, p, n in sorted(PARAGRAPH_COUNTS)],
)
def test_paragraph_counts(request, key, pos, n):
    a = art(_doc(request, key, pos), n)
    allowed = _PARAGRAPH_COUNT_ALTERNATIVES.get((key, pos, n), {PARAGRAPH_COUNTS[(key, pos, n)]})
    assert len(a.paragraphs) in allowed
    assert [p.number for p in a.paragraphs] == list(range(1, len(a.paragraphs) + 1))
    # article text = paragraphs joined with newlines
    assert nows(a.text) == nows("".join(p.text for p in a.paragraphs))


# (file key, position, article, paragraph) -> exact paragraph text
PARAGRAPH_TEXTS = {
    ("xiangtan", 1, 4, 1): "市、县（市、区）人民政府应当将平安建设工作经费列入政府财政预算。",  # l.12
    # l.14 + HYPERLINK field code l.16: one paragraph, no field code, no line break
    ("xiangtan", 1, 4, 2): "鼓励通过社会捐赠、公益赞助等符合国家法律法规规定的渠道吸纳资金作为平安建设奖励基金。",
    ("xiangtan", 1, 22, 2): (
        "网络运营者应当履行网络安全主体责任，制定网络安全应急预案，保障网络数据安全和用户信息安全，"
        "防范网络安全风险。"
    ),  # l.76
    ("xiangtan", 1, 35, 3): "鼓励和支持群众认可度高、调解经验丰富的人民调解员成立个人调解工作室。",  # l.120
    ("ordos", 1, 5, 2): "平安建设组织协调机构应当根据工作需要，确定相关单位作为平安建设成员单位。",  # l.37
    ("ordos", 1, 6, 2): "苏木乡镇人民政府、街道办事处具体负责本辖区平安建设有关工作。",  # l.39
    ("shequ", 3, 42, 2): (
        "综治中心可以根据工作需要，配备必要的办公场所以及人员，建立分拨、流转、协同工作机制，及时处置有关问题。"
    ),  # l.104
    ("shequ", 5, 74, 2): "平安建设领导责任督导和追究的方式包括通报、约谈、督办、责任倒查和一票否决机制等。",  # l.408
    ("shequ", 6, 5, 3): (
        "市、区县（市）平安建设组织协调机构应当根据平安建设工作需要，确定相关部门作为成员单位，并实行动态调整。"
    ),  # l.428
    ("shequ", 8, 6, 2): "其他需要检查的内容。",  # l.537
}


@pytest.mark.parametrize(
    "key,pos,n,p",
    sorted(PARAGRAPH_TEXTS),
    ids=[f"{k}-{ps}-art{n}-para{p}" for k, ps, n, p in sorted(PARAGRAPH_TEXTS)],
)
def test_paragraph_texts(request, key, pos, n, p):
    a = art(_doc(request, key, pos), n)
    assert a.paragraphs[p - 1].number == p
    assert a.paragraphs[p - 1].text == PARAGRAPH_TEXTS[(key, pos, n, p)]


def test_paragraph_with_items_keeps_its_lead_in(ordos, hubei):
    p1 = art(ordos, 5).paragraphs[0]
    assert nows(p1.text).startswith("市、旗区平安建设组织协调机构负责统筹推进本行政区域内的平安建设工作，履行下列职责：")
    assert len(p1.items) == 5
    assert list(art(ordos, 5).paragraphs[1].items) == []
    h4 = art(hubei, 4).paragraphs[0]
    assert h4.text.startswith("平安建设的主要任务是：")
    assert len(h4.items) == 6


# --------------------------------------------------------------------------
# exact article texts
# --------------------------------------------------------------------------

ARTICLE_TEXTS = {
    ("hubei", 1, 1): (
        "为了建设更高水平的平安湖北，构建共建共治共享社会治理格局，维护国家安全、社会安定、人民安宁，"
        "根据有关法律、行政法规，结合本省实际，制定本条例。"
    ),  # l.12
    ("hubei", 1, 2): "本条例适用于本省行政区域内平安建设及其监督管理活动。",  # l.13
    # l.58: "…參與(yù)平安建設(shè)。第四十四條 各級…" — two articles on one line
    ("hubei", 1, 43): (
        "县级以上人民政府及有关部门应当加强专群结合、群防群治队伍建设，推动建立健全社区与社会组织、"
        "社会工作者、社区志愿者、社会慈善资源的联动机制，引导社会力量参与平安建设。"
    ),
    ("hubei", 1, 44): (
        "各级人民政府及有关部门应当加强见义勇为宣传，支持、保护见义勇为行为。各级人民政府及平安建设主管机关"
        "应当依法开展见义勇为人员激励和保护等相关工作，支持、帮助见义勇为人员主张和实现其合法权益。"
    ),
    ("hubei", 1, 53): "本条例自2024年7月1日起施行。《湖北省社会治安综合治理条例》同时废止。",  # l.69
    # 呼和浩特: commas stripped in the source — they must not be invented
    ("hohhot", 1, 1): (
        "为了推进市域社会治理现代化完善社会治理体系促进社会安定有序构建共建共治共享的社会治理格局"
        "根据有关法律、法规结合本市实际制定本条例。"
    ),  # l.2
    ("hohhot", 1, 63): "本条例自2022年11月1日起施行。",  # l.72 "自 2022 年 11 月 1 日起"
    ("ordos", 1, 1): (
        "为了建设高水平的平安鄂尔多斯，构建共建共治共享社会治理格局，推进社会治理体系和治理能力现代化，"
        "维护社会长治久安，根据有关法律、法规，结合本市实际，制定本条例。"
    ),  # l.17
    ("ordos", 1, 6): (
        "市、旗区人民政府应当将平安建设工作纳入国民经济和社会发展规划，将平安建设工作经费列入本级财政预算。\n"
        "苏木乡镇人民政府、街道办事处具体负责本辖区平安建设有关工作。"
    ),  # l.38-39
    ("ordos", 1, 48): "本条例自2024年12月1日起施行。",  # l.122
    ("xiangtan", 1, 2): "本市行政区域内的平安建设及其监督管理活动，适用本条例。",  # l.8
    ("xiangtan", 1, 4): (
        "市、县（市、区）人民政府应当将平安建设工作经费列入政府财政预算。\n"
        "鼓励通过社会捐赠、公益赞助等符合国家法律法规规定的渠道吸纳资金作为平安建设奖励基金。"
    ),  # l.12-16
    ("xiangtan", 1, 26): (
        "平安建设成员单位应当按照各自职责对共享经济、数字经济、平台经济等新经济、新业态、新技术下"
        "可能存在的安全风险进行分析、研判，建立相应的全流程防范和监管机制。"
    ),  # l.94 (the chapter heading l.95 is not part of it)
    ("xiangtan", 1, 50): "本条例自2023年1月1日起施行。",  # l.188
    ("shequ", 1, 1): (
        "为了打造平安村，构建和谐社会，让更多的村居民参与到平安村建设中来，增加村居民对村治安状况的认知度，"
        "增加对村的归属感，特制定村治安状况告知制度。"
    ),  # l.6 "第一条:" and "的.认知度"
    ("shequ", 1, 7): "本告知制度自公布之日起施行。",  # l.12
    ("shequ", 2, 1): "社区管理组织健全，综合治理工作任务明确，制度齐全，工作有记录、有档案。",  # l.14
    ("shequ", 2, 10): (
        "深入开展民族团结教育活动，贯彻落实《公民道德建设实施纲要》，社区民族团结，邻里和谐，家庭和睦。"
    ),  # l.23 (next line is the "社区平安建设制度 3" header)
    ("shequ", 3, 16): (
        "司法行政、卫生健康、民政、教育、公安等有关主管部门应当加强对刑满释放人员、社区矫正对象、涉毒人员、"
        "易肇事肇祸严重精神障碍患者、问题青少年、生活失意人员、扬言报复社会人员等的服务与管理。"
    ),  # l.50 "的`服务"
    ("shequ", 4, 1): (
        "为了推进平安新疆建设，提高社会治理现代化水平，营造共建共治共享的社会治理格局，维护社会稳定和长治久安，"
        "根据有关法律法规，结合自治区实际，制定本条例。"
    ),  # l.131 "第一条为了…" label glued to text
    ("shequ", 4, 58): (
        "本条例自20xx年xx月xx日起施行，新疆维吾尔自治区第八届人民代表大会常务委员会第六次会议于1994年1月21日"
        "通过的《新疆维吾尔自治区社会治安综合治理条例》同时废止。"
    ),  # l.265
    ("shequ", 5, 77): (
        "本条例自2022年8月1日起施行。2007年5月31日西藏自治区第八届人民代表大会常务委员会第三十一次会议"
        "修订通过的《西藏自治区社会治安综合治理条例》同时废止。"
    ),  # l.414
    ("shequ", 6, 28): (
        "大型群众性活动的主办者、承办者依法负责承办活动的安全，大型群众性活动的场所管理者依法负责活动场所"
        "及设施的安全。\n"
        "公安机关依法开展大型群众性活动安全管理工作，对经安全许可的大型群众性活动，根据安全需要组织相应警力，"
        "维持活动现场周边的治安、交通秩序，预防和处置突发事件。\n"
        "其他有关部门按照各自职责，负责大型群众性活动相关安全工作。"
    ),  # l.463-465 "设施的.安全"
    ("shequ", 7, 2): "日常的消防安全检查由社区居委会安全管理员负责，并要有检查记录。",  # l.517
    ("shequ", 7, 4): (
        "国家规定的节日放假前，要组织进行安全大检查，特别是重大危险源的管理、存在隐患未整改的部位、"
        "特种设备要加强监督，落实防范措施。"
    ),  # l.519 "的'管理"
    ("shequ", 11, 4): "社区平安建设的原则是：依法治理、群防群治、综合治理、科学管理。",  # l.568 "的'原则"
    ("shequ", 11, 17): "本制度自发布之日起施行。如有未尽事宜，由社区平安建设领导小组负责解释。",  # l.591
}


@pytest.mark.parametrize(
    "key,pos,n", sorted(ARTICLE_TEXTS), ids=[f"{k}-{p}-art{n}" for k, p, n in sorted(ARTICLE_TEXTS)]
)
def test_article_texts(request, key, pos, n):
    assert art(_doc(request, key, pos), n).text == ARTICLE_TEXTS[(key, pos, n)]


def test_hubei_glued_articles_43_44(hubei):
    a43, a44 = art(hubei, 43), art(hubei, 44)
    assert a43.label == "第四十三条"
    assert a44.label == "第四十四条"
    assert a43.text.endswith("引导社会力量参与平安建设。")
    assert "第四十四条" not in a43.text
    assert "见义勇为" not in a43.text
    assert a44.text.startswith("各级人民政府及有关部门应当加强见义勇为宣传")
    assert a43.chapter == a44.chapter == 5


def test_hohhot_spaced_numbers(hohhot):
    # l.35 "…应当与 110、119、120、12345 等城市公共服务热线…"
    assert "与110、119、120、12345等城市公共服务热线" in nows(art(hohhot, 31).text)
    # l.48 "市人民政府设立 12345 为民服务热线"
    assert "市人民政府设立12345为民服务热线" in nows(art(hohhot, 43).text)


def test_xiangtan_field_code_and_mixed_parentheses(xiangtan):
    assert "HYPERLINK" not in xiangtan.text
    assert "110.com" not in xiangtan.text
    assert "http" not in xiangtan.text
    # l.97 "乡(镇)" with half-width parentheses in an otherwise full-width text
    assert "乡（镇）人民政府和街道办事处" in art(xiangtan, 27).text
    # l.109 curly quotes are kept
    assert "推进“谁执法谁普法”责任制落实" in art(xiangtan, 31).text


def test_community_rule_provisions(request):
    d9 = _doc(request, "shequ", 9)
    a2 = nows(art(d9, 2).text)
    assert "三岁以上幼儿每年体检一次" in a2  # l.542
    assert "工作人员每年全面体检一次" in a2  # l.543
    assert "四查，有无携带不安全物品" in nows(art(d9, 3).text)  # l.545
    d10 = _doc(request, "shequ", 10)
    assert "建立完善的社区治安防控体系，包括社区警务、巡逻、门禁管理、视频监控等措施" in nows(art(d10, 1).text)
    assert "提高社区应对突发事件的能力" in nows(art(d10, 4).text)  # l.554 "的`能力"
    assert "不断优化社区安全工作措施。" in nows(art(d10, 8).text)  # l.562
    d12 = _doc(request, "shequ", 12)
    assert "《中华人民共和国治安管理处罚法》、《中华人民共和国消防法》" in nows(art(d12, 1).text)  # l.594
    assert "本制度自发布之日起执行，如有未尽事宜，由社区平安建设领导小组解释。" in nows(art(d12, 7).text)  # l.614
    d8 = _doc(request, "shequ", 8)
    assert nows(art(d8, 6).text).startswith("防火检查的内容包括：")  # l.529 "的'内容"


# --------------------------------------------------------------------------
# metadata
# --------------------------------------------------------------------------

D = dt.date
# (key, pos) -> title, jurisdiction, level, status, adopted, approved, effective, repealed
METADATA = {
    ("hubei", 1): dict(
        title="湖北省平安建设条例",  # l.1
        jurisdiction="湖北省",
        level="province",
        status="final",
        adopted=D(2024, 3, 27),  # l.2 "(2024年3月27日…第九次會議通過)"
        approved=None,
        effective=D(2024, 7, 1),  # l.69
        repealed=["湖北省社会治安综合治理条例"],  # l.69
    ),
    ("hohhot", 1): dict(
        title=None,  # no title line; 首府 (l.16), 智慧青城 (l.22), 呼包鄂乌 (l.9)
        jurisdiction="呼和浩特市",
        level="city",
        status="final",
        adopted=None,
        approved=None,
        effective=D(2022, 11, 1),  # l.72 "自 2022 年 11 月 1 日起施行"
        repealed=[],
    ),
    ("ordos", 1): dict(
        title="鄂尔多斯市平安建设条例",  # l.1, 2, 4, 13
        jurisdiction="鄂尔多斯市",  # not 内蒙古自治区 (approving body, l.10-12)
        level="city",
        status="final",
        adopted=D(2024, 8, 30),  # l.7, l.14
        approved=D(2024, 9, 27),  # l.7, l.15
        effective=D(2024, 12, 1),  # l.7, l.122 (promulgated 2024-10-10, l.9)
        repealed=[],
    ),
    ("xiangtan", 1): dict(
        title="湘潭市平安建设条例",  # l.1
        jurisdiction="湘潭市",
        level="city",
        status="final",
        adopted=D(2022, 9, 23),  # l.3
        approved=D(2022, 11, 23),  # l.3 (湖南省人大常委会)
        effective=D(2023, 1, 1),  # l.188
        repealed=[],
    ),
    ("shequ", 3): dict(
        title=None,
        jurisdiction="湘潭市",  # 平安湘潭 (l.26), 湘潭市人民政府 (l.76, 95-97)
        level="city",
        status="draft",  # l.128 20xx年xx月xx日
        adopted=None,
        approved=None,
        effective=None,
        repealed=[],
    ),
    ("shequ", 4): dict(
        title=None,
        jurisdiction="新疆维吾尔自治区",  # 平安新疆 (l.131), 自治区
        level="autonomous_region",
        status="draft",  # l.265 20xx年xx月xx日
        adopted=None,  # 1994年1月21日 (l.265) is the repealed act's adoption date
        approved=None,
        effective=None,
        repealed=["新疆维吾尔自治区社会治安综合治理条例"],  # l.265
    ),
    ("shequ", 5): dict(
        title=None,  # the text has no title line
        jurisdiction="西藏自治区",  # 平安西藏 (l.268), 自治区
        level="autonomous_region",
        status="final",
        adopted=None,  # 2007年5月31日 (l.414) is the repealed act's revision date
        approved=None,
        effective=D(2022, 8, 1),  # l.414
        repealed=["西藏自治区社会治安综合治理条例"],  # l.414
    ),
    ("shequ", 6): dict(
        title=None,
        jurisdiction="长沙市",  # 平安长沙 (l.417, 496); 株洲市、湘潭市 are partners (l.499-501)
        level="city",
        status="draft",  # l.514 20xx年xx月xx日
        adopted=None,
        approved=None,
        effective=None,
        repealed=[],
    ),
}


@pytest.mark.parametrize("key,pos", sorted(METADATA), ids=[f"{k}-{p}" for k, p in sorted(METADATA)])
def test_metadata(request, key, pos):
    reg = _doc(request, key, pos)
    exp = METADATA[(key, pos)]
    got = dict(
        title=reg.title,
        jurisdiction=reg.jurisdiction,
        level=reg.level,
        status=reg.status,
        adopted=reg.adopted,
        approved=reg.approved,
        effective=reg.effective,
        repealed=list(reg.repealed),
    )
    assert got == exp


@pytest.mark.parametrize("key,pos", COMMUNITY_RULES, ids=[f"{k}-{p}" for k, p in COMMUNITY_RULES])
def test_community_rule_metadata(request, key, pos):
    reg = _doc(request, key, pos)
    assert reg.jurisdiction is None
    assert reg.level is None
    assert reg.status != "draft"
    assert reg.adopted is None and reg.approved is None and reg.effective is None
    assert list(reg.repealed) == []


def test_ordos_notice_and_resolution_are_front_matter(ordos):
    fm = nows(ordos.front_matter)
    assert "鄂尔多斯市第五届人民代表大会常务委员会公告" in fm  # l.5
    assert "第五十三号" in fm  # l.6
    assert "现予公布" in fm  # l.7
    assert "2024年10月10日" in fm  # l.9
    assert "关于批准《鄂尔多斯市平安建设条例》的决议" in fm  # l.10
    assert "由鄂尔多斯市人民代表大会常务委员会公布施行" in fm  # l.12
    assert "第一条" not in fm
    for a in ordos.articles:
        for s in ("现予公布", "决议", "公告", "第五十三号"):
            assert s not in a.text, (a.number, s)
    assert art(ordos, 1).chapter == 1


def test_xiangtan_front_matter(xiangtan):
    fm = nows(xiangtan.front_matter)
    assert fm.startswith("湘潭市平安建设条例")
    assert "湖南省第十三届人民代表大会常务委员会第三十四次会议批准" in fm  # l.3


# --------------------------------------------------------------------------
# noise removal, in every document
# --------------------------------------------------------------------------


@pytest.mark.parametrize("key,pos", ALL_DOCS, ids=DOC_IDS)
def test_clean_text(request, key, pos):
    reg = _doc(request, key, pos)
    text = reg.text
    assert PINYIN_RE.search(text) is None, PINYIN_RE.search(text)
    assert _T2S.convert(text) == text, "traditional characters left"
    assert STRAY_AFTER_DE_RE.search(text) is None, STRAY_AFTER_DE_RE.search(text)
    assert "HYPERLINK" not in text
    for a in reg.articles:
        assert PINYIN_RE.search(a.text) is None, a.number
        assert STRAY_AFTER_DE_RE.search(a.text) is None, a.number
        assert "HYPERLINK" not in a.text


def test_stray_marks_removed_where_they_were(request):
    # l.6, 50, 228, 324, 463, 519, 529, 554, 568, 605 of the compilation
    assert "村治安状况的认知度" in art(_doc(request, "shequ", 1), 1).text
    assert "扬言报复社会人员等的服务与管理" in art(_doc(request, "shequ", 3), 16).text
    assert "加强对志愿人员的组织、指导、培训" in art(_doc(request, "shequ", 4), 41).text
    assert "热点敏感问题的分析预测" in art(_doc(request, "shequ", 5), 26).text
    assert "重大危险源的管理" in art(_doc(request, "shequ", 7), 4).text
    assert "社区平安建设的原则是" in art(_doc(request, "shequ", 11), 4).text


# --------------------------------------------------------------------------
# mojibake: flagged, never dropped
# --------------------------------------------------------------------------


def _has_mojibake_warning(warnings) -> bool:
    return any("mojibake" in w.lower() for w in warnings)


def test_hubei_mojibake(hubei):
    a = art(hubei, 49)  # l.64 "完善平安建設(shè)日??己嗽u價體(tǐ)系"
    assert "?" in a.text
    assert "完善平安建设日" in a.text
    assert "价体系。" in a.text
    assert _has_mojibake_warning(a.warnings)
    assert _has_mojibake_warning(hubei.warnings)
    others = [b.number for b in hubei.articles if b.number != 49 and _has_mojibake_warning(b.warnings)]
    assert others == []


def test_ordos_mojibake(ordos):
    a = art(ordos, 30)  # l.82 "交通運輸?shù)认嚓P(guān)部門"
    assert "?" in a.text
    assert a.text.startswith("公安机关、邮政管理、交通运输")
    assert "部门应当加强对寄递物流企业执行安全管理制度情况的监督检查。" in a.text
    assert _has_mojibake_warning(a.warnings)
    assert _has_mojibake_warning(ordos.warnings)
    others = [b.number for b in ordos.articles if b.number != 30 and _has_mojibake_warning(b.warnings)]
    assert others == []


@pytest.mark.parametrize(
    "key,pos",
    [d for d in ALL_DOCS if d not in (("hubei", 1), ("ordos", 1))],
    ids=[f"{k}-{p}" for k, p in ALL_DOCS if (k, p) not in (("hubei", 1), ("ordos", 1))],
)
def test_no_false_mojibake(request, key, pos):
    reg = _doc(request, key, pos)
    assert not _has_mojibake_warning(reg.warnings)
    assert "?" not in reg.text


# --------------------------------------------------------------------------
# compilation page boilerplate
# --------------------------------------------------------------------------


def test_compilation_boilerplate(shequ_regs):
    assert len(shequ_regs) == 12
    first, last = shequ_regs[0], shequ_regs[-1]
    assert "推荐度" in first.front_matter  # l.1
    assert "相关推荐" in first.front_matter  # l.2
    assert "相关文章" in last.back_matter  # l.615
    assert "2022社区平安建设工作计划" in nows(last.back_matter)  # l.623
    for reg in shequ_regs:
        for a in reg.articles:
            for s in ("相关文章", "推荐度", "相关推荐", "社区平安建设制度", "精选12篇"):
                assert s not in a.text, (a.number, s)
            for p in a.paragraphs:
                for it in p.items:
                    assert "相关文章" not in it.text


# --------------------------------------------------------------------------
# lossless
# --------------------------------------------------------------------------


@pytest.mark.parametrize("key,pos", ALL_DOCS, ids=DOC_IDS)
def test_article_text_is_in_document_text(request, key, pos):
    reg = _doc(request, key, pos)
    doc = nows(reg.text)
    assert nows(reg.front_matter) in doc
    assert nows(reg.back_matter) in doc
    for a in reg.articles:
        assert nows(a.text) in doc, a.number


_FIELD_CODE_RE = re.compile(r'HYPERLINK\s+"[^"]*"')


@pytest.mark.parametrize("key", sorted(FILES))
def test_documents_cover_the_whole_file(request, key):
    """The documents of a file, concatenated, hold every Chinese character and
    digit of the raw file (after t2s; the HYPERLINK field code is noise)."""
    raw = (RAW / FILES[key]).read_text(encoding="utf-8")
    expected = _core(_T2S.convert(_FIELD_CODE_RE.sub("", raw)))
    got = _core("".join(reg.text for reg in _regs(request, key)))
    assert got == expected


def test_hohhot_lost_list_is_a_warning(hohhot):
    # 第五十八条: "…发现有下列情形之一的应当…" but the list itself was lost when the page was copied
    art58 = hohhot.article(58)
    assert art58.items == []
    assert any(w.code == "empty_list" for w in art58.warnings)
