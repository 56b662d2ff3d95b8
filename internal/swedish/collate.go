// Package swedish sorts text in Swedish alphabetical order: å, ä and ö come
// after z, and case and accents matter only to break ties.
package swedish

import (
	"sort"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Sort sorts items by the text key returns, in Swedish order. A collator is
// not safe for concurrent use, so each call makes its own.
func Sort[T any](items []T, key func(T) string) {
	c := collate.New(language.Swedish)
	sort.SliceStable(items, func(i, j int) bool {
		return c.CompareString(key(items[i]), key(items[j])) < 0
	})
}

// Strings sorts s in place in Swedish order.
func Strings(s []string) { Sort(s, func(x string) string { return x }) }
