import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from tfgan.datasets import downscale
from tfgan.datasets import super_resolution_pairs


def _arrays(n=6, size=20, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (n, size, size, 3), dtype=np.uint8)


def _batches(dataset):
    return [(lr.numpy(), hr.numpy()) for lr, hr in dataset]


def test_shapes_and_low_resolution_is_the_bicubic_downscaling():
    dataset = super_resolution_pairs(_arrays(), scale=4, hr_size=16, batch_size=4)
    (low, high), = _batches(dataset)  # 6 images, full batches only
    assert low.shape == (4, 4, 4, 3) and high.shape == (4, 16, 16, 3)
    expected = tf.image.resize(high, (4, 4), method="bicubic", antialias=True)
    np.testing.assert_allclose(low, np.clip(expected, -1, 1), atol=1e-6)
    assert -1.0 <= low.min() and low.max() <= 1.0


def test_training_crops_are_random_windows_of_the_images_and_reproducible():
    images = _arrays(n=4)
    scaled = images / 127.5 - 1.0
    first = _batches(super_resolution_pairs(images, scale=2, hr_size=8, batch_size=4, seed=3))
    again = _batches(super_resolution_pairs(images, scale=2, hr_size=8, batch_size=4, seed=3))
    other = _batches(super_resolution_pairs(images, scale=2, hr_size=8, batch_size=4, seed=4))
    np.testing.assert_array_equal(first[0][1], again[0][1])
    assert not np.array_equal(first[0][1], other[0][1])
    found = set()
    for crop in first[0][1]:
        for i, image in enumerate(scaled):
            for flipped in (crop, crop[:, ::-1]):
                for top in range(13):
                    for left in range(13):
                        if np.allclose(image[top:top + 8, left:left + 8], flipped, atol=1e-6):
                            found.add(i)
    assert found == {0, 1, 2, 3}  # every crop is a (mirrored) window of a distinct image


def test_test_split_is_the_centre_crops_in_order_with_a_partial_batch():
    images = _arrays(n=5, size=12)
    batches = _batches(super_resolution_pairs(images, scale=2, hr_size=8, batch_size=2,
                                              training=False))
    assert [len(lr) for lr, _ in batches] == [2, 2, 1]
    high = np.concatenate([hr for _, hr in batches])
    np.testing.assert_allclose(high, images[:, 2:10, 2:10] / 127.5 - 1.0, atol=1e-6)


def test_folder_of_any_sizes_skips_small_images_and_takes_one_side_of_pairs(tmp_path):
    rng = np.random.default_rng(0)
    for name, (h, w) in {"a": (16, 40), "b": (6, 40), "c": (20, 24)}.items():
        Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8)).save(
            tmp_path / f"{name}.png")
    whole = _batches(super_resolution_pairs(tmp_path, scale=4, hr_size=16, batch_size=8,
                                            training=False))
    assert len(whole[0][1]) == 2  # b (6 px high) is skipped
    left = _batches(super_resolution_pairs(tmp_path, scale=4, hr_size=12, batch_size=8,
                                           training=False, pair_side="left"))
    a = np.asarray(Image.open(tmp_path / "a.png")) / 127.5 - 1.0
    np.testing.assert_allclose(left[0][1][0], a[2:14, 4:16], atol=1e-6)  # centre of the left half
    assert len(left[0][1]) == 2  # b's halves are 6 px high; c's are 20x12


def test_downscale_and_bad_arguments():
    assert downscale(np.zeros((2, 8, 12, 3), "float32"), 4).shape == (2, 2, 3, 3)
    with pytest.raises(ValueError, match="multiple of `scale` = 4.*hr_size=18"):
        super_resolution_pairs(_arrays(), scale=4, hr_size=18)
    with pytest.raises(ValueError, match="input_side"):
        super_resolution_pairs(_arrays(), scale=2, hr_size=8, pair_side="top")
