"""The modules of ma_cli import one another without circles, and none uses another's `_private` names.

Read from the source (every import statement, those inside functions and `if TYPE_CHECKING:` too),
not from what a run happens to load. `from ma_cli import x` counts as importing the package's
`__init__` (it looks `x` up there, through `__init__.__getattr__` when `x` is not loaded yet) as well
as `x`; `import ma_cli.x as x` counts as importing `x`.

Any circle or private name that has to stay a while is listed below by name, so that the test fails
for any new one, and for a listed one that is gone (then delete its line); today there are none. The
modules also keep to the layers in LAYERS (the README's Layout map).
"""

from __future__ import annotations

import ast
import fnmatch
import re
from pathlib import Path

import ma_cli

PACKAGE = "ma_cli"
SOURCE = Path(ma_cli.__file__).parent

# Import edges (importer, imported) that still close a circle. Each is left out of the graph;
# what remains must have no circle.
ALLOWED_CIRCLE_EDGES: set[tuple[str, str]] = set()

# (importer, owner, name): a private name of `owner` that `importer` uses
ALLOWED_PRIVATE: set[tuple[str, str, str]] = set()


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def scan(sources: dict[str, str]) -> tuple[dict[str, set[str]], set[tuple[str, str, str]]]:
    """Import edges between the modules named in `sources` (module name -> source text), and the
    private names each uses of another: (importer, owner, name)."""
    modules = set(sources)
    packages = {name.rsplit(".", 1)[0] for name in modules if "." in name}  # subpackages: ma_cli.pkg
    edges: dict[str, set[str]] = {name: set() for name in modules}
    reaches: set[tuple[str, str, str]] = set()
    for me, text in sources.items():
        tree = ast.parse(text)
        bound: dict[str, str] = {}  # a local name -> the ma_cli module it stands for
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                if node.level:  # relative: from . import x, from .m import y
                    target = node.module
                elif node.module == PACKAGE or (node.module or "").startswith(PACKAGE + "."):
                    target = node.module[len(PACKAGE) + 1:] or None
                else:
                    continue
                if target is None or target in packages:
                    # from ma_cli import x, from ma_cli.pkg import x: that package's __init__, and x when a module
                    edges[me].add(target or "__init__")
                    for alias in node.names:
                        name = f"{target}.{alias.name}" if target else alias.name
                        if name in modules:
                            edges[me].add(name)
                            bound[alias.asname or alias.name] = name
                        elif _private(alias.name):
                            reaches.add((me, target or "__init__", alias.name))
                    continue
                edges[me].add(target)
                reaches.update((me, target, a.name) for a in node.names if _private(a.name) and target != me)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == PACKAGE:
                        edges[me].add("__init__")
                    elif alias.name.startswith(PACKAGE + "."):
                        target = alias.name[len(PACKAGE) + 1:]
                        edges[me].add(target)
                        if alias.asname:
                            bound[alias.asname] = target
        for node in ast.walk(tree):  # m._name, for m bound to another ma_cli module (or ma_cli.m._name)
            if not (isinstance(node, ast.Attribute) and _private(node.attr)):
                continue
            value = node.value
            owner = None
            if isinstance(value, ast.Name):
                owner = bound.get(value.id)
            elif (isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name)
                  and value.value.id == PACKAGE and value.attr in modules):
                owner = value.attr
            if owner is not None and owner != me:
                reaches.add((me, owner, node.attr))
        edges[me].discard(me)
    return edges, reaches


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def package_sources() -> dict[str, str]:
    """Every module of the package by its dotted name under ma_cli (`language.kinds`; a subpackage's
    `__init__` by the subpackage's name, the package's own as `__init__`)."""
    sources = {}
    for path in sorted(SOURCE.rglob("*.py")):
        parts = path.relative_to(SOURCE).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        sources[".".join(parts)] = path.read_text(encoding="utf-8")
    return sources


def _described(edges: dict[str, set[str]], group: list[str]) -> str:
    members = set(group)
    return "; ".join(f"{m} -> {', '.join(sorted(edges[m] & members))}" for m in group)


def test_no_import_circle_but_the_listed_edges():
    edges, _ = scan(package_sources())
    gone = sorted(e for e in ALLOWED_CIRCLE_EDGES if e[1] not in edges.get(e[0], set()))
    assert not gone, f"listed in ALLOWED_CIRCLE_EDGES but no longer imported (delete the line): {gone}"
    kept = {m: {t for t in targets if (m, t) not in ALLOWED_CIRCLE_EDGES} for m, targets in edges.items()}
    found = circles(kept)
    assert not found, "import circles: " + " | ".join(_described(kept, g) for g in found)


def test_no_private_names_of_another_module_but_the_listed_ones():
    _, reaches = scan(package_sources())
    new = sorted(reaches - ALLOWED_PRIVATE)
    assert not new, f"private names used across modules (make them public in one place): {new}"
    gone = sorted(ALLOWED_PRIVATE - reaches)
    assert not gone, f"listed in ALLOWED_PRIVATE but no longer used (delete the line): {gone}"


# --- the checker itself finds what it is meant to -------------------------------------------

def test_the_scan_sees_imports_inside_functions_the_package_and_reach_ins():
    sources = {
        "__init__": "def __getattr__(name):\n    from ma_cli import api\n    return getattr(api, name)\n",
        "api": "from ma_cli.render import table\n",
        "render": "def table():\n    from ma_cli import jsonout\n    return jsonout._dump\n",
        "jsonout": "_dump = None\n",
        "low": "import ma_cli.jsonout as j\nx = j._dump\n",
        "typed": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ma_cli.api import _hidden\n",
    }
    edges, reaches = scan(sources)
    assert edges["render"] == {"__init__", "jsonout"}
    assert edges["low"] == {"jsonout"}
    assert edges["typed"] == {"api"}
    assert reaches == {("render", "jsonout", "_dump"), ("low", "jsonout", "_dump"), ("typed", "api", "_hidden")}
    # __init__ -> api -> render -> __init__: a circle only because `from ma_cli import jsonout` counts
    assert circles(edges) == [["__init__", "api", "render"]]
    sources["render"] = "def table():\n    import ma_cli.jsonout as jsonout\n    return jsonout.dumps\n"
    assert circles(scan(sources)[0]) == []
    edges, _ = scan({"pkg": "", "pkg.m": "x = 1\n", "user": "from ma_cli.pkg import m\nfrom ma_cli.pkg.m import x\n"})
    assert edges["user"] == {"pkg", "pkg.m"}


# The architecture: each subpackage of ma_cli is a layer, and a module imports only from its own layer
# and the layers before it. The Python API (api, and __init__ which hands it out) sits between the
# outputs and the command line, which is built on it.
LAYERS = ("base", "inputs", "language", "ruleset", "reasoning", "output", "api", "__init__", "commands", "__main__")


def _layer(module: str) -> int:
    return LAYERS.index(module.split(".")[0])


def test_every_module_imports_only_from_its_layer_and_those_before_it():
    edges, _ = scan(package_sources())
    assert {m.split(".")[0] for m in edges} == set(LAYERS), "a subpackage or module missing from LAYERS"
    upward = sorted(f"{m} imports {t}" for m, targets in edges.items() for t in targets if _layer(t) > _layer(m))
    assert not upward, "imports against the layers: " + "; ".join(upward)


def test_the_readme_map_names_every_module():
    readme = (SOURCE.parents[1] / "README.md").read_text()
    layout = readme[readme.index("## Layout"):]
    layout = layout[:layout.index("\n## ")] if "\n## " in layout else layout
    named = re.findall(r"`([^`]+)`", layout)
    missing = []
    for name in package_sources():
        if name in ("__init__", "__main__"):
            continue
        wanted = f"{name}/" if "." not in name and name != "api" else name.split(".")[-1] + ".py"
        if not any(fnmatch.fnmatchcase(wanted, token) for token in named):
            missing.append(name)
    assert not missing, f"the README's Layout section does not name: {missing}"
