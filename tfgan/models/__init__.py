"""GAN models that train with `model.fit`."""

from tfgan.models.gan import GAN
from tfgan.models.conditional_gan import ConditionalGAN
