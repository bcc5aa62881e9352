//! lander's integration tests, in one binary (as mdBook's tests/testsuite):
//! the helpers in `common` are compiled once, and there is one link
//! instead of one per area. Each module tests one area end to end with the real `lander`
//! binary; run one with `cargo test --test testsuite MODULE::`.

mod common;

mod bad_input;
mod check;
mod check_formats;
mod consent;
mod consent_browser;
mod data_files;
mod forms_browser;
mod forms_html;
mod funnel;
mod highlight;
mod highlight_browser;
mod hosting;
mod hosting_browser;
mod i18n;
mod images;
mod init_and_new;
mod journey_browser;
mod journey_html;
mod layout;
mod placements;
mod placements_browser;
mod providers_browser;
mod quiz_browser;
mod quiz_outcomes;
mod redirects;
mod report;
mod rtl_browser;
mod seo;
mod serve;
mod shortcodes;
mod site_example;
mod site_files;
mod social_cards;
mod taxonomies;
mod templates_and_urls;
mod validators;
