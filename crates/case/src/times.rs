//! Time as stored (ISO 8601 UTC text that sorts) and as shown (the case's zone).

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use serde::Serialize;

use crate::error::{CaseError, Result};

/// The stored form: `2023-09-20T04:05:03.123Z`. Fixed width (years 0-9999), so text
/// order is time order and SQL `ORDER BY time` / `time >= ?` work on the column.
pub fn to_stored(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Parses a stored time (any RFC 3339 text is accepted).
pub fn from_stored(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// A UTC time as the case shows it: the three columns of the timeline spreadsheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LocalTime {
    /// `2023-09-20`.
    pub date: String,
    /// `06:05:03`.
    pub time: String,
    /// Abbreviation and offset: `CEST (+02:00)`.
    pub zone: String,
}

impl std::fmt::Display for LocalTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} {}", self.date, self.time, self.zone)
    }
}

/// Shows `time` in the IANA zone `zone` (`Europe/Paris`).
pub fn in_zone(time: DateTime<Utc>, zone: &str) -> Result<LocalTime> {
    let tz: chrono_tz::Tz = zone
        .parse()
        .map_err(|_| CaseError::InvalidInput(format!("unknown time zone {zone:?}")))?;
    let local = tz.from_utc_datetime(&time.naive_utc());
    Ok(LocalTime {
        date: local.format("%Y-%m-%d").to_string(),
        time: local.format("%H:%M:%S").to_string(),
        zone: local.format("%Z (%:z)").to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_form_is_fixed_and_round_trips() {
        let t = Utc.with_ymd_and_hms(2023, 9, 20, 4, 5, 3).unwrap();
        assert_eq!(to_stored(t), "2023-09-20T04:05:03.000Z");
        assert_eq!(from_stored("2023-09-20T04:05:03.000Z"), Some(t));
        assert_eq!(from_stored("not a time"), None);
    }

    #[test]
    fn shows_paris_summer_and_winter_time() {
        let summer = Utc.with_ymd_and_hms(2023, 9, 20, 4, 5, 3).unwrap();
        let l = in_zone(summer, "Europe/Paris").unwrap();
        assert_eq!(
            (l.date.as_str(), l.time.as_str()),
            ("2023-09-20", "06:05:03")
        );
        assert_eq!(l.zone, "CEST (+02:00)");
        let winter = Utc.with_ymd_and_hms(2023, 12, 31, 23, 30, 0).unwrap();
        let l = in_zone(winter, "Europe/Paris").unwrap();
        assert_eq!(l.to_string(), "2024-01-01 00:30:00 CET (+01:00)");
        assert!(in_zone(winter, "Nowhere/Else").is_err());
    }
}
