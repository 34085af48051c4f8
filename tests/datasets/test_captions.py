"""Captioned MNIST: attributes measured on drawn strokes, captions, and caption pipelines."""

import json

import numpy as np
import pytest
from PIL import Image

from tfgan.datasets import captions
from tfgan.datasets import captioned_images
from tfgan.datasets import captioned_mnist
from tfgan.datasets import captioned_mnist_dataset
from tfgan.datasets.images import load_embedded_mnist


def _stroke(angle, thickness, length=16, size=28):
    """A uint8 bar of known thickness, its top leaning `angle` degrees right (anti-aliased
    over one pixel), centred in a `size`x`size` image."""
    rows, cols = np.mgrid[0:size, 0:size].astype("float64")
    direction = np.array([np.sin(np.radians(angle)), np.cos(np.radians(angle))])
    x, y = cols - size / 2 + 0.5, -(rows - size / 2 + 0.5)
    t = np.clip(x * direction[0] + y * direction[1], -length / 2, length / 2)
    distance = np.hypot(x - t * direction[0], y - t * direction[1])
    return (np.clip(thickness / 2 - distance + 0.5, 0, 1) * 255).astype("uint8")


@pytest.mark.parametrize("thickness", [1.5, 2.0, 3.0, 4.0])
def test_thickness_of_upright_strokes(thickness):
    measured = captions.stroke_thickness(_stroke(0, thickness)[None])[0]
    assert abs(measured - thickness) < 0.15 * thickness


def test_thickness_orders_slanted_strokes_and_reads_both_ranges():
    for angle in (-15, 10, 20):
        strokes = np.stack([_stroke(angle, t) for t in (1.5, 2.5, 3.5, 4.5)])
        measured = captions.stroke_thickness(strokes)
        assert np.all(np.diff(measured) > 0.3), (angle, measured)
        assert np.all(np.abs(measured - [1.5, 2.5, 3.5, 4.5]) < 0.35 * np.array(
            [1.5, 2.5, 3.5, 4.5]))
    stroke = _stroke(0, 3.0)[None]
    np.testing.assert_allclose(captions.stroke_thickness(stroke.astype("float32") / 127.5 - 1),
                               captions.stroke_thickness(stroke), rtol=1e-5)


@pytest.mark.parametrize("angle", [-20, -8, 0, 12, 25])
def test_slant_of_drawn_strokes(angle):
    for thickness in (1.5, 3.5):
        assert abs(captions.slant(_stroke(angle, thickness)[None])[0] - angle) < 1.5


def test_size_is_the_bounding_box_fraction():
    image = np.zeros((1, 28, 28), "uint8")
    image[0, 4:24, 10:17] = 255
    np.testing.assert_allclose(captions.size(image), [20 * 7 / 784])
    assert captions.size(np.zeros((1, 28, 28), "uint8"))[0] == 0
    assert captions.stroke_thickness(np.zeros((1, 28, 28), "uint8"))[0] == 0


def test_measures_refuse_colour_images():
    with pytest.raises(ValueError, match="grayscale"):
        captions.slant(np.zeros((1, 8, 8, 3), "float32"))


def test_thresholds_are_the_tertiles_of_embedded_mnist():
    images, _ = load_embedded_mnist()
    measures = captions.measure_attributes(images)
    for name, (low, high) in captions.THRESHOLDS.items():
        tertiles = np.quantile(measures[name], [1 / 3, 2 / 3])
        scale = np.std(measures[name])
        np.testing.assert_allclose(tertiles, [low, high], atol=0.01 * scale)


def test_captions_name_the_digit_and_the_measured_levels():
    data = captioned_mnist(num_examples=200, captions_per_image=3, seed=1)
    assert data["images"].shape == (200, 28, 28) and len(data["captions"]) == 200
    for i in range(200):
        label = int(data["labels"][i])
        for text, request in zip(data["captions"][i], data["requests"][i]):
            words = text.replace(",", "").replace(":", "").split()
            assert captions.DIGIT_WORDS[label] in words or str(label) in words
            for name, level in request.items():
                if level is not None:
                    assert level == data["levels"][name][i]
                    assert any(w in text for w in captions._WORDS[name][level])
    asked = [r["slant"] for rs in data["requests"] for r in rs]
    assert {"left", "upright", "right", None} == set(asked)


def test_held_out_phrasings_are_new_sentence_shapes_on_the_same_digits():
    train = captioned_mnist("train", num_examples=100, seed=0)
    held_out = captioned_mnist("held_out", num_examples=100, seed=0)
    np.testing.assert_array_equal(train["labels"], held_out["labels"])
    train_texts = {t for ts in train["captions"] for t in ts}
    held_texts = {t for ts in held_out["captions"] for t in ts}
    assert not train_texts & held_texts
    assert all("image of" in t or "handwritten" in t for t in held_texts)
    assert not any("image of" in t or "handwritten" in t for t in train_texts)
    with pytest.raises(ValueError, match="phrasings"):
        captioned_mnist("test", num_examples=2)


def test_pipeline_draws_each_images_captions_afresh():
    data = captioned_mnist(num_examples=16, captions_per_image=5, seed=3)
    dataset = captioned_mnist_dataset(batch_size=16, num_examples=16, shuffle=False, seed=3)
    epochs = [next(iter(dataset)) for _ in range(2)]
    images, texts = epochs[0]
    assert images.shape == (16, 28, 28, 1) and float(images.numpy().min()) >= -1.0
    np.testing.assert_allclose(images.numpy()[..., 0], data["images"] / 127.5 - 1, atol=1e-6)
    drawn = [[t.decode() for t in batch[1].numpy()] for batch in epochs]
    for i in range(16):
        assert drawn[0][i] in data["captions"][i] and drawn[1][i] in data["captions"][i]
    assert drawn[0] != drawn[1]


def _write_images(folder, names):
    for i, name in enumerate(names):
        Image.fromarray(np.full((6, 6, 3), 40 * i, "uint8")).save(folder / name)


def test_captioned_images_reads_captions_jsonl(tmp_path):
    _write_images(tmp_path, ["a.png", "b.png"])
    lines = [{"image": "a.png", "captions": ["dark square", "black tile"]},
             {"image": "b.png", "captions": "grey square"}]
    (tmp_path / "captions.jsonl").write_text("\n".join(json.dumps(l) for l in lines))
    images, texts = next(iter(captioned_images(tmp_path, 4, batch_size=2, shuffle=False)))
    assert images.shape == (2, 4, 4, 3)
    assert texts.numpy()[0].decode() in ("dark square", "black tile")
    assert texts.numpy()[1].decode() == "grey square"


def test_captioned_images_reads_a_text_file_per_image(tmp_path):
    _write_images(tmp_path, ["a.png", "b.png"])
    (tmp_path / "a.txt").write_text("one\n\ntwo\n")
    (tmp_path / "b.txt").write_text("three\n")
    texts = next(iter(captioned_images(tmp_path, 4, batch_size=2, shuffle=False)))[1]
    assert texts.numpy()[0].decode() in ("one", "two") and texts.numpy()[1] == b"three"


def test_captioned_images_names_the_image_without_captions(tmp_path):
    _write_images(tmp_path, ["a.png", "b.png"])
    (tmp_path / "a.txt").write_text("one\n")
    with pytest.raises(FileNotFoundError, match="b.txt"):
        captioned_images(tmp_path, 4, batch_size=2)
    (tmp_path / "captions.jsonl").write_text(json.dumps({"image": "a.png", "captions": ["x"]}))
    with pytest.raises(ValueError, match="b.png"):
        captioned_images(tmp_path, 4, batch_size=2)
