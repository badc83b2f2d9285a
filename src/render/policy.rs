//! Which requests a page loaded in the browser may make.
//!
//! Contract: [`Policy::check`] decides one request the browser is about to send (the
//! page itself, a redirect hop, a script, a stylesheet, an XHR or `fetch()` of the
//! page's script, a frame) from its URL and resource type alone, with the same rules a
//! plain fetch follows: the SSRF guard of [`crate::fetch::guard`] (no loopback, private
//! or link-local address when the feed's listing is public; `http(s)` only), and only
//! the feed's own site (its registrable domain) or a host of `allow_hosts`. Images,
//! fonts and media are never loaded: no feed needs them, and they are most of a page's
//! bytes. [`Policy::check_dns`] does the guard's DNS part for a host name. This module
//! decides; it sends no request but DNS look-ups.

use url::Url;

use crate::fetch::guard::{self, Refusal};

/// What a browser request is for, as far as the policy cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An image, a font or a media file: never loaded.
    Heavy,
    /// Anything else (document, script, stylesheet, XHR, fetch, frame …).
    Other,
}

/// Why a browser request was not sent. The message names the URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Blocked {
    /// Images, fonts and media are not loaded.
    #[error("{0}: images, fonts and media are not loaded")]
    Heavy(String),
    /// Not on the feed's site nor on a host of `allow_hosts`.
    #[error("{0}: not on the feed's site or a host of allow_hosts")]
    OtherSite(String),
    /// Not an `http(s)` URL (`file:`, `ftp:`, `chrome:` …).
    #[error("{0}: the browser loads http(s) URLs only")]
    Scheme(String),
    /// The SSRF guard refused it.
    #[error(transparent)]
    Guard(#[from] Refusal),
}

/// The rules for one feed's pages.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The feed's `url`: its registrable domain is the feed's site.
    pub listing: Url,
    /// The feed's `allow_hosts`.
    pub allow_hosts: Vec<String>,
    /// Whether the listing is itself local, so private addresses may be reached (see
    /// [`guard::source_is_local`]).
    pub allow_private: bool,
}

impl Policy {
    /// Decides a request by its URL and kind. `data:`, `blob:` and `about:` URLs make no
    /// network request and pass.
    pub fn check(&self, url: &Url, kind: Kind) -> Result<(), Blocked> {
        if matches!(url.scheme(), "data" | "blob" | "about") {
            return Ok(());
        }
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Blocked::Scheme(url.to_string()));
        }
        if kind == Kind::Heavy {
            return Err(Blocked::Heavy(url.to_string()));
        }
        if !crate::discover::on_site(url, &[&self.listing], &self.allow_hosts) {
            return Err(Blocked::OtherSite(url.to_string()));
        }
        guard::check_target(url, self.allow_private)?;
        Ok(())
    }

    /// The guard's DNS part, for a URL [`Policy::check`] passed: a host name any of
    /// whose addresses is loopback, private or link-local is refused when the listing
    /// is public. (Stricter than the plain fetcher's resolver, which keeps the public
    /// addresses of a mixed name: the browser resolves the name again itself and might
    /// pick any of them.) A name that does not resolve passes: the browser's own
    /// request then fails.
    pub async fn check_dns(&self, url: &Url) -> Result<(), Blocked> {
        if self.allow_private || guard::host_is_local(url).is_some() {
            return Ok(());
        }
        let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default()) else {
            return Ok(());
        };
        let private = match tokio::net::lookup_host((host, port)).await {
            Ok(mut addrs) => addrs.any(|a| guard::is_private_ip(a.ip())),
            Err(_) => false,
        };
        if private {
            return Err(Refusal::PrivateName(host.to_string()).into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn public() -> Policy {
        Policy {
            listing: u("https://news.example.com/latest"),
            allow_hosts: vec!["cdn.example.net".into()],
            allow_private: false,
        }
    }

    #[test]
    fn the_site_and_allow_hosts_pass_and_other_hosts_do_not() {
        let p = public();
        for ok in [
            "https://news.example.com/app.js",
            "https://www.example.com/api/posts",
            "https://cdn.example.net/lib.js",
            "https://img.cdn.example.net/lib.js",
            "data:text/javascript,1",
            "about:blank",
        ] {
            assert_eq!(p.check(&u(ok), Kind::Other), Ok(()), "{ok}");
        }
        assert_eq!(
            p.check(&u("https://tracker.example.org/t.js"), Kind::Other),
            Err(Blocked::OtherSite(
                "https://tracker.example.org/t.js".into()
            ))
        );
        assert_eq!(
            p.check(&u("https://news.example.com/a.png"), Kind::Heavy)
                .unwrap_err()
                .to_string(),
            "https://news.example.com/a.png: images, fonts and media are not loaded"
        );
        assert!(matches!(
            p.check(&u("file:///etc/passwd"), Kind::Other),
            Err(Blocked::Scheme(_))
        ));
    }

    #[test]
    fn the_ssrf_guard_applies_to_a_public_listing_only() {
        let mut p = public();
        p.allow_hosts.push("169.254.169.254".into());
        let metadata = u("http://169.254.169.254/latest/meta-data/");
        assert_eq!(
            p.check(&metadata, Kind::Other),
            Err(Blocked::Guard(Refusal::Private(metadata.to_string())))
        );
        // A local listing may reach its own (local) site.
        let local = Policy {
            listing: u("http://127.0.0.1:8080/"),
            allow_hosts: Vec::new(),
            allow_private: true,
        };
        assert_eq!(
            local.check(&u("http://127.0.0.1:9000/api"), Kind::Other),
            Ok(())
        );
        assert!(matches!(
            local.check(&u("http://localhost:9000/api"), Kind::Other),
            Err(Blocked::OtherSite(_))
        ));
    }

    #[tokio::test]
    async fn a_name_resolving_to_a_private_address_is_refused_for_a_public_listing() {
        let mut p = public();
        p.allow_hosts.push("localhost".into());
        // `localhost` is decided without DNS by `check` (a local literal name).
        assert!(p
            .check(&u("http://localhost/"), Kind::Other)
            .is_err_and(|e| matches!(e, Blocked::Guard(_))));
        // A name that does not resolve passes the DNS check (the request fails itself).
        assert_eq!(p.check_dns(&u("http://nowhere.invalid/")).await, Ok(()));
    }
}
