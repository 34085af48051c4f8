"""The Context Encoder networks for inpainting (Pathak et al. 2016; Iizuka et al. 2017)."""

import keras
from keras import layers

from tfgan.architectures.dcgan import _check_image_shape
from tfgan.architectures.dcgan import _downsampling_trunk
from tfgan.architectures.dcgan import _init
from tfgan.architectures.dcgan import _num_upsamplings
from tfgan.architectures.dcgan import dcgan_discriminator


def inpainting_generator(image_shape=(128, 128, 3), base_filters=64, name="generator"):
    """Builds a context encoder: (masked image, mask) → a prediction of the whole image.

    Encoder: the DCGAN discriminator's trunk (stride-2 4x4 convolutions doubling the filters
    from `base_filters`, batch normalization after the first, LeakyReLU(0.2)) down to 4x4,
    on the image and the mask concatenated. Bottleneck: Pathak et al.'s channel-wise fully
    connected layer (each feature map fully connected to itself, separate weights per
    channel, so the whole image's context reaches every position at `c·(hw)²` weights
    instead of `(c·hw)²`), then a 1x1 convolution that mixes the channels. Decoder: stride-2
    4x4 transposed convolutions halving the filters with batch normalization and ReLU, and a
    tanh output.

    The network predicts every pixel; `tfgan.Inpainting` keeps the known ones (it feeds the
    image with its hole set to 0 and pastes only the hole of the prediction back).

    Args:
        image_shape: `(size, size, channels)`, size a multiple of 8 (halved down to 4x4,
            e.g. 32, 64, 128; the paper's is 128).
        base_filters: filters of the first encoder block. Default 64 (the paper's).
        name: model name.

    Returns:
        A functional `keras.Model` with inputs `image` `(batch, *image_shape)` and `mask`
        `(batch, size, size, 1)` (1 = hole) and output `prediction` `(batch, *image_shape)`
        in [-1, 1] (float32).
    """
    image_shape = _check_image_shape(image_shape)
    n, start = _num_upsamplings(image_shape[0])
    if start != 4:
        raise ValueError("`image_shape` must be square with a side of 4·2^k (e.g. 32, 64, "
                         f"128). Received: image_shape={image_shape}")
    image = keras.Input(image_shape, name="image")
    mask = keras.Input(image_shape[:2] + (1,), name="mask")
    x = _downsampling_trunk(layers.Concatenate()([image, mask]), n, base_filters)
    filters = base_filters * 2 ** (n - 1)
    positions = start * start
    x = layers.Reshape((positions, filters))(x)
    x = layers.EinsumDense("bpc,pqc->bqc", output_shape=(positions, filters), bias_axes="qc",
                           kernel_initializer=_init(), name="channelwise_dense")(x)
    x = layers.Reshape((start, start, filters))(x)
    x = layers.Conv2D(filters, 1, kernel_initializer=_init())(x)
    x = layers.ReLU()(x)
    for i in range(n):
        last = i == n - 1
        x = layers.Conv2DTranspose(image_shape[2] if last else filters // 2, 4, strides=2,
                                   padding="same", use_bias=last,
                                   kernel_initializer=_init())(x)
        if not last:
            x = layers.BatchNormalization()(x)
            x = layers.ReLU()(x)
            filters //= 2
    prediction = layers.Activation("tanh", dtype="float32", name="prediction")(x)
    return keras.Model([image, mask], prediction, name=name)


def local_crop_size(image_size):
    """The local discriminator's patch: half the image's side (Iizuka et al. 2017 crop
    128x128 around the hole of 256x256 images)."""
    return int(image_size) // 2


def inpainting_discriminator(image_shape=(128, 128, 3), base_filters=64, local=False,
                             name=None):
    """Builds the global or the local discriminator of an inpainting GAN.

    The global one judges the completed image (Pathak et al. 2016: a DCGAN discriminator);
    the local one judges a `local_crop_size` square around the hole (Iizuka et al. 2017),
    which `tfgan.Inpainting` cuts out of real and completed images alike.

    Args:
        image_shape: `(size, size, channels)` of the whole image; size a multiple of 8
            (16 for `local=True`).
        base_filters: filters of the first block. Default 64.
        local: build the local discriminator (input: the crop). Default False.
        name: model name; default `"discriminator"` or `"local_discriminator"`.

    Returns:
        A functional `keras.Model` with input `images` and output `logits` `(batch, 1)`.
    """
    image_shape = _check_image_shape(image_shape)
    if local:
        side = local_crop_size(image_shape[0])
        image_shape = (side, side, image_shape[2])
    return dcgan_discriminator(image_shape, base_filters=base_filters,
                               name=name or ("local_discriminator" if local
                                             else "discriminator"))
