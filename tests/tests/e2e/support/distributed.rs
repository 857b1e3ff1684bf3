//! The distributed mode started as scripts/distributed starts it: a
//! database of its own per service on PostgreSQL, the surveys league tables
//! on Redis, the schemas migrated by `aftercare migrate`, then each service
//! and the gateway an `aftercare serve` process configured by environment
//! variables; tokens minted by `aftercare token` knowing the token secret
//! only. Needs `AFTERCARE_TEST_POSTGRES_URL` and `AFTERCARE_TEST_REDIS_URL`
//! (scripts/test sets them).

use std::{net::SocketAddr, process::Command};

use aftercare::services::Service;
use aftercare_auth::Secret;
use aftercare_db::{Backend, testing::fresh_url};
use tempfile::TempDir;

use super::{
    clients::wait_until_serving,
    process::{Running, aftercare, free_port, output, token},
};

/// The processes, each with the gRPC service its health check names once
/// it serves ("" for the gateway as a whole).
const PROCESSES: [(Service, &str); 5] = [
    (Service::Dealers, "aftercare.dealers.v1.DealersService"),
    (Service::Parts, "aftercare.parts.v1.PriceBoardService"),
    (Service::Surveys, "aftercare.surveys.v1.LeagueService"),
    (Service::Costs, "aftercare.costs.v1.RepairOrderCostService"),
    (Service::Gateway, ""),
];

pub(crate) struct Distributed {
    /// Where each of [`PROCESSES`] listens.
    addrs: [SocketAddr; 5],
    /// Each service's database, in [`PROCESSES`] order (the gateway has
    /// none).
    database_urls: [String; 4],
    /// The settings every process is started with.
    env: Vec<(String, String)>,
    token_secret: String,
    running: Vec<(Service, Running)>,
    /// Where the processes run: empty, so that none falls back to a data
    /// directory beside the sources.
    workdir: TempDir,
}

impl Distributed {
    /// Migrates and starts every process, with `settings` (`AFTERCARE_…`
    /// variables) beside those of the deployment, and waits until each
    /// serves.
    pub(crate) async fn start(settings: &[(&str, &str)]) -> Self {
        // Panics with a clear message when AFTERCARE_TEST_POSTGRES_URL is unset.
        let database_urls = [(); 4].map(|()| fresh_url(Backend::Postgres));
        let redis_url = std::env::var("AFTERCARE_TEST_REDIS_URL").expect(
            "AFTERCARE_TEST_REDIS_URL: a Redis for the league tables and the rate limit (scripts/test starts one)",
        );
        // The league tables' and the gateway's rate-limit keys under a
        // prefix of this run's own: nothing else on that Redis is read or
        // written.
        let run = format!(
            "aftercare-e2e:{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .expect("after 1970")
                .as_nanos()
        );
        let token_secret = Secret::generate().to_base64();
        let addrs = [(); 5].map(|()| SocketAddr::from(([127, 0, 0, 1], free_port())));
        let mut env = vec![
            ("AFTERCARE_KEYS__TOKEN_SECRET".into(), token_secret.clone()),
            (
                "AFTERCARE_KEYS__INTERNAL_SECRET".into(),
                Secret::generate().to_base64(),
            ),
            ("AFTERCARE_SURVEYS__REDIS_URL".into(), redis_url.clone()),
            (
                "AFTERCARE_SURVEYS__REDIS_KEY_PREFIX".into(),
                format!("{run}:league:"),
            ),
            // As deployed: the gateway's quota shared in Redis.
            ("AFTERCARE_GATEWAY__RATE_LIMIT_REDIS_URL".into(), redis_url),
            (
                "AFTERCARE_GATEWAY__RATE_LIMIT_REDIS_KEY_PREFIX".into(),
                format!("{run}:rate:"),
            ),
        ];
        for (i, (service, _)) in PROCESSES.iter().enumerate() {
            let upper = service.name().to_uppercase();
            env.push((format!("AFTERCARE_LISTEN__{upper}"), addrs[i].to_string()));
            if let Some(url) = database_urls.get(i) {
                env.push((format!("AFTERCARE_{upper}__DATABASE_URL"), url.clone()));
                env.push((
                    format!("AFTERCARE_BACKENDS__{upper}"),
                    format!("http://{}", addrs[i]),
                ));
            }
        }
        env.extend(settings.iter().map(|(k, v)| ((*k).into(), (*v).into())));
        let mut system = Self {
            addrs,
            database_urls,
            env,
            token_secret,
            running: Vec::new(),
            workdir: tempfile::tempdir().expect("a temporary directory"),
        };
        for (service, _) in &PROCESSES[..4] {
            let name = service.name();
            let migrated = output(system.command(&["migrate", name], &[]));
            assert!(
                migrated.contains(&format!("{name}: up to date")),
                "{migrated}"
            );
        }
        for (service, _) in PROCESSES {
            system.spawn(service, &[]);
        }
        for (service, _) in PROCESSES {
            system.wait_until_serving(service).await;
        }
        system
    }

    /// `aftercare <args>` with the deployment's settings and `more`, in the
    /// work directory.
    fn command(&self, args: &[&str], more: &[(&str, &str)]) -> Command {
        let mut command = aftercare(args);
        command
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .envs(more.iter().copied())
            .current_dir(self.workdir.path());
        command
    }

    fn spawn(&mut self, service: Service, more: &[(&str, &str)]) {
        let name = format!("serve {}", service.name());
        let process = Running::spawn(&name, self.command(&["serve", service.name()], more));
        self.running.push((service, process));
    }

    async fn wait_until_serving(&mut self, service: Service) {
        let addr = self.addr(service);
        let health = PROCESSES
            .iter()
            .find_map(|(s, health)| (*s == service).then_some(*health))
            .expect("a process");
        let (_, process) = self
            .running
            .iter_mut()
            .find(|(s, _)| *s == service)
            .expect("started");
        wait_until_serving(addr, health, process).await;
    }

    /// Where `service` listens.
    pub(crate) fn addr(&self, service: Service) -> SocketAddr {
        let at = PROCESSES
            .iter()
            .position(|(s, _)| *s == service)
            .expect("a process");
        self.addrs[at]
    }

    /// Where every process listens (each answers `GET /metrics`).
    pub(crate) fn addrs(&self) -> [SocketAddr; 5] {
        self.addrs
    }

    /// The database `service` keeps its tables in.
    pub(crate) fn database_url(&self, service: Service) -> &str {
        let at = PROCESSES
            .iter()
            .position(|(s, _)| *s == service)
            .expect("a process");
        self.database_urls
            .get(at)
            .unwrap_or_else(|| panic!("{} has no database", service.name()))
    }

    /// A token printed by `aftercare token <args>`, as an operator mints
    /// one knowing the token secret only.
    pub(crate) fn mint(&self, args: &[&str]) -> String {
        let only_the_token_secret = [("AFTERCARE_KEYS__TOKEN_SECRET", self.token_secret.as_str())];
        let dir = self.workdir.path().to_str().expect("UTF-8");
        let args: Vec<&str> = args.iter().copied().chain(["--data-dir", dir]).collect();
        token(&args, &only_the_token_secret)
    }

    /// Stops `service`'s process (killed, as a crash or a node lost).
    pub(crate) fn stop(&mut self, service: Service) {
        self.running.retain(|(s, _)| *s != service);
    }

    /// Starts `service` again, with `more` settings beside the deployment's,
    /// and waits until it serves.
    pub(crate) async fn start_again(&mut self, service: Service, more: &[(&str, &str)]) {
        self.stop(service);
        self.spawn(service, more);
        self.wait_until_serving(service).await;
    }

    /// Panics when a process has ended.
    pub(crate) fn assert_running(&mut self) {
        for (_, process) in &mut self.running {
            process.assert_running();
        }
    }
}
