"""Step 3: what people read.

    tables.py       条文对照表 for Word, Excel and HTML; safe cells, file names and fonts
    plots.py        matplotlib figures with a bundled CJK font
    report.py       the one-page corpus report
    interchange.py  Akoma Ntoso 3.0
"""
