//! Stage 5: holder attribution — who holds the stance of each sentence.
//!
//! Contract: `attribute(article)` is a pure function of one article's sentences and their
//! entities. For each sentence it returns at most one [`Holder`]:
//! * `quote_speaker`: the speaker of a direct quote ("…,” O’Connor told TribLive), including
//!   sentences of a quote that spans several sentences and quote sentences whose attribution
//!   is in a neighbouring sentence of the same paragraph;
//! * `reported_speaker`: the subject of a speech verb without quotes ("Mamdani stated that …");
//! * `actor`: the subject who acts ("Jim Kenney signed an executive order").
//!
//! Pronoun subjects (he/she) resolve to the most recent person holder or mention, passing
//! over a person the article calls by the other pronoun; titles
//! ("the mayor", "the association") to the most recent actor with that role or name. A
//! sentence with no identifiable holder gets `None` rather than the nearest name.
//! Names are canonical (see `actors::resolve_names`), and each holder carries the role and
//! place read for that actor anywhere in the article, section headings ("Chicago" on its own
//! line) supplying the place of city officials who have none.

use serde::{Deserialize, Serialize};

use crate::actors::{self, Mention, RoleInfo};
use crate::ner::EntitySpan;

/// One sentence as attribution sees it.
pub struct SentenceView<'a> {
    pub text: &'a str,
    pub paragraph: u32,
    pub entities: &'a [EntitySpan],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolderKind {
    QuoteSpeaker,
    ReportedSpeaker,
    Actor,
}

impl HolderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            HolderKind::QuoteSpeaker => "quote_speaker",
            HolderKind::ReportedSpeaker => "reported_speaker",
            HolderKind::Actor => "actor",
        }
    }
}

/// How the holder was found in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    Name,
    Pronoun,
    Title,
    QuoteContext,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Holder {
    /// Canonical name (index into `ArticleActors::actors`).
    pub actor: usize,
    pub kind: HolderKind,
    pub resolution: Resolution,
    /// The words in this sentence that name the holder (None when it came from context).
    pub mention: Option<(usize, usize)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleActor {
    pub name: String,
    pub actor_id: String,
    pub entity_type: String,
    pub role: Option<String>,
    pub place: Option<String>,
    pub level: Option<String>,
    pub former: bool,
}

/// A sentence's second main clause with a subject of its own ("…, and the commissioners
/// later voted to disavow the agreement"): the clause from `start` to the sentence's end
/// belongs to `holder`, the words before `first_end` to the sentence's holder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecondClause {
    /// Byte offset in the sentence where the first clause's words end (before ", and").
    pub first_end: usize,
    /// Byte offset in the sentence where the second clause starts.
    pub start: usize,
    pub holder: Holder,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ArticleAttribution {
    pub actors: Vec<ArticleActor>,
    pub holders: Vec<Option<Holder>>,
    /// Per sentence: a second clause with its own holder, if the sentence has one.
    pub second_clauses: Vec<Option<SecondClause>>,
    /// Per sentence, per entity: the actor index of PER/ORG entities.
    pub entity_actor: Vec<Vec<Option<usize>>>,
}

pub(crate) const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "tell",
    "wrote",
    "writes",
    "asked",
    "asks",
    "added",
    "adds",
    "stated",
    "states",
    "declared",
    "declares",
    "vowed",
    "vows",
    "argued",
    "argues",
    "explained",
    "noted",
    "notes",
    "announced",
    "announces",
    "insisted",
    "warned",
    "warns",
    "claimed",
    "claims",
    "described",
    "describes",
    "responded",
    "tweeted",
    "posted",
    "reaffirmed",
    "promised",
    "confirmed",
    "asserted",
    "acknowledged",
    "contended",
    "emphasized",
    "stressed",
    "testified",
    "urged",
    "called",
    "characterized",
    "highlighted",
    "reported",
    "pledged",
    "threatened",
    "criticized",
    "condemned",
    "denounced",
    "praised",
    "countered",
    "replied",
    "maintained",
    "calling",
    "reports",
];

const SUBORDINATORS: &[&str] = &[
    "after",
    "before",
    "in",
    "on",
    "when",
    "while",
    "as",
    "since",
    "despite",
    "following",
    "amid",
    "days",
    "yesterday",
    "today",
    "during",
    "if",
    "although",
    "though",
    "because",
    "with",
    "at",
    "for",
    "under",
    "by",
    "last",
    "this",
    "earlier",
    "later",
];

const PRONOUNS_PERSON: &[&str] = &["he", "she"];

/// A word without its possessive or contracted "’s": "he’s" -> "he", "sheriff’s" -> "sheriff"
/// ("the sheriff’s office will not …" speaks for the sheriff).
fn base(word: &str) -> &str {
    word.strip_suffix("’s")
        .or_else(|| word.strip_suffix("'s"))
        .unwrap_or(word)
}

/// Titles that point back to an earlier actor: (word, role to look for or None for an ORG word).
const TITLE_WORDS: &[(&str, Option<&str>)] = &[
    ("mayor", Some("mayor")),
    ("governor", Some("governor")),
    ("sheriff", Some("sheriff")),
    ("chief", Some("police chief")),
    ("police chief", Some("police chief")),
    ("secretary", Some("homeland security secretary")),
    ("president", Some("president")),
    ("president-elect", Some("president")),
    ("senator", Some("senator")),
    ("attorney general", Some("attorney general")),
    ("county executive", Some("county executive")),
    ("association", None),
    ("group", None),
    ("organization", None),
    ("department", None),
    ("agency", None),
    ("council", None),
    ("board", None),
    ("commission", None),
    ("commissioners", None),
    ("supervisors", None),
    ("coalition", None),
    ("union", None),
    ("administration", None),
];

/// Nouns for what an actor issues ("the statement reads", "In a post on X, …").
const STATEMENT_WORDS: &[&str] = &["statement", "statements", "letter", "post", "release"];

/// Verbs of accusing and attacking: a sentence with one says its subject spoke, so a quote
/// paragraph right after it is the subject's.
const ACCUSING_VERBS: &[&str] = &["accused", "accuses", "blasted", "slammed", "attacked"];

/// Single words that name no particular organisation on their own.
const GENERIC_WORDS: &[&str] = &[
    "administration",
    "operation",
    "federal",
    "government",
    "department",
    "agency",
    "state",
    "city",
    "county",
];

/// Members of a body acting together, and a word of the body's name: "Aldermen closed
/// loopholes …" is the city council named in the article, "the supervisors voted" its
/// board of supervisors. Tagged as an organisation on their own, they name no one.
const MEMBER_NOUNS: &[(&str, &str)] = &[
    ("aldermen", "council"),
    ("alderpersons", "council"),
    ("councilmembers", "council"),
    ("councilors", "council"),
    ("councillors", "council"),
    ("commissioners", "commissioners"),
    ("supervisors", "supervisors"),
];

fn member_body(word: &str) -> Option<&'static str> {
    let w = word.to_lowercase();
    MEMBER_NOUNS
        .iter()
        .find(|(m, _)| *m == w)
        .map(|&(_, body)| body)
}

/// Words for a place's governing body, after the place's name ("Orange County board").
const PLACE_BODIES: &[&str] = &[
    "board",
    "council",
    "commission",
    "commissioners",
    "supervisors",
    "legislature",
    "assembly",
    "police",
];

/// Title words that may stand for any public body, not just one whose name contains them.
/// ("The administration" is not one of them: in news it is a president's, rarely the last
/// organisation named.)
const GENERIC_BODIES: &[&str] = &["agency", "department", "group", "organization"];

/// Byte ranges of `text` inside quotation marks, and whether a quote is still open at the
/// end. `starts_open` says the sentence begins inside a quote from an earlier sentence.
pub fn quoted_regions(text: &str, starts_open: bool) -> (Vec<(usize, usize)>, bool) {
    let mut regions = Vec::new();
    let mut open_at: Option<usize> = if starts_open { Some(0) } else { None };
    for (i, c) in text.char_indices() {
        match c {
            '“' if open_at.is_none() => open_at = Some(i + c.len_utf8()),
            '”' => {
                if let Some(s) = open_at.take() {
                    regions.push((s, i));
                }
            }
            '"' => match open_at.take() {
                Some(s) => regions.push((s, i)),
                None => open_at = Some(i + 1),
            },
            _ => {}
        }
    }
    let still_open = open_at.is_some();
    if let Some(s) = open_at {
        regions.push((s, text.len()));
    }
    (regions, still_open)
}

fn inside(regions: &[(usize, usize)], pos: usize) -> bool {
    regions.iter().any(|&(s, e)| pos >= s && pos < e)
}

/// Word spans (byte offsets) of `text` as lower-case words.
pub(crate) fn word_spans(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let part = c.is_alphanumeric() || c == '-' || c == '’' || c == '\'' || c == '.';
        match (start, part) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                let w = text[s..i].trim_end_matches(['.', '’', '\'']).to_lowercase();
                if !w.is_empty() {
                    out.push((s, s + w.len(), w));
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

struct Candidate {
    actor: Option<usize>,
    resolution: Resolution,
    mention: Option<(usize, usize)>,
}

impl Candidate {
    /// The actor named by the words `start..end` of the sentence.
    fn named(actor: usize, start: usize, end: usize) -> Self {
        Candidate {
            actor: Some(actor),
            resolution: Resolution::Name,
            mention: Some((start, end)),
        }
    }
}

struct Context<'a> {
    actors: &'a [ArticleActor],
    /// Most recent actor index per (sentence): holders so far and PER mentions so far.
    recent_person: Option<usize>,
    recent_holder: Option<usize>,
    /// The holder of the latest sentence mentioning a statement or letter ("the statement
    /// reads" is that holder's).
    recent_statement: Option<usize>,
    /// The latest county named ("the county government is joining …" is that county).
    recent_county: Option<usize>,
    recent_actors: Vec<usize>,
    /// Per actor: the pronoun the article uses for them, where it says (`pronoun_genders`).
    pronouns: Vec<Option<&'static str>>,
    /// The people the current sentence names outside quotes, in order.
    sentence_people: Vec<usize>,
    /// Every actor the current sentence names: "the agency" or "the group" is never one of
    /// them ("The group sued ICE" after a sentence about ICE is not ICE).
    sentence_actors: Vec<usize>,
}

impl Context<'_> {
    /// The person a "he" / "she" (`word`) means: the latest person holder, else the latest
    /// person mentioned; but one the article refers to with the other pronoun is passed over
    /// for the nearest person who fits, in this sentence first ("Krasner also defended
    /// Bilal, who … when she said": Bilal, when the article calls Krasner "he" elsewhere).
    fn pronoun(&self, word: Option<&str>) -> Option<usize> {
        let is_person = |a: usize| self.actors[a].entity_type == "PER";
        let first = match self.recent_holder {
            Some(h) if is_person(h) => Some(h),
            _ => self.recent_person,
        };
        let fits = |a: usize| match (word, self.pronouns.get(a).copied().flatten()) {
            (Some(w), Some(p)) => w == p,
            _ => true,
        };
        match first {
            Some(a) if !fits(a) => self
                .sentence_people
                .iter()
                .rev()
                .chain(self.recent_actors.iter().rev())
                .copied()
                .find(|&b| is_person(b) && fits(b))
                .or(first),
            _ => first,
        }
    }

    /// The first actor of the article holding `role` (for a descriptor that comes before
    /// the person is named, as in headlines).
    fn first_with_role(&self, role: &str) -> Option<usize> {
        self.actors
            .iter()
            .position(|a| a.role.as_deref() == Some(role) && !a.former)
    }

    fn title(&self, role: Option<&str>, word: &str) -> Option<usize> {
        let named = self.recent_actors.iter().rev().copied().find(|&a| {
            let actor = &self.actors[a];
            match role {
                Some(r) => actor.role.as_deref() == Some(r),
                None => actor.entity_type == "ORG" && actor.name.to_lowercase().contains(word),
            }
        });
        // "the agency says" after "U.S. Immigration and Customs Enforcement": a generic
        // word for a public body means the most recent organisation when none is named so.
        named.or_else(|| {
            GENERIC_BODIES
                .contains(&word)
                .then(|| {
                    self.recent_actors.iter().rev().copied().find(|&a| {
                        self.actors[a].entity_type == "ORG" && !self.sentence_actors.contains(&a)
                    })
                })
                .flatten()
        })
    }

    /// The organisation of the article (named anywhere in it) that `word` abbreviates:
    /// "ICE" for "U.S. Immigration and Customs Enforcement".
    fn org_by_acronym(&self, word: &str) -> Option<usize> {
        (word.len() >= 2 && word.chars().all(|c| c.is_ascii_uppercase()))
            .then(|| {
                self.actors.iter().position(|a| {
                    a.entity_type == "ORG"
                        && (a.name == word
                            || a.name.contains(' ') && actors::acronym(&a.name).ends_with(word))
                })
            })
            .flatten()
    }

    /// The organisation of the article whose name is `place` followed by words including
    /// `body`: "Orange County board" -> "Orange County Board of Supervisors".
    fn body_of_place(&self, place: &str, body: &str) -> Option<usize> {
        let place = place.to_lowercase();
        self.actors.iter().position(|a| {
            let name = a.name.to_lowercase();
            a.entity_type == "ORG"
                && name.starts_with(&place)
                && name[place.len()..].split_whitespace().any(|w| w == body)
        })
    }

    /// The most recent person whose surname is `word` ("Jones asked" where the tagger
    /// missed "Jones").
    fn person_by_surname(&self, word: &str) -> Option<usize> {
        self.recent_actors.iter().rev().copied().find(|&a| {
            let actor = &self.actors[a];
            actor.entity_type == "PER"
                && actor.name.contains(' ')
                && actor
                    .name
                    .rsplit(' ')
                    .next()
                    .is_some_and(|last| last.to_lowercase() == word)
        })
    }
}

/// The people (PER actors) a sentence names outside its quotes, in order.
fn people_outside_quotes(
    s: &SentenceView,
    regions: &[(usize, usize)],
    entity_actor: &[Option<usize>],
    actors: &[ArticleActor],
) -> Vec<usize> {
    s.entities
        .iter()
        .zip(entity_actor)
        .filter(|(e, _)| !inside(regions, e.start))
        .filter_map(|(_, a)| *a)
        .filter(|&a| actors[a].entity_type == "PER")
        .collect()
}

/// Per actor, "he" or "she" when the article uses only that pronoun for them. The
/// third-person pronouns outside quotes are counted for the one person a sentence names
/// outside quotes ("Krasner said he …"), or, in a sentence that names no one, a pronoun
/// attributing speech for the one person the sentence before named ("Krasner said …" then
/// "“…,” he said."). Unknown (None) when the article never says, or says both.
fn pronoun_genders(
    sentences: &[SentenceView],
    entity_actor: &[Vec<Option<usize>>],
    actors: &[ArticleActor],
) -> Vec<Option<&'static str>> {
    let mut counts = vec![(0usize, 0usize); actors.len()];
    let mut open = false;
    let mut paragraph = u32::MAX;
    let mut single_before: Option<usize> = None;
    for (si, s) in sentences.iter().enumerate() {
        if s.paragraph != paragraph {
            open = false;
            paragraph = s.paragraph;
        }
        let (regions, still_open) = quoted_regions(s.text, open);
        open = still_open;
        let mut people = people_outside_quotes(s, &regions, &entity_actor[si], actors);
        people.sort_unstable();
        people.dedup();
        let person = match people[..] {
            [] => single_before,
            [one] => Some(one),
            _ => None,
        };
        if !people.is_empty() {
            single_before = person;
        }
        let Some(person) = person else {
            continue;
        };
        let words: Vec<(usize, usize, String)> = word_spans(s.text)
            .into_iter()
            .filter(|(start, _, _)| !inside(&regions, *start))
            .collect();
        for (k, (_, _, w)) in words.iter().enumerate() {
            // In a sentence that names no one, only a pronoun attributing speech ("…,” he
            // said.") is taken to mean the person before: any other may start a new topic.
            let speaks = words
                .get(k + 1)
                .is_some_and(|n| SPEECH_VERBS.contains(&n.2.as_str()));
            if people.is_empty() && !speaks {
                continue;
            }
            match base(w) {
                "he" | "him" | "his" | "himself" => counts[person].0 += 1,
                "she" | "her" | "hers" | "herself" => counts[person].1 += 1,
                _ => {}
            }
        }
    }
    counts
        .into_iter()
        .map(|(he, she)| match (he, she) {
            (h, 0) if h > 0 => Some("he"),
            (0, s) if s > 0 => Some("she"),
            _ => None,
        })
        .collect()
}

/// Attributes every sentence of one article (see the module contract).
pub fn attribute(sentences: &[SentenceView]) -> ArticleAttribution {
    // 1. Canonical names and actors.
    // Surnames of the people named in full: a lone surname the tagger typed as a place
    // ("Homan: I'm hoping …" in an interview transcript) is that person.
    let surnames: Vec<String> = sentences
        .iter()
        .flat_map(|s| s.entities.iter())
        .filter(|e| e.label == "PER")
        .filter_map(|e| {
            let text = actors::clean_mention(&e.text);
            let mut words = text.split_whitespace();
            let last = words.next_back()?;
            words.next().is_some().then(|| last.to_lowercase())
        })
        .collect();
    let surname_as_place = |e: &EntitySpan| {
        let text = actors::clean_mention(&e.text);
        let word = text.to_lowercase();
        e.label == "LOC"
            && !text.contains(' ')
            && surnames.iter().any(|s| actors::is_surname(&word, s))
    };
    let mut mentions = Vec::new();
    let mut mention_pos = Vec::new();
    for (si, s) in sentences.iter().enumerate() {
        for (ei, e) in s.entities.iter().enumerate() {
            let as_person = surname_as_place(e);
            if e.label == "PER" || e.label == "ORG" || as_person {
                let text = actors::clean_mention(&e.text);
                // A name has a capital letter: a tagged "the" or "officials" is no actor; nor
                // is a lone generic word from a title-case heading ("The Administration’s
                // Position", "Federal Claims of Success").
                let generic = GENERIC_WORDS.contains(&base(&text.to_lowercase()))
                    || member_body(&text).is_some();
                if text.chars().any(char::is_uppercase) && !generic {
                    mentions.push(Mention {
                        label: if as_person {
                            "PER".into()
                        } else {
                            e.label.clone()
                        },
                        text,
                    });
                    mention_pos.push((si, ei));
                }
            }
        }
    }
    let canonical = actors::resolve_names(&mentions);
    // Places can act too ("Los Alamitos, a small city in Orange County, voted …"): LOC
    // mentions become actors, but only a sentence's opening subject is ever attributed to
    // one (see `find_holder`).
    let mut place_mentions: Vec<(usize, usize, String)> = Vec::new();
    for (si, s) in sentences.iter().enumerate() {
        for (ei, e) in s.entities.iter().enumerate() {
            let text = actors::clean_mention(&e.text);
            if e.label == "LOC" && text.chars().any(char::is_alphabetic) && !surname_as_place(e) {
                place_mentions.push((si, ei, text));
            }
        }
    }
    let mut actors_out: Vec<ArticleActor> = Vec::new();
    let mut entity_actor: Vec<Vec<Option<usize>>> = sentences
        .iter()
        .map(|s| vec![None; s.entities.len()])
        .collect();
    for ((si, ei), (name, entity_type)) in mention_pos.iter().zip(&canonical) {
        let id = actors::actor_id(name);
        let idx = match actors_out.iter().position(|a| a.actor_id == id) {
            Some(i) => i,
            None => {
                actors_out.push(ArticleActor {
                    name: name.clone(),
                    actor_id: id,
                    entity_type: entity_type.clone(),
                    role: None,
                    place: None,
                    level: None,
                    former: false,
                });
                actors_out.len() - 1
            }
        };
        entity_actor[*si][*ei] = Some(idx);
    }
    let mut place_actor: Vec<Vec<Option<usize>>> = sentences
        .iter()
        .map(|s| vec![None; s.entities.len()])
        .collect();
    for (si, ei, text) in place_mentions {
        let id = actors::actor_id(&text);
        let idx = match actors_out.iter().position(|a| a.actor_id == id) {
            Some(i) => i,
            None => {
                actors_out.push(ArticleActor {
                    name: text.clone(),
                    actor_id: id,
                    entity_type: "LOC".into(),
                    role: None,
                    place: Some(actors::normalise_place(&text)),
                    level: None,
                    former: false,
                });
                actors_out.len() - 1
            }
        };
        place_actor[si][ei] = Some(idx);
    }

    // 2. Roles and places, with section headings as the fallback place.
    let mut section_place: Option<String> = None;
    for (si, s) in sentences.iter().enumerate() {
        if let Some(place) = heading_place(s) {
            section_place = Some(place);
            continue;
        }
        let places: Vec<(usize, usize)> = s
            .entities
            .iter()
            .filter(|e| e.label == "LOC" || e.label == "ORG")
            .map(|e| (e.start, e.end))
            .collect();
        for (ei, e) in s.entities.iter().enumerate() {
            let Some(a) = entity_actor[si][ei] else {
                continue;
            };
            if e.label != "PER" {
                continue;
            }
            let RoleInfo {
                role,
                place,
                former,
            } = actors::read_role(s.text, e.start, e.end, &places);
            let actor = &mut actors_out[a];
            if let Some(role) = role {
                if actor.role.is_none() || (actor.former && !former) {
                    actor.role = Some(role);
                    actor.former = former;
                    actor.place = place.or_else(|| actor.place.take());
                    if actor.place.is_none() && !former {
                        actor.place = section_place.clone();
                    }
                }
            }
        }
    }
    for a in &mut actors_out {
        if let Some(role) = &a.role {
            a.level = actors::role_level(role, a.place.as_deref()).map(str::to_string);
        }
    }

    // 3. Holders.
    let mut holders: Vec<Option<Holder>> = Vec::with_capacity(sentences.len());
    let mut ctx = Context {
        actors: &actors_out,
        recent_person: None,
        recent_holder: None,
        recent_statement: None,
        recent_county: None,
        recent_actors: Vec::new(),
        pronouns: pronoun_genders(sentences, &entity_actor, &actors_out),
        sentence_people: Vec::new(),
        sentence_actors: Vec::new(),
    };
    let mut second_clauses: Vec<Option<SecondClause>> = Vec::with_capacity(sentences.len());
    let mut open_quote = false;
    let mut prev_paragraph = u32::MAX;
    // Per sentence: (is a quote sentence, quote continues from before, had own attribution)
    let mut quote_info: Vec<(bool, bool)> = Vec::with_capacity(sentences.len());
    // Per sentence: a quote is still open at its end.
    let mut open_after: Vec<bool> = Vec::with_capacity(sentences.len());
    // Per sentence: every word is inside quotes.
    let mut all_quote: Vec<bool> = Vec::with_capacity(sentences.len());
    for (si, s) in sentences.iter().enumerate() {
        if s.paragraph != prev_paragraph {
            open_quote = false;
            prev_paragraph = s.paragraph;
        }
        let continues = open_quote;
        let (regions, still_open) = quoted_regions(s.text, open_quote);
        open_quote = still_open;
        open_after.push(still_open);
        let quoted_chars: usize = regions.iter().map(|(a, b)| b - a).sum();
        let outside_words = word_spans(s.text)
            .into_iter()
            .filter(|(a, _, _)| !inside(&regions, *a))
            .count();
        let has_quote = !regions.is_empty() && quoted_chars > 0;
        let pure_quote = has_quote && outside_words == 0;
        quote_info.push((has_quote, continues || pure_quote));
        all_quote.push(pure_quote);

        ctx.sentence_people = people_outside_quotes(s, &regions, &entity_actor[si], &actors_out);
        ctx.sentence_actors = entity_actor[si].iter().flatten().copied().collect();
        // A heading that only names a place ("Chicago") holds no stance of its own.
        let found = if heading_place(s).is_some() {
            None
        } else {
            find_holder(s, &regions, &entity_actor[si], &place_actor[si], &ctx)
        };
        let holder = found.map(|(cand, kind)| {
            (
                cand,
                if has_quote && kind == HolderKind::ReportedSpeaker {
                    HolderKind::QuoteSpeaker
                } else {
                    kind
                },
            )
        });
        let holder = holder.and_then(|(c, kind)| {
            c.actor.map(|actor| Holder {
                actor,
                kind,
                resolution: c.resolution,
                mention: c.mention,
            })
        });
        // Update the context with this sentence's mentions and holder.
        for (ei, e) in s.entities.iter().enumerate() {
            if let Some(a) = entity_actor[si][ei] {
                if e.label == "PER" {
                    ctx.recent_person = Some(a);
                }
                ctx.recent_actors.retain(|&x| x != a);
                ctx.recent_actors.push(a);
            }
            if let Some(a) = place_actor[si][ei] {
                if actors_out[a].name.ends_with(" County") {
                    ctx.recent_county = Some(a);
                }
            }
        }
        if let Some(h) = &holder {
            ctx.recent_holder = Some(h.actor);
            // A "she" resolved to a person says which pronoun is hers from here on.
            if let (Resolution::Pronoun, Some((ms, me))) = (h.resolution, h.mention) {
                let word = base(&s.text[ms..me].to_lowercase()).to_string();
                let known = PRONOUNS_PERSON.iter().find(|&&p| p == word);
                if let (Some(&p), None) = (known, ctx.pronouns[h.actor]) {
                    ctx.pronouns[h.actor] = Some(p);
                }
            }
            if actors_out[h.actor].entity_type == "PER" {
                ctx.recent_person = Some(h.actor);
            }
            if word_spans(s.text)
                .iter()
                .any(|(_, _, w)| STATEMENT_WORDS.contains(&base(w)))
            {
                ctx.recent_statement = Some(h.actor);
            }
        }
        // A second main clause with a subject of its own keeps its own holder, resolved
        // once this sentence's mentions and holder are in the context ("…, and the
        // commissioners later voted …" is the commissioners named before the comma; "…,
        // and she repeated it" is this sentence's holder).
        let second = second_clause(s, &regions, &entity_actor[si], &place_actor[si], &ctx)
            .filter(|c| holder.as_ref().is_none_or(|h| h.actor != c.holder.actor));
        second_clauses.push(second);
        holders.push(holder);
    }

    // 4. Quote sentences without their own attribution take the speaker of the quote
    //    sentence next to them in the same paragraph (earlier first, then later).
    for si in 0..sentences.len() {
        let (has_quote, contextual) = quote_info[si];
        if !has_quote || holders[si].is_some() || !contextual {
            continue;
        }
        let para = sentences[si].paragraph;
        // The splitter may cut `…good guys?" Jones asked.` after the quote: a short
        // attribution right after the quote (or right before it, ending in a colon) names
        // its speaker.
        let bare_attribution = |j: usize| -> bool {
            let text = sentences[j].text.trim_end();
            !quote_info[j].0
                && word_spans(text).len() <= 8
                && (j == si + 1 || j + 1 == si && text.ends_with(':'))
        };
        let speaker_at = |j: usize| -> Option<usize> {
            (sentences[j].paragraph == para && (quote_info[j].0 || bare_attribution(j)))
                .then(|| {
                    holders[j]
                        .as_ref()
                        .filter(|h| {
                            h.kind == HolderKind::QuoteSpeaker
                                || h.kind == HolderKind::ReportedSpeaker && bare_attribution(j)
                        })
                        .map(|h| h.actor)
                })
                .flatten()
        };
        let before = (0..si)
            .rev()
            .take_while(|&j| sentences[j].paragraph == para)
            .find_map(speaker_at);
        let after = (si + 1..sentences.len())
            .take_while(|&j| sentences[j].paragraph == para)
            .find_map(speaker_at);
        if let Some(actor) = before.or(after) {
            holders[si] = Some(Holder {
                actor,
                kind: HolderKind::QuoteSpeaker,
                resolution: Resolution::QuoteContext,
                mention: None,
            });
        }
    }

    // 5. A paragraph that is all quote and names no speaker continues the paragraph before
    //    it, as news writes long quotes: after a quote left open at the paragraph's end
    //    (the closing mark comes only in the quote's last paragraph), after a colon ("Speaker
    //    Beth Harwell released the following statement:"), or after the sentence saying who
    //    spoke ("In a post on X, Gov. JB Pritzker accused …").
    let mut si = 0;
    while si < sentences.len() {
        let para = sentences[si].paragraph;
        let end = (si..sentences.len())
            .find(|&j| sentences[j].paragraph != para)
            .unwrap_or(sentences.len());
        let opens_with_quote = sentences[si].text.trim_start().starts_with(['“', '"', '‘']);
        // Only a paragraph with no words of attribution: "“…,” the association said" names
        // its speaker even when no association was named before.
        let unattributed = (si..end).all(|j| holders[j].is_none() && all_quote[j]);
        let prev = si.checked_sub(1);
        if opens_with_quote && unattributed {
            let speaker = prev.and_then(|p| {
                let prev_para = sentences[p].paragraph;
                let left_open = open_after[p];
                let colon = sentences[p].text.trim_end().ends_with(':');
                if left_open {
                    // The speaker of the open quote: the last quote speaker of that paragraph.
                    (0..=p)
                        .rev()
                        .take_while(|&j| sentences[j].paragraph == prev_para)
                        .find_map(|j| {
                            holders[j]
                                .as_ref()
                                .filter(|h| h.kind == HolderKind::QuoteSpeaker)
                                .map(|h| h.actor)
                        })
                } else {
                    let h = holders[p].as_ref()?;
                    let kind_ok = colon || h.kind != HolderKind::Actor || quote_info[p].0 || {
                        // An actor holds the quote only when the sentence says it spoke.
                        word_spans(sentences[p].text).iter().any(|(_, _, w)| {
                            STATEMENT_WORDS.contains(&base(w))
                                || SPEECH_VERBS.contains(&w.as_str())
                                || ACCUSING_VERBS.contains(&w.as_str())
                        })
                    };
                    let named = matches!(actors_out[h.actor].entity_type.as_str(), "PER" | "ORG");
                    (kind_ok && named).then_some(h.actor)
                }
            });
            if let Some(actor) = speaker {
                for j in si..end {
                    if quote_info[j].0 {
                        holders[j] = Some(Holder {
                            actor,
                            kind: HolderKind::QuoteSpeaker,
                            resolution: Resolution::QuoteContext,
                            mention: None,
                        });
                    }
                }
            }
        }
        si = end;
    }

    ArticleAttribution {
        actors: actors_out,
        holders,
        second_clauses,
        entity_actor,
    }
}

/// Conjunctions that may join two main clauses, each with its own subject.
const CLAUSE_JOINS: &[&str] = &[", and ", ", but ", ", while ", "; "];

/// The second main clause of `s` and its holder: after a clause join outside quotes, a
/// clause whose opening words are a named or resolvable subject ("the commissioners",
/// "Sheriff Ana Ruiz", "she") followed by at least two more words. The first clause must
/// have five words or more outside quotes, and more than four since its last comma, so a
/// list of names ("Mayor A, Sheriff B, and Chief C signed …") is not split.
fn second_clause(
    s: &SentenceView,
    regions: &[(usize, usize)],
    entity_actor: &[Option<usize>],
    place_actor: &[Option<usize>],
    ctx: &Context,
) -> Option<SecondClause> {
    let mut joins: Vec<(usize, usize)> = CLAUSE_JOINS
        .iter()
        .flat_map(|j| s.text.match_indices(j).map(|(at, m)| (at, at + m.len())))
        .filter(|&(at, _)| !inside(regions, at))
        .collect();
    joins.sort_unstable();
    for (first_end, start) in joins {
        let words_before = word_spans(&s.text[..first_end])
            .iter()
            .filter(|(a, _, _)| !inside(regions, *a))
            .count();
        // "Mayor A, Sheriff B, and Chief C signed …": a short item after a comma before the
        // join is a list, not a clause.
        let item = s.text[..first_end]
            .rfind([',', ';'])
            .map_or(&s.text[..first_end], |c| &s.text[c + 1..first_end]);
        if words_before < 5 || item.split_whitespace().count() <= 4 {
            continue;
        }
        // The clause as a sentence of its own: entities and quotes shifted to its start.
        let keep: Vec<usize> = (0..s.entities.len())
            .filter(|&ei| s.entities[ei].start >= start)
            .collect();
        let entities: Vec<EntitySpan> = keep
            .iter()
            .map(|&ei| {
                let e = &s.entities[ei];
                EntitySpan {
                    start: e.start - start,
                    end: e.end - start,
                    ..e.clone()
                }
            })
            .collect();
        let sub_regions: Vec<(usize, usize)> = regions
            .iter()
            .filter(|&&(a, _)| a >= start)
            .map(|&(a, b)| (a - start, b - start))
            .collect();
        let view = SentenceView {
            text: &s.text[start..],
            paragraph: s.paragraph,
            entities: &entities,
        };
        let ea: Vec<Option<usize>> = keep.iter().map(|&ei| entity_actor[ei]).collect();
        let pa: Vec<Option<usize>> = keep.iter().map(|&ei| place_actor[ei]).collect();
        let Some((cand, kind)) = find_holder(&view, &sub_regions, &ea, &pa, ctx) else {
            continue;
        };
        let (Some(actor), Some((ms, me))) = (cand.actor, cand.mention) else {
            continue;
        };
        // The holder must be the clause's subject: named in its first words, with a verb
        // phrase after it.
        let clause_words = word_spans(view.text);
        let before = clause_words.iter().filter(|(a, _, _)| *a < ms).count();
        let after = clause_words.iter().filter(|(a, _, _)| *a >= me).count();
        if before > 3 || after < 2 {
            continue;
        }
        let kind = if !sub_regions.is_empty() && kind == HolderKind::ReportedSpeaker {
            HolderKind::QuoteSpeaker
        } else {
            kind
        };
        return Some(SecondClause {
            first_end,
            start,
            holder: Holder {
                actor,
                kind,
                resolution: cand.resolution,
                mention: Some((ms + start, me + start)),
            },
        });
    }
    None
}

/// A line that is only a place name ("Chicago", "Washington, D.C.") starts a section.
fn heading_place(s: &SentenceView) -> Option<String> {
    let text = s.text.trim();
    if text.len() > 40 || text.ends_with('.') && !text.ends_with("D.C.") {
        return None;
    }
    let locs: Vec<&EntitySpan> = s.entities.iter().filter(|e| e.label == "LOC").collect();
    let covered: usize = locs.iter().map(|e| e.end - e.start).sum();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if locs.is_empty() || covered * 10 < text.len() * 7 || letters == 0 {
        return None;
    }
    Some(actors::normalise_place(&actors::place_for_role(
        text, "mayor",
    )))
}

fn find_holder(
    s: &SentenceView,
    regions: &[(usize, usize)],
    entity_actor: &[Option<usize>],
    place_actor: &[Option<usize>],
    ctx: &Context,
) -> Option<(Candidate, HolderKind)> {
    let words = word_spans(s.text);
    let outside: Vec<&(usize, usize, String)> = words
        .iter()
        .filter(|(a, _, _)| !inside(regions, *a))
        .collect();
    let holders_at = |from: usize, to: usize| -> Vec<(usize, usize, usize)> {
        // (start, end, actor) of PER/ORG entities within [from, to) and outside quotes.
        s.entities
            .iter()
            .enumerate()
            .filter(|(ei, e)| {
                entity_actor[*ei].is_some_and(|a| !actors::is_news_outlet(&ctx.actors[a].name))
                    && e.start >= from
                    && e.end <= to
                    && !inside(regions, e.start)
            })
            .map(|(ei, e)| (e.start, e.end, entity_actor[ei].expect("filtered")))
            .collect()
    };
    // "Richard Rocha, a spokesman for ICE, told …", "Charlie Beck, Los Angeles Police
    // Department chief said …": an organisation in an apposition after a person speaks
    // through that person.
    let through_person = |es: usize, a: usize| -> Option<(usize, usize, usize)> {
        if ctx.actors[a].entity_type != "ORG" {
            return None;
        }
        let from = s.text[..es]
            .char_indices()
            .rev()
            .filter(|&(_, c)| c == ' ')
            .nth(6)
            .map_or(0, |(i, _)| i);
        holders_at(from, es).into_iter().rev().find(|&(_, pe, pa)| {
            ctx.actors[pa].entity_type == "PER" && s.text[pe..es].starts_with(',')
        })
    };

    // "Homeland Security Secretary Kristi Noem": an organisation naming the office of the
    // person right after it is part of the title, and the person is meant.
    let office_holder = |es: usize, ee: usize, a: usize| -> (usize, usize, usize) {
        // A person is never an office: in "Larry Krasner joined Philadelphia Sheriff
        // Rochelle Bilal" the first person acts.
        if ctx.actors[a].entity_type == "PER" {
            return (es, ee, a);
        }
        if let Some(&(ps, pe, pa)) = holders_at(ee, s.text.len()).first() {
            let gap = s.text[ee..ps].to_lowercase();
            // The words up to the person end in a role, which may begin inside the
            // organisation's name ("House Speaker Cameron Sexton").
            let title = s.text[es..ps].trim_end().to_lowercase();
            if ctx.actors[pa].entity_type == "PER"
                && gap.split_whitespace().count() <= 3
                && actors::ROLES.iter().any(|r| title.ends_with(r))
            {
                return (ps, pe, pa);
            }
        }
        (es, ee, a)
    };

    // (a) Speech verbs outside quotes: subject just before, or inverted subject just after.
    for (wi, (vs, ve, w)) in outside.iter().enumerate() {
        let is_according = w == "according" && outside.get(wi + 1).is_some_and(|n| n.2 == "to");
        // "a statement from the Denver Police Department": the source speaks.
        let statement_from = matches!(w.as_str(), "statement" | "statements" | "letter")
            && outside.get(wi + 1).is_some_and(|n| n.2 == "from");
        if statement_from {
            let from = outside[wi + 1].1;
            let limit = outside.get(wi + 6).map(|n| n.1).unwrap_or(s.text.len());
            if let Some(&(es, ee, a)) = holders_at(from, limit).first() {
                if s.text[from..es].split_whitespace().count() <= 1 {
                    return Some((Candidate::named(a, es, ee), HolderKind::ReportedSpeaker));
                }
            }
        }
        // A statement speaks for whoever issued it: "…,” the statement reads." is the
        // issuer of the last statement; "…,” the police department’s statement read." is
        // the body its owner's title word names.
        let statement_speaks = (SPEECH_VERBS.contains(&w.as_str())
            || matches!(w.as_str(), "reads" | "read"))
            && wi >= 2
            && STATEMENT_WORDS.contains(&outside[wi - 1].2.as_str());
        if statement_speaks {
            let owner = &outside[wi - 2];
            let issuer = if owner.2 == "the" {
                ctx.recent_statement.map(|a| (a, wi - 2))
            } else if base(&owner.2) != owner.2 {
                // "the" at most two words before the owner's title word.
                let the = (wi.saturating_sub(5)..wi - 2)
                    .rev()
                    .find(|&k| outside[k].2 == "the");
                let titled = TITLE_WORDS.iter().find(|(t, _)| *t == base(&owner.2));
                the.zip(titled)
                    .and_then(|(k, &(title, role))| ctx.title(role, title).map(|a| (a, k)))
            } else {
                None
            };
            if let Some((actor, k)) = issuer {
                return Some((
                    Candidate {
                        actor: Some(actor),
                        resolution: Resolution::Title,
                        mention: Some((outside[k].0, outside[wi - 1].1)),
                    },
                    HolderKind::ReportedSpeaker,
                ));
            }
        }
        if !SPEECH_VERBS.contains(&w.as_str()) && !is_according {
            continue;
        }
        // "calling" speaks only as a verb of its own clause ("with Faraday calling it …",
        // "is calling on …"), not after a preposition ("joins Trump in calling out …").
        let after_preposition = wi > 0
            && matches!(
                outside[wi - 1].2.as_str(),
                "in" | "by" | "for" | "of" | "after" | "before" | "from" | "without"
            );
        if w == "calling" && after_preposition {
            continue;
        }
        // "a U.S. citizen described as a poet": a participle before "as" reports no speech.
        if outside.get(wi + 1).is_some_and(|n| n.2 == "as") && w.ends_with("ed") {
            continue;
        }
        if !is_according {
            // Subject: the last PER/ORG entity ending within 4 words before the verb, with no
            // quote between them.
            let window_start = if wi >= 5 { outside[wi - 5].0 } else { 0 };
            let clause_start = regions
                .iter()
                .filter(|&&(_, e)| e <= *vs)
                .map(|&(_, e)| e)
                .max()
                .unwrap_or(0);
            // A long name that starts before the window but ends inside it is still the
            // subject ("the Massachusetts Immigrant and Refugee Advocacy Coalition said").
            let from = window_start.max(clause_start);
            let from = s
                .entities
                .iter()
                .filter(|e| e.start >= clause_start && e.start < from && e.end > from)
                .map(|e| e.start)
                .min()
                .unwrap_or(from);
            // A name joined to the verb by "and" is the object of an earlier verb ("Bass
            // spoke to Bovino on Monday and told him …"): the clause's subject speaks.
            let subject = holders_at(from, *vs)
                .last()
                .copied()
                .filter(|&(_, ee, _)| !s.text[ee..*vs].contains(" and "));
            if let Some((es, ee, a)) = subject {
                let (es, ee, a) = through_person(es, a).unwrap_or((es, ee, a));
                return Some((Candidate::named(a, es, ee), HolderKind::ReportedSpeaker));
            }
            // A name before an apposition that ends right before the verb: "Kerlikowske, a
            // former chief of police in Seattle, told …".
            if s.text[..*vs].trim_end().ends_with(',') {
                let wide = if wi >= 14 { outside[wi - 14].0 } else { 0 };
                let appositive = holders_at(wide.max(clause_start), *vs)
                    .into_iter()
                    .rev()
                    .find(|&(_, ee, _)| {
                        s.text[ee..].starts_with(',') && s.text[ee..*vs].matches(',').count() == 2
                    });
                if let Some((es, ee, a)) = appositive {
                    return Some((Candidate::named(a, es, ee), HolderKind::ReportedSpeaker));
                }
            }
            // Pronoun or title right before the verb ("he said", "the association said"),
            // or a role descriptor ("A controversial Massachusetts sheriff told …").
            if let Some(c) = pronoun_or_title(&outside, wi, ctx) {
                return Some((c, HolderKind::ReportedSpeaker));
            }
            if let Some(c) = role_descriptor(&outside, wi, ctx).filter(|c| c.actor.is_some()) {
                return Some((c, HolderKind::ReportedSpeaker));
            }
            if let Some(c) = epithet(&outside, wi, s.text, ctx) {
                return Some((c, HolderKind::ReportedSpeaker));
            }
            // A capitalised surname of a person named earlier, which the tagger missed.
            if let Some(prev) = wi.checked_sub(1).map(|k| outside[k]) {
                let capitalised = s.text[prev.0..].starts_with(char::is_uppercase);
                if let Some(a) = capitalised
                    .then(|| ctx.person_by_surname(&prev.2))
                    .flatten()
                {
                    return Some((
                        Candidate::named(a, prev.0, prev.1),
                        HolderKind::ReportedSpeaker,
                    ));
                }
                // An acronym the tagger missed ("ICE warns …" in a headline).
                if let Some(a) = ctx.org_by_acronym(&s.text[prev.0..prev.1]) {
                    return Some((
                        Candidate::named(a, prev.0, prev.1),
                        HolderKind::ReportedSpeaker,
                    ));
                }
            }
        }
        // Inverted: "said de Blasio", "according to ABC News".
        let after_from = if is_according {
            outside.get(wi + 1).map(|n| n.1).unwrap_or(*ve)
        } else {
            *ve
        };
        let limit = outside.get(wi + 5).map(|n| n.1).unwrap_or(s.text.len());
        // A long name that starts inside the window counts whole ("according to the
        // Federation for Immigration Reform").
        let limit = s
            .entities
            .iter()
            .filter(|e| e.start < limit && e.end > limit)
            .map(|e| e.end)
            .max()
            .unwrap_or(limit);
        if let Some(&(es, ee, a)) = holders_at(after_from, limit).first() {
            let gap = &s.text[after_from..es];
            if gap.split_whitespace().count() <= 2 {
                return Some((Candidate::named(a, es, ee), HolderKind::ReportedSpeaker));
            }
        }
        // "The LA Times reports that over the years, the LAPD has distanced itself …": a
        // news outlet holds no stance, so the subject of what it reports acts.
        let outlet_speaks = s.entities.iter().any(|e| {
            e.end <= *vs
                && s.text[e.end..*vs].split_whitespace().count() <= 1
                && actors::is_news_outlet(&e.text)
        });
        if outlet_speaks && outside.get(wi + 1).is_some_and(|n| n.2 == "that") {
            let that_end = outside[wi + 1].1;
            // Past a leading adverbial up to its comma ("over the years, ").
            let comma = s.text[that_end..]
                .find(", ")
                .filter(|&c| s.text[that_end..that_end + c].split_whitespace().count() <= 5);
            let from = comma.map_or(that_end, |c| that_end + c + 2);
            let limit = s.text[from..]
                .match_indices(' ')
                .nth(3)
                .map_or(s.text.len(), |(i, _)| from + i);
            if let Some(&(es, ee, a)) = holders_at(from, limit).first() {
                return Some((Candidate::named(a, es, ee), HolderKind::Actor));
            }
        }
    }

    // A name right after a quote that closes on a comma is its speaker even when the verb
    // is missing ("“This is a political stunt,” Brown of Sessions' appearance.").
    for &(_, qe) in regions {
        let closes_on_comma = s.text[..qe].trim_end().ends_with(',');
        let after = s.text[qe..]
            .char_indices()
            .find(|&(_, c)| !matches!(c, '”' | '"' | ' '))
            .map(|(i, _)| qe + i);
        if let (true, Some(pos)) = (closes_on_comma, after) {
            if let Some(&(es, ee, a)) = holders_at(pos, s.text.len())
                .first()
                .filter(|&&(es, _, a)| es == pos && ctx.actors[a].entity_type == "PER")
            {
                return Some((Candidate::named(a, es, ee), HolderKind::ReportedSpeaker));
            }
        }
    }

    // (b) A sentence that is only a quote has no subject of its own.
    if outside.is_empty() {
        return None;
    }

    // (c) The acting subject: skip a dateline ("ASHEVILLE - ", "FORT MYERS, Fla. — ") and a
    //     leading subordinate, prepositional or participial phrase up to its comma
    //     ("Testifying at the House …, Sheriff Thomas Hodgson directed …"), then the first
    //     PER/ORG entity within the first words of the main clause, or a pronoun / title.
    let after = |pos: usize| {
        outside
            .iter()
            .position(|(a, _, _)| *a >= pos)
            .unwrap_or(outside.len())
    };
    let mut clause_start_word = dateline_end(s.text).map_or(0, after);
    // A leading conjunction is not the subject ("But the sheriff’s office …").
    if outside
        .get(clause_start_word)
        .is_some_and(|(_, _, w)| w == "and" || w == "but")
    {
        clause_start_word += 1;
    }
    // …nor a sentence adverb ("And now the county government is joining …").
    if outside
        .get(clause_start_word)
        .is_some_and(|(_, _, w)| matches!(w.as_str(), "now" | "meanwhile" | "still" | "also"))
    {
        clause_start_word += 1;
    }
    // "For Sheriff Andy Louderback, who signed on …, joining was a no-brainer": the person
    // the clause is "for" holds the view.
    if let Some(&&(_, for_end, ref w)) = outside.get(clause_start_word) {
        if w == "for" {
            let next = outside
                .get(clause_start_word + 1)
                .map_or(s.text.len(), |n| n.0);
            let limit = outside
                .get(clause_start_word + 4)
                .map_or(s.text.len(), |n| n.1);
            if let Some(&(es, ee, a)) = holders_at(for_end, limit).first() {
                let title_only = s.text[next.min(es)..es]
                    .split_whitespace()
                    .all(|t| t.starts_with(char::is_uppercase) || t.ends_with('.'));
                if ctx.actors[a].entity_type == "PER" && title_only && s.text[ee..].starts_with(',')
                {
                    return Some((Candidate::named(a, es, ee), HolderKind::Actor));
                }
            }
        }
    }
    if let Some(&&(start, end, ref w)) = outside.get(clause_start_word) {
        let in_entity = s.entities.iter().any(|e| e.start <= start && start < e.end);
        let participle = w.len() > 5 && w.ends_with("ing") && !in_entity;
        if SUBORDINATORS.contains(&w.as_str())
            || participle
            || opens_adverbial(&outside[clause_start_word..])
        {
            if let Some(comma) = s.text[end..].find(", ") {
                clause_start_word = after(end + comma + 2);
            }
        }
    }
    let clause: Vec<&(usize, usize, String)> =
        outside[clause_start_word.min(outside.len())..].to_vec();
    let first = clause.first()?;
    let from = first.0;
    let to = clause.get(6).map(|w| w.0).unwrap_or(s.text.len());
    let candidates = holders_at(from, to);
    if candidates.is_empty() {
        // A place opening the main clause acts as itself ("Los Alamitos … voted").
        let opening_place = s.entities.iter().enumerate().find(|(ei, e)| {
            // …but not a place naming an office ("Harlow County sheriff ends …").
            let next = s.text[e.end..].trim_start().to_lowercase();
            place_actor[*ei].is_some()
                && e.start == from
                && !s.text[e.end..].starts_with(['’', '\''])
                && !actors::ROLES.iter().any(|r| next.starts_with(r))
        });
        if let Some((ei, e)) = opening_place {
            // "Orange County board votes …": the body of that place named in the article.
            let body = s.text[e.end..]
                .split_whitespace()
                .next()
                .map(|w| w.to_lowercase())
                .filter(|w| PLACE_BODIES.contains(&w.as_str()));
            if let Some(a) = body.and_then(|b| ctx.body_of_place(&e.text, &b)) {
                return Some((
                    Candidate {
                        actor: Some(a),
                        resolution: Resolution::Title,
                        mention: Some((e.start, e.end)),
                    },
                    HolderKind::Actor,
                ));
            }
            // "Iowa cities … will lose funding under a bill signed into law by Gov. Kim
            // Reynolds": the place is what the law is about; whoever signed it acts.
            let signer = holders_at(e.end, s.text.len())
                .into_iter()
                .find(|&(ps, pe, pa)| {
                    let before = s.text[..ps].to_lowercase();
                    let last: Vec<&str> = before.split_whitespace().rev().take(6).collect();
                    ctx.actors[pa].entity_type == "PER"
                        && (s.text[pe..].trim_start().starts_with("signed")
                            || last.iter().position(|w| *w == "by").is_some_and(|k| k <= 2)
                                && last.contains(&"signed"))
                });
            if let Some((ps, pe, pa)) = signer {
                return Some((Candidate::named(pa, ps, pe), HolderKind::Actor));
            }
            return Some((
                Candidate {
                    actor: place_actor[ei],
                    resolution: Resolution::Name,
                    mention: Some((e.start, e.end)),
                },
                HolderKind::Actor,
            ));
        }
    }
    if let Some(&(mut es, mut ee, mut a)) = candidates.first() {
        // "Homeland Security Secretary Kristi Noem": an organisation naming the office of the
        // person right after it is part of the title, and the person is the subject (the
        // person may lie past the opening words: "Acting Department of Homeland Security
        // Secretary Chad Wolf").
        (es, ee, a) = office_holder(es, ee, a);
        // The entity must be the subject, not the object of a preposition before it.
        let lead = &s.text[from..es].to_lowercase();
        let preposition = lead.split_whitespace().any(|w| {
            matches!(
                w,
                "with"
                    | "against"
                    | "for"
                    | "to"
                    | "from"
                    | "of"
                    | "by"
                    | "on"
                    | "about"
                    | "into"
                    | "at"
            )
        });
        // "Harran was also sued by the American Civil Liberties Union": the subject of a
        // passive undergoes the act; its agent acts.
        if !preposition {
            if let Some(agent) = passive_agent(&outside, ee, &holders_at, s.text.len()) {
                return Some((agent, HolderKind::Actor));
            }
        }
        if !preposition {
            // A pronoun or title opening the clause is the subject, and a name after its
            // verb is the object: "The governor signed SB4 …", "He praised ICE …",
            // "Butler Co. sheriff joins Trump …".
            if let Some(c) = opening_subject(&clause, s.text, ctx)
                .filter(|(c, end)| {
                    c.actor.is_some()
                        && s.text.get(*end..es).is_some_and(|gap| gap.trim().len() > 1)
                })
                .map(|(c, _)| c)
            {
                return Some((c, HolderKind::Actor));
            }
            return Some((Candidate::named(a, es, ee), HolderKind::Actor));
        }
    }
    let cw: Vec<&(usize, usize, String)> = clause.iter().take(3).copied().collect();
    if let Some(c) = subject_pronoun_or_title(&cw, ctx) {
        return Some((c, HolderKind::Actor));
    }
    // The agent of a passive: "The end to the carve-outs, backed by Mayor Lori Lightfoot,
    // passed …", "introduced last month by council member Opel Jones".
    // "… passed in a 4-1 vote by the Council" counts too, and the participle may stand up
    // to four words before "by" ("implemented back in 2009 by Sheriff Butch Conway").
    for (wi, w) in outside.iter().enumerate() {
        if w.2 != "by"
            || wi == 0
            || !is_participle(&outside[wi - 1].2)
                && !matches!(outside[wi - 1].2.as_str(), "vote" | "votes")
                && !(2..=4).any(|back| {
                    wi.checked_sub(back)
                        .is_some_and(|k| outside[k].2.ends_with("ed"))
                })
        {
            continue;
        }
        let limit = outside.get(wi + 5).map(|n| n.1).unwrap_or(s.text.len());
        if let Some(&(es, ee, a)) = holders_at(w.1, limit).first() {
            let (es, ee, a) = office_holder(es, ee, a);
            if matches!(ctx.actors[a].entity_type.as_str(), "PER" | "ORG") {
                return Some((Candidate::named(a, es, ee), HolderKind::Actor));
            }
        }
    }
    // A role word in the subject ("Bucks County's newly sworn-in sheriff is terminating …",
    // "Florida’s attorney general has accused …", possibly before the person is named).
    for (k, w) in clause.iter().take(6).enumerate() {
        let pair = clause.get(k + 1).map(|n| format!("{} {}", w.2, base(&n.2)));
        let found = TITLE_WORDS
            .iter()
            .filter(|(_, r)| r.is_some())
            .find_map(|&(t, r)| {
                if pair.as_deref() == Some(t) {
                    Some((t, r, k + 1))
                } else if t == base(&w.2) {
                    Some((t, r, k))
                } else {
                    None
                }
            });
        if let Some((title, Some(role), last)) = found {
            let actor = ctx
                .title(Some(role), title)
                .or_else(|| ctx.first_with_role(role));
            if actor.is_some() {
                return Some((
                    Candidate {
                        actor,
                        resolution: Resolution::Title,
                        mention: Some((clause[0].0, clause[last].1)),
                    },
                    HolderKind::Actor,
                ));
            }
        }
    }
    None
}

/// Time nouns that open a leading adverbial ("The day after …, ", "Two years after …, ").
const TIME_NOUNS: &[&str] = &[
    "morning",
    "afternoon",
    "evening",
    "night",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "hours",
    "decade",
    "decades",
];

/// Whether the words opening a clause are an adverbial phrase rather than its subject: an
/// infinitive of purpose ("To maintain transparency, O'Connell enacted …") or a time phrase
/// ending in a preposition ("The morning after the administration sued …, Sessions …",
/// "Six days into protests …, Bass …"). The caller skips to the phrase's comma.
fn opens_adverbial(words: &[&(usize, usize, String)]) -> bool {
    let word = |k: usize| words.get(k).map(|w| w.2.as_str());
    if word(0) == Some("to") {
        return word(1).is_some_and(|w| !matches!(w, "the" | "a" | "an" | "his" | "her" | "their"));
    }
    (1..4).any(|k| {
        word(k).is_some_and(|w| TIME_NOUNS.contains(&w))
            && matches!(
                word(k + 1),
                Some("after" | "before" | "into" | "since" | "later")
            )
    })
}

/// A past participle as passives use it ("sued", "backed", "taken").
fn is_participle(word: &str) -> bool {
    word.len() > 3 && (word.ends_with("ed") || word.ends_with("en"))
}

/// The agent of a passive right after a subject ending at `subject_end`: an auxiliary,
/// at most two more words ending in a participle, then "by" and a PER/ORG entity within
/// four words ("was also sued by the ACLU", "were backed by Mayor X").
fn passive_agent(
    outside: &[&(usize, usize, String)],
    subject_end: usize,
    holders_at: &dyn Fn(usize, usize) -> Vec<(usize, usize, usize)>,
    text_len: usize,
) -> Option<Candidate> {
    let k = outside.iter().position(|w| w.0 >= subject_end)?;
    if !matches!(
        outside[k].2.as_str(),
        "was" | "were" | "is" | "are" | "been" | "being" | "has" | "have" | "had"
    ) {
        return None;
    }
    let by = (k + 2..outside.len().min(k + 5))
        .find(|&j| outside[j].2 == "by" && is_participle(&outside[j - 1].2))?;
    let limit = outside.get(by + 5).map(|n| n.1).unwrap_or(text_len);
    let &(es, ee, a) = holders_at(outside[by].1, limit).first()?;
    Some(Candidate::named(a, es, ee))
}

/// End (byte offset) of a dateline opening a sentence: an upper-case place, optionally a
/// comma and a state, then a dash ("ASHEVILLE - ", "FORT MYERS, Fla. — "). The place is
/// where the story was filed, not who acts in it.
fn dateline_end(text: &str) -> Option<usize> {
    let head_end = text.char_indices().nth(48).map_or(text.len(), |(i, _)| i);
    let head = &text[..head_end];
    let (at, dash) = [" — ", " – ", " - ", "—", "–"]
        .iter()
        .filter_map(|d| head.find(d).map(|i| (i, *d)))
        .min_by_key(|&(i, _)| i)?;
    let place = head[..at].split(',').next()?.trim();
    let letters: Vec<char> = place.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < 3 || letters.iter().any(|c| c.is_lowercase()) {
        return None;
    }
    Some(at + dash.len())
}

fn pronoun_or_title(
    outside: &[&(usize, usize, String)],
    verb: usize,
    ctx: &Context,
) -> Option<Candidate> {
    if verb == 0 {
        return None;
    }
    let prev = &outside[verb - 1];
    if PRONOUNS_PERSON.contains(&prev.2.as_str()) {
        return Some(Candidate {
            actor: ctx.pronoun(Some(&prev.2)),
            resolution: Resolution::Pronoun,
            mention: Some((prev.0, prev.1)),
        });
    }
    title_before(outside, verb, ctx)
}

/// A role word (possibly with a place and adjectives before it: "A controversial
/// Massachusetts sheriff", "Bristol Sheriff") ending right before `verb`, resolved to the
/// actor of the article with that role: the most recent one, else the first named later.
fn role_descriptor(
    outside: &[&(usize, usize, String)],
    verb: usize,
    ctx: &Context,
) -> Option<Candidate> {
    let (title, role, n) = titles_ending_at(outside, verb).find(|(_, role, _)| role.is_some())?;
    let role = role.expect("filtered");
    let actor = ctx
        .title(Some(role), title)
        .or_else(|| ctx.first_with_role(role));
    Some(Candidate {
        actor,
        resolution: Resolution::Title,
        mention: Some((outside[verb - n].0, outside[verb - 1].1)),
    })
}

/// A definite description of a person right before `verb` ("The Republican presidential
/// candidate said"): news uses one for the person the story is following, so it resolves
/// like a pronoun. Only with "the" and at most three words between it and the noun; "a
/// federal official said" introduces someone new.
fn epithet(
    outside: &[&(usize, usize, String)],
    verb: usize,
    text: &str,
    ctx: &Context,
) -> Option<Candidate> {
    let noun = outside.get(verb.checked_sub(1)?)?;
    if !EPITHET_NOUNS.contains(&noun.2.as_str()) {
        return None;
    }
    let the = (verb.saturating_sub(5)..verb - 1)
        .rev()
        .find(|&k| outside[k].2 == "the")?;
    // Adjectives only: no comma or quote between "the" and the noun.
    if text[outside[the].1..noun.0].contains([',', '“', '"']) {
        return None;
    }
    Some(Candidate {
        actor: Some(ctx.pronoun(None)?),
        resolution: Resolution::Pronoun,
        mention: Some((outside[the].0, noun.1)),
    })
}

/// Nouns of a definite description that stands for a person named earlier (see `epithet`).
const EPITHET_NOUNS: &[&str] = &[
    "candidate",
    "nominee",
    "billionaire",
    "businessman",
    "lawmaker",
];

/// The title words (`TITLE_WORDS`) that end right before word `verb`, with their length
/// in words.
fn titles_ending_at<'a>(
    outside: &'a [&(usize, usize, String)],
    verb: usize,
) -> impl Iterator<Item = (&'static str, Option<&'static str>, usize)> + 'a {
    TITLE_WORDS.iter().filter_map(move |&(title, role)| {
        let n = title.split(' ').count();
        let words: Vec<&str> = outside
            .get(verb.checked_sub(n)?..verb)?
            .iter()
            .map(|w| w.2.as_str())
            .collect();
        (words.join(" ") == title).then_some((title, role, n))
    })
}

/// "the mayor said" / "the association said in a statement".
fn title_before(
    outside: &[&(usize, usize, String)],
    verb: usize,
    ctx: &Context,
) -> Option<Candidate> {
    let (title, role, n) = titles_ending_at(outside, verb)
        .find(|&(_, _, n)| verb > n && outside[verb - n - 1].2 == "the")?;
    Some(Candidate {
        actor: ctx.title(role, title),
        resolution: Resolution::Title,
        mention: Some((outside[verb - n - 1].0, outside[verb - 1].1)),
    })
}

/// The subject a clause opens with when it is not a name: a pronoun or "the <title>"
/// ([`subject_pronoun_or_title`]), or a role word among its first four words that no name
/// follows ("Butler Co. sheriff joins …"). Returns the candidate and the end of its words.
fn opening_subject(
    clause: &[&(usize, usize, String)],
    text: &str,
    ctx: &Context,
) -> Option<(Candidate, usize)> {
    let first3: Vec<&(usize, usize, String)> = clause.iter().take(3).copied().collect();
    if let Some(c) = subject_pronoun_or_title(&first3, ctx) {
        let end = c.mention.map_or(0, |(_, e)| e);
        return Some((c, end));
    }
    for k in 0..clause.len().min(4) {
        let Some(&(title, Some(role))) = TITLE_WORDS
            .iter()
            .find(|(t, r)| r.is_some() && *t == clause[k].2)
        else {
            continue;
        };
        let next_is_name = clause
            .get(k + 1)
            .is_some_and(|w| text[w.0..].starts_with(char::is_uppercase));
        if next_is_name {
            return None;
        }
        let actor = ctx
            .title(Some(role), title)
            .or_else(|| ctx.first_with_role(role));
        return Some((
            Candidate {
                actor,
                resolution: Resolution::Title,
                mention: Some((clause[0].0, clause[k].1)),
            },
            clause[k].1,
        ));
    }
    None
}

/// A main clause opening with "He", "She", "The mayor", "The group".
fn subject_pronoun_or_title(
    clause: &[&(usize, usize, String)],
    ctx: &Context,
) -> Option<Candidate> {
    let first = clause.first()?;
    // "Aldermen closed …", "The commissioners voted …": the body they sit on.
    let member = if first.2 == "the" {
        clause.get(1)
    } else {
        Some(first)
    };
    if let Some(m) = member {
        if let Some(actor) = member_body(&m.2).and_then(|body| ctx.title(None, body)) {
            return Some(Candidate {
                actor: Some(actor),
                resolution: Resolution::Title,
                mention: Some((first.0, m.1)),
            });
        }
    }
    if PRONOUNS_PERSON.contains(&base(&first.2)) {
        return Some(Candidate {
            actor: ctx.pronoun(Some(base(&first.2))),
            resolution: Resolution::Pronoun,
            mention: Some((first.0, first.1)),
        });
    }
    // "The county (government) …": the county named last. Only counties: "the city" and
    // "the state" more often mean a place the sentence does not name.
    if first.2 == "the"
        && clause.get(1).is_some_and(|w| w.2 == "county")
        && clause.get(2).is_none_or(|w| {
            // "the county sheriff", "the county board": a more specific actor.
            let w = base(&w.2);
            !actors::ROLES.contains(&w)
                && !PLACE_BODIES.contains(&w)
                && !TITLE_WORDS.iter().any(|(t, _)| *t == w)
        })
        && ctx.recent_county.is_some()
    {
        let last = if clause.get(2).is_some_and(|w| w.2 == "government") {
            2
        } else {
            1
        };
        return Some(Candidate {
            actor: ctx.recent_county,
            resolution: Resolution::Title,
            mention: Some((first.0, clause[last].1)),
        });
    }
    if first.2 == "the"
        && clause.len() >= 2
        && STATEMENT_WORDS.contains(&clause[1].2.as_str())
        && ctx.recent_statement.is_some()
    {
        return Some(Candidate {
            actor: ctx.recent_statement,
            resolution: Resolution::Title,
            mention: Some((first.0, clause[1].1)),
        });
    }
    if first.2 == "the" && clause.len() >= 2 {
        for &(title, role) in TITLE_WORDS {
            let n = title.split(' ').count();
            if clause.len() > n
                && clause[1..=n]
                    .iter()
                    .map(|w| base(&w.2))
                    .collect::<Vec<_>>()
                    .join(" ")
                    == title
            {
                return Some(Candidate {
                    actor: ctx.title(role, title),
                    resolution: Resolution::Title,
                    mention: Some((first.0, clause[n].1)),
                });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ent(text: &str, sentence: &str, label: &str) -> EntitySpan {
        EntitySpan::found_in(sentence, text, label, 0)
    }

    /// (sentence, paragraph, entities as (text, label)).
    type FixtureSentence = (&'static str, u32, Vec<(&'static str, &'static str)>);

    struct Fixture {
        texts: Vec<FixtureSentence>,
    }

    impl Fixture {
        fn run(&self) -> (ArticleAttribution, Vec<Option<String>>) {
            let ents: Vec<Vec<EntitySpan>> = self
                .texts
                .iter()
                .map(|(t, _, es)| es.iter().map(|(e, l)| ent(e, t, l)).collect())
                .collect();
            let views: Vec<SentenceView> = self
                .texts
                .iter()
                .zip(&ents)
                .map(|((t, p, _), e)| SentenceView {
                    text: t,
                    paragraph: *p,
                    entities: e,
                })
                .collect();
            let att = attribute(&views);
            let names = att
                .holders
                .iter()
                .map(|h| h.as_ref().map(|h| att.actors[h.actor].name.clone()))
                .collect();
            (att, names)
        }
    }

    #[test]
    fn quotes_pronouns_titles_and_actors() {
        let f = Fixture {
            texts: vec![
                ("Pittsburgh Mayor Corey O’Connor reaffirmed that he will not cooperate with ICE.", 0, vec![("Pittsburgh", "LOC"), ("Corey O’Connor", "PER"), ("ICE", "ORG")]),
                ("“My stance never changed,” O’Connor told TribLive on Friday.", 1, vec![("O’Connor", "PER"), ("TribLive", "ORG")]),
                ("“We’re not going to cooperate.”", 1, vec![]),
                ("The circumstances of the incident are in dispute.", 2, vec![]),
                ("He said the city would not change.", 3, vec![]),
                ("“Mayors are on the ground,” the association said in a statement.", 4, vec![]),
                ("Homeland Security Secretary Kristi Noem said an ICE officer shot Good in self-defense.", 5, vec![("Homeland Security", "ORG"), ("Kristi Noem", "PER"), ("ICE", "ORG"), ("Good", "PER")]),
                ("The mayor said the order stands.", 6, vec![]),
            ],
        };
        let (att, names) = f.run();
        assert_eq!(names[0].as_deref(), Some("Corey O’Connor"));
        assert_eq!(
            att.holders[0].as_ref().unwrap().kind,
            HolderKind::ReportedSpeaker
        );
        assert_eq!(names[1].as_deref(), Some("Corey O’Connor"));
        assert_eq!(
            att.holders[1].as_ref().unwrap().kind,
            HolderKind::QuoteSpeaker
        );
        assert_eq!(
            names[2].as_deref(),
            Some("Corey O’Connor"),
            "quote continuation"
        );
        assert_eq!(names[3], None, "no holder is not forced onto a name");
        assert_eq!(names[4].as_deref(), Some("Corey O’Connor"), "pronoun");
        assert_eq!(names[5], None, "no association named earlier");
        assert_eq!(names[6].as_deref(), Some("Kristi Noem"));
        assert_eq!(
            names[7].as_deref(),
            Some("Corey O’Connor"),
            "title resolves to the mayor"
        );
        let oc = att
            .actors
            .iter()
            .find(|a| a.name == "Corey O’Connor")
            .unwrap();
        assert_eq!(
            (oc.role.as_deref(), oc.place.as_deref(), oc.level.as_deref()),
            (Some("mayor"), Some("Pittsburgh"), Some("city"))
        );
    }

    #[test]
    fn multi_sentence_quotes_and_section_places() {
        let f = Fixture {
            texts: vec![
                ("Seattle", 0, vec![("Seattle", "LOC")]),
                ("Mayor Ed Murray told a crowd that the city will remain a sanctuary.", 1, vec![("Ed Murray", "PER")]),
                ("\"These are our neighbors, and we will support them,” Murray said. \"We can’t be divided.", 2, vec![("Murray", "PER")]),
                ("That’s not America.\"", 2, vec![]),
            ],
        };
        let (att, names) = f.run();
        assert_eq!(names[1].as_deref(), Some("Ed Murray"));
        assert_eq!(names[3].as_deref(), Some("Ed Murray"));
        let murray = att.actors.iter().find(|a| a.name == "Ed Murray").unwrap();
        assert_eq!(murray.place.as_deref(), Some("Seattle"));
    }

    #[test]
    fn datelines_and_leading_phrases_are_not_the_subject() {
        let f = Fixture {
            texts: vec![
                ("ASHEVILLE - U.S. Immigration and Customs Enforcement is doubling down on its warning.", 0, vec![("ASHEVILLE", "LOC"), ("U.S. Immigration and Customs Enforcement", "ORG")]),
                ("HAMILTON, Ohio — Butler County Sheriff Richard Jones has kept the same message.", 1, vec![("HAMILTON", "LOC"), ("Ohio", "LOC"), ("Butler County", "LOC"), ("Richard Jones", "PER")]),
                ("Testifying at the House Judiciary Committee, Bristol County Sheriff Thomas Hodgson directed his criticism at sanctuary cities.", 2, vec![("House Judiciary Committee", "ORG"), ("Bristol County", "LOC"), ("Thomas Hodgson", "PER")]),
                ("And in a statement to the subcommittee, the Harlow Immigrant Coalition rejected the bill.", 3, vec![("Harlow Immigrant Coalition", "ORG")]),
                ("Kestrel Bay - a small city - voted to join the lawsuit.", 4, vec![("Kestrel Bay", "LOC")]),
            ],
        };
        let (_, names) = f.run();
        assert_eq!(
            names[0].as_deref(),
            Some("U.S. Immigration and Customs Enforcement")
        );
        assert_eq!(names[1].as_deref(), Some("Richard Jones"));
        assert_eq!(names[2].as_deref(), Some("Thomas Hodgson"));
        assert_eq!(names[3].as_deref(), Some("Harlow Immigrant Coalition"));
        // Not a dateline (the place is not written in capitals): the place acts.
        assert_eq!(names[4].as_deref(), Some("Kestrel Bay"));
        assert_eq!(
            dateline_end("FORT MYERS, Fla. — The council met."),
            Some(21)
        );
        assert_eq!(
            dateline_end("Mayor Anand - speaking Monday - said no."),
            None
        );
    }

    #[test]
    fn time_phrases_purpose_clauses_and_objects_are_not_the_subject() {
        let f = Fixture {
            texts: vec![
                ("The morning after the Harlow administration sued the state, Attorney General Dana Whitcomb said states cannot opt out.", 0, vec![("Harlow", "PER"), ("Dana Whitcomb", "PER")]),
                ("The day after he was sworn in, Jorge Almeida withdrew the county from 287(g).", 1, vec![("Jorge Almeida", "PER")]),
                ("To keep the public informed, Almeida signed an executive order.", 2, vec![("Almeida", "PER")]),
                ("Mayor Ines Faraday spoke to Almeida on Monday and told him the raids must stop.", 3, vec![("Ines Faraday", "PER"), ("Almeida", "PER")]),
                ("District Attorney Rui Castell joined Kestrel Sheriff Ona Brandt at the rally.", 4, vec![("Rui Castell", "PER"), ("Kestrel", "LOC"), ("Ona Brandt", "PER")]),
                ("Harlow House Speaker Tom Avery is calling on the mayor to resign.", 5, vec![("Harlow", "LOC"), ("House", "ORG"), ("Tom Avery", "PER")]),
                ("Kestrel County Executive Lena Ruiz signed the bill.", 6, vec![("Kestrel County", "LOC"), ("Lena Ruiz", "PER")]),
                ("\"The county will not help,\" the county executive said.", 7, vec![]),
            ],
        };
        let (_, names) = f.run();
        let want = [
            "Dana Whitcomb",
            "Jorge Almeida",
            "Jorge Almeida",
            "Ines Faraday",
            "Rui Castell",
            "Tom Avery",
            "Lena Ruiz",
            "Lena Ruiz",
        ];
        for (i, w) in want.iter().enumerate() {
            assert_eq!(names[i].as_deref(), Some(*w), "sentence {i}");
        }
    }

    #[test]
    fn he_and_she_follow_the_pronoun_the_article_uses_for_each_person() {
        let f = Fixture {
            texts: vec![
                (
                    "District Attorney Rui Castell joined Sheriff Ona Brandt at the rally.",
                    0,
                    vec![("Rui Castell", "PER"), ("Ona Brandt", "PER")],
                ),
                (
                    "Castell said agents who break the law will be arrested.",
                    1,
                    vec![("Castell", "PER")],
                ),
                ("“We will arrest you,” he said.", 1, vec![]),
                ("She doubled down on that statement today.", 2, vec![]),
                ("He said the office would prosecute.", 3, vec![]),
            ],
        };
        let (_, names) = f.run();
        assert_eq!(names[2].as_deref(), Some("Rui Castell"));
        // The latest holder is "he" in this article, so "she" is the other person named.
        assert_eq!(names[3].as_deref(), Some("Ona Brandt"));
        assert_eq!(names[4].as_deref(), Some("Rui Castell"));
        // With no pronoun known for anyone, "she" is the latest holder as before.
        let f = Fixture {
            texts: vec![
                (
                    "Rui Castell joined Ona Brandt at the rally.",
                    0,
                    vec![("Rui Castell", "PER"), ("Ona Brandt", "PER")],
                ),
                ("She spoke first.", 1, vec![]),
            ],
        };
        assert_eq!(f.run().1[1].as_deref(), Some("Rui Castell"));
    }

    #[test]
    fn signers_over_places_police_of_a_place_and_calling_it() {
        let f = Fixture {
            texts: vec![
                ("The Kestrel Police Department issued a statement.", 0, vec![("Kestrel Police Department", "ORG")]),
                ("Kestrel police said officers will not ask about status.", 1, vec![("Kestrel", "LOC")]),
                ("Harlow cities will lose state money under a bill signed into law by Gov. Dana Whitcomb on Tuesday.", 2, vec![("Harlow", "LOC"), ("Dana Whitcomb", "PER")]),
                ("Harlow will end detention under a plan Gov. Whitcomb signed into law Monday.", 3, vec![("Harlow", "LOC"), ("Whitcomb", "PER")]),
                ("The council passed the measure, with council member Ines Faraday (D) calling it a clear message.", 4, vec![("Ines Faraday", "PER")]),
                ("Harlow voted to leave the program.", 5, vec![("Harlow", "LOC")]),
                ("The Harlow Mayors Group said it was appalled.", 6, vec![("Harlow Mayors Group", "ORG")]),
                ("The group has condemned the shooting of Ana Lee, a nurse described as kind.", 7, vec![("Ana Lee", "PER")]),
                ("The Kestrel Fund met Harlow Sheriff's Office deputies.", 8, vec![("Kestrel Fund", "ORG"), ("Harlow Sheriff's Office", "ORG")]),
                ("The organization sued the Harlow Sheriff's Office.", 9, vec![("Harlow Sheriff's Office", "ORG")]),
                ("The Harlow Times reports that over the years, the Kestrel Police Department has kept its distance from ICE.", 10, vec![("Harlow Times", "ORG"), ("Kestrel Police Department", "ORG"), ("ICE", "ORG")]),
            ],
        };
        let (_, names) = f.run();
        assert_eq!(names[1].as_deref(), Some("Kestrel Police Department"));
        assert_eq!(names[2].as_deref(), Some("Dana Whitcomb"));
        assert_eq!(names[3].as_deref(), Some("Dana Whitcomb"));
        assert_eq!(names[4].as_deref(), Some("Ines Faraday"));
        // A news outlet reporting holds nothing; the subject it reports on acts.
        assert_eq!(names[10].as_deref(), Some("Kestrel Police Department"));
        // With no signer the place still acts.
        assert_eq!(names[5].as_deref(), Some("Harlow"));
        // "described as" is no speech: the group condemned.
        assert_eq!(names[7].as_deref(), Some("Harlow Mayors Group"));
        // "the organization" is not the organisation it sues in the same sentence.
        assert_eq!(names[9].as_deref(), Some("Kestrel Fund"));
    }

    #[test]
    fn verbless_quote_credits_long_sources_and_surnames_typed_as_places() {
        let f = Fixture {
            texts: vec![
                ("Gov. Dana Whitcomb hit back at the claim.", 0, vec![("Dana Whitcomb", "PER")]),
                ("“This is a stunt,” Whitcomb of the visit. “It is not about the truth.", 1, vec![("Whitcomb", "PER")]),
                ("It is about dividing us.”", 1, vec![]),
                ("Sanctuary cities obstruct arrests, according to the Harlow Valley Center for Immigration Studies.", 2, vec![("Harlow Valley Center for Immigration Studies", "ORG")]),
                ("Whitcomb: We will not help.", 3, vec![("Whitcomb", "LOC")]),
            ],
        };
        let (att, names) = f.run();
        assert_eq!(names[1].as_deref(), Some("Dana Whitcomb"));
        assert_eq!(names[2].as_deref(), Some("Dana Whitcomb"));
        assert_eq!(
            names[3].as_deref(),
            Some("Harlow Valley Center for Immigration Studies")
        );
        // The surname tagged as a place is the person, not a place actor.
        assert!(
            att.actors.iter().all(|a| a.name != "Whitcomb"),
            "{:?}",
            att.actors
        );
    }

    #[test]
    fn cut_off_attributions_long_names_and_passive_agents() {
        let f = Fixture {
            texts: vec![
                ("Council member Abe Morrow spoke against the plan.", 0, vec![("Abe Morrow", "PER")]),
                ("“Who is going to pay the deputies for this?\"", 1, vec![]),
                ("Morrow asked.", 1, vec![]),
                (
                    "In a letter sent to the committee, the Harlow Valley Immigrant Families Legal Defense Network said the rule is unlawful.",
                    2,
                    vec![("Harlow Valley Immigrant Families Legal Defense Network", "ORG")],
                ),
                (
                    "Sheriff Dale Okafor was also sued by the Civil Liberties Union over the agreement.",
                    3,
                    vec![("Dale Okafor", "PER"), ("Civil Liberties Union", "ORG")],
                ),
                (
                    "An ordinance that bars the jail from holding people for ICE passed in a 5-2 vote by the Bellmont City Council.",
                    4,
                    vec![("ICE", "ORG"), ("Bellmont City Council", "ORG")],
                ),
                ("The mayor said:", 5, vec![]),
                ("“We will keep our word.”", 5, vec![]),
            ],
        };
        let (att, names) = f.run();
        assert_eq!(
            names[1].as_deref(),
            Some("Abe Morrow"),
            "the attribution split off after the quote"
        );
        assert_eq!(
            att.holders[1].as_ref().unwrap().resolution,
            Resolution::QuoteContext
        );
        assert_eq!(
            names[3].as_deref(),
            Some("Harlow Valley Immigrant Families Legal Defense Network")
        );
        assert_eq!(
            names[4].as_deref(),
            Some("Civil Liberties Union"),
            "passive agent"
        );
        assert_eq!(
            names[5].as_deref(),
            Some("Bellmont City Council"),
            "a vote by"
        );
        assert_eq!(names[6], None, "no mayor named in this article");
        assert_eq!(names[7], None);
    }

    #[test]
    fn acronyms_bodies_of_places_and_lower_case_words() {
        let f = Fixture {
            texts: vec![
                ("ICE warns Harlow County it will send more agents", 0, vec![("Harlow County", "LOC")]),
                ("Granite County board votes to join the lawsuit", 1, vec![("Granite County", "LOC")]),
                (
                    "U.S. Immigration and Customs Enforcement wrote to the Granite County Board of Supervisors on Monday.",
                    2,
                    vec![
                        ("U.S. Immigration and Customs Enforcement", "ORG"),
                        ("Granite County Board of Supervisors", "ORG"),
                    ],
                ),
                ("Harlow County voted to end the agreement.", 3, vec![("Harlow County", "LOC")]),
                (
                    "Okafor, a former chief of police in Bellmont, told the Ledger.",
                    4,
                    vec![("Okafor", "PER"), ("Bellmont", "LOC"), ("the", "ORG")],
                ),
            ],
        };
        let (_, names) = f.run();
        assert_eq!(
            names[0].as_deref(),
            Some("U.S. Immigration and Customs Enforcement"),
            "an acronym the tagger missed, named later"
        );
        assert_eq!(
            names[1].as_deref(),
            Some("Granite County Board of Supervisors")
        );
        assert_eq!(
            names[3].as_deref(),
            Some("Harlow County"),
            "a place acts as itself"
        );
        assert_eq!(
            names[4].as_deref(),
            Some("Okafor"),
            "a tagged lower-case word is no actor"
        );
    }

    #[test]
    fn for_whom_statements_from_and_chairmen() {
        let f = Fixture {
            texts: vec![
                (
                    "For Sheriff Dale Okafor, who joined the program in 2017, it was an easy call.",
                    0,
                    vec![("Dale Okafor", "PER")],
                ),
                (
                    "For now, Mayor Nora Hale has not said what she will do.",
                    1,
                    vec![("Nora Hale", "PER")],
                ),
                (
                    "And here is a statement from the Bellmont Police Department: “We do not enforce immigration law.”",
                    2,
                    vec![("Bellmont Police Department", "ORG")],
                ),
                (
                    "A bill introduced by Judiciary Committee chairman Tom Varga would cut grants.",
                    3,
                    vec![("Judiciary Committee", "ORG"), ("Tom Varga", "PER")],
                ),
            ],
        };
        let (att, names) = f.run();
        assert_eq!(names[0].as_deref(), Some("Dale Okafor"), "for whom");
        assert_eq!(
            names[1].as_deref(),
            Some("Nora Hale"),
            "\"For now\" is no person"
        );
        assert_eq!(names[2].as_deref(), Some("Bellmont Police Department"));
        assert_eq!(
            att.holders[2].as_ref().unwrap().kind,
            HolderKind::QuoteSpeaker
        );
        assert_eq!(
            names[3].as_deref(),
            Some("Tom Varga"),
            "the chairman, not the committee"
        );
    }

    #[test]
    fn two_word_titles_and_distant_participles() {
        let f = Fixture {
            texts: vec![
                (
                    "BELLMONT — Ostland’s attorney general has accused the city council of shielding criminals.",
                    0,
                    vec![("BELLMONT", "LOC"), ("Ostland", "LOC")],
                ),
                (
                    "Attorney General Ruth Pruitt wrote to the council on Monday.",
                    1,
                    vec![("Ruth Pruitt", "PER")],
                ),
                (
                    "The program was started back in 2009 by former Sheriff Tom Varga.",
                    2,
                    vec![("Tom Varga", "PER")],
                ),
            ],
        };
        let (_, names) = f.run();
        assert_eq!(
            names[2].as_deref(),
            Some("Tom Varga"),
            "participle further back"
        );
        assert_eq!(
            names[0].as_deref(),
            Some("Ruth Pruitt"),
            "a two-word title before the person is named"
        );
    }

    #[test]
    fn a_name_before_an_apposition_speaks() {
        let f = Fixture {
            texts: vec![
                ("“You do not send the SWAT team.", 0, vec![]),
                (
                    "And this is the SWAT team,” Varga, a former chief of police in Bellmont, told the Ledger.",
                    0,
                    vec![("Varga", "PER"), ("Bellmont", "LOC"), ("Ledger", "ORG")],
                ),
            ],
        };
        let (att, names) = f.run();
        assert_eq!(
            names[1].as_deref(),
            Some("Varga"),
            "name before an apposition"
        );
        assert_eq!(
            att.holders[1].as_ref().unwrap().kind,
            HolderKind::QuoteSpeaker
        );
        assert_eq!(
            names[0].as_deref(),
            Some("Varga"),
            "the quote's first sentence"
        );
    }

    #[test]
    fn the_administration_and_lone_generic_words_are_no_actors() {
        let f = Fixture {
            texts: vec![
                (
                    "ICE ran Operation Birch in the county.",
                    0,
                    vec![("ICE", "ORG"), ("Operation", "ORG")],
                ),
                (
                    "The Administration’s Position on Local Jails",
                    1,
                    vec![("Administration", "ORG")],
                ),
            ],
        };
        let (att, names) = f.run();
        assert_eq!(
            names[1], None,
            "the administration is not the last organisation"
        );
        assert_eq!(att.actors.len(), 1, "{:?}", att.actors);
    }

    #[test]
    fn contractions_possessive_offices_generic_bodies_and_missed_surnames() {
        let f = Fixture {
            texts: vec![
                (
                    "Granite County Sheriff Dale Okafor signed the agreement on Monday.",
                    0,
                    vec![("Granite County", "LOC"), ("Dale Okafor", "PER")],
                ),
                ("He’s working now to expand it.", 0, vec![]),
                (
                    "But the sheriff’s office will not patrol the schools.",
                    1,
                    vec![],
                ),
                (
                    "U.S. Immigration and Customs Enforcement praised the deal.",
                    2,
                    vec![("U.S. Immigration and Customs Enforcement", "ORG")],
                ),
                (
                    "In a statement, the agency says more counties should follow.",
                    3,
                    vec![],
                ),
                (
                    "Council member Abe Morrow asked for a vote.",
                    4,
                    vec![("Abe Morrow", "PER")],
                ),
                ("“Are we going to pay for this?” Morrow asked.", 5, vec![]),
            ],
        };
        let (_, names) = f.run();
        assert_eq!(names[1].as_deref(), Some("Dale Okafor"));
        assert_eq!(names[2].as_deref(), Some("Dale Okafor"));
        assert_eq!(
            names[4].as_deref(),
            Some("U.S. Immigration and Customs Enforcement")
        );
        assert_eq!(names[6].as_deref(), Some("Abe Morrow"));
    }

    #[test]
    fn news_outlets_report_and_appositions_speak_through_the_person() {
        let f = Fixture {
            texts: vec![
                ("Rafael Ortiz, a spokesman for ICE, told the Harlow Chronicle that the move hurts detainees.", 0, vec![("Rafael Ortiz", "PER"), ("ICE", "ORG"), ("Harlow Chronicle", "ORG")]),
                ("The Bellmont council voted to end the contract, according to the Harlow Chronicle.", 1, vec![("Bellmont", "LOC"), ("Harlow Chronicle", "ORG")]),
                ("The Harlow Chronicle reports that the jail stopped honoring detainers.", 2, vec![("Harlow Chronicle", "ORG")]),
            ],
        };
        let (_, names) = f.run();
        assert_eq!(names[0].as_deref(), Some("Rafael Ortiz"));
        assert_ne!(names[1].as_deref(), Some("Harlow Chronicle"));
        assert_eq!(names[2], None);
    }

    #[test]
    fn a_long_office_name_before_the_person_is_part_of_the_title() {
        let f = Fixture {
            texts: vec![(
                "Acting Department of Homeland Security Secretary Chad Wolf visited Raleigh on Monday.",
                0,
                vec![("Department of Homeland Security", "ORG"), ("Chad Wolf", "PER"), ("Raleigh", "LOC")],
            )],
        };
        let (_, names) = f.run();
        assert_eq!(names[0].as_deref(), Some("Chad Wolf"));
    }

    #[test]
    fn a_name_after_the_verb_is_the_object_of_an_opening_title() {
        let f = Fixture {
            texts: vec![
                (
                    "Kestrel Bay Governor Dana Whitfield spoke in Bellmont on Friday.",
                    0,
                    vec![
                        ("Kestrel Bay", "LOC"),
                        ("Dana Whitfield", "PER"),
                        ("Bellmont", "LOC"),
                    ],
                ),
                (
                    "The governor signed SB9 into law on Monday.",
                    1,
                    vec![("SB9", "ORG")],
                ),
                ("She praised ICE for its work.", 2, vec![("ICE", "ORG")]),
                (
                    "Granite County sheriff joins Trump in calling out sanctuary cities",
                    3,
                    vec![("Granite County", "LOC"), ("Trump", "PER")],
                ),
                (
                    "Sheriff Dale Okafor of Granite County said he would sign.",
                    4,
                    vec![("Dale Okafor", "PER"), ("Granite County", "LOC")],
                ),
                (
                    "The mayor met Governor Dana Whitfield on Monday.",
                    5,
                    vec![("Dana Whitfield", "PER")],
                ),
            ],
        };
        let (_, names) = f.run();
        assert_eq!(names[1].as_deref(), Some("Dana Whitfield"));
        assert_eq!(names[2].as_deref(), Some("Dana Whitfield"));
        // The headline's sheriff is named later in the article.
        assert_eq!(names[3].as_deref(), Some("Dale Okafor"));
        // No mayor in the article: the title resolves to nobody, so the name stands.
        assert_eq!(names[5].as_deref(), Some("Dana Whitfield"));
    }

    /// Regression: a title whose words run past the entity's start ("The Administration’s"
    /// around the ORG "Administration") once sliced backwards and panicked.
    #[test]
    fn a_title_overlapping_the_entity_does_not_panic() {
        let f = Fixture {
            texts: vec![
                (
                    "The Trump Administration announced a new policy.",
                    0,
                    vec![("Trump Administration", "ORG")],
                ),
                (
                    "The Administration’s Position on Local Resources",
                    1,
                    vec![("Administration", "ORG")],
                ),
            ],
        };
        let (_, names) = f.run();
        assert_eq!(names.len(), 2);
    }

    /// Randomised articles (deterministic xorshift) built from the words the rules look
    /// at — titles, pronouns, possessives, speech verbs, quotes, datelines, commas — with
    /// entity spans on random word runs: attribution never panics, and every holder's
    /// mention slices inside its sentence.
    #[test]
    fn random_articles_never_panic() {
        let vocab = [
            "The",
            "the",
            "mayor",
            "Mayor",
            "sheriff’s",
            "Sheriff",
            "office",
            "He",
            "he’s",
            "She",
            "said",
            "told",
            "asked",
            "according",
            "to",
            "and",
            "But",
            "In",
            "a",
            "statement,",
            "Testifying",
            "at",
            "ASHEVILLE",
            "-",
            "—",
            "“We",
            "will",
            "not",
            "help.”",
            "\"No",
            "ICE,\"",
            "Administration’s",
            "agency",
            "says",
            "Dept.",
            "of",
            "Harlow",
            "County",
            "Jones",
            "Okafor",
            "Chronicle",
            "by",
            "signed",
            "ACLU",
            "of",
            "Oregon",
            ",",
            "é",
            "governor",
            "praised",
            "joins",
            "Trump",
            "Ald.",
            "Ald",
            "Sen.",
            "Ray",
            "Lopez,",
            "calling",
            "described",
            "as",
            "she",
            "her",
            "day",
            "after",
            "To",
            "Hohman",
            "Homan",
            "”",
        ];
        let labels = ["PER", "ORG", "LOC", "MISC"];
        let mut rng = stancewatch_text::random::XorShift::new(0x1234_5678_9ABC_DEF1);
        for _ in 0..400 {
            let n_sentences = 1 + rng.below(6);
            let mut texts = Vec::new();
            let mut ents = Vec::new();
            for _ in 0..n_sentences {
                let words: Vec<&str> = (0..1 + rng.below(14)).map(|_| *rng.pick(&vocab)).collect();
                let text = words.join(" ");
                // Word start/end offsets, then entity spans over random runs of words.
                let mut bounds = Vec::new();
                let mut at = 0;
                for w in &words {
                    bounds.push((at, at + w.len()));
                    at += w.len() + 1;
                }
                let mut spans = Vec::new();
                let mut i = 0;
                while i < bounds.len() {
                    if rng.below(3) == 0 {
                        let j = (i + rng.below(3)).min(bounds.len() - 1);
                        let (start, end) = (bounds[i].0, bounds[j].1);
                        spans.push(EntitySpan {
                            label: (*rng.pick(&labels)).into(),
                            start,
                            end,
                            text: text[start..end].to_string(),
                            score: 0.9,
                        });
                        i = j + 1;
                    } else {
                        i += 1;
                    }
                }
                // The pipeline's entity repairs run before attribution.
                let spans = actors::repair_spans(&text, spans);
                for e in &spans {
                    assert_eq!(text.get(e.start..e.end), Some(e.text.as_str()), "{text:?}");
                }
                texts.push(text);
                ents.push(spans);
            }
            let views: Vec<SentenceView> = texts
                .iter()
                .zip(&ents)
                .enumerate()
                .map(|(k, (t, e))| SentenceView {
                    text: t,
                    paragraph: k as u32,
                    entities: e,
                })
                .collect();
            let att = attribute(&views);
            for (h, t) in att.holders.iter().zip(&texts) {
                if let Some((a, b)) = h.as_ref().and_then(|h| h.mention) {
                    assert!(a <= b && t.get(a..b).is_some(), "{t:?} {a}..{b}");
                }
            }
        }
    }

    #[test]
    fn quoted_regions_handle_mixed_and_open_quotes() {
        let (r, open) = quoted_regions(
            "\"I don’t intend on doing anything,” he told the paper. \"We are not",
            false,
        );
        assert_eq!(r.len(), 2);
        assert!(open);
        let (r, open) = quoted_regions("That is not our job.\"", true);
        assert_eq!(r, vec![(0, 20)]);
        assert!(!open);
    }

    #[test]
    fn quote_paragraphs_continue_the_paragraph_before() {
        let f = Fixture {
            texts: vec![
                // A quote left open at the end of its paragraph goes on in the next one.
                (
                    "“This is a stunt,” Marta Quill said. “It is not about safety.",
                    0,
                    vec![("Marta Quill", "PER")],
                ),
                ("“These rules protect families.", 1, vec![]),
                ("We will keep them.”", 1, vec![]),
                // A colon introduces the statement of the next paragraph.
                (
                    "Speaker Dana Orr released the following statement:",
                    2,
                    vec![("Dana Orr", "PER")],
                ),
                ("\"This law keeps our communities safe.\"", 3, vec![]),
                // A sentence saying who spoke, then a paragraph of quote.
                (
                    "In a post, Gov. Ian Vale accused the agency of hiding its plans.",
                    4,
                    vec![("Ian Vale", "PER")],
                ),
                ("\"Once again, nobody told us.\"", 5, vec![]),
                // An actor who did not speak holds no quote after it.
                (
                    "Sheriff Ray Dunn opened a new jail wing.",
                    6,
                    vec![("Ray Dunn", "PER")],
                ),
                ("\"It was overdue.\"", 7, vec![]),
            ],
        };
        let (_, names) = f.run();
        assert_eq!(
            names[1].as_deref(),
            Some("Marta Quill"),
            "open quote continues"
        );
        assert_eq!(names[2].as_deref(), Some("Marta Quill"));
        assert_eq!(names[4].as_deref(), Some("Dana Orr"), "after a colon");
        assert_eq!(names[6].as_deref(), Some("Ian Vale"), "after accusing");
        assert_eq!(names[8], None, "an act is not speech");
    }

    #[test]
    fn statements_epithets_and_the_county_point_back() {
        let f = Fixture {
            texts: vec![
                (
                    "In a statement, the Lakeview Police Association says it will not help.",
                    0,
                    vec![("Lakeview Police Association", "ORG")],
                ),
                (
                    "\"We have no choice but to refuse,\" the statement reads.",
                    1,
                    vec![],
                ),
                (
                    "Senator Nora Pike spoke in Tulsa on Monday.",
                    2,
                    vec![("Nora Pike", "PER"), ("Tulsa", "LOC")],
                ),
                (
                    "The Republican presidential candidate said she would end sanctuary cities.",
                    3,
                    vec![("Republican", "MISC")],
                ),
                ("A federal official said the plan was new.", 4, vec![]),
                (
                    "Marlow County sued the state in March.",
                    5,
                    vec![("Marlow County", "LOC")],
                ),
                (
                    "And now the county government is joining the lawsuit.",
                    6,
                    vec![],
                ),
                ("The county sheriff said nothing.", 7, vec![]),
                (
                    "The Kestrel Police Department opened an office downtown.",
                    8,
                    vec![("Kestrel Police Department", "ORG")],
                ),
                (
                    "\u{201c}We will not help,\u{201d} the police department\u{2019}s statement read.",
                    9,
                    vec![],
                ),
            ],
        };
        let (_, names) = f.run();
        assert_eq!(
            names[9].as_deref(),
            Some("Kestrel Police Department"),
            "the department's statement read"
        );
        assert_eq!(
            names[1].as_deref(),
            Some("Lakeview Police Association"),
            "the statement reads"
        );
        assert_eq!(
            names[3].as_deref(),
            Some("Nora Pike"),
            "a definite description"
        );
        assert_eq!(names[4], None, "an indefinite one introduces someone new");
        assert_eq!(names[6].as_deref(), Some("Marlow County"), "the county");
        assert_ne!(
            names[7].as_deref(),
            Some("Marlow County"),
            "the county sheriff is not the county"
        );
    }

    #[test]
    fn a_second_clause_with_its_own_subject_keeps_its_own_holder() {
        let f = Fixture {
            texts: vec![
                (
                    "Advocates said Sheriff Tom Reyes signed the deal without approval from the Marlow County Commissioners, and the commissioners later voted to cancel it.",
                    0,
                    vec![("Tom Reyes", "PER"), ("Marlow County Commissioners", "ORG")],
                ),
                (
                    "Mayor Ann Lutz, Sheriff Bo Park, and Chief Cy Hale signed the letter.",
                    1,
                    vec![("Ann Lutz", "PER"), ("Bo Park", "PER"), ("Cy Hale", "PER")],
                ),
                (
                    "Mayor Ann Lutz said the city will not help ICE, and she repeated it on Friday.",
                    2,
                    vec![("Ann Lutz", "PER"), ("ICE", "ORG")],
                ),
            ],
        };
        let (att, _) = f.run();
        let second = att.second_clauses[0].as_ref().expect("a second clause");
        let text = f.texts[0].0;
        assert_eq!(
            att.actors[second.holder.actor].name,
            "Marlow County Commissioners"
        );
        assert!(text[second.start..].starts_with("the commissioners later"));
        assert!(text[..second.first_end].ends_with("Commissioners"));
        let (ms, me) = second.holder.mention.unwrap();
        assert_eq!(&text[ms..me], "the commissioners");
        assert_eq!(att.second_clauses[1], None, "a list of names is one clause");
        let f = Fixture {
            texts: vec![
                (
                    "Lakeview City Council closes loopholes in its welcoming ordinance",
                    0,
                    vec![("Lakeview City Council", "ORG")],
                ),
                (
                    "Aldermen voted 41-7 on Wednesday to end the exceptions.",
                    1,
                    vec![("Aldermen", "ORG")],
                ),
            ],
        };
        let (_, names) = f.run();
        assert_eq!(
            names[1].as_deref(),
            Some("Lakeview City Council"),
            "members acting are their body"
        );
        assert_eq!(
            att.second_clauses[2], None,
            "the same holder in both clauses keeps the sentence whole"
        );
    }
}
