/**
 * `url.template` for spans and metrics: the path with ids left out, so `/api/v2/quality/conversations/c-1/
 * evaluations/e-9` and every other evaluation fall into one route (`.../conversations/{id}/evaluations/{id}`) and no
 * id (which may identify a customer's conversation) reaches a telemetry backend.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function routeTemplate(path: string): string {
  const noQuery = path.split(/[?#]/)[0] ?? '';
  return noQuery
    .split('/')
    .map((seg, i) => (i === 0 || seg === '' || !looksLikeId(seg) ? seg : '{id}'))
    .join('/');
}

function looksLikeId(seg: string): boolean {
  if (UUID.test(seg)) return true;
  if (/^v\d+$/.test(seg)) return false; // api version
  // Ids are opaque: digits, percent-encoding or anything but lower-case words and dashes. Route words are
  // lower-case letters (`conversations`, `batchrequests`, `details`).
  return !/^[a-z]+(?:[-_][a-z]+)*$/.test(seg);
}
