"""Writes a grid of samples from fixed latents during training."""

import pathlib

import keras
import numpy as np

from tfgan.utils.images import save_grid
from tfgan.utils.validation import check_positive_int


def sample_images(model, num_samples, seed, inputs=None):
    """`(images, rows)` for a sample grid of any tfgan model.

    Models that sample from noise give `model.sample(num_samples, seed)` and `rows=None`;
    with `inputs` (image-to-image models) the images are the inputs then their
    translations, in two rows; inputs smaller than their outputs (super-resolution) are
    enlarged to the outputs' size by pixel repetition, so the grid shows their pixels.
    """
    if inputs is None:
        return model.sample(num_samples, seed=seed), None
    inputs = np.asarray(inputs, dtype="float32")[:num_samples]
    outputs = model.sample(num_samples, seed=seed, inputs=inputs)
    if outputs.shape[-1] != inputs.shape[-1]:  # e.g. RGB label maps -> grayscale images
        return outputs, None
    factors = [o // i for o, i in zip(outputs.shape[1:3], inputs.shape[1:3])]
    if factors != [1, 1]:
        inputs = inputs.repeat(factors[0], axis=1).repeat(factors[1], axis=2)
    return np.concatenate([inputs, outputs], axis=0), 2


@keras.saving.register_keras_serializable(package="tfgan")
class SaveSampleGrid(keras.callbacks.Callback):
    """Saves a PNG grid of generated samples every `every` epochs.

    The samples come from `model.sample(num_samples, seed=seed, inputs=inputs)`, which
    every tfgan model answers: the same latents every time, so consecutive grids show how
    the same points of latent space evolve. Image-to-image models (Pix2Pix, CycleGAN)
    translate `inputs`, a fixed batch of held-out input images; their grid has the inputs
    in the first row and the translations in the second. The grid of the last epoch is
    also written as `last.png`.

    Args:
        directory: folder for the PNG files (created if missing).
        num_samples: images per grid. Default 64 (an 8x8 grid).
        every: write a grid every `every` epochs (and after the last epoch).
        seed: seed of the fixed latents.
        rows: grid rows; `None` makes the grid as square as possible.
        filename: format of the file names, with `{epoch}` (1-based).
        inputs: held-out input images in [-1, 1] for image-to-image models (the first
            `num_samples` are translated). `None` for models that sample from noise.
    """

    def __init__(self, directory, num_samples=64, every=1, seed=0, rows=None,
                 filename="epoch_{epoch:04d}.png", inputs=None):
        super().__init__()
        check_positive_int("every", every)
        check_positive_int("num_samples", num_samples)
        self.directory = str(directory)
        self.num_samples = int(num_samples)
        self.every = int(every)
        self.seed = seed
        self.rows = rows
        self.filename = filename
        self.inputs = inputs
        self.written = []
        self._last_epoch = None

    def write(self, epoch):
        """Writes the grid for `epoch` (1-based) and returns its path."""
        images, rows = sample_images(self.model, self.num_samples, self.seed, self.inputs)
        rows = rows or self.rows
        path = pathlib.Path(self.directory) / self.filename.format(epoch=epoch)
        save_grid(images, path, rows=rows)
        save_grid(images, pathlib.Path(self.directory) / "last.png", rows=rows)
        self.written.append(str(path))
        return path

    def on_train_begin(self, logs=None):
        self._last_epoch = None

    def on_epoch_end(self, epoch, logs=None):
        self._last_epoch = epoch + 1
        if self._last_epoch % self.every == 0:
            self.write(self._last_epoch)

    def on_train_end(self, logs=None):
        if self._last_epoch is not None and self._last_epoch % self.every != 0:
            self.write(self._last_epoch)

    def get_config(self):
        if self.inputs is not None:
            raise TypeError("A SaveSampleGrid with in-memory `inputs` is not serializable. "
                            "Received: inputs=<array>")
        return {
            "directory": self.directory,
            "num_samples": self.num_samples,
            "every": self.every,
            "seed": self.seed,
            "rows": self.rows,
            "filename": self.filename,
        }
