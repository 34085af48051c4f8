"""GAN models that train with `model.fit`."""

from tfgan.models.conditional_gan import ConditionalGAN
from tfgan.models.cyclegan import CycleGAN
from tfgan.models.gan import GAN
from tfgan.models.gan import ema_decay_for_half_life
from tfgan.models.gan import ema_half_life
from tfgan.models.pix2pix import Pix2Pix
from tfgan.models.presets import preset
