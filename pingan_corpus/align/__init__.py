"""Step 2a: equivalent provisions across regulations.

    prepare.py     what alignment compares: neutralised texts, words, vocabularies
    scores.py      the signals of an article pair and the combined score
    relations.py   the relation engine: thresholds, assignment, corroboration, split/merge pieces,
                   one-to-one labels, partials, moved — once, over a dense or a sparse score table
    pairs.py       two regulations: align, compare (ClauseDiff), word diffs, paragraph units
    many.py        many regulations: pairwise links, coverage, similarity, families, diffusion
    blocking.py    candidate pairs for a large corpus (character n-gram TF-IDF, copies, related documents)
    scale.py       align_all: prepare → vocabulary → candidates → score → write, local or on Dask
"""
