//! Record vectors to polars frames and Parquet files. Writes are atomic: a file is written
//! under a temporary name in the same directory, synced and renamed, so a reader (or a run
//! killed half-way) never sees a half-written file.

use std::fs::File;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::error::{Error, Result};
use crate::ingest::Reject;
use crate::records::{ActorRow, ArticleRow, EntityRow, SentenceRow, StanceRow};

/// One column from a field of every row.
fn column<R, T>(rows: &[R], name: &str, field: impl Fn(&R) -> T) -> Column
where
    Series: NamedFrom<Vec<T>, [T]>,
{
    Column::new(name.into(), rows.iter().map(field).collect::<Vec<T>>())
}

fn frame(table: &str, columns: Vec<Column>) -> Result<DataFrame> {
    DataFrame::new_infer_height(columns).map_err(Error::table(table))
}

pub fn articles_frame(rows: &[ArticleRow]) -> Result<DataFrame> {
    frame(
        "articles",
        vec![
            column(rows, "article_id", |r| r.article_id.clone()),
            column(rows, "source_id", |r| r.source_id.clone()),
            column(rows, "title", |r| r.title.clone()),
            column(rows, "published", |r| r.published.clone()),
            column(rows, "date_source", |r| r.date_source.clone()),
            column(rows, "source", |r| r.source.clone()),
            column(rows, "url", |r| r.url.clone()),
            column(rows, "input_file", |r| r.input_file.clone()),
            column(rows, "input_line", |r| r.input_line),
            column(rows, "language", |r| r.language.clone()),
            column(rows, "n_sentences", |r| r.n_sentences),
            column(rows, "text", |r| r.text.clone()),
            column(rows, "batch_id", |r| r.batch_id.clone()),
        ],
    )
}

pub fn sentences_frame(rows: &[SentenceRow]) -> Result<DataFrame> {
    frame(
        "sentences",
        vec![
            column(rows, "article_id", |r| r.article_id.clone()),
            column(rows, "sentence_index", |r| r.sentence_index),
            column(rows, "paragraph", |r| r.paragraph),
            column(rows, "start", |r| r.start),
            column(rows, "end", |r| r.end),
            column(rows, "text", |r| r.text.clone()),
        ],
    )
}

pub fn entities_frame(rows: &[EntityRow]) -> Result<DataFrame> {
    frame(
        "entities",
        vec![
            column(rows, "article_id", |r| r.article_id.clone()),
            column(rows, "sentence_index", |r| r.sentence_index),
            column(rows, "entity_index", |r| r.entity_index),
            column(rows, "label", |r| r.label.clone()),
            column(rows, "start", |r| r.start),
            column(rows, "end", |r| r.end),
            column(rows, "text", |r| r.text.clone()),
            column(rows, "score", |r| r.score),
            column(rows, "canonical", |r| r.canonical.clone()),
            column(rows, "actor_id", |r| r.actor_id.clone()),
            column(rows, "ner_model", |r| r.ner_model.clone()),
        ],
    )
}

pub fn stances_frame(rows: &[StanceRow]) -> Result<DataFrame> {
    frame(
        "stances",
        vec![
            column(rows, "article_id", |r| r.article_id.clone()),
            column(rows, "sentence_index", |r| r.sentence_index),
            column(rows, "sentence_id", |r| {
                format!("{}#{}", r.article_id, r.sentence_index)
            }),
            column(rows, "clause_index", |r| r.clause_index),
            column(rows, "clause_start", |r| r.clause_start),
            column(rows, "clause_end", |r| r.clause_end),
            column(rows, "target_id", |r| r.target_id.clone()),
            column(rows, "favor", |r| r.favor),
            column(rows, "against", |r| r.against),
            column(rows, "none", |r| r.none),
            column(rows, "score", |r| r.score),
            column(rows, "label", |r| r.label.clone()),
            column(rows, "basis", |r| r.basis.clone()),
            column(rows, "sentence_score", |r| r.sentence_score),
            column(rows, "act", |r| r.act.clone()),
            column(rows, "law_text", |r| r.law_text.clone()),
            column(rows, "law_start", |r| r.law_start),
            column(rows, "law_end", |r| r.law_end),
            column(rows, "holder", |r| r.holder.clone()),
            column(rows, "holder_actor_id", |r| r.holder_actor_id.clone()),
            column(rows, "holder_type", |r| r.holder_type.clone()),
            column(rows, "holder_kind", |r| r.holder_kind.clone()),
            column(rows, "holder_resolution", |r| r.holder_resolution.clone()),
            column(rows, "holder_mention", |r| r.holder_mention.clone()),
            column(rows, "holder_start", |r| r.holder_start),
            column(rows, "holder_end", |r| r.holder_end),
            column(rows, "role", |r| r.role.clone()),
            column(rows, "place", |r| r.place.clone()),
            column(rows, "level", |r| r.level.clone()),
            column(rows, "holder_former", |r| r.holder_former),
            column(rows, "published", |r| r.published.clone()),
            column(rows, "period_day", |r| r.period.day.clone()),
            column(rows, "period_week", |r| r.period.week.clone()),
            column(rows, "period_month", |r| r.period.month.clone()),
            column(rows, "period_quarter", |r| r.period.quarter.clone()),
            column(rows, "period_year", |r| r.period.year.clone()),
            column(rows, "stance_model", |r| r.stance_model.clone()),
            column(rows, "ner_model", |r| r.ner_model.clone()),
        ],
    )
}

pub fn rejects_frame(rows: &[Reject], batch_id: &str) -> Result<DataFrame> {
    frame(
        "rejects",
        vec![
            column(rows, "input_file", |r| r.input_file.clone()),
            column(rows, "input_line", |r| r.input_line),
            column(rows, "source_id", |r| r.source_id.clone()),
            column(rows, "article_id", |r| r.article_id.clone()),
            column(rows, "reason", |r| r.reason.clone()),
            column(rows, "batch_id", |_| batch_id.to_string()),
        ],
    )
}

pub fn actors_frame(rows: &[ActorRow]) -> Result<DataFrame> {
    frame(
        "actors",
        vec![
            column(rows, "article_id", |r| r.article_id.clone()),
            column(rows, "actor_id", |r| r.actor_id.clone()),
            column(rows, "name", |r| r.name.clone()),
            column(rows, "entity_type", |r| r.entity_type.clone()),
            column(rows, "role", |r| r.role.clone()),
            column(rows, "place", |r| r.place.clone()),
            column(rows, "level", |r| r.level.clone()),
            column(rows, "former", |r| r.former),
            column(rows, "published", |r| r.published.clone()),
        ],
    )
}

/// Writes `df` to `path` atomically (temporary file, fsync, rename).
pub fn write_parquet(df: &mut DataFrame, path: &Path) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    let tmp = tmp_path(path);
    let file = File::create(&tmp).map_err(|e| Error::write(&tmp, e))?;
    ParquetWriter::new(&file)
        .with_compression(ParquetCompression::Zstd(None))
        .finish(df)
        .map_err(|e| Error::Output {
            path: tmp.clone(),
            message: e.to_string(),
        })?;
    file.sync_all().map_err(|e| Error::write(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::write(path, e))?;
    Ok(())
}

/// Writes bytes atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    let tmp = tmp_path(path);
    let mut f = File::create(&tmp).map_err(|e| Error::write(&tmp, e))?;
    f.write_all(bytes).map_err(|e| Error::write(&tmp, e))?;
    f.sync_all().map_err(|e| Error::write(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::write(path, e))?;
    Ok(())
}

pub fn tmp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

pub fn read_parquet(path: &Path) -> Result<DataFrame> {
    let file = File::open(path).map_err(|e| Error::read(path, e))?;
    ParquetReader::new(file)
        .finish()
        .map_err(|e| Error::Output {
            path: path.to_path_buf(),
            message: format!("cannot read Parquet: {e}"),
        })
}

/// Reads and stacks the given Parquet files (same schema); None when there are none.
/// Stance parts written before stance rows had clauses, or before acts on laws, are read as
/// they would be written now.
pub fn read_parts(paths: &[PathBuf], table: &str) -> Result<Option<DataFrame>> {
    let mut frames = Vec::with_capacity(paths.len());
    for p in paths {
        let mut df = read_parquet(p)?;
        if table == "stances" {
            df = with_clause_columns(df)
                .and_then(with_law_columns)
                .map_err(Error::table(table))?;
        }
        frames.push(df.lazy());
    }
    if frames.is_empty() {
        return Ok(None);
    }
    let df = concat(frames, UnionArgs::default())
        .and_then(|lf| lf.collect())
        .map_err(Error::table(table))?;
    Ok(Some(df))
}

/// Puts `added` columns into `df` right after its column `after`, where `stances_frame`
/// writes them now, unless `df` already has the first of them (a part written since). This
/// is how `stances` parts from older versions are read as they would be written today.
fn upgrade_with(mut df: DataFrame, after: &str, added: Vec<Column>) -> PolarsResult<DataFrame> {
    let mut names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|c| c.to_string())
        .collect();
    if added
        .first()
        .is_none_or(|c| names.iter().any(|n| n == c.name().as_str()))
    {
        return Ok(df);
    }
    let at = names
        .iter()
        .position(|c| c == after)
        .map_or(names.len(), |i| i + 1);
    for (k, c) in added.iter().enumerate() {
        names.insert(at + k, c.name().to_string());
    }
    for c in added {
        df.with_column(c)?;
    }
    df.select(names)
}

/// A `stances` part from before clauses (session 5 and earlier) scored whole sentences: each
/// row is clause 0, and its clause offsets are the sentence's (null here; they are in
/// `sentences`).
fn with_clause_columns(df: DataFrame) -> PolarsResult<DataFrame> {
    let n = df.height();
    let added = vec![
        Column::new("clause_index".into(), vec![0u32; n]),
        Column::full_null("clause_start".into(), n, &DataType::UInt64),
        Column::full_null("clause_end".into(), n, &DataType::UInt64),
    ];
    upgrade_with(df, "sentence_id", added)
}

/// A `stances` part from before acts on laws (session 8 and earlier) read every clause by
/// its own words: `basis` is `sentence`, `sentence_score` the score, and the act and law
/// columns are null.
fn with_law_columns(df: DataFrame) -> PolarsResult<DataFrame> {
    let n = df.height();
    let added = vec![
        Column::new("basis".into(), vec!["sentence"; n]),
        df.column("score")?
            .clone()
            .with_name("sentence_score".into()),
        Column::full_null("act".into(), n, &DataType::String),
        Column::full_null("law_text".into(), n, &DataType::String),
        Column::full_null("law_start".into(), n, &DataType::UInt64),
        Column::full_null("law_end".into(), n, &DataType::UInt64),
    ];
    upgrade_with(df, "label", added)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Periods;

    fn row(sentence_index: u32) -> StanceRow {
        StanceRow {
            article_id: "a".into(),
            sentence_index,
            clause_index: 0,
            clause_start: 0,
            clause_end: 10,
            target_id: "t".into(),
            favor: 0.7,
            against: 0.2,
            none: 0.1,
            score: 0.5,
            label: "favor".into(),
            basis: "sentence".into(),
            sentence_score: 0.5,
            act: None,
            law_text: None,
            law_start: None,
            law_end: None,
            holder: Some("Ana Ruiz".into()),
            holder_actor_id: Some("ana-ruiz".into()),
            holder_type: Some("PER".into()),
            holder_kind: Some("actor".into()),
            holder_resolution: Some("name".into()),
            holder_mention: Some("Ana Ruiz".into()),
            holder_start: Some(0),
            holder_end: Some(8),
            role: None,
            place: None,
            level: None,
            holder_former: Some(false),
            published: None,
            period: Periods::default(),
            stance_model: "m".into(),
            ner_model: "n".into(),
        }
    }

    #[test]
    fn stance_parts_from_before_acts_on_laws_stack_with_new_ones() {
        let dir = tempfile::tempdir().unwrap();
        let mut old = stances_frame(&[row(0)]).unwrap().drop_many([
            "basis",
            "sentence_score",
            "act",
            "law_text",
            "law_start",
            "law_end",
        ]);
        let mut acted = row(1);
        acted.basis = "act_on_law".into();
        acted.act = Some("vetoed".into());
        acted.law_start = Some(3);
        let mut new = stances_frame(&[acted]).unwrap();
        let (a, b) = (
            dir.path().join("old.parquet"),
            dir.path().join("new.parquet"),
        );
        write_parquet(&mut old, &a).unwrap();
        write_parquet(&mut new, &b).unwrap();
        let both = read_parts(&[a, b], "stances").unwrap().unwrap();
        assert_eq!(both.get_column_names(), new.get_column_names());
        let basis = both.column("basis").unwrap().str().unwrap();
        assert_eq!(
            (basis.get(0), basis.get(1)),
            (Some("sentence"), Some("act_on_law"))
        );
        let score = both.column("sentence_score").unwrap().f32().unwrap();
        assert_eq!(score.get(0), Some(0.5));
        let law_start = both.column("law_start").unwrap().u64().unwrap();
        assert_eq!((law_start.get(0), law_start.get(1)), (None, Some(3)));
    }

    #[test]
    fn stance_parts_from_before_clauses_stack_with_new_ones() {
        let dir = tempfile::tempdir().unwrap();
        let mut old = stances_frame(&[row(0)]).unwrap().drop_many([
            "clause_index",
            "clause_start",
            "clause_end",
        ]);
        let mut new = stances_frame(&[row(1)]).unwrap();
        let (a, b) = (
            dir.path().join("old.parquet"),
            dir.path().join("new.parquet"),
        );
        write_parquet(&mut old, &a).unwrap();
        write_parquet(&mut new, &b).unwrap();
        let both = read_parts(&[a, b], "stances").unwrap().unwrap();
        assert_eq!(both.height(), 2);
        assert_eq!(both.get_column_names(), new.get_column_names());
        let clause = both.column("clause_index").unwrap().u32().unwrap();
        assert_eq!(clause.get(0), Some(0));
        let start = both.column("clause_start").unwrap().u64().unwrap();
        assert_eq!((start.get(0), start.get(1)), (None, Some(0)));
    }
}
