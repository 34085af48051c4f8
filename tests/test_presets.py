"""Named presets build compiled GANs with the documented settings."""

import numpy as np
import pytest

from tfgan import presets
from tfgan.models import ema_half_life


def test_dcgan_mnist_builds_with_an_ema_of_the_stated_half_life():
    preset = presets.get("dcgan-mnist")
    gan = preset.build(seed=0)
    assert gan.latent_dim == 64 and gan.image_shape == (28, 28, 1)
    np.testing.assert_allclose(ema_half_life(gan.ema_decay, preset.batch_size), 10_000)
    # A different batch size keeps the half-life in images, not in steps.
    other = preset.build(seed=0, batch_size=256)
    np.testing.assert_allclose(ema_half_life(other.ema_decay, 256), 10_000)
    assert other.ema_decay < gan.ema_decay


def test_unknown_preset_names_the_choices():
    with pytest.raises(ValueError, match="dcgan-mnist"):
        presets.get("nope")
