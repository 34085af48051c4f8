import numpy as np
import pytest

from tfgan.architectures import patchgan_discriminator
from tfgan.architectures import resnet_generator
from tfgan.architectures import unet_generator


def test_full_size_networks_match_the_papers_parameter_counts():
    # Isola et al. 2017 / Zhu et al. 2017 reference implementations: U-Net-256 54.41M,
    # 70x70 PatchGAN (6-channel input) 2.77M, ResNet-9 11.38M parameters.
    unet = unet_generator((256, 256, 3))
    patch = patchgan_discriminator((256, 256, 3), conditional_channels=3)
    resnet = resnet_generator((256, 256, 3), num_blocks=9)
    assert unet.count_params() == 54_423_811
    assert patch.count_params() == 2_770_497
    assert resnet.count_params() == 11_383_427
    assert unet.output.shape == (None, 256, 256, 3)
    assert patch.output.shape == (None, 30, 30, 1)  # one logit per 70x70 patch
    assert resnet.output.shape == (None, 256, 256, 3)
    assert [t.name for t in patch.inputs] == ["inputs", "targets"]


@pytest.mark.parametrize("build", [
    lambda: unet_generator((16, 16, 3), base_filters=4),
    lambda: resnet_generator((16, 16, 3), base_filters=4, num_blocks=2),
])
def test_generators_are_image_in_image_out_in_tanh_range(build):
    model = build()
    assert [t.name for t in model.inputs] == ["images"]
    x = np.random.RandomState(0).uniform(-1, 1, (2, 16, 16, 3)).astype("float32") * 50
    y = model(x, training=False).numpy()
    assert y.shape == (2, 16, 16, 3) and y.dtype == np.float32
    assert np.abs(y).max() <= 1.0 and np.abs(y).max() > 0.01


def test_unet_output_pixel_depends_on_the_whole_image():
    # The 1x1 bottleneck gives every output pixel the full image as receptive field.
    model = unet_generator((16, 16, 1), base_filters=4, dropout=0.0)
    x = np.zeros((1, 16, 16, 1), "float32")
    x2 = x.copy()
    x2[0, 15, 15, 0] = 1.0
    y, y2 = model(x, training=False).numpy(), model(x2, training=False).numpy()
    assert abs(y[0, 0, 0, 0] - y2[0, 0, 0, 0]) > 0


def test_unet_dropout_only_in_training():
    model = unet_generator((16, 16, 3), base_filters=4)
    x = np.random.RandomState(1).uniform(-1, 1, (1, 16, 16, 3)).astype("float32")
    np.testing.assert_array_equal(model(x, training=False), model(x, training=False))
    assert np.abs(model(x, training=True) - model(x, training=True)).max() > 0


def test_patchgan_receptive_field_is_local():
    model = patchgan_discriminator((32, 32, 3), base_filters=4, num_downsamplings=1,
                                   normalization="none")
    assert model.output.shape == (None, 14, 14, 1)
    x = np.zeros((1, 32, 32, 3), "float32")
    x2 = x.copy()
    x2[0, 31, 31] = 1.0  # a corner pixel cannot reach the opposite corner's patch logit
    diff = np.abs(model(x2).numpy() - model(x).numpy())[0, :, :, 0]
    assert diff[0, 0] == 0 and diff[-1, -1] > 0


def test_shapes_are_validated():
    with pytest.raises(ValueError, match="multiples of 64"):
        unet_generator((100, 100, 3))
    with pytest.raises(ValueError, match="normalization"):
        resnet_generator((16, 16, 3), normalization="layer")


def test_without_normalization_every_convolution_has_a_bias():
    networks = (unet_generator((16, 16, 3), base_filters=4, normalization="none"),
                patchgan_discriminator((32, 32, 3), base_filters=4, normalization="none"),
                resnet_generator((16, 16, 3), base_filters=4, num_blocks=1,
                                 normalization="none"))
    for network in networks:
        convolutions = [layer for layer in network.layers if "conv" in layer.name]
        assert convolutions and all(layer.use_bias for layer in convolutions), network.name


def test_resnet_generator_upsample_option_replaces_the_transposed_convolutions():
    model = resnet_generator((16, 16, 3), base_filters=4, num_blocks=1, upsampling="upsample")
    assert model.output.shape == (None, 16, 16, 3)
    assert not [layer for layer in model.layers if "transpose" in layer.name]
    assert len([layer for layer in model.layers if "up_sampling" in layer.name]) == 2
    x = np.random.RandomState(0).uniform(-1, 1, (2, 16, 16, 3)).astype("float32")
    y = model(x, training=False).numpy()
    assert y.shape == (2, 16, 16, 3) and np.abs(y).max() <= 1.0
    with pytest.raises(ValueError, match="upsampling"):
        resnet_generator((16, 16, 3), upsampling="bilinear")
