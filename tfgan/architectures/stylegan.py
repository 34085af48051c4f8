"""StyleGAN2 generator and residual discriminator (Karras et al. 2019, 2020), in Keras ops.

The generator is two functional models, nested in a third:

- `mapping`: `z (batch, latent_dim) → w (batch, w_dim)`, a `tfgan.layers.MappingNetwork`
  (8 equalized dense layers, lr multiplier 0.01), which also holds the running average
  `w_avg` used by the truncation trick;
- `synthesis`: `ws (batch, num_ws, w_dim) → images`, one style vector per modulated
  convolution: a learned 4x4 constant, then per resolution up to the image size two 3x3
  `ModulatedConv2D` with `NoiseInjection` (one at 4x4), and a 1x1 ToRGB layer whose
  outputs are upsampled and summed (StyleGAN2's "skip" generator, Fig. 7b);
- `generator`: `z → mapping → w broadcast to num_ws → synthesis`, the plain z path that
  `tfgan` sampling, callbacks and export use.

Style mixing and truncation feed `synthesis` directly (see `tfgan.models.StyleGAN`).

Departures from the papers, to stay pure Keras (CPU, ONNX) and fit tfgan's conventions:
upsampling is bilinear (not a transposed convolution with a [1, 3, 3, 1] FIR filter);
downsampling is 2x2 average pooling; the output goes through tanh, so images are in
[-1, 1] like every tfgan generator (StyleGAN2 leaves them linear).

Sizes: 4·2^k (32, 64, ...). Other sizes (28x28 MNIST) are made at the next such size and
center-cropped; the discriminator zero-pads them back. The `stylegan-mnist` preset pads
the data to 32x32 instead, so no digit pixel is cropped.
"""

import math

import keras
from keras import layers

from tfgan.layers.constant_input import ConstantInput
from tfgan.layers.equalized_conv2d import EqualizedConv2D
from tfgan.layers.equalized_dense import EqualizedDense
from tfgan.layers.mapping_network import MappingNetwork
from tfgan.layers.minibatch_stddev import MinibatchStdDev
from tfgan.layers.modulated_conv2d import ModulatedConv2D
from tfgan.layers.noise_injection import NoiseInjection
from tfgan.utils.validation import check_positive_int

MAPPING, SYNTHESIS = "mapping", "synthesis"
MAPPING_LAYER = "mapping_network"


def _check_image_shape(image_shape):
    """`(size, size, channels)`, the generated size `4·2^k ≥ size` and `k`."""
    image_shape = tuple(int(d) for d in image_shape)
    if (len(image_shape) != 3 or image_shape[0] != image_shape[1] or image_shape[0] < 8
            or image_shape[2] < 1):
        raise ValueError("`image_shape` must be (size, size, channels) with size >= 8 "
                         f"(e.g. 28, 32, 64). Received: image_shape={image_shape}")
    upsamplings = max(1, math.ceil(math.log2(image_shape[0] / 4)))
    return image_shape, 4 * 2 ** upsamplings, upsamplings


def _filters(base_filters, max_filters, size, resolution):
    """Channels at `resolution`: `base_filters` at the full size, doubling per halving."""
    return min(max_filters, base_filters * (size // resolution))


def num_style_layers(image_shape):
    """How many style vectors (`num_ws`) the synthesis network of `image_shape` takes:
    one per modulated convolution plus one for the last ToRGB (2·log2(size) − 2)."""
    _, _, upsamplings = _check_image_shape(image_shape)
    return 2 * upsamplings + 2


def _lrelu(x):
    """Leaky ReLU(0.2) × √2 as serializable layers (StyleGAN2's `lrelu`)."""
    return layers.Rescaling(math.sqrt(2.0))(layers.LeakyReLU(0.2)(x))


@keras.saving.register_keras_serializable(package="tfgan")
class _SelectStyle(layers.Layer):
    """`ws[:, index]`: the style vector of one layer of the synthesis network."""

    def __init__(self, index, **kwargs):
        super().__init__(**kwargs)
        self.index = int(index)

    def call(self, ws):
        return ws[:, self.index]

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[2])

    def get_config(self):
        return {**super().get_config(), "index": self.index}


def _styled_conv(x, ws, index, filters, noise_seed):
    """Modulated 3x3 conv (style `index`), per-pixel noise, bias, lrelu (StyleGAN2)."""
    x = ModulatedConv2D(filters, 3, activation=None, name=f"conv_{index}")(
        [x, _SelectStyle(index, name=f"w_{index}")(ws)])
    x = NoiseInjection(seed=noise_seed + index, name=f"noise_{index}")(x)
    return _lrelu(x)


def _to_rgb(x, ws, index, channels, resolution):
    return ModulatedConv2D(channels, 1, demodulate=False, activation=None,
                           name=f"to_rgb_{resolution}")(
        [x, _SelectStyle(index, name=f"w_{index}_rgb")(ws)])


def synthesis_network(image_shape=(32, 32, 3), w_dim=256, base_filters=32, max_filters=256,
                      noise_seed=0, name=SYNTHESIS):
    """Builds StyleGAN2's skip synthesis network: styles `ws` → images in [-1, 1].

    Args:
        image_shape: `(size, size, channels)`; see the module docstring for sizes.
        w_dim: size of each style vector.
        base_filters: channels at the full resolution; each halving doubles them, up to
            `max_filters` (StyleGAN2: `channel_base / resolution`, capped at 512).
        max_filters: the most channels of any layer.
        noise_seed: seed of the noise layers (their constant inference maps and their
            training noise); layer `i` uses `noise_seed + i`.
        name: model name.

    Returns:
        A functional `keras.Model` `ws (batch, num_ws, w_dim) → (batch, *image_shape)`
        with `num_ws = num_style_layers(image_shape)`.
    """
    image_shape, size, upsamplings = _check_image_shape(image_shape)
    w_dim = check_positive_int("w_dim", w_dim)
    num_ws = 2 * upsamplings + 2
    channels = image_shape[2]
    ws = keras.Input((num_ws, w_dim), name="ws")
    x = ConstantInput(_filters(base_filters, max_filters, size, 4), name="constant")(ws)
    x = _styled_conv(x, ws, 0, _filters(base_filters, max_filters, size, 4), noise_seed)
    rgb = _to_rgb(x, ws, 1, channels, 4)
    index = 1
    for level in range(1, upsamplings + 1):
        resolution = 4 * 2 ** level
        filters = _filters(base_filters, max_filters, size, resolution)
        x = layers.UpSampling2D(2, interpolation="bilinear")(x)
        for _ in range(2):
            x = _styled_conv(x, ws, index, filters, noise_seed)
            index += 1
        rgb = layers.Add()([layers.UpSampling2D(2, interpolation="bilinear")(rgb),
                            _to_rgb(x, ws, index, channels, resolution)])
    if size != image_shape[0]:
        crop = (size - image_shape[0]) // 2
        rgb = layers.Cropping2D(((crop, size - image_shape[0] - crop),) * 2)(rgb)
    images = layers.Activation("tanh", dtype="float32", name="images")(rgb)
    return keras.Model(ws, images, name=name)


def mapping_network(latent_dim=64, w_dim=None, num_layers=8, lr_multiplier=0.01,
                    name=MAPPING):
    """Builds the functional mapping model `z (batch, latent_dim) → w (batch, w_dim)`.

    Its `tfgan.layers.MappingNetwork` layer (named `"mapping_network"`) holds `w_avg`.
    Defaults: 8 layers with lr multiplier 0.01 (Karras et al. 2019); `w_dim` defaults to
    `latent_dim` (StyleGAN: both 512).
    """
    latent_dim = check_positive_int("latent_dim", latent_dim)
    z = keras.Input((latent_dim,), name="z")
    w = MappingNetwork(w_dim or latent_dim, num_layers=num_layers,
                       lr_multiplier=lr_multiplier, name=MAPPING_LAYER)(z)
    return keras.Model(z, w, name=name)


def style_generator(image_shape=(32, 32, 3), latent_dim=64, w_dim=None, mapping_layers=8,
                    base_filters=32, max_filters=256, noise_seed=0, mapping_lr_multiplier=0.01,
                    name="generator"):
    """Builds a StyleGAN2 generator `z → images`, made of `mapping` and `synthesis` models.

    `generator.get_layer("mapping")` and `generator.get_layer("synthesis")` are the two
    functional models (module docstring); the generator broadcasts `w` to one style per
    layer. The sizes are small-data defaults, not the paper's (512 channels, w 512).

    Args:
        image_shape: `(size, size, channels)`: 32x32x1, 32x32x3, 64x64x3, or 28x28x1
            (made at 32x32 and center-cropped).
        latent_dim: size of `z`.
        w_dim: size of `w`; default `latent_dim`.
        mapping_layers: layers of the mapping network. Default 8 (Karras et al. 2019).
        base_filters, max_filters, noise_seed: see `synthesis_network`.
        mapping_lr_multiplier: learning-rate multiplier of the mapping network. Default
            0.01 (Karras et al. 2019).
        name: model name.

    Returns:
        A functional `keras.Model` `(batch, latent_dim) → (batch, *image_shape)`.
    """
    mapping = mapping_network(latent_dim, w_dim, mapping_layers, mapping_lr_multiplier)
    w_dim = mapping.output.shape[-1]
    synthesis = synthesis_network(image_shape, w_dim, base_filters, max_filters, noise_seed)
    z = keras.Input((latent_dim,), name="z")
    ws = layers.RepeatVector(synthesis.input.shape[1], name="broadcast_w")(mapping(z))
    return keras.Model(z, synthesis(ws), name=name)


def _residual_block(x, filters_out, index):
    """StyleGAN2's residual D block: two 3x3 convs and 2x2 average pooling, plus a pooled
    1x1 skip, summed and scaled by 1/√2 (Karras et al. 2020, Fig. 7c)."""
    skip = EqualizedConv2D(filters_out, 1, use_bias=False, name=f"skip_{index}")(
        layers.AveragePooling2D(2)(x))
    x = EqualizedConv2D(int(x.shape[-1]), 3, activation="leaky_relu",
                        name=f"conv_{index}a")(x)
    x = EqualizedConv2D(filters_out, 3, activation="leaky_relu", name=f"conv_{index}b")(x)
    x = layers.AveragePooling2D(2)(x)
    return layers.Rescaling(1.0 / math.sqrt(2.0))(layers.Add()([x, skip]))


def style_discriminator(image_shape=(32, 32, 3), base_filters=32, max_filters=256,
                        mbstd_group_size=4, name="discriminator"):
    """Builds StyleGAN2's residual discriminator: images → one logit.

    FromRGB (1x1), residual blocks halving the resolution down to 4x4, then minibatch
    standard deviation (`tfgan.layers.MinibatchStdDev`, groups of `mbstd_group_size`; the
    batch must be divisible by `min(group, batch)`), a 3x3 conv, a dense layer and the
    logit; equalized learning rate everywhere, no normalization (Karras et al. 2020).

    Args:
        image_shape: `(size, size, channels)`; sizes other than 4·2^k are zero-padded
            up to the next one.
        base_filters, max_filters: channels at the full resolution, doubling per halving,
            capped (as `synthesis_network`).
        mbstd_group_size: samples per minibatch-stddev group. Default 4 (Karras et al.).
        name: model name.

    Returns:
        A functional `keras.Model` `(batch, *image_shape) → (batch, 1)` float32 logits.
    """
    image_shape, size, upsamplings = _check_image_shape(image_shape)
    images = keras.Input(image_shape, name="images")
    x = images
    if size != image_shape[0]:
        pad = (size - image_shape[0]) // 2
        x = layers.ZeroPadding2D(((pad, size - image_shape[0] - pad),) * 2)(x)
    x = EqualizedConv2D(_filters(base_filters, max_filters, size, size), 1,
                        activation="leaky_relu", name="from_rgb")(x)
    resolution = size
    for index in range(upsamplings):
        resolution //= 2
        x = _residual_block(x, _filters(base_filters, max_filters, size, resolution), index)
    x = MinibatchStdDev(group_size=mbstd_group_size)(x)
    filters = _filters(base_filters, max_filters, size, 4)
    x = EqualizedConv2D(filters, 3, activation="leaky_relu", name="conv_4x4")(x)
    x = EqualizedDense(filters, activation="leaky_relu", name="dense")(layers.Flatten()(x))
    logits = EqualizedDense(1, dtype="float32", name="logits")(x)
    return keras.Model(images, logits, name=name)
