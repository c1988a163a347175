"""Which regulations mandate X: ``mandates`` over duties, ``search`` over article text.

A query (校园欺凌, 寄递实名, 人民调解员, 消防安全宣传教育 …) is read as a few *concepts*: the
informative units of the query, never single characters and never frame words (体系, 制度, 工作,
建设, 参与 …). A unit is the longest run of the query's words that the vocabulary knows as one
term (the shipped term table, an actor of the lexicon) or that the searched texts use as one
string (人民调解, 矛盾纠纷排查), so that 人民调解 is not read as 人民 + 调解.

A concept matches a provision when

* its word occurs, or one of its **equivalents** (the term table ``data/terms.csv``, reviewed by
  hand, and the equivalents learned from aligned provisions, ``data/equivalents_learned.csv``,
  rows marked ``accepted``): 寄递 ~ 快递, 综治 ~ 平安建设;
* or one of its **narrower** terms: a query on the field (禁毒) finds its parts (戒毒, 吸毒), never
  the other way round (戒毒 does not find every 禁毒 provision, 诉调对接 not every 多元化解 one);
* or, for a compound, all of its informative parts (矛盾纠纷排查 in 排查化解矛盾纠纷).

**Related** terms never decide a match; they only rank a provision higher. Every concept of a
query must match. An obligation is matched on its own words (condition and action; actor concepts
on the actor), then on its sentence or item, then its paragraph (lead-in and items), then the heading of its article; a concept the
regulation's title carries (消防 in a 消防条例) counts when the provision itself matched another
concept, and a query the title carries whole (法律援助 and a 法律援助条例) finds every obligation of
that regulation (``matched_in`` "title"). The regulation's own task lists (…的主要任务是：), its definitions and its sanctions
(违反本条例…由…处以罚款) are not mandates and are left out. A rule an article states with no one
named (法律援助的范围包括…) in an article where no duty was found is a mandate nobody bears. Two
concepts that meet only as different members of one list (完善…奖励惩戒、投诉举报等机制) do not make
the query (举报奖励).

Every result says why it matched: ``matched_terms`` (the words found), ``matched_in`` (action,
sentence, heading, title) and ``cue`` (the modal word of the obligation).

jieba's global dictionary is only read, never changed here (``lexicon.load_into_jieba`` does
that when a user asks for it), so that other modules tokenise the same way before and after a
query.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import pandas as pd

from ..models import as_regulations
from ..parse import regexes as rx
from .extract import extract_duties
from .lexicon import lexicon

__all__ = ["FRAME_WORDS", "Concept", "concepts", "mandate_duties", "mandates", "search", "synonyms", "terms"]

MANDATE_COLUMNS = ["doc_id", "title", "jurisdiction", "article_no", "paragraph_no", "item_no", "actor",
                   "actor_level", "modality", "cue", "action", "condition", "collaborators", "text",
                   "matched_terms", "matched_in", "score"]
SEARCH_COLUMNS = ["doc_id", "title", "jurisdiction", "article_no", "heading", "score", "matched_terms", "text"]
_STOPWORDS = frozenset("的 和 与 及 或 等 了 在 对 是 为 有关 相关 关于 规定 哪些 哪个 什么 条例 应当 必须".split())
# words that frame a concept without saying what it is: never required, never matched alone
FRAME_WORDS = frozenset(
    "体系 制度 机制 工作 建设 参与 活动 人员 问题 情况 事项 措施 要求 加强 开展 推进 建立 健全 完善 落实 实施 "
    "推动 做好 依法 相关 有关 方面 领域 能力 水平 责任 职责 管理 服务 规范 办法 行为 "
    # 处理 is the generic verb of handling, like 管理: 投诉处理 is about 投诉, written 受理投诉、有权投诉
    "处理".split())
# the frame words to cut off a token, longest first (a frozenset's own order follows the hash seed)
_FRAME_LONGEST_FIRST = tuple(sorted(FRAME_WORDS, key=lambda w: (-len(w), w)))
NEGATIONS = "不非无未"  # prefixes that make a new word of the word they stand before
_MODALITY_ORDER = {"shall": 0, "prohibit": 1, "may": 2, "encourage": 3}
_WEIGHT = {"word": 1.0, "equivalent": 0.9, "narrower": 0.8, "parts": 0.7}
_SCOPE = {"action": 1.0, "sentence": 0.85, "paragraph": 0.75, "heading": 0.7, "title": 0.5}
_ANCHORS = frozenset({"action", "sentence", "heading"})  # where a match must start
WHOLE_REGULATION = True  # a regulation whose title is the query: every obligation in it is about it
RELATED_BONUS = 0.1  # ranking only: a related term never decides a match
NEAR = 6          # characters between the words of a query for them to count as one phrase
NEAR_BONUS = 0.3  # ranking only: which provisions match is decided by the concepts
PARTS_NEAR = 12   # characters between the parts of one compound concept (排查化解矛盾纠纷)
ATTESTED = 2      # a run of query words the texts use this often is one unit
COMMON = 0.15     # a word in more than this share of the articles says nothing on its own …
COMMON_MIN_REGULATIONS = 5  # … when there are texts enough to tell (one 消防条例 uses 消防 everywhere)


@dataclass(frozen=True)
class Term:
    """What the vocabulary knows about a term: its equivalents, narrower and related terms."""

    equivalents: frozenset[str] = frozenset()
    narrower: frozenset[str] = frozenset()
    related: frozenset[str] = frozenset()


def _split(cell: str | None) -> list[str]:
    return [t.strip() for t in (cell or "").split(";") if t.strip()]


@lru_cache(maxsize=1)
def terms() -> dict[str, Term]:
    """term → :class:`Term`, from the shipped table and the accepted learned equivalents.

    Equivalents are symmetric (every term of a row stands for every other); a narrower term is
    found by a query on its concept, not the reverse; related terms only rank."""
    data = resources.files("pingan_corpus").joinpath("data")
    eq: dict[str, set[str]] = {}
    narrower: dict[str, set[str]] = {}
    related: dict[str, set[str]] = {}
    for row in csv.DictReader(io.StringIO(data.joinpath("terms.csv").read_text(encoding="utf-8"))):
        group = [row["concept"], *_split(row["equivalents"])]
        for t in group:
            eq.setdefault(t, set()).update(group)
            narrower.setdefault(t, set()).update(_split(row["narrower"]))
            related.setdefault(t, set()).update(_split(row["related"]))
    learned = data.joinpath("equivalents_learned.csv")
    if learned.is_file():
        for row in csv.DictReader(io.StringIO(learned.read_text(encoding="utf-8"))):
            if row.get("status") == "accepted":
                a, b = row["term"], row["equivalent"]
                for x, y in ((a, b), (b, a)):
                    eq.setdefault(x, {x}).update(eq.get(y, {y}))
    keys = sorted(set(eq) | set(narrower) | set(related))  # (a dict in the same order every run)
    return {t: Term(frozenset(eq.get(t, {t})), frozenset(narrower.get(t, set())),
                    frozenset(related.get(t, set()) - eq.get(t, set()))) for t in keys}


def synonyms() -> dict[str, frozenset[str]]:
    """term → its equivalents (itself included)."""
    return {t: v.equivalents for t, v in terms().items()}


@dataclass(frozen=True)
class Concept:
    """One concept of a query: the word, its equivalents and narrower terms, its informative parts
    (all required, a fallback for compounds), related terms (ranking only), and whether it names an
    actor (then it is matched on who bears the duty)."""

    word: str
    variants: frozenset[str]
    parts: tuple[frozenset[str], ...] = ()
    narrower: frozenset[str] = frozenset()
    related: frozenset[str] = frozenset()
    actor: bool = field(default=False)
    part_words: tuple[str, ...] = ()  # the word of each part, as the query has it

    def match(self, text: str, topic: str = "") -> tuple[str, list[str]] | None:
        """(kind, words found) when the concept occurs in ``text``, else None. ``topic``: what the
        whole regulation is about (its title's subject); it may supply parts of a compound, never
        all of them (网络 in a provision of a 未成年人保护条例 answers 未成年人网络保护)."""
        if self.word in text:
            return "word", [self.word]
        for kind, pool in (("equivalent", self.variants), ("narrower", self.narrower)):
            found = sorted((v for v in pool if v in text), key=lambda v: (-len(v), v))  # (same order every run)
            if found:
                return kind, found[:1]
        if self.parts:
            groups = [sorted((v for v in part if v in text), key=lambda v: (-len(v), v)) for part in self.parts]
            here = [g for g in groups if g]
            if not here:
                return None
            if len(here) < len(groups):
                # the topic supplies what is missing; the provision itself must then say the rest
                # as strongly as the query (禁毒 of a 禁毒条例 and a bare 教育 is no 禁毒宣传教育)
                if not all(g or any(v in topic for v in part) for g, part in zip(groups, self.parts)):
                    return None
                if any(g and _looser(g[0], w) for g, w in zip(groups, self.part_words)):
                    return None
            # the parts of one concept stand together (排查化解矛盾纠纷), not apart in a long text
            return ("parts", [g[0] for g in here]) if len(here) == 1 or _near(text, here, PARTS_NEAR) else None
        return None

    def occurring(self, text: str) -> list[str]:
        """Every word of the concept (its word, equivalents, narrower terms) that ``text`` holds."""
        return [v for v in {self.word, *self.variants, *self.narrower} if v in text]

    def related_in(self, text: str) -> list[str]:
        return sorted(t for t in self.related if t in text)  # (a frozenset's order follows the hash seed)


def _looser(found: str, word: str) -> bool:
    """A variant shorter than the query's word says less (教育 for 宣传教育): it may complete a match, not
    stand in for the word where the regulation's topic supplied the rest."""
    return len(found) < len(word)


def _actor_variants(actor: str) -> frozenset[str]:
    lex = lexicon()
    return frozenset(a for a, (name, _) in lex.entries.items() if name == actor and len(a) >= 2) | {actor}


def _term(word: str) -> Term:
    return terms().get(word, Term(frozenset({word})))


def _jieba():
    # the global jieba dictionary is left as it is: other modules (alignment) tokenise with it, and
    # their results must not depend on whether a query ran before; actor names are matched first
    import jieba

    jieba.setLogLevel(60)
    return jieba


def _jieba_words(text: str) -> list[str]:
    return _resegment([w for w in _jieba().lcut(text) if w.strip() and not rx.QUERY_PUNCT.fullmatch(w)])


def _resegment(words: list[str]) -> list[str]:
    """Prefer a cut that leaves no stray single character: 多元化/解 → 多元/化解 when both are words,
    and a character left alone joins the word before it (网格/员 → 网格员, 人民/调解员 stays).

    A query is a short noun phrase; a lone character left by the segmenter is almost always the
    end of a word that the segmenter glued to its neighbour."""
    freq = _jieba().dt.FREQ
    out = list(words)
    for k in range(1, len(out)):
        w, c = out[k - 1], out[k]
        if len(c) == 1 and len(w) >= 3 and freq.get(w[:-1]) and freq.get(w[-1] + c):
            out[k - 1], out[k] = w[:-1], w[-1] + c
    joined: list[str] = []
    for w in out:
        if len(w) == 1 and joined and w not in _STOPWORDS:
            joined[-1] += w
        else:
            joined.append(w)
    return joined


def _frame_split(token: str) -> list[str]:
    """服务体系 → 服务 + 体系: a frame word glued to a word is cut off, so that it can be dropped."""
    for f in _FRAME_LONGEST_FIRST:
        if token.endswith(f) and len(token) > len(f) + 1:
            return [token[: -len(f)], f]
    return [token]


def _known_unit(s: str) -> bool:
    return s in terms() or s in lexicon().entries


def _units(words: list[str], attested) -> list[str]:
    """Greedy longest runs of words that are one term: known to the vocabulary or used as one
    string by the texts searched (``attested``)."""
    out, k = [], 0
    while k < len(words):
        best = k + 1
        for j in range(len(words), k + 1, -1):
            s = "".join(words[k:j])
            if _known_unit(s) or (attested is not None and attested(s)):
                best = j
                break
        out.append("".join(words[k:best]))
        k = best
    return out


def _tile(s: str) -> list[str]:
    """``s`` cut into the fewest known words (jieba's, the term table's, the lexicon's; 2+ characters
    where possible): 消防安全宣传教育 → 消防安全 + 宣传教育, 流动人口 → 流动 + 人口 only below it."""
    freq = _jieba().dt.FREQ
    known = {w for w in _jieba().lcut_for_search(s) if len(w) >= 2} | {t for t in terms() if len(t) >= 2 and t in s}
    known |= {w for w in FRAME_WORDS if w in s}
    # a negation is part of the word it negates: 不文明 (行为), 非法 (集资) — never a part alone
    known = (known | {s[i - 1:i + len(w)] for w in known for i in _find_all(s, w)
                      if i > 0 and s[i - 1] in NEGATIONS}) - {s}
    n = len(s)
    best: list[tuple[int, list[str]] | None] = [None] * (n + 1)
    best[0] = (0, [])
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(i + 1, n + 1):
            w = s[i:j]
            if w in known or (freq.get(w) and w != s) or j == i + 1:
                # a word of the term table before jieba's (宣传教育, not 宣传 + 教育); between two cuts of table words, the first
                cost = best[i][0] + (3 if len(w) < 2 else 0.9 if w in terms() else 1)
                if best[j] is None or cost < best[j][0]:
                    best[j] = (cost, best[i][1] + [w])
    return best[n][1] if best[n] else [s]


def _parts(unit: str, stats: _Stats | None = None) -> dict[str, frozenset[str]]:
    """The informative sub-words of a compound (in the query's order), each with its equivalents
    (frame words left out, but for one that opens the compound).

    Empty when a part carries meaning no word of its own can stand for (网格|员), or when a part is
    so common in the texts that it says nothing (人民 in 人民调解, 法律 in 法律援助): then only the
    whole word, or an equivalent, matches."""
    subs = [w for w in _tile(unit) if w != unit]
    if len(subs) < 2 or any(len(w) < 2 and w not in _STOPWORDS for w in subs):
        return {}
    # a frame word that opens the compound qualifies what follows (责任保险, 管理规约): it stays a part,
    # lest the rest alone (保险, 规约) answer it; a frame word after the head is dropped (宣传教育工作)
    informative = [w for k, w in enumerate(subs) if (w not in FRAME_WORDS or k == 0) and w not in _STOPWORDS]
    if not informative or (stats is not None and any(stats.common(w) for w in informative)):
        return {}
    return {w: _term(w).equivalents | {w} for w in informative}


def _concept(word: str, variants: frozenset[str], stats: _Stats | None, actor: bool = False) -> Concept:
    parts = _parts(word, stats) if len(word) >= 3 else {}
    t = Term() if actor else _term(word)
    return Concept(word, variants, tuple(parts.values()), t.narrower, t.related, actor, tuple(parts))


def concepts(query: str, regs=None) -> list[Concept]:
    """The concepts of a query, in order. With the regulations searched (``regs``), a run of the
    query's words they use as one string is one concept, and a part of a compound they use
    everywhere (人民, 法律) is not enough to match it."""
    stats = regs if isinstance(regs, _Stats) or regs is None else _Stats(as_regulations(regs))
    attested = stats.used if stats is not None else None
    q = rx.QUERY_SEPARATORS.sub(" ", query).strip()
    out: list[Concept] = []
    for chunk in q.split():
        rest = chunk
        # a term of the vocabulary holding an actor's name is the longer unit (家庭暴力, not 家庭 + 暴力)
        longer = [t for t in terms() if t in chunk]
        for m in lexicon().find(chunk):  # actor names, whole, with every alias of the actor
            if (len(m.surface) >= 2 and m.category != "generic" and m.surface not in terms()
                    and not any(m.surface in t and len(t) > len(m.surface) for t in longer)
                    and m.surface not in lexicon().stems):  # (建设 in 综治中心建设 is no 建设部门)
                out.append(_concept(m.surface, _actor_variants(m.actor) | {m.surface}, stats, actor=True))
                rest = rest.replace(m.surface, " ")
        for piece in rest.split():
            words = [w for t in _jieba_words(piece) for w in _frame_split(t) if w not in _STOPWORDS]
            for unit in _units(words, attested):
                if unit in FRAME_WORDS or (len(unit) < 2 and len(words) > 1):
                    continue
                out.append(_concept(unit, _term(unit).equivalents | {unit}, stats))
    uniq: dict[str, Concept] = {}
    for c in out:
        uniq.setdefault(c.word, c)  # the first reading of a word wins (an actor before a term)
    return list(uniq.values())


class _Stats:
    """What the searched texts say about a string: whether they use it as one term (``ATTESTED``
    times or more), and whether it is common (in more than ``COMMON`` of their articles)."""

    def __init__(self, regs):
        self.articles = [a.text for r in regs for a in r.articles]
        self.regulations = len(regs)
        self.text = "\n".join(self.articles)
        self.used = lru_cache(maxsize=512)(self._used)
        self.common = lru_cache(maxsize=512)(self._common)

    def _used(self, s: str) -> bool:
        return len(s) >= 3 and self.text.count(s) >= ATTESTED

    def _common(self, s: str) -> bool:
        if self.regulations < COMMON_MIN_REGULATIONS:  # too few texts to tell a field's word from a common one
            return False
        n = sum(s in a for a in self.articles)
        return n > COMMON * max(1, len(self.articles))


def _match_all(cs: list[Concept], scopes: list[tuple[str, str]], actor_text: str = "",
               title: str = "") -> tuple[float, list[str], str] | None:
    """Every concept matched, each in the narrowest scope that holds it (``scopes`` widen: action,
    sentence, paragraph, heading; then the regulation's title). At least one concept must be
    found in the provision itself (its action, sentence or the article's heading): words spread
    over sibling clauses complete a match, they never make one. Returns (score, words, where)."""
    if not cs:
        return None
    topic = _topic(title)
    scopes = [*scopes, ("title", topic)]
    score, words, widest, anchored, in_title, loose = 0.0, [], 0, False, 0, False
    found_in: list[tuple[str, Concept]] = []  # (the scope's text, the concept) of each concept found there
    for c in cs:
        if c.actor and (got := c.match(actor_text)):
            kind, hit = got
            score, words, anchored = score + _WEIGHT[kind], words + hit, True
            continue
        for k, (where, text) in enumerate(scopes):
            got = c.match(text, topic if where != "title" else "") if text else None
            if got:
                kind, hit = got
                score += _WEIGHT[kind] * _SCOPE[where]
                words += hit
                widest = max(widest, k)
                anchored = anchored or where in _ANCHORS
                in_title += where == "title"
                loose = loose or (where != "title" and kind != "parts" and _looser(hit[0], c.word))
                if where != "title" and kind != "parts":
                    found_in.append((text, c))
                break
        else:
            return None
    if not anchored and not (WHOLE_REGULATION and in_title == len(cs)):
        return None
    if 0 < in_title < len(cs) and loose:
        return None  # the title names the topic: the provision must then say the rest as the query does
    for k, (text, a) in enumerate(found_in):
        for other, b in found_in[k + 1:]:
            if other is text and _siblings_only(text, a.occurring(text), b.occurring(text)):
                return None  # 完善奖励惩戒、投诉举报等机制: two members of one list, no 举报奖励
    own = "\n".join(t for w, t in scopes if w in _ANCHORS and t)
    related = {w for c in cs for w in c.related_in(own)}
    return score + RELATED_BONUS * len(related), words, scopes[widest][0]




def _list_member(clause: str, start: int, end: int) -> int | None:
    """Which member of the clause's 、-list the span [start, end) lies in (1, 2, …), or None when it
    crosses a 、, lies in no list, or may hold what the members share: the first member (its verb
    or subject: 制定…规划、预案、措施), what follows 等 (消防安全、食品安全等专题教育), or the last member of
    a list that does not close with 等."""
    seps = [i for i, ch in enumerate(clause) if ch == "、"]
    if not seps or any(start <= i < end for i in seps):
        return None
    k = sum(i < start for i in seps)
    if k == 0:
        return None
    if k == len(seps):  # the last member: a member only up to the 等 that closes the list
        close = clause.find("等", seps[-1])
        if close < 0 or end > close:
            return None
    return k


def _siblings_only(text: str, words_a: list[str], words_b: list[str]) -> bool:
    """Every time two concepts meet in one clause they are different members of one list (奖励惩戒、
    投诉举报等), and they never meet otherwise: in different clauses, or in one phrase (举报奖励,
    对举报人给予奖励)."""
    seen = False
    clauses = list(rx.CLAUSE.finditer(text))
    spots = {}
    for key, words in (("a", words_a), ("b", words_b)):
        spots[key] = [(ci, i, i + len(w)) for ci, m in enumerate(clauses) for w in words
                      for i in _find_all(m.group(), w)]
    for ca, sa, ea in spots["a"]:
        for cb, sb, eb in spots["b"]:
            if ca != cb:
                return False
            clause = clauses[ca].group()
            ma, mb = _list_member(clause, sa, ea), _list_member(clause, sb, eb)
            if ma is None or mb is None or ma == mb:
                return False
            seen = True
    return seen


def _topic(title: str) -> str:
    """What a title says the whole regulation is about: 北京市消防条例 → 消防; in 见义勇为人员奖励和保护
    条例 the coordinated aims (奖励, 保护) are each about part of it only, so only what they share
    (见义勇为人员) is the topic."""
    m = rx.TITLE_AIMS.search(title)
    return title[: m.start()] if m else title


def _near(text: str, words: list, gap: int = NEAR) -> bool:
    """The query's words occur close together (校园欺凌 in …校园欺凌… or 校园内的欺凌), not
    scattered over a long sentence. ``words``: words, or groups of words any one of which will do."""
    groups = list(dict.fromkeys((w,) if isinstance(w, str) else tuple(w) for w in words))
    if len(groups) < 2:
        return False
    spots = sorted((m, m + len(w), k) for k, g in enumerate(groups) for w in g for m in _find_all(text, w))
    need = len(groups)
    size = sum(min(len(w) for w in g) for g in groups)
    best = None
    counts: dict[int, int] = {}
    lo = 0
    for hi in range(len(spots)):  # the shortest window holding every word (two pointers)
        counts[spots[hi][2]] = counts.get(spots[hi][2], 0) + 1
        while len(counts) == need:
            span = max(e for _, e, _ in spots[lo:hi + 1]) - spots[lo][0]
            best = span if best is None else min(best, span)
            k = spots[lo][2]
            counts[k] -= 1
            if not counts[k]:
                del counts[k]
            lo += 1
    return best is not None and best <= size + gap


def _find_all(text: str, w: str) -> list[int]:
    out, i = [], text.find(w)
    while i >= 0 and len(out) < 50:
        out.append(i)
        i = text.find(w, i + 1)
    return out


def _headings(regs) -> dict[tuple[str, int], tuple[str | None, str | None]]:
    return {(r.doc_id, a.number): (a.heading, r.title) for r in regs for a in r.articles}


def _paragraphs(regs) -> dict[tuple[str, int, int], tuple[str, str]]:
    """(lead-in, items) of every paragraph, by (doc, article, paragraph): when a duty's condition is
    "有下列情形之一的", the items are what the condition says; a lead-in tells a task list."""
    return {(r.doc_id, a.number, p.number): ((p.lead_in if p.items else p.text) or "",
                                             "\n".join(it.text for it in p.items))
            for r in regs for a in r.articles for p in a.paragraphs}


def _not_a_mandate(r, lead: str) -> bool:
    """The regulation's own task list (…的主要任务是：), or a sanction (违反本条例…由…处以罚款)."""
    if pd.isna(r.actor) and rx.TASK_LIST.search(lead):
        return True
    text = r.text or ""
    return bool(rx.SANCTION_ALONE.search(r.action or "")
                or (rx.SANCTION_TRIGGER.search(text) and rx.SANCTION.search(r.action or ""))
                or (rx.LIABILITY_SENTENCE.match(text) and rx.SANCTION_ALONE.search(text)))


DECLARATIVE_PENALTY = 0.2  # ranking only: a rule nobody is named for comes after the duties


def _declared_rules(regs, with_duties: set) -> list[tuple]:
    """The paragraphs of the articles in which no duty was found that state a rule all the same:
    (reg, article, paragraph, modality, cue). Left out: purposes, definitions, scopes, principles,
    entry into force, task lists, and everything in a liability chapter or naming a sanction."""
    out = []
    for reg in regs:
        liability = {c.number for c in reg.chapters if rx.LIABILITY_CHAPTER.match(rx.NON_WORD.sub("", c.title or ""))}
        for art in reg.articles:
            if (reg.doc_id, art.number) in with_duties or art.chapter in liability:
                continue
            for par in art.paragraphs:
                t = par.text
                if (rx.DUTY_NONE.search(t) or rx.EFFECTIVE.search(t) or rx.SANCTION_ALONE.search(t)
                        or rx.LIABILITY_SENTENCE.match(t) or rx.TASK_LIST.search(par.lead_in) or rx.PRINCIPLE.search(t)):
                    continue
                modality, cue = "shall", None
                for m, pat in rx.DECLARED_RULE:
                    if (hit := pat.search(t)):
                        modality, cue = m, hit.group()
                        break
                out.append((reg, art, par, modality, cue))
    return out


def _duty_key(r) -> tuple:
    item = None if pd.isna(r.item_no) else int(r.item_no)
    return (r.doc_id, r.article_no, r.paragraph_no, item, r.modality, r.action)


def mandate_duties(corpus_or_regs) -> pd.DataFrame:
    """What :func:`mandates` searches: every duty, those nobody bears and the rights too."""
    return extract_duties(corpus_or_regs, unattributed=True, rights=True)


def mandates(corpus_or_regs, query: str | Iterable[str], modality=("shall", "prohibit"),
             duties: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every obligation about ``query``, ranked, one row per bearer.

    ``query`` may be one phrasing or several (["综治中心", "社会治安综合治理中心"]): a provision
    any of them matches is kept once, with its best score. Columns: doc_id, title, jurisdiction,
    article_no, paragraph_no, item_no, actor, actor_level, modality, cue, action, condition,
    collaborators, text, matched_terms (the words found, a list), matched_in (action, sentence,
    heading or title: where they were found), score. ``modality=None`` keeps every strength, so that
    mandates and encouragements can be told apart; obligations whose bearer the text does not name
    have no ``actor``; rights the text grants (公民有权劝阻…) are permissions ("may", cue 有权).
    ``duties``: :func:`mandate_duties` of the same regulations, computed once for many queries.
    """
    regs = as_regulations(corpus_or_regs)
    phrasings = [query] if isinstance(query, str) else list(query)
    stats = _Stats(regs)
    queries = [cs for cs in (concepts(q, stats) for q in phrasings) if cs]
    if not queries:
        return pd.DataFrame(columns=MANDATE_COLUMNS)
    if duties is None:
        duties = mandate_duties(regs)
    with_duties = set(zip(duties["doc_id"], duties["article_no"]))
    if isinstance(modality, str):
        modality = (modality,)
    if modality is not None:
        duties = duties[duties["modality"].isin(modality)]
    collab: dict[tuple, list[str]] = {}
    for r in duties[duties["role"] == "collaborator"].itertuples(index=False):
        collab.setdefault(_duty_key(r), []).append(r.actor)
    info = _headings(regs)
    paras = _paragraphs(regs)
    best: dict[tuple, dict] = {}
    for reg, art, par, mod, cue in _declared_rules(regs, with_duties):
        if modality is not None and mod not in modality:
            continue
        subject = rx.RULE_LIST.split(par.lead_in, 1)[0]
        scopes = [("sentence", subject), ("heading", art.heading or ""), ("paragraph", par.text)]
        for cs in queries:
            got = _match_all(cs, scopes, "", reg.title or "")
            if got is None:
                continue
            score, words, where = got
            score = round(score + 0.5 - 0.1 * _MODALITY_ORDER[mod] - DECLARATIVE_PENALTY, 3)
            key = (reg.doc_id, art.number, par.number, None, mod, None, None)
            if key in best and best[key]["score"] >= score:
                continue
            best[key] = {
                "doc_id": reg.doc_id, "title": reg.title, "jurisdiction": reg.jurisdiction, "article_no": art.number,
                "paragraph_no": par.number, "item_no": None, "actor": None, "actor_level": None, "modality": mod,
                "cue": cue, "action": None, "condition": None, "collaborators": None, "text": par.text,
                "matched_terms": list(dict.fromkeys(words)), "matched_in": where, "score": score}
    for r in duties[duties["role"] == "bearer"].itertuples(index=False):
        lead, items = paras.get((r.doc_id, r.article_no, r.paragraph_no), ("", ""))
        if _not_a_mandate(r, lead):
            continue
        heading, title = info.get((r.doc_id, r.article_no), (None, None))
        condition = r.condition or ""
        if condition and rx.LIST_LEAD_IN.search(condition) and pd.isna(r.item_no):
            condition += "\n" + items
        own = "\n".join(x for x in (condition, r.action) if x)
        sentence = r.text or ""
        if pd.isna(r.item_no) and rx.DUTY_LIST_LEAD.search(sentence):
            sentence += "\n" + items  # …履行下列职责：(一)…: the duties are in the items
        if r.paragraph_no > 1 and rx.REFERS_BACK.search(sentence):
            sentence += "\n" + "\n".join(paras.get((r.doc_id, r.article_no, r.paragraph_no - 1), ()))
        scopes = [("action", own), ("sentence", sentence), ("heading", heading or ""),
                  ("paragraph", lead + "\n" + items)]
        actor_text = "\n".join(x for x in (r.actor_surface, r.actor) if isinstance(x, str))
        for cs in queries:
            got = _match_all(cs, scopes, actor_text, title or "")
            if got is None:
                continue
            score, words, where = got
            score += NEAR_BONUS if _near(own, words) else 0.0
            score = round(score + 0.5 - 0.1 * _MODALITY_ORDER[r.modality], 3)
            key = _duty_key(r) + (r.actor,)
            if key in best and best[key]["score"] >= score:
                continue
            best[key] = {
                "doc_id": r.doc_id, "title": title, "jurisdiction": r.jurisdiction, "article_no": r.article_no,
                "paragraph_no": r.paragraph_no, "item_no": r.item_no, "actor": r.actor,
                "actor_level": r.actor_level, "modality": r.modality, "cue": r.cue, "action": r.action,
                "condition": r.condition, "collaborators": "、".join(collab.get(_duty_key(r), [])) or None,
                "text": r.text, "matched_terms": list(dict.fromkeys(words)), "matched_in": where, "score": score}
    df = pd.DataFrame(list(best.values()), columns=MANDATE_COLUMNS)
    if df.empty:
        return df
    df["_order"] = range(len(df))
    df = df.sort_values(["score", "_order"], ascending=[False, True]).drop(columns="_order")
    df["item_no"] = df["item_no"].astype("Int64")
    return df.reset_index(drop=True)


def search(corpus_or_regs, query: str | Iterable[str]) -> pd.DataFrame:
    """Articles whose text (or heading) holds every concept of ``query`` (or of one of its
    phrasings), ranked. Columns: doc_id, title, jurisdiction, article_no, heading, score,
    matched_terms, text.
    """
    regs = as_regulations(corpus_or_regs)
    stats = _Stats(regs)
    phrasings = [query] if isinstance(query, str) else list(query)
    queries = [cs for cs in (concepts(q, stats) for q in phrasings) if cs]
    rows = []
    for reg in regs:
        for art in reg.articles:
            body = (art.heading or "") + "\n" + art.text
            found = [got for cs in queries if (got := _match_all(cs, [("action", body)])) is not None]
            if not found:
                continue
            score, words, _ = max(found, key=lambda g: g[0])
            score += NEAR_BONUS if _near(body, words) else 0.0
            hits = sum(body.count(w) for w in set(words))  # how much the article is about it
            rows.append({"doc_id": reg.doc_id, "title": reg.title, "jurisdiction": reg.jurisdiction,
                         "article_no": art.number, "heading": art.heading,
                         "score": round(score + min(hits, 10) * 0.1, 3),
                         "matched_terms": list(dict.fromkeys(words)), "text": art.text})
    df = pd.DataFrame(rows, columns=SEARCH_COLUMNS)
    if df.empty:
        return df
    df["_order"] = range(len(df))
    return (df.sort_values(["score", "_order"], ascending=[False, True]).drop(columns="_order")
            .reset_index(drop=True))

