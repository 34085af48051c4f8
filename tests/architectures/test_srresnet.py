import keras
import numpy as np
import pytest

from tfgan.architectures import srgan_discriminator
from tfgan.architectures import srresnet_generator
from tfgan.architectures import vgg_feature_extractor
from tfgan.architectures.srresnet import vgg_preprocessing


@pytest.mark.parametrize("scale", [2, 4])
def test_generator_upscales_any_size_in_range(scale):
    generator = srresnet_generator(scale=scale, num_blocks=1, filters=8)
    for size in ((5, 7), (8, 3)):
        x = np.random.default_rng(0).uniform(-1, 1, (2, *size, 3)).astype("float32")
        y = generator(x, training=False).numpy()
        assert y.shape == (2, scale * size[0], scale * size[1], 3)
        assert np.abs(y).max() <= 1.0


def test_generator_has_the_papers_layers():
    generator = srresnet_generator()
    kinds = [type(layer).__name__ for layer in generator.layers]
    assert kinds.count("SubPixelUpsampling") == 2 and kinds.count("PReLU") == 1 + 16 + 2
    assert kinds.count("BatchNormalization") == 2 * 16 + 1
    # Per-channel PReLU slopes: 64 each (a per-pixel slope would tie the model to one size).
    assert {layer.count_params() for layer in generator.layers
            if type(layer).__name__ == "PReLU"} == {64}
    # 1.55M parameters: 16 blocks × 2 × (3·3·64·64 + 2·64 BN scale/offset) + the rest.
    assert 1_540_000 < generator.count_params() < 1_560_000


def test_refuses_scales_that_are_not_powers_of_two():
    with pytest.raises(ValueError, match="power of two.*scale=3"):
        srresnet_generator(scale=3)
    with pytest.raises(ValueError, match="normalization"):
        srresnet_generator(normalization="layer")


def test_discriminator_is_the_papers_eight_convolutions():
    discriminator = srgan_discriminator()
    convolutions = [layer for layer in discriminator.layers if type(layer).__name__ == "Conv2D"]
    assert [c.filters for c in convolutions] == [64, 64, 128, 128, 256, 256, 512, 512]
    assert [c.strides[0] for c in convolutions] == [1, 2, 1, 2, 1, 2, 1, 2]
    tiny = srgan_discriminator((16, 16, 3), base_filters=4, num_downsamplings=2, dense_units=8)
    assert tiny(np.zeros((3, 16, 16, 3), "float32")).shape == (3, 1)
    with pytest.raises(ValueError, match="multiples of 4"):
        srgan_discriminator((18, 18, 3), num_downsamplings=2)


def test_vgg_preprocessing_matches_keras_preprocess_input():
    images = np.random.default_rng(0).uniform(-1, 1, (2, 4, 4, 3)).astype("float32")
    expected = keras.applications.vgg19.preprocess_input((images + 1.0) * 127.5)
    np.testing.assert_allclose(vgg_preprocessing()(images).numpy(), expected, atol=1e-3)
    gray = images[..., :1]
    np.testing.assert_allclose(vgg_preprocessing(1)(gray).numpy(),
                               vgg_preprocessing()(np.repeat(gray, 3, -1)).numpy(), atol=1e-4)


def test_vgg54_extractor_shape_and_frozen():
    keras.utils.set_random_seed(0)
    extractor = vgg_feature_extractor(weights=None)
    assert extractor(np.zeros((1, 32, 48, 3), "float32")).shape == (1, 2, 3, 512)
    assert not extractor.trainable_weights
    with pytest.raises(ValueError, match="layer='block9'"):
        vgg_feature_extractor(weights=None, layer="block9")
