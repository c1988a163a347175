"""Retake docs/img/multi_docx.png: a page of the Word 多地对照表, as LibreOffice prints it.

Documentation tooling only (not a test, not a dependency of the package): needs LibreOffice
(`soffice`, Debian's libreoffice-writer-nogui) and pypdfium2. Run from the repository root:

    python docs/word_screenshot.py
"""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pypdfium2 as pdfium

import pingan_corpus as pc

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    corpus = pc.load_corpus(ROOT / "data" / "raw")
    draft = corpus["xiangtan_pingan_draft"]
    peers = [corpus[d] for d in ("xiangtan_pingan_2022", "changsha_pingan_draft", "hubei_pingan_2024")]
    with tempfile.TemporaryDirectory() as tmp:
        docx = Path(tmp) / "multi.docx"
        pc.compare_many(draft, peers).to_docx(docx)
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(docx)],
                       check=True, capture_output=True, timeout=300)
        pdf = pdfium.PdfDocument(str(Path(tmp) / "multi.pdf"))
        for page, name in ((0, "multi_docx.png"), (5, "multi_docx_force.png")):
            pdf[page].render(scale=1.6).to_pil().save(ROOT / "docs" / "img" / name)
            print("wrote", ROOT / "docs" / "img" / name)


if __name__ == "__main__":
    main()
