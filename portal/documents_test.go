package portal

import (
	"bytes"
	"errors"
	"testing"
)

// TestCheckFile is the one file check: empty, too large, a type read from
// the bytes (a PDF named .png is a PDF, a text named .pdf is refused).
func TestCheckFile(t *testing.T) {
	tests := []struct {
		name  string
		data  []byte
		ctype string
		err   error
	}{
		{"a PDF", []byte("%PDF-1.7 ..."), "application/pdf", nil},
		{"a PNG", []byte("\x89PNG\r\n\x1a\n...."), "image/png", nil},
		{"a JPEG", []byte("\xff\xd8\xff\xe0...."), "image/jpeg", nil},
		{"an empty file", nil, "", ErrEmptyFile},
		{"a text file", []byte("hello"), "", ErrUnsupportedType},
		{"an HTML page", []byte("<html><script>"), "", ErrUnsupportedType},
		{"a file over the limit", append([]byte("%PDF-"), bytes.Repeat([]byte{'x'}, MaxDocumentBytes)...), "", ErrTooLarge},
	}
	for _, tt := range tests {
		f, err := CheckFile(tt.data)
		if !errors.Is(err, tt.err) || f.ContentType != tt.ctype {
			t.Errorf("%s: %+v, %v; want %s, %v", tt.name, f.ContentType, err, tt.ctype, tt.err)
		}
		if err == nil && (len(f.SHA256) != 64 || f.Key == "" || f.Size != int64(len(tt.data))) {
			t.Errorf("%s: checked file %+v", tt.name, f)
		}
	}
}
