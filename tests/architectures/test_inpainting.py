"""The context encoder and its discriminators."""

import numpy as np
import pytest

from tfgan.architectures import inpainting_discriminator
from tfgan.architectures import inpainting_generator


def test_generator_takes_image_and_mask_and_predicts_every_pixel_in_range():
    generator = inpainting_generator((32, 32, 3), base_filters=4)
    assert [t.name for t in generator.inputs] == ["image", "mask"]
    assert generator.input_shape == [(None, 32, 32, 3), (None, 32, 32, 1)]
    layer = generator.get_layer("channelwise_dense")
    assert layer.kernel.shape == (16, 16, 16)  # 4x4 positions, separate weights per channel
    rng = np.random.default_rng(0)
    image = rng.uniform(-1, 1, (2, 32, 32, 3)).astype("float32")
    mask = np.zeros((2, 32, 32, 1), "float32")
    prediction = generator([image, mask]).numpy()
    assert prediction.shape == (2, 32, 32, 3) and np.abs(prediction).max() <= 1.0
    # The mask is an input: changing only it changes the prediction.
    assert not np.allclose(generator([image, 1 - mask]).numpy(), prediction)


def test_global_and_local_discriminators():
    assert inpainting_discriminator((32, 32, 3), base_filters=4).input_shape == (None, 32, 32, 3)
    local = inpainting_discriminator((32, 32, 3), base_filters=4, local=True)
    assert local.input_shape == (None, 16, 16, 3) and local.name == "local_discriminator"
    assert local.output_shape == (None, 1)


def test_rejects_sizes_that_do_not_halve_to_4x4():
    with pytest.raises(ValueError, match="image_shape"):
        inpainting_generator((24, 24, 3))
