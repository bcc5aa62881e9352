//! The `Renderer`: everything a job needs, shared by the threads that
//! render, and the rendering of one job into one output file (its context,
//! the language switcher, placements, social card and SEO, then tera).

use super::cards;
use super::jobs::Job;
use super::lang::{self, Locale};
use super::seo;
use super::views::{PageView, Summaries, Views};
use crate::base::output_file::OutputFile;
use crate::content::bar::BarPosition;
use crate::content::campaign::PopupPages;
use crate::content::Site;
use crate::error::Diagnostic;
use crate::theme::{template_error, Theme};

/// What rendering a job needs: where it goes, with which template and
/// values, and its `page` (kept typed for SEO and the social card; the
/// renderer puts it into `ctx`).
pub(super) struct JobContext<'a> {
    /// The site path of the page (`/blog/page/2/`, `/404.html`).
    pub(super) path: String,
    pub(super) template: String,
    /// Every value of the job but `page`.
    pub(super) ctx: tera::Context,
    /// The file the page comes from, for error messages.
    pub(super) source: Option<String>,
    pub(super) page: PageView<'a>,
}

pub(super) struct Renderer<'a> {
    pub(super) locales: &'a [Locale<'a>],
    /// What every page of each language sees: `site`, `lang`, `t`,
    /// `recent_posts`, `languages`, `lander_version`.
    pub(super) shared: &'a [tera::Context],
    pub(super) site: &'a Site,
    pub(super) theme: &'a Theme,
    pub(super) views: &'a Views<'a>,
    pub(super) summaries: &'a Summaries<'a, 'a>,
    pub(super) thanks: &'a [Vec<String>],
    pub(super) popups: &'a [(usize, PopupPages)],
    pub(super) bars: &'a [(usize, PopupPages)],
    /// Per page: the offers its `cta(open="popup")` calls open.
    pub(super) click_opens: &'a [Vec<usize>],
    pub(super) seo: &'a seo::Seo<'a>,
    pub(super) cards: &'a cards::Cards<'a>,
}

/// The attribute of a quiz form with outcomes (`partials/form.html`): its
/// page loads `quiz.js`.
const QUIZ_MARK: &str = "data-outcomes=";

/// Whether a rendered page has a form of a vendor that takes JSON only
/// (HubSpot, Klaviyo): the page then loads `providers.js`.
fn needs_providers_script(html: &str) -> bool {
    use crate::content::form::Provider;
    [Provider::Hubspot, Provider::Klaviyo].iter().any(|p| {
        let name = serde_json::to_value(p).ok();
        let name = name.as_ref().and_then(|v| v.as_str()).unwrap_or_default();
        html.contains(&format!("data-provider=\"{name}\""))
            || html.contains(&format!("data-provider={name}"))
    })
}

/// The scripts of the captcha widgets of a rendered page's forms.
fn captcha_scripts(html: &str) -> Vec<&'static str> {
    use crate::content::form::CaptchaProvider;
    [CaptchaProvider::Turnstile, CaptchaProvider::Hcaptcha]
        .into_iter()
        .filter(|c| html.contains(&format!("lander-captcha {}", c.class())))
        .map(CaptchaProvider::script)
        .collect()
}

impl Renderer<'_> {
    /// Renders one job. `bases` holds, per language, the context every page
    /// of that language shares (the site, its strings, recent posts), built
    /// once per thread rather than cloned per page; the job's own values are
    /// put in for the render, then taken out again.
    pub(super) fn render(
        &self,
        job: Job,
        bases: &mut [Option<tera::Context>],
    ) -> Result<(OutputFile, Option<crate::cards::CardJob>), Diagnostic> {
        let lang = job.lang(self.site);
        let l = lang.0;
        let JobContext {
            path,
            template,
            mut ctx,
            source,
            page,
        } = self.context(job, lang);
        let loc = &self.locales[l];
        let urls = self.views.urls;
        let alternates = job.alternates(self.site);
        ctx.insert(
            "switcher",
            &lang::switcher(&self.site.languages, l, &alternates, urls),
        );
        if !matches!(
            job,
            Job::Offer { .. } | Job::Thanks { .. } | Job::Outcome { .. } | Job::NotFound
        ) {
            let clicks = match job {
                Job::Page { page } => self.click_opens[page.0].as_slice(),
                _ => &[],
            };
            let popups = self.popups_for(&path, loc, clicks);
            let bars = self.bars_for(&path, loc);
            // The placements' script, only on pages that have one.
            ctx.insert("placements", &(!popups.is_empty() || !bars.is_empty()));
            let at = |p: BarPosition| bars.iter().any(|b| b.position == p);
            ctx.insert("bar_top", &at(BarPosition::Top));
            ctx.insert("bar_bottom", &at(BarPosition::Bottom));
            ctx.insert("popups", &popups);
            ctx.insert("bars", &bars);
        }
        let card = self.card(job, &page, loc)?;
        let seo = self
            .seo
            .view(&page, &alternates, loc, card.as_ref().map(|c| &c.0));
        ctx.insert("seo", &seo);
        ctx.insert("page", &page);
        let own = ctx.into_json();
        let keys: Vec<String> = own
            .as_object()
            .map_or_else(Vec::new, |m| m.keys().cloned().collect());
        let base = bases[l].get_or_insert_with(|| self.shared[l].clone());
        debug_assert!(
            keys.iter().all(|k| !self.shared[l].contains_key(k)),
            "{keys:?}"
        );
        base.extend(tera::Context::from_value(own).expect("a context is an object"));
        let mut rendered = self.theme.tera.render(&template, base);
        // A form whose vendor takes JSON only needs the theme's
        // `providers.js`, a quiz with outcomes `quiz.js`, a form with a
        // captcha its vendor's script; forms come from templates, shortcodes
        // and popups alike, so the page says whether it has one.
        let (providers, quiz, captchas) =
            rendered
                .as_ref()
                .map_or((false, false, Vec::new()), |html| {
                    (
                        needs_providers_script(html),
                        html.contains(QUIZ_MARK),
                        captcha_scripts(html),
                    )
                });
        if providers || quiz || !captchas.is_empty() {
            base.insert("providers_script", &providers);
            base.insert("quiz_script", &quiz);
            base.insert("captcha_scripts", &captchas);
            rendered = self.theme.tera.render(&template, base);
            base.remove("providers_script");
            base.remove("quiz_script");
            base.remove("captcha_scripts");
        }
        for key in &keys {
            base.remove(key);
        }
        let html =
            rendered.map_err(|e| {
                let mut d = template_error(&e, &self.theme.origins);
                d.help =
                    Some(format!(
                "this happened while rendering {path}{}; fix the template or the value it uses",
                source.as_ref().map(|s| format!(" (from {s})")).unwrap_or_default()
            ));
                d
            })?;
        let file = if path.ends_with(".html") {
            path.trim_start_matches('/').to_string()
        } else {
            format!("{}index.html", path.trim_start_matches('/'))
        };
        let file = OutputFile {
            path: file,
            bytes: html.into_bytes(),
            source: source.map(std::path::PathBuf::from),
        };
        Ok((file, card.map(|(_, job)| job)))
    }

    /// The social card of a job's page, if it gets one.
    fn card(
        &self,
        job: Job,
        page: &PageView,
        loc: &Locale,
    ) -> Result<Option<(cards::CardMeta, crate::cards::CardJob)>, Diagnostic> {
        let (opted_out, origin) = match job {
            Job::Page { page } | Job::Section { page } => {
                let p = self.views.page_data(page.0);
                (
                    p.meta.card == Some(false),
                    Some((p.source.clone(), p.key_lines.line("image"))),
                )
            }
            Job::Offer { offer, .. } => (
                false,
                Some((
                    self.site.offers[crate::base::reads::offer(offer.0)]
                        .source
                        .clone(),
                    1,
                )),
            ),
            Job::Thanks { .. } | Job::NotFound => return Ok(None),
            _ => (false, None),
        };
        self.cards.plan(page, loc, opted_out, origin)
    }
}
