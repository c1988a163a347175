"""Two regulations: article links with relations, the 条文对照表 (ClauseDiff), word diffs, and the
correspondence of paragraphs and items inside linked articles.

``pc.align(a, b)`` prepares both (:mod:`.prepare`), scores every article pair (:mod:`.scores`)
and lets the relation engine (:mod:`.relations`) decide the links; ``pc.compare`` adds texts,
word diffs and the Chinese 说明 of every row.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from scipy.optimize import linear_sum_assignment

from ..duties.changes import CHANGE_COLUMNS, ChangeFinder
from ..errors import ArgumentError
from ..models import Article, Regulation, regulation_name
from ..parse import regexes as R
from .paragraphs import moved_notes, paragraph_frame
from .prepare import Prepared, Vocabulary, neutralize, prepare, tokenizer
from .relations import MOVED_ZH, RELATION_ZH, RELATIONS, STRONG_RELATIONS, DenseTable, Link, link, moved
from .scores import Scores, score_pairs
from .thresholds import UNIT_SAME

FRAME_COLUMNS = ["a_article", "a_label", "a_heading", "a_text", "b_article", "b_label", "b_heading",
                 "b_text", "score", "relation", "method", "moved", *CHANGE_COLUMNS, "note", "ops"]
ALIGN_COLUMNS = ["a_article", "b_article", "score", "relation", "method", "moved", *CHANGE_COLUMNS]


def link_articles(pa: Prepared, pb: Prepared, vocab: Vocabulary | None = None,
                  scores: Scores | None = None) -> tuple[list[Link], Scores]:
    """All links between two prepared regulations (no unmatched rows), every pair scored
    (``scores``: already computed with ``vocab``, e.g. by :func:`~.scores.score_against`)."""
    vocab = vocab or Vocabulary([pa, pb])
    s = score_pairs(pa, pb, vocab) if scores is None else scores
    return link(pa, pb, DenseTable(s), vocab.weights), s


def align(a: Regulation, b: Regulation, level: str = "article") -> pd.DataFrame:
    """Alignment of ``a`` with ``b``, article by article or (``level="paragraph"``) paragraph by paragraph.

    Articles: one row per link (many-to-many: splits and merges give several rows) and one row
    per unmatched article with NA on the other side. Columns: a_article, b_article (Int64),
    score (0–100), relation (identical, modified, split, merged, partial, deleted, added),
    method (exact, fuzzy, mutual-best, context, heading, split-test, merge-test, containment,
    paragraph: an article that is one paragraph or item of the other), moved (bool),
    force_change, bearer_change, figures_change (bool: the link changes a duty's modality, its
    bearers, or a time limit, amount or count — :mod:`pingan_corpus.duties.changes`), changes
    (what changed, in Chinese: 【效力】应当→可以（…）；【主体】…；【数字】三十日→十五日), a_label, b_label.

    Paragraphs (款): a_article, a_paragraph, b_article, b_paragraph, score, relation (identical,
    modified, deleted, added), method, moved (the paragraph's counterpart lies in an article its
    own article is not linked to: it moved), a_text, b_text — see :mod:`.paragraphs`.
    """
    if level not in ("article", "paragraph"):
        raise ArgumentError(f"level must be 'article' or 'paragraph', not {level!r}")
    pa, pb = prepare(a), prepare(b)
    vocab = Vocabulary([pa, pb])
    links, _ = link_articles(pa, pb, vocab)
    if level == "paragraph":
        return paragraph_frame(pa, pb, links, vocab)
    out = _align_frame(pa, pb, links)
    return _with_changes(out, ChangeFinder(a, b), at=out.columns.get_loc("moved") + 1)


def _with_changes(frame: pd.DataFrame, finder: ChangeFinder, at: int) -> pd.DataFrame:
    """``frame`` with the legal-force columns (:data:`CHANGE_COLUMNS`) inserted at column ``at``."""
    changes = finder.columns(frame["a_article"], frame["b_article"])
    for k, col in enumerate(CHANGE_COLUMNS):
        frame.insert(at + k, col, changes[col].to_numpy())
    return frame


def _align_frame(pa: Prepared, pb: Prepared, links: list[Link]) -> pd.DataFrame:
    moved_pairs = moved(links)
    rows = []
    for lk in links:
        rows.append((lk.i, lk.j, round(float(lk.score), 1), lk.relation, lk.method, (lk.i, lk.j) in moved_pairs))
    linked_a = {lk.i for lk in links}
    linked_b = {lk.j for lk in links}
    rows += [(i, None, np.nan, "deleted", "unmatched", False) for i in range(pa.n) if i not in linked_a]
    rows += [(None, j, np.nan, "added", "unmatched", False) for j in range(pb.n) if j not in linked_b]
    rows.sort(key=_reading_order(rows))
    out = pd.DataFrame({
        "a_article": pd.array([pa.articles[r[0]].number if r[0] is not None else None for r in rows], "Int64"),
        "b_article": pd.array([pb.articles[r[1]].number if r[1] is not None else None for r in rows], "Int64"),
        "score": pd.array([r[2] for r in rows], "Float64"),
        "relation": [r[3] for r in rows],
        "method": [r[4] for r in rows],
        "moved": [r[5] for r in rows],
        "a_label": [pa.articles[r[0]].label if r[0] is not None else "" for r in rows],
        "b_label": [pb.articles[r[1]].label if r[1] is not None else "" for r in rows],
    })
    out.attrs["a_index"] = [r[0] for r in rows]
    out.attrs["b_index"] = [r[1] for r in rows]
    return out


def _reading_order(rows):
    """Sort key: b's order; an article only in a follows its nearest earlier linked a-neighbour."""
    b_key = {}
    for r in rows:
        if r[0] is not None and r[1] is not None:
            b_key.setdefault(r[0], (r[1], r[0]))
    def key(r):
        i, j = r[0], r[1]
        if j is not None:
            return (j, 0, i if i is not None else -1)
        prev = [b_key[k] for k in b_key if k < i]
        anchor = max(prev, key=lambda t: t[1]) if prev else (-1, -1)
        return (anchor[0], 1, i)
    return key


# -- below the article --------------------------------------------------------------------------
def word_diff(a_text: str, b_text: str) -> list[tuple[str, str]]:
    """Word-level diff (jieba tokens) turning ``a_text`` into ``b_text``.

    A list of (tag, text) with tag in equal/delete/insert; joining the equal+delete texts gives
    ``a_text`` and joining the equal+insert texts gives ``b_text``.
    """
    tok = tokenizer()
    ta, tb = tok.lcut(a_text, HMM=False), tok.lcut(b_text, HMM=False)
    ops: list[tuple[str, str]] = []

    def add(tag: str, text: str) -> None:
        if not text:
            return
        if ops and ops[-1][0] == tag:
            ops[-1] = (tag, ops[-1][1] + text)
        else:
            ops.append((tag, text))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        if tag == "equal":
            add("equal", "".join(ta[i1:i2]))
        else:
            add("delete", "".join(ta[i1:i2]))
            add("insert", "".join(tb[j1:j2]))
    return _absorb_short_equals(ops)


def _absorb_short_equals(ops: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A one-character 'equal' between changes reads as noise: fold it into the change."""
    out: list[tuple[str, str]] = []
    for k, (tag, text) in enumerate(ops):
        if (tag == "equal" and len(R.NON_WORD.sub("", text)) <= 1 and 0 < k < len(ops) - 1
                and ops[k - 1][0] != "equal" and ops[k + 1][0] != "equal"):
            out += [("delete", text), ("insert", text)]
        else:
            out.append((tag, text))
    return _canonical_order(out)


def _canonical_order(ops: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Within a run of changes, all deletions first, then all insertions, each merged."""
    out: list[tuple[str, str]] = []
    run_d, run_i = [], []
    for tag, text in ops + [("equal", "")]:
        if tag == "delete":
            run_d.append(text)
        elif tag == "insert":
            run_i.append(text)
        else:
            if run_d:
                out.append(("delete", "".join(run_d)))
            if run_i:
                out.append(("insert", "".join(run_i)))
            run_d, run_i = [], []
            if text:
                if out and out[-1][0] == "equal":
                    out[-1] = ("equal", out[-1][1] + text)
                else:
                    out.append(("equal", text))
    return out


def _units(art: Article) -> list[tuple[int, int | None, str]]:
    """An article's paragraphs (their own words, without items) and items, in order."""
    out = []
    for p in art.paragraphs:
        out.append((p.number, None, p.lead_in if p.items else p.text))
        out += [(p.number, it.number, it.text) for it in p.items]
    return [u for u in out if u[2].strip()]


def align_units(a: Article, b: Article) -> pd.DataFrame:
    """Paragraph- and item-level correspondence inside one aligned article pair.

    Columns: a_paragraph, a_item, b_paragraph, b_item (Int64; NA = no counterpart), score,
    relation (identical, modified, deleted, added), a_text, b_text.
    """
    ua, ub = _units(a), _units(b)
    fa = [R.NON_WORD.sub("", neutralize(u[2])) for u in ua]
    fb = [R.NON_WORD.sub("", neutralize(u[2])) for u in ub]
    pairs: list[tuple[int, int]] = []
    if ua and ub:
        sc = process.cdist(fa, fb, scorer=fuzz.ratio, workers=-1)
        rows, cols = linear_sum_assignment(-sc)
        pairs = [(int(i), int(j)) for i, j in zip(rows, cols) if sc[i, j] >= UNIT_SAME]
    matched_a = {i for i, _ in pairs}
    matched_b = {j for _, j in pairs}
    recs = []
    for i, j in pairs:
        s = fuzz.ratio(fa[i], fb[j])
        recs.append((ua[i], ub[j], round(s, 1), "identical" if fa[i] == fb[j] else "modified", j, i))
    recs += [(ua[i], None, np.nan, "deleted", -1, i) for i in range(len(ua)) if i not in matched_a]
    recs += [(None, ub[j], np.nan, "added", j, -1) for j in range(len(ub)) if j not in matched_b]
    recs.sort(key=lambda r: (r[4] if r[4] >= 0 else _prev_b(pairs, r[5]) + 0.5, r[5]))
    return pd.DataFrame({
        "a_paragraph": pd.array([r[0][0] if r[0] else None for r in recs], "Int64"),
        "a_item": pd.array([r[0][1] if r[0] else None for r in recs], "Int64"),
        "b_paragraph": pd.array([r[1][0] if r[1] else None for r in recs], "Int64"),
        "b_item": pd.array([r[1][1] if r[1] else None for r in recs], "Int64"),
        "score": pd.array([r[2] for r in recs], "Float64"),
        "relation": [r[3] for r in recs],
        "a_text": [r[0][2] if r[0] else "" for r in recs],
        "b_text": [r[1][2] if r[1] else "" for r in recs],
    })


def _prev_b(pairs: list[tuple[int, int]], i: int) -> float:
    earlier = [j for k, j in pairs if k < i]
    return max(earlier) if earlier else -1


# -- the clause-diff table ----------------------------------------------------------------------
def _note(row: dict, split_to: dict[int, list[str]], merged_from: dict[int, list[str]],
          ops: list[tuple[str, str]], raw_equal: bool) -> str:
    rel = row["relation"]
    if rel == "identical":
        note = "相同" if raw_equal else "相同（仅地名等表述不同）"
    elif rel == "split":
        note = "拆分为" + "、".join(split_to[row["_i"]])
    elif rel == "merged":
        note = "、".join(merged_from[row["_j"]]) + "合并为" + row["b_label"]
    elif rel in ("modified", "partial"):
        dels = [t for g, t in ops if g == "delete" and R.NON_WORD.sub("", t)]
        ins = [t for g, t in ops if g == "insert" and R.NON_WORD.sub("", t)]
        parts = []
        if dels:
            parts.append(f"删除{len(dels)}处")
        if ins:
            parts.append(f"增加{len(ins)}处")
        note = RELATION_ZH[rel] + ("（" + "、".join(parts) + "）" if parts else "")
    else:
        note = RELATION_ZH[rel]
    if row["moved"]:
        note += "；" + MOVED_ZH
    return note


def compare(a: Regulation, b: Regulation, links: pd.DataFrame | None = None) -> ClauseDiff:
    """A clause-by-clause comparison (条文对照表) of ``a`` with ``b``.

    ``.frame`` extends :func:`align` with labels, headings, texts, a Chinese note (说明, which
    also flags legal-force changes: 【效力】, 【主体】, 【数字】) and the word-level diff ``ops``; ``.summary()``, ``.units()``, ``.to_excel``, ``.to_docx``, ``.to_html``.
    ``links``: article links already computed for a corpus (``corpus.links()`` or ``align_all``:
    doc_a, article_a, doc_b, article_b, score, relation, method), so that the table shows the
    corpus's own scores; by default the pair is aligned on its own.
    """
    pa, pb = prepare(a), prepare(b)
    vocab = Vocabulary([pa, pb])
    links = link_articles(pa, pb, vocab)[0] if links is None else _pair_links(pa, pb, links)
    paragraphs = paragraph_frame(pa, pb, links, vocab)
    moves = moved_notes(paragraphs)
    base = _align_frame(pa, pb, links)
    ia, ib = base.attrs["a_index"], base.attrs["b_index"]
    split_to: dict[int, list[str]] = {}
    merged_from: dict[int, list[str]] = {}
    for i, j, rel in zip(ia, ib, base["relation"]):
        if rel == "split":
            split_to.setdefault(i, []).append(pb.articles[j].label)
        elif rel == "merged":
            merged_from.setdefault(j, []).append(pa.articles[i].label)
    base = _with_changes(base, ChangeFinder(a, b), at=len(base.columns))
    records = []
    for k, row in enumerate(base.to_dict("records")):
        i, j = ia[k], ib[k]
        at = pa.articles[i] if i is not None else None
        bt = pb.articles[j] if j is not None else None
        a_text, b_text = (at.text if at else ""), (bt.text if bt else "")
        if at and bt:
            ops = word_diff(a_text, b_text)
        else:
            ops = [("delete", a_text)] if at else [("insert", b_text)]
        row.update(_i=i, _j=j)
        records.append({
            "a_article": row["a_article"], "a_label": row["a_label"], "a_heading": at.heading if at else None,
            "a_text": a_text, "b_article": row["b_article"], "b_label": row["b_label"],
            "b_heading": bt.heading if bt else None, "b_text": b_text, "score": row["score"],
            "relation": row["relation"], "method": row["method"], "moved": row["moved"],
            **{c: row[c] for c in CHANGE_COLUMNS},
            "note": _note(row, split_to, merged_from, ops, a_text == b_text)
            + "".join("；" + m for m in ([*moves.get(("a", row["a_article"]), [])] if at else [])
                      + ([*moves.get(("b", row["b_article"]), [])] if bt else [])
                      + ([row["changes"]] if row["changes"] else [])),
            "ops": ops,
        })
    frame = pd.DataFrame(records, columns=FRAME_COLUMNS)
    for c in ("a_article", "b_article"):
        frame[c] = frame[c].astype("Int64")
    frame["score"] = frame["score"].astype("Float64")
    return ClauseDiff(a=a, b=b, frame=frame, paragraphs=paragraphs)


def _pair_links(pa: Prepared, pb: Prepared, links: pd.DataFrame) -> list[Link]:
    """The links of a corpus frame between a and b, in either orientation, as a's and b's indices."""
    ida, idb = pa.reg.doc_id, pb.reg.doc_id
    index_a = {}
    for k, art in enumerate(pa.articles):
        index_a.setdefault(art.number, k)
    index_b = {}
    for k, art in enumerate(pb.articles):
        index_b.setdefault(art.number, k)
    swap = {"split": "merged", "merged": "split"}
    out = []
    for r in links.itertuples(index=False):
        if (r.doc_a, r.doc_b) == (ida, idb):
            i, j, relation = index_a.get(r.article_a), index_b.get(r.article_b), r.relation
        elif (r.doc_a, r.doc_b) == (idb, ida):
            i, j, relation = index_a.get(r.article_b), index_b.get(r.article_a), swap.get(r.relation, r.relation)
        else:
            continue
        if i is not None and j is not None:
            out.append(Link(i, j, float(r.score), relation, r.method))
    return out


def diff_summary(cd: ClauseDiff) -> pd.DataFrame:
    """Counts by relation (articles of a and of b involved) and the share of each text reused.

    The reused share of a side is the share of its characters in articles linked as identical,
    modified, split or merged, weighted by the link score.
    """
    f = cd.frame
    rows = []
    for rel in RELATIONS:
        sub = f[f["relation"] == rel]
        rows.append({"relation": rel, "说明": RELATION_ZH[rel], "links": len(sub),
                     "a_articles": sub["a_article"].dropna().nunique(),
                     "b_articles": sub["b_article"].dropna().nunique()})
    out = pd.DataFrame(rows).set_index("relation")
    out.attrs["reused_a"] = reused_share(f, "a")
    out.attrs["reused_b"] = reused_share(f, "b")
    out.attrs["moved"] = int(f["moved"].sum())
    return out


def reused_share(frame: pd.DataFrame, side: str) -> float:
    """Share (0–1) of one side's article text that has a strong counterpart, weighted by score."""
    key, text = f"{side}_article", f"{side}_text"
    total = frame.drop_duplicates(key).dropna(subset=[key])[text].str.len().sum()
    strong = frame[frame["relation"].isin(STRONG_RELATIONS)]
    best = strong.sort_values("score", ascending=False).drop_duplicates(key)
    reused = (best[text].str.len() * best["score"].astype(float) / 100.0).sum()
    return float(reused / total) if total else 0.0


@dataclass
class ClauseDiff:
    """A clause-by-clause comparison (条文对照表) of regulation ``a`` with regulation ``b``.

    ``frame`` has one row per link or unmatched article, in reading order (b's order, with
    articles only in a placed after their nearest preceding a-neighbour); see ``pc.compare``.
    ``paragraphs``: the paragraph (款) correspondence of the two texts (``pc.align(a, b,
    level="paragraph")``); paragraphs that moved to another article are also named in the 说明.
    """

    a: Regulation
    b: Regulation
    frame: pd.DataFrame
    paragraphs: pd.DataFrame | None = None

    @property
    def a_name(self) -> str:
        return regulation_name(self.a)

    @property
    def b_name(self) -> str:
        return regulation_name(self.b)

    def summary(self) -> pd.DataFrame:
        """Counts by relation and the share of each side's text that was reused."""
        return diff_summary(self)

    def units(self) -> pd.DataFrame:
        """Paragraph- and item-level correspondence for every linked article pair (one table)."""
        by_label_a = {x.label: x for x in self.a.articles}
        by_label_b = {x.label: x for x in self.b.articles}
        parts = []
        for row in self.frame.itertuples():
            if row.a_label and row.b_label:
                u = align_units(by_label_a[row.a_label], by_label_b[row.b_label])
                u.insert(0, "b_article", row.b_article)
                u.insert(0, "a_article", row.a_article)
                parts.append(u)
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()

    def _repr_html_(self) -> str:
        from ..present.tables import clause_diff_html

        return clause_diff_html(self, standalone=False)

    def to_html(self, path) -> None:
        """One standalone HTML page (inline CSS, no scripts from the network)."""
        from ..present.tables import write_html

        write_html(self, path)

    def to_excel(self, path) -> None:
        """An .xlsx workbook (openpyxl): coloured rich-text runs, frozen header, a summary sheet."""
        from ..present.tables import write_excel

        write_excel(self, path)

    def to_docx(self, path) -> None:
        """A Word 条文对照表 (python-docx): landscape, three columns A | B | 说明, changes marked."""
        from ..present.tables import write_docx

        write_docx(self, path)

    def __repr__(self) -> str:
        counts = self.frame["relation"].value_counts().to_dict() if len(self.frame) else {}
        return f"<ClauseDiff {self.a_name} → {self.b_name}: {counts}>"


__all__ = [
    "ALIGN_COLUMNS",
    "FRAME_COLUMNS",
    "ClauseDiff",
    "align",
    "align_units",
    "compare",
    "link_articles",
    "word_diff",
]
