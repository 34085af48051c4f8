"""Minibatch discrimination (Salimans et al. 2016)."""

import keras
from keras import ops
from tfgan.utils.validation import check_positive_int


@keras.saving.register_keras_serializable(package="tfgan")
class MinibatchDiscrimination(keras.layers.Layer):
    """Appends to each sample features measuring its closeness to the rest of the batch.

    With features `f(x_i) ∈ R^A` and a learned tensor `T ∈ R^{A×B×C}`, `M_i = f(x_i)·T`
    `∈ R^{B×C}`, `c_b(x_i, x_j) = exp(-‖M_{i,b} - M_{j,b}‖_{L1})` and
    `o(x_i)_b = Σ_{j} c_b(x_i, x_j)` summed over the whole batch (j = i included, as in
    the paper, which adds 1 to every output). The output is `[f(x_i), o(x_i)]`, of size
    `A + B`. Samples of a collapsed generator are close to each other, which the
    discriminator then sees (Salimans et al. 2016).

    Inputs: `(batch, features)`.

    Args:
        num_kernels: B. Default 100 (Salimans et al. 2016's CIFAR-10 model).
        kernel_dim: C. Default 5.
        kernel_initializer: initializer of T. Default N(0, 0.02).
        **kwargs: passed to `keras.layers.Layer`.
    """

    def __init__(self, num_kernels=100, kernel_dim=5, kernel_initializer=None, **kwargs):
        super().__init__(**kwargs)
        self.num_kernels = check_positive_int("num_kernels", num_kernels)
        self.kernel_dim = check_positive_int("kernel_dim", kernel_dim)
        self.kernel_initializer = keras.initializers.get(
            kernel_initializer or keras.initializers.RandomNormal(stddev=0.02))

    def build(self, input_shape):
        if len(input_shape) != 2 or input_shape[-1] is None:
            raise ValueError("MinibatchDiscrimination takes inputs of shape (batch, features). "
                             f"Received: input_shape={tuple(input_shape)}")
        self.kernel = self.add_weight(
            shape=(int(input_shape[-1]), self.num_kernels * self.kernel_dim),
            initializer=self.kernel_initializer, name="kernel")
        self.built = True

    def call(self, inputs):
        m = ops.reshape(ops.matmul(inputs, self.kernel), (-1, self.num_kernels, self.kernel_dim))
        # (batch, batch, B): L1 distances between every pair, per kernel.
        distances = ops.sum(ops.abs(m[:, None, :, :] - m[None, :, :, :]), axis=-1)
        features = ops.sum(ops.exp(-distances), axis=1)
        return ops.concatenate([inputs, features], axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[1] + self.num_kernels)

    def get_config(self):
        config = super().get_config()
        config.update({
            "num_kernels": self.num_kernels,
            "kernel_dim": self.kernel_dim,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
        })
        return config
