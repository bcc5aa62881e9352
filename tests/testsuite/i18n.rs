//! Multilingual sites: languages declared in site.yaml, content in each
//! language, right-to-left pages, translated theme strings and offers,
//! hreflang, the language switcher, per-language feeds and sitemap entries,
//! locale-formatted prices, and the errors and warnings around them.

use crate::common;

use crate::common::{lander, TestSite};

const OLIVA: &str = "https://oliva.example";

/// site-example built during its flash sale, so that every offer runs.
fn built_example() -> TestSite {
    let site = TestSite::copy_of("site-example");
    site.build(&["--now", "2026-11-25T12:00:00Z"]).assert_ok();
    site
}

#[test]
fn both_languages_have_their_lang_and_direction() {
    let site = built_example();
    for (rel, lang, dir) in [
        ("index.html", "en", "ltr"),
        ("blog/how-to-taste-olive-oil/index.html", "en", "ltr"),
        ("ar/index.html", "ar", "rtl"),
        ("ar/blog/how-to-taste-olive-oil/index.html", "ar", "rtl"),
        ("ar/products/tasting-set/index.html", "ar", "rtl"),
        ("ar/offers/flash-sale/thanks/index.html", "ar", "rtl"),
        ("ar/blog/index.html", "ar", "rtl"),
    ] {
        let page = site.html(rel);
        assert_eq!(page.attr("html", "lang"), lang, "{rel}");
        assert_eq!(page.attr("html", "dir"), dir, "{rel}");
    }
    let ar = site.html("ar/index.html");
    assert_eq!(ar.attr("meta[property=\"og:locale\"]", "content"), "ar_EG");
    assert_eq!(
        ar.text("title"),
        "أوليفا وشركاه: زيت زيتون من بستان عائلتنا"
    );
}

#[test]
fn translations_carry_hreflang_and_x_default() {
    let site = built_example();
    for rel in [
        "blog/how-to-taste-olive-oil/index.html",
        "ar/blog/how-to-taste-olive-oil/index.html",
    ] {
        let page = site.html(rel);
        let mut alts: Vec<(String, String)> = page
            .all("link[rel=alternate][hreflang]")
            .iter()
            .map(|l| {
                (
                    l.value().attr("hreflang").unwrap().to_string(),
                    l.value().attr("href").unwrap().to_string(),
                )
            })
            .collect();
        alts.sort();
        assert_eq!(
            alts,
            [
                ("ar", "/ar/blog/how-to-taste-olive-oil/"),
                ("en", "/blog/how-to-taste-olive-oil/"),
                ("x-default", "/blog/how-to-taste-olive-oil/"),
            ]
            .map(|(l, p)| (l.to_string(), format!("{OLIVA}{p}"))),
            "{rel}"
        );
    }
    // A page with no translation has no alternates.
    let terms = site.html("legal/terms/index.html");
    assert!(terms.all("link[rel=alternate][hreflang]").is_empty());
    // Lists translate one another too.
    let blog = site.html("ar/blog/index.html");
    assert_eq!(
        blog.attr("link[rel=alternate][hreflang=en]", "href"),
        format!("{OLIVA}/blog/")
    );
}

#[test]
fn the_switcher_links_to_the_translation_or_the_home_page() {
    let site = built_example();
    let post = site.html("blog/how-to-taste-olive-oil/index.html");
    let nav = "nav.lang-switcher";
    assert!(!post.attr(nav, "aria-label").is_empty());
    assert_eq!(
        post.attr(&format!("{nav} a[hreflang=ar]"), "href"),
        "/ar/blog/how-to-taste-olive-oil/"
    );
    assert_eq!(post.attr(&format!("{nav} a[hreflang=ar]"), "lang"), "ar");
    assert_eq!(post.text(&format!("{nav} a[hreflang=ar]")), "العربية");
    assert_eq!(post.text(&format!("{nav} [aria-current]")), "English");

    let ar = site.html("ar/blog/how-to-taste-olive-oil/index.html");
    assert_eq!(
        ar.attr(&format!("{nav} a[hreflang=en]"), "href"),
        "/blog/how-to-taste-olive-oil/"
    );
    assert_eq!(ar.attr(nav, "aria-label"), "اللغات");
    // No Arabic version of the shipping page: the switcher goes home.
    let shipping = site.html("shipping/index.html");
    assert_eq!(
        shipping.attr(&format!("{nav} a[hreflang=ar]"), "href"),
        "/ar/"
    );
}

#[test]
fn theme_strings_and_offers_speak_the_page_language() {
    let site = built_example();
    let quiz = site.html("ar/quiz/index.html");
    let step = |n: u8, css: &str| format!(".lander-step[data-step=\"{n}\"] {css}");
    assert_eq!(quiz.text(&step(1, "[data-lander-next]")), "التالي");
    assert_eq!(quiz.text(&step(2, "[data-lander-back]")), "السابق");
    assert_eq!(quiz.text(&step(4, "[data-lander-skip]")), "تخطَّ");
    assert_eq!(quiz.text("form .lander-submit"), "أرسلوا لي ترشيحي");
    assert_eq!(quiz.attr("form input[name=lang]", "value"), "ar");
    assert_eq!(quiz.text(&step(1, "> legend")), "إلى أين نرسل ترشيحك؟");
    // Options are shown in Arabic but send the offer's own values.
    let option = quiz.all("input[name=readiness]")[0]
        .value()
        .attr("value")
        .unwrap()
        .to_string();
    assert_eq!(option, "This week");
    assert!(quiz.text("label[for$=readiness-1]").contains("هذا الأسبوع"));
    assert_eq!(quiz.text("a.skip-link"), "انتقل إلى المحتوى");
    assert_eq!(
        quiz.attr("form[data-lander-form]", "data-success"),
        "شكرًا لك! تفقّد بريدك الوارد."
    );

    let sale = site.html("ar/flash-sale/index.html");
    let labels = sale.attrs("[data-lander-countdown]", "data-labels");
    assert!(!labels.is_empty());
    assert!(labels
        .iter()
        .all(|l| l == "الأيام|الساعات|الدقائق|الثواني|انتهى هذا العرض"));
    let badges = sale.all(".lander-offer .badge");
    assert!(
        badges.iter().all(|b| b.inner_html() == "خصم ٢٠٪"),
        "{}",
        badges.len()
    );

    // The English pages keep English strings.
    let en = site.html("quiz/index.html");
    assert_eq!(en.text(&step(1, "[data-lander-next]")), "Next");
    assert_eq!(en.attr("form input[name=lang]", "value"), "en");
}

#[test]
fn prices_are_formatted_for_the_locale_and_json_ld_stays_plain() {
    let site = built_example();
    let ar = site.html("ar/products/early-harvest-500ml/index.html");
    assert_eq!(ar.text(".product-info .price"), "١٨٫٥٠\u{a0}€");
    assert!(ar.text(".rating").contains("١٢٨"), "{}", ar.text(".rating"));
    let json_ld = ar
        .all("script[type=\"application/ld+json\"]")
        .iter()
        .map(|s| s.inner_html())
        .find(|s| s.contains("\"Product\""))
        .unwrap();
    assert!(json_ld.contains("\"price\":\"18.50\""), "{json_ld}");
    let en = site.html("products/early-harvest-500ml/index.html");
    assert_eq!(en.text(".product-info .price"), "€18.50");
}

#[test]
fn each_language_has_its_lists_feed_and_sitemap_entries() {
    let site = built_example();
    for rel in [
        "ar/blog/index.html",
        "ar/products/index.html",
        "ar/tags/index.html",
        "ar/atom.xml",
        "ar/offers/tasting-guide/index.html",
        "ar/offers/tasting-guide/thanks/index.html",
    ] {
        assert!(site.exists(rel), "{rel}");
    }
    let feed = site.read("ar/atom.xml");
    assert!(feed.contains("xml:lang=\"ar\""));
    assert!(feed.contains(&format!("{OLIVA}/ar/blog/how-to-taste-olive-oil/")));
    assert!(!feed.contains(&format!("{OLIVA}/blog/how-to-taste-olive-oil/")));
    let en_feed = site.read("atom.xml");
    assert!(!en_feed.contains("/ar/blog/"));
    let ar_blog = site.html("ar/blog/index.html");
    assert!(ar_blog
        .attrs(".card-title a", "href")
        .iter()
        .all(|h| h.starts_with("/ar/blog/")));

    let sitemap = site.read("sitemap.xml");
    for loc in [
        "/ar/",
        "/ar/blog/",
        "/ar/products/tasting-set/",
        "/ar/offers/tasting-guide/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>{OLIVA}{loc}</loc>")),
            "{loc} not in the sitemap"
        );
    }
    assert!(sitemap.contains(&format!(
        "<xhtml:link rel=\"alternate\" hreflang=\"ar\" href=\"{OLIVA}/ar/products/tasting-set/\"/>"
    )));
    assert!(!sitemap.contains("/ar/unsubscribe/"), "noindex stays out");
}

#[test]
fn an_undeclared_language_is_an_error_with_its_line() {
    let site = TestSite::minimal()
        .file("content/post.fr.md", "---\ntitle: Bonjour\n---\nSalut.\n")
        .file(
            "content/page.md",
            "---\ntitle: Hola\nlang: es\n---\nHola.\n",
        );
    let run = site.build(&[]);
    run.assert_fails();
    assert_eq!(run.code, Some(1));
    run.assert_stderr_has(
        "content/post.fr.md:1:1: the language `fr` (the file name) is not declared in site.yaml",
    );
    run.assert_stderr_has(
        "content/page.md:3:1: the language `es` (`lang:`) is not declared in site.yaml",
    );
    run.assert_stderr_has("add `es:` under `languages:` in site.yaml");
}

#[test]
fn a_typo_in_languages_is_located() {
    let site = TestSite::minimal().file(
        "site.yaml",
        "title: T\nbase_url: https://shop.test\nlanguages:\n  ar:\n    dirction: rtl\n",
    );
    let run = site.build(&[]);
    run.assert_fails();
    run.assert_stderr_has("site.yaml:5");
    run.assert_stderr_has("did you mean `direction`?");
}

#[test]
fn a_missing_theme_string_is_a_check_warning_naming_language_and_key() {
    // French is declared but the theme ships no French strings; the site
    // translates only one of them.
    let site = TestSite::minimal()
        .file(
            "site.yaml",
            "title: T\nbase_url: https://shop.test\nlanguages: { fr: { title: Boutique } }\n",
        )
        .file("i18n/fr.yaml", "next: Suivant\n")
        .file(
            "content/_index.fr.md",
            "---\ntitle: Accueil\n---\nBonjour.\n",
        );
    site.build(&[]).assert_ok();
    let run = lander(site.path(), &["check", "--root", "."]);
    let out = format!("{}{}", run.stdout, run.stderr);
    assert!(out.contains("missing-translation"), "{out}");
    assert!(
        out.contains("the theme string `back` has no `fr` translation"),
        "{out}"
    );
    assert!(!out.contains("`next` has no"), "{out}");
    // The French page falls back to English for what is missing.
    let home = site.html("fr/index.html");
    assert_eq!(home.attr("html", "lang"), "fr");
    assert_eq!(home.text("a.skip-link"), "Skip to content");
}

#[test]
fn site_strings_override_the_theme_and_typos_are_errors() {
    let site = TestSite::minimal()
        .file(
            "site.yaml",
            "title: T\nbase_url: https://shop.test\nlanguages: { ar: {} }\n",
        )
        .file("i18n/ar.yaml", "skip_to_content: \"إلى النص\"\n");
    site.build(&[]).assert_ok();
    assert_eq!(site.html("ar/index.html").text("a.skip-link"), "إلى النص");
    site.write("i18n/ar.yaml", "skip_to_contnt: x\n".as_bytes());
    let run = site.build(&[]);
    run.assert_fails();
    run.assert_stderr_has("i18n/ar.yaml:1:1: unknown theme string `skip_to_contnt`");
    run.assert_stderr_has("did you mean `skip_to_content`?");
}

#[test]
fn offer_translations_are_checked_against_the_offer() {
    let site = TestSite::minimal()
        .file(
            "site.yaml",
            "title: T\nbase_url: https://shop.test\nlanguages: { ar: {} }\nforms: { endpoint: \"https://f.test/\" }\n",
        )
        .file(
            "offers/news.yaml",
            "headline: News\nform:\n  fields: [{ name: email, type: email }]\ntranslations:\n  ar:\n    headline: أخبار\n    form:\n      fields:\n        emial: { label: البريد }\n",
        );
    let run = site.build(&[]);
    run.assert_fails();
    run.assert_stderr_has("offers/news.yaml:4:1");
    run.assert_stderr_has("the form has no field `emial` to translate (did you mean `email`?)");
}

/// Text of the first element matching `css`.
fn first_text(page: &common::Page, css: &str) -> String {
    let found = page.all(css);
    let el = found.first().unwrap_or_else(|| panic!("no element {css}"));
    el.text().collect::<String>().trim().to_string()
}

#[test]
fn post_dates_and_reading_times_are_written_in_the_page_language() {
    let site = built_example();
    let ar = site.html("ar/blog/how-to-taste-olive-oil/index.html");
    // The machine-readable date stays ISO; people read it in Arabic.
    assert_eq!(ar.attr("p.meta time", "datetime"), "2025-09-14");
    assert_eq!(ar.text("p.meta time"), "١٤ سبتمبر ٢٠٢٥");
    let meta = ar.text("p.meta");
    assert!(meta.contains("قراءة في ٢ دقائق"), "{meta}");
    assert!(!meta.chars().any(|c| c.is_ascii_digit()), "{meta}");

    let en = site.html("blog/how-to-taste-olive-oil/index.html");
    assert_eq!(en.attr("p.meta time", "datetime"), "2025-09-14");
    assert_eq!(en.text("p.meta time"), "14 September 2025");
    assert!(
        en.text("p.meta").contains("3 min read"),
        "{}",
        en.text("p.meta")
    );

    // Cards on list pages too.
    let list = site.html("ar/blog/index.html");
    let card = first_text(&list, "article .meta time");
    assert!(!card.chars().any(|c| c.is_ascii_digit()), "{card}");
    assert!(list
        .attr("article .meta time", "datetime")
        .starts_with("20"));

    // Reviews: the rating and its date.
    let product = site.html("ar/products/early-harvest-500ml/index.html");
    let review = first_text(&product, ".review footer");
    assert!(review.contains("٥/٥"), "{review}");
    assert!(!review.chars().any(|c| c.is_ascii_digit()), "{review}");
    let rating = product.text(".rating");
    assert!(rating.contains("من ٥"), "{rating}");
    // Tag counts.
    let tags = site.html("ar/tags/index.html");
    let counts: String = tags.all(".count").iter().flat_map(|c| c.text()).collect();
    assert!(counts.contains('١'), "{counts}");
    assert!(!counts.chars().any(|c| c.is_ascii_digit()), "{counts}");
}

#[test]
fn pagination_numbers_are_written_in_the_page_language() {
    let mut site = TestSite::minimal().file(
        "site.yaml",
        "title: T\nbase_url: https://shop.test\npaginate_by: 1\nlanguages: { ar: { locale: ar-EG } }\n",
    );
    for (n, day) in [(1, "01"), (2, "08"), (3, "15")] {
        site = site
            .file(
                &format!("content/blog/p{n}.ar.md"),
                &format!("---\ntitle: م{n}\ndate: 2026-03-{day}\ntags: [زيت]\n---\nنص.\n"),
            )
            .file(
                &format!("content/blog/p{n}.md"),
                &format!("---\ntitle: P{n}\ndate: 2026-03-{day}\n---\nText.\n"),
            );
    }
    site.build(&[]).assert_ok();
    let ar = site.html("ar/blog/page/2/index.html");
    assert_eq!(ar.text(".pagination .pager-status"), "الصفحة ٢ من ٣");
    assert_eq!(ar.text(".pagination [aria-current=page]"), "٢");
    let links: Vec<String> = ar
        .all(".pagination ul a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(links, ["١", "٣"]);
    assert!(
        ar.text("title").contains("الصفحة ٢"),
        "{}",
        ar.text("title")
    );
    assert_eq!(ar.text("article .meta time"), "٨ مارس ٢٠٢٦");
    assert_eq!(ar.attr("article .meta time", "datetime"), "2026-03-08");
    let tag = site.html("ar/tags/زيت/page/3/index.html");
    assert_eq!(tag.text(".pagination .pager-status"), "الصفحة ٣ من ٣");
    let count = first_text(&tag, "p.meta");
    assert!(count.contains('٣'), "{count}");

    let en = site.html("blog/page/2/index.html");
    assert_eq!(en.text(".pagination .pager-status"), "Page 2 of 3");
    assert_eq!(en.text(".pagination [aria-current=page]"), "2");
    assert_eq!(en.text("article .meta time"), "8 March 2026");
}

#[test]
fn sites_can_rename_the_months() {
    let site = TestSite::minimal()
        .file(
            "i18n/en.yaml",
            "months: \"Jan, Feb, Mar, Apr, May, Jun, Jul, Aug, Sep, Oct, Nov, Dec\"\ndate: \"{month} {day}, {year}\"\n",
        )
        .file(
            "content/blog/a.md",
            "---\ntitle: A\ndate: 2026-03-08T09:00:00+02:00\n---\nText.\n",
        );
    site.build(&[]).assert_ok();
    let post = site.html("blog/a/index.html");
    assert_eq!(post.text("p.meta time"), "Mar 8, 2026");
    assert!(post
        .attr("p.meta time", "datetime")
        .starts_with("2026-03-08T09:00:00"));
}
