"""Style mixing: the styles of two latents, switched at a crossover layer (Karras et al. 2019)."""

import keras
from keras import ops


def mix_styles(ws, ws_mix, crossover):
    """Styles of layers `< crossover` from `ws`, the others from `ws_mix`.

    StyleGAN's mixing regularization and mixing figures (Karras et al. 2019, section 3.1):
    with a crossover at layer `k`, the coarse styles (layers `< k`: pose, shape) come from
    the first latent and the fine ones (colour, texture) from the second.

    Args:
        ws, ws_mix: styles `(batch, num_ws, w_dim)`.
        crossover: an integer or `(batch,)` integers; 0 takes every style from `ws_mix`,
            `num_ws` or more every style from `ws`.

    Returns:
        The mixed styles `(batch, num_ws, w_dim)`.
    """
    ws = ops.convert_to_tensor(ws)
    crossover = ops.cast(ops.convert_to_tensor(crossover), "int32")
    crossover = ops.reshape(crossover, (-1, 1, 1)) if len(crossover.shape) else crossover
    layer = ops.arange(ws.shape[1], dtype="int32")[None, :, None]
    return ops.where(layer < crossover, ws, ops.cast(ws_mix, ws.dtype))


@keras.saving.register_keras_serializable(package="tfgan")
class StyleMixing(keras.layers.Layer):
    """`layer([ws, ws_mix, crossover])` = `mix_styles(ws, ws_mix, crossover)`, for
    functional serving models (`tfgan.models.StyleGAN.mixing_generator`).

    Args:
        **kwargs: passed to `keras.layers.Layer`.
    """

    def call(self, inputs):
        ws, ws_mix, crossover = inputs
        return mix_styles(ws, ws_mix, crossover)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[0])
