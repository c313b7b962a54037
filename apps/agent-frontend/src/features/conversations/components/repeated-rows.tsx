import type { ReactNode } from 'react';

export interface RepeatedRowsProps<Row extends { key: string }> {
  rows: Row[];
  onChange: (rows: Row[]) => void;
  /** The fields of one row; `update` merges a change into that row. */
  renderFields: (row: Row, index: number, update: (change: Partial<Row>) => void) => ReactNode;
  /** A blank row with a fresh `draftKey()`. */
  newRow: () => Row;
  /** What one row is, for the add link: "button", "row", "parameter". */
  noun: string;
  /** WhatsApp's limit: the add link is disabled and says so once it is reached. */
  max?: number;
  /** Rows that cannot be removed (a message needs at least one button). */
  minRows?: number;
}

/** The rows a builder repeats (reply buttons, list rows, template parameters), each removable, and the add link. */
export function RepeatedRows<Row extends { key: string }>({
  rows,
  onChange,
  renderFields,
  newRow,
  noun,
  max,
  minRows = 0,
}: RepeatedRowsProps<Row>) {
  const isFull = max !== undefined && rows.length >= max;
  const updateAt = (index: number) => (change: Partial<Row>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  return (
    <>
      {rows.map((row, index) => (
        <div className="builder-row" key={row.key}>
          {renderFields(row, index, updateAt(index))}
          {rows.length > minRows && (
            <button
              type="button"
              className="link"
              onClick={() => onChange(rows.filter((_, i) => i !== index))}
            >
              Remove
            </button>
          )}
        </div>
      ))}
      <button type="button" className="link" disabled={isFull} onClick={() => onChange([...rows, newRow()])}>
        + Add {noun} {isFull ? `(WhatsApp allows ${max})` : ''}
      </button>
    </>
  );
}
