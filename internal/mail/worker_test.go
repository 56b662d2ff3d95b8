package mail_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/store/sqlite"
	"github.com/icld/partnerskap/internal/store/storetest"
)

var start = time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)

func openSQLite(t *testing.T, clk clock.Clock) store.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newWorker(t *testing.T, s store.Store, srv *server, clk clock.Clock) *mail.Worker {
	t.Helper()
	sender, err := mail.NewSMTP(mail.Config{Host: "127.0.0.1", Port: srv.port, From: "ICLD <partnership@icld.se>", Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return &mail.Worker{Outbox: s, Sender: sender, Clock: clk, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

func pass(t *testing.T, w *mail.Worker) mail.Result {
	t.Helper()
	res, err := w.Pass(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func wantPass(t *testing.T, w *mail.Worker, want mail.Result) {
	t.Helper()
	if got := pass(t, w); got != want {
		t.Fatalf("pass: %+v, want %+v", got, want)
	}
}

func list(t *testing.T, s store.Store) map[int64]mail.Message {
	t.Helper()
	ms, err := s.MailList(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]mail.Message{}
	for _, m := range ms {
		out[m.ID] = m
	}
	return out
}

// TestRetriedThenDeliveredOnce: mail queued while the server refuses is
// tried again after 30 seconds, then a minute, and each message arrives
// exactly once, with its Swedish letters intact.
func TestRetriedThenDeliveredOnce(t *testing.T) {
	clk := clock.NewFixed(start)
	s := openSQLite(t, clk)
	srv := newServer(t)
	w := newWorker(t, s, srv, clk)
	msgs := []mail.Message{
		{To: "asa.oberg@kalix.se", Subject: "Ansökan mottagen – Kalix kommun, Åre, Älvsbyn och Örebro",
			Body: "Hej Åsa Öberg!\n\nVi har tagit emot er ansökan \"Avfall & plast\" (ÅÄÖ åäö é).\nEn rad som är mycket lång och fortsätter förbi sjuttiosex tecken så att quoted-printable måste bryta den.\n\nMed vänlig hälsning\nICLD\n"},
		{To: "b@arvika.se", Subject: "Påminnelse: rapporten", Body: "Glöm inte slutrapporten.\n"},
		{To: "c@gotland.se", Subject: "Beslut", Body: "Bifall.\n"},
	}
	if err := s.QueueMail(context.Background(), msgs); err != nil {
		t.Fatal(err)
	}

	// The server refuses sessions: one attempt is made, for all three.
	srv.set(func(s *server) { s.down = true })
	wantPass(t, w, mail.Result{Claimed: 3, Failed: 3})
	if n := srv.connections(); n != 1 {
		t.Errorf("%d connections, want 1 for the whole batch", n)
	}
	for _, m := range list(t, s) {
		if m.Attempts != 1 || !m.NextTry.Equal(start.Add(30*time.Second)) || !strings.Contains(m.LastError, "451") || !m.SentAt.IsZero() {
			t.Errorf("after a refused session: %+v", m)
		}
	}
	clk.Set(start.Add(29 * time.Second))
	wantPass(t, w, mail.Result{})

	// The server is back but refuses the next message once.
	srv.set(func(s *server) { s.down, s.refuseData = false, 1 })
	clk.Set(start.Add(30 * time.Second))
	wantPass(t, w, mail.Result{Claimed: 3, Sent: 2, Failed: 1})
	first := list(t, s)[msgs[0].ID]
	if first.Attempts != 2 || !first.NextTry.Equal(start.Add(90*time.Second)) || !strings.Contains(first.LastError, "451") {
		t.Errorf("after a refused message: %+v", first)
	}
	clk.Set(start.Add(89 * time.Second))
	wantPass(t, w, mail.Result{})
	clk.Set(start.Add(90 * time.Second))
	wantPass(t, w, mail.Result{Claimed: 1, Sent: 1})
	clk.Set(start.Add(48 * time.Hour))
	wantPass(t, w, mail.Result{})

	got := srv.messages()
	if len(got) != 3 {
		t.Fatalf("%d distinct messages received, want 3", len(got))
	}
	stored := list(t, s)
	for _, m := range msgs {
		rs := got["<"+mail.MessageID(m, "icld.se")+">"]
		if len(rs) != 1 {
			t.Errorf("message %d received %d times", m.ID, len(rs))
			continue
		}
		r := rs[0]
		subject, body := decoded(t, r)
		if subject != m.Subject || body != m.Body {
			t.Errorf("message %d arrived as\n%q\n%q", m.ID, subject, body)
		}
		if len(r.To) != 1 || r.To[0] != m.To || r.Msg.Header.Get("To") != "<"+m.To+">" {
			t.Errorf("message %d to %v / %q", m.ID, r.To, r.Msg.Header.Get("To"))
		}
		if from := r.Msg.Header.Get("From"); from != `"ICLD" <partnership@icld.se>` {
			t.Errorf("From %q", from)
		}
		if r.Msg.Header.Get("Auto-Submitted") != "auto-generated" {
			t.Error("no Auto-Submitted header")
		}
		if date, err := r.Msg.Header.Date(); err != nil || !date.Equal(start) {
			t.Errorf("Date %v, %v; want the time it was queued", date, err)
		}
		if bytes := r.Raw; strings.ContainsFunc(string(bytes), func(c rune) bool { return c > 127 }) {
			t.Errorf("message %d is not 7-bit: quoted-printable expected", m.ID)
		}
		if sm := stored[m.ID]; sm.SentAt.IsZero() || sm.GaveUp() {
			t.Errorf("message %d not recorded as sent: %+v", m.ID, sm)
		}
	}
	if sent := stored[msgs[0].ID].SentAt; !sent.Equal(start.Add(90 * time.Second)) {
		t.Errorf("first message sent at %v", sent)
	}
}

// TestGivesUp: a recipient the server refuses for good is given up at
// once; a message the server keeps refusing for a while is given up after
// MaxAttempts. Both keep the server's answer for an officer to read.
func TestGivesUp(t *testing.T) {
	clk := clock.NewFixed(start)
	s := openSQLite(t, clk)
	srv := newServer(t)
	w := newWorker(t, s, srv, clk)
	w.MaxAttempts = 3
	msgs := []mail.Message{{To: "nobody@kalix.se", Subject: "Hej", Body: "x"}, {To: "asa@kalix.se", Subject: "Hej", Body: "y"}}
	if err := s.QueueMail(context.Background(), msgs); err != nil {
		t.Fatal(err)
	}
	srv.set(func(s *server) { s.reject["nobody@kalix.se"], s.refuseData = true, 1000 })

	wantPass(t, w, mail.Result{Claimed: 2, Failed: 2, GaveUp: 1})
	nobody := list(t, s)[msgs[0].ID]
	if !nobody.GaveUp() || nobody.Attempts != 1 || !strings.Contains(nobody.LastError, "550") {
		t.Errorf("rejected recipient: %+v", nobody)
	}
	at := start
	for attempt := 2; attempt <= 3; attempt++ {
		at = at.Add(mail.Backoff(attempt - 1))
		clk.Set(at)
		want := mail.Result{Claimed: 1, Failed: 1}
		if attempt == 3 {
			want.GaveUp = 1
		}
		wantPass(t, w, want)
	}
	asa := list(t, s)[msgs[1].ID]
	if !asa.GaveUp() || asa.Attempts != 3 || !strings.Contains(asa.LastError, "451") {
		t.Errorf("after 3 attempts: %+v", asa)
	}
	clk.Set(start.AddDate(1, 0, 0))
	wantPass(t, w, mail.Result{})
	if n := srv.count(); n != 0 {
		t.Errorf("%d messages received", n)
	}
}

func TestBackoff(t *testing.T) {
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute,
		16 * time.Minute, 32 * time.Minute, time.Hour, time.Hour, time.Hour}
	for i, w := range want {
		if got := mail.Backoff(i + 1); got != w {
			t.Errorf("Backoff(%d) = %v, want %v", i+1, got, w)
		}
	}
	if got := mail.Backoff(1000); got != time.Hour {
		t.Errorf("Backoff(1000) = %v", got)
	}
}

// TestTwoWorkersNeverSendTwice runs two workers, each with its own
// connections, over one outbox of 50 messages at once: every message is
// delivered exactly once.
func TestTwoWorkersNeverSendTwice(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		clk := clock.NewFixed(start)
		testTwoWorkers(t, openSQLite(t, clk), clk)
	})
	t.Run("postgres", func(t *testing.T) {
		clk := clock.NewFixed(start)
		testTwoWorkers(t, storetest.OpenPostgres(t, clk), clk)
	})
}

func testTwoWorkers(t *testing.T, s store.Store, clk *clock.Fixed) {
	const n = 50
	msgs := make([]mail.Message, n)
	for i := range msgs {
		msgs[i] = mail.Message{To: fmt.Sprintf("m%d@kalix.se", i), Subject: fmt.Sprintf("Påminnelse %d", i), Body: "Glöm inte rapporten.\n"}
	}
	if err := s.QueueMail(context.Background(), msgs); err != nil {
		t.Fatal(err)
	}
	srv := newServer(t)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range 2 {
		w := newWorker(t, s, srv, clk)
		w.Batch = 3
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				res, err := w.Pass(context.Background())
				if err != nil || res.Claimed == 0 {
					errs[i] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got := srv.messages()
	total := 0
	for _, m := range msgs {
		rs := got["<"+mail.MessageID(m, "icld.se")+">"]
		if len(rs) != 1 {
			t.Errorf("message %d delivered %d times", m.ID, len(rs))
		}
		total += len(rs)
	}
	if total != n || srv.count() != n {
		t.Errorf("%d deliveries (%d received), want %d", total, srv.count(), n)
	}
	for id, m := range list(t, s) {
		if m.SentAt.IsZero() || m.Attempts != 1 {
			t.Errorf("message %d: %+v", id, m)
		}
	}
}

// TestShutdownFinishesMessageInFlight stops the worker while the server is
// taking a message: that message is finished and recorded as sent, and the
// rest of the batch is handed back, due at once, for the next start.
func TestShutdownFinishesMessageInFlight(t *testing.T) {
	clk := clock.NewFixed(start)
	s := openSQLite(t, clk)
	srv := newServer(t)
	w := newWorker(t, s, srv, clk)
	msgs := []mail.Message{{To: "a@kalix.se", Subject: "Ett", Body: "1"}, {To: "b@kalix.se", Subject: "Två", Body: "2"}, {To: "c@kalix.se", Subject: "Tre", Body: "3"}}
	if err := s.QueueMail(context.Background(), msgs); err != nil {
		t.Fatal(err)
	}
	started, cont := make(chan struct{}), make(chan struct{})
	srv.set(func(s *server) { s.dataStarted, s.dataContinue = started, cont })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		w.Run(ctx)
		close(done)
	}()
	<-started // the first message is being sent
	cancel()
	close(cont)
	<-done

	stored := list(t, s)
	if m := stored[msgs[0].ID]; m.SentAt.IsZero() {
		t.Errorf("message in flight not recorded as sent: %+v", m)
	}
	if srv.count() != 1 {
		t.Errorf("%d messages received, want 1", srv.count())
	}
	for _, m := range msgs[1:] {
		if m := stored[m.ID]; !m.SentAt.IsZero() || !m.NextTry.Equal(start) {
			t.Errorf("message not handed back: %+v", m)
		}
	}
	// Handed back: claimable at once, without waiting for the lease.
	srv.set(func(s *server) { s.dataStarted = nil })
	wantPass(t, w, mail.Result{Claimed: 2, Sent: 2})
}

// TestSlowServerLeaseHandedBack: a message is started only while the
// claim leaves time to send it. When a slow server has used up the lease,
// the rest of the batch is handed back, due at once, rather than sent
// while another worker may claim it.
func TestSlowServerLeaseHandedBack(t *testing.T) {
	clk := clock.NewFixed(start)
	s := openSQLite(t, clk)
	srv := newServer(t)
	w := newWorker(t, s, srv, clk)
	w.Lease = 3 * time.Minute // sending must start within the first minute
	msgs := []mail.Message{{To: "a@kalix.se", Subject: "Ett", Body: "1"}, {To: "b@kalix.se", Subject: "Två", Body: "2"}, {To: "c@kalix.se", Subject: "Tre", Body: "3"}}
	if err := s.QueueMail(context.Background(), msgs); err != nil {
		t.Fatal(err)
	}
	// The first message takes the server a minute and a second.
	srv.set(func(s *server) { s.onData = func() { clk.Set(clk.Now().Add(61 * time.Second)) } })
	wantPass(t, w, mail.Result{Claimed: 3, Sent: 1})
	for _, m := range msgs[1:] {
		if m := list(t, s)[m.ID]; !m.SentAt.IsZero() || !m.NextTry.Equal(start.Add(61*time.Second)) {
			t.Errorf("not handed back: %+v", m)
		}
	}
	srv.set(func(s *server) { s.onData = nil })
	wantPass(t, w, mail.Result{Claimed: 2, Sent: 2})
	if n := srv.count(); n != 3 {
		t.Errorf("%d received, want 3", n)
	}
}

func TestNewSMTP(t *testing.T) {
	for _, tt := range []struct {
		cfg mail.Config
		ok  bool
	}{
		{mail.Config{Host: "smtp.icld.se", From: "partnership@icld.se"}, true},
		{mail.Config{Host: "smtp.icld.se", Port: 465, From: "ICLD <partnership@icld.se>", TLS: mail.TLSAuto}, true},
		{mail.Config{Host: "smtp.icld.se", From: "partnership@icld.se", TLS: mail.TLSMandatory, Username: "u", Password: "p"}, true},
		{mail.Config{Host: "smtp.icld.se", From: "partnership@icld.se", TLS: "sometimes"}, false},
		{mail.Config{Host: "smtp.icld.se", From: "not an address"}, false},
		{mail.Config{From: "partnership@icld.se"}, false},
	} {
		if _, err := mail.NewSMTP(tt.cfg); (err == nil) != tt.ok {
			t.Errorf("NewSMTP(%+v): %v", tt.cfg, err)
		}
	}
}
