"""SNGAN generators and discriminators for 32x32 images (Miyato et al. 2018).

Two families from the paper: the "standard CNN" (DCGAN-style; Table 3) and the ResNet
(Appendix B.4, after Gulrajani et al. 2017). Every convolution and dense layer of the
discriminators is wrapped in `tfgan.layers.SpectralNorm` and the discriminators have no
normalization layers. Train with `gan.compile(**tfgan.presets.recipe("sngan"))` (hinge
loss, Adam(2e-4, β1 = 0, β2 = 0.9), 5 D steps).
"""

import keras
from keras import layers

from tfgan.architectures.dcgan import batch_norm
from tfgan.architectures.dcgan import check_self_attention
from tfgan.architectures.dcgan import maybe_attend
from tfgan.layers.spectral_normalization import SpectralNorm

_BLOCKS = ("resnet", "dcgan")


def check_resnet_shape(image_shape):
    """`(image_shape, k)` for `(size, size, channels)` images with size = 4·2^k, k ≥ 1, or
    raises."""
    image_shape = tuple(int(d) for d in image_shape)
    size = image_shape[0] if len(image_shape) == 3 else 0
    n = 0
    while size > 4 and size % 2 == 0:
        size //= 2
        n += 1
    if len(image_shape) != 3 or image_shape[0] != image_shape[1] or size != 4 or n < 1:
        raise ValueError("`image_shape` must be (size, size, channels) with size = 4·2^k, "
                         f"k ≥ 1 (e.g. 32). Received: image_shape={image_shape}")
    return image_shape, n


def _check(image_shape, block):
    image_shape, n = check_resnet_shape(image_shape)
    if block not in _BLOCKS:
        raise ValueError(f"`block` must be one of {_BLOCKS}. Received: block={block!r}")
    return image_shape, n


def _sn_conv(filters, kernel, strides=1):
    return SpectralNorm(layers.Conv2D(filters, kernel, strides=strides, padding="same"))


def generator_block(x, filters, normalize=batch_norm):
    """Pre-activation up-block: BN, ReLU, ×2, conv3, BN, ReLU, conv3 + (×2, conv1);
    `normalize(x)` replaces BN (BigGAN: conditional BN)."""
    shortcut = layers.Conv2D(filters, 1)(layers.UpSampling2D(2)(x))
    x = layers.ReLU()(normalize(x))
    x = layers.Conv2D(filters, 3, padding="same")(layers.UpSampling2D(2)(x))
    x = layers.ReLU()(normalize(x))
    x = layers.Conv2D(filters, 3, padding="same")(x)
    return layers.Add()([x, shortcut])


def _discriminator_block(x, filters, downsample, first=False):
    """Down-block: [ReLU], SN conv3, ReLU, SN conv3, [avgpool] + (SN conv1, [avgpool])."""
    if first:  # the "optimized" first block: no ReLU on the images, pool before the 1x1
        shortcut = _sn_conv(filters, 1)(layers.AveragePooling2D(2)(x))
        h = x
    else:
        shortcut = x
        if downsample or x.shape[-1] != filters:
            shortcut = _sn_conv(filters, 1)(shortcut)
        if downsample:
            shortcut = layers.AveragePooling2D(2)(shortcut)
        h = layers.ReLU()(x)
    h = _sn_conv(filters, 3)(h)
    h = _sn_conv(filters, 3)(layers.ReLU()(h))
    if downsample:
        h = layers.AveragePooling2D(2)(h)
    return layers.Add()([h, shortcut])


def resnet_discriminator_features(images, num_downsamplings, filters, self_attention=None):
    """SNGAN's ResNet discriminator trunk: an optimized down-block, `num_downsamplings - 1`
    down-blocks and 2 blocks without downsampling, all of `filters` channels and spectrally
    normalized, `SelfAttention` at resolution `self_attention`, ReLU and global sum
    pooling; returns the features `(batch, filters)`."""
    x = _discriminator_block(images, filters, downsample=True, first=True)
    x = maybe_attend(x, self_attention, spectral_norm=True)
    for _ in range(num_downsamplings - 1):
        x = _discriminator_block(x, filters, downsample=True)
        x = maybe_attend(x, self_attention, spectral_norm=True)
    for _ in range(2):
        x = _discriminator_block(x, filters, downsample=False)
    x = layers.ReLU()(x)
    positions = float(x.shape[1] * x.shape[2])
    # Global sum pooling = mean × positions (serializable, unlike a Lambda).
    return layers.Rescaling(positions, name="global_sum")(layers.GlobalAveragePooling2D()(x))


def sngan_generator(image_shape=(32, 32, 3), latent_dim=128, block="resnet", base_filters=None,
                    self_attention=None, name="generator"):
    """Builds an SNGAN generator: `z` → images in [-1, 1].

    Args:
        image_shape: `(size, size, channels)` with size = 4·2^k; 32x32 in the paper.
        latent_dim: size of `z`. Default 128 (Miyato et al. 2018).
        block: `"resnet"` (Dense 4x4, k up-blocks of `base_filters`, BN, ReLU, conv3) or
            `"dcgan"` (Dense 4x4x(8·base), k stride-2 4x4 transposed convolutions halving
            the filters, with BN + ReLU, then conv3).
        base_filters: channels; default 256 for ResNet and 64 for DCGAN (the paper's).
        self_attention: a hidden resolution (4 ... size/2; SAGAN: 32x32 images attend
            at 16) after whose block a `tfgan.layers.SelfAttention` block is inserted
            (Zhang et al. 2019). `None` (default) adds none.
        name: model name.

    Returns:
        A functional `keras.Model` `(batch, latent_dim) → (batch, *image_shape)`.
    """
    image_shape, n = _check(image_shape, block)
    check_self_attention(self_attention, [4 * 2 ** i for i in range(n)])
    z = keras.Input((latent_dim,), name="z")
    if block == "resnet":
        filters = base_filters or 256
        x = maybe_attend(layers.Reshape((4, 4, filters))(layers.Dense(4 * 4 * filters)(z)),
                         self_attention)
        for _ in range(n):
            x = maybe_attend(generator_block(x, filters), self_attention)
        x = layers.ReLU()(layers.BatchNormalization()(x))
    else:
        filters = (base_filters or 64) * 2 ** n
        x = layers.Reshape((4, 4, filters))(layers.Dense(4 * 4 * filters)(z))
        x = maybe_attend(layers.ReLU()(layers.BatchNormalization()(x)), self_attention)
        for _ in range(n):
            filters //= 2
            x = layers.Conv2DTranspose(filters, 4, strides=2, padding="same")(x)
            x = maybe_attend(layers.ReLU()(layers.BatchNormalization()(x)), self_attention)
    x = layers.Conv2D(image_shape[2], 3, padding="same")(x)
    images = layers.Activation("tanh", dtype="float32", name="images")(x)
    return keras.Model(z, images, name=name)


def sngan_discriminator(image_shape=(32, 32, 3), block="resnet", base_filters=None,
                        self_attention=None, name="discriminator"):
    """Builds a spectrally normalized SNGAN discriminator: images → one logit.

    Args:
        image_shape: `(size, size, channels)` with size = 4·2^k; 32x32 in the paper.
        block: `"resnet"` (an optimized down-block, k - 1 down-blocks and 2 blocks without
            downsampling, all of `base_filters` channels, ReLU, global sum pooling, SN
            dense) or `"dcgan"` (the paper's standard CNN: pairs of SN conv3 stride 1 and
            SN conv4 stride 2 doubling from `base_filters`, LeakyReLU(0.1), a last SN
            conv3 of 8·base, SN dense).
        base_filters: default 128 for ResNet and 64 for DCGAN (the paper's).
        self_attention: a hidden resolution (size/2 ... 4) after whose first block a
            spectrally normalized `SelfAttention` block is inserted (SAGAN). `None`
            (default) adds none.
        name: model name.

    Returns:
        A functional `keras.Model` `(batch, *image_shape) → (batch, 1)` float32 logits.
    """
    image_shape, n = _check(image_shape, block)
    check_self_attention(self_attention, [image_shape[0] // 2 ** i for i in range(1, n + 1)])
    images = keras.Input(image_shape, name="images")
    if block == "resnet":
        x = resnet_discriminator_features(images, n, base_filters or 128, self_attention)
    else:
        filters = base_filters or 64
        x = images
        for _ in range(n):
            x = layers.LeakyReLU(0.1)(_sn_conv(filters, 3)(x))
            x = layers.LeakyReLU(0.1)(_sn_conv(filters, 4, strides=2)(x))
            x = maybe_attend(x, self_attention, spectral_norm=True)
            filters *= 2
        x = layers.LeakyReLU(0.1)(_sn_conv(filters, 3)(x))
        x = layers.Flatten()(x)
    logits = SpectralNorm(layers.Dense(1, dtype="float32"), name="logits")(x)
    return keras.Model(images, logits, name=name)
