"""House rules that code review alone would miss."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_core_never_imports_textual() -> None:
    """Importing every tui.core module loads no textual module."""
    modules = sorted(p.stem for p in (ROOT / "tui" / "core").glob("*.py") if p.stem != "__init__")
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module('tui.core.' + name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "", f"tui.core pulled in: {result.stdout}"
    assert len(modules) >= 5


def test_python_files_stay_readable() -> None:
    too_long = {str(p.relative_to(ROOT)): n for p in ROOT.glob("tui/**/*.py") if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert too_long == {}
