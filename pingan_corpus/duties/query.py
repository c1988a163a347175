"""Which regulations mandate X: ``mandates`` over duties, ``search`` over article text.

A query (校园欺凌, 寄递实名, 平安指数 …) is read as a few *concepts*: the terms of the shipped
synonym table (``pingan_corpus/data/synonyms.csv``) found in the query, then actor names (with
every alias of the actor, from the lexicon), then the jieba words of the rest. A concept
matches a text when one of its variants occurs in it: the word, its synonyms (寄递 ~ 快递 ~
物流寄递, 实名 ~ 身份核查 …) or — for a compound word that does not occur as such — all of its
parts (校园欺凌 → 校园 + 欺凌). Every concept of the query must match (precision: 寄递实名 does
not return every text about 寄递), and an obligation is matched on its own words — the actor
named, the condition and the action — plus the heading of its article, not on the whole
sentence it shares with other duties. Ranking puts exact words before synonyms and parts, the
query's words close together (a phrase) before scattered ones, and mandates before permissions.

jieba's global dictionary is only read, never changed here (``lexicon.load_into_jieba`` does
that when a user asks for it), so that other modules tokenise the same way before and after a
query.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd

from ..models import as_regulations
from ..parse import regexes as rx
from .extract import extract_duties
from .lexicon import lexicon

__all__ = ["Concept", "concepts", "mandates", "search", "synonyms"]

MANDATE_COLUMNS = ["doc_id", "title", "jurisdiction", "article_no", "paragraph_no", "item_no", "actor",
                   "actor_level", "modality", "cue", "action", "condition", "collaborators", "text",
                   "matched", "score"]
SEARCH_COLUMNS = ["doc_id", "title", "jurisdiction", "article_no", "heading", "score", "matched", "text"]
_STOPWORDS = frozenset("的 和 与 及 或 等 了 在 对 是 为 有关 相关 关于 规定 哪些 哪个 什么 条例 应当 必须".split())
_MODALITY_ORDER = {"shall": 0, "prohibit": 1, "may": 2, "encourage": 3}
_WEIGHT = {"word": 1.0, "synonym": 0.8, "parts": 0.6}
NEAR = 6          # characters between the words of a query for them to count as one phrase
NEAR_BONUS = 0.3  # ranking only: which provisions match is decided by the concepts


@lru_cache(maxsize=1)
def synonyms() -> dict[str, frozenset[str]]:
    """term → every term that shares a synonym group with it (itself included)."""
    raw = resources.files("pingan_corpus").joinpath("data", "synonyms.csv").read_text(encoding="utf-8")
    groups = [frozenset(t.strip() for t in row["terms"].split(";") if t.strip())
              for row in csv.DictReader(io.StringIO(raw))]
    out: dict[str, set[str]] = {}
    for g in groups:
        for term in g:
            out.setdefault(term, set()).update(g)
    return {k: frozenset(v) for k, v in out.items()}


@dataclass(frozen=True)
class Concept:
    """One concept of a query: the word, its synonyms, and its parts (all required) as a fallback."""

    word: str
    variants: frozenset[str]
    parts: tuple[frozenset[str], ...] = ()

    def match(self, text: str) -> tuple[str, list[str]] | None:
        """(kind, words found) when the concept occurs in ``text``, else None."""
        if self.word in text:
            return "word", [self.word]
        found = sorted((v for v in self.variants if v in text), key=len, reverse=True)
        if found:
            return "synonym", found[:1]
        if self.parts:
            hits = []
            for part in self.parts:
                got = next((v for v in sorted(part, key=len, reverse=True) if v in text), None)
                if got is None:
                    return None
                hits.append(got)
            return "parts", hits
        return None


def _actor_variants(actor: str) -> frozenset[str]:
    lex = lexicon()
    return frozenset(a for a, (name, _) in lex.entries.items() if name == actor and len(a) >= 2) | {actor}


def _variants(word: str) -> frozenset[str]:
    return synonyms().get(word, frozenset()) | {word}


def _jieba():
    # the global jieba dictionary is left as it is: other modules (alignment) tokenise with it, and
    # their results must not depend on whether a query ran before; actor names are matched first
    import jieba

    jieba.setLogLevel(60)
    return jieba


def _jieba_words(text: str) -> list[str]:
    return _resegment([w for w in _jieba().lcut(text) if w.strip() and not rx.QUERY_PUNCT.fullmatch(w)])


def _resegment(words: list[str]) -> list[str]:
    """Prefer a cut that leaves no stray single character: 多元化/解 → 多元/化解 when both are words.

    A query is a short noun phrase; a lone character left by the segmenter is almost always the
    end of a word that the segmenter glued to its neighbour."""
    freq = _jieba().dt.FREQ
    out = list(words)
    for k in range(1, len(out)):
        w, c = out[k - 1], out[k]
        if len(c) == 1 and len(w) >= 3 and freq.get(w[:-1]) and freq.get(w[-1] + c):
            out[k - 1], out[k] = w[:-1], w[-1] + c
    return out


def _parts(word: str) -> tuple[frozenset[str], ...]:
    """The sub-words of a compound (search-mode jieba), each with its synonyms."""
    subs = [w for w in _jieba().lcut_for_search(word) if len(w) >= 2 and w != word and w not in _STOPWORDS]
    # keep the shortest cover: drop a part contained in another part
    subs = [w for w in dict.fromkeys(subs) if not any(w != o and w in o for o in subs)]
    return tuple(_variants(w) for w in subs) if len(subs) >= 2 else ()


def concepts(query: str) -> list[Concept]:
    """The concepts of a query: synonym-table terms first (longest), then jieba words."""
    q = rx.QUERY_SEPARATORS.sub(" ", query).strip()
    terms = sorted(synonyms(), key=len, reverse=True)
    out: list[Concept] = []
    for chunk in q.split():
        rest = chunk
        for term in terms:  # 寄递实名 → 寄递 + 实名
            if len(term) >= 2 and term in rest:
                out.append(Concept(term, _variants(term)))
                rest = rest.replace(term, " ")
        for m in lexicon().find(rest):  # actor names, whole, with every alias of the actor
            if len(m.surface) >= 2:
                out.append(Concept(m.surface, _actor_variants(m.actor) | {m.surface}))
                rest = rest.replace(m.surface, " ")
        for piece in rest.split():
            words = _jieba_words(piece)
            words = [w for w in words if w not in _STOPWORDS and (len(w) >= 2 or len(words) == 1)]
            for w in words:
                out.append(Concept(w, _variants(w), _parts(w) if len(w) >= 3 else ()))
    seen, uniq = set(), []
    for c in out:
        if c.word not in seen:
            seen.add(c.word)
            uniq.append(c)
    return uniq


def _match_all(cs: list[Concept], text: str) -> tuple[float, list[str]] | None:
    score, words = 0.0, []
    for c in cs:
        got = c.match(text)
        if got is None:
            return None
        kind, hit = got
        score += _WEIGHT[kind]
        words += hit
    return score, words


def _near(text: str, words: list[str]) -> bool:
    """The query's words occur close together (校园欺凌 in …校园欺凌… or 校园内的欺凌), not
    scattered over a long sentence."""
    words = list(dict.fromkeys(words))
    if len(words) < 2:
        return False
    spots = sorted((m, m + len(w), k) for k, w in enumerate(words) for m in _find_all(text, w))
    need = len(words)
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
    return best is not None and best <= sum(len(w) for w in words) + NEAR


def _find_all(text: str, w: str) -> list[int]:
    out, i = [], text.find(w)
    while i >= 0 and len(out) < 50:
        out.append(i)
        i = text.find(w, i + 1)
    return out


def _headings(regs) -> dict[tuple[str, int], tuple[str | None, str | None]]:
    return {(r.doc_id, a.number): (a.heading, r.title) for r in regs for a in r.articles}


def _listed_conditions(regs) -> dict[tuple[str, int, int], str]:
    """The items of every paragraph, by (doc, article, paragraph): when a duty's condition is
    "有下列情形之一的", those items are what the condition says."""
    return {(r.doc_id, a.number, p.number): "\n".join(it.text for it in p.items)
            for r in regs for a in r.articles for p in a.paragraphs if p.items}


def _duty_key(r) -> tuple:
    item = None if pd.isna(r.item_no) else int(r.item_no)
    return (r.doc_id, r.article_no, r.paragraph_no, item, r.modality, r.action)


def mandates(corpus_or_regs, query: str, modality=("shall", "prohibit"), duties: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every obligation about ``query``, ranked, one row per bearer.

    Columns: doc_id, title, jurisdiction, article_no, paragraph_no, item_no, actor, actor_level,
    modality, cue, action, condition, collaborators, text, matched (the words found), score.
    ``modality=None`` keeps every strength, so that mandates and encouragements can be told
    apart; obligations whose bearer the text does not name have no ``actor``. ``duties``:
    ``extract_duties(regs, unattributed=True)`` of the same regulations, computed once for many queries.
    """
    regs = as_regulations(corpus_or_regs)
    cs = concepts(query)
    if not cs:
        return pd.DataFrame(columns=MANDATE_COLUMNS)
    if duties is None:
        duties = extract_duties(regs, unattributed=True)
    if isinstance(modality, str):
        modality = (modality,)
    if modality is not None:
        duties = duties[duties["modality"].isin(modality)]
    collab: dict[tuple, list[str]] = {}
    for r in duties[duties["role"] == "collaborator"].itertuples(index=False):
        collab.setdefault(_duty_key(r), []).append(r.actor)
    info = _headings(regs)
    listed = _listed_conditions(regs)
    rows = []
    for r in duties[duties["role"] == "bearer"].itertuples(index=False):
        heading, title = info.get((r.doc_id, r.article_no), (None, None))
        condition = r.condition
        if condition and rx.LIST_LEAD_IN.search(condition) and pd.isna(r.item_no):
            condition += "\n" + listed.get((r.doc_id, r.article_no, r.paragraph_no), "")
        own = "\n".join(x for x in (r.actor_surface, r.actor, condition, r.action) if x)
        got = _match_all(cs, own)
        bonus = 0.5
        if got is None:  # the article heading says what the provision is about
            got, bonus = _match_all(cs, own + "\n" + (heading or "")), 0.0
        if got is None:
            continue
        score, words = got
        bonus += NEAR_BONUS if _near(own, words) else 0.0
        rows.append({
            "doc_id": r.doc_id, "title": title, "jurisdiction": r.jurisdiction, "article_no": r.article_no,
            "paragraph_no": r.paragraph_no, "item_no": r.item_no, "actor": r.actor, "actor_level": r.actor_level,
            "modality": r.modality, "cue": r.cue, "action": r.action, "condition": r.condition,
            "collaborators": "、".join(collab.get(_duty_key(r), [])) or None, "text": r.text, "matched": "、".join(dict.fromkeys(words)),
            "score": round(score + bonus - 0.1 * _MODALITY_ORDER[r.modality], 3)})
    df = pd.DataFrame(rows, columns=MANDATE_COLUMNS)
    if df.empty:
        return df
    df["_order"] = range(len(df))
    df = df.sort_values(["score", "_order"], ascending=[False, True]).drop(columns="_order")
    df["item_no"] = df["item_no"].astype("Int64")
    return df.reset_index(drop=True)


def search(corpus_or_regs, query: str) -> pd.DataFrame:
    """Articles whose text (or heading) contains every concept of ``query``, ranked.

    Columns: doc_id, title, jurisdiction, article_no, heading, score, matched, text.
    """
    cs = concepts(query)
    rows = []
    for reg in as_regulations(corpus_or_regs):
        for art in reg.articles:
            body = (art.heading or "") + "\n" + art.text
            got = _match_all(cs, body) if cs else None
            if got is None:
                continue
            score, words = got
            score += NEAR_BONUS if _near(body, words) else 0.0
            hits = sum(body.count(w) for w in set(words))  # how much the article is about it
            rows.append({"doc_id": reg.doc_id, "title": reg.title, "jurisdiction": reg.jurisdiction,
                         "article_no": art.number, "heading": art.heading,
                         "score": round(score + min(hits, 10) * 0.1, 3),
                         "matched": "、".join(dict.fromkeys(words)), "text": art.text})
    df = pd.DataFrame(rows, columns=SEARCH_COLUMNS)
    if df.empty:
        return df
    df["_order"] = range(len(df))
    return (df.sort_values(["score", "_order"], ascending=[False, True]).drop(columns="_order")
            .reset_index(drop=True))

