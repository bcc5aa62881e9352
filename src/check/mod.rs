//! `lander check`: lints the site as built in memory (SEO, links, forms,
//! offers) and returns findings; never prints.
//!
//! The rendered pages are parsed once, in parallel, into `facts::Doc`s;
//! each group of rules reads those facts and the [`Site`] model and reports
//! [`Finding`]s located in the source file they come from. `report` turns
//! the findings into text for people or JSON for tools, `formats` into
//! GitHub annotations, SARIF and JUnit for CI.

mod audit;
mod buy;
mod campaign;
mod context;
mod csp;
mod facts;
pub mod formats;
mod funnel;
mod json_ld;
mod links;
pub mod map;
mod media;
mod outcomes;
mod popup_priority;
mod providers;
mod redirects;
pub mod report;
mod schedule;
mod seo;
mod winner;

use std::path::{Path, PathBuf};

use crate::content::Site;
use crate::error::{Diagnostic, Diagnostics, Severity};
use crate::render::OutputFile;

use context::Ctx;

/// What `lander check` looks for. Every rule but `build` and `unknown-rule`
/// can be turned off per site (`check.disable` in site.yaml) or per page
/// (`check: { disable: [...] }` in front matter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    BrokenLink,
    BrokenAnchor,
    MissingAlt,
    MissingTitle,
    DuplicateTitle,
    MissingDescription,
    MultipleH1,
    FormWithoutEndpoint,
    ExpiredOffer,
    InvalidJsonLd,
    TitleLength,
    DescriptionLength,
    ThinContent,
    NoCta,
    OrphanOffer,
    InsecureEndpoint,
    ImageSize,
    StageWithoutOffer,
    ThanksWithoutNext,
    /// A theme string or an offer without a translation in a language of the site.
    MissingTranslation,
    /// An indexable page without `og:image`: shared links show no picture.
    MissingOgImage,
    /// An `<img>` without width and height: the page shifts as it loads.
    ImageDimensions,
    /// Two indexable pages with the same meta description.
    DuplicateDescription,
    /// An indexable page that the sitemap does not list.
    NotInSitemap,
    /// An indexable page without JSON-LD saying what it is.
    MissingStructuredData,
    /// Inline code or a script of another site that the Content-Security-Policy of `_headers` blocks.
    CspBlocked,
    /// The last `lander report` found a winner, but the offer has no `winner:`.
    MissingWinner,
    /// Two popups show on the same page with the same priority.
    PopupPriority,
    /// A form whose mailing tool takes JSON only: no submitting without JavaScript.
    FormNeedsJs,
    /// A product with a price and no `buy:` link.
    ProductWithoutBuy,
    /// A quiz with outcomes whose mailing tool cannot send visitors without JavaScript to the outcome's page.
    OutcomeWithoutJs,
    /// A page that goes live or expires in the next 7 days (a notice).
    PageSchedule,
    /// A `check.disable` list names a rule that does not exist.
    UnknownRule,
    /// The site does not build: the build's own errors.
    Build,
}

impl Rule {
    /// The rules that can be disabled, errors first: every rule but the
    /// last two of [`Rule::EVERY`].
    pub const ALL: &'static [Rule] = Rule::EVERY.split_at(Rule::EVERY.len() - 2).0;

    pub fn id(self) -> &'static str {
        match self {
            Rule::BrokenLink => "broken-link",
            Rule::BrokenAnchor => "broken-anchor",
            Rule::MissingAlt => "missing-alt",
            Rule::MissingTitle => "missing-title",
            Rule::DuplicateTitle => "duplicate-title",
            Rule::MissingDescription => "missing-description",
            Rule::MultipleH1 => "multiple-h1",
            Rule::FormWithoutEndpoint => "form-without-endpoint",
            Rule::ExpiredOffer => "expired-offer",
            Rule::InvalidJsonLd => "invalid-json-ld",
            Rule::TitleLength => "title-length",
            Rule::DescriptionLength => "description-length",
            Rule::ThinContent => "thin-content",
            Rule::NoCta => "no-cta",
            Rule::OrphanOffer => "orphan-offer",
            Rule::InsecureEndpoint => "insecure-endpoint",
            Rule::ImageSize => "image-size",
            Rule::StageWithoutOffer => "stage-without-offer",
            Rule::ThanksWithoutNext => "thanks-without-next",
            Rule::MissingTranslation => "missing-translation",
            Rule::MissingOgImage => "missing-og-image",
            Rule::ImageDimensions => "image-dimensions",
            Rule::DuplicateDescription => "duplicate-description",
            Rule::NotInSitemap => "not-in-sitemap",
            Rule::MissingStructuredData => "missing-structured-data",
            Rule::CspBlocked => "csp-blocked",
            Rule::MissingWinner => "missing-winner",
            Rule::PopupPriority => "popup-priority",
            Rule::FormNeedsJs => "form-needs-js",
            Rule::ProductWithoutBuy => "product-without-buy",
            Rule::OutcomeWithoutJs => "outcome-without-js",
            Rule::PageSchedule => "page-schedule",
            Rule::UnknownRule => "unknown-rule",
            Rule::Build => "build",
        }
    }

    /// Every rule, the two that cannot be disabled last.
    pub const EVERY: [Rule; 34] = [
        Rule::BrokenLink,
        Rule::BrokenAnchor,
        Rule::MissingAlt,
        Rule::MissingTitle,
        Rule::DuplicateTitle,
        Rule::MissingDescription,
        Rule::MultipleH1,
        Rule::FormWithoutEndpoint,
        Rule::ExpiredOffer,
        Rule::InvalidJsonLd,
        Rule::TitleLength,
        Rule::DescriptionLength,
        Rule::ThinContent,
        Rule::NoCta,
        Rule::OrphanOffer,
        Rule::InsecureEndpoint,
        Rule::ImageSize,
        Rule::StageWithoutOffer,
        Rule::ThanksWithoutNext,
        Rule::MissingTranslation,
        Rule::MissingOgImage,
        Rule::ImageDimensions,
        Rule::DuplicateDescription,
        Rule::NotInSitemap,
        Rule::MissingStructuredData,
        Rule::CspBlocked,
        Rule::MissingWinner,
        Rule::PopupPriority,
        Rule::FormNeedsJs,
        Rule::ProductWithoutBuy,
        Rule::OutcomeWithoutJs,
        Rule::PageSchedule,
        Rule::UnknownRule,
        Rule::Build,
    ];

    /// What the rule checks, in one line (SARIF rule descriptions).
    pub fn description(self) -> &'static str {
        match self {
            Rule::BrokenLink => "Every link, image, script and stylesheet that stays on the site leads to a page or file of the output.",
            Rule::BrokenAnchor => "Every #fragment names an id of the target page.",
            Rule::MissingAlt => "Every image has alt text.",
            Rule::MissingTitle => "Every page has a non-empty <title>.",
            Rule::DuplicateTitle => "No two indexed pages share a title.",
            Rule::MissingDescription => "Every indexed page has a meta description.",
            Rule::MultipleH1 => "A page has one <h1>.",
            Rule::FormWithoutEndpoint => "Every form posts somewhere.",
            Rule::ExpiredOffer => "Pages name offers that run on the build date, or have a running fallback.",
            Rule::InvalidJsonLd => "Every JSON-LD block is valid schema.org data with what rich results require.",
            Rule::TitleLength => "The <title> of an indexed page has at most 60 characters.",
            Rule::DescriptionLength => "The meta description of an indexed page has 50 to 160 characters.",
            Rule::ThinContent => "Indexed posts, products and pages have enough words.",
            Rule::NoCta => "Posts, products and pages offer a next step (a call-to-action).",
            Rule::OrphanOffer => "Every running offer is shown or linked to by a page.",
            Rule::InsecureEndpoint => "Form endpoints use https.",
            Rule::ImageSize => "Image files stay within the size budget.",
            Rule::StageWithoutOffer => "Every funnel stage with pages has a running offer of that stage.",
            Rule::ThanksWithoutNext => "Every thank-you page offers a next step.",
            Rule::MissingTranslation => "Theme strings and offers are translated into every language of the site.",
            Rule::MissingOgImage => "Every indexable page has an og:image, so shared links show a picture.",
            Rule::ImageDimensions => "Every <img> has width and height, so the page does not shift as it loads.",
            Rule::DuplicateDescription => "No two indexable pages share a meta description.",
            Rule::NotInSitemap => "The sitemap lists every indexable page.",
            Rule::MissingStructuredData => "Every indexable page has JSON-LD saying what it is.",
            Rule::CspBlocked => "Pages hold no inline code and no script of another site that the Content-Security-Policy of _headers blocks.",
            Rule::MissingWinner => "An A/B test whose last lander report found a winner has `winner:` set in its offer.",
            Rule::PopupPriority => "Popups that show on the same page have different priorities, so that one is chosen.",
            Rule::FormNeedsJs => "Forms go to a mailing tool that takes a plain form post, so visitors without JavaScript can sign up.",
            Rule::ProductWithoutBuy => "Every product with a price has a `buy:` link to its checkout.",
            Rule::OutcomeWithoutJs => "A quiz with outcomes posts to a provider that can send visitors without JavaScript to the outcome's thank-you page.",
            Rule::PageSchedule => "Lists the pages that go live (publish_date, a post's future date) or expire (expiry_date) in the next 7 days.",
            Rule::UnknownRule => "A check.disable list names only rules that exist.",
            Rule::Build => "The site builds.",
        }
    }

    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
    }

    pub fn severity(self) -> Severity {
        match self {
            Rule::TitleLength
            | Rule::DescriptionLength
            | Rule::ThinContent
            | Rule::NoCta
            | Rule::OrphanOffer
            | Rule::InsecureEndpoint
            | Rule::ImageSize
            | Rule::StageWithoutOffer
            | Rule::ThanksWithoutNext
            | Rule::MissingTranslation
            | Rule::MissingOgImage
            | Rule::ImageDimensions
            | Rule::DuplicateDescription
            | Rule::NotInSitemap
            | Rule::MissingStructuredData
            | Rule::CspBlocked
            | Rule::MissingWinner
            | Rule::PopupPriority
            | Rule::FormNeedsJs
            | Rule::ProductWithoutBuy
            | Rule::OutcomeWithoutJs => Severity::Warning,
            Rule::PageSchedule => Severity::Notice,
            _ => Severity::Error,
        }
    }
}

/// One problem found by `lander check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    /// The source file (relative to the site root) when known, else the
    /// output file (`public/tags/index.html`); `None` for the command line.
    pub file: Option<PathBuf>,
    /// 1-based.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl Finding {
    pub fn new(rule: Rule, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            severity: rule.severity(),
            file: None,
            line: None,
            column: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Finding {
        self.file = Some(file.into());
        self
    }

    pub fn at(mut self, line: usize, column: usize) -> Finding {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    /// A diagnostic of the build, kept as it is under `rule`.
    fn from_diagnostic(rule: Rule, d: Diagnostic) -> Finding {
        Finding {
            rule,
            severity: d.severity,
            file: d.path,
            line: d.line,
            column: d.column,
            message: d.message,
            help: d.help,
        }
    }

    /// `file:line:column`, as far as known.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_ref()?.display().to_string();
        Some(match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file,
        })
    }
}

/// Everything `lander check` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Sorted by file, line and column.
    pub findings: Vec<Finding>,
    /// HTML pages checked (0 when the site did not build).
    pub pages: usize,
}

impl CheckReport {
    /// A site that does not build: its errors are the findings.
    pub fn from_build_errors(errs: Diagnostics) -> CheckReport {
        let mut findings: Vec<Finding> = errs
            .0
            .into_iter()
            .map(|d| Finding::from_diagnostic(Rule::Build, d))
            .collect();
        sort(&mut findings);
        CheckReport { findings, pages: 0 }
    }

    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    /// Notices: never a failure.
    pub fn notices(&self) -> usize {
        self.count(Severity::Notice)
    }

    fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// Whether CI should fail: on errors, and on warnings when `strict`.
    pub fn fails(&self, strict: bool) -> bool {
        self.errors() > 0 || (strict && self.warnings() > 0)
    }
}

/// The built site in memory, as `check` needs it.
pub struct CheckInput<'a> {
    /// The site folder (static files are read from under it for their size).
    pub root: &'a Path,
    pub site: &'a Site,
    /// The rendered pages and assets (static files are in `site.statics`).
    pub files: &'a [OutputFile],
    /// The social cards the pages name: files of the built site, though
    /// `check` does not draw them.
    pub cards: &'a [crate::cards::CardJob],
    /// Warnings of the load and render stages, turned into findings.
    pub warnings: &'a Diagnostics,
}

/// A finding and the Markdown page whose output produced it (for the
/// page's `check.disable`).
pub(crate) struct Found {
    pub finding: Finding,
    pub page: Option<usize>,
}

/// Runs every rule over the built site.
pub fn run(input: &CheckInput) -> CheckReport {
    let ctx = Ctx::new(input);
    let mut found: Vec<Found> = Vec::new();
    campaign::convert_warnings(&ctx, input.warnings, &mut found);
    links::check(&ctx, &mut found);
    redirects::check(&ctx, &mut found);
    csp::check(&ctx, input, &mut found);
    seo::check(&ctx, &mut found);
    json_ld::check(&ctx, &mut found);
    campaign::check(&ctx, &mut found);
    funnel::check(&ctx, &mut found);
    media::check(&ctx, &mut found);
    audit::check(&ctx, input.files, &mut found);
    winner::check(&ctx, &mut found);
    popup_priority::check(&ctx, &mut found);
    providers::check(&ctx, &mut found);
    buy::check(&ctx, &mut found);
    outcomes::check(&ctx, &mut found);
    schedule::check(&ctx, &mut found);
    let mut findings = disable(&ctx, found);
    sort(&mut findings);
    findings.dedup_by(|a, b| a == b);
    CheckReport {
        findings,
        pages: ctx.docs.len(),
    }
}

/// The funnel of the built site, with what its rendered pages show (for
/// `lander funnel`; `run` reports its gaps).
pub fn funnel(input: &CheckInput) -> crate::funnel::Funnel {
    let ctx = Ctx::new(input);
    crate::funnel::Funnel::build(input.site, &funnel::seen(&ctx))
}

/// Drops the findings of rules turned off for the site or for their page,
/// and reports disable lists that name unknown rules.
fn disable(ctx: &Ctx, found: Vec<Found>) -> Vec<Finding> {
    let site = ctx.site;
    let mut out = Vec::new();
    let mut unknown = |ids: &[String], file: PathBuf, line: Option<usize>| {
        for id in ids.iter().filter(|id| Rule::from_id(id).is_none()) {
            let known: Vec<String> = Rule::ALL.iter().map(|r| r.id().to_string()).collect();
            let help = match crate::base::text::closest(id, &known) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("known rules: {}", known.join(", ")),
            };
            let mut f = Finding::new(Rule::UnknownRule, format!("unknown check rule `{id}`"))
                .in_file(file.clone())
                .with_help(help);
            f.line = line;
            f.column = line.map(|_| 1);
            out.push(f);
        }
    };
    unknown(
        &site.config.check.disable,
        PathBuf::from(crate::config::CONFIG_FILE),
        None,
    );
    for p in &site.pages {
        let line = p.key_lines.has("check").then(|| p.key_lines.line("check"));
        unknown(&p.meta.check.disable, p.source.clone(), line);
    }

    for Found { finding, page } in found {
        let page = page.or_else(|| finding.file.as_deref().and_then(|f| ctx.page_by_source(f)));
        if site.rule_disabled(finding.rule.id(), page.map(|i| &site.pages[i])) {
            continue;
        }
        out.push(finding);
    }
    out
}

/// By file (findings without a file first), then line, column and rule.
fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.rule, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.rule, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_round_trip_and_are_kebab_case() {
        for &r in Rule::ALL {
            assert_eq!(Rule::from_id(r.id()), Some(r));
            assert!(r
                .id()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()));
        }
        assert_eq!(Rule::from_id("build"), None);
        assert_eq!(Rule::from_id("nope"), None);
    }

    #[test]
    fn strict_fails_on_warnings() {
        let mut report = CheckReport::default();
        assert!(!report.fails(true));
        report
            .findings
            .push(Finding::new(Rule::ThinContent, "thin"));
        assert!(!report.fails(false));
        assert!(report.fails(true));
        report
            .findings
            .push(Finding::new(Rule::BrokenLink, "broken"));
        assert!(report.fails(false));
    }

    #[test]
    fn build_errors_become_findings() {
        let errs = Diagnostics(vec![Diagnostic::error("bad")
            .in_file("content/a.md")
            .at(2, 1)]);
        let r = CheckReport::from_build_errors(errs);
        assert_eq!(r.findings[0].rule, Rule::Build);
        assert_eq!(
            r.findings[0].location().as_deref(),
            Some("content/a.md:2:1")
        );
        assert!(r.fails(false));
    }
}
