//! The embedded mode: the gateway and all four services in one process, the
//! gateway calling each service's gRPC handlers directly (the same
//! authentication and telemetry, no network hop), on SQLite files in the
//! data directory. Nothing to install.

use std::{future::Future, net::SocketAddr};

use aftercare_auth::token::TokenKeys;
use aftercare_gateway::{Gateway, backend};
use aftercare_serving::Running;
use anyhow::Context;
use tokio::net::TcpListener;

use crate::{
    keys,
    services::{Peers, Service},
    settings::Settings,
};

/// The embedded system, built and bound, not yet serving.
#[derive(Debug)]
pub struct Embedded {
    gateway: Gateway,
    listener: TcpListener,
    running: Vec<Running>,
    /// What the demo's day calls, when the demo network was just seeded.
    demo: Option<crate::demo::Channels>,
}

impl Embedded {
    /// Opens (and migrates) the data directory, seeds the demo network when
    /// asked and the directory is new, wires the services and binds the
    /// gateway's port.
    pub async fn build(settings: &Settings, demo: bool) -> anyhow::Result<Self> {
        let keys = keys::load_or_create(settings)?;

        let dealers_url = settings.sqlite_url(Service::Dealers.name());
        let seeded = demo && crate::cli::seed(settings, Some(&dealers_url)).await?;
        if seeded {
            tracing::info!("seeded the demo network");
        }
        let mut gateway = Gateway::new(
            settings.gateway.clone(),
            TokenKeys::new(&keys.token),
            keys.internal.clone(),
        );
        let mut running = vec![];
        // Dealers and costs call each other: their channels come first, and
        // each serves on its pipes once built.
        let (dealers, dealers_pipes) = aftercare_serving::memory_pipes();
        let (costs, costs_pipes) = aftercare_serving::memory_pipes();
        let mut pipes = vec![
            (Service::Dealers, dealers_pipes),
            (Service::Costs, costs_pipes),
        ];
        let mut peers = Peers {
            parts: None,
            surveys: None,
            dealers: Some(dealers),
            costs: Some(costs),
            key: keys.internal.clone(),
        };
        // The demo opens one complaint hours back, so that it is overdue and
        // escalated at once: surveys reads the time through the demo's clock.
        let rewind = crate::demo::Rewind::default();
        for service in Service::WITH_DATABASE {
            let url = settings.sqlite_url(service.name());
            let clock = if seeded {
                rewind.clock()
            } else {
                settings.oem.clock()
            };
            let wired = service.wire(settings, Some(&url), &peers, clock).await?;
            // Dealers calls parts, and its relay surveys and costs, in this
            // process, through the same authentication and telemetry as the
            // gateway's calls; costs reads parts and dealers.
            if service == Service::Parts {
                peers.parts = Some(aftercare_serving::in_process(
                    service.name(),
                    wired.routes.clone(),
                ));
            }
            if service == Service::Surveys {
                peers.surveys = Some(aftercare_serving::in_process(
                    service.name(),
                    wired.routes.clone(),
                ));
            }
            if let Some(at) = pipes.iter().position(|(s, _)| *s == service) {
                let (_, incoming) = pipes.swap_remove(at);
                aftercare_serving::serve_pipes(service.name(), wired.routes.clone(), incoming);
            }
            let local = aftercare_serving::local(service.name(), wired.routes);
            gateway = gateway.route(service.package(), backend(local));
            running.push(wired.running);
        }

        // The demo's day is played on request (`play_demo`), once.
        let demo = seeded.then(|| crate::demo::Channels {
            parts: peers.parts.clone().expect("parts is wired"),
            dealers: peers.dealers.clone().expect("dealers is wired"),
            costs: peers.costs.clone().expect("costs is wired"),
            surveys: peers.surveys.clone().expect("surveys is wired"),
            key: keys.internal.clone(),
            rewind,
        });

        let listener = TcpListener::bind(&settings.listen.gateway)
            .await
            .with_context(|| format!("failed to listen on {}", settings.listen.gateway))?;
        Ok(Self {
            gateway,
            listener,
            running,
            demo,
        })
    }

    /// Plays the demo network's day in the background when the demo was
    /// just seeded (ROs in every state, their costs, claims in every state,
    /// survey responses, complaints in every state, an improvement plan,
    /// scorecards and the assessment league: see `demo.rs`), through the
    /// services' own contracts; its end, or none when there is nothing to
    /// play.
    pub fn play_demo(&mut self) -> Option<tokio::task::JoinHandle<anyhow::Result<()>>> {
        let channels = self.demo.take()?;
        Some(tokio::spawn(crate::demo::play(channels)))
    }

    /// Where the gateway listens: gRPC, gRPC-web, and `GET /metrics` once
    /// the process has installed the recorder
    /// (`aftercare_telemetry::install_recorder`, as `aftercare run` does).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` completes, then stops the relays and closes
    /// the databases.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send) -> anyhow::Result<()> {
        self.gateway
            .serve(self.listener, shutdown)
            .await
            .context("the gateway stopped")?;
        for r in self.running {
            r.close().await;
        }
        Ok(())
    }
}
