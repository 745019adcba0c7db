"""Hand-written, template-built training sentences for the stance model (written for this
project; no news text). They teach the clear-cut forms of the target's two sides —
sanctuary = against, 287(g)/detainers = favor, vetoes and lawsuits by their effect — and
off-topic or purely factual sentences = none, in many surface forms (plain reports, direct
quotes, headlines). Real news sentences (news_stance train) stay the core of the training
data; these are mixed in. Deterministic for a seed."""
from __future__ import annotations

import random

FIRST = ["Dana", "Luis", "Marta", "Owen", "Priya", "Samuel", "Tessa", "Victor", "Wen", "Yusuf", "Grace", "Ibrahim", "Nora", "Caleb", "Elena"]
LAST = ["Whitfield", "Okafor", "Lindgren", "Castellano", "Brandt", "Moreau", "Hale", "Nakamura", "Quinlan", "Rosales", "Abernathy", "Kowalski", "Delacroix", "Esposito", "Varga"]
PLACES = ["Port Addison", "Harlow County", "Bellmont", "Kestrel Bay", "Granite County", "Millbrook", "Ashford", "Cedar Ridge", "Lake Orin", "Fairhaven County"]
LOCAL_ROLES = ["Mayor", "Sheriff", "Police Chief", "County Executive", "Council Member"]
STATE_ROLES = ["Governor", "Attorney General", "State Senator"]
FEDERAL = ["ICE Director", "Homeland Security Secretary", "Border Czar", "ICE Field Office Director"]
GROUPS = ["the city council", "the county commission", "the board of supervisors", "the sheriffs' association", "an immigrant rights group", "the police union"]

FAVOR_ACTS = [
    "signed a 287(g) agreement with Immigration and Customs Enforcement",
    "said deputies will honor every ICE detainer",
    "ordered the county jail to hold inmates for immigration agents",
    "said sanctuary cities put residents in danger",
    "threatened to cut funding to sanctuary cities",
    "signed a law that bans sanctuary policies across the state",
    "vowed to work closely with federal immigration agents",
    "joined a federal program that lets jail deputies check immigration status",
    "sued the city to force it to cooperate with ICE",
    "vetoed a bill that would have limited cooperation with ICE",
    "called on local police to help federal agents with deportations",
    "said the state will send troopers to assist ICE agents",
    "demanded that the city hand over inmates wanted by immigration authorities",
    "expanded the jail's partnership with ICE",
    "told sheriffs they must comply with ICE detainer requests",
    "said the county will notify ICE before releasing anyone in the country illegally",
    "voted to repeal the city's sanctuary ordinance",
    "warned that officials who shield immigrants from ICE could face arrest",
    "praised the sheriff for turning inmates over to federal immigration custody",
    "renewed the county's contract to hold immigration detainees for ICE",
]
AGAINST_ACTS = [
    "said the city will remain a sanctuary city",
    "vowed not to cooperate with ICE",
    "said police will not help federal agents with deportations",
    "ended the county's 287(g) agreement with ICE",
    "signed an order barring ICE agents from city buildings",
    "refused to honor immigration detainers without a judge's warrant",
    "sued the federal government to stop the immigration raids",
    "condemned the ICE raids in the city",
    "vetoed a bill that would have forced sheriffs to work with ICE",
    "said officers will not ask anyone about immigration status",
    "promised to protect immigrant families from deportation",
    "reaffirmed the city's welcoming policy for immigrants",
    "said local resources will not be used to enforce federal immigration law",
    "limited the information the jail shares with ICE",
    "pledged to keep the county a safe place for undocumented residents",
    "voted to strengthen the city's sanctuary ordinance",
    "called the federal deportation operation an attack on the community",
    "ordered police to stay out of federal immigration enforcement",
    "cancelled the county's contract to hold detainees for ICE",
    "said the city will not let its jail be used for deportations",
]
NONE_ACTS = [
    "announced a new budget for road repairs",
    "opened a new branch of the public library",
    "said the city will hire more teachers next year",
    "met with business leaders to discuss downtown parking",
    "spoke at a ceremony honoring veterans",
    "said the county's population grew last year",
    "unveiled a plan to fix the water system",
    "said the jail held about 300 people on an average day",
    "scheduled a public hearing on the new bus routes",
    "said the immigration court in the region has a backlog of cases",
    "released figures on the number of traffic stops last year",
    "said the meeting on the immigration bill will take place on Tuesday",
    "toured the new hospital wing",
    "said the state legislature will return in January",
    "announced that the city's fireworks show will go ahead",
    "said the lawsuit will be heard in federal court next month",
]
FAVOR_QUOTES = [
    "We will honor every detainer ICE sends us",
    "Sanctuary policies protect criminals, not families",
    "Working with ICE keeps dangerous people off our streets",
    "Any city that refuses to cooperate with immigration agents will lose its federal grants",
    "Our deputies will keep turning criminal aliens over to ICE",
    "Local police must help enforce immigration law",
]
AGAINST_QUOTES = [
    "We are not going to cooperate with ICE",
    "Our police officers are not immigration agents",
    "This city will remain a sanctuary for everyone who lives here",
    "We will not hold anyone in our jail for ICE without a warrant",
    "These raids spread fear and we will fight them in court",
    "Our officers will not stand beside federal agents while they take our neighbors",
]
NONE_QUOTES = [
    "The new library will be open seven days a week",
    "We expect the road work to finish by the end of summer",
    "Our budget is balanced for the third year in a row",
    "The hearing will be open to the public",
]
FRAMES = ["{h} {a}.", "On Monday, {h} {a}.", "{h} {a} on Tuesday, according to a statement.", "Last week {h} {a}."]
QUOTE_FRAMES = ["“{q},” {h} said.", "“{q},” {h} told reporters.", "{h} said: “{q}.”"]


def holder(rng: random.Random) -> str:
    k = rng.random()
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    if k < 0.55:
        return f"{rng.choice(PLACES)} {rng.choice(LOCAL_ROLES)} {name}"
    if k < 0.7:
        return f"{rng.choice(STATE_ROLES)} {name}"
    if k < 0.8:
        return f"{rng.choice(FEDERAL)} {name}"
    return rng.choice(GROUPS).capitalize()


def generate(n_per_class: int = 200, seed: int = 7) -> list[tuple[str, str]]:
    """(sentence, label) pairs, `n_per_class` of each of favor / against / none."""
    rng = random.Random(seed)
    out = []
    for label, acts, quotes in (("favor", FAVOR_ACTS, FAVOR_QUOTES), ("against", AGAINST_ACTS, AGAINST_QUOTES), ("none", NONE_ACTS, NONE_QUOTES)):
        for _ in range(n_per_class):
            if rng.random() < 0.7:
                s = rng.choice(FRAMES).format(h=holder(rng), a=rng.choice(acts))
            else:
                s = rng.choice(QUOTE_FRAMES).format(h=holder(rng), q=rng.choice(quotes))
            out.append((s[0].upper() + s[1:], label))
    rng.shuffle(out)
    return out


if __name__ == "__main__":
    for s, l in generate(5):
        print(l, s)
