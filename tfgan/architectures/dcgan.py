"""DCGAN generator and discriminator builders (Radford et al. 2016).

The DCGAN recipe: strided convolutions instead of pooling, batch normalization in both
networks except the generator's output and the discriminator's input, ReLU in the generator
with a tanh output, LeakyReLU(0.2) in the discriminator, weights initialized from
N(0, 0.02).
"""

import keras
from keras import layers

from tfgan.layers.self_attention import SelfAttention

_UPSAMPLING = ("transposed", "upsample")


def _init():
    return keras.initializers.RandomNormal(stddev=0.02)


def _check_image_shape(image_shape):
    image_shape = tuple(int(d) for d in image_shape)
    if len(image_shape) != 3 or image_shape[0] != image_shape[1] or image_shape[2] < 1:
        raise ValueError(
            "`image_shape` must be (size, size, channels) with square images. "
            f"Received: image_shape={image_shape}"
        )
    return image_shape


def _num_upsamplings(size):
    """Halvings from `size` down to the smallest feature map (even sizes, >= 4)."""
    n, start = 0, size
    while start % 2 == 0 and start > 4:
        start //= 2
        n += 1
    if n == 0:
        raise ValueError(
            "DCGAN image size must be a multiple of 2 and at least 8 (e.g. 28, 32, 64). "
            f"Received: size={size}"
        )
    return n, start


_NORMALIZATIONS = ("batch", "layer", "none")


def check_self_attention(self_attention, resolutions):
    """`self_attention` (`None` or one of the network's hidden `resolutions`), or raises."""
    if self_attention is not None and self_attention not in resolutions:
        raise ValueError(f"`self_attention` must be None or the resolution of a hidden "
                         f"feature map, one of {sorted(resolutions)}. "
                         f"Received: self_attention={self_attention!r}")
    return self_attention


def maybe_attend(x, self_attention, spectral_norm=False):
    """`x` through a `SelfAttention` block (SAGAN, Zhang et al. 2019) when its
    resolution is `self_attention`."""
    if self_attention is not None and x.shape[1] == self_attention:
        x = SelfAttention(spectral_norm=spectral_norm,
                          name=f"self_attention_{self_attention}")(x)
    return x


def _downsampling_trunk(x, num_blocks, base_filters, normalization="batch",
                        self_attention=None):
    """DCGAN discriminator blocks: stride-2 4x4 convolutions doubling the filters, batch
    normalization after the first, LeakyReLU(0.2) (Radford et al. 2016); `SelfAttention`
    after the block that reaches resolution `self_attention`."""
    if normalization not in _NORMALIZATIONS:
        raise ValueError(f"`normalization` must be one of {_NORMALIZATIONS}. "
                         f"Received: normalization={normalization!r}")
    filters = base_filters
    for i in range(num_blocks):
        normalized = i > 0 and normalization != "none"
        x = layers.Conv2D(filters, 4, strides=2, padding="same", use_bias=not normalized,
                          kernel_initializer=_init())(x)
        if normalized and normalization == "batch":
            x = layers.BatchNormalization()(x)
        elif normalized:
            x = layers.LayerNormalization(axis=(1, 2, 3))(x)
        x = layers.LeakyReLU(0.2)(x)
        x = maybe_attend(x, self_attention)
        filters *= 2
    return x


def batch_norm(x):
    """`x` through a new `BatchNormalization` layer (the DCGAN generators' default
    `normalize`)."""
    return layers.BatchNormalization()(x)


def upsampling_trunk(x, image_shape, filters, normalize=batch_norm, upsampling="transposed",
                     self_attention=None, output_convolution=False):
    """DCGAN generator blocks from the first feature map `x` to tanh images.

    Stride-2 upsampling blocks halve the filters (batch normalization + ReLU after every
    block but the image one). With `output_convolution`, every upsampling block keeps its
    normalization and ReLU and a 3x3 convolution at full resolution makes the image (the
    "standard CNN" generator of Miyato et al. 2018); otherwise the last block outputs the
    image channels (Radford et al. 2016).

    Args:
        x: feature map `(batch, start, start, filters)` (already normalized and activated).
        image_shape: `(size, size, channels)` of the output.
        filters: filters of `x`.
        normalize: function `tensor → tensor` for the normalization (default
            `BatchNormalization`).
        upsampling: `"transposed"` or `"upsample"` (see `dcgan_generator`).
        self_attention: resolution of a `SelfAttention` block, or `None`.
        output_convolution: see above.

    Returns:
        The images tensor in float32, named `images`.
    """
    n = _num_upsamplings(image_shape[0])[0]
    for i in range(n):
        to_image = i == n - 1 and not output_convolution
        filters //= 2
        out_filters = image_shape[2] if to_image else filters
        if upsampling == "transposed":
            x = layers.Conv2DTranspose(out_filters, 4, strides=2, padding="same",
                                       use_bias=to_image, kernel_initializer=_init())(x)
        else:
            x = layers.UpSampling2D(2, interpolation="nearest")(x)
            x = layers.Conv2D(out_filters, 3, padding="same", use_bias=to_image,
                              kernel_initializer=_init())(x)
        if not to_image:
            x = layers.ReLU()(normalize(x))
            x = maybe_attend(x, self_attention)
    if output_convolution:
        x = layers.Conv2D(image_shape[2], 3, padding="same", kernel_initializer=_init())(x)
    return layers.Activation("tanh", dtype="float32", name="images")(x)


def first_feature_map(x, image_shape, base_filters, output_convolution=False,
                      normalize=batch_norm):
    """The DCGAN projection of `x` (latents) to the first feature map: Dense → normalization
    → ReLU → reshape to `start x start` (7x7 for 28x28 images, 4x4 for 32 and 64).

    Returns:
        `(feature_map, filters)`: `base_filters · 2^(n-1)` filters for `n` upsamplings,
        twice that with `output_convolution` (its last upsampling block keeps
        `base_filters`).
    """
    n, start = _num_upsamplings(image_shape[0])
    filters = base_filters * 2 ** (n if output_convolution else n - 1)
    x = layers.Dense(start * start * filters, use_bias=False, kernel_initializer=_init())(x)
    x = layers.ReLU()(normalize(x))
    return layers.Reshape((start, start, filters))(x), filters


def dcgan_generator(image_shape=(28, 28, 1), latent_dim=100, base_filters=64,
                    upsampling="transposed", self_attention=None, output_convolution=False,
                    name="generator"):
    """Builds a DCGAN generator: latents `z` → images in [-1, 1].

    Projects `z` to a small feature map (7x7 for 28x28 images, 4x4 for 32x32 and 64x64),
    then doubles the resolution with stride-2 blocks (BN + ReLU), halving the filters each
    time, to a tanh output of `image_shape`.

    Args:
        image_shape: `(size, size, channels)`; e.g. (28, 28, 1), (32, 32, 3), (64, 64, 3).
        latent_dim: size of `z`. Default 100 (Radford et al. 2016).
        base_filters: filters of the last hidden block; earlier blocks double it.
        upsampling: `"transposed"` (4x4 stride-2 transposed convolutions, the paper's) or
            `"upsample"` (nearest-neighbour upsampling + 3x3 convolution, which avoids
            checkerboard artifacts; Odena et al. 2016).
        self_attention: a hidden resolution (e.g. 16 for 32x32 images) after which a
            `tfgan.layers.SelfAttention` block attends over all positions (SAGAN, Zhang
            et al. 2019); `None` (default) adds none.
        output_convolution: `False` (default, the paper's): the last upsampling block
            makes the image. `True`: it makes a `base_filters` full-resolution feature map
            (BN + ReLU) and a 3x3 convolution makes the image (the standard CNN generator
            of Miyato et al. 2018); every block then has twice the filters.
        name: model name.

    Returns:
        A functional `keras.Model` with input `z` `(batch, latent_dim)` and output
        `(batch, *image_shape)`.
    """
    image_shape = _check_image_shape(image_shape)
    if upsampling not in _UPSAMPLING:
        raise ValueError(f"`upsampling` must be one of {_UPSAMPLING}. "
                         f"Received: upsampling={upsampling!r}")
    n, start = _num_upsamplings(image_shape[0])
    check_self_attention(self_attention, [start * 2 ** i for i in range(n)])
    z = keras.Input((latent_dim,), name="z")
    x, filters = first_feature_map(z, image_shape, base_filters, output_convolution)
    x = maybe_attend(x, self_attention)
    images = upsampling_trunk(x, image_shape, filters, upsampling=upsampling,
                              self_attention=self_attention,
                              output_convolution=output_convolution)
    return keras.Model(z, images, name=name)


def dcgan_discriminator(image_shape=(28, 28, 1), base_filters=64, normalization="batch",
                        self_attention=None, name="discriminator"):
    """Builds a DCGAN discriminator: images → one logit per image.

    Stride-2 4x4 convolutions with LeakyReLU(0.2), doubling the filters, batch
    normalization on every block but the first, then a dense logit (no sigmoid: the
    losses take logits).

    Args:
        image_shape: `(size, size, channels)`.
        base_filters: filters of the first block.
        normalization: `"batch"` (default, Radford et al. 2016), `"layer"` (per-sample,
            as WGAN-GP's critic needs: a gradient penalty on a batch-normalized critic
            penalizes the wrong function, Gulrajani et al. 2017) or `"none"`.
        self_attention: a hidden resolution after which a `SelfAttention` block is
            inserted (SAGAN); `None` (default) adds none.
        name: model name.

    Returns:
        A functional `keras.Model` with input `images` and output `logits` `(batch, 1)`
        in float32.
    """
    image_shape = _check_image_shape(image_shape)
    n, _ = _num_upsamplings(image_shape[0])
    check_self_attention(self_attention, [image_shape[0] // 2 ** i for i in range(1, n + 1)])
    images = keras.Input(image_shape, name="images")
    x = images
    x = _downsampling_trunk(x, n, base_filters, normalization, self_attention)
    x = layers.Flatten()(x)
    logits = layers.Dense(1, dtype="float32", kernel_initializer=_init(), name="logits")(x)
    return keras.Model(images, logits, name=name)
