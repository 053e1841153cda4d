#!/usr/bin/env bash
# Retrains the any-network model 2.0.0 from a clean clone: `npm run train:network`.
# 1. exports scenes on random receiver networks through the app's own feature code (src/core),
# 2. trains the set model with Debian's PyTorch and checks the ONNX file in onnxruntime-node,
# 3. copies model.onnx and metadata.json into public/models/2.0.0 and evaluates (npm run eval).
set -euo pipefail
cd "$(dirname "$0")/.."
SCENES=${SCENES:-20000}
EPOCHS=${EPOCHS:-8}
PY=/usr/bin/python3 # Debian's interpreter: it sees python3-torch (shared/ENVIRONMENT.md)
bash scripts/ensure-deps.sh

echo "== exporting random-network datasets"
for s in 0 1; do
  npx tsx training/exportNetworkDataset.ts --scenes "$SCENES" --seed 11 --physics training --out training/data/net-train --shard $s/2 &
done
wait
npx tsx training/exportNetworkDataset.ts --scenes 2000 --seed 12 --physics training --out training/data/net-val

echo "== training"
mkdir -p training/runs
$PY training/train_network.py --data training/data/net-train --val training/data/net-val \
  --version 2.0.0 --epochs "$EPOCHS" --batch 512 --lr 3e-3 --threads 1 --out training/runs/2.0.0 | tee training/runs/train-2.0.0.log
npx tsx training/checkNetworkOnnx.ts training/runs/2.0.0

mkdir -p public/models/2.0.0
cp training/runs/2.0.0/model.onnx training/runs/2.0.0/metadata.json public/models/2.0.0/
echo "== evaluating (writes the figures into each metadata.json)"
npm run --silent eval -- --write-metadata
