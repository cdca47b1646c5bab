//! Weights of the institutions pallet. TO BE REGENERATED: replaced by the output of
//! `medchain-node benchmark pallet` (see docs/benchmarks.md) before this pallet is done.
#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

pub trait WeightInfo {
	fn admit() -> Weight;
	fn suspend() -> Weight;
	fn reinstate() -> Weight;
	fn remove() -> Weight;
	fn set_admin() -> Weight;
	fn add_device() -> Weight;
	fn remove_device() -> Weight;
	fn rotate_device() -> Weight;
	fn add_practitioner() -> Weight;
	fn remove_practitioner() -> Weight;
	fn register_patient() -> Weight;
	fn set_guardian() -> Weight;
}

pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn admit() -> Weight {
		<() as WeightInfo>::admit()
	}
	fn suspend() -> Weight {
		<() as WeightInfo>::suspend()
	}
	fn reinstate() -> Weight {
		<() as WeightInfo>::reinstate()
	}
	fn remove() -> Weight {
		<() as WeightInfo>::remove()
	}
	fn set_admin() -> Weight {
		<() as WeightInfo>::set_admin()
	}
	fn add_device() -> Weight {
		<() as WeightInfo>::add_device()
	}
	fn remove_device() -> Weight {
		<() as WeightInfo>::remove_device()
	}
	fn rotate_device() -> Weight {
		<() as WeightInfo>::rotate_device()
	}
	fn add_practitioner() -> Weight {
		<() as WeightInfo>::add_practitioner()
	}
	fn remove_practitioner() -> Weight {
		<() as WeightInfo>::remove_practitioner()
	}
	fn register_patient() -> Weight {
		<() as WeightInfo>::register_patient()
	}
	fn set_guardian() -> Weight {
		<() as WeightInfo>::set_guardian()
	}
}

// Conservative stand-in until the generated file replaces this one: 1 ms and the worst
// number of storage accesses of each call.
impl WeightInfo for () {
	fn admit() -> Weight {
		RocksDbWeight::get()
			.reads_writes(4, 3)
			.saturating_add(Weight::from_parts(1_000_000_000, 1_000))
	}
	fn suspend() -> Weight {
		RocksDbWeight::get()
			.reads_writes(1, 1)
			.saturating_add(Weight::from_parts(1_000_000_000, 1_000))
	}
	fn reinstate() -> Weight {
		RocksDbWeight::get()
			.reads_writes(1, 1)
			.saturating_add(Weight::from_parts(1_000_000_000, 1_000))
	}
	fn remove() -> Weight {
		RocksDbWeight::get()
			.reads_writes(1, 2)
			.saturating_add(Weight::from_parts(1_000_000_000, 1_000))
	}
	fn set_admin() -> Weight {
		RocksDbWeight::get()
			.reads_writes(6, 3)
			.saturating_add(Weight::from_parts(1_000_000_000, 1_000))
	}
	fn add_device() -> Weight {
		RocksDbWeight::get()
			.reads_writes(6, 2)
			.saturating_add(Weight::from_parts(1_000_000_000, 1_000))
	}
	fn remove_device() -> Weight {
		RocksDbWeight::get()
			.reads_writes(3, 2)
			.saturating_add(Weight::from_parts(1_000_000_000, 1_000))
	}
	fn rotate_device() -> Weight {
		RocksDbWeight::get()
			.reads_writes(7, 2)
			.saturating_add(Weight::from_parts(1_000_000_000, 1_000))
	}
	fn add_practitioner() -> Weight {
		RocksDbWeight::get()
			.reads_writes(6, 2)
			.saturating_add(Weight::from_parts(1_000_000_000, 1_000))
	}
	fn remove_practitioner() -> Weight {
		RocksDbWeight::get()
			.reads_writes(3, 2)
			.saturating_add(Weight::from_parts(1_000_000_000, 1_000))
	}
	fn register_patient() -> Weight {
		RocksDbWeight::get()
			.reads_writes(7, 1)
			.saturating_add(Weight::from_parts(1_000_000_000, 1_000))
	}
	fn set_guardian() -> Weight {
		RocksDbWeight::get()
			.reads_writes(1, 1)
			.saturating_add(Weight::from_parts(1_000_000_000, 1_000))
	}
}
