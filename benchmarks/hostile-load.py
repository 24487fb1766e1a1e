#!/usr/bin/env python3
"""`numeral serve` under hostile load: does one client freeze the others?

Reproduces the attacks of issue 28 against a real server on loopback and prints the figures
(a benchmark, not a test: the suite tests each fix on its own):

1. Picture burst: one address sends 40 pictures at once (inside its rate burst) -- 12-megapixel
   PNGs that are read, and 48-megapixel ones (8000x6000) that must be refused from their header --
   while another address predicts a drawing every 100 ms and a monitor polls /healthz every 100 ms.
   Printed: the other client's p50/p99/max latency, /healthz's max, the flood's answers by status.
2. Drawing flood: one address sends 20,000-point drawings at 10 per second for 10 s, the other
   client and the monitor as above.
3. Deadline: 30 heavy pictures at once with --timeout 1: how many were answered 201, how many 503,
   and whether the log holds exactly the 201s (numeral_log_writes_total).
4. Bad tokens: 2,000 requests with a wrong bearer token from one address: how many 401 vs 429.

Two addresses on loopback: the server is started with --trusted-proxy 127.0.0.1 and each client
names itself in X-Forwarded-For, exactly as clients behind a load balancer are told apart.

Usage: benchmarks/hostile-load.py [path/to/numeral]   (default: .build/release/numeral)
"""
import http.client
import json
import os
import re
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

BIN = os.path.realpath(sys.argv[1] if len(sys.argv) > 1 else ".build/release/numeral")
DRAWING = json.dumps({"strokes": [[[60, 50], [140, 50], [220, 50], [180, 120], [140, 190], [110, 250]]],
                      "width": 280, "height": 280}).encode()


def png(width, height):
    """A white picture with a dark vertical bar (a "1"), compressed small."""
    bar = range(width * 45 // 100, width * 55 // 100)
    row_bar = b"\0" + bytes(20 if x in bar else 240 for x in range(width))
    row_white = b"\0" + bytes([240]) * width
    top, bottom = height // 5, height * 4 // 5
    raw = row_white * top + row_bar * (bottom - top) + row_white * (height - bottom)
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def heavy_drawing(points=20_000):
    return json.dumps({"strokes": [[[i % 280, (i // 100) % 280] for i in range(points)]], "width": 280, "height": 280}).encode()


class Server:
    def __init__(self, *flags):
        self.dir = tempfile.mkdtemp(prefix="numeral-hostile-")
        self.log = open(os.path.join(self.dir, "serve.log"), "w+")
        self.proc = subprocess.Popen([BIN, "serve", "--port", "0", "--data-dir", os.path.join(self.dir, "data"),
                                      "--trusted-proxy", "127.0.0.1", *flags], stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(300):
            self.log.seek(0)
            m = re.search(r"http://[0-9.]+:(\d+)", self.log.read())
            if m:
                self.port = int(m.group(1))
                return
            time.sleep(0.1)
        raise SystemExit("the server did not start")

    def request(self, method, path, body=None, headers=None, timeout=60):
        start = time.monotonic()
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            text = r.read()
            return r.status, time.monotonic() - start, text
        except Exception as e:  # a refused or reset connection counts as an answer too
            return 0, time.monotonic() - start, str(e).encode()
        finally:
            c.close()

    def metric(self, name):
        _, _, text = self.request("GET", "/metrics")
        m = re.search(rf"^{name} (\d+)", text.decode(), re.M)
        return int(m.group(1)) if m else None

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def poll(server, path, body, headers, stop, out, interval=0.1):
    while not stop.is_set():
        status, seconds, _ = server.request("POST" if body else "GET", path, body, headers)
        out.append((status, seconds))
        time.sleep(interval)


def percentiles(samples):
    times = sorted(s for _, s in samples)
    if not times:
        return "no samples"
    p = lambda q: times[min(len(times) - 1, int(q * len(times)))] * 1000
    return f"n={len(times)} p50 {p(0.5):.0f} ms, p99 {p(0.99):.0f} ms, max {times[-1] * 1000:.0f} ms"


def under_attack(server, attack, seconds_after=1.0):
    """Runs `attack` while another client predicts and a monitor polls /healthz; returns their samples."""
    stop = threading.Event()
    other, health = [], []
    threads = [threading.Thread(target=poll, args=(server, "/api/v1/predictions", DRAWING,
                                                   {"Content-Type": "application/json", "X-Forwarded-For": "203.0.113.2"}, stop, other)),
               threading.Thread(target=poll, args=(server, "/healthz", None, {}, stop, health))]
    for t in threads:
        t.start()
    time.sleep(0.5)
    flood = attack()
    time.sleep(seconds_after)
    stop.set()
    for t in threads:
        t.join()
    return flood, other, health


def burst(server, body, content_type, count, address="198.51.100.9"):
    answers = []
    def one():
        answers.append(server.request("POST", "/api/v1/predictions", body,
                                      {"Content-Type": content_type, "X-Forwarded-For": address}, timeout=120))
    threads = [threading.Thread(target=one) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def by_status(answers):
    counts = {}
    for status, _, _ in answers:
        counts[status] = counts.get(status, 0) + 1
    return ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))


def main():
    print(f"numeral: {BIN}; {os.cpu_count()} cores")
    big = png(4000, 3000)
    huge = png(8000, 6000)
    print(f"pictures: 4000x3000 PNG {len(big) // 1024} KB, 8000x6000 PNG {len(huge) // 1024} KB")

    server = Server()
    try:
        flood, other, health = under_attack(server, lambda: burst(server, big, "image/png", 40))
        print("\n1a. 40 x 12-megapixel PNGs at once from one address")
        print(f"    the flood's answers: {by_status(flood)}; slowest {max(s for _, s, _ in flood):.1f} s")
        print(f"    another client's drawings: {percentiles(other)}; statuses {sorted(set(s for s, _ in other))}")
        print(f"    /healthz: {percentiles(health)}")

        flood, other, health = under_attack(server, lambda: burst(server, huge, "image/png", 40, address="198.51.100.10"))
        print("\n1b. 40 x 48-megapixel PNGs (8000x6000) at once from one address")
        print(f"    the flood's answers: {by_status(flood)}; slowest {max(s for _, s, _ in flood) * 1000:.0f} ms")
        print(f"    another client's drawings: {percentiles(other)}")
        print(f"    /healthz: {percentiles(health)}")

        heavy = heavy_drawing()
        def drawing_flood():
            answers, threads = [], []
            def one():
                answers.append(server.request("POST", "/api/v1/predictions", heavy,
                                              {"Content-Type": "application/json", "X-Forwarded-For": "198.51.100.11"}))
            for _ in range(100):
                t = threading.Thread(target=one)
                t.start()
                threads.append(t)
                time.sleep(0.1)
            for t in threads:
                t.join()
            return answers
        flood, other, health = under_attack(server, drawing_flood)
        print("\n2. 20,000-point drawings at 10/s for 10 s from one address")
        print(f"    the flood's answers: {by_status(flood)}")
        print(f"    another client's drawings: {percentiles(other)}")
        print(f"    /healthz: {percentiles(health)}")

        bad = [server.request("GET", "/api/v1/whoami", None, {"Authorization": "Bearer nmr_bad_token",
                                                             "X-Forwarded-For": "198.51.100.12"}) for _ in range(2000)]
        print("\n4. 2,000 requests with a wrong token from one address")
        print(f"    answers: {by_status(bad)}")
    finally:
        server.stop()

    server = Server("--timeout", "1", "--rate", "0")
    try:
        before = server.metric("numeral_log_writes_total") or 0
        answers = burst(server, big, "image/png", 30)
        created = sum(1 for s, _, _ in answers if s == 201)
        refused = sum(1 for s, _, _ in answers if s == 503)
        time.sleep(0.5)
        logged = (server.metric("numeral_log_writes_total") or 0) - before
        print("\n3. 30 x 12-megapixel PNGs at once with --timeout 1")
        print(f"    answered 201: {created}, 503: {refused}, other: {len(answers) - created - refused}; "
              f"logged: {logged} ({'exactly the 201s' if logged == created else 'NOT the 201s'})")
        messages = {json.loads(t).get('error', {}).get('message', '') for s, _, t in answers if s == 503}
        for m in sorted(messages):
            print(f"    503 says: {m}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
