"""Penalties pinned with analytic discriminators (TF-GAN's contract style)."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import ops

from tfgan import penalties


def linear_d(images):
    """D(x) = 2·Σx: ∇D = 2 everywhere; on 4 values per sample ‖∇D‖ = 4."""
    return 2.0 * ops.sum(ops.reshape(images, (ops.shape(images)[0], -1)), axis=1,
                         keepdims=True)


def quadratic_d(images):
    """D(x) = Σx²/2: ∇D(x) = x, so ‖∇D(x)‖² = ‖x‖²."""
    flat = ops.reshape(images, (ops.shape(images)[0], -1))
    return 0.5 * ops.sum(flat * flat, axis=1, keepdims=True)


def batch(seed, shape=(6, 2, 2, 1)):
    return tf.constant(np.random.default_rng(seed).normal(size=shape), "float32")


def test_two_sided_gradient_penalty_is_nine_for_linear_discriminator():
    gp = penalties.GradientPenalty()
    loss, logs = gp(linear_d, batch(0), batch(1), seed=tf.constant([3, 4], tf.int64))
    np.testing.assert_allclose(logs["gradient_penalty"], 9.0, rtol=1e-5)
    np.testing.assert_allclose(loss, 90.0, rtol=1e-5)


def test_one_sided_penalty_ignores_norms_below_target():
    # Norm 4 is above target 1: (4 - 1)² = 9 as the two-sided form.
    above = penalties.GradientPenalty(one_sided=True)
    _, logs = above(linear_d, batch(0), batch(1))
    np.testing.assert_allclose(logs["gradient_penalty"], 9.0, rtol=1e-5)
    # With target 5 the norm 4 is below: one-sided 0, two-sided (4 - 5)² = 1.
    _, logs = penalties.GradientPenalty(target=5.0, one_sided=True)(
        linear_d, batch(0), batch(1))
    np.testing.assert_allclose(logs["gradient_penalty"], 0.0, atol=1e-6)
    _, logs = penalties.GradientPenalty(target=5.0)(linear_d, batch(0), batch(1))
    np.testing.assert_allclose(logs["gradient_penalty"], 1.0, rtol=1e-5)


def test_gradient_penalty_uses_one_epsilon_per_sample_in_unit_interval():
    real, fake = batch(0), batch(1)
    seed = tf.constant([7, 8], tf.int64)
    x_hat = penalties.interpolate(real, fake, seed).numpy()
    # x̂ - fake = ε·(real - fake): a single ratio per sample, in [0, 1].
    ratio = (x_hat - fake.numpy()) / (real.numpy() - fake.numpy())
    per_sample = ratio.reshape(len(ratio), -1)
    np.testing.assert_allclose(per_sample, per_sample[:, :1].repeat(4, axis=1), rtol=1e-4)
    assert np.all((per_sample >= 0) & (per_sample <= 1))
    assert np.ptp(per_sample[:, 0]) > 0.05  # not one ε for the whole batch


def test_gradient_penalty_at_interpolates_of_quadratic_discriminator():
    # ∇D(x̂) = x̂, so the penalty is mean((‖x̂‖ - 1)²) over the interpolates.
    real, fake = batch(0), batch(1)
    seed = tf.constant([1, 2], tf.int64)
    x_hat = penalties.interpolate(real, fake, seed).numpy().reshape(6, -1)
    expected = np.mean((np.linalg.norm(x_hat, axis=1) - 1.0) ** 2)
    _, logs = penalties.GradientPenalty()(quadratic_d, real, fake, seed=seed)
    np.testing.assert_allclose(logs["gradient_penalty"], expected, rtol=1e-5)


def test_r1_and_r2_use_real_and_fake_respectively():
    real, fake = batch(0), batch(1)
    _, logs = penalties.R1Penalty()(quadratic_d, real, fake)
    np.testing.assert_allclose(logs["r1_penalty"],
                               np.mean(np.sum(real.numpy() ** 2, axis=(1, 2, 3))), rtol=1e-5)
    loss, logs = penalties.R2Penalty(gamma=4.0)(quadratic_d, real, fake)
    r2 = np.mean(np.sum(fake.numpy() ** 2, axis=(1, 2, 3)))
    np.testing.assert_allclose(logs["r2_penalty"], r2, rtol=1e-5)
    np.testing.assert_allclose(loss, 2.0 * r2, rtol=1e-5)  # γ/2 = 2


def test_r1_of_linear_discriminator_is_sixteen_and_lazy_weight_is_scaled():
    loss, logs = penalties.R1Penalty(gamma=10.0, every=16)(linear_d, batch(0), batch(1))
    np.testing.assert_allclose(logs["r1_penalty"], 16.0, rtol=1e-5)
    np.testing.assert_allclose(loss, 5.0 * 16 * 16.0, rtol=1e-5)  # (γ/2)·every·value
    r1 = penalties.R1Penalty(every=4)
    assert [bool(r1.is_active(i)) for i in range(9)] == [
        True, False, False, False, True, False, False, False, True]


def test_penalty_gradient_reaches_discriminator_weights():
    # D(x) = w·Σx: ‖∇_x D‖ = 2|w| on 4 values, GP = (2w - 1)², d/dw = 4(2w - 1).
    w = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        _, logs = penalties.GradientPenalty()(lambda x: w * linear_d(x) / 2.0,
                                              batch(0), batch(1))
    np.testing.assert_allclose(tape.gradient(logs["gradient_penalty"], w), 20.0, rtol=1e-4)


def test_penalty_divides_by_replicas(monkeypatch):
    from tfgan.utils import distribute
    monkeypatch.setattr(distribute, "num_replicas", lambda: 4)
    loss, logs = penalties.R1Penalty(gamma=2.0)(linear_d, batch(0), batch(1))
    np.testing.assert_allclose(loss, 16.0 / 4, rtol=1e-5)
    np.testing.assert_allclose(logs["r1_penalty"], 16.0, rtol=1e-5)  # unscaled


@pytest.mark.parametrize("penalty", [
    penalties.GradientPenalty(weight=3.0, target=2.0, one_sided=True, every=2, name="gp"),
    penalties.R1Penalty(gamma=0.5, every=16),
    penalties.R2Penalty(gamma=1.5),
])
def test_penalties_round_trip_through_keras_serialization(penalty):
    config = keras.saving.serialize_keras_object(penalty)
    restored = keras.saving.deserialize_keras_object(config)
    assert type(restored) is type(penalty)
    assert restored.get_config() == penalty.get_config()


def test_get_and_validation():
    assert isinstance(penalties.get("r1"), penalties.R1Penalty)
    assert isinstance(penalties.get("gp"), penalties.GradientPenalty)
    with pytest.raises(ValueError, match="Received: identifier='r3'"):
        penalties.get("r3")
    with pytest.raises(ValueError, match="Received: every=0"):
        penalties.R1Penalty(every=0)
    with pytest.raises(ValueError, match="Received: weight=-1"):
        penalties.GradientPenalty(weight=-1)
