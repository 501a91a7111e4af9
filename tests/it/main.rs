//! Integration tests: the real server over HTTP with a cookie jar, a real SMTP server, and
//! every test on SQLite and on PostgreSQL. One binary keeps link time down.

mod support;

mod abuse;
mod accounts;
mod admin;
mod browser;
mod cli;
mod demo;
mod editions;
mod entries;
mod hostile;
mod jury;
mod races;
mod schema;
mod site;
mod states;
