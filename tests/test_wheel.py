"""The wheel ships the stylesheets and the sample corpus, and works when installed."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True, capture_output=True,
    )
    (built,) = out.glob("*.whl")
    return built


def test_wheel_contains_styles_and_sample(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    styles = {Path(n).name for n in names if n.startswith("tui/styles/")}
    assert {p.name for p in (ROOT / "styles").glob("*.tcss")} <= styles
    sample = {Path(n).name for n in names if n.startswith("tui/sample/")}
    assert {p.name for p in (ROOT / "tui" / "sample").iterdir()} <= sample
    assert "dossier.csv" in sample  # the sample's manifest: dates and URLs of most of its articles
    assert not any(n.startswith(("tests/", "bench/")) for n in names)


def test_installed_wheel_finds_its_files(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True, capture_output=True,
    )
    code = (
        "from tui.core.paths import styles_dir, sample_corpus\n"
        "import tui.app\n"
        "assert (styles_dir() / 'dossier.tcss').is_file(), styles_dir()\n"
        f"assert str(styles_dir()).startswith({str(target)!r}), styles_dir()\n"
        "from tui.cli import main\n"
        "raise SystemExit(main(['list']))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "01_pipeline-deal-signed.txt\t2024-03-14\tCaspian Courier\t" in result.stdout  # its date from the manifest
