package organisation

import (
	_ "embed"
	"encoding/csv"
	"strings"
)

// se-municipalities.csv: SCB codes and names of the 290 municipalities and
// 21 regions (sjbrg/swedish-geodata, CC0 1.0; see README.md here).
//
//go:embed se-municipalities.csv
var municipalitiesCSV string

// GotlandRegionCode is the länskod of Region Gotland, which is the same legal
// entity as the kommun 0980: both codes name one organisation.
const (
	GotlandRegionCode = "09"
	GotlandCode       = "0980"
)

// The CSV names every kommun "X kommun"; these call themselves otherwise.
var ownNames = map[string]string{
	"0180": "Stockholms stad",
	"0183": "Sundbybergs stad",
	"0184": "Solna stad",
	"0186": "Lidingö stad",
	"0187": "Vaxholms stad",
	"0980": "Region Gotland",
	"1280": "Malmö stad",
	"1282": "Landskrona stad",
	"1283": "Helsingborgs stad",
	"1480": "Göteborgs Stad",
	"1481": "Mölndals stad",
	"1488": "Trollhättans stad",
	"1490": "Borås Stad",
	"1980": "Västerås stad",
	"2583": "Haparanda stad",
}

var reference, referenceByCode = loadReference()

func loadReference() ([]Organisation, map[string]Organisation) {
	rows, err := csv.NewReader(strings.NewReader(municipalitiesCSV)).ReadAll()
	if err != nil {
		panic("organisation: " + err.Error())
	}
	var list []Organisation
	by := map[string]Organisation{}
	for _, r := range rows[1:] {
		code, name, kind, nameLong, county := r[0], r[1], r[2], r[5], r[6]
		if code == GotlandRegionCode {
			continue
		}
		o := Organisation{Code: code, Country: "SE", County: county, OrgNumber: r[4]}
		if kind == "region" {
			o.Kind, o.Name = Region, name
		} else {
			o.Kind, o.Name = Municipality, nameLong
			if own, ok := ownNames[code]; ok {
				o.Name = own
			}
		}
		list = append(list, o)
		by[code] = o
	}
	return list, by
}

// Reference returns the Swedish municipalities and regions as reference data:
// 290 kommuner and 20 regions, since Region Gotland is the kommun 0980.
func Reference() []Organisation {
	out := make([]Organisation, len(reference))
	copy(out, reference)
	return out
}

// CanonicalCode maps Region Gotland's länskod to its kommun code, so that
// both codes find the one organisation.
func CanonicalCode(code string) string {
	if code == GotlandRegionCode {
		return GotlandCode
	}
	return code
}
