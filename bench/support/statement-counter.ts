/**
 * Counts the SQL statements a process sends to PostgreSQL: every query on a node-postgres
 * client (pooled or not), BEGIN and COMMIT included, as the server sees them. Load on the
 * machine does not change the count, so it is the benchmark's steadiest figure.
 */
import pg from "pg";

let statements = 0;

export function countStatements(): () => number {
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown; counted?: boolean };
  if (!prototype.counted) {
    const query = prototype.query;
    prototype.query = function (this: unknown, ...args: unknown[]) {
      statements += 1;
      return query.apply(this, args);
    };
    prototype.counted = true;
  }
  return () => statements;
}
