package notify

import (
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/user"
)

// linkMinutes is how long account links work, as the mails state it.
func linkMinutes() int { return int(user.AccountTokenTTL.Minutes()) }

// PasswordReset is the mail with a forgotten password's reset link, to
// u in u's language. It says what to do if u did not ask for it.
func (m *Mailer) PasswordReset(u *user.User, link Link) mail.Message {
	return m.message(u, "password_reset", "Link", link(langOf(u)), "Email", u.Email, "Minutes", linkMinutes())
}

// EmailConfirm is the mail to the new address newEmail that u asked to
// move to, with the link that makes the change, in u's language.
func (m *Mailer) EmailConfirm(u *user.User, newEmail string, link Link) mail.Message {
	to := *u
	to.Email = newEmail
	return m.message(&to, "email_confirm", "Link", link(langOf(u)), "Old", u.Email, "New", newEmail, "Minutes", linkMinutes())
}

// EmailChangeNotice tells u, at the address it has, that a move to
// newEmail was asked for: should someone else have asked, the owner
// learns of it before the link is used.
func (m *Mailer) EmailChangeNotice(u *user.User, newEmail string) mail.Message {
	return m.message(u, "email_notice", "New", newEmail, "Minutes", linkMinutes())
}
