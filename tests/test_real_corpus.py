"""The 73 real regulations of ../shared/corpus, in every form a user meets them, give their true
structure and metadata (manifest.csv).

Each test loops over the whole corpus for one form and collects every mismatch into one message,
so a failure lists every file and what differed. The forms are made from the corpus files in a
temporary directory by ``realcorpus``: the Markdown as stored, the same bytes as .txt and with no
suffix, a Word file, a government web page, and a page of a static law site (VuePress Markdown
full of HTML) saved as .md and as .txt. ``pytest -s`` prints one line per form, such as
``md: 73/73 exact``.
"""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from realcorpus import (
    Entry,
    as_docx,
    as_html,
    as_nosuffix,
    as_static_site,
    as_txt,
    coverage_errors,
    manifest,
    markup_left,
)

import pingan_corpus as pc


def _md(e: Entry, tmp: Path, i: int) -> Path:
    return e.path


FORMS = {
    "md": _md,
    "txt": lambda e, tmp, i: as_txt(e.path, tmp),
    "nosuffix": lambda e, tmp, i: as_nosuffix(e.path, tmp),
    "docx": lambda e, tmp, i: as_docx(e.path, tmp, title_style="Title" if i % 2 == 0 else "Heading 1"),
    "html": lambda e, tmp, i: as_html(e.path, tmp),
    # every file both plain and wrapped in tabs: tabs on odd files as .md, on even files as .txt
    "static-site.md": lambda e, tmp, i: as_static_site(e.path, tmp, ".md", tabs=i % 2 == 1),
    "static-site.txt": lambda e, tmp, i: as_static_site(e.path, tmp, ".txt", tabs=i % 2 == 0),
}


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return manifest()  # skips when ../shared/corpus is absent


def _numbers(reg) -> list[tuple[int, int | None]]:
    return [(a.number, getattr(a, "suffix", None) or None) for a in reg.articles]


def _describe_numbers(got: list[tuple[int, int | None]], n: int) -> str:
    nums = [k for k, _ in got]
    missing = sorted(set(range(1, n + 1)) - set(nums))
    extra = sorted({k for k in nums if not 1 <= k <= n})
    dups = sorted({k for k in nums if nums.count(k) > 1})
    suffixed = [f"{k}之{s}" for k, s in got if s]
    order = next((f"{a} before {b}" for a, b in itertools.pairwise(nums) if b <= a), None)
    parts = [f"{len(got)} articles, expected 1..{n}"]
    for name, xs in (("missing", missing), ("extra", extra), ("duplicated", dups), ("suffixed", suffixed)):
        if xs:
            parts.append(f"{name} {xs[:12]}{' …' if len(xs) > 12 else ''}")
    if order:
        parts.append(f"out of order: {order}")
    return "; ".join(parts)


def check(reg_list, e: Entry) -> list[str]:
    """Everything that differs from the manifest for one parsed file."""
    if len(reg_list) != 1:
        return [f"{len(reg_list)} documents, expected 1"]
    reg = reg_list[0]
    problems: list[str] = []
    got = _numbers(reg)
    if got != [(k, None) for k in range(1, e.n_articles + 1)]:
        problems.append(_describe_numbers(got, e.n_articles))
    if len(reg.chapters) != e.n_chapters:
        problems.append(f"{len(reg.chapters)} chapters, expected {e.n_chapters}")
    n_sections = sum(len(c.sections) for c in reg.chapters)
    if n_sections != e.n_sections:
        problems.append(f"{n_sections} sections, expected {e.n_sections}")
    if reg.title != e.title:
        problems.append(f"title {reg.title!r}, expected {e.title!r}")
    if reg.adopted != e.adopted:
        problems.append(f"adopted {reg.adopted}, expected {e.adopted}")
    if e.effective is not None and reg.effective != e.effective:
        problems.append(f"effective {reg.effective}, expected {e.effective}")
    if reg.level != e.level:
        problems.append(f"level {reg.level!r}, expected {e.level!r}")
    left = markup_left(reg)
    if left:
        problems.append(f"markup left in {len(left)} places, e.g. {left[:2]}")
    problems += coverage_errors(reg)[:2]
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("form", list(FORMS))
def test_every_form_of_every_corpus_file_gives_its_true_structure(form, entries, tmp_path):
    make = FORMS[form]
    failures: list[str] = []
    for i, e in enumerate(entries):
        d = tmp_path / f"{i:02d}"
        d.mkdir()
        path = make(e, d, i)
        try:
            regs = pc.parse_file(path)
        except Exception as err:
            failures.append(f"{e.file} [{path.name}]: parse_file raised {type(err).__name__}: {err}"[:300])
            continue
        problems = check(regs, e)
        if problems:
            failures.append(f"{e.file} [{path.name}]: " + " | ".join(problems))
    exact = len(entries) - len(failures)
    print(f"\n{form}: {exact}/{len(entries)} exact")
    assert not failures, (f"{form}: {exact}/{len(entries)} exact; {len(failures)} files differ from the manifest:\n"
                          + "\n".join(failures))


def test_markdown_forms_are_read_as_markdown_with_offsets_into_the_file(entries, tmp_path):
    """Read by content: the LawRefBook Markdown is Markdown whatever the file is called; the marks it
    loses are recorded as removals of kind "markup", and offsets map into the file's own text."""
    makers = {"md": FORMS["md"], "txt": FORMS["txt"], "nosuffix": FORMS["nosuffix"]}
    failures: list[str] = []
    for form, make in makers.items():
        for i, e in enumerate(entries):
            d = tmp_path / f"{form}-{i:02d}"
            d.mkdir()
            path = make(e, d, i)
            where = f"{form} {e.file}"
            try:
                reg = pc.parse_file(path)[0]
            except Exception as err:
                failures.append(f"{where}: parse_file raised {type(err).__name__}: {err}"[:300])
                continue
            norm = reg.normalized
            if norm is None:
                failures.append(f"{where}: reg.normalized is None")
                continue
            if norm.format != "md":
                failures.append(f"{where}: normalized.format {norm.format!r}, expected 'md'")
            kinds = {r.kind for r in norm.removals}
            if "markup" not in kinds:
                failures.append(f"{where}: no removal of kind 'markup' (kinds {sorted(kinds)})")
            decoded = path.read_bytes().decode("utf-8")
            if norm.source != decoded:
                failures.append(f"{where}: normalized.source is not the decoded file "
                                f"({len(norm.source)} vs {len(decoded)} characters, starts "
                                f"{norm.source[:20]!r})")
            if not reg.articles:
                failures.append(f"{where}: no articles")
                continue
            first = reg.articles[0]
            src = reg.source_text(first.start, first.end)
            if not src.startswith("第一条"):
                failures.append(f"{where}: source_text of the first article starts {src[:20]!r}, expected '第一条'")
            off = [a.label for a in reg.articles if not reg.source_text(a.start, a.end).startswith(a.label)]
            if off and src.startswith("第一条"):
                failures.append(f"{where}: source_text of {len(off)} articles does not start with their label, "
                                f"e.g. {off[:3]}")
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)


@pytest.mark.parametrize("sep", ["", " "])
def test_a_text_flattened_to_one_line_keeps_its_structure(sep, entries, tmp_path):
    """Line breaks lost (a page copied as one line, with or without a space where each break was):
    the first 第一条 follows the history mid-sentence, each heading is glued between a full stop and
    its first article, the title runs straight into its history. Most files still give their true
    articles, chapters, title and adoption date; a heading with no 第X章 label (a bare 附则 or a
    section name) cannot be told from the article text before it, so a few files lose articles."""
    from realcorpus import as_flattened

    counts = {"articles": 0, "chapters": 0, "title": 0, "adopted": 0}
    failures: list[str] = []
    for i, e in enumerate(entries):
        path = as_flattened(e.path, tmp_path / f"{i:02d}", sep)
        assert "\n" not in path.read_text(encoding="utf-8")
        reg = pc.parse_file(path)[0]
        got = {"articles": _numbers(reg) == [(k, None) for k in range(1, e.n_articles + 1)],
               "chapters": len(reg.chapters) == e.n_chapters, "title": reg.title == e.title,
               "adopted": reg.adopted == e.adopted}
        for k, ok in got.items():
            counts[k] += ok
        if not all(got.values()):
            failures.append(f"{e.file}: {[k for k, ok in got.items() if not ok]}")
        assert not coverage_errors(reg), (e.file, coverage_errors(reg)[:2])
    print(f"\nflattened {sep!r}: {counts} of {len(entries)}")
    n = len(entries)
    assert all(c >= n - 3 for c in counts.values()), (counts, failures)
