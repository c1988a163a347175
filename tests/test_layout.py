"""The house: the package's import graph has no circle, and the folders follow the pipeline.

Every import counts — at the top of a module or inside a function (a method that imports
lazily still ties the two modules together); only ``if TYPE_CHECKING:`` blocks do not.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "pingan_corpus"

# the folders in pipeline order: a module may import from its own folder and from earlier ones
# (top-level modules are placed where they sit in the flow)
# (duties before align: a link's legal-force changes are read with the duty extractor)
ORDER = ["errors", "progress", "numerals", "readers", "frames", "models", "parse", "duties", "align", "store", "corpus", "present",
         "health", "synth", "serve", "cli", "__main__", "__init__"]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or \
        (isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING")


def _imports(name: str, path: Path, modules: set[str]) -> dict[str, bool]:
    """The package modules ``name`` imports → whether only inside functions (lazily)."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found: dict[str, bool] = {}

    def add(target: str, lazy: bool) -> None:
        found[target] = found.get(target, True) and lazy

    def visit(node: ast.AST, lazy: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child):
                for sub in child.orelse:
                    visit(sub, lazy)
                continue
            if isinstance(child, ast.ImportFrom) and child.level:
                base = package.split(".")
                base = base[:len(base) - (child.level - 1)]
                target = ".".join(base + ([child.module] if child.module else []))
                for alias in child.names:  # from . import submodule
                    sub = f"{target}.{alias.name}"
                    add(sub if sub in modules else target, lazy)
            elif isinstance(child, ast.ImportFrom) and (child.module or "").startswith("pingan_corpus"):
                add(child.module, lazy)
            elif isinstance(child, ast.Import):
                for a in child.names:
                    if a.name.startswith("pingan_corpus"):
                        add(a.name, lazy)
            visit(child, lazy or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    found.pop(name, None)
    missing = set(found) - modules
    assert not missing, f"{name} imports modules that do not exist: {sorted(missing)}"
    return found


def import_graph(lazy: bool = True) -> dict[str, set[str]]:
    """Module → the package modules it imports (with ``lazy=False``, at import time only)."""
    mods = _modules()
    graph = {name: _imports(name, path, set(mods)) for name, path in mods.items()}
    return {name: {t for t, is_lazy in targets.items() if lazy or not is_lazy} for name, targets in graph.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def dfs(u: str) -> list[str] | None:
        state[u] = 1
        stack.append(u)
        for v in sorted(graph[u]):
            if state.get(v) == 1:
                return stack[stack.index(v):] + [v]
            if v not in state and (found := dfs(v)):
                return found
        state[u] = 2
        stack.pop()
        return None

    for u in sorted(graph):
        if u not in state and (found := dfs(u)):
            return found
    return None


def _folder(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


# public methods that hand their object to the step that renders it, importing it when called:
# reg.to_akn(), ClauseDiff.to_docx/to_excel/to_html/_repr_html_, Coverage.plot() and
# Coverage.to_docx/to_excel/to_html (the 多地对照表)
RENDERERS = {("pingan_corpus.models", "pingan_corpus.present.interchange"),
             ("pingan_corpus.align.pairs", "pingan_corpus.present.tables"),
             ("pingan_corpus.align.many", "pingan_corpus.present.plots"),
             ("pingan_corpus.align.many", "pingan_corpus.present.multi")}


def test_no_import_circle():
    """Not at import time, and not through the imports functions make when they run."""
    for lazy in (False, True):
        graph = import_graph(lazy)
        assert len(graph) > 30
        assert _cycle(graph) is None, " → ".join(_cycle(graph) or [])


def test_data_flows_one_way_between_folders():
    """readers → parse → duties → align → corpus → present: no folder imports a later one, but for
    the rendering methods of RENDERERS, which import their renderer only when called."""
    backwards = set()
    for module, targets in import_graph().items():
        src = _folder(module)
        for t in targets:
            dst = _folder(t)
            if dst != src and ORDER.index(dst) > ORDER.index(src):
                backwards.add((module, t))
    assert backwards == RENDERERS, sorted(backwards ^ RENDERERS)
    eager = import_graph(lazy=False)
    assert not any(t in eager[m] for m, t in RENDERERS)  # lazily, or importing the package would circle


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_public_names_import_on_first_use():
    """`import pingan_corpus` and parsing a file load neither pandas, SciPy, networkx nor jieba
    (the command line and a parse start small); every public name still resolves, pc.align is
    the function even once the align subpackage is loaded, and submodules read as attributes."""
    import subprocess
    import sys

    seed = min((PACKAGE.parent / "data" / "raw").glob("*.txt"))
    code = f"""
import sys
import pingan_corpus as pc
regs = pc.parse_file({str(seed)!r})
heavy = [m for m in ("pandas", "scipy", "networkx", "jieba") if m in sys.modules]
assert not heavy and len(regs[0].articles) > 10, heavy
import pingan_corpus.align.prepare
assert callable(pc.align) and pc.align.__module__ == "pingan_corpus.align.pairs"
missing = [n for n in pc.__all__ if getattr(pc, n, None) is None]
assert not missing, missing
assert pc.numerals.to_chinese(12) == "十二" and set(pc.__all__) <= set(dir(pc))
try:
    pc.no_such_name
except AttributeError as e:
    assert "no_such_name" in str(e)
else:
    raise SystemExit("no AttributeError")
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-800:]


def test_lazy_names_and_type_checking_imports_agree():
    """The name → module table of __init__ and the imports type checkers read are one list."""
    import pingan_corpus as pc

    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If) and getattr(n.test, "id", "") == "TYPE_CHECKING")
    seen = {a.name: "." + n.module for n in block.body if isinstance(n, ast.ImportFrom) for a in n.names}
    assert seen == pc._LAZY
    assert set(pc.__all__) == set(seen) | {n for n in pc.__all__ if n.endswith("Error")}
