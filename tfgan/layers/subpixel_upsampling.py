"""Sub-pixel upsampling (depth to space), the upscaling step of ESPCN and SRResNet."""

import keras
import tensorflow as tf

from tfgan.utils.validation import check_positive_int


@keras.saving.register_keras_serializable(package="tfgan")
class SubPixelUpsampling(keras.layers.Layer):
    """Rearranges `scale²·C` channels into a `scale`-times larger image of `C` channels.

    `tf.nn.depth_to_space` with block size `scale`: the output pixel `(y, x)` of channel
    `c` is input channel `((y mod s)·s + x mod s)·C + c` at `(y // s, x // s)`. After a
    convolution to `scale²·C` channels it is the "efficient sub-pixel convolution" of Shi
    et al. (2016), which SRResNet uses twice for ×4 (Ledig et al. 2017): every output
    pixel has its own weights, without the checkerboard overlap of transposed convolutions.

    Input `(batch, h, w, scale²·C)`; output `(batch, scale·h, scale·w, C)`. Height and width
    may be unknown (`None`), so a generator built with it takes images of any size.

    Args:
        scale: the upsampling factor (block size), an integer >= 2. Default 2.
        **kwargs: passed to `keras.layers.Layer`.
    """

    def __init__(self, scale=2, **kwargs):
        super().__init__(**kwargs)
        self.scale = check_positive_int("scale", scale, minimum=2)

    def build(self, input_shape):
        channels = input_shape[-1]
        if channels is None or channels % (self.scale ** 2):
            raise ValueError(
                f"SubPixelUpsampling(scale={self.scale}) needs a known number of channels "
                f"divisible by scale² = {self.scale ** 2}. Received: input_shape="
                f"{tuple(input_shape)}")

    def call(self, inputs):
        return tf.nn.depth_to_space(inputs, self.scale)

    def compute_output_shape(self, input_shape):
        batch, height, width, channels = input_shape
        s = self.scale
        return (batch, None if height is None else height * s,
                None if width is None else width * s, channels // (s * s))

    def get_config(self):
        config = super().get_config()
        config["scale"] = self.scale
        return config
