"""Step 1: text → regulations.

    normalize.py   decoded text → clean simplified text with a map back to the source
    segment.py     one normalized file → the spans of the documents it holds
    structure.py   one document → parts, chapters, sections, articles, paragraphs, items
    metadata.py    title, jurisdiction and level, status, the header's dated events
    document.py    the verbs: parse_text, parse_file
    labels.py      the 第X条 labels where an article may start
    gazetteer.py   province- and prefecture-level divisions, jurisdiction inference
    regexes.py     every pattern of the steps above (and of alignment and duties)
"""
