"""Metadata as published: the header's dated events (revisions), adoption/approval dates, title, level.

Constructed headers cover each form Chinese local regulations are published with; the real corpus
(../shared/corpus, LawRefBook/Laws) checks adopted / level / title against its manifest and the
revisions against the header lines as written.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest

import pingan_corpus as pc
from pingan_corpus.parse.gazetteer import infer_jurisdiction
from pingan_corpus.parse.metadata import find_title

D = dt.date
BODY = "\n第一条 为了……，制定本条例。\n第二条 本条例自2020年1月1日起施行。"
BODY_WITHOUT_COMMENCEMENT = "\n第一条 为了……，制定本条例。\n第二条 本条例由市人民政府负责解释。"


def parse(header: str, body: str = BODY) -> pc.Regulation:
    return pc.parse_text(header + body)


def events(reg: pc.Regulation) -> list[tuple[dt.date, str, str | None]]:
    return [(r.date, r.kind, r.body) for r in reg.revisions]


# -- constructed headers ---------------------------------------------------------------------------
@pytest.mark.parametrize("sep", [" ", "", "　"])
def test_one_event_per_line(sep):
    reg = parse(f"某某省社会治安综合治理条例\n2008年12月19日{sep}某某省第十一届人民代表大会常务委员会第八次会议通过")
    assert events(reg) == [(D(2008, 12, 19), "通过", "某某省第十一届人民代表大会常务委员会第八次会议")]
    assert reg.adopted == D(2008, 12, 19) and reg.approved is None
    text = reg.revisions[0].text
    assert text.startswith("2008年12月19日") and text.endswith("某某省第十一届人民代表大会常务委员会第八次会议通过")
    assert reg.title == "某某省社会治安综合治理条例"


@pytest.mark.parametrize("sep", ["  ", "　", "  根据", "根据", ""])
def test_several_events_on_one_line(sep):
    header = ("甲市消防条例\n"
              "1998年9月25日 甲市第一届人民代表大会常务委员会第十一次会议通过\n"
              "2001年7月20日 甲市第一届人民代表大会常务委员会第三十四次会议《关于修改〈甲市消防条例〉的决定》第一次修正"
              f"{sep}2010年5月14日甲市第三届人民代表大会常务委员会第十七次会议修订）")
    reg = parse(header)
    assert events(reg) == [
        (D(1998, 9, 25), "通过", "甲市第一届人民代表大会常务委员会第十一次会议"),
        (D(2001, 7, 20), "修正", "甲市第一届人民代表大会常务委员会第三十四次会议"),
        (D(2010, 5, 14), "修订", "甲市第三届人民代表大会常务委员会第十七次会议"),
    ]
    assert reg.adopted == D(1998, 9, 25)
    assert not reg.revisions[1].text.endswith(("根据", " ")) and not reg.revisions[2].text.endswith("）")
    assert "《关于修改〈甲市消防条例〉的决定》第一次修正" in reg.revisions[1].text


def test_root_clause_ending_a_line_belongs_to_the_next_event():
    header = ("乙省物业管理条例\n"
              "2009年1月8日 乙省第十一届人民代表大会常务委员会第八次会议通过\n"
              "2014年9月25日 乙省第十二届人民代表大会常务委员会第十一次会议《关于修改〈乙省商品房预售管理条例〉等"
              "二十七项地方性法规的决定》第一次修正  根据\n"
              "2022年6月1日 乙省第十三届人民代表大会常务委员会第四十三次会议《关于修改〈乙省物业管理条例〉等四项地方性"
              "法规的决定》第二次修正）")
    reg = parse(header)
    assert [(r.date, r.kind) for r in reg.revisions] == [
        (D(2009, 1, 8), "通过"), (D(2014, 9, 25), "修正"), (D(2022, 6, 1), "修正")]
    assert reg.revisions[1].text.endswith("第一次修正")
    assert reg.revisions[2].body == "乙省第十三届人民代表大会常务委员会第四十三次会议"


def test_amendment_by_decision_is_not_an_adoption():
    header = ("丙市见义勇为人员奖励和保护条例\n"
              "2000年4月21日 丙市第十一届人民代表大会常务委员会第十八次会议通过\n"
              "2016年11月25日 丙市第十四届人民代表大会常务委员会第三十一次会议通过的《关于修改部分地方性法规的决定》修正")
    reg = parse(header)
    assert events(reg) == [
        (D(2000, 4, 21), "通过", "丙市第十一届人民代表大会常务委员会第十八次会议"),
        (D(2016, 11, 25), "修正", "丙市第十四届人民代表大会常务委员会第三十一次会议"),
    ]
    assert reg.adopted == D(2000, 4, 21)


def test_amendment_clause_names_only_the_decision():
    header = ("丁省法律援助条例\n"
              "2002年3月27日 丁省第九届人民代表大会常务委员会第二十七次会议通过\n"
              "2010年7月30日《丁省人民代表大会常务委员会关于修改部分地方性法规的决定》修正")
    reg = parse(header)
    assert events(reg)[1] == (D(2010, 7, 30), "修正", "丁省人民代表大会常务委员会关于修改部分地方性法规的决定")


def test_ordinal_amendments_revisions_and_abbreviated_bodies():
    header = ("戊省安全生产条例\n"
              "2006年7月28日 戊省第十届人民代表大会常务委员会第二十六次会议通过\n"
              "2009年11月27日 省十一届人大常委会第十四次会议通过的《戊省人民代表大会常务委员会关于修改<戊省安全生产条例>"
              "的决定》第一次修正\n"
              "2014年5月28日 省十二届人大常委会第十次会议通过的《关于修改〈戊省松材线虫病防治条例〉等七件地方性法规的决定》"
              "第二次修正\n"
              "2016年7月29日 戊省第十二届人民代表大会常务委员会第三十一次会议第一次修订")
    reg = parse(header)
    assert events(reg) == [
        (D(2006, 7, 28), "通过", "戊省第十届人民代表大会常务委员会第二十六次会议"),
        (D(2009, 11, 27), "修正", "省十一届人大常委会第十四次会议"),
        (D(2014, 5, 28), "修正", "省十二届人大常委会第十次会议"),
        (D(2016, 7, 29), "修订", "戊省第十二届人民代表大会常务委员会第三十一次会议"),
    ]
    assert reg.adopted == D(2006, 7, 28)


def test_decision_title_wrapped_onto_the_next_line():
    header = ("己省村民委员会选举办法\n"
              "1999年10月22日 己省第九届人民代表大会常务委员会第十六次会议通过\n"
              "2020年7月31日 己省第十三届人民代表大会常务委员会第二十二次会议《关于修改〈己省村民委员会选举办法〉"
              "〈己省村经济合作社组织条例〉\n"
              "的决定》修正")
    reg = parse(header)
    assert events(reg) == [
        (D(1999, 10, 22), "通过", "己省第九届人民代表大会常务委员会第十六次会议"),
        (D(2020, 7, 31), "修正", "己省第十三届人民代表大会常务委员会第二十二次会议"),
    ]
    assert reg.revisions[1].text.endswith("〈己省村经济合作社组织条例〉的决定》修正")
    assert reg.title == "己省村民委员会选举办法"


def test_approval_by_the_province():
    header = ("庚市流动人口服务管理规定\n"
              "2017年12月27日 庚市第十三届人民代表大会常务委员会第八次会议通过\n"
              "2018年3月31日 辛省第十三届人民代表大会常务委员会第二次会议批准")
    reg = parse(header)
    assert events(reg) == [
        (D(2017, 12, 27), "通过", "庚市第十三届人民代表大会常务委员会第八次会议"),
        (D(2018, 3, 31), "批准", "辛省第十三届人民代表大会常务委员会第二次会议"),
    ]
    assert reg.adopted == D(2017, 12, 27) and reg.approved == D(2018, 3, 31)


def test_promulgation_and_commencement():
    header = ("壬市安全生产监督管理条例\n"
              "2010年8月25日 壬市第十一届人民代表大会常务委员会第二十六次会议通过\n"
              "2010年9月30日 癸省第十一届人民代表大会常务委员会第二十次会议批准\n"
              "2010年10月11日 壬市第十一届人民代表大会常务委员会公告第39号公布\n"
              "2010年11月1日 施行")
    reg = parse(header, BODY_WITHOUT_COMMENCEMENT)
    assert events(reg) == [
        (D(2010, 8, 25), "通过", "壬市第十一届人民代表大会常务委员会第二十六次会议"),
        (D(2010, 9, 30), "批准", "癸省第十一届人民代表大会常务委员会第二十次会议"),
        (D(2010, 10, 11), "公布", "壬市第十一届人民代表大会常务委员会公告第39号"),
        (D(2010, 11, 1), "施行", None),
    ]
    assert reg.effective == D(2010, 11, 1)  # from the header: the body has no 施行 clause
    # the body's own commencement clause wins over the header
    assert parse(header).effective == D(2020, 1, 1)


def test_classic_parenthesised_note():
    header = ("子市物业管理条例\n"
              "（2004年7月29日子市第十二届人民代表大会常务委员会第十四次会议通过　"
              "2004年9月24日丑省第十届人民代表大会常务委员会第十二次会议批准）")
    reg = parse(header)
    assert events(reg) == [
        (D(2004, 7, 29), "通过", "子市第十二届人民代表大会常务委员会第十四次会议"),
        (D(2004, 9, 24), "批准", "丑省第十届人民代表大会常务委员会第十二次会议"),
    ]
    assert reg.adopted == D(2004, 7, 29) and reg.approved == D(2004, 9, 24)
    assert reg.revisions[1].text == "2004年9月24日丑省第十届人民代表大会常务委员会第十二次会议批准"


def test_note_on_the_title_line_and_over_two_lines():
    reg = parse("寅市平安建设条例（2022年9月23日寅市第十六届人民代表大会常务委员会第六次会议通过）")
    assert events(reg) == [(D(2022, 9, 23), "通过", "寅市第十六届人民代表大会常务委员会第六次会议")]
    reg = parse("寅市平安建设条例\n(2024年8月30日寅市第五届人民代表大会常务委员会第二十一次会议通过\n"
                "2024年9月27日卯自治区第十四届人民代表大会常务委员会第十二次会议批准)")
    assert [(r.date, r.kind) for r in reg.revisions] == [(D(2024, 8, 30), "通过"), (D(2024, 9, 27), "批准")]


def test_a_header_that_opens_with_a_revision_dates_the_text():
    reg = parse("辰市信访条例\n2006年9月15日 辰市第十二届人民代表大会常务委员会第三十次会议修订")
    assert events(reg) == [(D(2006, 9, 15), "修订", "辰市第十二届人民代表大会常务委员会第三十次会议")]
    assert reg.adopted == D(2006, 9, 15)
    # an amendment alone does not
    reg = parse("辰市信访条例\n2010年7月30日 辰市第十一届人民代表大会常务委员会第十六次会议《关于修改部分地方性法规的决定》修正")
    assert reg.adopted is None and [r.kind for r in reg.revisions] == ["修正"]


def test_resolution_note_is_not_the_regulation():
    header = ("巳市平安建设条例\n"
              "午自治区人民代表大会常务委员会关于批准《巳市平安建设条例》的决议\n"
              "（2024年9月27日午自治区第十四届人民代表大会常务委员会第十二次会议通过）\n"
              "巳市平安建设条例\n"
              "（2024年8月30日巳市第五届人民代表大会常务委员会第二十一次会议通过　"
              "2024年9月27日午自治区第十四届人民代表大会常务委员会第十二次会议批准）")
    reg = parse(header)
    assert reg.title == "巳市平安建设条例"
    assert [(r.date, r.kind) for r in reg.revisions] == [(D(2024, 8, 30), "通过"), (D(2024, 9, 27), "批准")]
    assert reg.adopted == D(2024, 8, 30) and reg.approved == D(2024, 9, 27)


def test_a_signature_date_and_placeholders_are_not_events():
    reg = parse("未市平安建设条例\n未市人民代表大会常务委员会\n2024年10月10日")
    assert reg.revisions == [] and reg.adopted is None
    reg = parse("未市平安建设条例（草案）\n（20xx年xx月xx日未市第X届人民代表大会常务委员会第X次会议通过）")
    assert reg.revisions == [] and reg.adopted is None


def test_manifest_values_are_kept():
    text = "申市消防条例\n2008年12月19日 申市第十三届人民代表大会常务委员会第八次会议通过" + BODY
    reg = pc.parse_text(text)
    from pingan_corpus.parse.metadata import fill_metadata

    reg.adopted = D(1999, 1, 1)
    reg.revisions = []
    fill_metadata(reg)
    assert reg.adopted == D(1999, 1, 1) and len(reg.revisions) == 1


# -- title -------------------------------------------------------------------------------------------
def test_title_over_two_lines_is_joined():
    front = ("酉市实施《中华人民共和国反恐怖主义法》办法\n"
             "2023年7月28日 酉市第十六届人民代表大会常务委员会第四次会议通过\n"
             "酉市实施《中华人民共和国\n反恐怖主义法》办法\n")
    assert find_title(front) == "酉市实施《中华人民共和国反恐怖主义法》办法"
    reg = parse(front.rstrip("\n"))
    assert reg.title == "酉市实施《中华人民共和国反恐怖主义法》办法"


@pytest.mark.parametrize("line", ["# 戌市物业管理条例", "**戌市物业管理条例**", "<b>戌市物业管理条例</b>",
                                  "《戌市物业管理条例》"])
def test_title_never_carries_markup(line):
    assert find_title(line + "\n") == "戌市物业管理条例"


# -- level --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("title", "expected"), [
    ("北京市物业管理条例", ("北京市", "municipality")),
    ("重庆市消防条例", ("重庆市", "municipality")),
    ("湖北省平安建设条例", ("湖北省", "province")),
    ("西藏自治区平安建设条例", ("西藏自治区", "autonomous_region")),
    ("杭州市法律援助条例", ("杭州市", "city")),
    ("深圳经济特区社会信用条例", ("深圳市", "city")),
    ("阿拉善盟平安建设条例", ("阿拉善盟", "city")),
    ("大兴安岭地区森林防火条例", ("大兴安岭地区", "city")),
    ("恩施土家族苗族自治州平安建设条例", ("恩施土家族苗族自治州", "autonomous_prefecture")),
    ("长阳土家族自治县自治条例", ("长阳土家族自治县", "county")),
    ("湖北省长阳土家族自治县平安建设条例", ("长阳土家族自治县", "county")),
    ("鄂温克族自治旗草原管理条例", ("鄂温克族自治旗", "county")),
])
def test_levels(title, expected):
    assert infer_jurisdiction(title, "第一条 为了……，制定本条例。") == expected


def test_generic_autonomous_county_words_name_no_county():
    assert infer_jurisdiction("湖北省民族自治县经济发展条例", "") == ("湖北省", "province")


def test_county_level_through_parse_text():
    reg = parse("长阳土家族自治县平安建设条例\n2020年3月1日 长阳土家族自治县第九届人民代表大会第四次会议通过")
    assert (reg.jurisdiction, reg.level) == ("长阳土家族自治县", "county")


# -- interchange and store -------------------------------------------------------------------------
HEADER = ("亥市物业管理条例\n"
          "2010年8月25日 亥市第十一届人民代表大会常务委员会第二十六次会议通过\n"
          "2010年9月30日 子省第十一届人民代表大会常务委员会第二十次会议批准\n"
          "2016年11月25日 亥市第十四届人民代表大会常务委员会第三十一次会议《关于修改部分地方性法规的决定》修正")


def test_revision_is_exported_and_summarised():
    reg = parse(HEADER)
    assert isinstance(reg.revisions[0], pc.Revision)
    assert reg.summary()["revisions"] == 3
    frame = pc.Corpus([reg]).regulations
    assert frame.loc[0, "approved"] == D(2010, 9, 30)


def test_json_round_trip_keeps_revisions_and_reads_older_json():
    reg = parse(HEADER)
    back = pc.Regulation.from_json(reg.to_json())
    assert back == reg and back.revisions == reg.revisions and back.approved == D(2010, 9, 30)
    d = json.loads(reg.to_json())
    del d["revisions"]  # written before revisions existed
    assert pc.Regulation.from_json(d).revisions == []


def test_akn_lifecycle_and_workflow():
    import xml.etree.ElementTree as ET

    from pingan_corpus.present.interchange import AKN_NS

    ns = {"akn": AKN_NS}
    meta = ET.fromstring(parse(HEADER).to_akn()).find("akn:act/akn:meta", ns)
    events_ = meta.findall("akn:lifecycle/akn:eventRef", ns)
    assert [(e.get("date"), e.get("type")) for e in events_] == [("2010-08-25", "generation"),
                                                                 ("2016-11-25", "amendment")]
    steps = meta.findall("akn:workflow/akn:step", ns)
    assert [s.get("outcome") for s in steps] == ["#adoption", "#approval", "#amendment"]
    refs = {r.get("eId"): r.get("showAs") for r in meta.findall("akn:references/akn:passiveRef", ns)}
    assert refs["ro_2"] == "子省第十一届人民代表大会常务委员会第二十次会议"
    assert [c.tag.split("}")[1] for c in meta] == ["identification", "lifecycle", "workflow", "references"]


def test_store_round_trip_keeps_revisions_and_reads_older_folders(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    reg = parse(HEADER)
    pc.Corpus([reg]).save(tmp_path / "c")
    back = pc.Corpus.load(tmp_path / "c").docs[0]
    assert back.revisions == reg.revisions and back == reg
    # a folder saved before revisions were stored
    docs = tmp_path / "c" / "documents.parquet"
    pq.write_table(pq.read_table(docs).drop_columns(["revisions"]), docs)
    assert pc.Corpus.load(tmp_path / "c").docs[0].revisions == []


# -- the real corpus -----------------------------------------------------------------------------------
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(not (CORPUS / "manifest.csv").exists(),
                                  reason=f"the development corpus is not at {CORPUS}")
_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


def _manifest() -> list[dict]:
    with open(CORPUS / "manifest.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _header_dates(path: Path) -> int:
    """Dated events of the header as stored: dates before <!-- INFO END -->."""
    raw = path.read_text(encoding="utf-8")
    head = raw.split("<!-- INFO END -->")[0]
    return len(_DATE.findall(head))


@pytest.fixture(scope="module")
def real():
    return {row["file"]: (row, pc.parse_file(CORPUS / row["file"])[0]) for row in _manifest()}


@needs_corpus
def test_real_corpus_adopted_level_title(real):
    assert len(real) == 73
    bad = []
    for name, (row, reg) in real.items():
        want = (D.fromisoformat(row["adopted"]) if row["adopted"] else None, row["level"], row["title"])
        got = (reg.adopted, reg.level, reg.title)
        if got != want:
            bad.append((name, got, want))
    assert bad == []


@needs_corpus
def test_real_corpus_one_revision_per_dated_header_event(real):
    bad = [(name, len(reg.revisions), _header_dates(CORPUS / name)) for name, (_, reg) in real.items()
           if len(reg.revisions) != _header_dates(CORPUS / name)]
    assert bad == []


# Read from the header lines of each file (awk '/INFO END/{exit} {print}' FILE).
REAL_REVISIONS = {
    "hangzhou_anquan_shengchan_jiandu_guanli_tiaoli_2010.md": [
        (D(2010, 8, 25), "通过", "杭州市第十一届人民代表大会常务委员会第二十六次会议"),
        (D(2010, 9, 30), "批准", "浙江省第十一届人民代表大会常务委员会第二十次会议"),
        (D(2010, 10, 11), "公布", "杭州市第十一届人民代表大会常务委员会公告第39号"),
        (D(2010, 11, 1), "施行", None),
    ],
    "chongqing_xiaofang_tiaoli_2013.md": [  # five events on four lines, 根据 and a closing ）
        (D(1998, 9, 25), "通过", "重庆市第一届人民代表大会常务委员会第十一次会议"),
        (D(2001, 7, 20), "修正", "重庆市第一届人民代表大会常务委员会第三十四次会议"),
        (D(2002, 1, 21), "修正", "重庆市第一届人民代表大会常务委员会第三十八次会议"),
        (D(2004, 6, 28), "修正", "重庆市第二届人民代表大会常务委员会第十次会议"),
        (D(2010, 5, 14), "修订", "重庆市第三届人民代表大会常务委员会第十七次会议"),
        (D(2013, 11, 30), "修正", "重庆市第四届人民代表大会常务委员会第六次会议"),
    ],
    "chongqing_sifajianding_tiaoli_2019.md": [  # no-break spaces between two events
        (D(1999, 3, 26), "通过", "重庆市第一届人民代表大会常务委员会第十五次会议"),
        (D(2004, 6, 28), "修正", "重庆市第二届人民代表大会常务委员会第十次会议"),
        (D(2007, 11, 23), "修订", "重庆市第二届人民代表大会常务委员会第三十四次会议"),
        (D(2019, 11, 29), "修正", "重庆市第五届人民代表大会常务委员会第十三次会议"),
    ],
    "zhejiang_cunmin_weiyuanhui_xuanju_banfa_2020.md": [  # the 决定's title wraps onto the next line
        (D(1999, 10, 22), "通过", "浙江省第九届人民代表大会常务委员会第十六次会议"),
        (D(2004, 9, 17), "修订", "浙江省第十届人民代表大会常务委员会第十三次会议"),
        (D(2012, 3, 31), "修订", "浙江省第十一届人民代表大会常务委员会第三十二次会议"),
        (D(2020, 7, 31), "修正", "浙江省第十三届人民代表大会常务委员会第二十二次会议"),
    ],
    "zhejiang_anquan_shengchan_tiaoli_2016.md": [  # abbreviated bodies, 通过的《…决定》修正
        (D(2006, 7, 28), "通过", "浙江省第十届人民代表大会常务委员会第二十六次会议"),
        (D(2009, 11, 27), "修正", "省十一届人大常委会第十四次会议"),
        (D(2014, 5, 28), "修正", "省十二届人大常委会第十次会议"),
        (D(2016, 7, 29), "修订", "浙江省第十二届人民代表大会常务委员会第三十一次会议"),
    ],
    "beijing_xinfang_tiaoli_2006.md": [
        (D(2006, 9, 15), "修订", "北京市第十二届人民代表大会常务委员会第三十次会议"),
    ],
    "ningbo_zhiyuan_fuwu_tiaoli_2021.md": [  # …批准2021年10月28日… with no separator
        (D(2011, 12, 27), "通过", "宁波市第十三届人民代表大会常务委员会第三十六次会议"),
        (D(2012, 3, 31), "批准", "浙江省第十一届人民代表大会常务委员会第三十二次会议"),
        (D(2021, 10, 28), "修订", "宁波市第十五届人民代表大会常务委员会第四十次会议"),
        (D(2021, 11, 25), "批准", "浙江省第十三届人民代表大会常务委员会第三十二次会议"),
    ],
    "zhengzhou_wenming_xingwei_cujin_tiaoli_2022.md": [  # 批准的《…决定》修正 is an amendment
        (D(2017, 12, 21), "通过", "郑州市第十四届人民代表大会常务委员会第三十三次会议"),
        (D(2018, 3, 31), "批准", "河南省第十三届人民代表大会常务委员会第二次会议"),
        (D(2021, 10, 29), "通过", "郑州市第十五届人民代表大会常务委员会第二十八次会议"),
        (D(2021, 11, 27), "修正", "河南省第十三届人民代表大会常务委员会第二十八次会议"),
    ],
    "beijing_jianyiyongwei_renyuan_jiangli_baohu_tiaoli_2000.md": [
        (D(2000, 4, 21), "通过", "北京市第十一届人民代表大会常务委员会第十八次会议"),
        (D(2016, 11, 25), "修正", "北京市第十四届人民代表大会常务委员会第三十一次会议"),
    ],
    "shanghai_weichengnianren_baohu_tiaoli.md": [],  # no date line
}


@needs_corpus
@pytest.mark.parametrize("name", sorted(REAL_REVISIONS))
def test_real_corpus_revisions(real, name):
    reg = real[name][1]
    assert events(reg) == REAL_REVISIONS[name]
    assert all(r.text.startswith(f"{r.date.year}年") and r.text.endswith(r.kind) for r in reg.revisions)
