"""The package's shape: no import cycle, no arrow back into `fix`, no module state features change.

Read from the source (AST), not by importing: a cycle that happens to import
fine today still makes the order of module initialisation matter. Imports
under `if TYPE_CHECKING:` are not edges (they never run); imports inside
functions are (they only postpone the circle).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "server" / "rustcoder"

#: Methods that change a list, dict, set or deque in place.
MUTATORS = frozenset(
    [
        "append",
        "extend",
        "add",
        "update",
        "setdefault",
        "pop",
        "popitem",
        "clear",
        "remove",
        "discard",
        "insert",
        "appendleft",
        "sort",
        "reverse",
    ]
)
CONTAINER_CALLS = frozenset(
    [
        "dict",
        "list",
        "set",
        "defaultdict",
        "OrderedDict",
        "deque",
        "Counter",
        "WeakValueDictionary",
        "WeakKeyDictionary",
        "WeakSet",
    ]
)
#: Module state that is written by functions on purpose, with the reason it is not
#: state that features change.
ALLOWED_STATE = {
    # Filled at import by the @edit_kind decorator, read-only afterwards.
    ("rustcoder.fix.recipes.base", "EDIT_KINDS"),
    # The running checks' process groups: a signal handler, process-wide by nature,
    # must find them to end them when the server is told to stop.
    ("rustcoder.cargo.process_groups", "_groups"),
    # A cache of loaded model weights (hundreds of MB), keyed by file and mtime.
    ("rustcoder.models.local", "_LOADED"),
    # One PostgreSQL connection pool per process and URL (issue 19), reference-counted
    # by the knowledge bases that share it: replicas of a server must not each open many.
    ("rustcoder.kb.shared_conn", "_pools"),
    ("rustcoder.kb.shared_conn", "_users"),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
TREES = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in MODULES.items()}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Import statements that run, at import or later in a function: all but type-only ones.

    A lazy import inside a function only hides a circle (the module still needs
    the other at run time), so it counts as an edge too.
    """
    for node in body:
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from _runtime_imports(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        for field in ("body", "orelse", "finalbody", "handlers"):
            block = getattr(node, field, None)
            if isinstance(block, list):
                yield from _runtime_imports([n for n in block if isinstance(n, ast.stmt)])
                for handler in block:
                    if isinstance(handler, ast.ExceptHandler):
                        yield from _runtime_imports(handler.body)


def _targets(node: ast.AST, current: str) -> list[str]:
    """The rustcoder modules an import statement loads."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] == "rustcoder"]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        package = current if MODULES[current].name == "__init__.py" else current.rsplit(".", 1)[0]
        for _ in range(node.level - 1):
            package = package.rsplit(".", 1)[0]
        base = f"{package}.{node.module}" if node.module else package
    else:
        base = node.module or ""
    if base.split(".")[0] != "rustcoder":
        return []
    submodules = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in MODULES]
    # `from rustcoder.lsp import code_actions` needs the submodule; its package is only
    # the implicit parent (as for `import rustcoder.lsp.code_actions`), not an edge.
    if len(submodules) == len(node.names):
        return submodules
    return [base, *submodules]


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, tree in TREES.items():
        edges: set[str] = set()
        for node in _runtime_imports(tree.body):
            edges.update(t for t in _targets(node, name) if t in MODULES and t != name)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_walker_sees_imports_and_skips_type_only_ones() -> None:
    graph = import_graph()
    assert "rustcoder.runtime" in graph["rustcoder.lsp.session"]
    assert "rustcoder.lsp.code_actions" in graph["rustcoder.lsp.server"]
    # Features name the server class only for type checking.
    assert "rustcoder.lsp.server" not in graph["rustcoder.lsp.code_actions"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    lazy = ast.parse("def f():\n    from rustcoder.runtime import Runtime\n")
    assert [t for n in _runtime_imports(lazy.body) for t in _targets(n, "x")] == [
        "rustcoder.runtime"
    ]


def test_no_import_cycle() -> None:
    found = cycles(import_graph())
    assert not found, "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


def test_kb_and_models_never_import_fix() -> None:
    """`fix` builds on `kb` and `models`; an arrow back would tie them into one lump."""
    back = []
    for name, tree in TREES.items():
        if not name.startswith(("rustcoder.kb", "rustcoder.models")):
            continue
        for node in ast.walk(tree):  # every import, lazy and type-only ones too
            for target in _targets(node, name):
                if target == "rustcoder.fix" or target.startswith("rustcoder.fix."):
                    back.append(f"{name} imports {target} (line {getattr(node, 'lineno', '?')})")
    assert not back, "\n".join(back)


def _is_container(value: ast.expr) -> bool:
    if isinstance(value, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)):
        return True
    if isinstance(value, ast.Call):
        func = value.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        return name in CONTAINER_CALLS
    return False


def _module_bindings(tree: ast.Module) -> dict[str, bool]:
    """Names bound at module level -> whether the value is a mutable container."""
    bound: dict[str, bool] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    bound[target.id] = _is_container(node.value)
        elif (
            isinstance(node, ast.AnnAssign)
            and node.value is not None
            and isinstance(node.target, ast.Name)
        ):
            bound[node.target.id] = _is_container(node.value)
    return bound


def _locals(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    args = fn.args
    names = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
    names |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def module_state_writes(name: str, tree: ast.Module) -> list[str]:
    """`global` statements, and functions that change a module-level object in place."""
    bound = _module_bindings(tree)
    found: list[str] = []
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        local = _locals(fn)
        for node in ast.walk(fn):
            written: str | None = None
            if isinstance(node, ast.Global):
                found.append(f"{name}.{fn.name}: global {', '.join(node.names)}")
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.attr in MUTATORS
                and bound.get(node.func.value.id)
            ):
                written = node.func.value.id
            elif isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
                targets = (
                    node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
                )
                for target in targets:
                    if (
                        isinstance(target, (ast.Subscript, ast.Attribute))
                        and isinstance(target.value, ast.Name)
                        and target.value.id in bound
                    ):
                        written = target.value.id
            if written and written not in local and (name, written) not in ALLOWED_STATE:
                found.append(
                    f"{name}.{fn.name} changes module-level {written} (line {node.lineno})"
                )
    return found


def test_the_state_check_finds_writes() -> None:
    source = """
REGISTRY = {}
OPTIONS = Options(kinds=[])
COUNT = 0

def add(name, fn):
    REGISTRY[name] = fn

def declare(kind):
    OPTIONS.kinds = [*OPTIONS.kinds, kind]

def bump():
    global COUNT
    COUNT += 1

def fine(REGISTRY):
    REGISTRY.clear()  # a parameter, not the module's
"""
    found = module_state_writes("example", ast.parse(source))
    assert len(found) == 3, found
    assert any("add changes module-level REGISTRY" in f for f in found)
    assert any("declare changes module-level OPTIONS" in f for f in found)
    assert any("global COUNT" in f for f in found)


@pytest.mark.parametrize("name", sorted(TREES))
def test_no_module_state_that_features_change(name: str) -> None:
    found = module_state_writes(name, TREES[name])
    assert not found, "\n".join(found)
