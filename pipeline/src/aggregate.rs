//! Stage 6: aggregation — the one barrier stage and the only place that builds polars
//! aggregates. Input: the `stances` fact table (all batches). Output tables:
//! * `article_actor_stances`: per (article, actor, target);
//! * `actor_stances`: per (actor, target), across articles;
//! * `actor_period_stances`: per (actor, target, period);
//! * `place_stances`: per (place, level, target, period), from actors who speak for a place
//!   (not former office holders).
//!
//! Every row has `n_sentences` (sentences the actor holds), `n_stance` (those not labelled
//! none), `stance_score` (mean score over the stance-bearing ones, in [-1, 1]),
//! `score_std`, a `label` (favor / against / mixed / none) and the evidence sentence ids
//! (`article_id#sentence_index`). An actor's label is `none` when no sentence of theirs takes
//! a side, `mixed` when the mean is within ±MIXED_BAND of zero.

use polars::prelude::*;

use crate::error::{Error, Result};
use crate::records::Period;

/// Mean stance scores within this distance of 0 are labelled `mixed`.
pub const MIXED_BAND: f64 = 0.15;

pub struct Aggregates {
    pub article_actor_stances: DataFrame,
    pub actor_stances: DataFrame,
    pub actor_period_stances: DataFrame,
    pub place_stances: DataFrame,
}

fn stance_exprs() -> Vec<Expr> {
    let is_stance = col("label").neq(lit("none"));
    vec![
        len().cast(DataType::UInt32).alias("n_sentences"),
        is_stance
            .clone()
            .cast(DataType::UInt32)
            .sum()
            .cast(DataType::UInt32)
            .alias("n_stance"),
        col("score")
            .cast(DataType::Float64)
            .filter(is_stance.clone())
            .mean()
            .alias("stance_score"),
        col("score")
            .cast(DataType::Float64)
            .filter(is_stance.clone())
            .std(1)
            .alias("score_std"),
        col("score")
            .cast(DataType::Float64)
            .mean()
            .alias("mean_score_all"),
        col("sentence_id")
            .filter(is_stance)
            .sort(Default::default())
            .alias("evidence"),
    ]
}

/// Who the actor is: name, type, and the role, place and level read for them.
fn actor_exprs() -> Vec<Expr> {
    vec![
        col("holder").first().alias("actor"),
        col("holder_type").first().alias("actor_type"),
        col("role").drop_nulls().first().alias("role"),
        col("place").drop_nulls().first().alias("place"),
        col("level").drop_nulls().first().alias("level"),
    ]
}

fn n_articles() -> Expr {
    col("article_id")
        .n_unique()
        .cast(DataType::UInt32)
        .alias("n_articles")
}

fn label_expr() -> Expr {
    when(col("n_stance").eq(lit(0u32)))
        .then(lit("none"))
        .when(col("stance_score").gt(lit(MIXED_BAND)))
        .then(lit("favor"))
        .when(col("stance_score").lt(lit(-MIXED_BAND)))
        .then(lit("against"))
        .otherwise(lit("mixed"))
        .alias("label")
}

/// Builds every aggregate from the stances fact table.
pub fn aggregate(stances: &DataFrame, period: Period) -> Result<Aggregates> {
    // Sorted first, so that "first" values and evidence lists do not depend on the order in
    // which batches or shards wrote their parts. An actor whose role or place an article does
    // not state ("Mayor Elena Vasquez rejected the criticism") takes the ones read for the
    // same actor in their other articles.
    // Former office holders are not filled: they no longer speak for the office.
    let current = col("holder_former").fill_null(lit(false)).not();
    let fill = |name: &str| -> Result<Expr> {
        Ok(when(current.clone())
            .then(
                col(name).fill_null(
                    col(name)
                        .filter(current.clone())
                        .drop_nulls()
                        .first()
                        .over([col("holder_actor_id")])
                        .map_err(Error::table("stances"))?,
                ),
            )
            .otherwise(col(name))
            .alias(name))
    };
    let held = stances
        .clone()
        .lazy()
        .sort(
            ["article_id", "sentence_index", "clause_index", "target_id"],
            Default::default(),
        )
        .filter(col("holder_actor_id").is_not_null())
        .with_columns([fill("role")?, fill("place")?, fill("level")?]);

    let mut per_article = actor_exprs();
    per_article.push(col("published").first().alias("published"));
    per_article.extend(stance_exprs());
    let article_actor_stances = held
        .clone()
        .group_by([
            col("article_id"),
            col("holder_actor_id").alias("actor_id"),
            col("target_id"),
        ])
        .agg(per_article)
        .with_column(label_expr())
        .sort(["article_id", "actor_id", "target_id"], Default::default())
        .collect()
        .map_err(Error::table("article_actor_stances"))?;

    let mut per_actor = actor_exprs();
    per_actor.extend([
        n_articles(),
        col("published").min().alias("first_published"),
        col("published").max().alias("last_published"),
    ]);
    per_actor.extend(stance_exprs());
    let actor_stances = held
        .clone()
        .group_by([col("holder_actor_id").alias("actor_id"), col("target_id")])
        .agg(per_actor)
        .with_column(label_expr())
        .sort(["actor_id", "target_id"], Default::default())
        .collect()
        .map_err(Error::table("actor_stances"))?;

    let mut per_period = actor_exprs();
    per_period.push(n_articles());
    per_period.extend(stance_exprs());
    let actor_period_stances = held
        .clone()
        .group_by([
            col("holder_actor_id").alias("actor_id"),
            col("target_id"),
            col(period.column()).alias("period"),
        ])
        .agg(per_period)
        .with_column(label_expr())
        .sort(["actor_id", "target_id", "period"], Default::default())
        .collect()
        .map_err(Error::table("actor_period_stances"))?;

    let mut per_place = vec![
        col("holder_actor_id")
            .n_unique()
            .cast(DataType::UInt32)
            .alias("n_actors"),
        col("holder")
            .unique()
            .sort(Default::default())
            .alias("actors"),
        n_articles(),
    ];
    per_place.extend(stance_exprs());
    let place_stances = held
        .filter(
            col("place")
                .is_not_null()
                .and(col("level").is_not_null())
                .and(col("holder_former").fill_null(lit(false)).not()),
        )
        .group_by([
            col("place"),
            col("level"),
            col("target_id"),
            col(period.column()).alias("period"),
        ])
        .agg(per_place)
        .with_column(label_expr())
        .sort(
            ["place", "level", "target_id", "period"],
            Default::default(),
        )
        .collect()
        .map_err(Error::table("place_stances"))?;

    Ok(Aggregates {
        article_actor_stances,
        actor_stances,
        actor_period_stances,
        place_stances,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareBy {
    Place,
    Actor,
}

/// `stancewatch compare`: per place (or actor), the stance score in each period between
/// `from` and `to` (inclusive, compared as period keys: "2016", "2016-Q3", "2016-07"), the
/// change from the previous period with data, and `thin_evidence` when either side of a
/// change rests on fewer than `min_sentences` stance-bearing sentences.
pub fn compare(
    stances: &DataFrame,
    by: CompareBy,
    target: &str,
    period: Period,
    from: Option<&str>,
    to: Option<&str>,
    min_sentences: u32,
) -> Result<DataFrame> {
    let mut filtered = stances
        .clone()
        .lazy()
        .filter(col("target_id").eq(lit(target)));
    if let Some(f) = from {
        filtered = filtered.filter(col(period.column()).gt_eq(lit(f)));
    }
    if let Some(t) = to {
        // "2026" must include "2026-11": compare on the prefix of the same length.
        filtered = filtered.filter(
            col(period.column())
                .str()
                .slice(lit(0), lit(t.len() as u64))
                .lt_eq(lit(t)),
        );
    }
    let filtered = filtered
        .filter(col(period.column()).neq(lit("")))
        .collect()
        .map_err(Error::table("compare"))?;
    let agg = aggregate(&filtered, period)?;
    let (table, key) = match by {
        CompareBy::Place => (agg.place_stances, col("place")),
        CompareBy::Actor => (agg.actor_period_stances, col("actor")),
    };
    let thin = col("n_stance").lt(lit(min_sentences));
    let previous = |e: Expr| -> Result<Expr> {
        e.shift(lit(1))
            .over([key.clone()])
            .map_err(Error::table("compare"))
    };
    table
        .lazy()
        .filter(col("n_stance").gt(lit(0u32)))
        .sort_by_exprs([key.clone(), col("period")], Default::default())
        .with_columns([
            (col("stance_score") - previous(col("stance_score"))?).alias("change"),
            previous(col("period"))?.alias("previous_period"),
            (thin.clone().or(previous(thin)?.fill_null(lit(false)))).alias("thin_evidence"),
        ])
        .select([
            key.alias("key"),
            col("period"),
            col("stance_score"),
            col("n_stance"),
            col("n_sentences"),
            col("label"),
            col("previous_period"),
            col("change"),
            col("thin_evidence"),
        ])
        .collect()
        .map_err(Error::table("compare"))
}
