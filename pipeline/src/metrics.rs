//! Evaluation metrics, defined exactly as in `models/train/metrics.py` so that the Rust
//! and Python evaluations of the same weights can be compared number for number.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

/// Entity spans (start, end exclusive, type) from BIO tags, conlleval style: an I- tag
/// that does not continue an entity of its type starts a new one.
pub fn bio_spans<S: AsRef<str>>(tags: &[S]) -> HashSet<(usize, usize, String)> {
    let mut spans = HashSet::new();
    let mut current: Option<(usize, String)> = None;
    for i in 0..=tags.len() {
        let tag = tags.get(i).map(|t| t.as_ref()).unwrap_or("O");
        let (prefix, kind) = tag.split_once('-').unwrap_or((tag, ""));
        let continues = prefix == "I" && current.as_ref().is_some_and(|(_, k)| k == kind);
        if !continues {
            if let Some((start, k)) = current.take() {
                spans.insert((start, i, k));
            }
            if prefix == "B" || prefix == "I" {
                current = Some((i, kind.to_string()));
            }
        }
    }
    spans
}

#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    pub fn from_counts(tp: usize, fp: usize, fn_: usize) -> Self {
        let p = if tp + fp > 0 {
            100.0 * tp as f64 / (tp + fp) as f64
        } else {
            0.0
        };
        let r = if tp + fn_ > 0 {
            100.0 * tp as f64 / (tp + fn_) as f64
        } else {
            0.0
        };
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        Prf {
            precision: p,
            recall: r,
            f1: f,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct EntityScores {
    pub overall: Prf,
    pub per_type: BTreeMap<String, Prf>,
}

/// Micro P/R/F1 (percent) over exact entity spans, and per type.
pub fn entity_prf<S: AsRef<str>>(gold: &[Vec<S>], pred: &[Vec<S>]) -> EntityScores {
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    let mut per: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    for (g, p) in gold.iter().zip(pred) {
        let gs = bio_spans(g);
        let ps = bio_spans(p);
        for s in gs.union(&ps) {
            let c = per.entry(s.2.clone()).or_default();
            match (gs.contains(s), ps.contains(s)) {
                (true, true) => c[0] += 1,
                (false, true) => c[1] += 1,
                _ => c[2] += 1,
            }
        }
        tp += gs.intersection(&ps).count();
        fp += ps.difference(&gs).count();
        fn_ += gs.difference(&ps).count();
    }
    EntityScores {
        overall: Prf::from_counts(tp, fp, fn_),
        per_type: per
            .into_iter()
            .map(|(k, c)| (k, Prf::from_counts(c[0], c[1], c[2])))
            .collect(),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ClassScores {
    pub macro_f1: f64,
    pub accuracy: f64,
    pub f1: BTreeMap<String, f64>,
    /// confusion[gold][predicted]
    pub confusion: Vec<Vec<usize>>,
    pub labels: Vec<String>,
    pub n: usize,
}

/// Macro-F1 over `labels`, accuracy and the confusion matrix (rows gold, columns predicted).
pub fn macro_f1<S: AsRef<str>>(gold: &[S], pred: &[S], labels: &[&str]) -> ClassScores {
    let idx = |s: &str| labels.iter().position(|l| *l == s);
    let mut conf = vec![vec![0usize; labels.len()]; labels.len()];
    for (g, p) in gold.iter().zip(pred) {
        if let (Some(gi), Some(pi)) = (idx(g.as_ref()), idx(p.as_ref())) {
            conf[gi][pi] += 1;
        }
    }
    let mut f1 = BTreeMap::new();
    for (k, l) in labels.iter().enumerate() {
        let tp = conf[k][k] as f64;
        let fp: f64 = (0..labels.len())
            .filter(|&g| g != k)
            .map(|g| conf[g][k] as f64)
            .sum();
        let fn_: f64 = (0..labels.len())
            .filter(|&p| p != k)
            .map(|p| conf[k][p] as f64)
            .sum();
        let p = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
        let r = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 0.0 };
        f1.insert(
            l.to_string(),
            if p + r > 0.0 {
                2.0 * p * r / (p + r)
            } else {
                0.0
            },
        );
    }
    let correct: usize = (0..labels.len()).map(|k| conf[k][k]).sum();
    ClassScores {
        macro_f1: f1.values().sum::<f64>() / labels.len() as f64,
        accuracy: correct as f64 / gold.len().max(1) as f64,
        f1,
        confusion: conf,
        labels: labels.iter().map(|s| s.to_string()).collect(),
        n: gold.len(),
    }
}

/// Sentence-level exact-match P/R/F1 (percent) of predicted vs gold sentence strings,
/// matched as multisets after trimming.
pub fn sentence_prf(gold: &[String], pred: &[String]) -> (usize, usize, usize) {
    let mut remaining: BTreeMap<&str, usize> = BTreeMap::new();
    for g in gold {
        *remaining.entry(g.trim()).or_default() += 1;
    }
    let mut tp = 0;
    for p in pred {
        if let Some(c) = remaining.get_mut(p.trim()) {
            if *c > 0 {
                *c -= 1;
                tp += 1;
            }
        }
    }
    (tp, pred.len() - tp, gold.len() - tp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_follow_conlleval() {
        let s = bio_spans(&["B-PER", "I-PER", "O", "I-LOC"]);
        assert!(
            s.contains(&(0, 2, "PER".into())) && s.contains(&(3, 4, "LOC".into())) && s.len() == 2
        );
        // I- of another type starts a new entity.
        assert_eq!(bio_spans(&["B-PER", "I-ORG"]).len(), 2);
    }

    #[test]
    fn entity_f1_known_answer() {
        let r = entity_prf(
            &[vec!["B-PER", "I-PER", "O", "B-LOC"]],
            &[vec!["B-PER", "I-PER", "O", "B-ORG"]],
        );
        assert_eq!(r.overall.precision, 50.0);
        assert_eq!(r.overall.recall, 50.0);
        assert_eq!(r.overall.f1, 50.0);
        assert_eq!(r.per_type["PER"].f1, 100.0);
        assert_eq!(r.per_type["LOC"].recall, 0.0);
    }

    #[test]
    fn macro_f1_known_answer() {
        let m = macro_f1(
            &["favor", "against", "none", "none"],
            &["favor", "none", "none", "none"],
            &["favor", "against", "none"],
        );
        assert!((m.macro_f1 - (1.0 + 0.0 + 0.8) / 3.0).abs() < 1e-9);
        assert_eq!(m.accuracy, 0.75);
        assert_eq!(m.confusion[1][2], 1);
    }

    #[test]
    fn sentence_matching_counts_duplicates_once_each() {
        let g = vec!["A.".to_string(), "B.".to_string(), "A.".to_string()];
        let p = vec!["A.".to_string(), "A. B.".to_string()];
        assert_eq!(sentence_prf(&g, &p), (1, 1, 2));
    }
}
