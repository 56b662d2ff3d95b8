package swedish

import (
	"slices"
	"testing"
)

func TestStrings(t *testing.T) {
	got := []string{"Östersund", "Ängelholm", "Åre", "Arvika", "Zambia", "Eda", "Växjö", "Vaxholm", "Älvdalen"}
	Strings(got)
	want := []string{"Arvika", "Eda", "Vaxholm", "Växjö", "Zambia", "Åre", "Älvdalen", "Ängelholm", "Östersund"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}
