"""The seed catalog's hot reads and the #11 hot-path targets, from one run's paired rounds.

hot.tsv (bench/run.sh writes it): scenario, round, side ("server" or "reference"),
"rps p50 p99 errors requests seconds". The reference is the ceiling, except for the rate-limit
row, whose reference is the same server with rate limiting off, and the diagnostic 304 row
("... same headers"), whose reference is the ceiling sending powerskills' 304 headers; that row
is reported but checked against no target.

Each round gives one ratio (server req/s over reference req/s, loads seconds apart) and one p99
ratio. Prints two markdown tables: the scenarios (medians over rounds, and the range of the
ratio), then each target checked on the median ratio.
"""
import statistics
import sys
from collections import defaultdict

# scenario -> round -> side -> (rps, p99, errors)
runs = defaultdict(lambda: defaultdict(dict))
for line in open(sys.argv[1], encoding="utf-8"):
    name, round_, side, res = line.rstrip("\n").split("\t")
    rps, _, p99, errors, *_ = res.split()
    runs[name][int(round_)][side] = (float(rps), float(p99), int(errors))


def median(values):
    return statistics.median(values)


summary = {}
print("| scenario | req/s | p99 ms | reference req/s | reference p99 ms | errors | ratio, median | ratio, range |")
print("|---|---:|---:|---:|---:|---:|---:|---|")
for name, rounds in runs.items():
    pairs = [r for r in rounds.values() if "server" in r and "reference" in r]
    ratios = [r["server"][0] / r["reference"][0] for r in pairs]
    p99_ratios = [r["server"][1] / r["reference"][1] for r in pairs]
    errors = sum(r["server"][2] + r["reference"][2] for r in pairs)
    summary[name] = (median(ratios), median(p99_ratios))
    print(
        f"| {name} | {median(r['server'][0] for r in pairs):.0f} | {median(r['server'][1] for r in pairs):.3f} "
        f"| {median(r['reference'][0] for r in pairs):.0f} | {median(r['reference'][1] for r in pairs):.3f} "
        f"| {errors} | {median(ratios):.2f}× | {min(ratios):.2f}–{max(ratios):.2f}× |"
    )

print()
print("| target | scenario | median over rounds | |")
print("|---|---|---:|---|")


def check(target, name, value, bound, at_least=True):
    met = value >= bound if at_least else value <= bound
    print(f"| {target} | {name} | {value:.2f}× | {'met' if met else 'missed'} |")


for name, (ratio, p99_ratio) in summary.items():
    if "same headers" in name:
        continue  # a diagnostic reference, not a target (BENCHMARKS.md, "What the 304 row measures")
    if name.endswith("(log off)"):
        check("hot read, log off ≥ 0.9× ceiling", name, ratio, 0.9)
    elif "log on" in name:
        check("hot read, JSON access log to a file ≥ 0.75× ceiling", name, ratio, 0.75)
    elif name == "304 revalidation":
        check("304 ≥ 0.95× ceiling", name, ratio, 0.95)
    if "rate limit on" in name:
        check("rate limit on ≥ 0.85× off", name, ratio, 0.85)
    else:
        check("p99 ≤ 1.5× the ceiling's", name, p99_ratio, 1.5, at_least=False)
