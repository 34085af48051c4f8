"""The Pix2Pix U-Net generator (Isola et al. 2017; Ronneberger et al. 2015)."""

import math

import keras
from keras import layers

from tfgan.architectures import _image_to_image as common
from tfgan.utils.validation import check_positive_int


def unet_generator(image_shape=(256, 256, 3), output_channels=None, base_filters=64,
                   num_downsamplings=None, max_filters=512, dropout=0.5, num_dropout=3,
                   normalization="batch", name="unet_generator"):
    """Builds the U-Net generator of Pix2Pix: an encoder-decoder with skip connections.

    Encoder: 4x4 stride-2 convolutions `C64-C128-C256-C512-C512-C512-C512-C512` (filters
    doubling from `base_filters` up to `max_filters`), LeakyReLU(0.2), normalization on
    every block but the first and the innermost (a 1x1 bottleneck at 256x256, which batch
    normalization at batch size 1 would zero). Decoder: 4x4 stride-2 transposed
    convolutions with ReLU, normalization, dropout 0.5 on the first `num_dropout` blocks, each block's output
    concatenated with the encoder block of the same resolution; tanh output. For 256x256
    images the default 8 downsamplings reach a 1x1 bottleneck, the paper's `U-Net-256`.

    Dropout is the generator's only noise in Pix2Pix; it is active when the model is
    called with `training=True`.

    Args:
        image_shape: input `(height, width, channels)`; height and width multiples of
            `2**num_downsamplings`.
        output_channels: channels of the output. `None`: the input's.
        base_filters: filters of the first encoder block. Default 64.
        num_downsamplings: encoder depth. `None`: down to a 1x1 bottleneck
            (`log2(min(height, width))`).
        max_filters: filter cap. Default 512.
        dropout: dropout rate of the first decoder blocks. Default 0.5.
        num_dropout: decoder blocks with dropout. Default 3.
        normalization: `"batch"` (the paper's, with batch size 1 this is instance
            normalization), `"instance"` or `"none"`. Convolutions have biases only with
            `"none"` (as in the authors' code).
        name: model name.

    Returns:
        A functional `keras.Model` with input `images` and output `translated`
        `(batch, height, width, output_channels)` in [-1, 1] (float32).
    """
    common.check_normalization(normalization)
    if num_downsamplings is None:
        size = min(int(image_shape[0]), int(image_shape[1]))
        num_downsamplings = int(math.log2(size)) if size > 0 else 0
    num_downsamplings = check_positive_int("num_downsamplings", num_downsamplings)
    image_shape = common.check_image_shape(image_shape, 2 ** num_downsamplings)
    output_channels = image_shape[2] if output_channels is None else int(output_channels)
    filters = [min(base_filters * 2 ** i, max_filters) for i in range(num_downsamplings)]

    images = keras.Input(image_shape, name="images")
    x = images
    skips = []
    for i, f in enumerate(filters):
        x = layers.Conv2D(f, 4, strides=2, padding="same", use_bias=normalization == "none",
                          kernel_initializer=common.init())(x)
        if i > 0 and i < num_downsamplings - 1:
            x = common.normalize(x, normalization)
        x = layers.LeakyReLU(0.2)(x)
        skips.append(x)
    # Decoder: mirror the encoder; skip connections from every encoder block but the last.
    for j, (f, skip) in enumerate(zip(reversed(filters[:-1]), reversed(skips[:-1]))):
        x = layers.Conv2DTranspose(f, 4, strides=2, padding="same", use_bias=normalization == "none",
                                   kernel_initializer=common.init())(x)
        x = common.normalize(x, normalization)
        if j < num_dropout and dropout:
            x = layers.Dropout(dropout)(x)
        x = layers.ReLU()(x)
        x = layers.Concatenate()([x, skip])
    x = layers.Conv2DTranspose(output_channels, 4, strides=2, padding="same",
                               kernel_initializer=common.init())(x)
    translated = layers.Activation("tanh", dtype="float32", name="translated")(x)
    return keras.Model(images, translated, name=name)
