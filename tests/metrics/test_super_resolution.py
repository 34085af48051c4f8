import keras
import numpy as np
import pytest

from tfgan.datasets import super_resolution_pairs
from tfgan.metrics import bicubic_upscale
from tfgan.metrics import evaluate_super_resolution
from tfgan.metrics import pairs_as_arrays
from tfgan.metrics import psnr


def _split(n=3, size=32, scale=2):
    images = np.random.default_rng(0).integers(0, 256, (n, size, size, 3), dtype=np.uint8)
    return pairs_as_arrays(super_resolution_pairs(images, scale=scale, hr_size=size,
                                                  batch_size=2, training=False))


def test_bicubic_keeps_constant_images_and_upscales():
    flat = np.full((2, 4, 6, 3), 0.25, "float32")
    up = bicubic_upscale(flat, 4)
    assert up.shape == (2, 16, 24, 3)
    np.testing.assert_allclose(up, 0.25, atol=1e-6)


def test_oracle_is_perfect_and_bicubic_is_the_first_row():
    low, high = _split()
    report = evaluate_super_resolution(low, high, {"oracle": lambda batch: high},
                                       batch_size=len(low))
    assert list(report["results"]) == ["bicubic", "oracle"]
    oracle = report["results"]["oracle"]
    assert oracle["psnr_y"] == oracle["psnr_rgb"] == np.inf
    assert oracle["ssim_y"] == oracle["ssim_rgb"] == 1.0
    bicubic = report["results"]["bicubic"]
    assert 5 < bicubic["psnr_rgb"] < 30 and bicubic["ssim_rgb"] < 1
    assert report["protocol"] == {**report["protocol"], "images": 3, "scale": 2, "crop": 2}


def test_known_noise_level_and_keras_upscalers():
    low, high = _split(scale=4)
    noise = np.random.default_rng(1).choice([-0.02, 0.02], high.shape).astype("float32")
    noisy = np.clip(high + noise, -1, 1)
    inputs = keras.Input((None, None, 3))
    upsampling = keras.Model(inputs, keras.layers.UpSampling2D(4)(inputs))
    report = evaluate_super_resolution(low, high, {"noisy": lambda batch: noisy,
                                                   "nearest": upsampling},
                                       batch_size=len(low))["results"]
    # ±0.02 in [-1, 1] is ±0.01 in [0, 1]: PSNR 40 dB, a little more where the clip to
    # [-1, 1] removed some of the noise (40.04 here).
    assert report["noisy"]["psnr_rgb"] == pytest.approx(
        np.mean(psnr(noisy, high, crop=4)), rel=1e-9)
    assert 40.0 - 1e-4 < report["noisy"]["psnr_rgb"] < 40.2
    assert report["nearest"]["psnr_rgb"] < report["noisy"]["psnr_rgb"]


def test_grayscale_has_rgb_measures_only_and_shapes_are_checked():
    low, high = _split()
    report = evaluate_super_resolution(low[..., :1], high[..., :1])
    assert set(report["results"]["bicubic"]) == {"psnr_rgb", "ssim_rgb"}
    with pytest.raises(ValueError, match="returned images of shape"):
        evaluate_super_resolution(low, high, {"same": lambda batch: batch})
    with pytest.raises(ValueError, match="same size"):
        evaluate_super_resolution(low[:2], high)
