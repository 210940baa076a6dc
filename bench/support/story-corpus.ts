import { type Attribution, type DevelopmentKind } from '@newsroom/domain';

/**
 * Wording for seeded stories: developments from one line to a long paragraph (150-900 characters),
 * short claims, named and anonymous attributions, sources. Enough variety that the read models'
 * JSON, patches and search vectors look like a newsroom's, not like one string repeated.
 */

export const DESKS = ['world', 'politics', 'business', 'science', 'sport', 'culture', 'local'] as const;

export const HEADLINES = [
  'Airstrike in Anbar province kills senior militant commander, officials say',
  'Flooding forces thousands from their homes as river breaches defences',
  'Central bank raises interest rates for the third time this year',
  'Minister resigns after leaked messages reveal lobbying contacts',
  'Wildfire spreads across national park as winds pick up overnight',
  'Talks on border crossing resume after two-week suspension',
  'Power restored to most of the capital after nationwide blackout',
  'Court blocks deportation flights pending a full hearing',
  'Search continues for missing hikers after storm in the mountains',
  'Election commission delays results as recount is ordered in three districts',
] as const;

export const SUMMARIES = [
  'Officials confirmed the strike but gave no figures for casualties.',
  'Emergency services say the situation remains fluid and more evacuations are possible overnight.',
  'Markets reacted calmly; economists had largely expected the move after last month’s inflation figures.',
  'The resignation follows three days of pressure from opposition parties and members of the governing coalition.',
] as const;

export const DEVELOPMENT_TEXTS = [
  'Officials confirmed the figure at a briefing.',
  'The ministry said it would publish a full statement later in the day and declined to answer questions about the timing.',
  'Witnesses described hearing two explosions shortly after midnight, followed by the sound of aircraft. Residents said the ' +
    'electricity went out across the district minutes later and had not been restored by morning.',
  'A spokesperson for the regional government said emergency teams had reached the worst-affected areas and that temporary ' +
    'shelters had been opened in four schools. She said the priority was to move elderly residents and families with young ' +
    'children, and asked people not to travel unless it was essential.',
  'In a televised address, the prime minister said the operation had been planned for months and carried out jointly with ' +
    'international partners. He praised the security services and said the country would not be intimidated. Opposition ' +
    'leaders welcomed the news but called for an independent inquiry into reports of civilian casualties, and said ' +
    'parliament should be briefed in closed session before the end of the week.',
  'Satellite images reviewed by independent analysts show damage to at least six buildings in the compound, including what ' +
    'appears to be a vehicle depot. The analysts cautioned that the images were taken at an angle and that some structures ' +
    'may have been damaged earlier. Local officials have not allowed journalists into the area, citing the risk of unexploded ' +
    'ordnance, and access roads remain closed. A humanitarian group working in the province said its staff had been told to ' +
    'stay away until further notice, and that it was preparing supplies for families who had left nearby villages.',
  'The agency later corrected its earlier figure, saying the number of people evacuated was lower than first reported.',
  'Background: the province has seen repeated clashes since the ceasefire collapsed last spring, and the government has ' +
    'struggled to restore services in towns retaken from armed groups. Reconstruction funds pledged at an international ' +
    'conference two years ago have been slow to arrive, according to a report by the national audit office.',
] as const;

export const CLAIM_TEXTS = [
  'At least 12 people were killed.',
  'The strike was carried out by coalition aircraft.',
  'The commander had been under surveillance for months.',
  'Around 4,000 residents were evacuated overnight.',
  'The minister met the lobbyist on three occasions.',
  'No civilians were harmed in the operation.',
  'The dam was last inspected in 2019.',
  'The recount will take at least a week.',
] as const;

export const QUOTES = [
  'We will not be intimidated, and we will not rest until those responsible are brought to justice.',
  'The situation is serious but under control.',
  'I have done nothing wrong and I will cooperate fully with any inquiry.',
] as const;

export const LOCATIONS = ['Al-Qaim, Anbar province, Iraq', 'Riverside district', 'Parliament', 'Northern valley', 'The capital'] as const;

export const ATTRIBUTIONS: readonly Attribution[] = [
  { name: 'Mohammed Shia al-Sudani', role: 'Prime Minister', affiliation: 'Government of Iraq', platform: 'Iraqiya TV', anonymous: false },
  { role: 'Spokesperson', affiliation: 'Ministry of the Interior', anonymous: false },
  { name: 'Dana Whitfield', role: 'Regional emergency coordinator', anonymous: false },
  { role: 'Senior security official', anonymous: true, anonymityReason: 'not authorised to speak to the media' },
  { role: 'Diplomat familiar with the talks', anonymous: true, anonymityReason: 'the negotiations are confidential' },
  { name: 'Opposition leader', platform: 'X', anonymous: false },
  { affiliation: 'Reuters', anonymous: false },
];

export const DEVELOPMENT_KINDS: readonly DevelopmentKind[] = ['report', 'report', 'confirmation', 'statement', 'statement', 'update', 'background', 'visit'];

export const PUBLISHERS = ['Reuters', 'Associated Press', 'AFP', 'BBC News', 'Ministry of Defence', 'Al Jazeera', 'Local police'] as const;

export const REASONS = ['new information from officials', 'wording', 'figures updated', 'source withdrew the statement', 'legal advice'] as const;

export const NOTES = [
  'An earlier version of this story gave the wrong figure for the number of people evacuated.',
  'An earlier version misattributed a quote to the interior minister; it was said by a ministry spokesperson.',
  'This development has been clarified to say the figure is an estimate.',
] as const;
