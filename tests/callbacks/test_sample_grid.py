import numpy as np
from PIL import Image

from tfgan.callbacks import SaveSampleGrid


def test_writes_a_grid_every_n_epochs_and_the_last(tiny_gan, tiny_images, tmp_path):
    gan = tiny_gan()
    gan.compile(run_eagerly=True)
    callback = SaveSampleGrid(tmp_path, num_samples=6, every=2, seed=0, rows=2)
    gan.fit(tiny_images, batch_size=8, epochs=3, verbose=0, callbacks=[callback])
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["epoch_0002.png", "epoch_0003.png", "last.png"]
    with Image.open(tmp_path / "last.png") as image:
        grid = np.array(image)
    assert grid.shape == (2 * 10 + 2, 3 * 10 + 2)
    # The grid shows the model's samples for the fixed seed.
    expected = np.clip(np.round((gan.generate(6, seed=0) + 1) * 127.5), 0, 255)
    np.testing.assert_array_equal(grid[2:10, 2:10], expected[0, ..., 0])


def test_config_round_trip(tmp_path):
    callback = SaveSampleGrid(tmp_path, num_samples=4, every=3, seed=5)
    assert SaveSampleGrid(**callback.get_config()).get_config() == callback.get_config()
