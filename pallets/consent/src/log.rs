//! The disclosure log: every release of a patient's record (and every emergency access
//! opened) is an entry, hash-chained to the previous one. A patient's log keeps the newest
//! `MaxDisclosuresPerPatient` entries; an older entry is pruned when a new one would exceed the
//! bound, and the hash of the newest pruned entry is kept (`LogState::pruned_head`), so the
//! oldest kept entry's `previous` proves nothing in between was dropped.

use crate::{
	pallet::{Config, DisclosureLog, DisclosureOf, Disclosures, Pallet},
	types::*,
};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;

impl<T: Config> Pallet<T> {
	/// The hash of an entry, as the next entry's `previous`.
	pub fn entry_hash(entry: &DisclosureOf<T>) -> H256 {
		H256(sp_io::hashing::blake2_256(&entry.encode()))
	}

	/// Appends an entry (its `previous` is set here); prunes the oldest if the log is full.
	/// Returns the entry's index.
	pub(crate) fn append_disclosure(patient: &T::AccountId, mut entry: DisclosureOf<T>) -> u32 {
		let mut log = DisclosureLog::<T>::get(patient);
		entry.previous = log.head;
		let index = log.next;
		log.head = Self::entry_hash(&entry);
		Disclosures::<T>::insert(patient, index, entry);
		log.next = log.next.saturating_add(1);
		if log.next.saturating_sub(log.first) > T::MaxDisclosuresPerPatient::get() {
			if let Some(oldest) = Disclosures::<T>::take(patient, log.first) {
				log.pruned_head = Self::entry_hash(&oldest);
			}
			log.first = log.first.saturating_add(1);
		}
		DisclosureLog::<T>::insert(patient, log);
		index
	}

	/// Page `page` (from 0) of a patient's disclosures, newest first.
	pub fn disclosures(patient: &T::AccountId, page: u32) -> DisclosuresPage<BlockNumberFor<T>> {
		let log = DisclosureLog::<T>::get(patient);
		let page_size = T::DisclosurePageSize::get();
		let skip = page.saturating_mul(page_size);
		let newest = log.next.saturating_sub(skip);
		let oldest = newest.saturating_sub(page_size).max(log.first);
		let entries: Vec<_> = (oldest..newest)
			.rev()
			.filter_map(|i| {
				let d = Disclosures::<T>::get(patient, i)?;
				let hash = Self::entry_hash(&d);
				Some((
					i,
					DisclosureView {
						custodian: d.custodian,
						recipient: d.recipient,
						record_id: d.record_id.map(|r| r.into_inner()).unwrap_or_default(),
						category: d.category,
						purpose: d.purpose,
						basis: d.basis,
						at: d.at,
						previous: d.previous,
						hash,
					},
				))
			})
			.collect();
		DisclosuresPage { log, page, page_size, entries }
	}
}
