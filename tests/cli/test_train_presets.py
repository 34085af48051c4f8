"""`tfgan train` runs every preset; config overrides; export and sample of its runs."""

import json

import keras
import numpy as np
import pytest

from tfgan import presets
from tfgan.cli.main import main

SMOKE = ["--epochs", "1", "--steps-per-epoch", "2", "--verbose", "0"]
STYLE_SMOKE = ["--set", "base_filters=2", "--set", "max_filters=4", "--set", "mapping_layers=2",
               "--latent-dim", "8", "--batch-size", "8"]


def _smoke_args(name, data):
    """Each preset shrunk to a few thousand parameters, on the offline data."""
    tfds = str(data / "tensorflow_datasets")
    return {
        "dcgan-mnist": ["--set", "base_filters=4"],
        "dcgan-cifar10": ["--data-dir", tfds, "--set", "base_filters=4"],
        "dcgan-64": ["--dataset", str(data / "horse2zebra" / "trainA"),
                     "--set", "base_filters=4"],
        "wgan-gp-mnist": ["--set", "base_filters=4", "--set", "d_steps=2"],
        "sngan-cifar10": ["--data-dir", tfds, "--set", "base_filters=8", "--set", "d_steps=1"],
        "cgan-mnist": ["--set", "base_filters=4"],
        "pix2pix-facades": ["--dataset", str(data / "facades"), "--set", "image_size=32",
                            "--set", "base_filters=4", "--set", "max_filters=8"],
        "cyclegan-horse2zebra": ["--dataset", str(data / "horse2zebra"),
                                 "--set", "image_size=32", "--set", "base_filters=4",
                                 "--set", "num_blocks=1"],
        "inpainting-center": ["--dataset", "cifar10", "--data-dir", tfds,
                              "--set", "image_size=32", "--set", "base_filters=4",
                              "--batch-size", "4"],
        "mixture-2d": ["--set", "batch_size=64"],
        "srgan-x4": ["--dataset", str(data / "facades"), "--set", "hr_size=32",
                     "--set", "num_blocks=1", "--set", "filters=4", "--set", "d_filters=4",
                     "--set", "pair_side=left", "--batch-size", "2"],
        "stylegan-mnist": STYLE_SMOKE,
        "stylegan-cifar10": ["--data-dir", tfds, *STYLE_SMOKE],
        "text2image-mnist": ["--set", "base_filters=4", "--set", "text_units=4",
                             "--set", "embedding_dim=4", "--set", "matcher_steps=2",
                             "--batch-size", "8"],
    }[name]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(presets.PRESETS))
def test_every_preset_trains_from_the_cli(name, tmp_path, shared_data):
    out = tmp_path / "run"
    code = main(["train", "--preset", name, "--out", str(out), *SMOKE,
                 *_smoke_args(name, shared_data)])
    assert code == 0
    config = json.loads((out / "config.json").read_text())
    assert config["preset"] == name
    assert set(config["config"]) == set(presets.get(name).defaults)
    model = keras.saving.load_model(out / "gan.keras")
    assert int(model.step) == 2
    assert (out / "samples" / "last.png").exists() == presets.get(name).images


def test_config_file_and_set_override_known_keys_only(tmp_path, capsys):
    config_file = tmp_path / "config.json"
    config_file.write_text(json.dumps({"base_filters": 4, "latent_dim": 8}))
    out = tmp_path / "run"
    code = main(["train", "--preset", "dcgan-mnist", "--config", str(config_file),
                 "--set", "latent_dim=6", "--out", str(out), *SMOKE])
    assert code == 0
    resolved = json.loads((out / "config.json").read_text())["config"]
    assert (resolved["base_filters"], resolved["latent_dim"]) == (4, 6)  # --set wins
    generator = keras.saving.load_model(out / "generator.keras")
    assert tuple(generator.inputs[0].shape) == (None, 6)  # z (then the cluster label)
    code = main(["train", "--preset", "dcgan-mnist", "--set", "base_filter=4",
                 "--out", str(tmp_path / "bad"), *SMOKE])
    assert code == 2
    error = capsys.readouterr().err
    assert "no config key 'base_filter'" in error and "base_filters" in error
    assert not (tmp_path / "bad").exists()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["pix2pix-facades", "cgan-mnist", "stylegan-mnist"])
def test_export_and_sample_work_on_preset_runs(name, tmp_path, shared_data):
    run, export, grid = tmp_path / "run", tmp_path / "export", tmp_path / "grid.png"
    assert main(["train", "--preset", name, "--out", str(run), *SMOKE,
                 *_smoke_args(name, shared_data)]) == 0
    assert main(["export", str(run), "--out", str(export)]) == 0
    sample = ["sample", "--model", str(export), "--n", "4", "--out", str(grid)]
    if name == "pix2pix-facades":
        sample += ["--inputs", str(shared_data / "facades" / "test"), "--pair-side", "right"]
    assert main(sample) == 0
    from PIL import Image
    image = np.asarray(Image.open(grid))
    # Pix2Pix: 2 rows (inputs, translations) of four 32x32; cgan: 28x28 digits, one row
    # per class; StyleGAN: a 2x2 grid of 32x32 digits (`z` alone: truncation ψ = 1).
    assert image.shape[0] == {"pix2pix-facades": 2 * 32 + 3 * 2, "cgan-mnist": 28 * 4 + 5 * 2,
                              "stylegan-mnist": 2 * 32 + 3 * 2}[name]
