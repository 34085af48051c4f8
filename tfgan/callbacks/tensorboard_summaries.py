"""TensorBoard event writing that works without the `tensorboard` package.

`tf.summary.scalar` / `tf.summary.image` are implemented in the `tensorboard` package,
which TF 2.21 does not install. These helpers write the same records (plugin metadata
`scalars` / `images`) through the core op `tf.summary.write`, so the files open in
TensorBoard wherever it is installed.
"""

import numpy as np
import tensorflow as tf
from tensorflow.core.framework import summary_pb2

from tfgan.utils.images import make_grid


def _metadata(plugin, data_class):
    return summary_pb2.SummaryMetadata(
        plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name=plugin),
        data_class=data_class)


def write_scalar(tag, value, step):
    """Writes a float32 scalar summary (TensorBoard's `scalars` plugin) to the default
    writer."""
    return tf.summary.write(tag, tf.constant(float(value), tf.float32), step=step,
                            metadata=_metadata("scalars", summary_pb2.DATA_CLASS_SCALAR))


def write_image(tag, image, step):
    """Writes one uint8 image `(h, w, c)` as a PNG image summary (`images` plugin)."""
    image = np.asarray(image, dtype="uint8")
    if image.ndim == 2:
        image = image[..., None]
    png = tf.io.encode_png(image)
    tensor = tf.stack([tf.constant(str(image.shape[1])), tf.constant(str(image.shape[0])),
                       png])
    return tf.summary.write(tag, tensor, step=step,
                            metadata=_metadata("images",
                                               summary_pb2.DATA_CLASS_BLOB_SEQUENCE))


def write_grid(tag, images, step, rows=None):
    """Tiles images in [-1, 1] (or uint8) with `tfgan.utils.make_grid` and writes them."""
    return write_image(tag, make_grid(images, rows=rows), step)
