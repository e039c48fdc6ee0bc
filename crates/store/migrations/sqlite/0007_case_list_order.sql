-- Newest-first case lists (Open311 GET requests.json, 90 days by default) read the cases in
-- report order from an index and stop at the page, instead of sorting every case in the window
-- on every request (the load test: 78 ms for 50 requests at 8,000 cases, growing with the
-- table). The rowid breaks ties, as `ORDER BY reported_at DESC, id DESC` wants.
CREATE INDEX cases_reported ON cases(reported_at);
