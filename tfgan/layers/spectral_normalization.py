"""Spectral normalization as a reparameterization (Miyato et al. 2018)."""

import keras
from keras import ops
from tfgan.utils.validation import check_positive_int

_SUPPORTED = (keras.layers.Dense, keras.layers.Conv1D, keras.layers.Conv2D,
              keras.layers.Conv3D)
_TRANSPOSED = (keras.layers.Conv1DTranspose, keras.layers.Conv2DTranspose,
               keras.layers.Conv3DTranspose)


def _l2_normalize(x, eps):
    return x / ops.maximum(ops.sqrt(ops.sum(ops.square(x))), eps)


@keras.saving.register_keras_serializable(package="tfgan")
class SpectralNorm(keras.layers.Wrapper):
    """Spectral normalization of a Dense or Conv layer (Miyato et al. 2018).

    The wrapped layer computes its output with `W_SN = W / σ(W)`, where `σ(W)` is the
    largest singular value of the kernel reshaped to `(fan_in, units)`, estimated by power
    iteration with a persistent vector `u`:

        v ← normalize(W u),  u ← normalize(Wᵀ v),  σ(W) = vᵀ W u.

    As in the paper, `u` and `v` are constants for the gradient (`stop_gradient`), but σ
    is a function of W, so the gradient of the loss with respect to W contains the term
    through σ: `∂L/∂W = (1/σ)·(∂L/∂W_SN - ⟨∂L/∂W_SN, W_SN⟩·v uᵀ)`. The stored kernel is
    never overwritten: the optimizer updates `W` and each call renormalizes it.

    Difference from `keras.layers.SpectralNormalization`: Keras' layer assigns
    `W / σ` into the kernel variable during training calls (a projection after the
    fact), so no `dσ/dW` term reaches the gradient and the optimizer's state refers to a
    kernel that is rescaled under it. Ours is the paper's reparameterization.

    `power_iterations` steps (default 1, the paper's) update `u` on each call with
    `training=True`; inference calls reuse the stored `u` (`σ = ‖W u‖`) and change
    nothing, so the layer works in `fit`, under XLA, in saved models and exports.

    Args:
        layer: a `Dense`, `Conv1D`, `Conv2D` or `Conv3D` layer (not yet built or built).
        power_iterations: power-iteration steps per training call. Default 1.
        eps: floor of norms in the normalization. Default 1e-12.
        **kwargs: passed to `keras.layers.Wrapper`.
    """

    def __init__(self, layer, power_iterations=1, eps=1e-12, **kwargs):
        super().__init__(layer, **kwargs)
        if not isinstance(layer, _SUPPORTED) or isinstance(layer, _TRANSPOSED):
            raise TypeError(
                "`layer` must be a keras Dense, Conv1D, Conv2D or Conv3D layer. "
                f"Received: layer={layer!r}")
        self.power_iterations = check_positive_int("power_iterations", power_iterations)
        self.eps = float(eps)

    def build(self, input_shape):
        if not self.layer.built:
            self.layer.build(input_shape)
        units = int(self.layer.kernel.shape[-1])
        self.u = self.add_weight(
            shape=(units,), initializer=keras.initializers.RandomNormal(stddev=1.0),
            trainable=False, name="u", aggregation="only_first_replica")
        self.built = True

    def _matrix(self):
        kernel = self.layer.kernel
        return ops.reshape(kernel, (-1, int(kernel.shape[-1])))

    def sigma(self, training=False):
        """The current estimate of σ(W) (updating `u` when `training`)."""
        w = ops.cast(self._matrix(), "float32")
        u = ops.cast(self.u, "float32")
        if training:
            for _ in range(self.power_iterations):
                v = _l2_normalize(ops.matmul(w, u), self.eps)
                u = _l2_normalize(ops.matmul(ops.transpose(w), v), self.eps)
            u = ops.stop_gradient(u)
            v = ops.stop_gradient(v)
            self.u.assign(ops.cast(u, self.u.dtype))
        else:
            v = ops.stop_gradient(_l2_normalize(ops.matmul(w, u), self.eps))
            u = ops.stop_gradient(u)
        return ops.sum(v * ops.matmul(w, u))

    def normalized_kernel(self, training=False):
        """`W / σ(W)` in the kernel's shape and dtype."""
        kernel = self.layer.kernel
        return kernel / ops.cast(self.sigma(training), kernel.dtype)

    def call(self, inputs, training=None):
        kernel = self.normalized_kernel(bool(training))
        layer = self.layer
        if isinstance(layer, keras.layers.Dense):
            outputs = ops.matmul(inputs, kernel)
            bias_shape = None
        else:
            outputs = layer.convolution_op(inputs, kernel)
            if layer.data_format == "channels_last":
                bias_shape = (1,) * (layer.rank + 1) + (layer.filters,)
            else:
                bias_shape = (1, layer.filters) + (1,) * layer.rank
        if layer.use_bias:
            bias = layer.bias if bias_shape is None else ops.reshape(layer.bias, bias_shape)
            outputs = ops.add(outputs, bias)
        if layer.activation is not None:
            outputs = layer.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"power_iterations": self.power_iterations, "eps": self.eps})
        return config
