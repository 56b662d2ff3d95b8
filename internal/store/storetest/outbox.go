package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/store"
)

func mailIDs(ms []mail.Message) []int64 {
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	return ids
}

func claim(t *testing.T, s store.Store, now time.Time, lease time.Duration, limit int) []int64 {
	t.Helper()
	ms, err := s.ClaimMail(ctx(), now, lease, limit)
	must(t, err)
	return mailIDs(ms)
}

func wantClaim(t *testing.T, s store.Store, now time.Time, lease time.Duration, limit int, want ...int64) {
	t.Helper()
	if got := claim(t, s, now, lease, limit); !slices.Equal(got, want) {
		t.Fatalf("claim at %s: %v, want %v", now.Sub(Start), got, want)
	}
}

func mailByID(t *testing.T, s store.Store, id int64) mail.Message {
	t.Helper()
	ms, err := s.MailList(ctx(), 100)
	must(t, err)
	for _, m := range ms {
		if m.ID == id {
			return m
		}
	}
	t.Fatalf("mail %d not listed", id)
	return mail.Message{}
}

// testOutbox follows messages through claims, lease expiry, failure and
// retry, sending, and giving up.
func testOutbox(t *testing.T, s store.Store, _ *clock.Fixed) {
	msgs := []mail.Message{
		{To: "åsa.öberg@kalix.se", Subject: "Ansökan mottagen – Kalix, Åre, Älvsbyn, Örebro", Body: "Hej Åsa!\n\nVi har tagit emot er ansökan.\nMed vänlig hälsning\nICLD"},
		{To: "b@arvika.se", Subject: "Två", Body: "två"},
		{To: "c@arvika.se", Subject: "Tre", Body: "tre"},
	}
	must(t, s.QueueMail(ctx(), msgs))
	a, b, c := msgs[0].ID, msgs[1].ID, msgs[2].ID
	if a == 0 || !(a < b && b < c) {
		t.Fatalf("IDs after QueueMail: %d, %d, %d", a, b, c)
	}
	list, err := s.MailList(ctx(), 10)
	must(t, err)
	if got := mailIDs(list); !slices.Equal(got, []int64{c, b, a}) {
		t.Fatalf("MailList: %v, want newest first %v", got, []int64{c, b, a})
	}
	first := list[2]
	if first.To != msgs[0].To || first.Subject != msgs[0].Subject || first.Body != msgs[0].Body {
		t.Errorf("round-trip: %+v", first)
	}
	if !first.CreatedAt.Equal(Start) || !first.NextTry.Equal(Start) || first.CreatedAt.Location() != time.UTC ||
		first.Attempts != 0 || !first.SentAt.IsZero() || first.LastError != "" || first.GaveUp() {
		t.Errorf("queued: %+v", first)
	}
	if list, err := s.MailList(ctx(), 2); err != nil || len(list) != 2 {
		t.Errorf("MailList(2): %d, %v", len(list), err)
	}

	// Not yet due a second before it was queued; then claimed in order,
	// each once while its lease runs.
	wantClaim(t, s, Start.Add(-time.Second), time.Minute, 10)
	got, err := s.ClaimMail(ctx(), Start, time.Minute, 2)
	must(t, err)
	if !slices.Equal(mailIDs(got), []int64{a, b}) || got[0].Attempts != 1 || got[0].Subject != msgs[0].Subject {
		t.Fatalf("first claim: %+v", got)
	}
	wantClaim(t, s, Start, time.Minute, 10, c)
	wantClaim(t, s, Start.Add(59*time.Second), time.Minute, 10)

	// The leases run out: claimed again, a second attempt each.
	got, err = s.ClaimMail(ctx(), Start.Add(time.Minute), time.Minute, 10)
	must(t, err)
	if !slices.Equal(mailIDs(got), []int64{a, b, c}) || got[0].Attempts != 2 {
		t.Fatalf("after the lease: %+v", got)
	}

	// a fails and is due again in 30 seconds; b is sent; c is given up.
	now := Start.Add(time.Minute + 5*time.Second)
	must(t, s.MarkMailFailed(ctx(), a, "451 4.3.0 försök senare", now.Add(30*time.Second)))
	must(t, s.MarkMailSent(ctx(), b, now))
	must(t, s.MarkMailFailed(ctx(), c, "550 5.1.1 ingen sådan användare", time.Time{}))

	wantClaim(t, s, now.Add(29*time.Second), time.Minute, 10) // a not yet due, though its claim was ended
	wantClaim(t, s, now.Add(30*time.Second), time.Minute, 10, a)
	if m := mailByID(t, s, a); m.Attempts != 3 || m.LastError != "451 4.3.0 försök senare" || !m.SentAt.IsZero() || m.GaveUp() {
		t.Errorf("a after failing: %+v", m)
	}
	if m := mailByID(t, s, b); !m.SentAt.Equal(now) || m.Attempts != 2 || m.GaveUp() {
		t.Errorf("b after sending: %+v", m)
	}
	if m := mailByID(t, s, c); !m.GaveUp() || m.LastError != "550 5.1.1 ingen sådan användare" || !m.NextTry.IsZero() {
		t.Errorf("c after giving up: %+v", m)
	}
	// Years later, neither the sent nor the given-up message is due.
	wantClaim(t, s, Start.AddDate(50, 0, 0), time.Minute, 10, a)
	wantClaim(t, s, Start.AddDate(100, 0, 0), time.Minute, 10, a)

	// A late failure report for a message sent meanwhile (by another
	// worker, after this one's lease ran out) changes nothing.
	must(t, s.MarkMailFailed(ctx(), b, "timeout", now.Add(time.Hour)))
	if m := mailByID(t, s, b); !m.SentAt.Equal(now) || m.LastError != "" {
		t.Errorf("b after a late failure: %+v", m)
	}
	// A second "sent" keeps the first time.
	must(t, s.MarkMailSent(ctx(), b, now.Add(time.Hour)))
	if m := mailByID(t, s, b); !m.SentAt.Equal(now) {
		t.Errorf("b sent at %v after a second mark, want %v", m.SentAt, now)
	}

	for what, err := range map[string]error{
		"sent":   s.MarkMailSent(ctx(), 999, now),
		"failed": s.MarkMailFailed(ctx(), 999, "x", now),
	} {
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("mark unknown mail %s: %v, want ErrNotFound", what, err)
		}
	}
}

// testOutboxConcurrentClaims has eight claimers take 50 messages a few at
// a time, at once: between them they get each message exactly once (on
// PostgreSQL by FOR UPDATE SKIP LOCKED, on SQLite by its write lock).
func testOutboxConcurrentClaims(t *testing.T, s store.Store, _ *clock.Fixed) {
	const n = 50
	msgs := make([]mail.Message, n)
	for i := range msgs {
		msgs[i] = mail.Message{To: fmt.Sprintf("m%d@kalix.se", i), Subject: "Påminnelse", Body: "Glöm inte rapporten."}
	}
	must(t, s.QueueMail(ctx(), msgs))
	var (
		mu      sync.Mutex
		claimed = map[int64]int{}
		wg      sync.WaitGroup
		errs    = make(chan error, 8)
	)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				ms, err := s.ClaimMail(ctx(), Start, time.Hour, 3)
				if err != nil {
					errs <- err
					return
				}
				if len(ms) == 0 {
					return
				}
				mu.Lock()
				for _, m := range ms {
					claimed[m.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(claimed) != n {
		t.Errorf("%d messages claimed, want %d", len(claimed), n)
	}
	for id, times := range claimed {
		if times != 1 {
			t.Errorf("message %d claimed %d times", id, times)
		}
	}
}
