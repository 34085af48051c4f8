"""The PatchGAN discriminator of Pix2Pix and CycleGAN (Isola et al. 2017)."""

import keras
from keras import layers

from tfgan.architectures import _image_to_image as common


def patchgan_discriminator(image_shape=(256, 256, 3), conditional_channels=None,
                           base_filters=64, num_downsamplings=3, max_filters=512,
                           normalization="batch", name="patchgan_discriminator"):
    """Builds a PatchGAN: a fully convolutional D that scores each image patch.

    `C64-C128-C256` 4x4 stride-2 convolutions, then `C512` stride 1 and a 1-filter
    stride-1 convolution, all 4x4 with LeakyReLU(0.2) and normalization on every block but
    the first. With the default 3 downsamplings each output logit sees a 70x70 patch (the
    paper's 70x70 PatchGAN); a 256x256 input gives a 30x30 map of logits. The losses of
    `tfgan.losses` average the map per image.

    Args:
        image_shape: `(height, width, channels)` of the judged images; height and width
            multiples of `2**num_downsamplings`.
        conditional_channels: `None` for an unconditional D (CycleGAN) with one input
            `images`. An int makes a conditional D (Pix2Pix) with inputs `inputs`
            `(height, width, conditional_channels)` and `targets` `image_shape`,
            concatenated along channels: D judges (input, output) pairs.
        base_filters: filters of the first block. Default 64.
        num_downsamplings: stride-2 blocks (3 → 70x70 receptive field, 1 → 16x16,
            0 → a 1x1 PixelGAN-like 4x4 field). Default 3.
        max_filters: filter cap. Default 512.
        normalization: `"batch"` (Pix2Pix), `"instance"` (CycleGAN) or `"none"`.
            Convolutions not followed by normalization have biases.
        name: model name.

    Returns:
        A functional `keras.Model` whose output `logits` is
        `(batch, height/2**n - 2, width/2**n - 2, 1)` in float32.
    """
    common.check_normalization(normalization)
    if int(num_downsamplings) < 0:
        raise ValueError(f"`num_downsamplings` must be a non-negative integer. "
                         f"Received: num_downsamplings={num_downsamplings}")
    num_downsamplings = int(num_downsamplings)
    image_shape = common.check_image_shape(image_shape, 2 ** num_downsamplings)
    if conditional_channels is None:
        targets = keras.Input(image_shape, name="images")
        inputs = [targets]
        x = targets
    else:
        conditions = keras.Input(image_shape[:2] + (int(conditional_channels),), name="inputs")
        targets = keras.Input(image_shape, name="targets")
        inputs = [conditions, targets]
        x = layers.Concatenate()([conditions, targets])
    filters = base_filters
    unnormalized = normalization == "none"
    for i in range(num_downsamplings):
        x = layers.Conv2D(filters, 4, strides=2, padding="same", use_bias=i == 0 or unnormalized,
                          kernel_initializer=common.init())(x)
        if i > 0:
            x = common.normalize(x, normalization)
        x = layers.LeakyReLU(0.2)(x)
        filters = min(filters * 2, max_filters)
    x = layers.ZeroPadding2D(1)(x)
    x = layers.Conv2D(filters, 4, use_bias=num_downsamplings == 0 or unnormalized,
                      kernel_initializer=common.init())(x)
    if num_downsamplings > 0:
        x = common.normalize(x, normalization)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.ZeroPadding2D(1)(x)
    x = layers.Conv2D(1, 4, kernel_initializer=common.init())(x)
    logits = layers.Activation("linear", dtype="float32", name="logits")(x)
    return keras.Model(inputs if len(inputs) > 1 else inputs[0], logits, name=name)
