//! Stage 4b: acts on laws — "Newsom vetoed the bill" takes its stance from the bill.
//!
//! Contract. [`law_phrases`] is a pure function of one sentence: the phrases that name a
//! law, bill, ordinance, order, policy or agreement, each with the words that describe it
//! ("a bill that would have required sheriffs to honor detainers", "California's
//! “sanctuary” law"). For a target whose config names a policy reader (`law_model`,
//! `models/policy`), the pipeline scores every phrase that [`describes_something`] with
//! that reader, a stance model trained on law phrases alone. [`act_on_law`] reads, after
//! the words naming an acting holder, the act the holder performs on a law phrase, as a
//! product of polarities (signs +1, vetoes −1, "voted to override … veto of" −1 × −1,
//! "refused to back" −1 × +1; an act on "a change to" a law is not read). [`law_stance`]
//! finds the phrase whose stance stands for the law: the phrase itself when the reader
//! reads a stance in it, else the nearest phrase that has one (the same sentence first,
//! then earlier sentences, then later ones), because "the bill" and "the legislation"
//! point back to the bill an earlier sentence described. [`compose`] gives the act's
//! stance: the law's probabilities, favor and against swapped when the act opposes the
//! law. [`labelled_law_effect`] runs the same reading backwards over labelled sentences,
//! which is where the reader's training and evaluation phrases come from.
//!
//! Why. The stance model reads a sentence's words, and an act sentence often carries no
//! words about the target at all ("Ball signed the legislation into law Thursday"), or
//! carries them under a negation the model misreads ("voted to oppose California's
//! sanctuary law" is favor toward cooperation). The sentence models also misread a law
//! phrase on its own ("California's 'sanctuary' law" scored favor), hence a reader trained
//! for it. Measured on news_stance: these are most of the actor-level sign errors left
//! (`stancewatch eval actors` prints how the composed clauses score against the model's
//! own reading of the clause; `stancewatch eval policy` scores the reader). The act words
//! are a small closed grammar (a list of verbs with their direction); what the law does is
//! the reader's.

use crate::attribution::word_spans;
use crate::stance::{StanceLabel, StanceProbs};

/// A phrase naming a law, with its describing words; byte offsets into the sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LawPhrase {
    pub start: usize,
    pub end: usize,
}

/// The act a holder performs on a law phrase of the same sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LawAct {
    /// +1: the holder backs the law (signs, passes, upholds); −1: opposes it.
    pub polarity: i8,
    /// The act's words, as written ("voted … override … veto").
    pub words: String,
    /// Index of the law phrase in the sentence's [`law_phrases`].
    pub law: usize,
}

/// Nouns that name a law or an instrument like one. "act" only counts capitalised, as part
/// of a name ("the Liberty Act"); "order" not in "in order to".
const LAW_NOUNS: &[&str] = &[
    "bill",
    "bills",
    "law",
    "laws",
    "legislation",
    "ordinance",
    "ordinances",
    "measure",
    "measures",
    "act",
    "policy",
    "policies",
    "order",
    "orders",
    "resolution",
    "resolutions",
    "statute",
    "proposal",
    "amendment",
    "agreement",
    "agreements",
    "ban",
];

/// Words that back a law.
const BACKING: &[&str] = &[
    "sign",
    "signs",
    "signed",
    "signing",
    "pass",
    "passes",
    "passed",
    "approve",
    "approves",
    "approved",
    "approving",
    "enact",
    "enacts",
    "enacted",
    "enacting",
    "introduce",
    "introduces",
    "introduced",
    "sponsor",
    "sponsors",
    "sponsored",
    "back",
    "backs",
    "backed",
    "backing",
    "support",
    "supports",
    "supported",
    "supporting",
    "uphold",
    "upholds",
    "upheld",
    "defend",
    "defends",
    "defended",
    "adopt",
    "adopts",
    "adopted",
    "endorse",
    "endorses",
    "endorsed",
    "keep",
    "keeps",
    "kept",
    "implement",
    "implements",
    "implemented",
    "renew",
    "renews",
    "renewed",
];

/// Words that oppose a law.
const OPPOSING: &[&str] = &[
    "veto",
    "vetoes",
    "vetoed",
    "vetoing",
    "oppose",
    "opposes",
    "opposed",
    "opposing",
    "opposition",
    "reject",
    "rejects",
    "rejected",
    "rejecting",
    "repeal",
    "repeals",
    "repealed",
    "block",
    "blocks",
    "blocked",
    "challenge",
    "challenges",
    "challenged",
    "overturn",
    "overturns",
    "overturned",
    "override",
    "overrides",
    "overrode",
    "table",
    "tabled",
    "kill",
    "killed",
    "sue",
    "sues",
    "sued",
    "suing",
    "lawsuit",
    "lawsuits",
    "backlash",
    "fight",
    "fights",
    "fought",
    "end",
    "ends",
    "ended",
    "terminate",
    "terminated",
    "cancel",
    "canceled",
    "cancelled",
    "rescind",
    "rescinded",
    "revoke",
    "revoked",
    "scrap",
    "scrapped",
    "against",
];

/// Opposition nouns whose preposition or participle only links them to what they oppose:
/// "a lawsuit against the law", "the backlash against", "a suit challenging".
const OPPOSITION_NOUNS: &[&str] = &["lawsuit", "lawsuits", "backlash", "opposition", "fight"];

/// Nouns for a change made to a law: an act on "a change to the ordinance" is on the
/// change, whose direction the words do not say, so no act on the law is read.
const CHANGE_NOUNS: &[&str] = &[
    "change",
    "changes",
    "amendment",
    "amendments",
    "revision",
    "revisions",
    "exemption",
    "exemptions",
    "exception",
    "exceptions",
    "update",
    "updates",
];

/// After "back", these make it an adverb ("hit back at", "back into the ordinance"), not
/// the verb "to back".
const AFTER_ADVERB_BACK: &[&str] = &[
    "at", "into", "in", "on", "to", "from", "against", "up", "down",
];

/// Words that negate the act after them: "refused to back", "did not sign".
const NEGATORS: &[&str] = &[
    "not", "never", "refused", "refuses", "refuse", "declined", "declines", "failed", "fails",
];

/// Words that may stand between a law noun and the clause describing it ("a bill
/// Wednesday that would …").
const TIME_WORDS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "last",
    "this",
    "week",
    "month",
    "year",
    "earlier",
    "on",
];

/// Words that open the description after a law noun.
/// (Not a bare "would": in "the agreement would make families afraid" the law is the subject
/// of someone's claim about it, not described.)
const DESCRIPTION_OPENERS: &[&str] = &[
    "that", "which", "to", "against", "aimed", "designed", "meant", "intended",
];

/// Words that end a law phrase when walking back from its noun.
const PHRASE_STOPS: &[&str] = &[
    "to", "of", "on", "over", "against", "in", "into", "by", "for", "with", "under", "from",
    "after", "before", "as", "at", "and", "or", "but", "is", "was", "were", "are", "be", "been",
    "has", "have", "had", "will", "would", "voted", "vote", "votes", "that", "which", "who",
    "said", "says",
];

const DETERMINERS: &[&str] = &[
    "a", "an", "the", "this", "that", "its", "his", "her", "their", "our", "two", "three", "new",
];

/// Words after which punctuation ends a law phrase's description.
fn ends_description(c: char) -> bool {
    matches!(c, ',' | ';' | ':' | '—' | '–' | '(' | ')' | '.' | '?' | '!')
}

/// Whether the word at `i` is the noun of a law phrase.
fn is_law_noun(text: &str, words: &[(usize, usize, String)], i: usize) -> bool {
    let (s, e, w) = &words[i];
    if !LAW_NOUNS.contains(&w.as_str()) && !is_bill_code(w) {
        return false;
    }
    let prev = i.checked_sub(1).map(|p| words[p].2.as_str());
    let next = words.get(i + 1).map(|x| x.2.as_str());
    match w.as_str() {
        "act" => text[*s..*e].starts_with('A') && i > 0,
        // "law enforcement", "into law", "immigration law", "rule of law", "by law".
        "law" | "laws" => {
            !matches!(
                next,
                Some("enforcement" | "enforcement’s" | "enforcement's")
            ) && !matches!(
                prev,
                Some("into" | "immigration" | "of" | "by" | "become" | "becomes" | "federal")
            )
        }
        "order" | "orders" => !matches!(prev, Some("in")),
        _ => true,
    }
}

/// "SB4", "HB10", "AB1306": a bill written as its code.
fn is_bill_code(word: &str) -> bool {
    let w = word.as_bytes();
    w.len() >= 3
        && matches!(&w[..2], b"sb" | b"hb" | b"ab" | b"sf" | b"hf")
        && w[2..].iter().all(u8::is_ascii_digit)
}

/// The law phrases of a sentence, in order. Each runs from its determiner or first
/// modifier to its noun, plus the clause that describes it ("… that would …", "…
/// prohibiting …", "… to end …") up to the next comma or the end of the sentence.
pub fn law_phrases(sentence: &str) -> Vec<LawPhrase> {
    let words = word_spans(sentence);
    let mut out: Vec<LawPhrase> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if !is_law_noun(sentence, &words, i) || out.last().is_some_and(|p| words[i].0 < p.end) {
            i += 1;
            continue;
        }
        // Back to the phrase's start: up to six modifiers, stopping after a determiner.
        let mut first = i;
        while first > 0 && i - first < 6 {
            let w = words[first - 1].2.as_str();
            let gap = &sentence[words[first - 1].1..words[first].0];
            // "287(g)": a parenthesised letter or number inside a word is part of it.
            let in_word = |g: &str| matches!(g.trim_end(), "(" | ")");
            let inside_token = in_word(gap)
                && (gap == "("
                    || first >= 2 && &sentence[words[first - 2].1..words[first - 1].0] == "(");
            if PHRASE_STOPS.contains(&w)
                || BACKING.contains(&w)
                || OPPOSING.contains(&w)
                || NEGATORS.contains(&w)
                || (!inside_token && gap.chars().any(|c| ends_description(c) && c != '.'))
            {
                break;
            }
            first -= 1;
            if DETERMINERS.contains(&w) {
                break;
            }
        }
        // The noun may be followed by its name or number ("bill SB4", "Measure 105").
        let mut last = i;
        while let Some(n) = words.get(last + 1) {
            let gap = &sentence[words[last].1..n.0];
            let numbered = n.2.chars().all(|c| c.is_ascii_digit()) || is_bill_code(&n.2);
            if gap.trim().is_empty() && numbered {
                last += 1;
            } else {
                break;
            }
        }
        let mut end = words[last].1;
        // The description, when one opens after (at most two) time words and an "into law"
        // ("signed two bills into law that ban …": the description is the bills').
        let mut j = last + 1;
        let (mut time_words, mut into_law) = (0, false);
        while j < words.len() {
            if TIME_WORDS.contains(&words[j].2.as_str()) && time_words < 2 {
                time_words += 1;
                j += 1;
            } else if !into_law
                && words[j].2 == "into"
                && words.get(j + 1).is_some_and(|n| n.2 == "law")
            {
                into_law = true;
                j += 2;
            } else {
                break;
            }
        }
        if let Some(opener) = words.get(j) {
            let gap = &sentence[end..opener.0];
            let opens = DESCRIPTION_OPENERS.contains(&opener.2.as_str())
                || (opener.2.len() > 5 && opener.2.ends_with("ing"));
            if opens && !gap.chars().any(ends_description) {
                let rest = &sentence[opener.0..];
                let stop = rest
                    .char_indices()
                    .find(|&(k, c)| ends_description(c) && !is_abbreviation_dot(rest, k))
                    .map_or(sentence.len(), |(k, _)| opener.0 + k);
                // At most 30 words of description.
                let cap = words
                    .iter()
                    .skip(j)
                    .take(30)
                    .take_while(|x| x.1 <= stop)
                    .last()
                    .map_or(stop, |x| x.1);
                end = cap.max(end);
            }
        }
        out.push(LawPhrase {
            start: words[first].0,
            end,
        });
        i += 1;
    }
    out
}

/// A dot inside "U.S." or after "Gov" is not the end of a clause.
fn is_abbreviation_dot(text: &str, k: usize) -> bool {
    if text.as_bytes().get(k) != Some(&b'.') {
        return false;
    }
    let before = text[..k]
        .rsplit(|c: char| !c.is_alphanumeric() && c != '.')
        .next()
        .unwrap_or("");
    let next = text[k + 1..].chars().next();
    next.is_some_and(|c| c.is_alphanumeric())
        || before.contains('.')
        || (before.len() <= 3 && before.chars().next().is_some_and(char::is_uppercase))
}

/// The act the holder, named by the words ending at `from`, performs on a law phrase
/// before `to` (the end of the holder's clause). The act's words follow each other at
/// most six words apart, the first within fourteen words of the holder (room for an
/// apposition: "Los Alamitos, a small city in Orange County, voted to oppose …"), and the
/// law phrase opens at most six words after the last.
pub fn act_on_law(sentence: &str, from: usize, to: usize, laws: &[LawPhrase]) -> Option<LawAct> {
    let words = word_spans(sentence);
    let mut polarity: i8 = 1;
    let mut found = false;
    let mut pending_negation = false;
    let mut act_words: Vec<&str> = Vec::new();
    let mut last_act: Option<usize> = None;
    let mut previous: Option<&str> = None;
    let first = words.iter().position(|w| w.0 >= from)?;
    for (k, (s, e, w)) in words.iter().enumerate().skip(first) {
        if *s >= to {
            break;
        }
        let limit = if found { 6 } else { 14 };
        if k - last_act.unwrap_or(first) > limit {
            return None;
        }
        // The law phrase this act reaches.
        if found {
            if let Some(li) = laws.iter().position(|l| l.start == *s) {
                return (!pending_negation).then(|| LawAct {
                    polarity,
                    words: act_words.join(" … "),
                    law: li,
                });
            }
        }
        let w = w.as_str();
        if found && CHANGE_NOUNS.contains(&w) {
            return None;
        }
        let negates = NEGATORS.contains(&w) || w.ends_with("n’t") || w.ends_with("n't");
        let adverb_back = w == "back"
            && words
                .get(k + 1)
                .is_some_and(|n| AFTER_ADVERB_BACK.contains(&n.2.as_str()));
        let backs = BACKING.contains(&w) && !adverb_back;
        let opposes = OPPOSING.contains(&w)
            || (w == "no" && matches!(previous, Some("vote" | "voted" | "votes")));
        if negates {
            pending_negation = true;
            polarity = -polarity;
            act_words.push(&sentence[*s..*e]);
            last_act = Some(k);
        } else if backs || opposes {
            // "a lawsuit against the law": the preposition only links the opposition noun.
            let linked = opposes
                && previous.is_some_and(|p| OPPOSITION_NOUNS.contains(&p))
                && last_act.is_some_and(|l| k - l <= 2);
            if opposes && !linked {
                polarity = -polarity;
            }
            pending_negation = false;
            found = true;
            act_words.push(&sentence[*s..*e]);
            last_act = Some(k);
        }
        previous = Some(w);
    }
    None
}

/// Whether a law phrase says anything about the law beyond naming it: "the bill", "the
/// legislation" and "this measure" do not (they point back to a law described elsewhere),
/// and neither does a name ("Executive Order 30", "the Kestrel Act": what it does is said
/// elsewhere, if anywhere); "California's sanctuary law" and "a bill requiring …" do. Such
/// a phrase has no reading of its own, so [`law_stance`] looks for the law it points to.
pub fn describes_something(phrase: &str) -> bool {
    let words: Vec<&str> = phrase.split_whitespace().collect();
    // Some word besides determiners, times and the law's noun ("sanctuary law", "287(g)
    // agreement"; not "the bill Friday").
    let content = words.iter().any(|w| {
        let w = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        !w.is_empty()
            && !DETERMINERS.contains(&w.as_str())
            && !TIME_WORDS.contains(&w.as_str())
            && !LAW_NOUNS.contains(&w.as_str())
    });
    if !content {
        return false;
    }
    // A short run of capitalised words and numbers after an optional determiner is a name.
    // (A title-case headline is longer: "Bill To Make Harlow a 'Sanctuary State'".)
    let named = words.len() <= 4
        && words
            .iter()
            .filter(|w| !DETERMINERS.contains(&w.to_lowercase().as_str()))
            .all(|w| {
                w.chars()
                    .find(|c| c.is_alphanumeric())
                    .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
            });
    !named
}

/// What a labelled sentence says a law does: when `holder` (found in `text`) acts on a
/// described law phrase, the act's direction times the sentence's `stance` ("X signed a bill
/// barring …" labelled against: the bill limits cooperation). Returns the phrase's byte
/// range and its effect. This turns labelled sentences into training and evaluation data
/// for the policy reader (`pipeline/examples/law_phrase_data.rs`, `stancewatch eval
/// policy`); a sentence with no holder, no stance or no act on a described law gives none.
pub fn labelled_law_effect(
    text: &str,
    holder: &str,
    stance: StanceLabel,
) -> Option<(LawPhrase, StanceLabel)> {
    if stance == StanceLabel::None || holder.is_empty() {
        return None;
    }
    let from = text.find(holder)? + holder.len();
    let phrases = law_phrases(text);
    let act = act_on_law(text, from, text.len(), &phrases)?;
    let law = phrases[act.law];
    if !describes_something(&text[law.start..law.end]) {
        return None;
    }
    let effect = match (act.polarity >= 0, stance) {
        (true, s) => s,
        (false, StanceLabel::Favor) => StanceLabel::Against,
        (false, _) => StanceLabel::Favor,
    };
    Some((law, effect))
}

/// The (sentence, phrase) whose stance stands for phrase `li` of sentence `si`: itself when
/// its own label is not none, else the nearest phrase that has one — in the same sentence,
/// then the most recent earlier sentences, then the nearest later ones.
pub fn law_stance(phrases: &[Vec<StanceProbs>], si: usize, li: usize) -> Option<(usize, usize)> {
    let has_stance = |p: &StanceProbs| p.label() != StanceLabel::None;
    if phrases.get(si)?.get(li).is_some_and(has_stance) {
        return Some((si, li));
    }
    let same = &phrases[si];
    let mut nearest: Vec<usize> = (0..same.len()).filter(|&k| k != li).collect();
    nearest.sort_by_key(|&k| (k.abs_diff(li), k > li));
    if let Some(k) = nearest.into_iter().find(|&k| has_stance(&same[k])) {
        return Some((si, k));
    }
    let earlier = (0..si)
        .rev()
        .flat_map(|s| (0..phrases[s].len()).rev().map(move |k| (s, k)));
    let later = (si + 1..phrases.len()).flat_map(|s| (0..phrases[s].len()).map(move |k| (s, k)));
    earlier
        .chain(later)
        .find(|&(s, k)| has_stance(&phrases[s][k]))
}

/// The stance of an act on a law: the law's own when the act backs it, favor and against
/// swapped when it opposes it.
pub fn compose(law: StanceProbs, polarity: i8) -> StanceProbs {
    if polarity >= 0 {
        law
    } else {
        StanceProbs {
            favor: law.against,
            against: law.favor,
            none: law.none,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrase_texts(s: &str) -> Vec<&str> {
        law_phrases(s).iter().map(|p| &s[p.start..p.end]).collect()
    }

    #[test]
    fn law_phrases_take_their_description() {
        assert_eq!(
            phrase_texts("Gov. Dana Whitcomb vetoed a bill Wednesday that would have required deputies to hold people for ICE, her office said."),
            vec!["a bill Wednesday that would have required deputies to hold people for ICE"]
        );
        assert_eq!(
            phrase_texts("Port Addison voted to oppose Harlow’s “sanctuary” law."),
            vec!["Harlow’s “sanctuary” law"]
        );
        assert_eq!(
            phrase_texts("Sheriff Okafor signed an order barring deputies from asking about immigration status."),
            vec!["an order barring deputies from asking about immigration status"]
        );
        // A code after the noun is part of its name; "into law" and "law enforcement" are
        // not laws.
        assert_eq!(
            phrase_texts(
                "Gov. Hale signed bill SB12 into law, and local law enforcement must comply."
            ),
            vec!["bill SB12"]
        );
        assert_eq!(
            phrase_texts("The Kestrel Act passed."),
            vec!["The Kestrel Act"]
        );
        // The description after "into law" is the bill's; "on Friday" is a time.
        assert_eq!(
            phrase_texts("Gov. Hale signs bill into law forcing deputies to hold people for ICE"),
            vec!["bill into law forcing deputies to hold people for ICE"]
        );
        assert_eq!(
            phrase_texts("Gov. Hale signed a law on Friday requiring jails to notify ICE."),
            vec!["a law on Friday requiring jails to notify ICE"]
        );
        // "287(g)" is one word; a law that is the subject of a claim is not described by it.
        assert_eq!(
            phrase_texts("Sheriff Ames signed a 287(g) agreement with ICE on Monday."),
            vec!["a 287(g) agreement"]
        );
        assert_eq!(
            phrase_texts("“The agreement would make families afraid,” the group said."),
            vec!["The agreement"]
        );
        assert!(phrase_texts("She acted in order to help.").is_empty());
        assert!(phrase_texts("“I’m here,” O’Shea said.").is_empty());
        // The description stops at the sentence's end, not at the dot of "U.S.".
        assert_eq!(
            phrase_texts("Mayor Ruiz signed legislation barring city agencies from helping U.S. Immigration and Customs Enforcement."),
            vec!["legislation barring city agencies from helping U.S. Immigration and Customs Enforcement"]
        );
    }

    fn act(s: &str, holder: &str) -> Option<(i8, String, String)> {
        let from = s.find(holder).unwrap() + holder.len();
        let laws = law_phrases(s);
        act_on_law(s, from, s.len(), &laws).map(|a| {
            let l = laws[a.law];
            (a.polarity, a.words, s[l.start..l.end].to_string())
        })
    }

    #[test]
    fn acts_are_products_of_their_words() {
        let s = "Gov. Dana Whitcomb vetoed the bill on Friday.";
        assert_eq!(
            act(s, "Dana Whitcomb"),
            Some((-1, "vetoed".into(), "the bill".into()))
        );
        let s = "Kestrel County Executive Lena Ruiz signed the legislation into law Thursday.";
        assert_eq!(
            act(s, "Lena Ruiz"),
            Some((1, "signed".into(), "the legislation".into()))
        );
        // Apposition between the holder and the act; "oppose" flips.
        let s = "Port Addison, a small city in Harlow County, voted last week to oppose the state’s sanctuary law.";
        assert_eq!(act(s, "Port Addison").map(|a| a.0), Some(-1));
        // Overriding a veto backs the bill.
        let s = "Republican lawmakers voted Tuesday to override Gov. Sam Pruitt’s veto of a bill that would require sheriffs to honor detainers.";
        let a = act(s, "Republican lawmakers").unwrap();
        assert_eq!((a.0, a.1.as_str()), (1, "override … veto"));
        assert!(a.2.starts_with("a bill that would require"));
        // "lawsuit against" is one opposition, not two.
        let s =
            "The county board voted to join a lawsuit against the state over the sanctuary law.";
        assert_eq!(act(s, "The county board").map(|a| a.0), Some(-1));
        let s = "The board votes to join a lawsuit opposing the sanctuary law.";
        assert_eq!(act(s, "The board").map(|a| a.0), Some(-1));
        // Negation flips the act after it.
        let s = "Some sheriffs refused to back the bill.";
        assert_eq!(act(s, "Some sheriffs").map(|a| a.0), Some(-1));
        let s = "Voters said no on the measure.";
        assert_eq!(act(s, "Voters"), None);
        let s = "Voters voted no on the measure.";
        assert_eq!(act(s, "Voters").map(|a| a.0), Some(-1));
        // "back" as an adverb backs nothing; an act on a change to a law is not on the law.
        let s = "Ald. Ruiz wants to put the old limits back into the city’s welcoming ordinance.";
        assert_eq!(act(s, "Ald. Ruiz"), None);
        let s = "The council voted to block changes to the welcoming ordinance.";
        assert_eq!(act(s, "The council"), None);
    }

    #[test]
    fn a_labelled_act_says_what_the_law_does() {
        let s = "Gov. Dana Whitcomb vetoed a bill that would have required deputies to hold people for ICE.";
        let (law, effect) =
            labelled_law_effect(s, "Gov. Dana Whitcomb", StanceLabel::Against).unwrap();
        assert!(s[law.start..law.end].starts_with("a bill that would have required"));
        // Vetoed (−1) and against: the bill is one that favors cooperation.
        assert_eq!(effect, StanceLabel::Favor);
        let s = "Mayor Ruiz signed an order barring officers from asking about immigration status.";
        let (_, effect) = labelled_law_effect(s, "Mayor Ruiz", StanceLabel::Against).unwrap();
        assert_eq!(effect, StanceLabel::Against);
        // A bare "the bill" or a name says nothing about the law; a none sentence says
        // nothing at all.
        assert!(!describes_something("Executive Order 30"));
        assert!(!describes_something("the Kestrel Act"));
        assert!(describes_something("Harlow’s sanctuary law"));
        assert!(describes_something("287(g) agreement"));
        assert!(!describes_something("the bill Friday"));
        assert!(describes_something("Bill To Make Harlow a Sanctuary State"));
        assert!(labelled_law_effect("Ruiz signed the bill.", "Ruiz", StanceLabel::Favor).is_none());
        assert!(labelled_law_effect(s, "Mayor Ruiz", StanceLabel::None).is_none());
    }

    #[test]
    fn no_act_without_a_law_near_the_act() {
        // Acts on something that is not a law, or a law far from the act.
        assert_eq!(
            act("Mayor Ruiz signed the letter on Monday.", "Mayor Ruiz"),
            None
        );
        assert_eq!(
            act(
                "Mayor Ruiz accused the administration of ignoring the new law.",
                "Mayor Ruiz"
            ),
            None
        );
        // A negation with no act after it decides nothing.
        assert_eq!(
            act("Mayor Ruiz did not comment on the bill.", "Mayor Ruiz"),
            None
        );
    }

    fn probs(favor: f32, against: f32) -> StanceProbs {
        StanceProbs {
            favor,
            against,
            none: 1.0 - favor - against,
        }
    }

    #[test]
    fn a_bare_law_takes_the_stance_of_the_nearest_described_one() {
        let none = probs(0.05, 0.05);
        let against = probs(0.1, 0.8);
        let favor = probs(0.7, 0.1);
        // Sentence 0 describes a bill; sentence 2's "the bill" has no stance of its own.
        let phrases = vec![vec![against], vec![], vec![none]];
        assert_eq!(law_stance(&phrases, 2, 0), Some((0, 0)));
        // Its own stance first, then the same sentence, then the most recent earlier one.
        let phrases = vec![vec![against], vec![favor], vec![none, against]];
        assert_eq!(law_stance(&phrases, 2, 1), Some((2, 1)));
        assert_eq!(law_stance(&phrases, 2, 0), Some((2, 1)));
        let phrases = vec![vec![against], vec![favor], vec![none]];
        assert_eq!(law_stance(&phrases, 2, 0), Some((1, 0)));
        // A later one when nothing earlier has a stance; nothing when no phrase has one.
        let phrases = vec![vec![none], vec![favor]];
        assert_eq!(law_stance(&phrases, 0, 0), Some((1, 0)));
        assert_eq!(law_stance(&[vec![none]], 0, 0), None);
    }

    #[test]
    fn opposing_a_law_swaps_favor_and_against() {
        let law = probs(0.1, 0.8);
        assert_eq!(compose(law, 1), law);
        let c = compose(law, -1);
        assert_eq!(
            (c.favor, c.against, c.none),
            (law.against, law.favor, law.none)
        );
        assert!(c.score() > 0.0);
    }
}
