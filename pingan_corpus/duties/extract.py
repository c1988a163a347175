"""Duties: who must, may, is encouraged to or must not do what — clause by clause.

``extract_duties`` reads every paragraph and item of every article, sentence by sentence
(。！？), segment by segment (；) and clause by clause (，). Rules, all taken from how Chinese
legislation is written:

* modality from the cue: 应当/必须/负责/牵头负责 or a plain declarative duty ("公安机关依法打击…")
  → ``shall``; 可以 → ``may``; 鼓励/支持/引导 spoken by the regulation → ``encourage``;
  不得/禁止/严禁/不应当/不予 → ``prohibit``;
* the subject is the actor noun phrase before the cue (coordinated lists give one row per
  bearer); a subjectless clause carries the subject of the previous clause of the sentence
  ("…应当…，并应当…"), of the previous segment (…；应当…) or of the previous sentence of the
  paragraph; items carry the subject and modality of their lead-in ("…履行下列职责：（一）…");
* 会同 / 协同 / 配合 / 督促 / 协助 + actors: the subject bears the duty, those actors are
  ``collaborator`` rows of the same action;
* 鼓励/支持/引导 and 禁止/严禁 at the head of a sentence address an actor named after the cue
  ("鼓励社会组织参与…" → 社会组织); "本市鼓励…" is the regulation's voice too, never a duty of the
  city government. When nobody is named (禁止在食品中添加…) the duty has no bearer;
* an actor's duty to encourage others (…应当引导和支持社会组织参与…) also gives those encouraged an
  ``encourage`` row — actors of society acting of their own accord, never bodies of the state or
  the parties to a case;
* the agent after 由 bears what is allocated to it (由民政部门办理, 应由其监护人代为反映, 由X会同Y负责),
  but not a post it fills (由…书记担任组长);
* conditions (发现…的，/ 对…的，/ 在…时) go to ``condition``; exceptions (但…除外,
  法律另有规定的除外 / 从其规定) to ``exception``;
* aliases the text defines (…中心（以下简称综治中心）) name the full actor for the rest of the
  document.

Duties whose bearer cannot be named (a subjectless first sentence) are dropped unless
``unattributed=True`` (then ``actor`` is missing).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..models import Article, Regulation, as_regulations
from ..parse import regexes as rx
from .lexicon import GENERIC_CATEGORIES, UMBRELLA, Lexicon, Mention, NounPhrase, lexicon

__all__ = ["DUTY_COLUMNS", "extract_duties"]

DUTY_COLUMNS = ["doc_id", "jurisdiction", "article_no", "paragraph_no", "item_no", "actor", "actor_level",
                "actor_surface", "actor_current", "role", "modality", "action", "condition", "exception", "cue", "text"]
_LINK = set("的对向与和及由同将把给为被让在从经、")
_STRIP = "，,。；;：:、 \n"
RIGHT_CUE = "有权"  # the cue of every right (rights=True), whatever the text's wording
_OFFICE = "office"  # the category of a bare 办事机构 until _own_office names whose it is
_RIGHT = "right"  # the DUTY_CUE group of a right, its modality until extract_duties makes it "may"


# -- data carried through a paragraph -------------------------------------------------------------
@dataclass
class _Duty:
    subject: tuple[Mention, ...] | None
    modality: str
    cue: str
    action: str
    conditions: list[str] = field(default_factory=list)
    regulation: bool = False  # 鼓励…/禁止…: the subject is the addressee
    exception: str | None = None
    text: str = ""
    item_no: int | None = None


@dataclass
class _State:
    subject: tuple[Mention, ...] | None = None
    modality: str | None = None
    cue: str = ""
    carry: bool = False  # a clause without cue continues subject *and* modality (after ；, in items)


@dataclass
class _Event:
    kind: str  # duty | condition | np | text
    text: str = ""  # the action of a duty, the clause otherwise
    np: tuple[Mention, ...] | None = None
    modality: str = ""
    cue: str = ""
    condition: str | None = None  # for a condition clause: its text without the leading subject
    regulation: bool = False
    topic: bool = False  # an np named by a 的-phrase alone in its clause (需要搬迁的企业，…)


# -- noun phrases around a cue ---------------------------------------------------------------------
def _np(np: NounPhrase | None) -> tuple[Mention, ...] | None:
    return np.mentions if np else None


def _np_after_de(s: str, lex: Lexicon) -> NounPhrase | None:
    """大型群众性活动的承办者 / …等区域的管理或者运营单位: the actor after the last 的 fills the rest.

    "人民法院、…、司法行政部门以及其他履行执法职责的部门": actors listed before the modified one
    belong to the phrase too."""
    i = s.rfind("的")
    if i < 0:
        return None
    np = lex.parse_np(s, i + 1)
    set_up = bool(rx.OPEN_NP_BODY_END.search(s) and rx.SET_UP_BY.search(s, 0, i))
    by_work = bool(rx.DUTY_RELATIVE_CLAUSE.match(s) and rx.DE_MODIFIED_BODY.search(s))
    head = lex.parse_np(s)
    # 街道办事处的流动人口服务管理中心: the owner's body (of which the lexicon may know a part, 流动人口)
    owned = head is not None and head.end == i and (not np or np.end < len(s)) and bool(rx.OPEN_NP_BODY_END.search(s))
    if (not np and (set_up or by_work)) or owned or (
            np and np.end < len(s) and rx.NP_SEP.match(s, np.end) and np.mentions[0].surface in lex.entries):
        # 市、区人民政府设立的妇女儿童工作委员会: the body another one set up; 住宅区的物业服务企业或者
        # 其他管理人: a list the lexicon knows only in part
        body = lex.open_np(s[i + 1:], modified=True)
        if body and all(len(m.actor) > 2 for m in body.mentions):  # (no bare 机构 as an actor's name)
            np = NounPhrase(body.mentions, i + 1, len(s), s[i + 1:])
    if not np or (np.end != len(s) and not (np.end > i + 1 and rx.DUTY_ADVERBIAL.fullmatch(s[np.end:]))):
        return None  # (…组建的法律援助机构具体负责…: an adverb may follow the name)
    kind = _kind_before_de(s, i, np, lex)
    if kind:  # 开办…等特种行业的单位: the 特种行业单位, not any 单位
        return kind
    if _bare_unit(np):  # 接受告知的单位: the units the clause picks out, not "有关单位" (no name for them)
        return None
    if head and rx.NP_LIST_THEN_MODIFIED.match(s, head.end):
        seen = {m.actor for m in head.mentions}
        mentions = head.mentions + tuple(m for m in np.mentions if m.actor not in seen)
        return NounPhrase(mentions, 0, len(s), s)
    return np


def _bare_unit(np: NounPhrase | None) -> bool:
    """The bare word 单位 (or 本单位): all units when it is the whole subject, never "有关单位"."""
    return np is not None and len(np.mentions) == 1 and np.mentions[0].surface in ("单位", "本单位")


def _kind_before_de(s: str, i: int, np: NounPhrase, lex: Lexicon) -> NounPhrase | None:
    """X的单位 where the head after 的 names no kind of its own and X + head is a known actor
    (特种行业的单位 → 特种行业单位, 公共场所的单位 → 场所管理单位)."""
    if len(np.mentions) != 1 or np.mentions[0].category not in GENERIC_CATEGORIES:
        return None
    head = np.mentions[0].surface or s[i + 1:np.end]  # (without a parenthesis after it: 单位（含个体工商户）)
    for k in range(max(0, i - rx.KIND_BEFORE_DE_MAX), i - 2):  # (X of 3 characters or more: no 管理的单位)
        hit = lex.entries.get(s[k:i] + head)
        if hit:
            return NounPhrase((Mention(hit[0], None, s[k:np.end], k, np.end, lex.category(hit[0])),), np.start,
                              np.end, np.text)
    return None


def _agent(s: str, lex: Lexicon) -> NounPhrase | None:
    """The agent after 由: 由有关部门…, 由相应的上一级平安建设组织协调机构…, 由其法定代理人…"""
    np = lex.parse_np(s)
    person = _agent_person(s, lex)
    if person and (np is None or person.end > np.end):
        return person
    if np:
        return np
    if s.startswith("其"):  # (its own guardian: the actor is the guardian)
        np = lex.parse_np(s, 1)
        if np:
            return NounPhrase(np.mentions, 0, np.end, s[:np.end])
    i = s.find("的", 0, 12)
    return lex.parse_np(s, i + 1) if i >= 0 else None


def _agent_person(s: str, lex: Lexicon) -> NounPhrase | None:
    """The persons of a body the lexicon knows, after 由 (由业主代表代为转交: 业主 is known, its 代表 are
    the agent, not 业主)."""
    known = lex.parse_np(s)
    if known is None or len(known.mentions) != 1:
        return None
    ends = tuple(m.end() for m in rx.OPEN_NP_END.finditer(s, known.end, known.end + 2)
                 if rx.AGENT_PERSON_OF.fullmatch(s, known.end, m.end()))
    np = lex.open_np(s, ends) if ends else None
    return np if np and len(np.mentions) == 1 else None


def _suffix_np(s: str, lex: Lexicon) -> NounPhrase | None:
    """An actor phrase ending the text, not governed by a preposition (run-on text without commas)."""
    for m in lex.pattern.finditer(s):
        if m.end() == m.start():
            continue
        start = m.start()
        if start > 0 and s[start - 1] in _LINK:
            continue
        np = lex.parse_np(s, start)
        if np and np.end == len(s):
            return np
    return None


def _named(s: str, lex: Lexicon) -> NounPhrase | None:
    """The actors named at the start of ``s``: the lexicon's reading, or a longer name it only
    partly knows (医院举办者, 国家机关及其工作人员)."""
    staff = rx.NP_STAFF_OF.match(s)
    if staff:  # 国家机关的在职工作人员: the body's staff, as the lexicon names them
        np = lex.parse_np(staff.group("body") + staff.group("staff"))
        if np and np.end == len(staff.group("body")) + len(staff.group("staff")):
            return NounPhrase(np.mentions, 0, staff.end(), s[:staff.end()])
    np = lex.parse_np(s)
    if np and np.end < len(s):
        longer = _open_subject(s, lex)
        if longer and longer.end > np.end:
            return longer
    return np


def _open_subject(s: str, lex: Lexicon) -> NounPhrase | None:
    """A subject named as bearers are named but unknown to the lexicon, followed by nothing or by
    what may stand between a subject and its cue (依法, 在…中, 发现…)."""
    if rx.DUTY_PREPOSITION.match(s):
        return None
    # (a list may close with 等: …中心和其他企业事业单位等应当…)
    ends = tuple(e for m in rx.OPEN_NP_END.finditer(s) for e in (m.end(), m.end() + 1)
                 if (e == m.end() or (s[m.end():e] == "等" and not s[e:].strip(_STRIP))) and _valid_rest(s[e:]))
    return lex.open_np(s, ends) if ends else None


def _qualified_subject(s: str, lex: Lexicon) -> NounPhrase | None:
    """A known body narrowed by its field, then the verb of its functions (物业管理行业协会履行下列职责,
    律师协会负责…): the lexicon knows the head (行业协会, 协会), not the whole name, so only a name
    ending where such a verb starts is taken, and only if every member is a known actor."""
    ends = tuple(e for e in range(2, min(len(s) - 3, 30)) if rx.DUTY_FUNCTION_VERB.match(s[e:]))
    np = lex.open_np(s, ends) if ends else None
    if np is None or np.start or np.end not in ends or any(m.category == "other" for m in np.mentions):
        return None
    return np


def _valid_rest(rest: str) -> bool:
    return (not rest or bool(rx.DUTY_ADVERBIAL.match(rest)) or bool(rx.DUTY_CONDITION_END.search(rest))
            or bool(rx.DUTY_CONDITION_START.match(rest)))


def _condition_of(rest: str) -> str | None:
    rest = rest.strip(_STRIP)
    if rest and (rx.DUTY_CONDITION_END.search(rest) or rx.DUTY_CONDITION_START.match(rest)):
        return rest
    return None


def _subject_before(pre: str, lex: Lexicon, strict: bool = False) -> tuple[NounPhrase | None, str | None, bool]:
    """Read the text before a cue: (subject, condition, whether the cue starts a duty here).

    ``strict``: only a subject opening the text (承租人严禁…), as when 禁止 may be part of a noun."""
    s = pre.strip(_STRIP)
    c = rx.DUTY_CONNECTOR.match(s)
    s = s[c.end():] if c else s
    if not s:
        return None, None, True
    if rx.BARE_OFFICE.fullmatch(s):  # 办事机构负责…: an office, whose body _own_office names
        return NounPhrase((Mention(s, None, s, 0, len(s), _OFFICE),), 0, len(s), s), None, True
    for end in (m.end() for m in rx.FUNCTION_HEAD.finditer(s)):
        np = lex.function_body(s[:end]) if _valid_rest(s[end:]) else None
        if np:  # 负责信访工作的机构应当…, 负有…职责的部门在…过程中，…: a body named by what it does
            return NounPhrase(np.mentions, 0, end, s[:end]), _condition_of(s[end:]), True
    np = _named(s, lex)
    if np and _bare_unit(np) and np.end == len(s):  # 单位应当履行下列职责: every unit (机关、团体、企业、事业单位)
        np = NounPhrase((Mention(UMBRELLA, None, np.text, 0, np.end, lex.category(UMBRELLA)),), 0, np.end, np.text)
    if np and _valid_rest(s[np.end:]):
        return np, _condition_of(s[np.end:]), True
    if strict:
        return None, None, False
    person = _person_of(s, lex, np)
    if person and _valid_rest(s[person.end:]):  # 各部门、各单位的主要负责人对…负总责
        return person, _condition_of(s[person.end:]), True
    np = None if rx.DUTY_PREPOSITION.match(s) and not rx.DUTY_RELATIVE_CLAUSE.match(s) else _np_after_de(s, lex)
    if np:  # (not 对…的单位和个人: the object of a preposition)
        return np, None, True
    staff = rx.NP_STAFF_OF_PLACE.fullmatch(s)
    np = lex.open_np(staff.group("place") + staff.group("staff")) if staff else None
    if np and len(np.mentions) == 1:  # 消防控制室的值班人员应当…: the staff of that place
        m = np.mentions[0]
        return NounPhrase((Mention(m.actor, m.level, s, 0, len(s), m.category),), 0, len(s), s), None, True
    j = s.rfind("由")
    if j >= 0:  # 对跨地区矛盾纠纷由…中心负责: the agent after 由
        np = lex.parse_np(s, j + 1)
        if np and np.end < len(s) and rx.DUTY_COLLABORATION.match(s, np.end):
            # 由司法行政部门会同公安、民政等部门负责: the agent before 会同 bears it
            return np, s[:j].strip(_STRIP) or None, True
        np = np if np and np.end == len(s) else _np_after_de(s[j + 1:], lex)
        if np:
            return np, s[:j].strip(_STRIP) or None, True
    np = _open_subject(s, lex)
    if np:  # 律师、公证员应当…: bearers the lexicon does not know
        return np, _condition_of(s[np.end:]), True
    if (rx.DUTY_CONDITION_START.match(s) or rx.DUTY_CONDITION_END.search(s) or rx.DUTY_CONDITION_TAIL.search(s)
            or "发现" in s):
        return None, s, True
    np = _suffix_np(s, lex)
    if np:
        return np, None, True
    return None, None, False


def _person_of(s: str, lex: Lexicon, owner: NounPhrase | None = None) -> NounPhrase | None:
    """X的Y where Y is a person the lexicon knows (父母或者其他监护人, 主要负责人): Y, read from the start
    of ``s`` (X: ``owner`` when already read, else words with no verb or function word in them)."""
    de = s.find("的", owner.end if owner else 0, rx.PERSON_OF_OWNER_MAX)
    if de <= 0 or (owner is not None and de != owner.end) or rx.DUTY_PREPOSITION.match(s) \
            or rx.DUTY_DECLARATIVE.match(s) or rx.OPEN_NP_NOT.search(s[:de].replace("、", "")):
        return None
    owned = lex.parse_np(s, de + 1)  # (the staff of a body are named elsewhere: NP_STAFF_OF)
    if owned and all(m.category == "individual" for m in owned.mentions):
        return NounPhrase(owned.mentions, 0, owned.end, s[:owned.end])
    return None


def _set_up(m, lex: Lexicon) -> tuple[str, tuple[Mention, ...] | None] | None:
    """The body a match of ``ESTABLISHED_BODY`` sets up: (its name, its actors — the lexicon's when
    it knows the name or a kind of it, as in 医疗纠纷人民调解委员会), or None when no name was set up
    (设立的…, 建立健全…领导小组)."""
    name = rx.QUANTIFIER.sub("", m.group("name"))
    if "的" in name or rx.DUTY_DECLARATIVE.match(name):
        return None
    np = lex.parse_np(name)
    np = np if np and np.end == len(name) else lex.open_np(name)
    return name, (np.mentions if np else None)


def _established(action: str, lex: Lexicon) -> tuple[Mention, ...] | None:
    """The body an action ending in 成立/设立… sets up (成立见义勇为评定委员会 → that committee)."""
    m = next((m for m in rx.ESTABLISHED_BODY.finditer(action) if m.end() == len(action)), None)
    body = _set_up(m, lex) if m else None
    return body[1] if body else None


def _voice(pre: str) -> bool:
    """The text before a cue is the regulation naming itself (本市, 本省, 国家 …), or a document it
    prescribes: nobody's duty, not a subject."""
    s = pre.strip(_STRIP)
    return (bool(s) and bool(rx.REGULATION_VOICE.fullmatch(s))) or _document(s)


def _maker(pre: str, lex: Lexicon) -> tuple[NounPhrase | None, str | None, bool]:
    """Who makes the document a subject names (建设单位制定的临时管理规约，不得…): its bearer."""
    m = rx.DOCUMENT_MAKER.match(pre.strip(_STRIP))
    np, cond, ok = _subject_before(m.group("np"), lex) if m else (None, None, False)
    return (np, cond, True) if ok and np else (None, None, False)


def _document(pre: str) -> bool:
    """The subject is a document (村民自治章程应当包括…, 管理规约不得…), though it names an actor."""
    return bool(rx.DOCUMENT_SUBJECT.search(pre.strip(_STRIP)))


def _addressee(action: str, lex: Lexicon) -> tuple[NounPhrase | None, str]:
    """Who a 鼓励…/禁止… clause addresses, and the action left after the addressee."""
    joint = _joint_addressee(action, lex)
    if joint:
        return joint
    np = lex.parse_np(action)
    if np:  # 鼓励国家机关、…和其他组织，对本单位…: the addressee may fill the clause
        return np, action[np.end:]
    if not rx.DUTY_ENCOURAGED_HOW.match(action):  # 鼓励符合条件的社会组织…, 鼓励…经验丰富的人民调解员…
        for i, ch in enumerate(action[:40]):
            if ch == "的":
                np = lex.parse_np(action, i + 1)
                if np and np.end <= len(action):  # (the addressee may fill the clause)
                    return np, action[np.end:]
    np = _unknown_body(action, lex, 16)  # 鼓励商事调解组织建立…: a body the lexicon lacks
    return (np, action[np.end:]) if np else (None, action)


def _joint_addressee(action: str, lex: Lexicon) -> tuple[NounPhrase, str] | None:
    """鼓励行业协会与信用服务机构合作: the addressee is who stands before 与; its partner after 与 is
    no addressee (the action left keeps it)."""
    for k, ch in enumerate(action[:40]):
        if ch in "与同" and rx.DUTY_JOINT_PARTNER.match(action, k):
            np = lex.parse_np(action[:k])
            if np and np.end == k:
                return np, action[k:]
            return None
    return None


def _unknown_body(s: str, lex: Lexicon, within: int | None = None) -> NounPhrase | None:
    """The body the lexicon does not know that ``s`` opens with, up to the first head of a body
    (…组织, …机构; not of persons or a team) that a verb follows."""
    head = rx.CONDITION_BODY_HEAD.search(s, 0, within or len(s))
    return lex.open_np(s, (head.end(),)) if head and s[head.end()] not in rx.NP_CONTINUES else None


# who may be encouraged by another actor's duty: never a body of the state, nor the parties to a case
_ENCOURAGED_CATEGORIES = frozenset({"society", "market", "individual", "grassroots", "mass_organization", "umbrella",
                                    "institution", "operator"})
_NOT_ENCOURAGED = frozenset({"当事人", "患者", "信访人", "申请人", "受援人", "见义勇为人员", "吸毒人员"})


def _nested_encouragement(action: str, lex: Lexicon) -> _Event | None:
    """市、旗区人民政府应当引导和支持社会组织参与…: the government's duty, and 社会组织 encouraged
    (an addressee of society acting of its own accord; not 支持有关部门履行职责, 引导当事人…)."""
    m = rx.DUTY_NESTED_ENCOURAGE.match(action)
    if not m:
        return None
    np, rest = _addressee(action[m.end():], lex)
    if not np or not (rx.DUTY_ENCOURAGED_ACT.match(rest.strip(_STRIP)) or rx.DUTY_JOINT_PARTNER.match(rest)):
        return None
    kept = tuple(x for x in np.mentions if lex.category(x.actor) in _ENCOURAGED_CATEGORIES and x.actor not in _NOT_ENCOURAGED)
    return _Event("duty", rest.strip(_STRIP), kept, "encourage", m.group(), None, True) if kept else None


# -- one clause -----------------------------------------------------------------------------------
def _clause(clause: str, lex: Lexicon, regulation_ok) -> list[_Event]:
    """The events of one clause; ``regulation_ok`` is the pattern of cues by which the regulation
    may speak here (None inside another actor's duty)."""
    core = clause.strip(_STRIP)
    if not core:
        return []
    shared = rx.DUTY_RESPONSIBILITY_OF.match(core)
    if shared:
        np = lex.parse_np(shared.group("np"))
        if np and np.start == 0:
            return [_Event("duty", shared.group("action"), np.mentions, "shall", "的责任")]
    owner = rx.DUTY_RESPONSIBLE_SUBJECT.match(core)
    if owner:
        np = _named(owner.group("np"), lex)
        if np and np.end == len(owner.group("np")):
            return [_Event("duty", owner.group("action"), np.mentions, "shall", "责任主体")]
    starts = _cue_starts(core, lex, regulation_ok)
    if not starts and any(rx.DUTY_CUE_RELATIVE.match(core, m.end()) for m in rx.DUTY_CUE.finditer(core)):
        return [_Event("text", core)]  # (its subject is no subject of the clauses around it)
    if not starts:
        nested = _nested_encouragement(core, lex) if regulation_ok is None else None
        return [_no_cue(core, lex)] + ([nested] if nested else [])
    events = []
    for k, (m, np, cond, _begin) in enumerate(starts):
        stop = starts[k + 1][3] if k + 1 < len(starts) else len(core)
        action = core[m.end():stop].strip(_STRIP)
        if not action and m.group().startswith("负"):  # 主要负责人对本单位的…工作全面负责: what it answers for
            before = core[:m.start()]
            before = before.split(np.text, 1)[1] if np is not None and np.text in before else (cond or "")
            action, cond = before.strip(_STRIP) + m.group(), None
        kind = m.lastgroup
        encouragement = bool(rx.REGULATION_CUE.match(m.group())) and np is None
        regulation = encouragement or (k == 0 and np is None and _voice(core[:m.start()]))
        if encouragement:
            np, action = _addressee(action, lex)
        elif np is None and action.startswith("由"):  # 应由其监护人或亲属代为反映: the agent after 由 bears it
            agent = _agent(action[1:], lex)
            if agent and agent.end < len(action) - 1 and not rx.DUTY_AGENT_POST.match(action, 1 + agent.end):
                np, action = agent, action[1 + agent.end:]
        events.append(_Event("duty", action, _np(np), kind, m.group(), cond, regulation))
        nested = _nested_encouragement(action, lex) if kind in ("shall", "may") and not regulation else None
        if nested:
            events.append(nested)
    return events


def _cue_starts(core: str, lex: Lexicon, regulation_ok) -> list:
    """The cues of a clause that start a duty: (match, subject, condition, start of its text)."""
    starts: list = []
    for m in rx.DUTY_CUE.finditer(core):
        if core.count("“", 0, m.start()) > core.count("”", 0, m.start()):
            continue  # inside a quotation: “谁主管、谁负责”
        if rx.DUTY_CUE_RELATIVE.match(core, m.end()):
            continue  # 业主应当履行的义务: a relative clause naming a duty
        if not starts:
            pre = core[:m.start()]
            if rx.REGULATION_CUE.match(m.group()):
                # (本市鼓励…: the regulation speaking of itself is still the regulation)
                if regulation_ok and regulation_ok.match(m.group()) and (
                        not pre.strip(_STRIP) or rx.REGULATION_VOICE.fullmatch(pre.strip(_STRIP))
                        or (m.lastgroup == "prohibit" and rx.REGULATION_BAN_PLACE.fullmatch(pre.strip(_STRIP)))):
                    starts.append((m, None, None, 0))
                elif m.lastgroup == "prohibit" and pre.strip(_STRIP):  # 承租人严禁…: a named subject
                    np, cond, ok = _subject_before(pre, lex, strict=True)
                    if ok and np:
                        starts.append((m, np, cond, 0))
                continue
            np, cond, ok = _maker(pre, lex) if _document(pre) else _subject_before(pre, lex)
            if np is None and rx.DUTY_CUE_ONLY_THEN.fullmatch(m.group()):
                continue  # (…合格的，方可…: only then may — a permission only of a subject named before it)
            if ok:
                starts.append((m, np, cond, 0))
            elif _voice(pre):  # 本市应当建立…: the regulation's own voice, nobody's duty
                starts.append((m, None, None, 0))
            continue
        prev_end = starts[-1][0].end()
        pre = core[prev_end:m.start()]
        if not pre or rx.REGULATION_CUE.match(m.group()):
            continue  # 应当…禁止…: part of the action
        np = _suffix_np(pre, lex)
        if np:
            starts.append((m, np, None, prev_end + np.start))
            continue
        t = rx.DUTY_CONNECTOR_TAIL.search(pre) or rx.DUTY_CONDITION_TAIL.search(pre)
        if t:
            cond = t.group() if t.group().endswith("的") else None
            starts.append((m, None, cond, prev_end + t.start()))
    return starts


def _no_cue(core: str, lex: Lexicon) -> _Event:
    """A clause without a modal: a condition, a bare subject, a declarative duty or plain text."""
    np = _named(core, lex)
    more = rx.DUTY_LIST_CONTINUED.match(core) if np is None else None
    if more:  # …，以及消保委、商会、行业协会等，: more members of the subject before
        listed = _named(more.group("np"), lex) or lex.open_np(more.group("np"))
        if listed and listed.end == len(more.group("np")):
            return _Event("np", core, listed.mentions)
    voice = rx.REGULATION_VOICE.match(core) if np is None else None
    if voice and rx.DUTY_DECLARATIVE.match(core[voice.end():]):  # 本市建立…: the regulation's voice
        return _Event("duty", core[voice.end():], None, "shall", "", regulation=True)
    if np is None:  # 特种行业单位发现…，: a subject the lexicon does not know, then what it finds
        found = _open_subject(core, lex)
        if found and rx.DUTY_CONDITION_FIND.match(core[found.end:]):
            np = found
        elif (rx.DUTY_CONDITION_END.search(core) and not rx.DUTY_PREPOSITION.match(core)
              and not rx.CONDITION_VIOLATION.search(core)):  # (…单位未将…备案的，责令改正: the violator bears nothing)
            np = _unknown_body(core, lex)  # 商事调解组织变更住所等登记事项的，应当…: it, then its verb
        if np is None and not rx.DUTY_PREPOSITION.match(core):
            np = _qualified_subject(core, lex)
    person = _person_of(core, lex, np)  # 未成年人的父母或者其他监护人依法承担…: X's Y
    if person and rx.DUTY_DECLARATIVE.match(core[person.end:]):
        np = person
    rest = core[np.end:] if np else core
    if np and rx.DUTY_TARGET_RATE.match(rest):  # 暂住人口办证率达到95%: a target, not the subject's duty
        return _Event("text", core)
    if (rx.DUTY_CONDITION_END.search(core) or rx.DUTY_CONDITION_START.match(core)
            or rx.DUTY_CONDITION_FIND.match(rest)):
        if np is None and rx.DUTY_CONDITION_START.match(core):  # 有下列情形之一的人员，不得…: those persons
            np = _np_after_de(core, lex)
            de = core.rfind("的")
            named = lex.open_np(core[de + 1:]) if np is None and de > 0 else None  # (人员: persons as such)
            np = NounPhrase(named.mentions, de + 1, len(core), core[de + 1:]) if named else np
        return _Event("condition", core, _np(np), condition=rest.strip(_STRIP) or core)
    if np and (not rest.strip(_STRIP) or rx.DUTY_APPOSITION.match(rest) or rx.DUTY_COPULA.match(rest)
               or rx.DUTY_OBJECT_FIRST.match(rest)):
        # (…人民政府及其有关部门对…取得显著成绩的单位和个人，给予表彰: the 的-phrase is the object of 对)
        # 公安机关作为…的主管部门，应当… / 市公安局是本市…的主管部门，负责…: the subject is who stands
        # before 作为 or 是; what follows describes it and names no other bearer
        return _Event("np", core, np.mentions)
    if not rx.DUTY_PREPOSITION.match(core):  # 学校、…等重点区域的管理或者运营单位，应当…
        # (not the object of a verb phrase: 及时疏散可能危及的其他人员)
        de = None if rx.PREDICATE_ADVERB_START.match(core) else _np_after_de(core, lex)
        if de:
            return _Event("np", core, de.mentions, topic=True)
        copula = rx.DUTY_COPULA.search(core)  # …单位的法定代表人是本单位的治安责任人，负责…
        de = _np_after_de(core[:copula.start()], lex) if copula and copula.start() else None
        if de:
            return _Event("np", core, de.mentions)
    a = rx.DUTY_AGENT.search(core)
    if a:  # (对…的)由有关部门给予表彰; 日常工作由民政部门办理: the agent after 由 does it
        i = a.start()
        agent = _agent(core[i + 1:], lex)
        own = rx.OWN_OFFICE.match(core, i + 1) if agent is None and np and core.startswith("的", np.end) else None
        if own:  # 综治委的日常工作由其办事机构负责: the committee's office (the lexicon's name for it)
            body = np.mentions[-1].actor  # (the lexicon's office of it, else the body + the word the text uses)
            office = lex.office_of(body) if body + "办公室" in lex.entries else body + own.group("office")
            agent = NounPhrase((Mention(office, np.mentions[-1].level, own.group(), 0, own.end() - i - 1,
                                        lex.category(office)),), 0, own.end() - i - 1, own.group())
        if agent and agent.end < len(core) - i - 1 and not rx.DUTY_AGENT_POST.match(core, i + 1 + agent.end):
            return _Event("duty", core[i + 1 + agent.end:], agent.mentions, "shall", "", core[:i] or None)
        if np and rest.startswith("由"):  # 领导小组由党委书记担任组长: others act on the subject
            return _Event("text", core)
    if np:
        if not rest.strip(_STRIP) or (rx.DUTY_ADVERBIAL_CLAUSE.match(rest) and not rx.DUTY_CARRY_VERB.search(rest)):
            return _Event("np", core, np.mentions)
        if (rx.DUTY_DECLARATIVE.match(rest) and len(rest) >= 4  # …以及其他组织协同，: no predicate
                and not (rest.startswith("负责") and rx.PEOPLE_BY_WORK.match(rest, 2))):
            return _Event("duty", rest, np.mentions, "shall", "")
        # 物业服务人承接物业项目，应当…: what the subject does sets the scene for the duty that follows
        return _Event("condition", core, np.mentions, condition=rest.strip(_STRIP) or core)
    return _Event("text", core)


# -- sentences and segments -------------------------------------------------------------------------
def _merge(a: tuple[Mention, ...] | None, b: tuple[Mention, ...] | None) -> tuple[Mention, ...] | None:
    if not a or not b:
        return a or b
    seen = {m.actor for m in a}
    return a + tuple(m for m in b if m.actor not in seen)


def _segment(part: str, state: _State, lex: Lexicon, unattributed: bool) -> list[_Duty]:
    out: list[_Duty] = []
    open_duty: _Duty | None = None
    pending_cond: list[_Event] = []  # condition clauses waiting for their duty
    pending_np = cond_np = None
    pending_topic = False
    fresh: _Duty | None = None
    for clause in rx.DUTY_CLAUSE_SEP.split(part):
        regulation_ok = (rx.REGULATION_CUE if open_duty is None
                         else rx.REGULATION_CUE_AGAIN if open_duty.regulation else None)
        for ev in _clause(clause, lex, regulation_ok):
            if ev.kind == "condition":
                pending_cond.append(ev)
                cond_np = cond_np or ev.np
                continue
            if ev.kind == "np":
                pending_np = _merge(pending_np, ev.np)
                pending_topic = ev.topic and (pending_topic or pending_np == ev.np)
                continue
            if ev.kind == "text":
                fresh = None
                text = "，".join([c.text for c in pending_cond] + [ev.text]) if open_duty else ev.text
                duty = _continue(text, open_duty, state, pending_np, unattributed)
                if duty is None:
                    pending_cond = [] if open_duty else pending_cond
                    pending_np = None if open_duty else pending_np
                    continue
                duty.conditions = [c.text for c in pending_cond]
                pending_cond, pending_np, cond_np = [], None, None
            elif _only_adverbial(open_duty) and ev.np is None and not ev.regulation and not pending_cond:
                # 应当按照职责分工，负责…: one duty, the first cue's
                open_duty.action += "，" + ev.cue + ev.text
                continue
            elif fresh is not None and ev.np is None and not ev.regulation and not pending_cond:
                # 公安机关对违反本条例规定的行为，应当…: the "declarative" clause was subject + adverbial
                out.remove(fresh)
                duty = _Duty(fresh.subject, ev.modality, ev.cue, ev.text, [fresh.action] + (
                    [ev.condition] if ev.condition else []))
            else:
                subject = ev.np
                if subject is None and not pending_np and open_duty is not None and ev.cue.startswith("负责"):
                    # 应当成立见义勇为评定委员会，负责…的确认: the body set up is responsible (a pivot)
                    subject = _established(open_duty.action, lex)
                if pending_topic and subject:
                    # 依照前款规定需要搬迁的企业，市人民政府应当制定搬迁计划: a 的-phrase set apart before
                    # a clause with its own subject is the topic the duty is about, not a co-subject
                    pending_np = None
                if not ev.regulation:  # (鼓励…/禁止… naming nobody has no bearer: the text names none)
                    subject = _merge(pending_np, subject) or cond_np or state.subject
                    subject = _own_person(subject, state.subject, lex)
                    subject = _own_office(subject, state.subject, lex)
                # a condition clause that named the subject keeps only its condition (在作出决策前)
                conds = [c.condition if c.np and c.np == subject else c.text for c in pending_cond]
                conds += [ev.condition] if ev.condition else []
                duty = _Duty(subject, ev.modality, ev.cue, ev.text, conds, ev.regulation)
                pending_cond, pending_np, cond_np = [], None, None
            out.append(duty)
            open_duty = duty
            # a declarative duty made of a subject and a prepositional phrase only, so far
            fresh = duty if (ev.kind == "duty" and not ev.cue and rx.DUTY_PREPOSITIONAL_PHRASE.match(duty.action)) else None
            if not duty.regulation:
                state.subject = duty.subject or state.subject
                if duty.modality != _RIGHT:  # (…有权撤销…；参加…: what follows a right is a duty again)
                    state.modality, state.cue = duty.modality, duty.cue
    if open_duty is not None and pending_cond:  # a trailing 的-clause is part of the action
        open_duty.action += "，" + "，".join(c.text for c in pending_cond)
    return out


def _own_person(subject: tuple[Mention, ...] | None, owner: tuple[Mention, ...] | None,
                lex: Lexicon) -> tuple[Mention, ...] | None:
    """其成员 / 其工作人员 after a body named before: that body's members or staff (村务监督委员会成员)."""
    if not subject or not owner or len(subject) != 1 or len(owner) != 1 or owner[0].category == "individual":
        return subject
    m = subject[0]
    own = rx.OWN_PERSON.fullmatch(m.surface)
    if own is None or owner[0].actor == m.actor:
        return subject
    name = owner[0].actor + own.group("person")
    known = lex.known(name)
    known = known[0] if known and len(known) == 1 else None
    return (Mention(known.actor if known else name, owner[0].level, m.surface, m.start, m.end,
                    known.category if known else "individual"),)


def _own_office(subject: tuple[Mention, ...] | None, owner: tuple[Mention, ...] | None,
                lex: Lexicon) -> tuple[Mention, ...] | None:
    """办事机构 / 办公室 alone after a body named before (…委员会应当设立常设办事机构。办事机构负责…): that
    body's office — the lexicon's name for it, else the body + the word the text uses; nobody's when no
    body was named."""
    if not subject or len(subject) != 1 or subject[0].category != _OFFICE:
        return subject
    m = subject[0]
    body = next((o for o in owner or () if o.category not in ("individual", _OFFICE)), None)
    if body is None:
        return None
    word = m.surface.removeprefix("常设")
    name = lex.office_of(body.actor) if body.actor + "办公室" in lex.entries else body.actor + word
    actor = lex.entries[name][0] if name in lex.entries else name
    return (Mention(actor, body.level, m.surface, m.start, m.end, lex.category(actor)),)


def _only_adverbial(duty: _Duty | None) -> bool:
    return duty is not None and not duty.regulation and (
        not duty.action.strip(_STRIP) or bool(rx.DUTY_ADVERBIAL_CLAUSE.match(duty.action.strip(_STRIP))))


def _continue(text: str, open_duty: _Duty | None, state: _State, pending_np, unattributed: bool) -> _Duty | None:
    """A clause without cue: more of the open duty's action, or a new duty with a carried subject."""
    declarative = bool(rx.DUTY_DECLARATIVE.match(text))
    if rx.DUTY_ROLE_STATEMENT.match(text):  # 分管负责人为直接责任人: a role, no duty
        return None
    if pending_np and not (open_duty is not None and text.startswith("并")):
        # 平安建设组织协调机构根据情节轻重，分别采取… (…，疏散…的其他人员，并设置…: 并 goes on with the
        # open duty's subject; the 的-phrase before it was that duty's object)
        return _Duty(pending_np, "shall", "", text)
    if open_duty is not None:
        open_duty.action += "，" + text
        return None
    if rx.DUTY_LIABILITY.match(text):  # 构成犯罪的，依法追究刑事责任: a consequence, nobody's duty
        return None
    if state.carry and state.subject and state.modality and declarative:
        return _Duty(state.subject, state.modality, state.cue, text)
    if declarative and (state.subject or unattributed):
        return _Duty(state.subject, "shall", "", text)
    return None


def _sentence_duties(sentence: str, state: _State, lex: Lexicon, unattributed: bool) -> list[_Duty]:
    if rx.DUTY_NONE.search(sentence):  # 本条例所称…是指…; …受法律保护: a definition or a status
        return []
    exceptions = [e.group().strip(_STRIP) for e in rx.DUTY_EXCEPTION.finditer(sentence)]
    body = rx.DUTY_EXCEPTION.sub("", sentence)
    duties: list[_Duty] = []
    for k, part in enumerate(rx.DUTY_SEGMENT_SEP.split(body)):
        if k > 0:
            state.carry = True
        duties += _segment(part, state, lex, unattributed)
    for d in duties:
        d.exception = "；".join(exceptions) or None
        d.text = sentence.strip()
    state.carry = False
    return duties


def _sentences(text: str) -> list[str]:
    return [m.group().strip() for m in rx.DUTY_SENTENCE.finditer(text) if m.group().strip(_STRIP)]


# -- articles ---------------------------------------------------------------------------------------
def _item_state(lead: str, lead_duties: list[_Duty], lex: Lexicon) -> _State | None:
    """How items inherit from their lead-in; None when the items are conditions, not duties."""
    lead = lead.strip()
    if rx.DUTY_LIST_CONDITION.search(lead):
        return None
    m = rx.DUTY_LIST_OF.match(lead)
    if m:
        np = lex.parse_np(m.group("np"))
        if np and np.end == len(m.group("np")):
            return _State(np.mentions, "shall", "", True)
    own = [d for d in lead_duties if not d.regulation and d.subject]
    if own and rx.DUTY_LIST_LEAD.search(lead):
        last = own[-1]
        return _State(last.subject, last.modality, last.cue, True)
    return _State()


def _article_duties(art: Article, lex: Lexicon, unattributed: bool) -> list[tuple[int, _Duty]]:
    out: list[tuple[int, _Duty]] = []
    for para in art.paragraphs:
        state = _State()
        lead = para.lead_in if para.items else para.text
        lead_duties: list[_Duty] = []
        for sent in _sentences(lead):
            lead_duties += _sentence_duties(sent, state, lex, unattributed)
        out += [(para.number, d) for d in lead_duties]
        if not para.items:
            continue
        listed = rx.DUTY_LIST_BEARERS.match(lead.strip())
        if listed:  # 下列人员应当…：（一）律师；…: each item names a bearer of the lead-in's duty
            for item in para.items:
                name = item.text.strip(_STRIP + "。；;")
                np = lex.parse_np(name) or lex.open_np(name)
                if np is None or np.end != len(name):
                    continue
                for d in _sentence_duties(name + listed.group("rest") + "。", _State(), lex, unattributed):
                    d.item_no, d.text = item.number, item.text.strip()
                    out.append((para.number, d))
            continue
        inherit = _item_state(lead, lead_duties, lex)
        if inherit is None:
            continue
        for item in para.items:
            st = _State(inherit.subject, inherit.modality, inherit.cue, inherit.carry)
            for sent in _sentences(item.text):
                st.carry = inherit.carry
                for d in _sentence_duties(sent, st, lex, unattributed):
                    d.item_no, d.text = item.number, item.text.strip()
                    out.append((para.number, d))
    return out


# -- aliases defined in a document ------------------------------------------------------------------
def _defined_aliases(reg: Regulation, lex: Lexicon) -> list[tuple[int, str, str]]:
    """(position, short form, actor) for every 以下简称 of the document that names an actor."""
    out = []
    for m in rx.ALIAS_DEFINITION.finditer(reg.text):
        before = reg.text[max(0, m.start() - 40):m.start()]
        found = lex.find(before)
        short = m.group("short").strip()
        # the name as the noun-phrase reader reads it (人民政府房产|行政主管部门 is the 房产 department)
        named = next((np for f in found if (np := lex.parse_np(before, f.start)) and np.end == len(before)), None)
        if named:
            out.append((m.start(), short, named.mentions[-1].actor))
            continue
        full = rx.ALIAS_FULL_NAME.search(before)
        if full:
            name = rx.DUTY_CONNECTOR.sub("", full.group())
            name = rx.SET_UP_VERB.split(name)[-1]
            if len(name) >= 3 and name.endswith(("委员会", "中心", "小组", "办公室", "机构", "部门", "机关")):
                out.append((m.start(), short, name))
    for m in rx.ESTABLISHED_BODY.finditer(reg.text):
        # 成立见义勇为评定委员会 … 评定委员会应当受理: the tail the text goes on to use is that body
        body = _set_up(m, lex)
        if body is None:
            continue
        name, mentions = body
        actor = mentions[0].actor if mentions and len(mentions) == 1 else name
        later = reg.text[m.end():]
        for k in range(1, len(name) - rx.ESTABLISHED_SHORT_MIN + 1):
            short = name[k:]
            # used alone, not only inside the full name again
            if short not in lex.entries and later.count(short) > later.count(name[k - 1:]):
                out.append((m.end(), short, actor))
                break
    return out


# -- public ----------------------------------------------------------------------------------------
def _rows(reg: Regulation, art: Article, para_no: int, d: _Duty, lex: Lexicon, unattributed: bool) -> list[dict]:
    action = rx.ALIAS_DEFINITION.sub("", d.action).strip(_STRIP)
    base = {"doc_id": reg.doc_id, "jurisdiction": reg.jurisdiction, "article_no": art.number,
            "paragraph_no": para_no, "item_no": d.item_no, "modality": d.modality, "action": action,
            "condition": "；".join(c.strip(_STRIP) for c in d.conditions if c.strip(_STRIP)) or None,
            "exception": d.exception, "cue": d.cue, "text": d.text}
    bearers = list(d.subject or ())
    date = reg.text_date

    def named(m: Mention) -> dict:  # the body as it stood on the text's date, and today's body
        actor = lex.at_date(m.actor, date)
        return {"actor": actor, "actor_level": m.level, "actor_surface": m.surface or None,
                "actor_current": lex.current(actor)}

    rows = [{**base, **named(m), "role": "bearer"} for m in bearers]
    if not bearers and unattributed:
        rows.append({**base, "actor": None, "actor_level": None, "actor_surface": None, "actor_current": None,
                     "role": "bearer"})
    if not rows:
        return []
    names = {m.actor for m in bearers}
    for c in rx.DUTY_COLLABORATION.finditer(action):
        np = lex.parse_np(action, c.end())
        for m in (np.mentions if np else ()):
            if m.actor not in names:
                names.add(m.actor)
                rows.append({**base, **named(m), "role": "collaborator"})
    return rows


def without_rights(duties: pd.DataFrame) -> pd.DataFrame:
    """``extract_duties(..., rights=True)`` without the rights: what ``rights=False`` gives."""
    return duties[duties["cue"] != RIGHT_CUE]


def extract_duties(obj, unattributed: bool = False, rights: bool = False) -> pd.DataFrame:
    """Every duty of a Regulation, a Corpus or a list of Regulations, one row per actor.

    Columns: doc_id, jurisdiction, article_no, paragraph_no, item_no, actor, actor_level,
    actor_surface, actor_current (today's body), role ("bearer" | "collaborator"), modality ("shall" |
    "may" | "encourage" | "prohibit"), action, condition, exception, cue, text. ``unattributed=True``
    adds the duties whose bearer the text does not name (``actor`` missing); ``rights=True`` adds the
    rights the text grants (公民有权劝阻…: modality "may", cue "有权"); the others are the same.
    """
    base = lexicon()
    rows: list[dict] = []
    for reg in as_regulations(obj):
        defs = _defined_aliases(reg, base)
        for art in reg.articles:
            lex = base.with_aliases({s: a for pos, s, a in defs if pos < art.end})
            for para_no, d in _article_duties(art, lex, False):
                rows += _rows(reg, art, para_no, d, lex, False)
            if unattributed:  # read again for the duties nobody bears: they never change the others
                rows += [r for para_no, d in _article_duties(art, lex, True) if not d.subject
                         for r in _rows(reg, art, para_no, d, lex, True)]
    df = pd.DataFrame(rows, columns=DUTY_COLUMNS)
    right = df["modality"] == _RIGHT  # a right is a permission; no duty unless asked for
    df = df.assign(modality=df["modality"].where(~right, "may"), cue=df["cue"].where(~right, RIGHT_CUE)) \
        if rights else df[~right]
    df = df.drop_duplicates(["doc_id", "article_no", "paragraph_no", "item_no", "actor", "role", "modality",
                             "action"]).reset_index(drop=True)
    text_cols = [c for c in DUTY_COLUMNS if c not in ("article_no", "paragraph_no", "item_no")]
    df[text_cols] = df[text_cols].astype(object).where(df[text_cols].notna(), None)
    df[["article_no", "paragraph_no"]] = df[["article_no", "paragraph_no"]].astype("int64")
    df["item_no"] = df["item_no"].astype("Int64")
    return df
