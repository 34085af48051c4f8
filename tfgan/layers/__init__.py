"""Layers for GAN discriminators and generators."""

from tfgan.layers.minibatch_discrimination import MinibatchDiscrimination
from tfgan.layers.minibatch_stddev import MinibatchStdDev
from tfgan.layers.packing import Pack
from tfgan.layers.spectral_normalization import SpectralNorm
