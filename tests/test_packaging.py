"""The package installs with its data (issue 8): a wheel carries the catalog, the CLI runs from anywhere.

Builds a wheel of this checkout, installs it into a fresh virtual
environment (its dependencies taken from the running environment, so nothing
is downloaded but the build backend), and runs the console script from an
empty folder.
"""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("weapon_range_map-*.whl")
    return built


def test_the_wheel_carries_the_catalog_and_the_console_script(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        assert "geo/data/weapons.json" in names
        # The file itself, not the repository's symbolic link to it.
        assert z.read("geo/data/weapons.json") == (ROOT / "data" / "weapons.json").read_bytes()
        assert z.read("geo/data/events.json") == (ROOT / "data" / "events.json").read_bytes()  # the story (issue 11)
        assert (
            z.read("geo/data/admin1.json.gz") == (ROOT / "data" / "admin1.json.gz").read_bytes()
        )  # regions (issue 12)
        assert {"geo/core/rings.py", "geo/cli.py", "geo/render/layers.py"} <= names
        # The two-finger map's files, which the HTML export inlines (issue 10).
        assets = ROOT / "geo" / "render" / "assets"
        for name in ("leaflet-gesture-handling.min.js", "leaflet-gesture-handling.min.css", "wrm-gestures.js"):
            assert z.read(f"geo/render/assets/{name}") == (assets / name).read_bytes()
        assert not any(n.startswith(("tests/", "bench/", "app.py")) for n in names)
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        assert "weapon-range-map = geo.cli:main" in z.read(entry_points).decode()


def test_the_installed_cli_finds_its_data_from_any_folder(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = subprocess.run(
        [str(python), "-c", "import geo, geo.data; print(geo.__file__)"], cwd=elsewhere, capture_output=True, text=True
    )
    assert str(env_dir) in probe.stdout, probe  # the installed copy, not this checkout
    result = subprocess.run(
        [str(env_dir / "bin" / "weapon-range-map"), "weapons"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "atacms-300" in result.stdout and "systems; ranges are publicly reported" in result.stdout
    module = subprocess.run(
        [str(python), "-m", "geo", "rings", "-w", "atacms-300", "--at", "50.9,34.8"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert module.returncode == 0 and '"weapon_id": "atacms-300"' in module.stdout
