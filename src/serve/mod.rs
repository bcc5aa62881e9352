//! `lander serve`: the site built in memory and served over HTTP, rebuilt
//! when a file changes, with live reload in the browser.
//!
//! - [`watch`]: notify events, debounced, sorted by a pure `triage`;
//! - [`site`]: the dev build (drafts in, forms captured, incremental);
//! - [`http`]: requests, from an immutable [`Snapshot`] swapped after
//!   each good build, so a rebuild never blocks a request;
//! - [`reload`]: server-sent events, the injected script and the overlay;
//! - [`capture`]: form submissions stored as JSON lines;
//! - [`funnel`]: the funnel map at `/__lander/funnel`.
//!
//! A failed build keeps the last good snapshot, and the error is shown in
//! the terminal and over every page until the next good build.

pub mod capture;
pub mod cards;
pub mod funnel;
pub mod http;
pub mod reload;
pub mod site;
pub mod watch;

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use crate::error::{Diagnostic, Diagnostics};
use reload::{Event, Hub};
use site::{Badge, DevOptions, DevSite, Update};
use watch::{Batch, Debounce, SiteWatcher};

/// Threads answering requests (event streams get threads of their own).
const WORKERS: usize = 4;

/// The site as served: one immutable value, replaced as a whole.
#[derive(Default)]
pub struct Snapshot {
    /// Built files by output path (`blog/a/index.html`).
    pub files: HashMap<String, Arc<Vec<u8>>>,
    /// Static files by output path, read from disk when asked for.
    pub statics: HashMap<String, PathBuf>,
    pub base_path: String,
    pub badges: HashMap<String, Badge>,
}

impl Snapshot {
    pub fn has(&self, rel: &str) -> bool {
        self.files.contains_key(rel) || self.statics.contains_key(rel)
    }

    /// The next snapshot: this one with the changes of a build.
    fn apply(&self, update: Update) -> Snapshot {
        let mut files = self.files.clone();
        for path in &update.removed {
            files.remove(path);
        }
        for f in update.files {
            files.insert(f.path, Arc::new(f.bytes));
        }
        Snapshot {
            files,
            statics: update.statics,
            base_path: update.base_path,
            badges: update.badges,
        }
    }
}

/// What request threads and the rebuild thread share.
pub struct Shared {
    site: RwLock<Arc<Snapshot>>,
    /// Pages the build under way has already rendered, served before it
    /// finishes the rest (lists, feeds, sitemap), so that an edit shows as
    /// soon as its own page is ready. Emptied when the build is published.
    fresh: RwLock<HashMap<String, Arc<Vec<u8>>>>,
    /// The errors of the last build, when it failed (overlay text).
    error: RwLock<Option<String>>,
    pub hub: Hub,
    pub capture: Option<capture::Sink>,
    pub funnel: funnel::FunnelPage,
}

impl Shared {
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.site.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn error_text(&self) -> Option<String> {
        self.error.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// A line in the terminal.
    pub fn log(&self, line: &str) {
        println!("{line}");
    }

    fn publish(&self, update: Update) {
        {
            // Read and replace under one lock: the card thread adds files too.
            let mut site = self.site.write().unwrap_or_else(|e| e.into_inner());
            *site = Arc::new(site.apply(update));
        }
        self.fresh
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        *self.error.write().unwrap_or_else(|e| e.into_inner()) = None;
    }

    fn fail(&self, errs: &Diagnostics) -> String {
        self.fresh
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        let text = reload::error_text(errs);
        *self.error.write().unwrap_or_else(|e| e.into_inner()) = Some(text.clone());
        text
    }

    /// Files made after a build (social cards), added to the served site.
    fn add_files(&self, made: Vec<crate::render::OutputFile>) {
        if made.is_empty() {
            return;
        }
        let mut site = self.site.write().unwrap_or_else(|e| e.into_inner());
        let mut files = site.files.clone();
        for f in made {
            files.insert(f.path, Arc::new(f.bytes));
        }
        *site = Arc::new(Snapshot {
            files,
            statics: site.statics.clone(),
            base_path: site.base_path.clone(),
            badges: site.badges.clone(),
        });
    }

    /// Serves a page of the build under way before the build is done.
    fn serve_early(&self, file: &crate::render::OutputFile) {
        self.fresh
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(file.path.clone(), Arc::new(file.bytes.clone()));
    }

    /// A page of the build under way, if it has rendered it already.
    pub fn fresh(&self, rel: &str) -> Option<Arc<Vec<u8>>> {
        self.fresh
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(rel)
            .cloned()
    }
}

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: std::net::IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub capture_forms: bool,
    pub debounce: Debounce,
}

/// A bound server with its site read, ready to [`Server::run`].
pub struct Server {
    shared: Arc<Shared>,
    http: Arc<tiny_http::Server>,
    dev: DevSite,
    url: String,
    debounce: Debounce,
    cards: cards::CardWorker,
}

impl Server {
    /// Binds the address and reads the site folder.
    pub fn bind(opts: &ServeOptions) -> Result<Server, Diagnostics> {
        if !opts.root.join(crate::config::CONFIG_FILE).is_file() {
            // The same message as `lander build`.
            crate::config::Config::load(&opts.root)?;
        }
        let http = listen(SocketAddr::new(opts.bind, opts.port))
            .map_err(|e| e.to_string())
            .and_then(|l| tiny_http::Server::from_listener(l, None).map_err(|e| e.to_string()))
            .map_err(|e| {
                Diagnostic::error(format!(
                    "could not listen on {}:{}: {e}",
                    opts.bind, opts.port
                ))
                .with_help("another program may use this port: choose another with --port")
            })?;
        let addr = http
            .server_addr()
            .to_ip()
            .ok_or_else(|| Diagnostic::error("the server has no IP address"))?;
        let url = match addr {
            SocketAddr::V6(a) => format!("http://[{}]:{}", a.ip(), a.port()),
            SocketAddr::V4(a) => format!("http://{a}"),
        };
        let dev = DevSite::open(DevOptions {
            root: opts.root.clone(),
            local_url: url.clone(),
            capture_forms: opts.capture_forms,
        });
        let shared = Arc::new(Shared {
            site: RwLock::new(Arc::new(Snapshot::default())),
            fresh: RwLock::default(),
            error: RwLock::new(None),
            hub: Hub::default(),
            capture: opts.capture_forms.then(|| capture::Sink::new(&opts.root)),
            funnel: funnel::FunnelPage::new(opts.root.clone()),
        });
        let cards =
            cards::CardWorker::start(shared.clone(), opts.root.join(crate::cards::CACHE_DIR));
        Ok(Server {
            cards,
            shared,
            http: Arc::new(http),
            dev,
            url,
            debounce: opts.debounce,
        })
    }

    /// `http://127.0.0.1:1111`
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The address of the site's home page (under its base path).
    pub fn home_url(&self) -> String {
        format!("{}{}/", self.url, self.shared.snapshot().base_path)
    }

    /// Builds the site once (a failure is shown, not returned).
    pub fn first_build(&mut self) {
        let mut reporter = Reporter::default();
        let result = self.dev.build(&|_| {});
        reporter.report(&self.shared, result, None, &self.cards);
    }

    /// Serves and rebuilds on changes until `stop` says so.
    pub fn run(self, stop: std::sync::mpsc::Receiver<()>) -> Result<(), Diagnostics> {
        let Server {
            shared,
            http,
            mut dev,
            debounce,
            cards,
            ..
        } = self;
        let mut watcher = SiteWatcher::start(dev.root(), &dev.output_dir(), debounce)?;
        for _ in 0..WORKERS {
            let (http, shared) = (http.clone(), shared.clone());
            std::thread::spawn(move || {
                while let Ok(request) = http.recv() {
                    http::handle(&shared, request);
                }
            });
        }
        {
            let shared = shared.clone();
            std::thread::spawn(move || {
                let mut reporter = Reporter::default();
                while let Some(batch) = watcher.next_batch() {
                    dev.apply(&batch);
                    let result = dev.build(&|page| shared.serve_early(page));
                    reporter.report(&shared, result, Some(&batch), &cards);
                }
            });
        }
        let _ = stop.recv();
        for _ in 0..WORKERS {
            http.unblock();
        }
        Ok(())
    }
}

/// A listening socket with Nagle's algorithm off (accepted connections
/// inherit it): tiny_http writes a response's head and body separately,
/// and with Nagle on, each response after the first on a kept-alive
/// connection waits for the client's delayed ACK (~40 ms).
fn listen(addr: SocketAddr) -> std::io::Result<std::net::TcpListener> {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    socket.set_tcp_nodelay(true)?;
    socket.bind(&addr.into())?;
    socket.listen(128)?;
    Ok(socket.into())
}

/// Says what each build did, in the terminal and to the browsers.
#[derive(Default)]
struct Reporter {
    /// Warnings already shown, not repeated at every build.
    warned: HashSet<String>,
}

impl Reporter {
    fn report(
        &mut self,
        shared: &Shared,
        result: Result<Update, Diagnostics>,
        batch: Option<&Batch>,
        cards: &cards::CardWorker,
    ) {
        let what = batch.map(describe).unwrap_or_default();
        match result {
            Ok(mut update) => {
                let card_jobs = std::mem::take(&mut update.cards);
                let mut warned = HashSet::new();
                for w in update.warnings.warnings() {
                    let text = w.to_string();
                    if !self.warned.contains(&text) {
                        eprintln!("{text}");
                    }
                    warned.insert(text);
                }
                self.warned = warned;
                let was_failing = shared.error_text().is_some();
                if std::env::var_os("LANDER_TIMINGS").is_some() {
                    let laps: Vec<String> = update
                        .timings
                        .iter()
                        .map(|(name, d)| format!("{name} {:.1}", d.as_secs_f64() * 1000.0))
                        .collect();
                    shared.log(&format!("  timings (ms): {}", laps.join(", ")));
                }
                shared.log(&format!(
                    "{what}built in {} ms ({} page{} rendered)",
                    update.elapsed.as_millis(),
                    update.rendered,
                    if update.rendered == 1 { "" } else { "s" }
                ));
                shared.publish(update);
                let css = batch.is_some_and(Batch::css_only) && !was_failing;
                shared
                    .hub
                    .send(if css { &Event::Css } else { &Event::Reload });
                cards.send(card_jobs);
            }
            Err(errs) => {
                for d in &errs.0 {
                    eprintln!("{d}");
                }
                eprintln!(
                    "{what}the build failed: still serving the last good version; fix the file and save"
                );
                let text = shared.fail(&errs);
                shared.hub.send(&Event::Error(text));
            }
        }
    }
}

/// `content/blog/a.md changed: ` (or how many files changed).
fn describe(batch: &Batch) -> String {
    match batch.changes.as_slice() {
        [] => String::new(),
        [(one, _)] => format!("{} changed: ", one.display()),
        many => format!("{} files changed: ", many.len()),
    }
}
