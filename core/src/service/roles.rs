//! Which system is production and which are its default challengers, in
//! this order of precedence: the config's `production_system` when the file
//! sets it, else the team's `model_registry` (its `is_production` row; its
//! enabled shadows as challengers), else the default name; challengers fall
//! back to a system named like a shadow, then to any other system.

use crate::config::Config;
use crate::source::Source;
use crate::source::model_registry::SystemRoles;
use anyhow::Result;

/// The registry's roles, or none when the table does not exist.
pub async fn registry_roles(source: &dyn Source) -> Result<SystemRoles> {
    Ok(source
        .model_registry()
        .await?
        .map(|rows| SystemRoles::from_rows(&rows))
        .unwrap_or_default())
}

/// Sets `config.production_system` from the model registry unless the config
/// file set it; returns where it came from, for the log.
pub async fn resolve_production(config: &mut Config, source: &dyn Source) -> Result<&'static str> {
    if config.production_system_set {
        return Ok("config");
    }
    match registry_roles(source).await?.production {
        Some(champion) => {
            config.thresholds.production_system = champion.clone();
            config.production_system = champion;
            Ok("model_registry")
        }
        None => Ok("default"),
    }
}

/// The systems the Overview compares `selected` with: the registry's
/// enabled shadows that have predictions when there are any, else every
/// other system.
pub fn others(systems: &[String], selected: &str, shadows: &[String]) -> Vec<String> {
    let registered: Vec<String> = shadows
        .iter()
        .filter(|shadow| shadow.as_str() != selected && systems.contains(shadow))
        .cloned()
        .collect();
    if !registered.is_empty() {
        return registered;
    }
    systems
        .iter()
        .filter(|system| system.as_str() != selected)
        .cloned()
        .collect()
}

/// The challenger Versus opens on for `production`: the registry's first
/// enabled shadow with predictions, else a system named like a shadow (the
/// last fallback), else the first other system.
pub fn default_challenger(
    systems: &[String],
    production: &str,
    shadows: &[String],
) -> Option<String> {
    let others = || systems.iter().filter(|s| s.as_str() != production);
    shadows
        .iter()
        .find(|shadow| shadow.as_str() != production && systems.contains(shadow))
        .or_else(|| others().find(|s| s.contains("shadow")))
        .or_else(|| others().next())
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_registry_comes_before_the_name_heuristic() {
        let systems = names(&["catboost_v12", "catboost_v9_q43_train1102_0131", "x_shadow"]);
        let shadows = names(&["catboost_v9_q43_train1102_0131"]);
        assert_eq!(
            default_challenger(&systems, "catboost_v12", &shadows).as_deref(),
            Some("catboost_v9_q43_train1102_0131")
        );
        assert_eq!(
            default_challenger(&systems, "catboost_v12", &[]).as_deref(),
            Some("x_shadow")
        );
        assert_eq!(
            others(&systems, "catboost_v12", &shadows),
            names(&["catboost_v9_q43_train1102_0131"])
        );
        assert_eq!(
            others(&systems, "catboost_v12", &[]),
            names(&["catboost_v9_q43_train1102_0131", "x_shadow"])
        );
    }
}
