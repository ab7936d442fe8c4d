// How a frontend uses powerskills through the types `openapi-typescript` generates from
// openapi/openapi.json. `npm run check` regenerates the types and type-checks this file: a change
// to the API that breaks a client like this one fails CI.

import type { components, paths } from './schema';

type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];

/** The JSON body of an operation's 200 response. */
type Ok<Op> = Op extends { responses: { 200: { content: { 'application/json': infer Body } } } } ? Body : never;
/** An operation's query parameters. */
type QueryOf<Op> = Op extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** Thrown for every 4xx/5xx: the API's RFC 9457 problem. */
export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.title}: ${problem.detail}`);
  }
}

function url(
  base: string,
  path: string,
  query: Record<string, string | number | string[] | undefined> = {},
): string {
  const u = new URL(path, base);
  for (const [name, value] of Object.entries(query)) {
    // A repeatable parameter (`uri`) is sent once per value.
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      u.searchParams.append(name, String(one));
    }
  }
  return u.toString();
}

async function send<T>(request: Request): Promise<T> {
  const res = await fetch(request);
  if (!res.ok) throw new ApiProblem((await res.json()) as Problem);
  return (await res.json()) as T;
}

type ListSkills = paths['/skills']['get'];
type SkillsQuery = Omit<QueryOf<ListSkills>, 'fields'>;

/** List skills by category, one page at a time: without `fields`, every field of each skill. */
export function listSkills(base: string, query: SkillsQuery): Promise<Schemas['SkillPage']> {
  return send(new Request(url(base, '/skills', query)));
}

/** The same list with only some `fields` of each skill (the sparse form). */
export function listSkillFields(
  base: string,
  query: SkillsQuery,
  fields: Schemas['SkillListField'][],
): Promise<Schemas['SparseSkillPage']> {
  return send(new Request(url(base, '/skills', { ...query, fields: fields.join(',') })));
}

type Lookup = paths['/skills/lookup']['post'];
type LookupBody = Lookup['requestBody'] extends { content: { 'application/json': infer B } } | undefined ? B : never;

/** Many skills at once by slug and source URI, in the order asked. */
export function lookupSkills(base: string, body: LookupBody): Promise<Ok<Lookup>> {
  return send(
    new Request(url(base, '/skills/lookup'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
}

type GetSkill = paths['/skills/{slug}']['get'];

/** Read one skill. */
export function getSkill(base: string, slug: string): Promise<Ok<GetSkill>> {
  return send(new Request(url(base, `/skills/${encodeURIComponent(slug)}`)));
}

type Search = paths['/search']['get'];

/** Search skills, categories and FAQ entries. */
export function search(base: string, query: QueryOf<Search>): Promise<Ok<Search>> {
  return send(new Request(url(base, '/search', query)));
}

type Extract = paths['/skills/extract']['post'];
type ExtractBody = Extract['requestBody'] extends { content: { 'application/json': infer B } } | undefined ? B : never;

/** The catalog skills a text mentions. */
export function extract(base: string, body: ExtractBody): Promise<Ok<Extract>> {
  return send(
    new Request(url(base, '/skills/extract'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
}

type ExportSkills = paths['/skills/export']['get'];
/** The export formats, as the document declares them. */
export const exportFormats: QueryOf<ExportSkills>['format'][] = ['ndjson', 'csv'];

/** A small tour of the API, written against the generated types only. */
export async function tour(base: string): Promise<string[]> {
  const lines: string[] = [];

  const ai = await listSkills(base, { category: 'ai', limit: 10 });
  for (const skill of ai.data) {
    lines.push(`${skill.name} (${skill.category.slug}): ${skill.description}`);
  }
  lines.push(`${ai.total} skills, page of ${ai.limit} from ${ai.offset}`);

  const names = await listSkillFields(base, { sort: '-name', limit: 3 }, ['slug', 'name']);
  lines.push(`last by name: ${names.data.map((s) => s.name ?? s.slug).join(', ')}`);

  const cv = await lookupSkills(base, { slugs: ['seo', 'nlp', 'underwater-basket-weaving'] });
  const removed = cv.removed.map((r) => `${r.slug} (version ${r.version})`).join(', ');
  lines.push(`lookup: ${cv.data.map((s) => s.slug).join(', ')}; not found ${cv.not_found.slugs.join(', ')}; removed ${removed || 'none'}`);

  const nlp = await getSkill(base, 'nlp');
  const related = nlp.related.map((r) => `${r.name} [${r.basis}]`).join(', ');
  lines.push(`${nlp.name}: aliases ${nlp.aliases.join(', ')}; related ${related}; uri ${nlp.uri ?? 'none'}`);
  const primary: Schemas['CategoryRef'] = nlp.category;
  lines.push(`primary category ${primary.name}`);

  const hits = await search(base, { q: 'blockchain', type: 'skill' });
  for (const hit of hits.data) {
    lines.push(`${hit.type} ${hit.key} ${hit.url} ${hit.score.toFixed(2)}`);
  }
  if (hits.corrected_q) lines.push(`corrected to ${hits.corrected_q}`);

  const found = await extract(base, { text: 'Hiring an ML engineer with SEO and smart contracts experience' });
  for (const skill of found.data) {
    const at = skill.matches.map((m) => `${m.surface}@${m.start}-${m.end}`).join(' ');
    lines.push(`${skill.slug}: ${at}`);
  }

  try {
    await getSkill(base, 'underwater-basket-weaving');
  } catch (e) {
    if (e instanceof ApiProblem && e.problem.status === 404) lines.push(e.problem.type);
    else throw e;
  }
  return lines;
}
