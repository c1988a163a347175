"""The real corpus (../shared/corpus) and the forms a user meets it in.

The 73 regulations of ``/work/shared/corpus`` are Markdown files exactly as the open repository
LawRefBook/Laws publishes them. A user rarely has only that file: the same text turns up saved as
``.txt`` or with no suffix, converted to Word, on a government web page, or as a page of a static
law site (VuePress / vuepress-theme-hope) whose Markdown is full of HTML and site furniture. The
functions here render one corpus file into each of these forms, in a temporary directory (the
tests make them; nothing is committed). They are deterministic: the same input gives the same
bytes.

Nothing of the corpus is copied into the repository: the texts are read at test time from the
shared directory, and the tests skip with a clear reason when it is absent.
"""
from __future__ import annotations

import csv
import datetime as dt
import html
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

# What must never reach a title, a chapter title, an article heading or an article text.
MARKUP = ("#", "**", "<", ">", "&emsp;", "&nbsp;", "{#", "{align", ":::", "](", "[[toc]]", "@tab", "原文链接",
          "http")


# -- the corpus and its manifest --------------------------------------------------------------------
def corpus_dir() -> Path:
    """The shared corpus directory; skips the calling test when it is absent."""
    if not (CORPUS / "manifest.csv").is_file():
        pytest.skip(f"{CORPUS} not found: the real-corpus tests need it (…/shared/corpus)")
    return CORPUS


@dataclass(frozen=True)
class Entry:
    """One row of manifest.csv: the truth about one corpus file."""

    file: str
    path: Path
    title: str
    jurisdiction: str
    level: str
    adopted: dt.date | None
    effective: dt.date | None  # None when the manifest gives no date ("on promulgation")
    n_articles: int
    n_chapters: int
    n_sections: int
    notes: str


def _date(s: str) -> dt.date | None:
    s = (s or "").strip()
    return dt.date.fromisoformat(s) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s) else None


def manifest() -> list[Entry]:
    """Every row of the corpus manifest, in file order (skips when the corpus is absent)."""
    root = corpus_dir()
    with open(root / "manifest.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [Entry(file=r["file"], path=root / r["file"], title=r["title"], jurisdiction=r["jurisdiction"],
                  level=r["level"], adopted=_date(r["adopted"]), effective=_date(r["effective"]),
                  n_articles=int(r["n_articles"]), n_chapters=int(r["n_chapters"]),
                  n_sections=int(r["n_sections"]), notes=r["notes"]) for r in rows]


# -- reading the LawRefBook Markdown -------------------------------------------------------------------
NUM = "零〇一二三四五六七八九十百千两"
HEADING = re.compile(r"^(#+)\s+(.*?)\s*$")
DIVISION = re.compile(rf"^(第[{NUM}]+[编章节])[\s\u3000]*(.*)$")
ARTICLE = re.compile(rf"^(第[{NUM}]+条)[\s\u3000]+(.*)$")
ITEM = re.compile(r"^（[一二三四五六七八九十]+）")
COMMENT = re.compile(r"^<!--.*-->$")


@dataclass(frozen=True)
class Block:
    """One non-empty line of a LawRefBook file, classified.

    kind: ``title`` (the ``#`` line), ``date`` (a line of the header, before ``<!-- INFO END -->``),
    ``heading`` (a ``##``/``###`` line: chapter, section …; ``level`` = number of ``#``),
    ``article`` (a line starting 第X条: ``label`` and ``body``), ``para`` (any other line).
    """

    kind: str
    text: str
    level: int = 0
    label: str = ""
    body: str = ""


def blocks(md: Path | str) -> list[Block]:
    """The lines of a corpus file, classified; the HTML comment and blank lines are left out."""
    text = Path(md).read_text("utf-8") if isinstance(md, Path) else md
    out: list[Block] = []
    header = "<!-- INFO END -->" in text
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if COMMENT.match(line):
            header = False
            continue
        m = HEADING.match(line)
        if m:
            level, body = len(m.group(1)), m.group(2)
            if level == 1 and not any(b.kind == "title" for b in out):
                out.append(Block("title", body, level=1))
            else:
                d = DIVISION.match(body)
                out.append(Block("heading", body, level=level, label=d.group(1) if d else "",
                                 body=d.group(2) if d else body))
            continue
        if header and any(b.kind == "title" for b in out):
            out.append(Block("date", line))
            continue
        m = ARTICLE.match(line)
        if m:
            out.append(Block("article", line, label=m.group(1), body=m.group(2)))
        else:
            out.append(Block("para", line))
    return out


def title_of(bs: list[Block]) -> str:
    return next((b.text for b in bs if b.kind == "title"), "")


def _target(md: Path, dst: Path, suffix: str) -> Path:
    dst = Path(dst)
    if dst.is_dir():
        dst = dst / (Path(md).stem + suffix)
    dst.parent.mkdir(parents=True, exist_ok=True)
    return dst


# -- the text flattened to one line -----------------------------------------------------------------
def as_flattened(md: Path, dst: Path, sep: str = "") -> Path:
    """The text as it arrives when copied out of a page whose line breaks were lost: the lines of
    the file (markup and the header comment left out) joined by ``sep`` into one line, saved as .txt."""
    text = sep.join(b.text for b in blocks(md))
    out = _target(md, dst, ".txt")
    out.write_text(text, encoding="utf-8")
    return out


# -- the same bytes, another name --------------------------------------------------------------------
def as_txt(md: Path, dst: Path) -> Path:
    """The same bytes saved as .txt (how Markdown from an open law repository is often kept)."""
    out = _target(md, dst, ".txt")
    shutil.copyfile(md, out)
    return out


def as_nosuffix(md: Path, dst: Path) -> Path:
    """The same bytes in a file with no suffix at all."""
    out = _target(md, dst, "")
    if out.suffix:
        out = out.with_suffix("")
    shutil.copyfile(md, out)
    return out


# -- Word ------------------------------------------------------------------------------------------
def as_docx(md: Path, dst: Path, *, title_style: str = "Title") -> Path:
    """A Word file as pandoc or a user would make it from the Markdown.

    ``# x`` → Title (or Heading 1 with ``title_style="Heading 1"``), ``## x`` → Heading 2,
    ``### x`` → Heading 3, the ``#`` marks dropped; the HTML comment dropped; every other
    non-empty line a Normal paragraph (date lines included).
    """
    import docx

    out = _target(md, dst, ".docx")
    doc = docx.Document()
    for b in blocks(Path(md)):
        if b.kind == "title":
            doc.add_heading(b.text, level=0 if title_style == "Title" else 1)
        elif b.kind == "heading":
            doc.add_heading(b.text, level=min(b.level, 9))
        else:
            doc.add_paragraph(b.text)
    doc.core_properties.title = title_of(blocks(Path(md)))
    doc.core_properties.author = "法规数据库"
    doc.save(out)
    return out


# -- a page of a government / law site ---------------------------------------------------------------
SITE = "法律法规数据库"


def as_html(md: Path, dst: Path) -> Path:
    """A full HTML page as a government or law site serves it: head, header and navigation, the
    text in ``<div class="content">`` (h1 title, centred date lines, h2/h3 headings, one ``<p>``
    per paragraph), and a footer with 上一篇/下一篇 and 版权所有."""
    out = _target(md, dst, ".html")
    bs = blocks(Path(md))
    title = title_of(bs)
    e = html.escape
    body: list[str] = []
    for b in bs:
        if b.kind == "title":
            body.append(f'<h1 class="title">{e(b.text)}</h1>')
        elif b.kind == "date":
            body.append(f'<p style="text-align:center">{e(b.text)}</p>')
        elif b.kind == "heading":
            level = 2 if b.level <= 2 else 3
            body.append(f"<h{level}>{e(b.text)}</h{level}>")
        else:
            body.append(f"<p>{e(b.text)}</p>")
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="keywords" content="{e(title)},地方性法规,法律法规">
<meta name="description" content="{e(title)}全文">
<title>{e(title)}_{SITE}</title>
<link rel="stylesheet" href="/static/css/common.css">
<script src="/static/js/jquery-1.12.4.min.js"></script>
<script>var _hmt = _hmt || [];</script>
</head>
<body>
<header class="header">
  <div class="logo"><a href="/"><img src="/static/img/logo.png" alt="{SITE}"></a></div>
  <nav class="nav">
    <ul>
      <li><a href="/">首页</a></li>
      <li><a href="/flfg/">法律</a></li>
      <li><a href="/xzfg/">行政法规</a></li>
      <li class="active"><a href="/dfxfg/">地方性法规</a></li>
      <li><a href="/sfjs/">司法解释</a></li>
      <li><a href="/search/">高级检索</a></li>
    </ul>
  </nav>
</header>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/dfxfg/">地方性法规</a> &gt; 正文</div>
<div class="main">
<div class="tools"><a href="javascript:window.print()">打印</a> | <a href="javascript:window.close()">关闭</a> | 字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></div>
<div class="content">
{chr(10).join(body)}
</div>
<div class="pager">
  <p>上一篇：<a href="/dfxfg/202306/t20230628_101.html">关于加强地方性法规备案审查工作的决定</a></p>
  <p>下一篇：<a href="/dfxfg/202306/t20230628_103.html">城市市容和环境卫生管理条例</a></p>
</div>
</div>
<footer class="footer">
  <p><a href="/about/">关于我们</a> | <a href="/contact/">联系我们</a> | <a href="/sitemap/">网站地图</a></p>
  <p>版权所有 © 2024 {SITE} 未经授权不得转载</p>
  <p>ICP备05012345号-1 &nbsp; 技术支持：信息中心</p>
</footer>
</body>
</html>
"""
    out.write_text(page, encoding="utf-8")
    return out


# -- a page of a static law site (VuePress / vuepress-theme-hope) --------------------------------------
DATE_IN_LINE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def _site_url(md: Path) -> str:
    return f"http://www.example.gov.cn/dfxfg/art/{Path(md).stem}.html"


def as_static_site(md: Path, dst: Path, suffix: str = ".md", *, tabs: bool = False) -> Path:
    """The regulation as a page of a static law site built with VuePress / vuepress-theme-hope,
    saved as the Markdown (holding HTML) the site is built from.

    YAML front matter; ``# title``; an article index (``- 第1~20条：[1](#t1) …``, one line per 20
    articles); a ``::: tip 提示`` box; ``[[toc]]``; date lines centred with ``<p align="center">``
    or an attribute block ``{align="center"}``; chapter headings ``## 第一章&emsp;总则 {#第一章}``;
    articles alternately ``<b id="t1">第一条</b>&emsp;…`` and ``**第二条**&nbsp;…``; continuation
    paragraphs indented with ``&emsp;&emsp;``; the items of an article joined by ``<br>``; a footer
    ``::: details 原文链接`` box and a last line ``原文链接：http://…``. With ``tabs=True``
    everything after the front matter is wrapped in ``:::: tabs`` / ``@tab 现行版本`` … ``::::``
    (four colons: the fence of a container holding ``:::`` boxes).
    """
    out = _target(md, dst, suffix)
    bs = blocks(Path(md))
    title = title_of(bs)
    dates = [b.text for b in bs if b.kind == "date"]
    first = next((DATE_IN_LINE.search(d) for d in dates if DATE_IN_LINE.search(d)), None)
    date = f"{int(first[1]):04d}-{int(first[2]):02d}-{int(first[3]):02d}" if first else "2024-01-01"
    n_articles = sum(1 for b in bs if b.kind == "article")
    url = _site_url(md)

    front = ["---", f"title: {title}", f"date: {date}", "category:", "  - 法律法规", "tags:", "  - 地方性法规",
             f"  - {title[:3]}", "---", ""]
    page: list[str] = [f"# {title}", ""]
    for lo in range(1, n_articles + 1, 20):
        hi = min(lo + 19, n_articles)
        page.append(f"- 第{lo}~{hi}条：" + " ".join(f"[{k}](#t{k})" for k in range(lo, hi + 1)))
    page += ["", "::: tip 提示", "本页文本根据公开发布的文本整理，仅供学习参考，请以官方发布的文本为准。", ":::", "",
             "[[toc]]", ""]
    for i, d in enumerate(dates):
        page.append(f'<p align="center">{d}</p>' if i % 2 == 0 else f'{d}\n{{align="center"}}')
        page.append("")

    chapter = ""
    article_no = 0
    items: list[str] = []  # item lines waiting to be joined with <br>

    def flush_items() -> None:
        if items:
            joint = "<br>\n" if article_no % 2 else "<br>"  # with or without the line break after it
            page.append("&emsp;&emsp;" + joint.join(items))
            page.append("")
            items.clear()

    for b in bs:
        if b.kind in ("title", "date"):
            continue
        if b.kind != "para" or not ITEM.match(b.text):
            flush_items()
        if b.kind == "heading":
            if b.label.endswith(("章", "编")):
                chapter = b.label
                anchor = b.label
            else:
                anchor = chapter + b.label
            text = f"{b.label}&emsp;{b.body}" if b.label else b.body
            page += [f"{'#' * b.level} {text} {{#{anchor}}}", ""]
        elif b.kind == "article":
            article_no += 1
            if article_no % 2 == 1:
                page.append(f'<b id="t{article_no}">{b.label}</b>&emsp;{b.body}')
            else:
                page.append(f"**{b.label}**&nbsp;{b.body}")
            page.append("")
        elif ITEM.match(b.text):
            items.append(b.text)
        else:
            page += [f"&emsp;&emsp;{b.text}", ""]
    flush_items()
    page += ["::: details 原文链接", f"[{url}]({url})", ":::", "", f"原文链接：{url}"]

    if tabs:
        # the wrapper takes one colon more than the tip/details boxes it holds, as markdown-it-container
        # needs for nesting
        page = [":::: tabs", "", "@tab 现行版本", ""] + page + ["", "::::"]
    out.write_text("\n".join(front + page) + "\n", encoding="utf-8")
    return out


# -- checks shared by the tests -------------------------------------------------------------------------
def markup_left(reg, tokens=MARKUP) -> list[str]:
    """Where markup survives in a parsed regulation: title, chapter/section titles, article headings
    and texts; one short description per place."""
    found: list[str] = []

    def look(where: str, s: str | None) -> None:
        if not s:
            return
        hits = [t for t in tokens if t in s]
        if hits:
            k = s.find(hits[0])
            found.append(f"{where} holds {hits}: …{s[max(0, k - 12):k + 20]!r}…")

    look("title", reg.title)
    for c in reg.chapters:
        look(f"chapter {c.number} title", c.title)
        for s in c.sections:
            look(f"chapter {c.number} section {s.number} title", s.title)
    for a in reg.articles:
        look(f"article {a.number} heading", a.heading)
        look(f"article {a.number} text", a.text)
    return found


def coverage_errors(reg) -> list[str]:
    """Why ``reg.units()`` does not cover ``reg.text`` exactly (contiguous, from 0 to len(text))."""
    errors: list[str] = []
    pos = 0
    for kind, s, e in reg.units():
        if s != pos:
            errors.append(f"{kind} starts at {s}, expected {pos}")
        if e < s:
            errors.append(f"{kind} ends at {e} before its start {s}")
        pos = max(pos, e)
    if pos != len(reg.text):
        errors.append(f"units end at {pos}, text has {len(reg.text)} characters")
    return errors


__all__ = [
    "CORPUS",
    "MARKUP",
    "Block",
    "Entry",
    "as_docx",
    "as_html",
    "as_nosuffix",
    "as_static_site",
    "as_txt",
    "blocks",
    "corpus_dir",
    "coverage_errors",
    "manifest",
    "markup_left",
    "title_of",
]
