package demo

import (
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/decision"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/review"
)

// The second demo programme shows the workflow from call to decision. It
// stands for the permanent communication support ICLD said it hoped to
// offer after the 2021 pilot (pilot-2021.md); no such programme, call or
// application is in the sources. Everything below is invented for the
// demonstration, and NoteSV/NoteEN say so.

// reviewerEmail is the demo reviewer, to whom the demo's reviews belong.
const reviewerEmail = "bedomare@demo.partnerskap.se"

func newRollingProgramme() *programme.Programme {
	return &programme.Programme{
		NameSV:      "Informations- och kommunikationsstöd",
		NameEN:      "Information and communication support",
		Funder:      "Sida",
		Operator:    "ICLD",
		Currency:    programme.Currency,
		TotalBudget: 300_000_000, // 3 000 000 kr
		DescriptionSV: "Det permanenta informations- och kommunikationsstöd som ICLD hoppades kunna erbjuda efter piloten 2021: " +
			"kommuner och regioner med ett aktivt kommunalt partnerskap kan söka upp till 300 000 kronor för att berätta om partnerskapet " +
			"för politiker, tjänstepersoner och invånare. Utlysningen är löpande och ansökningarna prövas i tur och ordning.\n\n" +
			"I demonstrationen är programmet, utlysningen och alla ansökningar, bedömningar och beslut påhittade. " +
			"De visar hur en ansökan går från utkast via formell kontroll och bedömning till beslut.\n\n" +
			"Frågor besvaras via partnership@icld.se.",
		DescriptionEN: "The permanent information and communication support ICLD hoped to offer after the 2021 pilot: " +
			"municipalities and regions with an active municipal partnership can apply for up to SEK 300,000 to tell politicians, " +
			"civil servants and citizens about the partnership. The call is rolling and applications are assessed as they come in.\n\n" +
			"In the demonstration the programme, the call and every application, review and decision are invented. " +
			"They show how an application moves from draft through the formal check and review to a decision.\n\n" +
			"Enquiries go to partnership@icld.se.",
	}
}

// The rolling call opens rollingOpensBefore days before the day the demo is
// loaded and closes rollingClosesAfter days after it, at midnight in
// Stockholm; Load moves the dates again whenever the call is not open.
const (
	rollingOpensBefore = 14
	rollingClosesAfter = 45
)

// rollingDates returns the opening and closing instants of the rolling call
// for a demo started at now.
func rollingDates(now time.Time) (opens, closes time.Time) {
	y, m, d := now.In(clock.Stockholm).Date()
	opens = time.Date(y, m, d-rollingOpensBefore, 0, 0, 0, 0, clock.Stockholm).UTC()
	closes = time.Date(y, m, d+rollingClosesAfter, 0, 0, 0, 0, clock.Stockholm).UTC()
	return opens, closes
}

// newRollingCall returns the programme's one call, open at now.
func newRollingCall(programmeID int64, now time.Time) *call.Call {
	opens, closes := rollingDates(now)
	return &call.Call{
		ProgrammeID: programmeID,
		TitleSV:     "Kommunikationsstöd – löpande",
		TitleEN:     "Communication support – rolling",
		OpensAt:     opens,
		ClosesAt:    closes,
		Ceiling:     150_000_000, // 1 500 000 kr
		MaxPerGrant: 30_000_000,  // 300 000 kr
		Config:      rollingConfig(),
	}
}

// rollingConfig is the default configuration with the payment plan the
// issue gives as an example: 80 % when the grantee accepts the terms, the
// last 20 % after the final report is approved.
func rollingConfig() call.Config {
	cfg := call.DefaultConfig()
	cfg.PaymentPlan = ledger.Plan{{Percent: 80, When: ledger.OnAcceptance}, {Percent: 20, When: ledger.OnFinalReportApproved}}
	return cfg
}

// applicationSpec is one invented application in the rolling call and the
// state the demo brings it to. A partnership is found by its name, the
// applicant by its SCB code, and the application by its title.
type applicationSpec struct {
	partnership string
	swedish     string
	state       application.State
	answers     form.Answers
	// note goes on the timeline with the step into state: the officer's
	// completion request, or the applicant's reason for withdrawing.
	note string
	// review is the demo reviewer's, submitted, for applications that
	// reached Ready; nil otherwise.
	review *review.Review
	// decision is made for a decided state; Amount 0 for a full grant
	// means the amount requested.
	decision *decision.Decision
}

// title is the application's title, by which the loader finds it again.
func (s applicationSpec) title() string { return s.answers.Values["title"] }

// path lists the states the application passes, from a draft to its
// planned state, in a call with formal check and review.
func (s applicationSpec) path() []application.State {
	checked := []application.State{application.Draft, application.Submitted, application.FormalCheck}
	switch s.state {
	case application.Draft:
		return checked[:1]
	case application.Submitted:
		return checked[:2]
	case application.FormalCheck:
		return checked
	case application.CompletionRequested, application.InReview, application.Withdrawn:
		return append(checked, s.state)
	case application.Ready:
		return append(checked, application.InReview, application.Ready)
	}
	return append(checked, application.InReview, application.Ready, s.state) // decided
}

// rollingApplications returns the demo's applications in the rolling call,
// one in each state, in the order they are created (so the earlier of two
// applications from one partnership gets the lower registration number).
// Activities are dated in the months after today, the day of loading.
func rollingApplications(today time.Time) []applicationSpec {
	day := func(days int) string { return today.AddDate(0, 0, days).Format("2006-01-02") }
	act := func(title, group, channel string, from, to int, cost string) form.Activity {
		return form.Activity{Title: title, TargetGroup: group, Channel: channel, Start: day(from), End: day(to), Cost: cost}
	}
	return []applicationSpec{
		{
			partnership: "Forshaga – Lundazi", swedish: codeForshaga, state: application.Granted,
			answers: form.Answers{
				Values: map[string]string{
					"title": "Klimatet angår alla – Forshaga och Lundazi berättar",
					"summary": "Vi vill att politiker, tjänstepersoner och invånare i Forshaga ska veta vad partnerskapet med Lundazi District Council i Zambia gör för att minska utsläppen, " +
						"och vad Forshaga lär sig av Lundazi. Med ett seminarium för fullmäktige, korta filmer i sociala medier och en utställning i kommunhuset visar vi " +
						"hur båda orterna får företag, organisationer och invånare att arbeta tillsammans med klimatfrågorna.",
					"objectives": "Minst hälften av fullmäktiges ledamöter och av kommunens chefer ska efter ett år kunna beskriva partnerskapet och dess klimatmål. " +
						"Fler invånare ska känna till att Forshaga och Lundazi samarbetar, och hur det hänger ihop med globala mål 13 och 17.",
					"survey_plan": "Före seminariet och utställningen svarar fullmäktiges ledamöter, kommunens chefer och kommunens medborgarpanel på fem frågor om partnerskapet. " +
						"Samma personer får samma frågor sex månader senare, via samma e-postlistor och panel, så att vi jämför samma grupp före och efter.",
				},
				TargetGroups: []form.TargetGroup{
					{Group: "politicians", Message: "Partnerskapet ger Forshaga kunskap om att engagera hela kommunen i klimatarbetet som vi inte får någon annanstans."},
					{Group: "civil_servants", Message: "Lundazis erfarenheter gör vårt eget klimatarbete bättre, och tvärtom."},
					{Group: "citizens", Message: "Klimatarbetet i Forshaga och Lundazi är samma arbete: alla kan bidra till att minska utsläppen."},
				},
				Activities: []form.Activity{
					act("Seminarium för kommunfullmäktige med gäster från Lundazi (digitalt)", "politicians", "seminar", 21, 21, "20 000"),
					act("Frukostmöte för kommunens chefer", "civil_servants", "meeting", 35, 35, "30 000"),
					act("Fem kortfilmer om klimatarbetet i Forshaga och Lundazi", "citizens", "social_media", 30, 120, "130 000"),
					act("Utställning i kommunhusets entré", "citizens", "exhibition", 60, 90, "60 000"),
				},
				Budget: []form.BudgetLine{
					{Category: "communicator", Description: "Kommunikatör, 25 % i sex månader", Amount: "120 000"},
					{Category: "consultant", Description: "Filmproduktion, fem kortfilmer", Amount: "80 000"},
					{Category: "material", Description: "Utställning och tryck", Amount: "40 000"},
				},
				Targets: []string{"13.3", "11.6", "17.17"},
			},
			review: &review.Review{
				Scores: map[string]int{"relevance": 5, "feasibility": 4},
				Comments: map[string]string{
					"relevance":   "Tydliga budskap per målgrupp som utgår från partnerskapet och globala mål 13 och 17.",
					"feasibility": "Realistisk plan och budget. Mätningen når samma personer före och efter; medborgarpanelen kan ge ett lågt svarsantal.",
				},
				Recommendation: review.RecommendGrant,
				Comment:        "Väl genomarbetad ansökan. Rekommenderas bifall.",
			},
			decision: &decision.Decision{Outcome: decision.Granted,
				Conditions: "En kort slutrapport med resultatet av uppföljningsmätningen lämnas senast tre månader efter den sista aktiviteten."},
		},
		{
			partnership: "Region Östergötland – Uasin Gishu", swedish: codeOstergotland, state: application.Rejected,
			answers: form.Answers{
				Values: map[string]string{
					"title":       "Cancervården i Östergötland – kampanj i sociala medier",
					"summary":     "En kampanj i regionens kanaler i sociala medier om cancervården i Östergötland, där samarbetet med Uasin Gishu County i Kenya är ett av flera exempel.",
					"objectives":  "Fler östgötar ska känna till regionens cancervård.",
					"survey_plan": "Vi följer kampanjens räckvidd och antal visningar i kanalerna.",
				},
				TargetGroups: []form.TargetGroup{
					{Group: "citizens", Message: "Region Östergötland ger god och jämlik cancervård."},
				},
				Activities: []form.Activity{
					act("Kampanj i sociala medier", "citizens", "social_media", 14, 74, "150 000"),
				},
				Budget: []form.BudgetLine{
					{Category: "consultant", Description: "Kampanjbyrå", Amount: "110 000"},
					{Category: "material", Description: "Annonsering i sociala medier", Amount: "40 000"},
				},
				Targets: []string{"3.4", "17.17"},
			},
			review: &review.Review{
				Scores: map[string]int{"relevance": 2, "feasibility": 2},
				Comments: map[string]string{
					"relevance":   "Kampanjen handlar om regionens cancervård i allmänhet; partnerskapet med Uasin Gishu är bara ett exempel bland flera.",
					"feasibility": "Räckvidd och visningar mäter inte kunskap, och ingen nollmätning når samma personer före och efter.",
				},
				Recommendation: review.RecommendReject,
				Comment:        "Partnerskapet har mycket att berätta; en ny ansökan som utgår från det välkomnas.",
			},
			decision: &decision.Decision{Outcome: decision.Rejected,
				Reason: "Ansökan gäller främst marknadsföring av regionens egen cancervård, inte kommunikation om partnerskapet med Uasin Gishu County, " +
					"och uppföljningen mäter räckvidd i stället för kunskap hos samma personer före och efter. " +
					"Regionen kan söka igen i den löpande utlysningen med en plan som utgår från partnerskapet."},
		},
		{
			partnership: "Växjö – JB Marks", swedish: codeVaxjo, state: application.Withdrawn,
			answers: form.Answers{
				Values: map[string]string{
					"title": "Energiplanen och partnerskapet – film från Växjö och JB Marks",
					"summary": "En dokumentärfilm om hur Växjö och JB Marks Local Municipality i Sydafrika tog fram en energiplan i linje med Agenda 2030, " +
						"inspelad i båda kommunerna, som visas för fullmäktige och på kommunens webb.",
					"objectives":  "Politiker och invånare i Växjö ska känna till partnerskapet med JB Marks och vad det har gett för energiarbetet i båda kommunerna.",
					"survey_plan": "En enkät till fullmäktiges ledamöter före och efter visningen av filmen, med samma frågor båda gångerna.",
				},
				TargetGroups: []form.TargetGroup{
					{Group: "politicians", Message: "Samarbetet med JB Marks gör Växjös energiarbete bättre och bidrar till globalt mål 7."},
					{Group: "citizens", Message: "Växjö delar med sig av sitt energiarbete och lär sig av JB Marks."},
				},
				Activities: []form.Activity{
					act("Inspelning i Växjö och JB Marks", "citizens", "film", 30, 90, "220 000"),
					act("Visning för kommunfullmäktige", "politicians", "meeting", 100, 100, "10 000"),
					act("Filmen på vaxjo.se och i sociala medier", "citizens", "web", 100, 160, "70 000"),
				},
				Budget: []form.BudgetLine{
					{Category: "communicator", Description: "Kommunikatör, 20 % i sex månader", Amount: "80 000"},
					{Category: "consultant", Description: "Filmbolag, inspelning och redigering", Amount: "100 000"},
					{Category: "consultant", Description: "Filmteamets resor till Sydafrika", Amount: "120 000"},
				},
				Targets: []string{"7.2", "11.b", "17.17"},
			},
			note: "Vi drar tillbaka ansökan: budgeten tog upp filmteamets resor till Sydafrika, som vi i stället betalar inom partnerskapsprojektet. " +
				"En ny ansökan med reviderad plan och budget kommer.",
		},
		{
			partnership: "Växjö – An Giang", swedish: codeVaxjo, state: application.PartlyGranted,
			answers: form.Answers{
				Values: map[string]string{
					"title": "Blue Vietnam – vatten i Växjö och An Giang",
					"summary": "Växjö och An Giang-provinsen i Vietnam har samarbetat om miljö sedan 2010, och i Blue Vietnam om vattenförvaltning och att involvera medborgarna. " +
						"Vi vill berätta om arbetet med en vandringsutställning, skolbesök och material på webben, och med en tryckt katalog till alla hushåll i Växjö.",
					"objectives": "Invånare och skolelever i Växjö ska känna till partnerskapet och förstå hur vatten hänger ihop med demokrati och medborgardialog, " +
						"både i Växjö och i An Giang.",
					"survey_plan": "Skolklasserna svarar på samma frågor före och efter skolbesöket, med klassens kod. " +
						"Besökare på utställningen kan lämna sin e-postadress och får samma frågor igen efter tre månader.",
				},
				TargetGroups: []form.TargetGroup{
					{Group: "pupils", Message: "Rent vatten är en rättighet, och medborgarnas röst gör vattenförvaltningen bättre – i Växjö och i An Giang."},
					{Group: "citizens", Message: "Växjö och An Giang lär av varandra om sjöar, floder och vatteninfrastruktur."},
				},
				Activities: []form.Activity{
					act("Vandringsutställning på bibliotek i Växjö kommun", "citizens", "exhibition", 30, 150, "110 000"),
					act("Skolbesök i årskurs 8", "pupils", "school_visit", 45, 130, "60 000"),
					act("Webbmaterial om Blue Vietnam", "citizens", "web", 30, 60, "30 000"),
					act("Tryckt katalog till alla hushåll", "citizens", "print", 60, 75, "100 000"),
				},
				Budget: []form.BudgetLine{
					{Category: "communicator", Description: "Kommunikatör och pedagog", Amount: "90 000"},
					{Category: "consultant", Description: "Utställningsproduktion", Amount: "80 000"},
					{Category: "material", Description: "Utställningsmaterial och webb", Amount: "30 000"},
					{Category: "material", Description: "Tryckt katalog till alla hushåll i Växjö, tryck och distribution", Amount: "100 000"},
				},
				Targets: []string{"6.3", "6.b", "17.17"},
			},
			review: &review.Review{
				Scores: map[string]int{"relevance": 4, "feasibility": 3},
				Comments: map[string]string{
					"relevance":   "Utställningen och skolbesöken når målgrupperna med tydliga budskap om partnerskapet.",
					"feasibility": "Katalogen till alla hushåll är dyr och saknar uppföljning; resten av planen är realistisk.",
				},
				Recommendation: review.RecommendPartly,
				Comment:        "Rekommenderas delvis bifall, utan den tryckta katalogen.",
			},
			decision: &decision.Decision{Outcome: decision.PartlyGranted, Amount: 20_000_000, // 200 000 kr
				Reason: "Utställningen, skolbesöken och webbmaterialet beviljas. Den tryckta katalogen till alla hushåll (100 000 kr) beviljas inte: " +
					"samma innehåll når målgrupperna genom webben och utställningen, och utskicket saknar en plan för uppföljning."},
		},
		{
			partnership: "Kalix – Masaka", swedish: codeKalix, state: application.CompletionRequested,
			answers: form.Answers{
				Values: map[string]string{
					"title": "Unga berättar om plasten – Kalix och Masaka",
					"summary": "Kulturskolan i Kalix och unga i Masaka i Uganda gör tillsammans en kortfilm och en utställning om hur plast påverkar miljön där de bor. " +
						"Med dem berättar vi om partnerskapet för politiker, tjänstepersoner och invånare i Kalix och i resten av Norrbotten.",
					"objectives": "Politiker och tjänstepersoner i Kalix ska känna till partnerskapet med Masaka och vad unga i båda orterna gör för miljön. " +
						"Fler invånare i Norrbotten ska få en faktabaserad bild av projektet.",
					"survey_plan": "Vi gör en enkät före och efter.",
				},
				TargetGroups: []form.TargetGroup{
					{Group: "decision_makers", Message: "Unga i Kalix och Masaka vill och kan påverka miljöbesluten – lyssna på dem."},
					{Group: "pupils", Message: "Plasten du slänger i Kalix och plasten i Masaka är samma problem."},
					{Group: "citizens", Message: "Kalix samarbetar med Masaka i Uganda, och båda lär sig av det."},
				},
				Activities: []form.Activity{
					act("Filmverkstad i Kulturskolan, med digitala möten med unga i Masaka", "pupils", "film", 20, 80, "90 000"),
					act("Premiär och samtal med kommunfullmäktige", "decision_makers", "meeting", 90, 90, "15 000"),
					act("Utställning i Kalix bibliotek och på Kulturskolan", "citizens", "exhibition", 90, 150, "85 000"),
					act("Filmen och utställningen i sociala medier i Norrbotten", "citizens", "social_media", 90, 150, "60 000"),
				},
				Budget: []form.BudgetLine{
					{Category: "communicator", Description: "Kommunikatör och kulturskolepedagog, 20 % i ett år", Amount: "100 000"},
					{Category: "consultant", Description: "Konsulter", Amount: "90 000"},
					{Category: "material", Description: "Utställning, tryck och visningar", Amount: "60 000"},
				},
				Targets: []string{"12.5", "14.1", "4.7", "17.17"},
			},
			note: "Tack för ansökan! Innan den kan gå till bedömning behöver vi två kompletteringar: " +
				"1) Beskriv hur nollmätningen och uppföljningen når samma elever, politiker och invånare före och efter – vem svarar, när och hur. " +
				"2) Dela upp konsultposten på 90 000 kr på filmproduktion respektive utställningsform. " +
				"Ändra direkt i ansökan och skicka in den igen. /Olle Handläggare",
		},
		{
			partnership: "Växjö – Vushtrri", swedish: codeVaxjo, state: application.Submitted,
			answers: form.Answers{
				Values: map[string]string{
					"title": "Miljöpedagogik i förskolan – Växjö och Vushtrri delar erfarenheter",
					"summary": "Förskolor i Växjö och i Vushtrri i Kosovo arbetar med miljöpedagogik och lär av varandra. " +
						"Vi vill visa förskolans personal, föräldrar och politiker vad samarbetet har gett, med en film från förskolorna och träffar för personalen.",
					"objectives": "Förskolans personal och föräldrar i Växjö ska känna till partnerskapet med Vushtrri, och politikerna i barn- och utbildningsnämnden ska kunna beskriva vad det ger förskolan.",
					"survey_plan": "Personalen på de deltagande förskolorna och nämndens ledamöter svarar på samma fem frågor före den första träffen och efter den sista. " +
						"Föräldrar tillfrågas via förskolans app före och efter filmen.",
				},
				TargetGroups: []form.TargetGroup{
					{Group: "civil_servants", Message: "Miljöpedagogik från Vushtrri och Växjö ger barnen en bättre start – och vi lär oss mycket av kollegerna i Kosovo."},
					{Group: "politicians", Message: "Partnerskapet gör förskolans miljöarbete bättre för en liten kostnad."},
					{Group: "citizens", Message: "Ditt barns förskola samarbetar med förskolor i Kosovo om miljön."},
				},
				Activities: []form.Activity{
					act("Film från förskolorna i Växjö och Vushtrri", "citizens", "film", 30, 100, "100 000"),
					act("Tre träffar för förskolans personal", "civil_servants", "seminar", 40, 140, "70 000"),
					act("Dragning för barn- och utbildningsnämnden", "politicians", "meeting", 120, 120, "10 000"),
				},
				Budget: []form.BudgetLine{
					{Category: "communicator", Description: "Kommunikatör, 15 % i sex månader", Amount: "60 000"},
					{Category: "consultant", Description: "Filmproduktion", Amount: "90 000"},
					{Category: "material", Description: "Material till träffarna och filmvisningar", Amount: "30 000"},
				},
				Targets: []string{"4.7", "12.8", "17.17"},
			},
		},
		{
			partnership: "Växjö – JB Marks", swedish: codeVaxjo, state: application.Ready,
			answers: form.Answers{
				Values: map[string]string{
					"title": "Energi för alla – Växjö och JB Marks berättar",
					"summary": "Den reviderade ansökan efter den vi drog tillbaka. Med en kortfilm från JB Marks Local Municipality i Sydafrika (inspelad av partnerkommunen själv), " +
						"ett seminarium för fullmäktige och en serie inlägg i sociala medier berättar vi om energiplanen som partnerskapet tog fram i linje med Agenda 2030.",
					"objectives": "Politiker och invånare i Växjö ska känna till partnerskapet med JB Marks och vad det har gett för energiarbetet i båda kommunerna.",
					"survey_plan": "Fullmäktiges ledamöter svarar på samma enkät före och efter seminariet. " +
						"Kommunens medborgarpanel får tre frågor om partnerskapet före serien i sociala medier och samma frågor efter den.",
				},
				TargetGroups: []form.TargetGroup{
					{Group: "politicians", Message: "Samarbetet med JB Marks gör Växjös energiarbete bättre och bidrar till globalt mål 7."},
					{Group: "citizens", Message: "Växjö delar med sig av sitt energiarbete och lär sig av JB Marks."},
				},
				Activities: []form.Activity{
					act("Kortfilm från JB Marks, inspelad lokalt", "citizens", "film", 30, 90, "120 000"),
					act("Seminarium för kommunfullmäktige", "politicians", "seminar", 100, 100, "40 000"),
					act("Serie i sociala medier: tio inlägg", "citizens", "social_media", 100, 160, "100 000"),
				},
				Budget: []form.BudgetLine{
					{Category: "communicator", Description: "Kommunikatör, 25 % i sex månader", Amount: "110 000"},
					{Category: "consultant", Description: "Lokal filmproducent i JB Marks, via partnerkommunen", Amount: "100 000"},
					{Category: "material", Description: "Seminarium, redigering och textning", Amount: "50 000"},
				},
				Targets: []string{"7.2", "11.b", "17.17"},
			},
			review: &review.Review{
				Scores: map[string]int{"relevance": 4, "feasibility": 4},
				Comments: map[string]string{
					"relevance":   "Bra koppling mellan partnerskapet, energiplanen och globalt mål 7.",
					"feasibility": "Den reviderade budgeten är rimlig nu när resorna är borta, och mätningen når samma personer.",
				},
				Recommendation: review.RecommendGrant,
				Comment:        "Rekommenderas bifall.",
			},
		},
		{
			partnership: "Region Östergötland – Uasin Gishu", swedish: codeOstergotland, state: application.InReview,
			answers: form.Answers{
				Values: map[string]string{
					"title": "Jämlik cancervård i Uasin Gishu och Östergötland – vad partnerskapet gör",
					"summary": "En ny ansökan som utgår från partnerskapet. Region Östergötland och Uasin Gishu County i Kenya utvecklar cancervården genom institutionell samverkan. " +
						"Med en seminarieserie för regionens politiker och chefer, en podd med kolleger i Eldoret och en utställning på Universitetssjukhuset i Linköping berättar vi vad partnerskapet gör och vad regionen lär sig.",
					"objectives": "Regionfullmäktiges ledamöter och regionens chefer ska kunna beskriva partnerskapet och dess mål för en mer jämlik cancervård. " +
						"Medarbetare och besökare på sjukhuset ska känna till att regionen samarbetar med Uasin Gishu.",
					"survey_plan": "Före det första och efter det sista seminariet svarar samma politiker och chefer på en kort enkät. " +
						"Medarbetare får samma frågor i regionens personalenkät före och efter utställningen.",
				},
				TargetGroups: []form.TargetGroup{
					{Group: "politicians", Message: "Partnerskapet med Uasin Gishu gör cancervården mer jämlik, där och här."},
					{Group: "civil_servants", Message: "Kollegerna i Uasin Gishu har erfarenheter som stärker vår egen verksamhet."},
					{Group: "citizens", Message: "Din region samarbetar med Kenya för en jämlik cancervård."},
				},
				Activities: []form.Activity{
					act("Tre seminarier för regionens politiker och chefer", "politicians", "seminar", 30, 150, "60 000"),
					act("Podd med kolleger i Uasin Gishu, sex avsnitt", "civil_servants", "web", 30, 180, "90 000"),
					act("Utställning på Universitetssjukhuset i Linköping", "citizens", "exhibition", 60, 120, "130 000"),
				},
				Budget: []form.BudgetLine{
					{Category: "communicator", Description: "Kommunikatör, 30 % i sex månader", Amount: "130 000"},
					{Category: "consultant", Description: "Poddproduktion", Amount: "70 000"},
					{Category: "material", Description: "Utställning", Amount: "80 000"},
				},
				Targets: []string{"3.4", "3.8", "16.6", "17.17"},
			},
		},
		{
			partnership: "Växjö – An Giang", swedish: codeVaxjo, state: application.FormalCheck,
			answers: form.Answers{
				Values: map[string]string{
					"title": "Vattenveckan – skolelever i Växjö möter Blue Vietnam",
					"summary": "Under en temavecka om vatten träffar skolelever i Växjö unga i An Giang digitalt och berättar för varandra om sjöarna och floderna där de bor, " +
						"och om hur medborgare kan påverka vattenförvaltningen.",
					"objectives":  "Eleverna i årskurs 5 i Växjö ska känna till partnerskapet med An Giang och kunna ge ett exempel på hur medborgare påverkar vattenförvaltningen.",
					"survey_plan": "Klasserna svarar på samma fem frågor före och efter temaveckan, med klassens kod.",
				},
				TargetGroups: []form.TargetGroup{
					{Group: "pupils", Message: "Vatten angår alla, i Växjö och i An Giang – och du kan påverka hur det sköts."},
				},
				Activities: []form.Activity{
					act("Vattenveckan i årskurs 5, med digitala möten med An Giang", "pupils", "school_visit", 70, 75, "90 000"),
					act("Elevernas berättelser på vaxjo.se", "citizens", "web", 75, 105, "30 000"),
				},
				Budget: []form.BudgetLine{
					{Category: "communicator", Description: "Pedagog och kommunikatör", Amount: "80 000"},
					{Category: "material", Description: "Lektionsmaterial och teknik för de digitala mötena", Amount: "40 000"},
				},
				Targets: []string{"6.b", "17.17"},
			},
		},
		{
			// A draft, begun after the first grant: the objectives, the
			// survey plan, the budget and the targets are still missing.
			partnership: "Forshaga – Lundazi", swedish: codeForshaga, state: application.Draft,
			answers: form.Answers{
				Values: map[string]string{
					"title": "Klimatveckan med Lundazi",
					"summary": "Under Forshagas klimatvecka nästa höst besöker kolleger från Lundazi District Council kommunen. " +
						"Vi vill berätta om besöket för invånare och skolelever.",
				},
				TargetGroups: []form.TargetGroup{
					{Group: "citizens", Message: "Lundazi och Forshaga arbetar tillsammans för klimatet."},
				},
				Activities: []form.Activity{
					act("Öppet hus med gästerna från Lundazi", "citizens", "meeting", 150, 150, ""),
				},
			},
		},
	}
}
