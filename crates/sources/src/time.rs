//! Timestamps as exports write them.
//!
//! Microsoft exports mix ISO 8601 (with or without zone, with up to 7 fractional
//! digits) and locale-formatted dates (`9/20/2023 4:05:03 AM` in the US locale,
//! `20/09/2023 16:05:03` in the French one). A timestamp without a zone is UTC in every
//! Microsoft 365 export we know. Slash dates are ambiguous between month-first and
//! day-first: the caller says which order a file uses ([`DateOrder`]), usually found
//! from the file itself with [`DateOrder::detect`]; nothing here guesses silently.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// Order of day and month in slash-separated dates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DateOrder {
    /// `9/20/2023`: the US locale, and Purview's default.
    #[default]
    MonthFirst,
    /// `20/09/2023`: most other locales, French included.
    DayFirst,
}

impl DateOrder {
    /// The order a slash date proves, if it proves one (a first number over 12 means
    /// day-first, a second number over 12 means month-first); `None` when ambiguous or
    /// not a slash date.
    pub fn detect(text: &str) -> Option<DateOrder> {
        let date = text.trim().split([' ', 'T']).next()?;
        let mut parts = date.split('/');
        let a: u32 = parts.next()?.parse().ok()?;
        let b: u32 = parts.next()?.parse().ok()?;
        parts.next()?;
        match (a > 12, b > 12) {
            (true, false) => Some(DateOrder::DayFirst),
            (false, true) => Some(DateOrder::MonthFirst),
            _ => None,
        }
    }
}

/// Parses a timestamp; `order` is used only for slash dates. Returns `None` when the
/// text is not a timestamp this function knows.
pub fn parse_timestamp(text: &str, order: DateOrder) -> Option<DateTime<Utc>> {
    let s = text.trim().trim_matches('"').trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    if s.as_bytes()[..4.min(s.len())].iter().all(u8::is_ascii_digit) && s.as_bytes().get(4) == Some(&b'-') {
        return parse_iso(s);
    }
    if s.contains('/') {
        return parse_slash(s, order);
    }
    None
}

fn parse_iso(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::<FixedOffset>::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    // `2023-09-20 04:05:03+02:00`, `2023-09-20T04:05:03.1234567+0000`
    for fmt in ["%Y-%m-%d %H:%M:%S%.f%:z", "%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"] {
        if let Ok(t) = DateTime::<FixedOffset>::parse_from_str(s, fmt) {
            return Some(t.with_timezone(&Utc));
        }
    }
    let naive = s.strip_suffix('Z').unwrap_or(s);
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(naive, fmt) {
            return Some(Utc.from_utc_datetime(&t));
        }
    }
    NaiveDate::parse_from_str(naive, "%Y-%m-%d")
        .ok()
        .map(|d| Utc.from_utc_datetime(&d.and_time(NaiveTime::MIN)))
}

fn parse_slash(s: &str, order: DateOrder) -> Option<DateTime<Utc>> {
    let (date, rest) = s.split_once([' ', 'T']).unwrap_or((s, ""));
    let mut parts = date.split('/');
    let a: u32 = parts.next()?.trim().parse().ok()?;
    let b: u32 = parts.next()?.trim().parse().ok()?;
    let mut year: i32 = parts.next()?.trim().parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    if year < 100 {
        year += 2000;
    }
    let (month, day) = match order {
        DateOrder::MonthFirst => (a, b),
        DateOrder::DayFirst => (b, a),
    };
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let time = parse_clock(rest.trim())?;
    Some(Utc.from_utc_datetime(&date.and_time(time)))
}

/// `4:05:03 AM`, `16:05:03`, `16:05`, `16:05:03.123`, or nothing (midnight).
fn parse_clock(s: &str) -> Option<NaiveTime> {
    if s.is_empty() {
        return Some(NaiveTime::MIN);
    }
    let upper = s.to_ascii_uppercase();
    let (clock, meridiem) = if let Some(c) = upper.strip_suffix("AM") {
        (c.trim(), Some(false))
    } else if let Some(c) = upper.strip_suffix("PM") {
        (c.trim(), Some(true))
    } else {
        (upper.as_str(), None)
    };
    let time = ["%H:%M:%S%.f", "%H:%M"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(clock, f).ok())?;
    match meridiem {
        None => Some(time),
        Some(pm) => {
            use chrono::Timelike;
            let h = time.hour();
            if h == 0 || h > 12 {
                return None;
            }
            let h24 = match (h, pm) {
                (12, false) => 0,
                (12, true) => 12,
                (h, false) => h,
                (h, true) => h + 12,
            };
            time.with_hour(h24)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn iso_forms() {
        let m = DateOrder::MonthFirst;
        assert_eq!(parse_timestamp("2020-02-17T17:12:03", m), Some(utc("2020-02-17T17:12:03Z")));
        assert_eq!(
            parse_timestamp("2019-10-18T04:45:48.0729893-05:00", m),
            Some(utc("2019-10-18T09:45:48.0729893Z"))
        );
        assert_eq!(
            parse_timestamp("2019-10-18T15:30:51.0273716Z", m),
            Some(utc("2019-10-18T15:30:51.0273716Z"))
        );
        assert_eq!(parse_timestamp("2023-09-20 04:05:03", m), Some(utc("2023-09-20T04:05:03Z")));
        assert_eq!(parse_timestamp("2023-09-20", m), Some(utc("2023-09-20T00:00:00Z")));
    }

    #[test]
    fn us_and_french_locales() {
        let us = DateOrder::MonthFirst;
        let fr = DateOrder::DayFirst;
        assert_eq!(parse_timestamp("9/20/2023 4:05:03 AM", us), Some(utc("2023-09-20T04:05:03Z")));
        assert_eq!(parse_timestamp("9/20/2023 12:05:03 AM", us), Some(utc("2023-09-20T00:05:03Z")));
        assert_eq!(parse_timestamp("9/20/2023 12:05:03 PM", us), Some(utc("2023-09-20T12:05:03Z")));
        assert_eq!(parse_timestamp("9/20/2023 4:05:03 pm", us), Some(utc("2023-09-20T16:05:03Z")));
        assert_eq!(parse_timestamp("20/09/2023 16:05:03", fr), Some(utc("2023-09-20T16:05:03Z")));
        assert_eq!(parse_timestamp("20/09/2023 16:05:03", us), None);
        assert_eq!(DateOrder::detect("20/09/2023 16:05"), Some(DateOrder::DayFirst));
        assert_eq!(DateOrder::detect("9/20/2023 4:05:03 AM"), Some(DateOrder::MonthFirst));
        assert_eq!(DateOrder::detect("9/10/2023"), None);
    }

    #[test]
    fn garbage_is_none() {
        let m = DateOrder::MonthFirst;
        for bad in ["", "yesterday", "13/13/2023", "2023-13-01T00:00:00", "9/20/2023 13:00:00 PM", "1/2/3/4"] {
            assert_eq!(parse_timestamp(bad, m), None, "{bad}");
        }
    }
}
