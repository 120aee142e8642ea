package outreach

import (
	"context"
	"crypto/subtle"
	"strings"
	"time"

	"github.com/reglo/reglo/portal"
)

// VerifyWindow is how recent a message must be for /verify to confirm it.
const VerifyWindow = 60 * 24 * time.Hour

// Verify answers "is this message really from us?": true only when a case
// has this reference and this postcode and Reglo sent its debtor a message
// (a reminder, a notice, or a link an agent sent) within VerifyWindow. It
// reveals nothing else: no creditor, no amount, not even whether the
// reference exists.
func (s *Service) Verify(ctx context.Context, reference, postcode string) (bool, error) {
	reference = strings.TrimSpace(reference)
	want := portal.NormalisePostcode(postcode)
	if reference == "" || want == "" {
		return false, nil
	}
	db := s.db(ctx)
	var cases []portal.Case
	if err := db.Select("id", "debtor_postcode").Where("reference = ?", reference).Limit(20).Find(&cases).Error; err != nil {
		return false, err
	}
	since := s.now().Add(-VerifyWindow)
	genuine := false
	for _, c := range cases {
		if subtle.ConstantTimeCompare([]byte(portal.NormalisePostcode(c.DebtorPostcode)), []byte(want)) != 1 {
			continue
		}
		var n int64
		if err := db.Model(&Message{}).Where("case_id = ? AND state IN ? AND sent_at >= ?", c.ID, []string{StateSent, StateUncertain}, since).Count(&n).Error; err != nil {
			return false, err
		}
		if n == 0 {
			if err := db.Model(&portal.TimelineEvent{}).Where("case_id = ? AND kind = ? AND created_at >= ?", c.ID, portal.EventLinkSent, since).Count(&n).Error; err != nil {
				return false, err
			}
		}
		genuine = genuine || n > 0
	}
	return genuine, nil
}
