//! The team's `model_registry` (data-contract.md Rev. 3; no DDL in their
//! repository): which system is the champion (`is_production = TRUE`) and
//! which run beside it as shadows (`enabled` rows with status `shadow`). An
//! optional table: the sources read it with [`COLUMNS`] and this module
//! turns the rows into [`SystemRoles`]; nothing here does I/O.

/// The columns read, in this order (`model_id` is the `system_id` of
/// `prediction_accuracy`).
pub const COLUMNS: [&str; 5] = [
    "model_id",
    "status",
    "is_production",
    "enabled",
    "created_at",
];

/// One row of `model_registry`, as far as roles go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryModel {
    pub model_id: String,
    pub status: Option<String>,
    pub is_production: Option<bool>,
    pub enabled: Option<bool>,
    /// The date of `created_at` (a system is judged from it when it is
    /// earlier than its first prediction, metrics.md 5b Rev. 3).
    pub created_on: Option<chrono::NaiveDate>,
}

/// The production system and its default challengers, and where they came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SystemRoles {
    /// The `is_production` row's system (the newest when several are).
    pub production: Option<String>,
    /// The enabled shadows, in registry order.
    pub shadows: Vec<String>,
}

impl SystemRoles {
    /// Roles from rows ordered newest first.
    pub fn from_rows(rows: &[RegistryModel]) -> SystemRoles {
        let production = rows
            .iter()
            .find(|row| row.is_production == Some(true))
            .map(|row| row.model_id.clone());
        let mut shadows: Vec<String> = Vec::new();
        for row in rows {
            let shadow = row
                .status
                .as_deref()
                .is_some_and(|status| status.trim().eq_ignore_ascii_case("shadow"));
            if shadow
                && row.enabled == Some(true)
                && Some(&row.model_id) != production.as_ref()
                && !shadows.contains(&row.model_id)
            {
                shadows.push(row.model_id.clone());
            }
        }
        SystemRoles {
            production,
            shadows,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, status: &str, production: bool, enabled: bool) -> RegistryModel {
        RegistryModel {
            model_id: id.to_string(),
            status: Some(status.to_string()),
            is_production: Some(production),
            enabled: Some(enabled),
            created_on: None,
        }
    }

    #[test]
    fn the_champion_and_the_enabled_shadows() {
        let rows = [
            row("catboost_v12", "production", true, true),
            row("catboost_v9_q43_train1102_0131", "shadow", false, true),
            row("catboost_v9_q45_train1102_0131", "SHADOW", false, true),
            row("catboost_v8", "shadow", false, false),
            row("xgb_v1", "blocked", false, true),
        ];
        let roles = SystemRoles::from_rows(&rows);
        assert_eq!(roles.production.as_deref(), Some("catboost_v12"));
        assert_eq!(
            roles.shadows,
            vec![
                "catboost_v9_q43_train1102_0131".to_string(),
                "catboost_v9_q45_train1102_0131".to_string()
            ]
        );
        assert_eq!(SystemRoles::from_rows(&[]), SystemRoles::default());
    }
}
