//! Stage 2: sentence splitting with byte offsets.
//!
//! Contract: `split(text)` returns non-overlapping spans in text order; each span's
//! `start..end` are char boundaries of `text`, `&text[start..end]` is the sentence with
//! surrounding white space trimmed, and no non-white-space character of `text` is left out
//! of every span (nothing is silently dropped). Each line is a paragraph: headings and
//! datelines on their own line stay separate sentences. Within a paragraph the boundaries
//! come from the `sentencex` crate (chosen by measurement, see `stancewatch eval sentences`),
//! with three fix-ups for what it gets wrong in news text: a quote of several sentences is
//! split inside, a short attribution after a quoted question stays with it (`…?” Jones
//! asked.`), and numbered or lettered list items are sentences with their marker.
//! `split_article` also keeps a title the text opens with on the same line apart.
//! A pure function: the pipeline runs it per article under rayon.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentenceSpan {
    pub start: usize,
    pub end: usize,
    /// 0-based index of the line (paragraph) the sentence is in.
    pub paragraph: u32,
}

/// Like [`split`], for an article whose text opens with its own title on the same line as
/// the first sentence (as scraped pages often do: "… to Welcoming City Ordinance Following
/// an uptick …"): the title is then a sentence of its own, never the start of the first one.
pub fn split_article(text: &str, title: Option<&str>) -> Vec<SentenceSpan> {
    let lead = text.len() - text.trim_start().len();
    let body = &text[lead..];
    let glued = title.map(str::trim).filter(|t| {
        t.split_whitespace().count() >= 3
            && !t.contains('\n')
            && body.starts_with(t)
            && body[t.len()..].starts_with(' ')
            && body[t.len()..].trim_start().starts_with(char::is_uppercase)
    });
    let Some(t) = glued else {
        return split(text);
    };
    let cut = lead + t.len();
    let mut spans = vec![SentenceSpan {
        start: lead,
        end: cut,
        paragraph: 0,
    }];
    // The rest of the first line is still line 0, so paragraph numbers stay the text's.
    spans.extend(split(&text[cut..]).into_iter().map(|s| SentenceSpan {
        start: s.start + cut,
        end: s.end + cut,
        ..s
    }));
    spans
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
    for (s, e) in list_items(line) {
        split_segment(&line[s..e], offset + s, paragraph, out);
    }
}

/// A list marker: an optional bullet, then 1-3 digits or one lower-case letter, then a dot
/// ("1.", "⁃10.", "b."). Returns (the marker's value, its length in bytes).
fn list_marker(text: &str) -> Option<(u32, usize)> {
    let body = text.trim_start_matches(['⁃', '•', '-', '–', '*']);
    let bullet = text.len() - body.len();
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    let (value, len) = match digits {
        1..=3 => (body[..digits].parse().ok()?, digits),
        0 => {
            let c = body.chars().next().filter(char::is_ascii_lowercase)?;
            (c as u32 - 'a' as u32 + 1, 1)
        }
        _ => return None,
    };
    body[len..]
        .starts_with(". ")
        .then_some((value, bullet + len + 1))
}

/// A line that opens with a list marker and holds the next markers in sequence
/// ("1. The first item 2. The second item") is cut before each of them; any other line is
/// one segment. The sequence requirement keeps "5-2. 3 votes" and "a. m." from counting.
fn list_items(line: &str) -> Vec<(usize, usize)> {
    let lead = line.len() - line.trim_start().len();
    let Some((mut value, marker_len)) = list_marker(&line[lead..]) else {
        return vec![(0, line.len())];
    };
    let mut cuts = vec![0];
    let mut from = lead + marker_len;
    'next: loop {
        for (i, _) in line[from..].match_indices(' ') {
            let at = from + i + 1;
            if let Some((v, len)) = list_marker(&line[at..]) {
                if v == value + 1
                    && line[at + len..]
                        .trim_start()
                        .starts_with(char::is_uppercase)
                {
                    cuts.push(at);
                    value = v;
                    from = at + len;
                    continue 'next;
                }
            }
        }
        break;
    }
    cuts.push(line.len());
    cuts.windows(2).map(|w| (w[0], w[1])).collect()
}

fn split_segment(line: &str, offset: usize, paragraph: u32, out: &mut Vec<SentenceSpan>) {
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
    let fixed = split_after_may(line, fixed);
    let fixed = split_inside_quotes(line, fixed);
    let fixed = join_cut_attributions(line, fixed);
    let fixed = join_after_titles(line, fixed);
    for (s, e) in join_lone_markers(line, fixed) {
        if let Some((ts, te)) = trim_span(line, s, e) {
            out.push(SentenceSpan {
                start: offset + ts,
                end: offset + te,
                paragraph,
            });
        }
    }
}

/// sentencex reads "May." as an abbreviation and joins "… in May. Advocates said …"; the
/// month is never abbreviated with a dot, so a capital letter after "May. " starts a
/// sentence.
fn split_after_may(line: &str, pieces: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(pieces.len());
    for (s, e) in pieces {
        let mut start = s;
        for (at, _) in line[s..e].match_indices(" May. ") {
            let cut = s + at + " May.".len();
            let next = line[cut..e].trim_start().chars().next();
            if next.is_some_and(char::is_uppercase) && cut > start {
                out.push((start, cut));
                start = cut;
            }
        }
        out.push((start, e));
    }
    out
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

/// The splitter never ends a sentence inside quotation marks, so a quote of several
/// sentences ("“We will not cooperate. Our officers are not ICE agents,” she said.") comes
/// back whole. The text inside each quote of a piece is split again by the same splitter,
/// and the piece is cut at those inner boundaries: the first part keeps the opening mark,
/// the last the closing mark and the attribution.
fn split_inside_quotes(line: &str, pieces: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(pieces.len());
    for (s, e) in pieces {
        let mut cuts = Vec::new();
        for (qs, qe) in quote_spans(&line[s..e]) {
            let (qs, qe) = (s + qs, s + qe);
            let inner = &line[qs..qe];
            // Most quotes hold one sentence: only a stop followed by more text can end one
            // inside, and only then is the splitter run again.
            let inner_stop = inner.char_indices().any(|(i, c)| {
                matches!(c, '.' | '?' | '!')
                    && inner[i + 1..].starts_with(char::is_whitespace)
                    && !inner[i + 1..].trim().is_empty()
            });
            if !inner_stop {
                continue;
            }
            let bounds = sentencex::get_sentence_boundaries("en", inner);
            for b in bounds.iter().take(bounds.len().saturating_sub(1)) {
                let cut = qs + b.end_byte.min(inner.len());
                if cut > s && cut < e && line.is_char_boundary(cut) {
                    cuts.push(cut);
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        let mut start = s;
        for cut in cuts {
            if !line[start..cut].trim().is_empty() && !line[cut..e].trim().is_empty() {
                out.push((start, cut));
                start = cut;
            }
        }
        out.push((start, e));
    }
    out
}

/// Byte ranges of the text inside quotation marks (“…”, "…"; an unclosed quote runs to the
/// end), relative to `text`.
fn quote_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (i, c) in text.char_indices() {
        match (open, c) {
            (None, '“') | (None, '"') => open = Some((i + c.len_utf8(), c)),
            (Some((from, '“')), '”')
            | (Some((from, '“')), '"')
            | (Some((from, '"')), '"')
            | (Some((from, '"')), '”') => {
                spans.push((from, i));
                open = None;
            }
            _ => {}
        }
    }
    if let Some((from, _)) = open {
        spans.push((from, text.len()));
    }
    spans
}

/// A piece that is only a list marker ("1.", "b.") belongs to the item after it.
fn join_lone_markers(line: &str, pieces: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(pieces.len());
    let mut pending: Option<usize> = None;
    for (s, e) in pieces {
        let piece = line[s..e].trim();
        // (Only short pieces ending in a dot can be a marker; most sentences stop here.)
        let lone = piece.len() <= 8
            && piece.ends_with('.')
            && list_marker(&format!("{piece} ")).is_some_and(|(_, len)| len == piece.len());
        let start = pending.take().unwrap_or(s);
        if lone {
            pending = Some(start);
        } else {
            out.push((start, e));
        }
    }
    if let Some(start) = pending {
        out.push((start, line.len()));
    }
    out
}

/// Abbreviated titles that stand before a name ("Ald. Ray Lopez", "Sen. Bo Hale"), without
/// their dot. sentencex does not know them all; the pipeline's entity repair uses them too.
pub const TITLE_ABBREVIATIONS: &[&str] = &[
    "Ald", "Gov", "Sen", "Rep", "Lt", "Sgt", "Det", "Supt", "Capt", "Cmdr", "Atty", "Insp", "Gen",
    "Col", "Cpl",
];

/// A piece ending in a title abbreviation does not end a sentence when the next piece opens
/// with a capital letter: "… but Ald." + "Jessica Fuentes moved …" is one sentence.
fn join_after_titles(line: &str, pieces: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(pieces.len());
    for (s, e) in pieces {
        if let Some(last) = out.last_mut() {
            let before = line[last.0..last.1].trim_end();
            let title = before
                .rsplit([' ', '(', '“', '"'])
                .next()
                .and_then(|w| w.strip_suffix('.'))
                .is_some_and(|w| TITLE_ABBREVIATIONS.contains(&w));
            if title && last.1 <= s && line[s..e].trim_start().starts_with(char::is_uppercase) {
                last.1 = e;
                continue;
            }
        }
        out.push((s, e));
    }
    out
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
            let attribution = || {
                let piece = line[s..e].trim();
                piece.starts_with(char::is_lowercase)
                    || piece.split_whitespace().count() <= 6
                        && piece
                            .split_whitespace()
                            .take(4)
                            .any(|w| ATTRIBUTION_VERBS.contains(&w.trim_end_matches(['.', ','])))
            };
            if quote_after_mark && last.1 <= s && attribution() {
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
    fn a_sentence_ending_in_may_ends_there() {
        assert_eq!(
            texts("The sheriff signed the deal in May. Advocates objected on Friday."),
            vec![
                "The sheriff signed the deal in May.",
                "Advocates objected on Friday."
            ]
        );
        assert_eq!(
            texts("It ends in May. the rest is lower case."),
            vec!["It ends in May. the rest is lower case."]
        );
    }

    #[test]
    fn a_title_glued_to_the_first_sentence_is_its_own() {
        let text = "Harlow council limits sanctuary rules Following a vote, the council acted. It passed.\nMore.";
        let spans = split_article(text, Some("Harlow council limits sanctuary rules"));
        let got: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(got[0], "Harlow council limits sanctuary rules");
        assert_eq!(got[1], "Following a vote, the council acted.");
        assert_eq!(spans.last().map(|s| s.paragraph), Some(1));
        check_spans(text, &spans).unwrap();
        // A title on its own line, or one the text does not open with, changes nothing.
        let own_line = "Harlow council limits sanctuary rules\nFollowing a vote, it acted.";
        assert_eq!(
            split_article(own_line, Some("Harlow council limits sanctuary rules")),
            split(own_line)
        );
        assert_eq!(split_article(text, Some("Another title here")), split(text));
    }

    #[test]
    fn a_title_abbreviation_does_not_end_the_sentence() {
        let text = "The plan was tabled by Lopez, but Ald. Nia Ford moved to revive it. Ald.\u{a0}Ford said so. It passed.";
        let got = texts(text);
        assert_eq!(
            got[0],
            "The plan was tabled by Lopez, but Ald. Nia Ford moved to revive it."
        );
        assert_eq!(got.last(), Some(&"It passed."));
        assert_eq!(
            texts("He met Gov. Dana Whitcomb. She agreed."),
            ["He met Gov. Dana Whitcomb.", "She agreed."]
        );
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
    fn a_quote_of_several_sentences_is_split_inside() {
        let t = "“We will not cooperate. Our officers are not ICE agents,” Mayor Hale said. The U.S. attorney disagreed.\n\"Dr. Okafor told us. It was Jan. 5 in the U.S. capital.\" Then she left.";
        assert_eq!(
            texts(t),
            vec![
                "“We will not cooperate.",
                "Our officers are not ICE agents,” Mayor Hale said.",
                "The U.S. attorney disagreed.",
                "\"Dr. Okafor told us.",
                "It was Jan. 5 in the U.S. capital.\"",
                "Then she left."
            ]
        );
    }

    #[test]
    fn numbered_and_lettered_lists_are_items() {
        assert_eq!(
            texts("1. The first item 2. The second item"),
            vec!["1. The first item", "2. The second item"]
        );
        assert_eq!(
            texts("1. The first item. 2. The second item."),
            vec!["1. The first item.", "2. The second item."]
        );
        assert_eq!(
            texts("⁃9. The first item ⁃10. The second item"),
            vec!["⁃9. The first item", "⁃10. The second item"]
        );
        assert_eq!(
            texts("a. The first item b. The second item c. The third list item"),
            vec![
                "a. The first item",
                "b. The second item",
                "c. The third list item"
            ]
        );
        assert_eq!(
            texts("The vote was 5-2. 3. Council members left. It ended at 9 p.m."),
            vec![
                "The vote was 5-2.",
                "3. Council members left.",
                "It ended at 9 p.m."
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
        // Word-level: list markers, bullets, quotes and abbreviations in any order, which
        // character-level noise rarely puts together.
        let tokens = [
            "1.", "2.", "⁃3.", "⁃4.", "a.", "b.", "•c.", "“", "”", "\"", "U.S.", "Mr.", "He",
            "said.", "The", "item", "?”", "!\"", "Jones", "asked.", "\n", "😀", "Ж.", "…", "—",
        ];
        for _ in 0..3000 {
            let len = rng.below(30);
            let text: String = (0..len)
                .map(|_| *rng.pick(&tokens))
                .collect::<Vec<_>>()
                .join(if rng.below(4) == 0 { "" } else { " " });
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
