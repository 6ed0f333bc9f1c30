//! Where an action came from: address, software, session; and what enrichment adds.

use std::net::{IpAddr, Ipv6Addr};

use serde::{Deserialize, Serialize};

/// The client side of an event. Every field is optional: sources fill what they have.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Client {
    /// Source address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<IpAddr>,
    /// Source port, when the log gives one (`IP:port`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// User agent or client info string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// Application id (Entra `appId`, UAL `AppId` / `ClientAppId` / `ApplicationId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// Application name (`appDisplayName`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_name: Option<String>,
    /// Protocol or client type: `IMAP4`, `POP3`, `Authenticated SMTP`, `Browser`,
    /// `Exchange ActiveSync`, `OWA`, `REST`... as the source names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// Session identifier (UAL `SessionId`, Entra `sessionId` / `correlationId`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// Device name, id or operating system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

/// Enrichment of the client address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Geo {
    /// ISO 3166-1 alpha-2 country code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Autonomous system number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asn: Option<u32>,
    /// Organisation owning the autonomous system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_org: Option<String>,
    /// The class of network.
    pub net_class: NetClass,
}

/// What kind of network an address belongs to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NetClass {
    /// A routable public address with nothing more known.
    #[default]
    Public,
    /// RFC 1918, RFC 4193 (fc00::/7) and shared address space (100.64/10).
    Private,
    /// 127/8, ::1.
    Loopback,
    /// Link-local (169.254/16, fe80::/10).
    LinkLocal,
    /// Documentation, benchmarking, multicast, unspecified and other reserved ranges.
    Reserved,
}

impl NetClass {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            NetClass::Public => "public",
            NetClass::Private => "private",
            NetClass::Loopback => "loopback",
            NetClass::LinkLocal => "link_local",
            NetClass::Reserved => "reserved",
        }
    }
}

/// Parses an address as logs write it: `1.2.3.4`, `1.2.3.4:5678`, `::1`,
/// `[2001:db8::1]:443`, `fe80::1%eth0`, `[fe80::1%12]:80`, with surrounding spaces or
/// quotes. The zone is dropped. Returns `None` for anything else (empty, `<null>`...).
pub fn parse_ip_port(text: &str) -> Option<(IpAddr, Option<u16>)> {
    let s = text.trim().trim_matches('"').trim();
    if s.is_empty() {
        return None;
    }
    if let Some(rest) = s.strip_prefix('[') {
        let (addr, after) = rest.split_once(']')?;
        let ip = parse_v6_with_zone(addr)?;
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p.parse().ok()?),
            None if after.is_empty() => None,
            None => return None,
        };
        return Some((IpAddr::V6(ip), port));
    }
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some((ip, None));
    }
    match s.matches(':').count() {
        1 => {
            let (addr, port) = s.split_once(':')?;
            let ip: std::net::Ipv4Addr = addr.parse().ok()?;
            Some((IpAddr::V4(ip), Some(port.parse().ok()?)))
        }
        0 => None,
        _ => parse_v6_with_zone(s).map(|ip| (IpAddr::V6(ip), None)),
    }
}

fn parse_v6_with_zone(s: &str) -> Option<Ipv6Addr> {
    let addr = s.split_once('%').map_or(s, |(a, _)| a);
    addr.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn parses_the_forms_found_in_exports() {
        assert_eq!(parse_ip_port("81.2.69.144"), Some((ip("81.2.69.144"), None)));
        assert_eq!(parse_ip_port("81.2.69.144:51234"), Some((ip("81.2.69.144"), Some(51234))));
        assert_eq!(parse_ip_port("::1"), Some((ip("::1"), None)));
        assert_eq!(parse_ip_port("[2001:db8::1]:443"), Some((ip("2001:db8::1"), Some(443))));
        assert_eq!(parse_ip_port("[2001:db8::1]"), Some((ip("2001:db8::1"), None)));
        assert_eq!(parse_ip_port("fe80::1%eth0"), Some((ip("fe80::1"), None)));
        assert_eq!(parse_ip_port("[fe80::1%12]:80"), Some((ip("fe80::1"), Some(80))));
        assert_eq!(parse_ip_port(" \"10.0.0.1\" "), Some((ip("10.0.0.1"), None)));
        assert_eq!(parse_ip_port("::ffff:81.2.69.144"), Some((ip("::ffff:81.2.69.144"), None)));
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["", "<null>", "abc", "1.2.3.4:99999", "[::1]x", "1.2.3:4", "[::1]:"] {
            assert_eq!(parse_ip_port(bad), None, "{bad}");
        }
    }
}
