-- Crash-test checks, SQLite (sqlite3 CLI). Run after each restart, while the server serves.
-- The driver first opens a read transaction (one snapshot for every query below) and fills
-- the temp table acked(ticket, id, version, state): every case the client saw acknowledged,
-- and params(cutoff, seeded): the crash's time in ms since the epoch (the end of the load,
-- finally) and the last case id the demo seeded before the load.
-- Each line printed is `name|count`. Lines named bad_* must be 0; the others are figures.
-- Mirror: checks.pg.sql (keep the two in step).

-- One row per case with the summary of its events, and the cases with a dispatch notice
-- (keyed, so that the checks below stay linear in the number of cases).
CREATE TEMP TABLE ev (case_id INTEGER PRIMARY KEY, n INTEGER, lo INTEGER, hi INTEGER, rep INTEGER, reg INTEGER, dis INTEGER, first_kind TEXT, rep_at INTEGER, dis_at INTEGER);
INSERT INTO ev
SELECT case_id,
       COUNT(*),
       MIN(seq),
       MAX(seq),
       SUM(CASE WHEN kind = 'reported' THEN 1 ELSE 0 END),
       SUM(CASE WHEN kind = 'registered' THEN 1 ELSE 0 END),
       SUM(CASE WHEN kind = 'dispatched' THEN 1 ELSE 0 END),
       MAX(CASE WHEN seq = 1 THEN kind END),
       MIN(CASE WHEN kind = 'reported' THEN at END),
       MIN(CASE WHEN kind = 'dispatched' THEN at END)
FROM case_events GROUP BY case_id;
CREATE TEMP TABLE noticed (case_id INTEGER PRIMARY KEY);
INSERT INTO noticed SELECT DISTINCT case_id FROM notifications WHERE kind = 'dispatched';
-- The active webhooks subscribed to 'dispatched' (the crash driver creates one before the load),
-- and the (webhook, case) pairs with a queued 'dispatched' delivery (whatever its status since).
CREATE TEMP TABLE hooks (id INTEGER PRIMARY KEY, created_at INTEGER);
INSERT INTO hooks SELECT id, created_at FROM webhooks
WHERE active = 1 AND (',' || events || ',') LIKE '%,dispatched,%';
CREATE TEMP TABLE delivered (webhook_id INTEGER, case_id INTEGER, PRIMARY KEY (webhook_id, case_id));
INSERT INTO delivered SELECT DISTINCT webhook_id, case_id FROM webhook_deliveries WHERE event = 'dispatched';

SELECT 'acked', COUNT(*) FROM acked;
-- Acknowledged and there, by ticket, as the same case.
SELECT 'present', COUNT(*) FROM acked a JOIN cases c ON c.ticket = a.ticket AND c.id = a.id;
-- Acknowledged and gone.
SELECT 'bad_missing', COUNT(*) FROM acked a WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.ticket = a.ticket);
-- The ticket is there but names another case than the one acknowledged.
SELECT 'bad_wrong_id', COUNT(*) FROM acked a JOIN cases c ON c.ticket = a.ticket WHERE c.id <> a.id;
-- Acknowledged as dispatched (intake registers and dispatches before answering), but the
-- reported/registered/dispatched events are not all there, or the case is older than the
-- version the client was shown.
SELECT 'bad_acked_incomplete', COUNT(*) FROM acked a
  JOIN cases c ON c.ticket = a.ticket
  LEFT JOIN ev ON ev.case_id = c.id
WHERE c.version < a.version
   OR ev.case_id IS NULL OR ev.rep <> 1
   OR (a.state <> 'reported' AND (ev.reg < 1 OR ev.dis < 1));

-- The department's inbox notice of an acknowledged dispatch. It is written after the case's
-- transaction (with the webhook deliveries), so a database outage in between loses it although
-- the case was acknowledged: shown for information.
SELECT 'acked_without_notice', COUNT(*) FROM acked a JOIN cases c ON c.ticket = a.ticket
WHERE a.state = 'dispatched'
  AND NOT EXISTS (SELECT 1 FROM noticed n WHERE n.case_id = c.id);

-- Issue 10 (one transaction per intake): an acknowledged dispatch must have its inbox notice and,
-- for every active webhook subscribed to 'dispatched' that existed when the case was dispatched,
-- its queued delivery. The driver fails the run when the final count is not 0.
SELECT 'acked_without_delivery', COUNT(*) FROM acked a
  JOIN cases c ON c.ticket = a.ticket
  JOIN ev ON ev.case_id = c.id
WHERE a.state = 'dispatched'
  AND EXISTS (SELECT 1 FROM hooks h WHERE h.created_at <= ev.dis_at
              AND NOT EXISTS (SELECT 1 FROM delivered d WHERE d.webhook_id = h.id AND d.case_id = c.id));
SELECT 'acked_without_notice_or_delivery', COUNT(*) FROM acked a
  JOIN cases c ON c.ticket = a.ticket
  LEFT JOIN ev ON ev.case_id = c.id
WHERE a.state = 'dispatched'
  AND (NOT EXISTS (SELECT 1 FROM noticed n WHERE n.case_id = c.id)
       OR EXISTS (SELECT 1 FROM hooks h WHERE h.created_at <= ev.dis_at
                  AND NOT EXISTS (SELECT 1 FROM delivered d WHERE d.webhook_id = h.id AND d.case_id = c.id)));
-- The same over every dispatched case, acknowledged or not (for information: a crash between the
-- dispatch and the notice also cuts the reply, so the client never saw these).
SELECT 'dispatched_without_notice_or_delivery', COUNT(*) FROM cases c
  JOIN ev ON ev.case_id = c.id
WHERE ev.dis >= 1
  AND (NOT EXISTS (SELECT 1 FROM noticed n WHERE n.case_id = c.id)
       OR EXISTS (SELECT 1 FROM hooks h WHERE h.created_at <= ev.dis_at
                  AND NOT EXISTS (SELECT 1 FROM delivered d WHERE d.webhook_id = h.id AND d.case_id = c.id)));
SELECT 'hooks', COUNT(*) FROM hooks;
SELECT 'deliveries', COUNT(*) FROM webhook_deliveries WHERE event = 'dispatched';
-- Cases without their registration and dispatch: with auto-dispatch on (the default; the
-- server's config `auto_dispatch`), intake files a case inside a community and registers and
-- dispatches it by the rules; a case with its 'reported' event but no 'registered' or no
-- 'dispatched' event was cut in between (its reporter got no ticket). Counted among the cases
-- reported before params.cutoff (ms; the crash, or the end of the load for the final check), so
-- requests still in flight are not counted. The driver fails the run when the final count is not 0.
SELECT 'without_reg_dispatch', COUNT(*) FROM cases c
  JOIN ev ON ev.case_id = c.id
WHERE c.community_code IS NOT NULL
  AND ev.rep >= 1 AND (ev.reg < 1 OR ev.dis < 1)
  AND ev.rep_at < (SELECT cutoff FROM params)
  AND c.id > (SELECT seeded FROM params);

SELECT 'cases', COUNT(*) FROM cases;
SELECT 'events', COUNT(*) FROM case_events;
-- Cases filed by intake and then left at 'reported' (a crash between filing and the automatic
-- dispatch, which are two transactions): a consistent state, shown for information.
SELECT 'reported_only', COUNT(*) FROM cases WHERE state = 'reported';

-- A case row without its events, or events not numbered 1..version without gaps.
SELECT 'bad_case_without_events', COUNT(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM ev WHERE ev.case_id = c.id);
SELECT 'bad_version_vs_events', COUNT(*) FROM cases c JOIN ev ON ev.case_id = c.id
WHERE ev.n <> c.version OR ev.lo <> 1 OR ev.hi <> c.version;
-- Every case begins with its report.
SELECT 'bad_first_not_reported', COUNT(*) FROM ev WHERE first_kind IS NOT 'reported' OR rep <> 1;
-- The state implies events: registered past 'reported', dispatched once sent to a handler.
SELECT 'bad_state_without_events', COUNT(*) FROM cases c JOIN ev ON ev.case_id = c.id
WHERE (c.state NOT IN ('reported', 'cancelled', 'merged') AND ev.reg < 1)
   OR (c.state IN ('dispatched', 'in_progress', 'reported_back', 'verified') AND ev.dis < 1);
-- The filter columns and the rule state (JSON) are written in one statement; they must agree.
SELECT 'bad_state_json', COUNT(*) FROM cases
WHERE json_extract(state_json, '$.state') IS NOT state
   OR json_extract(state_json, '$.version') IS NOT version;
-- Events whose case is not there.
SELECT 'bad_orphan_events', COUNT(*) FROM case_events e WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = e.case_id);
-- Every case event has exactly one log entry, and every log entry its event.
SELECT 'bad_event_not_logged', COUNT(*) FROM case_events e
WHERE NOT EXISTS (SELECT 1 FROM ledger_entries l WHERE l.case_id = e.case_id AND l.case_seq = e.seq);
SELECT 'bad_event_logged_twice', COUNT(*) FROM (
  SELECT case_id, case_seq FROM ledger_entries GROUP BY case_id, case_seq HAVING COUNT(*) > 1) x;
-- Records outside cases (case_id 0, decision 020) are logged against their record event.
SELECT 'bad_log_without_event', COUNT(*) FROM ledger_entries l
WHERE l.case_id <> 0
  AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = l.case_id AND e.seq = l.case_seq);
SELECT 'bad_record_log_without_event', COUNT(*) FROM ledger_entries l
WHERE l.case_id = 0 AND NOT EXISTS (SELECT 1 FROM record_events r WHERE r.id = l.case_seq);
SELECT 'bad_record_event_not_logged', COUNT(*) FROM record_events r
WHERE NOT EXISTS (SELECT 1 FROM ledger_entries l WHERE l.case_id = 0 AND l.case_seq = r.id);
-- The day's ticket counter is at least the highest ticket handed out that day.
SELECT 'bad_ticket_counter', COUNT(*) FROM (
  SELECT substr(ticket, 1, 8) AS day, MAX(CAST(substr(ticket, 9) AS INTEGER)) AS top FROM cases GROUP BY 1) x
  LEFT JOIN ticket_counters t ON t.day = x.day
WHERE t.last IS NULL OR t.last < x.top;
-- Integrated entries have indexes 0..n-1; no checkpoint covers more than that.
SELECT 'integrated', COUNT(idx) FROM ledger_entries;
SELECT 'pending', COUNT(*) FROM ledger_entries WHERE idx IS NULL;
SELECT 'checkpoint', COALESCE(MAX(size), 0) FROM ledger_checkpoints;
SELECT 'bad_log_index_gap', CASE WHEN COUNT(idx) = COALESCE(MAX(idx) + 1, 0) AND COALESCE(MIN(idx), 0) = 0 THEN 0 ELSE 1 END FROM ledger_entries;
SELECT 'bad_checkpoint_beyond_log', COUNT(*) FROM ledger_checkpoints WHERE size > (SELECT COUNT(idx) FROM ledger_entries);
