"""Duties and mandates on real law the library was not built on, against gold read by annotators.

``tests/gold/real_duties*.csv`` and ``real_queries.csv`` were annotated on ../shared/corpus (rules:
``tests/gold/DUTIES.md`` and the notes ``real_duties.md``, ``real_queries.md``); the extraction and
the query were tuned on them. ``tests/gold/aside/`` holds the parts kept aside, each measured
once when it was written and reported apart; a set whose misses were later read is marked "now
tuned" and a newer one replaces it (duties: ``real_duties_8``, ``seed_duties_4`` and ``seed_duties_7``;
queries: ``real_queries_4``).
The figures asserted are the ones measured (floors); the held-out figures are the ones to quote.

Actor names: a gold name and a predicted name are the same actor when the lexicon says so (the gold
``发展和改革部门`` is the lexicon's ``发展改革部门``).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest
from realcorpus import corpus_dir

import pingan_corpus as pc
from pingan_corpus.duties.extract import without_rights
from pingan_corpus.duties.lexicon import lexicon
from pingan_corpus.duties.query import mandate_duties

GOLD = Path(__file__).parent / "gold"
BUNDLED = Path(__file__).parents[1] / "data" / "raw"


@lru_cache(maxsize=1)
def _regs() -> tuple:
    return tuple(pc.load_corpus(corpus_dir())) + tuple(pc.load_corpus(BUNDLED))


@lru_cache(maxsize=1)
def _duties() -> pd.DataFrame:
    return mandate_duties(list(_regs()))


def duty_scores(folder: Path, part: str = "", stem: str = "real_duties",
                arts: pd.DataFrame | None = None) -> tuple[float, float, float]:
    """Bearer (article, actor, modality) scores on ``{stem}{part}.csv`` of ``folder`` (its articles:
    ``{stem}_articles{part}.csv``, or ``arts`` when already read)."""
    arts = pd.read_csv(folder / f"{stem}_articles{part}.csv") if arts is None else arts
    gold = pd.read_csv(folder / f"{stem}{part}.csv")
    keys = set(zip(arts["doc_id"], arts["article_no"]))
    pred = without_rights(_duties())  # (rights are no duties: the gold has none)
    pred = pred[pred["actor"].notna()]
    pred = pred[[k in keys for k in zip(pred["doc_id"], pred["article_no"])]]
    entries = lexicon().entries
    gold = gold.assign(actor=[entries[a][0] if a in entries else a for a in gold["actor"]])
    g = gold[gold["role"] == "bearer"]
    p = pred[pred["role"] == "bearer"]
    G = set(zip(g["doc_id"], g["article_no"], g["actor"], g["modality"]))
    P = set(zip(p["doc_id"], p["article_no"], p["actor"], p["modality"]))
    precision, recall = len(G & P) / len(P), len(G & P) / len(G)
    return precision, recall, 2 * precision * recall / (precision + recall)


def measured(label: str, folder: Path, part: str = "", stem: str = "real_duties", *, articles: int = 0,
             docs: int = 0) -> tuple[float, float, float]:
    """:func:`duty_scores`, printed, after checking the set holds at least ``articles`` articles of
    ``docs`` regulations."""
    arts = pd.read_csv(folder / f"{stem}_articles{part}.csv")
    assert len(arts) >= articles and arts["doc_id"].nunique() >= docs
    precision, recall, f1 = duty_scores(folder, part, stem, arts)
    print(f"duties, {label}: P {precision:.3f} R {recall:.3f} F1 {f1:.3f}")
    return precision, recall, f1


def query_scores(path: Path) -> tuple[float, float]:
    """Macro precision and recall over the queries (article level, every modality)."""
    gold = pd.read_csv(path)
    ps, rs = [], []
    for query, grp in gold.groupby("query"):
        G = set(zip(grp["doc_id"], grp["article_no"]))
        res = pc.mandates(list(_regs()), query, modality=None, duties=_duties())
        P = set(zip(res["doc_id"], res["article_no"]))
        ps.append(len(G & P) / len(P) if P else 0.0)
        rs.append(len(G & P) / len(G))
    return sum(ps) / len(ps), sum(rs) / len(rs)


@pytest.mark.slow
def test_duties_on_real_law_tuned_part():
    precision, recall, f1 = measured("real law, tuned part", GOLD, articles=50, docs=6)
    # 2026-12-03 (older and other wordings, issue 16): P 0.951 R 0.922 F1 0.936 (was 0.936 / 0.874 / 0.904)
    # 2026-12-05 (bare 单位, trade associations, 网络 among the media, 有关国家机关, a body's 办事机构 alone …):
    # P 0.952 R 0.940 F1 0.946 (was 0.951 / 0.934 / 0.943)
    assert f1 >= 0.945 and precision >= 0.95 and recall >= 0.94


@pytest.mark.slow
def test_duties_on_real_law_second_set():
    """A second set (tests/gold/real_duties_2.md), annotated 2026-12-03: a 1990s public-order text and
    a 1995 land-dispute text. Not looked at by the day's first round of changes (P 0.815 R 0.537
    before and after it); the second round worked on it (unknown bureaus 市公安局, 任何一方 as a party,
    X是…主管部门): P 0.857 R 0.585 F1 0.696; P 0.906 R 0.707 F1 0.795 after the fifth session of that day
    (特种行业的单位 → 特种行业单位, 有下列情形之一的人员，不得… → 公民, commas inside parentheses).
    2026-12-05: P 1.000 R 0.707 F1 0.829 (…的单位 after a 的-clause is no 有关单位)."""
    precision, recall, f1 = measured("second real set (tuned on)", GOLD, "_2")
    assert f1 >= 0.825 and precision >= 0.98 and recall >= 0.705  # (P 1.000 measured; one false row allowed)


@pytest.mark.slow
def test_mandates_on_real_law_tuned_part():
    gold = pd.read_csv(GOLD / "real_queries.csv")
    assert gold["query"].nunique() >= 8
    precision, recall = query_scores(GOLD / "real_queries.csv")
    print(f"real mandates (tuned on): macro P {precision:.3f} R {recall:.3f}")
    # 2026-12-03: macro P 0.884 R 0.847 (was 0.883 / 0.842); 0.880 / 0.846 after that day's fourth
    # session's bearer rules (mandates read the duties); 0.880 / 0.848 after the fifth session's (rights
    # as permissions, 本市建立… as a mandate nobody bears); 0.898 / 0.862 on 2026-12-05 before, 0.899 / 0.875
    # after a rule an article states with no one named (法律援助的范围包括…) counts as a mandate nobody bears
    assert precision >= 0.895 and recall >= 0.87


@pytest.mark.slow
def test_duties_on_real_law_first_aside_set_now_tuned():
    # kept aside until 2026-12-03: measured once, 2026-12-02, P 0.843 R 0.736 F1 0.786. Its misses were
    # read on 2026-12-03 (fourth session) and general rules came of them (公民、法人或者其他组织 and
    # 机关、团体、企业、事业等单位及个人 as everyone, 事业等单位 → 事业单位, 居住地/事发地 as where-words,
    # …是X的共同责任, a kind of a known body is that body): P 0.921 R 0.830 F1 0.873 after, and
    # P 0.927 R 0.840 F1 0.881 after the rules the third set gave, P 0.929 R 0.858 F1 0.892 after the
    # fifth session's. P 0.949 R 0.877 F1 0.912 on 2026-12-05 (bare 单位 as every unit, 消防协会, 国防科技).
    # aside/real_duties_5.csv and seed_duties_4.csv replace it as the held-out measures.
    # 2026-12-05 (second round: 消防控制室的值班人员 as an item's own subject, 相关部门方可…): P 0.955 R 0.892 F1 0.922
    precision, recall, f1 = measured("first aside set (now tuned on)", GOLD / "aside", articles=50, docs=6)
    assert f1 >= 0.92 and precision >= 0.95 and recall >= 0.89


@pytest.mark.slow
def test_duties_on_real_law_second_aside_set_now_tuned():
    # annotated 2026-12-03 (反恐怖主义 and 商事调解), kept aside: P 0.826 R 0.731 F1 0.776. Its misses
    # were read the same day (a kind-of rule first mapped 商事调解组织 to 人民调解委员会 through the loose
    # alias 调解组织; only canonical names stand for a kind now): unchanged after; P 0.830 R 0.750
    # F1 0.788 once (监督)管理部门 after a known stem read as that stem's department. P 0.755 R 0.769
    # F1 0.762 since 管理人/经营人 are read as persons (fifth session): 船舶所有人、经营人、管理人 gives three
    # bearers, as lists do (DUTIES.md), where this set's annotator wrote one actor 船舶所有人经营人管理人.
    # 2026-12-05: P 0.786 R 0.846 F1 0.815 (商事调解行业组织 → 社会组织, 办事机构 alone → the body's office).
    precision, recall, f1 = measured("second aside set (now tuned on)", GOLD / "aside", "_2")
    assert f1 >= 0.81 and precision >= 0.785 and recall >= 0.845


@pytest.mark.slow
def test_duties_on_real_law_third_set_now_tuned():
    """Six regulations of 1999–2023 (司法鉴定, 法律援助, 安全生产, 突发事件, 公共卫生, 社会信用), 72
    articles annotated 2026-12-03 by reading (aside/real_duties_3.md), kept aside at first: the code
    of that session's start gave P 0.821 R 0.635 F1 0.716, its first rules P 0.838 R 0.642 F1 0.727.
    Then its misses were read and rules came of them (long department lists, 下列人员应当…：items,
    等依法…负有…职责的部门, 机关、企事业单位): P 0.870 R 0.832 F1 0.851, then P 0.902 R 0.876 F1 0.889
    (department names of the 2018 reform, …是…的责任主体). aside/real_duties_5.csv replaces it as the
    held-out measure. P 0.924 R 0.891 F1 0.907 after the fifth session's rules; P 0.939 R 0.905 F1 0.922
    on 2026-12-05 (网络 among the media, 受法律保护，不受…干预 as a status); P 0.940 R 0.912 F1 0.926 after
    that day's second round (社会各方 as everyone)."""
    precision, recall, f1 = measured("third set (now tuned on)", GOLD / "aside", "_3", articles=50, docs=6)
    assert f1 >= 0.925 and precision >= 0.935 and recall >= 0.91


@pytest.mark.slow
def test_duties_on_real_law_fifth_set_now_tuned():
    """Six more regulations of 2004–2024 (消防, 安全生产, 物业管理, 见义勇为, 未成年人保护, 法律援助), 72
    articles annotated 2026-12-03 by reading (aside/real_duties_5.md). Kept aside for one session: the
    code of that session's start gave P 0.769 R 0.595 F1 0.671, at its end P 0.811 R 0.671 F1 0.734
    (measured twice). Its misses were read on 2026-12-03 (fifth session) and rules came of them;
    aside/real_duties_6.csv replaces it as the held-out measure."""
    precision, recall, f1 = measured("fifth set (now tuned on)", GOLD / "aside", "_5", articles=50, docs=6)
    # 2026-12-03 (fifth session), after its misses were read: P 0.883 R 0.827 F1 0.854
    # 2026-12-05: P 0.944 R 0.879 F1 0.910 (bare 单位, 律师协会, 业主大会会议, 其他知情人); P 0.945 R 0.902
    # F1 0.923 after that day's second round (由侵权人承担, 由业主代表转交, 政府、社会、学校和家庭)
    assert f1 >= 0.92 and precision >= 0.945 and recall >= 0.9


@pytest.mark.slow
def test_duties_on_real_law_sixth_set_now_tuned():
    """Six regulations of 2004–2023 (信访 2006, 未成年人保护 2004, 物业管理 2021, 村民委员会组织法实施办法,
    社会信用 2017, 文明行为 2023), 72 articles from the body of each text (odd articles 11–33),
    annotated 2026-12-03 by reading (aside/real_duties_6.md). Kept aside for one session: P 0.752 R 0.701
    F1 0.726 at its start, P 0.772 R 0.744 F1 0.758 at its end. Its misses were read on 2026-12-03
    (sixth session): a document as subject (村民自治章程…不得) names no bearer unless its maker is named,
    X由…组成 is no duty, a 除…外 clause is excepted, 不再受理 forbids, a list may close with 等, a body named
    by what it does (为…提供…的教育培训机构), traders and parties (经营者, 代理人, 辩护人): P 0.834 R 0.799
    F1 0.816. aside/real_duties_8.csv replaces it as the held-out measure. 2026-12-05 (有关国家机关 →
    国家机关, 公共信用信息服务中心 → 公共信用机构, 业主大会会议, 其他人员): P 0.878 R 0.835 F1 0.856; P 0.885
    R 0.848 F1 0.866 after that day's second round (村民委员会成员 after 由, 鼓励X与Y合作, 业主应当履行的义务);
    P 0.891 R 0.848 F1 0.869 after the ninth set's rules (2026-12-05)."""
    precision, recall, f1 = measured("sixth set (now tuned on)", GOLD / "aside", "_6", articles=70, docs=6)
    assert f1 >= 0.867 and precision >= 0.889 and recall >= 0.845  # measured 2026-12-05: P 0.891 R 0.848 F1 0.869


@pytest.mark.slow
def test_duties_on_real_law_ninth_set_now_tuned():
    """Six regulations of 2010–2022 not in any other duty set (安全生产 2010, 法律援助 2015, 村民委员会 2012,
    物业管理 2022, 志愿服务 2022, 文明行为 2018), the even articles 6–24 of each (60), annotated 2026-12-05 by
    reading, before the duty code was read (aside/real_duties_9.md). Unseen figure, measured once on 2026-12-05:
    P 0.840 R 0.750 F1 0.792. Its misses were then read (2026-12-05): composition quotas (…应当占…组成人员的…以上,
    其中应当有…的代表) bind no one, 不予…的决定 is a noun, a 的-phrase set apart before a clause with its own subject
    is its topic, a known body narrowed by its field before 履行/负责/承担 (物业管理行业协会履行下列职责), and the
    names 乡、民族乡、镇人民政府, 执业律师, 安全生产管理人员, 网格化服务管理主管部门: P 0.927 R 0.795 F1 0.856 (now tuned on);
    then 首次 before a known name and a head shared by a list of bodies (各级人民政府及有关部门主要负责人): P 0.947
    R 0.804 F1 0.870."""
    precision, recall, f1 = measured("ninth set (now tuned on)", GOLD / "aside", "_9", articles=60, docs=6)
    assert f1 >= 0.865 and precision >= 0.94 and recall >= 0.80  # measured 2026-12-05: P 0.947 R 0.804 F1 0.870


@pytest.mark.slow
def test_duties_on_two_pingan_drafts_kept_aside():
    """The 平安建设 drafts of 新疆 and 长沙 in the bundled corpus (39 articles, none annotated before;
    aside/seed_duties_4.md, 2026-12-03), kept aside: the code of that session's start gave P 0.907
    R 0.867 F1 0.886; after its rules, P 0.908 R 0.878 F1 0.893 (measured three times, after each later
    batch of rules: unchanged); after the next session's (kept aside still; its predicted rows showed in
    corpus-wide diffs, its gold rows were never read): P 0.910 R 0.900 F1 0.905."""
    precision, recall, f1 = measured("two 平安建设 drafts (kept aside)", GOLD / "aside", "_4", stem="seed_duties",
                                       articles=35, docs=2)
    assert f1 >= 0.90 and precision >= 0.90 and recall >= 0.89


@pytest.mark.slow
def test_duties_on_a_pingan_regulation_kept_aside():
    """37 articles of the 西藏 平安建设条例 2022 in the bundled corpus (the even ones, 4–76; only 3 of its
    77 articles were in the seed gold), annotated 2026-12-03 by reading (aside/seed_duties_7.md), kept
    aside: P 0.924 R 0.871 F1 0.897 with the code of that session's start and at its end (its predicted
    rows showed in corpus-wide diffs during the session; its gold rows were never read). After the
    next session's rules (kept aside still, its rows not read): P 0.912 R 0.886 F1 0.899."""
    precision, recall, f1 = measured("西藏 平安建设 (kept aside)", GOLD / "aside", "_7", stem="seed_duties",
                                       articles=35, docs=1)
    assert f1 >= 0.89 and precision >= 0.91 and recall >= 0.88


@pytest.mark.slow
def test_duties_on_real_law_eighth_set_kept_aside():
    """Six regulations of 2009–2024 (安全生产 2019, 司法鉴定 2009, 建设工程消防 2013, 村委会组织法实施办法
    2011, 物业管理 2024, 志愿服务 2021), 70 body articles (even articles from 12), annotated 2026-12-03 by
    reading (aside/real_duties_8.md), kept aside — its rows are not read by the one who changes the code:
    P 0.750 R 0.675 F1 0.711 with the code of that session's start, P 0.759 R 0.683 F1 0.719 at its end
    (measured three times over the session)."""
    precision, recall, f1 = measured("eighth set (kept aside)", GOLD / "aside", "_8", articles=65, docs=6)
    assert f1 >= 0.71 and precision >= 0.75 and recall >= 0.68


@pytest.mark.slow
def test_mandates_on_real_law_fourth_query_set_kept_aside():
    """Eight queries (aside/real_queries_4.md, 375 answers over the 89 documents), annotated 2026-12-03 by
    reading, kept aside: their misses are not read. The developer chose these queries for the annotator,
    so knew their names while working (no vocabulary was added for them). Macro P 0.919 R 0.517 with the
    code of that session's start, P 0.932 R 0.513 at its end; P 0.937 R 0.595 on 2026-12-04 evening, after
    the term table was extended by reading the real corpus (not these queries) — measured once; P 0.939
    R 0.626 on 2026-12-05 after the sixth query set's rules and terms were merged (measured once)."""
    gold = pd.read_csv(GOLD / "aside" / "real_queries_4.csv")
    assert gold["query"].nunique() == 8
    precision, recall = query_scores(GOLD / "aside" / "real_queries_4.csv")
    print(f"real mandates (fourth query set, kept aside): macro P {precision:.3f} R {recall:.3f}")
    assert precision >= 0.93 and recall >= 0.62


@pytest.mark.slow
def test_mandates_on_real_law_fifth_query_set_blind():
    """Eight queries chosen by the annotator and never told to the developer (aside/real_queries_5.md
    names them: not to be opened by whoever changes the code), 160 answers over the 89 documents,
    annotated 2026-12-03 by reading. Macro P 0.812 R 0.508 with the code of that session's start,
    P 0.824 R 0.519 at its end; P 0.951 R 0.627 on 2026-12-04 evening (the term table read off the real
    corpus; measured once). Only the macro figures are printed."""
    gold = pd.read_csv(GOLD / "aside" / "real_queries_5.csv")
    assert gold["query"].nunique() == 8
    precision, recall = query_scores(GOLD / "aside" / "real_queries_5.csv")
    print(f"real mandates (fifth query set, blind): macro P {precision:.3f} R {recall:.3f}")
    assert precision >= 0.94 and recall >= 0.62


@pytest.mark.slow
def test_mandates_on_real_law_first_aside_set_now_tuned():
    # kept aside until 2026-12-03 (macro P 0.934 R 0.324: the queries are written in other words far
    # more than the term table knew); then worked on — terms of the field added to data/terms.csv
    # (内部治安保卫 ~ 治安保卫/安全保卫, 失信惩戒 ~ 联合惩戒, 恐怖袭击 ~ 恐怖活动 …): P 0.866 R 0.403.
    # A new aside set, aside/real_queries_2.csv, replaces it as the held-out measure.
    # 2026-12-05: P 0.866 R 0.403 before, P 0.870 R 0.526 after 诉调对接 ~ 诉讼与非诉讼(相)衔接 and
    # 内部治安保卫 ~ 内部保卫/内部安全防范 in the term table and declared rules counted as mandates.
    precision, recall = query_scores(GOLD / "aside" / "real_queries.csv")
    print(f"real mandates (first aside set, now tuned on): macro P {precision:.3f} R {recall:.3f}")
    assert precision >= 0.87 and recall >= 0.525


@pytest.mark.slow
def test_mandates_on_real_law_second_aside_set_now_tuned():
    """Eight queries (aside/real_queries_2.md, annotated 2026-12-03 by reading, most answers written
    in other words than the query). Kept aside for one session: macro P 0.873 R 0.484. Its misses were
    read on 2026-12-03 (fifth session): era names and other wordings of the field in data/terms.csv
    (社区服刑人员, 刑释解教人员, 打黑除恶, 心理干预 …), the regulation's own 本市建立… as a mandate
    nobody bears, a term holding an actor's name read whole (家庭暴力, not the actor 家庭): macro P 0.863
    R 0.651. 2026-12-05: P 0.861 R 0.663 before, P 0.875 R 0.663 after two members of one list
    (奖励惩戒、投诉举报等机制) stopped making one query (举报奖励)."""
    gold = pd.read_csv(GOLD / "aside" / "real_queries_2.csv")
    assert gold["query"].nunique() == 8
    precision, recall = query_scores(GOLD / "aside" / "real_queries_2.csv")
    print(f"real mandates (second aside set, now tuned on): macro P {precision:.3f} R {recall:.3f}")
    assert precision >= 0.875 and recall >= 0.655  # 0.658 with both 2026-12-05 rule sets merged


@pytest.mark.slow
def test_mandates_on_real_law_third_aside_set_now_tuned():
    """Eight queries (aside/real_queries_3.md, annotated 2026-12-03 by reading over the 89 documents,
    270 rows; four answered mostly in other words). Kept aside for one session: macro P 0.788 R 0.372.
    Its misses were read on 2026-12-03 (sixth session): a compound cut into the words of the field
    (不文明 + 劝阻, 消防安全 + 检查), the regulation's topic supplying part of a compound (网络 in a
    未成年人保护条例), verbs of the field (编制 ~ 制定, 检查 ~ 巡查, 劝阻 ~ 劝导), a ban on a place
    (物业服务区域内禁止…) as a mandate nobody bears, a paragraph on 前款规定行为 read with the one
    before, liability provisions whatever their first consequence: macro P 0.922 R 0.789.
    aside/real_queries_4.csv replaces it as the held-out measure. 2026-12-05: P 0.941 R 0.786 before,
    P 0.945 R 0.805 after declared rules (失信惩戒措施实行清单管理制度) counted as mandates nobody bears
    and list members kept apart."""
    gold = pd.read_csv(GOLD / "aside" / "real_queries_3.csv")
    assert gold["query"].nunique() == 8
    precision, recall = query_scores(GOLD / "aside" / "real_queries_3.csv")
    print(f"real mandates (third aside set, now tuned on): macro P {precision:.3f} R {recall:.3f}")
    assert precision >= 0.945 and recall >= 0.80


@pytest.mark.slow
def test_mandates_on_real_law_sixth_query_set():
    """Eight queries (aside/real_queries_6.md, annotated 2026-12-05 by reading over the 89 documents,
    362 rows; narrow 责任保险, 值班值守, 应急物资储备, 政府购买服务; broad 经费保障, 法治宣传教育,
    个人信息保护, 投诉处理; most answers written in other words). Measured once before its misses were read (the unseen
    figure): macro P 0.720 R 0.522. Its misses were then read (2026-12-05): a query of two words
    that stand for one another (值班值守), a frame word that opens a compound qualifying its head
    (责任保险 is no bare 保险), 处理 as the generic verb of handling (投诉处理 is written 受理投诉、
    有权投诉), terms of the field in data/terms.csv (政府购买服务 ~ 购买服务, 个人信息保护 ⊃ 隐私,
    法治宣传 ~ 宣传法律, 经费保障 ⊃ 财政预算/资金投入): macro P 0.904 R 0.844."""
    gold = pd.read_csv(GOLD / "aside" / "real_queries_6.csv")
    assert gold["query"].nunique() == 8
    precision, recall = query_scores(GOLD / "aside" / "real_queries_6.csv")
    print(f"real mandates (sixth query set): macro P {precision:.3f} R {recall:.3f}")
    assert precision >= 0.89 and recall >= 0.83  # 0.904 / 0.844 measured 2026-12-05 (unseen: 0.720 / 0.522)
