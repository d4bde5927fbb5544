// The ingest's JSON Lines file, bounded: when the next write would take it over its cap,
// it becomes `events.jsonl.1` (replacing the one before, whose events are counted as dropped)
// and a new file starts. Disk use stays under twice the cap.
import { appendFile, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';

/** Largest size of events.jsonl before it is rotated, in bytes. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** Lines (events) and bytes of a file; none when it cannot be read (missing, or a folder). */
const measure = (path) => {
  let text;
  try {
    text = readFileSync(path);
  } catch {
    return { rows: 0, bytes: 0 };
  }
  let rows = 0;
  for (const byte of text) if (byte == 0x0a) rows++;
  return { rows, bytes: text.length };
};

/**
 * @param {string} dataDir created when missing
 * @param {{ maxBytes?: number }} [o]
 */
export const jsonlFile = (dataDir, { maxBytes = MAX_FILE_BYTES } = {}) => {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'events.jsonl');
  const previousPath = path + '.1';
  const current = measure(path);
  let previousRows = measure(previousPath).rows;
  const counts = { rotations: 0, droppedRows: 0 };

  const rotate = () => {
    renameSync(path, previousPath);
    counts.rotations++;
    counts.droppedRows += previousRows;
    previousRows = current.rows;
    current.rows = 0;
    current.bytes = 0;
  };

  return {
    path,
    /**
     * Appends one line per row; `done(err)` once they are on disk.
     * @param {object[]} rows
     * @param {(err: Error | null) => void} done
     */
    append(rows, done) {
      const text = rows.map((row) => JSON.stringify(row) + '\n').join('');
      const bytes = Buffer.byteLength(text);
      try {
        if (current.bytes && current.bytes + bytes > maxBytes) rotate();
      } catch (err) {
        return done(err);
      }
      // counted at once, so that writes in flight together cannot take the file over its cap
      current.rows += rows.length;
      current.bytes += bytes;
      appendFile(path, text, (err) => {
        if (err) {
          current.rows -= rows.length;
          current.bytes -= bytes;
        }
        done(err);
      });
    },
    stats: () => ({ bytes: current.bytes, rows: current.rows, maxBytes, ...counts }),
  };
};
