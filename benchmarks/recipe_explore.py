"""Exploration sweep for issue 17: 28x28 network widths and optimizer settings of the
`dcgan-mnist` preset at an equal wall-clock budget, judged at several EMA half-lives.

A config is a JSON object of the preset's keys plus `gw` (generator width: 7x7x(4·gw) →
14x14x(2·gw) → 28x28x(gw) → 3x3 image convolution, i.e. `dcgan_generator(base_filters=gw,
output_convolution=True)`), `dw` (D widths dw, 2·dw), `d_norm` (D normalization) and `up`
(nearest-neighbour upsampling blocks), or `{"arch": "preset"}` for the preset as it is.
The run length (which LR schedules see) comes from timing 100 steps
(`_judged.step_seconds`); the run then trains that many steps. The live generator and EMAs with 10k, 50k and 200k-image half-lives
(kept by `MultiEMA`) are judged by the shipped MNIST classifier on 10,000 samples
(`_judged.ClassifierJudge`). One JSON line is appended to `--save` and the 50k-EMA grid is
written next to it.

    PYTHONPATH=. python benchmarks/recipe_explore.py small 300 '{"gw": 16, "dw": 64}'

Runs must not share the machine with other jobs (the step timing sets the run length).
"""

import argparse
import json
import pathlib
import sys
import time

import keras

import tfgan
from tfgan import presets
from tfgan.utils.ema import ema_decay_for_half_life
from tfgan.utils.ema import update_ema

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import _judged  # noqa: E402

HALF_LIVES = (10_000, 50_000, 200_000)
NETWORK_KEYS = ("gw", "dw", "d_norm", "up", "arch")


def build(config, steps):
    """The GAN of `config` (preset keys and NETWORK_KEYS), compiled as the preset's."""
    preset = presets.get("dcgan-mnist")
    if config.get("arch") == "preset":
        return preset.build({k: v for k, v in config.items() if k not in NETWORK_KEYS},
                            seed=0, steps=steps)
    if config.get("clusters"):
        raise ValueError("Only `arch: preset` builds a self-conditioned GAN. "
                         f"Received: clusters={config['clusters']}, arch={config.get('arch')}")
    generator = tfgan.architectures.dcgan_generator(
        (28, 28, 1), latent_dim=config["latent_dim"], base_filters=config.get("gw", 64),
        upsampling="upsample" if config.get("up") else "transposed", output_convolution=True)
    discriminator = tfgan.architectures.dcgan_discriminator(
        (28, 28, 1), base_filters=config.get("dw", 64),
        normalization=config.get("d_norm", "batch"))
    gan = tfgan.GAN(generator, discriminator, seed=0, ema_decay=presets._ema(config))
    gan.compile(**presets._dcgan_compile_kwargs(config, steps))
    return gan


class MultiEMA(keras.callbacks.Callback):
    """EMAs of the generator with several half-lives (in images), updated every `every`
    steps with the decay of `every` steps (`tfgan.utils.ema.update_ema`)."""

    def __init__(self, half_lives, batch_size, every=4):
        super().__init__()
        self.decays = {h: ema_decay_for_half_life(h, batch_size) ** every for h in half_lives}
        self.every, self.averages = every, {}

    def on_train_begin(self, logs=None):
        for half_life in self.decays:
            average = keras.models.clone_model(self.model.generator)
            average.set_weights(self.model.generator.get_weights())
            self.averages[half_life] = average

    def on_train_batch_end(self, batch, logs=None):
        if (batch + 1) % self.every == 0:
            for half_life, decay in self.decays.items():
                update_ema(self.averages[half_life], self.model.generator, decay)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name")
    parser.add_argument("budget", type=float, help="seconds of training steps")
    parser.add_argument("config", help="JSON object of overrides")
    parser.add_argument("--save", default="runs/recipe_explore.jsonl")
    args = parser.parse_args()
    overrides = json.loads(args.config)
    # The exploration predates self-conditioning: unconditional unless overridden.
    config = {**presets.get("dcgan-mnist").resolve(), "clusters": None, **overrides}
    data = presets.get("dcgan-mnist").dataset(
        {"batch_size": config["batch_size"], "clusters": config["clusters"]}, seed=0).repeat()
    keras.utils.set_random_seed(0)
    # A 10% margin for the EMA callback.
    step_s = _judged.step_seconds(build(config, 1000), data) * 1.1
    steps = int(args.budget / step_s)
    keras.utils.set_random_seed(0)
    model = build(config, steps)
    emas = MultiEMA(HALF_LIVES, config["batch_size"])
    start = time.perf_counter()
    model.fit(data, epochs=1, steps_per_epoch=steps, verbose=0, callbacks=[emas])
    record = {"name": args.name, "cfg": overrides, "steps": steps,
              "train_s": round(time.perf_counter() - start, 1),
              "g_params": model.generator.count_params()}
    judge = _judged.ClassifierJudge("mnist")
    latents = model.sample_latents(10_000, 0)
    out = pathlib.Path(args.save)
    out.parent.mkdir(parents=True, exist_ok=True)
    for half_life in (None, *HALF_LIVES):
        generator = model.generator if half_life is None else emas.averages[half_life]
        images = generator.predict(latents, batch_size=500, verbose=0)
        result = judge(lambda n, seed: images[:n], len(images))
        shares = result["class_shares"]
        record[f"ema{half_life}"] = [result["fid"], result["score"], min(shares), max(shares)]
        if half_life == 50_000:
            tfgan.utils.save_grid(images[:64], out.with_name(f"{out.stem}_{args.name}.png"))
    print(json.dumps(record), flush=True)
    with out.open("a") as f:
        f.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
