"""GAN models that train with `model.fit`."""

from tfgan.models.gan import GAN
from tfgan.models.conditional_gan import ConditionalGAN
from tfgan.models.pix2pix import Pix2Pix
from tfgan.models.cyclegan import CycleGAN
