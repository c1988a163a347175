"""Synthetic corpora with known truth, for benchmarks and tests of corpus-wide alignment.

:func:`synthesize` derives N regulations from seed regulations the way local legislation
derives from its models. The seeds come first (re-rendered, unchanged); every later document
copies a *parent* chosen among the documents made before it (a random recursive tree, so
families are deep and wide as in real diffusion) and changes it:

* another real jurisdiction (:func:`pingan_corpus.parse.gazetteer.divisions`): its name replaces the
  parent's everywhere, 本市 becomes 本省 / 本自治区 …, and the county tier is written its own way
  (县（市、区） / 旗县区 / 区县 …);
* articles dropped, moved, merged with the next one, split in two, reworded (reordered
  department lists, synonyms), and added from another seed;
* source noise: traditional characters (OpenCC s2t), pinyin annotations glued after characters
  (建設(shè)), commas stripped, items on their own lines, blank lines, ideographic spaces.

The text is then parsed by :func:`pingan_corpus.parse_text`, so the whole pipeline is
exercised. The truth table records, for every article of a derived document, the article it
comes from: ``doc_id, article_no, source_doc, source_article, operation, parent_doc``
(operation: copied, reworded, moved, merged, split, added; several joined by "+"). A merged
article has one row per source. Everything is deterministic given ``seed``.
"""
from __future__ import annotations

import os
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import ArgumentError, MissingFileError
from .models import Regulation
from .numerals import to_chinese
from .parse import regexes as R
from .parse.gazetteer import STOP_PHRASES, Division, divisions

TRUTH_COLUMNS = ["doc_id", "article_no", "source_doc", "source_article", "operation", "parent_doc"]

# wording a drafter swaps for its near-synonym (both directions are used)
SYNONYMS = (
    ("加强", "强化"), ("建立健全", "健全完善"), ("组织开展", "组织实施"), ("推进", "推动"),
    ("有关部门", "相关部门"), ("按照", "依照"), ("及时", "迅速"), ("完善", "健全"),
    ("引导", "指导"), ("促进", "推动"), ("保障", "保证"), ("落实", "贯彻落实"),
    ("协调", "统筹协调"), ("监督检查", "督促检查"), ("宣传教育", "宣传引导"), ("依法", "依照法律"),
    ("开展", "进行"), ("提高", "提升"), ("排查", "摸排"), ("化解", "消除"),
)
# ways of writing the county tier; all but the last neutralise alike in alignment.neutralize
COUNTY_TIERS = ("县（市、区）", "县（市、区、旗）", "旗县市区", "区县", "旗区", "县市区", "旗县区")
_SELF = {"province": "本省", "autonomous_region": "本自治区", "municipality": "本市", "city": "本市",
         "autonomous_prefecture": "本自治州", "prefecture": "本地区", "league": "本盟"}
_CONGRESS = "人民代表大会常务委员会"
# a list of 3+ short names before 等 (公安、民政、教育等部门): its order is the drafter's choice
_LIST = re.compile(rf"((?:[{R.CJK}]{{2,10}}、){{3,}}[{R.CJK}]{{2,10}}?)(?=等)")
_PINYIN_GLUED = re.compile(rf"([{R.CJK}])({R.PINYIN_ANNOTATION.pattern})")
# a few syllables so that pinyin noise works even when the seeds carry no annotations
_PINYIN_FALLBACK = {"設": "shè", "應": "yīng", "當": "dāng", "會": "huì", "區": "qū", "縣": "xiàn",
                    "體": "tǐ", "關": "guān", "與": "yǔ", "門": "mén", "條": "tiáo", "國": "guó"}
DEFAULT_STEM = "社会治理条例"  # title stem of a seed that has no title


@dataclass
class Rates:
    """Probabilities of each change per derived article (and per document for noise)."""

    drop: float = 0.04
    reword: float = 0.25
    move: float = 0.03
    merge: float = 0.02
    split: float = 0.02
    add: float = 0.5           # chance that a document borrows articles from another seed
    add_max: int = 3           # … at most this many
    traditional: float = 0.2
    pinyin: float = 0.1        # (documents; inside one, 30% of annotatable characters)
    strip_commas: float = 0.15
    items_on_lines: float = 0.3
    blank_lines: float = 0.2
    wide_spaces: float = 0.3


@dataclass
class _Art:
    heading: str | None
    paras: list[str]
    origin: list[tuple[str, int, str]] = field(default_factory=list)  # (source doc, article no, op)


@dataclass
class _Doc:
    doc_id: str
    jurisdiction: str | None
    level: str | None
    stem: str
    chapters: list[tuple[str | None, list[_Art]]]
    parent: str | None
    root: str
    year: int

    def articles(self) -> list[_Art]:
        return [a for _, arts in self.chapters for a in arts]


def load_seeds(seeds=None, min_articles: int = 8) -> list[Regulation]:
    """Seed regulations numbered 第X条 with at least ``min_articles`` articles.

    ``seeds``: a folder (parsed with :func:`pingan_corpus.load_corpus`), a Corpus or a list of
    Regulations; None looks for ``data/raw`` in the working directory, then beside the package.
    """
    if seeds is None:
        for cand in (Path("data/raw"), Path(__file__).resolve().parent.parent / "data" / "raw"):
            if cand.is_dir():
                seeds = cand
                break
        else:
            raise MissingFileError("no seed folder: pass seeds= (a folder of regulations, or regulations)")
    if isinstance(seeds, (str, os.PathLike)):
        from .corpus import load_corpus

        seeds = load_corpus(seeds)
    regs = list(getattr(seeds, "docs", seeds))
    out = [r for r in regs if r.numbering == "article" and len(r.articles) >= min_articles]
    if not out:
        raise ArgumentError(f"no seed regulation numbered 第X条 with at least {min_articles} articles")
    return out


def _pinyin_table(regs: Iterable[Regulation]) -> dict[str, str]:
    """char → pinyin, read from the annotations the seeds' sources carry (建設(shè))."""
    table = dict(_PINYIN_FALLBACK)
    seen: set[int] = set()
    for r in regs:
        src = r.normalized.source if r.normalized is not None else ""
        if id(src) in seen:
            continue
        seen.add(id(src))
        for m in _PINYIN_GLUED.finditer(src):
            table.setdefault(m.group(1), m.group(2)[1:-1])
    return dict(sorted(table.items()))


def _stem(reg: Regulation) -> str:
    title = reg.title or ""
    if reg.jurisdiction and title.startswith(reg.jurisdiction):
        title = title[len(reg.jurisdiction):]
    title = re.sub(r"（[^）]*）$", "", title)
    return title if R.TITLE_SUFFIX.search(title or "") else DEFAULT_STEM


def _seed_doc(reg: Regulation, doc_id: str) -> _Doc:
    names = {c.number: c.title for c in reg.chapters}
    chapters: list[tuple[str | None, list[_Art]]] = []
    for a in reg.articles:
        title = names.get(a.chapter) if a.chapter else None
        if not chapters or chapters[-1][0] != title:
            chapters.append((title, []))
        paras = [p.text.replace("\n", "") for p in a.paragraphs if p.text.strip()]
        chapters[-1][1].append(_Art(a.heading, paras or [a.text.replace("\n", "")]))
    year = (reg.adopted or reg.effective).year if (reg.adopted or reg.effective) else 2022
    level = None
    for d in divisions():
        if d.name == reg.jurisdiction:
            level = d.level
    return _Doc(doc_id, reg.jurisdiction, level, _stem(reg), chapters, None, doc_id, year)


def _names(jurisdiction: str | None) -> list[tuple[str, str]]:
    """(surface form, kind) of a jurisdiction: its full name and its short forms."""
    if not jurisdiction:
        return []
    out = [(jurisdiction, "name")]
    for d in divisions():
        if d.name == jurisdiction:
            out += [(s, "short") for s in (d.short, *d.aliases) if len(s) >= 2]
    return out


class _Deriver:
    def __init__(self, rng: random.Random, rates: Rates, roots: list[_Doc]):
        self.rng, self.rates, self.roots = rng, rates, roots

    # -- wording ------------------------------------------------------------------------------
    def reword(self, text: str) -> str:
        rng = self.rng
        changed = False
        lists = list(_LIST.finditer(text))
        if lists and rng.random() < 0.6:
            m = rng.choice(lists)
            # the first item's left edge is unknown (…推动与长沙、株洲等): it stays in place
            items = m.group(1).split("、")
            shuffled = items[1:]
            for _ in range(3):
                rng.shuffle(shuffled)
                if shuffled != items[1:]:
                    break
            shuffled = items[:1] + shuffled
            text = text[:m.start(1)] + "、".join(shuffled) + text[m.end(1):]
            changed = shuffled != items
        present = [(a, b) for a, b in SYNONYMS if a in text] + [(b, a) for a, b in SYNONYMS if b in text]
        rng.shuffle(present)
        for a, b in present[: rng.randint(1, 3)]:
            if a in text:
                k = rng.choice([m.start() for m in re.finditer(re.escape(a), text)])
                text = text[:k] + b + text[k + len(a):]
                changed = True
        if not changed:  # nothing to swap: the drafter reworks the first clause instead
            text = re.sub(r"^([^，。；]{4,})，", lambda m: m.group(1) + "，并", text, count=1)
        return text

    def rename(self, text: str, old: str | None, new: Division) -> str:
        forms = _names(old)
        if forms:
            # idioms holding a short name (长治久安 is not 长治市) match first and stay
            alts = sorted({f for f, _ in forms} | set(STOP_PHRASES), key=len, reverse=True)
            pat = re.compile("|".join(map(re.escape, alts)))
            kind = dict(forms)
            text = pat.sub(lambda m: {"name": new.name, "short": new.short}.get(kind.get(m.group(0)), m.group(0)),
                           text)
        return text

    # -- one derived document ----------------------------------------------------------------
    def derive(self, parent: _Doc, doc_id: str, jur: Division, tier: str) -> _Doc:
        rng, rt = self.rng, self.rates
        self_word = _SELF.get(jur.level, "本市")

        def fix(text: str) -> str:
            text = self.rename(text, parent.jurisdiction, jur)
            text = R.SELF_REFERENCE.sub(self_word, text)
            return R.COUNTY_TIER.sub(tier, text)

        number = {}
        k = 0
        for _, arts in parent.chapters:
            for a in arts:
                k += 1
                number[id(a)] = k
        chapters: list[tuple[str | None, list[_Art]]] = []
        for title, arts in parent.chapters:
            new: list[_Art] = []
            skip = False
            for x, a in enumerate(arts):
                if skip:
                    skip = False
                    continue
                src = (parent.doc_id, number[id(a)])
                r = rng.random()
                if r < rt.drop and len(arts) > 1:
                    continue
                paras = [fix(p) for p in a.paras]
                ops = []
                if rng.random() < rt.reword:
                    q = rng.randrange(len(paras))
                    paras[q] = self.reword(paras[q])
                    ops.append("reworded")
                r = rng.random()
                if r < rt.merge and x + 1 < len(arts):
                    b = arts[x + 1]
                    new.append(_Art(a.heading, paras + [fix(p) for p in b.paras],
                                    [(*src, "merged"), (parent.doc_id, number[id(b)], "merged")]))
                    skip = True
                    continue
                if r < rt.merge + rt.split:
                    pieces = self._split(paras)
                    if pieces:
                        op = "+".join(["split", *ops])
                        new.append(_Art(a.heading, pieces[0], [(*src, op)]))
                        new.append(_Art(None, pieces[1], [(*src, op)]))
                        continue
                new.append(_Art(a.heading, paras, [(*src, "+".join(ops) or "copied")]))
            chapters.append((title, new))
        chapters = [(t, arts) for t, arts in chapters if arts] or [(None, [])]
        self._move(chapters)
        self._borrow(chapters, parent.root, jur, fix)
        year = min(2025, parent.year + rng.randint(0, 2))
        return _Doc(doc_id, jur.name, jur.level, parent.stem, chapters, parent.doc_id, parent.root, year)

    def _split(self, paras: list[str]) -> tuple[list[str], list[str]] | None:
        if len(paras) >= 2:
            k = self.rng.randint(1, len(paras) - 1)
            return paras[:k], paras[k:]
        sentences = [s for s in re.split(r"(?<=。)", paras[0]) if s]
        if len(sentences) >= 2:
            k = self.rng.randint(1, len(sentences) - 1)
            return ["".join(sentences[:k])], ["".join(sentences[k:])]
        return None

    def _move(self, chapters) -> None:
        rng = self.rng
        arts = [(c, i) for c, (_, a) in enumerate(chapters) for i in range(len(a))]
        moves = sum(rng.random() < self.rates.move for _ in arts)
        for _ in range(moves):
            c, i = rng.choice([(c, i) for c, (_, a) in enumerate(chapters) for i in range(len(a))])
            if len(chapters[c][1]) < 2:
                continue
            art = chapters[c][1].pop(i)
            art.origin = [(d, n, op if "moved" in op else ("moved" if op == "copied" else op + "+moved"))
                          for d, n, op in art.origin]
            c2 = rng.randrange(len(chapters))
            j = rng.randint(0, len(chapters[c2][1]))
            if c2 == c and j == i:
                j = (i + 1) % (len(chapters[c][1]) + 1)
            chapters[c2][1].insert(j, art)

    def _borrow(self, chapters, root: str, jur: Division, fix) -> None:
        rng = self.rng
        donors = [d for d in self.roots if d.root != root]
        if not donors or rng.random() >= self.rates.add:
            return
        for _ in range(rng.randint(1, self.rates.add_max)):
            donor = rng.choice(donors)
            arts = donor.articles()
            k = rng.randrange(len(arts))
            a = arts[k]
            paras = [fix(self.rename(p, donor.jurisdiction, jur)) for p in a.paras]
            c = rng.randrange(len(chapters))
            chapters[c][1].insert(rng.randint(0, len(chapters[c][1])), _Art(None, paras, [(donor.doc_id, k + 1, "added")]))


def _render(doc: _Doc, rng: random.Random, rates: Rates, pinyin: dict[str, str]) -> str:
    """The document as a web copy would carry it: title, adoption note, chapters, articles, noise."""
    wide = rng.random() < rates.wide_spaces
    blank = rng.random() < rates.blank_lines
    items_lines = rng.random() < rates.items_on_lines
    strip = rng.random() < rates.strip_commas
    gap = "\u3000" if wide else ""
    title = f"{doc.jurisdiction or ''}{doc.stem}"
    lines = [title]
    if doc.jurisdiction and rng.random() < 0.7:
        m, d = rng.randint(1, 12), rng.randint(1, 28)
        lines.append(f"（{doc.year}年{m}月{d}日{doc.jurisdiction}{_CONGRESS}第{to_chinese(rng.randint(2, 30))}次会议通过）")
    n = 0
    for c, (ctitle, arts) in enumerate(doc.chapters, start=1):
        if ctitle is not None:
            lines.append(f"第{to_chinese(c)}章{gap or ' '}{ctitle}")
        for a in arts:
            n += 1
            head = f"【{a.heading}】" if a.heading else ""
            body = list(a.paras)
            if items_lines:
                body = [re.sub(r"(?<=[：；])(?=[（(][一二三四五六七八九十]{1,3}[）)])", "\n", p) for p in body]
            lines.append(f"第{to_chinese(n)}条{gap}{head}{body[0]}")
            lines += body[1:]
    sep = "\n\n" if blank else "\n"
    text = sep.join(lines) + "\n"
    if strip:
        text = re.sub(r"，(?!$)", lambda m: "" if rng.random() < 0.7 else m.group(0), text)
    if rng.random() < rates.traditional:
        text = _s2t(text)
        if pinyin and rng.random() < rates.pinyin / max(rates.traditional, 1e-9):
            text = "".join(ch + f"({pinyin[ch]})" if ch in pinyin and rng.random() < 0.3 else ch for ch in text)
    return text


_CONVERTER = None


def _s2t(text: str) -> str:
    global _CONVERTER
    if _CONVERTER is None:
        import opencc

        _CONVERTER = opencc.OpenCC("s2t")
    return _CONVERTER.convert(text)


def synthesize(n: int, seed: int = 0, seeds=None, *, parse: bool = True, rates: Rates | None = None,
               min_articles: int = 8):
    """N regulations derived from the seeds, and the truth table of where each article comes from.

    Returns ``(regs, truth)``: ``regs`` is a list of parsed :class:`Regulation` (``parse=True``)
    or a list of ``(doc_id, text)`` pairs to parse yourself (``parse=False``). The first
    documents are the seeds themselves (``syn-00000``…, re-rendered; no truth rows), then the
    derived ones. ``truth`` columns: doc_id, article_no, source_doc, source_article, operation,
    parent_doc. ``truth.attrs["parse_mismatches"]`` lists documents whose parsed article count
    differs from the generated one (their truth rows are dropped).
    """
    if n < 1:
        raise ArgumentError("n must be at least 1")
    rates = rates or Rates()
    rng = random.Random(seed)
    seed_regs = load_seeds(seeds, min_articles)
    pinyin = _pinyin_table(seed_regs)
    roots = [_seed_doc(r, f"syn-{k:05d}") for k, r in enumerate(seed_regs)][:n]
    places = sorted((d for d in divisions() if d.level in _SELF), key=lambda d: d.adcode)
    deriver = _Deriver(rng, rates, roots)
    docs = list(roots)
    tiers = {}
    while len(docs) < n:
        parent = docs[rng.randrange(len(docs))]
        jur = places[rng.randrange(len(places))]
        tier = tiers.setdefault(jur.name, rng.choice(COUNTY_TIERS))
        docs.append(deriver.derive(parent, f"syn-{len(docs):05d}", jur, tier))
    texts = [(d.doc_id, _render(d, rng, rates, pinyin)) for d in docs]
    truth = _truth(docs)
    if not parse:
        return texts, truth
    regs = [parse_one(doc_id, text) for doc_id, text in texts]
    return regs, check_truth(regs, truth)


def parse_one(doc_id: str, text: str) -> Regulation:
    """Parse one synthetic text (as the benchmark does in worker processes)."""
    from .parse.document import parse_text

    reg = parse_text(text, doc_id=doc_id, source=f"synthetic:{doc_id}")
    reg.doc_id = doc_id
    return reg


def check_truth(regs: Sequence[Regulation], truth: pd.DataFrame) -> pd.DataFrame:
    """Drop the truth rows of documents the parser did not read article for article.

    A derived document has one truth row or more for each of its articles 1…K, so K is its
    expected count; a source document must have every article the truth points to.
    """
    expected = truth.groupby("doc_id")["article_no"].max().to_dict()
    referenced = truth.groupby("source_doc")["source_article"].max().to_dict()
    bad = sorted(r.doc_id for r in regs
                 if len(r.articles) != expected.get(r.doc_id, len(r.articles))
                 or len(r.articles) < referenced.get(r.doc_id, 0))
    if bad:
        truth = truth[~truth["doc_id"].isin(bad) & ~truth["source_doc"].isin(bad)].reset_index(drop=True)
    truth.attrs["parse_mismatches"] = bad
    return truth


def _truth(docs: Sequence[_Doc]) -> pd.DataFrame:
    rows = []
    for d in docs:
        if d.parent is None:
            continue
        for k, a in enumerate(d.articles(), start=1):
            for src_doc, src_art, op in a.origin:
                rows.append((d.doc_id, k, src_doc, src_art, op, d.parent))
    return pd.DataFrame(rows, columns=TRUTH_COLUMNS)


__all__ = ["TRUTH_COLUMNS", "Rates", "check_truth", "load_seeds", "parse_one", "synthesize"]
