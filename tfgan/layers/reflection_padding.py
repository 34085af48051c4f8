"""Reflection padding for images, used by CycleGAN's ResNet generator."""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="tfgan")
class ReflectionPadding2D(keras.layers.Layer):
    """Pads height and width by mirroring the border (without repeating the edge pixel).

    Zhu et al. (2017) pad the generator's convolutions this way to reduce border artifacts.

    Args:
        padding: pixels added on each side: an int or `(pad_height, pad_width)`.
        **kwargs: passed to `keras.layers.Layer`.

    Input `(batch, h, w, c)`; output `(batch, h + 2·pad_height, w + 2·pad_width, c)`.
    """

    def __init__(self, padding=1, **kwargs):
        super().__init__(**kwargs)
        padding = (padding, padding) if isinstance(padding, int) else tuple(padding)
        if len(padding) != 2 or any(int(p) < 0 or int(p) != p for p in padding):
            raise ValueError("`padding` must be a non-negative int or a pair of them. "
                             f"Received: padding={padding}")
        self.padding = tuple(int(p) for p in padding)

    def call(self, inputs):
        ph, pw = self.padding
        return tf.pad(inputs, [[0, 0], [ph, ph], [pw, pw], [0, 0]], mode="REFLECT")

    def compute_output_shape(self, input_shape):
        ph, pw = self.padding
        b, h, w, c = input_shape
        return (b, None if h is None else h + 2 * ph, None if w is None else w + 2 * pw, c)

    def get_config(self):
        config = super().get_config()
        config["padding"] = self.padding
        return config
