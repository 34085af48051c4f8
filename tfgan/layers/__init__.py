"""tfgan.layers."""
from tfgan.layers.conditional_batch_normalization import ConditionalBatchNormalization
from tfgan.layers.image_pool import ImagePool
from tfgan.layers.instance_normalization import InstanceNormalization
from tfgan.layers.reflection_padding import ReflectionPadding2D
