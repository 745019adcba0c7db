#!/usr/bin/env bash
# `make bench`: stancewatch and the Python peer over the same corpora (N = 100, 1,000,
# 10,000 by default; BENCH_SIZES overrides), same thread count, one process per run.
# Writes bench/results.json and prints a table with the stancewatch / peer ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
threads="${BENCH_THREADS:-2}"
sizes="${BENCH_SIZES:-100 1000 10000}"
mkdir -p target/bench
out=bench/results.json
echo "[" > "$out.tmp"
first=1
for n in $sizes; do
  sw=$(./target/release/stancewatch --threads "$threads" bench --articles "$n" --workdir target/bench)
  peer=$(OMP_NUM_THREADS="$threads" .venv/bin/python bench/peer.py --input "target/bench/corpus-$n.jsonl" --threads "$threads")
  [ $first -eq 1 ] || echo "," >> "$out.tmp"
  first=0
  printf '{"n": %s, "stancewatch": %s, "peer": %s}\n' "$n" "$sw" "$peer" >> "$out.tmp"
done
echo "]" >> "$out.tmp"
mv "$out.tmp" "$out"
.venv/bin/python - "$out" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
print(f"{'N':>6} {'sw s':>8} {'peer s':>8} {'ratio':>6} {'sw art/s':>9} {'sw sent/s':>9} {'sw tok/s':>9} {'sw MB':>7} {'peer MB':>7} {'roof':>5} {'startup':>7}")
for r in rows:
    s, p = r["stancewatch"], r["peer"]
    print(f"{r['n']:>6} {s['total_seconds']:>8.1f} {p['total_seconds']:>8.1f} {p['total_seconds']/s['total_seconds']:>6.2f} "
          f"{s['articles_per_second']:>9.1f} {s['sentences_per_second']:>9.1f} {s['model_tokens_per_second']:>9.0f} "
          f"{s['peak_rss_mb']:>7.0f} {p['peak_rss_mb']:>7.0f} {s['model_flop_fraction']:>5.2f} {s['startup_seconds']:>7.2f}")
PY
