"""Train the stancewatch *policy reader*: what a law, bill, ordinance, order or agreement does
to the default target — favor (it requires or expands local cooperation with federal
immigration enforcement), against (it limits or ends it), none (it does not bear on it).

    cargo run --release --example law_phrase_data -- models/train/written/w*.jsonl > phrases.jsonl
    python models/train/train_policy.py --phrases phrases.jsonl --out models/policy \
        [--eval-phrases news_phrases.jsonl]

Why a reader of its own. The pipeline composes an acting holder's act with what the law does
("Newsom vetoed a bill that would have blocked transfers to ICE": −1 × against = favor;
`pipeline/src/laws.rs`). Read by the sentence models, a bare law phrase is scored by its
vocabulary: "California's 'sanctuary' law" comes out favor, and on real law phrases their
sign was at chance (session 8). This model is trained on law phrases alone.

The data is derived, not written anew: `pipeline/examples/law_phrase_data.rs` runs the
pipeline's own law-phrase finder and act reader over the project's written, labelled
sentences; a sentence in which the holder acts on a described law gives the law's effect as
the act's direction times the sentence's label, and law phrases in sentences on other
debates give `none`. The same derivation over news_stance's gold sentences gives real
phrases (`--eval-phrases`), reported and never used to choose.

The model is the stance cross-encoder ((target, phrase) -> favor / against / none, MiniLM-L6,
mean pooling) so the Rust side loads it like any stance model; it starts from `--init`
(the default target's stance model) and is selected on a held-out tenth of the written
excerpts (grouped by excerpt, so no excerpt is on both sides).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import zlib
from pathlib import Path

import torch
from transformers import BertConfig, BertTokenizerFast

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Timer, adamw, length_bucketed_batches, log, save_hf_model, seed_everything, set_threads, train_step, warmup_linear_decay  # noqa: E402
from metrics import macro_f1  # noqa: E402
from train_stance import LABELS, TARGET_DESCRIPTIONS, MeanPoolClassifier, collate, encode, predict  # noqa: E402


def read_phrases(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.open(encoding="utf-8"), 1):
        r = json.loads(line)
        if r.get("stance") not in LABELS or not r.get("phrase"):
            raise SystemExit(f"{path}:{n}: a phrase with a stance of {LABELS} is needed")
        rows.append(r)
    return rows


def held_out(row: dict, every: int) -> bool:
    """Every `every`-th excerpt (by a stable hash of its id) is held out for selection."""
    return zlib.crc32(str(row.get("id")).encode()) % every == 0


def dedupe(rows: list[dict]) -> list[dict]:
    """One line per (phrase, stance): the same phrase often comes from several sentences."""
    seen, out = set(), []
    for r in rows:
        key = (r["phrase"].lower(), r["stance"])
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--phrases", type=Path, required=True, help="derived law phrases (pipeline/examples/law_phrase_data.rs)")
    ap.add_argument("--eval-phrases", type=Path, default=None, help="the same derivation over news_stance (reported only)")
    ap.add_argument("--init", type=Path, required=True, help="the stance model to start from (models/stance)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--seeds", type=int, nargs="+", default=[13], help="one run per seed; with several, their weight soup is a candidate too")
    ap.add_argument("--holdout-every", type=int, default=5, help="every Nth written excerpt is held out for selection (a fifth: ~200 phrases, enough to tell epochs apart)")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--max-steps", type=int, default=None, help="smoke test: stop after N steps")
    args = ap.parse_args()

    threads = set_threads(args.threads)
    timer = Timer()
    rng = random.Random(args.seeds[0])
    rows = dedupe(read_phrases(args.phrases))
    train_rows = [r for r in rows if not held_out(r, args.holdout_every)]
    select_rows = [r for r in rows if held_out(r, args.holdout_every)]
    if not train_rows or not select_rows:
        raise SystemExit(f"{args.phrases}: too few phrases to hold out every {args.holdout_every}th excerpt")
    # Each training phrase toward one of the default target's paraphrases; selection and
    # evaluation toward the description the pipeline's config uses.
    train = [(rng.choice(TARGET_DESCRIPTIONS), r["phrase"], r["stance"]) for r in train_rows]
    select = [(TARGET_DESCRIPTIONS[0], r["phrase"], r["stance"]) for r in select_rows]
    real = [(TARGET_DESCRIPTIONS[0], r["phrase"], r["stance"]) for r in read_phrases(args.eval_phrases)] if args.eval_phrases else []
    counts = {l: sum(x[2] == l for x in train) for l in LABELS}
    log(f"phrases: {len(train)} train {counts}, {len(select)} selection, {len(real)} real (reported); threads {threads}")

    cfg = json.loads((args.init / "config.json").read_text())
    tokenizer = BertTokenizerFast(vocab_file=str(args.init / "vocab.txt"), do_lower_case=True)
    model = MeanPoolClassifier(BertConfig(**{k: v for k, v in cfg.items() if not k.startswith("stancewatch_")}))
    from safetensors.torch import load_file

    items, select_items, real_items = encode(tokenizer, train), encode(tokenizer, select), encode(tokenizer, real)

    def score() -> dict:
        out = {"selection": macro_f1([x[2] for x in select], predict(model, select_items), LABELS)}
        if real:
            preds = predict(model, real_items)
            out["real"] = macro_f1([x[2] for x in real], preds, LABELS)
            signed = [(x[2], p) for x, p in zip(real, preds) if x[2] != "none"]
            out["real"]["signed_right"] = f"{sum(g == p for g, p in signed)}/{len(signed)}"
        return out

    init_state = {k: v.float() for k, v in load_file(str(args.init / "model.safetensors")).items()}

    def brief(scores: dict) -> dict:
        return {k: {kk: vv for kk, vv in v.items() if kk != "confusion"} for k, v in scores.items()}

    def train_seed(seed: int) -> tuple[dict, list]:
        """One run from `--init`: the best epoch or epoch average on the selection set."""
        seed_everything(seed)
        order_rng = random.Random(seed)
        model.load_state_dict(init_state, strict=False)
        history = [{"seed": seed, "epoch": 0, **brief(score())}]
        log(f"seed {seed} start {json.dumps(history[-1])}")
        best = {"f1": history[0]["selection"]["macro_f1"], "from": f"seed {seed}, epoch 0", "state": {k: v.clone() for k, v in model.state_dict().items()}}
        steps_per_epoch = (len(items) + args.batch_size - 1) // args.batch_size
        total = steps_per_epoch * args.epochs if not args.max_steps else min(args.max_steps, steps_per_epoch * args.epochs)
        opt = adamw(model, args.lr)
        sched = warmup_linear_decay(opt, total)
        step, checkpoints = 0, []
        for epoch in range(1, args.epochs + 1):
            model.train()
            for batch in length_bucketed_batches([len(it["ids"]) for it in items], args.batch_size, order_rng):
                train_step(model, opt, sched, *collate([items[i] for i in batch]))
                step += 1
                if step >= total:
                    break
            s = score()
            history.append({"seed": seed, "epoch": epoch, **brief(s)})
            log(f"seed {seed} epoch {epoch} {json.dumps(history[-1])}")
            state = {k: v.clone() for k, v in model.state_dict().items()}
            checkpoints.append(state)
            if s["selection"]["macro_f1"] > best["f1"]:
                best = {"f1": s["selection"]["macro_f1"], "from": f"seed {seed}, epoch {epoch}", "state": state}
            if step >= total:
                break
        # The epochs' scores on a few hundred phrases move by several points from one epoch
        # to the next; the uniform mean of the last k epochs' weights is steadier. Each
        # average is a candidate, scored on the selection set like an epoch.
        for k in range(2, len(checkpoints) + 1):
            last = checkpoints[-k:]
            model.load_state_dict({n: sum(c[n].float() for c in last) / k for n in last[0]})
            s = score()
            history.append({"seed": seed, "average_of_last_epochs": k, **brief(s)})
            log(f"seed {seed} average of the last {k} epochs {json.dumps(history[-1])}")
            if s["selection"]["macro_f1"] > best["f1"]:
                best = {"f1": s["selection"]["macro_f1"], "from": f"seed {seed}, average of the last {k} epochs", "state": {n: v.clone() for n, v in model.state_dict().items()}}
        return best, history

    history, runs = [], []
    for seed in args.seeds:
        best, h = train_seed(seed)
        history += h
        runs.append(best)
        log(f"seed {seed}: kept {best['from']} (selection macro-F1 {best['f1']:.4f})")
    # One run is one draw: reader runs differing only in their seed label a few real phrases
    # differently. Runs fine-tuned from the same start stay close in weight space, so their
    # uniform mean ("soup") is a model too, and a steadier one; it is one more candidate.
    candidates = list(runs)
    if len(runs) > 1:
        model.load_state_dict({n: sum(r["state"][n].float() for r in runs) / len(runs) for n in runs[0]["state"]})
        s = score()
        history.append({"soup_of_seeds": list(args.seeds), **brief(s)})
        log(f"soup of {len(runs)} seeds {json.dumps(history[-1])}")
        candidates.append({"f1": s["selection"]["macro_f1"], "from": f"soup of seeds {list(args.seeds)}", "state": {n: v.clone() for n, v in model.state_dict().items()}})
    best = max(candidates, key=lambda c: c["f1"])
    log(f"kept {best['from']} (selection macro-F1 {best['f1']:.4f})")
    model.load_state_dict({k: v.half().float() for k, v in best["state"].items()})
    final = score()
    extra = {k: v for k, v in cfg.items() if k.startswith("stancewatch_") or k == "architectures"}
    kept_seeds = args.seeds if best["from"].startswith("soup") else [int(best["from"].split(",")[0].split()[1])]
    extra["stancewatch_model_id"] = "stancewatch-policy-minilm-l6-xenc-mean-" + ("soup-" if len(kept_seeds) > 1 else "") + "s" + "-".join(map(str, kept_seeds))
    extra["stancewatch_task"] = "stance_cross_encoder"
    extra["stancewatch_reads"] = "law_phrase"
    save_hf_model(model, args.out, extra)
    report = {
        "init": str(args.init),
        "phrases": {"train": len(train), "selection": len(select), "real": len(real), "train_counts": counts},
        "kept": best["from"],
        "args": {k: str(v) for k, v in vars(args).items()},
        "threads": threads,
        "train_seconds": round(timer.elapsed()),
        "history": history,
        "scores": final,
    }
    (args.out / "training_report.json").write_text(json.dumps(report, indent=2) + "\n")
    log(f"saved to {args.out}")


if __name__ == "__main__":
    main()
