#!/usr/bin/env python3
"""Build-time benchmark: lander against itself or against Hugo, on 1k-100k pages.

    cargo build --release
    python3 benches/bench.py --sizes 1000,10000 --runs 3 --hugo
    python3 benches/bench.py --a old=/tmp/lander-old --b new=target/release/lander
    python3 benches/bench.py --sizes 100000 --runs 1 --hugo --json /tmp/bench.json

For each size it generates a synthetic site once with benches/gen_site.py
(deterministic: same size and seed, same bytes) under --work, which should be
a tmpfs such as /dev/shm so that the disk is not what is measured. A stamp
file beside each site records how it was made, and a later run with the same
arguments reuses it. With --hugo it also writes an equivalent Hugo site from
the same files: the same Markdown bodies and front matter, lander's offer
shortcodes turned into Hugo shortcodes, and a small set of Hugo layouts that
do the work of lander's default theme (title, meta description, canonical,
Open Graph, body, tag links, reading time, offer blocks and forms, the blog
paginated by 10, tag index and tag pages paginated by 10, the product list,
home with the newest posts, sitemap, robots.txt, feeds for the home and each
tag), built with `hugo --minify` because lander minifies too.

Runs alternate between the tools, and every other round starts with the other
tool (A B, B A, A B, ...), so a machine that gets busier or quieter during
the benchmark slows both alike and the ratios still hold. Each run builds into
a fresh, empty output folder under `/usr/bin/time -v` (GNU time: Debian's
`time` package), which gives the peak resident memory; the wall time is taken
around the process. A build that fails stops that tool's runs at that size,
is printed with its output, and makes the script exit with status 1.

The report is a Markdown table: tool, size, pages written, median and fastest
wall time, pages per second (pages / median), the highest peak memory of the
runs, then ratios: each tool against the first one, and each tool's time
from one size to the next. `--json FILE` saves every run.
"""

import argparse
import hashlib
import inspect
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GEN_SITE = os.path.join(HERE, "gen_site.py")
FLOOR = os.path.join(REPO, "target", "release", "examples", "floor")
GNU_TIME = "/usr/bin/time"

# Targets of issue 6 ("Speed and scale"), checked when the sizes are run.
TARGET_RATIO_10K = 0.25  # lander's wall time at 10k, as a share of Hugo's
TARGET_PEAK_10K_MIB = 300
TARGET_WALL_100K_S = 30
TARGET_PEAK_100K_MIB = 1536
TARGET_SCALING_100K = 11  # wall(100k) / wall(10k)

# ---------------------------------------------------------------- Hugo site

HUGO_CONFIG = """baseURL = "https://bench.example/"
title = "Synthetic Bench Site"
languageCode = "en"
paginate = 10
enableRobotsTXT = true
buildFuture = false  # as lander: a post dated in the future waits (all are past)
rssLimit = 20
disableKinds = []

[params]
description = "A generated site for measuring build and serve speed with thousands of pages."
author = "Bench Writer"
formEndpoint = "https://forms.bench.example/leads"

[taxonomies]
tag = "tags"

# lander feeds the home page and each tag, as Hugo does with these outputs.
[outputs]
home = ["HTML", "RSS"]
section = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML", "RSS"]

[markup.goldmark.renderer]
unsafe = true  # lander keeps raw HTML in Markdown too

[markup.highlight]
codeFences = false  # lander does not highlight code
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} | {{ site.Title }}{{ end }}</title>
{{ $desc := .Description | default site.Params.description }}
<meta name="description" content="{{ $desc }}">
<link rel="canonical" href="{{ .Permalink }}">
<meta property="og:title" content="{{ .Title }}">
<meta property="og:site_name" content="{{ site.Title }}">
<meta property="og:url" content="{{ .Permalink }}">
<meta property="og:type" content="{{ if .IsPage }}article{{ else }}website{{ end }}">
<meta property="og:description" content="{{ $desc }}">
{{ with .Params.image }}<meta property="og:image" content="{{ . | absURL }}">{{ end }}
<meta name="twitter:card" content="summary_large_image">
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" title="{{ site.Title }}" href="{{ .RelPermalink }}">{{ end }}
<link rel="stylesheet" href="/style.css">
</head>
<body class="kind-{{ .Kind }}">
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header"><div class="wrap"><a class="brand" href="/">{{ site.Title }}</a></div></header>
<main id="main">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer"><div class="wrap"><p>&copy; {{ site.Title }} · {{ site.Params.description }}</p></div></footer>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}
<article class="wrap prose post">
  <header class="post-header">
    <h1>{{ .Title }}</h1>
    <p class="meta">{{ if not .Date.IsZero }}<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time> · {{ end }}{{ .ReadingTime }} min read · {{ site.Params.author }}</p>
    {{ with .Params.price }}<p class="price">{{ . }} {{ $.Params.currency }}</p>{{ end }}
    {{ with .GetTerms "tags" }}<ul class="tags" aria-label="Tags">{{ range . }}<li><a href="{{ .RelPermalink }}" rel="tag">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
  </header>
  {{ with .Params.image }}<img class="page-image" src="{{ . }}" alt="{{ $.Params.image_alt }}" fetchpriority="high">{{ end }}
  {{ .Content }}
  {{ with .Params.offer }}<aside class="offer-cta" aria-label="Offer">{{ partial "offer.html" (dict "id" . "mode" "cta" "page" $) }}</aside>{{ end }}
</article>
{{ end }}
""",
    # Sections (the blog) and tag pages: paginated by 10.
    "_default/list.html": """{{ define "main" }}
<div class="wrap">
  <h1>{{ .Title }}</h1>
  {{ if eq .Kind "term" }}<p class="meta">{{ len .Pages }} pages · <a href="/tags/">All tags</a></p>{{ end }}
  <div class="grid">
    {{ range .Paginator.Pages }}{{ partial "card.html" . }}{{ end }}
  </div>
  {{ partial "pagination.html" . }}
</div>
{{ end }}
""",
    # lander lists every product on one page.
    "products/list.html": """{{ define "main" }}
<div class="wrap">
  <h1>{{ .Title }}</h1>
  <div class="grid">{{ range .Pages }}{{ partial "card.html" . }}{{ end }}</div>
</div>
{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}
<div class="wrap">
  <h1>{{ .Title }}</h1>
  <ul class="tag-cloud">
    {{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}" rel="tag">{{ .Page.Title }}</a> <span class="count">({{ .Count }})</span></li>{{ end }}
  </ul>
</div>
{{ end }}
""",
    "index.html": """{{ define "main" }}
<section class="hero"><div class="wrap"><h1>{{ .Title }}</h1><p class="lead">{{ .Description }}</p></div></section>
<div class="wrap prose">
  {{ .Content }}
  {{ with .Params.offer }}<aside class="offer-cta" aria-label="Offer">{{ partial "offer.html" (dict "id" . "mode" "cta" "page" $) }}</aside>{{ end }}
</div>
<section class="wrap" aria-labelledby="home-products">
  <h2 id="home-products">From the shop</h2>
  <div class="grid">{{ range first 6 (where site.RegularPages "Section" "products") }}{{ partial "card.html" . }}{{ end }}</div>
</section>
<section class="wrap" aria-labelledby="home-posts">
  <h2 id="home-posts">Latest posts</h2>
  <div class="grid">{{ range first 10 (where site.RegularPages "Section" "blog") }}{{ partial "card.html" . }}{{ end }}</div>
</section>
{{ end }}
""",
    "_default/offer.html": """{{ define "main" }}
<div class="wrap">{{ partial "offer.html" (dict "id" .Params.offer_id "mode" "form" "page" .) }}</div>
{{ end }}
""",
    "_default/thanks.html": """{{ define "main" }}
<div class="wrap prose"><h1>{{ .Title }}</h1>{{ .Content }}</div>
{{ end }}
""",
    "404.html": """{{ define "main" }}
<div class="wrap"><h1>Page not found</h1><p><a href="/">Home</a></p></div>
{{ end }}
""",
    "partials/card.html": """<article class="card">
  {{ with .Params.image }}<a href="{{ $.RelPermalink }}" tabindex="-1" aria-hidden="true"><img src="{{ . }}" alt="" loading="lazy" decoding="async" class="card-image"></a>{{ end }}
  <h2 class="card-title"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
  {{ if not .Date.IsZero }}<p class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time> · {{ .ReadingTime }} min read</p>{{ end }}
  {{ with .Params.price }}<p class="price">{{ . }} {{ $.Params.currency }}</p>{{ end }}
  <p>{{ .Description }}</p>
</article>
""",
    # Like lander's: links to the pages up to 3 either side of the current one.
    "partials/pagination.html": """{{ $p := .Paginator }}{{ if gt $p.TotalPages 1 }}
{{ $lo := sub $p.PageNumber 3 }}{{ if lt $lo 1 }}{{ $lo = 1 }}{{ end }}
{{ $hi := add $p.PageNumber 3 }}{{ if gt $hi $p.TotalPages }}{{ $hi = $p.TotalPages }}{{ end }}
<nav class="pagination" aria-label="Pagination">
  {{ if $p.HasPrev }}<a href="{{ $p.Prev.URL }}" rel="prev">← Newer</a>{{ end }}
  <ul>{{ range seq $lo $hi }}{{ $pg := index $p.Pagers (sub . 1) }}<li>{{ if eq . $p.PageNumber }}<span aria-current="page">{{ . }}</span>{{ else }}<a href="{{ $pg.URL }}">{{ . }}</a>{{ end }}</li>{{ end }}</ul>
  {{ if $p.HasNext }}<a href="{{ $p.Next.URL }}" rel="next">Older →</a>{{ end }}
</nav>
{{ end }}
""",
    # An offer from data/offers/ID.yaml (lander's offers/ID.yaml, copied):
    # a banner linking to its page ("cta") or the form inline ("form").
    "partials/offer.html": """{{ $o := index site.Data.offers .id }}{{ $page := .page }}
<div class="lander-offer lander-offer-{{ .mode }}" data-lander-offer="{{ .id }}" data-stage="{{ $o.stage }}">
  <div class="lander-variant">
    <p class="lander-offer-headline">{{ $o.headline }}</p>
    {{ with $o.subheadline }}<p class="lander-offer-sub">{{ . }}</p>{{ end }}
    {{ if eq .mode "cta" }}<a class="button lander-cta" href="/offers/{{ .id }}/" data-offer="{{ .id }}">{{ $o.cta.text }}</a>{{ end }}
  </div>
  {{ if eq .mode "form" }}
  <form method="post" action="{{ site.Params.formEndpoint }}" class="lander-form" data-offer="{{ .id }}" data-thanks="/offers/{{ .id }}/thanks/">
    <input type="hidden" name="offer" value="{{ .id }}"><input type="hidden" name="variant">
    <input type="hidden" name="stage" value="{{ $o.stage }}"><input type="hidden" name="page" value="{{ $page.RelPermalink }}">
    <input type="hidden" name="lang" value="en">{{ range slice "utm_source" "utm_medium" "utm_campaign" "utm_term" "utm_content" "referrer" }}<input type="hidden" name="{{ . }}">{{ end }}
    <input type="hidden" name="_redirect" value="{{ printf "/offers/%s/thanks/" .id | absURL }}">
    <div class="lander-hp" aria-hidden="true"><label>Leave this field empty <input name="_honey" tabindex="-1" autocomplete="off"></label></div>
    {{ range $o.form.fields }}<div class="lander-field lander-field-{{ .type }}"><label for="{{ $.id }}-{{ .name }}">{{ .label }}{{ if .required }} <span class="lander-required" aria-hidden="true">*</span>{{ end }}</label><input id="{{ $.id }}-{{ .name }}" name="{{ .name }}" type="{{ .type }}"{{ if .required }} required{{ end }}></div>{{ end }}
    <button class="button lander-submit">{{ $o.form.submit }}</button>
    <div class="lander-status" role="status" aria-live="polite"></div>
  </form>
  {{ end }}
</div>
""",
    "robots.txt": """User-agent: *
Allow: /

Sitemap: {{ "sitemap.xml" | absURL }}
""",
    "shortcodes/cta.html": '{{ partial "offer.html" (dict "id" (.Get "offer") "mode" "cta" "page" .Page) }}',
    "shortcodes/form.html": '{{ partial "offer.html" (dict "id" (.Get "offer") "mode" "form" "page" .Page) }}',
}

# Front matter keys copied to the Hugo copy; everything else is lander-only.
HUGO_KEYS = (
    "title description date tags image image_alt offer price currency sku availability"
).split()

SHORTCODE = re.compile(r"^\{\{\s*(\w+)\((.*)\)\s*\}\}$")


def hugo_markdown(text):
    """A lander Markdown file, as Hugo reads it: same body, Hugo shortcodes."""
    if not text.startswith("---\n"):
        raise ValueError("no front matter")
    end = text.index("\n---\n", 4)
    keep = [
        line for line in text[4:end].split("\n") if line.split(":", 1)[0].strip() in HUGO_KEYS
    ]
    lines = []
    for line in text[end + 5 :].split("\n"):
        m = SHORTCODE.match(line)
        if m:
            # {{ cta(offer="x") }} -> {{< cta offer="x" >}}
            args = re.sub(r'"\s*,\s*', '" ', m.group(2))
            line = f"{{{{< {m.group(1)} {args} >}}}}"
        elif line == "<!-- more -->":
            line = "<!--more-->"  # Hugo's summary divider
        lines.append(line)
    return "---\n" + "\n".join(keep) + "\n---\n" + "\n".join(lines)


def write_hugo_site(lander_site, out):
    """Writes the Hugo copy of the lander site `lander_site` into `out`."""
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)

    def write(rel, text):
        path = os.path.join(out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)

    write("hugo.toml", HUGO_CONFIG)
    for rel, text in HUGO_LAYOUTS.items():
        write(os.path.join("layouts", rel), text)
    content = os.path.join(lander_site, "content")
    for folder, _, files in sorted(os.walk(content)):
        for name in sorted(files):
            if not name.endswith(".md"):
                continue
            src = os.path.join(folder, name)
            with open(src, encoding="utf-8") as f:
                text = f.read()
            write(os.path.join("content", os.path.relpath(src, content)), hugo_markdown(text))
    for name in ("blog", "products"):
        if not os.path.exists(os.path.join(out, "content", name, "_index.md")):
            write(f"content/{name}/_index.md", f"---\ntitle: {name.capitalize()}\n---\n")
    write("content/tags/_index.md", "---\ntitle: Tags\n---\n")
    # Each offer: data for the blocks, plus its landing and thank-you pages.
    offers = os.path.join(lander_site, "offers")
    os.makedirs(os.path.join(out, "data", "offers"))
    for name in sorted(os.listdir(offers)):
        oid = name[: -len(".yaml")]
        shutil.copy(os.path.join(offers, name), os.path.join(out, "data", "offers", name))
        with open(os.path.join(offers, name), encoding="utf-8") as f:
            headline = re.search(r'^headline: "(.*)"$', f.read(), re.M).group(1)
        write(
            f"content/offer-{oid}.md",
            f'---\ntitle: "{headline}"\nurl: /offers/{oid}/\nlayout: offer\n'
            f"offer_id: {oid}\n---\n",
        )
        write(
            f"content/offer-{oid}-thanks.md",
            f'---\ntitle: "Thanks"\nurl: /offers/{oid}/thanks/\nlayout: thanks\n'
            "---\n\nYou will hear from us soon.\n",
        )
    shutil.copytree(os.path.join(lander_site, "static"), os.path.join(out, "static"))
    shutil.copy(
        os.path.join(REPO, "themes", "default", "static", "style.css"),
        os.path.join(out, "static", "style.css"),
    )


# ------------------------------------------------------------ the two sites


def file_sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:16]


def hugo_format():
    """Changes whenever the Hugo copy would come out differently."""
    parts = [HUGO_CONFIG, json.dumps(HUGO_LAYOUTS, sort_keys=True), " ".join(HUGO_KEYS)]
    parts += [inspect.getsource(f) for f in (hugo_markdown, write_hugo_site)]
    parts.append(file_sha(os.path.join(REPO, "themes", "default", "static", "style.css")))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def reuse_or_make(path, stamp, make):
    """Runs make() unless `path` was made before with this very stamp."""
    stamp_file = path + ".stamp"
    try:
        with open(stamp_file, encoding="utf-8") as f:
            if json.load(f) == stamp and os.path.isdir(path):
                log(f"reusing {path}")
                return
    except (OSError, ValueError):
        pass
    if os.path.exists(stamp_file):
        os.remove(stamp_file)
    t = time.perf_counter()
    make()
    log(f"generated {path} in {time.perf_counter() - t:.1f} s")
    with open(stamp_file, "w", encoding="utf-8") as f:
        json.dump(stamp, f)


def prepare_sites(work, size, seed, want_hugo, profile="default"):
    suffix = "" if profile == "default" else f"-{profile}"
    site = os.path.join(work, f"site-{size}-s{seed}{suffix}")
    stamp = {"pages": size, "seed": seed, "profile": profile, "gen_site.py": file_sha(GEN_SITE)}
    reuse_or_make(
        site,
        stamp,
        lambda: subprocess.run(
            [sys.executable, GEN_SITE, site, "--pages", str(size), "--seed", str(seed),
             "--profile", profile],
            check=True,
            stdout=subprocess.DEVNULL,
        ),
    )
    hugo = None
    if want_hugo:
        hugo = os.path.join(work, f"hugo-{size}-s{seed}{suffix}")
        reuse_or_make(hugo, {"from": stamp, "format": hugo_format()},
                      lambda: write_hugo_site(site, hugo))
    return site, hugo


# ------------------------------------------------------------------ running


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def parse_time_v(text):
    """Peak RSS (KiB), elapsed (s), CPU (s) and exit status from GNU time -v."""
    out = {}
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    out["peak_kib"] = int(m.group(1)) if m else None
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", text)
    if m:
        secs = 0.0
        for part in m.group(1).split(":"):
            secs = secs * 60 + float(part)
        out["time_elapsed_s"] = secs
    user = re.search(r"User time \(seconds\): ([\d.]+)", text)
    system = re.search(r"System time \(seconds\): ([\d.]+)", text)
    if user and system:
        out["cpu_s"] = round(float(user.group(1)) + float(system.group(1)), 2)
    m = re.search(r"Exit status: (\d+)", text)
    out["exit_status"] = int(m.group(1)) if m else None
    m = re.search(r"Command terminated by signal (\d+)", text)
    out["signal"] = int(m.group(1)) if m else None
    return out


REDIRECT = re.compile(rb'http-equiv=["\']?refresh', re.I)


def count_output(out):
    """HTML pages in a built site, not counting Hugo's alias redirect stubs."""
    html = redirects = files = size = 0
    for folder, _, names in os.walk(out):
        for name in names:
            path = os.path.join(folder, name)
            files += 1
            size += os.path.getsize(path)
            if name.endswith(".html"):
                html += 1
                with open(path, "rb") as f:
                    if REDIRECT.search(f.read(1024)):
                        redirects += 1
    return {"pages": html - redirects, "html": html, "redirects": redirects,
            "files": files, "bytes": size}


TIMING_LINE = re.compile(r"^\s{2}(\S.*?)\s+([\d.]+) ms$", re.M)


def command(tool, site, out, timings):
    if tool["kind"] == "hugo":
        return [tool["path"], "--source", site, "--destination", out, "--minify"]
    cmd = [tool["path"], "build", "--root", site, "--output", out]
    return cmd + ["--timings"] if timings else cmd


def run_once(tool, site, out, stats, timings, timeout):
    shutil.rmtree(out, ignore_errors=True)
    cmd = command(tool, site, out, timings)
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [GNU_TIME, "-v", "-o", stats, *cmd],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            timeout=timeout,
        )
        code = proc.returncode
    except subprocess.TimeoutExpired as e:
        proc, code = e, "timeout"
    wall = time.perf_counter() - start
    with open(stats, encoding="utf-8", errors="replace") as f:
        measured = parse_time_v(f.read()) if code != "timeout" else {}
    stdout = proc.stdout or ""
    stderr = proc.stderr or ""
    if isinstance(stdout, bytes):
        stdout, stderr = stdout.decode(errors="replace"), stderr.decode(errors="replace")
    run = {"wall_s": round(wall, 4), **measured, "exit": code, "command": cmd}
    failed = code != 0 or measured.get("signal") or not os.path.isdir(out)
    if failed:
        run["failed"] = True
        run["output"] = (stdout + stderr)[-4000:]
        return run
    run.update(count_output(out))
    if tool["kind"] == "lander":
        run["phases_ms"] = {k: float(v) for k, v in TIMING_LINE.findall(stdout)}
    # Anything either tool warns about is worth a look: keep the first lines.
    warns = [
        line
        for line in (stdout + stderr).splitlines()
        if re.search(r"\b(WARN|ERROR|warning|error)\b", line)
    ]
    if warns:
        run["warnings"] = warns[:20]
    return run


# ---------------------------------------------------------------- reporting


def summarize(tool, size, runs):
    ok = [r for r in runs if not r.get("failed")]
    row = {"tool": tool["label"], "kind": tool["kind"], "size": size, "runs": len(runs)}
    if len(ok) < len(runs) or not ok:
        row["failed"] = True
    if ok:
        walls = [r["wall_s"] for r in ok]
        row["median_s"] = statistics.median(walls)
        row["min_s"] = min(walls)
        row["pages"] = ok[-1]["pages"]
        row["pages_per_s"] = row["pages"] / row["median_s"]
        row["output_mib"] = ok[-1]["bytes"] / 2**20
        peaks = [r["peak_kib"] for r in ok if r.get("peak_kib")]
        row["peak_mib"] = max(peaks) / 1024 if peaks else None
        cpus = [r["cpu_s"] for r in ok if "cpu_s" in r]
        row["cpu_s"] = statistics.median(cpus) if cpus else None
        phases = [r["phases_ms"] for r in ok if r.get("phases_ms")]
        if phases:
            row["phases_ms"] = {k: statistics.median(p.get(k, 0) for p in phases)
                                for k in phases[0]}
    return row


def fmt(value, spec, none="—"):
    return none if value is None else format(value, spec)


def run_floor(site, out, runs):
    """Median seconds of examples/floor.rs on `site` (None if it is not built)."""
    if not os.access(FLOOR, os.X_OK):
        return None
    times = []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        done = subprocess.run([FLOOR, site, out], capture_output=True, text=True)
        if done.returncode != 0:
            log(f"floor failed: {done.stderr}")
            return None
        times.append(float(done.stdout.split()[1]))
    shutil.rmtree(out, ignore_errors=True)
    return statistics.median(times)


def report(rows, tools, sizes, floors=None):
    lines = [
        "| tool | size | pages | median wall s | min s | pages/s | peak MiB | CPU s "
        "| output MiB | runs |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        if "median_s" not in r:
            lines.append(f"| {r['tool']} | {r['size']} | FAILED | | | | | | | {r['runs']} |")
            continue
        flag = " (FAILED runs)" if r.get("failed") else ""
        lines.append(
            f"| {r['tool']}{flag} | {r['size']} | {r['pages']} | {r['median_s']:.2f} | "
            f"{r['min_s']:.2f} | {r['pages_per_s']:,.0f} | {fmt(r['peak_mib'], '.0f')} | "
            f"{fmt(r['cpu_s'], '.2f')} | {r['output_mib']:.0f} | {r['runs']} |"
        )
    by = {(r["tool"], r["size"]): r for r in rows if "median_s" in r}

    ratios = []
    ref = tools[0]["label"]
    for t in tools[1:]:
        for s in sizes:
            a, b = by.get((ref, s)), by.get((t["label"], s))
            if a and b:
                ratios.append(
                    f"- size {s}: {ref} / {t['label']} wall {a['median_s'] / b['median_s']:.3f}"
                    f" (min {a['min_s'] / b['min_s']:.3f}), peak memory "
                    f"{fmt(ratio(a['peak_mib'], b['peak_mib']), '.3f')}"
                )
    for t in tools:
        for s0, s1 in zip(sizes, sizes[1:]):
            a, b = by.get((t["label"], s0)), by.get((t["label"], s1))
            if a and b:
                ratios.append(
                    f"- {t['label']} {s1}/{s0}: wall x{b['median_s'] / a['median_s']:.2f} "
                    f"for x{s1 / s0:g} pages, peak memory "
                    f"x{fmt(ratio(b['peak_mib'], a['peak_mib']), '.2f')}"
                )
    if ratios:
        lines += ["", "Ratios (of medians):", ""] + ratios

    floor_lines = []
    for s, floor in sorted((floors or {}).items()):
        floor_lines.append(f"- size {s}: floor {floor:.2f} s")
        for t in tools:
            r = by.get((t["label"], s))
            if r and t["kind"] == "lander":
                floor_lines.append(f"- size {s}: {t['label']} / floor {r['median_s'] / floor:.2f}")
    if floor_lines:
        lines += ["", "Floor (examples/floor.rs: pulldown-cmark on every body, one file "
                  "written per page, on every core; median of the same number of runs):",
                  ""] + floor_lines

    targets = []
    hugo = next((t["label"] for t in tools if t["kind"] == "hugo"), None)
    for t in tools:
        if t["kind"] != "lander":
            continue
        k10, k100 = by.get((t["label"], 10000)), by.get((t["label"], 100000))
        h10 = by.get((hugo, 10000)) if hugo else None
        if k10 and h10:
            r = k10["median_s"] / h10["median_s"]
            targets.append(verdict(f"{t['label']} 10k wall / hugo 10k wall = {r:.3f}",
                                   r <= TARGET_RATIO_10K, f"<= {TARGET_RATIO_10K}"))
        if k10 and k10["peak_mib"]:
            targets.append(verdict(f"{t['label']} 10k peak {k10['peak_mib']:.0f} MiB",
                                   k10["peak_mib"] < TARGET_PEAK_10K_MIB,
                                   f"< {TARGET_PEAK_10K_MIB} MiB"))
        if k100:
            targets.append(verdict(f"{t['label']} 100k wall {k100['median_s']:.1f} s",
                                   k100["median_s"] < TARGET_WALL_100K_S,
                                   f"< {TARGET_WALL_100K_S} s"))
            if k100["peak_mib"]:
                targets.append(verdict(f"{t['label']} 100k peak {k100['peak_mib']:.0f} MiB",
                                       k100["peak_mib"] < TARGET_PEAK_100K_MIB,
                                       f"< {TARGET_PEAK_100K_MIB} MiB"))
        if k10 and k100:
            r = k100["median_s"] / k10["median_s"]
            targets.append(verdict(f"{t['label']} 100k/10k wall = {r:.2f}",
                                   r <= TARGET_SCALING_100K, f"<= {TARGET_SCALING_100K}"))
    if targets:
        lines += ["", "Targets of issue 6:", ""] + targets

    phased = [r for r in rows if r.get("phases_ms")]
    if phased:
        names = []
        for r in phased:
            names += [n for n in r["phases_ms"] if n not in names]
        lines += ["", "lander --timings, median ms per phase:", ""]
        lines.append("| tool | size | " + " | ".join(names) + " |")
        lines.append("| --- | ---: |" + " ---: |" * len(names))
        for r in phased:
            cells = " | ".join(f"{r['phases_ms'].get(n, 0):.0f}" for n in names)
            lines.append(f"| {r['tool']} | {r['size']} | {cells} |")
    return "\n".join(lines)


def ratio(a, b):
    return a / b if a and b else None


def verdict(text, ok, target):
    return f"- {'PASS' if ok else 'FAIL'}: {text} (target {target})"


def version(tool):
    args = ["version"] if tool["kind"] == "hugo" else ["--version"]
    try:
        out = subprocess.run([tool["path"], *args], capture_output=True, text=True, timeout=30)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired) as e:
        return f"unknown ({e})"


# --------------------------------------------------------------------- main


def parse_tool(spec, default_label):
    label, sep, path = spec.partition("=")
    if not sep:
        label, path = default_label, spec
    return {"label": label, "kind": "lander", "path": os.path.abspath(path)}


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[1:]),
    )
    ap.add_argument("--sizes", default="1000,10000,100000",
                    help="comma-separated page counts (default: %(default)s)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per tool and size")
    ap.add_argument("--seed", type=int, default=1, help="gen_site.py seed")
    ap.add_argument("--profile",
                    choices=["default", "heavy", "shortcodes-builtin", "shortcodes-site"],
                    default="default",
                    help="gen_site.py corpus: default, or heavy (posts plus 5%% products, "
                         "default pagination, no offers in posts), or shortcodes-builtin / "
                         "shortcodes-site (a built-in or a site shortcode in every fifth post; "
                         "compare the two without --hugo)")
    ap.add_argument("--work", default="/dev/shm/lander-bench",
                    help="where sites and outputs go; a tmpfs (default: %(default)s)")
    ap.add_argument("--lander", action="append", default=[], metavar="[LABEL=]PATH",
                    help="a lander binary (repeatable; default target/release/lander)")
    ap.add_argument("--a", metavar="[LABEL=]PATH", help="binary A (label A unless given)")
    ap.add_argument("--b", metavar="[LABEL=]PATH", help="binary B (label B unless given)")
    ap.add_argument("--hugo", nargs="?", const="/usr/bin/hugo", metavar="PATH",
                    help="also build the equivalent Hugo site (default /usr/bin/hugo)")
    ap.add_argument("--timings", action="store_true",
                    help="pass --timings to lander and report its phases")
    ap.add_argument("--timeout", type=float, default=None, help="seconds before a build is killed")
    ap.add_argument("--json", metavar="FILE", help="save every run and the summary as JSON")
    ap.add_argument("--clean", action="store_true",
                    help="delete the outputs of each size when done (sites are kept)")
    args = ap.parse_args()

    if not os.access(GNU_TIME, os.X_OK):
        sys.exit(f"{GNU_TIME} not found: it measures peak memory. "
                 "Install GNU time: apt-get install -y time")
    probe = subprocess.run([GNU_TIME, "-v", "true"], capture_output=True, text=True)
    if "Maximum resident set size" not in probe.stderr:
        sys.exit(f"{GNU_TIME} is not GNU time (no -v report). Install it: apt-get install -y time")

    tools = [parse_tool(s, f"lander{i + 1}" if len(args.lander) > 1 else "lander")
             for i, s in enumerate(args.lander)]
    if args.a:
        tools.append(parse_tool(args.a, "A"))
    if args.b:
        tools.append(parse_tool(args.b, "B"))
    if not tools:
        tools.append(parse_tool(os.path.join(REPO, "target", "release", "lander"), "lander"))
    if args.hugo:
        tools.append({"label": "hugo", "kind": "hugo", "path": args.hugo})
    labels = [t["label"] for t in tools]
    if len(set(labels)) != len(labels):
        sys.exit(f"two tools share a label: {labels}; name them with LABEL=PATH")
    for t in tools:
        if not os.access(t["path"], os.X_OK):
            sys.exit(f"{t['label']}: {t['path']} is not an executable "
                     "(for lander: cargo build --release)")
        t["version"] = version(t)
        log(f"{t['label']}: {t['path']} ({t['version']})")

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    os.makedirs(args.work, exist_ok=True)
    usage = shutil.disk_usage(args.work)
    log(f"work folder {args.work}: {usage.free / 2**30:.1f} GiB free "
        f"(100k pages: about 3 GiB here, and about 13 GiB of memory for Hugo)")

    all_runs, rows, failed = [], [], False
    floors = {}
    if not os.access(FLOOR, os.X_OK):
        log(f"no floor: {FLOOR} is not built (cargo build --release --example floor)")
    for size in sizes:
        site, hugo_site = prepare_sites(args.work, size, args.seed, args.hugo is not None,
                                        args.profile)
        runs = {t["label"]: [] for t in tools}
        broken = set()
        for round_no in range(args.runs):
            order = tools if round_no % 2 == 0 else tools[::-1]
            for t in order:
                if t["label"] in broken:
                    continue
                src = hugo_site if t["kind"] == "hugo" else site
                out = os.path.join(args.work, f"out-{t['label']}-{size}")
                stats = os.path.join(args.work, f"time-{t['label']}.txt")
                run = run_once(t, src, out, stats, args.timings, args.timeout)
                run.update(tool=t["label"], size=size, round=round_no + 1)
                runs[t["label"]].append(run)
                all_runs.append(run)
                if run.get("failed"):
                    failed = True
                    broken.add(t["label"])
                    log(f"\n!!! {t['label']} FAILED at {size} pages (exit {run['exit']}, "
                        f"signal {run.get('signal')}): {' '.join(run['command'])}\n"
                        f"{run['output']}\n")
                    continue
                log(f"[{size}] {t['label']} run {round_no + 1}/{args.runs}: "
                    f"{run['wall_s']:.2f} s, {fmt(run.get('peak_kib'), 'd')} KiB peak, "
                    f"{run['pages']} pages")
                if round_no == 0 and run.get("warnings"):
                    log(f"    {t['label']} printed warnings, first ones:\n      "
                        + "\n      ".join(run["warnings"][:5]))
        for t in tools:
            rows.append(summarize(t, size, runs[t["label"]]))
        floor = run_floor(site, os.path.join(args.work, f"out-floor-{size}"), args.runs)
        if floor is not None:
            floors[size] = floor
            log(f"[{size}] floor: {floor:.2f} s")
        if args.clean:
            for t in tools:
                shutil.rmtree(os.path.join(args.work, f"out-{t['label']}-{size}"),
                              ignore_errors=True)

    table = report(rows, tools, sizes, floors)
    cpus = os.cpu_count()
    print(f"\n{time.strftime('%Y-%m-%d')}, {platform.machine()}, {cpus} CPUs, "
          f"{args.runs} runs each, alternating; work folder {args.work}\n")
    print(table)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(
                {
                    "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "machine": {"arch": platform.machine(), "cpus": cpus,
                                "kernel": platform.release()},
                    "args": vars(args),
                    "tools": tools,
                    "summary": rows,
                    "runs": all_runs,
                },
                f,
                indent=2,
            )
        log(f"saved {args.json}")
    if failed:
        log("\nSome builds FAILED: see above. Their times are not in the table.")
        sys.exit(1)


if __name__ == "__main__":
    main()
