"""Train the stancewatch stance model: a cross-encoder over (target description, sentence)
-> favor / against / none, on the MiniLM-L6 encoder.

    python models/train/train_stance.py --data ../shared/train --out models/stance

Why this mixture (all from the shared train folder, read in place, never copied):
* `--written PATH…`: the project's written training data (models/train/written: news-style
  excerpts and contrast sets written for the project, labelled by news_stance's guidelines;
  and (target, sentence) pairs, a `--written-pairs` fraction of them). The shipped model
  owes most of its score to it (see models/stance/MODEL_CARD.md); every tenth written
  excerpt is held out and reported.
* `--synthetic N`: N hand-written template sentences per class (synthetic_stance.py, written
  for this project) with the clear-cut forms of both sides, mixed into the domain data.
* news_stance train split (626 sentences) is the only in-domain data, so it is repeated with
  several paraphrases of the target description: the model must learn the *meaning* of the
  target text, because users configure their own targets.
* Target-swapped negatives: a news sentence paired with an unrelated debate topic, and a debate
  argument paired with another topic, are `none`. Without them a cross-encoder learns "this
  sentence sounds opinionated" instead of "this sentence takes a side on *this* target".
* IBM ArgQ-30k train and Claim Stance train (topic, argument, PRO/CON -> favor/against):
  stance toward a written target across dozens of topics. No neutral class there.
* NLI (SICK train, TaxiNLI MNLI sample, SNLI dev/test, FEVER-Symmetric dev/test): the
  hypothesis goes in the target slot; entailment -> favor, contradiction -> against,
  neutral -> none. This teaches negation and the "none" class on general text.
Never trained on: news_stance dev (model selection), IBM Claim Stance test and the
Perspectrum immigration pairs (reported).

Schedule: one pass over the general mixture, then domain epochs (news_stance + negatives +
a replay slice of the general mixture); the checkpoint with the best news_stance dev
macro-F1 is kept.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from pathlib import Path

import torch
from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

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

LABELS = ["favor", "against", "none"]
LABEL2ID = {l: i for i, l in enumerate(LABELS)}
MAX_PIECES = 160

# The default target of the pipeline (pipeline/config/default.toml uses the first one) and
# paraphrases used only as training augmentation.
TARGET_DESCRIPTIONS = [
    "local cooperation with federal immigration enforcement",
    "local police, jails and officials cooperating with ICE and federal immigration enforcement",
    "cities, counties and sheriffs helping federal immigration authorities with deportations, detainers and 287(g) agreements",
    "local governments assisting ICE in enforcing immigration law",
]


# Descriptions of the *opposite* target, for `--negated-targets`: favor toward one of these
# is against the target above and vice versa, so the model must read the target's polarity
# instead of learning "talk about ICE = favor".
NEGATED_DESCRIPTIONS = [
    "local refusal to cooperate with federal immigration enforcement",
    "sanctuary policies that limit local cooperation with ICE",
    "cities and counties refusing to help federal immigration authorities with deportations",
    "limits on local police and jails helping immigration agents",
]
FLIP = {"favor": "against", "against": "favor", "none": "none"}


def read_news(data: Path, split: str) -> list[tuple[str, str, str]]:
    """(sentence, label, context) where context is the previous sentence of the article."""
    arts = {}
    for line in (data / "news_stance" / "articles.jsonl").open(encoding="utf-8"):
        a = json.loads(line)
        arts[a["id"]] = a["split"]
    out, prev = [], {}
    for line in (data / "news_stance" / "sentences.jsonl").open(encoding="utf-8"):
        s = json.loads(line)
        context = prev.get(s["article_id"], "")
        prev[s["article_id"]] = s["text"]
        if arts[s["article_id"]] == split:
            out.append((s["text"], s["stance"], context))
    return out


WRITTEN_SENTENCE_KEYS = {"doc", "year", "idx", "text", "stance", "holder", "evidence_type", "confidence"}
WRITTEN_PAIR_KEYS = {"target", "text", "stance"}


def is_written_holdout(doc: str, every: int) -> bool:
    """Every `every`-th written document (by its number) is held out of training and scored
    apart; the choice depends on the document id only, so it is the same in every run."""
    digits = "".join(ch for ch in doc.rsplit("-", 1)[-1] if ch.isdigit())
    return every > 0 and bool(digits) and int(digits) % every == 0


def written_files(paths) -> list[Path]:
    """The JSONL files named, or found in the directories named, each once, sorted by path
    (so a run reads them in the same order however they were listed)."""
    files: set[Path] = set()
    for p in [Path(x) for x in ([paths] if isinstance(paths, (str, Path)) else paths)]:
        files.update(p.glob("*.jsonl") if p.is_dir() else [p])
    return sorted(files)


def read_written(paths, holdout_every: int = 10):
    """The project's written training data (models/train/written/*.jsonl; see its README).

    `paths`: directories (every *.jsonl in them) and files. Two kinds of file, told apart by
    their keys: news excerpts written for this project, one
    labelled sentence a line (`doc`, `idx`, `text`, `stance`, ...), toward the default target;
    and (target, sentence, stance) pairs over many targets of both polarities. Returns
    (train sentences, held-out sentences, pairs); sentences as (text, label, previous
    sentence of the same excerpt). Raises on a malformed line, naming file and line."""
    train, held, pairs = [], [], []
    for path in written_files(paths):
        prev: dict[str, str] = {}
        for n, line in enumerate(path.open(encoding="utf-8"), 1):
            if not line.strip():
                continue
            r = json.loads(line)
            keys = set(r)
            if r.get("stance") not in LABEL2ID or not str(r.get("text", "")).strip():
                raise SystemExit(f"{path}:{n}: stance must be favor/against/none and text non-empty")
            if keys == WRITTEN_PAIR_KEYS:
                pairs.append((r["target"], r["text"], r["stance"]))
            elif keys == WRITTEN_SENTENCE_KEYS:
                context = prev.get(r["doc"], "")
                prev[r["doc"]] = r["text"]
                (held if is_written_holdout(r["doc"], holdout_every) else train).append((r["text"], r["stance"], context))
            else:
                raise SystemExit(f"{path}:{n}: unexpected keys {sorted(keys)}")
    return train, held, pairs


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


NLI_TO_STANCE = {"entailment": "favor", "contradiction": "against", "neutral": "none"}


def pro_con(value: str) -> str:
    """IBM's stance fields: 1 / PRO is favor, -1 / CON against."""
    return "favor" if value.strip() in ("1", "PRO") else "against"


# Readers of the shared training sets, as (target, sentence, label) triples in file order.
# NLI pairs read the hypothesis as the target and the premise as the sentence: a premise that
# entails the hypothesis is favor toward it.
def read_argq(data: Path, split: str) -> list[tuple]:
    rows = read_csv(data / "stance_ibm_argq_rank_30k" / "arg_quality_rank_30k.csv")
    return [(r["topic"], r["argument"], pro_con(r["stance_WA"])) for r in rows if r["set"] == split]


def read_claim_stance(data: Path, split: str) -> list[tuple]:
    rows = read_csv(data / "stance_ibm_claim_stance" / "claim_stance_dataset_v1.csv")
    return [(r["topicText"], r["claims.claimCorrectedText"], pro_con(r["claims.stance"])) for r in rows if r["split"] == split]


def read_sick_train(data: Path) -> list[tuple]:
    with (data / "nli_sick" / "SICK.txt").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [(r["sentence_B"], r["sentence_A"], NLI_TO_STANCE[r["entailment_label"].strip().lower()]) for r in rows if r["SemEval_set"] == "TRAIN"]


def read_taxinli(data: Path) -> list[tuple]:
    """Every row; the label is None where it is not one of the three NLI labels (callers that
    draw a sample first and filter after keep their draws unchanged)."""
    with (data / "nli_taxinli_mnli10k" / "taxinli10k.tsv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [(r["hyp"], r["prem"], NLI_TO_STANCE.get(r["label"])) for r in rows]


def read_snli_devtest(data: Path) -> list[tuple]:
    d, out = data / "nli_snli_devtest_esnli", []
    for part in ("dev", "test"):
        s1 = (d / f"s1.{part}").read_text(encoding="utf-8").splitlines()
        s2 = (d / f"s2.{part}").read_text(encoding="utf-8").splitlines()
        lab = (d / f"labels.{part}").read_text(encoding="utf-8").splitlines()
        out += [(h.strip(), p.strip(), NLI_TO_STANCE[l.strip()]) for p, h, l in zip(s1, s2, lab) if l.strip() in NLI_TO_STANCE]
    return out


def read_fever_symmetric(data: Path) -> list[tuple]:
    out = []
    for part in ("dev", "test"):
        with (data / "nli_fever_symmetric" / f"fever_symmetric_{part}.jsonl").open(encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                out.append((r["sentence2"], r["sentence1"], "favor" if r["gold_label"] == "SUPPORTS" else "against"))
    return out


def read_nli(data: Path) -> list[tuple]:
    """All four NLI sets, labelled rows only."""
    taxi = [x for x in read_taxinli(data) if x[2]]
    return read_sick_train(data) + taxi + read_snli_devtest(data) + read_fever_symmetric(data)


def general_mixture(data: Path, rng: random.Random, scale: float, argkp: bool = False) -> tuple[list, list[str]]:
    """(target, sentence, label) triples from IBM stance and NLI sets; also the debate topics.

    The draws from `rng` are in a fixed order (`make model-stance` reproduces the shipped
    model only while they stay so)."""
    ex = []
    if argkp:
        # ArgKP-2021: crowd arguments for or against 31 debate topics (none shared with the
        # Claim Stance test topics); each argument appears once per key point, so dedupe.
        seen = set()
        for r in read_csv(data / "stance_ibm_argkp_2021" / "ArgKP-2021_dataset.csv"):
            key = (r["topic"], r["argument"])
            if key in seen or rng.random() >= scale:
                continue
            seen.add(key)
            ex.append((r["topic"], r["argument"], pro_con(r["stance"])))
    argq = read_argq(data, "train")
    rng.shuffle(argq)
    ex += argq[: int(6000 * scale)]
    cs = read_claim_stance(data, "train")
    ex += cs[: int(len(cs) * min(1.0, scale))]
    topics = sorted({t for t, _, _ in argq} | {t for t, _, _ in cs})
    # Cross-topic negatives: an argument about one topic says nothing about another.
    start, end = int(6000 * scale), int(6000 * scale) + int(1500 * scale)
    # At scale >= ~3 every ArgQ argument is already a positive; negatives then reuse a sample.
    negatives = argq[start:end] if end <= len(argq) else rng.sample(argq, min(len(argq), end - start))
    for topic, argument, _ in negatives:
        other = rng.choice([t for t in topics if t != topic])
        ex.append((other, argument, "none"))

    sick = read_sick_train(data)
    rng.shuffle(sick)
    ex += sick[: int(2000 * scale)]
    taxi = read_taxinli(data)
    rng.shuffle(taxi)
    ex += [x for x in taxi[: int(4000 * scale)] if x[2]]
    snli = read_snli_devtest(data)
    rng.shuffle(snli)
    ex += snli[: int(3000 * scale)]
    ex += [x for x in read_fever_symmetric(data) if rng.random() < scale]
    return ex, topics


def domain_examples(news_train, topics, rng: random.Random, repeats: int, negated: float = 0.0, swapped: float = 1.0) -> list:
    ex = []
    for _ in range(repeats):
        for text, label, context in news_train:
            # Context is dropped now and then so the model also works without it.
            ctx = context if rng.random() > 0.25 else ""
            if rng.random() < negated:
                ex.append((rng.choice(NEGATED_DESCRIPTIONS), text, FLIP[label], ctx))
            else:
                ex.append((rng.choice(TARGET_DESCRIPTIONS), text, label, ctx))
    # Target-swapped negatives: the same news sentences toward unrelated targets (for a
    # `swapped` fraction of them: with thousands of written sentences, one negative each
    # would spend a third of every epoch on easy examples).
    for text, _, context in news_train:
        if swapped >= 1.0 or rng.random() < swapped:
            ex.append((rng.choice(topics), text, "none", context))
    return ex


MAX_SENTENCE = 112
MAX_CONTEXT = 40


CONTEXT_TYPE = 2


def encode(tokenizer, examples):
    """[CLS] target [SEP] sentence [SEP] (context [SEP]); token type 0 for the target part,
    1 for the sentence, 2 (CONTEXT_TYPE) for the context. The context (the previous sentence)
    is cut from its start, keeping the words nearest the sentence. The classifier pools over
    the target and sentence only: the context informs them through attention without
    diluting the mean. Mirrors pipeline/src/stance.rs."""
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    items = []
    for ex in examples:
        target, sentence, label = ex[0], ex[1], ex[2]
        context = ex[3] if len(ex) > 3 else ""
        t = tokenizer(target, add_special_tokens=False)["input_ids"][:64]
        s = tokenizer(sentence, add_special_tokens=False)["input_ids"][:MAX_SENTENCE]
        c = tokenizer(context, add_special_tokens=False)["input_ids"][-MAX_CONTEXT:] if context else []
        ids = [cls] + t + [sep] + s + [sep] + (c + [sep] if c else [])
        types = [0] * (len(t) + 2) + [1] * (len(s) + 1) + [CONTEXT_TYPE] * ((len(c) + 1) if c else 0)
        items.append({"ids": ids, "types": types, "label": LABEL2ID[label]})
    return items


class MeanPoolClassifier(torch.nn.Module):
    # (pool() averages the token states of the target and the sentence; context tokens,
    # token type CONTEXT_TYPE, are left out of the mean.)
    """BERT encoder + masked mean pooling + linear head. The base encoder was trained for
    sentence embeddings with mean pooling (its [CLS] pooler was never trained), so a head on
    the mean of the token states starts from its semantic space instead of fighting it.
    Weights are named like BertForSequenceClassification's (`bert.*`, `classifier.*`), minus
    the pooler; config.json says `"stancewatch_pooling": "mean"` and rust-bert's BertModel
    runs the encoder on the Rust side (pipeline/src/stance.rs)."""

    def __init__(self, config):
        super().__init__()
        from transformers import BertModel

        self.config = config
        self.bert = BertModel(config, add_pooling_layer=False)
        self.dropout = torch.nn.Dropout(config.hidden_dropout_prob)
        self.classifier = torch.nn.Linear(config.hidden_size, config.num_labels)

    def pool(self, input_ids, token_type_ids, attention_mask):
        h = self.bert(input_ids=input_ids, token_type_ids=token_type_ids, attention_mask=attention_mask).last_hidden_state
        m = (attention_mask * (token_type_ids != CONTEXT_TYPE)).unsqueeze(-1).to(h.dtype)
        return (h * m).sum(1) / m.sum(1).clamp(min=1.0)

    def forward(self, input_ids, token_type_ids, attention_mask, labels=None):
        from types import SimpleNamespace

        pooled = self.pool(input_ids, token_type_ids, attention_mask)
        logits = self.classifier(self.dropout(pooled))
        loss = torch.nn.functional.cross_entropy(logits, labels) if labels is not None else None
        return SimpleNamespace(logits=logits, loss=loss)


def collate(items):
    n = max(len(it["ids"]) for it in items)
    ids = torch.zeros(len(items), n, dtype=torch.long)
    types = torch.zeros(len(items), n, dtype=torch.long)
    mask = torch.zeros(len(items), n, dtype=torch.long)
    for i, it in enumerate(items):
        L = len(it["ids"])
        ids[i, :L] = torch.tensor(it["ids"])
        types[i, :L] = torch.tensor(it["types"])
        mask[i, :L] = 1
    labels = torch.tensor([it["label"] for it in items])
    return ids, types, mask, labels


@torch.no_grad()
def predict_logits(model, items, batch_size=64) -> list[torch.Tensor]:
    model.eval()
    out = [None] * len(items)
    order = sorted(range(len(items)), key=lambda i: len(items[i]["ids"]))
    for b in range(0, len(order), batch_size):
        idx = order[b : b + batch_size]
        ids, types, mask, _ = collate([items[i] for i in idx])
        logits = model(input_ids=ids, token_type_ids=types, attention_mask=mask).logits
        for row, i in enumerate(idx):
            out[i] = logits[row]
    return out


def predict(model, items, batch_size=64) -> list[str]:
    return [LABELS[int(l.argmax())] for l in predict_logits(model, items, batch_size)]


def favor_against_scores(model, tokenizer, triples) -> dict:
    """Three-way accuracy on favor/against gold (`none` counts as wrong) and the accuracy
    of the score's sign, P(favor) vs P(against) (as `stancewatch eval stance` prints)."""
    logits = predict_logits(model, encode(tokenizer, triples))
    out = favor_against_accuracy(triples, [LABELS[int(l.argmax())] for l in logits])
    fav, ag = LABEL2ID["favor"], LABEL2ID["against"]
    sign = sum((bool(l[fav] > l[ag])) == (x[2] == "favor") for l, x in zip(logits, triples))
    out["sign_accuracy"] = round(sign / max(1, len(triples)), 4)
    return out


def evaluate_sets(model, tokenizer, data: Path, eval_dir: Path | None, limit: int | None) -> dict:
    out = {}
    dev = dev_news(data, limit)
    triples = [(TARGET_DESCRIPTIONS[0], t, l, c) for t, l, c in dev]
    out["news_stance_dev"] = macro_f1([x[2] for x in triples], predict(model, encode(tokenizer, triples)), LABELS)
    out["ibm_claim_stance_test"] = favor_against_scores(model, tokenizer, read_claim_stance(data, "test")[:limit])
    if eval_dir and (eval_dir / "stance_perspectrum_immigration" / "immigration_pairs.tsv").exists():
        out["perspectrum_immigration"] = perspectrum_accuracy(model, tokenizer, eval_dir, limit)
    if WRITTEN_HELDOUT:
        out["written_holdout"] = written_holdout_f1(model, tokenizer)
    # Clear-cut sentences written for this project (both sides and none), never trained on.
    check = [json.loads(l) for l in (Path(__file__).resolve().parent / "check_stance.jsonl").open(encoding="utf-8")][:limit]
    triples = [(TARGET_DESCRIPTIONS[0], r["text"], r["stance"]) for r in check]
    out["written_check"] = macro_f1([x[2] for x in triples], predict(model, encode(tokenizer, triples)), LABELS)
    return out


def perspectrum_accuracy(model, tokenizer, eval_dir: Path, limit=None) -> dict:
    """Perspectrum immigration pairs (claim = target, perspective = sentence): reported,
    never trained on or selected on."""
    rows = list(csv.DictReader((eval_dir / "stance_perspectrum_immigration" / "immigration_pairs.tsv").open(encoding="utf-8"), delimiter="\t"))[:limit]
    triples = [(r["claim"], r["perspective"], "favor" if r["stance"] == "SUPPORT" else "against") for r in rows]
    return favor_against_scores(model, tokenizer, triples)


def favor_against_accuracy(triples, preds) -> dict:
    """Accuracy over favor/against gold; a `none` prediction counts as wrong."""
    gold = [x[2] for x in triples]
    correct = sum(g == p for g, p in zip(gold, preds))
    return {"accuracy": round(correct / max(1, len(gold)), 4), "n": len(gold), "predicted_none": sum(p == "none" for p in preds)}


USE_CONTEXT = False
# Written excerpts held out of training (`--written-holdout-every`), scored beside dev.
WRITTEN_HELDOUT: list[tuple[str, str, str]] = []


def written_holdout_f1(model, tokenizer) -> dict:
    triples = [(TARGET_DESCRIPTIONS[0], t, l, c) for t, l, c in WRITTEN_HELDOUT]
    return macro_f1([x[2] for x in triples], predict(model, encode(tokenizer, triples)), LABELS)


def dev_news(data: Path, limit):
    dev = read_news(data, "dev")[:limit]
    return dev if USE_CONTEXT else [(t, l, "") for t, l, _ in dev]


def dev_macro_f1(model, tokenizer, data: Path, limit) -> dict:
    dev = dev_news(data, limit)
    triples = [(TARGET_DESCRIPTIONS[0], t, l, c) for t, l, c in dev]
    return macro_f1([x[2] for x in triples], predict(model, encode(tokenizer, triples)), LABELS)


@torch.no_grad()
def pooled_features(model, items, batch_size=64):
    model.eval()
    feats = []
    for b in range(0, len(items), batch_size):
        ids, types, mask, _ = collate(items[b : b + batch_size])
        feats.append(model.pool(ids, types, mask))
    return torch.cat(feats)


def sklearn_probe(model, items, args, history, best, tokenizer):
    """Linear probe fitted to convergence by L2-regularised multinomial logistic regression
    (scikit-learn, C = args.probe_c, balanced classes) on the frozen encoder's pooled states;
    its coefficients become the classifier layer."""
    from sklearn.linear_model import LogisticRegression

    feats = pooled_features(model, items).numpy()
    labels = [it["label"] for it in items]
    lr = LogisticRegression(C=args.probe_c, max_iter=5000, class_weight="balanced").fit(feats, labels)
    with torch.no_grad():
        model.classifier.weight.copy_(torch.tensor(lr.coef_, dtype=torch.float32))
        model.classifier.bias.copy_(torch.tensor(lr.intercept_, dtype=torch.float32))
    m = dev_macro_f1(model, tokenizer, args.data, args.limit)
    history.append({"phase": "probe", "dev_macro_f1": m["macro_f1"]})
    log(f"probe (logistic regression, C={args.probe_c}) news_stance dev macro-F1 {m['macro_f1']} acc {m['accuracy']}")
    if m["macro_f1"] > best["f1"]:
        best["f1"] = m["macro_f1"]
        best["state"] = {k: v.detach().clone() for k, v in model.state_dict().items()}


def linear_probe(model, items, args, rng, history, best, tokenizer):
    """Linear probing before fine-tuning (LP-FT): train only the classifier on the frozen
    encoder's pooled states (computed once), keep the best on dev. With 626 in-domain
    sentences, fine-tuning from a random head distorts the pretrained features; starting
    fine-tuning from a fitted head keeps them."""
    feats = pooled_features(model, items)
    labels = torch.tensor([it["label"] for it in items])
    head = model.classifier
    opt = torch.optim.AdamW(head.parameters(), lr=1e-3, weight_decay=args.probe_weight_decay)
    counts = torch.bincount(labels, minlength=len(LABELS)).float()
    weights = counts.sum() / (len(LABELS) * counts.clamp(min=1))
    for epoch in range(args.probe_epochs):
        order = list(range(len(items)))
        rng.shuffle(order)
        for b in range(0, len(order), 64):
            idx = torch.tensor(order[b : b + 64])
            loss = torch.nn.functional.cross_entropy(head(feats[idx]), labels[idx], weight=weights)
            loss.backward()
            opt.step()
            opt.zero_grad()
        if (epoch + 1) % 5 == 0 or epoch + 1 == args.probe_epochs:
            m = dev_macro_f1(model, tokenizer, args.data, args.limit)
            history.append({"phase": "probe", "epoch": epoch + 1, "dev_macro_f1": m["macro_f1"]})
            log(f"probe epoch {epoch + 1} loss {loss.item():.4f} news_stance dev macro-F1 {m['macro_f1']} acc {m['accuracy']}")
            if m["macro_f1"] > best["f1"]:
                best["f1"] = m["macro_f1"]
                best["state"] = {k: v.detach().clone() for k, v in model.state_dict().items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="the shared train folder")
    ap.add_argument("--eval-data", type=Path, default=None, help="the shared eval folder (Perspectrum)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--general-epochs", type=float, default=1.0)
    ap.add_argument("--domain-epochs", type=int, default=4)
    ap.add_argument("--domain-repeats", type=int, default=3)
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of the general mixture to use")
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--pooling", choices=["mean", "cls"], default="mean")
    ap.add_argument("--probe-epochs", type=int, default=40, help="linear-probe epochs (frozen encoder) before fine-tuning")
    ap.add_argument("--probe-weight-decay", type=float, default=0.5)
    ap.add_argument("--probe-c", type=float, default=0.3, help="fit the probe by logistic regression with this C (0: gradient probe)")
    ap.add_argument("--select-after-probe", action="store_true", help="the probe only initialises the head; select among fine-tuning epochs")
    ap.add_argument("--synthetic", type=int, default=0, help="hand-written template sentences per class (synthetic_stance.py) added to the domain data")
    ap.add_argument("--composed", type=int, default=0, help="compositional template sentences per class (composed_stance.py) added to the domain data")
    ap.add_argument("--context", action="store_true", help="read the previous sentence as context (token type 2)")
    ap.add_argument("--init", type=Path, default=None, help="start from this model directory instead of the base encoder")
    ap.add_argument("--replay", type=int, default=3000, help="general examples mixed into each domain epoch")
    ap.add_argument("--negated-targets", type=float, default=0.0, help="fraction of domain examples paired with an opposite target and a flipped label")
    ap.add_argument("--argkp", action="store_true", help="add the ArgKP-2021 arguments to the general mixture")
    ap.add_argument("--written", type=Path, nargs="+", default=None, help="the project's written training data: directories (every *.jsonl in them) or files (models/train/written)")
    ap.add_argument("--written-repeats", type=int, default=1, help="times each written sentence is repeated per domain epoch (news_stance: --domain-repeats)")
    ap.add_argument("--written-swapped", type=float, default=1.0, help="fraction of written sentences also paired with an unrelated topic as none")
    ap.add_argument("--written-pairs", type=float, default=1.0, help="fraction of the written (target, sentence) pairs used")
    ap.add_argument("--written-holdout-every", type=int, default=10, help="hold out every N-th written excerpt (scored as written_holdout, never trained on)")
    ap.add_argument("--eval-only", action="store_true", help="score the --init model on every reported set (the Python side of `stancewatch eval stance`) and exit")
    ap.add_argument("--limit", type=int, default=None, help="smoke test: N examples per set")
    ap.add_argument("--max-steps", type=int, default=None, help="smoke test: stop after N steps per phase")
    args = ap.parse_args()

    seed_everything(args.seed)
    threads = set_threads(args.threads)
    timer = Timer()
    rng = random.Random(args.seed)
    global USE_CONTEXT
    USE_CONTEXT = args.context
    general, topics = general_mixture(args.data, rng, args.scale, args.argkp)
    news_train = read_news(args.data, "train")
    if not args.context:
        news_train = [(t, l, "") for t, l, _ in news_train]
    written_train, written_pairs = [], []
    if args.written:
        written_train, WRITTEN_HELDOUT[:], written_pairs = read_written(args.written, args.written_holdout_every)
        written_pairs = rng.sample(written_pairs, int(len(written_pairs) * args.written_pairs))
        if not args.context:
            written_train = [(t, l, "") for t, l, _ in written_train]
            WRITTEN_HELDOUT[:] = [(t, l, "") for t, l, _ in WRITTEN_HELDOUT]
        log(f"written: {len(written_train)} sentences, {len(WRITTEN_HELDOUT)} held out, {len(written_pairs)} pairs")
    if args.synthetic:
        from synthetic_stance import generate

        news_train = news_train + [(t, l, "") for t, l in generate(args.synthetic, seed=args.seed)]
    composed = []
    if args.composed:
        from composed_stance import compose

        # Once per epoch (not repeated like the news sentences), each toward a random
        # paraphrase of the target; a fifth also toward an unrelated topic as `none`.
        composed = [(rng.choice(TARGET_DESCRIPTIONS), t, l, "") for t, l in compose(args.composed, seed=args.seed)]
    if args.limit:
        general, news_train = general[: args.limit], news_train[: args.limit]
        written_train, written_pairs = written_train[: args.limit], written_pairs[: args.limit]
        WRITTEN_HELDOUT[:] = WRITTEN_HELDOUT[: args.limit]
    tokenizer = BertTokenizerFast(vocab_file=str(base_model_dir() / "vocab.txt"), do_lower_case=True)
    log(f"general {len(general)} examples, news train {len(news_train)} sentences; threads {threads}")

    cfg = base_config()
    cfg.update(
        type_vocab_size=3,
        num_labels=len(LABELS),
        id2label={i: l for i, l in enumerate(LABELS)},
        label2id=LABEL2ID,
        architectures=["BertForSequenceClassification"],
    )
    config = BertConfig(**{k: v for k, v in cfg.items() if k != "transformers_version"})
    model = MeanPoolClassifier(config) if args.pooling == "mean" else BertForSequenceClassification(config)
    if args.init:
        from safetensors.torch import load_file

        state = {k: v.float() for k, v in load_file(str(args.init / "model.safetensors")).items()}
        missing, unexpected = model.load_state_dict(state, strict=False)
        log(f"initialised from {args.init}; missing: {missing}")
    else:
        # The context type starts as a copy of the sentence type.
        missing, unexpected = model.load_state_dict(load_base_state(3, copy_row=1), strict=False)
        log(f"loaded base; newly initialised: {missing}; unused: {unexpected}")

    if args.eval_only:
        if not args.init:
            ap.error("--eval-only needs --init MODEL_DIR")
        scores = evaluate_sets(model, tokenizer, args.data, args.eval_data, args.limit)
        # One line, the last of stdout (the log lines come before it).
        print(json.dumps({k: {kk: vv for kk, vv in v.items() if kk != "confusion"} for k, v in scores.items()}), flush=True)
        return

    opt = adamw(model, args.lr)
    history, best = [], {"f1": -1.0, "state": None}

    def run_phase(name, items, epochs, eval_each_epoch):
        steps_per_epoch = (len(items) + args.batch_size - 1) // args.batch_size
        total = max(1, int(steps_per_epoch * epochs))
        if args.max_steps:
            total = min(total, args.max_steps)
        for g in opt.param_groups:
            g["lr"] = args.lr
        sched = warmup_linear_decay(opt, total)
        step = 0
        while step < total:
            for batch in length_bucketed_batches([len(it["ids"]) for it in items], args.batch_size, rng):
                loss = train_step(model, opt, sched, *collate([items[i] for i in batch]))
                step += 1
                if step % 50 == 0:
                    log(f"{name} step {step}/{total} loss {loss:.4f} elapsed {timer.elapsed():.0f}s")
                if eval_each_epoch and (step % steps_per_epoch == 0 or step == total):
                    dev = dev_news(args.data, args.limit)
                    triples = [(TARGET_DESCRIPTIONS[0], t, l, c) for t, l, c in dev]
                    m = macro_f1([x[2] for x in triples], predict(model, encode(tokenizer, triples)), LABELS)
                    record = {"phase": name, "step": step, "dev_macro_f1": m["macro_f1"]}
                    if WRITTEN_HELDOUT:
                        record["written_holdout_macro_f1"] = written_holdout_f1(model, tokenizer)["macro_f1"]
                    if args.eval_data and (args.eval_data / "stance_perspectrum_immigration").exists():
                        # Logged to follow the epochs; selection stays on news_stance dev.
                        record["perspectrum_accuracy"] = perspectrum_accuracy(model, tokenizer, args.eval_data, args.limit)["accuracy"]
                    history.append(record)
                    log(f"{name} step {step} news_stance dev macro-F1 {m['macro_f1']} acc {m['accuracy']}"
                        + (f" written held-out {record['written_holdout_macro_f1']}" if WRITTEN_HELDOUT else "")
                        + (f" perspectrum {record['perspectrum_accuracy']}" if "perspectrum_accuracy" in record else ""))
                    if m["macro_f1"] > best["f1"]:
                        best["f1"] = m["macro_f1"]
                        best["state"] = {k: v.detach().clone() for k, v in model.state_dict().items()}
                if step >= total:
                    break
        return total

    steps_general = 0
    if args.general_epochs > 0:
        steps_general = run_phase("general", encode(tokenizer, general), args.general_epochs, eval_each_epoch=True)
    replay = rng.sample(general, min(len(general), args.replay if not args.limit else len(general)))
    composed += [(rng.choice(topics), x[1], "none", "") for x in composed if rng.random() < 0.2]
    domain = domain_examples(news_train, topics, rng, args.domain_repeats, args.negated_targets) + composed + replay
    if written_train:
        domain += domain_examples(written_train, topics, rng, args.written_repeats, args.negated_targets, args.written_swapped)
    domain += written_pairs
    if args.probe_epochs > 0 and args.pooling == "mean":
        # The probe sees the in-domain sentences only (plus their target-swapped negatives).
        if args.probe_c > 0:
            probe_items = encode(tokenizer, [(TARGET_DESCRIPTIONS[0], t, l, c) for t, l, c in news_train + written_train])
            sklearn_probe(model, probe_items, args, history, best, tokenizer)
            if args.select_after_probe:
                best["state"] = {k: v.detach().clone() for k, v in model.state_dict().items()}
                best["f1"] = -1.0
        else:
            probe_items = encode(tokenizer, domain_examples(news_train, topics, rng, 1))
            linear_probe(model, probe_items, args, rng, history, best, tokenizer)
        model.load_state_dict(best["state"])
    steps_domain = 0
    if args.domain_epochs > 0:
        steps_domain = run_phase("domain", encode(tokenizer, domain), args.domain_epochs, eval_each_epoch=True)

    model.load_state_dict(best["state"])
    model.load_state_dict({k: v.half().float() for k, v in model.state_dict().items()})
    scores = evaluate_sets(model, tokenizer, args.data, args.eval_data, args.limit)
    log(json.dumps({k: {kk: vv for kk, vv in v.items() if kk != "confusion"} for k, v in scores.items()}))
    extra = {"stancewatch_model_id": f"stancewatch-stance-minilm-l6-xenc-{args.pooling}-s{args.seed}", "stancewatch_task": "stance_cross_encoder",
             "stancewatch_pooling": args.pooling, "stancewatch_max_context_pieces": MAX_CONTEXT,
             "stancewatch_context_type_id": CONTEXT_TYPE, "stancewatch_uses_context": args.context}
    if args.pooling == "mean":
        extra["architectures"] = ["StancewatchMeanPoolClassifier"]
    save_hf_model(model, args.out, extra)
    report = {
        "base": BASE_NAME,
        "general_examples": len(general),
        "domain_examples": len(domain),
        "steps": {"general": steps_general, "domain": steps_domain},
        "args": {k: str(v) for k, v in vars(args).items()},
        "threads": threads,
        "train_seconds": round(timer.elapsed()),
        "history": history,
        "scores": scores,
        "target_descriptions": TARGET_DESCRIPTIONS,
    }
    (args.out / "training_report.json").write_text(json.dumps(report, indent=2) + "\n")
    log(f"saved to {args.out}")


if __name__ == "__main__":
    main()
