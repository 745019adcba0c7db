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
  # stancewatch's fast mode (bf16 where the CPU has it natively) and its fp32 reference.
  sw=$(./target/release/stancewatch --threads "$threads" --precision auto bench --articles "$n" --workdir target/bench)
  peer=$(OMP_NUM_THREADS="$threads" .venv/bin/python bench/peer.py --input "target/bench/corpus-$n.jsonl" --threads "$threads")
  # The same peer in bf16, so the table shows how much of the gain is the number format.
  peer_bf16=$(OMP_NUM_THREADS="$threads" .venv/bin/python bench/peer.py --input "target/bench/corpus-$n.jsonl" --threads "$threads" --dtype bfloat16)
  sw_fp32=$(./target/release/stancewatch --threads "$threads" --precision fp32 bench --articles "$n" --workdir target/bench)
  [ $first -eq 1 ] || echo "," >> "$out.tmp"
  first=0
  printf '{"n": %s, "stancewatch": %s, "peer": %s, "peer_bf16": %s, "stancewatch_fp32": %s}\n' "$n" "$sw" "$peer" "$peer_bf16" "$sw_fp32" >> "$out.tmp"
done
echo "]" >> "$out.tmp"
mv "$out.tmp" "$out"
.venv/bin/python - "$out" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
# ratio = peer time / stancewatch time (throughput ratio); "fp32" columns: both in fp32;
# "bf16 peer": the peer with the same number format as stancewatch's default here.
print(f"{'N':>6} {'prec':>5} {'sw s':>7} {'peer s':>7} {'ratio':>6} {'sw32 s':>7} {'ratio32':>7} {'peer16 s':>8} {'ratio16':>7} "
      f"{'art/s':>6} {'sent/s':>6} {'tok/s':>7} {'sw MB':>6} {'peer MB':>7} {'roof':>5} {'startup':>7}")
for r in rows:
    s, p, p16, s32 = r["stancewatch"], r["peer"], r["peer_bf16"], r["stancewatch_fp32"]
    print(f"{r['n']:>6} {s['precision']:>5} {s['total_seconds']:>7.1f} {p['total_seconds']:>7.1f} {p['total_seconds']/s['total_seconds']:>6.2f} "
          f"{s32['total_seconds']:>7.1f} {p['total_seconds']/s32['total_seconds']:>7.2f} {p16['total_seconds']:>8.1f} {p16['total_seconds']/s['total_seconds']:>7.2f} "
          f"{s['articles_per_second']:>6.1f} {s['sentences_per_second']:>6.1f} {s['model_tokens_per_second']:>7.0f} "
          f"{s['peak_rss_mb']:>6.0f} {p['peak_rss_mb']:>7.0f} {s['model_flop_fraction']:>5.2f} {s['startup_seconds']:>7.2f}")
PY
