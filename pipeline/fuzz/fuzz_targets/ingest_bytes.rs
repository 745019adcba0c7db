//! Any bytes, read as a JSONL file and as a `.txt` file: the parser never panics, every
//! non-blank JSONL line gives exactly one article or one reject naming its line, and every
//! article that comes out keeps the ingest contract (normalised, non-empty text whose
//! content hash is its id).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use stancewatch_text::ingest::{content_id, normalise_text, parse_file_bytes, Candidate, IngestConfig};

fn check(candidates: &[Candidate]) {
    for c in candidates {
        match c {
            Ok(a) => {
                assert!(!a.text.trim().is_empty(), "empty article text");
                assert_eq!(a.text, normalise_text(&a.text), "text not normalised");
                assert_eq!(a.article_id, content_id(&a.text));
            }
            Err(r) => assert!(!r.reason.is_empty(), "reject without a reason"),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let config = IngestConfig {
        max_article_bytes: 4096,
        ..IngestConfig::default()
    };
    let jsonl = parse_file_bytes(Path::new("fuzz.jsonl"), data, &config);
    let lines = data
        .split(|&b| b == b'\n')
        .filter(|l| !l.iter().all(|b| b.is_ascii_whitespace()))
        .count();
    assert_eq!(jsonl.len(), lines, "one result per non-blank line");
    for c in &jsonl {
        let line = match c {
            Ok(a) => a.input_line,
            Err(r) => r.input_line,
        };
        assert!(line.is_some_and(|l| l >= 1), "JSONL result without its line number");
    }
    check(&jsonl);
    let txt = parse_file_bytes(Path::new("fuzz.txt"), data, &config);
    assert_eq!(txt.len(), 1);
    check(&txt);
});
