package web

import (
	"errors"
	"strconv"
	"strings"

	"github.com/icld/partnerskap/internal/store"
)

// perPage is how many rows a page of a public list shows (partnerships,
// stories, the material bank).
const perPage = 20

// paging is a list's pagination: which page of how many, and the links
// to the neighbouring pages, built the same way for every list.
type paging struct {
	Page, Pages int
	Prev, Next  string     // URLs, "" at the ends
	Links       []pageLink // none when there is one page
}

// pageLink is one link of the pagination.
type pageLink struct {
	Number  int
	URL     string
	Current bool
	Gap     bool // an ellipsis before this page
}

// pageParam reads the page number ?sida=: 1 for anything that is not a
// positive number, and a number too large to count as the largest int
// (a page past the last, which newPaging refuses).
func pageParam(v string) int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	switch {
	case errors.Is(err, strconv.ErrRange) && n > 0:
		return n
	case err != nil || n < 1:
		return 1
	}
	return n
}

// newPaging pages count rows at page; a page past the last is a page that
// does not exist (store.ErrNotFound). at builds the URL of page n. The
// links are the first and last pages and two either side of the current.
func newPaging(page, count int, at func(n int) string) (paging, error) {
	p := paging{Page: page, Pages: max(1, (count+perPage-1)/perPage)}
	if page > p.Pages {
		return p, store.ErrNotFound
	}
	if p.Pages == 1 {
		return p, nil
	}
	for n := 1; n <= p.Pages; n++ {
		if n != 1 && n != p.Pages && (n < page-2 || n > page+2) {
			continue
		}
		l := pageLink{Number: n, URL: at(n), Current: n == page}
		if len(p.Links) > 0 && p.Links[len(p.Links)-1].Number != n-1 {
			l.Gap = true
		}
		p.Links = append(p.Links, l)
	}
	if page > 1 {
		p.Prev = at(page - 1)
	}
	if page < p.Pages {
		p.Next = at(page + 1)
	}
	return p, nil
}

// Bounds are the positions of the page's rows in the whole list: rows
// [from, to) of count.
func (p paging) Bounds(count int) (from, to int) {
	from = min((p.Page-1)*perPage, count)
	return from, min(from+perPage, count)
}
