//! Who the client is behind a reverse proxy: the list of trusted proxies (IPs and CIDR ranges),
//! the walk over `X-Forwarded-For`, and which incoming request ids are kept.
//!
//! `X-Forwarded-For` is written by whoever sends the request, so only the entries appended by
//! proxies we trust mean anything: walking from the right (the entry our peer appended) past
//! every trusted proxy, the first address that is not one of ours is the client. Entries further
//! left were supplied by that client and may be anything.

use std::net::IpAddr;

/// One entry of `KONKURS_TRUSTED_PROXIES`: an address, or a range in CIDR notation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpRange {
    /// The network address (host bits cleared).
    net: IpAddr,
    prefix: u8,
}

impl IpRange {
    /// `10.0.0.1`, `10.0.0.0/8`, `::1`, `2001:db8::/32`. Host bits set below the prefix are
    /// cleared (`10.1.2.3/8` is `10.0.0.0/8`).
    pub fn parse(s: &str) -> Result<IpRange, String> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let net: IpAddr = addr
            .parse()
            .map_err(|_| format!("'{s}' is not an IP address or a CIDR range"))?;
        let net = net.to_canonical();
        let max = if net.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => match p.parse::<u8>() {
                Ok(n) if n <= max && !p.starts_with('+') => n,
                _ => {
                    return Err(format!(
                        "'{s}': the prefix length must be a number from 0 to {max}"
                    ));
                }
            },
        };
        Ok(IpRange {
            net: mask(net, prefix),
            prefix,
        })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        ip.is_ipv4() == self.net.is_ipv4() && mask(ip, self.prefix) == self.net
    }
}

fn mask(ip: IpAddr, prefix: u8) -> IpAddr {
    match ip {
        IpAddr::V4(a) => {
            let bits = u32::from(a);
            let m = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V4((bits & m).into())
        }
        IpAddr::V6(a) => {
            let bits = u128::from(a);
            let m = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V6((bits & m).into())
        }
    }
}

/// The proxies whose forwarding headers are believed. Empty (the default): none are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpRange>);

impl TrustedProxies {
    /// A comma-separated list of addresses and CIDR ranges; empty entries are ignored, any other
    /// entry that does not parse refuses the whole list.
    pub fn parse(list: &str) -> Result<TrustedProxies, String> {
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(IpRange::parse)
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    /// Some range is wider than any proxy pool (a prefix shorter than /8 for IPv4, /16 for
    /// IPv6): then clients on the internet may choose their own address.
    pub fn too_wide(&self) -> bool {
        self.0
            .iter()
            .any(|r| r.prefix < if r.net.is_ipv4() { 8 } else { 16 })
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|r| r.contains(ip))
    }

    /// The client's address for a request from `peer` carrying these `X-Forwarded-For` values
    /// (every header of that name, in order). From an untrusted peer the header is ignored.
    /// From a trusted one, the right-most entry that is not a trusted proxy; when every entry
    /// is trusted, the left-most; when there is none, or the entry reached does not parse, the
    /// peer itself (it is trusted, and nothing better is known).
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.contains(peer) {
            return peer;
        }
        let entries: Vec<&str> = forwarded_for
            .iter()
            .flat_map(|h| h.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let mut last = peer;
        for entry in entries.iter().rev() {
            let Some(ip) = parse_forwarded_ip(entry) else {
                return peer;
            };
            if !self.contains(ip) {
                return ip;
            }
            last = ip;
        }
        last
    }
}

/// One `X-Forwarded-For` entry: an address, possibly with a port (`1.2.3.4:5678`,
/// `[2001:db8::1]:443`).
fn parse_forwarded_ip(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    let ip = if let Ok(ip) = entry.parse::<IpAddr>() {
        ip
    } else if let Some(rest) = entry.strip_prefix('[') {
        rest.split_once(']')?.0.parse().ok()?
    } else if let Ok(sock) = entry.parse::<std::net::SocketAddr>() {
        sock.ip()
    } else {
        return None;
    };
    Some(ip.to_canonical())
}

/// Whether `X-Forwarded-Proto` says the client used https (the left-most value: what the
/// first proxy saw). Claiming https wrongly can only add `Secure` to cookies.
pub fn forwarded_https(proto: Option<&str>) -> bool {
    proto
        .and_then(|p| p.split(',').next())
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"))
}

/// The network a limit counts for `ip`: an IPv4 address itself, an IPv6 address's /64 — the
/// smallest network one subscriber gets, so walking through the addresses of one's own /64
/// does not escape a per-address limit.
pub fn limit_network(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            let net = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
            format!("{net}/64")
        }
    }
}

/// An incoming `X-Request-Id` worth keeping: 1–100 characters of `[A-Za-z0-9._:-]`, so it can
/// go into a log line and back into a header unchanged.
pub fn valid_request_id(id: &str) -> bool {
    (1..=100).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".:_-".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_count_an_ipv6_subscriber_network_as_one_address() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(limit_network(ip("203.0.113.7")), "203.0.113.7");
        assert_eq!(
            limit_network(ip("2001:db8:1:1::1")),
            limit_network(ip("2001:db8:1:1:ffff:aaaa:1:2"))
        );
        assert_eq!(limit_network(ip("2001:db8:1:1::1")), "2001:db8:1:1::/64");
        assert_ne!(
            limit_network(ip("2001:db8:1:1::1")),
            limit_network(ip("2001:db8:1:2::1"))
        );
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn parses_addresses_and_ranges_of_both_families() {
        let t = TrustedProxies::parse(" 10.0.0.0/8, 192.168.1.5 ,,2001:db8::/32, ::1").unwrap();
        assert!(t.contains(ip("10.200.3.4")));
        assert!(!t.contains(ip("11.0.0.1")));
        assert!(t.contains(ip("192.168.1.5")));
        assert!(!t.contains(ip("192.168.1.6")));
        assert!(t.contains(ip("2001:db8:ffff::1")));
        assert!(!t.contains(ip("2001:db9::1")));
        assert!(t.contains(ip("::1")));
        // An IPv4 peer seen on a dual-stack socket.
        assert!(t.contains(ip("::ffff:10.1.1.1")));
        assert!(TrustedProxies::parse("").unwrap().is_empty());
        assert!(TrustedProxies::parse(" , ").unwrap().is_empty());
        // Host bits below the prefix are cleared; /0 is everything of that family.
        assert_eq!(
            IpRange::parse("10.1.2.3/8").unwrap(),
            IpRange::parse("10.0.0.0/8").unwrap()
        );
        assert!(IpRange::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        assert!(!IpRange::parse("0.0.0.0/0").unwrap().contains(ip("::2")));
        assert!(IpRange::parse("::/0").unwrap().contains(ip("2001:db8::1")));
    }

    #[test]
    fn refuses_a_bad_entry_with_its_text() {
        for bad in [
            "10.0.0.0/33",
            "::/129",
            "10.0.0.0/",
            "10.0.0.0/+8",
            "10.0.0.0/x",
            "localhost",
            "10.0.0",
            "1.2.3.4:80",
        ] {
            let e = TrustedProxies::parse(&format!("127.0.0.1, {bad}")).unwrap_err();
            assert!(e.contains(bad), "{bad}: {e}");
        }
    }

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_peer() {
        let t = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").unwrap();
        // Not trusted: the header is ignored.
        assert_eq!(
            t.client(ip("198.51.100.1"), &["1.2.3.4"]),
            ip("198.51.100.1")
        );
        // Trusted: the right-most untrusted entry wins, spoofed left-most ones do not.
        assert_eq!(
            t.client(ip("127.0.0.1"), &["1.2.3.4, 203.0.113.7"]),
            ip("203.0.113.7")
        );
        assert_eq!(
            t.client(ip("127.0.0.1"), &["1.2.3.4, 203.0.113.7, 10.0.0.2"]),
            ip("203.0.113.7")
        );
        // Several headers are one list.
        assert_eq!(
            t.client(ip("127.0.0.1"), &["1.2.3.4", "203.0.113.7", "10.9.9.9"]),
            ip("203.0.113.7")
        );
        // Every entry trusted: the left-most.
        assert_eq!(
            t.client(ip("127.0.0.1"), &["10.0.0.3, 10.0.0.2"]),
            ip("10.0.0.3")
        );
        // None, or one that does not parse where the walk stops: the peer.
        assert_eq!(t.client(ip("127.0.0.1"), &[]), ip("127.0.0.1"));
        assert_eq!(t.client(ip("127.0.0.1"), &[" , "]), ip("127.0.0.1"));
        assert_eq!(
            t.client(ip("127.0.0.1"), &["203.0.113.7, unknown"]),
            ip("127.0.0.1")
        );
        // Garbage left of the client does not matter.
        assert_eq!(
            t.client(ip("127.0.0.1"), &["<script>, 203.0.113.7"]),
            ip("203.0.113.7")
        );
        // Ports and brackets, IPv6, mapped IPv4.
        assert_eq!(
            t.client(ip("127.0.0.1"), &["203.0.113.7:5555"]),
            ip("203.0.113.7")
        );
        assert_eq!(
            t.client(ip("::ffff:127.0.0.1"), &["[2001:db8::7]:443"]),
            ip("2001:db8::7")
        );
        assert_eq!(
            t.client(ip("127.0.0.1"), &["2001:db8::7"]),
            ip("2001:db8::7")
        );
        assert_eq!(
            t.client(ip("127.0.0.1"), &["::ffff:203.0.113.7"]),
            ip("203.0.113.7")
        );
        // No proxies configured: always the peer.
        assert_eq!(
            TrustedProxies::default().client(ip("127.0.0.1"), &["1.2.3.4"]),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn forwarded_proto_and_request_ids() {
        assert!(forwarded_https(Some("https")));
        assert!(forwarded_https(Some("HTTPS, http")));
        assert!(!forwarded_https(Some("http")));
        assert!(!forwarded_https(Some("")));
        assert!(!forwarded_https(None));
        assert!(valid_request_id("abc-123.x:y_z"));
        assert!(valid_request_id(&"a".repeat(100)));
        assert!(!valid_request_id(&"a".repeat(101)));
        assert!(!valid_request_id(""));
        assert!(!valid_request_id("a b"));
        assert!(!valid_request_id("a\"b"));
        assert!(!valid_request_id("zażółć"));
    }
}
