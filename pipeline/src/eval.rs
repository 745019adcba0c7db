//! `stancewatch eval …`: the shipped models and stages scored through Rust on the shared
//! evaluation data, with the same metric definitions as the Python training recipes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::actors::actor_id;
use crate::config::PipelineConfig;
use crate::error::{Error, Result};
use crate::ingest::{self, Article};
use crate::laws;
use crate::metrics::{self, ClassScores, EntityScores, Prf};
use crate::ner::NerModel;
use crate::pipeline::{self, Models};
use crate::sentences;
use crate::stance::{StanceLabel, StanceModel, StanceProbs};

fn data_err(path: &Path, message: impl Into<String>) -> Error {
    Error::Data {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Sentences of a CoNLL file as (words, IOB2 tags). Accepts 2- or 4-column, IOB1 or IOB2.
pub fn read_conll(path: &Path) -> Result<Vec<(Vec<String>, Vec<String>)>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::read(path, e))?;
    let mut out = Vec::new();
    let (mut words, mut tags) = (Vec::new(), Vec::new());
    let mut flush = |words: &mut Vec<String>, tags: &mut Vec<String>| {
        if !words.is_empty() {
            out.push((std::mem::take(words), iob1_to_iob2(&std::mem::take(tags))));
        }
    };
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("-DOCSTART-") {
            flush(&mut words, &mut tags);
            continue;
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        if parts.len() < 2 {
            return Err(data_err(path, format!("not a CoNLL line: {line:?}")));
        }
        words.push(parts[0].to_string());
        tags.push(parts[parts.len() - 1].to_string());
    }
    flush(&mut words, &mut tags);
    Ok(out)
}

pub fn iob1_to_iob2(tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tags.len());
    for tag in tags {
        let mut t = tag.clone();
        if let Some(kind) = tag.strip_prefix("I-") {
            let prev = out.last().map(String::as_str).unwrap_or("O");
            if prev == "O" || &prev[2..] != kind {
                t = format!("B-{kind}");
            }
        }
        out.push(t);
    }
    out
}

#[derive(Debug, Serialize)]
pub struct NerReport {
    pub file: String,
    pub sentences: usize,
    pub scores: EntityScores,
    pub seconds: f64,
}

pub fn eval_ner(model: &NerModel, conll: &Path) -> Result<NerReport> {
    let data = read_conll(conll)?;
    let started = Instant::now();
    let words: Vec<Vec<String>> = data.iter().map(|(w, _)| w.clone()).collect();
    let mut pred = Vec::with_capacity(words.len());
    let bar = crate::progress::stage_bar("ner eval", words.len() as u64, "sentences");
    for chunk in words.chunks(256) {
        pred.extend(model.tag_names(chunk)?);
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    let gold: Vec<Vec<String>> = data.into_iter().map(|(_, t)| t).collect();
    Ok(NerReport {
        file: conll.display().to_string(),
        sentences: gold.len(),
        scores: metrics::entity_prf(&gold, &pred),
        seconds: started.elapsed().as_secs_f64(),
    })
}

#[derive(Debug, Deserialize)]
struct NewsArticle {
    id: String,
    split: String,
    text: String,
    published: Option<String>,
    title: Option<String>,
    source: Option<String>,
    url: Option<String>,
}

#[derive(Debug, Deserialize, Clone)]
struct NewsSentence {
    article_id: String,
    text: String,
    stance: String,
    holder: Option<String>,
    holder_canonical: Option<String>,
    char_start: usize,
    char_end: usize,
}

fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::read(path, e))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| data_err(path, format!("line {}: {e}", i + 1)))
        })
        .collect()
}

fn news_stance(dir: &Path, split: &str) -> Result<(Vec<NewsArticle>, Vec<NewsSentence>)> {
    let arts: Vec<NewsArticle> = read_jsonl(&dir.join("articles.jsonl"))?;
    let sents: Vec<NewsSentence> = read_jsonl(&dir.join("sentences.jsonl"))?;
    let keep: std::collections::HashSet<String> = arts
        .iter()
        .filter(|a| split == "all" || a.split == split)
        .map(|a| a.id.clone())
        .collect();
    Ok((
        arts.into_iter().filter(|a| keep.contains(&a.id)).collect(),
        sents
            .into_iter()
            .filter(|s| keep.contains(&s.article_id))
            .collect(),
    ))
}

#[derive(Debug, Serialize)]
pub struct PairAccuracy {
    pub n: usize,
    /// Three-way argmax accuracy: a `none` prediction counts as wrong.
    pub accuracy: f64,
    pub predicted_none: usize,
    /// The sign of the score (P(favor) vs P(against)) against the gold favor/against label:
    /// these sets have no `none` gold, so this reads "which side" without the `none` choice.
    pub sign_accuracy: f64,
}

/// (three-way accuracy, sign accuracy, predicted none) of predictions on gold labels that
/// are all favor or against.
fn pair_scores(probs: &[StanceProbs], gold: &[&str]) -> (f64, f64, usize) {
    let n = gold.len().max(1) as f64;
    let exact = probs
        .iter()
        .zip(gold)
        .filter(|(p, g)| p.label().as_str() == **g)
        .count();
    let sign = probs
        .iter()
        .zip(gold)
        .filter(|(p, g)| (p.favor > p.against) == (**g == "favor"))
        .count();
    let none = probs
        .iter()
        .filter(|p| p.label().as_str() == "none")
        .count();
    (exact as f64 / n, sign as f64 / n, none)
}

#[derive(Debug, Serialize)]
pub struct StanceReport {
    pub target: String,
    pub news_stance_dev: ClassScores,
    pub perspectrum_immigration: Option<PairAccuracy>,
    pub ibm_claim_stance_test: Option<PairAccuracy>,
    /// The project's written check sentences (`models/train/check_stance.jsonl`).
    pub written_check: Option<ClassScores>,
    pub seconds: f64,
}

#[derive(Deserialize)]
struct CheckSentence {
    text: String,
    stance: String,
}

const STANCE_LABELS: [&str; 3] = ["favor", "against", "none"];

fn pair_accuracy(model: &StanceModel, triples: &[(String, String, &str)]) -> Result<PairAccuracy> {
    let pairs: Vec<(&str, &str)> = triples
        .iter()
        .map(|(t, s, _)| (t.as_str(), s.as_str()))
        .collect();
    let probs = model.predict(&pairs)?;
    let gold: Vec<&str> = triples.iter().map(|t| t.2).collect();
    let (accuracy, sign_accuracy, predicted_none) = pair_scores(&probs, &gold);
    Ok(PairAccuracy {
        n: triples.len(),
        accuracy,
        predicted_none,
        sign_accuracy,
    })
}

/// Perspectrum pairs as (claim = target, perspective = sentence, favor | against):
/// SUPPORT is favor, UNDERMINE against.
fn read_perspectrum(path: &Path) -> Result<Vec<(String, String, &'static str)>> {
    // The file quotes the fields that contain quotes (`"… ""brain drain"" …"`), as
    // Python's csv module writes and reads them.
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .from_path(path)
        .map_err(|e| data_err(path, e.to_string()))?;
    let mut triples = Vec::new();
    for row in rdr.deserialize::<BTreeMap<String, String>>() {
        let row = row.map_err(|e| data_err(path, e.to_string()))?;
        let field = |name: &str| {
            row.get(name)
                .cloned()
                .ok_or_else(|| data_err(path, format!("no column {name:?}")))
        };
        let label = if field("stance")? == "SUPPORT" {
            "favor"
        } else {
            "against"
        };
        triples.push((field("claim")?, field("perspective")?, label));
    }
    Ok(triples)
}

/// news_stance dev (macro-F1, confusion), Perspectrum immigration pairs and the IBM
/// Claim Stance test split (accuracy over favor/against; a `none` prediction is wrong).
pub fn eval_stance(
    model: &StanceModel,
    train_dir: &Path,
    eval_dir: Option<&Path>,
    check: Option<&Path>,
    target: &str,
) -> Result<StanceReport> {
    let started = Instant::now();
    // Context: the previous sentence of the same article (the file is in article order).
    let (_, all) = news_stance(&train_dir.join("news_stance"), "all")?;
    let (dev_articles, _) = news_stance(&train_dir.join("news_stance"), "dev")?;
    let dev_ids: std::collections::HashSet<&str> =
        dev_articles.iter().map(|a| a.id.as_str()).collect();
    let mut inputs = Vec::new();
    let mut dev = Vec::new();
    for (i, s) in all.iter().enumerate() {
        if !dev_ids.contains(s.article_id.as_str()) {
            continue;
        }
        let context = if i > 0 && all[i - 1].article_id == s.article_id {
            all[i - 1].text.as_str()
        } else {
            ""
        };
        inputs.push((target, s.text.as_str(), context));
        dev.push(s);
    }
    let probs = model.predict_in_context(&inputs)?;
    let pred: Vec<&str> = probs.iter().map(|p| p.label().as_str()).collect();
    let gold: Vec<&str> = dev.iter().map(|s| s.stance.as_str()).collect();
    let news = metrics::macro_f1(&gold, &pred, &STANCE_LABELS);

    let perspectrum =
        match eval_dir.map(|d| d.join("stance_perspectrum_immigration/immigration_pairs.tsv")) {
            Some(p) if p.exists() => Some(pair_accuracy(model, &read_perspectrum(&p)?)?),
            _ => None,
        };
    let claim_path = train_dir.join("stance_ibm_claim_stance/claim_stance_dataset_v1.csv");
    let ibm = if claim_path.exists() {
        let mut rdr = csv::Reader::from_path(&claim_path)
            .map_err(|e| data_err(&claim_path, e.to_string()))?;
        let mut triples = Vec::new();
        for row in rdr.deserialize::<BTreeMap<String, String>>() {
            let row = row.map_err(|e| data_err(&claim_path, e.to_string()))?;
            if row.get("split").map(String::as_str) != Some("test") {
                continue;
            }
            let label = if row["claims.stance"] == "PRO" {
                "favor"
            } else {
                "against"
            };
            triples.push((
                row["topicText"].clone(),
                row["claims.claimCorrectedText"].clone(),
                label,
            ));
        }
        Some(pair_accuracy(model, &triples)?)
    } else {
        None
    };
    // Written for this project: clear-cut sentences of both sides and none, standalone
    // (no context), never trained on.
    let written_check = match check {
        Some(path) => {
            let rows: Vec<CheckSentence> = read_jsonl(path)?;
            let inputs: Vec<(&str, &str)> =
                rows.iter().map(|r| (target, r.text.as_str())).collect();
            let probs = model.predict(&inputs)?;
            let pred: Vec<&str> = probs.iter().map(|p| p.label().as_str()).collect();
            let gold: Vec<&str> = rows.iter().map(|r| r.stance.as_str()).collect();
            Some(metrics::macro_f1(&gold, &pred, &STANCE_LABELS))
        }
        None => None,
    };
    Ok(StanceReport {
        target: target.to_string(),
        news_stance_dev: news,
        perspectrum_immigration: perspectrum,
        ibm_claim_stance_test: ibm,
        written_check,
        seconds: started.elapsed().as_secs_f64(),
    })
}

#[derive(Debug, Serialize)]
pub struct SentenceReport {
    pub golden_rules_passed: usize,
    pub golden_rules_total: usize,
    pub golden_rules_failed_ids: Vec<u64>,
    pub gum: Prf,
    pub gum_sentences: usize,
    pub sentences_per_second: f64,
    pub megabytes_per_second: f64,
}

#[derive(Deserialize)]
struct GoldenRule {
    id: u64,
    text: String,
    sentences: Vec<String>,
}

#[derive(Deserialize)]
struct GumDoc {
    paragraphs: Vec<Vec<String>>,
}

/// Golden Rules (exact list match per case) and GUM news (sentence exact-match F1, each
/// paragraph's gold sentences joined by one space), plus splitting speed.
pub fn eval_sentences(eval_dir: &Path) -> Result<SentenceReport> {
    let split_texts = |t: &str| -> Vec<String> {
        sentences::split(t)
            .iter()
            .map(|s| t[s.start..s.end].to_string())
            .collect()
    };
    let rules: Vec<GoldenRule> =
        read_jsonl(&eval_dir.join("sbd_golden_rules/pysbd_english_golden_rules.jsonl"))?;
    let mut failed = Vec::new();
    for r in &rules {
        let got = split_texts(&r.text);
        let want: Vec<String> = r.sentences.iter().map(|s| s.trim().to_string()).collect();
        if got != want {
            failed.push(r.id);
        }
    }
    let docs: Vec<GumDoc> = read_jsonl(&eval_dir.join("sbd_gum_news/gum_news_sentences.jsonl"))?;
    let (mut tp, mut fp, mut fn_, mut n) = (0, 0, 0, 0);
    let mut paragraphs = Vec::new();
    for d in &docs {
        for p in &d.paragraphs {
            let joined = p.join(" ");
            let (a, b, c) = metrics::sentence_prf(p, &split_texts(&joined));
            tp += a;
            fp += b;
            fn_ += c;
            n += p.len();
            paragraphs.push(joined);
        }
    }
    // Speed: the GUM paragraphs repeated to about 50k sentences, single thread.
    let reps = (50_000 / n.max(1)).max(1);
    let started = Instant::now();
    let mut count = 0usize;
    let mut bytes = 0usize;
    for _ in 0..reps {
        for p in &paragraphs {
            count += sentences::split(p).len();
            bytes += p.len();
        }
    }
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    Ok(SentenceReport {
        golden_rules_passed: rules.len() - failed.len(),
        golden_rules_total: rules.len(),
        golden_rules_failed_ids: failed,
        gum: Prf::from_counts(tp, fp, fn_),
        gum_sentences: n,
        sentences_per_second: count as f64 / secs,
        megabytes_per_second: bytes as f64 / secs / 1e6,
    })
}

#[derive(Debug, Serialize, Default)]
pub struct ActorReport {
    pub split: String,
    pub articles: usize,
    pub holder_sentences: usize,
    pub holder_correct: usize,
    pub holder_accuracy: f64,
    pub holder_errors: BTreeMap<String, usize>,
    /// Gold stance sentences that the pipeline split into two clauses with two holders;
    /// such a sentence counts as correct when either clause's holder is the gold one.
    pub two_holder_sentences: usize,
    pub actors: usize,
    pub actor_sign_correct: usize,
    pub actor_sign_accuracy: f64,
    pub actor_errors: BTreeMap<String, usize>,
    pub examples: Vec<String>,
    /// One line per actor whose sign is wrong: gold sentence counts and our scores.
    pub sign_examples: Vec<String>,
    /// Clauses scored as an act on a law (`laws`), against the gold label of their sentence.
    pub law_acts: LawActReport,
}

/// How the clauses read as acts on laws score, next to the model's reading of their words.
#[derive(Debug, Default, Clone, Serialize)]
pub struct LawActReport {
    pub clauses: usize,
    /// Of those, the ones whose gold sentence is favor or against.
    pub gold_signed: usize,
    /// Sign right by the model's reading of the clause's words.
    pub sentence_sign_correct: usize,
    /// Sign right by the composed act × law.
    pub composed_sign_correct: usize,
    /// One line per clause: gold, both scores, the act and the law.
    pub examples: Vec<String>,
}

/// Whether a gold holder is a name (a person or an organisation) rather than a description
/// ("Supporters", "these leaders", "Oregon voters"): every significant word capitalised and
/// not a common group noun.
pub fn is_named_holder(holder: &str) -> bool {
    const SMALL: &[&str] = &[
        "of", "and", "the", "for", "de", "del", "la", "on", "in", "to", "at",
    ];
    const GROUPS: &[&str] = &[
        "supporters",
        "opponents",
        "advocates",
        "critics",
        "officials",
        "lawmakers",
        "voters",
        "aldermen",
        "leaders",
        "residents",
        "protesters",
        "democrats",
        "republicans",
        "backers",
        "sheriffs",
        "mayors",
    ];
    let words: Vec<&str> = holder.split_whitespace().collect();
    !words.is_empty()
        && words.iter().all(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            w.is_empty()
                || SMALL.contains(&w)
                || w.chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_numeric())
        })
        && !words.iter().any(|w| {
            GROUPS.contains(
                &w.to_lowercase()
                    .trim_matches(|c: char| !c.is_alphanumeric()),
            )
        })
}

/// The policy reader on real law phrases: every news_stance sentence (both splits; the
/// reader is trained on written phrases only) whose holder acts on a described law gives
/// the law's effect ([`laws::labelled_law_effect`]), and the reader scores the phrase alone.
#[derive(Debug, Serialize)]
pub struct PolicyReport {
    pub model: String,
    pub scores: ClassScores,
    /// Phrases whose effect is favor or against, and how many of them the reader labels so.
    pub signed: usize,
    pub signed_right: usize,
}

pub fn eval_policy(model: &StanceModel, news_dir: &Path, target: &str) -> Result<PolicyReport> {
    let (_, sentences) = news_stance(news_dir, "all")?;
    let mut inputs = Vec::new();
    let mut gold = Vec::new();
    for s in &sentences {
        let Some(stance) = StanceLabel::parse(&s.stance) else {
            continue;
        };
        let holder = s.holder.as_deref().unwrap_or("");
        if let Some((law, effect)) = laws::labelled_law_effect(&s.text, holder, stance) {
            inputs.push((target, &s.text[law.start..law.end], ""));
            gold.push(effect.as_str());
        }
    }
    let probs = model.predict_in_context(&inputs)?;
    let pred: Vec<&str> = probs.iter().map(|p| p.label().as_str()).collect();
    let signed: Vec<(&str, &str)> = gold
        .iter()
        .zip(&pred)
        .filter(|(g, _)| **g != "none")
        .map(|(g, p)| (*g, *p))
        .collect();
    Ok(PolicyReport {
        model: model.model_id.clone(),
        scores: metrics::macro_f1(&gold, &pred, &STANCE_LABELS),
        signed: signed.len(),
        signed_right: signed.iter().filter(|(g, p)| g == p).count(),
    })
}

/// Two names denote the same actor: equal ids, one a word-suffix of the other (surname),
/// or an acronym of the other.
pub fn same_actor(a: &str, b: &str) -> bool {
    let (ia, ib) = (actor_id(a), actor_id(b));
    if ia.is_empty() || ib.is_empty() {
        return false;
    }
    if ia == ib || ia.ends_with(&format!("-{ib}")) || ib.ends_with(&format!("-{ia}")) {
        return true;
    }
    let acr = |s: &str| -> String {
        s.split_whitespace()
            .filter_map(|w| w.chars().next())
            .filter(|c| c.is_uppercase())
            .collect()
    };
    let strip = |s: &str| s.replace('.', "").replace("U S ", "").replace("US ", "");
    let (sa, sb) = (strip(a), strip(b));
    (!sa.contains(' ') && sa.len() >= 2 && acr(&sb).ends_with(&sa))
        || (!sb.contains(' ') && sb.len() >= 2 && acr(&sa).ends_with(&sb))
}

/// Holder accuracy on stance-bearing sentences with a named holder, and actor-level sign
/// accuracy (majority sign of an actor's gold sentences per article vs the pipeline's mean
/// score for that actor in that article), on news_stance.
pub fn eval_actors(
    models: &Models,
    config: &PipelineConfig,
    news_dir: &Path,
    split: &str,
) -> Result<ActorReport> {
    let (arts, gold) = news_stance(news_dir, split)?;
    let articles: Vec<Article> = arts
        .iter()
        .map(|a| {
            let text = ingest::normalise_text(&a.text);
            Article {
                article_id: ingest::content_id(&text),
                source_id: Some(a.id.clone()),
                title: a.title.clone(),
                text,
                published: a
                    .published
                    .as_deref()
                    .and_then(|p| chrono::NaiveDate::parse_from_str(p, "%Y-%m-%d").ok()),
                date_source: "field".into(),
                source: a.source.clone(),
                url: a.url.clone(),
                input_file: news_dir.join("articles.jsonl").display().to_string(),
                input_line: None,
                language: "eng".into(),
            }
        })
        .collect();
    let processed = pipeline::process(&articles, models, config, "eval")?;
    let target = &config.targets[0].id;
    let mut report = ActorReport {
        split: split.into(),
        articles: articles.len(),
        ..Default::default()
    };
    // Per source article: our sentences (char offsets) with holder and score.
    struct Ours {
        start: usize,
        end: usize,
        holder: Option<String>,
        score: f32,
        label: String,
        /// The entities the pipeline found in the sentence ("ORG:ICE PER:Jones"), for the
        /// error examples.
        entities: String,
        /// For an act on a law: the model's own score of the words, the act and the law.
        law_act: Option<(f32, String, String)>,
    }
    let mut ours: BTreeMap<String, Vec<Ours>> = BTreeMap::new();
    let by_id: BTreeMap<&str, &Article> = articles
        .iter()
        .map(|a| (a.article_id.as_str(), a))
        .collect();
    for st in processed.stances.iter().filter(|s| &s.target_id == target) {
        let a = by_id[st.article_id.as_str()];
        let sent = &processed
            .sentences
            .iter()
            .find(|s| s.article_id == st.article_id && s.sentence_index == st.sentence_index)
            .expect("sentence of stance");
        let to_char = |b: u64| a.text[..b as usize].chars().count();
        ours.entry(a.source_id.clone().unwrap_or_default())
            .or_default()
            .push(Ours {
                start: to_char(sent.start),
                end: to_char(sent.end),
                holder: st.holder.clone(),
                score: st.score,
                label: st.label.clone(),
                entities: processed
                    .entities
                    .iter()
                    .filter(|e| {
                        e.article_id == st.article_id && e.sentence_index == st.sentence_index
                    })
                    .map(|e| format!("{}:{}", e.label, e.text))
                    .collect::<Vec<_>>()
                    .join(" | "),
                law_act: (st.basis == "act_on_law").then(|| {
                    (
                        st.sentence_score,
                        st.act.clone().unwrap_or_default(),
                        st.law_text.clone().unwrap_or_default(),
                    )
                }),
            });
    }
    // Gold char offsets refer to the original text; normalisation (NFC, no controls) keeps
    // them for this data, which is already NFC.
    let best_overlap = |list: &[Ours], s: usize, e: usize| -> Option<usize> {
        list.iter()
            .enumerate()
            .map(|(i, o)| (i, o.end.min(e).saturating_sub(o.start.max(s))))
            .filter(|&(_, ov)| ov > 0)
            .max_by_key(|&(_, ov)| ov)
            .map(|(i, _)| i)
    };
    // Gold actor signs per (article, actor) and our mean score for the same actor.
    let mut gold_actor: BTreeMap<(String, String), i32> = BTreeMap::new();
    for g in &gold {
        let list = ours.get(&g.article_id).map(Vec::as_slice).unwrap_or(&[]);
        let mine = best_overlap(list, g.char_start, g.char_end).map(|i| &list[i]);
        // Every clause of that sentence (two when a second clause has its own holder).
        let clauses: Vec<&Ours> = mine
            .map(|m| {
                list.iter()
                    .filter(|o| o.start == m.start && o.end == m.end)
                    .collect()
            })
            .unwrap_or_default();
        for (o, (sentence_score, act, law)) in clauses
            .iter()
            .filter_map(|o| o.law_act.as_ref().map(|l| (o, l)))
        {
            let r = &mut report.law_acts;
            r.clauses += 1;
            if g.stance != "none" {
                r.gold_signed += 1;
                let favor = g.stance == "favor";
                r.sentence_sign_correct += usize::from((*sentence_score > 0.0) == favor);
                r.composed_sign_correct += usize::from((o.score > 0.0) == favor);
            }
            r.examples.push(format!(
                "[{}] gold {}, words {sentence_score:+.2}, act × law {:+.2}: {act:?} × {law:?}: {}",
                g.article_id, g.stance, o.score, g.text
            ));
        }
        if g.stance != "none" {
            if let Some(canon) = g
                .holder_canonical
                .as_ref()
                .or(g.holder.as_ref())
                .filter(|c| is_named_holder(c))
            {
                *gold_actor
                    .entry((g.article_id.clone(), canon.clone()))
                    .or_default() += if g.stance == "favor" { 1 } else { -1 };
                report.holder_sentences += 1;
                if clauses.len() > 1 {
                    report.two_holder_sentences += 1;
                }
                let matching = clauses
                    .iter()
                    .find(|o| o.holder.as_ref().is_some_and(|h| same_actor(h, canon)));
                let predicted = matching.or(clauses.first()).and_then(|m| m.holder.clone());
                match predicted {
                    Some(p) if same_actor(&p, canon) => report.holder_correct += 1,
                    Some(p) => {
                        *report
                            .holder_errors
                            .entry("wrong holder".into())
                            .or_default() += 1;
                        report.examples.push(format!(
                            "[{}] gold {canon:?} got {p:?}: {} [entities: {}]",
                            g.article_id,
                            g.text,
                            mine.map(|m| m.entities.as_str()).unwrap_or("")
                        ));
                    }
                    None => {
                        *report
                            .holder_errors
                            .entry("no holder found".into())
                            .or_default() += 1;
                        report.examples.push(format!(
                            "[{}] gold {canon:?} got none: {} [entities: {}]",
                            g.article_id,
                            g.text,
                            mine.map(|m| m.entities.as_str()).unwrap_or("")
                        ));
                    }
                }
            }
        }
    }
    for ((article, canon), sum) in &gold_actor {
        if *sum == 0 {
            continue; // a tie has no gold sign
        }
        report.actors += 1;
        let list = ours.get(article).map(Vec::as_slice).unwrap_or(&[]);
        let scores: Vec<f32> = list
            .iter()
            .filter(|o| {
                o.label != "none" && o.holder.as_ref().is_some_and(|h| same_actor(h, canon))
            })
            .map(|o| o.score)
            .collect();
        if scores.is_empty() {
            report.sign_examples.push(format!(
                "[{article}] {canon:?}: gold {} (net {sum:+} sentences), no sentence of theirs scored favor or against",
                if *sum > 0 { "favor" } else { "against" },
            ));
            *report
                .actor_errors
                .entry("actor not found as a holder".into())
                .or_default() += 1;
            continue;
        }
        let mean = scores.iter().sum::<f32>() / scores.len() as f32;
        if (mean > 0.0) == (*sum > 0) {
            report.actor_sign_correct += 1;
        } else {
            report.sign_examples.push(format!(
                "[{article}] {canon:?}: gold {} (net {sum:+} sentences), ours {mean:+.2} over {} sentences ({})",
                if *sum > 0 { "favor" } else { "against" },
                scores.len(),
                scores
                    .iter()
                    .map(|s| format!("{s:+.2}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
            *report
                .actor_errors
                .entry(
                    if *sum > 0 {
                        "gold favor, predicted against"
                    } else {
                        "gold against, predicted favor"
                    }
                    .into(),
                )
                .or_default() += 1;
        }
    }
    report.holder_accuracy = report.holder_correct as f64 / report.holder_sentences.max(1) as f64;
    report.actor_sign_accuracy = report.actor_sign_correct as f64 / report.actors.max(1) as f64;
    Ok(report)
}

/// The shared data folder (`../shared` beside the project) or the STANCEWATCH_SHARED variable.
pub fn shared_dir() -> PathBuf {
    std::env::var_os("STANCEWATCH_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_scores_count_none_as_wrong_but_read_its_sign() {
        let p = |favor, against, none| StanceProbs {
            favor,
            against,
            none,
        };
        let probs = [
            p(0.7, 0.2, 0.1),   // favor, right
            p(0.2, 0.3, 0.5),   // none; sign against, right
            p(0.35, 0.05, 0.6), // none; sign favor, wrong
            p(0.6, 0.3, 0.1),   // favor, wrong
        ];
        let gold = ["favor", "against", "against", "against"];
        let (exact, sign, none) = pair_scores(&probs, &gold);
        assert_eq!(exact, 0.25);
        assert_eq!(sign, 0.5);
        assert_eq!(none, 2);
    }

    #[test]
    fn perspectrum_fields_with_quotes_are_unquoted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pairs.tsv");
        std::fs::write(
            &path,
            "claim_id\tsplit\tclaim\tperspective_id\tperspective\tstance\n\
             1\ttest\tWalls work\t7\t\"It causes \"\"brain drain\"\" here.\"\tUNDERMINE\n\
             2\ttest\tWalls work\t8\tAt least it slows \"some\" people\tSUPPORT\n",
        )
        .unwrap();
        let rows = read_perspectrum(&path).unwrap();
        assert_eq!(
            rows,
            vec![
                (
                    "Walls work".to_string(),
                    "It causes \"brain drain\" here.".to_string(),
                    "against"
                ),
                (
                    "Walls work".to_string(),
                    "At least it slows \"some\" people".to_string(),
                    "favor"
                ),
            ]
        );
    }

    #[test]
    fn iob1_becomes_iob2() {
        let t: Vec<String> = ["I-PER", "I-PER", "O", "I-LOC", "B-LOC"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            iob1_to_iob2(&t),
            vec!["B-PER", "I-PER", "O", "B-LOC", "B-LOC"]
        );
    }

    #[test]
    fn named_holders_are_names_not_descriptions() {
        assert!(is_named_holder("Charlie Beck"));
        assert!(is_named_holder("Orange County Board of Supervisors"));
        assert!(is_named_holder("ICE"));
        assert!(!is_named_holder("Supporters"));
        assert!(!is_named_holder("these leaders"));
        assert!(!is_named_holder("Oregon voters"));
    }

    #[test]
    fn actor_names_match_by_surname_and_acronym() {
        assert!(same_actor("Corey O’Connor", "O'Connor"));
        assert!(same_actor("Bill de Blasio", "Bill De Blasio"));
        assert!(same_actor(
            "ICE",
            "U.S. Immigration and Customs Enforcement"
        ));
        assert!(!same_actor("Ann Smith", "Bob Jones"));
    }

    #[test]
    fn conll_reader_reports_bad_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.conll");
        std::fs::write(
            &p,
            "-DOCSTART- -X- O O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\n\nbad\n",
        )
        .unwrap();
        let err = read_conll(&p).unwrap_err().to_string();
        assert!(err.contains("x.conll") && err.contains("bad"), "{err}");
        std::fs::write(&p, "EU NNP I-NP I-ORG\nrejects VBZ I-VP O\n").unwrap();
        let ok = read_conll(&p).unwrap();
        assert_eq!(ok[0].1, vec!["B-ORG", "O"]);
    }
}
