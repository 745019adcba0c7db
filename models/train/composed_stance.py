"""Compositional training sentences for the stance model, written for this project (no news
text). Where `synthetic_stance.py` lists whole clear-cut phrases, this builds each sentence
from parts that each carry a *polarity*, and the label is their product:

* a policy or operation: +1 if it is local cooperation with federal immigration enforcement
  or pushes it on localities (a 287(g) agreement, a ban on sanctuary cities, an ICE operation),
  -1 if it limits or resists it (a sanctuary ordinance, a bill barring police from helping ICE);
* what the holder does to it: +1 (signs, backs, defends, praises) or -1 (vetoes, repeals,
  sues to block, condemns), optionally negated ("refused to sign": -1 x +1);
* for groups, who they are: supporters +1, critics -1 ("critics of the sanctuary law packed
  the meeting" is favor);
* for quotes, what the holder says the policy does: "keeps our community safe" +1,
  "spreads fear" -1.

favor = +1, against = -1. `none` sentences use the same policies with verbs that take no side
(the council will debate it, a hearing was postponed, it took effect in 2019) or leave the
topic. Why: the measured failure of the earlier models is that they read "talks about ICE"
as favor and miss that vetoing a sanctuary bill is favor while signing one is against; a
model trained on these compositions must read the direction of each part, because no single
word decides the label. Real news sentences stay the core of the training data; these are
mixed in, and model selection uses real news (news_stance dev) only. Deterministic for a seed.
"""
from __future__ import annotations

import random

FIRST = ["Dana", "Luis", "Marta", "Owen", "Priya", "Samuel", "Tessa", "Victor", "Wen", "Yusuf", "Grace", "Ibrahim",
         "Nora", "Caleb", "Elena", "Hector", "Joan", "Rafael", "Mei", "Darnell", "Ruth", "Tomasz", "Amara", "Gus"]
LAST = ["Whitfield", "Okafor", "Lindgren", "Castellano", "Brandt", "Moreau", "Hale", "Nakamura", "Quinlan", "Rosales",
        "Abernathy", "Kowalski", "Delacroix", "Esposito", "Varga", "Pruitt", "Ferreira", "Adeyemi", "Sorensen", "Blackwood"]
CITIES = ["Port Addison", "Bellmont", "Kestrel Bay", "Millbrook", "Ashford", "Cedar Ridge", "Lake Orin", "Dunmore",
          "Riverton", "Salt Harbor", "North Galway", "Emberly"]
COUNTIES = ["Harlow County", "Granite County", "Fairhaven County", "Brisco County", "Maple County", "Oster County"]
STATES = ["Texas", "California", "Oregon", "Florida", "Georgia", "Illinois", "North Carolina", "Maryland", "Ohio",
          "Tennessee", "New York", "Colorado", "Arizona", "Massachusetts"]

# (policy text, polarity). {city}, {county}, {state} are filled in.
POLICIES = [
    ("a 287(g) agreement with Immigration and Customs Enforcement", +1),
    ("the county's 287(g) partnership with ICE", +1),
    ("a bill requiring sheriffs to honor ICE detainers", +1),
    ("the state's ban on sanctuary cities", +1),
    ("a law that forces local police to cooperate with federal immigration agents", +1),
    ("the jail's contract to hold immigration detainees for ICE", +1),
    ("the federal crackdown on sanctuary cities", +1),
    ("the ICE operation in {city}", +1),
    ("the immigration raids in {city}", +1),
    ("the deployment of federal immigration agents to {city}", +1),
    ("a plan to let deputies check the immigration status of people in the jail", +1),
    ("an order telling jails to notify ICE before releasing immigrants", +1),
    ("the anti-sanctuary law", +1),
    ("the measure to repeal the state's sanctuary law", +1),
    ("cooperation between local police and ICE", +1),
    ("{city}'s sanctuary ordinance", -1),
    ("the state's sanctuary law", -1),
    ("a bill barring local police from helping ICE", -1),
    ("a policy limiting what the jail shares with ICE", -1),
    ("the Welcoming City ordinance", -1),
    ("an order keeping ICE agents out of city buildings", -1),
    ("a measure making {state} a sanctuary state", -1),
    ("protections that shield undocumented residents from deportation", -1),
    ("a bill ending transfers from state prisons to ICE", -1),
    ("the county's policy of ignoring ICE detainers without a warrant", -1),
    ("a ban on using city resources for immigration enforcement", -1),
    ("the sanctuary policy", -1),
]

# (verb phrase taking the policy, polarity toward it)
ACTS = [
    ("signed", +1), ("signed into law", +1), ("backed", +1), ("voted for", +1), ("approved", +1), ("defended", +1),
    ("praised", +1), ("renewed", +1), ("expanded", +1), ("upheld", +1), ("pushed for", +1), ("introduced", +1),
    ("championed", +1), ("celebrated the passage of", +1), ("called for", +1), ("welcomed", +1),
    ("vetoed", -1), ("opposed", -1), ("voted against", -1), ("condemned", -1), ("sued to block", -1),
    ("repealed", -1), ("ended", -1), ("rejected", -1), ("criticized", -1), ("challenged in court", -1),
    ("called for the repeal of", -1), ("denounced", -1), ("vowed to fight", -1), ("blocked", -1),
]
# Negations of a few acts (the polarity flips again).
NEGATED = [("refused to sign", -1), ("declined to back", -1), ("would not defend", -1), ("did not oppose", +1),
           ("refused to end", +1), ("will not repeal", +1), ("would not veto", +1)]

# Verbs that mention a policy without taking a side.
NEUTRAL_ACTS = [
    "will hold a hearing on", "is scheduled to vote on", "postponed a debate on", "asked reporters about",
    "explained the history of", "has not yet taken a position on", "received a report on",
    "said the committee will review", "described the wording of", "plans to study the costs of",
]
NEUTRAL_POLICY_FACTS = [
    "{P} took effect in 2019.", "{P} was first proposed three years ago.", "The vote on {p} is set for Thursday.",
    "{P} runs to about 40 pages.", "A hearing on {p} drew about 200 people.", "{P} was discussed at the meeting.",
    "Details of {p} have not been released.", "{P} will be debated again next month.",
]
OFF_TOPIC = [
    "{h} announced a new budget for road repairs.", "{h} opened a new branch of the public library.",
    "{h} said the city will hire more teachers next year.", "{h} spoke at a ceremony honoring veterans.",
    "{h} unveiled a plan to fix the water system.", "{h} toured the new hospital wing.",
    "The jail in {county} held about 300 people on an average day last year.",
    "{city} has about 80,000 residents, a quarter of them born abroad.",
    "{h} was first elected in 2018.", "The council meeting lasted nearly five hours.",
    "{h} said the storm damaged dozens of homes in {city}.", "Turnout in {county} was about 52 percent.",
]

# Groups whose name carries their side toward the policy.
GROUPS = [("supporters of", +1), ("backers of", +1), ("defenders of", +1), ("critics of", -1), ("opponents of", -1)]
GROUP_ACTS = ["packed the council meeting", "rallied outside city hall", "celebrated the vote", "filled the hearing room",
              "held signs at the statehouse", "spoke for hours at the meeting"]

# (what a quote says the policy does, polarity)
EFFECTS = [
    ("keeps our community safe", +1), ("gets dangerous criminals off our streets", +1), ("is the law and we will follow it", +1),
    ("protects the people of {city}", +1), ("is common sense", +1), ("restores the rule of law", +1),
    ("spreads fear among our neighbors", -1), ("tears families apart", -1), ("makes everyone less safe", -1),
    ("is a betrayal of our values", -1), ("is unconstitutional", -1), ("is a disgrace", -1),
]
QUOTE_FRAMES = ["“{Q},” {h} said.", "“{Q},” {h} told reporters.", "{h} said {q}.", "“{Q},” {h} said in a statement.",
                "In a post on X, {h} wrote that {q}."]
FIRST_PERSON = [("I am proud to sign {p}", +1), ("We fought hard for {p}", +1), ("I will never support {p}", -1),
                ("We will do everything we can to stop {p}", -1), ("I am disappointed by {p}", -1), ("I fully support {p}", +1)]

ACT_FRAMES = ["{h} {a} {p}.", "On Monday, {h} {a} {p}.", "{h} {a} {p} on Tuesday, according to a statement.",
              "Last week {h} {a} {p}.", "{h} has {a} {p}, a spokesperson said."]
HEADLINE_FRAMES = ["{H} {A} {P}", "{H} {A} {P} after heated debate"]


def name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def holder(rng: random.Random) -> str:
    k = rng.random()
    if k < 0.25:
        return f"{rng.choice(CITIES)} Mayor {name(rng)}"
    if k < 0.4:
        return f"{rng.choice(COUNTIES)} Sheriff {name(rng)}"
    if k < 0.5:
        return f"Gov. {name(rng)}"
    if k < 0.6:
        return f"{rng.choice(STATES)} Attorney General {name(rng)}"
    if k < 0.7:
        return rng.choice(["the city council", "the county commission", "the board of supervisors", "state lawmakers",
                           "the police chief", "the sheriff", "the governor", "voters"])
    if k < 0.8:
        return f"Council Member {name(rng)}"
    if k < 0.9:
        return rng.choice(["the Department of Homeland Security", "ICE officials", "the attorney general's office",
                           "an immigrant rights group", "the sheriffs' association"])
    return f"State Sen. {name(rng)}"


def fill(text: str, rng: random.Random) -> str:
    return text.format(city=rng.choice(CITIES), county=rng.choice(COUNTIES), state=rng.choice(STATES))


def cap(s: str) -> str:
    return s[0].upper() + s[1:]


def title_case(s: str) -> str:
    small = {"a", "an", "the", "of", "to", "for", "on", "in", "with", "and", "by", "from"}
    words = s.split(" ")
    return " ".join(w if (i and w in small) or not w[:1].isalpha() else w[0].upper() + w[1:] for i, w in enumerate(words))


def sided(rng: random.Random) -> tuple[str, int]:
    """One sentence that takes a side, and its polarity toward the target."""
    policy, pp = rng.choice(POLICIES)
    policy = fill(policy, rng)
    k = rng.random()
    if k < 0.45:
        act, ap = rng.choice(ACTS if rng.random() < 0.85 else NEGATED)
        if rng.random() < 0.15:
            s = rng.choice(HEADLINE_FRAMES).format(H=title_case(holder(rng)), A=title_case(act), P=title_case(policy))
        else:
            s = rng.choice(ACT_FRAMES).format(h=holder(rng), a=act, p=policy)
        return cap(s), pp * ap
    if k < 0.6:
        group, gp = rng.choice(GROUPS)
        return cap(f"{group} {policy} {rng.choice(GROUP_ACTS)}."), pp * gp
    if k < 0.85:
        effect, ep = rng.choice(EFFECTS)
        effect = fill(effect, rng)
        frame = rng.choice(QUOTE_FRAMES)
        q = f"{policy} {effect}"
        return cap(frame.format(Q=cap(q), q=q, h=holder(rng))), pp * ep
    text, fp = rng.choice(FIRST_PERSON)
    return cap(rng.choice(QUOTE_FRAMES[:2] + QUOTE_FRAMES[3:4]).format(Q=text.format(p=policy), q=text.format(p=policy), h=holder(rng))), pp * fp


def neutral(rng: random.Random) -> str:
    policy = fill(rng.choice(POLICIES)[0], rng)
    k = rng.random()
    if k < 0.4:
        return cap(f"{holder(rng)} {rng.choice(NEUTRAL_ACTS)} {policy}.")
    if k < 0.7:
        fact = rng.choice(NEUTRAL_POLICY_FACTS)
        return cap(fact.format(P=cap(policy), p=policy))
    return cap(fill(rng.choice(OFF_TOPIC).replace("{h}", holder(rng)), rng))


def compose(n_per_class: int = 1000, seed: int = 7) -> list[tuple[str, str]]:
    """(sentence, label) pairs, `n_per_class` each of favor / against / none, no duplicates."""
    rng = random.Random(seed)
    by_label: dict[str, set[str]] = {"favor": set(), "against": set(), "none": set()}
    tries = 0
    while min(len(v) for v in by_label.values()) < n_per_class and tries < 200 * n_per_class:
        tries += 1
        if rng.random() < 0.67:
            s, polarity = sided(rng)
            label = "favor" if polarity > 0 else "against"
        else:
            s, label = neutral(rng), "none"
        if len(by_label[label]) < n_per_class:
            by_label[label].add(s)
    out = [(s, l) for l, ss in by_label.items() for s in sorted(ss)]
    rng.shuffle(out)
    return out


if __name__ == "__main__":
    import sys

    for s, l in compose(int(sys.argv[1]) if len(sys.argv) > 1 else 8):
        print(f"{l:8s} {s}")
