package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/story"
)

// The demo's stories: one published story for each of the pilot's six
// grantees, and one in English by the Masaka partner. The partnerships are
// real; the stories are illustrative, written to fit each partnership's
// theme (NoteSV/NoteEN say so). Some are in Swedish only, some in both
// languages, so both ways of showing a story on the English pages can be
// seen. The Kalix story has an image, drawn here (image/png) rather than
// shipped as a binary, with alternative text in both languages.

// StoryImageKey is the file store key of the demo story's image. PutFiles
// writes its bytes.
const StoryImageKey = "demo-story-kalix-masaka-beach"

type storySpec struct {
	partnership string // the partnership's name
	author      string // a demo account's e-mail; "" for the grantee's name
	s           story.Story
	image       bool
}

func storySpecs() []storySpec {
	return []storySpec{
		{partnership: "Kalix – Masaka", author: "sokande@kalix.demo.partnerskap.se", image: true, s: story.Story{
			TitleSV: "Eleverna som städade två stränder",
			BodySV: "En vecka i maj samlade elever i Kalix och i Masaka plast på var sin strand – och jämförde sedan vad de hittat i ett gemensamt videosamtal.\n\n" +
				"## Vad de hittade\n\n- I Kalix mest förpackningar och snus\n- I Masaka mest plastpåsar och flaskor\n\n" +
				"Eleverna presenterade resultaten för kommunfullmäktige. Läs mer om avfallsarbetet på [Kalix kommuns webbplats](https://www.kalix.se/).",
			TitleEN: "The pupils who cleaned two beaches",
			BodyEN: "One week in May, pupils in Kalix and in Masaka collected plastic on a beach each – and then compared what they had found on a joint video call.\n\n" +
				"## What they found\n\n- In Kalix mostly packaging and snus\n- In Masaka mostly plastic bags and bottles\n\n" +
				"The pupils presented the results to the municipal council.",
			Goals: []int{4, 12, 14},
			Image: &story.Image{AltSV: "Elever med sopsäckar på en sandstrand, blått hav i bakgrunden",
				AltEN: "Pupils with rubbish sacks on a sandy beach, blue sea in the background"},
		}},
		{partnership: "Kalix – Masaka", author: "partner@masaka.demo.partnerskap.se", s: story.Story{
			TitleEN: "Masaka's new sorting station",
			BodyEN: "Masaka District opened its first station for sorting plastic at the main market. " +
				"Traders and councillors visited Kalix's recycling centre last year and brought the idea home.\n\n" +
				"*Written by our partner in Masaka.*",
			Goals: []int{11, 12},
		}},
		{partnership: "Arvika – Uasin Gishu", s: story.Story{
			TitleSV: "Vattnet är en demokratifråga",
			BodySV: "Vem får vatten först när det är ont om det? I Uasin Gishu och i Arvika har invånare fått säga sitt om hur vattnet ska fördelas.\n\n" +
				"Under våren höll kommunen öppna möten där politiker och tjänstepersoner berättade om partnerskapet och svarade på frågor.",
			Goals: []int{6, 16},
		}},
		{partnership: "Forshaga – Lundazi", s: story.Story{
			TitleSV: "Hela Forshaga räknar utsläpp",
			BodySV: "Skolor, föreningar och företag i Forshaga har räknat på sina utsläpp – precis som kollegorna i Lundazi.\n\n" +
				"Resultaten visades på en utställning i biblioteket, som över tusen besökare såg.",
			TitleEN: "All of Forshaga counts its emissions",
			BodyEN: "Schools, clubs and companies in Forshaga calculated their emissions – just like their colleagues in Lundazi.\n\n" +
				"The results were shown in an exhibition at the library, seen by more than a thousand visitors.",
			Goals: []int{13},
		}},
		{partnership: "Lund – Francistown", s: story.Story{
			TitleSV: "Mänskliga rättigheter börjar i kommunen",
			BodySV: "Hur arbetar en kommun med mänskliga rättigheter i vardagen? Lund och Francistown har jämfört sina arbetssätt, " +
				"och i höstas samtalade politiker från båda städerna inför publik i Lund.",
			Goals: []int{5, 10, 16},
		}},
		{partnership: "Region Östergötland – Uasin Gishu", s: story.Story{
			TitleSV: "Jämlik cancervård på två kontinenter",
			BodySV: "Region Östergötland och Uasin Gishu delar erfarenheter av hur cancervården kan nå alla, oavsett var man bor.\n\n" +
				"Regionen har berättat om samarbetet för politiker och personal i en serie lunchseminarier.",
			TitleEN: "Equal cancer care on two continents",
			BodyEN: "Region Östergötland and Uasin Gishu share experience of how cancer care can reach everyone, wherever they live.\n\n" +
				"The region has told politicians and staff about the cooperation in a series of lunchtime seminars.",
			Goals: []int{3},
		}},
		{partnership: "Växjö – JB Marks", s: story.Story{
			TitleSV: "Solenergi på schemat",
			BodySV: "Växjö och JB Marks planerar sin energi med Agenda 2030 som karta. " +
				"Gymnasieelever i Växjö har fått följa arbetet och ställa frågor till energiplanerarna i Sydafrika.",
			Goals: []int{7, 11},
		}},
	}
}

// stories creates and publishes each demo story that is missing, found by
// its partnership and title, so a load finished after an interruption
// adds none twice.
func (l *loader) stories(ctx context.Context) error {
	for _, spec := range storySpecs() {
		p := l.partnerships[spec.partnership]
		if p == nil {
			return fmt.Errorf("story for unknown partnership %q", spec.partnership)
		}
		by := actor
		if spec.author != "" {
			if u, err := l.s.UserByEmail(ctx, spec.author); err == nil {
				by = audit.Actor{UserID: u.ID, Name: u.Name}
			}
		} else if len(p.Swedish) > 0 {
			by = audit.Actor{Name: p.Swedish[0].Name + " (demo)"}
		}
		existing, err := l.s.StoryList(ctx, story.Filter{PartnershipID: p.ID})
		if err != nil {
			return err
		}
		var st *story.Story
		for _, e := range existing {
			if e.TitleSV == spec.s.TitleSV && e.TitleEN == spec.s.TitleEN {
				st = e
			}
		}
		if st == nil {
			s := spec.s
			s.PartnershipID = p.ID
			if spec.image {
				data := StoryImage()
				im := *s.Image
				im.Key, im.ContentType, im.Size = StoryImageKey, "image/png", int64(len(data))
				s.Image = &im
			}
			if err := l.s.CreateStory(ctx, by, &s); err != nil {
				return fmt.Errorf("story %q: %w", s.Title("sv"), err)
			}
			st = &s
		}
		if st.State == story.Draft {
			if _, err := l.s.ChangeStoryState(ctx, by, st.ID, 0, story.Publish, ""); err != nil {
				return fmt.Errorf("publish story %q: %w", st.Title("sv"), err)
			}
		}
	}
	return nil
}

// StoryImage draws the demo story's picture: a beach under a blue sky,
// with bits of coloured plastic on the sand. It is the same every time.
func StoryImage() []byte {
	const w, h = 640, 360
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	sky, sea, sand := color.RGBA{0x9f, 0xd3, 0xf0, 0xff}, color.RGBA{0x1f, 0x6f, 0xa8, 0xff}, color.RGBA{0xe8, 0xd3, 0xa2, 0xff}
	for y := range h {
		for x := range w {
			c := sky
			switch {
			case y > 150+x/40:
				c = sand
			case y > 110:
				c = sea
			}
			img.Set(x, y, c)
		}
	}
	// Plastic on the sand, in the goals' colours, placed by a fixed rule.
	pieces := []color.RGBA{{0xe5, 0x24, 0x3b, 0xff}, {0xfd, 0x69, 0x25, 0xff}, {0x4c, 0x9f, 0x38, 0xff}, {0xfc, 0xc3, 0x0b, 0xff}, {0x0a, 0x97, 0xd9, 0xff}}
	for i := range 40 {
		cx, cy := 20+(i*97)%600, 200+(i*53)%140
		for y := cy; y < cy+8 && y < h; y++ {
			for x := cx; x < cx+14 && x < w; x++ {
				img.Set(x, y, pieces[i%len(pieces)])
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err) // encoding into memory does not fail
	}
	return buf.Bytes()
}

// Files is where PutFiles writes: the web file store.
type Files interface {
	Put(ctx context.Context, key string, r io.Reader) (size int64, sha256hex string, err error)
	Open(ctx context.Context, key string) (io.ReadCloser, error)
}

// PutFiles writes the demo's files (the story image) into the file store
// when they are missing: the store (Load) holds what describes them, the
// file store their bytes. Call it after Load, with the file store the web
// server uses; calling it again writes nothing.
func PutFiles(ctx context.Context, files Files) error {
	if rc, err := files.Open(ctx, StoryImageKey); err == nil {
		return rc.Close() // there already
	}
	if _, _, err := files.Put(ctx, StoryImageKey, bytes.NewReader(StoryImage())); err != nil && !errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("demo: story image: %w", err)
	}
	return nil
}
