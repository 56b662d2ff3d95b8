// Package search turns text into the terms the full-text index holds, and
// a visitor's query into the terms to look for, so that a search in Swedish
// or English finds inflected forms: "plast" finds "plasten" and
// "plastavfall", "plastavfall" finds "avfall av plast", "municipalities"
// finds "municipality", "besöket" finds "besök".
//
// Stemming is done here, in Go, for both engines: the SQLite store keeps
// the terms in an FTS5 table and the PostgreSQL store in a tsvector, and
// neither stems again. Both then only compare ready-made terms, exactly
// and by prefix, so they give the same hits for the same query. Match does
// the same comparison in Go and is the reference the conformance suite
// checks both engines against.
//
// Each word is indexed as its Swedish and its English Snowball stem
// (github.com/kljensen/snowball), since a text's language is not known and
// a partnership is described in both. A query word matches a document when
// one of its stems (or, for a query, the word without a Swedish definite
// ending) is the prefix of a document term (so compounds with the word
// first are found, and the stem meets every inflection), or when the
// word is a compound whose first part is a whole document term and whose
// second part's stem begins another term ("plastavfall" matches "plast"
// and "avfallshantering"). All query words must match.
package search

import (
	"slices"
	"strings"
	"unicode"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/swedish"
	"golang.org/x/text/unicode/norm"
)

// Version names the analysis below. A store records it with each indexed
// row and reindexes rows written with another version when it opens, so
// a change here must come with a new number.
const Version = 1

const (
	// MaxWordRunes is where a long word (a URL, a run of digits) is cut,
	// in documents and queries alike, so terms stay small and a cut query
	// word still finds the cut document word.
	MaxWordRunes = 60
	// MaxQueryWords is how many distinct words of a query count; the rest
	// are ignored, so an absurd query costs no more than a long one.
	MaxQueryWords = 10
	// minPart is the shortest first or second part of a compound tried.
	minPart = 4
	// maxCompound is the longest query word split into compound parts.
	maxCompound = 30
	// maxOptions bounds a query's options (each a prefix the engine
	// looks up): compounds are tried only while the query stays within
	// it, so ten long words cost a few milliseconds, not tens.
	maxOptions = 100
)

// Words splits text into words: runs of letters and digits (after NFC
// normalisation, so an "ö" typed as o plus a combining diaeresis is still
// an ö), lower-cased, each cut at MaxWordRunes. Everything else separates
// words.
func Words(text string) []string {
	text = norm.NFC.String(text)
	var out []string
	var w []rune
	flush := func() {
		if len(w) > 0 {
			out = append(out, string(w))
			w = w[:0]
		}
	}
	for _, r := range text {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if len(w) < MaxWordRunes {
			w = append(w, unicode.ToLower(r))
		}
	}
	flush()
	return out
}

// Stems returns a word's Swedish and English stems, once each, never empty.
func Stems(word string) []string {
	sv := swedish.Stem(word, true)
	en := english.Stem(word, true)
	if sv == "" {
		sv = word
	}
	if en == "" || en == sv {
		return []string{sv}
	}
	return []string{sv, en}
}

// Terms returns the index terms of texts: every stem of every word, each
// once, in the order first seen.
func Terms(texts ...string) []string {
	seen := map[string]bool{}
	var out []string
	for _, text := range texts {
		for _, w := range Words(text) {
			for _, s := range Stems(w) {
				if !seen[s] {
					seen[s] = true
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// Option is one way a query word can match: a document term beginning with
// Prefix, and, when Exact is set, also a term equal to Exact (the first
// part of a compound).
type Option struct {
	Exact  string
	Prefix string
}

// Clause is one query word: it matches when any of its options does.
type Clause []Option

// Query is a parsed query: a document matches when every clause does.
type Query []Clause

// Parse reads a visitor's query. Operators, quotes, stars and markup mean
// nothing: only the words count, up to MaxQueryWords distinct ones. A query
// without words is empty, and selects everything.
func Parse(q string) Query {
	var out Query
	seen := map[string]bool{}
	options := 0
	for _, w := range Words(q) {
		if seen[w] {
			continue
		}
		seen[w] = true
		c := clause(w, options < maxOptions)
		if options+len(c) > maxOptions {
			// Over budget: this word is looked for as itself only, not
			// as a compound.
			c = slices.DeleteFunc(c, func(o Option) bool { return o.Exact != "" })
		}
		options += len(c)
		out = append(out, c)
		if len(out) == MaxQueryWords {
			break
		}
	}
	return out
}

// Empty reports whether the query has no words.
func (q Query) Empty() bool { return len(q) == 0 }

// clause lists the options of one query word, without the redundant ones;
// compounds says whether to try it as a compound too.
func clause(w string, compounds bool) Clause {
	var c Clause
	add := func(o Option) {
		for _, have := range c {
			if have == o {
				return
			}
		}
		c = append(c, o)
	}
	for _, s := range queryStems(w) {
		add(Option{Prefix: s})
	}
	r := []rune(w)
	if compounds && len(r) >= 2*minPart && len(r) <= maxCompound {
		for i := minPart; i <= len(r)-minPart; i++ {
			head, tail := string(r[:i]), string(r[i:])
			heads := []string{head}
			// Swedish often joins the parts with an s: "avfallshantering"
			// is "avfall" + s + "hantering".
			if r[i-1] == 's' && i-1 >= minPart {
				heads = append(heads, string(r[:i-1]))
			}
			for _, h := range heads {
				if stopHead[h] {
					continue
				}
				for _, t := range queryStems(tail) {
					// A document word equal to h is indexed as h's stems,
					// so looking for those finds it.
					for _, hs := range Stems(h) {
						add(Option{Exact: hs, Prefix: t})
					}
				}
			}
		}
	}
	return prune(c)
}

// queryStems is what a query word is looked for as: its stems, and the
// word without a Swedish definite ending the Snowball stemmer keeps
// ("besöket", "miljön"), so those forms find the bare word too. Only
// queries get these extra forms; a document is indexed by Stems alone.
func queryStems(w string) []string {
	out := Stems(w)
	r := []rune(w)
	n := len(r)
	var bare string
	switch {
	case n >= 6 && (strings.HasSuffix(w, "et") || strings.HasSuffix(w, "en")):
		bare = string(r[:n-2])
	case n >= 5 && r[n-1] == 'n' && strings.ContainsRune("aeiouyåäö", r[n-2]):
		bare = string(r[:n-1])
	}
	if bare != "" {
		out = append(out, bare)
	}
	return out
}

// prune drops the options another option already covers: p covers o
// when o's prefix begins with p's and p asks for no first part, or the
// same one. What is left matches exactly what the whole did.
func prune(c Clause) Clause {
	var out Clause
	for i, o := range c {
		covered := false
		for j, p := range c {
			if i != j && (p.Exact == "" || p.Exact == o.Exact) && strings.HasPrefix(o.Prefix, p.Prefix) {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, o)
		}
	}
	return out
}

// stopHead lists common short words that are never taken as the first
// part of a compound, since nearly every text holds them ("tillväxt" is
// not "till" + "växt").
var stopHead = map[string]bool{
	"till": true, "från": true, "inte": true, "även": true, "vara": true, "blir": true,
	"över": true, "under": true, "efter": true, "innan": true, "mellan": true, "utan": true,
	"mot": true, "samt": true, "eller": true, "genom": true, "också": true, "sina": true,
	"with": true, "that": true, "this": true, "they": true, "from": true, "their": true,
	"there": true, "have": true, "been": true, "were": true, "which": true, "what": true,
	"into": true, "over": true, "about": true, "other": true,
}

// Match reports whether a document with the given terms matches q: the
// reference semantics both stores implement.
func (q Query) Match(terms []string) bool {
	set := map[string]bool{}
	for _, t := range terms {
		set[t] = true
	}
	hasPrefix := func(p string) bool {
		for _, t := range terms {
			if strings.HasPrefix(t, p) {
				return true
			}
		}
		return false
	}
	for _, c := range q {
		ok := false
		for _, o := range c {
			if (o.Exact == "" || set[o.Exact]) && hasPrefix(o.Prefix) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// FTS5 writes q as an SQLite FTS5 query over a column tokenized by the
// "ascii" tokenizer, which splits only on ASCII non-alphanumerics: terms
// are letters and digits only, so each is one token, quoted, and "term"*
// is a prefix search. An empty query gives "".
func (q Query) FTS5() string {
	var b strings.Builder
	for i, c := range q {
		if i > 0 {
			b.WriteString(" AND ")
		}
		b.WriteString("(")
		for j, o := range c {
			if j > 0 {
				b.WriteString(" OR ")
			}
			if o.Exact != "" {
				b.WriteString(`("` + o.Exact + `" AND "` + o.Prefix + `"*)`)
			} else {
				b.WriteString(`"` + o.Prefix + `"*`)
			}
		}
		b.WriteString(")")
	}
	return b.String()
}

// TSQuery writes q as a PostgreSQL tsquery literal, to be cast with
// ::tsquery (not parsed by a text search configuration, so no lexeme is
// changed): 'term':* is a prefix search. An empty query gives "".
func (q Query) TSQuery() string {
	var b strings.Builder
	for i, c := range q {
		if i > 0 {
			b.WriteString(" & ")
		}
		b.WriteString("(")
		for j, o := range c {
			if j > 0 {
				b.WriteString(" | ")
			}
			if o.Exact != "" {
				b.WriteString(`('` + o.Exact + `' & '` + o.Prefix + `':*)`)
			} else {
				b.WriteString(`'` + o.Prefix + `':*`)
			}
		}
		b.WriteString(")")
	}
	return b.String()
}
