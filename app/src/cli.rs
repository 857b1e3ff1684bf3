//! The command line.

use std::{path::PathBuf, time::Duration};

use aftercare_auth::{Principal, Role, Scope, token::TokenKeys};
use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::{embedded::Embedded, keys, services::Service, settings::Settings, shutdown};

#[derive(Debug, Parser)]
#[command(
    name = "aftercare",
    version,
    about = "The after-sales back end of a vehicle maker and its service network"
)]
pub struct Cli {
    /// A TOML settings file; `AFTERCARE_…` environment variables override it.
    #[arg(long, global = true, env = "AFTERCARE_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Runs the whole system in this process (embedded mode): the gateway and
    /// all services, on SQLite files in the data directory.
    Run {
        /// Where the SQLite files and keys are kept.
        #[arg(long)]
        data_dir: Option<PathBuf>,
        /// Where the gateway listens (gRPC and gRPC-web), e.g. 127.0.0.1:8080.
        #[arg(long)]
        listen: Option<String>,
        /// Fills a new data directory with a small demo network.
        #[arg(long)]
        demo: bool,
    },
    /// Serves one part of the distributed system, with PostgreSQL storage.
    Serve {
        #[arg(value_enum)]
        service: Service,
    },
    /// Brings the database schema of one service (or all) up to date.
    Migrate {
        /// A service, or all of them when left out.
        #[arg(value_enum)]
        service: Option<Service>,
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Fills an empty data directory with the demo network.
    Seed {
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// League tables of the surveys service.
    Leagues {
        #[command(subcommand)]
        command: LeaguesCommand,
    },
    /// Prints a bearer token for local use, signed with the data directory's
    /// key (or `keys.token_secret`).
    Token {
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// The region of a region manager.
        #[arg(long)]
        region: Option<String>,
        /// The dealer of dealer staff or a DMS account.
        #[arg(long)]
        dealer: Option<String>,
        /// A station the staff member works at (repeatable); none means all of
        /// the dealer's stations.
        #[arg(long = "station")]
        stations: Vec<String>,
        /// The invitation of a survey-link holder.
        #[arg(long)]
        invitation: Option<String>,
        /// Who the token names; defaults to one made from the role and its
        /// scope (`dealer:alpine-cars:ac-munich`), so that two scopes never
        /// share a subject.
        #[arg(long)]
        subject: Option<String>,
        /// Hours the token is valid.
        #[arg(long, default_value_t = 12)]
        hours: u64,
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum LeaguesCommand {
    /// Recomputes every table of a period from the database and replaces
    /// them in Redis (`surveys.redis_url`). In-process tables (the embedded
    /// mode) are rebuilt by the running service: call RebuildLeagueTables.
    Rebuild {
        /// The period: a month (2026-03), a quarter (2026-Q1) or a year
        /// (2026).
        #[arg(long)]
        period: aftercare_values::Period,
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| {
        let all: Vec<_> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!("must be one of {}", all.join(", "))
    })
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut settings = Settings::load(cli.config.as_deref())?;
    let mut data_dir = |dir: Option<PathBuf>| {
        if let Some(dir) = dir {
            settings.data_dir = dir;
        }
    };
    match cli.command {
        Command::Run {
            data_dir: dir,
            listen,
            demo,
        } => {
            data_dir(dir);
            if let Some(listen) = listen {
                settings.listen.gateway = listen;
            }
            let _telemetry = aftercare_telemetry::init("aftercare", &settings.telemetry)?;
            aftercare_telemetry::install_recorder()?;
            let mut system = Embedded::build(&settings, demo).await?;
            announce(&settings, &system)?;
            if let Some(day) = system.play_demo() {
                // A failure leaves a smaller demo, never a failed start.
                tokio::spawn(async move {
                    match day.await {
                        Ok(Ok(())) => tracing::info!("played the demo network's day"),
                        Ok(Err(e)) => {
                            tracing::warn!(error = format!("{e:#}"), "the demo's day stopped")
                        }
                        Err(e) => tracing::warn!(error = %e, "the demo's day stopped"),
                    }
                });
            }
            system.run_until(shutdown::signal()).await
        }
        Command::Serve { service } => {
            let _telemetry = aftercare_telemetry::init(
                &format!("aftercare-{}", service.name()),
                &settings.telemetry,
            )?;
            aftercare_telemetry::install_recorder()?;
            crate::distributed::serve(&settings, service).await
        }
        Command::Migrate {
            service,
            data_dir: dir,
        } => {
            data_dir(dir);
            let targets = match service {
                Some(Service::Gateway) => anyhow::bail!("the gateway has no database"),
                Some(s) => vec![s],
                None => Service::WITH_DATABASE.to_vec(),
            };
            for service in targets {
                service.open(&settings, None).await?.close().await;
                println!("{}: up to date", service.name());
            }
            Ok(())
        }
        Command::Seed { data_dir: dir } => {
            data_dir(dir);
            let seeded = seed(&settings, None).await?;
            println!(
                "{}",
                if seeded {
                    "seeded the demo network"
                } else {
                    "the network has data already; left it alone"
                }
            );
            Ok(())
        }
        Command::Leagues {
            command:
                LeaguesCommand::Rebuild {
                    period,
                    data_dir: dir,
                },
        } => {
            data_dir(dir);
            rebuild_leagues(&settings, period).await
        }
        Command::Token {
            role,
            region,
            dealer,
            stations,
            invitation,
            subject,
            hours,
            data_dir: dir,
        } => {
            data_dir(dir);
            let scope = Scope::new(role, region, dealer, stations, invitation)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let subject = subject.unwrap_or_else(|| subject_of(&scope));
            let key = keys::token(&settings)?;
            let token = TokenKeys::new(&key).mint(
                &Principal { subject, scope },
                std::time::SystemTime::now(),
                Duration::from_secs(hours * 3600),
            );
            println!("{token}");
            Ok(())
        }
    }
}

/// A subject naming the role and its scope: `oem`, `region:north`,
/// `dealer:alpine-cars`, `dealer:alpine-cars:ac-munich,ac-rosenheim`,
/// `dms:alpine-cars`, `survey:inv-1`.
fn subject_of(scope: &Scope) -> String {
    let role = scope.role().as_str();
    match scope {
        Scope::Oem => role.to_owned(),
        Scope::Region { region_id: id }
        | Scope::Dms { dealer_id: id }
        | Scope::SurveyLink { invitation_id: id } => format!("{role}:{id}"),
        Scope::Dealer {
            dealer_id,
            station_ids,
        } if station_ids.is_empty() => format!("{role}:{dealer_id}"),
        Scope::Dealer {
            dealer_id,
            station_ids,
        } => {
            let mut stations = station_ids.clone();
            stations.sort_unstable();
            format!("{role}:{dealer_id}:{}", stations.join(","))
        }
    }
}

/// Rebuilds a period's league tables in Redis, with a progress line on
/// stderr.
async fn rebuild_leagues(
    settings: &Settings,
    period: aftercare_values::Period,
) -> anyhow::Result<()> {
    use std::io::Write;

    anyhow::ensure!(
        settings.surveys.redis_url.is_some(),
        "surveys.redis_url is not set: in-process league tables live in the running service; \
         call aftercare.surveys.v1.LeagueService/RebuildLeagueTables instead"
    );
    let db = Service::Surveys.open(settings, None).await?;
    let leagues = aftercare_surveys::leagues::Leagues::new(
        db.clone(),
        settings.oem.time_zone.clone(),
        settings.surveys.boards()?,
        settings.surveys.league_options(),
    );
    let rebuilt = leagues
        .rebuild(period, |done, total| {
            let width = 30;
            let filled = (done * width).checked_div(total).unwrap_or(width);
            let mut err = std::io::stderr().lock();
            let _ = write!(
                err,
                "\rrebuilding {period} [{}{}] {done}/{total} table groups",
                "#".repeat(filled),
                " ".repeat(width - filled)
            );
            let _ = err.flush();
        })
        .await;
    eprintln!();
    db.close().await;
    let rebuilt =
        rebuilt.with_context(|| format!("failed to rebuild the league tables of {period}"))?;
    println!(
        "{period}: {} tables rebuilt, {} deleted",
        rebuilt.tables, rebuilt.deleted
    );
    Ok(())
}

/// Fills an empty network with the demo (in the database at `url`, else as
/// [`Service::open`] finds it); false when it had data.
pub(crate) async fn seed(settings: &Settings, url: Option<&str>) -> anyhow::Result<bool> {
    let db = Service::Dealers.open(settings, url).await?;
    let seeded = aftercare_dealers::demo::seed(&aftercare_dealers::Store::new(db.clone()))
        .await
        .context("failed to seed the demo network");
    db.close().await;
    seeded
}

/// Tells the person who started the system where it is and how to call it.
fn announce(settings: &Settings, system: &Embedded) -> anyhow::Result<()> {
    let addr = system.local_addr().context("the gateway has no address")?;
    let dir = settings.data_dir.display();
    println!("aftercare listening on http://{addr} (gRPC and gRPC-web); data in {dir}");
    println!("metrics on http://{addr}/metrics");
    println!("console on http://{addr}/console/ (survey links: http://{addr}/s/<token>)");
    println!("get a token:  aftercare token --role oem --data-dir {dir}");
    println!(
        "call it:      buf curl --protocol grpc --http2-prior-knowledge -H \"authorization: Bearer $TOKEN\" \
         http://{addr}/aftercare.dealers.v1.DealersService/ListStations"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_scope_gets_its_own_subject() {
        let scope = |role, region: &str, dealer: &str, stations: &[&str], invitation: &str| {
            let some = |s: &str| Some(s.to_owned());
            let stations = stations.iter().map(|s| (*s).to_owned()).collect();
            Scope::new(role, some(region), some(dealer), stations, some(invitation)).unwrap()
        };
        let subjects: Vec<_> = [
            scope(Role::Oem, "", "", &[], ""),
            scope(Role::Region, "north", "", &[], ""),
            scope(Role::Dealer, "", "alpine-cars", &[], ""),
            scope(Role::Dealer, "", "lakeside-auto", &[], ""),
            scope(Role::Dealer, "", "alpine-cars", &["ac-munich"], ""),
            scope(Role::Dms, "", "alpine-cars", &[], ""),
            scope(Role::Survey, "", "", &[], "inv-1"),
        ]
        .iter()
        .map(subject_of)
        .collect();
        assert_eq!(
            subjects,
            [
                "oem",
                "region:north",
                "dealer:alpine-cars",
                "dealer:lakeside-auto",
                "dealer:alpine-cars:ac-munich",
                "dms:alpine-cars",
                "survey:inv-1"
            ]
        );
    }
}
