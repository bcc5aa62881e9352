//! Job planning: the `Job` of each page to produce, listed by `plan`
//! before anything is rendered, then rendered in parallel.

use super::paginate::pager_count;
use crate::content::{PageKind, Site};

/// A page of the site: an index into `Site::pages`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageId(pub usize);

/// A language of the site: an index into `Site::languages` (and
/// `Site::lists`, `Site::strings`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LangId(pub usize);

/// An offer: an index into `Site::offers`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OfferId(pub usize);

/// A taxonomy: an index into `Site::taxonomies`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaxonomyId(pub usize);

/// A term of a taxonomy in one language: an index into `Site::terms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TermId(pub usize);

/// A page to produce; planned first, rendered in parallel. `number` is the
/// 1-based page of a paginated list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Job {
    /// Home, post, product, plain or landing page.
    Page {
        page: PageId,
    },
    /// Page `number` of the blog index of a language.
    Blog {
        lang: LangId,
        number: usize,
    },
    /// The products of a language.
    Products {
        lang: LangId,
    },
    /// A folder's `_index.md` listing its pages.
    Section {
        page: PageId,
    },
    /// The list page of a taxonomy in a language.
    Taxonomy {
        taxonomy: TaxonomyId,
        lang: LangId,
    },
    /// Page `number` of a term (a term belongs to one language).
    Term {
        term: TermId,
        number: usize,
    },
    /// The landing page of an offer in a language.
    Offer {
        offer: OfferId,
        lang: LangId,
    },
    /// The thank-you page of an offer in a language.
    Thanks {
        offer: OfferId,
        lang: LangId,
    },
    /// The thank-you page of outcome `outcome` (index into the quiz's
    /// `outcomes`) of a quiz offer in a language.
    Outcome {
        offer: OfferId,
        outcome: usize,
        lang: LangId,
    },
    NotFound,
}

pub(super) fn plan(site: &Site) -> Vec<Job> {
    let mut jobs = Vec::new();
    for (i, p) in site.pages.iter().enumerate() {
        let page = PageId(i);
        match p.kind {
            PageKind::Section if p.section == "blog" || p.section == "products" => {}
            PageKind::Section => jobs.push(Job::Section { page }),
            _ => jobs.push(Job::Page { page }),
        }
    }
    for (l, lists) in site.lists.iter().enumerate() {
        let lang = LangId(l);
        if has_blog(site, l) {
            let n = pager_count(lists.posts.len(), site.config.paginate_by);
            jobs.extend((1..=n).map(|number| Job::Blog { lang, number }));
        }
        if has_products(site, l) {
            jobs.push(Job::Products { lang });
        }
        for (x, terms) in lists.terms.iter().enumerate() {
            if !terms.is_empty() {
                jobs.push(Job::Taxonomy {
                    taxonomy: TaxonomyId(x),
                    lang,
                });
            }
        }
    }
    for (t, term) in site.terms.iter().enumerate() {
        let per = site.taxonomies[term.taxonomy].paginate_by;
        let n = pager_count(term.pages.len(), per);
        jobs.extend((1..=n).map(|number| Job::Term {
            term: TermId(t),
            number,
        }));
    }
    for (o, offer) in site.offers.iter().enumerate() {
        let id = OfferId(o);
        for l in 0..site.languages.len() {
            let lang = LangId(l);
            // An offer outside its schedule has no landing page; its thank-you
            // page stays for visitors who converted just before the end.
            if site.is_running(offer) {
                jobs.push(Job::Offer { offer: id, lang });
            }
            jobs.push(Job::Thanks { offer: id, lang });
            jobs.extend((0..offer.def.outcomes.len()).map(|outcome| Job::Outcome {
                offer: id,
                outcome,
                lang,
            }));
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
    /// The language the job is rendered in.
    pub(super) fn lang(self, site: &Site) -> LangId {
        match self {
            Job::Page { page } | Job::Section { page } => {
                LangId(site.lang_index(&site.pages[page.0].lang))
            }
            Job::Blog { lang, .. } | Job::Products { lang } | Job::Taxonomy { lang, .. } => lang,
            Job::Offer { lang, .. } | Job::Thanks { lang, .. } | Job::Outcome { lang, .. } => lang,
            Job::Term { term, .. } => LangId(site.terms[term.0].lang),
            Job::NotFound => LangId(0),
        }
    }

    /// This page in every language it exists in: (language, site path).
    pub(super) fn alternates(self, site: &Site) -> Vec<(usize, String)> {
        let all = 0..site.languages.len();
        match self {
            Job::Page { page } | Job::Section { page } => site.translations[page.0]
                .iter()
                .map(|&j| {
                    (
                        site.lang_index(&site.pages[j].lang),
                        site.pages[j].path.clone(),
                    )
                })
                .collect(),
            Job::Blog { number: 1, .. } => all
                .filter(|&l| has_blog(site, l))
                .map(|l| (l, site.languages[l].path("/blog/")))
                .collect(),
            Job::Products { .. } => all
                .filter(|&l| has_products(site, l))
                .map(|l| (l, site.languages[l].path("/products/")))
                .collect(),
            Job::Taxonomy { taxonomy, .. } => all
                .filter(|&l| !site.lists[l].terms[taxonomy.0].is_empty())
                .map(|l| (l, site.taxonomies[taxonomy.0].path_in(&site.languages[l])))
                .collect(),
            Job::Offer { offer, .. } => all
                .map(|l| (l, site.offers[offer.0].path_in(&site.languages[l])))
                .collect(),
            Job::Thanks { offer, .. } => all
                .map(|l| (l, site.offers[offer.0].thanks_path_in(&site.languages[l])))
                .collect(),
            Job::Outcome { offer, outcome, .. } => {
                let offer = &site.offers[offer.0];
                all.map(|l| {
                    let id = &offer.def.outcomes[outcome].id;
                    (l, offer.outcome_path_in(id, &site.languages[l]))
                })
                .collect()
            }
            Job::Blog { .. } | Job::Term { .. } | Job::NotFound => Vec::new(),
        }
    }
}
