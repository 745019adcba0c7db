//! The `stancewatch` command line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use polars::prelude::*;

use stancewatch::aggregate::{self, CompareBy};
use stancewatch::config::{resolve_model_dir, PipelineConfig, Precision};
use stancewatch::eval;
use stancewatch::models::set_torch_threads;
use stancewatch::ner::NerModel;
use stancewatch::pipeline::{self, Models, RunOptions, Shard};
use stancewatch::records::Period;
use stancewatch::stance::StanceModel;
use stancewatch::store::Store;

/// Who stands where on a contested policy: reads news articles, finds the people and
/// organisations in them, attributes each sentence's stance toward the configured targets
/// to its holder, and writes Parquet tables that grow batch by batch.
///
/// Start with `stancewatch run` (sample input to output/), then open output/README.md or the
/// notebooks in notebooks/.
#[derive(Parser)]
#[command(name = "stancewatch", version, about, long_about)]
struct Cli {
    /// Threads for the CPU stages and for libtorch (0: all cores).
    #[arg(long, global = true, default_value_t = 0)]
    threads: usize,
    /// Model arithmetic for both model stages, overriding the config's
    /// `[ner] precision` / `[stance] precision`: fp32 (the reference, the default), bf16
    /// (about twice as fast on CPUs with AVX-512 BF16; scores within ~0.01, see the model
    /// cards) or auto (bf16 where native, else fp32).
    #[arg(long, global = true, value_enum)]
    precision: Option<Precision>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Process a batch of articles and add it to the dataset in --output.
    ///
    /// Input: JSONL files (one article per line; only `text` is required, see
    /// input/README.md) or folders of .txt files. Articles already in the dataset are
    /// skipped, so re-running the same input adds nothing. Bad lines and files are recorded
    /// in the rejects table and the rest of the batch goes on.
    Run(RunArgs),
    /// Rebuild the aggregate tables from every committed batch (after sharded runs).
    Aggregate {
        #[arg(long, default_value = "output")]
        output: PathBuf,
        #[arg(long, value_enum, default_value_t = Period::Year)]
        period: Period,
    },
    /// Compare stance scores over time, per place or per actor.
    ///
    /// Example: `stancewatch compare --by place --target ice_cooperation --from 2016 --to 2026`
    /// prints, per place, the score in each period, the change from the previous period and
    /// the number of stance-bearing sentences behind each; changes resting on fewer than
    /// --min-sentences sentences are flagged as thin evidence.
    Compare(CompareArgs),
    /// Score the shipped models and stages on evaluation data.
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Benchmark the main job on N synthetic articles (built from the sample); prints JSON.
    ///
    /// Run one N per process (peak memory is per process); `make bench` runs 100, 1,000 and
    /// 10,000 and the Python peer over the same corpus.
    Bench {
        #[arg(long, default_value_t = 100)]
        articles: usize,
        /// Sample JSONL the corpus is built from.
        #[arg(long, default_value = "input/sample/articles.jsonl")]
        sample: PathBuf,
        /// Scratch directory for the corpus and the output.
        #[arg(long, default_value = "target/bench")]
        workdir: PathBuf,
    },
}

#[derive(Args)]
struct CompareArgs {
    #[arg(long, value_enum, default_value_t = CompareBy::Place)]
    by: CompareBy,
    /// Target id from the config.
    #[arg(long, default_value = "ice_cooperation")]
    target: String,
    /// First period to include (e.g. 2016, 2016-Q3, 2016-07).
    #[arg(long)]
    from: Option<String>,
    /// Last period to include.
    #[arg(long)]
    to: Option<String>,
    #[arg(long, value_enum, default_value_t = Period::Year)]
    period: Period,
    /// The dataset directory.
    #[arg(long, default_value = "output")]
    data: PathBuf,
    /// Also write the table (.parquet or .csv).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Fewer stance-bearing sentences than this on either side of a change = thin evidence.
    #[arg(long, default_value_t = 3)]
    min_sentences: u32,
}

#[derive(Args)]
struct RunArgs {
    /// Input files or folders (JSONL or .txt); default: the sample in input/sample.
    #[arg(long = "input", value_name = "PATH")]
    inputs: Vec<PathBuf>,
    /// The dataset directory to add to.
    #[arg(long, default_value = "output")]
    output: PathBuf,
    /// TOML config (targets, model directories); default: pipeline/config/default.toml.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Period of the per-period aggregates.
    #[arg(long, value_enum, default_value_t = Period::Year)]
    period: Period,
    /// Process only shard i of N (e.g. 0/3); run `stancewatch aggregate` after all shards.
    #[arg(long)]
    shard: Option<Shard>,
    /// Exit with an error code if any input was rejected.
    #[arg(long)]
    strict: bool,
    /// Articles per chunk: each chunk is processed and written on its own (bounds memory).
    #[arg(long, default_value_t = 500)]
    chunk_size: usize,
}

#[derive(Subcommand)]
enum EvalCommand {
    /// Entity-level exact-match P/R/F1 (conlleval) of the NER model on a CoNLL file.
    Ner {
        #[arg(long)]
        conll: PathBuf,
        #[arg(long, default_value = "models/ner")]
        model: PathBuf,
    },
    /// Stance model: news_stance dev macro-F1 + confusion, Perspectrum immigration and IBM
    /// Claim Stance test accuracy.
    Stance {
        /// The shared train folder (holds news_stance/ and stance_ibm_claim_stance/).
        #[arg(long)]
        data: Option<PathBuf>,
        /// The shared eval folder (holds stance_perspectrum_immigration/).
        #[arg(long)]
        eval_data: Option<PathBuf>,
        /// Stance model directories, each scored on every set (repeat the flag). Default:
        /// the default target's model and the target-general model.
        #[arg(long = "model", default_values = ["models/stance", "models/stance-general"])]
        models: Vec<PathBuf>,
        /// Target description (default: the default config's first target).
        #[arg(long)]
        target: Option<String>,
    },
    /// Sentence splitting on the Golden Rules and GUM news sets, and its speed.
    Sentences {
        /// The shared eval folder.
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// The policy reader on the law phrases of news_stance's gold sentences whose holder
    /// acts on a described law (the law's effect: the act's direction times the label).
    Policy {
        /// The news_stance folder.
        #[arg(long)]
        data: Option<PathBuf>,
        #[arg(long, default_value = "models/policy")]
        model: PathBuf,
    },
    /// Holder accuracy and actor-level stance sign accuracy on news_stance.
    Actors {
        /// The news_stance folder.
        #[arg(long)]
        data: Option<PathBuf>,
        #[arg(long, default_value = "dev")]
        split: String,
        #[arg(long)]
        config: Option<PathBuf>,
        /// Print the first wrong attributions.
        #[arg(long)]
        examples: bool,
    },
}

fn main() -> ExitCode {
    match real_main() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn real_main() -> Result<ExitCode> {
    let cli = Cli::parse();
    if cli.threads > 0 {
        rayon::ThreadPoolBuilder::new()
            .num_threads(cli.threads)
            .build_global()
            .ok();
    }
    set_torch_threads(cli.threads);
    match cli.command {
        Command::Run(args) => run(args, cli.precision),
        Command::Aggregate { output, period } => {
            let store = Store::open(&output)?;
            match pipeline::rebuild_aggregates(&store, period)? {
                Some(agg) => {
                    println!(
                        "aggregates rebuilt from {} batches in {}",
                        store.batches.len(),
                        output.display()
                    );
                    print_actor_table(&agg.actor_stances, 25);
                }
                None => println!("{} holds no committed batch yet", output.display()),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Compare(args) => compare(args),
        Command::Bench {
            articles,
            sample,
            workdir,
        } => {
            std::fs::create_dir_all(&workdir)
                .with_context(|| format!("cannot create {}", workdir.display()))?;
            let threads = if cli.threads > 0 {
                cli.threads
            } else {
                rayon::current_num_threads()
            };
            let r = stancewatch::bench::run_bench(
                &load_config(None, cli.precision)?,
                &resolve_model_dir(&sample),
                articles,
                threads,
                &workdir,
            )?;
            println!("{}", serde_json::to_string(&r)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval(cmd) => run_eval(cmd, cli.precision),
    }
}

fn compare(args: CompareArgs) -> Result<ExitCode> {
    let store = Store::open(&args.data)?;
    let Some(stances) = store.read_table("stances")? else {
        anyhow::bail!(
            "{} holds no committed batch: run `stancewatch run --output {}` first",
            args.data.display(),
            args.data.display()
        );
    };
    let mut table = aggregate::compare(
        &stances,
        args.by,
        &args.target,
        args.period,
        args.from.as_deref(),
        args.to.as_deref(),
        args.min_sentences,
    )?;
    print_table(
        &table,
        &[
            "key",
            "period",
            "stance_score",
            "n_stance",
            "label",
            "previous_period",
            "change",
            "thin_evidence",
        ],
    );
    if let Some(path) = &args.output {
        if path.extension().and_then(|e| e.to_str()) == Some("csv") {
            let mut f = std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            CsvWriter::new(&mut f).finish(&mut table)?;
        } else {
            stancewatch::tables::write_parquet(&mut table, path)?;
        }
        println!("written to {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints selected columns of a frame as an aligned text table (nulls as "-", floats to 2 places).
fn print_table(df: &DataFrame, columns: &[&str]) {
    let cell = |c: &Column, i: usize| -> String {
        match c.get(i) {
            Ok(AnyValue::Null) | Err(_) => "-".into(),
            Ok(AnyValue::Float64(v)) => format!("{v:+.2}"),
            Ok(AnyValue::Float32(v)) => format!("{v:+.2}"),
            Ok(AnyValue::String(s)) => s.to_string(),
            Ok(v) => v.to_string(),
        }
    };
    let cols: Vec<(&str, Vec<String>)> = columns
        .iter()
        .filter_map(|name| {
            df.column(name)
                .ok()
                .map(|c| (*name, (0..df.height()).map(|i| cell(c, i)).collect()))
        })
        .collect();
    let widths: Vec<usize> = cols
        .iter()
        .map(|(h, v)| {
            v.iter()
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
                .max(h.len())
        })
        .collect();
    println!(
        "{}",
        cols.iter()
            .zip(&widths)
            .map(|((h, _), w)| format!("{h:<w$}"))
            .collect::<Vec<_>>()
            .join("  ")
    );
    for i in 0..df.height() {
        println!(
            "{}",
            cols.iter()
                .zip(&widths)
                .map(|((_, v), w)| format!("{:<w$}", v[i]))
                .collect::<Vec<_>>()
                .join("  ")
        );
    }
}

/// The config file (or the built-in default), with the command line's precision override.
fn load_config(path: Option<&Path>, precision: Option<Precision>) -> Result<PipelineConfig> {
    let mut config = match path {
        Some(p) => PipelineConfig::load(p)?,
        None => PipelineConfig::default(),
    };
    if let Some(p) = precision {
        config.ner.precision = p;
        config.stance.precision = p;
    }
    Ok(config)
}

fn run(args: RunArgs, precision: Option<Precision>) -> Result<ExitCode> {
    let config = load_config(args.config.as_deref(), precision)?;
    // Errors in models or output surface before any input is read.
    let models = Models::load(&config)?;
    let inputs = if args.inputs.is_empty() {
        vec![resolve_model_dir(Path::new("input/sample"))]
    } else {
        args.inputs.clone()
    };
    let options = RunOptions {
        inputs,
        output: args.output.clone(),
        period: args.period,
        shard: args.shard,
        chunk_size: args.chunk_size,
        aggregate: args.shard.is_none(),
    };
    let started = std::time::Instant::now();
    let report = pipeline::run(&options, &config, &models)?;
    match &report.batch {
        Some(b) => println!(
            "batch {}: {} new articles ({} already in the dataset), {} sentences, {} entities, {} stance rows, {} rejects; {:.1}s",
            b.batch_id,
            b.n_new_articles,
            b.n_already_known,
            b.n_sentences,
            b.n_entities,
            b.n_stances,
            b.n_rejects,
            started.elapsed().as_secs_f64()
        ),
        None => println!(
            "nothing new: all {} input articles are already in {}",
            report.n_input_articles,
            args.output.display()
        ),
    }
    for r in &report.rejects {
        let line = r.input_line.map(|l| format!(":{l}")).unwrap_or_default();
        let id = r
            .source_id
            .as_deref()
            .map(|s| format!(" (id {s})"))
            .unwrap_or_default();
        eprintln!("rejected {}{}{}: {}", r.input_file, line, id, r.reason);
    }
    if let Some(agg) = &report.aggregates {
        print_actor_table(&agg.actor_stances, 25);
    }
    if args.strict && !report.rejects.is_empty() {
        eprintln!("--strict: {} inputs were rejected", report.rejects.len());
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// The end-of-run summary: actors with the most stance-bearing sentences.
fn print_actor_table(actor_stances: &DataFrame, rows: usize) {
    let top = actor_stances
        .clone()
        .lazy()
        .filter(col("n_stance").gt(lit(0u32)))
        .sort(
            ["n_stance"],
            SortMultipleOptions::default().with_order_descending(true),
        )
        .limit(rows as u32)
        .collect();
    if let Ok(top) = top {
        println!();
        print_table(
            &top,
            &[
                "actor",
                "role",
                "place",
                "target_id",
                "n_articles",
                "n_stance",
                "stance_score",
                "label",
            ],
        );
    }
}

fn run_eval(cmd: EvalCommand, precision: Option<Precision>) -> Result<ExitCode> {
    let shared = eval::shared_dir();
    match cmd {
        EvalCommand::Ner { conll, model } => {
            let config = load_config(None, precision)?;
            let m = NerModel::new(&resolve_model_dir(&model), &config.ner)?;
            let r = eval::eval_ner(&m, &conll)?;
            println!("model {}", m.model_id);
            println!(
                "{}: {} sentences, entity-level P {:.2} R {:.2} F1 {:.2} ({:.1}s)",
                r.file,
                r.sentences,
                r.scores.overall.precision,
                r.scores.overall.recall,
                r.scores.overall.f1,
                r.seconds
            );
            for (k, v) in &r.scores.per_type {
                println!(
                    "  {k:<5} P {:.2} R {:.2} F1 {:.2}",
                    v.precision, v.recall, v.f1
                );
            }
        }
        EvalCommand::Stance {
            data,
            eval_data,
            models,
            target,
        } => {
            let config = load_config(None, precision)?;
            let data = data.unwrap_or_else(|| shared.join("train"));
            let eval_data = eval_data.unwrap_or_else(|| shared.join("eval"));
            let target = target.unwrap_or_else(|| config.targets[0].description.clone());
            let check = resolve_model_dir(Path::new("models/train/check_stance.jsonl"));
            for (k, model) in models.iter().enumerate() {
                if k > 0 {
                    println!();
                }
                let m = StanceModel::new(&resolve_model_dir(model), &config.stance)?;
                let r = eval::eval_stance(
                    &m,
                    &data,
                    Some(&eval_data),
                    check.exists().then_some(check.as_path()),
                    &target,
                )
                .with_context(|| format!("stance evaluation of {}", model.display()))?;
                println!("model {}", m.model_id);
                let n = &r.news_stance_dev;
                println!(
                    "news_stance dev ({} sentences): macro-F1 {:.4}, accuracy {:.4}",
                    n.n, n.macro_f1, n.accuracy
                );
                for (l, f) in &n.f1 {
                    println!("  F1 {l:<8} {f:.4}");
                }
                println!(
                    "  confusion (rows gold, columns predicted: {})",
                    n.labels.join(" / ")
                );
                for (l, row) in n.labels.iter().zip(&n.confusion) {
                    println!(
                        "  {l:<8} {}",
                        row.iter().map(|c| format!("{c:>4}")).collect::<String>()
                    );
                }
                if let Some(p) = &r.perspectrum_immigration {
                    println!(
                        "perspectrum immigration ({} pairs): accuracy {:.4} ({} predicted none); sign of the score {:.4}",
                        p.n, p.accuracy, p.predicted_none, p.sign_accuracy
                    );
                }
                if let Some(p) = &r.ibm_claim_stance_test {
                    println!(
                        "IBM claim stance test ({} pairs): accuracy {:.4} ({} predicted none); sign of the score {:.4}",
                        p.n, p.accuracy, p.predicted_none, p.sign_accuracy
                    );
                }
                if let Some(c) = &r.written_check {
                    println!(
                        "written check sentences ({}): macro-F1 {:.4}, accuracy {:.4}",
                        c.n, c.macro_f1, c.accuracy
                    );
                }
                println!("({:.1}s)", r.seconds);
            }
        }
        EvalCommand::Sentences { data } => {
            let r = eval::eval_sentences(&data.unwrap_or_else(|| shared.join("eval")))?;
            println!(
                "golden rules: {}/{} (failed: {:?})",
                r.golden_rules_passed, r.golden_rules_total, r.golden_rules_failed_ids
            );
            println!(
                "GUM news ({} sentences): P {:.1} R {:.1} F1 {:.1}",
                r.gum_sentences, r.gum.precision, r.gum.recall, r.gum.f1
            );
            println!(
                "speed: {:.0} sentences/s, {:.1} MB/s (one thread)",
                r.sentences_per_second, r.megabytes_per_second
            );
        }
        EvalCommand::Policy { data, model } => {
            let config = load_config(None, precision)?;
            let data = data.unwrap_or_else(|| shared.join("train/news_stance"));
            let reader = StanceModel::new(&resolve_model_dir(&model), &config.stance)?;
            let r = eval::eval_policy(&reader, &data, &config.targets[0].description)?;
            println!("model {}", r.model);
            println!(
                "news_stance law phrases ({}): macro-F1 {:.4}, accuracy {:.4}; favor/against phrases labelled right {}/{}",
                r.scores.n, r.scores.macro_f1, r.scores.accuracy, r.signed_right, r.signed
            );
        }
        EvalCommand::Actors {
            data,
            split,
            config,
            examples,
        } => {
            let config = load_config(config.as_deref(), precision)?;
            let models = Models::load(&config)?;
            let data = data.unwrap_or_else(|| shared.join("train/news_stance"));
            let r = eval::eval_actors(&models, &config, &data, &split)?;
            println!("news_stance {} ({} articles)", r.split, r.articles);
            println!(
                "holder accuracy: {}/{} = {:.4} (stance-bearing sentences with a named holder)",
                r.holder_correct, r.holder_sentences, r.holder_accuracy
            );
            for (k, v) in &r.holder_errors {
                println!("  {k}: {v}");
            }
            if r.two_holder_sentences > 0 {
                println!(
                    "  sentences split into two clauses with two holders (correct if either holder is gold): {}",
                    r.two_holder_sentences
                );
            }
            println!(
                "actor-level sign accuracy: {}/{} = {:.4}",
                r.actor_sign_correct, r.actors, r.actor_sign_accuracy
            );
            for (k, v) in &r.actor_errors {
                println!("  {k}: {v}");
            }
            let l = &r.law_acts;
            println!(
                "acts on laws: {} clauses, {} with a favor/against gold sentence; sign right by the clause's words {}, by act × law {}",
                l.clauses, l.gold_signed, l.sentence_sign_correct, l.composed_sign_correct
            );
            if examples {
                for e in r.examples.iter().chain(&r.sign_examples).chain(&l.examples) {
                    println!("  - {e}");
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
