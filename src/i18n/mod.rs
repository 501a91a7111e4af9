//! All user-facing text, in Polish (the default) and English, behind one lookup.
//! Keys are grouped by area (`nav.`, `err.`, `login.`…); `texts.rs` holds the table.

mod texts;

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::OnceLock;

pub use texts::TEXTS;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    Pl,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Pl, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Pl => "pl",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim() {
            "pl" => Some(Lang::Pl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language, for the switch in the header.
    pub fn other(self) -> Lang {
        match self {
            Lang::Pl => Lang::En,
            Lang::En => Lang::Pl,
        }
    }

    /// The name of this language in itself ("Polski", "English").
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Pl => "Polski",
            Lang::En => "English",
        }
    }

    /// The text for `key`. A missing key shows the key itself (and a test fails on it).
    pub fn t(self, key: &str) -> &'static str {
        match table().get(key) {
            Some((pl, en)) => match self {
                Lang::Pl => pl,
                Lang::En => en,
            },
            None => {
                tracing::warn!(key, "missing translation key");
                // Leak-free fallback: the key is usually a literal, but owned keys happen
                // (built from a kind or status); the table has them all, checked by tests.
                "??"
            }
        }
    }

    /// The text for `key` with `{name}` placeholders filled in.
    pub fn tf(self, key: &str, args: &[(&str, &dyn Display)]) -> String {
        let mut out = self.t(key).to_string();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), &value.to_string());
        }
        out
    }

    pub fn has(key: &str) -> bool {
        table().contains_key(key)
    }
}

fn table() -> &'static HashMap<&'static str, (&'static str, &'static str)> {
    static TABLE: OnceLock<HashMap<&'static str, (&'static str, &'static str)>> = OnceLock::new();
    TABLE.get_or_init(|| TEXTS.iter().map(|(k, pl, en)| (*k, (*pl, *en))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::path::Path;

    #[test]
    fn every_key_has_both_languages_once() {
        let mut seen = HashSet::new();
        for (key, pl, en) in TEXTS {
            assert!(seen.insert(*key), "key {key} is defined twice");
            assert!(!pl.trim().is_empty(), "key {key} has no Polish text");
            assert!(!en.trim().is_empty(), "key {key} has no English text");
        }
    }

    /// Every key the code or the templates ask for exists. Keys are found as string literals
    /// whose first segment is one of the table's namespaces (`"err.required"`, `t("nav.home")`).
    #[test]
    fn every_used_key_is_defined() {
        let namespaces: HashSet<&str> = TEXTS
            .iter()
            .filter_map(|(k, _, _)| k.split('.').next())
            .collect();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut missing = Vec::new();
        for dir in ["src", "templates"] {
            visit(&root.join(dir), &mut |path, text| {
                for key in quoted_keys(text, &namespaces) {
                    if !Lang::has(&key) {
                        missing.push(format!("{key} (in {})", path.display()));
                    }
                }
            });
        }
        assert!(
            missing.is_empty(),
            "translation keys used but not defined:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn placeholders_are_filled() {
        assert!(Lang::has("err.too_long_n"));
        let s = Lang::En.tf("err.too_long_n", &[("max", &120)]);
        assert!(s.contains("120"), "{s}");
        assert!(!s.contains('{'));
    }

    fn visit(dir: &Path, f: &mut dyn FnMut(&Path, &str)) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                visit(&path, f);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                f(&path, &text);
            }
        }
    }

    /// String literals like `"ns.key_name"` (lower-case, digits, `_`, `.`) in a file.
    fn quoted_keys(text: &str, namespaces: &HashSet<&str>) -> Vec<String> {
        let mut keys = Vec::new();
        // Every piece between two quotes is tried: a piece of code never looks like `ns.key`.
        for part in text.split('"') {
            let Some((ns, rest)) = part.split_once('.') else {
                continue;
            };
            let well_formed = !rest.is_empty()
                && !rest.ends_with('.')
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.');
            // File names (`error.html`) share the shape of a key.
            let file = ["html", "txt", "css", "js", "svg", "db", "key", "sql"]
                .iter()
                .any(|ext| rest.ends_with(ext));
            if well_formed && !file && namespaces.contains(ns) {
                keys.push(part.to_string());
            }
        }
        keys
    }
}
