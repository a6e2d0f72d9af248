import type { Unfilled } from '../../solver/result.ts';

/**
 * Every word the human views show, in bokmål and English, built from stable codes and figures (the
 * JSON keeps the codes; only these texts change with the language).
 */

export const LANGS = ['nb', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/**
 * The language of an answer: `?lang=` first (a bad value is the caller's mistake, so null), then the
 * first Accept-Language entry we speak by quality, then bokmål (the ordninger are Norwegian).
 */
export function chooseLang(query: string | undefined, acceptLanguage: string | undefined): Lang | null {
  if (query !== undefined) return (LANGS as readonly string[]).includes(query) ? (query as Lang) : null;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = Number(params.map((p) => p.trim()).find((p) => p.startsWith('q='))?.slice(2) ?? 1);
      return { base: tag.split('-')[0]!, q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((t) => t.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { base } of ranked) {
    if (base === 'nb' || base === 'no' || base === 'nn') return 'nb';
    if (base === 'en') return 'en';
  }
  return 'nb';
}

/** Figures as people write them: Norwegian decimal comma, at most 2 decimals. */
export function hours(x: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'nb' ? 'nb-NO' : 'en-GB', { maximumFractionDigits: 2 }).format(x);
}

const RULES: Record<string, { nb: string; en: string }> = {
  availability: { nb: 'utilgjengelig', en: 'unavailable' },
  'average-weekly-hours': { nb: 'gjennomsnittlig ukentlig arbeidstid', en: 'average weekly hours' },
  coverage: { nb: 'bemanning', en: 'staffing' },
  'daily-rest': { nb: 'daglig hviletid', en: 'daily rest' },
  'max-hours-per-day': { nb: 'største arbeidstid per døgn', en: 'most hours per day' },
  'max-hours-per-week': { nb: 'største arbeidstid per uke', en: 'most hours per week' },
  'night-work': { nb: 'nattarbeid', en: 'night work' },
  'no-overlap': { nb: 'overlappende vakter', en: 'overlapping shifts' },
  pinned: { nb: 'låst vakt', en: 'pinned shift' },
  skills: { nb: 'mangler ferdighet', en: 'lacks a skill' },
  'sunday-rest': { nb: 'søndags- og helligdagsfri', en: 'Sunday and holiday rest' },
  'vedtak-cap': { nb: 'vedtakets timer', en: "the vedtak's hours" },
  'weekly-rest': { nb: 'ukentlig arbeidsfri', en: 'weekly rest' },
  'rest-elsewhere': { nb: 'hviletid rundt vakter i andre ordninger', en: 'rest around shifts in other ordninger' },
};

/** A rule's title; an unknown rule keeps its code rather than showing nothing. */
export const ruleTitle = (rule: string, lang: Lang): string => RULES[rule]?.[lang] ?? rule;

const PRIORITY = {
  essential: { nb: 'nødvendige', en: 'essential' },
  important: { nb: 'viktige', en: 'important' },
  optional: { nb: 'valgfrie', en: 'optional' },
} as const;

/** Why a place is open, from its code and figures; `nameOf` turns assistant ids into display names. */
export function unfilledReason(u: Unfilled, lang: Lang, nameOf: (id: string) => string = (id) => id): string {
  if (!u.code || !u.facts) return u.reason; // a result stored before codes existed
  const { priority, proven, moreHours, assistantIds, rule, mended } = u.facts;
  const names = assistantIds.map(nameOf).join(', ');
  const p = PRIORITY[priority][lang];
  if (lang === 'en') {
    const cause = mended ? 'the plan was mended after a clash in the shared pool' : 'the time limit ended the search';
    if (u.code === 'someone-could-take') return `Left open when ${cause}; ${names} could take it within every rule.`;
    const why = {
      'plan-limits': `${names} could take it by the working-time rules, but not within the plan's own limits (vedtak, locked shifts)`,
      'rule-blocks': `closest is ${names}, stopped by ${ruleTitle(rule ?? '', lang)}`,
      'no-assistants': 'there is no assistant in the plan',
      'nobody-available': 'no assistant with the skills it needs is available then',
    }[u.code];
    if (proven) return `No plan within the rules covers more ${p} hours (proven); ${why}.`;
    if (mended) return `Not proven: ${cause}; ${why}.`;
    const allows = moreHours === null ? 'no bound was proven' : moreHours > 0 ? `the best possible plan may cover up to ${hours(moreHours, lang)} more ${p} hours` : `no plan covers more ${p} hours`;
    return `The time limit ended the search first (${allows}); ${why}.`;
  }
  const cause = mended ? 'planen ble rettet etter en kollisjon i den felles assistentpoolen' : 'tidsgrensen stoppet søket';
  if (u.code === 'someone-could-take') return `Står åpen fordi ${cause}; ${names} kunne tatt den innenfor alle regler.`;
  const why = {
    'plan-limits': `${names} kunne tatt den etter arbeidstidsreglene, men ikke innenfor planens egne grenser (vedtak, låste vakter)`,
    'rule-blocks': `nærmest er ${names}, stoppet av regelen om ${ruleTitle(rule ?? '', lang)}`,
    'no-assistants': 'det er ingen assistenter i planen',
    'nobody-available': 'ingen assistent med ferdighetene som trengs er ledig da',
  }[u.code];
  if (proven) return `Ingen plan innenfor reglene dekker flere ${p} timer (bevist); ${why}.`;
  if (mended) return `Ikke bevist: ${cause}; ${why}.`;
  const allows = moreHours === null ? 'ingen grense ble bevist' : moreHours > 0 ? `den beste mulige planen kan dekke inntil ${hours(moreHours, lang)} flere ${p} timer` : `ingen plan dekker flere ${p} timer`;
  return `Tidsgrensen stoppet søket først (${allows}); ${why}.`;
}

/**
 * The budget in one plain sentence: over or under the vedtak in the period (balance is vedtak minus
 * planned, negative = overforbruk), then what the year comes to at this pace.
 */
export function budgetSentences(balance: number, projectedYear: number, lang: Lang): string[] {
  const h = (x: number) => hours(Math.abs(x), lang);
  if (lang === 'en')
    return [
      balance < 0 ? `With this turnus you use ${h(balance)} hours more than the vedtak grants in the period.`
      : balance > 0 ? `With this turnus you use ${h(balance)} hours less than the vedtak grants in the period.`
      : 'With this turnus you use exactly the hours the vedtak grants in the period.',
      projectedYear < 0 ? `If the rest of the year goes like this, you will have used ${h(projectedYear)} hours more than the year's vedtak.`
      : `If the rest of the year goes like this, ${h(projectedYear)} of the year's vedtak hours will be left.`,
    ];
  return [
    balance < 0 ? `Med denne turnusen bruker dere ${h(balance)} timer mer enn vedtaket gir i perioden.`
    : balance > 0 ? `Med denne turnusen bruker dere ${h(balance)} timer mindre enn vedtaket gir i perioden.`
    : 'Med denne turnusen bruker dere akkurat de timene vedtaket gir i perioden.',
    projectedYear < 0 ? `Fortsetter resten av året slik, har dere brukt ${h(projectedYear)} timer mer enn årets vedtak.`
    : `Fortsetter resten av året slik, står ${h(projectedYear)} av årets vedtakstimer igjen.`,
  ];
}

/** The labels of the page and the CSV, one table per language. */
export const WORDS = {
  nb: {
    turnus: 'Turnus', version: 'versjon', period: 'Periode', week: 'Uke', weekShort: 'Uke',
    days: ['Mandag', 'Tirsdag', 'Onsdag', 'Torsdag', 'Fredag', 'Lørdag', 'Søndag'],
    daysShort: ['Man', 'Tir', 'Ons', 'Tor', 'Fre', 'Lør', 'Søn'],
    gridCaption: 'Vakter per dag, uke for uke. Vakter uten nok assistenter er markert som åpne.',
    passive: 'passiv', passiveLong: 'passiv natt (hvilende vakt)', sunday: 'søndag', holiday: 'helligdag',
    open: 'Åpen', openPlaces: (n: number) => (n === 1 ? '1 plass' : `${n} plasser`), noShifts: 'Ingen vakter',
    unfilledHeading: 'Åpne vakter', unfilledCaption: 'Vakter som ikke er dekket, og hvorfor', shift: 'Vakt', missing: 'Mangler', reason: 'Årsak',
    budgetHeading: 'Timekonto', budgetCaption: 'Vedtakets timer mot planlagte timer per uke og for perioden',
    vedtakHours: 'Vedtak', plannedHours: 'Planlagt', unfilledHours: 'Udekket', balance: 'Saldo', total: 'Perioden',
    yearForecast: 'Prognose for året', assistantsHeading: 'Assistenter',
    assistantsCaption: 'Planlagte timer mot stillingsprosent, netter, helger og søndager per assistent',
    assistant: 'Assistent', position: 'Stilling', target: 'Timer etter stilling', deviation: 'Avvik', nights: 'Netter', weekends: 'Helger', sundays: 'Søndager',
    unfilledNone: 'Alle vakter er dekket.', status: 'Status', notReady: 'Turnusen er ikke ferdig planlagt ennå.',
    legend: 'Forklaring', hoursUnit: 't',
  },
  en: {
    turnus: 'Turnus', version: 'version', period: 'Period', week: 'Week', weekShort: 'Wk',
    days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
    daysShort: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
    gridCaption: 'Shifts per day, week by week. Shifts without enough assistants are marked open.',
    passive: 'passive', passiveLong: 'passive night (sleeping on site)', sunday: 'Sunday', holiday: 'public holiday',
    open: 'Open', openPlaces: (n: number) => (n === 1 ? '1 place' : `${n} places`), noShifts: 'No shifts',
    unfilledHeading: 'Open shifts', unfilledCaption: 'Shifts not covered, and why', shift: 'Shift', missing: 'Missing', reason: 'Reason',
    budgetHeading: 'Hour budget', budgetCaption: "The vedtak's hours against planned hours per week and for the period",
    vedtakHours: 'Vedtak', plannedHours: 'Planned', unfilledHours: 'Uncovered', balance: 'Balance', total: 'Period',
    yearForecast: 'Year forecast', assistantsHeading: 'Assistants',
    assistantsCaption: 'Planned hours against position, nights, weekends and Sundays per assistant',
    assistant: 'Assistant', position: 'Position', target: 'Hours by position', deviation: 'Deviation', nights: 'Nights', weekends: 'Weekends', sundays: 'Sundays',
    unfilledNone: 'Every shift is covered.', status: 'Status', notReady: 'The turnus is not planned yet.',
    legend: 'Legend', hoursUnit: 'h',
  },
} as const;
