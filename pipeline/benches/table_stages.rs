//! Criterion benches for the table stages: building the stances frame, the aggregation
//! barrier and Parquet writing, on synthetic stance rows (20,000 sentences from 2,000
//! articles, 300 actors in 40 places over 11 years), so the numbers do not depend on the
//! models.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use stancewatch::aggregate::aggregate;
use stancewatch::records::{Period, Periods, StanceRow};
use stancewatch::tables::{stances_frame, write_parquet};

fn rows(n_articles: usize, per_article: usize) -> Vec<StanceRow> {
    let mut rng = stancewatch_text::random::XorShift::new(0x243F_6A88_85A3_08D3);
    let mut out = Vec::with_capacity(n_articles * per_article);
    for a in 0..n_articles {
        let date = NaiveDate::from_ymd_opt(
            2016 + (a % 11) as i32,
            1 + (a % 12) as u32,
            1 + (a % 28) as u32,
        )
        .expect("valid date");
        for s in 0..per_article {
            let favor = rng.below(1000) as f32 / 1000.0;
            let against = (1.0 - favor) * rng.below(1000) as f32 / 1000.0;
            let none = 1.0 - favor - against;
            let actor = rng.below(300);
            let held = rng.below(4) != 0;
            out.push(StanceRow {
                article_id: format!("{a:016x}"),
                sentence_index: s as u32,
                clause_index: 0,
                clause_start: s as u64 * 100,
                clause_end: s as u64 * 100 + 90,
                target_id: "ice_cooperation".into(),
                favor,
                against,
                none,
                score: favor - against,
                label: if none > favor.max(against) {
                    "none"
                } else if favor > against {
                    "favor"
                } else {
                    "against"
                }
                .into(),
                basis: "sentence".into(),
                sentence_score: favor - against,
                act: None,
                law_text: None,
                law_start: None,
                law_end: None,
                holder: held.then(|| format!("Actor {actor}")),
                holder_actor_id: held.then(|| format!("per:actor-{actor}")),
                holder_type: held.then(|| "PER".into()),
                holder_kind: held.then(|| "quote".into()),
                holder_resolution: held.then(|| "name".into()),
                holder_mention: held.then(|| format!("Actor {actor}")),
                holder_start: held.then_some(0),
                holder_end: held.then_some(9),
                role: (held && actor.is_multiple_of(3)).then(|| "mayor".into()),
                place: (held && actor.is_multiple_of(2)).then(|| format!("Place {}", actor % 40)),
                level: (held && actor.is_multiple_of(2)).then(|| "city".into()),
                holder_former: held.then_some(false),
                published: Some(date.to_string()),
                period: Periods::of(Some(date)),
                stance_model: "bench".into(),
                ner_model: "bench".into(),
            });
        }
    }
    out
}

fn table_stages(c: &mut Criterion) {
    let rows = rows(2000, 10);
    let frame = stances_frame(&rows).expect("stances frame");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut group = c.benchmark_group("table_stages");
    group.sample_size(20);
    group.throughput(Throughput::Elements(rows.len() as u64));
    group.bench_function("stances_frame_20k_rows", |b| {
        b.iter(|| stances_frame(black_box(&rows)).expect("frame").height())
    });
    group.bench_function("aggregate_20k_rows", |b| {
        b.iter(|| aggregate(black_box(&frame), Period::Year).expect("aggregate"))
    });
    group.bench_function("write_parquet_20k_rows", |b| {
        let path = dir.path().join("stances.parquet");
        b.iter(|| {
            let mut df = frame.clone();
            write_parquet(&mut df, &path).expect("write")
        })
    });
    group.finish();
}

criterion_group!(benches, table_stages);
criterion_main!(benches);
