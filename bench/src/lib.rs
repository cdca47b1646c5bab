//! # medchain-bench
//!
//! Measures a MedChain node from outside, as a hospital's systems meet it: many transactions
//! pre-signed by many senders (one sender would serialize on its nonce), submitted over
//! WebSocket, followed block by block to inclusion and to finality. For each workload it
//! reports what was included per second (between the timestamps of the first and the last
//! block carrying it), items per block, block fullness (weight of the normal class against its
//! limit, and length), submit → in block and submit → finalized percentiles, what the pool
//! refused, and the node's memory and CPU from `/proc` (docs/performance.md).
//!
//! Modules: [`senders`] (derived accounts, funded from a development account), [`setup`] (the
//! hospital the record workloads anchor for), [`workload`]
//! (the calls each workload signs), [`observe`] (submission and the block-by-block follow),
//! [`checks`] (the `consent-check` load over JSON-RPC), [`exchange`] (request → deliver →
//! confirm), [`report`] (figures, table, JSON),
//! [`procfs`] (the node's memory and CPU).

pub mod checks;
pub mod exchange;
pub mod observe;
pub mod procfs;
pub mod report;
pub mod senders;
pub mod setup;
pub mod workload;
