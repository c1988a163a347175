"""Gaps: the provisions peers have and a draft lacks, and those only the draft has.

A provision is a family of equivalent articles (:func:`~.many.provision_families`, strong links
across all the regulations compared). The draft lacks a family when none of its articles is in
it; a peer article in no family is a provision of that peer alone. Families are ranked by how
many peers have them — what most peers regulate and the draft does not comes first.
"""
from __future__ import annotations

import pandas as pd

from ..errors import ArgumentError
from ..models import as_regulations
from .many import column_names, labeller, pairwise_links, provision_families
from .relations import STRONG_RELATIONS

__all__ = ["GAP_COLUMNS", "gap_groups", "gaps"]

GAP_COLUMNS = ["side", "rank", "label", "n_peers", "peers", "articles", "texts", "draft_partial", "members"]


def gap_groups(regs, links: pd.DataFrame) -> list[tuple[str, str, list[tuple[str, int]]]]:
    """(side, label, members) for the draft ``regs[0]``: side "peers" (members: (doc_id,
    article_no) of the peers having a provision the draft lacks) or "draft" (a draft article no
    peer has), peers' families first, most peers first, then in the first member's reading order."""
    draft = regs[0]
    label = labeller(regs)
    fam = provision_families(regs, links)
    in_family = set(zip(fam["doc_id"], fam["article_no"]))
    order = {(r.doc_id, a.number): (k, n) for k, r in enumerate(regs) for n, a in enumerate(r.articles)}
    out = []
    for _, g in fam.groupby("family", sort=True):
        members = list(zip(g["doc_id"], g["article_no"]))
        if draft.doc_id in set(g["doc_id"]):
            continue
        out.append(("peers", str(g["label"].iloc[0]), sorted(members, key=order.__getitem__)))
    for r in regs[1:]:
        for a in r.articles:
            if (r.doc_id, a.number) not in in_family:
                out.append(("peers", label([(r.doc_id, a.number)]), [(r.doc_id, a.number)]))
    out.sort(key=lambda t: (-len({d for d, _ in t[2]}), order[t[2][0]]))
    for a in draft.articles:
        if (draft.doc_id, a.number) not in in_family:
            out.append(("draft", label([(draft.doc_id, a.number)]), [(draft.doc_id, a.number)]))
    return out


def gaps(draft, peers, links: pd.DataFrame | None = None) -> pd.DataFrame:
    """What ``peers`` regulate and ``draft`` does not (side "peers"), and the converse (side
    "draft"), one row per provision family.

    Columns: side, rank (1 = the provision most peers have), label (the family's heading or
    shared words), n_peers, peers (their names, "、"), articles (e.g. "湖北省 第十二条；鄂尔多斯市
    第九条"), texts (each article's text after its name), draft_partial (draft articles that cover
    the provision only in part), members (list of (doc_id, article_no)). ``links``: the pairwise
    links of ``[draft, *peers]`` if already computed (``pc.align_all`` or ``pairwise_links``).
    """
    regs = [*as_regulations(draft)[:1], *as_regulations(peers)]
    if len(regs) < 2:
        raise ArgumentError("gaps(draft, peers) needs a draft and at least one peer regulation")
    links = pairwise_links(regs) if links is None else links
    names = dict(zip((r.doc_id for r in regs), column_names(regs)))
    arts = {(r.doc_id, a.number): a for r in regs for a in r.articles}
    d = regs[0].doc_id
    part_of: dict[tuple[str, int], list[int]] = {}
    touching = links[((links["doc_a"] == d) | (links["doc_b"] == d)) & ~links["relation"].isin(STRONG_RELATIONS)]
    for r in touching.itertuples(index=False):
        draft_no, other = (r.article_a, (r.doc_b, r.article_b)) if r.doc_a == d else (r.article_b, (r.doc_a, r.article_a))
        part_of.setdefault(other, []).append(int(draft_no))
    rows = []
    rank = 0
    for side, label, members in gap_groups(regs, links):
        if side == "peers":
            rank += 1
        draft_arts = {n: arts[(d, n)] for m in members for n in part_of.get(m, [])}
        rows.append({
            "side": side, "rank": rank if side == "peers" else pd.NA, "label": label,
            "n_peers": len({doc for doc, _ in members}) if side == "peers" else 0,
            "peers": "、".join(dict.fromkeys(names[doc] for doc, _ in members)) if side == "peers" else "",
            "articles": "；".join(f"{names[doc]} {arts[(doc, n)].label}" for doc, n in members),
            "texts": "\n\n".join(f"{names[doc]} {arts[(doc, n)].label}：{arts[(doc, n)].text}" for doc, n in members),
            "draft_partial": "、".join(a.label for _, a in sorted(draft_arts.items())),
            "members": members,
        })
    out = pd.DataFrame(rows, columns=GAP_COLUMNS)
    out["rank"] = out["rank"].astype("Int64")
    return out
