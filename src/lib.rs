//! powerskills: a JSON REST API serving a catalog of in-demand professional skills.
//!
//! The layout follows the request's path through the service:
//! [`cli`] parses the command line, [`startup`] builds the server, [`middleware`] wraps every
//! request, [`routes`] holds one module per resource, [`catalog`] is the immutable in-memory
//! catalog the handlers read, [`db`] is the only place that speaks SQL, and [`error`] is the one
//! error type rendered as RFC 9457 problem JSON.

pub mod catalog;
pub mod cli;
pub mod config;
pub mod connection;
pub mod db;
pub mod domain;
pub mod error;
pub mod healthcheck;
pub mod import;
pub mod memory;
pub mod middleware;
pub mod openapi;
pub mod reload;
pub mod response;
pub mod routes;
pub mod search;
pub mod served;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod work;
