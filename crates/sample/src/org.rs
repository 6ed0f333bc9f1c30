//! The fictional organisation: a French hospital, its staff, shared mailboxes, its
//! administrator and its business partner, and the lookalike domains the attacker uses.

use crate::ids;
use crate::network::{self, Place};
use fastrand::Rng;

const FIRST: [&str; 24] = [
    "Marie",
    "Jean",
    "Nathalie",
    "Pierre",
    "Isabelle",
    "Philippe",
    "Sylvie",
    "Laurent",
    "Céline",
    "Stéphane",
    "Hélène",
    "François",
    "Aurélie",
    "Jérôme",
    "Émilie",
    "Frédéric",
    "Chloé",
    "Sébastien",
    "Camille",
    "Grégoire",
    "Léa",
    "Benoît",
    "Inès",
    "Maël",
];
const LAST: [&str; 29] = [
    "Martin",
    "Bernard",
    "Le Goff",
    "Petit",
    "Durand",
    "Lefèvre",
    "Moreau",
    "Garnier",
    "Rousseau",
    "Fontaine",
    "Chevalier",
    "Guérin",
    "Le Gall",
    "Mercier",
    "Boyer",
    "Lambert",
    "Bonnet",
    "Faure",
    "André",
    "Gauthier",
    "Perrin",
    "Morvan",
    "Clément",
    "Riou",
    "Nicolas",
    "Dubois",
    "Hamon",
    "Le Roux",
    "Kerbrat",
];
const TITLES: [&str; 8] = [
    "Infirmier(e)",
    "Cadre de santé",
    "Secrétaire médical(e)",
    "Médecin",
    "Assistant(e) administratif(ve)",
    "Pharmacien(ne)",
    "Technicien(ne) de laboratoire",
    "Chargé(e) de communication",
];

/// What kind of account this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// An ordinary member of staff.
    Staff,
    /// The victim: billing officer who talks to the partner.
    Billing,
    /// The treasurer, who pays suppliers.
    Treasury,
    /// The IT administrator.
    Admin,
    /// The user whose mailbox is polled by myMail.
    Aggregator,
}

/// One person with a mailbox.
#[derive(Debug)]
pub(crate) struct Person {
    /// Sign-in name, lower case.
    pub upn: String,
    /// Display name (with accents).
    pub display: String,
    /// Job title.
    pub title: &'static str,
    /// Role in the story.
    pub role: Role,
    /// Entra object id.
    pub object_id: String,
    /// UAL `UserKey` (PUID).
    pub puid: String,
    /// Exchange `MailboxOwnerSid`.
    pub sid: String,
    /// Exchange `MailboxGuid`.
    pub mailbox_guid: String,
    /// Home public IP (IPv4 or IPv6).
    pub home_ip: String,
    /// Mobile carrier IP.
    pub mobile_ip: String,
    /// Where they live.
    pub place: Place,
    /// Outlook for iOS (else Android).
    pub ios: bool,
    /// Works from home some days.
    pub teleworks: bool,
    /// Writes their sign-in name in a case of their own (UPN case variation).
    pub typed_upn: String,
}

/// ASCII sign-in form of a name part: accents removed, spaces and apostrophes dropped.
pub(crate) fn ascii_fold(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'à' | 'â' | 'ä' => Some('a'),
            'é' | 'è' | 'ê' | 'ë' | 'É' => Some('e'),
            'î' | 'ï' => Some('i'),
            'ô' | 'ö' => Some('o'),
            'ù' | 'û' | 'ü' => Some('u'),
            'ç' => Some('c'),
            ' ' | '\'' => None,
            c => Some(c.to_ascii_lowercase()),
        })
        .collect()
}

impl Person {
    /// Builds person number `index` of the organisation (names cycle without repeating
    /// a pair for the first few hundred).
    pub(crate) fn new(rng: &mut Rng, index: usize, domain: &str, role: Role) -> Person {
        let first = FIRST[index % FIRST.len()];
        let last = LAST[(index * 7 + index / FIRST.len()) % LAST.len()];
        let round = index / (FIRST.len() * LAST.len());
        let suffix = if round == 0 {
            String::new()
        } else {
            round.to_string()
        };
        let upn = format!(
            "{}.{}{suffix}@{domain}",
            ascii_fold(first),
            ascii_fold(last)
        );
        let isp = network::HOME_ISPS[rng.usize(..network::HOME_ISPS.len())];
        // Every fifth person has IPv6 at home and works from there, so IPv6 always shows up.
        let v6 = index % 5 == 2;
        let home_ip = if v6 || rng.u8(..10) == 0 {
            network::home_ipv6(rng)
        } else {
            isp.host(rng)
        };
        let typed_upn = if index % 6 == 1 {
            capitalised(&upn)
        } else {
            upn.clone()
        };
        Person {
            display: format!("{first} {}", last.to_uppercase()),
            title: TITLES[index % TITLES.len()],
            role,
            object_id: ids::guid(rng),
            puid: ids::puid(rng),
            sid: ids::sid(rng),
            mailbox_guid: ids::guid(rng),
            home_ip,
            mobile_ip: network::BOUYGUES.host(rng),
            place: network::FRENCH_PLACES[rng.usize(..network::FRENCH_PLACES.len())],
            ios: rng.bool(),
            teleworks: v6 || rng.u8(..3) == 0,
            typed_upn,
            upn,
        }
    }
}

/// `marie.martin@x.fr` as a user may type it: `Marie.Martin@X.fr`.
fn capitalised(upn: &str) -> String {
    let mut out = String::with_capacity(upn.len());
    let mut up = true;
    for c in upn.chars() {
        out.push(if up { c.to_ascii_uppercase() } else { c });
        up = matches!(c, '.' | '@' | '-');
    }
    out
}

/// The partner the victim invoices.
#[derive(Debug)]
pub(crate) struct Partner {
    /// Organisation name.
    pub name: &'static str,
    /// Mail domain.
    pub domain: &'static str,
    /// The accounts-payable contact.
    pub contact: &'static str,
    /// The partner's inbound mail server.
    pub mx_ip: &'static str,
}

/// The partner: a private clinic that pays the hospital for laboratory analyses.
pub(crate) const PARTNER: Partner = Partner {
    name: "Clinique du Parc",
    domain: "clinique-du-parc.fr",
    contact: "p.quemener@clinique-du-parc.fr",
    mx_ip: "185.24.184.41",
};

/// The organisation.
#[derive(Debug)]
pub(crate) struct Org {
    /// Display name.
    pub name: String,
    /// Mail domain.
    pub domain: String,
    /// Tenant id.
    pub tenant_id: String,
    /// Everyone with a mailbox who signs in.
    pub people: Vec<Person>,
    /// Shared mailboxes (no sign-ins of their own).
    pub shared: Vec<String>,
    /// Office egress addresses.
    pub office_ips: Vec<String>,
    /// Lookalike used by the phishing sender.
    pub phishing_domain: String,
    /// Lookalike of the organisation used for the fraudulent follow-up.
    pub lookalike_domain: String,
}

impl Org {
    /// Builds an organisation of `users` people (at least 10) on `domain`.
    pub(crate) fn new(rng: &mut Rng, domain: &str, users: usize) -> Org {
        let people = (0..users)
            .map(|i| {
                let role = match i {
                    0 => Role::Admin,
                    3 => Role::Billing,
                    5 => Role::Treasury,
                    8 => Role::Aggregator,
                    _ => Role::Staff,
                };
                Person::new(rng, i, domain, role)
            })
            .collect();
        let shared = ["accueil", "facturation", "secretariat-direction", "rh"]
            .iter()
            .map(|b| format!("{b}@{domain}"))
            .collect();
        Org {
            name: "Centre hospitalier exemple".to_owned(),
            domain: domain.to_owned(),
            tenant_id: ids::guid(rng),
            people,
            shared,
            office_ips: vec!["81.194.40.10".to_owned(), "81.194.40.11".to_owned()],
            phishing_domain: phishing_lookalike(domain),
            lookalike_domain: typo_lookalike(domain),
        }
    }

    /// The first person with this role (every role exists when users >= 10).
    pub(crate) fn with_role(&self, role: Role) -> &Person {
        self.people
            .iter()
            .find(|p| p.role == role)
            .unwrap_or(&self.people[0])
    }
}

/// `hopital-exemple.fr` -> `hopital-exemple-fr.com`: the organisation's name under
/// another suffix, as phishing kits register.
pub(crate) fn phishing_lookalike(domain: &str) -> String {
    format!("{}.com", domain.replace('.', "-"))
}

/// A one-character typo of the domain's first label: `l` -> `1`, else `m` -> `rn`,
/// else `o` -> `0`, else a doubled first letter.
pub(crate) fn typo_lookalike(domain: &str) -> String {
    let (label, rest) = domain.split_once('.').unwrap_or((domain, "fr"));
    for (from, to) in [("l", "1"), ("m", "rn"), ("o", "0")] {
        if let Some(pos) = label.rfind(from) {
            return format!("{}{to}{}.{rest}", &label[..pos], &label[pos + from.len()..]);
        }
    }
    let first = label.chars().next().unwrap_or('x');
    format!("{first}{label}.{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookalikes() {
        assert_eq!(
            phishing_lookalike("hopital-exemple.fr"),
            "hopital-exemple-fr.com"
        );
        assert_eq!(typo_lookalike("hopital-exemple.fr"), "hopital-exemp1e.fr");
        assert_eq!(
            typo_lookalike("univ-test.fr"),
            "univ-test.fr".replacen("univ", "uuniv", 1)
        );
        assert_eq!(typo_lookalike("mairie.fr"), "rnairie.fr");
    }

    #[test]
    fn people_have_distinct_ascii_upns_and_roles() {
        let mut rng = Rng::with_seed(3);
        let org = Org::new(&mut rng, "hopital-exemple.fr", 40);
        let mut upns: Vec<&str> = org.people.iter().map(|p| p.upn.as_str()).collect();
        upns.sort_unstable();
        upns.dedup();
        assert_eq!(upns.len(), 40);
        assert!(upns.iter().all(|u| u.is_ascii() && !u.contains(' ')));
        assert_eq!(org.with_role(Role::Billing).role, Role::Billing);
        assert!(org.people.iter().any(|p| p.typed_upn != p.upn));
    }
}
