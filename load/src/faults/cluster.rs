//! The distributed mode with the real `aftercare` binary, as
//! scripts/distributed runs it: each service its own process on a loopback
//! port and a PostgreSQL database of its own, configured by environment
//! variables; here also killed, restarted, and pointed at fault proxies.

use std::{
    collections::BTreeMap,
    fs::File,
    net::SocketAddr,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

use aftercare_auth::{Principal, Secret, assertion::Signer};
use aftercare_db::{Backend, Db, testing::fresh_url};
use anyhow::Context;
use tonic::{
    service::interceptor::InterceptedService,
    transport::{Channel, Endpoint},
};
use tonic_health::pb::{
    HealthCheckRequest, health_check_response::ServingStatus, health_client::HealthClient,
};

use super::until;

/// The four services, by the name `aftercare serve` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Service {
    Dealers,
    Parts,
    Surveys,
    Costs,
    /// Not a service: the gateway in front, started on demand.
    Gateway,
}

impl Service {
    pub const ALL: [Service; 4] = [
        Service::Dealers,
        Service::Parts,
        Service::Surveys,
        Service::Costs,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Service::Dealers => "dealers",
            Service::Parts => "parts",
            Service::Surveys => "surveys",
            Service::Costs => "costs",
            Service::Gateway => "gateway",
        }
    }

    /// A gRPC service it serves, whose health says it is up.
    fn health_name(self) -> &'static str {
        match self {
            Service::Dealers => "aftercare.dealers.v1.DealersService",
            Service::Parts => "aftercare.parts.v1.PriceBoardService",
            Service::Surveys => "aftercare.surveys.v1.LeagueService",
            Service::Costs => "aftercare.costs.v1.RepairOrderCostService",
            // The server as a whole.
            Service::Gateway => "",
        }
    }
}

/// A client whose calls are signed as the gateway signs them.
pub type Signed = InterceptedService<Channel, Signer>;

/// The processes of one run, killed when dropped.
pub struct Cluster {
    binary: PathBuf,
    dir: tempfile::TempDir,
    key: Secret,
    /// The key of the tokens the gateway accepts.
    token_secret: Secret,
    addrs: BTreeMap<Service, SocketAddr>,
    /// Where each service finds a peer: its address, or a proxy's.
    backends: BTreeMap<Service, SocketAddr>,
    database_urls: BTreeMap<Service, String>,
    /// What each process is given besides the above.
    extra: Vec<(String, String)>,
    running: BTreeMap<Service, Child>,
    patience: Duration,
}

impl Cluster {
    /// The four services' ports and fresh databases on the PostgreSQL of
    /// `AFTERCARE_TEST_POSTGRES_URL`; nothing started yet.
    pub fn new(binary: &Path, patience: Duration) -> anyhow::Result<Self> {
        anyhow::ensure!(
            binary.is_file(),
            "{} is not the aftercare binary (cargo build --release --bin aftercare)",
            binary.display()
        );
        let mut addrs = BTreeMap::new();
        let mut database_urls = BTreeMap::new();
        for service in Service::ALL {
            addrs.insert(service, vacant_address()?);
            database_urls.insert(service, fresh_url(Backend::Postgres));
        }
        addrs.insert(Service::Gateway, vacant_address()?);
        // The processes run in a work directory of their own.
        let binary = binary
            .canonicalize()
            .with_context(|| format!("failed to resolve {}", binary.display()))?;
        Ok(Self {
            binary,
            dir: tempfile::tempdir().context("failed to make a work directory")?,
            key: Secret::generate(),
            token_secret: Secret::generate(),
            backends: addrs.clone(),
            addrs,
            database_urls,
            extra: Vec::new(),
            running: BTreeMap::new(),
            patience,
        })
    }

    /// Sets `AFTERCARE_<name>` for every process started from now on.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.extra.push((format!("AFTERCARE_{name}"), value.into()));
    }

    /// Peers reach `service` at `addr` (a proxy in front of it) in the
    /// processes started from now on.
    pub fn route(&mut self, service: Service, addr: SocketAddr) {
        self.backends.insert(service, addr);
    }

    /// `service` reaches its database through `addr` (a proxy in front of
    /// PostgreSQL) when started from now on.
    pub fn database_through(&mut self, service: Service, addr: SocketAddr) {
        let url = &self.database_urls[&service];
        let through = url
            .split_once('@')
            .and_then(|(user, rest)| Some((user, rest.split_once('/')?.1)))
            .map(|(user, name)| format!("{user}@{addr}/{name}"));
        if let Some(through) = through {
            self.database_urls.insert(service, through);
        }
    }

    /// The PostgreSQL server's address, from the databases' URLs.
    pub fn postgres_addr(&self) -> anyhow::Result<SocketAddr> {
        let url = &self.database_urls[&Service::Dealers];
        url.split_once('@')
            .and_then(|(_, rest)| rest.split_once('/'))
            .and_then(|(host, _)| host.parse().ok())
            .with_context(|| format!("no 127.0.0.1:port in {url}"))
    }

    /// The key the services check principals with.
    pub fn key(&self) -> &Secret {
        &self.key
    }

    pub fn addr(&self, service: Service) -> SocketAddr {
        self.addrs[&service]
    }

    /// A connection of this tool's own to `service`'s database (straight
    /// to PostgreSQL, past any proxy).
    pub async fn database(&self, service: Service) -> anyhow::Result<Db> {
        let url = self.database_urls[&service].clone();
        let direct = match url.split_once('@') {
            Some((user, rest)) => {
                let name = rest.split_once('/').map_or("", |(_, n)| n);
                format!("{user}@{}/{name}", self.postgres_addr()?)
            }
            None => url,
        };
        Db::connect(&direct, 4)
            .await
            .with_context(|| format!("failed to open the {} database", service.name()))
    }

    /// A lazy channel to `service`, straight to its port.
    pub fn channel(&self, service: Service) -> anyhow::Result<Channel> {
        channel_to(self.addrs[&service])
    }

    /// A client of `service` whose calls are signed as `principal`.
    pub fn signed(&self, service: Service, principal: Principal) -> anyhow::Result<Signed> {
        Ok(InterceptedService::new(
            self.channel(service)?,
            Signer {
                principal,
                key: self.key.clone(),
            },
        ))
    }

    /// A bearer token of `aftercare token <args>`, for calls through the
    /// gateway.
    pub fn token(&self, args: &[&str]) -> anyhow::Result<String> {
        let mut command = self.command(&["token"]);
        command.args(args);
        let output = command.output().context("failed to run aftercare token")?;
        anyhow::ensure!(
            output.status.success(),
            "aftercare token failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        Ok(String::from_utf8(output.stdout)?.trim().to_owned())
    }

    /// Creates and migrates `service`'s database with `aftercare migrate`.
    pub fn migrate(&self, service: Service) -> anyhow::Result<()> {
        let output = self
            .command(&["migrate", service.name()])
            .output()
            .context("failed to run aftercare migrate")?;
        anyhow::ensure!(
            output.status.success(),
            "aftercare migrate {} failed: {}",
            service.name(),
            String::from_utf8_lossy(&output.stderr)
        );
        Ok(())
    }

    /// Starts `aftercare serve <service>` and waits until it reports
    /// serving.
    pub async fn start(&mut self, service: Service) -> anyhow::Result<()> {
        let log = self.dir.path().join(format!("{}.log", service.name()));
        let log = File::options()
            .create(true)
            .append(true)
            .open(&log)
            .context("failed to open a log file")?;
        let child = self
            .command(&["serve", service.name()])
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .context("failed to start aftercare serve")?;
        self.running.insert(service, child);
        self.wait_serving(service).await
    }

    /// Kills `service` with SIGKILL, as the kernel's OOM killer or a lost
    /// node would: no shutdown, transactions cut where they stand.
    pub fn kill(&mut self, service: Service) -> anyhow::Result<()> {
        if let Some(mut child) = self.running.remove(&service) {
            child.kill().context("failed to kill")?;
            child.wait().context("failed to reap")?;
        }
        Ok(())
    }

    /// The last lines `service` logged, to show with a failure.
    pub fn log_tail(&self, service: Service) -> String {
        let log = self.dir.path().join(format!("{}.log", service.name()));
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    async fn wait_serving(&mut self, service: Service) -> anyhow::Result<()> {
        let addr = self.addrs[&service];
        let child = self
            .running
            .get_mut(&service)
            .context("the process is not running")?;
        let served = until(
            &format!("aftercare serve {} answering", service.name()),
            self.patience,
            || {
                let exited = child.try_wait();
                async move {
                    if let Ok(Some(status)) = exited {
                        anyhow::bail!("aftercare serve {} stopped ({status})", service.name());
                    }
                    Ok(is_serving(addr, service).await)
                }
            },
        )
        .await;
        served.with_context(|| format!("its log ends:\n{}", self.log_tail(service)))
    }

    /// `aftercare <args>` with the cluster's settings and none of this
    /// process's `AFTERCARE_…` variables, in the work directory.
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.binary);
        command.args(args).current_dir(self.dir.path());
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("AFTERCARE_") {
                command.env_remove(name);
            }
        }
        command.env("AFTERCARE_KEYS__INTERNAL_SECRET", self.key.to_base64());
        command.env(
            "AFTERCARE_KEYS__TOKEN_SECRET",
            self.token_secret.to_base64(),
        );
        command.env(
            "AFTERCARE_LISTEN__GATEWAY",
            self.addrs[&Service::Gateway].to_string(),
        );
        for service in Service::ALL {
            let upper = service.name().to_uppercase();
            command.env(
                format!("AFTERCARE_LISTEN__{upper}"),
                self.addrs[&service].to_string(),
            );
            command.env(
                format!("AFTERCARE_BACKENDS__{upper}"),
                format!("http://{}", self.backends[&service]),
            );
            command.env(
                format!("AFTERCARE_{upper}__DATABASE_URL"),
                &self.database_urls[&service],
            );
        }
        command.envs(self.extra.iter().map(|(k, v)| (k, v)));
        command
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for service in Service::ALL {
            let _ = self.kill(service);
        }
        let _ = self.kill(Service::Gateway);
    }
}

/// Whether the process at `addr` reports `service` serving.
async fn is_serving(addr: SocketAddr, service: Service) -> bool {
    let check = async {
        let channel = Endpoint::from_shared(format!("http://{addr}"))
            .ok()?
            .connect()
            .await
            .ok()?;
        let request = HealthCheckRequest {
            service: service.health_name().into(),
        };
        let status = HealthClient::new(channel).check(request).await.ok()?;
        Some(status.into_inner().status())
    };
    let status = tokio::time::timeout(Duration::from_secs(5), check).await;
    matches!(status, Ok(Some(ServingStatus::Serving)))
}

/// A lazy channel to `addr`.
pub fn channel_to(addr: SocketAddr) -> anyhow::Result<Channel> {
    Ok(Endpoint::from_shared(format!("http://{addr}"))?
        .tcp_nodelay(true)
        .connect_lazy())
}

/// A loopback port nothing listens on now, for a process told its port in
/// advance (the distributed mode's services learn each other's addresses
/// from their settings).
fn vacant_address() -> anyhow::Result<SocketAddr> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .context("failed to find a free loopback port")?;
    Ok(listener.local_addr()?)
}
