package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/review"
)

// mainOf is the page's main content, without the demo's note, which
// names the demo's municipalities.
func mainOf(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	if i := strings.Index(body, "</main>"); i >= 0 {
		body = body[:i]
	}
	return body
}

func reviewPath(id int64) string { return "/granskning/" + strconv.FormatInt(id, 10) }

// ownReviews returns what the store holds of reviewer's review of id.
func (f *caseFix) ownReviews(id, reviewerID int64) []review.Review {
	f.t.Helper()
	all, err := f.e.store.Reviews(context.Background(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []review.Review
	for _, r := range all {
		if r.ReviewerID == reviewerID {
			out = append(out, r)
		}
	}
	return out
}

func TestReviewFlow(t *testing.T) {
	e := newEnv(t, "http://localhost")
	f := newCaseFix(t, e, 1_000_000, 300_000, nil)
	ctx := context.Background()
	a := f.inReview("Plast i Kalix och Masaka", "200 000")
	berit := f.newReviewer("greta@example.se", "Greta Granskare")
	if err := e.store.AssignReviewer(ctx, f.by, a.ID, berit.ID); err != nil {
		t.Fatal(err)
	}
	rev := e.loginAs(t, berit.Email)
	path := reviewPath(a.ID)
	// The list shows the assignment; the page asks about conflicts first
	// and shows none of the answers until then.
	res := e.get(rev, "/granskning")
	wantContains(t, "list", res.body, "Plast i Kalix och Masaka", "Kalix – Masaka (Kalix kommun)", "Inte besvarat", "Inte påbörjad", `href="`+path+`"`)
	res = e.get(rev, path)
	if res.status != 200 {
		t.Fatalf("review page: %d", res.status)
	}
	wantContains(t, "declaration", res.body, "Är du jävig?", `name="conflict"`, `<legend>`)
	wantNotContains(t, "declaration", res.body, "Utställning i biblioteket", `name="score_relevance"`)
	res = e.post(rev, path+"/jav", url.Values{})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("no answer: %d", res.status)
	}
	wantContains(t, "no answer", res.body, "Fältet måste fyllas i.", `href="#conflict"`)
	if res = e.post(rev, path+"/jav", url.Values{"conflict": {"no"}}); res.status != http.StatusSeeOther {
		t.Fatalf("declare: %d\n%s", res.status, res.body)
	}
	res = e.get(rev, path)
	wantContains(t, "after declaring", res.body, "Utställning i biblioteket", "Kalix kommun", "Masaka District Local Government",
		`<legend>Relevans`, `name="score_relevance" id="score_relevance" value="1"`, `id="score_relevance-4" value="5"`, "Spara utkast", "Skicka in bedömningen")
	// A draft saves without everything filled in.
	draft := url.Values{"action": {"save"}, "score_relevance": {"4"}, "comment_relevance": {"Tydlig koppling till mål 12."}}
	if res = e.post(rev, path, draft); res.status != http.StatusSeeOther {
		t.Fatalf("save draft: %d\n%s", res.status, res.body)
	}
	res = e.get(rev, path)
	wantContains(t, "draft kept", res.body, `value="4" checked`, "Tydlig koppling till mål 12.")
	// A score outside the scale is refused, draft or not; what was typed stays.
	for _, action := range []string{"save", "submit"} {
		res = e.post(rev, path, url.Values{"action": {action}, "score_relevance": {"9"}, "comment_relevance": {"Nytt försök"}, "score_feasibility": {"x"}})
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("%s out of scale: %d", action, res.status)
		}
		wantContains(t, action+" out of scale", res.body, "Poängen ligger utanför skalan.", `href="#score_relevance"`, `href="#score_feasibility"`, "Nytt försök")
	}
	got := f.ownReviews(a.ID, berit.ID)
	if len(got) != 1 || got[0].Scores["relevance"] != 4 || got[0].Comments["relevance"] != "Tydlig koppling till mål 12." {
		t.Fatalf("refused saves changed the review: %+v", got)
	}
	// Submitting needs every score, comment and a recommendation.
	res = e.post(rev, path, url.Values{"action": {"submit"}, "score_relevance": {"4"}, "comment_relevance": {"Bra."}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("incomplete submit: %d", res.status)
	}
	wantContains(t, "incomplete submit", res.body, `href="#score_feasibility"`, `href="#comment_feasibility"`, `href="#recommendation"`, `value="4" checked`)
	full := url.Values{"action": {"submit"}, "score_relevance": {"4"}, "comment_relevance": {"Bra."}, "score_feasibility": {"3"},
		"comment_feasibility": {"Budgeten är rimlig."}, "recommendation": {"grant"}, "comment": {"Stöd ansökan."}}
	if res = e.post(rev, path, full); res.status != http.StatusSeeOther {
		t.Fatalf("submit: %d\n%s", res.status, res.body)
	}
	res = e.get(rev, path)
	wantContains(t, "submitted", res.body, "Du skickade in bedömningen", "Budgeten är rimlig.", "Bevilja", "Stöd ansökan.")
	wantNotContains(t, "submitted", res.body, `name="score_relevance"`)
	// A submitted review cannot be changed.
	full.Set("score_relevance", "1")
	res = e.post(rev, path, full)
	if res.status != http.StatusConflict {
		t.Errorf("change after submit: %d", res.status)
	}
	if got := f.ownReviews(a.ID, berit.ID); len(got) != 1 || got[0].Scores["relevance"] != 4 || !got[0].Submitted() {
		t.Errorf("review after a refused change: %+v", got)
	}
	res = e.get(rev, "/en/reviews")
	wantContains(t, "list in English", res.body, "My reviews", "No conflict", "Submitted")
}

func TestReviewNotAssigned(t *testing.T) {
	e := newEnv(t, "http://localhost")
	f := newCaseFix(t, e, 1_000_000, 300_000, nil)
	ctx := context.Background()
	a := f.inReview("Plast i Kalix och Masaka", "200 000")
	berit := f.user(reviewerEmail)
	if err := e.store.AssignReviewer(ctx, f.by, a.ID, berit.ID); err != nil {
		t.Fatal(err)
	}
	other := f.newReviewer("annan.bedomare@example.se", "Anna Annan")
	c := e.loginAs(t, other.Email)
	path := reviewPath(a.ID)
	score := url.Values{"action": {"submit"}, "score_relevance": {"5"}, "comment_relevance": {"x"}, "score_feasibility": {"5"},
		"comment_feasibility": {"x"}, "recommendation": {"grant"}}
	for _, tt := range []struct {
		method, path string
		form         url.Values
	}{
		{"GET", path, nil},
		{"POST", path, score},
		{"POST", path + "/jav", url.Values{"conflict": {"no"}}},
		{"GET", "/granskning/999999", nil},
	} {
		var res response
		if tt.method == "GET" {
			res = e.get(c, tt.path)
		} else {
			res = e.post(c, tt.path, tt.form)
		}
		if res.status != http.StatusNotFound {
			t.Errorf("%s %s by an unassigned reviewer: %d, want 404", tt.method, tt.path, res.status)
		}
		wantNotContains(t, tt.method+" "+tt.path, res.body, "Utställning i biblioteket")
	}
	if got := f.ownReviews(a.ID, other.ID); len(got) != 0 {
		t.Errorf("an unassigned reviewer's scores were stored: %+v", got)
	}
	if _, err := e.store.Assignment(ctx, a.ID, other.ID); err == nil {
		t.Error("an unassigned reviewer got an assignment")
	}
	res := e.get(c, "/granskning")
	wantNotContains(t, "other's list", res.body, "Plast i Kalix och Masaka")
}

func TestReviewConflictAndBlind(t *testing.T) {
	e := newEnv(t, "http://localhost")
	f := newCaseFix(t, e, 1_000_000, 300_000, func(c *call.Config) { c.Steps.BlindReview = true })
	ctx := context.Background()
	a := f.inReview("Plast i Kalix och Masaka", "200 000")
	b := f.inReview("Skolresan", "100 000")
	berit := f.newReviewer("greta@example.se", "Greta Granskare")
	for _, id := range []int64{a.ID, b.ID} {
		if err := e.store.AssignReviewer(ctx, f.by, id, berit.ID); err != nil {
			t.Fatal(err)
		}
	}
	rev := e.loginAs(t, berit.Email)
	// Blind review: the list and the page hide who applied.
	res := e.get(rev, "/granskning")
	wantContains(t, "blind list", res.body, "Plast i Kalix och Masaka", "Dold (blind bedömning)")
	wantNotContains(t, "blind list", mainOf(res.body), "Kalix kommun", "Kalix – Masaka", "Arvika")
	if res = e.post(rev, reviewPath(a.ID)+"/jav", url.Values{"conflict": {"no"}}); res.status != http.StatusSeeOther {
		t.Fatalf("declare: %d", res.status)
	}
	res = e.get(rev, reviewPath(a.ID))
	wantContains(t, "blind page", res.body, "Bedömning av ansökan "+strconv.FormatInt(a.ID, 10), "Blind bedömning", "Utställning i biblioteket")
	wantNotContains(t, "blind page", mainOf(res.body), "Kalix kommun", "Kalix – Masaka", "Masaka District Local Government")
	// A conflict needs a note; afterwards the application is not shown.
	res = e.post(rev, reviewPath(b.ID)+"/jav", url.Values{"conflict": {"yes"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("conflict without note: %d", res.status)
	}
	wantContains(t, "conflict without note", res.body, `href="#conflict_note"`, `value="yes" checked`)
	if res = e.post(rev, reviewPath(b.ID)+"/jav", url.Values{"conflict": {"yes"}, "conflict_note": {"Min syster arbetar i projektet."}}); res.status != http.StatusSeeOther {
		t.Fatalf("declare conflict: %d", res.status)
	}
	res = e.get(rev, reviewPath(b.ID))
	wantContains(t, "conflicted", res.body, "Du har anmält jäv")
	wantNotContains(t, "conflicted", res.body, "Utställning i biblioteket", `name="score_relevance"`)
	res = e.post(rev, reviewPath(b.ID), url.Values{"action": {"save"}, "score_relevance": {"3"}})
	if res.status != http.StatusForbidden {
		t.Errorf("conflicted reviewer scores: %d", res.status)
	}
	if got := f.ownReviews(b.ID, berit.ID); len(got) != 0 {
		t.Errorf("conflicted reviewer's review stored: %+v", got)
	}
	// Declaring twice is refused.
	res = e.post(rev, reviewPath(b.ID)+"/jav", url.Values{"conflict": {"no"}})
	if res.status != http.StatusConflict {
		t.Errorf("second declaration: %d", res.status)
	}
	// The officer sees the conflict on the case.
	res = e.get(e.login(officer), casePath(b.ID))
	wantContains(t, "officer sees conflict", res.body, "Jäv anmält", "Greta Granskare")
	if !strings.Contains(res.body, "Blind bedömning") {
		t.Error("the case page does not say the review is blind")
	}
}
