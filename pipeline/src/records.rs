//! Typed output rows. Every row carries `article_id` and, below the article level,
//! `sentence_index` and byte offsets into the article's normalised text, so any number in
//! an aggregate can be traced back to the words it came from.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleRow {
    pub article_id: String,
    pub source_id: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub date_source: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub input_file: String,
    pub input_line: Option<u64>,
    pub language: String,
    pub n_sentences: u32,
    pub text: String,
    pub batch_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentenceRow {
    pub article_id: String,
    pub sentence_index: u32,
    pub paragraph: u32,
    pub start: u64,
    pub end: u64,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityRow {
    pub article_id: String,
    pub sentence_index: u32,
    pub entity_index: u32,
    pub label: String,
    /// Byte offsets into the article text.
    pub start: u64,
    pub end: u64,
    pub text: String,
    pub score: f32,
    /// Canonical name and actor id for PER/ORG mentions.
    pub canonical: Option<String>,
    pub actor_id: Option<String>,
    pub ner_model: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StanceRow {
    pub article_id: String,
    pub sentence_index: u32,
    /// 0 for a sentence scored whole or for its first clause; 1 for a second clause that
    /// has its own holder ("…, and the commissioners later voted …").
    pub clause_index: u32,
    /// Article byte offsets of the words the stance was scored on.
    pub clause_start: u64,
    pub clause_end: u64,
    pub target_id: String,
    pub favor: f32,
    pub against: f32,
    pub none: f32,
    /// P(favor) − P(against), in [-1, 1].
    pub score: f32,
    pub label: String,
    /// How the stance was read: `sentence` (the stance model on the clause's own words) or
    /// `act_on_law` (the holder's act on a law, times what the target's policy reader reads
    /// in the law's description; see `laws`). `stance_model` names the model that gave it.
    pub basis: String,
    /// The model's reading of the clause's own words (equal to `score` for `sentence`).
    pub sentence_score: f32,
    /// The act's words as written ("vetoed", "voted … override … veto"), for `act_on_law`.
    pub act: Option<String>,
    /// The law phrase whose stance the act took, with article byte offsets (it may lie in
    /// an earlier sentence: "the bill" of "vetoed the bill").
    pub law_text: Option<String>,
    pub law_start: Option<u64>,
    pub law_end: Option<u64>,
    pub holder: Option<String>,
    pub holder_actor_id: Option<String>,
    pub holder_type: Option<String>,
    pub holder_kind: Option<String>,
    pub holder_resolution: Option<String>,
    /// Words naming the holder in this sentence, with byte offsets into the article text.
    pub holder_mention: Option<String>,
    pub holder_start: Option<u64>,
    pub holder_end: Option<u64>,
    pub role: Option<String>,
    pub place: Option<String>,
    pub level: Option<String>,
    /// The article calls the holder a former office holder ("Former Mayor Ed Gainey").
    pub holder_former: Option<bool>,
    pub published: Option<String>,
    pub period: Periods,
    pub stance_model: String,
    pub ner_model: String,
}

/// The period keys of a date, so that aggregates can be cut by any period without date
/// arithmetic downstream. Empty strings when the date is unknown.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Periods {
    pub day: String,
    pub week: String,
    pub month: String,
    pub quarter: String,
    pub year: String,
}

impl Periods {
    pub fn of(date: Option<NaiveDate>) -> Self {
        let Some(d) = date else {
            return Periods::default();
        };
        let iso = d.iso_week();
        Periods {
            day: d.format("%Y-%m-%d").to_string(),
            week: format!("{}-W{:02}", iso.year(), iso.week()),
            month: d.format("%Y-%m").to_string(),
            quarter: format!("{}-Q{}", d.year(), (d.month() - 1) / 3 + 1),
            year: d.year().to_string(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum, Default)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Day,
    Week,
    Month,
    Quarter,
    #[default]
    Year,
}

impl Period {
    pub fn column(self) -> &'static str {
        match self {
            Period::Day => "period_day",
            Period::Week => "period_week",
            Period::Month => "period_month",
            Period::Quarter => "period_quarter",
            Period::Year => "period_year",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_of_a_date() {
        let p = Periods::of(NaiveDate::from_ymd_opt(2016, 11, 17));
        assert_eq!(p.day, "2016-11-17");
        assert_eq!(p.week, "2016-W46");
        assert_eq!(p.month, "2016-11");
        assert_eq!(p.quarter, "2016-Q4");
        assert_eq!(p.year, "2016");
        assert_eq!(Periods::of(None).year, "");
    }
}

/// An actor as one article presents them (role and place as read in that article).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorRow {
    pub article_id: String,
    pub actor_id: String,
    pub name: String,
    pub entity_type: String,
    pub role: Option<String>,
    pub place: Option<String>,
    pub level: Option<String>,
    pub former: bool,
    pub published: Option<String>,
}
