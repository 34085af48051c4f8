"""Keeping the known pixels of an image and filling its hole, for inpainting."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="tfgan")
class MaskComposite(keras.layers.Layer):
    """`where(mask > 0.5, fill, image)`: the image outside the hole, `fill` inside it.

    Called on `[image, mask]` it fills the hole with the constant `fill_value` (the masked
    input of a context encoder, Pathak et al. 2016); on `[image, fill, mask]` with the
    tensor `fill` (pasting a generator's prediction into the hole). A select, not a blend:
    the known pixels come out bit for bit as they went in.

    Args:
        fill_value: the hole's value for `[image, mask]` calls. Default 0 (mid-grey in
            [-1, 1], about the mean pixel).
        **kwargs: passed to `keras.layers.Layer`.

    Inputs: `image` `(batch, h, w, c)`, optionally `fill` of the same shape, and `mask`
    `(batch, h, w, 1)` with 1 on the hole. Output: `(batch, h, w, c)` in `image`'s dtype.
    """

    def __init__(self, fill_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.fill_value = float(fill_value)

    def call(self, inputs):
        if len(inputs) not in (2, 3):
            raise ValueError("MaskComposite takes [image, mask] or [image, fill, mask]. "
                             f"Received: {len(inputs)} inputs")
        image, mask = inputs[0], inputs[-1]
        fill = (ops.cast(inputs[1], image.dtype) if len(inputs) == 3
                else ops.full_like(image, self.fill_value))
        return ops.where(ops.cast(mask, image.dtype) > 0.5, fill, image)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[0])

    def get_config(self):
        config = super().get_config()
        config["fill_value"] = self.fill_value
        return config
