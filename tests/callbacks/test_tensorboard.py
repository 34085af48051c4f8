import pathlib

import numpy as np
import pytest
import tensorflow as tf
from PIL import Image
import io

from tfgan.callbacks import TensorBoardGAN
from tfgan.utils import make_grid


def _events(log_dir):
    records = []
    for path in sorted(pathlib.Path(log_dir, "train").glob("events.out.tfevents.*")):
        for event in tf.compat.v1.train.summary_iterator(str(path)):
            for value in event.summary.value:
                records.append((event.step, value))
    return records


def test_writes_scalars_and_sample_grids(tiny_gan, tiny_images, tmp_path):
    gan = tiny_gan()
    gan.compile(run_eagerly=True)
    callback = TensorBoardGAN(tmp_path, num_samples=4, every_n_epochs=2, seed=7)
    history = gan.fit(tiny_images, batch_size=8, epochs=2, verbose=0, callbacks=[callback])
    records = _events(tmp_path)
    scalars = {(step, v.tag): tf.make_ndarray(v.tensor) for step, v in records
               if v.metadata.plugin_data.plugin_name == "scalars"}
    for key in ("d_loss", "g_loss", "real_score", "fake_score"):
        for epoch in (0, 1):
            assert scalars[(epoch, f"epoch_{key}")] == pytest.approx(
                history.history[key][epoch], rel=1e-6)
    images = [(step, v) for step, v in records if v.metadata.plugin_data.plugin_name == "images"]
    assert [(step, v.tag) for step, v in images] == [(1, "samples")]
    width, height, png = tf.make_ndarray(images[0][1].tensor)
    decoded = np.array(Image.open(io.BytesIO(png)))
    np.testing.assert_array_equal(decoded, make_grid(gan.generate(4, seed=7))[..., 0])
    assert (int(width), int(height)) == (decoded.shape[1], decoded.shape[0])


def test_config_round_trip(tmp_path):
    callback = TensorBoardGAN(tmp_path, num_samples=9, rows=3, every_n_epochs=5, seed=2)
    assert TensorBoardGAN(**callback.get_config()).get_config() == callback.get_config()
    with pytest.raises(ValueError, match="num_samples=0"):
        TensorBoardGAN(tmp_path, num_samples=0)
