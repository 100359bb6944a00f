//! The module graph of both crates, read from their `use` lines and inline
//! `crate::`/`super::` paths: no cycles anywhere, and the core's top-level
//! modules only depend downwards (source at the bottom, the front ends above
//! everything). `cargo tree` keeps the terminal and command-line libraries
//! out of the core crate; this keeps its rooms in order.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One crate's modules: module path (`source::embedded::aggregate`) -> file.
struct Crate {
    modules: BTreeMap<String, PathBuf>,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/source/embedded/aggregate.rs` -> `source::embedded::aggregate`;
/// `lib.rs` and `main.rs` are the root (empty path), `x/mod.rs` is `x`.
fn module_path(root: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(root).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect();
    if parts
        .last()
        .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
    {
        parts.pop();
    }
    parts.join("::")
}

impl Crate {
    fn read(root: &Path) -> Crate {
        let mut files = Vec::new();
        rust_files(root, &mut files);
        let modules = files
            .into_iter()
            .map(|file| (module_path(root, &file), file))
            .collect();
        Crate { modules }
    }

    /// The longest known module that `path` (absolute, `a::b::C`) lies in.
    fn resolve(&self, path: &[String]) -> Option<String> {
        (1..=path.len())
            .rev()
            .map(|n| path[..n].join("::"))
            .find(|candidate| self.modules.contains_key(candidate))
    }
}

/// The code of a file without its `#[cfg(test)]` tail and without comments.
fn code(text: &str) -> String {
    let body = text.split("#[cfg(test)]").next().unwrap_or_default();
    body.lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path the code names from `crate::`, `super::` or `self::`, made
/// absolute against `module` (`use a::{b, c::d}` groups expanded).
fn referenced_paths(module: &str, code: &str) -> Vec<Vec<String>> {
    let here: Vec<String> = if module.is_empty() {
        Vec::new()
    } else {
        module.split("::").map(str::to_string).collect()
    };
    let mut paths = Vec::new();
    let tokens = tokenize(code);
    let mut i = 0;
    while i < tokens.len() {
        let start = tokens[i].as_str();
        let preceded_by_path = i > 0 && tokens[i - 1] == "::";
        let base: Option<Vec<String>> = match start {
            "crate" => Some(Vec::new()),
            "self" => Some(here.clone()),
            // A path relative to this module (`use child::X`, `child::f()`):
            // it only resolves when `here::child` is a module.
            word if is_identifier(word) && !["crate", "super"].contains(&word) => {
                let (found, _) = walk(&tokens, i, here.clone());
                if !preceded_by_path && tokens.get(i + 1).map(String::as_str) == Some("::") {
                    paths.extend(found);
                }
                None
            }
            "super" => {
                let mut base = here.clone();
                let mut j = i;
                while tokens.get(j).map(String::as_str) == Some("super")
                    && tokens.get(j + 1).map(String::as_str) == Some("::")
                {
                    base.pop();
                    j += 2;
                }
                if j == i {
                    // `pub(super)`: a visibility, not a path.
                    i += 1;
                    continue;
                }
                // Point at the last `super` so the walk below starts after it.
                i = j.saturating_sub(2);
                Some(base)
            }
            _ => None,
        };
        match base {
            Some(base)
                if !preceded_by_path && tokens.get(i + 1).map(String::as_str) == Some("::") =>
            {
                let (found, next) = walk(&tokens, i + 2, base);
                paths.extend(found);
                i = next;
            }
            _ => i += 1,
        }
    }
    paths
}

/// Reads `a::b::{c, d::e}` from `tokens[at..]` onto `prefix`.
fn walk(tokens: &[String], mut at: usize, mut prefix: Vec<String>) -> (Vec<Vec<String>>, usize) {
    let mut found = Vec::new();
    loop {
        match tokens.get(at).map(String::as_str) {
            Some("{") => {
                at += 1;
                loop {
                    match tokens.get(at).map(String::as_str) {
                        Some("}") => return (found, at + 1),
                        Some(",") => at += 1,
                        Some(_) => {
                            let (inner, next) = walk(tokens, at, prefix.clone());
                            found.extend(inner);
                            at = next.max(at + 1);
                        }
                        None => return (found, at),
                    }
                }
            }
            Some("self" | "*") => {
                found.push(prefix);
                return (found, at + 1);
            }
            Some(word) if is_identifier(word) => {
                prefix.push(word.to_string());
                if tokens.get(at + 1).map(String::as_str) == Some("::") {
                    at += 2;
                } else {
                    found.push(prefix);
                    return (found, at + 1);
                }
            }
            _ => {
                found.push(prefix);
                return (found, at);
            }
        }
    }
}

fn is_identifier(word: &str) -> bool {
    word.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && word.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// Identifiers, `::` and single punctuation; string literals dropped.
fn tokenize(code: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect());
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            tokens.push("::".to_string());
            i += 2;
        } else {
            if !c.is_whitespace() {
                tokens.push(c.to_string());
            }
            i += 1;
        }
    }
    tokens
}

/// Module -> the modules of the same crate it names (never itself).
fn edges(krate: &Crate) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph = BTreeMap::new();
    for (module, file) in &krate.modules {
        let text = std::fs::read_to_string(file).unwrap();
        let mut targets = BTreeSet::new();
        for path in referenced_paths(module, &code(&text)) {
            if let Some(target) = krate.resolve(&path)
                && target != *module
                && !target.is_empty()
            {
                targets.insert(target);
            }
        }
        graph.insert(module.clone(), targets);
    }
    graph
}

/// Strongly connected components with more than one module (Tarjan).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        next: usize,
        found: Vec<Vec<String>>,
    }
    fn visit<'g>(state: &mut State<'g>, node: &'g str) {
        state.index.insert(node, state.next);
        state.low.insert(node, state.next);
        state.next += 1;
        state.stack.push(node);
        state.on_stack.insert(node);
        for target in state.graph.get(node).into_iter().flatten() {
            let target = target.as_str();
            if !state.graph.contains_key(target) {
                continue;
            }
            if !state.index.contains_key(target) {
                visit(state, target);
                let low = state.low[target].min(state.low[node]);
                state.low.insert(node, low);
            } else if state.on_stack.contains(target) {
                let low = state.index[target].min(state.low[node]);
                state.low.insert(node, low);
            }
        }
        if state.low[node] == state.index[node] {
            let mut component = Vec::new();
            while let Some(member) = state.stack.pop() {
                state.on_stack.remove(member);
                component.push(member.to_string());
                if member == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                state.found.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        found: Vec::new(),
    };
    for node in graph.keys() {
        if !state.index.contains_key(node.as_str()) {
            visit(&mut state, node);
        }
    }
    state.found
}

fn top(module: &str) -> &str {
    module.split("::").next().unwrap_or(module)
}

/// The core's layers, bottom first: a module may use its own layer's
/// siblings only as listed, and anything below.
const CORE_LAYERS: &[&[&str]] = &[
    &["stats"],
    &["model"],
    &["format"],
    &["config"],
    &["source"],
    &["diagnostics"],
    &["registry"],
    &["format::experiments"],
    &["alerting", "transfer", "demo"],
    &["service"],
];

/// The layer of `module`: its longest listed prefix decides.
fn layer(module: &str) -> Option<usize> {
    CORE_LAYERS
        .iter()
        .enumerate()
        .flat_map(|(index, layer)| layer.iter().map(move |name| (index, *name)))
        .filter(|(_, name)| module == *name || module.starts_with(&format!("{name}::")))
        .max_by_key(|(_, name)| name.len())
        .map(|(index, _)| index)
}

/// The room a module is in: its longest listed prefix.
fn room(module: &str) -> &str {
    CORE_LAYERS
        .iter()
        .flat_map(|layer| layer.iter().copied())
        .filter(|name| module == *name || module.starts_with(&format!("{name}::")))
        .max_by_key(|name| name.len())
        .unwrap_or_else(|| top(module))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn no_module_of_either_crate_is_part_of_a_cycle() {
    for dir in ["core/src", "src"] {
        let krate = Crate::read(&root().join(dir));
        assert!(
            krate.modules.len() > 10,
            "{dir}: only {} modules found",
            krate.modules.len()
        );
        let graph = edges(&krate);
        let edge_count: usize = graph.values().map(BTreeSet::len).sum();
        assert!(edge_count > 20, "{dir}: only {edge_count} edges found");
        let found = cycles(&graph);
        assert!(found.is_empty(), "{dir}: module cycles: {found:#?}");
    }
}

#[test]
fn core_modules_depend_only_downwards() {
    let krate = Crate::read(&root().join("core/src"));
    let graph = edges(&krate);
    let mut violations = Vec::new();
    for (module, targets) in &graph {
        let Some(from) = layer(module) else {
            if !module.is_empty() {
                violations.push(format!("{module}: not in any layer"));
            }
            continue;
        };
        for target in targets {
            let Some(to) = layer(target) else { continue };
            let same_room = room(module) == room(target);
            if to > from || (to == from && !same_room) {
                violations.push(format!("{module} -> {target}"));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "upward or sideways uses: {violations:#?}"
    );
}

#[test]
fn the_reader_finds_uses_of_every_form() {
    let code = "use super::window::{DateWindow, DayIndex};\n\
                use crate::model::{self, rows::{ExperimentRow, Period}};\n\
                fn f() { crate::stats::wilson(1, 2); let s = \"crate::not::this\"; }\n\
                use super::super::DayStatsQuery;\n\
                mod child; use child::Thing;";
    let paths: Vec<String> = referenced_paths("source::embedded::aggregate", code)
        .into_iter()
        .map(|p| p.join("::"))
        .collect();
    for expected in [
        "source::embedded::window::DateWindow",
        "source::embedded::window::DayIndex",
        "model",
        "model::rows::ExperimentRow",
        "model::rows::Period",
        "stats::wilson",
        "source::DayStatsQuery",
        "source::embedded::aggregate::child::Thing",
    ] {
        assert!(paths.iter().any(|p| p == expected), "{expected}: {paths:?}");
    }
    assert!(!paths.iter().any(|p| p.contains("not")), "{paths:?}");
    let mut graph = BTreeMap::new();
    graph.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    graph.insert("b".to_string(), BTreeSet::from(["a".to_string()]));
    graph.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(cycles(&graph), vec![vec!["a".to_string(), "b".to_string()]]);
}
