//! Job planning: the [`Job`] of each page to produce, listed by [`plan`]
//! before anything is rendered, then rendered in parallel.

use super::paginate::pager_count;
use crate::content::{PageKind, Site};

/// A page to produce; planned first, rendered in parallel.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Job {
    /// Home, post, product, plain or landing page (index into `site.pages`).
    Page(usize),
    /// Page `n` (1-based) of the blog index of language `l`: `Blog(l, n)`.
    Blog(usize, usize),
    /// The products of language `l`.
    Products(usize),
    /// A folder's `_index.md` listing its pages.
    Section(usize),
    /// The list page of taxonomy `x` in language `l`: `Taxonomy(x, l)`.
    Taxonomy(usize, usize),
    /// Page `n` of the term at this index (into `Site::terms`).
    Term(usize, usize),
    /// Offer `o` in language `l`: `Offer(o, l)`.
    Offer(usize, usize),
    Thanks(usize, usize),
    /// The thank-you page of outcome `k` of quiz `o` in language `l`.
    Outcome(usize, usize, usize),
    NotFound,
}

pub(super) fn plan(site: &Site) -> Vec<Job> {
    let mut jobs = Vec::new();
    for (i, p) in site.pages.iter().enumerate() {
        match p.kind {
            PageKind::Section if p.section == "blog" || p.section == "products" => {}
            PageKind::Section => jobs.push(Job::Section(i)),
            _ => jobs.push(Job::Page(i)),
        }
    }
    for (l, lists) in site.lists.iter().enumerate() {
        if has_blog(site, l) {
            let n = pager_count(lists.posts.len(), site.config.paginate_by);
            jobs.extend((1..=n).map(|n| Job::Blog(l, n)));
        }
        if has_products(site, l) {
            jobs.push(Job::Products(l));
        }
        for (x, terms) in lists.terms.iter().enumerate() {
            if !terms.is_empty() {
                jobs.push(Job::Taxonomy(x, l));
            }
        }
    }
    for (t, term) in site.terms.iter().enumerate() {
        let per = site.taxonomies[term.taxonomy].paginate_by;
        let n = pager_count(term.pages.len(), per);
        jobs.extend((1..=n).map(|k| Job::Term(t, k)));
    }
    for (o, offer) in site.offers.iter().enumerate() {
        for l in 0..site.languages.len() {
            // An offer outside its schedule has no landing page; its thank-you
            // page stays for visitors who converted just before the end.
            if site.is_running(offer) {
                jobs.push(Job::Offer(o, l));
            }
            jobs.push(Job::Thanks(o, l));
            jobs.extend((0..offer.def.outcomes.len()).map(|k| Job::Outcome(o, k, l)));
        }
    }
    jobs.push(Job::NotFound);
    jobs
}

/// Whether language `l` has a blog index: posts, or a `blog/_index.md`.
pub fn has_blog(site: &Site, l: usize) -> bool {
    !site.lists[l].posts.is_empty() || site.section_page("blog", l).is_some()
}

/// Whether language `l` has a products page.
pub fn has_products(site: &Site, l: usize) -> bool {
    !site.lists[l].products.is_empty() || site.section_page("products", l).is_some()
}

impl Job {
    /// The language the job is rendered in (index into `Site::languages`).
    pub(super) fn lang(self, site: &Site) -> usize {
        match self {
            Job::Page(i) | Job::Section(i) => site.lang_index(&site.pages[i].lang),
            Job::Blog(l, _) | Job::Products(l) | Job::Taxonomy(_, l) => l,
            Job::Offer(_, l) | Job::Thanks(_, l) | Job::Outcome(_, _, l) => l,
            Job::Term(t, _) => site.terms[t].lang,
            Job::NotFound => 0,
        }
    }

    /// This page in every language it exists in: (language, site path).
    pub(super) fn alternates(self, site: &Site) -> Vec<(usize, String)> {
        let all = 0..site.languages.len();
        match self {
            Job::Page(i) | Job::Section(i) => site.translations[i]
                .iter()
                .map(|&j| {
                    (
                        site.lang_index(&site.pages[j].lang),
                        site.pages[j].path.clone(),
                    )
                })
                .collect(),
            Job::Blog(_, 1) => all
                .filter(|&l| has_blog(site, l))
                .map(|l| (l, site.languages[l].path("/blog/")))
                .collect(),
            Job::Products(_) => all
                .filter(|&l| has_products(site, l))
                .map(|l| (l, site.languages[l].path("/products/")))
                .collect(),
            Job::Taxonomy(x, _) => all
                .filter(|&l| !site.lists[l].terms[x].is_empty())
                .map(|l| (l, site.taxonomies[x].path_in(&site.languages[l])))
                .collect(),
            Job::Offer(o, _) => all
                .map(|l| (l, site.offers[o].path_in(&site.languages[l])))
                .collect(),
            Job::Thanks(o, _) => all
                .map(|l| (l, site.offers[o].thanks_path_in(&site.languages[l])))
                .collect(),
            Job::Outcome(o, k, _) => {
                let offer = &site.offers[o];
                all.map(|l| {
                    let id = &offer.def.outcomes[k].id;
                    (l, offer.outcome_path_in(id, &site.languages[l]))
                })
                .collect()
            }
            Job::Blog(..) | Job::Term(..) | Job::NotFound => Vec::new(),
        }
    }
}
