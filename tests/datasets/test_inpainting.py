"""inpainting_examples: shapes, ranges, deterministic test split, training jitter."""

import numpy as np
import pytest

from tfgan.datasets import inpainting_examples
from tfgan.datasets import masks


def _images(n=6, size=20):
    return np.random.default_rng(0).integers(0, 256, (n, size, size + 4, 3)).astype("uint8")


def _arrays(dataset):
    images, holes = zip(*[(x.numpy(), m.numpy()) for x, m in dataset])
    return np.concatenate(images), np.concatenate(holes)


def test_test_split_is_fixed_centre_crops_and_masks():
    source = _images()
    first = _arrays(inpainting_examples(source, "rectangles", image_size=16, batch_size=4,
                                        training=False, seed=5))
    again = _arrays(inpainting_examples(source, "rectangles", image_size=16, batch_size=4,
                                        training=False, seed=5))
    images, holes = first
    assert images.shape == (6, 16, 16, 3) and holes.shape == (6, 16, 16, 1)  # partial batch
    assert -1.0 <= images.min() < images.max() <= 1.0
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
    # A 20x24 image's centred 20x20 square, resized to 16x16.
    import tensorflow as tf
    expected = tf.image.resize(source[0, :, 2:22].astype("float32") / 127.5 - 1, (16, 16),
                               antialias=True).numpy()
    np.testing.assert_allclose(images[0], expected, atol=1e-5)
    other_seed = _arrays(inpainting_examples(source, "rectangles", image_size=16,
                                             batch_size=4, training=False, seed=6))[1]
    assert not np.array_equal(other_seed, holes)


def test_training_examples_are_jittered_masked_and_reproducible():
    source = _images(8)
    kwargs = dict(mask="free_form", image_size=16, batch_size=4, seed=1, repeat=True)
    run = [b for b in inpainting_examples(source, **kwargs).take(4)]
    rerun = [b for b in inpainting_examples(source, **kwargs).take(4)]
    for (x, m), (y, n) in zip(run, rerun):
        np.testing.assert_array_equal(x, y)
        np.testing.assert_array_equal(m, n)
    holes = np.concatenate([m.numpy() for _, m in run])
    low, high = masks.FreeFormStrokes().coverage_range(16)
    covered = holes.mean(axis=(1, 2, 3))
    assert low - 1e-6 <= covered.min() and covered.max() <= high + 1e-6
    assert len({h.tobytes() for h in holes}) == len(holes)  # a new mask every example


def test_folder_and_tfds_sources(shared_data):
    images, holes = next(iter(inpainting_examples(
        shared_data / "horse2zebra" / "testA", image_size=32, batch_size=2, limit=2)))
    assert images.shape == (2, 32, 32, 3)
    np.testing.assert_array_equal(holes[:, 8:24, 8:24], 1.0)
    images, _ = next(iter(inpainting_examples(
        "cifar10", split="test", data_dir=shared_data / "tensorflow_datasets", image_size=32,
        batch_size=3, training=False)))
    assert images.shape == (3, 32, 32, 3)


def test_too_few_images_for_a_training_batch_is_refused():
    with pytest.raises(ValueError, match="fewer than one batch"):
        inpainting_examples(_images(3), batch_size=4)
