//! # The MedChain relay
//!
//! A store-and-forward mailbox for end-to-end encrypted packages between hospital gateways
//! (docs/relay.md). A package is accepted from a device of an exchange request's custodian
//! while the chain's finalized state says the request waits for delivery, handed only to a
//! device of the requester once the chain holds a delivery receipt with the package's SHA-256
//! and size, and deleted when the exchange closes or its deadline passes. The relay holds
//! ciphertext only, authenticates every call by a device signature, and keeps a hash-chained
//! audit log whose head it anchors on chain.
//!
//! Modules: [`auth`] (signed requests, replay guard), [`chain`] (the finalized state),
//! [`mailbox`] (redb + files), [`audit`] (the log), [`transfer`] (streamed uploads and
//! downloads), [`api`] (routes), [`sweep`] (deletions and anchoring), [`client`] (what gateways
//! use), [`serve`], [`config`], [`limits`], [`metrics`], [`state`], [`mod@bench`] (throughput and
//! memory on loopback).

pub mod api;
pub mod audit;
pub mod auth;
pub mod bench;
pub mod chain;
pub mod client;
pub mod config;
pub mod error;
pub mod limits;
pub mod mailbox;
pub mod metrics;
pub mod serve;
pub mod state;
pub mod sweep;
pub mod transfer;

pub use error::Error;
