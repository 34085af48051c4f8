"""Stabilizers: serializable objects that plug into any tfgan model's training step.

Pass them to `compile(stabilizers=[...])` of every tfgan model; see
`tfgan.stabilizers.base` for the four hooks (discriminator inputs, discriminator
regularizers, generator regularizers, after-update). Penalties (`tfgan.penalties`) and
`tfgan.augment.DiffAugment` are stabilizers too.
"""

import keras

from tfgan.stabilizers.base import HOOKS
from tfgan.stabilizers.base import Stabilizer
from tfgan.stabilizers.feature_matching import FeatureMatching
from tfgan.stabilizers.instance_noise import InstanceNoise
from tfgan.stabilizers.orthogonal import OrthogonalRegularization
from tfgan.stabilizers.orthogonal import off_diagonal_gram_norm
from tfgan.stabilizers.orthogonal import regularized_kernels
from tfgan.stabilizers.path_length import PathLengthPenalty
from tfgan.stabilizers.path_length import path_lengths
from tfgan.stabilizers.weight_clipping import WeightClipping


def get(identifier):
    """Resolves a stabilizer from an object, a config dict or a penalty name (`"r1"`, ...).

    Raises:
        TypeError: for anything that is not a stabilizer (an object whose `hook` is one of
            `HOOKS`).
    """
    from tfgan import penalties

    if isinstance(identifier, str):
        return penalties.get(identifier)
    if isinstance(identifier, dict):
        identifier = keras.saving.deserialize_keras_object(identifier)
    if getattr(identifier, "hook", None) not in HOOKS:
        raise TypeError(
            "A stabilizer must be an object whose `hook` is one of "
            f"{HOOKS} (tfgan.penalties, tfgan.augment.DiffAugment, tfgan.stabilizers), a "
            f"config dict or a penalty name. Received: {identifier!r}")
    return identifier
