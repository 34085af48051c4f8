import csv
import json

import keras
import numpy as np

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
    assert not (out / "backup").exists()
