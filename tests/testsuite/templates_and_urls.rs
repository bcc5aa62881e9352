//! Template overrides, custom layouts, escaping of untrusted strings, and
//! the URLs pages get (Unicode slugs, base paths).

use crate::common;

use crate::common::TestSite;

#[test]
fn site_template_overrides_the_theme_by_name() {
    let site = TestSite::minimal()
        .file("content/about.md", "---\ntitle: About us\n---\nHello.\n")
        .file(
            "templates/page.html",
            "{% extends \"base.html\" %}{% block content %}<h1 class=\"custom\">{{ page.title }}</h1>{% endblock content %}",
        );
    site.build(&[]).assert_ok();
    let page = site.html("about/index.html");
    assert_eq!(page.text("h1.custom"), "About us");
    // The rest of the theme still applies.
    assert!(!page.all("header.site-header").is_empty());
}

#[test]
fn custom_layout_uses_the_site_template_and_unknown_layout_is_an_error() {
    let site = TestSite::minimal()
        .file("content/pricing.md", "---\ntitle: Pricing\nlayout: pricing\n---\nPlans.\n")
        .file(
            "templates/pricing.html",
            "{% extends \"base.html\" %}{% block content %}<p id=\"plans\">{{ page.content | safe }}</p>{% endblock content %}",
        );
    site.build(&[]).assert_ok();
    assert!(site.read("pricing/index.html").contains("Plans."));

    site.remove("templates/pricing.html");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("content/pricing.md:3:1")
        .assert_stderr_has("no template `pricing.html`")
        .assert_stderr_has("help: create templates/pricing.html");
}

#[test]
fn hostile_strings_are_escaped_in_text_and_attributes() {
    let title = r#"Oils </title><script>alert(1)</script> & "quotes""#;
    let site = TestSite::minimal().file(
        "content/blog/x.md",
        &format!(
            "---\ntitle: '{}'\ndescription: '\"><img src=x onerror=alert(2)>'\ndate: 2025-01-01\ntags: ['<b>bold</b>']\n---\nBody.\n",
            title.replace('\'', "''")
        ),
    );
    site.build(&[]).assert_ok();
    // The minifier may leave `<` unescaped where HTML allows it (inside a
    // quoted attribute, or `<script>` as text inside <title>); what matters
    // is that a parser sees no new elements and the exact text comes back.
    let page = site.html("blog/x/index.html");
    assert_eq!(page.all("img[onerror]").len(), 0);
    assert_eq!(page.all("b").len(), 0);
    assert_eq!(page.attr("ul.tags a", "href"), "/tags/b-bold-b/");
    assert_eq!(page.text("ul.tags a"), "<b>bold</b>");
    assert_eq!(page.text("title"), format!("{title} | Test Shop"));
    // Parsed back, the text is exactly what the author wrote.
    assert_eq!(page.text("h1"), title);
    assert_eq!(
        page.attr("meta[name=description]", "content"),
        "\"><img src=x onerror=alert(2)>"
    );
    assert_eq!(page.all("script:not([type]):not([src])").len(), 0);
}

#[test]
fn arabic_file_names_give_arabic_urls() {
    let site = TestSite::minimal()
        .file(
            "site.yaml",
            "title: Test Shop\nbase_url: https://shop.test\nlanguages: { ar: {} }\n",
        )
        .file(
            "content/blog/زيت-الزيتون.md",
            "---\ntitle: زيت الزيتون\ndate: 2025-05-01\nlang: ar\n---\nنص.\n",
        );
    site.build(&[]).assert_ok();
    let page = site.html("ar/blog/زيت-الزيتون/index.html");
    assert_eq!(page.text("h1"), "زيت الزيتون");
    assert_eq!(page.attr("html", "lang"), "ar");
    assert_eq!(page.attr("html", "dir"), "rtl");
    let blog = site.html("ar/blog/index.html");
    assert_eq!(blog.attr(".card-title a", "href"), "/ar/blog/زيت-الزيتون/");
}

#[test]
fn latin_file_names_are_slugified_and_front_matter_slug_wins() {
    let site = TestSite::minimal()
        .file("content/Crème Brûlée Oil.md", "---\ntitle: A\n---\n")
        .file(
            "content/blog/x.md",
            "---\ntitle: B\nslug: spring-notes\ndate: 2025-01-01\n---\n",
        );
    site.build(&[]).assert_ok();
    assert!(site.exists("creme-brulee-oil/index.html"));
    assert!(site.exists("blog/spring-notes/index.html"));
    assert!(!site.exists("blog/x/index.html"));
}

#[test]
fn base_url_with_a_path_prefixes_every_link() {
    let site = TestSite::empty()
        .file("site.yaml", "title: Shop\nbase_url: https://example.com/shop\nmenu:\n  - { name: Blog, url: /blog/ }\n")
        .file("content/_index.md", "---\ntitle: Home\n---\n")
        .file("content/blog/a.md", "---\ntitle: A\ndate: 2025-01-01\ntags: [news]\n---\nText.\n");
    site.build(&[]).assert_ok();
    let page = site.html("blog/a/index.html");
    assert_eq!(
        page.attr("link[rel=canonical]", "href"),
        "https://example.com/shop/blog/a/"
    );
    assert!(page
        .attr("link[rel=stylesheet]", "href")
        .starts_with("/shop/assets/style."));
    assert_eq!(page.attr("a.brand", "href"), "/shop/");
    assert!(page
        .attrs("nav a", "href")
        .contains(&"/shop/blog/".to_string()));
    assert_eq!(page.attr("ul.tags a", "href"), "/shop/tags/news/");
}

#[test]
fn summary_description_and_reading_time() {
    let long = "word ".repeat(450);
    let site = TestSite::minimal().file(
        "content/blog/a.md",
        &format!("---\ntitle: A\ndate: 2025-01-01\n---\nThe opening paragraph is the summary.\n\n{long}\n"),
    );
    site.build(&[]).assert_ok();
    let page = site.html("blog/a/index.html");
    // No description in front matter: the summary's text is used.
    assert_eq!(
        page.attr("meta[name=description]", "content"),
        "The opening paragraph is the summary."
    );
    assert!(
        page.text("p.meta").contains("3 min read"),
        "{}",
        page.text("p.meta")
    );
}

#[test]
fn files_beside_markdown_and_static_files_are_copied() {
    let site = TestSite::minimal()
        .file("static/robots-extra.txt", "hello")
        .file(
            "content/blog/photo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        );
    site.build(&[]).assert_ok();
    assert_eq!(site.read("robots-extra.txt"), "hello");
    assert!(site.exists("blog/photo.svg"));
}

#[test]
fn a_site_with_nothing_but_config_builds() {
    let site = TestSite::empty().file("site.yaml", "title: Empty\n");
    site.build(&[]).assert_ok();
    assert_eq!(site.html("index.html").text("h1"), "Empty");
    assert!(site.exists("404.html"));
}

#[test]
fn root_relative_markdown_links_get_the_base_path() {
    let site = TestSite::empty()
        .file("site.yaml", "title: Shop\nbase_url: https://example.com/shop\n")
        .file("static/images/a.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"5\"/>")
        .file("content/a.md", "---\ntitle: A\n---\nSee [the blog](/blog/) and [B](/shop/b/).\n\n![An image](/images/a.svg)\n");
    site.build(&[]).assert_ok();
    let page = site.html("a/index.html");
    let links = page.attrs("main a", "href");
    assert!(links.contains(&"/shop/blog/".to_string()), "{links:?}");
    assert!(
        links.contains(&"/shop/b/".to_string()),
        "already prefixed: {links:?}"
    );
    assert_eq!(
        page.attr("img[alt=\"An image\"]", "src"),
        "/shop/images/a.svg"
    );
    assert_eq!(page.attr("img[alt=\"An image\"]", "width"), "10");
}

/// A written slug is a URL segment like a file name's: lower case, spaces
/// to dashes, other scripts kept, and the folder, canonical, og:url, links
/// and sitemap name it the same way.
#[test]
fn written_slugs_are_normalised_and_every_url_agrees() {
    let site = TestSite::minimal()
        .file(
            "content/sale.md",
            "---\ntitle: Sale\nslug: 'Spring Sale 2024 '\n---\nSee [the oil](/زيت-الزيتون/).\n",
        )
        .file(
            "content/oil.md",
            "---\ntitle: Oil\nslug: 'زيت الزيتون'\n---\nBack to [the sale](/spring-sale-2024/).\n",
        );
    site.build(&[]).assert_ok();
    assert!(site.exists("spring-sale-2024/index.html"));
    assert!(!site.exists("Spring Sale 2024 /index.html"));
    let sale = site.html("spring-sale-2024/index.html");
    assert_eq!(
        sale.attr("link[rel=canonical]", "href"),
        "https://shop.test/spring-sale-2024/"
    );
    assert_eq!(
        sale.attr("meta[property=\"og:url\"]", "content"),
        "https://shop.test/spring-sale-2024/"
    );
    let oil = site.html("زيت-الزيتون/index.html");
    let encoded =
        "https://shop.test/%D8%B2%D9%8A%D8%AA-%D8%A7%D9%84%D8%B2%D9%8A%D8%AA%D9%88%D9%86/";
    assert_eq!(oil.attr("link[rel=canonical]", "href"), encoded);
    assert_eq!(oil.attr("meta[property=\"og:url\"]", "content"), encoded);
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains(&format!("<loc>{encoded}</loc>")),
        "{sitemap}"
    );
    assert!(sitemap.contains("<loc>https://shop.test/spring-sale-2024/</loc>"));
    // lander check follows both links: nothing is broken.
    let root = site.path().to_string_lossy().into_owned();
    common::lander(site.path(), &["check", "--root", &root]).assert_ok();
}

#[test]
fn a_slug_without_letters_or_digits_is_refused_with_its_line() {
    let site = TestSite::minimal().file("content/x.md", "---\ntitle: X\nslug: '!!!'\n---\nBody.\n");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("content/x.md:3:")
        .assert_stderr_has("slug");
}
