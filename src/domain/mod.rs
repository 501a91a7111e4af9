//! Domain rules as plain functions and validated types, free of HTTP and SQL.

pub mod awards;
pub mod csv;
pub mod edition;
pub mod entry;
pub mod filetype;
pub mod markdown;
pub mod password;
pub mod ranking;
pub mod roles;
pub mod time;
pub mod token;
pub mod validate;
