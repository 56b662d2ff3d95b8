package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/letter"
	"github.com/icld/partnerskap/internal/material"
	"github.com/icld/partnerskap/internal/store"
)

// materialSpec is a demo item in the material bank and the file made for
// it. The files are generated here, in Go, the same bytes every time, so
// the demo ships no binary files and its records' sizes and checksums
// hold whenever the files are put in place (MaterialFiles).
type materialSpec struct {
	partnership string // by name
	item        material.Item
	key         string // the file store's key: fixed, so the bytes can be put in place later
	filename    string
	contentType string
	file        func() ([]byte, error)
	publish     bool
}

// made dates the demo's files (their PDF metadata), so they are the same
// bytes on every load.
var made = time.Date(2021, 11, 15, 9, 0, 0, 0, time.UTC)

// demoNoteSV and demoNoteEN end each demo item's description: the
// material is invented for the demo, though the partnerships are real.
const (
	demoNoteSV = "\nExemplet är gjort för demonstrationen; partnerskapet är verkligt men materialet är påhittat."
	demoNoteEN = "\nAn example made for the demonstration: the partnership is real but the material is invented."
)

func materialSpecs() []materialSpec {
	return []materialSpec{
		{
			partnership: "Kalix – Masaka", key: "demo-material-kalix-utstallning", publish: true,
			filename: "Utställningsskärmar – Plasten, havet och vi.pdf", contentType: "application/pdf",
			item: material.Item{Kind: material.Exhibition,
				TitleSV:       "Utställningsskärmar: Plasten, havet och vi",
				DescriptionSV: "Tre utställningsskärmar om vart plasten tar vägen, från Kalixälven till Victoriasjön, gjorda av elever i Kalix och Masaka. Skriv ut i A3 eller större och visa på bibliotek, i skolor och i kommunhuset." + demoNoteSV,
				TitleEN:       "Exhibition panels: Plastic, the sea and us",
				DescriptionEN: "Three exhibition panels on where plastic ends up, from the Kalix river to Lake Victoria, made by pupils in Kalix and Masaka. Print in A3 or larger and show them in libraries, schools and the town hall." + demoNoteEN,
				Languages:     []string{"sv", "en"}, Licence: "CC-BY-4.0", Author: "Kulturskolan i Kalix och elever i Masaka",
				TargetGroups: []string{"citizens", "pupils"}, Goals: []int{12, 14}},
			file: func() ([]byte, error) {
				return demoPDF("L", "Plasten, havet och vi", []pdfPage{
					{"Plasten, havet och vi", "Plastic, the sea and us", []string{
						"En utställning av elever i Kalix kommun och Masaka, Uganda.",
						"An exhibition by pupils in Kalix, Sweden, and Masaka, Uganda."}, [3]int{10, 151, 217}},
					{"Plast i Kalixälven", "Plastic in the Kalix river", []string{
						"Varje år hamnar plast från land i älven och vidare ut i Bottenviken.",
						"Eleverna räknade skräp längs stranden: två av tre fynd var plast.",
						"Vad kan vi göra? Sortera, återanvänd och välj bort engångsplast."}, [3]int{191, 139, 46}},
					{"Avfall i Masaka", "Waste in Masaka", []string{
						"I Masaka samlar ungdomar in plast och gör om den till byggmaterial.",
						"Partnerskapet delar kunskap om avfallshantering åt båda hållen.",
						"Globala målen 12 och 14: hållbar konsumtion och hav."}, [3]int{86, 192, 43}},
				})
			},
		},
		{
			partnership: "Kalix – Masaka", key: "demo-material-kalix-lektion", publish: true,
			filename: "Lektionsmaterial – Vart tar plasten vägen.pdf", contentType: "application/pdf",
			item: material.Item{Kind: material.LessonKit,
				TitleSV:       "Lektionsmaterial: Vart tar plasten vägen?",
				DescriptionSV: "Två lektioner för årskurs 4–6 om plast, avfall och hur unga i Kalix och Masaka arbetar med samma fråga. Med lärarhandledning och diskussionsfrågor." + demoNoteSV,
				Languages:     []string{"sv"}, Licence: "CC-BY-SA-4.0", Author: "Kalix kommun, Kulturskolan",
				TargetGroups: []string{"pupils"}, Goals: []int{4, 12}},
			file: func() ([]byte, error) {
				return demoPDF("P", "Vart tar plasten vägen?", []pdfPage{
					{"Vart tar plasten vägen?", "Lärarhandledning, årskurs 4–6", []string{
						"Syfte: eleverna ska förstå hur plast sprids i naturen och vad de själva kan göra.",
						"Lektion 1 (60 min): Plasten i vår vardag. Eleverna listar plast de använder under en dag.",
						"Lektion 2 (60 min): Samma fråga i Masaka. Film och brev från elever i Uganda.",
						"Diskussion: Vad är lika och vad skiljer sig mellan Kalix och Masaka?"}, [3]int{197, 25, 45}},
					{"Elevblad", "Mitt plastår", []string{
						"Räkna: hur många plastförpackningar slänger din familj på en vecka?",
						"Fundera: vilka av dem kunde ha undvikits?",
						"Skriv: ett brev till en elev i Masaka om vad du kom fram till."}, [3]int{191, 139, 46}},
				})
			},
		},
		{
			partnership: "Kalix – Masaka", key: "demo-material-kalix-press", publish: false,
			filename: "Pressmeddelande – Unga i Kalix och Masaka.pdf", contentType: "application/pdf",
			item: material.Item{Kind: material.PressText,
				TitleSV:       "Pressmeddelande: Unga i Kalix och Masaka visar vart plasten tar vägen",
				DescriptionSV: "Utkast till pressmeddelande inför utställningens öppning på Kalix bibliotek." + demoNoteSV,
				Languages:     []string{"sv"}, Licence: "CC-BY-4.0", Author: "Kalix kommun",
				TargetGroups: []string{"media"}, Goals: []int{12}},
			file: func() ([]byte, error) {
				return demoPDF("P", "Pressmeddelande", []pdfPage{
					{"Pressmeddelande", "Unga i Kalix och Masaka visar vart plasten tar vägen", []string{
						"Den 1 december öppnar utställningen Plasten, havet och vi på Kalix bibliotek.",
						"Bakom den står elever i Kalix och Masaka, Uganda, inom ett kommunalt partnerskap.",
						"Kontakt: Kalix kommun, kommunikationsenheten."}, [3]int{0, 70, 110}},
				})
			},
		},
		{
			partnership: "Region Östergötland – Uasin Gishu", key: "demo-material-ostergotland-strategi", publish: true,
			filename: "Kommunikationsplan – Jämlik cancervård.pdf", contentType: "application/pdf",
			item: material.Item{Kind: material.Strategy,
				TitleSV:       "Kommunikationsplan: Berätta om partnerskapet för jämlik cancervård",
				DescriptionSV: "Regionens plan för hur partnerskapet med Uasin Gishu County beskrivs för politiker, tjänstepersoner och invånare: mål, målgrupper, budskap, kanaler och uppföljning. Använd den som mall för er egen plan." + demoNoteSV,
				TitleEN:       "Communication plan: Telling the story of a partnership for equal cancer care",
				DescriptionEN: "The region's plan for describing its partnership with Uasin Gishu County to politicians, civil servants and residents: aims, target groups, messages, channels and follow-up. Use it as a template for your own plan." + demoNoteEN,
				Languages:     []string{"sv"}, Licence: "CC-BY-4.0", Author: "Region Östergötland",
				TargetGroups: []string{"politicians", "civil_servants"}, Goals: []int{3, 17}},
			file: func() ([]byte, error) {
				return demoPDF("P", "Kommunikationsplan", []pdfPage{
					{"Kommunikationsplan", "Partnerskapet Region Östergötland – Uasin Gishu", []string{
						"Mål: fler i regionen känner till partnerskapet och varför det gör skillnad för jämlik cancervård.",
						"Målgrupper: regionpolitiker, tjänstepersoner inom vården och invånare.",
						"Budskap: samverkan över gränser ger kunskap som kommer patienter i båda länderna till del.",
						"Kanaler: intranät, regionfullmäktige, lokalmedia och sociala medier.",
						"Uppföljning: enkät före och efter till samma personer."}, [3]int{76, 159, 56}},
				})
			},
		},
		{
			partnership: "Forshaga – Lundazi", key: "demo-material-forshaga-bild", publish: true,
			filename: "Klimatbild Forshaga Lundazi.png", contentType: "image/png",
			item: material.Item{Kind: material.Other,
				TitleSV:       "Bild för sociala medier: klimatarbetet i Forshaga och Lundazi",
				DescriptionSV: "En bild i det globala målet 13:s färg att använda i inlägg om partnerskapets klimatarbete." + demoNoteSV,
				TitleEN:       "Social media image: climate work in Forshaga and Lundazi",
				DescriptionEN: "An image in the colour of global goal 13 for posts about the partnership's climate work." + demoNoteEN,
				Languages:     []string{"sv", "en"}, Licence: "CC0-1.0", Author: "Forshaga kommun",
				TargetGroups: []string{"citizens"}, Goals: []int{13}},
			file: demoPNG,
		},
	}
}

// material publishes the demo's material, each item found by its
// partnership and Swedish title so a second load adds nothing. Kalix's
// items are its demo applicant's; the others are the demo's.
func (l *loader) material(ctx context.Context) error {
	by := actor
	if u, err := l.s.UserByEmail(ctx, "sokande@kalix.demo.partnerskap.se"); err == nil {
		by = audit.Actor{UserID: u.ID, Name: u.Name}
	}
	for _, spec := range materialSpecs() {
		p := l.partnerships[spec.partnership]
		if p == nil {
			return fmt.Errorf("material: no partnership %q", spec.partnership)
		}
		existing, _, err := l.s.MaterialList(ctx, material.Filter{PartnershipID: p.ID, Unpublished: true})
		if err != nil {
			return err
		}
		found := false
		for _, it := range existing {
			found = found || it.TitleSV == spec.item.TitleSV
		}
		if found {
			continue
		}
		data, err := spec.file()
		if err != nil {
			return fmt.Errorf("material %q: %w", spec.item.TitleSV, err)
		}
		sum := sha256.Sum256(data)
		it := spec.item
		it.PartnershipID = p.ID
		it.File = &material.File{Filename: spec.filename, ContentType: spec.contentType, Size: int64(len(data)),
			SHA256: hex.EncodeToString(sum[:]), StorageKey: spec.key}
		who := actor
		if spec.partnership == "Kalix – Masaka" {
			who = by
		}
		if err := l.s.CreateMaterial(ctx, who, &it); err != nil {
			return fmt.Errorf("material %q: %w", it.TitleSV, err)
		}
		if spec.publish {
			if _, err := l.s.ChangeMaterialState(ctx, who, it.ID, it.Version, material.Publish, ""); err != nil {
				return fmt.Errorf("publish material %q: %w", it.TitleSV, err)
			}
		}
	}
	return nil
}

// MaterialFiles puts the files of the demo's material into files, under
// the keys the demo's records name, where they are missing. Load records
// the material in the database, which is all it writes to; the server
// calls this with its file store (a folder on SQLite, the database on
// PostgreSQL) so the demo's downloads work. Calling it again does
// nothing.
func MaterialFiles(ctx context.Context, files Files) error {
	for _, spec := range materialSpecs() {
		rc, err := files.Open(ctx, spec.key)
		if err == nil {
			rc.Close()
			continue
		}
		data, err := spec.file()
		if err != nil {
			return fmt.Errorf("demo: material file %s: %w", spec.key, err)
		}
		if _, _, err := files.Put(ctx, spec.key, bytes.NewReader(data)); err != nil && !errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("demo: material file %s: %w", spec.key, err)
		}
	}
	return nil
}

// pdfPage is a page of a demo PDF: a heading, a subheading, lines of
// text and a colour band (RGB).
type pdfPage struct {
	heading, sub string
	lines        []string
	band         [3]int
}

// demoPDF makes a small PDF, orientation "L" or "P", the same bytes each
// time: dated made, its resources in order.
func demoPDF(orientation, title string, pages []pdfPage) ([]byte, error) {
	pdf := fpdf.New(orientation, "mm", "A4", "")
	family := letter.AddFonts(pdf)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(made)
	pdf.SetModificationDate(made)
	pdf.SetCompression(true)
	pdf.SetTitle(title, true)
	pdf.SetCreator("partnerskap demo", true)
	pdf.SetMargins(20, 20, 20)
	pdf.SetAutoPageBreak(true, 20)
	w, _ := pdf.GetPageSize()
	for _, pg := range pages {
		pdf.AddPage()
		pdf.SetFillColor(pg.band[0], pg.band[1], pg.band[2])
		pdf.Rect(0, 0, w, 38, "F")
		pdf.SetTextColor(255, 255, 255)
		pdf.SetFont(family, "B", 26)
		pdf.SetXY(20, 10)
		pdf.CellFormat(w-40, 12, pg.heading, "", 1, "L", false, 0, "")
		pdf.SetFont(family, "", 14)
		pdf.SetX(20)
		pdf.CellFormat(w-40, 9, pg.sub, "", 1, "L", false, 0, "")
		pdf.SetTextColor(26, 26, 26)
		pdf.SetFont(family, "", 13)
		pdf.SetY(52)
		for _, line := range pg.lines {
			pdf.SetX(20)
			pdf.MultiCell(w-40, 7, line, "", "L", false)
			pdf.Ln(3)
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// demoPNG makes a 600 × 600 image in goal 13's green with light bands,
// like a rising curve.
func demoPNG() ([]byte, error) {
	const size = 600
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	green := color.RGBA{63, 126, 68, 255}
	light := color.RGBA{255, 255, 255, 255}
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			c := green
			// Five bars rising left to right, on a white base line.
			bar := x / (size / 5)
			top := size - 100 - bar*80
			if x%(size/5) > 20 && y > top && y < size-60 {
				c = light
			}
			if y >= size-60 && y < size-52 {
				c = light
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
