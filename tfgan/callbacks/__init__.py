"""Keras callbacks for GAN training."""

from tfgan.callbacks.checkpoint import GANCheckpoint
from tfgan.callbacks.checkpoint import ResumeError
from tfgan.callbacks.checkpoint import resume
from tfgan.callbacks.evaluate_fid import EvaluateFID
from tfgan.callbacks.health import DiscriminatorWinsWarning
from tfgan.callbacks.health import GANHealth
from tfgan.callbacks.health import GANHealthWarning
from tfgan.callbacks.health import LossDivergenceWarning
from tfgan.callbacks.health import ModeCollapseWarning
from tfgan.callbacks.health import health_findings
from tfgan.callbacks.sample_grid import SaveSampleGrid
from tfgan.callbacks.stop_on_non_finite import NonFiniteLossError
from tfgan.callbacks.stop_on_non_finite import StopOnNonFinite
from tfgan.callbacks.tensorboard import TensorBoardGAN
from tfgan.callbacks.time_budget import TimeBudget
