package privacy

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/form"
)

func TestScrub(t *testing.T) {
	p := Subject{ID: 7, Name: "Åsa Öberg", Email: "asa.oberg@kalix.se"}
	tests := []struct{ in, want string }{
		{"Kontakt: Åsa Öberg, ASA.OBERG@kalix.se", "Kontakt: Raderad person 7, raderad-7@invalid"},
		{`{"values":{"contact":"åsa öberg"}}`, `{"values":{"contact":"Raderad person 7"}}`},
		{"Åsa Öbergsson is someone else", "Åsa Öbergsson is someone else"},
		{"no one here", "no one here"},
		{"ÅSA ÖBERG och Åsa Öberg", "Raderad person 7 och Raderad person 7"},
	}
	for _, tt := range tests {
		got, changed := p.Scrub(tt.in)
		if got != tt.want {
			t.Errorf("Scrub(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if changed != (tt.in != tt.want) || p.Mentions(tt.in) != changed {
			t.Errorf("Scrub(%q) changed = %v, Mentions = %v", tt.in, changed, p.Mentions(tt.in))
		}
	}
	short := Subject{ID: 1, Name: "Bo", Email: "bo@x.se"}
	if got, _ := short.Scrub("Borås och Bo"); got != "Borås och Bo" {
		t.Errorf("a short name is not searched for in text: got %q", got)
	}
	if strings.ContainsAny(ErasedName(1)+ErasedEmail(1), `"\<>&`) {
		t.Error("the erased name must need no JSON escaping")
	}
	if !IsErased(ErasedEmail(3)) || IsErased("anna@kalix.se") {
		t.Error("IsErased")
	}
}

func TestCheckErase(t *testing.T) {
	if err := CheckErase(1, 1, true, 3); !errors.Is(err, ErrSelf) {
		t.Errorf("self: %v", err)
	}
	if err := CheckErase(1, 2, true, 1); !errors.Is(err, ErrLastAdministrator) {
		t.Errorf("last admin: %v", err)
	}
	if err := CheckErase(1, 2, true, 2); err != nil {
		t.Errorf("one of two admins: %v", err)
	}
	if err := CheckErase(0, 2, false, 0); err != nil {
		t.Errorf("applicant by the command line: %v", err)
	}
}

func TestRetention(t *testing.T) {
	for in, want := range map[string]int{"": DefaultRetentionDays, "30": 30, " 365 ": 365, "3650": 3650} {
		r, err := ParseRetention(in)
		if err != nil || r.Days != want {
			t.Errorf("ParseRetention(%q) = %v, %v; want %d", in, r, err, want)
		}
	}
	for _, in := range []string{"29", "3651", "abc", "12x", "-5"} {
		if _, err := ParseRetention(in); !errors.Is(err, ErrRetentionRange) {
			t.Errorf("ParseRetention(%q) = %v, want ErrRetentionRange", in, err)
		}
	}
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	if got := (Retention{30}).Cutoff(now); !got.Equal(time.Date(2026, 11, 7, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("Cutoff = %v", got)
	}
}

func TestStripAnswers(t *testing.T) {
	f := &form.Form{Sections: []form.Section{{Key: "s", Fields: []form.Field{
		{Key: "title", Kind: form.ShortText},
		{Key: "contact_name", Kind: form.ShortText, Personal: true},
		{Key: "files", Kind: form.File},
	}}}}
	a := &form.Answers{Values: map[string]string{"title": "Plast i Masaka", "contact_name": "Åsa Öberg"}, Files: map[string][]int64{"files": {3}}}
	if !StripAnswers(f, a) {
		t.Fatal("StripAnswers changed nothing")
	}
	if a.Values["title"] != "Plast i Masaka" || a.Values["contact_name"] != "" || len(a.Files) != 0 {
		t.Errorf("after StripAnswers: %+v", a)
	}
	if StripAnswers(f, a) {
		t.Error("a second StripAnswers changed something")
	}
}
