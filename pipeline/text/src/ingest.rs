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

use crate::config::{IngestConfig, NonEnglishPolicy};
use crate::error::{Error, Result};

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

/// Reads every path (JSONL file, `.txt` file, or a folder of them, recursively).
pub fn read_inputs(paths: &[PathBuf], config: &IngestConfig) -> Result<IngestOutput> {
    let mut files = Vec::new();
    for p in paths {
        collect_files(p, &mut files)?;
    }
    files.sort();
    let mut out = IngestOutput::default();
    let mut seen: HashMap<String, String> = HashMap::new();
    for file in &files {
        let raw = std::fs::read(file).map_err(|e| Error::read(file, e))?;
        let candidates = if is_jsonl(file) {
            parse_jsonl(file, &raw)
        } else {
            vec![parse_txt(file, &raw)]
        };
        // Last resort for a date: the file's modification time.
        let mtime = std::fs::metadata(file)
            .and_then(|m| m.modified())
            .ok()
            .map(|t| chrono::DateTime::<chrono::Utc>::from(t).date_naive());
        for candidate in candidates {
            match candidate.and_then(|a| check_article(a, config)) {
                Ok(mut article) => {
                    if article.published.is_none() && mtime.is_some() {
                        article.published = mtime;
                        article.date_source = "file".into();
                    }
                    let origin = origin(&article.input_file, article.input_line);
                    if let Some(first) = seen.get(&article.article_id) {
                        out.rejects.push(Reject {
                            input_file: article.input_file.clone(),
                            input_line: article.input_line,
                            source_id: article.source_id.clone(),
                            article_id: Some(article.article_id.clone()),
                            reason: format!("duplicate: same text as {first}"),
                        });
                    } else {
                        seen.insert(article.article_id.clone(), origin);
                        out.articles.push(article);
                    }
                }
                Err(reject) => out.rejects.push(reject),
            }
        }
    }
    out.files = files;
    Ok(out)
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

type Candidate = std::result::Result<Article, Reject>;

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
    let mut out = Vec::new();
    for (i, line) in raw.split(|&b| b == b'\n').enumerate() {
        let line_no = Some(i as u64 + 1);
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        let Ok(text) = std::str::from_utf8(line) else {
            out.push(Err(reject(file, line_no, None, "line is not valid UTF-8")));
            continue;
        };
        let value: serde_json::Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                out.push(Err(reject(
                    file,
                    line_no,
                    None,
                    format!("invalid JSON: {e}"),
                )));
                continue;
            }
        };
        out.push(article_from_json(file, line_no, &value));
    }
    out
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
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..2000 {
            let mut raw = Vec::new();
            for _ in 0..(state % 30) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                raw.extend_from_slice(pieces[(state % pieces.len() as u64) as usize]);
            }
            state = state.wrapping_add(0x9E37_79B9);
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
    fn binary_txt_is_rejected() {
        let r = parse_txt(Path::new("bin.txt"), b"\x00\x01\x02").unwrap_err();
        assert!(r.reason.contains("binary"));
    }
}
