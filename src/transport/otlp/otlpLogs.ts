// Events as an OTLP ExportLogsServiceRequest (SPEC §4b): every event a LogRecord with the
// top-level `eventName`; vitals as the semantic conventions' `browser.web_vital` event, errors
// as `exception`, our own events under `telltale.<type>.*`.
import { VITAL_DEFAULTS } from '../../buffer/encodeEvent';
import type { EnvelopeContext, TelltaleEvent } from '../../types';
import { addAttributes, attributes, resource, SCOPE, unixNano, type KeyValue } from './otlpValue';

/** SeverityNumber values (the log data model): INFO, WARN, ERROR. */
const SEVERITY = { INFO: 9, WARN: 13, ERROR: 17 } as const;

export interface LogRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber?: number;
  severityText?: string;
  eventName: string;
  attributes: KeyValue[];
}

type Fields = Record<string, unknown>;

/**
 * `browser.web_vital` (semantic conventions): the name lowercase, value, delta, id, rating, navigation
 * type, every one present: the defaults the telltale wire leaves out (a delta equal to the value, a
 * plain navigation) are put back.
 */
const vital = ({ name, value, delta, rating, navigationType, ...rest }: Fields, id: string, out: KeyValue[]) => {
  out.push(
    ...attributes({
      'browser.web_vital.name': String(name).toLowerCase(),
      'browser.web_vital.value': value,
      'browser.web_vital.delta': delta ?? value,
      'browser.web_vital.id': id,
      'browser.web_vital.rating': rating,
      'browser.web_vital.navigation_type': navigationType ?? VITAL_DEFAULTS.navigationType,
    }),
  );
  addAttributes(out, 'telltale.vital', rest);
};

/** `exception` (semantic conventions) with its code location; the rest under `telltale.error`. */
const exception = ({ name, message, stack, file, line, col, ...rest }: Fields, out: KeyValue[]) => {
  out.push(
    ...attributes({
      'exception.type': name ?? 'Error',
      'exception.message': message,
      'exception.stacktrace': stack,
      'code.file.path': file || undefined,
      'code.line.number': line || undefined,
      'code.column.number': col || undefined,
    }),
  );
  addAttributes(out, 'telltale.error', rest);
};

/** One event as a LogRecord. */
export const logRecord = (event: TelltaleEvent, ctx: EnvelopeContext): LogRecord => {
  const { id, type, t, page, ...fields } = event;
  const out = attributes({ 'telltale.event.id': id, 'session.id': ctx.session, 'user.hash': ctx.user, 'url.path': page });
  const time = unixNano(t);
  const record: LogRecord = { timeUnixNano: time, observedTimeUnixNano: time, eventName: 'telltale.' + type, attributes: out };
  if (type == 'vital') {
    record.eventName = 'browser.web_vital';
    vital(fields, id, out);
  } else if (type == 'error') {
    record.eventName = 'exception';
    Object.assign(record, { severityNumber: SEVERITY.ERROR, severityText: 'ERROR' });
    exception(fields, out);
  } else {
    if (type == 'alert') {
      const critical = fields.severity == 'critical';
      Object.assign(record, { severityNumber: critical ? SEVERITY.ERROR : SEVERITY.WARN, severityText: critical ? 'ERROR' : 'WARN' });
    }
    addAttributes(out, 'telltale.' + type, fields);
  }
  return record;
};

/** A batch's events (one envelope context) as the body of `POST /v1/logs`. */
export const encodeLogs = (events: TelltaleEvent[], ctx: EnvelopeContext): string =>
  JSON.stringify({
    resourceLogs: [{ resource: resource(ctx), scopeLogs: [{ scope: SCOPE, logRecords: events.map((e) => logRecord(e, ctx)) }] }],
  });
