//! Which client a request comes from: the TCP peer, or, behind a trusted proxy, the address
//! that proxy found in `X-Forwarded-For` (the rate limit's key, [`super::rate_limit`]).
//! IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`) count as the IPv4 address, for peers, hops
//! and trusted proxies alike. The `Forwarded` header (RFC 7239) is ignored.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

/// One `X-Forwarded-For` hop: an address, with or without a port, IPv6 with or without
/// brackets (`203.0.113.5`, `203.0.113.5:4711`, `2001:db8::1`, `[2001:db8::1]`,
/// `[2001:db8::1]:4711`), IPv4-mapped IPv6 read as IPv4. `None` for anything else (`unknown`,
/// an obfuscated identifier, garbage).
pub fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    let ip = hop
        .parse::<IpAddr>()
        .or_else(|_| hop.parse::<SocketAddr>().map(|s| s.ip()))
        .or_else(|_| {
            hop.strip_prefix('[')
                .and_then(|h| h.strip_suffix(']'))
                .ok_or(())
                .and_then(|h| h.parse::<Ipv6Addr>().map(IpAddr::V6).map_err(|_| ()))
        })
        .ok()?;
    Some(ip.to_canonical())
}

/// The client a request is counted against.
///
/// The TCP peer, unless it is a trusted proxy. Then every `X-Forwarded-For` line is read, in
/// order, as one list (a client may send its own line, and a proxy may add another instead of
/// appending to the first), and the client is the right-most hop that is not a trusted proxy:
/// a client can write anything to the left, but not what the proxies add. A hop that is not an
/// address stops the walk: the last trusted proxy read is then the client.
///
/// `forwarded_for` gives the header's lines; it is called only when the peer is a trusted proxy.
pub fn client_ip<'a, I: DoubleEndedIterator<Item = &'a str>>(
    peer: Option<IpAddr>,
    forwarded_for: impl FnOnce() -> I,
    trusted_proxies: &[IpAddr],
) -> Option<IpAddr> {
    let peer = peer?.to_canonical();
    if !trusted_proxies.contains(&peer) {
        return Some(peer);
    }
    let mut client = peer;
    for line in forwarded_for().rev() {
        for hop in line.rsplit(',') {
            match parse_hop(hop) {
                Some(ip) => {
                    client = ip;
                    if !trusted_proxies.contains(&ip) {
                        return Some(client);
                    }
                }
                None => return Some(client),
            }
        }
    }
    Some(client)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn hops_may_carry_ports_brackets_and_mapped_addresses() {
        assert_eq!(parse_hop(" 203.0.113.5 "), Some(ip("203.0.113.5")));
        assert_eq!(parse_hop("203.0.113.5:4711"), Some(ip("203.0.113.5")));
        assert_eq!(parse_hop("2001:db8::1"), Some(ip("2001:db8::1")));
        assert_eq!(parse_hop("[2001:db8::1]"), Some(ip("2001:db8::1")));
        assert_eq!(parse_hop("[2001:db8::1]:4711"), Some(ip("2001:db8::1")));
        assert_eq!(parse_hop("::ffff:198.51.100.7"), Some(ip("198.51.100.7")));
        assert_eq!(parse_hop("[::ffff:198.51.100.7]:80"), Some(ip("198.51.100.7")));
        assert_eq!(parse_hop("unknown"), None);
        assert_eq!(parse_hop("_hidden"), None);
        assert_eq!(parse_hop("203.0.113.5:port"), None);
        assert_eq!(parse_hop(""), None);
    }

    #[test]
    fn forwarded_for_is_trusted_only_from_trusted_proxies() {
        let proxies = [ip("10.0.0.1"), ip("10.0.0.2")];
        let client =
            |peer: &str, lines: &[&str]| client_ip(Some(ip(peer)), || lines.iter().copied(), &proxies).unwrap();
        // An untrusted peer is the client, whatever it claims.
        assert_eq!(client("203.0.113.9", &["198.51.100.1"]), ip("203.0.113.9"));
        // Through a trusted proxy: the right-most address the proxies did not add.
        assert_eq!(client("10.0.0.1", &["198.51.100.1"]), ip("198.51.100.1"));
        assert_eq!(client("10.0.0.1", &["6.6.6.6, 198.51.100.1, 10.0.0.2"]), ip("198.51.100.1"));
        // No header, or garbage in it: the last address that parsed.
        assert_eq!(client("10.0.0.1", &[]), ip("10.0.0.1"));
        assert_eq!(client("10.0.0.1", &["nonsense"]), ip("10.0.0.1"));
        assert_eq!(client("10.0.0.1", &["::1, nonsense, 10.0.0.2"]), ip("10.0.0.2"));
    }

    #[test]
    fn every_forwarded_for_line_counts_in_order() {
        let proxies = [ip("127.0.0.1")];
        let client = |lines: &[&str]| client_ip(Some(ip("127.0.0.1")), || lines.iter().copied(), &proxies).unwrap();
        // A client's own line, then the line its proxy added (HAProxy `option forwardfor`): the
        // proxy's line is the one believed, whatever the client wrote.
        assert_eq!(client(&["6.6.6.6", "198.51.100.1"]), ip("198.51.100.1"));
        assert_eq!(client(&["6.6.6.6, 7.7.7.7", "198.51.100.1, 127.0.0.1"]), ip("198.51.100.1"));
        // A line with only trusted hops: the walk goes on into the line before it.
        assert_eq!(client(&["198.51.100.1", "127.0.0.1"]), ip("198.51.100.1"));
        // Ports and brackets: each client still has its own address.
        assert_eq!(client(&["203.0.113.5:4711"]), ip("203.0.113.5"));
        assert_eq!(client(&["[2001:db8::7]:4711"]), ip("2001:db8::7"));
        assert_eq!(client(&["127.0.0.1:9000"]), ip("127.0.0.1"));
    }

    #[test]
    fn ipv4_mapped_peers_are_their_ipv4_address() {
        // A server bound to [::ffff:127.0.0.1] sees its IPv4 peers as mapped addresses.
        let trusted = [ip("127.0.0.1")];
        let mapped_peer = Some(ip("::ffff:127.0.0.1"));
        assert_eq!(client_ip(mapped_peer, || ["198.51.100.1"].into_iter(), &trusted), Some(ip("198.51.100.1")));
        // An untrusted mapped peer is counted as its IPv4 address.
        assert_eq!(client_ip(Some(ip("::ffff:192.0.2.9")), std::iter::empty, &trusted), Some(ip("192.0.2.9")));
    }
}
