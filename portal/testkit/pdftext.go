package testkit

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

var (
	pdfStream = regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`)
	pdfShow   = regexp.MustCompile(`(?s)\(((?:\\.|[^\\)])*)\)\s*Tj`)
)

// PDFText extracts the text a PDF written by go-pdf/fpdf shows (core
// fonts, cp1252, compressed or not), every run joined by one space and
// runs of white space collapsed, so a test can check what a letter says
// whatever its line breaks.
func PDFText(pdf []byte) string {
	var runs []string
	for _, m := range pdfStream.FindAllSubmatch(pdf, -1) {
		content := m[1]
		if r, err := zlib.NewReader(bytes.NewReader(content)); err == nil {
			if b, err := io.ReadAll(r); err == nil {
				content = b
			}
		}
		for _, s := range pdfShow.FindAllSubmatch(content, -1) {
			runs = append(runs, decodePDFString(s[1]))
		}
	}
	return strings.Join(strings.Fields(strings.Join(runs, " ")), " ")
}

// decodePDFString undoes a PDF literal string's escapes and its cp1252.
func decodePDFString(b []byte) string {
	var out []byte
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '\\' || i+1 == len(b) {
			out = append(out, c)
			continue
		}
		i++
		switch e := b[i]; {
		case e == 'n':
			out = append(out, '\n')
		case e == 'r':
			out = append(out, '\r')
		case e == 't':
			out = append(out, '\t')
		case e >= '0' && e <= '7':
			v, n := 0, 0
			for n < 3 && i < len(b) && b[i] >= '0' && b[i] <= '7' {
				v = v*8 + int(b[i]-'0')
				i++
				n++
			}
			i--
			out = append(out, byte(v))
		default:
			out = append(out, e)
		}
	}
	s, err := charmap.Windows1252.NewDecoder().Bytes(out)
	if err != nil {
		return string(out)
	}
	return string(s)
}
