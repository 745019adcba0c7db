//! The main job: ingest -> split -> NER -> attribution -> stance (acts on laws composed with
//! the laws' own stance) -> facts -> aggregates.
//!
//! Pure per-record stages (splitting, attribution, row building) run under rayon; the two
//! model stages run on the calling thread, which owns the models, over length-sorted batches
//! of all sentences of a chunk; aggregation is the barrier at the end. Articles are handled
//! in chunks (`chunk_size`), each chunk written as its own part files, and the input is
//! streamed twice (ids first, then text chunk by chunk), so memory stays flat as the batch
//! grows.

use std::path::PathBuf;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::actors;
use crate::aggregate::{self, Aggregates};
use crate::attribution::{self, SentenceView};
use crate::config::{resolve_model_dir, PipelineConfig};
use crate::error::{Error, Result};
use crate::ingest::{self, Article, Reject};
use crate::laws;
use crate::ner::{EntitySpan, NerModel};
use crate::progress::stage_bar;
use crate::records::{ActorRow, ArticleRow, EntityRow, Period, Periods, SentenceRow, StanceRow};
use crate::sentences::{self, SentenceSpan};
use crate::stance::{StanceModel, StanceProbs};
use crate::store::{self, BatchRecord, Store};
use crate::tables;

pub struct Models {
    pub ner: NerModel,
    /// The distinct stance models the targets use, each loaded once.
    pub stance: Vec<StanceModel>,
    /// Per target, in config order: its model's index in `stance`.
    pub target_stance: Vec<usize>,
    /// Per target: its policy reader's index in `stance` (`law_model`), if it has one.
    pub target_law_reader: Vec<Option<usize>>,
}

impl Models {
    /// Loads the NER model and every stance model a target uses (fails before any work if
    /// one is missing or broken).
    pub fn load(config: &PipelineConfig) -> Result<Self> {
        let ner = NerModel::new(&resolve_model_dir(&config.models.ner), &config.ner)?;
        let mut dirs: Vec<std::path::PathBuf> = Vec::new();
        let mut index_of = |dir: std::path::PathBuf| match dirs.iter().position(|d| *d == dir) {
            Some(k) => k,
            None => {
                dirs.push(dir);
                dirs.len() - 1
            }
        };
        let mut target_stance = Vec::with_capacity(config.targets.len());
        let mut target_law_reader = Vec::with_capacity(config.targets.len());
        for t in &config.targets {
            target_stance.push(index_of(resolve_model_dir(t.stance_model(&config.models))));
            target_law_reader.push(
                t.law_model
                    .as_deref()
                    .map(|d| index_of(resolve_model_dir(d))),
            );
        }
        let stance = dirs
            .iter()
            .map(|d| StanceModel::new(d, &config.stance))
            .collect::<Result<Vec<_>>>()?;
        Ok(Models {
            ner,
            stance,
            target_stance,
            target_law_reader,
        })
    }

    /// The stance model of target `ti` (config order).
    pub fn stance_for(&self, ti: usize) -> &StanceModel {
        &self.stance[self.target_stance[ti]]
    }

    /// The policy reader of target `ti`, if its config names one.
    pub fn law_reader_for(&self, ti: usize) -> Option<&StanceModel> {
        self.target_law_reader[ti].map(|k| &self.stance[k])
    }

    /// Word pieces fed to all stance models so far.
    pub fn stance_pieces(&self) -> u64 {
        self.stance.iter().map(StanceModel::pieces_seen).sum()
    }

    /// The stance models' ids (policy readers included), in target order without repeats
    /// ("a, b").
    pub fn stance_model_ids(&self) -> String {
        let mut ids: Vec<&str> = Vec::new();
        let readers = self.target_law_reader.iter().flatten();
        for &k in self.target_stance.iter().chain(readers) {
            let id = self.stance[k].model_id.as_str();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids.join(", ")
    }
}

/// Byte range of a sentence that the stance model scores on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Clause {
    start: usize,
    end: usize,
}

/// The clauses of a sentence of `len` bytes: the whole sentence, or its two clauses when
/// attribution found a second one with its own holder.
fn clauses_of(second: Option<&attribution::SecondClause>, len: usize) -> Vec<Clause> {
    match second {
        Some(c) => vec![
            Clause {
                start: 0,
                end: c.first_end,
            },
            Clause {
                start: c.start,
                end: len,
            },
        ],
        None => vec![Clause { start: 0, end: len }],
    }
}

/// Everything the pipeline derives from a set of articles.
#[derive(Debug, Default)]
pub struct Processed {
    pub articles: Vec<ArticleRow>,
    pub sentences: Vec<SentenceRow>,
    pub entities: Vec<EntityRow>,
    pub stances: Vec<StanceRow>,
    pub actors: Vec<ActorRow>,
    pub timings: StageTimings,
}

/// Wall-clock seconds per stage (summed over chunks) and model input sizes, for `bench`.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct StageTimings {
    pub split: f64,
    pub ner: f64,
    pub attribution: f64,
    pub stance: f64,
    pub rows: f64,
    pub write: f64,
    pub aggregate: f64,
    pub ner_pieces: u64,
    pub stance_pieces: u64,
}

impl StageTimings {
    pub fn add(&mut self, o: &StageTimings) {
        self.split += o.split;
        self.ner += o.ner;
        self.attribution += o.attribution;
        self.stance += o.stance;
        self.rows += o.rows;
        self.write += o.write;
        self.aggregate += o.aggregate;
        self.ner_pieces += o.ner_pieces;
        self.stance_pieces += o.stance_pieces;
    }
}

/// The law phrases of every sentence of every article (`laws::law_phrases`).
fn flat_law_phrases(
    articles: &[Article],
    spans: &[Vec<SentenceSpan>],
) -> Vec<Vec<Vec<laws::LawPhrase>>> {
    articles
        .par_iter()
        .zip(spans)
        .map(|(a, ss)| {
            ss.iter()
                .map(|s| laws::law_phrases(&a.text[s.start..s.end]))
                .collect()
        })
        .collect()
}

/// Runs every per-article stage over `articles`.
pub fn process(
    articles: &[Article],
    models: &Models,
    config: &PipelineConfig,
    batch_id: &str,
) -> Result<Processed> {
    let mut timings = StageTimings::default();
    let clock = std::time::Instant::now();
    let ner_pieces_before = models.ner.pieces_seen();
    let stance_pieces_before = models.stance_pieces();
    // Split (pure, parallel).
    let spans: Vec<Vec<SentenceSpan>> = articles
        .par_iter()
        .map(|a| sentences::split_article(&a.text, a.title.as_deref()))
        .collect();
    let flat: Vec<(usize, usize)> = spans
        .iter()
        .enumerate()
        .flat_map(|(ai, ss)| (0..ss.len()).map(move |si| (ai, si)))
        .collect();
    let sentence_text = |&(ai, si): &(usize, usize)| {
        let s = spans[ai][si];
        &articles[ai].text[s.start..s.end]
    };

    timings.split = clock.elapsed().as_secs_f64();
    let clock = std::time::Instant::now();
    // NER (model stage, this thread), in slices so that the bar moves.
    let bar = stage_bar("entities", flat.len() as u64, "sentences");
    let mut entities_flat: Vec<Vec<EntitySpan>> = Vec::with_capacity(flat.len());
    for slice in flat.chunks(512) {
        let texts: Vec<&str> = slice.iter().map(sentence_text).collect();
        entities_flat.extend(models.ner.predict(&texts)?);
        bar.inc(slice.len() as u64);
    }
    bar.finish_and_clear();
    let mut per_article_entities: Vec<Vec<Vec<EntitySpan>>> =
        spans.iter().map(|s| Vec::with_capacity(s.len())).collect();
    for (key, ents) in flat.iter().zip(entities_flat) {
        let ents = actors::repair_spans(sentence_text(key), ents);
        per_article_entities[key.0].push(ents);
    }

    timings.ner = clock.elapsed().as_secs_f64();
    let clock = std::time::Instant::now();
    // Attribution (pure, parallel).
    let attributions: Vec<attribution::ArticleAttribution> = articles
        .par_iter()
        .enumerate()
        .map(|(ai, a)| {
            let views: Vec<SentenceView> = spans[ai]
                .iter()
                .zip(&per_article_entities[ai])
                .map(|(s, e)| SentenceView {
                    text: &a.text[s.start..s.end],
                    paragraph: s.paragraph,
                    entities: e,
                })
                .collect();
            attribution::attribute(&views)
        })
        .collect();

    // Law phrases (pure, parallel): scored with the stance models beside the clauses, so
    // that an act on a law can take the law's stance (`laws`).
    let law_phrases: Vec<Vec<Vec<laws::LawPhrase>>> = flat_law_phrases(articles, &spans);

    timings.attribution = clock.elapsed().as_secs_f64();
    let clock = std::time::Instant::now();
    // Stance (model stage, this thread): every clause against every target. A sentence is
    // one clause, or two when attribution found a second clause with its own holder; each
    // clause is scored on its own words.
    let units: Vec<(usize, usize, Clause)> = flat
        .iter()
        .map(|&(ai, si)| (ai, si))
        .flat_map(|(ai, si)| {
            let len = spans[ai][si].end - spans[ai][si].start;
            clauses_of(attributions[ai].second_clauses[si].as_ref(), len)
                .into_iter()
                .map(move |c| (ai, si, c))
        })
        .collect();
    let bar = stage_bar(
        "stance",
        (units.len() * config.targets.len()) as u64,
        "pairs",
    );
    let mut probs = Vec::with_capacity(config.targets.len());
    for (ti, target) in config.targets.iter().enumerate() {
        let model = models.stance_for(ti);
        let mut p = Vec::with_capacity(units.len());
        for slice in units.chunks(512) {
            let inputs: Vec<(&str, &str, &str)> = slice
                .iter()
                .map(|&(ai, si, c)| {
                    let context = if si > 0 {
                        sentence_text(&(ai, si - 1))
                    } else {
                        ""
                    };
                    (
                        target.description.as_str(),
                        sentence_text(&(ai, si))[c.start..c.end].trim_end(),
                        context,
                    )
                })
                .collect();
            p.extend(model.predict_in_context(&inputs)?);
            bar.inc(slice.len() as u64);
        }
        probs.push(p);
    }
    bar.finish_and_clear();
    // Every law phrase against every target that has a policy reader (`law_model`); a
    // target without one has no law readings, and its acts on laws keep the sentence's own.
    let mut law_probs: Vec<Vec<Vec<Vec<StanceProbs>>>> = Vec::with_capacity(config.targets.len());
    for (ti, target) in config.targets.iter().enumerate() {
        let Some(reader) = models.law_reader_for(ti) else {
            law_probs.push(vec![Vec::new(); articles.len()]);
            continue;
        };
        let inputs: Vec<(&str, &str, &str)> = law_phrases
            .iter()
            .enumerate()
            .flat_map(|(ai, per_sentence)| {
                per_sentence
                    .iter()
                    .enumerate()
                    .flat_map(move |(si, phrases)| {
                        let text = sentence_text(&(ai, si));
                        phrases
                            .iter()
                            .map(move |l| &text[l.start..l.end])
                            .filter(|phrase| laws::describes_something(phrase))
                            .map(move |phrase| (target.description.as_str(), phrase, ""))
                    })
            })
            .collect();
        let mut scored = reader.predict_in_context(&inputs)?.into_iter();
        // "the bill" is not read: it has no stance of its own and points to a described law.
        let unread = StanceProbs {
            favor: 0.0,
            against: 0.0,
            none: 1.0,
        };
        law_probs.push(
            law_phrases
                .iter()
                .enumerate()
                .map(|(ai, per_sentence)| {
                    per_sentence
                        .iter()
                        .enumerate()
                        .map(|(si, phrases)| {
                            let text = sentence_text(&(ai, si));
                            phrases
                                .iter()
                                .map(|l| {
                                    if laws::describes_something(&text[l.start..l.end]) {
                                        scored.next().expect("one reading per described phrase")
                                    } else {
                                        unread
                                    }
                                })
                                .collect()
                        })
                        .collect()
                })
                .collect(),
        );
    }
    // Where each article's clauses start in `units`.
    let mut unit_offsets = vec![0usize; articles.len() + 1];
    for &(ai, _, _) in &units {
        unit_offsets[ai + 1] += 1;
    }
    for ai in 0..articles.len() {
        unit_offsets[ai + 1] += unit_offsets[ai];
    }

    timings.stance = clock.elapsed().as_secs_f64();
    let clock = std::time::Instant::now();
    // Rows (pure, parallel per article).
    let ner_model = &models.ner.model_id;
    // Per target (the models themselves stay on this thread).
    let stance_model_ids: Vec<String> = (0..config.targets.len())
        .map(|ti| models.stance_for(ti).model_id.clone())
        .collect();
    // A stance taken from a law is the policy reader's.
    let law_reader_ids: Vec<Option<String>> = (0..config.targets.len())
        .map(|ti| models.law_reader_for(ti).map(|m| m.model_id.clone()))
        .collect();
    let parts: Vec<Processed> = articles
        .par_iter()
        .enumerate()
        .map(|(ai, a)| {
            let att = &attributions[ai];
            let published = a.published.map(|d| d.format("%Y-%m-%d").to_string());
            let periods = Periods::of(a.published);
            let mut out = Processed::default();
            let mut next_unit = unit_offsets[ai];
            out.articles.push(ArticleRow {
                article_id: a.article_id.clone(),
                source_id: a.source_id.clone(),
                title: a.title.clone(),
                published: published.clone(),
                date_source: a.date_source.clone(),
                source: a.source.clone(),
                url: a.url.clone(),
                input_file: a.input_file.clone(),
                input_line: a.input_line,
                language: a.language.clone(),
                n_sentences: spans[ai].len() as u32,
                text: a.text.clone(),
                batch_id: batch_id.to_string(),
            });
            for actor in &att.actors {
                out.actors.push(ActorRow {
                    article_id: a.article_id.clone(),
                    actor_id: actor.actor_id.clone(),
                    name: actor.name.clone(),
                    entity_type: actor.entity_type.clone(),
                    role: actor.role.clone(),
                    place: actor.place.clone(),
                    level: actor.level.clone(),
                    former: actor.former,
                    published: published.clone(),
                });
            }
            for (si, s) in spans[ai].iter().enumerate() {
                let text = &a.text[s.start..s.end];
                out.sentences.push(SentenceRow {
                    article_id: a.article_id.clone(),
                    sentence_index: si as u32,
                    paragraph: s.paragraph,
                    start: s.start as u64,
                    end: s.end as u64,
                    text: text.to_string(),
                });
                for (ei, e) in per_article_entities[ai][si].iter().enumerate() {
                    let actor = att.entity_actor[si][ei].map(|k| &att.actors[k]);
                    out.entities.push(EntityRow {
                        article_id: a.article_id.clone(),
                        sentence_index: si as u32,
                        entity_index: ei as u32,
                        label: e.label.clone(),
                        start: (s.start + e.start) as u64,
                        end: (s.start + e.end) as u64,
                        text: e.text.clone(),
                        score: e.score,
                        canonical: actor.map(|x| x.name.clone()),
                        actor_id: actor.map(|x| x.actor_id.clone()),
                        ner_model: ner_model.clone(),
                    });
                }
                let second = att.second_clauses[si].as_ref();
                for (ci, clause) in clauses_of(second, text.len()).into_iter().enumerate() {
                    let unit = next_unit;
                    next_unit += 1;
                    let holder = match (ci, second) {
                        (1, Some(c)) => Some(&c.holder),
                        _ => att.holders[si].as_ref(),
                    };
                    let actor = holder.map(|h| &att.actors[h.actor]);
                    // An acting holder's act on a law phrase of this clause.
                    let act = holder
                        .filter(|h| h.kind == attribution::HolderKind::Actor)
                        .and_then(|h| h.mention)
                        .filter(|&(ms, _)| ms >= clause.start)
                        .and_then(|(_, me)| {
                            laws::act_on_law(text, me, clause.end, &law_phrases[ai][si])
                        });
                    for (ti, target) in config.targets.iter().enumerate() {
                        let sentence_probs = probs[ti][unit];
                        let law = act.as_ref().and_then(|act| {
                            let (ls, li) = laws::law_stance(&law_probs[ti][ai], si, act.law)?;
                            Some((act, ls, li))
                        });
                        let p = match law {
                            Some((act, ls, li)) => {
                                laws::compose(law_probs[ti][ai][ls][li], act.polarity)
                            }
                            None => sentence_probs,
                        };
                        let law_span = law.map(|(_, ls, li)| {
                            let l = law_phrases[ai][ls][li];
                            let base = spans[ai][ls].start;
                            (base + l.start, base + l.end)
                        });
                        out.stances.push(StanceRow {
                            article_id: a.article_id.clone(),
                            sentence_index: si as u32,
                            clause_index: ci as u32,
                            clause_start: (s.start + clause.start) as u64,
                            clause_end: (s.start + clause.end) as u64,
                            target_id: target.id.clone(),
                            favor: p.favor,
                            against: p.against,
                            none: p.none,
                            score: p.score(),
                            label: p.label().as_str().to_string(),
                            basis: if law.is_some() {
                                "act_on_law"
                            } else {
                                "sentence"
                            }
                            .into(),
                            sentence_score: sentence_probs.score(),
                            act: law.map(|(act, _, _)| act.words.clone()),
                            law_text: law_span.map(|(ls, le)| a.text[ls..le].to_string()),
                            law_start: law_span.map(|(ls, _)| ls as u64),
                            law_end: law_span.map(|(_, le)| le as u64),
                            holder: actor.map(|x| x.name.clone()),
                            holder_actor_id: actor.map(|x| x.actor_id.clone()),
                            holder_type: actor.map(|x| x.entity_type.clone()),
                            holder_kind: holder.map(|h| h.kind.as_str().to_string()),
                            holder_resolution: holder
                                .map(|h| format!("{:?}", h.resolution).to_lowercase()),
                            holder_mention: holder
                                .and_then(|h| h.mention)
                                .map(|(ms, me)| text[ms..me].to_string()),
                            holder_start: holder
                                .and_then(|h| h.mention)
                                .map(|(ms, _)| (s.start + ms) as u64),
                            holder_end: holder
                                .and_then(|h| h.mention)
                                .map(|(_, me)| (s.start + me) as u64),
                            role: actor.and_then(|x| x.role.clone()),
                            place: actor.and_then(|x| x.place.clone()),
                            level: actor.and_then(|x| x.level.clone()),
                            holder_former: actor.map(|x| x.former),
                            published: published.clone(),
                            period: periods.clone(),
                            stance_model: match (&law, &law_reader_ids[ti]) {
                                (Some(_), Some(reader)) => reader.clone(),
                                _ => stance_model_ids[ti].clone(),
                            },
                            ner_model: ner_model.clone(),
                        });
                    }
                }
            }
            out
        })
        .collect();
    let mut all = Processed::default();
    for p in parts {
        all.articles.extend(p.articles);
        all.sentences.extend(p.sentences);
        all.entities.extend(p.entities);
        all.stances.extend(p.stances);
        all.actors.extend(p.actors);
    }
    timings.rows = clock.elapsed().as_secs_f64();
    timings.ner_pieces = models.ner.pieces_seen() - ner_pieces_before;
    timings.stance_pieces = models.stance_pieces() - stance_pieces_before;
    all.timings = timings;
    Ok(all)
}

/// `--shard i/N`: this copy handles the articles whose id hashes to `i` modulo `N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let (i, n) = s.split_once('/').ok_or("expected i/N, e.g. 0/3")?;
        let index: u32 = i
            .trim()
            .parse()
            .map_err(|_| "shard index must be a number")?;
        let count: u32 = n
            .trim()
            .parse()
            .map_err(|_| "shard count must be a number")?;
        if count == 0 || index >= count {
            return Err(format!("need 0 <= i < N, got {index}/{count}"));
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    pub fn owns(&self, article_id: &str) -> bool {
        let h = u64::from_str_radix(article_id.get(..8).unwrap_or("0"), 16).unwrap_or(0);
        (h % self.count as u64) as u32 == self.index
    }
}

/// What the first pass over the input keeps of each article.
struct ArticleKey {
    article_id: String,
    url: Option<String>,
    source_id: Option<String>,
}

pub struct RunOptions {
    pub inputs: Vec<PathBuf>,
    pub output: PathBuf,
    pub period: Period,
    pub shard: Option<Shard>,
    /// Articles per chunk (each chunk: one set of part files; bounds memory).
    pub chunk_size: usize,
    /// Rebuild aggregates after the batch (sharded runs leave it to `stancewatch aggregate`).
    pub aggregate: bool,
}

pub struct RunReport {
    pub timings: StageTimings,
    pub batch: Option<BatchRecord>,
    pub rejects: Vec<Reject>,
    pub n_input_articles: usize,
    pub n_already_known: usize,
    pub aggregates: Option<Aggregates>,
}

/// The main job (see the module docs). Models are loaded by the caller so that errors in
/// the config or the model directories surface before any input is read.
pub fn run(options: &RunOptions, config: &PipelineConfig, models: &Models) -> Result<RunReport> {
    let started_at = chrono::Utc::now().to_rfc3339();
    let mut store = Store::open(&options.output)?;
    // Pass 1 streams the input and keeps only ids, keys and rejects: which articles are new
    // decides the batch id, which names every file the batch writes. Pass 2 streams the
    // input again and processes the new articles chunk by chunk, so no more than one
    // chunk's text is held at a time, however large the input.
    let known = store.known_articles()?;
    let mut scanned: Vec<ArticleKey> = Vec::new();
    let mut ingest_rejects: Vec<Reject> = Vec::new();
    let files = ingest::stream_inputs(&options.inputs, &config.ingest, |c| -> Result<()> {
        match c {
            Ok(a) => scanned.push(ArticleKey {
                article_id: a.article_id,
                url: a.url,
                source_id: a.source_id,
            }),
            Err(r) => ingest_rejects.push(r),
        }
        Ok(())
    })?;
    fault_point("after_ingest");
    let n_input_articles = scanned.len();
    let mut new_versions = Vec::new();
    let mut fresh: Vec<String> = Vec::new();
    let mut n_known = 0;
    // Same URL or source id with other text within this batch: a new version too.
    let mut in_batch: std::collections::HashMap<String, String> = Default::default();
    for a in scanned {
        if known.ids.contains(&a.article_id) {
            n_known += 1;
            continue;
        }
        if options.shard.is_some_and(|s| !s.owns(&a.article_id)) {
            continue;
        }
        let earlier = a
            .url
            .as_ref()
            .and_then(|u| known.by_url.get(u))
            .or_else(|| a.source_id.as_ref().and_then(|s| known.by_source_id.get(s)));
        let earlier = earlier.cloned().or_else(|| {
            [a.url.as_ref(), a.source_id.as_ref()]
                .into_iter()
                .flatten()
                .find_map(|k| in_batch.get(k).cloned())
        });
        if let Some(old) = earlier {
            new_versions.push(format!("{} supersedes {}", a.article_id, old));
        }
        for k in [a.url.as_ref(), a.source_id.as_ref()].into_iter().flatten() {
            in_batch.insert(k.clone(), a.article_id.clone());
        }
        fresh.push(a.article_id);
    }
    let known_rejects = store.known_rejects()?;
    let mut rejects: Vec<Reject> = ingest_rejects
        .into_iter()
        .filter(|r| {
            !known_rejects.contains(&(r.input_file.clone(), r.input_line, r.reason.clone()))
        })
        .collect();
    if let Some(shard) = options.shard {
        rejects
            .retain(|r| shard.index == 0 || r.article_id.as_ref().is_some_and(|id| shard.owns(id)));
    }

    let mut batch = None;
    let mut timings = StageTimings::default();
    if !fresh.is_empty() || !rejects.is_empty() {
        let batch_id = batch_id(&fresh, &rejects, config, options.shard);
        store.discard_uncommitted(&batch_id)?;
        let mut parts = Vec::new();
        let (mut n_sentences, mut n_entities, mut n_stances) = (0, 0, 0);
        let mut wanted: std::collections::HashSet<&str> =
            fresh.iter().map(String::as_str).collect();
        let mut chunk: Vec<Article> = Vec::new();
        let mut chunk_no = 0;
        let chunk_size = options.chunk_size.max(1);
        let mut flush = |chunk: &mut Vec<Article>| -> Result<()> {
            if chunk.is_empty() {
                return Ok(());
            }
            let processed = process(chunk, models, config, &batch_id)?;
            timings.add(&processed.timings);
            let clock = std::time::Instant::now();
            n_sentences += processed.sentences.len();
            n_entities += processed.entities.len();
            n_stances += processed.stances.len();
            for part in write_chunk(&store, &batch_id, chunk_no, &processed)? {
                parts.push(part);
                fault_point(&format!("after_part_{}", parts.len()));
            }
            timings.write += clock.elapsed().as_secs_f64();
            chunk_no += 1;
            chunk.clear();
            Ok(())
        };
        if !fresh.is_empty() {
            ingest::stream_inputs(&options.inputs, &config.ingest, |c| -> Result<()> {
                if let Ok(a) = c {
                    if wanted.remove(a.article_id.as_str()) {
                        chunk.push(a);
                        if chunk.len() == chunk_size {
                            flush(&mut chunk)?;
                        }
                    }
                }
                Ok(())
            })?;
            flush(&mut chunk)?;
        }
        if !wanted.is_empty() {
            return Err(Error::Usage(format!(
                "the input changed while it was being read: {} new articles seen in the first \
                 pass are gone in the second; nothing was committed, run again",
                wanted.len()
            )));
        }
        if !rejects.is_empty() {
            let mut df = tables::rejects_frame(&rejects, &batch_id)?;
            parts.push(store.write_part("rejects", None, &format!("part-{batch_id}"), &mut df)?);
        }
        let record = BatchRecord {
            batch_id,
            started_at,
            finished_at: chrono::Utc::now().to_rfc3339(),
            inputs: files.iter().map(|f| f.display().to_string()).collect(),
            shard: options.shard.map(|s| format!("{}/{}", s.index, s.count)),
            n_input_articles,
            n_new_articles: fresh.len(),
            n_already_known: n_known,
            n_rejects: rejects.len(),
            n_sentences,
            n_entities,
            n_stances,
            ner_model: models.ner.model_id.clone(),
            stance_model: models.stance_model_ids(),
            config_fingerprint: config.fingerprint(),
            parts,
            new_versions,
        };
        fault_point("before_commit");
        store.commit(record.clone())?;
        fault_point("after_commit");
        batch = Some(record);
    }
    let clock = std::time::Instant::now();
    let aggregates = if options.aggregate {
        rebuild_aggregates(&store, options.period)?
    } else {
        None
    };
    timings.aggregate = clock.elapsed().as_secs_f64();
    Ok(RunReport {
        timings,
        batch,
        rejects,
        n_input_articles,
        n_already_known: n_known,
        aggregates,
    })
}

/// Crash-test hook: when STANCEWATCH_FAULT names this point, the process aborts here at
/// once (no unwinding, no cleanup — as a SIGKILL would leave it). Used by the crash-safety
/// tests; a no-op otherwise.
pub fn fault_point(name: &str) {
    if std::env::var("STANCEWATCH_FAULT").is_ok_and(|f| f == name) {
        eprintln!("STANCEWATCH_FAULT: aborting at {name}");
        std::process::abort();
    }
}

/// A batch id derived from its content, so a re-run after a crash writes the same names.
fn batch_id(
    fresh_ids: &[String],
    rejects: &[Reject],
    config: &PipelineConfig,
    shard: Option<Shard>,
) -> String {
    let mut h = Sha256::new();
    for id in fresh_ids {
        h.update(id.as_bytes());
    }
    for r in rejects {
        h.update(r.input_file.as_bytes());
        h.update(r.input_line.unwrap_or(0).to_le_bytes());
    }
    h.update(config.fingerprint().as_bytes());
    if let Some(s) = shard {
        h.update(format!("{}/{}", s.index, s.count).as_bytes());
    }
    format!("b{}", hex::encode(&h.finalize()[..6]))
}

fn write_chunk(
    store: &Store,
    batch_id: &str,
    chunk_no: usize,
    p: &Processed,
) -> Result<Vec<String>> {
    use std::collections::BTreeMap;
    let year_of: BTreeMap<&str, String> = p
        .articles
        .iter()
        .map(|a| {
            (
                a.article_id.as_str(),
                store::year_partition(a.published.as_deref()),
            )
        })
        .collect();
    let years: std::collections::BTreeSet<&String> = year_of.values().collect();
    let name = format!("part-{batch_id}-{chunk_no:05}");
    let mut parts = Vec::new();
    for year in years {
        let keep = |id: &str| year_of.get(id) == Some(year);
        let arts: Vec<ArticleRow> = p
            .articles
            .iter()
            .filter(|r| keep(&r.article_id))
            .cloned()
            .collect();
        let sents: Vec<SentenceRow> = p
            .sentences
            .iter()
            .filter(|r| keep(&r.article_id))
            .cloned()
            .collect();
        let ents: Vec<EntityRow> = p
            .entities
            .iter()
            .filter(|r| keep(&r.article_id))
            .cloned()
            .collect();
        let stances: Vec<StanceRow> = p
            .stances
            .iter()
            .filter(|r| keep(&r.article_id))
            .cloned()
            .collect();
        let actors: Vec<ActorRow> = p
            .actors
            .iter()
            .filter(|r| keep(&r.article_id))
            .cloned()
            .collect();
        parts.push(store.write_part(
            "articles",
            Some(year),
            &name,
            &mut tables::articles_frame(&arts)?,
        )?);
        parts.push(store.write_part(
            "sentences",
            Some(year),
            &name,
            &mut tables::sentences_frame(&sents)?,
        )?);
        parts.push(store.write_part(
            "entities",
            Some(year),
            &name,
            &mut tables::entities_frame(&ents)?,
        )?);
        parts.push(store.write_part(
            "stances",
            Some(year),
            &name,
            &mut tables::stances_frame(&stances)?,
        )?);
        parts.push(store.write_part(
            "actors",
            Some(year),
            &name,
            &mut tables::actors_frame(&actors)?,
        )?);
    }
    Ok(parts)
}

/// Rebuilds every aggregate table from all committed stance facts.
pub fn rebuild_aggregates(store: &Store, period: Period) -> Result<Option<Aggregates>> {
    let Some(stances) = store.read_table("stances")? else {
        return Ok(None);
    };
    let mut agg = aggregate::aggregate(&stances, period)?;
    store.write_aggregate("article_actor_stances", &mut agg.article_actor_stances)?;
    store.write_aggregate("actor_stances", &mut agg.actor_stances)?;
    store.write_aggregate("actor_period_stances", &mut agg.actor_period_stances)?;
    store.write_aggregate("place_stances", &mut agg.place_stances)?;
    Ok(Some(agg))
}
