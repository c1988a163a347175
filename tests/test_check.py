"""The corpus health report (pc.check, `pingan check`) and loading a folder tree (load_corpus recursive/match)."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
import pytest

import pingan_corpus as pc
from pingan_corpus import health as check_mod
from pingan_corpus.cli import main

SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def regulation(title: str | None, numbers=(1, 2, 3), date: bool = True) -> str:
    labels = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六"}
    lines = [title] if title else []
    if date:
        lines.append("（2023年5月10日某市第十六届人民代表大会常务委员会第十次会议通过）")
    for n in numbers:
        body = "本条例自2024年1月1日起施行。" if n == numbers[-1] else f"为了规范第{labels[n]}项管理工作，制定本条。"
        lines.append(f"第{labels[n]}条 {body}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def folder(tmp_path):
    """A clean regulation, one with a numbering gap, an unreadable binary .txt, and a manifest."""
    d = tmp_path / "folder"
    d.mkdir()
    (d / "a_clean.txt").write_text(regulation("某市平安建设条例"), encoding="utf-8")
    (d / "b_gap.txt").write_text(regulation("某市社会治理条例", numbers=(1, 2, 4)), encoding="utf-8")
    (d / "c_blob.txt").write_bytes(bytes(range(256)) * 20)
    (d / "manifest.csv").write_text("file,title,n_articles,n_chapters,notes\n"
                                    "a_clean.txt,某市平安建设条例,3,0,fine\n"
                                    "b_gap.txt,某市社会治理条例,4,,the source lost 第三条\n", encoding="utf-8")
    return d


def test_rows_anomalies_and_summary(folder):
    report = pc.check(folder)
    f = report.frame
    assert list(f["file"]) == ["a_clean.txt", "b_gap.txt", "c_blob.txt"]
    clean, gap, blob = (f.iloc[i] for i in range(3))

    assert clean["ok"] and clean["anomalies"] == [] and clean["error"] is None
    assert (clean["format"], clean["encoding"], clean["articles"], clean["chapters"], clean["sections"]) == \
        ("txt", "utf-8", 3, 0, 0)
    assert (clean["first_article"], clean["last_article"], clean["position"]) == (1, 3, 1)
    assert clean["title"] == "某市平安建设条例" and "title" in clean["found"] and "approved" in clean["missing"]

    assert not gap["ok"] and gap["gaps"] == 1 and gap["duplicates"] == 0 and gap["out_of_order"] == 0
    assert gap["warning_kinds"].get("numbering_gap") == 1
    assert any(a.startswith("numbering_gap:") for a in gap["anomalies"])
    assert "manifest says 4 articles, parsed 3" in gap["anomalies"]

    assert not blob["ok"] and blob["articles"] == 0 and blob["format"] is None
    assert "binary data" in blob["error"] and blob["anomalies"] == [blob["error"]]
    assert "\n" not in blob["error"] and "Traceback" not in blob["error"]

    assert report.summary == "3 documents in 3 files: 1 ok, 2 with anomalies (1 unreadable); formats txt 2"
    assert list(report.anomalies["file"]) == ["b_gap.txt", "c_blob.txt"]
    assert not report.ok and report.problems == []
    text = str(report)
    assert text.splitlines()[-1] == report.summary and "a_clean.txt" in text and "3/0/0" in text
    assert "<table>" in report._repr_html_() and "b_gap.txt" in report._repr_html_()


def test_missing_dates_and_informational_warnings_are_not_anomalies(tmp_path):
    reg = pc.parse_text(regulation("某市志愿服务条例", date=False))
    reg.warnings.append(pc.ParseWarning("empty_list", "第二条 announces a list but no items follow", 2))
    reg.warnings.append(pc.ParseWarning("format", "read as md"))
    reg.warnings.append(pc.ParseWarning("some_future_code", "something the parser will say one day"))
    row = pc.check(reg).frame.iloc[0]
    assert row["ok"], row["anomalies"]
    assert "adopted" in row["missing"] and "adopted" not in row["found"]
    kinds = row["warning_kinds"]
    assert (kinds["empty_list"], kinds["format"], kinds["some_future_code"]) == (1, 1, 1)
    assert row["warnings"] == sum(kinds.values()) >= 3


@pytest.mark.parametrize("code", sorted(check_mod.ANOMALY_KINDS))
def test_structural_warnings_are_anomalies(code):
    reg = pc.parse_text(regulation("某市平安建设条例"))
    reg.warnings.append(pc.ParseWarning(code, "something is doubtful"))
    reg.warnings.append(pc.ParseWarning(code, "twice"))
    row = pc.check(reg).frame.iloc[0]
    assert row["anomalies"] == [f"{code}: something is doubtful (+1 more)"]


def test_no_title_is_an_anomaly_and_numbering_is_counted_from_the_numbers():
    reg = pc.parse_text(regulation(None))
    assert pc.check([reg]).frame.iloc[0]["anomalies"] == ["no title"]
    reg = pc.parse_text(regulation("某市平安建设条例", numbers=(1, 2, 4)))
    reg.warnings = []  # even when the parser said nothing
    row = pc.check(reg).frame.iloc[0]
    assert row["gaps"] == 1 and row["anomalies"] == ["numbering_gap: 1 gap in the article numbers"]


def test_check_a_corpus_a_file_and_bad_arguments(folder):
    corpus = pc.load_corpus(folder)
    report = pc.check(corpus)
    assert len(report.frame) == 3  # the skipped file is a row too
    assert report.frame.iloc[-1]["file"] == "c_blob.txt" and "binary data" in report.frame.iloc[-1]["error"]
    one = pc.check(folder / "b_gap.txt")  # a single file, compared with its folder's manifest
    assert len(one.frame) == 1 and "manifest says 4 articles, parsed 3" in one.frame.iloc[0]["anomalies"]
    with pytest.raises(pc.PinganError, match="no such file or folder"):
        pc.check(folder / "nowhere")
    with pytest.raises(TypeError):
        pc.check(42)


def test_a_crash_inside_the_parser_is_a_row_not_a_traceback(folder, monkeypatch):
    real = check_mod.parse_file

    def flaky(path):
        if Path(path).name == "a_clean.txt":
            raise RuntimeError("boom")
        return real(path)

    monkeypatch.setattr(check_mod, "parse_file", flaky)
    report = pc.check(folder)
    assert report.frame.iloc[0]["error"].startswith("internal error (RuntimeError): boom")
    assert len(report.frame) == 3


def test_manifest_problems_are_reported_not_raised(tmp_path):
    (tmp_path / "a.txt").write_text(regulation("某市平安建设条例"), encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,title,level,n_chapters\na.txt,某市平安建设条例,state,2\n"
                                           "gone.txt,,,\n", encoding="utf-8")
    report = pc.check(tmp_path)
    anomalies = report.frame.iloc[0]["anomalies"]
    assert "manifest says 2 chapters, parsed 0" in anomalies
    assert any("level 'state'" in a for a in anomalies)
    assert report.problems == ["manifest row gone.txt#1 matches no document"]
    assert report.summary.endswith("; 1 folder problem")
    (tmp_path / "manifest.csv").write_text("name\na.txt\n", encoding="utf-8")
    report = pc.check(tmp_path)
    assert report.problems == [f"manifest: {tmp_path / 'manifest.csv'}: missing column(s) file"]


def test_empty_folder_is_a_problem(tmp_path):
    report = pc.check(tmp_path)
    assert len(report.frame) == 0 and not report.ok
    assert report.summary.startswith("0 documents in 0 files: 0 ok")
    assert "no regulation file found" in report.problems[0]


# -- a folder tree laid out like an open law repository -----------------------------------------
@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "Laws"
    bj = root / "DLC" / "北京地方法规" / "地方性法规" / "北京"
    sh = root / "DLC" / "上海地方法规" / "地方性法规" / "上海"
    for d in (bj, sh, root / ".git" / "objects"):
        d.mkdir(parents=True)
    (root / "README.md").write_text("# 中国法律\n\n第一条 本仓库收录法律法规。\n", encoding="utf-8")
    (root / "SUMMARY.md").write_text("* [北京](DLC/北京地方法规)\n", encoding="utf-8")
    (root / "LICENSE").write_text("MIT", encoding="utf-8")
    (root / "DLC" / "README.md").write_text("地方法规\n", encoding="utf-8")
    (root / ".git" / "objects" / "x.md").write_text(regulation("某市条例"), encoding="utf-8")
    (root / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (bj / "北京市信访条例.md").write_text("# " + regulation("北京市信访条例"), encoding="utf-8")
    (bj / "北京市物业管理条例.md").write_text("# " + regulation("北京市物业管理条例"), encoding="utf-8")
    (sh / "北京市物业管理条例.md").write_text("# " + regulation("北京市物业管理条例", numbers=(1, 2)),
                                             encoding="utf-8")  # the same name in another folder
    (sh / "cover.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))
    return root


def test_load_corpus_walks_a_tree(tree):
    corpus = pc.load_corpus(tree, recursive=True)
    assert corpus.doc_ids == ["DLC/上海地方法规/地方性法规/上海/北京市物业管理条例",
                              "DLC/北京地方法规/地方性法规/北京/北京市信访条例",
                              "DLC/北京地方法规/地方性法规/北京/北京市物业管理条例"]
    assert corpus.skipped == [] and corpus.warnings == []
    assert [len(r.articles) for r in corpus] == [2, 3, 3]
    assert pc.load_corpus(tree, recursive=True, match="信访").doc_ids == \
        ["DLC/北京地方法规/地方性法规/北京/北京市信访条例"]
    assert len(pc.load_corpus(tree, recursive=True, match="上海")) == 1
    assert len(pc.load_corpus(tree)) == 0  # not recursive: README.md, SUMMARY.md, LICENSE are no regulations
    again = pc.load_corpus(tree, recursive=True)
    assert again.doc_ids == corpus.doc_ids  # deterministic


def test_check_walks_a_tree(tree):
    report = pc.check(tree)
    assert list(report.frame["file"]) == ["DLC/上海地方法规/地方性法规/上海/北京市物业管理条例.md",
                                          "DLC/北京地方法规/地方性法规/北京/北京市信访条例.md",
                                          "DLC/北京地方法规/地方性法规/北京/北京市物业管理条例.md"]
    assert report.frame["ok"].all() and report.ok
    assert report.summary == "3 documents in 3 files: 3 ok, 0 with anomalies (0 unreadable); formats md 3"
    assert len(pc.check(tree, match="信访").frame) == 1
    assert len(pc.check(tree, recursive=False).frame) == 0


def test_manifest_matches_files_by_relative_path_or_unique_name(tree):
    (tree / "manifest.csv").write_text(
        "file,doc_id,level,n_articles\n"
        "DLC/上海地方法规/地方性法规/上海/北京市物业管理条例.md,sh_wuye,municipality,2\n"
        "北京市信访条例.md,bj_xinfang,municipality,3\n"
        "北京市物业管理条例.md,ambiguous,,9\n", encoding="utf-8")
    corpus = pc.load_corpus(tree, recursive=True)
    assert corpus.doc_ids == ["sh_wuye", "bj_xinfang", "DLC/北京地方法规/地方性法规/北京/北京市物业管理条例"]
    assert corpus.warnings == ["manifest row 北京市物业管理条例.md#1 matches no parsed document"]
    report = pc.check(tree)
    assert list(report.frame["doc_id"][:2]) == ["sh_wuye", "bj_xinfang"] and report.frame["ok"].all()
    assert report.problems == ["manifest row 北京市物业管理条例.md#1 matches no document"]


# -- load_corpus goes on past a bad file ---------------------------------------------------------
def test_load_corpus_skips_bad_files_unless_strict(folder):
    corpus = pc.load_corpus(folder)
    assert corpus.doc_ids == ["a_clean", "b_gap"]
    assert len(corpus.skipped) == 1 and corpus.skipped[0][0] == "c_blob.txt"
    assert "binary data" in corpus.skipped[0][1]
    assert any(w.startswith("skipped c_blob.txt: ") for w in corpus.warnings)
    assert not any("matches no parsed document" in w for w in corpus.warnings)
    with pytest.raises(pc.EncodingError, match="binary data"):
        pc.load_corpus(folder, strict=True)


def test_manifest_without_position_extra_columns_and_every_level(tmp_path):
    levels = ["province", "autonomous_region", "municipality", "city", "autonomous_prefecture", "county"]
    rows = ["file,title,level,adopted,effective,topic,n_articles,notes"]
    for i, level in enumerate(levels):
        (tmp_path / f"r{i}.md").write_text(regulation("某地平安条例"), encoding="utf-8")
        rows.append(f"r{i}.md,某地条例{i},{level},2020-01-0{i + 1},on promulgation,safety,3,free text")
    (tmp_path / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    corpus = pc.load_corpus(tmp_path)
    assert [r.level for r in corpus] == levels
    assert corpus["r2"].title == "某地条例2" and corpus["r2"].adopted.isoformat() == "2020-01-03"
    assert corpus.warnings == []


# -- the command line ----------------------------------------------------------------------------
def test_cli_table_and_strict(folder, capsys):
    assert main(["check", str(folder)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "3 documents in 3 files: 1 ok, 2 with anomalies (1 unreadable); formats txt 2"
    assert out[1].startswith("a_clean.txt") and out[1].endswith("ok") and "3/0/0" in out[1]
    assert "manifest says 4 articles, parsed 3" in out[2] and "binary data" in out[3]
    assert main(["check", str(folder), "--strict"]) == 1
    assert main(["check", str(folder), "--strict", "--match", "a_clean"]) == 0
    capsys.readouterr()


def test_cli_csv_and_json(folder, tmp_path, capsys):
    out = tmp_path / "check.csv"
    assert main(["check", str(folder), "--format", "csv", "-o", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed == [f"wrote {out}", "3 documents in 3 files: 1 ok, 2 with anomalies (1 unreadable); formats txt 2"]
    df = pd.read_csv(out)
    assert list(df["file"]) == ["a_clean.txt", "b_gap.txt", "c_blob.txt"]
    assert list(df["ok"]) == [True, False, False] and list(df["articles"]) == [3, 3, 0]
    assert "manifest says 4 articles, parsed 3" in df.loc[1, "anomalies"]

    assert main(["check", str(folder), "--format", "json"]) == 0
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["file"] for r in rows] == ["a_clean.txt", "b_gap.txt", "c_blob.txt"]
    assert rows[0]["adopted"] == "2023-05-10" and rows[1]["warning_kinds"]["numbering_gap"] == 1
    assert rows[2]["error"] and rows[2]["articles"] == 0 and rows[0]["first_article"] == 1
    assert "3 documents" in captured.err  # the summary goes to stderr when the data goes to stdout


def test_cli_tree_options_and_errors(tree, capsys):
    assert main(["check", str(tree), "--no-recursive", "--strict"]) == 1  # no regulation file at the top
    assert "no regulation file found" in capsys.readouterr().out
    assert main(["check", str(tree), "--match", "信访", "--strict"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("1 document in 1 file: 1 ok")
    assert main(["check", str(tree / "nowhere")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("pingan: error:") and "no such file or folder" in err


def test_cli_parse_of_a_folder_with_a_bad_file_goes_on(folder, capsys):
    assert main(["parse", str(folder)]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip().splitlines()[-1] == "2 documents, 6 articles"
    assert "pingan: warning: skipped c_blob.txt:" in captured.err


# -- the development corpus of real regulations ---------------------------------------------------
@pytest.mark.skipif(not (SHARED_CORPUS / "manifest.csv").exists(),
                    reason=f"the development corpus is not there ({SHARED_CORPUS}); it lives outside the repo")
def test_shared_corpus(capsys):
    t = time.perf_counter()
    report = pc.check(SHARED_CORPUS)
    elapsed = time.perf_counter() - t
    assert len(report.frame) == 73 and report.n_files == 73
    assert report.frame["error"].isna().all()
    with capsys.disabled():
        print(f"\npingan check {SHARED_CORPUS}: {report.summary} ({elapsed:.1f} s)")
        for r in report.anomalies.itertuples():
            print(f"  {r.file}: {'; '.join(r.anomalies)}")
    # the done-when of the real-corpora issue: every file parses exactly as its manifest says
    assert report.summary == "73 documents in 73 files: 73 ok, 0 with anomalies (0 unreadable); formats md 73"
    assert (report.frame["format"] == "md").all() and report.frame["ok"].all()
    corpus = pc.load_corpus(SHARED_CORPUS)
    assert len(corpus) == 73 and corpus.skipped == []
    manifest = pc.corpus.read_manifest(SHARED_CORPUS / "manifest.csv")
    assert "position" in manifest.columns and (manifest["position"] == 1).all()
