//! Content negotiation for compressed bodies (`Accept-Encoding`: br, zstd, gzip).
//!
//! A cached response compresses each variant at most once, on first demand, and keeps it: the
//! hot path only picks the variant. Bodies under [`MIN_COMPRESSED_LEN`] are never compressed
//! (the savings do not pay for the client's decompression).

use std::io::Write;
use std::sync::OnceLock;

use bytes::Bytes;

/// Bodies shorter than this are always sent as they are.
pub const MIN_COMPRESSED_LEN: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Zstd,
    Gzip,
}

impl Encoding {
    /// The server's preference when the client likes several equally: the smallest first.
    const PREFERENCE: [Encoding; 3] = [Encoding::Brotli, Encoding::Zstd, Encoding::Gzip];

    pub fn token(self) -> &'static str {
        match self {
            Encoding::Brotli => "br",
            Encoding::Zstd => "zstd",
            Encoding::Gzip => "gzip",
        }
    }

    pub(super) fn index(self) -> usize {
        match self {
            Encoding::Brotli => 0,
            Encoding::Zstd => 1,
            Encoding::Gzip => 2,
        }
    }

    fn compress(self, body: &[u8]) -> Bytes {
        self.compress_at(body, 6, false)
    }

    /// A body compressed for one answer and not kept (`POST /skills/extract`): the fast end of
    /// each encoder (level 1) with a window no larger than the body, since its CPU is paid on
    /// every request (issue #15's 10 ms bound) while a kept variant's is paid once.
    pub fn compress_once(self, body: &[u8]) -> Bytes {
        self.compress_at(body, 1, true)
    }

    fn compress_at(self, body: &[u8], level: i32, once: bool) -> Bytes {
        let out = match self {
            Encoding::Brotli => {
                let mut out = Vec::with_capacity(body.len() / 4);
                let mut params = brotli::enc::BrotliEncoderParams { quality: level, ..Default::default() };
                if once {
                    params.lgwin = (usize::BITS - body.len().max(1).leading_zeros()).clamp(10, 22) as i32;
                    params.size_hint = body.len();
                }
                brotli::BrotliCompress(&mut &body[..], &mut out, &params).expect("in-memory compression");
                out
            }
            Encoding::Zstd => zstd::bulk::compress(body, level).expect("in-memory compression"),
            Encoding::Gzip => {
                let level = flate2::Compression::new(level.unsigned_abs());
                let mut gz = flate2::write::GzEncoder::new(Vec::new(), level);
                gz.write_all(body).expect("in-memory compression");
                gz.finish().expect("in-memory compression")
            }
        };
        Bytes::from(out)
    }
}

/// The encoding to send for an `Accept-Encoding` header value, if any beats identity.
/// Honours q-values (`q=0` refuses); `*` stands for any encoding not named.
pub fn negotiate(accept_encoding: &[u8]) -> Option<Encoding> {
    let mut best: Option<(u16, Encoding)> = None;
    let mut wildcard: Option<u16> = None;
    let mut named = [None::<u16>; 3];
    for item in accept_encoding.split(|&b| b == b',') {
        let mut parts = item.split(|&b| b == b';');
        let coding = parts.next().unwrap_or_default().trim_ascii();
        let q = parts
            .find_map(|p| {
                let p = p.trim_ascii();
                p.strip_prefix(b"q=").or_else(|| p.strip_prefix(b"Q="))
            })
            .map_or(1000, parse_q);
        let target = if coding.eq_ignore_ascii_case(b"br") {
            Some(Encoding::Brotli)
        } else if coding.eq_ignore_ascii_case(b"zstd") {
            Some(Encoding::Zstd)
        } else if coding.eq_ignore_ascii_case(b"gzip") || coding.eq_ignore_ascii_case(b"x-gzip") {
            Some(Encoding::Gzip)
        } else if coding == b"*" {
            wildcard = Some(q);
            None
        } else {
            None
        };
        if let Some(e) = target {
            named[e.index()] = Some(q);
        }
    }
    for e in Encoding::PREFERENCE {
        let q = named[e.index()].or(wildcard).unwrap_or(0);
        if q > 0 && best.is_none_or(|(bq, _)| q > bq) {
            best = Some((q, e));
        }
    }
    best.map(|(_, e)| e)
}

/// A q-value as thousandths (`0.5` → 500); anything unparsable counts as 0.
fn parse_q(raw: &[u8]) -> u16 {
    let s = std::str::from_utf8(raw).unwrap_or("0").trim();
    match s.parse::<f32>() {
        Ok(q) if (0.0..=1.0).contains(&q) => (q * 1000.0).round() as u16,
        _ => 0,
    }
}

/// The compressed variants of one body, made on first demand.
#[derive(Debug, Default)]
pub struct Variants {
    cells: [OnceLock<Bytes>; 3],
}

impl Variants {
    pub fn get(&self, encoding: Encoding, body: &[u8]) -> &Bytes {
        self.cells[encoding.index()].get_or_init(|| encoding.compress(body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_follows_q_values_then_preference() {
        assert_eq!(negotiate(b"gzip, deflate, br, zstd"), Some(Encoding::Brotli));
        assert_eq!(negotiate(b"gzip"), Some(Encoding::Gzip));
        assert_eq!(negotiate(b"gzip;q=1.0, br;q=0.5"), Some(Encoding::Gzip));
        assert_eq!(negotiate(b"br;q=0, zstd"), Some(Encoding::Zstd));
        assert_eq!(negotiate(b"identity"), None);
        assert_eq!(negotiate(b"*"), Some(Encoding::Brotli));
        assert_eq!(negotiate(b"*;q=0"), None);
        assert_eq!(negotiate(b"br;q=0, *"), Some(Encoding::Zstd));
        assert_eq!(negotiate(b""), None);
        assert_eq!(negotiate(b"gzip;q=banana"), None);
    }

    #[test]
    fn variants_decompress_to_the_body() {
        use std::io::Read;
        let body = br#"{"data":"json json json json json json json json json json"}"#.repeat(40);
        let v = Variants::default();
        let gz = v.get(Encoding::Gzip, &body);
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut out).unwrap();
        assert_eq!(out, body);
        assert_eq!(zstd::bulk::decompress(v.get(Encoding::Zstd, &body), body.len()).unwrap(), body);
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &v.get(Encoding::Brotli, &body)[..], &mut out).unwrap();
        assert_eq!(out, body);
        assert!(std::ptr::eq(v.get(Encoding::Gzip, &body), gz), "compressed once");
    }
}
