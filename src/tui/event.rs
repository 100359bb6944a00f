//! The event loop: crossterm's `EventStream`, the fetch-result channel and a
//! clock, merged with `tokio::select!` into actions; effects carried out here.
//! The clock ticks every second only while something on screen changes that
//! often (a spinner, a seconds-old age), else every 15 seconds.

use super::action::{Action, Effect, Fetch, Payload, Selection};
use super::app::App;
use super::terminal::Screen;
use super::{data, view};
use crate::config::Thresholds;
use crate::model::experiment::TransitionError;
use crate::registry::lifecycle;
use crate::registry::promotion::{self, PromotionPlan};
use crate::source::Source;
use anyhow::Result;
use chrono::Utc;
use crossterm::event::{Event, EventStream, KeyEventKind, MouseButton, MouseEventKind};
use futures::StreamExt;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// The shortest time between two frames (~30 frames a second).
const FRAME: Duration = Duration::from_millis(33);

/// Translates a terminal event into an action: keys through the one key
/// table, in the context of the tab or the dialog that has them.
pub fn action_for(app: &App, event: Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            app.keymap.action_in(&key, app.key_context())
        }
        Event::Mouse(mouse) => match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click(mouse.column, mouse.row)),
            MouseEventKind::ScrollUp => Some(Action::ScrollUp),
            MouseEventKind::ScrollDown => Some(Action::ScrollDown),
            _ => None,
        },
        Event::Resize(_, _) => Some(Action::Resize),
        _ => None,
    }
}

fn tick_interval(app: &App) -> Duration {
    let fast = app.is_loading() || app.age_secs().is_none_or(|age| age < 60);
    if fast {
        Duration::from_secs(1)
    } else {
        Duration::from_secs(15)
    }
}

/// Runs fetches as tasks, at most one per kind (a newer one aborts the older).
struct Fetcher {
    tasks: HashMap<Fetch, JoinHandle<()>>,
    shared: Shared,
}

/// What every task takes along: where to answer, the source, the config it
/// judges by.
#[derive(Clone)]
struct Shared {
    sender: mpsc::UnboundedSender<Action>,
    source: Arc<dyn Source>,
    thresholds: Thresholds,
    production_system: String,
    /// `promotion.non_inferiority_pp`: the Versus tab's margin.
    margin_pp: f64,
    /// `promotion.require_approval`: a promotion waits for another actor.
    require_approval: bool,
    /// The store `watch` keeps its state in: the header's silences.
    state: Option<std::path::PathBuf>,
}

impl Shared {
    /// How comparisons judge: the thresholds and the Versus margin.
    fn judging(&self) -> crate::service::comparisons::Judging<'_> {
        crate::service::comparisons::Judging {
            thresholds: &self.thresholds,
            margin_pp: self.margin_pp,
        }
    }
}

impl Fetcher {
    fn spawn(
        &mut self,
        what: Fetch,
        request: u64,
        selection: Selection,
        unless_version: Option<String>,
        experiment: Option<String>,
    ) {
        if let Some(previous) = self.tasks.remove(&what) {
            previous.abort();
        }
        let shared = self.shared.clone();
        let handle = tokio::spawn(async move {
            let unchanged = match &unless_version {
                Some(known) => {
                    matches!(shared.source.data_version().await, Ok(Some(now)) if now == *known)
                }
                None => false,
            };
            let result = if unchanged {
                Ok(Payload::Unchanged)
            } else {
                let loaded = data::load(
                    what,
                    shared.source.as_ref(),
                    &selection,
                    experiment.as_deref(),
                    &shared.production_system,
                    shared.judging(),
                )
                .await;
                match loaded {
                    Ok(mut payload) => {
                        let now = crate::config::game_day::clock();
                        let state = shared.state.as_deref();
                        data::add_silences(&mut payload, shared.source.as_ref(), state, now).await;
                        Ok(payload)
                    }
                    Err(error) => Err(error),
                }
            };
            let result = result.map_err(|error| {
                tracing::warn!("fetch failed: {error:#}");
                format!("{error:#}")
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .to_string()
            });
            let _ = shared.sender.send(Action::Loaded {
                what,
                request,
                at: Utc::now(),
                result,
            });
        });
        self.tasks.insert(what, handle);
    }

    /// The promote dialog's figures, from the function the announcement
    /// uses; they come back as `Action::PromotionFigures`.
    fn promotion_figures(&mut self, plan: PromotionPlan) {
        let shared = self.shared.clone();
        tokio::spawn(async move {
            let judging = shared.judging();
            let lines = crate::service::promote::announcement_figures(
                shared.source.as_ref(),
                &plan,
                judging,
            )
            .await;
            let _ = shared.sender.send(Action::PromotionFigures {
                experiment_id: plan.experiment_id,
                lines,
            });
        });
    }

    /// Promotes on a task; the answer comes back as `Action::Promoted`.
    fn promote(&mut self, plan: PromotionPlan, force: bool) {
        let shared = self.shared.clone();
        tokio::spawn(async move {
            let result = async {
                // What the user confirmed must still be what happens: a plan
                // changed since the dialog opened is shown again instead.
                let registry = shared.source.experiments().await?;
                if let Some(fresh) =
                    promotion::replanned(&registry, &plan, &shared.production_system, &shared.thresholds)?
                {
                    return anyhow::Ok(Err(fresh));
                }
                // metrics.md 14: worse than what it archives, on shared
                // backtest rows, is a guard rail the dialog must show.
                let judging = shared.judging();
                let worse =
                    crate::service::promote::worse_than_promoted(shared.source.as_ref(), &plan, judging)
                        .await?;
                if worse.iter().any(|warning| !plan.warnings.contains(warning)) {
                    let mut fresh = plan.clone();
                    fresh.warnings.extend(worse);
                    return anyhow::Ok(Err(fresh));
                }
                if shared.require_approval {
                    // As `exp promote` under promotion.require_approval: a
                    // request another actor approves (`exp approve`).
                    crate::service::approval::request_promotion(
                        shared.source.as_ref(),
                        &plan.experiment_id,
                        None,
                        force,
                        &shared.production_system,
                        judging,
                    )
                    .await?;
                    return anyhow::Ok(Ok(format!(
                        "promotion of {} requested: another actor approves it with `courtside exp approve {}`",
                        plan.experiment_name, plan.experiment_name
                    )));
                }
                let change = plan.transition(lifecycle::actor()?, Utc::now(), None, force)?;
                let archived = match shared.source.apply_transition(&change, &shared.production_system).await {
                    Ok(archived) => archived,
                    // Promoted for the target meanwhile: show the plan made now.
                    Err(error)
                        if matches!(
                            error.downcast_ref::<TransitionError>(),
                            Some(TransitionError::StalePlan { .. })
                        ) =>
                    {
                        let registry = shared.source.experiments().await?;
                        match promotion::replanned(
                            &registry,
                            &plan,
                            &shared.production_system,
                            &shared.thresholds,
                        )? {
                            Some(fresh) => return anyhow::Ok(Err(fresh)),
                            None => return Err(error),
                        }
                    }
                    Err(error) => return Err(error),
                };
                // Names, as the user knows them (an archive the plan did not
                // list, found by a re-plan, by its id).
                let name_of = |id: &String| {
                    plan.archives
                        .iter()
                        .find(|archive| &archive.experiment_id == id)
                        .map_or_else(|| id.clone(), |archive| archive.experiment_name.clone())
                };
                anyhow::Ok(Ok(format!(
                    "promoted {} for {}; archived {}",
                    plan.experiment_name,
                    plan.target_system,
                    if archived.is_empty() {
                        "nothing".to_string()
                    } else {
                        archived.iter().map(name_of).collect::<Vec<_>>().join(", ")
                    }
                )))
            }
            .await;
            let action = match result {
                Ok(Ok(message)) => Action::Promoted(Ok(message)),
                Ok(Err(fresh)) => Action::Replanned(fresh),
                Err(error) => {
                    tracing::warn!("promotion failed: {error:#}");
                    Action::Promoted(Err(format!("{error:#}")))
                }
            };
            let _ = shared.sender.send(action);
        });
    }

    /// Carries out a confirmed registry change on a task, through the
    /// functions `courtside exp` calls; the answer comes back as
    /// `Action::Promoted` (a notice and a fresh registry).
    fn registry(&mut self, change: crate::service::registry_changes::RegistryChange) {
        let shared = self.shared.clone();
        tokio::spawn(async move {
            let judging = shared.judging();
            let result = crate::service::registry_changes::carry_out(
                shared.source.as_ref(),
                &change,
                shared.require_approval,
                &shared.production_system,
                judging,
            )
            .await;
            let action = match result {
                Ok(message) => Action::Promoted(Ok(message)),
                Err(error) => {
                    tracing::warn!("registry change failed: {error:#}");
                    Action::Promoted(Err(format!("{error:#}")))
                }
            };
            let _ = shared.sender.send(action);
        });
    }

    fn abort_all(&mut self) {
        for (_, task) in self.tasks.drain() {
            task.abort();
        }
    }
}

pub async fn run_loop(
    screen: &mut Screen,
    app: &mut App,
    source: Arc<dyn Source>,
    config: crate::config::Config,
    started: Instant,
) -> Result<()> {
    // Start-up figures go to the log: first frame, first data on screen.
    let mut first_frame_logged = false;
    let mut first_data_logged = false;
    let (sender, mut receiver) = mpsc::unbounded_channel::<Action>();
    let mut fetcher = Fetcher {
        tasks: HashMap::new(),
        shared: Shared {
            sender: sender.clone(),
            source,
            margin_pp: config.promotion.non_inferiority_pp.get(),
            require_approval: config.promotion.require_approval,
            state: config.embedded_path().ok(),
            thresholds: config.thresholds,
            production_system: config.production_system,
        },
    };
    let mut events = EventStream::new();
    let mut pending_effects = app.start();
    let mut dirty = true;
    let mut last_draw = Instant::now() - FRAME;
    let mut next_tick = Instant::now() + tick_interval(app);
    // SIGTERM, SIGINT from outside and SIGHUP quit like `q`, so the terminal
    // is restored on the way out.
    let stop = crate::signals::stop_signal();
    tokio::pin!(stop);
    let mut stopped = false;
    loop {
        for effect in pending_effects.drain(..) {
            match effect {
                Effect::Fetch {
                    what,
                    request,
                    selection,
                    unless_version,
                    experiment,
                } => fetcher.spawn(what, request, selection, unless_version, experiment),
                Effect::WriteFile {
                    file_name,
                    contents,
                } => {
                    let notice = match std::fs::write(&file_name, contents) {
                        Ok(()) => {
                            let path = std::env::current_dir()
                                .map(|dir| dir.join(&file_name))
                                .unwrap_or_else(|_| file_name.clone().into());
                            format!("exported to {}", path.display())
                        }
                        Err(error) => format!("export failed: {file_name}: {error}"),
                    };
                    let _ = sender.send(Action::Notice(notice));
                }
                Effect::Copy { what, text } => {
                    let notice = match super::terminal::copy_to_clipboard(&text) {
                        Ok(()) => format!("copied the {what}: {text}"),
                        Err(error) => format!("could not copy the {what}: {error}"),
                    };
                    let _ = sender.send(Action::Notice(notice));
                }
                Effect::Promote { plan, force } => fetcher.promote(plan, force),
                Effect::Registry(change) => fetcher.registry(change),
                Effect::PromotionFigures(plan) => fetcher.promotion_figures(plan),
                Effect::SetTitle(title) => super::terminal::set_title(&title),
                Effect::Quit => {}
            }
        }
        if app.should_quit {
            break;
        }
        if dirty && last_draw.elapsed() >= FRAME {
            screen.draw(|frame| view::draw(frame, app))?;
            if !first_frame_logged {
                first_frame_logged = true;
                tracing::info!(
                    ms = started.elapsed().as_millis() as u64,
                    "first frame drawn"
                );
            }
            if !first_data_logged && app.dashboard.data.is_some() {
                first_data_logged = true;
                tracing::info!(
                    ms = started.elapsed().as_millis() as u64,
                    "first data shown"
                );
            }
            dirty = false;
            last_draw = Instant::now();
        }
        let frame_wait = FRAME.saturating_sub(last_draw.elapsed());
        let action = tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => action_for(app, event),
                // The terminal went away: quit rather than spin.
                Some(Err(_)) | None => Some(Action::Quit),
            },
            Some(action) = receiver.recv() => Some(action),
            _ = &mut stop, if !stopped => {
                stopped = true;
                tracing::info!("stop signal: quitting");
                Some(Action::Quit)
            }
            _ = tokio::time::sleep_until(next_tick.into()) => {
                next_tick = Instant::now() + tick_interval(app);
                Some(Action::Tick(Utc::now()))
            }
            _ = tokio::time::sleep(frame_wait), if dirty => None,
        };
        if let Some(action) = action {
            if matches!(action, Action::Resize) {
                screen.autoresize()?;
            }
            pending_effects = app.update(action);
            dirty = true;
            next_tick = next_tick.min(Instant::now() + tick_interval(app));
        }
    }
    fetcher.abort_all();
    Ok(())
}
