import * as React from 'react';

/** Which column a table is sorted by, and which way. */
export interface ISortState<K extends string> {
  key: K;
  up: boolean;
}

/**
 * A sortable column heading: a button that sorts by this column (ascending first, then
 * toggling), `aria-sort` for assistive technology, and an arrow on the sorted column.
 */
export function SortHeader<K extends string>(props: {
  column: K;
  label: string;
  sort: ISortState<K>;
  onSort: (sort: ISortState<K>) => void;
}): JSX.Element {
  const { column, label, sort, onSort } = props;
  const sorted = sort.key === column;
  return (
    <th
      data-column={column}
      aria-sort={sorted ? (sort.up ? 'ascending' : 'descending') : 'none'}
    >
      <button
        type="button"
        className="jp-IV-sortButton"
        onClick={() => onSort({ key: column, up: sorted ? !sort.up : true })}
      >
        {label}
        {sorted ? (sort.up ? ' ▲' : ' ▼') : ''}
      </button>
    </th>
  );
}
