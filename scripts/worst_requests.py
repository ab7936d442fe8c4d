#!/usr/bin/env python3
"""The costliest single requests on a catalog: server CPU time per request (loopback, bounded).

Starts the server (1 worker, pinned to CPU 0) over the given database and sends, one at a time
on a keep-alive connection, a few thousand distinct requests of every kind a client can make:
searches (`/skills`, `/search`) built from the catalog's labels (as written, half-typed,
misspelt in every word, 16 misspelt words, common words on the first page, on the deepest page
of the search window (offset 900, limit 100) and past it (refused), 50-slug category filters),
autocomplete prefixes, extraction bodies of the largest size accepted (32 KiB) of several shapes
(one shared label repeated, prose, every label, one-letter words, one long word, misspelt
words) in each encoding (a larger one is refused 413 before its body is read: tests/api),
exports in every format and encoding (the first of each is the per-catalog build, listed
apart), pages of lists and details. Each request's cost is the CPU time the server's threads
used while it was answered (the sum of /proc/PID/task/*/schedstat, nanoseconds), so other load
on the machine does not count directly. The 20 costliest are then replayed on `--confirm` (3)
fresh servers (uncached, after one request of each kind warms them), so that a figure the machine inflated (on a shared VM a thread's CPU
time includes what the hypervisor took) is told from what the request costs: each is printed
with every figure and their median. Then, per kind, the count, p50, p99 and max of the sweep,
and a summary line: the worst single figure and the worst median (`pass`, `pass_median`:
<= 10 ms). JSON lines.

  python3 scripts/worst_requests.py --database-url sqlite:///tmp/esco.db \\
      --csv data/esco/esco_skills_en.csv [--bin target/release/powerskills] [--sample 1500] [--confirm 3]

Target (issue #15): no request over 10 ms of CPU on the ESCO catalog.
"""

import argparse
import csv
import glob
import http.client
import json
import random
import subprocess
import sys
import time
import urllib.parse


# The largest extraction body accepted (ExtractText::MAX_BYTES, 32 KiB; 100 KiB until branch `bound`).
MAX_EXTRACT = 32 * 1024


def cpu_ns(pid):
    total = 0
    for path in glob.glob(f"/proc/{pid}/task/*/schedstat"):
        try:
            with open(path) as f:
                total += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return total


def start_server(args):
    command = ["taskset", "-c", "0", args.bin, "serve", "--bind", "127.0.0.1:0", "--database-url",
               args.database_url, "--workers", "1", "--log-format", "json",
               "--log-level", "warn,powerskills::cli=info,powerskills::access=off"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in server.stderr:
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event.get("message") == "serving":
            return server, int(event["port"])
    sys.exit(f"the server did not start (exit {server.poll()})")


def misspell(word, rng):
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1:] if rng.random() < 0.5 else word[:i] + word[i + 1] + word[i] + word[i + 2:]


def candidates(labels, descriptions, slugs, rng, sample):
    q = urllib.parse.quote
    chosen = rng.sample(labels, min(sample, len(labels)))
    words = sorted({w for label in labels for w in label.split() if w.isalpha()})
    for label in chosen:
        half = label[: max(1, len(label) * 2 // 3)]
        typo = " ".join(misspell(w, rng) for w in label.split())
        for kind, text in (("label", label), ("half-typed", half), ("misspelt", typo)):
            yield f"skills-search/{kind}", "GET", f"/skills?q={q(text)}&limit=100", None, {}
            yield f"search/{kind}", "GET", f"/search?q={q(text)}&limit=100", None, {}
        yield "autocomplete", "GET", f"/skills/autocomplete?q={q(half)}&limit=10", None, {}
    for n in range(200):
        sixteen = " ".join(misspell(rng.choice(words), rng) for _ in range(16))
        yield "skills-search/16-misspelt", "GET", f"/skills?q={q(sixteen)}&limit=100", None, {}
        yield "search/16-misspelt", "GET", f"/search?q={q(sixteen)}&limit=100", None, {}
        yield "autocomplete/short", "GET", f"/skills/autocomplete?q={q(rng.choice(words)[:1 + n % 3])}&limit=100", None, {}
    for word in ("and", "of", "the", "management", "manage", "use", "a", "data", "skills", "work"):
        # 900: the last page of the search window (offset + limit <= 1000); past it, a 400.
        for offset in (0, 900, 1000, 5000, 2147483647):
            yield "skills-search/common", "GET", f"/skills?q={word}&offset={offset}&limit=100", None, {}
            yield "search/common", "GET", f"/search?q={word}&offset={offset}&limit=100", None, {}
        many = ",".join(rng.sample(slugs, min(50, len(slugs))))
        yield "skills-search/50-categories", "GET", f"/skills?q={word}&category={many}&limit=100", None, {}
        yield "skills/50-categories", "GET", f"/skills?category={many}&limit=100&offset=13000", None, {}
    for offset in (0, 5000, 13900, 2147483647):
        yield "skills/page", "GET", f"/skills?limit=100&offset={offset}", None, {}
        yield "faqs/page", "GET", f"/faqs?limit=100&offset={offset}", None, {}
    prose = " ".join(descriptions)
    shapes = {
        "ict": "ict " * (MAX_EXTRACT // 4),
        "prose": prose[:MAX_EXTRACT],
        "labels": " ".join(labels)[:MAX_EXTRACT],
        "one-letter": "a " * (MAX_EXTRACT // 2),
        "one-word": "x" * MAX_EXTRACT,
        "typos": " ".join(misspell(w, rng) for w in rng.choices(words, k=20000))[:MAX_EXTRACT],
    }
    for shape, text in shapes.items():
        for encoding in ("identity", "gzip", "br"):
            # distinct bodies: nothing is served from a cache
            body = (text[:-12] + f" {rng.randrange(10**10):010d} ").encode()[:MAX_EXTRACT]
            yield f"extract/{shape}", "POST", "/skills/extract", body, {
                "Content-Type": "text/plain", "Accept-Encoding": encoding}
    for resource in ("skills", "categories", "faqs"):
        for fmt in ("ndjson", "csv", "json"):
            for encoding in ("identity", "gzip", "br", "zstd"):
                for attempt in ("first", "again"):
                    yield f"export/{attempt}", "GET", f"/{resource}/export?format={fmt}", None, {
                        "Accept-Encoding": encoding}


class Server:
    """One server process and a keep-alive connection to it; `send` measures one request."""

    def __init__(self, args):
        self.process, port = start_server(args)
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        # The first request of a fresh server pays its warm-up (~20 ms): this one, unmeasured.
        self.conn.request("GET", "/categories")
        self.slugs = [c["slug"] for c in json.loads(self.conn.getresponse().read())["data"]]

    def send(self, method, path, body, headers):
        pid = self.process.pid
        before, started = cpu_ns(pid), time.monotonic()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        size = len(response.read())
        return response.status, size, (cpu_ns(pid) - before) / 1e6, (time.monotonic() - started) * 1000

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default="target/release/powerskills")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--csv", default="data/esco/esco_skills_en.csv", help="ESCO skills CSV: labels, prose")
    parser.add_argument("--sample", type=int, default=1500, help="labels sampled for the searches")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--confirm", type=int, default=3,
                        help="fresh servers the 20 costliest requests are replayed on (0: none)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with open(args.csv, newline="") as f:
        rows = list(csv.DictReader(f))
    labels = [r["preferredLabel"] for r in rows] + [a for r in rows for a in r["altLabels"].split("|") if a]
    descriptions = [r["description"] for r in rows]

    server = Server(args)
    results = []
    try:
        for request in candidates(labels, descriptions, server.slugs, rng, args.sample):
            kind, method, path, body, headers = request
            status, size, cpu, wall = server.send(method, path, body, headers)
            results.append({"kind": kind, "request": f"{method} {path[:160]}" + (f" ({len(body)} B, {headers.get('Accept-Encoding')})" if body else ""),
                            "accept_encoding": headers.get("Accept-Encoding"), "status": status, "bytes": size,
                            "cpu_ms": round(cpu, 2), "wall_ms": round(wall, 2), "_request": request})
    finally:
        server.stop()
    per_request = [r for r in results if r["kind"] != "export/first"]
    top = sorted(per_request, key=lambda r: -r["cpu_ms"])[:20]

    # A single figure can be the machine's, not the request's: on a shared VM the CPU time of a
    # thread includes time the hypervisor took (steal), and the same request costs x1.4-1.6 more
    # in one run than in another. Each of the 20 costliest is replayed, uncached, on `--confirm`
    # fresh servers; its median over the sweep and the replays is what the request costs.
    replays = {id(r): [r["cpu_ms"]] for r in top}
    # A fresh server's first large search or extraction also pays for memory the allocator has
    # not handed out yet (page faults), which the sweep paid long before: each replay server is
    # first warmed, unmeasured, with one request of every kind that is not among the 20.
    chosen = {id(r) for r in top}
    warm = {}
    for r in results:
        if id(r) not in chosen and not r["kind"].startswith("export/"):
            warm.setdefault(r["kind"], r["_request"])
    for _ in range(args.confirm):
        server = Server(args)
        try:
            for kind, method, path, body, headers in warm.values():
                server.send(method, path, body, headers)
            for r in top:
                kind, method, path, body, headers = r["_request"]
                if kind == "export/again":
                    server.send(method, path, body, headers)  # its first build, unmeasured
                replays[id(r)].append(round(server.send(method, path, body, headers)[2], 2))
        finally:
            server.stop()
    for r in top:
        cpus = sorted(replays[id(r)])
        r["cpu_ms_runs"], r["cpu_ms_median"] = replays[id(r)], cpus[len(cpus) // 2]
    for r in results:
        del r["_request"]
    for r in top:
        print(json.dumps(r))
    kinds = {}
    for r in results:
        kinds.setdefault(r["kind"], []).append(r["cpu_ms"])
    for kind, cpus in sorted(kinds.items()):
        cpus.sort()
        print(json.dumps({"kind": kind, "count": len(cpus), "cpu_p50_ms": cpus[len(cpus) // 2],
                          "cpu_p99_ms": cpus[min(len(cpus) - 1, len(cpus) * 99 // 100)], "cpu_max_ms": cpus[-1]}))
    worst = top[0]
    confirmed = max(top, key=lambda r: r["cpu_ms_median"])
    print(json.dumps({"requests": len(results), "worst_cpu_ms": worst["cpu_ms"], "worst": worst["request"],
                      "worst_median_cpu_ms": confirmed["cpu_ms_median"], "worst_median": confirmed["request"],
                      "pass": worst["cpu_ms"] <= 10, "pass_median": confirmed["cpu_ms_median"] <= 10}))


if __name__ == "__main__":
    main()
