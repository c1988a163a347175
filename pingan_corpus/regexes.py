"""Every pattern the library matches, in one place.

Patterns are written so that none can backtrack catastrophically: no nested quantifiers over
overlapping classes, bounded repetitions where a run could be long.
"""
from __future__ import annotations

import re

# -- character classes -------------------------------------------------------------------------
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# full-width and CJK punctuation that counts as "Chinese context" for punctuation and spacing
CJK_PUNCT = "\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2026\u201c\u201d\u2018\u2019\u00b7"
CN_DIGITS = "零〇○一二三四五六七八九十百千两"
NUM = rf"(?:[{CN_DIGITS}]{{1,8}}|[0-9０-９]{{1,4}})"
TERMINAL = "。；！？："  # punctuation after which a new article may start on the same line

# -- normalize: web and Word artefacts -----------------------------------------------------------
TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ"
_INITIAL = r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
_FINAL = rf"[aeiouüv{TONE_VOWELS}]{{1,4}}(?:ng|n|r)?"
# a pinyin ruby annotation glued after a character: 設(shè), 應(yīng); also full-width brackets.
# Either a tone mark is present, or (untoned, neutral tone) the syllable follows a CJK character.
PINYIN_ANNOTATION = re.compile(
    rf"[(（](?=[a-zü{TONE_VOWELS}]{{1,7}}[)）])"
    rf"(?:{_INITIAL}[a-zü]{{0,3}}[{TONE_VOWELS}][a-zü{TONE_VOWELS}]{{0,4}}"
    rf"|(?<=[{CJK}][(（]){_INITIAL}{_FINAL})[)）]"
)
# marks a web site scatters after characters (的.认知度, 的`服务, 的'管理): never legitimate
# between two Chinese characters in running Chinese text.
STRAY_MARK = re.compile(rf"(?<=[{CJK}])[.`'´\^~]+(?=[{CJK}])")
# Word field codes pasted as text: HYPERLINK "url", PAGEREF _Toc123 \h, TOC \o "1-3" \h \z \u,
# optionally wrapped in braces and followed by \* MERGEFORMAT.
FIELD_CODE = re.compile(
    r"[ \t]*\{?[ \t]*(?:HYPERLINK|PAGEREF|INCLUDEPICTURE|MERGEFIELD|TOC|REF|SEQ|NOTEREF)"
    r"(?:[ \t]+(?:\\[a-zA-Z*](?:[ \t]+\"[^\"\n]{0,500}\")?|\"[^\"\n]{0,500}\"|[A-Za-z_][\w.:/-]{0,200}))+"
    r"(?:[ \t]*\\\*[ \t]*MERGEFORMAT)?[ \t]*\}?[ \t]*"
)
FIELD_CHARS = re.compile("[\u0013\u0014\u0015]")
CONTROL_CHARS = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u2028\u2029\u2060\ufeff]")
# characters replaced one for one (length preserving): ideographic / no-break spaces, full-width alphanumerics
SPACE_CHARS = "\u3000\u00a0\u2002\u2003\u2009\t"

# -- normalize: punctuation and spacing ----------------------------------------------------------
_CTX = rf"[{CJK}{CJK_PUNCT}]"
HALFWIDTH_PUNCT_IN_CJK = re.compile(rf"(?<={_CTX})[,;:!]|[,;:!](?= ?[{CJK}])")
# ASCII parentheses around Chinese content, or glued to Chinese text: (一) (街道) (含支付机构)
ASCII_PARENS = re.compile(rf"\(([^()\n]{{0,80}})\)")
# spaces between Chinese characters, between Chinese and digits, around Chinese punctuation
INNER_SPACE = re.compile(
    rf"(?<=[{CJK}{CJK_PUNCT}0-9%]) +(?=[{CJK}{CJK_PUNCT}])|(?<=[{CJK}{CJK_PUNCT}]) +(?=[0-9])"
)
MULTI_SPACE = re.compile(r"[ ]{2,}")
LINE_EDGE_SPACE = re.compile(r"^[ ]+|[ ]+$", re.M)
BLANK_LINES = re.compile(r"\n{2,}")
# unrepairable mojibake: question marks or replacement characters inside Chinese text
MOJIBAKE = re.compile(rf"[^\s{TERMINAL}，]{{0,4}}(?:[?\ufffd]+[^\s{TERMINAL}，]{{0,3}}){{1,8}}")
MOJIBAKE_CORE = re.compile(rf"(?<=[{CJK}A-Za-z])[?\ufffd]|[?\ufffd](?=[{CJK}])|\ufffd")

# -- structure ----------------------------------------------------------------------------------
CHAPTER = re.compile(rf"^[ ]*第[ ]*(?P<num>{NUM})[ ]*章[ ]*(?P<title>[^\n]{{0,40}})$", re.M)
SECTION = re.compile(rf"^[ ]*第[ ]*(?P<num>{NUM})[ ]*节[ ]*(?P<title>[^\n]{{0,40}})$", re.M)
# an article label where a heading can start: line start, or after sentence-final punctuation
ARTICLE = re.compile(
    rf"(?:(?<=\n)|^|(?<=[{TERMINAL}”’」』]))[ ]*(?P<label>第[ ]*(?P<num>{NUM})[ ]*条"
    rf"(?:之(?P<sub>[{CN_DIGITS}]{{1,3}}))?)"
)
# what follows a label when it is an in-text reference (第三条第二款, 第十二条规定的, 第五条至第八条)
REFERENCE_TAIL = re.compile(rf"[ ]*(?:第[{CN_DIGITS}\d]|规定|所[列称指述]|的规定|中|和第|或者第|至第|、第|[、和及至])")
HEADING = re.compile(r"[ ]*(?:【(?P<a>[^】\n]{1,40})】|〔(?P<b>[^〕\n]{1,40})〕|\[(?P<c>[^\]\n]{1,40})\])[ ]*")
# provisions of documents that have no 第X条: 一、 or 1、 / 1. at the start of a line
PROVISION_CN = re.compile(rf"^[ ]*(?P<label>(?P<num>[{CN_DIGITS}]{{1,4}})[、．.])[ ]*", re.M)
PROVISION_ARABIC = re.compile(r"^[ ]*(?P<label>(?P<num>[0-9０-９]{1,3})(?:[、．]|\.(?![0-9])))[ ]*", re.M)
# list marks, by rank: （一） > 一、 > 1. / 1、 > （1） > ①
ITEM_MARKS = {
    "paren_cn": re.compile(rf"[（(](?P<num>[{CN_DIGITS}]{{1,4}})[）)]"),
    "cn": re.compile(rf"(?P<num>[{CN_DIGITS}]{{1,4}})、"),
    "arabic": re.compile(r"(?P<num>[0-9０-９]{1,3})(?:[、．]|\.(?![0-9]))"),
    "paren_arabic": re.compile(r"[（(](?P<num>[0-9０-９]{1,3})[）)]"),
    "circled": re.compile("(?P<num>[\u2460-\u2473])"),
}
# a list announced (…履行下列职责：, 有下列情形之一的) — a paragraph saying so should have items
LIST_LEAD_IN = re.compile(
    r"(?:下列|以下|如下)[^。\n]{0,30}[：:]\s*$"
    r"|下列[^。；，\n]{0,8}?(?:情形|职责|行为|事项|规定|工作|条件|措施|义务|权利|内容|要求)"
)

# -- metadata -----------------------------------------------------------------------------------
DATE = re.compile(r"(?P<y>\d{4}|20[xX]{2})[ ]*年[ ]*(?P<m>\d{1,2}|[xX]{1,2})[ ]*月[ ]*(?P<d>\d{1,2}|[xX]{1,2})[ ]*日")
PLACEHOLDER_DATE = re.compile(r"(?:20|19)?[xX×Ｘ＊*]{2}年|[xX×Ｘ]{1,2}月[xX×Ｘ]{1,2}日|年[ ]*月[ ]*日起施行")
EFFECTIVE = re.compile(rf"自(?P<date>{DATE.pattern}|公布之日|发布之日|印发之日)起(?:施行|执行|实施|生效)")
REPEALED = re.compile(r"《(?P<title>[^《》\n]{2,80})》[^。\n《]{0,10}?同时废止")
TITLE_SUFFIX = re.compile(
    r"(?:条例|办法|规定|细则|规则|决定|制度|公约|章程|规程|准则|实施意见|若干规定)(?:（(?:草案|修订草案|征求意见稿|试行|修正)[^）]{0,10}）)?$"
)
DRAFT_MARK = re.compile(r"草案|征求意见稿|送审稿|修改稿")
# compilation separators such as 社区平安建设制度 3 (a stem repeated with a running number)
COMPILATION_HEADER = re.compile(rf"^[ ]*(?P<stem>[^\n]{{2,40}}?)[ ]*(?P<num>[0-9]{{1,3}})[ ]*$", re.M)
# site furniture around copied texts
BOILERPLATE_LINE = re.compile(
    r"推荐度|相关推荐|相关文章|相关阅读|延伸阅读|上一篇|下一篇|责任编辑|返回顶部|打印本页|关闭窗口|分享到|"
    r"浏览次数|阅读次数|点击数|版权所有|免责声明|扫一扫|二维码|收藏本文|【打印】|【关闭】"
)
ADOPTION_NOTE = re.compile(r"^[ ]*[（(][^\n]{0,300}?(?:通过|批准|公布|修正|修订)[^\n]{0,200}$")
