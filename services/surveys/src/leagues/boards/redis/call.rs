//! One round trip to Redis, bounded in time: it answers, or fails with
//! `Unavailable` within the configured timeout, whatever state Redis is in.

use std::{future::Future, io, time::Duration};

use redis::{
    ErrorKind, RedisError, RedisResult, ServerErrorKind,
    aio::{ConnectionManager, ConnectionManagerConfig},
};

use crate::leagues::boards::{BoardError, BoardResult};

/// A multiplexed connection that reconnects by itself. No reconnection
/// retries and no backoff inside the manager: a call that finds Redis down
/// fails at once (the service then reads the database), and the next call
/// tries to connect again.
/// The manager answers within `timeout` per command, or with no bound of its
/// own when none (the caller bounds the call, as [`run`] does).
pub(super) fn manager(
    url: &str,
    connect: Duration,
    timeout: Option<Duration>,
) -> RedisResult<ConnectionManager> {
    let client = redis::Client::open(url)?;
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(Some(connect))
        .set_response_timeout(timeout)
        .set_number_of_retries(0);
    // Lazy: the service starts (and serves from the database) while Redis
    // is down.
    ConnectionManager::new_lazy_with_config(client, config)
}

/// Whether a failed call may be sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Retry {
    /// Once, when the connection turned out dead or refused: the manager has
    /// started a new one meanwhile (after a Redis restart, the first call
    /// finds the old connection dead). Only for idempotent commands.
    Once,
    Never,
}

/// Runs `op` on the connection, within `timeout` in all (retry included).
pub(super) async fn run<T, F, Fut>(
    con: &ConnectionManager,
    timeout: Duration,
    retry: Retry,
    op: F,
) -> BoardResult<T>
where
    F: Fn(ConnectionManager) -> Fut,
    Fut: Future<Output = RedisResult<T>>,
{
    let attempts = async {
        match op(con.clone()).await {
            Err(e)
                if retry == Retry::Once
                    && (e.is_connection_dropped() || e.is_connection_refusal()) =>
            {
                op(con.clone()).await
            }
            done => done,
        }
    };
    match tokio::time::timeout(timeout, attempts).await {
        Ok(Ok(answer)) => Ok(answer),
        Ok(Err(e)) if is_unavailable(&e) => Err(BoardError::Unavailable(e)),
        Ok(Err(e)) => Err(BoardError::Store(e)),
        Err(_) => Err(BoardError::Unavailable(RedisError::from(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("no answer from Redis within {timeout:?}"),
        )))),
    }
}

/// Failures that say Redis cannot serve now, rather than that this code
/// asked something wrong: I/O (refused, dropped, timed out), a server still
/// loading its data, a replica or cluster in failover, a script too long.
fn is_unavailable(e: &RedisError) -> bool {
    e.is_io_error()
        || matches!(
            e.kind(),
            ErrorKind::Server(
                ServerErrorKind::BusyLoading
                    | ServerErrorKind::TryAgain
                    | ServerErrorKind::MasterDown
                    | ServerErrorKind::ClusterDown
                    | ServerErrorKind::ReadOnly
            )
        )
        || e.code() == Some("BUSY")
}
