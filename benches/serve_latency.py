#!/usr/bin/env python3
"""Edit-to-served latency of `lander serve`.

Starts `lander serve` on a generated site, then, again and again, saves one
post with a new sentence in it and polls the post's URL until the served
HTML has that sentence. Prints the median, p90 and max of the time from
the save to the first response with the new text.

    cargo build --release
    python3 benches/serve_latency.py --pages 10000            # generates the site
    python3 benches/serve_latency.py --site /tmp/bench10k     # an existing one (it is edited)

The site is made by benches/gen_site.py (deterministic); the posts edited
are spread over the site, and each is edited once.
"""

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def start_server(lander, site):
    proc = subprocess.Popen(
        [lander, "serve", "--root", site, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    deadline = time.time() + 300
    lines = []
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        m = re.search(r"Serving at (http://[^/\s]+)", line)
        if m:
            # Keep draining stdout so the server never blocks on a full pipe.
            import threading

            threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
            return proc, m.group(1), lines
    proc.kill()
    sys.exit("lander serve did not start:\n" + "".join(lines))


def get(conn, path):
    conn.request("GET", path)
    res = conn.getresponse()
    return res.status, res.read()


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", help="site folder made by gen_site.py (edited in place)")
    ap.add_argument("--pages", type=int, default=10000, help="pages to generate without --site")
    ap.add_argument("--edits", type=int, default=40)
    ap.add_argument("--lander", default=os.path.join(REPO, "target", "release", "lander"))
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for one edit")
    args = ap.parse_args()

    tmp = None
    site = args.site
    if not site:
        tmp = tempfile.TemporaryDirectory(prefix="lander-latency-")
        site = os.path.join(tmp.name, "site")
        subprocess.run(
            [sys.executable, os.path.join(HERE, "gen_site.py"), site, "--pages", str(args.pages)],
            check=True,
        )
    posts = sorted(os.listdir(os.path.join(site, "content", "blog")))
    posts = [p for p in posts if p.endswith(".md") and not p.startswith("_")]

    t = time.time()
    proc, url, _ = start_server(args.lander, site)
    print(f"server up after {time.time() - t:.2f} s at {url}, {len(posts)} posts")
    host = url.split("//", 1)[1]
    conn = http.client.HTTPConnection(host, timeout=args.timeout)
    latencies = []
    try:
        step = max(1, len(posts) // args.edits)
        for n in range(args.edits):
            name = posts[(n * step + 7) % len(posts)]
            path = os.path.join(site, "content", "blog", name)
            slug = name[:-3]
            marker = f"Latency marker {n} {time.time_ns()}."
            with open(path, encoding="utf-8") as f:
                text = f.read()
            text = re.sub(r"\n\nLatency marker [^\n]*\.\n", "\n", text)
            text = text.rstrip("\n") + f"\n\n{marker}\n"
            status, _ = get(conn, f"/blog/{slug}/")
            assert status == 200, f"/blog/{slug}/ answered {status}"
            start = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            while True:
                status, body = get(conn, f"/blog/{slug}/")
                if marker.encode() in body:
                    latencies.append((time.perf_counter() - start) * 1000)
                    break
                if time.perf_counter() - start > args.timeout:
                    sys.exit(f"edit {n} of {name} not served after {args.timeout} s")
                time.sleep(0.001)
            time.sleep(0.15)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if tmp:
            tmp.cleanup()

    print(
        f"edit-to-served over {len(latencies)} edits: "
        f"median {statistics.median(latencies):.1f} ms, "
        f"p90 {percentile(latencies, 0.9):.1f} ms, "
        f"min {min(latencies):.1f} ms, max {max(latencies):.1f} ms"
    )


if __name__ == "__main__":
    main()
