//! Weights of the records pallet. TO BE REGENERATED: replaced by the output of
//! `medchain-node benchmark pallet` (see docs/benchmarks.md) before this pallet is done.
#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

pub trait WeightInfo {
	fn anchor() -> Weight;
	fn anchor_batch(n: u32) -> Weight;
	fn anchor_root() -> Weight;
	fn supersede() -> Weight;
	fn retract() -> Weight;
}

pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn anchor() -> Weight {
		<() as WeightInfo>::anchor()
	}
	fn anchor_batch(n: u32) -> Weight {
		<() as WeightInfo>::anchor_batch(n)
	}
	fn anchor_root() -> Weight {
		<() as WeightInfo>::anchor_root()
	}
	fn supersede() -> Weight {
		<() as WeightInfo>::supersede()
	}
	fn retract() -> Weight {
		<() as WeightInfo>::retract()
	}
}

// Conservative stand-in until the generated file replaces this one.
impl WeightInfo for () {
	fn anchor() -> Weight {
		RocksDbWeight::get()
			.reads_writes(6, 5)
			.saturating_add(Weight::from_parts(1_000_000_000, 1_000))
	}
	fn anchor_batch(n: u32) -> Weight {
		RocksDbWeight::get()
			.reads_writes(3, 0)
			.saturating_add(RocksDbWeight::get().reads_writes(4, 5).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(1_000_000_000, 1_000).saturating_mul(n.into()))
	}
	fn anchor_root() -> Weight {
		RocksDbWeight::get()
			.reads_writes(4, 1)
			.saturating_add(Weight::from_parts(1_000_000_000, 1_000))
	}
	fn supersede() -> Weight {
		RocksDbWeight::get()
			.reads_writes(6, 4)
			.saturating_add(Weight::from_parts(1_000_000_000, 1_000))
	}
	fn retract() -> Weight {
		RocksDbWeight::get()
			.reads_writes(5, 2)
			.saturating_add(Weight::from_parts(1_000_000_000, 1_000))
	}
}
