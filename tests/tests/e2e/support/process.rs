//! The real `aftercare` binary: where it is, running a command of it to the
//! end, and running it in the background under a guard that kills it.

use std::{
    ffi::OsStr,
    io::{BufRead, BufReader},
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{
        OnceLock,
        mpsc::{self, Receiver, RecvTimeoutError},
    },
    time::{Duration, Instant},
};

/// The `aftercare` binary of the profile these tests were built with.
///
/// Cargo builds the binaries only of the package under test, and this
/// package uses `aftercare` as a library; so the binary is built here, once
/// per test process, with `cargo build -p aftercare` into the same target
/// directory. When it is up to date that is a quick no-op, and a binary
/// older than the sources it was built from is never run.
pub(crate) fn binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        // This test runs as target/<profile dir>/deps/e2e-<hash>.
        let exe = std::env::current_exe().expect("the test's own path");
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("the test runs from target/<profile>/deps");
        let target_dir = profile_dir.parent().expect("a target directory");
        let profile = match profile_dir.file_name().and_then(OsStr::to_str) {
            Some("debug") | None => "dev",
            Some(other) => other,
        };
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "-p", "aftercare", "--bin", "aftercare"])
            .args(["--profile", profile])
            .arg("--target-dir")
            .arg(target_dir)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo runs");
        assert!(
            status.success(),
            "cargo build -p aftercare failed: {status}"
        );
        let binary = profile_dir.join(format!("aftercare{}", std::env::consts::EXE_SUFFIX));
        assert!(binary.is_file(), "{} was not built", binary.display());
        binary
    })
}

/// `aftercare <args>`, with none of this process's `AFTERCARE_…` variables:
/// only the settings a test gives apply.
pub(crate) fn aftercare<S: AsRef<OsStr>>(args: impl IntoIterator<Item = S>) -> Command {
    let mut command = Command::new(binary());
    command.args(args);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("AFTERCARE_") {
            command.env_remove(name);
        }
    }
    command
}

/// Runs `command` to the end and returns what it printed; panics with its
/// error output when it fails.
pub(crate) fn output(mut command: Command) -> String {
    let output = command.output().expect("aftercare runs");
    assert!(
        output.status.success(),
        "{command:?} failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// A token printed by `aftercare token <args>` with the environment `env`,
/// as a user mints one.
pub(crate) fn token(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut command = aftercare(["token"].iter().chain(args));
    command.envs(env.iter().copied());
    let token = output(command).trim().to_owned();
    assert!(
        !token.is_empty() && !token.contains(char::is_whitespace),
        "not a token: {token:?}"
    );
    token
}

/// A port nothing listens on just now. Another process may take it before
/// ours binds it; this is acceptable only where the binary must be told its
/// port in advance (the distributed mode, whose gateway needs the dealers'
/// address before the dealers process has bound it).
pub(crate) fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    listener.local_addr().expect("its address").port()
}

/// A running `aftercare` process, killed when dropped (also when a test
/// fails). Its output lines are copied to the test's error output, labelled,
/// so that a failing test shows them.
pub(crate) struct Running {
    name: String,
    child: Child,
    lines: Receiver<String>,
}

impl Running {
    pub(crate) fn spawn(name: &str, mut command: Command) -> Self {
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("{name} starts: {e}"));
        let (sender, lines) = mpsc::channel();
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        for (stream, label) in [
            (
                Box::new(stdout) as Box<dyn std::io::Read + Send>,
                name.to_owned(),
            ),
            (Box::new(stderr), format!("{name} stderr")),
        ] {
            let sender = sender.clone();
            // Reads to the end so that the process never blocks on a full
            // pipe, whether or not the test still listens.
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    eprintln!("[{label}] {line}");
                    let _ = sender.send(line);
                }
            });
        }
        Self {
            name: name.to_owned(),
            child,
            lines,
        }
    }

    /// The first line from now on that starts with `prefix`, waiting at most
    /// `timeout` for it.
    pub(crate) fn line_starting(&mut self, prefix: &str, timeout: Duration) -> String {
        self.line_where(prefix, |line| line.starts_with(prefix), timeout)
    }

    /// The first line from now on that holds `text` (a log line, after its
    /// time and level), waiting at most `timeout` for it.
    pub(crate) fn line_containing(&mut self, text: &str, timeout: Duration) -> String {
        self.line_where(text, |line| line.contains(text), timeout)
    }

    fn line_where(
        &mut self,
        prefix: &str,
        wanted: impl Fn(&str) -> bool,
        timeout: Duration,
    ) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if wanted(&line) => return line,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => {
                    panic!(
                        "{} printed no line with {prefix:?} within {timeout:?}",
                        self.name
                    )
                }
                Err(RecvTimeoutError::Disconnected) => {
                    let status = self.child.wait().expect("wait for the process");
                    panic!("{} ended ({status}) before printing {prefix:?}", self.name);
                }
            }
        }
    }

    /// Panics when the process has ended, with its exit status.
    pub(crate) fn assert_running(&mut self) {
        if let Some(status) = self.child.try_wait().expect("process status") {
            panic!("{} ended early: {status}", self.name);
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // Already ended is fine; killing then fails harmlessly.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
