//! Stage 3: named-entity recognition with a BERT token classifier run through rust-bert.
//!
//! Contract: `NerModel::predict(&[sentence])` returns, per sentence, entity spans (PER, ORG,
//! LOC, MISC) with byte offsets into that sentence, the surface text and a score (mean
//! probability of the predicted tags). Words are cut the way CoNLL-2003 cuts them
//! (see [`words`]), each word is split into word pieces, and the label of a word is the
//! label of its first piece, as in training. Sentences longer than the window are read in
//! overlapping windows, and each word takes its label from the window in which it sits
//! furthest from an edge, so nothing is truncated. Inputs are length-sorted into batches.
//!
//! The shipped model is uncased; it gets capitalisation as token type ids (word shape:
//! lower / Title / ALLCAPS / mixed) when its config says `stancewatch_casing_type_ids`.

use std::path::Path;

use rust_bert::bert::BertForTokenClassification;
use rust_tokenizers::tokenizer::{BertTokenizer, Tokenizer};
use rust_tokenizers::vocab::Vocab;
use serde::{Deserialize, Serialize};
use tch::nn::VarStore;
use tch::Kind;

use crate::config::WindowedModelConfig;
use crate::error::{Error, Result};
use crate::models::{length_sorted_batches, load_weights, new_var_store, Encoded, ModelDir};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntitySpan {
    /// PER, ORG, LOC or MISC (whatever the model's labels name).
    pub label: String,
    /// Byte offsets into the sentence.
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub score: f32,
}

#[cfg(test)]
impl EntitySpan {
    /// A test span over the first `text` in `sentence` at or after byte `from`.
    pub(crate) fn found_in(sentence: &str, text: &str, label: &str, from: usize) -> Self {
        let start = from + sentence[from..].find(text).expect("text in sentence");
        EntitySpan {
            label: label.into(),
            start,
            end: start + text.len(),
            text: text.into(),
            score: 0.9,
        }
    }
}

pub struct NerModel {
    /// Word pieces fed to the model so far (for throughput reports).
    pieces: std::sync::atomic::AtomicU64,
    bert: BertForTokenClassification,
    _vs: VarStore,
    tokenizer: BertTokenizer,
    labels: Vec<String>,
    casing: bool,
    settings: WindowedModelConfig,
    cls: i64,
    sep: i64,
    unk: i64,
    pub model_id: String,
}

/// A word's tag: label index and its probability.
pub type WordTag = (usize, f32);

impl NerModel {
    /// Word pieces (including special tokens) run through the model so far.
    pub fn pieces_seen(&self) -> u64 {
        self.pieces.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn new(dir: &Path, settings: &WindowedModelConfig) -> Result<Self> {
        let mut model = ModelDir::open(dir)?;
        let labels = model.labels();
        if !labels.iter().any(|l| l == "O") || !labels.iter().any(|l| l.starts_with("B-")) {
            return Err(Error::Model {
                dir: dir.to_path_buf(),
                message: format!("id2label is not a BIO tag set: {labels:?}"),
            });
        }
        let mut vs = new_var_store();
        let bert = BertForTokenClassification::new(vs.root(), &model.config).map_err(|e| {
            Error::Model {
                dir: dir.to_path_buf(),
                message: e.to_string(),
            }
        })?;
        load_weights(&mut vs, &mut model, settings.precision)?;
        let casing = model.flag("stancewatch_casing_type_ids");
        if casing && model.config.type_vocab_size < 4 {
            return Err(Error::Model {
                dir: dir.to_path_buf(),
                message: "stancewatch_casing_type_ids needs type_vocab_size >= 4".into(),
            });
        }
        let vocab = model.tokenizer.vocab();
        let (cls, sep, unk) = (
            vocab.token_to_id(vocab.get_cls_value()),
            vocab.token_to_id(vocab.get_sep_value()),
            vocab.token_to_id(vocab.get_unknown_value()),
        );
        let max_window = model.config.max_position_embeddings as usize;
        Ok(NerModel {
            pieces: Default::default(),
            bert,
            _vs: vs,
            labels,
            casing,
            settings: WindowedModelConfig {
                window: settings.window.min(max_window),
                ..settings.clone()
            },
            cls,
            sep,
            unk,
            model_id: model.model_id,
            tokenizer: model.tokenizer,
        })
    }

    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Entity spans per sentence (see the module contract).
    pub fn predict<S: AsRef<str>>(&self, sentences: &[S]) -> Result<Vec<Vec<EntitySpan>>> {
        let word_spans: Vec<Vec<(usize, usize)>> =
            sentences.iter().map(|s| words(s.as_ref())).collect();
        let word_texts: Vec<Vec<&str>> = sentences
            .iter()
            .zip(&word_spans)
            .map(|(s, spans)| spans.iter().map(|&(a, b)| &s.as_ref()[a..b]).collect())
            .collect();
        let tags = self.tag_words(&word_texts)?;
        Ok(sentences
            .iter()
            .zip(word_spans.iter().zip(&tags))
            .map(|(s, (spans, tags))| self.spans(s.as_ref(), spans, tags))
            .collect())
    }

    /// BIO tag names per word, for evaluation on pre-tokenised data (CoNLL).
    pub fn tag_names<S: AsRef<str>>(&self, sentences: &[Vec<S>]) -> Result<Vec<Vec<String>>> {
        let tags = self.tag_words(sentences)?;
        Ok(tags
            .into_iter()
            .map(|t| t.into_iter().map(|(l, _)| self.labels[l].clone()).collect())
            .collect())
    }

    /// Label index and probability per word, BIO-repaired (an I- tag that does not
    /// continue an entity of its type becomes B-).
    pub fn tag_words<S: AsRef<str>>(&self, sentences: &[Vec<S>]) -> Result<Vec<Vec<WordTag>>> {
        let content = self.settings.window - 2;
        let mut jobs: Vec<Encoded> = Vec::new();
        // Per sentence: (first job index, per word (piece index of its first piece)).
        let mut plans: Vec<(usize, Vec<usize>, usize)> = Vec::with_capacity(sentences.len());
        for words in sentences {
            let mut ids = Vec::new();
            let mut types = Vec::new();
            let mut first_piece = Vec::with_capacity(words.len());
            for w in words {
                let w = w.as_ref();
                let mut pieces = self
                    .tokenizer
                    .convert_tokens_to_ids(&self.tokenizer.tokenize(w));
                if pieces.is_empty() {
                    pieces.push(self.unk);
                }
                first_piece.push(ids.len());
                let t = if self.casing { casing_type(w) } else { 0 };
                types.extend(std::iter::repeat_n(t, pieces.len()));
                ids.extend(pieces);
            }
            let first_job = jobs.len();
            for start in window_starts(ids.len(), content, self.settings.stride) {
                let end = (start + content).min(ids.len());
                let mut job_ids = Vec::with_capacity(end - start + 2);
                job_ids.push(self.cls);
                job_ids.extend_from_slice(&ids[start..end]);
                job_ids.push(self.sep);
                let mut job_types = vec![0];
                job_types.extend_from_slice(&types[start..end]);
                job_types.push(0);
                jobs.push(Encoded {
                    ids: job_ids,
                    types: job_types,
                });
            }
            plans.push((first_job, first_piece, ids.len()));
        }

        // Probabilities per job and piece position (without the [CLS] offset).
        let mut job_probs: Vec<Vec<Vec<f32>>> = vec![Vec::new(); jobs.len()];
        let fed: usize = jobs.iter().map(|j| j.ids.len()).sum();
        self.pieces
            .fetch_add(fed as u64, std::sync::atomic::Ordering::Relaxed);
        for batch in length_sorted_batches(&jobs, self.settings.batch_size) {
            let logits = tch::no_grad(|| {
                self.bert
                    .forward_t(
                        Some(&batch.ids),
                        Some(&batch.mask),
                        Some(&batch.types),
                        None,
                        None,
                        false,
                    )
                    .logits
            });
            let probs = logits.softmax(-1, Kind::Float);
            for (row, &job) in batch.members.iter().enumerate() {
                let len = jobs[job].ids.len() as i64;
                let rows = probs.get(row as i64).narrow(0, 1, len - 2);
                job_probs[job] = Vec::<Vec<f32>>::try_from(&rows)?;
            }
        }

        let mut out = Vec::with_capacity(sentences.len());
        for (first_job, first_piece, n_pieces) in plans {
            let starts = window_starts(n_pieces, content, self.settings.stride);
            let mut tags = Vec::with_capacity(first_piece.len());
            let mut prev = "O".to_string();
            for &p in &first_piece {
                // The window in which this piece is furthest from an edge.
                let (w, start) = starts
                    .iter()
                    .enumerate()
                    .filter(|(_, &s)| p >= s && p < s + content)
                    .max_by_key(|(_, &s)| {
                        let end = (s + content).min(n_pieces);
                        (p - s).min(end - 1 - p)
                    })
                    .map(|(w, &s)| (w, s))
                    .expect("every piece lies in a window");
                let row = &job_probs[first_job + w][p - start];
                let (mut best, mut prob) = (0usize, f32::MIN);
                for (i, &v) in row.iter().enumerate() {
                    if v > prob {
                        best = i;
                        prob = v;
                    }
                }
                let name = &self.labels[best];
                if let Some(kind) = name.strip_prefix("I-") {
                    if prev == "O" || &prev[2..] != kind {
                        if let Some(b) = self.labels.iter().position(|l| l == &format!("B-{kind}"))
                        {
                            best = b;
                        }
                    }
                }
                prev = self.labels[best].clone();
                tags.push((best, prob));
            }
            out.push(tags);
        }
        Ok(out)
    }

    fn spans(&self, sentence: &str, words: &[(usize, usize)], tags: &[WordTag]) -> Vec<EntitySpan> {
        let mut out = Vec::new();
        let mut current: Option<(String, usize, usize, f32, usize)> = None;
        let flush = |cur: Option<(String, usize, usize, f32, usize)>, out: &mut Vec<EntitySpan>| {
            if let Some((label, start, end, sum, n)) = cur {
                out.push(EntitySpan {
                    text: sentence[start..end].to_string(),
                    label,
                    start,
                    end,
                    score: sum / n as f32,
                });
            }
        };
        for (&(ws, we), &(tag, prob)) in words.iter().zip(tags) {
            let name = &self.labels[tag];
            if let Some(kind) = name.strip_prefix("I-") {
                if let Some(cur) = current.as_mut() {
                    if cur.0 == kind {
                        cur.2 = we;
                        cur.3 += prob;
                        cur.4 += 1;
                        continue;
                    }
                }
            }
            flush(current.take(), &mut out);
            if let Some(kind) = name.strip_prefix("B-").or_else(|| name.strip_prefix("I-")) {
                current = Some((kind.to_string(), ws, we, prob, 1));
            }
        }
        flush(current.take(), &mut out);
        out
    }
}

/// Start offsets of overlapping windows of `content` pieces over `n` pieces, consecutive
/// windows sharing `stride` pieces. One window (at 0) when everything fits.
pub fn window_starts(n: usize, content: usize, stride: usize) -> Vec<usize> {
    if n <= content {
        return vec![0];
    }
    let step = content - stride;
    let mut starts = Vec::new();
    let mut s = 0;
    loop {
        starts.push(s);
        if s + content >= n {
            break;
        }
        s = (s + step).min(n - content);
    }
    starts
}

/// Word shape as a token type: 0 no upper-case letter, 1 Title, 2 ALL CAPS (2+ letters),
/// 3 mixed. Must match `casing_type` in models/train/train_ner.py.
pub fn casing_type(word: &str) -> i64 {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    let uppers = letters.iter().filter(|c| c.is_uppercase()).count();
    if uppers == 0 {
        return 0;
    }
    if uppers == letters.len() {
        return if letters.len() > 1 { 2 } else { 1 };
    }
    if uppers == 1 && letters[0].is_uppercase() {
        return 1;
    }
    3
}

const KEEP_PERIOD: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gov", "sen", "rep", "lt", "gen", "col", "sgt",
    "capt", "inc", "corp", "co", "ltd", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "ave", "no", "vs", "prof", "rev", "ft", "mt", "atty", "supt",
    "u.s", "d.c",
];

/// Words the way CoNLL-2003 cuts them, as byte spans: white space separates words;
/// leading punctuation, trailing punctuation and a possessive 's are words of their own;
/// a final period stays on abbreviations ("U.S.", "Mr.", "E.").
pub fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut chunk_start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let is_break = c.is_whitespace() || matches!(c, '—' | '–');
        match (chunk_start, is_break) {
            (None, false) => chunk_start = Some(i),
            (Some(s), true) => {
                split_chunk(text, s, i, &mut out);
                chunk_start = None;
            }
            _ => {}
        }
        if matches!(c, '—' | '–') {
            out.push((i, i + c.len_utf8()));
        }
    }
    out
}

fn split_chunk(text: &str, mut start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    // Leading punctuation, one character at a time.
    while start < end {
        let c = text[start..end].chars().next().expect("non-empty");
        if c.is_alphanumeric() || c == '$' || c == '#' {
            break;
        }
        out.push((start, start + c.len_utf8()));
        start += c.len_utf8();
    }
    let mut tail = Vec::new();
    let mut stop = end;
    while stop > start {
        let word = &text[start..stop];
        let lower = word.to_lowercase();
        if (lower.ends_with("'s") || lower.ends_with("’s")) && word.chars().count() > 2 {
            let cut = stop
                - if lower.ends_with("'s") {
                    2
                } else {
                    "’s".len()
                };
            tail.push((cut, stop));
            stop = cut;
            continue;
        }
        let c = word.chars().last().expect("non-empty");
        if c == '.' {
            let stem = &word[..word.len() - 1];
            let stem_lower = stem.to_lowercase();
            let abbreviation = stem.contains('.')
                || (stem.chars().count() == 1 && stem.chars().all(char::is_alphabetic))
                || KEEP_PERIOD.contains(&stem_lower.as_str());
            if abbreviation || stem.is_empty() {
                break;
            }
            tail.push((stop - 1, stop));
            stop -= 1;
            continue;
        }
        if c.is_alphanumeric() || c == '%' {
            break;
        }
        tail.push((stop - c.len_utf8(), stop));
        stop -= c.len_utf8();
    }
    if stop > start {
        out.push((start, stop));
    }
    out.extend(tail.into_iter().rev());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(text: &str) -> Vec<&str> {
        words(text).iter().map(|&(a, b)| &text[a..b]).collect()
    }

    #[test]
    fn words_follow_conll_tokenisation() {
        assert_eq!(
            cut("“We’re safe,” O’Connor told TribLive (ICE) in the U.S. on Friday."),
            vec![
                "“",
                "We’re",
                "safe",
                ",",
                "”",
                "O’Connor",
                "told",
                "TribLive",
                "(",
                "ICE",
                ")",
                "in",
                "the",
                "U.S.",
                "on",
                "Friday",
                "."
            ]
        );
        assert_eq!(
            cut("Trump's plan—Mr. Smith's"),
            vec!["Trump", "'s", "plan", "—", "Mr.", "Smith", "'s"]
        );
        assert_eq!(cut("Jonas E. Smith"), vec!["Jonas", "E.", "Smith"]);
    }

    /// Randomised texts: word spans are ordered, disjoint, non-empty char-boundary slices
    /// with no white space in them, covering every non-space character.
    #[test]
    fn random_texts_cut_into_words_without_losing_characters() {
        let alphabet: Vec<char> = "ab Z.,'’s\"“”()—–-$%7 ÄЖ😀\n".chars().collect();
        let mut rng = stancewatch_text::random::XorShift::new(0xD1B5_4A32_D192_ED03);
        for _ in 0..3000 {
            let text: String = (0..rng.below(60)).map(|_| *rng.pick(&alphabet)).collect();
            let spans = words(&text);
            let mut last = 0;
            for &(a, b) in &spans {
                assert!(
                    a >= last && a < b && text.is_char_boundary(a) && text.is_char_boundary(b),
                    "{text:?} {spans:?}"
                );
                assert!(!text[a..b].chars().any(char::is_whitespace), "{text:?}");
                last = b;
            }
            let covered: usize = spans.iter().map(|&(a, b)| text[a..b].chars().count()).sum();
            assert_eq!(
                covered,
                text.chars().filter(|c| !c.is_whitespace()).count(),
                "{text:?} {spans:?}"
            );
        }
    }

    #[test]
    fn casing_types_match_the_training_recipe() {
        assert_eq!(casing_type("ice"), 0);
        assert_eq!(casing_type("Pittsburgh"), 1);
        assert_eq!(casing_type("I"), 1);
        assert_eq!(casing_type("ICE"), 2);
        assert_eq!(casing_type("U.S."), 2);
        assert_eq!(casing_type("O’Connor"), 3);
        assert_eq!(casing_type("1979"), 0);
    }

    #[test]
    fn windows_cover_everything_with_overlap() {
        assert_eq!(window_starts(10, 254, 64), vec![0]);
        let s = window_starts(600, 254, 64);
        assert_eq!(s, vec![0, 190, 346]);
        assert!(s.last().unwrap() + 254 >= 600);
    }
}
