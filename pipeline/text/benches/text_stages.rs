//! Criterion benches for the text stages on a corpus built from the sample articles
//! (input/sample/articles.jsonl, each copy made unique so nothing is deduplicated).

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use stancewatch_text::ingest::{parse_file_bytes, IngestConfig};
use stancewatch_text::sentences::split;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../input/sample/articles.jsonl"
);

/// `copies` copies of the sample as JSONL, every article's id and text made distinct.
fn corpus(copies: usize) -> Vec<u8> {
    let sample = std::fs::read_to_string(SAMPLE).expect("input/sample/articles.jsonl");
    let mut out = String::new();
    for copy in 0..copies {
        for line in sample.lines().filter(|l| !l.trim().is_empty()) {
            let mut v: serde_json::Value = serde_json::from_str(line).expect("sample is JSONL");
            let text = format!("{} (Copy {copy}.)", v["text"].as_str().unwrap_or_default());
            v["text"] = text.into();
            v["id"] = format!("{}-{copy}", v["id"].as_str().unwrap_or("a")).into();
            out.push_str(&v.to_string());
            out.push('\n');
        }
    }
    out.into_bytes()
}

fn text_stages(c: &mut Criterion) {
    let raw = corpus(40);
    let config = IngestConfig::default();
    let articles: Vec<String> = parse_file_bytes(Path::new("bench.jsonl"), &raw, &config)
        .into_iter()
        .filter_map(Result::ok)
        .map(|a| a.text)
        .collect();
    let bytes: usize = articles.iter().map(String::len).sum();

    let mut group = c.benchmark_group("text_stages");
    group.throughput(Throughput::Bytes(raw.len() as u64));
    group.bench_function(format!("ingest_{}_articles", articles.len()), |b| {
        b.iter(|| parse_file_bytes(Path::new("bench.jsonl"), black_box(&raw), &config).len())
    });
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function(format!("split_{}_articles", articles.len()), |b| {
        b.iter(|| {
            articles
                .iter()
                .map(|t| split(black_box(t)).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, text_stages);
criterion_main!(benches);
