"""The benchmark peer: the same shipped weights and the same work in Python with Hugging Face
`transformers` — sentence splitting with `sentencex` (the Python package of the splitter the
pipeline uses), NER with BertForTokenClassification (casing token types as in training;
first-piece labels merged into spans), stance with the mean-pooled cross-encoder, and a
polars aggregation per (article, first person named). Same thread count, length-sorted
batches of 32 as the pipeline. Prints one JSON line."""
from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
from pathlib import Path

import polars as pl
import torch
from sentencex import segment
from transformers import BertConfig, BertForTokenClassification, BertTokenizerFast

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "models" / "train"))
from train_ner import casing_type  # noqa: E402
from train_stance import MeanPoolClassifier, encode as stance_encode, collate as stance_collate  # noqa: E402

WORD = re.compile(r"[\w$#][\w’'.%-]*[\w%]|[\w$#%]|[^\w\s]")


def load(dir_: Path, cls, dtype):
    from safetensors.torch import load_file

    config = BertConfig.from_json_file(str(dir_ / "config.json"))
    model = cls(config)
    model.load_state_dict({k: v.float() for k, v in load_file(str(dir_ / "model.safetensors")).items()}, strict=False)
    return model.eval().to(dtype)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", type=Path, required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--target", default="local cooperation with federal immigration enforcement")
    ap.add_argument("--dtype", choices=["float32", "bfloat16"], default="float32",
                    help="weights and activations (the peer proper is float32, transformers' default)")
    args = ap.parse_args()
    dtype = getattr(torch, args.dtype)
    torch.set_num_threads(args.threads)
    t0 = time.time()
    ner_dir, stance_dir = ROOT / "models" / "ner", ROOT / "models" / "stance"
    ner = load(ner_dir, BertForTokenClassification, dtype)
    stance = load(stance_dir, MeanPoolClassifier, dtype)
    tok = BertTokenizerFast(vocab_file=str(ner_dir / "vocab.txt"), do_lower_case=True)
    labels = {int(k): v for k, v in json.loads((ner_dir / "config.json").read_text())["id2label"].items()}
    startup = time.time() - t0

    t = time.time()
    arts = [json.loads(l) for l in args.input.read_text(encoding="utf-8").splitlines() if l.strip()]
    sents = []  # (article, text)
    for a in arts:
        for line in a["text"].split("\n"):
            for s in segment("en", line):
                if s.strip():
                    sents.append((a["id"], s.strip()))
    split_s = time.time() - t

    t = time.time()
    tokens = 0
    words = [WORD.findall(s) for _, s in sents]
    order = sorted(range(len(sents)), key=lambda i: len(words[i]))
    ents = [[] for _ in sents]
    with torch.no_grad():
        for b in range(0, len(order), 32):
            idx = [i for i in order[b : b + 32] if words[i]]
            if not idx:
                continue
            enc = tok([words[i] for i in idx], is_split_into_words=True, truncation=True, max_length=256, padding=True, return_tensors="pt")
            types = torch.zeros_like(enc["input_ids"])
            for r, i in enumerate(idx):
                for p, w in enumerate(enc.word_ids(r)):
                    if w is not None:
                        types[r, p] = casing_type(words[i][w])
            tokens += int(enc["attention_mask"].sum())
            pred = ner(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"], token_type_ids=types).logits.argmax(-1)
            for r, i in enumerate(idx):
                cur, prev_w = None, None
                for p, w in enumerate(enc.word_ids(r)):
                    if w is None or w == prev_w:
                        continue
                    prev_w = w
                    lab = labels[int(pred[r, p])]
                    if lab.startswith("B-") or (lab.startswith("I-") and (cur is None or cur[0] != lab[2:])):
                        cur = [lab[2:], [words[i][w]]]
                        ents[i].append(cur)
                    elif lab.startswith("I-"):
                        cur[1].append(words[i][w])
                    else:
                        cur = None
    ner_s = time.time() - t

    t = time.time()
    items = stance_encode(tok, [(args.target, s, "none") for _, s in sents])
    scores = [0.0] * len(items)
    order = sorted(range(len(items)), key=lambda i: len(items[i]["ids"]))
    with torch.no_grad():
        for b in range(0, len(order), 32):
            idx = order[b : b + 32]
            ids, types, mask, _ = stance_collate([items[i] for i in idx])
            tokens += int(mask.sum())
            p = stance(input_ids=ids, token_type_ids=types, attention_mask=mask).logits.float().softmax(-1)
            for r, i in enumerate(idx):
                scores[i] = float(p[r, 0] - p[r, 1])
    stance_s = time.time() - t

    t = time.time()
    holder = [next((" ".join(e[1]) for e in es if e[0] == "PER"), None) for es in ents]
    df = pl.DataFrame({"article": [a for a, _ in sents], "holder": holder, "score": scores})
    agg = df.filter(pl.col("holder").is_not_null()).group_by("article", "holder").agg(pl.len(), pl.col("score").mean())
    agg_s = time.time() - t
    total = split_s + ner_s + stance_s + agg_s
    print(json.dumps({
        "articles": len(arts), "sentences": len(sents), "threads": args.threads, "dtype": args.dtype, "startup_seconds": startup,
        "total_seconds": total, "articles_per_second": len(arts) / total, "sentences_per_second": len(sents) / total,
        "model_tokens_per_second": tokens / (ner_s + stance_s),
        "stages": {"split": split_s, "ner": ner_s, "stance": stance_s, "aggregate": agg_s}, "groups": agg.height,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
