import collections
import os

import pytest
from hypothesis import settings

# CI replays the same examples on every run (a landing must not depend on luck); locally the
# search is random, which is how the nested-annotation and spacing bugs were found.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


# -- hypothesis example counts, printed at the end of every run ---------------------------------
_EXAMPLES = pytest.StashKey[collections.Counter]()


@pytest.fixture(scope="session")
def hypothesis_examples(request) -> collections.Counter:
    """A property test adds 1 per example it runs (``hypothesis_examples[name] += 1``)."""
    return request.config.stash.setdefault(_EXAMPLES, collections.Counter())


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    counts = config.stash.get(_EXAMPLES, None)
    if not counts:
        return
    profile = "ci" if os.environ.get("CI") else "default"
    terminalreporter.section(f"hypothesis examples run (profile {profile})")
    for name, n in sorted(counts.items()):
        terminalreporter.write_line(f"{n:6d}  {name}")


@pytest.fixture
def strict_rc():
    """matplotlib with every warning an error ("Glyph … missing from font(s)" is a UserWarning)."""
    import warnings

    import matplotlib
    import matplotlib.pyplot as plt

    with matplotlib.rc_context(), warnings.catch_warnings():
        warnings.filterwarnings("error")
        yield
    plt.close("all")
