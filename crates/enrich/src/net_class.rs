//! Network classes: which addresses are private, loopback, link-local or reserved.
//!
//! Only public addresses are worth a database lookup; the others say something by
//! themselves (an internal relay, a proxy on the same host, a documentation address
//! in a forged log).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use mailcase_model::NetClass;

/// IPv4 ranges that are not public, as (network, prefix length, class).
/// None overlap, so the order does not matter.
const V4_RANGES: &[([u8; 4], u8, NetClass)] = &[
    ([0, 0, 0, 0], 8, NetClass::Reserved),
    ([10, 0, 0, 0], 8, NetClass::Private),
    ([100, 64, 0, 0], 10, NetClass::Private),
    ([127, 0, 0, 0], 8, NetClass::Loopback),
    ([169, 254, 0, 0], 16, NetClass::LinkLocal),
    ([172, 16, 0, 0], 12, NetClass::Private),
    ([192, 0, 0, 0], 24, NetClass::Reserved),
    ([192, 0, 2, 0], 24, NetClass::Reserved),
    ([192, 168, 0, 0], 16, NetClass::Private),
    ([198, 18, 0, 0], 15, NetClass::Reserved),
    ([198, 51, 100, 0], 24, NetClass::Reserved),
    ([203, 0, 113, 0], 24, NetClass::Reserved),
    // Multicast, then the old class E block, which includes 255.255.255.255.
    ([224, 0, 0, 0], 4, NetClass::Reserved),
    ([240, 0, 0, 0], 4, NetClass::Reserved),
];

/// IPv6 ranges that are not public. `::1` and `::` are handled before this table;
/// IPv4-mapped addresses are classified as their IPv4 address.
const V6_RANGES: &[(u128, u8, NetClass)] = &[
    // Deprecated IPv4-compatible addresses (::a.b.c.d).
    (0, 96, NetClass::Reserved),
    // Discard-only prefix.
    (
        0x0100_0000_0000_0000_0000_0000_0000_0000,
        64,
        NetClass::Reserved,
    ),
    // Benchmarking.
    (
        0x2001_0002_0000_0000_0000_0000_0000_0000,
        48,
        NetClass::Reserved,
    ),
    // ORCHIDv2.
    (
        0x2001_0020_0000_0000_0000_0000_0000_0000,
        28,
        NetClass::Reserved,
    ),
    // Documentation (RFC 3849, RFC 9637).
    (
        0x2001_0db8_0000_0000_0000_0000_0000_0000,
        32,
        NetClass::Reserved,
    ),
    (
        0x3fff_0000_0000_0000_0000_0000_0000_0000,
        20,
        NetClass::Reserved,
    ),
    // Unique local addresses.
    (
        0xfc00_0000_0000_0000_0000_0000_0000_0000,
        7,
        NetClass::Private,
    ),
    (
        0xfe80_0000_0000_0000_0000_0000_0000_0000,
        10,
        NetClass::LinkLocal,
    ),
    // Deprecated site-local: treated like unique local addresses.
    (
        0xfec0_0000_0000_0000_0000_0000_0000_0000,
        10,
        NetClass::Private,
    ),
    // Multicast.
    (
        0xff00_0000_0000_0000_0000_0000_0000_0000,
        8,
        NetClass::Reserved,
    ),
];

/// The class of network an address belongs to.
///
/// IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) are classified as their IPv4
/// address. IPv6 outside the global unicast block `2000::/3` is reserved, except the
/// NAT64 prefix `64:ff9b::/96`, which is public.
pub fn net_class(ip: IpAddr) -> NetClass {
    match canonical(ip) {
        IpAddr::V4(v4) => v4_class(v4),
        IpAddr::V6(v6) => v6_class(v6),
    }
}

/// The address as it should be looked up: IPv4-mapped IPv6 becomes IPv4.
pub(crate) fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => ip,
        },
        IpAddr::V4(_) => ip,
    }
}

fn v4_class(ip: Ipv4Addr) -> NetClass {
    let bits = u32::from(ip);
    V4_RANGES
        .iter()
        .find(|(net, len, _)| prefix_matches_u32(bits, u32::from_be_bytes(*net), *len))
        .map_or(NetClass::Public, |(_, _, class)| *class)
}

fn v6_class(ip: Ipv6Addr) -> NetClass {
    if ip.is_loopback() {
        return NetClass::Loopback;
    }
    let bits = u128::from(ip);
    if let Some((_, _, class)) = V6_RANGES
        .iter()
        .find(|(net, len, _)| prefix_matches_u128(bits, *net, *len))
    {
        return *class;
    }
    // Only 2000::/3 is allocated as global unicast; the NAT64 well-known prefix
    // carries public IPv4 addresses. Anything else is unassigned space.
    if prefix_matches_u128(bits, NAT64, 96) || prefix_matches_u128(bits, GLOBAL_UNICAST, 3) {
        NetClass::Public
    } else {
        NetClass::Reserved
    }
}

const NAT64: u128 = 0x0064_ff9b_0000_0000_0000_0000_0000_0000;
const GLOBAL_UNICAST: u128 = 0x2000_0000_0000_0000_0000_0000_0000_0000;

fn prefix_matches_u32(bits: u32, net: u32, len: u8) -> bool {
    let mask = u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
    bits & mask == net
}

fn prefix_matches_u128(bits: u128, net: u128, len: u8) -> bool {
    let mask = u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0);
    bits & mask == net
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(s: &str) -> NetClass {
        net_class(s.parse().expect("test address"))
    }

    #[test]
    fn ipv4_table() {
        let cases = [
            ("0.0.0.0", NetClass::Reserved),
            ("0.255.255.255", NetClass::Reserved),
            ("1.0.0.0", NetClass::Public),
            ("9.255.255.255", NetClass::Public),
            ("10.0.0.0", NetClass::Private),
            ("10.255.255.255", NetClass::Private),
            ("11.0.0.0", NetClass::Public),
            ("100.63.255.255", NetClass::Public),
            ("100.64.0.0", NetClass::Private),
            ("100.127.255.255", NetClass::Private),
            ("100.128.0.0", NetClass::Public),
            ("127.0.0.1", NetClass::Loopback),
            ("127.255.255.254", NetClass::Loopback),
            ("169.254.1.1", NetClass::LinkLocal),
            ("169.255.0.1", NetClass::Public),
            ("172.15.255.255", NetClass::Public),
            ("172.16.0.0", NetClass::Private),
            ("172.31.255.255", NetClass::Private),
            ("172.32.0.0", NetClass::Public),
            ("192.0.0.8", NetClass::Reserved),
            ("192.0.1.1", NetClass::Public),
            ("192.0.2.1", NetClass::Reserved),
            ("192.167.255.255", NetClass::Public),
            ("192.168.1.1", NetClass::Private),
            ("192.169.0.0", NetClass::Public),
            ("198.17.255.255", NetClass::Public),
            ("198.18.0.0", NetClass::Reserved),
            ("198.19.255.255", NetClass::Reserved),
            ("198.20.0.0", NetClass::Public),
            ("198.51.100.7", NetClass::Reserved),
            ("203.0.113.200", NetClass::Reserved),
            ("203.0.114.1", NetClass::Public),
            ("223.255.255.255", NetClass::Public),
            ("224.0.0.1", NetClass::Reserved),
            ("239.255.255.255", NetClass::Reserved),
            ("240.0.0.1", NetClass::Reserved),
            ("255.255.255.255", NetClass::Reserved),
            ("8.8.8.8", NetClass::Public),
            ("81.2.69.142", NetClass::Public),
        ];
        for (ip, expected) in cases {
            assert_eq!(class(ip), expected, "{ip}");
        }
    }

    #[test]
    fn ipv6_table() {
        let cases = [
            ("::", NetClass::Reserved),
            ("::1", NetClass::Loopback),
            ("::2", NetClass::Reserved),
            ("::10.0.0.1", NetClass::Reserved),
            ("100::1", NetClass::Reserved),
            ("2001:2::1", NetClass::Reserved),
            ("2001:db8::1", NetClass::Reserved),
            ("2001:db9::1", NetClass::Public),
            ("2001:4860:4860::8888", NetClass::Public),
            ("2a01:cb00::1", NetClass::Public),
            ("3fff::1", NetClass::Reserved),
            ("64:ff9b::808:808", NetClass::Public),
            ("fc00::1", NetClass::Private),
            ("fdff:ffff::1", NetClass::Private),
            ("fe00::1", NetClass::Reserved),
            ("4000::1", NetClass::Reserved),
            ("3ffe:ffff::1", NetClass::Public),
            ("fe80::1", NetClass::LinkLocal),
            ("febf::1", NetClass::LinkLocal),
            ("fec0::1", NetClass::Private),
            ("ff02::1", NetClass::Reserved),
        ];
        for (ip, expected) in cases {
            assert_eq!(class(ip), expected, "{ip}");
        }
    }

    #[test]
    fn mapped_ipv4_is_classified_as_ipv4() {
        assert_eq!(class("::ffff:10.1.2.3"), NetClass::Private);
        assert_eq!(class("::ffff:127.0.0.1"), NetClass::Loopback);
        assert_eq!(class("::ffff:8.8.8.8"), NetClass::Public);
        assert_eq!(class("::ffff:192.0.2.1"), NetClass::Reserved);
    }
}
