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


class _CopyingModel:
    """A stand-in text-to-image model that returns a real digit of the named class."""

    def __init__(self):
        from tfgan.datasets.captions import DIGIT_WORDS

        data = captioned_mnist(num_examples=500, captions_per_image=1)
        self.examples = {d: data["images"][data["labels"] == d][0] for d in range(10)}
        self.names = {**{w: d for d, w in enumerate(DIGIT_WORDS)},
                      **{str(d): d for d in range(10)}}

    def generate(self, texts, seed=0):
        digits = [next(self.names[w] for w in t.replace(",", "").split() if w in self.names)
                  for t in texts]
        return np.stack([self.examples[d] for d in digits])[..., None] / 127.5 - 1.0


class _DigitMatcher:
    """A stand-in matcher: 1 when the caption names the digit the classifier sees."""

    name = "digit_matcher"

    def __init__(self, model):
        self.model, self.classifier = model, metrics.mnist_probabilities()

    def score(self, images, texts):
        seen = np.argmax(self.classifier(np.asarray(images)), axis=1)
        named = [next(self.model.names[w] for w in t.replace(",", "").split()
                      if w in self.model.names) for t in texts]
        return (seen == np.array(named)).astype("float64")


def test_evaluate_captioned_mnist_on_a_model_that_copies_real_digits():
    model = _CopyingModel()
    report = metrics.evaluate_captioned_mnist(model, num_images=100, num_mismatched=9,
                                              matcher=_DigitMatcher(model))
    assert report["digit_accuracy"] > 0.8
    assert set(report["digit_accuracy_per_digit"]) <= set(range(10))
    per_digit = list(report["digit_accuracy_per_digit"].values())
    assert min(per_digit) <= report["digit_accuracy"] <= max(per_digit)
    # A tie with a mismatched caption of the same digit is a miss: R-precision is about
    # 0.9^9 = 0.39 (no other caption of that digit among 9), well above the 10% chance.
    assert report["r_precision_chance"] == 0.1 and 0.25 < report["r_precision"] < 0.55
    assert report["protocol"]["scorer"] == "_DigitMatcher 'digit_matcher'"
