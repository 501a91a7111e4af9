//! Domain rules as plain functions and validated types, free of HTTP and SQL (the state enums
//! only name their SQL type, TEXT; src/db/enums.rs maps them through `as_str` and `parse`).

pub mod audit;
pub mod awards;
pub mod bundle;
pub mod chain;
pub mod csv;
pub mod digest;
pub mod edition;
pub mod entry;
pub mod filetype;
pub mod listing;
pub mod mail;
pub mod markdown;
pub mod paging;
pub mod password;
pub mod proxy;
pub mod ranking;
pub mod retention;
pub mod review;
pub mod roles;
pub mod site_texts;
pub mod time;
pub mod token;
pub mod two_factor;
pub mod validate;

/// Declares an enum stored as TEXT: the variants with their one text each, `ALL` in the order
/// written, `as_str` and `parse` (an unknown text is `None`, never a default), and the derives
/// diesel needs to read and write it (the SQL mapping itself is in src/db/enums.rs).
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Clone,
            Copy,
            Debug,
            PartialEq,
            Eq,
            Hash,
            diesel::expression::AsExpression,
            diesel::deserialize::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in the order declared.
            pub const ALL: [$name; <[&str]>::len(&[$($text),+])] = [$($name::$variant),+];

            /// The value's one text, as stored and as sent in forms.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text ),+
                }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $( $text => Some($name::$variant), )+
                    _ => None,
                }
            }
        }
    };
}
pub(crate) use text_enum;
