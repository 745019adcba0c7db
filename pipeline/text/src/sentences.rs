//! Stage 2: sentence splitting with byte offsets.
//!
//! Contract: `split(text)` returns non-overlapping spans in text order; each span's
//! `start..end` are char boundaries of `text`, `&text[start..end]` is the sentence with
//! surrounding white space trimmed, and no non-white-space character of `text` is left out
//! of every span (nothing is silently dropped). Each line is a paragraph: headings and
//! datelines on their own line stay separate sentences. Within a paragraph the boundaries
//! come from the `sentencex` crate (chosen by measurement, see `stancewatch eval sentences`).
//! A pure function: the pipeline runs it per article under rayon.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentenceSpan {
    pub start: usize,
    pub end: usize,
    /// 0-based index of the line (paragraph) the sentence is in.
    pub paragraph: u32,
}

/// Splits `text` into sentences (see the module contract).
pub fn split(text: &str) -> Vec<SentenceSpan> {
    let mut spans = Vec::new();
    let mut line_start = 0usize;
    for (paragraph, line) in text.split('\n').enumerate() {
        let offset = line_start;
        line_start += line.len() + 1;
        if line.trim().is_empty() {
            continue;
        }
        split_paragraph(line, offset, paragraph as u32, &mut spans);
    }
    spans
}

fn split_paragraph(line: &str, offset: usize, paragraph: u32, out: &mut Vec<SentenceSpan>) {
    let mut covered = 0usize;
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    for b in sentencex::get_sentence_boundaries("en", line) {
        // sentencex offsets are into `line`; guard against anything that does not slice back.
        let (s, e) = (b.start_byte.max(covered), b.end_byte.min(line.len()));
        if s >= e || !line.is_char_boundary(s) || !line.is_char_boundary(e) {
            continue;
        }
        pieces.push((s, e));
        covered = e;
    }
    // Whatever the splitter did not cover (it should cover all) is kept as its own span,
    // so that no text can vanish between sentences.
    let mut cursor = 0usize;
    let mut fixed = Vec::with_capacity(pieces.len() + 1);
    for (s, e) in pieces {
        if s > cursor {
            fixed.push((cursor, s));
        }
        fixed.push((s, e));
        cursor = e;
    }
    if cursor < line.len() {
        fixed.push((cursor, line.len()));
    }
    for (s, e) in join_cut_attributions(line, fixed) {
        if let Some((ts, te)) = trim_span(line, s, e) {
            out.push(SentenceSpan {
                start: offset + ts,
                end: offset + te,
                paragraph,
            });
        }
    }
}

/// Checks the module contract for `spans` of `text`: ordered, disjoint, non-empty spans on
/// char boundaries that slice back to trimmed text, covering every non-white-space
/// character. Used by the tests and the fuzz targets; returns what is wrong.
pub fn check_spans(text: &str, spans: &[SentenceSpan]) -> Result<(), String> {
    let mut last_end = 0;
    let mut kept = 0usize;
    for sp in spans {
        if sp.start >= sp.end || sp.start < last_end || sp.end > text.len() {
            return Err(format!(
                "span {sp:?} is empty, out of order or out of range"
            ));
        }
        if !text.is_char_boundary(sp.start) || !text.is_char_boundary(sp.end) {
            return Err(format!("span {sp:?} is not on char boundaries"));
        }
        let piece = &text[sp.start..sp.end];
        if piece != piece.trim() {
            return Err(format!("span {sp:?} is not trimmed: {piece:?}"));
        }
        kept += piece.chars().filter(|c| !c.is_whitespace()).count();
        last_end = sp.end;
    }
    let all = text.chars().filter(|c| !c.is_whitespace()).count();
    if kept != all {
        return Err(format!("spans keep {kept} of {all} non-space characters"));
    }
    Ok(())
}

/// Verbs of a short attribution after a quoted question or exclamation.
const ATTRIBUTION_VERBS: &[&str] = &[
    "said",
    "says",
    "asked",
    "asks",
    "added",
    "told",
    "wrote",
    "replied",
    "shouted",
    "wondered",
    "tweeted",
    "posted",
    "continued",
];

/// The splitter ends a sentence at `?”` or `!"` even when the attribution follows
/// (`“Who pays for this?” Jones asked.`). A piece after such a quote is joined back when it
/// starts in lower case (`… she asked.`) or is a short attribution with its verb among its
/// first three words (`Jones asked.`, `Sheriff Dale Okafor asked reporters.`).
fn join_cut_attributions(line: &str, pieces: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(pieces.len());
    for (s, e) in pieces {
        if let Some(last) = out.last_mut() {
            let before = line[last.0..last.1].trim_end();
            let mut tail = before.chars().rev();
            let quote_after_mark = matches!(tail.next(), Some('"' | '”' | '’' | '\''))
                && matches!(tail.next(), Some('?' | '!'));
            let piece = line[s..e].trim();
            let words: Vec<&str> = piece.split_whitespace().collect();
            let attribution = piece.starts_with(char::is_lowercase)
                || words.len() <= 6
                    && words
                        .iter()
                        .take(4)
                        .any(|w| ATTRIBUTION_VERBS.contains(&w.trim_end_matches(['.', ','])));
            if quote_after_mark && attribution && last.1 <= s {
                last.1 = e;
                continue;
            }
        }
        out.push((s, e));
    }
    out
}

fn trim_span(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let slice = &text[start..end];
    let lead = slice.len() - slice.trim_start().len();
    let trimmed = slice.trim();
    if trimmed.is_empty() {
        return None;
    }
    Some((start + lead, start + lead + trimmed.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        split(text).iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn splits_sentences_and_lines_with_offsets() {
        let t = "Chicago\nMayor Rahm Emanuel spoke. He said the city is safe.\n\nU.S. officials disagreed.";
        assert_eq!(
            texts(t),
            vec![
                "Chicago",
                "Mayor Rahm Emanuel spoke.",
                "He said the city is safe.",
                "U.S. officials disagreed."
            ]
        );
        let spans = split(t);
        assert_eq!(spans[0].paragraph, 0);
        assert_eq!(spans[1].paragraph, 1);
        assert_eq!(spans[3].paragraph, 3);
    }

    #[test]
    fn an_attribution_after_a_quoted_question_stays_with_it() {
        let t = "Morrow spoke last.\n“Are we going to pay the deputies for this?\" Morrow asked.\n\"Why now?\" she asked the board.\n“Enough!” The crowd cheered.";
        assert_eq!(
            texts(t),
            vec![
                "Morrow spoke last.",
                "“Are we going to pay the deputies for this?\" Morrow asked.",
                "\"Why now?\" she asked the board.",
                "“Enough!”",
                "The crowd cheered."
            ]
        );
    }

    #[test]
    fn no_text_is_lost_and_offsets_are_char_boundaries() {
        let t =
            "“We’re not going to cooperate.” O’Connor said — and Noem disagreed… Ünïcödé text!  ";
        let spans = split(t);
        let kept: String = spans
            .iter()
            .map(|s| &t[s.start..s.end])
            .collect::<Vec<_>>()
            .join("");
        let original: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(
            kept.chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>(),
            original
        );
        for s in &spans {
            assert!(t.is_char_boundary(s.start) && t.is_char_boundary(s.end));
        }
    }

    /// Randomised inputs (deterministic xorshift): offsets are always char boundaries that
    /// slice back to the sentence, spans are ordered and disjoint, and every non-space
    /// character of the input is in some span.
    #[test]
    fn random_texts_keep_the_offset_contract() {
        let alphabet: Vec<char> = "aZ .!?\n\t\"“”’'…—,;:()0123456789ÄéЖ中😀U.S.Mr\u{0301}\r"
            .chars()
            .collect();
        let mut rng = crate::random::XorShift::new(0x9E37_79B9_7F4A_7C15);
        for _ in 0..3000 {
            let len = rng.below(120);
            let text: String = (0..len).map(|_| *rng.pick(&alphabet)).collect();
            let spans = split(&text);
            if let Err(problem) = check_spans(&text, &spans) {
                panic!("{problem}: {text:?} {spans:?}");
            }
        }
    }

    #[test]
    fn the_contract_checker_catches_broken_spans() {
        let t = "One. Two.";
        let span = |start, end| SentenceSpan {
            start,
            end,
            paragraph: 0,
        };
        assert!(check_spans(t, &[span(0, 4), span(5, 9)]).is_ok());
        assert!(check_spans(t, &[span(0, 4)])
            .unwrap_err()
            .contains("non-space"));
        assert!(check_spans(t, &[span(0, 5), span(5, 9)])
            .unwrap_err()
            .contains("trimmed"));
        assert!(check_spans(t, &[span(5, 9), span(0, 4)]).is_err());
        assert!(check_spans("é", &[span(0, 1)])
            .unwrap_err()
            .contains("boundaries"));
    }

    #[test]
    fn empty_and_blank_texts_give_no_sentences() {
        assert!(split("").is_empty());
        assert!(split(" \n\n \t").is_empty());
    }
}
