"""JSON round trip and Akoma Ntoso export, checked by parsing the XML back."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import pingan_corpus as pc
from pingan_corpus.models import SCHEMA
from pingan_corpus.present.interchange import AKN_NS

NS = {"akn": AKN_NS}


@pytest.fixture(scope="module")
def corpus():
    return pc.load_corpus(Path(__file__).parents[1] / "data" / "raw")


def test_json_round_trip_is_lossless(corpus):
    for reg in corpus:
        back = pc.Regulation.from_json(reg.to_json())
        assert back == reg, reg.doc_id
        assert [w.code for w in back.warnings] == [w.code for w in reg.warnings]
        # chapters hold the very article objects of the regulation, as after parsing
        for c in back.chapters:
            assert all(any(a is x for x in back.articles) for a in c.articles)
        assert back.front_matter == reg.front_matter and back.back_matter == reg.back_matter


def test_json_schema_is_documented_and_checked(corpus):
    d = json.loads(corpus["hubei_pingan_2024"].to_json())
    assert d["schema"] == SCHEMA and d["adopted"] == "2024-03-27"
    assert d["articles"][0]["paragraphs"][0]["text"].startswith("为了")
    d["schema"] = "something/else"
    with pytest.raises(pc.ParseError, match=r"not a pingan_corpus\.regulation/1 document"):
        pc.Regulation.from_json(d)


def test_akn_structure_and_text(corpus):
    reg = corpus["hubei_pingan_2024"]
    root = ET.fromstring(reg.to_akn())
    act = root.find("akn:act", NS)
    assert act is not None
    assert act.find("akn:meta/akn:identification/akn:FRBRWork/akn:FRBRdate", NS).get("date") == "2024-03-27"
    assert act.find("akn:preface/akn:p/akn:docTitle", NS).text == "湖北省平安建设条例"
    chapters = act.findall("akn:body/akn:chapter", NS)
    assert [c.find("akn:heading", NS).text for c in chapters] == [c.title for c in reg.chapters]
    articles = act.findall(".//akn:article", NS)
    assert len(articles) == len(reg.articles) == 53
    ids = [e.get("eId") for e in act.find("akn:body", NS).iter() if e.get("eId")]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+_[0-9-]+(__[a-z]+_[0-9-]+)*", i) for i in ids)
    # every article's text comes back: paragraphs, or list intro + points
    for el, art in zip(articles, reg.articles):
        assert el.find("akn:num", NS).text == art.label
        paras = el.findall("akn:paragraph", NS)
        assert len(paras) == len(art.paragraphs)
        for pel, p in zip(paras, art.paragraphs):
            if p.items:
                intro = pel.find("akn:list/akn:intro/akn:p", NS).text or ""
                points = pel.findall("akn:list/akn:point", NS)
                rebuilt = intro + "".join(pt.find("akn:num", NS).text + pt.find("akn:content/akn:p", NS).text
                                          for pt in points)
                assert rebuilt == p.text
            else:
                assert pel.find("akn:content/akn:p", NS).text == p.text


def test_akn_eids_follow_the_hierarchy(corpus):
    reg = corpus["hubei_pingan_2024"]
    root = ET.fromstring(reg.to_akn())
    art = next(a for a in reg.articles if any(p.items for p in a.paragraphs))
    p = next(p for p in art.paragraphs if p.items)
    eid = f"chp_{art.chapter}__art_{art.number}__para_{p.number}__point_1"
    point = root.find(f".//akn:point[@eId='{eid}']", NS)
    assert point is not None and point.find("akn:num", NS).text == "（一）"


def test_akn_is_well_formed_with_hostile_text():
    reg = pc.parse_text("第一条 本条例所称<script>alert(1)</script>与 & 符号\x0b照常处理。\n第二条 本条例自公布之日起施行。")
    xml = reg.to_akn()
    root = ET.fromstring(xml)
    assert "<script>" not in xml
    text = root.find(".//akn:article/akn:paragraph/akn:content/akn:p", NS).text
    assert "<script>alert(1)</script>" in text and "&" in text


def test_parts_survive_json_and_become_akn_parts():
    from tests.test_structure import PARTS_TEXT

    reg = pc.parse_text(PARTS_TEXT)
    back = pc.Regulation.from_json(reg.to_json())
    assert back == reg
    assert [[back.articles.index(a) for a in p.articles] for p in back.parts] == [[0, 1], [2, 3, 4]]
    assert [[back.chapters.index(c) for c in p.chapters] for p in back.parts] == [[0], [1, 2]]
    root = ET.fromstring(reg.to_akn())
    ns = {"a": AKN_NS}
    parts = root.findall(".//a:body/a:part", ns)
    assert [p.get("eId") for p in parts] == ["part_1", "part_2"]
    eids = [e.get("eId") for e in root.iter() if e.get("eId")]
    assert len(eids) == len(set(eids))  # chapters restart in each part: ids stay unique
    assert "part_2__chp_1__sec_1__art_3" in eids and "part_1__art_1" in eids
    assert [a.find("a:num", ns).text for a in root.iter(f"{{{AKN_NS}}}article")] == \
        ["第一条", "第二条", "第三条", "第四条", "第五条"]
