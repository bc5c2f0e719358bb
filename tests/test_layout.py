"""The package layout: dependencies flow one way (front ends -> features -> core), no module
imports itself back through a cycle, and no module grows past 400 lines.

Read from the source with `ast`, running no code. Every import counts, also those inside a
function (a lazy import is still a dependency) and those under `if TYPE_CHECKING:`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = "jupyter_image_versions"
ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / PACKAGE
LABEXTENSION_SRC = ROOT / "labextension" / "src"
MAX_LINES = 400
CORE_MAY_NOT_IMPORT = (
    "server",
    "commands",
    "notebook",
    "studio",
    "export",
    "api",
    "oci",
    "contents",
    "derive",
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {
        module_name(p): p for p in sorted(SOURCE.rglob("*.py")) if "labextension" not in p.parts
    }


def resolve(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute name of a relative import `from <level dots><target> import ...`."""
    if level == 0:
        return target or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, target] if target else base)


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that `name` imports. `from pkg import x` depends on pkg.x when x
    is a module, and on pkg (its __init__) when x is a name defined there."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = resolve(name, is_package, node.level, node.module)
            targets = []
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                targets.append(submodule if submodule in known else source)
        else:
            continue
        found |= {t for t in targets if t in known and t != name}
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the list of modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_the_graph_is_read_from_the_source() -> None:
    edges = graph()
    # a check that cannot fail is no check: the reader must see these known imports
    assert f"{PACKAGE}.core.spec" in edges[f"{PACKAGE}.core.registration"]
    assert f"{PACKAGE}.core.awsmodel" in edges[f"{PACKAGE}.core.spec"]  # `from . import awsmodel`
    assert f"{PACKAGE}.local" in edges[f"{PACKAGE}.core.base"]  # a lazy import, in a function
    assert f"{PACKAGE}.api" in edges[PACKAGE]


def test_find_cycle_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycles() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_core_imports_no_front_end_and_no_feature() -> None:
    forbidden = tuple(f"{PACKAGE}.{room}" for room in CORE_MAY_NOT_IMPORT)
    wrong = {
        (module, target)
        for module, targets in graph().items()
        if module.startswith(f"{PACKAGE}.core")
        for target in targets
        if target.startswith(forbidden) or target == PACKAGE
    }
    assert not wrong, f"core imports outside core: {sorted(wrong)}"


def test_the_image_reader_imports_core_only() -> None:
    """oci/ is the one image reader: the doctor, the contents and derive use it, it uses core."""
    wrong = {
        (module, target)
        for module, targets in graph().items()
        if module.startswith(f"{PACKAGE}.oci")
        for target in targets
        if not target.startswith((f"{PACKAGE}.oci", f"{PACKAGE}.core"))
    }
    assert not wrong, f"oci imports outside oci and core: {sorted(wrong)}"
    edges = graph()
    assert f"{PACKAGE}.oci.layers" in edges[f"{PACKAGE}.studio.doctor"]
    assert f"{PACKAGE}.oci.layers" in edges[f"{PACKAGE}.contents.service"]


@pytest.mark.parametrize("room", ["studio", "export", "oci", "contents", "derive"])
def test_features_import_no_front_end(room: str) -> None:
    front_ends = tuple(f"{PACKAGE}.{r}" for r in ("server", "commands", "notebook"))
    wrong = {
        (module, target)
        for module, targets in graph().items()
        if module.startswith(f"{PACKAGE}.{room}")
        for target in targets
        if target.startswith(front_ends) or target == PACKAGE
    }
    assert not wrong, f"{room} imports a front end: {sorted(wrong)}"


def test_no_module_over_the_size_limit() -> None:
    sizes = {p: len(p.read_text(encoding="utf-8").splitlines()) for p in modules().values()}
    sizes |= {
        p: len(p.read_text(encoding="utf-8").splitlines()) for p in LABEXTENSION_SRC.rglob("*.ts*")
    }
    assert len(sizes) > 50  # the walk found the tree
    too_big = {str(p.relative_to(ROOT)): n for p, n in sizes.items() if n > MAX_LINES}
    assert not too_big, f"over {MAX_LINES} lines: {too_big}"
