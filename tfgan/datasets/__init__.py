"""tfgan.datasets."""

from tfgan.datasets.paired import paired_dataset
from tfgan.datasets.paired import random_jitter
from tfgan.datasets.paired import split_pair
from tfgan.datasets.unpaired import unpaired_dataset
