//! Site identity: which hosts are one site.
//!
//! Contract: [`registrable`] gives the registrable domain of a host by the Public
//! Suffix List (the `psl` crate), the unit "the page's own site" is measured in by
//! discovery and by a canonical URL's check; [`registered_name`] is the label before
//! the public suffix, the name extraction strips from titles and bylines;
//! [`host_allowed`] matches a host against a feed's `allow_hosts`. Pure string
//! functions: no DNS, no I/O.

/// Whether `host` is one of `allowed` (lower-case names, as `allow_hosts` holds them)
/// or a subdomain of one.
pub fn host_allowed(host: &str, allowed: &[String]) -> bool {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    allowed
        .iter()
        .any(|a| h == *a || h.strip_suffix(a.as_str()).is_some_and(|p| p.ends_with('.')))
}

/// The registrable part of a host by the Public Suffix List: `www.example.co.uk` →
/// `example.co.uk`, `alice.github.io` stays whole (each GitHub Pages host is its own
/// site). IP addresses and unknown suffixes are kept whole.
pub fn registrable(host: &str) -> String {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
        return host;
    }
    psl::domain_str(&host).map(str::to_string).unwrap_or(host)
}

/// The registered name of a host: the label before its public suffix ("bbc" for
/// `www.bbc.co.uk`, "elpais" for `elpais.com.uy`, "mynavi" for `news.mynavi.jp`,
/// "alice" for `alice.github.io`), lower case. `None` for an IP address or a host that
/// is itself a public suffix.
pub fn registered_name(host: &str) -> Option<String> {
    let domain = registrable(host);
    if domain.parse::<std::net::IpAddr>().is_ok() || domain.starts_with('[') {
        return None;
    }
    let (name, suffix) = domain.split_once('.')?;
    (!suffix.is_empty()).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrable_domains() {
        assert_eq!(registrable("www.example.com"), "example.com");
        assert_eq!(registrable("news.example.co.uk"), "example.co.uk");
        assert_eq!(registrable("example.com."), "example.com");
        assert_eq!(registrable("alice.github.io"), "alice.github.io");
        assert_eq!(registrable("127.0.0.1"), "127.0.0.1");
    }
}
