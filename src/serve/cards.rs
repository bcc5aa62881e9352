//! Social cards in `lander serve`: made on a thread of their own after a
//! build is served, so that a text edit never waits for pixels. Its own
//! one-thread pool keeps card work out of the queue the rebuilds use; a
//! page's card appears a moment after the page (from `.lander/cards/` at
//! once, when it was drawn before).

use std::path::PathBuf;
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex};

use super::Shared;
use crate::cards::{self, CardJob};
use crate::render::OutputFile;

pub struct CardWorker {
    jobs: Sender<Vec<CardJob>>,
}

impl CardWorker {
    /// Starts the thread; it makes the cards it is sent into `shared`,
    /// caching them in `cache`.
    pub fn start(shared: Arc<Shared>, cache: PathBuf) -> CardWorker {
        let (tx, rx) = channel::<Vec<CardJob>>();
        std::thread::spawn(move || {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().ok();
            while let Ok(mut jobs) = rx.recv() {
                // Edits that came in meanwhile: one batch.
                while let Ok(more) = rx.try_recv() {
                    jobs.extend(more);
                }
                let made = Mutex::new(Vec::new());
                let sink = |f: OutputFile| {
                    made.lock().unwrap_or_else(|e| e.into_inner()).push(f);
                    Ok(())
                };
                let run = || cards::produce(&jobs, Some(&cache), &sink);
                let result = match &pool {
                    Some(pool) => pool.install(run),
                    None => run(),
                };
                if let Err(errs) = result {
                    for d in errs {
                        eprintln!("{d}");
                    }
                }
                shared.add_files(made.into_inner().unwrap_or_else(|e| e.into_inner()));
            }
        });
        CardWorker { jobs: tx }
    }

    pub fn send(&self, jobs: Vec<CardJob>) {
        if !jobs.is_empty() {
            let _ = self.jobs.send(jobs);
        }
    }
}
