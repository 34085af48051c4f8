"""Hole PSNR/SSIM and the mean-fill and Telea baselines."""

import sys

import numpy as np
import pytest

from tfgan.metrics import inpainting
from tfgan.metrics import restoration


def _scene(n=3, size=32):
    """Smooth images (horizontal ramps of a colour each) with a centred 16x16 hole."""
    rng = np.random.default_rng(0)
    ramp = np.linspace(-0.5, 0.5, size, dtype="float32")[None, None, :, None]
    images = np.clip(rng.uniform(-0.4, 0.4, (n, 1, 1, 3)) + ramp, -1, 1).astype("float32")
    images = np.broadcast_to(images, (n, size, size, 3)).copy()
    masks = np.zeros((n, size, size, 1), "float32")
    masks[:, 8:24, 8:24] = 1.0
    return images, masks


def test_hole_metrics_measure_exactly_the_square_hole():
    images, masks = _scene()
    noisy = images.copy()
    noise = np.random.default_rng(1).normal(0, 0.1, noisy[:, 8:24, 8:24].shape)
    noisy[:, 8:24, 8:24] = np.clip(noisy[:, 8:24, 8:24] + noise, -1, 1)
    scores = inpainting.hole_metrics(noisy, images, masks)
    np.testing.assert_allclose(scores["psnr"], restoration.psnr(
        noisy[:, 8:24, 8:24], images[:, 8:24, 8:24]))
    np.testing.assert_allclose(scores["ssim"], restoration.ssim(
        noisy[:, 8:24, 8:24], images[:, 8:24, 8:24]))
    identical = inpainting.hole_metrics(images, images, masks)
    assert np.all(np.isinf(identical["psnr"])) and np.allclose(identical["ssim"], 1.0)


def test_holes_of_different_sizes_are_each_measured_on_their_box():
    images, masks = _scene(2)
    masks[1] = 0.0
    masks[1, 2:6, 3:7] = 1.0  # 4x4: grown to SSIM's 11x11 window
    other = images[::-1].copy()
    scores = inpainting.hole_metrics(other, images, masks)
    np.testing.assert_allclose(scores["psnr"][1], restoration.psnr(
        other[1:, 0:11, 0:11], images[1:, 0:11, 0:11])[0])


def test_mean_fill_paints_the_known_mean_and_keeps_the_rest():
    images, masks = _scene()
    filled = inpainting.mean_fill(images, masks)
    known = masks[..., 0] < 0.5
    np.testing.assert_array_equal(filled[known], images[known])
    np.testing.assert_allclose(filled[0, 16, 16], images[0][known[0]].mean(axis=0), atol=1e-6)


def test_telea_beats_mean_fill_on_smooth_images_and_keeps_the_known_pixels():
    # `make test` installs the [restoration] extra (opencv-python-headless): no skip.
    images, masks = _scene()
    telea = inpainting.telea(images, masks)
    known = masks[..., 0] < 0.5
    np.testing.assert_array_equal(telea[known], images[known])
    report = inpainting.compare_on_holes(images, masks, inpainting.BASELINES)
    assert report["telea"]["psnr"] > report["mean_fill"]["psnr"] + 3
    assert report["telea"]["ssim"] > report["mean_fill"]["ssim"]


def test_telea_without_opencv_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "cv2", None)
    with pytest.raises(ImportError, match=r"tfgan\[restoration\]"):
        inpainting.telea(*_scene())
