//! Any text, normalised as ingest does it and split into sentences: the spans always keep
//! the splitter's contract (`sentences::check_spans`: ordered, disjoint, on char
//! boundaries, slicing back to trimmed text, nothing dropped). Raw (unnormalised) text is
//! split too, since the splitter must not depend on ingest having run.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stancewatch_text::ingest::normalise_text;
use stancewatch_text::sentences::{check_spans, split};

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    for text in [raw.to_string(), normalise_text(&raw)] {
        let spans = split(&text);
        if let Err(problem) = check_spans(&text, &spans) {
            panic!("{problem}: {text:?} {spans:?}");
        }
    }
});
