//! Weights of `pallet_exchange`. PROVISIONAL until `scripts/benchmark.sh pallet_exchange`
//! regenerates this file from the benchmarks.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};
use core::marker::PhantomData;

/// The weight of each call of `pallet_exchange`.
pub trait WeightInfo {
	fn set_prices(n: u32, ) -> Weight;
	fn request(n: u32, ) -> Weight;
	fn deliver(n: u32, ) -> Weight;
	fn deliver_refused(n: u32, ) -> Weight;
	fn confirm() -> Weight;
	fn dispute() -> Weight;
	fn settle_dispute() -> Weight;
	fn decline() -> Weight;
	fn set_parameters() -> Weight;
	fn on_initialize(n: u32, ) -> Weight;
}

/// Weights for a runtime, with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn set_prices(n: u32, ) -> Weight { <() as WeightInfo>::set_prices(n) }
	fn request(n: u32, ) -> Weight { <() as WeightInfo>::request(n) }
	fn deliver(n: u32, ) -> Weight { <() as WeightInfo>::deliver(n) }
	fn deliver_refused(n: u32, ) -> Weight { <() as WeightInfo>::deliver_refused(n) }
	fn confirm() -> Weight { <() as WeightInfo>::confirm() }
	fn dispute() -> Weight { <() as WeightInfo>::dispute() }
	fn settle_dispute() -> Weight { <() as WeightInfo>::settle_dispute() }
	fn decline() -> Weight { <() as WeightInfo>::decline() }
	fn set_parameters() -> Weight { <() as WeightInfo>::set_parameters() }
	fn on_initialize(n: u32, ) -> Weight { <() as WeightInfo>::on_initialize(n) }
}

impl WeightInfo for () {
	fn set_prices(n: u32, ) -> Weight { Weight::from_parts(50_000_000 + 1_000_000 * n as u64, 4000).saturating_add(ParityDbWeight::get().reads_writes(2, 1)) }
	fn request(n: u32, ) -> Weight { Weight::from_parts(100_000_000 + 400_000_000 * n as u64, 10000 + 200000 * n as u64).saturating_add(ParityDbWeight::get().reads_writes(10 + 70 * n as u64, 8)) }
	fn deliver(n: u32, ) -> Weight { Weight::from_parts(100_000_000 + 450_000_000 * n as u64, 10000 + 200000 * n as u64).saturating_add(ParityDbWeight::get().reads_writes(10 + 72 * n as u64, 6 + 3 * n as u64)) }
	fn deliver_refused(n: u32, ) -> Weight { Weight::from_parts(100_000_000 + 450_000_000 * n as u64, 10000 + 200000 * n as u64).saturating_add(ParityDbWeight::get().reads_writes(10 + 72 * n as u64, 6)) }
	fn confirm() -> Weight { Weight::from_parts(100_000_000, 10000).saturating_add(ParityDbWeight::get().reads_writes(10, 8)) }
	fn dispute() -> Weight { Weight::from_parts(50_000_000, 5000).saturating_add(ParityDbWeight::get().reads_writes(3, 1)) }
	fn settle_dispute() -> Weight { Weight::from_parts(100_000_000, 10000).saturating_add(ParityDbWeight::get().reads_writes(10, 8)) }
	fn decline() -> Weight { Weight::from_parts(80_000_000, 8000).saturating_add(ParityDbWeight::get().reads_writes(6, 6)) }
	fn set_parameters() -> Weight { Weight::from_parts(20_000_000, 1000).saturating_add(ParityDbWeight::get().reads_writes(0, 1)) }
	fn on_initialize(n: u32, ) -> Weight { Weight::from_parts(10_000_000 + 100_000_000 * n as u64, 3000 + 10000 * n as u64).saturating_add(ParityDbWeight::get().reads_writes(1 + 8 * n as u64, 1 + 6 * n as u64)) }
}
