"""tfgan.datasets."""

from tfgan.datasets.mixtures import GaussianMixture
from tfgan.datasets.mixtures import grid_of_gaussians
from tfgan.datasets.mixtures import mixture_dataset
from tfgan.datasets.mixtures import ring_of_gaussians
