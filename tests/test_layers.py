"""The package's folders are its layers: each imports only from the layers beneath it, and only the adapters know a renderer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "macros"
# Each layer may import from the layers after it in this list, never from one before it.
LAYERS = ["adapters", "binder", "html", "engine"]
RENDERERS = ("mkdocs", "mkdocs_macros", "material", "zensical")


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in a module of the package, relative ones resolved."""
    package = ["macros", *path.relative_to(PACKAGE).parent.parts]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            if node.module is None and node.level:  # from . import a, b: each name is a module
                found.extend((node.lineno, f"{module}.{alias.name}") for alias in node.names)
            else:
                found.append((node.lineno, module))
    return found


def layer_of(module: str) -> str | None:
    """The layer folder of a module of the package (macros.html.render -> html), or None outside them."""
    parts = module.split(".")
    return parts[1] if parts[0] == "macros" and len(parts) > 1 and parts[1] in LAYERS else None


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_module_lives_in_a_layer_folder() -> None:
    loose = [p.relative_to(ROOT).as_posix() for p in MODULES if p.parent == PACKAGE and p.name not in {"__init__.py", "__main__.py"}]
    assert not loose, f"modules outside the layer folders ({', '.join(LAYERS)}): {loose}"


@pytest.mark.parametrize(
    "path",
    [p for p in MODULES if layer_of("macros." + ".".join(p.relative_to(PACKAGE).parts))],
    ids=lambda p: p.relative_to(PACKAGE).as_posix(),
)
def test_a_layer_imports_only_from_the_layers_beneath_it(path: Path) -> None:
    here = layer_of("macros." + ".".join(path.relative_to(PACKAGE).parts))
    assert here is not None
    allowed = LAYERS[LAYERS.index(here) :]
    wrong = []
    for line, module in imports(path):
        there = layer_of(module)
        if there is not None and there not in allowed:
            wrong.append(f"{path.relative_to(ROOT)}:{line}: the {here} layer imports {module} from the {there} layer above it")
        if here != "adapters" and module.split(".")[0] in RENDERERS:
            wrong.append(f"{path.relative_to(ROOT)}:{line}: only macros/adapters/ may import {module}")
    assert not wrong, "\n".join(wrong)
