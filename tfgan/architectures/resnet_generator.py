"""The ResNet generator of CycleGAN (Zhu et al. 2017, after Johnson et al. 2016)."""

import keras
from keras import layers

from tfgan.architectures import _image_to_image as common
from tfgan.layers.reflection_padding import ReflectionPadding2D

_UPSAMPLINGS = ("transposed", "upsample")


def _conv_block(x, filters, normalization, kernel_size=3, strides=1, reflect=0,
                activation=True):
    if reflect:
        x = ReflectionPadding2D(reflect)(x)
    x = layers.Conv2D(filters, kernel_size, strides=strides,
                      padding="valid" if reflect else "same",
                      use_bias=normalization == "none", kernel_initializer=common.init())(x)
    x = common.normalize(x, normalization)
    return layers.ReLU()(x) if activation else x


def resnet_generator(image_shape=(256, 256, 3), output_channels=None, base_filters=64,
                     num_blocks=9, num_downsamplings=2, normalization="instance",
                     upsampling="transposed", name="resnet_generator"):
    """Builds CycleGAN's ResNet generator.

    `c7s1-64, d128, d256, R256 × num_blocks, u128, u64, c7s1-3` (Zhu et al. 2017,
    appendix): a reflection-padded 7x7 convolution, `num_downsamplings` 3x3 stride-2
    convolutions, residual blocks of two reflection-padded 3x3 convolutions
    (`x + F(x)`), as many 3x3 stride-2 transposed convolutions (see `upsampling`), and a
    7x7 convolution to a tanh output. Normalization + ReLU after every convolution but the last.

    Args:
        image_shape: input `(height, width, channels)`; height and width multiples of
            `2**num_downsamplings`.
        output_channels: output channels. `None`: the input's.
        base_filters: filters of the first convolution. Default 64.
        num_blocks: residual blocks: 9 for 256x256 images, 6 for 128x128 (the paper's).
        num_downsamplings: stride-2 convolutions (and upsamplings). Default 2.
        normalization: `"instance"` (default, the paper's), `"batch"` or `"none"`.
        upsampling: `"transposed"` (3x3 stride-2 transposed convolutions, the paper's) or
            `"upsample"` (nearest-neighbour upsampling + reflection-padded 3x3
            convolution, which avoids the transposed convolutions' checkerboard
            artifacts; Odena et al. 2016).
        name: model name.

    Returns:
        A functional `keras.Model` with input `images` and output `translated` in [-1, 1]
        (float32), the input's height and width.
    """
    common.check_normalization(normalization)
    if upsampling not in _UPSAMPLINGS:
        raise ValueError(f"`upsampling` must be one of {_UPSAMPLINGS}. "
                         f"Received: upsampling={upsampling!r}")
    if int(num_blocks) < 0 or int(num_downsamplings) < 0:
        raise ValueError("`num_blocks` and `num_downsamplings` must be non-negative integers. "
                         f"Received: num_blocks={num_blocks}, "
                         f"num_downsamplings={num_downsamplings}")
    image_shape = common.check_image_shape(image_shape, 2 ** int(num_downsamplings))
    output_channels = image_shape[2] if output_channels is None else int(output_channels)
    images = keras.Input(image_shape, name="images")
    x = _conv_block(images, base_filters, normalization, kernel_size=7, reflect=3)
    filters = base_filters
    for _ in range(int(num_downsamplings)):
        filters *= 2
        x = _conv_block(x, filters, normalization, strides=2)
    for _ in range(int(num_blocks)):
        y = _conv_block(x, filters, normalization, reflect=1)
        y = _conv_block(y, filters, normalization, reflect=1, activation=False)
        x = layers.Add()([x, y])
    for _ in range(int(num_downsamplings)):
        filters //= 2
        if upsampling == "upsample":
            x = layers.UpSampling2D(2, interpolation="nearest")(x)
            x = _conv_block(x, filters, normalization, reflect=1)
        else:
            x = layers.Conv2DTranspose(filters, 3, strides=2, padding="same",
                                       use_bias=normalization == "none",
                                       kernel_initializer=common.init())(x)
            x = layers.ReLU()(common.normalize(x, normalization))
    x = ReflectionPadding2D(3)(x)
    x = layers.Conv2D(output_channels, 7, kernel_initializer=common.init())(x)
    translated = layers.Activation("tanh", dtype="float32", name="translated")(x)
    return keras.Model(images, translated, name=name)
