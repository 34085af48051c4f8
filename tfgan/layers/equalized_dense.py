"""Dense layer with an equalized learning rate (Karras et al. 2018, ProGAN)."""

import math

import keras
from keras import ops

from tfgan.utils.validation import check_positive_int

ACTIVATIONS = ("linear", "leaky_relu")
# StyleGAN2's `lrelu`: slope 0.2, output multiplied by √2 to keep unit variance.
_LEAKY_SLOPE, _LEAKY_GAIN = 0.2, math.sqrt(2.0)


def check_activation(activation):
    """`activation` (`None` means `"linear"`), or raises naming it."""
    activation = "linear" if activation is None else activation
    if activation not in ACTIVATIONS:
        raise ValueError(f"`activation` must be one of {ACTIVATIONS} or None. "
                         f"Received: activation={activation!r}")
    return activation


def activate(x, activation):
    """The identity, or leaky ReLU(0.2) × √2 (StyleGAN2's variance-preserving `lrelu`)."""
    if activation == "leaky_relu":
        return ops.leaky_relu(x, negative_slope=_LEAKY_SLOPE) * _LEAKY_GAIN
    return x


def check_lr_multiplier(lr_multiplier):
    """`lr_multiplier` as a positive float, or raises naming it."""
    try:
        value = float(lr_multiplier)
    except (TypeError, ValueError):
        value = None
    if isinstance(lr_multiplier, bool) or value is None or not value > 0:
        raise ValueError(f"`lr_multiplier` must be a positive number. "
                         f"Received: lr_multiplier={lr_multiplier!r}")
    return value


@keras.saving.register_keras_serializable(package="tfgan")
class EqualizedDense(keras.layers.Layer):
    """A dense layer with an equalized learning rate (Karras et al. 2018, ProGAN).

    The kernel is stored as `N(0, 1 / lr_multiplier²)` and scaled at run time by
    `c = lr_multiplier / √fan_in` (He's constant), so `y = c·x·W + lr_multiplier·b`. Every
    weight then has the same dynamic range and Adam's per-weight step sizes act alike on
    all layers; `lr_multiplier` < 1 slows a layer down (StyleGAN's mapping network: 0.01).

    Args:
        units: output size.
        lr_multiplier: learning-rate multiplier of this layer. Default 1.
        bias_init: the effective initial bias. Default 0 (ModulatedConv2D's style affine
            uses 1, Karras et al. 2020).
        activation: `None`/`"linear"` or `"leaky_relu"` (slope 0.2, gain √2; StyleGAN2).
        use_bias: add a bias. Default True.
        **kwargs: passed to `keras.layers.Layer`.
    """

    def __init__(self, units, lr_multiplier=1.0, bias_init=0.0, activation=None,
                 use_bias=True, **kwargs):
        super().__init__(**kwargs)
        self.units = check_positive_int("units", units)
        self.lr_multiplier = check_lr_multiplier(lr_multiplier)
        self.bias_init = float(bias_init)
        self.activation = check_activation(activation)
        self.use_bias = bool(use_bias)

    def build(self, input_shape):
        fan_in = int(input_shape[-1])
        self.scale = self.lr_multiplier / math.sqrt(fan_in)
        self.kernel = self.add_weight(
            shape=(fan_in, self.units), name="kernel",
            initializer=keras.initializers.RandomNormal(stddev=1.0 / self.lr_multiplier))
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(self.units,), name="bias",
                initializer=keras.initializers.Constant(self.bias_init / self.lr_multiplier))

    def call(self, inputs):
        x = ops.matmul(inputs, ops.cast(self.kernel, inputs.dtype) * self.scale)
        if self.bias is not None:
            x = x + ops.cast(self.bias, x.dtype) * self.lr_multiplier
        return activate(x, self.activation)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units, "lr_multiplier": self.lr_multiplier,
                       "bias_init": self.bias_init, "activation": self.activation,
                       "use_bias": self.use_bias})
        return config
