//! The versions of a record, wherever they are kept (storage version 3, issue 16): version 1
//! in the record itself ([`crate::RecordEntry::first`]), later ones in `Versions` with their hashes
//! in `VersionOfHash`. Everything that reads or marks a version goes through here.

use crate::{
	pallet::{Config, Pallet, RecordKey, RecordOf, VersionOf, VersionOfHash, Versions},
	FormatCode, VersionEntry, VersionStatus,
};
use sp_core::H256;

impl<T: Config> Pallet<T> {
	/// A new current version anchored now by `device`.
	pub(crate) fn new_version(
		device: &T::AccountId,
		content_hash: H256,
		size: u64,
		format: FormatCode,
	) -> VersionOf<T> {
		VersionEntry {
			content_hash,
			size,
			format,
			anchored_at: frame_system::Pallet::<T>::block_number(),
			anchored_at_ms: Self::now_ms(),
			anchored_by: device.clone(),
			status: VersionStatus::Current,
		}
	}

	/// Version `version` of the record `record` stored under `key`, if it was anchored.
	pub fn version(key: &RecordKey<T>, record: &RecordOf<T>, version: u32) -> Option<VersionOf<T>> {
		match version {
			0 => None,
			1 => Some(record.first.clone()),
			v if v > record.current_version => None,
			v => Versions::<T>::get(key, v),
		}
	}

	/// The version of the record whose content hash is `hash`, if any.
	pub fn version_with_hash(key: &RecordKey<T>, record: &RecordOf<T>, hash: H256) -> Option<u32> {
		if record.first.content_hash == hash {
			Some(1)
		} else {
			VersionOfHash::<T>::get(key, hash)
		}
	}

	/// Marks version `version` of `record` with `status`: in the record for version 1 (the
	/// caller writes the record back), in `Versions` for later ones.
	pub(crate) fn set_version_status(
		key: &RecordKey<T>,
		record: &mut RecordOf<T>,
		version: u32,
		status: VersionStatus,
	) {
		if version == 1 {
			record.first.status = status;
		} else {
			Versions::<T>::mutate(key, version, |v| {
				if let Some(v) = v {
					v.status = status;
				}
			});
		}
	}
}
