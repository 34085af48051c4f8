import numpy as np
import pytest

from tfgan.metrics import restoration


def _images(seed=0, shape=(2, 16, 16, 3)):
    return np.random.default_rng(seed).uniform(-1, 1, shape).astype("float32")


def test_identical_images_give_infinite_psnr_and_unit_ssim():
    x = _images()
    assert np.all(np.isinf(restoration.psnr(x, x)))
    np.testing.assert_allclose(restoration.ssim(x, x), 1.0, atol=1e-6)
    np.testing.assert_allclose(restoration.ssim(x, x, channel="y"), 1.0, atol=1e-6)


def test_psnr_of_a_known_noise_level():
    # A constant offset of 0.02 in [-1, 1] is 0.01 in [0, 1]: MSE 1e-4, PSNR 40 dB.
    x = np.clip(_images(), -0.9, 0.9)
    np.testing.assert_allclose(restoration.psnr(x + 0.02, x), 40.0, atol=1e-3)
    # The same offset on every channel moves the luma by 0.01 * (65.481 + 128.553 +
    # 24.966) / 255: PSNR = -20 log10 of that.
    expected = -20 * np.log10(0.01 * 219.0 / 255.0)
    np.testing.assert_allclose(restoration.psnr(x + 0.02, x, channel="y"), expected,
                               atol=1e-3)


def test_ssim_falls_with_noise_and_uint8_matches_float():
    ramp = np.linspace(-0.5, 0.5, 32, dtype="float32")
    x = np.broadcast_to(ramp[None, None, :, None], (2, 32, 32, 3)).copy()  # smooth
    noisy = np.clip(x + np.random.default_rng(1).normal(0, 0.2, x.shape), -1, 1)
    low = restoration.ssim(noisy.astype("float32"), x)
    assert np.all(low < 0.9)
    x = _images(shape=(2, 32, 32, 3))
    as_uint8 = np.round((x + 1) * 127.5).astype("uint8")
    back = as_uint8.astype("float32") / 127.5 - 1
    np.testing.assert_allclose(restoration.psnr(as_uint8, as_uint8[::-1]),
                               restoration.psnr(back, back[::-1]), rtol=1e-5)


def test_luma_is_bt601():
    white = np.ones((1, 1, 1, 3), "float32")
    black = np.zeros((1, 1, 1, 3), "float32")
    np.testing.assert_allclose(restoration.to_luma(white).numpy(), 235 / 255, atol=1e-4)
    np.testing.assert_allclose(restoration.to_luma(black).numpy(), 16 / 255, atol=1e-6)


def test_crop_drops_the_border():
    x = _images(shape=(1, 16, 16, 3))
    y = x.copy()
    y[:, :2] = -x[:, :2]  # differ only in the top two rows
    assert np.isinf(restoration.psnr(y, x, crop=2)[0])
    assert np.isfinite(restoration.psnr(y, x)[0])


@pytest.mark.parametrize("kwargs, error, match", [
    ({"channel": "ycbcr"}, ValueError, "channel"),
    ({"crop": 8}, ValueError, "crop"),
])
def test_bad_arguments(kwargs, error, match):
    x = _images()
    with pytest.raises(error, match=match):
        restoration.psnr(x, x, **kwargs)


def test_bad_images():
    x = _images()
    with pytest.raises(ValueError, match="same shape"):
        restoration.psnr(x, x[:1])
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        restoration.psnr(x * 3, x)
    with pytest.raises(ValueError, match="batch of images"):
        restoration.psnr(x[0], x[0])
    with pytest.raises(TypeError, match="uint8"):
        restoration.psnr(x.astype("int32"), x.astype("int32"))
    with pytest.raises(ValueError, match="3 channels"):
        restoration.psnr(x[..., :1], x[..., :1], channel="y")
    with pytest.raises(ValueError, match="11x11"):
        restoration.ssim(x[:, :8, :8], x[:, :8, :8])
