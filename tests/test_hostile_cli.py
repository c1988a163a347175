"""The `pingan` command on careless and hostile input: every error is one line on standard error
(exit status 1; usage errors 2, as argparse), never a traceback; unreadable files in a folder are
skipped and listed at the end (``--strict`` stops at the first); nothing the command writes is
read back as input.

Most cases call ``pingan_corpus.cli.main`` in this process (fast); the ones that could hang or
need a real process (a FIFO, /dev/zero, Ctrl-C) run ``python -m pingan_corpus`` with a timeout.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import pingan_corpus as pc
from pingan_corpus.cli import main

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
REGULATION = ("某市物业管理条例\n（2021年6月30日某市第十五届人民代表大会常务委员会第三十次会议通过）\n"
              "第一条 为了规范物业管理活动，制定本条例。\n第二条 物业服务企业应当依照合同提供服务。\n"
              "第三条 本条例自2022年1月1日起施行。\n")


def run_main(capsys, *args: str) -> tuple[int, list[str], str]:
    """(exit status, the lines of standard error, standard output)."""
    try:
        status = main(list(args))
    except SystemExit as e:  # argparse's usage errors
        status = e.code
    out, err = capsys.readouterr()
    return status, err.strip().splitlines(), out


def one_error_line(lines: list[str], *fragments: str) -> str:
    assert len(lines) == 1, lines
    line = lines[0]
    assert line.startswith("pingan: error:") and "Traceback" not in line, line
    for f in fragments:
        assert f in line, (f, line)
    return line


def folder(tmp_path: Path, n: int = 2) -> Path:
    d = tmp_path / "regs"
    d.mkdir()
    for i in range(n):
        (d / f"reg{i}.txt").write_text(REGULATION.replace("某市", f"第{i}市"), encoding="utf-8")
    return d


# -- usage and manifest errors --------------------------------------------------------------------
@pytest.mark.parametrize("value", ["-5", "0", "ten", "1e9", ""])
def test_max_pairs_must_be_a_positive_whole_number(value, capsys, tmp_path):
    status, err, _ = run_main(capsys, "report", str(RAW), "-o", str(tmp_path / "r"), "--max-pairs", value)
    assert status == 2
    one_error_line(err, "--max-pairs", "whole number of at least 1")
    assert not (tmp_path / "r").exists()


def test_unknown_option_is_one_line(capsys):
    status, err, _ = run_main(capsys, "parse", "--no-such-option", str(RAW))
    assert status == 2
    one_error_line(err, "unrecognized arguments", "--help")


@pytest.mark.parametrize("position, fragment", [
    ("99999999999", "not a document number"),  # would otherwise make a list of 10¹¹ documents
    ("-1", "not a document number"),
    ("1.5", "not a document number"),
])
def test_manifest_position_out_of_range_is_one_line(position, fragment, capsys, tmp_path):
    d = folder(tmp_path, 1)
    (d / "manifest.csv").write_text(f"file,position,doc_id\nreg0.txt,{position},a\n", encoding="utf-8")
    status, err, _ = run_main(capsys, "parse", str(d))
    assert status == 1
    one_error_line(err, "manifest.csv", fragment)


def test_duplicate_doc_ids_are_renamed_and_reported(capsys, tmp_path):
    d = folder(tmp_path, 2)
    (d / "manifest.csv").write_text("file,doc_id\nreg0.txt,same\nreg1.txt,same\n", encoding="utf-8")
    status, err, out = run_main(capsys, "parse", str(d))
    assert status == 0
    ids = [line.split("\t")[0] for line in out.splitlines()[:-1]]
    assert len(ids) == 2 and len(set(ids)) == 2 and "same" in ids
    assert any("duplicate doc_id 'same' renamed" in line for line in err), err


# -- unreadable files in a folder: skipped, listed at the end; --strict stops ------------------------
def test_bad_files_in_a_folder_are_skipped_and_listed_at_the_end(capsys, tmp_path):
    d = folder(tmp_path, 2)
    (d / "blob.txt").write_bytes(bytes(range(256)) * 20)
    (d / "empty.txt").write_bytes(b"")
    status, err, out = run_main(capsys, "parse", str(d))
    assert status == 0
    assert out.splitlines()[-1] == "2 documents, 6 articles"
    assert err[-1] == "pingan: warning: 2 file(s) skipped (--strict stops at the first)"
    skipped = [line for line in err if line.startswith("pingan: warning: skipped ")]
    assert sorted(line.split()[3].rstrip(":") for line in skipped) == ["blob.txt", "empty.txt"]
    assert not any("Traceback" in line for line in err)


def test_strict_stops_at_the_first_bad_file(capsys, tmp_path):
    d = folder(tmp_path, 2)
    (d / "blob.txt").write_bytes(bytes(range(256)) * 20)
    for command in (["parse", str(d)], ["duties", str(d)], ["mandates", "物业", "--corpus", str(d)]):
        status, err, _ = run_main(capsys, *command, "--strict")
        assert status == 1, command
        one_error_line(err, "blob.txt", "binary data")


def test_a_folder_with_nothing_readable_is_an_error(capsys, tmp_path):
    d = tmp_path / "junk"
    d.mkdir()
    (d / "a.txt").write_bytes(b"\x00\x01" * 500)
    status, err, _ = run_main(capsys, "duties", str(d))
    assert status == 1
    assert "no file could be read" in err[0] and "pingan check" in err[0]


def test_undecodable_file_name_gives_a_usable_doc_id(capsys, tmp_path):
    """A file name that is not UTF-8 (an old zip from a GBK machine) reaches Python with lone
    surrogates; the doc_id carries U+FFFD instead and every output can be written."""
    d = folder(tmp_path, 1)
    raw = os.fsencode(str(d)) + b"/\xc9\xe7\xc7\xf8.txt"  # 社区 in GBK
    with open(raw, "wb") as f:
        f.write(REGULATION.encode("utf-8"))
    corpus = pc.load_corpus(d)
    ids = sorted(r.doc_id for r in corpus)
    assert len(ids) == 2 and any("\ufffd" in i for i in ids)
    assert not any(0xD800 <= ord(c) <= 0xDFFF for i in ids for c in i)
    out = tmp_path / "a.csv"
    status, err, _ = run_main(capsys, "parse", str(d), "--format", "csv", "-o", str(out))
    assert status == 0, err
    assert "\ufffd" in out.read_text(encoding="utf-8")


# -- what the command writes is never read back ------------------------------------------------------
def test_report_refuses_a_folder_of_regulations(capsys, tmp_path):
    d = folder(tmp_path, 2)
    before = sorted(p.name for p in d.iterdir())
    status, err, _ = run_main(capsys, "report", str(d), "-o", str(d))
    assert status == 1
    one_error_line(err, "holds 2 regulation file(s)", "new or empty folder")
    assert sorted(p.name for p in d.iterdir()) == before


@pytest.mark.slow
def test_report_inside_its_input_folder_is_not_read_back(capsys, tmp_path):
    d = folder(tmp_path, 2)
    status, err, _ = run_main(capsys, "report", str(d), "-o", str(d / "report"), "--max-pairs", "1")
    assert status == 0, err
    assert (d / "report" / pc.corpus.OUTPUT_MARKER).is_file()
    assert any((d / "report").rglob("*.csv"))
    assert len(pc.load_corpus(d, recursive=True)) == 2  # its CSVs, HTML and Word files are not regulations
    with pytest.raises(pc.PinganError, match="a folder pingan_corpus wrote"):
        pc.load_corpus(d / "report")
    # writing the report again into the same folder is allowed (it is marked as output)
    status, err, _ = run_main(capsys, "report", str(d), "-o", str(d / "report"), "--max-pairs", "1")
    assert status == 0, err


# -- errors that are not the input's fault ----------------------------------------------------------
def test_output_into_a_missing_folder_is_one_line(capsys, tmp_path):
    status, err, _ = run_main(capsys, "parse", str(RAW / "hubei_pingan_jianshe_tiaoli_2024.txt"), "--format", "csv",
                              "-o", str(tmp_path / "no" / "such" / "dir" / "a.csv"))
    assert status == 1
    one_error_line(err, "No such file or directory")


def test_a_bug_is_one_line_unless_debugging(capsys, monkeypatch):
    import pingan_corpus.duties.extract as extract

    def broken(*_a, **_k):
        raise RuntimeError("boom")

    monkeypatch.setattr(extract, "extract_duties", broken)
    status, err, _ = run_main(capsys, "duties", str(RAW / "hubei_pingan_jianshe_tiaoli_2024.txt"))
    assert status == 1
    one_error_line(err, "unexpected RuntimeError: boom", "bug", "PINGAN_DEBUG=1")
    monkeypatch.setenv("PINGAN_DEBUG", "1")
    with pytest.raises(RuntimeError, match="boom"):
        main(["duties", str(RAW / "hubei_pingan_jianshe_tiaoli_2024.txt")])


# -- what needs a real process: special files and Ctrl-C ---------------------------------------------
def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pingan_corpus", *args], capture_output=True, text=True,
                          timeout=timeout)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo (POSIX)")
def test_a_fifo_is_refused_at_once_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    start = time.perf_counter()
    r = cli("parse", str(fifo), timeout=60)  # a blocking open would hang until the timeout
    assert r.returncode == 1
    one_error_line(r.stderr.strip().splitlines(), "pipe.txt", "not a regular file")
    # in a folder: skipped, the rest read
    d = folder(tmp_path, 1)
    os.mkfifo(d / "pipe.txt")
    r = cli("parse", str(d), timeout=60)
    assert r.returncode == 0 and "1 documents, 3 articles" in r.stdout
    assert "skipped pipe.txt" in r.stderr and "1 file(s) skipped" in r.stderr
    assert time.perf_counter() - start < 50


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_refused_without_reading_it():
    r = cli("parse", "/dev/zero", timeout=60)  # reading it whole would fill the memory
    assert r.returncode == 1
    one_error_line(r.stderr.strip().splitlines(), "/dev/zero", "not a regular file")


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
def test_ctrl_c_is_one_line_and_status_130(tmp_path):
    d = tmp_path / "many"
    d.mkdir()
    for i in range(300):  # about 15 s of work: the signal comes well inside it
        shutil.copy(RAW / "hubei_pingan_jianshe_tiaoli_2024.txt", d / f"h{i:02d}.txt")
    p = subprocess.Popen([sys.executable, "-m", "pingan_corpus", "duties", str(d)], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    time.sleep(4)  # past the imports, inside the run
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 130, err
    one_error_line(err.strip().splitlines(), "interrupted")


# -- the classes of the issue, through the real command ----------------------------------------------
def _docx_bomb(d: Path) -> Path:
    from test_hostile_readers import bomb

    return bomb(d / "bomb.docx", 1 << 30)


def _html_rot13(d: Path) -> Path:
    p = d / "page.html"
    body = "".join(f"<p>{line}</p>" for line in REGULATION.splitlines())
    p.write_bytes(f'<html><head><meta charset="rot13"></head><body>{body}</body></html>'.encode())
    return p


def _dollar_names(d: Path) -> Path:
    (d / "$x^2$ $\\frac$.txt").write_text(REGULATION.replace("某市", "$\\frac{1}{2}$市"), encoding="utf-8")
    return d


def _pdf_mention(d: Path) -> Path:
    p = d / "note.txt"
    p.write_text("说明：附件格式为%PDF-1.4，请勿直接打开。\n" + REGULATION, encoding="utf-8")
    return p


def _doctype_txt(d: Path) -> Path:
    p = d / "copied.txt"
    p.write_text("<!DOCTYPE html>\n" + REGULATION, encoding="utf-8")
    return p


# (what is made, the command, the exit status, what must be on stdout / in the one error line)
CLASSES = {
    "1 GiB-inflating docx": (_docx_bomb, ["parse", "{p}"], 1, "inflate"),
    "HTML charset rot13": (_html_rot13, ["parse", "{p}"], 0, "3 articles"),
    "$…$ in file name and jurisdiction": (_dollar_names, ["report", "{p}", "-o", "{out}"], 0, "wrote"),
    ".txt mentioning %PDF-": (_pdf_mention, ["parse", "{p}"], 0, "3 articles"),
    ".txt starting with <!DOCTYPE html>": (_doctype_txt, ["parse", "{p}"], 0, "3 articles"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CLASSES))
def test_each_class_of_hostile_input_through_the_command(name, tmp_path):
    make, args, status, fragment = CLASSES[name]
    d = tmp_path / "in"
    d.mkdir()
    p = make(d)
    start = time.perf_counter()
    r = cli(*(a.format(p=p, out=tmp_path / "out") for a in args), timeout=120)
    assert r.returncode == status, (name, r.stderr)
    assert "Traceback" not in r.stderr, r.stderr
    if status:
        one_error_line(r.stderr.strip().splitlines(), fragment)
    else:
        assert fragment in r.stdout, (name, r.stdout, r.stderr)
    assert time.perf_counter() - start < 60, name  # generous: each takes a few seconds
