package user

import (
	"errors"
	"slices"
	"time"

	"github.com/icld/partnerskap/internal/validate"
)

// Who may be invited, and how an invitation is accepted.
//
// The link in an invitation proves only that its holder reads the invited
// address's mail. That is enough to create an account for an address that
// has none, but never to sign in to an account that exists: the owner of an
// existing account signs in as themselves first (with the account's
// password, and its second factor once there is one) and then accepts, and
// the invitation adds the role to that account.
//
// There are two sorts of invitation, kept apart both ways. An
// organisation's invitation (applicant or partner, sent by a colleague)
// never reaches a staff account (administrator, officer, reviewer): an
// applicant could otherwise make an officer read their organisation's
// applications as an applicant. A staff invitation (sent by an
// administrator, or by an officer for a call's reviewers) never reaches an
// account that speaks for an organisation: an officer could otherwise turn
// an applicant into a reviewer of the applications they compete with. An
// administrator who means to give one person both gives the roles on the
// people page.

// InvitesPerHour is how many invitations one user may send in an hour.
// A municipality invites a handful of colleagues; twenty in an hour leaves
// room for a new team and keeps the invitation form from being used to
// mail strangers. The hour slides (InviteWindow), and the invitations are
// counted in the database, so the limit holds across restarts and across
// instances sharing one database.
const InvitesPerHour = 20

// InviteWindow is the time over which InvitesPerHour is counted.
const InviteWindow = time.Hour

var (
	// ErrInviteStaff refuses an organisation's invitation to a staff
	// account, when it is sent (a field error on "email") and again when
	// it is accepted (the address may have become staff since).
	ErrInviteStaff = validate.NewField("email", "error.invite.staff")
	// ErrInviteMember refuses a staff invitation to an account that holds
	// an applicant or partner role, when it is sent (a field error on
	// "email") and again when it is accepted.
	ErrInviteMember = validate.NewField("email", "error.invite.member")
	// ErrTooManyInvites refuses an invitation from a sender who has sent
	// InvitesPerHour in the last InviteWindow (a field error on "email").
	ErrTooManyInvites = validate.NewField("email", "error.invite.too_many")

	// ErrInviteSignIn refuses to accept an invitation to an existing
	// account without being signed in as it.
	ErrInviteSignIn = errors.New("user: the invited address has an account: sign in as it to accept")
	// ErrInviteWrongAccount refuses to accept an invitation to an existing
	// account while signed in as another.
	ErrInviteWrongAccount = errors.New("user: the invitation is for another account")
	// ErrInviteDisabled refuses to accept an invitation to a deactivated
	// account.
	ErrInviteDisabled = errors.New("user: the invited account is deactivated")
)

// Staff reports whether u holds a staff role: administrator, officer or
// reviewer. A nil user is no staff.
func (u *User) Staff() bool {
	return u.Has(Administrator) || u.Has(Officer) || u.Has(Reviewer)
}

// Member reports whether u speaks for an organisation: holds an applicant
// or a partner role. A nil user is no member.
func (u *User) Member() bool {
	return u.Has(Applicant) || u.Has(PartnerRole)
}

// ForStaff reports whether the invitation gives a staff role.
func (i *Invite) ForStaff() bool {
	return i.Role == Administrator || i.Role == Officer || i.Role == Reviewer
}

// Validate checks the invitation's address and that its role has the
// scope it needs and no other: an organisation for an applicant or
// partner; at most a programme for an officer, a call for a reviewer;
// nothing for an administrator. The store checks that the organisation,
// programme or call exists (and that an applicant's organisation is
// Swedish).
func (i *Invite) Validate() validate.Errors {
	errs := validate.Errors{}
	if e := (&User{Email: i.Email, Name: "x"}).Validate(); e.Has("email") {
		errs.Add("email", e["email"])
	}
	errs.MaxLen("name", i.Name, 200)
	ok := false
	switch i.Role {
	case Applicant, PartnerRole:
		ok = i.OrganisationID != 0 && i.ProgrammeID == 0 && i.CallID == 0
	case Officer:
		ok = i.OrganisationID == 0 && i.CallID == 0
	case Reviewer:
		ok = i.OrganisationID == 0 && i.ProgrammeID == 0
	case Administrator:
		ok = i.OrganisationID == 0 && i.ProgrammeID == 0 && i.CallID == 0
	}
	if !ok {
		errs.Add("role", "error.invalid_choice")
	}
	return errs
}

// CheckInvite decides whether invitation i may be sent: sent is how many
// invitations its sender has sent in the last InviteWindow, account the
// account that already holds the invited address (nil when none), and
// membersManage whether the organisation invited to lets its people
// invite colleagues (ignored for a staff invitation). The rate is checked
// first, so a sender over the limit learns nothing about the address.
func CheckInvite(i *Invite, account *User, sent int, membersManage bool) error {
	if sent >= InvitesPerHour {
		return ErrTooManyInvites
	}
	if i.ForStaff() {
		if account.Member() {
			return ErrInviteMember
		}
		return nil
	}
	if !membersManage {
		return ErrMembersClosed
	}
	if account.Staff() {
		return ErrInviteStaff
	}
	return nil
}

// InviteAcceptance is how an invitation is accepted.
type InviteAcceptance int

const (
	// CreateAccount: no account holds the address; whoever holds the link
	// chooses a name and a password, and the new account gets the role.
	CreateAccount InviteAcceptance = iota + 1
	// AddRole: the account that holds the address is signed in; accepting
	// adds the role to it.
	AddRole
)

// Acceptance decides how invitation i may be accepted: account is the
// account that holds the invited address (nil when none) and signedIn the
// id of the user signed in (0 when nobody is). An existing account accepts
// only when it is the one signed in (ErrInviteSignIn,
// ErrInviteWrongAccount), and never when it is deactivated
// (ErrInviteDisabled); an organisation's invitation never
// reaches a staff account (ErrInviteStaff) nor a staff invitation an
// organisation's (ErrInviteMember). Whether i is still usable is checked
// apart (Usable).
func (i *Invite) Acceptance(account *User, signedIn int64) (InviteAcceptance, error) {
	switch {
	case account == nil:
		return CreateAccount, nil
	case i.ForStaff() && account.Member():
		return 0, ErrInviteMember
	case !i.ForStaff() && account.Staff():
		return 0, ErrInviteStaff
	case account.Disabled:
		return 0, ErrInviteDisabled
	case signedIn == 0:
		return 0, ErrInviteSignIn
	case signedIn != account.ID:
		return 0, ErrInviteWrongAccount
	}
	return AddRole, nil
}

// Grants is the role the invitation gives.
func (i *Invite) Grants() Role {
	return Role{Kind: i.Role, OrganisationID: i.OrganisationID, ProgrammeID: i.ProgrammeID}
}

// AddRole gives u role r unless u holds it already, and reports whether
// it did.
func (u *User) AddRole(r Role) bool {
	if slices.Contains(u.Roles, r) {
		return false
	}
	u.Roles = append(u.Roles, r)
	return true
}
