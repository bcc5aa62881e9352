//! What search engines and social networks read: titles, descriptions,
//! canonical URLs, robots, Open Graph, hreflang, JSON-LD (parsed back as
//! JSON), affiliate links and image sizes.

use crate::common::{Page, TestSite};
use serde_json::Value;

fn json_ld(page: &Page) -> Vec<Value> {
    page.all("script[type=\"application/ld+json\"]")
        .iter()
        .map(|s| {
            let text: String = s.text().collect();
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("invalid JSON-LD {e}: {text}"))
        })
        .collect()
}

fn of_type<'a>(blocks: &'a [Value], ty: &str) -> &'a Value {
    blocks
        .iter()
        .find(|b| b["@type"] == ty)
        .unwrap_or_else(|| panic!("no {ty} in {blocks:#?}"))
}

fn example() -> TestSite {
    let site = TestSite::copy_of("site-example");
    site.build(&[]).assert_ok();
    site
}

#[test]
fn home_has_website_and_organization() {
    let site = example();
    let home = site.html("index.html");
    let ld = json_ld(&home);
    let website = of_type(&ld, "WebSite");
    assert_eq!(website["@context"], "https://schema.org");
    assert_eq!(website["url"], "https://oliva.example/");
    assert_eq!(of_type(&ld, "Organization")["name"], "Oliva & Co");
    assert_eq!(
        home.attr("meta[property=\"og:type\"]", "content"),
        "website"
    );
    assert_eq!(
        home.attr("meta[property=\"og:locale\"]", "content"),
        "en_US"
    );
}

#[test]
fn post_has_blog_posting_breadcrumbs_and_article_tags() {
    let site = example();
    let post = site.html("blog/how-to-taste-olive-oil/index.html");
    let ld = json_ld(&post);
    let bp = of_type(&ld, "BlogPosting");
    assert_eq!(bp["headline"], "How to Taste Olive Oil Like a Miller");
    assert_eq!(bp["datePublished"], "2025-09-14");
    assert!(bp["author"]["name"].is_string());
    assert_eq!(
        bp["image"][0],
        "https://oliva.example/photos/tasting-glasses.jpg"
    );
    let crumbs = of_type(&ld, "BreadcrumbList")["itemListElement"]
        .as_array()
        .unwrap()
        .clone();
    let names: Vec<&str> = crumbs.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert_eq!(names[1], "Journal");
    assert_eq!(
        crumbs[2]["item"],
        "https://oliva.example/blog/how-to-taste-olive-oil/"
    );
    assert_eq!(crumbs[0]["position"], 1);
    assert_eq!(
        post.attr("meta[property=\"og:type\"]", "content"),
        "article"
    );
    assert!(
        post.attr("meta[property=\"og:image:width\"]", "content")
            .parse::<u32>()
            .unwrap()
            > 0
    );
    assert_eq!(
        post.attr("meta[name=\"twitter:card\"]", "content"),
        "summary_large_image"
    );
    // The page image carries its size (no layout shift).
    assert!(post.attr("img.page-image", "width").parse::<u32>().unwrap() > 0);
}

#[test]
fn product_has_product_offer_rating_and_reviews() {
    let site = example();
    let page = site.html("products/early-harvest-500ml/index.html");
    let ld = json_ld(&page);
    let p = of_type(&ld, "Product");
    assert_eq!(p["offers"]["@type"], "Offer");
    assert_eq!(p["offers"]["priceCurrency"], "EUR");
    assert!(p["offers"]["price"]
        .as_str()
        .unwrap()
        .parse::<f64>()
        .is_ok());
    assert_eq!(p["offers"]["availability"], "https://schema.org/InStock");
    assert_eq!(p["aggregateRating"]["@type"], "AggregateRating");
    assert!(p["aggregateRating"]["ratingValue"].is_number());
    assert!(p["aggregateRating"]["reviewCount"].is_number());
    let reviews = p["review"].as_array().unwrap();
    assert!(!reviews.is_empty());
    assert_eq!(reviews[0]["reviewRating"]["@type"], "Rating");
    assert!(reviews[0]["author"]["name"].is_string());
}

#[test]
fn faq_front_matter_gives_faq_page() {
    let site = example();
    let page = site.html("blog/cooking-with-extra-virgin/index.html");
    let faq = of_type(&json_ld(&page), "FAQPage").clone();
    let first = &faq["mainEntity"][0];
    assert_eq!(first["@type"], "Question");
    assert_eq!(first["acceptedAnswer"]["@type"], "Answer");
    assert!(first["acceptedAnswer"]["text"].as_str().unwrap().len() > 10);
}

#[test]
fn hostile_strings_stay_inside_json_ld_and_attributes() {
    let evil = "</script><script>alert(1)</script> \"quoted\" & <!--";
    let site = TestSite::minimal().file(
        "content/blog/x.md",
        &format!(
            "---\ntitle: '{evil}'\ndescription: '{evil}'\ndate: 2025-01-01\nfaq:\n  - {{ q: '{evil}', a: '{evil}' }}\n---\nBody.\n"
        ),
    );
    site.build(&[]).assert_ok();
    let page = site.html("blog/x/index.html");
    assert_eq!(
        page.all("script:not([type]):not([src])").len(),
        0,
        "no script was injected"
    );
    let ld = json_ld(&page);
    assert_eq!(of_type(&ld, "BlogPosting")["description"], evil);
    assert_eq!(of_type(&ld, "FAQPage")["mainEntity"][0]["name"], evil);
    assert_eq!(page.attr("meta[property=\"og:title\"]", "content"), evil);
    assert_eq!(page.text("h1"), evil);
    // Inside the raw script text there is no way out of the element.
    let raw = site.read("blog/x/index.html");
    let blocks: Vec<&str> = raw
        .split("<script type=\"application/ld+json\">")
        .skip(1)
        .collect();
    assert!(blocks.len() >= 2, "{raw}");
    for block in blocks {
        let body = &block[..block.find("</script>").unwrap()];
        assert!(!body.contains('<'), "{body}");
    }
    // As written, not only as parsed: attributes and text keep their
    // escapes, each entity with its semicolon (nothing decodes them after
    // the templates escaped them).
    let escaped =
        "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; &lt;!--";
    for at in [
        "<meta property=\"og:title\" content=\"",
        "<meta name=\"twitter:title\" content=\"",
        "<meta name=\"description\" content=\"",
    ] {
        let start = raw.find(at).unwrap_or_else(|| panic!("no {at} in {raw}")) + at.len();
        assert!(
            raw[start..].starts_with(escaped),
            "{}",
            &raw[start..start + 120]
        );
    }
    assert_eq!(raw.matches("<script>").count(), 0, "{raw}");
    assert!(!raw.contains("&LT") && !raw.contains("&lt "), "{raw}");
}

/// The W3C checker's complaint about the minifier: every attribute is
/// separated from the next, whatever its value holds.
#[test]
fn attributes_are_spaced_and_kept_as_the_theme_writes_them() {
    let site = example();
    let raw = site.read("offers/flavour-quiz/index.html");
    assert!(!raw.contains("\"data-"), "an attribute runs into the next");
    let page = site.html("offers/flavour-quiz/index.html");
    // The quiz script selects on these: they must survive as written.
    assert_eq!(
        page.all("form[data-lander-quiz] button[type=\"submit\"]")
            .len(),
        1
    );
    assert!(!page
        .all("form[data-lander-quiz] button[type=\"button\"][data-lander-next]")
        .is_empty());
}

#[test]
fn thank_you_and_noindex_pages_say_noindex() {
    let site = example();
    for rel in [
        "offers/spring-sale/thanks/index.html",
        "404.html",
        "legal/privacy/index.html",
    ] {
        let page = site.html(rel);
        assert_eq!(
            page.attr("meta[name=robots]", "content"),
            "noindex, follow",
            "{rel}"
        );
    }
    assert!(site
        .html("about/index.html")
        .all("meta[name=robots]")
        .is_empty());
}

#[test]
fn title_pattern_and_canonical_override() {
    let site = TestSite::empty()
        .file("site.yaml", "title: Shop\nbase_url: https://shop.test\nseo:\n  title_pattern: \"{title} — {site}\"\n  twitter: \"@shop\"\n")
        .file("content/_index.md", "---\ntitle: Shop home\n---\n")
        .file("content/a.md", "---\ntitle: About\ncanonical: https://elsewhere.test/about/\n---\nText.\n");
    site.build(&[]).assert_ok();
    let a = site.html("a/index.html");
    assert_eq!(a.text("title"), "About — Shop");
    assert_eq!(
        a.attr("link[rel=canonical]", "href"),
        "https://elsewhere.test/about/"
    );
    assert_eq!(a.attr("meta[name=\"twitter:site\"]", "content"), "@shop");
    assert_eq!(site.html("index.html").text("title"), "Shop home");
}

#[test]
fn translations_link_each_other_with_hreflang() {
    // Since languages: the language must be declared, and its pages get its prefix.
    let site = TestSite::minimal()
        .file(
            "site.yaml",
            "title: Test Shop\nbase_url: https://shop.test\nlanguages: { ar: {} }\n",
        )
        .file(
            "content/about.md",
            "---\ntitle: About\ntranslation_key: about\n---\nHi.\n",
        )
        .file(
            "content/about-ar.md",
            "---\ntitle: من نحن\nlang: ar\ntranslation_key: about\n---\nمرحبا.\n",
        );
    site.build(&[]).assert_ok();
    for rel in ["about/index.html", "ar/about-ar/index.html"] {
        let page = site.html(rel);
        let mut alts: Vec<(String, String)> = page
            .all("link[rel=alternate][hreflang]")
            .iter()
            .map(|l| {
                (
                    l.value().attr("hreflang").unwrap().into(),
                    l.value().attr("href").unwrap().into(),
                )
            })
            .collect();
        alts.sort();
        assert_eq!(
            alts,
            vec![
                ("ar".into(), "https://shop.test/ar/about-ar/".into()),
                ("en".into(), "https://shop.test/about/".into()),
                ("x-default".into(), "https://shop.test/about/".into()),
            ],
            "{rel}"
        );
    }
}

#[test]
fn affiliate_links_are_sponsored_and_disclosed() {
    let site = TestSite::empty()
        .file("site.yaml", "title: Shop\nbase_url: https://shop.test\nseo:\n  affiliate_domains: [amazon.com]\n")
        .file("content/gear.md", "---\ntitle: Gear\n---\nBuy [this press](https://www.amazon.com/dp/X) or read [our guide](/).\n")
        .file("content/all.md", "---\ntitle: All\naffiliate: true\n---\nSee [a shop](https://shop.example/x).\n")
        .file("content/plain.md", "---\ntitle: Plain\n---\nSee [a shop](https://shop.example/x).\n");
    site.build(&[]).assert_ok();
    let gear = site.html("gear/index.html");
    assert_eq!(
        gear.attr("a[href=\"https://www.amazon.com/dp/X\"]", "rel"),
        "sponsored noopener"
    );
    assert!(gear.all("a[href=\"/\"][rel]").is_empty());
    assert!(gear.text(".affiliate-disclosure").contains("affiliate"));
    assert_eq!(
        site.html("all/index.html")
            .attr("a[href=\"https://shop.example/x\"]", "rel"),
        "sponsored noopener"
    );
    let plain = site.html("plain/index.html");
    assert!(plain.all("a[rel~=sponsored]").is_empty());
    assert!(plain.all(".affiliate-disclosure").is_empty());
}

#[test]
fn markdown_images_get_their_size_and_lazy_loading() {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"320\" height=\"200\"/>";
    let site = TestSite::minimal()
        .file("static/images/grove.svg", svg)
        .file(
            "content/a.md",
            "---\ntitle: A\n---\nText.\n\n![The grove at dawn](/images/grove.svg)\n",
        );
    site.build(&[]).assert_ok();
    let page = site.html("a/index.html");
    let img = "img[src=\"/images/grove.svg\"]";
    assert_eq!(page.attr(img, "width"), "320");
    assert_eq!(page.attr(img, "height"), "200");
    assert_eq!(page.attr(img, "loading"), "lazy");
    assert_eq!(page.attr(img, "alt"), "The grove at dawn");
}
