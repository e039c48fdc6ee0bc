-- Newest-first case lists (Open311 GET requests.json, 90 days by default) read the cases in
-- report order from an index and stop at the page, instead of sorting every case in the window
-- on every request. Scanned backwards for `ORDER BY reported_at DESC, id DESC`.
CREATE INDEX cases_reported ON cases(reported_at, id);
