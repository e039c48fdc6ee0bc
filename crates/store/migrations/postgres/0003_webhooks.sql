-- Webhook delivery attempts (issue 3, point 10): one row per HTTP attempt, so that the delivery
-- log shows every try (status, error, outcome) and not only the last one kept on the delivery.
CREATE TABLE webhook_attempts (
    id BIGSERIAL PRIMARY KEY,
    delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries(id),
    attempt BIGINT NOT NULL,
    at BIGINT NOT NULL,
    http_status BIGINT,
    error TEXT,
    outcome TEXT NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_id, attempt);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries(webhook_id, id);
