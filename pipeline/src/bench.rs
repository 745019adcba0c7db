//! `stancewatch bench`: end-to-end throughput of the main job on a synthetic corpus made
//! from the sample articles, with time per stage, model tokens per second, peak memory,
//! model start-up apart, and the fraction of the machine's matmul roof the model stages
//! reach. Speed lives here, never in test assertions.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use crate::config::{PipelineConfig, Precision};
use crate::error::{Error, Result};
use crate::pipeline::{self, Models, RunOptions, StageTimings};
use crate::records::Period;

/// Forward FLOPs per token of the MiniLM-L6 encoder (6 layers, hidden 384, FFN 1536):
/// 2 x (4·384² + 2·384·1536) x 6 ≈ 21.2 M for the weight matmuls, plus attention scores
/// and mixing (4·seq·384 per layer, ≈ 0.4 M at 40 tokens).
pub const FLOPS_PER_TOKEN: f64 = 21.6e6;

#[derive(Debug, Serialize)]
pub struct BenchReport {
    pub articles: usize,
    pub sentences: usize,
    pub threads: usize,
    /// Number format of the model stages (`fp32` or `bf16`, after `auto` is resolved).
    pub precision: String,
    pub startup_seconds: f64,
    pub total_seconds: f64,
    pub articles_per_second: f64,
    pub sentences_per_second: f64,
    pub model_tokens_per_second: f64,
    pub stages: StageTimings,
    pub peak_rss_mb: f64,
    pub matmul_gflops: f64,
    pub model_flop_fraction: f64,
}

/// Writes `n` articles cycled from the sample, each made unique by a closing line.
pub fn write_corpus(sample: &Path, n: usize, out: &Path) -> Result<()> {
    let text = std::fs::read_to_string(sample).map_err(|e| Error::read(sample, e))?;
    let base: Vec<serde_json::Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    if base.is_empty() {
        return Err(Error::Data {
            path: sample.to_path_buf(),
            message: "no articles to build the benchmark corpus from".into(),
        });
    }
    let mut lines = String::new();
    for i in 0..n {
        let mut a = base[i % base.len()].clone();
        let body = a["text"].as_str().unwrap_or_default().to_string();
        a["id"] = serde_json::json!(format!("bench-{i}"));
        a["text"] = serde_json::json!(format!(
            "{body}\n\nThis is copy {i} of an illustrative article."
        ));
        lines.push_str(&a.to_string());
        lines.push('\n');
    }
    std::fs::write(out, lines).map_err(|e| Error::write(out, e))
}

/// Peak resident memory of this process (VmHWM), in MB.
pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_string)
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// GFLOP/s of a plain 1024³ matmul in libtorch, in the given number format (the roof the
/// model stages are measured against), with the current thread setting.
pub fn matmul_gflops(kind: tch::Kind) -> f64 {
    let n = 1024i64;
    let a = tch::Tensor::randn([n, n], (kind, tch::Device::Cpu));
    let b = tch::Tensor::randn([n, n], (kind, tch::Device::Cpu));
    let _ = a.matmul(&b); // warm-up
    let reps = 10;
    let t = Instant::now();
    for _ in 0..reps {
        let _ = a.matmul(&b);
    }
    2.0 * (n as f64).powi(3) * reps as f64 / t.elapsed().as_secs_f64() / 1e9
}

pub fn run_bench(
    config: &PipelineConfig,
    sample: &Path,
    n: usize,
    threads: usize,
    workdir: &Path,
) -> Result<BenchReport> {
    let corpus = workdir.join(format!("corpus-{n}.jsonl"));
    write_corpus(sample, n, &corpus)?;
    let out: PathBuf = workdir.join(format!("out-{n}"));
    let _ = std::fs::remove_dir_all(&out);
    let t = Instant::now();
    let models = Models::load(config)?;
    let startup = t.elapsed().as_secs_f64();
    let options = RunOptions {
        inputs: vec![corpus],
        output: out,
        period: Period::Year,
        shard: None,
        chunk_size: 500,
        aggregate: true,
    };
    let t = Instant::now();
    let report = pipeline::run(&options, config, &models)?;
    let total = t.elapsed().as_secs_f64();
    let sentences = report.batch.as_ref().map(|b| b.n_sentences).unwrap_or(0);
    let model_seconds = report.timings.ner + report.timings.stance;
    let tokens = (report.timings.ner_pieces + report.timings.stance_pieces) as f64;
    let precision = config.ner.precision.resolve();
    let gflops = matmul_gflops(match precision {
        Precision::Bf16 => tch::Kind::BFloat16,
        _ => tch::Kind::Float,
    });
    Ok(BenchReport {
        articles: n,
        sentences,
        threads,
        precision: format!("{precision:?}").to_lowercase(),
        startup_seconds: startup,
        total_seconds: total,
        articles_per_second: n as f64 / total,
        sentences_per_second: sentences as f64 / total,
        model_tokens_per_second: tokens / model_seconds.max(1e-9),
        peak_rss_mb: peak_rss_mb(),
        model_flop_fraction: tokens * FLOPS_PER_TOKEN / model_seconds.max(1e-9) / (gflops * 1e9),
        matmul_gflops: gflops,
        stages: report.timings,
    })
}
