//! `/__lander/funnel`: the funnel map of the site (`lander funnel`, drafts
//! included) as an HTML page. Mapped when asked for, since it reads every
//! rendered page; while the site does not build, the last good map.

use std::path::PathBuf;
use std::sync::Mutex;

use crate::config::options::BuildOptions;
use crate::funnel::summary;

pub const FUNNEL_PATH: &str = "/__lander/funnel";

pub struct FunnelPage {
    root: PathBuf,
    last_good: Mutex<Option<String>>,
}

impl FunnelPage {
    pub fn new(root: PathBuf) -> FunnelPage {
        FunnelPage {
            root,
            last_good: Mutex::new(None),
        }
    }

    /// The page: the map of the site as it is, else the last good map
    /// (the live-reload overlay shows why), else the errors.
    pub fn html(&self) -> String {
        let opts = BuildOptions {
            root: self.root.clone(),
            output: None,
            base_url: None,
            drafts: true,
            form_endpoint: None,
            now: None,
            cards_svg: false,
        };
        let mut last = self.last_good.lock().unwrap_or_else(|e| e.into_inner());
        match crate::check::map::funnel(&opts) {
            Ok(funnel) => {
                let page = summary::html(&funnel);
                *last = Some(page.clone());
                page
            }
            Err(errs) => {
                let text = super::reload::error_text(&errs);
                last.clone().unwrap_or_else(|| {
                    format!(
                        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Funnel | lander serve</title></head>\
                         <body><h1>Funnel</h1><p>The site does not build yet:</p><pre>{}</pre></body></html>",
                        crate::base::escape::escape(&text)
                    )
                })
            }
        }
    }
}
