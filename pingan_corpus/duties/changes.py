"""Changes of legal force between two versions of a provision — what a drafter must not miss.

For a pair of linked articles (a draft and its final text, or two jurisdictions' counterparts):

* **force**: a duty present on both sides (its action alike) under another modality class —
  must (应当/必须/负责), may (可以, and 鼓励/支持/引导 spoken by the regulation), must not
  (不得/禁止/严禁) — so 应当 → 可以 weakens, 可以 → 应当 strengthens, and a prohibition that
  appears or disappears changes what is forbidden;
* **bearer**: the set of bodies and persons bearing the article's duties differs (公安机关 →
  平安建设组织协调机构, a department added to a list, 有关部门 made concrete, a body's 应当
  sentence dropped from a 款 that goes on — a whole 款 dropped is content);
* **figures**: a time limit, amount, share, count or age differs (三十日 → 十五日, 罚款数额).

The duties come from :func:`~.extract.extract_duties` — the one extractor — computed once per
regulation and reused for every link.
"""
from __future__ import annotations

from collections import Counter, OrderedDict
from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz

from ..models import Regulation
from ..numerals import figure_value
from ..parse import regexes as rx
from .extract import extract_duties
from .lexicon import lexicon

__all__ = ["CHANGE_COLUMNS", "Change", "ChangeFinder", "duties_by_article", "figures"]

CHANGE_COLUMNS = ["force_change", "bearer_change", "figures_change", "changes"]

# the modality classes whose exchange changes legal force (a duty to encourage is a "may")
MODALITY_CLASS = {"shall": "must", "may": "may", "encourage": "may", "prohibit": "must_not", "right": "may"}
CLASS_ZH = {"must": "应当", "may": "可以", "must_not": "不得", "statement": "无主体陈述"}
# two duties are one duty when their actions are this alike (rapidfuzz ratio, 0–100), a bearer
# they share adding to the likeness
SAME_ACTION = 35
SAME_BEARER_BONUS = 10
SAME_PARAGRAPH = 50   # a paragraph's counterpart on the other side (ratio): the same provision
SAME_PIECE = 55       # a sentence or item of a split article belongs to the piece it is like (partial ratio)
_STRENGTH = {"may": 1, "must": 2}
GENERIC_BODY, GENERIC_UNIT, LEADERS = "有关部门（泛指）", "有关单位（泛指）", "负责人"
_UNIT_SAME = {"天": "日", "个月": "月", "个小时": "小时", "％": "%", "名": "人", "岁": "周岁", "工作日": "个工作日"}


@dataclass(frozen=True)
class Change:
    """The legal-force changes of one link; each note is "" when nothing of its kind changed."""

    force: str = ""
    bearer: str = ""
    figures: str = ""

    def flags(self) -> tuple[bool, bool, bool]:
        return bool(self.force), bool(self.bearer), bool(self.figures)

    def note(self) -> str:
        """The 说明 flag: 【效力】应当→可以（…）；【主体】…；【数字】…"""
        parts = [(label, text) for label, text in (("效力", self.force), ("主体", self.bearer),
                                                   ("数字", self.figures)) if text]
        return "；".join(f"【{label}】{text}" for label, text in parts)


def figures(text: str) -> list[tuple[float, str, str]]:
    """The figures with legal effect in ``text``, in order: (value, unit, as written); dates excluded."""
    blank = lambda m: "□" * len(m.group())
    text = rx.CN_DATE.sub(blank, rx.DATE.sub(blank, text))
    out = []
    for m in rx.FIGURE.finditer(text):
        value = figure_value(m.group("num"))
        if value is not None:
            unit = m.group("unit")
            out.append((value, _UNIT_SAME.get(unit, unit), m.group()))
    return out


def _figures_note(a_text: str, b_text: str) -> str:
    fa, fb = figures(a_text), figures(b_text)
    ka, kb = Counter(f[:2] for f in fa), Counter(f[:2] for f in fb)
    if ka == kb:
        return ""
    gone, new = ka - kb, kb - ka
    before = "、".join(dict.fromkeys(s for v, u, s in fa if gone[(v, u)])) or "无"
    after = "、".join(dict.fromkeys(s for v, u, s in fb if new[(v, u)])) or "无"
    return f"{before}→{after}"


def _short(action: str, n: int = 12) -> str:
    return action if len(action) <= n else action[:n] + "…"


@dataclass(frozen=True)
class _Unit:
    """One duty of an article, whatever the number of its bearers."""

    action: str
    cls: str                   # must | may | must_not | statement
    bearers: frozenset[str]    # the bodies bearing it (collaborators named by 会同/配合 are not)
    item: bool = False         # an item of a list (its force is its lead-in's)
    paragraph: int = 0         # the 款 it is written in
    cued: bool = False         # written with a modal word (应当, 可以, 不得 …), not read from a declarative


def _class(modality: str, cue: str, has_bearer: bool, action: str) -> str:
    if cue or modality != "shall":
        return MODALITY_CLASS.get(modality, "must")
    # no cue: a modal cue the extractor left at the start of a clause of the action (…的需要，
    # 可以制定…), else a declarative duty of a named body (公安机关依法打击…) or, with nobody
    # named, a statement
    for m in rx.DUTY_CUE.finditer(action):
        if m.start() == 0 or action[m.start() - 1] in "，,；;":
            return MODALITY_CLASS[m.lastgroup]
    return "must" if has_bearer else "statement"


def _units(d: pd.DataFrame) -> list[_Unit]:
    units: dict[tuple, set[str]] = {}
    for action, modality, cue, actor, role, item, para in zip(
            d["action"].fillna("").astype(str), d["modality"], d["cue"].fillna(""), d["actor"], d["role"],
            d["item_no"], d["paragraph_no"]):
        if not action:
            continue
        key = (action, modality, cue, not pd.isna(item), 0 if pd.isna(para) else int(para))
        bearers = units.setdefault(key, set())
        if isinstance(actor, str) and role == "bearer":
            bearers.add(_bearer(actor))
    return [_Unit(a, _class(m, c, bool(b), a), frozenset(b), item, para, bool(c))
            for (a, m, c, item, para), b in units.items()]


def _bearer(actor: str) -> str:
    """The bearer as compared: organs named only generically (有关部门, 相关机关, 有权机关) are one,
    units named so (有关单位) another, and a body's leaders (主要负责人, 国家机关负责人) one more."""
    if rx.LEADER.search(actor):
        return LEADERS
    if lexicon().category(actor) != "generic":
        return actor
    return GENERIC_UNIT if actor.endswith("单位") else GENERIC_BODY


def _pairs(ua: list[_Unit], ub: list[_Unit]) -> list[tuple[_Unit, _Unit]]:
    """Duties of the two sides that are one duty: actions alike, a shared bearer counting for
    some of the likeness; best pairs first, each duty in one pair at most."""
    scored = []
    for x, u in enumerate(ua):
        for y, v in enumerate(ub):
            s = fuzz.ratio(u.action, v.action) + (SAME_BEARER_BONUS if u.bearers & v.bearers else 0)
            if s >= SAME_ACTION:
                scored.append((-s, x, y))
    scored.sort()
    used_a, used_b, out = set(), set(), []
    for _, x, y in scored:
        if x not in used_a and y not in used_b:
            used_a.add(x)
            used_b.add(y)
            out.append((ua[x], ub[y]))
    return out


def _strength_notes(ua: list[_Unit], ub: list[_Unit]) -> list[str]:
    """A bearer named on both sides whose strongest duty went from may to must or back
    (鼓励物业服务企业参与… → 物业服务企业应当协助…), whatever the wording of the actions."""
    def strongest(units: list[_Unit]) -> dict[str, str]:
        out: dict[str, str] = {}
        for u in units:
            if u.cls in _STRENGTH:
                for b in u.bearers:
                    if _STRENGTH[u.cls] > _STRENGTH.get(out.get(b, ""), 0):
                        out[b] = u.cls
        return out

    sa, sb = strongest(ua), strongest(ub)
    return [f"{b}：{CLASS_ZH[sa[b]]}→{CLASS_ZH[sb[b]]}" for b in sorted(sa.keys() & sb.keys()) if sa[b] != sb[b]]


def _force_note(pairs: list[tuple[_Unit, _Unit]], ua: list[_Unit], ub: list[_Unit], a_text: str, b_text: str) -> str:
    """Paired duties whose class differs, and prohibitions that appear or disappear."""
    notes = [f"{CLASS_ZH[u.cls]}→{CLASS_ZH[v.cls]}（{_short(v.action)}）" for u, v in pairs
             if u.cls != v.cls and not (u.item and v.item and "statement" in (u.cls, v.cls))]
    notes += _strength_notes(ua, ub)
    notes += _prohibition_notes(a_text, b_text)
    return "；".join(dict.fromkeys(notes))


def _prohibition_notes(a_text: str, b_text: str) -> list[str]:
    """A paragraph with a prohibition (不得/禁止/严禁) whose counterpart paragraph on the other side
    has none: the prohibition was dropped or added (a paragraph on another matter is content)."""
    pa, pb = _paragraphs(a_text), _paragraphs(b_text)
    out = []
    for mine, theirs, note in ((pa, pb, "删除禁止性规定"), (pb, pa, "增加禁止性规定")):
        for p in mine:
            if not rx.PROHIBITION.search(p):
                continue
            best = max(theirs, key=lambda q: fuzz.ratio(p, q), default="")
            if best and fuzz.ratio(p, best) >= SAME_PARAGRAPH and not rx.PROHIBITION.search(best):
                out.append(note)
                break
    return out


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def _project(text: str, other: str) -> str:
    """The part of ``text`` (an article linked to several articles: split or merged) that
    corresponds to ``other``: its sentences and items like some part of it."""
    pieces = [m.group() for m in rx.PIECE.finditer(text)]
    kept = [p for p in pieces if fuzz.partial_ratio(p, other) >= SAME_PIECE]
    return "".join(kept)


def _bearer_note(pairs: list[tuple[_Unit, _Unit]], ua: list[_Unit], ub: list[_Unit]) -> str:
    """Bearers added to or dropped from a duty present on both sides (nobody named: 无主体); a
    duty dropped or added on one side only is a change of content, not of its bearers. Duties
    left unpaired on both sides — rewritten beyond recognition — are compared class by class
    when they share a bearer (鼓励社会组织… → 鼓励社会组织和社会工作者…)."""
    paired = {id(u) for pair in pairs for u in pair}
    rest = []
    for cls in CLASS_ZH:
        xa = frozenset().union(*(u.bearers for u in ua if u.cls == cls and id(u) not in paired))
        xb = frozenset().union(*(v.bearers for v in ub if v.cls == cls and id(v) not in paired))
        if xa & xb:
            rest.append((_Unit("", cls, xa), _Unit("", cls, xb)))
    added, dropped, unnamed = {}, {}, ""
    # a duty written with a modal word, dropped (added) from a 款 whose matter goes on (another
    # duty of it is paired), takes its bearer along when that bearer bears nothing on the other
    # side; a whole 款 dropped or added is content, and a declarative reading is too uncertain
    for mine, theirs, gone in ((ua, ub, dropped), (ub, ua, added)):
        kept = {u.paragraph for u in mine if id(u) in paired}
        named = frozenset().union(*(v.bearers for v in theirs))
        for u in mine:
            if u.cued and id(u) not in paired and u.paragraph in kept:
                gone.update(dict.fromkeys(u.bearers - named))
    for u, v in [*pairs, *rest]:
        if u.bearers != v.bearers:
            added.update(dict.fromkeys(v.bearers - u.bearers))
            dropped.update(dict.fromkeys(u.bearers - v.bearers))
            if not v.bearers:
                unnamed = "（改为未指明主体）"
            elif not u.bearers:
                unnamed = "（原未指明主体）"
    parts = []
    if added:
        parts.append("增加" + "、".join(sorted(added)))
    if dropped:
        parts.append("删除" + "、".join(sorted(dropped)))
    return "，".join(parts) + unnamed


def duties_by_article(reg: Regulation) -> dict[int, pd.DataFrame]:
    """The regulation's duties (bearerless ones included), by article number. The last few hundred
    regulations are kept: comparing one regulation with many reads its duties once."""
    key = (id(reg), reg.doc_id, len(reg.articles), hash(reg.text))
    hit = _DUTIES.get(key)
    if hit is not None and hit[0] is reg:
        _DUTIES.move_to_end(key)
        return hit[1]
    d = extract_duties(reg, unattributed=True)
    got = {int(k): g for k, g in d.groupby("article_no", sort=False)} if len(d) else {}
    _DUTIES[key] = (reg, got)
    if len(_DUTIES) > _DUTIES_MAX:
        _DUTIES.popitem(last=False)
    return got


_DUTIES: OrderedDict = OrderedDict()
_DUTIES_MAX = 256


class ChangeFinder:
    """Legal-force changes of links between two regulations; duties extracted once per side
    (or given: ``duties=(duties_by_article(a), duties_by_article(b))``)."""

    def __init__(self, a: Regulation, b: Regulation,
                 duties: tuple[dict[int, pd.DataFrame], dict[int, pd.DataFrame]] | None = None) -> None:
        self._duties = list(duties) if duties is not None else [duties_by_article(a), duties_by_article(b)]
        self._texts = [{art.number: art.text for art in a.articles}, {art.number: art.text for art in b.articles}]
        self._unit_cache: dict[tuple[int, int], list[_Unit]] = {}

    def change(self, a_article: int, b_article: int, a_shared: bool = False, b_shared: bool = False) -> Change:
        """The changes from article ``a_article`` of a to article ``b_article`` of b. A side
        ``shared`` by several links (a split article, the whole of a merge) is compared by its
        part like the other side only: the rest belongs to its other counterparts."""
        a_text, b_text = self._texts[0].get(a_article, ""), self._texts[1].get(b_article, "")
        ua, ub = self._units(0, a_article), self._units(1, b_article)
        if a_shared:
            a_text = _project(a_text, b_text)
            ua = [u for u in ua if fuzz.partial_ratio(u.action, a_text) >= SAME_PIECE]
        if b_shared:
            b_text = _project(b_text, a_text if not a_shared else self._texts[0].get(a_article, ""))
            ub = [u for u in ub if fuzz.partial_ratio(u.action, b_text) >= SAME_PIECE]
        pairs = _pairs(ua, ub)
        return Change(force=_force_note(pairs, ua, ub, a_text, b_text), bearer=_bearer_note(pairs, ua, ub),
                      figures=_figures_note(a_text, b_text))

    def _units(self, side: int, article: int) -> list[_Unit]:
        key = (side, article)
        if key not in self._unit_cache:
            d = self._duties[side].get(article)
            self._unit_cache[key] = _units(d) if d is not None else []
        return self._unit_cache[key]

    def columns(self, a_articles, b_articles) -> pd.DataFrame:
        """:data:`CHANGE_COLUMNS` for rows of article numbers (NA on a side: an unmatched row, no change)."""
        pairs = [(int(i), int(j)) for i, j in zip(a_articles, b_articles) if not (pd.isna(i) or pd.isna(j))]
        n_a, n_b = Counter(i for i, _ in pairs), Counter(j for _, j in pairs)
        rows = []
        for i, j in zip(a_articles, b_articles):
            if pd.isna(i) or pd.isna(j):
                rows.append((False, False, False, ""))
            else:
                c = self.change(int(i), int(j), n_a[int(i)] > 1, n_b[int(j)] > 1)
                rows.append((*c.flags(), c.note()))
        return pd.DataFrame(rows, columns=CHANGE_COLUMNS)
