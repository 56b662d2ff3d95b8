package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestEnglishComplete: every message exists in both languages, non-empty.
func TestEnglishComplete(t *testing.T) {
	sv, err := Keys("sv")
	if err != nil {
		t.Fatal(err)
	}
	en, err := Keys("en")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range sv {
		if !slices.Contains(en, k) {
			t.Errorf("English lacks %q", k)
		}
	}
	for _, k := range en {
		if !slices.Contains(sv, k) {
			t.Errorf("Swedish lacks %q", k)
		}
	}
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range sv {
		for _, l := range Langs {
			if got := c.T(l, k, map[string]any{"Count": 2, "Name": "x", "Number": 1, "Total": 3, "Budget": "1", "Granted": "2", "Status": "s"}); got == "" || got == k {
				t.Errorf("%s: %q does not translate", l, k)
			}
		}
	}
}

// keyUse finds message keys written in the code: T("key"), .T "key",
// Field/Choice labels and the error keys the domain packages return.
var keyUse = []*regexp.Regexp{
	regexp.MustCompile(`\.T "([a-z0-9_.]+)"`),
	regexp.MustCompile(`\bT\("([a-z0-9_.]+)"`),
	regexp.MustCompile(`\((?:\.)?(?:Field|Choice) "[a-z_]+" "([a-z0-9_.]+)"`),
	regexp.MustCompile(`"((?:error|flash)\.[a-z0-9_.]+[a-z0-9_])"`),
}

// TestUsedKeysExist: every key the code and templates name is defined, so
// no page shows a raw key.
func TestUsedKeysExist(t *testing.T) {
	defined, err := Keys("sv")
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join("..")
	used := map[string]string{}
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, "_test.go") {
			return err
		}
		if !strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, ".html") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, re := range keyUse {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				// A key ending in "." is a prefix completed at run time
				// (listed below); "key" is the doc comment's example.
				if !strings.HasSuffix(m[1], ".") && m[1] != "key" {
					used[m[1]] = path
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(used) < 100 {
		t.Fatalf("found only %d keys in use: the scan is broken", len(used))
	}
	// Keys built at run time from a prefix and a value.
	for _, k := range []string{"municipality", "region", "partner"} {
		used["org.kind."+k] = "dynamic"
	}
	for _, k := range []string{"planned", "active", "completed", "cancelled"} {
		used["pship.status."+k] = "dynamic"
	}
	for _, k := range []string{"upcoming", "open", "closed", "cancelled"} {
		used["call.status."+k] = "dynamic"
	}
	for _, code := range []string{"403", "404", "409", "422", "500"} {
		used["error."+code+".title"], used["error."+code+".text"] = "dynamic", "dynamic"
	}
	for k, where := range used {
		if !slices.Contains(defined, k) {
			t.Errorf("%s uses %q, which has no message", where, k)
		}
	}
}
