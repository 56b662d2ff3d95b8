package web_test

import (
	"context"
	"fmt"
	"html"
	"testing"

	"github.com/icld/partnerskap/internal/sdg"
)

// The applicant's read-only view of a submitted application shows the
// answers as the officer's case does: amounts as money whatever way they
// were typed, and SDG targets with their titles, in the page's language.
func TestApplicantSeesSubmittedAnswersFormatted(t *testing.T) {
	e := newEnv(t, "http://localhost")
	f := newCaseFix(t, e, 1_000_000, 300_000, nil)
	a := f.draft("Plast och avfall i Kalix", "20 000")
	a.Answers.Activities[0].Cost = "60000"
	a.Answers.Targets = []string{"12.5", "4.7"}
	ctx := context.Background()
	if err := e.store.SaveDraft(ctx, f.by, a); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.SubmitApplication(ctx, f.by, a.ID, a.Version, nil); err != nil {
		t.Fatal(err)
	}
	t125, t47 := sdg.TargetByCode("12.5"), sdg.TargetByCode("4.7")
	c := e.login(kalixApplicant)
	for _, tc := range []struct {
		path         string
		want, unwant []string
	}{
		{fmt.Sprintf("/ansokningar/%d", a.ID),
			[]string{"60\u00a0000\u00a0kr", "20\u00a0000\u00a0kr", "12.5 " + t125.ShortSV, "4.7 " + t47.ShortSV},
			[]string{">60000<", "60000", "20 000 ·", ">20 000<"}},
		{fmt.Sprintf("/en/applications/%d", a.ID),
			[]string{"SEK\u00a060,000", "SEK\u00a020,000", "12.5 " + t125.TitleEN, "4.7 " + t47.TitleEN},
			[]string{"60000", ">20 000<"}},
	} {
		res := e.get(c, tc.path)
		if res.status != 200 {
			t.Fatalf("GET %s: %d", tc.path, res.status)
		}
		body := html.UnescapeString(mainOf(res.body))
		wantContains(t, "applicant view "+tc.path, body, tc.want...)
		wantNotContains(t, "applicant view "+tc.path, body, tc.unwant...)
	}
}
