// Package mail sends e-mail notifications. Messages are written to an
// outbox in the same transaction as the event that causes them, and a
// worker delivers them over SMTP with retries, so a message is neither lost
// when the SMTP server is down nor sent twice.
package mail

import "time"

// Message is one e-mail, already rendered in the recipient's language.
type Message struct {
	ID        int64
	To        string
	Subject   string
	Body      string // plain text
	CreatedAt time.Time
	Attempts  int
	NextTry   time.Time
	SentAt    time.Time
	LastError string
}

// GaveUp reports whether the worker has given up on a stored message: it
// was never sent and will not be tried again (LastError says why).
func (m Message) GaveUp() bool {
	return m.ID != 0 && m.SentAt.IsZero() && m.NextTry.IsZero()
}
