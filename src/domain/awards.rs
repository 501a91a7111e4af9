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

/// The order of a category's awards as stored: places get 0; mentions get 1, 2, … in the order
/// the organisers gave (`wanted`, a number typed beside each), those without a number after
/// the numbered ones, and ties in the order of the list (the ranking's order).
pub fn with_positions(chosen: &[(i32, Award, Option<u32>)]) -> Vec<(i32, Award, i32)> {
    let mut mentions: Vec<(usize, u32)> = chosen
        .iter()
        .enumerate()
        .filter(|(_, (_, a, _))| !a.is_place())
        .map(|(i, (_, _, wanted))| (i, wanted.unwrap_or(u32::MAX)))
        .collect();
    mentions.sort_by_key(|(i, wanted)| (*wanted, *i));
    chosen
        .iter()
        .enumerate()
        .map(|(i, (entry, a, _))| {
            let position = mentions
                .iter()
                .position(|(m, _)| *m == i)
                .map_or(0, |p| i32::try_from(p + 1).unwrap_or(i32::MAX));
            (*entry, *a, position)
        })
        .collect()
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
    fn mentions_in_the_order_set() {
        let chosen = [
            (10, Award::First, None),
            (11, Award::Mention, Some(2)),
            (12, Award::Mention, None),
            (13, Award::Mention, Some(1)),
            (14, Award::Second, Some(1)),
            (15, Award::Mention, Some(2)),
        ];
        assert_eq!(
            with_positions(&chosen),
            vec![
                (10, Award::First, 0),
                (11, Award::Mention, 2),
                (12, Award::Mention, 4),
                (13, Award::Mention, 1),
                (14, Award::Second, 0),
                (15, Award::Mention, 3),
            ]
        );
    }

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
