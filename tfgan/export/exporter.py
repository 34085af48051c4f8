"""Exports a generator as a SavedModel and an ONNX model, with metadata and verified parity."""

import datetime
import json
import os
import pathlib
import shutil
import tempfile

import keras
import numpy as np
import tensorflow as tf

from tfgan.export import monitor as monitor_lib
from tfgan.export import runtime
from tfgan.export import signature as signature_lib
from tfgan.utils.io import replace_directory

FORMATS = ("savedmodel", "onnx", "keras")
DEFAULT_FORMATS = ("savedmodel", "onnx")
ONNX_OPSET = 17
PARITY_BATCH_SIZES = (1, 7)
# Height and width fed, with the batch size of the same position, to generators whose
# inputs take any size (super-resolution): two shapes, non-square, multiples of 16.
PARITY_IMAGE_SIZES = ((16, 32), (32, 48))


class ExportParityError(RuntimeError):
    """An exported artifact's outputs differ from the Keras generator's."""


def _generator_of(model):
    """The network to export: a model's `serving_generator` when it has one (StyleGAN:
    `z` and `truncation_psi`; Inpainting: `image` and `mask`), else a GAN's sampling
    generator (EMA when on), else the model itself."""
    serving = getattr(model, "serving_generator", None)
    return serving if serving is not None else getattr(model, "sampling_generator", model)


def _extra_endpoints(model):
    """`{name: (network, signature)}` of the extra SavedModel signatures a model offers
    in `serving_endpoints` (StyleGAN: `"mix"`); each answers float images."""
    endpoints = getattr(model, "serving_endpoints", None) or {}
    clashes = sorted(set(endpoints) & {"serving_default", "generate_uint8"})
    if clashes:
        raise ValueError(f"`serving_endpoints` may not replace the standard signatures. "
                         f"Received: endpoints={clashes}")
    return {name: (network, signature_lib.describe(network))
            for name, network in endpoints.items()}


def _save_saved_model(generator, signature, directory, extra=None):
    archive = keras.export.ExportArchive()
    archive.track(generator)
    for name, function in signature_lib.serving_functions(generator, signature).items():
        archive.add_endpoint(name, function, input_signature=list(signature.input_specs))
    for name, (network, network_signature) in (extra or {}).items():
        archive.track(network)
        function = signature_lib.serving_functions(network, network_signature)[
            "serving_default"]
        archive.add_endpoint(name, function,
                             input_signature=list(network_signature.input_specs))
    archive.write_out(str(directory), verbose=False)


def _save_onnx(generator, signature, file):
    import tf2onnx

    function = tf.function(signature_lib.serving_functions(generator, signature)[
        "serving_default"])
    tf2onnx.convert.from_function(function, input_signature=list(signature.input_specs),
                                  opset=ONNX_OPSET, output_path=str(file))


def parity_inputs(signature, batch_size, num_classes=None, seed=0, image_size=(16, 32)):
    """Fixed named inputs for parity checks: normal latents (`z`, `z_mix`), cycling labels,
    images in [-1, 1], truncation ψ in [0, 1], crossover layers in [0, 16) and binary
    inpainting masks.

    Dimensions an input leaves free besides the batch (an image's height and width) are
    `image_size`."""
    rng = np.random.default_rng(seed)
    feeds = {}
    for spec in signature.input_specs:
        free = iter(image_size)
        shape = (batch_size, *(next(free) if d is None else d for d in spec.shape[1:]))
        if spec.name in ("z", "z_mix"):
            feeds[spec.name] = rng.standard_normal(shape).astype("float32")
        elif spec.name == "label":
            feeds["label"] = (np.arange(np.prod(shape)) % (num_classes or 1)).reshape(
                shape).astype("int32")
        elif spec.name == "truncation_psi":
            feeds[spec.name] = rng.uniform(0, 1, shape).astype("float32")
        elif spec.name == "crossover":
            feeds[spec.name] = rng.integers(0, 16, shape).astype("int32")
        elif spec.name == "mask":
            feeds[spec.name] = rng.integers(0, 2, shape).astype("float32")
        else:
            feeds["image"] = rng.uniform(-1, 1, shape).astype("float32")
    return feeds


def _extra_parity(directory, extra, tolerance):
    """Max abs difference of each extra SavedModel signature from its Keras network."""
    if not extra:
        return {}
    module = tf.saved_model.load(str(pathlib.Path(directory) / runtime.SAVED_MODEL_DIR))
    report = {}
    for name, (network, signature) in extra.items():
        function = signature_lib.serving_functions(network, signature)["serving_default"]
        report[name] = 0.0
        for batch_size, size in zip(PARITY_BATCH_SIZES, PARITY_IMAGE_SIZES):
            feeds = parity_inputs(signature, batch_size, image_size=size)
            expected = function(**feeds)["images"].numpy()
            found = module.signatures[name](**feeds)["images"].numpy()
            report[name] = max(report[name], float(np.max(np.abs(found - expected))))
    bad = {name: d for name, d in report.items() if not d <= tolerance}
    if bad:
        raise ExportParityError(
            f"Exported signatures differ from the Keras model by more than {tolerance}: "
            f"max abs differences {bad}")
    return {f"savedmodel:{name}": d for name, d in report.items()}


def verify_parity(generator, directory, signature, num_classes=None, tolerance=1e-5,
                  formats=DEFAULT_FORMATS):
    """Compares each exported artifact with the Keras generator on fixed inputs.

    Args:
        generator: the Keras generator.
        directory: the export directory.
        signature: its `GeneratorSignature`.
        num_classes: label range for conditional generators.
        tolerance: the largest allowed absolute difference.
        formats: the formats to check.

    Returns:
        `{format: max_abs_difference}` over batch sizes 1 and 7 (generators taking images
        of any size: at 16x32 and 32x48, `PARITY_IMAGE_SIZES`).

    Raises:
        ExportParityError: if a difference exceeds `tolerance`.
    """
    function = signature_lib.serving_functions(generator, signature)["serving_default"]
    loaded = {fmt: runtime.ExportedGenerator(directory, backend=fmt) for fmt in formats}
    report = {fmt: 0.0 for fmt in formats}
    for batch_size, size in zip(PARITY_BATCH_SIZES, PARITY_IMAGE_SIZES):
        feeds = parity_inputs(signature, batch_size, num_classes, image_size=size)
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
    hashes = {path.relative_to(directory).as_posix(): runtime.file_hash(path)
              for path in sorted(p for p in pathlib.Path(directory).rglob("*") if p.is_file())}
    return hashes, runtime.content_hash(hashes)


def seal_export(staging, path, overwrite, metadata, extra_metadata=None):
    """Completes an export built in `staging` and moves it to `path`.

    Adds the hashes of every file (`files`, `content_hash`), the creation time and
    `extra_metadata` to `metadata`, writes it as `metadata.json`, checks `path` again (the
    export took a while) and swaps the folder in (`tfgan.utils.io.replace_directory`).

    Returns:
        The metadata written.
    """
    files, content_hash = _hash_files(staging)
    metadata = {**metadata, "files": files, "content_hash": content_hash,
                "created": datetime.datetime.now(datetime.timezone.utc).isoformat(
                    timespec="seconds"),
                **(extra_metadata or {})}
    (pathlib.Path(staging) / runtime.METADATA_FILE).write_text(
        json.dumps(metadata, indent=2) + "\n")
    check_destination(path, overwrite)
    replace_directory(staging, path)
    return metadata


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


def _not_replaceable(path):
    """Why the existing `path` is not a tfgan export that may be replaced, or `None`."""
    if not path.is_dir():
        return "it is a file"
    present = {p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()}
    if not present:
        return None
    try:
        metadata = json.loads((path / runtime.METADATA_FILE).read_text())
    except FileNotFoundError:
        return f"it has no {runtime.METADATA_FILE}"
    except (OSError, ValueError) as error:
        return f"its {runtime.METADATA_FILE} cannot be read ({error})"
    if not isinstance(metadata, dict) or metadata.get("format_version") != runtime.FORMAT_VERSION:
        return (f"its {runtime.METADATA_FILE} has no tfgan format_version "
                f"{runtime.FORMAT_VERSION}")
    foreign = sorted(present - set(metadata.get("files") or {}) - {runtime.METADATA_FILE})
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3
                                          else "")
        return f"it holds files the export did not write: {shown}"
    return None


def check_destination(path, overwrite=False):
    """Refuses an export `path` whose contents exporting would destroy.

    A new `path` is fine. An existing one needs `overwrite=True` and must be a folder that
    holds a tfgan export (its `metadata.json` has tfgan's `format_version` and lists every
    file in it) or nothing at all: a run directory, an unrelated folder or a file is never
    replaced.

    Args:
        path: the export directory.
        overwrite: whether an existing export may be replaced.

    Raises:
        FileExistsError: naming `path` and why it may not be written.
    """
    path = pathlib.Path(path)
    if not path.exists():
        return
    if not overwrite:
        raise FileExistsError(f"`path` exists; pass overwrite=True to replace an export "
                              f"there. Received: path={str(path)!r}")
    reason = _not_replaceable(path)
    if reason:
        raise FileExistsError(
            f"`path` must be a new folder or a tfgan export (a {runtime.METADATA_FILE} with "
            f"format_version {runtime.FORMAT_VERSION} listing every file) to be replaced, "
            f"but {reason}; nothing was changed. Received: path={str(path)!r}")


def _monitor_block(generator, signature, directory, num_classes, num_samples, extractor,
                   classifier, inputs):
    """Writes the monitoring reference into `directory`; returns the metadata block."""
    if num_samples is None:
        return {"reference_file": None, "reason": "disabled (monitor_samples=None)"}
    if signature.kind == signature_lib.INPAINT:
        return {"reference_file": None,
                "reason": "inpainting exports record no monitoring reference"}
    if signature.kind == signature_lib.IMAGE and inputs is None:
        return {"reference_file": None,
                "reason": "an image-to-image export needs monitor_inputs= (images to "
                          "translate) for a reference"}
    function = tf.function(signature_lib.serving_functions(generator, signature)[
        "serving_default"], reduce_retracing=True)
    return monitor_lib.write_reference(
        lambda **feeds: function(**feeds)["images"].numpy(), signature.kind, directory,
        signature.image_shape, signature.latent_dim, num_classes, num_samples, extractor,
        classifier, inputs)


def export_generator(model, path, formats=DEFAULT_FORMATS, num_classes=None, class_names=None,
                     metrics=None, extra_metadata=None, overwrite=False, tolerance=1e-5,
                     monitor_samples=monitor_lib.DEFAULT_NUM_SAMPLES, monitor_extractor=None,
                     monitor_classifier=None, monitor_inputs=None):
    """Exports a generator for serving and verifies it.

    Writes `path/saved_model/` (signatures `serving_default`: float images in [-1, 1], and
    `generate_uint8`: uint8 images, plus the model's `serving_endpoints`, e.g. StyleGAN's
    `mix`, each checked for parity too), `path/generator.onnx` (opset 17, the same input and
    output names), on request `path/generator.keras` (the Keras generator itself), and
    `path/metadata.json`, and a monitoring reference (`path/monitor_reference.npz` and
    the `monitor` block of the metadata: statistics of `monitor_samples` fixed-seed
    samples for `tfgan monitor`; see `tfgan.export.monitor`). The directory is built in a
    temporary folder beside `path` and moved into place only once parity holds, so a failed
    export leaves nothing behind. With `overwrite=True` an existing export at `path` is swapped out
    (renamed aside, the new one renamed in, then the old one removed); anything else at
    `path` (a run directory, another folder, a file) is refused and left untouched.

    Args:
        model: a `tfgan.GAN` (its `sampling_generator`, the EMA copy when there is one, is
            exported; a `StyleGAN` exports its `serving_generator`, taking `z` and
            `truncation_psi`; an `Inpainting` model exports its `serving_generator`,
            taking `image` and `mask` and returning the completed image) or a functional
            generator.
        path: the export directory.
        formats: any of `"savedmodel"`, `"onnx"`, `"keras"`; default the first two.
        num_classes: number of labels of a conditional generator (read from
            `model.num_classes` when present).
        class_names: optional names of the classes.
        metrics: optional list of metric records (each with its protocol) for the
            metadata.
        extra_metadata: optional dict merged into the metadata.
        overwrite: replace an existing tfgan export at `path` (only a folder whose
            `metadata.json` lists every file in it, or an empty folder).
        tolerance: parity tolerance (max abs difference, Keras vs each artifact).
        monitor_samples: images in the monitoring reference (and again in its
            self-check). Default 2,000; `None` records no reference.
        monitor_extractor: feature extractor of the reference (anything
            `tfgan.metrics.get_extractor` takes). `None`: the shipped MNIST classifier's
            features for 28x28x1 images, otherwise the weight-free `pixels-HxW`
            (area-averaged pixels, at most 16x16); the choice is named in the metadata.
        monitor_classifier: class-probability extractor for the class histogram. `None`:
            the MNIST classifier with the default extractor on 28x28x1 images, else none.
        monitor_inputs: for image-to-image generators, input images in [-1, 1] whose
            translations make the reference (first half) and its self-check (second
            half); without them the export records no reference.

    Returns:
        The metadata dict written to `metadata.json`.

    Raises:
        FileExistsError: if `path` exists and is not an export `overwrite=True` may replace.
    """
    formats = tuple(formats)
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown or not formats:
        raise ValueError(f"`formats` must be a non-empty subset of {FORMATS}. "
                         f"Received: formats={formats}")
    if hasattr(model, "text_generator"):
        raise TypeError("A text-to-image model exports with "
                        "`tfgan.export.export_text_to_image` (a string signature, token ids "
                        f"for ONNX and the vocabulary). Received: model={type(model).__name__}")
    path = pathlib.Path(path)
    check_destination(path, overwrite)
    generator = _generator_of(model)
    signature = signature_lib.describe(generator)
    extra = _extra_endpoints(model) if "savedmodel" in formats else {}
    num_classes = num_classes or getattr(model, "num_classes", None)
    if signature.kind == signature_lib.CONDITIONAL and not num_classes:
        raise ValueError("A conditional generator needs `num_classes` for label validation. "
                         "Received: num_classes=None")
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = pathlib.Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.tmp-"))
    try:
        staging.chmod(0o755)
        if "savedmodel" in formats:
            _save_saved_model(generator, signature, staging / runtime.SAVED_MODEL_DIR, extra)
        if "onnx" in formats:
            _save_onnx(generator, signature, staging / runtime.ONNX_FILE)
        if "keras" in formats:
            generator.save(staging / runtime.KERAS_FILE)
        (staging / runtime.METADATA_FILE).write_text(json.dumps(
            {"num_classes": num_classes}))
        parity = verify_parity(generator, staging, signature, num_classes, tolerance, formats)
        parity.update(_extra_parity(staging, extra, tolerance))
        os.remove(staging / runtime.METADATA_FILE)
        monitor = _monitor_block(generator, signature, staging, num_classes, monitor_samples,
                                 monitor_extractor, monitor_classifier, monitor_inputs)
        metadata = {
            "format_version": runtime.FORMAT_VERSION,
            **signature.as_json(),
            "latent_dim": signature.latent_dim,
            "value_range": list(runtime.VALUE_RANGE),
            "num_classes": num_classes,
            "class_names": list(class_names) if class_names is not None else None,
            "signatures": {"serving_default": "float32 images in [-1, 1]",
                           "generate_uint8": "uint8 images in [0, 255]",
                           **{name: {"images": "float32 images in [-1, 1]",
                                     **network_signature.as_json()}
                              for name, (_, network_signature) in extra.items()}},
            "onnx_opset": ONNX_OPSET if "onnx" in formats else None,
            "versions": _versions(),
            "training": _training_config(model),
            "metrics": list(metrics or []),
            "parity_max_abs_difference": parity,
            "monitor": monitor,
        }
        metadata = seal_export(staging, path, overwrite, metadata, extra_metadata)
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
