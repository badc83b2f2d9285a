//! pagefeed's integration tests: one binary, one module per area. They run the real
//! binary (or library) against real HTTP servers on 127.0.0.1 and read every produced
//! feed back with feed-rs.

mod helpers;
mod pg;
mod server;

mod access;
mod app_state;
mod bucket;
mod cli_config;
mod content_golden;
mod daemon;
mod discover_fixtures;
mod extract_cli;
mod extract_golden;
mod hostile;
mod incremental;
mod items;
mod json_source;
mod listings;
mod pipeline;
mod publishing;
mod render;
mod run_control;
mod scale;
mod sources;
