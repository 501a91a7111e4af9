//! konkurs: a server-rendered portal that runs a public-sector awards competition, from the
//! call for entries to the announcement of the winners.

pub mod backup;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod mail;
pub mod retention;
pub mod services;
pub mod startup;
pub mod storage;
pub mod urls;
pub mod web;
