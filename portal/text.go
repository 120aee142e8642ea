package portal

import (
	"strings"
	"unicode/utf8"
)

// CodeUnstorable is the InvalidError code of text the database cannot
// store.
const CodeUnstorable = "unstorable"

// StorableText reports whether s can go into a text column of both
// databases: UTF-8 without a NUL byte (PostgreSQL refuses both a NUL and
// invalid UTF-8; SQLite would store them and hand back what no page can
// show).
func StorableText(s string) bool {
	return strings.IndexByte(s, 0) < 0 && utf8.ValidString(s)
}

// CheckText is the one check every reader of outside text (the API's JSON,
// form bodies, CSV cells) applies before anything is stored, so that such
// bytes are a 422 naming the field instead of a database error. field is
// the name the caller used.
func CheckText(field, s string) error {
	if StorableText(s) {
		return nil
	}
	return Unstorable(field)
}

// Unstorable is CheckText's error for field. A field name that is itself
// unstorable (a JSON key, a form field's name) is named without its NUL
// bytes and with U+FFFD for what is not UTF-8, so the error can be shown.
func Unstorable(field string) error {
	field = strings.ToValidUTF8(strings.ReplaceAll(field, "\x00", ""), "\uFFFD")
	return Invalid(field, CodeUnstorable, "field "+field+" holds a NUL byte or bytes that are not UTF-8")
}
