//! Delivery of `watch`'s Slack posts: one queue and one worker per system, so
//! a system's posts arrive in the order they were decided (a RECOVERED never
//! overtakes the WARNING it ends, however long that one retries), while a slow
//! system never holds up another. Each post is in the store's outbox from
//! the moment it is queued until it is delivered or abandoned.

use crate::alerting::notifier::Notifier;
use crate::model::AlertLevel;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

/// One post to deliver; `id` is its outbox row.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: i64,
    pub system: String,
    pub date: NaiveDate,
    pub level: AlertLevel,
    pub payload: serde_json::Value,
}

/// What a finished post reports back.
#[derive(Debug)]
pub struct PostReport {
    pub job: Job,
    /// Attempts it took, or why it was abandoned after its retries.
    pub result: Result<u32, String>,
}

pub struct PostQueue {
    notifier: Notifier,
    queues: HashMap<String, mpsc::UnboundedSender<Job>>,
    workers: JoinSet<()>,
    reports_to: mpsc::UnboundedSender<PostReport>,
    reports: mpsc::UnboundedReceiver<PostReport>,
}

impl PostQueue {
    pub fn new(notifier: Notifier) -> PostQueue {
        let (reports_to, reports) = mpsc::unbounded_channel();
        PostQueue {
            notifier,
            queues: HashMap::new(),
            workers: JoinSet::new(),
            reports_to,
            reports,
        }
    }

    /// Queues `job` behind the system's earlier posts.
    pub fn send(&mut self, job: Job) {
        let queue = self.queues.entry(job.system.clone()).or_insert_with(|| {
            let (queue, mut jobs) = mpsc::unbounded_channel::<Job>();
            let notifier = self.notifier.clone();
            let reports = self.reports_to.clone();
            self.workers.spawn(async move {
                while let Some(job) = jobs.recv().await {
                    let result = notifier.post(&job.payload).await.map_err(|e| e.to_string());
                    let _ = reports.send(PostReport { job, result });
                }
            });
            queue
        });
        // The worker lives as long as its queue: sending cannot fail.
        let _ = queue.send(job);
    }

    /// Waits for the next finished post.
    pub async fn next_report(&mut self) -> Option<PostReport> {
        self.reports.recv().await
    }

    /// A finished post, if one is waiting.
    pub fn try_report(&mut self) -> Option<PostReport> {
        self.reports.try_recv().ok()
    }

    /// Closes the queues, lets the workers deliver what they can within
    /// `grace`, and returns every report; posts still queued after that stay
    /// in the outbox.
    pub async fn finish(mut self, grace: Duration) -> Vec<PostReport> {
        self.queues.clear();
        let deadline = tokio::time::sleep(grace);
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                _ = &mut deadline => break,
                next = self.workers.join_next() => if next.is_none() { break },
            }
        }
        self.workers.abort_all();
        drop(self.reports_to);
        let mut reports = Vec::new();
        while let Ok(report) = self.reports.try_recv() {
            reports.push(report);
        }
        reports
    }
}
