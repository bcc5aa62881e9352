//! The module graph of `src/` runs one way (README, "Layout of the code"):
//! no cycle among the top-level modules, and none among the sibling
//! submodules of any folder (`render/`, `content/`, …). An edge is a
//! `crate::x` or `super::x` path (also inside `use crate::{a, b}` groups)
//! outside `#[cfg(test)]` items; comments are skipped. Plain string
//! scanning, no parser: paths are all the layering needs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// A module path inside the crate: `["render", "views"]`; `[]` is the root.
type ModPath = Vec<String>;

/// From module to module, with the files that make each edge.
type Graph = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

#[test]
fn top_level_modules_and_sibling_submodules_have_no_cycle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let problems = cycles(&root.join("src"));
    assert!(
        problems.is_empty(),
        "the module graph of src/ has cycles (move the item to the module \
         it belongs to; see README, \"Layout of the code\"):\n{}",
        problems.join("\n")
    );
}

#[test]
fn a_cycle_is_found_and_named_with_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::create_dir_all(src.join("b")).unwrap();
    std::fs::write(src.join("lib.rs"), "pub mod a;\npub mod b;\n").unwrap();
    std::fs::write(
        src.join("a.rs"),
        "// crate::b::Not (a comment)\nuse crate::{b::X, a};\n",
    )
    .unwrap();
    std::fs::write(
        src.join("b/mod.rs"),
        "pub mod x;\npub mod y;\nfn f() { crate::a::g() }\n",
    )
    .unwrap();
    std::fs::write(src.join("b/x.rs"), "use super::y::Y;\n").unwrap();
    std::fs::write(
        src.join("b/y.rs"),
        "pub struct Y;\n#[cfg(test)]\nmod tests {\n    use super::super::x::*;\n}\n",
    )
    .unwrap();
    let found = cycles(src);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("a -> b (a.rs) -> a (b/mod.rs)"),
        "{found:?}"
    );
    std::fs::write(src.join("b/y.rs"), "use crate::b::x;\n").unwrap();
    let found = cycles(src);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[1].contains("in b/: x -> y (b/x.rs) -> x (b/y.rs)"),
        "{found:?}"
    );
}

/// One line per cycle: of the top-level graph, then of each folder.
fn cycles(src: &Path) -> Vec<String> {
    let files = read_sources(src);
    let modules: BTreeSet<ModPath> = files.iter().map(|(m, _, _)| m.clone()).collect();
    let children = |folder: &[String]| -> BTreeSet<String> {
        modules
            .iter()
            .filter(|m| m.len() > folder.len() && m.starts_with(folder))
            .map(|m| m[folder.len()].clone())
            .collect()
    };
    let mut top = Graph::new();
    let mut folders: BTreeMap<ModPath, Graph> = BTreeMap::new();
    for (module, file, text) in &files {
        if module.is_empty() {
            continue;
        }
        for target in references(module, text) {
            if target.is_empty() {
                continue;
            }
            if target[0] != module[0] {
                if children(&[]).contains(&target[0]) {
                    add(&mut top, &module[0], &target[0], file);
                }
                continue;
            }
            let n = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            if n < module.len() && n < target.len() && children(&module[..n]).contains(&target[n]) {
                let graph = folders.entry(module[..n].to_vec()).or_default();
                add(graph, &module[n], &target[n], file);
            }
        }
    }
    let mut out = Vec::new();
    if let Some(cycle) = find_cycle(&top) {
        out.push(format!("top level: {cycle}"));
    }
    for (folder, graph) in &folders {
        if let Some(cycle) = find_cycle(graph) {
            out.push(format!("in {}/: {cycle}", folder.join("/")));
        }
    }
    out
}

fn add(graph: &mut Graph, from: &str, to: &str, file: &str) {
    graph
        .entry(from.to_string())
        .or_default()
        .entry(to.to_string())
        .or_default()
        .insert(file.to_string());
}

/// Every `.rs` file under `src`: its module path, its path relative to
/// `src` (with `/`) and its text without comments and `#[cfg(test)]` items.
fn read_sources(src: &Path) -> Vec<(ModPath, String, String)> {
    let mut out = Vec::new();
    for entry in WalkDir::new(src).sort_by_file_name() {
        let entry = entry.unwrap();
        let path: PathBuf = entry.path().to_path_buf();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(src).unwrap();
        let shown: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let mut module = shown.clone();
        let last = module.pop().unwrap();
        let stem = last.trim_end_matches(".rs");
        let at_root = module.is_empty();
        if stem != "mod" && !(at_root && (stem == "lib" || stem == "main")) {
            module.push(stem.to_string());
        }
        let text = std::fs::read_to_string(&path).unwrap();
        out.push((module, shown.join("/"), strip(&text)));
    }
    out
}

/// The text without `//` comments and without the items after `#[cfg(test)]`
/// (a `mod tests { … }`, or anything up to its `;`).
fn strip(text: &str) -> String {
    let no_comments: String = text
        .lines()
        .map(|l| match l.trim_start().starts_with("//") {
            true => "",
            false => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = String::new();
    let mut rest = no_comments.as_str();
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let brace = after.find('{');
        let semi = after.find(';');
        let end = match (brace, semi) {
            (Some(b), Some(s)) if s < b => s + 1,
            (None, Some(s)) => s + 1,
            (Some(b), _) => matching_brace(after, b),
            (None, None) => after.len(),
        };
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The index just past the `}` that closes the `{` at `open`.
fn matching_brace(text: &str, open: usize) -> usize {
    let mut depth = 0usize;
    for (i, c) in text[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return open + i + 1;
                }
            }
            _ => {}
        }
    }
    text.len()
}

/// The module paths `module`'s text names with `crate::` or `super::`,
/// resolved from the crate root; a `use` group gives one path per item.
fn references(module: &[String], text: &str) -> Vec<ModPath> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    for head in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(found) = text[from..].find(head) {
            let at = from + found;
            from = at + head.len();
            let before = at.checked_sub(1).map(|i| bytes[i]);
            if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':') {
                continue;
            }
            let mut base: ModPath = match head {
                "crate::" => Vec::new(),
                _ => module[..module.len().saturating_sub(1)].to_vec(),
            };
            let mut pos = from;
            loop {
                let ident = ident_at(text, pos);
                if ident.is_empty() {
                    break;
                }
                let next = pos + ident.len();
                if ident == "super" {
                    base.pop();
                } else if ident != "self" {
                    base.push(ident.to_string());
                }
                if text[next..].starts_with("::") {
                    pos = next + 2;
                } else {
                    pos = next;
                    break;
                }
            }
            if text[pos..].starts_with('{') {
                let end = matching_brace(text, pos);
                for item in split_top_level(&text[pos + 1..end - 1]) {
                    let mut path = base.clone();
                    for seg in item.split("::") {
                        let seg = ident_at(seg.trim(), 0);
                        if seg.is_empty() {
                            break;
                        }
                        if seg == "super" {
                            path.pop();
                        } else if seg != "self" {
                            path.push(seg.to_string());
                        }
                    }
                    out.push(path);
                }
            } else {
                out.push(base);
            }
        }
    }
    out
}

fn ident_at(text: &str, pos: usize) -> &str {
    let rest = &text[pos..];
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// `a, b::{c, d}, e` → `a`, `b::{c, d}`, `e` (only the first segments
/// matter here, so the inner group is kept whole).
fn split_top_level(group: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&group[start..]);
    out.into_iter().filter(|s| !s.trim().is_empty()).collect()
}

/// A cycle of `graph`, if it has one: `a -> b (file) -> a (file)`.
fn find_cycle(graph: &Graph) -> Option<String> {
    fn visit(
        graph: &Graph,
        node: &str,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_string(), 1);
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flat_map(|e| e.keys()) {
            match state.get(next.as_str()) {
                Some(1) => {
                    let from = stack.iter().position(|n| n == next).unwrap();
                    let mut cycle = stack[from..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(graph, next, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if state.contains_key(node) {
            continue;
        }
        if let Some(cycle) = visit(graph, node, &mut state, &mut Vec::new()) {
            let mut text = cycle[0].clone();
            for pair in cycle.windows(2) {
                let files = &graph[&pair[0]][&pair[1]];
                let files: Vec<&str> = files.iter().map(String::as_str).collect();
                text.push_str(&format!(" -> {} ({})", pair[1], files.join(", ")));
            }
            return Some(text);
        }
    }
    None
}
