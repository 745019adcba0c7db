//! Training data for the policy reader (`models/policy`), derived from the project's own
//! written, labelled sentences (`models/train/written`): no new labels are written.
//!
//!     cargo run --release --example law_phrase_data -- models/train/written/w*.jsonl > phrases.jsonl
//!
//! A written sentence whose holder acts on a described law ("Gov. X signed a bill that bars
//! sheriffs from holding inmates for ICE") carries the law's effect in its label: the act's
//! direction times the sentence's stance (signing, +1, and `against` make the bill one that
//! limits cooperation). The law phrase is found and the act read by the same functions the
//! pipeline uses (`stancewatch::laws`), so the reader learns from phrases shaped like the
//! ones it will be given. Law phrases in a (target, sentence) pair on another debate (`w26`:
//! "a bill raising the minimum wage") are `none`: a policy that does not bear on
//! cooperation. The same derivation over news_stance's gold sentences gives the real phrases
//! the reader is evaluated on. Each output line: {"id" (article or excerpt), "phrase",
//! "stance", "source", "sentence"}.

use std::io::{BufRead, Write};

use stancewatch::laws;
use stancewatch::stance::StanceLabel;

fn main() -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in std::env::args().skip(1) {
        let file = std::fs::File::open(&path)?;
        let other_debates = path.contains("debate_pairs_general");
        for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line?;
            let Ok(row) = serde_json::from_str::<serde_json::Value>(&line) else {
                eprintln!("{path}:{}: not JSON, skipped", n + 1);
                continue;
            };
            let Some(text) = row.get("text").and_then(|t| t.as_str()) else {
                continue;
            };
            let phrases = laws::law_phrases(text);
            let mut emit = |phrase: &str, stance: &str| -> std::io::Result<()> {
                let record = serde_json::json!({
                    "id": row.get("article_id").or_else(|| row.get("doc")),
                    "phrase": phrase,
                    "stance": stance,
                    "source": format!("{path}:{}", n + 1),
                    "sentence": text,
                });
                writeln!(out, "{record}")
            };
            if other_debates {
                for p in &phrases {
                    let phrase = &text[p.start..p.end];
                    if laws::describes_something(phrase) {
                        emit(phrase, "none")?;
                    }
                }
                continue;
            }
            let stance = row
                .get("stance")
                .and_then(|s| s.as_str())
                .and_then(StanceLabel::parse)
                .unwrap_or(StanceLabel::None);
            let holder = row.get("holder").and_then(|h| h.as_str()).unwrap_or("");
            if let Some((law, effect)) = laws::labelled_law_effect(text, holder, stance) {
                emit(&text[law.start..law.end], effect.as_str())?;
            }
        }
    }
    Ok(())
}
