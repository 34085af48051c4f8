#!/usr/bin/env bash
# The package as a user installs it: builds the sdist and, from it, the wheel (`python -m
# build`), checks that both carry tfgan/data (the embedded MNIST subset and the MNIST
# classifier), installs the wheel -- not `-e` -- with constraints.txt into a fresh virtualenv
# in a temporary folder, and from a directory outside the checkout runs a 2-step
# `tfgan train` on the embedded MNIST and `tfgan evaluate --metrics fid,is` on its model
# (`gan.keras`: the default preset's generator also takes a cluster label).
# A file that only an editable install finds fails here.
#
# Usage: scripts/check_wheel.sh   (or `make wheel-check`; .ci/run calls it after `make test`)
# Needs: python3 with venv, the package index (for the build backend and the dependencies).
# Writes only under one `mktemp -d` folder, removed at exit (KEEP_WHEEL_CHECK=1 keeps it).
# About 1-2 minutes when pip's cache holds the dependencies.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-python3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tfgan-wheel-check.XXXXXX")
if [[ "${KEEP_WHEEL_CHECK:-0}" == 1 ]]; then
  trap 'echo "wheel check: kept $WORK"' EXIT
else
  trap 'rm -rf "$WORK"' EXIT
fi
START=$SECONDS
step() { echo "wheel check [$((SECONDS - START)) s]: $*"; }
# Nothing from the checkout or the caller's environment may leak into the installed package.
unset PYTHONPATH PYTHONHOME
export PIP_DISABLE_PIP_VERSION_CHECK=1 KERAS_HOME="$WORK/keras" TF_CPP_MIN_LOG_LEVEL=2

step "copying the source as a clean clone has it (tracked and untracked, not ignored files)"
mkdir "$WORK/src"
if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # --ignore-failed-read: a tracked file deleted in the working tree is skipped.
  (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard \
     | tar --null --files-from=- --ignore-failed-read -cf -) | tar -xf - -C "$WORK/src"
else
  tar -C "$ROOT" --exclude=./.venv --exclude=./runs --exclude=./build --exclude=./dist \
      --exclude='*.egg-info' --exclude=__pycache__ -cf - . | tar -xf - -C "$WORK/src"
fi

step "building the sdist and the wheel from it"
"$PYTHON" -m venv "$WORK/build-venv"
"$WORK/build-venv/bin/python" -m pip install --quiet build
"$WORK/build-venv/bin/python" -m build --outdir "$WORK/dist" "$WORK/src" >"$WORK/build.log" 2>&1 \
  || { tail -n 40 "$WORK/build.log"; exit 1; }
SDIST=$(ls "$WORK"/dist/tfgan-*.tar.gz)
WHEEL=$(ls "$WORK"/dist/tfgan-*.whl)
"$PYTHON" - "$SDIST" "$WHEEL" <<'EOF'
import sys, tarfile, zipfile
sdist, wheel = sys.argv[1:]
needed = ["tfgan/data/__init__.py", "tfgan/data/mnist_train_subset.npz",
          "tfgan/data/mnist_classifier.keras"]
names = {"sdist": {n.split("/", 1)[1] for n in tarfile.open(sdist).getnames() if "/" in n},
         "wheel": set(zipfile.ZipFile(wheel).namelist())}
missing = [f"{kind}: {f}" for kind, files in names.items() for f in needed if f not in files]
if missing:
    sys.exit("wheel check: the package lacks " + ", ".join(missing))
print(f"wheel check: sdist and wheel carry {', '.join(needed)}")
EOF

step "installing $(basename "$WHEEL") with constraints.txt into a fresh virtualenv"
"$PYTHON" -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install --quiet -c "$ROOT/constraints.txt" "$WHEEL"

step "tfgan train + tfgan evaluate from $WORK/cwd (outside the checkout)"
mkdir "$WORK/cwd"
cd "$WORK/cwd"
"$WORK/venv/bin/python" - "$ROOT" <<'EOF'
import pathlib, sys
import tfgan.data
where = pathlib.Path(tfgan.data.__file__).resolve()
if pathlib.Path(sys.argv[1]).resolve() in where.parents or "site-packages" not in where.parts:
    sys.exit(f"wheel check: tfgan was imported from {where}, not from the installed wheel")
print(f"wheel check: tfgan imported from {where.parent.parent}")
EOF
# As a user runs it: without this script's TF_CPP_MIN_LOG_LEVEL=2, the CLI's own default.
env -u TF_CPP_MIN_LOG_LEVEL "$WORK/venv/bin/tfgan" train --epochs 1 --steps-per-epoch 2 --seed 0 \
  --out "$WORK/run" --verbose 2 2>"$WORK/train.stderr"
cat "$WORK/train.stderr" >&2
# A normal run prints no TensorFlow start-up or device logs (issue: "nothing silent", not noisy).
if grep -E "I0000|W0000|E0000|oneDNN|cuInit|absl::" "$WORK/train.stderr"; then
  echo "wheel check: tfgan train printed TensorFlow log lines (above)" >&2
  exit 1
fi
"$WORK/venv/bin/tfgan" evaluate --model "$WORK/run/gan.keras" --metrics fid,is \
  --num-samples 500 --reference-samples 1000 --cache-dir "$WORK/cache" \
  --out "$WORK/evaluation.json"
"$WORK/venv/bin/python" - "$WORK/evaluation.json" <<'EOF'
import json, math, sys
results = json.load(open(sys.argv[1]))["results"]
values = {name: results.get(name, {}).get("value") for name in ("fid", "is")}
if not all(isinstance(v, float) and math.isfinite(v) for v in values.values()):
    sys.exit(f"wheel check: tfgan evaluate did not report finite fid and is: {values}")
EOF
step "passed"
