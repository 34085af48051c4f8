"""SRGAN's networks (Ledig et al. 2017): the SRResNet generator, the VGG-style
discriminator and the VGG19 feature extractor of the perceptual loss."""

import math

import keras
import numpy as np
from keras import layers

from tfgan.architectures import _image_to_image as common
from tfgan.layers.subpixel_upsampling import SubPixelUpsampling
from tfgan.utils.validation import check_positive_int

# keras.applications.vgg19.preprocess_input ("caffe"): RGB → BGR, minus the ImageNet mean.
_VGG_BGR_MEAN = (103.939, 116.779, 123.68)
VGG54 = "block5_conv4"  # φ5,4: the 4th convolution (after ReLU) before the 5th max-pooling
VGG22 = "block2_conv2"  # φ2,2


def _prelu():
    # One slope per channel (He et al. 2015), shared over space so any image size fits.
    return layers.PReLU(shared_axes=[1, 2])


def check_scale(scale):
    """Returns `scale` if it is a power of two >= 2 (×2 steps of sub-pixel upsampling)."""
    scale = check_positive_int("scale", scale, minimum=2)
    if scale & (scale - 1):
        raise ValueError(f"`scale` must be a power of two (2, 4, 8: one ×2 sub-pixel step "
                         f"each). Received: scale={scale}")
    return scale


def srresnet_generator(channels=3, scale=4, num_blocks=16, filters=64, normalization="batch",
                       name="srresnet_generator"):
    """Builds SRResNet, SRGAN's generator, for images of any height and width.

    `k9n64s1` + PReLU; `num_blocks` residual blocks (`k3n64s1`, BN, PReLU, `k3n64s1`, BN,
    `x + F(x)`); `k3n64s1` + BN and a skip from the first layer; log2(`scale`) upsampling
    blocks (`k3n256s1`, ×2 sub-pixel shuffle, PReLU); `k9n3s1` to a tanh output (Ledig et
    al. 2017, figure 4: 16 blocks, 64 filters, ×4 as two ×2 steps).

    Args:
        channels: image channels of the input and the output. Default 3.
        scale: upscaling factor, a power of two. Default 4 (the paper's).
        num_blocks: residual blocks. Default 16 (the paper's); CPU recipes use fewer.
        filters: filters of every convolution but the upsampling ones (4x) and the last.
            Default 64.
        normalization: `"batch"` (the paper's), `"instance"` or `"none"` (EDSR and ESRGAN
            drop it: BN statistics of small crops differ from whole images').
        name: model name.

    Returns:
        A functional `keras.Model` with input `image` `(batch, h, w, channels)` in
        [-1, 1], `h` and `w` free, and output `upscaled` `(batch, scale·h, scale·w,
        channels)` in [-1, 1] (float32).
    """
    common.check_normalization(normalization)
    scale = check_scale(scale)
    channels, filters = check_positive_int("channels", channels), check_positive_int(
        "filters", filters)
    if int(num_blocks) != num_blocks or num_blocks < 0:
        raise ValueError(f"`num_blocks` must be a non-negative integer. "
                         f"Received: num_blocks={num_blocks}")
    use_bias = normalization == "none"
    image = keras.Input((None, None, channels), name="image")
    x = _prelu()(layers.Conv2D(filters, 9, padding="same")(image))
    skip = x
    for _ in range(int(num_blocks)):
        y = layers.Conv2D(filters, 3, padding="same", use_bias=use_bias)(x)
        y = _prelu()(common.normalize(y, normalization))
        y = layers.Conv2D(filters, 3, padding="same", use_bias=use_bias)(y)
        x = layers.Add()([x, common.normalize(y, normalization)])
    x = layers.Conv2D(filters, 3, padding="same", use_bias=use_bias)(x)
    x = layers.Add()([skip, common.normalize(x, normalization)])
    for _ in range(int(math.log2(scale))):
        x = layers.Conv2D(4 * filters, 3, padding="same")(x)
        x = _prelu()(SubPixelUpsampling(2)(x))
    x = layers.Conv2D(channels, 9, padding="same")(x)
    upscaled = layers.Activation("tanh", dtype="float32", name="upscaled")(x)
    return keras.Model(image, upscaled, name=name)


def srgan_discriminator(image_shape=(96, 96, 3), base_filters=64, num_downsamplings=4,
                        dense_units=1024, normalization="batch", name="srgan_discriminator"):
    """Builds SRGAN's VGG-style discriminator.

    `k3n64s1` + LeakyReLU(0.2), then per level a stride-1 (from the second level on, with
    twice the filters) and a stride-2 3x3 convolution, each with BN and LeakyReLU, then
    Dense(`dense_units`), LeakyReLU and Dense(1). The defaults are the paper's eight
    convolutions, 64 → 512 filters (Ledig et al. 2017, figure 4) on 96x96 crops.

    Args:
        image_shape: `(height, width, channels)` of the judged (high-resolution) images,
            height and width multiples of `2**num_downsamplings`.
        base_filters: filters of the first level. Default 64.
        num_downsamplings: stride-2 convolutions (levels). Default 4.
        dense_units: width of the hidden dense layer. Default 1024.
        normalization: `"batch"` (the paper's), `"instance"` or `"none"`.
        name: model name.

    Returns:
        A functional `keras.Model` from `images` to `logits` `(batch, 1)` (float32).
    """
    common.check_normalization(normalization)
    num_downsamplings = check_positive_int("num_downsamplings", num_downsamplings)
    image_shape = common.check_image_shape(image_shape, 2 ** num_downsamplings)
    use_bias = normalization == "none"
    images = keras.Input(image_shape, name="images")
    x = layers.LeakyReLU(0.2)(layers.Conv2D(base_filters, 3, padding="same")(images))
    filters = base_filters
    for level in range(num_downsamplings):
        for strides in ((2,) if level == 0 else (1, 2)):
            x = layers.Conv2D(filters, 3, strides=strides, padding="same", use_bias=use_bias)(x)
            x = layers.LeakyReLU(0.2)(common.normalize(x, normalization))
        filters *= 2
    x = layers.LeakyReLU(0.2)(layers.Dense(dense_units)(layers.Flatten()(x)))
    logits = layers.Dense(1, dtype="float32", name="logits")(x)
    return keras.Model(images, logits, name=name)


def vgg_preprocessing(channels=3):
    """A frozen 1x1 convolution mapping [-1, 1] RGB to VGG's input (the "caffe" mode of
    `keras.applications.vgg19.preprocess_input`: [0, 255] BGR minus the ImageNet mean).
    Grayscale images (`channels=1`) are repeated to RGB first."""
    kernel = np.zeros((1, 1, channels, 3), "float32")
    for bgr in range(3):
        rgb = 2 - bgr
        kernel[0, 0, rgb if channels == 3 else 0, bgr] = 127.5
    bias = 127.5 - np.asarray(_VGG_BGR_MEAN, "float32")
    layer = layers.Conv2D(3, 1, trainable=False, name="vgg_preprocessing")
    layer.build((None, None, None, channels))
    layer.set_weights([kernel, bias])
    return layer


def vgg_feature_extractor(weights="imagenet", layer=VGG54, channels=3,
                          name="vgg_feature_extractor"):
    """VGG19 features of [-1, 1] images: the perceptual loss' extractor (SRGAN's φ).

    Args:
        weights: `"imagenet"` (downloaded by Keras where the network allows), the path of a
            local `vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5`, or `None` (random;
            only for tests).
        layer: the VGG19 layer whose activations are the features: `VGG54`
            (`"block5_conv4"`, the paper's SRGAN-VGG54, default) or `VGG22`
            (`"block2_conv2"`), or any other layer name of `keras.applications.VGG19`.
        channels: input channels (1 is repeated to RGB).
        name: model name.

    Returns:
        A frozen functional `keras.Model` from `images` `(batch, h, w, channels)` in
        [-1, 1] to the chosen layer's activations. SRGAN scales them by 1/12.75
        (`SRGAN(feature_scale=...)`).
    """
    vgg = keras.applications.VGG19(include_top=False, weights=weights,
                                   input_shape=(None, None, 3))
    try:
        features = vgg.get_layer(layer).output
    except ValueError:
        raise ValueError(f"`layer` must name a layer of VGG19, e.g. {VGG54!r} or {VGG22!r}. "
                         f"Received: layer={layer!r}") from None
    trunk = keras.Model(vgg.input, features, name="vgg19_trunk")
    images = keras.Input((None, None, channels), name="images")
    extractor = keras.Model(images, trunk(vgg_preprocessing(channels)(images)), name=name)
    extractor.trainable = False
    return extractor
