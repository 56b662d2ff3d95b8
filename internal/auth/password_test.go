package auth

import (
	"strings"
	"testing"
)

func TestPassword(t *testing.T) {
	h, err := HashPassword("rätt lösenord")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") {
		t.Errorf("hash %q is not argon2id", h)
	}
	if !CheckPassword("rätt lösenord", h) {
		t.Error("right password refused")
	}
	if CheckPassword("fel lösenord", h) || CheckPassword("", h) || CheckPassword("x", "") {
		t.Error("wrong password accepted")
	}
}
