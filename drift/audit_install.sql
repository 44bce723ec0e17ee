-- The DDL audit of schemactl (drift/audit.go): installed by `schemactl audit install`
-- or a Database with spec.audit, as a superuser (event triggers need one).
CREATE SCHEMA IF NOT EXISTS schemactl;
CREATE TABLE IF NOT EXISTS schemactl.ddl_audit (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
  session_role text NOT NULL,
  current_role_name text NOT NULL,
  client_addr inet,
  application_name text NOT NULL,
  command_tag text NOT NULL,
  object_type text,
  object_identity text,
  statement text,
  apply_id text
);
CREATE INDEX IF NOT EXISTS ddl_audit_object_identity_idx ON schemactl.ddl_audit (object_identity, id);
CREATE TABLE IF NOT EXISTS schemactl.ddl_audit_settings (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  retention interval NOT NULL,
  max_rows integer NOT NULL CHECK (max_rows > 0),
  statement_bytes integer NOT NULL CHECK (statement_bytes > 0)
);
INSERT INTO schemactl.ddl_audit_settings (retention, max_rows, statement_bytes)
VALUES ({{retention}}, {{max_rows}}, {{statement_bytes}})
ON CONFLICT (singleton) DO UPDATE SET retention = EXCLUDED.retention, max_rows = EXCLUDED.max_rows, statement_bytes = EXCLUDED.statement_bytes;

-- Records one object of a DDL statement. SECURITY DEFINER: the roles that run
-- DDL need no right on the table. session_user, the client and application_name
-- are the session's; the role the statement ran as comes from the caller.
CREATE OR REPLACE FUNCTION schemactl.ddl_audit_record(ran_as text, tag text, otype text, ident text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  s schemactl.ddl_audit_settings;
BEGIN
  SELECT * INTO s FROM schemactl.ddl_audit_settings;
  INSERT INTO schemactl.ddl_audit (session_role, current_role_name, client_addr, application_name,
                                   command_tag, object_type, object_identity, statement, apply_id)
  VALUES (session_user, ran_as, inet_client_addr(), coalesce(current_setting('application_name', true), ''),
          tag, otype, ident, left(current_query(), coalesce(s.statement_bytes, 2000)),
          nullif(current_setting('schemactl.apply_id', true), ''));
  -- Bounded: older than the retention, or beyond max_rows, goes.
  DELETE FROM schemactl.ddl_audit
  WHERE at < clock_timestamp() - coalesce(s.retention, interval '30 days')
     OR id <= (SELECT max(id) FROM schemactl.ddl_audit) - coalesce(s.max_rows, 10000);
END
$fn$;
REVOKE ALL ON FUNCTION schemactl.ddl_audit_record(text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION schemactl.ddl_audit_record(text, text, text, text) TO PUBLIC;

-- Event trigger functions run as the role of the DDL statement. A failure of the
-- audit never fails the user's statement: it becomes a WARNING.
CREATE OR REPLACE FUNCTION schemactl.ddl_audit_end() RETURNS event_trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
    CONTINUE WHEN r.schema_name IS NOT DISTINCT FROM 'schemactl' OR r.in_extension OR r.schema_name LIKE 'pg\_temp%';
    PERFORM schemactl.ddl_audit_record(current_user::text, r.command_tag, r.object_type, r.object_identity);
  END LOOP;
EXCEPTION WHEN OTHERS THEN
  RAISE WARNING 'schemactl DDL audit: %', SQLERRM;
END
$fn$;
CREATE OR REPLACE FUNCTION schemactl.ddl_audit_drop() RETURNS event_trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM pg_event_trigger_dropped_objects() LOOP
    CONTINUE WHEN r.schema_name IS NOT DISTINCT FROM 'schemactl' OR r.is_temporary OR NOT (r.original OR r.normal);
    PERFORM schemactl.ddl_audit_record(current_user::text, tg_tag, r.object_type, r.object_identity);
  END LOOP;
EXCEPTION WHEN OTHERS THEN
  RAISE WARNING 'schemactl DDL audit: %', SQLERRM;
END
$fn$;
DROP EVENT TRIGGER IF EXISTS schemactl_ddl_audit_end;
DROP EVENT TRIGGER IF EXISTS schemactl_ddl_audit_drop;
CREATE EVENT TRIGGER schemactl_ddl_audit_end ON ddl_command_end EXECUTE FUNCTION schemactl.ddl_audit_end();
CREATE EVENT TRIGGER schemactl_ddl_audit_drop ON sql_drop EXECUTE FUNCTION schemactl.ddl_audit_drop();

-- Attribution is read by the roles that plan: the statements are DDL, no data.
GRANT USAGE ON SCHEMA schemactl TO PUBLIC;
GRANT SELECT ON schemactl.ddl_audit TO PUBLIC;
