"""The house rules no linter states: no module over 500 lines, no function over 80
(``tools/sizes.py``; ruff's C901 and PLR0915 keep functions simple, see pyproject.toml)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = ROOT / "tools" / "sizes.py"


def _sizes(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SIZES), *map(str, paths)], capture_output=True, text=True)


def test_no_module_or_function_in_the_package_is_too_long():
    result = _sizes(ROOT / "src")
    assert result.returncode == 0, result.stdout


def test_the_check_finds_a_long_function_and_a_long_module(tmp_path):
    body = "".join(f"    x{i} = {i}\n" for i in range(80))  # def line + 80 = 81 lines
    (tmp_path / "long_function.py").write_text(f"def f():\n{body}")
    (tmp_path / "long_module.py").write_text("x = 1\n" * 501)
    (tmp_path / "fine.py").write_text("def g():\n" + "    pass\n" * 79 + "\n" * 10)
    result = _sizes(tmp_path)
    assert result.returncode == 1
    found = result.stdout.splitlines()
    assert [line.split(":")[0].rsplit("/", 1)[-1] for line in found] == ["long_function.py", "long_module.py"]
    assert "function f of 81 lines" in found[0] and "module of 501 lines" in found[1]
