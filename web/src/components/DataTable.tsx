import type { ReactNode } from 'react';

interface DataTableProps {
  /** Header cells, in order. */
  columns: ReactNode[];
  /** Adds a last, visually hidden "Actions" header cell. */
  actions?: boolean;
  /** A load error, shown as an alert above the table. */
  error?: string | null;
  /** When set, one full-width "empty" row with this text follows the rows. */
  empty?: string;
  testId?: string;
  children?: ReactNode;
}

/** The admin tables: optional error alert, scrolling wrapper, header row, body rows, empty row. */
export function DataTable({ columns, actions = false, error, empty, testId, children }: DataTableProps) {
  return (
    <>
      {error && <p className="alert alert-error" role="alert">{error}</p>}
      <div className="table-wrap">
        <table className="table" data-testid={testId}>
          <thead>
            <tr>
              {columns.map((c, i) => (
                <th key={i} scope="col">
                  {c}
                </th>
              ))}
              {actions && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {children}
            {empty !== undefined && (
              <tr>
                <td colSpan={columns.length + (actions ? 1 : 0)} className="empty">
                  {empty}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
