import numpy as np
import pytest
from PIL import Image
from PIL import ImageSequence

from tfgan import latent
from tfgan.utils import to_uint8


def _frames(path):
    with Image.open(path) as gif:
        return [np.array(f.convert("L")) for f in ImageSequence.Iterator(gif)], gif.info


def test_grey_frames_are_stored_exactly(tmp_path):
    frames = np.random.default_rng(0).uniform(-1, 1, (3, 6, 5, 1)).astype("float32")
    latent.save_gif(frames, tmp_path / "a.gif", duration_ms=50, scale=2)
    decoded, info = _frames(tmp_path / "a.gif")
    assert len(decoded) == 3 and info["duration"] == 50 and info["loop"] == 0
    expected = to_uint8(frames)[..., 0].repeat(2, axis=1).repeat(2, axis=2)
    np.testing.assert_array_equal(np.stack(decoded), expected)


def test_interpolation_gif_loops_through_keyframes(tiny_gan, tmp_path):
    gan = tiny_gan()
    frames = latent.save_interpolation_gif(gan, tmp_path / "walk.gif", num_keyframes=3,
                                           steps_per_segment=4, seed=2)
    assert frames.shape == (12, 8, 8, 1)
    keys = gan.sample_latents(3, 2)
    np.testing.assert_allclose(frames[[0, 4, 8]], gan.generate(latents=keys), rtol=1e-5,
                               atol=1e-6)
    decoded, _ = _frames(tmp_path / "walk.gif")
    np.testing.assert_array_equal(np.stack(decoded), to_uint8(frames)[..., 0])


def test_errors(tmp_path):
    with pytest.raises(ValueError, match="frames.shape"):
        latent.save_gif(np.zeros((2, 4, 4, 2)), tmp_path / "x.gif")
    with pytest.raises(ValueError, match="scale=0"):
        latent.save_gif(np.zeros((2, 4, 4, 1)), tmp_path / "x.gif", scale=0)
