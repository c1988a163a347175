"""The actor lexicon: canonical duty-bearers, their aliases and categories, and the matcher.

``pingan_corpus/data/actors.csv`` (columns actor, category, aliases ``;``-separated) contains
every canonical actor of the project brief unchanged, plus the bodies the texts need. The
matcher reads the noun phrase that names the actors of a clause:

* longest alias wins (公安机关 over 公安, 邮政、快递企业 over 邮政);
* government levels (各级, 县级以上, 市、县（市、区）, 乡镇 …) and place names (湘潭市) are split
  off into ``level``;
* coordinated lists expand: "公安、司法行政、教育等部门" → 公安机关, 司法行政部门, 教育部门 (the head
  noun after 等 distributes over the list); when the head is itself a specific actor
  ("货运、邮政、快递等物流运营单位"), the list only says which kinds, and the head is the actor;
* "市人民政府应急管理部门": an actor glued to a government is that government's department, and
  takes its level;
* "国家机关、人民团体、企业事业单位…" collapses into the umbrella actor.

Bodies of other eras (工商行政管理部门, 劳动和社会保障部门, 公安消防机构, 社会治安综合治理委员会 …)
are actors of their own with a ``successor`` and the year of the reform that ``renamed`` them:
:func:`actor_historical` names a body as it stood on a text's date, so a 2004 text's 文化 stays
文化部门 while the same word in a 2020 text is 文化和旅游部门.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

import pandas as pd
from rapidfuzz import fuzz, process

from ..parse import regexes as rx
from ..parse.gazetteer import lookup, trie_regex

__all__ = [
    "Lexicon",
    "Mention",
    "NounPhrase",
    "actor_current",
    "actor_historical",
    "actors",
    "find_actors",
    "lexicon",
    "load_into_jieba",
    "parse_actors",
]

GENERIC_CATEGORIES = frozenset({"generic", "umbrella"})
# bodies that exist at each level of government: a level inside their alias is split off
_LEVELED_CATEGORIES = frozenset({"government", "coordination", "department", "judicial", "society"})
# heads that only name a kind of body: the list before them is the list of actors
GENERIC_HEAD_ACTORS = frozenset({"人民团体", "办案机关"})
# … and the words that name such a kind, those actors' own names among them (工会、妇联、残联等社会团体:
# the members are the actors; not 律师、公证等行业协会, whose members are stems of the head)
KIND_HEADS = tuple(sorted(GENERIC_HEAD_ACTORS | {"群团组织", "社会团体", "社会组织"}))
GOVERNMENT = "人民政府"
TOWNSHIP = "乡镇人民政府街道办事处"
VILLAGE = "村居民委员会"
UMBRELLA = "国家机关人民团体企业事业单位"
EVERYONE = "任何单位和个人"
GENERIC_DEPARTMENT = "有关部门"
SOCIAL_ORGANISATION = "社会组织"
_UMBRELLA_CORE = frozenset({"国家机关", "人民团体", "企业事业单位"})
# its own members only: 社会组织, 基层群众性自治组织 … are bearers of their own
_UMBRELLA_PARTS = _UMBRELLA_CORE | {"企业", "事业单位", "其他组织"}
OPEN_BODY_SAME = 80  # rapidfuzz ratio from which an unknown body's name is a variant of a known one
# head nouns a list's stems share (审判、司法行政机关 → 审判机关; 企业、事业等单位 → 事业单位)
SHARED_HEAD_NOUNS = ("机关", "部门", "单位", "机构", "组织")
KIND_OF_MIN = 4  # a known name ending an unknown one stands for it from this length (not 单位, 协会)
_PLACE_MAX = 8  # longest place name tried before an actor (新疆维吾尔自治区)


@dataclass(frozen=True)
class Mention:
    """One actor named in a text: canonical name, level, the words used, and where."""

    actor: str
    level: str | None
    surface: str
    start: int
    end: int
    category: str
    stem: bool = field(default=False, compare=False, repr=False)  # 公安, 教育: only valid in a list


@dataclass(frozen=True)
class NounPhrase:
    """The actors of a (possibly coordinated) noun phrase and the span it covers."""

    mentions: tuple[Mention, ...]
    start: int
    end: int
    text: str

    @property
    def actors(self) -> list[str]:
        return [m.actor for m in self.mentions]


def _read_frame() -> pd.DataFrame:
    raw = resources.files("pingan_corpus").joinpath("data", "actors.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(raw)))
    return pd.DataFrame(rows, columns=["actor", "category", "aliases", "successor", "renamed"]).fillna("")


# what a department's field is followed by in its names: the generic 部门 of the laws, and the
# bureau (局, at the levels of city and county) or department (厅, province) of older and local texts
_DEPARTMENT_SUFFIXES = ("部门", "主管部门", "行政部门", "局", "厅")


class Lexicon:
    """Aliases → (actor, level) and the noun-phrase matcher over them."""

    def __init__(self, frame: pd.DataFrame, extra: tuple[tuple[str, str], ...] = ()):
        self.frame = frame
        self.categories: dict[str, str] = dict(zip(frame["actor"], frame["category"]))
        # a body of another era → (its successor, the year of the reform)
        self.successors: dict[str, tuple[str, int]] = {
            a: (s, int(y)) for a, s, y in zip(frame["actor"], frame["successor"], frame["renamed"]) if s and y}
        forms: dict[str, set[str]] = {}
        for actor, aliases in zip(frame["actor"], frame["aliases"]):
            forms[actor] = {a.strip() for a in str(aliases).split(";") if a.strip()} | {actor}
        for actor, names in forms.items():  # 数据资源 → 数据资源部门, 数据资源主管部门, 数据资源局
            if self.categories[actor] == "department":
                stems = [a for a in names if not rx.ACTOR_HEAD_WORD.search(a) and len(a) >= 2]
                names |= {stem + suffix for stem in stems for suffix in _DEPARTMENT_SUFFIXES}
        self.entries: dict[str, tuple[str, str | None]] = {}
        for actor, names in forms.items():
            leveled = self.categories[actor] in _LEVELED_CATEGORIES
            for alias in names:
                self.entries.setdefault(alias, (actor, self._alias_level(alias, names) if leveled else None))
        for short, actor in extra:  # aliases defined in a document (以下简称…)
            self.entries[short] = (actor, None)
            self.categories.setdefault(actor, "other")
        self.pattern = re.compile(trie_regex(sorted(self.entries)))
        # a stem names a body without its head noun (民政 for 民政部门); an alias of a person or a
        # group named without such a noun (近亲属, 暂住人口) is a name of its own, no stem
        self.stems = frozenset(a for a, (actor, _) in self.entries.items() if a not in self.categories
                               and not rx.ACTOR_BODY_SUFFIX.search(a) and rx.ACTOR_BODY_SUFFIX.search(actor))
        self._open_cache: dict[str, str] = {}
        self._bodies: list[str] | None = None

    @staticmethod
    def _alias_level(alias: str, names: set[str]) -> str | None:
        """县级以上人民政府 → 县级以上 when 人民政府 is also a name of the same actor."""
        m = rx.ACTOR_LEVEL.match(alias)
        if m and m.end() < len(alias) and alias[m.end():] in names:
            return m.group()
        return None

    # -- single aliases ---------------------------------------------------------------------
    def alias_at(self, text: str, pos: int) -> tuple[str, str | None, int] | None:
        """The longest alias starting at ``pos``: (actor, level inside the alias, end)."""
        m = self.pattern.match(text, pos)
        if m and m.end() > pos:
            actor, level = self.entries[m.group()]
            if m.group() in self.stems and self.category(actor) != "department":
                # 网络|安全管理部门: a stem of no department never heads a department's name
                body = self._open_body(text, pos)
                if body and body[2] > m.end():
                    return body
            return actor, level, m.end()
        p = rx.PINGAN_PLACE_BODY.match(text, pos)
        if p:  # 平安湖北建设领导小组 reads as 平安建设领导小组
            rest = "平安建设" + text[p.end():p.end() + 20]
            m = self.pattern.match(rest)
            if m and m.end() > 4:
                actor, level = self.entries[m.group()]
                return actor, level, p.end() + m.end() - 4
        return self._open_body(text, pos)

    def _open_body(self, text: str, pos: int) -> tuple[str, None, int] | None:
        """A department the lexicon does not know (医疗保障部门 → 医疗保障部门, 数据管理主管部门 →
        数据管理部门); a level or place before it is left to the caller (县级医疗保障部门)."""
        m = rx.ACTOR_OPEN.match(text, pos)
        if not m:
            return None
        stem = m.group("stem")
        if rx.NP_GENERIC_DEPT.fullmatch(text, pos, m.end()):  # (相关)行政管理部门: any department
            return GENERIC_DEPARTMENT, None, m.end()
        if (rx.ACTOR_OPEN_NOT.search(stem) or rx.DUTY_DECLARATIVE.match(stem) or rx.ACTOR_OPEN_PERSON.match(text, m.end())
                or rx.ACTOR_LEVEL.match(stem) or rx.DUTY_CUE.search(stem)
                or any(lookup(stem[:k]) or (rx.PLACE_LIKE.fullmatch(stem[:k]) and self.pattern.match(text, pos + k))
                       for k in range(2, min(_PLACE_MAX, len(stem)) + 1))
                or self._has_alias(stem)):
            return None
        head = m.group("head")
        name = stem + ("部门" if head.endswith("部门") else head)
        return self._closest_known(name), None, m.end()

    def _closest_known(self, name: str) -> str:
        """A variant of a known body's name (平安建设工作协调机构 ~ 平安建设组织协调机构) is that body."""
        if name not in self._open_cache:
            if self._bodies is None:
                self._bodies = [a for a in self.entries if rx.ACTOR_HEAD_WORD.search(a) and len(a) >= 4]
            hit = process.extractOne(name, self._bodies, scorer=fuzz.ratio, score_cutoff=OPEN_BODY_SAME)
            if rx.NP_GENERIC_DEPT.fullmatch(name):  # 行政主管部门: any department, not the nearest named one
                self._open_cache[name] = GENERIC_DEPARTMENT
            else:
                self._open_cache[name] = self.entries[hit[0]][0] if hit and _same_field(name, hit[0]) else name
        return self._open_cache[name]

    def _has_alias(self, s: str) -> bool:
        """A known actor inside the stem (公安交通管理部门, 配合公安机关): not a new department."""
        # (a stem of no department, 网络 of the online services, is a field word there: 网络安全管理部门)
        return any(m.end() - m.start() >= 2 and not (m.group() in self.stems and self.category(self.entries[m.group()][0])
                                                      != "department") for m in self.pattern.finditer(s))

    def at_date(self, actor: str, date: dt.date | None) -> str:
        """The body as it stood on ``date``: an old name in a text written after its reform is its
        successor (a 2020 text's 文化 is 文化和旅游部门); without a date the name stays as written."""
        seen = {actor}
        while date is not None and actor in self.successors:
            successor, year = self.successors[actor]
            if date.year <= year or successor in seen:  # local bodies follow the national reform late
                break
            actor = successor
            seen.add(actor)
        return actor

    def current(self, actor: str) -> str:
        """Today's body for a body of any era (工商行政管理部门 → 市场监督管理部门)."""
        return self.at_date(actor, dt.date.max)

    def category(self, actor: str) -> str:
        return self.categories.get(actor, "department" if actor.endswith("部门") else "other")

    def with_aliases(self, extra: dict[str, str]) -> Lexicon:
        """A lexicon that also knows the aliases a document defines (cached)."""
        if not extra:
            return self
        return _derived(self, tuple(sorted(extra.items())))

    # -- finding mentions ------------------------------------------------------------------
    def find(self, text: str) -> list[Mention]:
        """Every actor named anywhere in ``text`` (leftmost-longest), with its level."""
        out, pos = [], 0
        while pos < len(text):
            m = self.pattern.search(text, pos)
            if not m:
                break
            if m.end() == m.start():
                pos = m.start() + 1
                continue
            actor, level = self.entries[m.group()]
            start = m.start()
            lv = _level_before(text, start)
            if lv:
                start -= len(lv)
                level = lv + (level or "")
            out.append(Mention(actor, level, text[start:m.end()], start, m.end(), self.category(actor)))
            pos = m.end()
        return out

    def parse_np(self, text: str, pos: int = 0) -> NounPhrase | None:
        """The actors of the noun phrase starting at ``pos`` (None when no actor starts there)."""
        return _NPParser(self, text, pos).run()

    def open_np(self, text: str, ends: tuple[int, ...] | None = None, modified: bool = False) -> NounPhrase | None:
        """A subject the lexicon does not (fully) know, read as a name: "律师、公证员、基层法律服务工作者"
        → three actors, "特种行业和公共场所单位" → 特种行业单位 and 公共场所单位 (the head distributes).

        The phrase starts at 0 and ends at one of ``ends`` (longest first; by default the end of
        ``text``). Every member must end in a bearer's head noun (律师, …机构, …人员) or share the
        head of the last member, and hold no function word or verb; members the lexicon knows keep
        their canonical name, the others are named as written, without level and modifiers.
        ``modified``: the phrase follows a 的, so it is a noun even where it starts like a verb
        (…的教育培训机构)."""
        for end in sorted(ends or (len(text),), reverse=True):
            np = self._open_np(text, end, modified)
            if np:
                return np
        return None

    def _open_np(self, text: str, end: int, modified: bool = False) -> NounPhrase | None:
        if end > 2 and text[end - 1] == "等":  # 行政机关、…中心和其他企业事业单位等: the list closed
            np = self._open_np(text, end - 1, modified)
            return NounPhrase(np.mentions, 0, end, text[:end]) if np else None
        lv = rx.ACTOR_LEVEL.match(text, 0, end)
        alias = self.pattern.match(text, 0, end)
        if lv and alias and alias.end() > lv.end():  # 村（居）民委员会: the "level" is part of a name
            lv = None
        level, start = (lv.group(), lv.end()) if lv and lv.end() < end - 1 else (None, 0)
        phrase = text[start:end]
        if rx.OPEN_NP_NOT.search(phrase.replace("组织", "")):
            return None
        members = _members(phrase, start)
        if not members or any(len(m) > rx.OPEN_NP_MAX for m, _ in members):
            return None
        last = rx.OPEN_NP_HEAD.search(members[-1][0])
        if last is None or len(members[-1][0]) < 2:
            return None
        out: list[Mention] = []
        for member, at in members:
            branch = rx.BODY_BRANCH.search(member)
            known = self.known(member[:branch.start()] if branch and branch.start() >= 2 else member)
            if known is not None:
                out += [replace(m, start=at, end=at + len(member), surface=member, level=level or m.level)
                        for m in known]
                continue
            lead = self.pattern.match(member)
            if ((rx.DUTY_DECLARATIVE.match(member) and not modified and not rx.OPEN_NP_DOER.fullmatch(member))
                    or rx.OPEN_NP_VERB_ZUZHI.search(member)
                    or (lead and rx.ACTOR_BODY_SUFFIX.search(lead.group()) and rx.DUTY_DECLARATIVE.match(member[lead.end():])
                        and not rx.OPEN_NP_DOER.fullmatch(member[lead.end():]))):
                return None  # 明确治安保卫专门机构, 街道办事处组织(开展), 行政机关公布…主体: a verb phrase (管理人 is a person)
            office = rx.OPEN_NP_OFFICE.search(member)
            body = member[:office.start()] if office else ""
            if office and rx.OPEN_NP_OFFICE_OF.search(body):  # 流动人口服务管理委员会下设办公室
                known = self.known(body)
                name = self.office_of(known[-1].actor if known else rx.OPEN_NP_MODIFIER.sub("", body))
                out += [replace(m, start=at, end=at + len(member), surface=member, level=level or m.level)
                        for m in self.known(name) or (Mention(name, level, member, at, at + len(member),
                                                               self.category(name)),)]
                continue
            if out and member.startswith("其他") and len(member) <= 5:
                continue  # 物业服务企业或者其他管理人: a generic closing the list, not an actor of its own
            head = rx.OPEN_NP_HEAD.search(member)
            if head is None and len(last.group()) >= 2 and len(members[-1][0]) > len(last.group()):
                # 特种行业|和公共场所单位: the last member's head is shared
                if rx.OPEN_NP_SHARED.match(members[-1][0]):
                    return None
                name = member + last.group()
            elif text.startswith("及其", at - 1) and out and rx.OPEN_NP_STAFF.fullmatch(member[1:]):
                name = rx.OPEN_NP_MODIFIER.sub("", out[-1].surface) + member[1:]  # 国家机关及其工作人员
            elif text.startswith("及其", at - 1) and out and rx.OPEN_NP_OFFICE.fullmatch(member[1:]):
                name = self.office_of(out[-1].actor)  # 综治委及其办公室: the committee's office
            else:
                name = member
            bare = rx.OPEN_NP_MODIFIER.sub("", name) or name
            if bare == "人员":  # (persons as such: 出海船舶和人员不得… — the lexicon's 个人)
                bare = "个人"
            name = self._strip_government(bare)
            if name != bare and rx.DUTY_DECLARATIVE.match(name):  # 人民政府|成立…小组: a government's verb phrase
                return None
            known = self.known(name)
            if known is not None:
                out += [replace(m, start=at, end=at + len(member), surface=member, level=level or m.level)
                        for m in known]
                continue
            kind_of = self._kind_of(name)
            if kind_of:  # 医疗纠纷人民调解委员会: a kind of a known body is that body
                out.append(Mention(kind_of, level, member, at, at + len(member), self.category(kind_of)))
                continue
            if rx.TRADE_ASSOCIATION.search(name) and SOCIAL_ORGANISATION in self.categories:
                # 律师协会, 消防协会, 商事调解行业组织: a trade's self-regulating association (行业协会 → 社会组织)
                out.append(Mention(SOCIAL_ORGANISATION, level, member, at, at + len(member), "society"))
                continue
            out.append(Mention(self._closest_known(name) if rx.ACTOR_HEAD_WORD.search(name) else name,
                               level, member, at, at + len(member), self.category(name)))
        out = _collapse_umbrella(_split_township(_shared_person_head(out, text), self), self)
        return NounPhrase(tuple(_unique(out)), 0, end, text[:end]) if out else None

    def _kind_of(self, name: str) -> str | None:
        """The known body whose canonical name ``name`` ends with, at least KIND_OF_MIN long and not a
        generic one: what stands before it only says which kind (医疗纠纷|人民调解委员会)."""
        for k in range(1, len(name) - KIND_OF_MIN + 1):
            hit = self.entries.get(name[k:])
            if hit:  # the longest known ending decides: 执行地乡（镇）人民政府 ends with a township, no kind
                # (the canonical name itself: an alias such as 调解组织 is too loose — 商事调解组织;
                # a government's prefix is a place, not a kind)
                ok = hit[0] == name[k:] and self.category(hit[0]) not in GENERIC_CATEGORIES | {"government"}
                return hit[0] if ok else None
        return None

    def function_body(self, text: str) -> NounPhrase | None:
        """A body named by what it does, the whole of ``text``: 县级以上人民政府负责信访工作的机构 →
        信访部门 (level 县级以上), 处置非法集资的牵头部门 → 防范和处置非法集资牵头部门, 负责流动人口
        服务管理工作的机构 → that name as written."""
        m = rx.FUNCTION_BODY.search(text)
        if not m:
            return None
        level = None
        pre = text[: m.start()]
        if pre:
            gov = self.parse_np(pre)
            if not gov or gov.end != len(pre) or gov.mentions[-1].actor != GOVERNMENT:
                return None
            level = gov.mentions[-1].level
        field_, head = m.group("field") or m.group("field2"), m.group("head") or m.group("head2")
        # 负责信访工作的机构 is the 信访 body; 负有安全生产监督管理职责的部门 are all the bodies with that duty
        names = () if m.group("verb") in ("负有", "承担") else (field_ + head, field_ + "部门", field_)
        for name in names:
            hit = self.entries.get(name)
            if hit and self.category(hit[0]) not in GENERIC_CATEGORIES:
                actor = hit[0]
                break
        else:
            actor = text[m.start():]
        return NounPhrase((Mention(actor, level, text, 0, len(text), self.category(actor)),), 0, len(text), text)

    def known(self, name: str) -> tuple[Mention, ...] | None:
        """The actors of a name the lexicon reads whole (a generic actor only by its own alias:
        公共场所单位 is no 有关单位)."""
        np = self.parse_np(name)
        if np and np.end == len(name) and (len(np.mentions) > 1 or name in self.entries
                                           or np.mentions[0].category not in GENERIC_CATEGORIES):
            return np.mentions
        return None

    def office_of(self, body: str) -> str:
        """The office of a committee or group: the lexicon's when it knows one (社会治安综合治理委员会办公室
        is the committee), else the body's name + 办公室."""
        name = body + "办公室"
        return self.entries[name][0] if name in self.entries else name

    def _strip_government(self, name: str) -> str:
        """人民政府流动人口服务管理委员会 → 流动人口服务管理委员会: a government's body is that body."""
        m = self.pattern.match(name)
        if m and m.end() < len(name) - 1 and self.entries[m.group()][0] == GOVERNMENT:
            return name[m.end():]
        return name


def _members(phrase: str, offset: int) -> list[tuple[str, int]]:
    """The members of a list and where they start (及其工作人员 keeps its 其: the staff of the member before)."""
    out: list[tuple[str, int]] = []
    pos = 0
    listed = "、" in phrase
    for sep in [*rx.OPEN_NP_SEP.finditer(phrase), None]:
        end = sep.start() if sep else len(phrase)
        if sep and sep.group() == "和" and listed and "、" in phrase[sep.end():]:
            continue  # 住房保障和房产管理、交通运输: one name
        member = phrase[pos:end]
        if member:
            out.append((member, offset + pos))
        pos = sep.end() - (1 if sep.group() == "及其" else 0) if sep else len(phrase)  # 其 goes with what follows
    return out


def _level_before(text: str, end: int) -> str:
    """A level written right before position ``end`` (…县级以上|人民政府)."""
    for size in range(min(end, 16), 0, -1):
        chunk = text[end - size:end]
        m = rx.ACTOR_LEVEL.fullmatch(chunk)
        if m and (end - size == 0 or text[end - size - 1] in "、，。；：（）\n 及和与"):
            return chunk
    return ""


@lru_cache(maxsize=256)
def _derived(base: Lexicon, extra: tuple[tuple[str, str], ...]) -> Lexicon:
    return Lexicon(base.frame, extra)


class _NPParser:
    """Left-to-right reader of a coordinated actor noun phrase."""

    def __init__(self, lex: Lexicon, text: str, pos: int):
        self.lex, self.text, self.start = lex, text, pos
        self.items: list = []  # Mention | ("unknown", surface) | ("head", Mention|None, group_start)
        self.group = 0  # index in items where the current 等-list starts
        self.end = pos
        self.level: str | None = None  # level waiting for its actor
        self.level_start = pos
        self.inherited: str | None = None  # level of a government whose departments follow
        self.after_sep = True
        self.bare_level: tuple[str, int, int] | None = None
        self.tailed: set[int] = set()  # where an item of a stem and more words (NP_ITEM_TAIL) ends

    def run(self) -> NounPhrase | None:
        text, p = self.text, self.start
        while p < len(text):
            q = self._step(p)
            if q is None:
                break
            p = q
        mentions = self._finish()
        if not mentions:
            return None
        return NounPhrase(tuple(mentions), self.start, self.end, text[self.start:self.end])

    # one token; returns the next position or None to stop
    def _step(self, p: int) -> int | None:
        text, lex = self.text, self.lex
        # 物业|所在地县级物业主管部门, …所在单位或者行为|发生地乡镇人民政府: the words before a where-word only
        # say where (not after a preposition: 向所在地…部门 is no subject)
        if self.after_sep and (self.items or not rx.DUTY_PREPOSITION.match(text[p:p + 2])):
            w = rx.WHERE_PREFIX.match(text, p)
            if w and not rx.OPEN_NP_NOT.search(w.group()) and self._level_or_place_ahead(w.end()):
                return w.end()
        if self.items and not self.after_sep and text[p] in "（(":
            m = rx.NP_PAREN.match(text, p)
            if m:
                self.end = m.end()
                return m.end()
        hit = lex.alias_at(text, p)
        if hit and text[p:hit[2]] in lex.stems and (tail := rx.NP_ITEM_TAIL.match(text, hit[2])) \
                and (rx.NP_ITEM_FIELD_WORD.fullmatch(tail.group()) or not (
                    rx.DUTY_DECLARATIVE.match(tail.group()) or rx.DUTY_CUE.search(tail.group())
                    or lex.pattern.search(tail.group()))):
            hit = (hit[0], hit[1], tail.end())  # 住房城乡建设|管理、交通|港口等部门: the stem names the item …
            self.tailed.add(tail.end())  # … if the list's head is a department (水利工程、…等重点目标: no 水利部门)
        lv_m = rx.ACTOR_LEVEL.match(text, p) if hit else None
        after = lex.alias_at(text, lv_m.end()) if lv_m and lv_m.end() > p else None
        if hit and not (after and after[2] > hit[2]):
            # 市民政局 is 市 + 民政局, not 市民 + 政局: a level then a longer name wins
            return self._mention(p, p, *hit)
        lv = self._level_or_place(p)
        if lv is not None:
            return lv
        m = rx.NP_MODIFIER.match(text, p)
        if m and lex.alias_at(text, m.end()):
            return self._mention(p, m.end(), *lex.alias_at(text, m.end()))
        if self.items and not self.after_sep:
            m = rx.NP_SEP.match(text, p)
            if m:
                self.after_sep = True
                return m.end()
            if text.startswith("等", p):
                return self._etc(p)
        if self.after_sep and self.level is None:
            m = rx.NP_UNKNOWN_ITEM.match(text, p)
            # an unknown item never contains a known actor (督促指导学校、… is a verb phrase)
            if m and (self._unknown_ok(m.group()) or self._stem_of_known(m.group())) and not self._contains_actor(m.group()):
                self.items.append(("unknown", m.group()))
                self.after_sep = False
                return m.end()
        return None

    def _level_or_place_ahead(self, p: int) -> bool:
        m = rx.ACTOR_LEVEL.match(self.text, p)
        return bool(m) and self.lex.alias_at(self.text, m.end()) is not None

    @staticmethod
    def _unknown_ok(s: str) -> bool:
        """An unknown list item holds no cue, no 会同…, and is no verb phrase (指导、监督…)."""
        return not (rx.DUTY_CUE.search(s) or rx.DUTY_COLLABORATION.search(s) or rx.DUTY_DECLARATIVE.match(s))

    def _stem_of_known(self, s: str) -> bool:
        """A stem that names a known body with a head noun (审判 + 机关): a list item, though a verb too."""
        return any(s + noun in self.lex.entries for noun in SHARED_HEAD_NOUNS)

    def _contains_actor(self, s: str) -> bool:
        # (a stem inside a name is no actor: 城乡建设 holds 建设, 卫生计生 holds 卫生)
        return any(m.end() > m.start() and m.group() not in self.lex.stems for m in self.lex.pattern.finditer(s))

    def _level_or_place(self, p: int) -> int | None:
        text, lex = self.text, self.lex
        m = rx.ACTOR_LEVEL.match(text, p)
        if m and text.startswith("所在", p) and self.items and not self.after_sep:
            # 学校、幼儿园所在地县级人民政府: what precedes 所在地 only says where
            self.items, self.group = [], 0
        for end in range(m.end() if m else p, p, -1):  # 市|地方金融管理部门: the level may be shorter
            if text[end - 1] == "各" and end - p > 1:
                continue  # 各地、各|部门: 各部门 is the actor
            if rx.ACTOR_LEVEL.fullmatch(text, p, end) and (
                    lex.alias_at(text, end) or _place_then_actor(lex, text, end)):
                self._hold_level(text[p:end], p)
                return end
        for size in range(min(_PLACE_MAX, len(text) - p), 1, -1):
            name = text[p:p + size]
            # a place the gazetteer has, or one named like a place (浦东新区, 高新技术开发区)
            if lookup(name) is None and not (rx.PLACE_LIKE.fullmatch(name) and not lex.pattern.match(text, p)
                                             and (self.after_sep or not self.items)):  # (…机关|会同市…: no place)
                continue
            after = p + size
            lm = rx.ACTOR_LEVEL.match(text, after)
            nxt = lm.end() if lm and lex.alias_at(text, lm.end()) else after
            if lex.alias_at(text, nxt):
                self._hold_level(text[p:nxt], p)
                return nxt
        if (m and self.after_sep and not self.items and m.end() - p >= 2 and not text.startswith("本", p)
                and rx.GOVERNMENT_LEVEL.search(rx.VILLAGE_TIERS.sub("", rx.LEVEL_RELATIVE.sub("", m.group())))):
            # 市和区依法设立…, 自治区应当…: a level standing for its government (本市建立… is the
            # regulation's own voice, not a duty of anyone)
            self.bare_level = (m.group(), p, m.end())
            self.end = m.end()
            self.after_sep = False
            return m.end()
        if (m and self.after_sep and not self.items and rx.VILLAGE_ONLY_LEVEL.fullmatch(m.group())
                and (m.end() == len(text) or rx.DUTY_CUE.match(text, m.end()) or rx.DUTY_ADVERBIAL.match(text, m.end()))):
            # 村（社区）应当…: the village's self-governing body (社区矫正工作…: no level at all)
            self.bare_level = (m.group(), p, m.end())
            self.end = m.end()
            self.after_sep = False
            return m.end()
        return None

    def _hold_level(self, level: str, p: int) -> None:
        level = rx.LEVEL_WHERE.sub("", level)
        if self.level is None:
            self.level, self.level_start = level, p
        else:
            self.level += level

    def _mention(self, p: int, astart: int, actor: str, level: str | None, end: int) -> int:
        lex, text = self.lex, self.text
        start = self.level_start if self.level else p
        level = (self.level or "") + (level or "") or None
        prev = self.items[-1] if self.items and not self.after_sep else None
        glued_to_government = isinstance(prev, Mention) and prev.actor == GOVERNMENT
        if isinstance(prev, Mention) and actor == GENERIC_DEPARTMENT and not glued_to_government:
            # 教育|行政管理部门, 城市管理|行政主管部门: the generic head only says "department"
            self.items[-1] = replace(prev, surface=text[prev.start:end], end=end, stem=False)
            self.after_sep, self.end = False, end
            return end
        if isinstance(prev, Mention):
            # glued to the previous actor: 市人民政府|应急管理部门, 领导机构|成员单位 — the head wins
            self.items.pop()
            if prev.actor == GOVERNMENT:
                self.inherited = prev.level
                level = level or prev.level
            start = prev.start
        elif level is None and self.inherited:
            level = self.inherited
        stem = text[astart:end] in lex.stems and not glued_to_government
        office = rx.OFFICE_AFTER.match(text, end) if rx.COMMITTEE_END.search(actor) else None
        if office:  # 安全生产委员会办公室设在应急管理部门，负责…: the committee's office, not the committee
            # (an office the lexicon knows, 综治委办公室, is read whole before this: the longest alias)
            actor, end = lex.office_of(actor), office.end()
        self.items.append(Mention(actor, level, text[start:end], start, end, lex.category(actor), stem))
        self.level, self.after_sep, self.end = None, False, end
        return end

    def _etc(self, p: int) -> int:
        """等 + optional 负有…职责的 + head noun; the head applies to the list since the last head."""
        text, lex = self.text, self.lex
        m = rx.NP_ETC.match(text, p)
        head, q = None, p + 1
        # with the 的-clause first (its last 的 first: 负有审批、处罚等…职责的部门), then without
        ends = [i + 1 for i in range(m.end() - 1, p, -1) if text[i] == "的"]
        for after in dict.fromkeys((*ends, p + 1)):
            g = rx.NP_GENERIC_DEPT.match(text, after)
            if g:  # 等行政管理部门: any department, no name of its own
                q = g.end()
                break
            hit = lex.alias_at(text, after)
            if hit:
                actor, level, q = hit
                head = Mention(actor, level or self.inherited, text[p:q], p, q, lex.category(actor))
                break
            g = rx.NP_GENERIC_HEAD.match(text, after)
            if g:
                q = g.end()
                break
        t = rx.NP_HEAD_TAIL.match(text, q)
        if t:  # 等行业主管部门、监管部门 / 等部门和机构: one head
            tail_hit = lex.alias_at(text, q + 1)
            if tail_hit is None or lex.category(tail_hit[0]) in GENERIC_CATEGORIES or tail_hit[0] in GENERIC_HEAD_ACTORS:
                q = t.end()
        self.items.append(("head", head, text[p:q]))
        self.group = len(self.items)
        self.after_sep, self.end = False, q
        return q

    # -- resolution ------------------------------------------------------------------------
    def _finish(self) -> list[Mention]:
        # only a real head noun (等部门, 等物流运营单位) explains a list opened by unknown items
        heads = [it for it in self.items if isinstance(it, tuple) and it[0] == "head" and it[2] != "等"]
        first = self.items[0] if self.items else None
        if isinstance(first, tuple) and first[0] == "unknown" and not heads:
            return []  # 督促物流、寄递企业…: a verb phrase, not a list of actors
        out: list[Mention] = []
        group: list = []
        for it in self.items:
            if isinstance(it, tuple) and it[0] == "head":
                out.extend(self._resolve_group(group, it[1], it[2]))
                group = []
            else:
                group.append(it)
        tail = self._shared_tail_head([m for m in group if not (isinstance(m, Mention) and m.end in self.tailed)])
        if any(not m.stem for m in tail) or (out and tail):
            out.extend(tail)
        if not out and self.bare_level and not self.items:
            level, s, e = self.bare_level
            out = [Mention(GOVERNMENT, level, self.text[s:e], s, e, "government")]
        if out and rx.NP_EVERYONE_TAIL.search(self.text, self.start, self.end):
            # every kind of unit and individuals: everyone, whatever kinds the list names
            out = [Mention(EVERYONE, None, self.text[self.start:self.end], self.start, self.end, self.lex.category(EVERYONE))]
        out = _split_township(_shared_person_head(out, self.text) if out else out, self.lex)
        out = _collapse_umbrella(out, self.lex)
        return _unique(out)

    def _shared_tail_head(self, group: list) -> list[Mention]:
        """The actors of a list with no 等: the last member's head noun is shared by unknown stems
        before it when stem + head is a known name (公安、检察、审判、司法行政机关: 检察机关, 审判机关)."""
        last = group[-1] if group else None
        head = last.surface if isinstance(last, Mention) else ""
        out = []
        for it in group:
            m = it if isinstance(it, Mention) else self._stem_with_head(it[1], head)
            if m is None and rx.NP_EVERYONE_ITEM.fullmatch(it[1]):  # (政府、社会、学校和家庭)
                m = Mention(EVERYONE, None, it[1], 0, 0, self.lex.category(EVERYONE))
            if m:
                out.append(m)
        return out

    def _stem_with_head(self, stem: str, head: str) -> Mention | None:
        """The known body a stem names with the head noun ``head`` ends in, if any (事业 + 单位)."""
        noun = next((n for n in SHARED_HEAD_NOUNS if head.endswith(n)), None)
        hit = self.lex.entries.get(stem + noun) if noun else None
        return Mention(hit[0], self.inherited, stem, 0, 0, self.lex.category(hit[0])) if hit else None

    def _resolve_group(self, group: list, head: Mention | None, head_text: str) -> list[Mention]:
        if not rx.NP_DEPARTMENT_HEAD.search(head_text):
            group = [m for m in group if not (isinstance(m, Mention) and m.end in self.tailed)]
        known = [m for m in group if isinstance(m, Mention)]
        unknown = [u[1] for u in group if not isinstance(u, Mention)]
        kind = head_text.endswith(KIND_HEADS)
        generic = head is None or head.category in GENERIC_CATEGORIES or kind
        if not generic:
            kept = [m for m in known if m.category == head.category]
            return kept or [head]
        out = list(known)
        if unknown and ((head is not None and head.actor == GENERIC_DEPARTMENT) or "部门" in head_text):
            for stem in unknown:  # 生态环境、… 等部门 → 生态环境部门
                name = stem + "部门"
                hit = self.lex.entries.get(name)
                actor = hit[0] if hit else name
                level = self.inherited
                out.append(Mention(actor, level, stem, 0, 0, self.lex.category(actor)))
        elif unknown and head is not None and kind:
            # 志愿服务等社会组织: organisations of that kind, no body called 志愿服务组织 (unless named members
            # of another kind stand for the list: 工会、共青团…等人民团体)
            if all(m.actor == head.actor for m in known):
                out.append(head)
        else:  # 机关、团体、企业、事业等单位: 事业 + the shared 单位 is 事业单位
            out += [m for m in (self._stem_with_head(stem, head_text) for stem in unknown) if m]
        return out


def _same_field(a: str, b: str) -> bool:
    """Two bodies' names share their field, not only their characters: one field word holds the
    other (医疗卫生机构 ~ 医疗机构), or a long one runs through the other in order (精神文明建设工作
    指导机构 ~ 精神文明建设指导机构) — 社会保险机构 is no 金融机构, 行政执法机关 no 政法机关."""
    fa, fb = (rx.BODY_HEAD_TAIL.sub("", x) for x in (a, b))
    if len(fa) < 2:  # no field of its own (经|主管部门): the nearest name is as good as any
        return True
    short, long_ = sorted((fa, fb), key=len)
    if not short:
        return False
    if short in long_:
        return True
    it = iter(long_)
    return len(short) >= rx.FIELD_IN_ORDER_MIN and all(ch in it for ch in short)


def _unique(mentions: list[Mention]) -> list[Mention]:
    """One mention per actor, the first."""
    uniq: dict[str, Mention] = {}
    for m in mentions:
        uniq.setdefault(m.actor, m)
    return list(uniq.values())


def _place_then_actor(lex: Lexicon, text: str, pos: int) -> bool:
    for size in range(min(_PLACE_MAX, len(text) - pos), 1, -1):
        if lookup(text[pos:pos + size]) and lex.alias_at(text, pos + size):
            return True
    return False


def _split_township(mentions: list[Mention], lex: Lexicon) -> list[Mention]:
    """市、县（市、区）、乡镇（街道）、村（社区）+ 人民政府 or a bare level: the township tiers name the
    township governments, the village tiers the village committees."""
    out = []
    for m in mentions:
        if m.actor != GOVERNMENT or not m.level:
            out.append(m)
            continue
        parts = [x for x in rx.LEVEL_SEP.split(m.level) if x]
        town = [x for x in parts if rx.TOWNSHIP_LEVEL.match(x)]
        village = [x for x in parts if rx.VILLAGE_LEVEL.match(x)]
        rest = [x for x in parts if x not in town and x not in village]
        if not town and not village:
            out.append(m)
            continue
        if rest:
            out.append(replace(m, level="、".join(rest)))
        for tier, actor in ((town, TOWNSHIP), (village, VILLAGE)):
            if tier:
                out.append(replace(m, actor=actor, level=None, category=lex.category(actor)))
    return out


def _shared_person_head(mentions: list[Mention], text: str) -> list[Mention]:
    """各级人民政府及有关部门主要负责人: the heads of every body listed, not the first bodies themselves —
    a person word closing a list of bodies is shared by them (不: 国家机关及其工作人员, where 其 names the
    staff apart from their body)."""
    last = mentions[-1] if len(mentions) >= 2 else None
    body = rx.SHARED_PERSON_HEAD.sub("", last.surface) if last is not None and last.category == "individual" else ""
    if len(body) < 2 or body == last.surface or body.startswith("其") or text[last.start - 1:last.start] == "其":
        return mentions
    if any(m.category == "individual" for m in mentions[:-1]):
        return mentions
    return [last]


def _collapse_umbrella(mentions: list[Mention], lex: Lexicon) -> list[Mention]:
    """国家机关、人民团体、企业事业单位（、社会组织…）→ the umbrella actor."""
    names = {m.actor for m in mentions}
    if UMBRELLA in names:  # 国家机关、人民团体、企业事业单位|和其他组织: the rest of its own members
        return [m for m in mentions if m.actor not in _UMBRELLA_PARTS]
    if {"企业", "事业单位"} <= names:  # 机关、团体和企业、事业单位
        names.add("企业事业单位")
    part_names = _UMBRELLA_PARTS
    if "社会团体" in names and "人民团体" not in names:  # 国家机关、社会团体、企业事业单位: the older name of 团体
        names, part_names = names | {"人民团体"}, _UMBRELLA_PARTS | {"社会团体"}
    # the same shape, shorter: 国家机关、企事业单位(和其他组织); 机关、企事业单位
    if not (_UMBRELLA_CORE <= names or {"国家机关", "企业事业单位"} <= names):
        return mentions
    parts = [m for m in mentions if m.actor in part_names]
    first = parts[0]
    umbrella = Mention(UMBRELLA, first.level, "、".join(m.surface for m in parts),
                       first.start, parts[-1].end, lex.category(UMBRELLA))
    out, placed = [], False
    for m in mentions:
        if m.actor in part_names:
            if not placed:
                out.append(umbrella)
                placed = True
        else:
            out.append(m)
    return out


# -- module-level API ---------------------------------------------------------------------------
@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped lexicon (loaded once)."""
    return Lexicon(_read_frame())


def actor_historical(name: str, date: dt.date | str | None) -> str | None:
    """The actor a name stands for in a text of ``date``, named as the body stood then.

    ``actor_historical("工商行政管理部门", "2005-01-01")`` → 工商行政管理部门;
    ``actor_historical("工商行政管理部门", "2020-01-01")`` → 市场监督管理部门 (the 2018 reform).
    None when the name is no actor of the lexicon.
    """
    lex = lexicon()
    hit = lex.entries.get(name)
    if hit is None:
        return None
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    return lex.at_date(hit[0], date)


def actor_current(name: str) -> str | None:
    """Today's body for a name of any era (劳动和社会保障 → 人力资源和社会保障部门); None if unknown."""
    hit = lexicon().entries.get(name)
    return lexicon().current(hit[0]) if hit else None


def actors() -> pd.DataFrame:
    """The lexicon as a DataFrame: actor, category, aliases (a list of str), successor and the year
    it was ``renamed`` (bodies of other eras; empty for the bodies of today)."""
    df = lexicon().frame.copy()
    df["aliases"] = df["aliases"].map(lambda s: [a for a in str(s).split(";") if a])
    return df


def find_actors(text: str) -> list[Mention]:
    """Every actor mentioned anywhere in ``text``."""
    return lexicon().find(text)


def parse_actors(text: str) -> list[Mention]:
    """The actors of the noun phrase at the start of ``text`` ("公安、教育等部门应当…" → 2 actors)."""
    np = lexicon().parse_np(text)
    return list(np.mentions) if np else []


_JIEBA_LOADED = False


def load_into_jieba() -> None:
    """Add every actor name and alias to jieba's dictionary, so segmentation keeps them whole.

    Idempotent: the words are added once per process.
    """
    global _JIEBA_LOADED
    if _JIEBA_LOADED:
        return
    import jieba

    jieba.setLogLevel(60)
    for alias in lexicon().entries:
        if len(alias) > 1 and not rx.ACTOR_NOT_A_WORD.search(alias):
            jieba.add_word(alias, tag="nt")
    _JIEBA_LOADED = True
