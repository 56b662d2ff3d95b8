// Package i18n translates the interface: Swedish is the default language
// and English is complete. Messages live in embedded JSON files, one per
// language, read by go-i18n (which also handles plural forms).
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Messages are split by area (messages/<lang>/<area>.json), so work on one
// part of the site touches its own file.
//
//go:embed messages
var files embed.FS

// Langs are the supported languages, the default first.
var Langs = []string{"sv", "en"}

// Catalogue holds a localizer per language.
type Catalogue struct {
	bundle     *goi18n.Bundle
	localizers map[string]*goi18n.Localizer
}

// Load reads the embedded message files.
func Load() (*Catalogue, error) {
	b := goi18n.NewBundle(language.Swedish)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	for _, l := range Langs {
		names, err := fs.Glob(files, "messages/"+l+"/*.json")
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			// go-i18n takes the language from the file name's last part
			// before the extension, so read and parse under "<area>.<lang>.json".
			data, err := fs.ReadFile(files, name)
			if err != nil {
				return nil, err
			}
			if _, err := b.ParseMessageFileBytes(data, path.Base(strings.TrimSuffix(name, ".json"))+"."+l+".json"); err != nil {
				return nil, fmt.Errorf("i18n: %s: %w", name, err)
			}
		}
	}
	c := &Catalogue{bundle: b, localizers: map[string]*goi18n.Localizer{}}
	for _, l := range Langs {
		c.localizers[l] = goi18n.NewLocalizer(b, l)
	}
	return c, nil
}

// T translates key into lang. data fills {{.Name}} placeholders; a "Count"
// field (int) chooses the plural form. A missing key returns the key
// itself, so a page still renders; the tests make sure none is missing.
func (c *Catalogue) T(lang, key string, data any) string {
	loc, ok := c.localizers[lang]
	if !ok {
		loc = c.localizers["sv"]
	}
	cfg := &goi18n.LocalizeConfig{MessageID: key, TemplateData: data}
	if m, ok := data.(map[string]any); ok {
		if n, ok := m["Count"]; ok {
			cfg.PluralCount = n
		}
	}
	s, err := loc.Localize(cfg)
	if err != nil {
		return key
	}
	return s
}

// Keys returns the message keys defined for lang, sorted. A key defined in
// two files of one language is an error.
func Keys(lang string) ([]string, error) {
	names, err := fs.Glob(files, "messages/"+lang+"/*.json")
	if err != nil {
		return nil, err
	}
	seen := map[string]string{}
	for _, name := range names {
		b, err := fs.ReadFile(files, name)
		if err != nil {
			return nil, err
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for k := range m {
			if other, dup := seen[k]; dup {
				return nil, fmt.Errorf("i18n: %q is defined in %s and %s", k, other, name)
			}
			seen[k] = name
		}
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, nil
}
