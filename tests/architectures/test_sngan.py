import keras
import numpy as np
import pytest
import tensorflow as tf

import tfgan
from tfgan.architectures import sngan_discriminator
from tfgan.architectures import sngan_generator
from tfgan.layers import SpectralNorm


@pytest.mark.parametrize("block", ["resnet", "dcgan"])
def test_shapes_and_every_discriminator_weight_layer_is_normalized(block):
    g = sngan_generator((16, 16, 3), latent_dim=8, block=block, base_filters=4)
    d = sngan_discriminator((16, 16, 3), block=block, base_filters=4)
    assert g.output.shape == (None, 16, 16, 3) and d.output.shape == (None, 1)
    weighted = [l for l in d.layers if isinstance(l, (keras.layers.Conv2D, keras.layers.Dense))]
    assert weighted == []  # all wrapped
    wrapped = [l for l in d.layers if isinstance(l, SpectralNorm)]
    # ResNet 16x16: 3 + 3 convs in the down-blocks, 2 + 2 in the others, + dense.
    assert len(wrapped) == (11 if block == "resnet" else 6)
    assert not any(isinstance(l, keras.layers.BatchNormalization) for l in d.layers)
    images = g(np.zeros((2, 8), "float32"), training=False).numpy()
    assert np.abs(images).max() <= 1.0


def test_32x32_paper_sizes():
    g = sngan_generator()
    d = sngan_discriminator()
    assert g.input.shape == (None, 128) and g.output.shape == (None, 32, 32, 3)
    assert d.get_layer("global_sum").scale == 16.0  # 4x4 positions after 3 downsamplings


def test_global_sum_pooling_sums_positions():
    d = sngan_discriminator((8, 8, 1), base_filters=2)
    features = keras.Model(d.inputs, d.get_layer("global_sum").output)
    before = keras.Model(d.inputs, d.get_layer("global_sum").input)
    x = tf.constant(np.random.default_rng(0).normal(size=(2, 8, 8, 1)), "float32")
    pooled_mean = before(x).numpy()
    np.testing.assert_allclose(features(x), pooled_mean * 16, rtol=1e-6)


def test_sngan_trains_with_its_preset_and_round_trips(tmp_path):
    gan = tfgan.GAN(sngan_generator((8, 8, 1), latent_dim=4, base_filters=4),
                    sngan_discriminator((8, 8, 1), base_filters=4), seed=0)
    gan.compile(**tfgan.presets.recipe("sngan", d_steps=2, run_eagerly=True))
    data = np.random.default_rng(0).uniform(-1, 1, (8, 8, 8, 1)).astype("float32")
    history = gan.fit(data, batch_size=4, verbose=0).history
    assert np.isfinite(history["d_loss"][0])
    path = tmp_path / "sngan.keras"
    gan.save(path)
    loaded = keras.saving.load_model(path)
    x = data[:2]
    np.testing.assert_allclose(loaded.discriminator(x, training=False),
                               gan.discriminator(x, training=False), rtol=1e-5)


def test_validation():
    with pytest.raises(ValueError, match="Received: image_shape=\\(28, 28, 1\\)"):
        sngan_generator((28, 28, 1))
    with pytest.raises(ValueError, match="Received: block='vgg'"):
        sngan_discriminator(block="vgg")
