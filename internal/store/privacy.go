package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/privacy"
	"github.com/icld/partnerskap/internal/user"
)

// Privacy exports and erases what is held about a person (GDPR) and
// removes the personal data of rejected and withdrawn applications once
// they have been kept long enough. docs/PRIVACY.md says what goes and
// what stays.
type Privacy interface {
	// PersonData is everything held about the person with id, for an
	// administrator to hand over (right of access): their account without
	// the password hash, roles, sessions, invitations, what they wrote or
	// decided, audit entries by or about them and mail to them.
	PersonData(ctx context.Context, id int64) (*PersonData, error)
	// ErasePerson erases the person with id, in one transaction, by an
	// active administrator (ErrConflict otherwise, or when the person is
	// already erased): their sessions, tokens, second factor, roles,
	// invitations and mail go; their account is pseudonymised
	// (privacy.ErasedName, privacy.ErasedEmail) and deactivated; their
	// name and e-mail address are replaced wherever they stand in the
	// records; the personal part of the audit entries holding their data
	// is blanked, and one audit.ActionErase entry lists those entries.
	// The public record (decisions, amounts, organisations, registration
	// numbers) stays. privacy.CheckErase's errors refuse the last active
	// administrator and oneself.
	ErasePerson(ctx context.Context, by audit.Actor, id int64) error
	// ApplyRetention removes the personal data of rejected and withdrawn
	// applications whose rejection or withdrawal is older than
	// r.Cutoff(now) and not yet removed: the answers to the fields the
	// call's form marks personal and the attachments. It returns the
	// applications it cleaned and the storage keys of the removed files,
	// for the caller to delete from the file store. Runs on several
	// instances at once clean each application once (row locks skipped
	// by the other, or the single writer); one audit entry per run that
	// found something lists the applications.
	ApplyRetention(ctx context.Context, now time.Time, r privacy.Retention) (ids []int64, fileKeys []string, err error)
}

// PersonData is what PersonData returns: every part a list of rows as
// column → value, so the export shows what is stored as it is stored.
type PersonData struct {
	User          map[string]any   `json:"user"`
	Roles         []map[string]any `json:"roles"`
	SecondFactor  []map[string]any `json:"second_factor"`
	Sessions      []map[string]any `json:"sessions"`
	Invitations   []map[string]any `json:"invitations"`
	Applications  []map[string]any `json:"applications"`
	Named         []map[string]any `json:"applications_naming_them"`
	CaseEvents    []map[string]any `json:"application_events"`
	Attachments   []map[string]any `json:"attachments"`
	Assignments   []map[string]any `json:"review_assignments"`
	Reviews       []map[string]any `json:"reviews"`
	Decisions     []map[string]any `json:"decisions"`
	Stories       []map[string]any `json:"stories"`
	Materials     []map[string]any `json:"materials"`
	Activities    []map[string]any `json:"activities"`
	ReviewerCalls []map[string]any `json:"reviewer_of_calls"`
	Audit         []map[string]any `json:"audit_log"`
	Mail          []map[string]any `json:"mail"`
}

// rowMaps runs q and returns each row as column → value, text as text.
func rowMaps(ctx context.Context, db querier, q string, args ...any) ([]map[string]any, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	out := []map[string]any{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		m := make(map[string]any, len(cols))
		for i, c := range cols {
			if b, ok := vals[i].([]byte); ok {
				vals[i] = string(b)
			}
			m[c] = vals[i]
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// PersonData gathers everything held about the person with id.
func (s *DB) PersonData(ctx context.Context, id int64) (*PersonData, error) {
	u, err := s.User(ctx, id)
	if err != nil {
		return nil, err
	}
	sub := privacy.Subject{ID: id, Name: u.Name, Email: u.Email}
	var d PersonData
	users, err := rowMaps(ctx, s.r, `SELECT id, email, name, lang, disabled, last_login_at, created_at, updated_at FROM users WHERE id = ?`, id)
	if err != nil || len(users) == 0 {
		return nil, fmt.Errorf("person data %d: %w", id, err)
	}
	d.User = users[0]
	parts := []struct {
		into *[]map[string]any
		q    string
	}{
		{&d.Roles, `SELECT kind, organisation_id, programme_id FROM user_roles WHERE user_id = ? ORDER BY position`},
		{&d.SecondFactor, `SELECT enrolled_at FROM second_factors WHERE user_id = ?`},
		{&d.Sessions, `SELECT created_at, expires_at, user_agent, client_address FROM sessions WHERE user_id = ? ORDER BY created_at`},
		{&d.Applications, `SELECT id, call_id, partnership_id, organisation_id, state, CAST(answers AS TEXT) AS answers, requested, created_at, submitted_at, reg_number FROM applications WHERE created_by = ? ORDER BY id`},
		{&d.CaseEvents, `SELECT application_id, at, actor_name, from_state, to_state, event, note FROM application_changes WHERE actor_id = ? ORDER BY id`},
		{&d.Attachments, `SELECT id, application_id, field_key, filename, content_type, size, created_at FROM attachments WHERE uploaded_by = ? ORDER BY id`},
		{&d.Assignments, `SELECT application_id, assigned_at, declared, conflict, conflict_note, declared_at FROM review_assignments WHERE reviewer_id = ? ORDER BY application_id`},
		{&d.Reviews, `SELECT application_id, CAST(scores AS TEXT) AS scores, CAST(comments AS TEXT) AS comments, recommendation, comment, submitted_at, updated_at FROM reviews WHERE reviewer_id = ? ORDER BY application_id`},
		{&d.Decisions, `SELECT application_id, outcome, amount, decider_name, decided_at, reg_number FROM decisions WHERE decided_by = ? ORDER BY application_id`},
		{&d.Stories, `SELECT id, partnership_id, title_sv, title_en, state, author_name, created_at FROM stories WHERE author_id = ? ORDER BY id`},
		{&d.Materials, `SELECT id, partnership_id, title_sv, title_en, author, created_at FROM materials WHERE created_by = ? ORDER BY id`},
		{&d.Activities, `SELECT id, grant_id, held_on, title, target_group, channel FROM activities WHERE created_by = ? ORDER BY id`},
		{&d.ReviewerCalls, `SELECT call_id, added_at FROM call_reviewers WHERE user_id = ? ORDER BY call_id`},
	}
	for _, p := range parts {
		if *p.into, err = rowMaps(ctx, s.r, p.q, id); err != nil {
			return nil, fmt.Errorf("person data %d: %w", id, err)
		}
	}
	email := strings.ToLower(u.Email)
	if d.Invitations, err = rowMaps(ctx, s.r, `SELECT id, email, name, organisation_id, programme_id, call_id, role, created_at, expires_at, accepted_at FROM invites WHERE lower(email) = ? ORDER BY id`, email); err != nil {
		return nil, fmt.Errorf("person data %d: %w", id, err)
	}
	if d.Mail, err = rowMaps(ctx, s.r, `SELECT recipient, subject, body, created_at, sent_at FROM outbox WHERE lower(recipient) = ? ORDER BY id`, email); err != nil {
		return nil, fmt.Errorf("person data %d: %w", id, err)
	}
	// Applications that name them (a contact person, say) without being
	// theirs.
	all, err := rowMaps(ctx, s.r, `SELECT id, organisation_id, state, reg_number, CAST(answers AS TEXT) AS answers FROM applications
		WHERE created_by IS NULL OR created_by <> ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("person data %d: %w", id, err)
	}
	d.Named = []map[string]any{}
	for _, a := range all {
		if text, _ := a["answers"].(string); sub.Mentions(text) {
			d.Named = append(d.Named, a)
		}
	}
	entries, err := s.auditOf(ctx, s.r, sub)
	if err != nil {
		return nil, fmt.Errorf("person data %d: %w", id, err)
	}
	d.Audit = []map[string]any{}
	for _, e := range entries {
		d.Audit = append(d.Audit, map[string]any{"id": e.id, "at": e.at, "actor_id": e.actorID, "actor_name": e.actorName,
			"action": e.action, "entity": e.entity, "entity_id": e.entityID, "before": e.before, "after": e.after})
	}
	return &d, nil
}

// personalAudit is an audit entry holding a person's data.
type personalAudit struct {
	id, actorID, entityID     int64
	at                        time.Time
	actorName, action, entity string
	before, after             string
}

// auditOf returns the audit entries holding sub's data: those they made,
// those about their account, and those whose snapshots name them.
func (s *DB) auditOf(ctx context.Context, db querier, sub privacy.Subject) ([]personalAudit, error) {
	all, err := queryAll(ctx, db, func(row scanner) (personalAudit, error) {
		var e personalAudit
		err := row.Scan(&e.id, instant(&e.at), &e.actorID, &e.actorName, &e.action, &e.entity, &e.entityID, &e.before, &e.after)
		return e, err
	}, `SELECT id, at, COALESCE(actor_id, 0), actor_name, action, entity, entity_id, CAST(before AS TEXT), CAST(after AS TEXT) FROM audit_log ORDER BY id`)
	if err != nil {
		return nil, err
	}
	var out []personalAudit
	for _, e := range all {
		if e.actorID == sub.ID || e.entity == "user" && e.entityID == sub.ID ||
			sub.Mentions(e.actorName) || sub.Mentions(e.before) || sub.Mentions(e.after) {
			out = append(out, e)
		}
	}
	return out, nil
}

// nameColumns are the columns that keep a person's name beside their id,
// as it was when they acted: set to the erased name by id, whatever the
// name was then.
var nameColumns = []struct{ table, name, by string }{
	{"application_changes", "actor_name", "actor_id"},
	{"decisions", "decider_name", "decided_by"},
	{"grant_acceptances", "accepter_name", "accepted_by"},
	{"change_requests", "requester_name", "requested_by"},
	{"change_requests", "decider_name", "decided_by"},
	{"reports", "approver_name", "approved_by"},
	{"grant_closures", "closer_name", "closed_by"},
	{"stories", "author_name", "author_id"},
	{"stories", "hidden_by_name", "hidden_by"},
}

// textColumns are the free-text columns where a person's name or address
// may stand (typed by anyone), with the key that picks out a row: each is
// searched, and the name and address replaced (privacy.Subject.Scrub).
var textColumns = []struct {
	table string
	key   []string
	cols  []string
}{
	{"applications", []string{"id"}, []string{"answers"}},
	{"application_snapshots", []string{"application_id", "number"}, []string{"answers"}},
	{"application_changes", []string{"id"}, []string{"actor_name", "note"}},
	{"review_assignments", []string{"application_id", "reviewer_id"}, []string{"conflict_note"}},
	{"reviews", []string{"application_id", "reviewer_id"}, []string{"comments", "comment"}},
	{"decisions", []string{"application_id"}, []string{"decider_name", "reason", "conditions"}},
	{"registry", []string{"id"}, []string{"title", "reason"}},
	{"attachments", []string{"id"}, []string{"filename"}},
	{"invites", []string{"id"}, []string{"email", "name"}},
	{"outbox", []string{"id"}, []string{"recipient", "subject", "body", "last_error"}},
	{"ledger_entries", []string{"id"}, []string{"note"}},
	{"grant_acceptances", []string{"grant_id"}, []string{"accepter_name"}},
	{"change_requests", []string{"id"}, []string{"reason", "requester_name", "decider_name", "note"}},
	{"activities", []string{"id"}, []string{"title", "evidence_url", "evidence_filename"}},
	{"survey_responses", []string{"id"}, []string{"answers"}},
	{"reports", []string{"id"}, []string{"done", "results", "lessons", "note", "approver_name"}},
	{"grant_closures", []string{"grant_id"}, []string{"closer_name"}},
	{"stories", []string{"id"}, []string{"title_sv", "body_sv", "title_en", "body_en", "image_alt_sv", "image_alt_en", "hidden_by_name", "hidden_reason", "author_name"}},
	{"materials", []string{"id"}, []string{"title_sv", "title_en", "description_sv", "description_en", "search", "author", "file_name", "removed_reason"}},
}

// ErasePerson erases the person with id (see Privacy).
func (s *DB) ErasePerson(ctx context.Context, by audit.Actor, id int64) error {
	err := s.tx(ctx, func(tx *conn) error {
		if err := s.stillAdministrator(ctx, tx, by); err != nil {
			return err
		}
		u, err := s.readUser(ctx, tx, "id = ?"+s.d.ForUpdate, id)
		if err != nil {
			return err
		}
		if privacy.IsErased(u.Email) {
			return ErrConflict
		}
		var admins int
		if err := tx.QueryRowContext(ctx, `SELECT count(DISTINCT u.id) FROM users u JOIN user_roles r ON r.user_id = u.id
			WHERE r.kind = 'admin' AND NOT u.disabled`).Scan(&admins); err != nil {
			return err
		}
		if err := privacy.CheckErase(by.UserID, id, u.Has(user.Administrator) && !u.Disabled, admins); err != nil {
			return err
		}
		sub := privacy.Subject{ID: id, Name: u.Name, Email: u.Email}
		emails := []string{strings.ToLower(u.Email)}
		pending, err := queryAll(ctx, tx, func(row scanner) (string, error) {
			var e string
			return e, row.Scan(&e)
		}, `SELECT email FROM account_tokens WHERE user_id = ? AND email <> ''`, id)
		if err != nil {
			return err
		}
		for _, e := range pending {
			emails = append(emails, strings.ToLower(e))
		}

		// The audit entries first, while they still read as they were.
		entries, err := s.auditOf(ctx, tx, sub)
		if err != nil {
			return err
		}
		blanked := []int64{}
		for _, e := range entries {
			// Only the personal part: the chain's own columns stay.
			if _, err := tx.ExecContext(ctx, `UPDATE audit_log SET actor_name = ?, before = ?, after = ? WHERE id = ?`,
				audit.Blank, audit.Blank, audit.Blank, e.id); err != nil {
				return err
			}
			blanked = append(blanked, e.id)
		}

		// What exists only for the person goes.
		for _, q := range []string{
			`DELETE FROM sessions WHERE user_id = ?`,
			`DELETE FROM account_tokens WHERE user_id = ?`,
			`DELETE FROM recovery_codes WHERE user_id = ?`,
			`DELETE FROM second_factors WHERE user_id = ?`,
			`DELETE FROM user_roles WHERE user_id = ?`,
			`DELETE FROM call_reviewers WHERE user_id = ?`,
		} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return err
			}
		}
		for _, e := range emails {
			if _, err := tx.ExecContext(ctx, `DELETE FROM invites WHERE lower(email) = ?`, e); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE lower(recipient) = ?`, e); err != nil {
				return err
			}
		}

		// The account stays, so the case files keep pointing at someone.
		if _, err := tx.ExecContext(ctx, `UPDATE users SET name = ?, email = ?, password_hash = '', disabled = ?, demo_account = ?,
			last_login_at = NULL, version = version + 1, updated_at = ? WHERE id = ?`,
			privacy.ErasedName(id), privacy.ErasedEmail(id), true, false, s.now(), id); err != nil {
			return err
		}
		for _, c := range nameColumns {
			if _, err := tx.ExecContext(ctx, `UPDATE `+c.table+` SET `+c.name+` = ? WHERE `+c.by+` = ?`, privacy.ErasedName(id), id); err != nil {
				return fmt.Errorf("%s.%s: %w", c.table, c.name, err)
			}
		}
		for _, t := range textColumns {
			if err := scrubTable(ctx, tx, sub, t.table, t.key, t.cols); err != nil {
				return fmt.Errorf("%s: %w", t.table, err)
			}
		}
		// The action is audit.ActionErase, written as a literal so the
		// audit labels' test can read it (storetest's ErasePerson checks
		// that the two agree).
		return s.writeAudit(ctx, tx, by, "erase", "user", id, nil, audit.Erasure{Blanked: blanked})
	})
	if err != nil {
		return fmt.Errorf("erase user %d: %w", id, err)
	}
	return nil
}

// scrubTable replaces sub's name and address in cols of every row of
// table that holds them. The rows are read first and written after, so
// no statement runs while a result is open on the transaction.
func scrubTable(ctx context.Context, tx *conn, sub privacy.Subject, table string, key, cols []string) error {
	sel := make([]string, 0, len(key)+len(cols))
	sel = append(sel, key...)
	for _, c := range cols {
		sel = append(sel, `COALESCE(CAST(`+c+` AS TEXT), '')`)
	}
	type change struct {
		key  []any
		vals []string
	}
	var changes []change
	err := eachRow(ctx, tx, func(row scanner) error {
		keys := make([]any, len(key))
		vals := make([]string, len(cols))
		dest := make([]any, 0, len(sel))
		for i := range keys {
			dest = append(dest, &keys[i])
		}
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		if err := row.Scan(dest...); err != nil {
			return err
		}
		any := false
		for i, v := range vals {
			if nv, ok := sub.Scrub(v); ok {
				vals[i], any = nv, true
			}
		}
		if any {
			changes = append(changes, change{keys, vals})
		}
		return nil
	}, `SELECT `+strings.Join(sel, ", ")+` FROM `+table)
	if err != nil {
		return err
	}
	set := make([]string, len(cols))
	for i, c := range cols {
		set[i] = c + ` = ?`
	}
	where := make([]string, len(key))
	for i, k := range key {
		where[i] = k + ` = ?`
	}
	q := `UPDATE ` + table + ` SET ` + strings.Join(set, ", ") + ` WHERE ` + strings.Join(where, " AND ")
	for _, c := range changes {
		args := make([]any, 0, len(cols)+len(key))
		for _, v := range c.vals {
			args = append(args, v)
		}
		args = append(args, c.key...)
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}

// ApplyRetention removes the personal data of rejected and withdrawn
// applications kept past r (see Privacy). One transaction: on PostgreSQL
// the applications it takes are row-locked and those another run holds
// are skipped, and each one is taken only while its personal data is
// still there, so concurrent runs never clean one twice.
func (s *DB) ApplyRetention(ctx context.Context, now time.Time, r privacy.Retention) ([]int64, []string, error) {
	var ids []int64
	var keys []string
	err := s.tx(ctx, func(tx *conn) error {
		ids, keys = nil, nil
		states := privacy.RetainedStates
		found, err := queryIDs(ctx, tx, `SELECT a.id FROM applications a
			WHERE a.state IN (?, ?) AND a.personal_removed_at IS NULL
			AND (SELECT max(c.at) FROM application_changes c WHERE c.application_id = a.id AND c.to_state = a.state) < ?
			ORDER BY a.id`+s.d.ForUpdate+s.d.SkipLocked, states[0], states[1], s.cut(r.Cutoff(now)))
		if err != nil {
			return err
		}
		forms := map[int64]*call.Config{}
		for _, id := range found {
			var callID int64
			if err := tx.QueryRowContext(ctx, `SELECT call_id FROM applications WHERE id = ?`, id).Scan(&callID); err != nil {
				return err
			}
			cfg, ok := forms[callID]
			if !ok {
				c, err := scanCall(tx.QueryRowContext(ctx, `SELECT `+callColumns+` FROM calls WHERE id = ?`, callID))
				if err != nil {
					return err
				}
				cfg = &c.Config
				forms[callID] = cfg
			}
			if err := stripAnswers(ctx, tx, &cfg.Form, `SELECT id, answers FROM applications WHERE id = ?`,
				`UPDATE applications SET answers = ? WHERE id = ?`, id); err != nil {
				return err
			}
			if err := stripAnswers(ctx, tx, &cfg.Form, `SELECT number, answers FROM application_snapshots WHERE application_id = ?`,
				`UPDATE application_snapshots SET answers = ? WHERE number = ? AND application_id = ?`, id); err != nil {
				return err
			}
			k, err := queryAll(ctx, tx, func(row scanner) (string, error) {
				var k string
				return k, row.Scan(&k)
			}, `SELECT storage_key FROM attachments WHERE application_id = ? ORDER BY id`, id)
			if err != nil {
				return err
			}
			keys = append(keys, k...)
			if _, err := tx.ExecContext(ctx, `DELETE FROM attachments WHERE application_id = ?`, id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE applications SET personal_removed_at = ? WHERE id = ?`, s.now(), id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		if len(ids) == 0 {
			return nil
		}
		return s.writeAudit(ctx, tx, audit.System("retention"), "retention", "application", 0, nil,
			map[string]any{"applications": ids, "files": len(keys), "retention_days": r.Days})
	})
	if err != nil {
		return nil, nil, fmt.Errorf("apply retention: %w", err)
	}
	return ids, keys, nil
}

// stripAnswers applies privacy.StripAnswers to the answers sel reads
// (a key and the answers, for the application id), writing changed ones
// back with upd (answers, key, then id when upd has three placeholders).
func stripAnswers(ctx context.Context, tx *conn, f *form.Form, sel, upd string, id int64) error {
	type row struct {
		key     int64
		answers form.Answers
	}
	rows, err := queryAll(ctx, tx, func(sc scanner) (row, error) {
		var r row
		var text string
		if err := sc.Scan(&r.key, &text); err != nil {
			return r, err
		}
		return r, json.Unmarshal([]byte(text), &r.answers)
	}, sel, id)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if !privacy.StripAnswers(f, &r.answers) {
			continue
		}
		text, err := jsonText(r.answers)
		if err != nil {
			return err
		}
		args := []any{text, r.key}
		if strings.Count(upd, "?") == 3 {
			args = append(args, id)
		}
		if _, err := tx.ExecContext(ctx, upd, args...); err != nil {
			return err
		}
	}
	return nil
}

// TableText returns the text of every row of every table (the search
// index and the audit log included), table by table, each row as one
// string: what a check that an erasure left nothing behind searches. It
// lists the tables from the database itself, so a table added later is
// searched too.
func (s *DB) TableText(ctx context.Context) (map[string][]string, error) {
	list := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if s.d.Name == "postgres" {
		list = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	tables, err := queryAll(ctx, s.r, func(row scanner) (string, error) {
		var n string
		return n, row.Scan(&n)
	}, list)
	if err != nil {
		return nil, fmt.Errorf("table text: %w", err)
	}
	out := map[string][]string{}
	for _, t := range tables {
		rows, err := rowMaps(ctx, s.r, `SELECT * FROM `+t)
		if err != nil {
			return nil, fmt.Errorf("table text %s: %w", t, err)
		}
		for _, r := range rows {
			var b strings.Builder
			for k, v := range r {
				fmt.Fprintf(&b, "%s=%v\x1f", k, v)
			}
			out[t] = append(out[t], b.String())
		}
	}
	return out, nil
}
