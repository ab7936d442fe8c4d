// The same API through openapi-fetch (a typed `fetch` over the generated `paths`), including its
// one trap: a `text/plain` body needs its own `bodySerializer`, or openapi-fetch JSON-encodes the
// string (`"..."`, one quote more at the start) and every offset of the answer is off by one.

import createClient from 'openapi-fetch';
import type { paths } from './schema';

export function powerskills(baseUrl: string) {
  return createClient<paths>({ baseUrl });
}

/** The AI skills: `GET /skills?category=ai`. Without `fields` the answer is the full form, but
 * the document's 200 is either form (`anyOf`): every field is checked before use. */
export async function aiSkillNames(baseUrl: string): Promise<string[]> {
  const { data, error } = await powerskills(baseUrl).GET('/skills', { params: { query: { category: 'ai' } } });
  if (error) throw new Error(`${error.title}: ${error.detail}`);
  return data.data.flatMap((skill) => (skill.name === undefined ? [] : [skill.name]));
}

/** A CV's skills in one request: `POST /skills/lookup`, in the order asked. */
export async function lookup(baseUrl: string, slugs: string[], uris: string[] = []) {
  const { data, error } = await powerskills(baseUrl).POST('/skills/lookup', { body: { slugs, uris } });
  if (error) throw new Error(`${error.title}: ${error.detail}`);
  return { found: data.data.map((s) => s.slug), notFound: data.not_found, removed: data.removed.map((r) => r.slug) };
}

/** Extraction with the JSON body: nothing to configure. */
export async function extractJson(baseUrl: string, text: string) {
  const { data, error } = await powerskills(baseUrl).POST('/skills/extract', { body: { text } });
  if (error) throw new Error(`${error.title}: ${error.detail}`);
  return data.data;
}

/** Extraction with the text itself as a `text/plain` body: the string is sent as it is. */
export async function extractPlainText(baseUrl: string, text: string) {
  const { data, error } = await powerskills(baseUrl).POST('/skills/extract', {
    body: text,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    bodySerializer: (body) => body,
  });
  if (error) throw new Error(`${error.title}: ${error.detail}`);
  return data.data;
}
