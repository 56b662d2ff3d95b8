package store

import (
	"context"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/survey"
)

// Surveys stores each grant's baseline and follow-up survey and its
// anonymous responses.
type Surveys interface {
	// CreateSurvey checks sv (survey.Survey.Check) and inserts it,
	// setting its ID; a grant has one survey (a second is ErrConflict).
	CreateSurvey(ctx context.Context, by audit.Actor, sv *survey.Survey) error
	// Survey returns the survey of a grant.
	Survey(ctx context.Context, grantID int64) (*survey.Survey, error)
	// SurveyByToken returns the survey whose answer links carry token.
	SurveyByToken(ctx context.Context, token string) (*survey.Survey, error)
	// UpdateSurvey saves the questions and phase windows if sv.Version is
	// the stored version (else ErrConflict). Questions are only added or
	// reworded (survey.CheckChange), so answers given keep their meaning.
	UpdateSurvey(ctx context.Context, by audit.Actor, sv *survey.Survey) error
	// AddResponse records an anonymous answer to the survey of
	// r.GrantID, setting its ID and At. It takes no actor and writes no
	// audit entry: nobody is named. It is refused with survey.ErrClosed
	// when r.Phase is not open at the store's clock, and with field errors
	// when r fails survey.Response.Check against the survey's questions
	// and the call's target groups.
	AddResponse(ctx context.Context, r *survey.Response) error
	// Responses returns the grant's responses, oldest first.
	Responses(ctx context.Context, grantID int64) ([]survey.Response, error)
}
