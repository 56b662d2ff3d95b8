package country

import "testing"

func TestCountries(t *testing.T) {
	if got := len(All("sv")); got != 250 {
		t.Errorf("countries: got %d, want 250", got)
	}
	for code, sv := range map[string]string{"UG": "Uganda", "XK": "Kosovo", "ZA": "Sydafrika", "BW": "Botswana", "MM": "Myanmar"} {
		c, ok := ByCode(code)
		if !ok || c.NameSV != sv {
			t.Errorf("%s: got %q %v, want %q", code, c.NameSV, ok, sv)
		}
	}
	if _, ok := ByCode("QQ"); ok {
		t.Error("QQ should not exist")
	}
	all := All("sv")
	if got := all[len(all)-1].NameSV; got != "Östtimor" {
		t.Errorf("last country in Swedish order: %q, want Östtimor", got)
	}
	if got := all[len(all)-3].NameSV; got != "Åland" {
		t.Errorf("Å sorts after Z: got %q third from last", got)
	}
}
