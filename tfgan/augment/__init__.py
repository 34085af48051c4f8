"""Differentiable augmentations applied to what the discriminator sees."""

from tfgan.augment.diffaugment import DiffAugment
from tfgan.augment.diffaugment import color
from tfgan.augment.diffaugment import cutout
from tfgan.augment.diffaugment import translation
