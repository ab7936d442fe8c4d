// Closed sets are enums in openapi/openapi.json, so openapi-typescript makes them unions of string
// literals: a typo is a compile error, and a `switch` over one can be checked for exhaustiveness.
// Each `@ts-expect-error` line below MUST fail to type-check: were the field a plain `string`
// again, the directive would be unused, and tsc fails on an unused `@ts-expect-error`.

import type { components, paths } from './schema';

type Schemas = components['schemas'];
type Hit = Schemas['Hit'];

export const faq: Hit['type'] = 'faq';
// @ts-expect-error `skil` is not a hit type
export const typo: Hit['type'] = 'skil';
// @ts-expect-error `title` is not a field a hit can match on
export const matchedTitle: Hit['matched'] = 'title';
// @ts-expect-error the suggestion's match types are `prefix`, `word_prefix` and `fuzzy`
export const infix: Schemas['Suggestion']['match_type'] = 'infix';
// @ts-expect-error a suggestion's label is a `name` or an `alias`
export const description: Schemas['Suggestion']['matched'] = 'description';
// @ts-expect-error a skill matched on its `name`, an `alias` or its `description`
export const question: Schemas['MatchedField']['field'] = 'question';
// @ts-expect-error related skills share a category, categories or words
export const sameName: Schemas['RelatedSkill']['basis'] = 'same_name';

type SearchQuery = NonNullable<paths['/search']['get']['parameters']['query']>;
export const onlySkills: SearchQuery = { q: 'blockchain', type: 'skill' };
// @ts-expect-error `type` of /search is a hit type
export const onlySkils: SearchQuery = { q: 'blockchain', type: 'skils' };

/** Where a hit lives, by its type: the compiler checks that every type is handled. */
export function resource(hit: Hit): string {
  switch (hit.type) {
    case 'skill':
      return `skill ${hit.key}`;
    case 'category':
      return `category ${hit.key}`;
    case 'faq':
      return `FAQ entry ${hit.key}`;
    default: {
      const unknown: never = hit.type;
      return unknown;
    }
  }
}
