"""Writes the analysis notebooks (run once after editing the cells below; the .ipynb files
are committed without outputs). Every notebook reads only the Parquet output, from the
directory in STANCEWATCH_OUTPUT (default: ../output)."""
from pathlib import Path

import nbformat as nbf

HERE = Path(__file__).resolve().parent

SETUP = '''import os, json
from pathlib import Path
import polars as pl
import matplotlib
matplotlib.use("Agg") if os.environ.get("STANCEWATCH_HEADLESS") else None
import matplotlib.pyplot as plt

OUT = Path(os.environ.get("STANCEWATCH_OUTPUT", "../output"))
def facts(table):
    """All committed parts of a fact table (the manifest lists them)."""
    parts = [OUT / p for m in sorted((OUT / "manifest").glob("*.json")) for p in json.loads(m.read_text())["parts"]
             if p.startswith(f"facts/{table}/")]
    return pl.concat([pl.read_parquet(p) for p in parts], how="diagonal_relaxed") if parts else None
def aggregate(name):
    return pl.read_parquet(OUT / "aggregates" / f"{name}.parquet")
sentences = facts("sentences")
def evidence(ids, limit=10):
    """The sentences behind an aggregate row: pass its `evidence` list."""
    ids = list(ids)[:limit]
    keys = pl.DataFrame({"sentence_id": ids})
    s = sentences.with_columns((pl.col("article_id") + "#" + pl.col("sentence_index").cast(pl.Utf8)).alias("sentence_id"))
    return keys.join(s, on="sentence_id", how="left").select("sentence_id", "text")
print("dataset:", OUT.resolve())'''


def notebook(title, intro, cells):
    nb = nbf.v4.new_notebook()
    nb.cells = [nbf.v4.new_markdown_cell(f"# {title}\n\n{intro}"), nbf.v4.new_code_cell(SETUP)]
    for kind, src in cells:
        nb.cells.append(nbf.v4.new_markdown_cell(src) if kind == "md" else nbf.v4.new_code_cell(src))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


stance = notebook(
    "Stance over time — per place and per actor",
    "Scores are P(favor) − P(against) averaged over the stance-bearing sentences an actor holds; "
    "`n_stance` says how many sentences are behind each number. Thin evidence (few sentences) is "
    "marked. The evidence sentences of any row are one call away: `evidence(row['evidence'])`.",
    [
        ("md", "## Places"),
        ("code", '''places = aggregate("place_stances").filter(pl.col("n_stance") > 0).sort("place", "period")
places.select("place", "level", "target_id", "period", "n_actors", "actors", "n_stance", "stance_score", "label")'''),
        ("code", '''periods = sorted(places["period"].unique().to_list())  # one ordered axis for every place
fig, ax = plt.subplots(figsize=(9, 4))
for (place,), g in places.group_by(["place"], maintain_order=True):
    g = g.sort("period")
    xs = [periods.index(p) for p in g["period"]]
    ax.plot(xs, g["stance_score"].to_list(), marker="o", label=place)
    for x, y, n in zip(xs, g["stance_score"], g["n_stance"]):
        ax.annotate(str(n), (x, y), textcoords="offset points", xytext=(0, 5), fontsize=7)
ax.set_xticks(range(len(periods)), periods)
ax.axhline(0, color="grey", lw=0.5)
ax.set_ylim(-1.05, 1.05); ax.set_ylabel("stance score (favor +, against −)")
ax.set_title("Stance toward local cooperation with ICE, per place (numbers: sentences)")
ax.legend(fontsize=7, ncol=2); plt.xticks(rotation=45); plt.tight_layout(); plt.show()'''),
        ("md", "## Actors"),
        ("code", '''actors = aggregate("actor_period_stances").filter(pl.col("n_stance") > 0).sort("actor", "period")
actors.select("actor", "role", "place", "period", "n_stance", "stance_score", "label")'''),
        ("code", '''top = aggregate("actor_stances").filter(pl.col("n_stance") > 0).sort("n_stance", descending=True).head(15)
fig, ax = plt.subplots(figsize=(8, 5))
ax.barh(top["actor"].to_list()[::-1], top["stance_score"].to_list()[::-1],
        color=["tab:blue" if s > 0 else "tab:red" for s in top["stance_score"].to_list()[::-1]])
ax.set_xlim(-1, 1); ax.set_xlabel("stance score"); ax.set_title("Actors with the most stance-bearing sentences")
plt.tight_layout(); plt.show()'''),
        ("md", "## Evidence\nThe sentences behind the actor with the most stance-bearing sentences:"),
        ("code", '''row = top.row(0, named=True)
print(row["actor"], row["label"], round(row["stance_score"], 2))
evidence(row["evidence"])'''),
    ],
)

entities = notebook(
    "Entities — who and what the articles mention",
    "Entity mentions from the NER model, by type, with canonical names after in-article resolution.",
    [
        ("code", '''ents = facts("entities")
ents.group_by("label").len().sort("len", descending=True)'''),
        ("code", '''named = ents.with_columns(pl.coalesce("canonical", "text").alias("name"))
freq = named.group_by("label", "name").agg(pl.len().alias("mentions"), pl.col("article_id").n_unique().alias("articles"))
freq.sort("mentions", descending=True).head(25)'''),
        ("code", '''fig, axes = plt.subplots(1, 3, figsize=(12, 4))
for ax, label in zip(axes, ["PER", "ORG", "LOC"]):
    f = freq.filter(pl.col("label") == label).sort("mentions", descending=True).head(10)
    ax.barh(f["name"].to_list()[::-1], f["mentions"].to_list()[::-1]); ax.set_title(label)
plt.tight_layout(); plt.show()'''),
        ("code", '''facts("actors").select("name", "entity_type", "role", "place", "level", "former").unique().sort("name")'''),
    ],
)

diff = notebook(
    "Batch to batch — what each batch added and what it changed",
    "Each run commits one batch (`manifest/*.json`). This compares actor stances with and without the newest batch.",
    [
        ("code", '''batches = pl.DataFrame([json.loads(m.read_text()) for m in sorted((OUT / "manifest").glob("*.json"))])
batches = batches.sort("finished_at")
batches.select("batch_id", "finished_at", "n_new_articles", "n_already_known", "n_rejects", "n_sentences", "n_stances", "ner_model", "stance_model")'''),
        ("code", '''stances = facts("stances")
articles = facts("articles").select("article_id", "batch_id")
stances = stances.join(articles, on="article_id")
def actor_scores(frame):
    return (frame.filter(pl.col("holder_actor_id").is_not_null() & (pl.col("label") != "none"))
                 .group_by("holder_actor_id", "target_id")
                 .agg(pl.col("holder").first().alias("actor"), pl.len().alias("n_stance"), pl.col("score").mean().alias("stance_score")))
newest = batches["batch_id"][-1]
before = actor_scores(stances.filter(pl.col("batch_id") != newest))
after = actor_scores(stances)
changes = after.join(before, on=["holder_actor_id", "target_id"], how="left", suffix="_before")
changes = changes.with_columns((pl.col("stance_score") - pl.col("stance_score_before")).alias("change"))
changes.select("actor", "target_id", "n_stance_before", "n_stance", "stance_score_before", "stance_score", "change").sort("actor")'''),
        ("code", '''rejects = facts("rejects")
rejects if rejects is not None else "no rejects"'''),
    ],
)

for name, nb in {"stance_over_time.ipynb": stance, "entities.ipynb": entities, "batch_diff.ipynb": diff}.items():
    nbf.write(nb, HERE / name)
    print("wrote", name)
