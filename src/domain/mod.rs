//! Domain rules as plain functions and validated types, free of HTTP and SQL (the state enums
//! only name their SQL type, TEXT; src/db/enums.rs maps them through `as_str` and `parse`).

pub mod awards;
pub mod csv;
pub mod edition;
pub mod entry;
pub mod filetype;
pub mod mail;
pub mod markdown;
pub mod password;
pub mod ranking;
pub mod review;
pub mod roles;
pub mod time;
pub mod token;
pub mod validate;
