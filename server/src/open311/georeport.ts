import { CHINA_UTC_OFFSET_MS, REPORT_STATUS_INFO, SUPERVISABLE_STATUSES, type ReportStatus } from '@linli/shared';

/*
 * Open311 GeoReport v2 documents (http://wiki.open311.org/GeoReport_v2): the field names and nesting
 * of the specification, in JSON and in its schemaless XML.
 */

export interface GeoService {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string;
  group: string;
}

export interface GeoServiceRequest {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

export interface GeoCreated {
  service_request_id: string;
  service_notice: string | null;
  account_id: string | null;
}

export interface GeoError {
  code: number;
  description: string;
}

/**
 * Our statuses on Open311's two: open while it is being handled (submitted … in_progress); closed once
 * it is resolved (the handling is done; the resident may still reopen it by a low rating, which makes it
 * open again), closed, rejected or merged. `status_notes` says which, in our words.
 */
export function geoStatus(status: ReportStatus): 'open' | 'closed' {
  return SUPERVISABLE_STATUSES.includes(status) ? 'open' : 'closed';
}

export function statusNotes(status: ReportStatus): string {
  return REPORT_STATUS_INFO[status]?.label ?? status;
}

/** W3C datetime with China's offset: `2026-11-23T19:05:00+08:00`. */
export function w3cChina(at: Date): string {
  const local = new Date(at.getTime() + CHINA_UTC_OFFSET_MS).toISOString();
  return `${local.slice(0, 19)}+08:00`;
}

/* ───────── XML (the spec's schemaless form) ───────── */

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

function element(name: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return `<${name}/>`;
  if (Array.isArray(value)) return `<${name}>${value.map((item) => element(singular(name), item)).join('')}</${name}>`;
  if (typeof value === 'object') return `<${name}>${Object.entries(value).map(([k, v]) => element(k, v)).join('')}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

const SINGULAR: Record<string, string> = { attributes: 'attribute', values: 'value' };
function singular(name: string): string {
  return SINGULAR[name] ?? name.replace(/s$/, '');
}

/** `<root><item>…</item>…</root>` after the XML declaration. */
export function xmlList(root: string, item: string, items: object[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<${root}>${items.map((i) => element(item, i)).join('')}</${root}>`;
}

export function xmlDocument(root: string, fields: object): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, fields)}`;
}
