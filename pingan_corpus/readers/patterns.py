"""The patterns of the readers: character classes every step shares, Markdown and static-site
markup, HTML pages, PDF page furniture. (The parser's patterns are in ``parse/regexes.py``.)"""
from __future__ import annotations

import re

# -- character classes -------------------------------------------------------------------------
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# full-width and CJK punctuation that counts as "Chinese context" for punctuation and spacing
CJK_PUNCT = "\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2026\u201c\u201d\u2018\u2019\u00b7"
CN_DIGITS = "零〇○一二三四五六七八九十百千两"
NUM = rf"(?:[{CN_DIGITS}]{{1,8}}|[0-9０-９]{{1,4}})"
# characters XML 1.0 cannot hold (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF): dropped from
# Word, Excel, Akoma Ntoso, GraphML and GEXF
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# half of a UTF-16 pair on its own (from \ud800 escapes or undecodable file names): no UTF-8 file takes it
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def xml_text(text) -> str:
    """``text`` safe for XML 1.0 text or attribute: None → "", a lone surrogate → U+FFFD, every
    other XML-illegal character dropped (the rule of every XML output of the library)."""
    return XML_ILLEGAL.sub("", LONE_SURROGATE.sub("\ufffd", "" if text is None else str(text)))
# -- page furniture and markup --------------------------------------------------------------------
# page furniture of PDFs, matched on a whole (space-stripped) line at the top or bottom of a page:
# 第 3 页, 第3页/共10页, 共10页 第3页, - 3 -, — 3 —, 3/10, 3, Page 3 of 10, ·3·
PAGE_NUMBER = re.compile(
    rf"(?:第[{CN_DIGITS}\d]{{1,6}}页(?:[,，/／]?共[{CN_DIGITS}\d]{{1,6}}页)?|共\d{{1,6}}页[,，/／]?第\d{{1,6}}页"
    r"|[-－—–‐·•]{1,2}\d{1,5}[-－—–‐·•]{1,2}|\d{1,5}(?:[/／]\d{1,5})?"
    r"|(?i:page|p\.?)\d{1,5}(?:(?i:of)\d{1,5}|[/／]\d{1,5})?)"
)
# structural labels that always start a new line when a PDF's lines are rejoined
PDF_BLOCK_START = re.compile(
    rf"[ \u3000]*(?:第[ ]*{NUM}[ ]*[章节条编]|[（(][{CN_DIGITS}]{{1,4}}[）)]|[{CN_DIGITS}]{{1,4}}、|附[ ]*[则件录])")
PDF_SENTENCE_END = re.compile(r"[。；！？：:;!?]$")
# PDF: the header (found anywhere in the first 1024 bytes) and the start of an object after it
PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
PDF_OBJECT = re.compile(rb"\b\d+ \d+ obj\b|%%EOF")
# HTML: the declared charset (meta charset, http-equiv content type, XML declaration)
HTML_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]{1,40})"""
    rb"""|<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.-]{1,40})""", re.IGNORECASE)
HTML_SNIFF = re.compile(rb"\A(?:\xef\xbb\xbf)?\s{0,200}<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE)
# class / id tokens of page furniture (navigation, site header and footer, sharing bars …)
HTML_FURNITURE = re.compile(
    r"^(?:nav|navbar|navigation|menu|menubar|mainmenu|topmenu|breadcrumbs?|crumbs?|position|location"
    r"|footer|foot|site-?footer|page-?footer|header|site-?header|topbar|top-?nav|sidebar|side-?bar|aside"
    r"|banner|share|sharebar|bdshare|social|copyright|toolbar|pager|pagination|comments?|related"
    r"|advert|ads?|search|login|skip|hidden)(?:[-_](?:nav|menu|bar|box|wrap|list|links?|area|inner|top|main))?$",
    re.IGNORECASE)
HTML_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
# Markdown markup (readers/markdown.py): spans deleted by normalize, recorded as kind "markup".
# Block level, matched on the whole text:
MD_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?=[\w\u4e00-\u9fff][\w\u4e00-\u9fff .-]{0,40}:)(?:[^\n]{0,500}\n){0,200}?"
                             r"(?:---|\.\.\.)[ \t]*(?:\n|\Z)")
MD_HTML_COMMENT_BLOCK = re.compile(r"<!--[\s\S]{0,20000}?-->")
MD_SCRIPT_BLOCK = re.compile(r"<(script|style)\b[^<>]{0,300}>[\s\S]{0,200000}?</\1\s*>", re.IGNORECASE)
# Lines that are all markup, deleted with their line break:
MD_FENCE = re.compile(r"^[ ]{0,3}(?:```|~~~)")
MD_CONTAINER = re.compile(r"^[ ]{0,3}:{3,}(?:[ \t]*\S[^\n]*)?$", re.MULTILINE)  # ::: tip 标题 … ::: (VuePress, Docusaurus)
MD_TAB = re.compile(r"^[ ]{0,3}@tab\b[^\n]*$")
MD_TOC_PLACEHOLDER = re.compile(r"^[ ]{0,3}(?:\[\[toc\]\]|\[toc\]|\$\{toc\}|<toc\s*/?>)[ \t]*$", re.IGNORECASE | re.MULTILINE)
MD_SETEXT_OR_RULE = re.compile(r"^[ ]{0,3}(?:=+|-{2,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})[ \t]*$")
MD_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
MD_LINK_DEF = re.compile(r"^[ ]{0,3}\[[^\]\n]{1,200}\]:[ \t]*\S+.*$")
MD_EMPTY_HEADING = re.compile(r"^[ ]{0,3}#{1,6}[ \t]*$")
# navigation: links only (an article index "- 第1~20条：[1](#t1) [2](#t2)", a table of contents of anchors
# or sibling pages), after an optional bullet and a short label
MD_NAV_LINE = re.compile(r"^[ \t]*(?:[-*+][ \t]+|\d{1,3}[.)][ \t]+)?(?:[^\[\]\n]{0,30}?[：:][ \t]*)?"
                         r"(?:!?\[[^\]\n]{0,200}\]\([^)\n]{0,500}\)[ \t、，,;；|/·•-]*)+$")
MD_NAV_TARGET = re.compile(r"\]\((?:#|\.{0,2}/|[^)\s:]{1,200}\.(?:md|html?)\b)")
# Marks inside a line (groups: the marks to delete; the text between them is kept):
MD_ATX_HEADING = re.compile(rf"^[ ]{{0,3}}#{{1,6}}(?:[ \t]+\S|(?=[{CJK}]))", re.MULTILINE)
MD_HEADING = re.compile(rf"^[ ]{{0,3}}#{{1,6}}(?:[ \t]+|(?=[{CJK}]))")
MD_HEADING_CLOSE = re.compile(r"(?<=\S)[ \t]+#+[ \t]*$")
MD_QUOTE = re.compile(r"^[ ]{0,3}(?:>[ ]?)+")
MD_BULLET = re.compile(r"^[ \t]*[-*+][ \t]+")
MD_TABLE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$")
MD_TABLE_PIPE = re.compile(r"\|")
MD_ESCAPE = re.compile(r"(\\)([\\`*_{}\[\]()#+\-.!|>~<])")
MD_CODE = re.compile(r"(`+)([^`\n]{1,1000}?)(\1)")
MD_IMAGE = re.compile(r"!\[[^\]\n]{0,200}\]\([^)\n]{0,500}\)")
MD_LINK = re.compile(r"(\[)([^\]\n]{1,500})(\]\([^)\n]{0,500}\))")
MD_REF_LINK = re.compile(r"(\[)([^\]\n]{1,500})(\]\[[^\]\n]{0,100}\])")
MD_AUTOLINK = re.compile(r"(<)((?:https?|ftp|mailto):[^<>\s]{1,500})(>)")
MD_ATTR_SPAN = re.compile(r"(\[)([^\]\n]{1,500})(\][ \t]*\{[^{}\n]{0,300}\})")  # pandoc [text]{.class}
# attribute blocks {#id} {.class} {align="center"} {: .kramdown}: never in the text of a law
MD_ATTRIBUTES = re.compile(
    r"[ \t]*\{[ \t]*(?::[^{}\n]{0,300}|(?:[#.][^\s{}]{1,100}|[A-Za-z_][\w:-]{0,40}[ \t]*=[ \t]*(?:\"[^\"\n]{0,200}\""
    r"|'[^'\n]{0,200}'|[^\s{}]{1,200}))(?:[ \t]+(?:[#.][^\s{}]{1,100}|[A-Za-z_][\w:-]{0,40}[ \t]*=[ \t]*"
    r"(?:\"[^\"\n]{0,200}\"|'[^'\n]{0,200}'|[^\s{}]{1,200}))){0,20})[ \t]*\}")
MD_STRONG = re.compile(r"(\*\*|__)(?=\S)([^\n]{1,1000}?)(?<=\S)(\1)")
MD_EMPHASIS = re.compile(r"(?<!\*)(\*)(?=[^\s*])([^*\n]{1,1000}?)(?<=[^\s*])(\*)(?!\*)")
MD_STRIKE = re.compile(r"(~~)(?=\S)([^\n]{1,1000}?)(?<=\S)(~~)")
MD_FOOTNOTE = re.compile(r"\[\^[^\]\n]{1,20}\](?::[ \t]*)?")
MD_HARD_BREAK = re.compile(r"\\$")
