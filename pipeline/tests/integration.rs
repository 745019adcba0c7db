//! End-to-end tests with the shipped models: the real articles in the shared corpus, texts
//! written here, incremental runs and bad input. The shared folder comes from
//! STANCEWATCH_SHARED (set by `make test` / `.ci/run`); when it is set, missing files fail
//! the tests loudly.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

use polars::prelude::*;
use stancewatch::config::PipelineConfig;
use stancewatch::pipeline::{self, Models, RunOptions};
use stancewatch::records::Period;

/// The shipped models, loaded once; the lock also serialises the tests that run models
/// (libtorch already uses every core).
fn models() -> MutexGuard<'static, Models> {
    static MODELS: OnceLock<Mutex<Models>> = OnceLock::new();
    MODELS
        .get_or_init(|| {
            Mutex::new(Models::load(&PipelineConfig::default()).expect("shipped models load"))
        })
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

fn shared() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("STANCEWATCH_SHARED")?);
    assert!(
        dir.join("corpus").is_dir(),
        "STANCEWATCH_SHARED={} has no corpus/ folder: the shared data is missing",
        dir.display()
    );
    Some(dir)
}

fn run_into(inputs: Vec<PathBuf>, out: &Path) -> pipeline::RunReport {
    let models = models();
    let options = RunOptions {
        inputs,
        output: out.to_path_buf(),
        period: Period::Year,
        shard: None,
        chunk_size: 500,
        aggregate: true,
    };
    pipeline::run(&options, &PipelineConfig::default(), &models).expect("run succeeds")
}

/// Writes one JSON record per line: a small input made by the test.
fn write_jsonl(path: &Path, records: &[serde_json::Value]) {
    let text: String = records.iter().map(|r| r.to_string() + "\n").collect();
    std::fs::write(path, text).unwrap();
}

/// actor name -> (label, stance_score, n_stance) from actor_stances.
fn actor_labels(df: &DataFrame) -> BTreeMap<String, (String, f64, u32)> {
    let actor = df.column("actor").unwrap().str().unwrap().clone();
    let label = df.column("label").unwrap().str().unwrap().clone();
    let score = df.column("stance_score").unwrap().f64().unwrap().clone();
    let n = df.column("n_stance").unwrap().u32().unwrap().clone();
    (0..df.height())
        .map(|i| {
            (
                actor.get(i).unwrap_or_default().to_string(),
                (
                    label.get(i).unwrap_or_default().to_string(),
                    score.get(i).unwrap_or(0.0),
                    n.get(i).unwrap_or(0),
                ),
            )
        })
        .collect()
}

fn find<'a>(
    labels: &'a BTreeMap<String, (String, f64, u32)>,
    surname: &str,
) -> &'a (String, f64, u32) {
    let hits: Vec<_> = labels
        .iter()
        .filter(|(k, _)| k.to_lowercase().contains(&surname.to_lowercase()))
        .collect();
    assert!(
        !hits.is_empty(),
        "no actor named like {surname:?} among {:?}",
        labels.keys().collect::<Vec<_>>()
    );
    // The actor with the most stance-bearing sentences.
    hits.into_iter().max_by_key(|(_, v)| v.2).unwrap().1
}

/// The real-corpus run: its output directory, actor labels, article-actor aggregates, and
/// stances joined with sentences.
type CorpusRun = (
    tempfile::TempDir,
    BTreeMap<String, (String, f64, u32)>,
    DataFrame,
    DataFrame,
);

/// Runs the real articles once per test binary.
fn corpus_run() -> &'static Option<CorpusRun> {
    static RUN: OnceLock<Option<CorpusRun>> = OnceLock::new();
    RUN.get_or_init(|| {
        let shared = shared()?;
        let out = tempfile::tempdir().unwrap();
        let report = run_into(vec![shared.join("corpus")], out.path());
        let batch = report.batch.expect("a batch");
        assert_eq!(batch.n_new_articles, 3, "rejects: {:?}", report.rejects);
        let agg = report.aggregates.expect("aggregates");
        let store = stancewatch::store::Store::open(out.path()).unwrap();
        let stances = store.read_table("stances").unwrap().unwrap();
        let sentences = store.read_table("sentences").unwrap().unwrap();
        let joined = stances
            .lazy()
            .join(
                sentences.lazy(),
                [col("article_id"), col("sentence_index")],
                [col("article_id"), col("sentence_index")],
                JoinArgs::new(JoinType::Inner),
            )
            .collect()
            .unwrap();
        Some((
            out,
            actor_labels(&agg.actor_stances),
            agg.article_actor_stances,
            joined,
        ))
    })
}

/// The holder of the sentence whose text starts with `prefix`.
fn holder_of(joined: &DataFrame, prefix: &str) -> Option<String> {
    let text = joined.column("text").unwrap().str().unwrap();
    let holder = joined.column("holder").unwrap().str().unwrap();
    let i = (0..joined.height()).find(|&i| text.get(i).is_some_and(|t| t.starts_with(prefix)));
    let i = i.unwrap_or_else(|| panic!("no sentence starts with {prefix:?}"));
    holder.get(i).map(str::to_string)
}

#[test]
fn real_corpus_holders_roles_places_and_dates() {
    let Some((out, labels, actors, joined)) = corpus_run() else {
        eprintln!("STANCEWATCH_SHARED not set: skipping the real-corpus test");
        return;
    };
    // Every mayor and police chief who speaks is found as a holder, with role and place.
    let place_of = |name: &str| -> (Option<String>, Option<String>) {
        let a = actors.column("actor").unwrap().str().unwrap();
        let r = actors.column("role").unwrap().str().unwrap();
        let p = actors.column("place").unwrap().str().unwrap();
        let i = (0..actors.height()).find(|&i| a.get(i).is_some_and(|x| x.contains(name)));
        let i = i.unwrap_or_else(|| {
            panic!(
                "{name} is not a holder: {:?}",
                labels.keys().collect::<Vec<_>>()
            )
        });
        (r.get(i).map(str::to_string), p.get(i).map(str::to_string))
    };
    let expect = [
        ("O’Connor", "mayor", "Pittsburgh"),
        ("Mamdani", "mayor", "New York City"),
        ("Beck", "police chief", "Los Angeles"),
        ("Blasio", "mayor", "New York City"),
        ("Kenney", "mayor", "Philadelphia"),
        ("Barry", "mayor", "Nashville"),
        ("Emanuel", "mayor", "Chicago"),
        ("Murray", "mayor", "Seattle"),
        ("O’Toole", "police chief", "Seattle"),
        ("Bowser", "mayor", "Washington, D.C."),
    ];
    for (who, role, place) in expect {
        assert_eq!(
            place_of(who),
            (Some(role.to_string()), Some(place.to_string())),
            "{who}"
        );
    }
    assert_eq!(
        place_of("Noem").0.as_deref(),
        Some("homeland security secretary")
    );
    // Quote speakers: named after the quote, in the next sentence of a quote, by pronoun.
    assert_eq!(
        holder_of(joined, "“We’re not going to cooperate.”").as_deref(),
        Some("Corey O’Connor")
    );
    assert_eq!(
        holder_of(joined, "We are not going to work in conjunction").as_deref(),
        Some("Charlie Beck")
    );
    assert_eq!(
        holder_of(joined, "\"Our police officers are not immigration police").as_deref(),
        Some("Megan Barry")
    );
    assert_eq!(
        holder_of(joined, "The mayor stated that New York City").as_deref(),
        Some("Zohran Mamdani")
    );
    assert_eq!(
        holder_of(
            joined,
            "Homeland Security Secretary Kristi Noem pushed back"
        )
        .as_deref(),
        Some("Kristi Noem")
    );
    // Sentences whose stance belongs to nobody named keep holder = none.
    assert_eq!(
        holder_of(joined, "The circumstances of the incident are in dispute."),
        None
    );
    // The ABC article's date comes from its dateline.
    let arts = stancewatch::store::Store::open(out.path())
        .unwrap()
        .read_table("articles")
        .unwrap()
        .unwrap();
    let published: Vec<Option<&str>> = arts
        .column("published")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .collect();
    assert!(published.contains(&Some("2016-11-17")), "{published:?}");
}

/// The pipeline issue's acceptance test on the real corpus: every mayor and police chief
/// who refuses cooperation is `against`, the Homeland Security Secretary `favor`.
#[test]
fn real_corpus_mayors_and_chiefs_against_noem_favor() {
    let Some((_, labels, _, _)) = corpus_run() else {
        panic!("set STANCEWATCH_SHARED to the shared folder");
    };
    for who in [
        "O’Connor",
        "Mamdani",
        "Beck",
        "Blasio",
        "Kenney",
        "Barry",
        "Emanuel",
        "Murray",
        "O’Toole",
        "Bowser",
    ] {
        let (label, score, _) = find(labels, who);
        assert_eq!(label, "against", "{who}: {label} ({score:.2})");
    }
    let (label, score, _) = find(labels, "Noem");
    assert_eq!(label, "favor", "Noem: {label} ({score:.2})");
}

#[test]
fn texts_written_here_favor_and_against() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let lines = [
        serde_json::json!({"id": "t1", "published": "2019-05-01", "text": "Dorran County Sheriff Walt Ember signed an agreement with ICE on Tuesday to hold inmates for deportation.\n“We will honor every ICE detainer, and we are proud to work with federal immigration agents,” Ember said."}),
        serde_json::json!({"id": "t2", "published": "2019-06-01", "text": "Lakeview Mayor Priya Anand said the city will not cooperate with ICE.\n“Our police will never help with deportations,” Anand said. “Lakeview remains a sanctuary city.”"}),
    ];
    write_jsonl(&input, &lines);
    let out = dir.path().join("out");
    let report = run_into(vec![input], &out);
    let labels = actor_labels(&report.aggregates.unwrap().actor_stances);
    assert_eq!(find(&labels, "Ember").0, "favor", "{labels:?}");
    assert_eq!(find(&labels, "Anand").0, "against", "{labels:?}");
}

/// An act on a described law takes its stance from what the law does, read by the policy
/// reader: vetoing a bill that limits cooperation is favor, through a later "the bill" that
/// points back to it; repealing an agreement that expands cooperation is against.
#[test]
fn acts_on_laws_take_the_laws_stance() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let lines = [
        serde_json::json!({"id": "v1", "published": "2021-03-01", "text": "Lawmakers in Harlow sent the governor a bill that would have barred county jails from holding anyone for federal immigration agents.\nGov. Dana Whitcomb vetoed the bill on Friday."}),
        serde_json::json!({"id": "v2", "published": "2021-04-01", "text": "The Marston County Board of Commissioners voted Tuesday to repeal an agreement that lets deputies question jail inmates about their immigration status for ICE."}),
    ];
    write_jsonl(&input, &lines);
    let out = dir.path().join("out");
    run_into(vec![input], &out);
    let store = stancewatch::store::Store::open(&out).unwrap();
    let stances = store.read_table("stances").unwrap().unwrap();
    let acts = stances
        .lazy()
        .filter(col("basis").eq(lit("act_on_law")))
        .sort(["article_id"], Default::default())
        .collect()
        .unwrap();
    let column = |name: &str| -> Vec<String> {
        let c = acts.column(name).unwrap();
        (0..c.len())
            .map(|i| c.get(i).unwrap().str_value().to_string())
            .collect()
    };
    let (holders, laws, act_words) = (column("holder"), column("law_text"), column("act"));
    let scores: Vec<f32> = acts
        .column("score")
        .unwrap()
        .f32()
        .unwrap()
        .into_no_null_iter()
        .collect();
    let of = |holder: &str| {
        holders
            .iter()
            .position(|h| h.contains(holder))
            .unwrap_or_else(|| panic!("no act on a law by {holder}: {holders:?} {laws:?}"))
    };
    let veto = of("Whitcomb");
    assert_eq!(act_words[veto], "vetoed");
    assert!(
        laws[veto].starts_with("a bill that would have barred"),
        "{laws:?}"
    );
    assert!(
        scores[veto] > 0.0,
        "veto of a bill limiting cooperation: {scores:?}"
    );
    let repeal = of("Marston");
    assert!(
        laws[repeal].starts_with("an agreement that lets deputies"),
        "{laws:?}"
    );
    assert!(
        scores[repeal] < 0.0,
        "repeal of an agreement with ICE: {scores:?}"
    );
    // The row names the model that gave its stance: the policy reader.
    let readers = column("stance_model");
    assert!(
        readers[veto].starts_with("stancewatch-policy"),
        "{readers:?}"
    );
}

/// A target without its own `model` is read by the target-general model, the default target
/// by the model trained for it; each row names the model that scored it, and the general
/// model reads a plain claim both ways.
#[test]
fn a_new_target_is_read_by_the_target_general_model() {
    let _serial = models();
    let mut config = PipelineConfig::default();
    config.targets.push(stancewatch::config::TargetConfig {
        id: "uniforms".into(),
        description: "School uniforms should be mandatory".into(),
        model: None,
        law_model: None,
    });
    let two = Models::load(&config).expect("both stance models load");
    // The default target's model and policy reader, and the target-general model.
    assert_eq!(two.stance.len(), 3);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    // (Its known weakness, a border-wall claim, is in models/stance-general/MODEL_CARD.md.)
    let text = "Uniforms stop bullying over clothes and let students focus on learning.\nForcing uniforms on children crushes their self-expression.";
    std::fs::write(
        &input,
        serde_json::json!({ "id": "uniforms", "text": text }).to_string() + "\n",
    )
    .unwrap();
    let options = RunOptions {
        inputs: vec![input],
        output: dir.path().join("out"),
        period: Period::Year,
        shard: None,
        chunk_size: 500,
        aggregate: true,
    };
    pipeline::run(&options, &config, &two).expect("run succeeds");
    let store = stancewatch::store::Store::open(&dir.path().join("out")).unwrap();
    let stances = store.read_table("stances").unwrap().unwrap();
    let claim = stances
        .clone()
        .lazy()
        .filter(col("target_id").eq(lit("uniforms")))
        .sort(["sentence_index"], Default::default())
        .collect()
        .unwrap();
    let model_of = |df: &DataFrame| {
        df.column("stance_model")
            .unwrap()
            .str()
            .unwrap()
            .get(0)
            .unwrap()
            .to_string()
    };
    assert!(
        model_of(&claim).starts_with("stancewatch-stance-general"),
        "{}",
        model_of(&claim)
    );
    let ice = stances
        .lazy()
        .filter(col("target_id").eq(lit("ice_cooperation")))
        .collect()
        .unwrap();
    assert!(!model_of(&ice).contains("general"), "{}", model_of(&ice));
    let labels: Vec<&str> = claim
        .column("label")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .collect();
    assert_eq!(labels, ["favor", "against"], "{claim}");
}

#[test]
fn rerun_adds_nothing_and_new_articles_are_added_alone() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("a.jsonl");
    let second = dir.path().join("b.jsonl");
    std::fs::write(&first, r#"{"id":"a","published":"2020-01-02","text":"Mayor Jo Park said the town will not help ICE agents."}"#.to_string() + "\n").unwrap();
    std::fs::write(&second, r#"{"id":"b","published":"2021-03-04","text":"Sheriff Al Roth said his deputies will work with ICE."}"#.to_string() + "\n").unwrap();
    let out = dir.path().join("out");
    let r1 = run_into(vec![first.clone()], &out);
    assert_eq!(r1.batch.as_ref().unwrap().n_new_articles, 1);
    let r2 = run_into(vec![first.clone()], &out);
    assert!(
        r2.batch.is_none(),
        "re-running the same input must add nothing"
    );
    assert_eq!(r2.n_already_known, 1);
    let r3 = run_into(vec![first, second], &out);
    let b3 = r3.batch.unwrap();
    assert_eq!((b3.n_new_articles, b3.n_already_known), (1, 1));
    let store = stancewatch::store::Store::open(&out).unwrap();
    assert_eq!(store.batches.len(), 2);
    let articles = store.read_table("articles").unwrap().unwrap();
    assert_eq!(articles.height(), 2);
    // Facts are partitioned by year, Hive style.
    assert!(
        out.join("facts/stances/year=2020").is_dir()
            && out.join("facts/stances/year=2021").is_dir()
    );
}

#[test]
fn bad_input_is_rejected_and_the_rest_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("mixed.jsonl");
    let mut bytes = Vec::new();
    bytes.extend_from_slice(b"{\"id\":\"ok\",\"text\":\"Mayor Jo Park said the town will not help ICE agents with raids.\"}\n");
    bytes.extend_from_slice(b"{\"id\":\"broken\",\"text\":\n");
    bytes.extend_from_slice(b"{\"id\":\"empty\",\"text\":\"   \"}\n");
    bytes.extend_from_slice(b"{\"id\":\"typed\",\"text\":[1,2]}\n");
    bytes.extend_from_slice(b"{\"id\":\"notext\",\"title\":\"no body\"}\n");
    bytes.extend_from_slice(b"\xff\xfe not utf8\n");
    // Hostile but valid: a 5 MB article, a 20,000-character sentence with no punctuation,
    // control characters, two versions of one id, and a non-English article.
    let huge = "word ".repeat(1_000_000);
    let run_on = "the county board heard testimony from many residents about the jail ".repeat(300);
    for (id, text) in [
        ("huge", huge.as_str()),
        ("run-on", &run_on[..20_000]),
        ("controls", "Mayor Jo Park\u{0007} said the town will not help ICE agents.\u{0000}"),
        ("v", "Sheriff Al Roth said deputies will hold inmates for ICE."),
        ("v", "Sheriff Al Roth said deputies will no longer hold inmates for ICE."),
        ("es", "El alcalde dijo que la ciudad no va a cooperar con los agentes federales de inmigración en ningún caso."),
    ] {
        bytes.extend_from_slice(serde_json::json!({"id": id, "text": text}).to_string().as_bytes());
        bytes.push(b'\n');
    }
    std::fs::write(&input, bytes).unwrap();
    std::fs::write(dir.path().join("blob.txt"), [0u8, 159, 146, 150]).unwrap();
    let out = dir.path().join("out");
    let report = run_into(vec![input, dir.path().join("blob.txt")], &out);
    let batch = report.batch.as_ref().unwrap();
    // ok, run-on, controls and both versions of "v".
    assert_eq!(batch.n_new_articles, 5, "{:#?}", report.rejects);
    assert_eq!(batch.new_versions.len(), 1, "{:?}", batch.new_versions);
    // broken JSON, empty text, wrong type, no text, bad UTF-8, binary file, 5 MB, Spanish.
    assert_eq!(report.rejects.len(), 8, "{:#?}", report.rejects);
    let store = stancewatch::store::Store::open(&out).unwrap();
    let rejects = store.read_table("rejects").unwrap().unwrap();
    assert_eq!(rejects.height(), 8);
    let reasons: Vec<String> = rejects
        .column("reason")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|r| r.unwrap().to_string())
        .collect();
    for want in [
        "invalid JSON",
        "binary",
        "max_article_bytes",
        "not English",
        "missing field `text`",
        "empty `text`",
        "not valid UTF-8",
        "field `text` must be a string",
    ] {
        assert!(
            reasons.iter().any(|r| r.contains(want)),
            "no reject for {want:?}: {reasons:?}"
        );
    }
    // The run-on sentence is kept whole as one sentence, read by the models in windows.
    let sentences = store.read_table("sentences").unwrap().unwrap();
    let longest = sentences
        .column("text")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|t| t.map_or(0, str::len))
        .max()
        .unwrap();
    assert!(longest >= 19_000, "{longest}");
}

#[test]
fn offsets_slice_back_to_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let text = "Ünïcode names are common in the news and the pipeline must keep them intact. “We will not help the federal agents,” said Mayor Zoë Ärnström of Malmö on Tuesday. The council agreed with the mayor on the policy.";
    std::fs::write(
        &input,
        serde_json::json!({ "text": text }).to_string() + "\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    run_into(vec![input], &out);
    let store = stancewatch::store::Store::open(&out).unwrap();
    let text = store
        .read_table("articles")
        .unwrap()
        .unwrap()
        .column("text")
        .unwrap()
        .str()
        .unwrap()
        .get(0)
        .unwrap()
        .to_string();
    let ents = store.read_table("entities").unwrap().unwrap();
    let (s, e, t) = (
        ents.column("start").unwrap().u64().unwrap(),
        ents.column("end").unwrap().u64().unwrap(),
        ents.column("text").unwrap().str().unwrap(),
    );
    assert!(ents.height() > 0);
    for i in 0..ents.height() {
        assert_eq!(
            &text[s.get(i).unwrap() as usize..e.get(i).unwrap() as usize],
            t.get(i).unwrap()
        );
    }
    let sents = store.read_table("sentences").unwrap().unwrap();
    let (s, e, t) = (
        sents.column("start").unwrap().u64().unwrap(),
        sents.column("end").unwrap().u64().unwrap(),
        sents.column("text").unwrap().str().unwrap(),
    );
    for i in 0..sents.height() {
        assert_eq!(
            &text[s.get(i).unwrap() as usize..e.get(i).unwrap() as usize],
            t.get(i).unwrap()
        );
    }
}

/// A sentence with two main clauses and two holders gives one stance row per clause, each
/// with its own holder and the byte range it was scored on.
#[test]
fn two_clauses_with_two_holders_give_two_rows() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let text = "Sheriff Tom Reyes of Dorran County signed a 287(g) agreement with ICE in March. Advocates said Sheriff Tom Reyes signed the deal without approval from the Dorran County Board of Commissioners, and the commissioners later voted to cancel the agreement.";
    std::fs::write(
        &input,
        serde_json::json!({ "id": "two-clauses", "text": text }).to_string() + "\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    run_into(vec![input], &out);
    let store = stancewatch::store::Store::open(&out).unwrap();
    let stances = store.read_table("stances").unwrap().unwrap();
    let second = stances
        .clone()
        .lazy()
        .filter(col("sentence_index").eq(lit(1u32)))
        .sort(["clause_index"], Default::default())
        .collect()
        .unwrap();
    assert_eq!(second.height(), 2, "{second}");
    let holders: Vec<Option<&str>> = second
        .column("holder")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .collect();
    assert!(
        holders[1].is_some_and(|h| h.contains("Commissioners")),
        "{holders:?}"
    );
    assert_ne!(holders[0], holders[1]);
    let (s, e) = (
        second.column("clause_start").unwrap().u64().unwrap(),
        second.column("clause_end").unwrap().u64().unwrap(),
    );
    let clause = |i: usize| &text[s.get(i).unwrap() as usize..e.get(i).unwrap() as usize];
    assert!(clause(0).starts_with("Advocates said") && clause(0).ends_with("Commissioners"));
    assert_eq!(
        clause(1),
        "the commissioners later voted to cancel the agreement."
    );
    // The first sentence is one clause, covering the whole sentence.
    let first = stances
        .lazy()
        .filter(col("sentence_index").eq(lit(0u32)))
        .collect()
        .unwrap();
    assert_eq!(first.height(), 1);
    assert_eq!(
        first.column("clause_start").unwrap().u64().unwrap().get(0),
        Some(0)
    );
}

#[test]
fn an_entity_at_token_600_is_found() {
    let models = models();
    let filler = "the committee discussed routine budget matters and schedules ".repeat(80);
    let sentence = format!("{filler}and then Governor Paul Hensley of Ohio spoke");
    let words = sentence.split_whitespace().count();
    assert!(words > 600, "{words}");
    let spans = &models.ner.predict(&[sentence.as_str()]).unwrap()[0];
    assert!(
        spans
            .iter()
            .any(|e| e.label == "PER" && e.text.contains("Hensley")),
        "{spans:?}"
    );
    assert!(
        spans.iter().any(|e| e.label == "LOC" && e.text == "Ohio"),
        "{spans:?}"
    );
}

/// A row as (text of its non-float values, its float values): batches of other sizes pad
/// differently, and the matrix kernels then round the last bits differently, so floats are
/// compared with a tolerance (`same_rows`).
fn row_key(row: &[AnyValue]) -> (String, Vec<f64>) {
    let mut floats = Vec::new();
    let text = row
        .iter()
        .map(|v| match v {
            AnyValue::Float32(f) => {
                floats.push(*f as f64);
                "~".to_string()
            }
            AnyValue::Float64(f) => {
                floats.push(*f);
                "~".to_string()
            }
            other => format!("{other:?}"),
        })
        .collect::<Vec<_>>()
        .join("|");
    (text, floats)
}

fn same_rows(
    a: &BTreeMap<String, Vec<(String, Vec<f64>)>>,
    b: &BTreeMap<String, Vec<(String, Vec<f64>)>>,
) -> Result<(), String> {
    if a.keys().ne(b.keys()) {
        return Err(format!("tables differ: {:?} vs {:?}", a.keys(), b.keys()));
    }
    for (table, rows) in a {
        let other = &b[table];
        if rows.len() != other.len() {
            return Err(format!("{table}: {} rows vs {}", rows.len(), other.len()));
        }
        for ((ka, fa), (kb, fb)) in rows.iter().zip(other) {
            if ka != kb {
                return Err(format!("{table}: row {ka} vs {kb}"));
            }
            if fa
                .iter()
                .zip(fb)
                .any(|(x, y)| (x - y).abs() > 1e-3 && !(x.is_nan() && y.is_nan()))
            {
                return Err(format!("{table}: values {fa:?} vs {fb:?} in {ka}"));
            }
        }
    }
    Ok(())
}

/// Content of a dataset that must not depend on crashes: every fact table's rows, sorted.
fn dataset_fingerprint(out: &Path) -> BTreeMap<String, Vec<(String, Vec<f64>)>> {
    let store = stancewatch::store::Store::open(out).unwrap();
    let mut fp = BTreeMap::new();
    for &table in stancewatch::store::FACT_TABLES {
        let mut rows = Vec::new();
        if let Some(df) = store.read_table(table).unwrap() {
            let df = df.drop("batch_id").unwrap_or(df);
            for i in 0..df.height() {
                rows.push(row_key(&df.get(i).unwrap()));
            }
        }
        rows.sort_by(|x, y| x.0.cmp(&y.0));
        fp.insert(table.to_string(), rows);
    }
    fp.insert(
        "batches".into(),
        vec![(store.batches.len().to_string(), vec![])],
    );
    fp
}

fn run_binary(input: &Path, out: &Path, fault: Option<&str>) -> std::process::ExitStatus {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_stancewatch"));
    cmd.args(["--threads", "2", "run", "--chunk-size", "2", "--input"])
        .arg(input)
        .arg("--output")
        .arg(out);
    cmd.stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    match fault {
        Some(f) => cmd.env("STANCEWATCH_FAULT", f),
        None => cmd.env_remove("STANCEWATCH_FAULT"),
    };
    cmd.status().expect("the binary runs")
}

#[test]
fn a_run_killed_at_any_point_then_rerun_equals_an_uninterrupted_run() {
    let _guard = models();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let mut lines = String::new();
    for (i, (who, year)) in [
        ("Ann Lee", 2016),
        ("Bo Park", 2018),
        ("Cy Diaz", 2020),
        ("Di Moss", 2022),
        ("Ed Fox", 2024),
    ]
    .iter()
    .enumerate()
    {
        lines += &serde_json::json!({"id": i, "published": format!("{year}-05-0{}", i + 1), "text": format!("Mayor {who} said the city will not help ICE agents.\n“We will stay a sanctuary city,” {who} said.")}).to_string();
        lines.push('\n');
    }
    lines += "{not json}\n";
    std::fs::write(&input, lines).unwrap();

    let clean = dir.path().join("clean");
    assert!(run_binary(&input, &clean, None).success());
    let want = dataset_fingerprint(&clean);
    assert_eq!(want["articles"].len(), 5);
    assert_eq!(want["rejects"].len(), 1);

    // Named kill points (abort() leaves the files exactly as SIGKILL would) ...
    let points = [
        "after_ingest",
        "after_part_1",
        "after_part_4",
        "after_part_9",
        "before_commit",
        "after_commit",
    ];
    for point in points {
        let out = dir.path().join(format!("killed-{point}"));
        let status = run_binary(&input, &out, Some(point));
        assert!(
            !status.success(),
            "{point}: the fault point was not reached"
        );
        assert!(
            run_binary(&input, &out, None).success(),
            "{point}: re-run failed"
        );
        assert_eq!(
            dataset_fingerprint(&out),
            want,
            "{point}: dataset differs from an uninterrupted run"
        );
        // A third run adds nothing.
        assert!(run_binary(&input, &out, None).success());
        assert_eq!(
            dataset_fingerprint(&out),
            want,
            "{point}: a re-run changed the dataset"
        );
    }
    // ... and real SIGKILLs at several moments.
    for delay_ms in [300u64, 1200, 2500] {
        let out = dir.path().join(format!("sigkill-{delay_ms}"));
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_stancewatch"))
            .args(["--threads", "2", "run", "--chunk-size", "2", "--input"])
            .arg(&input)
            .arg("--output")
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        assert!(run_binary(&input, &out, None).success());
        assert_eq!(
            dataset_fingerprint(&out),
            want,
            "SIGKILL after {delay_ms} ms"
        );
    }
}

#[test]
fn three_shards_then_aggregate_equal_one_unsharded_run() {
    let _guard = models();
    let dir = tempfile::tempdir().unwrap();
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("../input/sample/articles.jsonl");
    let run = |out: &Path, extra: &[&str]| {
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_stancewatch"))
            .args(["--threads", "2"])
            .args(extra)
            .arg("--output")
            .arg(out)
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "{extra:?}");
    };
    let whole = dir.path().join("whole");
    run(&whole, &["run", "--input", input.to_str().unwrap()]);
    let sharded = dir.path().join("sharded");
    for i in 0..3 {
        let shard = format!("{i}/3");
        run(
            &sharded,
            &["run", "--input", input.to_str().unwrap(), "--shard", &shard],
        );
    }
    run(&sharded, &["aggregate"]);
    let mut a = dataset_fingerprint(&whole);
    let mut b = dataset_fingerprint(&sharded);
    assert_eq!(b.remove("batches").unwrap()[0].0, "3");
    a.remove("batches");
    same_rows(&a, &b).unwrap_or_else(|e| panic!("facts differ: {e}"));
    for table in [
        "actor_stances",
        "place_stances",
        "article_actor_stances",
        "actor_period_stances",
    ] {
        let read = |root: &Path| {
            let df = stancewatch::tables::read_parquet(
                &root.join(format!("aggregates/{table}.parquet")),
            )
            .unwrap();
            let mut rows: Vec<(String, Vec<f64>)> = (0..df.height())
                .map(|i| row_key(&df.get(i).unwrap()))
                .collect();
            rows.sort_by(|x, y| x.0.cmp(&y.0));
            BTreeMap::from([(table.to_string(), rows)])
        };
        same_rows(&read(&whole), &read(&sharded))
            .unwrap_or_else(|e| panic!("{table} differs: {e}"));
    }
}

#[test]
fn compare_shows_a_county_changing_sides_with_its_sheriff() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../input/sample/articles.jsonl");
    run_into(vec![sample], &out);
    let csv = dir.path().join("compare.csv");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_stancewatch"))
        .args([
            "compare",
            "--by",
            "place",
            "--target",
            "ice_cooperation",
            "--from",
            "2016",
            "--to",
            "2026",
            "--data",
        ])
        .arg(&out)
        .arg("--output")
        .arg(&csv)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(
        table.contains("Harlow County") && table.contains("thin_evidence"),
        "{table}"
    );
    let df = CsvReadOptions::default()
        .try_into_reader_with_file_path(Some(csv))
        .unwrap()
        .finish()
        .unwrap();
    // Harlow County: a sheriff in favor (2017, 2019), his successor against (2021).
    let keys = df.column("key").unwrap().str().unwrap();
    let periods = df
        .column("period")
        .unwrap()
        .cast(&DataType::String)
        .unwrap();
    let periods = periods.str().unwrap();
    let scores = df.column("stance_score").unwrap().f64().unwrap();
    let harlow: Vec<(String, f64)> = (0..df.height())
        .filter(|&i| keys.get(i) == Some("Harlow County"))
        .map(|i| (periods.get(i).unwrap().to_string(), scores.get(i).unwrap()))
        .collect();
    let score_in = |year: &str| harlow.iter().find(|(p, _)| p == year).map(|(_, s)| *s);
    assert!(
        score_in("2017").unwrap() > 0.0 && score_in("2021").unwrap() < 0.0,
        "{harlow:?}"
    );
    // A period outside --from/--to is not shown.
    let stdout_years_ok = !table.contains("2015");
    assert!(stdout_years_ok);
}

/// bf16 is a speed option, not a different model: on written sentences it finds the same
/// people and places and stance scores within 0.1 of the fp32 reference (a borderline
/// organisation span may differ; the CoNLL F1 of both is in the NER model card).
#[test]
fn bf16_agrees_with_the_fp32_reference() {
    use stancewatch::config::Precision;
    let _serial = models();
    let load = |precision| {
        let mut config = PipelineConfig::default();
        config.ner.precision = precision;
        config.stance.precision = precision;
        Models::load(&config).expect("models load")
    };
    let (fp32, bf16) = (load(Precision::Fp32), load(Precision::Bf16));
    assert!(bf16.ner.model_id.ends_with("+bf16") && !fp32.ner.model_id.contains("bf16"));
    let sentences = [
        "Dorran County Sheriff Walt Ember signed an agreement with ICE on Tuesday.",
        "“Our police will never help with deportations,” Lakeview Mayor Priya Anand said.",
        "The Harlow County Board of Commissioners voted 4-1 to end the 287(g) program in Bellmont.",
        "Governor Dana Whitfield of Kestrel Bay signed a law that bans sanctuary policies.",
    ];
    let people_and_places = |m: &Models| -> Vec<Vec<(usize, usize, String)>> {
        m.ner
            .predict(&sentences)
            .unwrap()
            .into_iter()
            .map(|es| {
                es.into_iter()
                    .filter(|e| e.label == "PER" || e.label == "LOC")
                    .map(|e| (e.start, e.end, e.label.clone()))
                    .collect()
            })
            .collect()
    };
    let reference = people_and_places(&fp32);
    assert!(reference.iter().flatten().count() >= 5, "{reference:?}");
    assert_eq!(reference, people_and_places(&bf16));
    let target = PipelineConfig::default().targets[0].description.clone();
    let pairs: Vec<(&str, &str)> = sentences.iter().map(|s| (target.as_str(), *s)).collect();
    let (a, b) = (
        fp32.stance_for(0).predict(&pairs).unwrap(),
        bf16.stance_for(0).predict(&pairs).unwrap(),
    );
    for ((p, q), s) in a.iter().zip(&b).zip(&sentences) {
        assert!(
            (p.score() - q.score()).abs() < 0.1,
            "{s}: fp32 {} vs bf16 {}",
            p.score(),
            q.score()
        );
    }
}
