"""Minibatch standard deviation (Karras et al. 2018, ProGAN)."""

import keras
from keras import ops
from tfgan.utils.validation import check_positive_int


@keras.saving.register_keras_serializable(package="tfgan")
class MinibatchStdDev(keras.layers.Layer):
    """Appends the within-group standard deviation of features as extra channels.

    Splits the batch into groups of `group_size` samples (sample `i` is in group
    `i mod (batch / group_size)`, as in ProGAN), computes each feature's standard deviation
    over the group, averages it over the features (and spatial positions) of each of
    `num_channels` channel splits, and appends the result as `num_channels` constant
    channels to every sample of the group. A discriminator with this layer near its end
    sees the diversity of the batch, which counters mode collapse (Karras et al. 2018).

    Inputs: `(batch, features)` or `(batch, ..., channels)` (channels last). The batch must
    be divisible by `min(group_size, batch)`.

    Args:
        group_size: samples per group. Default 4 (Karras et al. 2018).
        num_channels: number of appended statistics (channel splits). Default 1.
        epsilon: added to the variance before the square root. Default 1e-8.
        **kwargs: passed to `keras.layers.Layer`.
    """

    def __init__(self, group_size=4, num_channels=1, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.group_size = check_positive_int("group_size", group_size)
        self.num_channels = check_positive_int("num_channels", num_channels)
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        channels = input_shape[-1]
        if channels is not None and channels % self.num_channels:
            raise ValueError(f"The input's last axis ({channels}) must be divisible by "
                             f"`num_channels`. Received: num_channels={self.num_channels}")
        self.built = True

    def call(self, inputs):
        batch = inputs.shape[0]  # static where known: XLA needs static reshape shapes
        group = (min(self.group_size, batch) if batch is not None
                 else ops.minimum(self.group_size, ops.shape(inputs)[0]))
        spatial = tuple(inputs.shape[1:-1])
        channels = int(inputs.shape[-1])
        x = ops.cast(inputs, "float32")
        # (group, batch / group, ..., num_channels, channels / num_channels)
        y = ops.reshape(x, (group, -1) + spatial
                        + (self.num_channels, channels // self.num_channels))
        y = y - ops.mean(y, axis=0, keepdims=True)
        y = ops.sqrt(ops.mean(ops.square(y), axis=0) + self.epsilon)
        # Average over spatial positions and the features of each split.
        axes = tuple(range(1, len(spatial) + 1)) + (len(spatial) + 2,)
        y = ops.mean(y, axis=axes)  # (batch / group, num_channels)
        y = ops.reshape(y, (-1,) + (1,) * len(spatial) + (self.num_channels,))
        y = ops.tile(y, (group,) + tuple(spatial) + (1,))  # sample i ← its group i mod M
        return ops.concatenate([inputs, ops.cast(y, inputs.dtype)], axis=-1)

    def compute_output_shape(self, input_shape):
        channels = None if input_shape[-1] is None else input_shape[-1] + self.num_channels
        return tuple(input_shape[:-1]) + (channels,)

    def get_config(self):
        config = super().get_config()
        config.update({"group_size": self.group_size, "num_channels": self.num_channels,
                       "epsilon": self.epsilon})
        return config
