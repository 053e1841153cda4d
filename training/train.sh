#!/usr/bin/env bash
# Retrains both shipped models from a clean clone: `npm run train` (about 40 minutes on 2 cores).
# 1. exports the simulated datasets through the app's own feature code (src/core),
# 2. trains 1.0.0 (diagonal covariance) and 1.1.0 (full covariance) with Debian's PyTorch,
# 3. copies the ONNX files and metadata into public/models/, evaluates them, and stores the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
SCENES=${SCENES:-40000}
EPOCHS=${EPOCHS:-12}
PY=/usr/bin/python3 # Debian's interpreter: it sees python3-torch (shared/ENVIRONMENT.md)
if ! $PY -c 'import torch, onnx' 2>/dev/null; then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-torch python3-onnx python3-numpy
fi
bash scripts/ensure-deps.sh

echo "== exporting datasets"
for s in 0 1; do
  npx tsx training/exportDataset.ts --scenes "$SCENES" --seed 1 --physics training --out training/data/train --shard $s/2 &
done
wait
npx tsx training/exportDataset.ts --scenes 4000 --seed 2 --physics training --out training/data/val

echo "== training (both versions side by side, one thread each)"
mkdir -p training/runs
pids=()
for spec in "1.0.0 diagonal" "1.1.0 full"; do
  set -- $spec
  $PY training/train.py --data training/data/train --val training/data/val --covariance "$2" \
    --version "$1" --epochs "$EPOCHS" --threads 1 --out "training/runs/$1" >"training/runs/train-$1.log" 2>&1 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done

for v in 1.0.0 1.1.0; do
  mkdir -p "public/models/$v"
  cp "training/runs/$v/model.onnx" "training/runs/$v/metadata.json" "public/models/$v/"
done
echo "== evaluating (writes the figures into each metadata.json)"
npm run --silent eval -- --write-metadata
