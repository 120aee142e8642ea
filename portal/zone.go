package portal

import (
	"sync"
	"time"

	// Creditors name their IANA time zone; the zone database is embedded so
	// "today" is right on hosts without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// DefaultTimeZone is the zone of a creditor that names none or names one
// that does not exist: the schema's default, where Reglo's creditors are.
const DefaultTimeZone = "Europe/Paris"

var zones sync.Map // zone name → *time.Location

// Zone is the one answer to "which time zone is this creditor in?": the
// named IANA zone, or DefaultTimeZone when the name is empty or unknown.
// Every date a debtor sees, every "today" and every quiet hour uses it.
func Zone(name string) *time.Location {
	if name == "" {
		name = DefaultTimeZone
	}
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		l, _ = time.LoadLocation(DefaultTimeZone)
	}
	zones.Store(name, l)
	return l
}

// Location is the creditor's time zone (see Zone).
func (c Creditor) Location() *time.Location { return Zone(c.TimeZone) }
