# The two commands a fresh machine needs:
#   make run    set up, build, and run the main job on the sample input (output/)
#   make test   set up, build, and run every test
# Both install what they need (scripts/setup.sh) and are quick when it is already there.

SHELL := /bin/bash
CARGO ?= cargo
PY := .venv/bin/python
SHARED ?= $(abspath ../shared)
export STANCEWATCH_SHARED ?= $(SHARED)

.PHONY: setup build run test bench test-recipes test-notebooks models model-ner model-stance model-stance-general model-policy eval lint fuzz bench-cpu

setup:
	@bash scripts/setup.sh

build: setup
	$(CARGO) build --release -p stancewatch

run: build
	./target/release/stancewatch run --input input/sample --output output

# Python recipe smoke tests and the notebooks (run headless on a fresh sample run) first;
# cargo's test summary closes the output.
test: setup test-recipes test-notebooks
	$(CARGO) test --release --workspace

test-notebooks: build
	rm -rf target/sample-output
	./target/release/stancewatch run --input input/sample --output target/sample-output
	$(PY) notebooks/run_notebooks.py target/sample-output

test-recipes: setup
	$(PY) models/train/metrics.py
	$(PY) models/train/smoke_test.py --data "$(STANCEWATCH_SHARED)/train"

# Full retraining (hours on 2 cores; never part of the tests). DATA is the shared train folder.
DATA ?= $(SHARED)/train
models: model-ner model-stance model-stance-general model-policy
model-ner: setup
	$(PY) models/train/train_ner.py --data "$(DATA)" --out models/ner
# The shipped stance recipe (models/stance/MODEL_CARD.md): news_stance + the written
# excerpts and contrast sets w1-w32, no written pairs.
model-stance: setup
	$(PY) models/train/train_stance.py --data "$(DATA)" --eval-data "$(SHARED)/eval" --out models/stance \
	  --general-epochs 0 --probe-c 0.3 --synthetic 150 --select-after-probe --domain-epochs 3 \
	  --lr 3e-5 --replay 1000 --scale 0.3 --threads 1 --domain-repeats 10 \
	  --written models/train/written/w{1..32}_*.jsonl --written-swapped 0.3 --written-pairs 0
# The target-general stance model (models/stance-general/MODEL_CARD.md), for every target
# other than the default one.
model-stance-general: setup
	$(PY) models/train/train_stance_general.py --data "$(DATA)" --eval-data "$(SHARED)/eval" \
	  --written models/train/written --out models/stance-general --threads 2 --epochs 3 --average \
	  --negated-topics 0.4

# The policy reader (models/policy/MODEL_CARD.md): law phrases derived from the written
# sentences by the pipeline's own law-phrase finder, then fine-tuned from models/stance (run
# model-stance first when retraining both). The same derivation over news_stance is reported.
model-policy: setup
	$(CARGO) build --release -p stancewatch --example law_phrase_data
	mkdir -p models/train/runs
	./target/release/examples/law_phrase_data models/train/written/w*.jsonl > models/train/runs/policy_phrases.jsonl
	./target/release/examples/law_phrase_data "$(DATA)/news_stance/sentences.jsonl" > models/train/runs/policy_news_phrases.jsonl
	$(PY) models/train/train_policy.py --phrases models/train/runs/policy_phrases.jsonl \
	  --eval-phrases models/train/runs/policy_news_phrases.jsonl --init models/stance --out models/policy --threads 1

# Every evaluation of the shipped models, through Rust.
eval: build
	./target/release/stancewatch eval ner --conll "$(SHARED)/train/ner_conll2003_en/eng.testb"
	./target/release/stancewatch eval stance
	./target/release/stancewatch eval sentences
	./target/release/stancewatch eval actors

# Throughput vs the Python peer (same weights, same threads); see bench/run.sh.
bench: build
	bash bench/run.sh

# Criterion benches of the CPU stages: ingest, splitting, stance frame, aggregation, Parquet.
bench-cpu: setup
	$(CARGO) bench -p stancewatch-text
	$(CARGO) bench -p stancewatch --bench table_stages

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --release --workspace --all-targets -- -D warnings

# Coverage-guided fuzzing of the text stages (pipeline/fuzz), FUZZ_SECONDS per target.
# cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP lets the machine's stable toolchain take
# them. The working corpus grows in pipeline/fuzz/corpus (ignored by git); the small seed
# corpus is pipeline/fuzz/seeds. Crashes land in pipeline/fuzz/artifacts: add each as a
# regression test beside the code it broke.
FUZZ_SECONDS ?= 300
FUZZ_TARGETS := ingest_bytes sentence_offsets
fuzz:
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked
	cd pipeline/fuzz && for t in $(FUZZ_TARGETS); do \
	  mkdir -p corpus/$$t && \
	  RUSTC_BOOTSTRAP=1 $(CARGO) fuzz run $$t corpus/$$t seeds/$$t -- \
	    -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -print_final_stats=1 || exit 1; \
	done
