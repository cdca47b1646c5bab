//! The hospital gateway (`medchain-gateway`, issue 14): the off-chain half a hospital runs next
//! to its EHR. This crate holds so far the gateway's private store:
//!
//! - [`hashing`]: the content-hash contract of docs/records.md, `SHA-256(salt || document)`;
//! - [`vault`]: encryption at rest — every record version is sealed under a data key of its
//!   own (XChaCha20-Poly1305), and the data key and the version's salt are sealed under the
//!   gateway's master key;
//! - [`store`]: records and their versions in an embedded transactional store (redb) with the
//!   sealed documents in files beside it; erasure crypto-shreds a record (its data keys and
//!   salts destroyed, its files deleted), after which nothing in the data directory can recover
//!   the document and its anchored hashes verify nothing.
//!
//! - [`keys`]: the device's keys on disk (`medchain-gateway init`): its sr25519 signing key
//!   (the device account the institution's admin registers) and its X25519 encryption key
//!   (what other institutions encrypt to, `institutions::set_encryption_key`);
//! - [`fhir`]: the checks a FHIR JSON document passes before it is stored (the resource types
//!   we accept and their required elements), and the FHIR `DocumentReference` view of a
//!   stored record.
//!
//! - [`api`]: the EHR-facing REST API (axum) over the store.
//!
//! The anchoring pipeline and the chain client follow (docs/gateway.md).

pub mod anchoring;
pub mod api;
pub mod chain;
pub mod config;
pub mod error;
pub mod fhir;
pub mod hashing;
pub mod import;
pub mod keys;
pub mod link;
pub mod outbox;
pub mod serve;
pub mod store;
pub mod vault;

pub use error::Error;
