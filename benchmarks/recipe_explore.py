"""Exploration sweep for issue 17: 28x28 generator/discriminator layouts and optimizer
settings at an equal wall-clock budget, before they become library options.

It builds the networks itself (keys: gw = generator width, 7x7x(4·gw) → 2·gw → gw → 3x3
image convolution; dw = D width, dw → 2·dw; d_norm, mbstd, up, d_extra, g_extra) on top of
the `dcgan-mnist` preset's other keys (losses, Adam, R1, EMA, data), times 60 steps, trains
for `BUDGET` seconds' worth of steps, and judges the live generator and EMAs of 10k, 50k
and 200k-image half-lives (kept by a callback) with the shipped MNIST classifier
(10,000 samples: MNIST FID, MNIST score, smallest and largest class share). Appends one
JSON line to runs/proto.jsonl and writes runs/proto_NAME.png.

    PYTHONPATH=. python benchmarks/recipe_explore.py NAME BUDGET '{"gw": 16, "dw": 64}'

Runs must not share the machine with other jobs (the step timing sets the run length).
"""
import sys, time, json
import keras, numpy as np, tensorflow as tf
from keras import layers
import tfgan
from tfgan import presets as P
from tfgan.metrics import mnist_features, mnist_probabilities, fid_from_statistics, FeatureStatistics, inception_score
from tfgan.utils.ema import ema_decay_for_half_life

init = lambda: keras.initializers.RandomNormal(stddev=0.02)

def G(c):
    w, extra, k = c.get("gw", 64), c.get("g_extra", False), c.get("gk", 4)
    z = keras.Input((c["latent_dim"],))
    x = layers.Dense(7 * 7 * 4 * w, use_bias=False, kernel_initializer=init())(z)
    x = layers.ReLU()(layers.BatchNormalization()(x)); x = layers.Reshape((7, 7, 4 * w))(x)
    if extra:
        x = layers.ReLU()(layers.BatchNormalization()(layers.Conv2D(4 * w, 3, padding="same", use_bias=False, kernel_initializer=init())(x)))
    for f in (2 * w, w):
        if c.get("up"):
            x = layers.Conv2D(f, 3, padding="same", use_bias=False, kernel_initializer=init())(layers.UpSampling2D(2)(x))
        else:
            x = layers.Conv2DTranspose(f, k, strides=2, padding="same", use_bias=False, kernel_initializer=init())(x)
        x = layers.ReLU()(layers.BatchNormalization()(x))
        if extra:
            x = layers.ReLU()(layers.BatchNormalization()(layers.Conv2D(f, 3, padding="same", use_bias=False, kernel_initializer=init())(x)))
    x = layers.Conv2D(1, 3, padding="same", kernel_initializer=init())(x)
    return keras.Model(z, layers.Activation("tanh", dtype="float32")(x))

def D(c):
    w, norm = c.get("dw", 64), c.get("d_norm", "batch")
    x0 = keras.Input((28, 28, 1)); x = x0
    for i, f in enumerate((w, 2 * w)):
        x = layers.Conv2D(f, 4, strides=2, padding="same", kernel_initializer=init())(x)
        if i and norm == "batch": x = layers.BatchNormalization()(x)
        x = layers.LeakyReLU(0.2)(x)
    if c.get("d_extra"):
        x = layers.Conv2D(4 * w, 3, padding="same", kernel_initializer=init())(x)
        if norm == "batch": x = layers.BatchNormalization()(x)
        x = layers.LeakyReLU(0.2)(x)
    if c.get("mbstd"):
        x = tfgan.layers.MinibatchStdDev(group_size=4)(x)
    x = layers.Flatten()(x)
    return keras.Model(x0, layers.Dense(1, dtype="float32", kernel_initializer=init())(x))

def build(c, steps):
    if c.get("arch") == "preset":
        return P.get("dcgan-mnist").build(P.get("dcgan-mnist").resolve({k: v for k, v in c.items() if k in P.get("dcgan-mnist").resolve()}), seed=0, steps=steps)
    gan = tfgan.GAN(G(c), D(c), seed=0, ema_decay=P._ema(c))
    gan.compile(g_optimizer=P._adam_from(c, c["g_learning_rate"], steps), d_optimizer=P._adam_from(c, c["d_learning_rate"], steps),
                loss=c["loss"], d_steps=1, stabilizers=P._stabilizers(c))
    return gan

class MultiEMA(keras.callbacks.Callback):
    def __init__(self, halves, bs, every=4):
        self.decays = {h: ema_decay_for_half_life(h, bs) ** every for h in halves}; self.every = every
    def on_train_begin(self, logs=None):
        self.avg = {h: [w.copy() for w in self.model.generator.get_weights()] for h in self.decays}; self.i = 0
    def on_train_batch_end(self, batch, logs=None):
        self.i += 1
        if self.i % self.every: return
        cur = self.model.generator.get_weights()
        tv = {id(v) for v in self.model.generator.trainable_variables}
        flags = [id(v) in tv for v in self.model.generator.weights]
        for h, d in self.decays.items():
            self.avg[h] = [d * a + (1 - d) * w if f else w for a, w, f in zip(self.avg[h], cur, flags)]

def main():
    name, budget, c = sys.argv[1], float(sys.argv[2]), json.loads(sys.argv[3])
    base = P.get("dcgan-mnist").resolve(); base.update(c); c = base
    keras.utils.set_random_seed(0)
    data = P.get("dcgan-mnist").dataset({"batch_size": c["batch_size"]}, seed=0).repeat()
    m = build(c, 1000); m.fit(data, epochs=1, steps_per_epoch=20, verbose=0)
    t = time.perf_counter(); m.fit(data, epochs=2, initial_epoch=1, steps_per_epoch=60, verbose=0)
    step_s = (time.perf_counter() - t) / 60 * 1.1  # EMA-callback overhead margin
    steps = int(budget / step_s)
    keras.utils.set_random_seed(0)
    m = build(c, steps)
    cb = MultiEMA([10_000, 50_000, 200_000], c["batch_size"])
    t = time.perf_counter(); m.fit(data, epochs=1, steps_per_epoch=steps, verbose=0, callbacks=[cb]); train_s = time.perf_counter() - t
    ref, _ = tfgan.metrics.reference_statistics("embedded-mnist", extractor=mnist_features(), image_size=(28, 28), channels=1)
    feat, prob = mnist_features(), mnist_probabilities()
    z = m.sample_latents(10000, 0)
    out = {"name": name, "cfg": {k: c[k] for k in sys.argv[3] and json.loads(sys.argv[3])}, "steps": steps, "train_s": round(train_s, 1),
           "g_params": m.generator.count_params()}
    gen = keras.models.clone_model(m.generator)
    for h in [None, 10_000, 50_000, 200_000]:
        gen.set_weights(m.generator.get_weights() if h is None else cb.avg[h])
        imgs = np.concatenate([np.asarray(gen(z[i:i+500], training=False)) for i in range(0, 10000, 500)])
        f = np.concatenate([np.asarray(feat(imgs[i:i+1000])) for i in range(0, 10000, 1000)])
        p = np.concatenate([np.asarray(prob(imgs[i:i+1000])) for i in range(0, 10000, 1000)])
        fr = np.bincount(p.argmax(-1), minlength=10) / 10000
        out[f"ema{h}"] = [round(fid_from_statistics(FeatureStatistics.from_features(f), ref), 2), round(float(inception_score(p)[0]), 3), float(fr.min()), float(fr.max())]
        if h == 50_000: tfgan.utils.save_grid(imgs[:64], f"runs/proto_{name}.png")
    print(json.dumps(out), flush=True)
    open("runs/proto.jsonl", "a").write(json.dumps(out) + "\n")

main()
