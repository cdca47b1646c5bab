//! Unit tests of the exchange: every call's success and failure paths, the money of all three
//! parties checked to the unit, and the invariants after each scenario.

use crate::{mock::*, pallet::*, types::*, Error, Event};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use pallet_consent::{Purpose, Reason};
use pallet_records::Category;
use sp_core::H256;

const PACKAGE: H256 = H256::repeat_byte(0xab);
/// A `max_fee` no price list reaches, for tests not about the maximum.
const ANY_FEE: u64 = u64::MAX;

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn free(who: u64) -> u64 {
	Balances::balance(&who)
}

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&RuntimeHoldReason::Exchange(HoldReason::ExchangeFee), &who)
}

fn status(id: RequestId) -> Status<u64> {
	Requests::<Test>::get(id).expect("request exists").status
}

/// Hospital A asks B for "lab" for treatment; returns the request id.
fn request_lab() -> RequestId {
	let id = NextRequestId::<Test>::get();
	assert_ok!(Exchange::request(
		signed(DEVICE_A),
		HOSPITAL_B,
		PATIENT,
		vec![b"lab".to_vec()],
		vec![],
		Purpose::Treatment,
		ANY_FEE
	));
	id
}

/// B delivers version 2 of "lab" through the relay.
fn deliver_lab(id: RequestId) {
	assert_ok!(Exchange::deliver(
		signed(DEVICE_B),
		id,
		PACKAGE,
		4096,
		RELAY,
		vec![(b"lab".to_vec(), 2)]
	));
}

/// Patient 50 consents to clinic C receiving laboratory records for treatment.
pub(crate) fn consent_for_clinic() {
	assert_ok!(Consent::grant(
		signed(PATIENT),
		PATIENT,
		CLINIC_C,
		vec![Category::Laboratory].try_into().unwrap(),
		Default::default(),
		vec![Purpose::Treatment].try_into().unwrap(),
		None,
		500,
		None
	));
}

fn check_invariants() {
	Exchange::do_try_state().expect("exchange invariants hold");
}

#[test]
fn happy_path_pays_custodian_and_relay_to_the_unit() {
	build_and_execute(|| {
		assert_ok!(Exchange::set_prices(
			signed(ADMIN_B),
			HOSPITAL_B,
			vec![(Category::Laboratory, 333), (Category::Imaging, 900)]
		));
		let issuance = Balances::total_issuance();

		let id = request_lab();
		System::assert_last_event(
			Event::ExchangeRequested {
				request: id,
				requester: HOSPITAL_A,
				custodian: HOSPITAL_B,
				patient: PATIENT,
				fee: 333,
				deadline: 11,
			}
			.into(),
		);
		assert_eq!(free(DEVICE_A), DEVICE_A_FUNDS - 333);
		assert_eq!(held(DEVICE_A), 333);
		assert_eq!(TotalHeld::<Test>::get(), 333);
		assert_eq!(Exchange::pending_page(HOSPITAL_B, 0).total, 1);
		check_invariants();

		run_to(3);
		deliver_lab(id);
		System::assert_last_event(
			Event::ExchangeDelivered {
				request: id,
				package_hash: PACKAGE,
				package_size: 4096,
				relay: RELAY,
				versions: 1,
				dispute_until: 8,
			}
			.into(),
		);
		assert_eq!(status(id), Status::Delivered { dispute_until: 8 });
		assert_eq!(Exchange::pending_page(HOSPITAL_B, 0).total, 0);
		// The release is in the patient's disclosure log.
		let log = pallet_consent::Pallet::<Test>::disclosures(&PATIENT, 0);
		assert_eq!(log.entries.len(), 1);
		assert_eq!(log.entries[0].1.custodian, Some(HOSPITAL_B));
		assert_eq!(log.entries[0].1.recipient, HOSPITAL_A);
		assert_eq!(log.entries[0].1.record_id, b"lab".to_vec());
		check_invariants();

		assert_ok!(Exchange::confirm(signed(DEVICE_A), id));
		// 10 % of 333 is 33.3: the relay gets 33, the custodian 300, nothing is lost.
		System::assert_last_event(
			Event::ExchangeCompleted {
				request: id,
				custodian_amount: 300,
				relay_amount: 33,
				automatic: false,
			}
			.into(),
		);
		assert_eq!(free(DEVICE_A), DEVICE_A_FUNDS - 333);
		assert_eq!(held(DEVICE_A), 0);
		assert_eq!(free(ADMIN_B), ADMIN_FUNDS + 300);
		assert_eq!(free(ADMIN_RELAY), ADMIN_FUNDS + 33);
		assert_eq!(TotalHeld::<Test>::get(), 0);
		assert_eq!(Balances::total_issuance(), issuance);
		assert_eq!(status(id), Status::Completed { at: 3, automatic: false });
		check_invariants();
	});
}

#[test]
fn request_by_category_uses_prices_and_default_fee() {
	build_and_execute(|| {
		assert_ok!(Exchange::set_prices(
			signed(ADMIN_B),
			HOSPITAL_B,
			vec![(Category::Laboratory, 70)]
		));
		// Laboratory is priced (70), Allergy costs the default (50).
		assert_ok!(Exchange::request(
			signed(DEVICE_A),
			HOSPITAL_B,
			PATIENT,
			vec![],
			vec![Category::Allergy, Category::Laboratory],
			Purpose::Treatment,
			ANY_FEE
		));
		assert_eq!(Requests::<Test>::get(0).unwrap().fee, 120);
		assert_eq!(held(DEVICE_A), 120);
		// Both versions of "lab" and the allergy record are in scope of the categories.
		assert_ok!(Exchange::deliver(
			signed(DEVICE_B),
			0,
			PACKAGE,
			1,
			RELAY,
			vec![(b"lab".to_vec(), 1), (b"lab".to_vec(), 2), (b"allergy".to_vec(), 1)]
		));
		// One disclosure per record, not per version.
		assert_eq!(pallet_consent::Pallet::<Test>::disclosures(&PATIENT, 0).entries.len(), 2);
		assert_eq!(Deliveries::<Test>::get(0).unwrap().versions.len(), 3);
		check_invariants();
	});
}

#[test]
fn request_without_consent_is_rejected_with_the_reason() {
	build_and_execute(|| {
		// No consent for mental health records.
		assert_noop!(
			Exchange::request(
				signed(DEVICE_A),
				HOSPITAL_B,
				PATIENT,
				vec![b"mental".to_vec()],
				vec![],
				Purpose::Treatment,
				ANY_FEE
			),
			pallet_consent::Error::<Test>::RecordNotCovered
		);
		// The consent does not cover research.
		assert_noop!(
			Exchange::request(
				signed(DEVICE_A),
				HOSPITAL_B,
				PATIENT,
				vec![b"lab".to_vec()],
				vec![],
				Purpose::Research,
				ANY_FEE
			),
			pallet_consent::Error::<Test>::PurposeNotCovered
		);
		// Clinic C has no consent at all.
		assert_noop!(
			Exchange::request(
				signed(DEVICE_C),
				HOSPITAL_B,
				PATIENT,
				vec![],
				vec![Category::Laboratory],
				Purpose::Treatment,
				ANY_FEE
			),
			pallet_consent::Error::<Test>::NoConsent
		);
		// Another patient's record.
		assert_noop!(
			Exchange::request(
				signed(DEVICE_A),
				HOSPITAL_B,
				PATIENT,
				vec![b"other".to_vec()],
				vec![],
				Purpose::Treatment,
				ANY_FEE
			),
			Error::<Test>::UnknownRecord
		);
		assert_eq!(held(DEVICE_A), 0);
		assert_eq!(NextRequestId::<Test>::get(), 0);
	});
}

#[test]
fn emergency_access_covers_a_request_for_emergency_data() {
	build_and_execute(|| {
		// No consent covers allergy records for emergency treatment...
		let request = || {
			Exchange::request(
				signed(DEVICE_A),
				HOSPITAL_B,
				PATIENT,
				vec![b"allergy".to_vec()],
				vec![],
				Purpose::EmergencyTreatment,
				ANY_FEE,
			)
		};
		assert_noop!(request(), pallet_consent::Error::<Test>::PurposeNotCovered);
		// ...until a physician of A breaks the glass.
		// The patient's emergency card (key 1040), as the emergency department holds it.
		assert_ok!(Consent::set_emergency_card(signed(PATIENT), PATIENT, Some(1040)));
		let statement = Consent::card_statement(&PATIENT, &PHYSICIAN_A).unwrap();
		assert_ok!(Consent::open_emergency_access(
			signed(PHYSICIAN_A),
			PATIENT,
			pallet_consent::EmergencyReason::PatientUnresponsive.commitment(&[3; 32]),
			sp_runtime::testing::TestSignature(1040, statement.signing_payload())
		));
		assert_ok!(request());
		assert_ok!(Exchange::deliver(
			signed(DEVICE_B),
			0,
			PACKAGE,
			10,
			RELAY,
			vec![(b"allergy".to_vec(), 1)]
		));
		let log = pallet_consent::Pallet::<Test>::disclosures(&PATIENT, 0);
		assert_eq!(log.entries[0].1.basis, pallet_consent::Basis::Emergency(0));
		check_invariants();
	});
}

#[test]
fn revocation_before_delivery_refunds_and_releases_nothing() {
	build_and_execute(|| {
		let id = request_lab();
		assert_ok!(Consent::revoke(signed(PATIENT), 0));
		run_to(2);
		deliver_lab(id);
		System::assert_last_event(
			Event::ExchangeRefunded {
				request: id,
				payer: DEVICE_A,
				amount: 50,
				cause: RefundCause::ConsentWithdrawn(Reason::Revoked),
			}
			.into(),
		);
		assert_eq!(
			status(id),
			Status::Refunded { at: 2, cause: RefundCause::ConsentWithdrawn(Reason::Revoked) }
		);
		assert_eq!(free(DEVICE_A), DEVICE_A_FUNDS);
		assert_eq!(held(DEVICE_A), 0);
		assert_eq!(free(ADMIN_B), ADMIN_FUNDS);
		assert!(Deliveries::<Test>::get(id).is_none());
		assert!(pallet_consent::Pallet::<Test>::disclosures(&PATIENT, 0).entries.is_empty());
		assert_eq!(Exchange::pending_page(HOSPITAL_B, 0).total, 0);
		// Nothing more can happen to it.
		assert_noop!(Exchange::confirm(signed(DEVICE_A), id), Error::<Test>::NotDelivered);
		check_invariants();
	});
}

#[test]
fn a_deny_provision_set_after_the_request_also_refunds() {
	build_and_execute(|| {
		let id = request_lab();
		assert_ok!(Consent::set_deny_provisions(
			signed(PATIENT),
			PATIENT,
			frame_support::BoundedVec::truncate_from(vec![Category::Laboratory])
		));
		deliver_lab(id);
		assert_eq!(
			status(id),
			Status::Refunded {
				at: 1,
				cause: RefundCause::ConsentWithdrawn(Reason::DeniedByPatient)
			}
		);
		assert_eq!(free(DEVICE_A), DEVICE_A_FUNDS);
		check_invariants();
	});
}

#[test]
fn undelivered_request_is_refunded_at_its_deadline() {
	build_and_execute(|| {
		let id = request_lab();
		assert_eq!(Requests::<Test>::get(id).unwrap().deadline, 11);
		run_to(10);
		assert_eq!(status(id), Status::Requested);
		assert_eq!(held(DEVICE_A), 50);
		run_to(11);
		assert_eq!(status(id), Status::Refunded { at: 11, cause: RefundCause::Expired });
		assert_eq!(free(DEVICE_A), DEVICE_A_FUNDS);
		assert_eq!(held(DEVICE_A), 0);
		assert!(Timers::<Test>::get(11).is_empty());
		assert_noop!(
			Exchange::deliver(signed(DEVICE_B), id, PACKAGE, 1, RELAY, vec![(b"lab".to_vec(), 2)]),
			Error::<Test>::NotPending
		);
		check_invariants();
	});
}

#[test]
fn unanswered_delivery_confirms_itself_when_the_window_closes() {
	build_and_execute(|| {
		let id = request_lab();
		deliver_lab(id);
		run_to(5);
		assert_eq!(status(id), Status::Delivered { dispute_until: 6 });
		run_to(6);
		assert_eq!(status(id), Status::Completed { at: 6, automatic: true });
		// 10 % of 50.
		assert_eq!(free(ADMIN_B), ADMIN_FUNDS + 45);
		assert_eq!(free(ADMIN_RELAY), ADMIN_FUNDS + 5);
		assert_eq!(free(DEVICE_A), DEVICE_A_FUNDS - 50);
		assert_eq!(held(DEVICE_A), 0);
		assert_noop!(
			Exchange::dispute(signed(DEVICE_A), id, DisputeReason::MissingRecords),
			Error::<Test>::NotDelivered
		);
		check_invariants();
	});
}

#[test]
fn dispute_upheld_refunds_the_requester() {
	build_and_execute(|| {
		let id = request_lab();
		deliver_lab(id);
		assert_ok!(Exchange::dispute(signed(DEVICE_A), id, DisputeReason::PackageMismatch));
		assert_eq!(status(id), Status::Disputed { reason: DisputeReason::PackageMismatch, at: 1 });
		// The window closing does not pay a disputed exchange.
		run_to(20);
		assert_eq!(held(DEVICE_A), 50);
		assert_noop!(
			Exchange::settle_dispute(signed(ADMIN_A), id, DisputeOutcome::Upheld),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(Exchange::settle_dispute(RuntimeOrigin::root(), id, DisputeOutcome::Upheld));
		System::assert_last_event(
			Event::DisputeSettled { request: id, outcome: DisputeOutcome::Upheld }.into(),
		);
		assert_eq!(status(id), Status::Refunded { at: 20, cause: RefundCause::DisputeUpheld });
		assert_eq!(free(DEVICE_A), DEVICE_A_FUNDS);
		assert_eq!(free(ADMIN_B), ADMIN_FUNDS);
		assert_eq!(free(ADMIN_RELAY), ADMIN_FUNDS);
		assert_noop!(
			Exchange::settle_dispute(RuntimeOrigin::root(), id, DisputeOutcome::Upheld),
			Error::<Test>::NotDisputed
		);
		check_invariants();
	});
}

#[test]
fn dispute_rejected_pays_custodian_and_relay() {
	build_and_execute(|| {
		let id = request_lab();
		deliver_lab(id);
		assert_ok!(Exchange::dispute(signed(DEVICE_A), id, DisputeReason::MissingRecords));
		assert_ok!(Exchange::settle_dispute(RuntimeOrigin::root(), id, DisputeOutcome::Rejected));
		assert_eq!(status(id), Status::Completed { at: 1, automatic: false });
		assert_eq!(free(DEVICE_A), DEVICE_A_FUNDS - 50);
		assert_eq!(free(ADMIN_B), ADMIN_FUNDS + 45);
		assert_eq!(free(ADMIN_RELAY), ADMIN_FUNDS + 5);
		check_invariants();
	});
}

#[test]
fn dispute_after_the_window_is_rejected() {
	build_and_execute(|| {
		let id = request_lab();
		deliver_lab(id);
		// Exactly at `dispute_until` the exchange has auto-confirmed.
		run_to(6);
		assert_noop!(
			Exchange::dispute(signed(DEVICE_A), id, DisputeReason::Undecryptable),
			Error::<Test>::NotDelivered
		);
		// A requester cannot claim the chain's own reason.
		let id = request_lab();
		deliver_lab(id);
		assert_noop!(
			Exchange::dispute(signed(DEVICE_A), id, DisputeReason::PayoutFailed),
			Error::<Test>::NotDelivered
		);
	});
}

#[test]
fn wrong_parties_and_double_delivery_are_rejected() {
	build_and_execute(|| {
		let id = request_lab();
		let deliver = |who: u64| {
			Exchange::deliver(signed(who), id, PACKAGE, 1, RELAY, vec![(b"lab".to_vec(), 2)])
		};
		// Not the custodian's device: the requester, another institution's device, a stranger.
		assert_noop!(deliver(DEVICE_A), Error::<Test>::NotCustodian);
		assert_noop!(deliver(DEVICE_C), Error::<Test>::NotCustodian);
		assert_noop!(deliver(STRANGER), Error::<Test>::NotCustodian);
		assert_noop!(Exchange::decline(signed(DEVICE_A), id), Error::<Test>::NotCustodian);
		// Confirmation before delivery.
		assert_noop!(Exchange::confirm(signed(DEVICE_A), id), Error::<Test>::NotDelivered);
		assert_ok!(deliver(DEVICE_B));
		// Double delivery.
		assert_noop!(deliver(DEVICE_B), Error::<Test>::NotPending);
		// Confirmation or dispute by anyone but the requester's devices.
		assert_noop!(Exchange::confirm(signed(STRANGER), id), Error::<Test>::NotRequester);
		assert_noop!(Exchange::confirm(signed(DEVICE_B), id), Error::<Test>::NotRequester);
		assert_noop!(Exchange::confirm(signed(ADMIN_A), id), Error::<Test>::NotRequester);
		assert_noop!(
			Exchange::dispute(signed(DEVICE_C), id, DisputeReason::MissingRecords),
			Error::<Test>::NotRequester
		);
		assert_noop!(Exchange::confirm(signed(DEVICE_A), 77), Error::<Test>::UnknownRequest);
		assert_ok!(Exchange::confirm(signed(DEVICE_A), id));
		// Double confirmation.
		assert_noop!(Exchange::confirm(signed(DEVICE_A), id), Error::<Test>::NotDelivered);
		check_invariants();
	});
}

#[test]
fn delivery_receipts_are_checked() {
	build_and_execute(|| {
		let id = request_lab();
		let deliver = |size: u64, relay: u32, versions: Vec<(Vec<u8>, u32)>| {
			Exchange::deliver(signed(DEVICE_B), id, PACKAGE, size, relay, versions)
		};
		let lab = || vec![(b"lab".to_vec(), 2)];
		assert_noop!(deliver(0, RELAY, lab()), Error::<Test>::EmptyPackage);
		assert_noop!(deliver(1, RELAY, vec![]), Error::<Test>::EmptyDelivery);
		assert_noop!(deliver(1, CLINIC_C, lab()), Error::<Test>::NotRelayOperator);
		assert_noop!(deliver(1, 42, lab()), Error::<Test>::NotRelayOperator);
		// Version 3 of "lab" was never anchored; "allergy" was not requested; "other" is
		// another patient's; an empty id.
		assert_noop!(
			deliver(1, RELAY, vec![(b"lab".to_vec(), 3)]),
			Error::<Test>::VersionNotAnchored
		);
		assert_noop!(
			deliver(1, RELAY, vec![(b"lab".to_vec(), 0)]),
			Error::<Test>::VersionNotAnchored
		);
		assert_noop!(
			deliver(1, RELAY, vec![(b"allergy".to_vec(), 1)]),
			Error::<Test>::RecordNotRequested
		);
		assert_noop!(
			deliver(1, RELAY, vec![(b"other".to_vec(), 1)]),
			Error::<Test>::VersionNotAnchored
		);
		assert_noop!(deliver(1, RELAY, vec![(vec![], 1)]), Error::<Test>::BadRecordId);
		assert_noop!(
			deliver(1, RELAY, vec![(b"lab".to_vec(), 2), (b"lab".to_vec(), 2)]),
			Error::<Test>::Duplicate
		);
		assert_noop!(
			deliver(1, RELAY, vec![(b"lab".to_vec(), 1); 5]),
			Error::<Test>::TooManyRecords
		);
		// A suspended relay operator cannot carry packages.
		assert_ok!(Institutions::suspend(RuntimeOrigin::root(), RELAY));
		assert_noop!(deliver(1, RELAY, lab()), Error::<Test>::NotRelayOperator);
		assert_eq!(status(id), Status::Requested);
	});
}

#[test]
fn requests_are_checked() {
	build_and_execute(|| {
		let request = |who: u64, custodian: u32, ids: Vec<Vec<u8>>, categories: Vec<Category>| {
			Exchange::request(
				signed(who),
				custodian,
				PATIENT,
				ids,
				categories,
				Purpose::Treatment,
				ANY_FEE,
			)
		};
		let lab = || vec![b"lab".to_vec()];
		assert_noop!(request(STRANGER, HOSPITAL_B, lab(), vec![]), Error::<Test>::NotActiveDevice);
		assert_noop!(request(DEVICE_A, RELAY, lab(), vec![]), Error::<Test>::NotRecordKeeper);
		assert_noop!(request(DEVICE_A, 42, lab(), vec![]), Error::<Test>::NotRecordKeeper);
		assert_noop!(request(DEVICE_B, HOSPITAL_B, lab(), vec![]), Error::<Test>::SameInstitution);
		assert_noop!(request(DEVICE_A, HOSPITAL_B, vec![], vec![]), Error::<Test>::EmptyRequest);
		assert_noop!(
			request(DEVICE_A, HOSPITAL_B, vec![b"a".to_vec(); 4], vec![]),
			Error::<Test>::TooManyRecords
		);
		assert_noop!(
			request(DEVICE_A, HOSPITAL_B, vec![b"lab".to_vec(), b"lab".to_vec()], vec![]),
			Error::<Test>::Duplicate
		);
		assert_noop!(
			request(DEVICE_A, HOSPITAL_B, vec![], vec![Category::Allergy, Category::Allergy]),
			Error::<Test>::Duplicate
		);
		assert_noop!(
			request(DEVICE_A, HOSPITAL_B, vec![vec![7; 17]], vec![]),
			Error::<Test>::BadRecordId
		);
		assert_noop!(
			Exchange::request(
				signed(DEVICE_A),
				HOSPITAL_B,
				STRANGER,
				lab(),
				vec![],
				Purpose::Treatment,
				ANY_FEE
			),
			Error::<Test>::UnknownPatient
		);
		// A suspended requester's device is no longer active.
		assert_ok!(Institutions::suspend(RuntimeOrigin::root(), HOSPITAL_A));
		assert_noop!(request(DEVICE_A, HOSPITAL_B, lab(), vec![]), Error::<Test>::NotActiveDevice);
	});
}

#[test]
fn insufficient_balance_is_rejected_and_holds_nothing() {
	build_and_execute(|| {
		// Clinic C's device has 60; give C a consent, price Laboratory at 100.
		assert_ok!(Consent::grant(
			signed(PATIENT),
			PATIENT,
			CLINIC_C,
			frame_support::BoundedVec::truncate_from(vec![Category::Laboratory]),
			Default::default(),
			frame_support::BoundedVec::truncate_from(vec![Purpose::Treatment]),
			None,
			500,
			None
		));
		assert_ok!(Exchange::set_prices(
			signed(ADMIN_B),
			HOSPITAL_B,
			vec![(Category::Laboratory, 100)]
		));
		assert_noop!(
			Exchange::request(
				signed(DEVICE_C),
				HOSPITAL_B,
				PATIENT,
				vec![b"lab".to_vec()],
				vec![],
				Purpose::Treatment,
				ANY_FEE
			),
			Error::<Test>::InsufficientBalance
		);
		assert_eq!(free(DEVICE_C), DEVICE_C_FUNDS);
		// 55 leaves the existential deposit: allowed.
		assert_ok!(Exchange::set_prices(
			signed(ADMIN_B),
			HOSPITAL_B,
			vec![(Category::Laboratory, 55)]
		));
		assert_ok!(Exchange::request(
			signed(DEVICE_C),
			HOSPITAL_B,
			PATIENT,
			vec![b"lab".to_vec()],
			vec![],
			Purpose::Treatment,
			ANY_FEE
		));
		assert_eq!(held(DEVICE_C), 55);
		assert_eq!(free(DEVICE_C), 5);
		check_invariants();
	});
}

#[test]
fn fee_shares_lose_no_dust() {
	build_and_execute(|| {
		let issuance = Balances::total_issuance();
		let mut paid_b = 0;
		let mut paid_relay = 0;
		let mut spent = 0;
		// Odd fees and odd shares; each exchange confirmed.
		for (fee, share) in [(1, 100), (7, 333), (999, 1), (1001, 999), (13, 1000), (17, 0)] {
			assert_ok!(Exchange::set_parameters(
				RuntimeOrigin::root(),
				Parameters { relay_share_per_mille: share, ..ExchangeDefaults::get() }
			));
			assert_ok!(Exchange::set_prices(
				signed(ADMIN_B),
				HOSPITAL_B,
				vec![(Category::Laboratory, fee)]
			));
			let id = request_lab();
			deliver_lab(id);
			let entry = Requests::<Test>::get(id).unwrap();
			let (custodian_amount, relay_amount) = Exchange::shares(&entry);
			assert_eq!(custodian_amount + relay_amount, fee);
			assert_eq!(relay_amount, fee * share as u64 / 1000);
			assert_ok!(Exchange::confirm(signed(DEVICE_A), id));
			paid_b += custodian_amount;
			paid_relay += relay_amount;
			spent += fee;
			check_invariants();
		}
		assert_eq!(free(ADMIN_B), ADMIN_FUNDS + paid_b);
		assert_eq!(free(ADMIN_RELAY), ADMIN_FUNDS + paid_relay);
		assert_eq!(free(DEVICE_A), DEVICE_A_FUNDS - spent);
		assert_eq!(paid_b + paid_relay, spent);
		assert_eq!(Balances::total_issuance(), issuance);
	});
}

#[test]
fn a_relay_share_change_does_not_affect_open_requests() {
	build_and_execute(|| {
		let id = request_lab();
		assert_ok!(Exchange::set_parameters(
			RuntimeOrigin::root(),
			Parameters {
				relay_share_per_mille: 500,
				default_fee: 80,
				delivery_window: 3,
				dispute_window: 2,
				..ExchangeDefaults::get()
			}
		));
		deliver_lab(id);
		assert_ok!(Exchange::confirm(signed(DEVICE_A), id));
		assert_eq!(free(ADMIN_RELAY), ADMIN_FUNDS + 5);
		assert_eq!(Requests::<Test>::get(id).unwrap().deadline, 11);
	});
}

/// Moves the relay operator's admin to a fresh account with nothing: a share below the
/// existential deposit cannot be received there.
fn relay_cannot_receive() {
	assert_ok!(Institutions::set_admin(signed(ADMIN_RELAY), 77));
	assert_ok!(Exchange::set_prices(signed(ADMIN_B), HOSPITAL_B, vec![(Category::Laboratory, 10)]));
}

#[test]
fn a_relay_that_cannot_receive_its_share_leaves_it_to_the_custodian() {
	build_and_execute(|| {
		relay_cannot_receive();
		let issuance = Balances::total_issuance();
		// The delivery is accepted (it used to be refused with `PayeeCannotReceive`).
		let id = request_lab();
		deliver_lab(id);
		assert_ok!(Exchange::confirm(signed(DEVICE_A), id));
		// 10 % of 10 is 1, below the existential deposit of the empty account: the custodian
		// gets all 10.
		System::assert_has_event(
			Event::RelayShareRedirected { request: id, relay: RELAY, amount: 1 }.into(),
		);
		System::assert_last_event(
			Event::ExchangeCompleted {
				request: id,
				custodian_amount: 10,
				relay_amount: 0,
				automatic: false,
			}
			.into(),
		);
		assert_eq!(status(id), Status::Completed { at: 1, automatic: false });
		assert_eq!(free(ADMIN_B), ADMIN_FUNDS + 10);
		assert_eq!(free(77), 0);
		assert_eq!(held(DEVICE_A), 0);
		assert_eq!(free(DEVICE_A), DEVICE_A_FUNDS - 10);
		assert_eq!(TotalHeld::<Test>::get(), 0);
		assert_eq!(Balances::total_issuance(), issuance);
	});
}

#[test]
fn a_relay_that_cannot_receive_does_not_block_a_rejected_dispute_or_the_automatic_payout() {
	build_and_execute(|| {
		relay_cannot_receive();
		// Rejected dispute: governance's settlement completes, the custodian gets everything.
		let disputed = request_lab();
		deliver_lab(disputed);
		assert_ok!(Exchange::dispute(signed(DEVICE_A), disputed, DisputeReason::MissingRecords));
		assert_ok!(Exchange::settle_dispute(
			RuntimeOrigin::root(),
			disputed,
			DisputeOutcome::Rejected
		));
		assert_eq!(status(disputed), Status::Completed { at: 1, automatic: false });
		assert_eq!(free(ADMIN_B), ADMIN_FUNDS + 10);
		// The relay's account can receive again: the next exchange pays it normally.
		assert_ok!(Balances::transfer_allow_death(signed(ADMIN_A), 77, 10));
		let paid = request_lab();
		deliver_lab(paid);
		// ...and it is emptied before the window closes: the automatic payout completes
		// anyway (it used to end in `Disputed{PayoutFailed}`).
		assert_ok!(Balances::transfer_allow_death(signed(77), ADMIN_A, 10));
		run_to(6);
		assert_eq!(status(paid), Status::Completed { at: 6, automatic: true });
		System::assert_has_event(
			Event::ExchangeCompleted {
				request: paid,
				custodian_amount: 10,
				relay_amount: 0,
				automatic: true,
			}
			.into(),
		);
		assert_eq!(free(ADMIN_B), ADMIN_FUNDS + 20);
		assert_eq!(free(77), 0);
		assert_eq!(free(DEVICE_A), DEVICE_A_FUNDS - 20);
		assert_eq!(TotalHeld::<Test>::get(), 0);
	});
}

#[test]
fn a_relay_that_can_receive_is_paid_its_share_when_it_can() {
	build_and_execute(|| {
		relay_cannot_receive();
		// The fresh account gets the existential deposit: the 1-unit share now fits.
		assert_ok!(Balances::transfer_allow_death(signed(ADMIN_A), 77, EXISTENTIAL_DEPOSIT));
		let id = request_lab();
		deliver_lab(id);
		assert_ok!(Exchange::confirm(signed(DEVICE_A), id));
		assert_eq!(free(77), EXISTENTIAL_DEPOSIT + 1);
		assert_eq!(free(ADMIN_B), ADMIN_FUNDS + 9);
	});
}

#[test]
fn a_custodian_that_cannot_receive_is_caught() {
	build_and_execute(|| {
		// The custodian's admin moves to a fresh account; 4 (all of it: 10 % of 4 rounds to
		// 0) would leave it below the existential deposit.
		assert_ok!(Institutions::set_admin(signed(ADMIN_B), 78));
		assert_ok!(Exchange::set_prices(signed(78), HOSPITAL_B, vec![(Category::Laboratory, 4)]));
		let id = request_lab();
		assert_noop!(
			Exchange::deliver(signed(DEVICE_B), id, PACKAGE, 1, RELAY, vec![(b"lab".to_vec(), 2)]),
			Error::<Test>::PayeeCannotReceive
		);
		// Deliverable once the account exists; emptied before the window closes, the
		// automatic payout fails and the exchange awaits governance, the fee still held.
		assert_ok!(Balances::transfer_allow_death(signed(ADMIN_A), 78, 10));
		deliver_lab(id);
		assert_ok!(Balances::transfer_allow_death(signed(78), ADMIN_A, 10));
		run_to(6);
		assert_eq!(status(id), Status::Disputed { reason: DisputeReason::PayoutFailed, at: 6 });
		System::assert_has_event(Event::PayoutFailed { request: id }.into());
		assert_eq!(held(DEVICE_A), 4);
		assert_eq!(free(ADMIN_RELAY), ADMIN_FUNDS);
		Exchange::do_try_state().expect("invariants hold with the payout failed");
		// Rejecting the dispute fails as long as the custodian cannot receive; upholding it
		// refunds the requester.
		assert_noop!(
			Exchange::settle_dispute(RuntimeOrigin::root(), id, DisputeOutcome::Rejected),
			sp_runtime::TokenError::CannotCreate
		);
		assert_ok!(Exchange::settle_dispute(RuntimeOrigin::root(), id, DisputeOutcome::Upheld));
		assert_eq!(free(DEVICE_A), DEVICE_A_FUNDS);
	});
}

#[test]
fn decline_refunds_at_once() {
	build_and_execute(|| {
		let id = request_lab();
		assert_ok!(Exchange::decline(signed(DEVICE_B), id));
		assert_eq!(status(id), Status::Refunded { at: 1, cause: RefundCause::Declined });
		assert_eq!(free(DEVICE_A), DEVICE_A_FUNDS);
		assert_noop!(Exchange::decline(signed(DEVICE_B), id), Error::<Test>::NotPending);
		// Its deadline timer fires later and does nothing.
		run_to(11);
		assert_eq!(status(id), Status::Refunded { at: 1, cause: RefundCause::Declined });
		check_invariants();
	});
}

#[test]
fn custodian_queue_is_bounded_and_paged() {
	build_and_execute(|| {
		let a = request_lab();
		run_to(2);
		let b = request_lab();
		run_to(3);
		// Hospital A may have two waiting; clinic C asks for the third.
		let c = NextRequestId::<Test>::get();
		consent_for_clinic();
		assert_ok!(Exchange::request(
			signed(DEVICE_C),
			HOSPITAL_B,
			PATIENT,
			vec![b"lab".to_vec()],
			vec![],
			Purpose::Treatment,
			ANY_FEE
		));
		assert_noop!(
			Exchange::request(
				signed(DEVICE_A),
				HOSPITAL_B,
				PATIENT,
				vec![b"lab".to_vec()],
				vec![],
				Purpose::Treatment,
				ANY_FEE
			),
			Error::<Test>::CustodianQueueFull
		);
		let first = Exchange::pending_page(HOSPITAL_B, 0);
		assert_eq!(first.total, 3);
		assert_eq!(first.requests.iter().map(|r| r.id).collect::<Vec<_>>(), vec![a, b]);
		let second = Exchange::pending_page(HOSPITAL_B, 1);
		assert_eq!(second.requests.iter().map(|r| r.id).collect::<Vec<_>>(), vec![c]);
		assert!(Exchange::pending_page(HOSPITAL_B, 2).requests.is_empty());
		assert!(Exchange::pending_page(HOSPITAL_A, 0).requests.is_empty());
		deliver_lab(b);
		let view = Exchange::request_view(b).unwrap();
		assert_eq!(view.delivery.unwrap().versions[0].record_id, RecordIdView(b"lab".to_vec()));
		assert_eq!(Exchange::pending_page(HOSPITAL_B, 0).total, 2);
		assert!(Exchange::request_view(99).is_none());
		check_invariants();
	});
}

#[test]
fn full_timer_lists_move_to_the_next_block_with_room() {
	build_and_execute(|| {
		// Two timers per block: the third request made in the same block gets deadline 12.
		let ids: Vec<_> = (0..3)
			.map(|_| {
				let id = request_lab();
				assert_ok!(Exchange::decline(signed(DEVICE_B), id));
				id
			})
			.collect();
		assert_eq!(Timers::<Test>::get(11).to_vec(), vec![ids[0], ids[1]]);
		assert_eq!(Timers::<Test>::get(12).to_vec(), vec![ids[2]]);
		assert_eq!(Requests::<Test>::get(ids[2]).unwrap().deadline, 12);
		// Fill 16 blocks: the next request finds no room.
		for block in 12..(11 + crate::TIMER_SEARCH_BLOCKS as u64) {
			Timers::<Test>::mutate(block, |l| while l.try_push(1000).is_ok() {});
		}
		assert_noop!(
			Exchange::request(
				signed(DEVICE_A),
				HOSPITAL_B,
				PATIENT,
				vec![b"lab".to_vec()],
				vec![],
				Purpose::Treatment,
				ANY_FEE
			),
			Error::<Test>::TimersFull
		);
	});
}

#[test]
fn prices_are_set_by_the_custodian_admin_only() {
	build_and_execute(|| {
		assert_noop!(
			Exchange::set_prices(signed(DEVICE_B), HOSPITAL_B, vec![]),
			Error::<Test>::NotInstitutionAdmin
		);
		assert_noop!(
			Exchange::set_prices(signed(ADMIN_A), HOSPITAL_B, vec![]),
			Error::<Test>::NotInstitutionAdmin
		);
		assert_noop!(
			Exchange::set_prices(signed(ADMIN_RELAY), RELAY, vec![]),
			Error::<Test>::NotRecordKeeper
		);
		assert_noop!(
			Exchange::set_prices(
				signed(ADMIN_B),
				HOSPITAL_B,
				vec![(Category::Allergy, 1), (Category::Allergy, 2)]
			),
			Error::<Test>::Duplicate
		);
		let five = vec![
			(Category::Allergy, 1),
			(Category::Laboratory, 1),
			(Category::Imaging, 1),
			(Category::Other, 1),
			(Category::Discharge, 1),
		];
		assert_noop!(
			Exchange::set_prices(signed(ADMIN_B), HOSPITAL_B, five),
			Error::<Test>::TooManyPrices
		);
		assert_ok!(Exchange::set_prices(
			signed(ADMIN_B),
			HOSPITAL_B,
			vec![(Category::Laboratory, 9), (Category::Allergy, 3)]
		));
		// Stored sorted by category.
		assert_eq!(
			Prices::<Test>::get(HOSPITAL_B).to_vec(),
			vec![(Category::Laboratory, 9), (Category::Allergy, 3)]
		);
		assert_ok!(Exchange::set_prices(signed(ADMIN_B), HOSPITAL_B, vec![]));
		assert!(!Prices::<Test>::contains_key(HOSPITAL_B));
	});
}

#[test]
fn parameters_are_governed_and_validated() {
	build_and_execute(|| {
		let p = |share: u16, delivery: u64, dispute: u64| Parameters {
			relay_share_per_mille: share,
			default_fee: 1,
			delivery_window: delivery,
			dispute_window: dispute,
			max_pending_per_requester: 1,
			price_change_delay: 0,
		};
		assert_noop!(
			Exchange::set_parameters(signed(ADMIN_A), p(1, 1, 1)),
			sp_runtime::DispatchError::BadOrigin
		);
		let no_queue = Parameters { max_pending_per_requester: 0, ..p(1, 1, 1) };
		for bad in [p(1001, 1, 1), p(1, 0, 1), p(1, 1, 0), no_queue] {
			assert_noop!(
				Exchange::set_parameters(RuntimeOrigin::root(), bad),
				Error::<Test>::InvalidParameters
			);
		}
		assert_ok!(Exchange::set_parameters(RuntimeOrigin::root(), p(1000, 1, 1)));
		assert_eq!(Params::<Test>::get(), p(1000, 1, 1));
	});
}

#[test]
fn try_state_catches_tampered_holds() {
	build_and_execute(|| {
		let id = request_lab();
		check_invariants();
		TotalHeld::<Test>::put(49);
		assert!(Exchange::do_try_state().is_err());
		TotalHeld::<Test>::put(50);
		Requests::<Test>::mutate(id, |r| r.as_mut().unwrap().fee = 51);
		assert!(Exchange::do_try_state().is_err());
		Requests::<Test>::mutate(id, |r| r.as_mut().unwrap().fee = 50);
		let timers = Timers::<Test>::take(11);
		assert!(Exchange::do_try_state().is_err());
		Timers::<Test>::insert(11, timers);
		// The per-requester count must match the queue, and no zero count may be kept.
		PendingByRequester::<Test>::insert(HOSPITAL_B, HOSPITAL_A, 2);
		assert!(Exchange::do_try_state().is_err());
		PendingByRequester::<Test>::remove(HOSPITAL_B, HOSPITAL_A);
		assert!(Exchange::do_try_state().is_err());
		PendingByRequester::<Test>::insert(HOSPITAL_B, HOSPITAL_A, 1);
		PendingByRequester::<Test>::insert(HOSPITAL_B, CLINIC_C, 0);
		assert!(Exchange::do_try_state().is_err());
		PendingByRequester::<Test>::remove(HOSPITAL_B, CLINIC_C);
		// Restored: the invariants hold again (checked at the end of the test).
		check_invariants();
	});
}

#[test]
fn integrity_test_passes() {
	use frame_support::traits::Hooks;
	build_empty_and_execute(Exchange::integrity_test);
}

// --- Hardening (issue 12) ---

/// Hospital A's request for the patient's laboratory records by category, at most `max_fee`.
fn request_laboratory(max_fee: u64) -> Result<RequestId, sp_runtime::DispatchError> {
	let id = NextRequestId::<Test>::get();
	Exchange::request(
		signed(DEVICE_A),
		HOSPITAL_B,
		PATIENT,
		vec![],
		vec![Category::Laboratory],
		Purpose::Treatment,
		max_fee,
	)
	.map(|()| id)
}

/// The fee quoted for A's laboratory request.
fn laboratory_quote() -> u64 {
	Exchange::quote(HOSPITAL_B, &PATIENT, vec![], vec![Category::Laboratory]).expect("quotable")
}

#[test]
fn one_requester_cannot_fill_a_custodians_queue() {
	build_and_execute(|| {
		consent_for_clinic();
		// Two of A's requests wait at B: A's third is refused, B's queue still has room.
		let first = request_lab();
		let second = request_lab();
		assert_eq!(PendingByRequester::<Test>::get(HOSPITAL_B, HOSPITAL_A), 2);
		assert_noop!(request_laboratory(ANY_FEE), Error::<Test>::RequesterQueueFull);
		// Clinic C still can (the custodian's total is 3).
		assert_ok!(Exchange::request(
			signed(DEVICE_C),
			HOSPITAL_B,
			PATIENT,
			vec![b"lab".to_vec()],
			vec![],
			Purpose::Treatment,
			ANY_FEE
		));
		assert_eq!(PendingByRequester::<Test>::get(HOSPITAL_B, CLINIC_C), 1);
		assert_eq!(PendingCount::<Test>::get(HOSPITAL_B), 3);
		check_invariants();

		// Every way out of the queue frees one of A's places: delivery...
		deliver_lab(first);
		assert_eq!(PendingByRequester::<Test>::get(HOSPITAL_B, HOSPITAL_A), 1);
		let third = request_lab();
		assert_noop!(request_laboratory(ANY_FEE), Error::<Test>::CustodianQueueFull);
		// ...a decline...
		assert_ok!(Exchange::decline(signed(DEVICE_B), second));
		assert_eq!(PendingByRequester::<Test>::get(HOSPITAL_B, HOSPITAL_A), 1);
		let fourth = request_laboratory(ANY_FEE).expect("a place is free again");
		assert_eq!(PendingByRequester::<Test>::get(HOSPITAL_B, HOSPITAL_A), 2);
		// ...a refund at delivery because the consent was withdrawn...
		assert_ok!(Consent::set_deny_provisions(
			signed(PATIENT),
			PATIENT,
			vec![Category::Laboratory].try_into().unwrap()
		));
		deliver_lab(third);
		assert!(matches!(status(third), Status::Refunded { .. }));
		assert_eq!(PendingByRequester::<Test>::get(HOSPITAL_B, HOSPITAL_A), 1);
		assert_ok!(Consent::set_deny_provisions(signed(PATIENT), PATIENT, Default::default()));
		let fifth = request_lab();
		check_invariants();
		// ...and the deadline (the timer lists hold two per block: some deadlines are later
		// than block 11). No zero counts are kept.
		run_to(20);
		for id in [fourth, fifth] {
			assert!(matches!(status(id), Status::Refunded { cause: RefundCause::Expired, .. }));
		}
		assert!(!PendingByRequester::<Test>::contains_key(HOSPITAL_B, HOSPITAL_A));
		assert!(!PendingByRequester::<Test>::contains_key(HOSPITAL_B, CLINIC_C));
		assert!(!PendingCount::<Test>::contains_key(HOSPITAL_B));
	});
}

#[test]
fn a_lower_requester_limit_applies_to_new_requests_only() {
	build_and_execute(|| {
		let waiting = request_lab();
		let _ = request_lab();
		assert_ok!(Exchange::set_parameters(
			RuntimeOrigin::root(),
			Parameters { max_pending_per_requester: 1, ..ExchangeDefaults::get() }
		));
		assert_eq!(status(waiting), Status::Requested);
		assert_ok!(Exchange::decline(signed(DEVICE_B), waiting));
		// One still waiting: at the new limit.
		assert_noop!(request_laboratory(ANY_FEE), Error::<Test>::RequesterQueueFull);
	});
}

#[test]
fn a_category_without_an_active_record_is_refused() {
	build_and_execute(|| {
		// The patient consents to A receiving imaging studies too, but B holds none.
		assert_ok!(Consent::grant(
			signed(PATIENT),
			PATIENT,
			HOSPITAL_A,
			vec![Category::Imaging].try_into().unwrap(),
			Default::default(),
			vec![Purpose::Treatment].try_into().unwrap(),
			None,
			500,
			None
		));
		let request = |categories: Vec<Category>| {
			Exchange::request(
				signed(DEVICE_A),
				HOSPITAL_B,
				PATIENT,
				vec![],
				categories,
				Purpose::Treatment,
				ANY_FEE,
			)
		};
		assert_noop!(request(vec![Category::Imaging]), Error::<Test>::NoRecordsInCategory);
		// One empty category spoils the request.
		assert_noop!(
			request(vec![Category::Laboratory, Category::Imaging]),
			Error::<Test>::NoRecordsInCategory
		);
		assert_eq!(
			Exchange::quote(HOSPITAL_B, &PATIENT, vec![], vec![Category::Imaging]),
			Err(QuoteRefusal::NoRecordsInCategory)
		);
		// Without consent the consent's answer comes first: nothing is learnt about records.
		assert_noop!(
			request(vec![Category::Discharge]),
			pallet_consent::Error::<Test>::RecordNotCovered
		);
		// Another patient's laboratory record does not count; a retracted record does not
		// either.
		assert_ok!(Consent::grant(
			signed(OTHER_PATIENT),
			OTHER_PATIENT,
			HOSPITAL_A,
			vec![Category::Allergy].try_into().unwrap(),
			Default::default(),
			vec![Purpose::Treatment].try_into().unwrap(),
			None,
			500,
			None
		));
		assert_noop!(
			Exchange::request(
				signed(DEVICE_A),
				HOSPITAL_B,
				OTHER_PATIENT,
				vec![],
				vec![Category::Allergy],
				Purpose::Treatment,
				ANY_FEE
			),
			Error::<Test>::NoRecordsInCategory
		);
		assert_ok!(request(vec![Category::Allergy]));
		assert_ok!(Records::retract(signed(DEVICE_B), b"allergy".to_vec(), 1));
		assert_noop!(request(vec![Category::Allergy]), Error::<Test>::NoRecordsInCategory);
	});
}

#[test]
fn a_fee_above_the_maximum_is_refused() {
	build_and_execute(|| {
		assert_ok!(Exchange::set_prices(
			signed(ADMIN_B),
			HOSPITAL_B,
			vec![(Category::Laboratory, 333)]
		));
		assert_noop!(request_laboratory(332), Error::<Test>::FeeAboveMaximum);
		assert_noop!(request_laboratory(0), Error::<Test>::FeeAboveMaximum);
		assert_eq!(held(DEVICE_A), 0);
		let id = request_laboratory(333).expect("exactly the maximum");
		assert_eq!(Requests::<Test>::get(id).unwrap().fee, 333);
		// A higher maximum holds the price, not the maximum.
		let id = request_laboratory(1_000).expect("below the maximum");
		assert_eq!(Requests::<Test>::get(id).unwrap().fee, 333);
		assert_eq!(held(DEVICE_A), 666);
	});
}

#[test]
fn a_price_raise_applies_only_after_the_delay() {
	build_and_execute(|| {
		assert_ok!(Exchange::set_parameters(
			RuntimeOrigin::root(),
			Parameters { price_change_delay: 5, ..ExchangeDefaults::get() }
		));
		assert_ok!(Exchange::set_prices(
			signed(ADMIN_B),
			HOSPITAL_B,
			vec![(Category::Laboratory, 70)]
		));
		System::assert_last_event(
			Event::PricesSet {
				custodian: HOSPITAL_B,
				prices: vec![(Category::Laboratory, 70)],
				effective_from: 6,
			}
			.into(),
		);
		assert!(!Prices::<Test>::contains_key(HOSPITAL_B));
		// Until block 6 the default fee (50) applies, to quotes and requests alike.
		assert_eq!(laboratory_quote(), 50);
		let before = request_laboratory(50).expect("at the old price");
		assert_eq!(Requests::<Test>::get(before).unwrap().fee, 50);
		assert_ok!(Exchange::decline(signed(DEVICE_B), before));
		run_to(5);
		assert_eq!(laboratory_quote(), 50);
		let still = request_laboratory(50).expect("still the old price");
		assert_ok!(Exchange::decline(signed(DEVICE_B), still));
		// From block 6 on the new list is in force, though nothing was written yet.
		run_to(6);
		assert!(PendingPrices::<Test>::contains_key(HOSPITAL_B));
		assert_eq!(laboratory_quote(), 70);
		assert_eq!(
			Exchange::prices_in_force(HOSPITAL_B, 6).to_vec(),
			vec![(Category::Laboratory, 70)]
		);
		// A requester that accepted only the old price is protected.
		assert_noop!(request_laboratory(50), Error::<Test>::FeeAboveMaximum);
		let after = request_laboratory(70).expect("at the new price");
		assert_eq!(Requests::<Test>::get(after).unwrap().fee, 70);
		// The request moved the list into force: storage holds one list per custodian.
		assert_eq!(Prices::<Test>::get(HOSPITAL_B).to_vec(), vec![(Category::Laboratory, 70)]);
		assert!(!PendingPrices::<Test>::contains_key(HOSPITAL_B));
	});
}

#[test]
fn a_new_price_list_replaces_one_not_yet_in_force_and_keeps_one_in_force() {
	build_and_execute(|| {
		assert_ok!(Exchange::set_parameters(
			RuntimeOrigin::root(),
			Parameters { price_change_delay: 5, ..ExchangeDefaults::get() }
		));
		let set = |price: u64| {
			assert_ok!(Exchange::set_prices(
				signed(ADMIN_B),
				HOSPITAL_B,
				vec![(Category::Laboratory, price)]
			));
		};
		set(70);
		run_to(3);
		// Replaced before block 6: the delay starts again, 70 never applies.
		set(90);
		assert_eq!(PendingPrices::<Test>::get(HOSPITAL_B).unwrap().effective_from, 8);
		run_to(6);
		assert_eq!(laboratory_quote(), 50);
		run_to(8);
		assert_eq!(laboratory_quote(), 90);
		// A new list published once 90 is in force keeps 90 in force until its own block.
		set(20);
		assert_eq!(Prices::<Test>::get(HOSPITAL_B).to_vec(), vec![(Category::Laboratory, 90)]);
		assert_eq!(PendingPrices::<Test>::get(HOSPITAL_B).unwrap().effective_from, 13);
		assert_eq!(laboratory_quote(), 90);
		// Clearing the list is a change like any other.
		assert_ok!(Exchange::set_prices(signed(ADMIN_B), HOSPITAL_B, vec![]));
		run_to(13);
		assert_eq!(laboratory_quote(), 50);
		let id = request_laboratory(50).expect("the default fee");
		assert_eq!(Requests::<Test>::get(id).unwrap().fee, 50);
		assert!(!Prices::<Test>::contains_key(HOSPITAL_B));
		assert!(!PendingPrices::<Test>::contains_key(HOSPITAL_B));
	});
}

#[test]
fn the_quote_is_the_fee_a_request_holds() {
	build_and_execute(|| {
		assert_ok!(Exchange::set_prices(
			signed(ADMIN_B),
			HOSPITAL_B,
			vec![(Category::Laboratory, 333), (Category::Allergy, 7)]
		));
		// A record (Laboratory, 333), a priced category (Allergy, 7): 340.
		let quote =
			Exchange::quote(HOSPITAL_B, &PATIENT, vec![b"lab".to_vec()], vec![Category::Allergy]);
		assert_eq!(quote, Ok(340));
		let id = NextRequestId::<Test>::get();
		assert_ok!(Exchange::request(
			signed(DEVICE_A),
			HOSPITAL_B,
			PATIENT,
			vec![b"lab".to_vec()],
			vec![Category::Allergy],
			Purpose::Treatment,
			340
		));
		assert_eq!(Requests::<Test>::get(id).unwrap().fee, 340);
		assert_eq!(held(DEVICE_A), 340);
		// An unpriced category costs the default, as in a request.
		assert_eq!(Exchange::quote(HOSPITAL_B, &PATIENT, vec![b"mental".to_vec()], vec![]), Ok(50));
		// Invalid input is refused with the reason a request would get.
		let quote = |custodian: u32, patient: u64, ids: Vec<Vec<u8>>, categories: Vec<Category>| {
			Exchange::quote(custodian, &patient, ids, categories)
		};
		assert_eq!(
			quote(RELAY, PATIENT, vec![], vec![Category::Laboratory]),
			Err(QuoteRefusal::NotRecordKeeper)
		);
		assert_eq!(quote(HOSPITAL_B, PATIENT, vec![], vec![]), Err(QuoteRefusal::EmptyRequest));
		assert_eq!(
			quote(HOSPITAL_B, STRANGER, vec![b"lab".to_vec()], vec![]),
			Err(QuoteRefusal::UnknownPatient)
		);
		assert_eq!(
			quote(HOSPITAL_B, PATIENT, vec![b"other".to_vec()], vec![]),
			Err(QuoteRefusal::UnknownRecord)
		);
		assert_eq!(
			quote(HOSPITAL_B, PATIENT, vec![b"x".to_vec(); 4], vec![]),
			Err(QuoteRefusal::TooManyRecords)
		);
		assert_eq!(
			quote(HOSPITAL_B, PATIENT, vec![vec![]], vec![]),
			Err(QuoteRefusal::BadRecordId)
		);
		assert_eq!(
			quote(HOSPITAL_B, PATIENT, vec![], vec![Category::Allergy, Category::Allergy]),
			Err(QuoteRefusal::Duplicate)
		);
		assert_eq!(
			QuoteRefusal::NoRecordsInCategory.message(),
			"the custodian holds no active record of this patient in a requested category"
		);
	});
}

#[test]
fn migration_from_version_1_keeps_the_parameters_and_counts_the_queues() {
	use crate::migrations::v2::{MigrateV1ToV2, ParametersV1};
	use codec::Encode;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	build_and_execute(|| {
		consent_for_clinic();
		let a = request_lab();
		let _ = request_lab();
		let c = NextRequestId::<Test>::get();
		assert_ok!(Exchange::request(
			signed(DEVICE_C),
			HOSPITAL_B,
			PATIENT,
			vec![b"lab".to_vec()],
			vec![],
			Purpose::Treatment,
			ANY_FEE
		));
		deliver_lab(a);
		// The state version 1 left: parameters in the old layout, no per-requester counts.
		StorageVersion::new(1).put::<Exchange>();
		let old = ParametersV1::<u64, u64> {
			relay_share_per_mille: 250,
			default_fee: 60,
			delivery_window: 7,
			dispute_window: 3,
		};
		frame_support::storage::unhashed::put_raw(&Params::<Test>::hashed_key(), &old.encode());
		let _ = PendingByRequester::<Test>::clear(u32::MAX, None);
		assert!(Exchange::do_try_state().is_err());

		MigrateV1ToV2::<Test>::on_runtime_upgrade();

		assert_eq!(Exchange::on_chain_storage_version(), StorageVersion::new(2));
		assert_eq!(
			Params::<Test>::get(),
			Parameters {
				relay_share_per_mille: 250,
				default_fee: 60,
				delivery_window: 7,
				dispute_window: 3,
				max_pending_per_requester: 2,
				price_change_delay: 0,
			}
		);
		assert_eq!(PendingByRequester::<Test>::get(HOSPITAL_B, HOSPITAL_A), 1);
		assert_eq!(PendingByRequester::<Test>::get(HOSPITAL_B, CLINIC_C), 1);
		assert_eq!(status(c), Status::Requested);
		// Run again, it does nothing (the version is 2).
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(PendingByRequester::<Test>::get(HOSPITAL_B, HOSPITAL_A), 1);
	});
}

#[test]
fn a_delivery_the_disclosure_log_cannot_take_is_refused_not_refunded() {
	build_and_execute(|| {
		let id = request_lab();
		// B's releases fill the patient's disclosure log (64 in the mock), all younger than
		// the retention period.
		for _ in 0..64 {
			assert_ok!(Consent::log_release(
				signed(DEVICE_B),
				PATIENT,
				HOSPITAL_A,
				b"lab".to_vec(),
				Purpose::Treatment
			));
		}
		// Nothing withdrawn: the delivery is refused, the request keeps waiting, the fee held.
		assert_noop!(
			Exchange::deliver(signed(DEVICE_B), id, PACKAGE, 1, RELAY, vec![(b"lab".to_vec(), 2)]),
			pallet_consent::Error::<Test>::DisclosureLogFull
		);
		assert_eq!(status(id), Status::Requested);
		assert_eq!(held(DEVICE_A), 50);
		// The deadline still ends the wait with a refund.
		run_to(11);
		assert_eq!(status(id), Status::Refunded { at: 11, cause: RefundCause::Expired });
	});
}
