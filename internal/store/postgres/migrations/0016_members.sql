-- Who adds whom (issue 9). One invitation mechanism for everyone:
-- an organisation's colleagues (applicant, partner) as before, and now
-- staff invited by an administrator (officer with an optional programme,
-- reviewer, administrator) and reviewers invited by an officer to one
-- call. A staff invitation names no organisation; the name typed by the
-- sender is offered to the invitee; an invitation can be withdrawn.
ALTER TABLE invites ALTER COLUMN organisation_id DROP NOT NULL;
ALTER TABLE invites DROP CONSTRAINT invites_role_check;
ALTER TABLE invites ADD CONSTRAINT invites_role_check CHECK (role IN ('applicant', 'partner', 'admin', 'officer', 'reviewer'));
ALTER TABLE invites ADD CONSTRAINT invites_organisation_check CHECK ((role IN ('applicant', 'partner')) = (organisation_id IS NOT NULL));
ALTER TABLE invites ADD COLUMN programme_id BIGINT REFERENCES programmes (id);
ALTER TABLE invites ADD COLUMN call_id BIGINT REFERENCES calls (id);
ALTER TABLE invites ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE invites ADD COLUMN withdrawn_at TIMESTAMPTZ;
CREATE INDEX invites_sender ON invites (invited_by, created_at);

-- Whether an organisation's own people may invite and remove colleagues
-- (administrators set it; on by default).
ALTER TABLE organisations ADD COLUMN members_manage BOOLEAN NOT NULL DEFAULT TRUE;

-- The reviewers of a call: officers choose among them when they assign
-- an application. Reviewers already assigned in a call become its
-- reviewers.
CREATE TABLE call_reviewers (
    call_id  BIGINT      NOT NULL REFERENCES calls (id),
    user_id  BIGINT      NOT NULL REFERENCES users (id),
    added_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (call_id, user_id)
);
CREATE INDEX call_reviewers_user ON call_reviewers (user_id);
INSERT INTO call_reviewers (call_id, user_id, added_at)
    SELECT a.call_id, ra.reviewer_id, MIN(ra.assigned_at)
    FROM review_assignments ra JOIN applications a ON a.id = ra.application_id
    GROUP BY a.call_id, ra.reviewer_id;
