//! Stage 4b: acts on laws — "Newsom vetoed the bill" takes its stance from the bill.
//!
//! Contract. [`law_phrases`] is a pure function of one sentence: the phrases that name a
//! law, bill, ordinance, order, policy or agreement, each with the words that describe it
//! ("a bill that would have required sheriffs to honor detainers", "California's
//! “sanctuary” law"). The pipeline scores every phrase with the target's stance model, as
//! if it were a sentence. [`act_on_law`] reads, after the words naming an acting holder,
//! the act the holder performs on a law phrase, as a product of polarities (signs +1,
//! vetoes −1, "voted to override … veto of" −1 × −1, "refused to back" −1 × +1).
//! [`law_stance`] finds the phrase whose stance stands for the law: the phrase itself when
//! the model reads a stance in it, else the nearest phrase that has one (the same
//! sentence first, then earlier sentences, then later ones), because "the bill" and "the
//! legislation" point back to the bill an earlier sentence described. [`compose`] gives the
//! act's stance: the law's probabilities, favor and against swapped when the act opposes
//! the law.
//!
//! Why. The stance model reads a sentence's words, and an act sentence often carries no
//! words about the target at all ("Ball signed the legislation into law Thursday"), or
//! carries them under a negation the model misreads ("voted to oppose California's
//! sanctuary law" is favor toward cooperation). Measured on news_stance: these are most
//! of the actor-level sign errors left (`stancewatch eval actors` prints how the composed
//! sentences score against the model's own reading). The act words are a small closed
//! grammar (a list of verbs with their direction), the stance of what the law does is the
//! model's.

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
];

/// Words that open the description after a law noun.
const DESCRIPTION_OPENERS: &[&str] = &[
    "that", "which", "to", "against", "aimed", "designed", "meant", "intended", "would",
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
            if PHRASE_STOPS.contains(&w)
                || BACKING.contains(&w)
                || OPPOSING.contains(&w)
                || NEGATORS.contains(&w)
                || gap.chars().any(|c| ends_description(c) && c != '.')
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
        // The description, when one opens after (at most two) time words.
        let mut j = last + 1;
        while j < words.len() && j <= last + 2 && TIME_WORDS.contains(&words[j].2.as_str()) {
            j += 1;
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
        let negates = NEGATORS.contains(&w) || w.ends_with("n’t") || w.ends_with("n't");
        let backs = BACKING.contains(&w);
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
