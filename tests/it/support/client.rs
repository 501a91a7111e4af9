//! An HTTP client that behaves like a browser for server-rendered pages: it keeps cookies,
//! follows redirects, and fills in forms including their hidden CSRF token.

use ureq::ResponseExt;

#[derive(Debug, Clone)]
pub struct Page {
    pub status: u16,
    /// The final address after redirects.
    pub url: String,
    pub body: String,
    pub headers: Vec<(String, String)>,
}

impl Page {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The CSRF token of the form that posts to `action`.
    pub fn csrf_for(&self, action: &str) -> String {
        let marker = format!("action=\"{action}\"");
        let start = self.body.find(&marker).unwrap_or_else(|| {
            panic!(
                "no form posting to {action} on {}:\n{}",
                self.url, self.body
            )
        });
        let rest = &self.body[start..];
        let tok = rest
            .find("name=\"csrf\" value=\"")
            .expect("form has a CSRF field")
            + 19;
        rest[tok..tok + 64].to_string()
    }

    pub fn assert_contains(&self, text: &str) {
        assert!(
            self.body.contains(text),
            "expected {text:?} on {} ({}):\n{}",
            self.url,
            self.status,
            self.body
        );
    }

    pub fn assert_not_contains(&self, text: &str) {
        assert!(
            !self.body.contains(text),
            "did not expect {text:?} on {}",
            self.url
        );
    }

    /// The text of the page's only `<h1>`.
    pub fn h1(&self) -> String {
        assert_eq!(
            self.body.matches("<h1").count(),
            1,
            "exactly one <h1> on {}",
            self.url
        );
        let s = self.body.find("<h1").unwrap();
        let s = s + self.body[s..].find('>').unwrap() + 1;
        let e = s + self.body[s..].find("</h1>").unwrap();
        self.body[s..e].trim().to_string()
    }

    /// Whether `field` is shown with an error message tied to it and linked from the summary.
    pub fn has_field_error(&self, field: &str) -> bool {
        self.body.contains(&format!("id=\"f-{field}-error\""))
            && self.body.contains(&format!("href=\"#f-{field}\""))
    }
}

#[derive(Clone)]
pub struct Client {
    pub agent: ureq::Agent,
    pub base: String,
}

/// Longer than any request of the suite takes on a loaded machine (the slowest wait on SMTP or
/// on a row lock for a few seconds).
const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(90);

impl Client {
    pub fn new(base: &str) -> Client {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(10)
            .save_redirect_history(true)
            // A request that never ends fails its test (with the URL) instead of hanging the run.
            .timeout_global(Some(REQUEST_TIMEOUT))
            .build()
            .new_agent();
        Client {
            agent,
            base: base.to_string(),
        }
    }

    fn page(url: &str, res: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Page {
        let mut res = res.unwrap_or_else(|e| panic!("request to {url} failed: {e}"));
        let final_url = res.get_uri().to_string();
        let headers = res
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let status = res.status().as_u16();
        let body = res
            .body_mut()
            .with_config()
            .limit(50 << 20)
            .read_to_string()
            .unwrap_or_default();
        Page {
            status,
            url: final_url,
            body,
            headers,
        }
    }

    pub fn abs(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{}", self.base, path)
        }
    }

    pub fn get(&self, path: &str) -> Page {
        let url = self.abs(path);
        Self::page(&url, self.agent.get(&url).call())
    }

    pub fn get_abs(&self, url: &str) -> Page {
        self.get(url)
    }

    /// A GET that does not follow redirects (to check where one points).
    pub fn get_no_redirect(&self, path: &str) -> Page {
        let url = self.abs(path);
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(REQUEST_TIMEOUT))
            .build()
            .into();
        // Same cookies as this client.
        let cookies: Vec<String> = self
            .agent
            .cookie_jar_lock()
            .iter()
            .map(|c| format!("{}={}", c.name(), c.value()))
            .collect();
        Self::page(
            &url,
            agent.get(&url).header("Cookie", cookies.join("; ")).call(),
        )
    }

    /// POSTs exactly these fields (no token is added).
    pub fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let url = self.abs(path);
        Self::page(
            &url,
            self.agent.post(&url).send_form(fields.iter().copied()),
        )
    }

    /// POSTs a body exactly as given, for input no form would produce (invalid UTF-8…).
    pub fn post_raw(&self, path: &str, content_type: &str, body: &[u8]) -> Page {
        let url = self.abs(path);
        Self::page(
            &url,
            self.agent
                .post(&url)
                .header("Content-Type", content_type)
                .send(body),
        )
    }

    /// Opens `page_path`, then submits its form that posts to `action` with these fields and
    /// the form's CSRF token, like a person pressing its button.
    pub fn submit(&self, page_path: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let page = self.get(page_path);
        assert!(
            page.status < 400,
            "cannot open {page_path}: {} {}",
            page.status,
            page.body
        );
        self.submit_on(&page, action, fields)
    }

    pub fn submit_abs(&self, url: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        self.submit(url, action, fields)
    }

    /// Submits a form of a page already loaded, keeping its hidden fields (token, next…).
    pub fn submit_on(&self, page: &Page, action: &str, fields: &[(&str, &str)]) -> Page {
        // Given fields replace hidden ones of the same name; a name may repeat (checkboxes).
        let mut all: Vec<(String, String)> = hidden_fields(&page.body, action);
        all.retain(|(hk, _)| !fields.iter().any(|(k, _)| k == hk));
        all.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        // The action as written in the page (`&#38;` between query parameters) is the address.
        let url = self.abs(&unescape(action));
        Self::page(
            &url,
            self.agent
                .post(&url)
                .send_form(all.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
        )
    }

    /// Uploads a file through the multipart form on `page_path` that posts to `action`.
    pub fn upload(&self, page_path: &str, action: &str, filename: &str, bytes: &[u8]) -> Page {
        let page = self.get(page_path);
        let csrf = page.csrf_for(action);
        self.upload_with(action, &csrf, filename, bytes)
    }

    pub fn upload_with(&self, action: &str, csrf: &str, filename: &str, bytes: &[u8]) -> Page {
        let boundary = "----konkursTestBoundary7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let url = self.abs(action);
        Self::page(
            &url,
            self.agent
                .post(&url)
                .header(
                    "Content-Type",
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .send(&body[..]),
        )
    }

    /// A GET with extra request headers (those a reverse proxy adds), keeping this client's
    /// cookies.
    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Page {
        let url = self.abs(path);
        let mut req = self.agent.get(&url);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        Self::page(&url, req.call())
    }

    /// [`Client::submit_on`] with extra request headers.
    pub fn submit_on_with(
        &self,
        page: &Page,
        action: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Page {
        let mut all: Vec<(String, String)> = hidden_fields(&page.body, action);
        all.retain(|(hk, _)| !fields.iter().any(|(k, _)| k == hk));
        all.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        // The action as written in the page (`&#38;` between query parameters) is the address.
        let url = self.abs(&unescape(action));
        let mut req = self.agent.post(&url);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        Self::page(
            &url,
            req.send_form(all.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
        )
    }

    /// The session cookie, to copy into another client.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.agent
            .cookie_jar_lock()
            .iter()
            .find(|c| c.name() == name)
            .map(|c| c.value().to_string())
    }

    /// A new client holding a copy of this client's cookies.
    pub fn clone_cookies(&self) -> Client {
        let other = Client::new(&self.base);
        let uri: ureq::http::Uri = self.base.parse().unwrap();
        {
            let mine: Vec<String> = self
                .agent
                .cookie_jar_lock()
                .iter()
                .map(|c| format!("{}={}; Path=/", c.name(), c.value()))
                .collect();
            let mut jar = other.agent.cookie_jar_lock();
            for c in mine {
                jar.insert(ureq::Cookie::parse(c, &uri).unwrap(), &uri)
                    .unwrap();
            }
            jar.release();
        }
        other
    }
}

/// The hidden inputs of the form that posts to `action`.
pub fn hidden_fields(body: &str, action: &str) -> Vec<(String, String)> {
    let marker = format!("action=\"{action}\"");
    let Some(start) = body.find(&marker) else {
        return Vec::new();
    };
    let end = start + body[start..].find("</form>").unwrap_or(body.len() - start);
    let form = &body[start..end];
    let mut out = Vec::new();
    for part in form.split("<input").skip(1) {
        let tag = &part[..part.find('>').unwrap_or(part.len())];
        if !tag.contains("type=\"hidden\"") {
            continue;
        }
        if let (Some(n), Some(v)) = (attr(tag, "name"), attr(tag, "value")) {
            out.push((n, unescape(&v)));
        }
    }
    out
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let m = format!(" {name}=\"");
    let s = tag.find(&m)? + m.len();
    let e = s + tag[s..].find('"')?;
    Some(tag[s..e].to_string())
}

/// What askama writes for a text: `&`, `<`, `>`, `"` and `'` escaped.
pub fn escape(s: &str) -> String {
    s.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

pub fn unescape(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#47;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

/// A value percent-encoded for an `application/x-www-form-urlencoded` body.
pub fn escape_form(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
