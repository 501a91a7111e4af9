//! The organisers' awards: places 1–3 and any number of honourable mentions per category.

use crate::domain::text_enum;

text_enum! {
    #[derive(PartialOrd, Ord)]
    pub enum Award {
        First = "1",
        Second = "2",
        Third = "3",
        Mention = "mention",
    }
}

impl Award {
    pub fn label_key(self) -> &'static str {
        match self {
            Award::First => "award.first",
            Award::Second => "award.second",
            Award::Third => "award.third",
            Award::Mention => "award.mention",
        }
    }

    pub fn is_place(self) -> bool {
        self != Award::Mention
    }

    /// 1, 2, 3 for places; mentions after them.
    pub fn order(self) -> u8 {
        match self {
            Award::First => 1,
            Award::Second => 2,
            Award::Third => 3,
            Award::Mention => 4,
        }
    }
}

/// Checks one category's awards: a place may go to two entries only when the organisers
/// declare them ex aequo. Returns the place given twice without it.
pub fn check(choices: &[Award], ex_aequo: bool) -> Result<(), Award> {
    if ex_aequo {
        return Ok(());
    }
    for place in [Award::First, Award::Second, Award::Third] {
        if choices.iter().filter(|a| **a == place).count() > 1 {
            return Err(place);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_once_unless_ex_aequo_mentions_freely() {
        assert!(
            check(
                &[Award::First, Award::Second, Award::Mention, Award::Mention],
                false
            )
            .is_ok()
        );
        assert_eq!(
            check(&[Award::First, Award::First], false),
            Err(Award::First)
        );
        assert!(check(&[Award::First, Award::First], true).is_ok());
        assert!(
            check(&[Award::Third], false).is_ok(),
            "places may stay unawarded"
        );
        assert_eq!(Award::parse("mention"), Some(Award::Mention));
        assert_eq!(Award::parse("4"), None);
    }
}
