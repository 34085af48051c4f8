"""The `TensorBoardGAN` callback: sample grids and GAN scalars for TensorBoard."""

import os

import keras
import numpy as np
import tensorflow as tf

from tfgan.callbacks import tensorboard_summaries as summaries
from tfgan.utils.validation import check_positive_int
from tfgan.callbacks.sample_grid import sample_images


@keras.saving.register_keras_serializable(package="tfgan")
class TensorBoardGAN(keras.callbacks.Callback):
    """Writes a grid of samples and the epoch logs to a TensorBoard log directory.

    Uses the layout of `keras.callbacks.TensorBoard` (`<log_dir>/train`, scalars named
    `epoch_<key>`), so both callbacks can share one `log_dir`. The scalars are every epoch
    log: `d_loss`, `g_loss`, the discriminator's `real_score` / `fake_score`, and `fid`
    when `EvaluateFID` runs before this callback. Unlike Keras' callback it needs no
    `tensorboard` package to write (TF 2.21 does not install it); viewing does.

    The grid comes from `model.sample` (the EMA generator when there is one) with fixed
    latents, so successive grids show the same latents evolving; image-to-image models
    translate `inputs` (see `SaveSampleGrid`).

    Args:
        log_dir: the TensorBoard log directory.
        num_samples: images in the grid.
        rows: grid rows (`None`: as square as possible).
        every_n_epochs: write a grid after every N-th epoch (scalars every epoch).
        seed: seed of the fixed latents.
        write_scalars: also write the epoch logs as scalars.
        inputs: held-out input images for image-to-image models; `None` otherwise.
    """

    def __init__(self, log_dir, num_samples=16, rows=None, every_n_epochs=1, seed=0,
                 write_scalars=True, inputs=None):
        super().__init__()
        self.log_dir = str(log_dir)
        self.num_samples = check_positive_int("num_samples", num_samples)
        self.rows = rows
        self.every_n_epochs = check_positive_int("every_n_epochs", every_n_epochs)
        self.seed = int(seed)
        self.write_scalars = bool(write_scalars)
        self.inputs = inputs
        self._writer = None

    @property
    def writer(self):
        if self._writer is None:
            self._writer = tf.summary.create_file_writer(os.path.join(self.log_dir, "train"))
        return self._writer

    def on_epoch_end(self, epoch, logs=None):
        with self.writer.as_default():
            if self.write_scalars:
                for key, value in (logs or {}).items():
                    if np.ndim(value) == 0:
                        summaries.write_scalar(f"epoch_{key}", value, step=epoch)
            if (epoch + 1) % self.every_n_epochs == 0:
                images, rows = sample_images(self.model, self.num_samples, self.seed,
                                             self.inputs)
                summaries.write_grid("samples", images, step=epoch, rows=rows or self.rows)
        self.writer.flush()

    def on_train_end(self, logs=None):
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def get_config(self):
        if self.inputs is not None:
            raise TypeError("A TensorBoardGAN with in-memory `inputs` is not serializable. "
                            "Received: inputs=<array>")
        return {"log_dir": self.log_dir, "num_samples": self.num_samples, "rows": self.rows,
                "every_n_epochs": self.every_n_epochs, "seed": self.seed,
                "write_scalars": self.write_scalars}

    @classmethod
    def from_config(cls, config):
        return cls(**config)
