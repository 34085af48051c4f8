"""BigGAN's modified orthogonal regularization of the generator (Brock et al. 2019)."""

import keras
from keras import layers
from keras import ops

from tfgan.stabilizers.base import Stabilizer
from tfgan.utils.distribute import num_replicas
from tfgan.utils.validation import check_non_negative

_TRANSPOSED = (layers.Conv1DTranspose, layers.Conv2DTranspose, layers.Conv3DTranspose)
_KERNEL_LAYERS = (layers.Dense, layers.Conv1D, layers.Conv2D, layers.Conv3D, *_TRANSPOSED)


def regularized_kernels(network):
    """The kernels of `network`'s dense and convolution layers (nested ones included), as
    `(fan_in, fan_out)` matrices.

    A convolution kernel `(k..., in, out)` becomes `(k…·in, out)`; a transposed one, stored
    as `(k..., out, in)`, is first swapped to `(k..., in, out)`. Biases, normalization
    parameters and embeddings are not kernels of these layers and are left out.

    Returns:
        A list of float32 tensors, one per kernel, in layer order.
    """
    matrices = []
    for layer in network._flatten_layers(include_self=False, recursive=True):
        if not isinstance(layer, _KERNEL_LAYERS) or not layer.built:
            continue
        kernel = ops.cast(layer.kernel, "float32")
        if isinstance(layer, _TRANSPOSED):
            rank = len(kernel.shape)
            kernel = ops.transpose(kernel, (*range(rank - 2), rank - 1, rank - 2))
        matrices.append(ops.reshape(kernel, (-1, int(kernel.shape[-1]))))
    return matrices


def off_diagonal_gram_norm(matrix):
    """`‖WᵀW ⊙ (1 − I)‖²_F` of a `(fan_in, fan_out)` matrix `W`: the squared inner products
    of distinct columns (0 exactly when the columns are orthogonal, whatever their norms)."""
    gram = ops.matmul(ops.transpose(matrix), matrix)
    off_diagonal = gram * (1.0 - ops.eye(int(matrix.shape[-1]), dtype=gram.dtype))
    return ops.sum(ops.square(off_diagonal))


@keras.saving.register_keras_serializable(package="tfgan")
class OrthogonalRegularization(Stabilizer):
    """BigGAN's modified orthogonal regularization of G (Brock et al. 2019, section 3.1).

    G also minimizes `β · Σ_W ‖WᵀW ⊙ (1 − I)‖²_F` over the kernels `W` of its dense and
    convolution layers, reshaped to `(fan_in, fan_out)` (`regularized_kernels`), logged
    unweighted as `orthogonal_regularization`. Unlike the full orthogonal regularization
    `‖WᵀW − I‖²_F` (Brock et al. 2017), only the inner products of distinct filters are
    penalized, not their norms: it makes G amenable to the truncation trick without
    limiting its capacity. Biases, batch-norm parameters and embeddings are not
    regularized. The paper uses `β = 1e-4`.

    BigGAN-PyTorch applies the gradient `2·β·(WᵀW ⊙ (1 − I))W` directly, i.e. half this
    value's gradient; to reproduce it, pass half its `ortho_reg` strength.

    Args:
        weight: `β`. Default 1e-4 (Brock et al. 2019).
        name: metric name of the unweighted value. Default `"orthogonal_regularization"`.
    """

    hook = "generator_regularizer"

    def __init__(self, weight=1e-4, name="orthogonal_regularization"):
        self.weight = check_non_negative("weight", weight)
        if not isinstance(name, str) or not name:
            raise ValueError(f"`name` must be a non-empty string. Received: name={name!r}")
        self.name = name

    @property
    def metric_names(self):
        return [self.name]

    def bind(self, model):
        names = getattr(model, "GENERATORS", ())
        if not any(regularized_kernels(getattr(model, n)) for n in names):
            raise ValueError(
                "OrthogonalRegularization needs a generator with dense or convolution "
                f"kernels; this model has none. Received: model={type(model).__name__}")

    def value(self, model):
        """The unweighted `Σ_W ‖WᵀW ⊙ (1 − I)‖²_F` over every generator of `model`."""
        total = 0.0
        for name in model.GENERATORS:
            for matrix in regularized_kernels(getattr(model, name)):
                total = total + off_diagonal_gram_norm(matrix)
        return total

    def generator_term(self, model, real, fake, latents):
        """`(β·value / replicas, {name: value})`."""
        del real, fake, latents
        value = self.value(model)
        return self.weight * value / num_replicas(), {self.name: value}

    def get_config(self):
        return {"weight": self.weight, "name": self.name}
