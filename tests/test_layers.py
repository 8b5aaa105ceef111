"""The layers of README.md's "What is where", checked on the import graph (read with `ast`).

Core modules (extensions, config, types, errors, i18n, throttle, the page and API helpers)
and the pure modules (no Flask, no database: the rhythm analysis, local days and periods,
the plan rules, ages, code digits...) come first: anything may use them, and they use
nothing else of companion. Then the features, each using only those before it. The
factory, the OpenAPI description and the demo family's command sit on top and may use
everything. Every import counts: at the top of a module, inside a function, or only for
type checking.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "companion"

#: The features, in their order: each may use the ones before it, never one after it.
FEATURES = (
    "accounts",
    "diary",
    "rhythm",
    "guides",
    "wellbeing",
    "share",
    "directory",
    "stats",
    "admin",
    "pwa",
)
CORE = {
    "companion.apiutil",
    "companion.assets",
    "companion.config",
    "companion.errors",
    "companion.extensions",
    "companion.i18n",
    "companion.ops",
    "companion.pageutil",
    "companion.schema",
    "companion.security",
    "companion.templating",
    "companion.throttle",
    "companion.types",
}
#: Pure logic: plain values in and out, tested on its own. They count as core.
PURE = {
    "companion.diary.age",
    "companion.diary.demo",
    "companion.diary.rules",
    "companion.directory.contact_details",
    "companion.guides.content",
    "companion.guides.search",
    "companion.guides.suggestions",
    "companion.helplines",
    "companion.keys",
    "companion.rhythm.analysis",
    "companion.rhythm.clock",
    "companion.rhythm.plan_rules",
    "companion.share.codes",
    "companion.stats.figures",
    "companion.stats.suppression",
    "companion.wellbeing.gentle",
}
TOP = {"companion", "companion.openapi", "companion.seed", "companion.warm"}
#: What a pure module must not import.
FRAMEWORKS = ("flask", "flask_babel", "flask_login", "flask_wtf", "sqlalchemy", "werkzeug", "jinja2")
FRAMEWORKS += ("markupsafe",)
#: Imports inside functions outside the factory and the packages' `register`.
MOST_LOCAL_IMPORTS = 10


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module, or the package a name was taken from
    names: tuple[str, ...]  # the names taken (`from target import ...`)
    line: int
    local: bool  # inside a function
    registration: bool  # inside the factory or a package's `register`
    comment: str  # the line's comment, if any


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in ROOT.rglob("*.py")}


def _resolve(package: str, names: tuple[str, ...]) -> list[str]:
    """`from package import a, b`: the submodules a and b where they are modules, else the package."""
    found = [f"{package}.{name}" for name in names if f"{package}.{name}" in MODULES]
    return found or [package]


def imports_of(name: str, path: Path) -> list[Import]:
    text = path.read_text()
    lines = text.splitlines()
    tree = ast.parse(text)
    out: list[Import] = []
    is_package = path.name == "__init__.py"

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, function or child.name)
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                line = lines[child.lineno - 1]
                comment = line.split("#", 1)[1].strip() if "#" in line else ""
                registration = function is not None and (
                    name == "companion" or (is_package and function == "register")
                )
                if isinstance(child, ast.Import):
                    targets = [(alias.name, ()) for alias in child.names]
                else:
                    base = child.module or ""
                    if child.level:
                        package = name if is_package else name.rsplit(".", 1)[0]
                        for _up in range(child.level - 1):
                            package = package.rsplit(".", 1)[0]
                        base = f"{package}.{base}" if base else package
                    names = tuple(alias.name for alias in child.names)
                    targets = [(target, names) for target in _resolve(base, names)] if base else []
                local = function is not None
                for target, names in targets:
                    out.append(Import(name, target, names, child.lineno, local, registration, comment))
            visit(child, function)

    visit(tree, None)
    return out


IMPORTS = [imp for name, path in sorted(MODULES.items()) for imp in imports_of(name, path)]
OURS = [imp for imp in IMPORTS if imp.target == "companion" or imp.target.startswith("companion.")]


def feature_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in FEATURES else None


def layer_of(module: str) -> tuple[int, str]:
    """(rank, name): core and pure 0, the features 1.., the top last."""
    if module in TOP:
        return len(FEATURES) + 1, "top"
    if module in CORE or module in PURE:
        return 0, "core"
    feature = feature_of(module)
    if feature is None:
        pytest.fail(f"{module} has no layer: add it to CORE, PURE, TOP or a feature package")
    return FEATURES.index(feature) + 1, feature


def test_every_module_has_a_layer_and_the_lists_name_real_modules():
    for module in MODULES:
        layer_of(module)
    assert set(MODULES) >= CORE | PURE | TOP, sorted((CORE | PURE | TOP) - set(MODULES))


def test_each_layer_uses_only_the_layers_before_it():
    wrong = []
    for imp in OURS:
        if imp.source in TOP:
            continue
        rank, name = layer_of(imp.source)
        target_rank, target_name = layer_of(imp.target)
        if imp.target == "companion":
            wrong.append(imp)  # the factory is on top
        elif target_name == "core" or target_name == name:
            continue
        elif target_rank >= rank:
            wrong.append(imp)
    assert [f"{i.source}:{i.line} imports {i.target}" for i in wrong] == []


def test_pure_modules_use_no_framework_and_nothing_but_pure_modules():
    wrong = []
    for imp in IMPORTS:
        if imp.source not in PURE:
            continue
        top = imp.target.split(".")[0]
        if top in FRAMEWORKS or (top == "companion" and imp.target not in PURE | {"companion.types"}):
            wrong.append(f"{imp.source}:{imp.line} imports {imp.target}")
    assert wrong == []


def test_core_modules_use_no_feature():
    wrong = [
        f"{i.source}:{i.line} imports {i.target}"
        for i in OURS
        if i.source in CORE and i.target not in CORE | PURE
    ]
    assert wrong == []


def test_packages_do_nothing_when_imported():
    """A feature's `__init__` makes its blueprints; it imports the rest only in `register`,
    so that importing a pure module of the package loads nothing else."""
    wrong = [
        f"{i.source}:{i.line} imports {i.target}"
        for i in IMPORTS
        if i.source.count(".") == 1
        and feature_of(i.source)
        and not i.local
        and i.target.split(".")[0] not in ("flask", "__future__", "os")
    ]
    assert wrong == []


def test_no_feature_uses_another_features_views_or_api():
    wrong = [
        f"{i.source}:{i.line} imports {i.target}"
        for i in OURS
        if feature_of(i.target)
        and i.target.split(".")[-1] in ("views", "api")
        and feature_of(i.source) != feature_of(i.target)
        and i.source not in TOP
    ]
    assert wrong == []


def test_services_read_no_request_and_build_no_urls():
    wrong = []
    for imp in IMPORTS:
        if not imp.source.endswith(".services"):
            continue
        taken = {"request", "url_for"} & set(imp.names)
        if imp.target == "flask" and taken:
            wrong.append(f"{imp.source}:{imp.line} takes {sorted(taken)} from flask")
        if imp.target == "companion.apiutil" or (imp.target == "companion" and "apiutil" in imp.names):
            wrong.append(f"{imp.source}:{imp.line} imports the API's helpers")
    for name, path in MODULES.items():
        if name.endswith(".services"):
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Attribute)
                    and node.attr in ("request", "url_for")
                    and isinstance(node.value, ast.Name)
                    and node.value.id == "flask"
                ):
                    wrong.append(f"{name}:{node.lineno} uses flask.{node.attr}")
    assert wrong == []


def test_no_import_cycles():
    """Between modules (and so between packages), imports inside functions included; only
    the factory's and the packages' `register` imports, which put the app together, are
    left out (a package's views import its blueprint from the package)."""
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for imp in OURS:
        if not imp.registration and imp.target in MODULES and imp.target != imp.source:
            graph[imp.source].add(imp.target)
    # A feature's pure modules are core; everything else of a feature is one node.
    packages: dict[str, set[str]] = {}
    for source, targets in graph.items():
        node = source if source in PURE or not feature_of(source) else feature_of(source)
        for target in targets:
            other = target if target in PURE or not feature_of(target) else feature_of(target)
            if other != node:
                packages.setdefault(node, set()).add(other)
    for edges in (graph, packages):
        assert _cycle(edges) is None, _cycle(edges)


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    path: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if state.get(nxt) is None and (found := walk(nxt)):
                return found
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if state.get(node) is None and (found := walk(node)):
            return found
    return None


def test_imports_inside_functions_are_few_and_say_why():
    local = [i for i in IMPORTS if i.local and not i.registration]
    lines = sorted({(i.source, i.line, i.comment) for i in local})
    assert len(lines) <= MOST_LOCAL_IMPORTS, lines
    unexplained = [
        f"{source}:{line}"
        for source, line, comment in lines
        if not comment.replace("noqa: PLC0415", "").strip(" ()")
    ]
    assert unexplained == []
