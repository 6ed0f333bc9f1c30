//! Time helpers: French local time (the organisation's office hours) and the date forms
//! that the exports use.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};

/// Last Sunday of a month: the day the EU switches between summer and winter time.
fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let next_month = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    let mut day = next_month.unwrap_or(NaiveDate::MIN) - Duration::days(1);
    while day.weekday() != Weekday::Sun {
        day -= Duration::days(1);
    }
    day
}

/// Offset of Paris from UTC, in hours, on a given local day (EU rule: summer time from
/// the last Sunday of March to the last Sunday of October). Changing at midnight rather
/// than at 01:00 UTC is good enough for sample data.
pub(crate) fn paris_offset_hours(date: NaiveDate) -> i64 {
    let start = last_sunday(date.year(), 3);
    let end = last_sunday(date.year(), 10);
    if date >= start && date < end { 2 } else { 1 }
}

/// A local Paris time (`date` at `secs` seconds after local midnight) as UTC.
pub(crate) fn paris_to_utc(date: NaiveDate, secs: u32) -> DateTime<Utc> {
    let midnight = NaiveDateTime::new(date, NaiveTime::MIN);
    let local = midnight + Duration::seconds(i64::from(secs));
    (local - Duration::hours(paris_offset_hours(date))).and_utc()
}

/// US-locale form used by Purview and message trace exports: `9/20/2023 4:05:03 AM`.
pub(crate) fn us_locale(t: DateTime<Utc>) -> String {
    t.format("%-m/%-d/%Y %-I:%M:%S %p").to_string()
}

/// UAL `CreationTime`: ISO 8601 without a zone (it is UTC).
pub(crate) fn ual_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// Graph form: ISO 8601 with `Z`.
pub(crate) fn graph_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// True on Saturdays and Sundays.
pub(crate) fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn summer_and_winter_offsets() {
        assert_eq!(paris_offset_hours(day(2025, 7, 1)), 2);
        assert_eq!(paris_offset_hours(day(2025, 12, 1)), 1);
        assert_eq!(paris_offset_hours(day(2025, 3, 29)), 1);
        assert_eq!(paris_offset_hours(day(2025, 3, 30)), 2);
        assert_eq!(paris_offset_hours(day(2025, 10, 26)), 1);
    }

    #[test]
    fn formats() {
        let t = paris_to_utc(day(2023, 9, 20), 6 * 3600 + 5 * 60 + 3);
        assert_eq!(us_locale(t), "9/20/2023 4:05:03 AM");
        assert_eq!(ual_time(t), "2023-09-20T04:05:03");
        assert_eq!(graph_time(t), "2023-09-20T04:05:03Z");
        let pm = paris_to_utc(day(2023, 12, 5), 15 * 3600);
        assert_eq!(us_locale(pm), "12/5/2023 2:00:00 PM");
    }
}
