package notify

import (
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/i18n"
)

// TestInvite checks a mail's language, its placeholders and the footer
// with the site's address, which every mail gets.
func TestInvite(t *testing.T) {
	msgs, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	m := New(nil, msgs, "https://partnerskap.example/")
	for _, tt := range []struct {
		lang, subject, footer string
	}{
		{"sv", "Inbjudan till Partnerskap: Kalix kommun", "ICLD:s system"},
		{"en", "Invitation to Partnerskap: Kalix kommun", "ICLD's system"},
		{"", "Inbjudan till Partnerskap: Kalix kommun", "ICLD:s system"},
	} {
		got := m.Invite("ny@kalix.se", tt.lang, "Anna", "Kalix kommun", "https://partnerskap.example/inbjudan/x")
		if got.To != "ny@kalix.se" || got.Subject != tt.subject {
			t.Errorf("%q: to %q, subject %q; want %q", tt.lang, got.To, got.Subject, tt.subject)
		}
		for _, want := range []string{"Anna", "https://partnerskap.example/inbjudan/x", tt.footer, "\nhttps://partnerskap.example\n"} {
			if !strings.Contains(got.Body, want) {
				t.Errorf("%q: body lacks %q:\n%s", tt.lang, want, got.Body)
			}
		}
	}
}
