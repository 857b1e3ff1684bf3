//! A plain progress bar on stderr for long seeds: redrawn in place on a
//! terminal, a line per tenth otherwise (a log file stays short).

use std::{
    io::{IsTerminal, Write},
    sync::atomic::{AtomicUsize, Ordering},
    time::Instant,
};

const WIDTH: usize = 30;

#[derive(Debug)]
pub(crate) struct Progress {
    label: String,
    total: usize,
    done: AtomicUsize,
    started: Instant,
    terminal: bool,
}

impl Progress {
    pub(crate) fn new(label: impl Into<String>, total: usize) -> Self {
        let progress = Self {
            label: label.into(),
            total,
            done: AtomicUsize::new(0),
            started: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
        };
        progress.draw(0);
        progress
    }

    /// One more done.
    pub(crate) fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let step = if self.terminal {
            (self.total / 200).max(1)
        } else {
            (self.total / 10).max(1)
        };
        if done.is_multiple_of(step) || done == self.total {
            self.draw(done);
        }
    }

    fn draw(&self, done: usize) {
        let line = bar(
            &self.label,
            done,
            self.total,
            self.started.elapsed().as_secs_f64(),
        );
        let mut err = std::io::stderr().lock();
        let _ = if self.terminal {
            let end = if done >= self.total { "\n" } else { "" };
            write!(err, "\r{line}{end}")
        } else {
            writeln!(err, "{line}")
        };
    }
}

/// `label [#####.....] done/total  rate/s`.
fn bar(label: &str, done: usize, total: usize, seconds: f64) -> String {
    let filled = (done.min(total) * WIDTH)
        .checked_div(total)
        .unwrap_or(WIDTH);
    let rate = if seconds > 0.0 {
        done as f64 / seconds
    } else {
        0.0
    };
    format!(
        "{label:<12} [{}{}] {done}/{total}  {rate:.0}/s",
        "#".repeat(filled),
        ".".repeat(WIDTH - filled)
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_bar_fills_with_what_is_done() {
        assert_eq!(
            super::bar("stations", 15, 30, 3.0),
            "stations     [###############...............] 15/30  5/s"
        );
        assert!(super::bar("x", 0, 0, 0.0).contains(&"#".repeat(30)));
    }
}
