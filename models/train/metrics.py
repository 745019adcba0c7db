"""Metrics shared by the training recipes; the Rust side (pipeline/src/eval.rs) implements
the same definitions so that both sides can be compared number for number."""
from __future__ import annotations


def bio_spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """Entity spans (start, end exclusive, type) from BIO/IOB2 tags, conlleval style:
    an I- tag that does not continue an entity of the same type starts a new one."""
    spans = set()
    start, kind = None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, typ = tag.partition("-")
        continues = prefix == "I" and kind == typ
        if start is not None and not continues:
            spans.add((start, i, kind))
            start, kind = None, None
        if prefix == "B" or (prefix == "I" and not continues):
            start, kind = i, typ
    return spans


def entity_prf(gold: list[list[str]], pred: list[list[str]]) -> dict:
    """Micro precision/recall/F1 (percent) over exact entity spans, plus per type."""
    tp = fp = fn = 0
    per: dict[str, list[int]] = {}
    for g, p in zip(gold, pred):
        gs, ps = bio_spans(g), bio_spans(p)
        for s in gs | ps:
            c = per.setdefault(s[2], [0, 0, 0])
            if s in gs and s in ps:
                c[0] += 1
            elif s in ps:
                c[1] += 1
            else:
                c[2] += 1
        tp += len(gs & ps)
        fp += len(ps - gs)
        fn += len(gs - ps)

    def prf(t, f_p, f_n):
        p = 100.0 * t / (t + f_p) if t + f_p else 0.0
        r = 100.0 * t / (t + f_n) if t + f_n else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 2), "recall": round(r, 2), "f1": round(f, 2)}

    out = prf(tp, fp, fn)
    out["per_type"] = {k: prf(*v) for k, v in sorted(per.items())}
    return out


def macro_f1(gold: list[str], pred: list[str], labels: list[str]) -> dict:
    """Macro-F1 over `labels`, accuracy and the confusion matrix (rows gold, columns predicted)."""
    conf = {g: {p: 0 for p in labels} for g in labels}
    for g, p in zip(gold, pred):
        conf[g][p] += 1
    f1s = {}
    for lab in labels:
        tp = conf[lab][lab]
        fp = sum(conf[g][lab] for g in labels if g != lab)
        fn = sum(conf[lab][p] for p in labels if p != lab)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1s[lab] = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    acc = sum(conf[l][l] for l in labels) / max(1, len(gold))
    return {
        "macro_f1": round(sum(f1s.values()) / len(labels), 4),
        "accuracy": round(acc, 4),
        "f1": {k: round(v, 4) for k, v in f1s.items()},
        "confusion": conf,
        "n": len(gold),
    }


if __name__ == "__main__":
    # Known answers (mirrored by the Rust unit tests).
    assert bio_spans(["B-PER", "I-PER", "O", "I-LOC"]) == {(0, 2, "PER"), (3, 4, "LOC")}
    r = entity_prf([["B-PER", "I-PER", "O", "B-LOC"]], [["B-PER", "I-PER", "O", "B-ORG"]])
    assert r["precision"] == 50.0 and r["recall"] == 50.0 and r["f1"] == 50.0, r
    m = macro_f1(["favor", "against", "none", "none"], ["favor", "none", "none", "none"], ["favor", "against", "none"])
    assert abs(m["macro_f1"] - (1.0 + 0.0 + 0.8) / 3) < 1e-3, m
    print("metrics self-test OK")
