//! What `watch` does at start with the posts the last run left in the
//! outbox: one never begun goes out as it was; one the last run was sending
//! when it was killed may have reached Slack already (an incoming webhook
//! has no idempotency key), so it is sent once more marked as a possible
//! repeat, and never a third time.

use crate::source::embedded::EmbeddedStore;
use courtside_core::model::alert_posts::OutboxPost;
use serde_json::Value;

/// The words a possible repeat starts with.
pub const REPEAT_MARK: &str = "(possible repeat: the last run was stopped while sending this)";

/// Queues what the last run left in the outbox, in its order, each post
/// as [`resend`] says.
pub fn resend_pending(
    state: &EmbeddedStore,
    queue: &mut super::post_queue::PostQueue,
    in_flight: &mut std::collections::HashSet<(
        String,
        chrono::NaiveDate,
        crate::model::AlertLevel,
    )>,
) {
    match tokio::task::block_in_place(|| state.pending_posts()) {
        Ok(pending) => {
            if !pending.is_empty() {
                println!(
                    "resending {} post(s) the last run left undelivered",
                    pending.len()
                );
            }
            for post in pending {
                let Some(payload) = resend(state, &post) else {
                    continue;
                };
                in_flight.insert((post.system_id.clone(), post.game_date, post.level));
                queue.send(super::post_queue::Job {
                    id: post.id,
                    system: post.system_id,
                    date: post.game_date,
                    level: post.level,
                    payload,
                });
            }
        }
        Err(error) => println!(
            "cannot read the outbox: {}",
            crate::format::terminal_safe(&format!("{error:#}"))
        ),
    }
}

/// The payload to send again for `post`, or `None` when it is not to be
/// sent (an interrupted post resent once already: dropped from the outbox).
pub fn resend(state: &EmbeddedStore, post: &OutboxPost) -> Option<Value> {
    if !post.interrupted {
        return Some(post.payload.clone());
    }
    if post.resent {
        println!(
            "post {} for {} ({}) was interrupted twice: not sent a third time",
            post.id, post.system_id, post.level
        );
        if let Err(error) = tokio::task::block_in_place(|| state.abandon_post(post.id)) {
            tracing::warn!("cannot update the outbox: {error:#}");
        }
        return None;
    }
    if let Err(error) = tokio::task::block_in_place(|| state.mark_resent(post.id)) {
        // Unmarked, a second kill would send it a third time: not sent now.
        println!(
            "cannot mark post {} as resent ({error:#}): kept for the next start",
            post.id
        );
        return None;
    }
    println!(
        "post {} for {} ({}) was interrupted mid-send: sent again, marked as a possible repeat",
        post.id, post.system_id, post.level
    );
    Some(marked(&post.payload))
}

/// `payload` with the repeat mark before its text and as its first block.
pub fn marked(payload: &Value) -> Value {
    let mut payload = payload.clone();
    if let Some(text) = payload.get("text").and_then(Value::as_str) {
        payload["text"] = Value::String(format!("{REPEAT_MARK} {text}"));
    }
    if let Some(blocks) = payload.get_mut("blocks").and_then(Value::as_array_mut) {
        blocks.insert(
            0,
            serde_json::json!({
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": REPEAT_MARK}],
            }),
        );
    }
    payload
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeat_is_marked_in_its_text_and_first_block() {
        let payload = serde_json::json!({"text": "WARNING x", "blocks": [{"type": "header"}]});
        let repeat = marked(&payload);
        assert_eq!(repeat["text"], format!("{REPEAT_MARK} WARNING x").as_str());
        assert_eq!(repeat["blocks"][0]["type"], "context");
        assert_eq!(repeat["blocks"][1]["type"], "header");
    }
}
