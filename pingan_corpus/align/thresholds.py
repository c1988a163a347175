"""Every number alignment decides by, in one place (the candidate generation of large corpora has
its own parameters in ``blocking.py``).

Scores are on the combined 0–100 scale of :func:`pingan_corpus.align.scores.combine`.
"""
from __future__ import annotations

# -- the combined score -----------------------------------------------------------------------------
CHAR_WEIGHT = 0.5       # points per point of character ratio (0–100)
COSINE_WEIGHT = 50.0    # points per unit of word cosine (0–1)
HEADING_WEIGHT = 0.25   # share of the heading ratio in a score lifted by matching headings

# -- words ------------------------------------------------------------------------------------------
RARE = 0.1              # a word in at most this share of articles is a topic word
SHARPEN = 1.0           # IDF exponent in the cosine: words most articles share count for little
OWN_RARE = 3            # a word its own regulation uses in at most this many articles is its own (specific) word

# -- one-to-one links -------------------------------------------------------------------------------
LINK = 36.0             # lowest score for a one-to-one link on its own ("fuzzy")
WEAK = 20.0             # lowest score for a one-to-one link corroborated by rank or context
TOPIC = 2               # topic words a weak (corroborated) link or a split/merge piece must share
STRONG = 30.0           # a link at least this good is the same provision (modified/identical)
WEAK_STRONG = 25.0      # a corroborated one-to-one link this good is still the same provision …
SPECIFIC = 1            # … when it shares this many words specific to both texts (``OWN_RARE`` in each)
HEADING_SAME = 80.0     # heading ratio from which two headings name the same provision
LIABILITY_APART = 0.5  # factor on the score of a penalty (法律责任 chapter) against a provision that sanctions nothing
CLOSENESS = 2.0         # points of assignment gain for the same relative position (ties broken by order)

# -- split, merge and partial links -----------------------------------------------------------------
PIECE = 0.35            # share of a candidate piece's words inside the whole (split/merge)
GAIN = 4.0              # points a split/merge must add to the whole-to-parts character ratio …
COVER_GAIN = 0.10       # … or share of the whole's weighted words it must add
PARTIAL = 30.0          # lowest score for a partial link of an otherwise unmatched article
CONTAIN = 0.55          # share of an article's weighted words inside its counterpart for a partial link

# -- below the article ------------------------------------------------------------------------------
UNIT_SAME = 50.0        # character ratio from which two paragraphs/items of linked articles correspond
UNIT_LINK = 55.0        # combined score from which a piece of one article is a paragraph/item of another
UNIT_HALF = 0.5         # share of the shorter article a piece must carry to stand for it (ALIGN.md)
SENTENCES_FROM = 80     # characters from which a paragraph's sentences are units of their own
PARAGRAPH_INSIDE = 0.8  # share of a paragraph's weighted words inside another: condensed into a clause of it
