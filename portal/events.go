package portal

// EventKind names one kind of entry on a case's timeline.
type EventKind string

// The timeline's event kinds: everything Reglo writes to a case's history.
const (
	EventCaseCreated             EventKind = "case_created"
	EventLinkCreated             EventKind = "link_created"
	EventLinkSent                EventKind = "link_sent"
	EventLinkSendFailed          EventKind = "link_send_failed"
	EventLinkOpened              EventKind = "link_opened"
	EventIdentityFailed          EventKind = "identity_failed"
	EventIdentityConfirmed       EventKind = "identity_confirmed"
	EventLinkLocked              EventKind = "link_locked"
	EventLinkRevoked             EventKind = "link_revoked"
	EventDocumentAdded           EventKind = "document_added"
	EventDocumentViewed          EventKind = "document_viewed"
	EventPaymentStarted          EventKind = "payment_started"
	EventPaymentPending          EventKind = "payment_pending"
	EventPaymentSucceeded        EventKind = "payment_succeeded"
	EventPaymentFailed           EventKind = "payment_failed"
	EventPaymentCurrencyMismatch EventKind = "payment_currency_mismatch"
	EventRefunded                EventKind = "refunded"
	EventChargebackOpened        EventKind = "chargeback_opened"
	EventChargebackWon           EventKind = "chargeback_won"
	EventChargebackLost          EventKind = "chargeback_lost"
	EventOverpaid                EventKind = "overpaid"
	EventUnmatchedMoney          EventKind = "unmatched_money"
	EventUnmatchedResolved       EventKind = "unmatched_resolved"
	EventSettlementAccepted      EventKind = "settlement_accepted"
	EventSettlementVoided        EventKind = "settlement_voided"
	EventStatusChanged           EventKind = "status_changed"
	EventPlanRequested           EventKind = "plan_requested"
	EventPlanChosen              EventKind = "plan_chosen"
	EventPlanApproved            EventKind = "plan_approved"
	EventPlanDeclined            EventKind = "plan_declined"
	EventPlanCountered           EventKind = "plan_countered"
	EventPlanActivated           EventKind = "plan_activated"
	EventPlanCompleted           EventKind = "plan_completed"
	EventPlanLapsed              EventKind = "plan_lapsed"
	EventPlanCancelled           EventKind = "plan_cancelled"
	EventCardSetupStarted        EventKind = "card_setup_started"
	EventCardChanged             EventKind = "card_changed"
	EventInstalmentCharged       EventKind = "instalment_charged"
	EventInstalmentPaid          EventKind = "instalment_paid"
	EventInstalmentFailed        EventKind = "instalment_failed"
	EventInstalmentLinkSent      EventKind = "instalment_link_sent"
	EventInstalmentLinkNotSent   EventKind = "instalment_link_not_sent"
	EventPromiseMade             EventKind = "promise_made"
	EventPromiseMissed           EventKind = "promise_missed"
	EventPromiseReminderDue      EventKind = "promise_reminder_due"
	EventPromiseReminderSent     EventKind = "promise_reminder_sent"
	EventPromiseReminderNotSent  EventKind = "promise_reminder_not_sent"
	EventDisputeOpened           EventKind = "dispute_opened"
	EventDisputeResolved         EventKind = "dispute_resolved"
	EventHelpRequested           EventKind = "help_requested"
	EventHelpCallbackRequested   EventKind = "help_callback_requested"
	EventHelpPauseRequested      EventKind = "help_pause_requested"
	EventReceiptSent             EventKind = "receipt_sent"
	EventReminderSent            EventKind = "reminder_sent"
	EventReminderFailed          EventKind = "reminder_failed"
	EventReminderSkipped         EventKind = "reminder_skipped"
	EventOptedOut                EventKind = "opted_out"
	EventLetterSent              EventKind = "letter_sent"
)

// EventKinds lists every kind Reglo writes, in the order the back office's
// legend shows them; the catalogues have a label for each.
var EventKinds = []EventKind{
	EventCaseCreated,
	EventLinkCreated,
	EventLinkSent,
	EventLinkSendFailed,
	EventLinkOpened,
	EventIdentityFailed,
	EventIdentityConfirmed,
	EventLinkLocked,
	EventLinkRevoked,
	EventDocumentAdded,
	EventDocumentViewed,
	EventPaymentStarted,
	EventPaymentPending,
	EventPaymentSucceeded,
	EventPaymentFailed,
	EventPaymentCurrencyMismatch,
	EventRefunded,
	EventChargebackOpened,
	EventChargebackWon,
	EventChargebackLost,
	EventOverpaid,
	EventUnmatchedMoney,
	EventUnmatchedResolved,
	EventSettlementAccepted,
	EventSettlementVoided,
	EventStatusChanged,
	EventPlanRequested,
	EventPlanChosen,
	EventPlanApproved,
	EventPlanDeclined,
	EventPlanCountered,
	EventPlanActivated,
	EventPlanCompleted,
	EventPlanLapsed,
	EventPlanCancelled,
	EventCardSetupStarted,
	EventCardChanged,
	EventInstalmentCharged,
	EventInstalmentPaid,
	EventInstalmentFailed,
	EventInstalmentLinkSent,
	EventInstalmentLinkNotSent,
	EventPromiseMade,
	EventPromiseMissed,
	EventPromiseReminderDue,
	EventPromiseReminderSent,
	EventPromiseReminderNotSent,
	EventDisputeOpened,
	EventDisputeResolved,
	EventHelpRequested,
	EventHelpCallbackRequested,
	EventHelpPauseRequested,
	EventReceiptSent,
	EventReminderSent,
	EventReminderFailed,
	EventReminderSkipped,
	EventOptedOut,
	EventLetterSent,
}
