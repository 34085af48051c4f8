"""`tf.data` pipelines that yield images scaled to [-1, 1], and toy 2D mixtures."""

from tfgan.datasets.images import EMBEDDED_MNIST
from tfgan.datasets.images import check_image_files
from tfgan.datasets.images import decode_image
from tfgan.datasets.images import embedded_mnist
from tfgan.datasets.images import from_arrays
from tfgan.datasets.images import from_folder
from tfgan.datasets.images import from_tfds
from tfgan.datasets.images import image_source
from tfgan.datasets.images import list_image_files
from tfgan.datasets.images import load
from tfgan.datasets.images import load_embedded_mnist
from tfgan.datasets.images import resize
from tfgan.datasets.images import scale_images
from tfgan.datasets.images import tfds_examples
from tfgan.datasets.inpainting import inpainting_examples
from tfgan.datasets import masks
from tfgan.datasets.mixtures import GaussianMixture
from tfgan.datasets.mixtures import grid_of_gaussians
from tfgan.datasets.mixtures import mixture_dataset
from tfgan.datasets.mixtures import ring_of_gaussians
from tfgan.datasets.paired import paired_dataset
from tfgan.datasets.paired import random_jitter
from tfgan.datasets.paired import split_pair
from tfgan.datasets.super_resolution import downscale
from tfgan.datasets.super_resolution import super_resolution_pairs
from tfgan.datasets.unpaired import unpaired_dataset
