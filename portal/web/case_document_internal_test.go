package web

import "testing"

func TestContentDisposition(t *testing.T) {
	tests := []struct {
		name, title, ctype, want string
	}{
		{"plain title gets its extension", "Facture F-1", "application/pdf",
			`inline; filename="Facture F-1.pdf"; filename*=UTF-8''Facture%20F-1.pdf`},
		{"extension not doubled", "contrat.PDF", "application/pdf",
			`inline; filename="contrat.PDF"; filename*=UTF-8''contrat.PDF`},
		{"accents folded for old clients, kept in filename*", "Relevé d'août", "image/png",
			`inline; filename="Releve d'aout.png"; filename*=UTF-8''Relev%C3%A9%20d%27ao%C3%BBt.png`},
		{"quotes, backslashes and control characters go", "a\"b\\c\x00d\x1be\u202ef", "application/pdf",
			`inline; filename="abcdef.pdf"; filename*=UTF-8''abcdef.pdf`},
		{"separators cannot make a path", "../../etc/passwd", "application/pdf",
			`inline; filename="-..-etc-passwd.pdf"; filename*=UTF-8''-..-etc-passwd.pdf`},
		{"header injection is impossible", "x\r\nSet-Cookie: a=b", "image/jpeg",
			`inline; filename="x Set-Cookie- a=b.jpg"; filename*=UTF-8''x%20Set-Cookie-%20a%3Db.jpg`},
		{"jpeg keeps its own extension", "photo.jpeg", "image/jpeg",
			`inline; filename="photo.jpeg"; filename*=UTF-8''photo.jpeg`},
		{"empty title has a name", "  \t ", "application/pdf",
			`inline; filename="document.pdf"; filename*=UTF-8''document.pdf`},
		{"non-Latin script replaced in the fallback", "счёт", "application/pdf",
			`inline; filename="____.pdf"; filename*=UTF-8''%D1%81%D1%87%D1%91%D1%82.pdf`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := contentDisposition(tt.title, tt.ctype); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestAcceptLanguage(t *testing.T) {
	tests := []struct{ header, want string }{
		{"", "fr"},
		{"en-GB,en;q=0.9", "en"},
		{"fr-FR,fr;q=0.9,en;q=0.8", "fr"},
		{"de-DE,de;q=0.9,en;q=0.5", "en"},
		{"de-DE", "fr"},
		{"en;q=0.2,fr;q=0.9", "fr"},
		{"*", "fr"},
		{"garbage;;;", "fr"},
	}
	for _, tt := range tests {
		if got := acceptLanguage(tt.header); got != tt.want {
			t.Errorf("acceptLanguage(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}
