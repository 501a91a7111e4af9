//! All user-facing text, in Polish (the default) and English, from the Fluent files `pl.ftl`
//! and `en.ftl` beside this module (embedded at build time). Keys are grouped by area (`nav.`,
//! `err.`, `login.`…); Fluent ids cannot hold dots, so the key `err.required` is the id
//! `err-required` in the files. Arguments are Fluent variables (`{ $n }`), numbers select CLDR
//! plural forms (`{ $n -> [one] … [few] … *[many] … }`), and a value is never read as syntax.

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

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

    /// The text for `key`, for texts without variables. A missing key shows `??` (and a test
    /// fails on it).
    pub fn t(self, key: &str) -> &'static str {
        match catalog(self).plain.get(key) {
            Some(text) => text,
            None => {
                tracing::warn!(key, "missing translation key");
                "??"
            }
        }
    }

    /// The text of a validation message key: a plain key, or one with a number after a colon
    /// (`validate::too_long`: "err.too_long_n:120"), which becomes its `$max`.
    pub fn message(self, key: &str) -> String {
        match key.split_once(':') {
            Some((k, n)) if n.parse::<usize>().is_ok() => self.tf(k, &[("max", &n)]),
            _ => self.t(key).to_string(),
        }
    }

    /// The text for `key` with its variables. A value that reads as a number (`3`, `12.5`) is
    /// passed as a Fluent number, so plural forms follow it; anything else is plain text and is
    /// never interpreted.
    pub fn tf(self, key: &str, args: &[(&str, &dyn Display)]) -> String {
        let cat = catalog(self);
        let Some(pattern) = cat
            .bundle
            .get_message(&fluent_id(key))
            .and_then(|m| m.value())
        else {
            tracing::warn!(key, "missing translation key");
            return "??".to_string();
        };
        let mut fargs = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fargs.set(*name, fluent_value(value.to_string()));
        }
        let mut errors = Vec::new();
        let text = cat
            .bundle
            .format_pattern(pattern, Some(&fargs), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(key, ?errors, "translation could not be filled in");
        }
        text.into_owned()
    }

    /// The Polish or the English one of a pair of texts, by this language; a blank English
    /// text (an edition or category without its English name) falls back to the Polish one.
    pub fn pick<'a>(self, pl: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::En if !en.trim().is_empty() => en,
            _ => pl,
        }
    }

    /// The plural form of `key` for `n` (`{ $n -> [one] … }` in the files), with `n` filled in.
    pub fn tn(self, key: &str, n: i64) -> String {
        self.tf(key, &[("n", &n)])
    }

    /// `text` in this language's quotation marks: „…” in Polish, “…” in English.
    pub fn quote(self, text: &str) -> String {
        match self {
            Lang::Pl => format!("\u{201e}{text}\u{201d}"),
            Lang::En => format!("\u{201c}{text}\u{201d}"),
        }
    }

    /// A key that sorts texts the way a reader of this language expects: case ignored, and
    /// in Polish each letter with a diacritic right after its base letter ("Zmieniono" after
    /// "Złożono", "Ś" before "T"), not after "z" as in code-point order.
    pub fn sort_key(self, text: &str) -> String {
        let mut key = String::with_capacity(text.len() + 4);
        for c in text.chars().flat_map(char::to_lowercase) {
            let (base, marks) = match c {
                'ą' => ('a', 1),
                'ć' => ('c', 1),
                'ę' => ('e', 1),
                'ł' => ('l', 1),
                'ń' => ('n', 1),
                'ó' => ('o', 1),
                'ś' => ('s', 1),
                'ź' => ('z', 1),
                'ż' => ('z', 2),
                c => (c, 0),
            };
            key.push(base);
            // DEL sorts after every letter: "ał…" comes after "az…".
            for _ in 0..marks {
                key.push('\u{7f}');
            }
        }
        key
    }

    pub fn has(key: &str) -> bool {
        Lang::ALL
            .iter()
            .all(|l| catalog(*l).plain.contains_key(key))
    }

    /// Every key of this language's file, in the code's form (`err.required`).
    pub fn keys(self) -> impl Iterator<Item = &'static str> {
        catalog(self).plain.keys().map(String::as_str)
    }
}

/// The Fluent id of a key used in the code.
fn fluent_id(key: &str) -> String {
    key.replace('.', "-")
}

/// A number when the text is one, written the way Fluent writes it back (so `007` or `1e3`
/// stay text); otherwise the text as it is.
fn fluent_value(text: String) -> FluentValue<'static> {
    match text.parse::<f64>() {
        Ok(n) if n.is_finite() && n.to_string() == text => FluentValue::from(n),
        _ => FluentValue::from(text),
    }
}

struct Catalog {
    bundle: FluentBundle<FluentResource>,
    /// Every message formatted once without arguments, by the code's key: `t` is a map lookup.
    plain: HashMap<String, &'static str>,
}

const PL_FTL: &str = include_str!("pl.ftl");
const EN_FTL: &str = include_str!("en.ftl");

fn source(lang: Lang) -> &'static str {
    match lang {
        Lang::Pl => PL_FTL,
        Lang::En => EN_FTL,
    }
}

/// Parses a language's file once. The files are part of the program and checked by tests, so a
/// syntax error is a build defect: it is logged and the broken entries left out.
fn load(lang: Lang) -> Catalog {
    let resource = FluentResource::try_new(source(lang).to_string()).unwrap_or_else(|(r, errs)| {
        tracing::error!(
            lang = lang.code(),
            ?errs,
            "syntax errors in the translation file"
        );
        r
    });
    let langid: unic_langid::LanguageIdentifier = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // Unicode isolation marks around variables would end up in emails and form values.
    bundle.set_use_isolating(false);
    if let Err(errs) = bundle.add_resource(resource) {
        tracing::error!(
            lang = lang.code(),
            ?errs,
            "duplicate ids in the translation file"
        );
    }
    let mut plain = HashMap::new();
    for id in message_ids(source(lang)) {
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let text = bundle
                .format_pattern(pattern, None, &mut errors)
                .into_owned();
            // Formatted once per process for the life of the process.
            plain.insert(id.replace('-', "."), &*Box::leak(text.into_boxed_str()));
        }
    }
    Catalog { bundle, plain }
}

/// The ids of the messages in a file: lines that start with an identifier and `=`.
fn message_ids(ftl: &str) -> impl Iterator<Item = &str> {
    ftl.lines().filter_map(|line| {
        let (id, _) = line.split_once('=')?;
        let id = id.trim_end();
        let ok = id.starts_with(|c: char| c.is_ascii_lowercase())
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
        ok.then_some(id)
    })
}

fn catalog(lang: Lang) -> &'static Catalog {
    static PL: OnceLock<Catalog> = OnceLock::new();
    static EN: OnceLock<Catalog> = OnceLock::new();
    match lang {
        Lang::Pl => PL.get_or_init(|| load(Lang::Pl)),
        Lang::En => EN.get_or_init(|| load(Lang::En)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::path::Path;

    #[test]
    fn both_files_parse_and_have_the_same_keys_once() {
        for lang in Lang::ALL {
            if let Err((_, errs)) = FluentResource::try_new(source(lang).to_string()) {
                panic!("{}.ftl has syntax errors: {errs:?}", lang.code());
            }
            let mut seen = HashSet::new();
            for id in message_ids(source(lang)) {
                assert!(
                    seen.insert(id),
                    "{id} is defined twice in {}.ftl",
                    lang.code()
                );
                let text = catalog(lang).plain.get(&id.replace('-', ".")).copied();
                assert!(
                    text.is_some_and(|t| !t.trim().is_empty()),
                    "{id} is empty in {}.ftl",
                    lang.code()
                );
            }
        }
        let pl: HashSet<&str> = Lang::Pl.keys().collect();
        let en: HashSet<&str> = Lang::En.keys().collect();
        let mut only_pl: Vec<_> = pl.difference(&en).collect();
        let mut only_en: Vec<_> = en.difference(&pl).collect();
        only_pl.sort();
        only_en.sort();
        assert!(only_pl.is_empty(), "only in pl.ftl: {only_pl:?}");
        assert!(only_en.is_empty(), "only in en.ftl: {only_en:?}");
    }

    /// Keys made from a value at run time are not string literals: check each value.
    #[test]
    fn keys_built_at_run_time_exist() {
        for kind in crate::domain::audit::KINDS {
            let key = crate::domain::audit::kind_key(kind);
            assert!(Lang::has(&key), "{key}");
        }
        for kind in crate::domain::roles::INSTITUTION_KINDS {
            let key = crate::domain::roles::institution_kind_key(kind);
            assert!(Lang::has(&key), "{key}");
        }
    }

    #[test]
    fn plural_forms_follow_cldr() {
        let pl = |n| Lang::Pl.tn("list.count", n);
        assert_eq!(pl(1), "1 wynik");
        assert_eq!(pl(2), "2 wyniki");
        assert_eq!(pl(4), "4 wyniki");
        assert_eq!(pl(5), "5 wyników");
        assert_eq!(pl(12), "12 wyników");
        assert_eq!(pl(22), "22 wyniki");
        assert_eq!(pl(0), "0 wyników");
        assert_eq!(Lang::En.tn("list.count", 1), "1 result");
        assert_eq!(Lang::En.tn("list.count", 3), "3 results");
        // A number that arrives as text (templates pass strings) selects the same way.
        assert_eq!(
            Lang::Pl.tf("admin_editions.undecided", &[("n", &"3")]),
            "3 zgłoszenia czekają na ocenę formalną"
        );
        assert_eq!(
            Lang::Pl.tf("entry.max_files_reached", &[("n", &5)]),
            "Zgłoszenie ma już 5 załączników, czyli najwięcej, ile można dodać."
        );
    }

    /// English pages never show Polish words or quotation marks; proper names (an example
    /// office, the currency) are allowed.
    #[test]
    fn english_texts_have_no_polish() {
        // The placeholder marker is what organisers search for in the Polish texts.
        const NAMES: &[&str] = &[
            "Urząd Miasta i Gminy Piaseczno",
            "Urząd Marszałkowski Województwa Mazowieckiego w Warszawie",
            "złoty",
            "[uzupełnij: …]",
        ];
        let mut bad = Vec::new();
        for key in Lang::En.keys() {
            let mut text = Lang::En.t(key).to_string();
            for name in NAMES {
                text = text.replace(name, "");
            }
            if text.chars().any(|c| "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ„".contains(c)) {
                bad.push(format!("{key} = {}", Lang::En.t(key)));
            }
        }
        bad.sort();
        assert!(bad.is_empty(), "Polish in en.ftl:\n{}", bad.join("\n"));
        // Polish texts use Polish quotation marks.
        let english_quotes: Vec<&str> = Lang::Pl
            .keys()
            .filter(|k| Lang::Pl.t(k).contains('\u{201c}'))
            .collect();
        assert!(english_quotes.is_empty(), "“ in pl.ftl: {english_quotes:?}");
        assert_eq!(Lang::En.quote("6th edition"), "\u{201c}6th edition\u{201d}");
    }

    #[test]
    fn polish_texts_sort_in_polish_order() {
        let mut v = vec![
            "Zmieniono",
            "Złożono",
            "Zablokowano",
            "Świat",
            "Sala",
            "Tak",
            "ala",
        ];
        v.sort_by_key(|s| Lang::Pl.sort_key(s));
        assert_eq!(
            v,
            [
                "ala",
                "Sala",
                "Świat",
                "Tak",
                "Zablokowano",
                "Złożono",
                "Zmieniono"
            ]
        );
    }

    #[test]
    fn variables_are_never_read_as_syntax() {
        let s = Lang::Pl.tf("err.too_long_n", &[("max", &"{ $max } {x}")]);
        assert!(s.contains("{ $max } {x}"), "{s}");
        assert!(!s.contains('\u{2068}'), "no isolation marks: {s:?}");
    }

    /// Every key the code or the templates ask for exists. Keys are found as string literals
    /// whose first segment is one of the table's namespaces (`"err.required"`, `t("nav.home")`).
    #[test]
    fn every_used_key_is_defined() {
        let namespaces: HashSet<&str> = Lang::Pl
            .keys()
            .filter_map(|k| k.split('.').next())
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
