//! A real SMTP server for tests: it speaks the protocol over TCP to the portal's lettre
//! transport, keeps every message it accepts, and can be told to refuse the next ones.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub raw: String,
}

impl Mail {
    pub fn is_to(&self, addr: &str) -> bool {
        self.to.iter().any(|t| t.eq_ignore_ascii_case(addr))
    }

    /// The first link in the text part that starts with `prefix` (e.g. "http://127.0.0.1:1234/verify").
    pub fn link(&self, prefix: &str) -> String {
        let start = self
            .text
            .find(prefix)
            .unwrap_or_else(|| panic!("no link starting with {prefix} in:\n{}", self.text));
        self.text[start..]
            .split(|c: char| c.is_whitespace())
            .next()
            .unwrap()
            .to_string()
    }
}

#[derive(Default)]
struct Inbox {
    mails: Mutex<Vec<Mail>>,
    arrived: Condvar,
}

#[derive(Clone)]
pub struct SmtpSink {
    pub port: u16,
    inbox: Arc<Inbox>,
    /// Refuse this many of the next messages with a temporary error (451).
    reject_transient: Arc<AtomicU32>,
    /// Refuse this many of the next messages with a permanent error (550).
    reject_permanent: Arc<AtomicU32>,
    /// Never answer RCPT TO for this address (a server that hangs).
    hang_on: Arc<Mutex<Option<String>>>,
    /// Wait this long before accepting each message (a slow server).
    slow: Arc<Mutex<Duration>>,
    /// Connections accepted so far.
    connections: Arc<AtomicU32>,
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind smtp");
        let port = listener.local_addr().unwrap().port();
        let sink = SmtpSink {
            port,
            inbox: Arc::new(Inbox::default()),
            reject_transient: Arc::new(AtomicU32::new(0)),
            reject_permanent: Arc::new(AtomicU32::new(0)),
            hang_on: Arc::new(Mutex::new(None)),
            slow: Arc::new(Mutex::new(Duration::ZERO)),
            connections: Arc::new(AtomicU32::new(0)),
        };
        let s = sink.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                s.connections.fetch_add(1, Ordering::SeqCst);
                let s = s.clone();
                std::thread::spawn(move || {
                    let _ = s.session(stream);
                });
            }
        });
        sink
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn reject_next_transient(&self, n: u32) {
        self.reject_transient.store(n, Ordering::SeqCst);
    }

    pub fn reject_next_permanent(&self, n: u32) {
        self.reject_permanent.store(n, Ordering::SeqCst);
    }

    /// From now on, a message to an address containing `addr` (a whole address or `@domain`)
    /// gets no answer after RCPT TO (for two minutes).
    pub fn hang_on(&self, addr: &str) {
        *self.hang_on.lock().unwrap() = Some(addr.to_lowercase());
    }

    /// From now on, wait `d` after each message's data before accepting it.
    pub fn answer_slowly(&self, d: Duration) {
        *self.slow.lock().unwrap() = d;
    }

    /// How many SMTP connections were opened to this server.
    pub fn connections(&self) -> u32 {
        self.connections.load(Ordering::SeqCst)
    }

    pub fn all(&self) -> Vec<Mail> {
        self.inbox.mails.lock().unwrap().clone()
    }

    pub fn count_to(&self, addr: &str) -> usize {
        self.all().iter().filter(|m| m.is_to(addr)).count()
    }

    /// Waits (up to 15 s) until `pick` finds a message among those received.
    fn wait_until(&self, what: &str, pick: impl Fn(&[Mail]) -> Option<Mail>) -> Mail {
        let deadline = Instant::now() + Duration::from_secs(15);
        let mut mails = self.inbox.mails.lock().unwrap();
        loop {
            if let Some(m) = pick(&mails) {
                return m;
            }
            let now = Instant::now();
            if now >= deadline {
                panic!(
                    "no {what} within 15 s; received: {:?}",
                    mails
                        .iter()
                        .map(|m| (&m.to, &m.subject))
                        .collect::<Vec<_>>()
                );
            }
            mails = self
                .inbox
                .arrived
                .wait_timeout(mails, deadline - now)
                .unwrap()
                .0;
        }
    }

    /// Waits for a message to `addr` whose subject contains `part`.
    pub fn wait_subject_containing(&self, addr: &str, part: &str) -> Mail {
        self.wait_until(&format!("message to {addr} about {part}"), |mails| {
            mails
                .iter()
                .find(|m| m.is_to(addr) && m.subject.contains(part))
                .cloned()
        })
    }

    /// Waits for the `n`-th message (1-based) to `addr`.
    pub fn wait_nth(&self, addr: &str, n: usize) -> Mail {
        self.wait_until(&format!("message #{n} to {addr}"), |mails| {
            mails.iter().filter(|m| m.is_to(addr)).nth(n - 1).cloned()
        })
    }

    /// Waits for a message to `addr` with this subject.
    pub fn wait_subject(&self, addr: &str, subject: &str) -> Mail {
        self.wait_until(&format!("message {subject:?} to {addr}"), |mails| {
            mails
                .iter()
                .find(|m| m.subject == subject && m.is_to(addr))
                .cloned()
        })
    }

    /// Waits for the next message to `addr` after those already counted.
    pub fn wait_for(&self, addr: &str, already: usize) -> Mail {
        self.wait_nth(addr, already + 1)
    }

    fn session(&self, stream: TcpStream) -> std::io::Result<()> {
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        let mut out = stream.try_clone()?;
        let mut reader = BufReader::new(stream);
        let mut reply = |line: &str| -> std::io::Result<()> {
            out.write_all(line.as_bytes())?;
            out.write_all(b"\r\n")?;
            out.flush()
        };
        reply("220 test-smtp ESMTP ready")?;
        let (mut from, mut to) = (String::new(), Vec::<String>::new());
        let mut line = String::new();
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let cmd = line.trim_end().to_string();
            let upper = cmd.to_ascii_uppercase();
            if upper.starts_with("EHLO") {
                reply("250-test-smtp greets you")?;
                reply("250-8BITMIME")?;
                reply("250-SMTPUTF8")?;
                reply("250 SIZE 20000000")?;
            } else if upper.starts_with("HELO") {
                reply("250 test-smtp")?;
            } else if upper.starts_with("MAIL FROM:") {
                from = addr_of(&cmd[10..]);
                to.clear();
                reply("250 2.1.0 OK")?;
            } else if upper.starts_with("RCPT TO:") {
                let rcpt = addr_of(&cmd[8..]);
                let hang = self.hang_on.lock().unwrap().clone();
                if hang.is_some_and(|h| rcpt.contains(&h)) {
                    std::thread::sleep(Duration::from_secs(120));
                    return Ok(());
                }
                to.push(rcpt);
                reply("250 2.1.5 OK")?;
            } else if upper == "DATA" {
                reply("354 End data with <CR><LF>.<CR><LF>")?;
                let mut raw = String::new();
                loop {
                    line.clear();
                    if reader.read_line(&mut line)? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    let l = line.strip_prefix('.').unwrap_or(&line);
                    raw.push_str(l);
                }
                if take_one(&self.reject_permanent) {
                    reply("550 5.1.1 Mailbox unavailable (test)")?;
                } else if take_one(&self.reject_transient) {
                    reply("451 4.3.0 Temporary failure, try later (test)")?;
                } else {
                    let slow = *self.slow.lock().unwrap();
                    std::thread::sleep(slow);
                    self.store(&from, &to, raw);
                    reply("250 2.0.0 Queued")?;
                }
            } else if upper == "RSET" {
                to.clear();
                reply("250 OK")?;
            } else if upper == "NOOP" {
                reply("250 OK")?;
            } else if upper == "QUIT" {
                reply("221 Bye")?;
                return Ok(());
            } else {
                reply("502 5.5.2 Command not recognised")?;
            }
        }
    }

    fn store(&self, from: &str, to: &[String], raw: String) {
        let parsed = mail_parser::MessageParser::default().parse(raw.as_bytes());
        let (subject, text, html) = match &parsed {
            Some(m) => (
                m.subject().unwrap_or("").to_string(),
                m.body_text(0).map(|t| t.to_string()).unwrap_or_default(),
                m.body_html(0).map(|t| t.to_string()).unwrap_or_default(),
            ),
            None => (String::new(), String::new(), String::new()),
        };
        let mail = Mail {
            from: from.to_string(),
            to: to.to_vec(),
            subject,
            text,
            html,
            raw,
        };
        self.inbox.mails.lock().unwrap().push(mail);
        self.inbox.arrived.notify_all();
    }
}

fn take_one(counter: &AtomicU32) -> bool {
    counter
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
}

fn addr_of(s: &str) -> String {
    let s = s.trim();
    let inner = s.split('>').next().unwrap_or(s);
    inner.trim_start_matches('<').trim().to_lowercase()
}
