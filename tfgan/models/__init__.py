"""GAN models that train with `model.fit`."""

from tfgan.models.gan import GAN
