// Where a table's rows are shown: by their `order` key (as the schema's
// `row_order`), then list index. Paths name a row by its list index; people
// read its place on screen, which these turn one into the other.

import { app } from './app';

/** A row as read from the card (its order key, if it has one). */
export interface Row {
  order?: number;
}

/** The schema's step between rows added one after another. */
export const ORDER_STEP = 1024;

export function orderKey(r: Row | undefined, i: number): number {
  return typeof r?.order === 'number' ? r.order : i * ORDER_STEP;
}

/** List indices in the order the rows are shown (as `row_order` in the
 *  schema: by key, then list index). */
export function rowOrder(rows: Row[]): number[] {
  return rows.map((_, i) => i).sort((a, b) => orderKey(rows[a], a) - orderKey(rows[b], b) || a - b);
}

/** The 1-based place on screen of row `index` of `list` in the card at
 * `url` (its list index + 1 when the card is not open here or the row is
 * gone). */
export function rowPlace(url: string | undefined, list: string, index: number): number {
  if (url) {
    try {
      const rows = app.client.read(url, [list]);
      if (Array.isArray(rows)) {
        const at = rowOrder(rows as Row[]).indexOf(index);
        if (at >= 0) return at + 1;
      }
    } catch {
      /* not open */
    }
  }
  return index + 1;
}
