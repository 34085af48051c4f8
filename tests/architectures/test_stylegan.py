import keras
import numpy as np
import pytest

from tfgan.architectures import dcgan_discriminator
from tfgan.architectures import dcgan_generator
from tfgan.architectures import num_style_layers
from tfgan.architectures import sngan_discriminator
from tfgan.architectures import sngan_generator
from tfgan.architectures import style_discriminator
from tfgan.architectures import style_generator
from tfgan.layers import ModulatedConv2D
from tfgan.layers import NoiseInjection
from tfgan.layers import SelfAttention

TINY = {"base_filters": 2, "max_filters": 4}


@pytest.mark.parametrize("shape, num_ws", [((28, 28, 1), 8), ((32, 32, 1), 8),
                                           ((32, 32, 3), 8), ((64, 64, 3), 10)])
def test_supported_sizes(shape, num_ws):
    g = style_generator(shape, latent_dim=4, mapping_layers=1, **TINY)
    d = style_discriminator(shape, **TINY)
    assert num_style_layers(shape) == num_ws
    assert g.get_layer("synthesis").input.shape == (None, num_ws, 4)
    images = g(np.random.default_rng(0).normal(size=(4, 4)).astype("float32"))
    assert images.shape == (4, *shape) and np.abs(images).max() <= 1.0
    assert d(images).shape == (4, 1)


def test_generator_is_mapping_broadcast_then_synthesis_with_one_style_per_layer():
    g = style_generator((8, 8, 1), latent_dim=3, w_dim=5, mapping_layers=2, **TINY)
    mapping, synthesis = g.get_layer("mapping"), g.get_layer("synthesis")
    z = np.random.default_rng(1).normal(size=(3, 3)).astype("float32")
    w = mapping(z).numpy()
    ws = np.repeat(w[:, None], 4, axis=1)
    np.testing.assert_allclose(g(z).numpy(), synthesis(ws).numpy(), atol=1e-6)
    # 8x8: conv 0 at 4x4, ToRGB 1, convs 1 and 2 at 8x8, ToRGB 3: every style is used.
    used = sorted(l.index for l in synthesis.layers if type(l).__name__ == "_SelectStyle")
    assert used == [0, 1, 1, 2, 3]
    changed = ws.copy()
    for index in range(4):
        changed[:, index] += 1.0
        assert not np.allclose(synthesis(changed).numpy(), synthesis(ws).numpy())
        changed[:, index] -= 1.0
    modulated = [l for l in synthesis.layers if isinstance(l, ModulatedConv2D)]
    assert sorted(l.demodulate for l in modulated) == [False, False, True, True, True]
    assert len([l for l in synthesis.layers if isinstance(l, NoiseInjection)]) == 3


def test_inference_is_deterministic_and_training_noise_varies_once_strength_is_learned():
    g = style_generator((8, 8, 1), latent_dim=3, mapping_layers=1, **TINY)
    for layer in g.get_layer("synthesis").layers:
        if isinstance(layer, NoiseInjection):
            layer.strength.assign(np.ones(layer.strength.shape, "float32"))
    z = np.ones((2, 3), "float32")
    np.testing.assert_array_equal(g(z, training=False).numpy(), g(z, training=False).numpy())
    assert not np.allclose(g(z, training=True).numpy(), g(z, training=True).numpy())


def test_discriminator_is_residual_with_minibatch_stddev_and_round_trips(tmp_path):
    d = style_discriminator((8, 8, 3), **TINY)
    names = [type(l).__name__ for l in d.layers]
    assert "MinibatchStdDev" in names and names.count("Add") == 1
    g = style_generator((8, 8, 3), latent_dim=4, mapping_layers=1, **TINY)
    z = np.random.default_rng(2).normal(size=(4, 4)).astype("float32")
    for model, x in ((g, z), (d, g(z).numpy())):
        model.save(tmp_path / "m.keras")
        loaded = keras.saving.load_model(tmp_path / "m.keras")
        np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                                   atol=1e-6)


@pytest.mark.parametrize("builder, kwargs", [
    (dcgan_generator, {"image_shape": (32, 32, 3), "latent_dim": 4, "base_filters": 8}),
    (dcgan_discriminator, {"image_shape": (32, 32, 3), "base_filters": 8}),
    (sngan_generator, {"image_shape": (32, 32, 3), "latent_dim": 4, "base_filters": 8}),
    (sngan_discriminator, {"image_shape": (32, 32, 3), "base_filters": 8}),
    (sngan_generator, {"image_shape": (32, 32, 3), "latent_dim": 4, "base_filters": 1,
                       "block": "dcgan"}),
    (sngan_discriminator, {"image_shape": (32, 32, 3), "base_filters": 8, "block": "dcgan"}),
])
def test_self_attention_option_inserts_one_block_at_that_resolution(builder, kwargs):
    model = builder(self_attention=16, **kwargs)
    attention = [l for l in model.layers if isinstance(l, SelfAttention)]
    assert len(attention) == 1 and attention[0].input.shape[1:3] == (16, 16)
    discriminator = "discriminator" in builder.__name__
    assert attention[0].spectral_norm == (discriminator and "sngan" in builder.__name__)
    plain = builder(**kwargs)
    assert len(model.layers) == len(plain.layers) + 1
    with pytest.raises(ValueError, match="Received: self_attention=32"):
        builder(self_attention=32, **kwargs)
