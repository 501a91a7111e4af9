//! Markdown for rules texts, rendered safely: raw HTML is shown as text, and links may only
//! point to http(s), mailto or this site.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || (lower.starts_with('/') && !lower.starts_with("//"))
        || lower.starts_with('#')
}

/// Raw HTML becomes text, unsafe links lose their target, images become their address.
fn neutralise(ev: Event<'_>) -> Event<'_> {
    match ev {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if !safe_url(&dest_url) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::from(""),
            title,
            id,
        }),
        Event::Start(Tag::Image { dest_url, .. }) => Event::Text(dest_url),
        Event::End(TagEnd::Image) => Event::Text(CowStr::from("")),
        other => other,
    }
}

pub fn render(src: &str) -> String {
    let parser = Parser::new_ext(src, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH)
        .map(neutralise);
    let mut out = String::new();
    html::push_html(&mut out, parser);
    // Headings in rules start below the page's own <h1> and <h2>.
    out.replace("<h1>", "<h3>")
        .replace("</h1>", "</h3>")
        .replace("<h2>", "<h3>")
        .replace("</h2>", "</h3>")
}

/// A heading id a document may set with `## Heading {#id}`: lower-case letters, digits and
/// hyphens, starting with one of `prefixes`, not one the page itself uses (`reserved`).
fn allowed_id(id: &str, prefixes: &[&str], reserved: &[&str]) -> bool {
    id.len() <= 60
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && prefixes.iter().any(|p| id.starts_with(p))
        && !reserved.contains(&id)
}

fn document_events<'a>(
    src: &'a str,
    prefixes: &'a [&'a str],
    reserved: &'a [&'a str],
) -> impl Iterator<Item = Event<'a>> + 'a {
    let mut seen = std::collections::HashSet::new();
    let opts =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_HEADING_ATTRIBUTES;
    Parser::new_ext(src, opts).map(move |ev| match ev {
        Event::Start(Tag::Heading { level, id, .. }) => Event::Start(Tag::Heading {
            level: level.max(HeadingLevel::H2),
            id: id.filter(|i| allowed_id(i, prefixes, reserved) && seen.insert(i.to_string())),
            classes: Vec::new(),
            attrs: Vec::new(),
        }),
        Event::End(TagEnd::Heading(level)) => {
            Event::End(TagEnd::Heading(level.max(HeadingLevel::H2)))
        }
        other => neutralise(other),
    })
}

/// A whole page's text (the accessibility statement, the privacy notice) below the page's own
/// `<h1>`: `#` and `##` become `<h2>`, and a heading may carry an id (`## Kontakt {#a11y-x}`)
/// that starts with one of `prefixes` and is not `reserved`; other ids, and repeats, are dropped.
pub fn render_document(src: &str, prefixes: &[&str], reserved: &[&str]) -> String {
    let mut out = String::new();
    html::push_html(&mut out, document_events(src, prefixes, reserved));
    out
}

/// The ids of the headings `render_document` keeps, in order.
pub fn heading_ids(src: &str, prefixes: &[&str], reserved: &[&str]) -> Vec<String> {
    document_events(src, prefixes, reserved)
        .filter_map(|ev| match ev {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn renders_markdown_and_neutralises_html() {
        let out = render(
            "# Regulamin\n\n**Termin**: 15 marca.\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) [ok](https://mazovia.pl)",
        );
        assert!(out.contains("<h3>Regulamin</h3>"), "{out}");
        assert!(out.contains("<strong>Termin</strong>"));
        assert!(!out.contains("<script>"), "{out}");
        assert!(out.contains("&lt;script&gt;"));
        assert!(!out.contains("javascript:"), "{out}");
        assert!(out.contains("href=\"https://mazovia.pl\""));
        let img = render("![a](https://evil.example/x.png)");
        assert!(!img.contains("<img"), "{img}");
    }

    #[test]
    fn documents_keep_allowed_heading_ids_once() {
        let src = "# Top {#a11y-status}\n\n## Again {#a11y-status}\n\n## Page's own {#a11y-kontakt}\n\n\
                   ### Other {#main}\n\n## Odd {#a11y-\"x}\n\n<b>x</b> [y](javascript:alert(1))";
        let out = super::render_document(src, &["a11y-"], &["a11y-kontakt"]);
        assert!(out.contains("<h2 id=\"a11y-status\">Top</h2>"), "{out}");
        assert!(out.contains("<h2>Again</h2>"), "{out}");
        assert!(out.contains("<h2>Page's own</h2>"), "{out}");
        assert!(out.contains("<h3>Other</h3>"), "{out}");
        assert!(
            !out.contains("<b>") && !out.contains("javascript:"),
            "{out}"
        );
        assert_eq!(
            super::heading_ids(src, &["a11y-"], &["a11y-kontakt"]),
            vec!["a11y-status".to_string()]
        );
    }
}
