"""BigGAN's orthogonal regularization against numpy, on tiny generators."""

import keras
import numpy as np
import pytest

import tfgan
from tfgan.stabilizers import OrthogonalRegularization
from tfgan.stabilizers import off_diagonal_gram_norm
from tfgan.stabilizers import regularized_kernels


def numpy_penalty(matrix):
    gram = matrix.T.astype("float64") @ matrix.astype("float64")
    return np.sum((gram * (1 - np.eye(gram.shape[0]))) ** 2)


def conv_generator():
    """Dense → BN → conv → transposed conv: three kernels, BN parameters excluded."""
    z = keras.Input((4,), name="z")
    x = keras.layers.Dense(4 * 4 * 3, name="dense")(z)
    x = keras.layers.BatchNormalization(name="bn")(x)
    x = keras.layers.Reshape((4, 4, 3))(x)
    x = keras.layers.Conv2D(3, 3, padding="same", name="conv")(x)
    x = keras.layers.Conv2DTranspose(2, 2, strides=2, name="up")(x)
    return keras.Model(z, keras.layers.Activation("tanh", name="images")(x), name="generator")


def test_value_matches_numpy_and_skips_biases_and_normalization(tiny_networks):
    generator = conv_generator()
    _, make_d = tiny_networks
    gan = tfgan.GAN(generator, make_d((8, 8, 2)), seed=0)
    for layer in generator.layers:  # non-zero biases and BN parameters must not count
        for variable in layer.weights:
            if variable.path.split("/")[-1] != "kernel":
                variable.assign(np.full(variable.shape, 3.0, "float32"))
    dense = generator.get_layer("dense").kernel.numpy()
    conv = generator.get_layer("conv").kernel.numpy()
    up = generator.get_layer("up").kernel.numpy()  # (k, k, out, in)
    expected = (numpy_penalty(dense) + numpy_penalty(conv.reshape(-1, 3))
                + numpy_penalty(up.transpose(0, 1, 3, 2).reshape(-1, 2)))
    matrices = regularized_kernels(generator)
    assert [tuple(m.shape) for m in matrices] == [(4, 48), (27, 3), (12, 2)]
    penalty = OrthogonalRegularization(weight=0.5)
    np.testing.assert_allclose(penalty.value(gan), expected, rtol=1e-5)
    loss, logs = penalty.generator_term(gan, None, None, None)
    np.testing.assert_allclose(loss, 0.5 * expected, rtol=1e-5)
    np.testing.assert_allclose(logs["orthogonal_regularization"], expected, rtol=1e-5)


def test_orthogonal_columns_of_any_norm_cost_nothing():
    q, _ = np.linalg.qr(np.random.default_rng(0).normal(size=(6, 3)))
    scaled = (q * np.array([0.1, 2.0, 7.0])).astype("float32")  # orthogonal, not orthonormal
    assert float(off_diagonal_gram_norm(scaled)) == pytest.approx(0.0, abs=1e-9)
    # Two equal columns: the off-diagonal Gram entries are ‖c‖² twice.
    column = np.array([[1.0], [2.0]], "float32")
    correlated = np.concatenate([column, column], axis=1)
    assert float(off_diagonal_gram_norm(correlated)) == pytest.approx(2 * 5.0 ** 2)


def test_it_trains_a_tiny_gan_and_shrinks_correlations(tiny_gan):
    gan = tiny_gan()
    images = np.random.default_rng(1).uniform(-1, 1, (16, 8, 8, 1)).astype("float32")
    gan.compile(stabilizers=[OrthogonalRegularization(weight=1.0)],
                g_optimizer=keras.optimizers.SGD(1e-3), run_eagerly=True)
    penalty = OrthogonalRegularization()
    before = float(penalty.value(gan))
    history = gan.fit(images, batch_size=8, epochs=2, verbose=0).history
    assert np.all(np.isfinite(history["orthogonal_regularization"]))
    assert history["orthogonal_regularization"][0] == pytest.approx(before, rel=0.05)
    assert float(penalty.value(gan)) < before


def test_graph_mode_and_compile_config_round_trip(tiny_gan, tmp_path):
    gan = tiny_gan()
    images = np.random.default_rng(2).uniform(-1, 1, (8, 8, 8, 1)).astype("float32")
    gan.compile(stabilizers=[OrthogonalRegularization(weight=2e-4, name="ortho")])
    history = gan.fit(images, batch_size=8, epochs=1, verbose=0).history
    assert history["ortho"][0] > 0
    path = str(tmp_path / "gan.keras")
    gan.save(path)
    [stabilizer] = keras.saving.load_model(path).stabilizers
    assert isinstance(stabilizer, OrthogonalRegularization)
    assert stabilizer.get_config() == {"weight": 2e-4, "name": "ortho"}


def test_validation():
    with pytest.raises(ValueError, match="Received: weight=-1"):
        OrthogonalRegularization(weight=-1)
    no_kernels = keras.Sequential([keras.Input((4,)), keras.layers.Reshape((2, 2, 1))],
                                  name="generator")
    d = keras.Sequential([keras.Input((2, 2, 1)), keras.layers.Flatten(),
                          keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="Received: model=GAN"):
        tfgan.GAN(no_kernels, d, seed=0).compile(stabilizers=[OrthogonalRegularization()])
