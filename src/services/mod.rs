//! Use cases that change data: each runs in one transaction together with the emails it sends.

pub mod accounts;
pub mod admin;
pub mod chain;
pub mod charts;
pub mod downloads;
pub mod editions;
pub mod entries;
pub mod jury;
pub mod notices;
pub mod results;
pub mod review;
pub mod rodo;
pub mod schedule;
pub mod site;
pub mod two_factor;
