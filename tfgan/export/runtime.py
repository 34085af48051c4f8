"""Loading exported generators (SavedModel or ONNX) for inference, without training code."""

import json
import pathlib

import numpy as np

SAVED_MODEL_DIR = "saved_model"
ONNX_FILE = "generator.onnx"
METADATA_FILE = "metadata.json"


def read_metadata(path):
    """Reads the `metadata.json` of an export directory (or of an artifact inside it)."""
    path = pathlib.Path(path)
    for candidate in (path / METADATA_FILE, path.parent / METADATA_FILE):
        if candidate.is_file():
            return json.loads(candidate.read_text())
    return None


class ExportedGenerator:
    """A generator loaded from a SavedModel directory or an ONNX file.

    Call it with the named inputs of its signature (`z`; `z` and `label`; or `image`) as
    numpy arrays; it returns float32 images in [-1, 1].

    Args:
        path: an export directory made by `tfgan.export.export_generator` (its SavedModel
            is used, else its ONNX file), a SavedModel directory, or a `.onnx` file.
        backend: `"savedmodel"`, `"onnx"` or `None` (decided by `path`).
    """

    def __init__(self, path, backend=None):
        path = pathlib.Path(path)
        if not path.exists():
            raise FileNotFoundError(f"No exported generator at {str(path)!r}.")
        if backend is None:
            if path.suffix == ".onnx":
                backend = "onnx"
            elif (path / SAVED_MODEL_DIR).is_dir() or (path / "saved_model.pb").is_file():
                backend = "savedmodel"
            elif (path / ONNX_FILE).is_file():
                backend = "onnx"
            else:
                raise ValueError(
                    f"{str(path)!r} holds no SavedModel ({SAVED_MODEL_DIR}/ or "
                    f"saved_model.pb) and no {ONNX_FILE}.")
        if backend not in ("savedmodel", "onnx"):
            raise ValueError(f"`backend` must be 'savedmodel' or 'onnx'. "
                             f"Received: backend={backend!r}")
        self.backend = backend
        self.metadata = read_metadata(path) or {}
        if backend == "savedmodel":
            import tensorflow as tf

            directory = path / SAVED_MODEL_DIR if (path / SAVED_MODEL_DIR).is_dir() else path
            self._module = tf.saved_model.load(str(directory))
            function = self._module.signatures["serving_default"]
            specs = function.structured_input_signature[1]
            self.inputs = {name: (tuple(spec.shape), spec.dtype.name)
                           for name, spec in specs.items()}
            self._run = lambda feeds: function(**feeds)["images"].numpy()
        else:
            import onnxruntime

            file = path if path.suffix == ".onnx" else path / ONNX_FILE
            session = onnxruntime.InferenceSession(str(file),
                                                   providers=["CPUExecutionProvider"])
            types = {"tensor(float)": "float32", "tensor(int32)": "int32"}
            self.inputs = {i.name: (tuple(d if isinstance(d, int) else None for d in i.shape),
                                    types.get(i.type, i.type))
                           for i in session.get_inputs()}
            self._run = lambda feeds: session.run(["images"], feeds)[0]
        self.kind = "image" if "image" in self.inputs else (
            "conditional" if "label" in self.inputs else "latent")

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
