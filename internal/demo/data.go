package demo

import (
	"time"

	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/user"
)

// The facts below come from shared/data/pilot-2021.md, which gives a source
// for each; every partnership's description ends with one or two of them.

// Source is ICLD's announcement of the 2021 pilot: the six grantees and the
// 1.8 MSEK they shared.
const Source = "https://icld.se/sv/artikel/nytt-bidrag-ska-oka-kannedom-om-kommunala-partnerskap/"

// NoteSV and NoteEN tell visitors of a demo site what in it is real and what
// is made up. The split per grantee is not public, so the demo gives each
// grantee the same amount. The second programme, with its rolling call and
// applications, is invented (rolling.go).
const (
	NoteSV = "Det här är en demonstration med pilotomgången 2021 av ICLD:s informations- och kommunikationsstöd. " +
		"De sex bidragsmottagarna (Arvika, Forshaga, Kalix, Lund, Växjö och Region Östergötland), deras partnerskap " +
		"och totalbeloppet 1,8 miljoner kronor är verkliga (källa: ICLD, " + Source + "). " +
		"Hur pengarna fördelades mellan mottagarna är inte offentligt: här får alla 300 000 kronor. " +
		"Pilotutlysningens och besluten datum, demokontona och vissa partnerskapsperioder är påhittade för demonstrationen, " +
		"bland annat perioder utöver vad källorna anger: här pågår Kalix – Masaka, Forshaga – Lundazi och Region Östergötland – Uasin Gishu tills vidare. " +
		"Programmet ”Informations- och kommunikationsstöd”, med sin löpande utlysning och alla ansökningar, bedömningar och beslut i den, " +
		"är påhittat: det visar det permanenta stöd som ICLD hoppades kunna erbjuda efter piloten. " +
		"Vad bidragsmottagarna gjorde med bidragen är också påhittat: aktiviteterna, hur många de nådde, alla enkätsvar före och efter, slutrapporterna och berättelserna. " +
		"Godkännanden, utbetalningar, enkätsvar, slutrapporter och berättelser bär datumet då demonstrationen laddades."
	NoteEN = "This is a demonstration holding the 2021 pilot of ICLD's information and communication support. " +
		"The six grantees (Arvika, Forshaga, Kalix, Lund, Växjö and Region Östergötland), their partnerships " +
		"and the total of SEK 1.8 million are real (source: ICLD, " + Source + "). " +
		"How the money was split between the grantees is not public: here each receives SEK 300,000. " +
		"The dates of the pilot call and the decisions, the demo accounts and some partnership periods are illustrative, " +
		"among them periods beyond what the sources give: here Kalix – Masaka, Forshaga – Lundazi and Region Östergötland – Uasin Gishu continue until further notice. " +
		"The programme “Information and communication support”, with its rolling call and every application, review and decision in it, " +
		"is invented: it shows the permanent support ICLD hoped to offer after the pilot. " +
		"What the grantees did with the grants is illustrative too: the activities, the people they reached, every baseline and follow-up survey answer, the final reports and the stories. " +
		"Acceptances, payments, survey answers, final reports and stories carry the date the demo was loaded."
)

// Password is the password of every demo account.
const Password = "demo-partnerskap"

// The Swedish organisations' SCB codes.
const (
	codeArvika       = "1784"
	codeForshaga     = "1763"
	codeKalix        = "2514"
	codeLund         = "1281"
	codeVaxjo        = "0780"
	codeOstergotland = "05"
)

// The partner organisations abroad, by the names the demo gives them.
const (
	uasinGishu = "Uasin Gishu County"
	lundazi    = "Lundazi District Council"
	masaka     = "Masaka District Local Government"
	francis    = "Francistown City Council"
	jbMarks    = "JB Marks Local Municipality"
	anGiang    = "An Giang Province"
	vushtrri   = "Komuna e Vushtrrisë (Vushtrri Municipality)"
)

func partnerOrganisations() []organisation.Organisation {
	return []organisation.Organisation{
		{Kind: organisation.Partner, Name: uasinGishu, Country: "KE"},
		{Kind: organisation.Partner, Name: lundazi, Country: "ZM"},
		{Kind: organisation.Partner, Name: masaka, Country: "UG"},
		{Kind: organisation.Partner, Name: francis, Country: "BW"},
		{Kind: organisation.Partner, Name: jbMarks, Country: "ZA"},
		{Kind: organisation.Partner, Name: anGiang, Country: "VN"},
		{Kind: organisation.Partner, Name: vushtrri, Country: "XK"},
	}
}

func newProgramme() *programme.Programme {
	return &programme.Programme{
		NameSV:      "Informations- och kommunikationsstöd (pilot 2021)",
		NameEN:      "Information and communication support (pilot 2021)",
		Funder:      "Sida",
		Operator:    "ICLD",
		Currency:    programme.Currency,
		TotalBudget: 180_000_000, // 1 800 000 kr
		DescriptionSV: "ICLD:s informations- och kommunikationsstöd ger kommuner och regioner med ett kommunalt partnerskap " +
			"pengar för att berätta om partnerskapet för svenska politiker, tjänstepersoner och invånare: vad partnerskapet gör, " +
			"vilka mål det har och varför, och hur det bidrar till Agenda 2030 och de 17 globala målen.\n\n" +
			"Stödet prövades som en pilot för Sida under 2021, då Arvika, Forshaga, Kalix, Lund, Växjö och Region Östergötland " +
			"delade på 1,8 miljoner kronor. Målet är att stödet ska bli permanent för alla kommuner och regioner i programmet.\n\n" +
			"Frågor besvaras via partnership@icld.se.",
		DescriptionEN: "ICLD's information and communication support gives municipalities and regions with a municipal partnership " +
			"money to tell Swedish politicians, civil servants and citizens about the partnership: what it does, its goals and " +
			"purpose, and how it contributes to Agenda 2030 and the 17 global goals.\n\n" +
			"The support was tried as a pilot for Sida in 2021, when Arvika, Forshaga, Kalix, Lund, Växjö and Region Östergötland " +
			"shared SEK 1.8 million. The aim is to make it permanent for every municipality and region in the programme.\n\n" +
			"Enquiries go to partnership@icld.se.",
	}
}

// newCall returns the pilot's one call. Its dates are illustrative: no
// source gives them. ICLD's announcement is undated, and Kalix's page on the
// grant, last updated 2021-07-26, says the money came "recently".
func newCall(programmeID int64) *call.Call {
	return &call.Call{
		ProgrammeID: programmeID,
		TitleSV:     "Kommunikationsstöd 2021",
		TitleEN:     "Communication support 2021",
		OpensAt:     time.Date(2021, 4, 1, 0, 0, 0, 0, clock.Stockholm).UTC(),
		ClosesAt:    time.Date(2021, 5, 15, 0, 0, 0, 0, clock.Stockholm).UTC(),
		Ceiling:     180_000_000, // 1 800 000 kr
		MaxPerGrant: 30_000_000,  // 300 000 kr
	}
}

// grantAmount is what each grantee gets in the demo: the real split is not
// public, so the 1.8 MSEK is shared equally.
const grantAmount = 30_000_000 // 300 000 kr

// awardedOn is an illustrative decision date, after the call closed and
// before Kalix's page of 2021-07-26 reported the grant.
var awardedOn = clock.Date(2021, 6, 15)

// partnershipSpec is a partnership and who its members are, by SCB code and
// partner name, with whether it received the 2021 grant.
type partnershipSpec struct {
	swedish  string // SCB code of the Swedish member
	partners []string
	grant    bool // received the 2021 communication grant
	p        partnership.Partnership
}

func partnerships() []partnershipSpec {
	return []partnershipSpec{
		{
			swedish: codeArvika, partners: []string{uasinGishu}, grant: true,
			p: partnership.Partnership{
				Name:    "Arvika – Uasin Gishu",
				ThemeSV: "Dricksvattenförsörjning och medborgardialog",
				ThemeEN: "Drinking water supply and citizen dialogue",
				DescriptionSV: "Arvika kommun och Uasin Gishu County i Kenya arbetar för rättvis tillgång till dricksvatten, som en demokratifråga. " +
					"Arbetet sker i staden Moi's Bridge, där partnerskapet använder kontinuitetsplanering för att hitta orsakerna till avbrott i vattenproduktionen. " +
					"Arvikas eget lärande gäller framför allt medborgardialog, och Teknik i Väst AB är medsökande. " +
					"Projektet föregicks av en förstudie hösten 2018.\n" +
					"Källor: https://www.arvika.se/kommunochpolitik/internationelltarbete/aktuellaprojekt/kommunaltpartnerskapmeduasingishucountykenya.4.4217bf19167cbb3c9f5b7a39.html " +
					"https://icld.se/sv/artikel/18-nya-internationella-samarbeten-utvecklar-demokrati-pa-lokal-niva/",
				DescriptionEN: "Arvika Municipality and Uasin Gishu County in Kenya work for fair access to drinking water, treated as a democracy issue. " +
					"The work takes place in the town of Moi's Bridge, where the partnership uses continuity planning to find the causes of interruptions in water production. " +
					"Arvika's own learning is mainly about citizen dialogue, and Teknik i Väst AB is its co-applicant. " +
					"A pre-study in autumn 2018 came before the project.\n" +
					"Sources: https://www.arvika.se/kommunochpolitik/internationelltarbete/aktuellaprojekt/kommunaltpartnerskapmeduasingishucountykenya.4.4217bf19167cbb3c9f5b7a39.html " +
					"https://icld.se/sv/artikel/18-nya-internationella-samarbeten-utvecklar-demokrati-pa-lokal-niva/",
				// Arvika's pages end the three-year project in July 2021
				// (news of 2019-11-20), July 2022 (project page) or July 2023
				// (news page updated 2021-12-30). The demo follows the
				// project page: July 2019–July 2022.
				Start:   clock.Date(2019, 7, 1),
				End:     clock.Date(2022, 7, 31),
				Status:  partnership.Active,
				Targets: []string{"6.1", "6.b", "16.7", "17.17"},
			},
		},
		{
			swedish: codeForshaga, partners: []string{lundazi}, grant: true,
			p: partnership.Partnership{
				Name:    "Forshaga – Lundazi",
				ThemeSV: "Klimatfrågor: hela kommunen engagerad i att minska utsläppen",
				ThemeEN: "Climate issues: the whole municipality working to cut emissions",
				DescriptionSV: "Forshaga kommun och Lundazi District Council i Zambia delar erfarenheter av att hantera klimatfrågor. " +
					"Partnerskapet vill få företag, organisationer, universitet och invånare att tillsammans minska utsläppen. " +
					"Det treåriga projektet heter ”Involve and educate the whole municipality/district in climate issues”.\n" +
					"Källor: https://icld.se/sv/artikel/partnerskapet-forshaga-och-lundazi-arbetar-for-minskad-klimatpaverkan/ " +
					"https://icld.se/sv/artikel/8-svenska-kommuner-och-regioner-delar-pa-84-miljoner/",
				DescriptionEN: "Forshaga Municipality and Lundazi District Council in Zambia share experience of dealing with climate issues. " +
					"The partnership aims to get companies, organisations, universities and residents to act together to cut emissions. " +
					"The three-year project is named “Involve and educate the whole municipality/district in climate issues”.\n" +
					"Sources: https://icld.se/en/article/lundazi-and-forshaga-partner-up-to-reduce-climate-impact/ " +
					"https://icld.se/en/article/84-million-sek-approved-for-municipal-partnerships/",
				// The three-year project was granted in ICLD's "8.4 MSEK"
				// round, which is undated but mentions the pandemic (2020 or
				// later). The demo starts it in 2021, illustratively. The
				// sources give no end date: the demo leaves the end open
				// ("until further notice"), so the partnership is still
				// active and can apply in the demo's rolling call. A
				// partnership running beyond the three-year project the
				// sources describe is illustrative.
				Start:   clock.Date(2021, 1, 1),
				Status:  partnership.Active,
				Targets: []string{"11.6", "13.2", "13.3", "17.17"},
			},
		},
		{
			swedish: codeKalix, partners: []string{masaka}, grant: true,
			p: partnership.Partnership{
				Name:    "Kalix – Masaka",
				ThemeSV: "Avfallshantering, plast och miljö",
				ThemeEN: "Waste management, plastics and the environment",
				DescriptionSV: "Kalix kommun och Masaka i Uganda arbetar med hur plast påverkar miljön: partnerskapet bygger kunskap hos unga i Masaka och Kalix och involverar dem i miljöbeslut. " +
					"Under 2021 gällde arbetet medvetenhet om avfallshantering, plast och miljö hos skolelever och beslutsfattare. " +
					"Kulturskolan i Kalix driver arbetet för kommunen. " +
					"Partnerskapet började 2019 med ett bidrag för barns och ungas inflytande.\n" +
					"Källor: https://www.kalix.se/Aktuellt/Utbildningsnytt/Aktuellt/bidrag-for-okad-kannedom-om-kommunala-partnerskap/ " +
					"https://icld.se/sv/artikel/18-nya-internationella-samarbeten-utvecklar-demokrati-pa-lokal-niva/",
				DescriptionEN: "Kalix Municipality and Masaka in Uganda work on the effect of plastics on the environment: the partnership builds young people's knowledge in Masaka and Kalix and involves them in environmental decisions. " +
					"In 2021 the work was about awareness of waste management, plastics and the environment among school pupils and decision makers. " +
					"The Kulturskolan (municipal arts school) in Kalix runs the work for the municipality. " +
					"The partnership began in 2019 with a grant for children's and young people's influence.\n" +
					"Sources: https://www.kalix.se/Aktuellt/Utbildningsnytt/Aktuellt/bidrag-for-okad-kannedom-om-kommunala-partnerskap/ " +
					"https://icld.se/sv/artikel/18-nya-internationella-samarbeten-utvecklar-demokrati-pa-lokal-niva/",
				// Granted in June 2019 (ICLD, 2019-06-03). The later
				// three-year plastics project is undated (its round mentions
				// Covid-19, so 2020 or later) and the sources give no end
				// date: the demo leaves the end open ("until further
				// notice"), so the partnership is still active and can apply
				// in the demo's rolling call. A partnership running beyond
				// the three-year project the sources describe is
				// illustrative.
				Start:   clock.Date(2019, 6, 3),
				Status:  partnership.Active,
				Targets: []string{"4.7", "12.5", "14.1", "16.7", "17.17"},
			},
		},
		{
			swedish: codeLund, partners: []string{francis}, grant: true,
			p: partnership.Partnership{
				Name:    "Lund – Francistown",
				ThemeSV: "Mänskliga rättigheter på lokal nivå",
				ThemeEN: "Human rights at local level",
				DescriptionSV: "Lunds kommun och Francistown City Council i Botswana arbetar med mänskliga rättigheter på lokal nivå. " +
					"Lund ingår i ett nätverk inom ICLD där åtta svenska kommuner arbetar med var sin partner i södra Afrika, kring teman som tillgänglighet, jämställdhet och ungas rättigheter. " +
					"Raoul Wallenberg-institutet, Lunds universitet och University of Botswana deltar. " +
					"Nätverket löper i fyra år, ett förberedande år och ett treårigt projekt, så 2021 var Lunds förberedande år.\n" +
					"Källor: https://lund.se/en/news/2020/lunds-kommun-far-del-av-miljonsatsning-pa-demokrati-och-manskliga-rattigheter/ " +
					"https://icld.se/partnerskap/lund-och-francistown-botswana/",
				DescriptionEN: "Lund Municipality and Francistown City Council in Botswana work on human rights at local level. " +
					"Lund is in an ICLD network of eight Swedish municipalities, each paired with a partner in southern Africa on themes such as accessibility, gender equality and young people's rights. " +
					"The Raoul Wallenberg Institute, Lund University and the University of Botswana take part. " +
					"The network runs for four years, a preparatory year and then a three-year project, so 2021 was Lund's preparatory year.\n" +
					"Sources: https://lund.se/en/news/2020/lunds-kommun-far-del-av-miljonsatsning-pa-demokrati-och-manskliga-rattigheter/ " +
					"https://icld.se/en/partnership/lund-and-francistown-botswana/",
				// Admitted on 2020-12-10 to a four-year network; in May 2024
				// the partnership was "in its third and final year". The
				// calendar years 2021–2024 fit both.
				Start:   clock.Date(2021, 1, 1),
				End:     clock.Date(2024, 12, 31),
				Status:  partnership.Active,
				Targets: []string{"5.5", "10.2", "16.7", "16.b", "17.17"},
			},
		},
		{
			swedish: codeOstergotland, partners: []string{uasinGishu}, grant: true,
			p: partnership.Partnership{
				Name:    "Region Östergötland – Uasin Gishu",
				ThemeSV: "Jämlik cancervård genom institutionell samverkan",
				ThemeEN: "Equitable cancer care through institutional collaboration",
				DescriptionSV: "Region Östergötland och Uasin Gishu County i Kenya utvecklar cancervården genom institutionell samverkan, för en mer jämlik cancervård och starkare institutionell kapacitet. " +
					"Projektet leds av International Medical Programme (IMP) vid Katastrofmedicinskt centrum i Region Östergötland och kallas senare Equity in Cancer Care Project. " +
					"Regionen har samarbetat med Kenya inom hälso- och sjukvård sedan 2012.\n" +
					"Källor: https://icld.se/partnerskap/region-ostergotland-and-uasin-gishu-kenya/ " +
					"https://corren.se/nyheter/ostergotland/artikel/25-demokratimiljoner-till-region-ostergotland-for-internationellt-samarbete-inom-cancervarden/jnxx9v4r",
				DescriptionEN: "Region Östergötland and Uasin Gishu County in Kenya develop cancer care through institutional collaboration, aiming at more equal cancer care and stronger institutional capacity. " +
					"The project is led by the International Medical Programme (IMP) at Region Östergötland's Centre for Disaster Medicine and is later called the Equity in Cancer Care Project. " +
					"The region has worked with Kenya in health care since 2012.\n" +
					"Sources: https://icld.se/partnerskap/region-ostergotland-and-uasin-gishu-kenya/ " +
					"https://icld.se/sv/artikel/8-svenska-kommuner-och-regioner-delar-pa-84-miljoner/",
				// A preparatory phase was granted in December 2019 (dnr
				// 2019-0031), then a three-year project in the undated "8.4
				// MSEK" round. The demo starts the partnership with the
				// preparatory phase in 2020. The sources give no end date:
				// the demo leaves the end open ("until further notice"), so
				// the partnership is still active and can apply in the
				// demo's rolling call. A partnership running beyond the
				// three-year project the sources describe is illustrative.
				Start:   clock.Date(2020, 1, 1),
				Status:  partnership.Active,
				Targets: []string{"3.4", "3.8", "16.6", "17.17"},
			},
		},
		{
			swedish: codeVaxjo, partners: []string{jbMarks}, grant: true,
			p: partnership.Partnership{
				Name:    "Växjö – JB Marks",
				ThemeSV: "Energiplanering i linje med Agenda 2030",
				ThemeEN: "Energy planning in line with Agenda 2030",
				DescriptionSV: "Växjö kommun samarbetar sedan 2006 med JB Marks Local Municipality i Sydafrika, tidigare Tlokwe City Council. " +
					"Under 2019–2020 tog partnerskapet fram en energiplan i linje med Agenda 2030 och globala mål 7, under ledning av Växjö Energi. " +
					"Samma utlysning finansierade också ett projekt om arbetsmarknadsutbildning i Sydafrika.\n" +
					"Källor: https://vaxjo.se/sidor/politik-och-demokrati/internationellt/internationella-projekt/kommunala-partnerskap-med-sydafrika-vietnam-kosovo.html " +
					"https://vaxjo.se/sidor/politik-och-demokrati/nyheter---politik-och-demokrati/arkiv/2018-12-20-bidrag-till-internationella-projekt-ska-starka-lokal-demokrati.html",
				DescriptionEN: "Växjö Municipality has worked since 2006 with JB Marks Local Municipality in South Africa, formerly Tlokwe City Council. " +
					"In 2019–2020 the partnership drew up an energy plan in line with Agenda 2030 and global goal 7, led by Växjö Energi. " +
					"The same call also funded a labour-market training project in South Africa.\n" +
					"Sources: https://vaxjo.se/sidor/politik-och-demokrati/internationellt/internationella-projekt/kommunala-partnerskap-med-sydafrika-vietnam-kosovo.html " +
					"https://vaxjo.se/sidor/politik-och-demokrati/nyheter---politik-och-demokrati/arkiv/2018-12-20-bidrag-till-internationella-projekt-ska-starka-lokal-demokrati.html",
				// "Since 2006" per vaxjo.se ("2005" elsewhere is not
				// confirmed); the day is illustrative. No end is known: the
				// partnership is open-ended.
				Start:   clock.Date(2006, 1, 1),
				Status:  partnership.Active,
				Targets: []string{"7.2", "7.3", "11.b", "17.17"},
			},
		},
		{
			swedish: codeVaxjo, partners: []string{anGiang},
			p: partnership.Partnership{
				Name:    "Växjö – An Giang",
				ThemeSV: "Miljö och vattenförvaltning (Blue Vietnam)",
				ThemeEN: "Environment and water management (Blue Vietnam)",
				DescriptionSV: "Växjö kommun och An Giang-provinsen i Vietnam har samarbetat om miljö sedan 2010. " +
					"Det senaste arbetet, ”Blue Vietnam”, gäller vattenförvaltning: vatteninfrastruktur och att involvera medborgarna.\n" +
					"Källor: https://vaxjo.se/sidor/politik-och-demokrati/internationellt/internationella-projekt/kommunala-partnerskap-med-sydafrika-vietnam-kosovo.html " +
					"https://icld.se/?swedish_partner=vaxjo-kommun&post_type=project",
				DescriptionEN: "Växjö Municipality and An Giang Province in Vietnam have worked together on the environment since 2010. " +
					"The most recent work, “Blue Vietnam”, is about water management: water infrastructure and involving citizens.\n" +
					"Sources: https://vaxjo.se/sidor/politik-och-demokrati/internationellt/internationella-projekt/kommunala-partnerskap-med-sydafrika-vietnam-kosovo.html " +
					"https://icld.se/?swedish_partner=vaxjo-kommun&post_type=project",
				// vaxjo.se says "since 2010" but heads the entry "(2015 - )";
				// the demo follows the text. The day is illustrative and no
				// end is known.
				Start:   clock.Date(2010, 1, 1),
				Status:  partnership.Active,
				Targets: []string{"6.3", "6.b", "17.17"},
			},
		},
		{
			swedish: codeVaxjo, partners: []string{vushtrri},
			p: partnership.Partnership{
				Name:    "Växjö – Vushtrri",
				ThemeSV: "Miljöpedagogik i skola och förskola",
				ThemeEN: "Environmental education in schools and preschools",
				DescriptionSV: "Växjö kommun och Komuna e Vushtrrisë i Kosovo arbetar med miljöpedagogik, först i skolor och sedan i förskolor (Miljöpedagogik i förskolan). " +
					"Arbetet samordnas av ID, Institutet för lokal och regional demokrati.\n" +
					"Källor: https://www.idvxo.se/a/tre-nya-projekt-i-sydafrika-och-kosovo " +
					"https://vaxjo.se/sidor/politik-och-demokrati/internationellt/internationella-projekt/kommunala-partnerskap-med-sydafrika-vietnam-kosovo.html",
				DescriptionEN: "Växjö Municipality and Vushtrri Municipality (Komuna e Vushtrrisë) in Kosovo work on environmental education, first in schools and then in preschools (Miljöpedagogik i förskolan). " +
					"The work is coordinated by ID, the Institute for Local and Regional Democracy.\n" +
					"Sources: https://www.idvxo.se/a/tre-nya-projekt-i-sydafrika-och-kosovo " +
					"https://vaxjo.se/sidor/politik-och-demokrati/internationellt/internationella-projekt/kommunala-partnerskap-med-sydafrika-vietnam-kosovo.html",
				// No source seen dates the start. Växjö was granted money
				// for five projects in December 2018; the demo's start in
				// 2019 is illustrative, and no end is known.
				Start:   clock.Date(2019, 1, 1),
				Status:  partnership.Active,
				Targets: []string{"4.7", "12.8", "17.17"},
			},
		},
	}
}

// accountSpec is a demo account and the organisation its role concerns:
// an SCB code for an applicant, a partner's name for a partner.
type accountSpec struct {
	Account
	Lang    string
	orgCode string
	partner string
}

func accountSpecs() []accountSpec {
	return []accountSpec{
		{Account: Account{Role: user.Administrator, Email: "admin@demo.partnerskap.se", Name: "Alva Administratör", Password: Password}},
		// The officer's role concerns every programme (ProgrammeID 0), so
		// they can also create new ones.
		{Account: Account{Role: user.Officer, Email: "handlaggare@demo.partnerskap.se", Name: "Olle Handläggare", Password: Password}},
		{Account: Account{Role: user.Reviewer, Email: "bedomare@demo.partnerskap.se", Name: "Berit Bedömare", Password: Password}},
		{Account: Account{Role: user.Applicant, Email: "sokande@kalix.demo.partnerskap.se", Name: "Åsa Sökande", Password: Password},
			Lang: "sv", orgCode: codeKalix},
		{Account: Account{Role: user.PartnerRole, Email: "partner@masaka.demo.partnerskap.se", Name: "Nakato Partner", Password: Password},
			Lang: "en", partner: masaka},
	}
}
