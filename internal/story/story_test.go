package story

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/validate"
)

func TestRender(t *testing.T) {
	tests := []struct {
		name, in  string
		want      []string
		forbidden []string
	}{
		{"script tag", "Hej <script>alert(1)</script> då\n\n<script>alert(2)</script>",
			[]string{"<p>Hej"}, []string{"<script", "alert(2)</script"}},
		{"javascript link", "[klicka](javascript:alert(1)) och [JS](JaVaScRiPt:alert(1))",
			[]string{"klicka", "JS"}, []string{"javascript:", "JaVaScRiPt:"}},
		{"event handler", `<img src=x onerror="alert(1)">` + "\n\n" + `<a href="https://x.example" onclick="alert(1)">x</a>`,
			nil, []string{"onerror", "onclick", "<img"}},
		{"links get rel", "Läs [mer](https://icld.se/) eller https://example.org/a",
			[]string{`<a href="https://icld.se/" rel="noopener nofollow">mer</a>`, `<a href="https://example.org/a" rel="noopener nofollow">`}, nil},
		{"headings demoted", "# Rubrik\n\n## Under\n\n###### Sjätte",
			[]string{"<h2>Rubrik</h2>", "<h3>Under</h3>", "<h6>Sjätte</h6>"}, []string{"<h1"}},
		{"subheadings only become h2", "Text\n\n## Först\n\n### Sedan",
			[]string{"<h2>Först</h2>", "<h3>Sedan</h3>"}, []string{"<h1", "<h4"}},
		{"a link without a safe address is no link", "[x](javascript:alert(1))", []string{"x"}, []string{"<a", "rel="}},
		{"image becomes its text", "Se ![en bild av havet](https://evil.example/track.png) här",
			[]string{"Se en bild av havet här"}, []string{"<img", "evil.example"}},
		{"formatting", "**fet** och *kursiv*\n\n- ett\n- två",
			[]string{"<strong>fet</strong>", "<em>kursiv</em>", "<li>ett</li>"}, nil},
		{"å ä ö kept", "Plasten i Kalix – återvinning för ÅÄÖ", []string{"Plasten i Kalix – återvinning för ÅÄÖ"}, nil},
		{"style attribute", `<p style="color:red">x</p>`, nil, []string{"style="}},
	}
	for _, tt := range tests {
		got := Render(tt.in)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: Render(%q) = %q, want it to contain %q", tt.name, tt.in, got, w)
			}
		}
		for _, f := range tt.forbidden {
			if strings.Contains(got, f) {
				t.Errorf("%s: Render(%q) = %q, must not contain %q", tt.name, tt.in, got, f)
			}
		}
	}
}

func TestExcerpt(t *testing.T) {
	body := "## Plast i havet\n\nElever i **Kalix** och Masaka <script>x()</script> samlade plast på stränderna hela våren."
	got := Excerpt(body, 40)
	if strings.ContainsAny(got, "<>*#") || !strings.HasSuffix(got, "…") || len([]rune(got)) > 41 {
		t.Errorf("Excerpt = %q", got)
	}
	if !strings.HasPrefix(got, "Plast i havet Elever i Kalix") {
		t.Errorf("Excerpt = %q, want the text from the start", got)
	}
	if got := Excerpt("Kort.", 40); got != "Kort." {
		t.Errorf("short excerpt = %q", got)
	}
}

func valid() *Story {
	return &Story{PartnershipID: 1, TitleSV: " Plast i Masaka ", BodySV: "Text\r\nmer", Goals: []int{14, 12, 14}}
}

func TestValidate(t *testing.T) {
	s := valid()
	s.Normalize()
	if s.TitleSV != "Plast i Masaka" || s.BodySV != "Text\nmer" || len(s.Goals) != 2 || s.Goals[0] != 12 || s.State != Draft {
		t.Fatalf("Normalize: %+v", s)
	}
	if errs := s.Validate(); len(errs) != 0 {
		t.Fatalf("valid story: %v", errs)
	}
	tests := []struct {
		name   string
		change func(*Story)
		field  string
		key    string
	}{
		{"no language", func(s *Story) { s.TitleSV, s.BodySV = "", "" }, "title_sv", ErrNoLanguage},
		{"title without body", func(s *Story) { s.TitleEN = "Plastic" }, "body_en", "error.required"},
		{"body without title", func(s *Story) { s.BodyEN = "Text" }, "title_en", "error.required"},
		{"goal 0", func(s *Story) { s.Goals = []int{0} }, "goals", "error.invalid_choice"},
		{"goal 18", func(s *Story) { s.Goals = []int{18} }, "goals", "error.invalid_choice"},
		{"long title", func(s *Story) { s.TitleSV = strings.Repeat("å", MaxTitle+1) }, "title_sv", "error.too_long"},
		{"image without alt", func(s *Story) { s.Image = &Image{Key: "k", ContentType: "image/png", Size: 10} }, "image_alt_sv", ErrAltMissing},
		{"image of a wrong type", func(s *Story) { s.Image = &Image{Key: "k", ContentType: "image/gif", Size: 10, AltSV: "x"} }, "image", ErrImageType},
		{"huge image", func(s *Story) {
			s.Image = &Image{Key: "k", ContentType: "image/png", Size: MaxImageSize + 1, AltSV: "x"}
		}, "image", ErrImageSize},
		{"no partnership", func(s *Story) { s.PartnershipID = 0 }, "partnership", "error.required"},
	}
	for _, tt := range tests {
		s := valid()
		tt.change(s)
		s.Normalize()
		if got := s.Validate()[tt.field]; got != tt.key {
			t.Errorf("%s: error on %s = %q, want %q (all: %v)", tt.name, tt.field, got, tt.key, s.Validate())
		}
	}
	// Alternative text is needed in the story's languages only.
	s = valid()
	s.Image = &Image{Key: "k", ContentType: "image/webp", Size: 10, AltSV: "Elever på stranden"}
	s.Normalize()
	if errs := s.Validate(); len(errs) != 0 {
		t.Errorf("Swedish story with Swedish alt: %v", errs)
	}
	s.TitleEN, s.BodyEN = "Plastic", "Text"
	if got := s.Validate()["image_alt_en"]; got != ErrAltMissing {
		t.Errorf("bilingual story without English alt: %q", got)
	}
}

func TestLanguages(t *testing.T) {
	s := &Story{TitleSV: "Plast", BodySV: "Text"}
	if s.TextLang("en") != "sv" || s.Title("en") != "Plast" || s.Has("en") {
		t.Errorf("Swedish-only story on an English page: %q %q", s.TextLang("en"), s.Title("en"))
	}
	s.TitleEN, s.BodyEN = "Plastic", "Text en"
	if s.TextLang("en") != "en" || s.Title("en") != "Plastic" || s.Body("sv") != "Text" {
		t.Errorf("bilingual story: %q %q", s.Title("en"), s.Body("sv"))
	}
	im := &Image{AltSV: "Strand", AltEN: ""}
	if im.Alt("en") != "Strand" || im.Alt("sv") != "Strand" {
		t.Errorf("Alt falls back: %q", im.Alt("en"))
	}
}

func TestApply(t *testing.T) {
	now := time.Date(2021, 6, 1, 10, 0, 0, 0, time.UTC)
	s := valid()
	s.Normalize()
	if err := s.Apply(Unpublish, 1, "A", "", now); !errors.Is(err, ErrTransition) {
		t.Errorf("unpublish a draft: %v", err)
	}
	if err := s.Apply(Publish, 1, "A", "", now); err != nil || s.State != Published || !s.PublishedAt.Equal(now) {
		t.Fatalf("publish: %v %s %v", err, s.State, s.PublishedAt)
	}
	if err := s.Apply(Unpublish, 1, "A", "", now); err != nil || s.State != Draft {
		t.Fatalf("unpublish: %v", err)
	}
	later := now.Add(time.Hour)
	if err := s.Apply(Publish, 1, "A", "", later); err != nil || !s.PublishedAt.Equal(now) {
		t.Fatalf("republish keeps the first date: %v %v", err, s.PublishedAt)
	}
	var verr validate.Errors
	if err := s.Apply(Hide, 2, "Officer", "  ", now); !errors.As(err, &verr) || verr["reason"] != "error.required" {
		t.Errorf("hide without a reason: %v", err)
	}
	if err := s.Apply(Hide, 2, "Officer", "Personuppgifter", later); err != nil || s.State != Hidden || s.Hiding.Reason != "Personuppgifter" || s.Hiding.From != Published {
		t.Fatalf("hide: %v %+v", err, s.Hiding)
	}
	if err := s.Apply(Publish, 1, "A", "", now); !errors.Is(err, ErrHidden) {
		t.Errorf("author republishes a hidden story: %v", err)
	}
	if err := s.Apply(Unpublish, 1, "A", "", now); !errors.Is(err, ErrHidden) {
		t.Errorf("author unpublishes a hidden story: %v", err)
	}
	if err := s.Apply(Unhide, 2, "Officer", "", now); err != nil || s.State != Published || s.Hiding != nil {
		t.Errorf("unhide gives back the state: %v %s", err, s.State)
	}
	if err := s.Apply(Unhide, 2, "Officer", "", now); !errors.Is(err, ErrTransition) {
		t.Errorf("unhide a visible story: %v", err)
	}
	// An invalid story cannot be published.
	bad := &Story{PartnershipID: 1, State: Draft}
	if err := bad.Apply(Publish, 1, "A", "", now); !errors.As(err, &verr) {
		t.Errorf("publish an empty story: %v", err)
	}
}
