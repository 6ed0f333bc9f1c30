//! What the analytics need to know about where an event came from.

use std::net::IpAddr;

use mailcase_model::{Action, Event, NetClass};

use super::catalog::{AggregatorService, Catalog};
use super::config::AnalyticsConfig;

/// The client side of an event as the analytics read it.
#[derive(Clone, Debug, Default)]
pub(crate) struct NetView {
    pub ip: Option<IpAddr>,
    pub country: Option<String>,
    pub asn: Option<u32>,
    pub as_org: Option<String>,
    /// A public address outside the organisation's own.
    pub external: bool,
    /// A hosting, VPS or VPN network.
    pub hosting: bool,
    /// A network whose address says nothing about where the person is.
    pub travel_ignored: bool,
}

impl NetView {
    pub(crate) fn of(event: &Event, cfg: &AnalyticsConfig, catalog: &Catalog) -> NetView {
        let ip = event.client.ip;
        let geo = event.geo.as_ref();
        let public = match (geo, ip) {
            (Some(g), Some(_)) => g.net_class == NetClass::Public,
            (None, Some(ip)) => is_public(ip),
            (_, None) => false,
        };
        let external = public && ip.is_some_and(|ip| !cfg.org_ips.contains(&ip));
        let asn = geo.and_then(|g| g.asn);
        let as_org = geo.and_then(|g| g.as_org.clone());
        let org_lower = as_org.as_deref().map(str::to_lowercase).unwrap_or_default();
        let listed = |asns: &[u32], words: &[String]| {
            asn.is_some_and(|a| asns.contains(&a))
                || (!org_lower.is_empty() && words.iter().any(|w| org_lower.contains(w.as_str())))
        };
        NetView {
            ip,
            country: geo.and_then(|g| g.country.as_deref()).map(str::to_ascii_uppercase),
            asn,
            hosting: external && listed(&catalog.hosting_asns, &catalog.hosting_keywords),
            travel_ignored: listed(&catalog.travel_ignore_asns, &catalog.travel_ignore_keywords),
            as_org,
            external,
        }
    }

    /// `AS14061 DigitalOcean, LLC`, or `unknown network`.
    pub(crate) fn network_label(&self) -> String {
        match (self.asn, self.as_org.as_deref()) {
            (Some(a), Some(o)) => format!("AS{a} {o}"),
            (Some(a), None) => format!("AS{a}"),
            _ => "unknown network".to_owned(),
        }
    }

    /// `1.2.3.4 (US, AS14061 DigitalOcean, LLC)`.
    pub(crate) fn describe(&self) -> String {
        let ip = self.ip.map_or_else(|| "?".to_owned(), |i| i.to_string());
        let country = self.country.as_deref().unwrap_or("??");
        format!("{ip} ({country}, {})", self.network_label())
    }
}

/// Public address test for events that were not enriched.
fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            let shared = a == 100 && (64..128).contains(&b);
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || shared)
        }
        IpAddr::V6(v6) => {
            let first = v6.segments().first().copied().unwrap_or(0);
            let unique_local = first & 0xfe00 == 0xfc00;
            let link_local = first & 0xffc0 == 0xfe80;
            !(v6.is_loopback() || v6.is_unspecified() || v6.is_multicast() || unique_local || link_local)
        }
    }
}

/// How the client reached the mailbox, from the sign-in's client app or the protocol.
fn client_kind(event: &Event) -> String {
    let app = match &event.action {
        Action::SignIn(s) => s.client_app.as_deref(),
        _ => None,
    };
    app.or(event.client.protocol.as_deref()).unwrap_or_default().to_lowercase()
}

/// A webmail or browser session rather than a mail protocol.
pub(crate) fn is_browser(event: &Event) -> bool {
    let kind = client_kind(event);
    let ua = event.client.user_agent.as_deref().unwrap_or_default();
    kind.contains("browser") || kind.contains("owa") || ua.starts_with("Mozilla/")
}

/// IMAP or POP access.
pub(crate) fn is_mail_protocol(event: &Event) -> bool {
    let kind = client_kind(event);
    kind.contains("imap") || kind.contains("pop")
}

/// The aggregator service this event comes from, if its network and behaviour say so.
pub(crate) fn aggregator<'c>(
    event: &Event,
    view: &NetView,
    catalog: &'c Catalog,
) -> Option<&'c AggregatorService> {
    if !view.external || is_browser(event) {
        return None;
    }
    let org = view.as_org.as_deref().map(str::to_lowercase).unwrap_or_default();
    catalog.aggregators.iter().find(|s| {
        let by_asn = view.asn.is_some_and(|a| s.asns.contains(&a));
        let by_name = !org.is_empty() && s.org_keywords.iter().any(|k| org.contains(k.as_str()));
        (by_asn || by_name) && (s.exclusive || is_mail_protocol(event))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_special_addresses_are_not_public() {
        for ip in ["10.1.2.3", "192.168.0.1", "100.64.0.1", "127.0.0.1", "fe80::1", "fd00::1", "::1"] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["81.2.69.144", "2a01:e0a::1"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }
}
