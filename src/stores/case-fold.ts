// One letter-case rule for every store. Usernames are unique whatever their case (`OLGA` cannot be
// registered beside `olga`, issue 7) and searches ignore case: each store keeps the folded form beside
// the text as typed (a unique index on the username's in SQL) and compares folded forms. Computed here,
// in one place, rather than by each database's own lower(), which differ beyond ASCII.

export function caseFold(text: string): string {
  return text.normalize('NFC').toLowerCase();
}
