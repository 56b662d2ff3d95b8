package web

import "strings"

// tOr translates key, or returns fallback when there is no such message
// (the catalogue answers a missing key with the key itself).
func (b *Base) tOr(key, fallback string) string {
	if s := b.T(key); s != key {
		return s
	}
	return fallback
}

// AuditAction names what an audit entry did ("update", "start_check") to
// a record of entity ("grant", "setting:demo") in the page's language: the
// message for the kind of record and the action ("audit.action.grant.accept")
// when there is one, as the same action means different things to
// different records, else the action's ("audit.action.accept"); an action
// without a message shows as recorded.
func (b *Base) AuditAction(action, entity string) string {
	kind, _, _ := strings.Cut(entity, ":")
	if kind != "" {
		if s := b.tOr("audit.action."+kind+"."+action, ""); s != "" {
			return s
		}
	}
	return b.tOr("audit.action."+action, action)
}

// AuditEntity names the kind of record an audit entry is about
// ("application", "setting:demo") in the page's language.
func (b *Base) AuditEntity(entity string) string {
	kind, rest, _ := strings.Cut(entity, ":")
	label := b.tOr("audit.entity."+kind, kind)
	if rest != "" {
		label += " " + rest
	}
	return label
}
