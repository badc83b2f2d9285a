//! Where the files go: a local folder (`output_dir`, the default) or an S3-compatible
//! bucket (`output_url = "s3://bucket/prefix/"`), behind one interface ([`Output`]).
//!
//! Contract: a file is written whole or not at all, and only when its bytes change. In
//! the folder that is the atomic replacement of [`super::atomic`], which compares with
//! the file itself. In a bucket each file is one `PUT` of the whole object (a reader
//! sees the old object or the new one), with the `Content-Type` and `Cache-Control` a
//! web server would send, and "changed" means its SHA-256 differs from the one the
//! state recorded when it was last written ([`hash`]): the bucket is never read to
//! decide. Credentials, region and endpoint come from the standard `AWS_*` variables
//! (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ENDPOINT_URL`,
//! `AWS_ALLOW_HTTP`, …); messages name the object's `s3://` URL and never a credential.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use object_store::aws::{AmazonS3, AmazonS3Builder, AmazonS3ConfigKey};
use object_store::{
    Attribute, Attributes, ClientConfigKey, ObjectStore, ObjectStoreExt, PutOptions, PutPayload,
    RetryConfig,
};
use sha2::{Digest, Sha256};
use url::Url;

use super::WriteError;
use crate::config::Settings;

/// The `Cache-Control` of every object written to a bucket (what the README's web
/// server examples send): caches and CDNs keep a file five minutes.
pub const CACHE_CONTROL: &str = "public, max-age=300";

/// Where a config's files are written.
pub enum Output {
    /// A local folder.
    Folder(PathBuf),
    /// A bucket.
    Bucket(Bucket),
}

/// A bucket and the key prefix the files go under.
pub struct Bucket {
    store: AmazonS3,
    /// `s3://bucket/prefix/`, for messages.
    url: Url,
    /// The key prefix (`prefix/`, or empty).
    prefix: String,
}

/// Parses `output_url`: an `s3://bucket/prefix/` URL (the prefix may be empty); the
/// result always ends with `/`. The message says what is wrong, for the config error.
pub fn parse_bucket_url(s: &str) -> Result<Url, String> {
    let mut s = s.trim().to_string();
    if !s.ends_with('/') {
        s.push('/');
    }
    let url = Url::parse(&s).map_err(|e| format!("not a valid URL: {e}"))?;
    if url.scheme() != "s3" {
        return Err(format!(
            "must be an s3://bucket/prefix/ URL, not {}:// (a local folder is `output_dir`)",
            url.scheme()
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("names no bucket (s3://bucket/prefix/)".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(
            "must not hold credentials: they come from the AWS_* environment variables".into(),
        );
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("must not have a query or fragment".into());
    }
    Ok(url)
}

/// The `Content-Type` of a file by its name, as the README's web server examples map
/// them.
pub fn content_type(name: &str) -> &'static str {
    if name.ends_with(".rss.xml") {
        "application/rss+xml"
    } else if name.ends_with(".atom.xml") {
        "application/atom+xml"
    } else if name.ends_with(".json") {
        "application/feed+json"
    } else if name.ends_with(".opml") {
        "text/x-opml"
    } else if name.ends_with(".xsl") {
        "text/xsl"
    } else if name.ends_with(".html") {
        "text/html"
    } else {
        "application/octet-stream"
    }
}

/// The SHA-256 of a file's bytes, in hex: what the state records of a written file.
pub fn hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Output {
    /// The output a config names: `output_url` when set, else `output_dir`. One bucket
    /// client per bucket URL and process, so its connections are reused run after run.
    pub fn of(settings: &Settings) -> Result<Arc<Output>, WriteError> {
        let Some(url) = &settings.output_url else {
            return Ok(Arc::new(Output::Folder(settings.output_dir.clone())));
        };
        static BUCKETS: OnceLock<Mutex<HashMap<String, Arc<Output>>>> = OnceLock::new();
        let mut buckets = BUCKETS
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(b) = buckets.get(url.as_str()) {
            return Ok(b.clone());
        }
        let bucket = Arc::new(Output::Bucket(Bucket::open(url)?));
        buckets.insert(url.to_string(), bucket.clone());
        Ok(bucket)
    }

    /// The folder, when the output is one.
    pub fn folder(&self) -> Option<&Path> {
        match self {
            Output::Folder(p) => Some(p),
            Output::Bucket(_) => None,
        }
    }

    /// Whether a file's recorded hash decides if it is written (a bucket), rather than
    /// the file itself (a folder): the caller then records what [`Output::put`] wrote.
    pub fn uses_recorded(&self) -> bool {
        matches!(self, Output::Bucket(_))
    }

    /// The file `name` as messages show it: its path, or its `s3://` URL.
    pub fn show(&self, name: &str) -> String {
        match self {
            Output::Folder(p) => p.join(name).display().to_string(),
            Output::Bucket(b) => format!("{}{name}", b.url),
        }
    }

    /// Whether `name` has been written: the file exists, or the state recorded a hash
    /// for the object (`recorded`, by URL).
    pub fn present(&self, name: &str, recorded: &HashMap<String, String>) -> bool {
        match self {
            Output::Folder(p) => p.join(name).exists(),
            Output::Bucket(_) => recorded.contains_key(&self.show(name)),
        }
    }

    /// Writes `name` unless it already holds `bytes` (a folder compares with the file,
    /// a bucket with `recorded`, the hash the state has for it). Returns whether it was
    /// written.
    pub async fn put(
        &self,
        name: &str,
        bytes: Vec<u8>,
        recorded: Option<&str>,
    ) -> Result<bool, WriteError> {
        match self {
            Output::Folder(dir) => {
                std::fs::create_dir_all(dir).map_err(|cause| WriteError::Io {
                    path: dir.clone(),
                    cause,
                })?;
                super::write_if_changed(&dir.join(name), &bytes)
            }
            Output::Bucket(b) => {
                if recorded == Some(hash(&bytes).as_str()) {
                    return Ok(false);
                }
                b.put(name, bytes).await?;
                Ok(true)
            }
        }
    }

    /// The bytes of `name`, when it exists (`None`), or why it could not be read.
    pub async fn read(&self, name: &str) -> Option<Result<Vec<u8>, String>> {
        match self {
            Output::Folder(dir) => {
                let p = dir.join(name);
                p.is_file().then(|| {
                    std::fs::read(&p).map_err(|e| format!("cannot read {}: {e}", p.display()))
                })
            }
            Output::Bucket(b) => b.get(name).await,
        }
    }

    /// Removes the temp files a killed run left in the folder (a bucket has none: an
    /// object is written in one request).
    pub fn remove_stale_temp_files(&self) {
        if let Output::Folder(dir) = self {
            super::remove_stale_temp_files(dir);
        }
    }
}

impl Bucket {
    fn open(url: &Url) -> Result<Bucket, WriteError> {
        let name = url.host_str().unwrap_or_default();
        // A bucket that does not answer fails a feed's write in seconds, not after the
        // client's default three minutes of retries.
        let retry = RetryConfig {
            max_retries: 3,
            retry_timeout: Duration::from_secs(20),
            ..RetryConfig::default()
        };
        let store = AmazonS3Builder::from_env()
            .with_bucket_name(name)
            .with_retry(retry)
            .with_config(
                AmazonS3ConfigKey::Client(ClientConfigKey::ConnectTimeout),
                "5s",
            )
            .build()
            .map_err(|e| WriteError::Bucket {
                url: url.to_string(),
                message: e.to_string(),
            })?;
        Ok(Bucket {
            store,
            url: url.clone(),
            prefix: url.path().trim_start_matches('/').to_string(),
        })
    }

    fn key(&self, name: &str) -> object_store::path::Path {
        object_store::path::Path::from(format!("{}{name}", self.prefix))
    }

    fn error(&self, name: &str, e: &object_store::Error) -> WriteError {
        WriteError::Bucket {
            url: format!("{}{name}", self.url),
            message: e.to_string(),
        }
    }

    async fn put(&self, name: &str, bytes: Vec<u8>) -> Result<(), WriteError> {
        let mut attributes = Attributes::new();
        attributes.insert(Attribute::ContentType, content_type(name).into());
        attributes.insert(Attribute::CacheControl, CACHE_CONTROL.into());
        let opts = PutOptions {
            attributes,
            ..PutOptions::default()
        };
        self.store
            .put_opts(&self.key(name), PutPayload::from(bytes), opts)
            .await
            .map_err(|e| self.error(name, &e))?;
        Ok(())
    }

    async fn get(&self, name: &str) -> Option<Result<Vec<u8>, String>> {
        let got = match self.store.get(&self.key(name)).await {
            Ok(g) => g,
            Err(object_store::Error::NotFound { .. }) => return None,
            Err(e) => return Some(Err(self.error(name, &e).to_string())),
        };
        Some(
            got.bytes()
                .await
                .map(|b| b.to_vec())
                .map_err(|e| self.error(name, &e).to_string()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_urls_are_checked_and_end_with_a_slash() {
        let u = parse_bucket_url("s3://feeds-bucket/feeds").unwrap();
        assert_eq!(u.as_str(), "s3://feeds-bucket/feeds/");
        assert_eq!(
            parse_bucket_url("s3://b").unwrap().as_str(),
            "s3://b/",
            "no prefix"
        );
        let e = parse_bucket_url("https://example.org/feeds/").unwrap_err();
        assert!(e.contains("not https://"), "{e}");
        let e = parse_bucket_url("s3://key:secret@b/x/").unwrap_err();
        assert!(e.contains("AWS_"), "{e}");
        assert!(!e.contains("secret"), "{e}");
        assert!(parse_bucket_url("s3:///x/").is_err());
    }

    #[test]
    fn content_types_follow_the_web_server_examples() {
        assert_eq!(content_type("a.rss.xml"), "application/rss+xml");
        assert_eq!(content_type("a.atom.xml"), "application/atom+xml");
        assert_eq!(content_type("a.json"), "application/feed+json");
        assert_eq!(content_type("feeds.opml"), "text/x-opml");
        assert_eq!(content_type("pagefeed.xsl"), "text/xsl");
        assert_eq!(content_type("index.html"), "text/html");
    }

    #[test]
    fn the_hash_is_sha256_hex() {
        assert_eq!(
            hash(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
