//! A small W3C WebDriver client for Chromium through chromedriver: enough to open pages, find
//! controls by their visible label, type, click, and run axe-core in the page.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    profile: std::path::PathBuf,
}

pub fn chromium_paths() -> Option<(String, String)> {
    let chrome = [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .into_iter()
    .find(|p| std::path::Path::new(p).exists())?;
    let driver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())?;
    Some((chrome.to_string(), driver.to_string()))
}

impl Browser {
    pub fn start(chrome: &str, driver: &str) -> Browser {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while ureq::get(format!("{base}/status")).call().is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = std::env::temp_dir().join(format!("konkurs-chrome-{port}"));
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chrome,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-quic", "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                         format!("--user-data-dir={}", profile.display())]
            }
        }}});
        let mut b = Browser {
            driver: child,
            base,
            session: String::new(),
            profile,
        };
        let v = b.call("POST", "/session", Some(caps));
        b.session = v["value"]["sessionId"]
            .as_str()
            .expect("session id")
            .to_string();
        b.cmd(
            "POST",
            "/timeouts",
            Some(json!({"script": 60000, "pageLoad": 30000, "implicit": 0})),
        );
        b
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{}", self.base, path);
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let res = match (method, body) {
            ("GET", _) => agent.get(&url).call(),
            ("DELETE", _) => agent.delete(&url).call(),
            (_, Some(b)) => agent.post(&url).send_json(b),
            (_, None) => agent.post(&url).send_json(json!({})),
        };
        let mut res = res.unwrap_or_else(|e| panic!("webdriver {method} {path}: {e}"));
        let v: Value = res.body_mut().read_json().unwrap_or(Value::Null);
        if let Some(err) = v["value"]["error"].as_str() {
            panic!(
                "webdriver {method} {path}: {err}: {}",
                v["value"]["message"]
            );
        }
        v
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.call(method, &format!("/session/{}{}", self.session, path), body)["value"].clone()
    }

    pub fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({"url": url})));
    }

    pub fn url(&self) -> String {
        self.cmd("GET", "/url", None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    pub fn source(&self) -> String {
        self.cmd("GET", "/source", None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn find(&self, using: &str, value: &str) -> Option<String> {
        let v = self.call(
            "POST",
            &format!("/session/{}/elements", self.session),
            Some(json!({"using": using, "value": value})),
        );
        v["value"].as_array()?.first()?[ELEMENT]
            .as_str()
            .map(str::to_string)
    }

    fn must(&self, using: &str, value: &str) -> String {
        self.find(using, value)
            .unwrap_or_else(|| panic!("no element {value} on {}:\n{}", self.url(), self.source()))
    }

    /// The form control whose `<label>` starts with this visible text.
    pub fn by_label(&self, label: &str) -> String {
        let xpath = format!(
            "//label[starts-with(normalize-space(.), {})]",
            xpath_literal(label)
        );
        let l = self.must("xpath", &xpath);
        let id = self.cmd("GET", &format!("/element/{l}/attribute/for"), None);
        let id = id
            .as_str()
            .unwrap_or_else(|| panic!("label {label} has no for="));
        self.must("css selector", &format!("#{id}"))
    }

    pub fn fill(&self, label: &str, text: &str) {
        let el = self.by_label(label);
        self.cmd("POST", &format!("/element/{el}/clear"), Some(json!({})));
        self.cmd(
            "POST",
            &format!("/element/{el}/value"),
            Some(json!({"text": text})),
        );
    }

    pub fn choose(&self, label: &str, option: &str) {
        let select = self.by_label(label);
        let id = self.cmd("GET", &format!("/element/{select}/attribute/id"), None);
        let xpath = format!(
            "//select[@id='{}']/option[normalize-space(.)={}]",
            id.as_str().unwrap(),
            xpath_literal(option)
        );
        let opt = self.must("xpath", &xpath);
        self.cmd("POST", &format!("/element/{opt}/click"), Some(json!({})));
    }

    pub fn check(&self, label: &str) {
        let el = self.by_label(label);
        self.cmd("POST", &format!("/element/{el}/click"), Some(json!({})));
    }

    /// Presses the button with this visible text and waits for the page it leads to.
    pub fn press(&self, text: &str) {
        let xpath = format!(
            "//button[starts-with(normalize-space(.), {})]",
            xpath_literal(text)
        );
        let b = self.must("xpath", &xpath);
        self.script("window.__konkursOldPage = true; return true;");
        self.cmd("POST", &format!("/element/{b}/click"), Some(json!({})));
        let deadline = Instant::now() + Duration::from_secs(15);
        while self.script(
            "return window.__konkursOldPage === undefined && document.readyState === 'complete';",
        ) != json!(true)
        {
            assert!(
                Instant::now() < deadline,
                "pressing {text:?} led to no new page"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Presses Enter in the field with this label (the form's implicit submission, which
    /// presses its first submit button) and waits for the page it leads to.
    pub fn enter_in(&self, label: &str) {
        let el = self.by_label(label);
        self.script("window.__konkursOldPage = true; return true;");
        self.cmd(
            "POST",
            &format!("/element/{el}/value"),
            Some(json!({"text": "\u{E007}"})),
        );
        let deadline = Instant::now() + Duration::from_secs(15);
        while self.script(
            "return window.__konkursOldPage === undefined && document.readyState === 'complete';",
        ) != json!(true)
        {
            assert!(
                Instant::now() < deadline,
                "Enter in {label:?} led to no new page"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn script(&self, js: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": js, "args": []})),
        )
    }

    pub fn h1(&self) -> String {
        let h = self.must("css selector", "h1");
        self.cmd("GET", &format!("/element/{h}/text"), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    pub fn text(&self) -> String {
        let b = self.must("css selector", "body");
        self.cmd("GET", &format!("/element/{b}/text"), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Runs axe-core with the WCAG 2.1 A and AA rules; returns the violations, readable.
    pub fn axe(&self, axe_source: &str) -> Vec<String> {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": format!("{axe_source}\n;return true;"), "args": []})),
        );
        let script = r#"
            var done = arguments[arguments.length - 1];
            axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})
              .then(function (r) {
                done(r.violations.map(function (v) {
                  return v.id + ' (' + v.impact + '): ' + v.help + ' — ' +
                    v.nodes.map(function (n) { return n.target.join(' '); }).join(', ');
                }));
              })
              .catch(function (e) { done(['axe failed: ' + e]); });
        "#;
        let v = self.cmd(
            "POST",
            "/execute/async",
            Some(json!({"script": script, "args": []})),
        );
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_else(|| vec![format!("axe returned {v}")])
    }

    /// Emulates a phone's viewport (CSS pixels, touch-screen layout with the page's viewport
    /// meta tag honoured) through the Chrome DevTools protocol.
    pub fn phone_viewport(&self, width: u32, height: u32) {
        self.cmd(
            "POST",
            "/goog/cdp/execute",
            Some(
                json!({"cmd": "Emulation.setDeviceMetricsOverride", "params": {
                    "width": width, "height": height, "deviceScaleFactor": 2, "mobile": true
                }}),
            ),
        );
    }

    /// Back to the window's own size.
    pub fn desktop_viewport(&self) {
        self.cmd(
            "POST",
            "/goog/cdp/execute",
            Some(json!({"cmd": "Emulation.clearDeviceMetricsOverride", "params": {}})),
        );
    }

    /// Runs a script in the page and returns its value.
    pub fn eval(&self, js: &str) -> Value {
        self.script(js)
    }

    /// The document's scrollable width and the viewport's width, in CSS pixels.
    pub fn widths(&self) -> (i64, i64) {
        let v = self.script(
            "return [document.documentElement.scrollWidth, window.innerWidth, document.documentElement.clientWidth];",
        );
        let n = |i: usize| v[i].as_i64().unwrap_or(-1);
        // The narrower of the window and the layout viewport: a page that overflows must not be
        // able to hide it by making the browser zoom out.
        (n(0), n(1).min(n(2)))
    }

    pub fn delete_cookies(&self) {
        self.cmd("DELETE", "/cookie", None);
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.call("DELETE", &format!("/session/{}", self.session), None)
            }));
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn xpath_literal(s: &str) -> String {
    if !s.contains('\'') {
        format!("'{s}'")
    } else {
        format!("\"{s}\"")
    }
}
