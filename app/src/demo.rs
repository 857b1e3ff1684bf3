//! The demo network's month, played through the services' own contracts
//! once the embedded system is wired: the parts catalogue and the stations'
//! stores (`stock.rs`), the costs of the network (`costs.rs`), the standard
//! and the survey the ROs are measured and asked by (`quality.rs`), thirty
//! days of repair orders at every station in every state, some at risk now,
//! with appointments booked ahead and no-shows (`month.rs` plans them,
//! `repair_orders.rs` plays them day by day on the demo's clock), the
//! warranty claims carried to one of each state (`claims.rs`), the
//! customers' answers (`responses.rs`), then complaints in every state,
//! scorecard weights, an improvement plan and the dealer assessments
//! (`quality.rs`). Everything goes through the same handlers a user's call
//! does; the plan is fixed, so that every demo holds the same network.

mod claims;
mod costs;
mod month;
mod quality;
mod repair_orders;
mod responses;
mod stock;

use std::sync::{
    Arc,
    atomic::{AtomicI64, Ordering},
};

use aftercare_auth::{Principal, Scope, Secret, assertion::Signer};
use aftercare_db::timestamp::Clock;
use aftercare_proto::common::v1::{Money, Period, PeriodKind};
use anyhow::Context;
use time::OffsetDateTime;
use tonic::{service::interceptor::InterceptedService, transport::Channel};

type Signed = InterceptedService<Channel, Signer>;

/// (station, dealer, region) of the demo network (`aftercare_dealers::demo`).
const STATIONS: &[(&str, &str, &str)] = &[
    ("hm-city", "harbour-motors", "north"),
    ("hm-airport", "harbour-motors", "north"),
    ("ac-munich", "alpine-cars", "south"),
    ("la-konstanz", "lakeside-auto", "south"),
    ("rv-cologne", "rhine-vehicles", "west"),
    ("rv-bonn", "rhine-vehicles", "west"),
];

/// The channels to the services and the key their calls are signed with.
#[derive(Debug, Clone)]
pub(crate) struct Channels {
    pub parts: Channel,
    pub dealers: Channel,
    pub costs: Channel,
    pub surveys: Channel,
    pub key: Secret,
    /// The clock dealers and surveys read.
    pub rewind: Rewind,
}

/// The demo's clock for dealers and surveys: the system's time, less a
/// number of seconds the demo sets while it plays a day of the past month
/// (an RO cannot be opened or moved in the past through the contract) or
/// opens a complaint "hours ago" (one past its deadline is what the
/// escalation sweep has to show).
#[derive(Debug, Clone, Default)]
pub(crate) struct Rewind(Arc<AtomicI64>);

impl Rewind {
    pub(crate) fn clock(&self) -> Clock {
        let back = self.0.clone();
        Clock::new(move || {
            OffsetDateTime::now_utc() - time::Duration::seconds(back.load(Ordering::SeqCst))
        })
    }

    /// The services read the time `back` ago from now on (zero: now again).
    fn set(&self, back: time::Duration) {
        self.0.store(back.whole_seconds(), Ordering::SeqCst);
    }

    /// The services read `at` (a time past) from now on, as the time goes.
    fn set_at(&self, at: OffsetDateTime) {
        self.set((OffsetDateTime::now_utc() - at).max(time::Duration::ZERO));
    }
}

impl Channels {
    fn signed(&self, channel: &Channel, scope: Scope) -> Signed {
        let signer = Signer {
            principal: Principal {
                subject: "demo".into(),
                scope,
            },
            key: self.key.clone(),
        };
        InterceptedService::new(channel.clone(), signer)
    }
}

fn eur(minor_units: i64) -> Option<Money> {
    Some(Money {
        currency_code: "EUR".into(),
        minor_units,
    })
}

fn timestamp(t: OffsetDateTime) -> Option<prost_types::Timestamp> {
    Some(prost_types::Timestamp {
        seconds: t.unix_timestamp(),
        nanos: 0,
    })
}

fn staff(dealer: &str) -> Scope {
    Scope::Dealer {
        dealer_id: dealer.into(),
        station_ids: vec![],
    }
}

/// The month `t` falls in.
fn month_of(t: OffsetDateTime) -> Period {
    Period {
        kind: PeriodKind::Month as i32,
        year: t.year(),
        number: i32::from(u8::from(t.month())),
    }
}

/// Plays the demo's month; the claims are carried on once costs has drafted
/// them (the dealers relay delivers the warranty ROs meanwhile).
pub(crate) async fn play(c: Channels) -> anyhow::Result<()> {
    let today = OffsetDateTime::now_utc();
    stock::catalogue(&c, today - time::Duration::days(400))
        .await
        .context("the parts catalogue")?;
    stock::stores(&c).await.context("the stations' stores")?;
    costs::costs(&c, today)
        .await
        .context("the costs of the network")?;
    // Before the ROs: a standard holds an RO to the version in force when it
    // was opened, and an invitation asks the survey published at delivery.
    quality::before_repair_orders(&c, today)
        .await
        .context("the standard and the survey")?;
    let plan = month::plan(today);
    let played = repair_orders::play(&c, &plan).await;
    // Whatever happened, the services read the time now again.
    c.rewind.set(time::Duration::ZERO);
    played.context("the repair orders")?;
    let warranty: Vec<_> = plan
        .delivered()
        .filter(|ro| ro.warranty())
        .map(|ro| ro.id.clone())
        .collect();
    claims::claims(&c, &warranty)
        .await
        .context("the warranty claims")?;
    responses::answer(&c, &plan)
        .await
        .context("the survey responses")?;
    quality::after_repair_orders(&c, &plan, today)
        .await
        .context("the quality loop")
}
