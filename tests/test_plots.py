"""Every plot of the library renders its Chinese labels (missing glyphs turned into errors)."""
from __future__ import annotations

import io
from pathlib import Path

import matplotlib
import pytest

import pingan_corpus as pc
from pingan_corpus.present import plots as plots
from pingan_corpus.present.plots import draw_duty_graph

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def laws():
    corpus = pc.load_corpus(Path(__file__).parents[1] / "data" / "raw")
    return pc.Corpus([d for d in corpus if not d.doc_id.startswith("shequ_")])




def _png(ax) -> bytes:
    buf = io.BytesIO()
    ax.figure.savefig(buf, format="png", dpi=60)
    return buf.getvalue()


def _labels(ax) -> list[str]:
    return [t.get_text() for t in (*ax.get_xticklabels(), *ax.get_yticklabels(), *ax.texts)]


def test_similarity_heatmap(laws, strict_rc):
    ax = plots.heatmap(laws.similarity() * 100, title="相似度")
    assert _png(ax).startswith(b"\x89PNG") and "湖北省" in _labels(ax)


def test_coverage_plot(laws, strict_rc):
    ax = pc.compare_many(laws, reference="hubei_pingan_2024").plot()
    assert _png(ax).startswith(b"\x89PNG")
    assert "鄂尔多斯市" in _labels(ax) and any(lk.startswith("第一条") for lk in _labels(ax))


def test_obligations_heatmap_and_modality_mix(laws, strict_rc):
    duties = pc.extract_duties(laws)
    ax = plots.obligations_heatmap(duties, top=10)
    assert _png(ax) and "公安机关" in _labels(ax)
    ax = plots.modality_mix(duties)
    assert _png(ax) and "湖北省" in _labels(ax)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(plots.MODALITY_ORDER)


def test_duty_graph_drawing(laws, strict_rc):
    ax = draw_duty_graph(pc.duty_graph(laws, actor="公安机关"))
    assert _png(ax) and any("公安机关" in t for t in _labels(ax))


def test_diffusion_drawing(laws, strict_rc):
    edges = pc.diffusion_edges(laws.docs, laws.similarity())
    ax = plots.draw_diffusion(edges)
    assert _png(ax) and "湖北省" in _labels(ax)
    dated = edges[edges["direction"] == "dated"]
    assert len(dated) and (dated["source_date"] < dated["target_date"]).all()
