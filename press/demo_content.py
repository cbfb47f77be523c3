"""Demo content for press: the press office of a bilingual Finnish city.

Plain data, read by `press.demo` when the demo is loaded. The releases are written in the style
of the city's communications department: Finnish and Swedish for every release, English for most.
Names of people, districts and outlets are invented; addresses use example domains.

Each release in `RELEASES` is a dict with:

- "key": a short unique ascii id,
- "source": "city-council", "city-board" or "city-executive-office",
- "topics": one or two topic slugs from `TOPICS`,
- "contacts": indexes into `MEDIA_CONTACTS`,
- "translations": {"fi": ..., "sv": ..., "en": ...}, each {"title", "lead", "body"} with a
  Markdown body; "en" is left out for some releases,
- "decision": optional {"id", "url"} of the decision behind a council or board release,
- "plan": what the demo loader does with the release, one of `PLANS`:
  "published" and "withdrawn" and "corrected" with "days_ago" (published that many days ago),
  "scheduled" and "embargo" with "in_hours" (publication time from now), "embargo" also with
  "embargo_terms", "withdrawn" with "reason", "corrected" with "correction" {"note",
  "fi_body_fix"} (the new full Finnish body), "draft" and "in_review" with nothing more.
"""

import textwrap
from typing import Any

SOURCES: tuple[str, ...] = ("city-council", "city-board", "city-executive-office")
TOPICS: tuple[str, ...] = (
    "administration",
    "economy",
    "employment-and-business",
    "personnel",
    "housing",
    "transport",
    "education",
    "culture",
    "environment",
    "health-and-social-services",
    "safety",
    "urban-planning",
    "international-affairs",
)
PLANS: tuple[str, ...] = (
    "published",
    "scheduled",
    "embargo",
    "withdrawn",
    "corrected",
    "draft",
    "in_review",
)


def _md(text: str) -> str:
    """Markdown from a hard-wrapped source: lines of a paragraph or a list item are joined with
    a space, a line starting with "- " or "## " starts a new line, blank lines stay."""
    blocks = []
    for block in textwrap.dedent(text).strip().split("\n\n"):
        lines: list[str] = []
        for raw in block.splitlines():
            line = raw.strip()
            if not lines or line.startswith(("- ", "## ")):
                lines.append(line)
            else:
                lines[-1] += " " + line
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


MEDIA_CONTACTS: list[dict[str, Any]] = [
    {
        "name": "Aino Lehtinen",
        "title": {
            "fi": "Viestintäpäällikkö",
            "sv": "Kommunikationschef",
            "en": "Head of Communications",
        },
        "phone": "+358 9 310 25101",
        "email": "aino.lehtinen@city.example",
        "topics": ["administration", "economy", "personnel"],
        "languages": ["fi", "sv", "en"],
    },
    {
        "name": "Johanna Lindqvist",
        "title": {"fi": "Tiedottaja", "sv": "Informatör", "en": "Press Officer"},
        "phone": "+358 9 310 25134",
        "email": "johanna.lindqvist@city.example",
        "topics": ["urban-planning", "housing", "environment"],
        "languages": ["fi", "sv"],
    },
    {
        "name": "Mikael Grönroos",
        "title": {"fi": "Tiedottaja", "sv": "Informatör", "en": "Press Officer"},
        "phone": "+358 9 310 25157",
        "email": "mikael.gronroos@city.example",
        "topics": ["transport", "safety", "environment"],
        "languages": ["fi", "sv", "en"],
    },
    {
        "name": "Sanna Kettunen",
        "title": {
            "fi": "Viestintäasiantuntija",
            "sv": "Kommunikationsexpert",
            "en": "Communications Specialist",
        },
        "phone": "+358 9 310 25176",
        "email": "sanna.kettunen@city.example",
        "topics": ["education", "culture", "health-and-social-services"],
        "languages": ["fi", "en"],
    },
    {
        "name": "Ville Peltomaa",
        "title": {
            "fi": "Kansainvälisen viestinnän asiantuntija",
            "sv": "Expert på internationell kommunikation",
            "en": "International Communications Specialist",
        },
        "phone": "+358 9 310 25192",
        "email": "ville.peltomaa@city.example",
        "topics": ["international-affairs", "employment-and-business", "economy"],
        "languages": ["fi", "sv", "en"],
    },
]

STAFF: list[dict[str, str]] = [
    {"email": "teemu.rantala@city.example", "name": "Teemu Rantala", "role": "admin"},
    {"email": "marjut.heikkila@city.example", "name": "Marjut Heikkilä", "role": "approver"},
    {"email": "emilia.strandberg@city.example", "name": "Emilia Strandberg", "role": "editor"},
    {"email": "oskari.niemela@city.example", "name": "Oskari Niemelä", "role": "viewer"},
]

JOURNALISTS: list[dict[str, Any]] = [
    {
        "name": "Katariina Saarela",
        "email": "katariina.saarela@newsroom.example",
        "embargo_access": True,
        "outlet": "Rannikon Sanomat",
    },
    {
        "name": "Fredrik Holmström",
        "email": "fredrik.holmstrom@newsroom.example",
        "embargo_access": True,
        "outlet": "Kustposten",
    },
    {
        "name": "Juho Anttila",
        "email": "juho.anttila@newsroom.example",
        "embargo_access": True,
        "outlet": "Uutistoimisto Viesti",
    },
    {
        "name": "Minna Paasivuori",
        "email": "minna.paasivuori@newsroom.example",
        "embargo_access": False,
        "outlet": "Radio Meriaalto",
    },
    {
        "name": "Elias Wikström",
        "email": "elias.wikstrom@newsroom.example",
        "embargo_access": False,
        "outlet": "Kaupunkilehti Ratas",
    },
    {
        "name": "Laura Mäntylä",
        "email": "laura.mantyla@newsroom.example",
        "embargo_access": False,
        "outlet": "Nordic City Wire",
    },
]

RELEASES: list[dict[str, Any]] = [
    {
        "key": "budget-2027",
        "source": "city-board",
        "topics": ["economy", "administration"],
        "contacts": [0],
        "decision": {
            "id": "HEL 2026-011874",
            "url": "https://paatokset.example.fi/asia/hel-2026-011874",
        },
        "plan": "embargo",
        "in_hours": 26,
        "embargo_terms": (
            "Embargo: julkaistavissa vasta, kun pormestarin tiedotustilaisuus alkaa. Embargo: not "
            "for publication until the mayor's press conference begins."
        ),
        "translations": {
            "fi": {
                "title": (
                    "Pormestarin talousarvioehdotus vuodelle 2027: painopisteinä oppiminen ja "
                    "kestävä kasvu"
                ),
                "lead": (
                    "Pormestari Helena Saarivirta esittelee kaupungin vuoden 2027 "
                    "talousarvioehdotuksen. Ehdotuksessa toimintamenot ovat 5,9 miljardia euroa ja"
                    " investoinnit 1,1 miljardia euroa."
                ),
                "body": _md(
                    """
                    Kaupungin vuoden 2027 talousarvioehdotus perustuu kaupunkistrategiaan ja sen
                    tavoitteeseen pitää talous tasapainossa myös väestön kasvaessa. Ehdotuksen
                    mukaan toimintamenot kasvavat 3,1 prosenttia edellisvuodesta, mikä on hieman
                    arvioitua väestönkasvua ja kustannustason nousua vähemmän.

                    ## Keskeiset painopisteet

                    - **Oppiminen:** 28 miljoonaa euroa lisää oppimisen tukeen kouluissa ja
                      varhaiskasvatuksessa
                    - **Investoinnit:** Rantaraitiotien rakentaminen ja koulujen peruskorjaukset
                      jatkuvat
                    - **Tuottavuus:** asukkaiden digitaalisia palveluja kehitetään ja tilojen
                      käyttöä tehostetaan

                    "Kaupungin talous on tasapainossa, mutta liikkumavaraa on vähän. Siksi
                    kohdistamme lisärahoituksen sinne, missä sillä on suurin vaikutus: lasten ja
                    nuorten oppimiseen", pormestari Saarivirta sanoo.

                    Ehdotuksessa kaupungin lainakanta kasvaa 180 miljoonaa euroa, koska
                    investointitaso pysyy korkeana. Verotulojen arvioidaan kasvavan 2,8 prosenttia,
                    eikä kunnallisveroprosenttia esitetä muutettavaksi.

                    Kaupunginhallitus käsittelee talousarvioehdotusta syksyn aikana, ja
                    kaupunginvaltuusto päättää talousarviosta marraskuussa. Ehdotus liitteineen on
                    luettavissa osoitteessa
                    [www.example.fi/talousarvio2027](https://www.example.fi/talousarvio2027).
                    """
                ),
            },
            "sv": {
                "title": (
                    "Borgmästarens budgetförslag för 2027: fokus på lärande och hållbar tillväxt"
                ),
                "lead": (
                    "Borgmästare Helena Saarivirta presenterar stadens budgetförslag för 2027. I "
                    "förslaget uppgår verksamhetsutgifterna till 5,9 miljarder euro och "
                    "investeringarna till 1,1 miljarder euro."
                ),
                "body": _md(
                    """
                    Stadens budgetförslag för 2027 bygger på stadsstrategin och dess mål att hålla
                    ekonomin i balans även när befolkningen växer. Enligt förslaget ökar
                    verksamhetsutgifterna med 3,1 procent jämfört med föregående år, vilket är något
                    mindre än den beräknade befolkningstillväxten och kostnadsökningen.

                    ## De viktigaste prioriteringarna

                    - **Lärande:** 28 miljoner euro mer för stöd för lärande i skolor och inom
                      småbarnspedagogiken
                    - **Investeringar:** byggandet av Strandspårvägen och grundrenoveringen av
                      skolor fortsätter
                    - **Produktivitet:** invånarnas digitala tjänster utvecklas och lokalerna
                      används effektivare

                    "Stadens ekonomi är i balans, men handlingsutrymmet är litet. Därför riktar vi
                    tilläggsfinansieringen dit där den har störst effekt: till barns och ungas
                    lärande", säger borgmästare Saarivirta.

                    I förslaget ökar stadens lånestock med 180 miljoner euro, eftersom
                    investeringsnivån förblir hög. Skatteintäkterna beräknas öka med 2,8 procent,
                    och ingen ändring av kommunalskattesatsen föreslås.

                    Stadsstyrelsen behandlar budgetförslaget under hösten, och stadsfullmäktige
                    fattar beslut om budgeten i november. Förslaget med bilagor finns på
                    [www.example.fi/budget2027](https://www.example.fi/budget2027).
                    """
                ),
            },
            "en": {
                "title": (
                    "Mayor's budget proposal for 2027: focus on learning and sustainable growth"
                ),
                "lead": (
                    "Mayor Helena Saarivirta presents the city's budget proposal for 2027. The "
                    "proposal sets operating expenditure at EUR 5.9 billion and investments at EUR"
                    " 1.1 billion."
                ),
                "body": _md(
                    """
                    The city's budget proposal for 2027 is based on the city strategy and its goal
                    of keeping the city's finances balanced as the population grows. Under the
                    proposal, operating expenditure will increase by 3.1 per cent on the previous
                    year, slightly less than the projected population growth and rise in costs.

                    ## Key priorities

                    - **Learning:** an additional EUR 28 million for learning support in schools and
                      early childhood education
                    - **Investments:** construction of the Shoreline tram line and renovation of
                      schools will continue
                    - **Productivity:** digital services for residents will be developed and
                      premises used more efficiently

                    "The city's finances are balanced, but there is little room for manoeuvre. That
                    is why we are directing additional funding where it has the greatest impact: the
                    learning of children and young people," says Mayor Saarivirta.

                    Under the proposal, the city's loan portfolio will grow by EUR 180 million, as
                    the level of investment remains high. Tax revenue is expected to increase by 2.8
                    per cent, and no change to the municipal income tax rate is proposed.

                    The City Board will discuss the budget proposal during the autumn, and the City
                    Council will decide on the budget in November. The proposal and its appendices
                    are available at [www.example.fi/budget2027](https://www.example.fi/budget2027).
                    """
                ),
            },
        },
    },
    {
        "key": "property-tax-2027",
        "source": "city-council",
        "topics": ["economy"],
        "contacts": [0],
        "decision": {
            "id": "HEL 2026-009312",
            "url": "https://paatokset.example.fi/asia/hel-2026-009312",
        },
        "plan": "published",
        "days_ago": 9,
        "translations": {
            "fi": {
                "title": "Kaupunginvaltuusto päätti kiinteistöveroprosenteista vuodelle 2027",
                "lead": (
                    "Kaupunginvaltuusto päätti pitää vakituisten asuinrakennusten "
                    "kiinteistöveroprosentin ennallaan. Yleistä kiinteistöveroprosenttia "
                    "korotetaan 0,07 prosenttiyksikköä."
                ),
                "body": _md(
                    """
                    Kaupunginvaltuusto päätti kokouksessaan vuoden 2027 kiinteistöveroprosenteista
                    kaupunginhallituksen esityksen mukaisesti. Päätöksellä turvataan kaupungin
                    palvelujen rahoitusta tilanteessa, jossa valtionosuudet pienenevät.

                    Vuonna 2027 sovellettavat veroprosentit ovat:

                    - yleinen kiinteistöveroprosentti **1,07**
                    - vakituiset asuinrakennukset **0,41**
                    - muut asuinrakennukset **1,00**
                    - rakentamaton rakennuspaikka **4,00**

                    Korotuksen arvioidaan kasvattavan kaupungin verotuloja noin 14 miljoonaa euroa
                    vuodessa. Vakituisten asuinrakennusten veroprosentti pidettiin ennallaan, jotta
                    asumisen kustannukset eivät nousisi.

                    Rakentamattoman rakennuspaikan korotetulla veroprosentilla kaupunki kannustaa
                    maanomistajia rakentamaan jo kaavoitetuille tonteille. Verohallinto lähettää
                    kiinteistöverolaskut kiinteistönomistajille keväällä 2027.

                    Kiinteistövero on kunnan tärkein verotulo kunnallisveron jälkeen. Kaupunki sai
                    kiinteistöveroa viime vuonna yhteensä noin 290 miljoonaa euroa, mikä vastaa noin
                    kuutta prosenttia kaupungin verotuloista. Kaupunki määrää veroprosentit
                    vuosittain kiinteistöverolaissa säädettyjen rajojen sisällä.

                    Lisätietoa päätöksestä on kaupungin
                    [päätöspalvelussa](https://paatokset.example.fi/asia/hel-2026-009312).
                    """
                ),
            },
            "sv": {
                "title": "Stadsfullmäktige beslutade om fastighetsskattesatserna för 2027",
                "lead": (
                    "Stadsfullmäktige beslutade att hålla fastighetsskattesatsen för stadigvarande"
                    " bostadsbyggnader oförändrad. Den allmänna fastighetsskattesatsen höjs med "
                    "0,07 procentenheter."
                ),
                "body": _md(
                    """
                    Stadsfullmäktige beslutade vid sitt sammanträde om fastighetsskattesatserna för
                    2027 i enlighet med stadsstyrelsens förslag. Beslutet tryggar finansieringen av
                    stadens tjänster i ett läge där statsandelarna minskar.

                    Skattesatserna som tillämpas 2027 är:

                    - allmän fastighetsskattesats **1,07**
                    - stadigvarande bostadsbyggnader **0,41**
                    - andra bostadsbyggnader **1,00**
                    - obebyggd byggplats **4,00**

                    Höjningen beräknas öka stadens skatteintäkter med cirka 14 miljoner euro per år.
                    Skattesatsen för stadigvarande bostadsbyggnader hölls oförändrad för att
                    boendekostnaderna inte ska stiga.

                    Med den höjda skattesatsen för obebyggda byggplatser uppmuntrar staden markägare
                    att bygga på tomter som redan har detaljplanerats. Skatteförvaltningen skickar
                    fastighetsskattesedlarna till fastighetsägarna våren 2027.

                    Fastighetsskatten är kommunens viktigaste skatteintäkt efter kommunalskatten. I
                    fjol fick staden sammanlagt cirka 290 miljoner euro i fastighetsskatt, vilket
                    motsvarar cirka sex procent av stadens skatteintäkter. Staden fastställer
                    skattesatserna årligen inom de gränser som anges i fastighetsskattelagen.

                    Mer information om beslutet finns i stadens
                    [beslutstjänst](https://paatokset.example.fi/asia/hel-2026-009312).
                    """
                ),
            },
            "en": {
                "title": "City Council decides on property tax rates for 2027",
                "lead": (
                    "The City Council decided to keep the property tax rate for permanent "
                    "residential buildings unchanged. The general property tax rate will be raised"
                    " by 0.07 percentage points."
                ),
                "body": _md(
                    """
                    At its meeting, the City Council decided on the property tax rates for 2027 in
                    line with the City Board's proposal. The decision safeguards the funding of city
                    services at a time when central government transfers are decreasing.

                    The rates applied in 2027 are:

                    - general property tax rate **1.07**
                    - permanent residential buildings **0.41**
                    - other residential buildings **1.00**
                    - undeveloped building sites **4.00**

                    The increase is estimated to raise the city's tax revenue by approximately EUR
                    14 million a year. The rate for permanent residential buildings was kept
                    unchanged so that housing costs would not rise.

                    With the higher rate for undeveloped building sites, the city encourages
                    landowners to build on plots that have already been zoned. The Tax
                    Administration will send property tax bills to property owners in spring 2027.

                    Property tax is the municipality's most important source of tax revenue after
                    municipal income tax. Last year, the city received a total of approximately EUR
                    290 million in property tax, corresponding to around six per cent of the city's
                    tax revenue. The city sets the rates annually within the limits laid down in the
                    Real Estate Tax Act.

                    More information on the decision is available in the city's [decision
                    service](https://paatokset.example.fi/asia/hel-2026-009312).
                    """
                ),
            },
        },
    },
    {
        "key": "shoreline-tram",
        "source": "city-council",
        "topics": ["transport", "urban-planning"],
        "contacts": [2, 1],
        "decision": {
            "id": "HEL 2026-004518",
            "url": "https://paatokset.example.fi/asia/hel-2026-004518",
        },
        "plan": "published",
        "days_ago": 33,
        "translations": {
            "fi": {
                "title": "Valtuusto hyväksyi Rantaraitiotien hankesuunnitelman",
                "lead": (
                    "Kaupunginvaltuusto hyväksyi Rantaraitiotien hankesuunnitelman äänin 61-24. "
                    "Uusi pikaraitiotie yhdistää keskustan ja kasvavan Kuusiniemen alueen vuodesta"
                    " 2031 alkaen."
                ),
                "body": _md(
                    """
                    Kaupunginvaltuusto hyväksyi keskiviikkona Rantaraitiotien hankesuunnitelman.
                    Noin 11 kilometrin pituinen raitiotie kulkee keskustasta rantaa myötäillen
                    Lehtorannan kautta Kuusiniemeen. Linjalle tulee 17 pysäkkiä.

                    Hankkeen kustannusarvio on 412 miljoonaa euroa. Kaupunki hakee hankkeelle
                    valtion rahoitusta, jonka osuudeksi arvioidaan 30 prosenttia. Rakentaminen on
                    tarkoitus aloittaa vuonna 2027, ja liikennöinnin arvioidaan alkavan vuonna 2031.

                    ## Mitä raitiotie tuo mukanaan

                    - matka-aika keskustasta Kuusiniemeen lyhenee noin 12 minuuttia
                    - radan varteen voidaan rakentaa kodit noin 25 000 uudelle asukkaalle
                    - linjan arvioidaan palvelevan 60 000 matkustajaa arkipäivässä

                    Rakentamisen aikana liikennejärjestelyt muuttuvat vaiheittain. Kaupunki kertoo
                    järjestelyistä hyvissä ajoin ja järjestää asukastilaisuuksia radan varren
                    alueilla.

                    Valtuuston keskustelussa nousivat esiin erityisesti hankkeen kustannusriskit ja
                    rakentamisen aikaiset haitat. Valtuusto hyväksyi ponnen, jonka mukaan
                    kaupunginhallitus raportoi hankkeen kustannusten kehityksestä valtuustolle
                    puolivuosittain.

                    Hankesuunnitelmaan voi tutustua osoitteessa
                    [www.example.fi/rantaraitiotie](https://www.example.fi/rantaraitiotie).
                    """
                ),
            },
            "sv": {
                "title": "Fullmäktige godkände projektplanen för Strandspårvägen",
                "lead": (
                    "Stadsfullmäktige godkände projektplanen för Strandspårvägen med rösterna "
                    "61-24. Den nya snabbspårvägen förbinder centrum med det växande Granudden "
                    "från och med 2031."
                ),
                "body": _md(
                    """
                    Stadsfullmäktige godkände på onsdagen projektplanen för Strandspårvägen. Den
                    cirka 11 kilometer långa spårvägen går från centrum längs stranden via
                    Lundstrand till Granudden. Linjen får 17 hållplatser.

                    Projektets kostnadskalkyl är 412 miljoner euro. Staden ansöker om statlig
                    finansiering för projektet, och statens andel beräknas bli 30 procent. Byggandet
                    ska enligt planerna inledas 2027, och trafiken beräknas komma i gång 2031.

                    ## Vad spårvägen för med sig

                    - restiden från centrum till Granudden förkortas med cirka 12 minuter
                    - längs banan kan det byggas bostäder för cirka 25 000 nya invånare
                    - linjen beräknas betjäna 60 000 passagerare per vardag

                    Under byggtiden ändras trafikarrangemangen stegvis. Staden informerar om
                    arrangemangen i god tid och ordnar invånarmöten i områdena längs banan.

                    I fullmäktiges diskussion lyftes särskilt projektets kostnadsrisker och
                    olägenheterna under byggtiden fram. Fullmäktige godkände en hemställningskläm
                    enligt vilken stadsstyrelsen rapporterar om kostnadsutvecklingen i projektet
                    till fullmäktige varje halvår.

                    Projektplanen finns på
                    [www.example.fi/strandsparvagen](https://www.example.fi/strandsparvagen).
                    """
                ),
            },
            "en": {
                "title": "City Council approves the project plan for the Shoreline tram",
                "lead": (
                    "The City Council approved the project plan for the Shoreline tram by 61 votes"
                    " to 24. The new light rail line will connect the city centre with the growing"
                    " Kuusiniemi area from 2031."
                ),
                "body": _md(
                    """
                    On Wednesday, the City Council approved the project plan for the Shoreline tram.
                    The approximately 11-kilometre line will run from the city centre along the
                    shore via Lehtoranta to Kuusiniemi. The line will have 17 stops.

                    The estimated cost of the project is EUR 412 million. The city is applying for
                    central government funding, which is expected to cover 30 per cent. Construction
                    is scheduled to begin in 2027, and services are expected to start in 2031.

                    ## What the tram will bring

                    - travel time from the city centre to Kuusiniemi will be cut by about 12 minutes
                    - homes for around 25,000 new residents can be built along the line
                    - the line is expected to serve 60,000 passengers on weekdays

                    Traffic arrangements will change in phases during construction. The city will
                    announce the arrangements well in advance and organise residents' events in the
                    areas along the line.

                    The Council debate focused in particular on the project's cost risks and the
                    disruption during construction. The Council approved a resolution requiring the
                    City Board to report to the Council on the project's cost development every six
                    months.

                    The project plan is available at
                    [www.example.fi/shoreline-tram](https://www.example.fi/shoreline-tram).
                    """
                ),
            },
        },
    },
    {
        "key": "cycling-network",
        "source": "city-executive-office",
        "topics": ["transport", "environment"],
        "contacts": [2],
        "plan": "published",
        "days_ago": 58,
        "translations": {
            "fi": {
                "title": "Pyöräilyn laatuverkkoon 14 uutta kilometriä tänä vuonna",
                "lead": (
                    "Kaupunki rakentaa tänä vuonna 14 kilometriä uusia pyöräteitä. Valmistuttuaan "
                    "laatuverkko yhdistää kaikki suuret asuinalueet keskustaan."
                ),
                "body": _md(
                    """
                    Kaupunki jatkaa pyöräilyn laatuverkon rakentamista. Tänä vuonna valmistuu 14
                    kilometriä uusia yksisuuntaisia pyöräteitä, jotka erotetaan sekä jalankulusta
                    että autoliikenteestä.

                    Rakennustyöt keskittyvät kolmelle reitille:

                    - Itäväylän pyörätie Kalliorinteen ja keskustan välillä
                    - Rantareitti Lehtorannasta satamaan
                    - Pohjoinen poikittaisreitti Kuusiniemen ja Vaskilahden välillä

                    Pyöräilyn osuus kaupungin sisäisistä matkoista on nyt 11 prosenttia. Tavoitteena
                    on nostaa osuus 20 prosenttiin vuoteen 2035 mennessä. Laatuverkko on keskeinen
                    keino tavoitteen saavuttamiseksi, sillä turvalliset ja sujuvat reitit
                    houkuttelevat pyöräilemään myös niitä, jotka eivät nyt pyöräile.

                    Laatuverkon rakentamiseen on varattu tälle vuodelle 21 miljoonaa euroa. Uusien
                    pyöräteiden yhteydessä uusitaan myös katuvalaistus, ja risteyksiin rakennetaan
                    korotettuja suojateitä, jotka hidastavat autoliikennettä ja parantavat kaikkien
                    kulkijoiden turvallisuutta. Talvella laatuverkko aurataan ja harjataan
                    ensimmäisten joukossa.

                    Työmaiden aikana pyöräilijöille ja jalankulkijoille osoitetaan väliaikaiset
                    kiertoreitit. Ajantasaiset tiedot työmaista löytyvät
                    [karttapalvelusta](https://www.example.fi/kartta/pyorailytyomaat).
                    """
                ),
            },
            "sv": {
                "title": "14 nya kilometer i cykelstråksnätet i år",
                "lead": (
                    "Staden bygger i år 14 kilometer nya cykelbanor. När nätet är färdigt "
                    "förbinder det alla stora bostadsområden med centrum."
                ),
                "body": _md(
                    """
                    Staden fortsätter att bygga ett nät av högklassiga cykelstråk. I år blir 14
                    kilometer nya enkelriktade cykelbanor färdiga. De skiljs åt från både
                    gångtrafiken och biltrafiken.

                    Byggarbetena koncentreras till tre rutter:

                    - Österledens cykelbana mellan Bergslänten och centrum
                    - Strandrutten från Lundstrand till hamnen
                    - Den norra tvärförbindelsen mellan Granudden och Kopparviken

                    Cykelns andel av resorna inom staden är nu 11 procent. Målet är att höja andelen
                    till 20 procent före 2035. Nätet av cykelstråk är ett centralt medel för att nå
                    målet, eftersom trygga och smidiga rutter lockar också dem som inte cyklar i dag
                    att börja cykla.

                    För byggandet av nätet har 21 miljoner euro reserverats för i år. I samband med
                    de nya cykelbanorna förnyas också gatubelysningen, och i korsningarna byggs
                    upphöjda övergångsställen som sänker bilarnas hastighet och förbättrar
                    säkerheten för alla trafikanter. På vintern hör cykelstråken till de första som
                    plogas och sopas.

                    Under byggtiden anvisas cyklister och fotgängare tillfälliga omvägar. Aktuell
                    information om arbetsplatserna finns i
                    [karttjänsten](https://www.example.fi/karta/cykelarbeten).
                    """
                ),
            },
            "en": {
                "title": "14 new kilometres added to the cycling network this year",
                "lead": (
                    "The city will build 14 kilometres of new cycle paths this year. Once "
                    "completed, the high-quality network will connect all major residential areas "
                    "to the city centre."
                ),
                "body": _md(
                    """
                    The city continues to build its high-quality cycling network. This year, 14
                    kilometres of new one-way cycle paths will be completed, separated from both
                    pedestrians and motor traffic.

                    Construction work will focus on three routes:

                    - the Eastern cycle path between Kalliorinne and the city centre
                    - the Shore route from Lehtoranta to the harbour
                    - the Northern cross-town route between Kuusiniemi and Vaskilahti

                    Cycling currently accounts for 11 per cent of trips within the city. The goal is
                    to raise this share to 20 per cent by 2035. The network is a key means of
                    achieving the goal, as safe and smooth routes also encourage people who do not
                    cycle today to take up cycling.

                    EUR 21 million has been allocated to building the network this year. Street
                    lighting will also be renewed alongside the new cycle paths, and raised
                    pedestrian crossings will be built at junctions to slow down motor traffic and
                    improve safety for everyone. In winter, the network is among the first routes to
                    be ploughed and brushed.

                    Temporary detours will be provided for cyclists and pedestrians during the
                    works. Up-to-date information on the worksites is available in the [map
                    service](https://www.example.fi/map/cycling-works).
                    """
                ),
            },
        },
    },
    {
        "key": "school-network",
        "source": "city-board",
        "topics": ["education"],
        "contacts": [3],
        "decision": {
            "id": "HEL 2026-013027",
            "url": "https://paatokset.example.fi/asia/hel-2026-013027",
        },
        "plan": "in_review",
        "translations": {
            "fi": {
                "title": "Kaupunginhallitus esittää muutoksia itäisen alueen kouluverkkoon",
                "lead": (
                    "Kaupunginhallitus esittää valtuustolle, että Kalliorinteen kaksi pientä "
                    "ala-koulua yhdistetään ja Kuusiniemeen rakennetaan uusi yhtenäiskoulu. "
                    "Muutokset tehtäisiin vuoteen 2029 mennessä."
                ),
                "body": _md(
                    """
                    Kaupunginhallitus esittää kaupunginvaltuustolle itäisen alueen kouluverkon
                    muutoksia. Taustalla on oppilasmäärien muutos: Kalliorinteessä lasten määrä
                    vähenee, kun taas Kuusiniemen uudella asuinalueella oppilaita on ennusteen
                    mukaan vuonna 2030 lähes 900.

                    Esityksen mukaan Kalliorinteen ala-asteen ja Kivipellon ala-asteen koulut
                    yhdistetään syksyllä 2027 yhdeksi kouluksi, joka toimii Kalliorinteen
                    peruskorjatussa rakennuksessa. Kuusiniemeen rakennetaan uusi yhtenäiskoulu,
                    jonka on määrä valmistua vuonna 2029.

                    **Oppilaiden koulumatkat eivät esityksen mukaan pitene yli kilometrin
                    lakisääteisen rajan**, ja kaikki nykyiset oppilaat voivat jatkaa samassa
                    koulussa yhdistymisen jälkeen.

                    Muutoksista kuultiin huoltajia ja oppilaita keväällä. Kuulemisessa saatiin yli 1
                    200 vastausta, ja niiden perusteella yhdistämistä siirrettiin vuodella
                    alkuperäisestä suunnitelmasta.

                    Uusi yhtenäiskoulu mitoitetaan 900 oppilaalle, ja samaan rakennukseen tulee
                    päiväkoti sekä asukkaiden iltakäyttöön soveltuvia liikunta- ja harrastustiloja.
                    Rakennuksen kustannusarvio on 64 miljoonaa euroa.

                    Kaupunginvaltuusto käsittelee asiaa seuraavassa kokouksessaan.
                    """
                ),
            },
            "sv": {
                "title": "Stadsstyrelsen föreslår ändringar i skolnätet i det östra området",
                "lead": (
                    "Stadsstyrelsen föreslår för fullmäktige att två små lågstadieskolor i "
                    "Bergslänten slås samman och att en ny enhetsskola byggs i Granudden. "
                    "Ändringarna skulle genomföras före 2029."
                ),
                "body": _md(
                    """
                    Stadsstyrelsen föreslår för stadsfullmäktige ändringar i skolnätet i det östra
                    området. Bakgrunden är förändrade elevantal: i Bergslänten minskar antalet barn,
                    medan det nya bostadsområdet i Granudden enligt prognosen har nästan 900 elever
                    år 2030.

                    Enligt förslaget slås Bergsläntens lågstadieskola och Stenåkerns lågstadieskola
                    samman hösten 2027 till en skola som verkar i Bergsläntens grundrenoverade
                    byggnad. I Granudden byggs en ny enhetsskola, som enligt planerna blir färdig
                    2029.

                    **Enligt förslaget blir elevernas skolvägar inte längre än den lagstadgade
                    gränsen på en kilometer**, och alla nuvarande elever kan fortsätta i samma skola
                    efter sammanslagningen.

                    Vårdnadshavare och elever hördes om ändringarna under våren. Hörandet gav över 1
                    200 svar, och utifrån dem sköts sammanslagningen upp ett år jämfört med den
                    ursprungliga planen.

                    Den nya enhetsskolan dimensioneras för 900 elever, och i samma byggnad kommer
                    ett daghem samt idrotts- och hobbylokaler som invånarna kan använda på
                    kvällarna. Kostnadskalkylen för byggnaden är 64 miljoner euro.

                    Stadsfullmäktige behandlar ärendet vid sitt nästa sammanträde.
                    """
                ),
            },
        },
    },
    {
        "key": "day-care-fees",
        "source": "city-board",
        "topics": ["education", "economy"],
        "contacts": [3, 0],
        "decision": {
            "id": "HEL 2026-010455",
            "url": "https://paatokset.example.fi/asia/hel-2026-010455",
        },
        "plan": "withdrawn",
        "days_ago": 14,
        "reason": (
            "Kaupunginhallitus palautti asian uudelleen valmisteltavaksi, joten tiedote vedettiin "
            "pois. The City Board returned the matter for further preparation, so the release was "
            "withdrawn."
        ),
        "translations": {
            "fi": {
                "title": "Varhaiskasvatuksen asiakasmaksut pysyvät ennallaan ensi vuonna",
                "lead": (
                    "Kaupunginhallitus päätti, että kunnallisen varhaiskasvatuksen asiakasmaksuja "
                    "ei koroteta vuonna 2027. Sisarusalennus säilyy nykyisellään."
                ),
                "body": _md(
                    """
                    Kaupunginhallitus päätti maanantaina, että varhaiskasvatuksen asiakasmaksut
                    pidetään vuonna 2027 ennallaan. Kokopäiväisen varhaiskasvatuksen enimmäismaksu
                    on edelleen 311 euroa kuukaudessa.

                    Laki varhaiskasvatuksen asiakasmaksuista mahdollistaisi maksujen korottamisen
                    indeksitarkistuksen mukaisesti. Kaupunki on kuitenkin päättänyt olla
                    korottamatta maksuja, jotta lapsiperheiden kustannukset eivät kasvaisi.

                    Maksut määräytyvät edelleen perheen koon, tulojen ja varhaiskasvatuksen
                    tuntimäärän mukaan:

                    - nuorimmasta lapsesta peritään täysi maksu
                    - toisesta lapsesta peritään enintään 40 prosenttia nuorimman lapsen maksusta
                    - kolmannesta ja sitä seuraavista lapsista peritään 20 prosenttia

                    Kaupungissa on varhaiskasvatuksessa noin 33 000 lasta, joista valtaosa
                    kunnallisessa varhaiskasvatuksessa. Noin viidennes perheistä ei maksa
                    varhaiskasvatuksesta lainkaan, koska perheen tulot jäävät alle maksuttomuuden
                    tulorajan.

                    Päätöksen vaikutus kaupungin talouteen on noin 2,4 miljoonaa euroa. Perheiden ei
                    tarvitse tehdä mitään, vaan maksut lasketaan automaattisesti. Maksuihin voi
                    tutustua [maksulaskurilla](https://www.example.fi/varhaiskasvatus/maksulaskuri).
                    """
                ),
            },
            "sv": {
                "title": "Klientavgifterna inom småbarnspedagogiken hålls oförändrade nästa år",
                "lead": (
                    "Stadsstyrelsen beslutade att klientavgifterna inom den kommunala "
                    "småbarnspedagogiken inte höjs 2027. Syskonrabatten förblir densamma."
                ),
                "body": _md(
                    """
                    Stadsstyrelsen beslutade på måndagen att klientavgifterna inom
                    småbarnspedagogiken hålls oförändrade 2027. Den högsta avgiften för
                    småbarnspedagogik på heltid är fortfarande 311 euro i månaden.

                    Lagen om klientavgifter inom småbarnspedagogiken skulle göra det möjligt att
                    höja avgifterna i enlighet med indexjusteringen. Staden har dock beslutat att
                    inte höja avgifterna, så att barnfamiljernas kostnader inte ska öka.

                    Avgifterna bestäms fortfarande utifrån familjens storlek och inkomster och
                    antalet timmar i småbarnspedagogik:

                    - för det yngsta barnet tas full avgift ut
                    - för det andra barnet tas högst 40 procent av det yngsta barnets avgift ut
                    - för det tredje och följande barn tas 20 procent ut

                    I staden deltar cirka 33 000 barn i småbarnspedagogik, de flesta av dem i
                    kommunal småbarnspedagogik. Ungefär en femtedel av familjerna betalar ingenting
                    för småbarnspedagogiken, eftersom familjens inkomster understiger inkomstgränsen
                    för avgiftsfrihet.

                    Beslutets effekt på stadens ekonomi är cirka 2,4 miljoner euro. Familjerna
                    behöver inte göra något, utan avgifterna räknas ut automatiskt. Avgifterna kan
                    granskas med
                    [avgiftsräknaren](https://www.example.fi/smabarnspedagogik/avgiftsraknare).
                    """
                ),
            },
            "en": {
                "title": "Early childhood education fees to remain unchanged next year",
                "lead": (
                    "The City Board decided that client fees for municipal early childhood "
                    "education will not be raised in 2027. The sibling discount will remain as it "
                    "is."
                ),
                "body": _md(
                    """
                    On Monday, the City Board decided to keep early childhood education fees
                    unchanged in 2027. The maximum fee for full-day early childhood education
                    remains EUR 311 per month.

                    The Act on Early Childhood Education Client Fees would allow the fees to be
                    raised in line with the index adjustment. However, the city has decided not to
                    raise the fees so that the costs of families with children do not increase.

                    The fees will continue to be based on the size and income of the family and the
                    number of hours in early childhood education:

                    - the full fee is charged for the youngest child
                    - for the second child, the fee is at most 40 per cent of the youngest child's
                      fee
                    - for the third and any subsequent children, the fee is 20 per cent

                    There are approximately 33,000 children in early childhood education in the
                    city, most of them in municipal early childhood education. Around one in five
                    families pay nothing at all, as their income is below the threshold for free
                    early childhood education.

                    The decision's impact on the city's finances is approximately EUR 2.4 million.
                    Families do not need to do anything, as the fees are calculated automatically.
                    The fees can be checked with the [fee
                    calculator](https://www.example.fi/early-education/fee-calculator).
                    """
                ),
            },
        },
    },
    {
        "key": "housing-programme",
        "source": "city-council",
        "topics": ["housing", "urban-planning"],
        "contacts": [1],
        "decision": {
            "id": "HEL 2026-002209",
            "url": "https://paatokset.example.fi/asia/hel-2026-002209",
        },
        "plan": "published",
        "days_ago": 47,
        "translations": {
            "fi": {
                "title": "Uusi asunto-ohjelma: tavoitteena 7 500 uutta kotia vuodessa",
                "lead": (
                    "Kaupunginvaltuusto hyväksyi asumisen ja maankäytön toteutusohjelman vuosille "
                    "2026-2029. Ohjelman tavoitteena on 7 500 uuden asunnon valmistuminen "
                    "vuosittain."
                ),
                "body": _md(
                    """
                    Kaupunginvaltuusto hyväksyi asumisen ja siihen liittyvän maankäytön
                    toteutusohjelman. Ohjelma linjaa, kuinka paljon ja millaisia asuntoja kaupunkiin
                    rakennetaan tulevina vuosina.

                    Ohjelman tavoitteena on, että kaupunkiin valmistuu vuosittain 7 500 uutta
                    asuntoa. Asuntotuotannon hallintamuotojakauma säilyy ennallaan:

                    - **25 prosenttia** valtion tukemia pitkän korkotuen vuokra-asuntoja
                    - **30 prosenttia** välimuodon asuntoja, kuten asumisoikeus- ja hitas-asuntoja
                    - **45 prosenttia** sääntelemättömiä omistus- ja vuokra-asuntoja

                    Lisäksi ohjelma korostaa perheasuntojen määrää. Uusista asunnoista vähintään 40
                    prosenttia tulee olla perheasunnoiksi soveltuvia.

                    "Riittävä ja monipuolinen asuntotuotanto on paras keino hillitä asumisen
                    hintoja. Haluamme, että kaupungissa voi asua tuloista riippumatta", sanoo
                    apulaispormestari Mikko Tervaniemi.

                    Ohjelman toteuttamiseksi kaupunki luovuttaa vuosittain tontteja noin 3 500
                    asunnon rakentamiseen. Lisäksi kaupunki edistää täydennysrakentamista olemassa
                    olevilla asuinalueilla ja toimistorakennusten muuttamista asunnoiksi.

                    Ohjelma on luettavissa osoitteessa
                    [www.example.fi/asuntoohjelma](https://www.example.fi/asuntoohjelma).
                    """
                ),
            },
            "sv": {
                "title": "Nytt bostadsprogram: målet är 7 500 nya hem per år",
                "lead": (
                    "Stadsfullmäktige godkände genomförandeprogrammet för boende och "
                    "markanvändning för 2026-2029. Målet med programmet är att 7 500 nya bostäder "
                    "ska bli färdiga varje år."
                ),
                "body": _md(
                    """
                    Stadsfullmäktige godkände genomförandeprogrammet för boende och den därtill
                    hörande markanvändningen. Programmet anger hur mycket och vilka slags bostäder
                    som ska byggas i staden under de kommande åren.

                    Målet med programmet är att 7 500 nya bostäder ska bli färdiga i staden varje
                    år. Fördelningen mellan upplåtelseformerna förblir oförändrad:

                    - **25 procent** statligt stödda hyresbostäder med långt räntestöd
                    - **30 procent** bostäder i mellanformer, såsom bostadsrätts- och hitasbostäder
                    - **45 procent** oreglerade ägar- och hyresbostäder

                    Programmet betonar dessutom antalet familjebostäder. Minst 40 procent av de nya
                    bostäderna ska lämpa sig som familjebostäder.

                    "Ett tillräckligt och mångsidigt bostadsbyggande är det bästa sättet att dämpa
                    boendepriserna. Vi vill att man ska kunna bo i staden oberoende av inkomster",
                    säger biträdande borgmästare Mikko Tervaniemi.

                    För att genomföra programmet överlåter staden varje år tomter för byggandet av
                    cirka 3 500 bostäder. Staden främjar dessutom kompletteringsbyggande i
                    befintliga bostadsområden och ombyggnad av kontorsbyggnader till bostäder.

                    Programmet finns på
                    [www.example.fi/bostadsprogram](https://www.example.fi/bostadsprogram).
                    """
                ),
            },
            "en": {
                "title": "New housing programme: target of 7,500 new homes a year",
                "lead": (
                    "The City Council approved the implementation programme for housing and land "
                    "use for 2026-2029. The programme aims for 7,500 new homes to be completed "
                    "every year."
                ),
                "body": _md(
                    """
                    The City Council approved the implementation programme for housing and related
                    land use. The programme sets out how many and what kind of homes will be built
                    in the city in the coming years.

                    The programme's goal is for 7,500 new homes to be completed in the city each
                    year. The distribution of tenure types will remain unchanged:

                    - **25 per cent** state-subsidised rental homes with long-term interest subsidy
                    - **30 per cent** intermediate tenure homes, such as right-of-occupancy and
                      price-regulated homes
                    - **45 per cent** non-regulated owner-occupied and rental homes

                    The programme also emphasises family-sized homes. At least 40 per cent of new
                    homes must be suitable for families.

                    "Sufficient and diverse housing production is the best way to curb housing
                    prices. We want people to be able to live in the city regardless of their
                    income," says Deputy Mayor Mikko Tervaniemi.

                    To implement the programme, the city will release plots for the construction of
                    approximately 3,500 homes every year. The city will also promote infill
                    construction in existing residential areas and the conversion of office
                    buildings into homes.

                    The programme is available at
                    [www.example.fi/housing-programme](https://www.example.fi/housing-programme).
                    """
                ),
            },
        },
    },
    {
        "key": "homelessness",
        "source": "city-executive-office",
        "topics": ["housing", "health-and-social-services"],
        "contacts": [1, 3],
        "plan": "published",
        "days_ago": 71,
        "translations": {
            "fi": {
                "title": "Pitkäaikaisasunnottomuus väheni kaupungissa viidenneksellä",
                "lead": (
                    "Kaupungissa oli vuoden lopussa 410 pitkäaikaisasunnotonta, mikä on "
                    "viidenneksen vähemmän kuin vuotta aiemmin. Kaupunki jatkaa Asunto ensin "
                    "-periaatteen mukaista työtä."
                ),
                "body": _md(
                    """
                    Asumisen rahoitus- ja kehittämiskeskuksen tuoreen selvityksen mukaan kaupungissa
                    oli vuoden lopussa 410 pitkäaikaisasunnotonta. Määrä väheni edellisvuodesta 21
                    prosenttia.

                    Kaupunki on viime vuosina lisännyt tuettuja asuntoja ja asumisneuvontaa. Vuoden
                    aikana asunnottomille osoitettiin 320 uutta tuettua asuntoa, ja asumisneuvojat
                    auttoivat yli 2 800 kotitaloutta välttämään häädön.

                    ## Työ jatkuu

                    Tavoitteena on poistaa pitkäaikaisasunnottomuus kaupungista vuoteen 2030
                    mennessä. Tätä varten kaupunki:

                    - rakentaa yhdessä järjestöjen kanssa 150 uutta tuettua asuntoa vuosittain
                    - laajentaa asumisneuvontaa kaikkiin kaupungin vuokrataloihin
                    - vahvistaa nuorten asunnottomuuden ennaltaehkäisyä

                    **Erityisesti nuorten ja naisten asunnottomuus vaatii uusia keinoja**, sillä
                    heidän asunnottomuutensa on usein piiloista ja he asuvat tilapäisesti
                    tuttaviensa luona.

                    Asumisneuvontaan voi ottaa yhteyttä numerossa 09 310 12345 tai osoitteessa
                    [www.example.fi/asumisneuvonta](https://www.example.fi/asumisneuvonta).
                    """
                ),
            },
            "sv": {
                "title": "Långtidsbostadslösheten i staden minskade med en femtedel",
                "lead": (
                    "I slutet av året fanns det 410 långtidsbostadslösa i staden, en femtedel "
                    "färre än ett år tidigare. Staden fortsätter arbetet enligt principen Bostad "
                    "först."
                ),
                "body": _md(
                    """
                    Enligt en färsk utredning av Finansierings- och utvecklingscentralen för boendet
                    fanns det 410 långtidsbostadslösa i staden i slutet av året. Antalet minskade
                    med 21 procent från föregående år.

                    Staden har under de senaste åren ökat antalet stödbostäder och utökat
                    bostadsrådgivningen. Under året anvisades 320 nya stödbostäder för bostadslösa,
                    och bostadsrådgivarna hjälpte över 2 800 hushåll att undvika vräkning.

                    ## Arbetet fortsätter

                    Målet är att långtidsbostadslösheten i staden ska vara avskaffad före 2030. För
                    att nå målet ska staden:

                    - tillsammans med organisationer bygga 150 nya stödbostäder per år
                    - utvidga bostadsrådgivningen till alla stadens hyreshus
                    - stärka förebyggandet av bostadslöshet bland unga

                    **I synnerhet bostadslösheten bland unga och kvinnor kräver nya metoder**,
                    eftersom deras bostadslöshet ofta är dold och de bor tillfälligt hos bekanta.

                    Bostadsrådgivningen nås på numret 09 310 12345 eller på
                    [www.example.fi/bostadsradgivning](https://www.example.fi/bostadsradgivning).
                    """
                ),
            },
            "en": {
                "title": "Long-term homelessness in the city fell by a fifth",
                "lead": (
                    "At the end of the year, there were 410 long-term homeless people in the city,"
                    " a fifth fewer than a year earlier. The city will continue its work based on "
                    "the Housing First principle."
                ),
                "body": _md(
                    """
                    According to a recent report by the Housing Finance and Development Centre,
                    there were 410 long-term homeless people in the city at the end of the year. The
                    number fell by 21 per cent from the previous year.

                    In recent years, the city has increased the number of supported homes and
                    expanded housing advice. During the year, 320 new supported homes were allocated
                    to homeless people, and housing advisers helped more than 2,800 households avoid
                    eviction.

                    ## The work continues

                    The goal is to end long-term homelessness in the city by 2030. To this end, the
                    city will:

                    - build 150 new supported homes a year together with NGOs
                    - extend housing advice to all city-owned rental buildings
                    - strengthen the prevention of youth homelessness

                    **Homelessness among young people and women in particular calls for new
                    approaches**, as it is often hidden and they stay temporarily with
                    acquaintances.

                    Housing advice is available on 09 310 12345 or at
                    [www.example.fi/housing-advice](https://www.example.fi/housing-advice).
                    """
                ),
            },
        },
    },
    {
        "key": "council-question-time",
        "source": "city-council",
        "topics": ["administration"],
        "contacts": [0],
        "plan": "draft",
        "translations": {
            "fi": {
                "title": (
                    "Valtuuston kyselytunnilla aiheina talvikunnossapito ja koulujen sisäilma"
                ),
                "lead": (
                    "Kaupunginvaltuuston kyselytunnilla valtuutetut kysyvät pormestarilta ja "
                    "apulaispormestareilta ajankohtaisista asioista. Kokousta voi seurata suorana "
                    "verkossa."
                ),
                "body": _md(
                    """
                    Kaupunginvaltuuston kyselytunti järjestetään keskiviikkona valtuuston kokouksen
                    alussa kello 17. Valtuutetut ovat jättäneet määräaikaan mennessä yhteensä
                    yhdeksän kysymystä.

                    Kyselytunnilla käsitellään muun muassa seuraavia aiheita:

                    - talvikunnossapidon resurssit ja jalkakäytävien liukkaudentorjunta
                    - koulujen sisäilmaongelmat ja peruskorjausten aikataulu
                    - nuorten mielenterveyspalvelujen jonot
                    - kaupungin omistamien vuokra-asuntojen energiaremontit

                    Kysymyksiin vastaavat pormestari Helena Saarivirta ja apulaispormestarit.
                    Kysymyksen esittäjällä on oikeus lisäkysymykseen, minkä jälkeen muut valtuutetut
                    voivat osallistua keskusteluun.

                    Kysymykset ja niihin annettavat kirjalliset vastaukset julkaistaan kokouksen
                    jälkeen kaupungin päätöspalvelussa. Kyselytunnin jälkeen valtuusto jatkaa
                    kokoustaan esityslistan mukaisesti, ja illan pääasiana on kaupunginhallituksen
                    esitys itäisen alueen kouluverkosta.

                    Kyselytunti on osa kaupunginvaltuuston työjärjestystä, ja se järjestetään neljä
                    kertaa vuodessa. Kokousta voi seurata suorana lähetyksenä osoitteessa
                    [www.example.fi/valtuusto-live](https://www.example.fi/valtuusto-live), ja
                    tallenne on katsottavissa jälkikäteen.
                    """
                ),
            },
            "sv": {
                "title": "Vinterunderhåll och inomhusluften i skolor på fullmäktiges frågestund",
                "lead": (
                    "På stadsfullmäktiges frågestund ställer ledamöterna frågor till borgmästaren "
                    "och de biträdande borgmästarna om aktuella ärenden. Sammanträdet kan följas "
                    "direkt på webben."
                ),
                "body": _md(
                    """
                    Stadsfullmäktiges frågestund hålls på onsdagen i början av fullmäktiges
                    sammanträde klockan 17. Ledamöterna har inom utsatt tid lämnat in sammanlagt nio
                    frågor.

                    På frågestunden behandlas bland annat följande teman:

                    - resurserna för vinterunderhållet och halkbekämpningen på trottoarerna
                    - problemen med inomhusluften i skolor och tidtabellen för grundrenoveringarna
                    - köerna till ungas mentalvårdstjänster
                    - energirenoveringarna av stadens hyresbostäder

                    Frågorna besvaras av borgmästare Helena Saarivirta och de biträdande
                    borgmästarna. Den som ställt frågan har rätt till en tilläggsfråga, varefter
                    andra ledamöter kan delta i diskussionen.

                    Frågorna och de skriftliga svaren på dem publiceras i stadens beslutstjänst
                    efter sammanträdet. Efter frågestunden fortsätter fullmäktige sitt sammanträde
                    enligt föredragningslistan, och kvällens huvudärende är stadsstyrelsens förslag
                    om skolnätet i det östra området.

                    Frågestunden ingår i stadsfullmäktiges arbetsordning och hålls fyra gånger per
                    år. Sammanträdet kan följas direkt på
                    [www.example.fi/fullmaktige-live](https://www.example.fi/fullmaktige-live), och
                    inspelningen kan ses i efterhand.
                    """
                ),
            },
        },
    },
    {
        "key": "climate-neutrality",
        "source": "city-council",
        "topics": ["environment"],
        "contacts": [1],
        "decision": {
            "id": "HEL 2026-006731",
            "url": "https://paatokset.example.fi/asia/hel-2026-006731",
        },
        "plan": "embargo",
        "in_hours": 30,
        "embargo_terms": (
            "Embargo: julkaistavissa vasta, kun valtuuston kokous on päättynyt. Embargo: not for "
            "publication until the City Council meeting has ended."
        ),
        "translations": {
            "fi": {
                "title": "Kaupunki aikaistaa hiilineutraaliustavoitteensa vuoteen 2030",
                "lead": (
                    "Kaupunginvaltuusto päätti aikaistaa kaupungin hiilineutraaliustavoitetta "
                    "viidellä vuodella. Päästöjä vähennetään 80 prosenttia vuoden 1990 tasosta "
                    "vuoteen 2030 mennessä."
                ),
                "body": _md(
                    """
                    Kaupunginvaltuusto päätti kokouksessaan, että kaupunki tavoittelee
                    hiilineutraaliutta vuonna 2030 aiemman vuoden 2035 sijaan. Päätös perustuu
                    kaupunginhallituksen esitykseen ja päivitettyyn päästövähennysohjelmaan.

                    Kaupungin alueen kasvihuonekaasupäästöt ovat vähentyneet 41 prosenttia vuoden
                    1990 tasosta. Valtaosa vähennyksestä johtuu kaukolämmön tuotannon muutoksista,
                    kun kivihiilen käytöstä on luovuttu.

                    ## Suurimmat päästövähennykset tulevat

                    - **lämmityksestä**, kun kaukolämpö tuotetaan lämpöpumpuilla ja uusiutuvilla
                      lähteillä
                    - **liikenteestä**, kun joukkoliikenne, pyöräily ja sähköautot yleistyvät
                    - **rakentamisesta**, kun vähähiiliset materiaalit otetaan käyttöön kaupungin
                      hankkeissa

                    Jäljelle jäävät päästöt kaupunki kompensoi hankkimalla päästövähennyksiä
                    kaupungin alueen ulkopuolelta.

                    "Ilmastotyö ei ole vain kaupungin organisaation asia. Tarvitsemme mukaan
                    yritykset, taloyhtiöt ja jokaisen asukkaan", pormestari Helena Saarivirta sanoo.

                    Päästövähennysohjelma on luettavissa osoitteessa
                    [www.example.fi/ilmasto](https://www.example.fi/ilmasto).
                    """
                ),
            },
            "sv": {
                "title": "Staden tidigarelägger sitt mål om klimatneutralitet till 2030",
                "lead": (
                    "Stadsfullmäktige beslutade att tidigarelägga stadens mål om klimatneutralitet"
                    " med fem år. Utsläppen ska minskas med 80 procent från 1990 års nivå före "
                    "2030."
                ),
                "body": _md(
                    """
                    Stadsfullmäktige beslutade vid sitt sammanträde att staden eftersträvar
                    klimatneutralitet 2030 i stället för det tidigare målåret 2035. Beslutet bygger
                    på stadsstyrelsens förslag och ett uppdaterat program för utsläppsminskningar.

                    Växthusgasutsläppen inom stadens område har minskat med 41 procent från 1990 års
                    nivå. Huvuddelen av minskningen beror på förändringar i fjärrvärmeproduktionen,
                    där man har slutat använda stenkol.

                    ## De största utsläppsminskningarna kommer från

                    - **uppvärmningen**, när fjärrvärmen produceras med värmepumpar och förnybara
                      källor
                    - **trafiken**, när kollektivtrafik, cykling och elbilar blir vanligare
                    - **byggandet**, när koldioxidsnåla material tas i bruk i stadens projekt

                    De återstående utsläppen kompenserar staden genom att skaffa utsläppsminskningar
                    utanför stadens område.

                    "Klimatarbetet är inte bara en fråga för stadens organisation. Vi behöver få med
                    företag, husbolag och varje invånare", säger borgmästare Helena Saarivirta.

                    Programmet för utsläppsminskningar finns på
                    [www.example.fi/klimat](https://www.example.fi/klimat).
                    """
                ),
            },
            "en": {
                "title": "City brings its climate neutrality target forward to 2030",
                "lead": (
                    "The City Council decided to bring the city's climate neutrality target "
                    "forward by five years. Emissions will be cut by 80 per cent from 1990 levels "
                    "by 2030."
                ),
                "body": _md(
                    """
                    At its meeting, the City Council decided that the city will aim for climate
                    neutrality in 2030 instead of the previous target year of 2035. The decision is
                    based on the City Board's proposal and an updated emissions reduction programme.

                    Greenhouse gas emissions in the city area have fallen by 41 per cent from 1990
                    levels. Most of the reduction is due to changes in district heat production, as
                    the use of coal has been phased out.

                    ## The largest emission reductions will come from

                    - **heating**, as district heat is produced with heat pumps and renewable
                      sources
                    - **transport**, as public transport, cycling and electric cars become more
                      common
                    - **construction**, as low-carbon materials are introduced in the city's
                      projects

                    The city will offset the remaining emissions by acquiring emission reductions
                    outside the city area.

                    "Climate action is not just a matter for the city organisation. We need
                    businesses, housing companies and every resident on board," says Mayor Helena
                    Saarivirta.

                    The emissions reduction programme is available at
                    [www.example.fi/climate](https://www.example.fi/climate).
                    """
                ),
            },
        },
    },
    {
        "key": "seafront-park",
        "source": "city-board",
        "topics": ["urban-planning", "environment"],
        "contacts": [1],
        "decision": {
            "id": "HEL 2026-007604",
            "url": "https://paatokset.example.fi/asia/hel-2026-007604",
        },
        "plan": "published",
        "days_ago": 19,
        "translations": {
            "fi": {
                "title": (
                    "Lehtorannan merenrantapuiston suunnitelma etenee valtuuston käsittelyyn"
                ),
                "lead": (
                    "Kaupunginhallitus esittää valtuustolle Lehtorannan merenrantapuiston "
                    "asemakaavan hyväksymistä. Entiselle satama-alueelle syntyisi 14 hehtaarin "
                    "puisto ja kolmen kilometrin rantareitti."
                ),
                "body": _md(
                    """
                    Kaupunginhallitus esittää kaupunginvaltuustolle, että Lehtorannan
                    merenrantapuiston asemakaava hyväksytään. Kaava mahdollistaa noin 14 hehtaarin
                    puiston rakentamisen entiselle satama- ja varastoalueelle kaupungin eteläiselle
                    rannalle.

                    Puistosta on tarkoitus tulla koko kaupungin yhteinen olohuone meren äärellä.
                    Suunnitelmassa on varattu tilaa monenlaiselle käytölle:

                    - kolmen kilometrin esteetön rantareitti kävelyyn ja pyöräilyyn
                    - uimaranta, saunarakennus ja talviuintipaikka
                    - leikkipuisto, liikuntapaikkoja ja tila ulkotapahtumille
                    - luonnonmukainen kosteikko, joka puhdistaa hulevesiä ennen niiden päätymistä
                      mereen

                    Puiston suunnittelussa on varauduttu merenpinnan nousuun ja myrskytulviin.
                    Rantamuurit ja maastonmuotoilu mitoitetaan kestämään vuoden 2100 arvioitu
                    tulvakorkeus.

                    Suunnitelmasta kerättiin asukkaiden palautetta verkkokyselyllä ja kahdessa
                    työpajassa. Palautteen perusteella suunnitelmaan lisättiin muun muassa
                    koirapuisto ja enemmän varjoisia oleskelupaikkoja. **Puiston ensimmäinen vaihe
                    voisi valmistua jo vuonna 2028.**

                    Kaavaan voi tutustua osoitteessa
                    [www.example.fi/lehtorannanpuisto](https://www.example.fi/lehtorannanpuisto).
                    """
                ),
            },
            "sv": {
                "title": "Planen för Lundstrands havsstrandspark går vidare till fullmäktige",
                "lead": (
                    "Stadsstyrelsen föreslår för fullmäktige att detaljplanen för Lundstrands "
                    "havsstrandspark godkänns. På det tidigare hamnområdet skulle det skapas en "
                    "park på 14 hektar och en tre kilometer lång strandpromenad."
                ),
                "body": _md(
                    """
                    Stadsstyrelsen föreslår för stadsfullmäktige att detaljplanen för Lundstrands
                    havsstrandspark godkänns. Planen gör det möjligt att anlägga en park på cirka 14
                    hektar på ett tidigare hamn- och lagerområde vid stadens södra strand.

                    Parken ska bli hela stadens gemensamma vardagsrum vid havet. I planen har man
                    reserverat utrymme för många slags användning:

                    - en tre kilometer lång tillgänglig strandpromenad för gång och cykling
                    - en badstrand, en bastubyggnad och en vinterbadplats
                    - en lekpark, idrottsplatser och utrymme för evenemang utomhus
                    - en naturlig våtmark som renar dagvattnet innan det rinner ut i havet

                    Vid planeringen av parken har man förberett sig på en höjning av havsnivån och
                    på stormfloder. Strandmurarna och terrängformerna dimensioneras för att klara
                    den beräknade översvämningsnivån år 2100.

                    Invånarnas synpunkter på planen samlades in med en webbenkät och vid två
                    workshoppar. Utifrån responsen lades bland annat en hundpark och fler skuggiga
                    vistelseplatser till i planen. **Parkens första etapp kan bli färdig redan
                    2028.**

                    Planen finns på
                    [www.example.fi/lundstrandsparken](https://www.example.fi/lundstrandsparken).
                    """
                ),
            },
        },
    },
    {
        "key": "city-strategy",
        "source": "city-council",
        "topics": ["administration"],
        "contacts": [0],
        "decision": {
            "id": "HEL 2025-015880",
            "url": "https://paatokset.example.fi/asia/hel-2025-015880",
        },
        "plan": "published",
        "days_ago": 112,
        "translations": {
            "fi": {
                "title": "Kaupunginvaltuusto hyväksyi kaupunkistrategian 2025-2029",
                "lead": (
                    "Kaupunginvaltuusto hyväksyi kaupunkistrategian, joka ohjaa kaupungin "
                    "toimintaa valtuustokauden ajan. Strategian kantavana ajatuksena on kestävän "
                    "kasvun ja arjen sujuvuuden kaupunki."
                ),
                "body": _md(
                    """
                    Kaupunginvaltuusto hyväksyi kaupunkistrategian vuosille 2025-2029 pitkän
                    keskustelun jälkeen. Strategia on kaupungin tärkein johtamisen väline: se ohjaa
                    talousarvion laadintaa, palvelujen kehittämistä ja kaupungin omistajaohjausta.

                    Strategian valmisteluun osallistui yli 4 000 kaupunkilaista verkkokyselyjen,
                    asukasiltojen ja nuorisovaltuuston työpajojen kautta. Valmistelussa kuultiin
                    myös kaupungin henkilöstöä ja yhteistyökumppaneita.

                    ## Strategian neljä painopistettä

                    - **Oppimisen ja osaamisen kaupunki:** jokainen lapsi ja nuori saa vahvan
                      perustan elämälle
                    - **Sujuva arki:** palvelut ovat helposti saatavilla sekä verkossa että lähellä
                      asukkaita
                    - **Kestävä kasvu:** kaupunki rakentuu tiiviisti, joukkoliikenteen varaan ja
                      luontoa vaalien
                    - **Vastuullinen talous:** menojen kasvu pidetään kestävällä tasolla

                    "Strategia on yhteinen lupaus kaupunkilaisille. Sen onnistumista mitataan siinä,
                    miten asukkaiden arki paranee", sanoo kaupunginvaltuuston puheenjohtaja Ritva
                    Lahdenperä.

                    Strategian toteutumisesta raportoidaan valtuustolle vuosittain. Strategia on
                    luettavissa osoitteessa
                    [www.example.fi/strategia](https://www.example.fi/strategia).
                    """
                ),
            },
            "sv": {
                "title": "Stadsfullmäktige godkände stadsstrategin 2025-2029",
                "lead": (
                    "Stadsfullmäktige godkände stadsstrategin, som styr stadens verksamhet under "
                    "fullmäktigeperioden. Den bärande tanken i strategin är en stad med hållbar "
                    "tillväxt och en smidig vardag."
                ),
                "body": _md(
                    """
                    Stadsfullmäktige godkände stadsstrategin för 2025-2029 efter en lång diskussion.
                    Strategin är stadens viktigaste ledningsverktyg: den styr budgetarbetet,
                    utvecklingen av tjänsterna och stadens ägarstyrning.

                    Över 4 000 stadsbor deltog i beredningen av strategin genom webbenkäter,
                    invånarkvällar och ungdomsfullmäktiges workshoppar. Under beredningen hördes
                    också stadens personal och samarbetspartner.

                    ## Strategins fyra prioriteringar

                    - **En stad för lärande och kunnande:** varje barn och ung får en stark grund
                      för livet
                    - **En smidig vardag:** tjänsterna är lätt tillgängliga både på webben och nära
                      invånarna
                    - **Hållbar tillväxt:** staden byggs tätt, utgående från kollektivtrafiken och
                      med omsorg om naturen
                    - **En ansvarsfull ekonomi:** utgiftsökningen hålls på en hållbar nivå

                    "Strategin är ett gemensamt löfte till stadsborna. Dess framgång mäts i hur
                    invånarnas vardag blir bättre", säger stadsfullmäktiges ordförande Ritva
                    Lahdenperä.

                    Fullmäktige får en årlig rapport om hur strategin genomförs. Strategin finns på
                    [www.example.fi/strategi](https://www.example.fi/strategi).
                    """
                ),
            },
            "en": {
                "title": "City Council approves the city strategy for 2025-2029",
                "lead": (
                    "The City Council approved the city strategy that will guide the city's "
                    "activities during the council term. The strategy's central idea is a city of "
                    "sustainable growth and smooth everyday life."
                ),
                "body": _md(
                    """
                    The City Council approved the city strategy for 2025-2029 after a long debate.
                    The strategy is the city's most important management tool: it guides budget
                    preparation, service development and the city's ownership steering.

                    More than 4,000 residents took part in preparing the strategy through online
                    surveys, residents' evenings and workshops held by the Youth Council. City staff
                    and partners were also consulted during the preparation.

                    ## The strategy's four priorities

                    - **A city of learning and skills:** every child and young person gets a strong
                      foundation for life
                    - **Smooth everyday life:** services are easily available both online and close
                      to residents
                    - **Sustainable growth:** the city is built densely, around public transport and
                      with respect for nature
                    - **Responsible finances:** growth in expenditure is kept at a sustainable level

                    "The strategy is a shared promise to our residents. Its success will be measured
                    by how residents' everyday lives improve," says Ritva Lahdenperä, Chair of the
                    City Council.

                    The Council will receive an annual report on the implementation of the strategy.
                    The strategy is available at
                    [www.example.fi/strategy](https://www.example.fi/strategy).
                    """
                ),
            },
        },
    },
    {
        "key": "wellbeing-survey",
        "source": "city-executive-office",
        "topics": ["personnel"],
        "contacts": [0],
        "plan": "published",
        "days_ago": 64,
        "translations": {
            "fi": {
                "title": (
                    "Henkilöstökysely: työn merkityksellisyys kantaa, kuormitus huolestuttaa"
                ),
                "lead": (
                    "Kaupungin henkilöstökyselyyn vastasi 68 prosenttia työntekijöistä. Työtä "
                    "pidetään merkityksellisenä, mutta kiire ja kuormitus ovat lisääntyneet "
                    "erityisesti hoito- ja opetusalalla."
                ),
                "body": _md(
                    """
                    Kaupungin vuosittainen henkilöstökysely toteutettiin lokakuussa. Kyselyyn
                    vastasi noin 25 000 työntekijää eli 68 prosenttia henkilöstöstä, mikä on kolme
                    prosenttiyksikköä enemmän kuin edellisenä vuonna.

                    Tulosten mukaan **86 prosenttia vastaajista kokee työnsä merkitykselliseksi**,
                    ja lähiesihenkilön toimintaan ollaan aiempaa tyytyväisempiä. Myös mahdollisuudet
                    etätyöhön ja työaikajoustoihin saivat hyvät arviot.

                    ## Kehitettävää

                    - 41 prosenttia vastaajista kokee työmääränsä liian suureksi
                    - kuormitus on suurinta hoitotyössä, varhaiskasvatuksessa ja opetuksessa
                    - vain puolet vastaajista kokee, että heillä on riittävästi aikaa perehdyttää
                      uusia työntekijöitä

                    Kaupunki käynnistää kevään aikana kuormitusta vähentävän ohjelman. Siinä
                    tarkastellaan muun muassa hallinnollisen työn vähentämistä, sijaisjärjestelyjä
                    ja työvuorosuunnittelua.

                    "Tulokset otetaan vakavasti. Jokainen työyhteisö käy omat tuloksensa läpi ja
                    sopii kehittämistoimista yhdessä", henkilöstöjohtaja Pirjo Ahvenainen sanoo.

                    Kyselyn koko kaupungin tulokset on julkaistu osoitteessa
                    [www.example.fi/henkilostokysely](https://www.example.fi/henkilostokysely).
                    """
                ),
            },
            "sv": {
                "title": "Personalenkät: arbetet upplevs som meningsfullt, belastningen oroar",
                "lead": (
                    "68 procent av stadens anställda svarade på personalenkäten. Arbetet upplevs "
                    "som meningsfullt, men brådskan och belastningen har ökat i synnerhet inom "
                    "vården och undervisningen."
                ),
                "body": _md(
                    """
                    Stadens årliga personalenkät genomfördes i oktober. Cirka 25 000 anställda,
                    eller 68 procent av personalen, svarade på enkäten, vilket är tre procentenheter
                    fler än året innan.

                    Enligt resultaten **upplever 86 procent av de svarande att arbetet är
                    meningsfullt**, och man är nöjdare än tidigare med den närmaste chefens
                    verksamhet. Också möjligheterna till distansarbete och flexibel arbetstid fick
                    goda betyg.

                    ## Att utveckla

                    - 41 procent av de svarande upplever att arbetsmängden är för stor
                    - belastningen är störst inom vården, småbarnspedagogiken och undervisningen
                    - bara hälften av de svarande anser att de har tillräckligt med tid att
                      introducera nya anställda

                    Staden inleder under våren ett program för att minska belastningen. I programmet
                    granskas bland annat hur det administrativa arbetet kan minskas samt
                    vikariearrangemang och arbetsturplanering.

                    "Resultaten tas på allvar. Varje arbetsgemenskap går igenom sina egna resultat
                    och kommer tillsammans överens om utvecklingsåtgärder", säger personaldirektör
                    Pirjo Ahvenainen.

                    Enkätresultaten för hela staden har publicerats på
                    [www.example.fi/personalenkat](https://www.example.fi/personalenkat).
                    """
                ),
            },
        },
    },
    {
        "key": "summer-jobs-youth",
        "source": "city-board",
        "topics": ["employment-and-business"],
        "contacts": [4],
        "decision": {
            "id": "HEL 2026-001147",
            "url": "https://paatokset.example.fi/asia/hel-2026-001147",
        },
        "plan": "published",
        "days_ago": 96,
        "translations": {
            "fi": {
                "title": "Kaupunki tarjoaa kesätyön 2 500 nuorelle",
                "lead": (
                    "Kaupunginhallitus myönsi 4,2 miljoonaa euroa nuorten kesätyöhön. "
                    "Kesätyöpaikkoja on tarjolla 2 500 kaupungissa asuvalle 16-17-vuotiaalle, ja "
                    "haku alkaa helmikuussa."
                ),
                "body": _md(
                    """
                    Kaupunginhallitus päätti varata 4,2 miljoonaa euroa nuorten kesätyöllistämiseen.
                    Määrärahalla kaupunki palkkaa kesäksi 2 500 nuorta, mikä on 300 enemmän kuin
                    viime vuonna.

                    Kesätyöpaikkoja on kaupungin eri toimialoilla, esimerkiksi puistojen hoidossa,
                    kirjastoissa, leikkipuistoissa, liikuntapaikoilla ja palvelutaloissa. Työjakso
                    kestää neljä viikkoa, ja palkka on 1 050 euroa.

                    ## Näin haet

                    - haku on auki 15.-28. helmikuuta osoitteessa
                      [www.example.fi/kesatyo](https://www.example.fi/kesatyo)
                    - hakemaan voivat kaikki kaupungissa asuvat vuosina 2009 ja 2010 syntyneet
                      nuoret
                    - paikat arvotaan hakijoiden kesken, ja jokainen hakija saa tiedon tuloksesta
                      maaliskuussa

                    Lisäksi kaupunki myöntää yrityksille ja yhdistyksille kesäsetelin, jolla ne
                    voivat palkata 15-19-vuotiaan nuoren kesätöihin. Kesäsetelin arvo on 400 euroa.

                    "Ensimmäinen työpaikka on tärkeä askel kohti työelämää. Haluamme, että
                    mahdollisimman moni nuori saa sen kokemuksen", sanoo elinkeinojohtaja Tuomas
                    Rinne.
                    """
                ),
            },
            "sv": {
                "title": "Staden erbjuder sommarjobb för 2 500 unga",
                "lead": (
                    "Stadsstyrelsen beviljade 4,2 miljoner euro för ungas sommarjobb. Sommarjobb "
                    "erbjuds för 2 500 unga i åldern 16-17 år som bor i staden, och ansökan börjar"
                    " i februari."
                ),
                "body": _md(
                    """
                    Stadsstyrelsen beslutade att reservera 4,2 miljoner euro för sysselsättning av
                    unga under sommaren. Med anslaget anställer staden 2 500 unga för sommaren,
                    vilket är 300 fler än i fjol.

                    Sommarjobben finns inom stadens olika sektorer, till exempel inom parkskötsel,
                    på bibliotek, i lekparker, på idrottsplatser och i servicehus. Arbetsperioden är
                    fyra veckor, och lönen är 1 050 euro.

                    ## Så här ansöker du

                    - ansökan är öppen 15-28 februari på
                      [www.example.fi/sommarjobb](https://www.example.fi/sommarjobb)
                    - alla unga som bor i staden och är födda 2009 eller 2010 kan söka
                    - platserna lottas ut bland de sökande, och alla sökande får besked om
                      resultatet i mars

                    Dessutom beviljar staden företag och föreningar en sommarsedel, med vilken de
                    kan anställa en ung person i åldern 15-19 år för sommarjobb. Sommarsedelns värde
                    är 400 euro.

                    "Den första arbetsplatsen är ett viktigt steg mot arbetslivet. Vi vill att så
                    många unga som möjligt får den erfarenheten", säger näringslivsdirektör Tuomas
                    Rinne.
                    """
                ),
            },
            "en": {
                "title": "City offers summer jobs to 2,500 young people",
                "lead": (
                    "The City Board granted EUR 4.2 million for summer jobs for young people. "
                    "Summer jobs are available for 2,500 young people aged 16-17 living in the "
                    "city, and applications open in February."
                ),
                "body": _md(
                    """
                    The City Board decided to allocate EUR 4.2 million to summer employment for
                    young people. With the appropriation, the city will hire 2,500 young people for
                    the summer, 300 more than last year.

                    Summer jobs are available in the city's various divisions, for example in park
                    maintenance, libraries, playgrounds, sports facilities and service centres. The
                    work period lasts four weeks, and the pay is EUR 1,050.

                    ## How to apply

                    - applications are open from 15 to 28 February at
                      [www.example.fi/summer-jobs](https://www.example.fi/summer-jobs)
                    - all young people living in the city and born in 2009 or 2010 can apply
                    - the jobs are allocated by lottery, and all applicants will be notified of the
                      result in March

                    In addition, the city grants companies and associations a summer job voucher
                    that they can use to hire a young person aged 15-19 for the summer. The voucher
                    is worth EUR 400.

                    "A first job is an important step towards working life. We want as many young
                    people as possible to have that experience," says Tuomas Rinne, Director of
                    Economic Development.
                    """
                ),
            },
        },
    },
    {
        "key": "library-opening-hours",
        "source": "city-executive-office",
        "topics": ["culture"],
        "contacts": [3],
        "plan": "scheduled",
        "in_hours": 20,
        "translations": {
            "fi": {
                "title": (
                    "Kirjastojen aukioloajat pitenevät: omatoimikirjasto käyttöön kaikissa "
                    "toimipisteissä"
                ),
                "lead": (
                    "Kaupunginkirjaston kaikki 34 toimipistettä siirtyvät omatoimiaikoihin "
                    "maaliskuun alusta. Kirjastoihin pääsee kirjastokortilla ja PIN-koodilla "
                    "arkisin kello 7-22."
                ),
                "body": _md(
                    """
                    Kaupunginkirjasto laajentaa omatoimikirjastopalvelun kaikkiin toimipisteisiinsä
                    maaliskuun alusta alkaen. Omatoimiaikana asiakkaat voivat lainata ja palauttaa
                    aineistoa, lukea lehtiä, opiskella ja käyttää asiakastietokoneita, vaikka
                    henkilökuntaa ei ole paikalla.

                    Uudistuksen myötä kirjastojen aukioloajat pitenevät keskimäärin 28 tunnilla
                    viikossa. Henkilökunnan palveluajat säilyvät ennallaan.

                    ## Näin omatoimikirjasto toimii

                    - kirjastoon kirjaudutaan ovella kirjastokortilla ja PIN-koodilla
                    - omatoimiaika on arkisin kello 7-22 ja viikonloppuisin kello 9-20
                    - palvelua voivat käyttää täysi-ikäiset sekä 15 vuotta täyttäneet huoltajan
                      luvalla
                    - tiloissa on tallentava kameravalvonta

                    Omatoimikäytön voi aktivoida kirjastokorttiin missä tahansa toimipisteessä
                    henkilökunnan palveluaikana. Aktivoinnin yhteydessä asiakas hyväksyy
                    omatoimikirjaston käyttösäännöt.

                    **Kirjastojen käyttö on lisääntynyt viime vuosina**, ja erityisesti opiskelijat
                    ovat toivoneet pidempiä aukioloaikoja tenttikausille. Kokeilu kuudessa
                    kirjastossa osoitti, että omatoimiaikoja käytetään paljon ja tilat pysyvät
                    siisteinä.

                    Tarkat aukioloajat löytyvät osoitteesta
                    [www.example.fi/kirjastot](https://www.example.fi/kirjastot).
                    """
                ),
            },
            "sv": {
                "title": "Biblioteken får längre öppettider: meröppet i alla verksamhetsställen",
                "lead": (
                    "Alla 34 verksamhetsställen vid stadsbiblioteket övergår till meröppet från "
                    "början av mars. Man kommer in i biblioteken med bibliotekskort och PIN-kod "
                    "vardagar klockan 7-22."
                ),
                "body": _md(
                    """
                    Stadsbiblioteket utvidgar meröppet-tjänsten till alla sina verksamhetsställen
                    från början av mars. Under meröppettiderna kan kunderna låna och återlämna
                    material, läsa tidningar, studera och använda kunddatorerna, trots att det inte
                    finns personal på plats.

                    Med reformen blir bibliotekens öppettider i genomsnitt 28 timmar längre per
                    vecka. Personalens betjäningstider förblir oförändrade.

                    ## Så här fungerar meröppet

                    - man loggar in vid dörren med bibliotekskort och PIN-kod
                    - meröppettiden är vardagar klockan 7-22 och veckoslut klockan 9-20
                    - tjänsten kan användas av myndiga samt av personer som fyllt 15 år med
                      vårdnadshavarens tillstånd
                    - lokalerna har inspelande kameraövervakning

                    Meröppet kan aktiveras på bibliotekskortet i vilket verksamhetsställe som helst
                    under personalens betjäningstid. I samband med aktiveringen godkänner kunden
                    reglerna för meröppet.

                    **Användningen av biblioteken har ökat under de senaste åren**, och i synnerhet
                    studerande har önskat längre öppettider under tentamensperioderna. Ett försök i
                    sex bibliotek visade att meröppettiderna används flitigt och att lokalerna hålls
                    snygga.

                    De exakta öppettiderna finns på
                    [www.example.fi/bibliotek](https://www.example.fi/bibliotek).
                    """
                ),
            },
        },
    },
    {
        "key": "cultural-grants",
        "source": "city-board",
        "topics": ["culture"],
        "contacts": [3],
        "plan": "published",
        "days_ago": 52,
        "translations": {
            "fi": {
                "title": "Kulttuuriavustuksia myönnettiin 18,6 miljoonaa euroa",
                "lead": (
                    "Kaupunki myönsi tämän vuoden kulttuuriavustuksia yhteensä 18,6 miljoonaa "
                    "euroa 412 hakijalle. Avustuksia sai ensimmäistä kertaa 57 toimijaa."
                ),
                "body": _md(
                    """
                    Kaupunki on päättänyt tämän vuoden kulttuuriavustuksista. Avustuksia myönnettiin
                    yhteensä 18,6 miljoonaa euroa, mikä on 0,9 miljoonaa euroa enemmän kuin
                    edellisenä vuonna. Hakemuksia saapui 603, ja avustusta sai 412 hakijaa.

                    Suurin osa avustuksista kohdistuu ammattimaisille taidelaitoksille ja vapaan
                    kentän toimijoille, kuten teattereille, tanssiryhmille, orkestereille ja
                    festivaaleille. Avustuksilla tuetaan myös taiteen perusopetusta ja asukkaiden
                    omaehtoista kulttuuritoimintaa.

                    ## Avustukset lajeittain

                    - toiminta-avustukset: 15,2 miljoonaa euroa
                    - projektiavustukset: 2,1 miljoonaa euroa
                    - kaupunginosien kulttuuritoiminnan avustukset: 0,8 miljoonaa euroa
                    - taiteilijoiden työskentelyavustukset: 0,5 miljoonaa euroa

                    **Uutena painotuksena avustuksissa huomioitiin toiminta kaupungin itä- ja
                    pohjoisosissa**, joissa kulttuuripalvelujen tarjonta on ollut muuta kaupunkia
                    vähäisempää. Näille alueille kohdistuvia hankkeita tuettiin yhteensä 1,3
                    miljoonalla eurolla.

                    Avustuspäätökset perusteluineen on julkaistu
                    [päätöspalvelussa](https://paatokset.example.fi/kulttuuriavustukset). Seuraava
                    projektiavustusten hakukierros avautuu syyskuussa.
                    """
                ),
            },
            "sv": {
                "title": "Kulturunderstöd på 18,6 miljoner euro beviljades",
                "lead": (
                    "Staden beviljade i år kulturunderstöd på sammanlagt 18,6 miljoner euro till "
                    "412 sökande. 57 aktörer fick understöd för första gången."
                ),
                "body": _md(
                    """
                    Staden har beslutat om årets kulturunderstöd. Understöd beviljades till ett
                    sammanlagt belopp av 18,6 miljoner euro, vilket är 0,9 miljoner euro mer än året
                    innan. Det kom in 603 ansökningar, och 412 sökande fick understöd.

                    Största delen av understöden går till professionella konstinstitutioner och
                    aktörer inom det fria fältet, såsom teatrar, dansgrupper, orkestrar och
                    festivaler. Med understöden stöds också grundläggande konstundervisning och
                    invånarnas egen kulturverksamhet.

                    ## Understöden enligt typ

                    - verksamhetsunderstöd: 15,2 miljoner euro
                    - projektunderstöd: 2,1 miljoner euro
                    - understöd för kulturverksamhet i stadsdelarna: 0,8 miljoner euro
                    - arbetsunderstöd för konstnärer: 0,5 miljoner euro

                    **Som en ny prioritering beaktades verksamhet i stadens östra och norra delar**,
                    där utbudet av kulturtjänster har varit mindre än i resten av staden. Projekt i
                    dessa områden stöddes med sammanlagt 1,3 miljoner euro.

                    Understödsbesluten med motiveringar har publicerats i
                    [beslutstjänsten](https://paatokset.example.fi/kulturunderstod). Nästa
                    ansökningsomgång för projektunderstöd öppnar i september.
                    """
                ),
            },
        },
    },
    {
        "key": "delegation-visit",
        "source": "city-executive-office",
        "topics": ["international-affairs"],
        "contacts": [4],
        "plan": "published",
        "days_ago": 2,
        "translations": {
            "fi": {
                "title": (
                    "Singaporelainen kaupunkisuunnitteluvaltuuskunta tutustuu kaupungin "
                    "ilmastoratkaisuihin"
                ),
                "lead": (
                    "Singaporen kaupunkisuunnitteluviranomaisen 14-henkinen valtuuskunta vierailee"
                    " kaupungissa tällä viikolla. Vierailun aiheina ovat kaukolämmön "
                    "päästövähennykset, kaupunkiluonto ja digitaaliset asukaspalvelut."
                ),
                "body": _md(
                    """
                    Singaporen kaupunkisuunnitteluviranomaisen valtuuskunta vierailee kaupungissa
                    tiistaista torstaihin. Valtuuskuntaa johtaa viranomaisen apulaispääjohtaja, ja
                    siihen kuuluu kaupunkisuunnittelun, energian ja digitaalisten palvelujen
                    asiantuntijoita.

                    Vierailun ohjelmassa on tutustumista kaupungin ratkaisuihin, jotka kiinnostavat
                    kansainvälisesti:

                    - kaukolämmön tuotanto merivettä hyödyntävillä lämpöpumpuilla
                    - Lehtorannan merenrantapuiston tulvasuojelu ja hulevesien käsittely
                    - Kuusiniemen uuden asuinalueen suunnittelu joukkoliikenteen varaan
                    - asukkaiden digitaaliset palvelut ja avoin data

                    Pormestari Helena Saarivirta tapaa valtuuskunnan kaupungintalolla keskiviikkona.
                    Tapaamisessa keskustellaan kaupunkien välisestä yhteistyöstä ilmastonmuutokseen
                    sopeutumisessa.

                    "Kansainvälinen kiinnostus kaupunkimme ratkaisuihin on kasvanut selvästi.
                    Vierailut ovat myös meille tilaisuus oppia, sillä Singapore on edelläkävijä
                    esimerkiksi vesihuollossa ja viherrakentamisessa", sanoo kansainvälisten
                    asioiden päällikkö Annika Sjöblom.

                    Kaupunki isännöi vuosittain noin 150 ulkomaista valtuuskuntaa. Tietoa
                    vierailuista on osoitteessa
                    [www.example.fi/kansainvalinen](https://www.example.fi/kansainvalinen).
                    """
                ),
            },
            "sv": {
                "title": (
                    "Stadsplaneringsdelegation från Singapore bekantar sig med stadens "
                    "klimatlösningar"
                ),
                "lead": (
                    "En delegation på 14 personer från Singapores stadsplaneringsmyndighet besöker"
                    " staden denna vecka. Besöket handlar om utsläppsminskningar inom fjärrvärmen,"
                    " stadsnatur och digitala invånartjänster."
                ),
                "body": _md(
                    """
                    En delegation från Singapores stadsplaneringsmyndighet besöker staden från
                    tisdag till torsdag. Delegationen leds av myndighetens biträdande
                    generaldirektör, och den består av experter på stadsplanering, energi och
                    digitala tjänster.

                    I programmet ingår att bekanta sig med sådana lösningar i staden som väcker
                    internationellt intresse:

                    - fjärrvärmeproduktion med värmepumpar som utnyttjar havsvatten
                    - översvämningsskyddet och dagvattenhanteringen i Lundstrands havsstrandspark
                    - planeringen av det nya bostadsområdet i Granudden utgående från
                      kollektivtrafiken
                    - invånarnas digitala tjänster och öppna data

                    Borgmästare Helena Saarivirta träffar delegationen i stadshuset på onsdagen. Vid
                    mötet diskuteras samarbete mellan städerna kring anpassningen till
                    klimatförändringen.

                    "Det internationella intresset för vår stads lösningar har ökat tydligt. Besöken
                    är också ett tillfälle för oss att lära oss, eftersom Singapore är en
                    föregångare till exempel inom vattenförsörjning och grönt byggande", säger
                    chefen för internationella ärenden Annika Sjöblom.

                    Staden tar varje år emot cirka 150 utländska delegationer. Information om
                    besöken finns på
                    [www.example.fi/internationellt](https://www.example.fi/internationellt).
                    """
                ),
            },
            "en": {
                "title": (
                    "Urban planning delegation from Singapore explores the city's climate solutions"
                ),
                "lead": (
                    "A 14-member delegation from Singapore's urban planning authority is visiting "
                    "the city this week. The visit will focus on emission reductions in district "
                    "heating, urban nature and digital services for residents."
                ),
                "body": _md(
                    """
                    A delegation from Singapore's urban planning authority is visiting the city from
                    Tuesday to Thursday. The delegation is led by the authority's Deputy Chief
                    Executive and includes experts in urban planning, energy and digital services.

                    The programme includes visits to city solutions that attract international
                    interest:

                    - district heat production using seawater heat pumps
                    - flood protection and stormwater management in Lehtoranta seafront park
                    - the planning of the new Kuusiniemi residential area around public transport
                    - digital services for residents and open data

                    Mayor Helena Saarivirta will meet the delegation at City Hall on Wednesday. The
                    meeting will discuss cooperation between the cities on climate change
                    adaptation.

                    "International interest in our city's solutions has grown significantly. The
                    visits are also an opportunity for us to learn, as Singapore is a forerunner in
                    areas such as water management and green building," says Annika Sjöblom, Head of
                    International Affairs.

                    The city hosts around 150 foreign delegations every year. Information on the
                    visits is available at
                    [www.example.fi/international](https://www.example.fi/international).
                    """
                ),
            },
        },
    },
    {
        "key": "twin-city-agreement",
        "source": "city-council",
        "topics": ["international-affairs"],
        "contacts": [4],
        "decision": {
            "id": "HEL 2026-003390",
            "url": "https://paatokset.example.fi/asia/hel-2026-003390",
        },
        "plan": "published",
        "days_ago": 84,
        "translations": {
            "fi": {
                "title": "Kaupunki ja Tartto solmivat ystävyyskaupunkisopimuksen",
                "lead": (
                    "Kaupunginvaltuusto hyväksyi ystävyyskaupunkisopimuksen Viron Tarton kanssa. "
                    "Yhteistyö keskittyy koulutukseen, innovaatioihin ja kulttuuriin."
                ),
                "body": _md(
                    """
                    Kaupunginvaltuusto hyväksyi ystävyyskaupunkisopimuksen Tarton kaupungin kanssa.
                    Sopimus allekirjoitetaan Tartossa toukokuussa pidettävässä juhlatilaisuudessa,
                    johon osallistuvat molempien kaupunkien pormestarit.

                    Kaupunkien välillä on jo pitkään ollut tiivistä yhteistyötä. Yliopistot, koulut
                    ja kulttuurilaitokset ovat tehneet yhteisiä hankkeita, ja kaupunkien välillä
                    liikkuu vuosittain tuhansia opiskelijoita ja työntekijöitä.

                    ## Sopimuksen painopisteet

                    - **Koulutus:** opettaja- ja oppilasvaihdot sekä yhteiset kesäkoulut
                    - **Innovaatiot:** startup-yritysten ja tutkimuslaitosten yhteistyö erityisesti
                      digitaalisissa palveluissa
                    - **Kulttuuri:** taiteilijaresidenssit ja yhteiset festivaalit
                    - **Kaupunkikehitys:** kokemusten vaihto älykkäistä liikenneratkaisuista ja
                      energiatehokkaasta rakentamisesta

                    Sopimus on voimassa toistaiseksi, ja sen toteutumista arvioidaan kolmen vuoden
                    välein. Kaupungilla on nyt yhdeksän virallista ystävyyskaupunkia.

                    "Tartto on meille luonteva kumppani. Jaamme samat arvot ja monet samat haasteet,
                    ja voimme oppia toisiltamme paljon", sanoo pormestari Helena Saarivirta.

                    Lisätietoa kaupungin kansainvälisestä yhteistyöstä on osoitteessa
                    [www.example.fi/ystavyyskaupungit](https://www.example.fi/ystavyyskaupungit).
                    """
                ),
            },
            "sv": {
                "title": "Staden och Tartu ingår vänortsavtal",
                "lead": (
                    "Stadsfullmäktige godkände ett vänortsavtal med Tartu i Estland. Samarbetet "
                    "fokuserar på utbildning, innovationer och kultur."
                ),
                "body": _md(
                    """
                    Stadsfullmäktige godkände ett vänortsavtal med staden Tartu. Avtalet
                    undertecknas vid en festlighet i Tartu i maj, där båda städernas borgmästare
                    deltar.

                    Städerna har redan länge haft ett nära samarbete. Universitet, skolor och
                    kulturinstitutioner har genomfört gemensamma projekt, och tusentals studerande
                    och arbetstagare rör sig mellan städerna varje år.

                    ## Avtalets prioriteringar

                    - **Utbildning:** lärar- och elevutbyten samt gemensamma sommarskolor
                    - **Innovationer:** samarbete mellan startupföretag och forskningsinstitut
                      särskilt inom digitala tjänster
                    - **Kultur:** konstnärsresidens och gemensamma festivaler
                    - **Stadsutveckling:** erfarenhetsutbyte om smarta trafiklösningar och
                      energieffektivt byggande

                    Avtalet gäller tills vidare, och genomförandet utvärderas vart tredje år. Staden
                    har nu nio officiella vänorter.

                    "Tartu är en naturlig partner för oss. Vi delar samma värderingar och många av
                    samma utmaningar, och vi kan lära oss mycket av varandra", säger borgmästare
                    Helena Saarivirta.

                    Mer information om stadens internationella samarbete finns på
                    [www.example.fi/vanorter](https://www.example.fi/vanorter).
                    """
                ),
            },
            "en": {
                "title": "The city and Tartu sign a twin city agreement",
                "lead": (
                    "The City Council approved a twin city agreement with Tartu, Estonia. The "
                    "cooperation will focus on education, innovation and culture."
                ),
                "body": _md(
                    """
                    The City Council approved a twin city agreement with the City of Tartu. The
                    agreement will be signed at a ceremony in Tartu in May, attended by the mayors
                    of both cities.

                    The cities have long cooperated closely. Universities, schools and cultural
                    institutions have carried out joint projects, and thousands of students and
                    workers travel between the cities every year.

                    ## Priorities of the agreement

                    - **Education:** teacher and pupil exchanges and joint summer schools
                    - **Innovation:** cooperation between start-ups and research institutions,
                      particularly in digital services
                    - **Culture:** artist residencies and joint festivals
                    - **Urban development:** sharing experiences of smart mobility solutions and
                      energy-efficient construction

                    The agreement is valid until further notice, and its implementation will be
                    reviewed every three years. The city now has nine official twin cities.

                    "Tartu is a natural partner for us. We share the same values and many of the
                    same challenges, and we can learn a lot from each other," says Mayor Helena
                    Saarivirta.

                    More information on the city's international cooperation is available at
                    [www.example.fi/twin-cities](https://www.example.fi/twin-cities).
                    """
                ),
            },
        },
    },
    {
        "key": "winter-maintenance",
        "source": "city-executive-office",
        "topics": ["transport", "safety"],
        "contacts": [2],
        "plan": "corrected",
        "days_ago": 6,
        "correction": {
            "note": (
                "Korjattu hiekoitushiekan noutopisteiden määrä (14) ja palautenumero. Corrected "
                "the number of grit pick-up points (14) and the feedback phone number."
            ),
            "fi_body_fix": _md(
                """
                Kaupungin talvikunnossapito on valmiudessa, kun ensimmäiset lumisateet ovat
                ennusteen mukaan tulossa tällä viikolla. Talvikunnossapidossa on mukana yli 600
                työntekijää ja noin 400 konetta.

                Aurausta tehdään kiireellisyysjärjestyksessä. Ensimmäisenä aurataan pääkadut,
                joukkoliikennereitit ja pyöräilyn laatuverkko, sen jälkeen kokoojakadut ja
                viimeisenä tonttikadut. **Pääkadut pyritään auraamaan neljässä tunnissa lumisateen
                päättymisestä.**

                ## Asukkaat voivat auttaa

                - pysäköi auto niin, että aurauskalusto mahtuu ohittamaan sen
                - seuraa tilapäisiä pysäköintikieltoja lumen poisvientiä varten
                - hiekoitushiekkaa voi noutaa maksutta kaupungin 14 noutopisteestä
                - kiinteistön omistajan tulee huolehtia jalkakäytävän liukkaudentorjunnasta tontin
                  kohdalla

                Tänä talvena kaupunki kokeilee kolmella alueella kadunvarsipysäköinnin
                vuoroviikkojärjestelyä, jotta lumi saadaan aurattua katujen reunoja myöten.

                Palautetta aurauksesta ja liukkaudesta voi antaa numerossa 09 310 22000 joka päivä
                kello 7-21 tai osoitteessa
                [www.example.fi/talvikunnossapito](https://www.example.fi/talvikunnossapito).
                """
            ),
        },
        "translations": {
            "fi": {
                "title": "Talvikunnossapito valmiina: pääkadut aurataan ensin",
                "lead": (
                    "Kaupungin talvikunnossapito on valmiina kauden ensimmäisiin lumisateisiin. "
                    "Aurauksessa etusijalla ovat pääkadut, joukkoliikennereitit ja pyöräilyn "
                    "laatuverkko."
                ),
                "body": _md(
                    """
                    Kaupungin talvikunnossapito on valmiudessa, kun ensimmäiset lumisateet ovat
                    ennusteen mukaan tulossa tällä viikolla. Talvikunnossapidossa on mukana yli 600
                    työntekijää ja noin 400 konetta.

                    Aurausta tehdään kiireellisyysjärjestyksessä. Ensimmäisenä aurataan pääkadut,
                    joukkoliikennereitit ja pyöräilyn laatuverkko, sen jälkeen kokoojakadut ja
                    viimeisenä tonttikadut. **Pääkadut pyritään auraamaan neljässä tunnissa
                    lumisateen päättymisestä.**

                    ## Asukkaat voivat auttaa

                    - pysäköi auto niin, että aurauskalusto mahtuu ohittamaan sen
                    - seuraa tilapäisiä pysäköintikieltoja lumen poisvientiä varten
                    - hiekoitushiekkaa voi noutaa maksutta kaupungin 12 noutopisteestä
                    - kiinteistön omistajan tulee huolehtia jalkakäytävän liukkaudentorjunnasta
                      tontin kohdalla

                    Tänä talvena kaupunki kokeilee kolmella alueella kadunvarsipysäköinnin
                    vuoroviikkojärjestelyä, jotta lumi saadaan aurattua katujen reunoja myöten.

                    Palautetta aurauksesta ja liukkaudesta voi antaa numerossa 09 310 11100 joka
                    päivä kello 7-21 tai osoitteessa
                    [www.example.fi/talvikunnossapito](https://www.example.fi/talvikunnossapito).
                    """
                ),
            },
            "sv": {
                "title": "Vinterunderhållet är redo: huvudgatorna plogas först",
                "lead": (
                    "Stadens vinterunderhåll är redo för säsongens första snöfall. Vid plogningen "
                    "prioriteras huvudgatorna, kollektivtrafikens rutter och nätet av cykelstråk."
                ),
                "body": _md(
                    """
                    Stadens vinterunderhåll står i beredskap när de första snöfallen enligt
                    prognosen kommer denna vecka. I vinterunderhållet deltar över 600 anställda och
                    cirka 400 maskiner.

                    Plogningen görs i prioritetsordning. Först plogas huvudgatorna,
                    kollektivtrafikens rutter och nätet av cykelstråk, därefter matargatorna och
                    sist tomtgatorna. **Målet är att huvudgatorna ska vara plogade inom fyra timmar
                    efter att snöfallet upphört.**

                    ## Invånarna kan hjälpa till

                    - parkera bilen så att plogningsmaskinerna ryms förbi
                    - följ de tillfälliga parkeringsförbuden för bortforsling av snö
                    - sandningssand kan hämtas avgiftsfritt vid stadens 14 hämtställen
                    - fastighetsägaren ska sköta halkbekämpningen på trottoaren utanför tomten

                    I vinter prövar staden i tre områden turvisa parkeringsveckor längs gatorna, så
                    att snön kan plogas ända ut till gatukanterna.

                    Respons om plogning och halka kan ges på numret 09 310 22000 varje dag klockan
                    7-21 eller på
                    [www.example.fi/vinterunderhall](https://www.example.fi/vinterunderhall).
                    """
                ),
            },
            "en": {
                "title": "Winter maintenance ready: main streets will be cleared first",
                "lead": (
                    "The city's winter maintenance is ready for the first snowfalls of the season."
                    " Main streets, public transport routes and the cycling network have priority "
                    "in snow clearing."
                ),
                "body": _md(
                    """
                    The city's winter maintenance is on standby, as the first snowfalls are forecast
                    for this week. More than 600 employees and around 400 machines are involved in
                    winter maintenance.

                    Snow is cleared in order of urgency. Main streets, public transport routes and
                    the cycling network are cleared first, followed by collector streets and finally
                    residential streets. **The aim is to clear main streets within four hours of the
                    end of snowfall.**

                    ## Residents can help

                    - park your car so that snow ploughs can pass it
                    - watch out for temporary parking bans for snow removal
                    - grit can be collected free of charge at the city's 14 pick-up points
                    - property owners are responsible for preventing slipperiness on the pavement
                      next to their plot

                    This winter, the city is piloting alternating-week kerbside parking in three
                    areas, so that snow can be cleared right up to the edges of the streets.

                    Feedback on snow clearing and slippery conditions can be given on 09 310 22000
                    every day from 7 am to 9 pm or at
                    [www.example.fi/winter-maintenance](https://www.example.fi/winter-maintenance).
                    """
                ),
            },
        },
    },
    {
        "key": "preparedness-exercise",
        "source": "city-executive-office",
        "topics": ["safety"],
        "contacts": [2],
        "plan": "scheduled",
        "in_hours": 70,
        "translations": {
            "fi": {
                "title": (
                    "Kaupunki järjestää laajan valmiusharjoituksen - yleinen vaaramerkki kuuluu "
                    "maanantaina"
                ),
                "lead": (
                    "Kaupunki harjoittelee häiriötilanteiden johtamista yhdessä pelastuslaitoksen,"
                    " poliisin ja energiayhtiön kanssa. Harjoitukseen liittyen kaupungissa "
                    "testataan ulkohälyttimiä maanantaina kello 12."
                ),
                "body": _md(
                    """
                    Kaupunki järjestää ensi viikolla laajan valmiusharjoituksen, jossa harjoitellaan
                    kaupungin toimintaa pitkittyneessä sähkökatkossa talviolosuhteissa.
                    Harjoitukseen osallistuu noin 300 henkilöä kaupungin toimialoilta,
                    pelastuslaitokselta, poliisista, energiayhtiöstä ja vapaaehtoisjärjestöistä.

                    Harjoituksessa testataan erityisesti tilannekuvan muodostamista, päätöksentekoa
                    ja viestintää asukkaille. Lisäksi harjoitellaan lämpimien tilojen avaamista
                    asukkaille sekä ikääntyneiden kotona asuvien asiakkaiden tavoittamista.

                    ## Mitä asukkaat huomaavat

                    - **yleinen vaaramerkki** testataan maanantaina kello 12, ja sitä seuraa vaara
                      ohi -merkki
                    - kaupungintalon ja kahden koulun edustalla näkyy pelastusajoneuvoja
                    - harjoitus ei vaikuta kaupungin palveluihin

                    Kuukauden ensimmäisen maanantain tavanomainen hälytinkoe korvautuu tällä
                    harjoituksella. Jos yleinen vaaramerkki kuuluu muuna aikana, siirry sisälle,
                    sulje ovet, ikkunat ja ilmanvaihto ja seuraa radiota.

                    "Harjoittelemme, jotta osaamme toimia oikein, jos todellinen häiriö joskus
                    sattuu. Jokainen kotitalous voi varautua pitämällä kotona ruokaa, vettä ja
                    lääkkeitä vähintään 72 tunnin tarpeisiin", sanoo valmiuspäällikkö Kari Vilén.

                    Ohjeita kotivaraan on osoitteessa
                    [www.example.fi/varautuminen](https://www.example.fi/varautuminen).
                    """
                ),
            },
            "sv": {
                "title": (
                    "Staden ordnar en omfattande beredskapsövning - allmänt farosignal hörs på "
                    "måndag"
                ),
                "lead": (
                    "Staden övar ledningen av störningssituationer tillsammans med "
                    "räddningsverket, polisen och energibolaget. I samband med övningen testas "
                    "utomhuslarmen i staden på måndag klockan 12."
                ),
                "body": _md(
                    """
                    Staden ordnar nästa vecka en omfattande beredskapsövning där man övar stadens
                    verksamhet vid ett långvarigt elavbrott under vinterförhållanden. Cirka 300
                    personer från stadens sektorer, räddningsverket, polisen, energibolaget och
                    frivilligorganisationer deltar i övningen.

                    I övningen testas särskilt hur lägesbilden skapas, beslutsfattandet och
                    kommunikationen till invånarna. Dessutom övar man att öppna varma lokaler för
                    invånarna och att nå äldre klienter som bor hemma.

                    ## Vad invånarna märker

                    - **det allmänna farosignalet** testas på måndag klockan 12, och den följs av
                      signalen faran över
                    - räddningsfordon syns utanför stadshuset och två skolor
                    - övningen påverkar inte stadens tjänster

                    Det sedvanliga larmprovet den första måndagen i månaden ersätts av denna övning.
                    Om det allmänna farosignalet hörs vid någon annan tidpunkt ska du gå inomhus,
                    stänga dörrar, fönster och ventilation och lyssna på radio.

                    "Vi övar för att kunna agera rätt om en verklig störning en dag inträffar. Varje
                    hushåll kan förbereda sig genom att ha mat, vatten och mediciner hemma för minst
                    72 timmar", säger beredskapschef Kari Vilén.

                    Anvisningar om hemberedskap finns på
                    [www.example.fi/beredskap](https://www.example.fi/beredskap).
                    """
                ),
            },
            "en": {
                "title": (
                    "City to hold a large-scale preparedness exercise - public warning signal to "
                    "be tested on Monday"
                ),
                "lead": (
                    "The city will practise managing disruptions together with the rescue "
                    "department, the police and the energy company. In connection with the "
                    "exercise, outdoor sirens will be tested on Monday at 12 noon."
                ),
                "body": _md(
                    """
                    Next week, the city will hold a large-scale preparedness exercise to practise
                    the city's operations during a prolonged power outage in winter conditions.
                    Around 300 people from the city's divisions, the rescue department, the police,
                    the energy company and voluntary organisations will take part.

                    The exercise will test, in particular, situational awareness, decision-making
                    and communication with residents. Participants will also practise opening warm
                    shelters for residents and reaching older clients who live at home.

                    ## What residents will notice

                    - the **public warning signal** will be tested on Monday at 12 noon, followed by
                      the all-clear signal
                    - rescue vehicles will be visible outside City Hall and two schools
                    - the exercise will not affect city services

                    The exercise replaces the usual siren test on the first Monday of the month. If
                    you hear the public warning signal at any other time, go indoors, close doors,
                    windows and ventilation, and listen to the radio.

                    "We practise so that we know how to act correctly if a real disruption ever
                    happens. Every household can prepare by keeping enough food, water and medicines
                    at home for at least 72 hours," says Head of Preparedness Kari Vilén.

                    Instructions on home preparedness are available at
                    [www.example.fi/preparedness](https://www.example.fi/preparedness).
                    """
                ),
            },
        },
    },
    {
        "key": "district-heating-emissions",
        "source": "city-board",
        "topics": ["environment", "economy"],
        "contacts": [1],
        "plan": "published",
        "days_ago": 39,
        "translations": {
            "fi": {
                "title": (
                    "Kaukolämmön päästöt laskivat kolmanneksen, kun viimeinen hiilikattila "
                    "suljettiin"
                ),
                "lead": (
                    "Kaupungin omistaman energiayhtiön kaukolämmön tuotannon hiilidioksidipäästöt "
                    "laskivat viime vuonna 34 prosenttia. Kivihiilen käytöstä luovuttiin kokonaan "
                    "huhtikuussa."
                ),
                "body": _md(
                    """
                    Kaupungin energiayhtiön vuosiraportin mukaan kaukolämmön tuotannon
                    hiilidioksidipäästöt olivat viime vuonna 1,1 miljoonaa tonnia, mikä on 34
                    prosenttia vähemmän kuin edellisenä vuonna. Suurin syy laskuun oli viimeisen
                    kivihiiltä käyttävän lämpölaitoksen sulkeminen huhtikuussa.

                    Hiilen tilalle on rakennettu uusia tuotantomuotoja:

                    - merivettä ja jätevettä hyödyntäviä lämpöpumppuja
                    - sähkökattiloita, jotka käyttävät halpaa tuulisähköä
                    - kausilämpövarasto, joka varastoi kesän hukkalämpöä talveksi
                    - biomassaa käyttävä lämpölaitos

                    Kaupunginhallitus kävi raportin läpi omistajaohjauksen yhteydessä.
                    **Kaupunginhallitus edellyttää, että yhtiö vähentää myös biomassan polttoa ja
                    selvittää sen korvaamista lämpöpumpuilla ja hukkalämmöllä.**

                    Päästöjen lasku näkyy myös kaupungin ilmastotavoitteissa, sillä kaukolämpö on
                    ollut kaupungin alueen suurin yksittäinen päästölähde. Kaukolämmön hinta
                    asiakkaille laski vuoden aikana keskimäärin kuusi prosenttia, mikä johtui
                    pääasiassa edullisesta sähköstä.

                    Energiayhtiön vuosiraportti on luettavissa osoitteessa
                    [www.example.fi/energia](https://www.example.fi/energia).
                    """
                ),
            },
            "sv": {
                "title": (
                    "Utsläppen från fjärrvärmen minskade med en tredjedel när den sista kolpannan "
                    "stängdes"
                ),
                "lead": (
                    "Koldioxidutsläppen från fjärrvärmeproduktionen vid det stadsägda "
                    "energibolaget minskade i fjol med 34 procent. Stenkol slutade användas helt i"
                    " april."
                ),
                "body": _md(
                    """
                    Enligt årsrapporten från stadens energibolag var koldioxidutsläppen från
                    fjärrvärmeproduktionen i fjol 1,1 miljoner ton, vilket är 34 procent mindre än
                    året innan. Den främsta orsaken till minskningen var att det sista
                    kolkraftvärmeverket stängdes i april.

                    I stället för kol har nya produktionsformer byggts:

                    - värmepumpar som utnyttjar havsvatten och avloppsvatten
                    - elpannor som använder billig vindel
                    - ett säsongsvärmelager som lagrar sommarens spillvärme till vintern
                    - ett värmeverk som använder biomassa

                    Stadsstyrelsen gick igenom rapporten i samband med ägarstyrningen.
                    **Stadsstyrelsen förutsätter att bolaget också minskar förbränningen av biomassa
                    och utreder om den kan ersättas med värmepumpar och spillvärme.**

                    Minskningen av utsläppen syns också i stadens klimatmål, eftersom fjärrvärmen
                    har varit den största enskilda utsläppskällan inom stadens område. Priset på
                    fjärrvärme för kunderna sjönk under året med i genomsnitt sex procent, vilket
                    främst berodde på förmånlig el.

                    Energibolagets årsrapport finns på
                    [www.example.fi/energi](https://www.example.fi/energi).
                    """
                ),
            },
        },
    },
    {
        "key": "ticket-prices",
        "source": "city-board",
        "topics": ["transport", "economy"],
        "contacts": [2],
        "decision": {
            "id": "HEL 2026-008815",
            "url": "https://paatokset.example.fi/asia/hel-2026-008815",
        },
        "plan": "published",
        "days_ago": 27,
        "translations": {
            "fi": {
                "title": (
                    "Kaupunginhallitus: joukkoliikenteen lippujen hintojen nousu pidettävä "
                    "maltillisena"
                ),
                "lead": (
                    "Kaupunginhallitus esittää seudulliselle joukkoliikenneviranomaiselle, että "
                    "lippujen hinnat nousisivat ensi vuonna enintään kaksi prosenttia. Nuorten ja "
                    "ikääntyneiden alennukset halutaan säilyttää."
                ),
                "body": _md(
                    """
                    Kaupunginhallitus antoi lausuntonsa seudullisen joukkoliikenneviranomaisen
                    ehdotuksesta ensi vuoden lippujen hinnoiksi. Viranomainen ehdottaa hintoihin
                    keskimäärin 3,5 prosentin korotusta kasvaneiden liikennöintikustannusten vuoksi.

                    **Kaupunginhallitus esittää, että korotus rajataan enintään kahteen
                    prosenttiin.** Kaupunki on valmis kasvattamaan omaa kuntaosuuttaan noin 4
                    miljoonalla eurolla, jotta hintojen nousu jäisi maltilliseksi.

                    ## Lausunnon keskeiset kohdat

                    - kausilippujen hinnannousu pidetään kertalippuja pienempänä, jotta säännöllinen
                      joukkoliikenteen käyttö kannattaa
                    - 7-17-vuotiaiden ja yli 70-vuotiaiden alennukset säilytetään ennallaan
                    - opiskelijoiden alennusoikeutta ei rajata nykyisestä

                    Joukkoliikenteen käyttäjämäärät ovat palanneet lähes koronaa edeltävälle
                    tasolle. Kaupunginhallituksen mukaan hintojen voimakas korotus voisi kääntää
                    kehityksen ja heikentää kaupungin ilmastotavoitteiden saavuttamista.

                    Joukkoliikenneviranomaisen hallitus päättää lippujen hinnoista lokakuussa.
                    Kaupunginhallituksen lausunto on luettavissa
                    [päätöspalvelussa](https://paatokset.example.fi/asia/hel-2026-008815).
                    """
                ),
            },
            "sv": {
                "title": (
                    "Stadsstyrelsen: höjningen av biljettpriserna i kollektivtrafiken måste hållas"
                    " måttlig"
                ),
                "lead": (
                    "Stadsstyrelsen föreslår för den regionala kollektivtrafikmyndigheten att "
                    "biljettpriserna nästa år höjs med högst två procent. Rabatterna för unga och "
                    "äldre ska bevaras."
                ),
                "body": _md(
                    """
                    Stadsstyrelsen gav sitt utlåtande om den regionala kollektivtrafikmyndighetens
                    förslag till biljettpriser för nästa år. Myndigheten föreslår en höjning av
                    priserna med i genomsnitt 3,5 procent på grund av ökade trafikeringskostnader.

                    **Stadsstyrelsen föreslår att höjningen begränsas till högst två procent.**
                    Staden är beredd att öka sin egen kommunandel med cirka 4 miljoner euro för att
                    prishöjningen ska bli måttlig.

                    ## Utlåtandets viktigaste punkter

                    - prishöjningen på periodbiljetter hålls mindre än på enkelbiljetter, så att det
                      lönar sig att åka regelbundet med kollektivtrafiken
                    - rabatterna för 7-17-åringar och personer över 70 år förblir oförändrade
                    - de studerandes rätt till rabatt begränsas inte

                    Antalet passagerare i kollektivtrafiken har nästan återgått till nivån före
                    coronapandemin. Enligt stadsstyrelsen kan en kraftig prishöjning vända
                    utvecklingen och försvaga möjligheterna att nå stadens klimatmål.

                    Kollektivtrafikmyndighetens styrelse beslutar om biljettpriserna i oktober.
                    Stadsstyrelsens utlåtande finns i
                    [beslutstjänsten](https://paatokset.example.fi/asia/hel-2026-008815).
                    """
                ),
            },
            "en": {
                "title": (
                    "City Board: public transport ticket price increases must be kept moderate"
                ),
                "lead": (
                    "The City Board proposes to the regional transport authority that ticket "
                    "prices should rise by no more than two per cent next year. Discounts for "
                    "young and older people should be retained."
                ),
                "body": _md(
                    """
                    The City Board issued its statement on the regional transport authority's
                    proposal for next year's ticket prices. The authority proposes an average
                    increase of 3.5 per cent due to rising operating costs.

                    **The City Board proposes that the increase be limited to a maximum of two per
                    cent.** The city is prepared to increase its own municipal contribution by
                    approximately EUR 4 million to keep the price increase moderate.

                    ## Key points of the statement

                    - season tickets should rise less than single tickets so that regular use of
                      public transport pays off
                    - discounts for 7-17-year-olds and people over 70 should remain unchanged
                    - students' eligibility for discounts should not be restricted

                    Public transport passenger numbers have almost returned to pre-pandemic levels.
                    According to the City Board, a sharp price increase could reverse this trend and
                    hamper the achievement of the city's climate targets.

                    The board of the transport authority will decide on ticket prices in October.
                    The City Board's statement is available in the [decision
                    service](https://paatokset.example.fi/asia/hel-2026-008815).
                    """
                ),
            },
        },
    },
    {
        "key": "city-hall-renovation",
        "source": "city-board",
        "topics": ["administration", "urban-planning"],
        "contacts": [0],
        "decision": {
            "id": "HEL 2025-014402",
            "url": "https://paatokset.example.fi/asia/hel-2025-014402",
        },
        "plan": "published",
        "days_ago": 103,
        "translations": {
            "fi": {
                "title": (
                    "Kaupungintalon peruskorjaus alkaa - valtuusto kokoontuu väistötiloissa kolme "
                    "vuotta"
                ),
                "lead": (
                    "Kaupunginhallitus hyväksyi kaupungintalon peruskorjauksen hankesuunnitelman. "
                    "Korjaus alkaa ensi keväänä, ja kaupunginvaltuusto kokoontuu sen ajan vanhassa"
                    " tullimakasiinissa."
                ),
                "body": _md(
                    """
                    Kaupunginhallitus hyväksyi kaupungintalon peruskorjauksen hankesuunnitelman.
                    Hankkeen kustannusarvio on 96 miljoonaa euroa, ja korjauksen on määrä valmistua
                    vuoden 2029 lopussa.

                    Kaupungintalo on valmistunut 1830-luvulla, ja sitä on laajennettu useaan
                    otteeseen. Rakennuksen talotekniikka on tullut käyttöikänsä päähän, eikä
                    esteettömyys vastaa nykyvaatimuksia.

                    ## Korjauksen keskeiset tavoitteet

                    - talotekniikan, sähköjärjestelmien ja vesijohtojen uusiminen
                    - esteettömät kulkuyhteydet kaikkiin kerroksiin ja valtuustosaliin
                    - rakennuksen energiankulutuksen puolittaminen
                    - historiallisten juhlatilojen entisöinti museoviranomaisen ohjauksessa

                    Korjauksen ajaksi kaupunginvaltuusto siirtyy kokoontumaan peruskorjattuun
                    tullimakasiiniin, jonne rakennetaan väliaikainen valtuustosali. Kokoukset ovat
                    edelleen yleisölle avoimia, ja niitä voi seurata myös verkossa.

                    **Kaupungintalon asiakaspalvelupiste muuttaa korjauksen ajaksi keskustakirjaston
                    katutasoon.** Palvelujen aukioloajat pysyvät ennallaan.

                    Hankkeen eteneminen ja väistötilojen tiedot löytyvät osoitteesta
                    [www.example.fi/kaupungintalo](https://www.example.fi/kaupungintalo).
                    """
                ),
            },
            "sv": {
                "title": (
                    "Grundrenoveringen av stadshuset inleds - fullmäktige sammanträder i "
                    "ersättande lokaler i tre år"
                ),
                "lead": (
                    "Stadsstyrelsen godkände projektplanen för grundrenoveringen av stadshuset. "
                    "Renoveringen inleds nästa vår, och stadsfullmäktige sammanträder under tiden "
                    "i det gamla tullmagasinet."
                ),
                "body": _md(
                    """
                    Stadsstyrelsen godkände projektplanen för grundrenoveringen av stadshuset.
                    Projektets kostnadskalkyl är 96 miljoner euro, och renoveringen ska enligt
                    planerna bli färdig i slutet av 2029.

                    Stadshuset blev färdigt på 1830-talet och har byggts ut flera gånger. Byggnadens
                    husteknik har nått slutet av sin livslängd, och tillgängligheten motsvarar inte
                    dagens krav.

                    ## Renoveringens viktigaste mål

                    - förnyelse av husteknik, elsystem och vattenledningar
                    - tillgängliga förbindelser till alla våningar och till fullmäktigesalen
                    - halvering av byggnadens energiförbrukning
                    - restaurering av de historiska festlokalerna under museimyndighetens ledning

                    Under renoveringen flyttar stadsfullmäktige sina sammanträden till det
                    grundrenoverade tullmagasinet, där en tillfällig fullmäktigesal byggs.
                    Sammanträdena är fortfarande öppna för allmänheten och kan också följas på
                    webben.

                    **Stadshusets kundtjänst flyttar under renoveringen till gatuplanet i
                    centrumbiblioteket.** Öppettiderna förblir oförändrade.

                    Information om hur projektet framskrider och om de ersättande lokalerna finns på
                    [www.example.fi/stadshuset](https://www.example.fi/stadshuset).
                    """
                ),
            },
        },
    },
    {
        "key": "new-year-reception",
        "source": "city-executive-office",
        "topics": ["administration"],
        "contacts": [0],
        "plan": "scheduled",
        "in_hours": 44,
        "translations": {
            "fi": {
                "title": (
                    "Pormestarin uudenvuoden vastaanotto kutsuu kaupunkilaisia kaupungintalolle"
                ),
                "lead": (
                    "Pormestari Helena Saarivirta isännöi perinteisen uudenvuoden vastaanoton "
                    "kaupungintalolla. Tänä vuonna vastaanotolle kutsutaan ensimmäistä kertaa myös"
                    " 300 kaupunkilaista, jotka valitaan arvonnalla."
                ),
                "body": _md(
                    """
                    Pormestarin uudenvuoden vastaanotto järjestetään kaupungintalon juhlasaleissa
                    tammikuun toisena perjantaina kello 17-20. Vastaanotolle kutsutaan kaupungin
                    yhteistyökumppaneita, diplomaattikunnan edustajia, järjestöjä sekä kaupungin
                    henkilöstön edustajia.

                    **Uutena perinteenä vastaanotolle kutsutaan 300 kaupunkilaista**, jotka valitaan
                    arvonnalla ilmoittautuneiden joukosta. Arvontaan voivat osallistua kaikki
                    kaupungissa asuvat täysi-ikäiset.

                    ## Illan ohjelma

                    - pormestarin uudenvuoden puhe kello 17.30
                    - Vuoden kaupunkilainen -tunnustuksen julkistaminen
                    - kaupunginorkesterin jousikvartetin ja nuorisokuoron esitykset
                    - mahdollisuus tutustua kaupungintalon historiallisiin tiloihin ennen
                      peruskorjausta

                    Pormestarin puhe lähetetään suorana kaupungin verkkosivuilla, ja se tekstitetään
                    suomeksi, ruotsiksi ja englanniksi.

                    Tiedotusvälineiden edustajat ovat tervetulleita seuraamaan vastaanottoa.
                    Ilmoittautumiset viestintään viimeistään edellisenä päivänä kello 12 mennessä.
                    Kuvaaminen on sallittu puheen aikana juhlasalin takaosassa.

                    Arvontaan voi ilmoittautua osoitteessa
                    [www.example.fi/uusivuosi](https://www.example.fi/uusivuosi) joulukuun loppuun
                    asti.
                    """
                ),
            },
            "sv": {
                "title": "Borgmästarens nyårsmottagning bjuder in stadsborna till stadshuset",
                "lead": (
                    "Borgmästare Helena Saarivirta står värd för den traditionella "
                    "nyårsmottagningen i stadshuset. I år bjuds för första gången också 300 "
                    "stadsbor in, som väljs genom lottning."
                ),
                "body": _md(
                    """
                    Borgmästarens nyårsmottagning ordnas i stadshusets festsalar den andra fredagen
                    i januari klockan 17-20. Till mottagningen bjuds stadens samarbetspartner,
                    representanter för diplomatkåren, organisationer samt representanter för stadens
                    personal.

                    **Som en ny tradition bjuds 300 stadsbor in till mottagningen**. De väljs genom
                    lottning bland dem som anmält sig. Alla myndiga personer som bor i staden kan
                    delta i lottningen.

                    ## Kvällens program

                    - borgmästarens nyårstal klockan 17.30
                    - offentliggörandet av utmärkelsen Årets stadsbo
                    - uppträdanden av stadsorkesterns stråkkvartett och en ungdomskör
                    - möjlighet att bekanta sig med stadshusets historiska lokaler före
                      grundrenoveringen

                    Borgmästarens tal sänds direkt på stadens webbplats och textas på finska,
                    svenska och engelska.

                    Mediernas representanter är välkomna att följa mottagningen. Anmälningar till
                    kommunikationen senast dagen innan klockan 12. Fotografering är tillåten under
                    talet längst bak i festsalen.

                    Man kan anmäla sig till lottningen på
                    [www.example.fi/nyar](https://www.example.fi/nyar) fram till slutet av december.
                    """
                ),
            },
            "en": {
                "title": "Mayor's New Year reception invites residents to City Hall",
                "lead": (
                    "Mayor Helena Saarivirta will host the traditional New Year reception at City "
                    "Hall. This year, 300 residents chosen by lottery will be invited to the "
                    "reception for the first time."
                ),
                "body": _md(
                    """
                    The Mayor's New Year reception will be held in the City Hall banquet halls on
                    the second Friday of January from 5 pm to 8 pm. Guests include the city's
                    partners, members of the diplomatic corps, NGOs and representatives of city
                    staff.

                    **As a new tradition, 300 residents will be invited to the reception**, chosen
                    by lottery from among those who sign up. All adults living in the city can take
                    part in the lottery.

                    ## Programme of the evening

                    - the Mayor's New Year speech at 5.30 pm
                    - announcement of the Resident of the Year award
                    - performances by the city orchestra's string quartet and a youth choir
                    - a chance to see the historic rooms of City Hall before the renovation

                    The Mayor's speech will be streamed live on the city's website, with subtitles
                    in Finnish, Swedish and English.

                    Members of the media are welcome to cover the reception. Please register with
                    the communications team by 12 noon on the previous day. Photography is permitted
                    during the speech at the back of the banquet hall.

                    You can sign up for the lottery at
                    [www.example.fi/new-year](https://www.example.fi/new-year) until the end of
                    December.
                    """
                ),
            },
        },
    },
    {
        "key": "participatory-budgeting-results",
        "source": "city-executive-office",
        "topics": ["administration"],
        "contacts": [0],
        "plan": "embargo",
        "in_hours": 6,
        "embargo_terms": (
            "Embargo: julkaistavissa, kun äänestyksen tulokset on julkistettu "
            "tiedotustilaisuudessa. Embargo: not for publication until the results are announced "
            "at the press event."
        ),
        "translations": {
            "fi": {
                "title": "Osallistuvan budjetoinnin äänestys: toteutukseen 68 asukkaiden ideaa",
                "lead": (
                    "Kaupunkilaiset äänestivät, mihin kaupunki käyttää 8,8 miljoonaa euroa. "
                    "Äänestykseen osallistui 71 000 asukasta, mikä on enemmän kuin koskaan "
                    "aiemmin."
                ),
                "body": _md(
                    """
                    Osallistuvan budjetoinnin äänestys päättyi, ja kaupunki toteuttaa seuraavien
                    kahden vuoden aikana 68 asukkaiden ehdottamaa ja äänestämää ideaa. Käytettävissä
                    oli yhteensä 8,8 miljoonaa euroa, joka jaettiin seitsemän suurpiirin kesken
                    asukasluvun mukaan.

                    Äänestykseen osallistui 71 000 kaupunkilaista, mikä on 14 prosenttia enemmän
                    kuin edellisellä kierroksella. **Nuorten osuus äänestäjistä kasvoi selvästi**,
                    sillä äänestys toteutettiin ensimmäistä kertaa myös kouluissa oppituntien
                    aikana.

                    ## Eniten ääniä saaneet ideat

                    - talviuintipaikka ja saunalaituri Lehtorannan rantaan
                    - valaistut ulkokuntoilupaikat kolmeen kaupunginosaan
                    - lisää penkkejä ja varjoa leikkipuistoihin
                    - nuorten iltaolohuone Kalliorinteen kirjastoon

                    Ideat toteutetaan yhdessä asukkaiden kanssa. Toteutuksen etenemistä voi seurata
                    verkossa, ja kaupungin stadiluotsit järjestävät alueilla toteutuksen
                    suunnittelutilaisuuksia.

                    "Osallistuva budjetointi tuo päätöksenteon lähelle kaupunkilaisia.
                    Ennätyksellinen äänestysaktiivisuus osoittaa, että asukkaat haluavat vaikuttaa
                    oman lähiympäristönsä kehittämiseen", sanoo osallisuuspäällikkö Marja
                    Koskenranta.

                    Kaikkien ideoiden äänimäärät ovat nähtävissä osoitteessa
                    [www.example.fi/omastadi](https://www.example.fi/omastadi).
                    """
                ),
            },
            "sv": {
                "title": "Omröstningen om deltagande budgetering: 68 invånaridéer förverkligas",
                "lead": (
                    "Stadsborna röstade om hur staden ska använda 8,8 miljoner euro. Hela 71 000 "
                    "invånare deltog i omröstningen, vilket är fler än någonsin tidigare."
                ),
                "body": _md(
                    """
                    Omröstningen om deltagande budgetering har avslutats, och staden förverkligar
                    under de följande två åren 68 idéer som invånarna har föreslagit och röstat
                    fram. Sammanlagt fanns 8,8 miljoner euro att fördela, och summan delades mellan
                    sju stordistrikt enligt invånarantal.

                    71 000 stadsbor deltog i omröstningen, vilket är 14 procent fler än i den
                    föregående omgången. **Andelen unga bland de röstande ökade tydligt**, eftersom
                    omröstningen för första gången också ordnades i skolorna under lektionstid.

                    ## De idéer som fick flest röster

                    - en vinterbadplats och en bastubrygga vid stranden i Lundstrand
                    - belysta utegym i tre stadsdelar
                    - fler bänkar och mer skugga i lekparkerna
                    - ett kvällsvardagsrum för unga i Bergsläntens bibliotek

                    Idéerna förverkligas tillsammans med invånarna. Det går att följa genomförandet
                    på webben, och stadens stadsdelslotsar ordnar planeringsmöten om genomförandet i
                    områdena.

                    "Deltagande budgetering för beslutsfattandet närmare stadsborna. Det rekordhöga
                    valdeltagandet visar att invånarna vill påverka utvecklingen av sin egen
                    närmiljö", säger delaktighetschef Marja Koskenranta.

                    Röstetalen för alla idéer finns på
                    [www.example.fi/omastadi](https://www.example.fi/omastadi).
                    """
                ),
            },
            "en": {
                "title": "Participatory budgeting vote: 68 residents' ideas to be implemented",
                "lead": (
                    "Residents voted on how the city should spend EUR 8.8 million. A record 71,000"
                    " residents took part in the vote."
                ),
                "body": _md(
                    """
                    The participatory budgeting vote has closed, and over the next two years the
                    city will implement 68 ideas proposed and voted for by residents. A total of EUR
                    8.8 million was available, divided between seven major districts according to
                    population.

                    71,000 residents took part in the vote, 14 per cent more than in the previous
                    round. **The share of young voters grew significantly**, as the vote was also
                    held in schools during lessons for the first time.

                    ## Ideas with the most votes

                    - a winter swimming spot and sauna pier on the Lehtoranta shore
                    - lit outdoor gyms in three districts
                    - more benches and shade in playgrounds
                    - an evening lounge for young people at Kalliorinne library

                    The ideas will be implemented together with residents. Progress can be followed
                    online, and the city's district liaison officers will organise planning events
                    in the areas.

                    "Participatory budgeting brings decision-making closer to residents. The record
                    turnout shows that residents want to have a say in developing their own
                    neighbourhoods," says Marja Koskenranta, Head of Participation.

                    The number of votes for every idea is available at
                    [www.example.fi/omastadi](https://www.example.fi/omastadi).
                    """
                ),
            },
        },
    },
    {
        "key": "immigrant-advisory",
        "source": "city-executive-office",
        "topics": ["health-and-social-services", "employment-and-business"],
        "contacts": [3, 4],
        "plan": "published",
        "days_ago": 16,
        "translations": {
            "fi": {
                "title": "Maahanmuuttoneuvonta laajenee: neuvontaa nyt 16 kielellä",
                "lead": (
                    "Kaupungin maahanmuuttoneuvonta tarjoaa ohjausta jatkossa 16 kielellä. Uusi "
                    "neuvontapiste avataan itäiseen kauppakeskukseen, ja chat-neuvonta on auki "
                    "myös iltaisin."
                ),
                "body": _md(
                    """
                    Kaupungin maahanmuuttoneuvonta laajentaa palvelujaan vastatakseen kasvaneeseen
                    kysyntään. Neuvonnassa asioi viime vuonna yli 38 000 asiakasta, mikä on
                    neljänneksen enemmän kuin vuotta aiemmin.

                    Neuvonta auttaa kaupunkiin muuttaneita esimerkiksi asumiseen, työnhakuun,
                    kielikursseihin, lasten koulunkäyntiin ja terveyspalveluihin liittyvissä
                    kysymyksissä. Palvelu on maksutonta ja luottamuksellista.

                    ## Mikä muuttuu

                    - neuvontaa saa nyt 16 kielellä, muun muassa ukrainaksi, arabiaksi, somaliksi,
                      venäjäksi ja dariksi
                    - uusi neuvontapiste avataan Kalliorinteen kauppakeskukseen maaliskuussa
                    - chat-neuvonta on auki arkisin kello 9-20
                    - työnhakijoille tarjotaan jatkossa henkilökohtaista ohjausta yhdessä kaupungin
                      työllisyyspalvelujen kanssa

                    **Neuvontaan ei tarvitse varata aikaa**, vaan palvelupisteisiin voi tulla
                    suoraan aukioloaikoina. Tarvittaessa paikalle voi tilata tulkin.

                    "Hyvä alku uudessa kotikaupungissa on kotoutumisen perusta. Kun ihmiset löytävät
                    palvelut ja työn nopeasti, hyötyy koko kaupunki", sanoo maahanmuuttoneuvonnan
                    päällikkö Hanna Lindroos.

                    Palvelupisteiden yhteystiedot ja aukioloajat ovat osoitteessa
                    [www.example.fi/maahanmuutto](https://www.example.fi/maahanmuutto).
                    """
                ),
            },
            "sv": {
                "title": "Invandrarrådgivningen utvidgas: rådgivning nu på 16 språk",
                "lead": (
                    "Stadens invandrarrådgivning ger i fortsättningen handledning på 16 språk. Ett"
                    " nytt rådgivningsställe öppnas i ett köpcentrum i östra delen av staden, och "
                    "chattrådgivningen är öppen också på kvällarna."
                ),
                "body": _md(
                    """
                    Stadens invandrarrådgivning utvidgar sina tjänster för att möta den ökade
                    efterfrågan. I fjol anlitade över 38 000 kunder rådgivningen, vilket är en
                    fjärdedel fler än året innan.

                    Rådgivningen hjälper personer som flyttat till staden med frågor om till exempel
                    boende, jobbsökning, språkkurser, barnens skolgång och hälsovårdstjänster.
                    Tjänsten är avgiftsfri och konfidentiell.

                    ## Vad förändras

                    - rådgivning ges nu på 16 språk, bland annat ukrainska, arabiska, somaliska,
                      ryska och dari
                    - ett nytt rådgivningsställe öppnas i Bergsläntens köpcentrum i mars
                    - chattrådgivningen är öppen vardagar klockan 9-20
                    - arbetssökande erbjuds i fortsättningen personlig handledning tillsammans med
                      stadens sysselsättningstjänster

                    **Man behöver inte boka tid till rådgivningen**, utan man kan komma direkt till
                    serviceställena under öppettiderna. Vid behov kan en tolk beställas.

                    "En bra start i den nya hemstaden är grunden för integrationen. När människor
                    snabbt hittar tjänsterna och ett arbete gynnas hela staden", säger chefen för
                    invandrarrådgivningen Hanna Lindroos.

                    Kontaktuppgifter och öppettider för serviceställena finns på
                    [www.example.fi/invandrare](https://www.example.fi/invandrare).
                    """
                ),
            },
            "en": {
                "title": (
                    "Immigrant advisory services expand: advice now available in 16 languages"
                ),
                "lead": (
                    "The city's immigrant advisory services will now provide guidance in 16 "
                    "languages. A new advice point will open in a shopping centre in the east of "
                    "the city, and chat advice will also be available in the evenings."
                ),
                "body": _md(
                    """
                    The city's immigrant advisory services are expanding to meet growing demand.
                    Last year, more than 38,000 clients used the service, a quarter more than the
                    year before.

                    The service helps people who have moved to the city with questions about
                    housing, job seeking, language courses, children's schooling and health
                    services, for example. The service is free of charge and confidential.

                    ## What is changing

                    - advice is now available in 16 languages, including Ukrainian, Arabic, Somali,
                      Russian and Dari
                    - a new advice point will open at the Kalliorinne shopping centre in March
                    - chat advice is open on weekdays from 9 am to 8 pm
                    - jobseekers will be offered personal guidance together with the city's
                      employment services

                    **No appointment is needed**: you can visit the service points directly during
                    opening hours. An interpreter can be booked if needed.

                    "A good start in a new home city is the foundation of integration. When people
                    find services and work quickly, the whole city benefits," says Hanna Lindroos,
                    Head of Immigrant Advisory Services.

                    Contact details and opening hours of the service points are available at
                    [www.example.fi/immigrant-advice](https://www.example.fi/immigrant-advice).
                    """
                ),
            },
        },
    },
    {
        "key": "vaskilahti-land-use-plan",
        "source": "city-council",
        "topics": ["urban-planning", "housing"],
        "contacts": [1],
        "decision": {
            "id": "HEL 2026-005127",
            "url": "https://paatokset.example.fi/asia/hel-2026-005127",
        },
        "plan": "published",
        "days_ago": 1,
        "translations": {
            "fi": {
                "title": (
                    "Valtuusto hyväksyi Vaskilahden osayleiskaavan: uusi kaupunginosa 18 000 "
                    "asukkaalle"
                ),
                "lead": (
                    "Kaupunginvaltuusto hyväksyi Vaskilahden osayleiskaavan. Entiselle "
                    "teollisuusalueelle rakennetaan seuraavien 20 vuoden aikana kodit 18 000 "
                    "asukkaalle ja 6 000 työpaikkaa."
                ),
                "body": _md(
                    """
                    Kaupunginvaltuusto hyväksyi Vaskilahden osayleiskaavan kaupunginhallituksen
                    esityksen mukaisesti. Kaava-alue on noin 190 hehtaarin kokoinen entinen
                    teollisuus- ja varastoalue kaupungin pohjoisosassa meren lahden rannalla.

                    Vaskilahdesta suunnitellaan tiivis ja vehreä kaupunginosa, jonka keskuksena on
                    Rantaraitiotien jatkeen pysäkki. Alueelle tulee asuntoja, toimitiloja, kaksi
                    koulua, päiväkoteja ja laaja rantapuisto.

                    ## Kaavan keskeinen sisältö

                    - asuntoja noin 18 000 asukkaalle ja tiloja 6 000 työpaikalle
                    - rantaviiva avataan kaikkien käyttöön yhtenäisenä puistoreittinä
                    - vanhoista teollisuusrakennuksista kolme suojellaan ja muutetaan kulttuuri- ja
                      liiketiloiksi
                    - pysäköinti keskitetään pysäköintitaloihin, jolloin kortteleihin jää enemmän
                      tilaa pihoille

                    Kaavan valmistelussa kuultiin asukkaita ja maanomistajia useaan otteeseen.
                    **Kaavaehdotukseen jätettiin 46 muistutusta**, ja niiden perusteella muun muassa
                    rantapuistoa levennettiin ja kerrostalojen korkeuksia madallettiin lahden
                    puoleisessa osassa.

                    Alueen ensimmäiset asemakaavat valmistellaan vuosina 2027-2028, ja rakentaminen
                    voisi alkaa aikaisintaan vuonna 2029. Kaavaan voi tutustua osoitteessa
                    [www.example.fi/vaskilahti](https://www.example.fi/vaskilahti).
                    """
                ),
            },
            "sv": {
                "title": (
                    "Fullmäktige godkände delgeneralplanen för Kopparviken: ny stadsdel för 18 000"
                    " invånare"
                ),
                "lead": (
                    "Stadsfullmäktige godkände delgeneralplanen för Kopparviken. På det tidigare "
                    "industriområdet byggs under de närmaste 20 åren bostäder för 18 000 invånare "
                    "och 6 000 arbetsplatser."
                ),
                "body": _md(
                    """
                    Stadsfullmäktige godkände delgeneralplanen för Kopparviken i enlighet med
                    stadsstyrelsens förslag. Planområdet är ett cirka 190 hektar stort tidigare
                    industri- och lagerområde i stadens norra del vid stranden av en havsvik.

                    Kopparviken planeras som en tät och grönskande stadsdel med en hållplats på
                    Strandspårvägens förlängning som centrum. Området får bostäder,
                    verksamhetslokaler, två skolor, daghem och en stor strandpark.

                    ## Planens huvudsakliga innehåll

                    - bostäder för cirka 18 000 invånare och lokaler för 6 000 arbetsplatser
                    - strandlinjen öppnas för alla som en sammanhängande parkrutt
                    - tre gamla industribyggnader skyddas och omvandlas till kultur- och
                      affärslokaler
                    - parkeringen koncentreras till parkeringshus, vilket ger mer utrymme för gårdar
                      i kvarteren

                    Under beredningen av planen hördes invånare och markägare vid flera tillfällen.
                    **Det lämnades in 46 anmärkningar mot planförslaget**, och utifrån dem breddades
                    bland annat strandparken och höjden på flervåningshusen sänktes i delen närmast
                    viken.

                    De första detaljplanerna för området bereds 2027-2028, och byggandet kan inledas
                    tidigast 2029. Planen finns på
                    [www.example.fi/kopparviken](https://www.example.fi/kopparviken).
                    """
                ),
            },
            "en": {
                "title": (
                    "City Council approves the Vaskilahti partial master plan: new district for "
                    "18,000 residents"
                ),
                "lead": (
                    "The City Council approved the partial master plan for Vaskilahti. Over the "
                    "next 20 years, homes for 18,000 residents and 6,000 jobs will be created in "
                    "the former industrial area."
                ),
                "body": _md(
                    """
                    The City Council approved the partial master plan for Vaskilahti in line with
                    the City Board's proposal. The plan area is a former industrial and warehouse
                    area of approximately 190 hectares in the northern part of the city, on the
                    shore of a sea bay.

                    Vaskilahti is planned as a dense and green district centred on a stop on the
                    extension of the Shoreline tram. The area will have homes, business premises,
                    two schools, day-care centres and a large shoreline park.

                    ## Main content of the plan

                    - homes for around 18,000 residents and premises for 6,000 jobs
                    - the shoreline will be opened to everyone as a continuous park route
                    - three old industrial buildings will be protected and converted into cultural
                      and commercial premises
                    - parking will be concentrated in parking garages, leaving more space for
                      courtyards

                    Residents and landowners were consulted several times during the preparation of
                    the plan. **46 objections were submitted on the draft plan**, and based on them
                    the shoreline park was widened and the height of apartment buildings nearest the
                    bay was reduced, among other changes.

                    The first detailed plans for the area will be prepared in 2027-2028, and
                    construction could start in 2029 at the earliest. The plan is available at
                    [www.example.fi/vaskilahti](https://www.example.fi/vaskilahti).
                    """
                ),
            },
        },
    },
    {
        "key": "water-supply-renovation",
        "source": "city-council",
        "topics": ["environment", "urban-planning"],
        "contacts": [1, 2],
        "decision": {
            "id": "HEL 2026-000874",
            "url": "https://paatokset.example.fi/asia/hel-2026-000874",
        },
        "plan": "published",
        "days_ago": 88,
        "translations": {
            "fi": {
                "title": "Vesijohtoverkon saneeraukseen 320 miljoonaa euroa kymmenessä vuodessa",
                "lead": (
                    "Kaupunginvaltuusto hyväksyi vesihuollon saneerausohjelman vuosille 2026-2035."
                    " Vanhoja vesi- ja viemärijohtoja uusitaan lähes 40 kilometriä vuodessa."
                ),
                "body": _md(
                    """
                    Kaupunginvaltuusto hyväksyi vesihuollon saneerausohjelman, jonka mukaan kaupunki
                    investoi vesijohto- ja viemäriverkon uusimiseen 320 miljoonaa euroa vuosina
                    2026-2035. Ohjelmalla lähes kaksinkertaistetaan saneerauksen nykyinen vauhti.

                    Kaupungin vesijohtoverkosta merkittävä osa on rakennettu 1950- ja 1960-luvuilla,
                    ja putket ovat tulossa käyttöikänsä päähän. Vuotojen ja putkirikkojen määrä on
                    kasvanut tasaisesti, ja viime vuonna verkostossa oli 214 vuotoa.

                    ## Ohjelman tavoitteet

                    - uusitaan vesijohtoja ja viemäreitä lähes 40 kilometriä vuodessa
                    - erotetaan sadevesi- ja jätevesiviemärit keskusta-alueella, jotta ylivuodot
                      mereen vähenevät
                    - varmistetaan vedenjakelu häiriötilanteissa uusilla varayhteyksillä

                    Saneerauksia tehdään mahdollisuuksien mukaan samaan aikaan katujen
                    peruskorjausten kanssa, jotta kadut kaivetaan auki vain kerran. **Töistä
                    tiedotetaan alueen asukkaille vähintään kaksi viikkoa ennen niiden alkamista.**

                    Ohjelman rahoitus katetaan vesihuollon maksuilla. Vesimaksujen arvioidaan
                    nousevan keskimäärin kolme prosenttia vuodessa ohjelman aikana.

                    Saneerauskohteet ovat nähtävissä
                    [karttapalvelussa](https://www.example.fi/kartta/vesihuolto).
                    """
                ),
            },
            "sv": {
                "title": "320 miljoner euro till sanering av vattenledningsnätet på tio år",
                "lead": (
                    "Stadsfullmäktige godkände saneringsprogrammet för vattentjänsterna för "
                    "2026-2035. Gamla vatten- och avloppsledningar förnyas med nästan 40 kilometer"
                    " per år."
                ),
                "body": _md(
                    """
                    Stadsfullmäktige godkände saneringsprogrammet för vattentjänsterna, enligt
                    vilket staden investerar 320 miljoner euro i förnyelse av vattenlednings- och
                    avloppsnätet 2026-2035. Med programmet fördubblas nästan den nuvarande
                    saneringstakten.

                    En betydande del av stadens vattenledningsnät byggdes på 1950- och 1960-talen,
                    och rören närmar sig slutet av sin livslängd. Antalet läckor och rörbrott har
                    ökat stadigt, och i fjol förekom 214 läckor i nätet.

                    ## Programmets mål

                    - nästan 40 kilometer vattenledningar och avlopp förnyas per år
                    - dagvatten- och spillvattenavloppen separeras i centrumområdet, så att
                      bräddningarna till havet minskar
                    - vattendistributionen tryggas vid störningar genom nya reservförbindelser

                    Saneringarna görs om möjligt samtidigt med grundrenoveringar av gator, så att
                    gatorna grävs upp bara en gång. **Invånarna i området informeras om arbetena
                    minst två veckor innan de inleds.**

                    Programmet finansieras med avgifterna för vattentjänsterna. Vattenavgifterna
                    beräknas stiga med i genomsnitt tre procent per år under programperioden.

                    Saneringsobjekten finns i
                    [karttjänsten](https://www.example.fi/karta/vattentjanster).
                    """
                ),
            },
        },
    },
    {
        "key": "board-election",
        "source": "city-council",
        "topics": ["administration"],
        "contacts": [0],
        "decision": {
            "id": "HEL 2025-013356",
            "url": "https://paatokset.example.fi/asia/hel-2025-013356",
        },
        "plan": "published",
        "days_ago": 118,
        "translations": {
            "fi": {
                "title": "Valtuusto valitsi kaupunginhallituksen jäsenet toimikaudelle 2025-2027",
                "lead": (
                    "Kaupunginvaltuusto valitsi kaupunginhallitukseen 15 jäsentä ja heille "
                    "henkilökohtaiset varajäsenet. Kaupunginhallituksen puheenjohtajana toimii "
                    "pormestari Helena Saarivirta."
                ),
                "body": _md(
                    """
                    Kaupunginvaltuusto valitsi kokouksessaan kaupunginhallituksen jäsenet ja
                    varajäsenet toimikaudelle 2025-2027. Valinta tehtiin valtuustoryhmien välisen
                    neuvottelutuloksen mukaisesti yksimielisesti.

                    Kaupunginhallituksessa on 15 jäsentä, ja jokaisella jäsenellä on
                    henkilökohtainen varajäsen. Paikat jakautuvat valtuustoryhmien kesken
                    kuntavaalien tuloksen mukaisessa suhteessa. Kaupunginhallituksen puheenjohtajana
                    toimii pormestari, ja varapuheenjohtajina toimivat apulaispormestarit.

                    ## Mitä kaupunginhallitus tekee

                    - vastaa kaupungin hallinnosta ja taloudenhoidosta
                    - valmistelee kaupunginvaltuustossa käsiteltävät asiat ja panee valtuuston
                      päätökset täytäntöön
                    - valvoo kaupungin etua ja edustaa kaupunkia
                    - johtaa kaupungin omistajaohjausta

                    Kaupunginhallitus kokoontuu pääsääntöisesti maanantaisin. **Kokousten
                    esityslistat julkaistaan päätöspalvelussa viimeistään edellisenä torstaina**, ja
                    pöytäkirjat tarkastetaan kokousta seuraavana päivänä.

                    Samassa kokouksessa valtuusto valitsi myös lautakuntien ja johtokuntien jäsenet.
                    Kaikkien luottamushenkilöiden tiedot on julkaistu osoitteessa
                    [www.example.fi/luottamushenkilot](https://www.example.fi/luottamushenkilot).
                    """
                ),
            },
            "sv": {
                "title": (
                    "Fullmäktige valde stadsstyrelsens ledamöter för mandatperioden 2025-2027"
                ),
                "lead": (
                    "Stadsfullmäktige valde 15 ledamöter till stadsstyrelsen och personliga "
                    "ersättare för dem. Stadsstyrelsens ordförande är borgmästare Helena "
                    "Saarivirta."
                ),
                "body": _md(
                    """
                    Stadsfullmäktige valde vid sitt sammanträde stadsstyrelsens ledamöter och
                    ersättare för mandatperioden 2025-2027. Valet gjordes enhälligt i enlighet med
                    förhandlingsresultatet mellan fullmäktigegrupperna.

                    Stadsstyrelsen har 15 ledamöter, och varje ledamot har en personlig ersättare.
                    Platserna fördelas mellan fullmäktigegrupperna i förhållande till resultatet i
                    kommunalvalet. Stadsstyrelsens ordförande är borgmästaren, och de biträdande
                    borgmästarna är vice ordförande.

                    ## Vad stadsstyrelsen gör

                    - ansvarar för stadens förvaltning och ekonomi
                    - bereder de ärenden som behandlas i stadsfullmäktige och verkställer
                      fullmäktiges beslut
                    - bevakar stadens intressen och företräder staden
                    - leder stadens ägarstyrning

                    Stadsstyrelsen sammanträder i regel på måndagar. **Föredragningslistorna
                    publiceras i beslutstjänsten senast torsdagen innan**, och protokollen justeras
                    dagen efter sammanträdet.

                    Vid samma sammanträde valde fullmäktige också ledamöterna i nämnderna och
                    direktionerna. Uppgifter om alla förtroendevalda finns på
                    [www.example.fi/fortroendevalda](https://www.example.fi/fortroendevalda).
                    """
                ),
            },
            "en": {
                "title": (
                    "City Council elects the members of the City Board for the 2025-2027 term"
                ),
                "lead": (
                    "The City Council elected 15 members to the City Board and personal deputy "
                    "members for them. The City Board is chaired by Mayor Helena Saarivirta."
                ),
                "body": _md(
                    """
                    At its meeting, the City Council elected the members and deputy members of the
                    City Board for the 2025-2027 term. The election was unanimous, in line with the
                    agreement reached between the council groups.

                    The City Board has 15 members, and each member has a personal deputy. The seats
                    are divided between the council groups in proportion to the results of the
                    municipal elections. The Mayor chairs the City Board, and the Deputy Mayors
                    serve as vice-chairs.

                    ## What the City Board does

                    - is responsible for the city's administration and financial management
                    - prepares the matters discussed by the City Council and implements the
                      Council's decisions
                    - safeguards the city's interests and represents the city
                    - leads the city's ownership steering

                    The City Board usually meets on Mondays. **Meeting agendas are published in the
                    decision service by the previous Thursday at the latest**, and the minutes are
                    checked on the day after the meeting.

                    At the same meeting, the Council also elected the members of committees and
                    boards. Information on all elected officials is available at
                    [www.example.fi/elected-officials](https://www.example.fi/elected-officials).
                    """
                ),
            },
        },
    },
    {
        "key": "digital-services",
        "source": "city-board",
        "topics": ["administration"],
        "contacts": [0],
        "plan": "published",
        "days_ago": 12,
        "translations": {
            "fi": {
                "title": (
                    "Asukkaiden digitaaliset palvelut kootaan yhteen Oma kaupunki -palveluun"
                ),
                "lead": (
                    "Kaupunki avaa uuden Oma kaupunki -verkkopalvelun, johon kootaan asukkaiden "
                    "yleisimmät asioinnit. Ensimmäisessä vaiheessa palvelussa voi hakea "
                    "varhaiskasvatuspaikkaa, maksaa laskuja ja varata tiloja."
                ),
                "body": _md(
                    """
                    Kaupunki kokoaa asukkaiden digitaaliset palvelut yhteen osoitteeseen. Uudessa
                    Oma kaupunki -palvelussa asukas näkee yhdellä kirjautumisella omat asiansa,
                    hakemuksensa ja laskunsa riippumatta siitä, mikä kaupungin toimiala asiaa
                    hoitaa.

                    Kaupunginhallitus hyväksyi digitaalisten palvelujen kehittämisohjelman, jonka
                    tavoitteena on, että vuoteen 2028 mennessä **80 prosenttia kaupungin
                    asioinneista voidaan hoitaa verkossa alusta loppuun**.

                    ## Ensimmäisessä vaiheessa palvelussa voi

                    - hakea varhaiskasvatuspaikkaa ja seurata hakemuksen käsittelyä
                    - maksaa kaupungin laskuja ja tarkastella maksuhistoriaa
                    - varata liikuntatiloja, kokoustiloja ja asukastiloja
                    - tilata muistutuksia esimerkiksi kadunpesusta oman kodin lähellä

                    Palvelu toimii suomeksi, ruotsiksi ja englanniksi, ja se on suunniteltu
                    saavutettavaksi. Palvelua kehitetään yhdessä käyttäjien kanssa, ja ensimmäisen
                    vaiheen testaamiseen osallistui yli 600 asukasta.

                    Kaupunki huolehtii myös siitä, että palveluja saa jatkossakin puhelimitse ja
                    asiointipisteistä. Kirjastoissa ja asukastaloissa on tarjolla digitukea niille,
                    jotka tarvitsevat apua verkkoasioinnissa.

                    Palveluun pääsee osoitteessa [oma.example.fi](https://oma.example.fi).
                    """
                ),
            },
            "sv": {
                "title": "Invånarnas digitala tjänster samlas i tjänsten Min stad",
                "lead": (
                    "Staden öppnar den nya webbtjänsten Min stad, som samlar invånarnas vanligaste"
                    " ärenden. I det första skedet kan man söka plats inom småbarnspedagogiken, "
                    "betala fakturor och boka lokaler i tjänsten."
                ),
                "body": _md(
                    """
                    Staden samlar invånarnas digitala tjänster på en adress. I den nya tjänsten Min
                    stad ser invånaren med en inloggning sina egna ärenden, ansökningar och fakturor
                    oberoende av vilken av stadens sektorer som sköter ärendet.

                    Stadsstyrelsen godkände ett utvecklingsprogram för de digitala tjänsterna med
                    målet att **80 procent av stadens ärenden ska kunna skötas på webben från början
                    till slut** före 2028.

                    ## I det första skedet kan man i tjänsten

                    - söka plats inom småbarnspedagogiken och följa behandlingen av ansökan
                    - betala stadens fakturor och granska betalningshistoriken
                    - boka idrottslokaler, mötesrum och invånarlokaler
                    - beställa påminnelser till exempel om gatutvätt nära det egna hemmet

                    Tjänsten fungerar på finska, svenska och engelska, och den har utformats för att
                    vara tillgänglig. Tjänsten utvecklas tillsammans med användarna, och över 600
                    invånare deltog i testningen av det första skedet.

                    Staden ser också till att tjänsterna även i fortsättningen kan fås per telefon
                    och vid servicepunkterna. På biblioteken och i invånarhusen erbjuds digistöd
                    till dem som behöver hjälp med att uträtta ärenden på webben.

                    Tjänsten finns på [oma.example.fi](https://oma.example.fi).
                    """
                ),
            },
        },
    },
]


# Press events of the coming weeks: (source, days ahead, start hour, hours long, location,
# address, lat, lon, accreditation needed, {lang: (title, description)}, status).
EVENTS: list[dict[str, Any]] = [
    {
        "source": "city-board",
        "days_ahead": 2,
        "hour": 10,
        "hours": 1,
        "location_name": "Kaupungintalo, Juhlasali / Stadshuset, Festsalen",
        "location_address": "Kauppakatu 1, 00100",
        "lat": 60.1683,
        "lon": 24.9526,
        "accreditation_required": False,
        "translations": {
            "fi": {
                "title": "Tiedotustilaisuus: vuoden 2027 talousarvio",
                "description": "Pormestari ja rahoitusjohtaja esittelevät talousarvioesityksen.",
            },
            "sv": {
                "title": "Presskonferens: budgeten för 2027",
                "description": "Borgmästaren och finansdirektören presenterar budgetförslaget.",
            },
            "en": {
                "title": "Press conference: the 2027 budget",
                "description": "The mayor and the director of finance present the budget proposal.",
            },
        },
    },
    {
        "source": "city-council",
        "days_ahead": 9,
        "hour": 18,
        "hours": 4,
        "location_name": "Valtuustosali / Fullmäktigesalen",
        "location_address": "Kauppakatu 1, 00100",
        "lat": 60.1683,
        "lon": 24.9526,
        "accreditation_required": False,
        "online_url": "https://www.example.fi/valtuusto/suora-lahetys",
        "translations": {
            "fi": {
                "title": "Kaupunginvaltuuston kokous",
                "description": "Esityslistalla talousarvio ja Vaskilahden osayleiskaava.",
            },
            "sv": {
                "title": "Stadsfullmäktiges sammanträde",
                "description": "På listan: budgeten och delgeneralplanen för Kopparviken.",
            },
        },
    },
    {
        "source": "city-executive-office",
        "days_ahead": 5,
        "hour": 13,
        "hours": 2,
        "location_name": "Vaskilahden raitiotietyömaa / Spårvägsbygget i Kopparviken",
        "location_address": "Satamatie 14, 00980",
        "lat": 60.2055,
        "lon": 25.1437,
        "accreditation_required": True,
        "translations": {
            "fi": {
                "title": "Mediakierros raitiotietyömaalla",
                "description": "Kypärät ja huomioliivit jaetaan paikalla. Ilmoittaudu etukäteen.",
            },
            "en": {
                "title": "Media tour of the tram line works",
                "description": "Helmets and vests provided on site. Registration required.",
            },
        },
    },
    {
        "source": "city-board",
        "days_ahead": 4,
        "hour": 9,
        "hours": 1,
        "location_name": "Kaupungintalo / Stadshuset",
        "location_address": "Kauppakatu 1, 00100",
        "lat": 60.1683,
        "lon": 24.9526,
        "accreditation_required": False,
        "status": "cancelled",
        "translations": {
            "fi": {
                "title": "Taustainfo: kouluverkkoselvitys (PERUTTU)",
                "description": "Tilaisuus on peruttu; uusi ajankohta ilmoitetaan myöhemmin.",
            },
            "sv": {
                "title": "Bakgrundsinfo: skolnätsutredningen (INSTÄLLT)",
                "description": "Tillfället är inställt; ny tidpunkt meddelas senare.",
            },
        },
    },
]
