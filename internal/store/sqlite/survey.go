package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/survey"
)

const surveyColumns = `id, grant_id, token, questions, baseline_opens, baseline_closes, follow_up_opens, follow_up_closes, version, created_at, updated_at`

func scanSurvey(row scanner) (*survey.Survey, error) {
	var sv survey.Survey
	var questions, created, updated string
	var bo, bc, fo, fc sql.NullString
	if err := row.Scan(&sv.ID, &sv.GrantID, &sv.Token, &questions, &bo, &bc, &fo, &fc, &sv.Version, &created, &updated); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(questions), &sv.Questions); err != nil {
		return nil, fmt.Errorf("survey %d: questions: %w", sv.ID, err)
	}
	sv.Baseline = survey.Window{Opens: nullTS(bo), Closes: nullTS(bc)}
	sv.FollowUp = survey.Window{Opens: nullTS(fo), Closes: nullTS(fc)}
	sv.CreatedAt, sv.UpdatedAt = parseTS(created), parseTS(updated)
	return &sv, nil
}

func nullTS(s sql.NullString) time.Time {
	if !s.Valid {
		return time.Time{}
	}
	return parseTS(s.String)
}

// tsOrNull is the column value of an instant that may be unset.
func tsOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}

// CreateSurvey inserts the grant's survey.
func (s *Store) CreateSurvey(ctx context.Context, by audit.Actor, sv *survey.Survey) error {
	if err := sv.Check().Err(); err != nil {
		return err
	}
	questions, err := json.Marshal(sv.Questions)
	if err != nil {
		return err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM grants WHERE id = ?`, sv.GrantID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		if err := refuseClosedTx(ctx, tx, sv.GrantID); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM surveys WHERE grant_id = ?`, sv.GrantID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return store.ErrConflict
		}
		now := s.clock.Now()
		res, err := tx.ExecContext(ctx, `INSERT INTO surveys (grant_id, token, questions, baseline_opens, baseline_closes, follow_up_opens, follow_up_closes, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, sv.GrantID, sv.Token, string(questions),
			tsOrNull(sv.Baseline.Opens), tsOrNull(sv.Baseline.Closes), tsOrNull(sv.FollowUp.Opens), tsOrNull(sv.FollowUp.Closes), ts(now), ts(now))
		if err != nil {
			return err
		}
		sv.ID, _ = res.LastInsertId()
		sv.Version, sv.CreatedAt, sv.UpdatedAt = 1, now, now
		return s.writeAudit(ctx, tx, by, "create", "survey", sv.ID, nil, sv)
	})
	if err != nil {
		return fmt.Errorf("sqlite: create survey of grant %d: %w", sv.GrantID, err)
	}
	return nil
}

// Survey returns the survey of a grant.
func (s *Store) Survey(ctx context.Context, grantID int64) (*survey.Survey, error) {
	sv, err := scanSurvey(s.r.QueryRowContext(ctx, `SELECT `+surveyColumns+` FROM surveys WHERE grant_id = ?`, grantID))
	if err != nil {
		return nil, fmt.Errorf("sqlite: survey of grant %d: %w", grantID, notFound(err))
	}
	return sv, nil
}

// SurveyByToken returns the survey whose links carry token.
func (s *Store) SurveyByToken(ctx context.Context, token string) (*survey.Survey, error) {
	sv, err := scanSurvey(s.r.QueryRowContext(ctx, `SELECT `+surveyColumns+` FROM surveys WHERE token = ?`, token))
	if err != nil {
		return nil, fmt.Errorf("sqlite: survey by token: %w", notFound(err))
	}
	return sv, nil
}

// UpdateSurvey saves the questions and windows at the stored version.
func (s *Store) UpdateSurvey(ctx context.Context, by audit.Actor, sv *survey.Survey) error {
	if err := sv.Check().Err(); err != nil {
		return err
	}
	questions, err := json.Marshal(sv.Questions)
	if err != nil {
		return err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		old, err := scanSurvey(tx.QueryRowContext(ctx, `SELECT `+surveyColumns+` FROM surveys WHERE id = ?`, sv.ID))
		if err != nil {
			return notFound(err)
		}
		if err := refuseClosedTx(ctx, tx, old.GrantID); err != nil {
			return err
		}
		if old.Version != sv.Version || old.GrantID != sv.GrantID {
			return store.ErrConflict
		}
		if err := survey.CheckChange(old.Questions, sv.Questions); err != nil {
			return err
		}
		now := s.clock.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE surveys SET questions = ?, baseline_opens = ?, baseline_closes = ?, follow_up_opens = ?, follow_up_closes = ?,
			version = version + 1, updated_at = ? WHERE id = ?`, string(questions),
			tsOrNull(sv.Baseline.Opens), tsOrNull(sv.Baseline.Closes), tsOrNull(sv.FollowUp.Opens), tsOrNull(sv.FollowUp.Closes), ts(now), sv.ID); err != nil {
			return err
		}
		sv.Token, sv.CreatedAt = old.Token, old.CreatedAt
		sv.Version, sv.UpdatedAt = old.Version+1, now
		return s.writeAudit(ctx, tx, by, "update", "survey", sv.ID, old, sv)
	})
	if err != nil {
		return fmt.Errorf("sqlite: update survey %d: %w", sv.ID, err)
	}
	return nil
}

// AddResponse records an anonymous answer while its phase is open and
// its grant is not closed (grant.ErrClosed).
func (s *Store) AddResponse(ctx context.Context, r *survey.Response) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		sv, err := scanSurvey(tx.QueryRowContext(ctx, `SELECT `+surveyColumns+` FROM surveys WHERE grant_id = ?`, r.GrantID))
		if err != nil {
			return notFound(err)
		}
		if err := refuseClosedTx(ctx, tx, sv.GrantID); err != nil {
			return err
		}
		now := s.clock.Now()
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
		res, err := tx.ExecContext(ctx, `INSERT INTO survey_responses (survey_id, phase, target_group, code, answers, at) VALUES (?, ?, ?, ?, ?, ?)`,
			sv.ID, r.Phase, r.TargetGroup, r.Code, string(answers), ts(now))
		if err != nil {
			return err
		}
		r.ID, _ = res.LastInsertId()
		r.At = now
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: add survey response to grant %d: %w", r.GrantID, err)
	}
	return nil
}

// Responses returns the grant's responses, oldest first.
func (s *Store) Responses(ctx context.Context, grantID int64) ([]survey.Response, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT r.id, s.grant_id, r.phase, r.target_group, r.code, r.answers, r.at
		FROM survey_responses r JOIN surveys s ON s.id = r.survey_id WHERE s.grant_id = ? ORDER BY r.id`, grantID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: survey responses of grant %d: %w", grantID, err)
	}
	defer rows.Close()
	var out []survey.Response
	for rows.Next() {
		var r survey.Response
		var answers, at string
		if err := rows.Scan(&r.ID, &r.GrantID, &r.Phase, &r.TargetGroup, &r.Code, &answers, &at); err != nil {
			return nil, fmt.Errorf("sqlite: survey responses of grant %d: %w", grantID, err)
		}
		if err := json.Unmarshal([]byte(answers), &r.Answers); err != nil {
			return nil, fmt.Errorf("sqlite: survey response %d: %w", r.ID, err)
		}
		r.At = parseTS(at)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: survey responses of grant %d: %w", grantID, err)
	}
	return out, nil
}
