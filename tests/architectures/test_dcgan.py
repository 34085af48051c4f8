import keras
import numpy as np
import pytest

from tfgan.architectures import conditional_dcgan_generator
from tfgan.architectures import dcgan_discriminator
from tfgan.architectures import dcgan_generator


def _dcgan_28_params(latent_dim, base):
    """The paper layout at 28x28x1: Dense → 7x7x(2·base), BN, ConvT → base, BN, ConvT → 1."""
    dense = latent_dim * 7 * 7 * 2 * base + 4 * 7 * 7 * 2 * base
    block = 4 * 4 * 2 * base * base + 4 * base
    image = 4 * 4 * base * 1 + 1
    return dense + block + image


@pytest.mark.parametrize("shape", [(28, 28, 1), (32, 32, 3), (64, 64, 3)])
@pytest.mark.parametrize("output_convolution", [False, True])
def test_generator_output_shape_and_range(shape, output_convolution):
    generator = dcgan_generator(shape, latent_dim=8, base_filters=4,
                                output_convolution=output_convolution)
    images = np.asarray(generator(np.random.default_rng(0).normal(size=(3, 8)), training=False))
    assert images.shape == (3,) + shape
    assert images.dtype == np.float32
    assert np.abs(images).max() <= 1.0


def test_generator_default_is_the_paper_layout():
    generator = dcgan_generator((28, 28, 1), latent_dim=64, base_filters=32)
    assert generator.count_params() == _dcgan_28_params(64, 32)
    assert isinstance(generator.layers[-2], keras.layers.Conv2DTranspose)


def test_output_convolution_adds_a_full_resolution_block_and_a_3x3_image_convolution():
    generator = dcgan_generator((28, 28, 1), latent_dim=64, base_filters=16,
                                output_convolution=True)
    convolutions = [layer for layer in generator.layers
                    if isinstance(layer, (keras.layers.Conv2D, keras.layers.Conv2DTranspose))]
    # 7x7x64 → 14x14x32 → 28x28x16 → 3x3 convolution to the image.
    assert [layer.filters for layer in convolutions] == [32, 16, 1]
    assert generator.layers[1].units == 7 * 7 * 64
    image = convolutions[-1]
    assert image.kernel_size == (3, 3) and image.strides == (1, 1)
    assert image.output.shape == (None, 28, 28, 1)
    batch_norms = [layer for layer in generator.layers
                   if isinstance(layer, keras.layers.BatchNormalization)]
    assert len(batch_norms) == 3  # after the projection and both upsampling blocks


def test_output_convolution_with_upsample_blocks_and_attention():
    generator = dcgan_generator((32, 32, 3), latent_dim=8, base_filters=4,
                                upsampling="upsample", self_attention=16,
                                output_convolution=True)
    assert generator.output.shape == (None, 32, 32, 3)
    assert any("self_attention_16" == layer.name for layer in generator.layers)
    assert not any(isinstance(layer, keras.layers.Conv2DTranspose)
                   for layer in generator.layers)


def test_generator_rejects_unknown_upsampling():
    with pytest.raises(ValueError, match="`upsampling` must be one of"):
        dcgan_generator((28, 28, 1), upsampling="bilinear")


def test_conditional_generator_output_convolution():
    generator = conditional_dcgan_generator(3, (28, 28, 1), latent_dim=8, base_filters=4,
                                            conditioning="batchnorm",
                                            output_convolution=True)
    z = np.random.default_rng(0).normal(size=(4, 8)).astype("float32")
    images = np.asarray(generator([z, np.array([0, 1, 2, 0], "int32")], training=False))
    assert images.shape == (4, 28, 28, 1)
    convolutions = [layer for layer in generator.layers
                    if isinstance(layer, (keras.layers.Conv2D, keras.layers.Conv2DTranspose))]
    assert [layer.filters for layer in convolutions] == [8, 4, 1]
    # The same latent with different labels gives different images.
    assert np.abs(images[0] - images[1]).max() > 1e-4


@pytest.mark.parametrize("normalization", ["batch", "layer", "none"])
def test_discriminator_logits(normalization):
    discriminator = dcgan_discriminator((28, 28, 1), base_filters=4,
                                        normalization=normalization)
    logits = discriminator(np.zeros((2, 28, 28, 1), "float32"))
    assert logits.shape == (2, 1)
