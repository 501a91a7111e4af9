//! CSV for spreadsheets used in Poland: UTF-8 with a byte-order mark (so Excel reads Polish
//! letters), semicolons between fields (Excel's separator under Polish settings), every field
//! quoted, and cells that would start a formula defused.

pub struct Csv {
    out: String,
}

impl Default for Csv {
    fn default() -> Self {
        Csv::new()
    }
}

impl Csv {
    pub fn new() -> Csv {
        Csv {
            out: String::from("\u{feff}"),
        }
    }

    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut first = true;
        for cell in cells {
            if !first {
                self.out.push(';');
            }
            first = false;
            self.out.push_str(&field(cell.as_ref()));
        }
        self.out.push_str("\r\n");
    }

    pub fn finish(self) -> String {
        self.out
    }
}

fn field(s: &str) -> String {
    // A leading =, +, - or @ makes spreadsheets evaluate the cell: prefix an apostrophe.
    let defused = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", defused.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_defuses() {
        let mut c = Csv::new();
        c.row(["Tytuł", "Opis \"x\"; y"]);
        c.row(["=HYPERLINK(\"http://evil\")", "Łódź\nnowa linia"]);
        let s = c.finish();
        assert!(s.starts_with('\u{feff}'));
        assert!(s.contains("\"Tytuł\";\"Opis \"\"x\"\"; y\"\r\n"));
        assert!(s.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""));
        assert!(s.contains("\"Łódź\nnowa linia\""));
    }
}
