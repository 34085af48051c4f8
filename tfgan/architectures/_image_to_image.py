"""Helpers shared by the image-to-image builders (U-Net, PatchGAN, ResNet generator)."""

import keras
from keras import layers

from tfgan.layers.instance_normalization import InstanceNormalization

NORMALIZATIONS = ("batch", "instance", "none")


def init():
    """N(0, 0.02), the initialization of Pix2Pix and CycleGAN (Isola et al. 2017)."""
    return keras.initializers.RandomNormal(stddev=0.02)


def check_normalization(normalization):
    if normalization not in NORMALIZATIONS:
        raise ValueError(f"`normalization` must be one of {NORMALIZATIONS}. "
                         f"Received: normalization={normalization!r}")


def normalize(x, normalization):
    """Applies `"batch"`, `"instance"` or no normalization."""
    if normalization == "batch":
        return layers.BatchNormalization()(x)
    if normalization == "instance":
        return InstanceNormalization()(x)
    return x


def check_image_shape(image_shape, multiple):
    image_shape = tuple(int(d) for d in image_shape)
    if (len(image_shape) != 3 or image_shape[2] < 1
            or image_shape[0] % multiple or image_shape[1] % multiple):
        raise ValueError(
            f"`image_shape` must be (height, width, channels) with height and width "
            f"multiples of {multiple}. Received: image_shape={image_shape}"
        )
    return image_shape
