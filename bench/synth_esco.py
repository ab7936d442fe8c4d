#!/usr/bin/env python3
"""A deterministic synthetic stand-in for the ESCO skills files, of the same size and shape
(13,939 skills, ~83k alt labels, 687 groups in 4 levels), kept for comparing with
benchmark runs made before the real data was vendored in data/esco/. Usage: synth_esco.py OUTDIR  (writes esco_skills_en.csv, esco_skill_groups_en.csv)"""
import csv, os, random, sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = random.Random(20261128)
words = ("data manage design analyse apply software machine learning marketing supply chain customer "
         "service quality safety digital content network security finance budget project team train "
         "teach clinical patient legal contract energy engine vehicle food production music art media "
         "research report plan monitor develop operate maintain install test evaluate assess communicate "
         "negotiate coordinate lead organise inspect repair measure calculate process record translate").split()

groups = [("S", "", "", 0), ("K", "", "", 0), ("T", "", "", 0), ("L", "", "", 0), ("A", "", "", 0)]
codes3 = []
for root in "SKTLA":
    for a in range(1, 7):
        c1 = f"{root}{a}"
        groups.append((c1, " ".join(rng.sample(words, 3)), root, 1))
        for b in range(0, 5):
            c2 = f"{c1}.{b}"
            groups.append((c2, " ".join(rng.sample(words, 3)), c1, 2))
            for c in range(0, 4):
                c3 = f"{c2}.{c}"
                if len(groups) < 687:
                    groups.append((c3, " ".join(rng.sample(words, 3)), c2, 3))
                    codes3.append(c3)
groups = groups[:687]
with open(os.path.join(out, "esco_skill_groups_en.csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["code", "label", "parentCode", "level"])
    w.writerows(groups)

seen = set()
with open(os.path.join(out, "esco_skills_en.csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["conceptUri", "preferredLabel", "altLabels", "skillType", "description", "skillGroupCodes"])
    i = 0
    while i < 13939:
        label = " ".join(rng.sample(words, rng.randint(2, 4)))
        if label in seen:
            continue
        seen.add(label)
        alts = "|".join(" ".join(rng.sample(words, rng.randint(2, 4))) for _ in range(rng.randint(3, 9)))
        desc = " ".join(rng.choice(words) for _ in range(rng.randint(15, 40))).capitalize() + "."
        kind = rng.choice(["skill/competence", "skill/competence", "knowledge"])
        codes = ";".join(rng.sample(codes3, rng.randint(0, 3)))
        w.writerow([f"http://example.org/synthetic/skill/{i:05d}", label, alts, kind, desc, codes])
        i += 1
