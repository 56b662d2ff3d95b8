// Package auth signs people in: password hashes and session tokens.
package auth

import (
	"github.com/alexedwards/argon2id"
)

// params follow RFC 9106's second recommended option (64 MiB, 3 passes),
// with 2 lanes for the 2-core machines this runs on.
var params = &argon2id.Params{Memory: 64 * 1024, Iterations: 3, Parallelism: 2, SaltLength: 16, KeyLength: 32}

// HashPassword returns an argon2id hash in PHC string format.
func HashPassword(pw string) (string, error) {
	return argon2id.CreateHash(pw, params)
}

// CheckPassword reports whether pw matches hash. An empty hash (an account
// that has no password yet) matches nothing.
func CheckPassword(pw, hash string) bool {
	if hash == "" {
		return false
	}
	ok, err := argon2id.ComparePasswordAndHash(pw, hash)
	return err == nil && ok
}
