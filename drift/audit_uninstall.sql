-- Removes the DDL audit of schemactl (drift/audit.go), and the schemactl schema
-- when nothing else is in it (the apply log lives there too).
DROP EVENT TRIGGER IF EXISTS schemactl_ddl_audit_end;
DROP EVENT TRIGGER IF EXISTS schemactl_ddl_audit_drop;
DROP FUNCTION IF EXISTS schemactl.ddl_audit_end();
DROP FUNCTION IF EXISTS schemactl.ddl_audit_drop();
DROP FUNCTION IF EXISTS schemactl.ddl_audit_record(text, text, text, text);
DROP TABLE IF EXISTS schemactl.ddl_audit;
DROP TABLE IF EXISTS schemactl.ddl_audit_settings;
DO $do$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'schemactl')
     AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE relnamespace = 'schemactl'::regnamespace)
     AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_proc WHERE pronamespace = 'schemactl'::regnamespace)
     AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type WHERE typnamespace = 'schemactl'::regnamespace) THEN
    DROP SCHEMA schemactl;
  ELSIF EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'schemactl') THEN
    REVOKE USAGE ON SCHEMA schemactl FROM PUBLIC;
  END IF;
END
$do$;
