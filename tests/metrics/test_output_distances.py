"""FID/KID of restored images against their ground truth, alone and in the SR and
inpainting reports."""

import keras
import numpy as np
import pytest

from tfgan import metrics
from tfgan.metrics import inpainting


def _extractor():
    """A small stand-in for a trained feature network: per-image colour moments."""
    def moments(images):
        x = keras.ops.convert_to_numpy(images).reshape(len(images), -1, images.shape[-1])
        return np.concatenate([x.mean(axis=1), x.std(axis=1)], axis=1)

    return metrics.FeatureExtractor(moments, name="moments")


def _images(n=40, size=8):
    return np.random.default_rng(0).uniform(-1, 1, (n, size, size, 3)).astype("float32")


def test_identical_outputs_are_at_zero_and_a_blur_is_farther_than_noise():
    truth = _images()
    blurred = np.broadcast_to(truth.mean(axis=(1, 2), keepdims=True), truth.shape)
    noisy = np.clip(truth + np.random.default_rng(1).normal(0, 0.05, truth.shape), -1, 1)
    report = metrics.output_distances({"same": truth, "noisy": noisy, "blur": blurred}, truth,
                                      _extractor(), batch_size=16)
    results = report["results"]
    assert report["extractor"] == "moments" and report["images"] == 40
    # KID is unbiased, so a set against itself scatters around 0 rather than sitting on it.
    assert results["same"]["fid"] < 1e-6
    assert abs(results["same"]["kid_x1e3"]) < 0.1 * results["blur"]["kid_x1e3"]
    assert results["blur"]["fid"] > 10 * results["noisy"]["fid"]
    assert results["blur"]["kid_x1e3"] > results["noisy"]["kid_x1e3"]
    with pytest.raises(ValueError, match="ground truth's shape"):
        metrics.output_distances({"cropped": truth[:, :4]}, truth, _extractor())
    with pytest.raises(ValueError, match="at least 2 images"):
        metrics.output_distances({"one": truth[:1]}, truth[:1], _extractor())


def test_super_resolution_and_inpainting_reports_add_them_with_an_extractor():
    high = _images(size=16)
    low = high[:, ::2, ::2]
    report = metrics.evaluate_super_resolution(low, high, {"oracle": lambda batch: high},
                                               batch_size=len(low), extractor=_extractor())
    assert report["protocol"]["extractor"] == "moments"
    assert report["results"]["oracle"]["fid"] < 1e-6
    assert report["results"]["bicubic"]["fid"] > report["results"]["oracle"]["fid"]
    assert "fid" not in metrics.evaluate_super_resolution(low, high)["results"]["bicubic"]
    masks = np.zeros(high.shape[:-1] + (1,), "float32")
    masks[:, 4:12, 4:12] = 1.0
    holes = inpainting.compare_on_holes(high, masks, {"mean_fill": inpainting.mean_fill,
                                                      "oracle": lambda x, m: x},
                                        extractor=_extractor())
    assert holes["oracle"]["fid"] < 1e-6 < holes["mean_fill"]["fid"]
    assert set(holes["mean_fill"]) == {"psnr", "ssim", "fid", "kid_x1e3"}
