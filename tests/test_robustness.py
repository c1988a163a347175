"""Random edits of real texts never crash the parser, keep it lossless, keep normalization idempotent."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pingan_corpus as pc
from pingan_corpus.normalize import normalize

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
SEED_LINES = {p.name: p.read_text("utf-8").splitlines() for p in sorted(RAW.glob("*.txt"))}
JUNK = st.sampled_from(["\x00", "\x07", "\u200b", "\ufeff", "(shè)", "第", "条", "（", "）", "第十二条", "：（一）",
                        "HYPERLINK \"http://x\" ", "??", "\ufffd", "的.", "\u3000", "　", "\r\n", "【", "】", "1.", "一、"])


@st.composite
def edited_text(draw):
    name = draw(st.sampled_from(sorted(SEED_LINES)))
    lines = list(SEED_LINES[name][:80])
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "junk", "unicode", "renumber"]))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op in ("junk", "unicode"):
            piece = draw(JUNK) if op == "junk" else draw(st.text(min_size=1, max_size=5))
            k = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:k] + piece + lines[i][k:]
        else:
            lines[i] = lines[i].replace("第", "第十", 1)
    return "\n".join(lines)


def _check_lossless(reg: pc.Regulation) -> None:
    pos = 0
    for _kind, s, e in reg.units():
        assert s == pos and e >= s
        pos = e
    assert pos == len(reg.text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited_text())
def test_random_edits_never_crash_and_stay_lossless(text):
    try:
        reg = pc.parse_text(text)
    except pc.ParseError:
        return
    _check_lossless(reg)
    for a in reg.articles:
        assert a.start < a.end


@settings(max_examples=150, deadline=None)
@given(edited_text())
def test_normalization_is_idempotent_on_edited_texts(text):
    once = normalize(text).text
    assert normalize(once).text == once


@pytest.mark.parametrize("text", ["第" * 100_000, "（" * 100_000, "平安建设，" * 50_000, "第 " * 50_000,
                                  "1." * 50_000, "?" * 100_000, "(ā" * 50_000])
def test_pathological_inputs_end_with_a_result_or_a_parse_error(text):
    try:
        reg = pc.parse_text(text)
    except pc.ParseError as e:
        assert "no provision" in str(e)
    else:
        _check_lossless(reg)
