//! Names inside a ZIP of attachments: one folder per entry, named after its reference number,
//! holding the files under their original names, made safe for every unpacking program
//! (no path separators or characters Windows refuses, no reserved device names, no leading
//! dots) and unique within their folder, Polish letters kept.

use std::collections::HashSet;

/// The most characters of a file name kept inside the archive (before the extension).
const MAX_STEM: usize = 120;

/// A reference number as a folder name: "VI/II/007" becomes "VI-II-007"; an entry without
/// one (never the case for a submitted entry) is "zgloszenie-<id>".
pub fn folder(ref_no: Option<&str>, entry_id: i32) -> String {
    let cleaned = ref_no.map(|r| safe_part(&r.replace(['/', '\\'], "-")));
    match cleaned {
        Some(f) if !f.is_empty() => f,
        _ => format!("zgloszenie-{entry_id}"),
    }
}

/// One name component made safe: characters that are path separators, invisible or refused
/// by Windows dropped, leading dots and trailing dots or spaces trimmed, reserved device names
/// (CON, NUL, COM1…) prefixed with "_".
pub fn safe_part(raw: &str) -> String {
    let kept: String = raw
        .chars()
        .filter(|c| {
            !crate::domain::validate::is_forbidden(*c, false)
                && !matches!(c, '/' | '\\' | '"' | '<' | '>' | ':' | '|' | '?' | '*')
        })
        .collect();
    let trimmed = kept
        .trim()
        .trim_start_matches('.')
        .trim_end_matches(['.', ' '])
        .trim();
    // Windows ignores spaces before the extension ("CON .pdf" is CON) and counts COM¹–COM³.
    let stem = trimmed
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end()
        .to_ascii_uppercase();
    let device_number = |rest: &str| {
        let mut chars = rest.chars();
        matches!(
            (chars.next(), chars.next()),
            (Some('0'..='9' | '¹' | '²' | '³'), None)
        )
    };
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || stem
            .strip_prefix("COM")
            .or_else(|| stem.strip_prefix("LPT"))
            .is_some_and(device_number);
    if reserved {
        format!("_{trimmed}")
    } else {
        trimmed.to_string()
    }
}

/// Gives each file of an archive its path, `folder/name`, unique regardless of case within
/// the archive ("a.pdf", "a (2).pdf", …).
#[derive(Default)]
pub struct Namer {
    taken: HashSet<String>,
}

impl Namer {
    pub fn name(&mut self, folder: &str, original: &str) -> String {
        let mut file = safe_part(original);
        if file.is_empty() {
            file = "zalacznik".to_string();
        }
        let (stem, ext) = match file.rsplit_once('.') {
            Some((s, e)) if !s.is_empty() && !e.is_empty() && e.chars().count() <= 10 => {
                (s.to_string(), format!(".{e}"))
            }
            _ => (file.clone(), String::new()),
        };
        let stem: String = stem.chars().take(MAX_STEM).collect();
        let stem = stem.trim_end_matches(['.', ' ']).to_string();
        let mut n = 1;
        loop {
            let candidate = if n == 1 {
                format!("{folder}/{stem}{ext}")
            } else {
                format!("{folder}/{stem} ({n}){ext}")
            };
            if self.taken.insert(candidate.to_lowercase()) {
                return candidate;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_reference_numbers() {
        assert_eq!(folder(Some("VI/II/007"), 3), "VI-II-007");
        assert_eq!(folder(None, 3), "zgloszenie-3");
        assert_eq!(folder(Some("../.."), 3), "-");
        assert_eq!(folder(Some(" "), 9), "zgloszenie-9");
    }

    #[test]
    fn unsafe_names_are_cleaned_and_polish_letters_kept() {
        assert_eq!(safe_part("Opis wdrożenia.pdf"), "Opis wdrożenia.pdf");
        assert_eq!(safe_part("..\\..\\evil.pdf"), "evil.pdf");
        assert_eq!(safe_part("a/b:c*d?.pdf"), "abcd.pdf");
        assert_eq!(safe_part("CON.pdf"), "_CON.pdf");
        assert_eq!(safe_part("CON .pdf"), "_CON .pdf");
        assert_eq!(safe_part("prn .x.pdf"), "_prn .x.pdf");
        assert_eq!(safe_part("COM¹.pdf"), "_COM¹.pdf");
        assert_eq!(safe_part("COM10.pdf"), "COM10.pdf");
        assert_eq!(safe_part("Console.pdf"), "Console.pdf");
        assert_eq!(safe_part("com1"), "_com1");
        assert_eq!(safe_part("console.pdf"), "console.pdf");
        assert_eq!(safe_part("raport. "), "raport");
        assert_eq!(safe_part("x\u{202e}fdp.exe"), "xfdp.exe");
    }

    #[test]
    fn duplicates_get_numbers_within_the_archive() {
        let mut n = Namer::default();
        assert_eq!(n.name("A", "plan.pdf"), "A/plan.pdf");
        assert_eq!(n.name("A", "PLAN.pdf"), "A/PLAN (2).pdf");
        assert_eq!(n.name("A", "plan.pdf"), "A/plan (3).pdf");
        assert_eq!(n.name("B", "plan.pdf"), "B/plan.pdf");
        assert_eq!(n.name("B", ""), "B/zalacznik");
        assert_eq!(n.name("B", "..."), "B/zalacznik (2)");
        let long = format!("{}.pdf", "ż".repeat(300));
        let named = n.name("B", &long);
        assert_eq!(named.chars().count(), 2 + MAX_STEM + 4);
        assert!(named.ends_with(".pdf"));
    }
}
