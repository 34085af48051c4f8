"""2D convolution with an equalized learning rate (Karras et al. 2018, ProGAN)."""

import math

import keras
from keras import ops

from tfgan.layers.equalized_dense import activate
from tfgan.layers.equalized_dense import check_activation
from tfgan.layers.equalized_dense import check_lr_multiplier
from tfgan.utils.validation import check_positive_int


@keras.saving.register_keras_serializable(package="tfgan")
class EqualizedConv2D(keras.layers.Layer):
    """A stride-1 "same" 2D convolution with an equalized learning rate (Karras et al. 2018).

    The kernel `(k, k, in, out)` is stored as `N(0, 1 / lr_multiplier²)` and scaled at run
    time by `lr_multiplier / √(k·k·in)` (He's constant); see `EqualizedDense`. Resolution
    changes are separate layers (average pooling, upsampling), as in StyleGAN2's residual
    discriminator.

    Args:
        filters: output channels.
        kernel_size: odd kernel size. Default 3.
        lr_multiplier: learning-rate multiplier. Default 1.
        activation: `None`/`"linear"` or `"leaky_relu"` (slope 0.2, gain √2).
        use_bias: add a bias (initialized to 0). Default True.
        **kwargs: passed to `keras.layers.Layer`.
    """

    def __init__(self, filters, kernel_size=3, lr_multiplier=1.0, activation=None,
                 use_bias=True, **kwargs):
        super().__init__(**kwargs)
        self.filters = check_positive_int("filters", filters)
        self.kernel_size = check_positive_int("kernel_size", kernel_size)
        self.lr_multiplier = check_lr_multiplier(lr_multiplier)
        self.activation = check_activation(activation)
        self.use_bias = bool(use_bias)

    def build(self, input_shape):
        channels = int(input_shape[-1])
        k = self.kernel_size
        self.scale = self.lr_multiplier / math.sqrt(k * k * channels)
        self.kernel = self.add_weight(
            shape=(k, k, channels, self.filters), name="kernel",
            initializer=keras.initializers.RandomNormal(stddev=1.0 / self.lr_multiplier))
        self.bias = (self.add_weight(shape=(self.filters,), name="bias", initializer="zeros")
                     if self.use_bias else None)

    def call(self, inputs):
        kernel = ops.cast(self.kernel, inputs.dtype) * self.scale
        x = ops.conv(inputs, kernel, strides=1, padding="same")
        if self.bias is not None:
            x = x + ops.cast(self.bias, x.dtype) * self.lr_multiplier
        return activate(x, self.activation)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.filters,)

    def get_config(self):
        config = super().get_config()
        config.update({"filters": self.filters, "kernel_size": self.kernel_size,
                       "lr_multiplier": self.lr_multiplier, "activation": self.activation,
                       "use_bias": self.use_bias})
        return config
