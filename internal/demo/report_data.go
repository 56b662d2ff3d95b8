package demo

// The pilot grantees' final reports. No source tells what the 2021 pilot's
// grantees reported: every narrative and every sum below is illustrative,
// written to match each grant's activities and reach (life_data.go), and
// NoteSV/NoteEN say so. Each report accounts for the whole 300 000 kr paid,
// so approving it settles the grant and closes it.

// finalReportSpec is what one pilot grantee writes in its final report:
// the narrative and the spending per cost category of the call.
type finalReportSpec struct {
	done, results, lessons string
	lines                  []spentLine
}

// spentLine is the spending on one of the call's cost categories (its
// value, e.g. "communicator"), in kronor as a grantee would type it, and
// what it paid for. The pilot's grants came without an application, so
// the report's lines have no budget and every amount is explained, as the
// report form asks of any deviation from the budget.
type spentLine struct {
	category, spent, explanation string
}

// pilotApprovalNote is the demo officer's note with each approval.
const pilotApprovalNote = "Slutrapporten är godkänd: hela bidraget är redovisat som förbrukat och inget ska betalas tillbaka."

// pilotReports are the pilot grants' final reports, by partnership.
// Illustrative.
func pilotReports() map[string]finalReportSpec {
	return map[string]finalReportSpec{
		"Arvika – Uasin Gishu": {
			done: "Hösten 2021 höll vi en medborgardialog om dricksvatten med en filmhälsning från Moi's Bridge. " +
				"Vi skrev en artikelserie i kommunens nyhetsbrev om vattenarbetet där och informerade kommunstyrelsen om partnerskapet.",
			results: "Aktiviteterna nådde omkring 2 000 personer, de flesta genom nyhetsbrevet. " +
				"Enkäten före och efter visar att fler känner till partnerskapet, och flera politiker har bett om en årlig redovisning av det.",
			lessons: "Filmen från Moi's Bridge gjorde samtalet om vatten konkret och lockade fler än ett vanligt informationsmöte. " +
				"Det var svårt att nå samma personer i båda enkäterna; att dela ut koderna redan vid mötet hjälpte.",
			lines: []spentLine{
				{"communicator", "150 000", "Kommunikatörens arbete med dialogen, artikelserien och enkäterna under hösten 2021."},
				{"consultant", "95 000", "Filmhälsningen från Moi's Bridge och redigering av artikelserien."},
				{"material", "55 000", "Lokal, tryck och inbjudningar till medborgardialogen."},
			},
		},
		"Forshaga – Lundazi": {
			done: "Vi höll ett digitalt seminarium för kommunfullmäktige tillsammans med Lundazi District Council. " +
				"Under klimatveckan visade vi kortfilmer om klimatarbetet i båda kommunerna i sociala medier, och i kommunhusets entré byggde vi en utställning.",
			results: "Sammanlagt nådde vi drygt 5 000 personer, de flesta genom filmerna. " +
				"Efter hösten säger fler i enkäten att de känner till partnerskapet och vad det gör för klimatet.",
			lessons: "Korta filmer med röster från Lundazi nådde långt fler än seminariet, men seminariet gav politikerna frågor att ta vidare. " +
				"Nästa gång planerar vi enkäten tillsammans med filmerna från början.",
			lines: []spentLine{
				{"communicator", "120 000", "Kommunikatörens arbete med seminariet, filmerna och utställningen."},
				{"consultant", "130 000", "Filmproduktion av kortfilmerna från Forshaga och Lundazi."},
				{"material", "50 000", "Utställningens skärmar och tryck."},
			},
		},
		"Kalix – Masaka": {
			done: "Elever i Kulturskolan gjorde en utställning om plasten i Kalix och Masaka, och unga från båda orterna presenterade sitt arbete för beslutsfattare på ett seminarium. " +
				"Vi besökte också årskurs 5 för att prata om plast och avfallshantering.",
			results: "Vi nådde omkring 950 personer, de flesta av dem skolelever. " +
				"Enkäten visar att eleverna efter aktiviteterna vet mer om partnerskapet, och beslutsfattarna har bett om en uppföljning till våren.",
			lessons: "Elevernas egna bilder och berättelser väckte mer intresse än vårt informationsmaterial. " +
				"Att följa samma elever före och efter kräver att lärarna är med från början.",
			lines: []spentLine{
				{"communicator", "140 000", "Kommunikatörens och Kulturskolans arbete med utställningen, seminariet och skolbesöken."},
				{"consultant", "60 000", "Formgivning av utställningen och dokumentation av seminariet."},
				{"material", "100 000", "Utställningsmaterial, tryck och material till skolbesöken."},
			},
		},
		"Lund – Francistown": {
			done: "Vi höll ett seminarium om mänskliga rättigheter på lokal nivå med kolleger från Francistown. " +
				"Vi publicerade en artikel och en film om partnerskapet på kommunens webbplats och presenterade arbetet för kommunstyrelsen.",
			results: "Aktiviteterna nådde närmare 2 800 personer, främst genom webbplatsen. " +
				"De tjänstepersoner som svarade på båda enkäterna känner efteråt bättre till partnerskapet och hur det hänger ihop med Agenda 2030.",
			lessons: "Seminariet visade att frågorna i Francistown liknar våra egna, vilket gjorde partnerskapet lätt att förklara. " +
				"Filmen borde ha haft engelsk text, så att även partnern kunnat använda den.",
			lines: []spentLine{
				{"communicator", "135 000", "Kommunikatörens arbete med seminariet, artikeln och enkäterna."},
				{"consultant", "125 000", "Produktion av filmen om partnerskapet."},
				{"material", "40 000", "Seminariets lokal och tryckt material."},
			},
		},
		"Region Östergötland – Uasin Gishu": {
			done: "Vi berättade om samarbetet i cancervården i ett reportage i regionens personaltidning och höll ett lunchseminarium på Universitetssjukhuset i Linköping. " +
				"Vi gav också regionfullmäktiges ledamöter en dragning om partnerskapet.",
			results: "Reportaget nådde drygt 5 000 medarbetare, och seminariet och dragningen ytterligare omkring 125 personer. " +
				"Enkäten visar att fler medarbetare och förtroendevalda känner till partnerskapet efter hösten.",
			lessons: "Personaltidningen var det enklaste sättet att nå många, men det var på seminariet som medarbetare anmälde intresse för utbytet. " +
				"Vårdpersonal svarar ogärna på en andra enkät: den bör vara kort och delas ut vid ett möte.",
			lines: []spentLine{
				{"communicator", "180 000", "Kommunikatörens arbete med reportaget, seminariet och dragningen."},
				{"consultant", "70 000", "Fotografering och text till reportaget."},
				{"material", "50 000", "Tryck av reportaget och material till seminariet."},
			},
		},
		"Växjö – JB Marks": {
			done: "Under energiveckan visade vi en utställning om energiplanen i JB Marks och höll en pressträff med Växjö Energi om partnerskapet. " +
				"Kommunfullmäktige fick ett seminarium om globala mål 7 och samarbetet med JB Marks.",
			results: "Vi nådde omkring 720 personer direkt, och pressträffen gav artiklar i lokalpressen som nådde fler. " +
				"Enkäten visar att kännedomen om partnerskapet ökade något bland både invånare och politiker.",
			lessons: "Att knyta partnerskapet till energiveckan gav besökarna en naturlig ingång. " +
				"Vi borde ha följt upp hur många artiklarna i lokalpressen nådde, vilket vi nu bara kan uppskatta.",
			lines: []spentLine{
				{"communicator", "150 000", "Kommunikatörens arbete med utställningen, pressträffen och seminariet."},
				{"consultant", "80 000", "Formgivning av utställningen om energiplanen."},
				{"material", "70 000", "Utställningens skärmar, tryck och lokal för seminariet."},
			},
		},
	}
}
