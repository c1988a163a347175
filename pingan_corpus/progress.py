"""Progress bars of long runs (tqdm): shown when asked, or by default when stderr is a terminal."""
from __future__ import annotations

import sys


def progress_bar(progress: bool | None, total: int, desc: str, unit: str = "it"):
    """A tqdm bar over ``total`` steps, or None when none is shown (``progress`` False, or None
    and stderr not a terminal, or nothing to do)."""
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress or total == 0:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit=unit, leave=False)
