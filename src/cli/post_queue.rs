//! Delivery of `watch`'s Slack posts: one queue and one worker per system, so
//! a system's posts arrive in the order they were decided (a RECOVERED never
//! overtakes the WARNING it ends, however long that one retries), while a slow
//! system never holds up another. Each post is in the store's outbox from
//! the moment it is queued until it is delivered or abandoned. Each post
//! goes to the route that takes it (`slack.routes`, then the default).

use super::routes::Routes;
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
    /// The route it was sent on (`#nba-alerts`, `default`).
    pub route: Option<String>,
    /// Attempts it took, or why it was abandoned after its retries.
    pub result: Result<u32, String>,
}

pub struct PostQueue {
    routes: Routes,
    /// The outbox a post is marked in as it is sent (a kill mid-send leaves
    /// the mark for the next run).
    outbox: crate::source::embedded::EmbeddedStore,
    queues: HashMap<String, mpsc::UnboundedSender<Job>>,
    workers: JoinSet<()>,
    reports_to: mpsc::UnboundedSender<PostReport>,
    reports: mpsc::UnboundedReceiver<PostReport>,
}

impl PostQueue {
    pub fn new(routes: Routes, outbox: crate::source::embedded::EmbeddedStore) -> PostQueue {
        let (reports_to, reports) = mpsc::unbounded_channel();
        PostQueue {
            routes,
            outbox,
            queues: HashMap::new(),
            workers: JoinSet::new(),
            reports_to,
            reports,
        }
    }

    /// The name of the route a post of outbox key `key` at `level` takes.
    pub fn route_label(&self, key: &str, level: AlertLevel) -> Option<String> {
        self.routes
            .route_of_key(key, level)
            .and_then(|index| self.routes.get(index))
            .map(|route| route.label.clone())
    }

    /// Queues `job` behind the system's earlier posts.
    pub fn send(&mut self, job: Job) {
        let queue = self.queues.entry(job.system.clone()).or_insert_with(|| {
            let (queue, mut jobs) = mpsc::unbounded_channel::<Job>();
            let routes = self.routes.clone();
            let outbox = self.outbox.clone();
            let reports = self.reports_to.clone();
            self.workers.spawn(async move {
                while let Some(job) = jobs.recv().await {
                    let id = job.id;
                    let Some(route) = routes
                        .route_of_key(&job.system, job.level)
                        .and_then(|index| routes.get(index))
                    else {
                        let result =
                            Err("no route takes it (see watch --check-routes)".to_string());
                        let _ = reports.send(PostReport {
                            job,
                            route: None,
                            result,
                        });
                        continue;
                    };
                    let marked = outbox.clone();
                    let mark = tokio::task::spawn_blocking(move || {
                        marked.mark_sending(id, chrono::Utc::now())
                    })
                    .await;
                    if !matches!(mark, Ok(Ok(()))) {
                        tracing::warn!("outbox: post {id} not marked as sending");
                    }
                    let result = match &route.notifier {
                        Some(notifier) => {
                            notifier.post(&job.payload).await.map_err(|e| e.to_string())
                        }
                        None => Err(format!("the route's webhook ({}) is not set", route.origin)),
                    };
                    let route = Some(route.label.clone());
                    let _ = reports.send(PostReport { job, route, result });
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

/// Records what a finished post did and says it in a note: delivered (out
/// of the outbox, into the posts) or abandoned after its retries (and no
/// longer counted as this system's last post).
pub fn settle(
    state: &crate::source::embedded::EmbeddedStore,
    report: PostReport,
    in_flight: &mut std::collections::HashSet<(String, chrono::NaiveDate, AlertLevel)>,
    sent: &mut std::collections::HashMap<String, courtside_core::alerting::decision::PostState>,
) -> String {
    let job = report.job;
    in_flight.remove(&(job.system.clone(), job.date, job.level));
    let error = report.result.as_ref().err().map(String::as_str);
    super::watch_events::settled(
        state,
        &job.system,
        job.date,
        job.level,
        report.route.as_deref(),
        error,
    );
    match report.result {
        Ok(attempts) => {
            if let Err(error) =
                tokio::task::block_in_place(|| state.deliver_post(job.id, chrono::Utc::now()))
            {
                tracing::warn!("cannot record the post: {error:#}");
            }
            format!(
                "posted {} for {} to {} ({attempts} attempt(s))",
                job.level,
                job.system,
                report.route.as_deref().unwrap_or("its route")
            )
        }
        Err(error) => {
            sent.remove(&job.system);
            if let Err(error) = tokio::task::block_in_place(|| state.abandon_post(job.id)) {
                tracing::warn!("cannot update the outbox: {error:#}");
            }
            tracing::warn!("alert post failed: {error}");
            format!("alert post failed: {error}")
        }
    }
}

/// The next finished post; never resolves without a queue.
pub async fn next_report(queue: &mut Option<PostQueue>) -> Option<PostReport> {
    match queue {
        Some(queue) => queue.next_report().await,
        None => std::future::pending().await,
    }
}
