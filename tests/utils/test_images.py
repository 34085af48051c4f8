import numpy as np
import pytest
from PIL import Image

from tfgan.utils import make_grid, save_grid, to_uint8


def test_to_uint8_maps_range_ends():
    np.testing.assert_array_equal(to_uint8([-1.0, 0.0, 1.0, 2.0]), [0, 128, 255, 255])


def test_grid_geometry_and_placement():
    images = np.stack([np.full((3, 4, 1), v, "uint8") for v in (10, 20, 30, 40, 50)])
    grid = make_grid(images, rows=2, padding=1, pad_value=0)
    assert grid.shape == (2 * 4 + 1, 3 * 5 + 1, 1)
    assert grid[1, 1, 0] == 10 and grid[1, 6, 0] == 20 and grid[5, 1, 0] == 40
    assert grid[5, 11, 0] == 0  # the sixth slot stays padding


def test_save_grid_writes_png(tmp_path):
    path = save_grid(np.zeros((4, 8, 8, 3), "float32"), tmp_path / "a" / "grid.png")
    with Image.open(path) as image:
        assert image.size == (2 * 10 + 2, 2 * 10 + 2) and image.mode == "RGB"
    assert not [p for p in (tmp_path / "a").iterdir() if p.name.startswith(".")]


def test_make_grid_rejects_empty():
    with pytest.raises(ValueError, match=r"images.shape=\(0, 2, 2, 1\)"):
        make_grid(np.zeros((0, 2, 2, 1)))


def test_save_side_by_side_puts_each_example_on_its_own_row(tmp_path):
    from PIL import Image

    from tfgan.utils.images import save_side_by_side

    a, b = np.full((3, 4, 4, 1), -1.0, "float32"), np.ones((5, 4, 4, 1), "float32")
    grid = np.asarray(Image.open(save_side_by_side([a, b], tmp_path / "pairs.png", rows=8)))
    assert grid.shape == (3 * 4 + 4 * 2, 2 * 4 + 3 * 2)  # min(8, 3, 5) rows, 2 columns
    assert grid[2, 2] == 0 and grid[2, 8] == 255 and grid[14, 8] == 255
