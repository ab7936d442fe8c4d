"""Checks the #11 hot-path targets against one run's rows (bench/run.sh writes both files).

rows.tsv: catalog, scenario, "rps p50 p99 errors requests seconds", "ceil:<key>"
ceiling.tsv: key, "rps p50 p99 errors requests seconds"
Prints a markdown table: each target, the measured figure, met or missed.
"""
import sys

rows, ceiling = {}, {}
for line in open(sys.argv[1], encoding="utf-8"):
    catalog, name, res, key = line.rstrip("\n").split("\t")
    if catalog == "seed":
        rps, _, p99, *_ = res.split()
        rows[name] = (float(rps), float(p99), key.removeprefix("ceil:"))
for line in open(sys.argv[2], encoding="utf-8"):
    key, res = line.rstrip("\n").split("\t")
    rps, _, p99, *_ = res.split()
    ceiling[key] = (float(rps), float(p99))

print("| target | scenario | measured | |")
print("|---|---|---:|---|")


def check(target, name, value, bound, at_least=True):
    met = value >= bound if at_least else value <= bound
    print(f"| {target} | {name} | {value:.2f}× | {'met' if met else 'missed'} |")


for name, (rps, p99, key) in rows.items():
    c_rps, c_p99 = ceiling[key]
    if name.endswith("(log off)"):
        check("hot read, log off ≥ 0.9× ceiling", name, rps / c_rps, 0.9)
    elif "log on" in name:
        check("hot read, JSON access log to a file ≥ 0.75× ceiling", name, rps / c_rps, 0.75)
    elif name == "304 revalidation":
        check("304 ≥ 0.95× ceiling", name, rps / c_rps, 0.95)
    if "rate limit on" not in name:
        check("p99 ≤ 1.5× the ceiling's", name, p99 / c_p99, 1.5, at_least=False)
on = next((v for n, v in rows.items() if "rate limit on" in n), None)
off = rows.get("/skills?category=ai (log off)")
if on and off:
    check("rate limit on ≥ 0.85× off", "/skills?category=ai", on[0] / off[0], 0.85)
