//! Markdown for rules texts, rendered safely: raw HTML is shown as text, and links may only
//! point to http(s), mailto or this site.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || (lower.starts_with('/') && !lower.starts_with("//"))
        || lower.starts_with('#')
}

pub fn render(src: &str) -> String {
    let parser =
        Parser::new_ext(src, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).map(|ev| {
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
                Event::End(pulldown_cmark::TagEnd::Image) => Event::Text(CowStr::from("")),
                other => other,
            }
        });
    let mut out = String::new();
    html::push_html(&mut out, parser);
    // Headings in rules start below the page's own <h1> and <h2>.
    out.replace("<h1>", "<h3>")
        .replace("</h1>", "</h3>")
        .replace("<h2>", "<h3>")
        .replace("</h2>", "</h3>")
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
}
