import { withoutUndefined } from '../shared/without-undefined';
import type { Attribution, OccurredAt } from './story.events';
import { AnonymityReasonRequired, InvalidField, InvalidHeadline, RequiredFieldMissing } from './story.errors';

/**
 * Field rules shared by several commands. Each returns the value as it will be stored
 * (trimmed, blank optionals dropped) or throws the typed error naming the field's path.
 */

export const HEADLINE_MIN_LENGTH = 1;
export const HEADLINE_MAX_LENGTH = 300;

export function requireText(value: string, path: string): string {
  const trimmed = value.trim();
  if (trimmed === '') throw new RequiredFieldMissing(path);
  return trimmed;
}

/** Blank optional text is treated as not given, so an empty form field never becomes stored data. */
export function optionalText(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function validHeadline(value: string, path: string): string {
  const trimmed = value.trim();
  // Counted in code points so an emoji or an accented letter is one character, as editors see it.
  const length = Array.from(trimmed).length;
  if (length < HEADLINE_MIN_LENGTH || length > HEADLINE_MAX_LENGTH) {
    throw new InvalidHeadline(path, HEADLINE_MIN_LENGTH, HEADLINE_MAX_LENGTH);
  }
  return trimmed;
}

/** Keeps only the fields given, trimmed; an anonymous source must come with the reason. */
export function validAttribution(attribution: Attribution, path: string): Attribution {
  const anonymityReason = optionalText(attribution.anonymityReason);
  if (attribution.anonymous && anonymityReason === undefined) throw new AnonymityReasonRequired(`${path}.anonymityReason`);
  return withoutUndefined({
    name: optionalText(attribution.name),
    role: optionalText(attribution.role),
    affiliation: optionalText(attribution.affiliation),
    platform: optionalText(attribution.platform),
    anonymous: attribution.anonymous,
    anonymityReason: attribution.anonymous ? anonymityReason : undefined,
  });
}

const ISO_8601 = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d))?$/;

export function validOccurredAt(occurredAt: OccurredAt, path: string): OccurredAt {
  if (!ISO_8601.test(occurredAt.at) || Number.isNaN(Date.parse(occurredAt.at))) {
    throw new InvalidField(`${path}.at`, 'must be an ISO-8601 date or date-time with a time zone');
  }
  return withoutUndefined({ at: occurredAt.at, precision: occurredAt.precision, label: optionalText(occurredAt.label) });
}

// Language plus optional subtags ('en', 'pt-BR', 'zh-Hant-TW'); full BCP-47 checking belongs to a registry, not here.
const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

export function validLanguage(value: string, path: string): string {
  const trimmed = value.trim();
  if (!LANGUAGE_TAG.test(trimmed)) throw new InvalidField(path, "must be a BCP-47 language tag such as 'en'");
  return trimmed;
}

export function validUrl(value: string, path: string): string {
  const trimmed = value.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new InvalidField(path, 'must be an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidField(path, 'must be an http(s) URL');
  return trimmed;
}
