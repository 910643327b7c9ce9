-- Who learned an example (an opaque contributor id, the rustc and the crate's
-- edition), and the idempotency key of every learn event ever applied, so an
-- event resent after a lost acknowledgement is not counted twice.
ALTER TABLE kb_learned
    ADD COLUMN contributor text NOT NULL DEFAULT '',
    ADD COLUMN rustc text NOT NULL DEFAULT '',
    ADD COLUMN edition text NOT NULL DEFAULT '';

CREATE TABLE kb_events (
    event_key uuid PRIMARY KEY,
    -- NULL once the example was forgotten: the key still blocks a resend.
    learned_id bigint REFERENCES kb_learned (id) ON DELETE SET NULL,
    contributor text NOT NULL DEFAULT '',
    rustc text NOT NULL DEFAULT '',
    edition text NOT NULL DEFAULT '',
    received_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX kb_events_learned ON kb_events (learned_id);
