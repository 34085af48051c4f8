"""Feature extractors: InceptionV3, the shipped MNIST classifier, any Keras model or callable.

An extractor maps a batch of images in [-1, 1] (the range of tfgan generators and
datasets; uint8 images are rescaled) to a float32 array `(batch, d)`. It resizes the
images, converts their channels and rescales their range to what the wrapped network
expects, and carries a `name` that goes into every reported number and cache key.
"""

import importlib.resources

import keras
import numpy as np
import tensorflow as tf
from tfgan.utils.validation import check_positive_int

INCEPTION_NOTE = (
    "Keras' InceptionV3 (keras.applications) is not the TF-Slim graph that published FIDs "
    "use (Heusel et al. 2017; pytorch-fid, StyleGAN's metrics): its features, hence its "
    "FID/KID/IS values, are not comparable with published numbers. Compare numbers only "
    "within one extractor."
)


def _to_unit_range(images):
    images = tf.convert_to_tensor(images)
    if images.dtype == tf.uint8:
        return tf.cast(images, tf.float32) / 127.5 - 1.0
    return tf.cast(images, tf.float32)


@keras.saving.register_keras_serializable(package="tfgan")
class FeatureExtractor:
    """Wraps a Keras model or layer (or any callable) as a feature extractor.

    Args:
        model: a `keras.Model`, `keras.layers.Layer` or callable mapping a float32 batch
            to features `(batch, ...)`; extra axes are flattened.
        name: the name recorded in protocols and cache keys. `None` uses the model's name.
        image_size: `(height, width)` or int the images are resized to (bilinear);
            `None` keeps the size.
        channels: 1 or 3 to convert images (grey → RGB by repetition, RGB → grey by
            luminance); `None` keeps them.
        input_range: `(low, high)` the model expects; images in [-1, 1] are mapped
            linearly onto it. Default (-1, 1).
        batch_size: images per model call.
        softmax: apply a softmax to the outputs (turns a classifier's logits into the
            probabilities the Inception Score needs).
    """

    def __init__(self, model, name=None, image_size=None, channels=None, input_range=(-1, 1),
                 batch_size=64, softmax=False):
        lazy = model is None and type(self).get_model is not FeatureExtractor.get_model
        if not (callable(model) or lazy):
            raise TypeError(f"`model` must be a Keras model, layer or callable. "
                            f"Received: model={model!r}")
        if channels not in (None, 1, 3):
            raise ValueError(f"`channels` must be None, 1 or 3. Received: channels={channels}")
        check_positive_int("batch_size", batch_size)
        if isinstance(image_size, int):
            image_size = (image_size, image_size)
        self.model = model
        self.name = name or getattr(model, "name", None) or type(model).__name__
        self.image_size = None if image_size is None else tuple(int(s) for s in image_size)
        self.channels = channels
        self.input_range = tuple(float(v) for v in input_range)
        self.batch_size = int(batch_size)
        self.softmax = bool(softmax)

    def get_model(self):
        """The wrapped network (subclasses may build it lazily)."""
        return self.model

    def preprocess(self, images):
        """Resizes, converts channels and rescales a batch in [-1, 1] (or uint8)."""
        images = _to_unit_range(images)
        if images.shape.rank != 4:
            raise ValueError("Images must be a batch (n, height, width, channels). "
                             f"Received: shape={tuple(images.shape)}")
        if self.channels == 3 and images.shape[-1] == 1:
            images = tf.repeat(images, 3, axis=-1)
        elif self.channels == 1 and images.shape[-1] == 3:
            images = tf.image.rgb_to_grayscale(images)
        if self.image_size is not None and tuple(images.shape[1:3]) != self.image_size:
            images = tf.image.resize(images, self.image_size, method="bilinear")
        low, high = self.input_range
        if (low, high) != (-1.0, 1.0):
            images = low + (images + 1.0) * ((high - low) / 2.0)
        return images

    def __call__(self, images):
        """Features of a batch of images as a float32 array `(n, d)`."""
        model = self.get_model()
        outputs = []
        for start in range(0, len(images), self.batch_size):
            batch = self.preprocess(images[start:start + self.batch_size])
            if isinstance(model, (keras.Model, keras.layers.Layer)):
                out = model(batch, training=False)
            else:
                out = model(batch)
            out = np.asarray(out, dtype="float32").reshape(batch.shape[0], -1)
            if self.softmax:
                out = np.asarray(tf.nn.softmax(out.astype("float64"), axis=-1))
            outputs.append(out)
        return np.concatenate(outputs, axis=0)

    def get_config(self):
        if not isinstance(self.model, (keras.Model, keras.layers.Layer)):
            raise TypeError(f"Only extractors wrapping a Keras model or layer are "
                            f"serializable. Received: model={self.model!r}")
        return {
            "model": keras.saving.serialize_keras_object(self.model),
            "name": self.name,
            "image_size": self.image_size,
            "channels": self.channels,
            "input_range": self.input_range,
            "batch_size": self.batch_size,
            "softmax": self.softmax,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["model"] = keras.saving.deserialize_keras_object(config["model"])
        return cls(**config)

    def __repr__(self):
        return f"{type(self).__name__}(name={self.name!r})"


@keras.saving.register_keras_serializable(package="tfgan")
class InceptionV3Extractor(FeatureExtractor):
    """Keras' InceptionV3 at 299x299: 2048-d pool features (FID, KID, precision/recall)
    or 1000-class probabilities (Inception Score).

    The network is built on first use. With `weights="imagenet"` Keras downloads the
    weights once into `~/.keras/models/` and reuses them; on a machine without network
    access pass `weights_path=` a local copy of
    `inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5` (features) or
    `inception_v3_weights_tf_dim_ordering_tf_kernels.h5` (probabilities).

    Keras' InceptionV3 is not the TF-Slim graph that published FIDs use: its numbers are
    not comparable with published FIDs.

    Args:
        output: `"features"` (global-average-pooled 2048-d) or `"probabilities"`.
        weights: `"imagenet"` or `None` (random weights: only for tests of the plumbing).
        weights_path: path to a local weights file; overrides `weights`.
        batch_size: images per call.
    """

    def __init__(self, output="features", weights="imagenet", weights_path=None,
                 batch_size=32, **kwargs):
        if output not in ("features", "probabilities"):
            raise ValueError(f"`output` must be 'features' or 'probabilities'. "
                             f"Received: output={output!r}")
        self.output = output
        self.weights = weights
        self.weights_path = None if weights_path is None else str(weights_path)
        source = "local" if weights_path else str(weights)
        name = kwargs.pop("name", None) or f"keras_inception_v3-{source}-{output}"
        for key in ("model", "image_size", "channels", "input_range", "softmax"):
            kwargs.pop(key, None)
        super().__init__(None, name=name, image_size=(299, 299),
                         channels=3, input_range=(-1, 1), batch_size=batch_size,
                         softmax=False, **kwargs)
        self._network = None

    def get_model(self):
        if self._network is None:
            include_top = self.output == "probabilities"
            weights = self.weights_path or self.weights
            try:
                self._network = keras.applications.InceptionV3(
                    weights=weights, include_top=include_top,
                    pooling=None if include_top else "avg", input_shape=(299, 299, 3))
            except Exception as error:  # noqa: BLE001 - re-raised with the fix
                kind = "" if include_top else "_notop"
                raise RuntimeError(
                    "Could not load Keras' InceptionV3 weights (they are downloaded once "
                    "from storage.googleapis.com into ~/.keras/models/). Offline, download "
                    f"'inception_v3_weights_tf_dim_ordering_tf_kernels{kind}.h5' on a "
                    "machine with network access and pass its path as "
                    "`InceptionV3Extractor(weights_path=...)` (CLI: `--inception-weights "
                    f"PATH`). Received: weights={weights!r}, error: {error}"
                ) from error
        return self._network

    def get_config(self):
        return {"output": self.output, "weights": self.weights,
                "weights_path": self.weights_path, "batch_size": self.batch_size,
                "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


CLASSIFIERS = {  # name: (file in tfgan/data, input shape)
    "mnist": ("mnist_classifier.keras", (28, 28, 1)),
    "cifar10": ("cifar10_classifier.keras", (32, 32, 3)),
}


def load_classifier(name="mnist"):
    """A shipped judge of generated images: images in [-1, 1] → 10 logits.

    Trained by `scripts/train_classifier.py NAME` (protocol and accuracy in
    `benchmarks/RESULTS.md`): `"mnist"` (28x28x1, on the embedded 19,690-digit subset,
    test accuracy 0.9846) and `"cifar10"` (32x32x3, on the 10,000-image CIFAR-10 subset,
    test accuracy 0.7335).

    Args:
        name: `"mnist"` or `"cifar10"`.

    Returns:
        The `keras.Model`; its 128-unit `features` layer is the dataset's FID space.
    """
    if name not in CLASSIFIERS:
        raise ValueError(f"No shipped classifier {name!r}. Expected one of "
                         f"{sorted(CLASSIFIERS)}. Received: name={name!r}")
    path = importlib.resources.files("tfgan.data") / CLASSIFIERS[name][0]
    with importlib.resources.as_file(path) as file:
        return keras.saving.load_model(file, compile=False, safe_mode=True)


def load_mnist_classifier():
    """The shipped MNIST classifier (`load_classifier("mnist")`)."""
    return load_classifier("mnist")


def classifier_features(name="mnist", batch_size=256):
    """Extractor of a shipped classifier's 128-d penultimate (`features`) layer: the
    feature space of the MNIST FID (`"mnist"`) or the CIFAR-10 classifier FID
    (`"cifar10"`)."""
    classifier = load_classifier(name)
    model = keras.Model(classifier.inputs, classifier.get_layer("features").output,
                        name=f"{name}_classifier_features")
    shape = CLASSIFIERS[name][1]
    return FeatureExtractor(model, name=f"{name}_classifier-features", image_size=shape[:2],
                            channels=shape[2], batch_size=batch_size)


def classifier_probabilities(name="mnist", batch_size=256):
    """Extractor of a shipped classifier's class probabilities (the dataset's score)."""
    classifier = load_classifier(name)
    shape = CLASSIFIERS[name][1]
    return FeatureExtractor(classifier, name=f"{name}_classifier-probabilities",
                            image_size=shape[:2], channels=shape[2], batch_size=batch_size,
                            softmax=True)


def mnist_features(batch_size=256):
    """Extractor of the MNIST classifier's 128-d penultimate (`features`) layer (MNIST FID)."""
    return classifier_features("mnist", batch_size)


def mnist_probabilities(batch_size=256):
    """Extractor of the MNIST classifier's class probabilities (the MNIST score)."""
    return classifier_probabilities("mnist", batch_size)


def get(identifier, **kwargs):
    """Resolves an extractor: an extractor, a Keras model/layer/callable, or a name.

    Names: `"fid_inception"` / `"fid_inception_clean"` (the FID Inception's pool
    features, clean-fid resize), `"fid_inception_legacy_tf"` (TF1 bilinear resize),
    `"fid_inception_probabilities"` (its Inception Score probabilities; `protocol=`
    chooses the resize); `"inception"` / `"inception_v3"` (Keras' InceptionV3 features,
    not comparable with papers), `"inception_probabilities"`, `"mnist"` /
    `"mnist_features"`, `"mnist_probabilities"`.
    """
    if isinstance(identifier, FeatureExtractor):
        return identifier
    if isinstance(identifier, str):
        key = identifier.lower()
        if key.startswith("fid_inception"):
            from tfgan.metrics.fid_inception import FIDInceptionExtractor

            fid_names = {"fid_inception": {}, "fid_inception_clean": {"protocol": "clean"},
                         "fid_inception_legacy_tf": {"protocol": "legacy_tf"},
                         "fid_inception_probabilities": {"output": "probabilities"}}
            if key in fid_names:
                return FIDInceptionExtractor(**{**fid_names[key], **kwargs})
        if key in ("inception", "inception_v3"):
            return InceptionV3Extractor("features", **kwargs)
        if key in ("inception_probabilities", "inception_v3_probabilities"):
            return InceptionV3Extractor("probabilities", **kwargs)
        if key in ("mnist", "mnist_features"):
            return mnist_features(**kwargs)
        if key == "mnist_probabilities":
            return mnist_probabilities(**kwargs)
        if key in ("cifar10", "cifar10_features"):
            return classifier_features("cifar10", **kwargs)
        if key == "cifar10_probabilities":
            return classifier_probabilities("cifar10", **kwargs)
        raise ValueError("Unknown extractor name. Expected 'fid_inception', "
                         "'fid_inception_clean', 'fid_inception_legacy_tf', "
                         "'fid_inception_probabilities', 'inception', "
                         "'inception_probabilities', 'mnist', 'mnist_probabilities', "
                         "'cifar10' or 'cifar10_probabilities'. "
                         f"Received: identifier={identifier!r}")
    if callable(identifier):
        return FeatureExtractor(identifier, **kwargs)
    raise TypeError(f"Cannot make a feature extractor from {identifier!r}. "
                    f"Received: identifier={identifier!r}")
