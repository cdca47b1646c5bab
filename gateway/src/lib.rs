//! The hospital gateway (`medchain-gateway`, issue 14): the off-chain half a hospital runs next
//! to its EHR (docs/gateway.md).
//!
//! - [`store`], [`vault`], [`hashing`]: the private store (redb + sealed files), encryption at
//!   rest with a data key per version, the content-hash contract, crypto-shredding on erasure;
//! - [`outbox`]: every change's chain operation, queued in the same transaction as the change
//!   (a group commit stores concurrent writers' versions in one transaction);
//! - [`anchoring`]: the pipeline that sends the outbox (`anchor_batch`, `supersede`, `retract`,
//!   `erase`) and follows it to finality, never twice;
//! - [`chain`], [`link`]: what the gateway asks of the chain (device standing, encryption key,
//!   `records_verify`), over the project's client;
//! - [`api`]: the EHR-facing REST API (axum), [`fhir`]: the FHIR checks and the
//!   `DocumentReference` view;
//! - [`services`]: claims (signed by the device), prescriptions and certificates (prepared
//!   for the practitioner's own signature) and their verification;
//! - [`import`]: bulk import of an archive anchored with one Merkle root;
//! - [`keys`], [`config`], [`serve`]: the device's keys, `gateway.toml`, and the running service;
//! - [`metrics`]: the Prometheus metrics; [`mod@bench`]: the benchmark client;
//! - [`webapp`]: the built web app served at `/app/`.

pub mod anchoring;
pub mod api;
pub mod bench;
pub mod chain;
mod commit;
pub mod config;
pub mod error;
pub mod exchange;
pub mod fhir;
pub mod hashing;
pub mod import;
pub mod keys;
pub mod link;
pub mod metrics;
pub mod outbox;
pub mod package;
pub mod serve;
pub mod services;
pub mod store;
pub mod vault;
pub mod webapp;

pub use error::Error;
