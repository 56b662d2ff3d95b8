package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The password rule holds where a password is chosen through the web: a
// common password, or the invited address, is refused on the invitation's
// sign-up form with the error on the password field and the name kept,
// in either language; a long uncommon one is taken.
func TestInviteSignUpPasswordRule(t *testing.T) {
	e := newEnv(t, inviteBase)
	kalix := orgID(t, e, "2514")
	link := sendInvite(t, e, e.login(applicant), kalix, "ny.kollega@kalix.se")
	guest := e.client()
	tests := []struct {
		password, want string
	}{
		{"password123", "Lösenordet är ett av de vanligaste lösenorden"},
		{"  QwertyUIOP ", "Lösenordet är ett av de vanligaste lösenorden"},
		{"1234567890", "Lösenordet är ett av de vanligaste lösenorden"},
		{"ny.kollega@kalix.se", "Lösenordet får inte vara din e-postadress eller ditt namn"},
		{"Nils Kollegasson", "Lösenordet får inte vara din e-postadress eller ditt namn"},
		{"kort", "Lösenordet måste ha minst 10 tecken"},
	}
	for _, tt := range tests {
		res := e.post(guest, link, url.Values{"name": {"Nils Kollegasson"}, "password": {tt.password}, "password2": {tt.password}})
		if res.status != http.StatusUnprocessableEntity {
			t.Errorf("%q: %d, want 422", tt.password, res.status)
		}
		wantContains(t, tt.password, res.body, `<p class="error" id="password-error">`+tt.want, `value="Nils Kollegasson"`)
	}
	wantSignedOut(t, e, guest, "after refused passwords")

	// The same in English.
	en := "/en/invitation/" + strings.TrimPrefix(link, "/inbjudan/")
	res := e.post(guest, en, url.Values{"name": {"Nils Kollegasson"}, "password": {"Password123"}, "password2": {"Password123"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Errorf("in English: %d, want 422", res.status)
	}
	wantContains(t, "in English", res.body, `<p class="error" id="password-error">This is one of the most common passwords`, `value="Nils Kollegasson"`)

	res = e.post(guest, link, url.Values{"name": {"Nils Kollegasson"}, "password": {"gröna äpplen i maj"}, "password2": {"gröna äpplen i maj"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("an uncommon password: %d\n%s", res.status, res.body)
	}
}
