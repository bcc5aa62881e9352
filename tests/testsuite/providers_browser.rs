//! The mailing-tool adapters and buy buttons, end to end: the fixture
//! `tests/fixtures/providers-site` has one offer per provider (the nine of
//! `form.provider`) and two products. Built with `--form-endpoint` pointing
//! at the loopback sink, each form is filled and sent in headless Chromium,
//! with JavaScript and without, and the sink checks what the vendor's
//! documented API takes: method, content type, field names and nesting.
//! Built without it, the HTML holds the vendors' own addresses.
//!
//! Without Chromium the browser tests print a loud SKIPPED message and
//! pass, unless the CI variable is set (then they fail).

use std::time::Duration;

use crate::common::browser::{click, fill, goto, js, wait_js, Chrome, Js, Sink, Submission, WAIT};
use crate::common::TestSite;
use serde_json::{json, Value};

const FIXTURE: &str = "tests/fixtures/providers-site";
const PROVIDERS: [&str; 9] = [
    "generic",
    "json",
    "netlify",
    "formspree",
    "mailchimp",
    "hubspot",
    "kit",
    "brevo",
    "klaviyo",
];

/// Fields drop in order: browser, then server, then files.
struct Env {
    chrome: Chrome,
    sink: Sink,
    _site: TestSite,
}

fn setup(js: Js) -> Option<Env> {
    let chrome = Chrome::launch(js)?;
    let site = TestSite::copy_of(FIXTURE);
    let sink = Sink::start(&site.out());
    let endpoint = sink.url("/submit");
    site.build(&["--base-url", &sink.base_url(), "--form-endpoint", &endpoint])
        .assert_ok();
    Some(Env {
        chrome,
        sink,
        _site: site,
    })
}

fn form(p: &str) -> String {
    format!(r#"form[data-lander-form][data-offer="{p}"]"#)
}

/// Fills and sends the form of offer `p` on its own page (reached with
/// `query`), and returns what the sink received for it.
fn send(env: &Env, p: &str, query: &str) -> Submission {
    let before = env.sink.submissions().len();
    let tab = env.chrome.tab();
    // HubSpot's tracking code would have set it; the adapter passes it on.
    goto(&tab, &env.sink.url(&format!("/offers/{p}/{query}")));
    if env.chrome.js == Js::On {
        js(&tab, "document.cookie = 'hubspotutk=5f1e2d3c4b5a'");
    }
    let f = form(p);
    fill(&tab, &format!("{f} input[type=email]"), "ada@example.com");
    fill(&tab, &format!("{f} input[autocomplete=given-name]"), "Ada");
    if tab
        .find_element(&format!("{f} .lander-field-consent input"))
        .is_ok()
    {
        click(&tab, &format!("{f} .lander-field-consent input"));
    }
    click(
        &tab,
        &format!("{f} button:not([type=button]):not([type=reset])"),
    );
    let subs = env.sink.wait_for(before + 1, WAIT);
    assert!(
        subs.len() > before,
        "{p}: nothing reached the sink\n{}",
        env.sink.log().join("\n")
    );
    std::thread::sleep(Duration::from_millis(150));
    let subs = env.sink.submissions();
    assert_eq!(
        subs.len(),
        before + 1,
        "{p}: more than one submission: {subs:#?}"
    );
    let s = subs[before].clone();
    eprintln!(
        "providers sink [{p}, JS {:?}]: POST {}{} [{}]{}\n  {}",
        env.chrome.js,
        s.path,
        if s.query.is_empty() {
            String::new()
        } else {
            format!("?{}", s.query)
        },
        s.content_type,
        match s.header("revision") {
            "" => String::new(),
            r => format!(" revision: {r}"),
        },
        s.body
    );
    let _ = tab.close(true);
    s
}

#[track_caller]
fn assert_urlencoded(p: &str, s: &Submission) {
    assert_eq!(s.method, "POST", "{p}");
    assert_eq!(s.path, "/submit", "{p}: {s:#?}");
    assert!(
        s.content_type
            .starts_with("application/x-www-form-urlencoded"),
        "{p}: {s:#?}"
    );
}

/// What every url-encoded provider sends: its own names for lander's fields.
#[track_caller]
fn assert_plain_fields(p: &str, s: &Submission, utm: Option<&str>) {
    let (email, first, offer, lang, page, source, honeypot) = match p {
        "mailchimp" => (
            "EMAIL",
            "FNAME",
            "offer",
            "lang",
            "page",
            "utm_source",
            "b_abc_123",
        ),
        "kit" => (
            "email_address",
            "fields[first_name]",
            "fields[offer]",
            "fields[lang]",
            "fields[page]",
            "fields[utm_source]",
            "_honey",
        ),
        "brevo" => (
            "EMAIL",
            "FIRSTNAME",
            "OFFER",
            "LANG",
            "PAGE",
            "UTM_SOURCE",
            "email_address_check",
        ),
        "hubspot" => (
            "email",
            "firstname",
            "offer",
            "lang",
            "page",
            "utm_source",
            "_honey",
        ),
        "netlify" => (
            "email",
            "first_name",
            "offer",
            "lang",
            "page",
            "utm_source",
            "bot-field",
        ),
        "formspree" => (
            "email",
            "first_name",
            "offer",
            "lang",
            "page",
            "utm_source",
            "_gotcha",
        ),
        _ => (
            "email",
            "first_name",
            "offer",
            "lang",
            "page",
            "utm_source",
            "_honey",
        ),
    };
    assert_eq!(s.field(email), "ada@example.com", "{p}");
    assert_eq!(s.field(first), "Ada", "{p}");
    assert_eq!(s.field(offer), p, "{p}");
    assert_eq!(s.field(lang), "en", "{p}");
    assert_eq!(s.field(page), format!("/offers/{p}/"), "{p}");
    assert_eq!(s.field(source), utm.unwrap_or(""), "{p}: {s:#?}");
    assert_eq!(s.field(honeypot), "", "{p}: the honeypot is sent empty");
    for n in s.names() {
        assert_eq!(
            s.count(&n),
            if n == "tags[]" { 2 } else { 1 },
            "{p}: {n} twice"
        );
    }
    match p {
        "generic" => assert!(s.field("_redirect").ends_with("/offers/generic/thanks/")),
        "netlify" => assert_eq!(s.field("form-name"), "netlify"),
        "formspree" => {
            assert!(s.field("_next").ends_with("/offers/formspree/thanks/"));
            assert_eq!(s.field("_subject"), "New lead: The formspree guide");
        }
        "kit" => {
            assert_eq!(s.all("tags[]"), ["111", "222"], "{s:#?}");
            assert_eq!(s.field("fields[stage]"), "consideration");
            assert!(
                s.get("email").is_none() && s.get("offer").is_none(),
                "{s:#?}"
            );
        }
        "brevo" => {
            assert_eq!(s.field("locale"), "en");
            assert_eq!(s.field("html_type"), "simple");
            assert_eq!(s.field("OPT_IN"), "1", "the consent box is Brevo's opt-in");
            assert_eq!(s.field("STAGE"), "consideration");
            assert!(
                s.get("email").is_none() && s.get("consent").is_none(),
                "{s:#?}"
            );
        }
        _ => {}
    }
}

/// HubSpot's forms API v3: `{fields: [{objectTypeId, name, value}],
/// context: {pageUri, pageName, hutk}, legalConsentOptions}`.
#[track_caller]
fn assert_hubspot(s: &Submission, base: &str) {
    assert_eq!(s.path, "/submit");
    assert!(s.content_type.starts_with("application/json"), "{s:#?}");
    let body = s.json();
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["context", "fields", "legalConsentOptions"],
        "{body:#}"
    );
    let fields = body["fields"].as_array().expect("fields is an array");
    let mut names = Vec::new();
    for f in fields {
        let obj = f.as_object().expect("each field is an object");
        let mut k: Vec<&str> = obj.keys().map(String::as_str).collect();
        k.sort_unstable();
        assert_eq!(k, ["name", "objectTypeId", "value"], "{f}");
        assert_eq!(f["objectTypeId"], "0-1", "contact properties");
        assert!(f["value"].as_str().is_some_and(|v| !v.is_empty()), "{f}");
        names.push(f["name"].as_str().unwrap());
    }
    let value = |n: &str| {
        fields
            .iter()
            .find(|f| f["name"] == n)
            .map(|f| f["value"].clone())
            .unwrap_or(Value::Null)
    };
    assert_eq!(value("email"), "ada@example.com");
    assert_eq!(value("firstname"), "Ada");
    assert_eq!(value("offer"), "hubspot");
    assert_eq!(value("stage"), "consideration");
    assert_eq!(value("lang"), "en");
    assert_eq!(value("utm_source"), "news");
    assert_eq!(value("utm_campaign"), "spring");
    for absent in [
        "page",
        "consent",
        "_honey",
        "utm_medium",
        "variant",
        "first_name",
    ] {
        assert!(
            !names.contains(&absent),
            "{absent} is not a HubSpot field: {names:?}"
        );
    }
    let ctx = &body["context"];
    assert_eq!(
        ctx["pageUri"],
        format!("{base}/offers/hubspot/?utm_source=news&utm_campaign=spring")
    );
    assert!(
        ctx["pageName"]
            .as_str()
            .unwrap()
            .contains("The hubspot guide"),
        "{ctx}"
    );
    assert_eq!(ctx["hutk"], "5f1e2d3c4b5a");
    let consent = &body["legalConsentOptions"]["consent"];
    assert_eq!(consent["consentToProcess"], true);
    assert_eq!(
        consent["text"],
        "I agree to receive emails from Providers Test."
    );
}

/// Klaviyo's client subscriptions API: `?company_id=`, a `revision`
/// header, and a JSON:API subscription of a profile to a list.
#[track_caller]
fn assert_klaviyo(s: &Submission) {
    assert_eq!(s.path, "/submit");
    assert_eq!(s.query, "company_id=AbC123");
    assert!(
        s.content_type.starts_with("application/vnd.api+json"),
        "{s:#?}"
    );
    assert_eq!(s.header("revision"), "2025-01-15");
    let body = s.json();
    let data = &body["data"];
    assert_eq!(data["type"], "subscription");
    assert_eq!(
        data["relationships"],
        json!({"list": {"data": {"type": "list", "id": "Y6nRLr"}}})
    );
    assert_eq!(data["attributes"]["custom_source"], "lander: klaviyo");
    let profile = &data["attributes"]["profile"]["data"];
    assert_eq!(profile["type"], "profile");
    let attrs = &profile["attributes"];
    assert_eq!(attrs["email"], "ada@example.com");
    assert_eq!(attrs["first_name"], "Ada");
    let props = attrs["properties"].as_object().expect("properties");
    assert_eq!(props["offer"], "klaviyo");
    assert_eq!(props["stage"], "consideration");
    assert_eq!(props["page"], "/offers/klaviyo/");
    assert_eq!(props["lang"], "en");
    assert_eq!(props["utm_source"], "news");
    for absent in ["email", "first_name", "_honey", "utm_medium"] {
        assert!(
            !props.contains_key(absent),
            "{absent} in properties: {props:?}"
        );
    }
}

#[test]
fn with_javascript_every_provider_sends_its_vendors_documented_shape() {
    let Some(env) = setup(Js::On) else { return };
    let base = env.sink.base_url();
    let query = "?utm_source=news&utm_campaign=spring";
    for p in PROVIDERS {
        let s = send(&env, p, query);
        assert!(s.accept.contains("json"), "{p}: sent by the script: {s:#?}");
        match p {
            "hubspot" => assert_hubspot(&s, &base),
            "klaviyo" => assert_klaviyo(&s),
            "json" => {
                assert!(s.content_type.starts_with("application/json"), "{s:#?}");
                let body = s.json();
                assert_eq!(body["email"], "ada@example.com");
                assert_eq!(body["first_name"], "Ada");
                assert_eq!(body["offer"], "json");
                assert_eq!(body["utm_source"], "news");
            }
            _ => {
                assert_urlencoded(p, &s);
                assert_plain_fields(p, &s, Some("news"));
            }
        }
    }
}

#[test]
fn without_javascript_the_plain_post_carries_each_vendors_field_names() {
    let Some(env) = setup(Js::Off) else { return };
    for p in PROVIDERS {
        let s = send(&env, p, "");
        assert!(!s.accept.contains("application/json"), "{p}: a native post");
        assert_urlencoded(p, &s);
        match p {
            // The JSON-only APIs get the plain post too, which they refuse:
            // that is what `lander check` (form-needs-js) warns about.
            "klaviyo" => {
                assert_eq!(s.query, "company_id=AbC123");
                assert_eq!(s.field("email"), "ada@example.com");
                assert_eq!(s.field("first_name"), "Ada");
            }
            "json" => assert_plain_fields(p, &s, None),
            _ => assert_plain_fields(p, &s, None),
        }
    }
}

#[test]
fn a_buy_button_pushes_begin_checkout_with_the_products_price() {
    let Some(env) = setup(Js::On) else { return };
    let tab = env.chrome.tab();
    for path in ["/products/oil/", "/products/"] {
        goto(&tab, &env.sink.url(path));
        // Stay on the page: the checkout is elsewhere.
        js(
            &tab,
            "document.querySelectorAll('[data-lander-buy]').forEach(a => a.addEventListener('click', e => e.preventDefault()))",
        );
        click(&tab, "a[data-lander-buy]");
        assert!(
            wait_js(
                &tab,
                "(window.dataLayer || []).some(e => e.event === 'begin_checkout')",
                WAIT
            ),
            "{path}: no begin_checkout in {}",
            js(&tab, "window.dataLayer")
        );
        let events = js(
            &tab,
            "window.dataLayer.filter(e => e.event === 'begin_checkout')",
        );
        assert_eq!(
            events,
            json!([{
                "event": "begin_checkout",
                "ecommerce": {
                    "currency": "EUR",
                    "value": 14.5,
                    "items": [{"item_id": "EH-500", "item_name": "Early harvest oil", "price": 14.5, "quantity": 1}]
                }
            }]),
            "{path}"
        );
    }
}

// --------------------------------------------------------------- the HTML

fn built() -> TestSite {
    let site = TestSite::copy_of(FIXTURE);
    site.build(&[]).assert_ok();
    site
}

#[test]
fn forms_post_to_each_vendors_own_address() {
    let site = built();
    let action = |p: &str| {
        site.html(&format!("offers/{p}/index.html"))
            .attr(&form(p), "action")
    };
    assert_eq!(
        action("hubspot"),
        "https://api.hsforms.com/submissions/v3/integration/submit/1234567/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
    );
    assert_eq!(
        action("kit"),
        "https://app.kit.com/forms/4242/subscriptions"
    );
    assert_eq!(
        action("brevo"),
        "https://abc123.sibforms.com/serve/MUIFAxyz"
    );
    assert_eq!(
        action("klaviyo"),
        "https://a.klaviyo.com/client/subscriptions/?company_id=AbC123"
    );
    let klaviyo = site.html("offers/klaviyo/index.html");
    assert_eq!(klaviyo.attr(&form("klaviyo"), "data-list"), "Y6nRLr");
    // The vendors' origins are allowed by the Content-Security-Policy.
    let headers = site.read("_headers");
    for origin in [
        "https://api.hsforms.com",
        "https://app.kit.com",
        "https://a.klaviyo.com",
        "https://abc123.sibforms.com",
    ] {
        assert!(
            headers.contains(origin),
            "{origin} not in _headers:\n{headers}"
        );
    }
}

#[test]
fn the_providers_script_loads_only_where_a_form_needs_it() {
    let site = built();
    let scripts = |rel: &str| site.html(rel).attrs("script[src]", "src");
    for p in PROVIDERS {
        let srcs = scripts(&format!("offers/{p}/index.html"));
        let has = srcs
            .iter()
            .any(|s| s.starts_with("/assets/providers.") && s.ends_with(".js"));
        assert_eq!(has, p == "hubspot" || p == "klaviyo", "{p}: {srcs:?}");
        assert!(
            srcs[0].starts_with("/assets/lander."),
            "lander.js first: {srcs:?}"
        );
        let page = site.html(&format!("offers/{p}/index.html"));
        assert_eq!(
            page.all("script[src]").len(),
            page.all("script[src][defer]").len()
        );
    }
    assert_eq!(scripts("index.html").len(), 1);
    let file = scripts("offers/hubspot/index.html")[1].clone();
    let size = std::fs::metadata(site.out().join(file.trim_start_matches('/')))
        .unwrap()
        .len();
    assert!(size < 2048, "providers.js is {size} bytes");
}

#[test]
fn buy_buttons_are_on_the_product_its_cards_and_in_its_json_ld() {
    let site = built();
    let page = site.html("products/oil/index.html");
    assert_eq!(
        page.attr("a[data-lander-buy]", "href"),
        "https://127.0.0.1:9/buy/eh-500"
    );
    assert_eq!(page.text("a[data-lander-buy]"), "Buy a bottle");
    let list = site.html("products/index.html");
    assert_eq!(
        list.all("a[data-lander-buy]").len(),
        1,
        "only the product with `buy`"
    );
    assert_eq!(
        list.attr("a[data-lander-buy]", "aria-label"),
        "Buy a bottle: Early harvest oil"
    );
    let ld: Vec<Value> = page
        .all("script[type='application/ld+json']")
        .iter()
        .map(|s| serde_json::from_str(&s.inner_html()).unwrap())
        .collect();
    let product = ld
        .iter()
        .find(|v| v["@type"] == "Product")
        .expect("Product JSON-LD");
    assert_eq!(product["offers"]["url"], "https://127.0.0.1:9/buy/eh-500");
    // Without `buy`, the offer's url stays the page.
    let tin = site.html("products/tin/index.html");
    assert!(tin.all("a[data-lander-buy]").is_empty());
}

#[test]
fn check_warns_about_json_only_forms_and_products_without_a_buy_link() {
    let site = TestSite::copy_of(FIXTURE);
    let run = crate::common::lander(site.path(), &["check", "--format", "json"]);
    let report: Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    let findings = report["findings"].as_array().unwrap();
    let of = |rule: &str| -> Vec<(String, u64)> {
        findings
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| {
                (
                    f["file"].as_str().unwrap_or("").to_string(),
                    f["line"].as_u64().unwrap_or(0),
                )
            })
            .collect()
    };
    assert_eq!(
        of("form-needs-js"),
        [
            ("offers/hubspot.yaml".to_string(), 6),
            ("offers/klaviyo.yaml".to_string(), 6)
        ]
    );
    assert_eq!(
        of("product-without-buy"),
        [("content/products/tin.md".to_string(), 4)]
    );
    for f in findings
        .iter()
        .filter(|f| f["rule"] == "form-needs-js" || f["rule"] == "product-without-buy")
    {
        assert_eq!(f["severity"], "warning", "{f}");
    }
}

#[test]
fn vendor_settings_are_strict_and_located() {
    // A typo in a vendor's key: did you mean.
    let site = TestSite::copy_of(FIXTURE).file(
        "offers/kit.yaml",
        "headline: K\nform:\n  provider: kit\n  kit: { form_idd: 1 }\n",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("offers/kit.yaml:4")
        .assert_stderr_has("unknown key `form_idd`")
        .assert_stderr_has("did you mean `form_id`?");
    // A misspelt provider: did you mean.
    let site = TestSite::copy_of(FIXTURE).file(
        "offers/kit.yaml",
        "headline: K\nform:\n  provider: hubspt\n",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("offers/kit.yaml:3")
        .assert_stderr_has("did you mean `hubspot`?");
    // Missing ids: where they go and where to find them.
    let site = TestSite::copy_of(FIXTURE)
        .file("offers/kit.yaml", "headline: K\nform:\n  provider: kit\n")
        .file("offers/plain.yaml", "headline: P\n")
        .file(
            "site.yaml",
            "title: T\nforms: { provider: klaviyo, klaviyo: { public_key: AbC123 } }\n",
        );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("the Kit form of offer `kit` has no `form_id`")
        .assert_stderr_has("the Klaviyo form of offer `plain` has no `list_id`")
        .assert_stderr_has("the HubSpot form of offer `hubspot` has no `portal_id`")
        .assert_stderr_has("app.kit.com/forms/FORM_ID/subscriptions");
    // Brevo's action is on sibforms.com.
    let site = TestSite::copy_of(FIXTURE).file(
        "offers/brevo.yaml",
        "headline: B\nform:\n  provider: brevo\n  endpoint: https://example.com/x\n",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("is not a Brevo form action");
}

#[test]
fn a_buy_link_must_be_https_and_is_refused_at_its_line() {
    for (url, says) in [
        ("http://buy.stripe.com/x", "is not https"),
        ("buy.stripe.com/x", "not an absolute https:// address"),
    ] {
        let site = TestSite::copy_of(FIXTURE).file(
            "content/products/tin.md",
            &format!("---\ntitle: Tin\nprice: 3\ncurrency: EUR\nbuy:\n  text: Buy\n  url: {url}\n---\nBody.\n"),
        );
        site.build(&[])
            .assert_fails()
            .assert_stderr_has("content/products/tin.md:7")
            .assert_stderr_has(says);
    }
}
