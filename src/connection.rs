//! What every accepted connection is given before its first request is read.
//!
//! A client that sends requests and never reads their answers must not hold a connection (and
//! the responses queued for it) for ever. Two bounds, both set from `--write-timeout`:
//! - the dispatcher's write timeout ([`WriteTimeout`], a patch of the vendored actix-http, see
//!   `vendor/actix-http/README.md`): while part of a response waits to be written, the
//!   connection is dropped once no byte of it could be written for that long;
//! - `TCP_USER_TIMEOUT` on the socket: the kernel aborts a connection whose sent data stays
//!   unacknowledged that long (a peer that vanished), which also covers the bytes still in the
//!   kernel's send buffer after the dispatcher let the connection go.
//!
//! And the requests actix-http's parser refuses before any middleware runs are answered with
//! problem JSON, a request id and the security headers ([`Rejection`] with
//! [`parser_rejection`]), not with an empty body. Each connection is also counted while open
//! ([`crate::memory::OpenConnection`]: freed heap is returned after a burst).

use std::any::Any;
use std::time::Duration;

use actix_http::h1::{Rejection, WriteTimeout};
use actix_web::dev::Extensions;

use crate::middleware::rejections::parser_rejection;

/// For `HttpServer::on_connect`: a zero `write_timeout` leaves both write bounds off.
pub fn on_connect(conn: &dyn Any, extensions: &mut Extensions, write_timeout: Duration) {
    extensions.insert(Rejection(parser_rejection));
    extensions.insert(crate::memory::OpenConnection::new());
    if write_timeout.is_zero() {
        return;
    }
    extensions.insert(WriteTimeout(write_timeout));
    if let Some(stream) = conn.downcast_ref::<actix_web::rt::net::TcpStream>()
        && let Err(e) = socket2::SockRef::from(stream).set_tcp_user_timeout(Some(write_timeout))
    {
        tracing::warn!(error = %e, "cannot set TCP_USER_TIMEOUT");
    }
}
