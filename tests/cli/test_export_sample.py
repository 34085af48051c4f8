import pathlib

import numpy as np
import pytest
from PIL import Image

from tfgan.cli.main import main

SHIPPED = pathlib.Path(__file__).parents[2] / "saved_models" / "dcgan-mnist"


def test_export_then_sample_from_both_backends(tiny_gan, tmp_path):
    gan = tiny_gan()
    gan.compile(run_eagerly=True)
    gan.save(tmp_path / "gan.keras")
    assert main(["export", str(tmp_path), "--out", str(tmp_path / "exported")]) == 0
    grids = []
    for model in (tmp_path / "exported", tmp_path / "exported" / "generator.onnx"):
        out = tmp_path / f"{model.name}.png"
        assert main(["sample", "--model", str(model), "--n", "6", "--seed", "3",
                     "--out", str(out)]) == 0
        with Image.open(out) as image:
            grids.append(np.array(image))
    assert grids[0].shape == (2 * 10 + 2, 3 * 10 + 2)
    assert np.abs(grids[0].astype(int) - grids[1].astype(int)).max() <= 1


def test_sample_from_the_shipped_generator(tmp_path):
    out = tmp_path / "grid.png"
    assert main(["sample", "--model", str(SHIPPED), "--n", "16", "--out", str(out)]) == 0
    with Image.open(out) as image:
        grid = np.array(image)
    assert grid.shape == (4 * 30 + 2, 4 * 30 + 2)
    assert grid.std() > 20  # digits, not a blank or constant image


def test_export_onto_the_run_directory_refuses_and_keeps_the_run(tiny_gan, tmp_path, capsys):
    gan = tiny_gan()
    gan.compile(run_eagerly=True)
    gan.save(tmp_path / "gan.keras")
    (tmp_path / "history.csv").write_text("epoch,d_loss\n0,1.0\n")
    (tmp_path / "checkpoints").mkdir()
    (tmp_path / "checkpoints" / "state.json").write_text('{"epoch": 1}')
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert main(["export", str(tmp_path), "--out", str(tmp_path), "--overwrite"]) == 2
    assert f"Received: path='{tmp_path}'" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
