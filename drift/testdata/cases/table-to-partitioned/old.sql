CREATE TABLE events (id serial PRIMARY KEY, at date NOT NULL, payload jsonb);
CREATE INDEX events_at_idx ON events (at);
CREATE TABLE event_notes (id int PRIMARY KEY, event_id int REFERENCES events (id), note text);
CREATE VIEW recent_events AS SELECT id, at FROM events WHERE at > date '2026-01-01';
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER events_touch BEFORE UPDATE ON events FOR EACH ROW EXECUTE FUNCTION touch();
COMMENT ON TABLE events IS 'all events';
