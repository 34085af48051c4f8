"""Keras callbacks for GAN training."""

from tfgan.callbacks.evaluate_fid import EvaluateFID
from tfgan.callbacks.sample_grid import SaveSampleGrid
from tfgan.callbacks.tensorboard import TensorBoardGAN
