"""SpectralNorm: Miyato et al.'s reparameterization, checked against an exact SVD."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan.layers import SpectralNorm


def exact_sigma(matrix):
    return tf.linalg.svd(matrix, compute_uv=False)[0]


def converge(layer, inputs, calls=200):
    for _ in range(calls):
        layer(inputs, training=True)


def test_forward_uses_normalized_kernel_and_keeps_stored_kernel():
    layer = SpectralNorm(keras.layers.Dense(3, use_bias=False), power_iterations=50)
    x = tf.constant(np.random.default_rng(0).normal(size=(4, 5)), "float32")
    layer.build(x.shape)
    kernel = layer.layer.kernel.numpy().copy()
    out = layer(x, training=True).numpy()
    sigma = np.linalg.svd(kernel, compute_uv=False)[0]
    np.testing.assert_allclose(out, x.numpy() @ kernel / sigma, rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(layer.layer.kernel.numpy(), kernel)  # not overwritten


def test_gradient_matches_svd_reference_including_dsigma_term():
    rng = np.random.default_rng(1)
    x = tf.constant(rng.normal(size=(6, 5)), "float32")
    target = tf.constant(rng.normal(size=(6, 4)), "float32")
    layer = SpectralNorm(keras.layers.Dense(4, use_bias=False))
    layer.build(x.shape)
    converge(layer, x)  # u converged to the top singular vector
    kernel = layer.layer.kernel
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.square(layer(x, training=True) - target))
    ours = tape.gradient(loss, kernel).numpy()
    w = tf.Variable(kernel.numpy())
    with tf.GradientTape() as tape:
        reference_loss = tf.reduce_sum(tf.square(x @ (w / exact_sigma(w)) - target))
    reference = tape.gradient(reference_loss, w).numpy()
    np.testing.assert_allclose(ours, reference, rtol=1e-3, atol=1e-5)
    # Without the dσ/dW term (σ treated as a constant) the gradient is different.
    with tf.GradientTape() as tape:
        frozen = tf.stop_gradient(exact_sigma(w))
        no_dsigma_loss = tf.reduce_sum(tf.square(x @ (w / frozen) - target))
    no_dsigma = tape.gradient(no_dsigma_loss, w).numpy()
    assert np.abs(no_dsigma - reference).max() > 1e-2


def test_conv_kernel_is_normalized_as_fan_in_by_filters_matrix():
    x = tf.constant(np.random.default_rng(2).normal(size=(2, 6, 6, 3)), "float32")
    layer = SpectralNorm(keras.layers.Conv2D(4, 3, padding="same"), power_iterations=100)
    layer.build(x.shape)
    out = layer(x, training=True)
    matrix = layer.layer.kernel.numpy().reshape(-1, 4)
    sigma = np.linalg.svd(matrix, compute_uv=False)[0]
    expected = tf.nn.conv2d(x, layer.layer.kernel / sigma, 1, "SAME") + layer.layer.bias
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)


def test_sigma_of_normalized_kernel_is_one_after_training_steps():
    model = keras.Sequential([
        keras.Input((6,)),
        SpectralNorm(keras.layers.Dense(8, activation="relu")),
        SpectralNorm(keras.layers.Dense(1)),
    ])
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse", run_eagerly=True)
    rng = np.random.default_rng(3)
    model.fit(rng.normal(size=(64, 6)), rng.normal(size=(64, 1)), batch_size=8, epochs=5,
              verbose=0)
    for wrapper in model.layers:
        normalized = wrapper.normalized_kernel(training=False).numpy().reshape(
            -1, wrapper.layer.kernel.shape[-1])
        np.testing.assert_allclose(np.linalg.svd(normalized, compute_uv=False)[0], 1.0,
                                   rtol=2e-2)
        raw_sigma = np.linalg.svd(wrapper.layer.kernel.numpy().reshape(normalized.shape),
                                  compute_uv=False)[0]
        assert abs(raw_sigma - 1.0) > 0.05  # the stored kernel itself is not normalized


def test_inference_does_not_update_u():
    layer = SpectralNorm(keras.layers.Dense(3))
    x = tf.ones((2, 4))
    layer(x, training=True)
    u = layer.u.numpy().copy()
    layer(x, training=False)
    np.testing.assert_array_equal(layer.u.numpy(), u)
    layer(x, training=True)
    assert not np.array_equal(layer.u.numpy(), u)


def test_graph_xla_and_save_load(tmp_path):
    rng = np.random.default_rng(4)
    model = keras.Sequential([keras.Input((5,)), SpectralNorm(keras.layers.Dense(3)),
                              keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse", jit_compile=True)
    model.fit(rng.normal(size=(16, 5)), rng.normal(size=(16, 1)), batch_size=8, verbose=0)
    path = tmp_path / "sn.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    x = rng.normal(size=(3, 5)).astype("float32")
    np.testing.assert_allclose(loaded(x, training=False), model(x, training=False), rtol=1e-6)
    np.testing.assert_array_equal(loaded.layers[0].u.numpy(), model.layers[0].u.numpy())
    assert loaded.layers[0].power_iterations == 1


def test_fits_under_a_distribution_strategy():
    strategy = tf.distribute.MirroredStrategy(["/cpu:0"])
    with strategy.scope():
        model = keras.Sequential([keras.Input((4,)), SpectralNorm(keras.layers.Dense(2))])
        model.compile(optimizer="sgd", loss="mse")
    u = model.layers[0].u.numpy().copy()
    model.fit(np.ones((8, 4)), np.zeros((8, 2)), batch_size=4, verbose=0)
    assert not np.array_equal(model.layers[0].u.numpy(), u)


def test_export_serves_inference_mode(tmp_path):
    model = keras.Sequential([keras.Input((4,)), SpectralNorm(keras.layers.Dense(2))])
    model(np.ones((1, 4)), training=True)
    path = str(tmp_path / "export")
    model.export(path, format="tf_saved_model", verbose=False)
    served = tf.saved_model.load(path)
    x = np.random.default_rng(5).normal(size=(3, 4)).astype("float32")
    np.testing.assert_allclose(served.serve(x), model(x, training=False), rtol=1e-6)


def test_rejects_unsupported_layers():
    with pytest.raises(TypeError, match="Received: layer="):
        SpectralNorm(keras.layers.Conv2DTranspose(2, 3))
    with pytest.raises(ValueError, match="Received: power_iterations=0"):
        SpectralNorm(keras.layers.Dense(2), power_iterations=0)
