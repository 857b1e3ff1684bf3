//! The resident memory of the system's processes through a run: each
//! one's `VmRSS` sampled every half second (the highest kept) and its
//! `VmHWM` (the kernel's own peak since the process started) at the end.

use std::{sync::Arc, time::Duration};

use tokio::{sync::watch, task::JoinHandle};

/// A process watched, by name.
#[derive(Debug, Clone)]
pub(crate) struct Watched {
    pub(crate) name: String,
    pub(crate) pid: u32,
}

/// What one process held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resident {
    pub(crate) name: String,
    /// The highest `VmRSS` sampled, in KiB.
    pub(crate) sampled_peak_kib: u64,
    /// `VmRSS` at the end, in KiB.
    pub(crate) last_kib: u64,
    /// `VmHWM` at the end, in KiB: the peak since it started.
    pub(crate) high_water_kib: u64,
}

/// `(VmHWM, VmRSS)` in KiB from a `/proc/<pid>/status`.
fn parse_status(status: &str) -> Option<(u64, u64)> {
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
    };
    Some((field("VmHWM:")?, field("VmRSS:")?))
}

fn read(pid: u32) -> Option<(u64, u64)> {
    parse_status(&std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?)
}

/// Samples `processes` until [`Sampler::finish`].
#[derive(Debug)]
pub(crate) struct Sampler {
    stop: watch::Sender<bool>,
    task: JoinHandle<Vec<Resident>>,
}

impl Sampler {
    pub(crate) fn start(processes: Vec<Watched>) -> Self {
        let (stop, mut stopped) = watch::channel(false);
        let processes = Arc::new(processes);
        let task = tokio::spawn(async move {
            let mut peaks = vec![0u64; processes.len()];
            loop {
                for (peak, p) in peaks.iter_mut().zip(processes.iter()) {
                    if let Some((_, rss)) = read(p.pid) {
                        *peak = (*peak).max(rss);
                    }
                }
                tokio::select! {
                    _ = stopped.changed() => break,
                    () = tokio::time::sleep(Duration::from_millis(500)) => {}
                }
            }
            processes
                .iter()
                .zip(peaks)
                .map(|(p, sampled_peak_kib)| {
                    let (high_water_kib, last_kib) = read(p.pid).unwrap_or_default();
                    Resident {
                        name: p.name.clone(),
                        sampled_peak_kib: sampled_peak_kib.max(last_kib),
                        last_kib,
                        high_water_kib,
                    }
                })
                .collect()
        });
        Self { stop, task }
    }

    pub(crate) async fn finish(self) -> Vec<Resident> {
        let _ = self.stop.send(true);
        self.task.await.unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peak_and_the_resident_size_are_read_in_kib() {
        let status = "Name:\taftercare\nVmPeak:\t  900000 kB\nVmHWM:\t  181234 kB\n\
                      VmRSS:\t  150000 kB\nThreads:\t5\n";
        assert_eq!(parse_status(status), Some((181_234, 150_000)));
        assert_eq!(parse_status("Name:\tx\n"), None);
    }

    #[test]
    fn this_process_is_resident() {
        if std::path::Path::new("/proc/self/status").exists() {
            let (hwm, rss) = read(std::process::id()).expect("readable");
            assert!(hwm >= rss && rss > 0);
        }
    }
}
