import { invalidParameter } from './fail.js';

/** ECS tag limits (Amazon ECS developer guide, "Tagging your resources"). */
export const TAG_LIMITS = { maxTags: 50, maxKeyLength: 128, maxValueLength: 256 } as const;

/** Unicode letters, digits, spaces and _ . : / = + - @ — the alphabet the ECS Tag model allows. */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const RESERVED = /^aws:/i;

interface TagLike {
  readonly key?: string | undefined;
  readonly value?: string | undefined;
}

function checkKey(key: string | undefined): string {
  if (key === undefined || key.length < 1 || key.length > TAG_LIMITS.maxKeyLength) {
    invalidParameter(`Tag keys must be between 1 and ${TAG_LIMITS.maxKeyLength} characters long; got '${key ?? ''}'.`);
  }
  if (!TAG_TEXT.test(key)) {
    invalidParameter(`Tag key '${key}' contains characters ECS does not allow: use letters, numbers, spaces and _ . : / = + - @.`);
  }
  if (RESERVED.test(key)) {
    invalidParameter(`Tag key '${key}' uses the reserved prefix 'aws:' (in any case); choose a key that does not start with it.`);
  }
  return key;
}

function checkValue(key: string, value: string | undefined): void {
  const v = value ?? '';
  if (v.length > TAG_LIMITS.maxValueLength) {
    invalidParameter(`The value of tag '${key}' is too long: tag values can have at most ${TAG_LIMITS.maxValueLength} characters.`);
  }
  if (!TAG_TEXT.test(v)) {
    invalidParameter(`The value of tag '${key}' contains characters ECS does not allow: use letters, numbers, spaces and _ . : / = + - @.`);
  }
  if (RESERVED.test(v)) {
    invalidParameter(`The value of tag '${key}' uses the reserved prefix 'aws:' (in any case); choose a value that does not start with it.`);
  }
}

/** Throws InvalidParameterException when the tags break ECS's limits. */
export function validateTags(tags: readonly TagLike[] | undefined): void {
  if (!tags) return;
  if (tags.length > TAG_LIMITS.maxTags) {
    invalidParameter(`Too many tags: a resource can have at most ${TAG_LIMITS.maxTags} tags; ${tags.length} were given.`);
  }
  for (const t of tags) checkValue(checkKey(t.key), t.value);
}
