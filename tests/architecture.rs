//! The module dependency graph has no cycles.
//!
//! Reads `src/**/*.rs`, derives for every file-module the modules it refers to (`use crate::a::b`,
//! `crate::a::b::` paths in code, `super::x`, `self::x`; comments and string literals are skipped) and
//! checks, at every level of the module tree, that the graph between sibling modules is acyclic:
//! at crate level between `config`, `ingest`, `compute`, …, inside `ingest` between `formats`,
//! `genesis`, `table`, …. A module using its own parent or its own children is not an edge between
//! siblings. On failure the test prints the cycle.
//!
//! List every edge: `MODULE_DEPS=1 cargo test --test architecture -- --nocapture`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path below the crate root: `["ingest", "formats"]`; the root is `[]`.
type ModPath = Vec<String>;

/// One edge between two sibling modules, named by their full paths.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Edge {
    from: ModPath,
    to: ModPath,
}

#[test]
fn module_graph_between_siblings_has_no_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = module_files(&src);
    let modules: BTreeSet<ModPath> = files.keys().cloned().collect();
    let mut edges = BTreeSet::new();
    for (module, path) in &files {
        let text = std::fs::read_to_string(path).unwrap();
        for target in references(module, &strip_comments_and_strings(&text)) {
            if let Some(edge) = sibling_edge(module, &known_prefix(&target, &modules)) {
                edges.insert(edge);
            }
        }
    }
    if std::env::var_os("MODULE_DEPS").is_some() {
        for e in &edges {
            println!("{} -> {}", show(&e.from), show(&e.to));
        }
    }
    let cycles = cycles_per_level(&edges);
    assert!(
        cycles.is_empty(),
        "import circles between sibling modules:\n{}",
        cycles
            .iter()
            .map(|c| format!("  {}", show_cycle(c)))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Every `.rs` file below `src` (the binary's `main.rs` excepted: it is its own crate), by module path.
fn module_files(src: &Path) -> BTreeMap<ModPath, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") && path != src.join("main.rs") {
                out.insert(module_of(src, &path), path);
            }
        }
    }
    out
}

/// `src/lib.rs` → `[]`, `src/a.rs` and `src/a/mod.rs` → `[a]`, `src/a/b.rs` → `[a, b]`.
fn module_of(src: &Path, file: &Path) -> ModPath {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: ModPath = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The source with comments, string and character literals blanked out (lines and braces are kept).
fn strip_comments_and_strings(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < c.len() {
        let next = c.get(i + 1).copied();
        if c[i] == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if c[i] == '/' && next == Some('*') {
            i = skip_block_comment(&c, i);
        } else if c[i] == '"' || (c[i] == 'b' && next == Some('"')) {
            i = skip_string(&c, if c[i] == 'b' { i + 1 } else { i });
            out.push_str("\"\"");
        } else if (c[i] == 'r' || (c[i] == 'b' && next == Some('r'))) && is_raw_string_start(&c, i) {
            i = skip_raw_string(&c, i);
            out.push_str("\"\"");
        } else if c[i] == '\'' {
            i = skip_char_or_lifetime(&c, i, &mut out);
        } else {
            if c[i].is_alphanumeric() || c[i] == '_' {
                // Copy a whole identifier, so that the `r` or `b` inside one is not taken for a literal.
                while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                    out.push(c[i]);
                    i += 1;
                }
                continue;
            }
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

fn skip_block_comment(c: &[char], mut i: usize) -> usize {
    let mut depth = 0;
    while i < c.len() {
        if c[i] == '/' && c.get(i + 1) == Some(&'*') {
            depth += 1;
            i += 2;
        } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                break;
            }
        } else {
            i += 1;
        }
    }
    i
}

/// `i` is at the opening quote; returns the index after the closing one.
fn skip_string(c: &[char], mut i: usize) -> usize {
    i += 1;
    while i < c.len() && c[i] != '"' {
        i += if c[i] == '\\' { 2 } else { 1 };
    }
    i + 1
}

fn is_raw_string_start(c: &[char], i: usize) -> bool {
    let mut j = i + if c[i] == 'b' { 2 } else { 1 };
    while c.get(j) == Some(&'#') {
        j += 1;
    }
    c.get(j) == Some(&'"')
}

fn skip_raw_string(c: &[char], i: usize) -> usize {
    let mut j = i + if c[i] == 'b' { 2 } else { 1 };
    let mut hashes = 0;
    while c[j] == '#' {
        hashes += 1;
        j += 1;
    }
    j += 1;
    while j < c.len() {
        if c[j] == '"' && (1..=hashes).all(|k| c.get(j + k) == Some(&'#')) {
            return j + 1 + hashes;
        }
        j += 1;
    }
    j
}

/// A character literal (`'x'`, `'\n'`, `'\u{2212}'`) is blanked; a lifetime (`'a`) is kept.
fn skip_char_or_lifetime(c: &[char], i: usize, out: &mut String) -> usize {
    if c.get(i + 1) == Some(&'\\') {
        let mut j = i + 2;
        while j < c.len() && c[j] != '\'' {
            j += 1;
        }
        out.push_str("' '");
        return j + 1;
    }
    if c.get(i + 2) == Some(&'\'') {
        out.push_str("' '");
        return i + 3;
    }
    out.push('\'');
    i + 1
}

/// The module paths a file refers to, absolute, resolved from the file's module (and inline modules
/// such as `mod tests`, in which `super::` is the file's module).
fn references(file_module: &ModPath, code: &str) -> Vec<ModPath> {
    let mut out = Vec::new();
    let tokens = tokenize(code);
    let mut inline: Vec<(String, usize)> = Vec::new(); // inline module name, brace depth inside it
    let mut depth = 0;
    let mut i = 0;
    while i < tokens.len() {
        let here = || {
            let mut m = file_module.clone();
            m.extend(inline.iter().map(|(name, _)| name.clone()));
            m
        };
        match tokens[i].as_str() {
            "{" => depth += 1,
            "}" => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth -= 1;
            }
            "mod" if tokens.get(i + 2).is_some_and(|t| t == "{") => {
                inline.push((tokens[i + 1].clone(), depth + 1));
                depth += 1;
                i += 3;
                continue;
            }
            "use" => {
                let end = (i..tokens.len()).find(|&j| tokens[j] == ";").unwrap_or(tokens.len());
                for path in use_paths(&tokens[i + 1..end]) {
                    out.extend(resolve(&here(), &path));
                }
                i = end + 1;
                continue;
            }
            "crate" | "super" | "self" if tokens.get(i + 1).is_some_and(|t| t == "::") && !after_dollar(&tokens, i) => {
                let mut path = vec![tokens[i].clone()];
                let mut j = i + 1;
                while tokens.get(j).is_some_and(|t| t == "::") && tokens.get(j + 1).is_some_and(|t| is_ident(t)) {
                    path.push(tokens[j + 1].clone());
                    j += 2;
                }
                out.extend(resolve(&here(), &path));
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn after_dollar(tokens: &[String], i: usize) -> bool {
    i > 0 && tokens[i - 1] == "$"
}

fn is_ident(t: &str) -> bool {
    t.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// Identifiers, `::` and single punctuation characters.
fn tokenize(code: &str) -> Vec<String> {
    let c: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        if c[i].is_alphanumeric() || c[i] == '_' {
            let start = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            out.push(c[start..i].iter().collect());
        } else if c[i] == ':' && c.get(i + 1) == Some(&':') {
            out.push("::".into());
            i += 2;
        } else {
            if !c[i].is_whitespace() {
                out.push(c[i].to_string());
            }
            i += 1;
        }
    }
    out
}

/// The paths a use tree names: `super::{a, b::{self, c}}` → `super::a`, `super::b`, `super::b::c`.
fn use_paths(tokens: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut pos = 0;
    use_tree(tokens, &mut pos, Vec::new(), &mut out);
    out
}

fn use_tree(tokens: &[String], pos: &mut usize, mut prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    while *pos < tokens.len() {
        let t = tokens[*pos].as_str();
        *pos += 1;
        match t {
            "::" => {}
            "{" => {
                loop {
                    use_tree(tokens, pos, prefix.clone(), out);
                    match tokens.get(*pos).map(String::as_str) {
                        Some(",") => *pos += 1,
                        Some("}") => {
                            *pos += 1;
                            break;
                        }
                        _ => break,
                    }
                }
                return;
            }
            "self" if !prefix.is_empty() => {
                out.push(prefix);
                return;
            }
            "as" => {
                *pos += 1; // the alias
            }
            "," | "}" => {
                *pos -= 1;
                if !prefix.is_empty() {
                    out.push(prefix);
                }
                return;
            }
            "*" => {}
            _ => prefix.push(t.to_string()),
        }
    }
    if !prefix.is_empty() {
        out.push(prefix);
    }
}

/// An absolute module path for a path written in `here`, or `None` for paths into other crates.
fn resolve(here: &ModPath, path: &[String]) -> Option<ModPath> {
    let mut base = match path.first()?.as_str() {
        "crate" => Vec::new(),
        "self" => here.clone(),
        "super" => {
            let mut m = here.clone();
            m.pop();
            m
        }
        _ => return None,
    };
    let mut rest = &path[1..];
    if path[0] == "super" {
        while rest.first().is_some_and(|s| s == "super") {
            base.pop();
            rest = &rest[1..];
        }
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

/// The longest prefix of `path` that is a file-module (the rest names items, or inline modules).
fn known_prefix(path: &ModPath, modules: &BTreeSet<ModPath>) -> ModPath {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| modules.contains(p))
        .unwrap_or_default()
}

/// The edge between the children of the common ancestor of `from` and `to` that contain them, if
/// neither contains the other.
fn sibling_edge(from: &ModPath, to: &ModPath) -> Option<Edge> {
    let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
    if common == from.len() || common == to.len() {
        return None;
    }
    Some(Edge {
        from: from[..=common].to_vec(),
        to: to[..=common].to_vec(),
    })
}

/// For every edge that closes a cycle, the shortest such cycle (each once, starting at its smallest
/// module); edges only join siblings, so each cycle lies within one level of the module tree.
fn cycles_per_level(edges: &BTreeSet<Edge>) -> Vec<Vec<ModPath>> {
    let mut next: BTreeMap<&ModPath, Vec<&ModPath>> = BTreeMap::new();
    for e in edges {
        next.entry(&e.from).or_default().push(&e.to);
    }
    let mut cycles = BTreeSet::new();
    for e in edges {
        if let Some(mut path) = shortest_path(&e.to, &e.from, &next) {
            path.insert(0, e.from.clone());
            cycles.insert(rotate_to_smallest(path));
        }
    }
    cycles.into_iter().collect()
}

/// The shortest path from `from` to `to` along the edges (breadth first), both ends included.
fn shortest_path(from: &ModPath, to: &ModPath, next: &BTreeMap<&ModPath, Vec<&ModPath>>) -> Option<Vec<ModPath>> {
    let mut came_from: BTreeMap<&ModPath, &ModPath> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([from]);
    let mut seen = BTreeSet::from([from]);
    while let Some(node) = queue.pop_front() {
        if node == to {
            let mut path = vec![node.clone()];
            let mut at = node;
            while let Some(prev) = came_from.get(at) {
                path.push((*prev).clone());
                at = prev;
            }
            path.reverse();
            return Some(path);
        }
        for n in next.get(node).into_iter().flatten() {
            if seen.insert(n) {
                came_from.insert(n, node);
                queue.push_back(n);
            }
        }
    }
    None
}

/// `[b, a, b]` → `[a, b, a]`: the same cycle read from its smallest module.
fn rotate_to_smallest(mut cycle: Vec<ModPath>) -> Vec<ModPath> {
    cycle.pop();
    let at = (0..cycle.len()).min_by_key(|&i| &cycle[i]).unwrap_or(0);
    cycle.rotate_left(at);
    cycle.push(cycle[0].clone());
    cycle
}

fn show(m: &ModPath) -> String {
    std::iter::once("crate")
        .chain(m.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("::")
}

fn show_cycle(c: &[ModPath]) -> String {
    c.iter().map(show).collect::<Vec<_>>().join(" -> ")
}

#[test]
fn sees_circles_and_use_trees() {
    let here: ModPath = vec!["ingest".into(), "formats".into()];
    let code = strip_comments_and_strings(
        "//! [`super::x`]\nuse super::{genesis, table::{self, shorten}};\nfn f() { let s = \"crate::config::\"; crate::model::Ags::parse(s); }\n#[cfg(test)]\nmod tests { use super::*; use super::super::mastr; }\n",
    );
    let refs = references(&here, &code);
    let want: Vec<ModPath> = [
        vec!["ingest", "genesis"],
        vec!["ingest", "table"],
        vec!["ingest", "table", "shorten"],
        vec!["model", "Ags", "parse"],
        vec!["ingest", "formats"],
        vec!["ingest", "mastr"],
    ]
    .iter()
    .map(|p| p.iter().map(|s| s.to_string()).collect())
    .collect();
    assert_eq!(refs, want);
    let m = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<ModPath>();
    let edges: BTreeSet<Edge> = [
        sibling_edge(&m(&["a", "x"]), &m(&["b"])),
        sibling_edge(&m(&["b", "y"]), &m(&["a"])),
        sibling_edge(&m(&["a", "x"]), &m(&["a"])),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert_eq!(cycles_per_level(&edges), vec![vec![m(&["a"]), m(&["b"]), m(&["a"])]]);
}
