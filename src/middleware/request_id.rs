//! Request ids: the client's `X-Request-Id` when well-formed, otherwise a new one.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::http::header::HeaderValue;

/// The header carrying the request id, both ways.
pub const HEADER: &str = "x-request-id";

#[derive(Debug, Clone)]
pub struct RequestId(HeaderValue);

impl RequestId {
    /// The id a client sent, if it is 1–128 characters of letters, digits and `-_.:`; else a new one.
    pub fn from_client(value: Option<&HeaderValue>) -> RequestId {
        match value {
            Some(v) if is_well_formed(v.as_bytes()) => RequestId(v.clone()),
            _ => RequestId::generate(),
        }
    }

    /// A new id: this process's random prefix and a counter, unique across replicas and restarts
    /// in practice, and cheap (no syscall per request).
    pub fn generate() -> RequestId {
        static PREFIX: OnceLock<u64> = OnceLock::new();
        static COUNTER: AtomicU64 = AtomicU64::new(1);
        let prefix = *PREFIX.get_or_init(|| {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default();
            let seed = format!("{now}:{}:{:p}", std::process::id(), &COUNTER);
            xxhash_rust::xxh3::xxh3_64(seed.as_bytes())
        });
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        // `{prefix:016x}-{n:08x}`, written by hand: this runs on every request.
        let mut id = [0u8; 25];
        hex_into(&mut id[..16], prefix);
        id[16] = b'-';
        hex_into(&mut id[17..], n & 0xffff_ffff);
        RequestId(HeaderValue::from_bytes(&id).expect("hex is a valid header value"))
    }

    pub fn header_value(&self) -> &HeaderValue {
        &self.0
    }

    pub fn as_str(&self) -> &str {
        self.0.to_str().unwrap_or_default()
    }
}

/// Writes `value` as lowercase hex, right-aligned and zero-padded, into `out`.
fn hex_into(out: &mut [u8], mut value: u64) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in out.iter_mut().rev() {
        *b = DIGITS[(value & 0xf) as usize];
        value >>= 4;
    }
}

fn is_well_formed(id: &[u8]) -> bool {
    (1..=128).contains(&id.len())
        && id.iter().all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_well_formed_ids_only() {
        let kept = RequestId::from_client(Some(&HeaderValue::from_static("abc-123_x.y:z")));
        assert_eq!(kept.as_str(), "abc-123_x.y:z");
        let replaced = RequestId::from_client(Some(&HeaderValue::from_static("has space")));
        assert_ne!(replaced.as_str(), "has space");
        assert_eq!(replaced.as_str().len(), 16 + 1 + 8);
    }

    #[test]
    fn hex_is_zero_padded() {
        let mut out = [0u8; 8];
        hex_into(&mut out, 0xab);
        assert_eq!(&out, b"000000ab");
    }

    #[test]
    fn generated_ids_differ() {
        assert_ne!(RequestId::generate().as_str(), RequestId::generate().as_str());
    }
}
