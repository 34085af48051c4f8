"""Exports a `TextToImageGAN`: a SavedModel taking caption strings, an ONNX model taking
token ids, the vocabulary that maps one to the other, and verified parity."""

import pathlib
import shutil
import tempfile

import numpy as np
import tensorflow as tf

from tfgan.export import runtime
from tfgan.export import signature as signature_lib
from tfgan.export.exporter import ONNX_OPSET
from tfgan.export.exporter import ExportParityError
from tfgan.export.exporter import _save_onnx
from tfgan.export.exporter import _save_saved_model
from tfgan.export.exporter import _versions
from tfgan.export.exporter import check_destination
from tfgan.export.exporter import seal_export
from tfgan.layers.text_vectorizer import tokenize

VOCABULARY_FILE = "vocabulary.txt"
TOKENS_ENDPOINT = "from_tokens"
TEXT_FORMATS = ("savedmodel", "onnx")


def _parity_feeds(model, batch_size, seed=0):
    """Captions (the model's sample captions, cycled), their tokens and fixed latents."""
    texts = [model.sample_captions[i % len(model.sample_captions)] for i in range(batch_size)]
    z = np.random.default_rng(seed).standard_normal((batch_size, model.latent_dim))
    return np.asarray(texts), tokenize(model.vectorizer, texts), z.astype("float32")


def verify_text_parity(model, directory, formats=TEXT_FORMATS, tolerance=1e-5):
    """Max abs difference of each exported entry point from the Keras generator.

    The SavedModel is called with strings (`serving_default`) and with token ids
    (`from_tokens`), the ONNX model with token ids, on batches of 1 and 7 captions.

    Returns:
        `{"savedmodel:text": d, "savedmodel:tokens": d, "onnx:tokens": d}` (the formats
        exported).

    Raises:
        ExportParityError: if a difference exceeds `tolerance`.
    """
    directory = pathlib.Path(directory)
    runs = {}
    if "savedmodel" in formats:
        module = tf.saved_model.load(str(directory / runtime.SAVED_MODEL_DIR))
        runs["savedmodel:text"] = lambda text, tokens, z: module.signatures[
            "serving_default"](text=tf.constant(text), z=z)["images"].numpy()
        runs["savedmodel:tokens"] = lambda text, tokens, z: module.signatures[
            TOKENS_ENDPOINT](tokens=tokens, z=z)["images"].numpy()
    if "onnx" in formats:
        import onnxruntime

        session = onnxruntime.InferenceSession(str(directory / runtime.ONNX_FILE),
                                               providers=["CPUExecutionProvider"])
        runs["onnx:tokens"] = lambda text, tokens, z: session.run(
            ["images"], {"tokens": tokens, "z": z})[0]
    report = {name: 0.0 for name in runs}
    for batch_size in (1, 7):
        text, tokens, z = _parity_feeds(model, batch_size)
        expected = np.asarray(model.sampling_generator([z, tokens], training=False))
        for name, run in runs.items():
            report[name] = max(report[name], float(np.max(np.abs(run(text, tokens, z)
                                                                  - expected))))
    bad = {name: d for name, d in report.items() if not d <= tolerance}
    if bad:
        raise ExportParityError(f"Exported text-to-image generator differs from the Keras "
                                f"model by more than {tolerance}: max abs differences {bad}")
    return report


def export_text_to_image(model, path, formats=TEXT_FORMATS, metrics=None, extra_metadata=None,
                         overwrite=False, tolerance=1e-5):
    """Exports a `TextToImageGAN`'s sampling generator (EMA when on) and verifies it.

    Writes `path/saved_model/` with signatures `serving_default` (`text` tf.string
    `(batch,)` and `z` → float32 images in [-1, 1]; the vectorizer runs inside the graph),
    `generate_uint8` (the same inputs → uint8 images) and `from_tokens` (`tokens` int32
    `(batch, max_length)` and `z`); `path/generator.onnx` (opset 17) taking `tokens` and
    `z`, since strings do not go through ONNX; `path/vocabulary.txt` (token id = line
    number; 0 is padding, 1 `[UNK]`) and `path/metadata.json`, which says how to tokenize
    (lower-case, strip punctuation, split on whitespace, pad or cut to `max_length`).
    Parity with the Keras generator is checked for every entry point before the folder
    is moved into place (`verify_text_parity`); `overwrite` follows
    `tfgan.export.export_generator`.

    Args:
        model: a `tfgan.TextToImageGAN`.
        path: the export directory.
        formats: any of `"savedmodel"`, `"onnx"`; default both.
        metrics: optional list of metric records for the metadata.
        extra_metadata: optional dict merged into the metadata.
        overwrite: replace an existing tfgan export at `path`.
        tolerance: parity tolerance (max abs difference).

    Returns:
        The metadata dict written to `metadata.json`.
    """
    formats = tuple(formats)
    if not formats or set(formats) - set(TEXT_FORMATS):
        raise ValueError(f"`formats` must be a non-empty subset of {TEXT_FORMATS}. "
                         f"Received: formats={formats}")
    if not hasattr(model, "text_generator"):
        raise TypeError(f"`model` must be a tfgan.TextToImageGAN. Received: model={model!r}")
    path = pathlib.Path(path)
    check_destination(path, overwrite)
    generator, text_generator = model.sampling_generator, model.text_generator
    tokens_signature = signature_lib.describe(generator)
    text_signature = signature_lib.describe(text_generator)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = pathlib.Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.tmp-"))
    try:
        staging.chmod(0o755)
        if "savedmodel" in formats:
            _save_saved_model(text_generator, text_signature, staging / runtime.SAVED_MODEL_DIR,
                              {TOKENS_ENDPOINT: (generator, tokens_signature)})
        if "onnx" in formats:
            _save_onnx(generator, tokens_signature, staging / runtime.ONNX_FILE)
        vocabulary = model.vectorizer.get_vocabulary()
        (staging / VOCABULARY_FILE).write_text("\n".join(vocabulary) + "\n")
        parity = verify_text_parity(model, staging, formats, tolerance)
        metadata = {
            "format_version": runtime.FORMAT_VERSION,
            "kind": signature_lib.TEXT,
            "inputs": {"savedmodel": text_signature.as_json()["inputs"],
                       "onnx": tokens_signature.as_json()["inputs"]},
            "image_shape": list(tokens_signature.image_shape),
            "latent_dim": model.latent_dim,
            "max_length": model.max_length,
            "vocabulary_file": VOCABULARY_FILE,
            "vocabulary_size": len(vocabulary),
            "tokenization": "lower-case, strip punctuation, split on whitespace, look each "
                            "word up in vocabulary.txt (line number = id, unknown words 1), "
                            "pad with 0 or cut to max_length",
            "value_range": list(runtime.VALUE_RANGE),
            "signatures": {"serving_default": "text + z -> float32 images in [-1, 1]",
                           "generate_uint8": "text + z -> uint8 images in [0, 255]",
                           TOKENS_ENDPOINT: "tokens + z -> float32 images in [-1, 1]"},
            "onnx_opset": ONNX_OPSET if "onnx" in formats else None,
            "versions": _versions(),
            "metrics": list(metrics or []),
            "parity_max_abs_difference": parity,
        }
        metadata = seal_export(staging, path, overwrite, metadata, extra_metadata)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return metadata
