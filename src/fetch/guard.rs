//! The SSRF guard and the redirect policy.
//!
//! Contract: a request whose *source* is public — the feed's own `url` names a public
//! host — never reaches a loopback, private, link-local, unique-local or otherwise
//! non-public address, neither by the URL it was given (an item link on the listing),
//! nor by a redirect hop, nor by a DNS name that resolves there. The check is done on
//! the address actually connected to (a resolver that drops such addresses), so a DNS
//! name that changes its answer between a check and the connection cannot slip
//! through. A source that is itself local (`127.0.0.1`, `localhost`, an intranet name
//! that resolves to a private address, a `file://` listing) may reach anything: the
//! user asked for it. Every redirect, guarded or not, must stay on `http(s)` and within
//! `max_redirects` hops. This module makes decisions; it does no request of its own
//! but DNS look-ups.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::redirect::{Attempt, Policy};
use url::{Host, Url};

/// Why the guard refused a request or a redirect hop. Its message names the URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The target's address is not public and the feed's source is.
    #[error("refused {0}: its address is loopback, private or link-local, and the feed's source is public")]
    Private(String),
    /// A DNS name resolved only to addresses the guard refuses.
    #[error("refused {0}: resolves only to loopback, private or link-local addresses, and the feed's source is public")]
    PrivateName(String),
    /// A redirect left `http(s)`.
    #[error("refused redirect to {0}: not an http(s) URL")]
    Scheme(String),
    /// More hops than `max_redirects`: a loop, or a chain too long to be honest.
    #[error("too many redirects (more than max_redirects = {max}), last to {url}")]
    TooMany {
        /// The hop that went over the limit.
        url: String,
        /// The configured limit.
        max: usize,
    },
}

/// True for addresses a public web page has no business making us reach: loopback,
/// RFC 1918 private, carrier-grade NAT, link-local (cloud metadata lives there),
/// unspecified, broadcast, multicast, documentation and benchmarking ranges, IPv6
/// unique-local and link-local, and IPv4 addresses smuggled in IPv6 (mapped,
/// compatible, NAT64 well-known prefix).
pub fn is_private_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_private_v4(v4),
        IpAddr::V6(v6) => is_private_v6(v6),
    }
}

fn is_private_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0 // "this network"
        || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT, 100.64/10
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments, 192.0.0/24
        || (a == 198 && (b == 18 || b == 19)) // benchmarking, 198.18/15
        || a >= 240 // reserved
}

fn is_private_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_private_v4(v4);
    }
    let seg = ip.segments();
    // IPv4-compatible (::a.b.c.d, deprecated) and NAT64 (64:ff9b::/96) carry an IPv4.
    let embedded = Ipv4Addr::new(
        (seg[6] >> 8) as u8,
        seg[6] as u8,
        (seg[7] >> 8) as u8,
        seg[7] as u8,
    );
    if seg[..6] == [0; 6] && !ip.is_loopback() && !ip.is_unspecified() {
        return is_private_v4(embedded);
    }
    if seg[0] == 0x64 && seg[1] == 0xff9b && seg[2..6] == [0; 4] {
        return is_private_v4(embedded);
    }
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (seg[0] & 0xfe00) == 0xfc00 // unique local, fc00::/7
        || (seg[0] & 0xffc0) == 0xfe80 // link-local, fe80::/10
        || (seg[0] & 0xffc0) == 0xfec0 // site-local (deprecated), fec0::/10
        || (seg[0] == 0x2001 && seg[1] == 0x0db8) // documentation
}

/// What the URL's host says without a DNS look-up: `Some(true)` for a non-public
/// literal address or a `localhost` name, `Some(false)` for a public literal address,
/// `None` for a DNS name that must be resolved to know.
pub fn host_is_local(url: &Url) -> Option<bool> {
    match url.host()? {
        Host::Ipv4(ip) => Some(is_private_v4(ip)),
        Host::Ipv6(ip) => Some(is_private_v6(ip)),
        Host::Domain(d) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            (d == "localhost" || d.ends_with(".localhost")).then_some(true)
        }
    }
}

/// Whether a feed whose listing is `source` may reach private addresses: true for
/// `file://`, a local literal address or name, or a DNS name any of whose addresses is
/// private (an intranet site the user pointed us at). A name that does not resolve
/// counts as public: the guard stays on, and the request fails on its own.
pub async fn source_is_local(source: &Url) -> bool {
    if !matches!(source.scheme(), "http" | "https") {
        return true;
    }
    if let Some(local) = host_is_local(source) {
        return local;
    }
    let (Some(host), Some(port)) = (source.host_str(), source.port_or_known_default()) else {
        return false;
    };
    match tokio::net::lookup_host((host, port)).await {
        Ok(addrs) => addrs.into_iter().any(|a| is_private_ip(a.ip())),
        Err(_) => false,
    }
}

/// Checks a target before any request: refuses a non-public literal address or a
/// `localhost` name when private addresses are not allowed. DNS names are left to
/// [`PublicOnlyResolver`], which checks the addresses actually used.
pub fn check_target(url: &Url, allow_private: bool) -> Result<(), Refusal> {
    if !allow_private && host_is_local(url) == Some(true) {
        return Err(Refusal::Private(url.to_string()));
    }
    Ok(())
}

/// Decides one redirect hop. `hops` counts the redirects followed so far, this one
/// included.
pub fn check_redirect(
    next: &Url,
    hops: usize,
    max: usize,
    allow_private: bool,
) -> Result<(), Refusal> {
    if !matches!(next.scheme(), "http" | "https") {
        return Err(Refusal::Scheme(next.to_string()));
    }
    if hops > max {
        return Err(Refusal::TooMany {
            url: next.to_string(),
            max,
        });
    }
    check_target(next, allow_private)
}

/// The redirect policy of a client: [`check_redirect`] on every hop.
pub fn redirect_policy(max: usize, allow_private: bool) -> Policy {
    Policy::custom(move |attempt: Attempt| {
        // `previous` holds the first URL and every hop followed before this one.
        let hops = attempt.previous().len();
        match check_redirect(attempt.url(), hops, max, allow_private) {
            Ok(()) => attempt.follow(),
            Err(e) => attempt.error(e),
        }
    })
}

/// A resolver that keeps only public addresses, for requests whose source is public.
/// A name left with none fails with [`Refusal::PrivateName`].
#[derive(Debug, Default)]
pub struct PublicOnlyResolver;

impl Resolve for PublicOnlyResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public = public_only(&host, addrs)?;
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

/// The public addresses among a name's, or the refusal when there are none (and
/// there were some: a name that resolves to nothing is the resolver's error).
fn public_only(host: &str, addrs: Vec<SocketAddr>) -> Result<Vec<SocketAddr>, Refusal> {
    let any = !addrs.is_empty();
    let public: Vec<SocketAddr> = addrs
        .into_iter()
        .filter(|a| !is_private_ip(a.ip()))
        .collect();
    if any && public.is_empty() {
        return Err(Refusal::PrivateName(host.to_string()));
    }
    Ok(public)
}

/// The guard's refusal, if it is what stopped a request (the client wraps it).
pub fn refusal_in(e: &(dyn std::error::Error + 'static)) -> Option<Refusal> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(r) = err.downcast_ref::<Refusal>() {
            return Some(r.clone());
        }
        cur = err.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn private_and_public_addresses() {
        for s in [
            "127.0.0.1",
            "127.8.9.10",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::127.0.0.1",
            "64:ff9b::a9fe:a9fe",
        ] {
            assert!(is_private_ip(ip(s)), "{s} is not public");
        }
        for s in [
            "93.184.216.34",
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(!is_private_ip(ip(s)), "{s} is public");
        }
    }

    #[test]
    fn literal_hosts_are_decided_without_dns() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert_eq!(host_is_local(&u("http://127.0.0.1:8080/")), Some(true));
        assert_eq!(host_is_local(&u("http://[::1]/")), Some(true));
        assert_eq!(host_is_local(&u("http://LOCALHOST./x")), Some(true));
        assert_eq!(host_is_local(&u("http://app.localhost/")), Some(true));
        assert_eq!(host_is_local(&u("http://8.8.8.8/")), Some(false));
        assert_eq!(host_is_local(&u("https://example.com/")), None);
        // Decimal and hex spellings of 127.0.0.1 are normalised by the URL parser.
        assert_eq!(host_is_local(&u("http://2130706433/")), Some(true));
        assert_eq!(host_is_local(&u("http://0x7f.1/")), Some(true));
    }

    #[test]
    fn targets_and_redirects() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(check_target(&u("http://10.0.0.1/admin"), true).is_ok());
        assert_eq!(
            check_target(&u("http://10.0.0.1/admin"), false),
            Err(Refusal::Private("http://10.0.0.1/admin".into()))
        );
        assert!(check_target(&u("https://example.com/"), false).is_ok());
        // A public source redirected to loopback or cloud metadata: refused.
        for next in [
            "http://127.0.0.1:9/",
            "http://169.254.169.254/latest/meta-data/",
            "http://[fd00::1]/",
        ] {
            let e = check_redirect(&u(next), 1, 10, false).unwrap_err();
            assert!(e.to_string().contains(next), "{e}");
        }
        // The same hop from a local source is followed.
        assert!(check_redirect(&u("http://127.0.0.1:9/"), 1, 10, true).is_ok());
        // Non-http schemes are refused whatever the source.
        for next in [
            "file:///etc/passwd",
            "ftp://example.com/",
            "javascript:alert(1)",
        ] {
            assert!(matches!(
                check_redirect(&u(next), 1, 10, true),
                Err(Refusal::Scheme(_))
            ));
        }
        assert!(check_redirect(&u("http://a.example/"), 10, 10, true).is_ok());
        let e = check_redirect(&u("http://a.example/"), 11, 10, true).unwrap_err();
        assert_eq!(
            e.to_string(),
            "too many redirects (more than max_redirects = 10), last to http://a.example/"
        );
    }

    #[test]
    fn resolver_keeps_only_public_addresses() {
        let sa = |s: &str| -> SocketAddr { s.parse().unwrap() };
        assert_eq!(
            public_only("mixed.example", vec![sa("10.0.0.1:0"), sa("8.8.8.8:0")]),
            Ok(vec![sa("8.8.8.8:0")])
        );
        assert_eq!(
            public_only("intranet.example", vec![sa("10.0.0.1:0"), sa("[::1]:0")]),
            Err(Refusal::PrivateName("intranet.example".into()))
        );
    }

    #[tokio::test]
    async fn local_sources() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(source_is_local(&u("file:///tmp/listing.html")).await);
        assert!(source_is_local(&u("http://127.0.0.1:8080/")).await);
        assert!(source_is_local(&u("http://localhost/")).await);
        assert!(!source_is_local(&u("http://8.8.8.8/")).await);
        // A name that does not resolve (the .invalid TLD never does) keeps the guard on.
        assert!(!source_is_local(&u("http://nowhere.invalid/")).await);
    }
}
