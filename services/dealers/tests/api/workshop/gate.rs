//! A gate in front of parts' ReserveStock: a test holds it to make parts as
//! slow as it likes, sees the reservations waiting at it, and opens it.

use std::{
    sync::Arc,
    task::{Context, Poll},
};

use tokio::sync::watch;
use tonic::codegen::{BoxFuture, Service, http};

use super::within;

#[derive(Debug, Clone, Copy, Default)]
struct State {
    held: bool,
    waiting: usize,
}

/// Held or open; open unless a test holds it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Gate(Arc<watch::Sender<State>>);

impl Gate {
    /// Reservations wait from now on.
    pub(crate) fn hold(&self) {
        self.0.send_modify(|s| s.held = true);
    }

    /// Reservations go through, the waiting ones too.
    pub(crate) fn open(&self) {
        self.0.send_modify(|s| s.held = false);
    }

    /// Returns once `n` reservations wait at the gate.
    pub(crate) async fn waiting(&self, n: usize) {
        let mut seen = self.0.subscribe();
        within(
            &format!("{n} reservations wait at parts"),
            seen.wait_for(|s| s.waiting >= n),
        )
        .await
        .expect("the gate is kept");
    }

    /// How many reservations wait at the gate.
    pub(crate) fn waiters(&self) -> usize {
        self.0.borrow().waiting
    }

    async fn pass(&self) {
        let mut seen = self.0.subscribe();
        if !seen.borrow().held {
            return;
        }
        self.0.send_modify(|s| s.waiting += 1);
        let _ = seen.wait_for(|s| !s.held).await;
        self.0.send_modify(|s| s.waiting -= 1);
    }
}

/// A service (parts' routes) whose ReserveStock calls pass `gate` first.
#[derive(Debug, Clone)]
pub(crate) struct Gated<S> {
    pub(crate) inner: S,
    pub(crate) gate: Gate,
}

impl<S, B> Service<http::Request<B>> for Gated<S>
where
    S: Service<http::Request<B>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<S::Response, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let gate = request
            .uri()
            .path()
            .ends_with("/ReserveStock")
            .then(|| self.gate.clone());
        // The clone that was made ready answers; a fresh clone stays behind.
        let inner = self.inner.clone();
        let mut ready = std::mem::replace(&mut self.inner, inner);
        Box::pin(async move {
            if let Some(gate) = gate {
                gate.pass().await;
            }
            ready.call(request).await
        })
    }
}
