package notify

import (
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/i18n"
	"github.com/icld/partnerskap/internal/user"
)

// TestAccountMails: the reset link and the new address's confirmation go
// in the person's language with the link in that language; the new
// address gets the confirmation, the old one a notice without the link.
func TestAccountMails(t *testing.T) {
	msgs, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	m := New(nil, msgs, "https://partnerskap.example")
	link := func(lang string) string { return "https://partnerskap.example/" + lang + "/token" }
	for _, tt := range []struct {
		lang, reset, confirm, minutes string
	}{
		{"sv", "Nytt lösenord i Partnerskap", "Bekräfta din nya e-postadress i Partnerskap", "60 minuter"},
		{"en", "New password in Partnerskap", "Confirm your new e-mail address in Partnerskap", "60 minutes"},
	} {
		u := &user.User{Email: "asa@kalix.se", Name: "Åsa", Lang: tt.lang}
		r := m.PasswordReset(u, link)
		if r.To != u.Email || r.Subject != tt.reset || !strings.Contains(r.Body, link(tt.lang)) || !strings.Contains(r.Body, tt.minutes) {
			t.Errorf("%s reset mail: %+v", tt.lang, r)
		}
		c := m.EmailConfirm(u, "asa.ny@kalix.se", link)
		if c.To != "asa.ny@kalix.se" || c.Subject != tt.confirm || !strings.Contains(c.Body, link(tt.lang)) || !strings.Contains(c.Body, u.Email) {
			t.Errorf("%s confirmation: %+v", tt.lang, c)
		}
		n := m.EmailChangeNotice(u, "asa.ny@kalix.se")
		if n.To != u.Email || !strings.Contains(n.Body, "asa.ny@kalix.se") || strings.Contains(n.Body, link(tt.lang)) {
			t.Errorf("%s notice: %+v", tt.lang, n)
		}
	}
}
