//! The hospital council on the consortium preset: its seats follow the registry, motions pass
//! only with their threshold (majority to admit, two thirds to remove a hospital or authorize a
//! runtime upgrade), non-members cannot propose, and there is no sudo key. The hardening of
//! issue 12 is tested in `governance/hardening.rs`.

#[path = "governance/hardening.rs"]
mod hardening;

use codec::Encode;
use frame_support::{assert_noop, assert_ok, dispatch::GetDispatchInfo};
use medchain_runtime::{
	genesis_config_presets, AccountId, BuildStorage, Council, CouncilMembership, Hash,
	Institutions, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, System,
};
use pallet_institutions::{InstitutionKind, InstitutionStatus};
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Eve, Ferdie};
use sp_runtime::{traits::Hash as _, DispatchError, DispatchResult};

fn consortium() -> sp_io::TestExternalities {
	let config = genesis_config_presets::preset_genesis_config("consortium").unwrap();
	let mut ext = sp_io::TestExternalities::new(config.build_storage().unwrap());
	ext.execute_with(|| System::set_block_number(1));
	ext
}

fn id(k: Sr25519Keyring) -> AccountId {
	k.to_account_id()
}

fn signed(k: Sr25519Keyring) -> RuntimeOrigin {
	RuntimeOrigin::signed(id(k))
}

fn members() -> Vec<AccountId> {
	pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get()
}

fn sorted(mut v: Vec<AccountId>) -> Vec<AccountId> {
	v.sort();
	v
}

/// A motion: `proposer` proposes `call` with `threshold`, `ayes` vote aye (the proposer
/// included if listed), `nays` vote nay, then it is closed. Returns the dispatch result of the
/// proposal if it was executed, `None` if it was disapproved.
fn motion(
	proposer: Sr25519Keyring,
	threshold: u32,
	call: RuntimeCall,
	ayes: &[Sr25519Keyring],
	nays: &[Sr25519Keyring],
) -> Option<DispatchResult> {
	let length = call.encoded_size() as u32;
	let weight = call.get_dispatch_info().call_weight;
	let hash: Hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);
	let index = pallet_collective::ProposalCount::<Runtime, pallet_collective::Instance1>::get();
	assert_ok!(Council::propose(signed(proposer), threshold, Box::new(call), length));
	for who in ayes {
		assert_ok!(Council::vote(signed(*who), hash, index, true));
	}
	for who in nays {
		assert_ok!(Council::vote(signed(*who), hash, index, false));
	}
	System::reset_events();
	assert_ok!(Council::close(signed(proposer), hash, index, weight, length));
	System::events().into_iter().find_map(|r| match r.event {
		RuntimeEvent::Council(pallet_collective::Event::Executed { result, .. }) => Some(result),
		_ => None,
	})
}

fn admit(admin: Sr25519Keyring) -> RuntimeCall {
	RuntimeCall::Institutions(pallet_institutions::Call::admit {
		admin: id(admin),
		kind: InstitutionKind::Hospital,
		name: b"Hopital Central".to_vec(),
	})
}

#[test]
fn the_founding_hospitals_hold_the_seats_and_nobody_holds_sudo() {
	consortium().execute_with(|| {
		let admins = vec![id(Alice), id(Bob), id(Charlie), id(Dave)];
		assert_eq!(members(), sorted(admins.clone()));
		assert_eq!(
			pallet_membership::Members::<Runtime, pallet_membership::Instance1>::get().to_vec(),
			members()
		);
		for (i, admin) in admins.iter().enumerate() {
			let h = pallet_institutions::Institutions::<Runtime>::get(i as u32).unwrap();
			assert_eq!(
				(h.kind, h.status, &h.admin),
				(InstitutionKind::Hospital, InstitutionStatus::Active, admin)
			);
		}
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
		// No single key admits an institution.
		assert_noop!(
			Institutions::admit(signed(Alice), id(Eve), InstitutionKind::Clinic, b"x".to_vec()),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_majority_admits_a_hospital_which_takes_a_seat() {
	consortium().execute_with(|| {
		// 3 of 4 is more than half.
		let result = motion(Alice, 3, admit(Eve), &[Alice, Bob, Charlie], &[]);
		assert_eq!(result, Some(Ok(())));
		let h = pallet_institutions::Institutions::<Runtime>::get(4).unwrap();
		assert_eq!(h.admin, id(Eve));
		assert_eq!(members(), sorted(vec![id(Alice), id(Bob), id(Charlie), id(Dave), id(Eve)]));
	});
}

#[test]
fn a_short_vote_does_not_admit() {
	consortium().execute_with(|| {
		// A motion with threshold 2 passes its own threshold, but 2 of 4 is not a majority:
		// the admission itself is refused with BadOrigin.
		let result = motion(Alice, 2, admit(Eve), &[Alice, Bob], &[]);
		assert_eq!(result, Some(Err(DispatchError::BadOrigin)));
		// With threshold 3 and only two ayes against two nays, the motion is disapproved.
		let result = motion(Alice, 3, admit(Eve), &[Alice, Bob], &[Charlie, Dave]);
		assert_eq!(result, None);
		assert!(pallet_institutions::Institutions::<Runtime>::get(4).is_none());
		assert_eq!(members().len(), 4);
	});
}

#[test]
fn non_members_cannot_propose_or_vote() {
	consortium().execute_with(|| {
		let call = admit(Eve);
		let length = call.encoded_size() as u32;
		assert_noop!(
			Council::propose(signed(Eve), 3, Box::new(call.clone()), length),
			pallet_collective::Error::<Runtime, pallet_collective::Instance1>::NotMember
		);
		assert_ok!(Council::propose(signed(Alice), 3, Box::new(call.clone()), length));
		let hash: Hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);
		assert_noop!(
			Council::vote(signed(Ferdie), hash, 0, true),
			pallet_collective::Error::<Runtime, pallet_collective::Instance1>::NotMember
		);
		// Members cannot be added outside the registry either.
		assert_noop!(
			CouncilMembership::add_member(signed(Alice), sp_runtime::MultiAddress::Id(id(Eve))),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn removing_a_hospital_takes_two_thirds_and_its_seat() {
	consortium().execute_with(|| {
		assert_eq!(motion(Alice, 3, admit(Eve), &[Alice, Bob, Charlie], &[]), Some(Ok(())));
		let remove =
			RuntimeCall::Institutions(pallet_institutions::Call::remove { institution: 3 });
		// 3 of 5 is a majority but not two thirds.
		let result = motion(Alice, 3, remove.clone(), &[Alice, Bob, Charlie], &[]);
		assert_eq!(result, Some(Err(DispatchError::BadOrigin)));
		// 4 of 5 is.
		let result = motion(Alice, 4, remove, &[Alice, Bob, Charlie, Eve], &[]);
		assert_eq!(result, Some(Ok(())));
		let h = pallet_institutions::Institutions::<Runtime>::get(3).unwrap();
		assert_eq!(h.status, InstitutionStatus::Removed);
		assert_eq!(members(), sorted(vec![id(Alice), id(Bob), id(Charlie), id(Eve)]));
	});
}

#[test]
fn suspension_and_admin_change_move_seats() {
	consortium().execute_with(|| {
		let suspend =
			RuntimeCall::Institutions(pallet_institutions::Call::suspend { institution: 1 });
		assert_eq!(motion(Alice, 3, suspend, &[Alice, Charlie, Dave], &[]), Some(Ok(())));
		assert_eq!(members(), sorted(vec![id(Alice), id(Charlie), id(Dave)]));
		// Three seats now, but the suspended hospital still counts: 2 of 3 seats is not a
		// majority of the four hospitals, 3 of them is.
		let reinstate =
			RuntimeCall::Institutions(pallet_institutions::Call::reinstate { institution: 1 });
		assert_eq!(
			motion(Alice, 2, reinstate.clone(), &[Alice, Charlie], &[]),
			Some(Err(DispatchError::BadOrigin))
		);
		assert_eq!(motion(Alice, 3, reinstate, &[Alice, Charlie, Dave], &[]), Some(Ok(())));
		assert_eq!(members().len(), 4);
		// Dave's hospital hands its administration to Ferdie's key: the seat follows.
		assert_ok!(Institutions::set_admin(signed(Dave), id(Ferdie)));
		assert_eq!(members(), sorted(vec![id(Alice), id(Bob), id(Charlie), id(Ferdie)]));
	});
}

#[test]
fn a_runtime_upgrade_is_authorized_by_two_thirds_only() {
	consortium().execute_with(|| {
		let code_hash = Hash::repeat_byte(0x42);
		let authorize =
			RuntimeCall::Consortium(pallet_consortium::Call::authorize_upgrade { code_hash });
		// 3 of 4 (75 %) is at least two thirds; 2 of 4 is not.
		assert_eq!(
			motion(Alice, 2, authorize.clone(), &[Alice, Bob], &[]),
			Some(Err(DispatchError::BadOrigin))
		);
		assert_eq!(motion(Alice, 3, authorize, &[Alice, Bob, Dave], &[]), Some(Ok(())));
		System::assert_has_event(
			frame_system::Event::UpgradeAuthorized { code_hash, check_version: true }.into(),
		);
		// A blob that is not the authorized one is refused.
		assert_noop!(
			System::apply_authorized_upgrade(signed(Eve), vec![0u8; 64]),
			frame_system::Error::<Runtime>::Unauthorized
		);
	});
}

#[test]
fn the_council_governs_consent_and_exchange_parameters() {
	consortium().execute_with(|| {
		let mut exchange = medchain_runtime::configs::DefaultExchangeParameters::get();
		exchange.relay_share_per_mille = 80;
		let set = RuntimeCall::Exchange(pallet_exchange::Call::set_parameters {
			parameters: exchange.clone(),
		});
		assert_eq!(motion(Bob, 3, set, &[Alice, Bob, Charlie], &[]), Some(Ok(())));
		assert_eq!(pallet_exchange::Params::<Runtime>::get(), exchange);
		let mut consent = medchain_runtime::configs::DefaultConsentParameters::get();
		consent.emergency_limit = 3;
		let set = RuntimeCall::Consent(pallet_consent::Call::set_parameters {
			parameters: consent.clone(),
		});
		assert_eq!(motion(Bob, 2, set, &[Alice, Bob], &[]), Some(Err(DispatchError::BadOrigin)));
		assert_ne!(pallet_consent::Params::<Runtime>::get(), consent);
	});
}

/// Session keys generated for `owner` in a keystore, with the proof of possession (what
/// `author_rotateKeysWithOwner` returns from a node).
fn generated_keys(owner: &AccountId) -> (medchain_runtime::SessionKeys, Vec<u8>) {
	let generated = medchain_runtime::SessionKeys::generate(&owner.encode(), None);
	(generated.keys, generated.proof.encode())
}

fn with_keystore(mut ext: sp_io::TestExternalities) -> sp_io::TestExternalities {
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext
}

fn validators() -> Vec<AccountId> {
	pallet_consortium::Validators::<Runtime>::get().into_iter().map(|(v, _)| v).collect()
}

#[test]
fn the_council_adds_a_validator_which_joins_at_the_session_after_next() {
	with_keystore(consortium()).execute_with(|| {
		use frame_support::traits::Hooks;
		assert_eq!(validators(), vec![id(Alice), id(Bob), id(Charlie), id(Dave)]);
		assert_eq!(pallet_session::Validators::<Runtime>::get().len(), 4);
		// A fifth hospital is admitted; its node's account registers keys.
		assert_eq!(motion(Alice, 3, admit(Eve), &[Alice, Bob, Charlie], &[]), Some(Ok(())));
		// Its node goes on the allow-list first (the validator's node must be listed).
		let authorize = RuntimeCall::Consortium(pallet_consortium::Call::authorize_node {
			node: genesis_config_presets::peer_id_of(&[5; 32]),
			hospital: 4,
		});
		assert_eq!(motion(Alice, 3, authorize, &[Alice, Bob, Charlie], &[]), Some(Ok(())));
		let node = id(Ferdie);
		let (keys, proof) = generated_keys(&node);
		// Keys with a proof made for another owner are refused.
		let (other_keys, other_proof) = generated_keys(&id(Eve));
		assert!(
			medchain_runtime::Session::set_keys(signed(Ferdie), other_keys, other_proof).is_err()
		);
		assert_ok!(medchain_runtime::Session::set_keys(signed(Ferdie), keys.clone(), proof));
		let add = RuntimeCall::Consortium(pallet_consortium::Call::add_validator {
			validator: node.clone(),
			hospital: 4,
		});
		assert_eq!(motion(Alice, 3, add, &[Alice, Bob, Dave], &[]), Some(Ok(())));
		assert_eq!(validators().len(), 5);

		// Two session changes later, Aura and GRANDPA have the fifth authority.
		let session: u32 =
			<pallet_consortium::SessionLength<Runtime> as frame_support::traits::Get<u32>>::get();
		let aura_before = pallet_aura::Authorities::<Runtime>::get().len();
		assert_eq!(aura_before, 4);
		for n in 2..=(2 * session + 1) {
			System::set_block_number(n);
			medchain_runtime::Session::on_initialize(n);
		}
		assert_eq!(pallet_session::CurrentIndex::<Runtime>::get(), 2);
		assert!(pallet_session::Validators::<Runtime>::get().contains(&node));
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 5);
		assert!(pallet_aura::Authorities::<Runtime>::get().contains(&keys.aura));
		// GRANDPA schedules the new set (applied after its delay).
		assert!(pallet_grandpa::PendingChange::<Runtime>::get().is_some());
	});
}

#[test]
fn the_floor_keeps_four_validators() {
	consortium().execute_with(|| {
		let remove = RuntimeCall::Consortium(pallet_consortium::Call::remove_validator {
			validator: id(Dave),
		});
		assert_eq!(
			motion(Alice, 3, remove, &[Alice, Bob, Charlie], &[]),
			Some(Err(pallet_consortium::Error::<Runtime>::TooFewValidators.into()))
		);
		assert_eq!(validators().len(), 4);
		// No single key changes the set.
		assert_noop!(
			medchain_runtime::Consortium::remove_validator(signed(Alice), id(Dave)),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn the_council_puts_a_hospital_node_on_the_network_allow_list() {
	consortium().execute_with(|| {
		// The consortium preset lists the four founding nodes.
		let founders: Vec<sp_core::OpaquePeerId> = genesis_config_presets::founder_peer_ids()
			.into_iter()
			.map(sp_core::OpaquePeerId)
			.collect();
		assert_eq!(medchain_runtime::Consortium::network_allow_list(), Some(founders.clone()));
		let peer_id = genesis_config_presets::peer_id_of(&[7; 32]);
		let authorize = RuntimeCall::Consortium(pallet_consortium::Call::authorize_node {
			node: peer_id.clone(),
			hospital: 2,
		});
		// Two of four is not a majority.
		assert_eq!(
			motion(Alice, 2, authorize.clone(), &[Alice, Bob], &[]),
			Some(Err(DispatchError::BadOrigin))
		);
		assert_eq!(motion(Alice, 3, authorize, &[Alice, Bob, Charlie], &[]), Some(Ok(())));
		let mut expected = founders;
		expected.push(sp_core::OpaquePeerId(peer_id));
		assert_eq!(medchain_runtime::Consortium::network_allow_list(), Some(expected));
	});
}

#[test]
fn two_thirds_of_the_council_restart_a_stalled_finality_with_the_session_validators() {
	use frame_support::traits::Hooks;
	consortium().execute_with(|| {
		System::set_block_number(40);
		let note = RuntimeCall::Consortium(pallet_consortium::Call::note_stalled_finality {
			delay: 5,
			best_finalized: 30,
		});
		// A majority is not enough; GRANDPA's own call needs Root, which nobody holds.
		assert_eq!(
			motion(Alice, 2, note.clone(), &[Alice, Bob], &[]),
			Some(Err(DispatchError::BadOrigin))
		);
		assert_noop!(
			medchain_runtime::Grandpa::note_stalled(signed(Alice), 5, 30),
			DispatchError::BadOrigin
		);
		assert_eq!(pallet_grandpa::Stalled::<Runtime>::get(), None);
		assert_eq!(motion(Alice, 3, note, &[Alice, Bob, Charlie], &[]), Some(Ok(())));
		assert_eq!(pallet_grandpa::Stalled::<Runtime>::get(), Some((5, 30)));

		// At the next session change GRANDPA schedules a forced change to the session's
		// validators, voting on from block 30.
		assert!(pallet_grandpa::PendingChange::<Runtime>::get().is_none());
		let session: u32 =
			<pallet_consortium::SessionLength<Runtime> as frame_support::traits::Get<u32>>::get();
		let next_session = (40 / session + 1) * session;
		System::set_block_number(next_session);
		medchain_runtime::Session::on_initialize(next_session);
		let pending = pallet_grandpa::PendingChange::<Runtime>::get().expect("a forced change");
		assert_eq!(pending.forced, Some(30));
		assert_eq!(pending.delay, 5);
		assert_eq!(pending.next_authorities.len(), 4);
		assert_eq!(pallet_grandpa::Stalled::<Runtime>::get(), None);
	});
}
