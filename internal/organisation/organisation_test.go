package organisation

import "testing"

func TestReference(t *testing.T) {
	ref := Reference()
	counts := map[Kind]int{}
	for _, o := range ref {
		counts[o.Kind]++
	}
	if counts[Municipality] != 290 || counts[Region] != 20 {
		t.Errorf("got %d kommuner and %d regions, want 290 and 20 (Gotland counted once)", counts[Municipality], counts[Region])
	}
	if o := referenceByCode["2514"]; o.Name != "Kalix kommun" || o.County != "Norrbottens län" {
		t.Errorf("2514 = %+v", o)
	}
	if o := referenceByCode["05"]; o.Name != "Region Östergötland" || o.Kind != Region {
		t.Errorf("05 = %+v", o)
	}
	if CanonicalCode("09") != "0980" || referenceByCode["0980"].Name != "Region Gotland" {
		t.Error("Gotland is not one organisation")
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		o     Organisation
		field string // "" when valid
		key   string
	}{
		{"kommun", Organisation{Kind: Municipality, Code: "2514", Name: "Kalix kommun"}, "", ""},
		{"gotland by region code", Organisation{Kind: Region, Code: "09", Name: "Region Gotland"}, "", ""},
		{"unknown code", Organisation{Kind: Municipality, Code: "9999", Name: "X"}, "code", "error.org.unknown_code"},
		{"region code as kommun", Organisation{Kind: Municipality, Code: "05", Name: "X"}, "code", "error.org.unknown_code"},
		{"missing code", Organisation{Kind: Region, Name: "X"}, "code", "error.required"},
		{"partner", Organisation{Kind: Partner, Country: "ug", Name: "Masaka District Local Government"}, "", ""},
		{"kosovo", Organisation{Kind: Partner, Country: "XK", Name: "Komuna e Vushtrrisë"}, "", ""},
		{"partner without country", Organisation{Kind: Partner, Name: "X"}, "country", "error.required"},
		{"partner in Sweden", Organisation{Kind: Partner, Country: "SE", Name: "X"}, "country", "error.org.partner_in_sweden"},
		{"bad country", Organisation{Kind: Partner, Country: "QQ", Name: "X"}, "country", "error.org.unknown_country"},
		{"no name", Organisation{Kind: Partner, Country: "UG", Name: "  "}, "name", "error.required"},
		{"bad kind", Organisation{Kind: "club", Name: "X"}, "kind", "error.org.kind"},
		{"good org number", Organisation{Kind: Municipality, Code: "2514", Name: "Kalix kommun", OrgNumber: "212000-2452"}, "", ""},
		{"bad org number", Organisation{Kind: Municipality, Code: "2514", Name: "Kalix kommun", OrgNumber: "212000-2453"}, "org_number", "error.org.org_number"},
	}
	for _, tt := range tests {
		o := tt.o
		o.Normalize()
		errs := o.Validate()
		if tt.field == "" {
			if len(errs) != 0 {
				t.Errorf("%s: unexpected %v", tt.name, errs)
			}
			continue
		}
		if errs[tt.field] != tt.key {
			t.Errorf("%s: got %v, want %s=%s", tt.name, errs, tt.field, tt.key)
		}
	}
}
