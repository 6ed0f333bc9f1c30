//! Identifiers in the shapes Microsoft uses (GUIDs, PUIDs, SIDs, message ids), drawn
//! from the seeded generator so that output is reproducible.

use fastrand::Rng;

const HEX: &[u8; 16] = b"0123456789abcdef";

/// `n` random lower-case hex digits.
pub(crate) fn hex(rng: &mut Rng, n: usize) -> String {
    (0..n).map(|_| char::from(HEX[rng.usize(..16)])).collect()
}

/// A random GUID, `8-4-4-4-12` lower-case hex.
pub(crate) fn guid(rng: &mut Rng) -> String {
    format!(
        "{}-{}-4{}-{}{}-{}",
        hex(rng, 8),
        hex(rng, 4),
        hex(rng, 3),
        char::from(b"89ab"[rng.usize(..4)]),
        hex(rng, 3),
        hex(rng, 12)
    )
}

/// A passport-style user key (16 upper-case hex digits), as in UAL `UserKey`.
pub(crate) fn puid(rng: &mut Rng) -> String {
    format!("100{}", hex(rng, 13)).to_uppercase()
}

/// An on-line SID such as Exchange writes in `MailboxOwnerSid`.
pub(crate) fn sid(rng: &mut Rng) -> String {
    format!(
        "S-1-5-21-{}-{}-{}-{}",
        rng.u32(1_000_000_000..4_000_000_000),
        rng.u32(1_000_000_000..4_000_000_000),
        rng.u32(1_000_000_000..4_000_000_000),
        rng.u32(10_000_000..99_999_999)
    )
}

/// An Exchange Online server name in the EU forest, e.g. `PR3P192MB0821`.
pub(crate) fn exo_server(rng: &mut Rng) -> String {
    const PREFIXES: [&str; 4] = ["PR3P192MB", "AM0PR07MB", "DB9PR02MB", "PAXPR08MB"];
    format!(
        "{}{:04}",
        PREFIXES[rng.usize(..PREFIXES.len())],
        rng.u32(1000..9999)
    )
}

/// An `Internet-Message-Id` as Exchange Online builds it for mail written in the tenant.
pub(crate) fn exo_message_id(rng: &mut Rng) -> String {
    let server = exo_server(rng);
    format!(
        "<{server}{}@{server}.EURP192.PROD.OUTLOOK.COM>",
        hex(rng, 16).to_uppercase()
    )
}

/// An `Internet-Message-Id` as another mail system builds it.
pub(crate) fn foreign_message_id(rng: &mut Rng, domain: &str) -> String {
    format!("<{}.{}@{domain}>", hex(rng, 12), rng.u32(100_000..999_999))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guid_shape() {
        let mut rng = Rng::with_seed(7);
        let g = guid(&mut rng);
        let parts: Vec<usize> = g.split('-').map(str::len).collect();
        assert_eq!(parts, vec![8, 4, 4, 4, 12]);
        assert!(g.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    }

    #[test]
    fn message_ids_are_bracketed() {
        let mut rng = Rng::with_seed(7);
        let m = exo_message_id(&mut rng);
        assert!(m.starts_with('<') && m.ends_with(".PROD.OUTLOOK.COM>"));
        assert!(foreign_message_id(&mut rng, "ex.fr").ends_with("@ex.fr>"));
    }
}
