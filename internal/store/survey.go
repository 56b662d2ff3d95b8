package store

import (
	"context"
	"encoding/json"
	"fmt"

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

const surveyColumns = `id, grant_id, token, questions, baseline_opens, baseline_closes, follow_up_opens, follow_up_closes, version, created_at, updated_at`

func scanSurvey(row scanner) (*survey.Survey, error) {
	var sv survey.Survey
	var questions string
	if err := row.Scan(&sv.ID, &sv.GrantID, &sv.Token, &questions, instant(&sv.Baseline.Opens), instant(&sv.Baseline.Closes), instant(&sv.FollowUp.Opens), instant(&sv.FollowUp.Closes),
		&sv.Version, instant(&sv.CreatedAt), instant(&sv.UpdatedAt)); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(questions), &sv.Questions); err != nil {
		return nil, fmt.Errorf("survey %d: questions: %w", sv.ID, err)
	}
	return &sv, nil
}

// CreateSurvey inserts the grant's survey.
func (s *DB) CreateSurvey(ctx context.Context, by audit.Actor, sv *survey.Survey) error {
	if err := sv.Check().Err(); err != nil {
		return err
	}
	questions, err := json.Marshal(sv.Questions)
	if err != nil {
		return err
	}
	err = s.tx(ctx, func(tx *conn) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM grants WHERE id = ?`, sv.GrantID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		if err := s.refuseClosedTx(ctx, tx, sv.GrantID); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM surveys WHERE grant_id = ?`, sv.GrantID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrConflict
		}
		now := s.now()
		err := tx.QueryRowContext(ctx, `INSERT INTO surveys (grant_id, token, questions, baseline_opens, baseline_closes, follow_up_opens, follow_up_closes, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`, sv.GrantID, sv.Token, string(questions),
			nullTime(sv.Baseline.Opens), nullTime(sv.Baseline.Closes), nullTime(sv.FollowUp.Opens), nullTime(sv.FollowUp.Closes), now, now).Scan(&sv.ID)
		if s.d.IsUnique(err, "surveys_grant_id_key") {
			// Another request created it after the check above.
			return ErrConflict
		}
		if err != nil {
			return err
		}
		sv.Version, sv.CreatedAt, sv.UpdatedAt = 1, now, now
		return s.writeAudit(ctx, tx, by, "create", "survey", sv.ID, nil, sv)
	})
	if err != nil {
		return fmt.Errorf("create survey of grant %d: %w", sv.GrantID, err)
	}
	return nil
}

// Survey returns the survey of a grant.
func (s *DB) Survey(ctx context.Context, grantID int64) (*survey.Survey, error) {
	sv, err := scanSurvey(s.r.QueryRowContext(ctx, `SELECT `+surveyColumns+` FROM surveys WHERE grant_id = ?`, grantID))
	if err != nil {
		return nil, fmt.Errorf("survey of grant %d: %w", grantID, notFound(err))
	}
	return sv, nil
}

// SurveyByToken returns the survey whose links carry token.
func (s *DB) SurveyByToken(ctx context.Context, token string) (*survey.Survey, error) {
	sv, err := scanSurvey(s.r.QueryRowContext(ctx, `SELECT `+surveyColumns+` FROM surveys WHERE token = ?`, token))
	if err != nil {
		return nil, fmt.Errorf("survey by token: %w", notFound(err))
	}
	return sv, nil
}

// UpdateSurvey saves the questions and windows at the stored version.
func (s *DB) UpdateSurvey(ctx context.Context, by audit.Actor, sv *survey.Survey) error {
	if err := sv.Check().Err(); err != nil {
		return err
	}
	questions, err := json.Marshal(sv.Questions)
	if err != nil {
		return err
	}
	err = s.tx(ctx, func(tx *conn) error {
		// The row lock orders this change after answers being added.
		old, err := scanSurvey(tx.QueryRowContext(ctx, `SELECT `+surveyColumns+` FROM surveys WHERE id = ?`+s.d.ForUpdate, sv.ID))
		if err != nil {
			return notFound(err)
		}
		if err := s.refuseClosedTx(ctx, tx, old.GrantID); err != nil {
			return err
		}
		if old.Version != sv.Version || old.GrantID != sv.GrantID {
			return ErrConflict
		}
		if err := survey.CheckChange(old.Questions, sv.Questions); err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE surveys SET questions = ?, baseline_opens = ?, baseline_closes = ?, follow_up_opens = ?, follow_up_closes = ?,
			version = version + 1, updated_at = ? WHERE id = ?`, string(questions),
			nullTime(sv.Baseline.Opens), nullTime(sv.Baseline.Closes), nullTime(sv.FollowUp.Opens), nullTime(sv.FollowUp.Closes), now, sv.ID); err != nil {
			return err
		}
		sv.Token, sv.CreatedAt = old.Token, old.CreatedAt
		sv.Version, sv.UpdatedAt = old.Version+1, now
		return s.writeAudit(ctx, tx, by, "update", "survey", sv.ID, old, sv)
	})
	if err != nil {
		return fmt.Errorf("update survey %d: %w", sv.ID, err)
	}
	return nil
}

// AddResponse records an anonymous answer while its phase is open and
// its grant is not closed (grant.ErrClosed). It shares the survey's row
// lock, so an answer and the grantee closing the phase are ordered: none
// lands after the close was committed.
func (s *DB) AddResponse(ctx context.Context, r *survey.Response) error {
	err := s.tx(ctx, func(tx *conn) error {
		sv, err := scanSurvey(tx.QueryRowContext(ctx, `SELECT `+surveyColumns+` FROM surveys WHERE grant_id = ?`+s.d.ForShare, r.GrantID))
		if err != nil {
			return notFound(err)
		}
		if err := s.refuseClosedTx(ctx, tx, sv.GrantID); err != nil {
			return err
		}
		now := s.now()
		if !sv.IsOpen(r.Phase, now) {
			return survey.ErrClosed
		}
		c, err := scanCall(tx.QueryRowContext(ctx, `SELECT `+callColumns+` FROM calls WHERE id = (SELECT call_id FROM grants WHERE id = ?)`, r.GrantID))
		if err != nil {
			return notFound(err)
		}
		if err := r.Check(sv.Questions, c.Config.Lists.TargetGroups).Err(); err != nil {
			return err
		}
		answers, err := json.Marshal(r.Answers)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO survey_responses (survey_id, phase, target_group, code, answers, at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			sv.ID, r.Phase, r.TargetGroup, r.Code, string(answers), now).Scan(&r.ID); err != nil {
			return err
		}
		r.At = now
		return nil
	})
	if err != nil {
		return fmt.Errorf("add survey response to grant %d: %w", r.GrantID, err)
	}
	return nil
}

// Responses returns the grant's responses, oldest first.
func (s *DB) Responses(ctx context.Context, grantID int64) ([]survey.Response, error) {
	out, err := queryAll(ctx, s.r, func(row scanner) (survey.Response, error) {
		var r survey.Response
		var answers string
		if err := row.Scan(&r.ID, &r.GrantID, &r.Phase, &r.TargetGroup, &r.Code, &answers, instant(&r.At)); err != nil {
			return r, err
		}
		if err := json.Unmarshal([]byte(answers), &r.Answers); err != nil {
			return r, fmt.Errorf("survey response %d: %w", r.ID, err)
		}
		return r, nil
	}, `SELECT r.id, s.grant_id, r.phase, r.target_group, r.code, r.answers, r.at
		FROM survey_responses r JOIN surveys s ON s.id = r.survey_id WHERE s.grant_id = ? ORDER BY r.id`, grantID)
	if err != nil {
		return nil, fmt.Errorf("survey responses of grant %d: %w", grantID, err)
	}
	return out, nil
}
