//! Server-streaming reads that follow a changing answer (the `Watch…`
//! methods): the answer now, then again each time it changes.
//!
//! A change is noticed two ways: at once, when a write of this process says
//! so through [`Changes`]; and by re-reading every so often, for the writes
//! of other replicas and for answers that move with the clock. What counts
//! as a change, and what is sent for it, is the caller's pure function: a
//! re-read that changes nothing sends nothing.

use std::{
    future::Future,
    sync::Arc,
    time::{Duration, Instant},
};

use tokio::sync::{mpsc, watch};
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Status, metadata::MetadataMap};

/// Says "something was written" to every watch of a service in this
/// process. Cheap to clone; one per service, shared by its writes and its
/// watches.
#[derive(Debug, Clone)]
pub struct Changes(Arc<watch::Sender<u64>>);

impl Default for Changes {
    fn default() -> Self {
        Self(Arc::new(watch::channel(0).0))
    }
}

impl Changes {
    /// Wakes every watch: each reads its answer again.
    pub fn notify(&self) {
        self.0.send_modify(|generation| *generation = generation.wrapping_add(1));
    }

    fn subscribe(&self) -> watch::Receiver<u64> {
        self.0.subscribe()
    }
}

/// How one watch runs.
#[derive(Debug, Clone)]
pub struct Watch {
    changes: Changes,
    /// How often the answer is read again without a wake-up.
    every: Duration,
    /// When the stream ends with DEADLINE_EXCEEDED: the caller's own
    /// `grpc-timeout`, which covers the whole call (a client whose library
    /// only times the wait for the first answer relies on this).
    deadline: Option<Instant>,
}

impl Watch {
    /// A watch woken by `changes` and re-reading `every` so often, until the
    /// deadline `request` carries, if any.
    pub fn new<T>(changes: &Changes, every: Duration, request: &Request<T>) -> Self {
        Self {
            changes: changes.clone(),
            every: every.max(Duration::from_millis(1)),
            deadline: caller_timeout(request.metadata()).map(|t| Instant::now() + t),
        }
    }

    /// The stream of updates: `read` now — an error here is the call's
    /// answer (access refused, not found) — and `update(None, first)` sent
    /// at once; then after each wake-up or period `read` again and
    /// `update(Some(last sent), now)` sent when it is some. `update` must
    /// answer some message for `None`: the first message is always a full
    /// answer. A later failed read ends the stream with its status; the
    /// stream also ends when the caller goes away.
    pub async fn follow<S, M, R, F, U>(
        self,
        mut read: R,
        mut update: U,
    ) -> Result<ReceiverStream<Result<M, Status>>, Status>
    where
        S: Send + 'static,
        M: Send + 'static,
        R: FnMut() -> F + Send + 'static,
        F: Future<Output = Result<S, Status>> + Send,
        U: FnMut(Option<&S>, &S) -> Option<M> + Send + 'static,
    {
        // Subscribed before the first read: a write landing between the
        // two wakes the loop.
        let mut woken = self.changes.subscribe();
        woken.borrow_and_update();
        let mut last = read().await?;
        let first = update(None, &last)
            .ok_or_else(|| Status::internal("a watch has no first message"))?;
        let (tx, rx) = mpsc::channel(1);
        // Capacity 1 and nothing sent yet: this cannot wait.
        let _ = tx.try_send(Ok(first));
        let deadline = self.deadline.map(tokio::time::Instant::from_std);
        tokio::spawn(async move {
            // Keeps the sender alive, so `changed` never fails.
            let _changes = self.changes;
            loop {
                let past_deadline = async {
                    match deadline {
                        Some(at) => tokio::time::sleep_until(at).await,
                        None => std::future::pending().await,
                    }
                };
                tokio::select! {
                    () = tx.closed() => return,
                    () = past_deadline => {
                        let _ = tx.send(Err(Status::deadline_exceeded("the caller's deadline passed"))).await;
                        return;
                    }
                    _ = woken.changed() => {}
                    () = tokio::time::sleep(self.every) => {}
                }
                match read().await {
                    Ok(now) => {
                        if let Some(message) = update(Some(&last), &now) {
                            if tx.send(Ok(message)).await.is_err() {
                                return;
                            }
                            last = now;
                        }
                    }
                    Err(status) => {
                        tracing::warn!(code = ?status.code(), message = status.message(), "a watch failed to read again");
                        let _ = tx.send(Err(status)).await;
                        return;
                    }
                }
            }
        });
        Ok(ReceiverStream::new(rx))
    }
}

/// The caller's `grpc-timeout`, if it sent one that parses.
fn caller_timeout(metadata: &MetadataMap) -> Option<Duration> {
    crate::grpc_timeout::parse(metadata.get("grpc-timeout")?.to_str().ok()?)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU64, Ordering};

    use tokio_stream::StreamExt;

    use super::*;

    /// A watch of a counter, sending its value when it changed.
    async fn counter_watch(
        changes: &Changes,
        every: Duration,
        request: Request<()>,
        counter: Arc<AtomicU64>,
    ) -> ReceiverStream<Result<u64, Status>> {
        Watch::new(changes, every, &request)
            .follow(
                move || {
                    let counter = Arc::clone(&counter);
                    async move { Ok(counter.load(Ordering::SeqCst)) }
                },
                |last: Option<&u64>, now: &u64| (last != Some(now)).then_some(*now),
            )
            .await
            .expect("first read")
    }

    #[tokio::test]
    async fn a_write_in_process_wakes_the_watch_and_an_unchanged_answer_is_not_sent() {
        let changes = Changes::default();
        let counter = Arc::new(AtomicU64::new(1));
        // A period long enough that only the wake-up can explain an update.
        let mut stream = counter_watch(
            &changes,
            Duration::from_secs(3600),
            Request::new(()),
            Arc::clone(&counter),
        )
        .await;
        assert_eq!(stream.next().await.expect("first").expect("ok"), 1);
        // A wake-up with the same answer: nothing is sent...
        changes.notify();
        // ...so the next message is the one after the real change.
        counter.store(2, Ordering::SeqCst);
        changes.notify();
        assert_eq!(stream.next().await.expect("second").expect("ok"), 2);
    }

    #[tokio::test]
    async fn a_change_made_elsewhere_is_read_by_the_period() {
        let changes = Changes::default();
        let counter = Arc::new(AtomicU64::new(1));
        let mut stream = counter_watch(
            &changes,
            Duration::from_millis(10),
            Request::new(()),
            Arc::clone(&counter),
        )
        .await;
        assert_eq!(stream.next().await.expect("first").expect("ok"), 1);
        counter.store(5, Ordering::SeqCst);
        assert_eq!(stream.next().await.expect("second").expect("ok"), 5);
    }

    #[tokio::test]
    async fn the_callers_own_deadline_ends_the_stream() {
        let changes = Changes::default();
        let mut request = Request::new(());
        request
            .metadata_mut()
            .insert("grpc-timeout", "20m".parse().expect("ascii"));
        let mut stream = counter_watch(
            &changes,
            Duration::from_secs(3600),
            request,
            Arc::new(AtomicU64::new(1)),
        )
        .await;
        assert_eq!(stream.next().await.expect("first").expect("ok"), 1);
        let ended = stream.next().await.expect("an answer").expect_err("error");
        assert_eq!(ended.code(), tonic::Code::DeadlineExceeded);
        assert!(stream.next().await.is_none());
    }
}
