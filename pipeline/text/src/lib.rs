//! stancewatch's pure text stages, kept apart from the model and dataframe code so that
//! they build fast and can be fuzzed on their own (`pipeline/fuzz`):
//! [`ingest`] (articles in, with rejects) and [`sentences`] (byte-offset sentence spans);
//! [`random`] is the deterministic generator the randomised tests of both crates share.

pub mod error;
pub mod ingest;
pub mod random;
pub mod sentences;

pub use error::{Error, Result};
