//! Impossible travel: two successive successful sign-ins of one account from countries too
//! far apart for the time between them. Distances are between country centres
//! (`data/country_centroids.toml`), so only travel between countries is seen. Private
//! addresses, the organisation's own, aggregators and networks whose address says nothing
//! about the person (`travel_ignore` in `data/networks.toml`) are left out.

use chrono::{DateTime, Utc};
use mailcase_model::{Account, Confidence, Event, EventId, Localized, Severity};

use super::baseline::net_indicators;
use super::grouping::{Draft, Merge};
use super::net::NetView;
use super::state::{AccountState, Ctx, Suspicion};

/// The last located sign-in of an account.
#[derive(Clone, Debug)]
pub(crate) struct Fix {
    time: DateTime<Utc>,
    country: String,
    event: EventId,
    place: String,
}

/// Great-circle distance in kilometres.
pub(crate) fn distance_km((lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)) -> f64 {
    const EARTH_RADIUS_KM: f64 = 6371.0;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().clamp(0.0, 1.0).asin()
}

/// Compares a successful sign-in with the account's previous located one.
pub(crate) fn check(state: &mut AccountState, account: &Account, event: &Event, view: &NetView, ctx: &mut Ctx<'_>) {
    if !view.external || view.travel_ignored {
        return;
    }
    let Some(country) = view.country.clone() else { return };
    let Some(here) = ctx.catalog.centroid(&country) else { return };
    let fix = Fix { time: event.time, country: country.clone(), event: event.id, place: view.describe() };
    let Some(prev) = state.last_fix.replace(fix) else { return };
    if prev.country == country {
        return;
    }
    let Some(there) = ctx.catalog.centroid(&prev.country) else { return };
    let km = distance_km(there, here);
    let hours = (event.time - prev.time).num_seconds().max(0) as f64 / 3600.0;
    // A zero interval is as impossible as any: give it a one-minute floor.
    let speed = km / hours.max(1.0 / 60.0);
    if km < ctx.cfg.travel_min_distance_km || speed <= ctx.cfg.travel_max_speed_kmh {
        return;
    }
    let sev = if view.hosting { Severity::High } else { Severity::Medium };
    let minutes = (event.time - prev.time).num_minutes();
    let text = Localized::new(
        format!("{account} signed in from {} then, {minutes} minutes later, from {}: about {km:.0} km, {speed:.0} km/h.", prev.place, view.describe()),
        format!("{account} s'est connecté depuis {} puis, {minutes} minutes plus tard, depuis {} : environ {km:.0} km, {speed:.0} km/h.", prev.place, view.describe()),
    );
    // One finding per pair of countries: an attacker alternating with the user makes
    // many hops, which are one story.
    let mut pair = [prev.country.clone(), country.clone()];
    pair.sort();
    let mut d = Draft::new("mc-impossible-travel", Some(account.clone()), pair.join("-"), (sev, Confidence::Medium), text);
    d.merge = Merge::Always;
    d.events = vec![(prev.event, prev.time), (event.id, event.time)];
    d.indicators = net_indicators(view);
    ctx.out.push(d);
    // Back to a usual country: the odd one was the previous sign-in, already judged.
    if state.baseline.knows_country(&country) {
        return;
    }
    let why = Localized::new(
        format!("impossible travel {} to {country}", prev.country),
        format!("déplacement impossible {} vers {country}", prev.country),
    );
    state.suspect(Suspicion { time: event.time, event: event.id, ip: view.ip, asn: view.asn, session: event.client.session_id.clone(), why });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_are_plausible() {
        let paris = (48.86, 2.35);
        let new_york = (40.71, -74.0);
        let d = distance_km(paris, new_york);
        assert!((5700.0..5950.0).contains(&d), "{d}");
        assert!(distance_km(paris, paris) < 1e-6);
    }
}
