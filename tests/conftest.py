import os

from hypothesis import settings

# CI replays the same examples on every run (a landing must not depend on luck); locally the
# search is random, which is how the nested-annotation and spacing bugs were found.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
