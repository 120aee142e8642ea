package portal

import (
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// Status is where a case stands (the outside contract lists the values).
type Status string

// Case statuses, as in the outside contract.
const (
	StatusOpen          Status = "open"
	StatusPlanRequested Status = "plan_requested"
	StatusPlanActive    Status = "plan_active"
	StatusPromised      Status = "promised"
	StatusDisputed      Status = "disputed"
	StatusPaid          Status = "paid"
	StatusClosed        Status = "closed"
)

// Statuses lists every case status in the order pages show them.
var Statuses = []Status{StatusOpen, StatusPlanRequested, StatusPlanActive, StatusPromised, StatusDisputed, StatusPaid, StatusClosed}

// transitions is the one table of the moves a case may make. A status
// absent from a row's list may not follow it; closed is final.
var transitions = map[Status][]Status{
	StatusOpen:          {StatusPlanRequested, StatusPlanActive, StatusPromised, StatusDisputed, StatusPaid, StatusClosed},
	StatusPlanRequested: {StatusOpen, StatusPlanActive, StatusDisputed, StatusPaid, StatusClosed},
	StatusPlanActive:    {StatusOpen, StatusPlanRequested, StatusDisputed, StatusPaid, StatusClosed},
	StatusPromised:      {StatusOpen, StatusPlanRequested, StatusPlanActive, StatusDisputed, StatusPaid, StatusClosed},
	StatusDisputed:      {StatusOpen, StatusPlanActive, StatusPaid, StatusClosed},
	StatusPaid:          {StatusOpen, StatusPlanActive, StatusClosed},
	StatusClosed:        {},
}

// MoveError says the transition table does not allow a move.
type MoveError struct{ From, To Status }

func (e *MoveError) Error() string { return fmt.Sprintf("a %s case cannot become %s", e.From, e.To) }

// Unwrap makes errors.Is(err, ErrConflict) true: the case's state forbids it.
func (e *MoveError) Unwrap() error { return ErrConflict }

// CanMove reports whether the table allows a case in from to become to.
func CanMove(from, to Status) bool {
	return slices.Contains(transitions[from], to)
}

// Move changes a case's status inside tx and writes the transition on the
// timeline. It is the only way a status changes: a move the table does not
// allow is a *MoveError and changes nothing; a move to the status the case
// already has changes nothing and writes nothing.
func Move(tx *gorm.DB, now time.Time, c Case, to Status, actor Actor) error {
	if c.Status == to {
		return nil
	}
	if !CanMove(c.Status, to) {
		return &MoveError{From: c.Status, To: to}
	}
	if err := tx.Model(&Case{}).Where("id = ?", c.ID).Updates(map[string]any{"status": to, "updated_at": now}).Error; err != nil {
		return err
	}
	return Record(tx, now, c.ID, EventStatusChanged, actor, map[string]any{"from": c.Status, "to": to})
}
