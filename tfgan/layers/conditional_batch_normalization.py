"""Class-conditional batch normalization (de Vries et al. 2017; Miyato & Koyama 2018)."""

import keras
from keras import ops
from tfgan.utils.validation import check_positive_int


def modulate(normalized, delta_gamma, beta):
    """`(1 + Δγ) · normalized + β`, with per-sample `Δγ`, `β` `(batch, channels)` broadcast
    over the spatial axes of `normalized` `(batch, ..., channels)`."""
    broadcast = (-1,) + (1,) * (len(normalized.shape) - 2) + (normalized.shape[-1],)
    gamma = ops.cast(ops.reshape(delta_gamma, broadcast), normalized.dtype)
    beta = ops.cast(ops.reshape(beta, broadcast), normalized.dtype)
    return normalized * (1.0 + gamma) + beta


@keras.saving.register_keras_serializable(package="tfgan")
class ConditionalBatchNormalization(keras.layers.Layer):
    """Batch normalization whose scale and offset are looked up from the class label.

    `y = (1 + Δγ[label]) · BN(x) + β[label]`, where `BN` normalizes without its own affine
    parameters and `Δγ`, `β` are per-class embeddings initialized to zero (so the layer
    starts as plain batch normalization). Called on `[features, labels]` with integer labels
    `(batch,)`.

    Args:
        num_classes: number of classes.
        momentum: moving-average momentum of the batch statistics. Default 0.99 (Keras).
        epsilon: added to the variance. Default 1e-3 (Keras).
        **kwargs: passed to `keras.layers.Layer`.
    """

    def __init__(self, num_classes, momentum=0.99, epsilon=1e-3, **kwargs):
        super().__init__(**kwargs)
        self.num_classes = check_positive_int("num_classes", num_classes)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.batch_norm = keras.layers.BatchNormalization(
            momentum=momentum, epsilon=epsilon, center=False, scale=False)

    def build(self, input_shape):
        feature_shape, _ = input_shape
        channels = int(feature_shape[-1])
        self.batch_norm.build(feature_shape)
        self.gamma = self.add_weight(shape=(self.num_classes, channels), initializer="zeros",
                                     name="gamma")
        self.beta = self.add_weight(shape=(self.num_classes, channels), initializer="zeros",
                                    name="beta")

    def call(self, inputs, training=None):
        features, labels = inputs
        labels = ops.reshape(ops.cast(labels, "int32"), (-1,))
        normalized = self.batch_norm(features, training=training)
        return modulate(normalized, ops.take(self.gamma, labels, axis=0),
                        ops.take(self.beta, labels, axis=0))

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        config = super().get_config()
        config.update({"num_classes": self.num_classes, "momentum": self.momentum,
                       "epsilon": self.epsilon})
        return config
