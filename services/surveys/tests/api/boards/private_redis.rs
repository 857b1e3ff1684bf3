//! A Redis server of one test's own, to kill, pause and start again without
//! disturbing the shared one.

use std::{
    net::TcpListener,
    process::{Child, Command, Stdio},
    time::Duration,
};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use aftercare_test_support::{patience, poll_until};

/// The `redis-server` binary, which `start_redis` in
/// `scripts/lib/services.sh` finds (installing it when missing).
pub(crate) const REDIS_SERVER_VAR: &str = "AFTERCARE_TEST_REDIS_SERVER";

pub(crate) struct PrivateRedis {
    port: u16,
    child: Option<Child>,
}

impl PrivateRedis {
    /// A port nothing listens on, with no server yet.
    pub(crate) fn on_free_port() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binds a free port");
        let port = listener.local_addr().expect("has an address").port();
        Self { port, child: None }
    }

    /// A running server on a free port.
    pub(crate) async fn start() -> Self {
        // Another process may take the port between our look and the
        // server's bind: then try another.
        for _ in 0..10 {
            let mut server = Self::on_free_port();
            if server.launch().await {
                return server;
            }
        }
        panic!("redis-server would not start on any free port");
    }

    pub(crate) fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Starts the server (again) on its port, with nothing kept on disk.
    pub(crate) async fn restart(&mut self) {
        assert!(
            self.launch().await,
            "redis-server did not start again on port {}",
            self.port
        );
    }

    /// Kills the server outright, as a crash would.
    pub(crate) fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Freezes the server: connections stay open and nothing answers.
    pub(crate) fn pause(&self) {
        self.signal("-STOP");
    }

    pub(crate) fn resume(&self) {
        self.signal("-CONT");
    }

    fn signal(&self, signal: &str) {
        let pid = self.child.as_ref().expect("the server runs").id();
        let status = Command::new("kill")
            .args([signal, &pid.to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill {signal} {pid} failed");
    }

    /// Whether a server of ours now answers on the port.
    async fn launch(&mut self) -> bool {
        self.kill();
        let binary = std::env::var(REDIS_SERVER_VAR).unwrap_or_else(|_| {
            panic!(
                "{REDIS_SERVER_VAR} is not set: run the tests with scripts/test, which starts Redis"
            )
        });
        let mut child = Command::new(&binary)
            .args(["--bind", "127.0.0.1", "--port", &self.port.to_string()])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(std::env::temp_dir())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {binary}: {e}"));
        let port = self.port;
        let listening = poll_until(patience(), || {
            // Gone: it could not listen (the port is taken).
            let exited = matches!(child.try_wait(), Ok(Some(_)));
            let pid = child.id();
            async move {
                if exited {
                    return Some(false);
                }
                answers_as(port, pid).await.then_some(true)
            }
        })
        .await;
        if listening == Some(true) {
            self.child = Some(child);
            return true;
        }
        let _ = child.kill();
        let _ = child.wait();
        false
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Whether the server on `port` answers and is process `pid` (not a
/// stranger that took the port).
async fn answers_as(port: u16, pid: u32) -> bool {
    let ask = async {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).await.ok()?;
        stream.write_all(b"INFO server\r\n").await.ok()?;
        let wanted = format!("\r\nprocess_id:{pid}\r\n");
        let mut seen = Vec::new();
        let mut buffer = [0; 4096];
        loop {
            let n = stream.read(&mut buffer).await.ok()?;
            if n == 0 {
                return None;
            }
            seen.extend_from_slice(&buffer[..n]);
            let text = String::from_utf8_lossy(&seen);
            if text.contains(&wanted) {
                return Some(());
            }
            if text.contains("\r\nprocess_id:") && text.contains("\r\nrun_id:") {
                return None; // someone else's server
            }
        }
    };
    matches!(
        tokio::time::timeout(Duration::from_secs(1), ask).await,
        Ok(Some(()))
    )
}
