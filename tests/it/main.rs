//! Integration tests: the real server over HTTP with a cookie jar, a real SMTP server, and
//! every test on SQLite and on PostgreSQL. One binary keeps link time down.

// Tests compare small counts across integer types and hand fixtures over by value.
#![allow(clippy::cast_possible_wrap, clippy::needless_pass_by_value)]

mod support;

mod abuse;
mod accounts;
mod admin;
mod browser;
mod charts;
mod cli;
mod confirm;
mod demo;
mod editions;
mod entries;
pub mod entry_list;
mod forms;
mod hostile;
mod instances;
mod jury;
mod language;
mod lists;
mod mail;
mod notices;
mod ops;
mod page_cache;
mod passwords;
mod personal_cache;
mod proxy;
mod races;
mod ranking;
mod rodo;
mod schedule;
mod schema;
mod site;
mod states;
mod storage;
mod trust;
mod two_factor;
mod two_instances;
