import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan.augment import DiffAugment
from tfgan.augment import cutout
from tfgan.augment import translation

SEED = tf.constant([3, 9], tf.int64)


def batch(n=4, size=8, channels=3, seed=0):
    return tf.constant(np.random.default_rng(seed).uniform(-1, 1, (n, size, size, channels)),
                       "float32")


def test_translation_shifts_whole_images_with_zero_padding():
    x = batch()
    out = translation(x, seed=SEED).numpy()
    for i in range(4):
        found = False
        for dy in range(-1, 2):
            for dx in range(-1, 2):
                shifted = np.zeros_like(x[i].numpy())
                src = x[i].numpy()
                ys, yd = (slice(0, 8 - dy), slice(dy, 8)) if dy >= 0 else (slice(-dy, 8), slice(0, 8 + dy))
                xs, xd = (slice(0, 8 - dx), slice(dx, 8)) if dx >= 0 else (slice(-dx, 8), slice(0, 8 + dx))
                shifted[yd, xd] = src[ys, xs]
                found |= np.array_equal(shifted, out[i])
        assert found  # a shift of at most 1 pixel (0.125 · 8)


def test_cutout_zeroes_one_square_of_half_size():
    out = cutout(tf.ones((6, 8, 8, 1)), seed=SEED).numpy()[..., 0]
    for image in out:
        rows, cols = np.nonzero(image == 0)
        assert 4 <= len(rows) <= 16
        assert rows.max() - rows.min() < 4 and cols.max() - cols.min() < 4
        assert len(rows) == (rows.max() - rows.min() + 1) * (cols.max() - cols.min() + 1)


def test_gradient_flows_and_equals_finite_differences():
    # For fixed draws the augmentation is affine in the pixels, so a finite difference
    # along any direction equals the autodiff directional derivative.
    layer = DiffAugment()
    x = batch(seed=1)
    direction = batch(seed=2)
    with tf.GradientTape() as tape:
        tape.watch(x)
        weights = batch(seed=3)
        objective = tf.reduce_sum(layer(x, seed=SEED) * weights)
    gradient = tape.gradient(objective, x)
    assert np.count_nonzero(gradient.numpy()) > 0.3 * gradient.numpy().size
    step = 0.5
    plus = tf.reduce_sum(layer(x + step * direction, seed=SEED) * weights)
    minus = tf.reduce_sum(layer(x - step * direction, seed=SEED) * weights)
    np.testing.assert_allclose((plus - minus) / (2 * step),
                               tf.reduce_sum(gradient * direction), rtol=1e-3)


def test_translation_gradient_routes_each_pixel_once():
    x = batch(n=3, channels=1)
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(translation(x, seed=SEED))
    gradient = tape.gradient(total, x).numpy()
    assert set(np.unique(gradient)) <= {0.0, 1.0}
    kept = translation(tf.ones_like(x), seed=SEED).numpy()
    np.testing.assert_allclose(gradient.sum(axis=(1, 2, 3)), kept.sum(axis=(1, 2, 3)))


def test_same_seed_same_result_inference_is_identity_and_config():
    layer = DiffAugment("translation,cutout", cutout_ratio=0.25)
    x = batch()
    np.testing.assert_array_equal(layer(x, seed=SEED), layer(x, seed=SEED))
    assert not np.array_equal(layer(x, seed=SEED), layer(x, seed=SEED + 1))
    np.testing.assert_array_equal(layer(x, training=False), x)
    restored = DiffAugment.from_config(layer.get_config())
    assert (restored.policy, restored.cutout_ratio) == ("translation,cutout", 0.25)
    with pytest.raises(ValueError, match="Received: policy='flip'"):
        DiffAugment("flip")
