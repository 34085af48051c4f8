"""Network builders that return functional Keras models."""

from tfgan.architectures.dcgan import dcgan_discriminator
from tfgan.architectures.dcgan import dcgan_generator
from tfgan.architectures.mlp import mlp_discriminator
from tfgan.architectures.mlp import mlp_generator
from tfgan.architectures.sngan import sngan_discriminator
from tfgan.architectures.sngan import sngan_generator
