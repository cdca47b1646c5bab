//! The hardening of issue 12: well-formed peer ids only, an allow-list that cannot cut a
//! validator off, nodes leaving reserved-only mode when the list empties, hospitals leaving
//! with their validators and nodes, the floor of active hospitals, the base of the council's
//! thresholds and the cap on open motions. Every test checks the invariants at its end.

use crate::{
	mock::*, nodes::is_peer_id, AuthorizedNodes, Error, Event, MinActiveHospitals, MinValidators,
	OpenMotions, SuspendedHospitals, Validators,
};
use frame_support::{assert_noop, assert_ok, traits::Hooks};
use pallet_institutions::council::OnHospitalExit;
use pallet_session::SessionManager;
use sp_core::{OpaquePeerId, H256};
use sp_runtime::DispatchError;

fn majority() -> RuntimeOrigin {
	RuntimeOrigin::signed(901)
}

fn two_thirds() -> RuntimeOrigin {
	RuntimeOrigin::signed(900)
}

fn listed() -> Vec<(Vec<u8>, Option<u32>)> {
	AuthorizedNodes::<Test>::get().into_iter().map(|(n, h)| (n.into_inner(), h)).collect()
}

mod peer_ids {
	use super::*;

	fn sha256_peer(byte: u8) -> Vec<u8> {
		let mut id = vec![0x12, 0x20];
		id.extend([byte; 32]);
		id
	}

	#[test]
	fn only_multihashes_nodes_can_parse_are_peer_ids() {
		build_and_execute(|| {
			// An Ed25519 node key (identity multihash) and a hashed key (SHA-256 multihash).
			assert!(is_peer_id(&peer(1)));
			assert!(is_peer_id(&sha256_peer(1)));
			// Identity up to 42 bytes (libp2p inlines keys up to that length).
			let mut inline = vec![0x00, 42];
			inline.extend([7; 42]);
			assert!(is_peer_id(&inline));
			let mut too_long = vec![0x00, 43];
			too_long.extend([7; 43]);
			assert!(!is_peer_id(&too_long));
			for bad in [
				b"node-1".to_vec(),
				vec![],
				vec![0x00],
				vec![0x00, 0x00],
				vec![0x00, 0x24, 0x08, 0x01, 0x12, 0x20, 7, 7, 7],
				peer(1)[..37].to_vec(),
				[peer(1), vec![0]].concat(),
				sha256_peer(1)[..33].to_vec(),
				vec![0x13, 0x20].into_iter().chain([1; 32]).collect(),
				vec![0x12, 0x21].into_iter().chain([1; 33]).collect(),
			] {
				assert!(!is_peer_id(&bad), "{bad:?} is not a peer id");
			}
		});
	}

	#[test]
	fn the_council_cannot_list_a_malformed_peer_id() {
		build_and_execute(|| {
			for bad in [b"node-5".to_vec(), peer(5)[..20].to_vec(), vec![0x12, 0x20, 1, 2]] {
				assert_noop!(
					Consortium::authorize_node(majority(), bad, 4),
					Error::<Test>::MalformedPeerId
				);
			}
			assert_ok!(Consortium::authorize_node(majority(), peer(5), 4));
			assert_ok!(Consortium::authorize_node(majority(), sha256_peer(6), 5));
		});
	}

	#[test]
	fn a_genesis_allow_list_with_a_malformed_peer_id_is_refused() {
		use sp_runtime::BuildStorage;
		let genesis = |nodes: Vec<(Vec<u8>, Option<u32>)>| crate::GenesisConfig::<Test> {
			validators: vec![(1, Some(0))],
			min_validators: 1,
			session_blocks: 10,
			nodes,
			min_active_hospitals: None,
		};
		assert!(genesis(vec![(peer(1), Some(0))]).build_storage().is_ok());
		let malformed = std::panic::catch_unwind(|| {
			genesis(vec![(b"node-1".to_vec(), Some(0))]).build_storage()
		});
		assert!(malformed.is_err(), "a malformed genesis peer id panics");
		let uncovered =
			std::panic::catch_unwind(|| genesis(vec![(peer(2), Some(1))]).build_storage());
		assert!(uncovered.is_err(), "a genesis list without a validator's node panics");
		build_and_execute(|| assert_eq!(listed().len(), 4));
	}
}

mod allow_list_keeps_validators_in {
	use super::*;

	#[test]
	fn the_first_node_on_an_empty_list_must_not_cut_validators_off() {
		build_and_execute(|| {
			AuthorizedNodes::<Test>::kill();
			// One hospital's node alone would make every other validator's node an outsider.
			assert_noop!(
				Consortium::authorize_node(majority(), peer(9), 0),
				Error::<Test>::ValidatorNodesMissing
			);
			assert_eq!(Consortium::network_allow_list(), None);
			// A chain whose validators are all one hospital's may start its list with it.
			Validators::<Test>::put(frame_support::BoundedVec::truncate_from(vec![(1, Some(0))]));
			MinValidators::<Test>::put(1);
			assert_ok!(Consortium::authorize_node(majority(), peer(9), 0));
		});
	}

	#[test]
	fn a_validator_joins_only_with_its_hospital_node_listed() {
		build_and_execute(|| {
			assert_noop!(
				Consortium::add_validator(majority(), 5, 4),
				Error::<Test>::NodeNotAuthorized
			);
			assert_ok!(Consortium::authorize_node(majority(), peer(5), 4));
			assert_ok!(Consortium::add_validator(majority(), 5, 4));
			// With no list in force, any hospital's validator may join.
			AuthorizedNodes::<Test>::kill();
			assert_ok!(Consortium::add_validator(majority(), 6, 5));
		});
	}

	#[test]
	fn a_validator_hospital_node_stays_until_the_validator_leaves() {
		build_and_execute(|| {
			assert_noop!(
				Consortium::deauthorize_node(majority(), peer(1)),
				Error::<Test>::NodeOfValidator
			);
			// A fifth validator, then the first one leaves: its node may go.
			assert_ok!(Consortium::authorize_node(majority(), peer(5), 4));
			assert_ok!(Consortium::add_validator(majority(), 5, 4));
			assert_ok!(Consortium::remove_validator(majority(), 1));
			assert_ok!(Consortium::deauthorize_node(majority(), peer(1)));
			System::assert_last_event(
				Event::NodeDeauthorized { node: peer(1).try_into().unwrap() }.into(),
			);
		});
	}

	#[test]
	fn try_state_sees_a_validator_without_its_node() {
		build_and_execute(|| {
			let before = AuthorizedNodes::<Test>::get();
			AuthorizedNodes::<Test>::mutate(|l| l.retain(|(_, h)| *h != Some(2)));
			assert!(Consortium::do_try_state().is_err());
			AuthorizedNodes::<Test>::put(before);
		});
	}
}

mod offchain_worker {
	use super::*;

	fn run_worker() {
		Consortium::offchain_worker(System::block_number());
	}

	#[test]
	fn nodes_leave_reserved_only_mode_when_the_list_empties() {
		let (mut ext, calls) = offchain_test_ext();
		ext.execute_with(|| {
			run_worker();
			let four: Vec<OpaquePeerId> = (1..=4).map(|i| OpaquePeerId(peer(i))).collect();
			assert_eq!(calls.lock().unwrap().clone(), vec![(four, true)]);
			// The list empties (e.g. by a runtime upgrade's migration): the node opens up once.
			AuthorizedNodes::<Test>::kill();
			run_worker();
			run_worker();
			let seen = calls.lock().unwrap().clone();
			assert_eq!(seen.len(), 2, "one call to leave reserved-only mode: {seen:?}");
			assert_eq!(seen[1], (vec![], false));
			Consortium::do_try_state().expect("invariants");
		});
	}

	#[test]
	fn a_node_that_never_applied_a_list_is_left_alone() {
		let (mut ext, calls) = offchain_test_ext();
		ext.execute_with(|| {
			AuthorizedNodes::<Test>::kill();
			run_worker();
			assert!(calls.lock().unwrap().is_empty());
			Consortium::do_try_state().expect("invariants");
		});
	}
}

mod hospitals_leaving {
	use super::*;

	/// Suspends `hospital` as the registry would: the hook, then the registry's own change.
	fn suspend(hospital: u32) -> sp_runtime::DispatchResult {
		Consortium::suspending(hospital)?;
		set_inactive(hospital);
		set_active_hospitals(ACTIVE.with(|a| {
			*a.borrow_mut() -= 1;
			*a.borrow()
		}));
		Ok(())
	}

	thread_local! {
		static ACTIVE: core::cell::RefCell<u32> = const { core::cell::RefCell::new(6) };
	}

	fn reset_active(n: u32) {
		ACTIVE.with(|a| *a.borrow_mut() = n);
		set_active_hospitals(n);
	}

	#[test]
	fn a_suspended_hospital_validator_and_node_leave_at_the_next_session_change() {
		build_and_execute(|| {
			reset_active(6);
			assert_ok!(suspend(3));
			assert_eq!(Consortium::new_session(2), Some(vec![1, 2, 3]));
			assert!(!listed().iter().any(|(_, h)| *h == Some(3)));
			assert!(SuspendedHospitals::<Test>::contains_key(3));
			System::assert_has_event(Event::ValidatorRemoved { validator: 4 }.into());
			System::assert_has_event(
				Event::NodeDeauthorized { node: peer(4).try_into().unwrap() }.into(),
			);
			System::assert_last_event(
				Event::HospitalLeftNetwork { hospital: 3, validators: 1, nodes: 1 }.into(),
			);
			// Three validators are below the floor of four: a vote cannot go lower.
			assert_noop!(
				Consortium::remove_validator(majority(), 3),
				Error::<Test>::TooFewValidators
			);
		});
	}

	#[test]
	fn a_hospital_leaving_may_not_leave_fewer_than_three_validators() {
		build_and_execute(|| {
			reset_active(6);
			assert_ok!(suspend(3));
			// Three validators left: the next hospital with a validator cannot leave...
			assert_noop!(Consortium::suspending(2), Error::<Test>::TooFewValidatorsLeft);
			assert_noop!(Consortium::removing(2, true), Error::<Test>::TooFewValidatorsLeft);
			// ...but one without a validator can.
			assert_ok!(suspend(5));
			// With a floor below three, that floor (at least one validator) is the limit.
			MinValidators::<Test>::put(2);
			MinActiveHospitals::<Test>::put(1);
			assert_ok!(suspend(2));
			assert_eq!(Consortium::new_session(3), Some(vec![1, 2]));
			assert_noop!(Consortium::suspending(1), Error::<Test>::TooFewValidatorsLeft);
		});
	}

	#[test]
	fn suspensions_stop_at_the_floor_of_active_hospitals() {
		build_and_execute(|| {
			reset_active(6);
			assert_eq!(MinActiveHospitals::<Test>::get(), 3);
			assert_ok!(suspend(5));
			assert_ok!(suspend(4));
			assert_ok!(suspend(3));
			// Three active hospitals left: no further suspension or removal of an active one.
			assert_noop!(Consortium::suspending(0), Error::<Test>::TooFewActiveHospitals);
			assert_noop!(Consortium::removing(0, true), Error::<Test>::TooFewActiveHospitals);
			// Removing a suspended hospital leaves the active ones as they are.
			assert_ok!(Consortium::removing(5, false));
			assert!(!SuspendedHospitals::<Test>::contains_key(5));
			assert_eq!(SuspendedHospitals::<Test>::count(), 2);
		});
	}

	#[test]
	fn two_thirds_set_the_floor_of_active_hospitals() {
		build_and_execute(|| {
			assert_noop!(
				Consortium::set_min_active_hospitals(majority(), 2),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Consortium::set_min_active_hospitals(two_thirds(), 0),
				Error::<Test>::ZeroHospitalFloor
			);
			assert_ok!(Consortium::set_min_active_hospitals(two_thirds(), 5));
			System::assert_last_event(Event::MinActiveHospitalsSet { floor: 5 }.into());
			assert_eq!(MinActiveHospitals::<Test>::get(), 5);
			reset_active(6);
			assert_ok!(suspend(5));
			assert_noop!(Consortium::suspending(4), Error::<Test>::TooFewActiveHospitals);
		});
	}

	#[test]
	fn suspended_hospitals_count_in_the_council_base_until_reinstated_or_removed() {
		build_and_execute(|| {
			// Five hospitals; one suspended leaves four seats but a base of five.
			reset_active(5);
			assert_eq!(Consortium::hospital_seat_base(), 5);
			assert_ok!(suspend(4));
			assert_eq!(Consortium::hospital_seat_base(), 5);
			// Three of four seats: a majority of five, not two thirds of five.
			assert!(Consortium::council_share_reached(3, 4, 1, 2, true));
			assert!(!Consortium::council_share_reached(3, 4, 2, 3, false));
			assert!(Consortium::council_share_reached(4, 4, 2, 3, false));
			// Two of four seats are not a majority of five (they were half of four).
			assert!(!Consortium::council_share_reached(2, 4, 1, 2, true));
			// The collective's own count is used when larger.
			assert!(!Consortium::council_share_reached(4, 7, 2, 3, false));
			Consortium::hospital_reinstated(4);
			reset_active(5);
			assert_eq!(Consortium::hospital_seat_base(), 5);
			assert!(!SuspendedHospitals::<Test>::contains_key(4));
			// A removed hospital no longer counts.
			assert_ok!(suspend(4));
			assert_ok!(Consortium::removing(4, false));
			assert_eq!(Consortium::hospital_seat_base(), 4);
		});
	}
}

mod open_motions {
	use super::*;

	fn h(i: u8) -> H256 {
		H256::repeat_byte(i)
	}

	#[test]
	fn a_member_has_at_most_two_open_motions_here() {
		build_and_execute(|| {
			assert_ok!(Consortium::note_open_motion(&1, h(1), &[h(1)]));
			assert_ok!(Consortium::note_open_motion(&1, h(2), &[h(1), h(2)]));
			assert_noop!(
				Consortium::note_open_motion(&1, h(3), &[h(1), h(2), h(3)]),
				Error::<Test>::TooManyOpenMotions
			);
			// Another member is not affected.
			assert_ok!(Consortium::note_open_motion(&2, h(3), &[h(1), h(2), h(3)]));
			// Once one of its motions closed, the member may propose again.
			assert_ok!(Consortium::note_open_motion(&1, h(4), &[h(2), h(3), h(4)]));
			assert_eq!(OpenMotions::<Test>::get(1).into_inner(), vec![h(2), h(4)]);
			// The same motion is never counted twice.
			assert_ok!(Consortium::note_open_motion(&2, h(3), &[h(3)]));
			assert_eq!(OpenMotions::<Test>::get(2).into_inner(), vec![h(3)]);
		});
	}
}
