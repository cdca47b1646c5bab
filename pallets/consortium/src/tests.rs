//! Upgrade authorization, the validator set, the node allow-list and stalled finality (the
//! hardening of issue 12 is in `tests_hardening`). Every test checks the pallet's invariants at
//! its end (`build_and_execute`).

use crate::{mock::*, Event};
use frame_support::{assert_noop, assert_ok};
use sp_core::H256;
use sp_runtime::DispatchError;

/// frame-system's authorization slot (private there), read raw: (code hash, check version).
fn authorized() -> Option<(H256, bool)> {
	let mut key = sp_io::hashing::twox_128(b"System").to_vec();
	key.extend(sp_io::hashing::twox_128(b"AuthorizedUpgrade"));
	frame_support::storage::unhashed::get(&key)
}

#[test]
fn the_upgrade_origin_authorizes_an_upgrade() {
	build_and_execute(|| {
		let hash = H256::repeat_byte(7);
		assert_ok!(Consortium::authorize_upgrade(RuntimeOrigin::signed(900), hash));
		System::assert_last_event(Event::RuntimeUpgradeAuthorized { code_hash: hash }.into());
		System::assert_has_event(
			frame_system::Event::UpgradeAuthorized { code_hash: hash, check_version: true }.into(),
		);
		assert_eq!(authorized(), Some((hash, true)));
		// A later authorization replaces it.
		let newer = H256::repeat_byte(8);
		assert_ok!(Consortium::authorize_upgrade(RuntimeOrigin::signed(900), newer));
		assert_eq!(authorized(), Some((newer, true)));
	});
}

#[test]
fn nobody_else_authorizes_an_upgrade() {
	build_and_execute(|| {
		let hash = H256::repeat_byte(7);
		for origin in [RuntimeOrigin::signed(1), RuntimeOrigin::root(), RuntimeOrigin::none()] {
			assert_noop!(Consortium::authorize_upgrade(origin, hash), DispatchError::BadOrigin);
		}
		assert_eq!(authorized(), None);
	});
}

#[test]
fn applying_an_unauthorized_blob_is_refused() {
	build_and_execute(|| {
		assert_noop!(
			System::apply_authorized_upgrade(RuntimeOrigin::signed(1), vec![1, 2, 3]),
			frame_system::Error::<Test>::NothingAuthorized
		);
		assert_ok!(Consortium::authorize_upgrade(RuntimeOrigin::signed(900), H256::repeat_byte(7)));
		// A blob whose hash is not the authorized one.
		assert_noop!(
			System::apply_authorized_upgrade(RuntimeOrigin::signed(1), vec![1, 2, 3]),
			frame_system::Error::<Test>::Unauthorized
		);
	});
}

mod validator_set {
	use super::*;
	use crate::{Error, MinValidators, SessionLength, Validators};
	use frame_support::traits::Get;
	use pallet_session::SessionManager;

	fn majority() -> RuntimeOrigin {
		RuntimeOrigin::signed(901)
	}

	fn accounts() -> Vec<u64> {
		Validators::<Test>::get().iter().map(|(v, _)| *v).collect()
	}

	#[test]
	fn genesis_sets_the_validators_the_floor_and_the_session_length() {
		build_and_execute(|| {
			assert_eq!(accounts(), vec![1, 2, 3, 4]);
			assert_eq!(MinValidators::<Test>::get(), 4);
			assert_eq!(<SessionLength<Test> as Get<u64>>::get(), 10);
			assert_eq!(Consortium::new_session(1), Some(vec![1, 2, 3, 4]));
			assert_ok!(Consortium::do_try_state());
		});
	}

	#[test]
	fn the_council_adds_a_hospital_validator_for_the_next_session() {
		build_and_execute(|| {
			assert_ok!(Consortium::authorize_node(majority(), peer(5), 4));
			assert_ok!(Consortium::add_validator(majority(), 5, 4));
			System::assert_last_event(Event::ValidatorAdded { validator: 5, hospital: 4 }.into());
			assert_eq!(Consortium::new_session(2), Some(vec![1, 2, 3, 4, 5]));
			assert_ok!(Consortium::do_try_state());
		});
	}

	#[test]
	fn additions_are_checked() {
		build_and_execute(|| {
			assert_noop!(
				Consortium::add_validator(RuntimeOrigin::signed(1), 5, 4),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Consortium::add_validator(RuntimeOrigin::root(), 5, 4),
				DispatchError::BadOrigin
			);
			// A clinic and an unknown institution run no validators.
			assert_noop!(
				Consortium::add_validator(majority(), 5, 6),
				Error::<Test>::NotActiveHospital
			);
			assert_noop!(
				Consortium::add_validator(majority(), 5, 9),
				Error::<Test>::NotActiveHospital
			);
			// Duplicates: the same account, or a hospital that runs one already.
			assert_noop!(
				Consortium::add_validator(majority(), 2, 4),
				Error::<Test>::AlreadyValidator
			);
			assert_noop!(
				Consortium::add_validator(majority(), 5, 0),
				Error::<Test>::AlreadyValidator
			);
			// Without session keys the node could not take part.
			assert_noop!(
				Consortium::add_validator(majority(), 150, 4),
				Error::<Test>::NoSessionKeys
			);
			assert_ok!(Consortium::authorize_node(majority(), peer(5), 4));
			assert_ok!(Consortium::authorize_node(majority(), peer(6), 5));
			assert_ok!(Consortium::add_validator(majority(), 5, 4));
			assert_ok!(Consortium::add_validator(majority(), 6, 5));
			// Six is the maximum here.
			Validators::<Test>::mutate(|s| s.retain(|(v, _)| *v != 6));
			assert_ok!(Consortium::add_validator(majority(), 6, 5));
			assert_eq!(accounts().len(), 6);
		});
	}

	#[test]
	fn removal_stops_at_the_floor() {
		build_and_execute(|| {
			// Four validators, floor four: no removal.
			assert_noop!(
				Consortium::remove_validator(majority(), 4),
				Error::<Test>::TooFewValidators
			);
			assert_ok!(Consortium::authorize_node(majority(), peer(5), 4));
			assert_ok!(Consortium::add_validator(majority(), 5, 4));
			assert_noop!(Consortium::remove_validator(majority(), 77), Error::<Test>::NotValidator);
			assert_noop!(
				Consortium::remove_validator(RuntimeOrigin::signed(5), 2),
				DispatchError::BadOrigin
			);
			assert_ok!(Consortium::remove_validator(majority(), 2));
			System::assert_last_event(Event::ValidatorRemoved { validator: 2 }.into());
			assert_eq!(Consortium::new_session(3), Some(vec![1, 3, 4, 5]));
			assert_noop!(
				Consortium::remove_validator(majority(), 5),
				Error::<Test>::TooFewValidators
			);
			// The removed hospital's slot is free again.
			assert_ok!(Consortium::add_validator(majority(), 2, 1));
		});
	}

	#[test]
	fn an_empty_set_keeps_the_current_one_and_try_state_sees_duplicates() {
		build_and_execute(|| {
			Validators::<Test>::kill();
			MinValidators::<Test>::put(0);
			assert_eq!(Consortium::new_session(1), None);
			assert_eq!(<SessionLength<Test> as Get<u64>>::get(), 10);
			crate::SessionBlocks::<Test>::put(0);
			assert_eq!(<SessionLength<Test> as Get<u64>>::get(), 600);
			Validators::<Test>::put(frame_support::BoundedVec::truncate_from(vec![
				(1, Some(0)),
				(2, Some(0)),
			]));
			assert!(Consortium::do_try_state().is_err());
			Validators::<Test>::put(frame_support::BoundedVec::truncate_from(vec![(1, Some(0))]));
		});
	}
}

mod node_allow_list {
	use super::*;
	use crate::{AuthorizedNodes, Error};
	use sp_core::OpaquePeerId;

	fn majority() -> RuntimeOrigin {
		RuntimeOrigin::signed(901)
	}

	#[test]
	fn genesis_nodes_are_the_network_allow_list() {
		build_and_execute(|| {
			assert_eq!(
				Consortium::network_allow_list(),
				Some((1..=4).map(|i| OpaquePeerId(peer(i))).collect())
			);
			// An empty list restricts nothing.
			AuthorizedNodes::<Test>::kill();
			assert_eq!(Consortium::network_allow_list(), None);
		});
	}

	#[test]
	fn the_council_authorizes_and_deauthorizes_nodes() {
		build_and_execute(|| {
			assert_ok!(Consortium::authorize_node(majority(), peer(5), 4));
			System::assert_last_event(
				Event::NodeAuthorized { node: peer(5).try_into().unwrap(), hospital: 4 }.into(),
			);
			assert_eq!(Consortium::network_allow_list().unwrap().len(), 5);
			assert_ok!(Consortium::authorize_node(majority(), peer(6), 4));
			assert_ok!(Consortium::deauthorize_node(majority(), peer(5)));
			System::assert_last_event(
				Event::NodeDeauthorized { node: peer(5).try_into().unwrap() }.into(),
			);
			assert_eq!(
				Consortium::network_allow_list(),
				Some([1, 2, 3, 4, 6].into_iter().map(|i| OpaquePeerId(peer(i))).collect())
			);
		});
	}

	#[test]
	fn allow_list_changes_are_checked() {
		build_and_execute(|| {
			let node = || peer(5);
			assert_noop!(
				Consortium::authorize_node(RuntimeOrigin::signed(1), node(), 4),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Consortium::deauthorize_node(RuntimeOrigin::signed(1), peer(1)),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Consortium::authorize_node(majority(), vec![], 4),
				Error::<Test>::MalformedPeerId
			);
			assert_noop!(
				Consortium::authorize_node(majority(), vec![1; 129], 4),
				Error::<Test>::MalformedPeerId
			);
			assert_noop!(
				Consortium::deauthorize_node(majority(), vec![]),
				Error::<Test>::BadNodeId
			);
			assert_noop!(
				Consortium::deauthorize_node(majority(), vec![1; 129]),
				Error::<Test>::BadNodeId
			);
			assert_noop!(
				Consortium::authorize_node(majority(), node(), 6),
				Error::<Test>::NotActiveHospital
			);
			assert_noop!(
				Consortium::authorize_node(majority(), peer(1), 4),
				Error::<Test>::AlreadyAuthorized
			);
			for i in 6..=9u8 {
				assert_ok!(Consortium::authorize_node(majority(), peer(i), 1));
			}
			assert_noop!(
				Consortium::authorize_node(majority(), node(), 4),
				Error::<Test>::TooManyNodes
			);
			assert_noop!(
				Consortium::deauthorize_node(majority(), node()),
				Error::<Test>::UnknownNode
			);
			let listed = AuthorizedNodes::<Test>::get();
			AuthorizedNodes::<Test>::mutate(|l| l[1].0 = l[0].0.clone());
			assert!(Consortium::do_try_state().is_err());
			AuthorizedNodes::<Test>::put(listed);
		});
	}
}

mod stalled_finality {
	use super::*;
	use crate::Error;

	#[test]
	fn two_thirds_of_the_council_force_new_finality_voters() {
		build_and_execute(|| {
			System::set_block_number(50);
			assert_ok!(Consortium::note_stalled_finality(RuntimeOrigin::signed(900), 10, 42));
			assert_eq!(stall_noted(), Some((10, 42)));
			System::assert_last_event(
				Event::FinalityStallNoted { delay: 10, best_finalized: 42 }.into(),
			);
		});
	}

	#[test]
	fn a_majority_or_a_member_alone_cannot() {
		build_and_execute(|| {
			System::set_block_number(50);
			for who in [901, 1] {
				assert_noop!(
					Consortium::note_stalled_finality(RuntimeOrigin::signed(who), 10, 42),
					DispatchError::BadOrigin
				);
			}
			assert_eq!(stall_noted(), None);
		});
	}

	#[test]
	fn a_zero_delay_or_a_finalized_block_not_behind_is_refused() {
		build_and_execute(|| {
			System::set_block_number(50);
			assert_noop!(
				Consortium::note_stalled_finality(RuntimeOrigin::signed(900), 0, 42),
				Error::<Test>::ZeroStallDelay
			);
			for finalized in [50, 51] {
				assert_noop!(
					Consortium::note_stalled_finality(RuntimeOrigin::signed(900), 10, finalized),
					Error::<Test>::FinalizedNotBehind
				);
			}
			assert_eq!(stall_noted(), None);
		});
	}
}
