"""Each example runs end to end with --smoke."""

import pathlib
import subprocess
import sys

import pytest

EXAMPLES = sorted((pathlib.Path(__file__).parents[1] / "examples").glob("*.py"))


@pytest.mark.slow
@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_smoke(script, tmp_path):
    result = subprocess.run(
        [sys.executable, str(script), "--smoke", "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert any((tmp_path / "out").rglob("*.png")), "the example wrote no images"
