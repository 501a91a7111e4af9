//! Domain rules as plain functions and validated types, free of HTTP and SQL.

pub mod password;
pub mod roles;
pub mod time;
pub mod token;
pub mod validate;
