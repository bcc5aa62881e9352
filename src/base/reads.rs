//! What a job reads, recorded as it reads it: the pages and offers whose
//! data went into its context. `lander serve` renders a page again only
//! when one of them changed (see `render::reuse`), so no list of what each
//! kind of page depends on is kept by hand.
//!
//! Page and offer data reach a job only through indexing that records
//! (`&site.pages[reads::page(i)]`, `Site::offer`); a test in `render::reuse`
//! checks that the files run inside jobs read them no other way. Recording
//! is per thread: a job is rendered on one thread from start to end
//! (nothing inside it is parallel). This module depends on nothing.

use std::cell::RefCell;

/// Marks an offer in a frame (pages are plain indices).
const OFFER: usize = 1 << (usize::BITS - 1);

thread_local! {
    /// One frame per job being rendered on this thread.
    static FRAMES: RefCell<Vec<Vec<usize>>> = const { RefCell::new(Vec::new()) };
}

/// A page or an offer that a job read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Read {
    /// An index into `Site::pages`.
    Page(usize),
    /// An index into `Site::offers`.
    Offer(usize),
}

fn push(tagged: usize) {
    FRAMES.with(|f| {
        if let Some(top) = f.borrow_mut().last_mut() {
            top.push(tagged);
        }
    });
}

/// Page `i` is read by the job being rendered on this thread, if any; gives `i`.
pub fn page(i: usize) -> usize {
    push(i);
    i
}

/// Offer `o` is read by the job being rendered on this thread, if any; gives `o`.
pub fn offer(o: usize) -> usize {
    push(OFFER | o);
    o
}

/// Runs `f`, returning what it gave and what it read (sorted, once each).
pub fn recording<T>(f: impl FnOnce() -> T) -> (T, Vec<Read>) {
    FRAMES.with(|fr| fr.borrow_mut().push(Vec::new()));
    let out = f();
    let mut read = FRAMES.with(|fr| fr.borrow_mut().pop()).unwrap_or_default();
    read.sort_unstable();
    read.dedup();
    let read = read
        .into_iter()
        .map(|t| match t & OFFER {
            0 => Read::Page(t),
            _ => Read::Offer(t & !OFFER),
        })
        .collect();
    (out, read)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_only_inside_a_frame_and_frames_nest() {
        page(9);
        let ((_, inner), outer) = recording(|| {
            page(3);
            offer(2);
            page(1);
            page(3);
            recording(|| page(7))
        });
        let mut outer = outer;
        outer.sort();
        assert_eq!(outer, vec![Read::Page(1), Read::Page(3), Read::Offer(2)]);
        assert_eq!(inner, vec![Read::Page(7)]);
    }
}
