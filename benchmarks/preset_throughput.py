"""Training throughput of a preset's `fit`, with and without XLA (`jit_compile`).

The preset's model and data (its defaults, e.g. `stylegan-mnist`: StyleGAN2 at 32x32x1,
batch 32, lazy R1 every 16 and path length every 4 steps) train on the same cached batches
in one process; each configuration is timed `--repeats` times, interleaved, over
`--steps` steps after `--warmup` steps of the same `fit` call (tracing and compilation left
out), and the median images/s is kept. `--steps` should be a multiple of the lazy
regularizers' intervals (16) so that every timing holds the same mix of steps. Ratios
compare runs of the same invocation.

    python benchmarks/preset_throughput.py --preset stylegan-mnist --steps 64 --repeats 3
"""

import argparse
import json
import statistics
import time

import keras
import tensorflow as tf

import tfgan


class _Steady(keras.callbacks.Callback):
    """Seconds between the end of batch `warmup` and the end of the last batch."""

    def __init__(self, warmup):
        super().__init__()
        self.warmup, self.start, self.end = warmup, None, None

    def on_train_batch_end(self, batch, logs=None):
        if batch + 1 == self.warmup:
            self.start = time.perf_counter()
        self.end = time.perf_counter()


def images_per_second(model, data, steps, warmup, batch_size):
    timer = _Steady(warmup)
    model.fit(data, epochs=1, steps_per_epoch=warmup + steps, verbose=0, callbacks=[timer])
    return steps * batch_size / (timer.end - timer.start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="stylegan-mnist")
    parser.add_argument("--steps", type=int, default=64)
    parser.add_argument("--warmup", type=int, default=17)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", default=None, help="also write the results here")
    args = parser.parse_args()
    preset = tfgan.presets.get(args.preset)
    config = preset.resolve()
    data = preset.dataset(config, seed=0).take(32).cache().repeat()
    models = {}
    for xla in (False, True):
        keras.utils.set_random_seed(0)
        model = preset.build(config, seed=0)
        model.jit_compile = xla
        model.make_train_function(force=True)
        models["xla" if xla else "no_xla"] = model
    timings, errors = {name: [] for name in models}, {}
    for _ in range(args.repeats):
        for name, model in models.items():
            if name in errors:
                continue
            try:
                timings[name].append(images_per_second(model, data, args.steps, args.warmup,
                                                       config["batch_size"]))
            except tf.errors.OpError as error:  # e.g. a graph XLA cannot compile
                errors[name] = f"{type(error).__name__}: {error.message.splitlines()[0]}"
    result = {"preset": args.preset, "batch_size": config["batch_size"], "steps": args.steps,
              "repeats": args.repeats,
              **{f"{name}_images_per_s": round(statistics.median(t), 1)
                 for name, t in timings.items() if t},
              **{f"{name}_error": message for name, message in errors.items()}}
    if not errors:
        result["xla_speedup"] = round(result["xla_images_per_s"]
                                      / result["no_xla_images_per_s"], 3)
    print(json.dumps(result))
    if args.json:
        with open(args.json, "w") as f:
            f.write(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
