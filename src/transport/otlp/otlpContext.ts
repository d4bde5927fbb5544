import type { EventType } from '../../types';

/**
 * The envelope context of an event in OTLP mode: it also names the event's destination, so a
 * batch (which never mixes contexts) goes whole to one path. Summaries are metrics, every
 * other event a log.
 */
export const otlpContext = (ctx: string, type: EventType): string => (type == 'inference_summary' ? '{"otlp":"metrics",' + ctx.slice(1) : ctx);
