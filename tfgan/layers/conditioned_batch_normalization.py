"""Batch normalization conditioned on a vector (BigGAN, Brock et al. 2019)."""

import keras
from keras import layers

from tfgan.layers.conditional_batch_normalization import modulate


@keras.saving.register_keras_serializable(package="tfgan")
class ConditionedBatchNormalization(keras.layers.Layer):
    """Batch normalization whose scale and offset are linear in a conditioning vector.

    `y = (1 + W_γ c) · BN(x) + W_β c`, where `BN` normalizes without its own affine
    parameters and `c` `(batch, cond_dim)` is any float vector. BigGAN (Brock et al. 2019,
    appendix B) conditions every generator block on `c = [z_k, shared(y)]`, a chunk of the
    latent concatenated with a class embedding shared by all blocks, with bias-free
    projections; with `c` a one-hot label this is `tfgan.layers.ConditionalBatchNormalization`.
    Called on `[features, conditioning]`.

    Args:
        momentum: moving-average momentum of the batch statistics. Default 0.99 (Keras).
        epsilon: added to the variance. Default 1e-3 (Keras).
        kernel_initializer: initializer of `W_γ` and `W_β`. Default `"orthogonal"` (BigGAN
            initializes G orthogonally); `"zeros"` starts the layer as plain batch
            normalization.
        **kwargs: passed to `keras.layers.Layer`.
    """

    def __init__(self, momentum=0.99, epsilon=1e-3, kernel_initializer="orthogonal",
                 **kwargs):
        super().__init__(**kwargs)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.batch_norm = keras.layers.BatchNormalization(
            momentum=momentum, epsilon=epsilon, center=False, scale=False)

    def build(self, input_shape):
        feature_shape, condition_shape = input_shape
        if len(condition_shape) != 2:
            raise ValueError("The conditioning input must be (batch, cond_dim). "
                             f"Received: input_shape={input_shape}")
        channels = int(feature_shape[-1])
        self.batch_norm.build(feature_shape)
        self.gain = layers.Dense(channels, use_bias=False, name="gain",
                                 kernel_initializer=self.kernel_initializer)
        self.bias = layers.Dense(channels, use_bias=False, name="bias",
                                 kernel_initializer=self.kernel_initializer)
        self.gain.build(condition_shape)
        self.bias.build(condition_shape)

    def call(self, inputs, training=None):
        features, condition = inputs
        normalized = self.batch_norm(features, training=training)
        return modulate(normalized, self.gain(condition), self.bias(condition))

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        config = super().get_config()
        config.update({"momentum": self.momentum, "epsilon": self.epsilon,
                       "kernel_initializer": keras.initializers.serialize(
                           self.kernel_initializer)})
        return config
