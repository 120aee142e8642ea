package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

func jsonDecoder(b []byte) *json.Decoder {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec
}

// jsonProblem describes a decoding error without echoing the body.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("field %q must be %s", te.Field, te.Type.String())
	}
	// Anything else the decoder says (its wording, the Go types it names)
	// is an internal detail: the client is told what to fix, not how Go
	// failed.
	return "the body is not one JSON object of the documented shape"
}

// jsonTypeField names the field of a well-formed body that had the wrong
// type (a string for amount_cents...), which is a 422, not a 400.
func jsonTypeField(err error) (string, bool) {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return te.Field, true
	}
	return "", false
}
