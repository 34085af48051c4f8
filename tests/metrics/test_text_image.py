"""R-precision, caption candidates, digit accuracy and attribute agreement."""

import numpy as np
import pytest

from tfgan import metrics
from tfgan.datasets import captioned_mnist


def test_r_precision_counts_rows_whose_true_caption_wins():
    scores = np.array([[3.0, 1.0, 2.0], [1.0, 2.0, 0.0], [2.0, 2.0, 1.0], [5.0, -1.0, 4.9]])
    assert metrics.r_precision(scores) == 0.5  # rows 0 and 3; a tie (row 2) is a miss
    with pytest.raises(ValueError, match=r"\(n, 1 \+ k\)"):
        metrics.r_precision(np.ones((3, 1)))


def test_caption_candidates_put_the_true_caption_first_and_never_repeat_it():
    pool = ["a one", "a two", "a three", "a four"]
    candidates = metrics.caption_candidates(["a one", "a two"], pool, num_mismatched=99)
    assert candidates.shape == (2, 100)
    assert list(candidates[:, 0]) == ["a one", "a two"]
    assert "a one" not in candidates[0, 1:] and "a two" not in candidates[1, 1:]
    assert set(candidates[0, 1:]) == {"a two", "a three", "a four"}
    with pytest.raises(ValueError, match="nothing to mismatch"):
        metrics.caption_candidates(["a one"], ["a one"])


def test_text_image_r_precision_of_an_oracle_and_a_constant_scorer():
    images = np.arange(4, dtype="float32")[:, None, None, None] * np.ones((4, 2, 2, 1))
    truth = ["w0", "w1", "w2", "w3"]
    candidates = metrics.caption_candidates(truth, truth + ["w4", "w5"], num_mismatched=9)

    def oracle(batch, texts):  # knows which caption belongs to which image (its value)
        assert len(batch) == len(texts)
        return np.array([1.0 if t == truth[int(image[0, 0, 0])] else 0.0
                         for image, t in zip(batch, texts)])

    result = metrics.text_image_r_precision(oracle, images, candidates)
    assert result == {"r_precision": 1.0, "chance": 0.1, "num_images": 4}
    constant = metrics.text_image_r_precision(lambda b, t: np.zeros(len(t)), images,
                                              candidates)
    assert constant["r_precision"] == 0.0


def test_digit_accuracy_and_attribute_agreement_on_real_digits():
    data = captioned_mnist(num_examples=300, captions_per_image=1, seed=0)
    images = data["images"][..., None].astype("float32") / 127.5 - 1
    assert metrics.digit_accuracy(images, data["labels"]) > 0.95
    assert metrics.digit_accuracy(images, (data["labels"] + 1) % 10) < 0.05
    requests = [r[0] for r in data["requests"]]
    report = metrics.attribute_agreement(images, requests)
    shuffled = metrics.attribute_agreement(
        images, list(np.random.default_rng(0).permutation(requests)))
    for name in ("thickness", "slant", "size"):
        assert report[name]["agreement"] == 1.0 and report[name]["count"] > 50
        assert shuffled[name]["agreement"] < 0.7
    nothing = metrics.attribute_agreement(images[:1], [{"thickness": None}])
    assert nothing["thickness"] == {"agreement": None, "count": 0}
