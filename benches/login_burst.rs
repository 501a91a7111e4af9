//! A burst of logins against the real release binary: 64 clients each logging in over and over
//! for 20 s, while `/healthz` is timed every 50 ms and the server's memory every 100 ms, then
//! 10 s of watching the memory come back.
//!
//!     cargo bench --bench login_burst
//!     BENCH_CLIENTS=16 BENCH_SECONDS=5 cargo bench --bench login_burst   # a quicker look
//!
//! It starts `konkurs serve` on a temporary data directory (SQLite) after creating one organiser
//! account per client with `konkurs create-organiser`. A login is one GET /login (the session
//! cookie and the CSRF token) and one POST /login; anything but a 303 to the account page is a
//! failure. Prints the figures beside the targets and exits with failure if one is missed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PASSWORD: &str = "lantern orchard quietly forty-two";
const AFTER: Duration = Duration::from_secs(10);
const TARGET_PEAK_MB: f64 = 150.0;
const TARGET_AFTER_MB: f64 = 60.0;
const TARGET_HEALTHZ_P99_MS: f64 = 50.0;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_konkurs"));
    for var in [
        "DATABASE_URL",
        "KONKURS_SECRET_KEY",
        "KONKURS_SMTP_URL",
        "KONKURS_PASSWORD",
        "KONKURS_BASE_URL",
    ] {
        c.env_remove(var);
    }
    c.env("RUST_LOG", "warn");
    c
}

fn email(i: usize) -> String {
    format!("burst{i:03}@example.org")
}

/// The server process, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn create_accounts(dir: &Path, n: usize) {
    for i in 0..n {
        let out = bin()
            .args(["create-organiser", "--email", &email(i), "--data-dir"])
            .arg(dir)
            .env("KONKURS_PASSWORD", PASSWORD)
            .stdin(Stdio::null())
            .output()
            .expect("run konkurs create-organiser");
        assert!(
            out.status.success(),
            "create-organiser failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn serve(dir: &Path) -> (Server, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let child = bin()
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start konkurs serve");
    let server = Server(child);
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while ureq::get(format!("{base}/healthz")).call().is_err() {
        assert!(Instant::now() < deadline, "the server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    (server, base)
}

/// VmRSS and VmHWM of a process, in MB.
fn memory(pid: u32) -> Option<(f64, f64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb = |key: &str| -> Option<f64> {
        let line = status.lines().find(|l| l.starts_with(key))?;
        let n: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(n as f64 / 1024.0)
    };
    Some((kb("VmRSS:")?, kb("VmHWM:")?))
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .new_agent()
}

/// One login: the form (session cookie and CSRF token), then the POST. `Ok` only for a 303 to
/// the account page; otherwise what came back.
fn login(agent: &ureq::Agent, base: &str, email: &str) -> Result<(), String> {
    let mut page = agent
        .get(format!("{base}/login"))
        .call()
        .map_err(|e| format!("GET /login: {e}"))?;
    if page.status() != 200 {
        return Err(format!("GET /login {}", page.status().as_u16()));
    }
    let body = page
        .body_mut()
        .read_to_string()
        .map_err(|e| format!("GET /login body: {e}"))?;
    let marker = "name=\"csrf\" value=\"";
    let at = body.find(marker).ok_or("no CSRF field")? + marker.len();
    let csrf = body.get(at..at + 64).ok_or("short CSRF field")?;
    let res = agent
        .post(format!("{base}/login"))
        .send_form([
            ("csrf", csrf),
            ("email", email),
            ("password", PASSWORD),
            ("next", ""),
        ])
        .map_err(|e| format!("POST /login: {e}"))?;
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if res.status() == 303 && location == "/account" {
        Ok(())
    } else {
        Err(format!("POST /login {} {location}", res.status().as_u16()))
    }
}

// A rank within the sample count: non-negative and small.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn temp_dir() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let d = std::env::temp_dir().join(format!(
        "konkurs-login-burst-{}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&d).expect("create the data directory");
    d
}

#[allow(clippy::too_many_lines)]
fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing we use.
    let clients = usize::try_from(env_or("BENCH_CLIENTS", 64)).unwrap_or(64);
    let burst = Duration::from_secs(env_or("BENCH_SECONDS", 20));
    let dir = temp_dir();

    let started = Instant::now();
    create_accounts(&dir, clients);
    println!(
        "{clients} accounts created in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let (server, base) = serve(&dir);
    let pid = server.0.id();
    let idle = memory(pid).map_or(f64::NAN, |m| m.0);

    let burst_on = Arc::new(AtomicBool::new(true));
    let sampling = Arc::new(AtomicBool::new(true));

    // Memory every 100 ms, until the end of the watch after the burst.
    let samples: Arc<Mutex<Vec<(Duration, f64, f64)>>> = Arc::default();
    let t0 = Instant::now();
    let sampler = {
        let (samples, sampling) = (samples.clone(), sampling.clone());
        std::thread::spawn(move || {
            while sampling.load(Ordering::Relaxed) {
                if let Some((rss, hwm)) = memory(pid) {
                    samples.lock().unwrap().push((t0.elapsed(), rss, hwm));
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        })
    };

    // `/healthz` every 50 ms during the burst.
    let health = {
        let (base, burst_on) = (base.clone(), burst_on.clone());
        std::thread::spawn(move || {
            let agent = agent();
            let (mut times, mut failed) = (Vec::new(), 0u64);
            while burst_on.load(Ordering::Relaxed) {
                let at = Instant::now();
                match agent.get(format!("{base}/healthz")).call() {
                    Ok(r) if r.status() == 200 => times.push(ms(at.elapsed())),
                    _ => failed += 1,
                }
                std::thread::sleep(Duration::from_millis(50).saturating_sub(at.elapsed()));
            }
            (times, failed)
        })
    };

    // The clients: each logs in as its own account, again and again, until the burst ends.
    let workers: Vec<_> = (0..clients)
        .map(|i| {
            let (base, burst_on) = (base.clone(), burst_on.clone());
            std::thread::spawn(move || {
                let (mut times, mut failures) = (Vec::new(), BTreeMap::<String, u64>::new());
                let email = email(i);
                while burst_on.load(Ordering::Relaxed) {
                    // A fresh agent per login: a new browser, a new session.
                    let agent = agent();
                    let at = Instant::now();
                    match login(&agent, &base, &email) {
                        Ok(()) => times.push(ms(at.elapsed())),
                        Err(e) => *failures.entry(e).or_default() += 1,
                    }
                }
                (times, failures)
            })
        })
        .collect();

    std::thread::sleep(burst);
    burst_on.store(false, Ordering::Relaxed);
    let mut login_times = Vec::new();
    let mut failures = BTreeMap::<String, u64>::new();
    for w in workers {
        let (times, f) = w.join().expect("client thread");
        login_times.extend(times);
        for (k, v) in f {
            *failures.entry(k).or_default() += v;
        }
    }
    let burst_end = t0.elapsed();
    let (mut health_times, health_failed) = health.join().expect("healthz thread");

    // Watch the memory come back.
    std::thread::sleep(AFTER);
    sampling.store(false, Ordering::Relaxed);
    sampler.join().expect("sampler thread");
    let samples = samples.lock().unwrap().clone();
    let peak_hwm = samples.iter().map(|s| s.2).fold(0.0, f64::max);
    let peak_rss = samples.iter().map(|s| s.1).fold(0.0, f64::max);
    let after = samples.last().map_or(f64::NAN, |s| s.1);
    let back_under = samples
        .iter()
        .filter(|s| s.0 >= burst_end)
        .find(|s| s.1 < TARGET_AFTER_MB)
        .map(|s| (s.0 - burst_end).as_secs_f64());
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);

    let logins = login_times.len();
    let failed: u64 = failures.values().sum::<u64>() + health_failed;
    login_times.sort_by(f64::total_cmp);
    health_times.sort_by(f64::total_cmp);
    let health_p99 = percentile(&health_times, 99.0);
    let peak = peak_hwm.max(peak_rss);

    let verdict = |ok: bool| if ok { "ok" } else { "MISSED" };
    println!();
    println!(
        "login burst: {clients} clients for {} s, then {} s watching ({} cores)",
        burst.as_secs(),
        AFTER.as_secs(),
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    );
    println!("{:<28} {:>12} {:>12}", "", "measured", "target");
    println!(
        "{:<28} {:>12.1} {:>12}",
        "logins/s",
        logins as f64 / burst.as_secs_f64(),
        ""
    );
    println!(
        "{:<28} {:>12} {:>12} {}",
        "failed requests",
        failed,
        "0",
        verdict(failed == 0)
    );
    println!(
        "{:<28} {:>12.1} {:>12}",
        "login p50 / p99 ms",
        percentile(&login_times, 50.0),
        format!("{:.0}", percentile(&login_times, 99.0))
    );
    println!("{:<28} {:>12.1} {:>12}", "RSS idle MB", idle, "");
    println!(
        "{:<28} {:>12.1} {:>12} {}",
        "peak RSS MB (VmHWM)",
        peak,
        format!("< {TARGET_PEAK_MB}"),
        verdict(peak < TARGET_PEAK_MB)
    );
    println!(
        "{:<28} {:>12.1} {:>12} {}",
        "RSS at +10 s MB",
        after,
        format!("< {TARGET_AFTER_MB}"),
        verdict(after < TARGET_AFTER_MB)
    );
    println!(
        "{:<28} {:>12} {:>12}",
        "back under 60 MB after",
        back_under.map_or("never".into(), |s| format!("{s:.1} s")),
        "≤ 10 s"
    );
    println!(
        "{:<28} {:>12.1} {:>12}",
        "healthz p50 ms",
        percentile(&health_times, 50.0),
        ""
    );
    println!(
        "{:<28} {:>12.1} {:>12} {}",
        "healthz p99 ms",
        health_p99,
        format!("< {TARGET_HEALTHZ_P99_MS}"),
        verdict(health_p99 < TARGET_HEALTHZ_P99_MS)
    );
    println!(
        "{:<28} {:>12.1} {:>12}",
        "healthz max ms",
        health_times.last().copied().unwrap_or(f64::NAN),
        ""
    );
    for (what, n) in &failures {
        println!("  failure: {what} × {n}");
    }
    if health_failed > 0 {
        println!("  failure: /healthz not 200 × {health_failed}");
    }
    let met = failed == 0
        && peak < TARGET_PEAK_MB
        && after < TARGET_AFTER_MB
        && health_p99 < TARGET_HEALTHZ_P99_MS;
    if !met {
        std::process::exit(1);
    }
}
