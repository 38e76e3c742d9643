import type { FormFields } from './form-fields';
import { nonNegativeInt } from './twiml-interpreter';

/**
 * One page of a Twilio list: `{ <key>: items, page, page_size, start, end, uri, first_page_uri,
 * next_page_uri, previous_page_uri }`, with the URIs relative to the API host and carrying the
 * filters, `PageSize`, `Page` and (for the next page) a `PageToken`, as Twilio writes them.
 */
export function listPage<T extends { sid: string }>(
  key: 'messages' | 'calls',
  path: string,
  items: readonly T[],
  fields: FormFields<'ListMessage' | 'ListCall'>,
  filterNames: readonly string[],
  filters: ReadonlyMap<string, string>,
  toResource: (item: T) => Record<string, unknown>,
): Record<string, unknown> {
  const pageSize = Math.min(1000, Math.max(1, nonNegativeInt(fields.get('PageSize'), 50)));
  const page = nonNegativeInt(fields.get('Page'), 0);
  const start = page * pageSize;
  const slice = items.slice(start, start + pageSize);
  const uri = (pageNumber: number, token?: string): string => {
    const query = new URLSearchParams();
    for (const name of filterNames) {
      const value = filters.get(name);
      if (value !== undefined) query.append(name, value);
    }
    query.append('PageSize', String(pageSize));
    query.append('Page', String(pageNumber));
    if (token !== undefined) query.append('PageToken', token);
    return `${path}?${query.toString()}`;
  };
  const last = slice.at(-1);
  const hasNext = start + pageSize < items.length && last !== undefined;
  return {
    [key]: slice.map(toResource),
    end: slice.length > 0 ? start + slice.length - 1 : start,
    first_page_uri: uri(0),
    next_page_uri: hasNext ? uri(page + 1, `PA${last.sid}`) : null,
    page,
    page_size: pageSize,
    previous_page_uri: page > 0 ? uri(page - 1) : null,
    start,
    uri: uri(page),
  };
}
