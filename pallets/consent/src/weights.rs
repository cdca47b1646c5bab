//! Weights of the consent pallet. TO BE REGENERATED: replaced by the output of
//! `scripts/benchmark.sh pallet_consent` (docs/benchmarks.md) before this pallet is done.
#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::ParityDbWeight, Weight},
};

pub trait WeightInfo {
	fn grant() -> Weight;
	fn revoke() -> Weight;
	fn set_deny_provisions() -> Weight;
	fn open_emergency_access() -> Weight;
	fn flag_emergency_access() -> Weight;
	fn log_release() -> Weight;
	fn set_parameters() -> Weight;
}

pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn grant() -> Weight {
		<() as WeightInfo>::grant()
	}
	fn revoke() -> Weight {
		<() as WeightInfo>::revoke()
	}
	fn set_deny_provisions() -> Weight {
		<() as WeightInfo>::set_deny_provisions()
	}
	fn open_emergency_access() -> Weight {
		<() as WeightInfo>::open_emergency_access()
	}
	fn flag_emergency_access() -> Weight {
		<() as WeightInfo>::flag_emergency_access()
	}
	fn log_release() -> Weight {
		<() as WeightInfo>::log_release()
	}
	fn set_parameters() -> Weight {
		<() as WeightInfo>::set_parameters()
	}
}

// Conservative stand-in until the generated file replaces this one.
impl WeightInfo for () {
	fn grant() -> Weight {
		ParityDbWeight::get()
			.reads_writes(70, 5)
			.saturating_add(Weight::from_parts(1_000_000_000, 10_000))
	}
	fn revoke() -> Weight {
		ParityDbWeight::get()
			.reads_writes(5, 2)
			.saturating_add(Weight::from_parts(1_000_000_000, 1_000))
	}
	fn set_deny_provisions() -> Weight {
		ParityDbWeight::get()
			.reads_writes(5, 2)
			.saturating_add(Weight::from_parts(1_000_000_000, 1_000))
	}
	fn open_emergency_access() -> Weight {
		ParityDbWeight::get()
			.reads_writes(10, 8)
			.saturating_add(Weight::from_parts(1_000_000_000, 1_000))
	}
	fn flag_emergency_access() -> Weight {
		ParityDbWeight::get()
			.reads_writes(1, 1)
			.saturating_add(Weight::from_parts(1_000_000_000, 1_000))
	}
	fn log_release() -> Weight {
		ParityDbWeight::get()
			.reads_writes(80, 4)
			.saturating_add(Weight::from_parts(1_000_000_000, 10_000))
	}
	fn set_parameters() -> Weight {
		ParityDbWeight::get()
			.reads_writes(0, 1)
			.saturating_add(Weight::from_parts(1_000_000_000, 1_000))
	}
}
