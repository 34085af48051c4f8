"""`tfgan sample` and `tfgan apply` fill holes with an inpainting export: --mask NAME or
--masks FOLDER."""

import numpy as np
import pytest
from PIL import Image

import tfgan
from tfgan import export
from tfgan.architectures import inpainting_discriminator
from tfgan.architectures import inpainting_generator
from tfgan.cli.main import main
from tfgan.utils.images import save_image

SHAPE = (16, 16, 3)


@pytest.fixture
def exported(tmp_path):
    model = tfgan.Inpainting(inpainting_generator(SHAPE, base_filters=4),
                             inpainting_discriminator(SHAPE, base_filters=4), seed=0)
    export.export_generator(model, tmp_path / "export", formats=("onnx",))
    photos = tmp_path / "photos"
    rng = np.random.default_rng(0)
    for i in range(3):
        save_image(rng.integers(0, 256, (16, 16, 3)).astype("uint8"), photos / f"{i}.png")
    return tmp_path / "export", photos


def _grid(path):
    return np.asarray(Image.open(path))


def test_center_and_named_masks(exported, tmp_path):
    model, photos = exported
    out = tmp_path / "center.png"
    assert main(["sample", "--model", str(model), "--inputs", str(photos), "--n", "3",
                 "--out", str(out)]) == 0
    grid = _grid(out)
    # Three rows (masked inputs, completions, originals) of three 16x16 tiles, 2 px apart.
    assert grid.shape == (3 * 16 + 4 * 2, 3 * 16 + 4 * 2, 3)
    first = grid[2:18, 2:18]
    np.testing.assert_array_equal(first[4:12, 4:12], 128)  # the centre hole, shown at 0
    original = grid[2 + 2 * 18:18 + 2 * 18, 2:18]
    np.testing.assert_array_equal(first[:4], original[:4])
    completion = grid[2 + 18:18 + 18, 2:18]
    np.testing.assert_array_equal(completion[:4], original[:4])  # known pixels kept
    out = tmp_path / "strokes.png"
    assert main(["sample", "--model", str(model), "--inputs", str(photos), "--n", "2",
                 "--mask", "free_form", "--out", str(out)]) == 0
    assert _grid(out).shape == (3 * 16 + 4 * 2, 2 * 16 + 3 * 2, 3)


def test_masks_folder_pairs_masks_with_inputs_in_order(exported, tmp_path):
    model, photos = exported
    folder = tmp_path / "masks"
    left = np.zeros((8, 8), "uint8")
    left[:, :4] = 255
    save_image(left, folder / "0.png")
    out = tmp_path / "given.png"
    assert main(["sample", "--model", str(model), "--inputs", str(photos), "--n", "1",
                 "--masks", str(folder), "--out", str(out)]) == 0
    masked = _grid(out)[2:18, 2:18]
    np.testing.assert_array_equal(masked[:, :8], 128)  # the left half, scaled up to 16x16
    assert main(["sample", "--model", str(model), "--inputs", str(photos), "--n", "1",
                 "--masks", str(tmp_path / "nope"), "--out", str(out)]) != 0


def test_apply_fills_the_holes_of_every_image_of_a_folder(exported, tmp_path):
    model, photos = exported
    out = tmp_path / "filled"
    assert main(["apply", "--model", str(model), "--inputs", str(photos), "--out",
                 str(out)]) == 0
    for i in range(3):
        original = np.asarray(Image.open(photos / f"{i}.png"))
        filled = np.asarray(Image.open(out / f"{i}.png"))
        assert filled.shape == original.shape
        known = np.ones((16, 16), bool)
        known[4:12, 4:12] = False  # the default centre hole
        np.testing.assert_allclose(filled[known], original[known], atol=1)
    folder = tmp_path / "masks"
    top = np.zeros((16, 16), "uint8")
    top[:4] = 255
    save_image(top, folder / "0.png")
    out = tmp_path / "given"
    assert main(["apply", "--model", str(model), "--inputs", str(photos), "--out", str(out),
                 "--masks", str(folder)]) == 0
    np.testing.assert_allclose(np.asarray(Image.open(out / "1.png"))[4:],
                               np.asarray(Image.open(photos / "1.png"))[4:], atol=1)
    assert main(["apply", "--model", str(model), "--inputs", str(photos), "--out",
                 str(tmp_path / "x"), "--masks", str(tmp_path / "nope")]) == 2
