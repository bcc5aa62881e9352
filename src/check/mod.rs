//! `lander check`: lints the site as built in memory (SEO, links, forms)
//! and returns findings; never prints.
