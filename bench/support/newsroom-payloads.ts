import { type LogDevelopment, type OpenStory } from '@newsroom/domain';

/**
 * What editors send, sized like a real development: about 1 KB of event data once stored, plus the
 * envelope metadata (editor, correlation, causation, time, schema version, hash chain).
 */
const TEXT =
  'The Iraqi prime minister confirmed in a televised statement that the leader of ISIS in Iraq and Syria was killed ' +
  'in an airstrike carried out jointly by Iraqi intelligence and the US-led coalition in Anbar province. He said the ' +
  'operation followed months of surveillance and that DNA tests on the remains had matched samples held by the ' +
  'authorities. A coalition spokesperson said the strike targeted a compound used by senior commanders and that no ' +
  'civilians were harmed. Local officials said the area had been sealed off and that two other militants were killed.';

const QUOTE =
  'Iraqis continue to achieve victories over the forces of darkness and terrorism: this is the result of the work of ' +
  'our intelligence services together with our partners.';

export const developmentRequest = {
  kind: 'confirmation',
  text: TEXT,
  occurredAt: '2025-03-14T08:30:00Z',
  location: 'Al-Qaim, Anbar province, Iraq',
  attribution: { name: 'Mohammed Shia al-Sudani', role: 'Prime Minister', affiliation: 'Government of Iraq', platform: 'Iraqiya TV' },
  quote: QUOTE,
} as const;

export const openStoryRequest = {
  headline: 'ISIS leader in Iraq and Syria reported killed in airstrike',
  desk: 'world',
  summary: 'An airstrike in Anbar province killed the leader of ISIS in Iraq and Syria, Iraqi officials said.',
} as const;

/** The domain command the API builds from `developmentRequest`. */
export function logDevelopmentCommand(developmentId: string): LogDevelopment {
  const { occurredAt, ...rest } = developmentRequest;
  return {
    type: 'LogDevelopment',
    data: { ...rest, developmentId, occurredAt: { at: occurredAt, precision: 'exact' }, attribution: { ...rest.attribution, anonymous: false } },
  };
}

export function openStoryCommand(storyId: string): OpenStory {
  return { type: 'OpenStory', data: { storyId, ...openStoryRequest } };
}

export interface BenchEditor {
  readonly editorId: string;
  readonly token: string;
}

/** `count` editors and the NEWSROOM_TOKENS value that lets each of them write. */
export function benchEditors(count: number): { readonly editors: readonly BenchEditor[]; readonly tokens: string } {
  const editors = Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(3, '0');
    return { editorId: `ed-bench-${n}`, token: `bench-editor-token-${n}-0000000000` };
  });
  return { editors, tokens: editors.map((e) => `${e.token}:${e.editorId}:editor`).join(',') };
}
