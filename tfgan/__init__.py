"""tfgan: GANs for Keras 3 on TensorFlow.

The subpackages load on first use (PEP 562): `import tfgan` alone does not import
TensorFlow, so the `tfgan` command answers `--help` at once. `tfgan.GAN`, `tfgan.losses`,
`from tfgan import models` import what they name; `tfgan.load_all()` imports every
subpackage (and so registers every tfgan class for `keras.saving.load_model`).
"""

import importlib

__version__ = "0.1.0"

_SUBPACKAGES = ("architectures", "augment", "callbacks", "datasets", "export", "latent",
                "layers", "losses", "metrics", "models", "penalties", "presets", "report",
                "utils")
_CLASSES = {"SpectralNorm": "layers", "ConditionalGAN": "models", "CycleGAN": "models",
            "GAN": "models", "Pix2Pix": "models", "GradientPenalty": "penalties",
            "R1Penalty": "penalties"}
__all__ = [*_SUBPACKAGES, *_CLASSES, "load_all"]


def load_all():
    """Imports every tfgan subpackage, which registers every tfgan class with Keras."""
    for name in _SUBPACKAGES:
        importlib.import_module(f"tfgan.{name}")


def __getattr__(name):
    if name in _SUBPACKAGES:
        return importlib.import_module(f"tfgan.{name}")
    if name in _CLASSES:
        return getattr(importlib.import_module(f"tfgan.{_CLASSES[name]}"), name)
    raise AttributeError(f"module 'tfgan' has no attribute {name!r}")


def __dir__():
    return sorted([*__all__, "__version__"])
