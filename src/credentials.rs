//! Credentials in URLs: taken out of a URL once, where it enters pagefeed, and kept
//! apart from it from then on.
//!
//! Contract: a feed `url` such as `https://user:pw@host/news` is split at load time
//! into the URL without its userinfo (what every later stage sees, stores, logs,
//! prints and publishes) and [`Credentials`] bound to that URL's origin (scheme, host,
//! port). Only the fetcher reads them, to send HTTP basic auth on requests to that
//! origin, never to another one. Userinfo that arrives any other way (a link on a
//! page, a redirect target) is dropped with [`strip_userinfo`], and the writers pass
//! every URL they publish through [`public_url`], so a history written before this
//! split cannot leak one either. `Credentials` has no `Display`, and its `Debug` shows
//! the origin only.

use percent_encoding::percent_decode_str;
use url::{Origin, Url};

/// HTTP basic-auth credentials taken from a URL's userinfo, valid only for the origin
/// of that URL.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    origin: Origin,
    username: String,
    password: Option<String>,
    /// The password as the URL wrote it (percent-encoded), for [`Credentials::redact`].
    encoded_password: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the user name or password: a `{:?}` of a config must be safe to log.
        write!(f, "Credentials(for {})", self.origin.ascii_serialization())
    }
}

impl Credentials {
    /// Whether a request to `url` may carry these credentials: only to the very
    /// origin (scheme, host and port) they were given for.
    pub fn applies_to(&self, url: &Url) -> bool {
        url.origin() == self.origin
    }

    /// The user name, percent-decoded.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The password, percent-decoded, if one was given.
    pub fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }

    /// `text` with the password (as given and percent-decoded) replaced by `***`: for
    /// messages stored before credentials were split from URLs.
    pub fn redact(&self, text: &str) -> String {
        match self.password.as_deref() {
            Some(pw) if !pw.is_empty() => {
                let text = text.replace(pw, "***");
                match self.encoded_password.as_deref() {
                    Some(enc) if !enc.is_empty() => text.replace(enc, "***"),
                    _ => text,
                }
            }
            _ => text.to_string(),
        }
    }
}

/// Splits a URL into the URL without userinfo and the credentials it carried (none
/// when it had neither a user name nor a password).
pub fn split_userinfo(mut url: Url) -> (Url, Option<Credentials>) {
    if url.username().is_empty() && url.password().is_none() {
        return (url, None);
    }
    let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
    let creds = Credentials {
        origin: url.origin(),
        username: decode(url.username()),
        password: url.password().map(decode),
        encoded_password: url.password().map(str::to_string),
    };
    strip_userinfo(&mut url);
    (url, Some(creds))
}

/// Removes a URL's user name and password, if any.
pub fn strip_userinfo(url: &mut Url) {
    if !url.username().is_empty() {
        let _ = url.set_username("");
    }
    if url.password().is_some() {
        let _ = url.set_password(None);
    }
}

/// A URL as it may be published, logged or printed: without userinfo.
pub fn public_url(url: &Url) -> String {
    if url.username().is_empty() && url.password().is_none() {
        return url.to_string();
    }
    let mut u = url.clone();
    strip_userinfo(&mut u);
    u.to_string()
}

/// [`public_url`] for a URL held as a string (a stored home page or item id); a string
/// that is not a URL is returned as it is.
pub fn public_url_str(s: &str) -> String {
    if !s.contains('@') {
        return s.to_string();
    }
    match Url::parse(s) {
        Ok(u) => public_url(&u),
        Err(_) => s.to_string(),
    }
}

/// A URL-like string with any userinfo (`user:pw@` after `scheme://`) replaced by
/// `***@`, for messages about strings that may not even parse as URLs.
pub fn redact_userinfo_str(s: &str) -> String {
    let Some(start) = s.find("://").map(|i| i + 3) else {
        return s.to_string();
    };
    let rest = &s[start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{}***{}", &s[..start], &rest[at..]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_is_split_off_and_bound_to_the_origin() {
        let url = Url::parse("http://ann:p%40ss%20w@127.0.0.1:8080/news?x=1").unwrap();
        let (clean, creds) = split_userinfo(url);
        assert_eq!(clean.as_str(), "http://127.0.0.1:8080/news?x=1");
        let creds = creds.unwrap();
        assert_eq!(creds.username(), "ann");
        assert_eq!(creds.password(), Some("p@ss w"));
        assert!(creds.applies_to(&Url::parse("http://127.0.0.1:8080/robots.txt").unwrap()));
        assert!(!creds.applies_to(&Url::parse("http://127.0.0.1:8081/").unwrap()));
        assert!(!creds.applies_to(&Url::parse("https://127.0.0.1:8080/").unwrap()));
        assert!(!creds.applies_to(&Url::parse("http://localhost:8080/").unwrap()));
        assert_eq!(
            format!("{creds:?}"),
            "Credentials(for http://127.0.0.1:8080)"
        );
        assert_eq!(creds.redact("GET p@ss w and p%40ss%20w"), "GET *** and ***");
    }

    #[test]
    fn messages_about_unparsable_urls_hide_the_userinfo() {
        assert_eq!(
            redact_userinfo_str("ftp://ann:s3cret@host/x@y"),
            "ftp://***@host/x@y"
        );
        assert_eq!(redact_userinfo_str("https://host/a@b"), "https://host/a@b");
        assert_eq!(redact_userinfo_str("no url"), "no url");
    }

    #[test]
    fn a_url_without_userinfo_has_no_credentials() {
        let (clean, creds) = split_userinfo(Url::parse("https://example.com/a").unwrap());
        assert_eq!(clean.as_str(), "https://example.com/a");
        assert!(creds.is_none());
    }

    #[test]
    fn public_urls_never_carry_userinfo() {
        let u = Url::parse("https://bob:secret@example.com/x").unwrap();
        assert_eq!(public_url(&u), "https://example.com/x");
        assert_eq!(public_url_str(u.as_str()), "https://example.com/x");
        assert_eq!(
            public_url_str("urn:pagefeed:alert:a:1"),
            "urn:pagefeed:alert:a:1"
        );
        let only_user = Url::parse("https://bob@example.com/x").unwrap();
        assert_eq!(public_url(&only_user), "https://example.com/x");
    }
}
