//! The signals that ask a front end to stop: SIGINT and SIGTERM from outside,
//! and SIGHUP when the terminal closes. `watch` stops its loop on them; the
//! dashboard quits through its normal path, so the terminal is restored
//! (main screen, cursor, cooked mode, mouse reporting off).

/// Resolves when the first stop signal arrives. The handlers are installed
/// when this is called, not when it is first awaited, so a signal that comes
/// during a slow start-up is kept for the loop instead of killing the process.
pub fn stop_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let streams = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        );
        async move {
            match streams {
                (Ok(mut interrupt), Ok(mut terminate), Ok(mut hangup)) => {
                    tokio::select! {
                        _ = interrupt.recv() => {}
                        _ = terminate.recv() => {}
                        _ = hangup.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
