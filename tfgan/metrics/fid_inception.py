"""The FID Inception network: a Keras port of the graph published FIDs are computed with.

Heusel et al. (2017) defined FID on the features of the TensorFlow Inception graph of
2015-12-05 (`inception-2015-12-05.tgz`), not on any Keras or torchvision InceptionV3.
pytorch-fid ported that graph to PyTorch (`pytorch_fid/inception.py`: torchvision's
Inception3 with the FID-specific blocks `FIDInceptionA/C/E_1/E_2`) and released its weights
as `pt_inception-2015-12-05-6726825d.pth`; clean-fid and torch-fidelity use the same
network. This module builds that network in Keras, layer for layer and with pytorch-fid's
parameter names, so that the `.pth` file converts one tensor at a time:

- every convolution is `BasicConv2d`: a bias-free convolution, batch normalization
  (epsilon 1e-3) and ReLU;
- the average pools inside the blocks do not count padded zeros (TensorFlow's `SAME`
  pooling, pytorch-fid's `count_include_pad=False` patch);
- the last block (`Mixed_7c`) pools with a 3x3 max pool where the paper has an average
  pool (a quirk of the 2015 graph that pytorch-fid's `FIDInceptionE_2` keeps);
- the outputs are the 2048-d global average pool (FID, KID, precision/recall) and the
  1008-way `fc` logits; the Inception Score's probabilities are the softmax of the logits
  without the bias (`logits_unbiased`, as in the original Inception Score code and
  torch-fidelity).

The input is 299x299 RGB scaled as the graph does it, `(x - 128) / 128` for `x` in
[0, 255]. `FIDInceptionExtractor` does the quantization, resize and scaling in front of it.

The architecture is written once (`_network`) against two back ends: one builds Keras
layers, the other lists pytorch-fid's parameter names and shapes, from which
`random_state_dict` makes seeded weights with numpy alone (the parity fixture of
`scripts/make_fid_inception_fixture.py` and `tests/metrics/test_fid_inception.py`).
"""

import hashlib
import os
import pathlib
import sys

import keras
import numpy as np
import tensorflow as tf
from PIL import Image

from tfgan.metrics.extractors import FeatureExtractor
from tfgan.utils.validation import check_positive_int

FID_WEIGHTS_URL = ("https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/"
                   "pt_inception-2015-12-05-6726825d.pth")
FID_WEIGHTS_FILE = "pt_inception-2015-12-05-6726825d.pth"
FID_WEIGHTS_SHA256_PREFIX = "6726825d"
KERAS_WEIGHTS_FILE = "fid_inception-2015-12-05-6726825d.weights.h5"
WEIGHTS_ENV = "TFGAN_FID_WEIGHTS"
INPUT_SIZE = 299
NUM_CLASSES = 1008
BN_EPSILON = 1e-3


# --------------------------------------------------------------------------------------
# The architecture, once, for two back ends.


def _block_a(ops, x, name, pool_features):
    """`FIDInceptionA` (Mixed_5b/c/d): average pool without padded zeros."""
    b1 = ops.conv(x, f"{name}.branch1x1", 64, 1)
    b5 = ops.conv(x, f"{name}.branch5x5_1", 48, 1)
    b5 = ops.conv(b5, f"{name}.branch5x5_2", 64, 5)
    b3 = ops.conv(x, f"{name}.branch3x3dbl_1", 64, 1)
    b3 = ops.conv(b3, f"{name}.branch3x3dbl_2", 96, 3)
    b3 = ops.conv(b3, f"{name}.branch3x3dbl_3", 96, 3)
    pool = ops.avg_pool(x, f"{name}.avg_pool")
    pool = ops.conv(pool, f"{name}.branch_pool", pool_features, 1)
    return ops.concat([b1, b5, b3, pool], name)


def _block_b(ops, x, name):
    """`InceptionB` (Mixed_6a): grid reduction 35 → 17."""
    b3 = ops.conv(x, f"{name}.branch3x3", 384, 3, strides=2)
    bd = ops.conv(x, f"{name}.branch3x3dbl_1", 64, 1)
    bd = ops.conv(bd, f"{name}.branch3x3dbl_2", 96, 3)
    bd = ops.conv(bd, f"{name}.branch3x3dbl_3", 96, 3, strides=2)
    return ops.concat([b3, bd, ops.max_pool(x, f"{name}.max_pool", strides=2)], name)


def _block_c(ops, x, name, channels_7x7):
    """`FIDInceptionC` (Mixed_6b/c/d/e): factorized 7x7, average pool without padded zeros."""
    c = channels_7x7
    b1 = ops.conv(x, f"{name}.branch1x1", 192, 1)
    b7 = ops.conv(x, f"{name}.branch7x7_1", c, 1)
    b7 = ops.conv(b7, f"{name}.branch7x7_2", c, (1, 7))
    b7 = ops.conv(b7, f"{name}.branch7x7_3", 192, (7, 1))
    bd = ops.conv(x, f"{name}.branch7x7dbl_1", c, 1)
    bd = ops.conv(bd, f"{name}.branch7x7dbl_2", c, (7, 1))
    bd = ops.conv(bd, f"{name}.branch7x7dbl_3", c, (1, 7))
    bd = ops.conv(bd, f"{name}.branch7x7dbl_4", c, (7, 1))
    bd = ops.conv(bd, f"{name}.branch7x7dbl_5", 192, (1, 7))
    pool = ops.conv(ops.avg_pool(x, f"{name}.avg_pool"), f"{name}.branch_pool", 192, 1)
    return ops.concat([b1, b7, bd, pool], name)


def _block_d(ops, x, name):
    """`InceptionD` (Mixed_7a): grid reduction 17 → 8."""
    b3 = ops.conv(x, f"{name}.branch3x3_1", 192, 1)
    b3 = ops.conv(b3, f"{name}.branch3x3_2", 320, 3, strides=2)
    b7 = ops.conv(x, f"{name}.branch7x7x3_1", 192, 1)
    b7 = ops.conv(b7, f"{name}.branch7x7x3_2", 192, (1, 7))
    b7 = ops.conv(b7, f"{name}.branch7x7x3_3", 192, (7, 1))
    b7 = ops.conv(b7, f"{name}.branch7x7x3_4", 192, 3, strides=2)
    return ops.concat([b3, b7, ops.max_pool(x, f"{name}.max_pool", strides=2)], name)


def _block_e(ops, x, name, pool):
    """`FIDInceptionE_1` (Mixed_7b, `pool="avg"`) and `FIDInceptionE_2` (Mixed_7c,
    `pool="max"`: the 2015 graph's max pool)."""
    b1 = ops.conv(x, f"{name}.branch1x1", 320, 1)
    b3 = ops.conv(x, f"{name}.branch3x3_1", 384, 1)
    b3 = ops.concat([ops.conv(b3, f"{name}.branch3x3_2a", 384, (1, 3)),
                     ops.conv(b3, f"{name}.branch3x3_2b", 384, (3, 1))], f"{name}.branch3x3")
    bd = ops.conv(x, f"{name}.branch3x3dbl_1", 448, 1)
    bd = ops.conv(bd, f"{name}.branch3x3dbl_2", 384, 3)
    bd = ops.concat([ops.conv(bd, f"{name}.branch3x3dbl_3a", 384, (1, 3)),
                     ops.conv(bd, f"{name}.branch3x3dbl_3b", 384, (3, 1))],
                    f"{name}.branch3x3dbl")
    if pool == "avg":
        pooled = ops.avg_pool(x, f"{name}.avg_pool")
    else:
        pooled = ops.max_pool(x, f"{name}.max_pool", strides=1)
    pooled = ops.conv(pooled, f"{name}.branch_pool", 192, 1)
    return ops.concat([b1, b3, bd, pooled], name)


def _network(ops, x):
    """The FID Inception graph; returns `(pool, logits)`."""
    x = ops.conv(x, "Conv2d_1a_3x3", 32, 3, strides=2)
    x = ops.conv(x, "Conv2d_2a_3x3", 32, 3, padding="valid")
    x = ops.conv(x, "Conv2d_2b_3x3", 64, 3)
    x = ops.max_pool(x, "maxpool1", strides=2)
    x = ops.conv(x, "Conv2d_3b_1x1", 80, 1)
    x = ops.conv(x, "Conv2d_4a_3x3", 192, 3, padding="valid")
    x = ops.max_pool(x, "maxpool2", strides=2)
    for name, pool_features in (("Mixed_5b", 32), ("Mixed_5c", 64), ("Mixed_5d", 64)):
        x = _block_a(ops, x, name, pool_features)
    x = _block_b(ops, x, "Mixed_6a")
    for name, channels in (("Mixed_6b", 128), ("Mixed_6c", 160), ("Mixed_6d", 160),
                           ("Mixed_6e", 192)):
        x = _block_c(ops, x, name, channels)
    x = _block_d(ops, x, "Mixed_7a")
    x = _block_e(ops, x, "Mixed_7b", pool="avg")
    x = _block_e(ops, x, "Mixed_7c", pool="max")
    pool = ops.global_pool(x)
    return pool, ops.dense(pool, "fc", NUM_CLASSES)


def _kernel_size(kernel):
    return (kernel, kernel) if isinstance(kernel, int) else tuple(kernel)


class _KerasOps:
    """Builds the graph from Keras layers named after pytorch-fid's modules.

    Stride-2 convolutions and pools are unpadded (`valid`), as in the graph; stride-1
    convolutions keep the size (`same`: torch's symmetric padding of odd kernels) except
    `Conv2d_2a_3x3` and `Conv2d_4a_3x3`, which the graph leaves unpadded.
    """

    def conv(self, x, name, filters, kernel, strides=1, padding=None):
        padding = padding or ("valid" if strides == 2 else "same")
        x = keras.layers.Conv2D(filters, kernel, strides=strides, padding=padding,
                                use_bias=False, name=f"{name}.conv")(x)
        x = keras.layers.BatchNormalization(epsilon=BN_EPSILON, name=f"{name}.bn")(x)
        return keras.layers.ReLU(name=f"{name}.relu")(x)

    def avg_pool(self, x, name):
        # TensorFlow's SAME average pooling divides by the number of real pixels.
        return keras.layers.AveragePooling2D(3, strides=1, padding="same", name=name)(x)

    def max_pool(self, x, name, strides):
        padding = "valid" if strides == 2 else "same"
        return keras.layers.MaxPooling2D(3, strides=strides, padding=padding, name=name)(x)

    def concat(self, tensors, name):
        return keras.layers.Concatenate(axis=-1, name=f"{name}.concat")(tensors)

    def global_pool(self, x):
        return keras.layers.GlobalAveragePooling2D(name="pool")(x)

    def dense(self, x, name, units):
        return keras.layers.Dense(units, name=name)(x)


class _ShapeOps:
    """Lists pytorch-fid's parameters `(key, torch shape)`; tensors are channel counts."""

    def __init__(self):
        self.parameters = []

    def conv(self, x, name, filters, kernel, strides=1, padding=None):
        kh, kw = _kernel_size(kernel)
        self.parameters.append((f"{name}.conv.weight", (filters, x, kh, kw)))
        for part in ("weight", "bias", "running_mean", "running_var"):
            self.parameters.append((f"{name}.bn.{part}", (filters,)))
        return filters

    def avg_pool(self, x, name):
        return x

    def max_pool(self, x, name, strides):
        return x

    def concat(self, tensors, name):
        return sum(tensors)

    def global_pool(self, x):
        return x

    def dense(self, x, name, units):
        self.parameters += [(f"{name}.weight", (units, x)), (f"{name}.bias", (units,))]
        return units


def build_fid_inception(input_shape=(INPUT_SIZE, INPUT_SIZE, 3), name="fid_inception"):
    """Builds the FID Inception network with uninitialized (Keras default) weights.

    Args:
        input_shape: `(height, width, 3)`; 299x299 for FID. The network is convolutional
            up to its global pool, so any size from 75x75 works (tests use smaller ones).
        name: the model's name.

    Returns:
        A functional `keras.Model` mapping images scaled to `(x - 128) / 128` to
        `[pool (batch, 2048), logits (batch, 1008)]`. Load weights with
        `load_state_dict` or `model.load_weights(KERAS_WEIGHTS_FILE)`.
    """
    if len(input_shape) != 3 or input_shape[-1] != 3:
        raise ValueError("`input_shape` must be (height, width, 3). "
                         f"Received: input_shape={input_shape}")
    inputs = keras.Input(tuple(input_shape), name="images")
    pool, logits = _network(_KerasOps(), inputs)
    return keras.Model(inputs, [pool, logits], name=name)


def state_dict_shapes():
    """pytorch-fid's parameter names and shapes, in definition order.

    Returns:
        A list of `(key, shape)`: the keys of `pt_inception-2015-12-05-6726825d.pth`
        (without BatchNorm's `num_batches_tracked` counters), torch layouts
        (`(out, in, kh, kw)` kernels, `(out, in)` for `fc.weight`).
    """
    ops = _ShapeOps()
    _network(ops, 3)
    return ops.parameters


def random_state_dict(seed):
    """Seeded random weights in pytorch-fid's layout, made with numpy alone.

    The weights keep activations at a moderate scale through all 94 convolutions, so
    that a parity check exercises every layer: He-normal kernels, batch-norm scales in
    [0.5, 1.5], shifts and running means N(0, 0.1²), running variances in [0.5, 1.5];
    `fc` weights N(0, 1/2048), biases N(0, 0.1²). One `numpy.random.default_rng(seed)`
    draws them in `state_dict_shapes()` order, so the same seed gives the same weights
    with or without torch. (numpy does not promise identical `Generator` streams across
    versions: the parity fixture records the numpy version it was made with, and a
    changed stream would fail the parity test loudly, not pass it.)

    Args:
        seed: a non-negative integer.

    Returns:
        A dict `{key: float32 array}` in torch layout.
    """
    rng = np.random.default_rng(check_positive_int("seed", seed, minimum=0))
    weights = {}
    for key, shape in state_dict_shapes():
        if key.endswith("conv.weight"):
            fan_in = np.prod(shape[1:])
            value = rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)
        elif key.endswith("bn.weight") or key.endswith("running_var"):
            value = rng.uniform(0.5, 1.5, shape)
        elif key == "fc.weight":
            value = rng.standard_normal(shape) / np.sqrt(shape[1])
        else:  # bn.bias, running_mean, fc.bias
            value = rng.normal(0.0, 0.1, shape)
        weights[key] = value.astype("float32")
    return weights


def load_state_dict(model, state_dict):
    """Copies pytorch-fid weights (numpy arrays in torch layout) into the Keras network.

    Convolution kernels go from `(out, in, kh, kw)` to `(kh, kw, in, out)`, `fc.weight`
    is transposed, BatchNorm's `weight, bias, running_mean, running_var` become
    `gamma, beta, moving_mean, moving_variance`; `num_batches_tracked` is ignored.

    Args:
        model: a network from `build_fid_inception`.
        state_dict: `{key: array}` with exactly pytorch-fid's keys and shapes.

    Returns:
        `model`, with the weights set.

    Raises:
        ValueError: naming missing, unexpected or mis-shaped keys.
    """
    state_dict = {k: np.asarray(v) for k, v in state_dict.items()
                  if not k.endswith("num_batches_tracked")}
    shapes = dict(state_dict_shapes())
    missing = sorted(set(shapes) - set(state_dict))
    unexpected = sorted(set(state_dict) - set(shapes))
    if missing or unexpected:
        raise ValueError(
            "`state_dict` must hold pytorch-fid's FID Inception parameters "
            f"({len(shapes)} tensors). Missing: {missing[:5]}{'...' if len(missing) > 5 else ''}"
            f"; unexpected: {unexpected[:5]}{'...' if len(unexpected) > 5 else ''}. "
            f"Received: state_dict with {len(state_dict)} keys")
    for key, shape in shapes.items():
        if tuple(state_dict[key].shape) != shape:
            raise ValueError(f"`state_dict[{key!r}]` must have shape {shape}. "
                             f"Received: shape={tuple(state_dict[key].shape)}")
    for key, _ in state_dict_shapes():
        if key.endswith(".conv.weight"):
            layer = model.get_layer(key[:-len(".weight")])
            layer.set_weights([state_dict[key].transpose(2, 3, 1, 0)])
        elif key.endswith(".bn.weight"):
            prefix = key[:-len(".weight")]
            layer = model.get_layer(prefix)
            layer.set_weights([state_dict[f"{prefix}.{part}"] for part in
                               ("weight", "bias", "running_mean", "running_var")])
    model.get_layer("fc").set_weights([state_dict["fc.weight"].T, state_dict["fc.bias"]])
    return model


# --------------------------------------------------------------------------------------
# The weights file: conversion, cache, download.


def _import_torch():
    try:
        import torch
    except ImportError as error:
        raise ImportError(
            "Converting pytorch-fid's weights file (.pth) needs PyTorch: "
            "`pip install tfgan[fid]` (or `pip install torch`). The converted "
            f"`{KERAS_WEIGHTS_FILE}` loads without it.") from error
    return torch


def read_pytorch_weights(path):
    """Reads a pytorch-fid `.pth` file into numpy arrays (needs torch).

    Loads with `torch.load(..., weights_only=True)`: plain tensors only, no pickled code.

    Args:
        path: the `.pth` file (e.g. `pt_inception-2015-12-05-6726825d.pth`).

    Returns:
        A dict `{key: float32 array}` in torch layout.
    """
    torch = _import_torch()
    state = torch.load(str(path), map_location="cpu", weights_only=True)
    if not isinstance(state, dict):
        raise ValueError(f"`path` must be a PyTorch state dict file. Received: path={path}")
    return {k: v.detach().cpu().numpy().astype("float32") for k, v in state.items()
            if not k.endswith("num_batches_tracked")}


def convert_pytorch_weights(pth_path, weights_path):
    """Converts pytorch-fid's `.pth` weights to a Keras `.weights.h5` file (needs torch).

    Args:
        pth_path: the PyTorch file, e.g. `pt_inception-2015-12-05-6726825d.pth`.
        weights_path: where to write the Keras weights (must end in `.weights.h5`).

    Returns:
        `weights_path` as a string.
    """
    weights_path = str(weights_path)
    if not weights_path.endswith(".weights.h5"):
        raise ValueError("`weights_path` must end in '.weights.h5'. "
                         f"Received: weights_path={weights_path!r}")
    model = load_state_dict(build_fid_inception(), read_pytorch_weights(pth_path))
    pathlib.Path(weights_path).parent.mkdir(parents=True, exist_ok=True)
    model.save_weights(weights_path)
    return weights_path


def default_weights_dir():
    """`$KERAS_HOME/models` (default `~/.keras/models`): where converted weights are cached."""
    home = os.environ.get("KERAS_HOME", os.path.join("~", ".keras"))
    return pathlib.Path(home).expanduser() / "models"


def _missing_weights_message(reason):
    return (
        f"The FID Inception weights are not available ({reason}). tfgan computes FIDs "
        "comparable with papers only with the original weights and never substitutes "
        f"others. Download `{FID_WEIGHTS_FILE}` from {FID_WEIGHTS_URL} on a machine with "
        f"network access, then either convert it once (`python -m "
        f"tfgan.metrics.fid_inception {FID_WEIGHTS_FILE} "
        f"{default_weights_dir() / KERAS_WEIGHTS_FILE}`, needs `pip install tfgan[fid]`), "
        f"which puts the Keras file where tfgan looks by default, or point "
        f"`FIDInceptionExtractor(weights_path=...)` or the environment variable "
        f"{WEIGHTS_ENV} at the `.pth` or `.weights.h5` file.")


def resolve_weights(weights_path=None, download=True):
    """Finds the FID Inception weights as a Keras `.weights.h5` file.

    In order: `weights_path`; the environment variable `TFGAN_FID_WEIGHTS`; the
    converted file cached in `default_weights_dir()`; else, with `download=True`, the
    `.pth` file from pytorch-fid's release (`keras.utils.get_file`, SHA-256 prefix
    checked), converted and cached (needs torch). A `.pth` given by path is converted
    into the cache too. Nothing falls back to other weights.

    Args:
        weights_path: a `.weights.h5` or `.pth` file, or `None`.
        download: allow the download.

    Returns:
        The path of a `.weights.h5` file.

    Raises:
        FileNotFoundError: a given path does not exist.
        RuntimeError: no weights, and the download was not allowed or failed; the message
            names the file, where to put it and `TFGAN_FID_WEIGHTS`.
    """
    source = "weights_path"
    if weights_path is None and os.environ.get(WEIGHTS_ENV):
        weights_path, source = os.environ[WEIGHTS_ENV], WEIGHTS_ENV
    cached = default_weights_dir() / KERAS_WEIGHTS_FILE
    if weights_path is not None:
        weights_path = pathlib.Path(weights_path).expanduser()
        if not weights_path.is_file():
            raise FileNotFoundError(
                f"`{source}` must name an existing FID Inception weights file "
                f"({KERAS_WEIGHTS_FILE} or {FID_WEIGHTS_FILE}). Received: "
                f"{source}={str(weights_path)!r}")
        if weights_path.suffix == ".pth":
            return convert_pytorch_weights(weights_path, cached)
        return str(weights_path)
    if cached.is_file():
        return str(cached)
    if not download:
        raise RuntimeError(_missing_weights_message("download=False"))
    try:
        pth = keras.utils.get_file(FID_WEIGHTS_FILE, FID_WEIGHTS_URL, cache_subdir="models")
    except Exception as error:  # noqa: BLE001 - re-raised with the fix
        raise RuntimeError(_missing_weights_message(f"download failed: {error}")) from error
    digest = hashlib.sha256(pathlib.Path(pth).read_bytes()).hexdigest()
    if not digest.startswith(FID_WEIGHTS_SHA256_PREFIX):
        raise RuntimeError(f"The downloaded {FID_WEIGHTS_FILE} is corrupt: its SHA-256 must "
                           f"start with {FID_WEIGHTS_SHA256_PREFIX}. Received: sha256={digest}")
    return convert_pytorch_weights(pth, cached)


# --------------------------------------------------------------------------------------
# Image protocols: quantize, resize, scale.

PROTOCOLS = ("clean", "legacy_tf")
OUTPUTS = ("pool", "logits", "logits_unbiased", "probabilities")


def quantize(images):
    """Images in [-1, 1] → uint8, as a generator's samples are saved: `floor(127.5 x + 128)`
    clipped to [0, 255] (StyleGAN2-ADA's metrics, clean-fid). uint8 input is returned as is."""
    images = np.asarray(images)
    if images.dtype == np.uint8:
        return images
    return np.clip(np.floor(images.astype("float32") * 127.5 + 128.0), 0, 255).astype("uint8")


def resize_clean(images, size=INPUT_SIZE):
    """clean-fid's `clean` resize (Parmar et al. 2022): PIL bicubic on each channel as
    float32, clipped to [0, 255], not requantized.

    Args:
        images: uint8 or float array `(n, height, width, channels)` with values in [0, 255].
        size: the output side.

    Returns:
        float32 `(n, size, size, channels)` in [0, 255].
    """
    images = np.asarray(images, dtype="float32")
    out = np.empty((images.shape[0], size, size, images.shape[-1]), dtype="float32")
    for i, image in enumerate(images):
        for c in range(image.shape[-1]):
            resized = Image.fromarray(np.ascontiguousarray(image[..., c])).resize(
                (size, size), resample=Image.BICUBIC)
            out[i, ..., c] = np.clip(np.asarray(resized), 0, 255)
    return out


def resize_legacy_tf(images, size=INPUT_SIZE):
    """The resize inside the original TensorFlow FID graph (TTUR, torch-fidelity):
    TF1 `resize_bilinear` with `align_corners=False` and no half-pixel centres, on the
    float values of uint8 images.

    Args:
        images: uint8 or float array `(n, height, width, channels)` with values in [0, 255].
        size: the output side.

    Returns:
        float32 `(n, size, size, channels)`.
    """
    images = tf.convert_to_tensor(np.asarray(images, dtype="float32"))
    return tf.raw_ops.ResizeBilinear(images=images, size=[size, size], align_corners=False,
                                     half_pixel_centers=False).numpy()


@keras.saving.register_keras_serializable(package="tfgan")
class FIDInceptionExtractor(FeatureExtractor):
    """The FID Inception network (pytorch-fid / clean-fid / torch-fidelity) as an extractor.

    Images (in [-1, 1], or uint8) are quantized to uint8 first, as saved samples would be;
    grey images are repeated to RGB; the `protocol` resizes them to 299x299; they are
    scaled to `(x - 128) / 128` and run through `build_fid_inception`. The protocol is
    part of the extractor's `name` and of the metric names (`fid10k_clean`).

    Args:
        output: `"pool"` (2048-d features: FID, KID, precision/recall), `"logits"`
            (1008-way, with bias), `"logits_unbiased"` (without the bias) or
            `"probabilities"` (softmax of the unbiased logits: the Inception Score of
            Salimans et al. 2016 and torch-fidelity).
        protocol: `"clean"` (clean-fid's PIL bicubic resize, Parmar et al. 2022; the
            default) or `"legacy_tf"` (TF1 bilinear resize of the original FID code,
            Heusel et al. 2017; torch-fidelity's published values).
        weights_path: a `.weights.h5` (from `convert_pytorch_weights`) or the original
            `.pth` file; `None` reads `TFGAN_FID_WEIGHTS`, then the cache, then
            downloads (see `resolve_weights`). Without the weights the first call raises,
            naming the file: no other network is substituted.
        batch_size: images per network call.
        download: allow downloading the weights when they are not found.
        name: the name in protocols; `None` gives `fid_inception-{protocol}-{output}`.
    """

    def __init__(self, output="pool", protocol="clean", weights_path=None, batch_size=32,
                 download=True, name=None):
        if output not in OUTPUTS:
            raise ValueError(f"`output` must be one of {OUTPUTS}. Received: output={output!r}")
        if protocol not in PROTOCOLS:
            raise ValueError(f"`protocol` must be one of {PROTOCOLS}. "
                             f"Received: protocol={protocol!r}")
        self.output = output
        self.protocol = protocol
        self.weights_path = None if weights_path is None else str(weights_path)
        self.download = bool(download)
        super().__init__(None, name=name or f"fid_inception-{protocol}-{output}",
                         image_size=(INPUT_SIZE, INPUT_SIZE), channels=3,
                         batch_size=batch_size, softmax=output == "probabilities")
        self._network = None

    def preprocess(self, images):
        """Quantizes to uint8, converts to RGB, resizes by the protocol, scales to
        `(x - 128) / 128`."""
        images = quantize(images)
        if images.ndim != 4 or images.shape[-1] not in (1, 3):
            raise ValueError("Images must be a batch (n, height, width, 1 or 3). "
                             f"Received: shape={images.shape}")
        if images.shape[-1] == 1:
            images = np.repeat(images, 3, axis=-1)
        resize = resize_clean if self.protocol == "clean" else resize_legacy_tf
        return ((resize(images, INPUT_SIZE) - 128.0) / 128.0).astype("float32")

    def get_model(self):
        if self._network is None:
            network = build_fid_inception()
            network.load_weights(resolve_weights(self.weights_path, self.download))
            self._network = network
            # One graph for every batch size: ~1.6x faster than eager calls on CPU.
            self._outputs = tf.function(self._select, input_signature=[tf.TensorSpec(
                (None, INPUT_SIZE, INPUT_SIZE, 3), tf.float32)])
        return self._outputs

    def _select(self, batch):
        pool, logits = self._network(batch, training=False)
        if self.output == "pool":
            return pool
        if self.output == "logits":
            return logits
        return keras.ops.matmul(pool, self._network.get_layer("fc").kernel)

    def get_config(self):
        return {"output": self.output, "protocol": self.protocol,
                "weights_path": self.weights_path, "batch_size": self.batch_size,
                "download": self.download, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def main(argv=None):
    """`python -m tfgan.metrics.fid_inception SRC.pth [DST.weights.h5]`: converts the
    weights (DST defaults to the cache `default_weights_dir()`)."""
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) not in (1, 2) or argv[0] in ("-h", "--help"):
        print(main.__doc__)
        return 2
    target = argv[1] if len(argv) == 2 else default_weights_dir() / KERAS_WEIGHTS_FILE
    print(convert_pytorch_weights(argv[0], target))
    return 0


if __name__ == "__main__":
    sys.exit(main())
