"""The `pingan` command: success on the bundled corpus, one-line errors and exit status 1 on bad input."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # whole module: processes, notebooks or the browser

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pingan_corpus", *args], capture_output=True, text=True, timeout=120)


def test_parse_folder_prints_one_line_per_document():
    r = run("parse", str(RAW))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert lines[-1] == "16 documents, 517 articles"
    hubei = next(lk for lk in lines if lk.startswith("hubei_pingan_2024"))
    assert "湖北省平安建设条例" in hubei and "53 articles" in hubei and "7 chapters" in hubei


def test_parse_file_to_csv(tmp_path):
    out = tmp_path / "a.csv"
    r = run("parse", str(RAW / "xiangtan_pingan_jianshe_tiaoli_2022.txt"), "--format", "csv", "-o", str(out))
    assert r.returncode == 0, r.stderr
    import pandas as pd

    df = pd.read_csv(out)
    assert list(df.columns[:6]) == ["doc_id", "article_no", "heading", "chapter_no", "chapter_title", "text"]
    assert len(df) == 50 and df.article_no.tolist() == list(range(1, 51))


def test_missing_file(tmp_path):
    r = run("parse", str(tmp_path / "nope.txt"))
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1 and "no such file" in r.stderr


def test_binary_file(tmp_path):
    f = tmp_path / "blob.txt"
    f.write_bytes(bytes(range(256)) * 20)
    r = run("parse", str(f))
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1 and "binary data" in r.stderr and "blob.txt" in r.stderr


def test_file_without_a_regulation(tmp_path):
    f = tmp_path / "note.txt"
    f.write_text("这是一段普通的说明文字，没有条文。", encoding="utf-8")
    r = run("parse", str(f))
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1 and "no provision found" in r.stderr and r.stderr.count("note.txt") == 1


def test_help_teaches():
    r = run("--help")
    assert r.returncode == 0 and "pingan parse data/raw" in r.stdout
    assert "pingan check" in r.stdout and "check" in run("check", "--help").stdout


def test_compare_writes_word_excel_and_html(tmp_path):
    comp = RAW / "shequ_pingan_jianshe_zhidu_compilation.txt"
    for suffix in (".docx", ".xlsx", ".html"):
        out = tmp_path / f"diff{suffix}"
        r = run("compare", f"{comp}#3", "xiangtan_pingan_2022", "--corpus", str(RAW), "-o", str(out))
        assert r.returncode == 0, r.stderr
        assert out.stat().st_size > 5000
        assert "删除\tdeleted" in r.stdout and "新增\tadded" in r.stdout


def test_compare_errors_are_one_line():
    comp = RAW / "shequ_pingan_jianshe_zhidu_compilation.txt"
    cases = [
        (("compare", str(comp), "hubei_pingan_2024", "--corpus", str(RAW)), "holds 12 documents: name one as"),
        (("compare", f"{comp}#99", "hubei_pingan_2024", "--corpus", str(RAW)), "no document #99 (the file holds 12)"),
        (("compare", "no_such_doc", "hubei_pingan_2024", "--corpus", str(RAW)), "no such file, nor a doc_id in"),
        (("compare", "hubei_pingan_2024", "ordos_pingan_2024", "--corpus", str(RAW), "-o", "x.pdf"),
         "choose an output ending in .xlsx, .docx or .html"),
    ]
    for args, message in cases:
        r = run(*args)
        assert r.returncode == 1
        assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_csv_cells_cannot_start_a_formula(tmp_path):
    src = tmp_path / "evil.txt"
    src.write_text("某市平安建设条例\n第一条 =HYPERLINK(\"http://x\") 本条例自公布之日起施行。\n", encoding="utf-8")
    out = tmp_path / "a.csv"
    r = run("parse", str(src), "--format", "csv", "-o", str(out))
    assert r.returncode == 0, r.stderr
    import pandas as pd

    text = pd.read_csv(out)["text"].iloc[0]
    assert text.startswith("'=HYPERLINK")


def _bad_inputs(tmp_path):
    blob = tmp_path / "blob.txt"
    blob.write_bytes(bytes(range(256)) * 20)
    note = tmp_path / "note.txt"
    note.write_text("这是一段普通的说明文字，没有条文。", encoding="utf-8")
    return {"missing": (str(tmp_path / "nope.txt"), "no such file"),
            "binary": (str(blob), "binary data"),
            "no regulation": (str(note), "no provision found")}


COMMANDS = {
    "parse": lambda p, out: ("parse", p),
    "compare": lambda p, out: ("compare", p, str(RAW / "xiangtan_pingan_jianshe_tiaoli_2022.txt")),
    "duties": lambda p, out: ("duties", p),
    "mandates": lambda p, out: ("mandates", "校园欺凌", "--corpus", p),
    "report": lambda p, out: ("report", p, "-o", out),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_refuses_bad_input_in_one_line(command, tmp_path):
    for kind, (path, message) in _bad_inputs(tmp_path).items():
        r = run(*COMMANDS[command](path, str(tmp_path / "out")))
        assert r.returncode == 1, (command, kind, r.stderr)
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("pingan: error:"), (command, kind, r.stderr)
        assert message in lines[0], (command, kind, lines[0])


def test_duties_and_mandates_succeed(tmp_path):
    out = tmp_path / "d.csv"
    r = run("duties", str(RAW / "hubei_pingan_jianshe_tiaoli_2024.txt"), "-o", str(out))
    assert r.returncode == 0, r.stderr
    import pandas as pd

    df = pd.read_csv(out)
    assert {"actor", "modality", "action"} <= set(df.columns) and (df["doc_id"] == "hubei_pingan_jianshe_tiaoli_2024").all()
    assert "公安机关" in set(df["actor"])
    r = run("mandates", "寄递实名", "--corpus", str(RAW))
    assert r.returncode == 0, r.stderr
    assert "寄递物流企业" in r.stdout and r.stdout.strip().splitlines()[-1].endswith("documents")
    assert "实名" in r.stdout and "（action，应当）" in r.stdout  # why each provision matched
    r = run("mandates", "志愿服务", "--corpus", str(RAW), "--all-modalities")
    assert "encourage" in r.stdout
