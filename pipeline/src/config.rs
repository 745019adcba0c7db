//! Pipeline configuration: targets, model directories and stage settings, read from TOML.
//!
//! Contract: `PipelineConfig::load` either returns a fully validated config (at least one
//! target, unique target ids, model directories that exist) or an error naming the file and
//! the problem. Unknown keys are rejected. `fingerprint()` identifies the settings that
//! change results, for the batch manifest.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
pub use crate::ingest::{IngestConfig, NonEnglishPolicy};

/// The configuration shipped with the binary (`pipeline/config/default.toml`).
pub const DEFAULT_CONFIG_TOML: &str = include_str!("../config/default.toml");

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PipelineConfig {
    pub targets: Vec<TargetConfig>,
    #[serde(default)]
    pub models: ModelPaths,
    #[serde(default)]
    pub ner: WindowedModelConfig,
    #[serde(default)]
    pub stance: WindowedModelConfig,
    #[serde(default)]
    pub ingest: IngestConfig,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TargetConfig {
    /// Short identifier used in every output table, e.g. `ice_cooperation`.
    pub id: String,
    /// The text the stance model reads as the target ("favor" means supporting this).
    pub description: String,
    /// The stance model for this target; `[models] stance` when not given. The default
    /// target names the model trained for it (`models/stance`); any other target is read
    /// by the target-general model (`models/stance-general`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<PathBuf>,
    /// The policy reader for this target: a stance model trained on law phrases alone
    /// (what a bill, ordinance or agreement does to the target; `models/policy`). With it,
    /// an acting holder's act on a described law takes its stance from the law ("vetoed a
    /// bill that would have limited …"; `laws`); without it, the sentence's own reading
    /// stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub law_model: Option<PathBuf>,
}

impl TargetConfig {
    /// The stance model directory that scores this target.
    pub fn stance_model<'a>(&'a self, models: &'a ModelPaths) -> &'a Path {
        self.model.as_deref().unwrap_or(&models.stance)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ModelPaths {
    pub ner: PathBuf,
    /// The stance model for targets that do not name their own `model`.
    pub stance: PathBuf,
}

impl Default for ModelPaths {
    fn default() -> Self {
        ModelPaths {
            ner: PathBuf::from("models/ner"),
            stance: PathBuf::from("models/stance-general"),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct WindowedModelConfig {
    pub batch_size: usize,
    pub window: usize,
    pub stride: usize,
    /// Arithmetic of the model's matrix products (see [`Precision`]).
    pub precision: Precision,
}

impl Default for WindowedModelConfig {
    fn default() -> Self {
        WindowedModelConfig {
            batch_size: 32,
            window: 256,
            stride: 64,
            precision: Precision::Fp32,
        }
    }
}

/// Number format the model weights are held in while the pipeline runs. The weights are
/// stored once (fp16 or fp32 files); the choice is made at load time.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// bf16 where the CPU computes it natively (AVX-512 BF16), else fp32.
    Auto,
    /// 32-bit floats: the reference results, the same whatever else is in the batch.
    #[default]
    Fp32,
    /// bfloat16 weights and activations (8-bit mantissa): about twice as fast on CPUs with
    /// AVX-512 BF16; scores move slightly (measured in the model cards) and depend, by
    /// about 0.01, on which other sentences share a batch, so sharded and unsharded runs
    /// are no longer equal to the last digit. Much slower than fp32 without native bf16.
    Bf16,
}

impl Precision {
    /// What `Auto` means on this machine; `Fp32` and `Bf16` stay as they are.
    pub fn resolve(self) -> Precision {
        match self {
            Precision::Auto if cpu_has_native_bf16() => Precision::Bf16,
            Precision::Auto => Precision::Fp32,
            other => other,
        }
    }
}

fn cpu_has_native_bf16() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx512bf16")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

impl Default for PipelineConfig {
    fn default() -> Self {
        Self::parse(DEFAULT_CONFIG_TOML, Path::new("<built-in default config>"))
            .expect("the built-in default config is valid")
    }
}

impl PipelineConfig {
    /// Reads and validates a TOML config file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::read(path, e))?;
        Self::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Self> {
        let config: PipelineConfig = toml::from_str(text).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        config.validate(path)?;
        Ok(config)
    }

    fn validate(&self, path: &Path) -> Result<()> {
        let bad = |message: String| Error::Config {
            path: path.to_path_buf(),
            message,
        };
        if self.targets.is_empty() {
            return Err(bad(
                "no [[targets]]: add at least one target with an id and a description".into(),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for t in &self.targets {
            if t.id.trim().is_empty() || t.description.trim().is_empty() {
                return Err(bad(
                    "every target needs a non-empty `id` and `description`".into()
                ));
            }
            if !seen.insert(t.id.as_str()) {
                return Err(bad(format!("target id `{}` is used twice", t.id)));
            }
        }
        for (name, m) in [("ner", &self.ner), ("stance", &self.stance)] {
            if m.batch_size == 0 || m.window < 16 || m.window > 512 || m.stride >= m.window / 2 {
                return Err(bad(format!(
                    "[{name}]: need batch_size >= 1, 16 <= window <= 512 and stride < window / 2"
                )));
            }
        }
        Ok(())
    }

    /// Hash of the settings that change results (targets, model dirs, windows).
    pub fn fingerprint(&self) -> String {
        let json = serde_json::to_string(self).expect("config serialises");
        hex::encode(&Sha256::digest(json.as_bytes())[..8])
    }
}

/// Resolves a model directory: as given if it exists, else relative to the project root
/// (the folder above `pipeline/`), so the binary works from any working directory.
pub fn resolve_model_dir(dir: &Path) -> PathBuf {
    if dir.is_absolute() || dir.exists() {
        return dir.to_path_buf();
    }
    let project_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let candidate = project_root.join(dir);
    if candidate.exists() {
        candidate
    } else {
        dir.to_path_buf()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_has_the_ice_target() {
        let c = PipelineConfig::default();
        assert_eq!(c.targets[0].id, "ice_cooperation");
        assert_eq!(c.ingest.non_english, NonEnglishPolicy::Skip);
    }

    #[test]
    fn unknown_keys_are_rejected_with_the_file_name() {
        let err = PipelineConfig::parse(
            "[[targets]]\nid='a'\ndescription='b'\n[ner]\nbatchsize=3\n",
            Path::new("my.toml"),
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("my.toml") && msg.contains("batchsize"),
            "{msg}"
        );
    }

    #[test]
    fn duplicate_target_ids_are_rejected() {
        let err = PipelineConfig::parse(
            "[[targets]]\nid='a'\ndescription='b'\n[[targets]]\nid='a'\ndescription='c'\n",
            Path::new("x.toml"),
        )
        .unwrap_err();
        assert!(err.to_string().contains("used twice"));
    }

    #[test]
    fn targets_name_their_stance_model_or_take_the_general_one() {
        let c = PipelineConfig::parse(
            "[[targets]]\nid='a'\ndescription='b'\nmodel='models/stance'\n[[targets]]\nid='c'\ndescription='d'\n",
            Path::new("x.toml"),
        )
        .unwrap();
        assert_eq!(
            c.targets[0].stance_model(&c.models),
            Path::new("models/stance")
        );
        assert_eq!(
            c.targets[1].stance_model(&c.models),
            Path::new("models/stance-general")
        );
        let d = PipelineConfig::default();
        assert_eq!(
            d.targets[0].stance_model(&d.models),
            Path::new("models/stance")
        );
    }

    #[test]
    fn fingerprint_changes_with_targets() {
        let a = PipelineConfig::default();
        let mut b = a.clone();
        b.targets[0].description.push_str(" in jails");
        assert_ne!(a.fingerprint(), b.fingerprint());
    }
}
