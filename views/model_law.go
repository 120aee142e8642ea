package views

// PrivacyView is the privacy notice (page "privacy", GDPR art. 14: the data
// comes from the creditor, not from the debtor). The collection agency, if
// one acts, is Page.Collector.
type PrivacyView struct {
	// RetentionYears is how long a closed or paid case is kept before it is
	// anonymised (CONTRACT.md's default).
	RetentionYears int
}

// AccessibilityView is the accessibility statement (page "accessibility",
// RGAA).
type AccessibilityView struct{}
