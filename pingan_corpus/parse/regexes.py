"""Every pattern the library matches, in one place.

Patterns are written so that none can backtrack catastrophically: no nested quantifiers over
overlapping classes, bounded repetitions where a run could be long.
"""
from __future__ import annotations

import re

from ..readers.patterns import CJK, CJK_PUNCT, CN_DIGITS, LONE_SURROGATE, NUM, XML_ILLEGAL  # noqa: F401 (re-exported)

TERMINAL = "。；！？："  # punctuation after which a new article may start on the same line

# -- normalize: web and Word artefacts -----------------------------------------------------------
TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ"
_INITIAL = r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
_FINAL = rf"[aeiouüv{TONE_VOWELS}]{{1,4}}(?:ng|n|r)?"
# a pinyin ruby annotation glued after a character: 設(shè), 應(yīng); also full-width brackets.
# Either a tone mark is present, or (untoned, neutral tone) the syllable follows a CJK character.
PINYIN_LETTER = f"a-zü{TONE_VOWELS}"  # (a class) what follows the bracket of every annotation
PINYIN_ANNOTATION = re.compile(
    rf"[(（](?=[{PINYIN_LETTER}]{{1,7}}[)）])"
    rf"(?:{_INITIAL}[a-zü]{{0,3}}[{TONE_VOWELS}][a-zü{TONE_VOWELS}]{{0,4}}"
    rf"|(?<=[{CJK}][(（]){_INITIAL}{_FINAL})[)）]"
)
# marks a web site scatters after characters (的.认知度, 的`服务, 的'管理): never legitimate
# between two Chinese characters in running Chinese text.
# (this pattern and the two below start with a character of the match, their lookbehinds after it:
# the regex engine then jumps from candidate to candidate instead of trying every character)
STRAY_MARKS = r".`'´\^~"  # (a class)
STRAY_MARK = re.compile(rf"[{STRAY_MARKS}](?<=[{CJK}][{STRAY_MARKS}])[{STRAY_MARKS}]*(?=[{CJK}])")
# Word field codes pasted as text: HYPERLINK "url", PAGEREF _Toc123 \h, TOC \o "1-3" \h \z \u,
# optionally wrapped in braces and followed by \* MERGEFORMAT.
# what a match of FIELD_CODE must contain: without one of these words, the pass is skipped
# (PAGEREF and NOTEREF contain REF)
FIELD_CODE_WORDS = ("HYPERLINK", "REF", "INCLUDEPICTURE", "MERGEFIELD", "TOC", "SEQ")
# the field's name: a field code is tried only where one stands (see normalize._field_codes)
FIELD_CODE_NAME = re.compile(r"HYPERLINK|PAGEREF|INCLUDEPICTURE|MERGEFIELD|TOC|REF|SEQ|NOTEREF")
FIELD_CODE = re.compile(
    rf"[ \t]*\{{?[ \t]*(?:{FIELD_CODE_NAME.pattern})"
    r"(?:[ \t]+(?:\\[a-zA-Z*](?:[ \t]+\"[^\"\n]{0,500}\")?|\"[^\"\n]{0,500}\"|[A-Za-z_][\w.:/-]{0,200}))+"
    r"(?:[ \t]*\\\*[ \t]*MERGEFORMAT)?[ \t]*\}?[ \t]*"
)
# HTML left in text copied from a web page's source: tags (block ones end a line) and entities
HTML_TAG_IN_TEXT = re.compile(
    r"</?(?P<tag>br|p|div|li|tr|h[1-6]|table|tbody|thead|tfoot|caption|colgroup|col|ul|ol|dl|dt|dd|section|article"
    r"|header|footer|main|nav|aside|figure|figcaption|blockquote|pre|hr|details|summary|center|span|font|b|strong|em"
    r"|i|u|s|strike|del|ins|mark|small|big|code|nobr|label|a|td|th|sup|sub|img|o:p|st1:[a-z]{1,20}"
    # components of static-site generators (VuePress <Badge text="…"/>, <ClientOnly>, <RouterLink>)
    r"|(?-i:[A-Z][a-z]{1,20}(?:[A-Z][a-z]{1,20}){0,3}))(?=[\s/>])(?:\s[^<>\n]{0,300})?\s*/?>", re.IGNORECASE)
HTML_BLOCK_TAGS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tbody",
                             "thead", "tfoot", "caption", "ul", "ol", "dl", "dt", "dd", "section", "article", "header",
                             "footer", "main", "nav", "aside", "figure", "figcaption", "blockquote", "pre", "hr",
                             "details", "summary", "center"})
HTML_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{2,6}|#[xX][0-9a-fA-F]{2,5});")
CONTROL_CHARS = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u2028\u2029\u2060\ufeff]")
# characters replaced one for one (length preserving): ideographic / no-break spaces, full-width alphanumerics
SPACE_CHARS = "\u3000\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\t"

# -- normalize: punctuation and spacing ----------------------------------------------------------
_CTX = rf"[{CJK}{CJK_PUNCT}]"
HALFWIDTH_PUNCT = ",;:!"  # (a class)
# a whole run at once (推荐度:: → 推荐度：：): converting one mark would make the next one Chinese context
HALFWIDTH_PUNCT_IN_CJK = re.compile(rf"[,;:!](?:(?<={_CTX}[,;:!])[,;:!]*|[,;:!]*(?= ?[{CJK}]))")
# ASCII parentheses around Chinese content, or glued to Chinese text: (一) (街道) (含支付机构)
# (a pair with at most 80 characters inside and no parenthesis or line break, with a Chinese character
# inside, just before it or just after it)
ASCII_PARENS = re.compile(
    rf"\((?=[^()\n]{{0,80}}\))(?:(?<=[{CJK}]\()|(?=[^()\n]*[{CJK}])|(?=[^()\n]*\)[{CJK}]))[^()\n]*\)")
# spaces between Chinese characters, between Chinese and digits, around Chinese punctuation
INNER_SPACE = re.compile(
    rf" (?:(?<=[{CJK}{CJK_PUNCT}0-9%] ) *(?=[{CJK}{CJK_PUNCT}])|(?<=[{CJK}{CJK_PUNCT}] ) *(?=[0-9]))"
)
# spaces at the start or the end of a line (^[ ]+|[ ]+$ multiline), written to start with the space:
# the regex engine then skips from space to space instead of trying every character
LINE_EDGE_SPACE = re.compile(r"[ ](?:(?<![^\n][ ])[ ]*|[ ]*(?![^\n]))")
# unrepairable mojibake: question marks or replacement characters inside Chinese text
MOJIBAKE = re.compile(rf"[^\s{TERMINAL}，]{{0,4}}(?:[?\ufffd]+[^\s{TERMINAL}，]{{0,3}}){{1,8}}")
# (one character each: a U+FFFD, or a ? after Chinese or Latin text or before Chinese; written to
# start with the character itself, so that the regex engine skips to the next ? or U+FFFD)
MOJIBAKE_CORE = re.compile(rf"\ufffd|\?(?:(?<=[{CJK}A-Za-z]\?)|(?=[{CJK}]))")

# -- structure ----------------------------------------------------------------------------------
PART = re.compile(rf"^[ ]*第[ ]*(?P<num>{NUM})[ ]*编[ ]*(?P<title>[^\n]{{0,40}})$", re.MULTILINE)
CHAPTER = re.compile(rf"^[ ]*第[ ]*(?P<num>{NUM})[ ]*章[ ]*(?P<title>[^\n]{{0,40}})$", re.MULTILINE)
SECTION = re.compile(rf"^[ ]*第[ ]*(?P<num>{NUM})[ ]*节[ ]*(?P<title>[^\n]{{0,40}})$", re.MULTILINE)
# an article label where a heading can start: line start, or after sentence-final punctuation
ARTICLE = re.compile(
    rf"(?:(?<=\n)|^|(?<=[{TERMINAL}”’」』]))[ ]*(?P<label>第[ ]*(?P<num>{NUM})[ ]*条"
    rf"(?:之(?P<sub>[{CN_DIGITS}]{{1,3}}))?)"
)
# the 第 of a label or heading, and its kind (条, or 编/章/节): every match of ARTICLE, GLUED_HEADING
# and GLUED_HEADING_ANYWHERE is spaces and then one of these (labels.di_positions)
DI_LABEL = re.compile(rf"第[ ]*{NUM}[ ]*(?P<kind>[条编章节])")
# the kinds of normative document a title ends with (…条例, …办法 …)
TITLE_KINDS = ("条例", "办法", "规定", "细则", "规则", "决定", "制度", "公约", "章程", "规程", "准则", "实施意见", "若干规定")
# 第一条 wherever it stands: in a text flattened to one line the first article follows the title
# or the text's history with no line break and no sentence punctuation (…条例 第一条 为了…)
FIRST_ARTICLE_ANYWHERE = re.compile(r"(?P<label>第[ ]*(?P<num>一)[ ]*条)(?!之)")
# a heading glued to the first article of its division on one line (第三章 打击违法犯罪第十二条 …), also
# after sentence-final punctuation in a text flattened to one line
_GLUED_BODY = (
    rf"[ ]*(?P<head>第[ ]*(?P<num>{NUM})[ ]*(?P<kind>[编章节]))[ ]*"
    rf"(?P<title>[^\n，。；：,;:（）()【】第]{{2,30}}?)[ ]*"
    # a chapter's first section on the same line too (第二章 物业管理第一节 一般规定第十一条 …)
    rf"(?:(?P<head2>第[ ]*(?P<num2>{NUM})[ ]*节)[ ]*(?P<title2>[^\n，。；：,;:（）()【】第]{{2,30}}?)[ ]*)?"
    rf"(?P<label>第[ ]*(?P<anum>{NUM})[ ]*条)(?!之)")
GLUED_HEADING = re.compile(rf"(?:^|(?<=[{TERMINAL}])){_GLUED_BODY}", re.MULTILINE)
# the same anywhere: the first heading and 第一条 of a text flattened to one line, right after its
# history (…会议通过第一章 总则第一条 为了…)
GLUED_HEADING_ANYWHERE = re.compile(_GLUED_BODY)
# a commencement clause (本条例自2020年1月1日起施行, 自公布之日起执行): the last articles of a whole text have one
COMMENCEMENT = re.compile(r"(?:自|从|于)[^。；\n]{0,40}?(?:起|之日)[^。；\n]{0,8}?(?:施行|实施|执行|生效)"
                          r"|(?:起|开始)(?:施行|实施|执行|生效)|施行。?$")
# what every match of COMMENCEMENT holds: an article without one of these is not looked at further
COMMENCEMENT_VERBS = ("施行", "实施", "执行", "生效")
# what follows a label when it is an in-text reference (第三条第二款, 第十二条规定的, 第五条至第八条,
# 第八条中的). A lone 中/和/及 is not enough: articles start with 中山市, 和田地区, 中小学校 …
REFERENCE_TAIL = re.compile(
    rf"[ ]*(?:第[{CN_DIGITS}\d]|规定|所[列称指述]|的规定|中(?=[的所规第有，,；;。])"
    rf"|(?:和|或者|及|至|到|、)[ ]*(?:第[ ]*)?[{CN_DIGITS}\d]+[ ]*条)"
)
HEADING = re.compile(r"[ ]*(?:【(?P<a>[^】\n]{1,40})】|〔(?P<b>[^〕\n]{1,40})〕|\[(?P<c>[^\]\n]{1,40})\]"
                     r"|[（(](?P<d>[^（）()\n]{2,15})[）)])[ ]*")
# a parenthesis right after the label is a heading (第一条（立法目的）) unless it is a sentence, an
# item mark, an abbreviation note or an editorial mark (（删除）, （略）, （2020年修订）)
PAREN_NOT_HEADING = re.compile(rf"[，。；：,;:！？!?]|^[{CN_DIGITS}\d]+$|^(?:以下|简称|含|不含|注|略|删除|删去|同上)|(?:修订|修正|修改|废止|新增|增加)$")
# a line that opens with a label of any kind (not a heading's title on its own line)
ANY_LABEL = re.compile(rf"[ ]*(?:第[ ]*{NUM}[ ]*[条章节编款项]|[{CN_DIGITS}]{{1,4}}[、．.]|[（(][{CN_DIGITS}\d]{{1,3}}[）)]"
                       r"|\d{1,3}[、．.])")
# provisions of documents that have no 第X条: 一、 or 1、 / 1. at the start of a line
PROVISION_CN = re.compile(rf"^[ ]*(?P<label>(?P<num>[{CN_DIGITS}]{{1,4}})[、．.])[ ]*", re.MULTILINE)
PROVISION_ARABIC = re.compile(r"^[ ]*(?P<label>(?P<num>[0-9０-９]{1,3})(?:[、．]|\.(?![0-9])))[ ]*", re.MULTILINE)
# list marks, by rank: （一） > 一、 > 1. / 1、 > （1） > ①
ITEM_MARKS = {
    "paren_cn": re.compile(rf"[（(](?P<num>[{CN_DIGITS}]{{1,4}})[）)]"),
    "cn": re.compile(rf"(?P<num>[{CN_DIGITS}]{{1,4}})、"),
    "arabic": re.compile(r"(?P<num>[0-9０-９]{1,3})(?:[、．]|\.(?![0-9]))"),
    "paren_arabic": re.compile(r"[（(](?P<num>[0-9０-９]{1,3})[）)]"),
    "circled": re.compile("(?P<num>[\u2460-\u2473])"),
}
# a list announced (…履行下列职责：, 有下列情形之一的) — a paragraph saying so should have items.
# (下列|以下|如下)…：$ or 下列…情形, written to start with the first character alone, so that the regex
# engine skips from 下/以/如 to the next instead of trying every character
LIST_LEAD_IN = re.compile(
    r"[下以如](?:(?:(?<=下)列|(?<=[以如])下)[^。\n]{0,30}[：:]\s*$"
    r"|(?<=下)列[^。；，\n]{0,8}?(?:情形|职责|行为|事项|规定|工作|条件|措施|义务|权利|内容|要求))"
)

# -- metadata -----------------------------------------------------------------------------------
DATE = re.compile(r"(?P<y>\d{4}|20[xX]{2})[ ]*年[ ]*(?P<m>\d{1,2}|[xX]{1,2})[ ]*月[ ]*(?P<d>\d{1,2}|[xX]{1,2})[ ]*日")
# a prohibition anywhere in a provision (不得…, 禁止…, 严禁…, 不准…); not 禁止 naming a kind of
# thing (法律禁止发布的信息, 禁止性规定)
PROHIBITION = re.compile(r"不得|禁止(?!性|[^，,。；;：:\n]{0,12}的)|严禁|不准")
# a piece of a provision: a sentence or clause group (up to 。；), or an item （一）…
PIECE = re.compile(r"[（(][一二三四五六七八九十]{1,3}[）)][^（(。；;\n]*[。；;]?|[^。；;\n]+[。；;]?|\n")
# a calendar date written in Chinese numerals (二〇二二年九月二十三日, 一九九七年十月): never a figure
CN_DATE = re.compile(r"[〇零○一二三四五六七八九]{4}年(?:[一二三四五六七八九十]{1,2}月(?:[一二三四五六七八九十]{1,3}日)?)?")
# a figure with legal effect — a number and its unit: a time limit (三十日, 15个工作日, 每半年), an amount
# (五万元), a share (百分之二十, 30%), a count or age (三人以上, 十八周岁). Not an ordinal (第三十日, 第一次).
FIGURE = re.compile(
    rf"(?<![第{CN_DIGITS}0-9.])(?P<num>百分之[{CN_DIGITS}0-9.]+|[{CN_DIGITS}万亿0-9][{CN_DIGITS}万亿0-9.]*|半)"
    r"(?P<unit>个工作日|工作日|个小时|小时|个月|日|天|周岁|周|月|年|万元|元|倍|%|％|人|名|岁|户|次(?!性)|公里|米|平方米)"
)
# a date left blank (draft): 20xx年, x月x日, 年月日起施行 — searched for, not matched: the x forms
# start with one x-like mark (the regex engine skips from mark to mark; a 20 before 20xx年 changes
# nothing about whether there is one), and the form without an x with 年, which it skips to as well
PLACEHOLDER_DATE = re.compile(r"[xX×Ｘ＊*](?:[xX×Ｘ＊*]年|(?<=[xX×Ｘ])[xX×Ｘ]?月[xX×Ｘ]{1,2}日)")
# the characters a match of PLACEHOLDER_DATE starts with: a text holding none is not scanned (a
# search for one character is many times faster than the pattern's scan of a Chinese text)
PLACEHOLDER_MARKS = "xX×Ｘ＊*"
BLANK_DATE = re.compile(r"年[ ]*月[ ]*日起施行")
EFFECTIVE = re.compile(rf"自(?P<date>{DATE.pattern}|公布之日|发布之日|印发之日)起(?:施行|执行|实施|生效)")
REPEALED = re.compile(r"《(?P<title>[^《》\n]{2,80})》[^。\n《]{0,10}?同时废止")
TITLE_SUFFIX = re.compile(
    rf"(?:{'|'.join(TITLE_KINDS)})(?:（(?:草案|修订草案|征求意见稿|试行|修正)[^）]{{0,10}}）)?$"
)
# a title followed on its line by the history of the text, in brackets or not (…条例（2020年7月1日…通过）,
# …条例2020年7月1日 …会议通过2020年9月…批准): a text flattened to one line. The title is what precedes.
_YEAR = r"(?:\d{4}|[〇○零一二三四五六七八九]{4})[ ]*年"
_HISTORY_WORD = r"(?:通过|公布|修正|修订|批准|施行)"
TITLE_THEN_HISTORY = re.compile(
    rf"^(?P<title>[^（\n]{{1,58}}?(?:{'|'.join(TITLE_KINDS)})(?:（(?:草案|修订草案|征求意见稿|试行|修正)[^）]{{0,10}}）)?)[ ]*"
    rf"(?:（(?=[^）\n]{{0,200}}{_YEAR})[^）\n]{{0,200}}{_HISTORY_WORD}[^）\n]{{0,40}}）"
    rf"|(?={_YEAR})[^\n]{{0,200}}?{_HISTORY_WORD}[^\n]*$)")
DRAFT_MARK = re.compile(r"草案|征求意见稿|送审稿|修改稿")
# compilation separators such as 社区平安建设制度 3 (a stem repeated with a running number)
COMPILATION_HEADER = re.compile(r"^[ ]*(?P<stem>[^\n]{2,40}?)[ ]*(?P<num>[0-9]{1,3})[ ]*$", re.MULTILINE)
# site furniture around copied texts
BOILERPLATE_LINE = re.compile(
    r"推荐度|相关推荐|相关文章|相关阅读|延伸阅读|上一篇|下一篇|责任编辑|返回顶部|打印本页|关闭窗口|分享到|"
    r"浏览次数|阅读次数|点击数|版权所有|免责声明|扫一扫|二维码|收藏本文|【打印】|【关闭】"
)
# what a page or file puts after the law: a source line or a bare address (原文链接：http://…, 来源：…)
FOOTER_LINE = re.compile(
    r"[ ]*(?:(?:原文|本文|文章|信息|法规|资料|数据)?(?:链接|地址|出处|来源|网址)(?:[ ]*[:：]|[ ]*(?:https?://|www\.))"
    r"|转载|(?:https?://|www\.)[^\s，。；]{3,}[ ]*$)")
# an attachment after the last article (附件1：…名录, 附表): not an article, back matter
APPENDIX_LINE = re.compile(r"[ ]*附(?:件|表|录)[ 0-9一二三四五六七八九十、：:（）()]{0,8}[^。；\n]{0,40}$")
ADOPTION_NOTE = re.compile(r"^[ ]*[（(][^\n]{0,300}?(?:通过|批准|公布|修正|修订)[^\n]{0,200}$")
# header date lines: a line (or note) that opens with a date, after a bracket and/or 根据
HEADER_EVENT_START = re.compile(rf"^[ \t　\xa0]{{0,4}}[（(]?[ \t　\xa0]{{0,4}}(?:根据)?[ \t　\xa0]{{0,4}}{DATE.pattern}")
# the act that closes a header clause: 通过, 批准, 第一次修正, 修订通过, …公告第39号公布, 施行
HEADER_EVENT_KIND = re.compile(
    rf"(?:第[{CN_DIGITS}]{{1,4}}次)?(?:(?P<amend>修正|修订|修改)(?:通过)?|(?P<act>通过|批准|公布|发布|施行|实施))$"
)
# what may trail a clause before the next one: separators, stray brackets, 根据 / 自 of the next clause
HEADER_CLAUSE_TAIL = re.compile(r"(?:[\s　\xa0（）()【】\[\]，,。；;、：:]|根据|自)+$")
# a 通过/批准 or 的 joining the meeting to the 决定 it passed (…会议通过的《关于修改…的决定》修正)
HEADER_BODY_TAIL = re.compile(r"(?:通过|批准)?的?$")
# a resolution's or decision's own title: the note under it dates that act, not the regulation
RESOLUTION_TITLE = re.compile(r"(?:决议|决定)$")
# markup a title line may still carry: # headings, **bold**, <b>
TITLE_MARKUP = re.compile(r"^#{1,6}[ \t]*|</?(?:b|strong|h[1-6])>|\*\*")
TITLE_MARKUP_CHARS = "#<*"  # (one of them is in every match: a text holding none has no markup)
# an autonomous county or banner named in a title: 长阳土家族自治县, 鄂温克族自治旗 (never the generic 民族自治县)
AUTONOMOUS_COUNTY = re.compile(rf"[{CJK}]{{1,12}}?(?<!民)族自治[县旗]")

# --- align ---
# What differs between jurisdictions alone, neutralised before provisions are compared.
# "本省/本市/本自治区…" (but not 本区域) → one token
SELF_REFERENCE = re.compile(r"本(?:自治区|自治州|自治县|省|市|州|盟|区(?!域)|县|旗)")
# the lower tiers each kind of jurisdiction names differently: 县（市、区） / 旗区 / 区县 …
COUNTY_TIER = re.compile(
    r"[县旗市区](?:[（(][县旗市区、]{1,8}[）)])|旗县(?:市区|区)?|旗区|县市区|县区|区县|区（县）|县（区）"
)
TOWNSHIP_TIER = re.compile(r"苏木乡镇|乡（镇）|乡\(镇\)|乡镇（街道）|镇（乡）")
VILLAGE_TIER = re.compile(r"嘎查村|嘎查")
PREFECTURE_TIER = re.compile(r"盟市|州市|地（市、州）|市（州）|市州")
# characters that carry no wording (for character-level scores)
NON_WORD = re.compile(rf"[^{CJK}A-Za-z0-9]+")

# --- duties ---
# the head nouns of a body named by what it does (负责信访工作的机构, 处置非法集资的牵头部门)
_FUNCTION_HEADS = "牵头部门|主管部门|工作机构|机构|部门|单位|机关"
# Government levels written before an actor (县级以上人民政府, 市、县（市、区）公安机关, 乡镇（街道）…):
# split off into actor_level. The optional parenthesis covers 县（市、区）, 乡（镇）, 地（市）.
# words that only say where a body is (居住地乡镇人民政府, 事发地县级人民政府): a level, no government
_WHERE_WORDS = "所在地|居住地|户籍地|住所地|发生地|事发地"
# the tiers below the township: their bodies are the 村（居）民委员会
_VILLAGE = "嘎查村|嘎查|村|社区"
_LEVEL_UNIT = (
    r"(?:县级以上|县级及以上|设区的市级?|自治区级|乡镇级|地市级|各级|省级|市级|州级|县级|乡级|本级|同级|上一级|上级|下级"
    rf"|属地|{_WHERE_WORDS}|当地|地方|本|各|自治区|自治州|直辖市|省|市(?!场)|州|盟|地区|地|旗县区|旗县|旗区|区县|县区|县市区|旗|县|区(?!域)"
    rf"|苏木乡镇|乡镇|乡|镇|苏木|城市街道|街道|{_VILLAGE})(?:[（(][^（）()\n]{{1,8}}[）)])?"
)
ACTOR_LEVEL = re.compile(rf"{_LEVEL_UNIT}(?:(?:、|和|及)?{_LEVEL_UNIT}){{0,8}}")
TOWNSHIP_LEVEL = re.compile(r"^(?:苏木乡镇|乡镇|乡|镇|苏木|城市街道|街道)")
VILLAGE_LEVEL = re.compile(rf"^(?:{_VILLAGE})")
# a bare level stands for its government (本市推进…, 自治区应当…) only if it names a government tier
GOVERNMENT_LEVEL = re.compile(r"省|自治区|市|州|盟|县|旗|区|地|乡|镇|街道|苏木|各级")
VILLAGE_TIERS = re.compile(_VILLAGE)
VILLAGE_ONLY_LEVEL = re.compile(rf"(?:{_VILLAGE})(?:[（(](?:{_VILLAGE}|居)[）)])?(?:[、和](?:{_VILLAGE}))?")
# levels that only say where or which (属地管理, 当地…, 上级…): no government of their own
LEVEL_RELATIVE = re.compile(rf"属地|{_WHERE_WORDS}|当地|地方|本级|同级|上一级|上级|下级")
# what a where-word locates, before it (物业|所在地县级…主管部门, 见义勇为|发生地县级财政): no actor
WHERE_PREFIX = re.compile(rf"[{CJK}]{{1,8}}?(?=(?:{_WHERE_WORDS}))")
# 平安湖北建设领导小组, 平安西藏建设组织协调机构: the place inside the name of the coordination body
PINGAN_PLACE_BODY = re.compile(
    rf"平安[{CJK}]{{2,4}}建设(?=组织协调机构|领导小组|社会治理领导小组|指导协调机构|主管机关|办公室)")
# a body named by what it does: 负责信访工作的机构, 处置非法集资的牵头部门 (the 负责 inside is no cue)
FUNCTION_BODY = re.compile(
    r"(?P<verb>负责|主管|承担|负有)(?P<field>[^，。；：\n的]{2,24}?)(?:工作)?(?:职责)?的"
    rf"(?P<head>{_FUNCTION_HEADS})$"
    r"|(?P<field2>[^，。；：、\n的]{2,20}?)的(?P<head2>牵头部门|主管部门)$")
FUNCTION_HEAD = re.compile(rf"的(?:{_FUNCTION_HEADS})")
# a place the gazetteer lacks, named like a place, before an actor (浦东新区司法行政部门)
# (no function word after its first character, no 社区: 定期向社区|党委 is no place)
PLACE_LIKE = re.compile(rf"[{CJK}](?:(?![向对从由将把被的报所])[{CJK}]){{1,5}}(?<!社)(?:新区|开发区|自治县|县|区|市|州|旗|盟)")
# what may sit inside a coordinated list of actors
NP_SEP = re.compile(r"、|及其|以及|及|和|或者|或|与|同")
NP_PAREN = re.compile(r"[（(][^（）()\n]{1,24}[）)]")
# a copula after a named subject (市公安局是…主管部门，负责…): the rest is a predicate nominal, not a bearer
DUTY_COPULA = re.compile(r"[ ]*(?:是|为)(?!了|此|由|保障|维护|加强|促进|规范)")
# a target a standard sets (暂住人口办证率达到95%): a rate to reach, nobody's duty
DUTY_TARGET_RATE = re.compile(r"^[^，。；]{0,8}率(?:达到|不低于|保持|控制在|在)")
# a clause that only continues the subject list of the clause before (…人民团体，以及消保委、商会等，结合…)
DUTY_LIST_CONTINUED = re.compile(r"^(?:以及|及(?![时早])|或者)(?P<np>[^，。；：]{2,60}?)(?:等)?$")
# … and a statement of who answers for what (分管负责人为直接责任人): names a role, imposes nothing
DUTY_ROLE_STATEMENT = re.compile(r"^[^，。；]{1,10}(?:为|是)[^，。；]{0,20}(?:责任人|负责人)$"
                                 # … or the other officers' share of it (其他负责人对分管领域…负直接领导责任)
                                 r"|^(?:其他|分管|主要|直接)[^，。；]{0,4}(?:负责人|责任人)(?:对|承担|负)")
NP_MODIFIER = re.compile(r"其他|其|各类|各|相关|有关|上述|小区|相应|每个|每一|所有|城市|城镇|农村")
# "…等部门", "…等负有安全生产监督管理职责的部门", "…等依法对…负有审批、处罚等监督管理职责的部门":
# the head noun shared by a list
NP_ETC = re.compile(r"等(?:(?:依法|负有|承担|履行)[^，。；：\n]{1,40}的|[^，。；：、\n]{1,30}?的)?")
NP_GENERIC_HEAD = re.compile(
    r"(?:有关|相关|其他)?(?:行业|业务)?(?:主管部门|监管部门|职能部门|部门|单位|机构|机关|市场主体|经营者|服务提供者|组织)")
# the head of a body's name, after its field (医疗|卫生机构, 城乡建设|主管部门)
BODY_HEAD_TAIL = re.compile(r"(?:行政主管|主管|行政管理|管理|工作|服务)?(?:部门|机关|机构)$")
FIELD_IN_ORDER_MIN = 4  # a field word this long may run through another with words between
NP_GENERIC_DEPT = re.compile(r"(?:有关|相关|其他)?(?:行政管理|行政主管|行政执法|监督管理|行政|管理)部门")
# society as one member of a list of bearers (政府、社会、学校和家庭应当…): everyone
NP_EVERYONE_ITEM = re.compile(r"(?:全)?社会(?:各方|各界)?")
# a list of kinds of units closed by 等单位, then individuals: everyone (机关、团体、企业、事业等单位及个人)
NP_EVERYONE_TAIL = re.compile(r"等单位(?:和|及|以及|或者)个人$")
# what a list item may add to a known stem before the next item or 等: 住房城乡建设管理、交通港口等部门
NP_ITEM_TAIL = re.compile(rf"[{CJK}]{{1,4}}?(?=、|等)")
NP_DEPARTMENT_HEAD = re.compile(r"部门|机关")  # a list head naming departments
NP_ITEM_FIELD_WORD = re.compile(r"监督管理|管理|执法|监管")  # (a verb, but in a department's name the field's work)
# a body's staff written with 的: 国家机关的(在职)工作人员 (the lexicon knows 国家机关工作人员)
KIND_BEFORE_DE_MAX = 8  # X in X的单位 naming a known kind of body (特种行业的单位)
PERSON_OF_OWNER_MAX = 16  # X in X的主要负责人 / X的父母: a few names, not a clause
NP_STAFF_OF = re.compile(rf"(?P<body>[{CJK}]{{2,12}}?)的(?:在职|在编|现职)?(?P<staff>工作人员|人员|职工)")
# the staff of a place, named with 的 (消防控制室的值班人员, 人员密集场所的工作人员): one name, without the 的
NP_STAFF_OF_PLACE = re.compile(rf"(?P<place>[{CJK}]{{1,8}}(?:室|场所|场馆|部位|岗位|现场))的(?P<staff>[{CJK}]{{0,4}}(?:工作人员|人员|职工))")
NP_HEAD_TAIL = re.compile(r"(?:、|和|及)(?:机构|单位|监管部门|部门|服务提供者|人民团体|群团组织)")
# an item of a list that the lexicon does not know (生态环境, 网约车) — only between separators
NP_UNKNOWN_ITEM = re.compile(rf"[{CJK}]{{1,8}}?和[{CJK}]{{1,8}}?(?=、)|[{CJK}]{{1,10}}?(?=、|等|和|及|以及|或者)")
# (住房保障和房产管理、交通运输…等部门: inside a 、-list, 和 joins the words of one name)
# "…监察委员会（以下简称监委）": an alias defined in the text
ALIAS_DEFINITION = re.compile(r"[（(](?:以下简称|以下称|简称)[“\"「]?(?P<short>[^（）()”\"」\n]{1,15})[”\"」]?[）)]")
ALIAS_FULL_NAME = re.compile(rf"[{CJK}（）()]{{2,30}}$")
# the verbs by which a text sets a body up (设立, 成立 …), and the heads of the bodies it sets up
_SET_UP = "设立|成立|组建|建立|设置"
_SET_UP_BODY = "委员会|领导小组|工作小组|办公室|中心|工作站"
SET_UP_VERB = re.compile(_SET_UP)
# a body named by kind after a 的-clause saying what it does (为未成年人提供课外培训的教育培训机构)
DE_MODIFIED_BODY = re.compile(rf"的[{CJK}]{{2,10}}(?:机构|企业|单位|组织|协会)$")
# a body the regulation sets up (…应当成立见义勇为评定委员会): later 评定委员会 alone is that body
ESTABLISHED_BODY = re.compile(rf"(?:{_SET_UP})(?P<name>[{CJK}]{{2,12}}?(?:{_SET_UP_BODY}))(?=[，。；、（(]|负责|$)")
ESTABLISHED_SHORT_MIN = 4  # a shorter tail (委员会, 中心) names any body
QUANTIFIER = re.compile(r"^(?:若干|一个|一批|多个|专门)")
# people named by the work they are responsible for: 负责|调处土地权属纠纷的负责人及工作人员
_PEOPLE_BY_WORK = r"[^，。；]{1,25}?的(?:主要)?(?:负责人|工作人员)"
PEOPLE_BY_WORK = re.compile(_PEOPLE_BY_WORK)
# modal cues. 应 alone is a cue only before a verb-like character (not 应急, 应用, 应对, 相应 …).
# 不予 names a decision, not a prohibition, before 的决定 / 决定书 / 通知书 (对…不予援助的决定有异议的: a noun)
DUTY_CUE = re.compile(
    r"(?P<right>有权(?![机利])(?=[\u4e00-\u9fff]))"  # 有权劝阻: a right (有权机关 is a name)
    r"|(?P<prohibit>不应当|不得|严禁|禁止|不准|不予(?![^，。；]{0,12}?(?:决定|通知书))|不应(?=[\u4e00-\u9fff])|不再(?=受理|处理|办理|审批|批准|登记))"
    r"|(?P<may>可以|方可(?!以)(?=[\u4e00-\u9fff])|(?<=[并也均亦])可(?=[\u4e00-\u9fff])(?![能靠行见是]))"
    r"|(?P<shall>应当|必须|牵头负责|负总责|负有(?![^，。；]{1,30}?的[^，。；]{0,6}?(?:人员|部门|单位|机构|机关|组织|人))"
    r"(?=[^，。；]{0,30}?(?:责任|职责|义务))"  # (负有…职责的部门 is a name)
    r"|有(?:责任|义务)(?=[\u4e00-\u9fff])|有(?=[^，。；]{1,30}?的(?:权利和)?(?:义务|责任)[，。；]?)"
    rf"|负责(?![人的])(?!制(?![定订作]))(?![^，。；]{{1,25}}?的(?:工作)?(?:{_FUNCTION_HEADS})[^，。；]{{0,4}}?(?:应当|必须|可以|不得|负责))"
    rf"(?!{_PEOPLE_BY_WORK})"  # (负责调处…的负责人及工作人员: people named by their work)
    r"|(?<![相响适供反回对感效呼顺照理答])应(?![当急用对变答征聘届试邀运收付激验允诺考招该时])(?=[\u4e00-\u9fff]))"
    r"|(?P<encourage>(?:鼓励|支持|引导|倡导|提倡)(?:[、和与及]{0,2}(?:鼓励|支持|引导|倡导|提倡)){0,3})"
)
# 方可 (only then may): a permission of the subject named in its clause (相关部门方可办理), else a condition
DUTY_CUE_ONLY_THEN = re.compile(r"方可")
# a cue inside a relative clause (业主应当履行的义务, 有关部门应当承担的…职责有规定的): it names a duty, imposes none
DUTY_CUE_RELATIVE = re.compile(r"(?:依法)?(?:履行|承担|遵守|负有|执行)的")
# cues by which the regulation itself speaks (鼓励…, 禁止…): only at the start of a segment, or after
# the words by which a regulation names its own voice (本市鼓励…, 国家鼓励…, 全社会倡导…)
# a subject that is a document the regulation prescribes, not an actor (村民自治章程、村规民约不得…)
DOCUMENT_SUBJECT = re.compile(r"(?:章程|规约|公约|民约|合同|协议|方案|预案|规划|议事规则|守则)$")
# … unless the text names who makes it: 建设单位制定的临时管理规约，不得… binds the 建设单位
DOCUMENT_MAKER = re.compile(r"^(?P<np>[^，。；的]{2,40}?)(?:制定|编制|制订|订立|拟定|起草|修订)的[^，。；]{0,16}$")
REGULATION_VOICE = re.compile(rf"(?:{SELF_REFERENCE.pattern}|国家|全社会)(?:积极|大力|依法)?")
# a paragraph speaking of the one before it (发现…有前款规定行为的，应当予以劝阻): what it refers to is its text
REFERS_BACK = re.compile(r"前款|上款|前[两二三]款|上述|前述")
REGULATION_CUE = re.compile(r"^(?:鼓励|支持|引导|倡导|提倡|禁止|严禁)")
# a place before 禁止/严禁 names no forbidden party: 物业服务区域内禁止下列行为 is the regulation's own ban
REGULATION_BAN_PLACE = re.compile(rf"(?:在)?[{CJK}（）、]{{1,24}}?(?:区域内|范围内|之内|以内|内|周边|周围)")
# after an encouragement, 引导 is what the encouraged do (鼓励村委会…，引导村民…); 鼓励/支持 start anew
REGULATION_CUE_AGAIN = re.compile(r"^(?:鼓励|支持|倡导|提倡|禁止|严禁)")
# a sentence (a ；-clause stays in its sentence): what duties are read from, and a piece of a long
# paragraph alignment compares on its own
SENTENCE = re.compile(r"[^。！？\n]+[。！？]*")
DUTY_SENTENCE = SENTENCE
# a comma between clauses — not one inside a parenthesis (…特种行业的单位（含个体工商户，下同），应当…)
DUTY_CLAUSE_SEP = re.compile(r"[，,](?![^（(）)]*[）)])")
DUTY_SEGMENT_SEP = re.compile(r"[；;]")
DUTY_CONNECTOR = re.compile(r"^(?:并且|并|且|同时|另外|此外|而且|其中|还|也)")
DUTY_CONNECTOR_TAIL = re.compile(r"(?:并且|并|且|同时|还|也)$")
# exceptions: 但…除外, 法律、法规另有规定的（，从其规定 / 除外）
DUTY_EXCEPTION = re.compile(
    r"[，,]?(?:但(?:是)?[^。；\n]{0,80}?除外"
    r"|(?:法律|法规|行政法规|国家|上级)[^，。；\n]{0,20}另有规定的(?:[，,]?(?:除外|从其规定|依照其规定|依其规定))?"
    # 除因追查犯罪的需要由公安机关…检查…外，任何组织或者个人不得开拆: what is excepted is nobody's duty
    r"|(?<![^，,；\n])除(?!外)[^。；\n]{2,120}?外(?=[，,]))")
# conditions: 发现…的 / 对…的 / …时 / 在…前
DUTY_CONDITION_START = re.compile(r"^(?:发现|遇有|遇到|如果|如|若|凡|一旦|有下列|对于)")
NP_CONTINUES = "的之、和与及或等（("  # what may follow a name that does not end it (…组织的, …组织、…)
# the first head of a body (not of persons, 多人, nor of a team, 专职消防队确需撤销的) in a 的-condition
CONDITION_BODY_HEAD = re.compile(r"(?:组织|机构|单位|企业|公司|中心|协会|商会|委员会)(?=[^，。；\n])")
DUTY_CONDITION_END = re.compile(r"(?:的|时|之前|之后|以前|以后|前|后|期间|过程中)$")
DUTY_CONDITION_TAIL = re.compile(r"(?:发现|遇有|对)[^，。；\n]{1,40}的$")
# after the subject: 办理案件中发现…, 在受理投诉中发现… (a condition even without 的)
DUTY_CONDITION_FIND = re.compile(r"^[^，。；\n]{0,16}?(?:中|时|后)发现|^在[^，。；\n]{1,30}?(?:中|时)|^(?:接到|收到|接获|发现)")
# "…司法行政部门以及其他履行执法职责的部门": a list continued by a modified head
NP_LIST_THEN_MODIFIED = re.compile(r"(?:以及|及|和|、|或者)(?:其他|其)?[^，。；\n]{1,30}的[^，。；\n]{1,12}$")
# legal consequences written like duties: 依法追究刑事责任, 依法给予处分
DUTY_LIABILITY = re.compile(r"^(?:依法)?(?:追究|给予)[^，。；\n]{0,6}(?:刑事责任|法律责任|处分|处罚)$")
# what may sit between a subject and its modal (依法, 按照各自职责, 在作出决策时 …)
DUTY_ADVERBIAL = re.compile(
    r"^(?:依法|依照|依据|按照|根据|结合|在|对|于|针对|围绕|通过|经|就|向|与|同|从|自|以|为了|均|也|还|都|要|须"
    r"|各自|分别|共同|具体|主要|统一|积极|及时|切实|定期|主动|严格|认真|全面|直接|另行|必须|首先|每年|每月|一律|可"
    r"|或者|及其|办理|收集|使用|作出|做出|实施|开展|履行|受理|举办)")
# a task named as the shared responsibility of a list: 保障学校安全是各级人民政府…、学校、学生的共同责任
DUTY_RESPONSIBILITY_OF = re.compile(
    r"^(?P<action>[^，。；：]{2,40}?)(?:是|为)(?P<np>[^，。；：]{2,80})的(?:共同)?(?:责任|职责|义务)$")
# … and a body named the one responsible for a task: 生产经营单位是本单位安全生产的责任主体
DUTY_RESPONSIBLE_SUBJECT = re.compile(
    r"^(?P<np>[^，。；：]{2,40}?)(?:是|为)(?P<action>[^，。；：]{2,40}?)的(?:第一)?责任(?:主体|单位|人)$")
# a pure adverbial clause (根据工作需要，…): it qualifies the next clause
# an apposition after the subject: 公安机关作为社会治安的主管部门，…
DUTY_APPOSITION = re.compile(r"^[ ]*作为[^，。；\n]{1,40}$")
# the agent of an allocation: (对…的)由有关部门给予表彰, 日常工作由民政部门办理 (not 由于, 理由, 自由 …)
DUTY_AGENT = re.compile(r"(?:^|(?<=[^理自经缘事来]))由(?![于此])(?![^，。；]{0,40}?(?:组成|构成))")  # (由…组成: members)
# the persons of a body the lexicon names, as the agent after 由 (由业主代表代为转交, 由村民委员会成员…)
AGENT_PERSON_OF = re.compile(r"(?:代表|成员)$")
# after the agent: 由社区党委书记担任组长, 由…的人员担任 — who fills a post, not a duty of the body
DUTY_AGENT_POST = re.compile(r"[^，。；]{0,12}?(?:担任|兼任)")  # (matched at a position: no ^)
# a quota in a body's composition binds no one: 村民代表应当占村民代表会议组成人员的五分之四以上, 业主代表不得少于
# 二分之一, 多民族村民居住的村，应当有人口较少的民族的代表 (who sits in it, as 由…组成; not who must act)
_QUOTA = (r"(?:[^，。；]{1,30}[，,])??[^，。；]{0,20}?(?:应当占|应占|不得少于|不少于|不得超过|不超过)[^，。；]{1,30}?"
          r"(?:组成人员|总数|总人数|人数|成员|名额|委员)[^，。；]{0,12}?(?:以上|以下|之一|二分之一|半数)"
          r"|(?:[^，。；]{1,30}[，,])?(?:其中)?应当有[^，。；]{1,30}?的(?:代表|成员|委员)")
# sentences that impose nothing: definitions and statements of status
DUTY_NONE = re.compile(r"^(?:本(?:条例|规定|办法|细则)|前款|第[一二三四五六七八九十]+款)?所称[^，。；]{0,30}?[，,]?(?:是指|系指|包括)|[^，。；]{1,20}，是指"
                       r"|受法律保护(?:[，,]不受[^，。；]{1,40}?干预)?[。；]?$|^为(?:了)?[^。]{2,200}制定本(?:条例|规定|办法|细则)"
                       r"|^本(?:条例|规定|办法|细则)适用于|参照本(?:条例|规定|办法|细则)|适用本(?:条例|规定|办法|细则)"
                       r"|(?:坚持|遵循)[^。；]{0,60}(?:原则|方针)[。；]?$"  # (purposes, scopes, principles)
                       r"|^[^，。；]{2,20}由[^，。；]{1,40}(?:组成|构成)(?:[，,]" + _QUOTA + r")*[。；]?$"  # (X由…组成: who its members are)
                       r"|^" + _QUOTA + r"(?:[，,]" + _QUOTA + r")*[。；]?$")  # (…应当占…以上: a quota of members)
DUTY_ADVERBIAL_CLAUSE = re.compile(
    r"^(?:依法|依照|依据|按照|根据|结合|在|针对|围绕|通过)[^，。；\n]{0,30}"
    r"(?:需要|职责|分工|规定|要求|轻重|实际|情况|下|中|内|权限|范围|特点|原则)$")
# … unless it carries out what it names (依法对未成年人承担监护职责, 依法履行…职责): a predicate
DUTY_CARRY_VERB = re.compile(r"履行|承担|行使")
# after a named subject, a clause-long prepositional phrase (对在…方面取得显著成绩的单位和个人): its
# object is no subject, the predicate follows in the next clause
DUTY_OBJECT_FIRST = re.compile(r"^(?:对于|对|针对)[^，。；]{2,60}(?:的|单位|个人|人员|组织)$")
# a clause opened by a preposition: what follows is its object, never the subject
DUTY_PREPOSITION = re.compile(r"^(?:对于|对|向|为|给|与|同|由|把|将|在|从(?!业)|经(?![营销办手]))")  # (经营…的单位, 从业人员)
# … unless it opens a 的-clause naming a subject by what it does (为未成年人提供课外培训的机构, 从事…的企业)
DUTY_RELATIVE_CLAUSE = re.compile(r"^(?:为[^，。；的]{1,20}?(?:提供|开展|办理)|从事)[^，。；]{1,30}的")
# a prepositional phrase with no predicate after it (对违反本条例规定的行为，应当…)
DUTY_PREPOSITIONAL_PHRASE = re.compile(
    r"^(?:对于|对|在|就|针对)[^，。；\n]{1,30}(?:的|行为|情况|问题|事项|案件|人员|单位|个人|组织|期间|中|时|下|内)$")
# an actor's duty to encourage others (…应当引导和支持社会组织参与…): the encouraged act of their own accord
DUTY_NESTED_ENCOURAGE = re.compile(r"(?:鼓励|支持|引导|倡导|提倡)(?:[、和与及]{0,2}(?:鼓励|支持|引导|倡导|提倡|帮助)){0,3}")
DUTY_ENCOURAGED_ACT = re.compile(r"(?:积极|主动|广泛|有序|依法)?(?:参与|参加|开展|建立|设立|成立|组建|发挥|提供|兴办|举办|加入|投入|捐赠|从事|融入)")
# 鼓励X与Y合作 / …与Y联合开展… / …与Y之间签订协议: Y is X's partner, not encouraged itself
DUTY_JOINT_PARTNER = re.compile(r"[与同][^，。；]{1,40}?(?:合作|联合|共同|协作|协商|签订|之间)")
# 鼓励在…领域建立…, 鼓励通过捐赠…: the encouragement names how, not whom
DUTY_ENCOURAGED_HOW = re.compile(r"^(?:在|通过|对|向|为|以|按照|依法|积极)")
# the predicate of a declarative duty (公安机关依法打击…, 市人民政府建立…): adverbs, then a verb or preposition
# a clause opened by an adverb is a predicate, never a subject (及时疏散可能危及的其他人员: 其他人员 is its object;
# not 依法, which opens names too: 依法设立的商事调解组织)
PREDICATE_ADVERB_START = re.compile(r"^(?:并|及时|立即|迅速|尽快|随时|积极|主动|定期|切实|严格|认真)")
DUTY_DECLARATIVE = re.compile(
    r"^(?:依法|具体|主要|统一|共同|分别|各自|积极|及时|定期|切实|严格|认真|全面|主动|直接|每年|每月|逐步|不断|充分|密切|另行"
    r"|广泛|深入|大力|加快|着力|重点|还|也|均|要)*"
    r"(?:对|在|与|同|向|按照|依照|依据|根据|结合|通过|会同|协同|配合|协助|针对|围绕|就|从(?!业)|由|将|把"
    r"|负责(?!人)|主管(?=本|全|[^，。；]{1,30}?工作)|牵头|建立|健全|完善|加强|开展|组织|落实|推进|推动|做好|实行|实施|履行|承担|指导|监督|检查|督促|协调|统筹"
    r"|制定|设立|成立|设置|配备|查处|打击|惩处|惩治|防范|预防|维护|保障|保护|提供|发挥|参与|处理|办理|执行|遵守|接受"
    r"|报告|受理|审理|管理(?![人员])|规范|领导(?![人小干])|部署|考核|评估|研判|排查|化解|调解|宣传|教育|引导|支持|鼓励|培育|发展|建设|整合"
    r"|创新|提高|提升|促进|确保|强化|深化|聘任|选聘|给予|予以|作出|做出|决定|审查|备案|公布|发布|收集|采集|登记|核查"
    r"|核实|验视|监测|预警|处置|应对|救助|帮扶|依托|运用|利用|实现|形成|构建|编制|组建|确定|明确|划分|分析|指挥|调度"
    r"|移送|通报|约谈|挂牌|责令|追究|表彰|奖励|吸纳|动员|发动|培训|普及|推广|总结|掌握|了解|搭建|完成|保持|定期|贯彻"
    r"|统一|承办|探索|倡导|弘扬|培养|加大|严厉|严密|坚持|防止|杜绝|消除|及时|妥善|依靠|汇总|张贴|采取|进行|提出|听取"
    r"|征求|聘请|邀请|签订|公开|公示|研究|帮助|调查|解决|起草|拟定|制订|修订|整治|整顿|清理|取缔|侦查|侦破|审判"
    r"|挽救|疏导|巡逻|督办|督查|评比|评选|授予|颁发|发放|批准|审批|收缴|查封|扣押|认定|确认|公告|通知|告知|答复"
    r"|转送|交办|报送|上报|反映|举报|检举|协商|指派|安排|做|抓|搞|办|管|设)")
# the verb by which a body's functions are declared (…行业协会履行下列职责, …负责…, 承担…): it closes a name
# the lexicon only partly knows (物业管理行业协会); other declarative verbs also open predicates on objects
# (学校建设应当…, 联合有关部门开展…), so only these
DUTY_FUNCTION_VERB = re.compile(r"(?:依法)?(?:履行|负责(?![人的])|承担)")
# a list announced in a lead-in: items carry the lead-in's subject and modality …
DUTY_LIST_LEAD = re.compile(r"(?:下列|以下|如下)[^。；，\n]{0,8}?(?:职责|工作|事项|任务|措施|义务)|[：:]\s*$")
# … unless they are conditions (有下列情形之一的) or contents
DUTY_LIST_CONDITION = re.compile(
    r"(?:下列|以下|如下)[^。；，\n]{0,8}?(?:情形|行为(?!规范|准则)|情况|条件|内容|原则|材料|资料|文件|证件|证明)|包括[：:]|(?:就|对)(?:下列|以下)")
# "下列人员应当承担…：（一）律师；（二）公证员" — the items name the bearers of the lead-in's duty
DUTY_LIST_BEARERS = re.compile(
    r"^(?:下列|以下)(?:人员|单位|机构|部门|组织|机关)(?P<rest>(?:应当|必须|可以|不得)[^。；\n]*?)[：:]\s*$")
# "平安建设领导小组的主要职责是：" — the items are the duties of the body named before 的
DUTY_LIST_OF = re.compile(
    r"^(?P<np>[^，。；\n]{2,40}?)(?:在[^，。；\n]{1,30}?中)?的(?:主要)?(?:职责|任务|工作职责)(?:是|包括|为|有)?[：:]\s*$")
# who works with the bearer: 会同 / 协同 / 配合 / 督促 / 协助 + a list of actors
DUTY_COLLABORATION = re.compile(r"(?:会同|协同|配合|督促|协助)(?:[、和]?(?:指导|检查|监督))?")
# the body-naming end of an alias: 公安机关, 网格员 — other aliases (公安, 教育) are stems
ACTOR_BODY_SUFFIX = re.compile(
    r"(?:部门|机关|机构|委员会|会议|中心|小组|办公室|单位|组织|企业|者|人|员|会|联|团|院|局|所|站|队|警|部队|力量|海关|政府"
    r"|媒体|民|众|界|个人|学校|幼儿园|医院|银行|家庭|成员|场所|工具|主体|委|处|办|署|厅|长|机构）|方)$")
ACTOR_HEAD_WORD = re.compile(r"部门|机关|机构|海关")
# a department the lexicon does not know, named the way departments are (医疗保障部门, 数据管理机构):
# a short stem and a body head word, read only where an actor may start …
ACTOR_OPEN = re.compile(rf"(?P<stem>[{CJK}]{{2,10}}?)(?P<head>行政主管部门|主管部门|行政部门|部门|机关|机构)")
# … when the stem is a name, not a phrase (的, 有关, 负责, 各, 本 …), a verb before an actor (配合…,
# 取缔…) or a glued body (…政府…部门)
ACTOR_OPEN_NOT = re.compile(r"[的之应当对在或等将把被由向从按依为其该本各和及与、]|有关|相关|负责|政府|委员会|办事处|小组|派出|派驻"
                            r"|部门|机关|机构|单位|组织|以上|以下|所在|同级|上级|下级|相应|会同|协同|配合|督促|协助"
                            r"|积极|依法|取缔|查处|联合|指导|支持|委托|移送|移交|通知|告知|报请|提请|报告|加强|建立"
                            r"|^(?:工作|专门|日常|办事|常设|专职|具体)$")  # (工作机构 names no field: no body of its own)
# … and when what follows is not a person of the body (部门负责人, 机关工作人员)
ACTOR_OPEN_PERSON = re.compile(r"负责人|主要负责|工作人员|人员|领导|干部|职工")
# a subject the lexicon does not know, named the way bearers are named (律师、公证员、基层法律服务工作者;
# 特种行业和公共场所单位; 医疗纠纷人民调解委员会): it must end in one of these heads …
OPEN_NP_HEAD = re.compile(
    r"(?:部门|机关|机构|委员会|办公室|小组长|组长|小组|中心|协会|学会|商会|基金会|联合会|团体|组织|单位|企业|公司|集团|经营者"
    r"|工作者|人员|成员|代表|会议|家长|监护人|父母|业主|律师|平台|媒体|个体工商户|学校|院校|高校|医院|警察|主体|干部"
    r"|个人|(?<![小])组(?![织成])|(?<!场)所(?![在有属])|(?<!之)处(?![理置罚分])|院|站|队|馆|社|局|厅|委(?!托)|办(?![理法])|者|(?<![个他本])人(?![民])"
    r"|(?<![成人])员|师|户)$"
)
# … and hold no function word, cue or verb (a verb phrase or a prepositional phrase is no name)
OPEN_NP_NOT = re.compile(
    r"[的之应当对在将把被由向按依该是等并本，。；：:“”《》\n]|(?<![行勇])为|从(?!业)|可以|不得|负责(?!人)|本条例|规定|下列|以下|前款"
    r"|会同|协同|配合|督促|协助|鼓励|支持|引导|发现|接到|收到|接受|招用|招聘|雇用|召开|至少|情形|不能|因故|需要|(?<!受)委托(?![人方])"
    r"|违反|违法(?!犯罪)|(?:侵犯|侵害)(?!人)|滥用|行使|玩忽|徇私|拒不|拒绝|阻碍|妨碍|擅自|未经|未按|造成|导致|属于|涉及")  # (a verb may sit inside a name, 医院举办者; never first)
# a body's name followed by the verb 组织 (街道办事处组织开展…): not a body called "…组织"
# a short name of the one who does a thing (管理人, 经营者, 承办人): a person, though it starts with a verb
OPEN_NP_DOER = re.compile(rf"[{CJK}]{{2}}(?:人|者)")
OPEN_NP_VERB_ZUZHI = re.compile(r"(?:政府|部门|机关|机构|办事处|委员会|单位|法院|检察院)组织$")
OPEN_NP_END = re.compile(OPEN_NP_HEAD.pattern[:-1])  # where such a name may end inside a clause
# a body's head closing a list of bodies (各级人民政府及有关部门主要负责人): shared by every body listed when it
# is written on a body's name (not 及其主要负责人, which names the persons apart from their body)
SHARED_PERSON_HEAD = re.compile(r"(?:主要)?负责人$")
# words before a name that only pick which one (其他…, 各类…, 首次业主大会会议: the first meeting of a known body)
OPEN_NP_MODIFIER = re.compile(r"^(?:其他|其|各类|各|首次|第一次)")
# a body's name after 的 that the lexicon does not know (设立的妇女儿童工作委员会): a committee, an office …
OPEN_NP_BODY_END = re.compile(rf"(?:{_SET_UP_BODY})$")
SET_UP_BY = re.compile(rf"(?:{_SET_UP}|确定|指定)$")  # (…设立的 + that body)
# the persons of a body named before them (及其工作人员, 其成员): longest first
_BODY_PERSONS = "组成人员|工作人员|从业人员|主要负责人|负责人|成员|职工"
# its members or staff, after a body named before (…委员会…，其成员可以…): that body's
OWN_PERSON = re.compile(rf"其(?P<person>{_BODY_PERSONS})")
# a body's branch (公安机关派出机构, 市场监管部门的派出机构): that body, as 派出所 is 公安机关
BODY_BRANCH = re.compile(r"的?(?:派出机构|派驻机构|派出单位)$")
OPEN_NP_STAFF = re.compile(_BODY_PERSONS)  # 及其工作人员: the staff of the body before
# a body's leaders, however qualified (主要负责人, 主管…的负责人, 其他负责人, 法定代表人): drafts move
# between these freely, so a change among them is no change of who bears the duty
LEADER = re.compile(r"(?:负责人|法定代表人)$")
# the office of a committee or group: 综治委及其办公室, 流动人口服务管理委员会下设办公室, …领导小组的办事机构
_OFFICE = "(?:常设)?(?P<office>办公室|办事机构|日常工作机构|工作机构)"
# a committee's own office right after its name (安全生产委员会办公室): a body of its own
COMMITTEE_END = re.compile(r"(?:委员会|领导小组|工作小组)$")
OFFICE_AFTER = re.compile(r"办公室|办事机构")
# a trade's association the lexicon does not name (律师协会, 物业服务行业协会, 商事调解行业组织): a 社会组织
TRADE_ASSOCIATION = re.compile(r"(?:协会|行业组织|商会)$")
OPEN_NP_OFFICE = re.compile(rf"(?:下设|内设|设立的|设置的|的)?{_OFFICE}$")
# its own office after 由 (综治委的日常工作由其办事机构负责): the office of the subject named before
OWN_OFFICE = re.compile(rf"其{_OFFICE}")
# the office alone as a subject (…应当设立常设办事机构。办事机构负责…): the office of the body named before
BARE_OFFICE = re.compile(r"(?:常设)?(?:办事机构|办公室|日常工作机构)")
OPEN_NP_OFFICE_OF = re.compile(r"(?:委员会|领导小组|小组|联席会议)$")  # bodies that have an office
# the members of a list: split at its separators (和 inside a 、-list joins the words of one name)
OPEN_NP_SEP = re.compile(r"、|及其|以及|或者|及|和|或|与")
OPEN_NP_SHARED = re.compile(r"^(?:其他|其|有关|相关|各类|各)")  # a member of its own, never sharing a head
OPEN_NP_MAX = 18  # a longer member is a clause, not a name
ACTOR_NOT_A_WORD = re.compile(r"[、（）()]")  # aliases jieba cannot hold as one word
LEVEL_SEP = re.compile(r"、|和|及")
LEVEL_WHERE = re.compile(rf"^(?:{_WHERE_WORDS}|所在)")
# --- outputs ---

# --- query ---
# what a mandates query leaves out: the regulation's own task lists (…的主要任务是：) …
TASK_LIST = re.compile(r"(?:主要)?任务(?:是|包括|为|有)?[：:]\s*$|(?:主要)?任务(?:是|包括)")
# … and its sanctions: a violation named as the condition of a penalty
SANCTION_TRIGGER = re.compile(r"违反|未(?:按照|依照|依法|履行)|拒不|擅自|弄虚作假|徇私舞弊|玩忽职守|滥用职权|骗取")
# a condition naming a breach (…单位未将…备案的, 违反…的): what follows is a sanction, not the subject's duty
CONDITION_VIOLATION = re.compile(SANCTION_TRIGGER.pattern + r"|未(?!成年)|不按照|不履行|不依法")
SANCTION = re.compile(r"罚款|处分|责令|吊销|没收|警告|追究|拘留|取缔|停业|赔偿|撤销|取消|依照其规定|从其规定|规定(?:处理|处罚)|(?:予以|给予)处罚")
SANCTION_ALONE = re.compile(r"罚款|处分|吊销|没收|拘留|追究[^，。；]{0,6}责任|承担(?:法律|民事|刑事|赔偿|行政)责任|责令(?:改正|停业|限期)")
# a liability provision: 违反本条例…规定，…的，由…予以劝阻；拒不…的，处…罚款 — nothing in it is a mandate
# the chapter that holds a regulation's penalties (第六章 法律责任, 罚则); 奖励与处罚 mixes rewards in
LIABILITY_CHAPTER = re.compile(r"^(?:法律责任|罚则|责任追究)$")
# a chapter of rewards and penalties (奖励与处罚, 奖惩: older texts): its articles that sanction are penalties
REWARD_AND_PENALTY_CHAPTER = re.compile(r"^(?:奖励(?:与|和|及)(?:处罚|惩处|惩罚)|奖惩)$")
LIABILITY_SENTENCE = re.compile(r"^违反本(?:条例|规定|办法|细则)")
# a reference to articles of the text itself (违反本条例第二十七条第二款规定, 本办法第十九条第三款、第二十条所列):
# a provision that refers to others carries their matter (a penalty is about the duty it sanctions), so two
# such provisions correspond only where the provisions they refer to do (pingan_corpus.align.relations)
OWN_ARTICLE_REF = re.compile(
    rf"本(?:条例|办法|规定|细则)第[ ]*{NUM}[ ]*条(?:第[ ]*{NUM}[ ]*[款项]|[（(][{CN_DIGITS}\d]{{1,3}}[）)])*"
    rf"(?:(?:、|，|和|或者|或|及|以及|至)第[ ]*{NUM}[ ]*条(?:第[ ]*{NUM}[ ]*[款项]|[（(][{CN_DIGITS}\d]{{1,3}}[）)])*)*")
# the article numbers inside one OWN_ARTICLE_REF match
REF_ARTICLE_NUM = re.compile(rf"第[ ]*(?P<num>{NUM})[ ]*条")
# the coordinated aims at the end of a title (…奖励和保护条例, …预防与处置条例): each about part of it only
TITLE_AIMS = re.compile(rf"[{CJK}]{{2,4}}(?:和|与|及)[{CJK}]{{2,4}}(?:条例|规定|办法|细则)$")
QUERY_SEPARATORS = re.compile(r"[\s，,。；;、：:！!？?“”\"'（）()]+")
QUERY_PUNCT = re.compile(r"\W+")

# -- mandates (duties/query.py) --
# one clause: the text between two clause marks (a 、-list stays inside one clause)
CLAUSE = re.compile(r"[^，,。；;：:\n]+")
# a rule stated with no one named (法律援助的范围包括…, 失信惩戒措施实行清单管理制度): its strength
DECLARED_RULE = (("prohibit", re.compile(r"不得|禁止|严禁|不予|不适用")), ("may", re.compile(r"可以")),
                 ("encourage", re.compile(r"鼓励|支持|提倡|倡导")))
PRINCIPLE = re.compile(r"原则(?:是|为|包括)|(?:坚持|遵循)[^。；]{0,60}(?:原则|方针)|坚持[^，。；、]{1,8}、")
# what a rule is about comes before its list (法律援助的范围包括：…; 告知内容包括…、…等): an item is no subject
RULE_LIST = re.compile(r"包括|下列|以下|如下|[：:]")
