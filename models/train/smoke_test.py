"""Smoke test of the training recipes: a few steps on a tiny slice of the data, so that the
recipes cannot silently rot. Checks that each writes a complete HF-layout model directory
whose config carries the flags the Rust side reads. Full training is never run here."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, required=True)
    args = ap.parse_args()
    if not (args.data / "ner_conll2003_en" / "eng.train").exists():
        sys.exit(f"smoke test: training data not found under {args.data} (set STANCEWATCH_SHARED)")
    with tempfile.TemporaryDirectory() as tmp:
        ner = Path(tmp) / "ner"
        subprocess.run([sys.executable, str(HERE / "train_ner.py"), "--data", str(args.data), "--out", str(ner),
                        "--limit", "64", "--max-steps", "3", "--batch-size", "16", "--threads", "2"], check=True)
        stance = Path(tmp) / "stance"
        subprocess.run([sys.executable, str(HERE / "train_stance.py"), "--data", str(args.data), "--out", str(stance),
                        "--limit", "48", "--max-steps", "2", "--domain-epochs", "1", "--batch-size", "16",
                        "--scale", "0.05", "--threads", "2"], check=True)
        for d, arch in ((ner, "BertForTokenClassification"), (stance, "BertForSequenceClassification")):
            for f in ("config.json", "vocab.txt", "model.safetensors", "tokenizer_config.json", "training_report.json"):
                assert (d / f).exists(), f"{d.name}: {f} missing"
            cfg = json.loads((d / "config.json").read_text())
            assert cfg["architectures"][0] in (arch, "StancewatchMeanPoolClassifier"), cfg["architectures"]
            assert cfg["id2label"], "id2label missing"
        ner_cfg = json.loads((ner / "config.json").read_text())
        stance_cfg = json.loads((stance / "config.json").read_text())
        assert stance_cfg["type_vocab_size"] == 3 and stance_cfg["stancewatch_pooling"] == "mean"
        assert ner_cfg["stancewatch_casing_type_ids"] is True and ner_cfg["type_vocab_size"] == 4
        labels = set(json.loads((stance / "config.json").read_text())["id2label"].values())
        assert labels == {"favor", "against", "none"}, labels
    print("recipe smoke test: 2 passed, 0 failed")


if __name__ == "__main__":
    main()
