CREATE TABLE events (id serial, at date NOT NULL, payload jsonb, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX events_at_idx ON events (at);
CREATE TABLE event_notes (id int PRIMARY KEY, event_id int, event_at date, note text, FOREIGN KEY (event_id, event_at) REFERENCES events (id, at));
CREATE VIEW recent_events AS SELECT id, at FROM events WHERE at > date '2026-01-01';
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER events_touch BEFORE UPDATE ON events FOR EACH ROW EXECUTE FUNCTION touch();
COMMENT ON TABLE events IS 'all events';
