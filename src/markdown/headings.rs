//! Heading ids (unique slugs, or the `{#id}` written) and the table of
//! contents they make.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::TocEntry;
use crate::base::slug::slugify;

/// Gives every heading an id (its `{#id}` or a slug of its text, made
/// unique within the page) and returns the headings as a nested TOC.
pub(super) fn assign_heading_ids(events: &mut [Event]) -> Vec<TocEntry> {
    let mut used: HashSet<String> = HashSet::new();
    let mut flat: Vec<TocEntry> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i] {
            let level = heading_level(*level);
            let written = id.as_ref().map(|s| s.to_string());
            let mut title = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    title.push_str(t);
                }
                j += 1;
            }
            let base = written.unwrap_or_else(|| {
                let s = slugify(&title);
                if s.is_empty() {
                    "section".to_string()
                } else if !s.starts_with(char::is_alphabetic) {
                    // Ids start with a letter ("404.html" → "h-404-html"),
                    // as validators and CSS selectors prefer.
                    format!("h-{s}")
                } else {
                    s
                }
            });
            let mut unique = base.clone();
            let mut n = 1;
            while !used.insert(unique.clone()) {
                unique = format!("{base}-{n}");
                n += 1;
            }
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(unique.clone()));
            }
            flat.push(TocEntry {
                level,
                id: unique,
                title,
                children: Vec::new(),
            });
            i = j;
        }
        i += 1;
    }
    nest(flat)
}

fn heading_level(level: HeadingLevel) -> u8 {
    level as u8
}

/// Turns a flat list of headings into a tree: each heading holds the deeper
/// headings that follow it.
fn nest(flat: Vec<TocEntry>) -> Vec<TocEntry> {
    let mut roots: Vec<TocEntry> = Vec::new();
    for entry in flat {
        insert(&mut roots, entry);
    }
    roots
}

fn insert(list: &mut Vec<TocEntry>, entry: TocEntry) {
    match list.last_mut() {
        Some(last) if entry.level > last.level => insert(&mut last.children, entry),
        _ => list.push(entry),
    }
}
