//! The hardening of issue 12 on the consortium preset (docs/governance.md, "Security review
//! (issue 12)"):
//!
//! - item 2: no member can move its seat off the registry; suspension and removal always take
//!   the seat away;
//! - item 3: the founders' nodes are on the allow-list from genesis, malformed peer ids and
//!   taking a validator's node off are refused;
//! - item 5: thresholds are counted over the active and suspended hospitals, a floor of active
//!   hospitals, silence never passes a motion, a cap on each member's open motions;
//! - item 6: a removed or suspended hospital's validator leaves at the next session change.

use super::*;
use frame_support::traits::{Get, Hooks};
use sp_core::{ed25519, Pair as _};
use sp_runtime::{traits::Dispatchable, MultiAddress};

fn remove(institution: u32) -> RuntimeCall {
	RuntimeCall::Institutions(pallet_institutions::Call::remove { institution })
}

fn suspend(institution: u32) -> RuntimeCall {
	RuntimeCall::Institutions(pallet_institutions::Call::suspend { institution })
}

fn consortium_error(e: pallet_consortium::Error<Runtime>) -> Option<DispatchResult> {
	Some(Err(e.into()))
}

fn hospital_nodes(hospital: u32) -> usize {
	pallet_consortium::AuthorizedNodes::<Runtime>::get()
		.iter()
		.filter(|(_, h)| *h == Some(hospital))
		.count()
}

/// Runs session changes until `sessions` more have happened.
fn run_sessions(sessions: u32) {
	let length: u32 = pallet_consortium::SessionLength::<Runtime>::get();
	let target = pallet_session::CurrentIndex::<Runtime>::get() + sessions;
	let mut n = System::block_number();
	while pallet_session::CurrentIndex::<Runtime>::get() < target {
		n += 1;
		assert!(n < 10 * length * (sessions + 1), "sessions change");
		System::set_block_number(n);
		medchain_runtime::Session::on_initialize(n);
	}
}

mod item_2_seats_follow_the_registry {
	use super::*;

	#[test]
	fn a_member_cannot_move_its_seat_to_another_key() {
		consortium().execute_with(|| {
			let change_key = RuntimeCall::CouncilMembership(pallet_membership::Call::change_key {
				new: MultiAddress::Id(id(Ferdie)),
			});
			let refused = change_key.dispatch(signed(Bob)).map(|_| ()).map_err(|e| e.error);
			assert_eq!(refused, Err(frame_system::Error::<Runtime>::CallFiltered.into()));
			assert!(members().contains(&id(Bob)) && !members().contains(&id(Ferdie)));
			// Not through a motion either, nor any other direct change of the members.
			let add = RuntimeCall::CouncilMembership(pallet_membership::Call::add_member {
				who: MultiAddress::Id(id(Ferdie)),
			});
			let set = RuntimeCall::Council(pallet_collective::Call::set_members {
				new_members: vec![id(Alice), id(Bob), id(Charlie)],
				prime: None,
				old_count: 4,
			});
			for call in [add, set] {
				assert_eq!(
					motion(Alice, 3, call, &[Alice, Bob, Charlie], &[]),
					Some(Err(frame_system::Error::<Runtime>::CallFiltered.into()))
				);
			}
			assert_eq!(members().len(), 4);
		});
	}

	#[test]
	fn suspension_and_removal_take_the_seat_even_if_it_is_gone() {
		consortium().execute_with(|| {
			assert_eq!(motion(Alice, 3, admit(Eve), &[Alice, Bob, Charlie], &[]), Some(Ok(())));
			// A seat moved off the registry before the filter existed (a direct call, as a
			// member could make it then): Bob's seat is held by Ferdie's key.
			assert_ok!(CouncilMembership::change_key(signed(Bob), MultiAddress::Id(id(Ferdie))));
			assert!(!members().contains(&id(Bob)));
			// Bob's hospital can still be suspended.
			assert_eq!(motion(Alice, 3, suspend(1), &[Alice, Charlie, Dave], &[]), Some(Ok(())));
			let bob = pallet_institutions::Institutions::<Runtime>::get(1).unwrap();
			assert_eq!(bob.status, InstitutionStatus::Suspended);
			assert!(!members().contains(&id(Bob)));
			// Eve's seat is gone too; her hospital can still be removed.
			assert_ok!(CouncilMembership::remove_member(
				RuntimeOrigin::root(),
				MultiAddress::Id(id(Eve))
			));
			assert_eq!(
				motion(Alice, 4, remove(4), &[Alice, Charlie, Dave, Ferdie], &[]),
				Some(Ok(()))
			);
			let eve = pallet_institutions::Institutions::<Runtime>::get(4).unwrap();
			assert_eq!(eve.status, InstitutionStatus::Removed);
			assert!(!members().contains(&id(Eve)));
		});
	}
}

mod item_3_allow_list {
	use super::*;

	#[test]
	fn the_founders_nodes_are_listed_at_genesis() {
		// The peer ids are those of the node keys SHA-256("alice"), ... (zombienet's, the
		// harness's and scripts/network.sh's keys for the founding nodes).
		let derived: Vec<Vec<u8>> = genesis_config_presets::FOUNDER_NODE_KEYS
			.iter()
			.map(|name| {
				let seed = sp_io::hashing::sha2_256(name.as_bytes());
				genesis_config_presets::peer_id_of(&ed25519::Pair::from_seed(&seed).public().0)
			})
			.collect();
		assert_eq!(derived, genesis_config_presets::founder_peer_ids());
		consortium().execute_with(|| {
			let listed = pallet_consortium::AuthorizedNodes::<Runtime>::get();
			let expected: Vec<(Vec<u8>, Option<u32>)> =
				derived.iter().cloned().zip((0..4).map(Some)).collect();
			let listed: Vec<(Vec<u8>, Option<u32>)> =
				listed.into_iter().map(|(n, h)| (n.into_inner(), h)).collect();
			assert_eq!(listed, expected);
		});
		let local = genesis_config_presets::preset_genesis_config("local_testnet").unwrap();
		sp_io::TestExternalities::new(local.build_storage().unwrap()).execute_with(|| {
			let nodes = pallet_consortium::AuthorizedNodes::<Runtime>::get();
			assert_eq!(nodes.len(), 4);
			assert!(nodes.iter().all(|(_, h)| h.is_none()));
		});
	}

	#[test]
	fn malformed_peer_ids_and_a_validator_node_are_refused() {
		consortium().execute_with(|| {
			for bad in [b"12D3KooW".to_vec(), vec![0x00, 0x24, 0x08, 0x01, 0x12, 0x20, 7, 7, 7]] {
				let authorize = RuntimeCall::Consortium(pallet_consortium::Call::authorize_node {
					node: bad,
					hospital: 2,
				});
				assert_eq!(
					motion(Alice, 3, authorize, &[Alice, Bob, Charlie], &[]),
					consortium_error(pallet_consortium::Error::MalformedPeerId)
				);
			}
			// Charlie's hospital runs a validator: its node stays.
			let charlie_node = genesis_config_presets::founder_peer_ids()[2].clone();
			let deauthorize = RuntimeCall::Consortium(pallet_consortium::Call::deauthorize_node {
				node: charlie_node,
			});
			assert_eq!(
				motion(Alice, 3, deauthorize, &[Alice, Bob, Charlie], &[]),
				consortium_error(pallet_consortium::Error::NodeOfValidator)
			);
			assert_eq!(pallet_consortium::AuthorizedNodes::<Runtime>::get().len(), 4);
		});
	}
}

mod item_5_thresholds {
	use super::*;

	#[test]
	fn suspending_hospitals_does_not_lower_the_two_thirds_bar() {
		consortium().execute_with(|| {
			assert_eq!(motion(Alice, 3, admit(Eve), &[Alice, Bob, Charlie], &[]), Some(Ok(())));
			// Three of five suspend a fourth (a majority of five).
			assert_eq!(motion(Alice, 3, suspend(3), &[Alice, Bob, Charlie], &[]), Some(Ok(())));
			assert_eq!(members().len(), 4);
			// Three of the four seats left are not two thirds of the five hospitals.
			assert_eq!(
				motion(Alice, 3, remove(4), &[Alice, Bob, Charlie], &[]),
				Some(Err(DispatchError::BadOrigin))
			);
			let code_hash = Hash::repeat_byte(0x42);
			let upgrade =
				RuntimeCall::Consortium(pallet_consortium::Call::authorize_upgrade { code_hash });
			assert_eq!(
				motion(Alice, 3, upgrade.clone(), &[Alice, Bob, Charlie], &[]),
				Some(Err(DispatchError::BadOrigin))
			);
			// Four of five are.
			assert_eq!(motion(Alice, 4, upgrade, &[Alice, Bob, Charlie, Eve], &[]), Some(Ok(())));
			let eve = pallet_institutions::Institutions::<Runtime>::get(4).unwrap();
			assert_eq!(eve.status, InstitutionStatus::Active);
		});
	}

	#[test]
	fn suspensions_stop_at_the_floor_of_active_hospitals() {
		consortium().execute_with(|| {
			assert_eq!(pallet_consortium::MinActiveHospitals::<Runtime>::get(), 3);
			assert_eq!(motion(Alice, 3, suspend(3), &[Alice, Bob, Charlie], &[]), Some(Ok(())));
			// Three active hospitals left: no further suspension, nor removal of an active one.
			assert_eq!(
				motion(Alice, 3, suspend(2), &[Alice, Bob, Charlie], &[]),
				consortium_error(pallet_consortium::Error::TooFewActiveHospitals)
			);
			assert_eq!(members().len(), 3);
			// The floor is a parameter of two thirds (of the four hospitals: 3 ayes).
			let lower =
				RuntimeCall::Consortium(pallet_consortium::Call::set_min_active_hospitals {
					floor: 2,
				});
			assert_eq!(
				motion(Alice, 2, lower.clone(), &[Alice, Bob], &[]),
				Some(Err(DispatchError::BadOrigin))
			);
			assert_eq!(motion(Alice, 3, lower, &[Alice, Bob, Charlie], &[]), Some(Ok(())));
			// Lower, the floor lets it through, but the validators' floor does not: Charlie's
			// hospital runs one of the three validators left.
			assert_eq!(
				motion(Alice, 3, suspend(2), &[Alice, Bob, Charlie], &[]),
				consortium_error(pallet_consortium::Error::TooFewValidatorsLeft)
			);
		});
	}

	#[test]
	fn silence_never_passes_a_motion() {
		consortium().execute_with(|| {
			// Alice is the prime member; she alone votes aye on a two-thirds motion.
			let prime = RuntimeCall::CouncilMembership(pallet_membership::Call::set_prime {
				who: MultiAddress::Id(id(Alice)),
			});
			assert_eq!(motion(Alice, 3, prime, &[Alice, Bob, Charlie], &[]), Some(Ok(())));
			assert_eq!(
				pallet_collective::Prime::<Runtime, pallet_collective::Instance1>::get(),
				Some(id(Alice))
			);
			let call = RuntimeCall::Consortium(pallet_consortium::Call::authorize_upgrade {
				code_hash: Hash::repeat_byte(0x42),
			});
			let (length, weight) =
				(call.encoded_size() as u32, call.get_dispatch_info().call_weight);
			let hash: Hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);
			let index =
				pallet_collective::ProposalCount::<Runtime, pallet_collective::Instance1>::get();
			assert_ok!(Council::propose(signed(Alice), 3, Box::new(call), length));
			assert_ok!(Council::vote(signed(Alice), hash, index, true));
			// The others stay silent until the motion's time is up.
			let end = System::block_number()
				+ medchain_runtime::configs::governance::CouncilMotionDuration::get();
			System::set_block_number(end);
			System::reset_events();
			assert_ok!(Council::close(signed(Bob), hash, index, weight, length));
			System::assert_has_event(
				pallet_collective::Event::<Runtime, pallet_collective::Instance1>::Disapproved {
					proposal_hash: hash,
				}
				.into(),
			);
			assert!(!System::events().iter().any(|r| matches!(
				r.event,
				RuntimeEvent::Council(pallet_collective::Event::Executed { .. })
			)));
		});
	}

	#[test]
	fn a_member_keeps_at_most_two_motions_open() {
		consortium().execute_with(|| {
			let call = |byte: u8| {
				RuntimeCall::Consortium(pallet_consortium::Call::authorize_upgrade {
					code_hash: Hash::repeat_byte(byte),
				})
			};
			let propose = |who: Sr25519Keyring, call: RuntimeCall| {
				let length = call.encoded_size() as u32;
				Council::propose(signed(who), 3, Box::new(call), length)
					.map(|_| ())
					.map_err(|e| e.error)
			};
			assert_ok!(propose(Alice, call(1)));
			assert_ok!(propose(Alice, call(2)));
			assert_eq!(
				propose(Alice, call(3)),
				Err(pallet_consortium::Error::<Runtime>::TooManyOpenMotions.into())
			);
			// Others are not affected.
			assert_ok!(propose(Bob, call(3)));
			// Once one of Alice's motions is closed (here: two nays out of four seats leave the
			// threshold of three out of reach), she may propose again.
			let first: Hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call(1));
			let index = 0;
			assert_ok!(Council::vote(signed(Charlie), first, index, false));
			assert_ok!(Council::vote(signed(Dave), first, index, false));
			let length = call(1).encoded_size() as u32;
			assert_ok!(Council::close(
				signed(Bob),
				first,
				index,
				call(1).get_dispatch_info().call_weight,
				length
			));
			assert_ok!(propose(Alice, call(4)));
		});
	}
}

mod item_6_leaving_hospitals_stop_validating {
	use super::*;

	fn session_validators() -> Vec<AccountId> {
		pallet_session::Validators::<Runtime>::get()
	}

	fn queued_validators() -> Vec<AccountId> {
		pallet_session::QueuedKeys::<Runtime>::get().into_iter().map(|(v, _)| v).collect()
	}

	#[test]
	fn a_removed_hospital_validator_is_not_in_the_next_session_set() {
		consortium().execute_with(|| {
			// A four-founder chain (validator floor 4) can remove one hospital.
			assert_eq!(motion(Alice, 3, remove(3), &[Alice, Bob, Charlie], &[]), Some(Ok(())));
			assert!(!validators().contains(&id(Dave)));
			assert_eq!(hospital_nodes(3), 0);
			System::assert_has_event(
				pallet_consortium::Event::<Runtime>::HospitalLeftNetwork {
					hospital: 3,
					validators: 1,
					nodes: 1,
				}
				.into(),
			);
			// The next session change queues the set without it; the one after makes it active.
			run_sessions(1);
			assert!(!queued_validators().contains(&id(Dave)));
			assert_eq!(queued_validators().len(), 3);
			run_sessions(1);
			assert!(!session_validators().contains(&id(Dave)));
			assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 3);
		});
	}

	#[test]
	fn a_suspended_hospital_validator_leaves_too_and_the_floor_of_three_holds() {
		consortium().execute_with(|| {
			assert_eq!(motion(Alice, 3, suspend(1), &[Alice, Charlie, Dave], &[]), Some(Ok(())));
			assert!(!validators().contains(&id(Bob)));
			assert_eq!(hospital_nodes(1), 0);
			run_sessions(1);
			assert!(!queued_validators().contains(&id(Bob)));
			// Reinstated, the hospital holds its seat again; its validator needs a new vote.
			let reinstate =
				RuntimeCall::Institutions(pallet_institutions::Call::reinstate { institution: 1 });
			assert_eq!(motion(Alice, 3, reinstate, &[Alice, Charlie, Dave], &[]), Some(Ok(())));
			assert!(members().contains(&id(Bob)));
			assert!(!validators().contains(&id(Bob)));
			assert_eq!(pallet_consortium::SuspendedHospitals::<Runtime>::count(), 0);
		});
	}
}
