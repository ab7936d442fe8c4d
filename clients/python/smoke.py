"""A third-party client against a real server: the Python package openapi-python-client generates
from openapi/openapi.json (run.sh generates it; it is not committed), used on its own.

    python smoke.py /path/to/powerskills

Starts the server on a free port of 127.0.0.1 (port 0, read from its `serving` log line) over a
fresh seed database, then lists categories, filters skills by category, reads a skill, searches,
autocompletes, extracts (JSON body) and parses a 404 into the generated `Problem`; every call goes
through the generated client, and every answer must match its model exactly (no field the model
does not know). Prints one line per check; exits 1 on the first failure.
"""

import json
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from powerskills_client import Client
from powerskills_client.api.categories import list_categories
from powerskills_client.api.health import get_readiness
from powerskills_client.api.search import search_catalog
from powerskills_client.api.skills import autocomplete_skills, extract_skills, get_skill, list_skills, lookup_skills
from powerskills_client.models import (
    CategoryList,
    ExtractRequest,
    ExtractResponse,
    HitField,
    HitType,
    LabelKind,
    LookupRequest,
    LookupResult,
    MatchType,
    Problem,
    ReadinessStatus,
    RelatedBasis,
    SearchPage,
    SkillDetail,
    SkillPage,
    SuggestionList,
)


def check(ok: bool, what: str, detail: object = "") -> None:
    print(f"{'ok  ' if ok else 'FAIL'} {what}" + (f": {detail}" if not ok and detail != "" else ""))
    if not ok:
        sys.exit(1)


def equal(actual: object, expected: object, what: str) -> None:
    check(actual == expected, what, f"got {actual!r}, expected {expected!r}")


def strict(model: object, what: str) -> None:
    """The answer has no field the generated model does not know, at any depth."""
    extra: list[str] = []

    def walk(value: object, at: str) -> None:
        if isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{at}[{i}]")
        elif hasattr(value, "additional_properties"):
            extra.extend(f"{at}.{key}" for key in value.additional_properties)
            for name in value.__attrs_attrs__:
                if name.name != "additional_properties":
                    walk(getattr(value, name.name), f"{at}.{name.name}")

    walk(model, what)
    equal(extra, [], f"{what} matches the generated model exactly")


def start_server(binary: str, work: Path) -> tuple[subprocess.Popen, str]:
    server = subprocess.Popen(
        [binary, "serve", "--bind", "127.0.0.1:0", "--database-url", f"sqlite://{work / 'seed.db'}",
         "--workers", "1", "--log-format", "json", "--log-level", "info,powerskills::access=off"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    assert server.stdout is not None
    for line in server.stdout:  # ends when the server exits
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue
        if event.get("message") == "serving":
            # Keep reading its log, so that a full pipe never blocks the server.
            threading.Thread(target=server.stdout.read, daemon=True).start()
            return server, f"http://127.0.0.1:{event['port']}"
    sys.exit(f"the server exited ({server.wait()}) before serving")


def tour(client: Client) -> None:
    # /readyz answers 200 once the database is migrated; the server logs `serving` after that.
    ready = get_readiness.sync(client=client)
    equal(ready.status if ready else None, ReadinessStatus.READY, "GET /readyz: ready")

    categories = list_categories.sync(client=client)
    check(isinstance(categories, CategoryList), "GET /categories parses into CategoryList")
    equal([c.slug for c in categories.data], ["marketing", "ai", "blockchain", "ecommerce"],
          "the four seed categories, in catalog order")
    strict(categories, "CategoryList")

    ai = list_skills.sync(client=client, category="ai")
    check(isinstance(ai, SkillPage), "GET /skills?category=ai parses into SkillPage")
    equal([s.name for s in ai.data], ["Natural Language Processing (NLP)", "Machine Learning Engineering"],
          "category=ai lists NLP then Machine Learning Engineering")
    equal((ai.total, ai.limit, ai.offset), (2, 50, 0), "total 2, the default page")
    strict(ai, "SkillPage")

    nlp = get_skill.sync(client=client, slug="nlp")
    check(isinstance(nlp, SkillDetail), "GET /skills/nlp parses into SkillDetail")
    equal(nlp.name, "Natural Language Processing (NLP)", "the skill's name")
    check("natural language processing" in nlp.aliases, "its aliases include natural language processing", nlp.aliases)
    equal([(r.slug, r.basis) for r in nlp.related][:1], [("machine-learning-engineering", RelatedBasis.SAME_CATEGORY)],
          "its first related skill, with the basis as the generated enum")
    strict(nlp, "SkillDetail")

    hits = search_catalog.sync(client=client, q="blockchain", type_=HitType.SKILL)
    check(isinstance(hits, SearchPage), "GET /search?q=blockchain&type=skill parses into SearchPage")
    equal([(h.type_, h.key, h.matched) for h in hits.data],
          [(HitType.SKILL, "smart-contract-development", HitField.DESCRIPTION)],
          "one skill hit, typed by the generated enums")
    strict(hits, "SearchPage")

    suggestions = autocomplete_skills.sync(client=client, q="mach")
    check(isinstance(suggestions, SuggestionList), "GET /skills/autocomplete?q=mach parses into SuggestionList")
    first = suggestions.data[0]
    equal((first.slug, first.matched, first.match_type),
          ("machine-learning-engineering", LabelKind.NAME, MatchType.PREFIX), "the first suggestion")
    strict(suggestions, "SuggestionList")

    # The generated client sends the JSON body (it skips the text/plain one; see README, Clients).
    text = "Hiring an ML engineer with SEO and smart contracts experience"
    found = extract_skills.sync(client=client, body=ExtractRequest(text=text))
    check(isinstance(found, ExtractResponse), "POST /skills/extract (JSON body) parses into ExtractResponse")
    mentions = [(s.slug, [(m.start, m.end, m.surface) for m in s.matches]) for s in found.data]
    for slug, spans in mentions:
        for start, end, surface in spans:
            equal(text[start:end], surface, f"{slug}: the offsets {start}..{end} point at {surface!r}")
    equal([slug for slug, _ in mentions], ["machine-learning-engineering", "seo", "smart-contract-development"],
          "the three skills, in order of first mention")
    strict(found, "ExtractResponse")

    cv = lookup_skills.sync(client=client, body=LookupRequest(slugs=["seo", "NLP", "underwater-basket-weaving"]))
    check(isinstance(cv, LookupResult), "POST /skills/lookup parses into LookupResult")
    equal(([s.slug for s in cv.data], cv.not_found.slugs, cv.removed), (["seo", "nlp"], ["underwater-basket-weaving"], []),
          "the skills in the order asked, and the slug that names nothing")
    strict(cv, "LookupResult")

    missing = get_skill.sync_detailed(client=client, slug="underwater-basket-weaving")
    equal(int(missing.status_code), 404, "GET /skills/underwater-basket-weaving answers 404")
    problem = missing.parsed
    check(isinstance(problem, Problem), "the 404 parses into the generated Problem", type(problem))
    equal((problem.type_, problem.title, problem.status), ("urn:powerskills:problem:not-found", "Not found", 404),
          "the problem's type, title and status")
    equal(problem.detail, "no skill has the slug `underwater-basket-weaving`", "its detail")
    strict(problem, "Problem")


def main() -> None:
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/debug/powerskills"
    with tempfile.TemporaryDirectory(prefix="powerskills-python-") as work:
        server, base = start_server(binary, Path(work))
        try:
            print(f"---- server at {base}")
            with Client(base_url=base, raise_on_unexpected_status=True) as client:
                tour(client)
        finally:
            server.terminate()
            server.wait()
    print("all checks passed")


if __name__ == "__main__":
    main()
