"""Exports a generator as a SavedModel and an ONNX model, with metadata and verified parity."""

import datetime
import hashlib
import json
import os
import pathlib
import shutil
import tempfile

import keras
import numpy as np
import tensorflow as tf

from tfgan.export import runtime
from tfgan.export import signature as signature_lib

FORMATS = ("savedmodel", "onnx")
ONNX_OPSET = 17
PARITY_BATCH_SIZES = (1, 7)


class ExportParityError(RuntimeError):
    """An exported artifact's outputs differ from the Keras generator's."""


def _generator_of(model):
    """The network to export: a GAN's sampling generator (EMA when on) or the model itself."""
    return getattr(model, "sampling_generator", model)


def _save_saved_model(generator, signature, directory):
    archive = keras.export.ExportArchive()
    archive.track(generator)
    for name, function in signature_lib.serving_functions(generator, signature).items():
        archive.add_endpoint(name, function, input_signature=list(signature.input_specs))
    archive.write_out(str(directory), verbose=False)


def _save_onnx(generator, signature, file):
    import tf2onnx

    function = tf.function(signature_lib.serving_functions(generator, signature)[
        "serving_default"])
    tf2onnx.convert.from_function(function, input_signature=list(signature.input_specs),
                                  opset=ONNX_OPSET, output_path=str(file))


def parity_inputs(signature, batch_size, num_classes=None, seed=0):
    """Fixed named inputs for parity checks: normal latents, cycling labels, images in [-1, 1]."""
    rng = np.random.default_rng(seed)
    feeds = {}
    for spec in signature.input_specs:
        shape = (batch_size, *spec.shape[1:])
        if spec.name == "z":
            feeds["z"] = rng.standard_normal(shape).astype("float32")
        elif spec.name == "label":
            feeds["label"] = (np.arange(np.prod(shape)) % (num_classes or 1)).reshape(
                shape).astype("int32")
        else:
            feeds["image"] = rng.uniform(-1, 1, shape).astype("float32")
    return feeds


def verify_parity(generator, directory, signature, num_classes=None, tolerance=1e-5,
                  formats=FORMATS):
    """Compares each exported artifact with the Keras generator on fixed inputs.

    Args:
        generator: the Keras generator.
        directory: the export directory.
        signature: its `GeneratorSignature`.
        num_classes: label range for conditional generators.
        tolerance: the largest allowed absolute difference.
        formats: the formats to check.

    Returns:
        `{format: max_abs_difference}` over batch sizes 1 and 7.

    Raises:
        ExportParityError: if a difference exceeds `tolerance`.
    """
    function = signature_lib.serving_functions(generator, signature)["serving_default"]
    loaded = {fmt: runtime.ExportedGenerator(directory, backend=fmt) for fmt in formats}
    report = {fmt: 0.0 for fmt in formats}
    for batch_size in PARITY_BATCH_SIZES:
        feeds = parity_inputs(signature, batch_size, num_classes)
        expected = function(**feeds)["images"].numpy()
        for fmt, exported in loaded.items():
            difference = float(np.max(np.abs(exported(**feeds) - expected)))
            report[fmt] = max(report[fmt], difference)
    bad = {fmt: d for fmt, d in report.items() if not d <= tolerance}
    if bad:
        raise ExportParityError(
            f"Exported generator differs from the Keras model by more than {tolerance}: "
            f"max abs differences {bad}")
    return report


def _hash_files(directory):
    hashes = {}
    for path in sorted(p for p in pathlib.Path(directory).rglob("*") if p.is_file()):
        hashes[path.relative_to(directory).as_posix()] = hashlib.sha256(
            path.read_bytes()).hexdigest()
    content = hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest()
    return hashes, content


def _training_config(model):
    if not hasattr(model, "get_compile_config") or model is _generator_of(model):
        return None
    compile_config = model.get_compile_config() or {}
    summary = {key: compile_config[key] for key in ("d_steps",) if key in compile_config}
    for key in ("g_loss", "d_loss", "g_optimizer", "d_optimizer"):
        if key in compile_config:
            summary[key] = compile_config[key]["class_name"]
            config = compile_config[key].get("config", {})
            if "learning_rate" in config:
                summary[key + "_learning_rate"] = config["learning_rate"]
    summary["seed"] = getattr(model, "seed", None)
    summary["steps"] = int(model.step) if hasattr(model, "step") else None
    return json.loads(json.dumps(summary, default=float))


def export_generator(model, path, formats=FORMATS, num_classes=None, class_names=None,
                     metrics=None, extra_metadata=None, overwrite=False, tolerance=1e-5):
    """Exports a generator for serving and verifies it.

    Writes `path/saved_model/` (signatures `serving_default`: float images in [-1, 1], and
    `generate_uint8`: uint8 images), `path/generator.onnx` (opset 17, the same input and
    output names) and `path/metadata.json`. The directory is built in a temporary folder
    beside `path` and moved into place only once parity holds, so a failed export leaves
    nothing behind.

    Args:
        model: a `tfgan.GAN` (its `sampling_generator`, the EMA copy when there is one, is
            exported) or a functional generator.
        path: the export directory.
        formats: any of `"savedmodel"`, `"onnx"`.
        num_classes: number of labels of a conditional generator (read from
            `model.num_classes` when present).
        class_names: optional names of the classes.
        metrics: optional list of metric records (each with its protocol) for the
            metadata.
        extra_metadata: optional dict merged into the metadata.
        overwrite: replace an existing `path`.
        tolerance: parity tolerance (max abs difference, Keras vs each artifact).

    Returns:
        The metadata dict written to `metadata.json`.
    """
    formats = tuple(formats)
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown or not formats:
        raise ValueError(f"`formats` must be a non-empty subset of {FORMATS}. "
                         f"Received: formats={formats}")
    path = pathlib.Path(path)
    if path.exists() and not overwrite:
        raise FileExistsError(f"{str(path)!r} exists; pass overwrite=True to replace it.")
    generator = _generator_of(model)
    signature = signature_lib.describe(generator)
    num_classes = num_classes or getattr(model, "num_classes", None)
    if signature.kind == signature_lib.CONDITIONAL and not num_classes:
        raise ValueError("A conditional generator needs `num_classes` for label validation. "
                         "Received: num_classes=None")
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = pathlib.Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.tmp-"))
    try:
        staging.chmod(0o755)
        if "savedmodel" in formats:
            _save_saved_model(generator, signature, staging / runtime.SAVED_MODEL_DIR)
        if "onnx" in formats:
            _save_onnx(generator, signature, staging / runtime.ONNX_FILE)
        (staging / runtime.METADATA_FILE).write_text(json.dumps(
            {"num_classes": num_classes}))
        parity = verify_parity(generator, staging, signature, num_classes, tolerance, formats)
        os.remove(staging / runtime.METADATA_FILE)
        files, content_hash = _hash_files(staging)
        metadata = {
            "format_version": 1,
            **signature.as_json(),
            "latent_dim": signature.latent_dim,
            "value_range": [-1.0, 1.0],
            "num_classes": num_classes,
            "class_names": list(class_names) if class_names is not None else None,
            "signatures": {"serving_default": "float32 images in [-1, 1]",
                           "generate_uint8": "uint8 images in [0, 255]"},
            "onnx_opset": ONNX_OPSET if "onnx" in formats else None,
            "versions": _versions(),
            "training": _training_config(model),
            "metrics": list(metrics or []),
            "parity_max_abs_difference": parity,
            "files": files,
            "content_hash": content_hash,
            "created": datetime.datetime.now(datetime.timezone.utc).isoformat(
                timespec="seconds"),
            **(extra_metadata or {}),
        }
        (staging / runtime.METADATA_FILE).write_text(json.dumps(metadata, indent=2) + "\n")
        if path.exists():
            shutil.rmtree(path)
        os.replace(staging, path)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return metadata


def _versions():
    import tfgan

    versions = {"tfgan": tfgan.__version__, "tensorflow": tf.__version__,
                "keras": keras.__version__}
    try:
        import tf2onnx

        versions["tf2onnx"] = tf2onnx.__version__
    except ImportError:
        pass
    return versions
