package web

import (
	"testing"

	"github.com/icld/partnerskap/internal/notify"
	"github.com/icld/partnerskap/internal/report"
)

// TestReminderLinkFollowsRoutes: the reminder job builds its link without
// the routes (notify.ReportPath), so the two must agree.
func TestReminderLinkFollowsRoutes(t *testing.T) {
	s := &Server{}
	s.routeList = s.table()
	b := &Base{srv: s}
	for _, lang := range []string{"sv", "en"} {
		got := notify.ReportPath(lang, 7, report.Final)
		if want := b.urlIn(lang, "grant.report", 7, string(report.Final)); got != want {
			t.Errorf("%s: notify.ReportPath %q, routes.go %q", lang, got, want)
		}
	}
}
