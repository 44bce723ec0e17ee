CREATE SCHEMA app;
CREATE TABLE app."Secrets" (id int PRIMARY KEY, "Owner" text);
ALTER TABLE app."Secrets" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Owner Only" ON app."Secrets" FOR DELETE USING ("Owner" = current_user);
CREATE POLICY inserts ON app."Secrets" FOR INSERT WITH CHECK ("Owner" = current_user);
