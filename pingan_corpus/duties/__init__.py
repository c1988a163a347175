"""Step 2b: who must do what.

    lexicon.py     canonical actors, aliases, levels, and the noun-phrase matcher
    extract.py     extract_duties: bearer, modality, action, condition, collaborators
    graph.py       the networkx duty graph, actor profiles, GraphML/GEXF, drawing
    query.py       mandates / search: "which regulations mandate X"
"""
