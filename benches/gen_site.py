#!/usr/bin/env python3
"""Generates a deterministic synthetic lander site for benchmarks.

    python3 benches/gen_site.py OUT_DIR [--pages 10000] [--seed 1] [--profile heavy]

Every post is about 2.4 KB of Markdown with headings, lists, a table, code,
links and images, and 2-4 tags out of 40; 5% of the pages are products.
One post in ten names the `newsletter` offer in its front matter
(`offer: newsletter`), and another one in ten embeds it with a shortcode:
`{{ cta(offer="newsletter") }}` or `{{ form(offer="newsletter") }}`, half
each. Which posts get them depends only on the post's number, so the other
posts are the same as without them. The same arguments always give the same
files, byte for byte.

`--profile heavy` is the corpus a content team has: PAGES posts of about
2.5 KB (fenced code, tables, images, 2-4 tags of 40) plus 5% of that many
products with prices, the default pagination, and no offer in the posts.

`--profile shortcodes-builtin` and `--profile shortcodes-site` compare the
cost of the site's own shortcodes with the built-in ones: in both, every
fifth post embeds one shortcode and no other post does. With `-builtin` it is
`{{ cta(offer="newsletter") }}` or `{{ form(offer="newsletter") }}` (half
each); with `-site` it is `{{ testimonial(id="t3", stars=4) }}`, a template of
the site (`templates/shortcodes/testimonial.html`) fed by
`data/testimonials.yaml`. Everything else is the default profile's.
"""

import argparse
import os
import random
import shutil

PROFILES = ["default", "heavy", "shortcodes-builtin", "shortcodes-site"]

TESTIMONIAL_HTML = (
    '{% set said = data.testimonials[id] %}<figure class="testimonial"><blockquote><p>'
    '{{ said.quote }}</p></blockquote><figcaption>{{ said.name }}{% if said.role %}, '
    '{{ said.role }}{% endif %}{% if stars %} <span class="rating">{{ stars }}/5</span>'
    '{% endif %}</figcaption></figure>\n'
)

WORDS = (
    "olive oil harvest grove press mill bottle tin pepper bitter green fruity "
    "cold extraction acidity polyphenol terrace tree pruning autumn spring "
    "tasting kitchen bread salad roast market family season label origin "
    "farmer picking storage light heat glass aroma grass tomato almond "
    "artichoke finish balance blend variety Moraiolo Frantoio Leccino Umbria"
).split()

TAGS = [f"topic-{i:02d}" for i in range(40)]

SITE_YAML = """title: "Synthetic Bench Site"
description: "A generated site for measuring build and serve speed with thousands of pages."
base_url: "https://bench.example"
language: "en"
author: "Bench Writer"
paginate_by: 10
forms:
  endpoint: "https://forms.bench.example/leads"
  provider: generic
# Hugo draws no social cards: like for like, lander draws none either
# (a card costs about as much as a page; they are cached in .lander/cards/).
seo:
  cards: false
"""

OFFER_YAML = """headline: "Get the bench newsletter"
subheadline: "One email a month with the best of the bench site."
stage: tofu
kind: newsletter
incentive: { type: content }
cta: { text: "Subscribe" }
form:
  submit: "Subscribe"
  fields:
    - { name: email, type: email, label: "Your email", required: true }
thank_you:
  title: "Thanks for subscribing"
  body: "You will hear from us soon."
"""

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360" '
    'viewBox="0 0 640 360"><rect width="640" height="360" fill="#8a9a5b"/></svg>\n'
)


def sentence(rng, n=None):
    n = n or rng.randint(8, 16)
    words = [rng.choice(WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def paragraph(rng, sentences=4):
    return " ".join(sentence(rng) for _ in range(sentences))


def body(rng, index, total_posts):
    other = rng.randrange(total_posts)
    parts = [
        paragraph(rng, 3),
        "",
        "<!-- more -->",
        "",
        f"## {sentence(rng, 4)[:-1]}",
        "",
        paragraph(rng, 4),
        f"See [a related post](/blog/post-{other:05d}/) and "
        f"[the grove's story](https://example.org/story/{index}).",
        "",
        f"![{sentence(rng, 5)[:-1]}](/images/photo.svg)",
        "",
        "### What to look for",
        "",
    ]
    parts += [f"- {sentence(rng, 6)}" for _ in range(4)]
    parts += [
        "",
        "| Oil | Acidity | Taste |",
        "| --- | ------: | ----- |",
    ]
    parts += [
        f"| {rng.choice(WORDS)} | {rng.randint(1, 8) / 10:.1f}% | {rng.choice(WORDS)} |"
        for _ in range(3)
    ]
    parts += [
        "",
        "```python",
        f"def score_{index}(oil):",
        "    return oil.acidity * 2 + len(oil.notes)",
        "```",
        "",
        f"## {sentence(rng, 3)[:-1]}",
        "",
        paragraph(rng, 4),
        "",
        "1. " + sentence(rng, 7),
        "2. " + sentence(rng, 7),
        "3. " + sentence(rng, 7),
        "",
        paragraph(rng, 4),
        "",
    ]
    return "\n".join(parts)


def shortcode(index, profile="default"):
    """The shortcode embedded in post `index`, if any: 10% of the posts, or
    every fifth with the `shortcodes-*` profiles."""
    if profile == "shortcodes-builtin":
        if index % 5 != 0:
            return None
        return '{{ %s(offer="newsletter") }}' % ("cta" if index % 10 == 0 else "form")
    if profile == "shortcodes-site":
        if index % 5 != 0:
            return None
        return '{{ testimonial(id="t%d", stars=%d) }}' % (index % 7, 3 + index % 3)
    if index % 20 == 5:
        return '{{ cta(offer="newsletter") }}'
    if index % 20 == 15:
        return '{{ form(offer="newsletter") }}'
    return None


def front_matter(rng, title, extra):
    desc = (sentence(rng, 12) + " " + sentence(rng, 8))[:150]
    lines = ["---", f'title: "{title}"', f'description: "{desc}"']
    lines += extra
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def generate(out, pages, seed, profile="default"):
    heavy = profile == "heavy"
    rng = random.Random(seed)
    if os.path.exists(out):
        shutil.rmtree(out)
    for d in ["content/blog", "content/products", "offers", "static/images"]:
        os.makedirs(os.path.join(out, d), exist_ok=True)

    def write(rel, text):
        with open(os.path.join(out, rel), "w", encoding="utf-8") as f:
            f.write(text)

    site_yaml = SITE_YAML
    if heavy:
        # lander's default pagination, as a team that never set it has.
        site_yaml = site_yaml.replace("paginate_by: 10\n", "")
    write("site.yaml", site_yaml)
    write("offers/newsletter.yaml", OFFER_YAML)
    write("static/images/photo.svg", SVG)
    if profile == "shortcodes-site":
        os.makedirs(os.path.join(out, "templates/shortcodes"), exist_ok=True)
        os.makedirs(os.path.join(out, "data"), exist_ok=True)
        write("templates/shortcodes/testimonial.html", TESTIMONIAL_HTML)
        write(
            "data/testimonials.yaml",
            "".join(
                f't{n}:\n  name: "Customer {n}"\n  role: "Cook, town {n}"\n'
                f'  quote: "{sentence(random.Random(n), 14)}"\n'
                for n in range(7)
            ),
        )
    write(
        "content/_index.md",
        "---\ntitle: Home\ndescription: \"The home page of the generated bench site, "
        "with its newest posts and products.\"\noffer: newsletter\n---\n\nWelcome.\n",
    )

    products = max(1, pages * 5 // 100)
    posts = pages if heavy else pages - products
    for i in range(posts):
        day = 1 + i % 28
        month = 1 + (i // 28) % 12
        # Back from 2025: every post is in the past, so published (lander,
        # as Hugo, leaves posts dated in the future out until their date).
        year = 2025 - i // (28 * 12)
        tags = rng.sample(TAGS, rng.randint(2, 4))
        title = f"Post {i:05d}: {sentence(rng, 5)[:-1]}"
        extra = [
            f"date: {year:04d}-{month:02d}-{day:02d}",
            "tags: [" + ", ".join(tags) + "]",
            "image: /images/photo.svg",
            f'image_alt: "{sentence(rng, 5)[:-1]}"',
        ]
        if i % 10 == 0 and not heavy:
            extra.append("offer: newsletter")
        fm = front_matter(rng, title, extra)
        text = body(rng, i, posts)
        if heavy:
            text += "\n" + paragraph(rng, 2) + "\n"
        code = None if heavy else shortcode(i, profile)
        if code:
            anchor = "\n### What to look for\n"
            text = text.replace(anchor, f"\n{code}\n{anchor}", 1)
        write(f"content/blog/post-{i:05d}.md", fm + text)
    for i in range(products):
        title = f"Product {i:04d}: {sentence(rng, 3)[:-1]}"
        fm = front_matter(
            rng,
            title,
            [
                f"price: {rng.randint(5, 90)}.50",
                "currency: EUR",
                f'sku: "BENCH-{i:04d}"',
                "availability: in_stock",
                "image: /images/photo.svg",
                f'image_alt: "{sentence(rng, 5)[:-1]}"',
            ],
        )
        write(f"content/products/product-{i:04d}.md", fm + body(rng, i, posts))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--profile", choices=PROFILES, default="default")
    args = ap.parse_args()
    generate(args.out, args.pages, args.seed, args.profile)
    print(f"generated {args.pages} pages in {args.out}")


if __name__ == "__main__":
    main()
