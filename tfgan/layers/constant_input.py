"""The learned constant that starts StyleGAN's synthesis network (Karras et al. 2019)."""

import keras
from keras import ops

from tfgan.utils.validation import check_positive_int


@keras.saving.register_keras_serializable(package="tfgan")
class ConstantInput(keras.layers.Layer):
    """A learned `size x size x channels` tensor, repeated for every sample of the batch.

    StyleGAN's synthesis network starts from this constant instead of the latent
    (Karras et al. 2019, section 2): the styles alone decide the image. The layer's input
    only gives the batch size (pass the styles).

    Args:
        channels: channels of the constant.
        size: its height and width. Default 4 (Karras et al. 2019).
        **kwargs: passed to `keras.layers.Layer`.
    """

    def __init__(self, channels, size=4, **kwargs):
        super().__init__(**kwargs)
        self.channels = check_positive_int("channels", channels)
        self.size = check_positive_int("size", size)

    def build(self, input_shape):
        self.constant = self.add_weight(
            shape=(1, self.size, self.size, self.channels), name="constant",
            initializer=keras.initializers.RandomNormal(stddev=1.0))

    def call(self, inputs):
        # A broadcast product, not a tile: XLA compiles its gradient inside a `cond`; the
        # static batch where known.
        batch = inputs.shape[0] if inputs.shape[0] is not None else ops.shape(inputs)[0]
        return (ops.cast(self.constant, self.compute_dtype)
                * ops.ones((batch, 1, 1, 1), self.compute_dtype))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.size, self.size, self.channels)

    def get_config(self):
        config = super().get_config()
        config.update({"channels": self.channels, "size": self.size})
        return config
