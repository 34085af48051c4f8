"""Mask generators: stated coverage ranges, determinism, binary values, user masks."""

import keras
import numpy as np
import pytest

from tfgan.datasets import masks
from tfgan.utils.images import save_image
from tfgan.utils.seeds import stateless_seed

GENERATORS = {"center": masks.CenterMask(), "rectangles": masks.RandomRectangles(),
              "free_form": masks.FreeFormStrokes(min_coverage=0.1)}


@pytest.mark.parametrize("name", sorted(GENERATORS))
@pytest.mark.parametrize("size", [32, (24, 40)])
def test_coverage_lies_in_the_stated_range(name, size):
    generator = GENERATORS[name]
    low, high = generator.coverage_range(size)
    assert 0 < low <= high <= 1
    covered = [float(masks.coverage(generator(size, stateless_seed(3, i)))) for i in range(40)]
    assert low - 1e-6 <= min(covered) and max(covered) <= high + 1e-6
    if name != "center":  # random masks really vary
        assert max(covered) > min(covered)


def test_center_mask_is_the_context_encoder_square():
    mask = masks.CenterMask()(128, None).numpy()[..., 0]
    assert mask.shape == (128, 128) and mask.sum() == 64 * 64
    np.testing.assert_array_equal(mask[32:96, 32:96], 1.0)
    assert masks.CenterMask(0.25).coverage_range(64) == (1 / 16, 1 / 16)


@pytest.mark.parametrize("name", ["rectangles", "free_form"])
def test_masks_are_binary_and_a_function_of_the_seed(name):
    generator = GENERATORS[name]
    first = generator(32, stateless_seed(0, 1)).numpy()
    assert first.shape == (32, 32, 1) and first.dtype == np.float32
    assert set(np.unique(first)) == {0.0, 1.0}
    np.testing.assert_array_equal(generator(32, stateless_seed(0, 1)), first)
    assert not np.array_equal(generator(32, stateless_seed(0, 2)), first)


def test_user_masks_from_a_folder_resize_nearest_and_state_their_coverage(tmp_path):
    left = np.zeros((8, 8), "uint8")
    left[:, :4] = 255
    corner = np.zeros((8, 8), "uint8")
    corner[:2, :2] = 255
    save_image(left, tmp_path / "a.png")
    save_image(corner, tmp_path / "b.png")
    user = masks.get(str(tmp_path))
    assert isinstance(user, masks.UserMasks)
    assert user.coverage_range(16) == (1 / 16, 0.5)
    np.testing.assert_array_equal(user.mask_at(0, 16)[:, :8], 1.0)
    np.testing.assert_array_equal(user.mask_at(2, 16), user.mask_at(0, 16))  # cycles
    drawn = user(16, stateless_seed(0, 0)).numpy()
    assert any(np.array_equal(drawn, user.mask_at(i, 16)) for i in range(2))
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(user))
    np.testing.assert_array_equal(restored.masks, user.masks)


def test_hole_boxes_bound_the_hole_and_grow_to_a_minimum_size():
    mask = np.zeros((2, 32, 32, 1), "float32")
    mask[0, 3:7, 20:30] = 1.0
    boxes = masks.hole_boxes(mask)
    np.testing.assert_array_equal(boxes[0], [3, 20, 7, 30])
    grown = masks.hole_boxes(mask, min_size=11)
    np.testing.assert_array_equal(grown[0], [0, 19, 11, 30])  # shifted inside the image
    np.testing.assert_array_equal(grown[1], [10, 10, 21, 21])  # no hole: the centre


def test_get_resolves_names_and_rejects_the_rest():
    assert isinstance(masks.get("free-form"), masks.FreeFormStrokes)
    generator = masks.RandomRectangles(max_count=1)
    assert masks.get(generator) is generator
    with pytest.raises(ValueError, match="mask='circle'"):
        masks.get("circle")
    with pytest.raises(ValueError, match="min_size"):
        masks.RandomRectangles(min_size=0.5, max_size=0.2)
    config = keras.saving.serialize_keras_object(masks.FreeFormStrokes(vertices=3))
    assert keras.saving.deserialize_keras_object(config).vertices == 3


def test_masks_for_images_draws_per_index_or_cycles_a_folder(tmp_path):
    drawn = masks.masks_for_images(3, 16, "rectangles", seed=1)
    assert drawn.shape == (3, 16, 16, 1)
    np.testing.assert_array_equal(drawn, masks.masks_for_images(3, 16, "rectangles", seed=1))
    assert not np.array_equal(drawn[0], drawn[1])
    for i, rows in enumerate((slice(0, 4), slice(8, 16))):
        image = np.zeros((16, 16), "uint8")
        image[rows] = 255
        save_image(image, tmp_path / f"{i}.png")
    given = masks.masks_for_images(3, 8, tmp_path)
    np.testing.assert_array_equal(given[0], given[2])  # cycles in name order
    assert given[0, :2].all() and not given[0, 2:].any()
    with pytest.raises(FileNotFoundError, match="No such folder"):
        masks.masks_for_images(1, 8, tmp_path / "nope")
