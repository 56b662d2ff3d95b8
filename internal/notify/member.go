package notify

import (
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/user"
)

// StaffInvite asks the owner of address to join the programme's staff,
// on behalf of from, as what says (a role, with its programme or call);
// link, in lang, carries the single-use token.
func (m *Mailer) StaffInvite(address, lang, from, what, link string) mail.Message {
	return m.message(&user.User{Email: address, Name: address, Lang: lang}, "staff_invite", "From", from, "What", what, "Link", link)
}
