"""The layout holds its rules (issue 8): no private names across modules, one pyproj.Geod user.

The layer order itself is checked by import-linter (``lint-imports`` in CI),
streamlit and folium by ruff's banned-API rule.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GEO = Path(__file__).resolve().parent.parent / "geo"
MODULES = sorted(GEO.rglob("*.py"))


def imports(path: Path) -> list[tuple[str, str, int]]:
    """(module, imported name, line) for every ``from X import name`` of a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.extend((node.module, alias.name, node.lineno) for alias in node.names)
    return out


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(GEO)) for p in MODULES])
def test_no_private_name_is_imported_from_another_module(path: Path) -> None:
    private = [
        f"{path.relative_to(GEO)}:{line}: {name} from {module}"
        for module, name, line in imports(path)
        if module.startswith("geo") and name.startswith("_") and not name.startswith("__")
    ]
    assert private == []


def test_only_the_geodesic_module_uses_pyproj_geod() -> None:
    users = [
        str(p.relative_to(GEO))
        for p in MODULES
        for module, name, _ in imports(p)
        if module == "pyproj" and name == "Geod"
    ]
    assert users == ["core/geodesic.py"]


def test_one_antimeridian_splitter() -> None:
    # clip_by_rect into 360° windows is how a shape is split at ±180°: only geo.core.antimeridian does it.
    splitters = [str(p.relative_to(GEO)) for p in MODULES if "180.0 + 360.0 * k" in p.read_text(encoding="utf-8")]
    assert splitters == ["core/antimeridian.py"]
