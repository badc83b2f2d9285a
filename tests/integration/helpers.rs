//! Shared test helpers: running the binary, and reading back every feed it writes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the real `pagefeed` binary.
pub fn pagefeed(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pagefeed"))
        .args(args)
        .env_remove("RUST_LOG")
        .output()
        .expect("run pagefeed")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A temp folder holding a config file and the output folder.
pub struct Workspace {
    pub dir: tempfile::TempDir,
}

impl Workspace {
    pub fn new(config: &str) -> Workspace {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("pagefeed.toml"), config).expect("write config");
        Workspace { dir }
    }

    pub fn config(&self) -> PathBuf {
        self.dir.path().join("pagefeed.toml")
    }

    pub fn out(&self, file: &str) -> PathBuf {
        self.dir.path().join("feeds").join(file)
    }

    /// Runs `pagefeed --config <this config> <args>`.
    pub fn run(&self, args: &[&str]) -> Output {
        let config = self.config();
        let mut all = vec!["--config", config.to_str().expect("utf-8 path")];
        all.extend_from_slice(args);
        pagefeed(&all)
    }

    /// Files in the output folder (names), sorted.
    pub fn files(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.dir.path().join("feeds"))
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| !n.starts_with('.'))
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }
}

/// Parses a written feed file with feed-rs; for XML formats first checks that the file
/// is well-formed XML 1.0. Every test reads feeds through this, so none forgets.
pub fn read_feed(path: &Path) -> feed_rs::model::Feed {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    if path.extension().is_some_and(|e| e == "xml") {
        assert_well_formed_xml(&bytes, path);
    } else {
        serde_json::from_slice::<serde_json::Value>(&bytes)
            .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    }
    feed_rs::parser::parse(&bytes[..])
        .unwrap_or_else(|e| panic!("feed-rs cannot parse {}: {e}", path.display()))
}

/// The titles of a feed's entries, in file order ("" for an untitled one).
pub fn entry_titles(f: &feed_rs::model::Feed) -> Vec<String> {
    f.entries
        .iter()
        .map(|e| {
            e.title
                .as_ref()
                .map(|t| t.content.clone())
                .unwrap_or_default()
        })
        .collect()
}

/// Reads every event with quick-xml and checks characters are legal XML 1.0.
pub fn assert_well_formed_xml(bytes: &[u8], path: &Path) {
    let text = std::str::from_utf8(bytes)
        .unwrap_or_else(|e| panic!("{} is not UTF-8: {e}", path.display()));
    for c in text.chars() {
        let ok = matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}');
        assert!(
            ok,
            "{} holds a character illegal in XML 1.0: {:?}",
            path.display(),
            c
        );
    }
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut depth: i64 = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{} is not well-formed XML: {e}", path.display()),
        }
    }
    assert_eq!(depth, 0, "{}: unbalanced elements", path.display());
}

/// The folder of the bundled demo site.
pub fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/demo")
}
