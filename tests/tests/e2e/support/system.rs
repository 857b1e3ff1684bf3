//! The embedded system started in this process through the app library, on
//! a new data directory with the demo network, its gateway on a port of its
//! own; tokens for it minted by the real binary from that directory.

use std::{net::SocketAddr, path::Path, time::Duration};

use aftercare::{
    embedded::Embedded,
    settings::{Listen, Settings},
};
use tempfile::TempDir;
use tokio::{sync::oneshot, task::JoinHandle};

use super::process;

pub(crate) struct EmbeddedSystem {
    /// Where the gateway listens.
    pub(crate) addr: SocketAddr,
    dir: TempDir,
    stop: oneshot::Sender<()>,
    serving: JoinHandle<anyhow::Result<()>>,
}

impl EmbeddedSystem {
    pub(crate) async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// [`EmbeddedSystem::start`], with the settings changed by `change`
    /// first.
    pub(crate) async fn start_with(change: impl FnOnce(&mut Settings)) -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut settings = Settings {
            data_dir: dir.path().to_owned(),
            listen: Listen {
                gateway: "127.0.0.1:0".into(),
                ..Listen::default()
            },
            ..Settings::default()
        };
        change(&mut settings);
        let system = Embedded::build(&settings, true)
            .await
            .expect("the embedded system builds");
        let addr = system.local_addr().expect("the gateway's address");
        let (stop, stopped) = oneshot::channel::<()>();
        let serving = tokio::spawn(system.run_until(async {
            stopped.await.ok();
        }));
        Self {
            addr,
            dir,
            stop,
            serving,
        }
    }

    pub(crate) fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// `aftercare token <args> --data-dir <this system's directory>`.
    pub(crate) fn token(&self, args: &[&str]) -> String {
        let dir = self.data_dir().to_str().expect("a UTF-8 path");
        let args: Vec<&str> = args.iter().copied().chain(["--data-dir", dir]).collect();
        process::token(&args, &[])
    }

    /// The token key the system keeps in its data directory (base64).
    pub(crate) fn token_secret(&self) -> String {
        let keys = std::fs::read_to_string(self.data_dir().join("keys.toml")).expect("keys.toml");
        let line = keys
            .lines()
            .find_map(|l| l.strip_prefix("token_secret = "))
            .expect("a token_secret line");
        line.trim_matches('"').to_owned()
    }

    /// Shuts the system down and checks that it stopped cleanly. (Dropped
    /// instead, the system stops with the test's runtime.)
    pub(crate) async fn stop(self) {
        let _ = self.stop.send(());
        let stopped = tokio::time::timeout(Duration::from_secs(30), self.serving)
            .await
            .expect("the system stops within 30s")
            .expect("the serving task did not panic");
        stopped.expect("the system stopped cleanly");
    }
}
