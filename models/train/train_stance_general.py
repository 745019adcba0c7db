"""Train the stancewatch *target-general* stance model: the same cross-encoder as
train_stance.py ((target, sentence) -> favor / against / none, MiniLM-L6, mean pooling), but
trained to read the target rather than to serve one target well.

    python models/train/train_stance_general.py --data ../shared/train --eval-data ../shared/eval \
        --written models/train/written --out models/stance-general

Why a second model: the domain model (models/stance) is trained for the pipeline's default
target on ~17k sentences toward it; every attempt to also teach it other targets lowered its
news score (models/stance/MODEL_CARD.md). This model is what the pipeline uses for a target
that is not the default one (pipeline/config: a target's `model`).

The mixture (read in place from the shared train folder and the project's written data):
* IBM ArgQ-30k train (20,974 arguments over 49 debate topics, pro/con) and Claim Stance train
  (1,039 claims, 25 topics): stance toward a written topic.
* ArgKP-2021: its arguments not already in ArgQ train, and its key points (short claims, like
  debate perspectives), on topics that are not ArgQ dev or test topics.
* The project's written (target, sentence) pairs (models/train/written w8, w16, w25, w26:
  ~5.4k pairs over ~300 targets, many sentences twice with opposite-polarity targets and
  flipped labels): the one source that makes the target's polarity matter.
* Cross-topic negatives: an argument paired with another topic is `none`.
* NLI (TaxiNLI, SNLI dev/test, SICK train, FEVER-Symmetric) mapped entailment -> favor,
  contradiction -> against, neutral -> none: negation and the none class on general text.
Selected on ArgQ-30k **dev** (7 topics disjoint from train): macro-F1 over its pro/con
arguments plus as many cross-topic negatives. Reported, never trained or selected on: IBM
Claim Stance test, the Perspectrum immigration pairs, news_stance dev.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

import torch
from transformers import BertConfig, BertTokenizerFast

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    BASE_NAME,
    Timer,
    adamw,
    base_config,
    base_model_dir,
    length_bucketed_batches,
    load_base_state,
    log,
    save_hf_model,
    seed_everything,
    set_threads,
    train_step,
    warmup_linear_decay,
)
from metrics import macro_f1  # noqa: E402
from train_stance import (  # noqa: E402
    CONTEXT_TYPE,
    FLIP,
    LABEL2ID,
    LABELS,
    MAX_CONTEXT,
    TARGET_DESCRIPTIONS,
    MeanPoolClassifier,
    collate,
    encode,
    evaluate_sets,
    predict,
    pro_con,
    read_argq,
    read_claim_stance,
    read_csv,
    read_news,
    read_nli,
    read_written,
)

def with_negatives(pairs: list[tuple], topics: list[str], fraction: float, rng: random.Random) -> list[tuple]:
    """`fraction` of the pairs again, each toward a different topic of `topics`, as none."""
    out = []
    for target, text, _ in pairs:
        if rng.random() < fraction:
            out.append((rng.choice([t for t in topics if t != target]), text, "none"))
    return out


# The auxiliaries a debate topic's main clause turns on: "We should ban X", "X should be
# banned", "This house would X", "X is beneficial". The first one is where "not" goes.
_AUXILIARY = re.compile(r"\b(should|would|must|can|will|is|are)\b( not\b| never\b)?", re.IGNORECASE)


def negate_topic(topic: str) -> str | None:
    """The opposite claim of a debate topic, or None when there is no safe way to write it.

    "We should ban whaling" -> "We should not ban whaling"; "This house believes that X" ->
    "This house does not believe that X"; "X brings more harm than good" -> "X brings more
    good than harm"; a topic that already has "not" after its auxiliary loses it."""
    t = topic.strip()
    for lead, opposite in (("This house believes ", "This house does not believe "), ("This house supports ", "This house opposes ")):
        if t.startswith(lead):
            return opposite + t[len(lead):]
    if "more harm than good" in t:
        return t.replace("more harm than good", "more good than harm")
    m = _AUXILIARY.search(t)
    if not m:
        return None
    if m.group(2):
        return t[: m.end(1)] + t[m.end() :]
    return t[: m.end(1)] + " not" + t[m.end(1) :]


def with_negated_topics(pairs: list[tuple], fraction: float, rng: random.Random) -> list[tuple]:
    """`fraction` of the pairs again toward the opposite claim, with the flipped label.

    Why: an argument's wording alone predicts its IBM label (most "sound pro" about the
    topic's words), so a model can score without reading the topic; that is the favor lean
    measured on Perspectrum ("Criminals can find safe-haven in Sanctuary Cities" scored
    favor toward "Sanctuary cities are beneficial"). The same argument toward the opposite
    claim, with the opposite label, is only right if the target is read."""
    out = []
    for target, text, label in pairs:
        negated = negate_topic(target)
        if negated and rng.random() < fraction:
            out.append((negated, text, FLIP[label]))
    return out


def selection_set(data: Path, rng: random.Random, limit: int | None) -> list[tuple]:
    """ArgQ-30k dev arguments (favor/against) and one cross-topic negative for every second."""
    dev = read_argq(data, "dev")
    rng.shuffle(dev)
    pairs = dev[: limit or 1500]
    topics = sorted({t for t, _, _ in pairs})
    return pairs + with_negatives(pairs, topics, 0.5, rng)


def training_mixture(data: Path, written, rng: random.Random, args) -> list[tuple]:
    ex: list[tuple] = []
    argq_pairs = read_argq(data, "train")
    held_topics = {t for t, _, _ in read_argq(data, "dev") + read_argq(data, "test")}
    ex += argq_pairs
    seen = {(t, a) for t, a, _ in argq_pairs}
    kp_seen = set()
    for r in read_csv(data / "stance_ibm_argkp_2021" / "ArgKP-2021_dataset.csv"):
        if r["topic"] in held_topics:
            continue
        label = pro_con(r["stance"])
        if (r["topic"], r["argument"]) not in seen:
            seen.add((r["topic"], r["argument"]))
            ex.append((r["topic"], r["argument"], label))
        if (r["topic"], r["key_point"]) not in kp_seen:
            kp_seen.add((r["topic"], r["key_point"]))
            # Key points are short claims; seen three times so they are not drowned out.
            ex += [(r["topic"], r["key_point"], label)] * 3
    cs = read_claim_stance(data, "train")
    ex += cs
    topics = sorted({t for t, _, _ in argq_pairs} | {t for t, _, _ in cs})
    stance_pairs = list(ex)
    ex += with_negatives(stance_pairs, topics, args.negatives, rng)
    if args.negated_topics:
        ex += with_negated_topics(stance_pairs, args.negated_topics, rng)

    if written:
        train_sentences, _, pairs = read_written(written)
        ex += pairs * args.pair_repeats
        # Some default-target sentences, so the domain's own target is not forgotten.
        ex += [(rng.choice(TARGET_DESCRIPTIONS), t, l) for t, l, _ in rng.sample(train_sentences, min(len(train_sentences), args.domain_sentences))]
    ex += [(rng.choice(TARGET_DESCRIPTIONS), t, l) for t, l, _ in read_news(data, "train")]

    nli = read_nli(data)
    rng.shuffle(nli)
    ex += nli[: args.nli]
    return ex


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="the shared train folder")
    ap.add_argument("--eval-data", type=Path, default=None, help="the shared eval folder (Perspectrum)")
    ap.add_argument("--written", type=Path, nargs="+", default=None, help="the project's written data (models/train/written)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--negatives", type=float, default=0.2, help="fraction of stance pairs repeated toward another topic as none")
    ap.add_argument("--pair-repeats", type=int, default=2, help="times each written (target, sentence) pair is seen per epoch")
    ap.add_argument("--domain-sentences", type=int, default=3000, help="written sentences toward the default target")
    ap.add_argument("--nli", type=int, default=8000, help="NLI pairs per epoch")
    ap.add_argument("--negated-topics", type=float, default=0.0, help="fraction of the IBM pairs repeated toward the opposite claim with the flipped label")
    ap.add_argument(
        "--average",
        action="store_true",
        help="also score the uniform average of the last k half-epoch checkpoints (every k >= 2) and keep whichever candidate scores best on the selection set",
    )
    ap.add_argument("--limit", type=int, default=None, help="smoke test: N examples per set")
    ap.add_argument("--max-steps", type=int, default=None, help="smoke test: stop after N steps")
    args = ap.parse_args()

    seed_everything(args.seed)
    threads = set_threads(args.threads)
    timer = Timer()
    rng = random.Random(args.seed)
    mixture = training_mixture(args.data, args.written, rng, args)
    select = selection_set(args.data, random.Random(args.seed + 1), args.limit)
    if args.limit:
        rng.shuffle(mixture)
        mixture = mixture[: args.limit]
    counts = {l: sum(x[2] == l for x in mixture) for l in LABELS}
    log(f"training pairs {len(mixture)} {counts}; selection pairs {len(select)}; threads {threads}")

    tokenizer = BertTokenizerFast(vocab_file=str(base_model_dir() / "vocab.txt"), do_lower_case=True)
    cfg = base_config()
    cfg.update(type_vocab_size=3, num_labels=len(LABELS), id2label={i: l for i, l in enumerate(LABELS)}, label2id=LABEL2ID)
    model = MeanPoolClassifier(BertConfig(**{k: v for k, v in cfg.items() if k != "transformers_version"}))
    missing, _ = model.load_state_dict(load_base_state(3, copy_row=1), strict=False)
    log(f"loaded base; newly initialised: {missing}")

    items = encode(tokenizer, mixture)
    select_items = encode(tokenizer, select)
    steps_per_epoch = (len(items) + args.batch_size - 1) // args.batch_size
    total = steps_per_epoch * args.epochs if not args.max_steps else min(args.max_steps, steps_per_epoch * args.epochs)
    opt = adamw(model, args.lr)
    sched = warmup_linear_decay(opt, total)
    history, best = [], {"f1": -1.0, "state": None, "from": None}
    checkpoints: list[dict] = []  # every evaluated state, for --average

    def evaluate(step, label=None) -> None:
        m = macro_f1([x[2] for x in select], predict(model, select_items), LABELS)
        record = {"step": step, "argq_dev_macro_f1": m["macro_f1"]}
        if label:
            record["candidate"] = label
        if args.eval_data:
            # Logged to follow training; selection stays on ArgQ dev.
            from train_stance import perspectrum_accuracy

            p = perspectrum_accuracy(model, tokenizer, args.eval_data, args.limit)
            record["perspectrum_accuracy"], record["perspectrum_sign"] = p["accuracy"], p["sign_accuracy"]
        history.append(record)
        log(f"step {step} {json.dumps(record)}")
        state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        if label is None and args.average:
            checkpoints.append(state)
        if m["macro_f1"] > best["f1"]:
            best.update(f1=m["macro_f1"], state=state, **{"from": label or f"checkpoint at step {step}"})

    step = 0
    while step < total:
        for batch in length_bucketed_batches([len(it["ids"]) for it in items], args.batch_size, rng):
            loss = train_step(model, opt, sched, *collate([items[i] for i in batch]))
            step += 1
            if step % 50 == 0:
                log(f"step {step}/{total} loss {loss:.4f} elapsed {timer.elapsed():.0f}s")
            # Every half epoch, and at the end; a half-epoch point only a few steps before
            # the end (an odd number of steps per epoch) is left to the final one, so that
            # --average does not count the same weights twice.
            half = max(1, steps_per_epoch // 2)
            if step == total or (step % half == 0 and total - step >= half // 2):
                evaluate(step)
            if step >= total:
                break

    # Checkpoint averaging: a late checkpoint is one noisy draw along the trajectory; the
    # mean of the last few usually generalises at least as well. Each average is scored on
    # the selection set like a checkpoint and kept only if it scores best there.
    for k in range(2, len(checkpoints) + 1):
        last = checkpoints[-k:]
        avg = {n: (sum(c[n].float() for c in last) / k).to(last[0][n].dtype) for n in last[0]}
        model.load_state_dict(avg)
        evaluate(step, label=f"average of the last {k} checkpoints")
    log(f"kept: {best['from']} (selection macro-F1 {best['f1']:.4f})")
    model.load_state_dict(best["state"])
    model.load_state_dict({k: v.half().float() for k, v in model.state_dict().items()})
    scores = evaluate_sets(model, tokenizer, args.data, args.eval_data, args.limit)
    scores["argq_dev_selection"] = macro_f1([x[2] for x in select], predict(model, select_items), LABELS)
    log(json.dumps({k: {kk: vv for kk, vv in v.items() if kk != "confusion"} for k, v in scores.items()}))
    extra = {
        "stancewatch_model_id": f"stancewatch-stance-general-minilm-l6-xenc-mean-s{args.seed}",
        "stancewatch_task": "stance_cross_encoder",
        "stancewatch_pooling": "mean",
        "stancewatch_max_context_pieces": MAX_CONTEXT,
        "stancewatch_context_type_id": CONTEXT_TYPE,
        "stancewatch_uses_context": False,
        "architectures": ["StancewatchMeanPoolClassifier"],
    }
    save_hf_model(model, args.out, extra)
    report = {
        "base": BASE_NAME,
        "training_pairs": len(mixture),
        "label_counts": counts,
        "steps": step,
        "kept": best["from"],
        "args": {k: str(v) for k, v in vars(args).items()},
        "threads": threads,
        "train_seconds": round(timer.elapsed()),
        "history": history,
        "scores": scores,
    }
    (args.out / "training_report.json").write_text(json.dumps(report, indent=2) + "\n")
    log(f"saved to {args.out}")


if __name__ == "__main__":
    main()
