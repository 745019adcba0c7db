"""Train the stancewatch NER model: BIO over PER/ORG/LOC/MISC on the MiniLM-L6 encoder.

    python models/train/train_ner.py --data ../shared/train --out models/ner

The base encoder is uncased, so "US" and "us", "Bush" and "bush" look the same to it.
We give capitalisation back through the token-type embedding, which BERT already adds
to every position: each word's shape (lower / Title / ALLCAPS / mixed) becomes its token
type id, copied to all its word pieces. The model directory stays a plain HF BERT
(`type_vocab_size` = 4), and `config.json` says `"stancewatch_casing_type_ids": true` so that
the Rust side computes the same ids.

Data: CoNLL-2003 train (+ WikiGold, CC BY 4.0, all documents) for training; CoNLL testa
for model selection; CoNLL testb only for the final report. The data stays where it is.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import torch
from transformers import BertConfig, BertForTokenClassification, BertTokenizerFast

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
from metrics import entity_prf  # noqa: E402

LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
LABEL2ID = {l: i for i, l in enumerate(LABELS)}
NUM_CASING_TYPES = 4
MAX_PIECES = 192


def casing_type(word: str) -> int:
    """0 = no upper-case letter, 1 = Title (first letter upper, no other upper),
    2 = ALL CAPS (two or more letters, all upper), 3 = mixed (McDonald, iPhone)."""
    letters = [c for c in word if c.isalpha()]
    uppers = [c for c in letters if c.isupper()]
    if not uppers:
        return 0
    if len(uppers) == len(letters):
        return 2 if len(letters) > 1 else 1
    if len(uppers) == 1 and letters[0].isupper():
        return 1
    return 3


def read_conll(path: Path) -> list[tuple[list[str], list[str]]]:
    """Sentences as (words, IOB2 tags). Accepts 2- or 4-column CoNLL, IOB1 or IOB2."""
    sents, words, tags = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("-DOCSTART-"):
            if words:
                sents.append((words, iob1_to_iob2(tags)))
            words, tags = [], []
            continue
        parts = line.split()
        words.append(parts[0])
        tags.append(parts[-1])
    if words:
        sents.append((words, iob1_to_iob2(tags)))
    return sents


def iob1_to_iob2(tags: list[str]) -> list[str]:
    out = []
    for i, tag in enumerate(tags):
        if tag.startswith("I-"):
            typ = tag[2:]
            prev = out[i - 1] if i else "O"
            if prev == "O" or prev[2:] != typ:
                tag = "B-" + typ
        out.append(tag)
    return out


def encode(tokenizer, sents, with_labels=True):
    """Word-piece ids, casing type ids and labels (first piece of each word; -100 elsewhere)."""
    enc = tokenizer([w for w, _ in sents], is_split_into_words=True, truncation=True, max_length=MAX_PIECES)
    items = []
    for k, (words, tags) in enumerate(sents):
        word_ids = enc.word_ids(k)
        ids = enc["input_ids"][k]
        types, labels, first_piece = [], [], []
        prev = None
        for pos, w in enumerate(word_ids):
            if w is None:
                types.append(0)
                labels.append(-100)
            else:
                types.append(casing_type(words[w]))
                if w != prev:
                    labels.append(LABEL2ID[tags[w]] if with_labels else 0)
                    first_piece.append(pos)
                else:
                    labels.append(-100)
            prev = w
        items.append({"ids": ids, "types": types, "labels": labels, "first": first_piece, "n_words": len(words)})
    return items


def collate(items):
    n = max(len(it["ids"]) for it in items)
    ids = torch.zeros(len(items), n, dtype=torch.long)
    types = torch.zeros(len(items), n, dtype=torch.long)
    mask = torch.zeros(len(items), n, dtype=torch.long)
    labels = torch.full((len(items), n), -100, dtype=torch.long)
    for i, it in enumerate(items):
        L = len(it["ids"])
        ids[i, :L] = torch.tensor(it["ids"])
        types[i, :L] = torch.tensor(it["types"])
        mask[i, :L] = 1
        labels[i, :L] = torch.tensor(it["labels"])
    return ids, types, mask, labels


def valid_bio(prev: str, tag: str) -> bool:
    return not tag.startswith("I-") or (prev != "O" and prev[2:] == tag[2:])


def decode(logits: torch.Tensor) -> list[str]:
    """Greedy BIO decode that never emits an I- tag that does not continue its type
    (such a tag becomes B-). Mirrors pipeline/src/ner.rs."""
    tags, prev = [], "O"
    for row in logits.argmax(-1).tolist():
        tag = LABELS[row]
        if not valid_bio(prev, tag):
            tag = "B-" + tag[2:]
        tags.append(tag)
        prev = tag
    return tags


@torch.no_grad()
def predict(model, items, batch_size=64):
    model.eval()
    preds = [None] * len(items)
    order = sorted(range(len(items)), key=lambda i: len(items[i]["ids"]))
    for b in range(0, len(order), batch_size):
        idx = order[b : b + batch_size]
        ids, types, mask, _ = collate([items[i] for i in idx])
        logits = model(input_ids=ids, token_type_ids=types, attention_mask=mask).logits
        for row, i in enumerate(idx):
            first = items[i]["first"]
            tags = decode(logits[row, first])
            tags += ["O"] * (items[i]["n_words"] - len(tags))  # words cut by truncation
            preds[i] = tags
    return preds


def evaluate(model, sents, items) -> dict:
    return entity_prf([t for _, t in sents], predict(model, items))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="the shared train folder (holds ner_conll2003_en/)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--epochs", type=float, default=4)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--no-wikigold", action="store_true")
    ap.add_argument("--limit", type=int, default=None, help="smoke test: use only N sentences per split")
    ap.add_argument("--max-steps", type=int, default=None, help="smoke test: stop after N steps")
    ap.add_argument("--eval-every", type=int, default=0, help="evaluate on dev every N steps (0: each epoch)")
    args = ap.parse_args()

    seed_everything(args.seed)
    threads = set_threads(args.threads)
    timer = Timer()
    conll = args.data / "ner_conll2003_en"
    train = read_conll(conll / "eng.train")
    if not args.no_wikigold and (args.data / "ner_wikigold_en" / "wikigold.conll.txt").exists():
        train += read_conll(args.data / "ner_wikigold_en" / "wikigold.conll.txt")
    dev = read_conll(conll / "eng.testa")
    test = read_conll(conll / "eng.testb")
    if args.limit:
        train, dev, test = train[: args.limit], dev[: args.limit], test[: args.limit]
    log(f"train {len(train)} dev {len(dev)} test {len(test)} sentences; threads {threads}")

    tokenizer = BertTokenizerFast(vocab_file=str(base_model_dir() / "vocab.txt"), do_lower_case=True)
    tr_items, dev_items, test_items = (encode(tokenizer, s) for s in (train, dev, test))

    cfg = base_config()
    cfg.update(
        type_vocab_size=NUM_CASING_TYPES,
        num_labels=len(LABELS),
        id2label={i: l for i, l in enumerate(LABELS)},
        label2id=LABEL2ID,
        architectures=["BertForTokenClassification"],
    )
    config = BertConfig(**{k: v for k, v in cfg.items() if k not in ("transformers_version",)})
    model = BertForTokenClassification(config)
    missing, unexpected = model.load_state_dict(load_base_state(NUM_CASING_TYPES), strict=False)
    log(f"loaded base; newly initialised: {missing}; unused: {unexpected}")

    rng = random.Random(args.seed)
    steps_per_epoch = (len(tr_items) + args.batch_size - 1) // args.batch_size
    total = int(steps_per_epoch * args.epochs)
    if args.max_steps:
        total = min(total, args.max_steps)
    opt = adamw(model, args.lr)
    sched = warmup_linear_decay(opt, total)

    best_f1, best_state, step, history = -1.0, None, 0, []
    eval_every = args.eval_every or steps_per_epoch
    while step < total:
        for batch in length_bucketed_batches([len(it["ids"]) for it in tr_items], args.batch_size, rng):
            loss = train_step(model, opt, sched, *collate([tr_items[i] for i in batch]))
            step += 1
            if step % 50 == 0:
                log(f"step {step}/{total} loss {loss:.4f} elapsed {timer.elapsed():.0f}s")
            if step % eval_every == 0 or step == total:
                dev_scores = evaluate(model, dev, dev_items)
                history.append({"step": step, "dev_f1": dev_scores["f1"]})
                log(f"step {step} dev F1 {dev_scores['f1']}")
                if dev_scores["f1"] > best_f1:
                    best_f1 = dev_scores["f1"]
                    best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            if step >= total:
                break

    model.load_state_dict(best_state)
    # Score the weights as shipped (fp16 round trip), which is what Rust loads.
    model.load_state_dict({k: v.half().float() for k, v in model.state_dict().items()})
    dev_scores = evaluate(model, dev, dev_items)
    test_scores = evaluate(model, test, test_items)
    log(f"best dev F1 {dev_scores['f1']}  test (testb) F1 {test_scores['f1']}")
    train_seconds = round(timer.elapsed())
    save_hf_model(
        model,
        args.out,
        {
            "stancewatch_casing_type_ids": True,
            "stancewatch_model_id": f"stancewatch-ner-minilm-l6-casing-s{args.seed}",
        },
    )
    report = {
        "base": BASE_NAME,
        "train_sentences": len(train),
        "epochs": args.epochs,
        "steps": step,
        "lr": args.lr,
        "batch_size": args.batch_size,
        "seed": args.seed,
        "threads": threads,
        "train_seconds": train_seconds,
        "history": history,
        "dev_conll_testa": dev_scores,
        "test_conll_testb": test_scores,
        "limit": args.limit,
    }
    (args.out / "training_report.json").write_text(json.dumps(report, indent=2) + "\n")
    log(f"saved to {args.out}")


if __name__ == "__main__":
    main()
