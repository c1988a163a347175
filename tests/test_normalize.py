"""Normalization on constructed text: encodings, OpenCC, web/Word artefacts, punctuation, offsets."""
from __future__ import annotations

import codecs
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pingan_corpus as pc
from pingan_corpus.parse.normalize import decode, normalize, normalize_text, to_simplified

TRAD = "第一條 縣級以上人民政府應當加強平安建設(shè)工作,保障經費。"
SIMP = "第一条县级以上人民政府应当加强平安建设工作，保障经费。"


# -- decoding ------------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding, expected_name", [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("gb18030", "gb18030"),
    ("gbk", "gb18030"),       # GBK is a subset of GB18030: read as GB18030
    ("utf-16", "utf-16"),     # with BOM
    ("utf-16-le", "utf-16-le"),
    ("utf-16-be", "utf-16-be"),
])
def test_decode_reports_the_encoding_used(encoding, expected_name):
    text = "第一条 为了维护社会稳定，制定本条例。\n第二条 本条例自2024年1月1日起施行。\n"
    decoded, used = decode(text.encode(encoding))
    assert decoded == text
    assert used == expected_name


def test_big5_text_is_read_and_simplified():
    text = "第一條 為了維護社會穩定，制定本條例。\n第二條 本條例自公布之日起施行。\n"
    reg = pc.parse_text(text.encode("big5"))
    assert reg.encoding == "big5"
    assert reg.articles[0].text == "为了维护社会稳定，制定本条例。"


def test_binary_data_is_refused_with_a_clear_message():
    with pytest.raises(pc.EncodingError, match="binary"):
        decode(bytes(range(256)) * 10, "blob.txt")


def test_empty_text_is_a_parse_error():
    with pytest.raises(pc.ParseError, match="empty"):
        pc.parse_text("   \n\n ")


def test_bom_is_not_part_of_the_text():
    n = normalize(codecs.BOM_UTF8 + SIMP.encode("utf-8"))
    assert not n.text.startswith("\ufeff")
    assert n.encoding == "utf-8-sig"


# -- OpenCC --------------------------------------------------------------------------------------
def test_traditional_becomes_simplified_and_conversion_is_then_stable():
    out = normalize_text(TRAD)
    assert out == SIMP
    assert opencc.OpenCC("t2s").convert(out) == out


def test_simplified_input_is_unchanged_by_conversion():
    text = "乾安县人民政府应当加强社区治理，支持乾隆时期文物保护，显著提高著作权保护水平。"
    assert to_simplified(text) == text


def test_known_bad_conversion_is_guarded():
    # plain OpenCC turns the county name 乾安 into 干安
    assert opencc.OpenCC("t2s").convert("吉林省乾安县") == "吉林省干安县"
    assert to_simplified("吉林省乾安县") == "吉林省乾安县"
    assert to_simplified("乾安縣") == "乾安县"


@pytest.mark.parametrize("text", [TRAD, SIMP, "第七章 附 则\n第五十条 本条例自 2022 年 11 月 1 日起施行。",
                                  "鼓励通过社会捐赠等符合国家法律\n\n HYPERLINK \"http://x.cn/\" 法规规定的渠道。",
                                  "<p>第一条&amp;nbsp;公安机关&lt;br&gt;应当</p>"])
def test_normalization_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


# hostile characters: runs of half- and full-width punctuation, lone surrogates, control characters
_HOSTILE = st.text(st.sampled_from(list("公安机关应当第一条，,！!？?；;：:（(）)。.“\"、 \t\n\r")
                                   + ["\ud800", "\udfff", "\x00", "\x1b", "\ufffe", "\u3000", "０", "Ａ"]), max_size=60)


@settings(max_examples=500, deadline=None)
@given(_HOSTILE)
def test_normalization_is_idempotent_on_hostile_characters(hypothesis_examples, text):
    """One pass is enough: a run of mixed-width punctuation (公安机关!！) becomes full-width at once,
    a lone surrogate becomes U+FFFD (one for one, so offsets hold and the result is valid UTF-8)."""
    hypothesis_examples["hostile characters: normalization idempotent, no surrogate left"] += 1
    once = normalize(text)
    assert normalize(once.text).text == once.text
    once.text.encode("utf-8")
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in once.text)


@pytest.mark.parametrize("text, out", [("公安机关!!", "公安机关！！"), ("公安机关！!", "公安机关！！"),
                                       ("公安机关!！", "公安机关！！"), ("各部门,,应当;;", "各部门，，应当；；")])
def test_runs_of_mixed_width_punctuation_become_full_width_in_one_pass(text, out):
    assert normalize_text(text) == out


# -- artefacts -----------------------------------------------------------------------------------
def test_pinyin_annotations_removed_but_real_parentheses_kept():
    raw = ("鄉(xiāng)鎮(zhèn)(街道)社會治安綜合治理中心(工作站)應(yīng)當履行下列職責(zé):"
           "(一)組織協(xié)調(diào);(二)金融機構(gòu)(含支付機構(gòu))依法報告。")
    out = normalize_text(raw)
    assert out == ("乡镇（街道）社会治安综合治理中心（工作站）应当履行下列职责："
                   "（一）组织协调；（二）金融机构（含支付机构）依法报告。")


def test_nested_annotations_leave_nothing_behind():
    # found by hypothesis: an annotation inside an annotation
    assert normalize_text("建設((shè)shè)更高") == "建设更高"


def test_neutral_tone_annotation_after_a_character_is_removed():
    assert normalize_text("好的(de)辦法") == "好的办法"


def test_stray_marks_after_de_are_removed():
    assert normalize_text("增加村居民的.认知度，做好的`服务和的'管理") == "增加村居民的认知度，做好的服务和的管理"


def test_decimal_points_and_list_marks_survive():
    out = normalize_text("1.加强巡逻，覆盖率达到95.5%以上。")
    assert out == "1.加强巡逻，覆盖率达到95.5%以上。"


def test_word_field_codes_are_removed():
    raw = '符合国家法律 HYPERLINK "http://www.110.com/fagui/" 法规规定的渠道 PAGEREF _Toc123 \\h 。'
    out = normalize_text(raw)
    assert "HYPERLINK" not in out and "PAGEREF" not in out and "http" not in out
    assert out == "符合国家法律法规规定的渠道。"


def test_html_left_in_copied_text_is_removed_and_accounted_for():
    raw = ('<p>第一条&nbsp;为了推进平安建设，制定本条例。<br/>第二条 本条例所称&ldquo;平安建设&rdquo;&amp;社会治理。</p>'
           '<div class="x">第三条 <span style="color:red">公安机关</span>应当维护治安。</div>')
    n = normalize(raw)
    assert n.text == ("第一条为了推进平安建设，制定本条例。\n第二条本条例所称“平安建设”&社会治理。\n"
                      "第三条公安机关应当维护治安。")
    assert {r.text for r in n.removals if r.kind == "html"} >= {"<p>", "<br/>", "&nbsp;", '<span style="color:red">'}
    kept = {int(i) for i in n.offsets[:-1]}
    removed = {i for r in n.removals for i in range(r.start, r.end)}
    assert [i for i in range(len(raw)) if i not in kept | removed and not raw[i].isspace()] == []
    assert [a.label for a in pc.parse_text(raw).articles] == ["第一条", "第二条", "第三条"]
    # text that only looks like markup stays: 《条例》 quotes, a < b, 第<一>条 are not tags
    assert normalize_text("不得大于<5人>&其他") == "不得大于<5人>&其他"


def test_punctuation_and_spacing_are_canonical():
    assert normalize_text("第七章 附 则") == "第七章附则"
    assert normalize_text("本条例自 2022 年 11 月 1 日起施行。") == "本条例自2022年11月1日起施行。"
    assert normalize_text("第一条\u3000为了维护稳定,制定本条例;特此公告:") == "第一条为了维护稳定，制定本条例；特此公告："
    # ASCII text keeps its own punctuation and spaces
    assert normalize_text("see Art. 3, para. 2") == "see Art. 3, para. 2"
    assert normalize_text("总额1,000元") == "总额1,000元"


def test_punctuation_before_a_run_of_spaces_is_converted_in_one_pass():
    assert normalize_text("第五条0:\u3000\u3000市人民政府") == "第五条0：市人民政府"


def test_fullwidth_alphanumerics_become_ascii():
    assert normalize_text("设立１２３４５热线，覆盖ＡＢＣ区") == "设立12345热线，覆盖ABC区"


# -- offsets and accounting ----------------------------------------------------------------------
def test_offsets_trace_units_back_to_the_source():
    raw = "湖北省平安建設(shè)條例\n第一條 為了建設(shè)平安湖北,制定本條例。\n第二條 本條例自2024年7月1日起施行。\n"
    reg = pc.parse_text(raw)
    art = reg.article(2)
    s, e = reg.source_span(art.start, art.end)
    assert raw[s:e].startswith("第二條")
    assert "2024年7月1日起施行" in raw[s:e]
    assert reg.source_text(reg.article(1).start, reg.article(1).end).startswith("第一條 為了建設(shè)")


def test_every_source_character_is_accounted_for():
    raw = ("湖北省平安建設(shè)條例\r\n\r\n第一條  為了建設(shè)平安湖北,的.认知\u200b度"
           " HYPERLINK \"http://a.b/\" 制定本條例。\n\n第二條 本條例自 2024 年 7 月 1 日起施行。\n")
    n = normalize(raw)
    kept = {int(i) for i in n.offsets[:-1]}
    removed = set()
    for r in n.removals:
        removed.update(range(r.start, r.end))
        assert raw[r.start:r.end] == r.text
    unaccounted = [i for i in range(len(raw)) if i not in kept and i not in removed and not raw[i].isspace()]
    assert unaccounted == []
    assert {r.kind for r in n.removals} >= {"pinyin", "stray_mark", "field_code", "control"}


def test_unrepairable_mojibake_is_kept_and_flagged():
    raw = "第一条 完善平安建设日??己嗽u價体系。\n第二条 本条例自公布之日起施行。"
    reg = pc.parse_text(raw)
    art = reg.article(1)
    assert "??" in art.text
    assert any(w.code == "mojibake" for w in art.warnings)
    assert any("mojibake" in w for w in reg.warnings)
    assert not reg.article(2).warnings


def test_a_big_files_source_is_kept_compressed_and_read_back_whole(tmp_path):
    """A compilation bigger than a few normalization blocks keeps its decoded source compressed
    (the parse never reads it) and gives it back whole: original wording and removed characters."""
    seeds = sorted(p for p in (Path(__file__).resolve().parents[1] / "data" / "raw").glob("*.txt"))
    text = "\n".join(p.read_text(encoding="utf-8") for p in seeds) + "\n"
    text = text * (600_000 // len(text) + 1)            # over two blocks of 256k characters
    path = tmp_path / "compilation.txt"
    path.write_text(text, encoding="utf-8")
    regs = pc.parse_file(path)
    norm = regs[0].normalized
    assert norm._source.compressed                        # not read yet
    assert norm.removals[0].text == text[norm.removals[0].start:norm.removals[0].end]
    assert norm.source == text
    art = regs[-1].articles[-1]
    s, e = regs[-1].source_span(art.start, art.end)
    assert regs[-1].source_text(art.start, art.end) == text[s:e]
    assert len(norm.removals) > 1000 and "<NormalizedText" in repr(norm)
