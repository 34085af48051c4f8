"""Inference latency of the shipped generator: Keras vs SavedModel vs onnxruntime.

    python benchmarks/export_latency.py --model saved_models/dcgan-mnist --calls 200

Loads the three artifacts of one export directory (`generator.keras`, `saved_model/`,
`generator.onnx`) through `tfgan.export.load_generator`, feeds each the same latents, and
times batch-1 and batch-64 calls, interleaving the runtimes call by call so that machine
noise hits all of them alike. Reports the median latency of each and its ratio to Keras.
"""

import argparse
import json
import statistics
import time

import numpy as np

from tfgan.export import load_generator

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--model", default="saved_models/dcgan-mnist")
parser.add_argument("--calls", type=int, default=200)
parser.add_argument("--batch-sizes", default="1,64")
parser.add_argument("--json", default=None, help="also write the results here")
args = parser.parse_args()

runtimes = {backend: load_generator(args.model, backend=backend)
            for backend in ("keras", "savedmodel", "onnx")}
results = {"model": args.model, "calls": args.calls, "batches": {}}
for batch_size in (int(b) for b in args.batch_sizes.split(",")):
    z = runtimes["keras"].latents(batch_size, seed=0)
    outputs = {name: run(z=z) for name, run in runtimes.items()}  # warm-up + parity
    times = {name: [] for name in runtimes}
    for _ in range(args.calls):
        for name, run in runtimes.items():
            start = time.perf_counter()
            run(z=z)
            times[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(values) for name, values in times.items()}
    results["batches"][batch_size] = {
        name: {"median_ms": medians[name] * 1e3,
               "speedup_vs_keras": medians["keras"] / medians[name],
               "max_abs_difference_vs_keras": float(np.abs(outputs[name]
                                                           - outputs["keras"]).max())}
        for name in runtimes
    }
print(json.dumps(results, indent=2))
if args.json:
    with open(args.json, "w") as f:
        json.dump(results, f, indent=2)
