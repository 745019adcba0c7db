//! stancewatch: who stands where on a contested policy, read from news articles.
//!
//! Stages, one module each (see each module's contract):
//! [`ingest`] -> [`sentences`] -> [`ner`] -> [`attribution`] (with [`actors`]) -> [`stance`]
//! -> [`aggregate`], orchestrated by [`pipeline`] and stored by [`store`].

pub mod actors;
pub mod aggregate;
pub mod attribution;
pub mod bench;
pub mod config;
pub mod error;
pub mod eval;
pub mod laws;
pub mod metrics;
pub mod models;
pub mod ner;
pub mod pipeline;
pub mod progress;
pub mod records;
pub mod stance;
pub mod store;
pub mod tables;

pub use error::{Error, Result};
/// The pure text stages live in their own crate (`pipeline/text`) so they can be fuzzed alone.
pub use stancewatch_text::{ingest, sentences};
