//! The registry changes the dashboard makes beside promotion (archive,
//! rollback, approve), through exactly the functions `courtside exp` calls,
//! so both leave the same audit events; under `promotion.require_approval`
//! archiving a promoted experiment and rolling back record requests, as on
//! the CLI. Also [`apply_change`], the lifecycle change both front ends use.

use super::approval::{self, Approved};
use super::comparisons::Judging;
use crate::model::experiment::Status;
use crate::registry::{lifecycle, promotion};
use crate::source::Source;
use anyhow::Result;
use chrono::Utc;

/// A change the user confirms by typing a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryChange {
    Archive {
        experiment_id: String,
        experiment_name: String,
        /// It is promoted: under approval this is a request.
        promoted: bool,
    },
    /// Promote again what the current promotion for `system` archived.
    Rollback { system: String },
    /// Carry out what is awaiting approval on the experiment.
    Approve {
        experiment_id: String,
        experiment_name: String,
    },
}

impl RegistryChange {
    /// The word the user types to confirm: the experiment's name, or the system's.
    pub fn confirm_word(&self) -> &str {
        match self {
            RegistryChange::Archive {
                experiment_name, ..
            }
            | RegistryChange::Approve {
                experiment_name, ..
            } => experiment_name,
            RegistryChange::Rollback { system } => system,
        }
    }

    /// What the change does, in one sentence, as the dialog asks it.
    pub fn question(&self, require_approval: bool) -> String {
        match self {
            RegistryChange::Archive {
                experiment_name,
                promoted: true,
                ..
            } if require_approval => format!(
                "Request archiving {experiment_name}? It is promoted: another actor approves the request."
            ),
            RegistryChange::Archive {
                experiment_name,
                promoted,
                ..
            } => format!(
                "Archive {experiment_name}?{}",
                if *promoted {
                    " It is promoted: its system is left with no promoted experiment."
                } else {
                    ""
                }
            ),
            RegistryChange::Rollback { system } if require_approval => format!(
                "Request a rollback of {system}? Another actor approves it; then the experiment its current promotion archived is promoted again."
            ),
            RegistryChange::Rollback { system } => format!(
                "Roll back {system}? The experiment its current promotion archived is promoted again, the current one archived."
            ),
            RegistryChange::Approve {
                experiment_name, ..
            } => format!(
                "Approve what is awaiting approval on {experiment_name}? It is carried out now."
            ),
        }
    }
}

/// A lifecycle change of the experiment `selector` names (`exp start`,
/// `complete`, `fail`, `archive`), as the registry plans it: returns the
/// experiment's name, the status it left and the ids it archived.
pub async fn apply_change(
    source: &dyn Source,
    selector: &str,
    to: Status,
    note: Option<String>,
    results: Option<serde_json::Value>,
    model_path: Option<String>,
    production_system: &str,
) -> Result<(String, Status, Vec<String>)> {
    let experiments = source.experiments().await?;
    let row = super::find_experiment(&experiments, selector)?;
    let mut change = promotion::change(
        row,
        to,
        lifecycle::actor()?,
        Utc::now(),
        note,
        production_system,
    );
    change.results_json = results;
    change.model_path = model_path;
    change.check()?;
    let archived = source.apply_transition(&change, production_system).await?;
    Ok((row.experiment_name.clone(), change.from, archived))
}

/// Carries out `change` as `courtside exp` would and says what was done.
pub async fn carry_out(
    source: &dyn Source,
    change: &RegistryChange,
    require_approval: bool,
    production_system: &str,
    judging: Judging<'_>,
) -> Result<String> {
    Ok(match change {
        RegistryChange::Archive {
            experiment_id,
            experiment_name,
            ..
        } => {
            let experiments = source.experiments().await?;
            let row = super::find_experiment(&experiments, experiment_id)?.clone();
            if require_approval && row.status == Status::Promoted {
                approval::request_archive(source, &row, None, production_system).await?;
                format!(
                    "archiving {experiment_name} requested: another actor approves it with `courtside exp approve {experiment_name}`"
                )
            } else {
                let (_, from, _) = apply_change(
                    source,
                    experiment_id,
                    Status::Archived,
                    None,
                    None,
                    None,
                    production_system,
                )
                .await?;
                format!("{experiment_name}: {from} -> archived")
            }
        }
        RegistryChange::Rollback { system } if require_approval => {
            let requested =
                approval::request_rollback(source, system, None, false, production_system, judging)
                    .await?;
            format!(
                "rollback of {system} requested ({} promoted again): another actor approves it with `courtside exp approve {}`",
                requested.experiment_name, requested.experiment_name
            )
        }
        RegistryChange::Rollback { system } => {
            let promoted =
                super::promote::rollback(source, system, None, false, production_system, judging)
                    .await?;
            format!(
                "rolled back {system} to {}; archived {}",
                promoted.plan.experiment_name,
                names(&promoted.plan.archive_names())
            )
        }
        RegistryChange::Approve {
            experiment_id,
            experiment_name,
        } => match approval::approve(source, experiment_id, production_system, judging).await? {
            Approved::Promotion(promoted) => format!(
                "approved: {experiment_name} promoted for {}; archived {}",
                promoted.plan.target_system,
                names(&promoted.plan.archive_names())
            ),
            Approved::Rollback(promoted) => format!(
                "approved: {} rolled back to {experiment_name}; archived {}",
                promoted.plan.target_system,
                names(&promoted.plan.archive_names())
            ),
            Approved::Archive { target_system, .. } => {
                format!("approved: {experiment_name} (promoted for {target_system}) archived")
            }
        },
    })
}

fn names(list: &[&str]) -> String {
    if list.is_empty() {
        "nothing".to_string()
    } else {
        list.join(", ")
    }
}
