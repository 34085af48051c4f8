"""Training throughput of `tfgan.GAN.fit` against a plain `tf.function` loop.

Both train the same DCGAN-MNIST networks (the `dcgan-mnist` preset: 28x28x1, 32 base
filters, 64-d latent), batch and optimizers on the same in-memory batches, in the same
process, with and without XLA. Also reported: the FLOPs of one training step counted by the
TF profiler on the plain step's graph, and the fraction of this machine's float32 matmul
peak (measured here with a 2048x2048 matmul before and after every repeat, best kept) that
each loop reaches, next to the same fraction for the network's own matrix products run
alone as matmuls (`gemm_ceiling`: what the step could reach if it were nothing but its
convolutions, at the speed of this machine's matmul kernels for those shapes).

    python benchmarks/train_throughput.py --steps 60 --repeats 3

Throughput is steady state: `fit`'s time is taken between the ends of its batches (after
3 warm-up batches of the same call), the plain loop's over the same number of steps after
3 warm-up steps, so one-off costs (tracing, building the iterator) are left out of both.
Each configuration is timed `--repeats` times, interleaved, and the median is kept; ratios
compare runs of the same invocation.
"""

import argparse
import json
import statistics
import time

import keras
import numpy as np
import tensorflow as tf

import tfgan

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--batch-size", type=int, default=128)
parser.add_argument("--steps", type=int, default=60)
parser.add_argument("--repeats", type=int, default=3)
parser.add_argument("--json", default=None, help="also write the results here")
args = parser.parse_args()

preset = tfgan.presets.get("dcgan-mnist").resolve()
images = tfgan.datasets.load_embedded_mnist()[0][: args.batch_size * 8]
images = (images[..., None].astype("float32") / 127.5 - 1.0)
batches = [images[i:i + args.batch_size] for i in range(0, len(images), args.batch_size)]
WARMUP = 3


def networks():
    keras.utils.set_random_seed(0)
    return (tfgan.architectures.dcgan_generator((28, 28, 1), latent_dim=preset["latent_dim"],
                                                base_filters=preset["base_filters"]),
            tfgan.architectures.dcgan_discriminator((28, 28, 1),
                                                    base_filters=preset["base_filters"]))


class BatchClock(keras.callbacks.Callback):
    """Records the time at the end of every training batch."""

    def on_train_begin(self, logs=None):
        self.times = []

    def on_train_batch_end(self, batch, logs=None):
        self.times.append(time.perf_counter())


def tfgan_runner(jit):
    gan = tfgan.GAN(*networks(), seed=0)
    gan.compile(jit_compile=jit)
    dataset = tf.data.Dataset.from_tensor_slices(np.concatenate(batches)).batch(
        args.batch_size, drop_remainder=True).cache().repeat()
    clock = BatchClock()

    def run(steps):
        """Seconds for `steps` steady-state steps (after WARMUP steps of the same fit)."""
        gan.fit(dataset, steps_per_epoch=WARMUP + steps, epochs=1, verbose=0, shuffle=False,
                callbacks=[clock])
        return clock.times[-1] - clock.times[WARMUP - 1]

    return run


def plain_step_function(jit):
    generator, discriminator = networks()
    g_opt, d_opt = tfgan.models.default_optimizer(), tfgan.models.default_optimizer()
    bce = keras.losses.BinaryCrossentropy(from_logits=True)

    @tf.function(jit_compile=jit)
    def step(real, seed):
        batch = tf.shape(real)[0]
        z = tf.random.stateless_normal((batch, preset["latent_dim"]), seed=seed)
        with tf.GradientTape() as tape:
            fake = generator(z, training=True)
            real_logits = discriminator(real, training=True)
            fake_logits = discriminator(fake, training=True)
            d_loss = (bce(tf.ones_like(real_logits), real_logits)
                      + bce(tf.zeros_like(fake_logits), fake_logits))
        grads = tape.gradient(d_loss, discriminator.trainable_variables)
        d_opt.apply_gradients(zip(grads, discriminator.trainable_variables))
        z = tf.random.stateless_normal((batch, preset["latent_dim"]), seed=seed + 1)
        with tf.GradientTape() as tape:
            fake_logits = discriminator(generator(z, training=True), training=True)
            g_loss = bce(tf.ones_like(fake_logits), fake_logits)
        grads = tape.gradient(g_loss, generator.trainable_variables)
        g_opt.apply_gradients(zip(grads, generator.trainable_variables))
        return d_loss, g_loss

    return step


def plain_runner(jit):
    step = plain_step_function(jit)
    tensors = [tf.constant(b) for b in batches]

    def run(steps):
        for i in range(WARMUP):
            out = step(tensors[i % len(tensors)], tf.constant([i, 0], tf.int64))
        out[0].numpy()
        start = time.perf_counter()
        for i in range(steps):
            out = step(tensors[i % len(tensors)], tf.constant([i, 0], tf.int64))
        out[0].numpy()
        return time.perf_counter() - start

    return run


def step_flops():
    step = plain_step_function(False)
    concrete = step.get_concrete_function(
        tf.TensorSpec((args.batch_size, 28, 28, 1), tf.float32), tf.TensorSpec((2,), tf.int64))
    from tensorflow.python.profiler import model_analyzer
    from tensorflow.python.profiler import option_builder

    options = option_builder.ProfileOptionBuilder.float_operation()
    options["output"] = "none"
    info = model_analyzer.profile(concrete.graph, options=options)
    return info.total_float_ops


def matmul_seconds(m, k, n, repeats=10):
    """Best time of one float32 `(m, k) @ (k, n)` matmul."""
    a = tf.random.normal((m, k))
    b = tf.random.normal((k, n))
    matmul = tf.function(lambda x, y: tf.matmul(x, y))
    matmul(a, b).numpy()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        matmul(a, b).numpy()
        best = min(best, time.perf_counter() - start)
    return best


def matmul_peak(n=2048):
    return 2 * n ** 3 / matmul_seconds(n, n, n)


def layer_gemms(batch_size):
    """The matrix products of one forward and backward pass through each layer with a kernel.

    A convolution is a product of `(pixels, kh·kw·c_in)` patches with the `(kh·kw·c_in,
    c_out)` kernel (a transposed convolution: `(input pixels, c_in) @ (c_in, kh·kw·c_out)`);
    its backward pass is two more products of the same size (for the input and the kernel
    gradients). Returns `(m, k, n)` triples.
    """
    shapes = []
    for model in networks():
        for layer in model.layers:
            if not hasattr(layer, "kernel"):
                continue
            kernel = tuple(layer.kernel.shape)
            if isinstance(layer, keras.layers.Conv2DTranspose):
                m = batch_size * int(np.prod(layer.input.shape[1:3]))
                k, n = kernel[3], kernel[0] * kernel[1] * kernel[2]
            elif isinstance(layer, keras.layers.Conv2D):
                m = batch_size * int(np.prod(layer.output.shape[1:3]))
                k, n = int(np.prod(kernel[:3])), kernel[3]
            else:
                m, (k, n) = batch_size, kernel
            shapes += [(m, k, n), (m, n, k), (k, m, n)]  # forward, input grad, kernel grad
    return shapes


def gemm_ceiling(batch_size):
    """FLOP/s of this network's matrix products, each run alone as one large matmul.

    An upper estimate of what any implementation of the step can reach with this machine's
    matmul kernels: the step adds losses, normalization, activations and optimizer updates
    (and some products are smaller than these, e.g. the batch halves of D's passes).
    """
    shapes = layer_gemms(batch_size)
    flops = sum(2 * m * k * n for m, k, n in shapes)
    return flops / sum(matmul_seconds(m, k, n) for m, k, n in shapes)


def main():
    runners = {f"{name}{'+xla' if jit else ''}": make(jit)
               for jit in (False, True) for name, make in (("tfgan_fit", tfgan_runner),
                                                           ("plain_loop", plain_runner))}
    for run in runners.values():
        run(1)  # trace and compile
    times = {name: [] for name in runners}
    peaks = []
    for _ in range(args.repeats):
        peaks.append(matmul_peak())
        for name, run in runners.items():
            times[name].append(run(args.steps))
    peaks.append(matmul_peak())
    flops = step_flops()
    peak = max(peaks)  # the best the machine showed during this invocation
    ceiling = gemm_ceiling(args.batch_size)
    results = {"batch_size": args.batch_size, "steps": args.steps, "repeats": args.repeats,
               "flops_per_step": flops, "flops_per_image": flops / args.batch_size,
               "matmul_peak_gflops": peak / 1e9,
               "gemm_ceiling_fraction_of_peak": ceiling / peak, "runs": {}}
    for name, values in times.items():
        seconds = statistics.median(values)
        results["runs"][name] = {
            "images_per_second": args.steps * args.batch_size / seconds,
            "fraction_of_matmul_peak": flops * args.steps / seconds / peak,
        }
    for jit in ("", "+xla"):
        results[f"tfgan_vs_plain{jit}"] = (results["runs"][f"tfgan_fit{jit}"]["images_per_second"]
                                           / results["runs"][f"plain_loop{jit}"][
                                               "images_per_second"])
    print(json.dumps(results, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
