package views

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/reglo/reglo/portal/notify"
)

// Messages writes the emails and SMS Reglo sends, from the catalogues'
// msg.<kind> tables (subject, text, sms). It implements notify.Writer and
// is safe for concurrent use.
type Messages struct {
	cats map[string]*catalogue
}

// NewMessages loads the catalogues.
func NewMessages() (*Messages, error) {
	cats, err := loadCatalogues()
	if err != nil {
		return nil, err
	}
	return &Messages{cats: cats}, nil
}

// MustMessages is NewMessages for wiring at start.
func MustMessages() *Messages {
	m, err := NewMessages()
	if err != nil {
		panic(err)
	}
	return m
}

// MessageKinds lists every message Reglo sends, for the test that writes
// each in every language.
var MessageKinds = []string{"link", "promise_reminder", "instalment_missed", "receipt", "letter"}

// Write renders msg.<kind>.subject, .text and .sms (a kind without an SMS
// has no sms key) in lang, with data's dates and amounts written in lang.
func (w *Messages) Write(lang, kind string, data map[string]any) (notify.Message, error) {
	if !Supported(lang) {
		lang = DefaultLanguage
	}
	c, ok := w.cats[lang]
	if !ok {
		return notify.Message{}, fmt.Errorf("views: no catalogue for %q", lang)
	}
	vals, err := c.messageValues(data)
	if err != nil {
		return notify.Message{}, err
	}
	var m notify.Message
	for _, part := range []struct {
		key      string
		dst      *string
		optional bool
	}{{"subject", &m.Subject, false}, {"text", &m.Text, false}, {"sms", &m.SMS, true}} {
		id := "msg." + kind + "." + part.key
		if part.optional && !c.has(id) {
			continue
		}
		s, err := c.translate(id, nil, vals)
		if err != nil {
			return notify.Message{}, err
		}
		*part.dst = s
	}
	if !strings.HasSuffix(m.Text, "\n") {
		m.Text += "\n"
	}
	if err := c.collectorFooter(&m, vals); err != nil {
		return notify.Message{}, err
	}
	return m, nil
}

// collectorFooter names the collection agency beside the creditor at the
// end of every message, when one acts (portal.Collector.MessageData puts
// "Collector" in the data): who it is and that it recovers the debt
// amicably on the creditor's behalf (French CPCE R124-4).
func (c *catalogue) collectorFooter(m *notify.Message, vals map[string]any) error {
	if name, _ := vals["Collector"].(string); name == "" {
		return nil
	}
	text, err := c.translate("law.message.text", nil, vals)
	if err != nil {
		return err
	}
	m.Text += "\n--\n" + text
	if !strings.HasSuffix(m.Text, "\n") {
		m.Text += "\n"
	}
	if m.SMS != "" {
		sms, err := c.translate("law.message.sms", nil, vals)
		if err != nil {
			return err
		}
		m.SMS = beforeStop(m.SMS, sms)
	}
	return nil
}

// beforeStop adds line to an SMS before its closing "how to stop"
// sentence (the word before "STOP" starts it), so the SMS still ends with
// how to stop; an SMS without one gets line at its end.
func beforeStop(sms, line string) string {
	i := strings.LastIndex(sms, " STOP")
	if i < 0 {
		return sms + " " + line
	}
	j := strings.LastIndex(sms[:i], " ")
	if j < 0 {
		return line + " " + sms
	}
	return sms[:j] + " " + line + sms[j:]
}

// messageValues writes the typed values of a message's data in the
// catalogue's language.
func (c *catalogue) messageValues(data map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(data))
	for k, v := range data {
		switch x := v.(type) {
		case time.Time:
			out[k] = FormatDate(x, c.lang)
		case notify.Amount:
			out[k] = Money(x.Cents, x.Currency, c.lang)
		case notify.Phrase:
			vals, err := c.messageValues(x.Data)
			if err != nil {
				return nil, err
			}
			if len(vals) == 0 {
				vals = nil
			}
			s, err := c.translate(x.Key, nil, vals)
			if err != nil {
				return nil, err
			}
			out[k] = s
		default:
			out[k] = v
		}
	}
	return out, nil
}

// has reports whether the catalogue holds a key.
func (c *catalogue) has(id string) bool {
	_, found := slices.BinarySearch(c.ids, id)
	return found
}
