"""Random edits of real texts never crash the parser, keep it lossless, keep normalization idempotent;
pathological inputs parse in linear time.

In CI (CI set: the derandomized "ci" profile of conftest.py) every property runs 500 examples;
the number run is printed in the terminal summary ("hypothesis examples run").
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pingan_corpus as pc
from pingan_corpus import readers
from pingan_corpus.parse.normalize import normalize

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
SEED_LINES = {p.name: p.read_text("utf-8").splitlines() for p in sorted(RAW.glob("*.txt"))}
EXAMPLES = 500 if os.environ.get("CI") else 150
PROPERTY = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

JUNK = st.sampled_from(["\x00", "\x07", "\u200b", "\ufeff", "(shè)", "第", "条", "（", "）", "第十二条", "：（一）",
                        "HYPERLINK \"http://x\" ", "??", "\ufffd", "的.", "\u3000", "　", "\r\n", "【", "】", "1.", "一、",
                        "第一章", "第二节", "之一", "（1）", "①", "\r", "\t", " ", "。", "；", "相关文章", "目录"])
CONTROL = st.one_of(st.characters(max_codepoint=0x1F), st.sampled_from(["\x7f", "\x85", "\u2028", "\u2029", "\u200e",
                                                                       "\u2060", "\ud7ff", "\ue000", "\uffff"]))
NUMERALS = st.sampled_from(["一", "二", "十", "十一", "二十", "九十九", "一百零三", "〇", "两", "12", "１２", "零", ""])


@st.composite
def edited_text(draw):
    """A real seed text (its first 80 lines), edited the ways copied texts get damaged."""
    name = draw(st.sampled_from(sorted(SEED_LINES)))
    start = draw(st.integers(0, max(0, len(SEED_LINES[name]) - 80)))
    lines = list(SEED_LINES[name][start:start + 80])
    for _ in range(draw(st.integers(0, 8))):
        if not lines:
            break
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "junk", "control", "unicode", "renumber",
                                   "unlabel", "split", "merge"]))
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        k = draw(st.integers(0, len(line)))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, line)
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], line
        elif op in ("junk", "control", "unicode"):
            piece = draw({"junk": JUNK, "control": CONTROL, "unicode": st.text(min_size=1, max_size=6)}[op])
            lines[i] = line[:k] + piece + line[k:]
        elif op == "renumber":  # a label's numeral replaced by another (or by nothing)
            at = line.find("第")
            end = line.find("条", at) if at >= 0 else -1
            if 0 <= at < end <= at + 6:
                lines[i] = line[:at + 1] + draw(NUMERALS) + line[end:]
            else:
                lines[i] = line.replace("第", "第十", 1)
        elif op == "unlabel":
            lines[i] = line.replace("条", "", 1).replace("（", "", 1)
        elif op == "split":
            lines[i:i + 1] = [line[:k], line[k:]]
        elif i + 1 < len(lines):
            lines[i:i + 2] = [line + lines[i + 1]]
    return "\n".join(lines)


def _check_lossless(reg: pc.Regulation) -> None:
    pos = 0
    for _kind, s, e in reg.units():
        assert s == pos and e >= s
        pos = e
    assert pos == len(reg.text)
    for a in reg.articles:
        assert a.start < a.end
        for p in a.paragraphs:
            assert a.start <= p.start <= p.end <= a.end
            for it in p.items:
                assert p.start <= it.start <= it.end <= p.end


def _parse_or_nothing(text: str):
    try:
        return pc.parse_text(text)
    except pc.ParseError as e:  # the only error allowed: no provision left (or no text at all)
        assert "no provision found" in str(e) or "empty text" in str(e)
        return None


@PROPERTY
@given(edited_text())
def test_random_edits_never_crash_and_stay_lossless(hypothesis_examples, text):
    hypothesis_examples["random edits: parse never crashes, stays lossless"] += 1
    reg = _parse_or_nothing(text)
    if reg is not None:
        _check_lossless(reg)
        # offsets map back into the edited source
        for a in reg.articles[:3]:
            s, e = reg.source_span(a.start, a.end)
            assert 0 <= s <= e <= len(reg.normalized.source)


@PROPERTY
@given(edited_text())
def test_normalization_is_idempotent_on_edited_texts(hypothesis_examples, text):
    hypothesis_examples["random edits: normalization idempotent"] += 1
    n = normalize(text)
    once = n.text
    assert normalize(once).text == once
    assert len(n.offsets) == len(once) + 1 and (len(once) == 0 or int(n.offsets[-2]) < len(text))


TAGS = st.sampled_from(["<p>", "</p>", "<br>", "<br/>", "<div class='nav'>", "<div>", "</div>", "<script>", "</script>",
                        "<style>", "<!--", "-->", "&nbsp;", "&amp;", "&#x4e00;", "&#12288;", "<li>", "<ul>",
                        "<table><tr><td>", "</td><td>", "</td></tr></table>", "<", ">", "&", "<footer>", "</footer>",
                        "<pre>", "</pre>", "<b>", "</b>", "<main>", "</main>", "<span hidden>", "</span>", "]]>"])


@PROPERTY
@given(edited_text(), st.lists(st.tuples(st.integers(0, 10**6), TAGS), max_size=12))
def test_html_and_markdown_readers_never_crash(hypothesis_examples, text, tags):
    hypothesis_examples["random edits + markup: readers never crash"] += 1
    page = text.replace("\n", "<p>")
    for pos, tag in tags:
        pos %= len(page) + 1
        page = page[:pos] + tag + page[pos:]
    out, _notes = readers.html_to_text(page)
    reg = _parse_or_nothing(out) if out.strip() else None
    if reg is not None:
        _check_lossless(reg)
    md, _counts = readers.strip_markdown(text)
    assert isinstance(md, str)


# -- pathological inputs: linear time --------------------------------------------------------------
@pytest.mark.parametrize("text", ["第" * 100_000, "（" * 100_000, "平安建设，" * 50_000, "第 " * 50_000,
                                  "1." * 50_000, "?" * 100_000, "(ā" * 50_000])
def test_pathological_inputs_end_with_a_result_or_a_parse_error(text):
    reg = _parse_or_nothing(text)
    if reg is not None:
        _check_lossless(reg)


def _best_time(text: str, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        _parse_or_nothing(text)
        best = min(best, time.perf_counter() - t0)
    return best


@pytest.mark.parametrize("unit", ["第", "（", "平安建设，", "\n", "第一条。", "一、\n", "(ā", "第 "],
                         ids=["di", "paren", "one-long-line", "newlines", "articles", "provisions", "pinyin", "di-space"])
@pytest.mark.slow
def test_pathological_inputs_parse_in_linear_time(unit):
    """100 KB and 1 MB of the same pattern: 10× the input may cost at most 20× the time (no backtracking)."""
    small = unit * (100_000 // len(unit))
    big = unit * (1_000_000 // len(unit))
    t_small = _best_time(small, 3)
    t_big = _best_time(big, 1)
    if t_big >= 20 * t_small:  # a busy machine: measure again before calling it superlinear
        t_small = min(t_small, _best_time(small, 5))
        t_big = min(t_big, _best_time(big, 2))
    assert t_big < 20 * max(t_small, 0.002), (t_small, t_big)


@PROPERTY
@given(edited_text(), st.sampled_from(["", " ", "\n"]))
def test_fast_and_general_edit_paths_agree(hypothesis_examples, text, repl):
    """normalize's mask-based edit gives the text, offsets and removals of the piece-by-piece one."""
    import re

    from pingan_corpus.parse.normalize import _State

    hypothesis_examples["random edits: fast edit path == general edit path"] += 1
    pattern = re.compile(r"[ \n]{2,}|\(shè\)|第(?=十)|[\x00-\x08]")
    fast, general = _State(text), _State(text)
    fast.sub(pattern, repl, "control")
    general._sub_general(pattern, repl, "control")
    assert fast.text == general.text
    assert fast.offsets.tolist() == general.offsets.tolist()
    assert list(fast.removals) == list(general.removals)


@pytest.mark.slow
@PROPERTY
@given(st.lists(edited_text(), min_size=1, max_size=3), st.integers(100, 3000))
def test_block_normalization_equals_whole_normalization(hypothesis_examples, texts, block):
    """A big text is normalized a block at a time: the result must be the text normalized whole."""
    import importlib

    N = importlib.import_module("pingan_corpus.parse.normalize")
    hypothesis_examples["random edits: normalized by blocks == normalized whole"] += 1
    text = "\n".join(texts)
    saved = N._BLOCK
    try:
        N._BLOCK = 1 << 40
        whole = N.normalize(text)
        N._BLOCK = block
        blocks = N.normalize(text)
    finally:
        N._BLOCK = saved
    assert blocks.text == whole.text
    assert blocks.source == text       # kept compressed when several blocks, read back whole
    assert blocks.offsets.tolist() == whole.offsets.tolist()
    key = lambda r: (r.start, r.end, r.kind)
    assert sorted(blocks.removals, key=key) == sorted(whole.removals, key=key)
    assert blocks.mojibake == whole.mojibake
