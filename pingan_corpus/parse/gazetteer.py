"""Gazetteer of Chinese province- and prefecture-level divisions, and jurisdiction inference.

The data (``pingan_corpus/data/divisions.csv``) is derived from cpca's adcodes.csv
(MIT License, Copyright (c) 2018 QinYuan Du); see ``pingan_corpus/data/README.md``.
County-level units are deliberately absent: their short names collide too often. The
autonomous counties and banners that legislate (自治县/自治旗 单行条例) are read from the title.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import numpy as np

from . import regexes as rx

__all__ = ["Division", "divisions", "infer_jurisdiction", "lookup"]

PROVINCE_LEVELS = frozenset({"province", "autonomous_region", "municipality", "sar"})
PREFECTURE_LEVELS = frozenset({"city", "autonomous_prefecture", "prefecture", "league"})

# The levels infer_jurisdiction reports (PRODUCT.md): province, autonomous_region, municipality
# (直辖市), city, autonomous_prefecture, county. A 地区 or 盟 legislates like a 设区的市, so it is
# reported as city; an SAR, which passes no 地方性法规, is reported as a province-level unit.
_OUTPUT_LEVEL = {
    "province": "province",
    "municipality": "municipality",
    "sar": "province",
    "autonomous_region": "autonomous_region",
    "city": "city",
    "autonomous_prefecture": "autonomous_prefecture",
    "prefecture": "city",
    "league": "city",
}


@dataclass(frozen=True)
class Division:
    """One administrative division (province- or prefecture-level)."""

    adcode: str
    name: str
    short: str
    level: str
    province: str | None
    aliases: tuple[str, ...]

    @property
    def is_province_level(self) -> bool:
        return self.level in PROVINCE_LEVELS


@lru_cache(maxsize=1)
def divisions() -> tuple[Division, ...]:
    """All divisions from the packaged CSV, sorted by adcode (loaded once)."""
    raw = (
        resources.files("pingan_corpus")
        .joinpath("data", "divisions.csv")
        .read_text(encoding="utf-8")
    )
    out = []
    for row in csv.DictReader(io.StringIO(raw)):
        out.append(
            Division(
                adcode=row["adcode"],
                name=row["name"],
                short=row["short"],
                level=row["level"],
                province=row["province"] or None,
                aliases=tuple(a for a in row["aliases"].split(";") if a),
            )
        )
    return tuple(out)


# Token kinds, from most to least reliable as a plain mention.
_NAME, _SHORT, _ALIAS = "name", "short", "alias"


@lru_cache(maxsize=1)
def _token_index() -> dict[str, tuple[Division, str]]:
    """Map every surface form (full name, short, alias) to its division and kind."""
    index: dict[str, tuple[Division, str]] = {}
    # Insert in order of reliability so a full name is never shadowed by a short/alias.
    for kind in (_NAME, _SHORT, _ALIAS):
        for d in divisions():
            forms = {_NAME: (d.name,), _SHORT: (d.short,), _ALIAS: d.aliases}[kind]
            for form in forms:
                index.setdefault(form, (d, kind))
    return index


def lookup(name: str) -> Division | None:
    """Find a division by full name, short name or alias (exact match)."""
    hit = _token_index().get(name.strip())
    return hit[0] if hit else None


# Idioms/place names that contain a division's short name or alias but mean something
# else; putting them in the same alternation lets the longer stop phrase win the match.
STOP_PHRASES = (
    "长治久安",  # "lasting peace", ubiquitous in 平安建设 texts; not 长治市
    "幸福安康",  # not 安康市
    "青城山",  # mountain in Sichuan; not 青城 (呼和浩特)
    "金城江",  # district of 河池; not 金城 (兰州)
    "日照时",  # sunshine hours; not 日照市
)

# A short name or alias followed by one of these names a lower-level unit or a street
# (长沙县, 朝阳区, 中山路), which is not evidence for the prefecture itself.
_LOWER_UNIT_SUFFIX = ("县", "区", "镇", "乡", "街道", "路", "街", "村", "社区")


def trie_regex(words: list[str]) -> str:
    """Compile words into a trie-shaped regex: far faster than a flat alternation of
    ~800 branches, and greedy, so the longest form at a position wins."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            # Optional continuation: greedy, so longer words are tried first.
            body = "(?:" + body + ")?"
        return body

    return build(trie)


@lru_cache(maxsize=1)
def _scanner() -> re.Pattern[str]:
    """One regex over every surface form, optionally prefixed by 平安/智慧 (the reference for :func:`scan`).

    The prefix is part of the pattern (not a look-behind) so that 平安庆阳 is read as
    平安+庆阳 rather than 平+安庆+阳.
    """
    words = list(_token_index()) + list(STOP_PHRASES)
    return re.compile(r"(?P<pre>平安|智慧)?(?P<tok>" + trie_regex(words) + ")")


# Self-references that reveal which kind of body enacted the text: (strings counted, strings taken
# off the count) — 本自治区行政区域 holds two of them but says it once, 日本市场 holds no 本市;
# 本自治州 is a prefecture-level self-reference. (str.count: several times faster than a regex.)
_CUES = {
    "province": (("本省",), ()),
    "autonomous_region": (("本自治区", "自治区行政区域"), ("本自治区行政区域",)),
    "city": (("本市", "本自治州", "本州", "本盟"), ("日本市",)),
}
_CUE_LEVELS = {
    "province": {"province", "sar"},
    "autonomous_region": {"autonomous_region"},
    "city": PREFECTURE_LEVELS | {"municipality"},
}

_BOUNDARY = set("。；;：:，,、（）()\n\r\t 　") | {""}
_SUBJECT_VERB = re.compile(
    r"(?:及其有关部门|和有关部门|及其|有关部门)?"
    r"(?:应当|负责|统一|领导|组织|建立|制定|可以|将|设立|加强|推进|定期|每年|依法|按照|根据)"
)
_OBJECT_MARKERS = set("经报由向请对与和及")
_LIST_BEFORE = set("、与和及同跟")
_LIST_AFTER = ("、", "等", "相邻", "接壤", "交界", "毗邻", "共同", "协同")

# Evidence weights: a 平安X/智慧X slogan, an acting 人民政府 or an X行政区域 scope are
# what a regulation says about its own jurisdiction; plain mentions may be anything.
_STRONG = 5.0
_PLAIN = {_NAME: 1.0, _ALIAS: 1.5, _SHORT: 0.5}
# Cap plain mentions per division so a long text repeating a word (开封 "unseal",
# 来宾 "guests") cannot outweigh one real slogan.
_PLAIN_CAP = {_NAME: 4.0, _ALIAS: 3.0, _SHORT: 2.0}
_LIST_PENALTY = -1.0
_MIN_SCORE = 4.0
_MARGIN = 1.5


def _is_lower_unit(text: str, end: int) -> bool:
    return text.startswith(_LOWER_UNIT_SUFFIX, end)


@lru_cache(maxsize=1)
def _words() -> dict[str, tuple[int, str | None, str]]:
    """Every word of :func:`_scanner`, with and without the 平安/智慧 prefix → (length, prefix, token)."""
    words: dict[str, tuple[int, str | None, str]] = {}
    for word in list(_token_index()) + list(STOP_PHRASES):
        words[word] = (len(word), None, word)
        for pre in _PREFIXES:
            words[pre + word] = (len(pre) + len(word), pre, word)
    return words


_PREFIXES = ("平安", "智慧")


class _Starts(NamedTuple):
    """Where a word can start, for :func:`scan`."""

    first: np.ndarray  # a table: the characters plain words and the prefixes start with
    second: np.ndarray  # a table: their second characters (most places a first one stands are left out by it)
    pairs: np.ndarray  # the first two characters of the plain words, as sorted codes (a << 21 | b)
    prefixes: np.ndarray  # 平安, 智慧 as codes the same way
    lengths: dict[str, tuple[int, ...]]  # first two characters → lengths of the plain words, longest first
    plain: frozenset[str]
    heads: frozenset[str]  # the first two characters of the plain words and the prefixes


def _pair_codes(words) -> np.ndarray:
    return np.unique(np.array([ord(w[0]) << 21 | ord(w[1]) for w in words], np.uint64))


@lru_cache(maxsize=1)
def _starts() -> _Starts:
    plain = list(_token_index()) + list(STOP_PHRASES)
    assert min(map(len, plain)) >= 2, "scan looks words up by their first two characters"
    first = np.zeros(0x110000, bool)
    first[[ord(w[0]) for w in plain + list(_PREFIXES)]] = True
    second = np.zeros(0x110000, bool)
    second[[ord(w[1]) for w in plain + list(_PREFIXES)]] = True
    lengths: dict[str, set[int]] = defaultdict(set)
    for w in plain:
        lengths[w[:2]].add(len(w))
    return _Starts(first, second, _pair_codes(plain), _pair_codes(_PREFIXES),
                   {k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()}, frozenset(plain),
                   frozenset(w[:2] for w in plain + list(_PREFIXES)))


def scan(text: str) -> list[tuple[int, int, str | None, str]]:
    """(start, end, prefix, token) of the leftmost-longest non-overlapping gazetteer words — what
    ``_scanner().finditer`` finds (the reference, checked equal in the tests), several times faster.

    The places where a word can start — the first two characters of a plain word, or 平安/智慧 before
    them — are read off the whole text at once in numpy; only those few are looked up, longest word
    first. The longest word after 平安/智慧 is the prefix and the longest plain word after it.
    """
    if len(text) < 2:
        return []
    st = _starts()
    lengths, plain, words = st.lengths, st.plain, _words()
    if len(text) < 200:  # a title: numpy would cost more than looking at every position
        candidates = [p for p in range(len(text) - 1) if text[p:p + 2] in st.heads]
    else:
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
        starts = np.flatnonzero(st.first[codes[:-1]])
        starts = starts[st.second[codes[starts + 1]]]  # (fewer pairs to look up)
        keys = codes[starts].astype(np.uint64) << np.uint64(21) | codes[starts + 1]
        plain_at = st.pairs[np.minimum(np.searchsorted(st.pairs, keys), len(st.pairs) - 1)] == keys
        plain_start = np.zeros(len(codes) + 2, bool)  # (2 more: no word starts after the end)
        plain_start[starts[plain_at]] = True
        prefixed = np.zeros(len(keys), bool)
        for code in st.prefixes:  # (two: compared one by one, faster than np.isin)
            prefixed |= keys == code
        prefixed &= plain_start[starts + 2]
        candidates = starts[plain_at | prefixed].tolist()
    out, pos = [], 0
    for p in candidates:
        if p < pos:
            continue
        two = text[p:p + 2]
        n = 0
        for k in lengths.get(two, ()):
            if text[p:p + k] in plain:
                n = k
                break
        if two in _PREFIXES:
            for k in lengths.get(text[p + 2:p + 4], ()):
                if text[p + 2:p + 2 + k] in plain:
                    n = max(n, k + 2)
                    break
        if n:
            length, pre, tok = words[text[p:p + n]]
            out.append((p, p + length, pre, tok))
            pos = p + length
    return out


def _mentions(text: str):
    """Yield (division, kind, prefix, start, end) for every gazetteer hit in text."""
    index = _token_index()
    for start, end, pre, tok in scan(text):
        hit = index.get(tok)
        if hit is None:  # stop phrase
            continue
        d, kind = hit
        if kind != _NAME and _is_lower_unit(text, end):
            continue
        yield d, kind, pre, start, end


def _score_text(text: str) -> dict[Division, float]:
    """Weighted evidence per division (see module constants for the weights)."""
    strong: dict[Division, float] = defaultdict(float)
    plain: dict[Division, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for d, kind, pre, start, end in _mentions(text):
        before = text[start - 1] if start > 0 else ""
        if pre is None and (before in _LIST_BEFORE or text.startswith(_LIST_AFTER, end)):
            # Neighbours and partners ("与长沙、株洲相邻") are other places.
            strong[d] += _LIST_PENALTY
            continue
        if pre is not None:
            strong[d] += _STRONG
            continue
        if text.startswith("行政区域", end):
            strong[d] += _STRONG
            continue
        if text.startswith("人民政府", end):
            after = end + len("人民政府")
            acting = before in _BOUNDARY or _SUBJECT_VERB.match(text, after) is not None
            if acting and before not in _OBJECT_MARKERS:
                strong[d] += _STRONG
                continue
        plain[d][kind] += _PLAIN[kind]

    scores: dict[Division, float] = defaultdict(float, strong)
    for d, per_kind in plain.items():
        scores[d] += sum(min(v, _PLAIN_CAP[k]) for k, v in per_kind.items())
    return scores


def _dominant_cue(text: str) -> str | None:
    """The self-reference group (本省/本自治区/本市) that clearly dominates, if any."""
    counts = {g: sum(map(text.count, plus)) - sum(map(text.count, minus)) for g, (plus, minus) in _CUES.items()}
    best = max(counts, key=counts.__getitem__)
    if counts[best] == 0:
        return None
    if any(c * 2 > counts[best] for g, c in counts.items() if g != best):
        return None
    return best


def _apply_cue(scores: dict[Division, float], cue: str | None) -> dict[Division, float]:
    """Favour divisions whose level matches how the text refers to itself."""
    if cue is None:
        return dict(scores)
    levels = _CUE_LEVELS[cue]
    return {
        d: s * (2.0 if d.level in levels else 0.5) if s > 0 else s
        for d, s in scores.items()
    }


def _pick(scores: dict[Division, float]) -> Division | None:
    """The top division if it is strong enough and clearly ahead of the runner-up."""
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    best, top = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if top < _MIN_SCORE or top < _MARGIN * max(runner_up, 0.0) or top == runner_up:
        return None
    return best


def _from_title(title: str, text: str) -> tuple[bool, Division | None]:
    """(title names a division?, the division it settles on or None if ambiguous).

    The most specific level wins (内蒙古自治区鄂尔多斯市… → 鄂尔多斯市); several
    divisions at that level are disambiguated by the text, or give None.
    """
    found = {d for d, *_ in _mentions(title)}
    if not found:
        return False, None
    cities = {d for d in found if d.level in PREFECTURE_LEVELS}
    pool = cities or found
    if len(pool) == 1:
        return True, next(iter(pool))
    scores = _apply_cue(_score_text(text), _dominant_cue(text))
    ranked = sorted(pool, key=lambda d: scores.get(d, 0.0), reverse=True)
    first, second = (scores.get(d, 0.0) for d in ranked[:2])
    clear = first > 0 and first > second and first >= _MARGIN * max(second, 0.0)
    return True, (ranked[0] if clear else None)


def _county_from_title(title: str) -> str | None:
    """The autonomous county or banner a title names (长阳土家族自治县…条例 → 长阳土家族自治县).

    The name runs from the end of the division named before it (湖北省长阳… → 长阳…), or from the
    start of the title, to 自治县/自治旗; it must carry the people's name (…族), as every one does.
    """
    end = next((m.end() for m in re.finditer("自治[县旗]", title)), None)
    if end is None:
        return None
    start = 0
    for _d, kind, _pre, _s, e in _mentions(title[:end]):
        if kind == _NAME and e < end - 3:
            start = max(start, e)
    name = title[start:end]
    return name if rx.AUTONOMOUS_COUNTY.fullmatch(name) else None


def infer_jurisdiction(title: str | None, text: str) -> tuple[str | None, str | None]:
    """Infer (full division name, level) of a regulation, or (None, None) if unsure.

    Level is ``"province"``, ``"autonomous_region"``, ``"municipality"`` (北京, 天津, 上海,
    重庆), ``"city"`` (设区的市, their 经济特区 regulations, 地区 and 盟),
    ``"autonomous_prefecture"`` or ``"county"`` (an autonomous county or banner named in the
    title, which the gazetteer does not list). A division named in the title decides;
    otherwise the text is scored (平安X, X人民政府 as actor, X行政区域, aliases, plain
    mentions; neighbour lists count against) and 本省/本自治区/本市 favour a level.
    """
    chosen: Division | None = None
    named = False
    if title:
        county = _county_from_title(title)
        if county is not None:
            return county, "county"
        named, chosen = _from_title(title, text or "")
    if not named and text:
        chosen = _pick(_apply_cue(_score_text(text), _dominant_cue(text)))
    if chosen is None:
        return None, None
    return chosen.name, _OUTPUT_LEVEL[chosen.level]
