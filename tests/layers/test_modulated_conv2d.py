import numpy as np
import pytest
import tensorflow as tf

from tfgan.layers import ModulatedConv2D


def reference(layer, x, w):
    """The paper's per-sample weights w'' = s·W / σ, one convolution per sample."""
    s = layer.styles(w).numpy()
    kernel = layer.kernel.numpy() * layer.scale
    outputs = []
    for b in range(len(x)):
        modulated = kernel * s[b][None, None, :, None]
        if layer.demodulate:
            modulated = modulated / np.sqrt(
                np.sum(modulated ** 2, axis=(0, 1, 2), keepdims=True) + layer.epsilon)
        outputs.append(tf.nn.conv2d(x[b:b + 1], modulated, 1, "SAME").numpy()[0])
    return np.stack(outputs) + layer.bias.numpy()


@pytest.mark.parametrize("demodulate", [True, False])
def test_matches_per_sample_modulated_weights(demodulate):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 5, 5, 4)).astype("float32")
    w = rng.normal(size=(3, 6)).astype("float32")
    layer = ModulatedConv2D(3, demodulate=demodulate, activation=None)
    layer([x, w])
    layer.affine.bias.assign(rng.normal(size=4).astype("float32"))  # styles far from 1
    layer.bias.assign([0.1, -0.2, 0.3])
    out = layer([x, w]).numpy()
    np.testing.assert_allclose(out, reference(layer, x, w), rtol=1e-4, atol=1e-5)


def test_demodulation_keeps_unit_output_variance():
    # Unit-variance i.i.d. inputs: each output is Σ w''·x over k·k·in terms with
    # Σ w''² = 1, so its variance is 1 whatever the styles (Karras et al. 2020, sec. 2.2).
    # 64 samples x 8x8 interior pixels x 8 channels ≈ 33k outputs: the sample variance is
    # within ~1.5% of 1 (and channels are correlated through shared inputs), 0.1 is safe.
    rng = np.random.default_rng(1)
    x = rng.normal(size=(64, 10, 10, 16)).astype("float32")
    w = rng.normal(size=(64, 8)).astype("float32")
    layer = ModulatedConv2D(8, activation=None)
    layer([x[:1], w[:1]])
    layer.affine.bias.assign(rng.uniform(0.2, 3.0, size=16).astype("float32"))
    interior = layer([x, w]).numpy()[:, 1:-1, 1:-1]
    np.testing.assert_allclose(interior.var(), 1.0, atol=0.1)
    # Without demodulation the variance follows the style scales (here far from 1).
    plain = ModulatedConv2D(8, demodulate=False, activation=None)
    plain([x[:1], w[:1]])
    plain.set_weights(layer.get_weights())
    assert abs(plain([x, w]).numpy()[:, 1:-1, 1:-1].var() - 1.0) > 0.5


def test_validation_and_round_trip(keras_round_trip):
    with pytest.raises(ValueError, match="Received: kernel_size=2"):
        ModulatedConv2D(4, kernel_size=2)
    with pytest.raises(ValueError, match="Received: filters=0"):
        ModulatedConv2D(0)
    rng = np.random.default_rng(2)
    inputs = [rng.normal(size=(2, 4, 4, 3)).astype("float32"),
              rng.normal(size=(2, 5)).astype("float32")]
    keras_round_trip(ModulatedConv2D(2, name="modconv"), inputs)
