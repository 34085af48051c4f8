import csv
import json
import os
import subprocess
import sys
import time

import keras
import numpy as np
import pytest

from tfgan.cli import train
from tfgan.cli.main import main

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TINY = ["--batch-size", "4", "--latent-dim", "8", "--verbose", "0"]


def test_train_smoke_run_writes_a_run_directory(tmp_path):
    out = tmp_path / "run"
    code = main(["train", "--preset", "dcgan-mnist", "--epochs", "2", "--steps-per-epoch", "2",
                 "--batch-size", "4", "--latent-dim", "8", "--out", str(out), "--verbose", "0"])
    assert code == 0
    assert json.loads((out / "config.json").read_text())["config"]["batch_size"] == 4
    with open(out / "history.csv") as f:
        rows = list(csv.DictReader(f))
    assert [r["epoch"] for r in rows] == ["0", "1"]
    assert all(np.isfinite(float(r["d_loss"])) for r in rows)
    assert (out / "samples" / "epoch_0002.png").exists()
    generator = keras.saving.load_model(out / "generator.keras")
    assert generator.output_shape == (None, 28, 28, 1)
    gan = keras.saving.load_model(out / "gan.keras")
    assert int(gan.g_optimizer.iterations) == 4
    assert (out / "checkpoints" / "state.json").exists()


def _command(out, epochs=5):
    import sys

    return [sys.executable, "-m", "tfgan.cli", "train", "--preset", "dcgan-mnist",
            "--epochs", str(epochs), "--steps-per-epoch", "15", "--batch-size", "8",
            "--latent-dim", "8", "--seed", "3", "--out", str(out), "--verbose", "0"]


def _weights(path):
    return [np.array(v) for v in keras.saving.load_model(path).weights]


@pytest.mark.slow
def test_resume_after_sigkill_matches_an_uninterrupted_run(tmp_path):
    import os
    import signal
    import subprocess
    import time

    env = {**os.environ, "TF_DETERMINISTIC_OPS": "1", "PYTHONHASHSEED": "0"}
    reference = tmp_path / "reference"
    subprocess.run(_command(reference), check=True, env=env, capture_output=True)

    killed = tmp_path / "killed"
    process = subprocess.Popen(_command(killed), env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    state = killed / "checkpoints" / "state.json"
    deadline = time.time() + 300
    while not state.exists() and time.time() < deadline and process.poll() is None:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL
    epoch_at_kill = json.loads(state.read_text())["epoch"]
    assert 1 <= epoch_at_kill < 5
    assert not (killed / "gan.keras").exists()

    resumed = subprocess.run(_command(killed), env=env, capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert f"resuming {killed} after epoch {epoch_at_kill}" in resumed.stdout
    for a, b in zip(_weights(reference / "gan.keras"), _weights(killed / "gan.keras")):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-6)
    assert int(keras.saving.load_model(killed / "gan.keras").step) == 5 * 15


def test_rerun_with_other_settings_is_refused(tmp_path, capsys):
    out = tmp_path / "run"
    args = ["train", "--epochs", "1", "--steps-per-epoch", "1", "--batch-size", "4",
            "--latent-dim", "8", "--out", str(out), "--verbose", "0"]
    assert main(args) == 0
    assert main(args + ["--seed", "9"]) == 2
    assert "Changed: {'seed': (0, 9)}" in capsys.readouterr().err


def _error_line(capsys):
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("tfgan train: "), err
    return err


def test_preset_names_match_the_registry():
    from tfgan import presets

    assert train.PRESET_NAMES == tuple(sorted(presets.PRESETS))


@pytest.mark.parametrize("flag, value", [("--epochs", "0"), ("--epochs", "-1"),
                                         ("--steps-per-epoch", "0"), ("--batch-size", "0"),
                                         ("--sample-every", "0")])
def test_no_op_runs_are_refused_before_anything_is_written(tmp_path, capsys, flag, value):
    out = tmp_path / "run"
    args = ["train", "--epochs", "1", "--steps-per-epoch", "1", *TINY, "--out", str(out)]
    assert main(args + [flag, value]) == 2
    assert _error_line(capsys).endswith(f"Received: {flag}={value}\n")
    assert not out.exists()


def test_negative_steps_per_epoch_exits_at_once(tmp_path):
    out = tmp_path / "run"
    # `-X importtime` lists every import on stderr: "at once" = before TensorFlow loads
    # (not a wall-clock bound, which a busy machine breaks).
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tfgan.cli", "train", "--epochs", "1",
         "--steps-per-epoch", "-2", *TINY, "--out", str(out)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": ROOT})
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()
                if line.startswith("import time:")]
    assert "tfgan.cli" in imported and "tensorflow" not in imported
    assert result.returncode == 2
    assert "`--steps-per-epoch` must be a positive integer" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("dataset", ["/nonexistent/images", "./no-such-images"])
def test_missing_dataset_folder_says_no_such_folder(tmp_path, capsys, dataset):
    out = tmp_path / "run"
    assert main(["train", "--dataset", dataset, *TINY, "--out", str(out)]) == 2
    assert f"{dataset!r}: no such folder" in _error_line(capsys)
    assert not out.exists()


def _gray_folder(tmp_path, count):
    """A folder of `count` flat 8x8 grayscale PNGs."""
    from PIL import Image

    folder = tmp_path / "images"
    folder.mkdir()
    for i in range(count):
        Image.new("L", (8, 8), color=30 * i).save(folder / f"{i}.png")
    return folder


def test_folder_smaller_than_a_batch_is_refused_with_the_counts(tmp_path, capsys):
    folder = _gray_folder(tmp_path, 3)
    out = tmp_path / "run"
    assert main(["train", "--dataset", str(folder), *TINY, "--out", str(out)]) == 2
    assert "has 3 images, fewer than one batch of 4" in _error_line(capsys)
    assert not out.exists()


def test_small_folder_epoch_repeats_the_data_to_the_minimum_steps(tmp_path, capsys):
    folder = _gray_folder(tmp_path, 8)
    out = tmp_path / "run"
    assert main(["train", "--dataset", str(folder), "--epochs", "1", "--set", "clusters=null",
                 *TINY, "--out", str(out)]) == 0
    assert ("one pass over the data is 2 batches of 4; an epoch repeats it to 100 steps"
            in capsys.readouterr().out)
    gan = keras.saving.load_model(out / "gan.keras")
    assert int(gan.g_optimizer.iterations) == train.MIN_STEPS_PER_EPOCH


def test_restart_drops_the_previous_checkpoints_and_history(tmp_path, capsys):
    out = tmp_path / "run"
    args = ["train", "--epochs", "1", "--steps-per-epoch", "1", *TINY, "--out", str(out)]
    assert main(args) == 0
    assert main(args) == 2  # nothing left to train: refused
    assert "already trained to epoch 1" in _error_line(capsys)
    assert main(args + ["--restart", "--seed", "9"]) == 0
    assert "resuming" not in capsys.readouterr().out
    with open(out / "history.csv") as f:
        assert [r["epoch"] for r in csv.DictReader(f)] == ["0"]
    assert json.loads((out / "config.json").read_text())["seed"] == 9


def _train_seconds(out):
    with open(out / "history.csv") as f:
        return [float(r["train_seconds"]) for r in csv.DictReader(f)]


def test_time_budget_ends_on_a_whole_epoch_and_counts_across_resumptions(tmp_path, capsys):
    out = tmp_path / "run"
    args = ["train", "--epochs", "3", "--steps-per-epoch", "2", *TINY, "--out", str(out)]
    assert main(args + ["--time-budget", "0.001"]) == 0  # one epoch always runs
    assert "epochs 1-1 in" in capsys.readouterr().out
    assert len(_train_seconds(out)) == 1 and (out / "gan.keras").exists()
    assert main(args + ["--time-budget", "0.001"]) == 2
    assert "has spent its time budget" in _error_line(capsys)
    assert main(args + ["--time-budget", "3600"]) == 0
    assert "resuming" in capsys.readouterr().out
    first, second, third = _train_seconds(out)
    assert 0 < first < second < third  # the resumed run goes on from the first's time


def test_resuming_a_history_without_training_times_is_refused(tmp_path, capsys):
    out = tmp_path / "run"
    args = ["train", "--epochs", "2", "--steps-per-epoch", "1", *TINY, "--out", str(out)]
    assert main(args[:2] + ["1"] + args[3:]) == 0
    history = out / "history.csv"
    with open(history) as f:
        rows = list(csv.DictReader(f))
    columns = [c for c in rows[0] if c != "train_seconds"]
    with open(history, "w", newline="") as f:
        writer = csv.DictWriter(f, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    assert main(args) == 2
    assert "does not log the training time of epoch 1" in _error_line(capsys)


@pytest.mark.parametrize("value", ["0", "-5"])
def test_non_positive_time_budget_is_refused(tmp_path, capsys, value):
    out = tmp_path / "run"
    assert main(["train", "--time-budget", value, *TINY, "--out", str(out)]) == 2
    assert _error_line(capsys).endswith(f"Received: --time-budget={value}\n")
    assert not out.exists()


def test_health_flag_logs_training_health(tmp_path):
    out = tmp_path / "run"
    assert main(["train", "--preset", "dcgan-mnist", "--epochs", "1", "--steps-per-epoch", "2",
                 "--set", "base_filters=4", "--health", "--out", str(out), *TINY]) == 0
    with open(out / "history.csv") as f:
        row = next(csv.DictReader(f))
    for key in ("d_real_accuracy", "d_fake_accuracy", "d_grad_norm", "diversity"):
        assert np.isfinite(float(row[key])), key
