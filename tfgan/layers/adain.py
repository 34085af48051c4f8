"""Adaptive instance normalization (Huang & Belongie 2017; StyleGAN, Karras et al. 2019)."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="tfgan")
class AdaIN(keras.layers.Layer):
    """Adaptive instance normalization: `AdaIN(x_i, y) = y_s,i · (x_i − μ(x_i)) / σ(x_i) + y_b,i`.

    Called as `layer([x, y])` with feature maps `x` `(batch, h, w, C)` and styles `y`
    `(batch, 2·C)`: the first `C` entries are the scales `y_s`, the last `C` the biases
    `y_b`. `μ(x_i)` and `σ(x_i) = √(Var(x_i) + ε)` are taken over the spatial positions of
    channel `i` of each sample (instance normalization). StyleGAN (Karras et al. 2019)
    injects one style per layer this way; StyleGAN2 replaced it by weight demodulation
    (`ModulatedConv2D`), which avoids AdaIN's droplet artifacts.

    Args:
        epsilon: ε. Default 1e-8 (Karras et al. 2019).
        **kwargs: passed to `keras.layers.Layer`.
    """

    def __init__(self, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) != 2:
            raise ValueError("AdaIN is called on `[x, y]`: feature maps and styles. "
                             f"Received: input_shape={input_shape}")
        x_shape, y_shape = input_shape
        if y_shape[-1] is not None and int(y_shape[-1]) != 2 * int(x_shape[-1]):
            raise ValueError(f"The styles must hold a scale and a bias per channel: "
                             f"(batch, {2 * int(x_shape[-1])}). "
                             f"Received: styles of shape {tuple(y_shape)}")

    def call(self, inputs):
        x, y = inputs
        channels = x.shape[-1]
        y = ops.cast(y, x.dtype)
        scale = y[:, None, None, :channels]
        bias = y[:, None, None, channels:]
        mean = ops.mean(x, axis=(1, 2), keepdims=True)
        variance = ops.mean(ops.square(x - mean), axis=(1, 2), keepdims=True)
        return scale * (x - mean) * ops.rsqrt(variance + self.epsilon) + bias

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[0])

    def get_config(self):
        config = super().get_config()
        config["epsilon"] = self.epsilon
        return config
