package views

import (
	"embed"
	"fmt"
	"html/template"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Translations live in locales/<lang>.toml, one file per language, read by
// go-i18n. Keys are nested TOML tables ("[case.balance] heading = ..." is
// the key "case.balance.heading"). A message with a count has "one" and
// "other" forms; a message with values uses {{.Name}} placeholders. Table
// keys must not be go-i18n's reserved words (id, description, hash,
// leftdelim, rightdelim, zero, one, two, few, many, other, translation).
//
//go:embed locales/*.toml
var localeFS embed.FS

// catalogue is one language's messages.
type catalogue struct {
	lang      string
	localizer *i18n.Localizer
	// plain holds every message without placeholders, already rendered,
	// so the common case costs one map lookup.
	plain map[string]string
	ids   []string
}

func loadCatalogues() (map[string]*catalogue, error) {
	bundle := i18n.NewBundle(language.French)
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	out := map[string]*catalogue{}
	for _, lang := range Languages {
		c := &catalogue{lang: lang, localizer: i18n.NewLocalizer(bundle, lang), plain: map[string]string{}}
		files, err := catalogueFiles(lang)
		if err != nil {
			return nil, err
		}
		for _, name := range files {
			f, err := bundle.LoadMessageFileFS(localeFS, name)
			if err != nil {
				return nil, fmt.Errorf("views: load %s messages: %w", lang, err)
			}
			for _, m := range f.Messages {
				c.ids = append(c.ids, m.ID)
				if m.Other != "" && m.One == "" && !strings.Contains(m.Other, "{{") {
					c.plain[m.ID] = m.Other
				}
			}
		}
		sort.Strings(c.ids)
		out[lang] = c
	}
	return out, nil
}

// MessageIDs returns the message keys of each language, sorted, for the
// test that checks both catalogues hold the same keys.
func MessageIDs() (map[string][]string, error) {
	cats, err := loadCatalogues()
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for l, c := range cats {
		out[l] = c.ids
	}
	return out, nil
}

// translate renders one message; a key missing in this language is an
// error (never a silent fallback to French), so a test rendering every
// page in every language finds it.
func (c *catalogue) translate(id string, count any, data map[string]any) (string, error) {
	if count == nil && data == nil {
		if s, ok := c.plain[id]; ok {
			return s, nil
		}
	}
	if count != nil {
		if data == nil {
			data = map[string]any{}
		}
		data["Count"] = count
	}
	s, tag, err := c.localizer.LocalizeWithTag(&i18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
	if err != nil {
		return "", fmt.Errorf("translation %q (%s): %w", id, c.lang, err)
	}
	if base, _ := tag.Base(); base.String() != c.lang {
		return "", fmt.Errorf("translation %q missing in %s", id, c.lang)
	}
	return s, nil
}

// pairs turns template arguments "Name", value, ... into a map.
func pairs(kv []any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("odd number of arguments %v", kv)
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("argument %d is not a name: %v", i, kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// funcs are the template functions of one language:
//
//	t "key"                    a message
//	tf "key" "Name" value ...  a message with values for its {{.Name}} placeholders
//	tn "key" count ...         a message with one/other forms, {{.Count}} and values
//	money .Amount              "1 234,50 €" / "€1,234.50"
//	date .Time                 "4 juin 2026" / "4 June 2026"
//	size .Bytes                "120 Ko" / "120 KB"
//	lines "a\nb"               the text's non-empty lines, for addresses
//	styleVersion               the stylesheet's content hash, for its URL
//	dict "Name" value ...      a map, to pass several values to a partial
func (c *catalogue) funcs() template.FuncMap {
	return template.FuncMap{
		"t": func(id string) (string, error) { return c.translate(id, nil, nil) },
		"tf": func(id string, kv ...any) (string, error) {
			m, err := pairs(kv)
			if err != nil {
				return "", err
			}
			return c.translate(id, nil, m)
		},
		"tn": func(id string, count int, kv ...any) (string, error) {
			m, err := pairs(kv)
			if err != nil {
				return "", err
			}
			return c.translate(id, count, m)
		},
		"money": func(a Amount) string { return Money(a.Cents, a.Currency, c.lang) },
		"date":  func(t time.Time) string { return FormatDate(t, c.lang) },
		"size":  func(n int64) string { return FileSize(n, c.lang) },
		"lines": func(s string) []string {
			var out []string
			for _, l := range strings.Split(s, "\n") {
				if l = strings.TrimSpace(l); l != "" {
					out = append(out, l)
				}
			}
			return out
		},
		"styleVersion": func() string { return StyleVersion },
		"dict":         func(kv ...any) (map[string]any, error) { return pairs(kv) },
	}
}

// catalogueFiles lists a language's message files: locales/<lang>.toml and
// one locales/<area>.<lang>.toml per area of the portal (back office,
// choices...), so each area keeps its strings in its own pair of files.
func catalogueFiles(lang string) ([]string, error) {
	ents, err := localeFS.ReadDir("locales")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if n == lang+".toml" || strings.HasSuffix(n, "."+lang+".toml") {
			out = append(out, "locales/"+n)
		}
	}
	sort.Strings(out)
	return out, nil
}
