/**
 * The story this project started from, as an editor would log it through the public API, in
 * order. Texts are written here; only short quotes of officials are quoted. Later steps refer to
 * ids answered by earlier ones through the `claims` / `sources` lookups.
 */
export interface DemoIds {
  readonly claims: Readonly<Record<string, string>>;
  readonly sources: Readonly<Record<string, string>>;
  readonly developments: Readonly<Record<string, string>>;
}

export interface DemoStep {
  readonly label: string;
  readonly method: 'POST' | 'PATCH';
  /** Relative to /stories/{id}; '' with POST opens the story. */
  readonly path: string;
  /** Chief-only steps are marked so the demo can use the right token. */
  readonly role: 'editor' | 'chief';
  /** Names given to the claims this step reports, in order, so later steps can confirm them. */
  readonly claimNames?: readonly string[];
  readonly sourceName?: string;
  /** A name for the development this step logs, so a later correction can target it. */
  readonly developmentName?: string;
  body(ids: DemoIds): Record<string, unknown>;
}

export const seedStory: readonly DemoStep[] = [
  {
    label: 'Open the story',
    method: 'POST',
    path: '',
    role: 'editor',
    body: () => ({
      headline: 'ISIS leader in Iraq and Syria reported killed in joint airstrike',
      desk: 'world',
      summary: 'Iraqi and US-led coalition forces say a strike killed the head of the Islamic State in Iraq and Syria.',
      language: 'en',
    }),
  },
  {
    label: 'First report of the strike, with its claims',
    method: 'POST',
    path: '/developments',
    role: 'editor',
    claimNames: ['killed', 'joint-operation'],
    body: () => ({
      kind: 'report',
      text:
        'Reports say Abdallah Maki Mosleh al-Rifai, known as "Abu Khadija", the leader of ISIS in Iraq and Syria, ' +
        'died in an airstrike carried out jointly by Iraqi national intelligence and the US-led coalition.',
      attribution: { affiliation: 'Iraqi government', anonymous: false },
      claims: [
        { text: 'The leader of ISIS in Iraq and Syria, Abu Khadija, was killed in an airstrike' },
        { text: 'The strike was a joint operation of Iraqi national intelligence and the US-led coalition' },
      ],
    }),
  },
  {
    label: "An anonymous security official's account",
    method: 'POST',
    path: '/developments',
    role: 'editor',
    claimNames: ['anbar'],
    body: () => ({
      kind: 'report',
      text: 'A security official says the operation took place in Anbar province in western Iraq on Thursday night, and that the death was confirmed the next day.',
      occurredAt: '2025-03-13T21:00:00+03:00',
      occurredAtPrecision: 'approximate',
      occurredAtLabel: 'Thursday night',
      location: 'Anbar province, western Iraq',
      attribution: { role: 'security official', anonymous: true, anonymityReason: 'Not authorised to speak about a sensitive operation' },
      claims: [{ text: 'The strike took place in Anbar province on Thursday night' }],
    }),
  },
  {
    label: "The prime minister's confirmation on X",
    method: 'POST',
    path: '/developments',
    role: 'editor',
    body: (ids) => ({
      kind: 'confirmation',
      text: 'Prime Minister Mohammed Shia al-Sudani confirmed the death, calling al-Rifai the group\'s "deputy caliph" and one of the most dangerous terrorists in the world.',
      occurredAt: '2025-03-14',
      occurredAtPrecision: 'day',
      occurredAtLabel: 'Friday',
      attribution: { name: 'Mohammed Shia al-Sudani', role: 'Prime Minister of Iraq', affiliation: 'Government of Iraq', platform: 'X', anonymous: false },
      quote: 'The Iraqis continue their impressive victories over the forces of darkness and terrorism.',
      confirms: [ids.claims.killed, ids.claims['joint-operation']],
    }),
  },
  {
    label: "Donald Trump's statement on Truth Social (as first reported)",
    method: 'POST',
    path: '/developments',
    role: 'editor',
    developmentName: 'trump',
    body: (ids) => ({
      kind: 'statement',
      text: 'Former US president Donald Trump said on Truth Social that the fugitive ISIS leader in Iraq had been hunted down and killed, in coordination with Iraqi and Kurdish authorities.',
      occurredAt: '2025-03-14',
      occurredAtPrecision: 'day',
      attribution: { name: 'Donald Trump', role: 'former President of the United States', platform: 'Truth Social', anonymous: false },
      quote: 'PEACE THROUGH STRENGTH!',
      confirms: [ids.claims.killed],
    }),
  },
  {
    label: "Syria's foreign minister visits Baghdad; the regional operations room",
    method: 'POST',
    path: '/developments',
    role: 'editor',
    body: () => ({
      kind: 'visit',
      text:
        "The announcement came during a visit to Baghdad by Syria's interim foreign minister, Asaad Hassan al-Shibani. " +
        'Iraqi Foreign Minister Fouad Hussein pointed to security threats the two countries share and to an operations room set up by Syria, Iraq, Turkey, Jordan and Lebanon to track ISIS in the region.',
      location: 'Baghdad',
      occurredAt: '2025-03-14',
      occurredAtPrecision: 'day',
      attribution: { name: 'Fouad Hussein', role: 'Foreign Minister of Iraq', anonymous: false },
    }),
  },
  {
    label: "Background: the coalition's withdrawal",
    method: 'POST',
    path: '/developments',
    role: 'editor',
    body: () => ({
      kind: 'background',
      text:
        'The US-led coalition is preparing to leave Iraq gradually, with the withdrawal due to finish by September 2025. ' +
        "The plan assumed ISIS was contained; since Assad's fall in Syria some Iraqi leaders, notably in the Iran-backed Coordination Framework, have been rethinking it.",
      attribution: { anonymous: false },
    }),
  },
  {
    label: 'Cite the source',
    method: 'POST',
    path: '/sources',
    role: 'editor',
    sourceName: 'toi',
    body: () => ({
      url: 'https://www.timesofisrael.com/head-of-isis-in-iraq-and-syria-killed-in-airstrike-during-us-iraqi-joint-operation/',
      publisher: 'The Times of Israel',
      title: 'Head of ISIS in Iraq and Syria killed in airstrike during US-Iraqi joint operation',
    }),
  },
  {
    label: 'Revise the headline once the prime minister has confirmed',
    method: 'PATCH',
    path: '',
    role: 'editor',
    body: () => ({
      headline: "Iraq's prime minister confirms ISIS leader killed in Anbar airstrike",
      reason: 'Confirmed by the prime minister on X',
    }),
  },
  {
    label: 'Publish',
    method: 'POST',
    path: '/publish',
    role: 'chief',
    body: () => ({}),
  },
  {
    // The source called him a former president; in March 2025 he was the sitting one.
    label: "Correct Trump's title in the Truth Social development",
    method: 'POST',
    path: '/corrections',
    role: 'chief',
    body: (ids) => ({
      target: { type: 'development', id: ids.developments.trump },
      correctedText:
        'US President Donald Trump said on Truth Social that the fugitive ISIS leader in Iraq had been hunted down and killed, in coordination with Iraqi and Kurdish authorities.',
      note: 'An earlier version of this update called Donald Trump a former president. He has been president since January 2025.',
      kind: 'correction',
    }),
  },
];
