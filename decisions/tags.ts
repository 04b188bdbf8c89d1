/**
 * Tag values every service accepts. The provider applies the stack's tags to every taggable
 * resource, and services differ: EC2 takes almost anything, while IAM, EFS, Batch and others take
 * only Unicode letters, digits, spaces and `_ . : / = + - @`, at most 256 characters, and reserve the
 * `aws:` prefix. A value outside that set fails on the first such resource, so it is rejected here:
 * https://docs.aws.amazon.com/batch/latest/userguide/tag-restrictions.html
 * https://docs.aws.amazon.com/efs/latest/ug/API_Tag.html (pattern ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$)
 */

const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Why a tag value is not one every service accepts, or undefined when it is. */
export function tagValueError(value: string): string | undefined {
  if ([...value].length > 256) return "must be at most 256 characters (a tag value)";
  if (/^aws:/i.test(value)) return 'must not start with "aws:", which AWS reserves in tags';
  if (!TAG_VALUE.test(value)) {
    const bad = [...new Set([...value].filter((character) => !TAG_VALUE.test(character)))].join(" ");
    return `becomes a tag on every resource, so it may hold only letters, digits, spaces and _ . : / = + - @ (not ${bad})`;
  }
  return undefined;
}
