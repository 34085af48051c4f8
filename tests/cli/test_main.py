"""The `tfgan` entry point: one-line errors, `--debug`, a light `--help`, quiet TensorFlow."""

import json
import os
import subprocess
import sys

import pytest

from tfgan.cli import main as main_lib
from tfgan.cli.main import main

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENV = {**os.environ, "PYTHONPATH": ROOT}
TF_LOG_MARKERS = ("oneDNN", "absl", "cuda", "I0000", "W0000", "E0000", "cpu_feature_guard")


def test_help_imports_no_tensorflow():
    # As the `tfgan` console script starts (sys.argv[0] is `tfgan`), with sys.modules
    # printed at exit.
    script = (
        "import atexit, json, runpy, sys\n"
        "sys.argv = ['tfgan'] + sys.argv[1:]\n"
        "atexit.register(lambda: print('MODULES', json.dumps(sorted(sys.modules))))\n"
        "runpy.run_module('tfgan.cli', run_name='__main__')\n"
    )
    for command in ([], *[[name] for name in main_lib.COMMANDS]):
        result = subprocess.run([sys.executable, "-c", script, *command, "--help"],
                                capture_output=True, text=True, env=ENV, timeout=60)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"usage: {' '.join(['tfgan', *command])} ")
        modules = json.loads(result.stdout.split("MODULES ")[-1])
        heavy = [m for m in modules
                 if m.split(".")[0] in ("tensorflow", "keras") or m == "tfgan.presets"]
        assert "tfgan.cli.train" in modules and heavy == [], (command, heavy)


@pytest.mark.parametrize("argv, message", [
    (["train", "--epochs", "x"], "tfgan train: argument --epochs: invalid int value: 'x'"),
    (["nosuch"], "tfgan: argument COMMAND: invalid choice: 'nosuch'"),
    (["export", "missing.keras", "--out", "x"], "tfgan export: expected a .keras file"),
])
def test_errors_are_one_line_on_stderr_with_exit_code_2(capsys, argv, message):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(message) and captured.err.count("\n") == 1, captured.err
    assert captured.out == ""


def test_library_errors_are_one_line_and_debug_shows_the_traceback(tmp_path, capsys):
    argv = ["train", "--epochs", "0", "--out", str(tmp_path / "run")]
    assert main(argv) == 2
    assert capsys.readouterr().err == (
        "tfgan train: `--epochs` must be a positive integer. Received: --epochs=0\n")
    for debug in (["--debug", *argv], [*argv, "--debug"]):
        with pytest.raises(ValueError, match="Received: --epochs=0"):
            main(debug)


def test_tensorflow_logs_are_off_unless_asked_for(monkeypatch):
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    monkeypatch.delenv(main_lib.TF_LOGS_VARIABLE, raising=False)
    main_lib.quiet_tensorflow_logs(enabled=True)
    assert "TF_CPP_MIN_LOG_LEVEL" not in os.environ
    monkeypatch.setenv(main_lib.TF_LOGS_VARIABLE, "1")
    main_lib.quiet_tensorflow_logs(enabled=False)
    assert "TF_CPP_MIN_LOG_LEVEL" not in os.environ
    monkeypatch.delenv(main_lib.TF_LOGS_VARIABLE)
    main_lib.quiet_tensorflow_logs(enabled=False)
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "3"
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "1")  # the user's own value is kept
    main_lib.quiet_tensorflow_logs(enabled=False)
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "1"


def test_a_short_train_run_prints_no_tensorflow_logs(tmp_path):
    env = {k: v for k, v in ENV.items()
           if k not in ("TF_CPP_MIN_LOG_LEVEL", main_lib.TF_LOGS_VARIABLE)}
    result = subprocess.run(
        [sys.executable, "-m", "tfgan.cli", "train", "--epochs", "1", "--steps-per-epoch", "1",
         "--batch-size", "4", "--latent-dim", "8", "--verbose", "0",
         "--out", str(tmp_path / "run")],
        capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = (result.stdout + result.stderr).splitlines()
    assert [line for line in lines if any(m in line for m in TF_LOG_MARKERS)] == []
    assert lines == [line for line in lines if line.startswith("tfgan train: ")]
