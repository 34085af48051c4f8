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


def test_probability_applies_each_transform_to_each_image_independently():
    ones = tf.ones((400, 8, 8, 1))
    cut = lambda out: np.any(out.numpy() == 0, axis=(1, 2, 3))
    share = cut(DiffAugment("cutout", probability=0.5)(ones, seed=SEED)).mean()
    assert 0.4 < share < 0.6  # binomial(400, 0.5): std 0.025
    np.testing.assert_array_equal(DiffAugment(probability=0.0)(ones, seed=SEED), ones)
    # probability=1 (the default) is DiffAugment as before: no mask is drawn.
    x = batch(n=16)
    np.testing.assert_array_equal(DiffAugment(probability=1.0)(x, seed=SEED),
                                  DiffAugment()(x, seed=SEED))
    # Two transforms draw separate masks: some images get one but not the other.
    out = DiffAugment("translation,cutout", probability=0.5)(ones, seed=SEED).numpy()
    shifted = (out[:, 0, :, 0] == 0).all(axis=1) | (out[:, -1, :, 0] == 0).all(axis=1) | (
        out[:, :, 0, 0] == 0).all(axis=1) | (out[:, :, -1, 0] == 0).all(axis=1)
    holed = np.any(out == 0, axis=(1, 2, 3))
    assert np.any(holed & ~shifted) and 0.6 < holed.mean() < 0.9  # P(any) = 0.75


def test_adaptive_probability_follows_the_sign_of_real_logits():
    layer = DiffAugment(target=0.6, adjust_images=40, interval=2)
    assert float(layer.p) == 0.0 and layer.metric_names == ("augment_p",)
    sure = tf.fill((5, 1), 3.0)
    assert float(layer.observe(sure)["augment_p"]) == 0.0  # 1 of 2 updates: no move yet
    assert float(layer.observe(sure)["augment_p"]) == pytest.approx(10 / 40)
    # r_t = (3 - 2) / 5 = 0.2 < 0.6 over the next two updates: back down by 10 images.
    mixed = tf.constant([[1.0], [2.0], [0.5], [-1.0], [-4.0]])
    layer.observe(mixed)
    assert float(layer.observe(mixed)["augment_p"]) == pytest.approx(0.0)
    for _ in range(2):
        layer.observe(-sure)
    assert float(layer.p) == 0.0  # clipped at 0
    # A PatchGAN map counts every logit: 2 x 3 x 3 = 18 images' worth per update.
    for _ in range(6):
        layer.observe(tf.ones((2, 3, 3, 1)))
    assert float(layer.p) == 1.0  # 3 moves of 36/40, clipped at 1
    np.testing.assert_array_equal(layer(tf.ones((4, 8, 8, 1)), training=False), 1.0)


def test_fixed_probability_observes_nothing_and_adds_no_state():
    layer = DiffAugment(probability=0.3)
    assert layer.observe(tf.ones((4, 1))) == {} and layer.metric_names == ()
    assert layer.p == 0.3 and layer.weights == []


def test_adaptive_config_round_trips_and_arguments_are_checked():
    layer = DiffAugment("color", target=0.6, adjust_images=500_000, interval=8)
    restored = DiffAugment.from_config(layer.get_config())
    assert (restored.target, restored.probability, restored.adjust_images,
            restored.interval) == (0.6, 0.0, 500_000, 8)
    with pytest.raises(ValueError, match="Received: probability=1.5"):
        DiffAugment(probability=1.5)
    with pytest.raises(ValueError, match="Received: target=1.0"):
        DiffAugment(target=1.0)
    with pytest.raises(ValueError, match="Received: interval=0"):
        DiffAugment(target=0.6, interval=0)
    with pytest.raises(ValueError, match="Received: adjust_images=-5"):
        DiffAugment(target=0.6, adjust_images=-5)
