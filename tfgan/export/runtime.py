"""Loading exported generators (SavedModel or ONNX) for inference, without training code."""

import hashlib
import json
import pathlib

import numpy as np

SAVED_MODEL_DIR = "saved_model"
ONNX_FILE = "generator.onnx"
KERAS_FILE = "generator.keras"
METADATA_FILE = "metadata.json"
FORMAT_VERSION = 1
BACKENDS = ("savedmodel", "onnx", "keras")
VALUE_RANGE = (-1.0, 1.0)


class ExportIntegrityError(ValueError):
    """An export's files or model differ from what its `metadata.json` says."""


def file_hash(path):
    """The sha256 hex digest of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def content_hash(files):
    """The hash of a whole export: sha256 of its `{relative path: file hash}` as sorted JSON."""
    return hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()


def _metadata_file(path):
    path = pathlib.Path(path)
    for candidate in (path / METADATA_FILE, path.parent / METADATA_FILE):
        if candidate.is_file():
            return candidate
    return None


def read_metadata(path):
    """Reads the `metadata.json` of an export directory (or of an artifact inside it)."""
    file = _metadata_file(path)
    return json.loads(file.read_text()) if file else None


def _mismatch(metadata_file, field, claimed, found, where):
    return ExportIntegrityError(
        f"{metadata_file} does not match the export: `{field}` is {claimed!r} in "
        f"{METADATA_FILE} but {found!r} in {where}. Received: {field}={found!r}")


def verify_files(metadata_file, metadata, artifact):
    """Checks the hashes `metadata.json` lists for the files of the artifact being loaded.

    Only the loaded artifact's files are hashed (`saved_model/...`, `generator.onnx` or
    `generator.keras`), once, plus the `content_hash` over the whole list.

    Args:
        metadata_file: path of the export's `metadata.json`.
        metadata: its contents.
        artifact: the file or SavedModel folder being loaded, inside the export.

    Raises:
        ExportIntegrityError: naming the first file that is missing, unlisted or changed.
    """
    root = pathlib.Path(metadata_file).parent
    files = metadata.get("files") or {}
    if "content_hash" in metadata and content_hash(files) != metadata["content_hash"]:
        raise _mismatch(metadata_file, "content_hash", metadata["content_hash"],
                        content_hash(files), "its `files` list")
    prefix = pathlib.Path(artifact).relative_to(root).as_posix()
    listed = {name: digest for name, digest in files.items()
              if prefix == "." or name == prefix or name.startswith(prefix + "/")}
    if not listed:
        raise ExportIntegrityError(
            f"{metadata_file} lists no file of {artifact}: it was not written by this export. "
            f"Received: file={prefix!r}")
    for name, expected in sorted(listed.items()):
        if not (root / name).is_file():
            raise ExportIntegrityError(f"{metadata_file} lists {name}, which is missing. "
                                       f"Received: file={str(root / name)!r}")
        found = file_hash(root / name)
        if found != expected:
            raise ExportIntegrityError(
                f"{root / name} changed since export: sha256 {found}, {METADATA_FILE} lists "
                f"{expected}. Received: file={str(root / name)!r}")


def _static(shape):
    """An ONNX shape with symbolic dimensions (`"N"`, `None`) as `None`."""
    return tuple(d if isinstance(d, int) else None for d in shape)


class ExportedGenerator:
    """A generator loaded from a SavedModel directory, an ONNX file or a `.keras` file.

    Call it with the named inputs of its signature (`z`; `z` and `label`; `image`; `image`
    and `mask`; or `z` and `truncation_psi`, which defaults to 1) as numpy arrays; it
    returns float32 images in [-1, 1].

    When the export has a tfgan `metadata.json`, loading checks it first: the sha256 of each
    file of the loaded artifact against `files` (and `content_hash` against that list), then
    the model's inputs, latent size, image shape and value range against the fields of the
    same name, and refuses any difference with an `ExportIntegrityError` naming the file or
    field. Hashing happens once, at load.

    Args:
        path: an export directory made by `tfgan.export.export_generator` (its SavedModel
            is used, else its ONNX file), a SavedModel directory, a `.onnx` file or a
            `.keras` generator file.
        backend: `"savedmodel"`, `"onnx"`, `"keras"` or `None` (decided by `path`).

    Raises:
        ExportIntegrityError: if the files or the model differ from `metadata.json`.
    """

    def __init__(self, path, backend=None):
        path = pathlib.Path(path)
        if not path.exists():
            raise FileNotFoundError(f"No exported generator at {str(path)!r}.")
        if backend is None:
            if path.suffix == ".onnx":
                backend = "onnx"
            elif path.suffix == ".keras":
                backend = "keras"
            elif (path / SAVED_MODEL_DIR).is_dir() or (path / "saved_model.pb").is_file():
                backend = "savedmodel"
            elif (path / ONNX_FILE).is_file():
                backend = "onnx"
            else:
                raise ValueError(
                    f"{str(path)!r} holds no SavedModel ({SAVED_MODEL_DIR}/ or "
                    f"saved_model.pb) and no {ONNX_FILE}.")
        if backend not in BACKENDS:
            raise ValueError(f"`backend` must be one of {BACKENDS}. "
                             f"Received: backend={backend!r}")
        self.backend = backend
        if backend == "savedmodel":
            artifact = path / SAVED_MODEL_DIR if (path / SAVED_MODEL_DIR).is_dir() else path
        elif backend == "keras":
            artifact = path / KERAS_FILE if path.is_dir() else path
        else:
            artifact = path if path.suffix == ".onnx" else path / ONNX_FILE
        metadata_file = _metadata_file(path)
        self.metadata = json.loads(metadata_file.read_text()) if metadata_file else {}
        checked = self.metadata.get("format_version") is not None
        if checked:
            verify_files(metadata_file, self.metadata, artifact)
        if backend == "savedmodel":
            import tensorflow as tf

            self._module = tf.saved_model.load(str(artifact))
            function = self._module.signatures["serving_default"]
            specs = function.structured_input_signature[1]
            self.inputs = {name: (tuple(spec.shape), spec.dtype.name)
                           for name, spec in specs.items()}
            self.image_shape = tuple(function.structured_outputs["images"].shape[1:])
            self._run = lambda feeds: function(**feeds)["images"].numpy()
        elif backend == "keras":
            self._load_keras(artifact)
        else:
            import onnxruntime

            session = onnxruntime.InferenceSession(str(artifact),
                                                   providers=["CPUExecutionProvider"])
            types = {"tensor(float)": "float32", "tensor(int32)": "int32"}
            self.inputs = {i.name: (_static(i.shape), types.get(i.type, i.type))
                           for i in session.get_inputs()}
            self.image_shape = _static(session.get_outputs()[0].shape)[1:]
            self._run = lambda feeds: session.run(["images"], feeds)[0]
        self.kind = ("inpaint" if "mask" in self.inputs else
                     "image" if "image" in self.inputs else
                     "conditional" if "label" in self.inputs else
                     "style" if "truncation_psi" in self.inputs else "latent")
        if checked:
            self._verify_signature(metadata_file, artifact)

    def _verify_signature(self, metadata_file, artifact):
        """Refuses a model whose inputs, image shape or value range differ from metadata."""
        found = {
            "kind": self.kind,
            "inputs": {name: {"shape": [None, *shape[1:]], "dtype": dtype}
                       for name, (shape, dtype) in self.inputs.items()},
            "latent_dim": self.latent_dim,
            "image_shape": list(self.image_shape),
            "value_range": list(VALUE_RANGE),  # what every serving signature returns
        }
        for field, value in found.items():
            claimed = self.metadata.get(field)
            if field == "image_shape" and claimed is not None:
                # ONNX may leave dimensions symbolic: compare the known ones.
                value = [c if v is None else v for c, v in zip(claimed, value)]
            if claimed != value:
                raise _mismatch(metadata_file, field, claimed, value, artifact)

    def _load_keras(self, file):
        import keras
        import tensorflow as tf

        from tfgan.export.signature import describe

        model = keras.saving.load_model(file)
        signature = describe(model)
        self.inputs = {spec.name: (tuple(spec.shape), spec.dtype.name)
                       for spec in signature.input_specs}
        self.image_shape = tuple(signature.image_shape)
        call = tf.function(lambda inputs: model(inputs, training=False))

        def run(feeds):
            ordered = [feeds[name] for name in signature.generator_order]
            return call(ordered if len(ordered) > 1 else ordered[0]).numpy()

        self._run = run

    @property
    def latent_dim(self):
        return self.inputs["z"][0][-1] if "z" in self.inputs else None

    @property
    def num_classes(self):
        return self.metadata.get("num_classes")

    def latents(self, n, seed=0):
        """`n` standard-normal latents from numpy's generator seeded with `seed`."""
        return np.random.default_rng(seed).standard_normal((n, self.latent_dim)).astype(
            "float32")

    def __call__(self, **inputs):
        if "truncation_psi" in self.inputs and "truncation_psi" not in inputs and "z" in inputs:
            # Style generators: no truncation unless asked for (ψ = 1).
            inputs["truncation_psi"] = np.ones((len(inputs["z"]),), "float32")
        if set(inputs) != set(self.inputs):
            raise ValueError(f"Expected inputs {sorted(self.inputs)}. "
                             f"Received: inputs={sorted(inputs)}")
        feeds = {}
        for name, value in inputs.items():
            shape, dtype = self.inputs[name]
            value = np.asarray(value)
            if name == "label":
                value = self._check_labels(value)
            value = value.astype(dtype)
            if value.ndim != len(shape) or any(
                    want is not None and have != want for have, want in zip(value.shape, shape)):
                raise ValueError(f"Input {name!r} must have shape {shape}. "
                                 f"Received: shape={value.shape}")
            feeds[name] = value
        return self._run(feeds)

    def _check_labels(self, labels):
        # onnxruntime silently wraps negative labels (-1 becomes the last class): refuse.
        if not np.issubdtype(labels.dtype, np.integer):
            raise TypeError(f"`label` must be integers. Received: dtype={labels.dtype}")
        high = self.num_classes
        if labels.min(initial=0) < 0 or (high is not None and labels.max(initial=0) >= high):
            raise ValueError(f"`label` must be in [0, {high}). Received: labels in "
                             f"[{labels.min()}, {labels.max()}]")
        return labels


def load_generator(path, backend=None):
    """Loads an exported generator; see `ExportedGenerator`."""
    return ExportedGenerator(path, backend=backend)
