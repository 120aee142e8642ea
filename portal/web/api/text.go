package api

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
)

// Text the database cannot store (portal.CheckText) is refused where it
// comes in: the query string and form fields of every request (CheckQuery
// and CheckForm, used by the API and by the HTML pages) and each string of
// a JSON body (checkJSONText, in decodeJSON). The answer is a 422 naming
// the field, before any handler reads it, so nothing changes.

// CheckRequest checks the query string (CheckQuery) and the form body
// (CheckForm) of a request.
func CheckRequest(c *fiber.Ctx) error {
	if err := CheckQuery(c); err != nil {
		return err
	}
	return CheckForm(c)
}

// CheckQuery returns the *portal.InvalidError of the first query parameter
// (name or value) that cannot be stored.
func CheckQuery(c *fiber.Ctx) error {
	var err error
	c.Request().URI().QueryArgs().VisitAll(func(k, v []byte) { checkField(&err, string(k), string(v)) })
	return err
}

// CheckForm returns the *portal.InvalidError of the first field of a form
// body (url-encoded or multipart) or the first name of an uploaded file
// that cannot be stored. A file's content is not text and is not looked at.
func CheckForm(c *fiber.Ctx) error {
	var err error
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	switch {
	case strings.HasPrefix(ct, fiber.MIMEApplicationForm):
		c.Request().PostArgs().VisitAll(func(k, v []byte) { checkField(&err, string(k), string(v)) })
	case strings.HasPrefix(ct, fiber.MIMEMultipartForm):
		form, ferr := c.MultipartForm()
		if ferr != nil {
			return nil // the handler says what is wrong with the body
		}
		for k, vs := range form.Value {
			for _, v := range vs {
				checkField(&err, k, v)
			}
		}
		for k, fs := range form.File {
			for _, f := range fs {
				checkField(&err, k, f.Filename)
			}
		}
	}
	return err
}

// checkField sets *err for the first field whose name or value cannot be
// stored.
func checkField(err *error, name, value string) {
	switch {
	case *err != nil:
	case !portal.StorableText(name):
		*err = portal.Unstorable(name)
	default:
		*err = portal.CheckText(name, value)
	}
}

// checkText is the API's middleware for CheckRequest.
func checkText(c *fiber.Ctx) error {
	if err := CheckRequest(c); err != nil {
		return err
	}
	return c.Next()
}

// checkJSONText finds the first string of a JSON body (a value or a key)
// that cannot be stored and names it as validation errors do
// ("debtor.name", "invoices[0].lines[1].label"). The decoder turns invalid
// UTF-8 into U+FFFD without a word, so the raw bytes of every token are
// looked at as well as the decoded string (where "\u0000" becomes a NUL).
// A body that is not JSON passes: decoding it says what is wrong.
func checkJSONText(body []byte) error {
	if utf8.Valid(body) && !bytes.Contains(body, []byte(`\u0000`)) {
		return nil
	}
	type frame struct {
		array bool
		n     int    // arrays: the index of the current element
		key   string // objects: the current key
		isKey bool   // objects: the next string is a key
	}
	var stack []*frame
	path := func(last string) string {
		var b strings.Builder
		for _, f := range stack {
			if f.array {
				b.WriteString("[" + strconv.Itoa(f.n) + "]")
				continue
			}
			k := f.key
			if f == stack[len(stack)-1] && last != "" {
				k = last
			}
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(k)
		}
		if p := b.String(); p != "" {
			return p
		}
		return "body"
	}
	valueDone := func() {
		if len(stack) == 0 {
			return
		}
		if f := stack[len(stack)-1]; f.array {
			f.n++
		} else {
			f.isKey = true
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var prev int64
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		raw := body[prev:dec.InputOffset()]
		prev = dec.InputOffset()
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				stack = append(stack, &frame{isKey: true})
			case '[':
				stack = append(stack, &frame{array: true})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			if top := len(stack) - 1; top >= 0 && !stack[top].array && stack[top].isKey {
				if !utf8.Valid(raw) || strings.IndexByte(v, 0) >= 0 {
					return portal.Unstorable(path(v))
				}
				stack[top].key, stack[top].isKey = v, false
				continue
			}
			if !utf8.Valid(raw) || strings.IndexByte(v, 0) >= 0 {
				return portal.Unstorable(path(""))
			}
			valueDone()
		default:
			valueDone()
		}
	}
}
