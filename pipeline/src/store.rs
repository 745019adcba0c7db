//! The output dataset: append-only fact tables, a manifest of committed batches, and
//! aggregates rebuilt from all committed facts.
//!
//! Layout of an output directory:
//! ```text
//! facts/<table>/year=<YYYY|unknown>/part-<batch>-<chunk>.parquet   articles, sentences, entities, stances
//! facts/rejects/part-<batch>.parquet
//! manifest/<batch>.json          one file per committed batch: the commit point
//! aggregates/<table>.parquet     rebuilt after each batch from every committed part
//! ```
//! Contract: a part file is visible only through a manifest record that lists it; the
//! manifest record is written last (atomically), so a run killed at any point leaves either
//! a committed batch or nothing that counts. Batch ids are derived from the batch's content,
//! so re-running after a crash targets the same batch id, and `discard_uncommitted` first
//! removes what the killed attempt left behind (its temporary files and uncommitted parts).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::tables;

/// The append-only fact tables, in the order a batch writes them.
pub const FACT_TABLES: &[&str] = &[
    "articles",
    "sentences",
    "entities",
    "stances",
    "actors",
    "rejects",
];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BatchRecord {
    pub batch_id: String,
    pub started_at: String,
    pub finished_at: String,
    pub inputs: Vec<String>,
    pub shard: Option<String>,
    pub n_input_articles: usize,
    pub n_new_articles: usize,
    pub n_already_known: usize,
    pub n_rejects: usize,
    pub n_sentences: usize,
    pub n_entities: usize,
    pub n_stances: usize,
    pub ner_model: String,
    pub stance_model: String,
    pub config_fingerprint: String,
    /// Part files, relative to the output directory.
    pub parts: Vec<String>,
    /// Articles of this batch whose source id or URL was seen before with other text.
    pub new_versions: Vec<String>,
}

pub struct Store {
    pub root: PathBuf,
    pub batches: Vec<BatchRecord>,
}

impl Store {
    /// Opens (creating if needed) an output directory, checks it is writable, loads the
    /// manifest and removes leftovers of interrupted runs.
    pub fn open(root: &Path) -> Result<Store> {
        std::fs::create_dir_all(root.join("manifest")).map_err(|e| Error::Output {
            path: root.to_path_buf(),
            message: format!("cannot create the output directory ({e}); pass a writable --output"),
        })?;
        let probe = root.join(format!(".write-probe-{}", std::process::id()));
        std::fs::write(&probe, b"ok").map_err(|e| Error::Output {
            path: root.to_path_buf(),
            message: format!("output directory is not writable ({e}); pass a writable --output"),
        })?;
        let _ = std::fs::remove_file(&probe);
        let mut batches = Vec::new();
        let manifest_dir = root.join("manifest");
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&manifest_dir)
            .map_err(|e| Error::read(&manifest_dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.starts_with('.') {
                let _ = std::fs::remove_file(&p);
                continue;
            }
            if p.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            let text = std::fs::read_to_string(&p).map_err(|e| Error::read(&p, e))?;
            let record: BatchRecord = serde_json::from_str(&text).map_err(|e| Error::Output {
                path: p.clone(),
                message: format!("corrupt manifest record: {e}"),
            })?;
            batches.push(record);
        }
        batches.sort_by(|a, b| {
            a.finished_at
                .cmp(&b.finished_at)
                .then(a.batch_id.cmp(&b.batch_id))
        });
        Ok(Store {
            root: root.to_path_buf(),
            batches,
        })
    }

    fn committed_parts(&self) -> HashSet<PathBuf> {
        self.batches
            .iter()
            .flat_map(|b| b.parts.iter().map(|p| self.root.join(p)))
            .collect()
    }

    /// Deletes what an interrupted attempt at `batch_id` left behind: its part files that
    /// no manifest record lists and its temporary files. Files of other batches are left
    /// alone, so shards writing to one directory at once never touch each other's work.
    pub fn discard_uncommitted(&self, batch_id: &str) -> Result<()> {
        let committed = self.committed_parts();
        let facts = self.root.join("facts");
        if !facts.exists() {
            return Ok(());
        }
        let mut stack = vec![facts];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).map_err(|e| Error::read(&dir, e))? {
                let p = entry.map_err(|e| Error::read(&dir, e))?.path();
                let ours = p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().contains(batch_id));
                if p.is_dir() {
                    stack.push(p);
                } else if ours && !committed.contains(&p) {
                    std::fs::remove_file(&p).map_err(|e| Error::write(&p, e))?;
                }
            }
        }
        Ok(())
    }

    /// Committed part files of one table.
    pub fn parts(&self, table: &str) -> Vec<PathBuf> {
        let prefix = format!("facts/{table}/");
        self.batches
            .iter()
            .flat_map(|b| {
                b.parts
                    .iter()
                    .filter(|p| p.starts_with(&prefix))
                    .map(|p| self.root.join(p))
            })
            .collect()
    }

    /// All committed rows of a table.
    pub fn read_table(&self, table: &str) -> Result<Option<DataFrame>> {
        tables::read_parts(&self.parts(table), table)
    }

    /// Article ids already in the dataset, with their source ids and URLs (for versions).
    pub fn known_articles(&self) -> Result<KnownArticles> {
        let mut known = KnownArticles::default();
        if let Some(df) = self.read_table("articles")? {
            let ids = df
                .column("article_id")
                .and_then(|c| c.str().cloned())
                .map_err(Error::table("articles"))?;
            let sids = df
                .column("source_id")
                .and_then(|c| c.str().cloned())
                .map_err(Error::table("articles"))?;
            let urls = df
                .column("url")
                .and_then(|c| c.str().cloned())
                .map_err(Error::table("articles"))?;
            for i in 0..df.height() {
                let id = ids.get(i).unwrap_or_default().to_string();
                if let Some(u) = urls.get(i) {
                    known.by_url.insert(u.to_string(), id.clone());
                }
                if let Some(s) = sids.get(i) {
                    known.by_source_id.insert(s.to_string(), id.clone());
                }
                known.ids.insert(id);
            }
        }
        Ok(known)
    }

    /// Rejects already recorded, as (input file, line, reason), so a re-run does not record
    /// them again.
    pub fn known_rejects(&self) -> Result<HashSet<(String, Option<u64>, String)>> {
        let mut known = HashSet::new();
        if let Some(df) = self.read_table("rejects")? {
            let file = df
                .column("input_file")
                .and_then(|c| c.str().cloned())
                .map_err(Error::table("rejects"))?;
            let line = df
                .column("input_line")
                .and_then(|c| c.u64().cloned())
                .map_err(Error::table("rejects"))?;
            let reason = df
                .column("reason")
                .and_then(|c| c.str().cloned())
                .map_err(Error::table("rejects"))?;
            for i in 0..df.height() {
                known.insert((
                    file.get(i).unwrap_or_default().to_string(),
                    line.get(i),
                    reason.get(i).unwrap_or_default().to_string(),
                ));
            }
        }
        Ok(known)
    }

    /// Writes one part of a fact table and returns its path relative to the root.
    pub fn write_part(
        &self,
        table: &str,
        partition: Option<&str>,
        name: &str,
        df: &mut DataFrame,
    ) -> Result<String> {
        let rel = match partition {
            Some(p) => format!("facts/{table}/year={p}/{name}.parquet"),
            None => format!("facts/{table}/{name}.parquet"),
        };
        tables::write_parquet(df, &self.root.join(&rel))?;
        Ok(rel)
    }

    /// Commits a batch: its manifest record is written atomically, after all its parts.
    pub fn commit(&mut self, record: BatchRecord) -> Result<()> {
        let path = self
            .root
            .join("manifest")
            .join(format!("{}.json", record.batch_id));
        let json = serde_json::to_vec_pretty(&record).expect("batch record serialises");
        tables::write_atomic(&path, &json)?;
        self.batches.push(record);
        Ok(())
    }

    pub fn write_aggregate(&self, name: &str, df: &mut DataFrame) -> Result<PathBuf> {
        let path = self.root.join("aggregates").join(format!("{name}.parquet"));
        tables::write_parquet(df, &path)?;
        Ok(path)
    }
}

#[derive(Debug, Default)]
pub struct KnownArticles {
    pub ids: HashSet<String>,
    pub by_url: BTreeMap<String, String>,
    pub by_source_id: BTreeMap<String, String>,
}

/// Splits rows into Hive partitions by published year ("unknown" when undated).
pub fn year_partition(published: Option<&str>) -> String {
    published
        .and_then(|p| p.get(..4))
        .filter(|y| y.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_string)
        .unwrap_or_else(|| "unknown".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncommitted_parts_of_a_batch_are_discarded() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let mut store = Store::open(root).unwrap();
        let mut df = df!("a" => [1i32, 2]).unwrap();
        let kept = store
            .write_part("articles", Some("2016"), "part-b1-0", &mut df)
            .unwrap();
        store
            .commit(BatchRecord {
                batch_id: "b1".into(),
                started_at: "t0".into(),
                finished_at: "t1".into(),
                inputs: vec![],
                shard: None,
                n_input_articles: 2,
                n_new_articles: 2,
                n_already_known: 0,
                n_rejects: 0,
                n_sentences: 0,
                n_entities: 0,
                n_stances: 0,
                ner_model: "n".into(),
                stance_model: "s".into(),
                config_fingerprint: "c".into(),
                parts: vec![kept.clone()],
                new_versions: vec![],
            })
            .unwrap();
        // A killed run leaves a part without a manifest record and a temporary file.
        let orphan = store
            .write_part("articles", Some("2017"), "part-b2-0", &mut df)
            .unwrap();
        let other = store
            .write_part("articles", Some("2017"), "part-b3-0", &mut df)
            .unwrap();
        std::fs::write(
            root.join("facts/articles/.part-b2-1.parquet.tmp-1"),
            b"half",
        )
        .unwrap();
        let store = Store::open(root).unwrap();
        store.discard_uncommitted("b2").unwrap();
        assert!(root.join(&kept).exists());
        assert!(!root.join(&orphan).exists());
        assert!(
            root.join(&other).exists(),
            "another shard's work in progress is left alone"
        );
        assert!(!root
            .join("facts/articles/.part-b2-1.parquet.tmp-1")
            .exists());
        assert_eq!(store.read_table("articles").unwrap().unwrap().height(), 2);
    }

    #[test]
    fn unwritable_output_is_a_clear_error() {
        let err = Store::open(Path::new("/proc/stancewatch-out"))
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains("/proc/stancewatch-out") && err.contains("--output"),
            "{err}"
        );
    }

    #[test]
    fn year_partitions() {
        assert_eq!(year_partition(Some("2016-11-17")), "2016");
        assert_eq!(year_partition(None), "unknown");
    }
}
