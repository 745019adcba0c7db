//! Loading Hugging Face-layout BERT directories for rust-bert: `config.json` (with
//! `id2label`), `vocab.txt` (+ optional `tokenizer_config.json`) and weights as
//! `model.safetensors` (fp16 or fp32) or rust-bert's `rust_model.ot`.
//!
//! Contract: every failure names the directory and says what is missing or broken; the
//! loaded variables are fp32 on the CPU whatever the file's precision.

use std::path::{Path, PathBuf};

use rust_bert::bert::BertConfig;
use rust_tokenizers::tokenizer::BertTokenizer;
use sha2::{Digest, Sha256};
use tch::nn::VarStore;
use tch::Device;

use crate::config::Precision;
use crate::error::{Error, Result};

pub struct ModelDir {
    pub dir: PathBuf,
    pub config: BertConfig,
    pub raw_config: serde_json::Value,
    pub tokenizer: BertTokenizer,
    pub weights: PathBuf,
    /// `<stancewatch_model_id or directory name>@<8 hex digits of the weights' SHA-256>`.
    pub model_id: String,
}

impl ModelDir {
    /// Checks the directory and reads its config and tokenizer (weights are loaded later,
    /// into the task model's variables, by [`load_weights`]).
    pub fn open(dir: &Path) -> Result<Self> {
        let bad = |message: String| Error::Model {
            dir: dir.to_path_buf(),
            message,
        };
        if !dir.is_dir() {
            return Err(bad(
                "not found: pass a model directory (config.json, vocab.txt, model.safetensors) \
                 in the config's [models] section, or run `make models` to retrain"
                    .into(),
            ));
        }
        let config_path = dir.join("config.json");
        let text = std::fs::read_to_string(&config_path)
            .map_err(|e| bad(format!("cannot read config.json: {e}")))?;
        let raw_config: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| bad(format!("config.json is not valid JSON: {e}")))?;
        let config: BertConfig = serde_json::from_value(raw_config.clone())
            .map_err(|e| bad(format!("config.json is not a BERT config: {e}")))?;
        if config.id2label.as_ref().is_none_or(|m| m.is_empty()) {
            return Err(bad(
                "config.json has no id2label: not a classification model".into(),
            ));
        }
        let vocab = dir.join("vocab.txt");
        if !vocab.is_file() {
            return Err(bad("vocab.txt is missing".into()));
        }
        let lower_case = std::fs::read_to_string(dir.join("tokenizer_config.json"))
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .and_then(|v| v.get("do_lower_case").and_then(|b| b.as_bool()))
            .unwrap_or(true);
        let tokenizer =
            BertTokenizer::from_file(&vocab, lower_case, lower_case).map_err(|source| {
                Error::Tokenizer {
                    dir: dir.to_path_buf(),
                    source,
                }
            })?;
        let weights = ["model.safetensors", "rust_model.ot"]
            .iter()
            .map(|f| dir.join(f))
            .find(|p| p.is_file())
            .ok_or_else(|| bad("no weights: expected model.safetensors or rust_model.ot".into()))?;
        let digest = {
            let bytes = std::fs::read(&weights).map_err(|e| Error::read(&weights, e))?;
            hex::encode(&Sha256::digest(&bytes)[..4])
        };
        let name = raw_config
            .get("stancewatch_model_id")
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .unwrap_or_else(|| {
                dir.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "model".into())
            });
        Ok(ModelDir {
            dir: dir.to_path_buf(),
            config,
            raw_config,
            tokenizer,
            weights,
            model_id: format!("{name}@{digest}"),
        })
    }

    /// Labels in id order (`id2label`).
    pub fn labels(&self) -> Vec<String> {
        let map = self.config.id2label.as_ref().expect("checked in open");
        let mut pairs: Vec<(i64, String)> = map.iter().map(|(k, v)| (*k, v.clone())).collect();
        pairs.sort();
        pairs.into_iter().map(|(_, v)| v).collect()
    }

    pub fn flag(&self, key: &str) -> bool {
        self.raw_config
            .get(key)
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    }
}

/// A fresh CPU variable store for a task model.
pub fn new_var_store() -> VarStore {
    VarStore::new(Device::Cpu)
}

/// Loads the weights into variables already created by the task model, then converts them
/// to the requested precision (fp32 whatever the file holds, or bf16; `Auto` as
/// [`Precision::resolve`] decides). A bf16 model's id
/// says so (`…+bf16`), since its scores differ slightly from the fp32 reference.
pub fn load_weights(vs: &mut VarStore, model: &mut ModelDir, precision: Precision) -> Result<()> {
    vs.load(&model.weights).map_err(|source| Error::Weights {
        dir: model.dir.clone(),
        source,
    })?;
    match precision.resolve() {
        Precision::Auto | Precision::Fp32 => vs.float(),
        Precision::Bf16 => {
            vs.bfloat16();
            model.model_id.push_str("+bf16");
        }
    }
    vs.freeze();
    Ok(())
}

/// Sets libtorch's intra-op threads (0 leaves libtorch's default).
pub fn set_torch_threads(threads: usize) {
    if threads > 0 {
        tch::set_num_threads(threads as i32);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_directory_is_a_clear_error() {
        let err = ModelDir::open(Path::new("/nonexistent/ner"))
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains("/nonexistent/ner") && err.contains("not found"),
            "{err}"
        );
    }

    #[test]
    fn a_config_without_labels_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("config.json"),
            r#"{"hidden_act":"gelu","attention_probs_dropout_prob":0.1,"hidden_dropout_prob":0.1,"hidden_size":8,"initializer_range":0.02,"intermediate_size":8,"max_position_embeddings":16,"num_attention_heads":2,"num_hidden_layers":1,"type_vocab_size":2,"vocab_size":10}"#,
        )
        .unwrap();
        let err = ModelDir::open(dir.path()).err().unwrap().to_string();
        assert!(err.contains("id2label"), "{err}");
    }
}

/// One model input: word-piece ids and token type ids of the same length.
#[derive(Debug, Clone, PartialEq)]
pub struct Encoded {
    pub ids: Vec<i64>,
    pub types: Vec<i64>,
}

/// A padded batch of inputs, with the positions (into the caller's list) it holds.
pub struct PaddedBatch {
    pub members: Vec<usize>,
    pub ids: tch::Tensor,
    pub types: tch::Tensor,
    pub mask: tch::Tensor,
}

/// Groups inputs into batches of similar length (sorted by length, so padding is small)
/// and pads each batch to its longest member.
pub fn length_sorted_batches(inputs: &[Encoded], batch_size: usize) -> Vec<PaddedBatch> {
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.sort_by_key(|&i| inputs[i].ids.len());
    order
        .chunks(batch_size.max(1))
        .map(|members| {
            let width = members
                .iter()
                .map(|&i| inputs[i].ids.len())
                .max()
                .unwrap_or(0);
            let mut ids = vec![0i64; members.len() * width];
            let mut types = vec![0i64; members.len() * width];
            let mut mask = vec![0i64; members.len() * width];
            for (row, &i) in members.iter().enumerate() {
                let input = &inputs[i];
                let base = row * width;
                ids[base..base + input.ids.len()].copy_from_slice(&input.ids);
                types[base..base + input.types.len()].copy_from_slice(&input.types);
                mask[base..base + input.ids.len()].fill(1);
            }
            let shape = [members.len() as i64, width as i64];
            PaddedBatch {
                members: members.to_vec(),
                ids: tch::Tensor::from_slice(&ids).view(shape),
                types: tch::Tensor::from_slice(&types).view(shape),
                mask: tch::Tensor::from_slice(&mask).view(shape),
            }
        })
        .collect()
}
