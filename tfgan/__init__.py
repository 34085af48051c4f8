"""tfgan: GANs for Keras 3 on TensorFlow.

`import tfgan` imports every subpackage, which registers every tfgan class for
`keras.saving.load_model`. The one exception is the `tfgan` command (`tfgan ...` or
`python -m tfgan.cli ...`): it starts without TensorFlow, so that `tfgan --help` answers at
once, and calls `load_all()` before running a command. Either way the public names also
resolve on first use (PEP 562).
"""

import importlib
import os
import sys

__version__ = "0.1.0"

_SUBPACKAGES = ("architectures", "augment", "callbacks", "datasets", "export", "latent",
                "layers", "losses", "metrics", "models", "penalties", "presets", "report",
                "stabilizers", "utils")
_CLASSES = {"SpectralNorm": "layers", "ConditionalGAN": "models", "CycleGAN": "models",
            "GAN": "models", "Inpainting": "models", "Pix2Pix": "models",
            "GradientPenalty": "penalties", "InfoGAN": "models", "R1Penalty": "penalties",
            "SelfConditionedGAN": "models", "SRGAN": "models",
            "StyleGAN": "models", "TextImageMatcher": "models", "TextToImageGAN": "models"}
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


def _started_as_the_command():
    """True while the `tfgan` console script or `python -m tfgan.cli` starts up."""
    argv = sys.orig_argv
    if "-m" in argv[:-1] and argv[argv.index("-m") + 1] in ("tfgan.cli", "tfgan.cli.main"):
        return True
    script = os.path.basename(sys.argv[0]) if sys.argv else ""
    return script in ("tfgan", "tfgan.exe", "tfgan-script.py")


if not _started_as_the_command():
    load_all()
