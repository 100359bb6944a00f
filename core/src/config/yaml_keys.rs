//! Where each key of a YAML file stands: the dotted path and line of every
//! block-mapping key, so that a rule involving several keys can name the
//! line, and a key given twice is reported where it is given the second time
//! (the YAML parser names the first). Only block mappings are read; flow
//! mappings (`{a: 1}`) are left to the parser.

/// A key and the line (1-based) it stands on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyLine {
    pub path: String,
    pub line: usize,
}

/// `key:` at the start of a line (after indentation and an optional `- `),
/// unquoted or in plain quotes.
fn key_of(content: &str) -> Option<&str> {
    let content = content.strip_prefix("- ").unwrap_or(content);
    let (key, rest) = content.split_once(':')?;
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')) {
        return None;
    }
    let key = key.trim();
    let key = key
        .strip_prefix('"')
        .and_then(|k| k.strip_suffix('"'))
        .or_else(|| key.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')))
        .unwrap_or(key);
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    plain.then_some(key)
}

/// Every block-mapping key with its line, in file order; and the first key
/// given twice in one mapping, at its second line.
pub fn scan(text: &str) -> (Vec<KeyLine>, Option<KeyLine>) {
    // (indent, key path, keys seen at this level)
    let mut stack: Vec<(usize, String, Vec<String>)> = Vec::new();
    let mut keys = Vec::new();
    let mut duplicate = None;
    let mut in_block_scalar: Option<usize> = None;
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let content = raw.trim_start();
        let indent = raw.len() - content.len();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if let Some(scalar_indent) = in_block_scalar {
            if indent > scalar_indent {
                continue;
            }
            in_block_scalar = None;
        }
        if content.starts_with("---") || content.starts_with("...") {
            stack.clear();
            continue;
        }
        let Some(key) = key_of(content) else {
            continue;
        };
        // `- key:` starts a new mapping (a list item) whose keys stand two
        // columns in: its keys are not the previous item's.
        let item = content.starts_with("- ");
        let indent = if item { indent + 2 } else { indent };
        while stack
            .last()
            .is_some_and(|(level, _, _)| *level > indent || (item && *level == indent))
        {
            stack.pop();
        }
        let parent = match stack.last() {
            Some((level, _, _)) if *level == indent => stack
                .len()
                .checked_sub(2)
                .map(|i| stack[i].1.clone())
                .unwrap_or_default(),
            Some((_, path, _)) => path.clone(),
            None => String::new(),
        };
        let path = if parent.is_empty() {
            key.to_string()
        } else {
            format!("{parent}.{key}")
        };
        match stack.last_mut() {
            Some((level, own, seen)) if *level == indent => {
                if seen.iter().any(|k| k == key) && duplicate.is_none() {
                    duplicate = Some(KeyLine {
                        path: path.clone(),
                        line,
                    });
                }
                seen.push(key.to_string());
                *own = path.clone();
            }
            _ => stack.push((indent, path.clone(), vec![key.to_string()])),
        }
        let value = content.split_once(':').map_or("", |(_, v)| v).trim();
        if value.starts_with('|') || value.starts_with('>') {
            in_block_scalar = Some(indent);
        }
        keys.push(KeyLine { path, line });
    }
    (keys, duplicate)
}

/// The line of the key at `path` (`thresholds.beats_vegas_warning`).
pub fn line_of(text: &str, path: &str) -> Option<usize> {
    scan(text)
        .0
        .into_iter()
        .find(|key| key.path == path)
        .map(|key| key.line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_items_are_mappings_of_their_own() {
        let text =
            "slack:\n  routes:\n    - name: a\n      webhook: A\n    - name: b\n      webhook: B\n";
        let (keys, twice) = scan(text);
        assert_eq!(twice, None, "{keys:?}");
        assert_eq!(line_of(text, "slack.routes.name"), Some(3));
        let twice = "slack:\n  routes:\n    - name: a\n      name: b\n";
        assert_eq!(
            scan(twice).1,
            Some(KeyLine {
                path: "slack.routes.name".to_string(),
                line: 4
            })
        );
    }

    #[test]
    fn paths_and_lines_of_nested_keys() {
        let text = "theme: dark\n# comment\nthresholds:\n  min_bets: 40\n  tiers:\n    star: 20\n  odds: {risk: 1, win: 1}\nslack:\n  webhook_url: null\n";
        let (keys, duplicate) = scan(text);
        assert_eq!(duplicate, None);
        let found: Vec<(&str, usize)> = keys.iter().map(|k| (k.path.as_str(), k.line)).collect();
        assert_eq!(
            found,
            [
                ("theme", 1),
                ("thresholds", 3),
                ("thresholds.min_bets", 4),
                ("thresholds.tiers", 5),
                ("thresholds.tiers.star", 6),
                ("thresholds.odds", 7),
                ("slack", 8),
                ("slack.webhook_url", 9),
            ]
        );
        assert_eq!(line_of(text, "thresholds.tiers.star"), Some(6));
    }

    #[test]
    fn a_repeated_key_is_found_at_its_second_line() {
        let text =
            "theme: dark\nthresholds:\n  min_bets: 40\n  edge_threshold: 3\n  min_bets: 60\n";
        let (_, duplicate) = scan(text);
        assert_eq!(
            duplicate,
            Some(KeyLine {
                path: "thresholds.min_bets".into(),
                line: 5
            })
        );
        // The same name in two mappings is no repetition.
        let (_, none) =
            scan("slack:\n  timeout_secs: 5\nsource:\n  bigquery:\n    timeout_secs: 9\n");
        assert_eq!(none, None);
        let (_, top) = scan("theme: dark\nmouse: true\ntheme: light\n");
        assert_eq!(top.map(|k| k.line), Some(3));
    }
}
