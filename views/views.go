// Package views holds what a debtor sees: the embedded HTML templates (one
// layout and one file per page), the stylesheet, the French and English
// message catalogues, and the formatting of money, dates and file sizes in
// each language. It knows nothing of HTTP or of the database: the web layer
// fills the typed view structs of model.go and calls Renderer.Render.
package views

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime"
	"path"
	"sort"
	"strings"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Languages are the languages every page is written in; the first is the
// default when nothing else says which to use.
var Languages = []string{"fr", "en"}

// DefaultLanguage is used when neither the debtor, their case nor their
// browser names a supported language.
const DefaultLanguage = "fr"

// Supported reports whether lang is one of Languages.
func Supported(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// layoutFile and partialsFile are parsed with every page: the first
// defines "layout" and the debtor-page partials ("contact", "advice",
// "newlink"), the second the partials of the areas (error summaries, field
// errors, plan summaries), each defined once.
const (
	layoutFile   = "layout"
	partialsFile = "partials"
)

// Renderer executes the page templates. It is built once and is safe for
// concurrent use. Templates are parsed once per language, each with its own
// translation functions, so rendering never clones a template.
type Renderer struct {
	pages map[string]map[string]*template.Template // language → page → template
	names []string
}

// New parses every template in every language. It fails on a syntax error
// or an unknown function, so a broken template stops the program at start,
// and the tests, rather than a debtor's page.
func New() (*Renderer, error) {
	cats, err := loadCatalogues()
	if err != nil {
		return nil, err
	}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	r := &Renderer{pages: map[string]map[string]*template.Template{}}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name != layoutFile && name != partialsFile {
			r.names = append(r.names, name)
		}
	}
	sort.Strings(r.names)
	for _, lang := range Languages {
		r.pages[lang] = map[string]*template.Template{}
		funcs := cats[lang].funcs()
		for _, name := range r.names {
			t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/"+layoutFile+".html", "templates/"+partialsFile+".html", "templates/"+name+".html")
			if err != nil {
				return nil, fmt.Errorf("views: parse %s: %w", name, err)
			}
			for _, block := range []string{"title", "content"} {
				if t.Lookup(block) == nil {
					return nil, fmt.Errorf("views: %s defines no %q block", name, block)
				}
			}
			r.pages[lang][name] = t
		}
	}
	return r, nil
}

// MustNew is New for package-level initialisation.
func MustNew() *Renderer {
	r, err := New()
	if err != nil {
		panic(err)
	}
	return r
}

// Pages lists the page names Render accepts, sorted.
func (r *Renderer) Pages() []string { return append([]string(nil), r.names...) }

// Render writes page in p.Lang to w. The page is executed into a buffer
// first, so a template error (a missing translation, a wrong field) leaves w
// untouched and the caller can answer with an error page instead.
func (r *Renderer) Render(w io.Writer, page string, p Page) error {
	if !Supported(p.Lang) {
		p.Lang = DefaultLanguage
	}
	t, ok := r.pages[p.Lang][page]
	if !ok {
		return fmt.Errorf("views: no page %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("views: render %s (%s): %w", page, p.Lang, err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// Asset is one static file served under /static/.
type Asset struct {
	Body        []byte
	ContentType string
	ModTime     time.Time
}

var assets = loadAssets()

// StyleVersion names the stylesheet's content; the layout links
// /static/reglo.css?v=StyleVersion so the file can be cached for a year and
// a changed file is still fetched at once.
var StyleVersion = version(assets["reglo.css"].Body)

func loadAssets() map[string]Asset {
	out := map[string]Asset{}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = "application/octet-stream"
		}
		if strings.HasPrefix(ct, "text/css") {
			ct = "text/css; charset=utf-8"
		}
		out[strings.TrimPrefix(p, "static/")] = Asset{Body: b, ContentType: ct}
		return nil
	})
	if err != nil {
		panic(err)
	}
	return out
}

// StaticAsset returns the static file at name ("reglo.css"), if any. Only
// embedded files exist, so no request path can reach the disk.
func StaticAsset(name string) (Asset, bool) {
	a, ok := assets[name]
	return a, ok
}

func version(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:6])
}
