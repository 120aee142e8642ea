package choices

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/reglo/reglo/portal"
	"gorm.io/gorm"
)

// Reasons a debtor may give for contesting a debt, in the order the page
// shows them.
var ContestReasons = []string{"not_me", "already_paid", "amount_wrong", "not_received_or_faulty", "other"}

// Limits on what a debtor may send with a contest.
const (
	MaxContestText  = 2000
	MaxContestFiles = 5
)

// ReviewWorkingDays is how many working days the creditor takes to review a
// contest; the debtor is told the date.
const ReviewWorkingDays = 10

// Dispute statuses and outcomes.
const (
	DisputeOpen     = "open"
	DisputeUpheld   = "upheld"
	DisputeRejected = "rejected"

	OutcomeClose   = "close"
	OutcomeCorrect = "correct"
)

// Dispute is a debtor's contest of a case. InvoiceIDs and DocumentIDs are
// JSON arrays (use Invoices and Documents to read them).
type Dispute struct {
	ID          int64
	CaseID      int64
	Reason      string
	InvoiceIDs  string `gorm:"column:invoice_ids"`
	Text        string
	DocumentIDs string `gorm:"column:document_ids"`
	Status      string
	Outcome     string
	Resolution  string
	ResolvedBy  *int64
	ResolvedAt  *time.Time
	CreatedAt   time.Time
}

// Invoices are the ids of the invoices the debtor contests; none means the
// whole debt.
func (d Dispute) Invoices() []int64 { return idList(d.InvoiceIDs) }

// Documents are the ids of the documents the debtor sent with the contest.
func (d Dispute) Documents() []int64 { return idList(d.DocumentIDs) }

// ReviewBy is the last working day by which the creditor answers.
func (d Dispute) ReviewBy() portal.Date {
	return portal.Date{Time: portal.AddWorkingDays(portal.DateOf(d.CreatedAt).Time, ReviewWorkingDays)}
}

func idList(raw string) []int64 {
	var ids []int64
	_ = json.Unmarshal([]byte(raw), &ids)
	return ids
}

// ContestFile is one file the debtor attaches.
type ContestFile struct {
	Name string
	Data []byte
}

// Contest is what a debtor says when they do not think they owe a debt.
type Contest struct {
	Reason     string
	InvoiceIDs []int64
	Text       string
	Files      []ContestFile
}

// Contest records a debtor's contest of a case, all or nothing: every field
// and file is checked before anything is written, and the dispute, its
// documents, the timeline and the case's move to disputed commit together.
// Collection pauses while the case is disputed. The first invalid field is
// an *InvalidError (fields "reason", "invoices", "text", "files").
func (s *Service) Contest(ctx context.Context, caseID int64, in Contest) (Dispute, error) {
	in.Text = strings.TrimSpace(strings.ReplaceAll(in.Text, "\r\n", "\n"))
	if !slices.Contains(ContestReasons, in.Reason) {
		return Dispute{}, portal.Invalid("reason", "required", "choose a reason")
	}
	if in.Reason == "other" && in.Text == "" {
		return Dispute{}, portal.Invalid("text", "required_other", "tell us why when the reason is other")
	}
	if utf8.RuneCountInString(in.Text) > MaxContestText {
		return Dispute{}, portal.Invalid("text", "too_long", fmt.Sprintf("at most %d characters", MaxContestText))
	}
	if len(in.Files) > MaxContestFiles {
		return Dispute{}, portal.Invalid("files", "too_many", fmt.Sprintf("at most %d files", MaxContestFiles))
	}
	type checked struct {
		ctype, title, key, sum string
		data                   []byte
	}
	var files []checked
	for _, f := range in.Files {
		cf, err := portal.CheckFile(f.Data)
		switch {
		case errors.Is(err, portal.ErrEmptyFile):
			return Dispute{}, portal.Invalid("files", "empty", "a file is empty")
		case errors.Is(err, portal.ErrTooLarge):
			return Dispute{}, portal.Invalid("files", "too_large", "a file is larger than 10 MiB")
		case err != nil:
			return Dispute{}, portal.Invalid("files", "type", "only PDF, PNG and JPEG files are accepted")
		}
		files = append(files, checked{ctype: cf.ContentType, title: documentTitle(f.Name), key: cf.Key, sum: cf.SHA256, data: f.Data})
	}
	var d Dispute
	check := func(tx *gorm.DB, lock bool) (portal.PlanCase, error) {
		pc, err := s.core.LoadPlanCase(tx, caseID, lock)
		if err != nil {
			return pc, err
		}
		if err := portal.May(pc.Case.Status, pc.Balance, portal.ActionContest); err != nil {
			return pc, err
		}
		if len(in.InvoiceIDs) > 0 {
			var n int64
			if err := tx.Model(&portal.Invoice{}).Where("case_id = ? AND id IN ?", caseID, in.InvoiceIDs).Count(&n).Error; err != nil {
				return pc, err
			}
			if int(n) != len(slices.Compact(slices.Sorted(slices.Values(in.InvoiceIDs)))) {
				return pc, portal.Invalid("invoices", "unknown_invoice", "an invoice is not on this case")
			}
		}
		return pc, nil
	}
	// Checked once before storing any bytes, and again under the lock.
	if _, err := check(s.db(ctx), false); err != nil {
		return Dispute{}, err
	}
	for _, f := range files {
		if err := s.core.Docs.Put(ctx, f.key, f.data); err != nil {
			return Dispute{}, fmt.Errorf("store contest document: %w", err)
		}
	}
	err := s.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		pc, err := check(tx, true)
		if err != nil {
			return err
		}
		now := s.now()
		docIDs := []int64{}
		for _, f := range files {
			doc := portal.Document{CaseID: caseID, Title: f.title, ContentType: f.ctype, Size: int64(len(f.data)), SHA256: f.sum,
				StorageKey: f.key, Source: "debtor", CreatedAt: now}
			if err := tx.Create(&doc).Error; err != nil {
				return err
			}
			if err := portal.Record(tx, now, caseID, portal.EventDocumentAdded, portal.DebtorActor, map[string]any{"document_id": doc.ID, "title": doc.Title}); err != nil {
				return err
			}
			docIDs = append(docIDs, doc.ID)
		}
		invoices := in.InvoiceIDs
		if invoices == nil {
			invoices = []int64{}
		}
		invRaw, _ := json.Marshal(invoices)
		docRaw, _ := json.Marshal(docIDs)
		d = Dispute{CaseID: caseID, Reason: in.Reason, InvoiceIDs: string(invRaw), Text: in.Text, DocumentIDs: string(docRaw),
			Status: DisputeOpen, CreatedAt: now}
		if err := tx.Create(&d).Error; err != nil {
			return err
		}
		if err := portal.Record(tx, now, caseID, portal.EventDisputeOpened, portal.DebtorActor, map[string]any{
			"dispute_id": d.ID, "reason": d.Reason, "invoice_ids": invoices, "text": d.Text, "document_ids": docIDs,
		}); err != nil {
			return err
		}
		return portal.Move(tx, s.now(), pc.Case, portal.StatusDisputed, portal.DebtorActor)
	})
	return d, err
}

// documentTitle turns an uploaded file's name into a document title: one
// line of at most 200 characters, never empty.
func documentTitle(name string) string {
	name = strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r < 0x20 {
			return ' '
		}
		return r
	}, name)
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = "Document"
	}
	if utf8.RuneCountInString(name) > 200 {
		name = string([]rune(name)[:200])
	}
	return name
}

// DisputeForCase returns the case's latest dispute (open or resolved), or
// nil. The case page shows an open one as "being reviewed" and a rejected
// one with the creditor's reasons.
func (s *Service) DisputeForCase(ctx context.Context, caseID int64) (*Dispute, error) {
	var d Dispute
	err := s.db(ctx).Where("case_id = ?", caseID).Order("id DESC").Take(&d).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// ResolveDispute records an agent's decision on an open dispute. Upheld with
// outcome "close" closes the case; upheld with "correct" records the
// decision and keeps collection paused until the lines are corrected (a
// later issue); rejected resumes collection (open, or plan_active when a
// plan is active), and reasons, which the debtor reads, are required.
func (s *Service) ResolveDispute(ctx context.Context, u portal.User, disputeID int64, upheld bool, outcome, reasons string, actor portal.Actor) (Dispute, error) {
	reasons = strings.TrimSpace(reasons)
	var d Dispute
	if err := s.db(ctx).Take(&d, disputeID).Error; err != nil {
		return Dispute{}, portal.NotFound(err)
	}
	if err := s.core.UserMaySee(ctx, u, d.CaseID); err != nil {
		return Dispute{}, err
	}
	status := DisputeRejected
	if upheld {
		status = DisputeUpheld
		if outcome != OutcomeClose && outcome != OutcomeCorrect {
			return Dispute{}, portal.Invalid("outcome", "required", "choose close or correct")
		}
	} else {
		outcome = ""
		if reasons == "" {
			return Dispute{}, portal.Invalid("reasons", "required", "give the debtor the reasons")
		}
	}
	if utf8.RuneCountInString(reasons) > MaxContestText {
		return Dispute{}, portal.Invalid("reasons", "too_long", fmt.Sprintf("at most %d characters", MaxContestText))
	}
	err := s.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		var c portal.Case
		if err := tx.Take(&c, d.CaseID).Error; err != nil {
			return err
		}
		now := s.now()
		res := tx.Model(&Dispute{}).Where("id = ? AND status = ?", d.ID, DisputeOpen).Updates(map[string]any{
			"status": status, "outcome": outcome, "resolution": reasons, "resolved_by": actor.ID, "resolved_at": now,
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &portal.ConflictError{Message: "the dispute is already resolved"}
		}
		d.Status, d.Outcome, d.Resolution, d.ResolvedBy, d.ResolvedAt = status, outcome, reasons, actor.ID, &now
		if err := portal.Record(tx, now, c.ID, portal.EventDisputeResolved, actor, map[string]any{
			"dispute_id": d.ID, "upheld": upheld, "outcome": outcome, "reasons": reasons,
		}); err != nil {
			return err
		}
		if c.Status != portal.StatusDisputed {
			return nil
		}
		switch {
		case upheld && outcome == OutcomeClose:
			return portal.Move(tx, s.now(), c, portal.StatusClosed, actor)
		case upheld:
			return nil
		}
		next := portal.StatusOpen
		var active int64
		if err := tx.Model(&portal.Plan{}).Where("case_id = ? AND status = ?", c.ID, portal.PlanStatusActive).Count(&active).Error; err != nil {
			return err
		}
		if active > 0 {
			next = portal.StatusPlanActive
		}
		return portal.Move(tx, s.now(), c, next, actor)
	})
	return d, err
}

// OpenDisputes lists the open disputes of the cases a user may see, oldest
// first, for the agent worklist.
func (s *Service) OpenDisputes(ctx context.Context, u portal.User) ([]Dispute, error) {
	var out []Dispute
	err := s.db(ctx).Model(&Dispute{}).Joins("JOIN cases ON cases.id = disputes.case_id").Scopes(portal.CaseScope(u)).
		Where("disputes.status = ?", DisputeOpen).Order("disputes.created_at, disputes.id").Find(&out).Error
	return out, err
}
