"""Writes the request targets of the uncached-search load: distinct search queries made from the
ESCO labels (esco.speed_queries: every preferred and alt label, each also half typed and with one
typo; distinct once folded, so no two share a cache entry), shuffled with a fixed seed.

    python3 speed_queries.py SKILLS_CSV LOAD_PATHS CEILING_PATHS [--held-out N] [--seed S]

The last N queries (default 200) go to CEILING_PATHS, not to the load: their responses are recorded
for the ceiling, and recording them must not warm the cache for the load.
"""

import argparse
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import esco  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("skills")
ap.add_argument("load_paths")
ap.add_argument("ceiling_paths")
ap.add_argument("--held-out", type=int, default=200)
ap.add_argument("--seed", type=int, default=10)
ap.add_argument("--limit", type=int, default=10, help="the `limit` of every search")
args = ap.parse_args()

queries = esco.speed_queries(esco.Catalog(esco.load_skills(args.skills)), args.seed, 10**9)
if len(queries) < 50_000 + args.held_out:
    raise SystemExit(f"only {len(queries)} distinct queries: at least 50,000 are needed")
target = lambda q: "/skills?" + urllib.parse.urlencode({"q": q, "limit": args.limit})  # noqa: E731
with open(args.load_paths, "w", encoding="utf-8") as f:
    f.writelines(target(q) + "\n" for q in queries[: -args.held_out])
with open(args.ceiling_paths, "w", encoding="utf-8") as f:
    f.writelines(target(q) + "\n" for q in queries[-args.held_out :])
print(len(queries) - args.held_out)
