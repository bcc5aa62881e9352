//! Builds the bundled `site-example/` (the olive-oil shop) and checks the
//! HTML a visitor and a search engine would get.

use crate::common;

use crate::common::{lander, TestSite};

fn built() -> TestSite {
    let site = TestSite::copy_of("site-example");
    let run = site.build(&[]);
    run.assert_ok();
    assert!(run.stdout.starts_with("Built "), "{}", run.stdout);
    assert!(
        run.stdout.contains(" pages in ") && run.stdout.contains(" ms -> "),
        "{}",
        run.stdout
    );
    site
}

#[test]
fn every_kind_of_page_is_written_with_pretty_urls() {
    let site = built();
    for rel in [
        "index.html",
        "404.html",
        "blog/index.html",
        "blog/page/2/index.html",
        "blog/how-to-taste-olive-oil/index.html",
        "blog/olive-oil-labels-explained/index.html",
        "products/index.html",
        "products/early-harvest-500ml/index.html",
        "about/index.html",
        "harvest-club/index.html",
        "legal/index.html",
        "legal/privacy/index.html",
        "tags/index.html",
        "tags/tasting/index.html",
        "offers/spring-sale/index.html",
        "offers/spring-sale/thanks/index.html",
        "images/bottle.svg",
        "favicon.svg",
    ] {
        assert!(site.exists(rel), "missing {rel}");
    }
    // The file stem is ignored when front matter gives a slug.
    assert!(!site.exists("blog/reading-an-olive-oil-label/index.html"));
}

#[test]
fn post_page_has_title_meta_canonical_and_content() {
    let site = built();
    let page = site.html("blog/how-to-taste-olive-oil/index.html");
    assert_eq!(page.text("h1"), "How to Taste Olive Oil Like a Miller");
    assert_eq!(
        page.text("title"),
        "How to Taste Olive Oil Like a Miller | Oliva & Co"
    );
    assert_eq!(
        page.attr("link[rel=canonical]", "href"),
        "https://oliva.example/blog/how-to-taste-olive-oil/"
    );
    assert!(page.attr("meta[name=description]", "content").len() > 50);
    assert_eq!(page.attr("html", "lang"), "en");
    // Heading ids and a table of contents that links to them.
    let toc_links = page.attrs("nav.toc a", "href");
    assert!(!toc_links.is_empty());
    for href in &toc_links {
        let id = href.trim_start_matches('#');
        assert_eq!(
            page.all(&format!("[id=\"{id}\"]")).len(),
            1,
            "no element with id {id}"
        );
    }
    // Markdown extensions: footnotes and task lists are in this post.
    assert!(!page.all(".footnote-definition").is_empty());
    assert!(!page.all("li input[type=checkbox]").is_empty());
    // Tags link to their pages; the front matter offer adds its CTA.
    assert!(page
        .attrs("ul.tags a", "href")
        .contains(&"/tags/tasting/".to_string()));
    assert_eq!(page.attr(".offer-cta a", "href"), "/offers/tasting-guide/");
}

#[test]
fn drafts_only_with_the_flag() {
    let site = built();
    assert!(!site.exists("blog/pruning-season/index.html"));
    let blog = site.read("blog/index.html") + &site.read("blog/page/2/index.html");
    assert!(!blog.contains("/blog/pruning-season/"));

    site.build(&["--drafts"]).assert_ok();
    let page = site.html("blog/pruning-season/index.html");
    assert_eq!(page.text(".post-header .badge"), "Draft");
    assert_eq!(page.attr("meta[name=robots]", "content"), "noindex, follow");
}

#[test]
fn blog_index_paginates_newest_first() {
    let site = built();
    let first = site.html("blog/index.html");
    let titles: Vec<String> = first
        .all(".card-title a")
        .iter()
        .map(|a| a.text().collect::<String>())
        .collect();
    assert_eq!(titles.len(), 4, "paginate_by: 4 in site-example");
    let dates = first.attrs(".card time", "datetime");
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "newest first");
    assert_eq!(first.attr("a[rel=next]", "href"), "/blog/page/2/");
    let second = site.html("blog/page/2/index.html");
    assert_eq!(second.attr("a[rel=prev]", "href"), "/blog/");
    assert_eq!(second.all(".card").len(), 1);
    assert_eq!(
        second.attr("link[rel=canonical]", "href"),
        "https://oliva.example/blog/page/2/"
    );
}

#[test]
fn tag_pages_list_their_posts() {
    let site = built();
    let tags = site.html("tags/index.html");
    assert!(tags
        .attrs("a[rel=tag]", "href")
        .contains(&"/tags/harvest/".to_string()));
    let tasting = site.html("tags/tasting/index.html");
    let links = tasting.attrs(".card-title a", "href");
    assert!(
        links.contains(&"/blog/how-to-taste-olive-oil/".to_string()),
        "{links:?}"
    );
}

#[test]
fn product_pages_show_price_reviews_and_related() {
    let site = built();
    let page = site.html("products/early-harvest-500ml/index.html");
    assert!(page.text(".product-info .price").starts_with('€'));
    assert!(!page.all(".review").is_empty());
    assert!(!page.all(".rating").is_empty());
    let related = page.attrs("section .card-title a", "href");
    assert!(!related.is_empty());
    assert!(
        related.iter().all(|h| h.starts_with("/products/")),
        "{related:?}"
    );
    let index = site.html("products/index.html");
    assert_eq!(index.all(".card").len(), 4);
}

#[test]
fn offers_get_a_landing_page_and_a_noindex_thank_you_page() {
    let site = built();
    let offer = site.html("offers/spring-sale/index.html");
    assert_eq!(offer.text(".badge"), "€10 off");
    assert!(
        offer.all("meta[name=robots]").is_empty(),
        "offer pages are indexable"
    );
    let thanks = site.html("offers/spring-sale/thanks/index.html");
    assert_eq!(
        thanks.attr("meta[name=robots]", "content"),
        "noindex, follow"
    );
    assert!(
        !thanks.all(".thanks a.button").is_empty(),
        "next step is shown"
    );
}

#[test]
fn landing_layout_and_sections() {
    let site = built();
    let landing = site.html("harvest-club/index.html");
    assert_eq!(landing.attr("body", "class"), "kind-landing");
    assert!(!landing.all(".hero-landing a.button").is_empty());
    let legal = site.html("legal/index.html");
    let links = legal.attrs(".section-pages a", "href");
    assert!(links.contains(&"/legal/privacy/".to_string()), "{links:?}");
}

#[test]
fn assets_are_fingerprinted_and_linked() {
    let site = built();
    let page = site.html("index.html");
    let css = page.attr("link[rel=stylesheet]", "href");
    assert!(
        css.starts_with("/assets/style.") && css.ends_with(".css"),
        "{css}"
    );
    assert!(site.exists(css.trim_start_matches('/')));
}

/// Pages are written as the compact templates render them: no
/// indentation is left (outside `<pre>`), and nothing minified them after.
#[test]
fn html_is_compact_as_written() {
    let site = built();
    let html = site.read("about/index.html");
    assert!(html.starts_with("<!doctype html>"), "{}", &html[..40]);
    // The about page shows a code block: its lines keep their indentation.
    let mut in_pre = false;
    let indented: Vec<&str> = html
        .lines()
        .filter(|l| {
            let outside = !in_pre;
            if l.contains("<pre") {
                in_pre = true;
            }
            if l.contains("</pre>") {
                in_pre = false;
            }
            outside && l.starts_with([' ', '\t'])
        })
        .collect();
    assert!(indented.is_empty(), "indented lines remain: {indented:#?}");
    // Attribute values keep their quotes, as the theme writes them.
    assert!(
        html.contains("<html lang=\"en\" dir=\"ltr\""),
        "{}",
        &html[..120]
    );
}

#[test]
fn base_url_and_output_flags() {
    let site = TestSite::copy_of("site-example");
    let out = site.path().join("elsewhere");
    let out_arg = out.to_string_lossy().into_owned();
    site.build(&[
        "--base-url",
        "https://staging.oliva.example/",
        "--output",
        &out_arg,
    ])
    .assert_ok();
    let html = std::fs::read_to_string(out.join("about/index.html")).unwrap();
    let page = common::Page(scraper::Html::parse_document(&html));
    assert_eq!(
        page.attr("link[rel=canonical]", "href"),
        "https://staging.oliva.example/about/"
    );
    assert!(!site.exists("index.html"), "default output untouched");
}

#[test]
fn build_is_deterministic() {
    let site = built();
    let first = common::snapshot(&site.out());
    site.build(&[]).assert_ok();
    assert_eq!(first, common::snapshot(&site.out()));
}

#[test]
fn docs_site_at_the_repo_root_builds() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("docs");
    let repo = common::repo();
    let run = lander(
        &repo,
        &["build", "--root", ".", "--output", &out.to_string_lossy()],
    );
    run.assert_ok();
    let page = common::Page(scraper::Html::parse_document(
        &std::fs::read_to_string(out.join("templates/index.html")).unwrap(),
    ));
    assert!(page.text("h1").to_lowercase().contains("template"));
    assert!(out.join("cli/index.html").exists());
    assert!(out.join("content-model/index.html").exists());
}

/// Pages are rendered, minified and written by many threads at once; the
/// output must not depend on how many, nor on their order.
#[test]
fn a_parallel_build_is_byte_identical_to_a_sequential_one() {
    let site = TestSite::copy_of("site-example");
    let build = |threads: &str, out: &str| {
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_lander"))
            .args(["build", "--root", ".", "--output", out])
            .current_dir(site.path())
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .expect("run lander");
        assert!(run.status.success(), "{run:?}");
        common::snapshot(&site.path().join(out))
    };
    let sequential = build("1", "one-thread");
    let parallel = build("8", "eight-threads");
    assert!(sequential.len() > 80, "{} files", sequential.len());
    let names = |files: &[(std::path::PathBuf, Vec<u8>)]| -> Vec<std::path::PathBuf> {
        files.iter().map(|(p, _)| p.clone()).collect()
    };
    assert_eq!(names(&sequential), names(&parallel));
    for ((path, one), (_, many)) in sequential.iter().zip(&parallel) {
        assert!(
            one == many,
            "{} differs between 1 and 8 threads",
            path.display()
        );
    }
}

#[test]
fn timings_name_every_phase_of_a_build() {
    let site = TestSite::copy_of("site-example");
    let run = site.build(&["--timings"]);
    run.assert_ok();
    for phase in [
        "load",
        "theme",
        "markdown",
        "templates",
        "site files",
        "copy, swap",
        "write*",
    ] {
        let line = run
            .stdout
            .lines()
            .find(|l| l.trim_start().starts_with(phase))
            .unwrap_or_else(|| panic!("no `{phase}` line in:\n{}", run.stdout));
        assert!(line.trim_end().ends_with(" ms"), "{line}");
    }
    if cfg!(target_os = "linux") {
        assert!(run.stdout.contains("peak memory"), "{}", run.stdout);
    }
    assert!(run.stdout.lines().last().unwrap().starts_with("Built "));
}
