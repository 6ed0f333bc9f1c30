//! Times typed by users and times shown to them.
//!
//! Inside, every time is UTC. Users type local times ("2026-11-20 14:35") in the case's
//! zone or the one they name with `--tz`; every time shown names its zone.

use anyhow::{Context, Result, bail};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Parses an IANA zone name.
pub fn zone(name: &str) -> Result<Tz> {
    name.parse::<Tz>().map_err(|_| anyhow::anyhow!(t!("bad-zone", zone = name.to_owned())))
}

/// Parses a time typed by a user: RFC 3339 with its own offset, or a local date and
/// time (`2026-11-20 14:35`, `2026-11-20T14:35:10`, `2026-11-20`) in `tz`.
pub fn parse_user_time(text: &str, tz: Tz) -> Result<DateTime<Utc>> {
    let s = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    let naive = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .or_else(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(|d| d.and_time(NaiveTime::MIN)));
    let Some(naive) = naive else {
        bail!(t!("bad-time", time = s.to_owned()));
    };
    // A time in a DST gap does not exist; in an overlap, the earlier is taken.
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .with_context(|| t!("bad-time", time = s.to_owned()))
}

/// `2023-09-20T04:05:03Z`: the UTC form of machine-readable output.
pub fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `2023-09-20 06:05:03 +02:00` in the zone.
pub fn show(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S %:z").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_use_the_zone_and_dst() {
        let paris: Tz = "Europe/Paris".parse().unwrap();
        assert_eq!(parse_user_time("2026-11-20 14:35", paris).unwrap().to_rfc3339(), "2026-11-20T13:35:00+00:00");
        assert_eq!(parse_user_time("2026-07-20 14:35", paris).unwrap().to_rfc3339(), "2026-07-20T12:35:00+00:00");
        assert_eq!(parse_user_time("2026-07-20T14:35:00Z", paris).unwrap().to_rfc3339(), "2026-07-20T14:35:00+00:00");
        assert!(parse_user_time("hier", paris).is_err());
        // 02:30 on the spring-forward night does not exist in Paris.
        assert!(parse_user_time("2026-03-29 02:30", paris).is_err());
        assert_eq!(show(parse_user_time("2026-07-20 14:35", paris).unwrap(), paris), "2026-07-20 14:35:00 +02:00");
    }
}
