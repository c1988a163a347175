"""The fast forms of the parser's passes (issue 18) find what the plain forms they replace find.

Each plain form is written here as it stood before: a regex scanned over the text, or a regex
substitution with a Python function per match. Random strings built from the characters that
matter to each pattern compare the two, and the seed and compilation files check the labels
shared between a file and its documents.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pytest

from pingan_corpus.parse import gazetteer as g
from pingan_corpus.parse import labels as lb
from pingan_corpus.parse import metadata as md
from pingan_corpus.parse import normalize as nm
from pingan_corpus.parse import regexes as rx
from pingan_corpus.parse.document import split_file
from pingan_corpus.readers import read_file

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
_CN = re.compile(f"[{rx.CJK}]")


def strings(alphabet, n=8000, longest=14, seed=18):
    rng = random.Random(seed)
    for _ in range(n):
        yield "".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))


def spans(pattern, text):
    return [m.span() for m in pattern.finditer(text)]


def test_fullwidth_parens_equals_the_regex_substitution():
    plain = re.compile(r"\(([^()\n]{0,80})\)")

    def convert(m):
        inner, s, e = m.group(1), m.start(), m.end()
        before, after = m.string[s - 1:s], m.string[e:e + 1]
        chinese = _CN.search(inner) or _CN.match(before or " ") or _CN.match(after or " ")
        return f"（{inner}）" if chinese else m.group(0)

    def rounds(text):
        for _ in range(4):
            before, text = text, plain.sub(convert, text)
            if text == before:
                break
        return text

    for text in strings(list("()((中a1 \n,（）:!;。") + ["x" * 40, "y" * 79, "\ud800", "𠀀"], longest=16):
        assert nm._fullwidth_parens(text) == rounds(text), repr(text)


def test_fullwidth_punct_equals_the_regex_substitution():
    def plain(text):
        return rx.HALFWIDTH_PUNCT_IN_CJK.sub(lambda m: m.group(0).translate(nm._TO_FULLWIDTH), text)

    for text in strings(list("中a1 \n,:!;。（）“") + ["\ud800", "𠀀"]):
        assert nm._fullwidth_punct(text) == plain(text), repr(text)


def test_field_codes_equal_the_regex_scan():
    tokens = ["HYPERLINK", "PAGEREF", "REF", "TOC", "NOTEREF", "SEQ", " ", "\t", "{", "}", '"http://a"',
              "\\h", "\\*", "MERGEFORMAT", "_Toc12", "中", "x", "\n", "\\o", '"1-3"']
    for text in strings(tokens, longest=10):
        assert [m.span() for m in nm._field_codes(text)] == spans(rx.FIELD_CODE, text), repr(text)


@pytest.mark.parametrize(("fast", "plain", "alphabet"), [
    (rx.LINE_EDGE_SPACE, re.compile(r"^[ ]+|[ ]+$", re.MULTILINE), [" ", "  ", "\n", "a", "中"]),
    (rx.MOJIBAKE_CORE, re.compile(rf"(?<=[{rx.CJK}A-Za-z])[?\ufffd]|[?\ufffd](?=[{rx.CJK}])|\ufffd"),
     list("?\ufffd中文aZ 1。\n")),
    (rx.LIST_LEAD_IN, re.compile(r"(?:下列|以下|如下)[^。\n]{0,30}[：:]\s*$"
                                 r"|下列[^。；，\n]{0,8}?(?:情形|职责|行为|事项|规定|工作|条件|措施|义务|权利|内容|要求)"),
     list("下列以如：:。；，\n 情形职责a")),
])
def test_rewritten_patterns_match_where_the_plain_ones_do(fast, plain, alphabet):
    for text in strings(alphabet):
        assert spans(fast, text) == spans(plain, text), repr(text)


def test_annotations_and_stray_marks_are_tried_only_where_they_can_start():
    alphabet = list("(（)）中a设shèyīng.`'^ 1\n") + ["(shè)", "（yīng）", "((shè)shè)"]
    for text in strings(alphabet):
        classes = nm._classes(text)
        starts = nm._pairs(classes, nm._BRACKET, nm._PINYIN_LETTER)
        found = nm._matches_at(rx.PINYIN_ANNOTATION, starts)(text)
        assert [m.span() for m in found] == spans(rx.PINYIN_ANNOTATION, text), repr(text)
        starts = [p + 1 for p in nm._pairs(classes, nm._CJK, nm._STRAY_MARK)]
        found = nm._matches_at(rx.STRAY_MARK, starts)(text)
        assert [m.span() for m in found] == spans(rx.STRAY_MARK, text), repr(text)


def test_lines_ending_with_a_number_are_those_the_plain_pattern_finds():
    from pingan_corpus.parse import segment as sg

    plain = re.compile(r"[0-9][ ]*(?=\n|\Z)")
    for text in strings(list("12 \na中") + ["  ", "制度 1", "\n\n"]):
        expected = [text.rfind("\n", 0, m.start()) + 1 for m in plain.finditer(text)]
        assert sg._number_lines(text) == expected, repr(text)


def test_fullwidth_is_punct_after_parens():
    for text in strings(list("()((中a1 \n,（）:!;。") + ["x" * 40, "\ud800", "𠀀"], longest=16):
        assert nm._fullwidth(text) == nm._fullwidth_punct(nm._fullwidth_parens(text)), repr(text)


def test_placeholder_date_is_found_where_the_plain_pattern_finds_one():
    plain = re.compile(r"(?:20|19)?[xX×Ｘ＊*]{2}年|[xX×Ｘ]{1,2}月[xX×Ｘ]{1,2}日|年[ ]*月[ ]*日起施行")
    for text in strings(list("xX×Ｘ＊*年月日2019 起施行a"), longest=12):
        found = md._placeholder_date(text)
        assert found == bool(plain.search(text)), repr(text)


def test_labels_and_headings_are_tried_only_at_their_di():
    alphabet = ["第", "一", "十", "1", " ", "条", "章", "节", "编", "总则", "。", "\n", "之一", "规定", "中",
                "第一章 总则", "第一条", "第二条"]
    for text in strings(alphabet):
        di = lb.di_positions(text)
        for pattern, where in ((rx.ARTICLE, di.articles), (rx.GLUED_HEADING, di.headings),
                               (rx.GLUED_HEADING_ANYWHERE, di.headings)):
            assert [m.span() for m in lb._matches_at_di(pattern, text, where)] == spans(pattern, text), repr(text)


def test_self_reference_counts_equal_the_regex_counts():
    plain = {"province": re.compile("本省"), "autonomous_region": re.compile("本自治区|自治区行政区域"),
             "city": re.compile("本(?:(?<!日本)市|自治州|州|盟)")}
    for text in strings(["本", "省", "自治区", "行政区域", "日", "市", "自治州", "州", "盟", "a"], longest=10):
        counts = {k: sum(map(text.count, plus)) - sum(map(text.count, minus)) for k, (plus, minus) in g._CUES.items()}
        assert counts == {k: len(p.findall(text)) for k, p in plain.items()}, repr(text)


def test_list_style_chosen_without_listing_every_style_is_the_same():
    from pingan_corpus.parse import structure as st

    def chosen(text):  # as it was: every style's marks listed, the earliest 1 wins, ties by rank
        best = None
        for style in st._LIST_RANK:
            cands = list(st._list_candidates(text, 0, len(text), style))
            one = next((c for c in cands if c[2] == 1), None)
            if one is not None and (best is None or one[0] < best[0]):
                best = (one[0], style, cands)
        return best

    alphabet = ["（一）", "(1)", "一、", "1.", "1、", "①", "（二）", "2.", "二、", "②", "文字", "：", "；", "\n", " "]
    for text in strings(alphabet, n=4000, longest=10):
        items = st._items(text, 0, len(text), 0)
        best = chosen(text)
        if best is None:
            assert items == [], repr(text)
        else:
            assert items and items[0].start >= best[0] and items[0].label in [c[3] for c in best[2]], repr(text)


def test_offsets_without_ranges_equal_the_mask():
    rng = np.random.default_rng(18)
    for _ in range(300):
        n = int(rng.integers(0, 60))
        offsets = np.arange(n + 1, dtype=np.int32)
        cuts = np.unique(rng.integers(0, n + 1, size=2 * int(rng.integers(0, 6))))
        starts, ends = cuts[0::2][: len(cuts) // 2], cuts[1::2]
        keep = np.ones(n + 1, bool)
        for s, e in zip(starts, ends):
            keep[s:e] = False
        assert nm._without(offsets, starts, ends).tolist() == offsets[keep].tolist()


@pytest.mark.parametrize("path", sorted(RAW.glob("*.txt")), ids=lambda p: p.name)
def test_each_documents_share_of_the_files_labels_is_its_own(path):
    norm = nm.normalize(read_file(path).text, str(path))
    whole = norm.text
    for start, end, labels, text in split_file(norm):
        assert text == whole[start:end]
        assert labels == lb.find_labels(text)
    assert norm.text == whole  # held as the documents' texts, joined again on request
