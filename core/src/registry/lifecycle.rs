//! Who changes the registry, and the lifecycle's types (they live in
//! `model::experiment`, where the sources can see them).

pub use super::actor::{Actor, ActorError, name_of, same_actor};
pub use crate::model::experiment::{Status, Transition, TransitionError};

/// Who makes a change, as the audit trail records it (see [`Actor`]):
/// `COURTSIDE_ACTOR` (with the OS login beside it when that is someone
/// else), else git's `user.email`, else the OS user; refused when
/// `COURTSIDE_ACTOR` is empty or only spaces.
pub fn actor() -> Result<String, ActorError> {
    Actor::current().map(|actor| actor.recorded())
}
