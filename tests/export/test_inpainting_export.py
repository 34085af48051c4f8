"""Inpainting exports take `image` and `mask`, keep the known pixels and match Keras."""

import numpy as np
import pytest

import tfgan
from tfgan import export
from tfgan.architectures import inpainting_discriminator
from tfgan.architectures import inpainting_generator
from tfgan.datasets import masks as masks_lib
from tfgan.utils.seeds import stateless_seed

SHAPE = (16, 16, 3)


def _model():
    return tfgan.Inpainting(inpainting_generator(SHAPE, base_filters=4),
                            inpainting_discriminator(SHAPE, base_filters=4), seed=0)


def _feeds(n):
    images = np.random.default_rng(2).uniform(-1, 1, (n,) + SHAPE).astype("float32")
    strokes = masks_lib.FreeFormStrokes()
    masks = np.stack([strokes(SHAPE[:2], stateless_seed(1, i)).numpy() for i in range(n)])
    return images, masks


def test_export_signature_parity_and_exact_known_pixels(tmp_path):
    model = _model()
    model.compile(run_eagerly=True)
    metadata = export.export_generator(model, tmp_path / "inpaint",
                                       formats=("savedmodel", "onnx", "keras"))
    assert metadata["kind"] == "inpaint" and metadata["latent_dim"] is None
    assert metadata["inputs"] == {"image": {"shape": [None, 16, 16, 3], "dtype": "float32"},
                                  "mask": {"shape": [None, 16, 16, 1], "dtype": "float32"}}
    assert max(metadata["parity_max_abs_difference"].values()) <= 1e-5
    assert metadata["monitor"]["reference_file"] is None
    for n in (1, 5):
        images, masks = _feeds(n)
        expected = model.inpaint(images, masks)
        known = masks[..., 0] < 0.5
        for backend in ("savedmodel", "onnx", "keras"):
            loaded = export.load_generator(tmp_path / "inpaint", backend=backend)
            assert loaded.kind == "inpaint"
            completed = loaded(image=images, mask=masks)
            np.testing.assert_allclose(completed, expected, atol=1e-5)
            np.testing.assert_array_equal(completed[known], images[known])


def test_an_inpainting_export_needs_both_inputs(tmp_path):
    export.export_generator(_model(), tmp_path / "inpaint", formats=("onnx",))
    loaded = export.load_generator(tmp_path / "inpaint")
    with pytest.raises(ValueError, match=r"Expected inputs \['image', 'mask'\]"):
        loaded(image=_feeds(1)[0])
