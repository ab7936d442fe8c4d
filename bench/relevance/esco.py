"""The ESCO skills file, and the deterministic query cases built from it.

Everything here is a pure function of data/esco/esco_skills_en.csv and a seed: the same files and
seed give the same cases, byte for byte, on any machine (Python's `random.Random(seed)` is stable
across versions for `random()`, `randrange()`, `choice()` and `shuffle()` on the same input).
"""

from __future__ import annotations

import csv
import random
import re
import unicodedata
from dataclasses import dataclass, field

# A word is a run of letters and digits, as the server's query parser and FTS5's unicode61 see it.
WORD = re.compile(r"[^\W_]+")
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def fold(text: str) -> str:
    """Case- and accent-folded text."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return WORD.findall(fold(text))


def same(text: str) -> str:
    """Two labels with the same text, case- and accent-folded (whitespace runs as one space)."""
    return " ".join(fold(text).split())


def key(text: str) -> str:
    """Two texts with the same key are the same query to a search engine that folds case and
    accents and ignores punctuation (the server's cache key is this, too)."""
    return " ".join(words(text))


@dataclass
class Skill:
    uri: str
    name: str
    aliases: list[str]
    description: str


def load_skills(path: str) -> list[Skill]:
    with open(path, encoding="utf-8", newline="") as f:
        return [
            Skill(
                uri=row["conceptUri"],
                name=row["preferredLabel"],
                aliases=[a for a in row["altLabels"].split("|") if a.strip()],
                description=row["description"],
            )
            for row in csv.DictReader(f)
        ]


@dataclass
class Case:
    cls: str
    query: str
    expected: list[str]  # conceptUris; a hit on any of them counts
    label: str  # the label the case was made from (or the expected label, for phrases)
    note: str = ""
    ranks: dict[str, int | None] = field(default_factory=dict)  # engine -> 1-based rank in the top 10
    empty: dict[str, bool] = field(default_factory=dict)  # engine -> found nothing at all


CLASSES = {
    "exact": "preferred label",
    "short": "preferred label of at most two words",
    "alias": "alt label of exactly one skill",
    "typo": "preferred label with one edit",
    "prefix": "label typed so far (last word half typed)",
    "phrase": "hand-written phrases (phrases.tsv)",
}


class Catalog:
    def __init__(self, skills: list[Skill]):
        self.skills = skills
        self.by_name: dict[str, list[str]] = {}
        for s in skills:
            self.by_name.setdefault(same(s.name), []).append(s.uri)
        alias_owners: dict[str, set[str]] = {}
        for s in skills:
            for a in s.aliases:
                alias_owners.setdefault(same(a), set()).add(s.uri)
        self.alias_owners = alias_owners
        self.uris = {s.uri for s in skills}
        self.name_of = {s.uri: s.name for s in skills}

    def same_name(self, skill: Skill) -> list[str]:
        """Every skill whose preferred label is this one's (folded): a hit on any counts."""
        return sorted(self.by_name[same(skill.name)])


def _sample(items: list, n: int | None, rng: random.Random) -> list:
    if n is None or n >= len(items):
        return list(items)
    return rng.sample(items, n)


def exact_cases(cat: Catalog, n: int | None, seed: int) -> list[Case]:
    rng = random.Random(f"{seed}:exact")
    return [Case("exact", s.name, cat.same_name(s), s.name) for s in _sample(cat.skills, n, rng)]


def short_cases(cat: Catalog, n: int | None, seed: int) -> list[Case]:
    rng = random.Random(f"{seed}:short")
    short = [s for s in cat.skills if len(s.name.split()) <= 2]
    return [Case("short", s.name, cat.same_name(s), s.name) for s in _sample(short, n, rng)]


def alias_cases(cat: Catalog, n: int | None, seed: int) -> list[Case]:
    """Alt labels that belong to exactly one skill and are no skill's preferred label."""
    rng = random.Random(f"{seed}:alias")
    pool = []
    seen = set()
    for s in cat.skills:
        for a in s.aliases:
            k = same(a)
            if not key(a) or k in seen or len(cat.alias_owners[k]) != 1 or k in cat.by_name:
                continue
            seen.add(k)
            pool.append(Case("alias", a, [s.uri], a, note=f"alt label of {s.name!r}"))
    return _sample(pool, n, rng)


EDITS = ("substitution", "deletion", "insertion", "transposition")


def one_edit(word: str, rng: random.Random) -> tuple[str, str]:
    """One edit of `word` (≥ 5 letters), never on its first letter: (edited word, what was done)."""
    op = rng.choice(EDITS)
    n = len(word)
    if op == "substitution":
        i = rng.randrange(1, n)
        c = rng.choice([c for c in LETTERS if c != word[i]])
        return word[:i] + c + word[i + 1 :], f"substitution {word[i]}->{c} at {i}"
    if op == "deletion":
        i = rng.randrange(1, n)
        return word[:i] + word[i + 1 :], f"deletion of {word[i]} at {i}"
    if op == "insertion":
        i = rng.randrange(1, n + 1)
        c = rng.choice(LETTERS)
        return word[:i] + c + word[i:], f"insertion of {c} at {i}"
    spots = [i for i in range(1, n - 1) if word[i] != word[i + 1]]
    if not spots:  # "aaaaa": no transposition changes it; substitute instead
        i = rng.randrange(1, n)
        c = rng.choice([c for c in LETTERS if c != word[i]])
        return word[:i] + c + word[i + 1 :], f"substitution {word[i]}->{c} at {i}"
    i = rng.choice(spots)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :], f"transposition at {i}"


def typo_cases(cat: Catalog, n: int | None, seed: int) -> list[Case]:
    """A preferred label with one edit in one of its words of 5 or more letters (ASCII letters
    only, so the edit is a real typo of a word people type)."""
    rng = random.Random(f"{seed}:typo")
    pool = []
    for s in cat.skills:
        tokens = s.name.split(" ")
        eligible = [i for i, t in enumerate(tokens) if re.fullmatch(r"[A-Za-z]{5,}", t)]
        if eligible:
            pool.append((s, tokens, eligible))
    out = []
    for s, tokens, eligible in _sample(pool, n, rng):
        i = rng.choice(eligible)
        edited, what = one_edit(tokens[i].lower(), rng)
        query = " ".join(tokens[:i] + [edited] + tokens[i + 1 :])
        out.append(Case("typo", query, cat.same_name(s), s.name, note=f"{tokens[i]} -> {edited} ({what})"))
    return out


def prefix_of(label: str) -> str | None:
    """Every word but the last, plus the first half (rounded up) of the last word's letters and
    digits; None when the last word has fewer than 4 (its half would be 1 letter or all of it)."""
    tokens = label.split()
    m = re.match(r"[^\W_]+", tokens[-1]) if tokens else None
    if not m or len(m.group(0)) < 4:
        return None
    last = m.group(0)
    return " ".join(tokens[:-1] + [last[: (len(last) + 1) // 2]])


def prefix_cases(cat: Catalog, n: int | None, seed: int) -> list[Case]:
    rng = random.Random(f"{seed}:prefix")
    pool = [(s, p) for s in cat.skills if (p := prefix_of(s.name))]
    return [Case("prefix", p, cat.same_name(s), s.name) for s, p in _sample(pool, n, rng)]


def phrase_cases(path: str, cat: Catalog) -> list[Case]:
    """The hand-written phrases: phrase, expected URIs (`|`), their labels (` | `), reason.
    Lines starting with `#` are comments; the first other line is the header."""
    out = []
    header = True
    with open(path, encoding="utf-8", newline="") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            if header:
                header = False
                continue
            phrase, uris, labels, reason = line.split("\t")
            expected, names = uris.split("|"), labels.split(" | ")
            if len(expected) != len(names):
                raise SystemExit(f"{path}:{lineno}: {len(expected)} URIs but {len(names)} labels")
            for uri, name in zip(expected, names):
                if uri not in cat.uris:
                    raise SystemExit(f"{path}:{lineno}: {uri} is not in the ESCO skills file")
                if cat.name_of[uri] != name:
                    raise SystemExit(f"{path}:{lineno}: {uri} is {cat.name_of[uri]!r}, not {name!r}")
            out.append(Case("phrase", phrase, expected, labels, note=reason))
    return out


def all_cases(cat: Catalog, n: int | None, seed: int, phrases: str) -> list[Case]:
    return (
        exact_cases(cat, n, seed)
        + short_cases(cat, n, seed)
        + alias_cases(cat, n, seed)
        + typo_cases(cat, n, seed)
        + prefix_cases(cat, n, seed)
        + phrase_cases(phrases, cat)
    )


def speed_queries(cat: Catalog, seed: int, at_most: int) -> list[str]:
    """Distinct queries for the uncached-search load: every preferred and alt label, each also
    half typed and with one typo, shuffled; distinct by `key`, so no two share a cache entry."""
    rng = random.Random(f"{seed}:speed")
    labels = [s.name for s in cat.skills] + [a for s in cat.skills for a in s.aliases]
    forms = []
    for label in labels:
        forms.append(label)
        if p := prefix_of(label):
            forms.append(p)
        tokens = label.split(" ")
        eligible = [i for i, t in enumerate(tokens) if re.fullmatch(r"[A-Za-z]{5,}", t)]
        if eligible:
            i = rng.choice(eligible)
            forms.append(" ".join(tokens[:i] + [one_edit(tokens[i].lower(), rng)[0]] + tokens[i + 1 :]))
    seen, out = set(), []
    for q in forms:
        k = " ".join(words(q)[:16])  # the server searches (and caches by) a query's first 16 words
        if k and k not in seen and len(q) <= 200:
            seen.add(k)
            out.append(q)
    rng.shuffle(out)
    return out[:at_most]
