"""Path-length regularization (StyleGAN2) against a finite-difference Jacobian."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import tfgan
from tfgan.architectures import style_discriminator
from tfgan.architectures import style_generator
from tfgan.architectures import synthesis_network
from tfgan.stabilizers import PathLengthPenalty
from tfgan.stabilizers import path_lengths

TINY = {"base_filters": 2, "max_filters": 4}


def finite_difference_lengths(synthesis, ws, noise, eps=1e-2):
    """‖J_wᵀ y‖ from central differences of f(ws) = Σ g(ws)·y, one coordinate at a time."""
    batch, num_ws, w_dim = ws.shape
    grads = np.zeros_like(ws, dtype="float64")
    for i in range(num_ws):
        for j in range(w_dim):
            step = np.zeros_like(ws)
            step[:, i, j] = eps
            up = synthesis(ws + step, training=False).numpy().astype("float64")
            down = synthesis(ws - step, training=False).numpy().astype("float64")
            grads[:, i, j] = ((up - down) * noise).reshape(batch, -1).sum(1) / (2 * eps)
    return np.sqrt((grads ** 2).sum(axis=2).mean(axis=1))


def test_path_lengths_match_a_finite_difference_jacobian():
    synthesis = synthesis_network((8, 8, 1), w_dim=3, **TINY)
    rng = np.random.default_rng(0)
    ws = rng.normal(size=(3, 4, 3)).astype("float32")
    noise = (rng.normal(size=(3, 8, 8, 1)) / 8.0).astype("float32")
    lengths = path_lengths(synthesis, ws, noise, training=False).numpy()
    expected = finite_difference_lengths(synthesis, ws, noise)
    assert lengths.shape == (3,) and expected.min() > 1e-3
    np.testing.assert_allclose(lengths, expected, rtol=2e-2)
    # The estimate is linear in y: doubling the noise doubles the lengths.
    np.testing.assert_allclose(path_lengths(synthesis, ws, 2 * noise, training=False),
                               2 * lengths, rtol=1e-5)


def tiny_stylegan(**kwargs):
    g = style_generator((8, 8, 1), latent_dim=4, mapping_layers=2, **TINY)
    return tfgan.StyleGAN(g, style_discriminator((8, 8, 1), **TINY), seed=3, **kwargs)


def test_lazy_penalty_updates_the_running_mean_only_on_its_steps():
    model = tiny_stylegan(style_mixing=0.0)
    penalty = PathLengthPenalty(weight=2.0, every=2, decay=0.1)
    model.compile(stabilizers=[penalty], run_eagerly=True)
    images = np.random.default_rng(1).uniform(-1, 1, (8, 8, 8, 1)).astype("float32")
    logs = model.fit(images, batch_size=8, epochs=1, verbose=0).history
    first = float(model.path_length_mean.numpy())
    # G update 0 is active: a = 0 + 0.1·(mean length − 0).
    np.testing.assert_allclose(first, 0.1 * logs["path_length"][0], rtol=1e-5)
    assert first > 0 and logs["path_length_penalty"][0] > 0
    logs = model.fit(images, batch_size=8, epochs=1, verbose=0).history
    assert float(model.path_length_mean.numpy()) == first  # update 1 is skipped...
    assert logs["path_length"][0] == 0.0  # ...and logged with weight 0 (nothing logged)
    model.fit(images, batch_size=8, epochs=1, verbose=0)
    assert float(model.path_length_mean.numpy()) != first


def test_value_is_the_squared_deviation_from_the_updated_mean():
    model = tiny_stylegan()
    model.compile()
    model.path_length_mean.assign(0.5)
    penalty = PathLengthPenalty(decay=0.25, batch_shrink=1)
    latents = model.sample_latents(4, seed=2)
    seed = tf.constant([4, 5], tf.int64)
    value, mean, running = penalty.value(model, latents, seed)
    noise = tf.random.stateless_normal((4, 8, 8, 1), seed=seed) / 8.0
    # Training-mode noise layers have strength 0 in a new model: the synthesis is
    # deterministic, so the lengths can be recomputed in inference mode.
    lengths = path_lengths(model.synthesis, model.styles(latents, training=False), noise,
                           training=False).numpy()
    np.testing.assert_allclose(mean, lengths.mean(), rtol=1e-5)
    new_mean = 0.5 + 0.25 * (lengths.mean() - 0.5)
    np.testing.assert_allclose(running, new_mean, rtol=1e-5)
    np.testing.assert_allclose(value, np.mean((lengths - new_mean) ** 2), rtol=1e-4)


def test_validation_binding_and_serialization(tiny_gan):
    with pytest.raises(ValueError, match="Received: every=0"):
        PathLengthPenalty(every=0)
    with pytest.raises(ValueError, match="Received: decay=2"):
        PathLengthPenalty(decay=2)
    with pytest.raises(ValueError, match="Received: model=GAN"):
        tiny_gan().compile(stabilizers=[PathLengthPenalty()])
    penalty = PathLengthPenalty(weight=1.0, every=8, decay=0.05, batch_shrink=4)
    restored = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(penalty))
    assert restored.get_config() == penalty.get_config()
