//! Stage 1: ingest. Reads JSONL files (one article per line) and folders of `.txt` files
//! into [`Article`] records; every line or file that cannot become an article becomes a
//! [`Reject`] naming the file, the line and the reason, and nothing else is lost.
//!
//! Contract: article text is normalised (CRLF -> LF, control characters other than newline
//! and tab removed, Unicode NFC) and every downstream byte offset refers to that normalised
//! text, which is stored in the `articles` table. `article_id` is a hash of the normalised
//! text, so the same text always gets the same id, and a batch never holds two articles
//! with the same id (later copies are rejected as duplicates).
//!
//! Dates: the `published` field, else a date stated near the top of the text (a dateline),
//! else the input file's modification time; `date_source` records which.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use once_cell::sync::Lazy;
use regex::Regex;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Result};

/// What to do with an article whose language is detected as not English.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum NonEnglishPolicy {
    /// Reject it (a row in the rejects table).
    Skip,
    /// Keep it and run it; its `language` column says what it is.
    Flag,
    /// Keep it silently (same as `flag`; kept for configs that say so).
    Keep,
}

/// The `[ingest]` section of the pipeline config.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct IngestConfig {
    pub non_english: NonEnglishPolicy,
    pub max_article_bytes: usize,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            non_english: NonEnglishPolicy::Skip,
            max_article_bytes: 2_000_000,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Article {
    /// Content hash of the normalised text (16 hex digits of SHA-256).
    pub article_id: String,
    /// The `id` given in the input (JSONL field, or the file stem of a `.txt`).
    pub source_id: Option<String>,
    pub title: Option<String>,
    pub text: String,
    pub published: Option<NaiveDate>,
    /// Where `published` came from: `field`, `text` (a dateline), `file` (modification time) or `none`.
    pub date_source: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub input_file: String,
    /// 1-based line number for JSONL input.
    pub input_line: Option<u64>,
    /// ISO 639-3 code of the detected language (`und` when too short to tell).
    pub language: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Reject {
    pub input_file: String,
    pub input_line: Option<u64>,
    pub source_id: Option<String>,
    pub article_id: Option<String>,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct IngestOutput {
    pub articles: Vec<Article>,
    pub rejects: Vec<Reject>,
    /// Input files read, in order.
    pub files: Vec<PathBuf>,
}

/// Reads every path (JSONL file, `.txt` file, or a folder of them, recursively) into
/// memory: [`stream_inputs`], collected.
pub fn read_inputs(paths: &[PathBuf], config: &IngestConfig) -> Result<IngestOutput> {
    let mut out = IngestOutput::default();
    out.files = stream_inputs(paths, config, |candidate| -> Result<()> {
        match candidate {
            Ok(a) => out.articles.push(a),
            Err(r) => out.rejects.push(r),
        }
        Ok(())
    })?;
    Ok(out)
}

/// Calls `each` with every candidate of every input path (JSONL files, `.txt` files, or
/// folders of them, recursively), files in sorted order and lines in file order. JSONL is
/// read line by line, so memory is bounded by the longest line, not the file; a line or
/// `.txt` file far over `max_article_bytes` is rejected without being held. An article with
/// the same text (id) as an earlier one in this call comes out as a `duplicate` reject.
/// Returns the files read. Only a path that cannot be read is an error; `each`'s own
/// error stops the stream and is returned.
pub fn stream_inputs<E: From<Error>>(
    paths: &[PathBuf],
    config: &IngestConfig,
    mut each: impl FnMut(Candidate) -> std::result::Result<(), E>,
) -> std::result::Result<Vec<PathBuf>, E> {
    let mut files = Vec::new();
    for p in paths {
        collect_files(p, &mut files)?;
    }
    files.sort();
    // First origin of every article id seen, for the duplicate rejects.
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut emit = |candidate: Candidate, mtime: Option<NaiveDate>| {
        let article = match candidate.and_then(|a| check_article(a, config)) {
            Ok(a) => a,
            Err(r) => return each(Err(r)),
        };
        let mut article = article;
        // Last resort for a date: the file's modification time.
        if article.published.is_none() && mtime.is_some() {
            article.published = mtime;
            article.date_source = "file".into();
        }
        if let Some(first) = seen.get(&article.article_id) {
            let reason = format!("duplicate: same text as {first}");
            return each(Err(Reject {
                input_file: article.input_file,
                input_line: article.input_line,
                source_id: article.source_id,
                article_id: Some(article.article_id),
                reason,
            }));
        }
        seen.insert(
            article.article_id.clone(),
            origin(&article.input_file, article.input_line),
        );
        each(Ok(article))
    };
    // Escaped JSON can be several times longer than the text it holds.
    let line_cap = config
        .max_article_bytes
        .saturating_mul(6)
        .saturating_add(1 << 16);
    for file in &files {
        let meta = std::fs::metadata(file).map_err(|e| Error::read(file, e))?;
        let mtime = meta
            .modified()
            .ok()
            .map(|t| chrono::DateTime::<chrono::Utc>::from(t).date_naive());
        if is_jsonl(file) {
            let handle = std::fs::File::open(file).map_err(|e| Error::read(file, e))?;
            let mut reader = std::io::BufReader::with_capacity(1 << 20, handle);
            let mut line = Vec::new();
            let mut line_no = 0u64;
            while let Some(overflowed) = read_line_capped(&mut reader, &mut line, line_cap)
                .map_err(|e| Error::read(file, e))?
            {
                line_no += 1;
                let candidate = if overflowed {
                    Some(Err(reject(
                        file,
                        Some(line_no),
                        None,
                        format!("line is over {line_cap} bytes (ingest.max_article_bytes = {}); not read", config.max_article_bytes),
                    )))
                } else {
                    jsonl_line(file, line_no, &line)
                };
                if let Some(c) = candidate {
                    emit(c, mtime)?;
                }
            }
        } else if meta.len() > line_cap as u64 {
            let source_id = file.file_stem().map(|s| s.to_string_lossy().into_owned());
            emit(
                Err(reject(
                    file,
                    None,
                    source_id,
                    format!(
                        "file is {} bytes, over ingest.max_article_bytes = {}; not read",
                        meta.len(),
                        config.max_article_bytes
                    ),
                )),
                mtime,
            )?;
        } else {
            let raw = std::fs::read(file).map_err(|e| Error::read(file, e))?;
            emit(parse_txt(file, &raw), mtime)?;
        }
    }
    Ok(files)
}

/// Reads one `\n`-terminated line (without the newline) into `buf`. `None` at the end of
/// the input; `Some(true)` when the line was longer than `cap` (then `buf` is left empty and
/// the rest of the line is skipped without being kept).
fn read_line_capped(
    reader: &mut impl std::io::BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
) -> std::io::Result<Option<bool>> {
    buf.clear();
    let (mut overflowed, mut any) = (false, false);
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok(any.then_some(overflowed));
        }
        any = true;
        let newline = available.iter().position(|&b| b == b'\n');
        let piece = &available[..newline.unwrap_or(available.len())];
        if !overflowed {
            if buf.len() + piece.len() > cap {
                overflowed = true;
                buf.clear();
            } else {
                buf.extend_from_slice(piece);
            }
        }
        let consumed = newline.map_or(available.len(), |i| i + 1);
        reader.consume(consumed);
        if newline.is_some() {
            return Ok(Some(overflowed));
        }
    }
}

fn origin(file: &str, line: Option<u64>) -> String {
    match line {
        Some(l) => format!("{file}:{l}"),
        None => file.to_string(),
    }
}

fn is_jsonl(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("jsonl") | Some("ndjson") | Some("json")
    )
}

fn collect_files(path: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    let meta = std::fs::metadata(path).map_err(|e| Error::read(path, e))?;
    if meta.is_file() {
        files.push(path.to_path_buf());
        return Ok(());
    }
    let entries = std::fs::read_dir(path).map_err(|e| Error::read(path, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::read(path, e))?;
        let p = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        if p.is_dir() {
            collect_files(&p, files)?;
        } else if is_jsonl(&p) || p.extension().and_then(|e| e.to_str()) == Some("txt") {
            files.push(p);
        }
    }
    Ok(())
}

/// What one input line or file becomes: an article or the reason it is not one.
pub type Candidate = std::result::Result<Article, Reject>;

/// The articles and rejects in one input file's bytes (JSONL by extension, else one
/// `.txt` article), normalised and checked against the config. Pure: no file system,
/// no dedupe across files (that is [`read_inputs`]' job), no file dates.
pub fn parse_file_bytes(file: &Path, raw: &[u8], config: &IngestConfig) -> Vec<Candidate> {
    let candidates = if is_jsonl(file) {
        parse_jsonl(file, raw)
    } else {
        vec![parse_txt(file, raw)]
    };
    candidates
        .into_iter()
        .map(|c| c.and_then(|a| check_article(a, config)))
        .collect()
}

fn reject(
    file: &Path,
    line: Option<u64>,
    source_id: Option<String>,
    reason: impl Into<String>,
) -> Reject {
    Reject {
        input_file: file.display().to_string(),
        input_line: line,
        source_id,
        article_id: None,
        reason: reason.into(),
    }
}

/// One candidate per non-blank line. A bad line becomes a reject; the other lines go on.
pub fn parse_jsonl(file: &Path, raw: &[u8]) -> Vec<Candidate> {
    raw.split(|&b| b == b'\n')
        .enumerate()
        .filter_map(|(i, line)| jsonl_line(file, i as u64 + 1, line))
        .collect()
}

/// The candidate on one JSONL line (1-based `line_no`); `None` for a blank line.
fn jsonl_line(file: &Path, line_no: u64, line: &[u8]) -> Option<Candidate> {
    let line_no = Some(line_no);
    if line.iter().all(|b| b.is_ascii_whitespace()) {
        return None;
    }
    let Ok(text) = std::str::from_utf8(line) else {
        return Some(Err(reject(file, line_no, None, "line is not valid UTF-8")));
    };
    Some(match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value) => article_from_json(file, line_no, &value),
        Err(e) => Err(reject(file, line_no, None, format!("invalid JSON: {e}"))),
    })
}

fn article_from_json(file: &Path, line: Option<u64>, value: &serde_json::Value) -> Candidate {
    let Some(obj) = value.as_object() else {
        return Err(reject(file, line, None, "line is JSON but not an object"));
    };
    let source_id = match obj.get("id") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        Some(_) => {
            return Err(reject(
                file,
                line,
                None,
                "field `id` must be a string or a number",
            ))
        }
    };
    let field = |name: &str| -> std::result::Result<Option<String>, Reject> {
        match obj.get(name) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(reject(
                file,
                line,
                source_id.clone(),
                format!("field `{name}` must be a string"),
            )),
        }
    };
    let text = match field("text")? {
        Some(t) => t,
        None => {
            return Err(reject(
                file,
                line,
                source_id.clone(),
                "missing field `text`",
            ))
        }
    };
    let published_raw = field("published")?;
    let published = match published_raw
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => match parse_iso_date(s) {
            Some(d) => Some(d),
            None => {
                return Err(reject(
                    file,
                    line,
                    source_id.clone(),
                    format!("field `published` is not an ISO date (YYYY-MM-DD): {s:?}"),
                ))
            }
        },
    };
    Ok(Article {
        article_id: String::new(),
        title: field("title")?
            .map(|t| normalise_text(&t))
            .filter(|t| !t.trim().is_empty()),
        source: field("source")?,
        url: field("url")?,
        date_source: if published.is_some() { "field" } else { "none" }.to_string(),
        published,
        text,
        source_id,
        input_file: file.display().to_string(),
        input_line: line,
        language: String::new(),
    })
}

/// A `.txt` file is one article: its stem is the source id, a short first line the title.
pub fn parse_txt(file: &Path, raw: &[u8]) -> Candidate {
    let source_id = file.file_stem().map(|s| s.to_string_lossy().into_owned());
    if raw.contains(&0) {
        return Err(reject(
            file,
            None,
            source_id,
            "binary file (contains NUL bytes), not text",
        ));
    }
    let Ok(text) = std::str::from_utf8(raw) else {
        return Err(reject(file, None, source_id, "file is not valid UTF-8"));
    };
    let title = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .filter(|l| l.len() <= 200 && !l.ends_with('.'))
        .map(str::to_string);
    Ok(Article {
        article_id: String::new(),
        source_id,
        title,
        text: text.to_string(),
        published: None,
        date_source: "none".to_string(),
        source: None,
        url: None,
        input_file: file.display().to_string(),
        input_line: None,
        language: String::new(),
    })
}

/// Normalises the text, computes the id, dates and language, and applies the size and
/// language policies.
fn check_article(mut a: Article, config: &IngestConfig) -> Candidate {
    a.text = normalise_text(&a.text);
    let as_reject = |a: &Article, reason: String| Reject {
        input_file: a.input_file.clone(),
        input_line: a.input_line,
        source_id: a.source_id.clone(),
        article_id: None,
        reason,
    };
    if a.text.trim().is_empty() {
        return Err(as_reject(&a, "empty `text`".into()));
    }
    if a.text.len() > config.max_article_bytes {
        return Err(as_reject(
            &a,
            format!(
                "text is {} bytes, over ingest.max_article_bytes = {}",
                a.text.len(),
                config.max_article_bytes
            ),
        ));
    }
    a.article_id = content_id(&a.text);
    // A date stated in the text beats the file's modification time.
    if a.date_source != "field" {
        if let Some(d) = dateline(&a.text) {
            a.published = Some(d);
            a.date_source = "text".into();
        }
    }
    a.language = detect_language(&a.text);
    if a.language != "eng" && a.language != "und" && config.non_english == NonEnglishPolicy::Skip {
        let mut r = as_reject(&a, format!("not English (detected {})", a.language));
        r.article_id = Some(a.article_id.clone());
        return Err(r);
    }
    Ok(a)
}

/// Line endings to LF, control characters (other than newline and tab) removed, NFC.
pub fn normalise_text(text: &str) -> String {
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    unified
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .nfc()
        .collect()
}

pub fn content_id(normalised_text: &str) -> String {
    hex::encode(&Sha256::digest(normalised_text.trim().as_bytes())[..8])
}

fn parse_iso_date(s: &str) -> Option<NaiveDate> {
    let head = s.get(..10)?;
    NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()
}

static DATELINE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"\b(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.? (\d{1,2}), (\d{4})\b",
    )
    .expect("valid regex")
});

/// A date stated near the top of the text ("November 17, 2016, 6:40 PM").
pub fn dateline(text: &str) -> Option<NaiveDate> {
    let mut end = text.len().min(800);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let caps = DATELINE.captures(&text[..end])?;
    let month = match &caps[1][..3] {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        _ => 12,
    };
    NaiveDate::from_ymd_opt(caps[3].parse().ok()?, month, caps[2].parse().ok()?)
}

/// ISO 639-3 code, or `und` when the text is too short or the guess unreliable.
pub fn detect_language(text: &str) -> String {
    let mut end = text.len().min(4000);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    if sample.split_whitespace().count() < 8 {
        return "und".into();
    }
    match whatlang::detect(sample) {
        Some(info) if info.is_reliable() => info.lang().code().to_string(),
        Some(info) if info.lang() == whatlang::Lang::Eng => "eng".into(),
        _ => "und".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> IngestConfig {
        IngestConfig::default()
    }

    #[test]
    fn bad_jsonl_lines_become_rejects_and_good_ones_survive() {
        let raw = b"{\"id\":\"a\",\"text\":\"The mayor said the city will not help federal agents with deportations at all.\"}\nnot json\n{\"id\":\"b\"}\n{\"id\":\"c\",\"text\":7}\n\xff\xfe\n[1,2]\n";
        let got = parse_jsonl(Path::new("x.jsonl"), raw);
        assert_eq!(got.len(), 6);
        assert!(got[0].is_ok());
        let reasons: Vec<String> = got[1..]
            .iter()
            .map(|c| c.as_ref().unwrap_err().reason.clone())
            .collect();
        assert!(reasons[0].starts_with("invalid JSON"), "{reasons:?}");
        assert_eq!(reasons[1], "missing field `text`");
        assert_eq!(reasons[2], "field `text` must be a string");
        assert_eq!(reasons[3], "line is not valid UTF-8");
        assert_eq!(reasons[4], "line is JSON but not an object");
        assert_eq!(got[2].as_ref().unwrap_err().input_line, Some(3));
    }

    #[test]
    fn normalisation_removes_controls_and_unifies_newlines() {
        assert_eq!(normalise_text("a\r\nb\u{0007}c\rd"), "a\nbc\nd");
        // NFC: e + combining acute becomes one code point.
        assert_eq!(normalise_text("e\u{301}"), "\u{e9}");
    }

    #[test]
    fn same_text_same_id_and_duplicates_are_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("in.jsonl");
        let line = r#"{"id":"x","text":"Police in the city will not hold people for immigration agents, the chief said on Monday."}"#;
        std::fs::write(&p, format!("{line}\n{line}\n")).unwrap();
        let out = read_inputs(&[p], &cfg()).unwrap();
        assert_eq!(out.articles.len(), 1);
        assert_eq!(out.rejects.len(), 1);
        assert!(out.rejects[0].reason.starts_with("duplicate"));
        assert_eq!(
            out.articles[0].article_id,
            content_id(&out.articles[0].text)
        );
    }

    #[test]
    fn dateline_is_read_from_the_text() {
        let d = dateline("Headline\n\nByABC News\nNovember 17, 2016, 6:40 PM\n\nText.").unwrap();
        assert_eq!(d, NaiveDate::from_ymd_opt(2016, 11, 17).unwrap());
        assert_eq!(dateline("no date here"), None);
    }

    #[test]
    fn non_english_is_rejected_by_default() {
        let a = Article {
            article_id: String::new(),
            source_id: None,
            title: None,
            text: "El alcalde dijo que la ciudad no va a cooperar con los agentes federales de inmigración en ningún caso.".into(),
            published: None,
            date_source: "none".into(),
            source: None,
            url: None,
            input_file: "f".into(),
            input_line: None,
            language: String::new(),
        };
        let r = check_article(a, &cfg()).unwrap_err();
        assert!(r.reason.contains("not English"), "{}", r.reason);
    }

    /// Random bytes never panic the parser, and every non-blank line gives exactly one
    /// article or one reject naming its line.
    #[test]
    fn random_bytes_give_one_result_per_line() {
        let pieces: [&[u8]; 10] = [
            b"{",
            b"}",
            b"\"text\":",
            b"\"abc\"",
            b",",
            b"\n",
            b"\xff",
            b"null",
            b"[1]",
            "\"é\"".as_bytes(),
        ];
        let mut rng = crate::random::XorShift::new(0x2545_F491_4F6C_DD1D);
        for _ in 0..2000 {
            let mut raw = Vec::new();
            for _ in 0..rng.below(30) {
                raw.extend_from_slice(pieces[rng.below(pieces.len())]);
            }
            let lines = raw
                .split(|&b| b == b'\n')
                .filter(|l| !l.iter().all(|b| b.is_ascii_whitespace()))
                .count();
            let got = parse_jsonl(Path::new("r.jsonl"), &raw);
            assert_eq!(got.len(), lines);
            for c in got {
                if let Err(r) = c {
                    assert!(r.input_line.is_some() && !r.reason.is_empty());
                }
            }
        }
    }

    #[test]
    fn lines_are_read_one_at_a_time_with_a_cap() {
        let mut reader = std::io::BufReader::with_capacity(4, &b"ab\n0123456789\n\nlast"[..]);
        let mut buf = Vec::new();
        let mut got = Vec::new();
        while let Some(over) = read_line_capped(&mut reader, &mut buf, 5).unwrap() {
            got.push((String::from_utf8(buf.clone()).unwrap(), over));
        }
        let want = [("ab", false), ("", true), ("", false), ("last", false)];
        assert_eq!(
            got,
            want.iter()
                .map(|(t, o)| (t.to_string(), *o))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn an_oversized_line_or_file_is_rejected_unread_and_the_rest_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let config = IngestConfig {
            max_article_bytes: 100,
            ..IngestConfig::default()
        };
        let big = "x".repeat(1 << 17);
        let good = r#"{"id":"ok","text":"The sheriff said deputies will keep working with federal agents."}"#;
        let jsonl = dir.path().join("a.jsonl");
        std::fs::write(&jsonl, format!("{{\"text\":\"{big}\"}}\n{good}\n")).unwrap();
        std::fs::write(dir.path().join("b.txt"), &big).unwrap();
        let out = read_inputs(&[dir.path().to_path_buf()], &config).unwrap();
        assert_eq!(out.articles.len(), 1);
        assert_eq!(out.articles[0].input_line, Some(2));
        let reasons: Vec<&str> = out.rejects.iter().map(|r| r.reason.as_str()).collect();
        assert_eq!(out.rejects.len(), 2, "{reasons:?}");
        assert!(reasons[0].starts_with("line is over"), "{reasons:?}");
        assert_eq!(out.rejects[0].input_line, Some(1));
        assert!(
            reasons[1].starts_with("file is 131072 bytes"),
            "{reasons:?}"
        );
    }

    #[test]
    fn the_stream_stops_at_the_callers_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("in.jsonl");
        std::fs::write(
            &p,
            "{\"text\":\"one article about the county jail\"}\n{\"text\":\"another one\"}\n",
        )
        .unwrap();
        let mut seen = 0;
        let err = stream_inputs(&[p], &IngestConfig::default(), |_| {
            seen += 1;
            Err(Error::read(
                "stop",
                std::io::Error::other("caller says stop"),
            ))
        })
        .unwrap_err();
        assert_eq!(seen, 1);
        assert!(err.to_string().contains("caller says stop"));
    }

    #[test]
    fn binary_txt_is_rejected() {
        let r = parse_txt(Path::new("bin.txt"), b"\x00\x01\x02").unwrap_err();
        assert!(r.reason.contains("binary"));
    }
}
