// The one body the people-facing pages accept: an HTML form (application/x-www-form-urlencoded), parsed
// into strings, and into a list for a field sent several times (an app's callback URLs).

/** A parsed form body: a field given once is a string, a field given several times an array. */
export type FormBody = Record<string, string | string[] | undefined>;

/** The field's value (the first one if it was sent several times), '' when absent. */
export function field(body: FormBody, name: string): string {
  const value = body[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Every value of the field, in the order sent. */
export function fieldList(body: FormBody, name: string): string[] {
  const value = body[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function parseFormBody(text: string): FormBody {
  const body: FormBody = Object.create(null);
  for (const [name, value] of new URLSearchParams(text)) {
    const existing = body[name];
    if (existing === undefined) body[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else body[name] = [existing, value];
  }
  return body;
}
