"""The `EvaluateFID` callback: FID of the generator during training."""

import pathlib
import time

import keras

from tfgan.metrics import evaluation
from tfgan.metrics import extractors as extractors_lib
from tfgan.metrics.statistics import FeatureStatistics
from tfgan.utils.io import append_json_line
from tfgan.utils.validation import check_positive_int


@keras.saving.register_keras_serializable(package="tfgan")
class EvaluateFID(keras.callbacks.Callback):
    """Computes the FID of the model's samples every N epochs and logs it as `logs["fid"]`.

    Samples come from the model's sampling network (the EMA generator when there is one)
    with fixed latents (`seed`), so values are comparable from epoch to epoch;
    image-to-image models translate `inputs`, a fixed held-out batch. The value is written into the epoch's `logs` under `log_key`,
    where `ModelCheckpoint(monitor="fid", mode="min")`, `EarlyStopping` and `History` see
    it: put this callback BEFORE them in the `callbacks` list. Epochs that are not
    evaluated carry no `fid` key.

    Each evaluation appends one JSON line to `jsonl_path` (if given): epoch, step, name
    (e.g. `fid10k`), value, seconds taken and the protocol (sample count, seed, extractor,
    reference set).

    FID depends on the sample count (biased upwards for small counts): 10,000 samples
    are a common compromise during training; report final numbers with 50,000.

    Args:
        reference: `FeatureStatistics` of real images (see
            `tfgan.metrics.reference_statistics`) or the path of a saved `.npz`.
        extractor: the extractor the reference was computed with (a `FeatureExtractor`,
            Keras model, or a name such as `"inception"` or `"mnist"`).
        num_samples: generated images per evaluation.
        every_n_epochs: evaluate after every N-th epoch.
        seed: seed of the fixed latents.
        batch_size: images per generator call.
        log_key: the key written into `logs`.
        jsonl_path: file the records are appended to; `None` writes none.
        inputs: held-out input images for image-to-image models (their translations are
            evaluated); `None` for models that sample from noise.
    """

    def __init__(self, reference, extractor="inception", num_samples=10000, every_n_epochs=1,
                 seed=0, batch_size=256, log_key="fid", jsonl_path=None, inputs=None):
        super().__init__()
        self.num_samples = check_positive_int("num_samples", num_samples, minimum=2)
        self.every_n_epochs = check_positive_int("every_n_epochs", every_n_epochs)
        if isinstance(reference, (str, pathlib.Path)):
            self.reference_path = str(reference)
            reference = FeatureStatistics.load(reference)
        else:
            self.reference_path = None
        if not isinstance(reference, FeatureStatistics):
            raise TypeError("`reference` must be a tfgan.metrics.FeatureStatistics or the "
                            f"path of a saved one. Received: reference={reference!r}")
        self.reference = reference
        self.extractor = extractors_lib.get(extractor)
        self.seed = int(seed)
        self.batch_size = int(batch_size)
        self.log_key = log_key
        self.jsonl_path = None if jsonl_path is None else str(jsonl_path)
        self.inputs = inputs
        self.history = []

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every_n_epochs:
            return
        start = time.perf_counter()
        result = evaluation.evaluate_generator(
            self.model, self.reference, metrics=("fid",), num_samples=self.num_samples,
            extractor=self.extractor, seed=self.seed, batch_size=self.batch_size,
            inputs=self.inputs)["fid"]
        step = getattr(self.model, "step", None)
        record = {"epoch": epoch + 1,
                  "step": None if step is None else int(keras.ops.convert_to_numpy(step)),
                  "name": result["name"], "value": result["value"],
                  "seconds": time.perf_counter() - start, "protocol": result["protocol"]}
        self.history.append(record)
        if logs is not None:
            logs[self.log_key] = result["value"]
        if self.jsonl_path is not None:
            append_json_line(self.jsonl_path, record)

    def get_config(self):
        if self.inputs is not None:
            raise TypeError("An EvaluateFID with in-memory `inputs` is not serializable. "
                            "Received: inputs=<array>")
        if self.reference_path is None:
            raise TypeError("Only an EvaluateFID built from a reference file path is "
                            "serializable. Received: reference=<in-memory statistics>")
        return {"reference": self.reference_path,
                "extractor": keras.saving.serialize_keras_object(self.extractor),
                "num_samples": self.num_samples, "every_n_epochs": self.every_n_epochs,
                "seed": self.seed, "batch_size": self.batch_size, "log_key": self.log_key,
                "jsonl_path": self.jsonl_path}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["extractor"] = keras.saving.deserialize_keras_object(config["extractor"])
        return cls(**config)
