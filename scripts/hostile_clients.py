#!/usr/bin/env python3
"""Clients that never read: server memory before, during and after (loopback only, bounded).

Starts the server (1 worker, pinned to CPU 0) on 127.0.0.1 over the given database, opens
CONNECTIONS connections that each send PIPELINE copies of one GET request and never read a byte,
holds them HOLD seconds while sampling the server's RSS (VmRSS) and timing a cheap `/healthz`
from a well-behaved client, then closes them and samples RSS again after SETTLE seconds.
Prints one JSON line of figures. The server is stopped on exit; everything is on 127.0.0.1.

  python3 scripts/hostile_clients.py --bin target/release/powerskills \\
      --database-url sqlite:///tmp/esco.db --path '/skills/export?format=ndjson' --pipeline 3

Pass (issue #15): peak RSS - RSS before <= 64 MiB, and RSS after close within 64 MiB of before.
"""

import argparse
import json
import select
import socket
import subprocess
import sys
import time

def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def held_by_server(port):
    """The server's established connections on PORT (its side of them, from `ss`).

    A connection the server dropped for its write timeout is not reset: the kernel ends the
    orphaned socket quietly (TCP_USER_TIMEOUT), so the client side of a peer that sends nothing
    more still looks established. What the server still holds is the figure that counts.
    """
    out = subprocess.run(["ss", "-Htn", "state", "established", f"( sport = :{port} )"],
                         capture_output=True, text=True, check=True).stdout
    return sum(1 for line in out.splitlines() if line.strip())


def get(port, path, timeout=10.0):
    """One request on a fresh connection; returns (status line, seconds)."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    return answer.split(b"\r\n", 1)[0].decode(errors="replace"), time.monotonic() - started


def start_server(args):
    command = [args.bin, "serve", "--bind", "127.0.0.1:0", "--database-url", args.database_url,
               "--workers", "1", "--log-format", "json",
               "--log-level", "warn,powerskills::cli=info,powerskills::access=off"]
    if args.write_timeout is not None:
        command += ["--write-timeout", str(args.write_timeout)]
    if args.max_connections is not None:
        command += ["--max-connections", str(args.max_connections)]
    server = subprocess.Popen(["taskset", "-c", "0", *command], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    # The port is the one the server reports having bound.
    deadline = time.monotonic() + 120
    for line in server.stderr:
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event.get("message") == "serving":
            port = int(event["port"])
            break
        if time.monotonic() > deadline:
            break
    else:
        sys.exit(f"the server did not start (exit {server.poll()})")
    while get(port, "/readyz")[0] != "HTTP/1.1 200 OK":
        time.sleep(0.05)  # polling interval; /readyz decides
    return server, port


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default="target/release/powerskills")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--path", default="/openapi.json")
    parser.add_argument("--accept-encoding", default=None, help="sent with each attacking request")
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--pipeline", type=int, default=50, help="requests sent on each connection")
    parser.add_argument("--hold", type=float, default=40.0, help="seconds the connections stay open")
    parser.add_argument("--settle", type=float, default=5.0, help="seconds after close before the last sample")
    parser.add_argument("--write-timeout", type=int, default=None, help="passed as --write-timeout (new builds)")
    parser.add_argument("--max-connections", type=int, default=None)
    parser.add_argument("--rcvbuf", type=int, default=0, help="SO_RCVBUF of the attacking sockets (0: the system's)")
    parser.add_argument("--label", default="")
    args = parser.parse_args()

    server, port = start_server(args)
    try:
        # Warm: the answer is built (and, for exports, prepared) once before measuring.
        get(port, args.path)
        before = rss_kib(server.pid)
        extra = f"Accept-Encoding: {args.accept_encoding}\r\n" if args.accept_encoding else ""
        request = f"GET {args.path} HTTP/1.1\r\nHost: t\r\n{extra}\r\n".encode()
        pending = {}
        for _ in range(args.connections):
            s = socket.create_connection(("127.0.0.1", port))
            if args.rcvbuf:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, args.rcvbuf)  # a full window sooner
            s.setblocking(False)
            pending[s] = request * args.pipeline
        peak, healthz = before, []
        started = time.monotonic()
        while time.monotonic() - started < args.hold:
            # Keep pushing the pipelined requests the server is willing to read; never read.
            writable = [s for s, rest in pending.items() if rest]
            if writable:
                _, ready, _ = select.select([], writable, [], 0.2)
                for s in ready:
                    try:
                        sent = s.send(pending[s])
                        pending[s] = pending[s][sent:]
                    except OSError:
                        pending[s] = b""
            else:
                time.sleep(0.2)  # sampling interval
            peak = max(peak, rss_kib(server.pid))
            if len(healthz) < (time.monotonic() - started) // 2:
                try:
                    healthz.append(get(port, "/healthz", timeout=5)[1])
                except OSError:
                    healthz.append(float("inf"))
        cut = args.connections - held_by_server(port)
        during = rss_kib(server.pid)
        for s in pending:
            s.close()
        time.sleep(args.settle)  # the figure is RSS after SETTLE seconds, not an event
        after = rss_kib(server.pid)
        status, _ = get(port, "/healthz")
        healthz.sort()
        figures = {
            "label": args.label, "path": args.path, "accept_encoding": args.accept_encoding,
            "connections": args.connections, "pipeline": args.pipeline, "rcvbuf": args.rcvbuf, "hold_s": args.hold,
            "rss_before_mib": round(before / 1024, 1), "rss_peak_mib": round(peak / 1024, 1),
            "rss_end_of_hold_mib": round(during / 1024, 1), "rss_after_close_mib": round(after / 1024, 1),
            "growth_peak_mib": round((peak - before) / 1024, 1),
            "connections_cut_by_server": cut,
            "healthz_during_p50_ms": round(healthz[len(healthz) // 2] * 1000, 1) if healthz else None,
            "healthz_during_max_ms": round(healthz[-1] * 1000, 1) if healthz and healthz[-1] != float("inf") else None,
            "healthz_during_timeouts": sum(h == float("inf") for h in healthz),
            "healthz_after": status,
            "pass": (peak - before) <= 64 * 1024 and (after - before) <= 64 * 1024,
        }
        print(json.dumps(figures))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
