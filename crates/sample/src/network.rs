//! Networks, places and client software: where sign-ins come from and what they look
//! like. IP ranges are real allocations of the named autonomous systems (RIR/RouteViews
//! data), so offline enrichment classifies them as it would classify real evidence.

use fastrand::Rng;

/// An autonomous system and some of its IPv4 ranges.
#[derive(Debug)]
pub(crate) struct Network {
    /// AS number.
    pub asn: u32,
    /// Organisation name as registries spell it.
    pub org: &'static str,
    /// Country where the addresses are registered (ISO 3166 alpha-2).
    pub country: &'static str,
    /// Inclusive IPv4 ranges (first, last address) routed by this AS, checked against
    /// the ip-location-db ASN and country data the set-up installs (2.3.2026061719).
    pub ranges: &'static [(&'static str, &'static str)],
}

impl Network {
    /// A random host address inside one of the ranges (never .0 or .255).
    pub(crate) fn host(&self, rng: &mut Rng) -> String {
        let (first, last) = self.ranges[rng.usize(..self.ranges.len())];
        let parse = |s: &str| u32::from(s.parse::<std::net::Ipv4Addr>().expect("static address"));
        let (first, last) = (parse(first), parse(last));
        loop {
            let ip = std::net::Ipv4Addr::from(rng.u32(first..=last));
            if !matches!(ip.octets()[3], 0 | 255) {
                return ip.to_string();
            }
        }
    }
}

/// Orange (residential and mobile).
pub(crate) const ORANGE: Network = Network {
    asn: 3215,
    org: "Orange S.A.",
    country: "FR",
    ranges: &[("193.252.68.0", "193.252.71.255"), ("86.233.0.0", "86.240.127.255"), ("90.73.0.0", "90.73.255.255"), ("194.250.119.0", "194.250.130.255")],
};
/// Free.
pub(crate) const FREE: Network = Network {
    asn: 12322,
    org: "Free SAS",
    country: "FR",
    ranges: &[("83.159.0.0", "83.159.255.255"), ("88.160.0.0", "88.191.255.255"), ("88.120.0.0", "88.127.255.255"), ("62.147.0.0", "62.147.255.255")],
};
/// SFR.
pub(crate) const SFR: Network = Network {
    asn: 15557,
    org: "Societe Francaise Du Radiotelephone - SFR SA",
    country: "FR",
    ranges: &[("83.145.64.0", "83.145.127.255"), ("77.104.0.0", "77.104.63.255"), ("213.223.0.0", "213.223.45.255"), ("91.240.78.0", "91.240.79.255")],
};
/// Bouygues Telecom (fixed and mobile).
pub(crate) const BOUYGUES: Network = Network {
    asn: 5410,
    org: "Bouygues Telecom SA",
    country: "FR",
    ranges: &[("195.36.128.0", "195.36.255.255"), ("87.88.0.0", "87.89.95.255"), ("62.34.0.0", "62.35.255.255"), ("5.48.0.0", "5.51.255.255")],
};
/// Residential ISPs, in rough market-share order.
pub(crate) const HOME_ISPS: [&Network; 4] = [&ORANGE, &FREE, &SFR, &BOUYGUES];
/// DigitalOcean, a VPS provider: where the phishing proxy runs.
pub(crate) const DIGITALOCEAN: Network = Network {
    asn: 14061,
    org: "DigitalOcean, LLC",
    country: "US",
    ranges: &[("198.89.97.0", "198.89.97.255"), ("69.55.58.0", "69.55.63.255"), ("159.89.58.0", "159.89.255.255"), ("69.55.54.0", "69.55.56.255")],
};
/// M247, a hosting and VPN provider: where the stolen session is replayed.
pub(crate) const M247: Network = Network {
    asn: 9009,
    org: "M247 Europe SRL",
    country: "RO",
    ranges: &[("144.225.99.0", "144.225.99.255"), ("81.180.228.0", "81.180.229.255"), ("81.180.254.0", "81.180.255.255"), ("94.176.148.0", "94.176.148.255")],
};
/// Vultr (The Constant Company): the password spray.
pub(crate) const VULTR: Network = Network {
    asn: 20473,
    org: "The Constant Company, LLC",
    country: "US",
    ranges: &[("96.47.231.0", "96.47.231.255"), ("45.14.46.0", "45.14.46.255"), ("136.242.96.0", "136.242.127.255"), ("44.31.111.0", "44.31.111.255")],
};
/// VK (Mail.ru): the myMail IMAP aggregator's pollers.
pub(crate) const VK: Network = Network {
    asn: 47764,
    org: "LLC VK",
    country: "RU",
    ranges: &[("146.185.208.0", "146.185.211.255"), ("213.219.212.0", "213.219.215.255"), ("87.239.104.0", "87.239.111.255"), ("95.163.32.0", "95.163.63.255")],
};
/// Hetzner: the phishing sender's mail server.
pub(crate) const HETZNER: Network = Network {
    asn: 24940,
    org: "Hetzner Online GmbH",
    country: "DE",
    ranges: &[("162.55.0.0", "162.55.255.255"), ("85.10.192.0", "85.10.255.255"), ("188.34.128.0", "188.34.255.255"), ("144.76.0.0", "144.76.255.255")],
};

/// RENATER, the French research and education network: campus addresses of the
/// university (its mail server sits in the first range).
pub(crate) const RENATER: Network = Network {
    asn: 2200,
    org: "Renater",
    country: "FR",
    ranges: &[("129.20.0.0", "129.20.255.255"), ("148.60.0.0", "148.60.255.255")],
};
/// Google: Gmail's outbound and inbound mail servers.
pub(crate) const GOOGLE: Network = Network {
    asn: 15169,
    org: "Google LLC",
    country: "US",
    ranges: &[("66.102.0.0", "66.102.15.255")],
};
/// Microsoft: Outlook.com / Exchange Online Protection mail servers.
pub(crate) const MICROSOFT: Network = Network {
    asn: 8075,
    org: "Microsoft Corporation",
    country: "US",
    ranges: &[("40.108.128.0", "40.108.255.255")],
};

/// A place as Entra reports it in `location`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Place {
    /// City.
    pub city: &'static str,
    /// Region.
    pub state: &'static str,
    /// Country code.
    pub country: &'static str,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
}

/// Towns around the organisation, where staff live.
pub(crate) const FRENCH_PLACES: [Place; 6] = [
    Place {
        city: "Rennes",
        state: "Ille-et-Vilaine",
        country: "FR",
        lat: 48.1147,
        lon: -1.6794,
    },
    Place {
        city: "Cesson-Sevigne",
        state: "Ille-et-Vilaine",
        country: "FR",
        lat: 48.1213,
        lon: -1.6031,
    },
    Place {
        city: "Vitre",
        state: "Ille-et-Vilaine",
        country: "FR",
        lat: 48.1236,
        lon: -1.2093,
    },
    Place {
        city: "Saint-Malo",
        state: "Ille-et-Vilaine",
        country: "FR",
        lat: 48.6493,
        lon: -2.0257,
    },
    Place {
        city: "Nantes",
        state: "Loire-Atlantique",
        country: "FR",
        lat: 47.2173,
        lon: -1.5534,
    },
    Place {
        city: "Paris",
        state: "Paris",
        country: "FR",
        lat: 48.8589,
        lon: 2.3469,
    },
];
/// Where DigitalOcean's block is announced from.
pub(crate) const NEW_YORK: Place = Place {
    city: "New York",
    state: "New York",
    country: "US",
    lat: 40.7143,
    lon: -74.006,
};
/// Where M247's block is announced from.
pub(crate) const BUCHAREST: Place = Place {
    city: "Bucharest",
    state: "Bucuresti",
    country: "RO",
    lat: 44.4323,
    lon: 26.1063,
};
/// Vultr's block.
pub(crate) const PISCATAWAY: Place = Place {
    city: "Piscataway",
    state: "New Jersey",
    country: "US",
    lat: 40.5511,
    lon: -74.4593,
};
/// VK's pollers.
pub(crate) const MOSCOW: Place = Place {
    city: "Moscow",
    state: "Moscow",
    country: "RU",
    lat: 55.7522,
    lon: 37.6156,
};

/// Client software as seen in the logs: application, user agent and protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ClientKind {
    /// Outlook for Windows (classic).
    OutlookDesktop,
    /// Outlook on the web in a browser.
    Owa,
    /// Outlook for iOS.
    OutlookIos,
    /// Outlook for Android.
    OutlookAndroid,
    /// The myMail aggregator polling over IMAP.
    MyMailImap,
    /// The adversary-in-the-middle phishing proxy relaying the victim's sign-in.
    AitmProxy,
    /// The attacker's browser replaying the stolen session.
    AttackerBrowser,
    /// eM Client, consented by the attacker.
    EmClient,
    /// The password-spray tool (ROPC).
    SprayTool,
    /// The administrator's PowerShell session.
    AdminPowerShell,
}

/// How one client kind appears in each log.
#[derive(Debug)]
pub(crate) struct ClientLook {
    /// Entra application id.
    pub app_id: &'static str,
    /// Entra application name.
    pub app_name: &'static str,
    /// User agent.
    pub user_agent: &'static str,
    /// Entra `clientAppUsed`.
    pub client_app: &'static str,
    /// Exchange `ClientInfoString`.
    pub info: &'static str,
    /// Operating system for `deviceDetail`.
    pub os: &'static str,
    /// Browser for `deviceDetail`.
    pub browser: &'static str,
}

/// Application id of OfficeHome, the usual target of AiTM kits.
pub(crate) const OFFICEHOME_APP: &str = "4765445b-32c6-49b0-83e6-1d93765276ca";
/// Application id of eM Client.
pub(crate) const EM_CLIENT_APP: &str = "e9a7fea1-1cc0-4cd9-a31b-9137ca5deedd";
/// Application id of Office 365 Exchange Online.
pub(crate) const EXO_APP: &str = "00000002-0000-0ff1-ce00-000000000000";

impl ClientKind {
    /// The fields this client leaves in the logs.
    pub(crate) fn look(self) -> ClientLook {
        use ClientKind as K;
        let (app_id, app_name, user_agent, client_app, info, os, browser) = match self {
            K::OutlookDesktop => (
                "d3590ed6-52b3-4102-aeff-aad2292ab01c",
                "Microsoft Office",
                "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 10.0; WOW64; Trident/7.0; .NET4.0C; .NET4.0E; Microsoft Outlook 16.0.17928; ms-office; MSOffice 16)",
                "Mobile Apps and Desktop clients",
                "Client=MSExchangeRPC",
                "Windows10",
                "IE 7.0",
            ),
            K::Owa => (
                "9199bf20-a13f-4107-85dc-02114787ef48",
                "One Outlook Web",
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
                "Browser",
                "Client=OWA;Action=ViaProxy",
                "Windows10",
                "Edge 131.0.0",
            ),
            K::OutlookIos => (
                "27922004-5251-4030-b22d-91ecd9a37ea4",
                "Outlook Mobile",
                "Outlook-iOS/2.0",
                "Mobile Apps and Desktop clients",
                "Client=REST;Client=RESTSystem;;",
                "Ios 18.1.1",
                "Mobile Safari",
            ),
            K::OutlookAndroid => (
                "27922004-5251-4030-b22d-91ecd9a37ea4",
                "Outlook Mobile",
                "Outlook-Android/2.0",
                "Mobile Apps and Desktop clients",
                "Client=REST;Client=RESTSystem;;",
                "Android 14",
                "Chrome Mobile",
            ),
            K::MyMailImap => (
                EXO_APP,
                "Office 365 Exchange Online",
                "",
                "IMAP4",
                "Client=IMAP4",
                "",
                "",
            ),
            K::AitmProxy => (
                OFFICEHOME_APP,
                "OfficeHome",
                "axios/1.7.7",
                "Browser",
                "Client=OWA;Action=ViaProxy",
                "",
                "",
            ),
            K::AttackerBrowser => (
                "9199bf20-a13f-4107-85dc-02114787ef48",
                "One Outlook Web",
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
                "Browser",
                "Client=OWA;Action=ViaProxy",
                "Windows10",
                "Chrome 126.0.0",
            ),
            K::EmClient => (
                EM_CLIENT_APP,
                "eM Client",
                "eM Client/9.2.2157.0",
                "Mobile Apps and Desktop clients",
                "Client=REST;Client=RESTSystem;;",
                "Windows10",
                "",
            ),
            K::SprayTool => (
                "1b730954-1685-4b74-9bfd-dac224a7b894",
                "Azure Active Directory PowerShell",
                "BAV2ROPC",
                "Other clients",
                "Client=REST",
                "",
                "",
            ),
            K::AdminPowerShell => (
                "fb78d390-0c51-40cd-8e17-fdbfab77341b",
                "Microsoft Exchange REST API Based Powershell",
                "Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.22631; fr-FR) PowerShell/7.4.6",
                "Mobile Apps and Desktop clients",
                "Client=REST;Client=RESTSystem;;",
                "Windows10",
                "",
            ),
        };
        ClientLook {
            app_id,
            app_name,
            user_agent,
            client_app,
            info,
            os,
            browser,
        }
    }

    /// Whether this client talks a protocol that cannot do modern authentication.
    pub(crate) fn is_legacy(self) -> bool {
        matches!(self, ClientKind::MyMailImap | ClientKind::SprayTool)
    }
}

/// A random IPv6 address in Orange's or Free's residential space.
pub(crate) fn home_ipv6(rng: &mut Rng) -> String {
    let prefix = if rng.bool() { "2a01:cb08" } else { "2a01:e0a" };
    format!(
        "{prefix}:{:x}:{:x}:{:x}:{:x}:{:x}:{:x}",
        rng.u16(..),
        rng.u16(..),
        rng.u16(..),
        rng.u16(..),
        rng.u16(..),
        rng.u16(..)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_stay_in_their_blocks() {
        let mut rng = Rng::with_seed(1);
        for _ in 0..100 {
            let ip = ORANGE.host(&mut rng);
            let parsed: std::net::Ipv4Addr = ip.parse().unwrap_or(std::net::Ipv4Addr::UNSPECIFIED);
            let o = parsed.octets();
            let n = u32::from(std::net::Ipv4Addr::from(o));
            let inside = ORANGE.ranges.iter().any(|(a, b)| {
                let p = |s: &str| u32::from(s.parse::<std::net::Ipv4Addr>().unwrap());
                (p(a)..=p(b)).contains(&n)
            });
            assert!(inside, "{ip}");
            assert!(o[3] != 0 && o[3] != 255);
        }
    }

    #[test]
    fn ipv6_parses() {
        let mut rng = Rng::with_seed(1);
        assert!(home_ipv6(&mut rng).parse::<std::net::Ipv6Addr>().is_ok());
    }
}
