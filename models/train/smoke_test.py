"""Smoke test of the training recipes: a few steps on a tiny slice of the data, so that the
recipes cannot silently rot. Checks that each writes a complete HF-layout model directory
whose config carries the flags the Rust side reads. Full training is never run here."""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def check_written(data: Path, n: int = 10) -> str:
    """The written training data (models/train/written) loads, and no written sentence repeats
    `n` consecutive words of a real news_stance sentence (it must be the project's own text)."""
    sys.path.insert(0, str(HERE))
    from train_stance import read_written

    train, held, pairs = read_written(HERE / "written")
    assert len(train) > 3000 and len(held) > 200 and len(pairs) > 1000, (len(train), len(held), len(pairs))
    real = set()
    for line in (data / "news_stance" / "sentences.jsonl").open(encoding="utf-8"):
        w = words(json.loads(line)["text"])
        real.update(tuple(w[i : i + n]) for i in range(len(w) - n + 1))
    # Agency and statute names are shared vocabulary, not copied text.
    shared = ("immigration and customs enforcement", "immigration and nationality act", "department of homeland security")
    real = {g for g in real if not any(name in " ".join(g) for name in shared)}
    copied = []
    for text in [t for t, _, _ in train + held] + [t for _, t, _ in pairs]:
        w = words(text)
        if any(tuple(w[i : i + n]) in real for i in range(len(w) - n + 1)):
            copied.append(text)
    assert not copied, f"written sentences repeating {n} words of news_stance: {copied[:3]}"
    return f"written data: {len(train)} + {len(held)} held-out sentences, {len(pairs)} pairs, none repeats {n} words of news_stance"


def check_written_against_eval(eval_dir: Path, threshold: float = 0.4) -> str:
    """No written sentence or pair is a near copy of a Perspectrum immigration perspective
    (a reported set): word-set overlap (Jaccard) below `threshold`. The one near copy found
    this way ("At least it slows people down, …") was removed from w8 before the
    target-general model was trained."""
    sys.path.insert(0, str(HERE))
    import csv

    from train_stance import read_written

    path = eval_dir / "stance_perspectrum_immigration" / "immigration_pairs.tsv"
    if not path.exists():
        return f"written data vs Perspectrum: skipped ({path} not found)"
    perspectives = [set(words(r["perspective"])) for r in csv.DictReader(path.open(encoding="utf-8"), delimiter="\t")]
    train, held, pairs = read_written(HERE / "written")
    near = []
    for text in [t for t, _, _ in train + held] + [t for _, t, _ in pairs]:
        w = set(words(text))
        for p in perspectives:
            if len(w & p) / max(1, len(w | p)) >= threshold:
                near.append((text, " ".join(sorted(p))))
    assert not near, f"written sentences too close to Perspectrum perspectives: {near[:3]}"
    return f"written data vs Perspectrum: no sentence overlaps a perspective's words by {threshold} or more"


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
                        "--scale", "0.05", "--threads", "2", "--written", str(HERE / "written")], check=True)
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
        report = json.loads((stance / "training_report.json").read_text())
        assert "written_holdout" in report["scores"], report["scores"].keys()
        # The Python side of `stancewatch eval stance` scores a trained model directory.
        scored = subprocess.run([sys.executable, str(HERE / "train_stance.py"), "--data", str(args.data), "--out", str(stance),
                                 "--init", str(stance), "--eval-only", "--limit", "24", "--scale", "0.05", "--threads", "2"],
                                check=True, capture_output=True, text=True).stdout
        scores = json.loads(scored.strip().splitlines()[-1])
        assert 0.0 <= scores["ibm_claim_stance_test"]["sign_accuracy"] <= 1.0, scores
        assert scores["news_stance_dev"]["n"] == 24, scores["news_stance_dev"]
        general = Path(tmp) / "general"
        subprocess.run([sys.executable, str(HERE / "train_stance_general.py"), "--data", str(args.data), "--out", str(general),
                        "--eval-data", str(args.data.parent / "eval"), "--limit", "48", "--max-steps", "2", "--batch-size", "16",
                        "--threads", "2", "--written", str(HERE / "written"), "--average"], check=True)
        general_cfg = json.loads((general / "config.json").read_text())
        assert general_cfg["stancewatch_pooling"] == "mean" and general_cfg["stancewatch_task"] == "stance_cross_encoder"
        general_report = json.loads((general / "training_report.json").read_text())
        assert "argq_dev_selection" in general_report["scores"], general_report["scores"].keys()
        # --average scored the mean of the two checkpoints as one more candidate.
        assert any(h.get("candidate") == "average of the last 2 checkpoints" for h in general_report["history"]), general_report["history"]
        assert general_report["kept"], general_report
        # Seed soups: a second tiny run, then soup.py averages the two and keeps the best
        # candidate on the selection set.
        general_b = Path(tmp) / "general-b"
        subprocess.run([sys.executable, str(HERE / "train_stance_general.py"), "--data", str(args.data), "--out", str(general_b),
                        "--limit", "48", "--max-steps", "2", "--batch-size", "16", "--threads", "2", "--seed", "14",
                        "--written", str(HERE / "written")], check=True)
        soup = Path(tmp) / "soup"
        subprocess.run([sys.executable, str(HERE / "soup.py"), "--kind", "general", "--data", str(args.data), "--out", str(soup),
                        "--models", str(general), str(general_b), "--limit", "48", "--threads", "2"], check=True)
        soup_report = json.loads((soup / "training_report.json").read_text())
        names = [c["name"] for c in soup_report["candidates"]]
        assert names == ["general alone", "general-b alone", "uniform soup"], names
        assert soup_report["kept"] in names and "selection" in soup_report["scores"], soup_report["kept"]
        assert json.loads((soup / "config.json").read_text())["stancewatch_pooling"] == "mean"
        sys.path.insert(0, str(HERE))
        import torch
        from soup import mean_state

        mean = mean_state([{"w": torch.tensor([1.0, 3.0])}, {"w": torch.tensor([3.0, -1.0])}])
        assert torch.equal(mean["w"], torch.tensor([2.0, 1.0])), mean
        # The policy reader's recipe, on phrases made here (the shape law_phrase_data.rs
        # writes), starting from the tiny stance model above.
        phrases = Path(tmp) / "phrases.jsonl"
        made = [("an ordinance barring deputies from holding people for ICE", "against"),
                ("a bill requiring jails to honor every detainer", "favor"),
                ("a 287(g) agreement with the sheriff", "favor"), ("the county's welcoming ordinance", "against"),
                ("a bill raising the minimum wage", "none"), ("a law ending jail contracts with ICE", "against")]
        with phrases.open("w", encoding="utf-8") as f:
            for n in range(4):
                for k, (phrase, label) in enumerate(made):
                    f.write(json.dumps({"id": f"x{n}-{k}", "phrase": f"{phrase} in county {n}", "stance": label}) + "\n")
        policy = Path(tmp) / "policy"
        subprocess.run([sys.executable, str(HERE / "train_policy.py"), "--phrases", str(phrases), "--init", str(stance),
                        "--out", str(policy), "--epochs", "2", "--holdout-every", "3", "--threads", "2"], check=True)
        policy_cfg = json.loads((policy / "config.json").read_text())
        assert policy_cfg["stancewatch_reads"] == "law_phrase" and policy_cfg["stancewatch_task"] == "stance_cross_encoder", policy_cfg
        policy_report = json.loads((policy / "training_report.json").read_text())
        assert any(h.get("average_of_last_epochs") == 2 for h in policy_report["history"]), policy_report["history"]
        # Opposite claims for --negated-topics, on topics written here.
        from train_stance_general import negate_topic

        cases = {"We should ban whaling": "We should not ban whaling", "Zoos should not be closed": "Zoos should be closed",
                 "This house believes that X is fair": "This house does not believe that X is fair",
                 "Y brings more harm than good": "Y brings more good than harm", "Ban it": None}
        got = {t: negate_topic(t) for t in cases}
        assert got == cases, got
    print(check_written(args.data))
    print(check_written_against_eval(args.data.parent / "eval"))
    print("recipe smoke test: 8 passed, 0 failed")


if __name__ == "__main__":
    main()
