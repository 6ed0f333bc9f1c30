//! Showing UTC times in the case's time zone, with the zone named.

use std::str::FromStr;

use chrono::{DateTime, Offset, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::data::Lang;
use crate::error::ReportError;

/// Formats times in one zone and one language.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ZonedClock {
    zone: Tz,
    lang: Lang,
}

/// A time split into the columns of the responders' spreadsheet, plus the whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ShownTime {
    /// Date: `20/09/2023` (fr) or `2023-09-20` (en).
    pub date: String,
    /// Local time of day, `06:05:03`.
    pub time: String,
    /// Offset in force at that instant, `UTC+02:00`.
    pub offset: String,
    /// `20/09/2023 06:05:03 (Europe/Paris, UTC+02:00)`.
    pub full: String,
    /// The instant in UTC, RFC 3339, for machine reading (`<time datetime>`).
    pub utc: String,
}

impl ZonedClock {
    /// A clock for the IANA zone `name`.
    pub(crate) fn new(name: &str, lang: Lang) -> Result<Self, ReportError> {
        let zone = Tz::from_str(name.trim()).map_err(|_| ReportError::UnknownTimeZone {
            zone: name.to_string(),
        })?;
        Ok(Self { zone, lang })
    }

    /// The zone's IANA name.
    pub(crate) fn zone_name(&self) -> &'static str {
        self.zone.name()
    }

    /// `at` in the zone.
    pub(crate) fn show(&self, at: DateTime<Utc>) -> ShownTime {
        let local = at.with_timezone(&self.zone);
        let date_format = match self.lang {
            Lang::Fr => "%d/%m/%Y",
            Lang::En => "%Y-%m-%d",
        };
        let date = local.format(date_format).to_string();
        let time = local.format("%H:%M:%S").to_string();
        let offset = format!("UTC{}", local.offset().fix());
        let full = format!("{date} {time} ({}, {offset})", self.zone.name());
        let utc = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        ShownTime { date, time, offset, full, utc }
    }

    /// Like [`Self::show`], for an optional time.
    pub(crate) fn show_opt(&self, at: Option<DateTime<Utc>>) -> Option<ShownTime> {
        at.map(|t| self.show(t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).single().unwrap()
    }

    #[test]
    fn summer_time_in_paris_is_utc_plus_two() {
        let clock = ZonedClock::new("Europe/Paris", Lang::En).unwrap();
        let shown = clock.show(utc(2023, 9, 20, 4, 5, 3));
        assert_eq!(shown.full, "2023-09-20 06:05:03 (Europe/Paris, UTC+02:00)");
        assert_eq!(shown.utc, "2023-09-20T04:05:03Z");
    }

    #[test]
    fn winter_time_in_paris_is_utc_plus_one_and_french_dates_are_day_first() {
        let clock = ZonedClock::new("Europe/Paris", Lang::Fr).unwrap();
        let shown = clock.show(utc(2023, 12, 1, 23, 30, 0));
        assert_eq!(shown.date, "02/12/2023");
        assert_eq!(shown.time, "00:30:00");
        assert_eq!(shown.offset, "UTC+01:00");
    }

    #[test]
    fn dst_switch_night_is_converted_on_both_sides() {
        // Paris moved to summer time on 2024-03-31 at 01:00 UTC.
        let clock = ZonedClock::new("Europe/Paris", Lang::En).unwrap();
        let before = clock.show(utc(2024, 3, 31, 0, 59, 59));
        let after = clock.show(utc(2024, 3, 31, 1, 0, 0));
        assert_eq!((before.time.as_str(), before.offset.as_str()), ("01:59:59", "UTC+01:00"));
        assert_eq!((after.time.as_str(), after.offset.as_str()), ("03:00:00", "UTC+02:00"));
    }

    #[test]
    fn negative_offsets_and_utc_are_named() {
        let ny = ZonedClock::new("America/New_York", Lang::En).unwrap();
        assert_eq!(ny.show(utc(2023, 7, 1, 12, 0, 0)).offset, "UTC-04:00");
        let z = ZonedClock::new("UTC", Lang::En).unwrap();
        assert_eq!(z.show(utc(2023, 7, 1, 12, 0, 0)).full, "2023-07-01 12:00:00 (UTC, UTC+00:00)");
    }

    #[test]
    fn unknown_zone_is_an_error_naming_it() {
        let err = ZonedClock::new("Mars/Olympus", Lang::En).unwrap_err();
        assert!(err.to_string().contains("Mars/Olympus"));
    }
}
