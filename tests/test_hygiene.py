"""House rules that code review alone would miss."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_core_never_imports_textual() -> None:
    """Importing every tui.core module loads no textual module."""
    modules = sorted(p.stem for p in (ROOT / "tui" / "core").glob("*.py") if p.stem != "__init__")
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module('tui.core.' + name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "", f"tui.core pulled in: {result.stdout}"
    assert len(modules) >= 5


def test_python_files_stay_readable() -> None:
    lengths = {str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines()) for p in ROOT.glob("tui/**/*.py")}
    too_long = {path: n for path, n in lengths.items() if n > 600}
    assert too_long == {}


# --- the import graph ------------------------------------------------------------


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every tui module ``path`` imports, anywhere in the file (functions and TYPE_CHECKING blocks included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith("tui")}


def import_graph() -> dict[str, set[str]]:
    """Module -> the tui modules it imports (only names that are modules of the package)."""
    files = {_module_name(p): p for p in ROOT.glob("tui/**/*.py")}
    return {name: {m for m in _imports(path) if m in files and m != name} for name, path in files.items()}


def test_no_import_cycles() -> None:
    """Dependencies go one way: no module reaches itself through its imports, lazy and type-only ones included."""
    graph = import_graph()
    cycles = []
    state: dict[str, int] = {}  # 1 on the path, 2 done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for child in sorted(graph[node]):
            if child.startswith(node + "."):
                continue  # a package importing its own submodule is not a cycle
            if state.get(child) == 1:
                cycles.append(" -> ".join([*path[path.index(child):], child]))
            elif child not in state:
                visit(child, [*path, child])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        ("tui.core", ("tui.app", "tui.reader", "tui.screens", "tui.widgets", "tui.cli")),
        ("tui.widgets", ("tui.app", "tui.reader", "tui.screens", "tui.cli")),
        ("tui.screens", ("tui.app", "tui.reader", "tui.cli")),
        ("tui.reader", ("tui.app", "tui.cli")),
    ],
)
def test_layers_only_import_downwards(layer: str, forbidden: tuple[str, ...]) -> None:
    """core < widgets < screens < reader < app: nothing imports a layer above its own."""
    graph = import_graph()
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items() if module == layer or module.startswith(layer + ".")
        for target in targets if target.startswith(forbidden)
    )
    assert wrong == []
    assert any(m.startswith(layer) for m in graph)


# --- class size --------------------------------------------------------------------


def test_no_class_over_400_lines_with_its_mixins() -> None:
    """A class, counted with the bodies of the package's own classes it inherits from, fits in 400 lines."""
    classes: dict[str, tuple[int, list[str]]] = {}
    for path in ROOT.glob("tui/**/*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = [b.id if isinstance(b, ast.Name) else b.attr if isinstance(b, ast.Attribute) else "" for b in node.bases]
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                classes[f"{_module_name(path)}.{node.name}"] = (size, bases)
    by_name = {qualified.rpartition(".")[2]: info for qualified, info in classes.items()}

    def total(name: str, seen: frozenset[str] = frozenset()) -> int:
        size, bases = by_name[name]
        return size + sum(total(b, seen | {name}) for b in bases if b in by_name and b not in seen)

    sizes = {qualified: total(qualified.rpartition(".")[2]) for qualified in classes}
    assert {name: n for name, n in sizes.items() if n > 400} == {}
    assert max(sizes.values()) > 100  # the walk did find the big classes
