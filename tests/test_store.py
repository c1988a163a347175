"""Corpus.save / Corpus.load: a Parquet round trip rebuilds the same regulations."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import pingan_corpus as pc
from pingan_corpus import store, synth

pytest.importorskip("pyarrow")
RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def _same(a: pc.Regulation, b: pc.Regulation, sources: bool = True) -> None:
    assert a == b  # every field of the tree (dataclass equality), the normalized map aside
    assert [(w.code, w.article, str(w)) for w in a.warnings] == [(w.code, w.article, str(w)) for w in b.warnings]
    for x, y in zip(a.articles, b.articles):
        assert [(w.code, w.article) for w in x.warnings] == [(w.code, w.article) for w in y.warnings]
    # the tree's membership (which article objects each chapter and section holds), not only content
    assert [[b.articles.index(x) for x in c.articles] for c in b.chapters] == \
        [[a.articles.index(x) for x in c.articles] for c in a.chapters]
    assert [[[a.articles.index(x) for x in s.articles] for s in c.sections] for c in a.chapters] == \
        [[[b.articles.index(x) for x in s.articles] for s in c.sections] for c in b.chapters]
    assert [[a.articles.index(x) for x in p.articles] for p in a.parts] == \
        [[b.articles.index(x) for x in p.articles] for p in b.parts]
    assert [[a.chapters.index(x) for x in p.chapters] for p in a.parts] == \
        [[b.chapters.index(x) for x in p.chapters] for p in b.parts]
    for fld in ("adopted", "approved", "effective", "repealed", "source", "position", "encoding", "offset"):
        assert getattr(a, fld) == getattr(b, fld)
    if sources and a.normalized is not None:
        na, nb = a.normalized, b.normalized
        assert (na.source, na.text, na.encoding) == (nb.source, nb.text, nb.encoding)
        assert (na.offsets == nb.offsets).all()
        assert list(na.removals) == list(nb.removals)
        assert na.mojibake == nb.mojibake
        assert a.source_text(0, len(a.text)) == b.source_text(0, len(b.text))
        for art in a.articles[:5]:
            assert a.source_span(art.start, art.end) == b.source_span(art.start, art.end)


def test_round_trip_bundled_corpus(tmp_path):
    corpus = pc.load_corpus(RAW)
    corpus.warnings.append("a corpus warning")
    out = corpus.save(tmp_path / "c")
    assert {p.name for p in out.iterdir()} >= {"corpus.json", "documents.parquet", "articles.parquet",
                                                "paragraphs.parquet", "items.parquet", "sources.parquet"}
    back = pc.Corpus.load(out)
    assert isinstance(back, pc.Corpus)
    assert back.doc_ids == corpus.doc_ids and back.warnings[:1] == ["a corpus warning"]
    for a, b in zip(corpus, back):
        _same(a, b)
    for frame in ("articles", "paragraphs", "items", "regulations"):
        pd.testing.assert_frame_equal(getattr(corpus, frame), getattr(back, frame))
    # compilations share one source: it is stored once and shared again
    shared = [r for r in back if r.source and r.source.endswith("compilation.txt")]
    assert len({id(r.normalized) for r in shared}) == 1


def test_round_trip_noisy_synthetic_and_without_sources(tmp_path):
    regs, _ = synth.synthesize(25, seed=2, seeds=RAW)
    assert any(len(r.normalized.removals) for r in regs)  # pinyin was removed somewhere
    store.save_corpus(regs, tmp_path / "s")
    back, meta = store.load_regulations(tmp_path / "s")
    assert meta["documents"] == 25
    for a, b in zip(regs, back):
        _same(a, b)
    store.save_corpus(regs, tmp_path / "lean", sources=False)
    lean = pc.Corpus.load(tmp_path / "lean")
    for a, b in zip(regs, lean):
        _same(a, b, sources=False)
        assert b.normalized is None and b.source_text(0, 10) == b.text[:10]


def test_alignment_works_on_a_loaded_corpus(tmp_path):
    corpus = pc.load_corpus(RAW)
    back = pc.Corpus.load(corpus.save(tmp_path / "c"))
    a = pc.align(corpus["xiangtan_pingan_draft"], corpus["xiangtan_pingan_2022"])
    b = pc.align(back["xiangtan_pingan_draft"], back["xiangtan_pingan_2022"])
    pd.testing.assert_frame_equal(a, b)


def test_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        pc.Corpus.load(tmp_path)
    corpus = pc.load_corpus(RAW)
    out = corpus.save(tmp_path / "c")
    (out / "corpus.json").write_text('{"format": 99}', encoding="utf-8")
    with pytest.raises(pc.StoreError, match="format 99"):
        pc.Corpus.load(out)


def test_round_trip_of_parts(tmp_path):
    from tests.test_structure import PARTS_TEXT

    reg = pc.parse_text(PARTS_TEXT)
    assert len(reg.parts) == 2
    store.save_corpus([reg], tmp_path / "c")
    regs, _ = store.load_regulations(tmp_path / "c")
    _same(reg, regs[0])
    # a folder saved before parts were modelled has no parts.parquet: it still loads
    (tmp_path / "c" / "parts.parquet").unlink()
    regs, _ = store.load_regulations(tmp_path / "c")
    assert regs[0].parts == [] and len(regs[0].articles) == 5
