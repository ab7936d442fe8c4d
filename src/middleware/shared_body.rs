//! Large response bodies are sent as slices of their one shared buffer, never copied whole.
//!
//! actix-http copies every body chunk it polls into the connection's write buffer, and polls a
//! new chunk only while that buffer holds less than 32 KiB. A body handed over as one `Bytes`
//! (every cached response: an export is 8.5 MB on ESCO) is one chunk: each connection that has
//! not read it yet holds its own 8.5 MB copy. Cut into [`CHUNK`]-sized slices of the same
//! allocation, the copy per connection is at most 32 KiB plus one slice, whatever the body,
//! and a client that stops reading stops the polling: what is unsent stays in the one shared
//! buffer (the catalog's cache entry), not in per-connection memory.

use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::Error;
use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use bytes::Bytes;

use super::stage::{Before, Stage};

/// The largest slice handed to the connection at once.
pub const CHUNK: usize = 16 * 1024;

/// A body of known length, yielded in [`CHUNK`]-sized zero-copy slices.
pub struct SharedBody {
    rest: Bytes,
}

impl SharedBody {
    pub fn new(body: Bytes) -> Self {
        SharedBody { rest: body }
    }
}

impl MessageBody for SharedBody {
    type Error = std::convert::Infallible;

    fn size(&self) -> BodySize {
        BodySize::Sized(self.rest.len() as u64)
    }

    fn poll_next(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, Self::Error>>> {
        let this = self.get_mut();
        if this.rest.is_empty() {
            return Poll::Ready(None);
        }
        let n = this.rest.len().min(CHUNK);
        Poll::Ready(Some(Ok(this.rest.split_to(n))))
    }
}

/// The middleware (`Staged::new(SliceLargeBodies)`): re-wraps every response body larger than
/// [`CHUNK`] that is one buffer.
pub struct SliceLargeBodies;

impl Stage for SliceLargeBodies {
    type Carry = ();

    #[inline]
    fn before(&self, _: &mut ServiceRequest) -> Before<()> {
        Before::Go(())
    }

    #[inline]
    fn after(&self, _: (), answer: Result<ServiceResponse<BoxBody>, Error>) -> Result<ServiceResponse<BoxBody>, Error> {
        Ok(answer?.map_body(|_, body| {
            if matches!(body.size(), BodySize::Sized(n) if n as usize > CHUNK) {
                match body.try_into_bytes() {
                    Ok(bytes) => BoxBody::new(SharedBody::new(bytes)),
                    Err(body) => body,
                }
            } else {
                body
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn a_large_body_is_yielded_as_slices_of_one_buffer() {
        let body = Bytes::from(vec![7u8; CHUNK * 2 + 5]);
        let start = body.as_ptr();
        let mut shared = SharedBody::new(body);
        assert_eq!(shared.size(), BodySize::Sized((CHUNK * 2 + 5) as u64));
        let mut chunks = Vec::new();
        while let Some(chunk) = std::future::poll_fn(|cx| Pin::new(&mut shared).poll_next(cx)).await {
            chunks.push(chunk.unwrap());
        }
        assert_eq!(chunks.iter().map(Bytes::len).collect::<Vec<_>>(), [CHUNK, CHUNK, 5]);
        // No copy: each slice points into the original allocation.
        assert_eq!(chunks[1].as_ptr(), start.wrapping_add(CHUNK));
    }
}
