package call

import (
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/validate"
)

// ErrClosed is returned for a first submission after the call closed (a
// resubmission after a completion request may come later).
var ErrClosed = validate.NewField("call", "error.application.call_closed")

// Submit applies, in order, the rules of submitting application a to c at
// now: the state allows it under the call's steps (else
// application.ErrTransition), a first submission comes while the call is
// open (else ErrClosed), and the answers are complete (form.Check). It
// returns the state the submission leads to.
func (c *Call) Submit(a *application.Application, now time.Time) (application.State, error) {
	next, err := application.Next(a.State, application.Submit, c.Config.Steps)
	if err != nil {
		return a.State, err
	}
	if a.State == application.Draft && c.Status(now) != Open {
		return a.State, ErrClosed
	}
	if err := form.Check(&c.Config.Form, c.Config.Lists, &a.Answers).Err(); err != nil {
		return a.State, err
	}
	return next, nil
}
