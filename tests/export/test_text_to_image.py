"""Export of a TextToImageGAN: string SavedModel signature, ONNX on token ids, parity."""

import json
import sys
import pathlib

import numpy as np
import pytest
import tensorflow as tf

from tfgan.export import export_text_to_image

sys.path.insert(0, str(pathlib.Path(__file__).parents[1] / "models"))
from test_text_to_image import _model  # noqa: E402


# One worker runs the whole module under `pytest -n` (make test): its module fixture once.
pytestmark = pytest.mark.xdist_group("text_to_image_export")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    model = _model(size=16, stages=2, word_attention=True, ema_decay=0.9)
    path = tmp_path_factory.mktemp("export") / "t2i"
    return model, path, export_text_to_image(model, path)


def test_parity_of_every_entry_point(exported):
    model, path, metadata = exported
    parity = metadata["parity_max_abs_difference"]
    assert set(parity) == {"savedmodel:text", "savedmodel:tokens", "onnx:tokens"}
    assert max(parity.values()) <= 1e-5
    assert json.loads((path / "metadata.json").read_text())["max_length"] == model.max_length
    assert metadata["inputs"]["savedmodel"]["text"]["dtype"] == "string"
    assert metadata["inputs"]["onnx"]["tokens"]["dtype"] == "int32"


def test_saved_model_takes_strings_with_unseen_words(exported):
    model, path, _ = exported
    module = tf.saved_model.load(str(path / "saved_model"))
    texts = ["a thick seven", "a purple zebra"]
    z = model.sample_latents(2, seed=4)
    images = module.signatures["serving_default"](text=tf.constant(texts), z=z)["images"]
    np.testing.assert_allclose(images, model.generate(texts, latents=z), atol=1e-5)
    uint8 = module.signatures["generate_uint8"](text=tf.constant(texts), z=z)["images"]
    assert uint8.dtype == tf.uint8 and uint8.shape == (2, 16, 16, 1)


def test_onnx_with_tokens_from_the_exported_vocabulary(exported):
    import onnxruntime

    model, path, _ = exported
    vocabulary = (path / "vocabulary.txt").read_text().splitlines()
    assert vocabulary == model.vectorizer.get_vocabulary()
    ids = {word: i for i, word in enumerate(vocabulary)}
    tokens = np.zeros((1, model.max_length), "int32")
    for i, word in enumerate("a thick seven".split()):
        tokens[0, i] = ids.get(word, 1)
    session = onnxruntime.InferenceSession(str(path / "generator.onnx"),
                                           providers=["CPUExecutionProvider"])
    z = model.sample_latents(1, seed=1)
    images = session.run(["images"], {"tokens": tokens, "z": z})[0]
    np.testing.assert_allclose(images, model.generate(["a thick seven"], latents=z), atol=1e-5)


def test_export_refuses_to_overwrite_and_other_models(exported, tmp_path):
    model, path, _ = exported
    with pytest.raises(FileExistsError):
        export_text_to_image(model, path)
    with pytest.raises(TypeError, match="TextToImageGAN"):
        export_text_to_image(model.generator, tmp_path / "x")
    with pytest.raises(ValueError, match="formats"):
        export_text_to_image(model, tmp_path / "x", formats=("keras",))


def test_export_generator_points_to_the_text_exporter(exported, tmp_path):
    from tfgan.export import export_generator

    with pytest.raises(TypeError, match="export_text_to_image"):
        export_generator(exported[0], tmp_path / "y")
