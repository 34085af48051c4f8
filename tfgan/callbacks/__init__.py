"""Keras callbacks for GAN training."""

from tfgan.callbacks.sample_grid import SaveSampleGrid
