//! Credentials: the one place that decides what secret goes with which request.
//!
//! Contract: two ways in, one set of rules.
//!
//! - A feed `url` such as `https://user:pw@host/news` is split at load time into the URL
//!   without its userinfo (what every later stage sees, stores, logs, prints and
//!   publishes) and [`Credentials`] bound to that URL's *origin* (scheme, host, port).
//! - A feed's `headers`, `cookies_file`, `cookie` and `basic_auth` keys (issue 15) become
//!   [`Credentials`] bound to the listing's *site*: its registrable domain by the Public
//!   Suffix List, over the listing's scheme (an `https` listing's credentials never go
//!   over plain `http`). When the URL also carried userinfo, everything is bound to the
//!   origin, the narrower scope.
//!
//! Only the fetcher reads them, and only through [`Credentials::applies_to`] and
//! [`Credentials::for_request`], on every request and on every redirect hop, so a
//! request to another host (an item link, that host's robots.txt, a redirect there)
//! carries none of them. Userinfo that arrives any other way (a link on a page, a
//! redirect target) is dropped with [`strip_userinfo`], and the writers pass every URL
//! they publish through [`public_url`]. `Credentials` has no `Display`, its `Debug`
//! shows the scope only, and header values are marked sensitive, so no log line, error
//! or output can show a secret; [`Credentials::redact`] is the last net for text stored
//! by older versions.

use percent_encoding::percent_decode_str;
use reqwest::header::{HeaderName, HeaderValue};
use url::{Origin, Url};

/// What a set of credentials may be sent to.
#[derive(Clone, PartialEq, Eq)]
enum Scope {
    /// One origin: scheme, host and port (a URL's userinfo).
    Origin(Origin),
    /// A site: a registrable domain, over https only when `https_only`.
    Site {
        /// The registrable domain (or the IP address) of the listing.
        domain: String,
        /// The listing was `https`: never send over `http`.
        https_only: bool,
    },
}

impl Scope {
    fn describe(&self) -> String {
        match self {
            Scope::Origin(o) => o.ascii_serialization(),
            Scope::Site { domain, https_only } => {
                format!("site {domain}{}", if *https_only { " (https)" } else { "" })
            }
        }
    }
}

/// A user name and password for HTTP basic auth.
#[derive(Clone, PartialEq, Eq)]
struct Basic {
    username: String,
    password: Option<String>,
    /// The password as the URL wrote it (percent-encoded), for [`Credentials::redact`].
    encoded_password: Option<String>,
}

/// One cookie of a Netscape `cookies.txt` file.
#[derive(Clone, PartialEq, Eq)]
pub struct Cookie {
    /// The domain, lower-case, without a leading dot.
    domain: String,
    /// Whether subdomains of `domain` get it too (a leading dot or `TRUE`).
    subdomains: bool,
    path: String,
    secure: bool,
    /// Expiry as Unix seconds; `0` for a session cookie.
    expires: i64,
    name: String,
    value: String,
}

impl Cookie {
    /// RFC 6265 section 5.4: domain-match, path-match, `secure` over https, not expired.
    fn matches(&self, url: &Url, now: i64) -> bool {
        let Some(host) = url
            .host_str()
            .map(|h| h.trim_end_matches('.').to_ascii_lowercase())
        else {
            return false;
        };
        let domain_ok = host == self.domain
            || (self.subdomains
                && host.len() > self.domain.len()
                && host.ends_with(&self.domain)
                && host.as_bytes()[host.len() - self.domain.len() - 1] == b'.');
        let path = url.path();
        let path_ok = path == self.path
            || (path.starts_with(&self.path)
                && (self.path.ends_with('/') || path[self.path.len()..].starts_with('/')));
        domain_ok
            && path_ok
            && (!self.secure || url.scheme() == "https")
            && (self.expires == 0 || self.expires > now)
    }
}

/// Credentials for a feed's requests, each valid only for its scope (see the module
/// docs).
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    scope: Scope,
    basic: Option<Basic>,
    /// `headers`, in the order written; values marked sensitive.
    headers: Vec<(HeaderName, HeaderValue)>,
    /// Cookies read from `cookies_file`.
    jar: Vec<Cookie>,
    /// The raw `cookie` value.
    cookie: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never a name, password, header value or cookie: a `{:?}` of a config must be
        // safe to log.
        write!(f, "Credentials(for {})", self.scope.describe())
    }
}

/// What a request to one URL carries: extra headers (sensitive) and basic auth.
#[derive(Default)]
pub struct ForRequest<'a> {
    /// Headers to set, the `Cookie` header included.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// User name and password for basic auth.
    pub basic: Option<(&'a str, Option<&'a str>)>,
}

/// The credential keys of one `[[feed]]`, as written (values may hold `${NAME}`), each
/// with its 1-based line for messages.
#[derive(Default)]
pub struct FeedKeys<'a> {
    /// `headers`: name and value.
    pub headers: Vec<(&'a str, &'a str)>,
    /// The line of `headers`.
    pub headers_line: usize,
    /// `cookies_file` and its line.
    pub cookies_file: Option<(&'a str, usize)>,
    /// `cookie` and its line.
    pub cookie: Option<(&'a str, usize)>,
    /// `basic_auth`: user, password and the line.
    pub basic_auth: Option<(&'a str, Option<&'a str>, usize)>,
}

/// A problem with one credential key: its line, the key, and what is wrong (never the
/// value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyProblem {
    /// 1-based line.
    pub line: usize,
    /// The key, e.g. `headers.X-Api-Key`.
    pub key: String,
    /// What is wrong.
    pub message: String,
}

impl Credentials {
    /// Whether a request to `url` may carry these credentials: only inside their
    /// scope (the origin of a URL's userinfo, or the listing's site).
    pub fn applies_to(&self, url: &Url) -> bool {
        match &self.scope {
            Scope::Origin(o) => url.origin() == *o,
            Scope::Site { domain, https_only } => {
                let scheme_ok = match url.scheme() {
                    "https" => true,
                    "http" => !https_only,
                    _ => false,
                };
                scheme_ok
                    && url
                        .host_str()
                        .is_some_and(|h| crate::html::site::registrable(h) == *domain)
            }
        }
    }

    /// What a request to `url` carries at Unix time `now` (for cookie expiry): nothing
    /// outside the scope.
    pub fn for_request(&self, url: &Url, now: i64) -> ForRequest<'_> {
        let mut out = ForRequest::default();
        if !self.applies_to(url) {
            return out;
        }
        out.basic = self
            .basic
            .as_ref()
            .map(|b| (b.username.as_str(), b.password.as_deref()));
        out.headers.clone_from(&self.headers);
        let mut jar: Vec<&Cookie> = self.jar.iter().filter(|c| c.matches(url, now)).collect();
        // Longer paths first (RFC 6265 section 5.4, step 2).
        jar.sort_by_key(|c| std::cmp::Reverse(c.path.len()));
        let mut parts: Vec<String> = jar
            .iter()
            .map(|c| format!("{}={}", c.name, c.value))
            .collect();
        parts.extend(self.cookie.clone());
        if !parts.is_empty() {
            if let Ok(mut v) = HeaderValue::from_str(&parts.join("; ")) {
                v.set_sensitive(true);
                out.headers.push((reqwest::header::COOKIE, v));
            }
        }
        out
    }

    /// The user name of basic auth, percent-decoded.
    pub fn username(&self) -> &str {
        self.basic.as_ref().map_or("", |b| b.username.as_str())
    }

    /// The password of basic auth, percent-decoded, if one was given.
    pub fn password(&self) -> Option<&str> {
        self.basic.as_ref().and_then(|b| b.password.as_deref())
    }

    /// Every secret value these credentials hold (passwords as given and decoded,
    /// header values, cookie values), for [`Credentials::redact`].
    fn secrets(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (_, v) in &self.headers {
            out.extend(v.to_str().ok().map(str::to_string));
        }
        out.extend(self.jar.iter().map(|c| c.value.clone()));
        out.extend(self.cookie.clone());
        // Very short header and cookie values (say `1` or `en`) are no secret worth
        // hiding and would garble the text; a password is hidden whatever its length.
        out.retain(|s| s.len() >= 4);
        if let Some(b) = &self.basic {
            out.extend(b.password.clone());
            out.extend(b.encoded_password.clone());
        }
        out.retain(|s| !s.is_empty());
        out.sort_by_key(|s| std::cmp::Reverse(s.len()));
        out
    }

    /// `text` with every secret value replaced by `***`: for messages stored before
    /// credentials were split from URLs.
    pub fn redact(&self, text: &str) -> String {
        self.secrets()
            .iter()
            .fold(text.to_string(), |t, s| t.replace(s.as_str(), "***"))
    }

    /// Adds the credential keys of a feed whose listing is `url` (already without its
    /// userinfo) to `from_url` (the userinfo's credentials, if any). Values have their
    /// `${NAME}` read from the environment (`env`), a relative `cookies_file` is read
    /// from `base_dir`. `Ok(None)` when there are no credentials at all; every problem
    /// names its key and line, never a value.
    pub fn with_feed_keys(
        from_url: Option<Credentials>,
        keys: &FeedKeys<'_>,
        url: &Url,
        base_dir: &std::path::Path,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<Credentials>, Vec<KeyProblem>> {
        let none = keys.headers.is_empty()
            && keys.cookies_file.is_none()
            && keys.cookie.is_none()
            && keys.basic_auth.is_none();
        if none {
            return Ok(from_url);
        }
        let mut problems = Vec::new();
        let mut problem = |line: usize, key: &str, message: String| {
            problems.push(KeyProblem {
                line,
                key: key.to_string(),
                message,
            })
        };
        let scope = match (&from_url, url.scheme(), url.host_str()) {
            (Some(c), _, _) => Some(c.scope.clone()),
            (None, "http" | "https", Some(host)) => Some(Scope::Site {
                domain: crate::html::site::registrable(host),
                https_only: url.scheme() == "https",
            }),
            _ => None,
        };
        let mut headers = Vec::new();
        for (name, value) in &keys.headers {
            let key = format!("headers.{name}");
            let line = keys.headers_line;
            let Some(value) = expand_env(value, env)
                .map_err(|m| problem(line, &key, m))
                .ok()
            else {
                continue;
            };
            match HeaderName::from_bytes(name.as_bytes()) {
                Err(_) => problem(line, &key, format!("{name:?} is not an HTTP header name")),
                Ok(n) if n == reqwest::header::COOKIE || n == reqwest::header::AUTHORIZATION => {
                    problem(
                        line,
                        &key,
                        format!(
                            "set the {name} header with `{}`",
                            if n == reqwest::header::COOKIE {
                                "cookie"
                            } else {
                                "basic_auth"
                            }
                        ),
                    )
                }
                Ok(n) => match HeaderValue::from_str(&value) {
                    Ok(mut v) => {
                        v.set_sensitive(true);
                        headers.push((n, v));
                    }
                    Err(_) => problem(
                        line,
                        &key,
                        "the value is not a valid header value (one line of visible \
                         characters)"
                            .into(),
                    ),
                },
            }
        }
        let mut jar = Vec::new();
        if let Some((path, line)) = keys.cookies_file {
            match expand_env(path, env) {
                Err(m) => problem(line, "cookies_file", m),
                Ok(path) => {
                    let path = base_dir.join(path);
                    match std::fs::read_to_string(&path) {
                        Ok(text) => match parse_cookies_txt(&text) {
                            Ok(c) => jar = c,
                            Err(at) => problem(
                                line,
                                "cookies_file",
                                format!(
                                    "{}:{at}: not a Netscape cookies.txt line (seven \
                                     tab-separated fields)",
                                    path.display()
                                ),
                            ),
                        },
                        Err(e) => problem(
                            line,
                            "cookies_file",
                            format!("cannot read {}: {e}", path.display()),
                        ),
                    }
                }
            }
        }
        let mut cookie = None;
        if let Some((value, line)) = keys.cookie {
            match expand_env(value, env) {
                Err(m) => problem(line, "cookie", m),
                Ok(v) if HeaderValue::from_str(&v).is_err() => problem(
                    line,
                    "cookie",
                    "the value is not a valid Cookie header value".into(),
                ),
                Ok(v) => cookie = Some(v.trim().to_string()).filter(|v| !v.is_empty()),
            }
        }
        let mut basic = from_url.as_ref().and_then(|c| c.basic.clone());
        if let Some((user, password, line)) = keys.basic_auth {
            if basic.is_some() {
                problem(
                    line,
                    "basic_auth",
                    "the url carries a user name already; give the credentials once".into(),
                );
            }
            let user = expand_env(user, env).map_err(|m| problem(line, "basic_auth.user", m));
            let password = password
                .map(|p| expand_env(p, env))
                .transpose()
                .map_err(|m| problem(line, "basic_auth.password", m));
            if let (Ok(username), Ok(password)) = (user, password) {
                basic = Some(Basic {
                    username,
                    password,
                    encoded_password: None,
                });
            }
        }
        let Some(scope) = scope else {
            let line = keys
                .basic_auth
                .map(|b| b.2)
                .or(keys.cookie.map(|c| c.1))
                .or(keys.cookies_file.map(|c| c.1))
                .unwrap_or(keys.headers_line);
            problem(
                line,
                "url",
                "headers, cookies and basic_auth need an http(s) url".into(),
            );
            return Err(problems);
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Some(Credentials {
            scope,
            basic,
            headers,
            jar,
            cookie,
        }))
    }
}

/// `s` with each `${NAME}` replaced by the environment variable `NAME` (read with
/// `env`); a variable that is not set is an error naming it (never its value).
pub fn expand_env(s: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find("${") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let Some(end) = after.find('}') else {
            return Err("`${` without a closing `}`; write ${NAME}".into());
        };
        let name = &after[..end];
        let valid = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(format!("`${{{name}}}` is not an environment variable name"));
        }
        match env(name) {
            Some(v) => out.push_str(&v),
            None => return Err(format!("environment variable `{name}` is not set")),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Parses a Netscape `cookies.txt` (as browser exporters and curl write it): one
/// cookie a line, seven tab-separated fields (domain, include-subdomains, path, secure,
/// expiry, name, value); `#` lines are comments, but for the `#HttpOnly_` prefix of a
/// cookie line. Errors with the 1-based number of a line that is none of these.
pub fn parse_cookies_txt(text: &str) -> Result<Vec<Cookie>, usize> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        let line = line.strip_prefix("#HttpOnly_").unwrap_or(line);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let [domain, sub, path, secure, expires, name, value] = f[..] else {
            return Err(i + 1);
        };
        let flag = |s: &str| s.eq_ignore_ascii_case("true");
        let expires = expires.trim().parse::<i64>().map_err(|_| i + 1)?;
        if name.is_empty() || domain.is_empty() {
            return Err(i + 1);
        }
        out.push(Cookie {
            subdomains: flag(sub) || domain.starts_with('.'),
            domain: domain.trim_start_matches('.').to_ascii_lowercase(),
            path: if path.is_empty() {
                "/".into()
            } else {
                path.into()
            },
            secure: flag(secure),
            expires,
            name: name.to_string(),
            value: value.to_string(),
        });
    }
    Ok(out)
}

/// Splits a URL into the URL without userinfo and the credentials it carried (none
/// when it had neither a user name nor a password), bound to the URL's origin.
pub fn split_userinfo(mut url: Url) -> (Url, Option<Credentials>) {
    if url.username().is_empty() && url.password().is_none() {
        return (url, None);
    }
    let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
    let creds = Credentials {
        scope: Scope::Origin(url.origin()),
        basic: Some(Basic {
            username: decode(url.username()),
            password: url.password().map(decode),
            encoded_password: url.password().map(str::to_string),
        }),
        headers: Vec::new(),
        jar: Vec::new(),
        cookie: None,
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

    fn keys_for(url: &str, keys: FeedKeys<'_>) -> Credentials {
        let env = |n: &str| (n == "TOKEN").then(|| "t0ken-value".to_string());
        let url = Url::parse(url).unwrap();
        Credentials::with_feed_keys(None, &keys, &url, std::path::Path::new("."), &env)
            .unwrap()
            .unwrap()
    }

    #[test]
    fn feed_keys_go_to_the_listings_site_over_its_scheme_only() {
        let creds = keys_for(
            "https://news.example.co.uk/members",
            FeedKeys {
                headers: vec![("X-Api-Key", "${TOKEN}")],
                cookie: Some(("sid=1", 3)),
                ..FeedKeys::default()
            },
        );
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(creds.applies_to(&u("https://www.example.co.uk:8443/a")));
        assert!(!creds.applies_to(&u("http://news.example.co.uk/members")));
        assert!(!creds.applies_to(&u("https://other.co.uk/")));
        let sent = creds.for_request(&u("https://cdn.example.co.uk/x"), 0);
        let shown: Vec<String> = sent
            .headers
            .iter()
            .map(|(n, v)| format!("{n}={}", v.to_str().unwrap()))
            .collect();
        assert_eq!(shown, ["x-api-key=t0ken-value", "cookie=sid=1"]);
        assert!(sent.headers.iter().all(|(_, v)| v.is_sensitive()));
        assert!(creds
            .for_request(&u("https://evil.example/"), 0)
            .headers
            .is_empty());
        assert_eq!(
            format!("{creds:?}"),
            "Credentials(for site example.co.uk (https))"
        );
        assert_eq!(creds.redact("got t0ken-value"), "got ***");
    }

    #[test]
    fn cookies_txt_lines_domain_match_path_match_and_expire() {
        let jar = parse_cookies_txt(
            "# Netscape HTTP Cookie File\n\
             .example.com\tTRUE\t/\tFALSE\t0\ta\t1\n\
             #HttpOnly_www.example.com\tFALSE\t/app\tTRUE\t2000\tb\t2\n\n",
        )
        .unwrap();
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(jar[0].matches(&u("http://news.example.com/x"), 5000));
        assert!(jar[0].matches(&u("http://example.com/"), 5000));
        assert!(!jar[0].matches(&u("http://badexample.com/"), 5000));
        assert!(jar[1].matches(&u("https://www.example.com/app/1"), 1000));
        assert!(
            !jar[1].matches(&u("http://www.example.com/app/1"), 1000),
            "secure"
        );
        assert!(
            !jar[1].matches(&u("https://www.example.com/apple"), 1000),
            "path"
        );
        assert!(
            !jar[1].matches(&u("https://www.example.com/app"), 3000),
            "expired"
        );
        assert_eq!(parse_cookies_txt("example.com\tTRUE\t/\n").err(), Some(1));
    }

    #[test]
    fn environment_variables_are_named_when_missing() {
        let env = |n: &str| (n == "A").then(|| "x".to_string());
        assert_eq!(expand_env("a${A}b${A}", &env).unwrap(), "axbx");
        assert_eq!(
            expand_env("${MISSING}", &env).unwrap_err(),
            "environment variable `MISSING` is not set"
        );
        assert!(expand_env("${A", &env).is_err());
        assert_eq!(expand_env("no vars", &env).unwrap(), "no vars");
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
