//! The CPU a call costs the process serving it: the time the threads that
//! polled its future spent running during those polls. A poll runs on one
//! thread from start to end, so that thread's CPU clock read before and
//! after it measures the poll alone, wherever the runtime moves the call.

use std::{future::Future, time::Duration};

use rustix::time::{ClockId, clock_gettime};

/// Runs `future` to its end; its output and the CPU its polls took.
pub(crate) async fn timed<F: Future>(future: F) -> (F::Output, Duration) {
    let mut future = std::pin::pin!(future);
    let mut spent = Duration::ZERO;
    let output = std::future::poll_fn(|cx| {
        let before = thread_cpu();
        let polled = future.as_mut().poll(cx);
        spent += thread_cpu().saturating_sub(before);
        polled
    })
    .await;
    (output, spent)
}

/// This thread's CPU time so far.
fn thread_cpu() -> Duration {
    let now = clock_gettime(ClockId::ThreadCPUTime);
    Duration::new(
        u64::try_from(now.tv_sec).unwrap_or(0),
        u32::try_from(now.tv_nsec).unwrap_or(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_polls_count_and_the_waits_between_them_do_not() {
        let work = Duration::from_millis(20);
        let wait = Duration::from_millis(200);
        let ((), spent) = timed(async {
            // Busy for 20 ms of this thread's CPU, however busy the machine.
            let start = thread_cpu();
            while thread_cpu() - start < work {
                std::hint::spin_loop();
            }
            tokio::time::sleep(wait).await;
        })
        .await;
        assert!(spent >= work, "{spent:?}");
        assert!(spent < wait, "the sleep was counted: {spent:?}");
    }
}
