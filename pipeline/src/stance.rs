//! Stage 4: stance of a sentence toward a target, by a BERT cross-encoder run through
//! rust-bert over the pair (target description, sentence).
//!
//! Contract: `StanceModel::predict(&[(target, sentence)])` returns one [`StanceProbs`] per
//! pair: probabilities of favor / against / none summing to 1, `score` = P(favor) −
//! P(against) in [-1, 1], and `label` the most probable class. `predict_in_context` also
//! reads the previous sentence of the article after the sentence (quotes and follow-ups are
//! often only clear in context). A sentence too long for the
//! window is read in overlapping windows (the target repeated in each) and the windows'
//! probabilities are averaged. Inputs are length-sorted into batches.
//!
//! Label names are read from `id2label`: favor/against/none, or the NLI names
//! entailment/contradiction/neutral (so an NLI cross-encoder a user brings also works).

use std::path::Path;

use rust_bert::bert::{BertEmbeddings, BertForSequenceClassification, BertModel};
use rust_tokenizers::tokenizer::{BertTokenizer, Tokenizer};
use rust_tokenizers::vocab::Vocab;
use serde::{Deserialize, Serialize};
use tch::nn::VarStore;
use tch::Kind;

use crate::config::WindowedModelConfig;
use crate::error::{Error, Result};
use crate::models::{length_sorted_batches, load_weights, new_var_store, Encoded, ModelDir};
use crate::ner::window_starts;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StanceProbs {
    pub favor: f32,
    pub against: f32,
    pub none: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum StanceLabel {
    Favor,
    Against,
    None,
}

impl StanceLabel {
    pub fn as_str(self) -> &'static str {
        match self {
            StanceLabel::Favor => "favor",
            StanceLabel::Against => "against",
            StanceLabel::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "favor" | "favour" | "support" | "pro" | "entailment" => Some(StanceLabel::Favor),
            "against" | "undermine" | "con" | "contradiction" => Some(StanceLabel::Against),
            "none" | "neutral" => Some(StanceLabel::None),
            _ => None,
        }
    }
}

impl StanceProbs {
    pub fn score(&self) -> f32 {
        self.favor - self.against
    }

    pub fn label(&self) -> StanceLabel {
        if self.favor >= self.against && self.favor >= self.none {
            StanceLabel::Favor
        } else if self.against >= self.none {
            StanceLabel::Against
        } else {
            StanceLabel::None
        }
    }
}

/// Word pieces kept of a target description and of the context sentence (as in training).
const MAX_TARGET: usize = 64;
const MAX_CONTEXT: usize = 40;

/// The two head layouts the stance model can have.
enum Head {
    /// rust-bert's BertForSequenceClassification: pooler on [CLS], then a linear layer.
    Pooler(BertForSequenceClassification),
    /// BertModel without pooler, masked mean over token states, then a linear layer
    /// (`"stancewatch_pooling": "mean"` in config.json; see models/train/train_stance.py).
    MeanPool {
        bert: BertModel<BertEmbeddings>,
        classifier: tch::nn::Linear,
    },
}

impl Head {
    /// `pool_mask`: positions averaged by the mean-pool head (target and sentence; the
    /// context is left out of the mean).
    fn logits(
        &self,
        ids: &tch::Tensor,
        mask: &tch::Tensor,
        types: &tch::Tensor,
        pool_mask: &tch::Tensor,
    ) -> Result<tch::Tensor> {
        Ok(match self {
            Head::Pooler(m) => {
                m.forward_t(Some(ids), Some(mask), Some(types), None, None, false)
                    .logits
            }
            Head::MeanPool { bert, classifier } => {
                let out = bert.forward_t(
                    Some(ids),
                    Some(mask),
                    Some(types),
                    None,
                    None,
                    None,
                    None,
                    false,
                )?;
                // The mean is taken in fp32 whatever the encoder's precision; the head
                // then reads it in its own.
                let m = pool_mask.unsqueeze(-1).to_kind(Kind::Float);
                let pooled = (out.hidden_state.to_kind(Kind::Float) * &m).sum_dim_intlist(
                    [1i64].as_slice(),
                    false,
                    Kind::Float,
                ) / m
                    .sum_dim_intlist([1i64].as_slice(), false, Kind::Float)
                    .clamp_min(1.0);
                tch::nn::Module::forward(classifier, &pooled.to_kind(classifier.ws.kind()))
            }
        })
    }
}

pub struct StanceModel {
    /// Word pieces fed to the model so far (for throughput reports).
    pieces: std::sync::atomic::AtomicU64,
    head: Head,
    _vs: VarStore,
    tokenizer: BertTokenizer,
    /// Output column of favor, against, none.
    columns: [usize; 3],
    settings: WindowedModelConfig,
    cls: i64,
    sep: i64,
    /// Token type of context pieces (2 for the shipped model; 1 for a plain cross-encoder).
    context_type: i64,
    max_context: usize,
    /// Whether the model was trained to read the previous sentence (`stancewatch_uses_context`).
    uses_context: bool,
    pub model_id: String,
}

impl StanceModel {
    /// Word pieces (including special tokens) run through the model so far.
    pub fn pieces_seen(&self) -> u64 {
        self.pieces.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn new(dir: &Path, settings: &WindowedModelConfig) -> Result<Self> {
        let mut model = ModelDir::open(dir)?;
        let labels = model.labels();
        let find = |want: StanceLabel| {
            labels
                .iter()
                .position(|l| StanceLabel::parse(l) == Some(want))
        };
        let columns = match (find(StanceLabel::Favor), find(StanceLabel::Against), find(StanceLabel::None)) {
            (Some(f), Some(a), Some(n)) if labels.len() == 3 => [f, a, n],
            _ => {
                return Err(Error::Model {
                    dir: dir.to_path_buf(),
                    message: format!(
                        "id2label must name favor/against/none (or entailment/contradiction/neutral), got {labels:?}"
                    ),
                })
            }
        };
        let mut vs = new_var_store();
        let head = match model
            .raw_config
            .get("stancewatch_pooling")
            .and_then(|v| v.as_str())
        {
            Some("mean") => Head::MeanPool {
                bert: BertModel::new_with_optional_pooler(vs.root() / "bert", &model.config, false),
                classifier: tch::nn::linear(
                    vs.root() / "classifier",
                    model.config.hidden_size,
                    labels.len() as i64,
                    Default::default(),
                ),
            },
            None | Some("cls") => Head::Pooler(
                BertForSequenceClassification::new(vs.root(), &model.config).map_err(|e| {
                    Error::Model {
                        dir: dir.to_path_buf(),
                        message: e.to_string(),
                    }
                })?,
            ),
            Some(other) => {
                return Err(Error::Model {
                    dir: dir.to_path_buf(),
                    message: format!(
                        "unknown stancewatch_pooling {other:?} (expected \"mean\" or \"cls\")"
                    ),
                })
            }
        };
        load_weights(&mut vs, &mut model, settings.precision)?;
        let vocab = model.tokenizer.vocab();
        let (cls, sep) = (
            vocab.token_to_id(vocab.get_cls_value()),
            vocab.token_to_id(vocab.get_sep_value()),
        );
        let max_window = model.config.max_position_embeddings as usize;
        let context_type = model
            .raw_config
            .get("stancewatch_context_type_id")
            .and_then(|v| v.as_i64())
            .unwrap_or(1);
        if context_type >= model.config.type_vocab_size {
            return Err(Error::Model {
                dir: dir.to_path_buf(),
                message: format!("stancewatch_context_type_id {context_type} needs type_vocab_size > {context_type}"),
            });
        }
        let max_context = model
            .raw_config
            .get("stancewatch_max_context_pieces")
            .and_then(|v| v.as_u64())
            .map(|v| v as usize)
            .unwrap_or(MAX_CONTEXT);
        Ok(StanceModel {
            pieces: Default::default(),
            uses_context: model.flag("stancewatch_uses_context"),
            context_type,
            max_context,
            head,
            _vs: vs,
            columns,
            settings: WindowedModelConfig {
                window: settings.window.min(max_window),
                ..settings.clone()
            },
            cls,
            sep,
            model_id: model.model_id,
            tokenizer: model.tokenizer,
        })
    }

    fn pieces(&self, text: &str) -> Vec<i64> {
        self.tokenizer
            .convert_tokens_to_ids(&self.tokenizer.tokenize(text))
    }

    /// Stance probabilities per (target, sentence) pair (see the module contract).
    pub fn predict<T: AsRef<str>, S: AsRef<str>>(
        &self,
        pairs: &[(T, S)],
    ) -> Result<Vec<StanceProbs>> {
        let inputs: Vec<(&str, &str, &str)> = pairs
            .iter()
            .map(|(t, s)| (t.as_ref(), s.as_ref(), ""))
            .collect();
        self.predict_in_context(&inputs)
    }

    /// Stance probabilities per (target, sentence, context) triple; the context (the
    /// previous sentence of the article, or "") is read after the sentence, cut to its last
    /// MAX_CONTEXT pieces, as in training — when the model was trained with context
    /// (`stancewatch_uses_context`); otherwise it is ignored.
    pub fn predict_in_context(&self, inputs: &[(&str, &str, &str)]) -> Result<Vec<StanceProbs>> {
        let mut jobs = Vec::new();
        let mut owner = Vec::new();
        let mut target_cache: std::collections::HashMap<&str, Vec<i64>> = Default::default();
        for (k, &(target, sentence, context)) in inputs.iter().enumerate() {
            let t = target_cache
                .entry(target)
                .or_insert_with(|| self.pieces(target))
                .clone();
            let t = &t[..t.len().min(MAX_TARGET)];
            let s = self.pieces(sentence);
            let c = if self.uses_context {
                self.pieces(context)
            } else {
                Vec::new()
            };
            let c = &c[c.len().saturating_sub(self.max_context)..];
            let fixed = 3 + t.len() + if c.is_empty() { 0 } else { c.len() + 1 };
            let content = self.settings.window.saturating_sub(fixed).max(16);
            let stride = self.settings.stride.min(content / 2 - 1);
            for start in window_starts(s.len().max(1), content, stride) {
                let end = (start + content).min(s.len());
                let mut ids = Vec::with_capacity(fixed + end - start);
                ids.push(self.cls);
                ids.extend_from_slice(t);
                ids.push(self.sep);
                let first_segment = ids.len();
                ids.extend_from_slice(&s[start.min(end)..end]);
                ids.push(self.sep);
                let mut types = vec![0i64; first_segment];
                types.resize(ids.len(), 1);
                if !c.is_empty() {
                    ids.extend_from_slice(c);
                    ids.push(self.sep);
                    types.resize(ids.len(), self.context_type);
                }
                jobs.push(Encoded { ids, types });
                owner.push(k);
            }
        }
        let mut sums = vec![[0f32; 3]; inputs.len()];
        let mut counts = vec![0u32; inputs.len()];
        let fed: usize = jobs.iter().map(|j| j.ids.len()).sum();
        self.pieces
            .fetch_add(fed as u64, std::sync::atomic::Ordering::Relaxed);
        for batch in length_sorted_batches(&jobs, self.settings.batch_size) {
            let pool_mask = if self.context_type != 1 {
                &batch.mask * batch.types.ne(self.context_type)
            } else {
                batch.mask.shallow_clone()
            };
            let logits = tch::no_grad(|| {
                self.head
                    .logits(&batch.ids, &batch.mask, &batch.types, &pool_mask)
            })?;
            let probs: Vec<Vec<f32>> = Vec::try_from(&logits.softmax(-1, Kind::Float))?;
            for (row, &job) in batch.members.iter().enumerate() {
                let k = owner[job];
                for (slot, &col) in self.columns.iter().enumerate() {
                    sums[k][slot] += probs[row][col];
                }
                counts[k] += 1;
            }
        }
        Ok(sums
            .iter()
            .zip(&counts)
            .map(|(s, &n)| {
                let n = n.max(1) as f32;
                StanceProbs {
                    favor: s[0] / n,
                    against: s[1] / n,
                    none: s[2] / n,
                }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_and_label_follow_the_probabilities() {
        let p = StanceProbs {
            favor: 0.1,
            against: 0.7,
            none: 0.2,
        };
        assert!((p.score() + 0.6).abs() < 1e-6);
        assert_eq!(p.label(), StanceLabel::Against);
        assert_eq!(
            StanceLabel::parse("CONTRADICTION"),
            Some(StanceLabel::Against)
        );
        assert_eq!(StanceLabel::parse("neutral"), Some(StanceLabel::None));
        assert_eq!(StanceLabel::parse("maybe"), None);
    }
}
