//! Parent links checked for loops: following the parents of an experiment
//! (through the import's experiments and the registry's) must end. An
//! experiment that is its own parent, or two that are each other's, would
//! make every lineage view walk in circles; the loop is named by its chain
//! of names.

use std::collections::HashMap;

/// One experiment as the chain sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link<'a> {
    pub name: &'a str,
    /// The parent's experiment id.
    pub parent: Option<&'a str>,
}

/// The chain of names from the experiment `start` (an id of `links`) when
/// its parents loop, `A -> B -> A`; `None` when the chain ends.
pub fn loop_from(links: &HashMap<&str, Link<'_>>, start: &str) -> Option<String> {
    let mut seen: Vec<&str> = vec![start];
    let mut current = links.get(start)?.parent;
    while let Some(id) = current {
        let looped = seen.contains(&id);
        seen.push(id);
        if looped {
            let names: Vec<&str> = seen
                .iter()
                .map(|id| links.get(*id).map_or(*id, |link| link.name))
                .collect();
            return Some(names.join(" -> "));
        }
        current = links.get(id).and_then(|link| link.parent);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links<'a>(pairs: &[(&'a str, Option<&'a str>)]) -> HashMap<&'a str, Link<'a>> {
        pairs
            .iter()
            .map(|&(id, parent)| (id, Link { name: id, parent }))
            .collect()
    }

    #[test]
    fn loops_are_named_and_chains_that_end_pass() {
        let chain = links(&[("A", Some("B")), ("B", Some("C")), ("C", None)]);
        assert_eq!(loop_from(&chain, "A"), None);
        let own = links(&[("A", Some("A"))]);
        assert_eq!(loop_from(&own, "A").as_deref(), Some("A -> A"));
        let pair = links(&[("A", Some("B")), ("B", Some("A"))]);
        assert_eq!(loop_from(&pair, "A").as_deref(), Some("A -> B -> A"));
        // A parent the registry no longer has ends the chain.
        let gone = links(&[("A", Some("X"))]);
        assert_eq!(loop_from(&gone, "A"), None);
        // A loop further up is still a loop of this chain.
        let above = links(&[("A", Some("B")), ("B", Some("C")), ("C", Some("B"))]);
        assert_eq!(loop_from(&above, "A").as_deref(), Some("A -> B -> C -> B"));
    }
}
