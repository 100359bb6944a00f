//! The signals that ask a front end to stop: SIGINT and SIGTERM from outside,
//! and SIGHUP when the terminal closes. `watch` stops its loop on them; the
//! dashboard quits through its normal path, so the terminal is restored
//! (main screen, cursor, cooked mode, mouse reporting off).

/// Resolves when the first stop signal arrives.
pub async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut terminate), Ok(mut hangup)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) else {
            let _ = tokio::signal::ctrl_c().await;
            return;
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate.recv() => {}
            _ = hangup.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
