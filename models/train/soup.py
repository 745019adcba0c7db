"""Average ("soup") stance models trained by the same recipe with different seeds, and keep
whichever candidate scores best on the recipe's own selection set.

    python models/train/soup.py --kind general --data ../shared/train --eval-data ../shared/eval \
        --models models/train/runs/general-s13 models/train/runs/general-s14 --out models/stance-general

Why. On 2 cores a run is one draw: the same recipe with another seed moved Perspectrum by
±0.03–0.06 (models/stance-general/MODEL_CARD.md), far more than any recipe change. Runs
fine-tuned from the same pretrained encoder stay close in weight space, so the uniform mean
of their weights is itself a model (Wortsman et al. 2022, "Model soups") that usually
scores at least as well as its best ingredient, at the cost of one model. The candidates
are every ingredient alone, the uniform soup of all, and the greedy soup (ingredients in
order of their own score, each added only if the mean with it scores better); each is
scored on the selection set that trained the ingredients — ArgQ-30k dev for `general`,
news_stance dev for `domain` — and the best is kept. The reported sets (Perspectrum, IBM
Claim Stance test, news_stance dev for `general`, the written check sentences) are scored
once, on the kept model, and never choose.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import torch
from safetensors.torch import load_file
from transformers import BertConfig, BertTokenizerFast

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Timer, log, save_hf_model, set_threads  # noqa: E402
from metrics import macro_f1  # noqa: E402
import train_stance  # noqa: E402
from train_stance import LABELS, MeanPoolClassifier, encode, evaluate_sets, predict  # noqa: E402

# The seed whose selection set the shipped recipe used (train_stance_general.py --seed 13
# draws ArgQ dev with random.Random(seed + 1)); every candidate is scored on that one set.
SELECTION_SEED = 13


def read_state(model_dir: Path) -> dict[str, torch.Tensor]:
    return {k: v.float() for k, v in load_file(str(model_dir / "model.safetensors")).items()}


def mean_state(states: list[dict[str, torch.Tensor]]) -> dict[str, torch.Tensor]:
    names = states[0].keys()
    if any(s.keys() != names for s in states):
        raise SystemExit("the models to average do not have the same weights (same recipe needed)")
    return {n: sum(s[n] for s in states) / len(states) for n in names}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kind", choices=["general", "domain"], required=True, help="general: select on ArgQ-30k dev; domain: on news_stance dev")
    ap.add_argument("--models", type=Path, nargs="+", required=True, help="model directories trained by the same recipe")
    ap.add_argument("--data", type=Path, required=True, help="the shared train folder")
    ap.add_argument("--eval-data", type=Path, default=None, help="the shared eval folder (Perspectrum)")
    ap.add_argument("--written", type=Path, nargs="+", default=None, help="domain: the written data, for the held-out excerpts' score")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--limit", type=int, default=None, help="smoke test: N examples per set")
    args = ap.parse_args()

    threads = set_threads(args.threads)
    timer = Timer()
    configs = [json.loads((d / "config.json").read_text()) for d in args.models]
    config = dict(configs[0])
    tokenizer = BertTokenizerFast(vocab_file=str(args.models[0] / "vocab.txt"), do_lower_case=True)
    model = MeanPoolClassifier(BertConfig(**{k: v for k, v in config.items() if not k.startswith("stancewatch_")}))

    if args.kind == "general":
        from train_stance_general import selection_set

        select = selection_set(args.data, random.Random(SELECTION_SEED + 1), args.limit)
        selection_name = "ArgQ-30k dev selection set"
    else:
        select = [(train_stance.TARGET_DESCRIPTIONS[0], t, l) for t, l, _ in train_stance.dev_news(args.data, args.limit)]
        selection_name = "news_stance dev"
        if args.written:
            _, held, _ = train_stance.read_written(args.written)
            train_stance.WRITTEN_HELDOUT[:] = [(t, l, "") for t, l, _ in held][: args.limit]
    select_items = encode(tokenizer, select)
    log(f"{len(args.models)} models; selection: {selection_name}, {len(select)} pairs; threads {threads}")

    def score(state) -> float:
        model.load_state_dict(state, strict=False)
        return macro_f1([x[2] for x in select], predict(model, select_items), LABELS)["macro_f1"]

    states = [read_state(d) for d in args.models]
    candidates: list[dict] = []
    for d, s in zip(args.models, states):
        candidates.append({"name": f"{d.name} alone", "ingredients": [d.name], "state": s, "selection_macro_f1": score(s)})
        log(f"{candidates[-1]['name']}: {candidates[-1]['selection_macro_f1']:.4f}")
    if len(states) > 1:
        uniform = mean_state(states)
        candidates.append({"name": "uniform soup", "ingredients": [d.name for d in args.models], "state": uniform, "selection_macro_f1": score(uniform)})
        log(f"uniform soup: {candidates[-1]['selection_macro_f1']:.4f}")
        # Greedy soup: best ingredient first; each next one stays only if it helps.
        order = sorted(range(len(states)), key=lambda i: -candidates[i]["selection_macro_f1"])
        kept, best = [order[0]], candidates[order[0]]["selection_macro_f1"]
        for i in order[1:]:
            f1 = score(mean_state([states[k] for k in kept + [i]]))
            if f1 > best:
                kept, best = kept + [i], f1
        if 1 < len(kept) < len(states):
            greedy = mean_state([states[k] for k in kept])
            candidates.append({"name": "greedy soup", "ingredients": [args.models[k].name for k in kept], "state": greedy, "selection_macro_f1": best})
            log(f"greedy soup of {len(kept)}: {best:.4f}")
    chosen = max(candidates, key=lambda c: c["selection_macro_f1"])
    log(f"kept: {chosen['name']} ({selection_name} macro-F1 {chosen['selection_macro_f1']:.4f})")

    # The shipped weights are fp16: score what is shipped.
    model.load_state_dict({k: v.half().float() for k, v in chosen["state"].items()}, strict=False)
    scores = evaluate_sets(model, tokenizer, args.data, args.eval_data, args.limit)
    scores["selection"] = macro_f1([x[2] for x in select], predict(model, select_items), LABELS)
    log(json.dumps({k: {kk: vv for kk, vv in v.items() if kk != "confusion"} for k, v in scores.items()}))
    extra = {k: v for k, v in config.items() if k.startswith("stancewatch_") or k == "architectures"}
    extra["stancewatch_model_id"] = config["stancewatch_model_id"] + (
        "-soup" + "".join(f"-{n}" for n in chosen["ingredients"]) if len(chosen["ingredients"]) > 1 else ""
    )
    save_hf_model(model, args.out, extra)
    report = {
        "soup_of": [str(d) for d in args.models],
        "selection": selection_name,
        "candidates": [{k: v for k, v in c.items() if k != "state"} for c in candidates],
        "kept": chosen["name"],
        "ingredient_reports": {
            d.name: json.loads((d / "training_report.json").read_text()) for d in args.models if (d / "training_report.json").exists()
        },
        "args": {k: str(v) for k, v in vars(args).items()},
        "threads": threads,
        "seconds": round(timer.elapsed()),
        "scores": scores,
    }
    (args.out / "training_report.json").write_text(json.dumps(report, indent=2) + "\n")
    log(f"saved to {args.out}")


if __name__ == "__main__":
    main()
