#!/usr/bin/env python
"""Hostile and careless inputs to the readers: time and peak memory of each, next to a naive baseline.

    python benchmarks/bench_hostile_readers.py            # every case
    python benchmarks/bench_hostile_readers.py --quick    # the 1 GiB bomb made 256 MiB (faster to build)
    python benchmarks/bench_hostile_readers.py html_stray # cases whose name contains a word

Each case builds its file in a temporary folder, then reads it twice, each time in a fresh child
process (so that peak RSS, ``getrusage(RUSAGE_SELF).ru_maxrss``, is the reading's own), under a
time limit (--timeout, 300 s) and an address-space cap (--memory-cap, 6 GB: a reader that would
exhaust the machine fails with MemoryError instead):

    ours      ``readers.read_file(path)``: what the library does with the file
    baseline  what a naive reader does with the same bytes, no library code involved:
              .docx   zipfile inflating every part in 1 MiB chunks (nothing kept: the cost of
                      merely looking at the parts), or python-docx's Document() for a well-formed
                      file (what read_docx cannot avoid)
              .html   the standard html.parser fed the page (no text kept)
              FIFO    open() with O_NONBLOCK, fstat (what the library does before reading)

The cases (sizes as built; the figures in tests/test_hostile_readers.py quote this script):

    docx_bomb_1gib      word/document.xml inflates to 1 GiB (a 4.2 MB file): refused from the
                        central directory, nothing inflated
    docx_bomb_ratio     document.xml inflates to 100 MiB (under the part limit) from 0.4 MB: ratio ~250
    docx_understated    a part whose central directory says 1 KB while it inflates to 64 MiB:
                        zipfile stops at the declared size, the CRC fails: refused as damaged
    docx_large_real     a 3 MB regulation compilation (the real corpus, repeated; 20 MB of XML): must read
    docx_roman_1e9      a list numbered from 10**9 in upper Roman numerals, 200 paragraphs
    html_stray_close    450 KB: 20,000 unclosed <div> and 50,000 stray </span>
    html_unclosed_p     220 KB government page: 2,100 short paragraphs, <p> never closed, three
                        stray end tags (</font></span></b>) in each
    dev_zero, fifo      /dev/zero and a FIFO with no writer: refused before opening

To measure the code before a change, run this script with PYTHONPATH pointing at a copy of the
old package: the children inherit it (the figures in tests/test_hostile_readers.py were taken so).
"""
from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
MB = 1_000_000
PARA = "<w:p><w:r><w:t>第一条　为了规范平安建设工作，根据有关法律、行政法规，结合本市实际，制定本条例。</w:t></w:r></w:p>"


# -- builders ------------------------------------------------------------------------------------------
def _template() -> dict[str, bytes]:
    """The parts of a python-docx blank document (a real package: styles, settings, theme …)."""
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    with zipfile.ZipFile(buf) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _body(chunks, numbering: bytes | None = None):
    """(name, bytes or an iterator of bytes) for the parts of a docx whose body is ``chunks``."""
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w='
            b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')

    def document():
        yield head
        yield from chunks
        yield b"</w:body></w:document>"

    parts = _template()
    if numbering is not None:
        parts["word/numbering.xml"] = numbering
    return parts, document()


def write_docx(path: Path, chunks, numbering: bytes | None = None) -> Path:
    parts, document = _body(chunks, numbering)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            if name != "word/document.xml":
                z.writestr(name, data)
        with z.open("word/document.xml", "w") as w:
            for chunk in document:
                w.write(chunk)
    return path


def build_docx_bomb(path: Path, inflated: int) -> Path:
    """document.xml of ``inflated`` bytes of the same paragraph: deflate squeezes it ~1000×."""
    block = PARA.encode() * 10_000
    return write_docx(path, (block for _ in range(inflated // len(block))))


def build_docx_understated(path: Path, inflated: int = 64 << 20) -> Path:
    """A docx whose central directory declares word/document.xml 1 KB long (it inflates far more)."""
    build_docx_bomb(path, inflated)
    path.write_bytes(understate(path.read_bytes(), "word/document.xml", 1024))
    return path


def understate(data: bytes, name: str, declared: int) -> bytes:
    """The ZIP ``data`` with the central directory record of ``name`` declaring ``declared`` bytes inflated."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at >= 0:  # central directory records: signature, …, uncompressed size at 24, name length at 28
        name_len = int.from_bytes(out[at + 28:at + 30], "little")
        if out[at + 46:at + 46 + name_len] == name.encode():
            out[at + 24:at + 28] = declared.to_bytes(4, "little")
            return bytes(out)
        at = out.find(b"PK\x01\x02", at + 4)
    raise KeyError(name)


def compilation_paragraphs(size: int) -> list[bytes]:
    """Paragraphs of regulations (the real corpus, or the seed regulations), repeated until they
    would deflate to about ``size`` bytes, each as Word writes it: a run in 仿宋_GB2312, 16 pt."""
    from xml.sax.saxutils import escape

    texts = [p.read_text("utf-8") for p in sorted(CORPUS.glob("*.md"))] or \
        [p.read_text("utf-8") for p in sorted((ROOT / "data" / "raw").glob("*.txt"))]
    lines = [ln.strip() for t in texts for ln in t.splitlines() if ln.strip()]
    paras, raw = [], 0
    while raw < size * 6.7:  # this XML deflates ~6.7 times
        for k, ln in enumerate(lines):
            paras.append(f'<w:p><w:pPr><w:ind w:firstLine="640"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii="仿宋_GB2312" '
                         f'w:eastAsia="仿宋_GB2312"/><w:sz w:val="32"/></w:rPr><w:t xml:space="preserve">'
                         f'{escape(ln)}</w:t></w:r></w:p>'.encode())
            raw += len(paras[-1])
            if k % 1000 == 0 and raw >= size * 6.7:
                break
    return paras


def build_docx_large_real(path: Path, size: int = 3 * MB) -> Path:
    """A regulation compilation of about ``size`` bytes (3 MB: ~400 regulations, ~20 MB of XML)."""
    return write_docx(path, compilation_paragraphs(size))


def roman_numbering(start: int = 10**9, fmt: str = "upperRoman") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering xmlns:w='
            f'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="0">'
            f'<w:lvl w:ilvl="0"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="%1."/>'
            f'</w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
            ).encode()


def build_docx_roman(path: Path, paragraphs: int = 200) -> Path:
    numbered = ('<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
                '<w:r><w:t>为了规范管理，制定本条例。</w:t></w:r></w:p>').encode()
    return write_docx(path, [numbered] * paragraphs, roman_numbering())


def html_stray_close(unclosed: int = 20_000, stray: int = 50_000) -> str:
    return ("<!DOCTYPE html><html><body>" + "<div>" * unclosed + "<p>第一条　为了规范管理，制定本条例。"
            + "</span>" * stray + "</body></html>")


def html_unclosed_p(target: int = 220_000) -> str:
    """A government page as old CMSs write it: <p> never closed, </font> closing nothing."""
    head = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>某市平安建设条例</title></head><body>'
            '<div class="content"><p align="center"><font size="4"><b>某市平安建设条例</b></font>')
    paras, n, size = [], 0, len(head.encode())
    while size < target:
        n += 1
        paras.append(f'<p><font face="仿宋_GB2312">第{n}条　本条例自公布之日起施行。</font></font></span></b>')
        size += len(paras[-1].encode()) + 1
    return head + "\n".join(paras) + "</div></body></html>"


# -- measuring (in a child process) ----------------------------------------------------------------------
def _child(mode: str, path: str) -> dict:
    if mode == "ours":
        from pingan_corpus import readers  # imported before the clock starts: the reading is measured
    elif mode == "python_docx":
        import docx
    start_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    out: dict = {}
    try:
        if mode == "ours":
            r = readers.read_file(path)
            out["result"] = f"read: {len(r.text):,} chars" + (f"; warnings: {r.warnings[:1]}" if r.warnings else "")
        elif mode == "zip_inflate":
            inflated = 0
            with zipfile.ZipFile(path) as z:
                for info in z.infolist():
                    with z.open(info) as f:
                        while chunk := f.read(1 << 20):
                            inflated += len(chunk)
            out["result"] = f"inflated {inflated / MB:,.0f} MB"
        elif mode == "python_docx":
            d = docx.Document(path)
            out["result"] = f"{len(d.paragraphs):,} paragraphs"
        elif mode == "html_parser":
            from html.parser import HTMLParser

            p = HTMLParser()
            p.feed(Path(path).read_text("utf-8"))
            p.close()
            out["result"] = "parsed"
        elif mode == "open_fstat":
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
            kind = "regular" if os.path.stat.S_ISREG(os.fstat(fd).st_mode) else "not regular"
            os.close(fd)
            out["result"] = f"opened: {kind}"
    except MemoryError:
        out["result"] = "MemoryError"
    except Exception as e:  # the outcome is what is measured
        out["result"] = f"{type(e).__name__}: {str(e)[:150]}"
    out["seconds"] = time.perf_counter() - t
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["added_mb"] = out["peak_mb"] - start_mb
    return out


def measure(mode: str, path: Path, timeout: float, cap: int) -> dict:
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    t = time.perf_counter()
    try:
        r = subprocess.run([sys.executable, __file__, "--child", mode, str(path)], capture_output=True, text=True,
                           timeout=timeout, preexec_fn=limit, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"result": f"still running after {timeout:.0f} s (killed)", "seconds": time.perf_counter() - t,
                "peak_mb": float("nan"), "added_mb": float("nan")}
    if r.returncode or not r.stdout.strip():
        return {"result": f"child died ({r.returncode}): {r.stderr.strip()[-150:]}",
                "seconds": time.perf_counter() - t, "peak_mb": float("nan"), "added_mb": float("nan")}
    return json.loads(r.stdout.strip().splitlines()[-1])


def cases(tmp: Path, quick: bool):
    """(name, path, baseline mode) for each case, built lazily."""
    yield "docx_bomb_1gib", lambda: build_docx_bomb(tmp / "bomb.docx", (256 if quick else 1024) << 20), "zip_inflate"
    yield "docx_bomb_ratio", lambda: build_docx_bomb(tmp / "ratio.docx", 100 << 20), "zip_inflate"
    yield "docx_understated", lambda: build_docx_understated(tmp / "understated.docx"), "zip_inflate"
    yield "docx_large_real", lambda: build_docx_large_real(tmp / "compilation.docx"), "python_docx"
    yield "docx_roman_1e9", lambda: build_docx_roman(tmp / "roman.docx"), "python_docx"

    def page(name, text):
        (tmp / name).write_text(text, "utf-8")
        return tmp / name

    yield "html_stray_close", lambda: page("stray.html", html_stray_close()), "html_parser"
    yield "html_unclosed_p", lambda: page("unclosed.html", html_unclosed_p()), "html_parser"
    yield "dev_zero", lambda: Path("/dev/zero"), "open_fstat"

    def fifo():
        os.mkfifo(tmp / "pipe")
        return tmp / "pipe"

    yield "fifo", fifo, "open_fstat"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("only", nargs="*", help="run the cases whose name contains one of these")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--memory-cap", type=float, default=6.0, help="GB of address space per child")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(_child(*args.child)))
        return
    cap = int(args.memory_cap * 1e9)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; each read in a fresh process, "
          f"timeout {args.timeout:.0f} s, address space ≤ {args.memory_cap:g} GB")
    print("seconds: the read alone (imports excluded); peak MB: the child's peak RSS; +MB: what the read added to it")
    print(f"{'case':18} {'file':>10}  {'who':9} {'seconds':>8} {'peak MB':>8} {'+MB':>6}  outcome")
    with tempfile.TemporaryDirectory() as d:
        for name, build, baseline in cases(Path(d), args.quick):
            if args.only and not any(w in name for w in args.only):
                continue
            t = time.perf_counter()
            path = build()
            built = time.perf_counter() - t
            size = path.stat().st_size if path.is_file() else 0
            for who, mode in (("ours", "ours"), ("baseline", baseline)):
                r = measure(mode, path, args.timeout, cap)
                print(f"{name:18} {size / MB:9.2f}M  {who:9} {r['seconds']:8.3f} {r['peak_mb']:8.0f} "
                      f"{r['added_mb']:6.0f}  "
                      f"{r['result']}" + (f"  (built in {built:.1f} s)" if who == "ours" else ""), flush=True)


if __name__ == "__main__":
    main()
