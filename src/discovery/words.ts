/**
 * The words the detectors read as context, in the languages the banner speaks (en, de, fr, es, it, nl, pt, sv),
 * lower-case. A candidate is judged by the word before it (or the key of its JSON, logfmt or CSV field, split at
 * `_`), looked up in these sets; nothing here is matched by a regular expression.
 */
const set = (s: string): ReadonlySet<string> => new Set(s.trim().split(/\s+/));

/** Before a phone number: it is one even when written as bare digits. */
export const PHONE_WORDS = set(`
phone phones tel tel. telephone telefon telefone telefono teléfono téléphone telefoon mobile mob mobil mobiel móvil
cell cellphone celular cellulare handy portable gsm call ring sms whatsapp fax rufnummer numero número nummer msisdn
callback contact
`);

/** Before a number that is not personal data: counts, sizes, times, identifiers of things. */
export const NOT_PERSONAL_WORDS = set(`
order orders ord invoice inv ticket ref reference case tracking sku build version ver v release id uuid no nr nummer
commande bestellung pedido ordine factura rechnung commit sha rev revision hash pid ppid tid port bytes byte size
length len rows row count total amount sum price qty quantity items duration elapsed took ms latency time ts timestamp
epoch updated created modified at heap rss mem memory offset seq sequence batch job jobs attempt retry status code
migration migrated processed records user_id account_id customer_id session request_id trace span kb mb gb tb
chrome firefox safari http https
`);

/** Before a date that is a date of birth. */
export const BIRTH_WORDS = set(`
born birth birthday birthdate dob d.o.b geboren geburt geburtsdatum geb geb. né née naissance nacimiento nacido
nacida nascita nato nata geboorte geboortedatum nascimento nascido född fødsel
`);
/** Small words between a birth word and its date: "born on", "geboren am", "né le". */
export const BIRTH_FILLERS = set(`on am le el il op em den the of date`);

/** Before a word that is a given name and a surname, or a given name alone after a greeting. */
export const NAME_CUES = set(`
name fullname full_name customer client contact user agent caller from by for dear hi hello hey hallo liebe lieber
bonjour salut cher chère hola estimado estimada querido querida olá ola prezado prezada ciao gentile caro cara hej
beste geachte signed assigned owner holder kunde kundin cliente klant patient recipient beneficiary payee
`);
/** Greetings, after which one given name is a name. */
export const GREETINGS = set(`
dear hi hello hey hallo liebe lieber bonjour salut cher chère hola estimado estimada querido querida olá ola prezado
prezada ciao gentile caro cara hej beste geachte
`);

/** Titles before a name; the name follows the title, which is not part of it. */
export const TITLES = set(`
mr mr. mrs mrs. ms ms. miss mx dr dr. prof prof. sir dame herr frau m. mme mme. mlle monsieur madame mademoiselle
sr sr. sra sra. srta d. dña dña. don doña sig sig. sig.ra sig.na dott dott. dott.ssa signor signora dhr dhr. mevr
mevr. mw. drs ing ir. fru
`);

/**
 * Capitalised words that begin sentences, name things or places, and so are not the start of a person's name:
 * languages and nationalities, days, months, places and the words of support and log text.
 */
export const NOT_NAMES = set(`
the a an this that these those please thanks thank order invoice ticket customer client user account refund payment
english german french spanish portuguese italian dutch swedish chinese japanese korean arabic russian polish turkish
hindi greek danish norwegian finnish czech hungarian romanian hebrew thai vietnamese indonesian malay ukrainian
deutsch français español português italiano nederlands svenska
monday tuesday wednesday thursday friday saturday sunday montag dienstag mittwoch donnerstag freitag samstag sonntag
january february march april may june july august september october november december
street avenue road lane drive boulevard square place court way park hill
new old north south east west san santa los las saint st sankt
google apple microsoft amazon stripe paypal visa mastercard chrome firefox safari windows linux android iphone ios
mozilla http https api json error warning info debug status
`);

/** Street types, as a word of their own (before or after the name, or as its last word). */
export const STREET_WORDS = set(`
street st st. avenue ave ave. road rd rd. lane ln ln. drive dr dr. boulevard blvd blvd. way court ct ct. place pl pl.
square sq sq. terrace close alley bypass causeway circle cir crescent crest crossing expressway freeway gardens
gateway glen green grove heights highway hwy hill hollow junction landing loop mall manor meadow meadows mews mill
motorway parkway pkwy park pass path pike plaza point ridge route row run shore spring springs summit trace track
trail turnpike valley view village vista walk wells wharf wood woods forge forges brook brooks
strasse straße str str. weg allee gasse platz ring damm chaussee ufer steig stieg pfad markt
rue avenue boulevard bd chemin allée impasse quai cours route place voie passage square
calle avenida av av. plaza paseo camino carretera ronda travesía glorieta rambla pasaje
via viale piazza piazzale corso largo vicolo borgo contrada strada rotonda
straat laan plein gracht kade singel dijk steeg
rua travessa praça estrada alameda beco rodovia largo
gatan vägen gata väg gränd torget
`);
/** Compound street names end in one of these: Hauptstraße, Kungsgatan, Dorpsstraat, Anthonyweg. */
export const STREET_SUFFIXES = [
  "straße",
  "strasse",
  "str.",
  "weg",
  "allee",
  "gasse",
  "platz",
  "damm",
  "ring",
  "kamp",
  "stieg",
  "ufer",
  "chaussee",
  "pfad",
  "gatan",
  "vägen",
  "gränd",
  "straat",
  "laan",
  "gracht",
  "plein",
  "kade",
  "singel",
  "dijk",
];

/** Words inside a street or city name that are not capitalised: "rue de la Paix", "Ofélia do Descoberto". */
export const PARTICLES = set(`
de del della dei da das do dos du des la le les lo di van der den ten ter von zu zum zur am an im of the bis y e
upon under on sur en
`);

/** Month names and their short forms, for dates written with words. */
export const MONTHS: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  for (const list of [
    "january february march april may june july august september october november december",
    "januar februar märz april mai juni juli august september oktober november dezember",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "januari februari maart april mei juni juli augustus september oktober november december",
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "jan feb mar apr may jun jul aug sep oct nov dec",
  ])
    list.split(" ").forEach((w, i) => m.set(w, i + 1));
  // the short forms of the other languages
  const short = "sept 9 jän 1 mär 3 okt 10 dez 12 janv 1 févr 2 avr 4 juil 7 déc 12 ene 1 abr 4 ago 8 dic 12".split(
    " ",
  );
  for (let i = 0; i < short.length; i += 2) m.set(short[i], Number(short[i + 1]));
  return m;
})();

/** Units of an address after its street: "Apt 5", "Suite 300", "Whg. 3", "apto 42", "Appt 12", "Flat 5". */
export const UNIT_WORDS = set(`
apt apt. apartment suite ste ste. unit flat fl fl. floor room rm # appt appt. app app. whg whg. wohnung bât bât. bat
bâtiment étage apto apto. ap ap. piano appartamento interno int scala bus hoog lote casa bloco sala
`);
