"""StyleGAN2's modulated convolution (Karras et al. 2020), in plain Keras ops."""

import math

import keras
from keras import ops

from tfgan.layers.equalized_dense import EqualizedDense
from tfgan.layers.equalized_dense import activate
from tfgan.layers.equalized_dense import check_activation
from tfgan.utils.validation import check_positive_int


@keras.saving.register_keras_serializable(package="tfgan")
class ModulatedConv2D(keras.layers.Layer):
    """A 3x3 (or k×k) convolution whose weights a style vector modulates (StyleGAN2).

    Called as `layer([x, w])` with feature maps `x` `(batch, h, w, in)` and a style vector
    `w` `(batch, w_dim)`. An equalized affine layer maps `w` to per-input-channel scales
    `s` (bias initialized to 1), and with the equalized kernel `W` (`N(0, 1)` times
    `1/√(k·k·in)`), per sample (Karras et al. 2020, eqs. 1-3):

        w'_ijk = s_i · W_ijk                      (modulation)
        σ_j    = √(Σ_{i,k} w'_ijk² + ε)
        w''_ijk = w'_ijk / σ_j                   (demodulation)

    so that unit-variance inputs give unit-variance outputs (the statistical job AdaIN
    did, without its droplet artifacts). By linearity the layer computes the same result
    as StyleGAN2's non-fused path, with one convolution shared by the batch:
    `y = conv(x · s, W) / σ`, where `σ_j² = Σ_i s_i² · Σ_k W_ijk²` is a matrix product.
    Nothing needs grouped convolutions or custom kernels: it runs on CPU and exports to
    ONNX.

    Args:
        filters: output channels.
        kernel_size: odd kernel size. Default 3 (1 for ToRGB layers).
        demodulate: divide by σ. Default True; StyleGAN2's ToRGB layers use False.
        activation: `None`/`"linear"` or `"leaky_relu"` (slope 0.2, gain √2), applied
            after the bias. Default `"leaky_relu"` (Karras et al. 2020).
        epsilon: ε. Default 1e-8.
        **kwargs: passed to `keras.layers.Layer`.
    """

    def __init__(self, filters, kernel_size=3, demodulate=True, activation="leaky_relu",
                 epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.filters = check_positive_int("filters", filters)
        self.kernel_size = check_positive_int("kernel_size", kernel_size)
        if self.kernel_size % 2 == 0:
            raise ValueError(f"`kernel_size` must be odd (\"same\" padding keeps the "
                             f"size). Received: kernel_size={kernel_size}")
        self.demodulate = bool(demodulate)
        self.activation = check_activation(activation)
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) != 2:
            raise ValueError("ModulatedConv2D is called on `[x, w]`: feature maps and a "
                             f"style vector. Received: input_shape={input_shape}")
        x_shape, w_shape = input_shape
        channels = int(x_shape[-1])
        self.affine = EqualizedDense(channels, bias_init=1.0, name="affine")
        self.affine.build(w_shape)
        k = self.kernel_size
        self.scale = 1.0 / math.sqrt(k * k * channels)
        self.kernel = self.add_weight(shape=(k, k, channels, self.filters), name="kernel",
                                      initializer=keras.initializers.RandomNormal(stddev=1.0))
        self.bias = self.add_weight(shape=(self.filters,), name="bias", initializer="zeros")

    def styles(self, w):
        """The per-input-channel scales `s` `(batch, in)` of style vectors `w`."""
        return self.affine(w)

    def call(self, inputs):
        x, w = inputs
        s = ops.cast(self.styles(w), x.dtype)                        # (batch, in)
        kernel = ops.cast(self.kernel, x.dtype) * self.scale         # (k, k, in, out)
        y = ops.conv(x * s[:, None, None, :], kernel, strides=1, padding="same")
        if self.demodulate:  # in float32: ε underflows in float16
            energy = ops.sum(ops.square(ops.cast(self.kernel, "float32") * self.scale),
                             axis=(0, 1))                             # (in, out)
            sigma_sq = ops.matmul(ops.square(ops.cast(s, "float32")), energy)  # (batch, out)
            y = y * ops.cast(ops.rsqrt(sigma_sq + self.epsilon), y.dtype)[:, None, None, :]
        y = y + ops.cast(self.bias, y.dtype)
        return activate(y, self.activation)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[0][:-1]) + (self.filters,)

    def get_config(self):
        config = super().get_config()
        config.update({"filters": self.filters, "kernel_size": self.kernel_size,
                       "demodulate": self.demodulate, "activation": self.activation,
                       "epsilon": self.epsilon})
        return config
