//! Record vectors to polars frames and Parquet files. Writes are atomic: a file is written
//! under a temporary name in the same directory, synced and renamed, so a reader (or a run
//! killed half-way) never sees a half-written file.

use std::fs::File;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::error::{Error, Result};
use crate::ingest::Reject;
use crate::records::{ArticleRow, EntityRow, SentenceRow, StanceRow};

fn s<T: Into<PlSmallStr>>(name: T, values: Vec<Option<String>>) -> Column {
    Column::new(name.into(), values)
}

fn frame(table: &str, columns: Vec<Column>) -> Result<DataFrame> {
    DataFrame::new_infer_height(columns).map_err(Error::table(table))
}

pub fn articles_frame(rows: &[ArticleRow]) -> Result<DataFrame> {
    frame(
        "articles",
        vec![
            Column::new(
                "article_id".into(),
                rows.iter()
                    .map(|r| r.article_id.clone())
                    .collect::<Vec<_>>(),
            ),
            s(
                "source_id",
                rows.iter().map(|r| r.source_id.clone()).collect(),
            ),
            s("title", rows.iter().map(|r| r.title.clone()).collect()),
            s(
                "published",
                rows.iter().map(|r| r.published.clone()).collect(),
            ),
            Column::new(
                "date_source".into(),
                rows.iter()
                    .map(|r| r.date_source.clone())
                    .collect::<Vec<_>>(),
            ),
            s("source", rows.iter().map(|r| r.source.clone()).collect()),
            s("url", rows.iter().map(|r| r.url.clone()).collect()),
            Column::new(
                "input_file".into(),
                rows.iter()
                    .map(|r| r.input_file.clone())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "input_line".into(),
                rows.iter().map(|r| r.input_line).collect::<Vec<_>>(),
            ),
            Column::new(
                "language".into(),
                rows.iter().map(|r| r.language.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "n_sentences".into(),
                rows.iter().map(|r| r.n_sentences).collect::<Vec<_>>(),
            ),
            Column::new(
                "text".into(),
                rows.iter().map(|r| r.text.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "batch_id".into(),
                rows.iter().map(|r| r.batch_id.clone()).collect::<Vec<_>>(),
            ),
        ],
    )
}

pub fn sentences_frame(rows: &[SentenceRow]) -> Result<DataFrame> {
    frame(
        "sentences",
        vec![
            Column::new(
                "article_id".into(),
                rows.iter()
                    .map(|r| r.article_id.clone())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "sentence_index".into(),
                rows.iter().map(|r| r.sentence_index).collect::<Vec<_>>(),
            ),
            Column::new(
                "paragraph".into(),
                rows.iter().map(|r| r.paragraph).collect::<Vec<_>>(),
            ),
            Column::new(
                "start".into(),
                rows.iter().map(|r| r.start).collect::<Vec<_>>(),
            ),
            Column::new("end".into(), rows.iter().map(|r| r.end).collect::<Vec<_>>()),
            Column::new(
                "text".into(),
                rows.iter().map(|r| r.text.clone()).collect::<Vec<_>>(),
            ),
        ],
    )
}

pub fn entities_frame(rows: &[EntityRow]) -> Result<DataFrame> {
    frame(
        "entities",
        vec![
            Column::new(
                "article_id".into(),
                rows.iter()
                    .map(|r| r.article_id.clone())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "sentence_index".into(),
                rows.iter().map(|r| r.sentence_index).collect::<Vec<_>>(),
            ),
            Column::new(
                "entity_index".into(),
                rows.iter().map(|r| r.entity_index).collect::<Vec<_>>(),
            ),
            Column::new(
                "label".into(),
                rows.iter().map(|r| r.label.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "start".into(),
                rows.iter().map(|r| r.start).collect::<Vec<_>>(),
            ),
            Column::new("end".into(), rows.iter().map(|r| r.end).collect::<Vec<_>>()),
            Column::new(
                "text".into(),
                rows.iter().map(|r| r.text.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "score".into(),
                rows.iter().map(|r| r.score).collect::<Vec<_>>(),
            ),
            s(
                "canonical",
                rows.iter().map(|r| r.canonical.clone()).collect(),
            ),
            s(
                "actor_id",
                rows.iter().map(|r| r.actor_id.clone()).collect(),
            ),
            Column::new(
                "ner_model".into(),
                rows.iter().map(|r| r.ner_model.clone()).collect::<Vec<_>>(),
            ),
        ],
    )
}

pub fn stances_frame(rows: &[StanceRow]) -> Result<DataFrame> {
    let str_col = |name: &str, f: &dyn Fn(&StanceRow) -> String| {
        Column::new(name.into(), rows.iter().map(f).collect::<Vec<_>>())
    };
    let opt_col = |name: &str, f: &dyn Fn(&StanceRow) -> Option<String>| {
        s(name, rows.iter().map(f).collect())
    };
    let f32_col = |name: &str, f: &dyn Fn(&StanceRow) -> f32| {
        Column::new(name.into(), rows.iter().map(f).collect::<Vec<_>>())
    };
    frame(
        "stances",
        vec![
            str_col("article_id", &|r| r.article_id.clone()),
            Column::new(
                "sentence_index".into(),
                rows.iter().map(|r| r.sentence_index).collect::<Vec<_>>(),
            ),
            str_col("sentence_id", &|r| {
                format!("{}#{}", r.article_id, r.sentence_index)
            }),
            str_col("target_id", &|r| r.target_id.clone()),
            f32_col("favor", &|r| r.favor),
            f32_col("against", &|r| r.against),
            f32_col("none", &|r| r.none),
            f32_col("score", &|r| r.score),
            str_col("label", &|r| r.label.clone()),
            opt_col("holder", &|r| r.holder.clone()),
            opt_col("holder_actor_id", &|r| r.holder_actor_id.clone()),
            opt_col("holder_type", &|r| r.holder_type.clone()),
            opt_col("holder_kind", &|r| r.holder_kind.clone()),
            opt_col("holder_resolution", &|r| r.holder_resolution.clone()),
            opt_col("holder_mention", &|r| r.holder_mention.clone()),
            Column::new(
                "holder_start".into(),
                rows.iter().map(|r| r.holder_start).collect::<Vec<_>>(),
            ),
            Column::new(
                "holder_end".into(),
                rows.iter().map(|r| r.holder_end).collect::<Vec<_>>(),
            ),
            opt_col("role", &|r| r.role.clone()),
            opt_col("place", &|r| r.place.clone()),
            opt_col("level", &|r| r.level.clone()),
            Column::new(
                "holder_former".into(),
                rows.iter().map(|r| r.holder_former).collect::<Vec<_>>(),
            ),
            opt_col("published", &|r| r.published.clone()),
            str_col("period_day", &|r| r.period.day.clone()),
            str_col("period_week", &|r| r.period.week.clone()),
            str_col("period_month", &|r| r.period.month.clone()),
            str_col("period_quarter", &|r| r.period.quarter.clone()),
            str_col("period_year", &|r| r.period.year.clone()),
            str_col("stance_model", &|r| r.stance_model.clone()),
            str_col("ner_model", &|r| r.ner_model.clone()),
        ],
    )
}

pub fn rejects_frame(rows: &[Reject], batch_id: &str) -> Result<DataFrame> {
    frame(
        "rejects",
        vec![
            Column::new(
                "input_file".into(),
                rows.iter()
                    .map(|r| r.input_file.clone())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "input_line".into(),
                rows.iter().map(|r| r.input_line).collect::<Vec<_>>(),
            ),
            s(
                "source_id",
                rows.iter().map(|r| r.source_id.clone()).collect(),
            ),
            s(
                "article_id",
                rows.iter().map(|r| r.article_id.clone()).collect(),
            ),
            Column::new(
                "reason".into(),
                rows.iter().map(|r| r.reason.clone()).collect::<Vec<_>>(),
            ),
            Column::new("batch_id".into(), vec![batch_id.to_string(); rows.len()]),
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
pub fn read_parts(paths: &[PathBuf], table: &str) -> Result<Option<DataFrame>> {
    let mut frames = Vec::with_capacity(paths.len());
    for p in paths {
        frames.push(read_parquet(p)?.lazy());
    }
    if frames.is_empty() {
        return Ok(None);
    }
    let df = concat(frames, UnionArgs::default())
        .and_then(|lf| lf.collect())
        .map_err(Error::table(table))?;
    Ok(Some(df))
}

pub fn actors_frame(rows: &[crate::records::ActorRow]) -> Result<DataFrame> {
    frame(
        "actors",
        vec![
            Column::new(
                "article_id".into(),
                rows.iter()
                    .map(|r| r.article_id.clone())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "actor_id".into(),
                rows.iter().map(|r| r.actor_id.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "name".into(),
                rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "entity_type".into(),
                rows.iter()
                    .map(|r| r.entity_type.clone())
                    .collect::<Vec<_>>(),
            ),
            s("role", rows.iter().map(|r| r.role.clone()).collect()),
            s("place", rows.iter().map(|r| r.place.clone()).collect()),
            s("level", rows.iter().map(|r| r.level.clone()).collect()),
            Column::new(
                "former".into(),
                rows.iter().map(|r| r.former).collect::<Vec<_>>(),
            ),
            s(
                "published",
                rows.iter().map(|r| r.published.clone()).collect(),
            ),
        ],
    )
}
