//! Actors: who a mention is, what role they hold and which place they speak for.
//!
//! Contract (pure functions, one article at a time):
//! * [`resolve_names`] maps every PER/ORG mention of an article to a canonical name: a
//!   surname ("O’Connor") or a case variant ("de Blasio") to the full name used elsewhere in
//!   the article ("Corey O’Connor"), an acronym ("ICE") to the organisation it abbreviates
//!   when the article spells it out. A surname misspelt once ("Hohman" beside "Homan",
//!   "Cantil-Sakuyae" beside "Cantil-Sakauye") is the same person when no name matches it
//!   exactly, and the person is named with the spelling the article uses most.
//! * [`read_role`] reads a role and a place from the words around a person mention:
//!   "Pittsburgh Mayor Corey O’Connor", "LAPD Chief Charlie Beck", "Sally Hernandez, the Travis
//!   County sheriff", "as mayor, Jim Kenney".
//! * [`normalise_place`] maps place aliases to one name (LAPD -> Los Angeles,
//!   D.C. -> Washington, D.C.) and [`role_level`] says whether a role speaks for a city,
//!   county, state or the nation.
//! * [`actor_id`] is the cross-article identity: a folded form of the canonical name, so
//!   "Bill De Blasio" and "Bill de Blasio" in two articles are one actor.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::ner::EntitySpan;
use stancewatch_text::sentences::TITLE_ABBREVIATIONS;

/// Role words, longest first so that "police chief" wins over "chief".
pub const ROLES: &[&str] = &[
    "homeland security secretary",
    "secretary of homeland security",
    "police commissioner",
    "police chief",
    "chief of police",
    "county executive",
    "house speaker",
    "speaker of the house",
    "county commissioner",
    "district attorney",
    "attorney general",
    "council member",
    "councilmember",
    "city council",
    "president-elect",
    "border czar",
    "lieutenant governor",
    "mayor-elect",
    "governor",
    "gov.",
    "mayor",
    "sheriff",
    "chief",
    "senator",
    "sen.",
    "representative",
    "rep.",
    "commissioner",
    "alderman",
    "alderperson",
    "secretary",
    "president",
    "director",
    "judge",
    "chairman",
    "chairwoman",
];

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoleInfo {
    pub role: Option<String>,
    pub place: Option<String>,
    pub former: bool,
}

/// Canonical role name for a role word as written.
pub fn canonical_role(word: &str) -> &'static str {
    match word.to_lowercase().as_str() {
        "homeland security secretary" | "secretary of homeland security" => {
            "homeland security secretary"
        }
        "police chief" | "chief of police" | "chief" => "police chief",
        "gov." | "governor" => "governor",
        "sen." | "senator" => "senator",
        "rep." | "representative" => "representative",
        "council member" | "councilmember" | "city council" | "alderman" | "alderperson" => {
            "council member"
        }
        "mayor" | "mayor-elect" => "mayor",
        "sheriff" => "sheriff",
        "county executive" => "county executive",
        "county commissioner" | "commissioner" => "commissioner",
        "police commissioner" => "police commissioner",
        "district attorney" => "district attorney",
        "attorney general" => "attorney general",
        "president" | "president-elect" => "president",
        "border czar" => "border czar",
        "lieutenant governor" => "lieutenant governor",
        "secretary" => "secretary",
        "director" => "director",
        "judge" => "judge",
        "chairman" | "chairwoman" => "chair",
        _ => "official",
    }
}

/// city / county / state / national, from the role and the place's wording.
pub fn role_level(role: &str, place: Option<&str>) -> Option<&'static str> {
    let county_place = place.is_some_and(|p| p.contains("County") || p.contains("Parish"));
    Some(match role {
        "mayor" | "police chief" | "council member" | "police commissioner" => "city",
        "sheriff" | "county executive" | "district attorney" => "county",
        "commissioner" if county_place => "county",
        "governor" | "lieutenant governor" => "state",
        "senator" | "representative" | "attorney general" => {
            if place.is_some_and(|p| p == "United States") {
                "national"
            } else {
                "state"
            }
        }
        "president" | "homeland security secretary" | "border czar" => "national",
        "secretary" | "director" if place.is_none() || place == Some("United States") => "national",
        _ => return None,
    })
}

/// One name for each place alias; organisations that stand for a place map to the place.
pub fn normalise_place(raw: &str) -> String {
    let trimmed = raw
        .trim()
        .trim_end_matches(['’', '\''])
        .trim_end_matches("’s")
        .trim();
    let key: String = trimmed.to_lowercase().replace(['.', ','], "");
    let mapped = match key.as_str() {
        "lapd" | "la" | "los angeles police department" => "Los Angeles",
        "nypd" | "nyc" | "new york city" | "new york police department" => "New York City",
        "dc" | "washington dc" | "district of columbia" => "Washington, D.C.",
        "philly" => "Philadelphia",
        "sf" | "san francisco police department" => "San Francisco",
        "cpd" | "chicago police department" => "Chicago",
        "spd" | "seattle police department" => "Seattle",
        "us"
        | "usa"
        | "united states"
        | "america"
        | "homeland security"
        | "department of homeland security"
        | "dhs"
        | "ice"
        | "immigration and customs enforcement"
        | "white house" => "United States",
        _ => "",
    };
    if !mapped.is_empty() {
        return mapped.to_string();
    }
    for suffix in [
        " Police Department",
        " Police",
        " Sheriff’s Office",
        " Sheriff's Office",
        " City Council",
    ] {
        if let Some(stem) = trimmed.strip_suffix(suffix) {
            return normalise_place(stem);
        }
    }
    trimmed.to_string()
}

/// A place-level role with a bare "New York" means the city.
pub fn place_for_role(place: &str, role: &str) -> String {
    let p = normalise_place(place);
    if p == "New York" && matches!(role, "mayor" | "police chief" | "police commissioner") {
        return "New York City".into();
    }
    p
}

/// Cross-article actor identity: accents and case folded, punctuation dropped.
pub fn actor_id(canonical: &str) -> String {
    let folded: String = canonical
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| if c == '’' { '\'' } else { c })
        .collect::<String>()
        .to_lowercase();
    folded
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_matches('\''))
        .collect::<Vec<_>>()
        .join("-")
}

fn tokens(name: &str) -> Vec<String> {
    name.split_whitespace()
        .map(|t| {
            t.trim_matches(|c: char| !c.is_alphanumeric())
                .nfc()
                .collect::<String>()
                .to_lowercase()
                .replace('\'', "’")
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// Strips a trailing possessive and surrounding punctuation from a mention.
pub fn clean_mention(text: &str) -> String {
    let t = text
        .trim()
        .trim_matches(|c: char| matches!(c, '"' | '“' | '”' | ',' | '(' | ')'));
    let t = t
        .strip_suffix("’s")
        .or_else(|| t.strip_suffix("'s"))
        .unwrap_or(t);
    // "Dept. of Homeland Security" is the Department of Homeland Security.
    t.trim().replace("Dept. ", "Department ")
}

/// Last words of news organisations' names. A paper or broadcaster reports stances
/// ("…, according to the Chronicle", "told TribLive"); it is never the holder of one here.
const NEWS_OUTLET_WORDS: &[&str] = &[
    "times",
    "post",
    "chronicle",
    "tribune",
    "journal",
    "herald",
    "news",
    "press",
    "gazette",
    "globe",
    "inquirer",
    "examiner",
    "bee",
    "register",
    "observer",
    "reuters",
    "ap",
    "stateline",
    "triblive",
    "axios",
    "politico",
    "cnn",
    "npr",
    "msnbc",
    "bloomberg",
];

/// Whether an organisation name is a news outlet (see [`NEWS_OUTLET_WORDS`]).
pub fn is_news_outlet(name: &str) -> bool {
    name.split_whitespace()
        .last()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .is_some_and(|w| NEWS_OUTLET_WORDS.contains(&w.as_str()))
}

/// Joins an organisation name the tagger cut before its place ("ACLU of" + "Oregon" ->
/// "ACLU of Oregon"): an ORG span ending in "of" followed, after one space, by a LOC or ORG
/// span becomes one ORG span. Offsets are into `sentence`; the joined span keeps the lower
/// score. Pure: the pipeline applies it to every sentence's entities before attribution.
pub fn join_split_org_names(sentence: &str, spans: Vec<EntitySpan>) -> Vec<EntitySpan> {
    let mut out: Vec<EntitySpan> = Vec::with_capacity(spans.len());
    for span in spans {
        if let Some(prev) = out.last_mut() {
            let dangling =
                prev.label == "ORG" && (prev.text.ends_with(" of") || prev.text.ends_with(" for"));
            if dangling
                && (span.label == "LOC" || span.label == "ORG")
                && sentence.get(prev.end..span.start) == Some(" ")
            {
                prev.end = span.end;
                prev.text = sentence[prev.start..prev.end].to_string();
                prev.score = prev.score.min(span.score);
                continue;
            }
        }
        out.push(span);
    }
    out
}

/// Every entity repair, in the order they need: [`join_split_org_names`] (which needs the
/// dangling "of"), [`join_office_names`], [`trim_trailing_speech_verbs`],
/// [`names_after_title_abbreviations`]. The pipeline applies it to each sentence's entities
/// before attribution.
pub fn repair_spans(sentence: &str, spans: Vec<EntitySpan>) -> Vec<EntitySpan> {
    let spans = join_split_org_names(sentence, spans);
    let spans = join_office_names(sentence, spans);
    let spans = trim_trailing_speech_verbs(sentence, spans);
    names_after_title_abbreviations(sentence, spans)
}

/// Nouns for the office a role holder runs ("Sheriff’s Office", "Mayor’s Office").
const OFFICE_NOUNS: &[&str] = &["Office", "Department"];

/// Joins an office the tagger cut into pieces: "Rockingham County" LOC + "Sheriff" ORG +
/// "’s " + "Office" ORG -> ORG "Rockingham County Sheriff’s Office". A span ending in a
/// role word, then a possessive and a span that is only an office noun, become one ORG; a
/// place right before it (one space between) joins too, as the office's place.
pub fn join_office_names(sentence: &str, spans: Vec<EntitySpan>) -> Vec<EntitySpan> {
    let mut out: Vec<EntitySpan> = Vec::with_capacity(spans.len());
    for span in spans {
        let joined = out.last().is_some_and(|prev| {
            let gap = sentence.get(prev.end..span.start);
            let role = prev.text.to_lowercase();
            matches!(gap, Some("’s " | "'s "))
                && OFFICE_NOUNS.contains(&span.text.as_str())
                && ROLES
                    .iter()
                    .any(|r| role == *r || role.ends_with(&format!(" {r}")))
        });
        if !joined {
            out.push(span);
            continue;
        }
        let mut office = out.pop().expect("checked");
        if let Some(place) = out.last() {
            if place.label == "LOC" && sentence.get(place.end..office.start) == Some(" ") {
                office.start = place.start;
                office.score = office.score.min(place.score);
                out.pop();
            }
        }
        office.end = span.end;
        office.label = "ORG".into();
        office.text = sentence[office.start..office.end].to_string();
        office.score = office.score.min(span.score);
        out.push(office);
    }
    out
}

/// Cuts a speech verb off the end of a name the tagger ran on into it ("the Times notes"
/// tagged ORG "Times notes" -> "Times"). Only a lower-case speech verb is cut: other
/// lower-case words may be the article's own spelling of a name ("the LA times reports").
/// A span with no capitalised word left is dropped.
pub fn trim_trailing_speech_verbs(sentence: &str, spans: Vec<EntitySpan>) -> Vec<EntitySpan> {
    spans
        .into_iter()
        .filter_map(|mut span| {
            let text = &sentence[span.start..span.end];
            if let Some(cut) = text.rfind(' ') {
                let last = &text[cut + 1..];
                if crate::attribution::SPEECH_VERBS.contains(&last) {
                    span.end = span.start + text[..cut].trim_end().len();
                    span.text = sentence[span.start..span.end].to_string();
                }
            }
            span.text.chars().any(char::is_uppercase).then_some(span)
        })
        .collect()
}

/// Repairs a title abbreviation the tagger took for a name ("Ald." tagged ORG or PER, with
/// the name after it left untagged): the title span is dropped, and when up to three
/// capitalised words follow it untagged they become one PER span (the name the title
/// introduces). Pure, like [`join_split_org_names`], and applied after it.
pub fn names_after_title_abbreviations(sentence: &str, spans: Vec<EntitySpan>) -> Vec<EntitySpan> {
    let mut out: Vec<EntitySpan> = Vec::with_capacity(spans.len());
    for (k, span) in spans.iter().enumerate() {
        let title = span.text.trim_end_matches('.');
        let is_title = TITLE_ABBREVIATIONS.contains(&title)
            && sentence.get(span.start..).is_some_and(|rest| {
                rest.starts_with(title) && rest[title.len()..].starts_with('.')
            });
        if !is_title {
            out.push(span.clone());
            continue;
        }
        let after_dot = span.start + title.len() + 1;
        let name_start =
            after_dot + (sentence[after_dot..].len() - sentence[after_dot..].trim_start().len());
        let next_start = spans.get(k + 1).map_or(sentence.len(), |n| n.start);
        if next_start <= name_start {
            continue; // the name is tagged already; the title is no entity
        }
        // Capitalised words up to the next span, a comma, a parenthesis or a lower-case word.
        let (mut end, mut pos, mut count) = (name_start, name_start, 0);
        for word in sentence[name_start..next_start].split_inclusive(' ') {
            let bare = word.trim_end_matches(' ');
            let core = bare.trim_end_matches([',', ';', ':', '.', ')']);
            let is_name_word = core.chars().next().is_some_and(char::is_uppercase)
                && core
                    .chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-' | '.'));
            if !is_name_word || count == 3 {
                break;
            }
            end = pos + core.len();
            pos += word.len();
            count += 1;
            if core.len() != bare.len() {
                break; // punctuation ends the name
            }
        }
        if count > 0 {
            out.push(EntitySpan {
                label: "PER".into(),
                start: name_start,
                end,
                text: sentence[name_start..end].to_string(),
                score: span.score,
            });
        }
    }
    out
}

/// Acronym of the capitalised words of a name: "Immigration and Customs Enforcement" -> "ICE".
pub(crate) fn acronym(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

/// A mention in an article: entity type and cleaned text, in article order.
#[derive(Debug, Clone)]
pub struct Mention {
    pub label: String,
    pub text: String,
}

/// Canonical name and its entity type per mention (same order). See the module contract.
pub fn resolve_names(mentions: &[Mention]) -> Vec<(String, String)> {
    // Full names: PER mentions of two or more words; ORG names of two or more words.
    let full: Vec<(usize, Vec<String>)> = mentions
        .iter()
        .enumerate()
        .filter(|(_, m)| {
            m.text.split_whitespace().count() >= 2 && (m.label == "PER" || m.label == "ORG")
        })
        .map(|(i, m)| (i, tokens(&m.text)))
        .collect();
    // For each mention, the mention it names (a longer or differently cased form), if any.
    let named: Vec<Option<usize>> = mentions
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let toks = tokens(&m.text);
            if toks.is_empty() || (m.label != "PER" && m.label != "ORG") {
                return None;
            }
            // Candidates: longer names that end with this mention's words (surname match)
            // for people; for organisations, names whose acronym is this mention.
            let mut best: Option<(usize, usize)> = None; // (distance, index)
            let mut misspelt: Option<(usize, usize)> = None; // the same, for a typo match
            for (j, ftoks) in &full {
                let fm = &mentions[*j];
                // Prefer the closest earlier mention, then the closest later one.
                let distance = if *j <= i { i - j } else { 10_000 + j - i };
                if fm.label == "PER"
                    && *j != i
                    && misspells(&toks, ftoks)
                    && misspelt.is_none_or(|(d, _)| distance < d)
                {
                    misspelt = Some((distance, *j));
                }
                let matches = if fm.label == "PER" {
                    // A surname (or a case variant of the full name) of a person named in the
                    // article; the NER model sometimes types a bare surname as ORG.
                    ftoks.len() > toks.len() && ftoks.ends_with(&toks)
                        || (ftoks.len() == toks.len() && *ftoks == toks && *j != i)
                } else if m.label == "ORG" && fm.label == "ORG" {
                    toks.len() == 1
                        && m.text.len() >= 2
                        && acronym(&fm.text) == m.text.replace('.', "")
                } else {
                    false
                };
                if matches && best.is_none_or(|(d, _)| distance < d) {
                    best = Some((distance, *j));
                }
            }
            best.or(misspelt).map(|(_, j)| j)
        })
        .collect();
    // Follow the chain to its end: "De Blasio" names the nearer "de Blasio", which names
    // "Bill De Blasio". Case variants of one length name each other; a cycle ends at its
    // first mention in the article.
    let ends: Vec<usize> = (0..mentions.len())
        .map(|i| {
            let mut path = vec![i];
            let mut k = i;
            while let Some(j) = named[k] {
                if path.contains(&j) {
                    k = *path.iter().skip_while(|&&p| p != j).min().unwrap_or(&j);
                    break;
                }
                path.push(j);
                k = j;
            }
            k
        })
        .collect();
    ends.iter()
        .map(|&k| {
            let name = &mentions[k].text;
            let name = if mentions[k].label == "PER" {
                most_used_spelling(name, mentions, &ends, k)
            } else {
                name.clone()
            };
            (name, mentions[k].label.clone())
        })
        .collect()
}

/// Whether `toks` names the person `full` with a misspelt surname: the same words before
/// it, and a surname of at least five letters, starting with the same letter, that is one
/// edit away (two for a surname of ten letters or more) but not equal.
fn misspells(toks: &[String], full: &[String]) -> bool {
    let (Some((surname, before)), Some((full_surname, full_before))) =
        (toks.split_last(), full.split_last())
    else {
        return false;
    };
    let n = surname.chars().count();
    full_before.ends_with(before)
        && n >= 5
        && surname != full_surname
        && surname.chars().next() == full_surname.chars().next()
        && edit_distance(surname, full_surname) <= if n >= 10 { 2 } else { 1 }
}

/// Whether a lone word is the surname `surname` (both lower case), exactly or misspelt as
/// [`misspells`] allows.
pub(crate) fn is_surname(word: &str, surname: &str) -> bool {
    word == surname || misspells(&[word.to_string()], &[surname.to_string()])
}

/// Levenshtein distance with adjacent transpositions (optimal string alignment), by chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// `name` (the canonical mention `k`) with its surname spelt as most of the mentions that
/// resolve to it spell it; on a tie, as `name` spells it.
fn most_used_spelling(name: &str, mentions: &[Mention], ends: &[usize], k: usize) -> String {
    let Some(surname) = name.split_whitespace().last() else {
        return name.to_string();
    };
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for (m, _) in mentions.iter().zip(ends).filter(|(_, &e)| e == k) {
        if let Some(last) = m.text.split_whitespace().last() {
            match counts.iter_mut().find(|(w, _)| *w == last) {
                Some((_, c)) => *c += 1,
                None => counts.push((last, 1)),
            }
        }
    }
    let own = counts
        .iter()
        .find(|(w, _)| *w == surname)
        .map_or(0, |&(_, c)| c);
    match counts
        .iter()
        .filter(|&&(w, c)| c > own && w != surname)
        .max_by_key(|&&(_, c)| c)
    {
        Some(&(spelling, _)) => {
            format!("{}{spelling}", &name[..name.len() - surname.len()])
        }
        None => name.to_string(),
    }
}

fn ends_with_word(haystack_lower: &str, word: &str) -> bool {
    haystack_lower.ends_with(word)
        && haystack_lower[..haystack_lower.len() - word.len()]
            .chars()
            .last()
            .is_none_or(|c| !c.is_alphanumeric())
}

/// Role and place of a person mention at `start..end` of `sentence`, from the words just
/// before it ("Pittsburgh Mayor"), an apposition after it (", the Travis County sheriff,")
/// or "as mayor" elsewhere in the sentence. `place_entities` are LOC/ORG spans of the
/// sentence, used to find the place named next to the role.
pub fn read_role(
    sentence: &str,
    start: usize,
    end: usize,
    place_entities: &[(usize, usize)],
) -> RoleInfo {
    // "The former sheriff, Tom Brandt," — an apposition before the name.
    let before = sentence[..start]
        .trim_end()
        .trim_end_matches(',')
        .trim_end();
    let before_lower = before.to_lowercase();
    for role in ROLES {
        if ends_with_word(&before_lower, role) {
            let role_start = before.len() - role.len();
            let head = before[..role_start].trim_end();
            let former = head.to_lowercase().ends_with("former");
            // The place is the LOC/ORG entity right before the role words ("Pittsburgh Mayor",
            // "LAPD Chief"), or a run of capitalised words ending in County/Parish/City.
            let place = place_entities
                .iter()
                .filter(|&&(_, pe)| pe <= role_start && sentence[pe..role_start].trim().is_empty())
                .map(|&(ps, pe)| sentence[ps..pe].to_string())
                .next()
                .or_else(|| {
                    capitalised_tail(head).filter(|t| {
                        t.ends_with(" County") || t.ends_with(" Parish") || t.ends_with(" City")
                    })
                });
            let role = canonical_role(role).to_string();
            return RoleInfo {
                place: place.map(|p| place_for_role(&p, &role)),
                role: Some(role),
                former,
            };
        }
    }
    // Apposition: "Sally Hernandez, the Travis County sheriff," / ", mayor of Minneapolis,"
    let after = &sentence[end..];
    if let Some(rest) = after.strip_prefix(", ") {
        let clause: &str = rest.split([',', ';', '.']).next().unwrap_or("");
        let lower = clause.to_lowercase();
        for role in ROLES {
            if let Some(pos) = find_word(&lower, role) {
                let head = clause[..pos].trim();
                let head = head
                    .strip_prefix("the ")
                    .or_else(|| head.strip_prefix("The "))
                    .unwrap_or(head);
                let tail = clause[pos + role.len()..].trim();
                let place = tail.strip_prefix("of ").map(str::to_string).or_else(|| {
                    (!head.is_empty() && head.chars().next().is_some_and(char::is_uppercase))
                        .then(|| head.to_string())
                });
                let role = canonical_role(role).to_string();
                return RoleInfo {
                    former: lower.contains("former"),
                    place: place.map(|p| place_for_role(&p, &role)),
                    role: Some(role),
                };
            }
        }
    }
    // "As one of his first acts as mayor, Jim Kenney signed …"
    let lower = sentence.to_lowercase();
    for role in ROLES {
        if let Some(pos) = find_word(&lower, &format!("as {role}")) {
            if pos < start {
                return RoleInfo {
                    role: Some(canonical_role(role).to_string()),
                    place: None,
                    former: false,
                };
            }
        }
    }
    RoleInfo::default()
}

fn find_word(haystack: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(pos) = haystack[from..].find(word) {
        let at = from + pos;
        let ok_before = haystack[..at]
            .chars()
            .last()
            .is_none_or(|c| !c.is_alphanumeric());
        let ok_after = haystack[at + word.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if ok_before && ok_after {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// The run of capitalised words at the end of `text` ("Travis County"), if any.
fn capitalised_tail(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut n = 0;
    for w in words.iter().rev() {
        let w = w.trim_end_matches(',');
        if w.chars().next().is_some_and(char::is_uppercase) && !matches!(w, "The" | "A" | "An") {
            n += 1;
        } else {
            break;
        }
    }
    if n == 0 || words.len() - n > 0 && words[words.len() - n - 1].ends_with(',') && n > 3 {
        return None;
    }
    let tail = words[words.len() - n..].join(" ");
    let tail = tail.trim_end_matches(',').to_string();
    (!tail.is_empty() && !matches!(tail.as_str(), "Former" | "Then")).then_some(tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(label: &str, text: &str) -> Mention {
        Mention {
            label: label.into(),
            text: text.into(),
        }
    }

    #[test]
    fn surnames_and_case_variants_resolve_to_the_full_name() {
        let names = resolve_names(&[
            m("PER", "Corey O’Connor"),
            m("PER", "O’Connor"),
            m("PER", "Bill De Blasio"),
            m("PER", "de Blasio"),
            m("ORG", "Immigration and Customs Enforcement"),
            m("ORG", "ICE"),
            m("PER", "Noem"),
        ]);
        assert_eq!(names[1].0, "Corey O’Connor");
        assert_eq!(names[3].0, "Bill De Blasio");
        assert_eq!(names[5].0, "Immigration and Customs Enforcement");
        assert_eq!(names[6].0, "Noem");
        // A later case variant resolves through the nearer one to the full name.
        let names = resolve_names(&[
            m("PER", "Bill De Blasio"),
            m("PER", "de Blasio"),
            m("PER", "De Blasio"),
        ]);
        assert!(names.iter().all(|n| n.0 == "Bill De Blasio"), "{names:?}");
        // Two case variants of one length name each other: the first written wins.
        let names = resolve_names(&[m("PER", "Ann de Vries"), m("PER", "Ann De Vries")]);
        assert!(names.iter().all(|n| n.0 == "Ann de Vries"), "{names:?}");
        // A surname mistyped as ORG still resolves to the person.
        let names = resolve_names(&[m("PER", "Bill De Blasio"), m("ORG", "de Blasio")]);
        assert_eq!(names[1], ("Bill De Blasio".to_string(), "PER".to_string()));
    }

    #[test]
    fn two_people_with_one_surname_are_told_apart_by_proximity() {
        let names = resolve_names(&[
            m("PER", "Ann Smith"),
            m("PER", "Smith"),
            m("PER", "Bob Smith"),
            m("PER", "Smith"),
        ]);
        assert_eq!(names[1].0, "Ann Smith");
        assert_eq!(names[3].0, "Bob Smith");
    }

    #[test]
    fn a_misspelt_surname_is_the_same_person_spelt_as_the_article_mostly_does() {
        let names = resolve_names(&[
            m("PER", "Tom Hohmann"),
            m("PER", "Homann"),
            m("PER", "Homann"),
            m("PER", "Hohmann"),
            m("PER", "Homann"),
        ]);
        assert!(names.iter().all(|n| n.0 == "Tom Homann"), "{names:?}");
        // Two edits in a long surname; a tie keeps the full name's spelling.
        let names = resolve_names(&[
            m("PER", "Tani Okonkwo-Sakauye"),
            m("PER", "Okonkwo-Sakuyae"),
        ]);
        assert_eq!(names[1].0, "Tani Okonkwo-Sakauye");
        // An exact surname wins over a near one, and short or different names stay apart.
        let names = resolve_names(&[
            m("PER", "Ron Johnston"),
            m("PER", "Brandon Johnson"),
            m("PER", "Johnston"),
            m("PER", "Bass"),
            m("PER", "Karen Basso"),
            m("PER", "Lena Johnsen"),
        ]);
        assert_eq!(names[2].0, "Ron Johnston");
        assert_eq!(names[3].0, "Bass");
        assert_eq!(names[5].0, "Lena Johnsen");
        assert_eq!(edit_distance("sakauye", "sakuyae"), 2);
        assert_eq!(edit_distance("homan", "hoamn"), 1);
    }

    #[test]
    fn roles_and_places_are_read_around_a_name() {
        let s = "Pittsburgh Mayor Corey O’Connor reaffirmed it.";
        let start = s.find("Corey").unwrap();
        let r = read_role(s, start, start + "Corey O’Connor".len(), &[(0, 10)]);
        assert_eq!(r.role.as_deref(), Some("mayor"));
        assert_eq!(r.place.as_deref(), Some("Pittsburgh"));

        // Capitalised words that are not a place are not taken for one.
        let s = "Cities Push Back Against President-Elect Donald Trump";
        let start = s.find("Donald").unwrap();
        assert_eq!(read_role(s, start, s.len(), &[]).place, None);

        let s = "LAPD Chief Charlie Beck told the paper.";
        let start = s.find("Charlie").unwrap();
        let r = read_role(s, start, start + 12, &[(0, 4)]);
        assert_eq!(
            (r.role.as_deref(), r.place.as_deref()),
            (Some("police chief"), Some("Los Angeles"))
        );

        let s = "Sally Hernandez, the Travis County sheriff, said no.";
        let r = read_role(s, 0, 15, &[]);
        assert_eq!(
            (r.role.as_deref(), r.place.as_deref()),
            (Some("sheriff"), Some("Travis County"))
        );

        let s = "As one of his first acts as mayor, Jim Kenney signed an order.";
        let start = s.find("Jim").unwrap();
        let r = read_role(s, start, start + 10, &[]);
        assert_eq!(r.role.as_deref(), Some("mayor"));

        let s = "In a tweet, D.C. Mayor Muriel Bowser said so.";
        let start = s.find("Muriel").unwrap();
        let r = read_role(s, start, start + 13, &[(12, 16)]);
        assert_eq!(r.place.as_deref(), Some("Washington, D.C."));

        let s = "Former Mayor Ed Gainey had taken the same position.";
        let r = read_role(s, 13, 22, &[]);
        assert!(
            r.former && r.role.as_deref() == Some("mayor") && r.place.is_none(),
            "{r:?}"
        );
    }

    #[test]
    fn levels_and_ids() {
        assert_eq!(role_level("mayor", Some("Seattle")), Some("city"));
        assert_eq!(role_level("sheriff", Some("Travis County")), Some("county"));
        assert_eq!(
            role_level("homeland security secretary", None),
            Some("national")
        );
        assert_eq!(actor_id("Bill De Blasio"), actor_id("Bill de Blasio"));
        assert_eq!(actor_id("Corey O’Connor"), "corey-o'connor");
        assert_eq!(normalise_place("D.C."), "Washington, D.C.");
        assert_eq!(place_for_role("New York", "mayor"), "New York City");
    }

    #[test]
    fn an_organisation_cut_before_its_place_is_joined() {
        let sentence =
            "ACLU of Oregon called the defeat a rejection, the Friends of Kestrel Bay said.";
        let span = |label: &str, start: usize, end: usize| EntitySpan {
            label: label.into(),
            start,
            end,
            text: sentence[start..end].into(),
            score: 0.9,
        };
        let joined = join_split_org_names(
            sentence,
            vec![
                span("ORG", 0, 7),
                span("LOC", 8, 14),
                span("ORG", 50, 60),
                span("LOC", 61, 72),
            ],
        );
        let texts: Vec<&str> = joined.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(texts, ["ACLU of Oregon", "Friends of Kestrel Bay"]);
        // Not joined: no dangling "of", or more than one space between.
        let kept = join_split_org_names(sentence, vec![span("ORG", 0, 4), span("LOC", 8, 14)]);
        assert_eq!(kept.len(), 2);
    }

    #[test]
    fn an_office_cut_into_pieces_is_one_organisation() {
        let sentence = "But the Harlow County Sheriff’s Office and the Mayor's Office differ from Ruiz’s Office.";
        let span = |label: &str, text: &str| EntitySpan::found_in(sentence, text, label, 0);
        let joined = join_office_names(
            sentence,
            vec![
                span("LOC", "Harlow County"),
                span("ORG", "Sheriff"),
                span("ORG", "Office"),
                span("ORG", "Mayor"),
                EntitySpan::found_in(sentence, "Office", "ORG", 50),
                span("PER", "Ruiz"),
                EntitySpan::found_in(sentence, "Office", "ORG", 70),
            ],
        );
        let texts: Vec<(&str, &str)> = joined
            .iter()
            .map(|e| (e.label.as_str(), e.text.as_str()))
            .collect();
        // A name that is not a role word keeps its possessive apart.
        assert_eq!(
            texts,
            [
                ("ORG", "Harlow County Sheriff’s Office"),
                ("ORG", "Mayor's Office"),
                ("PER", "Ruiz"),
                ("ORG", "Office")
            ]
        );
        assert_eq!(&sentence[joined[0].start..joined[0].end], joined[0].text);
    }

    #[test]
    fn a_name_does_not_end_in_the_speech_verb_after_it() {
        let sentence = "“It will hurt,” the Harlow Times notes, as the Kestrel times reports.";
        let span = |label: &str, text: &str| EntitySpan::found_in(sentence, text, label, 0);
        let trimmed = trim_trailing_speech_verbs(
            sentence,
            vec![
                span("ORG", "Harlow Times notes"),
                span("ORG", "Kestrel times"),
            ],
        );
        let texts: Vec<&str> = trimmed.iter().map(|e| e.text.as_str()).collect();
        // The speech verb goes; a lower-case word of the name itself stays.
        assert_eq!(texts, ["Harlow Times", "Kestrel times"]);
        assert_eq!(trimmed[0].end, trimmed[0].start + "Harlow Times".len());
        // Through every repair: the dangling "of" joins before any trimming.
        let sentence = "The ACLU of Harlow sued.";
        let span = |label: &str, text: &str| EntitySpan::found_in(sentence, text, label, 0);
        let repaired = repair_spans(
            sentence,
            vec![span("ORG", "ACLU of"), span("LOC", "Harlow")],
        );
        assert_eq!(repaired[0].text, "ACLU of Harlow");
    }

    #[test]
    fn a_title_abbreviation_taken_for_a_name_introduces_the_name() {
        let sentence =
            "Ald. Ray Lopez, 15th, spoke, and Ald. Nia Ford (36th Ward) and Sen. Bo Hale agreed.";
        let span = |label: &str, text: &str| EntitySpan::found_in(sentence, text, label, 0);
        let second_ald = EntitySpan::found_in(sentence, "Ald", "PER", 10);
        let fixed = names_after_title_abbreviations(
            sentence,
            vec![
                span("ORG", "Ald"),
                second_ald,
                span("ORG", "Sen"),
                span("PER", "Bo Hale"),
            ],
        );
        let got: Vec<(&str, &str)> = fixed
            .iter()
            .map(|e| (e.label.as_str(), e.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("PER", "Ray Lopez"),
                ("PER", "Nia Ford"),
                ("PER", "Bo Hale")
            ]
        );
        for e in &fixed {
            assert_eq!(&sentence[e.start..e.end], e.text);
        }
        // Not a title: left alone.
        let kept = names_after_title_abbreviations(sentence, vec![span("PER", "Ray Lopez")]);
        assert_eq!(kept.len(), 1);
    }

    #[test]
    fn news_outlets_are_recognised_by_their_last_word() {
        for outlet in [
            "Los Angeles Times",
            "the Chronicle",
            "ABC News",
            "TribLive",
            "the AP",
        ] {
            assert!(is_news_outlet(outlet), "{outlet}");
        }
        for body in [
            "Harlow County Board",
            "ICE",
            "Democratic Mayors Association",
        ] {
            assert!(!is_news_outlet(body), "{body}");
        }
    }
}
