"""tfgan: GANs for Keras 3 on TensorFlow."""

__version__ = "0.1.0"

from tfgan import architectures
from tfgan import augment
from tfgan import callbacks
from tfgan import datasets
from tfgan import export
from tfgan import latent
from tfgan import layers
from tfgan import losses
from tfgan import metrics
from tfgan import models
from tfgan import penalties
from tfgan import presets
from tfgan import report
from tfgan import stabilizers
from tfgan import utils
from tfgan.layers import SpectralNorm
from tfgan.models import ConditionalGAN
from tfgan.models import CycleGAN
from tfgan.models import GAN
from tfgan.models import Pix2Pix
from tfgan.penalties import GradientPenalty
from tfgan.penalties import R1Penalty
