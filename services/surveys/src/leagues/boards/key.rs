//! Which league table: metric, scope, level and period, with one string form
//! (`nps:national:dealer:2026-03`, `nps:region:north-1:station:2026-Q1`)
//! that names the board in Redis and parses back when boards are listed.

use std::{fmt, str::FromStr};

use aftercare_values::{Period, is_valid_id};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BoardKeyError {
    #[error("metric must be an id (lower-case letters, digits and hyphens)")]
    Metric,
    #[error("region must be an id (lower-case letters, digits and hyphens)")]
    Region,
    #[error("level must be dealer or station")]
    Level,
    #[error("period: {0}")]
    Period(#[from] aftercare_values::period::PeriodError),
    #[error("must be metric:scope:level:period, the scope national or region:<id>")]
    Syntax,
}

/// Whose league: the whole network or one region.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    National,
    Region(String),
}

/// What is ranked: dealers or service stations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    Dealer,
    Station,
}

impl Level {
    fn as_str(self) -> &'static str {
        match self {
            Level::Dealer => "dealer",
            Level::Station => "station",
        }
    }
}

impl FromStr for Level {
    type Err = BoardKeyError;

    fn from_str(s: &str) -> Result<Self, BoardKeyError> {
        match s {
            "dealer" => Ok(Level::Dealer),
            "station" => Ok(Level::Station),
            _ => Err(BoardKeyError::Level),
        }
    }
}

/// One league table. The metric is a name the scoring code chooses
/// (`nps`, `satisfaction-rate`…); the board does not interpret it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BoardKey {
    metric: String,
    scope: Scope,
    level: Level,
    period: Period,
}

impl BoardKey {
    pub fn new(
        metric: &str,
        scope: Scope,
        level: Level,
        period: Period,
    ) -> Result<Self, BoardKeyError> {
        if !is_valid_id(metric) {
            return Err(BoardKeyError::Metric);
        }
        if let Scope::Region(region) = &scope
            && !is_valid_id(region)
        {
            return Err(BoardKeyError::Region);
        }
        Ok(Self {
            metric: metric.to_owned(),
            scope,
            level,
            period,
        })
    }

    pub fn metric(&self) -> &str {
        &self.metric
    }

    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    pub fn level(&self) -> Level {
        self.level
    }

    pub fn period(&self) -> Period {
        self.period
    }

    /// The same table in another period.
    pub fn in_period(&self, period: Period) -> Self {
        Self {
            period,
            ..self.clone()
        }
    }
}

impl fmt::Display for BoardKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            metric,
            scope,
            level,
            period,
        } = self;
        let level = level.as_str();
        match scope {
            Scope::National => write!(f, "{metric}:national:{level}:{period}"),
            Scope::Region(region) => write!(f, "{metric}:region:{region}:{level}:{period}"),
        }
    }
}

impl FromStr for BoardKey {
    type Err = BoardKeyError;

    fn from_str(s: &str) -> Result<Self, BoardKeyError> {
        // Ids hold no colon, so the parts are unambiguous.
        let parts: Vec<&str> = s.split(':').collect();
        let (metric, scope, level, period) = match parts[..] {
            [metric, "national", level, period] => (metric, Scope::National, level, period),
            [metric, "region", region, level, period] => {
                (metric, Scope::Region(region.to_owned()), level, period)
            }
            _ => return Err(BoardKeyError::Syntax),
        };
        BoardKey::new(metric, scope, level.parse()?, period.parse()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn march() -> Period {
        "2026-03".parse().unwrap()
    }

    #[test]
    fn string_form_round_trips() {
        let national = BoardKey::new("nps", Scope::National, Level::Dealer, march()).unwrap();
        assert_eq!(national.to_string(), "nps:national:dealer:2026-03");
        let regional = BoardKey::new(
            "service-index",
            Scope::Region("north-1".into()),
            Level::Station,
            "2026-Q1".parse().unwrap(),
        )
        .unwrap();
        assert_eq!(
            regional.to_string(),
            "service-index:region:north-1:station:2026-Q1"
        );
        for key in [national, regional] {
            assert_eq!(key.to_string().parse::<BoardKey>(), Ok(key));
        }
    }

    #[test]
    fn bad_keys_say_why() {
        assert_eq!(
            BoardKey::new("NPS", Scope::National, Level::Dealer, march()),
            Err(BoardKeyError::Metric)
        );
        assert_eq!(
            BoardKey::new("nps", Scope::Region("a:b".into()), Level::Dealer, march()),
            Err(BoardKeyError::Region)
        );
        assert_eq!(
            "nps:national:region:2026-03".parse::<BoardKey>(),
            Err(BoardKeyError::Level)
        );
        assert_eq!(
            "nps:global:dealer:2026-03".parse::<BoardKey>(),
            Err(BoardKeyError::Syntax)
        );
        assert!(matches!(
            "nps:national:dealer:2026-13".parse::<BoardKey>(),
            Err(BoardKeyError::Period(_))
        ));
    }
}
