"""Instance normalization (Ulyanov et al. 2016), which Keras 3 does not ship."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="tfgan")
class InstanceNormalization(keras.layers.Layer):
    """Normalizes each channel of each image over its spatial axes.

    `y = γ · (x - μ_nc) / sqrt(σ²_nc + ε) + β`, with the mean and variance taken over the
    height and width of one image and one channel, so the output does not depend on the
    rest of the batch (train and inference behave the same). Used by CycleGAN's generators
    and discriminators (Zhu et al. 2017) in place of batch normalization. Equivalent to
    `keras.layers.GroupNormalization(groups=channels)`.

    Args:
        epsilon: added to the variance. Default 1e-5 (PyTorch's, as in the CycleGAN code).
        center: learn the offset `β` (initialized to 0).
        scale: learn the scale `γ` (initialized to 1).
        **kwargs: passed to `keras.layers.Layer`.

    Input: a channels-last tensor of rank >= 3 `(batch, *spatial, channels)`; same shape out.
    """

    def __init__(self, epsilon=1e-5, center=True, scale=True, **kwargs):
        super().__init__(**kwargs)
        if epsilon <= 0:
            raise ValueError(f"`epsilon` must be positive. Received: epsilon={epsilon}")
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)

    def build(self, input_shape):
        if len(input_shape) < 3 or input_shape[-1] is None:
            raise ValueError(
                "InstanceNormalization expects (batch, *spatial, channels) with a known "
                f"number of channels. Received: input_shape={input_shape}"
            )
        channels = int(input_shape[-1])
        self.gamma = self.add_weight(shape=(channels,), initializer="ones", name="gamma",
                                     trainable=True) if self.scale else None
        self.beta = self.add_weight(shape=(channels,), initializer="zeros", name="beta",
                                    trainable=True) if self.center else None

    def call(self, inputs):
        # Normalized in float32 under any policy (as Keras' own normalizations): in
        # float16 the gradient of rsqrt, (σ² + ε)^-1.5, overflows once σ² + ε < 6e-4, so a
        # mixed_float16 CycleGAN skipped every step (loss scaling cannot fix an overflow
        # that does not depend on the scale). The output has the compute dtype.
        x = ops.cast(inputs, "float32")
        axes = tuple(range(1, len(x.shape) - 1))
        mean, variance = ops.moments(x, axes=axes, keepdims=True)
        y = (x - mean) * ops.rsqrt(variance + self.epsilon)
        if self.gamma is not None:
            y = y * ops.cast(self.gamma, "float32")
        if self.beta is not None:
            y = y + ops.cast(self.beta, "float32")
        return ops.cast(y, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"epsilon": self.epsilon, "center": self.center, "scale": self.scale})
        return config
