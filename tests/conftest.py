"""Shared fixtures: repository paths, the golden-file update flag, and one real site build."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite expected files from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def compare_golden(path: Path, actual: str, update: bool) -> None:
    """Assert ``actual`` equals the committed file, or rewrite it under --update-golden."""
    if update or not path.exists():
        if not update:
            pytest.fail(f"{path} is missing; run pytest --update-golden to create it, then review it")
        path.write_text(actual, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        import difflib

        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), str(path), "actual"))
        pytest.fail(f"output differs from {path.relative_to(ROOT)} (pytest --update-golden rewrites it):\n{diff}")


def mkdocs_build(config: Path, out: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` for a config, with the repository's engine importable."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(out)],
        capture_output=True,
        text=True,
        cwd=config.parent,
        env=environment,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per test session with --strict (with Zensical when DRG_RENDERER=zensical)."""
    if os.environ.get("DRG_RENDERER") == "zensical":  # to run the whole suite on the second renderer (README: Platform)
        return build_with_zensical()
    out = tmp_path_factory.mktemp("site") / "site"
    result = mkdocs_build(ROOT / "mkdocs.yml", out, {"DRG_PROFILE": ""})  # the public build, whatever the shell says
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    return out


def zensical_build(config: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``zensical build --clean --strict`` as make site-zensical does, with the engine importable."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--clean", "--strict", "-f", str(config)],
        capture_output=True,
        text=True,
        cwd=config.parent,
        env=environment,
        timeout=600,
        check=False,
    )


def build_with_zensical() -> Path:
    """The real site built with Zensical into site-zensical/, as make site-zensical does (Zensical writes only inside the project)."""
    from macros.engine.version import site_version

    pytest.importorskip("zensical", reason="Zensical is not installed: make test installs requirements-zensical.txt")
    label = site_version(ROOT)["label"]
    result = zensical_build(ROOT / "mkdocs-zensical.yml", {"DRG_VERSION_LABEL": label})
    assert result.returncode == 0, f"zensical build failed:\n{result.stdout}\n{result.stderr}"
    return ROOT / "site-zensical"


@pytest.fixture(scope="session")
def zensical_site() -> Path:
    """The real site built with Zensical, once per test session."""
    return build_with_zensical()


EXAMPLE_PROFILE = ROOT / "examples" / "profile.yml"


@pytest.fixture(scope="session")
def profile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site built with the fictional example profile (make site PROFILE=examples/profile.yml)."""
    out = tmp_path_factory.mktemp("profile-site") / "site"
    result = mkdocs_build(ROOT / "mkdocs.yml", out, {"DRG_PROFILE": str(EXAMPLE_PROFILE)})
    assert result.returncode == 0, f"mkdocs build --strict with the example profile failed:\n{result.stdout}\n{result.stderr}"
    return out
