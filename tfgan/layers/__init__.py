"""Layers for GAN generators and discriminators: normalization, padding, minibatch statistics, packing."""

from tfgan.layers.conditional_batch_normalization import ConditionalBatchNormalization
from tfgan.layers.image_pool import ImagePool
from tfgan.layers.instance_normalization import InstanceNormalization
from tfgan.layers.minibatch_discrimination import MinibatchDiscrimination
from tfgan.layers.minibatch_stddev import MinibatchStdDev
from tfgan.layers.packing import Pack
from tfgan.layers.reflection_padding import ReflectionPadding2D
from tfgan.layers.spectral_normalization import SpectralNorm
