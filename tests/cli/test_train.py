import csv
import json

import keras
import numpy as np
import pytest

from tfgan.cli.main import main


def test_train_smoke_run_writes_a_run_directory(tmp_path):
    out = tmp_path / "run"
    code = main(["train", "--preset", "dcgan-mnist", "--epochs", "2", "--steps-per-epoch", "2",
                 "--batch-size", "4", "--latent-dim", "8", "--out", str(out), "--verbose", "0"])
    assert code == 0
    assert json.loads((out / "config.json").read_text())["batch_size"] == 4
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


def test_rerun_with_other_settings_is_refused(tmp_path):
    out = tmp_path / "run"
    args = ["train", "--epochs", "1", "--steps-per-epoch", "1", "--batch-size", "4",
            "--latent-dim", "8", "--out", str(out), "--verbose", "0"]
    assert main(args) == 0
    with pytest.raises(SystemExit, match="Changed: {'seed'"):
        main(args + ["--seed", "9"])
